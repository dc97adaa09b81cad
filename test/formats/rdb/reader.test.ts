// The RDB reader against a real redis-server 7.0: a dataset with every type and encoding (big
// values, LZF-compressed strings and quicklist nodes, plain quicklist nodes, binary and unicode
// keys, TTLs, several databases, streams with groups, consumers and pending entries) is written
// the way clients write it, then DEBUG RELOAD saves dump.rdb and loads it back, so the server
// holds exactly what a load of that file gives. The reader's view of dump.rdb is compared key by
// key with what the server says: TYPE, OBJECT ENCODING, length, PTTL, the values themselves,
// DBSIZE per db, AUX fields and the checksum. A second part feeds the reader broken input.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RespClient } from '../../helpers/resp-client.js';
import { startRedis, type TestServer } from '../../helpers/servers.js';
import type { RespValue } from '../../../src/formats/resp/reply-parser.js';
import { FileFormatError } from '../../../src/common/errors.js';
import { readRdb, readRdbBuffer, readRdbFile, rdbOffsetAfter, bufferSource } from '../../../src/formats/rdb/index.js';
import type { KeyRecord, RdbBytes, RdbRecord } from '../../../src/formats/rdb/index.js';

type Cmd = Array<string | number | Buffer>;

let seed = 0x7a11;
function rnd(): number {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
}
function randomText(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(33 + Math.floor(rnd() * 90));
  return s;
}
function randomBytes(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(Math.floor(rnd() * 256));
  return s;
}
const bin = (s: string): Buffer => Buffer.from(s, 'latin1');

/** db -> commands that build it. */
function dataset(): Map<number, Cmd[]> {
  const db0: Cmd[] = [];
  // strings: every loaded encoding and string encoding in the file (int, raw, LZF)
  db0.push(['SET', 's:int', '12345'], ['SET', 's:neg', '-9223372036854775808'], ['SET', 's:big-int', '9223372036854775807']);
  db0.push(['SET', 's:lead0', '007'], ['SET', 's:44', 'x'.repeat(44)], ['SET', 's:45', 'y'.repeat(45)], ['SET', 's:empty', '']);
  db0.push(['SET', 's:compressible', 'abc'.repeat(30000)], ['SET', 's:random', bin(randomBytes(1_200_000))]);
  db0.push(['SET', bin('bin:\x00\xff\n"key'), 'binary key'], ['SET', bin(Buffer.from('ключ:é', 'utf8').toString('latin1')), 'unicode']);
  db0.push(['SET', 's:ttl', 'v', 'PX', 3_600_000], ['SET', 's:ttl2', 'w', 'EX', 86_400 * 30]);
  // lists: small, multi-node, compressed nodes (list-compress-depth), plain nodes
  db0.push(['RPUSH', 'l:small', 'a', 'b', '3', '-4', '100000', '9223372036854775807']);
  const big: string[] = [];
  for (let i = 0; i < 20000; i++) big.push(i % 3 === 0 ? String(i * 7919) : `item:${i}:${randomText(i % 40)}`);
  for (let i = 0; i < big.length; i += 1000) db0.push(['RPUSH', 'l:big', ...big.slice(i, i + 1000)]);
  db0.push(['PEXPIRE', 'l:big', 7_200_000]);
  // sets: intset, intset over 512 (hashtable), strings (hashtable), shrunk hashtable of ints
  db0.push(['SADD', 'set:ints', '1', '-2', '300', '70000', '5000000000']);
  db0.push(['SADD', 'set:ints-600', ...Array.from({ length: 600 }, (_, i) => String(i * 3))]);
  db0.push(['SADD', 'set:str', 'apple', 'banana', '12', 'x'.repeat(100)]);
  db0.push(['SADD', 'set:shrunk', 'a', '1', '2', '3'], ['SREM', 'set:shrunk', 'a']);
  // zsets: listpack, many members (skiplist), long member (skiplist), special scores
  db0.push(['ZADD', 'z:small', '1', 'one', '2.5', 'two', '-inf', 'min', '+inf', 'max', '1e-300', 'tiny']);
  const zs: Cmd = ['ZADD', 'z:big'];
  for (let i = 0; i < 300; i++) zs.push(String(rnd() * 1000 - 500), `m${i}`);
  db0.push(zs, ['ZADD', 'z:long', '1', 'z'.repeat(65), '2', 'short']);
  // hashes: listpack, many fields, long value
  db0.push(['HSET', 'h:small', 'f1', 'v1', 'f2', '2', 'n', '-17']);
  const hs: Cmd = ['HSET', 'h:big'];
  for (let i = 0; i < 700; i++) hs.push(`field:${i}`, randomText(i % 50));
  db0.push(hs, ['HSET', 'h:long', 'f', 'v'.repeat(65), 'g', 'short']);
  // streams: entries with same and different fields, deletions, groups, consumers and PEL
  for (let i = 0; i < 250; i++) db0.push(['XADD', 'st:main', `${1000 + i}-${i % 3}`, 'temp', String(i), 'city', i % 2 ? 'Paris' : 'Rome']);
  db0.push(['XADD', 'st:main', '2000-0', 'other', 'shape', 'extra', 'x'.repeat(30)]);
  db0.push(['XDEL', 'st:main', '1005-2', '1100-1']);
  db0.push(['XGROUP', 'CREATE', 'st:main', 'g1', '0'], ['XGROUP', 'CREATE', 'st:main', 'g2', '$']);
  db0.push(['XREADGROUP', 'GROUP', 'g1', 'alice', 'COUNT', 10, 'STREAMS', 'st:main', '>']);
  db0.push(['XREADGROUP', 'GROUP', 'g1', 'bob', 'COUNT', 5, 'STREAMS', 'st:main', '>']);
  db0.push(['XACK', 'st:main', 'g1', '1000-0'], ['XGROUP', 'CREATECONSUMER', 'st:main', 'g2', 'carol']);
  db0.push(['XADD', 'st:empty', '5-5', 'a', 'b'], ['XDEL', 'st:empty', '5-5']);
  db0.push(['XGROUP', 'CREATE', 'st:empty', 'lonely', '0']); // entries-read unknown (nil)
  db0.push(['XADD', 'st:trimmed', '*', 'k', 'v'], ['XADD', 'st:trimmed', '*', 'k', 'v2'], ['XTRIM', 'st:trimmed', 'MAXLEN', '1']);

  const db1: Cmd[] = [['SET', 'one', '1'], ['RPUSH', 'list', 'x'], ['HSET', 'h', 'a', 'b']];
  const db3: Cmd[] = [];
  for (let i = 0; i < 500; i++) db3.push(['SET', `user:${i}`, `name-${i}`, ...(i % 5 === 0 ? ['EX', 10_000 + i] : [])]);
  return new Map([
    [0, db0],
    [1, db1],
    [3, db3],
  ]);
}

function str(v: RespValue): string {
  if (v.t === 'bulk' || v.t === 'simple') return v.v;
  if (v.t === 'int') return String(v.v);
  if (v.t === 'error') throw new Error(`server error: ${v.v}`);
  throw new Error(`unexpected reply ${JSON.stringify(v)}`);
}
function arr(v: RespValue): RespValue[] {
  if (v.t === 'array') return v.v;
  throw new Error(`expected an array, got ${JSON.stringify(v)}`);
}
const text = (b: RdbBytes): string => (typeof b === 'string' ? b : Buffer.from(b).toString('latin1'));
/** redis prints doubles with %.17g; compare through Number. */
const num = (s: string): number => (s === 'inf' ? Infinity : s === '-inf' ? -Infinity : Number(s));

const LENGTH_CMD: Record<string, string> = { string: 'STRLEN', list: 'LLEN', set: 'SCARD', zset: 'ZCARD', hash: 'HLEN', stream: 'XLEN' };

describe('RDB reader against a real redis-server 7.0', () => {
  let server: TestServer;
  let client: RespClient;
  let dumpPath: string;
  let records: RdbRecord[];
  let keys: KeyRecord[];

  beforeAll(async () => {
    server = await startRedis({ 'list-compress-depth': '1' });
    client = await RespClient.connect(server.port);
    // Elements of 600+ bytes become PLAIN quicklist nodes (a debug knob; the default is 1 GB).
    expect(str(await client.call('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '600'))).toBe('OK');
    for (const [db, cmds] of dataset()) {
      await client.call('SELECT', db);
      for (const r of await client.pipeline(cmds)) if (r.t === 'error') throw new Error(r.v);
    }
    await client.call('SELECT', 0);
    for (const r of await client.pipeline([['RPUSH', 'l:plain', 'small', 'p'.repeat(700), 'tail', 'q'.repeat(1000)]])) {
      if (r.t === 'error') throw new Error(r.v);
    }
    // Save and load the file back: from here on the server holds what a load of dump.rdb gives.
    expect(str(await client.call('DEBUG', 'RELOAD'))).toBe('OK');
    const dir = str(arr(await client.call('CONFIG', 'GET', 'dir'))[1]!);
    const file = str(arr(await client.call('CONFIG', 'GET', 'dbfilename'))[1]!);
    dumpPath = join(dir, file);
    records = [...readRdbFile(dumpPath, { values: true, streamEntries: true })];
    keys = records.filter((r): r is KeyRecord => r.kind === 'key');
  }, 60_000);

  afterAll(async () => {
    client?.close();
    await server?.stop();
  });

  it('reads the header, AUX fields and a matching checksum', async () => {
    expect(records[0]).toEqual({ kind: 'header', magic: 'REDIS', version: 10, offset: 0 });
    const aux = Object.fromEntries(records.filter((r) => r.kind === 'aux').map((r) => [r.key, r.value]));
    expect(aux['redis-ver']).toBe('7.0.15');
    expect(aux['redis-bits']).toBe('64');
    expect(Number(aux['ctime'])).toBeGreaterThan(1_600_000_000);
    const eof = records.at(-1)!;
    expect(eof.kind).toBe('eof');
    if (eof.kind !== 'eof') return;
    expect(eof.checksum.ok).toBe(true);
    expect(eof.checksum.stored).toBe(eof.checksum.computed);
    expect(eof.trailingBytes).toBe(0);
    expect(eof.emptyKeysSkipped).toBe(0);
    expect(eof.endOffset).toBe(readFileSync(dumpPath).length);
  });

  it('finds as many keys per db as DBSIZE, with matching RESIZEDB hints', async () => {
    for (const db of [0, 1, 2, 3]) {
      await client.call('SELECT', db);
      const n = Number(str(await client.call('DBSIZE')));
      expect(keys.filter((k) => k.db === db).length, `db ${db}`).toBe(n);
      const resize = records.find((r) => r.kind === 'resizedb' && r.db === db);
      if (n > 0) expect(resize && resize.kind === 'resizedb' ? resize.keys : -1).toBe(n);
    }
  });

  it('agrees with TYPE, OBJECT ENCODING, the length command and PTTL for every key', async () => {
    const seen = new Set<string>();
    for (const k of keys) {
      await client.call('SELECT', k.db);
      const askedAt = Date.now();
      const [type, enc, len, pttl] = await client.pipeline([
        ['TYPE', bin(k.key)],
        ['OBJECT', 'ENCODING', bin(k.key)],
        [LENGTH_CMD[k.type]!, bin(k.key)],
        ['PTTL', bin(k.key)],
      ]);
      const label = `${k.db}/${k.key}`;
      expect(k.type, label).toBe(str(type!));
      expect(k.encoding, label).toBe(str(enc!));
      expect(k.length, label).toBe(Number(str(len!)));
      const ttl = Number(str(pttl!));
      if (ttl < 0) expect(k.expireAtMs, label).toBeNull();
      else expect(Math.abs(k.expireAtMs! - (askedAt + ttl)), label).toBeLessThan(5_000);
      seen.add(`${k.type}/${k.encoding}/${k.onDisk}`);
    }
    // The dataset covers what 7.0 writes.
    for (const want of ['string/int/string', 'string/embstr/string', 'string/raw/string', 'list/quicklist/quicklist2', 'set/intset/intset',
      'set/hashtable/hashtable', 'zset/listpack/listpack', 'zset/skiplist/skiplist', 'hash/listpack/listpack', 'hash/hashtable/hashtable',
      'stream/stream/stream']) {
      expect(seen, want).toContain(want);
    }
  });

  it('decodes the values the server holds', async () => {
    for (const k of keys) {
      await client.call('SELECT', k.db);
      const key = bin(k.key);
      const v = k.value!;
      const label = `${k.db}/${k.key}`;
      switch (v.type) {
        case 'string':
          expect(text(v.value), label).toBe(str(await client.call('GET', key)));
          if (k.key === 's:random') expect(v.value).toBeInstanceOf(Uint8Array);
          break;
        case 'list': {
          expect(v.elements.map(text), label).toEqual(arr(await client.call('LRANGE', key, 0, -1)).map(str));
          expect(v.nodes!.reduce((a, b) => a + b, 0), label).toBe(v.elements.length);
          break;
        }
        case 'set':
          expect(v.members.map(text).sort(), label).toEqual(arr(await client.call('SMEMBERS', key)).map(str).sort());
          break;
        case 'zset': {
          const flat = arr(await client.call('ZRANGE', key, 0, -1, 'WITHSCORES')).map(str);
          const want: Array<[string, number]> = [];
          for (let i = 0; i < flat.length; i += 2) want.push([flat[i]!, num(flat[i + 1]!)]);
          const got = v.members.map(([m, s]) => [text(m), s] as [string, number]);
          got.sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1));
          expect(got, label).toEqual(want);
          break;
        }
        case 'hash': {
          const flat = arr(await client.call('HGETALL', key)).map(str);
          const want = new Map<string, string>();
          for (let i = 0; i < flat.length; i += 2) want.set(flat[i]!, flat[i + 1]!);
          expect(new Map(v.fields.map(([f, x]) => [text(f), text(x)])), label).toEqual(want);
          break;
        }
        case 'stream': {
          const s = v.stream;
          const entries = arr(await client.call('XRANGE', key, '-', '+')).map((e) => {
            const [id, fields] = arr(e);
            return { id: str(id!), fields: arr(fields!).map(str) };
          });
          expect(s.entries!.map((e) => ({ id: `${e.id.ms}-${e.id.seq}`, fields: e.fields.flat().map(text) })), label).toEqual(entries);
          const info = arr(await client.call('XINFO', 'STREAM', key));
          const field = (name: string): RespValue => info[info.findIndex((x) => x.t === 'bulk' && x.v === name) + 1]!;
          expect(`${s.lastId.ms}-${s.lastId.seq}`, label).toBe(str(field('last-generated-id')));
          expect(`${s.maxDeletedId!.ms}-${s.maxDeletedId!.seq}`, label).toBe(str(field('max-deleted-entry-id')));
          expect(s.entriesAdded, label).toBe(Number(str(field('entries-added'))));
          const groups = arr(await client.call('XINFO', 'GROUPS', key)).map((g) => {
            const a = arr(g).map((x) => (x.t === 'null' ? null : str(x)));
            const o: Record<string, string | null> = {};
            for (let i = 0; i < a.length; i += 2) o[a[i]!] = a[i + 1]!;
            return o;
          });
          expect(s.groups.map((g) => g.name).sort(), label).toEqual(groups.map((g) => g['name']).sort());
          for (const g of s.groups) {
            const info = groups.find((x) => x['name'] === g.name)!;
            expect(g.pelSize, `${label} ${g.name}`).toBe(Number(info['pending']));
            expect(g.consumers.length, `${label} ${g.name}`).toBe(Number(info['consumers']));
            expect(`${g.lastId.ms}-${g.lastId.seq}`).toBe(info['last-delivered-id']);
            expect(g.entriesRead).toBe(info['entries-read'] === null ? null : Number(info['entries-read']));
            const consumers = arr(await client.call('XINFO', 'CONSUMERS', key, g.name)).map((c) => {
              const a = arr(c).map(str);
              return { name: a[1]!, pending: Number(a[3]!) };
            });
            expect(g.consumers.map((c) => ({ name: c.name, pending: c.pelSize })).sort((a, b) => (a.name < b.name ? -1 : 1))).toEqual(
              consumers.sort((a, b) => (a.name < b.name ? -1 : 1)),
            );
          }
          break;
        }
        default:
          throw new Error(`unexpected value type ${v.type}`);
      }
    }
  });

  it('reports the same keys, sizes and encodings without values, and element stats that fit the values', () => {
    const lean = [...readRdbFile(dumpPath)].filter((r): r is KeyRecord => r.kind === 'key');
    expect(lean.length).toBe(keys.length);
    for (let i = 0; i < keys.length; i++) {
      const { value, ...rest } = keys[i]!;
      expect(lean[i]!.value).toBeUndefined();
      expect(lean[i], rest.key).toEqual(rest);
      const v = value!;
      const lens: number[] =
        v.type === 'list' ? v.elements.map((e) => e.length)
        : v.type === 'set' ? v.members.map((e) => e.length)
        : v.type === 'zset' ? v.members.map(([m]) => m.length)
        : v.type === 'hash' ? v.fields.flatMap(([f, x]) => [f.length, x.length])
        : v.type === 'string' ? [v.value.length]
        : v.type === 'stream' ? v.stream.entries!.flatMap((e) => e.fields.flatMap(([f, x]) => [f.length, x.length]))
        : [];
      expect(rest.elements.totalLength, rest.key).toBe(lens.reduce((a, b) => a + b, 0));
      expect(rest.elements.maxLength, rest.key).toBe(lens.reduce((a, b) => Math.max(a, b), 0));
    }
    const plain = keys.find((k) => k.key === 'l:plain')!;
    expect(plain.value!.type === 'list' && plain.value!.nodes).toEqual([1, 1, 1, 1]);
  });

  it('reads the same file through a small window, from a Buffer and from a stream without a size', () => {
    const data = readFileSync(dumpPath);
    const fromBuffer = [...readRdbBuffer(data, { values: true })];
    expect(fromBuffer.length).toBe(records.length);
    let pos = 0;
    const unsized = { size: null, read: (buf: Uint8Array, off: number, len: number) => {
      const n = Math.min(len, 7777, data.length - pos);
      buf.set(data.subarray(pos, pos + n), off);
      pos += n;
      return n;
    } };
    const streamed = [...readRdb(unsized, { values: true, name: 'stdin' })];
    expect(streamed.map((r) => r.kind === 'key' ? [r.key, r.diskBytes, r.encoding] : r.kind)).toEqual(
      records.map((r) => r.kind === 'key' ? [r.key, r.diskBytes, r.encoding] : r.kind),
    );
    const eof = streamed.at(-1)!;
    expect(eof.kind === 'eof' && eof.checksum.ok).toBe(true);
  });

  it('finds the end of an RDB preamble and hands over the bytes after it', () => {
    const data = readFileSync(dumpPath);
    const withTail = Buffer.concat([data, Buffer.from('*1\r\n$4\r\nPING\r\n')]);
    const eof = rdbOffsetAfter(bufferSource(withTail));
    expect(eof.endOffset).toBe(data.length);
    expect(Buffer.from(eof.tail!).toString()).toBe('*1\r\n$4\r\nPING\r\n');
    const normal = [...readRdbBuffer(withTail)].at(-1)!;
    expect(normal.kind === 'eof' && normal.trailingBytes).toBe(14);
  });
});

describe('RDB reader on broken input', () => {
  const header = Buffer.from('REDIS0010');
  const fail = (data: Buffer, name = 'dump.rdb'): FileFormatError => {
    try {
      for (const r of readRdbBuffer(data, { name, values: true })) void r;
    } catch (e) {
      expect(e).toBeInstanceOf(FileFormatError);
      return e as FileFormatError;
    }
    throw new Error('expected a FileFormatError');
  };

  it('names wrong magic, unsupported versions and empty files', () => {
    expect(fail(Buffer.from('HELLO0010\xff')).message).toMatch(/^dump\.rdb: not an RDB file: wrong magic "HELLO0" .* at offset 0$/);
    expect(fail(Buffer.from('REDIS0013\xff')).message).toMatch(/unsupported RDB version "0013" \(supported: REDIS 1-12, VALKEY 80-81\)/);
    expect(fail(Buffer.alloc(0)).message).toBe('dump.rdb: empty file (no RDB header) at offset 0');
  });

  it('reports a truncated value with the key and type', () => {
    const rec = Buffer.concat([header, Buffer.from([0xfe, 0, 0x01, 6]), Buffer.from('user:9'), Buffer.from([3, 1, 0x61, 1, 0x62])]);
    const e = fail(rec);
    expect(e.message).toBe(`dump.rdb: unexpected end of file at offset ${rec.length} in the value of key "user:9" (list)`);
  });

  it('refuses an absurd length before allocating, and quotes binary keys like redis-cli', () => {
    const huge = Buffer.from([0x81, 0x10, 0, 0, 0, 0, 0, 0, 0]); // 2^60
    const e = fail(Buffer.concat([header, Buffer.from([0x00, 3, 0x6b, 0x00, 0xff]), huge, Buffer.from('abc')]));
    expect(e.message).toMatch(/string length 1152921504606847000 is larger than the 3 bytes left in the file at offset 23 in the value of key "k\\x00\\xff" \(string\)/);
  });

  it('names unknown type codes and opcodes with their byte value', () => {
    expect(fail(Buffer.concat([header, Buffer.from([0xf0, 1, 2])])).message).toBe('dump.rdb: unknown type code or opcode 240 (0xf0) at offset 9');
  });

  it('reports corrupt listpacks and LZF data', () => {
    // a hash listpack whose header claims one byte more than the string holds
    const lp = Buffer.from([0x0c, 0, 0, 0, 2, 0, 0x81, 0x61, 2, 0x81, 0x62, 2, 0xff]);
    lp[0] = 14;
    const e = fail(Buffer.concat([header, Buffer.from([16, 1, 0x68, lp.length]), lp]));
    expect(e.message).toMatch(/corrupt listpack header says 14 bytes but the string holds 13 at offset 13 in the value of key "h" \(hash\)/);
    const lzf = Buffer.from([0xc3, 4, 30, 0x01, 0x61, 0x62, 0x63]); // literal of 2 announced, data cut
    expect(fail(Buffer.concat([header, Buffer.from([0, 1, 0x73]), lzf])).message).toMatch(/corrupt LZF string: .* in the value of key "s" \(string\)/);
  });

  it('reports a checksum mismatch in the EOF record, not as an error', () => {
    const body = Buffer.concat([header, Buffer.from([0, 1, 0x6b, 1, 0x76, 0xff])]);
    const trailer = Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const eof = [...readRdbBuffer(Buffer.concat([body, trailer]))].at(-1)!;
    expect(eof.kind === 'eof' && eof.checksum.ok).toBe(false);
    expect(eof.kind === 'eof' && eof.checksum.stored).toBe('0807060504030201');
    const zero = [...readRdbBuffer(Buffer.concat([body, Buffer.alloc(8)]))].at(-1)!;
    expect(zero.kind === 'eof' && zero.checksum.ok).toBeNull();
  });
});
