// `redscope slowlog` as text: what the log holds and over which span, the command shapes that cost
// the most time (count, total, mean, p99, max), the anti-patterns found with what to do about
// them, the clients behind the slow calls, and the slow-log findings.

import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import type { Finding, SlowlogReport } from '../../analyze/index.js';
import { formatMicros } from '../../common/format.js';
import { Findings } from './findings.js';
import { Heading, S } from './output.js';
import { NotRead } from './partial.js';
import { Table } from './table.js';

export interface SlowlogResult extends SlowlogReport {
  target: string;
  /** SLOWLOG LEN: entries the server holds (may exceed what was read). */
  length: number;
  config: { slowerThanUs: number | null; maxLen: number | null };
  findings: Finding[];
  notRead: string[];
}

/** Bytes that would upset a terminal shown as \xNN. */
export function printable(s: string): string {
  return s.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function clock(unixSec: number): string {
  return new Date(unixSec * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function SlowlogTarget(props: { r: SlowlogResult; top: number }): ReactNode {
  const r = props.r;
  const conf =
    r.config.slowerThanUs === null
      ? ''
      : r.config.slowerThanUs < 0
        ? ' · slow log disabled (slowlog-log-slower-than < 0)'
        : ` · logs commands over ${formatMicros(r.config.slowerThanUs)}${r.config.maxLen !== null ? `, keeps ${r.config.maxLen}` : ''}`;
  const span = r.firstSeen !== null && r.lastSeen !== null ? ` · ${clock(r.firstSeen)} → ${clock(r.lastSeen)}` : '';
  const groups = r.groups.slice(0, props.top);
  return (
    <Box flexDirection="column" marginBottom={1}>
      <Text>
        <S bold>{r.target}</S>
        <S tone="muted">{`  ${r.count} of ${r.length} entr${r.length === 1 ? 'y' : 'ies'} read, ${formatMicros(r.totalUs)} in total${conf}${span}`}</S>
      </Text>
      {r.count === 0 ? (
        <Box paddingLeft={2}>
          <S tone="good">The slow log is empty.</S>
        </Box>
      ) : (
        <>
          <Heading>{`Command shapes by total time${r.groups.length > groups.length ? ` (top ${groups.length} of ${r.groups.length})` : ''}`}</Heading>
          <Table
            columns={[
              { header: 'count', align: 'right' },
              { header: 'total', align: 'right' },
              { header: 'mean', align: 'right' },
              { header: 'p99', align: 'right' },
              { header: 'max', align: 'right' },
              { header: 'pattern' },
            ]}
            rows={groups.map((g) => [
              String(g.count),
              formatMicros(g.totalUs),
              formatMicros(g.meanUs),
              formatMicros(g.p99Us),
              { text: formatMicros(g.maxUs), tone: g.maxUs >= 100_000 ? 'critical' : g.maxUs >= 10_000 ? 'warning' : undefined },
              { text: printable(g.pattern) + (g.antiPatterns.length ? `  (${g.antiPatterns.join(', ')})` : ''), tone: g.antiPatterns.length ? 'warning' : undefined },
            ])}
          />
        </>
      )}
      {r.antiPatterns.length > 0 ? (
        <>
          <Heading>Anti-patterns</Heading>
          <Box flexDirection="column" paddingLeft={2}>
            {r.antiPatterns.map((a) => (
              <Box key={a.id} flexDirection="column">
                <Text>
                  <S tone="warning" bold>
                    {a.title}
                  </S>
                  {`  ${a.count}× [${a.id}]`}
                </Text>
                <Box paddingLeft={4} flexDirection="column">
                  <S tone="muted">{a.patterns.slice(0, 3).map(printable).join('; ') + (a.patterns.length > 3 ? '; …' : '')}</S>
                  <Text>
                    <S tone="accent">→ </S>
                    {a.advice}
                  </Text>
                </Box>
              </Box>
            ))}
          </Box>
        </>
      ) : null}
      {r.count > 0 ? (
        <>
          <Heading>Clients</Heading>
          <Table
            columns={[{ header: 'address' }, { header: 'calls', align: 'right' }, { header: 'total', align: 'right' }]}
            rows={r.clients.byAddress.slice(0, 5).map((c) => [c.client || '(unknown)', String(c.count), formatMicros(c.totalUs)])}
          />
          {r.clients.byName.some((c) => c.client !== '') ? (
            <Box marginTop={1} flexDirection="column">
              <Table
                columns={[{ header: 'client name' }, { header: 'calls', align: 'right' }, { header: 'total', align: 'right' }]}
                rows={r.clients.byName.slice(0, 5).map((c) => [c.client || '(unnamed)', String(c.count), formatMicros(c.totalUs)])}
              />
            </Box>
          ) : null}
        </>
      ) : null}
      {r.findings.length > 0 ? (
        <>
          <Heading>Findings</Heading>
          <Findings findings={r.findings} />
        </>
      ) : null}
      <NotRead lines={r.notRead} />
    </Box>
  );
}

export function SlowlogView(props: { results: SlowlogResult[]; top: number }): ReactNode {
  return (
    <Box flexDirection="column">
      {props.results.map((r) => (
        <SlowlogTarget key={r.target} r={r} top={props.top} />
      ))}
    </Box>
  );
}
