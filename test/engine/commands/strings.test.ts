// The string family compared with a real redis-server 7.0: replies (RESP2 and RESP3), errors,
// encodings, TTLs, dirty and keyspace hit/miss counters, INCRBYFLOAT's long double results, LCS
// ranges, and generated sequences of mixed string commands on a small key space.
//
// Commands of other families (DEL, TTL, RPUSH, OBJECT, FLUSHALL) may not exist in the engine
// while it is being built, so this file reads engine state directly (pair.engine.engine) where
// Redis is asked with those commands.

import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { diff, same, show, startPair, type Cmd, type Pair, resetPair, sameWithCounters } from '../../helpers/differential.js';
import { RespClient } from '../../helpers/resp-client.js';
import type { Engine } from '../../../src/engine/engine.js';
import { newList } from '../../../src/engine/types/objects.js';
import type { RespValue } from '../../../src/formats/resp/reply-parser.js';

let pair: Pair;
let engine: Engine;

beforeAll(async () => {
  pair = await startPair();
  engine = pair.engine.engine!;
});
afterAll(async () => {
  await pair?.stop();
});
beforeEach(async () => {
  await reset();
});

async function reset(): Promise<void> {
  await resetPair(pair);
}

/** A one-element list under `key` on both servers (RPUSH on Redis, directly in the engine). */
async function makeList(key: string): Promise<void> {
  await pair.r.call('RPUSH', key, 'item');
  const l = newList();
  l.v.push('item');
  engine.dbs[0]!.set(key, l);
}

function bulkText(v: RespValue): string | null {
  return v.t === 'bulk' || v.t === 'simple' ? v.v : null;
}

/** OBJECT ENCODING from Redis against the engine's own object. */
async function expectEncodings(keys: string[]): Promise<void> {
  for (const k of keys) {
    const r = await pair.r.call('OBJECT', 'ENCODING', k);
    const o = engine.dbs[0]!.peek(k);
    const e = o === undefined ? null : o.enc;
    expect(e, `encoding of ${k}`).toBe(bulkText(r));
  }
}

/** Absolute expiry (ms) on both sides: -2 missing key, -1 no TTL. */
async function expiries(key: string): Promise<[number, number]> {
  const r = await pair.r.call('PEXPIRETIME', key);
  const db = engine.dbs[0]!;
  const e = db.peek(key) === undefined ? -2 : (db.getExpire(key) ?? -1);
  return [r.t === 'int' ? Number(r.v) : NaN, e];
}

async function expectSameExpiry(key: string, exact: boolean): Promise<void> {
  const [r, e] = await expiries(key);
  if (exact || r < 0) expect(e, `expiry of ${key}`).toBe(r);
  else expect(Math.abs(e - r), `expiry of ${key}: redis ${r} engine ${e}`).toBeLessThan(1500);
}


describe('GET / SET', () => {
  it('basic values, empty and binary strings', async () => {
    const binary = Buffer.from([0, 1, 2, 255, 13, 10, 128, 0]);
    await same(pair, [
      ['GET', 'nokey'],
      ['SET', 'k', 'v'],
      ['GET', 'k'],
      ['SET', 'empty', ''],
      ['GET', 'empty'],
      ['SET', 'bin', binary],
      ['GET', 'bin'],
      ['SET', binary, 'binkey'],
      ['GET', binary],
      ['SET', 'k', 'overwritten'],
      ['GET', 'k'],
      ['GET'],
      ['GET', 'a', 'b'],
      ['SET', 'k'],
    ]);
  });

  it('very big payloads round-trip', async () => {
    const big = 'x'.repeat(1 << 20) + '\0' + 'y'.repeat(5000);
    await same(pair, [['SET', 'big', big], ['STRLEN', 'big'], ['GETRANGE', 'big', '1048570', '1048580']]);
    const [r, e] = await Promise.all([pair.r.call('GET', 'big'), pair.e.call('GET', 'big')]);
    expect(e.t === 'bulk' && e.v === big).toBe(true);
    expect(show(e)).toBe(show(r));
  });

  it('encodings: int, embstr up to 44 bytes, raw above', async () => {
    const cmds: Cmd[] = [
      ['SET', 'i1', '12345'],
      ['SET', 'i2', '-9223372036854775808'],
      ['SET', 'i3', '9223372036854775807'],
      ['SET', 'i4', '9223372036854775808'],
      ['SET', 'i5', '007'],
      ['SET', 'i6', '-0'],
      ['SET', 'i7', '+1'],
      ['SET', 'i8', ' 1'],
      ['SET', 's44', 'a'.repeat(44)],
      ['SET', 's45', 'a'.repeat(45)],
      ['SET', 'e0', ''],
      ['SET', 'n45', '1'.repeat(45)],
    ];
    await same(pair, cmds);
    await expectEncodings(cmds.map((c) => String(c[1])));
  });

  it('extended SET: NX, XX, GET, KEEPTTL and expire options', async () => {
    await makeList('list');
    await same(pair, [
      ['SET', 'foo', '1', 'nx'],
      ['SET', 'foo', '2', 'NX'],
      ['GET', 'foo'],
      ['SET', 'bar', '1', 'xx'],
      ['GET', 'bar'],
      ['SET', 'foo', '3', 'XX'],
      ['GET', 'foo'],
      ['SET', 'foo', 'bar2', 'GET'],
      ['SET', 'nokey', 'v', 'GET'],
      ['SET', 'foo', 'baz', 'GET', 'XX'],
      ['SET', 'nokey2', 'baz', 'GET', 'XX'],
      ['GET', 'nokey2'],
      ['SET', 'nokey3', 'bar', 'GET', 'NX'],
      ['SET', 'foo', 'nope', 'GET', 'NX'],
      ['GET', 'foo'],
      ['SET', 'list', 'bar', 'GET'],
      ['SET', 'list', 'bar', 'GET', 'NX'],
      ['SET', 'list', 'bar', 'NX'],
      ['SET', 'foo', 'v', 'NX', 'NX'],
      ['SET', 'foo', 'v', 'xx', 'XX'],
      ['SET', 'foo', 'v', 'GET', 'get'],
      ['SET', 'foo', 'v', 'NX', 'XX'],
      ['SET', 'foo', 'v', 'XX', 'NX'],
      ['SET', 'foo', 'v', 'EX', '10', 'PX', '100'],
      ['SET', 'foo', 'v', 'EX', '10', 'EX', '20'],
      ['SET', 'foo', 'v', 'PX', '10000', 'PX', '20000'],
      ['SET', 'foo', 'v', 'EX', '10', 'KEEPTTL'],
      ['SET', 'foo', 'v', 'KEEPTTL', 'EX', '10'],
      ['SET', 'foo', 'v', 'KEEPTTL', 'KEEPTTL'],
      ['SET', 'foo', 'v', 'EXAT', '99999999999', 'PXAT', '99999999999'],
      ['SET', 'foo', 'v', 'PERSIST'],
      ['SET', 'foo', 'v', 'EX'],
      ['SET', 'foo', 'v', 'PX'],
      ['SET', 'foo', 'v', 'EX', '10', 'bogus'],
      ['SET', 'foo', 'v', 'non-existing-option'],
      ['SET', 'foo', 'v', 'NXX'],
      ['SET', 'foo', 'v', 'EX', 'abc'],
      ['SET', 'foo', 'v', 'EX', '1.5'],
      ['SET', 'foo', 'v', 'EX', '0'],
      ['SET', 'foo', 'v', 'EX', '-1'],
      ['SET', 'foo', 'v', 'PX', '0'],
      ['SET', 'foo', 'v', 'EXAT', '0'],
      ['SET', 'foo', 'v', 'PXAT', '-5'],
      ['SET', 'foo', 'v', 'EX', '9223372036854775807'],
      ['SET', 'foo', 'v', 'EX', '9223372036854775'],
      ['SET', 'foo', 'v', 'EX', '9223372036854776'],
      ['SET', 'foo', 'v', 'PX', '9223372036854775807'],
      ['SET', 'foo', 'v', 'PX', '9223372036854775808'],
      ['SET', 'foo', 'v', 'EXAT', '9223372036854776'],
      ['SET', 'foo', 'v', 'EX', '', 'NX'],
      ['SET', 'list', 'v', 'EX', '0', 'GET'],
      ['GET', 'foo'],
    ]);
  });

  it('expire options set the same TTLs', async () => {
    const future = Date.now() + 1_000_000;
    await same(pair, [
      ['SET', 'ex', 'v', 'EX', '100'],
      ['SET', 'px', 'v', 'px', '100000'],
      ['SET', 'exat', 'v', 'EXAT', String(Math.floor(future / 1000))],
      ['SET', 'pxat', 'v', 'PXAT', String(future)],
      ['SET', 'huge', 'v', 'PXAT', '9000000000000000'],
      ['SET', 'xxpx', 'v'],
      ['SET', 'xxpx', 'v2', 'XX', 'PX', '50000'],
    ]);
    await expectSameExpiry('ex', false);
    await expectSameExpiry('px', false);
    await expectSameExpiry('exat', true);
    await expectSameExpiry('pxat', true);
    await expectSameExpiry('huge', true);
    await expectSameExpiry('xxpx', false);
    // KEEPTTL keeps it, a plain SET clears it, a failed NX leaves it.
    await same(pair, [
      ['SET', 'pxat', 'w', 'KEEPTTL'],
      ['SET', 'exat', 'w', 'NX', 'EX', '5'],
      ['SET', 'ex', 'w'],
      ['SET', 'newkeep', 'w', 'KEEPTTL'],
    ]);
    await expectSameExpiry('pxat', true);
    await expectSameExpiry('exat', true);
    await expectSameExpiry('ex', true);
    await expectSameExpiry('newkeep', true);
  });

  it('timestamps in the past expire the key at once; short TTLs run out', async () => {
    await same(pair, [
      ['SET', 'past', 'v', 'EXAT', '1'],
      ['GET', 'past'],
      ['SET', 'past', 'v', 'PXAT', '1000'],
      ['SET', 'past', 'w', 'NX'],
      ['GET', 'past'],
      ['SET', 'short', 'v', 'PX', '50'],
      ['SETEX', 'short2', '1', 'v'],
    ]);
    await new Promise((r) => setTimeout(r, 120));
    await same(pair, [['GET', 'short'], ['SET', 'short', 'x', 'XX'], ['SETNX', 'short', 'y'], ['GET', 'short']]);
  });

  it('SETNX, SETEX, PSETEX', async () => {
    await makeList('list');
    await same(pair, [
      ['SETNX', 'novar', 'foobared'],
      ['SETNX', 'novar', 'blabla'],
      ['GET', 'novar'],
      ['SETNX', 'list', 'x'],
      ['SETEX', 'se', '100', 'v'],
      ['GET', 'se'],
      ['SETEX', 'se', '0', 'v'],
      ['SETEX', 'se', '-10', 'v'],
      ['SETEX', 'se', 'abc', 'v'],
      ['SETEX', 'se', '9223372036854775807', 'v'],
      ['PSETEX', 'pse', '100000', 'v'],
      ['PSETEX', 'pse', '0', 'v'],
      ['PSETEX', 'pse', '9223372036854775807', 'v'],
      ['PSETEX', 'pse', '1.5', 'v'],
      ['SETEX', 'list', '100', 'replaced'],
      ['GET', 'list'],
      ['SETNX', 'a'],
      ['SETEX', 'a', '1'],
      ['PSETEX', 'a', '1', 'b', 'c'],
    ]);
    await expectSameExpiry('se', false);
    await expectSameExpiry('pse', false);
    await expectEncodings(['novar', 'se', 'pse']);
  });
});

describe('GETEX / GETDEL / GETSET', () => {
  it('GETEX options, errors and TTL effects', async () => {
    await makeList('list');
    const future = Date.now() + 500_000;
    await same(pair, [
      ['SET', 'foo', 'bar'],
      ['GETEX', 'foo'],
      ['GETEX', 'nokey'],
      ['GETEX', 'nokey', 'EX', '-1'],
      ['GETEX', 'nokey', 'EX', 'abc'],
      ['GETEX', 'nokey', 'bogus'],
      ['GETEX', 'list'],
      ['GETEX', 'list', 'EX', '-1'],
      ['GETEX', 'foo', 'EX', '0'],
      ['GETEX', 'foo', 'PX', '-1'],
      ['GETEX', 'foo', 'EX', 'abc'],
      ['GETEX', 'foo', 'EX', '9223372036854775807'],
      ['GETEX', 'foo', 'non-existent-option'],
      ['GETEX', 'foo', 'NX'],
      ['GETEX', 'foo', 'GET'],
      ['GETEX', 'foo', 'KEEPTTL'],
      ['GETEX', 'foo', 'EX', '10', 'PERSIST'],
      ['GETEX', 'foo', 'PERSIST', 'EX', '10'],
      ['GETEX', 'foo', 'PERSIST', 'PERSIST'],
      ['GETEX', 'foo', 'EX'],
      ['GETEX', 'foo', 'EX', '10', 'PX', '10'],
      ['GETEX'],
      ['GETEX', 'foo', 'PXAT', String(future)],
    ]);
    await expectSameExpiry('foo', true);
    await same(pair, [['GETEX', 'foo', 'persist']]);
    await expectSameExpiry('foo', true);
    await same(pair, [['GETEX', 'foo', 'EX', '100']]);
    await expectSameExpiry('foo', false);
    await same(pair, [['GETEX', 'foo', 'EXAT', '1'], ['GET', 'foo'], ['SET', 'foo', 'b'], ['GETEX', 'foo', 'PXAT', '5'], ['GETEX', 'foo']]);
  });

  it('GETDEL and GETSET', async () => {
    await makeList('list');
    await same(pair, [
      ['SET', 'foo', 'bar'],
      ['GETDEL', 'foo'],
      ['GETDEL', 'foo'],
      ['GET', 'foo'],
      ['GETDEL', 'list'],
      ['GETSET', 'gs', 'xyz'],
      ['GETSET', 'gs', 'bar'],
      ['GET', 'gs'],
      ['GETSET', 'list', 'x'],
      ['GETSET', 'gs', '123'],
      ['SET', 'ttl', 'v', 'EX', '100'],
      ['GETSET', 'ttl', 'w'],
      ['GETDEL'],
      ['GETSET', 'a'],
    ]);
    await expectEncodings(['gs', 'list']);
    await expectSameExpiry('ttl', true);
  });
});

describe('MGET / MSET / MSETNX', () => {
  it('replies and errors', async () => {
    await makeList('list');
    await same(pair, [
      ['MSET', 'x', '10', 'y', 'foo bar', 'z', 'x x x x x x x\n\n\r\n'],
      ['MGET', 'x', 'y', 'z'],
      ['MGET', 'x', 'nokey', 'list', 'y'],
      ['MGET', 'nokey'],
      ['MSET', 'x', '10', 'y'],
      ['MSETNX', 'x', '10', 'y'],
      ['MSET'],
      ['MSET', 'x'],
      ['MSETNX', 'x', 'xxx', 'y2', 'yyy'],
      ['MGET', 'x', 'y2'],
      ['MSETNX', 'x1', 'xxx', 'y1', 'yyy'],
      ['MGET', 'x1', 'y1'],
      ['MSETNX', 'x2', 'xxx', 'x2', 'yyy'],
      ['GET', 'x2'],
      ['MSETNX', 'x2', 'aaa', 'x2', 'bbb'],
      ['MSETNX', 'list', 'a'],
      ['MSET', 'list', 'now a string', 'dup', '1', 'dup', '2'],
      ['MGET', 'list', 'dup'],
      ['MGET'],
    ]);
    await expectEncodings(['x', 'y', 'z', 'dup', 'list']);
  });

  it('MSET clears TTLs, MSETNX ignores nothing that exists', async () => {
    await same(pair, [['SET', 't', 'v', 'EX', '100'], ['MSET', 't', 'w', 'u', 'x'], ['MSETNX', 't', 'z']]);
    await expectSameExpiry('t', false);
  });
});

describe('APPEND / STRLEN / GETRANGE / SETRANGE', () => {
  it('APPEND basics, encodings and TTL', async () => {
    await makeList('list');
    await same(pair, [
      ['APPEND', 'a', 'hello'],
      ['APPEND', 'a', ' world'],
      ['GET', 'a'],
      ['APPEND', 'n', '123'],
      ['APPEND', 'e', ''],
      ['APPEND', 'e2', ''],
      ['APPEND', 'e2', ''],
      ['SET', 'i', '1'],
      ['APPEND', 'i', ''],
      ['SET', 'lng', 'b'.repeat(60)],
      ['APPEND', 'lng', 'c'],
      ['APPEND', 'list', 'x'],
      ['SET', 't', 'v', 'EX', '100'],
      ['APPEND', 't', 'w'],
      ['APPEND', 'bin', Buffer.from([0, 255, 0])],
      ['APPEND', 'bin', Buffer.from([1])],
      ['GET', 'bin'],
      ['APPEND', 'a'],
    ]);
    await expectEncodings(['a', 'n', 'e', 'e2', 'i', 'lng', 't', 'bin']);
    await expectSameExpiry('t', false);
  });

  it('APPEND fuzzing against a reference built locally', async () => {
    let buf = '';
    const cmds: Cmd[] = [];
    for (let i = 0; i < 200; i++) {
      const piece = String.fromCharCode(...Array.from({ length: i % 13 }, (_, j) => (i * 31 + j * 7) % 256));
      buf += piece;
      cmds.push(['APPEND', 'fz', Buffer.from(piece, 'latin1')]);
    }
    cmds.push(['GET', 'fz']);
    await same(pair, cmds);
    const e = await pair.e.call('GET', 'fz');
    expect(e.t === 'bulk' && e.v === buf).toBe(true);
  });

  it('STRLEN', async () => {
    await makeList('list');
    await same(pair, [
      ['STRLEN', 'notakey'],
      ['SET', 'myinteger', '-555'],
      ['STRLEN', 'myinteger'],
      ['SET', 'mystring', 'foozzz0123456789 baz'],
      ['STRLEN', 'mystring'],
      ['STRLEN', 'list'],
      ['SET', 'empty', ''],
      ['STRLEN', 'empty'],
    ]);
  });

  it('GETRANGE / SUBSTR with negative, huge and inverted ranges', async () => {
    await makeList('list');
    const cmds: Cmd[] = [
      ['GETRANGE', 'mykey', '0', '-1'],
      ['SET', 'mykey', 'Hello World'],
      ['SET', 'int', '1234'],
      ['SET', 'empty', ''],
      ['GETRANGE', 'list', '0', '1'],
      ['GETRANGE', 'list', 'a', '1'],
      ['GETRANGE', 'nokey', 'a', '1'],
      ['GETRANGE', 'mykey', '0', 'b'],
      ['GETRANGE', 'mykey', '0', '1.5'],
      ['GETRANGE', 'mykey', '0', '9223372036854775808'],
      ['GETRANGE', 'mykey'],
      ['SUBSTR', 'mykey', '0', '3'],
      ['SUBSTR', 'mykey', '-3', '-1'],
    ];
    const bounds = ['0', '1', '2', '3', '5', '10', '11', '12', '5000', '-1', '-2', '-4', '-11', '-12', '-5000', '4294967297',
      '9223372036854775807', '-9223372036854775808', '-9223372036854775807'];
    for (const key of ['mykey', 'int', 'empty']) {
      for (const s of bounds) for (const e of bounds) cmds.push(['GETRANGE', key, s, e]);
    }
    await same(pair, cmds);
  });

  it('SETRANGE against missing, string, integer and wrong-type keys', async () => {
    await makeList('list');
    await same(pair, [
      ['SETRANGE', 'mykey', '0', 'foo'],
      ['GET', 'mykey'],
      ['SETRANGE', 'm2', '0', ''],
      ['GET', 'm2'],
      ['SETRANGE', 'm3', '1', 'foo'],
      ['GET', 'm3'],
      ['SET', 's', 'foo'],
      ['SETRANGE', 's', '0', 'b'],
      ['SETRANGE', 's', '0', ''],
      ['SETRANGE', 's', '1', 'b'],
      ['SETRANGE', 's', '4', 'bar'],
      ['GET', 's'],
      ['SET', 'i', '1234'],
      ['SETRANGE', 'i', '0', ''],
      ['SET', 'i2', '1234'],
      ['SETRANGE', 'i2', '5', '2'],
      ['GET', 'i2'],
      ['SETRANGE', 'list', '0', 'bar'],
      ['SETRANGE', 'list', '0', ''],
      ['SETRANGE', 'list', '-1', 'bar'],
      ['SETRANGE', 's', '-1', 'world'],
      ['SETRANGE', 's', 'abc', 'world'],
      ['SETRANGE', 'nokey', '-1', ''],
      ['SETRANGE', 'nokey', '536870908', 'world'],
      ['SETRANGE', 'nokey', '536870912', ''],
      ['SETRANGE', 's', '536870908', 'world'],
      ['SETRANGE', 's', '536870908', ''],
      ['SETRANGE', 'K', '9223372036854775807', 'A'],
      ['SETRANGE', 'K', '9223372036854775808', 'A'],
      ['SETRANGE', 'K', '2147483647', 'A'],
      ['SETRANGE', 'big', '100000', 'end'],
      ['STRLEN', 'big'],
      ['GETRANGE', 'big', '99990', '-1'],
      ['SETRANGE', 'bin', '2', Buffer.from([0, 255])],
      ['SETRANGE', 'bin', '0', Buffer.from([200, 201, 202, 203, 204])],
      ['GET', 'bin'],
      ['SET', 't', 'v', 'EX', '100'],
      ['SETRANGE', 't', '3', 'x'],
      ['SETRANGE', 'a', '0'],
    ]);
    await expectEncodings(['mykey', 'm3', 's', 'i', 'i2', 'big', 'bin', 't']);
    await expectSameExpiry('t', false);
  });
});

describe('INCR family', () => {
  it('INCR / DECR / INCRBY / DECRBY values, limits and errors', async () => {
    await makeList('list');
    await same(pair, [
      ['INCR', 'novar'],
      ['INCR', 'novar'],
      ['SET', 'novar', '100'],
      ['INCR', 'novar'],
      ['SET', 'novar', '17179869184'],
      ['INCR', 'novar'],
      ['INCRBY', 'novar', '17179869184'],
      ['SET', 'sp', '    11'],
      ['INCR', 'sp'],
      ['SET', 'sp', '11    '],
      ['INCR', 'sp'],
      ['SET', 'sp', ' 11 '],
      ['INCR', 'sp'],
      ['SET', 'sp', '+1'],
      ['INCR', 'sp'],
      ['SET', 'sp', '-0'],
      ['INCR', 'sp'],
      ['SET', 'sp', '01'],
      ['INCR', 'sp'],
      ['SET', 'sp', ''],
      ['INCR', 'sp'],
      ['SET', 'sp', '1.0'],
      ['INCR', 'sp'],
      ['DECRBY', 'x', '-9223372036854775808'],
      ['DECRBY', 'x', '9223372036854775807'],
      ['DECR', 'x'],
      ['DECR', 'x'],
      ['INCR', 'list'],
      ['INCRBY', 'list', 'abc'],
      ['INCRBY', 'novar', 'abc'],
      ['INCRBY', 'novar', '1.5'],
      ['INCRBY', 'novar', '-0'],
      ['INCRBY', 'novar', '9223372036854775808'],
      ['DECRBY', 'novar2', '17179869185'],
      ['SET', 'max', '9223372036854775807'],
      ['INCR', 'max'],
      ['INCRBY', 'max', '0'],
      ['DECRBY', 'max', '-1'],
      ['DECR', 'max'],
      ['SET', 'min', '-9223372036854775808'],
      ['DECR', 'min'],
      ['INCRBY', 'min', '-1'],
      ['INCRBY', 'min', '9223372036854775807'],
      ['INCRBY', 'min', '9223372036854775807'],
      ['INCRBY', 'min', '1'],
      ['SET', 'n', '999999999999999'],
      ['INCRBY', 'n', '4503599627370495'],
      ['INCRBY', 'n', '4503599627370496'],
      ['INCRBY', 'n', '-9007199254740993'],
      ['SET', 'n2', '1000000000000000'],
      ['INCR', 'n2'],
      ['INCR'],
      ['INCRBY', 'a'],
      ['DECRBY', 'a', '1', '2'],
    ]);
    await expectEncodings(['novar', 'novar2', 'x', 'max', 'min', 'n', 'n2']);
  });

  it('INCR on a raw or embstr numeric string gives an int and keeps the TTL', async () => {
    await same(pair, [
      ['APPEND', 'r', '1'],
      ['APPEND', 'r', '0'],
      ['INCR', 'r'],
      ['SET', 't', '5', 'EX', '100'],
      ['INCRBY', 't', '10'],
      ['SET', 'f', '5', 'PX', '100000'],
      ['INCRBYFLOAT', 'f', '1.5'],
    ]);
    await expectEncodings(['r', 't', 'f']);
    await expectSameExpiry('t', false);
    await expectSameExpiry('f', false);
  });

  it('INCRBYFLOAT: Redis test-suite cases, errors and encodings', async () => {
    await makeList('list');
    await same(pair, [
      ['INCRBYFLOAT', 'novar', '1'],
      ['GET', 'novar'],
      ['INCRBYFLOAT', 'novar', '0.25'],
      ['SET', 'novar', '1.5'],
      ['INCRBYFLOAT', 'novar', '1.5'],
      ['SET', 'novar', '17179869184'],
      ['INCRBYFLOAT', 'novar', '1.5'],
      ['SET', 'novar', '17179869184'],
      ['INCRBYFLOAT', 'novar', '17179869184'],
      ['SET', 'sp', '    11'],
      ['INCRBYFLOAT', 'sp', '1.0'],
      ['SET', 'sp', '11    '],
      ['INCRBYFLOAT', 'sp', '1.0'],
      ['SET', 'sp', ' 11 '],
      ['INCRBYFLOAT', 'sp', '1.0'],
      ['INCRBYFLOAT', 'list', '1.0'],
      ['SET', 'foo', '0'],
      ['INCRBYFLOAT', 'foo', '+inf'],
      ['INCRBYFLOAT', 'foo', '-inf'],
      ['INCRBYFLOAT', 'foo', 'inf'],
      ['INCRBYFLOAT', 'foo', 'nan'],
      ['INCRBYFLOAT', 'foo', 'NaN'],
      ['SET', 'foo', '1'],
      ['INCRBYFLOAT', 'foo', '-1.1'],
      ['SET', 'foo', '1'],
      ['SETRANGE', 'foo', '2', '2'],
      ['INCRBYFLOAT', 'foo', '1'],
      ['INCRBYFLOAT', 'nz', String(1 / 41)],
      ['INCRBYFLOAT', 'nz', String(-1 / 41)],
      ['GET', 'nz'],
      ['INCRBYFLOAT', 'g', '0.1'],
      ['INCRBYFLOAT', 'g', '0.2'],
      ['SET', 'inf', 'inf'],
      ['INCRBYFLOAT', 'inf', '1'],
      ['SET', 'big', '1e400'],
      ['INCRBYFLOAT', 'big', '1'],
      ['INCRBYFLOAT', 'big', '1e4000'],
      ['INCRBYFLOAT', 'big', '-1e-4000'],
      ['INCRBYFLOAT', 'tiny', '1e-30'],
      ['INCRBYFLOAT', 'tiny2', '-1e-30'],
      ['INCRBYFLOAT', 'half', '0x1p-18'],
      ['INCRBYFLOAT', 'half2', '0x3p-18'],
      ['INCRBYFLOAT', 'z0', '0e99999999999'],
      ['INCRBYFLOAT', 'z1', '1e-99999999999'],
      ['INCRBYFLOAT', 'z2', '0x1p-16445'],
      ['INCRBYFLOAT', 'z3', '1e-4950'],
      ['INCRBYFLOAT', 'z3', '1e-4952'],
      ['INCRBYFLOAT', 'z4', '1e4933'],
      ['INCRBYFLOAT', 'z4', '1.18e4932'],
      ['INCRBYFLOAT', 'z4', '1.18e4932'],
      ['INCRBYFLOAT', 'z5', ' 1'],
      ['INCRBYFLOAT', 'z5', '1 '],
      ['INCRBYFLOAT', 'z5', '1e'],
      ['INCRBYFLOAT', 'z5', 'INFINITY'],
      ['INCRBYFLOAT', 'z5', '0x'],
      ['INCRBYFLOAT', 'z5', '1.'],
      ['INCRBYFLOAT', 'z6', '.5'],
      ['INCRBYFLOAT', 'z6', '.'],
      ['INCRBYFLOAT', 'z6', '+.5e1'],
      ['INCRBYFLOAT', 'z6', '0x.8'],
      ['INCRBYFLOAT', 'z6', '0X1P+2'],
      ['INCRBYFLOAT', 'z6', '1e+'],
      ['INCRBYFLOAT', 'z6', '00012.50000'],
      ['INCRBYFLOAT', 'z6', '-'],
      ['INCRBYFLOAT', 'z6', ''],
      ['INCRBYFLOAT', 'z6', '1_0'],
      ['INCRBYFLOAT', 'z6', '1\u00000'],
      ['INCRBYFLOAT', 'z6', '0x1e5'],
      ['INCRBYFLOAT', 'z6', '1'.repeat(5119)],
      ['INCRBYFLOAT', 'z6', '1'.repeat(5120)],
      ['INCRBYFLOAT', 'z6', '0.' + '0'.repeat(4000) + '1e4000'],
      ['INCRBYFLOAT', 'z7', '-0'],
      ['INCRBYFLOAT', 'z7', '-0.0'],
      ['INCRBYFLOAT', 'z8', '123456789012345678901234567890'],
      ['INCRBYFLOAT', 'z8', '0.000001'],
      ['INCRBYFLOAT', 'z9', '9223372036854775807'],
      ['INCRBYFLOAT', 'z9', '1'],
      ['INCRBYFLOAT', 'z9', '-9223372036854775808.5'],
      ['INCRBYFLOAT'],
      ['INCRBYFLOAT', 'a', '1', '2'],
    ]);
    await expectEncodings(['novar', 'g', 'nz', 'big', 'half', 'z6', 'z8', 'z9']);
  });

  it('INCRBYFLOAT matches long double arithmetic on generated values', async () => {
    const num = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }).map((d) => String(d)),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => d.toExponential()),
      fc.tuple(fc.integer({ min: -99999, max: 99999 }), fc.nat({ max: 99999 }), fc.nat({ max: 20 })).map(
        ([i, f, z]) => `${i}.${'0'.repeat(z % 4)}${f}`,
      ),
      fc.tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: -40, max: 40 })).map(([m, e]) => `${m}e${e}`),
      fc.constantFrom('0.1', '0.2', '0.3', '-0.1', '1.1', '2.675', '1e-17', '5e-18', '4.9999999999999999e-18', '0.000000000000000015',
        '1e17', '1e18', '1e19', '123.456', '0x1p-60', '0x1.fffffffffffffffep0', '-0x1p-18', '3.14159265358979323846264338327950288'),
      fc.integer().map(String),
    );
    const seqs = fc.sample(fc.array(num, { minLength: 1, maxLength: 12 }), { seed: 4242, numRuns: 120 });
    const cmds: Cmd[] = [];
    seqs.forEach((seq, i) => {
      for (const v of seq) cmds.push(['INCRBYFLOAT', `f${i}`, v]);
      cmds.push(['GET', `f${i}`]);
    });
    const problems = await diff(pair, cmds);
    expect(problems.slice(0, 10)).toEqual([]);
  });
});

describe('LCS', () => {
  const rna1 =
    'CACCTTCCCAGGTAACAAACCAACCAACTTTCGATCTCTTGTAGATCTGTTCTCTAAACGAACTTTAAAATCTGTGTGGCTGTCACTCGGCTGCATGCTTAGTGCACTCACGCAGTATAATTAATAACTAATTACTGTCGTTGACAGGACACGAGTAACTCGTCTATCTTCTGCAGGCTGCTTACGGTTTCGTCCGTGTTGCAGCCGATCATCAGCACATCTAGGTTTCGTCCGGGTGTG';
  const rna2 =
    'ATTAAAGGTTTATACCTTCCCAGGTAACAAACCAACCAACTTTCGATCTCTTGTAGATCTGTTCTCTAAACGAACTTTAAAATCTGTGTGGCTGTCACTCGGCTGCATGCTTAGTGCACTCACGCAGTATAATTAATAACTAATTACTGTCGTTGACAGGACACGAGTAACTCGTCTATCTTCTGCAGGCTGCTTACGGTTTCGTCCGTGTTGCAGCCGATCATCAGCACATCTAGGTTT';

  const variants: string[][] = [[], ['LEN'], ['IDX'], ['IDX', 'WITHMATCHLEN'], ['IDX', 'MINMATCHLEN', '5'], ['idx', 'minmatchlen', '2', 'withmatchlen']];

  it('basic, LEN, IDX, WITHMATCHLEN, MINMATCHLEN and errors in RESP2', async () => {
    await makeList('list');
    const cmds: Cmd[] = [['SET', 'v1', rna1], ['SET', 'v2', rna2], ['SET', 'e', ''], ['SET', 'i', '12345']];
    for (const v of variants) {
      cmds.push(['LCS', 'v1', 'v2', ...v], ['LCS', 'v2', 'v1', ...v], ['LCS', 'v1', 'nokey', ...v], ['LCS', 'e', 'v1', ...v]);
      cmds.push(['LCS', 'i', 'v1', ...v], ['LCS', 'v1', 'v1', ...v]);
    }
    cmds.push(
      ['LCS', 'v1', 'v2', 'IDX', 'MINMATCHLEN', '-5'],
      ['LCS', 'v1', 'v2', 'IDX', 'MINMATCHLEN', 'abc'],
      ['LCS', 'v1', 'v2', 'IDX', 'MINMATCHLEN'],
      ['LCS', 'v1', 'v2', 'LEN', 'IDX'],
      ['LCS', 'v1', 'v2', 'IDX', 'LEN', 'MINMATCHLEN', 'x'],
      ['LCS', 'v1', 'v2', 'bogus'],
      ['LCS', 'list', 'v1'],
      ['LCS', 'v1', 'list', 'bogus'],
      ['LCS', 'nokey', 'nokey2', 'IDX', 'WITHMATCHLEN'],
      ['LCS', 'v1'],
    );
    await same(pair, cmds);
  });

  it('RESP3 replies (map for IDX, null-free shapes)', async () => {
    const r = await RespClient.connect(pair.redis.port);
    const e = await RespClient.connect(pair.engine.port);
    try {
      await Promise.all([r.call('HELLO', '3'), e.call('HELLO', '3')]);
      const cmds: Cmd[] = [['SET', 'v1', rna1], ['SET', 'v2', rna2]];
      for (const v of variants) cmds.push(['LCS', 'v1', 'v2', ...v], ['LCS', 'v1', 'nokey', ...v]);
      cmds.push(
        ['GET', 'nokey'],
        ['SET', 'v1', 'x', 'NX'],
        ['SET', 'v1', 'x', 'NX', 'GET'],
        ['SET', 'nokey', 'x', 'XX', 'GET'],
        ['MGET', 'v1', 'nokey'],
        ['GETEX', 'nokey'],
        ['GETDEL', 'nokey'],
        ['GETSET', 'nokey', 'y'],
        ['INCRBYFLOAT', 'fl', '1.5'],
        ['GETRANGE', 'missing', '0', '-1'],
      );
      for (const c of cmds) {
        const [a, b] = await Promise.all([r.call(...c), e.call(...c)]);
        expect(show(b), c.join(' ')).toBe(show(a));
      }
    } finally {
      r.close();
      e.close();
    }
  });

  it('generated strings give the same subsequence and ranges', async () => {
    const str = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd', '\u0000', '\u00ff'), maxLength: 40 });
    const samples = fc.sample(fc.tuple(str, str, fc.nat({ max: 4 })), { seed: 7, numRuns: 150 });
    const cmds: Cmd[] = [];
    for (const [a, b, min] of samples) {
      cmds.push(['MSET', 'la', Buffer.from(a, 'latin1'), 'lb', Buffer.from(b, 'latin1')]);
      cmds.push(['LCS', 'la', 'lb'], ['LCS', 'la', 'lb', 'LEN'], ['LCS', 'la', 'lb', 'IDX', 'WITHMATCHLEN', 'MINMATCHLEN', String(min)]);
    }
    const problems = await diff(pair, cmds);
    expect(problems.slice(0, 10)).toEqual([]);
  });

  it('refuses tables larger than proto-max-bulk-len', async () => {
    // 12000 x 12000 cells of 4 bytes is 576 MB, over the 512 MB default.
    await same(pair, [['SET', 'la', 'a'.repeat(12000)], ['SET', 'lb', 'b'.repeat(12000)], ['LCS', 'la', 'lb']]);
  });
});

describe('side effects', () => {
  it('dirty and keyspace hit/miss counters move as in Redis', async () => {
    await makeList('list');
    const cmds: Cmd[] = [
      ['SET', 'k', 'v'], ['SET', 'k', 'v', 'NX'], ['SET', 'k', 'v', 'XX', 'GET'], ['SET', 'n', 'v', 'XX', 'GET'], ['SET', 'k', 'w', 'GET'],
      ['SET', 'k', 'v', 'EX', '100'], ['SET', 'k', 'v', 'EX', '0'], ['GET', 'k'], ['GET', 'nokey'], ['GET', 'list'],
      ['SETNX', 'k', 'x'], ['SETNX', 'n1', 'x'], ['SETEX', 'k', '100', 'v'], ['PSETEX', 'k', '100000', 'v'],
      ['GETEX', 'k'], ['GETEX', 'k', 'PERSIST'], ['GETEX', 'k', 'PERSIST'], ['GETEX', 'k', 'EX', '100'], ['GETEX', 'nokey', 'EX', '5'],
      ['GETEX', 'k', 'EXAT', '1'], ['GETDEL', 'k'], ['GETDEL', 'k'], ['GETSET', 'k', '1'], ['GETSET', 'k', '2'],
      ['MGET', 'k', 'nokey', 'list'], ['MSET', 'a', '1', 'b', '2', 'c', '3'], ['MSETNX', 'a', '1', 'd', '1'], ['MSETNX', 'd', '1', 'e', '1'],
      ['APPEND', 'a', 'x'], ['APPEND', 'z', 'x'], ['STRLEN', 'a'], ['STRLEN', 'nokey'],
      ['GETRANGE', 'a', '0', '1'], ['GETRANGE', 'nokey', '0', '1'], ['SETRANGE', 'a', '0', ''], ['SETRANGE', 'a', '0', 'q'],
      ['SETRANGE', 'nokey', '0', ''], ['SETRANGE', 'sr', '2', 'q'],
      ['INCR', 'i'], ['DECR', 'i'], ['INCRBY', 'i', '5'], ['DECRBY', 'i', '5'], ['INCR', 'a'], ['INCRBYFLOAT', 'i', '1.5'],
      ['LCS', 'a', 'b'], ['LCS', 'nokey', 'b', 'LEN'], ['LCS', 'a', 'list'],
    ];
    await sameWithCounters(pair, cmds);
  });

  it('writes to watched keys abort the transaction only when Redis would', async () => {
    const db = engine.dbs[0]!;
    const touched: string[] = [];
    const original = engine.touched.bind(engine);
    engine.touched = (d, key) => {
      touched.push(key);
      original(d, key);
    };
    try {
      const cases: Array<[Cmd, boolean]> = [
        [['APPEND', 'w', 'x'], true],
        [['SETRANGE', 'w', '0', 'y'], true],
        [['SETRANGE', 'w', '0', ''], false],
        [['INCR', 'n'], true],
        [['INCRBYFLOAT', 'n', '1'], true],
        [['GETEX', 'w', 'EX', '100'], true],
        [['GETEX', 'w', 'PERSIST'], true],
        [['GETEX', 'w', 'PERSIST'], false],
        [['GETEX', 'w'], false],
        [['GET', 'w'], false],
        [['SET', 'w', 'v', 'NX'], false],
        [['SET', 'w', 'v', 'XX'], true],
        [['GETDEL', 'w'], true],
        [['GETDEL', 'w'], false],
      ];
      for (const [c, expected] of cases) {
        touched.length = 0;
        await pair.e.call(...c);
        expect(touched.includes(String(c[1])), c.join(' ')).toBe(expected);
      }
      expect(db.size).toBe(1);
    } finally {
      engine.touched = original;
    }
  });
});

describe('generated command sequences', () => {
  const keys = ['k1', 'k2', 'k3', 'k4'];
  const key = fc.constantFrom(...keys);
  const value = fc.oneof(
    fc.constantFrom('', '0', '1', '-1', '10', '007', '1.5', '9223372036854775807', '-9223372036854775808', 'abc', 'a'.repeat(44),
      'b'.repeat(45), '\u0000\u00ff\r\n', ' 5', '3.0e2', '-0.0'),
    fc.integer({ min: -1000, max: 1000 }).map(String),
    fc.string({ unit: fc.constantFrom('a', 'b', 'x', '1', '\u0000', '\u00e9'), maxLength: 12 }),
  );
  const int = fc.oneof(fc.integer({ min: -30, max: 30 }).map(String), fc.constantFrom('9223372036854775807', '-9223372036854775808', 'x'));
  const setOpt = fc.constantFrom<string[]>([], ['NX'], ['XX'], ['GET'], ['NX', 'GET'], ['XX', 'GET'], ['KEEPTTL'], ['EX', '1000'],
    ['PX', '1000000'], ['EXAT', '1'], ['PXAT', '4102444800000'], ['EX', '0'], ['KEEPTTL', 'PX', '5'], ['GET', 'EX', '100', 'XX']);
  const command: fc.Arbitrary<Cmd> = fc.oneof(
    fc.tuple(key, value, setOpt).map(([k, v, o]) => ['SET', k, v, ...o]),
    key.map((k) => ['GET', k]),
    fc.tuple(key, value).map(([k, v]) => ['SETNX', k, v]),
    fc.tuple(key, fc.constantFrom('100', '0', '-1'), value).map(([k, t, v]) => ['SETEX', k, t, v]),
    fc.tuple(key, fc.constantFrom<string[]>([], ['PERSIST'], ['EX', '500'], ['PXAT', '2'], ['EXAT', '4102444800'], ['PX', '-1'])).map(
      ([k, o]) => ['GETEX', k, ...o],
    ),
    key.map((k) => ['GETDEL', k]),
    fc.tuple(key, value).map(([k, v]) => ['GETSET', k, v]),
    fc.array(key, { minLength: 1, maxLength: 4 }).map((ks) => ['MGET', ...ks]),
    fc.array(fc.tuple(key, value), { minLength: 1, maxLength: 3 }).map((ps) => ['MSET', ...ps.flat()]),
    fc.array(fc.tuple(key, value), { minLength: 1, maxLength: 3 }).map((ps) => ['MSETNX', ...ps.flat()]),
    fc.tuple(key, value).map(([k, v]) => ['APPEND', k, v]),
    key.map((k) => ['STRLEN', k]),
    fc.tuple(fc.constantFrom('GETRANGE', 'SUBSTR'), key, int, int).map(([c, k, s, e]) => [c, k, s, e]),
    fc.tuple(key, fc.integer({ min: -1, max: 60 }), value).map(([k, o, v]) => ['SETRANGE', k, String(o), v]),
    fc.tuple(fc.constantFrom('INCR', 'DECR'), key).map(([c, k]) => [c, k]),
    fc.tuple(fc.constantFrom('INCRBY', 'DECRBY'), key, int).map(([c, k, n]) => [c, k, n]),
    fc.tuple(key, fc.constantFrom('1', '-1.5', '0.1', '3e2', '1e-5', 'abc', '-0.25', '12345678.9')).map(([k, n]) => ['INCRBYFLOAT', k, n]),
    fc.tuple(key, key, fc.constantFrom<string[]>([], ['LEN'], ['IDX'], ['IDX', 'WITHMATCHLEN', 'MINMATCHLEN', '2'])).map(
      ([a, b, o]) => ['LCS', a, b, ...o],
    ),
  );

  it('replies, values, encodings and TTL presence agree with Redis', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 5, maxLength: 40 }), async (cmds) => {
        await reset();
        const problems = await diff(pair, [...cmds, ['MGET', ...keys]]);
        for (const k of keys) {
          const r = await pair.r.call('OBJECT', 'ENCODING', k);
          const o = engine.dbs[0]!.peek(k);
          if ((o === undefined ? null : o.enc) !== bulkText(r)) problems.push(`encoding of ${k}: redis ${show(r)} engine ${o?.enc}`);
          const [rt, et] = await expiries(k);
          if (Math.sign(rt + 1) !== Math.sign(et + 1) || (rt < 0 && rt !== et)) problems.push(`expiry of ${k}: redis ${rt} engine ${et}`);
        }
        expect(problems).toEqual([]);
      }),
      { seed: 20240607, numRuns: 60 },
    );
  });
});
