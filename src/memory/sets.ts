// What a set costs on Redis 7.0. A set whose members are all canonical integers is an intset
// (8-byte header, then every member at the width of the widest: 2, 4 or 8 bytes) while it has at
// most set-max-intset-entries members; anything else is a hashtable of sds members with empty
// values (7.0 has no listpack sets; 7.2 does, see params.ts).
//
// SADD creates an intset when its first member is an integer, and converts it for good when a
// non-integer arrives or the intset grows past the limit; the conversion presizes the dict for
// the members it holds, later SADDs grow it with one rehash step per insert. The model replays
// that from the member order (loaded sets: like hashes.ts, the likeliest table size over where
// the first non-integer falls in the RDB). MEMORY USAGE counts a full dictEntry per member.

import { byteLength, latin1, strictInt64, type Bytes } from './bytes.js';
import { addToDict, bucketsOf, emptyDict, expandDict, likelyBuckets, presized, type Buckets, type DictState } from './dict.js';
import { sizeClass } from './jemalloc.js';
import { entrySize, LISTPACK_EMPTY_BYTES, stringEntrySize } from './listpack.js';
import type { MemoryParams, Thresholds } from './params.js';
import { sdsBytes } from './sds.js';
import type { Encoding, Origin, ValueCost } from './types.js';

export interface SetShape {
  count: number;
  /** Index of the first non-integer member, or -1 when all are integers. */
  firstNonInt: number;
  /** How many members are not integers. */
  nonIntCount: number;
  /** Widest intset width needed by the integer members (2, 4 or 8). */
  intWidth: number;
  /** Longest member, for the 7.2 listpack limit. */
  maxLength: number;
  /** Listpack bytes of all members (7.2 listpack sets). */
  entryBytes: number;
  /** Sum of the members' sds allocations (hashtable form). */
  sdsBytes: number;
}

export function uniqueMembers(members: Bytes[]): Bytes[] {
  const seen = new Set<string>();
  const out: Bytes[] = [];
  for (const m of members) {
    const k = latin1(m);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(m);
  }
  return out;
}

function widthOf(v: bigint): number {
  if (v < -2147483648n || v > 2147483647n) return 8;
  if (v < -32768n || v > 32767n) return 4;
  return 2;
}

export function setShape(members: Bytes[], p: MemoryParams): SetShape {
  let firstNonInt = -1;
  let nonIntCount = 0;
  let intWidth = 2;
  let maxLength = 0;
  let entryBytes = 0;
  let sds = 0;
  members.forEach((m, i) => {
    const len = byteLength(m);
    const v = strictInt64(m);
    if (v === null) {
      nonIntCount++;
      if (firstNonInt < 0) firstNonInt = i;
    } else intWidth = Math.max(intWidth, widthOf(v));
    maxLength = Math.max(maxLength, len);
    entryBytes += entrySize(m);
    sds += sdsBytes(len, p.lgQuantum);
  });
  return { count: members.length, firstNonInt, nonIntCount, intWidth, maxLength, entryBytes, sdsBytes: sds };
}

/** `count` non-integer members of `len` bytes. */
export function setSummaryShape(count: number, len: number, p: MemoryParams): SetShape {
  return {
    count,
    firstNonInt: count > 0 ? 0 : -1,
    nonIntCount: count,
    intWidth: 2,
    maxLength: len,
    entryBytes: count * stringEntrySize(len),
    sdsBytes: count * sdsBytes(len, p.lgQuantum),
  };
}

/** `count` integer members of the given width (their decimal text taken at the width's typical length). */
export function intSetSummaryShape(count: number, width: 2 | 4 | 8, p: MemoryParams): SetShape {
  const digits = width === 2 ? 5 : width === 4 ? 10 : 19;
  return {
    count,
    firstNonInt: -1,
    nonIntCount: 0,
    intWidth: width,
    maxLength: digits,
    entryBytes: count * (width === 2 ? 4 : width === 4 ? 6 : 10),
    sdsBytes: count * sdsBytes(digits, p.lgQuantum),
  };
}

export function setEncoding(s: SetShape, t: Thresholds, p: MemoryParams): Encoding {
  if (s.firstNonInt < 0 && s.count <= t.setMaxIntsetEntries) return 'intset';
  if (p.setListpack && s.count <= t.setMaxListpackEntries && s.maxLength <= t.setMaxListpackValue) return 'listpack';
  return 'hashtable';
}

/** A loaded set converted by a non-integer member at position c (rdbLoadObject, RDB_TYPE_SET). */
function loadedAfterNonIntAt(n: number, c: number): DictState {
  const d = expandDict(addToDict(presized(c), c, 1), n);
  return addToDict(d, n - c, 1);
}

/** The bucket arrays a hashtable-encoded set ends with, replaying its history. */
export function setBuckets(s: SetShape, t: Thresholds, p: MemoryParams, origin: Origin): Buckets {
  const n = s.count;
  if (origin === 'load') {
    if (n > t.setMaxIntsetEntries) return bucketsOf(addToDict(presized(n), n, 1), p.bucket);
    // The RDB lists members in hash order: where the first non-integer falls is random.
    return likelyBuckets(n, s.nonIntCount, p.bucket, (c) => loadedAfterNonIntAt(n, c));
  }
  if (s.firstNonInt === 0) return bucketsOf(addToDict(emptyDict(), n, 1), p.bucket);
  const limit = t.setMaxIntsetEntries;
  // Converted before adding the first non-integer, or right after the intset outgrew the limit.
  const convertedAt = s.firstNonInt > 0 && s.firstNonInt <= limit ? s.firstNonInt : limit + 1;
  const d = addToDict(presized(convertedAt), convertedAt, 1);
  return bucketsOf(addToDict(d, n - convertedAt, 1), p.bucket);
}

export function setCost(s: SetShape, t: Thresholds, p: MemoryParams, origin: Origin = 'write'): ValueCost {
  const q = p.lgQuantum;
  const encoding = setEncoding(s, t, p);
  if (encoding === 'intset') {
    const is = sizeClass(p.intsetHeader + s.count * s.intWidth, q);
    return { encoding, usage: p.robj + is, allocated: sizeClass(p.robj, q) + is };
  }
  if (encoding === 'listpack') {
    const lp = sizeClass(LISTPACK_EMPTY_BYTES + s.entryBytes, q);
    return { encoding, usage: p.robj + lp, allocated: sizeClass(p.robj, q) + lp };
  }
  const b = setBuckets(s, t, p, origin);
  return {
    encoding,
    usage: Math.round(p.robj + p.dict + b.slots * p.bucket + s.count * p.dictEntry + s.sdsBytes),
    allocated: Math.round(sizeClass(p.robj, q) + sizeClass(p.dict, q) + b.bytes + s.count * sizeClass(p.setDictEntry, q) + s.sdsBytes),
  };
}

export function setCostOf(members: Bytes[], t: Thresholds, p: MemoryParams, origin: Origin = 'write'): ValueCost {
  return setCost(setShape(uniqueMembers(members), p), t, p, origin);
}
