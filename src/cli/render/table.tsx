// A table for the one-shot reports: columns padded to their widest cell, numbers right-aligned,
// two spaces between columns, header in bold (on a terminal). Cells may carry a tone (a severity
// colour) without changing the layout. Widths are computed here, not by flexbox, so a row never
// wraps inside a cell and the plain-text form is identical to the coloured one minus the colour.

import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { S, type Tone } from './output.js';

export interface TableColumn {
  header: string;
  align?: 'left' | 'right';
}

export type Cell = string | { text: string; tone?: Tone; bold?: boolean };

const cellText = (c: Cell): string => (typeof c === 'string' ? c : c.text);
const width = (s: string): number => [...s].length;

function pad(s: string, w: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, w - width(s)));
  return align === 'right' ? fill + s : s + fill;
}

export function Table(props: { columns: TableColumn[]; rows: Cell[][]; indent?: number }): ReactNode {
  const { columns, rows } = props;
  const widths = columns.map((c, i) => Math.max(width(c.header), ...rows.map((r) => width(cellText(r[i] ?? '')))));
  const last = columns.length - 1;
  const render = (cells: Cell[], header: boolean): ReactNode[] =>
    columns.map((col, i) => {
      const c = cells[i] ?? '';
      // The last left-aligned column is not padded (no trailing blanks).
      const text = i === last && (col.align ?? 'left') === 'left' ? cellText(c) : pad(cellText(c), widths[i]!, col.align ?? 'left');
      const sep = i < last ? '  ' : '';
      if (header)
        return (
          <S key={i} bold tone="muted">
            {text + sep}
          </S>
        );
      const tone = typeof c === 'string' ? undefined : c.tone;
      const bold = typeof c === 'string' ? undefined : c.bold;
      return (
        <Text key={i}>
          <S tone={tone} bold={bold}>
            {text}
          </S>
          {sep}
        </Text>
      );
    });
  return (
    <Box flexDirection="column" paddingLeft={props.indent ?? 2}>
      <Text>{render(columns.map((c) => c.header), true)}</Text>
      {rows.map((r, i) => (
        <Text key={i}>{render(r, false)}</Text>
      ))}
    </Box>
  );
}
