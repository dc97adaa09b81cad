// The bridge from KeyRecord to the memory model: with values it must give exactly what the model
// gives for the same content (origin 'load'); without values, the summary must be exact for
// uniform data and pick the encoding the record says.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyMemoryUsage, REDIS_7_0, valueCost } from '../../src/memory/index.js';
import { KeyMemory, describe as describeValue } from '../../src/report/key-memory.js';
import { keyRecord } from './helpers.js';

const km = new KeyMemory();
const strip = (r: ReturnType<typeof keyRecord>) => ({ ...r, value: undefined });

describe('key memory', () => {
  const cases = [
    keyRecord({ key: 'k:str', value: { type: 'string', value: 'x'.repeat(30) }, encoding: 'embstr' }),
    keyRecord({ key: 'k:raw', value: { type: 'string', value: 'y'.repeat(300) }, encoding: 'raw' }),
    keyRecord({ key: 'k:list', value: { type: 'list', elements: Array.from({ length: 300 }, (_, i) => `item-${String(i).padStart(5, '0')}`) }, type: 'list', encoding: 'quicklist' }),
    keyRecord({ key: 'k:hash', value: { type: 'hash', fields: Array.from({ length: 20 }, (_, i) => [`f${String(i).padStart(3, '0')}`, `v${String(i).padStart(3, '0')}`] as [string, string]) }, type: 'hash', encoding: 'listpack' }),
    keyRecord({ key: 'k:bighash', value: { type: 'hash', fields: Array.from({ length: 600 }, (_, i) => [`f${String(i).padStart(4, '0')}`, `v${String(i).padStart(4, '0')}`] as [string, string]) }, type: 'hash', encoding: 'hashtable' }),
    keyRecord({ key: 'k:set', value: { type: 'set', members: Array.from({ length: 700 }, (_, i) => `m${String(i).padStart(4, '0')}`) }, type: 'set', encoding: 'hashtable' }),
    keyRecord({ key: 'k:zset', value: { type: 'zset', members: Array.from({ length: 50 }, (_, i) => [`m${String(i).padStart(3, '0')}`, 0.5] as [string, number]) }, type: 'zset', encoding: 'listpack' }),
  ];

  it('with values, equals the model for the same content', () => {
    for (const rec of cases) {
      const got = km.of(rec).memoryBytes;
      expect(got, rec.key).toBe(keyMemoryUsage(rec.key, describeValue(rec), { origin: 'load' }));
    }
  });

  it('the fast path equals valueCost on random values (sizes across every encoding limit)', () => {
    const element = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.integer({ min: -100000, max: 100000 }).map(String),
      fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String),
      fc.string({ minLength: 60, maxLength: 80 }),
      fc.constantFrom('007', '-0', '1e3', ' 1'),
    );
    const uniq = (n: number) => fc.uniqueArray(element, { minLength: 1, maxLength: n });
    const score = fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.double({ noNaN: true }), fc.constantFrom(0.1, 1.5, -0, Infinity));
    const value = fc.oneof(
      uniq(700).map((els) => ({ type: 'list' as const, elements: els })),
      uniq(700).map((els) => ({ type: 'set' as const, members: els })),
      fc.tuple(uniq(600), fc.array(element, { minLength: 600, maxLength: 600 })).map(([fs, vs]) => ({ type: 'hash' as const, fields: fs.map((f, i) => [f, vs[i]!] as [string, string]) })),
      fc.tuple(uniq(200), fc.array(score, { minLength: 200, maxLength: 200 })).map(([ms, ss]) => ({ type: 'zset' as const, members: ms.map((m, i) => [m, ss[i]!] as [string, number]) })),
    );
    fc.assert(
      fc.property(value, (v) => {
        const rec = keyRecord({ key: 'k', value: v, type: v.type });
        expect(km.of(rec).cost).toEqual(valueCost(describeValue(rec), { origin: 'load' }));
      }),
      { numRuns: 300 },
    );
  });

  it('without values, the summary is exact for uniform elements', () => {
    for (const rec of cases.slice(0, 6)) expect(km.of(strip(rec)).memoryBytes, rec.key).toBe(km.of(rec).memoryBytes);
  });

  it('integers: 16-byte robj as MEMORY USAGE reports it, whether or not shared', () => {
    const small = keyRecord({ key: 'n', value: { type: 'string', value: '42' }, encoding: 'int' });
    const big = keyRecord({ key: 'n', value: { type: 'string', value: '123456789' }, encoding: 'int' });
    expect(km.of(small).memoryBytes).toBe(km.of(big).memoryBytes);
    expect(km.of(small).cost.allocated).toBe(0);
    expect(km.of(big).cost.allocated).toBe(16);
    expect(km.of(strip(small)).cost.allocated).toBe(0);
    // MEMORY USAGE of "n" -> 42 on 7.0: robj 16 + key sds 8 (class of 1+1+1) + dictEntry 24
    expect(km.of(small).memoryBytes).toBe(48);
  });

  it('streams go to the model by their stored nodes and groups', () => {
    const rec = keyRecord({ key: 's', type: 'stream', length: 2 });
    rec.encoding = 'stream';
    rec.value = {
      type: 'stream',
      stream: {
        length: 2,
        lastId: { ms: '1', seq: '1' },
        firstId: null,
        maxDeletedId: null,
        entriesAdded: null,
        nodes: [{ masterId: { ms: '1', seq: '0' }, listpackBytes: 100, entries: 2, deleted: 0 }],
        groups: [{ name: 'g', lastId: { ms: '1', seq: '1' }, entriesRead: null, pelSize: 1, consumers: [{ name: 'c', seenTimeMs: 0, activeTimeMs: null, pelSize: 1 }] }],
      },
    };
    expect(km.of(rec).cost).toEqual(valueCost(describeValue(rec), { origin: 'load', params: REDIS_7_0 }));
    const one = km.of(rec).memoryBytes;
    rec.value.stream.nodes.push({ masterId: { ms: '2', seq: '0' }, listpackBytes: 100, entries: 2, deleted: 0 });
    expect(km.of(rec).memoryBytes).toBeGreaterThan(one + 112);
  });

  it('lists follow the stored quicklist nodes', () => {
    const elements = Array.from({ length: 10 }, (_, i) => `element-${i}`);
    const rec = keyRecord({ key: 'l', type: 'list', encoding: 'quicklist', value: { type: 'list', elements, nodes: [5, 5] } });
    const single = keyRecord({ key: 'l', type: 'list', encoding: 'quicklist', value: { type: 'list', elements, nodes: [10] } });
    // one more node: a quicklistNode (40) and a second listpack allocation
    expect(km.of(rec).memoryBytes).toBeGreaterThanOrEqual(km.of(single).memoryBytes + 40);
    expect(km.of(single).memoryBytes).toBe(keyMemoryUsage('l', { type: 'list', elements }, { origin: 'load' }));
  });
});
