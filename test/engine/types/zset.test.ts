// The ordered structure behind sorted sets (an order-statistic B+tree), checked against the
// simplest model that can be right: an array kept sorted by (score, member). fast-check drives
// random operation sequences through both and every answer (ranks, rank lookups, range ends, range
// deletions) must agree, with the tree's counts, separators, leaf chain and dictionary re-verified
// after each step; seeded runs over thousands of members take it through leaf and inner splits,
// merges, root growth and collapse, and the renumbering of member ids when the dictionary compacts.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  LEX_MAX,
  LEX_MIN,
  NIL,
  SortedSet,
  lexGteMin,
  lexLteMax,
  scoreGteMin,
  scoreLteMax,
  type LexRange,
  type ScoreRange,
  type ZNode,
} from '../../../src/engine/types/zset.js';

/** The member of a node handle, null for NIL. */
function eleOf(z: SortedSet, n: ZNode): string | null {
  return n === NIL ? null : z.eleOf(n);
}

type Pair = [string, number];

class Model {
  items: Pair[] = [];
  private sort(): void {
    this.items.sort((a, b) => (a[1] !== b[1] ? a[1] - b[1] : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }
  find(ele: string): number {
    return this.items.findIndex((p) => p[0] === ele);
  }
  insert(ele: string, score: number): void {
    this.items.push([ele, score]);
    this.sort();
  }
  remove(ele: string): boolean {
    const i = this.find(ele);
    if (i < 0) return false;
    this.items.splice(i, 1);
    return true;
  }
  update(ele: string, score: number): void {
    this.items[this.find(ele)]![1] = score;
    this.sort();
  }
  firstScore(r: ScoreRange): string | null {
    return this.items.find((p) => scoreGteMin(p[1], r) && scoreLteMax(p[1], r))?.[0] ?? null;
  }
  lastScore(r: ScoreRange): string | null {
    return [...this.items].reverse().find((p) => scoreGteMin(p[1], r) && scoreLteMax(p[1], r))?.[0] ?? null;
  }
  firstLex(r: LexRange): string | null {
    return this.items.find((p) => lexGteMin(p[0], r) && lexLteMax(p[0], r))?.[0] ?? null;
  }
  lastLex(r: LexRange): string | null {
    return [...this.items].reverse().find((p) => lexGteMin(p[0], r) && lexLteMax(p[0], r))?.[0] ?? null;
  }
}

const member = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'aa', 'ab', '', 'z', '\x00', '\xff', 'b\x00', 'ba', 'bb');
const score = fc.oneof(
  fc.integer({ min: -5, max: 5 }),
  fc.constantFrom(Infinity, -Infinity, 0.5, -0.5, 1e-300),
);
const scoreRange = fc.record({ min: score, max: score, minex: fc.boolean(), maxex: fc.boolean() });
const lexPoint = fc.oneof(member, fc.constant(LEX_MIN), fc.constant(LEX_MAX));
const lexRange = fc.record({ min: lexPoint, max: lexPoint, minex: fc.boolean(), maxex: fc.boolean() });

const op = fc.oneof(
  { arbitrary: fc.record({ t: fc.constant('add' as const), ele: member, score }), weight: 10 },
  { arbitrary: fc.record({ t: fc.constant('rem' as const), ele: member }), weight: 2 },
  { arbitrary: fc.record({ t: fc.constant('rank' as const), ele: member }), weight: 2 },
  { arbitrary: fc.record({ t: fc.constant('at' as const), i: fc.integer({ min: -1, max: 20 }) }), weight: 2 },
  { arbitrary: fc.record({ t: fc.constant('score' as const), r: scoreRange }), weight: 2 },
  { arbitrary: fc.record({ t: fc.constant('lex' as const), r: lexRange }), weight: 1 },
  { arbitrary: fc.record({ t: fc.constant('delRank' as const), a: fc.integer({ min: 0, max: 20 }), b: fc.integer({ min: 0, max: 20 }) }), weight: 1 },
  { arbitrary: fc.record({ t: fc.constant('delScore' as const), r: scoreRange }), weight: 1 },
  { arbitrary: fc.record({ t: fc.constant('delLex' as const), r: lexRange, linear: fc.boolean() }), weight: 1 },
);

describe('SortedSet', () => {
  it('agrees with a sorted array over random operation sequences', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 150, size: 'max' }), (ops) => {
        const z = new SortedSet();
        const m = new Model();
        for (const o of ops) {
          switch (o.t) {
            case 'add':
              if (z.has(o.ele)) {
                z.updateScore(o.ele, o.score);
                m.update(o.ele, o.score);
              } else {
                z.insert(o.ele, o.score);
                m.insert(o.ele, o.score);
              }
              break;
            case 'rem':
              expect(z.remove(o.ele)).toBe(m.remove(o.ele));
              break;
            case 'rank':
              expect(z.rank(o.ele)).toBe(m.find(o.ele));
              break;
            case 'at': {
              const n = z.at(o.i);
              const p = m.items[o.i];
              expect(n !== NIL ? [z.eleOf(n), z.scoreOf(n)] : null).toEqual(o.i >= 0 && p ? p : null);
              if (n !== NIL) expect(z.rankOf(n)).toBe(o.i);
              break;
            }
            case 'score':
              expect(eleOf(z, z.firstInScore(o.r))).toBe(m.firstScore(o.r));
              expect(eleOf(z, z.lastInScore(o.r))).toBe(m.lastScore(o.r));
              break;
            case 'lex':
              // Lex ranges are only meaningful when every score is equal: use a copy with score 0.
              {
                const flat = new SortedSet();
                const fm = new Model();
                for (const [e] of m.items) {
                  flat.insert(e, 0);
                  fm.insert(e, 0);
                }
                expect(eleOf(flat, flat.firstInLex(o.r))).toBe(fm.firstLex(o.r));
                expect(eleOf(flat, flat.lastInLex(o.r))).toBe(fm.lastLex(o.r));
                expect(eleOf(flat, flat.firstInLex(o.r, true))).toBe(fm.firstLex(o.r));
                expect(eleOf(flat, flat.lastInLex(o.r, true))).toBe(fm.lastLex(o.r));
              }
              break;
            case 'delRank': {
              const len = m.items.length;
              const a = Math.min(o.a, o.b);
              const b = Math.min(Math.max(o.a, o.b), len - 1);
              if (a >= len) break;
              expect(z.deleteRangeByRank(a, b)).toBe(b - a + 1);
              m.items.splice(a, b - a + 1);
              break;
            }
            case 'delScore': {
              // Redis deletes from the first member >= min while members are <= max.
              const keep = m.items.filter((p) => !(scoreGteMin(p[1], o.r) && scoreLteMax(p[1], o.r)));
              expect(z.deleteRangeByScore(o.r)).toBe(m.items.length - keep.length);
              m.items = keep;
              break;
            }
            case 'delLex': {
              const flat = new SortedSet();
              const items = m.items.map(([e]) => e).sort();
              for (const e of items) flat.insert(e, 0);
              const keep = items.filter((e) => !(lexGteMin(e, o.r) && lexLteMax(e, o.r)));
              expect(flat.deleteRangeByLex(o.r, o.linear)).toBe(items.length - keep.length);
              expect([...flat.entries()].map(([e]) => e)).toEqual(keep);
              expect(flat.check()).toBeNull();
              break;
            }
          }
          expect(z.check()).toBeNull();
          expect(z.size).toBe(m.items.length);
          expect([...z.entries()]).toEqual(m.items);
        }
        const c = z.clone();
        expect([...c.entries()]).toEqual(m.items);
        expect(c.check()).toBeNull();
        // The copy is independent and keeps working (free records and all).
        c.insert('copy-only', 0);
        if (m.items.length) c.remove(m.items[0]![0]);
        expect(c.check()).toBeNull();
        expect([...z.entries()]).toEqual(m.items);
        // Walking both ways agrees with the order.
        const back: string[] = [];
        for (let n = z.tail; n !== NIL; n = z.prev(n)) back.push(z.eleOf(n));
        expect(back.reverse()).toEqual(m.items.map((p) => p[0]));
      }),
      { numRuns: 300, seed: 20240707 },
    );
  });

  it('keeps ranks right on a large set (counts across several levels)', () => {
    const z = new SortedSet();
    const n = 5000;
    for (let i = 0; i < n; i++) z.insert(`m${i}`, (i * 7919) % n);
    expect(z.check()).toBeNull();
    for (let s = 0; s < n; s += 97) {
      const node = z.at(s);
      expect(z.scoreOf(node)).toBe(s);
      expect(z.rank(z.eleOf(node))).toBe(s);
    }
    for (let i = 0; i < n; i += 3) z.updateScore(`m${i}`, -i);
    expect(z.check()).toBeNull();
    expect(z.deleteRangeByRank(10, 1009)).toBe(1000);
    expect(z.size).toBe(n - 1000);
    expect(z.check()).toBeNull();
  });

  it('survives heavy churn on a large set', () => {
    const z = new SortedSet();
    const scores = new Map<string, number>();
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 48271) % 2147483647;
      return seed % n;
    };
    for (let i = 0; i < 60000; i++) {
      const ele = `element:${rnd(20000)}`;
      const score = rnd(5000);
      const op = rnd(10);
      if (op === 0) {
        expect(z.remove(ele)).toBe(scores.delete(ele));
      } else if (scores.has(ele)) {
        z.updateScore(ele, score);
        scores.set(ele, score);
      } else {
        z.insert(ele, score);
        scores.set(ele, score);
      }
    }
    expect(z.check()).toBeNull();
    const sorted = [...scores].sort((a, b) => (a[1] !== b[1] ? a[1] - b[1] : a[0] < b[0] ? -1 : 1));
    expect([...z.entries()]).toEqual(sorted);
    for (let r = 0; r < sorted.length; r += 101) {
      expect(z.rank(sorted[r]![0])).toBe(r);
      expect(z.eleOf(z.at(r))).toBe(sorted[r]![0]);
    }
    expect(z.deleteRangeByRank(0, sorted.length - 1)).toBe(sorted.length);
    expect(z.size).toBe(0);
    expect(z.head).toBe(NIL);
    expect(z.tail).toBe(NIL);
    expect(z.check()).toBeNull();
  });

  it('agrees with the model through splits, merges, root changes and id renumbering', () => {
    let seed = 11;
    const rnd = (n: number) => {
      seed = (seed * 48271) % 2147483647;
      return seed % n;
    };
    const z = new SortedSet();
    const m = new Model();
    /** Sorted insert into the model without re-sorting everything. */
    const modelAdd = (ele: string, score: number) => {
      const at = m.items.findIndex((p) => p[1] > score || (p[1] === score && p[0] > ele));
      m.items.splice(at < 0 ? m.items.length : at, 0, [ele, score]);
    };
    const agree = () => {
      expect(z.check()).toBeNull();
      expect([...z.entries()]).toEqual(m.items);
    };
    for (let round = 0; round < 6; round++) {
      // Grow to a few thousand members (ascending, descending or random scores), then churn and cut.
      const shape = round % 3;
      for (let i = 0; i < 3000; i++) {
        const ele = `r${round}m${i}`;
        const score = shape === 0 ? i : shape === 1 ? -i : rnd(500);
        z.insert(ele, score);
        modelAdd(ele, score);
      }
      agree();
      for (let i = 0; i < 4000; i++) {
        const p = m.items[rnd(m.items.length)]!;
        const op = rnd(10);
        if (op < 5) {
          const score = rnd(500) - 250;
          z.updateScore(p[0], score);
          m.remove(p[0]);
          modelAdd(p[0], score);
        } else if (op < 8) {
          expect(z.remove(p[0])).toBe(true);
          m.remove(p[0]);
        } else {
          const r = m.find(p[0]);
          expect(z.rank(p[0])).toBe(r);
          expect(z.rankOf(z.at(r))).toBe(r);
        }
        if (i % 50 === 0) expect(z.check()).toBeNull();
      }
      agree();
      const a = rnd(m.items.length);
      const b = Math.min(m.items.length - 1, a + rnd(800));
      expect(z.deleteRangeByRank(a, b)).toBe(b - a + 1);
      m.items.splice(a, b - a + 1);
      agree();
      const r: ScoreRange = { min: -100, max: 100, minex: false, maxex: true };
      const keep = m.items.filter((p) => !(scoreGteMin(p[1], r) && scoreLteMax(p[1], r)));
      expect(z.deleteRangeByScore(r)).toBe(m.items.length - keep.length);
      m.items = keep;
      agree();
      // Every few rounds, cut down to almost nothing: leaves and inner nodes merge, the root shrinks.
      if (round % 2 === 1 && m.items.length > 5) {
        expect(z.deleteRangeByRank(2, m.items.length - 3)).toBe(m.items.length - 4);
        m.items.splice(2, m.items.length - 4);
        agree();
      }
      const c = z.clone();
      expect(c.check()).toBeNull();
      expect([...c.entries()]).toEqual(m.items);
    }
  });

  it('updates a score in place when the order allows and moves the member otherwise', () => {
    const z = new SortedSet();
    for (const [e, s] of [['a', 1], ['b', 2], ['c', 3]] as const) z.insert(e, s);
    const b = z.node('b');
    z.updateScore('b', 2.5);
    expect(z.node('b')).toBe(b);
    expect(z.rank('b')).toBe(1);
    z.updateScore('b', 10);
    expect(z.node('b')).toBe(z.tail);
    expect(z.rank('b')).toBe(2);
    z.updateScore('b', -1);
    expect([...z.entries()]).toEqual([['b', -1], ['a', 1], ['c', 3]]);
    expect(z.check()).toBeNull();
  });

  it('scans every member once when nothing changes and normalizes -0 for listpacks', () => {
    const z = new SortedSet();
    for (let i = 0; i < 300; i++) z.insert(`k${i}`, i === 7 ? -0 : i);
    const seen = new Map<string, number>();
    let cursor = 0n;
    do {
      cursor = z.scan(cursor, 10, (e, s) => seen.set(e, (seen.get(e) ?? 0) + s * 0 + 1));
    } while (cursor !== 0n);
    expect(seen.size).toBe(300);
    expect([...seen.values()].every((v) => v === 1)).toBe(true);
    expect(Object.is(z.score('k7'), -0)).toBe(true);
    z.normalizeZeros();
    expect(Object.is(z.score('k7'), 0)).toBe(true);
    expect(z.check()).toBeNull();
  });
});
