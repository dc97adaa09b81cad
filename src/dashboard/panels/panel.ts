// What every panel shares: the Panel shape the screen drives (create on the grid, update from a
// TargetState, reset), the grid-placing function, and the little number formatters and chart
// helpers panels and the plain-text --once output use, so a value reads the same in both.

import type { Widgets } from 'blessed';
import contrib from 'blessed-contrib';
import { formatBytes } from '../../common/format.js';
import type { Point, TargetState } from '../poller.js';

/** A cell of the 12×12 grid. */
export interface Cell {
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
}

/** Places a widget on the grid (the grid adds position, size and border). */
export type Place = <O, T>(cell: Cell, factory: (opts: O) => T, opts: O) => T;

export interface Panel {
  /** The title shown in the border; tests look for it. */
  readonly title: string;
  /** The bordered widgets Tab moves focus between (the first one is the panel's main widget). */
  readonly widgets: Widgets.BoxElement[];
  update(state: TargetState): void;
  /** Scrolls the panel's content, when it has more than it shows. */
  scroll?(lines: number): void;
}

export type PanelFactory = (place: Place) => Panel;

/** blessed-contrib's table as the panels use it (its shipped typings miss `rows`). */
export interface TableWidget extends Widgets.BoxElement {
  setData(table: { headers: string[]; data: string[][] }): void;
  /** The list of rows under the header line. */
  rows: Widgets.ListElement;
}

/** A non-interactive table with fixed column widths (contrib pads columnSpacing − 1 blanks between them). */
export function placeTable(place: Place, cell: Cell, label: string, columnWidth: number[]): TableWidget {
  const factory = contrib.table as unknown as (o: object) => TableWidget;
  const table = place(cell, factory, { label: ` ${label} `, wrap: false, keys: false, interactive: false, fg: 'white', columnSpacing: 2, columnWidth });
  const setData = table.setData.bind(table);
  const fit = (cell: string, i: number): string => {
    const w = columnWidth[i] ?? cell.length;
    return cell.length > w ? `${cell.slice(0, Math.max(1, w - 1))}…` : cell;
  };
  table.setData = (d) => {
    // contrib cuts a long cell without leaving a blank before the next column: cut it here instead
    setData({ headers: d.headers, data: d.data.map((row) => row.map(fit)) });
    // contrib draws the rows one column to the right of the header line: shift the header to match
    table.setContent(` ${(table as unknown as { content: string }).content}`);
  };
  return table;
}

/** 1234 → "1.2k"; 0.5 → "0.5"; null → "-". */
export function compact(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '-';
  const a = Math.abs(n);
  if (a >= 1e9) return `${(n / 1e9).toFixed(1)}G`;
  if (a >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (a >= 1e4) return `${(n / 1e3).toFixed(0)}k`;
  if (a >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  if (a >= 100 || Number.isInteger(n)) return n.toFixed(0);
  return n.toFixed(1);
}

export function bytes(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? '-' : formatBytes(n);
}

export function perSec(n: number | null | undefined, unit = '/s'): string {
  return n === null || n === undefined ? '-' : `${compact(n)}${unit}`;
}

export function bytesPerSec(n: number | null | undefined): string {
  return n === null || n === undefined ? '-' : `${formatBytes(Math.round(n))}/s`;
}

export function pct(ratio: number | null | undefined): string {
  return ratio === null || ratio === undefined || !Number.isFinite(ratio) ? '-' : `${(ratio * 100).toFixed(1)}%`;
}

export function ms(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '-';
  return n < 10 ? `${n.toFixed(2)}ms` : `${n.toFixed(0)}ms`;
}

/** Seconds → "3d4h", "2h05m", "4m10s", "12s". */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '-';
  const s = Math.floor(seconds);
  if (s >= 86400) return `${Math.floor(s / 86400)}d${Math.floor((s % 86400) / 3600)}h`;
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/** Escapes blessed tag braces in text that comes from the server. */
export function esc(text: string): string {
  return text.replace(/[{}]/g, (c) => (c === '{' ? '{open}' : '{close}'));
}

export interface Series {
  title: string;
  color: string;
  values: Array<number | null>;
}

/** The last `max` points of a history (what fits the chart's width). */
export function visible(history: Point[], max: number): Point[] {
  return history.slice(-Math.max(2, max));
}

/**
 * Draws series on a blessed-contrib line chart. The widget divides by its maximum, so an all-zero
 * chart gets a maximum of 1; nulls draw as 0; an empty history draws one flat point.
 */
export function drawLine(chart: contrib.Widgets.LineElement, points: Point[], series: Series[], scale = 1): void {
  if (!(chart as unknown as { ctx?: unknown }).ctx) return; // not attached yet (first render)
  const labels = points.length ? points.map((p) => clockShort(p.t)) : [''];
  let max = 0;
  const data = series.map((s) => {
    const y = (s.values.length ? s.values : [0]).map((v) => (v === null || !Number.isFinite(v) ? 0 : v / scale));
    for (const v of y) if (v > max) max = v;
    return { title: s.title, x: labels, y, style: { line: s.color } };
  });
  chart.options.maxY = max > 0 ? max * 1.15 : 1;
  chart.setData(data);
}

function clockShort(t: number): string {
  const d = new Date(t);
  return `${String(d.getMinutes()).padStart(2, '0')}:${String(d.getSeconds()).padStart(2, '0')}`;
}

/** Blessed colours for analyzer severities. */
export const SEVERITY_COLOR = { critical: 'red', warning: 'yellow', info: 'cyan' } as const;
