// The sorted set's member dictionary (open addressing over slots): lookups, backward-shift
// deletion, compaction's renumbering and SCAN cursors that survive it, checked against a Map.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemberScores } from '../../../src/engine/types/zset-members.js';

/** Slot of every member, checked to be the member's own and to carry its score. */
function expectSame(d: MemberScores, model: Map<string, number>): void {
  expect(d.size).toBe(model.size);
  for (const [k, score] of model) {
    const slot = d.find(k);
    expect(slot).toBeGreaterThanOrEqual(0);
    expect(d.keyAt(slot)).toBe(k);
    expect(Object.is(d.scoreAt(slot), score)).toBe(true);
  }
}

/** Deletes a member the way SortedSet does: by slot, then compaction if the holes call for it. */
function del(d: MemberScores, k: string): Int32Array | null {
  const slot = d.find(k);
  if (slot < 0) return null;
  d.deleteSlot(slot);
  return d.compactIfSparse();
}

describe('MemberScores', () => {
  it('agrees with a Map over random add/update/delete sequences, binary members included', () => {
    const key = fc.oneof(fc.integer({ min: 0, max: 300 }).map((i) => `m${i}`), fc.constantFrom('', '\x00', '\xff\x00', 'x'.repeat(5000)));
    const op = fc.tuple(fc.constantFrom('add', 'add', 'del'), key, fc.double({ noNaN: true }));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 600 }), (ops) => {
        const d = new MemberScores();
        const model = new Map<string, number>();
        for (const [kind, k, score] of ops) {
          if (kind === 'add') {
            const slot = d.find(k);
            if (slot >= 0) d.setScore(slot, score);
            else d.add(k, score);
            model.set(k, score);
          } else {
            del(d, k);
            model.delete(k);
          }
          expect(d.find(k) >= 0).toBe(model.has(k));
        }
        expectSame(d, model);
        expectSame(d.clone(), model);
      }),
      { numRuns: 200, seed: 42 },
    );
  });

  it('keeps every probe run reachable through heavy deletion and regrowth', () => {
    const d = new MemberScores();
    const model = new Map<string, number>();
    for (let i = 0; i < 20000; i++) {
      d.add(`k${i}`, i);
      model.set(`k${i}`, i);
    }
    for (let i = 0; i < 20000; i += 3) {
      del(d, `k${i}`);
      model.delete(`k${i}`);
    }
    expectSame(d, model);
    for (let i = 0; i < 20000; i += 3) expect(d.find(`k${i}`)).toBe(-1);
    for (let i = 20000; i < 30000; i++) {
      d.add(`k${i}`, -i);
      model.set(`k${i}`, -i);
    }
    expectSame(d, model);
  });

  it('renumbers slots on compaction and says how', () => {
    const d = new MemberScores();
    for (let i = 0; i < 400; i++) d.add(`k${i}`, i);
    const before = new Map<string, number>();
    for (let i = 0; i < 400; i++) before.set(`k${i}`, d.find(`k${i}`));
    let renumbered: Int32Array | null = null;
    for (let i = 0; i < 300 && renumbered === null; i++) renumbered = del(d, `k${i}`);
    expect(renumbered).not.toBeNull();
    for (const [k, old] of before) {
      const now = d.find(k);
      if (now >= 0) expect(renumbered![old]).toBe(now);
    }
    // Slots are dense again, in insertion order.
    const survivors = [...before.keys()].filter((k) => d.find(k) >= 0);
    survivors.forEach((k, i) => expect(d.find(k)).toBe(i));
  });

  it('returns every member present for a whole SCAN once although the scan spans compactions', () => {
    const d = new MemberScores();
    for (let i = 0; i < 3000; i++) d.add(`k${i}`, i);
    const stay = new Set<string>();
    for (let i = 0; i < 3000; i += 5) stay.add(`k${i}`);
    const seen = new Map<string, number>();
    let cursor = 0n;
    let next = 0;
    do {
      cursor = d.scan(cursor, 50, (k) => seen.set(k, (seen.get(k) ?? 0) + 1));
      // Between calls, delete members that are not kept (forcing compactions) and add new ones.
      for (let n = 0; n < 150 && next < 3000; next++) {
        if (stay.has(`k${next}`)) continue;
        del(d, `k${next}`);
        n++;
      }
      d.add(`new${next}`, next);
    } while (cursor !== 0n);
    // Translated cursors neither skip nor repeat survivors (restarting would only repeat them).
    for (const k of stay) expect(seen.get(k)).toBe(1);
  });

  it('draws random members among the live ones only', () => {
    const d = new MemberScores();
    expect(d.randomKey()).toBeUndefined();
    for (let i = 0; i < 200; i++) d.add(`k${i}`, i);
    for (let i = 0; i < 190; i++) d.deleteSlot(d.find(`k${i}`));
    const drawn = new Set<string>();
    for (let i = 0; i < 500; i++) drawn.add(d.randomKey()!);
    expect([...drawn].sort()).toEqual(Array.from({ length: 10 }, (_, i) => `k${190 + i}`).sort());
  });
});
