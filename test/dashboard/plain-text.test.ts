// `redscope dashboard --once` and the no-terminal rules, run as a user would (no TTY): the
// plain-text snapshot of a real redis-server, an unreachable target, and the refusals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { RespClient } from '../helpers/resp-client.js';
import { freePort, startRedis, type TestServer } from '../helpers/servers.js';

let redis: TestServer;
beforeAll(async () => {
  redis = await startRedis({ 'slowlog-log-slower-than': '0' });
  const c = await RespClient.connect(redis.port);
  await c.call('SET', 'user:1', 'ann');
  await c.call('SET', 'session:1', 'x', 'EX', '600');
  await c.call('HSET', 'cart:1', 'apples', '3');
  await c.call('SELECT', '3');
  await c.call('SET', 'other', '1');
  c.close();
});
afterAll(async () => {
  await redis?.stop();
});

describe('redscope dashboard --once', () => {
  it('prints every panel of a real redis-server as text', async () => {
    const r = await runCli(['dashboard', '--once', '--interval', '300ms', '--url', `redis://127.0.0.1:${redis.port}`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^== 127\\.0\\.0\\.1:${redis.port} · redis 7\\.0\\.\\d+ · master · up \\d+s · every 300ms · polled \\d\\d:\\d\\d:\\d\\d`));
    expect(r.stdout).toMatch(/^Throughput {2}[\d.k]+ ops\/s · hit /m);
    expect(r.stdout).toMatch(/^Memory {6}used [\d.]+[KM]iB · rss .+ · maxmemory none \(noeviction\) · evicted 0\/s · expired 0\/s · fragmentation [\d.]+ \(/m);
    expect(r.stdout).toMatch(/^Clients {5}connected \d+ · blocked 0 · rejected 0\/s/m);
    expect(r.stdout).toMatch(/^Latency {5}PING p50 [\d.]+ms {2}p99 [\d.]+ms$/m);
    // slowlog-log-slower-than 0 logs everything, the dashboard's own poll included
    expect(r.stdout).toMatch(/^Slowlog \d+ entries · over 0us\n {2}time +took +command +client$/m);
    expect(r.stdout).toMatch(/^ {2}\d\d:\d\d:\d\d +[\d.]+(us|ms|s) +INFO ALL +127\.0\.0\.1:\d+$/m);
    expect(r.stdout).toMatch(/^Keyspace\n {2}db +keys +expires +avg ttl\n {2}db0 +3 +1 +\d+m\n {2}db3 +1 +0 +-$/m);
    expect(r.stdout).toMatch(/^Commands\n {2}command +calls\/s +calls +us\/call +p99 +fail$/m);
    expect(r.stdout).toMatch(/^ {2}set +[\d.]+ +\d+ /m);
    expect(r.stdout).toMatch(/^Findings/m);
  });

  it('says when a target is unreachable, prints the others, and exits 2', async () => {
    const port = await freePort();
    const r = await runCli(['dashboard', '--once', '--interval', '200ms', '--url', `redis://127.0.0.1:${redis.port}`, '--url', `redis://127.0.0.1:${port}`]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(`== 127.0.0.1:${redis.port} · redis 7.0.`);
    expect(r.stdout).toMatch(new RegExp(`== 127\\.0\\.0\\.1:${port} · every 200ms · polled [\\d:]+ · errors 2\\nunreachable since \\d\\d:\\d\\d:\\d\\d: cannot connect to 127\\.0\\.0\\.1:${port}: connection refused`));
  });

  it('refuses to draw without a terminal, and `redscope` alone prints help there', async () => {
    const live = await runCli(['dashboard', '--url', `redis://127.0.0.1:${redis.port}`]);
    expect(live.code).toBe(2);
    expect(live.stderr).toBe('redscope: the dashboard needs a terminal (stdout is not a TTY); use `redscope dashboard --once` for a plain-text snapshot\n');
    const bare = await runCli([]);
    expect(bare.code).toBe(0);
    expect(bare.stdout).toMatch(/^Usage: redscope/);
    expect(bare.stdout).toMatch(/dashboard .*full-screen live dashboard/);
    expect(bare.stdout).toContain('`redscope dashboard --once` prints it as text');
  });

  it('rejects a bad --interval', async () => {
    const r = await runCli(['dashboard', '--once', '--interval', 'fast']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("redscope: --interval must be a duration from 100ms to 1h such as 1s, 500ms or 2s, got 'fast'\n");
  });
});
