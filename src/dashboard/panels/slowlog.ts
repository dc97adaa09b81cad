// Slowlog: the newest SLOWLOG entries (time, duration, the command shortened to fit, the client),
// as the server logged them. Binary arguments are shown escaped, never raw.

import type { SlowlogEntry } from '../../collect/snapshot.js';
import { formatMicros } from '../../common/format.js';
import { clock, type TargetState } from '../poller.js';
import { esc, placeTable, type Panel, type Place } from './panel.js';

/** Longest command text shown. */
const COMMAND_WIDTH = 26;

/** Arguments joined for display: control and non-ASCII bytes escaped, quoted when they hold spaces. */
export function shortenCommand(args: string[], width = COMMAND_WIDTH): string {
  const shown = args
    .map((a) => a.replace(/[^\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`))
    .map((a) => (a === '' || /\s/.test(a) ? `"${a}"` : a))
    .join(' ');
  return shown.length > width ? `${shown.slice(0, width - 1)}…` : shown;
}

export const SLOWLOG_HEADERS = ['time', 'took', 'command', 'client'];

/** Newest first, as table rows. */
export function slowlogRows(entries: SlowlogEntry[], n: number): string[][] {
  return entries.slice(0, n).map((e) => [clock(e.time * 1000), formatMicros(e.durationUs), shortenCommand(e.args), e.clientName || e.client]);
}

export function slowlogTitle(state: TargetState): string {
  const s = state.snapshot;
  if (!s) return 'Slowlog';
  if (!s.slowlog) return 'Slowlog (not available)';
  const threshold = s.config['slowlog-log-slower-than'];
  return `Slowlog ${s.slowlog.length} entries${threshold !== undefined ? ` · over ${formatMicros(Number(threshold))}` : ''}`;
}

export function createSlowlog(place: Place): Panel {
  const table = placeTable(place, { row: 7, col: 0, rowSpan: 3, colSpan: 5 }, 'Slowlog', [8, 7, COMMAND_WIDTH, 15]);
  return {
    title: 'Slowlog',
    widgets: [table],
    update(state) {
      table.setLabel(` ${slowlogTitle(state)} `);
      const rows = slowlogRows(state.snapshot?.slowlog?.entries ?? [], 50).map((r) => r.map(esc));
      table.setData({ headers: SLOWLOG_HEADERS, data: rows.length ? rows : [['', '', '(empty)', '']] });
    },
    scroll(lines) {
      table.rows.scroll(lines);
    },
  };
}
