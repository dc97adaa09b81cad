// `redscope memory` end to end: a redis-server 7.0 fragmented on purpose (200k small keys, then
// four in five deleted, leaving pages partly used) is judged `fragmented` with activedefrag advice;
// an empty one is too small to judge; the bundled engine works.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { RespClient } from '../helpers/resp-client.js';
import { startRedis, type TestServer } from '../helpers/servers.js';

let fragmented: TestServer;
let empty: TestServer;
beforeAll(async () => {
  [fragmented, empty] = await Promise.all([startRedis(), startRedis()]);
  const c = await RespClient.connect(fragmented.port);
  await c.call('DEBUG', 'POPULATE', '200000', 'key', '100');
  await c.call('EVAL', "for i=0,199999 do if i%5~=0 then redis.call('del','key:'..i) end end return 1", '0');
  c.close();
});
afterAll(async () => {
  await Promise.all([fragmented?.stop(), empty?.stop()]);
});

describe('redscope memory', () => {
  it('judges a fragmented instance and says what to do', async () => {
    const r = await runCli(['memory', '--url', `redis://127.0.0.1:${fragmented.port}`, '--json', '--fail-on', 'warning']);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out.usedBytes).toBeGreaterThan(5 * 1024 * 1024);
    expect(out.rssBytes).toBeGreaterThan(out.usedBytes);
    expect(out.peakBytes).toBeGreaterThan(out.usedBytes);
    expect(out.fragmentation.verdict).toBe('fragmented');
    expect(out.fragmentation.ratio).toBeGreaterThan(1.4);
    expect(out.fragmentation.bytes).toBeGreaterThan(10 * 1024 * 1024);
    expect(out.advice.join(' ')).toMatch(/activedefrag/);
    expect(out.findings.map((f: { id: string }) => f.id)).toContain('memory-fragmentation');
    expect(out.findings.every((f: { area: string }) => f.area === 'memory')).toBe(true);
    expect(r.code).toBe(1); // --fail-on warning with a memory finding
  });

  it('prints the verdict as text', async () => {
    const r = await runCli(['memory', '--url', `redis://127.0.0.1:${fragmented.port}`]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/\x1b\[/);
    expect(r.stdout).toMatch(/verdict: fragmented/);
    expect(r.stdout).toMatch(/Where used memory goes/);
  });

  it('does not judge an empty instance, and works on the bundled engine', async () => {
    const e = JSON.parse((await runCli(['memory', '--url', `redis://127.0.0.1:${empty.port}`, '--json'])).stdout);
    expect(e.fragmentation.verdict).toBe('too-small-to-judge');
    const b = await runCli(['memory', '--json'], { env: { REDIS_URL: '' } });
    expect(b.code).toBe(0);
    const out = JSON.parse(b.stdout);
    expect(out.usedBytes).toBeGreaterThan(0);
    expect(out.fragmentation).toHaveProperty('verdict');
  });
});
