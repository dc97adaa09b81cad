// Seeded mutation fuzzing of real RDB files: a dump written by redis-server 7.0 (every type)
// and, when present, files of the public corpus are damaged (flipped bytes, truncation at every
// Nth offset, 2^60-ish lengths written over length bytes, random insertions) and read again.
// The reader must either succeed or throw a FileFormatError: never another exception, never a
// hang, never an allocation sized by a corrupt length (heap growth is bounded below).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RespClient } from '../../helpers/resp-client.js';
import { startRedis, type TestServer } from '../../helpers/servers.js';
import { FileFormatError } from '../../../src/common/errors.js';
import { readRdb, readRdbBuffer } from '../../../src/formats/rdb/index.js';

const CORPUS = join(process.cwd(), '..', 'shared', 'rdb-corpus');
const CORPUS_FILES = [
  'redis-rdb-cli/89.rdb',
  'librdb/stream_v11.rdb',
  'hdt3213-rdb/listpack.rdb',
  'hdt3213-rdb/hash_with_hfe.rdb',
  'redis-rdb-tools/ziplist_with_integers.rdb',
  'redis-rdb-tools/zipmap_with_big_values.rdb',
  'redis-7.2/encodings.rdb',
  'librdb/module_aux_v12.rdb',
];

let seed = 0xf00d;
function rnd(n: number): number {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
}

type Outcome = 'ok' | 'format-error';

function attempt(data: Buffer, values: boolean, sized = true): Outcome {
  try {
    if (sized) {
      for (const r of readRdbBuffer(data, { values, streamEntries: values, name: 'fuzz.rdb' })) void r;
    } else {
      let pos = 0;
      const source = {
        size: null,
        read: (buf: Uint8Array, off: number, len: number) => {
          const n = Math.min(len, data.length - pos);
          buf.set(data.subarray(pos, pos + n), off);
          pos += n;
          return n;
        },
      };
      for (const r of readRdb(source, { values, name: 'fuzz.rdb' })) void r;
    }
    return 'ok';
  } catch (e) {
    if (e instanceof FileFormatError) {
      expect(e.message.startsWith('fuzz.rdb: ')).toBe(true);
      return 'format-error';
    }
    throw new Error(`not a FileFormatError: ${String(e)}\n${(e as Error).stack ?? ''}`);
  }
}

function mutations(src: Buffer, count: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const b = Buffer.from(src);
    switch (i % 4) {
      case 0: {
        const flips = 1 + rnd(4);
        for (let f = 0; f < flips; f++) b[9 + rnd(b.length - 9)] ^= 1 << rnd(8);
        out.push(b);
        break;
      }
      case 1: {
        const at = 9 + rnd(b.length - 9);
        const huge = [0x81, 0x10 + rnd(0x60), 0, 0, 0, 0, 0, 0, rnd(256)];
        huge.forEach((x, k) => {
          if (at + k < b.length) b[at + k] = x;
        });
        out.push(b);
        break;
      }
      case 2: {
        const at = 9 + rnd(b.length - 9);
        out.push(Buffer.concat([b.subarray(0, at), Buffer.from([0x80, 0x7f, 0xff, 0xff, rnd(256)]), b.subarray(at)]));
        break;
      }
      default: {
        const at = 9 + rnd(b.length - 9);
        const junk = Buffer.from(Array.from({ length: 1 + rnd(16) }, () => rnd(256)));
        out.push(Buffer.concat([b.subarray(0, at), junk, b.subarray(at + rnd(8))]));
      }
    }
  }
  return out;
}

describe('RDB reader under seeded mutations', () => {
  let server: TestServer;
  let dump: Buffer;

  beforeAll(async () => {
    server = await startRedis();
    const c = await RespClient.connect(server.port);
    await c.pipeline([
      ['SET', 'str', 'hello'],
      ['SET', 'num', '42'],
      ['SET', 'lzf', 'abcabcabc'.repeat(20)],
      ['RPUSH', 'list', 'a', 'b', '1', '-2', 'x'.repeat(70)],
      ['SADD', 'iset', '1', '2', '3'],
      ['SADD', 'sset', 'a', 'b'],
      ['ZADD', 'z', '1', 'a', '2.5', 'b'],
      ['HSET', 'h', 'f', 'v', 'g', '7'],
      ['HSET', 'hbig', ...Array.from({ length: 40 }, (_, i) => [`f${i}`, 'v'.repeat(i * 2)]).flat()],
      ['XADD', 'st', '1-1', 'a', '1', 'b', '2'],
      ['XADD', 'st', '2-1', 'a', '3', 'b', '4'],
      ['XADD', 'st', '3-1', 'c', '5'],
      ['XGROUP', 'CREATE', 'st', 'g', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '2', 'STREAMS', 'st', '>'],
      ['PEXPIRE', 'str', 100000000],
      ['SAVE'],
    ]);
    const dir = await c.call('CONFIG', 'GET', 'dir');
    dump = readFileSync(join(dir.t === 'array' && dir.v[1]!.t === 'bulk' ? dir.v[1]!.v : '', 'dump.rdb'));
    c.close();
  }, 30_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('reads the unmutated files', () => {
    expect(attempt(dump, true)).toBe('ok');
    for (const f of CORPUS_FILES) if (existsSync(join(CORPUS, f))) expect(attempt(readFileSync(join(CORPUS, f)), true), f).toBe('ok');
  });

  it('fails cleanly when cut at every Nth offset', () => {
    const files = [dump, ...CORPUS_FILES.filter((f) => existsSync(join(CORPUS, f))).map((f) => readFileSync(join(CORPUS, f)))];
    let errors = 0;
    for (const file of files) {
      const step = Math.max(1, Math.floor(file.length / 100));
      for (let cut = 0; cut < file.length - 8; cut += step) {
        const part = file.subarray(0, cut);
        if (attempt(part, cut % 2 === 0, cut % 3 !== 0) === 'format-error') errors++;
      }
    }
    expect(errors).toBeGreaterThan(100);
  });

  it('never throws anything but FileFormatError on flipped bytes, huge lengths and insertions', () => {
    const heapBefore = process.memoryUsage().rss;
    const files = [dump, ...CORPUS_FILES.filter((f) => existsSync(join(CORPUS, f))).map((f) => readFileSync(join(CORPUS, f)))];
    const tally = { ok: 0, 'format-error': 0 };
    let tried = 0;
    for (const file of files) {
      for (const m of mutations(file, file.length > 20_000 ? 100 : 300)) {
        tally[attempt(m, seed % 2 === 0, seed % 5 !== 0)]++;
        tried++;
      }
    }
    // Most mutations must be caught (the rest land in bytes no reader can check, like a value's text).
    expect(tally['format-error']).toBeGreaterThan(tried / 3);
    // nothing sized by a corrupt length: the process did not grow by anything near such a length
    expect(process.memoryUsage().rss - heapBefore).toBeLessThan(400 * 1024 * 1024);
  });
});
