// Pure checks of the memory model's building blocks against figures measured on Debian's
// redis-server 7.0.15 (jemalloc 5.3.0) and against the arithmetic of Redis's source; the
// end-to-end comparison with a live server is model.test.ts.

import { describe, expect, it } from 'vitest';
import {
  DatasetModel,
  REDIS_7_0,
  REDIS_7_2,
  encodingFor,
  keyMemoryUsage,
  listpackEntrySize,
  paramsForVersion,
  sdsBytes,
  sizeClass,
  smallClasses,
  thresholdsFromConfig,
  valueCost,
} from '../../src/memory/index.js';
import { d2string } from '../../src/memory/score.js';
import { addToDict, emptyDict, presized } from '../../src/memory/dict.js';

describe('jemalloc size classes', () => {
  it('16-byte quantum (Debian libjemalloc2)', () => {
    expect(smallClasses(4).slice(0, 20)).toEqual([8, 16, 32, 48, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 448, 512, 640, 768, 896]);
    expect(smallClasses(4).at(-1)).toBe(14336);
    expect([sizeClass(14337), sizeClass(16385), sizeClass(32769), sizeClass(40961), sizeClass(1 << 20)]).toEqual([16384, 20480, 40960, 49152, 1 << 20]);
  });
  it('8-byte quantum (bundled jemalloc)', () => {
    expect(smallClasses(3).slice(0, 12)).toEqual([8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128]);
  });
});

describe('building blocks', () => {
  it('sds allocations', () => {
    expect([sdsBytes(0), sdsBytes(1), sdsBytes(22), sdsBytes(31), sdsBytes(32), sdsBytes(300)]).toEqual([8, 8, 32, 48, 48, 320]);
  });
  it('listpack entries', () => {
    expect(['0', '127', '128', '-1', '4095', '4096', '32767', '32768', '8388608', '2147483648', '-0', '007', 'a', 'x'.repeat(63), 'x'.repeat(64)].map(listpackEntrySize)).toEqual([
      2, 2, 3, 3, 3, 4, 4, 5, 6, 10, 4, 5, 3, 65, 67,
    ]);
  });
  it('scores as d2string prints them', () => {
    expect([0.1, 1.5, -2.25, 1e20, 1e-7, 3, 2 ** 63, Infinity].map(d2string)).toEqual([
      '0.10000000000000001', '1.5', '-2.25', '1e+20', '9.9999999999999995e-08', '3', '9.2233720368547758e+18', 'inf',
    ]);
  });
  it('dict growth and incremental rehash', () => {
    expect(addToDict(emptyDict(), 4, 1)).toMatchObject({ size0: 4, size1: 0, used: 4 });
    expect(addToDict(emptyDict(), 5, 1)).toMatchObject({ size0: 4, size1: 8, used: 5 });
    expect(addToDict(emptyDict(), 100, 2)).toMatchObject({ size0: 128, size1: 0, used: 100 });
    const d = addToDict(presized(1024), 1025, 2);
    expect(d).toMatchObject({ size0: 1024, size1: 2048 });
    expect(addToDict(d, 400, 2)).toMatchObject({ size0: 2048, size1: 0, used: 1425 });
  });
});

describe('MEMORY USAGE of small keys (measured on 7.0.15)', () => {
  it('matches', () => {
    expect(keyMemoryUsage('l', { type: 'list', elements: ['a'] })).toBe(144);
    expect(keyMemoryUsage('h:1', { type: 'hash', fields: [['name', 'Alice'], ['age', '30'], ['city', 'Paris']] })).toBe(96);
    expect(keyMemoryUsage('s:1', { type: 'set', members: ['1', '2', '3', '4', '5'] })).toBe(80);
    expect(keyMemoryUsage('z', { type: 'zset', members: [['a', 1]] })).toBe(64);
    expect(keyMemoryUsage('k', { type: 'string', value: '123' })).toBe(48);
    expect(keyMemoryUsage('user:12345', { type: 'string', value: 'hello' })).toBe(72);
    expect(keyMemoryUsage('abcdefghijklmnopqrstuv', { type: 'string', value: '123456' })).toBe(72);
  });
  it('encodings', () => {
    expect(encodingFor({ type: 'string', value: 'x'.repeat(44) })).toBe('embstr');
    expect(encodingFor({ type: 'string', value: 'x'.repeat(45) })).toBe('raw');
    expect(encodingFor({ type: 'string', value: '-9223372036854775808' })).toBe('int');
    expect(encodingFor({ type: 'string', value: '9223372036854775808' })).toBe('embstr');
    expect(encodingFor({ type: 'set', count: 513, intWidth: 2 })).toBe('hashtable');
    expect(encodingFor({ type: 'zset', count: 128, memberLength: 64 })).toBe('listpack');
    expect(encodingFor({ type: 'zset', count: 128, memberLength: 65 })).toBe('skiplist');
    expect(encodingFor({ type: 'hash', count: 513, fieldLength: 1, valueLength: 1 })).toBe('hashtable');
  });
});

describe('summary forms', () => {
  const text = (n: number, len: number) => Array.from({ length: n }, (_, i) => `${'x'.repeat(len - String(i).length - 1)}_${i}`);
  it('cost the same as the content they summarise', () => {
    for (const [n, len] of [[1, 5], [100, 20], [600, 10], [2000, 70]] as Array<[number, number]>) {
      const names = text(n, len);
      expect(valueCost({ type: 'list', count: n, elementLength: len })).toEqual(valueCost({ type: 'list', elements: names }));
      expect(valueCost({ type: 'set', count: n, memberLength: len })).toEqual(valueCost({ type: 'set', members: names }));
      expect(valueCost({ type: 'hash', count: n, fieldLength: len, valueLength: len })).toEqual(
        valueCost({ type: 'hash', fields: names.map((f) => [f, f] as [string, string]) }),
      );
      expect(valueCost({ type: 'zset', count: n, memberLength: len, score: 1.5 })).toEqual(
        valueCost({ type: 'zset', members: names.map((m) => [m, 1.5] as [string, number]) }),
      );
    }
    expect(valueCost({ type: 'string', length: 100 })).toEqual(valueCost({ type: 'string', value: 'y'.repeat(100) }));
    expect(valueCost({ type: 'set', count: 3, intWidth: 4 })).toEqual(valueCost({ type: 'set', members: ['1', '2', '100000'] }));
  });
});

describe('dataset totals', () => {
  it('SET user:N helloworld costs about 90 bytes of used_memory per key at 100k keys (measured on 7.0)', () => {
    const m = new DatasetModel();
    for (let i = 0; i < 100_000; i++) m.add(`user:${i}`, { type: 'string', value: 'helloworld' });
    const t = m.totals();
    expect(t.dbs[0]!.mainSlots).toBe(131072);
    expect(t.dbs[0]!.overheadMain).toBe(131072 * 8 + 100_000 * 40);
    expect(t.allocated / 100_000).toBeCloseTo(90.5, 0);
  });
  it('shared integers cost MEMORY USAGE a robj but no allocation', () => {
    const m = new DatasetModel();
    m.add('n', { type: 'string', value: '42' });
    expect(m.totals().memoryUsageSum).toBe(48);
    expect(m.totals().allocated).toBe(32 + 8 + 32); // entry, key sds, 4 buckets
    const lru = new DatasetModel({ sharedIntegers: false });
    lru.add('n', { type: 'string', value: '42' });
    expect(lru.totals().allocated).toBe(32 + 8 + 16 + 32);
  });
  it('TTLs add an expires entry and its buckets', () => {
    const m = new DatasetModel();
    m.add('a', { type: 'string', value: 'x' }, { ttl: true });
    expect(m.totals().dbs[0]).toMatchObject({ expires: 1, expiresSlots: 4, overheadExpires: 24 + 32 });
  });
});

describe('versions and config', () => {
  it('maps server versions to records', () => {
    expect(paramsForVersion('7.0.15')).toBe(REDIS_7_0);
    expect(paramsForVersion('6.2.14')).toBe(REDIS_7_0);
    expect(paramsForVersion('7.2.4')).toBe(REDIS_7_2);
    expect(paramsForVersion('7.4.1').name).toBe('redis-7.4');
    expect(paramsForVersion('valkey-8.0.1').name).toBe('valkey-8.0');
  });
  it('7.2 small sets and lists are listpacks', () => {
    expect(encodingFor({ type: 'set', members: ['a', 'b'] }, {}, REDIS_7_2)).toBe('listpack');
    expect(encodingFor({ type: 'set', members: ['a', 'b'] })).toBe('hashtable');
    expect(encodingFor({ type: 'list', elements: ['a'] }, {}, REDIS_7_2)).toBe('listpack');
  });
  it('reads thresholds from CONFIG GET, old names included', () => {
    const t = thresholdsFromConfig({ 'hash-max-ziplist-entries': '128', 'zset-max-listpack-value': 32, 'list-max-listpack-size': '-1' });
    expect(t).toMatchObject({ hashMaxListpackEntries: 128, zsetMaxListpackValue: 32, listMaxListpackSize: -1, setMaxIntsetEntries: 512 });
    expect(encodingFor({ type: 'hash', count: 200, fieldLength: 3, valueLength: 3 }, t)).toBe('hashtable');
  });
});
