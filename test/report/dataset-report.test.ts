import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRdbFile } from '../../src/formats/rdb/index.js';
import type { RdbRecord } from '../../src/formats/rdb/records.js';
import { datasetTotals } from '../../src/memory/index.js';
import { createDatasetReport, type KeyRow } from '../../src/report/dataset-report.js';
import { describe as describeValue } from '../../src/report/key-memory.js';
import { RespClient } from '../helpers/resp-client.js';
import { startRedis, type TestServer } from '../helpers/servers.js';
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

describe('DatasetReport from a sizes pass (what `redscope rdb` reads)', () => {
  let server: TestServer;
  let dumpPath: string;

  beforeAll(async () => {
    server = await startRedis({ 'list-compress-depth': '1' });
    const c = await RespClient.connect(server.port);
    // Elements of 600+ bytes become PLAIN quicklist nodes (a debug knob; the default is 1 GB).
    await c.call('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '600');
    const pad = (i: number, n: number) => String(i).padStart(n, '0');
    const cmds: Array<Array<string | number>> = [
      ['SET', 's:int', '42'], ['SET', 's:neg', '-7'], ['SET', 's:bigint', '12345678901234'], ['SET', 's:emb', 'x'.repeat(30)],
      ['SET', 's:lzf', 'z'.repeat(500)], ['SET', 's:text', 'abc'],
      // intsets of every width, and one that outgrew the intset limit
      ['SADD', 'set:i16', ...Array.from({ length: 50 }, (_, i) => String(i * 7 - 100))],
      ['SADD', 'set:i32', ...Array.from({ length: 50 }, (_, i) => String(i * 1_000_003))],
      ['SADD', 'set:i64', ...Array.from({ length: 50 }, (_, i) => String(i * 4_000_000_000_003))],
      ['SADD', 'set:manyints', ...Array.from({ length: 600 }, (_, i) => String(i))],
      ['SADD', 'set:strs', ...Array.from({ length: 100 }, (_, i) => `m-${i}`)],
      ['SADD', 'set:bigstrs', ...Array.from({ length: 700 }, (_, i) => `member-${i}-${'q'.repeat(i % 90)}`)],
      // hashes: listpack (with integer and LZF-compressible values), long value, many fields
      ['HSET', 'h:lp', ...Array.from({ length: 40 }, (_, i) => [`f${i}`, i % 3 ? String(i * 1000) : `v${'w'.repeat(i)}`]).flat()],
      ['HSET', 'h:lpz', ...Array.from({ length: 30 }, (_, i) => [`field-${pad(i, 4)}`, 'a'.repeat(60)]).flat()],
      ['HSET', 'h:long', 'f', 'v'.repeat(100), 'g', '1'],
      ['HSET', 'h:big', ...Array.from({ length: 800 }, (_, i) => [`field-${i}`, i % 2 ? String(i) : `value-${'v'.repeat(i % 70)}`]).flat()],
      // zsets: listpack (integer and fractional scores, integer members), long member, many members
      ['ZADD', 'z:lp', ...Array.from({ length: 100 }, (_, i) => [i % 2 ? String(i) : String(i / 7), i % 3 ? `m${i}` : String(i * 13)]).flat()],
      ['ZADD', 'z:long', '1', 'm'.repeat(100), '2', 'n'],
      ['ZADD', 'z:big', ...Array.from({ length: 600 }, (_, i) => [String(i * 1.5), `member-${i}-${'x'.repeat(i % 80)}`]).flat()],
      // lists: one node, many (compressed) nodes, plain nodes
      ['RPUSH', 'l:small', 'a', '1', '-5', 'ccc'],
      ['RPUSH', 'l:big', ...Array.from({ length: 3000 }, (_, i) => (i % 5 ? `element-${i}-${'e'.repeat(i % 50)}` : String(i * 99)))],
      ['RPUSH', 'l:plain', 'small', 'p'.repeat(700), 'tail', 'q'.repeat(1000)],
      ['XADD', 'st', '1-1', 'a', '1'],
    ];
    for (const r of await c.pipeline(cmds)) if (r.t === 'error') throw new Error(r.v);
    await c.call('SAVE');
    const config = async (name: string): Promise<string> => {
      const r = await c.call('CONFIG', 'GET', name);
      const v = r.t === 'array' ? r.v[1] : undefined;
      if (!v || v.t !== 'bulk') throw new Error(`CONFIG GET ${name}: ${JSON.stringify(r)}`);
      return v.v;
    };
    dumpPath = join(await config('dir'), await config('dbfilename'));
    c.close();
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('gives every key the memory of a values pass, and the same report', () => {
    const byValues = createDatasetReport({ nowMs: NOW });
    const bySizes = createDatasetReport({ nowMs: NOW });
    const rowsV = [...readRdbFile(dumpPath, { values: true })].map((r) => byValues.add(r)).filter((x) => x !== null);
    // Sizes are views valid until the next record: fold each record as it comes.
    const rowsS: KeyRow[] = [];
    const undecoded: string[] = [];
    for (const rec of readRdbFile(dumpPath, bySizes.sizesReadOptions)) {
      if (rec.kind === 'key' && rec.value === undefined && rec.sizes !== undefined) undecoded.push(rec.key);
      const row = bySizes.add(rec);
      if (row) rowsS.push(row);
    }
    // The packed values and the big ones came over as sizes, not decoded.
    expect(undecoded.sort()).toEqual(['h:big', 'h:lp', 'h:lpz', 'l:big', 'l:plain', 'l:small', 'set:bigstrs', 'set:i16', 'set:i32', 'set:i64', 'set:manyints', 'z:big', 'z:lp']);
    expect(rowsS.length).toBe(23);
    expect(rowsS.map((r) => [r.key, r.encoding, r.memoryBytes])).toEqual(rowsV.map((r) => [r.key, r.encoding, r.memoryBytes]));
    expect(bySizes.finish()).toEqual(byValues.finish());
  });
});
