// ScanMap.add, the one-hash insert the keyspace and the hash/set/zset dictionaries use for keys
// known to be absent: the same map, slots and SCAN results as set(), and a wrongly "absent" key
// replaces in place instead of corrupting the slot array.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ScanMap } from '../../../src/engine/types/scan-map.js';

interface Node {
  slot: number;
  v: number;
}

/** Every key a full SCAN returns, sorted. */
function scanAll(m: ScanMap<Node>): string[] {
  const out: string[] = [];
  let cursor = 0n;
  do cursor = m.scan(cursor, 7, (k) => out.push(k));
  while (cursor !== 0n);
  return out.sort();
}

describe('ScanMap.add', () => {
  it('matches set() over random insert/delete sequences (contents, size, SCAN, random keys)', () => {
    const op = fc.oneof(fc.tuple(fc.constant('put'), fc.integer({ min: 0, max: 60 })), fc.tuple(fc.constant('del'), fc.integer({ min: 0, max: 60 })));
    for (const ops of fc.sample(fc.array(op, { maxLength: 400 }), { numRuns: 60, seed: 3 })) {
      const viaAdd = new ScanMap<Node>();
      const viaSet = new ScanMap<Node>();
      let n = 0;
      for (const [kind, i] of ops) {
        const key = `k${i}`;
        if (kind === 'put') {
          n++;
          if (viaAdd.has(key)) viaAdd.get(key)!.v = n;
          else viaAdd.add(key, { slot: 0, v: n });
          if (viaSet.has(key)) viaSet.get(key)!.v = n;
          else viaSet.set(key, { slot: 0, v: n });
        } else {
          viaAdd.delete(key);
          viaSet.delete(key);
        }
      }
      expect(viaAdd.size).toBe(viaSet.size);
      expect([...viaAdd.entries()].map(([k, v]) => [k, v.v])).toEqual([...viaSet.entries()].map(([k, v]) => [k, v.v]));
      expect(scanAll(viaAdd)).toEqual(scanAll(viaSet));
      if (viaAdd.size > 0) expect(viaAdd.has(viaAdd.randomKey()!)).toBe(true);
    }
  });

  it('replaces the node in place when the key was present after all', () => {
    const m = new ScanMap<Node>();
    for (let i = 0; i < 10; i++) m.add(`k${i}`, { slot: 0, v: i });
    m.delete('k3');
    const node = { slot: -1, v: 99 };
    m.add('k5', node);
    expect(m.size).toBe(9);
    expect(m.get('k5')).toBe(node);
    expect(node.slot).toBe(5);
    expect(scanAll(m)).toEqual(['k0', 'k1', 'k2', 'k4', 'k5', 'k6', 'k7', 'k8', 'k9']);
    const seen: number[] = [];
    m.scan(0n, 100, (_k, n) => seen.push(n.v));
    expect(seen.filter((v) => v === 99)).toHaveLength(1);
    expect(seen).not.toContain(5);
  });
});
