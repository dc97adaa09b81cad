// `redscope latency` end to end: a DEBUG SLEEP recorded by redis-server 7.0's latency monitor
// (latency-monitor-threshold 10) shows as a `command` event with our doctor's advice and its
// LATENCY HISTORY; per-command percentiles come from latencystats; --sample/--dist add client-side
// round trips; --intrinsic measures this machine; the bundled engine works.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { RespClient } from '../helpers/resp-client.js';
import { startRedis, type TestServer } from '../helpers/servers.js';

let redis: TestServer;
beforeAll(async () => {
  redis = await startRedis({ 'latency-monitor-threshold': '10' });
  const c = await RespClient.connect(redis.port);
  await c.call('DEBUG', 'SLEEP', '0.05');
  c.close();
});
afterAll(async () => {
  await redis?.stop();
});

describe('redscope latency', () => {
  it('reports the spike, the doctor and per-command percentiles, with a client-side sample', async () => {
    const r = await runCli(['latency', '--url', `redis://127.0.0.1:${redis.port}`, '--json', '--sample', '0.3', '--dist', '--window', '0.1']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    const ev = out.events.find((e: { event: string }) => e.event === 'command');
    expect(ev.maxMs).toBeGreaterThanOrEqual(50);
    expect(ev.latestMs).toBeGreaterThanOrEqual(50);
    expect(ev.stats.samples).toBe(1); // from LATENCY HISTORY
    expect(out.doctor.advice.map((a: { id: string }) => a.id)).toContain('slowlog-inspect');
    const debug = out.commands.find((c: { command: string }) => c.command === 'debug');
    expect(debug.p99Us).toBeGreaterThanOrEqual(50_000);
    expect(out.sample.count).toBeGreaterThan(0);
    expect(out.sample.minMs).toBeLessThanOrEqual(out.sample.maxMs);
    expect(out.sample.histogram.reduce((a: number, h: { count: number }) => a + h.count, 0)).toBe(out.sample.count);
    expect(out.sample.windows.length).toBeGreaterThan(0);
    expect(out.sample.windows[0].histogram).toBeDefined();
    expect(out.findings.map((f: { id: string }) => f.id)).toContain('latency-events');
  });

  it('prints the event, the doctor and --history rows as text', async () => {
    const r = await runCli(['latency', '--url', `redis://127.0.0.1:${redis.port}`, '--history', '--sample', '0.2', '--window', '0.1']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/\x1b\[/);
    expect(r.stdout).toMatch(/^\d\d:\d\d:\d\d {2}min [\d.]+ ms {2}avg [\d.]+ ms {2}max [\d.]+ ms {2}\(\d+ samples, [\d.]+ s\)$/m);
    expect(r.stdout).toMatch(/latency monitor records spikes over 10 ms/);
    expect(r.stdout).toMatch(/^ {2}command\s+\d+ ms\s+\d+ ms/m);
    expect(r.stdout).toMatch(/→ Read SLOWLOG GET/);
  });

  it('measures intrinsic latency without a server, and works on the bundled engine', async () => {
    const i = await runCli(['latency', '--intrinsic', '0.1', '--json']);
    expect(i.code).toBe(0);
    const ir = JSON.parse(i.stdout).intrinsic;
    expect(ir.runs).toBeGreaterThan(0);
    expect(ir.maxUs).toBeGreaterThanOrEqual(ir.avgUs);
    const b = await runCli(['latency', '--json'], { env: { REDIS_URL: '' } });
    expect(b.code).toBe(0);
    const out = JSON.parse(b.stdout);
    expect(out.target).toMatch(/^bundled engine/);
    expect(Array.isArray(out.events)).toBe(true);
    expect(Array.isArray(out.commands)).toBe(true);
    expect(out.sample).toBeUndefined();
  });
});
