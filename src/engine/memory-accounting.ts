// used_memory as Redis 7.0 would report it for what the engine holds, kept cheap enough to ask
// before every command (maxmemory needs it that often).
//
// The figure is a sum of parts, each with a known source:
//
//   used_memory = startup (measured on Debian redis-server 7.0.15)
//               + fixed idle allocations + one latency histogram per distinct command run
//               + clients (struct + reply buffer, + query buffer while active, + pending output)
//               + per db: Σ key cost + expires entries + both dicts' bucket arrays
//
// Key costs come from the memory model (src/memory/): the allocations of the dictEntry, the key
// sds and the value (size classes, shared integers, encodings). Computing a value's cost is
// O(elements), so it is never done on the write path. Instead:
//
// - every write marks its entry dirty (the engine's `touched` signal, which commands already raise
//   after each modification); each entry remembers the bytes it contributes (`mem`), and each db
//   keeps the sum. A drain recomputes dirty entries and adds the differences: before a command when
//   maxmemory is set, on every cron tick, and whenever INFO / MEMORY STATS ask. Deleting a key
//   subtracts its bytes at once (Db.remove), so eviction sees the memory it frees.
//   The dirty mark is a field of the entry (the db it is dirty in) plus a push onto one array of
//   (key, entry) pairs: no hashed set, and the drain needs no dictionary lookup. At 100k distinct
//   keys a hashed dirty set and the drain's lookups cost as much as the SET commands themselves.
//   String values skip the queue: their cost is O(1) (a per-length table), so they are recounted
//   at once, while the entry is still in the CPU cache.
// - small values (at most SMALL_COUNT elements, strings always) are recomputed exactly: they are
//   small by definition. Big containers (hashtable hashes and sets, skiplists, long quicklists)
//   are recomputed exactly only when their element count has moved by more than 1/8 since the
//   last exact figure or after count/8 writes; in between the cost is scaled per element from
//   the last exact figure (bucket array re-sized for the new count). Each exact pass is O(n)
//   after Θ(n) writes, so an HSET loop on a million-field hash stays O(1) amortised per write.
//   Cron refines estimated values exactly within a per-tick element budget once they are at
//   rest (no write since the previous tick), so at rest the figure is the model's exact one.
// - bucket arrays follow dict.c: they grow when a db's key count reaches its table size and
//   shrink only in cron when less than 10% full (tryResizeHashTables).
//
// Accuracy vs real Redis on the same dataset: the model's own (exact for strings, lists, listpack
// and intset values, within a fraction of a percent for hashtables and skiplists), plus the
// estimate between exact passes on big values (bounded by the 1/8 rule, typically < 1%). The
// fixed parts (startup, histograms, clients) were measured; they shift used_memory by a few KB,
// not the dataset's per-key figures.
//
// Hooks: the engine tells it when a key changed (keyChanged, from signalModifiedKey: mark dirty),
// when an entry left a db (entryRemoved: subtract at once) and when dicts were emptied or swapped
// wholesale (dictsCleared, FLUSHDB/FLUSHALL/SWAPDB: the totals are rebuilt from the entries, which
// carry their bytes with them).

import { scriptStats } from './scripting/script-stats.js';
import { grownStringCost } from './types/string-sds.js';
import os from 'node:os';
import type { Client } from './client.js';
import type { Engine } from './engine.js';
import type { Db, Entry } from './keyspace.js';
import type { RObj } from './types/objects.js';
import { describeValue, engineThresholds } from './commands/memory.js';
import { REDIS_7_0, sdsBytes, sizeClass, valueCost, type ModelOptions } from '../memory/index.js';
import { tableSizeFor } from '../memory/dict.js';
import { hashCost } from '../memory/hashes.js';
import { setCost } from '../memory/sets.js';
import { zsetCost } from '../memory/zsets.js';
import { quicklistNodes } from '../memory/lists.js';
import { entrySize } from '../memory/listpack.js';
import type { Deque } from './types/deque.js';
import { NIL } from './types/zset.js';
import type { Thresholds } from '../memory/params.js';
import { isCanonicalInt } from './types/objects.js';

// --- measured constants (Debian redis-server 7.0.15, jemalloc 5.3.0, default config) -----------

/** used_memory_startup. */
export const STARTUP_BYTES = 876_232;
/** used_memory_functions / functions.caches of an idle server (counted as overhead). */
const FUNCTIONS_CACHES = 200;
/** Allocations after startup that nothing else explains (dataset of an idle, client-less server). */
const IDLE_DATASET = 430;
/** One latency histogram, allocated the first time a command completes (latency-tracking yes). */
const HISTOGRAM_BYTES = 24_688;
/** CLIENT LIST tot-mem of an idle client: struct + 1 KiB reply buffer (mem_clients_normal). */
const CLIENT_IDLE_BYTES = 1_800;
/** The query buffer a client holds while active (freed by clientsCron after 2 s idle). */
const CLIENT_QUERY_BUFFER = 20_474;
/** Per connection allocations outside the client's own figure (connection struct...): dataset. */
const CONNECTION_EXTRA = 360;
/** Idle Lua VM and functions VM (used_memory_lua / used_memory_vm_functions, outside used_memory). */
export const LUA_VM_BYTES = 32_768;
export const FUNCTIONS_VM_BYTES = 33_792;

/** Values with at most this many elements are recomputed exactly on every change. */
const SMALL_COUNT = 256;
/** Elements of estimated big values cron may recompute exactly per tick. */
const CRON_REFINE_BUDGET = 200_000;

const P = REDIS_7_0;
const Q = P.lgQuantum;
/** dictEntry as allocated (24 -> its size class). */
const ENTRY_ALLOC = sizeClass(P.dictEntry, Q);
/** An unshared integer string: a robj alone. */
const ROBJ_ALLOC = sizeClass(P.robj, Q);
/** String lengths whose cost the per-length table holds. */
const STRING_TABLE = 4096;

/** The last exact figure of a big value, to scale from until the next exact pass. */
interface BigValue {
  /** The encoding then: a conversion (listpack -> hashtable) forces an exact pass. */
  enc: string;
  count: number;
  bytes: number;
  /** Bucket bytes inside `bytes` (hashtable / skiplist dicts), re-sized for estimates. */
  buckets: number;
  writes: number;
  /** `writes` when cron last looked: cron refines only values no write has reached since. */
  writesSeen: number;
}

interface DbState {
  /** Σ mem over the db's entries. */
  total: number;
  /** Big values currently carried by an estimate (cron refines them). */
  estimated: Set<string>;
  mainSlots: number;
  expireSlots: number;
}

/** What getMemoryOverheadData() returns (object.c), for INFO memory and MEMORY STATS. */
export interface MemoryOverhead {
  used: number;
  peak: number;
  startup: number;
  replBacklog: number;
  clientsSlaves: number;
  clientsNormal: number;
  clusterLinks: number;
  aofBuffer: number;
  luaCaches: number;
  functionsCaches: number;
  dbs: Array<{ id: number; main: number; expires: number; slotToKeys: number }>;
  overhead: number;
  keys: number;
  dataset: number;
  datasetPerc: number;
  peakPerc: number;
  bytesPerKey: number;
  rss: number;
  /** The modelled allocator: no external fragmentation, resident = active = allocated. */
  allocatorAllocated: number;
  allocatorActive: number;
  allocatorResident: number;
  allocatorFrag: number;
  allocatorFragBytes: number;
  allocatorRss: number;
  allocatorRssBytes: number;
  rssExtra: number;
  rssExtraBytes: number;
  totalFrag: number;
  totalFragBytes: number;
}

export class MemoryAccounting {
  private readonly dbs: DbState[];
  private readonly big = new WeakMap<RObj, BigValue>();
  /** Dirty entries waiting for the drain, with their keys (entry.dirtyIn says where, null = gone). */
  private pendingKeys: string[] = [];
  private pendingEntries: Entry[] = [];
  private opts: ModelOptions;
  /** Cost of a plain (not int, not grown in place) string value by length under `opts`; -1 = not computed yet. */
  private stringCostByLength = new Float64Array(STRING_TABLE).fill(-1);
  private rebuildPending = true;
  peak = 0;
  /** Elements visited by exact passes over values since creation (the cost the design bounds). */
  visited = 0;
  private rss = 0;
  private clientsSample = 0;

  constructor(private readonly engine: Engine) {
    this.dbs = engine.dbs.map(() => ({ total: 0, estimated: new Set(), mainSlots: 0, expireSlots: 0 }));
    this.opts = this.modelOptions();
    engine.config.onChange((name) => {
      if (/^(hash|set|zset|list)-max-|^maxmemory(-policy)?$/.test(name)) {
        this.opts = this.modelOptions();
        this.stringCostByLength.fill(-1);
      }
    });
    engine.on('cron', () => this.cron());
  }

  private modelOptions(): ModelOptions {
    const c = this.engine.config;
    const policy = c.get('maxmemory-policy');
    // Redis stops sharing the integers 0..9999 when maxmemory is set with an LRU or LFU policy.
    const sharedIntegers = (c.num['maxmemory'] ?? 0) === 0 || !(policy.endsWith('-lru') || policy.endsWith('-lfu'));
    return { params: P, thresholds: engineThresholds(c), sharedIntegers };
  }

  /**
   * A key's value changed (or appeared): its bytes are recomputed before the next read of the
   * totals. `e` is the key's entry in `db` (undefined when the key is gone: nothing to redo).
   */
  keyChanged(db: Db, key: string, e: Entry | undefined): void {
    if (e === undefined) return;
    const o = e.value;
    if (o.type === 'string') {
      const mem = ENTRY_ALLOC + sds(key.length) + this.stringCost(o);
      this.dbs[db.id]!.total += mem - e.mem;
      e.mem = mem;
      return;
    }
    if (e.dirtyIn !== null) return;
    e.dirtyIn = db;
    this.pendingKeys.push(key);
    this.pendingEntries.push(e);
  }

  /** An entry left `db` (delete, expiry, eviction, overwrite by RENAME): its bytes go at once. */
  entryRemoved(db: Db, e: Entry): void {
    e.dirtyIn = null; // a pending recount of it is void
    if (e.mem) {
      this.dbs[db.id]!.total -= e.mem;
      e.mem = 0;
    }
  }

  /** Dicts were emptied or swapped wholesale: rebuild every total from the entries. */
  dictsCleared(): void {
    this.rebuildPending = true;
  }

  /** Recomputes every db's total from its entries (after FLUSHDB / SWAPDB cleared dicts). */
  private rebuild(): void {
    this.rebuildPending = false;
    // Pending entries may have moved to another db (SWAPDB) or left with a flushed dict.
    const wasDirty = new Set<Entry>();
    for (const e of this.pendingEntries) {
      if (e.dirtyIn !== null) wasDirty.add(e);
      e.dirtyIn = null;
    }
    this.pendingKeys = [];
    this.pendingEntries = [];
    for (const db of this.engine.dbs) {
      const st = this.dbs[db.id]!;
      st.total = 0;
      st.estimated.clear();
      if (db.dict.size === 0) st.mainSlots = 0;
      if (db.expires.size === 0) st.expireSlots = 0;
      for (const [key, e] of db.dict.entries()) {
        if (e.mem) st.total += e.mem;
        // Unaccounted, or dirtied before its entry moved: dirty wherever it is now.
        if (!e.mem || wasDirty.has(e)) this.keyChanged(db, key, e);
      }
    }
  }

  /** Brings every db total up to date with the writes made since the last drain. */
  drain(): void {
    if (this.rebuildPending) this.rebuild();
    const keys = this.pendingKeys;
    const entries = this.pendingEntries;
    const n = entries.length;
    if (n === 0) return;
    for (let i = 0; i < n; i++) {
      const e = entries[i]!;
      const db = e.dirtyIn;
      if (db === null) continue; // deleted since: Db.remove already subtracted it
      e.dirtyIn = null;
      const st = this.dbs[db.id]!;
      const mem = this.keyBytes(keys[i]!, e.value, st, false);
      st.total += mem - e.mem;
      e.mem = mem;
    }
    // Replace rather than truncate: a drain of a large backlog should not keep its arrays alive.
    if (n > 4096) {
      this.pendingKeys = [];
      this.pendingEntries = [];
    } else {
      keys.length = 0;
      entries.length = 0;
    }
  }

  /** Bytes a key contributes: dictEntry + key sds + value (buckets and expires counted per db). */
  private keyBytes(key: string, o: RObj, st: DbState, exact: boolean): number {
    return ENTRY_ALLOC + sds(key.length) + this.valueBytes(key, o, st, exact);
  }

  private valueBytes(key: string, o: RObj, st: DbState, forceExact: boolean): number {
    if (o.type === 'string') return this.stringCost(o);
    const count = elements(o);
    if (count <= SMALL_COUNT) {
      st.estimated.delete(key);
      this.visited += count;
      return valueCost(describeValue(o), this.opts).allocated;
    }
    const b = this.big.get(o);
    if (b && !forceExact && b.enc === o.enc) {
      b.writes++;
      const drift = Math.abs(count - b.count);
      if (drift * 8 <= b.count && b.writes * 8 <= b.count) {
        st.estimated.add(key);
        return estimate(b, count, o);
      }
    }
    st.estimated.delete(key);
    this.visited += count;
    const bytes = exactBig(o, this.opts);
    this.big.set(o, { enc: o.enc, count, bytes, buckets: bucketBytes(o, count), writes: 0, writesSeen: 0 });
    return bytes;
  }

  /** stringBytes, with plain strings' costs from the per-length table. */
  private stringCost(o: Extract<RObj, { type: 'string' }>): number {
    const n = o.v.length;
    if (o.enc === 'raw') {
      // Grown in place by SETBIT/BITFIELD/PFADD: the recorded allocation, not the model's guess.
      const grown = grownStringCost(o);
      if (grown) return grown.allocated;
    }
    if (o.enc === 'int' || n >= STRING_TABLE || (o.enc === 'raw' && n <= P.embstrMaxLength)) return stringBytes(o, this.opts);
    let c = this.stringCostByLength[n]!;
    if (c < 0) c = this.stringCostByLength[n] = stringBytes(o, this.opts);
    return c;
  }

  /** Serves cron: drain, refine estimates within budget, shrink sparse tables, sample clients. */
  private cron(): void {
    this.drain();
    let budget = CRON_REFINE_BUDGET;
    const dbs = this.engine.dbs;
    for (let i = 0; i < dbs.length && budget > 0; i++) {
      const st = this.dbs[i]!;
      const db = dbs[i]!;
      for (const key of st.estimated) {
        const e = db.dict.get(key);
        if (!e) {
          st.estimated.delete(key);
          continue;
        }
        // At rest only: a value still being written would go back to an estimate at once, and
        // an exact pass over it every tick costs more than the writes (ZADD into 100k members).
        const b = this.big.get(e.value);
        if (b !== undefined && b.writes !== b.writesSeen) {
          b.writesSeen = b.writes;
          continue;
        }
        const n = elements(e.value);
        if (n > budget) break;
        budget -= n;
        const mem = this.keyBytes(key, e.value, st, true);
        st.total += mem - e.mem;
        e.mem = mem;
      }
    }
    for (let i = 0; i < dbs.length; i++) {
      const st = this.dbs[i]!;
      const db = dbs[i]!;
      st.mainSlots = shrink(grow(st.mainSlots, db.dict.size), db.dict.size);
      st.expireSlots = shrink(grow(st.expireSlots, db.expires.size), db.expires.size);
    }
    this.sampleProcess();
    const used = this.usedMemory();
    if (used > this.peak) this.peak = used;
  }

  private sampleProcess(): void {
    this.rss = process.memoryUsage.rss();
    this.clientsSample = this.clientsMemory();
  }

  /** Σ per-client memory (Redis's mem_clients_normal, computed now). */
  clientsMemory(): number {
    const now = Date.now();
    let sum = 0;
    for (const c of this.engine.clients.values()) sum += clientBytes(c, now);
    return sum;
  }

  /**
   * Latency histograms Redis would hold: one per distinct command run since the last RESETSTAT,
   * read live (a new command's histogram is 24 KB, which eviction must see at once). The command
   * stats map is the O(1) proxy; a command that was only ever rejected is the rare overcount.
   */
  private histograms(): number {
    return this.engine.config.num['latency-tracking'] ? this.engine.stats.commands.size : 0;
  }

  /** Keys, expires and bucket arrays of every db, after growing tables for the current counts. */
  private keyspaceBytes(): number {
    let sum = 0;
    const dbs = this.engine.dbs;
    for (let i = 0; i < dbs.length; i++) {
      const st = this.dbs[i]!;
      const db = dbs[i]!;
      st.mainSlots = grow(st.mainSlots, db.dict.size);
      st.expireSlots = grow(st.expireSlots, db.expires.size);
      sum += st.total + db.expires.size * ENTRY_ALLOC + (st.mainSlots + st.expireSlots) * P.bucket;
    }
    return sum;
  }

  /**
   * used_memory. `live` recomputes the client and histogram parts now (INFO, MEMORY STATS);
   * otherwise the cron samples are used (the per-command maxmemory check).
   */
  usedMemory(live = false): number {
    this.drain();
    if (live || this.rss === 0) this.sampleProcess();
    const clients = this.clientsSample + this.engine.clients.size * CONNECTION_EXTRA;
    return STARTUP_BYTES + FUNCTIONS_CACHES + IDLE_DATASET + this.histograms() * HISTOGRAM_BYTES + clients + this.keyspaceBytes();
  }

  /** getMemoryOverheadData(): the breakdown INFO memory and MEMORY STATS print. */
  overhead(): MemoryOverhead {
    const used = this.usedMemory(true);
    if (used > this.peak) this.peak = used;
    const clientsNormal = this.clientsSample;
    let overhead = STARTUP_BYTES + clientsNormal + FUNCTIONS_CACHES;
    let keys = 0;
    const dbs: MemoryOverhead['dbs'] = [];
    for (const db of this.engine.dbs) {
      if (db.dict.size === 0) continue;
      const st = this.dbs[db.id]!;
      const main = db.dict.size * (P.dictEntry + P.robj) + st.mainSlots * P.bucket;
      const expires = db.expires.size * P.dictEntry + st.expireSlots * P.bucket;
      dbs.push({ id: db.id, main, expires, slotToKeys: 0 });
      overhead += main + expires;
      keys += db.dict.size;
    }
    const dataset = used - overhead;
    const net = used > STARTUP_BYTES ? used - STARTUP_BYTES : 1;
    const rss = this.rss;
    return {
      used,
      peak: this.peak,
      startup: STARTUP_BYTES,
      replBacklog: 0,
      clientsSlaves: 0,
      clientsNormal,
      clusterLinks: 0,
      aofBuffer: 0,
      luaCaches: 0,
      functionsCaches: FUNCTIONS_CACHES,
      dbs,
      overhead,
      keys,
      dataset,
      datasetPerc: Math.fround((dataset * 100) / net),
      peakPerc: Math.fround((used * 100) / this.peak),
      bytesPerKey: keys ? Math.floor(net / keys) : 0,
      rss,
      allocatorAllocated: used,
      allocatorActive: used,
      allocatorResident: used,
      allocatorFrag: 1,
      allocatorFragBytes: 0,
      allocatorRss: 1,
      allocatorRssBytes: 0,
      rssExtra: Math.fround(rss / used),
      rssExtraBytes: rss - used,
      totalFrag: Math.fround(rss / used),
      totalFragBytes: rss - used,
    };
  }

  /** Every db's key bytes computed from scratch, nothing cached (to check the incremental totals). */
  recount(): number[] {
    return this.engine.dbs.map((db) => {
      let sum = 0;
      for (const [key, e] of db.dict.entries()) {
        const o = e.value;
        const value = o.type === 'string' ? stringBytes(o, this.opts) : elements(o) <= SMALL_COUNT ? valueCost(describeValue(o), this.opts).allocated : exactBig(o, this.opts);
        sum += ENTRY_ALLOC + sdsBytes(key.length, Q) + value;
      }
      return sum;
    });
  }

  /** Entries waiting for the drain (strings never wait: they are recounted when written). */
  get queued(): number {
    let n = 0;
    for (const e of this.pendingEntries) if (e.dirtyIn !== null) n++;
    return n;
  }

  /** Per-db figures for tests and reports: accounted key bytes and bucket counts. */
  dbState(id: number): { total: number; mainSlots: number; expireSlots: number; dirty: number; estimated: number } {
    this.drain();
    const st = this.dbs[id]!;
    return { total: st.total, mainSlots: st.mainSlots, expireSlots: st.expireSlots, dirty: this.pendingEntries.length, estimated: st.estimated.size };
  }
}

// --- cost helpers ------------------------------------------------------------------------------

/** A string value's allocation, O(1): the engine already knows the encoding. */
function stringBytes(o: Extract<RObj, { type: 'string' }>, opts: ModelOptions): number {
  if (o.enc === 'int') {
    const shared = opts.sharedIntegers !== false && o.v.length <= 4 && o.v[0] !== '-';
    return shared && Number(o.v) < P.sharedIntegers ? 0 : ROBJ_ALLOC;
  }
  if (o.enc === 'raw') {
    const grown = grownStringCost(o);
    if (grown) return grown.allocated;
  }
  // Short raw strings were grown in place (greedy sds): the model replays that from the bytes.
  if (o.enc === 'raw' && o.v.length <= P.embstrMaxLength) return valueCost(describeValue(o), opts).allocated;
  return valueCost({ type: 'string', length: o.v.length }, opts).allocated;
}

/** sdsBytes for short lengths, from a table (the big-value pass asks for millions of them). */
const SDS_TABLE = Int32Array.from({ length: 4096 }, (_, n) => sdsBytes(n, Q));
const sds = (n: number): number => (n < 4096 ? SDS_TABLE[n]! : sdsBytes(n, Q));

/**
 * The model's exact figure for a big container, in one pass over the engine's structure without
 * building a ValueDescription: the same shape the model derives (counts, the position of the
 * element that forced the conversion, summed sds sizes), so it equals valueCost(describeValue(o)).
 */
function exactBig(o: Exclude<RObj, { type: 'string' }>, opts: ModelOptions): number {
  const t = opts.thresholds as Thresholds;
  switch (o.type) {
    case 'list':
      return listBytes(o.v, t.listMaxListpackSize);
    case 'hash': {
      if (o.enc !== 'hashtable') break;
      const limit = t.hashMaxListpackValue;
      let i = 0;
      let firstLong = -1;
      let longCount = 0;
      let bytes = 0;
      for (const [f, n] of o.v.entries()) {
        if (f.length > limit || n.v.length > limit) {
          longCount++;
          if (firstLong < 0) firstLong = i;
        }
        bytes += sds(f.length) + sds(n.v.length);
        i++;
      }
      if (firstLong < 0 && i <= t.hashMaxListpackEntries) break; // shrunk below the limits: model it from content
      return hashCost({ count: i, firstLong, longCount, entryBytes: 0, sdsBytes: bytes }, t, P, 'write').allocated;
    }
    case 'set': {
      if (o.enc !== 'hashtable') break;
      let i = 0;
      let firstNonInt = -1;
      let nonInt = 0;
      let maxLength = 0;
      let bytes = 0;
      for (const m of o.v.keys()) {
        if (!isCanonicalInt(m)) {
          nonInt++;
          if (firstNonInt < 0) firstNonInt = i;
        }
        if (m.length > maxLength) maxLength = m.length;
        bytes += sds(m.length);
        i++;
      }
      if (firstNonInt < 0 && i <= t.setMaxIntsetEntries) break;
      const shape = { count: i, firstNonInt, nonIntCount: nonInt, intWidth: 8, maxLength, entryBytes: 0, sdsBytes: bytes };
      return setCost(shape, t, P, 'write').allocated;
    }
    case 'zset': {
      if (o.enc !== 'skiplist') break;
      const limit = t.zsetMaxListpackValue;
      let i = 0;
      let firstLong = -1;
      let bytes = 0;
      // Skiplist order, as entries() gives it, without a generator step and a tuple per member.
      const z = o.v;
      for (let n = z.head; n !== NIL; n = z.next(n)) {
        const m = z.eleOf(n);
        if (firstLong < 0 && m.length > limit) firstLong = i;
        bytes += sds(m.length);
        i++;
      }
      if (firstLong < 0 && i <= t.zsetMaxListpackEntries) break;
      return zsetCost({ count: i, firstLong, entryBytes: 0, sdsBytes: bytes }, t, P, 'write').allocated;
    }
  }
  return valueCost(describeValue(o), opts).allocated;
}

/**
 * listCost(elements, fill, P).allocated for the engine's deque, element order, pushes at the tail:
 * the model's own node packing (quicklistNodes) fed through one reused (length, entry size) pair,
 * without copying the list or a generator step and a tuple per element (a 3M-element list is
 * passed over every time it grows by 1/8).
 */
function listBytes(d: Deque<string>, fill: number): number {
  const n = d.length;
  let i = 0;
  const pair: [number, number] = [0, 0];
  const step: IteratorResult<[number, number]> = { done: false, value: pair };
  const end: IteratorResult<[number, number]> = { done: true, value: undefined };
  const shapes: Iterable<[number, number]> = {
    [Symbol.iterator]: () => ({
      next: () => {
        if (i >= n) return end;
        const e = d.at(i++)!;
        pair[0] = e.length;
        pair[1] = entrySize(e);
        return step;
      },
    }),
  };
  const nodes = quicklistNodes(shapes, fill, P);
  if (P.listListpack && nodes.length === 1 && !nodes[0]!.plain) return sizeClass(P.robj, Q) + sizeClass(nodes[0]!.bytes, Q);
  let allocated = sizeClass(P.robj, Q) + sizeClass(P.quicklist, Q);
  const nodeStruct = sizeClass(P.quicklistNode, Q);
  for (const node of nodes) allocated += nodeStruct + sizeClass(node.bytes, Q);
  return allocated;
}

/** Element count of a value (1 for a string). */
function elements(o: RObj): number {
  if (o.type === 'string') return 1;
  return o.type === 'list' ? o.v.length : o.v.size;
}

/** Bucket bytes of a big value's dict at rest (hashtable hashes and sets, skiplist zsets). */
function bucketBytes(o: RObj, count: number): number {
  if (o.enc === 'hashtable' || o.enc === 'skiplist') return tableSizeFor(count, P.dictInitialSize) * P.bucket;
  return 0;
}

/** A big value's cost scaled per element from its last exact figure. */
function estimate(b: BigValue, count: number, o: RObj): number {
  const perElement = (b.bytes - b.buckets) / b.count;
  return Math.round(perElement * count) + (b.buckets ? bucketBytes(o, count) : 0);
}

/** dict.c growth: a table expands to the next power of two once it holds as many keys as buckets. */
function grow(slots: number, used: number): number {
  if (used === 0) return slots;
  return used > slots ? tableSizeFor(used, P.dictInitialSize) : slots;
}

/** tryResizeHashTables (cron): a table under 10% full shrinks to fit (at least 4 buckets). */
function shrink(slots: number, used: number): number {
  if (slots > P.dictInitialSize && (used * 100) / slots < 10) return tableSizeFor(Math.max(used, P.dictInitialSize), P.dictInitialSize);
  return slots;
}

/** What one client holds: struct and reply buffer, the query buffer while active, pending output. */
function clientBytes(c: Client, now: number): number {
  let n = CLIENT_IDLE_BYTES + c.reply.pending;
  if (now - c.lastInteraction < 2000 || c.queryBuffered() > 0) n += CLIENT_QUERY_BUFFER;
  for (const q of c.multi ?? []) {
    n += 8 * q.argv.length;
    for (const a of q.argv) n += a.length;
  }
  return n;
}

// --- per engine ------------------------------------------------------------------------------

const accountings = new WeakMap<Engine, MemoryAccounting>();

/**
 * The engine's memory accounting, created on first use. Creating it attaches the hooks and
 * accounts every key already present, so it may start at any time (the earlier it starts, the
 * sooner the per-write path takes over from the first full pass).
 */
export function memoryAccounting(engine: Engine): MemoryAccounting {
  let a = accountings.get(engine);
  if (!a) accountings.set(engine, (a = new MemoryAccounting(engine)));
  return a;
}

/** used_memory (drains pending writes first). */
export function usedMemory(engine: Engine): number {
  return memoryAccounting(engine).usedMemory();
}

/** Redis's bytesToHuman. */
export function bytesToHuman(n: number): string {
  if (n < 1024) return `${n}B`;
  const units = ['K', 'M', 'G', 'T', 'P'];
  for (let i = 0; i < units.length; i++) {
    if (n < 1024 ** (i + 2)) return `${(n / 1024 ** (i + 1)).toFixed(2)}${units[i]}`;
  }
  return `${n}B`;
}

const f2 = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : '0.00');

/** What freeMemoryGetNotCountedMemory() returns: replica and AOF buffers (none here). */
export function notCountedForEvict(_engine: Engine): number {
  return 0;
}

/**
 * Every INFO memory field of Redis 7.0, in its order. How each maps onto the engine:
 *
 * | field                          | here                                                          |
 * |--------------------------------|---------------------------------------------------------------|
 * | used_memory, _dataset, _overhead | the accounting above (Redis-equivalent bytes)              |
 * | used_memory_rss                | the process's RSS (sampled each cron tick, and now)           |
 * | used_memory_peak               | highest used_memory seen by cron or INFO                      |
 * | allocator_*                    | the modelled allocator: allocated = active = resident = used  |
 * | rss_overhead_*, mem_fragmentation_* | RSS against used_memory: the JS runtime's own cost shows here |
 * | used_memory_lua, _vm_functions | an idle Redis's VMs (the engine has no Lua)                   |
 * | replication, AOF, cluster      | 0, as on an idle standalone Redis without AOF                 |
 * | mem_allocator                  | "libc": not jemalloc (MEMORY MALLOC-STATS says so as well)    |
 */
export function memoryInfo(engine: Engine): Array<[string, string | number]> {
  const m = memoryAccounting(engine).overhead();
  const cfg = engine.config;
  const maxmemory = cfg.num['maxmemory'] ?? 0;
  const scripts = m.luaCaches + m.functionsCaches;
  const scriptCounts = scriptStats(engine);
  return [
    ['used_memory', m.used],
    ['used_memory_human', bytesToHuman(m.used)],
    ['used_memory_rss', m.rss],
    ['used_memory_rss_human', bytesToHuman(m.rss)],
    ['used_memory_peak', m.peak],
    ['used_memory_peak_human', bytesToHuman(m.peak)],
    ['used_memory_peak_perc', `${f2(m.peakPerc)}%`],
    ['used_memory_overhead', m.overhead],
    ['used_memory_startup', m.startup],
    ['used_memory_dataset', m.dataset],
    ['used_memory_dataset_perc', `${f2(m.datasetPerc)}%`],
    ['allocator_allocated', m.allocatorAllocated],
    ['allocator_active', m.allocatorActive],
    ['allocator_resident', m.allocatorResident],
    ['total_system_memory', os.totalmem()],
    ['total_system_memory_human', bytesToHuman(os.totalmem())],
    ['used_memory_lua', LUA_VM_BYTES],
    ['used_memory_vm_eval', LUA_VM_BYTES],
    ['used_memory_lua_human', bytesToHuman(LUA_VM_BYTES)],
    ['used_memory_scripts_eval', m.luaCaches],
    ['number_of_cached_scripts', scriptCounts.scripts],
    ['number_of_functions', scriptCounts.functions],
    ['number_of_libraries', scriptCounts.libraries],
    ['used_memory_vm_functions', FUNCTIONS_VM_BYTES],
    ['used_memory_vm_total', LUA_VM_BYTES + FUNCTIONS_VM_BYTES],
    ['used_memory_vm_total_human', bytesToHuman(LUA_VM_BYTES + FUNCTIONS_VM_BYTES)],
    ['used_memory_functions', m.functionsCaches],
    ['used_memory_scripts', scripts],
    ['used_memory_scripts_human', bytesToHuman(scripts)],
    ['maxmemory', maxmemory],
    ['maxmemory_human', bytesToHuman(maxmemory)],
    ['maxmemory_policy', cfg.get('maxmemory-policy')],
    ['allocator_frag_ratio', f2(m.allocatorFrag)],
    ['allocator_frag_bytes', m.allocatorFragBytes],
    ['allocator_rss_ratio', f2(m.allocatorRss)],
    ['allocator_rss_bytes', m.allocatorRssBytes],
    ['rss_overhead_ratio', f2(m.rssExtra)],
    ['rss_overhead_bytes', m.rssExtraBytes],
    ['mem_fragmentation_ratio', f2(m.totalFrag)],
    ['mem_fragmentation_bytes', m.totalFragBytes],
    ['mem_not_counted_for_evict', notCountedForEvict(engine)],
    ['mem_replication_backlog', m.replBacklog],
    ['mem_total_replication_buffers', 0],
    ['mem_clients_slaves', m.clientsSlaves],
    ['mem_clients_normal', m.clientsNormal],
    ['mem_cluster_links', m.clusterLinks],
    ['mem_aof_buffer', m.aofBuffer],
    ['mem_allocator', 'libc'],
    ['active_defrag_running', 0],
    ['lazyfree_pending_objects', 0],
    ['lazyfreed_objects', engine.stats.lazyfreedObjects],
  ];
}

/** The INFO memory field names in order (for INFO's layout table). */
export const MEMORY_INFO_FIELDS: readonly string[] = [
  'used_memory', 'used_memory_human', 'used_memory_rss', 'used_memory_rss_human', 'used_memory_peak',
  'used_memory_peak_human', 'used_memory_peak_perc', 'used_memory_overhead', 'used_memory_startup',
  'used_memory_dataset', 'used_memory_dataset_perc', 'allocator_allocated', 'allocator_active',
  'allocator_resident', 'total_system_memory', 'total_system_memory_human', 'used_memory_lua',
  'used_memory_vm_eval', 'used_memory_lua_human', 'used_memory_scripts_eval', 'number_of_cached_scripts',
  'number_of_functions', 'number_of_libraries', 'used_memory_vm_functions', 'used_memory_vm_total',
  'used_memory_vm_total_human', 'used_memory_functions', 'used_memory_scripts', 'used_memory_scripts_human',
  'maxmemory', 'maxmemory_human', 'maxmemory_policy', 'allocator_frag_ratio', 'allocator_frag_bytes',
  'allocator_rss_ratio', 'allocator_rss_bytes', 'rss_overhead_ratio', 'rss_overhead_bytes',
  'mem_fragmentation_ratio', 'mem_fragmentation_bytes', 'mem_not_counted_for_evict', 'mem_replication_backlog',
  'mem_total_replication_buffers', 'mem_clients_slaves', 'mem_clients_normal', 'mem_cluster_links',
  'mem_aof_buffer', 'mem_allocator', 'active_defrag_running', 'lazyfree_pending_objects', 'lazyfreed_objects',
];
