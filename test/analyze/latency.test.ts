// Our LATENCY DOCTOR (rules keyed by event family, both eviction event names), the fork-rate
// check, per-command percentiles from latencystats or histogram buckets, and the client-side
// sample distribution with redis-cli's spectrum buckets.

import { describe, expect, it } from 'vitest';
import { distribution, latencyReport } from '../../src/analyze/index.js';
import type { LatencyEvent } from '../../src/collect/snapshot.js';
import { buildSnapshot, MB } from './snapshot-builder.js';

const ev = (event: string, ms = 20): LatencyEvent => ({ event, latestTime: 1_795_281_800, latestMs: ms, maxMs: ms });
const adviceIds = (r: ReturnType<typeof latencyReport>): string[] => r.doctor.advice.map((a) => a.id);

describe('latencyReport: doctor', () => {
  it('says the monitor is off when the threshold is 0 and nothing was recorded', () => {
    const r = latencyReport(buildSnapshot());
    expect(r.doctor.enabled).toBe(false);
    expect(r.doctor.summary).toMatch(/latency-monitor-threshold/);
    expect(r.events).toEqual([]);
  });

  it('no spikes with the monitor on', () => {
    const r = latencyReport(buildSnapshot({ config: { 'latency-monitor-threshold': '100' } }));
    expect(r.doctor.enabled).toBe(true);
    expect(r.doctor.advice).toEqual([]);
    expect(r.doctor.summary).toMatch(/No latency spike/);
  });

  it('command: slow log tuning when it logs only above the monitor threshold, then inspect and large objects', () => {
    const r = latencyReport(buildSnapshot({ config: { 'latency-monitor-threshold': '5' }, latency: [ev('command', 17)] }));
    expect(adviceIds(r)).toEqual(['slowlog-tune', 'slowlog-inspect', 'large-objects']);
    expect(r.doctor.advice[0]!.text).toContain('CONFIG SET slowlog-log-slower-than 5000');
    expect(r.events[0]!.meaning).toMatch(/slow/);
  });

  it('command: enable the slow log when it is off', () => {
    const r = latencyReport(buildSnapshot({ config: { 'latency-monitor-threshold': '5', 'slowlog-max-len': '0' }, latency: [ev('command')] }));
    expect(adviceIds(r)[0]).toBe('slowlog-enable');
  });

  it('accepts both eviction-del (≤ 7.4) and evict-del (later) and merges advice shared by events', () => {
    for (const name of ['eviction-del', 'evict-del']) {
      const r = latencyReport(buildSnapshot({ config: { 'latency-monitor-threshold': '1' }, latency: [ev(name)] }));
      expect(adviceIds(r), name).toEqual(['large-objects']);
    }
    const both = latencyReport(buildSnapshot({ config: { 'latency-monitor-threshold': '1' }, latency: [ev('expire-del', 5), ev('evict-del', 9)] }));
    expect(both.doctor.advice).toHaveLength(1);
    expect(both.doctor.advice[0]!.events.sort()).toEqual(['evict-del', 'expire-del']);
  });

  it('expire-cycle advises hz only below 100; aof-fsync-always only under appendfsync always', () => {
    expect(adviceIds(latencyReport(buildSnapshot({ latency: [ev('expire-cycle')] })))).toContain('hz');
    expect(adviceIds(latencyReport(buildSnapshot({ config: { hz: '100' }, latency: [ev('expire-cycle')] })))).not.toContain('hz');
    expect(adviceIds(latencyReport(buildSnapshot({ latency: [ev('aof-fsync-always')] })))).toEqual([]);
    expect(adviceIds(latencyReport(buildSnapshot({ config: { appendfsync: 'always' }, latency: [ev('aof-fsync-always')] })))).toEqual(['fsync-always']);
  });

  it('lists unknown events without advice', () => {
    const r = latencyReport(buildSnapshot({ latency: [ev('brand-new-event')] }));
    expect(r.events[0]!.meaning).toBeNull();
    expect(r.doctor.summary).toMatch(/none has a known easy fix/);
  });

  it('per-event statistics from LATENCY HISTORY', () => {
    const r = latencyReport(buildSnapshot({ latency: [ev('command', 30)] }), { now: 1000, history: { command: [[900, 10], [950, 30]] } });
    expect(r.events[0]!.stats).toEqual({ samples: 2, avgMs: 20, madMs: 10, periodSec: 50 });
  });
});

describe('latencyReport: fork rate', () => {
  it('grades fork speed like LATENCY DOCTOR and advises without a fork event when judged', () => {
    const slow = latencyReport(buildSnapshot({ info: { used_memory: 2048 * MB, latest_fork_usec: 400_000 } }));
    expect(slow.fork).toMatchObject({ verdict: 'terrible', judged: true });
    expect(slow.fork!.gbPerSec).toBeCloseTo(5);
    expect(adviceIds(slow)).toEqual(['fork-slow']);
    const fast = latencyReport(buildSnapshot({ info: { used_memory: 2048 * MB, latest_fork_usec: 10_000 } }));
    expect(fast.fork!.verdict).toBe('excellent');
    const small = latencyReport(buildSnapshot({ info: { latest_fork_usec: 50_000 } }));
    expect(small.fork).toMatchObject({ verdict: 'terrible', judged: false });
    expect(adviceIds(small)).toEqual([]);
  });
});

describe('latencyReport: commands', () => {
  it('reads p50/p99/p99.9 from INFO latencystats, slowest first', () => {
    const r = latencyReport(buildSnapshot());
    expect(r.commands[0]).toEqual({ command: 'set', calls: 10000, p50Us: 3.007, p99Us: 7.007, p999Us: 15.039, source: 'latencystats' });
  });

  it('falls back to LATENCY HISTOGRAM buckets', () => {
    const s = buildSnapshot({ info: { latency_percentiles_usec_get: null, latency_percentiles_usec_set: null } });
    s.latency = { latest: [], histogram: { get: { calls: 100, buckets: [[1, 10], [2, 60], [4, 99], [1024, 100]] } } };
    expect(latencyReport(s).commands).toEqual([{ command: 'get', calls: 100, p50Us: 2, p99Us: 4, p999Us: 1024, source: 'histogram' }]);
  });
});

describe('distribution', () => {
  it('computes nearest-rank percentiles and spectrum buckets', () => {
    const samples = [...Array.from({ length: 98 }, () => 300), 2500, 45_000];
    const d = distribution(samples);
    expect(d).toMatchObject({ count: 100, minUs: 300, maxUs: 45_000, p50Us: 300, p90Us: 300, p99Us: 2500, p999Us: 45_000 });
    expect(d.meanUs).toBeCloseTo((98 * 300 + 2500 + 45_000) / 100);
    expect(d.histogram.map((h) => [h.label, h.count])).toEqual([
      ['#', 98],
      ['3', 1],
      ['E', 1],
    ]);
  });

  it('handles no samples and samples beyond a minute', () => {
    expect(distribution([]).count).toBe(0);
    expect(Number.isNaN(distribution([]).p99Us)).toBe(true);
    expect(distribution([61_000_000]).histogram[0]!.label).toBe('?');
    expect(distribution([10]).histogram[0]!.label).toBe('.');
  });
});
