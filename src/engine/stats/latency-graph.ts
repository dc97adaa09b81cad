// LATENCY GRAPH's picture (Redis's sparkline.c as latency.c drives it): a title line with the
// high, low and all-time-high latencies, a rule of 80 dashes, then a four-row ASCII sparkline of
// the samples, oldest on the left, filled under the curve, with each column labelled vertically by
// the sample's age ("12s", "3m", "2h", "1d"). More than 80 samples wrap into further blocks.
// Tools diff this text against Redis's, so the geometry (steps, rounding, label rows) is Redis's.

import type { LatencySeries } from './latency-monitor.js';

const GRAPH_COLS = 80;
const GRAPH_ROWS = 4;
/** Characters for the three heights inside one row, filled style; a full cell below the top is '|'. */
const FILL = ['_', 'o', '#'] as const;
/** Blank rows between the graph and the labels. */
const LABEL_MARGIN_TOP = 1;

interface Point {
  value: number;
  label: string;
}

/** A sample's age as Redis labels it: seconds, minutes, hours or days, whole units. */
export function ageLabel(elapsedSec: number): string {
  if (elapsedSec < 60) return `${elapsedSec}s`;
  if (elapsedSec < 3600) return `${Math.trunc(elapsedSec / 60)}m`;
  if (elapsedSec < 86400) return `${Math.trunc(elapsedSec / 3600)}h`;
  return `${Math.trunc(elapsedSec / 86400)}d`;
}

/** The whole LATENCY GRAPH text for one event. */
export function latencyGraph(event: string, series: LatencySeries, nowSec: number): string {
  const points: Point[] = [];
  let min = 0;
  let max = 0;
  for (const s of series.history()) {
    if (points.length === 0) min = max = s.latency;
    else {
      if (s.latency > max) max = s.latency;
      if (s.latency < min) min = s.latency;
    }
    points.push({ value: s.latency, label: ageLabel(nowSec - s.time) });
  }
  let out = `${event} - high ${max} ms, low ${min} ms (all time high ${series.max} ms)\n`;
  out += '-'.repeat(GRAPH_COLS) + '\n';
  return out + renderSparkline(points, min, max);
}

/** sparklineRender: the points in blocks of at most 80 columns, blocks separated by a blank line. */
function renderSparkline(points: Point[], min: number, max: number): string {
  let out = '';
  for (let j = 0; j < points.length; j += GRAPH_COLS) {
    if (j !== 0) out += '\n';
    out += renderBlock(points.slice(j, j + GRAPH_COLS), min, max);
  }
  return out;
}

/** sparklineRenderRange: one block of columns, graph rows first, then the vertical labels. */
function renderBlock(points: Point[], min: number, max: number): string {
  const range = max - min || 1;
  const steps = FILL.length * GRAPH_ROWS;
  const heights = points.map((p) => {
    const step = Math.trunc(Math.trunc((p.value - min) * steps) / range);
    return Math.min(Math.max(step, 0), steps - 1);
  });
  const lines: string[] = [];
  for (let row = 0; row < GRAPH_ROWS; row++) {
    let line = '';
    for (const h of heights) {
      const idx = h - (GRAPH_ROWS - row - 1) * FILL.length;
      line += idx >= 0 && idx < FILL.length ? FILL[idx] : idx >= FILL.length ? '|' : ' ';
    }
    lines.push(line);
  }
  // Every point has a label, so a blank margin row comes first, then one row per label character.
  const blank = ' '.repeat(points.length);
  for (let i = 0; i < LABEL_MARGIN_TOP; i++) lines.push(blank);
  const longest = Math.max(0, ...points.map((p) => p.label.length));
  for (let c = 0; c < longest; c++) lines.push(points.map((p) => p.label[c] ?? ' ').join(''));
  return lines.map((l) => l + '\n').join('');
}
