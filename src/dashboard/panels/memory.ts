// Memory: used / RSS / peak / maxmemory over time, the fragmentation ratio as a gauge with the
// analyzer's verdict (fragmentationReport, the same words `redscope memory` prints), and how many
// keys leave per second by eviction and by expiry.

import blessed from 'blessed';
import contrib from 'blessed-contrib';
import { fragmentationReport, type FragmentationVerdict } from '../../analyze/index.js';
import type { TargetState } from '../poller.js';
import { bytes, drawLine, perSec, visible, type Panel, type Place } from './panel.js';

const MiB = 1024 * 1024;

/** How each verdict is coloured and worded on the gauge. */
const VERDICT: Record<FragmentationVerdict, { color: string; words: string }> = {
  healthy: { color: 'green', words: 'healthy' },
  fragmented: { color: 'red', words: 'fragmented' },
  'rss-overhead': { color: 'yellow', words: 'RSS overhead' },
  'too-small-to-judge': { color: 'white', words: 'too small' },
};

/** The memory numbers as label/value lines (the side box and --once). */
export function memoryLines(state: TargetState): Array<[string, string]> {
  const p = state.history[state.history.length - 1];
  const policy = state.snapshot?.info.fields['maxmemory_policy'] ?? '-';
  return [
    ['used', bytes(p?.usedBytes)],
    ['rss', bytes(p?.rssBytes)],
    ['peak', bytes(p?.peakBytes)],
    ['maxmemory', p?.maxmemoryBytes ? `${bytes(p.maxmemoryBytes)} (${policy})` : `none (${policy})`],
    ['evicted', perSec(p?.evictedPerSec)],
    ['expired', perSec(p?.expiredPerSec)],
  ];
}

/** Fragmentation ratio and the analyzer's verdict, or null before the first snapshot. */
export function fragmentation(state: TargetState): { ratio: number | null; verdict: FragmentationVerdict } | null {
  if (!state.snapshot) return null;
  try {
    const f = fragmentationReport(state.snapshot).fragmentation;
    return { ratio: f.ratio, verdict: f.verdict };
  } catch {
    return null;
  }
}

export function createMemory(place: Place): Panel {
  const chart = place({ row: 0, col: 5, rowSpan: 4, colSpan: 4 }, contrib.line, {
    label: ' Memory (MiB) ',
    showLegend: true,
    legend: { width: 12 },
    style: { line: 'yellow', text: 'green', baseline: 'black' },
    xLabelPadding: 3,
    xPadding: 5,
  } as contrib.Widgets.LineOptions);
  const gauge = place({ row: 0, col: 9, rowSpan: 2, colSpan: 3 }, contrib.gauge, {
    label: ' Fragmentation ',
    stroke: 'green',
    fill: 'white',
    showLabel: false,
  } as unknown as contrib.Widgets.GaugeOptions);
  const box = place({ row: 2, col: 9, rowSpan: 2, colSpan: 3 }, blessed.box, { label: ' Memory now ', tags: true });
  return {
    title: 'Memory',
    widgets: [chart, gauge, box],
    update(state) {
      const points = visible(state.history, chart.width as number);
      const hasMax = points.some((p) => (p.maxmemoryBytes ?? 0) > 0);
      drawLine(
        chart,
        points,
        [
          { title: 'used', color: 'yellow', values: points.map((p) => p.usedBytes) },
          { title: 'rss', color: 'cyan', values: points.map((p) => p.rssBytes) },
          { title: 'peak', color: 'magenta', values: points.map((p) => p.peakBytes) },
          ...(hasMax ? [{ title: 'maxmemory', color: 'red', values: points.map((p) => p.maxmemoryBytes) }] : []),
        ],
        MiB,
      );
      const f = fragmentation(state);
      const v = f ? VERDICT[f.verdict] : null;
      gauge.setLabel(f ? ` Fragmentation ${f.ratio === null ? '-' : f.ratio.toFixed(2)} · ${v!.words} ` : ' Fragmentation ');
      gauge.options.stroke = v?.color ?? 'white';
      if ((gauge as unknown as { ctx?: unknown }).ctx) gauge.setPercent(Math.max(0.001, Math.min(1, (f?.ratio ?? 0) / 3)));
      const lines = memoryLines(state).map(([k, val]) => `{bold}${k.padEnd(10)}{/bold}${val}`);
      // evicted and expired share the last line, so all fit in the small box
      box.setContent([...lines.slice(0, 4), `${lines[4]}  ${lines[5]}`].join('\n'));
    },
  };
}
