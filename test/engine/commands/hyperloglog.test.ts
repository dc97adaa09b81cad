// HyperLogLog commands compared with a real redis-server 7.0: replies, and the stored bytes (GET)
// after PFADD / PFCOUNT / PFMERGE sequences, sparse -> dense promotion at hll-sparse-max-bytes,
// binary elements, corrupt values written by SET/SETRANGE, error texts, dirty and keyspace
// counters, WATCH signals, keyspace notifications, MEMORY USAGE, and generated sequences.

import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { configurePair, diff, resetPair, same, sameWithCounters, show, startPair, type Cmd, type Pair } from '../../helpers/differential.js';
import { RespClient } from '../../helpers/resp-client.js';
import { murmurHash64A } from '../../../src/engine/types/hll-hash.js';
import { grownStringCost } from '../../../src/engine/types/string-sds.js';
import { REDIS_7_0, sdsBytes } from '../../../src/memory/index.js';
import type { RespValue } from '../../../src/formats/resp/reply-parser.js';

let pair: Pair;

beforeAll(async () => {
  pair = await startPair();
});
afterAll(async () => {
  await pair?.stop();
});
beforeEach(async () => {
  await resetPair(pair, { 'hll-sparse-max-bytes': '3000', 'notify-keyspace-events': '' });
});

/** MEMORY USAGE from the sds state the engine recorded on a key's value (undefined: none recorded). */
function trackedUsage(key: string): number | undefined {
  const o = pair.engine.engine!.dbs[0]!.entry(key)?.value;
  if (o === undefined || o.type !== 'string') return undefined;
  const cost = grownStringCost(o);
  return cost === undefined ? undefined : cost.usage + sdsBytes(key.length) + REDIS_7_0.dictEntry;
}

/** The payload of a reply, whatever its kind. */
const field = (v: RespValue): unknown => ('v' in v ? v.v : null);

const els = (prefix: string, n: number, from = 0): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i + from}`);

describe('MurmurHash64A', () => {
  it('matches a BigInt reference implementation', () => {
    const M = 0xc6a4a7935bd1e995n;
    const U = (1n << 64n) - 1n;
    const ref = (s: string): bigint => {
      let h = (0xadc83b19n ^ (BigInt(s.length) * M)) & U;
      const whole = s.length - (s.length & 7);
      let i = 0;
      for (; i < whole; i += 8) {
        let k = 0n;
        for (let j = 7; j >= 0; j--) k = (k << 8n) | BigInt(s.charCodeAt(i + j));
        k = (k * M) & U;
        k ^= k >> 47n;
        k = (k * M) & U;
        h = ((h ^ k) * M) & U;
      }
      if (s.length & 7) {
        for (let j = (s.length & 7) - 1; j >= 0; j--) h ^= BigInt(s.charCodeAt(i + j)) << BigInt(8 * j);
        h = (h * M) & U;
      }
      h ^= h >> 47n;
      h = (h * M) & U;
      return h ^ (h >> 47n);
    };
    const samples = fc.sample(fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)), maxLength: 40 }), { seed: 3, numRuns: 500 });
    for (const s of samples) expect(murmurHash64A(s)).toBe(ref(s));
  });
});

describe('PFADD / PFCOUNT / PFMERGE', () => {
  it('answer and store bytes as Redis', async () => {
    await same(pair, [
      ['PFADD', 'h'],
      ['GET', 'h'],
      ['OBJECT', 'ENCODING', 'h'],
      ['PFCOUNT', 'h'],
      ['PFADD', 'h', 'a', 'b', 'c'],
      ['GET', 'h'],
      ['PFADD', 'h', 'a', 'b', 'c'],
      ['PFCOUNT', 'h'],
      ['GET', 'h'],
      ['PFADD', 'h', ''],
      ['PFADD', 'h', '\u0000', '\u00ff\u00fe', 'x\r\ny', 'élément', 'a'.repeat(100)],
      ['GET', 'h'],
      ['PFCOUNT', 'h'],
      ['PFCOUNT', 'nokey'],
      ['PFCOUNT', 'h', 'nokey'],
      ['PFADD', 'g', ...els('e', 50)],
      ['PFCOUNT', 'h', 'g'],
      ['PFMERGE', 'm', 'h', 'g'],
      ['GET', 'm'],
      ['PFCOUNT', 'm'],
      ['PFMERGE', 'm2'],
      ['GET', 'm2'],
      ['PFMERGE', 'g', 'h'],
      ['GET', 'g'],
      ['PFDEBUG', 'ENCODING', 'g'],
      ['PFDEBUG', 'DECODE', 'g'],
      ['PFDEBUG', 'decode', 'm2'],
      ['STRLEN', 'g'],
    ]);
  });

  it('promote sparse to dense as Redis, with the same bytes on the way', async () => {
    const cmds: Cmd[] = [];
    for (let n = 0; n < 4000; n += 100) {
      cmds.push(['PFADD', 'h', ...els('x', 100, n)], ['STRLEN', 'h'], ['PFDEBUG', 'ENCODING', 'h'], ['PFCOUNT', 'h']);
      if (n % 500 === 0) cmds.push(['GET', 'h']);
    }
    cmds.push(['GET', 'h'], ['PFADD', 'h', ...els('y', 2000)], ['GET', 'h'], ['PFCOUNT', 'h'], ['GET', 'h']);
    expect(await diff(pair, cmds)).toEqual([]);
  });

  it('follow hll-sparse-max-bytes and dense merges', async () => {
    await configurePair(pair, { 'hll-sparse-max-bytes': '60' });
    await same(pair, [
      ['PFADD', 'a', ...els('a', 10)],
      ['PFDEBUG', 'ENCODING', 'a'],
      ['PFADD', 'a', ...els('a', 30)],
      ['PFDEBUG', 'ENCODING', 'a'],
      ['GET', 'a'],
      ['PFADD', 'b', ...els('b', 5)],
      ['PFMERGE', 'b', 'a'],
      ['GET', 'b'],
      ['PFADD', 's', ...els('s', 3)],
      ['PFMERGE', 'd', 's', 'a', 'nokey'],
      ['GET', 'd'],
      ['PFCOUNT', 'a', 'b', 's'],
    ]);
    await configurePair(pair, { 'hll-sparse-max-bytes': '0' });
    await same(pair, [['PFADD', 'z'], ['PFADD', 'z', 'q'], ['PFDEBUG', 'ENCODING', 'z'], ['GET', 'z']]);
  });

  it('keep sparse and dense counts equal (stress, as hyperloglog.tcl)', async () => {
    const cmds: Cmd[] = [];
    const sizes = fc.sample(fc.nat(100), { seed: 11, numRuns: 20 });
    sizes.forEach((n, i) => {
      const e = els(`r${i}:`, n);
      cmds.push(['DEL', 'h1', 'h2'], ['PFADD', 'h2'], ['PFDEBUG', 'TODENSE', 'h2'], ['PFADD', 'h1', ...e], ['PFADD', 'h2', ...e]);
      cmds.push(['PFCOUNT', 'h1'], ['PFCOUNT', 'h2'], ['GET', 'h1'], ['GET', 'h2']);
    });
    expect(await diff(pair, cmds)).toEqual([]);
  });

  it('give PFDEBUG answers as Redis', async () => {
    await same(pair, [
      ['PFADD', 'h', '1', '2', '3'],
      ['PFDEBUG', 'DECODE', 'h'],
      ['PFDEBUG', 'GETREG', 'h'],
      ['PFDEBUG', 'ENCODING', 'h'],
      ['GET', 'h'],
      ['PFDEBUG', 'TODENSE', 'h'],
      ['PFDEBUG', 'TODENSE', 'h'],
      ['PFDEBUG', 'DECODE', 'h'],
      ['PFDEBUG', 'FOO', 'h'],
      ['PFDEBUG', 'GETREG', 'nokey'],
      ['PFDEBUG', 'GETREG'],
      ['SET', 's', 'abc'],
      ['PFDEBUG', 'FOO', 's'],
      ['PFSELFTEST'],
      ['PFSELFTEST', 'x'],
    ]);
  });
});

describe('errors and corrupt values', () => {
  it('reject other types and non-HLL strings with Redis error texts', async () => {
    await same(pair, [
      ['RPUSH', 'l', 'x'],
      ['SET', 's', 'bar'],
      ['SET', 'i', '12345'],
      ['SET', 'short', 'HYLL'],
      ['PFADD', 'l', 'a'],
      ['PFADD', 's', 'a'],
      ['PFADD', 'i', 'a'],
      ['PFADD', 'short', 'a'],
      ['PFCOUNT', 'l'],
      ['PFCOUNT', 's'],
      ['PFCOUNT', 'nokey', 's'],
      ['PFCOUNT', 'l', 's'],
      ['PFMERGE', 'bar', 's'],
      ['PFMERGE', 's', 'bar'],
      ['PFMERGE', 'l'],
      ['EXISTS', 'bar'],
      ['PFADD'],
      ['PFCOUNT'],
      ['PFMERGE'],
    ]);
  });

  it('detect corrupt values as hyperloglog.tcl does', async () => {
    await same(pair, [
      ['PFADD', 'h', 'a', 'b', 'c'],
      ['APPEND', 'h', 'hello'],
      ['PFCOUNT', 'h'],
      ['PFADD', 'h', 'zzz'],
      ['PFCOUNT', 'h', 'h'],
      ['PFMERGE', 'x', 'h'],
      ['PFDEBUG', 'GETREG', 'h'],
      ['PFDEBUG', 'DECODE', 'h'],
      ['GET', 'h'],
      ['DEL', 'h'],
      ['PFADD', 'h', 'a', 'b', 'c'],
      ['SETRANGE', 'h', '0', '0123'],
      ['PFCOUNT', 'h'],
      ['DEL', 'h'],
      ['PFADD', 'h', 'a', 'b', 'c'],
      ['SETRANGE', 'h', '4', 'x'],
      ['PFCOUNT', 'h'],
      ['DEL', 'h'],
      ['PFADD', 'h', 'a', 'b', 'c'],
      ['SETRANGE', 'h', '4', '\u0000'],
      ['PFCOUNT', 'h'],
      ['SET', 't', 'HYLL\u0001\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0080'],
      ['PFCOUNT', 't'],
      ['PFADD', 't', 'a'],
      ['GET', 't'],
      ['SET', 'u', 'HYLL\u0001\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0080\u0040\u00ff'],
      ['PFADD', 'u', ...els('u', 20)],
      ['GET', 'u'],
      ['PFCOUNT', 'u'],
    ]);
  });

  it('handle randomly corrupted sparse and dense values as Redis (fuzz)', async () => {
    const cases = fc.sample(
      fc.record({
        n: fc.nat(2500),
        edits: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        more: fc.array(fc.string({ maxLength: 3 }), { maxLength: 30 }),
      }),
      { seed: 5, numRuns: 40 },
    );
    const problems: string[] = [];
    for (const [i, c] of cases.entries()) {
      await same(pair, [['DEL', 'h', 'd'], ['PFADD', 'h', ...els(`f${i}:`, c.n)]]);
      const len = Number(field(await pair.r.call('STRLEN', 'h')));
      const cmds: Cmd[] = c.edits.map(([pos, byte]) => ['SETRANGE', 'h', String(pos % len), String.fromCharCode(byte)]);
      cmds.push(['GET', 'h'], ['PFCOUNT', 'h'], ['PFADD', 'h', ...c.more], ['GET', 'h'], ['PFMERGE', 'd', 'h'], ['GET', 'd'], ['PFCOUNT', 'h', 'd'], ['PFDEBUG', 'TODENSE', 'h'], ['GET', 'h']);
      problems.push(...(await diff(pair, cmds)));
    }
    expect(problems.slice(0, 5)).toEqual([]);
  });

  it('read values written by Redis (SET of the bytes, RESTORE of a DUMP)', async () => {
    await pair.r.call('PFADD', 'src', ...els('w', 700));
    await pair.r.call('PFADD', 'big', ...els('w', 5000));
    for (const key of ['src', 'big']) {
      const bytes = await pair.r.call('GET', key);
      const dump = await pair.r.call('DUMP', key);
      const raw = (v: RespValue): Buffer => Buffer.from(String(field(v)), 'latin1');
      await pair.e.call('SET', key, raw(bytes));
      await pair.e.call('RESTORE', `${key}-r`, '0', raw(dump));
      await pair.r.call('RESTORE', `${key}-r`, '0', raw(dump));
      await same(pair, [
        ['GET', key],
        ['PFCOUNT', key],
        ['PFCOUNT', `${key}-r`],
        ['PFADD', key, 'new1', 'new2', 'new3'],
        ['PFADD', `${key}-r`, 'new1', 'new2', 'new3'],
        ['GET', key],
        ['GET', `${key}-r`],
        ['OBJECT', 'ENCODING', key],
      ]);
    }
  });
});

describe('side effects', () => {
  it('move dirty and keyspace hit/miss counters as Redis', async () => {
    await sameWithCounters(pair, [
      ['PFADD', 'h', 'a', 'b', 'c', 'a'],
      ['PFADD', 'h', 'a'],
      ['PFADD', 'h'],
      ['PFADD', 'n'],
      ['PFCOUNT', 'h'],
      ['PFCOUNT', 'h'],
      ['PFCOUNT', 'h', 'n', 'nokey'],
      ['PFCOUNT', 'nokey'],
      ['PFMERGE', 'm', 'h', 'nokey'],
      ['PFMERGE', 'm', 'h'],
      ['PFDEBUG', 'GETREG', 'h'],
      ['PFDEBUG', 'TODENSE', 'm'],
      ['PFDEBUG', 'TODENSE', 'm'],
      ['PFDEBUG', 'ENCODING', 'nokey'],
      ['PFADD', 'h', ...els('d', 20)],
      ['SET', 's', 'abc'],
      ['PFADD', 's', 'x'],
    ]);
  });

  it('signal WATCHed keys only when Redis does', async () => {
    const cases: Array<[Cmd[], Cmd]> = [
      [[['PFADD', 'h', 'a']], ['PFADD', 'h', 'a']],
      [[], ['PFADD', 'h', 'b']],
      [[['PFCOUNT', 'h']], ['PFCOUNT', 'h']],
      [[['PFADD', 'h', 'c']], ['PFCOUNT', 'h']],
      [[], ['PFMERGE', 'h']],
      [[], ['PFDEBUG', 'TODENSE', 'h']],
      [[['PFCOUNT', 'h']], ['PFDEBUG', 'ENCODING', 'h']],
      [[], ['PFCOUNT', 'h', 'x']],
      [[['SET', 'e', 'HYLL\u0001\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u007f\u00ff']], ['PFCOUNT', 'e']],
    ];
    for (const [setup, c] of cases) {
      await same(pair, [...setup, ['WATCH', String(c[1])], c, ['MULTI'], ['PING'], ['EXEC']]);
    }
  });

  it('publish the same keyspace notifications', async () => {
    const MARK = '__keyspace@0__:~end~';
    const script: Cmd[] = [
      ['PFADD', 'h', 'a'],
      ['PFADD', 'h', 'a'],
      ['PFADD', 'h'],
      ['PFADD', 'n'],
      ['PFCOUNT', 'h'],
      ['PFMERGE', 'm', 'h'],
      ['PFDEBUG', 'TODENSE', 'm'],
      ['SET', 's', 'x'],
      ['PFADD', 's', 'a'],
    ];
    const events: string[][] = [];
    for (const [port, c] of [[pair.redis.port, pair.r], [pair.engine.port, pair.e]] as const) {
      await c.call('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
      const sub = await RespClient.connect(port);
      await sub.call('PSUBSCRIBE', '__key*__:*');
      for (const cmd of script) await c.call(...cmd);
      await c.call('PUBLISH', MARK, 'x');
      const got: string[] = [];
      for (;;) {
        const v = await sub.read(5000);
        const parts = (field(v) as RespValue[]).map((x) => (x.t === 'bulk' ? x.v : show(x)));
        if (parts[0] !== 'pmessage' || parts[2] === MARK || got.length > 100) break;
        got.push(`${parts[2]} ${parts[3]}`);
      }
      sub.close();
      events.push(got);
      await c.call('CONFIG', 'SET', 'notify-keyspace-events', '');
    }
    expect(events[1]).toEqual(events[0]);
    expect(events[0]!.length).toBeGreaterThan(0);
  });

  it('track the sds allocation Redis has behind each HLL value', async () => {
    const keys = ['h', 'e', 'd', 'md', 'ms', 'hc'];
    const cmds: Cmd[] = [['PFADD', 'h'], ['PFADD', 'h', 'a']];
    for (let n = 0; n < 2000; n += 150) cmds.push(['PFADD', 'h', ...els('m', 150, n)]);
    cmds.push(['PFADD', 'd', ...els('d', 4000)], ['PFMERGE', 'md', 'd'], ['PFMERGE', 'ms', 'h'], ['COPY', 'h', 'hc']);
    cmds.push(['SET', 'e', 'HYLL\u0001\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0080\u007f\u00ff'], ['PFCOUNT', 'e']);
    const problems: string[] = [];
    for (const c of cmds) {
      problems.push(...(await diff(pair, [c])));
      for (const k of keys) {
        const r = await pair.r.call('MEMORY', 'USAGE', k);
        const mine = trackedUsage(k);
        if (r.t === 'int' && mine !== undefined && Number(r.v) !== mine) problems.push(`after ${c.join(' ').slice(0, 40)}: ${k} redis ${r.v}, tracked ${mine}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('report MEMORY USAGE as Redis', async () => {
    const cmds: Cmd[] = [
      ['PFADD', 'h'],
      ['MEMORY', 'USAGE', 'h'],
      ['PFADD', 'h', 'a'],
      ['MEMORY', 'USAGE', 'h'],
    ];
    for (let n = 0; n < 2000; n += 150) cmds.push(['PFADD', 'h', ...els('m', 150, n)], ['STRLEN', 'h'], ['MEMORY', 'USAGE', 'h']);
    cmds.push(['PFADD', 'd', ...els('d', 4000)], ['MEMORY', 'USAGE', 'd'], ['PFMERGE', 'md', 'd'], ['MEMORY', 'USAGE', 'md']);
    cmds.push(['PFMERGE', 'ms', 'h'], ['MEMORY', 'USAGE', 'ms'], ['COPY', 'h', 'hc'], ['MEMORY', 'USAGE', 'hc']);
    cmds.push(['SET', 'e', 'HYLL\u0001\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0080\u007f\u00ff'], ['MEMORY', 'USAGE', 'e']);
    cmds.push(['PFCOUNT', 'e'], ['OBJECT', 'ENCODING', 'e'], ['MEMORY', 'USAGE', 'e'], ['PFADD', 'e', 'a', 'b'], ['MEMORY', 'USAGE', 'e']);
    expect(await diff(pair, cmds)).toEqual([]);
  });
});

describe('generated sequences', () => {
  it('match Redis, bytes included', async () => {
    const key = fc.constantFrom('h1', 'h2', 'h3');
    const ele = fc.oneof(fc.constantFrom('a', 'b', '', '\u0000', 'élan'), fc.nat(5000).map(String));
    const cmdArb = fc.oneof(
      { weight: 5, arbitrary: fc.tuple(fc.constant('PFADD'), key, fc.array(ele, { maxLength: 40 })).map(([c, k, e]) => [c, k, ...e]) },
      { weight: 2, arbitrary: fc.tuple(fc.constant('PFCOUNT'), fc.array(key, { minLength: 1, maxLength: 3 })).map(([c, k]) => [c, ...k]) },
      { weight: 1, arbitrary: fc.tuple(fc.constant('PFMERGE'), key, fc.array(key, { maxLength: 2 })).map(([c, k, s]) => [c, k, ...s]) },
      { weight: 2, arbitrary: fc.tuple(fc.constant('GET'), key) },
      { weight: 1, arbitrary: fc.tuple(fc.constant('PFDEBUG'), fc.constantFrom('ENCODING', 'TODENSE'), key) },
    );
    const seqs = fc.sample(fc.array(cmdArb, { minLength: 10, maxLength: 40 }), { numRuns: 25, seed: 42 });
    const problems: string[] = [];
    for (const seq of seqs) {
      await same(pair, [['DEL', 'h1', 'h2', 'h3']]);
      problems.push(...(await diff(pair, seq as Cmd[])));
      for (const k of ['h1', 'h2', 'h3']) {
        const r = await pair.r.call('MEMORY', 'USAGE', k);
        const mine = trackedUsage(k);
        if (r.t === 'int' && mine !== undefined && Number(r.v) !== mine) problems.push(`tracked MEMORY USAGE ${k}: redis ${r.v}, tracked ${mine}`);
      }
    }
    expect(problems.slice(0, 5)).toEqual([]);
  });
});
