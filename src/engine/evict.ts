// maxmemory enforcement (evict.c): before commands run, when used_memory (memory-accounting.ts)
// is above `maxmemory`, keys are deleted by `maxmemory-policy` until enough bytes are freed, and
// write commands are refused with the OOM error when nothing can be freed.
//
// Candidates are chosen the way Redis chooses them, approximately rather than exactly:
// - lru / lfu / volatile-ttl: each round samples `maxmemory-samples` keys per db (from the whole
//   keyspace for allkeys-*, from keys with a TTL for volatile-*) into one eviction pool of 16
//   candidates kept in ascending "badness" across rounds (idle time from the 24-bit, 1 s LRU
//   clock; 255 minus the decayed LFU counter; the sooner the expiry the worse), then deletes the
//   worst candidate that still exists.
// - random: one random key, visiting dbs round robin.
// Each call stops after freeing what it had to, or once its time limit (maxmemory-eviction-
// tenacity) is spent; then it keeps evicting from the event loop between commands, as Redis's
// evictionTimeProc does. Stats: evicted_keys, total/current_eviction_exceeded_time; the
// "evicted" keyspace event; latency events eviction-del and eviction-cycle.
//
// LRU/LFU clocks live on the entries (keyspace.ts Entry: `lru` = last access in unix ms, which is
// also the LFU "last decrement time"; `lfu` = the logarithmic counter). Db.read/write refresh
// `lru` but do not count LFU accesses yet; until the keyspace calls a host hook for that (see the
// report), installEviction wraps read/write/set per instance under an LFU policy only.

import type { Client } from './client.js';
import type { CommandSpec } from './command.js';
import type { Engine } from './engine.js';
import type { Db, Entry } from './keyspace.js';
import { memoryAccounting, notCountedForEvict, type MemoryAccounting } from './memory-accounting.js';
import { notifyEvent } from './notify.js';
import { latencyAddSampleIfNeeded } from './stats/latency-monitor.js';

export const OOM_ERROR = "-OOM command not allowed when used memory > 'maxmemory'.";

const POOL_SIZE = 16;
const LRU_CLOCK_MAX = 0xffffff;
const LFU_INIT_VAL = 5;

/** The eight policies, as flags: which keys are candidates and how they are ranked. */
const POLICIES: Record<string, { allKeys: boolean; rank: 'lru' | 'lfu' | 'ttl' | 'random' | null }> = {
  'volatile-lru': { allKeys: false, rank: 'lru' },
  'volatile-lfu': { allKeys: false, rank: 'lfu' },
  'volatile-random': { allKeys: false, rank: 'random' },
  'volatile-ttl': { allKeys: false, rank: 'ttl' },
  'allkeys-lru': { allKeys: true, rank: 'lru' },
  'allkeys-lfu': { allKeys: true, rank: 'lfu' },
  'allkeys-random': { allKeys: true, rank: 'random' },
  noeviction: { allKeys: false, rank: null },
};

// --- LRU clock and LFU counter -------------------------------------------------------------------

/** Redis's 24-bit LRU clock: unix seconds modulo 2^24 (LRU_CLOCK_RESOLUTION 1000 ms). */
export function lruClock(ms: number): number {
  return Math.floor(ms / 1000) & LRU_CLOCK_MAX;
}

/** estimateObjectIdleTime: milliseconds since the last access, at the clock's resolution. */
export function idleMs(e: Entry, now: number): number {
  const clock = lruClock(now);
  const lru = lruClock(e.lru);
  return (clock >= lru ? clock - lru : clock + (LRU_CLOCK_MAX - lru)) * 1000;
}

const minutes16 = (ms: number): number => Math.floor(ms / 60_000) & 0xffff;

/** LFUDecrAndReturn: the counter after one decrement per `lfu-decay-time` minutes since the last access. */
export function lfuDecrAndReturn(engine: Engine, e: Entry, now: number): number {
  const decay = engine.config.num['lfu-decay-time'] ?? 1;
  if (decay <= 0) return e.lfu;
  const then = minutes16(e.lru);
  const nowMin = minutes16(now);
  const elapsed = nowMin >= then ? nowMin - then : 65535 - then + nowMin;
  const periods = Math.floor(elapsed / decay);
  return periods > e.lfu ? 0 : e.lfu - periods;
}

/** LFULogIncr: increments with probability 1 / ((counter - 5) * lfu-log-factor + 1), saturating at 255. */
export function lfuLogIncr(engine: Engine, counter: number): number {
  if (counter >= 255) return 255;
  const base = Math.max(0, counter - LFU_INIT_VAL);
  const p = 1 / (base * (engine.config.num['lfu-log-factor'] ?? 10) + 1);
  return Math.random() < p ? counter + 1 : counter;
}

/** updateLFU / the LRU refresh of lookupKey: what an access does to an entry under the current policy. */
export function accessEntry(engine: Engine, e: Entry, now: number): void {
  if (engine.lfuPolicy) e.lfu = lfuLogIncr(engine, lfuDecrAndReturn(engine, e, now));
  e.lru = now;
}

// --- state ---------------------------------------------------------------------------------------

interface PoolEntry {
  /** Higher is a better candidate (idle ms, 255 - counter, or -expire time). */
  score: number;
  key: string;
  db: number;
}

interface EvictionState {
  pool: Array<PoolEntry | null>;
  nextDb: number;
  /** Per db, a live iterator over the expires dict for sampling when TTL keys are sparse. */
  volatileCursors: Map<number, Iterator<string>>;
  procRunning: boolean;
  /** performance.now() when memory went over the limit and stayed (0 = not over). */
  exceededSince: number;
  totalExceededUs: number;
  accounting: MemoryAccounting;
}

const states = new WeakMap<Engine, EvictionState>();

function state(engine: Engine): EvictionState {
  let s = states.get(engine);
  if (!s) {
    s = {
      pool: new Array<PoolEntry | null>(POOL_SIZE).fill(null),
      nextDb: 0,
      volatileCursors: new Map(),
      procRunning: false,
      exceededSince: 0,
      totalExceededUs: 0,
      accounting: memoryAccounting(engine),
    };
    states.set(engine, s);
  }
  return s;
}

/** INFO stats: total_eviction_exceeded_time and current_eviction_exceeded_time, in ms. */
export function evictionStats(engine: Engine): { totalExceededMs: number; currentExceededMs: number } {
  const s = states.get(engine);
  if (!s) return { totalExceededMs: 0, currentExceededMs: 0 };
  const currentUs = s.exceededSince ? (performance.now() - s.exceededSince) * 1000 : 0;
  return { totalExceededMs: Math.floor((s.totalExceededUs + currentUs) / 1000), currentExceededMs: Math.floor(currentUs / 1000) };
}

/** CONFIG RESETSTAT's share: the exceeded-time totals. */
export function resetEvictionStats(engine: Engine): void {
  const s = states.get(engine);
  if (!s) return;
  s.totalExceededUs = 0;
  s.exceededSince = 0;
}

// --- sampling ------------------------------------------------------------------------------------

/** Up to `n` keys that have a TTL: random keys of the main dict when at least 1 key in 16 has one, else a sweep. */
function sampleVolatile(s: EvictionState, db: Db, n: number, out: string[]): void {
  const want = Math.min(n, db.expires.size);
  if (db.expires.size * 16 >= db.dict.size) {
    for (let tries = 0; tries < want * 32 && out.length < want; tries++) {
      const k = db.dict.randomKey();
      if (k !== undefined && db.expires.has(k)) out.push(k);
    }
    if (out.length >= want) return;
  }
  // Sparse TTLs: walk the expires dict from where the last sample stopped, skipping a few at random.
  let it = s.volatileCursors.get(db.id);
  for (let guard = 0; out.length < want && guard < want * 8 + 2; guard++) {
    if (!it) s.volatileCursors.set(db.id, (it = db.expires.keys()));
    let r = it.next();
    // Skipping a few keys at random decorrelates samples; small dicts are simply walked.
    const skip = db.expires.size > 64 ? Math.floor(Math.random() * 4) : 0;
    for (let i = 0; i < skip && !r.done; i++) r = it.next();
    if (r.done) {
      it = undefined;
      continue;
    }
    out.push(r.value);
  }
}

function sampleKeys(s: EvictionState, db: Db, allKeys: boolean, n: number): string[] {
  const out: string[] = [];
  if (allKeys) {
    const want = Math.min(n, db.dict.size);
    for (let i = 0; i < want; i++) {
      const k = db.dict.randomKey();
      if (k !== undefined) out.push(k);
    }
  } else sampleVolatile(s, db, n, out);
  return out;
}

/** evictionPoolPopulate: ranks the samples and inserts the good ones, keeping the pool ascending. */
function populatePool(engine: Engine, s: EvictionState, db: Db, rank: 'lru' | 'lfu' | 'ttl', allKeys: boolean, now: number): void {
  const pool = s.pool;
  for (const key of sampleKeys(s, db, allKeys, engine.config.num['maxmemory-samples'] ?? 5)) {
    let score: number;
    if (rank === 'ttl') {
      const at = db.expires.get(key);
      if (at === undefined) continue;
      score = -at;
    } else {
      const e = db.dict.get(key);
      if (!e) continue;
      score = rank === 'lru' ? idleMs(e, now) : 255 - lfuDecrAndReturn(engine, e, now);
    }
    let k = 0;
    while (k < POOL_SIZE && pool[k] !== null && pool[k]!.score < score) k++;
    if (k === 0 && pool[POOL_SIZE - 1] !== null) continue; // worse than everything in a full pool
    if (k < POOL_SIZE && pool[k] === null) {
      // an empty slot: take it
    } else if (pool[POOL_SIZE - 1] === null) {
      for (let j = POOL_SIZE - 1; j > k; j--) pool[j] = pool[j - 1]!;
    } else {
      // Full: drop the least idle candidate (slot 0) and insert just left of k.
      k--;
      for (let j = 0; j < k; j++) pool[j] = pool[j + 1]!;
    }
    pool[k] = { score, key, db: db.id };
  }
}

/** One key to evict under a pool-based policy, or undefined when no db has candidates. */
function pickFromPool(engine: Engine, s: EvictionState, rank: 'lru' | 'lfu' | 'ttl', allKeys: boolean, now: number): [Db, string] | undefined {
  for (;;) {
    let total = 0;
    for (const db of engine.dbs) {
      const n = allKeys ? db.dict.size : db.expires.size;
      if (n === 0) continue;
      populatePool(engine, s, db, rank, allKeys, now);
      total += n;
    }
    if (total === 0) return undefined;
    for (let k = POOL_SIZE - 1; k >= 0; k--) {
      const c = s.pool[k];
      if (!c) continue;
      s.pool[k] = null;
      const db = engine.dbs[c.db]!;
      // A candidate deleted since it was pooled is a ghost: try the next one.
      if (allKeys ? db.dict.has(c.key) : db.expires.has(c.key)) return [db, c.key];
    }
  }
}

function pickRandom(engine: Engine, s: EvictionState, allKeys: boolean): [Db, string] | undefined {
  const n = engine.dbs.length;
  for (let i = 0; i < n; i++) {
    s.nextDb = (s.nextDb + 1) % n;
    const db = engine.dbs[s.nextDb]!;
    if ((allKeys ? db.dict.size : db.expires.size) === 0) continue;
    const out: string[] = [];
    if (allKeys) {
      const k = db.dict.randomKey();
      if (k !== undefined) out.push(k);
    } else sampleVolatile(s, db, 1, out);
    if (out.length) return [db, out[0]!];
  }
  return undefined;
}

// --- performEvictions ---------------------------------------------------------------------------

export type EvictResult = 'ok' | 'running' | 'fail';

/** evictionTimeLimitUs: tenacity 0..10 -> 0..500 µs linearly, then +15% per step, 100 = no limit. */
export function evictionTimeLimitUs(tenacity: number): number {
  if (tenacity <= 10) return 50 * tenacity;
  if (tenacity < 100) return Math.floor(500 * Math.pow(1.15, tenacity - 10));
  return Number.POSITIVE_INFINITY;
}

/** getMaxmemoryState: bytes to free to get back under maxmemory (0 when under). */
function bytesToFree(engine: Engine, s: EvictionState): number {
  const maxmemory = engine.config.num['maxmemory'] ?? 0;
  if (!maxmemory) return 0;
  const reported = s.accounting.usedMemory();
  if (reported <= maxmemory) return 0;
  const used = Math.max(0, reported - notCountedForEvict(engine));
  return used <= maxmemory ? 0 : used - maxmemory;
}

function latencySample(engine: Engine, event: string, ms: number): void {
  latencyAddSampleIfNeeded(engine, event, ms);
}

/** Deletes one evicted key; returns the bytes it freed (as the accounting sees them). */
function evictKey(engine: Engine, db: Db, key: string): number {
  const e = db.dict.get(key) as (Entry & { mem?: number }) | undefined;
  const freed = (e?.mem ?? 0) + (db.expires.has(key) ? 32 : 0);
  const t0 = performance.now();
  db.delete(key);
  engine.propagator?.keyEvicted(db, key); // AOF: logged as DEL/UNLINK (propagate.ts)
  latencySample(engine, 'eviction-del', Math.floor(performance.now() - t0));
  engine.stats.evictedKeys++;
  notifyEvent(engine, 'e', 'evicted', key, db.id, engine.runningClient);
  return freed;
}

function updateMetrics(s: EvictionState, result: EvictResult): EvictResult {
  if (result === 'running' || result === 'fail') {
    if (s.exceededSince === 0) s.exceededSince = performance.now();
  } else if (s.exceededSince !== 0) {
    s.totalExceededUs += (performance.now() - s.exceededSince) * 1000;
    s.exceededSince = 0;
  }
  return result;
}

/**
 * performEvictions(): frees memory by the policy until used_memory is back under maxmemory or
 * the time limit is spent. 'fail' means over the limit with nothing (more) to evict: writes
 * must be refused.
 */
export function performEvictions(engine: Engine, now = Date.now()): EvictResult {
  const s = state(engine);
  if (engine.pause && engine.pause.until > now) return 'ok'; // the dataset is frozen while paused
  const toFree = bytesToFree(engine, s);
  if (toFree === 0) return updateMetrics(s, 'ok');
  const policy = POLICIES[engine.config.get('maxmemory-policy')] ?? POLICIES['noeviction']!;
  const rank = policy.rank;
  if (rank === null) return updateMetrics(s, 'fail');

  const limitUs = evictionTimeLimitUs(engine.config.num['maxmemory-eviction-tenacity'] ?? 10);
  const start = performance.now();
  let freed = 0;
  let keysFreed = 0;
  let result: EvictResult = 'fail';
  let exhausted = false;
  while (freed < toFree) {
    const pick = rank === 'random' ? pickRandom(engine, s, policy.allKeys) : pickFromPool(engine, s, rank, policy.allKeys, now);
    if (!pick) {
      exhausted = true;
      break;
    }
    freed += evictKey(engine, pick[0], pick[1]);
    keysFreed++;
    if (keysFreed % 16 === 0 && (performance.now() - start) * 1000 > limitUs) {
      startEvictionProc(engine);
      break;
    }
  }
  if (!exhausted) result = s.procRunning ? 'running' : 'ok';
  latencySample(engine, 'eviction-cycle', Math.floor(performance.now() - start));
  return updateMetrics(s, result);
}

/** evictionTimeProc: keeps evicting between commands until memory is fine or nothing is left. */
function startEvictionProc(engine: Engine): void {
  const s = state(engine);
  if (s.procRunning) return;
  s.procRunning = true;
  const step = () => {
    if (performEvictions(engine) === 'running') setImmediate(step);
    else s.procRunning = false;
  };
  setImmediate(step);
}

const installed = new WeakSet<Engine>();

/** Commands that still run in MULTI when memory is exhausted (everything else is refused there). */
const MULTI_ALLOWED_ON_OOM = new Set(['exec', 'discard', 'quit', 'reset']);

/** Whether processCommand refuses this command when eviction failed. */
function rejectOnOom(client: Client, spec: CommandSpec | undefined): boolean {
  if (!spec) return true; // called for denyoom commands only
  if (spec.flags.includes('denyoom')) return true;
  if (spec.name === 'exec') return client.multi?.some((q) => q.spec.flags.includes('denyoom')) ?? false;
  return client.multi !== null && !MULTI_ALLOWED_ON_OOM.has(spec.name);
}

/**
 * Installs maxmemory handling on an engine: engine.checkOom (the dispatcher's hook), eviction
 * when `maxmemory` is lowered by CONFIG SET, and LFU access counting on reads and writes.
 */
export function installEviction(engine: Engine): void {
  if (installed.has(engine)) return;
  installed.add(engine);
  const s = state(engine);
  engine.on('resetstat', () => resetEvictionStats(engine));
  let maxmemory = engine.config.num['maxmemory'] ?? 0;
  engine.config.onChange((name) => {
    if (name === 'maxmemory') {
      maxmemory = engine.config.num['maxmemory'] ?? 0;
      if (maxmemory) startEvictionProc(engine);
    } else if (name === 'maxmemory-policy') {
      s.pool.fill(null);
    }
  });
  engine.checkOom = (client: Client, spec?: CommandSpec): string | null => {
    if (!maxmemory) return null;
    const out = performEvictions(engine) === 'fail';
    return out && rejectOnOom(client, spec) ? OOM_ERROR : null;
  };
}
