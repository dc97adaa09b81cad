// Bitmap commands (SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD, BITFIELD_RO) compared with a
// real redis-server 7.0: edge cases from bitops.tcl / bitfield.tcl, int64 range extremes, errors,
// generated strings, ranges and BITFIELD operation lists, dirty / keyspace counters, WATCH signals
// and keyspace notifications.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diff, same, sameWithCounters, startPair, type Cmd, type Pair } from '../../helpers/differential.js';
import { RespClient } from '../../helpers/resp-client.js';

let pair: Pair;
beforeAll(async () => {
  pair = await startPair();
});
afterAll(async () => {
  await pair?.stop();
});

describe('SETBIT / GETBIT', () => {
  it('answer edge cases and errors as Redis', async () => {
    await same(pair, [
      ['SETBIT', 'b', '7', '1'],
      ['GET', 'b'],
      ['SETBIT', 'b', '7', '0'],
      ['GETBIT', 'b', '7'],
      ['GETBIT', 'b', '100000'],
      ['GETBIT', 'none', '3'],
      ['SET', 's', 'abc'],
      ['SETBIT', 's', '1', '0'],
      ['GET', 's'],
      ['OBJECT', 'ENCODING', 's'],
      ['SET', 'i', '1234'],
      ['GETBIT', 'i', '2'],
      ['SETBIT', 'i', '3', '1'],
      ['GET', 'i'],
      ['OBJECT', 'ENCODING', 'i'],
      ['SETBIT', 'b', '-1', '1'],
      ['SETBIT', 'b', '4294967296', '1'],
      ['SETBIT', 'b', 'x', '1'],
      ['SETBIT', 'b', '1', '2'],
      ['SETBIT', 'b', '1', '-1'],
      ['SETBIT', 'b', '1', 'a'],
      ['GETBIT', 'b', '-1'],
      ['LPUSH', 'l', 'x'],
      ['SETBIT', 'l', '1', '1'],
      ['GETBIT', 'l', '1'],
      ['SETBIT', 'b'],
      ['GETBIT', 'b'],
    ]);
  });

  it('match Redis on generated sequences', async () => {
    const cmdArb = fc.oneof(
      fc.tuple(fc.constant('SETBIT'), fc.constantFrom('x', 'y'), fc.nat(200).map(String), fc.constantFrom('0', '1')),
      fc.tuple(fc.constant('GETBIT'), fc.constantFrom('x', 'y'), fc.nat(220).map(String)),
      fc.tuple(fc.constant('GET'), fc.constantFrom('x', 'y')),
      fc.tuple(fc.constant('STRLEN'), fc.constantFrom('x', 'y')),
    );
    const seqs = fc.sample(fc.array(cmdArb, { minLength: 5, maxLength: 40 }), { numRuns: 30, seed: 99 });
    const problems: string[] = [];
    for (const seq of seqs) {
      await same(pair, [['DEL', 'x', 'y']]);
      problems.push(...(await diff(pair, seq as Cmd[])));
    }
    expect(problems).toEqual([]);
  });
});

// --- BITCOUNT, BITPOS, BITOP, BITFIELD, BITFIELD_RO ---------------------------------------------------

const I64_EDGES = ['9223372036854775807', '-9223372036854775808', '-9223372036854775807', '9223372036854775808', '0', '-1'];

describe('BITCOUNT / BITPOS', () => {
  it('answer edge cases and errors as Redis', async () => {
    await same(pair, [
      ['DEL', 's', 'z', 'i', 'e', 'l'],
      ['SET', 's', 'foobar'],
      ['SET', 'z', '\u0000\u0000\u0000'],
      ['SET', 'f', '\u00ff\u00ff\u00ff'],
      ['SET', 'i', '12345'],
      ['SET', 'e', ''],
      ['RPUSH', 'l', 'x'],
      ['BITCOUNT', 's'],
      ['BITCOUNT', 's', '1', '1'],
      ['BITCOUNT', 's', '1', '-2'],
      ['BITCOUNT', 's', '-1', '-5'],
      ['BITCOUNT', 's', '-1', '-5', 'FOO'],
      ['BITCOUNT', 's', '5', '30', 'BIT'],
      ['BITCOUNT', 's', '5', '30', 'bit'],
      ['BITCOUNT', 's', '0', '0', 'BYTE'],
      ['BITCOUNT', 's', '-13', '-2', 'BIT'],
      ['BITCOUNT', 's', '7', '7', 'BIT'],
      ['BITCOUNT', 's', '100', '200'],
      ['BITCOUNT', 's', '0'],
      ['BITCOUNT', 's', '0', '1', 'BIT', 'x'],
      ['BITCOUNT', 's', 'a', '1'],
      ['BITCOUNT', 's', '1', 'b'],
      ['BITCOUNT', 's', '0', '1', 'FOO'],
      ['BITCOUNT', 'nokey', 'a', 'b', 'c'],
      ['BITCOUNT', 'nokey', '0'],
      ['BITCOUNT', 'i'],
      ['BITCOUNT', 'e'],
      ['BITCOUNT', 'l'],
      ...I64_EDGES.flatMap((a) => I64_EDGES.map((b) => ['BITCOUNT', 's', a, b])),
      ['BITCOUNT', 's', '-9223372036854775807', '-9223372036854775808', 'BIT'],
      ['BITPOS', 's', '1'],
      ['BITPOS', 's', '0'],
      ['BITPOS', 'z', '1'],
      ['BITPOS', 'z', '0'],
      ['BITPOS', 'f', '0'],
      ['BITPOS', 'f', '0', '0', '-1'],
      ['BITPOS', 'f', '0', '1'],
      ['BITPOS', 'f', '1', '1', '1'],
      ['BITPOS', 'nokey', '0'],
      ['BITPOS', 'nokey', '1'],
      ['BITPOS', 'nokey', '2'],
      ['BITPOS', 'nokey', 'x'],
      ['BITPOS', 'e', '0'],
      ['BITPOS', 'e', '1'],
      ['BITPOS', 'l', '1'],
      ['BITPOS', 's', '1', '2', '-1', 'BIT'],
      ['BITPOS', 's', '1', '7', '15', 'BIT'],
      ['BITPOS', 's', '0', '7', '15', 'bit'],
      ['BITPOS', 'f', '0', '3', '20', 'BIT'],
      ['BITPOS', 'z', '1', '3', '20', 'BIT'],
      ['BITPOS', 's', '1', '1', '2', 'FOO'],
      ['BITPOS', 's', '1', '1', 'x'],
      ['BITPOS', 's', '1', '1', '2', 'BIT', 'x'],
      ['BITPOS', 's', '3'],
      ['BITPOS', 'i', '1', '1'],
      ...I64_EDGES.flatMap((a) => I64_EDGES.map((b) => ['BITPOS', 'f', '0', a, b, 'BIT'])),
    ]);
  });

  it('match Redis on generated strings and ranges', async () => {
    const bytes = fc.array(fc.constantFrom(0, 255, 1, 128, 0x0f, 0xf0, 0x55), { maxLength: 40 }).map((a) => String.fromCharCode(...a));
    const idx = fc.integer({ min: -340, max: 340 }).map(String);
    const samples = fc.sample(fc.tuple(bytes, idx, idx, fc.constantFrom(0, 1), fc.constantFrom('BIT', 'BYTE')), { seed: 21, numRuns: 150 });
    const cmds: Cmd[] = [];
    for (const [v, a, b, bit, unit] of samples) {
      cmds.push(['SET', 'g', Buffer.from(v, 'latin1')]);
      cmds.push(['BITCOUNT', 'g'], ['BITCOUNT', 'g', a, b], ['BITCOUNT', 'g', a, b, unit]);
      cmds.push(['BITPOS', 'g', String(bit)], ['BITPOS', 'g', String(bit), a], ['BITPOS', 'g', String(bit), a, b], ['BITPOS', 'g', String(bit), a, b, unit]);
    }
    expect((await diff(pair, cmds)).slice(0, 5)).toEqual([]);
  });
});

describe('BITOP', () => {
  it('answers, stores and errs as Redis', async () => {
    await sameWithCounters(pair, [
      ['FLUSHALL'],
      ['SET', 'a', 'foobar'],
      ['SET', 'b', 'abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnop'],
      ['SET', 'i', '1234'],
      ['SET', 'e', ''],
      ['RPUSH', 'l', 'x'],
      ['BITOP', 'AND', 'd', 'a', 'b'],
      ['GET', 'd'],
      ['OBJECT', 'ENCODING', 'd'],
      ['BITOP', 'or', 'd', 'a', 'b', 'nokey'],
      ['GET', 'd'],
      ['BITOP', 'XOR', 'd', 'a', 'b', 'i'],
      ['GET', 'd'],
      ['BITOP', 'NOT', 'd', 'a'],
      ['GET', 'd'],
      ['BITOP', 'NOT', 'd', 'a', 'b'],
      ['BITOP', 'NOT', 'd', 'e'],
      ['EXISTS', 'd'],
      ['BITOP', 'AND', 'd', 'nokey'],
      ['BITOP', 'AND', 'a', 'a'],
      ['GET', 'a'],
      ['BITOP', 'AND', 'd', 'a', 'l'],
      ['BITOP', 'FOO', 'd', 'a'],
      ['BITOP', 'constructor', 'd', 'a'],
      ['BITOP', 'AND', 'd'],
      ['SET', 'd', 'x', 'EX', '100'],
      ['BITOP', 'OR', 'd', 'a'],
      ['TTL', 'd'],
      ['BITOP', 'OR', 'x', 'a', 'e'],
      ['GET', 'x'],
    ]);
  });

  it('matches Redis on generated operands', async () => {
    const str = fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 70 }).map((a) => Buffer.from(a));
    const samples = fc.sample(fc.tuple(fc.constantFrom('AND', 'OR', 'XOR', 'NOT'), str, str, str), { seed: 8, numRuns: 60 });
    const cmds: Cmd[] = [];
    for (const [op, x, y, z] of samples) {
      cmds.push(['DEL', 'x', 'y', 'z'], ['SET', 'x', x], ['SET', 'y', y], ['SET', 'z', z]);
      cmds.push(op === 'NOT' ? ['BITOP', op, 'r', 'y'] : ['BITOP', op, 'r', 'x', 'y', 'z'], ['GET', 'r'], ['STRLEN', 'r']);
    }
    expect((await diff(pair, cmds)).slice(0, 5)).toEqual([]);
  });
});

describe('BITFIELD / BITFIELD_RO', () => {
  it('answer the bitfield.tcl cases and errors as Redis', async () => {
    await sameWithCounters(pair, [
      ['FLUSHALL'],
      ['BITFIELD', 'bits', 'SET', 'i8', '0', '-100'],
      ['BITFIELD', 'bits', 'SET', 'i8', '0', '101'],
      ['BITFIELD', 'bits', 'GET', 'i8', '0'],
      ['BITFIELD', 'bits', 'SET', 'u8', '0', '255'],
      ['BITFIELD', 'bits', 'SET', 'u8', '0', '100'],
      ['BITFIELD', 'bits', 'SET', 'u8', '0', '100'],
      ['BITFIELD', 'bits', 'SET', 'i8', '0', '255', 'GET', 'u8', '0'],
      ['BITFIELD', 'bits', 'SET', 'u8', '0', '255', 'INCRBY', 'u8', '0', '100', 'GET', 'u8', '0'],
      ['BITFIELD', 'bits'],
      ['BITFIELD', 'nokey'],
      ['BITFIELD', 'bits', 'SET', 'u8', '#0', '65', 'SET', 'u8', '#1', '66', 'SET', 'u8', '#2', '67'],
      ['GET', 'bits'],
      ['BITFIELD', 'bits', 'INCRBY', 'i5', '100', '1', 'GET', 'u4', '0'],
      ['BITFIELD', 'bits', 'OVERFLOW', 'WRAP', 'INCRBY', 'u2', '102', '1', 'INCRBY', 'u2', '102', '1', 'INCRBY', 'u2', '102', '1'],
      ['BITFIELD', 'bits', 'OVERFLOW', 'SAT', 'INCRBY', 'u2', '102', '1', 'INCRBY', 'u2', '102', '-10'],
      ['BITFIELD', 'bits', 'OVERFLOW', 'FAIL', 'INCRBY', 'u2', '102', '5', 'SET', 'u2', '102', '7', 'GET', 'u2', '102'],
      ['BITFIELD', 'bits', 'OVERFLOW', 'WRAP', 'SET', 'i8', '0', '127', 'INCRBY', 'i8', '0', '1', 'INCRBY', 'i8', '0', '-1'],
      ['BITFIELD', 'bits', 'OVERFLOW', 'SAT', 'SET', 'i8', '0', '-1000', 'SET', 'i8', '0', '1000', 'INCRBY', 'i8', '0', '-1000'],
      ['BITFIELD', 'bits', 'OVERFLOW', 'SAT', 'SET', 'i8', '0', '-9223372036854775808', 'GET', 'i8', '0'],
      ['BITFIELD', 'bits', 'OVERFLOW', 'SAT', 'SET', 'i64', '0', '-9223372036854775808', 'INCRBY', 'i64', '0', '-1', 'INCRBY', 'i64', '0', '9223372036854775807'],
      ['BITFIELD', 'bits', 'OVERFLOW', 'WRAP', 'INCRBY', 'i64', '0', '-9223372036854775808', 'INCRBY', 'i64', '0', '-9223372036854775808'],
      ['BITFIELD', 'bits', 'SET', 'u63', '3', '9223372036854775807', 'INCRBY', 'u63', '3', '9223372036854775807', 'OVERFLOW', 'SAT', 'INCRBY', 'u63', '3', '-9223372036854775808'],
      ['BITFIELD', 'bits', 'SET', 'u8', '0', '-1', 'OVERFLOW', 'FAIL', 'SET', 'u8', '0', '-1', 'SET', 'u8', '0', '256'],
      ['BITFIELD', 'bits', 'GET', 'u8', '1000', 'GET', 'i64', '5', 'GET', 'u1', '#3'],
      ['BITFIELD', 'bits', 'GET', 'u64', '0'],
      ['BITFIELD', 'bits', 'GET', 'i65', '0'],
      ['BITFIELD', 'bits', 'GET', 'i0', '0'],
      ['BITFIELD', 'bits', 'GET', 'x8', '0'],
      ['BITFIELD', 'bits', 'GET', '', '0'],
      ['BITFIELD', 'bits', 'GET', 'i08', '0'],
      ['BITFIELD', 'bits', 'GET', 'u8\u0000zz', '0'],
      ['BITFIELD', 'bits', 'GET', 'u8', '-1'],
      ['BITFIELD', 'bits', 'GET', 'u8', '#-1'],
      ['BITFIELD', 'bits', 'GET', 'u8', '#'],
      ['BITFIELD', 'bits', 'GET', 'u8', '4294967296'],
      ['BITFIELD', 'bits', 'GET', 'u8', '#536870912'],
      ['BITFIELD', 'bits', 'GET', 'u8', '#1152921504606846976'],
      ['BITFIELD', 'bits', 'GET', 'u8'],
      ['BITFIELD', 'bits', 'SET', 'u8', '0'],
      ['BITFIELD', 'bits', 'SET', 'u8', '0', 'x'],
      ['BITFIELD', 'bits', 'INCRBY', 'u8', '0', '1.5'],
      ['BITFIELD', 'bits', 'OVERFLOW', 'FOO', 'GET', 'u8', '0'],
      ['BITFIELD', 'bits', 'OVERFLOW'],
      ['BITFIELD', 'bits', 'FOO'],
      ['BITFIELD', 'bits', 'GET', 'u8', '0', 'SET', 'x8', '0', '1'],
      ['BITFIELD_RO', 'bits'],
      ['BITFIELD_RO', 'bits', 'GET', 'u8', '0', 'GET', 'i4', '#1'],
      ['BITFIELD_RO', 'bits', 'GET', 'u8', '0', 'SET', 'u8', '0', '1'],
      ['BITFIELD_RO', 'bits', 'INCRBY', 'u8', '0', 'x'],
      ['BITFIELD_RO', 'nokey', 'GET', 'u8', '0'],
      ['RPUSH', 'l', 'x'],
      ['BITFIELD', 'l', 'GET', 'u8', '0'],
      ['BITFIELD', 'l', 'SET', 'u8', '0', '1'],
      ['BITFIELD_RO', 'l', 'GET', 'u8', '0'],
      ['SET', 'n', '123'],
      ['BITFIELD', 'n', 'GET', 'u8', '0', 'SET', 'u8', '0', '50'],
      ['GET', 'n'],
      ['OBJECT', 'ENCODING', 'n'],
      ['BITFIELD', 'fresh', 'OVERFLOW', 'FAIL', 'SET', 'u4', '100', '99'],
      ['GET', 'fresh'],
      ['BITFIELD', 'fresh', 'SET', 'u4', '200', '0'],
      ['GET', 'fresh'],
    ]);
  });

  it('match Redis on generated operation lists (overflow fuzz)', async () => {
    const type = fc.oneof(fc.integer({ min: 1, max: 64 }).map((n) => `i${n}`), fc.integer({ min: 1, max: 63 }).map((n) => `u${n}`));
    const num = fc.oneof(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.integer({ min: -300, max: 300 }).map(BigInt)).map(String);
    const off = fc.oneof(fc.nat(100).map(String), fc.nat(10).map((n) => `#${n}`));
    const op = fc.oneof(
      fc.tuple(fc.constant('GET'), type, off),
      fc.tuple(fc.constant('SET'), type, off, num),
      fc.tuple(fc.constant('INCRBY'), type, off, num),
      fc.tuple(fc.constant('OVERFLOW'), fc.constantFrom('WRAP', 'SAT', 'FAIL')),
    );
    const samples = fc.sample(fc.array(op, { minLength: 1, maxLength: 6 }), { seed: 17, numRuns: 200 });
    const cmds: Cmd[] = [['DEL', 'bf']];
    for (const ops of samples) cmds.push(['BITFIELD', 'bf', ...ops.flat()], ['GET', 'bf']);
    expect((await diff(pair, cmds)).slice(0, 5)).toEqual([]);
  });
});

describe('bitmap side effects', () => {
  it('count dirty and keyspace hits/misses as Redis (SETBIT/BITFIELD only on change)', async () => {
    await sameWithCounters(pair, [
      ['FLUSHALL'],
      ['SETBIT', 'k', '0', '1'],
      ['SETBIT', 'k', '0', '1'],
      ['SETBIT', 'k', '0', '0'],
      ['SETBIT', 'k', '100', '0'],
      ['SETBIT', 'k', '100', '0'],
      ['BITFIELD', 'k', 'SET', 'u8', '0', '255'],
      ['BITFIELD', 'k', 'SET', 'u8', '0', '255'],
      ['BITFIELD', 'k', 'SET', 'u8', '0', '255', 'SET', 'u8', '8', '1', 'INCRBY', 'u8', '8', '0'],
      ['BITFIELD', 'k', 'SET', 'u8', '1000', '0'],
      ['BITFIELD', 'k', 'GET', 'u8', '0'],
      ['BITFIELD_RO', 'nokey', 'GET', 'u8', '0'],
      ['BITCOUNT', 'k'],
      ['BITCOUNT', 'nokey'],
      ['BITPOS', 'k', '1'],
      ['BITPOS', 'nokey', '1'],
      ['BITOP', 'AND', 'd', 'k', 'nokey'],
      ['BITOP', 'AND', 'd', 'nokey'],
      ['BITOP', 'AND', 'd', 'nokey'],
      ['GETBIT', 'k', '0'],
      ['GETBIT', 'nokey', '0'],
    ]);
  });

  it('signal WATCH and publish keyspace events as Redis', async () => {
    const cases: Cmd[] = [
      ['SETBIT', 'w', '3', '1'],
      ['SETBIT', 'w', '3', '1'],
      ['BITFIELD', 'w', 'SET', 'u8', '0', '16'],
      ['BITFIELD', 'w', 'SET', 'u8', '0', '16'],
      ['BITFIELD', 'w', 'GET', 'u8', '0'],
      ['BITOP', 'NOT', 'w', 'w'],
      ['BITOP', 'AND', 'w', 'nokey'],
      ['BITOP', 'AND', 'w', 'nokey'],
    ];
    for (const c of cases) await same(pair, [['WATCH', 'w'], c, ['MULTI'], ['PING'], ['EXEC']]);
    const events: string[][] = [];
    const MARK = '__keyspace@0__:~end~';
    for (const [port, c] of [[pair.redis.port, pair.r], [pair.engine.port, pair.e]] as const) {
      await c.call('FLUSHALL');
      await c.call('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
      const sub = await RespClient.connect(port);
      await sub.call('PSUBSCRIBE', '__key*__:*');
      for (const cmd of cases) await c.call(...cmd);
      await c.call('PUBLISH', MARK, 'x');
      const got: string[] = [];
      for (;;) {
        const v = await sub.read(5000);
        const parts = v.t === 'array' || v.t === 'push' ? v.v.map((x) => (x.t === 'bulk' ? x.v : '?')) : [];
        if (parts[0] !== 'pmessage' || parts[2] === MARK || got.length > 100) break;
        got.push(`${parts[2]} ${parts[3]}`);
      }
      sub.close();
      await c.call('CONFIG', 'SET', 'notify-keyspace-events', '');
      events.push(got);
    }
    expect(events[1]).toEqual(events[0]);
  });
});
