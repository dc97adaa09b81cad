// `redscope keys` end to end against redis-server 7.0 holding a big key of each type among small
// ones: the biggest key per type agrees with `redis-cli --bigkeys` (by length) and with
// `redis-cli --memkeys` with exact sizes (by memory) run on the same data; --sample and
// --match bound the scan; --cluster scans every master once (not the replica) and merges; the
// bundled engine works.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { RespClient } from '../helpers/resp-client.js';
import { openLink, type RedisLink } from '../../src/target/link.js';
import { startRedis, type TestServer } from '../helpers/servers.js';

const run = promisify(execFile);
let redis: TestServer;

/** `Biggest <type> found '"<key>"' has <n> <unit>` lines of redis-cli's summary. */
function biggestLines(out: string): Record<string, { key: string; n: number }> {
  const res: Record<string, { key: string; n: number }> = {};
  for (const m of out.matchAll(/^Biggest\s+(\w+) found '"(.*)"' has (\d+) \w+$/gm)) res[m[1]!] = { key: m[2]!, n: Number(m[3]) };
  return res;
}

beforeAll(async () => {
  redis = await startRedis();
  const c = await RespClient.connect(redis.port);
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);
  const cmds: string[][] = [];
  for (let i = 1; i <= 8; i++) {
    cmds.push(['SET', `s:${i}`, 'x'.repeat(i * 10)]);
    cmds.push(['RPUSH', `l:${i}`, ...range(i).map(String)]);
    cmds.push(['SADD', `set:${i}`, ...range(i).map((j) => `m${j}`)]);
    cmds.push(['ZADD', `z:${i}`, ...range(i).flatMap((j) => [String(j), `m${j}`])]);
    cmds.push(['HSET', `h:${i}`, ...range(i).flatMap((j) => [`f${j}`, 'v'])]);
    cmds.push(['XADD', `x:${i}`, '*', 'f', 'v']);
  }
  cmds.push(['SET', 'big:string', 'y'.repeat(5000)]);
  cmds.push(['RPUSH', 'big:list', ...range(1000).map((j) => `item-${j}`)]);
  cmds.push(['SADD', 'big:set', ...range(600).map((j) => `member-${j}`)]);
  cmds.push(['ZADD', 'big:zset', ...range(400).flatMap((j) => [String(j), `member-${j}`])]);
  cmds.push(['HSET', 'big:hash', ...range(300).flatMap((j) => [`field-${j}`, `value-${j}`])]);
  for (let j = 0; j < 60; j++) cmds.push(['XADD', 'big:stream', '*', 'n', String(j)]);
  await c.pipeline(cmds);
  // Hash-table encoded keys may still be rehashing, and each lookup moves that along, which would
  // change MEMORY USAGE between redis-cli's scan and ours: finish the rehash first with lookups.
  await c.pipeline(range(1500).flatMap((j) => [['ZSCORE', 'big:zset', 'm'], ['SISMEMBER', 'big:set', String(j)], ['HEXISTS', 'big:hash', 'f']]));
  c.close();
});
afterAll(async () => {
  await redis?.stop();
});

describe('redscope keys', () => {
  it('agrees with redis-cli --bigkeys and --memkeys on the same data', async () => {
    const [ours, big, mem] = await Promise.all([
      runCli(['keys', '--url', `redis://127.0.0.1:${redis.port}`, '--json']),
      run('redis-cli', ['-p', String(redis.port), '--bigkeys']),
      // redis-cli sends no SAMPLES for --memkeys-samples 0 (the server then samples 5): ask for more
      // samples than any key has elements, which is exact, like our default SAMPLES 0.
      run('redis-cli', ['-p', String(redis.port), '--memkeys', '--memkeys-samples', '100000']),
    ]);
    expect(ours.stderr).toBe('');
    expect(ours.code).toBe(0);
    const out = JSON.parse(ours.stdout);
    expect(out.scanned).toBe(8 * 6 + 6);
    const byLength = biggestLines(big.stdout);
    const byMemory = biggestLines(mem.stdout);
    expect(Object.keys(byLength).sort()).toEqual(['hash', 'list', 'set', 'stream', 'string', 'zset']);
    for (const [type, b] of Object.entries(byLength)) {
      expect(out.biggest[type]).toMatchObject({ key: b.key, length: b.n });
      expect(typeof out.biggest[type].memoryBytes).toBe('number');
    }
    for (const [type, m] of Object.entries(byMemory)) expect(out.biggestByMemory[type]).toMatchObject({ key: m.key, memoryBytes: m.n });
    // the top list is by memory, biggest first, and holds the big keys
    const top = out.top.map((k: { memoryBytes: number }) => k.memoryBytes);
    expect(top).toEqual([...top].sort((a: number, b: number) => b - a));
    expect(out.top.slice(0, 6).map((k: { key: string }) => k.key).sort()).toEqual(['big:hash', 'big:list', 'big:set', 'big:stream', 'big:string', 'big:zset']);
    const big6 = out.prefixes.find((p: { prefix: string }) => p.prefix === 'big:');
    expect(big6.keys).toBe(6);
    expect(out.noTtlPercent).toBe(100);
  });

  it('bounds the scan with --sample and --match, and prints tables as text', async () => {
    const sampled = JSON.parse((await runCli(['keys', '--url', `redis://127.0.0.1:${redis.port}`, '--json', '--sample', '10', '--count', '7'])).stdout);
    expect(sampled.scanned).toBe(10);
    const text = await runCli(['keys', '--url', `redis://127.0.0.1:${redis.port}`, '--match', 'big:*']);
    expect(text.code).toBe(0);
    expect(text.stdout).not.toMatch(/\x1b\[/);
    expect(text.stdout).toMatch(/scanned 6 keys of 54/);
    expect(text.stdout).toMatch(/^ {2}list\s+1,000 items\s+big:list\s+[\d.]+KiB\s+big:list$/m);
    expect(text.stdout).toMatch(/Top keys by memory/);
  });

  it('works on the bundled engine', async () => {
    const r = await runCli(['keys', '--json'], { env: { REDIS_URL: '' } });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ scanned: 0, biggest: {}, top: [], prefixes: [] });
  });
});

describe('redscope keys --cluster', () => {
  const servers: TestServer[] = [];
  const links: RedisLink[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 3; i++) servers.push(await startRedis({ 'cluster-enabled': 'yes', 'cluster-config-file': 'nodes.conf' }));
    for (const s of servers) links.push(await openLink({ name: String(s.port), host: '127.0.0.1', port: s.port, tls: false, db: 0 }));
    await links[0]!.call('CLUSTER', 'ADDSLOTSRANGE', '0', '8191');
    await links[1]!.call('CLUSTER', 'ADDSLOTSRANGE', '8192', '16383');
    for (let i = 1; i < 3; i++) await links[0]!.call('CLUSTER', 'MEET', '127.0.0.1', String(servers[i]!.port));
    for (let tries = 0; tries < 200; tries++) {
      const views = await Promise.all(links.map((l) => l.call('CLUSTER', 'NODES')));
      if (views.every((v) => String(v).trim().split('\n').length === 3 && !/handshake/.test(String(v)))) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await links[2]!.call('CLUSTER', 'REPLICATE', String(await links[0]!.call('CLUSTER', 'MYID')));
    for (let tries = 0; tries < 200; tries++) {
      const infos = await Promise.all(links.slice(0, 2).map((l) => l.call('CLUSTER', 'INFO')));
      if (infos.every((v) => /cluster_state:ok/.test(String(v)))) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    // 20 keys, each written to the master that owns its slot (the replica copies master 0's).
    for (let i = 0; i < 20; i++) {
      const key = `c:${i}`;
      const slot = Number(await links[0]!.call('CLUSTER', 'KEYSLOT', key));
      await links[slot < 8192 ? 0 : 1]!.call('SET', key, 'v'.repeat(i + 1));
    }
    for (let tries = 0; tries < 200; tries++) {
      const [m, r] = await Promise.all([links[0]!.call('DBSIZE'), links[2]!.call('DBSIZE')]);
      if (Number(m) > 0 && m === r) break;
      await new Promise((res) => setTimeout(res, 50));
    }
  }, 30_000);
  afterAll(async () => {
    for (const l of links) l.close();
    await Promise.all(servers.map((s) => s.stop()));
  });

  it('scans each master once and merges the results', async () => {
    const r = await runCli(['keys', '--url', `redis://127.0.0.1:${servers[0]!.port}`, '--cluster', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.scanned).toBe(20);
    expect(out.nodes).toHaveLength(2);
    expect(out.nodes).not.toContain(`127.0.0.1:${servers[2]!.port}`);
    expect(out.biggest.string).toMatchObject({ key: 'c:19', length: 20 });
  });

  it('info --cluster reports every node with its role and slots', async () => {
    const r = await runCli(['info', '--url', `redis://127.0.0.1:${servers[1]!.port}`, '--cluster', '--no-rates', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Array<{ target: string; node: { role: string; slots: Array<[number, number]> } }>;
    expect(out).toHaveLength(3);
    expect(out.map((x) => x.node.role)).toEqual(['master', 'replica', 'master']);
    expect(out[0]!.node.slots).toEqual([[0, 8191]]);
    expect(out[1]!.target).toBe(`127.0.0.1:${servers[2]!.port}`);
  });
});
