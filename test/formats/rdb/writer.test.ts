// The RDB writer on its own: LZF round trips, listpacks and intsets read back by the reader's
// cursors, quicklist node splitting, files that redis-check-rdb accepts and our reader reads back
// value for value, and DUMP payloads byte-identical to real Redis's where Redis's layout is
// deterministic (uncompressed strings, listpacks, intsets, skiplists, RPUSH-built lists).

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lzfDecompress } from '../../../src/formats/rdb/lzf.js';
import { lzfCompress } from '../../../src/formats/rdb/writer-lzf.js';
import { ListpackBuilder, buildIntset, quicklistNodes } from '../../../src/formats/rdb/writer-packed.js';
import { ListpackCursor } from '../../../src/formats/rdb/listpack.js';
import { IntsetCursor } from '../../../src/formats/rdb/intset.js';
import { RdbFileWriter, dumpPayload, writeRdbFile, type RdbOutValue } from '../../../src/formats/rdb/writer.js';
import { readRdbFile, type KeyRecord } from '../../../src/formats/rdb/index.js';
import { d2string } from '../../../src/formats/rdb/writer-numbers.js';
import { startRedis, type TestServer } from '../../helpers/servers.js';
import { RespClient } from '../../helpers/resp-client.js';

const latin1 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.length).toString('latin1');

function lpItems(lp: Uint8Array): string[] {
  const c = new ListpackCursor().reset(lp, 0, lp.length);
  const out: string[] = [];
  while (c.next()) out.push(c.text());
  return out;
}

describe('LZF compressor', () => {
  it('round-trips through the reader-side decompressor', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 3000 }), fc.string({ maxLength: 2000 }).map((s) => Buffer.from(s.repeat(3), 'latin1'))), (src) => {
        const packed = lzfCompress(src, src.length + 64);
        if (packed === null) return;
        const out = new Uint8Array(src.length);
        expect(lzfDecompress(packed, 0, packed.length, out, 0, src.length)).toBeNull();
        expect(Buffer.from(out).equals(Buffer.from(src))).toBe(true);
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('compresses repetitive data and refuses data it cannot shrink under the limit', () => {
    const rep = Buffer.from('abc'.repeat(1000), 'latin1');
    expect(lzfCompress(rep, rep.length - 4)!.length).toBeLessThan(100);
    const noise = Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 97 + 13) & 0xff));
    expect(lzfCompress(noise, noise.length - 4)).toBeNull();
  });
});

describe('packed blobs', () => {
  it('listpack entries of every encoding read back', () => {
    const items = ['0', '127', '128', '-1', '-4096', '4095', '4096', '-32768', '32767', '8388607', '-8388608', '2147483647', '-2147483648', '9223372036854775807', '-9223372036854775808', '9223372036854775808', '007', '-0', '', 'x'.repeat(63), 'x'.repeat(64), 'y'.repeat(4095), 'z'.repeat(4096), 'w'.repeat(70000), '\x00\xff'];
    const lp = new ListpackBuilder();
    for (const s of items) lp.add(s);
    const blob = lp.finish();
    expect(lpItems(blob)).toEqual(items);
  });

  it('intsets pick the narrowest width and sort', () => {
    for (const [members, width] of [
      [['3', '-2', '1'], 2],
      [['40000', '1'], 4],
      [['-9223372036854775808', '5'], 8],
    ] as const) {
      const blob = buildIntset(members);
      expect(blob[0]).toBe(width);
      const c = new IntsetCursor().reset(blob, 0, blob.length);
      const got: string[] = [];
      while (c.next()) got.push(c.text());
      expect(got).toEqual([...members].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1)));
    }
  });

  it('quicklist nodes follow list-max-listpack-size', () => {
    const count = (fill: number, items: string[]) => [...quicklistNodes(items, fill)].map((n) => (n.plain ? 1 : lpItems(n.listpack).length));
    expect(count(5, Array.from({ length: 12 }, (_, i) => String(i)))).toEqual([5, 5, 2]);
    // -2: 8 KiB per node; 100-byte elements -> 79 per node (8 + 7 + 79*102 ... within the estimate).
    const nodes = count(-2, Array.from({ length: 300 }, () => 'x'.repeat(100)));
    expect(nodes.reduce((a, b) => a + b, 0)).toBe(300);
    expect(nodes[0]).toBeGreaterThan(70);
    expect(count(-2, ['a'.repeat(10000), 'b'])).toEqual([1, 1]);
  });

  it('prints listpack scores like d2string (%.17g)', () => {
    expect(d2string(0.1)).toBe('0.10000000000000001');
    expect(d2string(1.5)).toBe('1.5');
    expect(d2string(1e300)).toBe('1.0000000000000001e+300');
    expect(d2string(1e-5)).toBe('1.0000000000000001e-05');
    expect(d2string(123456789012345680000)).toBe('1.2345678901234568e+20');
  });
});

describe('files and payloads against real Redis', () => {
  let redis: TestServer;
  let r: RespClient;
  let dir: string;
  beforeAll(async () => {
    redis = await startRedis({ rdbcompression: 'no' });
    r = await RespClient.connect(redis.port);
    dir = mkdtempSync(join(tmpdir(), 'redscope-writer-'));
  });
  afterAll(async () => {
    r.close();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const values: Array<[string, RdbOutValue]> = [
    ['s-int', { type: 'string', value: '12345' }],
    ['s-big', { type: 'string', value: '12345678901' }],
    ['s-long', { type: 'string', value: 'abc'.repeat(400) }],
    ['s-bin', { type: 'string', value: '\x00\x01\xff\r\n' }],
    ['l', { type: 'list', elements: Array.from({ length: 500 }, (_, i) => (i % 3 ? String(i) : `item-${i}`)), fill: -2 }],
    ['si', { type: 'set-intset', members: ['5', '-3', '100000'] }],
    ['sh', { type: 'set', size: 3, members: ['a', 'b', '1'] }],
    ['hl', { type: 'hash-listpack', pairs: [['f', 'v'], ['n', '42']] }],
    ['hh', { type: 'hash', size: 2, pairs: [['f', 'v'.repeat(100)], ['g', '7']] }],
    ['zl', { type: 'zset-listpack', pairs: [['a', -Infinity], ['b', 0.1], ['c', 3], ['d', Infinity]] }],
    ['zs', { type: 'zset', size: 3, pairsDescending: [['z', 1e300], ['y', 2.5], ['x', -1]] }],
  ];

  it('a written file passes redis-check-rdb and reads back with our reader', () => {
    for (const compress of [true, false]) {
      const path = join(dir, `w-${compress}.rdb`);
      writeRdbFile(path, { compress }, (w: RdbFileWriter) => {
        w.header();
        w.aux('redis-ver', '7.0.15');
        w.aux('redis-bits', '64');
        w.selectDb(0, values.length, 1);
        for (const [key, value] of values) w.key({ key, value, expireAtMs: key === 's-int' ? Date.now() + 60_000 : null });
        w.selectDb(5, 1, 0);
        w.key({ key: 'other', value: { type: 'string', value: 'db5' }, expireAtMs: null });
        w.end();
      });
      const out = execFileSync('redis-check-rdb', [path], { encoding: 'latin1' });
      expect(out).toContain('RDB looks OK');
      const keys = [...readRdbFile(path, { values: true })].filter((x): x is KeyRecord => x.kind === 'key');
      expect(keys.map((k) => k.key)).toEqual([...values.map((v) => v[0]), 'other']);
      const byKey = new Map(keys.map((k) => [k.key, k]));
      expect(byKey.get('s-long')!.value).toEqual({ type: 'string', value: 'abc'.repeat(400) });
      expect(byKey.get('l')!.length).toBe(500);
      expect(byKey.get('zl')!.value).toEqual({ type: 'zset', members: [['a', -Infinity], ['b', 0.1], ['c', 3], ['d', Infinity]] });
      expect(byKey.get('s-int')!.expireAtMs).toBeGreaterThan(Date.now());
      expect(byKey.get('other')!.db).toBe(5);
    }
  });

  it('DUMP payloads are byte-identical to Redis for deterministic layouts', async () => {
    const cmds: Array<[string, Array<string | number>, RdbOutValue]> = [
      ['k1', ['SET', 'k1', '12345'], { type: 'string', value: '12345' }],
      ['k2', ['SET', 'k2', 'x'.repeat(100)], { type: 'string', value: 'x'.repeat(100) }],
      ['k3', ['SET', 'k3', '-2147483649'], { type: 'string', value: '-2147483649' }],
      ['k4', ['RPUSH', 'k4', ...Array.from({ length: 300 }, (_, i) => `e${i}`.repeat(i % 7))], { type: 'list', elements: Array.from({ length: 300 }, (_, i) => `e${i}`.repeat(i % 7)), fill: -2 }],
      ['k5', ['SADD', 'k5', '3', '1', '-70000'], { type: 'set-intset', members: ['3', '1', '-70000'] }],
      ['k6', ['HSET', 'k6', 'a', '1', 'b', 'two', 'c', '-300'], { type: 'hash-listpack', pairs: [['a', '1'], ['b', 'two'], ['c', '-300']] }],
      ['k7', ['ZADD', 'k7', '1', 'a', '0.1', 'b', 'inf', 'c', '-5', 'd'], { type: 'zset-listpack', pairs: [['d', -5], ['b', 0.1], ['a', 1], ['c', Infinity]] }],
    ];
    for (const [key, command, value] of cmds) {
      await r.call(...command);
      const theirs = await r.call('DUMP', key);
      expect(theirs.t).toBe('bulk');
      const ours = dumpPayload(value, { compress: false });
      expect(ours.toString('latin1'), key).toBe(theirs.t === 'bulk' ? theirs.v : '');
    }
  });
});

// A sanity check on the test's own helper.
it('latin1 helper', () => expect(latin1(new Uint8Array([0x41, 0xff]))).toBe('A\xff'));
