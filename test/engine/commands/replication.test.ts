// ROLE, WAIT, MODULE and min-replicas-to-write, differential against redis-server: a standalone
// master with no replicas and no modules, which is what both servers are here.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RespClient } from '../../helpers/resp-client.js';
import { same, show, startPair, type Pair } from '../../helpers/differential.js';

let pair: Pair;

beforeAll(async () => {
  pair = await startPair();
});

afterAll(async () => {
  await pair.stop();
});

describe('ROLE and WAIT', () => {
  it('ROLE names a master at offset 0 with no replicas, in both protocols', async () => {
    await same(pair, [['ROLE'], ['ROLE', 'x']]);
    await Promise.all([pair.r.call('HELLO', '3'), pair.e.call('HELLO', '3')]); // the replies carry different client ids
    await same(pair, [['ROLE']]);
    await Promise.all([pair.r.call('HELLO', '2'), pair.e.call('HELLO', '2')]);
  });

  it('WAIT answers 0 at once when 0 replicas are enough or inside MULTI, and checks its arguments', async () => {
    await same(pair, [
      ['WAIT', '0', '0'],
      ['WAIT', '-1', '100'],
      ['WAIT', 'x', '0'],
      ['WAIT', '1', 'x'],
      ['WAIT', '1', '-1'],
      ['WAIT', '1', '1.5'],
      ['WAIT', '1'],
      ['MULTI'],
      ['WAIT', '1', '0'],
      ['EXEC'],
      ['EVAL', "return redis.call('wait', '0', '0')", '0'],
    ]);
  });

  it('WAIT for a replica blocks until its timeout, or until CLIENT UNBLOCK', async () => {
    const t0 = Date.now();
    await same(pair, [['WAIT', '1', '150']]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140); // both servers (asked together) waited
    const waiters = await Promise.all([RespClient.connect(pair.redis.port), RespClient.connect(pair.engine.port)]);
    const ids = await Promise.all(waiters.map(async (w) => show(await w.call('CLIENT', 'ID')).replace(/\D/g, '')));
    const replies = waiters.map((w) => w.call('WAIT', '2', '0'));
    const blocked = async (c: RespClient) => {
      for (let i = 0; i < 100; i++) {
        if (/blocked_clients:1/.test(show(await c.call('INFO', 'clients')))) return true;
        await new Promise((r) => setTimeout(r, 10));
      }
      return false;
    };
    expect([await blocked(pair.r), await blocked(pair.e)]).toEqual([true, true]);
    const unblocked = await Promise.all([pair.r.call('CLIENT', 'UNBLOCK', ids[0]!), pair.e.call('CLIENT', 'UNBLOCK', ids[1]!)]);
    expect(show(unblocked[1])).toBe(show(unblocked[0]));
    const [a, b] = await Promise.all(replies);
    expect(show(b)).toBe(show(a));
    for (const w of waiters) w.close();
  });
});

describe('MODULE', () => {
  it('LIST is empty, HELP as Redis, and LOAD/LOADEX/UNLOAD are protected by enable-module-command', async () => {
    await same(pair, [
      ['MODULE', 'LIST'],
      ['MODULE', 'LIST', 'x'],
      ['MODULE', 'LOAD', '/nonexistent/module.so'],
      ['MODULE', 'LOADEX', '/nonexistent/module.so', 'CONFIG', 'a', 'b'],
      ['MODULE', 'UNLOAD', 'nosuch'],
      ['MODULE', 'NOSUCH'],
      ['MODULE'],
    ]);
    const [a, b] = await Promise.all([pair.r.call('MODULE', 'HELP'), pair.e.call('MODULE', 'HELP')]);
    const lines = (v: typeof a) => (v.t === 'array' ? v.v.length : -1);
    expect(lines(b)).toBe(lines(a));
  });

  it('with the command enabled, a module that cannot load and one that is not loaded fail as on Redis', async () => {
    const enabled = await startPair({ 'enable-module-command': 'yes' });
    try {
      await same(enabled, [
        ['MODULE', 'LOAD', '/nonexistent/module.so'],
        ['MODULE', 'LOAD', '/nonexistent/module.so', 'arg1'],
        ['MODULE', 'UNLOAD', 'nosuch'],
        ['MODULE', 'LIST'],
      ]);
    } finally {
      await enabled.stop();
    }
  });
});

describe('min-replicas-to-write with no replicas', () => {
  it('refuses writes (also queued ones, EXEC, script writes and write-flagged scripts) and lets reads through', async () => {
    await same(pair, [['FLUSHALL'], ['SET', 'x', 'v'], ['CONFIG', 'SET', 'min-replicas-to-write', '1']]);
    await same(pair, [
      ['GET', 'x'],
      ['SET', 'x', 'w'],
      ['DEL', 'x'],
      ['MULTI'],
      ['GET', 'x'],
      ['SET', 'x', 'y'],
      ['EXEC'],
      ['EVAL', "return redis.call('get', KEYS[1])", '1', 'x'],
      ['EVAL', "return redis.call('set', KEYS[1], '1')", '1', 'x'],
      ['EVAL', "return redis.pcall('set', KEYS[1], '1')", '1', 'x'],
      ['EVAL', "#!lua flags=no-writes\nreturn redis.call('get', KEYS[1])", '1', 'x'],
      ['EVAL', "#!lua\nreturn redis.call('get', KEYS[1])", '1', 'x'],
      ['CONFIG', 'SET', 'min-replicas-max-lag', '0'],
      ['SET', 'x', 'lagless'],
      ['CONFIG', 'SET', 'min-replicas-max-lag', '10'],
      ['SET', 'x', 'again'],
      ['CONFIG', 'SET', 'min-replicas-to-write', '0'],
      ['SET', 'x', 'z'],
      ['GET', 'x'],
    ]);
    await same(pair, [['INFO', 'errorstats']], { normalize: (v) => ({ t: 'bulk', v: show(v).includes('errorstat_NOREPLICAS') ? 'counted' : 'missing' }) });
  });
});
