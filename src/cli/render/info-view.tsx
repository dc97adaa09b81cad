// `redscope info` as text: per target a header (who the server is, how big, how busy), then the
// findings worst first, then what could not be read. Several targets are printed one after the
// other with a closing line that counts findings across them.

import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import type { Finding } from '../../analyze/index.js';
import { formatBytes } from '../../common/format.js';
import { Findings, findingCounts } from './findings.js';
import { S } from './output.js';
import { NotRead } from './partial.js';

export interface InfoSummary {
  usedBytes: number | null;
  maxmemoryBytes: number | null;
  keys: number;
  clients: number | null;
  uptimeSeconds: number | null;
  opsPerSec: number | null;
  hitRatio: number | null;
}

export interface InfoResult {
  target: string;
  bundled: boolean;
  server: { flavor: string; version: string; mode: string; role: string };
  node?: { id: string; role: string; slots: Array<[number, number]> };
  summary: InfoSummary;
  /** Seconds between the two snapshots rates come from; null with --no-rates. */
  intervalSeconds: number | null;
  findings: Finding[];
  notRead: string[];
}

export function uptime(seconds: number): string {
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 172_800) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

function summaryLine(s: InfoSummary): string {
  const parts: string[] = [];
  if (s.usedBytes !== null) parts.push(`${formatBytes(s.usedBytes)} used${s.maxmemoryBytes ? ` of maxmemory ${formatBytes(s.maxmemoryBytes)}` : s.maxmemoryBytes === 0 ? ' (no maxmemory)' : ''}`);
  parts.push(`${s.keys.toLocaleString('en-US')} keys`);
  if (s.clients !== null) parts.push(`${s.clients} client${s.clients === 1 ? '' : 's'}`);
  if (s.opsPerSec !== null) parts.push(`${s.opsPerSec.toFixed(s.opsPerSec < 10 ? 1 : 0)} ops/s`);
  if (s.hitRatio !== null) parts.push(`hit ratio ${(s.hitRatio * 100).toFixed(1)}%`);
  return parts.join(' · ');
}

export function InfoTarget(props: { r: InfoResult }): ReactNode {
  const r = props.r;
  const who = `${r.server.flavor} ${r.server.version} ${r.server.role}, ${r.server.mode}${r.summary.uptimeSeconds !== null ? `, up ${uptime(r.summary.uptimeSeconds)}` : ''}`;
  return (
    <Box flexDirection="column" marginBottom={1}>
      <Text>
        <S bold>{r.target}</S>
        <S tone="muted">{'  ' + who}</S>
      </Text>
      <Box paddingLeft={2}>
        <Text>{summaryLine(r.summary)}</Text>
      </Box>
      {r.node ? (
        <Box paddingLeft={2}>
          <S tone="muted">{`cluster node ${r.node.id.slice(0, 8)} (${r.node.role}${r.node.slots.length ? `, slots ${r.node.slots.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',')}` : ''})`}</S>
        </Box>
      ) : null}
      {r.intervalSeconds === null ? (
        <Box paddingLeft={2}>
          <S tone="muted">one snapshot (--no-rates): rules that need rates were skipped</S>
        </Box>
      ) : null}
      <Box marginTop={1} flexDirection="column">
        <Findings findings={r.findings} />
      </Box>
      <NotRead lines={r.notRead} consequence="Rules that need what could not be read stayed silent." />
      <Box paddingLeft={2} marginTop={1}>
        <S tone="muted">{findingCounts(r.findings)}</S>
      </Box>
    </Box>
  );
}

export function InfoView(props: { results: InfoResult[] }): ReactNode {
  const all = props.results.flatMap((r) => r.findings);
  return (
    <Box flexDirection="column">
      {props.results.map((r) => (
        <InfoTarget key={r.target} r={r} />
      ))}
      {props.results.length > 1 ? <S bold>{`${props.results.length} targets: ${findingCounts(all)}`}</S> : null}
    </Box>
  );
}
