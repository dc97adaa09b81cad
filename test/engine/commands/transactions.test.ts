// MULTI/EXEC/DISCARD/WATCH/UNWATCH compared with a real redis-server 7.0: queueing, the error
// texts, EXECABORT, WATCH invalidation from other connections, expiry between WATCH and EXEC,
// stale keys (already expired when watched), FLUSHDB/FLUSHALL/SWAPDB, and generated sequences
// over two connections.
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RespValue } from '../../../src/formats/resp/reply-parser.js';
import { diff, same, show, startPair, type Cmd, type Pair } from '../../helpers/differential.js';
import { RespClient } from '../../helpers/resp-client.js';

/** One extra connection on each server, driven in lock step. */
class Duo {
  constructor(
    readonly r: RespClient,
    readonly e: RespClient,
  ) {}
  static async open(pair: Pair): Promise<Duo> {
    return new Duo(await RespClient.connect(pair.redis.port), await RespClient.connect(pair.engine.port));
  }
  async same(...args: Cmd): Promise<RespValue> {
    const [a, b] = await Promise.all([this.r.call(...args), this.e.call(...args)]);
    expect(show(b), `command: ${args.map(String).join(' ')}`).toBe(show(a));
    return a;
  }
  close(): void {
    this.r.close();
    this.e.close();
  }
}

let pair: Pair;
const main = () => new Duo(pair.r, pair.e);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** DEBUG SET-ACTIVE-EXPIRE on Redis; the engine's switch is set directly (same effect). */
async function activeExpire(on: boolean): Promise<void> {
  await pair.r.call('DEBUG', 'SET-ACTIVE-EXPIRE', on ? '1' : '0');
  pair.engine.engine!.activeExpire = on;
}

beforeAll(async () => {
  pair = await startPair();
});
afterAll(async () => {
  await pair?.stop();
});
beforeEach(async () => {
  // RESET on each side alone, so one failed test cannot leave a transaction open for the next.
  await Promise.all([pair.r.call('RESET'), pair.e.call('RESET')]);
  await same(pair, [['FLUSHALL']]);
});

describe('MULTI / EXEC / DISCARD', () => {
  it('queues and runs commands, with per-command errors inside the EXEC array', async () => {
    await same(pair, [
      ['SET', 's', 'abc'],
      ['MULTI'],
      ['GET', 's'],
      ['PING'],
      ['INCR', 's'],
      ['SET', 'n', '1'],
      ['INCR', 'n'],
      ['APPEND', 's', 'def'],
      ['EXEC'],
      ['GET', 'n'],
      ['GET', 's'],
      ['MULTI'],
      ['EXEC'],
    ]);
  });

  it('answers the misuse errors exactly', async () => {
    await same(pair, [
      ['EXEC'],
      ['DISCARD'],
      ['MULTI'],
      ['MULTI'],
      ['WATCH', 'x'],
      ['PING'],
      ['EXEC'],
      ['MULTI', 'extra'],
      ['DISCARD', 'extra'],
      ['WATCH'],
      ['UNWATCH', 'x'],
    ]);
  });

  it('EXEC rejected for its arity inside MULTI aborts the transaction with the reason', async () => {
    await same(pair, [['MULTI'], ['SET', 'a', '1'], ['EXEC', 'extra'], ['EXEC'], ['EXISTS', 'a']]);
  });

  it('DISCARD drops the queue', async () => {
    await same(pair, [['SET', 'k', 'v'], ['MULTI'], ['DEL', 'k'], ['DISCARD'], ['GET', 'k'], ['EXEC']]);
  });

  it('EXECABORT after an error while queuing (unknown command, arity, unknown subcommand)', async () => {
    for (const bad of [['NOSUCHCMD', 'a'], ['GET'], ['CLIENT', 'FOO'], ['SET', 'a']] as Cmd[]) {
      await same(pair, [['MULTI'], ['SET', 'foo1', 'bar'], bad, ['SET', 'foo2', 'bar'], ['EXEC'], ['EXISTS', 'foo1', 'foo2'], ['PING']]);
    }
  });

  it('a command that fails at run time does not abort the rest', async () => {
    await same(pair, [['SET', 's', 'x'], ['MULTI'], ['HSET', 's', 'f', 'v'], ['SET', 'after', '1'], ['CLIENT', 'LIST', 'ID'], ['EXEC'], ['GET', 'after']]);
  });

  it('SELECT inside MULTI switches the db for the following queued commands', async () => {
    await same(pair, [['MULTI'], ['SELECT', '3'], ['SET', 'k', 'in3'], ['SELECT', '0'], ['EXEC'], ['GET', 'k'], ['SELECT', '3'], ['GET', 'k'], ['SELECT', '0']]);
  });

  it('RESET leaves the transaction and the watches', async () => {
    const other = await Duo.open(pair);
    await same(pair, [['WATCH', 'w'], ['MULTI'], ['SET', 'a', '1'], ['RESET'], ['EXEC'], ['GET', 'a']]);
    await other.same('SET', 'w', 'changed');
    await same(pair, [['MULTI'], ['PING'], ['EXEC']]);
    other.close();
  });

  it('EXEC under maxmemory: EXECABORT naming OOM when a queued command may use memory, runs when all read', async () => {
    const other = await Duo.open(pair);
    try {
      await same(pair, [['SET', 'x', '1'], ['MULTI'], ['SET', 'x', '2'], ['GET', 'x']]);
      await other.same('CONFIG', 'SET', 'maxmemory', '1');
      await same(pair, [['EXEC'], ['MULTI'], ['GET', 'x'], ['EXISTS', 'x']]);
      await same(pair, [['EXEC']]);
    } finally {
      await other.same('CONFIG', 'SET', 'maxmemory', '0');
      other.close();
    }
    await same(pair, [['GET', 'x']]);
  });

  it('SUBSCRIBE works inside EXEC but SSUBSCRIBE is refused there', async () => {
    const c = await Duo.open(pair);
    await c.same('MULTI');
    await c.same('SSUBSCRIBE', 'shard');
    await c.same('SUBSCRIBE', 'ch');
    await c.same('EXEC'); // *2: the error, then the subscribe confirmation as the second element
    await c.same('PING');
    await c.same('UNSUBSCRIBE');
    c.close();
  });
});

describe('WATCH', () => {
  it('EXEC succeeds when nothing watched changed, fails when a key was modified', async () => {
    await same(pair, [
      ['WATCH', 'x', 'y', 'z'],
      ['WATCH', 'k'],
      ['MULTI'],
      ['PING'],
      ['EXEC'],
      ['SET', 'x', '30'],
      ['WATCH', 'x'],
      ['SET', 'x', '40'],
      ['MULTI'],
      ['PING'],
      ['EXEC'],
      ['SET', 'x', '30'],
      ['WATCH', 'a', 'b', 'x', 'k', 'z'],
      ['SET', 'x', '40'],
      ['MULTI'],
      ['PING'],
      ['EXEC'],
    ]);
  });

  it('sees writes from another connection, and only on the watched db', async () => {
    const other = await Duo.open(pair);
    await same(pair, [['SET', 'x', '1'], ['WATCH', 'x']]);
    await other.same('SELECT', '1');
    await other.same('SET', 'x', '2'); // another db: no effect
    await same(pair, [['MULTI'], ['INCR', 'x'], ['EXEC']]);
    await same(pair, [['WATCH', 'x']]);
    await other.same('SELECT', '0');
    await other.same('INCR', 'x');
    await same(pair, [['MULTI'], ['INCR', 'x'], ['EXEC'], ['GET', 'x']]);
    other.close();
  });

  it('WATCH remembers the db a key belongs to', async () => {
    await same(pair, [['SELECT', '5'], ['SET', 'x', '30'], ['WATCH', 'x'], ['SELECT', '1'], ['SET', 'x', '10'], ['SELECT', '5'], ['MULTI'], ['PING'], ['EXEC'], ['SELECT', '0']]);
  });

  it('UNWATCH, EXEC and DISCARD all forget the watches and the dirty flag', async () => {
    await same(pair, [
      ['SET', 'x', '30'],
      ['WATCH', 'x'],
      ['SET', 'x', '40'],
      ['UNWATCH'],
      ['MULTI'],
      ['PING'],
      ['EXEC'],
      ['UNWATCH'],
      // after a successful EXEC the key is no longer watched
      ['WATCH', 'x'],
      ['MULTI'],
      ['PING'],
      ['EXEC'],
      ['SET', 'x', '50'],
      ['MULTI'],
      ['PING'],
      ['EXEC'],
      // after a failed EXEC too
      ['WATCH', 'x'],
      ['SET', 'x', '60'],
      ['MULTI'],
      ['PING'],
      ['EXEC'],
      ['SET', 'x', '70'],
      ['MULTI'],
      ['PING'],
      ['EXEC'],
      // DISCARD clears the dirty flag and unwatches
      ['WATCH', 'x'],
      ['SET', 'x', '10'],
      ['MULTI'],
      ['DISCARD'],
      ['MULTI'],
      ['INCR', 'x'],
      ['EXEC'],
    ]);
  });

  it('a dirty client ignores further WATCHes until the next EXEC', async () => {
    await same(pair, [['WATCH', 'a'], ['SET', 'a', '1'], ['WATCH', 'b'], ['MULTI'], ['PING'], ['EXEC'], ['MULTI'], ['PING'], ['EXEC']]);
  });

  it('EXPIRE, DEL of a missing key, and writes that change nothing', async () => {
    await same(pair, [
      ['SET', 'x', 'foo'],
      ['WATCH', 'x'],
      ['EXPIRE', 'x', '100'],
      ['MULTI'],
      ['PING'],
      ['EXEC'],
      ['WATCH', 'missing'],
      ['DEL', 'missing'],
      ['MULTI'],
      ['PING'],
      ['EXEC'],
      ['SADD', 'set', 'a'],
      ['WATCH', 'set'],
      ['SREM', 'set', 'nope'],
      ['MULTI'],
      ['PING'],
      ['EXEC'],
    ]);
  });

  it('FLUSHALL / FLUSHDB touch watched keys that exist, not missing ones', async () => {
    for (const flush of [['FLUSHALL'], ['FLUSHDB']] as Cmd[]) {
      await same(pair, [['SET', 'x', '30'], ['WATCH', 'x'], flush, ['MULTI'], ['PING'], ['EXEC']]);
      await same(pair, [['DEL', 'x'], ['WATCH', 'x'], flush, ['MULTI'], ['PING'], ['EXEC']]);
    }
  });

  it('SWAPDB touches watched keys that exist on either side', async () => {
    await same(pair, [['FLUSHALL'], ['SET', 'x', '30'], ['WATCH', 'x'], ['SWAPDB', '0', '1'], ['MULTI'], ['PING'], ['EXEC']]);
    await same(pair, [['FLUSHALL'], ['SELECT', '1'], ['SET', 'x', '30'], ['SELECT', '0'], ['WATCH', 'x'], ['SWAPDB', '0', '1'], ['MULTI'], ['PING'], ['EXEC']]);
    await same(pair, [['FLUSHALL'], ['SET', 'y', '1'], ['WATCH', 'x'], ['SWAPDB', '0', '1'], ['MULTI'], ['PING'], ['EXEC']]);
  });

  it('a key that expires between WATCH and EXEC fails the EXEC (lazy expiry, active expiry off)', async () => {
    await activeExpire(false);
    try {
      await same(pair, [['SET', 'key', '1', 'PX', '100'], ['WATCH', 'key']]);
      await sleep(150);
      await same(pair, [['MULTI'], ['INCR', 'key'], ['EXEC'], ['EXISTS', 'key']]);
    } finally {
      await activeExpire(true);
    }
  });

  it('a key that expires (and is deleted by active expiry) fails the EXEC', async () => {
    await same(pair, [['SET', 'x', 'foo', 'PX', '50'], ['WATCH', 'x']]);
    await sleep(400);
    await same(pair, [['DBSIZE'], ['MULTI'], ['PING'], ['EXEC']]);
  });

  it('stale keys (expired when watched) do not fail EXEC: plain, deleted, flushed, swapped', async () => {
    await activeExpire(false);
    try {
      const stale = async (db = '0') => {
        await same(pair, [['SELECT', db], ['SET', 'x', 'foo', 'PX', '1']]);
        await sleep(5);
      };
      // WATCH a stale key
      await stale();
      await same(pair, [['WATCH', 'x'], ['MULTI'], ['PING'], ['EXEC']]);
      // EXISTS deletes it lazily: still no change
      await stale();
      await same(pair, [['WATCH', 'x'], ['EXISTS', 'x'], ['MULTI'], ['PING'], ['EXEC']]);
      // ...but writing it afterwards is a change
      await stale();
      await same(pair, [['WATCH', 'x'], ['SET', 'x', 'new'], ['MULTI'], ['PING'], ['EXEC']]);
      // FLUSHDB removing the stale key
      await stale();
      await same(pair, [['WATCH', 'x'], ['FLUSHDB'], ['MULTI'], ['PING'], ['EXEC']]);
      // SWAPDB: stale key replaced by nothing
      await same(pair, [['FLUSHALL']]);
      await stale('1');
      await same(pair, [['WATCH', 'x'], ['SWAPDB', '0', '1'], ['MULTI'], ['PING'], ['EXEC']]);
      // SWAPDB: nothing replaced by a stale key
      await same(pair, [['FLUSHALL']]);
      await stale('0');
      await same(pair, [['SELECT', '1'], ['WATCH', 'x'], ['SWAPDB', '0', '1'], ['MULTI'], ['PING'], ['EXEC']]);
      // SWAPDB: stale key replaced by another stale key
      await same(pair, [['FLUSHALL'], ['SELECT', '1'], ['SET', 'x', 'foo', 'PX', '1'], ['SELECT', '0'], ['SET', 'x', 'bar', 'PX', '1']]);
      await sleep(5);
      await same(pair, [['SELECT', '1'], ['WATCH', 'x'], ['SWAPDB', '0', '1'], ['MULTI'], ['PING'], ['EXEC'], ['SELECT', '0']]);
    } finally {
      await activeExpire(true);
    }
  });

  it('the client of a touched watch shows the d flag; disconnecting forgets its watches', async () => {
    const c = await Duo.open(pair);
    await c.same('WATCH', 'k');
    await same(pair, [['SET', 'k', '1']]);
    const flags = async (x: RespClient) => {
      const v = await x.call('CLIENT', 'INFO');
      return v.t === 'bulk' || v.t === 'verbatim' ? / flags=(\S+) /.exec(v.v)![1] : '?';
    };
    expect(await flags(c.e)).toBe(await flags(c.r));
    expect(await flags(c.e)).toBe('d');
    c.close();
    await sleep(50);
    const engine = pair.engine.engine!;
    expect(engine.watchedKeys.size).toBe(0);
  });
});

describe('generated transactions over two connections', () => {
  const keys = ['a', 'b', 'c'];
  const key = fc.constantFrom(...keys);
  const val = fc.constantFrom('1', '2', 'x', '');
  const write: fc.Arbitrary<Cmd> = fc.oneof(
    fc.tuple(key, val).map(([k, v]) => ['SET', k, v]),
    key.map((k) => ['INCR', k]),
    key.map((k) => ['DEL', k]),
    fc.tuple(key, val).map(([k, v]) => ['APPEND', k, v]),
    key.map((k) => ['EXPIRE', k, '100']),
    fc.tuple(key, val).map(([k, v]) => ['SETNX', k, v]),
  );
  const txCmd: fc.Arbitrary<Cmd> = fc.oneof(
    { weight: 4, arbitrary: write },
    { weight: 2, arbitrary: key.map((k) => ['GET', k]) },
    { weight: 2, arbitrary: fc.subarray(keys, { minLength: 1 }).map((ks) => ['WATCH', ...ks]) },
    { weight: 1, arbitrary: fc.constant<Cmd>(['UNWATCH']) },
    { weight: 2, arbitrary: fc.constant<Cmd>(['MULTI']) },
    { weight: 2, arbitrary: fc.constant<Cmd>(['EXEC']) },
    { weight: 1, arbitrary: fc.constant<Cmd>(['DISCARD']) },
    { weight: 1, arbitrary: fc.constant<Cmd>(['PING']) },
    { weight: 1, arbitrary: fc.constantFrom<Cmd>(['NOPE'], ['GET'], ['SET', 'a']) },
    { weight: 1, arbitrary: fc.constantFrom<Cmd>(['SELECT', '0'], ['SELECT', '1'], ['FLUSHDB']) },
  );
  const step = fc.tuple(fc.constantFrom(0, 1), txCmd);
  // The shape that matters most: watch, interleaved writes from both sides, queue, EXEC.
  const round = fc
    .record({
      watch: fc.subarray(keys, { minLength: 1 }),
      before: fc.array(fc.tuple(fc.constantFrom(0, 1), write), { maxLength: 2 }),
      queued: fc.array(fc.oneof(write, key.map((k): Cmd => ['GET', k])), { maxLength: 3 }),
      between: fc.array(write, { maxLength: 2 }),
      end: fc.constantFrom<Cmd>(['EXEC'], ['EXEC'], ['EXEC'], ['DISCARD']),
    })
    .map(({ watch, before, queued, between, end }) => [
      [0, ['WATCH', ...watch]] as [number, Cmd],
      ...before,
      [0, ['MULTI']] as [number, Cmd],
      ...queued.map((c) => [0, c] as [number, Cmd]),
      ...between.map((c) => [1, c] as [number, Cmd]),
      [0, end] as [number, Cmd],
    ]);

  it('watch / write / EXEC rounds match Redis', async () => {
    const second = await Duo.open(pair);
    const conns = [main(), second];
    const runs = fc.sample(fc.array(round, { minLength: 1, maxLength: 6 }), { numRuns: 40, seed: 3 });
    const problems: string[] = [];
    for (const rounds of runs) {
      await same(pair, [['FLUSHALL']]);
      for (const [who, cmd] of rounds.flat()) {
        const c = conns[who]!;
        const [a, b] = await Promise.all([c.r.call(...cmd), c.e.call(...cmd)]);
        if (show(a) !== show(b)) problems.push(`conn ${who}: ${cmd.join(' ')}\n  redis:  ${show(a)}\n  engine: ${show(b)}`);
      }
      if (problems.length > 0) break;
    }
    second.close();
    expect(problems).toEqual([]);
  });

  it('matches Redis reply for reply', async () => {
    const second = await Duo.open(pair);
    const conns = [main(), second];
    const runs = fc.sample(fc.array(step, { minLength: 5, maxLength: 40 }), { numRuns: 40, seed: 7 });
    const problems: string[] = [];
    for (const steps of runs) {
      for (const c of conns) for (const cmd of [['DISCARD'], ['UNWATCH'], ['SELECT', '0']] as Cmd[]) await Promise.all([c.r.call(...cmd), c.e.call(...cmd)]);
      await same(pair, [['FLUSHALL']]);
      for (const [who, cmd] of steps) {
        const c = conns[who]!;
        const [a, b] = await Promise.all([c.r.call(...cmd), c.e.call(...cmd)]);
        if (show(a) !== show(b)) problems.push(`conn ${who}: ${cmd.join(' ')}\n  redis:  ${show(a)}\n  engine: ${show(b)}`);
      }
      problems.push(...(await diff(pair, [['MGET', ...keys]])));
      if (problems.length > 0) break;
    }
    second.close();
    expect(problems).toEqual([]);
  });
});
