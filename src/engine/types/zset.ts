// The sorted set behind ZSetObj, built the way t_zset.c builds its skiplist encoding: a skiplist
// ordered by (score, member bytes) whose links carry spans, so a rank is found in O(log n) by
// summing spans on the way down, plus a member dictionary for O(1) lookups. The dictionary is a
// ScanMap so ZSCAN cursors stay valid across writes. The listpack/skiplist distinction is an
// attribute of the ZSetObj (OBJECT ENCODING, ZSCAN paging); both encodings share this structure
// and the same order, which is the order a listpack keeps too. Range searches come in two
// flavours: the skiplist descent, and a linear scan that reproduces what Redis does on a listpack
// (the two only differ for lex ranges over members with different scores, where Redis's answer
// depends on the walk).
//
// Layout. A skiplist walk is a chain of dependent memory loads, so the nodes are not JS objects
// (an object, its link arrays and its boxed score would be four places to fetch per step) but
// records in one typed-array pool: score, back link, level, forward links and spans side by side,
// usually in one cache line. A node is the record's offset in the pool (0 is the header, which is
// never a link target, so 0 also means "none"). The member strings sit in a plain array indexed
// by a per-record id, and the dictionary maps a member to its record, which lets a score update
// that keeps the order change the score in place without any search. Freed records go on a free
// list per level and are reused; a record keeps its member id for life.

import { ScanMap, type Slotted } from './scan-map.js';

/** Redis's ZSKIPLIST_MAXLEVEL (ZSKIPLIST_P is 1/4, see randomLevel). */
const MAX_LEVEL = 32;

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

/** A node handle: a record offset in the pool; NIL (0) is "no node". */
export type ZNode = number;
export const NIL = 0;

/** The member dictionary's value: the member's node. */
export interface ZEntry extends Slotted {
  node: ZNode;
}

// Record layout, in Int32 slots from the record's (even) offset o:
//   o, o+1   score (Float64 at index o >> 1)
//   o+2      backward link
//   o+3      level L
//   o+4      forward link at level 0 (its span is always 1 and not stored)
//   o+5      member id
//   o+4+2k   forward link at level k (1 <= k < L)
//   o+5+2k   span at level k
const BACK = 2;
const LEVEL = 3;
const FWD = 4;
const ELE = 5;
const recordSize = (level: number): number => 4 + 2 * level;
const HEADER_SIZE = recordSize(MAX_LEVEL);
/** After the header: the head of each level's free-record list (chained through the level-0 link). */
const FREE_HEADS = HEADER_SIZE;
/** Where records start (even, like every record offset). */
const FIRST_RECORD = FREE_HEADS + MAX_LEVEL + 2;

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

/**
 * A level with P(level > k) = 4^-k, Redis's distribution, from one 32-bit draw: each pair of
 * leading zero bits is one more level (which caps it at 17, plenty below 2^32 members).
 */
function randomLevel(): number {
  return 1 + (Math.clz32((Math.random() * 4294967296) >>> 0) >> 1);
}

// Scratch paths reused by every operation (the engine is single-threaded and nothing re-enters).
const update = new Int32Array(MAX_LEVEL);
const rankAt = new Int32Array(MAX_LEVEL);

export class SortedSet {
  private i32: Int32Array;
  private f64: Float64Array;
  /** First unused pool slot. */
  private top = FIRST_RECORD;
  /** Member of each record id (ids are handed out in allocation order; 0 is the header's). */
  private readonly eles: string[] = [''];
  private tailNode: ZNode = NIL;
  private level = 1;
  private length = 0;
  readonly dict = new ScanMap<ZEntry>();

  constructor() {
    const buf = new ArrayBuffer(4 * (FIRST_RECORD + 32));
    this.i32 = new Int32Array(buf);
    this.f64 = new Float64Array(buf);
    this.i32[LEVEL] = MAX_LEVEL;
  }

  get size(): number {
    return this.length;
  }

  // --- nodes ------------------------------------------------------------------------------------

  /** Lowest node, or NIL. */
  get head(): ZNode {
    return this.i32[FWD]!;
  }

  /** Highest node, or NIL. */
  get tail(): ZNode {
    return this.tailNode;
  }

  /** The following node, or NIL. */
  next(n: ZNode): ZNode {
    return this.i32[n + FWD]!;
  }

  /** The preceding node, or NIL. */
  prev(n: ZNode): ZNode {
    return this.i32[n + BACK]!;
  }

  eleOf(n: ZNode): string {
    return this.eles[this.i32[n + ELE]!]!;
  }

  scoreOf(n: ZNode): number {
    return this.f64[n >> 1]!;
  }

  /** The node holding a member, or NIL. */
  node(ele: string): ZNode {
    const e = this.dict.get(ele);
    return e === undefined ? NIL : e.node;
  }

  // --- members ----------------------------------------------------------------------------------

  score(ele: string): number | undefined {
    const e = this.dict.get(ele);
    return e === undefined ? undefined : this.f64[e.node >> 1];
  }

  has(ele: string): boolean {
    return this.dict.has(ele);
  }

  /** Adds a member the caller knows is absent. */
  insert(ele: string, score: number): ZNode {
    const lvl = randomLevel();
    const n = this.alloc(lvl, ele);
    this.f64[n >> 1] = score;
    this.link(n, score, ele, lvl);
    this.dict.add(ele, { slot: 0, node: n });
    return n;
  }

  /** Removes a member; false when it was absent. */
  remove(ele: string): boolean {
    const e = this.dict.delete(ele);
    if (e === undefined) return false;
    this.findPath(e.node);
    this.unlink(e.node);
    this.free(e.node);
    return true;
  }

  /**
   * Changes the score of a present member (zslUpdateScore): in place when the node stays between
   * its neighbours, otherwise unlinked and linked again at its new position (same record).
   */
  updateScore(ele: string, score: number): void {
    this.setScore(this.dict.get(ele)!.node, score);
  }

  /** updateScore for a node already looked up. */
  setScore(n: ZNode, score: number): void {
    const i32 = this.i32;
    const f64 = this.f64;
    const prev = i32[n + BACK]!;
    const after = i32[n + FWD]!;
    if ((prev === NIL || f64[prev >> 1]! < score) && (after === NIL || f64[after >> 1]! > score)) {
      f64[n >> 1] = score;
      return;
    }
    const ele = this.eles[i32[n + ELE]!]!;
    this.findPath(n);
    this.unlink(n);
    f64[n >> 1] = score;
    this.link(n, score, ele, i32[n + LEVEL]!);
  }

  /** 0-based rank in ascending order, or -1 when absent. */
  rank(ele: string): number {
    const e = this.dict.get(ele);
    return e === undefined ? -1 : this.rankOf(e.node);
  }

  /** 0-based rank of a node of this set. */
  rankOf(node: ZNode): number {
    const i32 = this.i32;
    const f64 = this.f64;
    const score = f64[node >> 1]!;
    const ele = this.eles[i32[node + ELE]!]!;
    let traversed = 0;
    let x = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      const at = FWD + 2 * i;
      for (;;) {
        const n = i32[x + at]!;
        if (n === NIL) break;
        if (n !== node) {
          const s = f64[n >> 1]!;
          if (s > score || (s === score && this.eles[i32[n + ELE]!]! > ele)) break;
        }
        traversed += i === 0 ? 1 : i32[x + at + 1]!;
        if (n === node) return traversed - 1;
        x = n;
      }
    }
    return -1;
  }

  /** The node at a 0-based rank, or NIL when out of range. */
  at(rank: number): ZNode {
    if (rank < 0 || rank >= this.length) return NIL;
    const x = this.descendToRank(rank + 1);
    return this.walked === rank + 1 ? x : NIL;
  }

  /** Rank (1-based) of the node descendToRank stopped at; 0 for the header. */
  private walked = 0;

  /**
   * Walks down to the last node whose 1-based rank is <= `limit`, recording in `update` the node
   * where each level stopped; returns it (0 is the header) and leaves its rank in `walked`.
   */
  private descendToRank(limit: number): ZNode {
    const i32 = this.i32;
    let traversed = 0;
    let x = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      const at = FWD + 2 * i;
      for (;;) {
        const n = i32[x + at]!;
        if (n === NIL) break;
        const span = i === 0 ? 1 : i32[x + at + 1]!;
        if (traversed + span > limit) break;
        traversed += span;
        x = n;
      }
      update[i] = x;
    }
    this.walked = traversed;
    return x;
  }

  // --- range searches -----------------------------------------------------------------------

  private inScoreRange(r: ScoreRange): boolean {
    if (scoreRangeEmpty(r)) return false;
    const t = this.tailNode;
    if (t === NIL || !scoreGteMin(this.scoreOf(t), r)) return false;
    return scoreLteMax(this.scoreOf(this.head), r);
  }

  private inLexRange(r: LexRange): boolean {
    if (lexRangeEmpty(r)) return false;
    const t = this.tailNode;
    if (t === NIL || !lexGteMin(this.eleOf(t), r)) return false;
    return lexLteMax(this.eleOf(this.head), r);
  }

  /** Descends to the last node (or the header) for which `before` holds, filling `update`. */
  private descend(before: (n: ZNode) => boolean): ZNode {
    const i32 = this.i32;
    let x = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      const at = FWD + 2 * i;
      for (let n = i32[x + at]!; n !== NIL && before(n); n = i32[x + at]!) x = n;
      update[i] = x;
    }
    return x;
  }

  firstInScore(r: ScoreRange): ZNode {
    if (!this.inScoreRange(r)) return NIL;
    const n = this.next(this.descend((n) => !scoreGteMin(this.scoreOf(n), r)));
    return n !== NIL && scoreLteMax(this.scoreOf(n), r) ? n : NIL;
  }

  lastInScore(r: ScoreRange): ZNode {
    if (!this.inScoreRange(r)) return NIL;
    const x = this.descend((n) => scoreLteMax(this.scoreOf(n), r));
    return x !== NIL && scoreGteMin(this.scoreOf(x), r) ? x : NIL;
  }

  /** First node in a lex range; `linear` walks level 0 only, as Redis does on a listpack. */
  firstInLex(r: LexRange, linear = false): ZNode {
    if (!this.inLexRange(r)) return NIL;
    if (linear) {
      for (let n = this.head; n !== NIL; n = this.next(n)) {
        if (lexGteMin(this.eleOf(n), r)) return lexLteMax(this.eleOf(n), r) ? n : NIL;
      }
      return NIL;
    }
    const n = this.next(this.descend((n) => !lexGteMin(this.eleOf(n), r)));
    return n !== NIL && lexLteMax(this.eleOf(n), r) ? n : NIL;
  }

  lastInLex(r: LexRange, linear = false): ZNode {
    if (!this.inLexRange(r)) return NIL;
    if (linear) {
      for (let n = this.tailNode; n !== NIL; n = this.prev(n)) {
        if (lexLteMax(this.eleOf(n), r)) return lexGteMin(this.eleOf(n), r) ? n : NIL;
      }
      return NIL;
    }
    const x = this.descend((n) => lexLteMax(this.eleOf(n), r));
    return x !== NIL && lexGteMin(this.eleOf(x), r) ? x : NIL;
  }

  // --- range deletions ----------------------------------------------------------------------

  /** Deletes ranks start..end (0-based, inclusive, already clamped); returns how many. */
  deleteRangeByRank(start: number, end: number): number {
    const x = this.descendToRank(start);
    let traversed = this.walked;
    let n = this.next(x);
    let removed = 0;
    while (n !== NIL && traversed <= end) {
      const following = this.next(n);
      this.deleteLinked(n);
      removed++;
      traversed++;
      n = following;
    }
    return removed;
  }

  deleteRangeByScore(r: ScoreRange): number {
    let n = this.next(this.descend((n) => !scoreGteMin(this.scoreOf(n), r)));
    let removed = 0;
    while (n !== NIL && scoreLteMax(this.scoreOf(n), r)) {
      const following = this.next(n);
      this.deleteLinked(n);
      removed++;
      n = following;
    }
    return removed;
  }

  /** Deletes a lex range; `linear` starts from the listpack-style first match. */
  deleteRangeByLex(r: LexRange, linear = false): number {
    let removed = 0;
    if (linear) {
      let n = this.firstInLex(r, true);
      while (n !== NIL && lexLteMax(this.eleOf(n), r)) {
        const following = this.next(n);
        this.findPath(n);
        this.deleteLinked(n);
        removed++;
        n = following;
      }
      return removed;
    }
    let n = this.next(this.descend((n) => !lexGteMin(this.eleOf(n), r)));
    while (n !== NIL && lexLteMax(this.eleOf(n), r)) {
      const following = this.next(n);
      this.deleteLinked(n);
      removed++;
      n = following;
    }
    return removed;
  }

  // --- iteration ----------------------------------------------------------------------------

  /** Members and scores in ascending order. */
  *entries(): IterableIterator<[string, number]> {
    for (let n = this.head; n !== NIL; n = this.next(n)) yield [this.eleOf(n), this.scoreOf(n)];
  }

  /** Cursor scan over the dictionary (ZSCAN on the skiplist encoding). */
  scan(cursor: bigint, count: number, visit: (ele: string, score: number) => void): bigint {
    return this.dict.scan(cursor, count, (k, e) => visit(k, this.f64[e.node >> 1]!));
  }

  randomMember(): string | undefined {
    return this.dict.randomKey();
  }

  /** A copy: the pool is copied as it is, the dictionary rebuilt in order. */
  clone(): SortedSet {
    const c = new SortedSet();
    const buf = new ArrayBuffer(this.top * 4);
    c.i32 = new Int32Array(buf);
    c.i32.set(this.i32.subarray(0, this.top));
    c.f64 = new Float64Array(buf);
    c.top = this.top;
    for (let id = 1; id < this.eles.length; id++) c.eles.push(this.eles[id]!);
    c.tailNode = this.tailNode;
    c.level = this.level;
    c.length = this.length;
    for (let n = this.head; n !== NIL; n = this.next(n)) c.dict.set(this.eleOf(n), { slot: 0, node: n });
    return c;
  }

  /** Rewrites every -0 score as 0 (what storing the set in a listpack does). */
  normalizeZeros(): void {
    for (let n = this.head; n !== NIL; n = this.next(n)) {
      if (Object.is(this.f64[n >> 1], -0)) this.f64[n >> 1] = 0;
    }
  }

  /** Structural self-check for tests: order, spans, backward links, dictionary agreement. */
  check(): string | null {
    let prev: ZNode = NIL;
    let count = 0;
    for (let n = this.head; n !== NIL; n = this.next(n)) {
      const ele = this.eleOf(n);
      if (this.prev(n) !== prev) return `bad backward link at ${ele}`;
      if (prev !== NIL && !this.before(prev, this.scoreOf(n), ele)) return `order broken at ${ele}`;
      if (this.dict.get(ele)?.node !== n) return `dict disagrees at ${ele}`;
      const lvl = this.i32[n + LEVEL]!;
      if (lvl < 1 || lvl > MAX_LEVEL) return `bad level at ${ele}`;
      prev = n;
      count++;
    }
    if (prev !== this.tailNode) return 'bad tail';
    if (count !== this.length || count !== this.dict.size) return 'bad length';
    const positions = new Map<ZNode, number>();
    for (let n = this.head, p = 1; n !== NIL; n = this.next(n), p++) positions.set(n, p);
    for (let i = 0; i < this.level; i++) {
      let pos = 0;
      let x: ZNode = 0;
      for (let n = this.i32[x + FWD + 2 * i]!; n !== NIL; n = this.i32[x + FWD + 2 * i]!) {
        if (this.i32[n + LEVEL]! <= i) return `link at level ${i} to a lower node`;
        const to = positions.get(n);
        if (to === undefined) return `link at level ${i} to a node not in the list`;
        const span = i === 0 ? 1 : this.i32[x + FWD + 2 * i + 1]!;
        if (to - pos !== span) return `bad span at level ${i}`;
        pos = to;
        x = n;
      }
    }
    for (let i = this.level; i < MAX_LEVEL; i++) if (this.i32[FWD + 2 * i] !== NIL) return `link above the level at ${i}`;
    return null;
  }

  // --- skiplist internals -------------------------------------------------------------------

  /** (score, member) of node `x` strictly before (score, ele)? Members compare as bytes. */
  private before(x: ZNode, score: number, ele: string): boolean {
    const s = this.f64[x >> 1]!;
    return s < score || (s === score && this.eles[this.i32[x + ELE]!]! < ele);
  }

  /** A record of `lvl` levels for `ele`, reused from the free list when one is there. */
  private alloc(lvl: number, ele: string): ZNode {
    let n = this.i32[FREE_HEADS + lvl]!;
    if (n !== NIL) {
      this.i32[FREE_HEADS + lvl] = this.i32[n + FWD]!;
      this.eles[this.i32[n + ELE]!] = ele;
    } else {
      const size = recordSize(lvl);
      if (this.top + size > this.i32.length) this.grow(size);
      n = this.top;
      this.top += size;
      this.i32[n + LEVEL] = lvl;
      this.i32[n + ELE] = this.eles.length;
      this.eles.push(ele);
    }
    return n;
  }

  private free(n: ZNode): void {
    const lvl = this.i32[n + LEVEL]!;
    this.eles[this.i32[n + ELE]!] = '';
    this.i32[n + FWD] = this.i32[FREE_HEADS + lvl]!;
    this.i32[FREE_HEADS + lvl] = n;
  }

  /** Makes room for `need` more slots, doubling the pool. */
  private grow(need: number): void {
    const want = this.top + need;
    if (want <= this.i32.length) return;
    let len = this.i32.length * 2;
    while (len < want) len *= 2;
    const buf = new ArrayBuffer(len * 4);
    const i32 = new Int32Array(buf);
    i32.set(this.i32);
    this.i32 = i32;
    this.f64 = new Float64Array(buf);
  }

  /** Fills `update` with the predecessors of node `node` at every level. */
  private findPath(node: ZNode): void {
    const i32 = this.i32;
    const f64 = this.f64;
    const eles = this.eles;
    const score = f64[node >> 1]!;
    const ele = eles[i32[node + ELE]!]!;
    let x = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      const at = FWD + 2 * i;
      for (;;) {
        const n = i32[x + at]!;
        if (n === NIL || n === node) break;
        const s = f64[n >> 1]!;
        if (s > score || (s === score && eles[i32[n + ELE]!]! >= ele)) break;
        x = n;
      }
      update[i] = x;
    }
  }

  /** zslInsert for an allocated record `node` of level `lvl` holding (score, ele). */
  private link(node: ZNode, score: number, ele: string, lvl: number): void {
    const i32 = this.i32;
    const f64 = this.f64;
    const eles = this.eles;
    let x = 0;
    let rank = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      const at = FWD + 2 * i;
      for (;;) {
        const n = i32[x + at]!;
        if (n === NIL) break;
        const s = f64[n >> 1]!;
        if (s > score || (s === score && eles[i32[n + ELE]!]! >= ele)) break;
        rank += i === 0 ? 1 : i32[x + at + 1]!;
        x = n;
      }
      update[i] = x;
      rankAt[i] = rank;
    }
    if (lvl > this.level) {
      for (let i = this.level; i < lvl; i++) {
        rankAt[i] = 0;
        update[i] = 0;
        i32[FWD + 2 * i + 1] = this.length;
      }
      this.level = lvl;
    }
    const rank0 = rankAt[0]!;
    const u0 = update[0]!;
    i32[node + FWD] = i32[u0 + FWD]!;
    i32[u0 + FWD] = node;
    for (let i = 1; i < lvl; i++) {
      const u = update[i]!;
      const at = FWD + 2 * i;
      const gap = rank0 - rankAt[i]!;
      i32[node + at] = i32[u + at]!;
      i32[u + at] = node;
      i32[node + at + 1] = i32[u + at + 1]! - gap;
      i32[u + at + 1] = gap + 1;
    }
    for (let i = lvl; i < this.level; i++) i32[update[i]! + FWD + 2 * i + 1]!++;
    i32[node + BACK] = u0;
    const after = i32[node + FWD]!;
    if (after !== NIL) i32[after + BACK] = node;
    else this.tailNode = node;
    this.length++;
  }

  /** Unlinks `n` (predecessors in `update`), drops it from the dictionary and frees it. */
  private deleteLinked(n: ZNode): void {
    const ele = this.eleOf(n);
    this.unlink(n);
    this.dict.delete(ele);
    this.free(n);
  }

  /** zslDeleteNode: unlinks `node` given its predecessors in `update`. */
  private unlink(node: ZNode): void {
    const i32 = this.i32;
    i32[update[0]! + FWD] = i32[node + FWD]!;
    for (let i = 1; i < this.level; i++) {
      const u = update[i]!;
      const at = FWD + 2 * i;
      if (i32[u + at] === node) {
        i32[u + at + 1]! += i32[node + at + 1]! - 1;
        i32[u + at] = i32[node + at]!;
      } else {
        i32[u + at + 1]!--;
      }
    }
    const after = i32[node + FWD]!;
    if (after !== NIL) i32[after + BACK] = i32[node + BACK]!;
    else this.tailNode = i32[node + BACK]!;
    while (this.level > 1 && i32[FWD + 2 * (this.level - 1)] === NIL) this.level--;
    this.length--;
  }
}
