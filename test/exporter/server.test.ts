// The exporter's HTTP behaviour against real servers: the /scrape allow-list (403 before any
// connection), credentials never taken from the scrape URL but from the targets file, a down
// target (redis_up 0, optional 503), Prometheus's scrape-timeout header, floods of 100 concurrent
// scrapes (shared collections on one pooled connection; unreachable and wrong-password targets
// answered, no connection growth) versus connect-per-scrape, CONFIG read once per period, background key
// work served from cache, /discover, /health, the bundled engine as a target, and several
// targets on one /metrics.

import net from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startEngine, startRedis, type TestServer } from '../helpers/servers.js';
import { RespClient } from '../helpers/resp-client.js';
import { readTargetsFile } from '../../src/target/targets-file.js';
import { DEFAULT_KEY_WORK, type RunningExporter } from '../../src/exporter/index.js';
import { fetchText, parseExposition, textOf, redisSpec, startOurs, valueOf } from './helpers.js';

/** A TCP listener that counts connections and never answers (a black hole for RESP). */
async function silentServer(): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let n = 0;
  const sockets = new Set<net.Socket>();
  const srv = net.createServer((s) => {
    n++;
    sockets.add(s);
    s.on('error', () => {});
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  return {
    port,
    connections: () => n,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => srv.close(r));
    },
  };
}

/** What the server says about its connections and INFO calls, read in one INFO call. */
async function serverStats(port: number, password?: string): Promise<{ connectionsReceived: number; connectedClients: number; infoCalls: number }> {
  const c = await RespClient.connect(port);
  if (password) await c.call('AUTH', password);
  const text = textOf(await c.call('INFO', 'stats', 'clients', 'commandstats'));
  c.close();
  const field = (re: RegExp) => Number(re.exec(text)?.[1] ?? NaN);
  return {
    connectionsReceived: field(/total_connections_received:(\d+)/),
    connectedClients: field(/connected_clients:(\d+)/),
    infoCalls: field(/cmdstat_info:calls=(\d+)/),
  };
}

describe('exporter HTTP server', () => {
  let redis: TestServer;
  const cleanup: Array<() => Promise<void>> = [];
  const track = (e: RunningExporter) => (cleanup.push(() => e.close()), e);

  beforeAll(async () => {
    redis = await startRedis();
    const c = await RespClient.connect(redis.port);
    await c.pipeline([['SET', 'user:1', 'abc'], ['SET', 'user:2', '42'], ['RPUSH', 'queue:jobs', 'a', 'b', 'c'], ['SET', 'plain', '7']]);
    c.close();
  });

  afterAll(async () => {
    for (const f of cleanup.reverse()) await f();
    await redis?.stop();
  });

  it('refuses /scrape targets outside the allow-list before connecting, and passwords in the URL', async () => {
    const silent = await silentServer();
    cleanup.push(silent.close);
    const ex = track(await startOurs({ allowTargets: ['10.9.8.*:6379', `127.0.0.1:${silent.port}`] }));
    const other = await freePort();
    const denied = await fetchText(`${ex.url}/scrape?target=${encodeURIComponent(`redis://127.0.0.1:${redis.port}`)}`);
    expect(denied.status).toBe(403);
    expect(denied.text).toMatch(/not allowed/);
    expect((await fetchText(`${ex.url}/scrape?target=127.0.0.1:${other}`)).status).toBe(403);
    // allowed address, but with a password in the URL: refused, never dialled
    const withPass = await fetchText(`${ex.url}/scrape?target=${encodeURIComponent(`redis://:secret@127.0.0.1:${silent.port}`)}`);
    expect(withPass.status).toBe(400);
    expect(withPass.text).toMatch(/password in the scrape URL/);
    expect((await fetchText(`${ex.url}/scrape`)).status).toBe(400);
    await new Promise((r) => setTimeout(r, 100));
    expect(silent.connections()).toBe(0);
    expect(ex.pool.size).toBe(0);
    const m = parseExposition((await fetchText(`${ex.url}/metrics`)).text);
    expect(valueOf(m, 'redis_target_scrape_request_errors_total')).toBe(4);
  });

  it('reports a down target as redis_up 0 with the error, and as HTTP 503 with --down-status 503', async () => {
    const closed = await freePort();
    const plain = track(await startOurs({ targets: [redisSpec(closed)] }));
    const a = await fetchText(`${plain.url}/metrics`);
    expect(a.status).toBe(200);
    const fa = parseExposition(a.text);
    expect(valueOf(fa, 'redis_up')).toBe(0);
    const err = fa.get('redis_exporter_last_scrape_error')!.samples[0]!;
    expect(err.value).toBe(1);
    expect(err.labels['err']).toMatch(/refused|ECONNREFUSED|connect/i);
    const strict = track(await startOurs({ targets: [redisSpec(closed), redisSpec(redis.port)], downStatus: 503 }));
    const b = await fetchText(`${strict.url}/metrics`);
    expect(b.status).toBe(503);
    // two targets on one /metrics: told apart by a target label
    const fb = parseExposition(b.text);
    expect(valueOf(fb, 'redis_up', { target: `127.0.0.1:${closed}` })).toBe(0);
    expect(valueOf(fb, 'redis_up', { target: `127.0.0.1:${redis.port}` })).toBe(1);
    expect((await fetchText(`${strict.url}/scrape?target=127.0.0.1:${redis.port}`)).status).toBe(200);
  });

  it("bounds a scrape by Prometheus's X-Prometheus-Scrape-Timeout-Seconds header", async () => {
    const silent = await silentServer();
    cleanup.push(silent.close);
    const ex = track(await startOurs({ targets: [redisSpec(silent.port)], pool: { timeoutMs: 20_000 } }));
    const r = await fetchText(`${ex.url}/metrics`, { 'X-Prometheus-Scrape-Timeout-Seconds': '0.5' });
    const f = parseExposition(r.text);
    expect(valueOf(f, 'redis_up')).toBe(0);
    // 0.5 s from the header, minus a 10% margin: not the 20 s connection timeout
    expect(f.get('redis_exporter_last_scrape_error')!.samples[0]!.labels['err']).toBe('scrape timed out after 0.450s');
  });

  it('takes credentials from the targets file, never from the URL', async () => {
    const locked = await startRedis({ requirepass: 'pw-7' });
    cleanup.push(locked.stop);
    const dir = mkdtempSync(join(tmpdir(), 'redscope-targets-'));
    cleanup.push(async () => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'targets.json');
    writeFileSync(file, JSON.stringify([{ name: 'locked', url: `redis://127.0.0.1:${locked.port}`, passwordEnv: 'REDSCOPE_TEST_PW' }]));
    process.env['REDSCOPE_TEST_PW'] = 'pw-7';
    const targets = readTargetsFile(file);
    delete process.env['REDSCOPE_TEST_PW'];
    const ex = track(await startOurs({ targets, allowTargets: ['127.0.0.1:*'] }));
    expect(valueOf(parseExposition((await fetchText(`${ex.url}/scrape?target=locked`)).text), 'redis_up')).toBe(1);
    // the same address by URL resolves to the configured target and its credentials
    expect(valueOf(parseExposition((await fetchText(`${ex.url}/scrape?target=127.0.0.1:${locked.port}`)).text), 'redis_up')).toBe(1);
    // without credentials (a glob-allowed address the file does not know): down, with the reason
    const noAuth = track(await startOurs({ allowTargets: ['127.0.0.1:*'] }));
    const f = parseExposition((await fetchText(`${noAuth.url}/scrape?target=127.0.0.1:${locked.port}`)).text);
    expect(valueOf(f, 'redis_up')).toBe(0);
    expect(f.get('redis_exporter_last_scrape_error')!.samples[0]!.labels['err']).toMatch(/NOAUTH|auth/i);
  });

  it('answers a flood of 100 concurrent scrapes from shared collections on one pooled connection; --fresh-connection connects per collection', async () => {
    const pooled = track(await startOurs({ allowTargets: ['127.0.0.1:*'] }));
    const url = `${pooled.url}/scrape?target=127.0.0.1:${redis.port}`;
    await fetchText(url); // open the pooled connection
    const before = await serverStats(redis.port);
    const pages = await Promise.all(Array.from({ length: 100 }, () => fetchText(url)));
    for (const p of pages) {
      expect(p.status).toBe(200);
      expect(valueOf(parseExposition(p.text), 'redis_up')).toBe(1);
    }
    const after = await serverStats(redis.port);
    // only our stats reader connected meanwhile; the exporter opened nothing and holds what it held
    expect(after.connectionsReceived).toBe(before.connectionsReceived + 1);
    expect(after.connectedClients).toBe(before.connectedClients);
    // scrapes arriving while a collection was under way joined it instead of sending their own
    // INFO (the reader's own INFO in `before` counts once)
    expect(after.infoCalls - before.infoCalls - 1).toBeLessThan(100);
    const scrapes = valueOf(parseExposition((await fetchText(url)).text), 'redis_exporter_scrapes_total');
    expect(scrapes).toBe(102);

    const fresh = track(await startOurs({ allowTargets: ['127.0.0.1:*'], pool: { fresh: true } }));
    const before2 = await serverStats(redis.port);
    for (let i = 0; i < 3; i++) await fetchText(`${fresh.url}/scrape?target=127.0.0.1:${redis.port}`);
    expect((await serverStats(redis.port)).connectionsReceived).toBe(before2.connectionsReceived + 1 + 3);
  });

  it('stays up under floods of scrapes of an unreachable target and of one with a wrong password', async () => {
    const closed = await freePort();
    const locked = await startRedis({ requirepass: 'right-pw' });
    cleanup.push(locked.stop);
    const ex = track(
      await startOurs({ targets: [redisSpec(closed, { name: 'gone' }), redisSpec(locked.port, { name: 'locked', password: 'wrong-pw' })], downStatus: 503 }),
    );
    await fetchText(`${ex.url}/scrape?target=locked`); // first contact
    const before = await serverStats(locked.port, 'right-pw');
    for (const [target, reason] of [
      ['gone', /connection refused/],
      ['locked', /auth|password|WRONGPASS/i],
    ] as const) {
      const pages = await Promise.all(Array.from({ length: 100 }, () => fetchText(`${ex.url}/scrape?target=${target}`)));
      for (const p of pages) {
        expect(p.status).toBe(503);
        const f = parseExposition(p.text);
        expect(valueOf(f, 'redis_up')).toBe(0);
        const err = f.get('redis_exporter_last_scrape_error')!.samples[0]!;
        expect(err.value).toBe(1);
        expect(err.labels['err']).toMatch(reason);
      }
    }
    const after = await serverStats(locked.port, 'right-pw');
    expect(after.connectedClients).toBe(before.connectedClients);
    expect(await fetchText(`${ex.url}/health`)).toEqual({ status: 200, text: 'ok\n' });
    expect(ex.pool.size).toBe(2);
    // both still answer, one scrape each after their floods
    const all = parseExposition((await fetchText(`${ex.url}/metrics`)).text);
    expect(valueOf(all, 'redis_exporter_scrapes_total', { target: 'gone' })).toBe(101);
    expect(valueOf(all, 'redis_exporter_scrapes_total', { target: 'locked' })).toBe(102);
  });

  it('reads CONFIG once per configEverySeconds (default 30 s) yet exports config metrics on every scrape', async () => {
    const configGets = async () => {
      const c = await RespClient.connect(redis.port);
      const r = await c.call('INFO', 'commandstats');
      c.close();
      return Number(/cmdstat_config\|get:calls=(\d+)/.exec(textOf(r))?.[1] ?? 0);
    };
    const scrape3 = async (e: RunningExporter) => {
      for (let i = 0; i < 3; i++) {
        const f = parseExposition((await fetchText(`${e.url}/scrape?target=127.0.0.1:${redis.port}`)).text);
        expect(valueOf(f, 'redis_config_maxmemory')).toBe(0);
      }
    };
    const cached = track(await startOurs({ allowTargets: ['127.0.0.1:*'] }));
    let before = await configGets();
    await scrape3(cached);
    expect(await configGets()).toBe(before + 1);
    const every = track(await startOurs({ allowTargets: ['127.0.0.1:*'], pool: { configEverySeconds: 0 } }));
    before = await configGets();
    await scrape3(every);
    expect(await configGets()).toBe(before + 3);
  });

  it('serves key groups, key checks and counts from background work', async () => {
    const spec = redisSpec(redis.port);
    const ex = track(
      await startOurs({
        targets: [spec],
        pool: {
          keyWork: {
            ...DEFAULT_KEY_WORK,
            groups: true,
            checkKeys: [{ db: 0, pattern: 'user:*' }],
            checkSingleKeys: [{ db: 0, pattern: 'queue:jobs' }],
            countKeys: [{ db: 0, pattern: 'user:*' }],
          },
        },
      }),
    );
    await fetchText(`${ex.url}/metrics`); // first scrape starts the background work
    expect((await ex.pool.keyWorkDone(spec))?.error).toBe('');
    const f = parseExposition((await fetchText(`${ex.url}/metrics`)).text);
    expect(valueOf(f, 'redscope_key_group_keys', { db: 'db0', prefix: 'user:' })).toBe(2);
    expect(valueOf(f, 'redscope_key_group_keys', { db: 'db0', prefix: 'queue:' })).toBe(1);
    expect(valueOf(f, 'redscope_key_group_memory_bytes', { db: 'db0', prefix: 'user:' })).toBeGreaterThan(0);
    expect(valueOf(f, 'redis_key_size', { db: 'db0', key: 'user:1' })).toBe(3);
    expect(valueOf(f, 'redis_key_value', { db: 'db0', key: 'user:2' })).toBe(42);
    expect(valueOf(f, 'redis_key_value', { db: 'db0', key: 'user:1' })).toBeUndefined(); // not a number
    expect(valueOf(f, 'redis_key_size', { db: 'db0', key: 'queue:jobs' })).toBe(3);
    expect(valueOf(f, 'redis_keys_count', { db: 'db0', key: 'user:*' })).toBe(2);
    expect(valueOf(f, 'redis_last_key_groups_scrape_duration_milliseconds')).toBeGreaterThanOrEqual(0);
  });

  it('serves /discover, /health, the index and 404; exports the bundled engine like any target', async () => {
    const engine = await startEngine();
    cleanup.push(engine.stop);
    const ex = track(await startOurs({ targets: [redisSpec(engine.port, { name: 'bundled' }), redisSpec(redis.port)] }));
    const sd = JSON.parse((await fetchText(`${ex.url}/discover`)).text) as Array<{ targets: string[] }>;
    expect(sd.flatMap((g) => g.targets).sort()).toEqual([`127.0.0.1:${redis.port}`, 'bundled'].sort());
    expect(await fetchText(`${ex.url}/health`)).toEqual({ status: 200, text: 'ok\n' });
    expect((await fetchText(`${ex.url}/`)).text).toContain('/scrape?target=bundled');
    expect((await fetchText(`${ex.url}/nope`)).status).toBe(404);
    const f = parseExposition((await fetchText(`${ex.url}/scrape?target=bundled`)).text);
    expect(valueOf(f, 'redis_up')).toBe(1);
    expect(f.get('redis_instance_info')!.samples[0]!.labels['redis_version']).toMatch(/^7\./);
  });
});
