// LZF: strings a real redis-server 7.0 compressed in its dump.rdb (rdbcompression yes) come back
// byte for byte, and so do quicklist nodes it compressed in memory (list-compress-depth); broken
// streams are reported, never read past, and never expand beyond the announced length.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { RespClient } from '../../helpers/resp-client.js';
import { startRedis, type TestServer } from '../../helpers/servers.js';
import { lzfDecompress } from '../../../src/formats/rdb/lzf.js';
import { readRdbFile, type KeyRecord } from '../../../src/formats/rdb/index.js';

const text = (b: string | Uint8Array): string => (typeof b === 'string' ? b : Buffer.from(b).toString('latin1'));

describe('LZF strings written by redis-server 7.0', () => {
  let server: TestServer;
  let client: RespClient;
  const values = new Map<string, string>();

  beforeAll(async () => {
    server = await startRedis({ 'list-compress-depth': '1' });
    client = await RespClient.connect(server.port);
    values.set('repeat', 'abcdefgh'.repeat(5000));
    values.set('runs', Array.from({ length: 3000 }, (_, i) => 'x'.repeat(i % 300) + String(i)).join('|'));
    values.set('json', JSON.stringify(Array.from({ length: 400 }, (_, i) => ({ id: i, name: `user-${i}`, tags: ['a', 'b', 'c'] }))));
    values.set('short', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'); // 34 bytes: just worth compressing
    values.set('binary', Buffer.from(Array.from({ length: 70000 }, (_, i) => (i * 31) % 7 === 0 ? 0 : (i >> 4) & 255)).toString('latin1'));
    for (const [k, v] of values) await client.call('SET', k, Buffer.from(v, 'latin1'));
    const items = Array.from({ length: 6000 }, (_, i) => `element-${i % 50}-${'z'.repeat(i % 20)}`);
    for (let i = 0; i < items.length; i += 500) await client.call('RPUSH', 'list', ...items.slice(i, i + 500));
    expect((await client.call('SAVE')).t).toBe('simple');
  }, 60_000);

  afterAll(async () => {
    client?.close();
    await server?.stop();
  });

  it('decompresses every compressed string and node to what GET and LRANGE return', async () => {
    const dir = await client.call('CONFIG', 'GET', 'dir');
    const path = join(dir.t === 'array' && dir.v[1]!.t === 'bulk' ? dir.v[1]!.v : '', 'dump.rdb');
    const keys = [...readRdbFile(path, { values: true })].filter((r): r is KeyRecord => r.kind === 'key');
    for (const [k, v] of values) {
      const rec = keys.find((r) => r.key === k)!;
      expect(rec.value!.type === 'string' && text(rec.value!.value), k).toBe(v);
      expect(rec.length).toBe(v.length);
      // the value really was stored compressed
      expect(rec.diskBytes, k).toBeLessThan(v.length);
    }
    const list = keys.find((r) => r.key === 'list')!;
    const got = await client.call('LRANGE', 'list', 0, -1);
    expect(list.value!.type === 'list' && list.value!.elements.map(text)).toEqual(got.t === 'array' ? got.v.map((x) => (x.t === 'bulk' ? x.v : '')) : []);
    expect(list.diskBytes).toBeLessThan(list.elements.totalLength);
    // without values the lengths come from the LZF headers alone
    const lean = [...readRdbFile(path)].filter((r): r is KeyRecord => r.kind === 'key');
    for (const r of lean) expect(r.length, r.key).toBe(keys.find((k) => k.key === r.key)!.length);
  });
});

describe('lzfDecompress on hand-made streams', () => {
  const run = (src: number[], outLen: number): { problem: string | null; out: Buffer } => {
    const out = Buffer.alloc(outLen + 8, 0xee);
    const problem = lzfDecompress(Uint8Array.from(src), 0, src.length, out, 4, outLen);
    return { problem, out: out.subarray(4, 4 + outLen) };
  };

  it('copies literals and overlapping back-references', () => {
    // literal "ab", then a back-reference of 7 bytes at distance 2 (overlapping its own output)
    const r = run([0x01, 0x61, 0x62, (5 << 5) | 0, 1], 9);
    expect(r.problem).toBeNull();
    expect(r.out.toString()).toBe('ababababa');
    // long back-reference: len field 7 plus an extra length byte
    const long = run([0x00, 0x78, (7 << 5) | 0, 20, 0], 1 + 29);
    expect(long.problem).toBeNull();
    expect(long.out.toString()).toBe('x'.repeat(30));
  });

  it('reports streams that are cut, point before the output, or miss the announced length', () => {
    expect(run([0x05, 0x61, 0x62], 6).problem).toMatch(/literal run past the end/);
    expect(run([0x00, 0x61, (1 << 5) | 0, 5], 4).problem).toMatch(/before the start of the output/);
    expect(run([0x02, 0x61, 0x62, 0x63], 2).problem).toMatch(/expands past the announced length/);
    expect(run([0x01, 0x61, 0x62], 5).problem).toMatch(/decompresses to 2 bytes, not the announced 5/);
    expect(run([0x00, 0x61, 0xe0], 10).problem).toMatch(/cut off/);
  });
});
