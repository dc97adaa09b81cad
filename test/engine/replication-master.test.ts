// A real redis-server replica following the engine: full sync from the engine's RDB, the command
// stream of a mixed workload (every type, several databases, expiry, scripts, transactions,
// flushes), WAIT, ROLE, INFO replication, a partial resync after the link drops, and
// min-replicas-to-write counting the replica. The replica's data must equal the engine's.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RespValue } from '../../src/formats/resp/reply-parser.js';
import { RespClient } from '../helpers/resp-client.js';
import { describeDatabases, describeValue, same, show, startPair, type Cmd, type Pair } from '../helpers/differential.js';
import { startEngine, startRedis, type TestServer } from '../helpers/servers.js';

const DBS = [0, 1, 5];
let engine: TestServer;
let replica: TestServer | null = null;
let e: RespClient;
let r: RespClient;

const text = (v: RespValue): string => ('v' in v ? String(v.v) : '');
const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

/** Polls `check` every 50 ms for up to `ms`; true once it held. */
async function eventually(check: () => Promise<boolean>, ms = 10_000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(50)) if (await check()) return true;
  return false;
}

async function info(c: RespClient, section: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const line of text(await c.call('INFO', section)).split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

/** The replica has everything the engine produced. */
async function caughtUp(): Promise<boolean> {
  const [m, s] = await Promise.all([info(e, 'replication'), info(r, 'replication')]);
  return s['master_link_status'] === 'up' && s['master_sync_in_progress'] === '0' && s['slave_repl_offset'] === m['master_repl_offset'];
}

async function sameData(): Promise<void> {
  expect(await eventually(caughtUp)).toBe(true);
  const [a, b] = await Promise.all([describeDatabases(e, DBS, describeValue), describeDatabases(r, DBS, describeValue)]);
  expect(b).toEqual(a);
  expect(Object.keys(a).length).toBeGreaterThan(0);
}

async function run(cmds: Cmd[]): Promise<void> {
  for (const c of cmds) {
    const v = await e.call(...c);
    if (v.t === 'error') throw new Error(`${c.join(' ')}: ${v.v}`);
  }
}

beforeAll(async () => {
  engine = await startEngine();
  e = await RespClient.connect(engine.port);
  // Data before the replica exists reaches it through the RDB of the full sync.
  await run([
    ['MSET', 'str', 'hello', 'num', '41'],
    ['RPUSH', 'list', 'a', 'b', 'c'],
    ['HSET', 'hash', 'f1', 'v1', 'f2', 'v2'],
    ['SADD', 'set', 'x', '1', '2'],
    ['ZADD', 'zset', '1', 'a', '2.5', 'b'],
    ['XADD', 'stream', '1-1', 'f', 'v'],
    ['SET', 'ttl', 'v', 'EX', '1000'],
    ['SELECT', '5'],
    ['SET', 'in5', 'five'],
    ['SELECT', '0'],
  ]);
  replica = await startRedis({ replicaof: `127.0.0.1 ${engine.port}` });
  r = await RespClient.connect(replica.port);
});

afterAll(async () => {
  e?.close();
  r?.close();
  await Promise.all([replica?.stop(), engine?.stop()]);
});

describe('a redis-server replica of the engine', () => {
  it('gets the dataset by full sync, then every write of a mixed workload', async () => {
    await sameData();
    const [m] = await Promise.all([info(e, 'replication')]);
    expect(m['connected_slaves']).toBe('1');
    expect(m['slave0']).toMatch(/^ip=127\.0\.0\.1,port=\d+,state=online,offset=\d+,lag=\d+$/);
    await run([
      ['INCR', 'num'],
      ['LPUSH', 'list', 'z'],
      ['HINCRBYFLOAT', 'hash', 'n', '1.5'],
      ['SPOP', 'set'],
      ['ZINCRBY', 'zset', '3', 'a'],
      ['XADD', 'stream', '*', 'g', 'w'],
      ['EXPIRE', 'str', '500'],
      ['SET', 'gone', 'x', 'PX', '1'],
      ['EVAL', "redis.call('set', KEYS[1], 'from-script'); return redis.call('incr', KEYS[2])", '2', 'scripted', 'num'],
      ['MULTI'],
      ['SET', 'tx1', 'a'],
      ['RPOPLPUSH', 'list', 'list2'],
      ['EXEC'],
      ['SELECT', '1'],
      ['SET', 'in1', 'one'],
      ['SELECT', '5'],
      ['FLUSHDB'],
      ['SET', 'after-flush', 'yes'],
      ['SELECT', '0'],
      ['GETEX', 'ttl', 'PERSIST'],
    ]);
    await sleep(20); // "gone" expires; its deletion is propagated as a DEL when it is noticed
    await e.call('GET', 'gone');
    await sameData();
  });

  it('WAIT counts the replica, ROLE and CLIENT LIST name it', async () => {
    await run([['SET', 'waited', '1']]);
    expect(show(await e.call('WAIT', '1', '5000'))).toBe(show({ t: 'int', v: 1n }));
    expect(show(await e.call('WAIT', '2', '100'))).toBe(show({ t: 'int', v: 1n }));
    const role = await e.call('ROLE');
    expect(role.t === 'array' && role.v.length === 3 && role.v[2]!.t === 'array' && role.v[2]!.v.length === 1).toBe(true);
    expect(text(await e.call('CLIENT', 'LIST', 'TYPE', 'replica'))).toMatch(/flags=S .*cmd=replconf/);
  });

  it('after the link drops, the replica continues from the backlog (partial resync)', async () => {
    expect((await info(e, 'stats'))['sync_partial_ok']).toBe('0');
    expect(show(await e.call('CLIENT', 'KILL', 'TYPE', 'replica'))).toBe(show({ t: 'int', v: 1n }));
    await run([['SET', 'during-gap', '1'], ['RPUSH', 'list', 'gap']]);
    expect(await eventually(async () => (await info(e, 'stats'))['sync_partial_ok'] === '1')).toBe(true);
    await run([['SET', 'after-gap', '1']]);
    await sameData();
    expect((await info(e, 'stats'))['sync_full']).toBe('1');
  });

  it('min-replicas-to-write counts it while it is connected', async () => {
    await run([['CONFIG', 'SET', 'min-replicas-to-write', '1'], ['SET', 'guarded', '1']]);
    expect((await info(e, 'replication'))['min_slaves_good_slaves']).toBe('1');
    await replica!.stop();
    replica = null;
    expect(await eventually(async () => (await e.call('SET', 'guarded', '2')).t === 'error')).toBe(true);
    expect(text(await e.call('SET', 'guarded', '3'))).toBe('NOREPLICAS Not enough good replicas to write.');
    await run([['CONFIG', 'SET', 'min-replicas-to-write', '0'], ['SET', 'guarded', '4']]);
    expect((await info(e, 'replication'))['connected_slaves']).toBe('0');
  });
});

describe('REPLCONF and SYNC, as Redis answers them', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await startPair();
  });
  afterAll(async () => {
    await pair.stop();
  });

  it('options, errors and the replies of a connection that is not a replica', async () => {
    await same(pair, [
      ['REPLCONF'],
      ['REPLCONF', 'listening-port'],
      ['REPLCONF', 'listening-port', '6380'],
      ['REPLCONF', 'listening-port', 'x'],
      ['REPLCONF', 'ip-address', '10.0.0.1', 'capa', 'eof', 'capa', 'psync2'],
      ['REPLCONF', 'rdb-only', '2'],
      ['REPLCONF', 'rdb-filter-only', 'functions'],
      ['REPLCONF', 'rdb-filter-only', 'nope'],
      ['REPLCONF', 'bogus', '1'],
      ['PSYNC', 'x'],
      ['MULTI'],
      ['SYNC'],
      ['DISCARD'],
    ]);
  });
});
