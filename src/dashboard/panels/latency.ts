// Latency: client-side PING round trips sampled between polls (p50/p99 per interval, the latency
// an application really sees, network included), the server's latency-monitor events (LATENCY
// LATEST) and the slowest commands by p99 (INFO latencystats, else LATENCY HISTOGRAM).

import blessed from 'blessed';
import contrib from 'blessed-contrib';
import { latencyReport, type CommandLatency } from '../../analyze/index.js';
import { formatMicros } from '../../common/format.js';
import { clock, type TargetState } from '../poller.js';
import { drawLine, esc, ms, visible, type Panel, type Place } from './panel.js';

/** Commands listed under "slowest". */
const SLOWEST = 5;

/** Slowest commands by p99 (then p50), from the analyzer's latency report. */
export function slowestCommands(state: TargetState, n = SLOWEST): CommandLatency[] {
  if (!state.snapshot) return [];
  try {
    return latencyReport(state.snapshot)
      .commands.filter((c) => c.p99Us !== null || c.p50Us !== null)
      .sort((a, b) => (b.p99Us ?? 0) - (a.p99Us ?? 0) || (b.p50Us ?? 0) - (a.p50Us ?? 0) || a.command.localeCompare(b.command))
      .slice(0, n);
  } catch {
    return [];
  }
}

/** The text of the events/commands box, one line each (also printed by --once). */
export function latencyLines(state: TargetState): string[] {
  const out: string[] = [];
  const p = state.history[state.history.length - 1];
  out.push(`PING p50 ${ms(p?.pingP50Ms)}  p99 ${ms(p?.pingP99Ms)}`);
  const latest = state.snapshot?.latency?.latest ?? [];
  if (state.snapshot && !state.snapshot.capabilities.latency) out.push('events: LATENCY not available');
  else if (latest.length === 0) {
    const threshold = state.snapshot?.config['latency-monitor-threshold'];
    out.push(threshold === '0' ? 'events: none (latency-monitor-threshold is 0)' : 'events: none');
  } else {
    out.push('events (latest / max):');
    for (const e of [...latest].sort((a, b) => b.latestTime - a.latestTime).slice(0, 4)) {
      out.push(`  ${e.event.padEnd(18)} ${String(e.latestMs).padStart(5)}ms ${String(e.maxMs).padStart(5)}ms  ${clock(e.latestTime * 1000)}`);
    }
  }
  const slow = slowestCommands(state);
  if (slow.length) {
    out.push('slowest commands (p50 / p99):');
    for (const c of slow) {
      out.push(`  ${c.command.padEnd(18)} ${(c.p50Us === null ? '-' : formatMicros(c.p50Us)).padStart(7)} ${(c.p99Us === null ? '-' : formatMicros(c.p99Us)).padStart(7)}`);
    }
  }
  return out;
}

export function createLatency(place: Place): Panel {
  const chart = place({ row: 4, col: 3, rowSpan: 3, colSpan: 4 }, contrib.line, {
    label: ' Latency (PING ms) ',
    showLegend: true,
    legend: { width: 8 },
    style: { line: 'green', text: 'green', baseline: 'black' },
    xLabelPadding: 3,
    xPadding: 5,
  } as contrib.Widgets.LineOptions);
  const box = place({ row: 4, col: 7, rowSpan: 3, colSpan: 5 }, blessed.box, {
    label: ' Latency events · slowest commands ',
    tags: true,
    wrap: false,
    scrollable: true,
    alwaysScroll: true,
  });
  return {
    title: 'Latency',
    widgets: [chart, box],
    update(state) {
      const points = visible(state.history, chart.width as number);
      drawLine(chart, points, [
        { title: 'p50', color: 'green', values: points.map((p) => p.pingP50Ms) },
        { title: 'p99', color: 'red', values: points.map((p) => p.pingP99Ms) },
      ]);
      box.setContent(latencyLines(state).map(esc).join('\n'));
    },
    scroll(lines) {
      box.scroll(lines);
    },
  };
}
