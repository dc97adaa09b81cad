// Keyspace notifications of the list, hash and set families compared with a real redis-server
// 7.0. Each scenario runs on both servers with the same notify-keyspace-events setting while a
// second connection sits in PSUBSCRIBE '__key*__:*'; the ordered pmessages it receives (and the
// replies) must be identical. Covered: every write command of the three families, forms that
// must stay silent (no change made, missing keys, errors), containers emptied ("del"), empty
// S*STORE results, blocked pops and moves served later (also chained, on another db and inside
// MULTI/EXEC), class letters other than KEA, a RESP3 client subscribed to its own events, and
// generated command sequences compared by their event streams.

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { show, sorted, startPair, type Cmd, type Pair } from '../helpers/differential.js';
import { RespClient, encodeCommand } from '../helpers/resp-client.js';
import type { RespValue } from '../../src/formats/resp/reply-parser.js';

let pair: Pair;

beforeAll(async () => {
  pair = await startPair();
});
afterAll(async () => {
  await pair?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Published by the command connection after a scenario: the subscriber reads up to it. */
const MARK = '__keyspace@0__:~end~';

/** One server's connections for a scenario. */
interface Side {
  name: 'redis' | 'engine';
  port: number;
  /** Runs the scenario's commands. */
  cmd: RespClient;
  /** PSUBSCRIBEd to every keyspace channel. */
  sub: RespClient;
  /** Extra connections a scenario opened (blocked clients); closed afterwards. */
  others: RespClient[];
}

type Scenario = (s: Side) => Promise<string[]>;

interface Outcome {
  replies: string[];
  events: string[];
}

/** Replies whose element order Redis leaves open are compared sorted. */
function text(v: RespValue): string {
  return show(sorted(v));
}

/** The pmessages received before MARK, as "channel message". */
async function collectEvents(s: Side): Promise<string[]> {
  await s.cmd.call('PUBLISH', MARK, 'x');
  const out: string[] = [];
  for (;;) {
    const v = await s.sub.read(5000);
    if ((v.t !== 'array' && v.t !== 'push') || v.v.length !== 4) throw new Error(`${s.name}: unexpected ${show(v)}`);
    const [kind, , channel, message] = v.v.map((x) => (x.t === 'bulk' ? x.v : show(x)));
    if (kind !== 'pmessage') throw new Error(`${s.name}: unexpected ${show(v)}`);
    if (channel === MARK) return out;
    out.push(`${channel} ${message}`);
  }
}

/** Polls CLIENT LIST until exactly `n` clients are blocked. */
async function blockedCount(s: Side, n: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const v = await s.cmd.call('CLIENT', 'LIST');
    const list = v.t === 'bulk' || v.t === 'verbatim' ? v.v : '';
    if (list.split('\n').filter((l) => /flags=\w*b/.test(l)).length === n) return;
    await sleep(4);
  }
  throw new Error(`${s.name}: never saw ${n} blocked clients`);
}

/** Runs a scenario on redis then on the engine, each from an empty keyspace with `flags` set. */
async function onBoth(flags: string, scenario: Scenario): Promise<[Outcome, Outcome]> {
  const out: Outcome[] = [];
  const sides = [
    ['redis', pair.redis.port, pair.r],
    ['engine', pair.engine.port, pair.e],
  ] as const;
  for (const [name, port, cmd] of sides) {
    await cmd.call('CONFIG', 'SET', 'notify-keyspace-events', '');
    await cmd.call('FLUSHALL');
    await cmd.call('SELECT', '0');
    const sub = await RespClient.connect(port);
    const side: Side = { name, port, cmd, sub, others: [] };
    try {
      expect(show(await sub.call('PSUBSCRIBE', '__key*__:*'))).toContain('psubscribe');
      expect(show(await cmd.call('CONFIG', 'SET', 'notify-keyspace-events', flags))).toBe('{"t":"simple","v":"OK"}');
      const replies = await scenario(side);
      out.push({ replies, events: await collectEvents(side) });
    } finally {
      sub.close();
      for (const c of side.others) c.close();
      await cmd.call('CONFIG', 'SET', 'notify-keyspace-events', '');
      await cmd.call('SELECT', '0');
    }
  }
  return out as [Outcome, Outcome];
}

async function expectSameEvents(flags: string, scenario: Scenario): Promise<Outcome> {
  const [redis, engine] = await onBoth(flags, scenario);
  expect(engine.replies.join('\n'), 'replies').toBe(redis.replies.join('\n'));
  expect(engine.events.join('\n'), 'events').toBe(redis.events.join('\n'));
  return redis;
}

/** A reply as compared: SPOP picks at random, so only the shape of its reply counts. */
function replyText(c: Cmd, v: RespValue): string {
  if (String(c[0]).toUpperCase() !== 'SPOP' || v.t === 'error') return text(v);
  return v.t === 'array' || v.t === 'set' ? `${v.t} of ${v.v.length}` : v.t;
}

/** A scenario of plain commands on the command connection. */
function run(cmds: Cmd[]): Scenario {
  return async (s) => {
    const replies: string[] = [];
    for (const c of cmds) replies.push(`${c.join(' ')} -> ${replyText(c, await s.cmd.call(...c))}`);
    return replies;
  };
}

// --- hand-picked command scripts ----------------------------------------------------------------

const LISTS: Cmd[] = [
  ['LPUSHX', 'l', 'a'],
  ['RPUSHX', 'l', 'a'],
  ['LPUSH', 'l', 'a', 'b', 'c'],
  ['RPUSH', 'l', 'd', 'e'],
  ['LPUSHX', 'l', 'x'],
  ['RPUSHX', 'l', 'y', 'z'],
  ['LINSERT', 'l', 'BEFORE', 'a', 'p'],
  ['LINSERT', 'l', 'AFTER', 'nope', 'p'],
  ['LINSERT', 'missing', 'AFTER', 'a', 'p'],
  ['LINSERT', 'l', 'MIDDLE', 'a', 'p'],
  ['LSET', 'l', '0', 'first'],
  ['LSET', 'l', '-1', 'last'],
  ['LSET', 'l', '100', 'v'],
  ['LSET', 'missing', '0', 'v'],
  ['LREM', 'l', '0', 'nope'],
  ['LREM', 'l', '1', 'a'],
  ['LREM', 'missing', '0', 'a'],
  ['LTRIM', 'l', '1', '-2'],
  ['LTRIM', 'l', '0', '-1'],
  ['LTRIM', 'missing', '0', '1'],
  ['LPOP', 'l'],
  ['RPOP', 'l'],
  ['LPOP', 'l', '0'],
  ['RPOP', 'l', '2'],
  ['LPOP', 'missing'],
  ['RPOP', 'missing', '3'],
  ['LRANGE', 'l', '0', '-1'],
  ['LPOP', 'l', '100'],
  ['EXISTS', 'l'],
  ['RPUSH', 'l', 'a', 'b', 'a'],
  ['LREM', 'l', '0', 'a'],
  ['LREM', 'l', '-1', 'b'],
  ['RPUSH', 'l', 'a', 'b', 'c', 'd'],
  ['LTRIM', 'l', '5', '10'],
  ['RPUSH', 'src', 'a', 'b', 'c'],
  ['LMOVE', 'src', 'dst', 'LEFT', 'RIGHT'],
  ['LMOVE', 'src', 'dst', 'RIGHT', 'LEFT'],
  ['LMOVE', 'src', 'src', 'LEFT', 'LEFT'],
  ['RPOPLPUSH', 'src', 'dst'],
  ['LMOVE', 'missing', 'dst', 'LEFT', 'LEFT'],
  ['RPOPLPUSH', 'dst', 'dst'],
  ['HSET', 'str', 'f', 'v'],
  ['LMOVE', 'dst', 'str', 'LEFT', 'LEFT'],
  ['LMOVE', 'str', 'dst', 'LEFT', 'LEFT'],
  ['LPUSH', 'str', 'a'],
  ['RPUSH', 'one', 'x'],
  ['RPOPLPUSH', 'one', 'one'],
  ['LMOVE', 'one', 'two', 'LEFT', 'LEFT'],
  ['LMPOP', '2', 'missing', 'two', 'LEFT'],
  ['RPUSH', 'm1', 'a', 'b', 'c'],
  ['LMPOP', '2', 'missing', 'm1', 'RIGHT', 'COUNT', '2'],
  ['LMPOP', '1', 'm1', 'LEFT', 'COUNT', '5'],
  ['LMPOP', '1', 'missing', 'LEFT'],
  ['RPUSH', 'b1', 'a', 'b'],
  ['BLPOP', 'missing', 'b1', '0'],
  ['BRPOP', 'b1', '0'],
  ['RPUSH', 'b1', 'a', 'b', 'c'],
  ['BLMPOP', '0', '1', 'b1', 'RIGHT', 'COUNT', '5'],
  ['RPUSH', 'b1', 'a', 'b'],
  ['BLMOVE', 'b1', 'b2', 'RIGHT', 'LEFT', '0'],
  ['BRPOPLPUSH', 'b1', 'b2', '0'],
];

const HASHES: Cmd[] = [
  ['HSET', 'h', 'f1', 'v1', 'f2', 'v2'],
  ['HSET', 'h', 'f1', 'v1'],
  ['HSET', 'h', 'f1'],
  ['HMSET', 'h', 'f3', 'v3'],
  ['HSETNX', 'h', 'f1', 'x'],
  ['HSETNX', 'h', 'f4', 'x'],
  ['HSETNX', 'h2', 'f', 'x'],
  ['HDEL', 'h', 'nope'],
  ['HDEL', 'missing', 'f'],
  ['HDEL', 'h', 'f1', 'nope', 'f2'],
  ['HINCRBY', 'h', 'n', '5'],
  ['HINCRBY', 'h', 'n', '-2'],
  ['HINCRBY', 'h', 'f3', '1'],
  ['HINCRBY', 'h', 'n', 'x'],
  ['HINCRBY', 'h', 'n', '9223372036854775807'],
  ['HINCRBY', 'newh', 'n', '1'],
  ['HINCRBYFLOAT', 'h', 'fl', '1.5'],
  ['HINCRBYFLOAT', 'h', 'fl', '-0.5'],
  ['HINCRBYFLOAT', 'h', 'f3', '1'],
  ['HINCRBYFLOAT', 'h', 'fl', 'inf'],
  ['HINCRBYFLOAT', 'newf', 'x', '2'],
  ['HGETALL', 'h'],
  ['HDEL', 'h', 'f3', 'f4', 'n', 'fl', 'nope'],
  ['EXISTS', 'h'],
  ['HDEL', 'h2', 'f'],
  ['SADD', 'str', 'v'],
  ['HSET', 'str', 'f', 'v'],
  ['HDEL', 'str', 'f'],
  ['HINCRBY', 'str', 'f', '1'],
];

const SETS: Cmd[] = [
  ['SADD', 's', 'a', 'b', 'c'],
  ['SADD', 's', 'a'],
  ['SADD', 's', 'a', 'd'],
  ['SADD', 'n', '1', '2', '3'],
  ['SREM', 's', 'nope'],
  ['SREM', 'missing', 'a'],
  ['SREM', 's', 'a', 'nope'],
  ['SMOVE', 'missing', 's', 'a'],
  ['SMOVE', 's', 's', 'b'],
  ['SMOVE', 's', 's', 'nope'],
  ['SMOVE', 's', 'n', 'nope'],
  ['SMOVE', 's', 't', 'b'],
  ['SADD', 't', 'c'],
  ['SMOVE', 's', 't', 'c'],
  ['SMOVE', 's', 't', 'd'],
  ['EXISTS', 's'],
  ['SPOP', 'missing'],
  ['SPOP', 'missing', '3'],
  ['SPOP', 't', '0'],
  ['SADD', 'one', 'x'],
  ['SPOP', 'one'],
  ['SPOP', 't', '10'],
  ['SADD', 'big', '1', '2', '3', '4', '5', '6'],
  ['SPOP', 'big', '1'],
  ['SPOP', 'big', '4'],
  ['SPOP', 'big'],
  ['SADD', 'a', '1', '2', '3', 'x'],
  ['SADD', 'b', '2', '3', '4', 'y'],
  ['SINTERSTORE', 'i', 'a', 'b'],
  ['SINTERSTORE', 'i', 'a', 'b'],
  ['SINTERSTORE', 'i', 'a', 'missing'],
  ['SINTERSTORE', 'i', 'a', 'missing'],
  ['SINTERSTORE', 'i', 'x1', 'x2'],
  ['SADD', 'c', 'z'],
  ['SINTERSTORE', 'i', 'a', 'b'],
  ['SINTERSTORE', 'i', 'a', 'c'],
  ['SUNIONSTORE', 'u', 'a', 'b'],
  ['SUNIONSTORE', 'u', 'missing'],
  ['SUNIONSTORE', 'u', 'missing'],
  ['SUNIONSTORE', 'a2', 'a'],
  ['SUNIONSTORE', 'a2', 'a2', 'c'],
  ['SDIFFSTORE', 'd', 'a', 'b'],
  ['SDIFFSTORE', 'd', 'a', 'a'],
  ['SDIFFSTORE', 'd', 'missing', 'a'],
  ['SDIFFSTORE', 'd', 'a', 'missing'],
  ['SDIFFSTORE', 'a', 'a', 'b'],
  ['SINTER', 'a', 'b'],
  ['SUNION', 'a', 'b'],
  ['SDIFF', 'a', 'b'],
  ['SINTERCARD', '2', 'a', 'b'],
  ['SMEMBERS', 'a'],
  ['RPUSH', 'str', 'v'],
  ['SADD', 'str', 'a'],
  ['SMOVE', 'a', 'str', 'x'],
  ['SINTERSTORE', 'i', 'str'],
  ['SUNIONSTORE', 'str', 'a'],
  ['SPOP', 'str'],
];

describe('list events', () => {
  it('every list write command, silent forms and emptied lists (KEA)', async () => {
    const got = await expectSameEvents('KEA', run(LISTS));
    expect(got.events).toContain('__keyevent@0__:linsert l');
    expect(got.events).toContain('__keyspace@0__:dst lpush');
  });

  it('list events honour the class letters', async () => {
    for (const flags of ['El', 'Kl', 'Kg', 'E$g', 'KEh']) await expectSameEvents(flags, run(LISTS));
  });
});

describe('hash events', () => {
  it('every hash write command, silent forms and emptied hashes (KEA)', async () => {
    const got = await expectSameEvents('KEA', run(HASHES));
    expect(got.events).toContain('__keyevent@0__:hincrbyfloat h');
  });

  it('hash events honour the class letters', async () => {
    for (const flags of ['Kh', 'Eh', 'KEg', 'Els']) await expectSameEvents(flags, run(HASHES));
  });
});

describe('set events', () => {
  it('every set write command, silent forms, emptied sets and empty STORE results (KEA)', async () => {
    const got = await expectSameEvents('KEA', run(SETS));
    expect(got.events).toContain('__keyevent@0__:sdiffstore d');
  });

  it('set events honour the class letters', async () => {
    for (const flags of ['KEs', 'Es', 'Kg', 'KEhl']) await expectSameEvents(flags, run(SETS));
  });
});

describe('around the events', () => {
  it('"new" comes before the write that creates a key, in every family', async () => {
    // n is not part of A: it has to be asked for.
    const cmds: Cmd[] = [
      ['LPUSH', 'l', 'a'],
      ['LMOVE', 'l', 'l2', 'LEFT', 'LEFT'],
      ['HSET', 'h', 'f', 'v'],
      ['HSETNX', 'h2', 'f', 'v'],
      ['HINCRBY', 'h3', 'f', '1'],
      ['HINCRBYFLOAT', 'h4', 'f', '1'],
      ['SADD', 's', 'a'],
      ['SMOVE', 's', 's2', 'a'],
      ['SADD', 's', 'a', 'b'],
      ['SINTERSTORE', 'i', 's'],
      ['SUNIONSTORE', 'u', 's'],
      ['SDIFFSTORE', 'd', 's', 'nope'],
    ];
    await expectSameEvents('KEglshn', run(cmds));
    await expectSameEvents('Kn', run(cmds));
  });

  it('a write onto an expired key raises "expired" first', async () => {
    const cmds: Cmd[] = [
      ['RPUSH', 'l', 'a'],
      ['HSET', 'h', 'f', 'v'],
      ['SADD', 's', 'a'],
      ['PEXPIRE', 'l', '1'],
      ['PEXPIRE', 'h', '1'],
      ['PEXPIRE', 's', '1'],
    ];
    // Only lazy expiry: the active cycle would expire the keys at a moment of its own.
    await expectSameEvents('KElhsxn', async (s) => {
      await s.cmd.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
      try {
        const replies = await run(cmds)(s);
        await sleep(20);
        return replies.concat(await run([['RPUSH', 'l', 'b'], ['HSET', 'h', 'f', 'w'], ['SADD', 's', 'b']])(s));
      } finally {
        await s.cmd.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
      }
    });
  });

  it('writes inside MULTI/EXEC raise their events at EXEC, errors inside raise none', async () => {
    await expectSameEvents('KEA', async (s) => {
      const c = s.cmd;
      const out: string[] = [];
      for (const cmd of [
        ['MULTI'],
        ['RPUSH', 'l', 'a', 'b'],
        ['HSET', 'h', 'f', '1'],
        ['HINCRBY', 'h', 'f', 'x'],
        ['SADD', 's', 'a'],
        ['LPOP', 'l', '5'],
        ['SPOP', 's'],
        ['HDEL', 'h', 'f'],
        ['BLPOP', 'l', '0'],
        ['EXEC'],
      ]) {
        out.push(text(await c.call(...cmd)));
      }
      return out;
    });
  });

  it('events in another db name that db', async () => {
    await expectSameEvents('KEA', async (s) => {
      const replies = await run([
        ['SELECT', '3'],
        ['RPUSH', 'l', 'a'],
        ['HSET', 'h', 'f', 'v'],
        ['SADD', 's', 'a'],
        ['LPOP', 'l'],
        ['HDEL', 'h', 'f'],
        ['SREM', 's', 'a'],
      ])(s);
      return replies;
    });
  });

  it('a RESP3 client subscribed to its own events gets them in order with its replies', async () => {
    const cmds: Cmd[] = [
      ['LPUSH', 'l', 'a', 'b'],
      ['LINSERT', 'l', 'BEFORE', 'a', 'x'],
      ['LSET', 'l', '0', 'y'],
      ['LTRIM', 'l', '0', '0'],
      ['RPOPLPUSH', 'l', 'l2'],
      ['LPOP', 'l2'],
      ['HSET', 'h', 'f', '1'],
      ['HINCRBY', 'h', 'f', '1'],
      ['HINCRBYFLOAT', 'h', 'f', '1'],
      ['HDEL', 'h', 'f'],
      ['SADD', 's', 'a'],
      ['SMOVE', 's', 't', 'a'],
      ['SPOP', 't'],
      ['SADD', 'x', '1', '2'],
      ['SPOP', 'x', '1'],
      ['SINTERSTORE', 'i', 'x'],
      ['SINTERSTORE', 'i', 'nope'],
    ];
    const frames: string[][] = [];
    for (const port of [pair.redis.port, pair.engine.port]) {
      const c = await RespClient.connect(port);
      try {
        await c.call('FLUSHALL');
        await c.call('HELLO', '3');
        await c.call('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
        await c.call('PSUBSCRIBE', '__key*__:*');
        c.socket.write(Buffer.concat([...cmds, ['PUBLISH', MARK, 'x']].map(encodeCommand)));
        const seen: string[] = [];
        let replies = 0;
        let marked = false;
        while (replies < cmds.length + 1 || !marked) {
          const v = await c.read(5000);
          if (v.t === 'push') {
            if (v.v[2]?.t === 'bulk' && v.v[2].v === MARK) marked = true;
            else seen.push(`push ${show(v)}`);
          } else {
            replies++;
            // SPOP's choice among several members is random: keep only the reply's shape.
            seen.push(v.t === 'set' || v.t === 'bulk' ? `reply ${v.t}` : `reply ${show(v)}`);
          }
        }
        frames.push(seen);
        await c.call('CONFIG', 'SET', 'notify-keyspace-events', '');
      } finally {
        c.close();
      }
    }
    expect(frames[1]!.join('\n')).toBe(frames[0]!.join('\n'));
  });
});

// --- blocked clients ------------------------------------------------------------------------------

/** Opens a connection that sends `cmd` and blocks; returns it for its later reply. */
async function blockOn(s: Side, cmd: Cmd, db = 0): Promise<RespClient> {
  const c = await RespClient.connect(s.port);
  s.others.push(c);
  if (db !== 0) await c.call('SELECT', String(db));
  c.socket.write(encodeCommand(cmd));
  return c;
}

/** Blocks `cmds` in order (each one confirmed blocked before the next), runs `wake`, collects the blocked replies. */
function blocked(cmds: Array<{ cmd: Cmd; db?: number }>, wake: Cmd[]): Scenario {
  return async (s) => {
    const clients: RespClient[] = [];
    for (const [i, b] of cmds.entries()) {
      clients.push(await blockOn(s, b.cmd, b.db));
      await blockedCount(s, i + 1);
    }
    const replies = await run(wake)(s);
    for (const c of clients) replies.push(`blocked -> ${text(await c.read(5000))}`);
    return replies;
  };
}

describe('blocked clients', () => {
  it('BLPOP and BRPOP served by a push raise the pop after the push', async () => {
    await expectSameEvents('KEA', blocked([{ cmd: ['BLPOP', 'k', '0'] }], [['RPUSH', 'k', 'a']]));
    await expectSameEvents('KEA', blocked([{ cmd: ['BRPOP', 'nope', 'k', '0'] }], [['LPUSH', 'k', 'a', 'b']]));
  });

  it('several clients served by one push, in the order they blocked', async () => {
    await expectSameEvents(
      'KEA',
      blocked(
        [{ cmd: ['BLPOP', 'k', '0'] }, { cmd: ['BRPOP', 'k', '0'] }, { cmd: ['BLMPOP', '0', '1', 'k', 'LEFT', 'COUNT', '5'] }],
        [['RPUSH', 'k', 'a', 'b', 'c', 'd', 'e']],
      ),
    );
  });

  it('BLMPOP served pops a range once', async () => {
    await expectSameEvents('KEA', blocked([{ cmd: ['BLMPOP', '0', '2', 'x', 'k', 'RIGHT', 'COUNT', '2'] }], [['RPUSH', 'k', 'a', 'b', 'c']]));
    await expectSameEvents('KEl', blocked([{ cmd: ['BLMPOP', '0', '1', 'k', 'LEFT', 'COUNT', '9'] }], [['RPUSH', 'k', 'a', 'b']]));
  });

  it('BLMOVE and BRPOPLPUSH served push onto the destination, then pop the source', async () => {
    await expectSameEvents('KEglshn', blocked([{ cmd: ['BLMOVE', 'src', 'dst', 'LEFT', 'RIGHT', '0'] }], [['RPUSH', 'src', 'a']]));
    await expectSameEvents(
      'KEA',
      blocked(
        [{ cmd: ['BRPOPLPUSH', 'src', 'dst', '0'] }],
        [
          ['RPUSH', 'dst', 'z'],
          ['RPUSH', 'src', 'a', 'b'],
        ],
      ),
    );
  });

  it('a chain of BLMOVE clients, each push waking the next', async () => {
    await expectSameEvents(
      'KEA',
      blocked(
        [{ cmd: ['BLMOVE', 'b', 'c', 'LEFT', 'LEFT', '0'] }, { cmd: ['BLMOVE', 'a', 'b', 'RIGHT', 'LEFT', '0'] }, { cmd: ['BLPOP', 'c', '0'] }],
        [['LPUSH', 'a', 'v']],
      ),
    );
  });

  it('BLMOVE served onto a key of another type raises nothing', async () => {
    await expectSameEvents(
      'KEA',
      blocked(
        [{ cmd: ['BLMOVE', 'src', 'str', 'LEFT', 'LEFT', '0'] }],
        [
          ['SADD', 'str', 'v'],
          ['RPUSH', 'src', 'a'],
          ['LRANGE', 'src', '0', '-1'],
        ],
      ),
    );
  });

  it('clients blocked in another db are served with that db in the channel', async () => {
    await expectSameEvents(
      'KEA',
      blocked(
        [{ cmd: ['BLPOP', 'k', '0'], db: 2 }, { cmd: ['BLMOVE', 'k', 'd', 'RIGHT', 'RIGHT', '0'], db: 2 }],
        [
          ['SELECT', '2'],
          ['RPUSH', 'k', 'a', 'b', 'c'],
        ],
      ),
    );
  });

  it('pushes inside MULTI/EXEC serve blocked clients after EXEC', async () => {
    await expectSameEvents(
      'KEA',
      blocked(
        [{ cmd: ['BLPOP', 'k', '0'] }, { cmd: ['BRPOP', 'k2', '0'] }],
        [['MULTI'], ['RPUSH', 'k', 'a'], ['LPUSH', 'k2', 'x', 'y'], ['LPOP', 'k'], ['RPUSH', 'k', 'b'], ['EXEC']],
      ),
    );
  });

  it('class letters apply to served clients too', async () => {
    for (const flags of ['Kg', 'El', 'KEs']) {
      await expectSameEvents(flags, blocked([{ cmd: ['BLMOVE', 's', 'd', 'LEFT', 'LEFT', '0'] }, { cmd: ['BLPOP', 'd', '0'] }], [['RPUSH', 's', 'a']]));
    }
  });
});

// --- generated sequences --------------------------------------------------------------------------

const LKEYS = ['l1', 'l2'];
const HKEYS = ['h1', 'h2'];
const SKEYS = ['s1', 's2', 's3'];
const ANYKEY = [...LKEYS, ...HKEYS, ...SKEYS];
const VALS = ['a', 'b', 'c', '1', '2'];

const key = (ks: string[]) => fc.constantFrom(...ks);
const val = fc.constantFrom(...VALS);
const vals = fc.array(val, { minLength: 1, maxLength: 4 });
const end = fc.constantFrom('LEFT', 'RIGHT');
const small = fc.integer({ min: -4, max: 4 }).map(String);

/** Commands of the three families on a tiny keyspace (types mix, so WRONGTYPE shows up too). */
const command: fc.Arbitrary<Cmd> = fc.oneof(
  fc.tuple(fc.constantFrom('LPUSH', 'RPUSH', 'LPUSHX', 'RPUSHX'), key(LKEYS), vals).map(([c, k, v]) => [c, k, ...v]),
  fc.tuple(fc.constantFrom('LPOP', 'RPOP'), key(LKEYS)).map(([c, k]) => [c, k]),
  fc.tuple(fc.constantFrom('LPOP', 'RPOP'), key(LKEYS), fc.integer({ min: 0, max: 4 })).map(([c, k, n]) => [c, k, String(n)]),
  fc.tuple(key(LKEYS), fc.constantFrom('BEFORE', 'AFTER'), val, val).map(([k, w, p, v]) => ['LINSERT', k, w, p, v]),
  fc.tuple(key(LKEYS), small, val).map(([k, i, v]) => ['LSET', k, i, v]),
  fc.tuple(key(LKEYS), small, small).map(([k, a, b]) => ['LTRIM', k, a, b]),
  fc.tuple(key(LKEYS), small, val).map(([k, n, v]) => ['LREM', k, n, v]),
  fc.tuple(key(ANYKEY), key(LKEYS), end, end).map(([a, b, f, t]) => ['LMOVE', a, b, f, t]),
  fc.tuple(key(LKEYS), key(LKEYS)).map(([a, b]) => ['RPOPLPUSH', a, b]),
  fc.tuple(key(LKEYS), key(LKEYS), end, fc.integer({ min: 1, max: 3 })).map(([a, b, w, n]) => ['LMPOP', '2', a, b, w, 'COUNT', String(n)]),
  fc.tuple(key(LKEYS), key(LKEYS)).map(([a, b]) => ['BLPOP', a, b, '0.01']),
  fc.tuple(key(LKEYS), key(LKEYS), end, end).map(([a, b, f, t]) => ['BLMOVE', a, b, f, t, '0.01']),
  fc.tuple(fc.constantFrom('HSET', 'HMSET'), key(HKEYS), fc.array(fc.tuple(val, val), { minLength: 1, maxLength: 3 })).map(([c, k, fv]) => [
    c,
    k,
    ...fv.flat(),
  ]),
  fc.tuple(key(HKEYS), val, val).map(([k, f, v]) => ['HSETNX', k, f, v]),
  fc.tuple(key(ANYKEY), vals).map(([k, f]) => ['HDEL', k, ...f]),
  fc.tuple(key(HKEYS), val, fc.integer({ min: -3, max: 3 })).map(([k, f, n]) => ['HINCRBY', k, f, String(n)]),
  fc.tuple(key(HKEYS), val, fc.constantFrom('0.5', '-1', '2e0')).map(([k, f, n]) => ['HINCRBYFLOAT', k, f, n]),
  fc.tuple(key(SKEYS), vals).map(([k, m]) => ['SADD', k, ...m]),
  fc.tuple(key(ANYKEY), vals).map(([k, m]) => ['SREM', k, ...m]),
  fc.tuple(key(ANYKEY), key(SKEYS), val).map(([a, b, m]) => ['SMOVE', a, b, m]),
  // Only the SPOP forms whose effect does not depend on the random pick.
  fc.tuple(key(SKEYS), fc.constantFrom('0', '10')).map(([k, n]) => ['SPOP', k, n]),
  fc.tuple(fc.constantFrom('SINTERSTORE', 'SUNIONSTORE', 'SDIFFSTORE'), key(SKEYS), fc.array(key(ANYKEY), { minLength: 1, maxLength: 3 })).map(
    ([c, d, ks]) => [c, d, ...ks],
  ),
);

describe('generated sequences', () => {
  it('the event stream of random list/hash/set commands matches redis', async () => {
    const seqs = fc.sample(fc.array(command, { minLength: 5, maxLength: 40 }), { seed: 7105, numRuns: 30 });
    const problems: string[] = [];
    for (const [i, seq] of seqs.entries()) {
      const flags = ['KEA', 'KEglshn', 'Klhs', 'Eg'][i % 4]!;
      const [redis, engine] = await onBoth(flags, run(seq));
      const r = redis.replies.join('\n') + '\n--\n' + redis.events.join('\n');
      const e = engine.replies.join('\n') + '\n--\n' + engine.events.join('\n');
      if (r !== e) problems.push(`flags ${flags}\nredis:\n${r}\nengine:\n${e}`);
      if (problems.length > 0) break;
    }
    expect(problems).toEqual([]);
  }, 60_000);
});
