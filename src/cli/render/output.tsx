// How the one-shot reports reach the terminal: an ink element rendered once to a string and
// written to stdout. Colour (and bold/dim) only when stdout is a terminal and NO_COLOR is unset
// (https://no-color.org); otherwise the same layout in plain text with no escape codes, so the
// output pastes cleanly into tickets and pipes into grep. Also the small pieces every report view
// uses: a styled text that drops its style without colour, headings, label/value lines.

import { Box, Text, renderToString } from 'ink';
import { createContext, useContext, type ReactNode } from 'react';

/** Whether styled output belongs on this stream. */
export function colorEnabled(stream: NodeJS.WriteStream = process.stdout): boolean {
  const noColor = process.env['NO_COLOR'];
  return stream.isTTY === true && (noColor === undefined || noColor === '');
}

const ColorContext = createContext(false);

export function useColor(): boolean {
  return useContext(ColorContext);
}

const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

/** Renders a view to text: styled for a terminal, plain otherwise; trailing spaces trimmed. */
export function viewToString(node: ReactNode, opts: { color: boolean; columns?: number }): string {
  // Off a terminal lines may be as long as they need: no wrapping inside table rows.
  const columns = opts.columns ?? 1000;
  let out = renderToString(<ColorContext.Provider value={opts.color}>{node}</ColorContext.Provider>, { columns });
  if (!opts.color) out = out.replace(ANSI, '');
  return out
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .replace(/\n+$/, '');
}

/** Writes a view to stdout followed by a newline. */
export function printView(node: ReactNode): void {
  const color = colorEnabled();
  const columns = process.stdout.isTTY ? Math.max(60, process.stdout.columns || 100) : undefined;
  process.stdout.write(viewToString(node, { color, columns }) + '\n');
}

export type Tone = 'critical' | 'warning' | 'info' | 'good' | 'muted' | 'accent';

const TONE_COLOR: Record<Tone, string> = {
  critical: 'red',
  warning: 'yellow',
  info: 'cyan',
  good: 'green',
  muted: 'gray',
  accent: 'blue',
};

/** Text with an optional tone and weight; plain when colour is off. */
export function S(props: { tone?: Tone; bold?: boolean; children?: ReactNode }): ReactNode {
  const color = useColor();
  if (!color) return <Text>{props.children}</Text>;
  return (
    <Text color={props.tone ? TONE_COLOR[props.tone] : undefined} bold={props.bold}>
      {props.children}
    </Text>
  );
}

/** A section title with a blank line above it. */
export function Heading(props: { children: ReactNode }): ReactNode {
  return (
    <Box marginTop={1}>
      <S bold tone="accent">
        {props.children}
      </S>
    </Box>
  );
}

/** Aligned "label  value" lines. */
export function Facts(props: { rows: Array<[string, ReactNode]>; indent?: number }): ReactNode {
  const w = Math.max(0, ...props.rows.map(([k]) => k.length));
  return (
    <Box flexDirection="column" paddingLeft={props.indent ?? 2}>
      {props.rows.map(([k, v], i) => (
        <Box key={i}>
          <Box width={w + 2} flexShrink={0}>
            <S tone="muted">{k}</S>
          </Box>
          <Text>{v}</Text>
        </Box>
      ))}
    </Box>
  );
}

/** Lines of plain text, indented. */
export function Lines(props: { lines: string[]; indent?: number; tone?: Tone }): ReactNode {
  return (
    <Box flexDirection="column" paddingLeft={props.indent ?? 2}>
      {props.lines.map((l, i) => (
        <S key={i} tone={props.tone}>
          {l}
        </S>
      ))}
    </Box>
  );
}
