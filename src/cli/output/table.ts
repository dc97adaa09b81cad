// Plain-text tables for the one-shot reports: columns padded to their widest cell, numbers
// right-aligned, nothing but spaces (the output pastes cleanly into tickets and chat). Also the
// number formats every text report shares: thousands separators and human bytes.

import { formatBytes } from '../../common/format.js';

export type Align = 'left' | 'right';

export interface Column {
  header: string;
  align?: Align;
}

/** Visible width (code points; wide CJK counts as one, which is close enough for keys). */
function width(s: string): number {
  return [...s].length;
}

function pad(s: string, w: number, align: Align): string {
  const fill = ' '.repeat(Math.max(0, w - width(s)));
  return align === 'right' ? fill + s : s + fill;
}

/** Rows of cells under headers, indented by `indent` spaces; trailing spaces trimmed. */
export function renderTable(columns: Column[], rows: string[][], indent = 2): string {
  const widths = columns.map((c, i) => Math.max(width(c.header), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) =>
    ' '.repeat(indent) +
    cells
      .map((c, i) => pad(c, widths[i]!, columns[i]!.align ?? 'left'))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...rows.map(line)].join('\n') + '\n';
}

/** 1234567 -> "1,234,567". */
export function num(n: number): string {
  return n.toLocaleString('en-US');
}

/** Bytes for people: "512B", "1.50KiB". */
export function bytes(n: number): string {
  return formatBytes(n);
}

/** A section heading. */
export function heading(title: string): string {
  return `\n${title}\n`;
}
