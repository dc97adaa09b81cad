import { describe, expect, it } from 'vitest';
import { PrefixTree } from '../../src/report/prefix-tree.js';

describe('prefix tree', () => {
  it('builds a tree of prefixes, parents before children, biggest first', () => {
    const t = new PrefixTree({ depth: 2 });
    t.add('user:1:name', 100, false);
    t.add('user:1:mail', 100, true);
    t.add('user:2:name', 50, false);
    t.add('session:abc', 500, true);
    t.add('plain', 7, false);
    const r = t.finish(10);
    expect(r.rows.map((x) => [x.prefix, x.depth, x.keys, x.memoryBytes, x.noTtlKeys])).toEqual([
      ['session:', 1, 1, 500, 0],
      ['user:', 1, 3, 250, 2],
      ['user:1:', 2, 2, 200, 1],
      ['user:2:', 2, 1, 50, 1],
    ]);
    expect(r.unprefixed).toEqual({ keys: 1, memoryBytes: 7, noTtlKeys: 1 });
    expect(r.approximate).toBe(false);
  });

  it('honours the separator, the depth and top', () => {
    const t = new PrefixTree({ separator: '::', depth: 1 });
    t.add('a::b::c', 1, false);
    t.add('b::x', 2, false);
    t.add('c::x', 3, false);
    const r = t.finish(2);
    expect(r.rows.map((x) => x.prefix)).toEqual(['c::', 'b::']);
  });

  it('stays bounded on unique prefixes and folds the tail into other', () => {
    const t = new PrefixTree({ depth: 2, maxPrefixes: 100 });
    for (let i = 0; i < 100_000; i++) t.add(`sess:${i}:x`, 10, true);
    for (let i = 0; i < 1000; i++) t.add(`user:${i % 5}:x`, 1, false);
    const r = t.finish(1000);
    const level2 = r.rows.filter((x) => x.depth === 2 && x.prefix !== null);
    expect(level2.length).toBeLessThanOrEqual(100);
    // the repeated prefixes survive the pruning with exact counts
    for (let i = 0; i < 5; i++) expect(level2.find((x) => x.prefix === `user:${i}:`)?.keys).toBe(200);
    const other = r.rows.find((x) => x.prefix === null && x.depth === 2)!;
    const kept = level2.reduce((a, x) => a + x.keys, 0);
    expect(other.keys + kept).toBe(101_000);
    expect(r.rows.find((x) => x.prefix === 'sess:')?.keys).toBe(100_000);
  });
});
