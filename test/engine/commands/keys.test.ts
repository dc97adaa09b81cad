// The generic keyspace commands (DEL ... SWAPDB, OBJECT, SCAN) compared with a real redis-server
// 7.0: hand-picked edge cases from keyspace.tcl, expire.tcl and scan.tcl, a generated sequence
// of mixed keyspace commands on a small key space, and white-box checks of what a client cannot
// see directly (WATCH dirtying on FLUSH/SWAPDB, blocked clients woken by SWAPDB, active expiry).

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { diff, same, sorted, startPair, type Cmd, type Pair } from '../../helpers/differential.js';
import { RespClient } from '../../helpers/resp-client.js';
import type { RespValue } from '../../../src/formats/resp/reply-parser.js';
import type { Engine } from '../../../src/engine/engine.js';
import { Engine as EngineClass } from '../../../src/engine/engine.js';
import { Client } from '../../../src/engine/client.js';
import { processCommand } from '../../../src/engine/dispatch.js';
import type { Db } from '../../../src/engine/keyspace.js';
import { Deque } from '../../../src/engine/types/deque.js';
import { ScanMap } from '../../../src/engine/types/scan-map.js';
import { isCanonicalInt, newString, type HashNode, type RObj, type SetNode } from '../../../src/engine/types/objects.js';

let pair: Pair;
/** Side connections used only to create test data (they SELECT freely). */
let sr: RespClient;
let se: RespClient;

function engine(p: Pair = pair): Engine {
  return p.engine.engine!;
}

/**
 * Builds a value directly in the engine, for data commands other families have not implemented
 * yet (the same command still runs on Redis). Encodings follow Redis 7.0's default thresholds.
 */
function buildDirect(cmd: string[]): RObj {
  const [name, , ...rest] = cmd;
  switch (name!.toLowerCase()) {
    case 'set':
      return newString(rest[0]!);
    case 'rpush':
      return { type: 'list', enc: 'quicklist', v: Deque.from(rest) };
    case 'sadd': {
      const m = new ScanMap<SetNode>();
      for (const x of rest) if (!m.has(x)) m.set(x, { slot: 0 });
      const ints = [...m.keys()].every((x) => isCanonicalInt(x)) && m.size <= 512;
      return { type: 'set', enc: ints ? 'intset' : 'hashtable', v: m };
    }
    case 'hset': {
      const m = new ScanMap<HashNode>();
      let small = true;
      for (let i = 0; i < rest.length; i += 2) {
        const [f, v] = [rest[i]!, rest[i + 1]!];
        const node = m.get(f);
        if (node) node.v = v;
        else m.set(f, { slot: 0, v });
        if (f.length > 64 || v.length > 64) small = false;
      }
      return { type: 'hash', enc: small && m.size <= 128 ? 'listpack' : 'hashtable', v: m };
    }
    default:
      throw new Error(`cannot build '${cmd.join(' ')}' without the engine command (its family is not implemented yet)`);
  }
}

/** Creates the same data in database `db` of both servers. */
async function seed(db: number, ...cmd: string[]): Promise<void> {
  await sr.call('SELECT', db);
  const a = await sr.call(...cmd);
  if (a.t === 'error') throw new Error(`redis refused seed '${cmd.join(' ')}': ${a.v}`);
  await se.call('SELECT', db);
  const b = await se.call(...cmd);
  if (b.t !== 'error') return;
  if (!b.v.startsWith('ERR unknown command')) throw new Error(`engine refused seed '${cmd.join(' ')}': ${b.v}`);
  const target = engine().dbs[db]!;
  target.delete(cmd[1]!);
  target.add(cmd[1]!, buildDirect(cmd));
}

/** Replies whose order Redis leaves unspecified are compared sorted. */
function norm(v: RespValue, c: Cmd): RespValue {
  const name = String(c[0]).toLowerCase();
  if (name === 'keys') return sorted(v);
  if (name === 'scan' && v.t === 'array') return { t: 'array', v: [v.v[0]!, sorted(v.v[1]!)] };
  return v;
}

async function both(...cmd: Cmd): Promise<[RespValue, RespValue]> {
  return Promise.all([pair.r.call(...cmd), pair.e.call(...cmd)]);
}

async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

beforeAll(async () => {
  pair = await startPair();
  [sr, se] = await Promise.all([RespClient.connect(pair.redis.port), RespClient.connect(pair.engine.port)]);
});

afterAll(async () => {
  sr?.close();
  se?.close();
  await pair?.stop();
});

beforeEach(async () => {
  await both('FLUSHALL');
  await both('SELECT', '0');
});

describe('DEL, UNLINK, EXISTS, TYPE, TOUCH, DBSIZE', () => {
  it('count, type and remove keys of every type', async () => {
    await seed(0, 'set', 'a', '1');
    await seed(0, 'set', 'b', 'hello');
    await seed(0, 'rpush', 'l', 'x', 'y');
    await seed(0, 'sadd', 's', '1', '2');
    await seed(0, 'hset', 'h', 'f', 'v');
    await same(pair, [
      ['DBSIZE'],
      ['TYPE', 'a'],
      ['TYPE', 'b'],
      ['TYPE', 'l'],
      ['TYPE', 's'],
      ['TYPE', 'h'],
      ['TYPE', 'nokey'],
      ['EXISTS', 'a', 'b', 'b', 'nokey', 'l'],
      ['TOUCH', 's', 'h', 's', 'nokey'],
      ['DEL', 'a'],
      ['DEL', 'a'],
      ['UNLINK', 'b', 'l', 'zz', 'b'],
      ['EXISTS', 'l', 'b'],
      ['DEL', 's', 'h', 's'],
      ['DBSIZE'],
      ['DEL'],
      ['UNLINK'],
      ['EXISTS'],
      ['TOUCH'],
      ['TYPE'],
      ['TYPE', 'a', 'b'],
      ['DBSIZE', 'x'],
    ]);
  });

  it('binary and empty key names are kept byte for byte', async () => {
    const bin = 'bin\x00\xff\r\n key';
    await seed(0, 'set', bin, 'v');
    await seed(0, 'set', '', 'empty');
    await same(
      pair,
      [
        ['EXISTS', bin, ''],
        ['TYPE', bin],
        ['KEYS', '*'],
        ['KEYS', 'bin\x00*'],
        ['SCAN', '0', 'MATCH', '*\xff*'],
        ['RENAME', bin, 'bin2\x00'],
        ['EXISTS', bin, 'bin2\x00'],
        ['DEL', 'bin2\x00', ''],
        ['DBSIZE'],
      ],
      { normalize: norm },
    );
  });
});

describe('RENAME and RENAMENX', () => {
  it('moves values, refuses or replaces targets as Redis does', async () => {
    await seed(0, 'set', 'k1', 'v1');
    await seed(0, 'set', 'k2', 'v2');
    await seed(0, 'rpush', 'list', 'a', 'b');
    await same(pair, [
      ['RENAME', 'k1', 'k3'],
      ['EXISTS', 'k1', 'k3'],
      ['RENAME', 'nokey', 'x'],
      ['RENAMENX', 'nokey', 'x'],
      ['RENAME', 'k3', 'k3'],
      ['RENAMENX', 'k3', 'k3'],
      ['RENAME', 'nokey', 'nokey'],
      ['RENAMENX', 'nokey', 'nokey'],
      ['RENAMENX', 'k3', 'k2'],
      ['RENAMENX', 'k3', 'k4'],
      ['EXISTS', 'k3', 'k4'],
      ['RENAME', 'k4', 'k2'],
      ['DBSIZE'],
      ['RENAME', 'list', 'k2'],
      ['TYPE', 'k2'],
      ['TYPE', 'list'],
      ['RENAME', 'a'],
      ['RENAMENX', 'a', 'b', 'c'],
    ]);
  });

  it('carries the TTL of the source and never inherits the target TTL', async () => {
    await seed(0, 'set', 'v1', 'a');
    await seed(0, 'set', 't1', 'a');
    await seed(0, 'set', 't2', 'b');
    await same(pair, [
      ['EXPIRE', 'v1', '100'],
      ['RENAME', 'v1', 'v2'],
      ['TTL', 'v2'],
      ['TTL', 'v1'],
      ['EXPIRE', 't2', '100'],
      ['RENAME', 't1', 't2'],
      ['TTL', 't2'],
    ]);
  });
});

describe('EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT, TTL family, PERSIST', () => {
  it('NX, XX, GT and LT decide as in expire.tcl', async () => {
    await seed(0, 'set', 'foo', 'bar');
    await same(pair, [
      ['EXPIRE', 'foo', '100', 'NX'],
      ['EXPIRE', 'foo', '200', 'NX'],
      ['TTL', 'foo'],
      ['EXPIRE', 'foo', '200', 'XX'],
      ['TTL', 'foo'],
      ['PERSIST', 'foo'],
      ['EXPIRE', 'foo', '200', 'XX'],
      ['TTL', 'foo'],
      ['EXPIRE', 'foo', '100'],
      ['EXPIRE', 'foo', '200', 'GT'],
      ['TTL', 'foo'],
      ['EXPIRE', 'foo', '100', 'gt'],
      ['TTL', 'foo'],
      ['EXPIRE', 'foo', '100', 'LT'],
      ['TTL', 'foo'],
      ['EXPIRE', 'foo', '300', 'Lt'],
      ['TTL', 'foo'],
      ['PERSIST', 'foo'],
      ['EXPIRE', 'foo', '100', 'GT'],
      ['TTL', 'foo'],
      ['EXPIRE', 'foo', '100', 'LT'],
      ['TTL', 'foo'],
      ['PERSIST', 'foo'],
      ['EXPIRE', 'foo', '100', 'LT', 'XX'],
      ['TTL', 'foo'],
      ['EXPIRE', 'foo', '100'],
      ['EXPIRE', 'foo', '50', 'LT', 'XX'],
      ['TTL', 'foo'],
      ['EXPIRE', 'foo', '60', 'XX', 'XX', 'LT'],
      ['TTL', 'foo'],
      ['EXPIRE', 'none', '100', 'NX'],
      ['EXPIRE', 'none', '100', 'XX'],
      ['EXPIRE', 'none', '100', 'GT'],
      ['EXPIRE', 'none', '100', 'LT'],
    ]);
  });

  it('option and time errors use Redis texts and order', async () => {
    await seed(0, 'set', 'foo', 'bar');
    await same(pair, [
      ['EXPIRE', 'foo', '200', 'LT', 'GT'],
      ['EXPIRE', 'foo', '200', 'NX', 'GT'],
      ['EXPIRE', 'foo', '200', 'NX', 'LT'],
      ['EXPIRE', 'foo', '200', 'NX', 'XX'],
      ['EXPIRE', 'foo', '200', 'AB'],
      ['EXPIRE', 'foo', '200', 'XX', 'AB'],
      ['EXPIRE', 'foo', 'abc', 'AB'],
      ['EXPIRE', 'foo', 'abc', 'NX', 'XX'],
      ['EXPIRE', 'foo', ''],
      ['EXPIRE', 'foo', '1.5'],
      ['EXPIRE', 'foo', ' 10'],
      ['EXPIRE', 'nokey', 'abc'],
      ['EXPIRE', 'nokey', '9223372036854776'],
      ['EXPIRE', 'foo', '9223370399119966'],
      ['EXPIRE', 'foo', '9223372036854776'],
      ['EXPIRE', 'foo', '10000000000000000'],
      ['EXPIRE', 'foo', '18446744073709561'],
      ['EXPIRE', 'foo', '-9223372036854776'],
      ['EXPIRE', 'foo', '-9999999999999999'],
      ['EXPIREAT', 'foo', '9223372036854776'],
      ['PEXPIRE', 'foo', '9223372036854770000'],
      ['PEXPIRE', 'foo', '9223372036854775808'],
      ['TTL', 'foo'],
      ['EXPIRE', 'foo'],
      ['PEXPIREAT', 'foo'],
      ['TTL'],
      ['PERSIST'],
    ]);
  });

  it('a time in the past deletes the key, unless a flag refuses it first', async () => {
    for (const k of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) await seed(0, 'set', k, 'v');
    await same(pair, [
      ['EXPIRE', 'a', '-10'],
      ['EXISTS', 'a'],
      ['PEXPIRE', 'b', '0'],
      ['EXISTS', 'b'],
      ['EXPIREAT', 'c', '1'],
      ['PEXPIREAT', 'd', '-9223372036854770000'],
      ['EXPIRE', 'e', '-1', 'GT'],
      ['EXPIRE', 'e', '-1', 'XX'],
      ['EXISTS', 'e'],
      ['EXPIRE', 'e', '-1', 'LT'],
      ['EXPIRE', 'f', '-1', 'NX'],
      ['PEXPIREAT', 'g', '9223372036854770000'],
      ['EXISTS', 'c', 'd', 'e', 'f', 'g'],
      ['EXPIRE', 'nokey', '-1'],
      ['DBSIZE'],
    ]);
  });

  it('absolute times read back exactly, with rounding to seconds', async () => {
    const fut = Math.floor(Date.now() / 1000) + 100_000;
    for (const k of ['a', 'b', 'c', 'd']) await seed(0, 'set', k, 'v');
    await same(pair, [
      ['EXPIREAT', 'a', String(fut)],
      ['EXPIRETIME', 'a'],
      ['PEXPIRETIME', 'a'],
      ['PEXPIREAT', 'b', String(fut * 1000 + 499)],
      ['EXPIRETIME', 'b'],
      ['PEXPIRETIME', 'b'],
      ['PEXPIREAT', 'c', String(fut * 1000 + 500)],
      ['EXPIRETIME', 'c'],
      ['PEXPIREAT', 'd', String(fut * 1000 + 999)],
      ['EXPIRETIME', 'd'],
      ['PEXPIREAT', 'd', String(fut * 1000 + 999), 'GT'],
      ['PEXPIREAT', 'd', String(fut * 1000 + 998), 'LT'],
      ['PEXPIRETIME', 'd'],
      ['EXPIRETIME', 'nokey'],
      ['PEXPIRETIME', 'nokey'],
      ['TTL', 'nokey'],
      ['PTTL', 'nokey'],
      ['PERSIST', 'a'],
      ['EXPIRETIME', 'a'],
      ['PEXPIRETIME', 'a'],
      ['TTL', 'a'],
      ['PTTL', 'a'],
      ['PERSIST', 'a'],
      ['PERSIST', 'nokey'],
    ]);
  });

  it('TTL rounds to the nearest second and PTTL counts down in milliseconds', async () => {
    await seed(0, 'set', 'k', 'v');
    await same(pair, [['PEXPIRE', 'k', '100400'], ['TTL', 'k'], ['PEXPIRE', 'k', '100900'], ['TTL', 'k']]);
    const [, e] = await both('PTTL', 'k');
    expect(e.t).toBe('int');
    const ms = Number((e as { v: bigint }).v);
    expect(ms).toBeGreaterThan(100_000);
    expect(ms).toBeLessThanOrEqual(100_900);
  });

  it('commands see a key whose time has passed as missing, and lazily delete it', async () => {
    engine().activeExpire = false;
    await pair.r.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    try {
      const names = ['e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8', 'e9', 'e10', 'e11', 'e12', 'e13'];
      for (const k of names) {
        await seed(0, 'set', k, '1');
        await both('PEXPIRE', k, '30');
      }
      await seed(1, 'set', 'e6', 'other');
      await sleep(120);
      await same(
        pair,
        [
          ['DBSIZE'],
          ['KEYS', '*'],
          ['DBSIZE'], // KEYS skips expired keys without deleting them
          ['EXISTS', 'e1'],
          ['TYPE', 'e2'],
          ['TTL', 'e3'],
          ['PTTL', 'e3'],
          ['RENAME', 'e4', 'x'],
          ['RENAMENX', 'e4', 'x'],
          ['MOVE', 'e5', '1'],
          ['COPY', 'e6', 'x'],
          ['EXPIRE', 'e7', '100'], // must not resurrect the key
          ['EXISTS', 'e7'],
          ['PERSIST', 'e8'],
          ['OBJECT', 'ENCODING', 'e9'],
          ['TOUCH', 'e10'],
          ['DEL', 'e11'],
          ['DBSIZE'],
          ['SCAN', '0', 'COUNT', '100'],
          ['DBSIZE'],
          ['RANDOMKEY'],
        ],
        { normalize: norm },
      );
    } finally {
      engine().activeExpire = true;
      await pair.r.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
    }
  });

  it('RANDOMKEY gives nil when every key has expired', async () => {
    engine().activeExpire = false;
    await pair.r.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    try {
      for (let i = 0; i < 150; i++) {
        await seed(0, 'set', `k${i}`, 'v');
        await both('PEXPIRE', `k${i}`, '20');
      }
      await sleep(80);
      await same(pair, [['DBSIZE'], ['RANDOMKEY'], ['DBSIZE']]);
    } finally {
      engine().activeExpire = true;
      await pair.r.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
    }
  });

  it('active expiry removes keys nobody reads (expire.tcl: three 500 ms keys gone within 2 s)', async () => {
    for (const k of ['key1', 'key2', 'key3']) {
      await seed(0, 'set', k, 'a');
      await both('PEXPIRE', k, '500');
    }
    await same(pair, [['DBSIZE']]);
    const deadline = Date.now() + 2000;
    let sizes: [RespValue, RespValue] = await both('DBSIZE');
    while (Date.now() < deadline && !(sizes[0].t === 'int' && sizes[0].v === 0n && sizes[1].t === 'int' && sizes[1].v === 0n)) {
      await sleep(100);
      sizes = await both('DBSIZE');
    }
    expect(sizes[1]).toEqual({ t: 'int', v: 0n });
    expect(sizes[0]).toEqual({ t: 'int', v: 0n });
    expect(engine().stats.expiredKeys).toBeGreaterThanOrEqual(3);
  });
});

describe('KEYS', () => {
  it('matches glob patterns like Redis', async () => {
    const names = ['key:1', 'key:2', 'key:10', 'foo', 'fo\\o', 'f?o', '[x]', 'a*b', 'aXb', 'bin\x00\xff', 'dlskeriewrioeuwqoirueioqwrueoqwrueqw'];
    for (const k of names) await seed(0, 'set', k, 'v');
    const patterns = ['*', 'key:*', 'key:?', 'key:[0-1]*', 'key:[^1]', 'f\\?o', 'f?o', '*\x00*', '[^k]*', 'a\\*b', 'a*b', '', 'nomatch*', '\\[x\\]', '[x', 'fo\\\\o', '*o', 'KEY:*', '[a-c]*', '[c-a]*'];
    await same(
      pair,
      patterns.map((p) => ['KEYS', p]),
      { normalize: norm },
    );
    await same(pair, [['KEYS'], ['KEYS', 'a', 'b']]);
  });

  it('finds nothing in an empty database and sees only the selected one', async () => {
    await seed(1, 'set', 'in1', 'v');
    await same(pair, [['KEYS', '*'], ['SELECT', '1'], ['KEYS', '*'], ['DBSIZE']], { normalize: norm });
  });
});

describe('SCAN', () => {
  it('rejects bad cursors and options with Redis errors', async () => {
    await seed(0, 'set', 'a', '1');
    await same(pair, [
      ['SCAN', '18446744073709551616'],
      ['SCAN', ' 1'],
      ['SCAN', '1 '],
      ['SCAN', '-'],
      ['SCAN', '+'],
      ['SCAN', '0x1'],
      ['SCAN', 'abc'],
      ['SCAN', '1.5'],
      ['SCAN', '0', 'COUNT', '0'],
      ['SCAN', '0', 'COUNT', '-1'],
      ['SCAN', '0', 'COUNT', 'abc'],
      ['SCAN', '0', 'COUNT', '99999999999999999999'],
      ['SCAN', '0', 'MATCH'],
      ['SCAN', '0', 'foo', 'bar'],
      ['SCAN', '0', 'TYPE'],
      ['SCAN', 'x', 'foo', 'bar'],
      ['SCAN', '0', 'COUNT', '0', 'foo'],
      ['SCAN'],
    ]);
  });

  it('accepts the cursor spellings strtoul accepts', async () => {
    for (const k of ['a', 'b', 'c']) await seed(0, 'set', k, 'v');
    await same(
      pair,
      [['SCAN', ''], ['SCAN', '+0'], ['SCAN', '-0'], ['SCAN', '00'], ['SCAN', '0\x00junk']],
      { normalize: norm },
    );
  });

  it('filters by MATCH and TYPE and returns everything in one call for a small keyspace', async () => {
    await seed(0, 'set', 'str:1', 'v');
    await seed(0, 'set', 'str:2', '10');
    await seed(0, 'rpush', 'list:1', 'x');
    await seed(0, 'sadd', 'set:1', 'm');
    await seed(0, 'hset', 'hash:1', 'f', 'v');
    await same(
      pair,
      [
        ['SCAN', '0'],
        ['SCAN', '0', 'COUNT', '1000'],
        ['SCAN', '0', 'MATCH', 'str:*'],
        ['SCAN', '0', 'MATCH', '*:1', 'COUNT', '100'],
        ['SCAN', '0', 'TYPE', 'string'],
        ['SCAN', '0', 'TYPE', 'LIST'],
        ['SCAN', '0', 'type', 'Hash', 'match', 'h*'],
        ['SCAN', '0', 'TYPE', 'set', 'MATCH', 'x*'],
        ['SCAN', '0', 'TYPE', 'nosuchtype'],
        ['SCAN', '0', 'TYPE', 'none'],
        ['SCAN', '0', 'TYPE', 'string', 'TYPE', 'list'],
        ['SCAN', '0', 'MATCH', 'nomatch', 'MATCH', '*'],
        ['SCAN', '0', 'count', '2', 'count', '100'],
      ],
      { normalize: norm },
    );
  });

  it('a full iteration returns every key, with COUNT 1 and large keyspaces', async () => {
    for (let i = 0; i < 1000; i++) await pair.e.call('SET', `key:${i}`, String(i));
    for (const count of [1, 5, 10, 1000]) {
      const seen = new Set<string>();
      let cursor = '0';
      let calls = 0;
      do {
        const r = await pair.e.call('SCAN', cursor, 'COUNT', String(count));
        if (r.t !== 'array' || r.v[0]!.t !== 'bulk' || r.v[1]!.t !== 'array') throw new Error(`bad SCAN reply ${JSON.stringify(r)}`);
        cursor = r.v[0]!.v;
        for (const k of r.v[1]!.v) if (k.t === 'bulk') seen.add(k.v);
        calls++;
      } while (cursor !== '0');
      expect(seen.size).toBe(1000);
      if (count === 1) expect(calls).toBeGreaterThanOrEqual(1000);
    }
    // MATCH over the whole keyspace (scan.tcl "SCAN MATCH").
    const matched = new Set<string>();
    let cursor = '0';
    do {
      const r = await pair.e.call('SCAN', cursor, 'MATCH', 'key:1??');
      if (r.t !== 'array' || r.v[0]!.t !== 'bulk' || r.v[1]!.t !== 'array') throw new Error('bad SCAN reply');
      cursor = r.v[0]!.v;
      for (const k of r.v[1]!.v) if (k.t === 'bulk') matched.add(k.v);
    } while (cursor !== '0');
    expect(matched.size).toBe(100);
  });

  it('returns every key present for the whole scan, and ends, while keys are added and deleted (COUNT 1)', async () => {
    // Both servers get the same workload; both must honour the guarantee. Deleting most keys
    // mid-scan makes Redis shrink its table and the engine compact its slots; adding keys
    // faster than the scan advances must not keep the scan from ending (Redis needs ~700 calls).
    for (const [client, label] of [
      [pair.r, 'redis'],
      [pair.e, 'engine'],
    ] as const) {
      await client.call('FLUSHALL');
      await client.pipeline([...Array(200).keys()].map((i) => ['SET', `stable:${i}`, 'v']));
      await client.pipeline([...Array(400).keys()].map((i) => ['SET', `temp:${i}`, 'v']));
      const seen = new Set<string>();
      let cursor = '0';
      let round = 0;
      do {
        const r = await client.call('SCAN', cursor, 'COUNT', '1');
        if (r.t !== 'array' || r.v[0]!.t !== 'bulk' || r.v[1]!.t !== 'array') throw new Error(`bad SCAN reply ${JSON.stringify(r)}`);
        cursor = r.v[0]!.v;
        for (const k of r.v[1]!.v) if (k.t === 'bulk') seen.add(k.v);
        const churn: string[][] = [];
        for (let j = 0; j < 5; j++) if (round * 5 + j < 400) churn.push(['DEL', `temp:${round * 5 + j}`]);
        for (let j = 0; j < 3; j++) churn.push(['SET', `added:${round}:${j}`, 'v']);
        await client.pipeline(churn);
        round++;
      } while (cursor !== '0' && round < 5000);
      const missing = [...Array(200).keys()].map((i) => `stable:${i}`).filter((k) => !seen.has(k));
      expect(missing, `${label} missed keys`).toEqual([]);
      expect(round, `${label} scan did not end`).toBeLessThan(5000);
    }
  });

  it('skips and deletes expired keys', async () => {
    engine().activeExpire = false;
    await pair.r.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    try {
      for (const k of ['a', 'b', 'c', 'd']) await seed(0, 'set', k, 'v');
      await both('PEXPIRE', 'a', '10');
      await both('PEXPIRE', 'b', '10');
      await sleep(50);
      await same(pair, [['DBSIZE'], ['SCAN', '0', 'MATCH', '[ab]'], ['DBSIZE'], ['SCAN', '0'], ['DBSIZE']], { normalize: norm });
    } finally {
      engine().activeExpire = true;
      await pair.r.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
    }
  });
});

describe('RANDOMKEY', () => {
  it('returns nil on an empty database and each key eventually', async () => {
    await same(pair, [['RANDOMKEY'], ['RANDOMKEY', 'x']]);
    await seed(0, 'set', 'x', '10');
    await same(pair, [['RANDOMKEY'], ['DEL', 'x'], ['RANDOMKEY']]);
    await seed(0, 'set', 'foo', 'x');
    await seed(0, 'set', 'bar', 'y');
    const seen = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const r = await pair.e.call('RANDOMKEY');
      if (r.t === 'bulk') seen.add(r.v);
    }
    expect([...seen].sort()).toEqual(['bar', 'foo']);
  });
});

describe('MOVE and COPY', () => {
  it('MOVE moves a key and its TTL between databases', async () => {
    await seed(0, 'set', 'mykey', 'foo');
    await seed(0, 'set', 'ttlkey', 'x');
    await seed(1, 'set', 'taken', 'db1');
    await seed(0, 'set', 'taken', 'db0');
    await same(pair, [
      ['MOVE', 'mykey', '1'],
      ['EXISTS', 'mykey'],
      ['DBSIZE'],
      ['MOVE', 'mykey', '1'],
      ['MOVE', 'taken', '1'],
      ['MOVE', 'taken', '0'],
      ['MOVE', 'taken', 'notanumber'],
      ['MOVE', 'taken', '16'],
      ['MOVE', 'taken', '-1'],
      ['MOVE', 'taken', '4294967296'],
      ['MOVE', 'nokey', '1'],
      ['MOVE', 'nokey', '0'],
      ['EXPIRE', 'ttlkey', '100'],
      ['MOVE', 'ttlkey', '2'],
      ['SELECT', '2'],
      ['TTL', 'ttlkey'],
      ['SELECT', '1'],
      ['TTL', 'mykey'],
      ['TYPE', 'mykey'],
      ['DBSIZE'],
      ['MOVE', 'mykey'],
    ]);
  });

  it('COPY duplicates every type, with DB, REPLACE and the TTL', async () => {
    await seed(0, 'set', 'str', 'foobar');
    await seed(0, 'set', 'num', '5');
    await seed(0, 'rpush', 'list', 'a', 'b', 'c');
    await seed(0, 'sadd', 'iset', '1', '2', '3');
    await seed(0, 'sadd', 'hset_set', 'a', 'b', 'c');
    await seed(0, 'hset', 'hash', 'f1', 'v1', 'f2', 'v2');
    await seed(0, 'set', 'other', 'x');
    await same(pair, [
      ['COPY', 'str', 'str2'],
      ['TYPE', 'str2'],
      ['OBJECT', 'ENCODING', 'str2'],
      ['COPY', 'str', 'other'],
      ['COPY', 'str', 'other', 'REPLACE'],
      ['COPY', 'list', 'list2'],
      ['TYPE', 'list2'],
      ['COPY', 'iset', 'iset2'],
      ['OBJECT', 'ENCODING', 'iset2'],
      ['COPY', 'hset_set', 'hset_set2'],
      ['OBJECT', 'ENCODING', 'hset_set2'],
      ['COPY', 'hash', 'hash2', 'DB', '3'],
      ['COPY', 'hash', 'hash2', 'db', '3'],
      ['COPY', 'hash', 'hash2', 'db', '3', 'replace'],
      ['COPY', 'num', 'num2'],
      ['OBJECT', 'REFCOUNT', 'num'],
      ['OBJECT', 'REFCOUNT', 'num2'],
      ['OBJECT', 'ENCODING', 'num2'],
      ['EXPIRE', 'str', '100'],
      ['COPY', 'str', 'str3'],
      ['TTL', 'str3'],
      ['COPY', 'str2', 'str4'],
      ['TTL', 'str4'],
      ['COPY', 'nokey', 'x'],
      ['COPY', 'str', 'str'],
      ['COPY', 'str', 'str', 'DB', '0'],
      ['COPY', 'nokey', 'nokey'],
      ['COPY', 'str', 'str', 'DB', '1'],
      ['COPY', 'str', 'x', 'DB'],
      ['COPY', 'str', 'x', 'DB', 'abc'],
      ['COPY', 'str', 'x', 'DB', '16'],
      ['COPY', 'str', 'x', 'DB', '-1'],
      ['COPY', 'str', 'x', 'DB', 'abc', 'BAD'],
      ['COPY', 'str', 'x', 'BAD'],
      ['COPY', 'str', 'x', 'REPLACE', 'REPLACE'],
      ['COPY', 'str'],
      ['DEL', 'str', 'list', 'iset', 'hset_set', 'hash'],
      ['EXISTS', 'str2', 'list2', 'iset2', 'hset_set2'],
      ['SELECT', '3'],
      ['TYPE', 'hash2'],
      ['OBJECT', 'ENCODING', 'hash2'],
      ['SELECT', '1'],
      ['EXISTS', 'str'],
    ]);
    // The copies are independent objects (COPY is a deep copy).
    const db0 = engine().dbs[0]!;
    const l2 = db0.entry('list2')!.value;
    const s2 = db0.entry('iset2')!.value;
    expect(l2.type === 'list' && l2.v.toArray()).toEqual(['a', 'b', 'c']);
    expect(s2.type === 'set' && [...s2.v.keys()].sort()).toEqual(['1', '2', '3']);
  });

  it('COPY of a sorted set keeps members and encoding', async () => {
    await seed(0, 'zadd', 'z', '1', 'a', '2', 'b');
    await same(pair, [['COPY', 'z', 'z2'], ['TYPE', 'z2'], ['OBJECT', 'ENCODING', 'z2'], ['ZRANGE', 'z2', '0', '-1', 'WITHSCORES']]);
  });
});

describe('OBJECT', () => {
  it('ENCODING, REFCOUNT and IDLETIME for each kind of value', async () => {
    await seed(0, 'set', 'int', '123');
    await seed(0, 'set', 'negint', '-5');
    await seed(0, 'set', 'bigint', '123456');
    await seed(0, 'set', 'maxshared', '9999');
    await seed(0, 'set', 'notshared', '10000');
    await seed(0, 'set', 'emb', 'hello');
    await seed(0, 'set', 'raw', 'x'.repeat(45));
    await seed(0, 'set', 'emb44', 'x'.repeat(44));
    await seed(0, 'set', 'lead0', '0123');
    await seed(0, 'rpush', 'list', 'a');
    await seed(0, 'sadd', 'iset', '1', '2');
    await seed(0, 'sadd', 'hset_set', 'a', 'b');
    await seed(0, 'hset', 'hash', 'f', 'v');
    await seed(0, 'hset', 'bighash', 'f', 'v'.repeat(65));
    const keys = ['int', 'negint', 'bigint', 'maxshared', 'notshared', 'emb', 'raw', 'emb44', 'lead0', 'list', 'iset', 'hset_set', 'hash', 'bighash', 'nokey'];
    await same(pair, [
      ...keys.map((k) => ['OBJECT', 'ENCODING', k]),
      ...keys.map((k) => ['OBJECT', 'REFCOUNT', k]),
      ...keys.filter((k) => !['int', 'maxshared'].includes(k)).map((k) => ['object', 'idletime', k]),
      ['OBJECT', 'FREQ', 'int'],
      ['OBJECT', 'FREQ', 'nokey'],
      ['OBJECT', 'foo'],
      ['OBJECT', 'foo', 'bar'],
      ['OBJECT'],
      ['OBJECT', 'ENCODING'],
      ['OBJECT', 'ENCODING', 'a', 'b'],
      ['OBJECT', 'HELP', 'x'],
    ]);
  });

  it('replies RESP3 null for a missing key', async () => {
    const r = await RespClient.connect(pair.redis.port);
    const e = await RespClient.connect(pair.engine.port);
    try {
      await Promise.all([r.call('HELLO', '3'), e.call('HELLO', '3')]);
      for (const sub of ['ENCODING', 'REFCOUNT', 'IDLETIME', 'FREQ']) {
        expect(await e.call('OBJECT', sub, 'nokey')).toEqual(await r.call('OBJECT', sub, 'nokey'));
      }
    } finally {
      r.close();
      e.close();
    }
  });

  it('HELP lists every subcommand with its argument, as status lines', async () => {
    const [a, b] = await both('OBJECT', 'HELP');
    expect(a.t).toBe('array');
    expect(b.t).toBe('array');
    if (b.t !== 'array' || a.t !== 'array') return;
    for (const line of b.v) expect(line.t).toBe('simple');
    const heads = (v: RespValue[]) => v.map((x) => (x.t === 'simple' ? x.v : '')).filter((s) => /^[A-Z]+( <key>)?$/.test(s));
    expect(heads(b.v)).toEqual(heads(a.v));
    expect(b.v[0]).toMatchObject({ t: 'simple' });
    expect((b.v[0] as { v: string }).v.startsWith('OBJECT <subcommand>')).toBe(true);
  });

  it('keys holding a shared integer share its access clock (idle since start or last read of that value)', async () => {
    await seed(0, 'set', 'small', '77');
    const [a, b] = await both('OBJECT', 'IDLETIME', 'small');
    if (a.t !== 'int' || b.t !== 'int') throw new Error('IDLETIME failed');
    expect(Math.abs(Number(a.v) - Number(b.v))).toBeLessThanOrEqual(1);
    await seed(0, 'set', 'other', '77');
    await both('TOUCH', 'other');
    await same(pair, [['OBJECT', 'IDLETIME', 'small']]);
  });

  it('IDLETIME reports seconds since the last access', async () => {
    await seed(0, 'set', 'k', 'v');
    engine().dbs[0]!.entry('k')!.lru = Date.now() - 5_500;
    const r = await pair.e.call('OBJECT', 'IDLETIME', 'k');
    expect(r.t === 'int' && Number(r.v) >= 5 && Number(r.v) <= 6).toBe(true);
    await pair.e.call('TOUCH', 'k');
    expect(await pair.e.call('OBJECT', 'IDLETIME', 'k')).toEqual({ t: 'int', v: 0n });
  });

  it('FREQ and IDLETIME under an LFU policy, and no shared integers with maxmemory', async () => {
    const lfu = await startPair({ 'maxmemory-policy': 'allkeys-lfu', maxmemory: '100mb' });
    try {
      await same(lfu, [
        ['SET', 'k', 'v'],
        ['OBJECT', 'FREQ', 'k'],
        ['TOUCH', 'k'],
        ['OBJECT', 'FREQ', 'k'],
        ['OBJECT', 'IDLETIME', 'k'],
        ['OBJECT', 'FREQ', 'nokey'],
        ['OBJECT', 'IDLETIME', 'nokey'],
        ['SET', 'n', '5'],
        ['OBJECT', 'REFCOUNT', 'n'],
        ['OBJECT', 'ENCODING', 'n'],
      ]);
      // The counter decays by one per lfu-decay-time minutes without access; Redis counts whole
      // minutes of its minute clock, so put the last access inside the minute three minutes ago.
      const e = lfu.engine.engine!.dbs[0]!.entry('k')!;
      e.lfu = 8;
      e.lru = (Math.floor(Date.now() / 60_000) - 3) * 60_000 + 30_000;
      expect(await lfu.e.call('OBJECT', 'FREQ', 'k')).toEqual({ t: 'int', v: 5n });
    } finally {
      await lfu.stop();
    }
  });
});

describe('DBSIZE, FLUSHDB, FLUSHALL, SWAPDB', () => {
  it('flush one or all databases, with SYNC/ASYNC and argument errors', async () => {
    await seed(0, 'set', 'a', '1');
    await seed(0, 'set', 'b', '1');
    await seed(1, 'set', 'c', '1');
    await seed(2, 'set', 'd', '1');
    await same(pair, [
      ['DBSIZE'],
      ['FLUSHDB', 'now'],
      ['FLUSHDB', 'sync', 'async'],
      ['FLUSHALL', 'x'],
      ['FLUSHALL', 'ASYNC', 'SYNC'],
      ['FLUSHDB', 'ASYNC'],
      ['DBSIZE'],
      ['SELECT', '1'],
      ['DBSIZE'],
      ['FLUSHDB', 'sync'],
      ['DBSIZE'],
      ['SELECT', '2'],
      ['DBSIZE'],
      ['FLUSHALL', 'SYNC'],
      ['DBSIZE'],
      ['FLUSHALL'],
      ['FLUSHDB'],
    ]);
  });

  it('counts flushed keys as changes', async () => {
    const eng = engine();
    await seed(0, 'set', 'a', '1');
    await seed(1, 'set', 'b', '1');
    await seed(1, 'set', 'c', '1');
    let before = eng.dirty;
    await pair.e.call('FLUSHDB');
    expect(eng.dirty - before).toBe(1);
    before = eng.dirty;
    await pair.e.call('FLUSHALL');
    expect(eng.dirty - before).toBe(2);
  });

  it('SWAPDB exchanges contents and TTLs, and checks its arguments', async () => {
    await seed(0, 'set', 'a', 'in0');
    await seed(0, 'set', 'shared', 'zero');
    await seed(1, 'set', 'b', 'in1');
    await seed(1, 'set', 'shared', 'one');
    await seed(1, 'rpush', 'l', 'x');
    await same(pair, [
      ['SELECT', '1'],
      ['EXPIRE', 'b', '100'],
      ['SELECT', '0'],
      ['SWAPDB', '0', '1'],
      ['DBSIZE'],
      ['EXISTS', 'a', 'b', 'l'],
      ['TTL', 'b'],
      ['TYPE', 'l'],
      ['SWAPDB', '1', '1'],
      ['DBSIZE'],
      ['SWAPDB', '0', '16'],
      ['SWAPDB', '-1', '0'],
      ['SWAPDB', 'x', '0'],
      ['SWAPDB', '0', 'y'],
      ['SWAPDB', 'x', 'y'],
      ['SWAPDB', '0', '99999999999'],
      ['SWAPDB', '0'],
      ['SWAPDB', '1', '0'],
      ['EXISTS', 'a', 'b', 'l'],
      ['KEYS', '*'],
    ], { normalize: norm });
  });
});

describe('keyspace hit/miss accounting', () => {
  it('each command counts hits and misses as Redis does (INFO keyspace_hits/misses deltas)', async () => {
    const redisStats = async (): Promise<[number, number]> => {
      const r = await pair.r.call('INFO', 'stats');
      const text = r.t === 'bulk' || r.t === 'verbatim' ? r.v : '';
      const field = (name: string) => Number(new RegExp(`${name}:(\\d+)`).exec(text)?.[1]);
      return [field('keyspace_hits'), field('keyspace_misses')];
    };
    const engineStats = (): [number, number] => [engine().stats.keyspaceHits, engine().stats.keyspaceMisses];
    await seed(0, 'set', 'a', '1');
    await seed(0, 'set', 'b', 'x');
    await seed(0, 'rpush', 'l', 'x');
    const cases: Cmd[] = [
      ['EXISTS', 'a', 'nokey', 'a'],
      ['TOUCH', 'a', 'nokey'],
      ['TYPE', 'b'],
      ['TYPE', 'nokey'],
      ['TTL', 'a'],
      ['PTTL', 'nokey'],
      ['EXPIRETIME', 'a'],
      ['OBJECT', 'ENCODING', 'a'],
      ['OBJECT', 'REFCOUNT', 'nokey'],
      ['DEL', 'nokey'],
      ['EXPIRE', 'b', '100'],
      ['PERSIST', 'b'],
      ['RENAME', 'b', 'c'],
      ['COPY', 'c', 'd'],
      ['COPY', 'nokey', 'd'],
      ['MOVE', 'd', '1'],
      ['SCAN', '0', 'TYPE', 'string'],
      ['SCAN', '0'],
      ['KEYS', '*'],
      ['RANDOMKEY'],
      ['DBSIZE'],
    ];
    for (const c of cases) {
      const [r0, e0] = [await redisStats(), engineStats()];
      await both(...c);
      const [r1, e1] = [await redisStats(), engineStats()];
      expect([e1[0] - e0[0], e1[1] - e0[1]], c.join(' ')).toEqual([r1[0] - r0[0], r1[1] - r0[1]]);
    }
  });
});


describe('WATCH across FLUSHDB, FLUSHALL and SWAPDB', () => {
  it('aborts EXEC exactly when Redis does', async () => {
    const wr = await RespClient.connect(pair.redis.port);
    const we = await RespClient.connect(pair.engine.port);
    const watcher = async (...cmds: Cmd[]): Promise<void> => {
      for (const c of cmds) {
        const [a, b] = await Promise.all([wr.call(...c), we.call(...c)]);
        expect(JSON.stringify(b, (_k, x) => (typeof x === 'bigint' ? String(x) : x)), `watcher: ${c.join(' ')}`).toBe(
          JSON.stringify(a, (_k, x) => (typeof x === 'bigint' ? String(x) : x)),
        );
      }
    };
    const scenario = async (setup: () => Promise<void>, watched: string, act: Cmd[]): Promise<void> => {
      await both('FLUSHALL');
      await both('SELECT', '0');
      await setup();
      await watcher(['SELECT', '0'], ['WATCH', watched]);
      await same(pair, act);
      await watcher(['MULTI'], ['PING'], ['EXEC']);
    };
    engine().activeExpire = false;
    await pair.r.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    try {
      await scenario(async () => seed(0, 'set', 'k', 'v'), 'k', [['FLUSHDB']]);
      await scenario(async () => seed(0, 'set', 'k', 'v'), 'missing', [['FLUSHDB']]);
      await scenario(async () => seed(0, 'set', 'k', 'v'), 'k', [['SELECT', '1'], ['FLUSHALL'], ['SELECT', '0']]);
      await scenario(async () => seed(0, 'set', 'k', 'v'), 'k', [['SELECT', '1'], ['FLUSHDB'], ['SELECT', '0']]);
      await scenario(async () => seed(1, 'set', 'k', 'v'), 'k', [['SWAPDB', '0', '1']]);
      await scenario(async () => seed(2, 'set', 'k', 'v'), 'k', [['SWAPDB', '1', '2']]);
      await scenario(async () => seed(0, 'set', 'k', 'v'), 'k', [['SWAPDB', '0', '0']]);
      // A key already expired when watched: its removal by a flush is no change.
      await scenario(
        async () => {
          await seed(0, 'set', 'k', 'v');
          await both('PEXPIRE', 'k', '1');
          await sleep(20);
        },
        'k',
        [['FLUSHDB']],
      );
    } finally {
      engine().activeExpire = true;
      await pair.r.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
      wr.close();
      we.close();
    }
  });
});

describe('WATCH and blocked clients across FLUSHDB/FLUSHALL/SWAPDB (white-box)', () => {
  function harness(): { eng: Engine; run: (c: Client, ...argv: string[]) => string; client: () => Client } {
    // No save points: FLUSHALL would otherwise write dump.rdb into the working directory.
    const eng = new EngineClass();
    eng.config.set('save', '');
    let n = 1;
    const client = () => {
      const c = new Client(n++, '127.0.0.1:1', '127.0.0.1:2', -1, Date.now());
      c.authenticated = true;
      eng.clients.set(c.id, c);
      return c;
    };
    const run = (c: Client, ...argv: string[]) => {
      processCommand(eng, c, argv);
      return c.reply.take();
    };
    return { eng, run, client };
  }

  function watch(eng: Engine, c: Client, db: Db, key: string, expired = false): void {
    const id = `${db.id}\0${key}`;
    let set = eng.watchedKeys.get(id);
    if (!set) eng.watchedKeys.set(id, (set = new Set()));
    set.add(c);
    c.watched.push({ db, key, expired });
  }

  it('FLUSHDB dirties watchers of existing keys only, and not of keys already expired when watched', () => {
    const { eng, run, client } = harness();
    const admin = client();
    const [w1, w2, w3, w4] = [client(), client(), client(), client()];
    const db0 = eng.dbs[0]!;
    db0.add('live', newString('v'));
    db0.add('gone', newString('v'));
    db0.setExpire('gone', Date.now() - 1000);
    watch(eng, w1, db0, 'live');
    watch(eng, w2, db0, 'missing');
    watch(eng, w3, db0, 'gone', true);
    watch(eng, w4, eng.dbs[1]!, 'live');
    expect(run(admin, 'FLUSHDB')).toBe('+OK\r\n');
    expect([w1.dirtyCas, w2.dirtyCas, w3.dirtyCas, w4.dirtyCas]).toEqual([true, false, false, false]);
    expect(w3.watched[0]!.expired).toBe(false);
    eng.dbs[1]!.add('live', newString('v'));
    expect(run(admin, 'FLUSHALL')).toBe('+OK\r\n');
    expect(w4.dirtyCas).toBe(true);
  });

  it('SWAPDB dirties watchers of keys present on either side', () => {
    const { eng, run, client } = harness();
    const admin = client();
    const [w1, w2, w3, w4] = [client(), client(), client(), client()];
    const [db0, db1] = [eng.dbs[0]!, eng.dbs[1]!];
    db1.add('only1', newString('v'));
    db0.add('only0', newString('v'));
    db1.add('exp1', newString('v'));
    db1.setExpire('exp1', Date.now() - 1000);
    watch(eng, w1, db0, 'only1'); // appears in db0 after the swap
    watch(eng, w2, db0, 'only0'); // disappears from db0
    watch(eng, w3, db0, 'nowhere');
    watch(eng, w4, db0, 'exp1'); // replaced by an already expired key: only flagged
    expect(run(admin, 'SWAPDB', '0', '1')).toBe('+OK\r\n');
    expect([w1.dirtyCas, w2.dirtyCas, w3.dirtyCas, w4.dirtyCas]).toEqual([true, true, false, false]);
    expect(w4.watched[0]!.expired).toBe(true);
    expect(db0.has('only1')).toBe(true);
    expect(db1.has('only0')).toBe(true);
  });

  it('SWAPDB serves a client blocked on a key that now exists in its database', () => {
    const { eng, run, client } = harness();
    const admin = client();
    const blocked = client();
    const served: string[] = [];
    eng.dbs[1]!.add('queue', { type: 'list', enc: 'quicklist', v: Deque.from(['job']) });
    eng.blocking.block(blocked, {
      db: eng.dbs[0]!,
      keys: ['queue'],
      deadline: 0,
      serve: (key) => {
        const e = eng.dbs[0]!.entry(key);
        if (!e) return false;
        served.push(key);
        return true;
      },
      timeout: () => {},
      command: eng.commands.get('del')!,
      argv: ['BLPOP', 'queue', '0'],
      startedAt: Date.now(),
    });
    expect(run(admin, 'SWAPDB', '0', '1')).toBe('+OK\r\n');
    expect(served).toEqual(['queue']);
    expect(blocked.blocked).toBeNull();
  });

  it('RENAME onto a key a client waits for wakes it', () => {
    const { eng, run, client } = harness();
    const admin = client();
    const blocked = client();
    const served: string[] = [];
    eng.dbs[0]!.add('src', { type: 'list', enc: 'quicklist', v: Deque.from(['job']) });
    eng.blocking.block(blocked, {
      db: eng.dbs[0]!,
      keys: ['dst'],
      deadline: 0,
      serve: (key) => {
        served.push(key);
        return true;
      },
      timeout: () => {},
      command: eng.commands.get('del')!,
      argv: ['BLPOP', 'dst', '0'],
      startedAt: Date.now(),
    });
    expect(run(admin, 'RENAME', 'src', 'dst')).toBe('+OK\r\n');
    expect(served).toEqual(['dst']);
  });
});

describe('generated sequences', () => {
  it('mixed keyspace commands on a small key space match Redis', async () => {
    const keys = ['a', 'b', 'c', 'l', 's'];
    const fut = Math.floor(Date.now() / 1000) + 1_000_000;
    const key = fc.constantFrom(...keys);
    const val = fc.constantFrom('1', '42', '9999', '10000', '-3', 'x', 'hello world', 'y'.repeat(50));
    const flag = fc.constantFrom<string[]>([], ['NX'], ['XX'], ['GT'], ['LT'], ['nx'], ['XX', 'GT']);
    const relFlag = fc.constantFrom<string[]>([], ['NX'], ['XX']);
    const pattern = fc.constantFrom('*', 'a', '[ab]', '?', 'l*', 'x*');
    const typ = fc.constantFrom('string', 'list', 'set', 'hash', 'zset');
    const many = fc.array(key, { minLength: 1, maxLength: 3 });
    const weighted: Array<[number, fc.Arbitrary<string[]>]> = [
      [6, fc.tuple(key, val).map(([k, v]) => ['SET', k, v])],
      [2, many.map((ks) => ['DEL', ...ks])],
      [1, many.map((ks) => ['UNLINK', ...ks])],
      [2, many.map((ks) => ['EXISTS', ...ks])],
      [1, many.map((ks) => ['TOUCH', ...ks])],
      [2, key.map((k) => ['TYPE', k])],
      [3, fc.tuple(key, key).map(([x, y]) => ['RENAME', x, y])],
      [2, fc.tuple(key, key).map(([x, y]) => ['RENAMENX', x, y])],
      [3, fc.tuple(key, fc.constantFrom('-5', '0', '100', '200', '300'), relFlag).map(([k, t, f]) => ['EXPIRE', k, t, ...f])],
      [3, fc.tuple(key, fc.constantFrom(0, 1000, 5000, 9000), flag).map(([k, o, f]) => ['PEXPIREAT', k, String(fut * 1000 + o), ...f])],
      [2, fc.tuple(key, fc.constantFrom(fut, fut + 3, 1), flag).map(([k, t, f]) => ['EXPIREAT', k, String(t), ...f])],
      [1, key.map((k) => ['PERSIST', k])],
      [3, fc.tuple(fc.constantFrom('TTL', 'PTTL', 'EXPIRETIME', 'PEXPIRETIME'), key).map(([c, k]) => [c, k])],
      [2, pattern.map((p) => ['KEYS', p])],
      [2, fc.tuple(pattern, fc.option(typ, { nil: undefined })).map(([p, t]) => ['SCAN', '0', 'MATCH', p, 'COUNT', '100', ...(t ? ['TYPE', t] : [])])],
      [1, fc.constant(['DBSIZE'])],
      [1, fc.constant(['RANDOMKEY'])],
      [2, fc.tuple(key, fc.constantFrom('0', '1')).map(([k, d]) => ['MOVE', k, d])],
      [3, fc.tuple(key, key, fc.constantFrom<string[]>([], ['REPLACE'], ['DB', '1'], ['DB', '1', 'REPLACE'], ['DB', '0'])).map(([x, y, o]) => ['COPY', x, y, ...o])],
      [2, fc.tuple(fc.constantFrom('ENCODING', 'REFCOUNT'), key).map(([s, k]) => ['OBJECT', s, k])],
      [1, fc.constantFrom('0', '1').map((d) => ['SELECT', d])],
      [1, fc.constant(['SWAPDB', '0', '1'])],
      [1, fc.constant(['FLUSHDB'])],
    ];
    const command = fc.oneof(...weighted.map(([weight, arbitrary]) => ({ weight, arbitrary })));
    const timeReplies = new Set(['ttl', 'pttl', 'expiretime', 'pexpiretime']);
    const normalize = (v: RespValue, c: Cmd): RespValue => {
      const name = String(c[0]).toLowerCase();
      // Relative TTLs read back a few ms apart on the two servers: compare only their sign.
      if (timeReplies.has(name) && v.t === 'int' && v.v >= 0n) return { t: 'simple', v: 'non-negative' };
      if (name === 'randomkey') return { t: 'simple', v: v.t === 'null' ? 'nil' : 'key' };
      return norm(v, c);
    };
    const runs = fc.sample(fc.array(command, { minLength: 20, maxLength: 60 }), { seed: 20240607, numRuns: 200 });
    const problems: string[] = [];
    for (const cmds of runs) {
      await both('FLUSHALL');
      await both('SELECT', '0');
      await seed(0, 'rpush', 'l', 'x', 'y');
      await seed(0, 'sadd', 's', '1', '2');
      await seed(1, 'set', 'a', 'in-db1');
      problems.push(...(await diff(pair, cmds, { normalize })));
      if (problems.length > 0) {
        problems.unshift(`sequence: ${cmds.map((c) => c.join(' ')).join(' | ')}`);
        break;
      }
    }
    expect(problems).toEqual([]);
  });
});
