// What a hash costs on Redis 7.0. A hash starts as a listpack of field, value, field, value...
// and becomes a hashtable (dict of sds field -> sds value) for good once it has more than
// hash-max-listpack-entries fields or a field or value longer than hash-max-listpack-value bytes.
//
// The conversion presizes the dict for the fields it holds, and later HSETs grow it with the
// usual incremental rehash (two rehash steps per new field: a lookup, then the insert), which the
// model replays from the insertion order: the conversion happens just before the first pair with
// a long field or value (HSET checks a command's arguments before adding any, so a multi-field
// HSET converts before its first pair), or right after the pair that exceeds the entry limit.
// Loaded hashes follow rdbLoadObject: a big one is presized; a small one with a long pair is
// converted where that pair falls in the RDB (hash order, so random), then presized for the
// remaining pairs; the model takes the table size that is likeliest over those positions.

import { byteLength, latin1, type Bytes } from './bytes.js';
import { addToDict, bucketsOf, expandDict, likelyBuckets, presized, type Buckets, type DictState } from './dict.js';
import { sizeClass } from './jemalloc.js';
import { entrySize, LISTPACK_EMPTY_BYTES, stringEntrySize } from './listpack.js';
import type { MemoryParams, Thresholds } from './params.js';
import { sdsBytes } from './sds.js';
import type { Encoding, Origin, ValueCost } from './types.js';

/** The facts about a hash the model needs, in insertion order. */
export interface HashShape {
  count: number;
  /** Index of the first pair with a field or value longer than the limit, or -1. */
  firstLong: number;
  /** How many pairs have a field or value longer than the limit. */
  longCount: number;
  /** Listpack bytes of all pairs (header and terminator excluded). */
  entryBytes: number;
  /** Sum of the sds allocations of all fields and values (hashtable form). */
  sdsBytes: number;
}

/** Deduplicates fields (the first position is kept, the last value wins, as HSET does). */
export function uniqueFields(fields: Array<[Bytes, Bytes]>): Array<[Bytes, Bytes]> {
  const seen = new Map<string, number>();
  const out: Array<[Bytes, Bytes]> = [];
  for (const [f, v] of fields) {
    const k = latin1(f);
    const at = seen.get(k);
    if (at === undefined) {
      seen.set(k, out.length);
      out.push([f, v]);
    } else out[at] = [out[at]![0], v];
  }
  return out;
}

export function hashShape(fields: Array<[Bytes, Bytes]>, t: Thresholds, p: MemoryParams): HashShape {
  let firstLong = -1;
  let longCount = 0;
  let entryBytes = 0;
  let sds = 0;
  fields.forEach(([f, v], i) => {
    const fl = byteLength(f);
    const vl = byteLength(v);
    if (fl > t.hashMaxListpackValue || vl > t.hashMaxListpackValue) {
      longCount++;
      if (firstLong < 0) firstLong = i;
    }
    entryBytes += entrySize(f) + entrySize(v);
    sds += sdsBytes(fl, p.lgQuantum) + sdsBytes(vl, p.lgQuantum);
  });
  return { count: fields.length, firstLong, longCount, entryBytes, sdsBytes: sds };
}

export function hashSummaryShape(count: number, fieldLength: number, valueLength: number, t: Thresholds, p: MemoryParams): HashShape {
  const long = fieldLength > t.hashMaxListpackValue || valueLength > t.hashMaxListpackValue;
  return {
    count,
    firstLong: long && count > 0 ? 0 : -1,
    longCount: long ? count : 0,
    entryBytes: count * (stringEntrySize(fieldLength) + stringEntrySize(valueLength)),
    sdsBytes: count * (sdsBytes(fieldLength, p.lgQuantum) + sdsBytes(valueLength, p.lgQuantum)),
  };
}

export function hashEncoding(s: HashShape, t: Thresholds): Encoding {
  return s.firstLong >= 0 || s.count > t.hashMaxListpackEntries ? 'hashtable' : 'listpack';
}

/** A loaded hash converted by a long pair at position c (rdbLoadObject, RDB_TYPE_HASH). */
function loadedAfterLongAt(n: number, c: number): DictState {
  let d = addToDict(presized(c), c + 1, 1);
  const rest = n - c - 1;
  if (rest > 4) d = expandDict(d, rest);
  return addToDict(d, rest, 1);
}

/** The bucket arrays a hashtable-encoded hash ends with, replaying its history. */
export function hashBuckets(s: HashShape, t: Thresholds, p: MemoryParams, origin: Origin): Buckets {
  const n = s.count;
  if (origin === 'load') {
    if (n > t.hashMaxListpackEntries) return bucketsOf(addToDict(expandDict(presized(0), n), n, 1), p.bucket);
    // The RDB lists the pairs in hash order: where the first long pair falls is random.
    return likelyBuckets(n, s.longCount, p.bucket, (c) => loadedAfterLongAt(n, c));
  }
  const convertedAt = s.firstLong >= 0 && s.firstLong <= t.hashMaxListpackEntries ? s.firstLong : t.hashMaxListpackEntries + 1;
  const d = addToDict(presized(convertedAt), convertedAt, 1);
  return bucketsOf(addToDict(d, n - convertedAt, 2), p.bucket);
}

export function hashCost(s: HashShape, t: Thresholds, p: MemoryParams, origin: Origin = 'write'): ValueCost {
  const q = p.lgQuantum;
  if (hashEncoding(s, t) === 'listpack') {
    const lp = sizeClass(LISTPACK_EMPTY_BYTES + s.entryBytes, q);
    return { encoding: 'listpack', usage: p.robj + lp, allocated: sizeClass(p.robj, q) + lp };
  }
  const b = hashBuckets(s, t, p, origin);
  return {
    encoding: 'hashtable',
    usage: Math.round(p.robj + p.dict + b.slots * p.bucket + s.count * p.dictEntry + s.sdsBytes),
    allocated: Math.round(sizeClass(p.robj, q) + sizeClass(p.dict, q) + b.bytes + s.count * sizeClass(p.dictEntry, q) + s.sdsBytes),
  };
}

export function hashCostOf(fields: Array<[Bytes, Bytes]>, t: Thresholds, p: MemoryParams, origin: Origin = 'write'): ValueCost {
  return hashCost(hashShape(uniqueFields(fields), t, p), t, p, origin);
}
