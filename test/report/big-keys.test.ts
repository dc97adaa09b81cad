import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BigKeys, TopN } from '../../src/report/big-keys.js';

describe('TopN', () => {
  it('keeps the N largest, largest first, first-seen on ties', () => {
    const t = new TopN<{ id: string; v: number }>(3, (x) => x.v);
    for (const [id, v] of [['a', 5], ['b', 1], ['c', 9], ['d', 5], ['e', 7], ['f', 5]] as const) t.offer({ id, v });
    expect(t.sorted().map((x) => x.id)).toEqual(['c', 'e', 'a']);
  });
  it('agrees with a full sort on random input', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 200 }), fc.integer({ min: 0, max: 12 }), (values, n) => {
        const t = new TopN<{ i: number; v: number }>(n, (x) => x.v);
        values.forEach((v, i) => t.offer({ i, v }));
        const expected = values
          .map((v, i) => ({ i, v }))
          .sort((a, b) => b.v - a.v || a.i - b.i)
          .slice(0, n);
        expect(t.sorted()).toEqual(expected);
      }),
    );
  });
});

describe('BigKeys', () => {
  it('ranks by memory and by length, overall and per type', () => {
    const b = new BigKeys(2);
    b.add(0, 'small', 'string', 'embstr', 5, 60, null);
    b.add(0, 'long-list', 'list', 'quicklist', 1000, 500, null);
    b.add(1, 'fat-string', 'string', 'raw', 900, 1000, 123);
    b.add(0, 'tiny-list', 'list', 'quicklist', 2, 90, null);
    const r = b.finish();
    expect(r.byMemory.map((e) => e.key)).toEqual(['fat-string', 'long-list']);
    expect(r.byLength.map((e) => e.key)).toEqual(['long-list', 'fat-string']);
    expect(r.perType.list?.byMemory.map((e) => e.key)).toEqual(['long-list', 'tiny-list']);
    expect(r.perType.string?.byLength.map((e) => e.key)).toEqual(['fat-string', 'small']);
    expect(r.byMemory[0]).toEqual({ db: 1, key: 'fat-string', type: 'string', encoding: 'raw', length: 900, memoryBytes: 1000, expireAtMs: 123 });
  });
});
