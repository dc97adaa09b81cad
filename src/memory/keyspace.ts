// What a key costs in the keyspace, and what a whole dataset adds up to in INFO memory.
//
// MEMORY USAGE key (7.0 memoryCommand) = the value's objectComputeSize + the key's sds allocation
// + sizeof(dictEntry) (+ the per-entry cluster metadata). It leaves out the keyspace buckets and
// the expires entry, and it reports a shared integer's robj although that costs nothing per key.
//
// INFO memory splits used_memory into overhead and dataset. The per-db overhead is computed, not
// measured: keys x (sizeof(dictEntry) + sizeof(robj)) + 8 x buckets for the main dict, and
// keys-with-TTL x sizeof(dictEntry) + 8 x buckets for the expires dict. Everything else the keys
// allocate (key sds, values, and the difference between those struct sizes and what jemalloc
// really hands out) lands in used_memory_dataset. At rest serverCron has finished rehashing the
// keyspace dicts, so each holds one power-of-two bucket array sized for its key count.

import { byteLength, type Bytes } from './bytes.js';
import { tableSizeFor } from './dict.js';
import { sizeClass } from './jemalloc.js';
import { sdsBytes } from './sds.js';
import type { ValueCost, ValueDescription } from './types.js';
import { resolve, valueCost, type ModelOptions, type Resolved } from './value.js';

/** What MEMORY USAGE key SAMPLES 0 returns on the modelled server. */
export function keyMemoryUsage(key: Bytes, desc: ValueDescription, opts: ModelOptions = {}): number {
  const r = resolve(opts);
  return usageFromCost(byteLength(key), valueCost(desc, opts), r);
}

function entryMeta(r: Resolved): number {
  return r.cluster ? r.p.clusterKeyMetadata : 0;
}

/** MEMORY USAGE from a precomputed value cost and the key's length. */
export function usageFromCost(keyLength: number, cost: ValueCost, r: Resolved): number {
  return cost.usage + sdsBytes(keyLength, r.p.lgQuantum) + r.p.dictEntry + entryMeta(r);
}

/** Bytes the key really allocates (entry, key sds, value, expires entry), buckets excluded. */
export function keyAllocation(key: Bytes, desc: ValueDescription, opts: ModelOptions & { ttl?: boolean } = {}): number {
  const r = resolve(opts);
  return allocationFromCost(byteLength(key), valueCost(desc, opts), !!opts.ttl, r);
}

export function allocationFromCost(keyLength: number, cost: ValueCost, ttl: boolean, r: Resolved): number {
  const q = r.p.lgQuantum;
  const entry = sizeClass(r.p.dictEntry + entryMeta(r), q);
  return entry + sdsBytes(keyLength, q) + cost.allocated + (ttl ? sizeClass(r.p.dictEntry, q) : 0);
}

export interface DbTotals {
  keys: number;
  expires: number;
  /** Bucket counts of the main and expires dicts at rest. */
  mainSlots: number;
  expiresSlots: number;
  /** MEMORY STATS db.N overhead.hashtable.main / .expires / .slot-to-keys as Redis computes them. */
  overheadMain: number;
  overheadExpires: number;
  overheadSlotToKeys: number;
}

export interface DatasetTotals {
  dbs: Record<number, DbTotals>;
  keys: number;
  expires: number;
  /** Sum of MEMORY USAGE over all keys. */
  memoryUsageSum: number;
  /** Everything the keys really allocate, bucket arrays included. */
  allocated: number;
  /** Per-db overhead that INFO counts in used_memory_overhead. */
  overhead: number;
  /** What the keys add to used_memory_dataset (allocated - overhead). */
  dataset: number;
  /** Projected used_memory_dataset: dataset + the idle server's figure (see DatasetOptions). */
  usedMemoryDataset: number;
  /** Projected used_memory: startup + idle + allocated (no clients, no replication, no scripts). */
  usedMemory: number;
}

export interface DatasetOptions extends ModelOptions {
  /** used_memory_startup when known (INFO); the version record's figure otherwise. */
  startupBytes?: number;
  /** The empty server's used_memory_dataset when known; otherwise estimated from the next field. */
  idleDatasetBytes?: number;
  /** Distinct commands the server has run since start (each holds a latency histogram); 0 by default. */
  distinctCommands?: number;
}

/**
 * Accumulates keys one at a time (an RDB pass, a SCAN) and projects INFO memory's figures.
 * Add keys with add() (descriptions) or addCost() (precomputed costs); read totals() at the end.
 */
export class DatasetModel {
  private readonly r: Resolved;
  private readonly perDb = new Map<number, { keys: number; expires: number }>();
  private usageSum = 0;
  private allocatedKeys = 0;

  constructor(private readonly opts: DatasetOptions = {}) {
    this.r = resolve(opts);
    const q = this.r.p.lgQuantum;
    this.entryUsage = this.r.p.dictEntry + entryMeta(this.r);
    this.entryAlloc = sizeClass(this.r.p.dictEntry + entryMeta(this.r), q);
    this.expiresEntryAlloc = sizeClass(this.r.p.dictEntry, q);
  }

  add(key: Bytes, desc: ValueDescription, meta: { ttl?: boolean; db?: number } = {}): ValueCost {
    const cost = valueCost(desc, this.opts);
    this.addCost(byteLength(key), cost, meta);
    return cost;
  }

  addCost(keyLength: number, cost: ValueCost, meta: { ttl?: boolean; db?: number } = {}): void {
    this.addKeyCost(keyLength, cost, !!meta.ttl, meta.db ?? 0);
  }

  /** addCost() without the options object, for callers that add keys by the hundred million. */
  addKeyCost(keyLength: number, cost: ValueCost, ttl: boolean, db: number): void {
    let s = this.lastDb === db ? this.lastDbTotals : undefined;
    if (!s) {
      s = this.perDb.get(db);
      if (!s) this.perDb.set(db, (s = { keys: 0, expires: 0 }));
      this.lastDb = db;
      this.lastDbTotals = s;
    }
    s.keys++;
    if (ttl) s.expires++;
    const keySds = sdsBytes(keyLength, this.r.p.lgQuantum);
    this.usageSum += cost.usage + keySds + this.entryUsage;
    this.allocatedKeys += this.entryAlloc + keySds + cost.allocated + (ttl ? this.expiresEntryAlloc : 0);
  }

  // Per-key constants of usageFromCost() / allocationFromCost(), resolved once, and the db last added to.
  private readonly entryUsage: number;
  private readonly entryAlloc: number;
  private readonly expiresEntryAlloc: number;
  private lastDb = -1;
  private lastDbTotals: { keys: number; expires: number } | undefined;

  totals(): DatasetTotals {
    const p = this.r.p;
    const dbs: Record<number, DbTotals> = {};
    let keys = 0;
    let expires = 0;
    let buckets = 0;
    let overhead = 0;
    for (const [db, s] of [...this.perDb].sort((a, b) => a[0] - b[0])) {
      const mainSlots = s.keys ? tableSizeFor(s.keys, p.dictInitialSize) : 0;
      const expiresSlots = s.expires ? tableSizeFor(s.expires, p.dictInitialSize) : 0;
      const t: DbTotals = {
        keys: s.keys,
        expires: s.expires,
        mainSlots,
        expiresSlots,
        overheadMain: s.keys * (p.dictEntry + p.robj) + mainSlots * p.bucket,
        overheadExpires: s.expires * p.dictEntry + expiresSlots * p.bucket,
        overheadSlotToKeys: this.r.cluster ? s.keys * p.clusterKeyMetadata : 0,
      };
      dbs[db] = t;
      keys += s.keys;
      expires += s.expires;
      buckets += (mainSlots + expiresSlots) * p.bucket;
      overhead += t.overheadMain + t.overheadExpires + t.overheadSlotToKeys;
    }
    const allocated = this.allocatedKeys + buckets;
    const dataset = allocated - overhead;
    const idle = this.opts.idleDatasetBytes ?? p.idleDatasetBytes + (this.opts.distinctCommands ?? 0) * p.latencyHistogramBytes;
    const startup = this.opts.startupBytes ?? p.startupBytes;
    return {
      dbs,
      keys,
      expires,
      memoryUsageSum: this.usageSum,
      allocated,
      overhead,
      dataset,
      usedMemoryDataset: dataset + idle,
      usedMemory: startup + idle + allocated,
    };
  }
}

/** Totals for a list of keys in one go (see DatasetModel for streaming). */
export function datasetTotals(
  entries: Iterable<{ key: Bytes; value: ValueDescription; ttl?: boolean; db?: number }>,
  opts: DatasetOptions = {},
): DatasetTotals {
  const m = new DatasetModel(opts);
  for (const e of entries) m.add(e.key, e.value, { ttl: e.ttl, db: e.db });
  return m.totals();
}
