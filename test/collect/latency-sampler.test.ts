// The client-side latency sampler: windows cut by the clock (checked with a fake clock and a fake
// link, so the cut is exact), min/avg/max per window and overall, early stop; and one real run
// against redis-server 7.0 to show the round trips are PINGs that a server answers.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleLatency, sampleStats, type LatencyWindow } from '../../src/collect/latency-sampler.js';
import { openLink, type RedisLink } from '../../src/target/link.js';
import { startRedis, type TestServer } from '../helpers/servers.js';

/** A link whose PINGs take the given µs each, on a fake clock that sleeps by advancing. */
function fakeRig(rttsUs: number[]) {
  let wallMs = 1_000_000;
  let monoUs = 0;
  let i = 0;
  const calls: string[][] = [];
  const link = {
    spec: { name: 'fake', tls: false, db: 0 },
    up: true,
    async batch() {
      return [];
    },
    async call(...args: string[]) {
      calls.push(args);
      const rtt = rttsUs[i++ % rttsUs.length]!;
      monoUs += rtt;
      wallMs += rtt / 1000;
      return 'PONG';
    },
    close() {},
  } satisfies RedisLink;
  return {
    link,
    calls,
    now: () => wallMs,
    monoUs: () => monoUs,
    sleep: async (ms: number) => {
      wallMs += ms;
      monoUs += ms * 1000;
    },
  };
}

describe('sampleLatency (fake clock)', () => {
  it('times PINGs and cuts windows by the clock', async () => {
    const rig = fakeRig([100, 300, 200, 1000]);
    const seen: LatencyWindow[] = [];
    const s = await sampleLatency(rig.link, { durationMs: 100, intervalMs: 10, windowMs: 50, now: rig.now, monoUs: rig.monoUs, sleep: rig.sleep, onWindow: (w) => seen.push(w) });
    expect(rig.calls.every((c) => c.length === 1 && c[0] === 'PING')).toBe(true);
    // each PING + pause takes 10.1–11 ms of fake time: 5 PINGs fill the first 50 ms window
    expect(s.windows.length).toBe(2);
    expect(seen).toEqual(s.windows);
    expect(s.windows[0]!.samplesUs).toEqual([100, 300, 200, 1000, 100]);
    expect(s.windows.reduce((a, w) => a + w.count, 0)).toBe(s.count);
    expect(s.samplesUs.length).toBe(s.count);
    expect(s.minUs).toBe(100);
    expect(s.maxUs).toBe(1000);
    expect(s.avgUs).toBeCloseTo(s.samplesUs.reduce((a, v) => a + v, 0) / s.count, 9);
    expect(s.windows[0]).toMatchObject({ count: 5, minUs: 100, maxUs: 1000, avgUs: 340 });
  });

  it('stops when aborted, keeping what it measured', async () => {
    const rig = fakeRig([50]);
    let n = 0;
    const s = await sampleLatency(rig.link, { durationMs: 10_000, now: rig.now, monoUs: rig.monoUs, sleep: rig.sleep, aborted: () => ++n > 3 });
    expect(s.count).toBe(3);
    expect(s.windows).toHaveLength(1);
    expect(s.windows[0]!.count).toBe(3);
  });

  it('sampleStats of nothing is NaN, not zero', () => {
    expect(sampleStats([])).toEqual({ count: 0, minUs: NaN, avgUs: NaN, maxUs: NaN });
  });
});

describe('sampleLatency against redis-server 7.0', () => {
  let redis: TestServer;
  let link: RedisLink;
  beforeAll(async () => {
    redis = await startRedis();
    link = await openLink({ name: 'r', host: '127.0.0.1', port: redis.port, tls: false, db: 0 });
  });
  afterAll(async () => {
    link?.close();
    await redis?.stop();
  });

  it('measures real round trips that the server counts as PINGs', async () => {
    const before = String(await link.call('INFO', 'commandstats')).match(/cmdstat_ping:calls=(\d+)/)?.[1] ?? '0';
    const s = await sampleLatency(link, { durationMs: 150, intervalMs: 5 });
    const after = String(await link.call('INFO', 'commandstats')).match(/cmdstat_ping:calls=(\d+)/)![1]!;
    expect(s.count).toBeGreaterThan(0);
    expect(Number(after) - Number(before)).toBe(s.count);
    expect(s.minUs).toBeGreaterThan(0);
    expect(s.minUs).toBeLessThanOrEqual(s.avgUs);
    expect(s.avgUs).toBeLessThanOrEqual(s.maxUs);
  });
});
