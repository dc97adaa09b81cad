import { describe, expect, it } from 'vitest';
import type { RdbRecord } from '../../src/formats/rdb/records.js';
import { datasetTotals } from '../../src/memory/index.js';
import { createDatasetReport } from '../../src/report/dataset-report.js';
import { describe as describeValue } from '../../src/report/key-memory.js';
import { keyRecord } from './helpers.js';

const NOW = 1_700_000_000_000;

function records(): RdbRecord[] {
  return [
    { kind: 'header', magic: 'REDIS', version: 10, offset: 0 },
    { kind: 'aux', key: 'redis-ver', value: '7.0.15', offset: 9 },
    { kind: 'db', db: 0, offset: 30 },
    { kind: 'resizedb', db: 0, keys: 4, expires: 1, offset: 32 },
    keyRecord({ key: 'user:1', value: { type: 'string', value: 'alice' } }),
    keyRecord({ key: 'user:2', value: { type: 'string', value: 'b'.repeat(300) }, encoding: 'raw', expireAtMs: NOW + 1000 }),
    keyRecord({ key: 'queue:jobs', type: 'list', encoding: 'quicklist', value: { type: 'list', elements: ['a', 'bb', 'ccc'] } }),
    keyRecord({ key: 'bin\xff', value: { type: 'string', value: '7' }, encoding: 'int', expireAtMs: NOW - 5 }),
    { kind: 'db', db: 2, offset: 200 },
    keyRecord({ key: 'h', db: 2, type: 'hash', encoding: 'listpack', value: { type: 'hash', fields: [['f', 'v']] } }),
    { kind: 'eof', offset: 300, checksum: { stored: '0011223344556677', computed: '0011223344556677', ok: true }, trailingBytes: 0, endOffset: 309, emptyKeysSkipped: 2 },
  ];
}

describe('DatasetReport', () => {
  it('folds records into per-db counts, totals and the JSON shape the issue lists', () => {
    const r = createDatasetReport({ nowMs: NOW });
    const rows = records().map((x) => r.add(x)).filter((x) => x !== null);
    expect(rows.map((x) => x.key)).toEqual(['user:1', 'user:2', 'queue:jobs', 'bin\xff', 'h']);
    const out = r.finish();
    expect(out.rdbVersion).toBe(10);
    expect(out.aux).toEqual({ 'redis-ver': '7.0.15' });
    expect(out.checksum).toEqual({ stored: '0011223344556677', computed: '0011223344556677', ok: true });
    expect(out.complete).toBe(true);
    expect(out.emptyKeysSkipped).toBe(2);
    expect(out.databases.map((d) => [d.db, d.keys, d.expires, d.expired])).toEqual([
      [0, 4, 2, 1],
      [2, 1, 0, 0],
    ]);
    expect(out.databases[0]!.types).toEqual({ string: 3, list: 1 });
    expect(out.databases[0]!.encodings).toEqual({ 'list/quicklist': 1, 'string/embstr': 1, 'string/int': 1, 'string/raw': 1 });
    expect(out.databases[0]!.resizeHint).toEqual({ keys: 4, expires: 1 });
    expect(out.totals.keys).toBe(5);
    expect(out.totals.memoryBytes).toBe(rows.reduce((a, x) => a + x.memoryBytes, 0));
    expect(out.totals.memoryBytes).toBe(out.databases[0]!.memoryBytes + out.databases[1]!.memoryBytes);
    // datasetBytes is the memory model's projected used_memory_dataset for the same keys
    const model = datasetTotals(
      records()
        .filter((x) => x.kind === 'key')
        .map((x) => ({ key: x.key, value: describeValue(x), ttl: x.expireAtMs !== null, db: x.db })),
      { origin: 'load' },
    );
    expect(out.totals.datasetBytes).toBe(model.usedMemoryDataset);
    expect(out.totals.memoryBytes).toBe(model.memoryUsageSum);
    expect(out.bigKeys[0]!.key).toBe('user:2');
    expect(out.bigKeys.find((k) => k.key === 'bin\\xff')).toMatchObject({ keyEscaped: true, type: 'string', encoding: 'int', length: 1 });
    expect(out.prefixes.map((p) => p.prefix)).toEqual(['user:', 'queue:']);
    expect(out.ttl.none.keys).toBe(3);
    expect(out.ttl.expired.keys).toBe(1);
    expect(out.ttl.lt1h.keys).toBe(1);
    expect(out.elementSizes.list?.elementBytes).toEqual([{ le: 1, count: 1 }, { le: 2, count: 1 }, { le: 4, count: 1 }]);
    expect(out.elementSizesExact).toBe(true);
  });

  it('applies the filters to every aggregate', () => {
    const r = createDatasetReport({ nowMs: NOW, filter: { dbs: [0], types: ['string'], match: (k) => k.startsWith('user:'), minBytes: 100 } });
    for (const x of records()) r.add(x);
    const out = r.finish();
    expect(out.totals.keys).toBe(1);
    expect(out.bigKeys.map((k) => k.key)).toEqual(['user:2']);
    expect(out.totals.filteredOut).toBe(4);
    expect(out.databases.map((d) => d.db)).toEqual([0]);
  });

  it('reports an unfinished file as incomplete and no keys as zero memory', () => {
    const r = createDatasetReport({ nowMs: NOW });
    r.add({ kind: 'header', magic: 'REDIS', version: 11, offset: 0 });
    const out = r.finish();
    expect(out.complete).toBe(false);
    expect(out.totals).toMatchObject({ keys: 0, memoryBytes: 0, datasetBytes: 0 });
    expect(out.checksum).toBeNull();
  });
});
