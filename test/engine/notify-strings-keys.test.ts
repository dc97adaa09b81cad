// Keyspace notifications of the string and generic (keyspace) families, compared with a real
// redis-server 7.0: a subscriber on each server PSUBSCRIBEs to every keyspace/keyevent channel,
// the same commands run on both, and the ordered streams of pmessages must be identical (event
// names, classes, channels, order, and the conditions under which nothing is raised). A sentinel
// PUBLISH on a matching channel marks the end of each stream, so no test waits on a timer except
// the active-expiry one. Seeding happens with notifications off, so other families' events
// never enter these streams.

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { show, startPair, type Cmd, type Pair } from '../helpers/differential.js';
import { RespClient } from '../helpers/resp-client.js';
import type { RespValue } from '../../src/formats/resp/reply-parser.js';

const PATTERN = '__key*__:*';
const SENTINEL = '__keysentinel__:end';

interface Side {
  name: 'redis' | 'engine';
  cmd: RespClient;
  sub: RespClient;
}

let pair: Pair;
let sides: Side[];

beforeAll(async () => {
  pair = await startPair({ hz: '10' });
  sides = [];
  for (const [name, server, cmd] of [
    ['redis', pair.redis, pair.r],
    ['engine', pair.engine, pair.e],
  ] as const) {
    const sub = await RespClient.connect(server.port);
    const ack = await sub.call('PSUBSCRIBE', PATTERN);
    expect(show(ack)).toContain('psubscribe');
    sides.push({ name, cmd, sub });
  }
});

afterAll(async () => {
  for (const s of sides ?? []) s.sub.close();
  await pair?.stop();
});

/** One received pmessage as "channel message". */
function eventText(v: RespValue): string {
  if ((v.t !== 'array' && v.t !== 'push') || v.v.length !== 4) return `unexpected ${show(v)}`;
  const [kind, , channel, message] = v.v;
  if (kind?.t !== 'bulk' || channel?.t !== 'bulk' || message?.t !== 'bulk') return `unexpected ${show(v)}`;
  return `${channel.v} ${message.v}`;
}

/** Everything the subscriber received up to a freshly published sentinel. */
async function drain(side: Side): Promise<string[]> {
  await side.cmd.call('PUBLISH', SENTINEL, 'end');
  const out: string[] = [];
  for (;;) {
    const text = eventText(await side.sub.read(5000));
    if (text === `${SENTINEL} end`) return out;
    out.push(text);
  }
}

async function both(...args: Array<string | number>): Promise<void> {
  for (const s of sides) {
    const v = await s.cmd.call(...args);
    if (v.t === 'error') throw new Error(`${s.name} refused ${args.join(' ')}: ${v.v}`);
  }
}

/**
 * Empties both servers, seeds them with notifications off, then enables `flags`. Active expiry
 * is off unless asked for: keys created already expired (PXAT 1) must stay until a command
 * touches them, or the two cycles would race the commands and each other.
 */
async function prepare(flags: string, seed: Cmd[] = [], activeExpire = false): Promise<void> {
  await both('DEBUG', 'SET-ACTIVE-EXPIRE', activeExpire ? 1 : 0);
  await both('CONFIG', 'SET', 'notify-keyspace-events', '');
  await both('SELECT', 0);
  await both('FLUSHALL');
  for (const c of seed) await both(...(c as Array<string | number>));
  await both('CONFIG', 'SET', 'notify-keyspace-events', flags);
  for (const s of sides) await drain(s);
}

/** Replies that differ between two servers by nature: compared in a normalised form. */
const NORMALIZE: Record<string, (v: RespValue) => string> = {
  randomkey: (v) => v.t, // which key is random
  ttl: (v) => v.t, // the clocks of the two servers differ by a few ms
  pttl: (v) => v.t,
  keys: (v) => show(sortArray(v)),
  scan: (v) => (v.t === 'array' ? show(sortArray(v.v[1]!)) : show(v)), // dict order differs
};

function sortArray(v: RespValue): RespValue {
  if (v.t !== 'array') return v;
  return { t: 'array', v: [...v.v].sort((a, b) => (show(a) < show(b) ? -1 : 1)) };
}

function replyText(cmd: Cmd, v: RespValue): string {
  const norm = NORMALIZE[String(cmd[0]).toLowerCase()];
  return norm ? norm(v) : show(v);
}

interface Outcome {
  replies: string[];
  events: string[];
}

/** Runs `cmds` on one side and collects its replies and its event stream. */
async function runSide(side: Side, cmds: Cmd[]): Promise<Outcome> {
  const replies: string[] = [];
  for (const c of cmds) replies.push(`${c.map(String).join(' ')} -> ${replyText(c, await side.cmd.call(...c))}`);
  return { replies, events: await drain(side) };
}

/** Runs `cmds` on both servers under `flags`; replies and event streams must be identical. */
async function compare(flags: string, cmds: Cmd[], seed: Cmd[] = []): Promise<string[]> {
  await prepare(flags, seed);
  const [r, e] = [await runSide(sides[0]!, cmds), await runSide(sides[1]!, cmds)];
  expect(e.replies).toEqual(r.replies);
  expect(e.events).toEqual(r.events);
  return r.events;
}

// --- hand-picked sequences -----------------------------------------------------------------------

/** Every string command, hitting and missing, changing and not changing keys. */
const STRING_CMDS: Cmd[] = [
  ['GET', 'nokey'],
  ['SET', 's1', 'v'],
  ['SET', 's1', 'v2'],
  ['SET', 's2', 'v', 'EX', 100],
  ['SET', 's2', 'v', 'KEEPTTL'],
  ['SET', 's2', 'w', 'PX', 100000, 'GET'],
  ['SET', 's3', 'v', 'NX'],
  ['SET', 's3', 'v', 'NX'],
  ['SET', 'nokey', 'v', 'XX'],
  ['SET', 'nokey', 'v', 'XX', 'GET'],
  ['SET', 's1', 'v3', 'XX', 'GET'],
  ['SET', 's4', 'v', 'GET'],
  ['SET', 's5', 'v', 'EX', 0],
  ['SET', 's5', 'v', 'BADOPT'],
  ['SET', 'gone', 'v', 'PXAT', 1],
  ['GET', 'gone'],
  ['SET', 'gone2', 'v', 'EXAT', 1],
  ['SET', 'gone2', 'x'],
  ['SET', 'list', 'v', 'GET'],
  ['SETNX', 'nx1', 'v'],
  ['SETNX', 'nx1', 'v'],
  ['SETEX', 'ex1', 100, 'v'],
  ['SETEX', 'ex1', -1, 'v'],
  ['PSETEX', 'px1', 100000, 'v'],
  ['GETEX', 'nokey', 'EX', 10],
  ['GETEX', 's1'],
  ['GETEX', 's1', 'EX', 100],
  ['GETEX', 's1', 'PERSIST'],
  ['GETEX', 's1', 'PERSIST'],
  ['GETEX', 's1', 'PXAT', 1],
  ['GETEX', 's3', 'EXAT', 1],
  ['GETEX', 'list', 'EX', 10],
  ['GETEX', 's4', 'EX', -5],
  ['GETDEL', 'nokey'],
  ['GETDEL', 's4'],
  ['GETDEL', 'list'],
  ['GETSET', 'gs', 'a'],
  ['GETSET', 'gs', 'b'],
  ['MGET', 'gs', 'nokey', 'list', 'nokey2'],
  ['SET', 'mexp', 'v', 'PXAT', 1],
  ['MSET', 'm1', 'a', 'mexp', 'b', 'm1', 'c'],
  ['MSET', 'm1', 'a', 'm2'],
  ['MSETNX', 'm1', 'x', 'm3', 'y'],
  ['MSETNX', 'm3', 'x', 'm4', 'y'],
  ['APPEND', 'ap', 'hello'],
  ['APPEND', 'ap', ' world'],
  ['APPEND', 'list', 'x'],
  ['STRLEN', 'nokey'],
  ['STRLEN', 'ap'],
  ['GETRANGE', 'nokey', 0, -1],
  ['GETRANGE', 'nokey', 'x', -1],
  ['SUBSTR', 'ap', 0, 3],
  ['SETRANGE', 'sr', 3, 'abc'],
  ['SETRANGE', 'sr', 0, ''],
  ['SETRANGE', 'nosr', 0, ''],
  ['SETRANGE', 'sr', 1, 'Z'],
  ['SETRANGE', 'sr', -1, 'Z'],
  ['INCR', 'n'],
  ['INCR', 'n'],
  ['DECR', 'n'],
  ['DECR', 'n2'],
  ['INCRBY', 'n', 10],
  ['DECRBY', 'n', 3],
  ['INCRBY', 'ap', 1],
  ['INCRBY', 'n', 'x'],
  ['SET', 'big', '9223372036854775807'],
  ['INCR', 'big'],
  ['INCRBYFLOAT', 'f', '1.5'],
  ['INCRBYFLOAT', 'f', '2'],
  ['INCRBYFLOAT', 'ap', '1'],
  ['INCRBYFLOAT', 'f', 'abc'],
  ['LCS', 'ap', 'nokey'],
  ['LCS', 'nokey', 'nokey2', 'LEN'],
  // Writes onto keys whose TTL has passed: the lazy expiry comes first, then "new".
  ['SET', 'e1', 'v', 'PXAT', 1],
  ['SET', 'e1', 'w', 'GET'],
  ['SET', 'e2', 'v', 'PXAT', 1],
  ['SETEX', 'e2', 100, 'w'],
  ['SET', 'e3', '5', 'PXAT', 1],
  ['INCR', 'e3'],
  ['SET', 'e4', 'v', 'PXAT', 1],
  ['APPEND', 'e4', 'x'],
  ['SET', 'e5', 'v', 'PXAT', 1],
  ['SETRANGE', 'e5', 2, 'x'],
  ['SET', 'e6', 'v', 'PXAT', 1],
  ['MSETNX', 'e6', 'a', 'e7', 'b'],
  ['SET', 'e8', 'v', 'PXAT', 1],
  ['GETDEL', 'e8'],
  ['SET', 'bin\x00\xffkey', 'v'],
  ['APPEND', 'bin\x00\xffkey', '\xfe'],
];

/** Every generic command, including MOVE/COPY across databases and FLUSH/SWAPDB (which raise nothing). */
const GENERIC_CMDS: Cmd[] = [
  ['DEL', 'k1', 'nokey', 'k2'],
  ['DEL', 'k1'],
  ['UNLINK', 'k3', 'nokey'],
  ['SET', 'gone', 'v', 'PXAT', 1],
  ['DEL', 'gone'],
  ['EXISTS', 'k4', 'nokey', 'k4'],
  ['TOUCH', 'k4', 'nokey'],
  ['TYPE', 'nokey'],
  ['TYPE', 'k4'],
  ['RENAME', 'k4', 'k5'],
  ['RENAME', 'k5', 'k5'],
  ['RENAME', 'nokey', 'k6'],
  ['RENAME', 'k5', 'list'],
  ['SET', 'a', '1'],
  ['SET', 'b', '2'],
  ['RENAMENX', 'a', 'b'],
  ['RENAMENX', 'a', 'c'],
  ['RENAMENX', 'c', 'c'],
  ['EXPIRE', 'b', 100],
  ['EXPIRE', 'b', 50, 'NX'],
  ['EXPIRE', 'b', 500, 'GT'],
  ['PEXPIRE', 'b', 100000, 'LT'],
  ['EXPIRE', 'nokey', 100],
  ['EXPIRE', 'b', 100, 'BAD'],
  ['EXPIREAT', 'b', 4102444800],
  ['PEXPIREAT', 'b', 4102444800000],
  ['EXPIRETIME', 'b'],
  ['PEXPIRETIME', 'b'],
  ['TTL', 'b'],
  ['PTTL', 'b'],
  ['TTL', 'nokey'],
  ['PTTL', 'nokey'],
  ['EXPIRETIME', 'nokey'],
  ['PEXPIRETIME', 'nokey'],
  ['PERSIST', 'b'],
  ['PERSIST', 'b'],
  ['PERSIST', 'nokey'],
  ['EXPIRE', 'b', -1],
  ['SET', 'd', 'v'],
  ['PEXPIREAT', 'd', 1],
  ['SET', 'd', 'v'],
  ['EXPIRE', 'd', 0],
  ['SET', 'mv', 'v', 'EX', 1000],
  ['MOVE', 'mv', 1],
  ['MOVE', 'mv', 1],
  ['MOVE', 'nokey', 1],
  ['SET', 'mv', 'v'],
  ['MOVE', 'mv', 1],
  ['MOVE', 'mv', 0],
  ['SET', 'cp', 'v', 'EX', 1000],
  ['COPY', 'cp', 'cp2'],
  ['COPY', 'cp', 'cp2'],
  ['COPY', 'cp', 'cp2', 'REPLACE'],
  ['COPY', 'cp', 'mv', 'DB', 1],
  ['COPY', 'cp', 'mv', 'DB', 1, 'REPLACE'],
  ['COPY', 'nokey', 'x'],
  ['COPY', 'cp', 'cp'],
  ['COPY', 'list', 'list2'],
  ['SELECT', 1],
  ['SET', 'mvx', 'v', 'PXAT', 1],
  ['SET', 'cpx', 'v', 'PXAT', 1],
  ['SELECT', 0],
  ['SET', 'mvx', 'v'],
  ['MOVE', 'mvx', 1],
  ['SET', 'cpx', 'v'],
  ['COPY', 'cpx', 'cpx', 'DB', 1],
  ['SET', 'rn', 'v', 'PXAT', 1],
  ['RENAME', 'rn', 'x'],
  ['SET', 'rn2', 'v', 'PXAT', 1],
  ['RENAME', 'cpx', 'rn2'],
  ['SET', 'ex', 'v', 'PXAT', 1],
  ['EXPIRE', 'ex', 100],
  ['SET', 'ex', 'v', 'PXAT', 1],
  ['PERSIST', 'ex'],
  ['SET', 'ex', 'v', 'PXAT', 1],
  ['TTL', 'ex'],
  ['SET', 'ex', 'v', 'PXAT', 1],
  ['TOUCH', 'ex'],
  ['SET', 'ex', 'v', 'PXAT', 1],
  ['OBJECT', 'ENCODING', 'ex'],
  ['OBJECT', 'ENCODING', 'nokey'],
  ['OBJECT', 'ENCODING', 'cp'],
  ['OBJECT', 'REFCOUNT', 'nokey'],
  ['OBJECT', 'IDLETIME', 'nokey'],
  ['KEYS', '*'],
  ['SCAN', 0, 'COUNT', 100],
  ['SET', 'gone', 'v', 'PXAT', 1],
  ['SCAN', 0, 'TYPE', 'string', 'COUNT', 100],
  ['SET', 'gone', 'v', 'PXAT', 1],
  ['SCAN', 0, 'COUNT', 100],
  ['DBSIZE'],
  ['SELECT', 1],
  ['SET', 'in1', 'v'],
  ['SELECT', 0],
  ['SWAPDB', 0, 1],
  ['SET', 'after', 'swap'],
  ['SWAPDB', 0, 1],
  ['FLUSHDB'],
  ['SET', 'x', 'y'],
  ['FLUSHALL'],
  ['FLUSHALL', 'ASYNC'],
  ['RANDOMKEY'],
  ['SET', 'only', 'v', 'PXAT', 1],
  ['RANDOMKEY'],
  ['MULTI'],
  ['SET', 'tx', '1'],
  ['INCR', 'tx'],
  ['GET', 'nokey'],
  ['DEL', 'tx'],
  ['EXEC'],
];

const SEED: Cmd[] = [
  ['RPUSH', 'list', 'a', 'b'],
  ['SET', 'k1', 'v'],
  ['SET', 'k2', 'v'],
  ['SET', 'k3', 'v'],
  ['SET', 'k4', 'v'],
];

/**
 * The notify-keyspace-events values the sequences are compared under. KEg$xnm is every class
 * these families raise, spelled out; KEAnm is everything.
 */
const FLAG_VARIANTS = ['KEA', 'E$', 'Kg', 'KEn', 'KEx', 'KEm', 'KEg$xnm', 'KEAnm', 'K$g', 'E', 'Am'];

describe('keyspace notifications: string commands', () => {
  it.each(FLAG_VARIANTS)('match Redis under %s', async (flags) => {
    const events = await compare(flags, STRING_CMDS, SEED);
    if (flags === 'KEA') {
      // The stream is not trivially empty, and holds the events the brief names.
      for (const ev of ['set s1', 'expire s2', 'del s1', 'persist s1', 'append ap', 'setrange sr', 'incrby n', 'incrbyfloat f', 'expired gone']) {
        const [name, k] = ev.split(' ');
        expect(events).toContain(`__keyevent@0__:${name} ${k}`);
      }
    }
    if (flags === 'KEg$xnm' || flags === 'KEAnm') {
      expect(events).toContain('__keyevent@0__:keymiss nokey');
      expect(events).toContain('__keyevent@0__:new s1');
    }
  });
});

describe('keyspace notifications: generic commands', () => {
  it.each(FLAG_VARIANTS)('match Redis under %s', async (flags) => {
    const events = await compare(flags, GENERIC_CMDS, SEED);
    if (flags === 'KEA') {
      for (const ev of ['del k1', 'rename_from k4', 'rename_to k5', 'move_from mv', 'copy_to cp2', 'expire b', 'persist b', 'del d', 'expired gone']) {
        const [name, key] = ev.split(' ');
        expect(events).toContain(`__keyevent@0__:${name} ${key}`);
      }
      expect(events).toContain('__keyevent@1__:move_to mv');
      expect(events).toContain('__keyevent@1__:copy_to mv');
    }
  });
});

describe('keyspace notifications: single commands in order', () => {
  it('SET with EX raises set then expire, each on both channels, keyspace first', async () => {
    const events = await compare('KEA', [['SET', 'k', 'v', 'EX', 10]]);
    expect(events).toEqual(['__keyspace@0__:k set', '__keyevent@0__:set k', '__keyspace@0__:k expire', '__keyevent@0__:expire k']);
  });

  it('a new key raises new before its command event', async () => {
    const events = await compare('En$', [['INCR', 'c'], ['APPEND', 'c', '1']]);
    expect(events).toEqual(['__keyevent@0__:new c', '__keyevent@0__:incrby c', '__keyevent@0__:append c']);
  });

  it('RENAME onto an existing key raises new, rename_from, rename_to', async () => {
    const events = await compare('KEgn', [['RENAME', 'a', 'b']], [['SET', 'a', '1'], ['SET', 'b', '2']]);
    expect(events).toEqual([
      '__keyspace@0__:b new',
      '__keyevent@0__:new b',
      '__keyspace@0__:a rename_from',
      '__keyevent@0__:rename_from a',
      '__keyspace@0__:b rename_to',
      '__keyevent@0__:rename_to b',
    ]);
  });

  it('an already expired key read lazily raises expired then keymiss', async () => {
    const events = await compare('Exm', [['GET', 'k'], ['EXISTS', 'k']], [['SET', 'k', 'v', 'PXAT', 1]]);
    expect(events).toEqual(['__keyevent@0__:expired k', '__keyevent@0__:keymiss k', '__keyevent@0__:keymiss k']);
  });

  it('OBJECT does not raise keymiss, TYPE/TTL/TOUCH/COPY/LCS do', async () => {
    const events = await compare('Em', [
      ['OBJECT', 'ENCODING', 'x'],
      ['TYPE', 'x'],
      ['TTL', 'x'],
      ['TOUCH', 'x', 'y'],
      ['COPY', 'x', 'z'],
      ['LCS', 'x', 'y'],
      ['MGET', 'x'],
    ]);
    expect(events).toEqual(['x', 'x', 'x', 'y', 'x', 'x', 'y', 'x'].map((k) => `__keyevent@0__:keymiss ${k}`));
  });

  it('"A" together with "n" still raises new events (CONFIG GET shows "AKE", the flags keep n)', async () => {
    const events = await compare('KEAn', [['SET', 'fresh', 'v']]);
    expect(events).toEqual(['__keyspace@0__:fresh new', '__keyevent@0__:new fresh', '__keyspace@0__:fresh set', '__keyevent@0__:set fresh']);
  });

  it('expiry by the active cycle raises expired without any access', async () => {
    await prepare('KEA', [], true);
    for (const s of sides) await s.cmd.call('SET', 'short', 'v', 'PX', 50);
    // Wait for the event itself on both sides (the cycles run ten times a second).
    const got = await Promise.all(
      sides.map(async (s) => {
        const out: string[] = [];
        while (out.length < 6) out.push(eventText(await s.sub.read(3000)));
        return out;
      }),
    );
    expect(got[1]).toEqual(got[0]);
    expect(got[0]).toEqual([
      '__keyspace@0__:short set',
      '__keyevent@0__:set short',
      '__keyspace@0__:short expire',
      '__keyevent@0__:expire short',
      '__keyspace@0__:short expired',
      '__keyevent@0__:expired short',
    ]);
    for (const s of sides) expect(await drain(s)).toEqual([]);
    const sizes = await Promise.all(sides.map((s) => s.cmd.call('DBSIZE')));
    expect(show(sizes[1]!)).toBe(show(sizes[0]!));
  });

  it('a RESP3 client subscribed to its own events gets the pushes before its reply', async () => {
    await prepare('KEg$n');
    const frames: string[][] = [];
    for (const s of sides) {
      const port = s.name === 'redis' ? pair.redis.port : pair.engine.port;
      const c = await RespClient.connect(port);
      try {
        await c.call('HELLO', 3);
        await c.call('PSUBSCRIBE', '__keyevent@0__:*');
        const seen: string[] = [];
        c.writeRaw('*3\r\n$3\r\nSET\r\n$2\r\nme\r\n$1\r\n1\r\n*2\r\n$3\r\nDEL\r\n$2\r\nme\r\n');
        for (let i = 0; i < 5; i++) seen.push(show(await c.read(3000)));
        frames.push(seen);
      } finally {
        c.close();
      }
      await drain(s);
    }
    expect(frames[1]).toEqual(frames[0]);
  });
});

// --- generated sequences -------------------------------------------------------------------------

const key = fc.constantFrom('a', 'b', 'c');
const val = fc.constantFrom('x', 'hello', '7', '-3', '1.5', '');
const futureSecs = fc.integer({ min: 100, max: 1000 });

/** Commands whose effects and events are deterministic: expiry times are far future or in the past. */
const command: fc.Arbitrary<Cmd> = fc.oneof(
  fc.tuple(fc.constant('GET'), key),
  fc.tuple(fc.constant('SET'), key, val),
  fc.tuple(fc.constant('SET'), key, val, fc.constantFrom('NX', 'XX', 'GET', 'KEEPTTL')),
  fc.tuple(fc.constant('SET'), key, val, fc.constant('EX'), futureSecs),
  fc.tuple(fc.constant('SET'), key, val, fc.constant('PXAT'), fc.constant(1)),
  fc.tuple(fc.constant('SETNX'), key, val),
  fc.tuple(fc.constant('SETEX'), key, futureSecs, val),
  fc.tuple(fc.constant('GETEX'), key, fc.constantFrom('PERSIST', 'EX')).map((c) => (c[2] === 'EX' ? [...c, 500] : c)),
  fc.tuple(fc.constant('GETEX'), key, fc.constant('EXAT'), fc.constant(1)),
  fc.tuple(fc.constant('GETDEL'), key),
  fc.tuple(fc.constant('GETSET'), key, val),
  fc.tuple(fc.constant('MSET'), key, val, key, val),
  fc.tuple(fc.constant('MSETNX'), key, val, key, val),
  fc.tuple(fc.constant('MGET'), key, key),
  fc.tuple(fc.constant('APPEND'), key, val),
  fc.tuple(fc.constant('SETRANGE'), key, fc.integer({ min: 0, max: 5 }), val),
  fc.tuple(fc.constantFrom('INCR', 'DECR', 'STRLEN', 'DEL', 'UNLINK', 'EXISTS', 'TOUCH', 'TYPE', 'PERSIST', 'EXPIRETIME'), key),
  fc.tuple(fc.constantFrom('INCRBY', 'DECRBY'), key, fc.integer({ min: -5, max: 5 })),
  fc.tuple(fc.constant('INCRBYFLOAT'), key, fc.constantFrom('1', '0.5', '-2.25')),
  fc.tuple(fc.constantFrom('RENAME', 'RENAMENX', 'COPY', 'LCS'), key, key),
  fc.tuple(fc.constant('COPY'), key, key, fc.constant('REPLACE')),
  fc.tuple(fc.constant('COPY'), key, key, fc.constant('DB'), fc.constant(1)),
  fc.tuple(fc.constant('MOVE'), key, fc.constant(1)),
  fc.tuple(fc.constantFrom('EXPIRE', 'PEXPIRE'), key, fc.oneof(futureSecs, fc.constant(-1)), fc.constantFrom('', 'NX', 'XX', 'GT', 'LT')).map(
    (c) => (c[3] === '' ? c.slice(0, 3) : c),
  ),
  fc.tuple(fc.constant('EXPIREAT'), key, fc.constantFrom(1, 4102444800)),
  fc.tuple(fc.constant('OBJECT'), fc.constant('ENCODING'), key),
  fc.tuple(fc.constantFrom('SELECT'), fc.constantFrom(0, 1)),
  fc.constant(['SWAPDB', 0, 1] as Cmd),
);

describe('keyspace notifications: generated command sequences', () => {
  it('produce the same replies and event stream as Redis', async () => {
    const runs = fc.sample(fc.array(command, { minLength: 5, maxLength: 25 }), { numRuns: 60, seed: 7015 });
    let nonEmpty = 0;
    for (const cmds of runs) {
      const events = await compare('KEAnm', cmds);
      if (events.length > 0) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThan(40);
  });
});
