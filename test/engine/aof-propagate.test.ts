// What reaches the AOF, compared with what redis-server 7.0.15 writes for the same commands: both
// servers run the same script with appendonly yes, and the INCR files are read back and compared
// command by command (absolute times near now masked, since the two clocks differ by a few ms).
// Covers the rewritten commands (SET EX -> SET PXAT, EXPIRE -> PEXPIREAT, GETEX, GETDEL, GETSET,
// SETEX, INCRBYFLOAT, HINCRBYFLOAT, SPOP, the blocking pops served at once and later, LMPOP,
// ZMPOP, RESTORE, XADD *), the wrapping of MULTI/EXEC and scripts, commands that change nothing,
// FLUSHALL on an empty server, SELECT tracking, and lazy expiry.

import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RespClient } from '../helpers/resp-client.js';
import { aofCommands, engineOn, redisOn, tempDir, type AofEngine, type RedisOn } from './aof-helpers.js';

type Cmd = Array<string | number | Buffer>;

const UNORDERED = new Set(['SPOP', 'XADD']);

/** Numbers that look like a unix time in ms or s near now. */
function mask(argv: string[]): string[] {
  const now = Date.now();
  return argv.map((a) => {
    if (!/^\d+$/.test(a)) return a;
    const n = Number(a);
    if (Math.abs(n - now) < 3_600_000 * 24 * 400) return 'T_MS';
    return a;
  });
}

let engine: AofEngine;
let redis: RedisOn;
const dirs: string[] = [];

beforeAll(async () => {
  const e = tempDir('prop-e');
  const r = tempDir('prop-r');
  dirs.push(e, r);
  [engine, redis] = await Promise.all([engineOn(e), redisOn(r)]);
});

afterAll(async () => {
  await Promise.all([engine?.stop(), redis?.stop()]);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function runBoth(cmds: Cmd[]): Promise<void> {
  for (const cmd of cmds) {
    const [a, b] = await Promise.all([redis.c.call(...cmd), engine.c.call(...cmd)]);
    // Random members and generated stream IDs differ between servers; the logs are compared instead.
    if (UNORDERED.has(String(cmd[0]).toUpperCase())) continue;
    expect(b, `reply to ${cmd.join(' ')}`).toEqual(a);
  }
}

/** Runs `cmds` on both and returns what each appended to its INCR files. */
async function logged(cmds: Cmd[]): Promise<{ redis: string[][]; engine: string[][] }> {
  const before = { r: aofCommands(dirs[1]!).length, e: aofCommands(dirs[0]!).length };
  await runBoth(cmds);
  await new Promise((r) => setTimeout(r, 30));
  return { redis: aofCommands(dirs[1]!).slice(before.r).map(mask), engine: aofCommands(dirs[0]!).slice(before.e).map(mask) };
}

async function same(cmds: Cmd[]): Promise<string[][]> {
  const out = await logged(cmds);
  expect(out.engine).toEqual(out.redis);
  return out.engine;
}

describe('the AOF logs what Redis 7.0 logs', () => {
  it('plain writes as sent, SELECT when the database changes, no-ops not at all', async () => {
    const out = await same([
      ['set', 'a', '1'],
      ['SET', 'b', 'x', 'NX'],
      ['SET', 'b', 'y', 'NX'],
      ['get', 'a'],
      ['DEL', 'nothing'],
      ['SELECT', 3],
      ['rpush', 'l', 'a', 'b', 'c'],
      ['HSET', 'h', 'f', 'v'],
      ['SELECT', 0],
      ['APPEND', 'a', 'zz'],
      ['SADD', 's', 'm'],
      ['SADD', 's', 'm'],
    ]);
    expect(out[0]).toEqual(['SELECT', '0']);
    expect(out.some((a) => a[0] === 'get' || a[1] === 'nothing')).toBe(false);
  });

  it('relative expiries become absolute; past ones become DEL', async () => {
    await same([
      ['SET', 'k1', 'v', 'EX', 100],
      ['SET', 'k2', 'v', 'PX', 100000, 'GET'],
      ['SET', 'k3', 'v', 'GET'],
      ['SET', 'k4', 'v', 'KEEPTTL'],
      ['SET', 'k5', 'v', 'EXAT', 4102444800],
      ['SETEX', 'k6', 100, 'v'],
      ['PSETEX', 'k7', 100000, 'v'],
      ['EXPIRE', 'k3', 100],
      ['PEXPIRE', 'k3', 200000, 'GT'],
      ['EXPIREAT', 'k4', 4102444800],
      ['PEXPIREAT', 'k4', '4102444800001'],
      ['EXPIRE', 'k4', -1],
      ['EXPIRE', 'missing', 10],
      ['GETEX', 'k1', 'EX', 50],
      ['GETEX', 'k1', 'PERSIST'],
      ['GETEX', 'k1', 'PERSIST'],
      ['GETEX', 'k2', 'PXAT', 1],
      ['GETEX', 'k5'],
      ['GETDEL', 'k5'],
      ['GETSET', 'k6', 'w'],
      ['PERSIST', 'k7'],
    ]);
  });

  it('INCRBYFLOAT and HINCRBYFLOAT log the result', async () => {
    await same([
      ['SET', 'f', '10.5', 'EX', 1000],
      ['INCRBYFLOAT', 'f', '0.1'],
      ['INCRBYFLOAT', 'g', '3e2'],
      ['HINCRBYFLOAT', 'hf', 'x', '1.5'],
      ['HINCRBYFLOAT', 'hf', 'x', '-0.25'],
    ]);
  });

  it('SPOP becomes SREM (or DEL when the count takes the whole set)', async () => {
    await same([
      ['SADD', 'sp1', 'only'],
      ['SPOP', 'sp1'],
      ['SADD', 'sp2', 'a', 'b', 'c'],
      ['SPOP', 'sp2', 5],
      ['SADD', 'sp3', 'z'],
      ['SPOP', 'sp3', 0],
    ]);
    // Random members: the shape (SREM per member, wrapped in MULTI/EXEC), and the members the reply named.
    await runBoth([['SADD', 'sp4', 'a', 'b', 'c', 'd', 'e', 'f']]);
    const before = { r: aofCommands(dirs[1]!).length, e: aofCommands(dirs[0]!).length };
    const [ra, rb] = await Promise.all([redis.c.call('SPOP', 'sp4', 2), engine.c.call('SPOP', 'sp4', 2)]);
    const out = { redis: aofCommands(dirs[1]!).slice(before.r), engine: aofCommands(dirs[0]!).slice(before.e) };
    const shape = (l: string[][]) => l.map((a) => (a[0] === 'SREM' ? ['SREM', a[1]] : a));
    expect(shape(out.engine)).toEqual(shape(out.redis));
    const members = (v: typeof ra) => (v.t === 'array' ? v.v.map((x) => (x.t === 'bulk' ? x.v : '')).sort() : []);
    expect(out.engine.filter((a) => a[0] === 'SREM').map((a) => a[2]).sort()).toEqual(members(rb));
    expect(out.redis.filter((a) => a[0] === 'SREM').map((a) => a[2]).sort()).toEqual(members(ra));
  });

  it('blocking pops served at once log the non-blocking pop', async () => {
    await same([
      ['RPUSH', 'bl', 'a', 'b', 'c', 'd'],
      ['BLPOP', 'nothere', 'bl', 0],
      ['BRPOP', 'bl', 0],
      ['BLMOVE', 'bl', 'bl2', 'LEFT', 'RIGHT', 0],
      ['BRPOPLPUSH', 'bl2', 'bl3', 0],
      ['RPUSH', 'bl', 'x', 'y', 'z'],
      ['LMPOP', 2, 'none', 'bl', 'LEFT', 'COUNT', 10],
      ['RPUSH', 'bl', 'x', 'y', 'z'],
      ['BLMPOP', 0, 1, 'bl', 'RIGHT', 'COUNT', 2],
      ['ZADD', 'bz', 1, 'a', 2, 'b', 3, 'c', 4, 'd'],
      ['BZPOPMIN', 'bz', 0],
      ['BZPOPMAX', 'bz', 0],
      ['ZMPOP', 1, 'bz', 'MIN', 'COUNT', 5],
      ['ZADD', 'bz', 1, 'a', 2, 'b'],
      ['BZMPOP', 0, 1, 'bz', 'MAX'],
      ['LPOP', 'none'],
    ]);
  });

  it('blocked clients served later log the pop they performed', async () => {
    const clients = await Promise.all([RespClient.connect(redis.port), RespClient.connect(engine.port)]);
    const blocked = await Promise.all([
      ['BLPOP', 'later', 0],
      ['BLMOVE', 'later2', 'dst', 'RIGHT', 'LEFT', 0],
      ['BZPOPMAX', 'laterz', 0],
    ].map(async (cmd) => Promise.all([RespClient.connect(redis.port), RespClient.connect(engine.port)]).then((cs) => ({ cmd, cs }))));
    const pending = blocked.map(({ cmd, cs }) => Promise.all(cs.map((c) => c.call(...cmd))));
    await new Promise((r) => setTimeout(r, 50));
    const out = await logged([
      ['RPUSH', 'later', 'v1', 'v2'],
      ['RPUSH', 'later2', 'w1'],
      ['ZADD', 'laterz', 1, 'm', 2, 'n'],
    ]);
    const replies = await Promise.all(pending);
    for (const [a, b] of replies) expect(b).toEqual(a);
    expect(out.engine).toEqual(out.redis);
    for (const { cs } of blocked) for (const c of cs) c.close();
    for (const c of clients) c.close();
  });

  it('MULTI/EXEC and scripts are logged as MULTI, their writes, EXEC (one write alone unwrapped)', async () => {
    const tx = async (c: RespClient) => c.pipeline([['MULTI'], ['SET', 'm1', 'a'], ['INCR', 'm2'], ['GET', 'm1'], ['EXEC']]);
    const [a, b] = await Promise.all([tx(redis.c), tx(engine.c)]);
    expect(b).toEqual(a);
    await same([
      ['MULTI'],
      ['SET', 'm3', 'x', 'EX', 10],
      ['EXEC'],
      ['EVAL', "redis.call('set', KEYS[1], 'v'); redis.call('incr', KEYS[2]); return redis.call('get', KEYS[1])", 2, 'e1', 'e2'],
      ['EVAL', "return redis.call('incrbyfloat', KEYS[1], '1.5')", 1, 'e3'],
      ['EVAL', "return redis.call('get', KEYS[1])", 1, 'e3'],
    ]);
    const out = await logged([]);
    expect(out.engine).toEqual(out.redis);
  });

  it('FLUSHALL is logged even on an empty server; RESTORE gets an absolute TTL; XADD * its ID', async () => {
    const dump = await redis.c.call('DUMP', 'a');
    const payload = dump.t === 'bulk' ? Buffer.from(dump.v, 'latin1') : Buffer.alloc(0);
    await same([
      ['RESTORE', 'r1', 100000, payload],
      ['RESTORE', 'r2', 0, payload],
      ['RESTORE', 'r3', '4102444800000', payload, 'ABSTTL'],
      ['XADD', 'xs', '1-1', 'f', 'v'],
      ['XADD', 'xs', '5-*', 'f', 'v'],
      ['XADD', 'xs', 'MAXLEN', '=', 5, '9-1', 'f', 'v'],
      ['XGROUP', 'CREATE', 'xs', 'g', '0'],
      ['XTRIM', 'xs', 'MAXLEN', 2],
      ['FLUSHALL'],
      ['FLUSHALL'],
      ['FLUSHDB'],
    ]);
    const out = await logged([['XADD', 'xs2', '*', 'f', 'v']]);
    expect(out.engine.map((a) => a.slice(0, 2))).toEqual(out.redis.map((a) => a.slice(0, 2)));
    expect(out.engine[out.engine.length - 1]![2]).toMatch(/^\d+-\d+$/);
  });

  it('consumer groups: XREADGROUP, XCLAIM and XAUTOCLAIM become idempotent XCLAIMs (XGROUP SETID with NOACK)', async () => {
    await same([
      ['XADD', 'cg', '1-1', 'f', 'v'],
      ['XADD', 'cg', '2-1', 'f', 'v'],
      ['XADD', 'cg', '3-1', 'f', 'v'],
      ['XADD', 'cg', '4-1', 'f', 'v'],
      ['XGROUP', 'CREATE', 'cg', 'g', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', 2, 'STREAMS', 'cg', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'bob', 'NOACK', 'COUNT', 1, 'STREAMS', 'cg', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 'cg', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 'cg', '>'],
      ['XCLAIM', 'cg', 'g', 'bob', 0, '1-1', '2-1', '9-9'],
      ['XCLAIM', 'cg', 'g', 'carol', 0, '4-1', 'JUSTID'],
    ]);
    // A NACK whose entry was deleted is logged by Redis with its old owner and count, by the engine
    // with the claimer's (the NACK is gone when the log is written); either way the replay drops it.
    const out = await logged([
      ['XDEL', 'cg', '2-1'],
      ['XAUTOCLAIM', 'cg', 'g', 'dave', 0, '0-0'],
      ['XACK', 'cg', 'g', '1-1'],
    ]);
    const owner = (l: string[][]) => l.map((a) => (a[0] === 'XCLAIM' && a[5] === '2-1' ? [...a.slice(0, 3), '?', a[4]!, a[5], a[6]!, a[7]!, a[8]!, '?', ...a.slice(10)] : a));
    expect(owner(out.engine)).toEqual(owner(out.redis));
  });

  it('a key that expires lazily inside a write is deleted first (DEL + the write, in MULTI/EXEC)', async () => {
    await runBoth([['SET', 'lz', 'v', 'PX', 30]]);
    await new Promise((r) => setTimeout(r, 120));
    // Active expiry may get there first on either server: only compare when both deleted lazily.
    await runBoth([['DEBUG', 'SET-ACTIVE-EXPIRE', 0]]);
    await runBoth([['SET', 'lz2', 'v', 'PX', 30]]);
    await new Promise((r) => setTimeout(r, 60));
    const out = await same([
      ['GET', 'lz2'],
      ['SET', 'lz3', 'v', 'PX', 30],
    ]);
    expect(out).toContainEqual(['DEL', 'lz2']);
    await new Promise((r) => setTimeout(r, 60));
    await same([['APPEND', 'lz3', 'more']]);
    await runBoth([['DEBUG', 'SET-ACTIVE-EXPIRE', 1]]);
  });

  it('SCAN and RANDOMKEY leave their lazy deletions unwrapped; inside EXEC they are wrapped', async () => {
    await runBoth([['DEBUG', 'SET-ACTIVE-EXPIRE', 0], ['FLUSHALL']]);
    const expiring = async () => {
      await runBoth([['SET', 'foo1', 'bar', 'PX', 1], ['SET', 'foo2', 'bar', 'PX', 1]]);
      await new Promise((r) => setTimeout(r, 10));
    };
    await expiring();
    const scanned = await logged([['SCAN', '0']]);
    expect(scanned.engine.map((a) => a[0])).toEqual(scanned.redis.map((a) => a[0]));
    expect(scanned.engine.map((a) => a[0])).toEqual(['DEL', 'DEL']);
    await expiring();
    const random = await logged([['RANDOMKEY']]);
    expect(random.engine.map((a) => a[0])).toEqual(random.redis.map((a) => a[0]));
    expect(random.engine).not.toContainEqual(['MULTI']);
    await expiring();
    const inExec = await logged([['MULTI'], ['SCAN', '0'], ['EXEC']]);
    expect(inExec.engine.map((a) => a[0])).toEqual(['MULTI', 'DEL', 'DEL', 'EXEC']);
    expect(inExec.engine.map((a) => a[0])).toEqual(inExec.redis.map((a) => a[0]));
    await runBoth([['DEBUG', 'SET-ACTIVE-EXPIRE', 1]]);
  });

  it('DEBUG LOADAOF reloads the dataset from the AOF, logging nothing again', async () => {
    await runBoth([['FLUSHALL'], ['SET', 'kept', 'v', 'EX', 100], ['RPUSH', 'l', 'a', 'b'], ['SELECT', 3], ['SET', 'in3', 'x'], ['SELECT', 0]]);
    const out = await logged([['DEBUG', 'LOADAOF'], ['MGET', 'kept', 'in3'], ['LRANGE', 'l', 0, -1]]);
    expect(out.engine).toEqual([]);
    expect(out.engine).toEqual(out.redis);
    const [ttlR, ttlE] = await Promise.all([redis.c.call('TTL', 'kept'), engine.c.call('TTL', 'kept')]);
    expect(ttlE).toEqual(ttlR);
  });
});
