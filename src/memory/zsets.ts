// What a sorted set costs on Redis 7.0. Up to zset-max-listpack-entries members of at most
// zset-max-listpack-value bytes, it is a listpack of member, score pairs (scores that are whole
// numbers are listpack integers, others the text of "%.17g"). Beyond that it is a skiplist: a
// zset struct, a dict member -> score (the member sds is shared with the skiplist node), a
// zskiplist struct with a 32-level header node, and one node per member.
//
// A node's size depends on its random level (1 + one more with probability 1/4 each time, at
// most 32): 24 + 16 x level bytes, rounded to a size class. The level is drawn at random per
// insert, so no model can be exact per key; this one uses the expected size class over the level
// distribution (p = 0.25), which is exact on average and within a fraction of a percent for sets
// of a few hundred members. The dict history follows ZADD: conversion (before the member that
// breaks a limit) re-adds every member with one rehash step each into an empty dict, later ZADDs
// take two steps (lookup, then insert). Loaded skiplists are presized.

import { byteLength, latin1, type Bytes } from './bytes.js';
import { addToDict, bucketsOf, emptyDict, presized, type Buckets } from './dict.js';
import { sizeClass, type LgQuantum } from './jemalloc.js';
import { entrySize, LISTPACK_EMPTY_BYTES, stringEntrySize } from './listpack.js';
import type { MemoryParams, Thresholds } from './params.js';
import { scoreEntrySize } from './score.js';
import { sdsBytes } from './sds.js';
import type { Encoding, Origin, ValueCost } from './types.js';

export interface ZsetShape {
  count: number;
  /** Index of the first member longer than the listpack limit, or -1. */
  firstLong: number;
  /** Listpack bytes of all member and score entries. */
  entryBytes: number;
  /** Sum of the members' sds allocations (skiplist form). */
  sdsBytes: number;
}

/** Deduplicates members (first position kept, last score wins, as repeated ZADDs do). */
export function uniqueScored(members: Array<[Bytes, number]>): Array<[Bytes, number]> {
  const seen = new Map<string, number>();
  const out: Array<[Bytes, number]> = [];
  for (const [m, s] of members) {
    const k = latin1(m);
    const at = seen.get(k);
    if (at === undefined) {
      seen.set(k, out.length);
      out.push([m, s]);
    } else out[at] = [out[at]![0], s];
  }
  return out;
}

export function zsetShape(members: Array<[Bytes, number]>, t: Thresholds, p: MemoryParams): ZsetShape {
  let firstLong = -1;
  let entryBytes = 0;
  let sds = 0;
  members.forEach(([m, score], i) => {
    const len = byteLength(m);
    if (firstLong < 0 && len > t.zsetMaxListpackValue) firstLong = i;
    entryBytes += entrySize(m) + scoreEntrySize(score);
    sds += sdsBytes(len, p.lgQuantum);
  });
  return { count: members.length, firstLong, entryBytes, sdsBytes: sds };
}

export function zsetSummaryShape(count: number, memberLength: number, score: number, t: Thresholds, p: MemoryParams): ZsetShape {
  return {
    count,
    firstLong: memberLength > t.zsetMaxListpackValue && count > 0 ? 0 : -1,
    entryBytes: count * (stringEntrySize(memberLength) + scoreEntrySize(score)),
    sdsBytes: count * sdsBytes(memberLength, p.lgQuantum),
  };
}

export function zsetEncoding(s: ZsetShape, t: Thresholds): Encoding {
  if (t.zsetMaxListpackEntries === 0 || s.firstLong >= 0 || s.count > t.zsetMaxListpackEntries) return 'skiplist';
  return 'listpack';
}

/** Level distribution of zslRandomLevel(): P(level = L). */
export function levelProbabilities(p: MemoryParams): number[] {
  const out: number[] = [];
  for (let level = 1; level <= p.zskiplistMaxLevel; level++) {
    const reach = Math.pow(p.zskiplistP, level - 1);
    out.push(level === p.zskiplistMaxLevel ? reach : reach * (1 - p.zskiplistP));
  }
  return out;
}

const nodeCache = new Map<string, number>();

/** Expected zmalloc size of a skiplist node (24 + 16 x level, rounded), over the level distribution. */
export function expectedNodeBytes(p: MemoryParams, lgQuantum: LgQuantum = p.lgQuantum): number {
  const key = `${p.name}:${lgQuantum}`;
  const hit = nodeCache.get(key);
  if (hit !== undefined) return hit;
  const e = levelProbabilities(p).reduce(
    (sum, prob, i) => sum + prob * sizeClass(p.zskiplistNode + (i + 1) * p.zskiplistLevel, lgQuantum),
    0,
  );
  nodeCache.set(key, e);
  return e;
}

/** The bucket arrays a skiplist-encoded zset's dict ends with, replaying its history. */
export function zsetBuckets(s: ZsetShape, t: Thresholds, p: MemoryParams, origin: Origin): Buckets {
  const n = s.count;
  if (origin === 'load') return bucketsOf(addToDict(presized(n), n, 1), p.bucket);
  // Created as a skiplist when the first member is already too long (or listpacks are disabled).
  if (s.firstLong === 0 || t.zsetMaxListpackEntries === 0) return bucketsOf(addToDict(emptyDict(), n, 2), p.bucket);
  const limit = t.zsetMaxListpackEntries;
  const convertedAt = s.firstLong > 0 && s.firstLong <= limit ? s.firstLong : limit;
  const d = addToDict(emptyDict(), convertedAt, 1);
  return bucketsOf(addToDict(d, n - convertedAt, 2), p.bucket);
}

export function zsetCost(s: ZsetShape, t: Thresholds, p: MemoryParams, origin: Origin = 'write'): ValueCost {
  const q = p.lgQuantum;
  if (zsetEncoding(s, t) === 'listpack') {
    const lp = sizeClass(LISTPACK_EMPTY_BYTES + s.entryBytes, q);
    return { encoding: 'listpack', usage: p.robj + lp, allocated: sizeClass(p.robj, q) + lp };
  }
  const b = zsetBuckets(s, t, p, origin);
  const header = sizeClass(p.zskiplistNode + p.zskiplistMaxLevel * p.zskiplistLevel, q);
  const nodes = s.count * expectedNodeBytes(p);
  const usage = p.robj + p.zset + p.zskiplist + p.dict + b.slots * p.bucket + header + s.sdsBytes + s.count * p.dictEntry + nodes;
  const allocated =
    sizeClass(p.robj, q) +
    sizeClass(p.zset, q) +
    sizeClass(p.zskiplist, q) +
    sizeClass(p.dict, q) +
    b.bytes +
    header +
    s.sdsBytes +
    s.count * sizeClass(p.dictEntry, q) +
    nodes;
  return { encoding: 'skiplist', usage: Math.round(usage), allocated: Math.round(allocated) };
}

export function zsetCostOf(members: Array<[Bytes, number]>, t: Thresholds, p: MemoryParams, origin: Origin = 'write'): ValueCost {
  return zsetCost(zsetShape(uniqueScored(members), t, p), t, p, origin);
}
