// The reference exporter check: Debian's prometheus-redis-exporter (oliver006/redis_exporter) is
// pointed at a real redis-server 7.0 and at the bundled engine, both holding the same dataset
// after the same workload. On the engine it must report redis_up 1 and at least 95% of the
// metric names it reports for real Redis; the names it misses are printed. Exporters are
// stopped after the test.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPair, type Pair } from '../helpers/differential.js';
import { freePort } from '../helpers/servers.js';
import type { RespClient } from '../helpers/resp-client.js';

const EXPORTER = 'prometheus-redis-exporter';

interface Exporter {
  proc: ChildProcess;
  port: number;
}

const running = new Set<ChildProcess>();

async function startExporter(redisPort: number): Promise<Exporter> {
  const port = await freePort();
  const proc = spawn(EXPORTER, ['--redis.addr', `redis://127.0.0.1:${redisPort}`, '--web.listen-address', `127.0.0.1:${port}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  running.add(proc);
  proc.once('exit', () => running.delete(proc));
  let log = '';
  proc.stderr!.on('data', (d) => (log += d));
  const failed = new Promise<never>((_, reject) => proc.once('error', (e) => reject(new Error(`${EXPORTER}: ${e.message}`))));
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const res = await Promise.race([fetch(`http://127.0.0.1:${port}/health`), failed]);
      if (res.ok) return { proc, port };
    } catch (err) {
      if (String(err).includes(EXPORTER)) throw err;
      if (Date.now() > deadline) throw new Error(`${EXPORTER} did not start: ${log.slice(-500)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function stopExporter(e: Exporter): Promise<void> {
  if (e.proc.exitCode !== null) return;
  const exited = new Promise((r) => e.proc.once('exit', r));
  e.proc.kill('SIGTERM');
  await exited;
}

/** Prometheus text -> metric name -> sample lines. */
async function scrape(e: Exporter): Promise<Map<string, string[]>> {
  const text = await (await fetch(`http://127.0.0.1:${e.port}/metrics`)).text();
  const out = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)![0];
    // The exporter's own process and Go runtime metrics say nothing about the target.
    if (/^(go|process|promhttp)_/.test(name)) continue;
    out.set(name, [...(out.get(name) ?? []), line]);
  }
  return out;
}

/** The same small dataset and workload on a server: every type, TTLs, hits, misses, errors, two dbs. */
async function workload(c: RespClient): Promise<void> {
  const cmds: string[][] = [
    ['PING'],
    ['SET', 'str', 'hello'],
    ['SET', 'n', '42'],
    ['SET', 'ttl', 'v', 'EX', '1000'],
    ['RPUSH', 'list', 'a', 'b', 'c'],
    ['HSET', 'hash', 'f1', 'v1', 'f2', 'v2'],
    ['SADD', 'set', 'x', 'y'],
    ['ZADD', 'zset', '1', 'a', '2', 'b'],
    ['GET', 'str'],
    ['GET', 'missing'],
    ['INCR', 'str'],
    ['LPOP', 'nolist'],
    ['CLIENT', 'SETNAME', 'exporter-check'],
    ['SELECT', '3'],
    ['SET', 'other', 'db3'],
    ['EXPIRE', 'other', '500'],
    ['SELECT', '0'],
  ];
  for (const cmd of cmds) await c.call(...cmd);
}

let pair: Pair;
const exporters: Exporter[] = [];

beforeAll(async () => {
  pair = await startPair();
  await workload(pair.r);
  await workload(pair.e);
});

afterAll(async () => {
  await Promise.all(exporters.map(stopExporter));
  for (const p of running) p.kill('SIGKILL');
  await pair?.stop();
});

describe('prometheus-redis-exporter against the engine', () => {
  it('reports redis_up 1 and >= 95% of the metric names it reports for real Redis 7.0', async () => {
    const [re, ee] = await Promise.all([startExporter(pair.redis.port), startExporter(pair.engine.port)]);
    exporters.push(re, ee);
    // Two scrapes, as Prometheus would: counters and the exporter's own state settle after the first.
    await Promise.all([scrape(re), scrape(ee)]);
    const [redis, engine] = await Promise.all([scrape(re), scrape(ee)]);

    expect(engine.get('redis_up')).toEqual(['redis_up 1']);
    expect(redis.get('redis_up')).toEqual(['redis_up 1']);

    const missing = [...redis.keys()].filter((n) => !engine.has(n)).sort();
    const extra = [...engine.keys()].filter((n) => !redis.has(n)).sort();
    const coverage = (redis.size - missing.length) / redis.size;
    console.log(
      `reference exporter: engine covers ${(coverage * 100).toFixed(1)}% of ${redis.size} metric names` +
        `\n  missing on the engine: ${missing.join(', ') || '(none)'}` +
        `\n  only on the engine: ${extra.join(', ') || '(none)'}`,
    );
    expect(coverage).toBeGreaterThanOrEqual(0.95);

    // The per-db and per-command series name the same labels on both.
    const labels = (m: Map<string, string[]>, name: string) => (m.get(name) ?? []).map((l) => l.replace(/\s\S+$/, '')).sort();
    for (const name of ['redis_db_keys', 'redis_db_keys_expiring', 'redis_commands_total', 'redis_errors_total', 'redis_connected_clients']) {
      expect(labels(engine, name), name).toEqual(labels(redis, name));
    }
    // Counters the workload moved agree exactly.
    for (const name of ['redis_keyspace_hits_total', 'redis_keyspace_misses_total', 'redis_db_keys']) {
      expect(engine.get(name), name).toEqual(redis.get(name));
    }
  });
});
