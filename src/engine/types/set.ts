// The set type's encoding rules (t_set.c, Redis 7.0): a set is an intset while every member is
// the canonical text of a 64-bit integer and it holds at most set-max-intset-entries members
// (capped at 2^30), otherwise a hashtable, and it never goes back. Redis 7.0 has no listpack sets.
// Both encodings live in one ScanMap; an intset iterates in ascending numeric order (SMEMBERS,
// SINTER, SSCAN... answer sorted), so that order is computed on demand and cached per map until
// the next change made through this module.

import type { Engine } from '../engine.js';
import { ScanMap } from './scan-map.js';
import { isCanonicalInt, type SetNode, type SetObj } from './objects.js';

/** set-max-intset-entries as setTypeAdd applies it (limited to 1G entries). */
export function maxIntsetEntries(engine: Engine): number {
  const n = engine.config.num['set-max-intset-entries'] ?? 512;
  return Math.min(n, 1 << 30);
}

/** createIntsetObject: the empty set the *STORE commands fill. */
export function emptyIntset(): SetObj {
  return { type: 'set', enc: 'intset', v: new ScanMap<SetNode>() };
}

/** setTypeCreate: an intset when the first member is an integer, else a hashtable. */
export function setCreateFor(first: string): SetObj {
  return { type: 'set', enc: isCanonicalInt(first) ? 'intset' : 'hashtable', v: new ScanMap<SetNode>() };
}

const sortedCache = new WeakMap<ScanMap<SetNode>, string[]>();

/** setTypeAdd: true when `member` was added. */
export function setAdd(s: SetObj, member: string, maxIntset: number): boolean {
  if (s.v.has(member)) return false;
  if (s.enc === 'intset' && !isCanonicalInt(member)) s.enc = 'hashtable';
  s.v.add(member, { slot: 0 });
  sortedCache.delete(s.v);
  if (s.enc === 'intset' && s.v.size > maxIntset) s.enc = 'hashtable';
  return true;
}

/** setTypeRemove: true when `member` was there. */
export function setRemove(s: SetObj, member: string): boolean {
  if (s.v.delete(member) === undefined) return false;
  sortedCache.delete(s.v);
  return true;
}

export function setHas(s: SetObj, member: string): boolean {
  return s.v.has(member);
}

function compareIntText(a: [number, string], b: [number, string]): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  if (Math.abs(a[0]) < 2 ** 53) return 0;
  const x = BigInt(a[1]);
  const y = BigInt(b[1]);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Members in the encoding's iteration order: ascending for an intset, insertion order otherwise. */
export function setMembers(s: SetObj): string[] {
  if (s.enc !== 'intset') return [...s.v.keys()];
  const cached = sortedCache.get(s.v);
  if (cached && cached.length === s.v.size) return cached;
  const pairs: Array<[number, string]> = [];
  for (const k of s.v.keys()) pairs.push([Number(k), k]);
  pairs.sort(compareIntText);
  const out = pairs.map((p) => p[1]);
  sortedCache.set(s.v, out);
  return out;
}

/** setTypeRandomElement on a non-empty set. */
export function setRandom(s: SetObj): string {
  return s.v.randomKey()!;
}
