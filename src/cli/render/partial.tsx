// The "Partial report: could not read" block every report ends with when a probe was refused or
// failed (the lines come from not-read.ts), so a partial report never looks complete.

import { Box } from 'ink';
import type { ReactNode } from 'react';
import { S } from './output.js';

export function NotRead(props: { lines: string[]; consequence?: string }): ReactNode {
  if (props.lines.length === 0) return null;
  return (
    <Box flexDirection="column" marginTop={1} paddingLeft={2}>
      <S tone="warning">Partial report: could not read</S>
      {props.lines.map((l, i) => (
        <S key={i} tone="warning">
          {'  - ' + l}
        </S>
      ))}
      {props.consequence ? <S tone="muted">{props.consequence}</S> : null}
    </Box>
  );
}
