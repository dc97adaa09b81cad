// The hash family compared with a real redis-server 7.0: replies in RESP2 and RESP3, error texts
// and their precedence, listpack -> hashtable conversion at the configured thresholds,
// HINCRBYFLOAT's long double results, HRANDFIELD's shapes, HSCAN, dirty / keyspace counters,
// WATCH signals, and generated command sequences.
//
// Commands of other families (FLUSHALL, CONFIG, OBJECT, WATCH) may not exist in the engine while
// it is being built, so this file sets and reads engine state directly (pair.engine.engine)
// where Redis is asked with those commands.

import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { diff, same, show, sorted, sortedPairs, startPair, type Cmd, type Pair, resetPair, configurePair, sameWithCounters } from '../../helpers/differential.js';
import type { Engine } from '../../../src/engine/engine.js';
import type { RespValue } from '../../../src/formats/resp/reply-parser.js';

let pair: Pair;
let engine: Engine;

const DEFAULTS: Record<string, string> = { 'hash-max-listpack-entries': '512', 'hash-max-listpack-value': '64' };

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
  await resetPair(pair, DEFAULTS);
}

async function configure(values: Record<string, string>): Promise<void> {
  await configurePair(pair, values);
}

function text(v: RespValue): string | null {
  return v.t === 'bulk' || v.t === 'simple' ? v.v : null;
}

/** OBJECT ENCODING of Redis against the engine's object (its OBJECT command when it has one). */
async function encodings(key: string): Promise<[string | null, string | null]> {
  const r = text(await pair.r.call('OBJECT', 'ENCODING', key));
  if (engine.commands.has('object')) return [r, text(await pair.e.call('OBJECT', 'ENCODING', key))];
  const o = engine.dbs[0]!.peek(key);
  return [r, o === undefined ? null : o.enc];
}

async function expectEncoding(key: string, expected: string | null): Promise<void> {
  const [r, e] = await encodings(key);
  expect(r, `redis encoding of ${key}`).toBe(expected);
  expect(e, `engine encoding of ${key}`).toBe(expected);
}

/** A reply whose content is random, reduced to its shape: type, length and nesting. */
function shape(v: RespValue): RespValue {
  if (v.t !== 'array') return v.t === 'bulk' ? { t: 'simple', v: 'some bulk' } : v;
  const nested = v.v.map((x) => (x.t === 'array' ? x.v.length : x.t)).join(',');
  return { t: 'simple', v: `array len=${v.v.length} items=${nested}` };
}

/** Normaliser for `same`: random commands compare by shape only. */
function randomByShape(v: RespValue, c: Cmd): RespValue {
  return String(c[0]).toUpperCase() === 'HRANDFIELD' ? shape(v) : v;
}


describe('basic commands', () => {
  it('HSET, HGET, HMGET, HLEN, HSTRLEN, HEXISTS, HDEL, HSETNX, HMSET', async () => {
    const bin = Buffer.from([0, 255, 13, 10, 128]);
    await same(pair, [
      ['HSET', 'h', 'a', '1'],
      ['HSET', 'h', 'a', '2', 'b', '3', 'c', ''],
      ['HSET', 'h', 'b', 'x', 'b', 'y'],
      ['HGET', 'h', 'a'],
      ['HGET', 'h', 'b'],
      ['HGET', 'h', 'c'],
      ['HGET', 'h', 'zz'],
      ['HGET', 'nokey', 'a'],
      ['HMGET', 'h', 'a', 'zz', 'b', 'a'],
      ['HMGET', 'nokey', 'a', 'b'],
      ['HLEN', 'h'],
      ['HLEN', 'nokey'],
      ['HSTRLEN', 'h', 'a'],
      ['HSTRLEN', 'h', 'c'],
      ['HSTRLEN', 'h', 'zz'],
      ['HSTRLEN', 'nokey', 'a'],
      ['HEXISTS', 'h', 'a'],
      ['HEXISTS', 'h', 'zz'],
      ['HEXISTS', 'nokey', 'a'],
      ['HSETNX', 'h', 'a', 'new'],
      ['HSETNX', 'h', 'd', 'new'],
      ['HSETNX', 'fresh', 'f', 'v'],
      ['HGETALL', 'h'],
      ['HGETALL', 'fresh'],
      ['HMSET', 'h', 'e', '5', 'a', '9'],
      ['HMSET', 'm', 'x', '1'],
      ['HGETALL', 'h'],
      ['HSET', 'h', bin, bin],
      ['HGET', 'h', bin],
      ['HDEL', 'h', 'zz'],
      ['HDEL', 'h', 'a', 'a', 'b', 'zz'],
      ['HDEL', 'nokey', 'a'],
      ['HKEYS', 'h'],
      ['HVALS', 'h'],
      ['HDEL', 'm', 'x', 'y'],
      ['HGETALL', 'm'],
      ['HDEL', 'fresh', 'f', 'f'],
      ['HGETALL', 'fresh'],
      ['HKEYS', 'nokey'],
      ['HVALS', 'nokey'],
      ['HGETALL', 'nokey'],
    ]);
  });

  it('integer-like values keep their text (listpack stores them as integers)', async () => {
    const vals = ['-9223372036854775808', '9223372036854775807', '9223372036854775808', '', '0', '-1', 'x', '007', '-0', '+1', ' 1',
      '12', '127', '32767', '2147483647', '1.0'];
    const cmds: Cmd[] = [];
    vals.forEach((v, i) => cmds.push(['HSET', 'small', `f${i}`, v], ['HSTRLEN', 'small', `f${i}`], ['HGET', 'small', `f${i}`]));
    cmds.push(['HGETALL', 'small'], ['HSET', 'small', '1', 'int-field'], ['HGET', 'small', '1'], ['HGET', 'small', '01'], ['HEXISTS', 'small', '1.0']);
    await same(pair, cmds);
  });

  it('arity, WRONGTYPE and their order', async () => {
    await pair.r.call('SADD', 'aset', 'x');
    await pair.e.call('SADD', 'aset', 'x');
    await same(pair, [
      ['HSET', 'h'],
      ['HSET', 'h', 'f'],
      ['HSET', 'h', 'f', 'v', 'g'],
      ['HMSET', 'h', 'f', 'v', 'g'],
      ['HSET', 'aset', 'f', 'v', 'g'],
      ['HSETNX', 'h', 'f'],
      ['HGET', 'h'],
      ['HMGET', 'h'],
      ['HDEL', 'h'],
      ['HLEN'],
      ['HSTRLEN', 'h'],
      ['HEXISTS', 'h'],
      ['HINCRBY', 'h', 'f'],
      ['HINCRBYFLOAT', 'h', 'f'],
      ['HKEYS'],
      ['HVALS', 'a', 'b'],
      ['HGETALL'],
      ['HRANDFIELD'],
      ['HSCAN', 'h'],
      ['HSET', 'aset', 'f', 'v'],
      ['HSETNX', 'aset', 'f', 'v'],
      ['HMSET', 'aset', 'f', 'v'],
      ['HGET', 'aset', 'f'],
      ['HMGET', 'aset', 'f'],
      ['HDEL', 'aset', 'f'],
      ['HLEN', 'aset'],
      ['HSTRLEN', 'aset', 'f'],
      ['HEXISTS', 'aset', 'f'],
      ['HINCRBY', 'aset', 'f', '1'],
      ['HINCRBY', 'aset', 'f', 'x'],
      ['HINCRBYFLOAT', 'aset', 'f', '1'],
      ['HINCRBYFLOAT', 'aset', 'f', 'x'],
      ['HINCRBYFLOAT', 'aset', 'f', 'inf'],
      ['HKEYS', 'aset'],
      ['HVALS', 'aset'],
      ['HGETALL', 'aset'],
      ['HRANDFIELD', 'aset'],
      ['HRANDFIELD', 'aset', '2'],
      ['HRANDFIELD', 'aset', 'x'],
      ['HRANDFIELD', 'aset', '2', 'foo'],
      ['HSCAN', 'aset', '0'],
      ['HSCAN', 'aset', 'x'],
      ['HSCAN', 'aset', '0', 'COUNT', '0'],
    ]);
  });
});

describe('HINCRBY / HINCRBYFLOAT', () => {
  it('HINCRBY: creation, overflow, bad values', async () => {
    await same(pair, [
      ['HINCRBY', 'h', 'n', '5'],
      ['HINCRBY', 'h', 'n', '-10'],
      ['HINCRBY', 'h', 'n', '0'],
      ['HINCRBY', 'h', 'big', '17179869184'],
      ['HINCRBY', 'h', 'big', '17179869184'],
      ['HINCRBY', 'h', 'n', 'x'],
      ['HINCRBY', 'h', 'n', '1.5'],
      ['HINCRBY', 'h', 'n', '9223372036854775808'],
      ['HINCRBY', 'h', 'n', ' 1'],
      ['HSET', 'h', 'max', '9223372036854775807', 'min', '-9223372036854775808'],
      ['HINCRBY', 'h', 'max', '1'],
      ['HINCRBY', 'h', 'max', '0'],
      ['HINCRBY', 'h', 'max', '-1'],
      ['HINCRBY', 'h', 'min', '-1'],
      ['HINCRBY', 'h', 'min', '9223372036854775807'],
      ['HSET', 'h', 'sp', ' 11', 'sp2', '11 ', 'f', '1.5', 'z', '007', 'e', ''],
      ['HINCRBY', 'h', 'sp', '1'],
      ['HINCRBY', 'h', 'sp2', '1'],
      ['HINCRBY', 'h', 'f', '1'],
      ['HINCRBY', 'h', 'z', '1'],
      ['HINCRBY', 'h', 'e', '1'],
      ['HINCRBY', 'nokey', 'n', 'x'],
      ['HGETALL', 'nokey'],
      ['HGETALL', 'h'],
    ]);
  });

  it('HINCRBYFLOAT matches long double arithmetic and printing', async () => {
    const incrs = [
      '0.1', '0.2', '0.3', '1e17', '-1e17', '1.5e-10', '3.0e3', '0x10', '1e400', '-1e400', '4e-4940', '1.7976931348623157e308',
      '5e-324', '-0.0', '-0.0000000000000000001', '0.000000000000000005', '0.000000000000000015', '0.000000000000000025',
      '0x1p-18', '0x3p-18', '0x1p-16445', '0x1.fffffffffffffffep16383', '0X.8P1', '.5', '5.', '+.5e+1', '1e-4951',
      '1.18973149535723176502e+4932', '1.18973149535723176509e+4932', '1e-5000', '0e99999999999999', '1e000000000000000000005',
      '10.5', '-10.5', '3.14159265358979323846264338327950288', '123456789012345678901234567890', '1.23', '0.77', '-0.1',
    ];
    const cmds: Cmd[] = [];
    incrs.forEach((n, i) => cmds.push(['HINCRBYFLOAT', 'acc', 'f', n], ['HINCRBYFLOAT', 'one', `f${i}`, n], ['HGET', 'one', `f${i}`]));
    await same(pair, cmds);
  });

  it('HINCRBYFLOAT errors and stored operands', async () => {
    await same(pair, [
      ['HINCRBYFLOAT', 'h', 'f', 'inf'],
      ['HINCRBYFLOAT', 'h', 'f', '+inf'],
      ['HINCRBYFLOAT', 'h', 'f', '-INFINITY'],
      ['HLEN', 'h'],
      ['HINCRBYFLOAT', 'h', 'f', 'nan'],
      ['HINCRBYFLOAT', 'h', 'f', ' 1'],
      ['HINCRBYFLOAT', 'h', 'f', '1 '],
      ['HINCRBYFLOAT', 'h', 'f', ''],
      ['HINCRBYFLOAT', 'h', 'f', '1e'],
      ['HINCRBYFLOAT', 'h', 'f', '0x'],
      ['HINCRBYFLOAT', 'h', 'f', '.'],
      ['HINCRBYFLOAT', 'h', 'f', '1\u00002'],
      ['HINCRBYFLOAT', 'h', 'f', '1e5000'],
      ['HINCRBYFLOAT', 'h', 'f', '0x1p-16446'],
      ['HINCRBYFLOAT', 'h', 'f', '1'.repeat(5119)],
      ['HINCRBYFLOAT', 'h', 'f', '1'.repeat(5120)],
      ['HSET', 'h', 'inf', 'inf', 'nan', 'nan', 'sp', ' 1', 'sp2', '1 ', 'hex', '0x1p-2', 'txt', 'abc', 'nul', '1\u00002', 'int', '17'],
      ['HINCRBYFLOAT', 'h', 'inf', '1'],
      ['HINCRBYFLOAT', 'h', 'nan', '1'],
      ['HINCRBYFLOAT', 'h', 'sp', '1'],
      ['HINCRBYFLOAT', 'h', 'sp2', '1'],
      ['HINCRBYFLOAT', 'h', 'hex', '0'],
      ['HINCRBYFLOAT', 'h', 'txt', '1'],
      ['HINCRBYFLOAT', 'h', 'nul', '1'],
      ['HINCRBYFLOAT', 'h', 'int', '0.5'],
      ['HSET', 'h', 'max', '1.18973149535723176502e+4932'],
      ['HINCRBYFLOAT', 'h', 'max', '1e4932'],
      ['HGET', 'h', 'max'],
      ['HGETALL', 'h'],
    ]);
  });

  it('HINCRBYFLOAT agrees on generated operands', async () => {
    const num = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e15, max: 1e15 }).map(String),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => d.toExponential()),
      fc.tuple(fc.integer({ min: -99999, max: 99999 }), fc.nat({ max: 99999 }), fc.integer({ min: -25, max: 25 })).map(
        ([a, b, e]) => `${a}.${b}e${e}`,
      ),
      fc.tuple(fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }), fc.integer({ min: -30, max: 30 })).map(([m, e]) => `${m}e${e}`),
      fc.constantFrom('0.1', '0.2', '-0.3', '2.675', '1e-17', '5e-18', '0.000000000000000015', '0x1.8p1', '-0x.1p-3'),
    );
    const seqs = fc.sample(fc.array(num, { minLength: 1, maxLength: 10 }), { seed: 90210, numRuns: 80 });
    const problems: string[] = [];
    for (const seq of seqs) {
      await reset();
      problems.push(...(await diff(pair, seq.map((n) => ['HINCRBYFLOAT', 'h', 'f', n]))));
    }
    expect(problems).toEqual([]);
  });
});

describe('encodings', () => {
  it('listpack up to hash-max-listpack-entries fields, hashtable after, never back', async () => {
    await configure({ 'hash-max-listpack-entries': '4' });
    const cmds: Cmd[] = [];
    for (let i = 0; i < 4; i++) cmds.push(['HSET', 'h', `f${i}`, `${i}`]);
    await same(pair, cmds);
    await expectEncoding('h', 'listpack');
    await same(pair, [['HSET', 'h', 'f0', 'again'], ['HSETNX', 'h', 'f1', 'x'], ['HINCRBY', 'h', 'f2', '1']]);
    await expectEncoding('h', 'listpack');
    await same(pair, [['HSETNX', 'h', 'f4', 'v']]);
    await expectEncoding('h', 'hashtable');
    await same(pair, [['HDEL', 'h', 'f0', 'f1', 'f2', 'f3'], ['HLEN', 'h']]);
    await expectEncoding('h', 'hashtable');
    // Several pairs in one HSET: the count is checked as they are added.
    await same(pair, [['HSET', 'm', 'a', '1', 'b', '2', 'c', '3', 'd', '4', 'e', '5'], ['HDEL', 'm', 'a']]);
    await expectEncoding('m', 'hashtable');
    await same(pair, [['HINCRBY', 'n', 'a', '1'], ['HINCRBY', 'n', 'b', '1'], ['HINCRBY', 'n', 'c', '1'], ['HINCRBY', 'n', 'd', '1']]);
    await expectEncoding('n', 'listpack');
    await same(pair, [['HINCRBYFLOAT', 'n', 'e', '1']]);
    await expectEncoding('n', 'hashtable');
  });

  it('hash-max-listpack-entries 0 converts on the first field', async () => {
    await configure({ 'hash-max-listpack-entries': '0' });
    await same(pair, [['HSET', 'h', 'a', '1']]);
    await expectEncoding('h', 'hashtable');
  });

  it('a field or value longer than hash-max-listpack-value converts', async () => {
    await configure({ 'hash-max-listpack-value': '8' });
    const cases: Array<[string, Cmd, string]> = [
      ['v8', ['HSET', 'v8', 'f', '12345678'], 'listpack'],
      ['v9', ['HSET', 'v9', 'f', '123456789'], 'hashtable'],
      ['f8', ['HSET', 'f8', 'abcdefgh', 'v'], 'listpack'],
      ['f9', ['HSET', 'f9', 'abcdefghi', 'v'], 'hashtable'],
      ['nx', ['HSETNX', 'nx', 'f', '123456789'], 'hashtable'],
      ['ms', ['HMSET', 'ms', 'a', '1', 'b', '123456789'], 'hashtable'],
      ['ib', ['HINCRBY', 'ib', 'abcdefghi', '1'], 'hashtable'],
      ['ibv', ['HINCRBY', 'ibv', 'f', '-123456789'], 'hashtable'],
      ['fs', ['HINCRBYFLOAT', 'fs', 'abcdefgh', '1'], 'listpack'],
      ['fl', ['HINCRBYFLOAT', 'fl', 'f', '0.0000005'], 'hashtable'],
      ['fk', ['HINCRBYFLOAT', 'fk', 'f', '0.000005'], 'listpack'],
    ];
    for (const [key, c, enc] of cases) {
      await same(pair, [c]);
      await expectEncoding(key, enc);
    }
    // An over-long argument converts even when it only updates an existing field or is refused.
    await same(pair, [['HSET', 'up', 'f', 'v'], ['HSET', 'up', 'f', 'v', 'g', 'w'], ['HSET', 'up', 'f', '123456789']]);
    await expectEncoding('up', 'hashtable');
    await same(pair, [['HSET', 'nx2', 'f', 'v'], ['HSETNX', 'nx2', 'f', '123456789']]);
    await expectEncoding('nx2', 'listpack');
    await same(pair, [['HSET', 'nx3', 'f', 'v'], ['HSETNX', 'nx3', 'g', 'short'], ['HSETNX', 'nx3', 'abcdefghi', 'x']]);
    await expectEncoding('nx3', 'hashtable');
  });

  it('listpack replies keep insertion order; hashtables reply with the same contents', async () => {
    await configure({ 'hash-max-listpack-entries': '8' });
    const fill: Cmd[] = [];
    for (let i = 0; i < 8; i++) fill.push(['HSET', 'h', `k${(i * 7) % 8}`, `v${i}`]);
    await same(pair, [...fill, ['HDEL', 'h', 'k3'], ['HSET', 'h', 'k3', 'back'], ['HSET', 'h', 'k0', 'upd'], ['HKEYS', 'h'], ['HVALS', 'h'], ['HGETALL', 'h'],
      ['HSCAN', 'h', '0'], ['HRANDFIELD', 'h', '100'], ['HRANDFIELD', 'h', '8', 'WITHVALUES']]);
    await expectEncoding('h', 'listpack');
    await same(pair, [['HSET', 'h', 'k8', 'v']]);
    await expectEncoding('h', 'hashtable');
    await same(pair, [['HKEYS', 'h'], ['HVALS', 'h'], ['HRANDFIELD', 'h', '100']], { normalize: sorted });
    await same(pair, [['HGETALL', 'h'], ['HRANDFIELD', 'h', '9', 'WITHVALUES']], { normalize: sortedPairs });
  });
});

describe('HRANDFIELD', () => {
  it('argument errors and empty replies', async () => {
    await same(pair, [['HSET', 'h', 'a', '1', 'b', '2', 'c', '3']]);
    await same(pair, [
      ['HRANDFIELD', 'nokey'],
      ['HRANDFIELD', 'nokey', '100'],
      ['HRANDFIELD', 'nokey', '-5', 'WITHVALUES'],
      ['HRANDFIELD', 'nokey', 'x'],
      ['HRANDFIELD', 'h', '0'],
      ['HRANDFIELD', 'h', '0', 'WITHVALUES'],
      ['HRANDFIELD', 'h', 'x'],
      ['HRANDFIELD', 'h', '1.5'],
      ['HRANDFIELD', 'h', '1', 'withvalue'],
      ['HRANDFIELD', 'h', '1', 'WITHVALUES', 'x'],
      ['HRANDFIELD', 'h', 'x', 'foo'],
      ['HRANDFIELD', 'h', '-9223372036854775808'],
      ['HRANDFIELD', 'h', '-9223372036854775808', 'WITHVALUES'],
      ['HRANDFIELD', 'h', '-9223372036854770000', 'withvalues'],
      ['HRANDFIELD', 'h', '9223372036854775807', 'WITHVALUES'],
      ['HRANDFIELD', 'h', '4611686018427387904', 'WITHVALUES'],
      ['HRANDFIELD', 'h', '9223372036854775808'],
      ['HRANDFIELD', 'h', '3'],
      ['HRANDFIELD', 'h', '3', 'withvalues'],
      ['HRANDFIELD', 'h', '9223372036854775807'],
    ]);
  });

  for (const enc of ['listpack', 'hashtable']) {
    it(`counts and membership (${enc}), RESP2 and RESP3 shapes`, async () => {
      if (enc === 'hashtable') await configure({ 'hash-max-listpack-entries': '4' });
      const contents = new Map<string, string>();
      for (let i = 0; i < 10; i++) contents.set(`f${i}`, `v${i}`);
      await same(pair, [['HSET', 'h', ...[...contents].flat()]]);
      await expectEncoding('h', enc);
      for (const proto of [2, 3]) {
        await same(pair, [['HELLO', String(proto)]], { normalize: () => ({ t: 'null' }) });
        for (const count of ['1', '-1', '2', '8', '9', '10', '20', '-3', '-20', '-1001']) {
          for (const wv of [false, true]) {
            const c: Cmd = ['HRANDFIELD', 'h', count, ...(wv ? ['WITHVALUES'] : [])];
            const [r, e] = await Promise.all([pair.r.call(...c), pair.e.call(...c)]);
            expect(show(shape(e)), c.join(' ')).toBe(show(shape(r)));
            // Every returned field (and value) belongs to the hash.
            expect(e.t).toBe('array');
            const items = (e as { v: RespValue[] }).v;
            const pairs: Array<[string, string | undefined]> = [];
            if (wv && proto === 3) for (const it of items) pairs.push([text((it as { v: RespValue[] }).v[0]!)!, text((it as { v: RespValue[] }).v[1]!)!]);
            else if (wv) for (let i = 0; i < items.length; i += 2) pairs.push([text(items[i]!)!, text(items[i + 1]!)!]);
            else for (const it of items) pairs.push([text(it)!, undefined]);
            for (const [f, v] of pairs) {
              expect(contents.has(f), f).toBe(true);
              if (v !== undefined) expect(v).toBe(contents.get(f));
            }
            if (!count.startsWith('-')) expect(new Set(pairs.map((p) => p[0])).size).toBe(pairs.length);
          }
        }
        const [r, e] = await Promise.all([pair.r.call('HRANDFIELD', 'h'), pair.e.call('HRANDFIELD', 'h')]);
        expect(r.t).toBe('bulk');
        expect(e.t).toBe('bulk');
        expect(contents.has(text(e)!)).toBe(true);
      }
      await same(pair, [['HELLO', '2']], { normalize: () => ({ t: 'null' }) });
    });
  }

  it('negative counts eventually return every field', async () => {
    await same(pair, [['HSET', 'h', 'a', '1', 'b', '2', 'c', '3', 'd', '4']]);
    const seen = new Set<string>();
    for (let i = 0; i < 50 && seen.size < 4; i++) {
      const e = await pair.e.call('HRANDFIELD', 'h', '-3');
      for (const x of (e as { v: RespValue[] }).v) seen.add(text(x)!);
    }
    expect([...seen].sort()).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('HSCAN', () => {
  it('listpack: everything in one call with cursor 0; cursor and option errors', async () => {
    await same(pair, [
      ['HSET', 'h', 'a', '1', 'b', '2', 'foo', '3', 'fob', '4', 'x\u0000y', '5'],
      ['HSCAN', 'h', '0'],
      ['HSCAN', 'h', '123'],
      ['HSCAN', 'h', ''],
      ['HSCAN', 'h', '-1'],
      ['HSCAN', 'h', '+0'],
      ['HSCAN', 'h', '-18446744073709551615'],
      ['HSCAN', 'h', '18446744073709551615'],
      ['HSCAN', 'h', '18446744073709551616'],
      ['HSCAN', 'h', ' 0'],
      ['HSCAN', 'h', '0 '],
      ['HSCAN', 'h', '0x1'],
      ['HSCAN', 'h', '+'],
      ['HSCAN', 'h', '5\u0000junk'],
      ['HSCAN', 'h', '0', 'MATCH', 'fo*'],
      ['HSCAN', 'h', '0', 'match', '*'],
      ['HSCAN', 'h', '0', 'MATCH', 'f?[ob]', 'COUNT', '1'],
      ['HSCAN', 'h', '0', 'MATCH', 'x*'],
      ['HSCAN', 'h', '0', 'COUNT', '0'],
      ['HSCAN', 'h', '0', 'COUNT', '-1'],
      ['HSCAN', 'h', '0', 'COUNT', 'x'],
      ['HSCAN', 'h', '0', 'COUNT'],
      ['HSCAN', 'h', '0', 'MATCH'],
      ['HSCAN', 'h', '0', 'TYPE', 'string'],
      ['HSCAN', 'h', '0', 'NOVALUES'],
      ['HSCAN', 'nokey', '0'],
      ['HSCAN', 'nokey', '0', 'COUNT', '0'],
      ['HSCAN', 'nokey', 'x'],
    ]);
  });

  it('hashtable: a full iteration returns every field once, with COUNT and MATCH', async () => {
    const cmds: Cmd[] = [];
    for (let i = 0; i < 1000; i++) cmds.push(['HSET', 'big', `field:${i}`, `value:${i}`]);
    await pair.r.pipeline(cmds);
    await pair.e.pipeline(cmds);
    await expectEncoding('big', 'hashtable');
    for (const opts of [[], ['COUNT', '1'], ['COUNT', '37'], ['COUNT', '5000'], ['MATCH', 'field:1*'], ['MATCH', '*7', 'COUNT', '20']]) {
      const collect = async (call: (...a: string[]) => Promise<RespValue>): Promise<string[]> => {
        const seen = new Map<string, string>();
        let cursor = '0';
        let calls = 0;
        do {
          const r = (await call('HSCAN', 'big', cursor, ...opts)) as { v: RespValue[] };
          cursor = text(r.v[0]!)!;
          const items = (r.v[1] as { v: RespValue[] }).v.map((x) => text(x)!);
          for (let i = 0; i < items.length; i += 2) seen.set(items[i]!, items[i + 1]!);
          calls++;
        } while (cursor !== '0' && calls < 5000);
        return [...seen].map(([f, v]) => `${f}=${v}`).sort();
      };
      const [r, e] = await Promise.all([collect((...a) => pair.r.call(...a)), collect((...a) => pair.e.call(...a))]);
      expect(e, `HSCAN ${opts.join(' ')}`).toEqual(r);
    }
  });

  it('hashtable: fields present for the whole scan survive concurrent deletes and inserts', async () => {
    const cmds: Cmd[] = [];
    for (let i = 0; i < 600; i++) cmds.push(['HSET', 'big', `f${i}`, 'v']);
    await pair.e.pipeline(cmds);
    const seen = new Set<string>();
    let cursor = '0';
    let round = 0;
    do {
      const r = (await pair.e.call('HSCAN', 'big', cursor, 'COUNT', '25')) as { v: RespValue[] };
      cursor = text(r.v[0]!)!;
      const items = (r.v[1] as { v: RespValue[] }).v.map((x) => text(x)!);
      for (let i = 0; i < items.length; i += 2) seen.add(items[i]!);
      // churn: delete some odd fields, add new ones
      await pair.e.call('HDEL', 'big', ...Array.from({ length: 10 }, (_, j) => `f${(round * 20 + j * 2 + 1) % 600}`));
      await pair.e.call('HSET', 'big', `new${round}`, 'v');
      round++;
    } while (cursor !== '0' && round < 1000);
    for (let i = 0; i < 600; i += 2) expect(seen.has(`f${i}`), `f${i}`).toBe(true);
  });
});

describe('RESP3', () => {
  it('maps, nulls and nested arrays as Redis 7.0 sends them', async () => {
    await same(pair, [['HELLO', '3']], { normalize: () => ({ t: 'null' }) });
    try {
      await same(pair, [
        ['HSET', 'h', 'a', '1', 'b', '2'],
        ['HGETALL', 'h'],
        ['HGETALL', 'nokey'],
        ['HGET', 'h', 'zz'],
        ['HGET', 'nokey', 'a'],
        ['HMGET', 'h', 'a', 'zz'],
        ['HKEYS', 'h'],
        ['HVALS', 'nokey'],
        ['HRANDFIELD', 'nokey'],
        ['HRANDFIELD', 'nokey', '3', 'WITHVALUES'],
        ['HRANDFIELD', 'h', '0', 'WITHVALUES'],
        ['HRANDFIELD', 'h', '5', 'WITHVALUES'],
        ['HINCRBYFLOAT', 'h', 'a', '0.5'],
        ['HINCRBY', 'h', 'b', '2'],
        ['HSCAN', 'h', '0'],
        ['HSCAN', 'nokey', '0'],
        ['HEXISTS', 'h', 'a'],
      ]);
    } finally {
      await same(pair, [['HELLO', '2']], { normalize: () => ({ t: 'null' }) });
    }
  });
});

describe('side effects', () => {
  it('dirty and keyspace hit/miss counters move as in Redis', async () => {
    await pair.r.call('SADD', 'aset', 'x');
    await pair.e.call('SADD', 'aset', 'x');
    const cmds: Cmd[] = [
      ['HSET', 'h', 'a', '1', 'b', '2', 'a', '3'],
      ['HSET', 'h', 'a', '3'],
      ['HMSET', 'h', 'c', '1'],
      ['HSETNX', 'h', 'c', '2'],
      ['HSETNX', 'h', 'd', '2'],
      ['HGET', 'h', 'a'],
      ['HGET', 'nokey', 'a'],
      ['HMGET', 'h', 'a', 'b'],
      ['HMGET', 'nokey', 'a'],
      ['HLEN', 'h'],
      ['HSTRLEN', 'nokey', 'a'],
      ['HEXISTS', 'h', 'a'],
      ['HDEL', 'h', 'zz'],
      ['HDEL', 'h', 'a', 'b', 'zz'],
      ['HDEL', 'nokey', 'a'],
      ['HINCRBY', 'h', 'n', '1'],
      ['HINCRBY', 'h', 'n', 'x'],
      ['HINCRBYFLOAT', 'h', 'n', '1.5'],
      ['HINCRBY', 'h', 'n', '1'],
      ['HKEYS', 'h'],
      ['HVALS', 'nokey'],
      ['HGETALL', 'h'],
      ['HRANDFIELD', 'h'],
      ['HRANDFIELD', 'nokey', '2'],
      ['HSCAN', 'h', '0'],
      ['HSCAN', 'nokey', '0'],
      ['HGET', 'aset', 'x'],
      ['HSET', 'aset', 'x', 'y'],
      ['HDEL', 'h', 'c', 'd', 'n'],
    ];
    await sameWithCounters(pair, cmds, { normalize: randomByShape });
  });

  it('WATCH is signalled exactly when Redis signals it', async () => {
    const db = engine.dbs[0]!;
    const touched: string[] = [];
    const original = engine.touched;
    engine.touched = (d, key) => {
      touched.push(key);
      original.call(engine, d, key);
    };
    try {
      const setup: Cmd[] = [['HSET', 'w', 'a', '1', 'b', '2']];
      const cases: Cmd[] = [
        ['HSET', 'w', 'a', '1'],
        ['HSETNX', 'w', 'a', '9'],
        ['HSETNX', 'w', 'c', '9'],
        ['HDEL', 'w', 'zz'],
        ['HDEL', 'w', 'a'],
        ['HDEL', 'w', 'a', 'b'],
        ['HINCRBY', 'w', 'a', '0'],
        ['HINCRBY', 'w', 'a', 'x'],
        ['HINCRBYFLOAT', 'w', 'a', '0'],
        ['HGET', 'w', 'a'],
        ['HGETALL', 'w'],
        ['HSET', 'other', 'a', '1'],
      ];
      for (const c of cases) {
        await pair.r.call('DEL', 'w', 'other');
        db.flush();
        await same(pair, setup);
        await pair.r.call('WATCH', 'w');
        await pair.r.call(...c);
        await pair.r.call('MULTI');
        const exec = await pair.r.call('EXEC');
        touched.length = 0;
        await pair.e.call(...c);
        expect(touched.includes('w'), c.join(' ')).toBe(exec.t === 'null');
      }
    } finally {
      engine.touched = original;
    }
  });
});

describe('generated command sequences', () => {
  const keys = ['h1', 'h2', 'aset'];
  const key = fc.constantFrom(...keys);
  const field = fc.constantFrom('a', 'b', 'c', 'd', 'e', '1', '-2', 'long-field-name', '');
  const value = fc.oneof(
    fc.constantFrom('', '0', '1', '-1', '10', '007', '1.5', '9223372036854775807', '-9223372036854775808', 'abc', 'x'.repeat(9),
      ' 5', '3.0e2', '-0.0', 'inf', '\u0000\u00ff'),
    fc.integer({ min: -1000, max: 1000 }).map(String),
  );
  const int = fc.oneof(fc.integer({ min: -30, max: 30 }).map(String), fc.constantFrom('9223372036854775807', '-9223372036854775808', 'x'));
  const flt = fc.constantFrom('1', '-1.5', '0.1', '3e2', '1e-5', 'abc', '-0.25', '12345678.9', '1e30');
  const fields = fc.array(field, { minLength: 1, maxLength: 4 });
  const command: fc.Arbitrary<Cmd> = fc.oneof(
    fc.tuple(key, fc.array(fc.tuple(field, value), { minLength: 1, maxLength: 3 })).map(([k, ps]) => ['HSET', k, ...ps.flat()]),
    fc.tuple(key, fc.array(fc.tuple(field, value), { minLength: 1, maxLength: 3 })).map(([k, ps]) => ['HMSET', k, ...ps.flat()]),
    fc.tuple(key, field, value).map(([k, f, v]) => ['HSETNX', k, f, v]),
    fc.tuple(key, field).map(([k, f]) => ['HGET', k, f]),
    fc.tuple(key, fields).map(([k, fs]) => ['HMGET', k, ...fs]),
    fc.tuple(key, fields).map(([k, fs]) => ['HDEL', k, ...fs]),
    key.map((k) => ['HLEN', k]),
    fc.tuple(key, field).map(([k, f]) => ['HSTRLEN', k, f]),
    fc.tuple(key, field).map(([k, f]) => ['HEXISTS', k, f]),
    fc.tuple(key, field, int).map(([k, f, n]) => ['HINCRBY', k, f, n]),
    fc.tuple(key, field, flt).map(([k, f, n]) => ['HINCRBYFLOAT', k, f, n]),
    fc.tuple(fc.constantFrom('HKEYS', 'HVALS', 'HGETALL'), key).map(([c, k]) => [c, k]),
    fc.tuple(key, fc.constantFrom<string[]>([], ['2'], ['-3'], ['0'], ['10', 'WITHVALUES'], ['-2', 'WITHVALUES'], ['x'])).map(([k, o]) => [
      'HRANDFIELD', k, ...o,
    ]),
    fc.tuple(key, fc.constantFrom<string[]>([], ['MATCH', '*'], ['MATCH', '[a-c]'], ['MATCH', '-*'])).map(([k, o]) => [
      'HSCAN', k, '0', 'COUNT', '1000', ...o,
    ]),
    fc.tuple(key, fc.constantFrom('1', 'x', 'y')).map(([k, m]) => ['SADD', k, m]),
  );

  const ordered = (normalizeOrder: boolean) => (v: RespValue, c: Cmd): RespValue => {
    const name = String(c[0]).toUpperCase();
    if (name === 'HRANDFIELD') return shape(v);
    if (!normalizeOrder || v.t === 'error') return v;
    if (name === 'HKEYS' || name === 'HVALS') return sorted(v);
    if (name === 'HGETALL') return v.t === 'map' ? sorted(v) : sortedPairs(v);
    if (name === 'HSCAN' && v.t === 'array') return { t: 'array', v: [v.v[0]!, sortedPairs(v.v[1]!)] };
    return v;
  };

  async function run(limits: Record<string, string>, normalizeOrder: boolean, seed: number): Promise<void> {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 5, maxLength: 40 }), async (cmds) => {
        await reset();
        await configure(limits);
        const problems = await diff(pair, [...cmds, ...keys.map((k): Cmd => ['HGETALL', k])], { normalize: ordered(normalizeOrder) });
        for (const k of keys) {
          const [r, e] = await encodings(k);
          if (r !== e) problems.push(`encoding of ${k}: redis ${r} engine ${e}`);
        }
        expect(problems).toEqual([]);
      }),
      { seed, numRuns: 150 },
    );
  }

  it('default limits: replies (in listpack order) and encodings agree with Redis', async () => {
    await run(DEFAULTS, false, 424242);
  });

  it('tiny limits: conversions happen at the same commands as in Redis', async () => {
    await run({ 'hash-max-listpack-entries': '3', 'hash-max-listpack-value': '8' }, true, 171717);
  });
});
