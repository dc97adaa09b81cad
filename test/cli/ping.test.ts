// `redscope ping` end to end: bundled engine by default, real redis-server by --url, and the
// one-line errors for unreachable hosts, bad URLs, bad flags and wrong passwords.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { freePort, startRedis, type TestServer } from '../helpers/servers.js';

let redis: TestServer;
let secured: TestServer;
beforeAll(async () => {
  [redis, secured] = await Promise.all([startRedis(), startRedis({ requirepass: 's3cret' })]);
});
afterAll(async () => {
  await Promise.all([redis?.stop(), secured?.stop()]);
});

describe('redscope ping', () => {
  it('talks to the bundled engine when no target is given', async () => {
    const r = await runCli(['ping', '--json'], { env: { REDIS_URL: '' } });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.bundled).toBe(true);
    expect(out.version).toBe('7.0.15');
  });

  it('reports a real redis-server by --url', async () => {
    const r = await runCli(['ping', '--url', `redis://127.0.0.1:${redis.port}`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^PONG from 127\.0\.0\.1:\d+: redis 7\.0\.\d+ \(master\)/);
  });

  it('reads REDIS_URL', async () => {
    const r = await runCli(['ping', '--json'], { env: { REDIS_URL: `redis://127.0.0.1:${redis.port}/2` } });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).bundled).toBe(false);
  });

  it('says in one line that a host is unreachable, exit 2', async () => {
    const port = await freePort();
    const r = await runCli(['ping', '--url', `redis://127.0.0.1:${port}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`redscope: cannot connect to 127.0.0.1:${port}: connection refused\n`);
  });

  it('names a wrong password and a missing one', async () => {
    const wrong = await runCli(['ping', '--url', `redis://:nope@127.0.0.1:${secured.port}`]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/^redscope: authentication failed for 127\.0\.0\.1:\d+: wrong user name or password\n$/);
    const missing = await runCli(['ping', '--url', `redis://127.0.0.1:${secured.port}`]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/requires a password/);
    const right = await runCli(['ping', '--url', `redis://:s3cret@127.0.0.1:${secured.port}`]);
    expect(right.code).toBe(0);
  });

  it('rejects bad URLs and flags with a clear line', async () => {
    const url = await runCli(['ping', '--url', 'http://x']);
    expect(url.code).toBe(2);
    expect(url.stderr).toBe("redscope: invalid target URL 'http://x': scheme must be redis://, rediss:// or unix://\n");
    const db = await runCli(['ping', '--url', 'redis://127.0.0.1:6379/abc']);
    expect(db.stderr).toMatch(/invalid database 'abc'/);
    const count = await runCli(['ping', '--count', '0']);
    expect(count.code).toBe(2);
    expect(count.stderr).toMatch(/--count must be a whole number/);
    const unknown = await runCli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/);
    expect(unknown.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('prints version and help', async () => {
    const v = await runCli(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const h = await runCli(['--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/server/);
    expect(h.stdout).toMatch(/ping/);
  });
});
