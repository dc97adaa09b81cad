// The poller against real servers: history and rates from consecutive polls, findings from the
// analyzer, PING samples, and a target that is not there (state, never a throw), with the backoff
// table; plus the demo workload's shape.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backoffMs, TargetPoller } from '../../src/dashboard/poller.js';
import { demoBatch } from '../../src/dashboard/demo-load.js';
import { shortenCommand } from '../../src/dashboard/panels/slowlog.js';
import { RespClient } from '../helpers/resp-client.js';
import { freePort, startRedis, type TestServer } from '../helpers/servers.js';

let redis: TestServer;
beforeAll(async () => {
  redis = await startRedis();
  const c = await RespClient.connect(redis.port);
  await c.call('SET', 'k', 'v');
  c.close();
});
afterAll(async () => {
  await redis?.stop();
});

const spec = (port: number) => ({ name: `127.0.0.1:${port}`, host: '127.0.0.1', port, tls: false, db: 0 });

describe('TargetPoller', () => {
  it('keeps a history with rates, PING samples and findings', async () => {
    const p = new TargetPoller(0, spec(redis.port), { bundled: false, demo: false }, { intervalMs: 200, timeoutMs: 2000 });
    try {
      await p.pollOnce();
      p.startSampling();
      await new Promise((r) => setTimeout(r, 400));
      await p.pollOnce();
      const st = p.state;
      expect(st.status).toBe('up');
      expect(st.snapshot?.identity.version).toMatch(/^7\.0\./);
      expect(st.history).toHaveLength(2);
      expect(st.history[0]!.opsPerSec).toBeNull(); // no rate from a single snapshot
      expect(st.history[1]!.opsPerSec).toBeGreaterThan(0); // our own PINGs and INFO
      expect(st.history[1]!.commandsPerSec['ping']).toBeGreaterThan(0);
      expect(st.history[1]!.pingP50Ms).toBeGreaterThan(0);
      expect(st.history[1]!.usedBytes).toBeGreaterThan(0);
      expect(st.findings.map((f) => f.id)).toContain('persistence-none'); // a key, save "" and no AOF
      p.resetHistory();
      expect(p.state.history).toHaveLength(0);
    } finally {
      p.stop();
    }
  });

  it('marks a target that does not answer as down since its first failure, without throwing', async () => {
    const port = await freePort();
    const p = new TargetPoller(0, spec(port), { bundled: false, demo: false }, { intervalMs: 200, timeoutMs: 1000 });
    try {
      await p.pollOnce();
      const since = p.state.downSince;
      expect(p.state.status).toBe('down');
      expect(p.state.lastError).toBe(`cannot connect to 127.0.0.1:${port}: connection refused`);
      await p.pollOnce();
      expect(p.state.downSince).toBe(since);
      expect(p.state.failedPolls).toBe(2);
    } finally {
      p.stop();
    }
  });

  it('backs off by doubling the interval, capped at 30 s', () => {
    expect([1, 2, 3, 4, 10].map((n) => backoffMs(1000, n))).toEqual([1000, 2000, 4000, 8000, 30_000]);
  });
});

describe('demo workload and display helpers', () => {
  it('mixes TTL keys, growing blobs, errors and periodic slow commands', () => {
    const flat = (tick: number) => demoBatch(tick).map((c) => c.join(' '));
    expect(flat(1).some((c) => /^SET demo:session:\d+ token EX \d+$/.test(c))).toBe(true);
    expect(flat(1).some((c) => /^SET demo:blob:\d+ x+ EX 3600$/.test(c))).toBe(true);
    expect(flat(20)).toContain('GET demo:board');
    expect(flat(40)).toContain('ZUNIONSTORE demo:union 2 demo:big:a demo:big:b');
    expect(flat(41)).not.toContain('ZUNIONSTORE demo:union 2 demo:big:a demo:big:b');
  });

  it('shortens slowlog commands and escapes binary bytes', () => {
    expect(shortenCommand(['SET', 'k', 'a b'])).toBe('SET k "a b"');
    expect(shortenCommand(['GET', 'k\x00\xff'])).toBe('GET k\\x00\\xff');
    expect(shortenCommand(['SET', 'k', 'x'.repeat(100)], 20)).toBe(`SET k ${'x'.repeat(13)}…`);
  });
});
