// Findings as an operator reads them: worst first, each with its severity (coloured on a
// terminal), title and id, then the evidence and the advice indented beneath. The same block is
// used by `info` (all findings) and by `memory`, `latency` and `slowlog` (their area's findings).

import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import type { Finding, Severity } from '../../analyze/index.js';
import { S, type Tone } from './output.js';

const LABEL: Record<Severity, string> = { critical: 'CRITICAL', warning: 'WARNING ', info: 'INFO    ' };
const TONE: Record<Severity, Tone> = { critical: 'critical', warning: 'warning', info: 'info' };

/** "2 critical, 1 warning, 3 info" (only the non-zero ones); "no findings" when empty. */
export function findingCounts(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'no findings';
  const parts: string[] = [];
  for (const sev of ['critical', 'warning', 'info'] as const) {
    const n = findings.filter((f) => f.severity === sev).length;
    if (n > 0) parts.push(`${n} ${sev}`);
  }
  return parts.join(', ');
}

export function Findings(props: { findings: readonly Finding[]; empty?: string }): ReactNode {
  if (props.findings.length === 0) {
    return (
      <Box paddingLeft={2}>
        <S tone="good">{props.empty ?? 'Nothing to report: every rule that could judge is satisfied.'}</S>
      </Box>
    );
  }
  return (
    <Box flexDirection="column" paddingLeft={2}>
      {props.findings.map((f, i) => (
        <Box key={f.id} flexDirection="column" marginTop={i > 0 ? 1 : 0}>
          <Text>
            <S tone={TONE[f.severity]} bold>
              {LABEL[f.severity]}
            </S>
            {'  '}
            <S bold>{f.title}</S>
            {'  '}
            <S tone="muted">[{f.id}]</S>
          </Text>
          <Box paddingLeft={10} flexDirection="column">
            <Text>{f.evidence}</Text>
            <Text>
              <S tone="accent">→ </S>
              {f.advice}
            </Text>
          </Box>
        </Box>
      ))}
    </Box>
  );
}
