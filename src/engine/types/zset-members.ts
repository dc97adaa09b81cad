// The sorted set's member dictionary: member -> score in O(1), with SCAN cursors that survive
// writes (ZSCAN on the skiplist encoding). A JS Map of entry objects costs five or six dependent
// cache misses per lookup in a big set (bucket, chain entries, the stored key, the entry object, a
// boxed score), which made it as slow as the whole ordered structure; this table costs about
// three: an open-addressing probe over (hash, slot) pairs in one Int32Array, the member string of
// the slot whose hash matches, and the score in a Float64Array. Slots are handed out in insertion
// order and stay put (the table moves, slots do not), so they double as SCAN positions and as
// the member ids the sorted set's tree stores; a deleted slot is a hole (its score NaN, which no
// member can have) until the owner compacts (compactIfSparse), which renumbers the slots.
//
// The hash is FNV-1a over the member's char codes from a per-process random basis, finished with
// murmur3's avalanche so linear probing sees well-mixed low bits.

import { SlotCursors } from './slot-cursor.js';

/** Per-process random basis, so which members collide is not predictable from outside. */
const HASH_BASIS = (Math.random() * 0x100000000) | 0;

function hashMember(s: string): number {
  let h = HASH_BASIS;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Buckets for n members at load <= 1/2 (a power of two, at least 8). */
function bucketsFor(n: number): number {
  let b = 8;
  while (b < 2 * n) b *= 2;
  return b;
}

export class MemberScores {
  /** Buckets of two Int32 each: the member's hash, its slot + 1 (0: empty bucket). */
  private table = new Int32Array(16);
  private mask = 7;
  /** Member, score per slot; a hole has score NaN and member ''. */
  private keys: string[] = [];
  private scores = new Float64Array(8);
  private live = 0;
  private holes = 0;
  /** The bucket where the last successful find() stopped (deleteSlot starts from it). */
  private lastBucket = 0;
  private readonly cursors = new SlotCursors();

  get size(): number {
    return this.live;
  }

  /** The slot of a member, or -1. */
  find(key: string): number {
    const h = hashMember(key);
    const t = this.table;
    const mask = this.mask;
    for (let b = h & mask; ; b = (b + 1) & mask) {
      const s = t[2 * b + 1]!;
      if (s === 0) return -1;
      if (t[2 * b] === h && this.keys[s - 1] === key) {
        this.lastBucket = b;
        return s - 1;
      }
    }
  }

  scoreAt(slot: number): number {
    return this.scores[slot]!;
  }

  setScore(slot: number, score: number): void {
    this.scores[slot] = score;
  }

  keyAt(slot: number): string {
    return this.keys[slot]!;
  }

  /** Adds a member the caller knows is absent; returns its slot. */
  add(key: string, score: number): number {
    const slot = this.keys.length;
    if (slot === this.scores.length) {
      const scores = new Float64Array(slot * 2);
      scores.set(this.scores);
      this.scores = scores;
    }
    this.keys.push(key);
    this.scores[slot] = score;
    this.live++;
    if (2 * this.live > this.mask + 1) this.rebuild(bucketsFor(this.live), null);
    this.put(hashMember(key), slot);
    return slot;
  }

  /**
   * Removes the member of a live slot, leaving a hole (the slot numbers of the others do not
   * change until compactIfSparse).
   */
  deleteSlot(slot: number): void {
    const t = this.table;
    const mask = this.mask;
    let b = this.lastBucket;
    if (t[2 * b + 1] !== slot + 1) {
      b = hashMember(this.keys[slot]!) & mask;
      while (t[2 * b + 1] !== slot + 1) b = (b + 1) & mask;
    }
    // Backward-shift deletion: pull later members of the probe run into the gap, so lookups never
    // meet a tombstone.
    let gap = b;
    for (let j = (b + 1) & mask; t[2 * j + 1] !== 0; j = (j + 1) & mask) {
      const home = t[2 * j]! & mask;
      const stays = gap <= j ? gap < home && home <= j : gap < home || home <= j;
      if (stays) continue;
      t[2 * gap] = t[2 * j]!;
      t[2 * gap + 1] = t[2 * j + 1]!;
      gap = j;
    }
    t[2 * gap] = 0;
    t[2 * gap + 1] = 0;
    this.scores[slot] = NaN;
    this.keys[slot] = '';
    this.live--;
    this.holes++;
  }

  /**
   * Closes the holes once they outnumber the members (keeping the order, so open ZSCAN cursors are
   * translated); returns old slot -> new slot when it did, for the owner's stored ids.
   */
  compactIfSparse(): Int32Array | null {
    return this.holes > 64 && this.holes > this.live ? this.compact() : null;
  }

  /** An independent copy with the same slots (so ids stored elsewhere stay valid for it). */
  clone(): MemberScores {
    const c = new MemberScores();
    c.table = this.table.slice();
    c.mask = this.mask;
    c.keys = this.keys.slice();
    c.scores = this.scores.slice();
    c.live = this.live;
    c.holes = this.holes;
    return c;
  }

  /** A uniformly random member, or undefined when empty. */
  randomKey(): string | undefined {
    if (this.live === 0) return undefined;
    const slots = this.keys.length;
    for (let tries = 0; tries < 64; tries++) {
      const i = Math.floor(Math.random() * slots);
      if (this.scores[i] === this.scores[i]) return this.keys[i];
    }
    // Very sparse (cannot happen after compaction, kept as a bound): walk from a random point.
    const start = Math.floor(Math.random() * slots);
    for (let k = 0; k < slots; k++) {
      const i = (start + k) % slots;
      if (this.scores[i] === this.scores[i]) return this.keys[i];
    }
    return undefined;
  }

  /** Visits about `count` slots from `cursor`; returns the next cursor, 0 when the scan is done. */
  scan(cursor: bigint, count: number, visit: (key: string, score: number) => void): bigint {
    const slots = this.keys.length;
    let [index, limit] = this.cursors.resolve(cursor, slots);
    limit = Math.min(limit, slots);
    const end = Math.min(limit, index + Math.max(1, count));
    for (; index < end; index++) {
      const score = this.scores[index]!;
      if (score === score) visit(this.keys[index]!, score);
    }
    return index >= limit ? 0n : this.cursors.encode(index, limit);
  }

  private put(h: number, slot: number): void {
    const t = this.table;
    const mask = this.mask;
    let b = h & mask;
    while (t[2 * b + 1] !== 0) b = (b + 1) & mask;
    t[2 * b] = h;
    t[2 * b + 1] = slot + 1;
  }

  /** Re-buckets every member into `buckets` buckets, renumbering slots through `newSlot` if given. */
  private rebuild(buckets: number, newSlot: Int32Array | null): void {
    const old = this.table;
    this.table = new Int32Array(2 * buckets);
    this.mask = buckets - 1;
    for (let b = 0; b < old.length; b += 2) {
      const s = old[b + 1]!;
      if (s !== 0) this.put(old[b]!, newSlot === null ? s - 1 : newSlot[s - 1]!);
    }
  }

  /** Closes the holes (keeping order), renumbers the table and records it for open cursors. */
  private compact(): Int32Array {
    const slots = this.keys.length;
    const kept = new Int32Array(this.live);
    const newSlot = new Int32Array(slots);
    const keys: string[] = [];
    const scores = new Float64Array(Math.max(8, this.live * 2));
    for (let i = 0; i < slots; i++) {
      const score = this.scores[i]!;
      if (score !== score) continue;
      newSlot[i] = keys.length;
      kept[keys.length] = i;
      scores[keys.length] = score;
      keys.push(this.keys[i]!);
    }
    this.keys = keys;
    this.scores = scores;
    this.holes = 0;
    this.rebuild(bucketsFor(this.live), newSlot);
    this.cursors.compacted(kept);
    return newSlot;
  }
}
