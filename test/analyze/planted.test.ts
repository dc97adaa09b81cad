// Planted problems on a real redis-server 7.0 and on the bundled engine: each scenario creates a
// problem, takes Snapshots with the Collector (as every face does), and checks that the analyzers
// name it. The engine runs the same scenarios; where it cannot have a problem yet (no allocator
// fragmentation, missing introspection) the test asserts only what it supports, listed in ENGINE.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeSnapshot, fragmentationReport, latencyReport, SlowlogTracker, type Finding } from '../../src/analyze/index.js';
import { Collector } from '../../src/collect/collector.js';
import type { Snapshot } from '../../src/collect/snapshot.js';
import { openLink, type RedisLink } from '../../src/target/link.js';
import { freePort, startEngine, startRedis, type TestServer } from '../helpers/servers.js';
import { RespClient } from '../helpers/resp-client.js';

const ids = (f: Finding[]): string[] => f.map((x) => x.id);

async function connect(server: TestServer, name: string): Promise<{ link: RedisLink; collector: Collector }> {
  const link = await openLink({ name, host: '127.0.0.1', port: server.port, tls: false, db: 0 });
  return { link, collector: new Collector(link, { name, bundled: server.kind === 'engine', slowlogCount: 4096 }) };
}

/** Sends commands in pipelined batches of 200; returns the error replies. */
async function send(link: RedisLink, cmds: string[][]): Promise<string[]> {
  const errors: string[] = [];
  for (let i = 0; i < cmds.length; i += 200) {
    for (const o of await link.batch(cmds.slice(i, i + 200))) if (!o.ok) errors.push(o.error);
  }
  return errors;
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** Big keys of three types plus some small strings, written with plain commands (works on any server). */
async function plantData(link: RedisLink): Promise<void> {
  const cmds: string[][] = [];
  for (let b = 0; b < 50; b++) cmds.push(['HSET', 'big:hash', ...range(1000).flatMap((i) => [`f${b * 1000 + i}`, `value-${i}`])]);
  for (let b = 0; b < 20; b++) cmds.push(['RPUSH', 'big:list', ...range(1000).map((i) => String(b * 1000 + i))]);
  for (let b = 0; b < 20; b++) cmds.push(['SADD', 'big:set', ...range(1000).map((i) => `m${b * 1000 + i}`)]);
  for (let i = 0; i < 2000; i += 100) cmds.push(['MSET', ...range(100).flatMap((j) => [`user:${i + j}`, 'x'.repeat(50)])]);
  await send(link, cmds);
}

interface Workload {
  previous: Snapshot;
  snapshot: Snapshot;
  findings: Finding[];
  tracker: SlowlogTracker;
  firstTake: number[];
  secondTake: number[];
}

/** Misses, wrong-type errors, KEYS, whole-collection reads, SORT and a DEBUG SLEEP between two snapshots. */
async function runWorkload(link: RedisLink, collector: Collector): Promise<Workload> {
  await plantData(link);
  const tracker = new SlowlogTracker();
  const previous = await collector.collect();
  const firstTake = tracker.take(previous).map((e) => e.id);
  await send(link, range(2000).map((i) => ['GET', `missing:${i}`]));
  await send(link, range(20).map(() => ['LPUSH', 'big:hash', 'x']));
  await send(link, [['KEYS', '*'], ['HGETALL', 'big:hash'], ['HGETALL', 'big:hash'], ['LRANGE', 'big:list', '0', '-1'], ['SMEMBERS', 'big:set'], ['SORT', 'big:list', 'LIMIT', '0', '10']]);
  await send(link, [['DEBUG', 'SLEEP', '0.05']]);
  const snapshot = await collector.collect();
  const secondTake = tracker.take(snapshot).map((e) => e.id);
  const findings = analyzeSnapshot({ snapshot, previous }, { thresholds: { noMaxmemoryWarnShare: 1e-9 } });
  return { previous, snapshot, findings, tracker, firstTake, secondTake };
}

/** Fills a 4 MB noeviction instance until writes fail with OOM (at most ~15 MB are sent). */
async function fillUntilOom(link: RedisLink): Promise<string[]> {
  const errors: string[] = [];
  for (let b = 0; b < 30 && !errors.some((e) => e.startsWith('OOM')); b++) {
    errors.push(...(await send(link, range(50).map((i) => ['SET', `fill:${b}:${i}`, 'v'.repeat(10_000)]))));
  }
  return errors;
}

// Problems every workload should show, and what each target is expected to report.
const WORKLOAD_FINDINGS = [
  'memory-no-maxmemory',
  'persistence-none',
  'commands-keys',
  'commands-whole-collection-reads',
  'commands-hit-ratio',
  'commands-errors-growing',
  'latency-events',
  'latency-slowlog-off',
  'security-debug-command',
  'security-dangerous-commands',
];
const SLOWLOG_ANTI_PATTERNS = ['keys', 'full-list-read', 'whole-collection-read', 'sort'];

/** Fills a noeviction instance past maxmemory: the writes fail with OOM and the findings say so. */
async function expectOomSeen(server: TestServer, links: RedisLink[]): Promise<void> {
  const { link, collector } = await connect(server, 'oom');
  links.push(link);
  const errors = await fillUntilOom(link);
  expect(errors.some((e) => e.startsWith('OOM'))).toBe(true);
  const f = analyzeSnapshot({ snapshot: await collector.collect() });
  expect(f.find((x) => x.id === 'memory-oom-rejections')?.severity).toBe('critical');
  expect(f.find((x) => x.id === 'memory-near-maxmemory')?.severity).toBe('critical');
}

/** A RESP3 client caching 200 keys while the table may hold 100: the server drops tracked keys, the finding says so. */
async function expectTrackingTableFull(server: TestServer, links: RedisLink[]): Promise<void> {
  const { link, collector } = await connect(server, 'tracking');
  links.push(link);
  const cache = await RespClient.connect(server.port);
  try {
    await link.call('CONFIG', 'SET', 'tracking-table-max-keys', '100');
    await cache.call('HELLO', '3');
    await cache.call('CLIENT', 'TRACKING', 'on');
    await cache.call('MGET', ...Array.from({ length: 200 }, (_, i) => `cached:${i}`));
    const f = analyzeSnapshot({ snapshot: await collector.collect() }).find((x) => x.id === 'clients-tracking-table-full');
    expect(f?.severity).toBe('warning');
    expect(f?.evidence).toMatch(/tracking_total_keys 100 of tracking-table-max-keys 100 \(100%\); tracking_clients 1/);
  } finally {
    cache.close();
    await link.call('CONFIG', 'SET', 'tracking-table-max-keys', '1000000');
  }
}

describe('planted problems: redis-server 7.0', () => {
  let server: TestServer;
  let oomServer: TestServer;
  const links: RedisLink[] = [];
  beforeAll(async () => {
    [server, oomServer] = await Promise.all([
      startRedis({ 'latency-monitor-threshold': '10', 'slowlog-log-slower-than': '0', 'slowlog-max-len': '4096' }),
      startRedis({ maxmemory: '4mb', 'maxmemory-policy': 'noeviction' }),
    ]);
  });
  afterAll(async () => {
    for (const l of links) l.close();
    await Promise.all([server?.stop(), oomServer?.stop()]);
  });

  it('sees the workload problems in findings, slowlog and latency reports', async () => {
    const { link, collector } = await connect(server, 'planted');
    links.push(link);
    const w = await runWorkload(link, collector);
    expect(ids(w.findings)).toEqual(expect.arrayContaining(WORKLOAD_FINDINGS));
    expect(w.findings.find((f) => f.id === 'commands-errors-growing')!.evidence).toContain('WRONGTYPE');

    expect(w.secondTake.length).toBeGreaterThan(0);
    expect(w.secondTake.filter((id) => w.firstTake.includes(id))).toEqual([]);
    const report = w.tracker.report();
    expect(report.antiPatterns.map((a) => a.id)).toEqual(expect.arrayContaining(SLOWLOG_ANTI_PATTERNS));
    expect(report.groups.find((g) => g.pattern === 'GET missing:#')!.count).toBe(2000);

    const latency = latencyReport(w.snapshot);
    expect(latency.events.map((e) => e.event)).toContain('command');
    expect(latency.doctor.advice.map((a) => a.id)).toEqual(expect.arrayContaining(['slowlog-inspect', 'large-objects']));
    expect(latency.commands.find((c) => c.command === 'hgetall')!.p99Us).toBeGreaterThan(100);
  });

  it('sees a client-side caching table at its limit', async () => {
    await expectTrackingTableFull(server, links);
  });

  it('sees OOM rejections on a full noeviction instance', async () => {
    await expectOomSeen(oomServer, links);
  });

  it('sees a replica that lost its master and accepts writes', async () => {
    const replica = await startRedis({ replicaof: `127.0.0.1 ${await freePort()}`, 'replica-read-only': 'no' });
    const { link, collector } = await connect(replica, 'replica');
    try {
      const f = analyzeSnapshot({ snapshot: await collector.collect() });
      expect(f.find((x) => x.id === 'replication-link-down')?.severity).toBe('critical');
      expect(ids(f)).toContain('security-replica-writable');
      await link.call('CONFIG', 'SET', 'protected-mode', 'no');
      expect(ids(analyzeSnapshot({ snapshot: await collector.collect() }))).toContain('security-protected-mode-off');
    } finally {
      link.close();
      await replica.stop();
    }
  });

  it('sees fragmentation after deleting most of a big dataset', async () => {
    const frag = await startRedis();
    const { link, collector } = await connect(frag, 'frag');
    try {
      const before = fragmentationReport(await collector.collect());
      expect(before.fragmentation.verdict).toBe('too-small-to-judge');
      await link.call('DEBUG', 'POPULATE', '100000', 'key', '1000');
      await link.call('EVAL', "for i=0,99999 do if i % 10 ~= 0 then redis.call('del','key:'..i) end end return 1", '0');
      // Allocator statistics are refreshed by the server's cron (every 100 ms): poll until they are.
      let snap = await collector.collect();
      for (let i = 0; i < 50 && Number(snap.info.fields['allocator_frag_ratio']) < 1.1; i++) {
        await new Promise((r) => setTimeout(r, 100));
        snap = await collector.collect();
      }
      const report = fragmentationReport(snap);
      expect(report.fragmentation.verdict).toBe('fragmented');
      expect(report.doctor.map((d) => d.flag)).toEqual(expect.arrayContaining(['high_alloc_frag', 'big_peak']));
      expect(report.defrag.possible).toBe(true);
      expect(report.keys.count).toBe(10000);
      expect(report.breakdown.find((p) => p.part === 'dataset')!.bytes).toBeGreaterThan(0);
      expect(ids(analyzeSnapshot({ snapshot: snap }))).toEqual(expect.arrayContaining(['memory-fragmentation', 'memory-big-peak']));
    } finally {
      link.close();
      await frag.stop();
    }
  });
});

describe('planted problems: bundled engine', () => {
  let engine: TestServer;
  let oomEngine: TestServer;
  const links: RedisLink[] = [];
  beforeAll(async () => {
    [engine, oomEngine] = await Promise.all([
      startEngine({ 'latency-monitor-threshold': '10', 'slowlog-log-slower-than': '0', 'slowlog-max-len': '4096' }),
      startEngine({ maxmemory: '4mb', 'maxmemory-policy': 'noeviction' }),
    ]);
  });
  afterAll(async () => {
    for (const l of links) l.close();
    await Promise.all([engine?.stop(), oomEngine?.stop()]);
  });

  it('sees the same workload problems, and no RSS alarm for the Node.js process', async () => {
    const { link, collector } = await connect(engine, 'engine');
    links.push(link);
    const w = await runWorkload(link, collector);
    expect(w.snapshot.problems).toEqual([]);
    expect(ids(w.findings)).toEqual(expect.arrayContaining(WORKLOAD_FINDINGS));
    expect(ids(w.findings)).not.toContain('memory-rss-overhead');

    expect(w.secondTake.filter((id) => w.firstTake.includes(id))).toEqual([]);
    const report = w.tracker.report();
    expect(report.antiPatterns.map((a) => a.id)).toEqual(expect.arrayContaining(SLOWLOG_ANTI_PATTERNS));
    expect(report.groups.find((g) => g.pattern === 'GET missing:#')!.count).toBe(2000);

    const latency = latencyReport(w.snapshot);
    expect(latency.events.map((e) => e.event)).toContain('command');
    expect(latency.commands.find((c) => c.command === 'hgetall')!.p99Us).toBeGreaterThan(100);

    const memory = fragmentationReport(w.snapshot);
    expect(memory.fragmentation.verdict).toBe('healthy');
    expect(memory.fragmentation.evidence.join(' ')).toMatch(/Bundled engine/);
  });

  it('sees a client-side caching table at its limit', async () => {
    await expectTrackingTableFull(engine, links);
  });

  it('sees OOM rejections on a full noeviction instance', async () => {
    await expectOomSeen(oomEngine, links);
  });
});
