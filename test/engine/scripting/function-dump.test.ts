// FUNCTION DUMP / FUNCTION RESTORE compared with a real redis-server 7.0: payload bytes (plain
// and LZF-compressed code), payloads crossing between the two servers in both directions, the
// FLUSH / APPEND / REPLACE policies with their collision errors (which leave the libraries as
// they were), bad payloads, pre-GA records, arity and policy errors, and dirty counting.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RespValue } from '../../../src/formats/resp/reply-parser.js';
import { Crc64 } from '../../../src/formats/rdb/crc64.js';
import { configurePair, diff, resetPair, sameDirty, sorted, startPair, type Cmd, type Pair } from '../../helpers/differential.js';

let pair: Pair;
beforeAll(async () => {
  pair = await startPair();
});
afterAll(async () => {
  await pair?.stop();
});
beforeEach(async () => {
  await resetPair(pair, { rdbcompression: 'yes' });
  await pair.r.call('FUNCTION', 'FLUSH');
  await pair.e.call('FUNCTION', 'FLUSH');
});

const lib = (name: string, ...fns: Array<[string, number]>): string =>
  `#!lua name=${name}\n${fns.map(([f, v]) => `redis.register_function('${f}', function(keys, args) return ${v} end)`).join('\n')}`;
/** A library long and repetitive enough for rdbcompression to store it LZF-compressed. */
const bigLib = (name: string): string =>
  `#!lua name=${name}\n${Array.from({ length: 20 }, (_, i) => `redis.register_function('big_${name}_${i}', function(keys, args) return ${i} end)`).join('\n')}`;

const LIST: Cmd = ['FUNCTION', 'LIST', 'WITHCODE'];

async function expectSame(cmds: Cmd[], normalize?: (v: RespValue) => RespValue): Promise<void> {
  expect(await diff(pair, cmds, normalize ? { normalize } : {})).toEqual([]);
}

function bulk(v: RespValue): Buffer {
  if (v.t !== 'bulk') throw new Error(`expected a bulk reply, got ${JSON.stringify(v)}`);
  return Buffer.from(v.v, 'latin1');
}

/** A payload with a correct footer around `body`. */
function payload(body: Buffer, version = 10): Buffer {
  const head = Buffer.concat([body, Buffer.from([version & 0xff, version >> 8])]);
  const crc = Buffer.alloc(8);
  crc.writeBigUInt64LE(new Crc64().update(head).value());
  return Buffer.concat([head, crc]);
}

/** An RDB string of up to 63 bytes (6-bit length). */
const rdbStr = (s: string): Buffer => Buffer.concat([Buffer.from([s.length]), Buffer.from(s, 'latin1')]);

describe('FUNCTION DUMP', () => {
  it('writes the same bytes as Redis', async () => {
    // Code LZF cannot shrink is stored plain under rdbcompression too.
    await expectSame([['FUNCTION', 'DUMP'], ['FUNCTION', 'LOAD', lib('one', ['f1', 1])], ['FUNCTION', 'DUMP']]);
    // Compressible code is compared with rdbcompression off: the engine's LZF encoder finds
    // other (equally valid) matches than Redis's lzf_c.c, so compressed bytes differ.
    await configurePair(pair, { rdbcompression: 'no' });
    await expectSame([['FUNCTION', 'FLUSH'], ['FUNCTION', 'LOAD', bigLib('big')], ['FUNCTION', 'DUMP']]);
  });

  it('compresses long code under rdbcompression, readable by Redis', async () => {
    await pair.e.call('FUNCTION', 'LOAD', bigLib('big'));
    const dump = bulk(await pair.e.call('FUNCTION', 'DUMP'));
    expect(dump[1]).toBe(0xc3); // an LZF-encoded RDB string
    expect(dump.length).toBeLessThan(bigLib('big').length);
    await expectSame([['FUNCTION', 'RESTORE', dump, 'FLUSH'], LIST], sorted);
  });

  it('checks arity, flags and ACL categories', async () => {
    await expectSame([
      ['COMMAND', 'INFO', 'function|dump', 'function|restore'],
      ['FUNCTION', 'DUMP', 'x'],
      ['FUNCTION', 'RESTORE'],
      ['FUNCTION', 'RESTORE', 'a', 'b', 'c'],
      ['FUNCTION', 'restore', 'a', 'b', 'c', 'd'],
    ]);
  });
});

describe('FUNCTION RESTORE', () => {
  it('restores a payload from the other server, both ways', async () => {
    await pair.r.call('FUNCTION', 'LOAD', lib('from_redis', ['fr', 1], ['fr2', 2]));
    await pair.e.call('FUNCTION', 'LOAD', lib('from_engine', ['fe', 3]));
    await pair.e.call('FUNCTION', 'LOAD', bigLib('engbig'));
    const fromRedis = bulk(await pair.r.call('FUNCTION', 'DUMP'));
    const fromEngine = bulk(await pair.e.call('FUNCTION', 'DUMP'));
    expect(await pair.e.call('FUNCTION', 'RESTORE', fromRedis)).toEqual({ t: 'simple', v: 'OK' });
    expect(await pair.r.call('FUNCTION', 'RESTORE', fromEngine)).toEqual({ t: 'simple', v: 'OK' });
    await expectSame([LIST, ['FCALL', 'fr', 0], ['FCALL', 'fr2', 0], ['FCALL', 'fe', 0], ['FCALL', 'big_engbig_7', 0]], sorted);
  });

  it('follows the FLUSH, APPEND and REPLACE policies', async () => {
    const setup: Cmd[] = [['FUNCTION', 'LOAD', lib('lib1', ['f1', 1], ['f2', 2])], ['FUNCTION', 'LOAD', lib('lib2', ['g1', 1])]];
    await expectSame(setup);
    const dump = bulk(await pair.r.call('FUNCTION', 'DUMP'));
    // Only one library collides at a time: Redis reports the first in its (randomly seeded) dict order.
    await sameDirty(pair, [
      ['FUNCTION', 'DELETE', 'lib2'],
      ['FUNCTION', 'RESTORE', dump],
      ['FUNCTION', 'RESTORE', dump, 'append'],
      ['FUNCTION', 'RESTORE', dump, 'REPLACE'],
      ['FUNCTION', 'LIST'],
      ['FUNCTION', 'DELETE', 'lib2'],
      ['FUNCTION', 'LOAD', lib('other', ['o1', 1])],
      ['FUNCTION', 'RESTORE', dump, 'FLUSH'],
      ['FCALL', 'o1', 0],
      ['FCALL', 'f2', 0],
      ['FUNCTION', 'FLUSH'],
      ['FUNCTION', 'RESTORE', dump, 'Append'],
      ['FCALL', 'g1', 0],
      ['FUNCTION', 'RESTORE', dump, 'bogus'],
      ['FUNCTION', 'RESTORE', dump, 'constructor'],
    ], { normalize: sorted });
  });

  it('refuses function name collisions and keeps the libraries as they were', async () => {
    await pair.r.call('FUNCTION', 'LOAD', lib('lib1', ['f1', 1], ['f2', 2], ['f3', 3]));
    const dump = bulk(await pair.r.call('FUNCTION', 'DUMP'));
    await expectSame([
      ['FUNCTION', 'FLUSH'],
      ['FUNCTION', 'LOAD', lib('lib1', ['f6', 7])],
      ['FUNCTION', 'LOAD', lib('lib2', ['f4', 5], ['f3', 4])],
      ['FUNCTION', 'RESTORE', dump],
      ['FUNCTION', 'RESTORE', dump, 'REPLACE'],
      ['FCALL', 'f3', 0],
      ['FCALL', 'f6', 0],
      ['FCALL', 'f1', 0],
      ['FUNCTION', 'LIST'],
      ['FUNCTION', 'DELETE', 'lib2'],
      ['FUNCTION', 'RESTORE', dump, 'REPLACE'],
      ['FCALL', 'f3', 0],
      ['FCALL', 'f6', 0],
    ], sorted);
  });

  it('refuses bad payloads without touching the libraries', async () => {
    await expectSame([['FUNCTION', 'LOAD', lib('keep', ['k', 1])]]);
    const good = bulk(await pair.r.call('FUNCTION', 'DUMP'));
    const flipped = Buffer.from(good);
    flipped[5] = flipped[5]! ^ 1;
    const keyDump = (await pair.r.call('SET', 'k', 'v'), bulk(await pair.r.call('DUMP', 'k')));
    await pair.e.call('SET', 'k', 'v');
    const newer = Buffer.from(good);
    newer[newer.length - 10] = 11;
    const codes = [
      'bad_payload',
      '',
      'x'.repeat(9),
      flipped,
      newer,
      keyDump,
      payload(Buffer.from([0xf5])),
      payload(Buffer.from([0xf5, 0x3f, 0x41])),
      payload(Buffer.concat([Buffer.from([0xf5]), rdbStr('#!lua name=x\nreturn 1')])),
      payload(Buffer.concat([Buffer.from([0xf5]), rdbStr("#!lua name=x\nerror('boom')")])),
      payload(Buffer.concat([Buffer.from([0xf5]), rdbStr('no metadata')])),
      payload(Buffer.concat([Buffer.from([0xf5]), rdbStr("#!js name=x\nredis.register_function('q', function() end)")])),
      payload(Buffer.concat([Buffer.from([0xf5]), rdbStr("#!lua name=keep\nredis.register_function('q', function() end)")])),
      payload(Buffer.concat([Buffer.from([0xf5]), rdbStr("#!lua name=a\nredis.register_function('q', function() end)"), Buffer.from([0xf5]), rdbStr("#!lua name=a\nredis.register_function('r', function() end)")])),
      payload(Buffer.concat([Buffer.from([0xf5]), rdbStr("#!lua name=a\nredis.register_function('q', function() end)"), Buffer.from([0xf5]), rdbStr("#!lua name=b\nredis.register_function('q', function() end)")])),
      payload(Buffer.concat([Buffer.from([0xf5]), rdbStr("#!lua name=a\nredis.register_function('q', function() end)"), Buffer.from([0x00]), rdbStr('k')])),
      payload(Buffer.concat([Buffer.from([0xf5]), rdbStr("#!lua name=b\nredis.register_function('k', function() end)")])),
      payload(Buffer.from([0xf6])),
      payload(Buffer.concat([Buffer.from([0xf6]), rdbStr('n')])),
      payload(Buffer.concat([Buffer.from([0xf6]), rdbStr('n'), rdbStr('LUA')])),
      payload(Buffer.concat([Buffer.from([0xf6]), rdbStr('n'), rdbStr('LUA'), Buffer.from([1])])),
      payload(Buffer.concat([Buffer.from([0xf6]), rdbStr('n'), rdbStr('LUA'), Buffer.from([0])])),
    ];
    await sameDirty(pair, [...codes.map((c): Cmd => ['FUNCTION', 'RESTORE', c]), ['FUNCTION', 'LIST']]);
  });

  it('reads pre-GA function records', async () => {
    const body = Buffer.concat([Buffer.from([0xf6]), rdbStr('old'), rdbStr('LUA'), Buffer.from([1]), rdbStr('a description'), rdbStr("redis.register_function('oldf', function() return 'old' end)")]);
    const body2 = Buffer.concat([Buffer.from([0xf6]), rdbStr('old2'), rdbStr('LUA'), Buffer.from([0]), rdbStr("redis.register_function('oldg', function() return 'g' end)")]);
    await configurePair(pair, { rdbcompression: 'no' });
    await sameDirty(pair, [['FUNCTION', 'RESTORE', payload(Buffer.concat([body, body2]))], LIST, ['FCALL', 'oldf', 0], ['FCALL', 'oldg', 0], ['FUNCTION', 'DELETE', 'old2'], ['FUNCTION', 'DUMP']], { normalize: sorted });
  });

  it('restores under MULTI and shows up in FUNCTION STATS', async () => {
    await pair.r.call('FUNCTION', 'LOAD', lib('m', ['mf', 1]));
    const dump = bulk(await pair.r.call('FUNCTION', 'DUMP'));
    await pair.r.call('FUNCTION', 'FLUSH');
    await expectSame([['MULTI'], ['FUNCTION', 'RESTORE', dump], ['FCALL', 'mf', 0], ['EXEC'], ['FUNCTION', 'STATS']]);
  });
});
