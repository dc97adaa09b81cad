// `redscope keys` as text: what was scanned, the biggest key per type by length (as redis-cli
// --bigkeys reports it) and by memory (--memkeys), the top keys by memory, hot keys under an LFU
// policy (--hotkeys), per-type totals, the prefixes that hold the keys and the memory, and the
// share of keys without a TTL.

import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import type { KeyRef, KeysReportResult } from '../../analyze/keys.js';
import { formatBytes } from '../../common/format.js';
import { Heading, S } from './output.js';
import { printable } from './slowlog-view.js';
import { Table } from './table.js';

export interface KeysResult extends KeysReportResult {
  target: string;
  /** Cluster nodes sampled (masters), when --cluster. */
  nodes?: string[];
  /** Keys in the database(s) when the scan started (DBSIZE). */
  dbsize: number | null;
  /** Biggest key per type by MEMORY USAGE (what --memkeys reports). */
  biggestByMemory: Record<string, KeyRef>;
  hotKeys: boolean;
  seconds: number;
  interrupted: boolean;
  notes: string[];
}

/** What a type's length counts, as redis-cli words it. */
export const UNIT: Record<string, string> = { string: 'bytes', list: 'items', set: 'members', zset: 'members', hash: 'fields', stream: 'entries' };

const mem = (n: number | null): string => (n === null ? '?' : formatBytes(n));
const len = (k: KeyRef): string => (k.length === null ? '?' : `${k.length.toLocaleString('en-US')} ${UNIT[k.type] ?? ''}`.trim());
const ttl = (ms: number): string => (ms < 0 ? 'none' : ms < 1000 ? `${ms}ms` : ms < 120_000 ? `${Math.round(ms / 1000)}s` : ms < 7_200_000 ? `${Math.round(ms / 60_000)}m` : `${Math.round(ms / 3_600_000)}h`);

export function KeysTarget(props: { r: KeysResult }): ReactNode {
  const r = props.r;
  const types = Object.keys(r.biggest).sort();
  const totalMem = Object.values(r.types).reduce((a, t) => a + t.memoryBytes, 0);
  return (
    <Box flexDirection="column" marginBottom={1}>
      <Text>
        <S bold>{r.target}</S>
        <S tone="muted">
          {`  scanned ${r.scanned.toLocaleString('en-US')} key${r.scanned === 1 ? '' : 's'}${r.dbsize !== null ? ` of ${r.dbsize.toLocaleString('en-US')}` : ''} in ${r.seconds.toFixed(1)} s${r.nodes ? ` on ${r.nodes.length} master node(s)` : ''}${r.interrupted ? ' (interrupted: partial)' : ''}`}
        </S>
      </Text>
      {r.notes.map((n, i) => (
        <Box key={i} paddingLeft={2}>
          <S tone="warning">{n}</S>
        </Box>
      ))}
      {r.scanned === 0 ? (
        <Box paddingLeft={2}>
          <S tone="muted">No keys.</S>
        </Box>
      ) : (
        <>
          <Heading>Biggest key per type</Heading>
          <Table
            columns={[{ header: 'type' }, { header: 'by length', align: 'right' }, { header: 'key' }, { header: 'by memory', align: 'right' }, { header: 'key' }]}
            rows={types.map((t) => {
              const bl = r.biggest[t]!;
              const bm = r.biggestByMemory[t];
              return [t, len(bl), printable(bl.key), bm ? mem(bm.memoryBytes) : '?', bm ? printable(bm.key) : ''];
            })}
          />
          <Heading>Top keys by memory</Heading>
          <Table
            columns={[{ header: 'memory', align: 'right' }, { header: 'type' }, { header: 'length', align: 'right' }, { header: 'ttl', align: 'right' }, { header: 'key' }]}
            rows={r.top.map((k) => [mem(k.memoryBytes), k.type, len(k), ttl(k.ttlMs), printable(k.key)])}
          />
          {r.hot.length > 0 ? (
            <>
              <Heading>Hot keys (LFU counter, logarithmic 0–255)</Heading>
              <Table columns={[{ header: 'freq', align: 'right' }, { header: 'type' }, { header: 'key' }]} rows={r.hot.map((k) => [String(k.freq ?? ''), k.type, printable(k.key)])} />
            </>
          ) : null}
          <Heading>Types</Heading>
          <Table
            columns={[{ header: 'type' }, { header: 'keys', align: 'right' }, { header: 'share', align: 'right' }, { header: 'avg length', align: 'right' }, { header: 'memory', align: 'right' }]}
            rows={Object.entries(r.types)
              .sort((a, b) => b[1].memoryBytes - a[1].memoryBytes || b[1].keys - a[1].keys)
              .map(([t, v]) => [t, v.keys.toLocaleString('en-US'), `${((100 * v.keys) / r.scanned).toFixed(1)}%`, `${(v.totalLength / v.keys).toFixed(1)} ${UNIT[t] ?? ''}`.trim(), formatBytes(v.memoryBytes)])}
          />
          {r.prefixes.length > 0 ? (
            <>
              <Heading>Prefixes</Heading>
              <Table
                columns={[{ header: 'prefix' }, { header: 'keys', align: 'right' }, { header: 'memory', align: 'right' }, { header: 'share', align: 'right' }, { header: 'no ttl', align: 'right' }]}
                rows={r.prefixes.map((p) => [
                  p.prefix === null ? `${'  '.repeat(p.depth - 1)}(other)` : `${'  '.repeat(p.depth - 1)}${printable(p.prefix)}`,
                  p.keys.toLocaleString('en-US'),
                  formatBytes(p.memoryBytes),
                  totalMem > 0 ? `${((100 * p.memoryBytes) / totalMem).toFixed(1)}%` : '',
                  p.noTtlKeys.toLocaleString('en-US'),
                ])}
              />
            </>
          ) : null}
          <Box paddingLeft={2} marginTop={1}>
            <Text>{`Keys without TTL: ${r.noTtlKeys.toLocaleString('en-US')} (${r.noTtlPercent.toFixed(1)}%)`}</Text>
          </Box>
        </>
      )}
    </Box>
  );
}

export function KeysView(props: { results: KeysResult[] }): ReactNode {
  return (
    <Box flexDirection="column">
      {props.results.map((r) => (
        <KeysTarget key={r.target} r={r} />
      ))}
    </Box>
  );
}
