// `redscope memory` as text: the headline numbers (used, RSS, peak, dataset, overhead,
// maxmemory), the fragmentation verdict with its evidence and advice, allocator ratios, MEMORY
// DOCTOR's flags, the active-defrag outlook, where used_memory goes, bytes per key, and the memory
// findings.

import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import type { Finding, FragmentationVerdict, MemoryReport } from '../../analyze/index.js';
import { formatBytes } from '../../common/format.js';
import { Findings } from './findings.js';
import { Facts, Heading, Lines, S, type Tone } from './output.js';
import { NotRead } from './partial.js';
import { Table } from './table.js';

export interface MemoryResult extends MemoryReport {
  target: string;
  findings: Finding[];
  notRead: string[];
}

const VERDICT: Record<FragmentationVerdict, { tone: Tone; text: string }> = {
  healthy: { tone: 'good', text: 'healthy' },
  fragmented: { tone: 'critical', text: 'fragmented' },
  'rss-overhead': { tone: 'warning', text: 'RSS overhead' },
  'too-small-to-judge': { tone: 'muted', text: 'too small to judge' },
};

const b = (n: number | null): string => (n === null ? '?' : formatBytes(n));
const r2 = (n: number | null): string => (n === null ? '?' : n.toFixed(2));

export function MemoryTarget(props: { r: MemoryResult }): ReactNode {
  const r = props.r;
  const v = VERDICT[r.fragmentation.verdict];
  const share = (n: number | null): string => (n !== null && r.usedBytes ? `  (${((100 * n) / r.usedBytes).toFixed(1)}% of used)` : '');
  const facts: Array<[string, string]> = [
    ['used', b(r.usedBytes)],
    ['rss', `${b(r.rssBytes)}${r.fragmentation.ratio !== null ? `  (ratio ${r2(r.fragmentation.ratio)}, ${b(r.fragmentation.bytes)})` : ''}`],
    ['peak', `${b(r.peakBytes)}${r.peakRatio !== null ? `  (${r2(r.peakRatio)}× used)` : ''}`],
    ['dataset', b(r.datasetBytes) + share(r.datasetBytes)],
    ['overhead', b(r.overheadBytes) + share(r.overheadBytes)],
    ['maxmemory', r.maxmemoryBytes === null ? '?' : r.maxmemoryBytes === 0 ? 'none (no limit)' : formatBytes(r.maxmemoryBytes)],
  ];
  if (r.systemBytes) facts.push(['system', formatBytes(r.systemBytes)]);
  const a = r.allocator;
  const alloc: Array<[string, string]> = [
    ['allocator', a.name ?? '?'],
    ['allocated / active / resident', `${b(a.allocatedBytes)} / ${b(a.activeBytes)} / ${b(a.residentBytes)}`],
    ['fragmentation', `${r2(a.fragRatio)} (${b(a.fragBytes)}; ${a.fragMeaning})`],
    ['pages kept (rss ratio)', `${r2(a.rssRatio)} (${b(a.rssBytes)})`],
    ['outside allocator', `${r2(a.rssOverheadRatio)} (${b(a.rssOverheadBytes)})`],
  ];
  const d = r.defrag;
  const defragLine = !d.possible
    ? 'not possible (allocator is not jemalloc)'
    : `${d.enabled === null ? 'activedefrag unknown (CONFIG unreadable)' : d.enabled ? 'activedefrag yes' : 'activedefrag no'}` +
      (d.fragPct !== null ? `; fragmentation ${d.fragPct.toFixed(1)}%` : '') +
      (d.thresholdLower !== null ? ` vs threshold-lower ${d.thresholdLower}%` : '') +
      (d.ignoreBytes !== null ? `, ignore-bytes ${formatBytes(d.ignoreBytes)}` : '') +
      (d.wouldStart === null ? '' : d.wouldStart ? `: would run${d.expectedCpuPct !== null ? ` at ~${d.expectedCpuPct}% CPU` : ''}` : ': would not start') +
      (d.runningCpuPct ? `; running now at ${d.runningCpuPct}% CPU` : '');
  const k = r.keys;
  return (
    <Box flexDirection="column" marginBottom={1}>
      <Text>
        <S bold>{r.target}</S>
        <S tone="muted">{`  Redis ${r.version} memory`}</S>
      </Text>
      <Box marginTop={1} flexDirection="column">
        <Facts rows={facts} />
      </Box>
      <Heading>Fragmentation</Heading>
      <Box paddingLeft={2}>
        <Text>
          {'verdict: '}
          <S tone={v.tone} bold>
            {v.text}
          </S>
        </Text>
      </Box>
      <Lines lines={r.fragmentation.evidence} indent={4} />
      {r.advice.length > 0 ? (
        <Box flexDirection="column" paddingLeft={4}>
          {r.advice.map((x, i) => (
            <Text key={i}>
              <S tone="accent">→ </S>
              {x}
            </Text>
          ))}
        </Box>
      ) : null}
      <Heading>Allocator</Heading>
      <Facts rows={[...alloc, ['active defrag', defragLine]]} />
      {r.breakdown.length > 0 ? (
        <>
          <Heading>Where used memory goes</Heading>
          <Table
            columns={[{ header: 'part' }, { header: 'bytes', align: 'right' }, { header: 'share', align: 'right' }]}
            rows={[...r.breakdown]
              .sort((x, y) => y.bytes - x.bytes)
              .map((p) => [p.part, formatBytes(p.bytes), r.usedBytes ? `${((100 * p.bytes) / r.usedBytes).toFixed(1)}%` : ''])}
          />
        </>
      ) : null}
      <Heading>Keys</Heading>
      <Facts
        rows={[
          ['keys', k.count.toLocaleString('en-US')],
          ['dataset bytes per key', k.datasetBytesPerKey === null ? '-' : formatBytes(Math.round(k.datasetBytesPerKey))],
          ['used bytes per key', k.usedBytesPerKey === null ? '-' : formatBytes(Math.round(k.usedBytesPerKey))],
          ...(k.serverBytesPerKey !== null ? ([['server keys.bytes-per-key', `${formatBytes(k.serverBytesPerKey)} (${k.serverMeaning})`]] as Array<[string, string]>) : []),
        ]}
      />
      <Heading>Findings</Heading>
      <Findings findings={r.findings} empty="No memory finding." />
      <NotRead lines={r.notRead} />
    </Box>
  );
}

export function MemoryView(props: { results: MemoryResult[] }): ReactNode {
  return (
    <Box flexDirection="column">
      {props.results.map((r) => (
        <MemoryTarget key={r.target} r={r} />
      ))}
    </Box>
  );
}
