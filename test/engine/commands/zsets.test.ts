// The sorted-set family compared with a real redis-server 7.0: every command in both encodings,
// error texts and their precedence, score parsing (inf, -0, hex, exclusive "(" ends, empty
// strings), lex ranges, LIMIT quirks, RESP3 reply shapes, listpack -> skiplist conversion and the
// STORE commands' destination encodings, WATCH and dirty counters, blocking pops with several
// clients on both servers, and generated command sequences.
//
// CONFIG may not exist in the engine while it is being built, so the thresholds are set with
// CONFIG SET on Redis and straight into the engine's config (pair.engine.engine).

import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { diff, same, show, sortedPairs, startPair, type Cmd, type Pair, resetPair, configurePair, sameDirty } from '../../helpers/differential.js';
import { RespClient } from '../../helpers/resp-client.js';
import type { Engine } from '../../../src/engine/engine.js';
import type { RespValue } from '../../../src/formats/resp/reply-parser.js';

let pair: Pair;
let engine: Engine;

const DEFAULTS: Record<string, string> = { 'zset-max-listpack-entries': '128', 'zset-max-listpack-value': '64' };
const ENCODINGS: Array<[string, Record<string, string>]> = [
  ['listpack', DEFAULTS],
  ['skiplist', { 'zset-max-listpack-entries': '0', 'zset-max-listpack-value': '64' }],
];

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

async function expectEncoding(key: string, expected: string | null): Promise<void> {
  const r = text(await pair.r.call('OBJECT', 'ENCODING', key));
  const o = engine.dbs[0]!.peek(key);
  expect(r, `redis encoding of ${key}`).toBe(expected);
  expect(o === undefined ? null : o.enc, `engine encoding of ${key}`).toBe(expected);
}

/** Runs commands on a fresh RESP3 connection to each server and compares every reply. */
async function sameResp3(cmds: Cmd[]): Promise<void> {
  const r = await RespClient.connect(pair.redis.port);
  const e = await RespClient.connect(pair.engine.port);
  try {
    await r.call('HELLO', '3');
    await e.call('HELLO', '3');
    for (const c of cmds) {
      const [a, b] = [await r.call(...c), await e.call(...c)];
      expect(show(b), `RESP3 ${c.join(' ')}`).toBe(show(a));
    }
  } finally {
    r.close();
    e.close();
  }
}

/** ZSCAN of a skiplist pages in hash order, which differs: compare its pairs sorted. */
function scanOrder(v: RespValue, c: Cmd): RespValue {
  if (c[0] !== 'ZSCAN' || v.t !== 'array' || v.v[1]?.t !== 'array') return v;
  return { t: 'array', v: [v.v[0]!, sortedPairs(v.v[1]!)] };
}

const big = (prefix: string, n: number, score = (i: number) => i): Cmd => {
  const args: Array<string | number> = [];
  for (let i = 0; i < n; i++) args.push(score(i), `${prefix}${i}`);
  return ['ZADD', prefix, ...args];
};

for (const [encoding, config] of ENCODINGS) {
  describe(`sorted sets, ${encoding} encoding`, () => {
    beforeEach(async () => {
      await configure(config);
    });

    it('ZADD: flags, replies, errors and their order', async () => {
      await same(pair, [
        ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'],
        ['ZADD', 'z', '1', 'a', '5', 'b', '0', 'd'],
        ['ZADD', 'z', 'CH', '1', 'a', '6', 'b', '0', 'e'],
        ['ZADD', 'z', 'nx', '100', 'a', '7', 'f'],
        ['ZADD', 'z', 'xx', '100', 'a', '7', 'g'],
        ['ZADD', 'z', 'XX', 'CH', '101', 'a', '7', 'g'],
        ['ZADD', 'z', 'GT', 'CH', '50', 'a', '200', 'b', '9', 'h'],
        ['ZADD', 'z', 'LT', 'CH', '60', 'a', '1', 'b', '9', 'i'],
        ['ZADD', 'z', 'GT', 'XX', 'CH', '1000', 'a', '1', 'zz'],
        ['ZADD', 'z', 'LT', 'XX', '-5', 'a', '1', 'zz'],
        ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
        ['ZADD', 'z', 'INCR', '5', 'a'],
        ['ZADD', 'z', 'INCR', 'NX', '5', 'a'],
        ['ZADD', 'z', 'INCR', 'XX', '5', 'nosuch'],
        ['ZADD', 'z', 'INCR', 'GT', '-1', 'a'],
        ['ZADD', 'z', 'INCR', 'LT', '-1', 'a'],
        ['ZADD', 'z', 'INCR', 'GT', '1', 'a'],
        ['ZADD', 'z', 'INCR', 'NX', '5', 'new'],
        ['ZADD', 'z', 'CH', 'INCR', '0', 'a'],
        ['ZADD', 'z', 'INCR', '1', 'a', '2', 'b'],
        ['ZADD', 'z', 'NX', 'XX', '1', 'a'],
        ['ZADD', 'z', 'NX', 'GT', '1', 'a'],
        ['ZADD', 'z', 'NX', 'LT', '1', 'a'],
        ['ZADD', 'z', 'GT', 'LT', '1', 'a'],
        ['ZADD', 'z', 'GT', 'LT', '1', 'a', '2'],
        ['ZADD', 'z', '1'],
        ['ZADD', 'z', 'NX'],
        ['ZADD', 'z', 'XX', 'NX'],
        ['ZADD', 'z', 'nan', 'a'],
        ['ZADD', 'z', '1', 'a', 'abc', 'b'],
        ['ZADD', 'z', '', 'a'],
        ['ZADD', 'z', ' 1', 'a'],
        ['ZADD', 'z', '1 ', 'a'],
        ['ZADD', 'z', '1e400', 'a'],
        ['ZADD', 'z', '1e-400', 'a'],
        ['ZADD', 'z', '0e-400', 'zero'],
        ['ZADD', 'z', '1e-310', 'tiny'],
        ['ZADD', 'z', '0x10', 'hex', '0X1p-2', 'hexf', '+3', 'plus', '.5', 'dot', '5.', 'dot2', '-inf', 'ninf', 'INFINITY', 'pinf'],
        ['ZADD', 'z', '1\x002', 'nul'],
        ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
        ['ZADD', 'z', 'INCR', '+inf', 'pinf'],
        ['ZADD', 'z', 'INCR', '-inf', 'pinf'],
        ['ZINCRBY', 'z', '-inf', 'pinf'],
        ['ZADD', 'z', 'GT', 'INCR', 'inf', 'pinf'],
        ['ZADD', 'nokey', 'XX', '1', 'a'],
        ['EXISTS', 'nokey'],
        ['ZADD', 'nokey', 'XX', 'INCR', '1', 'a'],
        ['ZADD', 'nokey', 'GT', '1', 'a'],
        ['ZADD', 'fresh', 'INCR', '-0', 'm'],
        ['ZSCORE', 'fresh', 'm'],
        ['ZADD', 'fresh2', '-0', 'm', '0', 'n'],
        ['ZRANGE', 'fresh2', '0', '-1', 'WITHSCORES'],
        ['ZSCAN', 'fresh2', '0'],
      ], { normalize: scanOrder });
    });

    it('ZINCRBY and doubles as Redis prints them', async () => {
      await same(pair, [
        ['ZINCRBY', 'z', '1.1', 'a'],
        ['ZINCRBY', 'z', '2.2', 'a'],
        ['ZINCRBY', 'z', '-3.3', 'a'],
        ['ZINCRBY', 'z', '1e17', 'b'],
        ['ZINCRBY', 'z', '0.1', 'c'],
        ['ZINCRBY', 'z', '1e-5', 'd'],
        ['ZINCRBY', 'z', '123456789.123456789', 'e'],
        ['ZINCRBY', 'z', '-0', 'f'],
        ['ZINCRBY', 'z', '0', 'f'],
        ['ZINCRBY', 'z', '1.7976931348623157e308', 'g'],
        ['ZINCRBY', 'z', '1.7976931348623157e308', 'g'],
        ['ZINCRBY', 'z', 'inf', 'h'],
        ['ZINCRBY', 'z', '-inf', 'h'],
        ['ZINCRBY', 'z', 'abc', 'h'],
        ['ZINCRBY', 'z', 'nx', 'h'],
        ['ZINCRBY', 'z', 'xx', 'h'],
        ['ZINCRBY', 'z', '', 'h'],
        ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
        ['ZSCORE', 'z', 'a'],
        ['ZMSCORE', 'z', 'a', 'b', 'nosuch', 'g', 'h'],
      ]);
    });

    it('ZREM, ZCARD, ZSCORE, ZMSCORE, ZRANK, ZREVRANK', async () => {
      await same(pair, [
        ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '3', 'bb', '-1', ''],
        ['ZCARD', 'z'],
        ['ZCARD', 'nokey'],
        ['ZSCORE', 'z', 'c'],
        ['ZSCORE', 'z', 'nosuch'],
        ['ZSCORE', 'nokey', 'a'],
        ['ZMSCORE', 'z', 'a', 'x', ''],
        ['ZMSCORE', 'nokey', 'a', 'b'],
        ['ZMSCORE', 'z'],
        ['ZRANK', 'z', ''],
        ['ZRANK', 'z', 'bb'],
        ['ZRANK', 'z', 'c'],
        ['ZREVRANK', 'z', 'c'],
        ['ZREVRANK', 'z', ''],
        ['ZRANK', 'z', 'nosuch'],
        ['ZRANK', 'nokey', 'a'],
        ['ZREM', 'z', 'a', 'nosuch', 'a'],
        ['ZREM', 'nokey', 'a'],
        ['ZRANK', 'z', 'b'],
        ['ZREM', 'z', 'b', 'c', 'bb', '', 'after'],
        ['EXISTS', 'z'],
        ['ZCARD', 'z'],
        ['ZREM', 'z'],
      ]);
    });

    it('ZCOUNT and ZLEXCOUNT with every kind of bound', async () => {
      await same(pair, [
        ['ZADD', 'z', '-inf', 'm0', '1', 'a', '2', 'b', '2', 'c', '3', 'd', '+inf', 'm9'],
        ...[
          ['-inf', '+inf'], ['1', '2'], ['(1', '2'], ['1', '(2'], ['(1', '(3'], ['(2', '(2'], ['2', '2'], ['3', '1'],
          ['-inf', '-inf'], ['inf', 'inf'], ['(-inf', '(inf'], ['', '2'], ['(', '2'], [' 2', '3'], ['0x2', '3'],
          ['1e0', '2E0'], ['2\x00junk', '3'], ['abc', '1'], ['1', 'nan'], ['(nan', '1'], ['1 ', '2'], ['((1', '2'],
        ].map(([a, b]) => ['ZCOUNT', 'z', a!, b!] as Cmd),
        ['ZCOUNT', 'nokey', '0', '1'],
        ['ZCOUNT', 'nokey', 'x', '1'],
        ['ZADD', 'l', '0', 'a', '0', 'b', '0', 'c', '0', 'd', '0', 'e', '0', 'aa', '0', '', '0', 'b\x00'],
        ...[
          ['-', '+'], ['[a', '[c'], ['(a', '(c'], ['[b', '(b'], ['[b', '[b'], ['(b', '(b'], ['[c', '[a'], ['-', '(c'],
          ['(b', '+'], ['+', '-'], ['-', '-'], ['+', '+'], ['[', '[b'], ['(', '+'], ['[b\x00', '+'], ['a', '[b'],
          ['[a', 'b'], ['-a', '+'], ['[a', '+b'], ['', '+'],
        ].map(([a, b]) => ['ZLEXCOUNT', 'l', a!, b!] as Cmd),
        ['ZLEXCOUNT', 'nokey', '-', '+'],
        ['ZLEXCOUNT', 'nokey', 'x', '+'],
      ]);
    });

    it('ZRANGE by rank, ZREVRANGE, and argument errors', async () => {
      await same(pair, [
        ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e'],
        ...[
          ['0', '-1'], ['1', '3'], ['-2', '-1'], ['-100', '100'], ['3', '1'], ['5', '10'], ['-1', '-2'], ['0', '0'],
          ['-6', '-5'], ['9223372036854775807', '-1'], ['-9223372036854775808', '2'],
        ].flatMap(([a, b]) => [
          ['ZRANGE', 'z', a!, b!] as Cmd,
          ['ZRANGE', 'z', a!, b!, 'WITHSCORES'] as Cmd,
          ['ZRANGE', 'z', a!, b!, 'REV', 'withscores'] as Cmd,
          ['ZREVRANGE', 'z', a!, b!] as Cmd,
          ['ZREVRANGE', 'z', a!, b!, 'WITHSCORES'] as Cmd,
        ]),
        ['ZRANGE', 'z', 'a', '1'],
        ['ZRANGE', 'z', '0', '1.5'],
        ['ZRANGE', 'z', '0', '9223372036854775808'],
        ['ZRANGE', 'z', '0', '-1', 'LIMIT', '0', '1'],
        ['ZRANGE', 'z', '0', '-1', 'LIMIT', '0'],
        ['ZRANGE', 'z', '0', '-1', 'LIMIT', 'x', '1'],
        ['ZRANGE', 'z', '0', '-1', 'BYLEX', 'WITHSCORES'],
        ['ZRANGE', 'z', '0', '-1', 'BYSCORE', 'BYLEX'],
        ['ZRANGE', 'z', '0', '-1', 'BYSCORE', 'BYSCORE'],
        ['ZRANGE', 'z', '0', '-1', 'REV', 'REV'],
        ['ZRANGE', 'z', '0', '-1', 'FOO'],
        ['ZRANGE', 'z', '0', '-1', 'WITHSCORES', 'WITHSCORES'],
        ['ZREVRANGE', 'z', '0', '-1', 'BYSCORE'],
        ['ZREVRANGE', 'z', '0', '-1', 'REV'],
        ['ZREVRANGE', 'z', '0', '-1', 'LIMIT', '0', '1'],
        ['ZRANGEBYSCORE', 'z', '0', '-1', 'REV'],
        ['ZRANGEBYSCORE', 'z', '0', '-1', 'BYLEX'],
        ['ZRANGEBYLEX', 'z', '-', '+', 'WITHSCORES'],
        ['ZRANGE', 'nokey', '0', '-1'],
        ['ZRANGE', 'nokey', 'x', '-1'],
        ['ZRANGE', 'nokey', '0', '-1', 'BYSCORE'],
      ]);
    });

    it('ZRANGE BYSCORE / ZRANGEBYSCORE / ZREVRANGEBYSCORE with LIMIT quirks', async () => {
      const ranges: Array<[string, string]> = [
        ['-inf', '+inf'], ['2', '4'], ['(2', '4'], ['2', '(4'], ['(2', '(4'], ['4', '2'], ['(3', '(3'], ['3', '3'],
        ['', '3'], ['-inf', '(-inf'], ['+inf', '+inf'], ['0x1', '0x3'], ['1e0', '1E1'],
      ];
      const limits: string[][] = [[], ['LIMIT', '0', '2'], ['LIMIT', '1', '-1'], ['LIMIT', '2', '0'], ['LIMIT', '-1', '2'], ['LIMIT', '100', '1'], ['LIMIT', '0', '-5']];
      const cmds: Cmd[] = [['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '3', 'c2', '4', 'd', '5', 'e', '-inf', 'ninf', 'inf', 'pinf']];
      for (const [a, b] of ranges) {
        for (const lim of limits) {
          cmds.push(['ZRANGEBYSCORE', 'z', a, b, ...lim]);
          cmds.push(['ZRANGEBYSCORE', 'z', a, b, 'WITHSCORES', ...lim]);
          cmds.push(['ZREVRANGEBYSCORE', 'z', b, a, ...lim, 'WITHSCORES']);
          cmds.push(['ZRANGE', 'z', a, b, 'BYSCORE', ...lim]);
          cmds.push(['ZRANGE', 'z', b, a, 'BYSCORE', 'REV', 'WITHSCORES', ...lim]);
        }
      }
      cmds.push(
        ['ZRANGEBYSCORE', 'z', 'x', '1'],
        ['ZRANGEBYSCORE', 'z', '1', 'nan'],
        ['ZRANGEBYSCORE', 'z', '1', '2', 'LIMIT', '1'],
        ['ZRANGEBYSCORE', 'z', '1', '2', 'LIMIT', 'a', 'b'],
        ['ZRANGEBYSCORE', 'z', '1', '2', 'LIMIT', '1', '1', 'LIMIT', '0', '3'],
        ['ZRANGEBYSCORE', 'z', '1', '2', 'WITHSCORES', 'LIMIT', '0', '1', 'WITHSCORES'],
        ['ZRANGEBYSCORE', 'nokey', '1', '2'],
        ['ZREVRANGEBYSCORE', 'z', '1', '5'],
      );
      await same(pair, cmds);
    });

    it('ZRANGE BYLEX / ZRANGEBYLEX / ZREVRANGEBYLEX', async () => {
      const ranges: Array<[string, string]> = [
        ['-', '+'], ['[b', '[d'], ['(b', '[d'], ['[b', '(d'], ['(b', '(b'], ['[b', '[b'], ['[d', '[b'], ['-', '(c'],
        ['(c', '+'], ['+', '-'], ['[', '+'], ['(', '(b'], ['[aa', '[b'],
      ];
      const limits: string[][] = [[], ['LIMIT', '0', '2'], ['LIMIT', '1', '-1'], ['LIMIT', '2', '0'], ['LIMIT', '-1', '1'], ['LIMIT', '10', '1']];
      const cmds: Cmd[] = [['ZADD', 'z', '0', 'a', '0', 'b', '0', 'c', '0', 'd', '0', 'e', '0', 'aa', '0', '', '0', 'b\x00', '0', '\xff']];
      for (const [a, b] of ranges) {
        for (const lim of limits) {
          cmds.push(['ZRANGEBYLEX', 'z', a, b, ...lim]);
          cmds.push(['ZREVRANGEBYLEX', 'z', b, a, ...lim]);
          cmds.push(['ZRANGE', 'z', a, b, 'BYLEX', ...lim]);
          cmds.push(['ZRANGE', 'z', b, a, 'BYLEX', 'REV', ...lim]);
        }
      }
      cmds.push(
        ['ZRANGEBYLEX', 'z', 'a', '+'],
        ['ZRANGEBYLEX', 'z', '-', 'b'],
        ['ZRANGEBYLEX', 'z', '-x', '+'],
        ['ZRANGEBYLEX', 'z', '', '+'],
        ['ZRANGEBYLEX', 'nokey', '-', '+'],
        ['ZRANGEBYLEX', 'nokey', 'x', '+'],
      );
      await same(pair, cmds);
    });

    it('lex ranges over members with different scores follow the listpack walk', async () => {
      // Redis's answer here depends on how it walks the set; with a listpack it is a linear scan.
      if (encoding !== 'listpack') return;
      await same(pair, [
        ['ZADD', 'z', '1', 'd', '2', 'a', '3', 'c', '4', 'b', '5', 'e'],
        ['ZRANGEBYLEX', 'z', '[b', '[d'],
        ['ZREVRANGEBYLEX', 'z', '[d', '[b'],
        ['ZLEXCOUNT', 'z', '[b', '[d'],
        ['ZLEXCOUNT', 'z', '-', '(c'],
        ['ZRANGEBYLEX', 'z', '(a', '+', 'LIMIT', '1', '2'],
        ['ZREMRANGEBYLEX', 'z', '[a', '[c'],
        ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
      ]);
    });

    it('ZRANGESTORE: ranges, empty results, missing and wrong sources', async () => {
      await sameDirty(pair, [
        ['ZADD', 'src', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '-0', 'nz'],
        ['ZRANGESTORE', 'dst', 'src', '0', '-1'],
        ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'],
        ['ZRANGESTORE', 'dst', 'src', '1', '2'],
        ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'],
        ['ZRANGESTORE', 'dst', 'src', '(1', '+inf', 'BYSCORE', 'LIMIT', '1', '2'],
        ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'],
        ['ZRANGESTORE', 'dst', 'src', '+inf', '(1', 'BYSCORE', 'REV', 'LIMIT', '0', '2'],
        ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'],
        ['ZADD', 'lex', '0', 'a', '0', 'b', '0', 'c', '0', 'd'],
        ['ZRANGESTORE', 'dst', 'lex', '[b', '+', 'BYLEX'],
        ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'],
        ['ZRANGESTORE', 'dst', 'src', '0', '-1', 'REV'],
        ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'],
        ['ZRANGESTORE', 'dst', 'src', '5', '10'],
        ['EXISTS', 'dst'],
        ['ZRANGESTORE', 'dst', 'src', '0', '-1'],
        ['ZRANGESTORE', 'dst', 'nokey', '0', '-1'],
        ['EXISTS', 'dst'],
        ['ZRANGESTORE', 'dst', 'nokey', '0', '-1'],
        ['ZRANGESTORE', 'dst', 'lex', '[x', '+', 'BYLEX'],
        ['ZRANGESTORE', 'dst', 'src', '10', '20', 'BYSCORE'],
        ['SET', 'str', 'x'],
        ['ZRANGESTORE', 'dst', 'str', '0', '-1'],
        ['ZRANGESTORE', 'str', 'src', '0', '0'],
        ['TYPE', 'str'],
        ['ZRANGESTORE', 'dst', 'src', '0', '-1', 'WITHSCORES'],
        ['ZRANGESTORE', 'dst', 'src', '0', '-1', 'LIMIT', '0', '1'],
        ['ZRANGESTORE', 'dst', 'src', 'x', '-1'],
        ['ZRANGESTORE', 'src', 'src', '0', '1'],
        ['ZRANGE', 'src', '0', '-1', 'WITHSCORES'],
      ]);
    });

    it('ZREMRANGEBYRANK, ZREMRANGEBYSCORE, ZREMRANGEBYLEX', async () => {
      await sameDirty(pair, [
        ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e', '6', 'f'],
        ['ZREMRANGEBYRANK', 'z', '5', '1'],
        ['ZREMRANGEBYRANK', 'z', '10', '20'],
        ['ZREMRANGEBYRANK', 'z', '-1', '-1'],
        ['ZREMRANGEBYRANK', 'z', '0', '0'],
        ['ZRANGE', 'z', '0', '-1'],
        ['ZREMRANGEBYRANK', 'z', '-100', '1'],
        ['ZRANGE', 'z', '0', '-1'],
        ['ZREMRANGEBYRANK', 'z', 'a', '1'],
        ['ZREMRANGEBYRANK', 'z', '0', '100'],
        ['EXISTS', 'z'],
        ['ZREMRANGEBYRANK', 'z', '0', '1'],
        ['ZREMRANGEBYRANK', 'z', 'x', '1'],
        ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e', '6', 'f', 'inf', 'p'],
        ['ZREMRANGEBYSCORE', 'z', '(2', '(2'],
        ['ZREMRANGEBYSCORE', 'z', '5', '3'],
        ['ZREMRANGEBYSCORE', 'z', '(1', '2'],
        ['ZREMRANGEBYSCORE', 'z', '(4', '5'],
        ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
        ['ZREMRANGEBYSCORE', 'z', 'inf', '+inf'],
        ['ZREMRANGEBYSCORE', 'z', 'x', '1'],
        ['ZREMRANGEBYSCORE', 'z', '-inf', '+inf'],
        ['EXISTS', 'z'],
        ['ZADD', 'l', '0', 'a', '0', 'b', '0', 'c', '0', 'd', '0', 'e'],
        ['ZREMRANGEBYLEX', 'l', '(a', '(b'],
        ['ZREMRANGEBYLEX', 'l', '[b', '(d'],
        ['ZREMRANGEBYLEX', 'l', '[d', '[b'],
        ['ZRANGE', 'l', '0', '-1'],
        ['ZREMRANGEBYLEX', 'l', 'a', '+'],
        ['ZREMRANGEBYLEX', 'l', '(d', '+'],
        ['ZREMRANGEBYLEX', 'l', '-', '+'],
        ['EXISTS', 'l'],
        ['ZREMRANGEBYLEX', 'nokey', '-', '+'],
        ['ZREMRANGEBYLEX', 'nokey', 'x', '+'],
        ['ZREMRANGEBYSCORE', 'nokey', '-inf', '+inf'],
      ]);
    });

    it('ZUNION / ZINTER / ZDIFF and their STORE forms, with sets, weights and aggregates', async () => {
      await sameDirty(pair, [
        ['ZADD', 'z1', '1', 'a', '2', 'b', '3', 'c'],
        ['ZADD', 'z2', '1', 'b', '2', 'c', '3', 'd'],
        ['ZADD', 'z3', '-inf', 'a', 'inf', 'b', '5', 'x'],
        ['SADD', 's1', 'a', 'd', 'e', '1', '2'],
        ['SADD', 's2', 'b', 'c', 'z'],
        ['ZUNION', '2', 'z1', 'z2'],
        ['ZUNION', '2', 'z1', 'z2', 'WITHSCORES'],
        ['ZUNION', '3', 'z1', 'z2', 's1', 'WITHSCORES'],
        ['ZUNION', '2', 'z1', 'z2', 'WEIGHTS', '2', '3', 'WITHSCORES'],
        ['ZUNION', '2', 'z1', 'z2', 'AGGREGATE', 'MIN', 'WITHSCORES'],
        ['ZUNION', '2', 'z1', 'z2', 'aggregate', 'max', 'withscores', 'weights', '1', '-1'],
        ['ZUNION', '2', 'z1', 'z3', 'WITHSCORES'],
        ['ZUNION', '2', 'z3', 'z3', 'WITHSCORES'],
        ['ZUNION', '2', 'z1', 'z3', 'WEIGHTS', '0', '0', 'WITHSCORES'],
        ['ZUNION', '2', 'z1', 'z3', 'WEIGHTS', 'inf', '-inf', 'WITHSCORES'],
        ['ZUNION', '2', 'z3', 'z1', 'WEIGHTS', '-inf', 'inf', 'AGGREGATE', 'MAX', 'WITHSCORES'],
        ['ZUNION', '3', 'z1', 'nokey', 's2', 'WITHSCORES'],
        ['ZINTER', '2', 'z1', 'z2', 'WITHSCORES'],
        ['ZINTER', '2', 'z1', 's2', 'WITHSCORES'],
        ['ZINTER', '2', 's1', 's2', 'WITHSCORES'],
        ['ZINTER', '3', 'z1', 'z2', 's2', 'WEIGHTS', '1', '2', '3', 'WITHSCORES'],
        ['ZINTER', '2', 'z1', 'z3', 'WITHSCORES'],
        ['ZINTER', '2', 'z1', 'z3', 'WEIGHTS', '0', '1', 'WITHSCORES'],
        ['ZINTER', '2', 'z3', 'z3', 'WEIGHTS', '1', '-1', 'WITHSCORES'],
        ['ZINTER', '2', 'z3', 'z3', 'WEIGHTS', '1', '-1', 'AGGREGATE', 'MIN', 'WITHSCORES'],
        ['ZINTER', '2', 'z1', 'nokey'],
        ['ZINTER', '2', 'z1', 'z2', 'AGGREGATE', 'MIN', 'WITHSCORES'],
        ['ZINTERCARD', '2', 'z1', 'z2'],
        ['ZINTERCARD', '2', 'z1', 'z2', 'LIMIT', '1'],
        ['ZINTERCARD', '2', 'z1', 'z2', 'LIMIT', '0'],
        ['ZINTERCARD', '2', 'z1', 's2', 'LIMIT', '10'],
        ['ZINTERCARD', '1', 'nokey'],
        ['ZINTERCARD', '2', 'z1', 'z2', 'LIMIT', '-1'],
        ['ZINTERCARD', '2', 'z1', 'z2', 'LIMIT', 'x'],
        ['ZINTERCARD', '2', 'z1', 'z2', 'WITHSCORES'],
        ['ZINTERCARD', '2', 'z1', 'z2', 'WEIGHTS', '1', '2'],
        ['ZINTERCARD', '0', 'z1'],
        ['ZINTERCARD', '3', 'z1', 'z2'],
        ['ZDIFF', '2', 'z1', 'z2', 'WITHSCORES'],
        ['ZDIFF', '2', 'z1', 's1', 'WITHSCORES'],
        ['ZDIFF', '2', 's1', 'z1', 'WITHSCORES'],
        ['ZDIFF', '2', 'z1', 'z1'],
        ['ZDIFF', '1', 'z3', 'WITHSCORES'],
        ['ZDIFF', '2', 'nokey', 'z1'],
        ['ZDIFF', '2', 'z1', 'z2', 'WEIGHTS', '1', '1'],
        ['ZDIFF', '2', 'z1', 'z2', 'AGGREGATE', 'SUM'],
        ['ZUNIONSTORE', 'dst', '2', 'z1', 'z2'],
        ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'],
        ['ZUNIONSTORE', 'dst', '3', 'z1', 's1', 'z3', 'WEIGHTS', '2', '0.5', '1', 'AGGREGATE', 'MAX'],
        ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'],
        ['ZINTERSTORE', 'dst', '2', 'z1', 'z2', 'AGGREGATE', 'MIN'],
        ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'],
        ['ZINTERSTORE', 'dst', '2', 'z1', 'nokey'],
        ['EXISTS', 'dst'],
        ['ZINTERSTORE', 'dst', '2', 'z1', 'nokey'],
        ['ZDIFFSTORE', 'dst', '2', 'z1', 'z2'],
        ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'],
        ['ZDIFFSTORE', 'z1', '2', 'z1', 'z2'],
        ['ZRANGE', 'z1', '0', '-1', 'WITHSCORES'],
        ['ZUNIONSTORE', 'dst', '2', 'z1', 'z2', 'WITHSCORES'],
        ['ZUNIONSTORE', 'dst', '0', 'z1'],
        ['ZUNIONSTORE', 'dst', '-1', 'z1'],
        ['ZUNIONSTORE', 'dst', 'x', 'z1'],
        ['ZUNIONSTORE', 'dst', '3', 'z1', 'z2'],
        ['ZUNION', '0', 'z1'],
        ['ZINTER', '0', 'z1'],
        ['ZDIFF', '0', 'z1'],
        ['ZUNION', '2', 'z1', 'z2', 'WEIGHTS', '1'],
        ['ZUNION', '2', 'z1', 'z2', 'WEIGHTS', '1', 'x'],
        ['ZUNION', '2', 'z1', 'z2', 'WEIGHTS', '1', 'nan'],
        ['ZUNION', '2', 'z1', 'z2', 'AGGREGATE', 'AVG'],
        ['ZUNION', '2', 'z1', 'z2', 'AGGREGATE'],
        ['ZUNION', '2', 'z1', 'z2', 'FOO'],
        ['SET', 'str', 'x'],
        ['ZUNION', '2', 'z1', 'str'],
        ['ZUNION', '2', 'z1', 'str', 'WEIGHTS', 'x', 'y'],
        ['ZINTERSTORE', 'dst', '2', 'str', 'z1'],
        ['ZUNIONSTORE', 'str', '1', 'z2'],
        ['TYPE', 'str'],
      ]);
    });

    it('ZUNIONSTORE keeps adding floats in Redis order (smallest input first)', async () => {
      await same(pair, [
        ['ZADD', 'a', '0.1', 'm', '0.2', 'x', '0.3', 'y'],
        ['ZADD', 'b', '0.2', 'm'],
        ['ZADD', 'c', '0.3', 'm', '1', 'n'],
        ['ZUNION', '3', 'a', 'b', 'c', 'WITHSCORES'],
        ['ZUNION', '3', 'c', 'a', 'b', 'WITHSCORES'],
        ['ZINTER', '3', 'a', 'c', 'b', 'WITHSCORES'],
        ['ZUNION', '3', 'a', 'b', 'c', 'WEIGHTS', '1e308', '1e308', '-1e308', 'WITHSCORES'],
        ['ZINTER', '3', 'c', 'a', 'b', 'WEIGHTS', '1e308', '1e308', '-1e308', 'WITHSCORES'],
      ]);
    });

    it('ZPOPMIN, ZPOPMAX, ZMPOP', async () => {
      await sameDirty(pair, [
        ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e'],
        ['ZPOPMIN', 'z'],
        ['ZPOPMAX', 'z'],
        ['ZPOPMIN', 'z', '2'],
        ['ZPOPMIN', 'z', '0'],
        ['ZPOPMIN', 'z', '-1'],
        ['ZPOPMIN', 'z', 'x'],
        ['ZPOPMIN', 'z', '1', '2'],
        ['ZPOPMAX', 'z', '100'],
        ['EXISTS', 'z'],
        ['ZPOPMIN', 'z'],
        ['ZPOPMIN', 'z', '0'],
        ['ZPOPMAX', 'z', '3'],
        ['ZADD', 'z1', '1', 'a', '2', 'b', '3', 'c'],
        ['ZADD', 'z2', '4', 'd'],
        ['ZMPOP', '2', 'nokey', 'z1', 'MIN'],
        ['ZMPOP', '2', 'nokey', 'z1', 'max', 'COUNT', '10'],
        ['ZMPOP', '2', 'z1', 'z2', 'MIN', 'COUNT', '1'],
        ['ZMPOP', '1', 'nokey', 'MIN'],
        ['ZMPOP', '1', 'z2', 'MIN', 'COUNT', '0'],
        ['ZMPOP', '1', 'z2', 'MIN', 'COUNT', '-1'],
        ['ZMPOP', '1', 'z2', 'MIN', 'COUNT', 'x'],
        ['ZMPOP', '1', 'z2', 'MIN', 'COUNT', '1', 'COUNT', '1'],
        ['ZMPOP', '1', 'z2', 'MIN', 'COUNT'],
        ['ZMPOP', '1', 'z2', 'MIN', 'FOO'],
        ['ZMPOP', '1', 'z2', 'BOTH'],
        ['ZMPOP', '2', 'z2', 'MIN'],
        ['ZMPOP', '0', 'z2', 'MIN'],
        ['ZMPOP', '-1', 'z2', 'MIN'],
        ['ZMPOP', 'x', 'z2', 'MIN'],
        ['ZMPOP', '3', 'z2', 'MIN'],
        ['SET', 'str', 'x'],
        ['ZMPOP', '2', 'nokey', 'str', 'MIN'],
        ['ZMPOP', '2', 'z2', 'str', 'MIN'],
        ['ZPOPMIN', 'str'],
        ['ZPOPMIN', 'str', '0'],
      ]);
    });

    it('ZRANDMEMBER: whole-set answers, errors, and the shape of random ones', async () => {
      await same(pair, [
        ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '-0', 'd', 'inf', 'e'],
        ['ZRANDMEMBER', 'z', '5'],
        ['ZRANDMEMBER', 'z', '6', 'WITHSCORES'],
        ['ZRANDMEMBER', 'z', '100', 'withscores'],
        ['ZRANDMEMBER', 'z', '0'],
        ['ZRANDMEMBER', 'z', '0', 'WITHSCORES'],
        ['ZRANDMEMBER', 'nokey'],
        ['ZRANDMEMBER', 'nokey', '5'],
        ['ZRANDMEMBER', 'nokey', '-5', 'WITHSCORES'],
        ['ZRANDMEMBER', 'z', 'x'],
        ['ZRANDMEMBER', 'z', '1', 'FOO'],
        ['ZRANDMEMBER', 'z', '1', 'WITHSCORES', 'x'],
        ['ZRANDMEMBER', 'z', '-9223372036854775808'],
        ['ZRANDMEMBER', 'z', '-9223372036854775807', 'WITHSCORES'],
        ['ZRANDMEMBER', 'z', '4611686018427387904', 'WITHSCORES'],
        ['ZRANDMEMBER', 'z', '-4611686018427387904', 'WITHSCORES'],
        ['ZRANDMEMBER', 'z', '9223372036854775808'],
        ['ZRANDMEMBER', 'nokey', 'x'],
      ]);
      // Random answers: same length, members of the set, unique when the count is positive.
      const members = new Set(['a', 'b', 'c', 'd', 'e']);
      const scores: Record<string, string> = { a: '1', b: '2', c: '3', d: encoding === 'listpack' ? '0' : '-0', e: 'inf' };
      for (const args of [['1'], ['3'], ['-3'], ['-20'], ['2', 'WITHSCORES'], ['-8', 'WITHSCORES'], ['4', 'WITHSCORES'], []]) {
        for (const client of [pair.r, pair.e]) {
          const v = await client.call('ZRANDMEMBER', 'z', ...args);
          if (args.length === 0) {
            expect(v.t === 'bulk' && members.has(v.v)).toBe(true);
            continue;
          }
          expect(v.t).toBe('array');
          if (v.t !== 'array') continue;
          const n = Math.abs(Number(args[0]));
          const withscores = args.length === 2;
          const items = v.v.map((x) => (x.t === 'bulk' ? x.v : '?'));
          expect(items.length).toBe(withscores ? n * 2 : Number(args[0]) > 0 ? Math.min(n, 5) : n);
          const picked = withscores ? items.filter((_, i) => i % 2 === 0) : items;
          for (const m of picked) expect(members.has(m)).toBe(true);
          if (withscores) for (let i = 0; i < items.length; i += 2) expect(items[i + 1]).toBe(scores[items[i]!]);
          if (Number(args[0]) > 0) expect(new Set(picked).size).toBe(picked.length);
        }
      }
    });

    it('ZRANDMEMBER samples of a listpack come out in set order when the set is 3x the count', async () => {
      await same(pair, [big('r', 30, (i) => 30 - i)]);
      for (const client of [pair.r, pair.e]) {
        for (let t = 0; t < 20; t++) {
          const v = await client.call('ZRANDMEMBER', 'r', '5', 'WITHSCORES');
          if (v.t !== 'array') throw new Error(show(v));
          const scores = v.v.filter((_, i) => i % 2 === 1).map((x) => Number(x.t === 'bulk' ? x.v : NaN));
          expect(new Set(scores).size).toBe(5);
          const ascending = scores.every((x, i) => i === 0 || x > scores[i - 1]!);
          // Only a listpack keeps sample order; a skiplist sample comes in draw order.
          if (encoding === 'listpack') expect(ascending, `${client === pair.r ? 'redis' : 'engine'}: ${scores}`).toBe(true);
        }
      }
    });

    it('ZSCAN: listpacks in one call with listpack score texts, skiplists by cursor', async () => {
      await same(pair, [
        ['ZADD', 'z', '1', 'a', '1.5', 'b', '-0', 'c', '1e17', 'd', 'inf', 'e', '4611686018427387904', 'f', '4611686018427387905', 'g', '0.1', 'h'],
        ['ZSCAN', 'nokey', '0'],
        ['ZSCAN', 'nokey', 'x'],
        ['ZSCAN', 'z', 'x'],
        ['ZSCAN', 'z', ' 0'],
        ['ZSCAN', 'z', ''],
        ['ZSCAN', 'z', '+0'],
        ['ZSCAN', 'z', '-'],
        ['ZSCAN', 'z', '18446744073709551616'],
        ['ZSCAN', 'nokey', ''],
        ['ZSCAN', 'z', '0', 'COUNT', '0'],
        ['ZSCAN', 'z', '0', 'COUNT', 'x'],
        ['ZSCAN', 'z', '0', 'COUNT'],
        ['ZSCAN', 'z', '0', 'FOO', 'bar'],
        ['ZSCAN', 'z', '0', 'TYPE', 'zset'],
        ['SET', 'str', 'x'],
        ['ZSCAN', 'str', '0'],
        ['ZSCAN', 'str', 'x'],
      ], { normalize: scanOrder });
      const full = async (client: RespClient, extra: string[]): Promise<string[]> => {
        const seen: string[] = [];
        let cursor = '0';
        for (let guard = 0; guard < 1000; guard++) {
          const v = await client.call('ZSCAN', 'z', cursor, ...extra);
          if (v.t !== 'array' || v.v[0]!.t !== 'bulk' || v.v[1]!.t !== 'array') throw new Error(`bad ZSCAN reply ${show(v)}`);
          cursor = v.v[0]!.v;
          const items = v.v[1]!.v.map((x) => (x.t === 'bulk' ? x.v : '?'));
          for (let i = 0; i < items.length; i += 2) seen.push(`${items[i]}=${items[i + 1]}`);
          if (cursor === '0') break;
        }
        return [...new Set(seen)].sort();
      };
      for (const extra of [[], ['COUNT', '2'], ['MATCH', '[a-d]'], ['MATCH', '*', 'COUNT', '3']]) {
        expect(await full(pair.e, extra)).toEqual(await full(pair.r, extra));
      }
      await same(pair, [big('zbig', 200, (i) => i / 4)]);
      for (const extra of [[], ['COUNT', '7'], ['MATCH', 'zbig1*']]) {
        const scan = async (client: RespClient) => {
          const seen = new Set<string>();
          let cursor = '0';
          do {
            const v = await client.call('ZSCAN', 'zbig', cursor, ...extra);
            if (v.t !== 'array' || v.v[0]!.t !== 'bulk' || v.v[1]!.t !== 'array') throw new Error('bad reply');
            cursor = v.v[0]!.v;
            const items = v.v[1]!.v.map((x) => (x.t === 'bulk' ? x.v : '?'));
            for (let i = 0; i < items.length; i += 2) seen.add(`${items[i]}=${items[i + 1]}`);
          } while (cursor !== '0');
          return [...seen].sort();
        };
        expect(await scan(pair.e)).toEqual(await scan(pair.r));
      }
    });

    it('WRONGTYPE from every command, and arity errors', async () => {
      const cmds: Cmd[] = [['SET', 's', 'x'], ['ZADD', 'z', '1', 'a']];
      const onString: Cmd[] = [
        ['ZADD', 's', '1', 'a'], ['ZADD', 's', 'XX', '1', 'a'], ['ZINCRBY', 's', '1', 'a'], ['ZREM', 's', 'a'], ['ZCARD', 's'],
        ['ZSCORE', 's', 'a'], ['ZMSCORE', 's', 'a'], ['ZRANK', 's', 'a'], ['ZREVRANK', 's', 'a'], ['ZCOUNT', 's', '0', '1'],
        ['ZLEXCOUNT', 's', '-', '+'], ['ZRANGE', 's', '0', '1'], ['ZRANGEBYSCORE', 's', '0', '1'], ['ZREVRANGEBYSCORE', 's', '1', '0'],
        ['ZRANGEBYLEX', 's', '-', '+'], ['ZREVRANGEBYLEX', 's', '+', '-'], ['ZREVRANGE', 's', '0', '1'], ['ZREMRANGEBYRANK', 's', '0', '1'],
        ['ZREMRANGEBYSCORE', 's', '0', '1'], ['ZREMRANGEBYLEX', 's', '-', '+'], ['ZUNION', '1', 's'], ['ZINTER', '2', 'z', 's'],
        ['ZDIFF', '2', 'z', 's'], ['ZINTERCARD', '1', 's'], ['ZUNIONSTORE', 'd', '1', 's'], ['ZPOPMIN', 's'], ['ZPOPMAX', 's', '2'],
        ['ZMPOP', '1', 's', 'MIN'], ['BZPOPMIN', 's', '0'], ['BZPOPMAX', 's', '0'], ['BZMPOP', '0', '1', 's', 'MAX'],
        ['ZRANDMEMBER', 's'], ['ZRANDMEMBER', 's', '2'], ['ZSCAN', 's', '0'], ['ZRANGESTORE', 'd', 's', '0', '1'],
        // Parse errors come first when the arguments are bad.
        ['ZADD', 's', 'x', 'a'], ['ZCOUNT', 's', 'x', '1'], ['ZRANGE', 's', 'x', '1'], ['ZSCAN', 's', 'x'],
        ['ZRANGEBYLEX', 's', 'x', '+'], ['ZREMRANGEBYRANK', 's', 'x', '1'], ['BZPOPMIN', 's', 'x'], ['ZPOPMIN', 's', 'x'],
      ];
      const arity: Cmd[] = [
        ['ZADD', 'z', '1'], ['ZINCRBY', 'z', '1'], ['ZREM', 'z'], ['ZCARD'], ['ZSCORE', 'z'], ['ZMSCORE', 'z'], ['ZRANK', 'z'],
        ['ZREVRANK', 'z', 'a', 'b'], ['ZCOUNT', 'z', '1'], ['ZLEXCOUNT', 'z'], ['ZRANGE', 'z', '0'], ['ZRANGESTORE', 'd', 'z', '0'],
        ['ZRANGEBYSCORE', 'z', '0'], ['ZREVRANGE', 'z'], ['ZREMRANGEBYRANK', 'z', '0'], ['ZUNION', '1'], ['ZUNIONSTORE', 'd', '1'],
        ['ZINTERCARD', '1'], ['ZPOPMIN'], ['ZMPOP', '1', 'z'], ['BZPOPMIN', 'z'], ['BZMPOP', '0', '1', 'z'], ['ZRANDMEMBER'],
        ['ZSCAN', 'z'],
      ];
      await same(pair, [...cmds, ...onString, ...arity]);
    });
  });
}

describe('RESP3 reply shapes', () => {
  it('doubles, nulls, WITHSCORES pairs, pops and ZMPOP', async () => {
    await sameResp3([
      ['ZADD', 'z', '1.5', 'a', '2', 'b', '3', 'c', 'inf', 'd', '-inf', 'e', '-0', 'f'],
      ['ZSCORE', 'z', 'a'],
      ['ZSCORE', 'z', 'd'],
      ['ZSCORE', 'z', 'e'],
      ['ZSCORE', 'z', 'nosuch'],
      ['ZSCORE', 'nokey', 'a'],
      ['ZMSCORE', 'z', 'a', 'nosuch', 'e'],
      ['ZMSCORE', 'nokey', 'a'],
      ['ZRANK', 'z', 'nosuch'],
      ['ZRANK', 'nokey', 'a'],
      ['ZINCRBY', 'z', '1', 'a'],
      ['ZADD', 'z', 'INCR', '1', 'a'],
      ['ZADD', 'z', 'INCR', 'NX', '1', 'a'],
      ['ZRANGE', 'z', '0', '-1'],
      ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
      ['ZRANGE', 'z', '-inf', '+inf', 'BYSCORE', 'WITHSCORES', 'LIMIT', '1', '2'],
      ['ZRANGEBYSCORE', 'z', '-inf', '+inf', 'WITHSCORES'],
      ['ZREVRANGEBYSCORE', 'z', '+inf', '-inf', 'WITHSCORES'],
      ['ZREVRANGE', 'z', '0', '2', 'WITHSCORES'],
      ['ZRANGE', 'nokey', '0', '-1', 'WITHSCORES'],
      ['ZUNION', '1', 'z', 'WITHSCORES'],
      ['ZINTER', '1', 'z', 'WITHSCORES'],
      ['ZDIFF', '1', 'z', 'WITHSCORES'],
      ['ZUNION', '1', 'nokey', 'WITHSCORES'],
      ['ZRANDMEMBER', 'z', '10', 'WITHSCORES'],
      ['ZRANDMEMBER', 'nokey'],
      ['ZRANDMEMBER', 'nokey', '3'],
      ['ZSCAN', 'z', '0'],
      ['ZPOPMIN', 'z'],
      ['ZPOPMIN', 'z', '1'],
      ['ZPOPMAX', 'z', '2'],
      ['ZPOPMIN', 'z', '0'],
      ['ZPOPMIN', 'nokey'],
      ['ZPOPMIN', 'nokey', '2'],
      ['ZMPOP', '1', 'z', 'MIN'],
      ['ZMPOP', '1', 'z', 'MAX', 'COUNT', '5'],
      ['ZMPOP', '1', 'nokey', 'MIN'],
      ['BZPOPMIN', 'nokey', '0.01'],
      ['BZMPOP', '0.01', '1', 'nokey', 'MIN'],
      ['ZADD', 'y', '1', 'a'],
      ['BZPOPMAX', 'y', '0'],
      ['ZADD', 'y', '1', 'a', '2', 'b'],
      ['BZMPOP', '0', '1', 'y', 'MAX', 'COUNT', '5'],
    ]);
  });
});

describe('encodings', () => {
  it('listpack becomes skiplist past the entry and value limits, and never goes back', async () => {
    await configure({ 'zset-max-listpack-entries': '4', 'zset-max-listpack-value': '8' });
    await same(pair, [['ZADD', 'a', '1', 'a', '2', 'b', '3', 'c', '4', 'd']]);
    await expectEncoding('a', 'listpack');
    await same(pair, [['ZADD', 'a', '5', 'e']]);
    await expectEncoding('a', 'skiplist');
    await same(pair, [['ZREM', 'a', 'a', 'b', 'c'], ['ZCARD', 'a']]);
    await expectEncoding('a', 'skiplist');
    await same(pair, [['ZADD', 'b', '1', 'abcdefgh']]);
    await expectEncoding('b', 'listpack');
    await same(pair, [['ZADD', 'b', '1', 'abcdefghi']]);
    await expectEncoding('b', 'skiplist');
    await same(pair, [['ZADD', 'c', '1', 'abcdefghi', '2', 'x']]);
    await expectEncoding('c', 'skiplist');
    await same(pair, [['ZADD', 'd', '1', 'x', '2', 'abcdefghi']]);
    await expectEncoding('d', 'skiplist');
    // Updating a long member's score or re-adding existing ones converts nothing.
    await same(pair, [['ZADD', 'e', '1', 'a', '2', 'b', '3', 'c', '4', 'd'], ['ZADD', 'e', '9', 'a', '8', 'b'], ['ZINCRBY', 'e', '1', 'c']]);
    await expectEncoding('e', 'listpack');
    // ZADD XX / NX that adds nothing, INCR creating a member.
    await same(pair, [['ZADD', 'e', 'XX', '1', 'new'], ['ZINCRBY', 'e', '1', 'new']]);
    await expectEncoding('e', 'skiplist');
    await configure({ 'zset-max-listpack-entries': '0' });
    await same(pair, [['ZADD', 'f', '1', 'a'], ['ZINCRBY', 'g', '1', 'a']]);
    await expectEncoding('f', 'skiplist');
    await expectEncoding('g', 'skiplist');
  });

  it('STORE destinations: ZRANGESTORE by rank sizes up front, the others convert back when small', async () => {
    await configure({ 'zset-max-listpack-entries': '1', 'zset-max-listpack-value': '8' });
    await same(pair, [
      ['ZADD', 'src', '1', 'a', '2', 'b', '3', 'abcdefghijk'],
      ['ZRANGESTORE', 'r1', 'src', '0', '0'],
      ['ZRANGESTORE', 'r2', 'src', '0', '1'],
      ['ZRANGESTORE', 'r3', 'src', '1', '2', 'BYSCORE', 'LIMIT', '0', '1'],
      ['ZRANGESTORE', 'r4', 'src', '2', '3', 'BYSCORE'],
      ['ZRANGESTORE', 'r5', 'src', '-inf', '+inf', 'BYSCORE'],
      ['ZRANGESTORE', 'r6', 'src', '(abc', '+', 'BYLEX'],
      ['ZRANGESTORE', 'r7', 'src', '2', '2'],
      ['ZUNIONSTORE', 'u1', '1', 'src'],
      ['ZINTERSTORE', 'u2', '2', 'src', 'r1'],
      ['ZDIFFSTORE', 'u3', '2', 'src', 'r2'],
    ]);
    for (const [k, enc] of [
      ['src', 'skiplist'], ['r1', 'listpack'], ['r2', 'skiplist'], ['r3', 'listpack'], ['r4', 'skiplist'], ['r5', 'skiplist'],
      ['r6', 'skiplist'], ['r7', 'skiplist'], ['u1', 'skiplist'], ['u2', 'listpack'], ['u3', 'skiplist'],
    ] as const) {
      await expectEncoding(k, enc);
    }
    await configure({ 'zset-max-listpack-entries': '0' });
    await same(pair, [['ZADD', 'one', '1', 'a'], ['ZRANGESTORE', 'r8', 'one', '0', '-1'], ['ZRANGESTORE', 'r9', 'one', '0', '1', 'BYSCORE']]);
    await expectEncoding('r8', 'skiplist');
    await expectEncoding('r9', 'skiplist');
    await configure({ 'zset-max-listpack-entries': '128' });
    await same(pair, [
      ['ZUNIONSTORE', 'u4', '1', 'src'],
      ['ZADD', 'neg', '-0', 'z'],
      ['ZUNIONSTORE', 'u5', '1', 'neg'],
      ['ZRANGE', 'u5', '0', '-1', 'WITHSCORES'],
      ['ZSCORE', 'neg', 'z'],
    ]);
    await expectEncoding('u4', 'skiplist');
    await expectEncoding('u5', 'listpack');
  });

  it('a 200-member set pages ZRANGE, ZRANK and removals like Redis', async () => {
    await same(pair, [
      big('s', 200, (i) => (i * 37) % 101),
      ['ZRANGE', 's', '0', '-1', 'WITHSCORES'],
      ['ZRANGE', 's', '50', '60', 'REV', 'WITHSCORES'],
      ['ZRANK', 's', 's150'],
      ['ZREVRANK', 's', 's150'],
      ['ZCOUNT', 's', '10', '(50'],
      ['ZRANGEBYSCORE', 's', '(20', '30', 'WITHSCORES', 'LIMIT', '3', '7'],
      ['ZREMRANGEBYRANK', 's', '10', '30'],
      ['ZREMRANGEBYSCORE', 's', '90', '+inf'],
      ['ZRANGE', 's', '0', '-1', 'WITHSCORES'],
      ['ZPOPMAX', 's', '5'],
      ['ZCARD', 's'],
    ]);
    await expectEncoding('s', 'skiplist');
  });
});

describe('expiry', () => {
  /** PEXPIRE on Redis, the same deadline straight into the engine (EXPIRE may not exist there yet). */
  async function pexpire(key: string, ms: number): Promise<void> {
    expect(show(await pair.r.call('PEXPIRE', key, ms))).toBe(show({ t: 'int', v: 1n }));
    engine.dbs[0]!.setExpire(key, Date.now() + ms);
  }

  it('STORE commands drop the destination TTL; in-place writes keep it; expired keys are absent', async () => {
    await same(pair, [['ZADD', 'src', '1', 'a', '2', 'b'], ['ZADD', 'd1', '1', 'x'], ['ZADD', 'd2', '1', 'x'], ['ZADD', 'keep', '1', 'x']]);
    await pexpire('d1', 100_000);
    await pexpire('d2', 100_000);
    await pexpire('keep', 100_000);
    await same(pair, [['ZUNIONSTORE', 'd1', '1', 'src'], ['ZRANGESTORE', 'd2', 'src', '0', '0'], ['ZADD', 'keep', '2', 'y'], ['ZPOPMIN', 'keep']]);
    for (const k of ['d1', 'd2', 'keep']) {
      const ttl = await pair.r.call('PTTL', k);
      const e = engine.dbs[0]!.getExpire(k);
      expect(ttl.t === 'int' && ttl.v === -1n, `redis TTL of ${k}`).toBe(k !== 'keep');
      expect(e === undefined, `engine TTL of ${k}`).toBe(k !== 'keep');
    }
    await pexpire('src', 1);
    await new Promise((r) => setTimeout(r, 20));
    await same(pair, [
      ['ZCARD', 'src'],
      ['ZADD', 'src', 'XX', '5', 'a'],
      ['ZRANGE', 'src', '0', '-1'],
      ['ZADD', 'src', '5', 'new'],
      ['ZRANGE', 'src', '0', '-1', 'WITHSCORES'],
    ]);
  });
});

describe('WATCH and dirty counters', () => {
  it('in-place changes abort EXEC; changes that do nothing do not', async () => {
    const cases: Array<[Cmd, boolean]> = [
      [['ZADD', 'w', '5', 'a'], true],
      [['ZADD', 'w', '1', 'a'], false],
      [['ZADD', 'w', 'NX', '9', 'a'], false],
      [['ZADD', 'w', 'XX', '1', 'new'], false],
      [['ZINCRBY', 'w', '1', 'a'], true],
      [['ZINCRBY', 'w', '0', 'a'], false],
      [['ZREM', 'w', 'a'], true],
      [['ZREM', 'w', 'nosuch'], false],
      [['ZPOPMIN', 'w'], true],
      [['ZPOPMIN', 'w', '0'], false],
      [['ZREMRANGEBYSCORE', 'w', '1', '1'], true],
      [['ZREMRANGEBYSCORE', 'w', '100', '200'], false],
      [['ZREMRANGEBYRANK', 'w', '0', '0'], true],
      [['ZREMRANGEBYLEX', 'w', '[a', '[a'], true],
      [['ZRANGESTORE', 'w', 'other', '0', '-1'], true],
      [['ZUNIONSTORE', 'w', '1', 'other'], true],
      [['ZMPOP', '1', 'w', 'MAX'], true],
      [['ZRANGE', 'w', '0', '-1'], false],
    ];
    for (const [c, aborts] of cases) {
      for (const [client, other] of [
        [pair.r, await RespClient.connect(pair.redis.port)],
        [pair.e, await RespClient.connect(pair.engine.port)],
      ] as const) {
        await client.call('DEL', 'w', 'other');
        await client.call('ZADD', 'w', '1', 'a', '2', 'b');
        await client.call('ZADD', 'other', '7', 'o');
        await other.call('WATCH', 'w');
        await client.call(...c);
        await other.call('MULTI');
        await other.call('PING');
        const r = await other.call('EXEC');
        expect(r.t === 'null' || (r.t === 'array' && r.v === null) ? 'aborted' : 'ran', `${c.join(' ')}`).toBe(aborts ? 'aborted' : 'ran');
        other.close();
      }
    }
  });

  it('count changes like Redis', async () => {
    await sameDirty(pair, [
      ['ZADD', 'd', '1', 'a', '2', 'b', '3', 'c'],
      ['ZADD', 'd', 'CH', '1', 'a', '5', 'b', '4', 'x'],
      ['ZADD', 'd', 'XX', '1', 'nosuch'],
      ['ZINCRBY', 'd', '1', 'a'],
      ['ZREM', 'd', 'a', 'nosuch'],
      ['ZPOPMIN', 'd', '2'],
      ['ZUNIONSTORE', 'e', '1', 'd'],
      ['ZUNIONSTORE', 'e', '1', 'nokey'],
      ['ZUNIONSTORE', 'e', '1', 'nokey'],
      ['ZRANGESTORE', 'f', 'd', '0', '-1'],
      ['ZRANGESTORE', 'f', 'nokey', '0', '-1'],
      ['ZRANGESTORE', 'f', 'nokey', '0', '-1'],
      ['ZREMRANGEBYRANK', 'd', '0', '-1'],
    ]);
  });
});

describe('number parsing', () => {
  it('scores, range bounds, weights and timeouts read numbers the way strtod does', async () => {
    const token = fc.constantFrom(
      '0', '1', '5', '9', '12', '.', 'e', 'E', '+', '-', 'x', 'X', 'p', 'P', 'a', 'f', '(', ' ', '\t', '\x00', 'inf', 'nan',
      'infinity', 'INF', '0x', '1e308', '1e-320', '400', '999', 'n(1)',
    );
    const texts = fc.sample(fc.array(token, { minLength: 0, maxLength: 6 }).map((t) => t.join('')), { seed: 777, numRuns: 400 });
    const cmds: Cmd[] = [['ZADD', 'z', '1', 'a', '2', 'b', '-inf', 'ninf', 'inf', 'pinf', '0', 'zero']];
    for (const t of texts) {
      cmds.push(
        ['ZCOUNT', 'z', t, '+inf'],
        ['ZCOUNT', 'z', '-inf', t],
        ['ZADD', 'p', t, 'm'],
        ['ZSCORE', 'p', 'm'],
        ['ZUNION', '1', 'z', 'WEIGHTS', t, 'WITHSCORES'],
        ['ZADD', 'bz', '1', 'x'],
        ['BZPOPMIN', 'bz', t],
      );
    }
    expect((await diff(pair, cmds)).slice(0, 5).join('\n')).toBe('');
  });
});

// --- blocking -------------------------------------------------------------------------------------

/** Waits until `n` clients of the server are blocked (CLIENT LIST flags contain "b"). */
async function waitBlocked(admin: RespClient, n: number): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const v = await admin.call('CLIENT', 'LIST');
    const t = v.t === 'bulk' || v.t === 'verbatim' ? v.v : '';
    const blocked = t.split('\n').filter((l) => /flags=\w*b/.test(l)).length;
    if (blocked >= n) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`${n} blocked clients never showed up`);
}

interface Side {
  port: number;
  admin: RespClient;
  connect(resp3?: boolean): Promise<RespClient>;
  waitBlocked(n: number): Promise<void>;
}

/** Runs the same scenario against Redis and the engine and compares what it returns. */
async function onBoth(scenario: (s: Side) => Promise<unknown>): Promise<void> {
  const results: unknown[] = [];
  for (const [port, admin] of [
    [pair.redis.port, pair.r],
    [pair.engine.port, pair.e],
  ] as const) {
    const opened: RespClient[] = [];
    const side: Side = {
      port,
      admin,
      connect: async (resp3 = false) => {
        const c = await RespClient.connect(port);
        opened.push(c);
        if (resp3) await c.call('HELLO', '3');
        return c;
      },
      waitBlocked: (n) => waitBlocked(admin, n),
    };
    try {
      results.push(await scenario(side));
    } finally {
      for (const c of opened) c.close();
    }
  }
  expect(JSON.stringify(results[1], bigints), 'engine vs redis').toBe(JSON.stringify(results[0], bigints));
}

function bigints(_k: string, x: unknown): unknown {
  return typeof x === 'bigint' ? x.toString() : x;
}

describe('blocking pops', () => {
  it('BZPOPMIN / BZPOPMAX / BZMPOP pop at once when data is there', async () => {
    await same(pair, [
      ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'],
      ['BZPOPMIN', 'nokey', 'z', '0'],
      ['BZPOPMAX', 'z', 'nokey', '0'],
      ['BZMPOP', '0', '2', 'nokey', 'z', 'MIN', 'COUNT', '5'],
      ['EXISTS', 'z'],
      ['BZPOPMIN', 'z', '-1'],
      ['BZPOPMIN', 'z', 'x'],
      ['BZPOPMIN', 'z', 'inf'],
      ['BZPOPMIN', 'z', '1e400'],
      ['BZPOPMIN', 'z', 'nan'],
      ['BZPOPMIN', 'z', ' 1'],
      ['BZPOPMIN', 'z', '9223372036854775807'],
      ['BZMPOP', 'x', '1', 'z', 'MIN'],
      ['BZMPOP', '-1', '1', 'z', 'MIN'],
      ['BZMPOP', '0', '0', 'z', 'MIN'],
      ['BZMPOP', '0', '1', 'z', 'MIN', 'COUNT', '0'],
      ['BZMPOP', '0', '2', 'z', 'MIN'],
      ['BZMPOP', 'x', '2', 'z', 'MIN'],
      ['BZMPOP', '0.01', '1', 'nokey', 'MIN'],
      ['BZPOPMIN', 'nokey', '0.01'],
      ['BZPOPMAX', 'nokey', 'nokey2', '0.02'],
    ]);
  });

  it('a ZADD wakes the first blocked client; others keep waiting in order', async () => {
    await onBoth(async (s) => {
      const c1 = await s.connect();
      const c2 = await s.connect();
      const c3 = await s.connect(true);
      await s.admin.call('DEL', 'bz', 'other');
      const p1 = c1.call('BZPOPMIN', 'other', 'bz', '0');
      await s.waitBlocked(1);
      const p2 = c2.call('BZMPOP', '0', '2', 'bz', 'other', 'MAX', 'COUNT', '2');
      await s.waitBlocked(2);
      const p3 = c3.call('BZPOPMAX', 'bz', '0');
      await s.waitBlocked(3);
      const added = await s.admin.call('ZADD', 'bz', '1', 'a', '2', 'b', '3', 'c', '4', 'd');
      const [r1, r2, r3] = await Promise.all([p1, p2, p3]);
      const left = await s.admin.call('ZRANGE', 'bz', '0', '-1', 'WITHSCORES');
      return [added, r1, r2, r3, left];
    });
  });

  it('variadic ZADD serves only one pop each; the rest stays', async () => {
    await onBoth(async (s) => {
      const c1 = await s.connect();
      await s.admin.call('DEL', 'bz');
      const p = c1.call('BZPOPMIN', 'bz', '0');
      await s.waitBlocked(1);
      const added = await s.admin.call('ZADD', 'bz', '-1', 'foo', '1', 'bar');
      return [added, await p, await s.admin.call('ZRANGE', 'bz', '0', '-1')];
    });
  });

  it('times out with a null (RESP2 and RESP3)', async () => {
    await onBoth(async (s) => {
      const c2 = await s.connect();
      const c3 = await s.connect(true);
      const [a, b, c, d] = await Promise.all([
        c2.call('BZPOPMIN', 'bz', '0.05'),
        c3.call('BZPOPMAX', 'bz', '0.05'),
        c2.call('BZMPOP', '0.05', '1', 'bz', 'MIN'),
        c3.call('BZMPOP', '0.05', '1', 'bz', 'MIN'),
      ]);
      // The connection keeps working after the timeout.
      return [a, b, c, d, await c2.call('PING'), await c3.call('ZCARD', 'bz')];
    });
  });

  it('inside MULTI it replies as on timeout; ZADD + DEL in one EXEC wakes nobody', async () => {
    await onBoth(async (s) => {
      const c = await s.connect();
      await s.admin.call('DEL', 'zset');
      const m = [await c.call('MULTI'), await c.call('BZPOPMIN', 'zset', '0'), await c.call('BZMPOP', '0', '1', 'zset', 'MIN'), await c.call('EXEC')];
      const blocked = c.call('BZPOPMIN', 'zset', '0');
      await s.waitBlocked(1);
      const tx = [await s.admin.call('MULTI'), await s.admin.call('ZADD', 'zset', '0', 'foo'), await s.admin.call('DEL', 'zset'), await s.admin.call('EXEC')];
      const tx2 = [await s.admin.call('MULTI'), await s.admin.call('ZADD', 'zset', '0', 'foo'), await s.admin.call('DEL', 'zset'), await s.admin.call('SET', 'zset', 'x'), await s.admin.call('EXEC')];
      await s.admin.call('DEL', 'zset');
      await s.admin.call('ZADD', 'zset', '1', 'bar');
      return [m, tx, tx2, await blocked];
    });
  });

  it('MULTI/EXEC adding several members serves the lowest once the EXEC is done', async () => {
    await onBoth(async (s) => {
      const c = await s.connect();
      await s.admin.call('DEL', 'zset');
      const blocked = c.call('BZMPOP', '0', '1', 'zset', 'MIN', 'COUNT', '2');
      await s.waitBlocked(1);
      await s.admin.pipeline([['MULTI'], ['ZADD', 'zset', '0', 'a'], ['ZADD', 'zset', '1', 'b'], ['ZADD', 'zset', '2', 'c'], ['EXEC']]);
      return [await blocked, await s.admin.call('ZRANGE', 'zset', '0', '-1')];
    });
  });

  it('a key that becomes another type does not serve; the same key listed twice works', async () => {
    await onBoth(async (s) => {
      const c = await s.connect();
      await s.admin.call('DEL', 'k', 'z1', 'z2');
      const blocked = c.call('BZPOPMIN', 'k', '0');
      await s.waitBlocked(1);
      await s.admin.call('SET', 'k', 'str');
      await s.admin.call('DEL', 'k');
      await s.admin.call('SADD', 'k', 'm');
      await s.admin.call('DEL', 'k');
      await s.admin.call('ZADD', 'k', '7', 'm');
      const first = await blocked;
      const again = c.call('BZPOPMIN', 'z1', 'z2', 'z2', 'z1', '0');
      await s.waitBlocked(1);
      await s.admin.call('ZADD', 'z2', '1', 'b');
      const second = await again;
      await s.admin.call('ZADD', 'z1', '0', 'a');
      await s.admin.call('ZADD', 'z2', '1', 'b');
      const third = await c.call('BZPOPMIN', 'z1', 'z2', 'z2', 'z1', '0');
      const fourth = await c.call('BZPOPMIN', 'z1', 'z2', 'z2', 'z1', '0');
      return [first, second, third, fourth];
    });
  });

  it('a write in another database does not wake; ZUNIONSTORE and ZRANGESTORE creating the key do', async () => {
    await onBoth(async (s) => {
      const c = await s.connect();
      const other = await s.connect();
      await s.admin.call('DEL', 'dst', 'src');
      await other.call('SELECT', '1');
      await other.call('DEL', 'dst');
      const p = c.call('BZPOPMAX', 'dst', '0');
      await s.waitBlocked(1);
      await other.call('ZADD', 'dst', '1', 'wrongdb');
      await s.admin.call('ZADD', 'src', '1', 'a', '2', 'b');
      await s.admin.call('ZUNIONSTORE', 'dst', '1', 'src');
      const r1 = await p;
      await s.admin.call('DEL', 'dst');
      const p2 = c.call('BZPOPMIN', 'dst', '0');
      await s.waitBlocked(1);
      await s.admin.call('ZRANGESTORE', 'dst', 'src', '0', '0');
      const r2 = await p2;
      const left = [await other.call('ZRANGE', 'dst', '0', '-1'), await s.admin.call('EXISTS', 'dst')];
      await other.call('FLUSHDB');
      return [r1, r2, left];
    });
  });

  it('CLIENT UNBLOCK ends a blocked pop like a timeout or with an error; a closed client takes nothing', async () => {
    await onBoth(async (s) => {
      const c = await s.connect();
      const gone = await s.connect();
      await s.admin.call('DEL', 'ub');
      const id = await c.call('CLIENT', 'ID');
      const p1 = c.call('BZPOPMIN', 'ub', '0');
      await s.waitBlocked(1);
      const u1 = await s.admin.call('CLIENT', 'UNBLOCK', id.t === 'int' ? String(id.v) : '?');
      const r1 = await p1;
      const p2 = c.call('BZMPOP', '0', '1', 'ub', 'MAX');
      await s.waitBlocked(1);
      const u2 = await s.admin.call('CLIENT', 'UNBLOCK', id.t === 'int' ? String(id.v) : '?', 'ERROR');
      const r2 = await p2;
      void gone.call('BZPOPMAX', 'ub', '0').catch(() => null);
      await s.waitBlocked(1);
      gone.close();
      for (let i = 0; i < 100; i++) {
        const v = await s.admin.call('CLIENT', 'LIST');
        if (v.t === 'bulk' && !/flags=\w*b/.test(v.v)) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      const added = await s.admin.call('ZADD', 'ub', '1', 'x');
      return [u1, r1, u2, r2, added, await s.admin.call('ZCARD', 'ub'), await c.call('PING')];
    });
  });

  it('served RESP3 clients get RESP3 shapes', async () => {
    await onBoth(async (s) => {
      const c = await s.connect(true);
      const d = await s.connect(true);
      await s.admin.call('DEL', 'r3');
      const p1 = c.call('BZPOPMIN', 'r3', '0');
      await s.waitBlocked(1);
      const p2 = d.call('BZMPOP', '0', '1', 'r3', 'MIN', 'COUNT', '3');
      await s.waitBlocked(2);
      await s.admin.call('ZADD', 'r3', '1.5', 'a', 'inf', 'b', '-0', 'c', '4', 'd');
      return [await p1, await p2];
    });
  });
});

// --- generated sequences ---------------------------------------------------------------------------

describe('generated command sequences', () => {
  const keys = ['k1', 'k2', 'k3', 'st'];
  const key = fc.constantFrom(...keys);
  const member = fc.constantFrom('a', 'b', 'c', 'd', 'e', '1', '10', '-1', '', 'long-member-name', 'b\x00');
  const score = fc.oneof(
    fc.integer({ min: -5, max: 5 }).map(String),
    fc.constantFrom('1.5', '-0.25', '0.1', '1e3', '-0', 'inf', '-inf', '+inf', '3.0', '1e-5', 'x', 'nan', '(1'),
  );
  const bound = fc.oneof(score, score.map((s) => `(${s}`), fc.constantFrom('-inf', '+inf', '(-inf', ''));
  const lexBound = fc.constantFrom('-', '+', '[a', '(a', '[c', '(c', '[1', '[', '(', 'x', '[long');
  const rank = fc.integer({ min: -6, max: 6 }).map(String);
  const limit = fc.oneof(fc.constant([] as string[]), fc.tuple(fc.integer({ min: -1, max: 3 }), fc.integer({ min: -1, max: 3 })).map(([o, c]) => ['LIMIT', String(o), String(c)]));
  const opt = fc.subarray(['NX', 'XX', 'GT', 'LT', 'CH', 'INCR'], { maxLength: 2 });
  const pairs = fc.array(fc.tuple(score, member), { minLength: 1, maxLength: 3 }).map((ps) => ps.flat());
  const keyList = fc.array(key, { minLength: 1, maxLength: 3 });
  const command: fc.Arbitrary<Cmd> = fc.oneof(
    { arbitrary: fc.tuple(key, opt, pairs).map(([k, o, p]) => ['ZADD', k, ...o, ...p]), weight: 6 },
    { arbitrary: fc.tuple(fc.array(member, { minLength: 1, maxLength: 3 })).map(([ms]) => ['ZADD', 'lex', ...ms.flatMap((m) => ['0', m])]), weight: 2 },
    { arbitrary: fc.tuple(key, score, member).map(([k, s, m]) => ['ZINCRBY', k, s, m]), weight: 2 },
    fc.tuple(key, fc.array(member, { minLength: 1, maxLength: 3 })).map(([k, ms]) => ['ZREM', k, ...ms]),
    fc.tuple(fc.constantFrom(...keys, 'lex'), member).map(([k, m]) => ['ZSCORE', k, m]),
    fc.tuple(fc.constantFrom(...keys, 'lex'), member).map(([k, m]) => ['ZRANK', k, m]),
    fc.tuple(key, member).map(([k, m]) => ['ZREVRANK', k, m]),
    fc.tuple(key, bound, bound).map(([k, a, b]) => ['ZCOUNT', k, a, b]),
    fc.tuple(lexBound, lexBound).map(([a, b]) => ['ZLEXCOUNT', 'lex', a, b]),
    fc.tuple(fc.constantFrom(...keys, 'lex'), rank, rank, fc.boolean(), fc.boolean()).map(([k, a, b, rev, ws]) => ['ZRANGE', k, a, b, ...(rev ? ['REV'] : []), ...(ws ? ['WITHSCORES'] : [])]),
    fc.tuple(key, bound, bound, fc.boolean(), limit).map(([k, a, b, rev, l]) => ['ZRANGE', k, a, b, 'BYSCORE', ...(rev ? ['REV'] : []), 'WITHSCORES', ...l]),
    fc.tuple(lexBound, lexBound, fc.boolean(), limit).map(([a, b, rev, l]) => ['ZRANGE', 'lex', a, b, 'BYLEX', ...(rev ? ['REV'] : []), ...l]),
    fc.tuple(key, bound, bound, limit).map(([k, a, b, l]) => ['ZREVRANGEBYSCORE', k, a, b, ...l]),
    fc.tuple(lexBound, lexBound, limit).map(([a, b, l]) => ['ZREVRANGEBYLEX', 'lex', a, b, ...l]),
    fc.tuple(key, fc.constantFrom(...keys), rank, rank).map(([d, k, a, b]) => ['ZRANGESTORE', d, k, a, b]),
    fc.tuple(key, fc.constantFrom(...keys), bound, bound, limit).map(([d, k, a, b, l]) => ['ZRANGESTORE', d, k, a, b, 'BYSCORE', ...l]),
    fc.tuple(key, rank, rank).map(([k, a, b]) => ['ZREMRANGEBYRANK', k, a, b]),
    fc.tuple(key, bound, bound).map(([k, a, b]) => ['ZREMRANGEBYSCORE', k, a, b]),
    fc.tuple(lexBound, lexBound).map(([a, b]) => ['ZREMRANGEBYLEX', 'lex', a, b]),
    fc.tuple(fc.constantFrom('ZUNION', 'ZINTER', 'ZDIFF'), keyList, fc.boolean()).map(([c, ks, ws]) => [c, String(ks.length), ...ks, ...(ws ? ['WITHSCORES'] : [])]),
    fc.tuple(fc.constantFrom('ZUNIONSTORE', 'ZINTERSTORE', 'ZDIFFSTORE'), key, keyList).map(([c, d, ks]) => [c, d, String(ks.length), ...ks]),
    fc.tuple(fc.constantFrom('ZUNION', 'ZINTER'), keyList, fc.constantFrom('SUM', 'MIN', 'MAX'), fc.constantFrom('1', '-1', '0.5', 'inf')).map(([c, ks, agg, w]) => [c, String(ks.length), ...ks, 'WEIGHTS', ...ks.map(() => w), 'AGGREGATE', agg, 'WITHSCORES']),
    fc.tuple(keyList, fc.integer({ min: 0, max: 3 })).map(([ks, l]) => ['ZINTERCARD', String(ks.length), ...ks, 'LIMIT', String(l)]),
    fc.tuple(fc.constantFrom('ZPOPMIN', 'ZPOPMAX'), key, fc.constantFrom([], ['1'], ['2'], ['0'], ['5'])).map(([c, k, n]) => [c, k, ...n]),
    fc.tuple(keyList, fc.constantFrom('MIN', 'MAX'), fc.integer({ min: 1, max: 3 })).map(([ks, w, n]) => ['ZMPOP', String(ks.length), ...ks, w, 'COUNT', String(n)]),
    fc.tuple(fc.constantFrom(...keys, 'lex')).map(([k]) => ['ZCARD', k]),
    fc.tuple(key, fc.array(member, { minLength: 1, maxLength: 3 })).map(([k, ms]) => ['ZMSCORE', k, ...ms]),
    fc.constantFrom<Cmd>(['SADD', 'st', 'a', 'b', 'x'], ['DEL', 'st'], ['SET', 'k3', 'string'], ['DEL', 'k3'], ['ZRANDMEMBER', 'k1', '50', 'WITHSCORES']),
  );

  for (const [encoding, config] of ENCODINGS) {
    it(`match Redis reply for reply (${encoding})`, async () => {
      await configure(config);
      const runs = fc.sample(fc.array(command, { minLength: 10, maxLength: 60 }), { seed: encoding === 'listpack' ? 1234 : 5678, numRuns: 60 });
      const problems: string[] = [];
      for (const cmds of runs) {
        await reset();
        await configure(config);
        problems.push(...(await diff(pair, [...cmds, ['ZRANGE', 'k1', '0', '-1', 'WITHSCORES'], ['ZRANGE', 'k2', '0', '-1', 'WITHSCORES']])));
        if (problems.length > 5) break;
      }
      expect(problems.slice(0, 5).join('\n')).toBe('');
    });
  }

  it('keeps the same encodings as Redis under small thresholds', async () => {
    const small = { 'zset-max-listpack-entries': '3', 'zset-max-listpack-value': '4' };
    const runs = fc.sample(fc.array(command, { minLength: 10, maxLength: 40 }), { seed: 42, numRuns: 40 });
    for (const cmds of runs) {
      await reset();
      await configure(small);
      expect((await diff(pair, cmds)).slice(0, 3).join('\n')).toBe('');
      for (const k of [...keys, 'lex']) {
        const r = text(await pair.r.call('OBJECT', 'ENCODING', k));
        const o = engine.dbs[0]!.peek(k);
        expect(o === undefined ? null : o.enc, `encoding of ${k} after ${cmds.map((c) => c.join(' ')).join('; ')}`).toBe(r);
      }
    }
  });
});
