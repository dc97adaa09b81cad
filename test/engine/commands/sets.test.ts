// The set family compared with a real redis-server 7.0: replies in RESP2 and RESP3 (`~` sets),
// error texts and their precedence, intset -> hashtable conversion at set-max-intset-entries,
// intsets answering in ascending numeric order, the encodings the algebra's *STORE forms and
// SPOP leave behind, SPOP / SRANDMEMBER counts, SSCAN, dirty / keyspace counters, WATCH
// signals, and generated command sequences.
//
// Commands of other families (FLUSHALL, CONFIG, OBJECT, WATCH, EXPIRE) may not exist in the
// engine while it is being built, so this file sets and reads engine state directly
// (pair.engine.engine) where Redis is asked with those commands.

import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { same, show, sorted, startPair, type Cmd, type Pair, resetPair, configurePair, sameWithCounters } from '../../helpers/differential.js';
import type { Engine } from '../../../src/engine/engine.js';
import type { RespValue } from '../../../src/formats/resp/reply-parser.js';

let pair: Pair;
let engine: Engine;

const DEFAULTS: Record<string, string> = { 'set-max-intset-entries': '512' };

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

function items(v: RespValue): string[] {
  return v.t === 'array' || v.t === 'set' ? v.v.map((x) => text(x)!) : [];
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

/** Runs the same commands on both sides without comparing (setup). */
async function both(cmds: Cmd[]): Promise<void> {
  await pair.r.pipeline(cmds);
  await pair.e.pipeline(cmds);
}

const RANDOM = new Set(['SPOP', 'SRANDMEMBER']);

/** A random reply reduced to its type and length. */
function shape(v: RespValue): RespValue {
  if (v.t === 'array' || v.t === 'set') return { t: 'simple', v: `${v.t} len=${v.v.length}` };
  return v.t === 'bulk' ? { t: 'simple', v: 'some bulk' } : v;
}

function randomByShape(v: RespValue, c: Cmd): RespValue {
  return RANDOM.has(String(c[0]).toUpperCase()) ? shape(v) : v;
}


describe('basic commands', () => {
  it('SADD, SREM, SCARD, SISMEMBER, SMISMEMBER, SMEMBERS on intsets (sorted) and hashtables', async () => {
    const bin = Buffer.from([0, 255, 13, 10, 128]);
    await same(pair, [
      ['SADD', 'i', '10', '-3', '9', '100', '9', '-9223372036854775808', '9223372036854775807', '0'],
      ['SMEMBERS', 'i'],
      ['SCARD', 'i'],
      ['SISMEMBER', 'i', '9'],
      ['SISMEMBER', 'i', '09'],
      ['SISMEMBER', 'i', '8'],
      ['SMISMEMBER', 'i', '9', '8', '-3', 'x', '9'],
      ['SREM', 'i', '9', '09', '9', '-3', 'nope'],
      ['SMEMBERS', 'i'],
      ['SADD', 'i', '5'],
      ['SMEMBERS', 'i'],
      ['SADD', 's', 'b', 'a', 'c', 'a'],
      ['SADD', 's', 'A', 'a', 'b', 'c', 'B'],
      ['SCARD', 's'],
      ['SISMEMBER', 's', 'A'],
      ['SMISMEMBER', 's', 'a', 'z'],
      ['SADD', 's', bin, ''],
      ['SISMEMBER', 's', bin],
      ['SISMEMBER', 's', ''],
      ['SREM', 's', 'a', 'z'],
      ['SCARD', 'nokey'],
      ['SISMEMBER', 'nokey', 'a'],
      ['SMISMEMBER', 'nokey', 'a', 'b'],
      ['SMEMBERS', 'nokey'],
      ['SREM', 'nokey', 'a'],
      ['SADD', 'gone', '1', '2'],
      ['SREM', 'gone', '1', '2', '3'],
      ['SCARD', 'gone'],
      ['SMEMBERS', 'gone'],
    ]);
    await same(pair, [['SMEMBERS', 's']], { normalize: sorted });
  });

  it('arity, WRONGTYPE and their order', async () => {
    await both([['HSET', 'ahash', 'f', 'v'], ['SADD', 's', 'a']]);
    await same(pair, [
      ['SADD', 's'],
      ['SREM', 's'],
      ['SCARD'],
      ['SISMEMBER', 's'],
      ['SMISMEMBER', 's'],
      ['SMEMBERS'],
      ['SMOVE', 's', 'd'],
      ['SPOP'],
      ['SRANDMEMBER'],
      ['SINTER'],
      ['SINTERCARD'],
      ['SINTERCARD', '1'],
      ['SUNION'],
      ['SDIFF'],
      ['SINTERSTORE', 'd'],
      ['SUNIONSTORE', 'd'],
      ['SDIFFSTORE', 'd'],
      ['SSCAN', 's'],
      ['SADD', 'ahash', 'a'],
      ['SREM', 'ahash', 'a'],
      ['SCARD', 'ahash'],
      ['SISMEMBER', 'ahash', 'a'],
      ['SMISMEMBER', 'ahash', 'a'],
      ['SMEMBERS', 'ahash'],
      ['SPOP', 'ahash'],
      ['SPOP', 'ahash', '2'],
      ['SPOP', 'ahash', '-1'],
      ['SPOP', 'ahash', '1', '2'],
      ['SRANDMEMBER', 'ahash'],
      ['SRANDMEMBER', 'ahash', '2'],
      ['SRANDMEMBER', 'ahash', 'x'],
      ['SRANDMEMBER', 'ahash', '1', '2'],
      ['SINTER', 's', 'ahash'],
      ['SINTER', 'nokey', 'ahash'],
      ['SINTER', 'ahash', 'nokey'],
      ['SUNION', 's', 'ahash'],
      ['SUNION', 'nokey', 'ahash'],
      ['SDIFF', 's', 'ahash'],
      ['SDIFF', 'nokey', 'ahash'],
      ['SDIFF', 'ahash', 's'],
      ['SINTERSTORE', 'd', 's', 'ahash'],
      ['SINTERSTORE', 'd', 'nokey', 'ahash'],
      ['SUNIONSTORE', 'd', 's', 'ahash'],
      ['SDIFFSTORE', 'd', 'nokey', 'ahash'],
      ['SINTERCARD', '2', 's', 'ahash'],
      ['SINTERCARD', '2', 'ahash', 'nokey'],
      ['SINTERCARD', '1', 'ahash'],
      ['SSCAN', 'ahash', '0'],
      ['SSCAN', 'ahash', 'x'],
      ['SMEMBERS', 's'],
    ]);
  });
});

describe('SMOVE', () => {
  it('moves, no-ops, missing keys and wrong types', async () => {
    await both([['HSET', 'ahash', 'f', 'v']]);
    await same(pair, [
      ['SADD', 'src', 'a', 'b', '1'],
      ['SADD', 'ints', '1', '2'],
      ['SMOVE', 'src', 'dst', 'a'],
      ['SMEMBERS', 'dst'],
      ['SMOVE', 'src', 'dst', 'a'],
      ['SMOVE', 'src', 'ints', '1'],
      ['SMEMBERS', 'ints'],
      ['SMOVE', 'src', 'ints', 'b'],
      ['SCARD', 'src'],
      ['SMEMBERS', 'src'],
      ['SMOVE', 'ints', 'src', '2'],
      ['SMEMBERS', 'src'],
      ['SMOVE', 'ints', 'ints', '1'],
      ['SMOVE', 'ints', 'ints', '9'],
      ['SMOVE', 'nokey', 'ints', '1'],
      ['SMOVE', 'nokey', 'ahash', '1'],
      ['SMOVE', 'ahash', 'ints', '1'],
      ['SMOVE', 'ints', 'ahash', '1'],
      ['SMOVE', 'ints', 'ahash', 'notthere'],
      ['SMOVE', 'ahash', 'ahash', 'f'],
      ['SMOVE', 'ints', 'newints', '1'],
      ['SMEMBERS', 'newints'],
      ['SMEMBERS', 'ints'],
      ['SADD', 'x', 'v'],
      ['SADD', 'y', 'v'],
      ['SMOVE', 'x', 'y', 'v'],
      ['SMEMBERS', 'x'],
      ['SMEMBERS', 'y'],
    ]);
    await expectEncoding('newints', 'intset');
    await expectEncoding('dst', 'hashtable');
  });
});

describe('algebra', () => {
  it('SINTER, SUNION, SDIFF and SINTERCARD answer as Redis (intset results sorted)', async () => {
    await both([
      ['SADD', 'a', '5', '1', '3', '20', '-7', '100'],
      ['SADD', 'b', '3', '100', '-7', '8'],
      ['SADD', 'c', '100', '3', '42', '-7', '5'],
      ['SADD', 'h', '10', '3', '2', '1', 'x'],
      ['SREM', 'h', 'x'],
      ['SADD', 'i', '3', '1', '2', '10'],
      ['SADD', 's1', 'x', 'y', 'z'],
      ['SADD', 's2', 'y'],
    ]);
    await same(pair, [
      ['SINTER', 'a', 'b'],
      ['SINTER', 'a', 'b', 'c'],
      ['SINTER', 'a', 'a'],
      ['SINTER', 'a', 'nokey'],
      ['SINTER', 'nokey'],
      ['SINTER', 'i', 'h'],
      ['SUNION', 'a', 'b', 'c'],
      ['SUNION', 'a', 'nokey', 'i'],
      ['SUNION', 'h', 'i'],
      ['SUNION', 'nokey'],
      ['SDIFF', 'a', 'b'],
      ['SDIFF', 'a', 'b', 'c'],
      ['SDIFF', 'a', 'nokey', 'b'],
      ['SDIFF', 'nokey', 'a'],
      ['SDIFF', 'a', 'a'],
      ['SDIFF', 'a', 'b', 'a'],
      ['SDIFF', 'a'],
      ['SDIFF', 'i', 'h'],
      ['SINTER', 's1', 's2'],
      ['SINTERCARD', '2', 'a', 'b'],
      ['SINTERCARD', '3', 'a', 'b', 'c'],
      ['SINTERCARD', '2', 'a', 'b', 'LIMIT', '1'],
      ['SINTERCARD', '2', 'a', 'b', 'limit', '0'],
      ['SINTERCARD', '2', 'a', 'b', 'LIMIT', '10', 'LIMIT', '2'],
      ['SINTERCARD', '1', 'nokey'],
      ['SINTERCARD', '1', 'nokey', 'LIMIT', '0'],
      ['SINTERCARD', '2', 'a', 'nokey'],
      ['SINTERCARD', '0', 'a'],
      ['SINTERCARD', '-1', 'a'],
      ['SINTERCARD', 'x', 'a'],
      ['SINTERCARD', '2', 'a'],
      ['SINTERCARD', '3', 'a', 'b'],
      ['SINTERCARD', '1', 'a', 'b'],
      ['SINTERCARD', '1', 'a', 'LIMIT'],
      ['SINTERCARD', '1', 'a', 'LIMIT', '-1'],
      ['SINTERCARD', '1', 'a', 'LIMIT', 'x'],
      ['SINTERCARD', '1', 'a', 'LIMIT', '9223372036854775808'],
      ['SINTERCARD', '1', 'a', 'bar_arg'],
      ['SINTERCARD', '9223372036854775808', 'a'],
    ]);
    // Hashtable-ordered replies compare as sets.
    await same(pair, [['SINTER', 'h', 'i'], ['SUNION', 's1', 'a'], ['SDIFF', 's1', 'nokey'], ['SDIFF', 's1', 's2']], { normalize: sorted });
  });

  it('*STORE: results, replies, TTL and encodings of the stored set', async () => {
    await both([
      ['SADD', 'a', '1', '2', '3', '4'],
      ['SADD', 'b', '3', '4', '5'],
      ['SADD', 's', 'x', '3'],
      ['HSET', 'ahash', 'f', 'v'],
    ]);
    await same(pair, [
      ['SINTERSTORE', 'd', 'a', 'b'],
      ['SMEMBERS', 'd'],
      ['SUNIONSTORE', 'd', 'a', 'b'],
      ['SMEMBERS', 'd'],
      ['SDIFFSTORE', 'd', 'a', 'b'],
      ['SMEMBERS', 'd'],
      ['SINTERSTORE', 'd', 'a', 'nokey'],
      ['SCARD', 'd'],
      ['SUNIONSTORE', 'd', 'a', 's'],
      ['SCARD', 'd'],
      ['SINTERSTORE', 'd', 's', 'a'],
      ['SMEMBERS', 'd'],
      ['SDIFFSTORE', 'd', 'b', 'a', 'b'],
      ['SCARD', 'd'],
      ['SUNIONSTORE', 'ahash', 'a'],
      ['SMEMBERS', 'ahash'],
      ['SDIFFSTORE', 'a', 'a', 'b'],
      ['SMEMBERS', 'a'],
      ['SINTERSTORE', 'a', 'a', 'b'],
      ['SMEMBERS', 'a'],
      ['SDIFFSTORE', 'e', 'nokey'],
      ['SCARD', 'e'],
    ]);
    await expectEncoding('a', null);
    await both([['SADD', 'a', '1', '2', '3'], ['SUNIONSTORE', 'ints', 'a', 'b'], ['SUNIONSTORE', 'mixed', 'a', 's'], ['SINTERSTORE', 'inter', 's', 'b']]);
    await expectEncoding('ints', 'intset');
    await expectEncoding('mixed', 'hashtable');
    await expectEncoding('inter', 'intset');
    // A stored result replaces any TTL the destination had.
    await pair.r.call('EXPIRE', 'ints', '100');
    engine.dbs[0]!.setExpire('ints', Date.now() + 100_000);
    await both([['SUNIONSTORE', 'ints', 'a']]);
    expect(engine.dbs[0]!.getExpire('ints')).toBeUndefined();
    expect(show(await pair.r.call('TTL', 'ints'))).toBe(show({ t: 'int', v: -1n }));
  });

  it('stored results pick the encoding Redis picks, including its two SDIFF algorithms', async () => {
    const ints = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => String(from + i));
    await both([
      ['SADD', 'big', ...ints(0, 600)],
      ['SADD', 'o1', ...ints(0, 100)],
      ['SADD', 'o2', ...ints(100, 200)],
      ['SADD', 'o3', ...ints(200, 300)],
      ['SADD', 'half', ...ints(0, 300)],
      ['SADD', 'tiny', '0', '1'],
    ]);
    await expectEncoding('big', 'hashtable');
    await same(pair, [
      ['SDIFFSTORE', 'algo2', 'big', 'o1', 'o2', 'o3'],
      ['SDIFFSTORE', 'algo1', 'big', 'half'],
      ['SDIFFSTORE', 'large', 'big', 'tiny'],
      ['SINTERSTORE', 'inter', 'big', 'half'],
      ['SUNIONSTORE', 'union', 'o1', 'o2'],
      ['SUNIONSTORE', 'union2', 'big'],
      ['SDIFF', 'o1', 'tiny'],
    ]);
    await expectEncoding('algo2', 'hashtable');
    await expectEncoding('algo1', 'intset');
    await expectEncoding('large', 'hashtable');
    await expectEncoding('inter', 'intset');
    await expectEncoding('union', 'intset');
    await expectEncoding('union2', 'hashtable');
    await same(pair, [['SMEMBERS', 'algo1'], ['SMEMBERS', 'inter'], ['SINTER', 'half', 'big']]);
    await same(pair, [['SMEMBERS', 'algo2'], ['SMEMBERS', 'large'], ['SDIFF', 'big', 'o1', 'o2', 'o3']], { normalize: sorted });
  });
});

describe('encodings', () => {
  it('intset up to set-max-intset-entries canonical integers, hashtable after, never back', async () => {
    await configure({ 'set-max-intset-entries': '4' });
    await same(pair, [['SADD', 's', '1', '2', '3', '4']]);
    await expectEncoding('s', 'intset');
    await same(pair, [['SADD', 's', '4'], ['SADD', 's', '5']]);
    await expectEncoding('s', 'hashtable');
    await same(pair, [['SREM', 's', '1', '2', '3', '4']]);
    await expectEncoding('s', 'hashtable');
    for (const [key, member, enc] of [
      ['a', '12', 'intset'],
      ['b', '012', 'hashtable'],
      ['c', '-0', 'hashtable'],
      ['d', '+1', 'hashtable'],
      ['e', ' 1', 'hashtable'],
      ['f', '9223372036854775807', 'intset'],
      ['g', '9223372036854775808', 'hashtable'],
      ['h', '-9223372036854775808', 'intset'],
      ['i', '-9223372036854775809', 'hashtable'],
      ['j', '213244124402402314402033402', 'hashtable'],
      ['k', '1.0', 'hashtable'],
      ['l', '', 'hashtable'],
    ] as const) {
      await same(pair, [['SADD', key, member], ['SISMEMBER', key, member], ['SMEMBERS', key]]);
      await expectEncoding(key, enc);
    }
    await same(pair, [['SADD', 'm', '1', 'a']]);
    await expectEncoding('m', 'hashtable');
    await same(pair, [['SADD', 'n', '1'], ['SADD', 'n', 'a'], ['SREM', 'n', 'a']]);
    await expectEncoding('n', 'hashtable');
  });

  it('set-max-intset-entries 0 converts on the first member; the default is 512', async () => {
    await configure({ 'set-max-intset-entries': '0' });
    await same(pair, [['SADD', 'z', '1']]);
    await expectEncoding('z', 'hashtable');
    await configure(DEFAULTS);
    await both([['SADD', 's', ...Array.from({ length: 512 }, (_, i) => String(i))]]);
    await expectEncoding('s', 'intset');
    await same(pair, [['SADD', 's', '512']]);
    await expectEncoding('s', 'hashtable');
  });

  it('SPOP that keeps few members rebuilds the set, which may become an intset again', async () => {
    await both([['SADD', 's', ...Array.from({ length: 600 }, (_, i) => String(i))]]);
    await expectEncoding('s', 'hashtable');
    const [r, e] = await Promise.all([pair.r.call('SPOP', 's', '590'), pair.e.call('SPOP', 's', '590')]);
    expect(shape(e)).toEqual(shape(r));
    await expectEncoding('s', 'intset');
    await same(pair, [['SCARD', 's']]);
    const left = items(await pair.e.call('SMEMBERS', 's')).map(Number);
    expect(left).toEqual([...left].sort((x, y) => x - y));
    // Popped and remaining members are disjoint and make up the original set.
    const popped = items(e).map(Number);
    expect(new Set([...popped, ...left]).size).toBe(600);
  });
});

describe('SPOP / SRANDMEMBER', () => {
  it('argument errors and empty replies', async () => {
    await both([['SADD', 's', 'a', 'b', 'c']]);
    await same(pair, [
      ['SPOP', 'nokey'],
      ['SPOP', 'nokey', '3'],
      ['SPOP', 'nokey', '0'],
      ['SPOP', 'nokey', '-1'],
      ['SPOP', 's', '-1'],
      ['SPOP', 's', 'x'],
      ['SPOP', 's', '1.5'],
      ['SPOP', 's', '9223372036854775808'],
      ['SPOP', 's', '0'],
      ['SPOP', 's', '1', '2'],
      ['SRANDMEMBER', 'nokey'],
      ['SRANDMEMBER', 'nokey', '5'],
      ['SRANDMEMBER', 'nokey', '-5'],
      ['SRANDMEMBER', 'nokey', 'x'],
      ['SRANDMEMBER', 's', '0'],
      ['SRANDMEMBER', 's', 'x'],
      ['SRANDMEMBER', 's', '-9223372036854775808'],
      ['SRANDMEMBER', 's', '9223372036854775808'],
      ['SRANDMEMBER', 's', '9223372036854775807'],
      ['SRANDMEMBER', 's', '3'],
      ['SRANDMEMBER', 's', '1', '2'],
      ['SCARD', 's'],
    ], { normalize: (v, c) => (String(c[2]) === '9223372036854775807' || String(c[2]) === '3' ? sorted(v) : v) });
  });

  for (const enc of ['intset', 'hashtable']) {
    it(`counts, membership and shapes (${enc}), RESP2 and RESP3`, async () => {
      const members = Array.from({ length: 10 }, (_, i) => (enc === 'intset' ? String(i * 3 - 5) : `m${i}`));
      const all = new Set(members);
      for (const proto of [2, 3]) {
        await same(pair, [['HELLO', String(proto)]], { normalize: () => ({ t: 'null' }) });
        for (const count of ['1', '-1', '2', '5', '8', '9', '10', '20', '-3', '-20', '-1001']) {
          await reset();
          await both([['SADD', 's', ...members]]);
          await expectEncoding('s', enc);
          const c: Cmd = ['SRANDMEMBER', 's', count];
          const [r, e] = await Promise.all([pair.r.call(...c), pair.e.call(...c)]);
          expect(show(shape(e)), c.join(' ')).toBe(show(shape(r)));
          const got = items(e);
          for (const m of got) expect(all.has(m), m).toBe(true);
          if (!count.startsWith('-')) expect(new Set(got).size).toBe(got.length);
          // The whole set, in the encoding's order (an intset's is defined).
          if (enc === 'intset' && (count === '20' || count === '10')) expect(got).toEqual(items(r));
          if (count.startsWith('-')) continue;
          const p: Cmd = ['SPOP', 's', count];
          const [rp, ep] = await Promise.all([pair.r.call(...p), pair.e.call(...p)]);
          expect(show(shape(ep)), p.join(' ')).toBe(show(shape(rp)));
          const popped = items(ep);
          expect(new Set(popped).size).toBe(popped.length);
          const left = items(await pair.e.call('SMEMBERS', 's'));
          expect(new Set([...popped, ...left])).toEqual(all);
          expect(popped.length + left.length).toBe(10);
          await same(pair, [['SCARD', 's']]);
          if (enc === 'intset' && Number(count) >= 10) expect(popped).toEqual(items(rp)); // SPOP of everything answers like SUNION
        }
        const [r, e] = await Promise.all([pair.r.call('SPOP', 's'), pair.e.call('SPOP', 's')]);
        expect(r.t).toBe('bulk');
        expect(e.t).toBe('bulk');
        expect(all.has(text(e)!)).toBe(true);
        await same(pair, [['SCARD', 's'], ['SRANDMEMBER', 's']], { normalize: (v) => (v.t === 'bulk' ? { t: 'simple', v: 'some' } : v) });
      }
      await same(pair, [['HELLO', '2']], { normalize: () => ({ t: 'null' }) });
    });
  }

  it('SPOP empties and deletes the set; a partial SPOP keeps the TTL', async () => {
    await both([['SADD', 's', 'a', 'b'], ['SADD', 't', '1', '2', '3', '4', '5', '6']]);
    await same(pair, [['SPOP', 's'], ['SPOP', 's'], ['SCARD', 's'], ['SPOP', 's']], { normalize: randomByShape });
    await expectEncoding('s', null);
    await pair.r.call('EXPIRE', 't', '100');
    engine.dbs[0]!.setExpire('t', Date.now() + 100_000);
    await same(pair, [['SPOP', 't', '5']], { normalize: randomByShape });
    expect(engine.dbs[0]!.getExpire('t')).toBeDefined();
    await same(pair, [['SPOP', 't', '1'], ['SCARD', 't']], { normalize: randomByShape });
    await expectEncoding('t', null);
  });

  it('random picks eventually cover every member', async () => {
    await both([['SADD', 's', 'a', 'b', 'c', 'd', 'e']]);
    const seen = new Set<string>();
    for (let i = 0; i < 100 && seen.size < 5; i++) for (const m of items(await pair.e.call('SRANDMEMBER', 's', '-3'))) seen.add(m);
    expect([...seen].sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    const seen2 = new Set<string>();
    for (let i = 0; i < 100 && seen2.size < 5; i++) for (const m of items(await pair.e.call('SRANDMEMBER', 's', '2'))) seen2.add(m);
    expect(seen2.size).toBe(5);
  });
});

describe('SSCAN', () => {
  it('intset and small hashtable: everything at once, sorted for intsets; errors', async () => {
    await both([['SADD', 'i', '30', '-2', '7', '100', '11'], ['SADD', 's', 'foo', 'fob', 'bar']]);
    await same(pair, [
      ['SSCAN', 'i', '0'],
      ['SSCAN', 'i', '77'],
      ['SSCAN', 'i', '0', 'MATCH', '1*'],
      ['SSCAN', 'i', '0', 'MATCH', '-*', 'COUNT', '1'],
      ['SSCAN', 'i', '0', 'COUNT', '0'],
      ['SSCAN', 'i', '0', 'COUNT', 'x'],
      ['SSCAN', 'i', '0', 'MATCH'],
      ['SSCAN', 'i', '0', 'TYPE', 'set'],
      ['SSCAN', 'i', '-1'],
      ['SSCAN', 'i', 'abc'],
      ['SSCAN', 'nokey', '0'],
      ['SSCAN', 'nokey', '0', 'COUNT', '0'],
    ]);
    await same(pair, [['SSCAN', 's', '0'], ['SSCAN', 's', '0', 'MATCH', 'fo?']], {
      normalize: (v) => (v.t === 'array' ? { t: 'array', v: [v.v[0]!, sorted(v.v[1]!)] } : v),
    });
  });

  it('hashtable: a full iteration returns every member, with COUNT and MATCH', async () => {
    await both([['SADD', 'big', ...Array.from({ length: 1500 }, (_, i) => `member:${i}`)]]);
    await expectEncoding('big', 'hashtable');
    for (const opts of [[], ['COUNT', '1'], ['COUNT', '100'], ['COUNT', '9999'], ['MATCH', 'member:1*'], ['MATCH', '*9', 'COUNT', '30']]) {
      const collect = async (call: (...a: string[]) => Promise<RespValue>): Promise<string[]> => {
        const seen = new Set<string>();
        let cursor = '0';
        let calls = 0;
        do {
          const r = (await call('SSCAN', 'big', cursor, ...opts)) as { v: RespValue[] };
          cursor = text(r.v[0]!)!;
          for (const m of items(r.v[1]!)) seen.add(m);
          calls++;
        } while (cursor !== '0' && calls < 10000);
        return [...seen].sort();
      };
      const [r, e] = await Promise.all([collect((...a) => pair.r.call(...a)), collect((...a) => pair.e.call(...a))]);
      expect(e, `SSCAN ${opts.join(' ')}`).toEqual(r);
    }
  });
});

describe('RESP3', () => {
  it('set replies use ~ where Redis 7.0 does, arrays elsewhere', async () => {
    await same(pair, [['HELLO', '3']], { normalize: () => ({ t: 'null' }) });
    try {
      await same(pair, [
        ['SADD', 'i', '3', '1', '2'],
        ['SADD', 'j', '2', '3', '4'],
        ['SMEMBERS', 'i'],
        ['SMEMBERS', 'nokey'],
        ['SINTER', 'i', 'j'],
        ['SINTER', 'i', 'nokey'],
        ['SUNION', 'i', 'j'],
        ['SDIFF', 'i', 'j'],
        ['SDIFF', 'nokey', 'j'],
        ['SINTERCARD', '2', 'i', 'j'],
        ['SMISMEMBER', 'i', '1', '9'],
        ['SISMEMBER', 'i', '1'],
        ['SRANDMEMBER', 'nokey'],
        ['SRANDMEMBER', 'nokey', '2'],
        ['SRANDMEMBER', 'i', '0'],
        ['SRANDMEMBER', 'i', '10'],
        ['SPOP', 'nokey'],
        ['SPOP', 'nokey', '2'],
        ['SPOP', 'i', '0'],
        ['SSCAN', 'i', '0'],
        ['SSCAN', 'nokey', '0'],
        ['SPOP', 'j', '10'],
        ['SCARD', 'j'],
      ]);
    } finally {
      await same(pair, [['HELLO', '2']], { normalize: () => ({ t: 'null' }) });
    }
  });
});

describe('side effects', () => {
  it('dirty and keyspace hit/miss counters move as in Redis', async () => {
    await both([['HSET', 'ahash', 'f', 'v']]);
    const cmds: Cmd[] = [
      ['SADD', 's', 'a', 'b', 'a'],
      ['SADD', 's', 'a'],
      ['SADD', 'i', '1', '2', '3', '4', '5', '6', '7', '8'],
      ['SREM', 's', 'zz'],
      ['SREM', 's', 'a', 'zz'],
      ['SREM', 'nokey', 'a'],
      ['SCARD', 's'],
      ['SCARD', 'nokey'],
      ['SISMEMBER', 's', 'b'],
      ['SMISMEMBER', 'nokey', 'b'],
      ['SMEMBERS', 'i'],
      ['SMOVE', 's', 'd', 'b'],
      ['SMOVE', 'd', 'i', 'b'],
      ['SMOVE', 'i', 'i', '1'],
      ['SMOVE', 'nokey', 'i', '1'],
      ['SMOVE', 'i', 'x', 'zz'],
      ['SMOVE', 'i', 'x', '1'],
      ['SMOVE', 'i', 'x', '2'],
      ['SPOP', 'nokey'],
      ['SPOP', 'nokey', '3'],
      ['SPOP', 'x', '0'],
      ['SPOP', 'i', '2'],
      ['SPOP', 'i'],
      ['SPOP', 'x', '10'],
      ['SRANDMEMBER', 'i'],
      ['SRANDMEMBER', 'i', '2'],
      ['SRANDMEMBER', 'nokey', '2'],
      ['SINTER', 'i', 'nokey', 's'],
      ['SINTER', 'i', 'ahash'],
      ['SUNION', 'i', 'nokey', 'i'],
      ['SDIFF', 'i', 'nokey'],
      ['SINTERCARD', '2', 'i', 'i'],
      ['SINTERSTORE', 'st', 'i', 'i'],
      ['SINTERSTORE', 'st', 'i', 'nokey'],
      ['SINTERSTORE', 'st', 'i', 'nokey'],
      ['SUNIONSTORE', 'st', 'i', 'nokey'],
      ['SDIFFSTORE', 'st', 'i', 'i'],
      ['SDIFFSTORE', 'st', 'i', 'i'],
      ['SSCAN', 'i', '0'],
      ['SSCAN', 'nokey', '0'],
    ];
    // Random pops make the contents differ; counters do not depend on which members went.
    await sameWithCounters(pair, cmds, { normalize: shape });
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
      const setup: Cmd[] = [['SADD', 'w', '1', '2', '3'], ['SADD', 'o', 'x']];
      const cases: Cmd[] = [
        ['SADD', 'w', '1'],
        ['SADD', 'w', '4'],
        ['SREM', 'w', '9'],
        ['SREM', 'w', '1'],
        ['SMOVE', 'w', 'o', '9'],
        ['SMOVE', 'w', 'o', '1'],
        ['SMOVE', 'o', 'w', 'x'],
        ['SMOVE', 'o', 'w', 'zz'],
        ['SMOVE', 'w', 'w', '1'],
        ['SPOP', 'w'],
        ['SPOP', 'w', '0'],
        ['SPOP', 'w', '1'],
        ['SPOP', 'w', '3'],
        ['SRANDMEMBER', 'w', '2'],
        ['SINTERSTORE', 'w', 'o', 'o'],
        ['SINTERSTORE', 'w', 'nokey'],
        ['SUNIONSTORE', 'w', 'nokey'],
        ['SDIFFSTORE', 'w', 'o', 'o'],
        ['SINTERSTORE', 'o', 'w', 'w'],
        ['SMEMBERS', 'w'],
      ];
      for (const c of cases) {
        await pair.r.call('DEL', 'w', 'o');
        db.flush();
        await both(setup);
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
  const keys = ['s1', 's2', 's3', 'ahash'];
  const key = fc.constantFrom(...keys);
  const member = fc.oneof(
    fc.constantFrom('a', 'b', 'c', '', 'long-member', '007', '-0', '9223372036854775807', '-9223372036854775808', '9223372036854775808'),
    fc.integer({ min: -20, max: 20 }).map(String),
  );
  const members = fc.array(member, { minLength: 1, maxLength: 5 });
  const keyList = fc.array(key, { minLength: 1, maxLength: 3 });
  const command: fc.Arbitrary<Cmd> = fc.oneof(
    { weight: 4, arbitrary: fc.tuple(key, members).map(([k, ms]) => ['SADD', k, ...ms]) },
    { weight: 2, arbitrary: fc.tuple(key, members).map(([k, ms]) => ['SREM', k, ...ms]) },
    { weight: 1, arbitrary: key.map((k) => ['SCARD', k]) },
    { weight: 1, arbitrary: fc.tuple(key, member).map(([k, m]) => ['SISMEMBER', k, m]) },
    { weight: 1, arbitrary: fc.tuple(key, members).map(([k, ms]) => ['SMISMEMBER', k, ...ms]) },
    { weight: 2, arbitrary: key.map((k) => ['SMEMBERS', k]) },
    { weight: 2, arbitrary: fc.tuple(key, key, member).map(([a, b, m]) => ['SMOVE', a, b, m]) },
    { weight: 1, arbitrary: fc.tuple(key, fc.constantFrom('1000', '0', '-1', 'x')).map(([k, n]) => ['SPOP', k, n]) },
    { weight: 1, arbitrary: fc.tuple(key, fc.constantFrom<string[]>([], ['3'], ['-4'], ['100'], ['0'])).map(([k, o]) => ['SRANDMEMBER', k, ...o]) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom('SINTER', 'SUNION', 'SDIFF'), keyList).map(([c, ks]) => [c, ...ks]) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom('SINTERSTORE', 'SUNIONSTORE', 'SDIFFSTORE'), key, keyList).map(([c, d, ks]) => [c, d, ...ks]) },
    {
      weight: 1,
      arbitrary: fc.tuple(keyList, fc.constantFrom<string[]>([], ['LIMIT', '1'], ['LIMIT', '0'])).map(([ks, o]) => ['SINTERCARD', String(ks.length), ...ks, ...o]),
    },
    { weight: 1, arbitrary: key.map((k) => ['SSCAN', k, '0', 'COUNT', '1000']) },
    { weight: 1, arbitrary: fc.tuple(key, fc.constantFrom('f', 'g')).map(([k, f]) => ['HSET', k, f, 'v']) },
  );

  /** Random replies by shape, unordered ones as sets (exact order is checked for intsets below). */
  const normalize = (v: RespValue, c: Cmd): RespValue => {
    const name = String(c[0]).toUpperCase();
    if (name === 'SRANDMEMBER' && c[2] !== '100') return shape(v);
    if (name === 'SSCAN' && v.t === 'array') return { t: 'array', v: [v.v[0]!, sorted(v.v[1]!)] };
    if (['SMEMBERS', 'SINTER', 'SUNION', 'SDIFF', 'SPOP', 'SRANDMEMBER'].includes(name)) return sorted(v);
    return v;
  };

  async function run(limit: string, seed: number): Promise<void> {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 5, maxLength: 40 }), async (cmds) => {
        await reset();
        await configure({ 'set-max-intset-entries': limit });
        const problems: string[] = [];
        for (const c of [...cmds, ...keys.map((k): Cmd => ['SMEMBERS', k])]) {
          const [a, b] = await Promise.all([pair.r.call(...c), pair.e.call(...c)]);
          let exact = false;
          if (c[0] === 'SMEMBERS' || c[0] === 'SSCAN') {
            // Encodings agree at every read, and an intset's reply must match in order too.
            const [re, ee] = await encodings(String(c[1]));
            if (re !== ee) problems.push(`after ${c.join(' ')}: encoding redis ${re} engine ${ee}`);
            exact = re === 'intset';
          }
          const [na, nb] = exact ? [a, b] : [normalize(a, c), normalize(b, c)];
          if (show(na) !== show(nb)) problems.push(`${c.join(' ')}\n  redis:  ${show(na)}\n  engine: ${show(nb)}`);
        }
        for (const k of keys) {
          const [r, e] = await encodings(k);
          if (r !== e) problems.push(`encoding of ${k}: redis ${r} engine ${e}`);
        }
        expect(problems).toEqual([]);
      }),
      { seed, numRuns: 150 },
    );
  }

  it('default limit: replies, intset order and encodings agree with Redis', async () => {
    await run('512', 8080);
  });

  it('tiny limit: conversions and stored encodings agree with Redis', async () => {
    await run('3', 5150);
  });
});
