// Commands: INFO commandstats as a table (calls/s over the last interval, total calls, µs per
// call, p99 from latencystats, failed and rejected calls), busiest first.

import { formatMicros } from '../../common/format.js';
import type { TargetState } from '../poller.js';
import { compact, placeTable, type Panel, type Place } from './panel.js';

export const COMMAND_HEADERS = ['command', 'calls/s', 'calls', 'us/call', 'p99', 'fail'];

export function commandRows(state: TargetState, n = 40): string[][] {
  const s = state.snapshot;
  if (!s) return [];
  const rates = state.rates?.commandsPerSec ?? {};
  return Object.entries(s.info.commandstats)
    .sort((a, b) => (rates[b[0]] ?? 0) - (rates[a[0]] ?? 0) || b[1].calls - a[1].calls || a[0].localeCompare(b[0]))
    .slice(0, n)
    .map(([cmd, st]) => {
      const p99 = s.info.latencystats[cmd]?.['p99'];
      const failed = (st.failedCalls || 0) + (st.rejectedCalls || 0);
      return [cmd, compact(rates[cmd] ?? null), compact(st.calls), Number.isFinite(st.usecPerCall) ? st.usecPerCall.toFixed(1) : '-', p99 === undefined ? '-' : formatMicros(p99), compact(failed)];
    });
}

export function createCommandstats(place: Place): Panel {
  const table = placeTable(place, { row: 7, col: 5, rowSpan: 3, colSpan: 4 }, 'Commands', [12, 7, 7, 7, 6, 5]);
  return {
    title: 'Commands',
    widgets: [table],
    update(state) {
      const rows = commandRows(state);
      table.setData({ headers: COMMAND_HEADERS, data: rows.length ? rows : [['(none yet)', '', '', '', '', '']] });
    },
    scroll(lines) {
      table.rows.scroll(lines);
    },
  };
}
