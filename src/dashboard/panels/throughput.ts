// Throughput: total ops/s over time with the busiest commands beside it (from commandstats
// deltas, so no MONITOR is needed), and the keyspace hit ratio of the last interval.

import contrib from 'blessed-contrib';
import type { Point, TargetState } from '../poller.js';
import { TOP_COMMANDS } from '../poller.js';
import { compact, drawLine, pct, visible, type Panel, type Place } from './panel.js';

const COLORS = ['white', 'green', 'magenta', 'cyan'];

/** The commands with the most calls over the given points, busiest first. */
export function topCommands(points: Point[], n = TOP_COMMANDS): string[] {
  const sum: Record<string, number> = {};
  for (const p of points) for (const [cmd, r] of Object.entries(p.commandsPerSec)) sum[cmd] = (sum[cmd] ?? 0) + r;
  return Object.entries(sum)
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, n)
    .map(([cmd]) => cmd);
}

/** "1.2k ops/s · hit 97.1%": the panel's headline, also printed by --once. */
export function throughputHeadline(state: TargetState): string {
  const last = state.history[state.history.length - 1];
  return `${compact(last?.opsPerSec)} ops/s · hit ${pct(last?.hitRatio)}`;
}

export function createThroughput(place: Place): Panel {
  const chart = place({ row: 0, col: 0, rowSpan: 4, colSpan: 5 }, contrib.line, {
    label: ' Throughput ',
    showLegend: true,
    legend: { width: 14 },
    style: { line: 'white', text: 'green', baseline: 'black' },
    xLabelPadding: 3,
    xPadding: 5,
    abbreviate: true,
  } as contrib.Widgets.LineOptions);
  return {
    title: 'Throughput',
    widgets: [chart],
    update(state) {
      const points = visible(state.history, chart.width as number);
      const top = topCommands(points);
      chart.setLabel(` Throughput  ${throughputHeadline(state)} `);
      drawLine(chart, points, [
        { title: 'ops/s', color: COLORS[0]!, values: points.map((p) => p.opsPerSec) },
        ...top.map((cmd, i) => ({ title: cmd, color: COLORS[i + 1]!, values: points.map((p) => p.commandsPerSec[cmd] ?? 0) })),
      ]);
    },
  };
}
