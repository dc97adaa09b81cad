// `redscope slowlog` end to end against redis-server 7.0 logging every command
// (slowlog-log-slower-than 0): calls that differ only by ids group into one shape, KEYS is named
// as an anti-pattern, the JSON carries the keys the team relies on; and the bundled engine works.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { RespClient } from '../helpers/resp-client.js';
import { startRedis, type TestServer } from '../helpers/servers.js';

let redis: TestServer;
beforeAll(async () => {
  redis = await startRedis({ 'slowlog-log-slower-than': '0', 'slowlog-max-len': '1000' });
  const c = await RespClient.connect(redis.port);
  await c.call('CLIENT', 'SETNAME', 'planter');
  await c.pipeline([
    ...Array.from({ length: 30 }, (_, i) => ['GET', `user:${1000 + i}`]),
    ['HSET', 'h', 'a', '1', 'b', '2'],
    ['HGETALL', 'h'],
    ['KEYS', 'user:*'],
  ]);
  c.close();
});
afterAll(async () => {
  await redis?.stop();
});

describe('redscope slowlog', () => {
  it('groups entries by shape and names the anti-patterns', async () => {
    const r = await runCli(['slowlog', '--url', `redis://127.0.0.1:${redis.port}`, '--json', '--count', '1000']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Array.isArray(out.entries)).toBe(true);
    const get = out.groups.find((g: { pattern: string }) => g.pattern === 'GET user:#');
    expect(get).toMatchObject({ command: 'GET', count: 30 });
    for (const k of ['totalUs', 'maxUs', 'p99Us']) expect(typeof get[k]).toBe('number');
    expect(get.maxUs).toBeGreaterThanOrEqual(get.p99Us);
    expect(get.totalUs).toBeGreaterThanOrEqual(get.maxUs);
    const keys = out.groups.find((g: { command: string }) => g.command === 'KEYS');
    expect(keys.antiPatterns).toContain('keys');
    expect(out.antiPatterns.map((a: { id: string }) => a.id)).toEqual(expect.arrayContaining(['keys', 'whole-collection-read']));
    expect(out.clients.byName.map((c: { client: string }) => c.client)).toContain('planter');
    expect(out.findings.map((f: { id: string }) => f.id)).toContain('latency-slowlog-off'); // logs every command
  });

  it('prints a table in plain text off a terminal', async () => {
    const r = await runCli(['slowlog', '--url', `redis://127.0.0.1:${redis.port}`, '--count', '1000', '--top', '3']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/\x1b\[/);
    expect(r.stdout).toMatch(/Command shapes by total time \(top 3 of \d+\)/);
    expect(r.stdout).toMatch(/count\s+total\s+mean\s+p99\s+max\s+pattern/);
    expect(r.stdout).toMatch(/KEYS scans the whole keyspace\s+1×/);
  });

  it('works on the bundled engine', async () => {
    const r = await runCli(['slowlog', '--json'], { env: { REDIS_URL: '' } });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.target).toMatch(/^bundled engine/);
    expect(Array.isArray(out.groups)).toBe(true);
  });
});
