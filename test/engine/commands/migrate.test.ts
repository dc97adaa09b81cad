// MIGRATE, differential: the same MIGRATE commands run on redis-server and on the engine, each
// moving keys into a target redis-server of its own (so both targets can be compared), plus
// Redis migrating into the engine, a target that is slow, and one that hangs up.

import net from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RespValue } from '../../../src/formats/resp/reply-parser.js';
import { RespClient } from '../../helpers/resp-client.js';
import { describeDatabases, describeValue, same, show, startPair, type Cmd, type Pair } from '../../helpers/differential.js';
import { freePort, startRedis, type TestServer } from '../../helpers/servers.js';

let pair: Pair;
/** The targets: the Redis source migrates into [0], the engine into [1]. */
let targets: TestServer[];
let tr: RespClient[];

beforeAll(async () => {
  [pair, ...targets] = await Promise.all([startPair(), startRedis({ requirepass: 'tpass' }), startRedis({ requirepass: 'tpass' })]) as [Pair, TestServer, TestServer];
  tr = await Promise.all(targets.map((t) => RespClient.connect(t.port)));
  await Promise.all(tr.map((c) => c.call('AUTH', 'tpass')));
});

afterAll(async () => {
  for (const c of tr) c.close();
  await Promise.all([pair.stop(), ...targets.map((t) => t.stop())]);
});

beforeEach(async () => {
  await same(pair, [['FLUSHALL']]);
  await Promise.all(tr.map((c) => c.call('FLUSHALL')));
});

/** `cmd` with <target> replaced by each source's own target port. */
async function both(cmd: Cmd): Promise<[RespValue, RespValue]> {
  const fill = (side: number) => cmd.map((a) => (a === '<target>' ? String(targets[side]!.port) : a));
  const [a, b] = await Promise.all([pair.r.call(...fill(0)), pair.e.call(...fill(1))]);
  return [a, b];
}

async function sameMigrate(...cmds: Cmd[]): Promise<void> {
  for (const cmd of cmds) {
    const [a, b] = await both(cmd);
    expect(show(b), cmd.join(' ')).toBe(show(a));
  }
}

/** Every key of a target db, as data. */
async function targetState(c: RespClient, db: number): Promise<string[]> {
  const all = await describeDatabases(c, [db], describeValue);
  return Object.entries(all).map(([k, v]) => `${k.slice(k.indexOf('/') + 1)} ${v}`);
}

const SEED: Cmd[] = [
  ['SET', 'str', 'hello'],
  ['SET', 'ttl', 'v', 'PX', '100000'],
  ['RPUSH', 'list', 'a', 'b', 'c'],
  ['HSET', 'hash', 'f1', 'v1', 'f2', 'v2'],
  ['SADD', 'set', 'x', 'y', '1'],
  ['ZADD', 'zset', '1', 'a', '2.5', 'b'],
  ['XADD', 'stream', '1-1', 'f', 'v'],
  ['SET', 'bin\x00key', '\x00\xff\r\n'],
];

describe('MIGRATE into redis-server', () => {
  it('moves every type with its TTL, deletes here unless COPY, and answers as Redis', async () => {
    await same(pair, SEED);
    await sameMigrate(
      ['MIGRATE', '127.0.0.1', '<target>', 'str', '0', '5000', 'AUTH', 'tpass'],
      ['MIGRATE', '127.0.0.1', '<target>', '', '3', '5000', 'AUTH', 'tpass', 'KEYS', 'ttl', 'list', 'hash', 'nokey'],
      ['MIGRATE', '127.0.0.1', '<target>', '', '3', '5000', 'COPY', 'AUTH', 'tpass', 'KEYS', 'set', 'zset', 'stream', 'bin\x00key'],
      ['MIGRATE', '127.0.0.1', '<target>', 'nokey', '0', '5000', 'AUTH', 'tpass'],
      ['MIGRATE', '127.0.0.1', '<target>', '', '0', '5000', 'AUTH', 'tpass', 'KEYS', 'gone1', 'gone2'],
    );
    await same(pair, [['KEYS', '*']], { normalize: (v) => ({ t: 'array', v: [...(v as { v: RespValue[] }).v].sort((x, y) => (show(x) < show(y) ? -1 : 1)) }) });
    for (const db of [0, 3]) expect(await targetState(tr[1]!, db), `db ${db}`).toEqual(await targetState(tr[0]!, db));
    expect(await targetState(tr[0]!, 3)).toHaveLength(7);
  });

  it('BUSYKEY without REPLACE, REPLACE overwriting, a wrong password: the target error, worded as Redis', async () => {
    await same(pair, [['SET', 'k', 'new'], ['SET', 'k2', 'two']]);
    await Promise.all(tr.map((c) => c.call('SET', 'k', 'old')));
    await sameMigrate(
      ['MIGRATE', '127.0.0.1', '<target>', '', '0', '5000', 'AUTH', 'tpass', 'KEYS', 'k', 'k2'],
      ['MIGRATE', '127.0.0.1', '<target>', 'k', '0', '5000', 'REPLACE', 'AUTH', 'tpass'],
      ['MIGRATE', '127.0.0.1', '<target>', 'k', '0', '5000', 'AUTH', 'wrong'],
      ['MIGRATE', '127.0.0.1', '<target>', 'k', '0', '5000', 'AUTH2', 'default', 'wrong'],
      ['MIGRATE', '127.0.0.1', '<target>', 'k', '0', '5000'],
    );
    await same(pair, [['MGET', 'k', 'k2']]);
    expect(await targetState(tr[1]!, 0)).toEqual(await targetState(tr[0]!, 0));
  });

  it('argument errors, an unreachable target, and INFO migrate_cached_sockets', async () => {
    await same(pair, [['SET', 'k', 'v']]);
    const closed = await freePort();
    await sameMigrate(
      ['MIGRATE', '127.0.0.1', '<target>', 'k', '0'],
      ['MIGRATE', '127.0.0.1', '<target>', 'k', 'x', '5000'],
      ['MIGRATE', '127.0.0.1', '<target>', 'k', '0', 'x'],
      ['MIGRATE', '127.0.0.1', '<target>', 'k', '0', '5000', 'BOGUS'],
      ['MIGRATE', '127.0.0.1', '<target>', 'k', '0', '5000', 'AUTH'],
      ['MIGRATE', '127.0.0.1', '<target>', 'k', '0', '5000', 'AUTH2', 'u'],
      ['MIGRATE', '127.0.0.1', '<target>', 'k', '0', '5000', 'KEYS', 'k'],
      ['MIGRATE', '127.0.0.1', String(closed), 'k', '0', '1000'],
      ['MIGRATE', '127.0.0.1', 'notaport', 'k', '0', '1000'],
      ['MIGRATE', '127.0.0.1', '<target>', 'k', '0', '5000', 'COPY', 'AUTH', 'tpass'],
    );
    const cached = (v: RespValue) => /migrate_cached_sockets:(\d+)/.exec(String((v as { v: string }).v))?.[1];
    const [a, b] = await Promise.all([pair.r.call('INFO', 'stats'), pair.e.call('INFO', 'stats')]);
    expect(cached(b)).toBe(cached(a));
    expect(cached(a)).toBe('1');
  });

  it('a cached connection the target closed is replaced by a new one', async () => {
    await same(pair, [['SET', 'k', 'v'], ['SET', 'k2', 'v']]);
    await sameMigrate(['MIGRATE', '127.0.0.1', '<target>', 'k', '0', '5000', 'AUTH', 'tpass']);
    // The target drops every client that restored something (the sources' cached connections).
    for (const c of tr) {
      const list = String(((await c.call('CLIENT', 'LIST')) as { v: string }).v);
      for (const line of list.split('\n').filter((l) => / cmd=restore /.test(l))) await c.call('CLIENT', 'KILL', 'ID', /id=(\d+)/.exec(line)![1]!);
    }
    await sameMigrate(['MIGRATE', '127.0.0.1', '<target>', 'k2', '0', '5000', 'AUTH', 'tpass']);
    expect(await targetState(tr[1]!, 0)).toEqual(await targetState(tr[0]!, 0));
  });
});

describe('MIGRATE into the engine, and while a transfer is under way', () => {
  it('redis-server migrates every type into the engine', async () => {
    await same(pair, SEED.map((c) => c));
    await pair.r.call('SELECT', '5');
    await pair.r.call('SELECT', '0');
    const r = await pair.r.call('MIGRATE', '127.0.0.1', String(pair.engine.port), '', '5', '5000', 'KEYS', 'str', 'ttl', 'list', 'hash', 'set', 'zset', 'stream', 'bin\x00key');
    expect(show(r)).toBe(show({ t: 'simple', v: 'OK' }));
    const e = await RespClient.connect(pair.engine.port);
    try {
      const got = await targetState(e, 5);
      expect(got).toHaveLength(8);
      expect(got.find((l) => l.startsWith('ttl '))).toMatch(/ttl:yes$/);
      expect(got.find((l) => l.startsWith('zset '))).toContain('2.5');
    } finally {
      e.close();
    }
  });

  it('other clients wait until the transfer ends; a target that does not answer times out as on Redis', async () => {
    // A target that reads everything and answers +OK per command after 300 ms, or never.
    let answer = true;
    const fake = net.createServer((s) => {
      s.on('data', (d) => {
        const n = (d.toString('latin1').match(/\*\d+\r\n\$7\r\nRESTORE\r\n/g) ?? []).length + (d.toString('latin1').match(/SELECT/g) ?? []).length;
        if (answer && n > 0) setTimeout(() => s.write('+OK\r\n'.repeat(n)), 300);
      });
    });
    await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
    const port = (fake.address() as net.AddressInfo).port;
    try {
      await same(pair, [['SET', 'slow', 'v'], ['SET', 'other', 'x']]);
      const mover = await RespClient.connect(pair.engine.port);
      const order: string[] = [];
      const moving = mover.call('MIGRATE', '127.0.0.1', String(port), 'slow', '2', '2000').then((v) => order.push(`migrate ${show(v)}`));
      await new Promise((r) => setTimeout(r, 50));
      const writing = pair.e.call('SET', 'other', 'y').then(() => order.push('set'));
      await Promise.all([moving, writing]);
      expect(order).toEqual([`migrate ${show({ t: 'simple', v: 'OK' })}`, 'set']);
      answer = false;
      await same(pair, [['SET', 'slow', 'again']]);
      const [a, b] = await Promise.all([pair.r.call('MIGRATE', '127.0.0.1', String(port), 'slow', '3', '200'), mover.call('MIGRATE', '127.0.0.1', String(port), 'slow', '3', '200')]);
      expect(show(b)).toBe(show(a));
      expect(show(a)).toContain('IOERR error or timeout reading to target instance');
      await same(pair, [['GET', 'slow']]);
      mover.close();
    } finally {
      fake.close();
    }
  });

  it('inside MULTI the engine refuses MIGRATE in one line (Redis runs it blocking there)', async () => {
    const c = await RespClient.connect(pair.engine.port);
    try {
      await c.call('MULTI');
      await c.call('MIGRATE', '127.0.0.1', '1', 'k', '0', '100');
      const r = await c.call('EXEC');
      expect(show(r)).toContain('MIGRATE cannot run inside MULTI/EXEC or a script on this engine');
    } finally {
      c.close();
    }
  });
});
