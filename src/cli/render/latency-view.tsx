// `redscope latency` as text: the events the server's latency monitor recorded with our LATENCY
// DOCTOR's reading of them, the fork rate, per-command percentiles, and — when sampled — the
// client-side round trips (min/avg/max, percentiles and the redis-cli --latency-dist spectrum).
// Also the one-line forms printed while sampling (history rows, spectrum rows) and the intrinsic
// latency summary.

import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import type { Distribution, Finding, LatencyReport } from '../../analyze/index.js';
import type { IntrinsicResult } from '../../collect/intrinsic-latency.js';
import type { SampleStats } from '../../collect/latency-sampler.js';
import { formatMicros } from '../../common/format.js';
import { Findings } from './findings.js';
import { Facts, Heading, S } from './output.js';
import { NotRead } from './partial.js';
import { Table } from './table.js';

export interface SampleWindowJson extends SampleStats {
  startedAt: number;
  seconds: number;
  histogram?: Distribution['histogram'];
}

export interface SampleJson extends Distribution {
  seconds: number;
  intervalMs: number;
  minMs: number;
  avgMs: number;
  maxMs: number;
  windows: SampleWindowJson[];
}

export interface LatencyResult extends LatencyReport {
  target: string;
  sample?: SampleJson;
  findings: Finding[];
  notRead: string[];
}

const ms = (us: number): string => (Number.isFinite(us) ? `${(us / 1000).toFixed(3)} ms` : '-');

function upTo(us: number): string {
  return Number.isFinite(us) ? `≤ ${formatMicros(us)}` : '> 60s';
}

function SampleBlock(props: { s: SampleJson; dist: boolean }): ReactNode {
  const s = props.s;
  const bar = (share: number): string => '#'.repeat(Math.max(share > 0 ? 1 : 0, Math.round(share * 40)));
  return (
    <>
      <Heading>{`Client-side round trips (PING every ${s.intervalMs} ms for ${s.seconds.toFixed(1)} s)`}</Heading>
      <Facts
        rows={[
          ['samples', String(s.count)],
          ['min / avg / max', `${ms(s.minUs)} / ${ms(s.meanUs)} / ${ms(s.maxUs)}`],
          ['p50 / p90 / p99 / p99.9', `${ms(s.p50Us)} / ${ms(s.p90Us)} / ${ms(s.p99Us)} / ${ms(s.p999Us)}`],
        ]}
      />
      {props.dist && s.histogram.length > 0 ? (
        <Box marginTop={1} flexDirection="column">
          <Table
            columns={[{ header: 'bucket' }, { header: 'up to', align: 'right' }, { header: 'count', align: 'right' }, { header: 'share', align: 'right' }, { header: '' }]}
            rows={s.histogram.map((h) => [h.label, upTo(h.upToUs), String(h.count), `${(h.share * 100).toFixed(1)}%`, { text: bar(h.share), tone: 'info' }])}
          />
        </Box>
      ) : null}
    </>
  );
}

export function LatencyTarget(props: { r: LatencyResult; dist: boolean }): ReactNode {
  const r = props.r;
  const monitor = r.monitorThresholdMs === null ? 'latency-monitor-threshold unknown (CONFIG unreadable)' : r.monitorThresholdMs === 0 ? 'latency monitor off' : `latency monitor records spikes over ${r.monitorThresholdMs} ms`;
  return (
    <Box flexDirection="column" marginBottom={1}>
      <Text>
        <S bold>{r.target}</S>
        <S tone="muted">{`  ${monitor}`}</S>
      </Text>
      <Heading>Latency events</Heading>
      {r.events.length === 0 ? (
        <Box paddingLeft={2}>
          <S tone="muted">none recorded</S>
        </Box>
      ) : (
        <Table
          columns={[{ header: 'event' }, { header: 'latest', align: 'right' }, { header: 'max', align: 'right' }, { header: 'when' }, { header: 'spikes', align: 'right' }, { header: 'what it measures' }]}
          rows={r.events.map((e) => [
            e.event,
            `${e.latestMs} ms`,
            { text: `${e.maxMs} ms`, tone: e.maxMs >= 100 ? 'critical' : 'warning' },
            new Date(e.latestTime * 1000).toISOString().replace('T', ' ').slice(0, 19),
            e.stats ? String(e.stats.samples) : '',
            e.meaning ?? '',
          ])}
        />
      )}
      <Heading>Doctor</Heading>
      <Box flexDirection="column" paddingLeft={2}>
        <Text>{r.doctor.summary}</Text>
        {r.doctor.advice.map((a) => (
          <Text key={a.id}>
            <S tone="accent">→ </S>
            {a.text}
            {a.events.length ? <S tone="muted">{`  (${a.events.join(', ')})`}</S> : null}
          </Text>
        ))}
        {r.fork ? (
          <S tone={r.fork.judged && (r.fork.verdict === 'poor' || r.fork.verdict === 'terrible') ? 'warning' : 'muted'}>
            {`last fork took ${formatMicros(r.fork.usec)} (${r.fork.gbPerSec.toFixed(1)} GB/s, ${r.fork.verdict}${r.fork.judged ? '' : ', dataset too small to judge'})`}
          </S>
        ) : null}
      </Box>
      {r.commands.length > 0 ? (
        <>
          <Heading>{`Per-command latency (${r.commands[0]!.source === 'latencystats' ? 'INFO latencystats' : 'LATENCY HISTOGRAM'}, slowest p99 first)`}</Heading>
          <Table
            columns={[{ header: 'command' }, { header: 'calls', align: 'right' }, { header: 'p50', align: 'right' }, { header: 'p99', align: 'right' }, { header: 'p99.9', align: 'right' }]}
            rows={r.commands.slice(0, 15).map((c) => [
              c.command,
              c.calls === null ? '' : c.calls.toLocaleString('en-US'),
              c.p50Us === null ? '' : formatMicros(c.p50Us),
              c.p99Us === null ? '' : { text: formatMicros(c.p99Us), tone: c.p99Us >= 10_000 ? 'warning' : undefined },
              c.p999Us === null ? '' : formatMicros(c.p999Us),
            ])}
          />
        </>
      ) : null}
      {r.sample ? <SampleBlock s={r.sample} dist={props.dist} /> : null}
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

export function LatencyView(props: { results: LatencyResult[]; dist: boolean }): ReactNode {
  return (
    <Box flexDirection="column">
      {props.results.map((r) => (
        <LatencyTarget key={r.target} r={r} dist={props.dist} />
      ))}
    </Box>
  );
}

export function IntrinsicView(props: { r: IntrinsicResult }): ReactNode {
  const r = props.r;
  return (
    <Box flexDirection="column">
      <S bold>Intrinsic latency of this machine</S>
      <Facts
        rows={[
          ['runs', `${r.runs.toLocaleString('en-US')} in ${r.seconds.toFixed(2)} s`],
          ['average run', `${r.avgUs.toFixed(3)} µs (${r.avgNsPerRun.toFixed(0)} ns)`],
          ['worst run', `${r.maxUs.toFixed(0)} µs (${r.worstRatio.toFixed(0)}× the average)`],
        ]}
      />
      <Box paddingLeft={2} marginTop={1}>
        <S tone="muted">No server is involved: the worst run is the longest this process waited for a CPU. Run it on the Redis host; no Redis setting can beat it.</S>
      </Box>
    </Box>
  );
}
