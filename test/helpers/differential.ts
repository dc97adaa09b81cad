// Differential testing: the same commands go to a real redis-server and to the engine, and the
// replies are compared. Replies whose order Redis does not define (SMEMBERS, HGETALL on a
// hashtable, KEYS...) are compared after sorting when the caller says so.

import { expect } from 'vitest';
import type { RespValue } from '../../src/formats/resp/reply-parser.js';
import { RespClient } from './resp-client.js';
import { startEngine, startRedis, type TestServer } from './servers.js';

export type Cmd = Array<string | number | Buffer>;

export interface Pair {
  redis: TestServer;
  engine: TestServer;
  r: RespClient;
  e: RespClient;
  stop(): Promise<void>;
}

export async function startPair(directives: Record<string, string> = {}): Promise<Pair> {
  const [redis, engine] = await Promise.all([startRedis(directives), startEngine(directives)]);
  const [r, e] = await Promise.all([RespClient.connect(redis.port), RespClient.connect(engine.port)]);
  return {
    redis,
    engine,
    r,
    e,
    stop: async () => {
      r.close();
      e.close();
      await Promise.all([redis.stop(), engine.stop()]);
    },
  };
}

/** Sorts array-like replies recursively (for replies whose order is unspecified). */
export function sorted(v: RespValue): RespValue {
  if (v.t === 'array' || v.t === 'set') {
    const items = v.v.map(sorted);
    items.sort((a, b) => (JSON.stringify(a, big) < JSON.stringify(b, big) ? -1 : 1));
    return { t: v.t, v: items };
  }
  if (v.t === 'map') {
    const pairs = [...v.v].sort((a, b) => (JSON.stringify(a[0], big) < JSON.stringify(b[0], big) ? -1 : 1));
    return { t: 'map', v: pairs };
  }
  return v;
}

/** Sorts a flat [k1, v1, k2, v2...] array by pairs (HGETALL, ZRANGE WITHSCORES in RESP2 with ties). */
export function sortedPairs(v: RespValue): RespValue {
  if (v.t !== 'array') return v;
  const pairs: RespValue[][] = [];
  for (let i = 0; i < v.v.length; i += 2) pairs.push([v.v[i]!, v.v[i + 1]!]);
  pairs.sort((a, b) => (JSON.stringify(a, big) < JSON.stringify(b, big) ? -1 : 1));
  return { t: 'array', v: pairs.flat() };
}

/** What maskTimes puts where a unix-ms time was. */
export const TIME_MASK: RespValue = { t: 'simple', v: '<time>' };

/** Replaces every integer that looks like a unix-ms time (delivery time, seen-time), which two servers never share. */
export function maskTimes(v: RespValue): RespValue {
  if (v.t === 'int' && Number(v.v) > 1_000_000_000_000) return TIME_MASK;
  if (v.t === 'array' || v.t === 'set' || v.t === 'push') return { ...v, v: v.v.map(maskTimes) } as RespValue;
  if (v.t === 'map') return { t: 'map', v: v.v.map(([k, x]) => [maskTimes(k), maskTimes(x)]) } as RespValue;
  return v;
}

/** Every key of the given databases, "db/key" -> what `describe` says of it (SELECT 0 after). */
export async function describeDatabases<T>(c: RespClient, dbs: number[], describe: (c: RespClient, key: string) => Promise<T>): Promise<Record<string, T>> {
  const all: Record<string, T> = {};
  for (const db of dbs) {
    await c.call('SELECT', db);
    const keys = await c.call('KEYS', '*');
    const names = keys.t === 'array' ? keys.v.map((k) => (k.t === 'bulk' ? k.v : show(k))).sort() : [];
    for (const k of names) all[`${db}/${k}`] = await describe(c, k);
  }
  await c.call('SELECT', 0);
  return all;
}

/** The command that reads a whole value of each type. */
const READ_VALUE: Record<string, (k: string) => Cmd> = {
  string: (k) => ['GET', k],
  list: (k) => ['LRANGE', k, '0', '-1'],
  hash: (k) => ['HGETALL', k],
  set: (k) => ['SMEMBERS', k],
  zset: (k) => ['ZRANGE', k, '0', '-1', 'WITHSCORES'],
  stream: (k) => ['XRANGE', k, '-', '+'],
};

/**
 * A key as data, independent of how a server encodes it: type, value (hash fields and set members
 * sorted, since their order is not defined) and whether it has a TTL. For comparing two servers
 * that were meant to end up with the same data (MIGRATE targets, replicas).
 */
export async function describeValue(c: RespClient, key: string): Promise<string> {
  const type = String(((await c.call('TYPE', key)) as { v: string }).v);
  const read = READ_VALUE[type];
  const value = read ? await c.call(...read(key)) : { t: 'simple' as const, v: `<${type}>` };
  const ttl = await c.call('PTTL', key);
  const shown = type === 'hash' ? show(sortedPairs(value)) : type === 'set' ? show(sorted(value)) : show(value);
  return `${type} ${shown} ttl:${ttl.t === 'int' && ttl.v > 0n ? 'yes' : show(ttl)}`;
}

function big(_k: string, x: unknown): unknown {
  return typeof x === 'bigint' ? x.toString() : x;
}

export function show(v: RespValue): string {
  return JSON.stringify(v, big);
}

export interface CompareOptions {
  /** Normalise each reply before comparing (e.g. `sorted`). */
  normalize?: (v: RespValue, cmd: Cmd) => RespValue;
}

/** Runs each command on both servers in order and expects identical replies. */
export async function same(pair: Pair, cmds: Cmd[], opts: CompareOptions = {}): Promise<void> {
  for (const c of cmds) {
    const [a, b] = await Promise.all([pair.r.call(...c), pair.e.call(...c)]);
    const na = opts.normalize ? opts.normalize(a, c) : a;
    const nb = opts.normalize ? opts.normalize(b, c) : b;
    expect(show(nb), `command: ${c.map(String).join(' ')}`).toBe(show(na));
  }
}

/** Same as `same` but returns the mismatches instead of failing on the first (for generated sequences). */
export async function diff(pair: Pair, cmds: Cmd[], opts: CompareOptions = {}): Promise<string[]> {
  const problems: string[] = [];
  for (const c of cmds) {
    const [a, b] = await Promise.all([pair.r.call(...c), pair.e.call(...c)]);
    const na = opts.normalize ? opts.normalize(a, c) : a;
    const nb = opts.normalize ? opts.normalize(b, c) : b;
    if (show(na) !== show(nb)) problems.push(`${c.map(String).join(' ')}\n  redis:  ${show(na)}\n  engine: ${show(nb)}`);
  }
  return problems;
}

/** CONFIG SET on Redis, and the same values straight into the engine's config. */
export async function configurePair(pair: Pair, values: Record<string, string>): Promise<void> {
  for (const [k, v] of Object.entries(values)) {
    const r = await pair.r.call('CONFIG', 'SET', k, v);
    expect(r.t, `CONFIG SET ${k} ${v} on redis`).toBe('simple');
    pair.engine.engine!.config.set(k, v);
  }
}

/** Empties both servers (every database) and applies `defaults` to both. */
export async function resetPair(pair: Pair, defaults: Record<string, string> = {}): Promise<void> {
  await pair.r.call('FLUSHALL');
  for (const db of pair.engine.engine!.dbs) db.flush();
  await configurePair(pair, defaults);
}

/** The counters every write and read must move exactly as Redis moves them. */
export interface Counters {
  dirty: number;
  hits: number;
  misses: number;
}

/** rdb_changes_since_last_save and keyspace hits/misses from the real server's INFO. */
export async function redisCounters(pair: Pair): Promise<Counters> {
  const r = await pair.r.call('INFO', 'stats', 'persistence');
  const text = r.t === 'bulk' || r.t === 'verbatim' ? r.v : '';
  const field = (name: string) => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(text)?.[1]);
  return { dirty: field('rdb_changes_since_last_save'), hits: field('keyspace_hits'), misses: field('keyspace_misses') };
}

/** The same counters read straight from the in-process engine. */
export function engineCounters(pair: Pair): Counters {
  const e = pair.engine.engine!;
  return { dirty: e.dirty, hits: e.stats.keyspaceHits, misses: e.stats.keyspaceMisses };
}

function delta(a: Counters, b: Counters): Counters {
  return { dirty: b.dirty - a.dirty, hits: b.hits - a.hits, misses: b.misses - a.misses };
}

/**
 * Runs each command on both servers: same reply (after `normalize`), and the same change of
 * dirty / keyspace hits / keyspace misses (INFO itself is not a keyspace access).
 */
export async function sameWithCounters(pair: Pair, cmds: Cmd[], opts: CompareOptions = {}): Promise<void> {
  for (const c of cmds) {
    const [r0, e0] = [await redisCounters(pair), engineCounters(pair)];
    await same(pair, [c], opts);
    const [r1, e1] = [await redisCounters(pair), engineCounters(pair)];
    expect(delta(e0, e1), c.map(String).join(' ')).toEqual(delta(r0, r1));
  }
}

/** Runs a batch on both servers: same replies, and the same number of changes (dirty) overall. */
export async function sameDirty(pair: Pair, cmds: Cmd[], opts: CompareOptions = {}): Promise<void> {
  const [r0, e0] = [await redisCounters(pair), engineCounters(pair)];
  await same(pair, cmds, opts);
  const [r1, e1] = [await redisCounters(pair), engineCounters(pair)];
  expect(e1.dirty - e0.dirty, `dirty after ${cmds.map((c) => c.map(String).join(' ')).join('; ')}`).toBe(r1.dirty - r0.dirty);
}
