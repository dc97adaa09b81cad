// INFO tells the truth: the same dataset and workload go to a real redis-server 7.0 and to the
// engine, then INFO is compared field by field: the engine's field names cover Redis's (the
// missing ones are printed), counted fields agree exactly, sampled ones move like Redis's,
// CONFIG RESETSTAT zeroes what Redis zeroes and keeps what Redis keeps, and every field the
// engine prints has an entry in the field-source table of stats/info.ts.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { RespValue } from '../../../src/formats/resp/reply-parser.js';
import { INFO_FIELD_SOURCES, infoLayout } from '../../../src/engine/stats/info.js';
import { show, startPair, type Cmd, type Pair } from '../../helpers/differential.js';
import { RespClient } from '../../helpers/resp-client.js';

let pair: Pair;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const text = (v: RespValue): string => (v.t === 'bulk' || v.t === 'verbatim' ? v.v : `<${show(v)}>`);

/** INFO text -> field -> value (section headers dropped). */
function fields(info: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of info.split('\r\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.indexOf(':');
    out.set(line.slice(0, i), line.slice(i + 1));
  }
  return out;
}

/** Section titles in order. */
const titles = (info: string): string[] => info.split('\r\n').filter((l) => l.startsWith('# '));

async function info(...sections: string[]): Promise<[Map<string, string>, Map<string, string>]> {
  const [a, b] = await Promise.all([pair.r.call('INFO', ...sections), pair.e.call('INFO', ...sections)]);
  return [fields(text(a)), fields(text(b))];
}

/** Runs commands on both servers, ignoring replies. */
async function both(cmds: Cmd[]): Promise<void> {
  for (const c of cmds) await Promise.all([pair.r.call(...c), pair.e.call(...c)]);
}

/** The same dataset on both: every type, TTLs, two databases, hits, misses and errors. */
const WORKLOAD: Cmd[] = [
  ['SET', 'str', 'hello'],
  ['SET', 'n', '42'],
  ['SET', 'ttl1', 'v', 'EX', '1000'],
  ['SET', 'ttl2', 'v', 'PX', '2000000'],
  ['RPUSH', 'list', 'a', 'b', 'c'],
  ['HSET', 'hash', 'f1', 'v1', 'f2', 'v2'],
  ['SADD', 'set', 'x', 'y', '1'],
  ['ZADD', 'zset', '1', 'a', '2', 'b'],
  ['GET', 'str'],
  ['GET', 'missing'],
  ['HGET', 'hash', 'f1'],
  ['LRANGE', 'nolist', '0', '-1'],
  ['INCR', 'str'],
  ['INCR'],
  ['NOSUCHCOMMAND', 'x'],
  ['SET', 'gone', 'v', 'PX', '1'],
  ['SELECT', '3'],
  ['SET', 'other', 'db3'],
  ['EXPIRE', 'other', '500'],
  ['SELECT', '0'],
];

/** The workload, then a read of the 1 ms key once it has certainly expired (lazy expiry on both). */
async function workload(): Promise<void> {
  await both(WORKLOAD);
  await sleep(20);
  await both([['GET', 'gone']]);
}

/** rdb_changes_since_last_save is never reset: tests compare how much it moved. */
async function dirty(): Promise<[number, number]> {
  const [r, e] = await info('persistence');
  return [Number(r.get('rdb_changes_since_last_save')), Number(e.get('rdb_changes_since_last_save'))];
}

beforeAll(async () => {
  pair = await startPair();
});
afterAll(async () => {
  await pair?.stop();
});
beforeEach(async () => {
  await both([['FLUSHALL'], ['CONFIG', 'RESETSTAT']]);
});

describe('INFO field names', () => {
  it('after the same workload, the engine covers >= 95% of Redis 7.0 INFO EVERYTHING fields', async () => {
    await workload();
    const [r, e] = await info('everything');
    const missing = [...r.keys()].filter((k) => !e.has(k));
    const extra = [...e.keys()].filter((k) => !r.has(k));
    const coverage = (r.size - missing.length) / r.size;
    console.log(
      `INFO everything: engine covers ${(coverage * 100).toFixed(1)}% of ${r.size} fields` +
        `\n  missing: ${missing.join(', ') || '(none)'}\n  only on the engine: ${extra.join(', ') || '(none)'}`,
    );
    expect(coverage).toBeGreaterThanOrEqual(0.95);
  });

  it('section selection: plain, default, all, everything, several, unknown, mixed case', async () => {
    const variants: string[][] = [[], ['default'], ['all'], ['everything'], ['server', 'keyspace'], ['CPU', 'Stats'], ['nosuch'], ['commandstats', 'nosuch'], ['modules'], ['module_list']];
    for (const args of variants) {
      const [a, b] = await Promise.all([pair.r.call('INFO', ...args), pair.e.call('INFO', ...args)]);
      expect(titles(text(b)), `INFO ${args.join(' ')}`).toEqual(titles(text(a)));
      if (args[0] === 'nosuch') expect(text(b)).toBe('');
    }
  });

  it('every field the engine prints has a source in the field-source table, and nothing else is listed', async () => {
    const printed = new Set(infoLayout().flatMap((s) => s.fields));
    const table = Object.keys(INFO_FIELD_SOURCES).filter((k) => !k.endsWith('*'));
    expect(table.filter((k) => !printed.has(k))).toEqual([]);
    expect([...printed].filter((k) => !(k in INFO_FIELD_SOURCES))).toEqual([]);
    // The data-driven lines are covered by their prefixes.
    await both(WORKLOAD);
    const [, e] = await info('everything');
    const prefixes = Object.keys(INFO_FIELD_SOURCES).filter((k) => k.endsWith('*')).map((k) => k.slice(0, -1));
    for (const k of e.keys()) expect(k in INFO_FIELD_SOURCES || prefixes.some((p) => k.startsWith(p)), k).toBe(true);
  });
});

describe('INFO values are real', () => {
  /** Fields whose values are counted and must agree exactly after the same workload. */
  const COUNTED = [
    'keyspace_hits',
    'keyspace_misses',
    'expired_keys',
    'evicted_keys',
    'total_error_replies',
    'rejected_connections',
    'pubsub_channels',
    'pubsub_patterns',
    'connected_clients',
    'blocked_clients',
    'clients_in_timeout_table',
    'maxclients',
  ];

  it('counted stats, errorstats, commandstats counts and keyspace keys/expires agree with Redis', async () => {
    const [r0, e0] = await dirty();
    await workload();
    const [r1, e1] = await dirty();
    expect(e1 - e0, 'rdb_changes_since_last_save').toBe(r1 - r0);
    const [r, e] = await info('everything');
    for (const k of COUNTED) expect(e.get(k), k).toBe(r.get(k));
    const lines = (m: Map<string, string>, prefix: string, norm: (v: string) => string = (v) => v) =>
      [...m].filter(([k]) => k.startsWith(prefix)).map(([k, v]) => `${k}:${norm(v)}`).sort();
    expect(lines(e, 'errorstat_')).toEqual(lines(r, 'errorstat_'));
    const noTimes = (v: string) => v.replace(/usec=\d+,usec_per_call=[\d.]+/, 'usec=*');
    expect(lines(e, 'cmdstat_', noTimes)).toEqual(lines(r, 'cmdstat_', noTimes));
    const noTtl = (v: string) => v.replace(/avg_ttl=\d+/, 'avg_ttl=*');
    expect(lines(e, 'db', noTtl)).toEqual(lines(r, 'db', noTtl));
    // latencystats: one line per command that ran, with the configured percentiles.
    const lat = (m: Map<string, string>) => lines(m, 'latency_percentiles_usec_', (v) => v.replace(/=[\d.]+/g, '=*'));
    expect(lat(e)).toEqual(lat(r));
  });

  it('net input/output bytes and total_commands_processed count what the wire carried', async () => {
    const [ra, ea] = await Promise.all([pair.r.call('INFO', 'stats'), pair.e.call('INFO', 'stats')]);
    await workload();
    const [r1, e1] = await info('stats');
    const [r0, e0] = [fields(text(ra)), fields(text(ea))];
    const d = (a: Map<string, string>, b: Map<string, string>, k: string) => Number(b.get(k)) - Number(a.get(k));
    // The first INFO's own reply is counted by the second one; its size differs between servers.
    const frame = (v: RespValue) => text(v).length + String(text(v).length).length + 5;
    expect(d(e0, e1, 'total_net_output_bytes') - frame(ea)).toBe(d(r0, r1, 'total_net_output_bytes') - frame(ra));
    for (const k of ['total_net_input_bytes', 'total_commands_processed']) expect(d(e0, e1, k), k).toBe(d(r0, r1, k));
  });

  it('generated sequences of reads, writes and errors keep the counters equal', async () => {
    const cmd = fc.oneof(
      fc.tuple(fc.constantFrom('GET', 'EXISTS', 'TYPE', 'STRLEN'), fc.constantFrom('a', 'b', 'c', 'h')),
      fc.tuple(fc.constant('SET'), fc.constantFrom('a', 'b', 'c'), fc.constantFrom('1', 'x')),
      fc.tuple(fc.constant('HSET'), fc.constantFrom('h', 'a'), fc.constant('f'), fc.constant('v')),
      fc.tuple(fc.constant('INCR'), fc.constantFrom('a', 'b', 'c')),
      fc.tuple(fc.constant('DEL'), fc.constantFrom('a', 'b', 'h')),
      fc.tuple(fc.constant('LPUSH'), fc.constantFrom('a', 'l'), fc.constant('x')),
    );
    const seqs = fc.sample(fc.array(cmd, { minLength: 5, maxLength: 30 }), { numRuns: 15, seed: 5 });
    for (const seq of seqs) {
      await both([['FLUSHALL'], ['CONFIG', 'RESETSTAT']]);
      const [r0, e0] = await dirty();
      await both(seq as Cmd[]);
      const [r1, e1] = await dirty();
      expect(e1 - e0, 'rdb_changes_since_last_save').toBe(r1 - r0);
      const [r, e] = await info('stats', 'errorstats', 'commandstats', 'keyspace');
      for (const k of ['keyspace_hits', 'keyspace_misses', 'total_error_replies', 'total_commands_processed'])
        expect(e.get(k), `${k} after ${seq.map((c) => c.join(' ')).join('; ')}`).toBe(r.get(k));
      const keys = (m: Map<string, string>) => [...m].filter(([k]) => /^(errorstat_|db)/.test(k)).map(([k, v]) => `${k}:${v.replace(/avg_ttl=\d+/, '')}`).sort();
      expect(keys(e)).toEqual(keys(r));
    }
  });

  it('clients section: connected, blocked (and in the timeout table), with the same counts as Redis', async () => {
    const extra = await Promise.all([RespClient.connect(pair.redis.port), RespClient.connect(pair.engine.port)]);
    const blockedForever = await Promise.all([RespClient.connect(pair.redis.port), RespClient.connect(pair.engine.port)]);
    const pending = [...extra.map((c) => c.call('BLPOP', 'nolist', '5')), ...blockedForever.map((c) => c.call('BLPOP', 'nolist2', '0'))];
    await sleep(100);
    const [r, e] = await info('clients');
    for (const k of ['connected_clients', 'blocked_clients', 'clients_in_timeout_table', 'tracking_clients', 'cluster_connections'])
      expect(e.get(k), k).toBe(r.get(k));
    expect(e.get('blocked_clients')).toBe('2');
    expect(e.get('clients_in_timeout_table')).toBe('1');
    await both([['RPUSH', 'nolist', 'x'], ['RPUSH', 'nolist2', 'y']]);
    await Promise.all(pending);
    for (const c of [...extra, ...blockedForever]) c.close();
  });

  it('client_recent_max_input_buffer sees a half-received big command, as Redis does', async () => {
    const value = 'x'.repeat(100_000);
    const frame = `*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$${value.length}\r\n${value}\r\n`;
    const writers = await Promise.all([RespClient.connect(pair.redis.port), RespClient.connect(pair.engine.port)]);
    for (const w of writers) w.socket.write(frame.slice(0, 60_000));
    await sleep(1200); // clientsCron samples every client at least once a second
    const [r, e] = await info('clients');
    for (const m of [r, e]) expect(Number(m.get('client_recent_max_input_buffer'))).toBeGreaterThanOrEqual(50_000);
    for (const w of writers) w.socket.write(frame.slice(60_000));
    await Promise.all(writers.map((w) => w.read(2000)));
    for (const w of writers) w.close();
  });

  it('rejected_connections counts connections refused at maxclients', async () => {
    await both([['CONFIG', 'SET', 'maxclients', '1']]);
    try {
      const refused = await Promise.all([RespClient.connect(pair.redis.port), RespClient.connect(pair.engine.port)]);
      const replies = await Promise.all(refused.map((c) => c.read(2000).catch(() => null)));
      for (const rep of replies) expect(rep && show(rep)).toContain('max number of clients reached');
      for (const c of refused) c.close();
      await sleep(50);
    } finally {
      await both([['CONFIG', 'SET', 'maxclients', '10000']]);
    }
    const [r, e] = await info('stats');
    expect(e.get('rejected_connections')).toBe('1');
    expect(e.get('rejected_connections')).toBe(r.get('rejected_connections'));
  });

  it('instantaneous_ops_per_sec and kbps are sampled: non-zero under load, back to zero when idle', async () => {
    const stop = Date.now() + 1200;
    while (Date.now() < stop) await pair.e.pipeline(Array.from({ length: 50 }, () => ['PING']));
    const busy = fields(text(await pair.e.call('INFO', 'stats')));
    expect(Number(busy.get('instantaneous_ops_per_sec'))).toBeGreaterThan(100);
    expect(Number(busy.get('instantaneous_input_kbps'))).toBeGreaterThan(0);
    expect(Number(busy.get('instantaneous_output_kbps'))).toBeGreaterThan(0);
    await sleep(2000); // 16 samples of 100 ms: the window has rolled past the load
    const idle = fields(text(await pair.e.call('INFO', 'stats')));
    expect(Number(idle.get('instantaneous_ops_per_sec'))).toBeLessThan(5);
  });

  it('CPU fields come from the process and grow with work; children are 0 (no forks)', async () => {
    const before = fields(text(await pair.e.call('INFO', 'cpu')));
    const stop = Date.now() + 300;
    while (Date.now() < stop) await pair.e.pipeline(Array.from({ length: 200 }, (_, i) => ['SET', `k${i}`, 'x'.repeat(100)]));
    const after = fields(text(await pair.e.call('INFO', 'cpu')));
    for (const k of ['used_cpu_sys', 'used_cpu_user', 'used_cpu_sys_children', 'used_cpu_user_children', 'used_cpu_sys_main_thread', 'used_cpu_user_main_thread'])
      expect(after.get(k), k).toMatch(/^\d+\.\d{6}$/);
    const total = (m: Map<string, string>) => Number(m.get('used_cpu_sys')) + Number(m.get('used_cpu_user'));
    expect(total(after)).toBeGreaterThan(total(before));
    expect(after.get('used_cpu_sys_children')).toBe('0.000000');
  });

  it('avg_ttl is estimated from the keys with a TTL, as the expire cycle estimates it', async () => {
    await both([
      ['SET', 'a', '1', 'EX', '100'],
      ['SET', 'b', '1', 'EX', '100'],
      ['SET', 'c', '1'],
    ]);
    await sleep(1500);
    const [r, e] = await info('keyspace');
    const ttl = (m: Map<string, string>) => Number(/avg_ttl=(\d+)/.exec(m.get('db0') ?? '')?.[1]);
    expect(ttl(r)).toBeGreaterThan(90_000);
    expect(ttl(e)).toBeGreaterThan(90_000);
    expect(ttl(e)).toBeLessThanOrEqual(100_000);
  });

  it('latency-tracking-info-percentiles changes the labels; latency-tracking no empties the section', async () => {
    await both([['CONFIG', 'SET', 'latency-tracking-info-percentiles', '50 99.99 100'], ['SET', 'a', '1']]);
    let [r, e] = await info('latencystats');
    const shape = (m: Map<string, string>) => (m.get('latency_percentiles_usec_set') ?? '').replace(/=[\d.]+/g, '=*');
    expect(shape(e)).toBe('p50=*,p99.99=*,p100=*');
    expect(shape(e)).toBe(shape(r));
    await both([['CONFIG', 'SET', 'latency-tracking', 'no'], ['CONFIG', 'RESETSTAT'], ['SET', 'a', '1']]);
    [r, e] = await info('latencystats');
    expect([...e.keys()]).toEqual([...r.keys()]);
    expect(e.size).toBe(0);
    await both([['CONFIG', 'SET', 'latency-tracking', 'yes'], ['CONFIG', 'SET', 'latency-tracking-info-percentiles', '50 99 99.9']]);
  });
});

describe('CONFIG RESETSTAT', () => {
  it('zeroes what Redis zeroes and keeps what Redis keeps (keyspace, slow log, memory peak)', async () => {
    await both([['CONFIG', 'SET', 'slowlog-log-slower-than', '0'], ['SLOWLOG', 'RESET']]);
    await workload();
    const [r0, e0] = await dirty();
    await both([['CONFIG', 'RESETSTAT']]);
    const [r, e] = await info('everything');
    const ZEROED = [
      'total_connections_received',
      'total_commands_processed',
      'total_net_input_bytes',
      'total_net_output_bytes',
      'rejected_connections',
      'expired_keys',
      'evicted_keys',
      'keyspace_hits',
      'keyspace_misses',
      'total_error_replies',
      'lazyfreed_objects',
    ];
    for (const k of ZEROED) expect(e.get(k), k).toBe(r.get(k));
    const sectionKeys = (m: Map<string, string>, p: RegExp) => [...m.keys()].filter((k) => p.test(k)).sort();
    // commandstats/latencystats keep only CONFIG RESETSTAT's own... nothing: it is counted after the reset.
    expect(sectionKeys(e, /^(cmdstat_|errorstat_|latency_percentiles)/)).toEqual(sectionKeys(r, /^(cmdstat_|errorstat_|latency_percentiles)/));
    // Kept: the dataset and its change counter, the slow log.
    expect(e.get('db0')?.replace(/avg_ttl=\d+/, '')).toBe(r.get('db0')?.replace(/avg_ttl=\d+/, ''));
    const [r1, e1] = await dirty();
    expect(e1 - e0).toBe(r1 - r0);
    const [rl, el] = await Promise.all([pair.r.call('SLOWLOG', 'LEN'), pair.e.call('SLOWLOG', 'LEN')]);
    expect(show(el)).toBe(show(rl));
    expect(Number(e.get('used_memory_peak'))).toBeGreaterThan(0);
    await both([['SLOWLOG', 'RESET'], ['CONFIG', 'SET', 'slowlog-log-slower-than', '10000']]);
  });
});
