// The sorted set behind ZSetObj: members ordered by (score, member bytes) with O(log n) rank and
// range lookups, plus a member dictionary for O(1) score lookups. Redis keeps a skiplist with
// spans; we keep an order-statistic B+tree instead, because in a garbage-collected language a
// skiplist walk is a chain of dependent cache misses (one or two per level, ~17 levels deep at
// 100k members) while a B+tree reaches any member in three or four node visits, each a binary
// search over one node's contiguous scores (ZADD updates on a 100k-member set: 2.4 us -> 1.4 us
// each, with the dictionary below). What Redis reports (MEMORY USAGE, used_memory, the RDB
// layout) is modelled from the member count and sizes elsewhere (src/memory/zsets.ts), never from
// this structure, so the choice is invisible from outside. The member dictionary
// (zset-members.ts) keeps ZSCAN cursors valid across writes. The listpack/skiplist distinction is
// an attribute of the ZSetObj (OBJECT ENCODING, ZSCAN paging); both encodings share this
// structure and the same order, which is the order a listpack keeps too. Range searches come in
// two flavours: a tree descent, and a linear scan that reproduces what Redis does on a listpack
// (the two only differ for lex ranges over members with different scores, where Redis's own
// answer depends on the walk).
//
// Layout. Leaves hold up to LEAF_CAP members in slots leaf * LEAF .. leaf * LEAF + count - 1 of two
// flat pools, scores in a Float64Array and member ids (the member's slot in the dictionary,
// zset-members.ts) in an Int32Array, and are chained both ways. Ids rather than strings keep the
// shifting inside a leaf a plain copy of numbers (no GC write barriers) and let a search for a
// member that is in the set recognise it by id, without reading its bytes. An inner
// node holds up to INNER_CAP children, each with a separator key (a lower bound of the child's
// keys, exact when the child was created; the first child's is never read; its member is kept as
// a string, since the member may leave the set while the bound stays) and the number of
// members below it, which is what makes ranks O(log n). A node handle (ZNode) is a leaf slot + 1,
// so 0 is "none"; handles stay valid until the next write to the set, which is how every reader
// uses them (find, then walk).

import { MemberScores } from './zset-members.js';

/** A score interval, bounds inclusive unless the matching `ex` flag is set. */
export interface ScoreRange {
  min: number;
  max: number;
  minex: boolean;
  maxex: boolean;
}

/** The two infinite lex bounds ("-" and "+"). */
export const LEX_MIN: unique symbol = Symbol('lex-min');
export const LEX_MAX: unique symbol = Symbol('lex-max');
export type LexPoint = string | typeof LEX_MIN | typeof LEX_MAX;

/** A lex interval: "[a" is inclusive, "(a" exclusive, "-"/"+" the ends (always flagged exclusive). */
export interface LexRange {
  min: LexPoint;
  max: LexPoint;
  minex: boolean;
  maxex: boolean;
}

/** A node handle: a leaf slot + 1, valid until the set is next written; NIL (0) is "no node". */
export type ZNode = number;
export const NIL = 0;

/** Slots per leaf (a power of two: a handle's leaf is its slot >> LEAF_BITS). */
const LEAF_BITS = 6;
const LEAF = 1 << LEAF_BITS;
const LEAF_MASK = LEAF - 1;
/** A leaf holds at most LEAF_CAP members: an insert may fill the last slot, then the leaf splits. */
const LEAF_CAP = LEAF - 1;
/** Child slots per inner node, and the most children one keeps (same split-after-insert rule). */
const INNER = 64;
const INNER_CAP = INNER - 1;
/** A node below these counts after a delete is merged with a sibling when the two fit in 3/4 of one. */
const LEAF_LOW = LEAF_CAP >> 2;
const INNER_LOW = INNER_CAP >> 2;
const LEAF_MERGED_MAX = (LEAF_CAP * 3) >> 2;
const INNER_MERGED_MAX = (INNER_CAP * 3) >> 2;
/** Tree height bound: nodes at least a quarter full after merges keep 2^32 members under 16 levels. */
const MAX_HEIGHT = 24;
/** No leaf (leaf ids start at 0). */
const NO_LEAF = -1;
/** Per-leaf metadata in `lm`, 4 Int32 slots: member count, next leaf, previous leaf. */
const L_COUNT = 0;
const L_NEXT = 1;
const L_PREV = 2;
const L_STRIDE = 4;

export function lexCompare(a: LexPoint, b: LexPoint): number {
  if (a === b) return 0;
  if (a === LEX_MIN || b === LEX_MAX) return -1;
  if (a === LEX_MAX || b === LEX_MIN) return 1;
  return a < b ? -1 : 1;
}

export function scoreGteMin(v: number, r: ScoreRange): boolean {
  return r.minex ? v > r.min : v >= r.min;
}
export function scoreLteMax(v: number, r: ScoreRange): boolean {
  return r.maxex ? v < r.max : v <= r.max;
}
export function lexGteMin(v: string, r: LexRange): boolean {
  const c = lexCompare(v, r.min);
  return r.minex ? c > 0 : c >= 0;
}
export function lexLteMax(v: string, r: LexRange): boolean {
  const c = lexCompare(v, r.max);
  return r.maxex ? c < 0 : c <= 0;
}

/** True when no value can fall in the range whatever the set holds. */
export function scoreRangeEmpty(r: ScoreRange): boolean {
  return r.min > r.max || (r.min === r.max && (r.minex || r.maxex));
}
export function lexRangeEmpty(r: LexRange): boolean {
  const c = lexCompare(r.min, r.max);
  return c > 0 || (c === 0 && (r.minex || r.maxex));
}

/** A predicate over keys that holds for a prefix of the order: "this key comes before the target". */
type Before = (score: number, ele: string) => boolean;

// The path of the last descent: the inner node at each depth and the child index taken there.
// Shared by every set (the engine is single-threaded and nothing re-enters a set operation).
const pathNode = new Int32Array(MAX_HEIGHT);
const pathIdx = new Int32Array(MAX_HEIGHT);

// Inner-node pools start as these shared empty arrays (never written: the first split allocates),
// so a small set carries no inner-node storage.
const NO_F64 = new Float64Array(0);
const NO_I32 = new Int32Array(0);

/** A pool length of at least `want`: `have` doubled as often as needed (from `least` when empty). */
function grownLength(have: number, want: number, least: number): number {
  let len = Math.max(have, least);
  while (len < want) len *= 2;
  return len;
}

export class SortedSet {
  // Leaves.
  private ls = new Float64Array(8);
  private li = new Int32Array(8);
  private lm = new Int32Array(L_STRIDE);
  private leaves = 1;
  private freeLeaves: number[] = [];
  private firstLeaf = 0;
  private lastLeaf = 0;
  // Inner nodes (none until the first leaf splits).
  private ks = NO_F64;
  private ke: string[] = [];
  private kc = NO_I32;
  private kn = NO_I32;
  private ic = NO_I32;
  private inners = 0;
  private freeInners: number[] = [];
  /** The root: an inner node id when height > 0, else the only leaf. */
  private root = 0;
  /** Inner levels above the leaves. */
  private height = 0;
  private length = 0;
  /** Member -> score, and ZSCAN's order. */
  private members = new MemberScores();

  constructor() {
    this.lm[L_NEXT] = NO_LEAF;
    this.lm[L_PREV] = NO_LEAF;
  }

  get size(): number {
    return this.length;
  }

  // --- nodes ------------------------------------------------------------------------------------

  /** Lowest node, or NIL. */
  get head(): ZNode {
    return this.length === 0 ? NIL : (this.firstLeaf << LEAF_BITS) + 1;
  }

  /** Highest node, or NIL. */
  get tail(): ZNode {
    return this.length === 0 ? NIL : (this.lastLeaf << LEAF_BITS) + this.lm[this.lastLeaf * L_STRIDE + L_COUNT]!;
  }

  /** The following node, or NIL. */
  next(n: ZNode): ZNode {
    const leaf = (n - 1) >> LEAF_BITS;
    if (((n - 1) & LEAF_MASK) + 1 < this.lm[leaf * L_STRIDE + L_COUNT]!) return n + 1;
    const after = this.lm[leaf * L_STRIDE + L_NEXT]!;
    return after === NO_LEAF ? NIL : (after << LEAF_BITS) + 1;
  }

  /** The preceding node, or NIL. */
  prev(n: ZNode): ZNode {
    if (((n - 1) & LEAF_MASK) > 0) return n - 1;
    const before = this.lm[((n - 1) >> LEAF_BITS) * L_STRIDE + L_PREV]!;
    return before === NO_LEAF ? NIL : (before << LEAF_BITS) + this.lm[before * L_STRIDE + L_COUNT]!;
  }

  eleOf(n: ZNode): string {
    return this.members.keyAt(this.li[n - 1]!);
  }

  scoreOf(n: ZNode): number {
    return this.ls[n - 1]!;
  }

  /** The node holding a member, or NIL. */
  node(ele: string): ZNode {
    const slot = this.members.find(ele);
    if (slot < 0) return NIL;
    const score = this.members.scoreAt(slot);
    const leaf = this.descendToKey(score, ele);
    return (leaf << LEAF_BITS) + this.lowerBound(leaf, score, slot, ele) + 1;
  }

  // --- members ----------------------------------------------------------------------------------

  score(ele: string): number | undefined {
    const slot = this.members.find(ele);
    return slot < 0 ? undefined : this.members.scoreAt(slot);
  }

  has(ele: string): boolean {
    return this.members.find(ele) >= 0;
  }

  /** A member's slot in the dictionary (for scoreAt and rescore), or -1 when absent. */
  slotOf(ele: string): number {
    return this.members.find(ele);
  }

  /** The score of a member by its slot. */
  scoreAt(slot: number): number {
    return this.members.scoreAt(slot);
  }

  /** Adds a member the caller knows is absent. */
  insert(ele: string, score: number): void {
    this.place(this.members.add(ele, score), ele, score);
  }

  /** Removes a member; false when it was absent. */
  remove(ele: string): boolean {
    const slot = this.members.find(ele);
    if (slot < 0) return false;
    const score = this.members.scoreAt(slot);
    const leaf = this.descendToKey(score, ele);
    this.removeAt(leaf, this.lowerBound(leaf, score, slot, ele), 1);
    this.members.deleteSlot(slot);
    this.compactMembers();
    return true;
  }

  /** Changes the score of a present member (zslUpdateScore). */
  updateScore(ele: string, score: number): void {
    this.rescore(this.members.find(ele), ele, score);
  }

  /**
   * updateScore for a member whose slot is known: in place when the member stays strictly between
   * its neighbours in its leaf, otherwise removed and placed again.
   */
  rescore(slot: number, ele: string, score: number): void {
    const old = this.members.scoreAt(slot);
    this.members.setScore(slot, score);
    const leaf = this.descendToKey(old, ele);
    const pos = this.lowerBound(leaf, old, slot, ele);
    const at = (leaf << LEAF_BITS) + pos;
    const ls = this.ls;
    if (pos > 0 && pos < this.lm[leaf * L_STRIDE + L_COUNT]! - 1 && ls[at - 1]! < score && ls[at + 1]! > score) {
      ls[at] = score;
      return;
    }
    this.removeAt(leaf, pos, 1);
    this.place(slot, ele, score);
  }

  /** 0-based rank in ascending order, or -1 when absent. */
  rank(ele: string): number {
    const slot = this.members.find(ele);
    return slot < 0 ? -1 : this.rankOfKey(this.members.scoreAt(slot), slot, ele);
  }

  /** 0-based rank of a node of this set. */
  rankOf(node: ZNode): number {
    const id = this.li[node - 1]!;
    return this.rankOfKey(this.ls[node - 1]!, id, this.members.keyAt(id));
  }

  /** The node at a 0-based rank, or NIL when out of range. */
  at(rank: number): ZNode {
    if (rank < 0 || rank >= this.length) return NIL;
    return this.descendToRank(rank) + 1;
  }

  // --- range searches -----------------------------------------------------------------------

  private inScoreRange(r: ScoreRange): boolean {
    if (scoreRangeEmpty(r) || this.length === 0) return false;
    return scoreGteMin(this.scoreOf(this.tail), r) && scoreLteMax(this.scoreOf(this.head), r);
  }

  private inLexRange(r: LexRange): boolean {
    if (lexRangeEmpty(r) || this.length === 0) return false;
    return lexGteMin(this.eleOf(this.tail), r) && lexLteMax(this.eleOf(this.head), r);
  }

  firstInScore(r: ScoreRange): ZNode {
    if (!this.inScoreRange(r)) return NIL;
    const n = this.firstNotBefore((s) => !scoreGteMin(s, r));
    return n !== NIL && scoreLteMax(this.scoreOf(n), r) ? n : NIL;
  }

  lastInScore(r: ScoreRange): ZNode {
    if (!this.inScoreRange(r)) return NIL;
    const x = this.lastBefore((s) => scoreLteMax(s, r));
    return x !== NIL && scoreGteMin(this.scoreOf(x), r) ? x : NIL;
  }

  /** First node in a lex range; `linear` walks from the lowest member, as Redis does on a listpack. */
  firstInLex(r: LexRange, linear = false): ZNode {
    if (!this.inLexRange(r)) return NIL;
    if (linear) {
      for (let n = this.head; n !== NIL; n = this.next(n)) {
        if (lexGteMin(this.eleOf(n), r)) return lexLteMax(this.eleOf(n), r) ? n : NIL;
      }
      return NIL;
    }
    const n = this.firstNotBefore((_s, e) => !lexGteMin(e, r));
    return n !== NIL && lexLteMax(this.eleOf(n), r) ? n : NIL;
  }

  lastInLex(r: LexRange, linear = false): ZNode {
    if (!this.inLexRange(r)) return NIL;
    if (linear) {
      for (let n = this.tail; n !== NIL; n = this.prev(n)) {
        if (lexLteMax(this.eleOf(n), r)) return lexGteMin(this.eleOf(n), r) ? n : NIL;
      }
      return NIL;
    }
    const x = this.lastBefore((_s, e) => lexLteMax(e, r));
    return x !== NIL && lexGteMin(this.eleOf(x), r) ? x : NIL;
  }

  // --- range deletions ----------------------------------------------------------------------

  /** Deletes ranks start..end (0-based, inclusive, already clamped); returns how many. */
  deleteRangeByRank(start: number, end: number): number {
    const total = Math.max(0, Math.min(end, this.length - 1) - start + 1);
    let left = total;
    while (left > 0) {
      const slot = this.descendToRank(start);
      const leaf = slot >> LEAF_BITS;
      const pos = slot & LEAF_MASK;
      const k = Math.min(left, this.lm[leaf * L_STRIDE + L_COUNT]! - pos);
      const ids = this.li.slice(slot, slot + k);
      this.removeAt(leaf, pos, k);
      for (let i = 0; i < k; i++) this.members.deleteSlot(ids[i]!);
      left -= k;
    }
    this.compactMembers();
    return total;
  }

  /** Deletes from the first member >= min while members are <= max. */
  deleteRangeByScore(r: ScoreRange): number {
    const first = this.firstInScore(r);
    return first === NIL ? 0 : this.deleteRun(first, (n) => scoreLteMax(this.scoreOf(n), r));
  }

  /** Deletes a lex range; `linear` starts from the listpack-style first match. */
  deleteRangeByLex(r: LexRange, linear = false): number {
    const first = this.firstInLex(r, linear);
    return first === NIL ? 0 : this.deleteRun(first, (n) => lexLteMax(this.eleOf(n), r));
  }

  /** Deletes the run of nodes from `first` on while `inRange` holds; returns how many. */
  private deleteRun(first: ZNode, inRange: (n: ZNode) => boolean): number {
    let count = 0;
    for (let n = first; n !== NIL && inRange(n); n = this.next(n)) count++;
    const start = this.rankOf(first);
    return this.deleteRangeByRank(start, start + count - 1);
  }

  // --- iteration ----------------------------------------------------------------------------

  /** Members and scores in ascending order. */
  *entries(): IterableIterator<[string, number]> {
    for (let n = this.head; n !== NIL; n = this.next(n)) yield [this.eleOf(n), this.scoreOf(n)];
  }

  /** Cursor scan over the dictionary (ZSCAN on the skiplist encoding). */
  scan(cursor: bigint, count: number, visit: (ele: string, score: number) => void): bigint {
    return this.members.scan(cursor, count, visit);
  }

  randomMember(): string | undefined {
    return this.members.randomKey();
  }

  /** A copy: the pools and the dictionary copied as they are (member ids stay valid). */
  clone(): SortedSet {
    const c = new SortedSet();
    c.ls = this.ls.slice();
    c.li = this.li.slice();
    c.lm = this.lm.slice();
    c.leaves = this.leaves;
    c.freeLeaves = this.freeLeaves.slice();
    c.firstLeaf = this.firstLeaf;
    c.lastLeaf = this.lastLeaf;
    c.ks = this.ks.slice();
    c.ke = this.ke.slice();
    c.kc = this.kc.slice();
    c.kn = this.kn.slice();
    c.ic = this.ic.slice();
    c.inners = this.inners;
    c.freeInners = this.freeInners.slice();
    c.root = this.root;
    c.height = this.height;
    c.length = this.length;
    c.members = this.members.clone();
    return c;
  }

  /** Rewrites every -0 score as 0 (what storing the set in a listpack does). */
  normalizeZeros(): void {
    for (let n = this.head; n !== NIL; n = this.next(n)) {
      if (Object.is(this.ls[n - 1], -0)) {
        this.ls[n - 1] = 0;
        this.members.setScore(this.li[n - 1]!, 0);
      }
    }
  }

  /** Structural self-check for tests: order, counts, separators, leaf chain, dictionary agreement. */
  check(): string | null {
    const order: ZNode[] = [];
    const problem = this.checkNode(this.root, this.height, null, null, order);
    if (problem !== null) return problem;
    if (order.length !== this.length || this.members.size !== this.length) return 'bad length';
    let i = 0;
    for (let n = this.head; n !== NIL; n = this.next(n), i++) {
      if (order[i] !== n) return `leaf chain disagrees with the tree at rank ${i}`;
      const ele = this.eleOf(n);
      if (i > 0 && !this.keyBefore(this.scoreOf(order[i - 1]!), this.eleOf(order[i - 1]!), this.scoreOf(n), ele)) return `order broken at ${ele}`;
      const slot = this.members.find(ele);
      if (slot !== this.li[n - 1] || !Object.is(this.members.scoreAt(slot), this.scoreOf(n))) return `dict disagrees at ${ele}`;
    }
    if (i !== this.length) return 'leaf chain length';
    const back: ZNode[] = [];
    for (let n = this.tail; n !== NIL; n = this.prev(n)) back.push(n);
    if (back.reverse().some((n, j) => n !== order[j])) return 'backward walk disagrees';
    return null;
  }

  /** check() for one subtree whose keys must lie in [lo, hi); appends its leaf handles in order. */
  private checkNode(node: number, depth: number, lo: [number, string] | null, hi: [number, string] | null, out: ZNode[]): string | null {
    if (depth === 0) {
      const count = this.lm[node * L_STRIDE + L_COUNT]!;
      if (count > LEAF_CAP || (count === 0 && this.length > 0)) return `bad leaf size ${count}`;
      for (let i = 0; i < count; i++) {
        const slot = (node << LEAF_BITS) + i;
        const s = this.ls[slot]!;
        const e = this.members.keyAt(this.li[slot]!);
        if (lo !== null && this.keyBefore(s, e, lo[0], lo[1])) return `key below its separator at ${e}`;
        if (hi !== null && !this.keyBefore(s, e, hi[0], hi[1])) return `key above the next separator at ${e}`;
        out.push(slot + 1);
      }
      return null;
    }
    const count = this.ic[node]!;
    if (count < 1 || count > INNER_CAP) return `bad inner size ${count}`;
    const base = node * INNER;
    for (let j = 0; j < count; j++) {
      const from = out.length;
      const childLo: [number, string] | null = j === 0 ? lo : [this.ks[base + j]!, this.ke[base + j]!];
      const childHi: [number, string] | null = j + 1 < count ? [this.ks[base + j + 1]!, this.ke[base + j + 1]!] : hi;
      const problem = this.checkNode(this.kc[base + j]!, depth - 1, childLo, childHi, out);
      if (problem !== null) return problem;
      if (out.length - from !== this.kn[base + j]) return `bad count under inner node ${node} child ${j}`;
    }
    return null;
  }

  // --- tree internals -----------------------------------------------------------------------

  /** (s1, e1) strictly before (s2, e2)? Members compare as bytes. */
  private keyBefore(s1: number, e1: string, s2: number, e2: string): boolean {
    return s1 < s2 || (s1 === s2 && e1 < e2);
  }

  /** Descends to the leaf where key (score, ele) is or belongs, recording the path. */
  private descendToKey(score: number, ele: string): number {
    const ks = this.ks;
    const ke = this.ke;
    let node = this.root;
    for (let d = 0; d < this.height; d++) {
      const base = node * INNER;
      let lo = 1;
      let hi = this.ic[node]!;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        const s = ks[base + mid]!;
        if (s < score || (s === score && ke[base + mid]! <= ele)) lo = mid + 1;
        else hi = mid;
      }
      pathNode[d] = node;
      pathIdx[d] = lo - 1;
      node = this.kc[base + lo - 1]!;
    }
    return node;
  }

  /**
   * Index in a leaf of the first key not before (score, ele), where `id` is ele's member id (a
   * key with that id is ele itself: no need to read its bytes).
   */
  private lowerBound(leaf: number, score: number, id: number, ele: string): number {
    const ls = this.ls;
    const li = this.li;
    const base = leaf << LEAF_BITS;
    let lo = 0;
    let hi = this.lm[leaf * L_STRIDE + L_COUNT]!;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const s = ls[base + mid]!;
      if (s < score || (s === score && li[base + mid] !== id && this.members.keyAt(li[base + mid]!) < ele)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Rank of a key present in the set: members in subtrees left of the path plus the leaf index. */
  private rankOfKey(score: number, id: number, ele: string): number {
    const leaf = this.descendToKey(score, ele);
    let rank = this.lowerBound(leaf, score, id, ele);
    for (let d = 0; d < this.height; d++) {
      const base = pathNode[d]! * INNER;
      for (let j = pathIdx[d]! - 1; j >= 0; j--) rank += this.kn[base + j]!;
    }
    return rank;
  }

  /** Descends to the slot of a 0-based rank (in range), recording the path. */
  private descendToRank(rank: number): number {
    const kn = this.kn;
    let node = this.root;
    for (let d = 0; d < this.height; d++) {
      const base = node * INNER;
      let j = 0;
      while (rank >= kn[base + j]!) rank -= kn[base + j++]!;
      pathNode[d] = node;
      pathIdx[d] = j;
      node = this.kc[base + j]!;
    }
    return (node << LEAF_BITS) + rank;
  }

  /** The first node for which `before` fails (it holds for a prefix of the order), or NIL. */
  private firstNotBefore(before: Before): ZNode {
    let node = this.root;
    for (let d = 0; d < this.height; d++) {
      const base = node * INNER;
      let lo = 1;
      let hi = this.ic[node]!;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (before(this.ks[base + mid]!, this.ke[base + mid]!)) lo = mid + 1;
        else hi = mid;
      }
      node = this.kc[base + lo - 1]!;
    }
    const base = node << LEAF_BITS;
    let lo = 0;
    let hi = this.lm[node * L_STRIDE + L_COUNT]!;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(this.ls[base + mid]!, this.members.keyAt(this.li[base + mid]!))) lo = mid + 1;
      else hi = mid;
    }
    if (lo < this.lm[node * L_STRIDE + L_COUNT]!) return base + lo + 1;
    // Every key of this leaf comes before: the answer opens the next leaf (its separator did not).
    const after = this.lm[node * L_STRIDE + L_NEXT]!;
    return after === NO_LEAF ? NIL : (after << LEAF_BITS) + 1;
  }

  /** The last node for which `before` holds, or NIL. */
  private lastBefore(before: Before): ZNode {
    const n = this.firstNotBefore(before);
    return n === NIL ? this.tail : this.prev(n);
  }

  /** Puts a new key (member id `id`) in its leaf, counting it on the way down; splits what overflows. */
  private place(id: number, ele: string, score: number): void {
    const leaf = this.descendToKey(score, ele);
    for (let d = 0; d < this.height; d++) this.kn[pathNode[d]! * INNER + pathIdx[d]!]!++;
    const pos = this.lowerBound(leaf, score, id, ele);
    const meta = leaf * L_STRIDE + L_COUNT;
    const count = this.lm[meta]!;
    const base = leaf << LEAF_BITS;
    if (base + count >= this.ls.length) this.growLeafSlots(base + count + 1);
    const ls = this.ls;
    const li = this.li;
    for (let i = base + count; i > base + pos; i--) {
      ls[i] = ls[i - 1]!;
      li[i] = li[i - 1]!;
    }
    ls[base + pos] = score;
    li[base + pos] = id;
    this.lm[meta] = count + 1;
    this.length++;
    if (count + 1 > LEAF_CAP) this.splitLeaf(leaf, pos);
  }

  /**
   * Splits a full leaf after an insert at `pos`: in halves, except at the ends of the whole order,
   * where the new key alone goes to the new side (ascending or descending loads fill leaves).
   */
  private splitLeaf(leaf: number, pos: number): void {
    const count = this.lm[leaf * L_STRIDE + L_COUNT]!;
    let keep = count >> 1;
    if (leaf === this.lastLeaf && pos === count - 1) keep = count - 1;
    else if (leaf === this.firstLeaf && pos === 0) keep = 1;
    const right = this.allocLeaf();
    const from = leaf << LEAF_BITS;
    const to = right << LEAF_BITS;
    const moved = count - keep;
    this.ls.copyWithin(to, from + keep, from + count);
    this.li.copyWithin(to, from + keep, from + count);
    const lm = this.lm;
    lm[leaf * L_STRIDE + L_COUNT] = keep;
    lm[right * L_STRIDE + L_COUNT] = moved;
    const after = lm[leaf * L_STRIDE + L_NEXT]!;
    lm[right * L_STRIDE + L_NEXT] = after;
    lm[right * L_STRIDE + L_PREV] = leaf;
    lm[leaf * L_STRIDE + L_NEXT] = right;
    if (after === NO_LEAF) this.lastLeaf = right;
    else lm[after * L_STRIDE + L_PREV] = right;
    this.addChild(this.height - 1, right, this.ls[to]!, this.members.keyAt(this.li[to]!), keep, moved);
  }

  /**
   * Puts `child` (key `sepScore`/`sepEle`, `rightCount` members) right after the path's child at
   * depth `d`, which keeps `leftCount`; a new root when d < 0. Splits what overflows, upwards.
   */
  private addChild(d: number, child: number, sepScore: number, sepEle: string, leftCount: number, rightCount: number): void {
    if (d < 0) {
      const r = this.allocInner();
      const base = r * INNER;
      this.kc[base] = this.root;
      this.kn[base] = leftCount;
      this.kc[base + 1] = child;
      this.kn[base + 1] = rightCount;
      this.ks[base + 1] = sepScore;
      this.ke[base + 1] = sepEle;
      this.ic[r] = 2;
      this.root = r;
      this.height++;
      return;
    }
    const node = pathNode[d]!;
    const at = pathIdx[d]! + 1;
    const base = node * INNER;
    const count = this.ic[node]!;
    for (let j = count; j > at; j--) this.moveChild(base + j - 1, base + j);
    this.kc[base + at] = child;
    this.kn[base + at] = rightCount;
    this.ks[base + at] = sepScore;
    this.ke[base + at] = sepEle;
    this.kn[base + at - 1] = leftCount;
    this.ic[node] = count + 1;
    if (count + 1 > INNER_CAP) this.splitInner(d, at);
  }

  /** Splits an overfull inner node at depth d (a child was just added at `at`), like splitLeaf. */
  private splitInner(d: number, at: number): void {
    const node = pathNode[d]!;
    const count = this.ic[node]!;
    let onRightEdge = true;
    let onLeftEdge = true;
    for (let u = 0; u < d; u++) {
      if (pathIdx[u] !== this.ic[pathNode[u]!]! - 1) onRightEdge = false;
      if (pathIdx[u] !== 0) onLeftEdge = false;
    }
    let keep = count >> 1;
    if (onRightEdge && at === count - 1) keep = count - 1;
    else if (onLeftEdge && at === 1) keep = 1;
    const right = this.allocInner();
    const from = node * INNER;
    const to = right * INNER;
    let leftCount = 0;
    let rightCount = 0;
    for (let j = 0; j < keep; j++) leftCount += this.kn[from + j]!;
    for (let j = keep; j < count; j++) {
      rightCount += this.kn[from + j]!;
      this.moveChild(from + j, to + j - keep);
      this.ke[from + j] = '';
    }
    this.ic[node] = keep;
    this.ic[right] = count - keep;
    this.addChild(d - 1, right, this.ks[to]!, this.ke[to]!, leftCount, rightCount);
  }

  /** Removes k keys from a leaf at pos (the path leads to it) and restores the tree's shape. */
  private removeAt(leaf: number, pos: number, k: number): void {
    for (let d = 0; d < this.height; d++) this.kn[pathNode[d]! * INNER + pathIdx[d]!]! -= k;
    const meta = leaf * L_STRIDE + L_COUNT;
    const count = this.lm[meta]!;
    const base = leaf << LEAF_BITS;
    const ls = this.ls;
    const li = this.li;
    for (let i = base + pos; i < base + count - k; i++) {
      ls[i] = ls[i + k]!;
      li[i] = li[i + k]!;
    }
    this.lm[meta] = count - k;
    this.length -= k;
    if (this.height === 0 || count - k >= LEAF_LOW) return;
    const d = this.height - 1;
    if (count - k === 0) {
      this.unchainLeaf(leaf);
      this.dropChild(d, pathIdx[d]!);
      return;
    }
    this.mergeLeaf(d);
  }

  /** Merges the underfull leaf at the path's end with a sibling when both fit in one. */
  private mergeLeaf(d: number): void {
    const parent = pathNode[d]!;
    const j = pathIdx[d]!;
    const siblings = this.ic[parent]!;
    if (siblings < 2) return;
    const a = j + 1 < siblings ? j : j - 1;
    const base = parent * INNER;
    const left = this.kc[base + a]!;
    const right = this.kc[base + a + 1]!;
    const lc = this.lm[left * L_STRIDE + L_COUNT]!;
    const rc = this.lm[right * L_STRIDE + L_COUNT]!;
    if (lc + rc > LEAF_MERGED_MAX) return;
    const to = left << LEAF_BITS;
    const from = right << LEAF_BITS;
    this.ls.copyWithin(to + lc, from, from + rc);
    this.li.copyWithin(to + lc, from, from + rc);
    this.lm[left * L_STRIDE + L_COUNT] = lc + rc;
    this.lm[right * L_STRIDE + L_COUNT] = 0;
    this.kn[base + a] = this.kn[base + a]! + this.kn[base + a + 1]!;
    this.kn[base + a + 1] = 0;
    this.unchainLeaf(right);
    this.dropChild(d, a + 1);
  }

  /** Takes an emptied leaf out of the chain and frees it. */
  private unchainLeaf(leaf: number): void {
    const lm = this.lm;
    const before = lm[leaf * L_STRIDE + L_PREV]!;
    const after = lm[leaf * L_STRIDE + L_NEXT]!;
    if (before === NO_LEAF) this.firstLeaf = after;
    else lm[before * L_STRIDE + L_NEXT] = after;
    if (after === NO_LEAF) this.lastLeaf = before;
    else lm[after * L_STRIDE + L_PREV] = before;
    this.freeLeaves.push(leaf);
  }

  /**
   * Drops child j (already emptied or merged away, its members counted out) from the path's node
   * at depth d, then shrinks the root or merges or drops underfull nodes upwards.
   */
  private dropChild(d: number, j: number): void {
    const node = pathNode[d]!;
    const base = node * INNER;
    const count = this.ic[node]! - 1;
    for (let i = j; i < count; i++) this.moveChild(base + i + 1, base + i);
    this.ke[base + count] = '';
    this.ic[node] = count;
    if (d === 0) {
      // The root: while it has one child, that child becomes the root.
      while (this.height > 0 && this.ic[this.root] === 1) {
        const old = this.root;
        this.root = this.kc[old * INNER]!;
        this.ke[old * INNER] = '';
        this.freeInners.push(old);
        this.height--;
      }
      return;
    }
    if (count === 0) {
      this.freeInners.push(node);
      this.dropChild(d - 1, pathIdx[d - 1]!);
    } else if (count < INNER_LOW) {
      this.mergeInner(d);
    }
  }

  /** Merges the underfull inner node at depth d with a sibling when both fit in one. */
  private mergeInner(d: number): void {
    const parent = pathNode[d - 1]!;
    const j = pathIdx[d - 1]!;
    const siblings = this.ic[parent]!;
    if (siblings < 2) return;
    const a = j + 1 < siblings ? j : j - 1;
    const pbase = parent * INNER;
    const left = this.kc[pbase + a]!;
    const right = this.kc[pbase + a + 1]!;
    const lc = this.ic[left]!;
    const rc = this.ic[right]!;
    if (lc + rc > INNER_MERGED_MAX) return;
    const to = left * INNER;
    const from = right * INNER;
    // The right node's first separator is a valid bound but may be stale (its first child can have
    // been dropped since): the parent's bound for the right node is the tight one.
    this.ks[from] = this.ks[pbase + a + 1]!;
    this.ke[from] = this.ke[pbase + a + 1]!;
    for (let i = 0; i < rc; i++) {
      this.moveChild(from + i, to + lc + i);
      this.ke[from + i] = '';
    }
    this.ic[left] = lc + rc;
    this.ic[right] = 0;
    this.kn[pbase + a] = this.kn[pbase + a]! + this.kn[pbase + a + 1]!;
    this.kn[pbase + a + 1] = 0;
    this.freeInners.push(right);
    this.dropChild(d - 1, a + 1);
  }

  /** Copies child slot `from` (child, count, separator) to slot `to`. */
  private moveChild(from: number, to: number): void {
    this.kc[to] = this.kc[from]!;
    this.kn[to] = this.kn[from]!;
    this.ks[to] = this.ks[from]!;
    this.ke[to] = this.ke[from]!;
  }

  private allocLeaf(): number {
    const reused = this.freeLeaves.pop();
    if (reused !== undefined) return reused;
    const leaf = this.leaves++;
    this.growLeafSlots((leaf + 1) << LEAF_BITS);
    if ((leaf + 1) * L_STRIDE > this.lm.length) {
      const lm = new Int32Array(grownLength(this.lm.length, (leaf + 1) * L_STRIDE, L_STRIDE));
      lm.set(this.lm);
      this.lm = lm;
    }
    return leaf;
  }

  /** Grows the leaf slot pools to at least `want` slots (doubling). */
  private growLeafSlots(want: number): void {
    if (want <= this.ls.length) return;
    const len = grownLength(this.ls.length, want, 8);
    const ls = new Float64Array(len);
    ls.set(this.ls);
    this.ls = ls;
    const li = new Int32Array(len);
    li.set(this.li);
    this.li = li;
  }

  /**
   * Compacts the dictionary once its holes outnumber the members, renumbering the ids in the
   * leaves. Called at the end of an operation that dropped members, never while ids are in hand.
   */
  private compactMembers(): void {
    const renumbered = this.members.compactIfSparse();
    if (renumbered === null) return;
    const li = this.li;
    for (let leaf = this.firstLeaf; leaf !== NO_LEAF; leaf = this.lm[leaf * L_STRIDE + L_NEXT]!) {
      const base = leaf << LEAF_BITS;
      const end = base + this.lm[leaf * L_STRIDE + L_COUNT]!;
      for (let i = base; i < end; i++) li[i] = renumbered[li[i]!]!;
    }
  }

  private allocInner(): number {
    const reused = this.freeInners.pop();
    if (reused !== undefined) return reused;
    const node = this.inners++;
    if (this.inners > this.ic.length) {
      const nodes = grownLength(this.ic.length, this.inners, 1);
      const ic = new Int32Array(nodes);
      ic.set(this.ic);
      this.ic = ic;
      const ks = new Float64Array(nodes * INNER);
      ks.set(this.ks);
      this.ks = ks;
      const kc = new Int32Array(nodes * INNER);
      kc.set(this.kc);
      this.kc = kc;
      const kn = new Int32Array(nodes * INNER);
      kn.set(this.kn);
      this.kn = kn;
      for (let i = this.ke.length; i < nodes * INNER; i++) this.ke.push('');
    }
    return node;
  }
}
