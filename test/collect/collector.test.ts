// The Collector against a real redis-server 7.0 and the bundled engine: one batch yields every
// part of a Snapshot; capabilities the server refuses (renamed CONFIG, ACL NOPERM) are learnt and
// never resent, so polling does not inflate the server's error counters; rates come out of two polls;
// a poll may leave MEMORY STATS out.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Collector } from '../../src/collect/collector.js';
import { num } from '../../src/collect/info-parser.js';
import { computeRates } from '../../src/collect/rates.js';
import { openLink, type RedisLink } from '../../src/target/link.js';
import type { TargetSpec } from '../../src/target/url.js';
import { TargetError } from '../../src/common/errors.js';
import { freePort, startEngine, startRedis, type TestServer } from '../helpers/servers.js';

const spec = (port: number, extra: Partial<TargetSpec> = {}): TargetSpec => ({ name: `127.0.0.1:${port}`, host: '127.0.0.1', port, tls: false, db: 0, ...extra });

describe('Collector on redis-server 7.0', () => {
  let redis: TestServer;
  let link: RedisLink;
  beforeAll(async () => {
    redis = await startRedis({ 'slowlog-log-slower-than': '0', 'latency-monitor-threshold': '1', requirepass: 'sekret' });
    link = await openLink(spec(redis.port, { password: 'sekret' }));
    await link.batch([['SET', 'a', '1'], ['GET', 'a'], ['GET', 'missing'], ['DEBUG', 'SLEEP', '0.005']]);
  });
  afterAll(async () => {
    link?.close();
    await redis?.stop();
  });

  it('fills every part of the snapshot in one batch', async () => {
    const c = new Collector(link, { name: 'r1' });
    const s = await c.collect();
    expect(s.target.name).toBe('r1');
    expect(s.identity).toMatchObject({ flavor: 'redis', mode: 'standalone', role: 'master', port: redis.port });
    expect(s.identity.version).toMatch(/^7\.0\./);
    expect(num(s.info, 'connected_clients')).toBeGreaterThanOrEqual(1);
    expect(s.info.keyspace[0]).toMatchObject({ keys: 1, expires: 0 });
    expect(s.info.commandstats['get']?.calls).toBe(2);
    expect(s.config['maxmemory-policy']).toBe('noeviction');
    expect(s.config['requirepass']).toBe('(set)'); // never the secret itself
    expect(s.slowlog!.length).toBeGreaterThan(0);
    expect(s.slowlog!.entries.some((e) => e.args[0]?.toUpperCase() === 'SET' && e.args[1] === 'a')).toBe(true);
    expect(s.latency!.latest.map((e) => e.event)).toContain('command');
    expect(s.latency!.histogram!['get']!.calls).toBe(2);
    expect(s.memoryStats!['peak.allocated']).toBeGreaterThan(0);
    expect(s.memoryStats!['db.0.overhead.hashtable.main']).toBeGreaterThan(0);
    expect(s.clusterInfo).toBeNull();
    expect(s.capabilities.clusterInfo).toBe(false);
    expect(s.problems).toEqual([]);
  });

  it('leaves MEMORY STATS out of a poll when asked, and only that', async () => {
    const c = new Collector(link);
    const s = await c.collect({ memoryStats: false });
    expect(s.memoryStats).toBeNull();
    expect(s.capabilities.memoryStats).toBe(true); // skipped, not switched off
    expect(s.latency!.histogram).not.toBeNull();
    expect(s.config['maxmemory-policy']).toBe('noeviction');
    expect((await c.collect()).memoryStats!['peak.allocated']).toBeGreaterThan(0);
  });

  it('computes rates from two polls', async () => {
    const c = new Collector(link);
    const a = await c.collect();
    await link.batch(Array.from({ length: 50 }, (_, i) => ['GET', i % 2 ? 'a' : 'nope']));
    const b = await c.collect();
    const r = computeRates(a, b);
    expect(r.commandsPerSec['get']! * r.seconds).toBeCloseTo(50, 5);
    expect(r.hitRatio).toBeCloseTo(0.5, 5);
    expect(r.opsPerSec).toBeGreaterThan(0);
  });
});

describe('configEverySeconds', () => {
  it('reads CONFIG once per period and reuses it; without the option every poll reads it', async () => {
    const redis = await startRedis();
    const link = await openLink(spec(redis.port));
    try {
      const configGets = async () => (await new Collector(link).collect()).info.commandstats['config|get']?.calls ?? 0;
      const cached = new Collector(link, { configEverySeconds: 3600 });
      const s1 = await cached.collect();
      expect(s1.config['maxmemory']).toBe('0');
      await link.call('CONFIG', 'SET', 'maxmemory', '12345678');
      const s2 = await cached.collect();
      const s3 = await cached.collect();
      // The remembered answer stands in: the change is not seen, and no CONFIG GET was sent.
      expect(s2.config['maxmemory']).toBe('0');
      expect(s3.config).toBe(s2.config);
      expect(s3.problems).toEqual([]);
      const before = await configGets(); // this uncached poll sends one itself
      await cached.collect();
      expect(await configGets()).toBe(before + 1);
      // Every poll of a collector without the option reads it afresh.
      expect((await new Collector(link).collect()).config['maxmemory']).toBe('12345678');
    } finally {
      link.close();
      await redis.stop();
    }
  });
});

describe('the slow log across polls', () => {
  it('fetches only the newest entry when nothing is new, and only the new ones otherwise', async () => {
    const redis = await startRedis({ 'slowlog-log-slower-than': '20000' }); // 20 ms: the collector's own commands stay out
    const link = await openLink(spec(redis.port));
    try {
      const sleep = () => link.call('DEBUG', 'SLEEP', '0.03');
      await sleep();
      const c = new Collector(link);
      const direct = async () => ((await link.call('SLOWLOG', 'GET', '128')) as unknown[]).map((e) => Number((e as unknown[])[0]));
      const gets = (s: { info: { commandstats: Record<string, { calls: number }> } }) => s.info.commandstats['slowlog|get']?.calls ?? 0;
      const s1 = await c.collect();
      expect(s1.slowlog!.entries.map((e) => e.id)).toEqual(await direct());
      const s2 = await c.collect(); // nothing new: one SLOWLOG GET 1
      expect(s2.slowlog!.entries.map((e) => e.id)).toEqual(s1.slowlog!.entries.map((e) => e.id));
      await sleep();
      await sleep();
      const s3 = await c.collect(); // two new: GET 1, then GET 2
      const ids = s3.slowlog!.entries.map((e) => e.id);
      expect(ids).toEqual(await direct());
      expect(ids).toHaveLength(3);
      expect(s3.slowlog!.entries[0]!.args).toEqual(['DEBUG', 'SLEEP', '0.03']);
      const s4 = await c.collect();
      // INFO runs first in each batch, so s4 counts the GETs after s1's INFO: the collector's
      // (poll 1 in full, poll 2 the newest only, poll 3 the newest then the 2 new) and the test's 2 direct ones.
      expect(gets(s4) - gets(s1)).toBe(1 + 1 + 2 + 2);
      await link.call('SLOWLOG', 'RESET');
      const s5 = await c.collect();
      expect(s5.slowlog!.entries).toEqual([]);
      await sleep();
      const s6 = await c.collect();
      expect(s6.slowlog!.entries.map((e) => e.id)).toEqual(await direct());
    } finally {
      link.close();
      await redis.stop();
    }
  });
});

describe('capability learning', () => {
  it('a renamed CONFIG and an ACL user without SLOWLOG: no error is ever counted on the server', async () => {
    const redis = await startRedis({ 'rename-command': ['CONFIG', 'hidden-config-9f1'] });
    const admin = await openLink(spec(redis.port));
    try {
      await admin.call('ACL', 'SETUSER', 'watcher', 'on', '>pw', '+@all', '-slowlog', '~*');
      const link = await openLink(spec(redis.port, { username: 'watcher', password: 'pw' }));
      try {
        const c = new Collector(link);
        const s1 = await c.collect();
        expect(s1.capabilities.config).toBe(false);
        expect(s1.capabilities.notes['config']).toMatch(/CONFIG is not available/);
        expect(s1.config).toEqual({});
        // NOPERM is only discoverable by trying: learnt on the first poll, never sent again.
        expect(s1.capabilities.slowlog).toBe(false);
        expect(s1.problems.some((p) => p.startsWith('SLOWLOG') && p.includes('NOPERM'))).toBe(true);
        // s1's INFO ran before the refused probes of its own batch; from s2 on, nothing more is refused.
        const s2 = await c.collect();
        const s3 = await c.collect();
        expect(s2.problems).toEqual([]);
        expect(num(s3.info, 'total_error_replies')).toBe(num(s2.info, 'total_error_replies'));
        expect(s3.info.sections['memory']).toBeDefined();
      } finally {
        link.close();
      }
    } finally {
      admin.close();
      await redis.stop();
    }
  });
});

describe('links that cannot open', () => {
  it('unreachable host and wrong password are TargetErrors with one readable line', async () => {
    const port = await freePort();
    await expect(openLink(spec(port))).rejects.toThrow(new TargetError(`cannot connect to 127.0.0.1:${port}: connection refused`));
    const redis = await startRedis({ requirepass: 'right' });
    try {
      await expect(openLink(spec(redis.port, { password: 'wrong' }))).rejects.toThrow(/authentication failed for 127\.0\.0\.1:\d+: wrong user name or password/);
      await expect(openLink(spec(redis.port))).rejects.toThrow(/requires a password/);
    } finally {
      await redis.stop();
    }
  });
});

describe('Collector on the bundled engine', () => {
  it('yields a snapshot with INFO, config and capabilities', async () => {
    const engine = await startEngine();
    const link = await openLink(spec(engine.port));
    try {
      await link.batch([['SET', 'k', 'v'], ['GET', 'k']]);
      const s = await new Collector(link, { bundled: true }).collect();
      expect(s.target.bundled).toBe(true);
      expect(s.identity.version).toMatch(/^7\.0\./);
      expect(s.info.keyspace[0]?.keys).toBe(1);
      expect(s.info.commandstats['get']?.calls).toBe(1);
      expect(s.config['maxmemory-policy']).toBe('noeviction');
      expect(num(s.info, 'used_memory')).toBeGreaterThan(0);
    } finally {
      link.close();
      await engine.stop();
    }
  });
});
