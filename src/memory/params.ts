// Every constant the memory model uses, in one versioned record. The code paths are written once
// against these fields, so a version difference is a different record, not a branch in the code.
//
// REDIS_7_0 is the reference: each figure was checked against Debian's redis-server 7.0.15 with
// jemalloc 5.3.0 (test/memory/model.test.ts compares MEMORY USAGE and INFO memory key by key).
// The other records state what is known to differ; they are marked `verified: false` because no
// test runs them against a real server here.

import type { LgQuantum } from './jemalloc.js';

/** The encoding thresholds Redis reads from its config (defaults of 7.0). */
export interface Thresholds {
  hashMaxListpackEntries: number;
  hashMaxListpackValue: number;
  setMaxIntsetEntries: number;
  /** 7.2+: small non-integer sets are listpacks. Ignored when the params say sets have no listpack. */
  setMaxListpackEntries: number;
  setMaxListpackValue: number;
  zsetMaxListpackEntries: number;
  zsetMaxListpackValue: number;
  /** Negative: node size limit -1..-5 = 4/8/16/32/64 KiB; positive: max entries per node. */
  listMaxListpackSize: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  hashMaxListpackEntries: 512,
  hashMaxListpackValue: 64,
  setMaxIntsetEntries: 512,
  setMaxListpackEntries: 128,
  setMaxListpackValue: 64,
  zsetMaxListpackEntries: 128,
  zsetMaxListpackValue: 64,
  listMaxListpackSize: -2,
};

/** CONFIG names (and their pre-7.0 ziplist aliases) for each threshold. */
const CONFIG_NAMES: Record<keyof Thresholds, string[]> = {
  hashMaxListpackEntries: ['hash-max-listpack-entries', 'hash-max-ziplist-entries'],
  hashMaxListpackValue: ['hash-max-listpack-value', 'hash-max-ziplist-value'],
  setMaxIntsetEntries: ['set-max-intset-entries'],
  setMaxListpackEntries: ['set-max-listpack-entries'],
  setMaxListpackValue: ['set-max-listpack-value'],
  zsetMaxListpackEntries: ['zset-max-listpack-entries', 'zset-max-ziplist-entries'],
  zsetMaxListpackValue: ['zset-max-listpack-value', 'zset-max-ziplist-value'],
  listMaxListpackSize: ['list-max-listpack-size', 'list-max-ziplist-size'],
};

/** Thresholds from a CONFIG GET reply (name -> value); missing names keep their defaults. */
export function thresholdsFromConfig(config: Record<string, string | number>): Thresholds {
  const t: Thresholds = { ...DEFAULT_THRESHOLDS };
  for (const [field, names] of Object.entries(CONFIG_NAMES) as Array<[keyof Thresholds, string[]]>) {
    for (const name of names) {
      const v = config[name];
      if (v === undefined) continue;
      const n = Number(v);
      if (Number.isFinite(n)) t[field] = n;
      break;
    }
  }
  return t;
}

export interface MemoryParams {
  name: string;
  verified: boolean;
  /** jemalloc quantum: 4 for distro builds (Debian/Ubuntu libjemalloc2), 3 for Redis's bundled jemalloc. */
  lgQuantum: LgQuantum;
  /** sizeof(robj). */
  robj: number;
  /** sizeof(dictEntry): key, value union, next. MEMORY USAGE adds this unrounded. */
  dictEntry: number;
  /** sizeof(dictEntry) in set dicts (7.2+ uses key-only entries; same as dictEntry before). */
  setDictEntry: number;
  /** sizeof(dict) (the struct only; bucket arrays are separate). */
  dict: number;
  /** Bytes per bucket pointer. */
  bucket: number;
  /** DICT_HT_INITIAL_SIZE. */
  dictInitialSize: number;
  /** Per-key metadata of the keyspace dict in cluster mode (7.0-7.2 slot-to-keys links). */
  clusterKeyMetadata: number;
  /** sizeof(quicklist) and sizeof(quicklistNode) (40 in 7.0: `sz` became a size_t; 32 before). */
  quicklist: number;
  quicklistNode: number;
  /** Node size limits for list-max-listpack-size -1..-5, the safety limit and the per-insert estimate. */
  quicklistSizeLimits: number[];
  quicklistSafetyLimit: number;
  quicklistInsertOverhead: number;
  /** Elements at least this large get a PLAIN node of their own (packed_threshold, 1 GiB). */
  quicklistPackedThreshold: number;
  /** 7.2+: a small list is a bare listpack until it outgrows one quicklist node. */
  listListpack: boolean;
  /** 7.2+: small non-integer sets are listpacks. */
  setListpack: boolean;
  /** sizeof(zset), sizeof(zskiplist), zskiplistNode without levels, one level. */
  zset: number;
  zskiplist: number;
  zskiplistNode: number;
  zskiplistLevel: number;
  zskiplistMaxLevel: number;
  /** Probability that a skiplist node gets one more level. */
  zskiplistP: number;
  intsetHeader: number;
  listpackHeader: number;
  listpackEnd: number;
  /** Strings up to this length share one allocation with their robj. */
  embstrMaxLength: number;
  /** Integers 0..sharedIntegers-1 are shared objects (unless maxmemory uses an LRU/LFU policy). */
  sharedIntegers: number;
  /** PROTO_MBULK_BIG_ARG: arguments this large become values without a copy (query buffer reused). */
  bigArgThreshold: number;
  /** SDS_MAX_PREALLOC: greedy sds growth doubles below this and adds this much above it. */
  sdsMaxPrealloc: number;
  /** used_memory_startup of an idle server with the default config (measured, informative). */
  startupBytes: number;
  /**
   * used_memory_dataset of an empty server before any command ran (measured): allocations made
   * after the startup figure was taken that INFO does not count as overhead.
   */
  idleDatasetBytes: number;
  /**
   * Each distinct command a server has executed allocates a latency histogram on first use
   * (latency-tracking yes, the 7.0 default), which INFO also counts as dataset (measured).
   */
  latencyHistogramBytes: number;
  notes: string[];
}

export const REDIS_7_0: MemoryParams = {
  name: 'redis-7.0',
  verified: true,
  lgQuantum: 4,
  robj: 16,
  dictEntry: 24,
  setDictEntry: 24,
  dict: 56,
  bucket: 8,
  dictInitialSize: 4,
  clusterKeyMetadata: 16,
  quicklist: 40,
  quicklistNode: 40,
  quicklistSizeLimits: [4096, 8192, 16384, 32768, 65536],
  quicklistSafetyLimit: 8192,
  quicklistInsertOverhead: 8,
  quicklistPackedThreshold: 2 ** 30,
  listListpack: false,
  setListpack: false,
  zset: 16,
  zskiplist: 32,
  zskiplistNode: 24,
  zskiplistLevel: 16,
  zskiplistMaxLevel: 32,
  zskiplistP: 0.25,
  intsetHeader: 8,
  listpackHeader: 6,
  listpackEnd: 1,
  embstrMaxLength: 44,
  sharedIntegers: 10000,
  bigArgThreshold: 32 * 1024,
  sdsMaxPrealloc: 1024 * 1024,
  startupBytes: 876_200,
  idleDatasetBytes: 38_300,
  latencyHistogramBytes: 24_700,
  notes: [
    'Debian redis-server 7.0.15 links the distro libjemalloc2 5.3.0 (16-byte quantum).',
    "Streams: MEMORY USAGE charges 244 bytes per rax node (a flat sizeof), not the node's real size; see streams.ts.",
  ],
};

/** Redis 7.0 built from source (bundled jemalloc, 8-byte quantum): only the size classes differ. */
export const REDIS_7_0_BUNDLED_JEMALLOC: MemoryParams = {
  ...REDIS_7_0,
  name: 'redis-7.0-bundled-jemalloc',
  verified: false,
  lgQuantum: 3,
  notes: [...REDIS_7_0.notes, 'Size classes 24/40/56 exist with the 8-byte quantum: dictEntry really costs 24.'],
};

/**
 * Redis 7.2: sets of at most 128 members of at most 64 bytes that are not all integers are
 * listpacks (set-max-listpack-*); small lists are bare listpacks (converted to a quicklist when
 * they outgrow one node, back when they shrink to half); set dicts store keys without a value
 * (the reference records 16-byte entries, and keys sit directly in buckets when no collision).
 */
export const REDIS_7_2: MemoryParams = {
  ...REDIS_7_0,
  name: 'redis-7.2',
  verified: false,
  listListpack: true,
  setListpack: true,
  setDictEntry: 16,
  notes: [
    'Unverified: set listpacks and list listpacks follow the 7.0 listpack arithmetic.',
    'Set dict entries modelled as 16 bytes; 7.2 also stores lone keys directly in buckets (not modelled).',
  ],
};

/**
 * Redis 7.4: the keyspace is a kvstore (one dict per slot in cluster mode, no slot-to-keys links);
 * hashes may carry field TTLs (listpackEx / metadata, not modelled).
 */
export const REDIS_7_4: MemoryParams = {
  ...REDIS_7_2,
  name: 'redis-7.4',
  clusterKeyMetadata: 0,
  notes: [...REDIS_7_2.notes, 'Hash field expiration (HFE) metadata is not modelled.'],
};

/**
 * Valkey 8.0: the key is embedded in the dictEntry (one allocation instead of entry + key sds),
 * which the figures here do not model; treat results as an upper bound for keyspace overhead.
 */
export const VALKEY_8_0: MemoryParams = {
  ...REDIS_7_4,
  name: 'valkey-8.0',
  notes: [...REDIS_7_4.notes, 'Keys embedded in dict entries (valkey#541) are not modelled: keyspace cost is overstated.'],
};

export const PARAMS_BY_VERSION: Record<string, MemoryParams> = {
  '7.0': REDIS_7_0,
  '7.2': REDIS_7_2,
  '7.4': REDIS_7_4,
  'valkey-8.0': VALKEY_8_0,
};

/** The record for a server version string ("7.0.15", "7.2.4", "valkey-8.0.1"); 7.0 below 7.2. */
export function paramsForVersion(version: string): MemoryParams {
  const valkey = /^valkey-?(\d+)/i.exec(version);
  if (valkey) return VALKEY_8_0;
  const m = /^(\d+)\.(\d+)/.exec(version);
  if (!m) return REDIS_7_0;
  const v = Number(m[1]) * 100 + Number(m[2]);
  if (v >= 704) return REDIS_7_4;
  if (v >= 702) return REDIS_7_2;
  return REDIS_7_0;
}
