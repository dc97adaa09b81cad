// The sorted set behind ZSetObj, built the way t_zset.c builds its skiplist encoding: a skiplist
// ordered by (score, member bytes) whose links carry spans, so a rank is found in O(log n) by
// summing spans on the way down, plus a member dictionary for O(1) score lookups. The dictionary
// is a ScanMap so ZSCAN cursors stay valid across writes. The listpack/skiplist distinction is an
// attribute of the ZSetObj (OBJECT ENCODING, ZSCAN paging); both encodings share this structure
// and the same order, which is the order a listpack keeps too. Range searches come in two
// flavours: the skiplist descent, and a linear scan that reproduces what Redis does on a listpack
// (the two only differ for lex ranges over members with different scores, where Redis's answer
// depends on the walk).

import { ScanMap, type Slotted } from './scan-map.js';

/** Redis's ZSKIPLIST_MAXLEVEL and ZSKIPLIST_P. */
const MAX_LEVEL = 32;
const P = 0.25;

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

/** The member dictionary's value. */
export interface ZEntry extends Slotted {
  score: number;
}

export class ZNode {
  readonly next: Array<ZNode | null>;
  readonly span: number[];
  backward: ZNode | null = null;
  constructor(
    readonly ele: string,
    public score: number,
    level: number,
  ) {
    this.next = new Array<ZNode | null>(level).fill(null);
    this.span = new Array<number>(level).fill(0);
  }
}

/** sdscmplex: compares a lex bound with another, the infinite bounds sorting outside every string. */
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

function randomLevel(): number {
  let level = 1;
  while (level < MAX_LEVEL && Math.random() < P) level++;
  return level;
}

/** (score, member) strictly before the node's pair? Members compare as bytes (latin1 order). */
function nodeBefore(x: ZNode, score: number, ele: string): boolean {
  return x.score < score || (x.score === score && x.ele < ele);
}

// Scratch paths reused by every operation (the engine is single-threaded and nothing re-enters).
const update: ZNode[] = new Array<ZNode>(MAX_LEVEL);
const rankAt: number[] = new Array<number>(MAX_LEVEL).fill(0);

export class SortedSet {
  private readonly header = new ZNode('', 0, MAX_LEVEL);
  private tailNode: ZNode | null = null;
  private level = 1;
  private length = 0;
  readonly dict = new ScanMap<ZEntry>();

  get size(): number {
    return this.length;
  }

  get first(): ZNode | null {
    return this.header.next[0];
  }

  get last(): ZNode | null {
    return this.tailNode;
  }

  score(ele: string): number | undefined {
    return this.dict.get(ele)?.score;
  }

  has(ele: string): boolean {
    return this.dict.has(ele);
  }

  /** Adds a member the caller knows is absent. */
  insert(ele: string, score: number): ZNode {
    const node = this.slInsert(ele, score);
    this.dict.set(ele, { slot: 0, score });
    return node;
  }

  /** Removes a member; false when it was absent. */
  remove(ele: string): boolean {
    const e = this.dict.delete(ele);
    if (!e) return false;
    this.slDelete(e.score, ele);
    return true;
  }

  /** Changes the score of a present member (zslUpdateScore: in place when the order allows). */
  updateScore(ele: string, score: number): void {
    const e = this.dict.get(ele)!;
    const cur = e.score;
    e.score = score;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i];
      while (n !== null && nodeBefore(n, cur, ele)) {
        x = n;
        n = x.next[i];
      }
      update[i] = x;
    }
    const node = x.next[0]!;
    const prev = node.backward;
    const after = node.next[0];
    if ((prev === null || prev.score < score) && (after === null || after.score > score)) {
      node.score = score;
      return;
    }
    this.unlink(node);
    this.slInsert(ele, score);
  }

  /** 0-based rank in ascending order, or -1 when absent. */
  rank(ele: string): number {
    const e = this.dict.get(ele);
    if (!e) return -1;
    let traversed = 0;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i];
      while (n !== null && (n.score < e.score || (n.score === e.score && n.ele <= ele))) {
        traversed += x.span[i]!;
        x = n;
        n = x.next[i];
      }
      if (x !== this.header && x.ele === ele) return traversed - 1;
    }
    return -1;
  }

  /** The node at a 0-based rank, or null when out of range. */
  at(rank: number): ZNode | null {
    if (rank < 0 || rank >= this.length) return null;
    const target = rank + 1;
    let traversed = 0;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      while (x.next[i] !== null && traversed + x.span[i]! <= target) {
        traversed += x.span[i]!;
        x = x.next[i]!;
      }
      if (traversed === target) return x;
    }
    return null;
  }

  // --- range searches -----------------------------------------------------------------------

  private inScoreRange(r: ScoreRange): boolean {
    if (scoreRangeEmpty(r)) return false;
    const t = this.tailNode;
    if (t === null || !scoreGteMin(t.score, r)) return false;
    return scoreLteMax(this.header.next[0]!.score, r);
  }

  private inLexRange(r: LexRange): boolean {
    if (lexRangeEmpty(r)) return false;
    const t = this.tailNode;
    if (t === null || !lexGteMin(t.ele, r)) return false;
    return lexLteMax(this.header.next[0]!.ele, r);
  }

  firstInScore(r: ScoreRange): ZNode | null {
    if (!this.inScoreRange(r)) return null;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      while (x.next[i] !== null && !scoreGteMin(x.next[i]!.score, r)) x = x.next[i]!;
    }
    const n = x.next[0];
    return n !== null && scoreLteMax(n.score, r) ? n : null;
  }

  lastInScore(r: ScoreRange): ZNode | null {
    if (!this.inScoreRange(r)) return null;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      while (x.next[i] !== null && scoreLteMax(x.next[i]!.score, r)) x = x.next[i]!;
    }
    return scoreGteMin(x.score, r) ? x : null;
  }

  /** First node in a lex range; `linear` walks level 0 only, as Redis does on a listpack. */
  firstInLex(r: LexRange, linear = false): ZNode | null {
    if (!this.inLexRange(r)) return null;
    if (linear) {
      for (let n = this.header.next[0]; n !== null; n = n.next[0]) {
        if (lexGteMin(n.ele, r)) return lexLteMax(n.ele, r) ? n : null;
      }
      return null;
    }
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      while (x.next[i] !== null && !lexGteMin(x.next[i]!.ele, r)) x = x.next[i]!;
    }
    const n = x.next[0];
    return n !== null && lexLteMax(n.ele, r) ? n : null;
  }

  lastInLex(r: LexRange, linear = false): ZNode | null {
    if (!this.inLexRange(r)) return null;
    if (linear) {
      for (let n = this.tailNode; n !== null; n = n.backward) {
        if (lexLteMax(n.ele, r)) return lexGteMin(n.ele, r) ? n : null;
      }
      return null;
    }
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      while (x.next[i] !== null && lexLteMax(x.next[i]!.ele, r)) x = x.next[i]!;
    }
    return lexGteMin(x.ele, r) ? x : null;
  }

  // --- range deletions ----------------------------------------------------------------------

  /** Deletes ranks start..end (0-based, inclusive, already clamped); returns how many. */
  deleteRangeByRank(start: number, end: number): number {
    let traversed = 0;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      while (x.next[i] !== null && traversed + x.span[i]! <= start) {
        traversed += x.span[i]!;
        x = x.next[i]!;
      }
      update[i] = x;
    }
    let n = x.next[0];
    let removed = 0;
    while (n !== null && traversed <= end) {
      const following = n.next[0];
      this.unlink(n);
      this.dict.delete(n.ele);
      removed++;
      traversed++;
      n = following;
    }
    return removed;
  }

  deleteRangeByScore(r: ScoreRange): number {
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      while (x.next[i] !== null && !scoreGteMin(x.next[i]!.score, r)) x = x.next[i]!;
      update[i] = x;
    }
    let n = x.next[0];
    let removed = 0;
    while (n !== null && scoreLteMax(n.score, r)) {
      const following = n.next[0];
      this.unlink(n);
      this.dict.delete(n.ele);
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
      while (n !== null && lexLteMax(n.ele, r)) {
        const following = n.next[0];
        this.deleteNode(n);
        this.dict.delete(n.ele);
        removed++;
        n = following;
      }
      return removed;
    }
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      while (x.next[i] !== null && !lexGteMin(x.next[i]!.ele, r)) x = x.next[i]!;
      update[i] = x;
    }
    let n = x.next[0];
    while (n !== null && lexLteMax(n.ele, r)) {
      const following = n.next[0];
      this.unlink(n);
      this.dict.delete(n.ele);
      removed++;
      n = following;
    }
    return removed;
  }

  // --- iteration ----------------------------------------------------------------------------

  /** Members and scores in ascending order. */
  *entries(): IterableIterator<[string, number]> {
    for (let n = this.header.next[0]; n !== null; n = n.next[0]) yield [n.ele, n.score];
  }

  /** Cursor scan over the dictionary (ZSCAN on the skiplist encoding). */
  scan(cursor: bigint, count: number, visit: (ele: string, score: number) => void): bigint {
    return this.dict.scan(cursor, count, (k, e) => visit(k, e.score));
  }

  randomMember(): string | undefined {
    return this.dict.randomKey();
  }

  clone(): SortedSet {
    const c = new SortedSet();
    for (const [ele, score] of this.entries()) c.insert(ele, score);
    return c;
  }

  /** Rewrites every -0 score as 0 (what storing the set in a listpack does). */
  normalizeZeros(): void {
    for (let n = this.header.next[0]; n !== null; n = n.next[0]) {
      if (Object.is(n.score, -0)) {
        n.score = 0;
        this.dict.get(n.ele)!.score = 0;
      }
    }
  }

  /** Structural self-check for tests: order, spans, backward links, dictionary agreement. */
  check(): string | null {
    let prev: ZNode | null = null;
    let count = 0;
    for (let n = this.header.next[0]; n !== null; n = n.next[0]) {
      if (n.backward !== prev) return `bad backward link at ${n.ele}`;
      if (prev && !nodeBefore(prev, n.score, n.ele)) return `order broken at ${n.ele}`;
      if (this.dict.get(n.ele)?.score !== n.score) return `dict disagrees at ${n.ele}`;
      prev = n;
      count++;
    }
    if (prev !== this.tailNode) return 'bad tail';
    if (count !== this.length || count !== this.dict.size) return 'bad length';
    const positions = new Map<ZNode, number>();
    for (let n = this.header.next[0], p = 1; n !== null; n = n.next[0], p++) positions.set(n, p);
    for (let i = 0; i < this.level; i++) {
      let pos = 0;
      let x: ZNode = this.header;
      while (x.next[i] !== null) {
        const to = positions.get(x.next[i]!)!;
        if (to - pos !== x.span[i]) return `bad span at level ${i}`;
        pos = to;
        x = x.next[i]!;
      }
    }
    return null;
  }

  // --- skiplist internals -------------------------------------------------------------------

  private slInsert(ele: string, score: number): ZNode {
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      rankAt[i] = i === this.level - 1 ? 0 : rankAt[i + 1]!;
      let n = x.next[i];
      while (n !== null && nodeBefore(n, score, ele)) {
        rankAt[i]! += x.span[i]!;
        x = n;
        n = x.next[i];
      }
      update[i] = x;
    }
    const lvl = randomLevel();
    if (lvl > this.level) {
      for (let i = this.level; i < lvl; i++) {
        rankAt[i] = 0;
        update[i] = this.header;
        this.header.span[i] = this.length;
      }
      this.level = lvl;
    }
    const node = new ZNode(ele, score, lvl);
    for (let i = 0; i < lvl; i++) {
      const u = update[i]!;
      node.next[i] = u.next[i];
      u.next[i] = node;
      node.span[i] = u.span[i]! - (rankAt[0]! - rankAt[i]!);
      u.span[i] = rankAt[0]! - rankAt[i]! + 1;
    }
    for (let i = lvl; i < this.level; i++) update[i]!.span[i]!++;
    node.backward = update[0] === this.header ? null : update[0]!;
    if (node.next[0] !== null) node.next[0]!.backward = node;
    else this.tailNode = node;
    this.length++;
    return node;
  }

  private slDelete(score: number, ele: string): void {
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i];
      while (n !== null && nodeBefore(n, score, ele)) {
        x = n;
        n = x.next[i];
      }
      update[i] = x;
    }
    const node = x.next[0];
    if (node !== null && node.score === score && node.ele === ele) this.unlink(node);
  }

  /** Deletes a node, finding its predecessors first. */
  private deleteNode(node: ZNode): void {
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i];
      while (n !== null && n !== node && nodeBefore(n, node.score, node.ele)) {
        x = n;
        n = x.next[i];
      }
      update[i] = x;
    }
    this.unlink(node);
  }

  /** zslDeleteNode: unlinks `node` given its predecessors in `update`. */
  private unlink(node: ZNode): void {
    for (let i = 0; i < this.level; i++) {
      const u = update[i]!;
      if (u.next[i] === node) {
        u.span[i]! += node.span[i]! - 1;
        u.next[i] = node.next[i];
      } else {
        u.span[i]!--;
      }
    }
    if (node.next[0] !== null) node.next[0]!.backward = node.backward;
    else this.tailNode = node.backward;
    while (this.level > 1 && this.header.next[this.level - 1] === null) this.level--;
    this.length--;
  }
}
