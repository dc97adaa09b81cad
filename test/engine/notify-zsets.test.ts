// Keyspace notifications of the sorted-set family compared with a real redis-server 7.0: both
// servers get the same notify-keyspace-events setting and a PSUBSCRIBE '__key*__:*' subscriber,
// the same commands run on both, and the ordered stream of pmessages each subscriber receives must
// be identical (as must the replies). Covered: every zset write command, no-op forms that must stay
// silent, emptied keys ("del"), empty STORE results, errors, MULTI/EXEC, blocked BZPOP*/BZMPOP
// clients served later, event classes other than KEA, a RESP3 subscriber, and generated sequences.

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diff, show, startPair, type Cmd, type Pair } from '../helpers/differential.js';
import { RespClient } from '../helpers/resp-client.js';

let pair: Pair;

beforeAll(async () => {
  // hz 100: Redis times blocked clients out from its event loop, which wakes at hz.
  pair = await startPair({ hz: '100' });
});
afterAll(async () => {
  await pair?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const END = '__key__:end';

interface Side {
  name: 'redis' | 'engine';
  port: number;
  cmd: RespClient;
  sub: RespClient;
  extra: RespClient[];
}

async function openSide(name: Side['name'], port: number, cmd: RespClient, resp3: boolean): Promise<Side> {
  const sub = await RespClient.connect(port);
  if (resp3) await sub.call('HELLO', '3');
  const r = await sub.call('PSUBSCRIBE', '__key*__:*');
  expect(show(r)).toContain('psubscribe');
  return { name, port, cmd, sub, extra: [] };
}

function closeSide(s: Side): void {
  s.sub.close();
  for (const c of s.extra) c.close();
}

/** pmessages received up to the END marker, as "channel message" lines. */
async function drain(s: Side): Promise<string[]> {
  await s.cmd.call('PUBLISH', END, 'x');
  const out: string[] = [];
  for (;;) {
    const v = await s.sub.read(5000);
    if ((v.t !== 'array' && v.t !== 'push') || v.v.length !== 4) throw new Error(`unexpected on subscriber: ${show(v)}`);
    const [kind, , channel, message] = v.v.map((x) => (x.t === 'bulk' ? x.v : show(x)));
    if (kind !== 'pmessage') throw new Error(`unexpected on subscriber: ${show(v)}`);
    if (channel === END) return out;
    out.push(`${channel} ${message}`);
  }
}

/** Waits until `n` clients of a side are blocked (CLIENT LIST flags contain "b"). */
async function waitBlocked(s: Side, n: number): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const v = await s.cmd.call('CLIENT', 'LIST');
    const t = v.t === 'bulk' || v.t === 'verbatim' ? v.v : '';
    if (t.split('\n').filter((l) => /flags=\w*b/.test(l)).length === n) return;
    await sleep(5);
  }
  throw new Error(`${s.name}: ${n} blocked clients never showed up`);
}

interface Run {
  replies: string[];
  events: string[];
}

/**
 * Runs `scenario` on each side after FLUSHALL and CONFIG SET notify-keyspace-events `flags`, and
 * returns what it replied and the events the subscriber saw.
 */
async function onBoth(flags: string, scenario: (s: Side) => Promise<string[]>, resp3 = false): Promise<Run[]> {
  const runs: Run[] = [];
  for (const [name, port, cmd] of [
    ['redis', pair.redis.port, pair.r],
    ['engine', pair.engine.port, pair.e],
  ] as const) {
    await cmd.call('CONFIG', 'SET', 'notify-keyspace-events', '');
    await cmd.call('FLUSHALL');
    await cmd.call('CONFIG', 'SET', 'zset-max-listpack-entries', '128');
    const s = await openSide(name, port, cmd, resp3);
    try {
      const set = await cmd.call('CONFIG', 'SET', 'notify-keyspace-events', flags);
      expect(show(set)).toBe(show({ t: 'simple', v: 'OK' }));
      const replies = await scenario(s);
      runs.push({ replies, events: await drain(s) });
    } finally {
      closeSide(s);
      await cmd.call('CONFIG', 'SET', 'notify-keyspace-events', '');
    }
  }
  return runs;
}

function expectSame(runs: Run[]): void {
  const [redis, engine] = runs as [Run, Run];
  expect(engine.replies.join('\n'), 'replies').toBe(redis.replies.join('\n'));
  expect(engine.events.join('\n'), 'events').toBe(redis.events.join('\n'));
}

/** A scenario that sends plain commands on the command connection. */
function sequence(cmds: Cmd[]): (s: Side) => Promise<string[]> {
  return async (s) => {
    const out: string[] = [];
    for (const c of cmds) out.push(show(await s.cmd.call(...c)));
    return out;
  };
}

const LONG = 'm'.repeat(70); // beyond zset-max-listpack-value: a skiplist from the start

/** Every zset write command, in forms that notify and forms that must not. */
const WRITES: Cmd[] = [
  ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e'],
  ['ZADD', 'z', 'NX', '9', 'a'],
  ['ZADD', 'z', '1', 'a'],
  ['ZADD', 'z', 'XX', '1', 'nope'],
  ['ZADD', 'missing', 'XX', '1', 'a'],
  ['ZADD', 'z', 'GT', '0', 'a'],
  ['ZADD', 'z', 'CH', '7', 'a', '8', 'f'],
  ['ZADD', 'z', 'INCR', '1', 'b'],
  ['ZADD', 'z', 'INCR', 'NX', '1', 'b'],
  ['ZINCRBY', 'z', '0', 'b'],
  ['ZINCRBY', 'z', '2.5', 'c'],
  ['ZINCRBY', 'newz', '1', 'x'],
  ['ZADD', 'big', '1', LONG, '2', 'y', '3', 'z'],
  ['ZADD', 'inf', 'inf', 'p'],
  ['ZINCRBY', 'inf', '-inf', 'p'],
  ['ZADD', 'inf', 'INCR', '-inf', 'p'],
  ['SET', 'str', 'v'],
  ['ZADD', 'str', '1', 'a'],
  ['ZREM', 'str', 'a'],
  ['ZREM', 'z', 'nope'],
  ['ZREM', 'z', 'a', 'nope'],
  ['ZREM', 'missing', 'a'],
  ['ZREM', 'newz', 'x', 'y'],
  ['ZREMRANGEBYRANK', 'z', '10', '20'],
  ['ZREMRANGEBYRANK', 'z', '0', '0'],
  ['ZREMRANGEBYSCORE', 'z', '100', '200'],
  ['ZREMRANGEBYSCORE', 'z', '(2', '4'],
  ['ZADD', 'lex', '0', 'a', '0', 'b', '0', 'c', '0', 'd'],
  ['ZREMRANGEBYLEX', 'lex', '[x', '+'],
  ['ZREMRANGEBYLEX', 'lex', '-', '(b'],
  ['ZREMRANGEBYLEX', 'lex', '-', '+'],
  ['ZADD', 'r', '1', 'a'],
  ['ZREMRANGEBYRANK', 'r', '0', '-1'],
  ['ZADD', 'r', '1', 'a'],
  ['ZREMRANGEBYSCORE', 'r', '-inf', '+inf'],
  ['ZREMRANGEBYSCORE', 'missing', '-inf', '+inf'],
  ['ZADD', 'z1', '1', 'a', '2', 'b', '3', 'c'],
  ['ZADD', 'z2', '10', 'b', '20', 'c', '30', 'd'],
  ['SADD', 'set', 'c', 'e'],
  ['ZUNIONSTORE', 'u', '2', 'z1', 'z2'],
  ['ZUNIONSTORE', 'u', '3', 'z1', 'z2', 'set', 'WEIGHTS', '1', '2', '3', 'AGGREGATE', 'MAX'],
  ['ZINTERSTORE', 'i', '2', 'z1', 'z2'],
  ['ZINTERSTORE', 'i', '2', 'z1', 'missing'],
  ['ZINTERSTORE', 'i', '2', 'z1', 'missing'],
  ['ZDIFFSTORE', 'd', '2', 'z1', 'z2'],
  ['ZDIFFSTORE', 'd', '2', 'z1', 'z1'],
  ['ZDIFFSTORE', 'nothing', '1', 'missing'],
  ['ZUNIONSTORE', 'u', '1', 'missing'],
  ['ZUNIONSTORE', 'z1', '2', 'z1', 'big'],
  ['ZUNIONSTORE', 'u', '1', 'str'],
  ['ZRANGESTORE', 'rs', 'z2', '0', '1'],
  ['ZRANGESTORE', 'rs', 'z2', '(10', '+inf', 'BYSCORE', 'LIMIT', '0', '1'],
  ['ZRANGESTORE', 'rs', 'z2', '[a', '[z', 'BYLEX', 'REV'],
  ['ZRANGESTORE', 'rs', 'z2', '5', '6'],
  ['ZRANGESTORE', 'rs', 'z2', '5', '6'],
  ['ZRANGESTORE', 'rs', 'missing', '0', '-1'],
  ['ZRANGESTORE', 'str', 'z2', '0', '-1'],
  ['ZADD', 'p', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e'],
  ['ZPOPMIN', 'p'],
  ['ZPOPMAX', 'p', '2'],
  ['ZPOPMIN', 'p', '0'],
  ['ZPOPMIN', 'missing'],
  ['ZPOPMAX', 'missing', '3'],
  ['ZPOPMIN', 'str'],
  ['ZPOPMIN', 'p', '10'],
  ['ZADD', 'p', '1', 'a', '2', 'b', '3', 'c'],
  ['ZMPOP', '2', 'missing', 'p', 'MIN'],
  ['ZMPOP', '1', 'p', 'MAX', 'COUNT', '5'],
  ['ZMPOP', '1', 'p', 'MAX'],
  ['ZADD', 'p', '1', 'a', '2', 'b', '3', 'c', '1', LONG],
  ['BZPOPMIN', 'missing', 'p', '0'],
  ['BZPOPMAX', 'p', '0'],
  ['BZMPOP', '0', '2', 'missing', 'p', 'MAX', 'COUNT', '10'],
  ['BZPOPMIN', 'str', '0'],
  ['ZADD', 'e', '1', 'a'],
  ['PEXPIRE', 'e', '1'],
  ['DEBUG', 'SLEEP', '0.01'],
  ['ZADD', 'e', '1', 'b'],
  ['ZCARD', 'e'],
  ['ZSCORE', 'nokey', 'a'],
  ['ZRANGE', 'nokey', '0', '-1'],
  ['DEL', 'z2'],
];

/** Writes inside a transaction (a blocking pop in MULTI answers at once). */
const TRANSACTION: Cmd[] = [
  ['MULTI'],
  ['ZADD', 'm', '1', 'a', '2', 'b'],
  ['ZINCRBY', 'm', '1', 'a'],
  ['BZPOPMIN', 'm', '0'],
  ['BZPOPMIN', 'none', '0'],
  ['ZREM', 'm', 'a', 'b'],
  ['EXEC'],
];

describe('zset keyspace notifications', () => {
  for (const flags of ['KEA', 'Ez', 'Kz', 'Kg', 'KEzg', 'El', 'KEg$lszxnm']) {
    it(`match Redis for every write command (${flags})`, async () => {
      expectSame(await onBoth(flags, sequence([...WRITES, ...TRANSACTION])));
    });
  }

  it('match Redis on a skiplist-encoded set', async () => {
    const cmds: Cmd[] = [
      ['CONFIG', 'SET', 'zset-max-listpack-entries', '0'],
      ...WRITES,
      ['CONFIG', 'SET', 'zset-max-listpack-entries', '128'],
    ];
    expectSame(await onBoth('KEA', sequence(cmds)));
  });

  it('match Redis with a RESP3 subscriber', async () => {
    expectSame(await onBoth('KEA', sequence(WRITES.slice(0, 40)), true));
  });

  it('match Redis when blocked pops are served later', async () => {
    const runs = await onBoth('KEA', async (s) => {
      const out: string[] = [];
      const c1 = await RespClient.connect(s.port);
      const c2 = await RespClient.connect(s.port);
      const c3 = await RespClient.connect(s.port);
      s.extra.push(c1, c2, c3);
      const first = c1.call('BZPOPMIN', 'bk', '0');
      await waitBlocked(s, 1);
      const second = c2.call('BZMPOP', '0', '2', 'other', 'bk', 'MAX', 'COUNT', '2');
      await waitBlocked(s, 2);
      const third = c3.call('BZPOPMAX', 'other', 'bk', '0');
      await waitBlocked(s, 3);
      // One member: the first client takes it and the key is deleted; the others keep waiting.
      out.push(show(await s.cmd.call('ZADD', 'bk', '1', 'a')));
      out.push(show(await first));
      await waitBlocked(s, 2);
      // Three members: BZMPOP takes two, BZPOPMAX the last (deleting the key).
      out.push(show(await s.cmd.call('ZADD', 'bk', '1', 'a', '2', 'b', '3', 'c')));
      out.push(show(await second));
      out.push(show(await third));
      await waitBlocked(s, 0);
      // Served by a STORE destination and by a transaction's writes.
      const c4 = c1.call('BZPOPMAX', 'dst', '0');
      await waitBlocked(s, 1);
      await s.cmd.call('ZADD', 'src', '1', 'x', '2', 'y');
      out.push(show(await s.cmd.call('ZUNIONSTORE', 'dst', '1', 'src')));
      out.push(show(await c4));
      const c5 = c2.call('BZMPOP', '0', '1', 'tx', 'MIN', 'COUNT', '1');
      await waitBlocked(s, 1);
      out.push(show(await s.cmd.call('MULTI')), show(await s.cmd.call('ZADD', 'tx', '1', 'a', '2', 'b')));
      out.push(show(await s.cmd.call('ZINCRBY', 'tx', '5', 'a')), show(await s.cmd.call('EXEC')));
      out.push(show(await c5));
      const c6 = c3.call('BZPOPMIN', 'rs', '0');
      await waitBlocked(s, 1);
      out.push(show(await s.cmd.call('ZRANGESTORE', 'rs', 'src', '0', '0')));
      out.push(show(await c6));
      return out;
    });
    expectSame(runs);
  });
});

// --- generated sequences ---------------------------------------------------------------------------

const keys = ['k1', 'k2', 'k3', 'st'];
const key = fc.constantFrom(...keys);
const member = fc.constantFrom('a', 'b', 'c', 'd', 'e', LONG);
const score = fc.constantFrom('0', '1', '2', '-1', '1.5', 'inf', '-inf', '(1', '10');
const plainScore = fc.constantFrom('0', '1', '2', '-1', '1.5', 'inf', '-inf');
const lex = fc.constantFrom('-', '+', '[a', '(b', '[c', '(e');
const rank = fc.integer({ min: -4, max: 4 }).map(String);
const opts = fc.subarray(['NX', 'XX', 'GT', 'LT', 'CH', 'INCR']);
const srcs = fc.array(key, { minLength: 1, maxLength: 3 });

const command: fc.Arbitrary<Cmd> = fc.oneof(
  fc.tuple(key, opts, fc.array(fc.tuple(plainScore, member), { minLength: 1, maxLength: 3 })).map(([k, o, ps]) => ['ZADD', k, ...o, ...ps.flat()]),
  fc.tuple(key, plainScore, member).map(([k, s, m]) => ['ZINCRBY', k, s, m]),
  fc.tuple(key, fc.array(member, { minLength: 1, maxLength: 3 })).map(([k, ms]) => ['ZREM', k, ...ms]),
  fc.tuple(key, rank, rank).map(([k, a, b]) => ['ZREMRANGEBYRANK', k, a, b]),
  fc.tuple(key, score, score).map(([k, a, b]) => ['ZREMRANGEBYSCORE', k, a, b]),
  fc.tuple(key, lex, lex).map(([k, a, b]) => ['ZREMRANGEBYLEX', k, a, b]),
  fc.tuple(fc.constantFrom('ZUNIONSTORE', 'ZINTERSTORE', 'ZDIFFSTORE'), key, srcs).map(([c, d, s]) => [c, d, String(s.length), ...s]),
  fc.tuple(key, key, rank, rank).map(([d, s, a, b]) => ['ZRANGESTORE', d, s, a, b]),
  fc.tuple(key, key, score, score).map(([d, s, a, b]) => ['ZRANGESTORE', d, s, a, b, 'BYSCORE']),
  fc.tuple(fc.constantFrom('ZPOPMIN', 'ZPOPMAX'), key, fc.option(fc.integer({ min: 0, max: 4 }))).map(([c, k, n]) => (n === null ? [c, k] : [c, k, String(n)])),
  fc.tuple(srcs, fc.constantFrom('MIN', 'MAX'), fc.integer({ min: 1, max: 3 })).map(([s, w, n]) => ['ZMPOP', String(s.length), ...s, w, 'COUNT', String(n)]),
  fc.tuple(fc.constantFrom('BZPOPMIN', 'BZPOPMAX'), srcs).map(([c, s]) => [c, ...s, '0.01']),
  fc.tuple(srcs, fc.constantFrom('MIN', 'MAX')).map(([s, w]) => ['BZMPOP', '0.01', String(s.length), ...s, w]),
  fc.tuple(fc.constantFrom('SADD', 'SREM'), member).map(([c, m]) => [c, 'st', m]),
  key.map((k) => ['DEL', k]),
);

describe('generated sequences', () => {
  it('raise the same events as Redis', async () => {
    const runs = fc.sample(fc.array(command, { minLength: 10, maxLength: 40 }), { seed: 2024, numRuns: 25 });
    const problems: string[] = [];
    for (const cmds of runs) {
      const [redis, engine] = await onBoth('KEA', sequence(cmds));
      if (redis!.events.join('\n') !== engine!.events.join('\n') || redis!.replies.join('\n') !== engine!.replies.join('\n')) {
        problems.push(`${cmds.map((c) => c.join(' ')).join('; ')}\n  redis:  ${redis!.events.join(', ')}\n  engine: ${engine!.events.join(', ')}`);
        if (problems.length >= 3) break;
      }
    }
    expect(problems.join('\n')).toBe('');
  });

  it('reply like Redis for the same sequences (sanity check of the harness)', async () => {
    const cmds = fc.sample(command, { seed: 99, numRuns: 80 });
    await pair.r.call('FLUSHALL');
    await pair.e.call('FLUSHALL');
    expect((await diff(pair, cmds as Cmd[])).slice(0, 3).join('\n')).toBe('');
  });
});
