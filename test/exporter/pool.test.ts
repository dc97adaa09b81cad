// The target pool against a real redis-server: concurrent scrapes of one target share one
// collection (one INFO on the server for 100 scrapes started together), each still counted as a
// scrape; the analyzers' answer is served from cache between runs; MEMORY STATS, which only the
// analyzers read, is sent only with the polls that feed them.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestServer } from '../helpers/servers.js';
import { RespClient } from '../helpers/resp-client.js';
import { DEFAULT_KEY_WORK, TargetPool, type PoolOptions } from '../../src/exporter/index.js';
import { redisSpec, textOf } from './helpers.js';

const options = (over: Partial<PoolOptions> = {}): PoolOptions => ({
  fresh: false,
  timeoutMs: 3000,
  keyWork: DEFAULT_KEY_WORK,
  intervalMs: 60_000,
  slowlogCount: 128,
  idleMs: 600_000,
  ...over,
});

/** Calls so far of some commands, from INFO commandstats (this reading's own INFO not yet counted). */
async function calls(port: number): Promise<{ info: number; memoryStats: number }> {
  const c = await RespClient.connect(port);
  const text = textOf(await c.call('INFO', 'commandstats'));
  c.close();
  const n = (re: RegExp) => Number(re.exec(text)?.[1] ?? 0);
  return { info: n(/cmdstat_info:calls=(\d+)/), memoryStats: n(/cmdstat_memory\|stats:calls=(\d+)/) };
}

describe('TargetPool', () => {
  let redis: TestServer;
  const pools: TargetPool[] = [];
  const pool = (over: Partial<PoolOptions> = {}) => {
    const p = new TargetPool(options(over));
    pools.push(p);
    return p;
  };

  beforeAll(async () => {
    redis = await startRedis();
  });

  afterAll(async () => {
    for (const p of pools) p.close();
    await redis?.stop();
  });

  it('shares one collection among scrapes of a target that arrive together', async () => {
    const p = pool();
    const spec = redisSpec(redis.port);
    expect((await p.scrape(spec, 3000)).snapshot).not.toBeNull(); // first contact: connect, learn
    const before = await calls(redis.port);
    const all = await Promise.all(Array.from({ length: 100 }, () => p.scrape(spec, 3000)));
    const after = await calls(redis.port);
    expect(after.info - before.info - 1).toBe(1); // one INFO ALL for the 100 (the -1: our own reading)
    expect(new Set(all.map((t) => t.snapshot)).size).toBe(1);
    expect(all.every((t) => t.error === '')).toBe(true);
    expect(Math.max(...all.map((t) => t.self.scrapes))).toBe(101);
    // once it settled, the next scrape collects afresh
    const next = await p.scrape(spec, 3000);
    expect(next.snapshot).not.toBe(all[0]!.snapshot);
    expect((await calls(redis.port)).info - after.info - 1).toBe(1);
  });

  it('serves the analysis from cache and reads MEMORY STATS only for the polls that feed it', async () => {
    const p = pool({ analyzeEveryMs: 60_000 });
    const spec = redisSpec(redis.port, { name: 'analysed' });
    const before = await calls(redis.port);
    const first = await p.scrape(spec, 3000);
    // the first scrape waits for its analysis, so its page is complete
    expect(first.analysis?.takenAt).toBe(first.snapshot!.takenAt);
    expect(first.snapshot!.memoryStats).not.toBeNull();
    const later = [];
    for (let i = 0; i < 3; i++) later.push(await p.scrape(spec, 3000));
    for (const t of later) {
      expect(t.analysis).toBe(first.analysis);
      expect(t.snapshot!.memoryStats).toBeNull();
    }
    expect((await calls(redis.port)).memoryStats - before.memoryStats).toBe(1);

    // without the analyzers (no redscope_* extras), MEMORY STATS is never sent
    const bare = pool({ analyze: false });
    const mid = await calls(redis.port);
    const t = await bare.scrape(redisSpec(redis.port, { name: 'bare' }), 3000);
    expect(t.analysis).toBeNull();
    expect(t.snapshot!.memoryStats).toBeNull();
    expect((await calls(redis.port)).memoryStats).toBe(mid.memoryStats);
  });

  it('re-runs the analyzers after the scrape that found them due has been answered', async () => {
    const p = pool({ analyzeEveryMs: 0 });
    const spec = redisSpec(redis.port, { name: 'every' });
    const first = await p.scrape(spec, 3000);
    const second = await p.scrape(spec, 3000);
    // due at once, but analysed after this scrape's answer: it still serves the first analysis
    expect(second.analysis).toBe(first.analysis);
    expect(second.snapshot!.memoryStats).not.toBeNull();
    await new Promise((r) => setImmediate(r));
    const third = await p.scrape(spec, 3000);
    expect(third.analysis?.takenAt).toBe(second.snapshot!.takenAt);
  });
});
