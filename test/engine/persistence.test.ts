// Persistence end to end against real Redis 7.0: the same dataset (every type and encoding,
// binary keys, TTLs, several databases, streams with groups) is built on both servers; the
// engine's SAVE file passes redis-check-rdb, loads in a fresh redis-server with the same data
// (TYPE, OBJECT ENCODING, values, PTTL, XINFO STREAM FULL) and reads back with our reader; a file
// saved by Redis loads into a fresh engine with the same data. DUMP/RESTORE payloads cross both
// ways, and RESTORE's argument and payload errors match Redis's texts.

import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Config } from '../../src/engine/config.js';
import { Engine } from '../../src/engine/engine.js';
import { EngineServer } from '../../src/engine/server.js';
import { loadFile } from '../../src/engine/persist/rdb-file.js';
import { bgsaveDone, persistenceInfo, persistenceOf } from '../../src/engine/persist/state.js';
import { readRdbFile, type KeyRecord } from '../../src/formats/rdb/index.js';
import { Crc64 } from '../../src/formats/rdb/crc64.js';
import type { RespValue } from '../../src/formats/resp/reply-parser.js';
import { describeDatabases, maskTimes, startPair, show, type Pair } from '../helpers/differential.js';
import { connectWhenUp, freePort } from '../helpers/servers.js';
import { RespClient } from '../helpers/resp-client.js';

type Cmd = Array<string | number>;

const big = (n: number, f: (i: number) => string): string[] => Array.from({ length: n }, (_, i) => f(i));

/** Commands building the dataset: [db, command]. */
function dataset(): Array<[number, Cmd]> {
  const c: Array<[number, Cmd]> = [];
  const add = (db: number, ...cmd: Cmd) => c.push([db, cmd]);
  add(0, 'SET', 'str:int', '12345');
  add(0, 'SET', 'str:negbig', '-9223372036854775808');
  add(0, 'SET', 'str:11digits', '12345678901');
  add(0, 'SET', 'str:embstr', 'hello world');
  add(0, 'SET', 'str:raw', 'r'.repeat(300));
  add(0, 'SET', 'str:bin\x00\xff', '\x00\x01\x02\xfe\xff'.repeat(9));
  add(0, 'SET', 'str:float', '3.14');
  add(0, 'SET', 'str:leading0', '007');
  add(0, 'APPEND', 'str:appended', 'abc');
  add(0, 'SET', 'ttl:str', 'v', 'PX', '600000');
  add(0, 'RPUSH', 'list:small', 'a', '1', '-7', 'b'.repeat(70), '9223372036854775807');
  add(0, 'RPUSH', 'list:big', ...big(2000, (i) => (i % 2 ? String(i * 1000) : `elem-${i}`)));
  add(0, 'LPUSH', 'list:lpushed', ...big(600, (i) => `l${i}`));
  add(0, 'RPUSH', 'list:huge-elem', 'x'.repeat(20000), 'small', 'y'.repeat(9000));
  add(0, 'HSET', 'hash:lp', 'f1', 'v1', 'n', '42', 'neg', '-1', 'e', '');
  add(0, 'HSET', 'hash:ht-big', ...big(600, (i) => (i % 2 ? `v${i}` : `f${i}`)));
  add(0, 'HSET', 'hash:ht-long', 'f', 'v'.repeat(100));
  add(0, 'SADD', 'set:intset', '1', '-5', '100000', '9223372036854775807', '-9223372036854775808');
  add(0, 'SADD', 'set:ht', 'a', 'b', '1');
  add(0, 'SADD', 'set:ht-big', ...big(600, (i) => String(i)));
  add(0, 'ZADD', 'zset:lp', '1', 'a', '0.1', 'b', 'inf', 'c', '-inf', 'd', '-0', 'e', '1e300', 'f', '2.5', 'g');
  add(0, 'ZADD', 'zset:sl', ...big(300, (i) => (i % 2 ? `m${i}` : String(i / 7))));
  add(0, 'ZADD', 'zset:sl-long', '1', 'm'.repeat(100));
  add(0, 'EXPIRE', 'zset:sl-long', '10000');
  for (let i = 1; i <= 250; i++) add(0, 'XADD', 'stream:s', `${i}-${i % 3}`, 'field', `value${i}`, 'n', String(i));
  add(0, 'XADD', 'stream:s', '300-0', 'other', 'shape');
  add(0, 'XDEL', 'stream:s', '5-2', '6-0', '250-1');
  add(0, 'XGROUP', 'CREATE', 'stream:s', 'g1', '0');
  add(0, 'XGROUP', 'CREATE', 'stream:s', 'g2', '$');
  add(0, 'XREADGROUP', 'GROUP', 'g1', 'alice', 'COUNT', '3', 'STREAMS', 'stream:s', '>');
  add(0, 'XREADGROUP', 'GROUP', 'g1', 'bob', 'COUNT', '2', 'STREAMS', 'stream:s', '>');
  add(0, 'XACK', 'stream:s', 'g1', '2-2');
  add(0, 'XGROUP', 'CREATECONSUMER', 'stream:s', 'g2', 'idle');
  add(0, 'XADD', 'stream:empty', '1-1', 'a', 'b');
  add(0, 'XDEL', 'stream:empty', '1-1');
  for (let i = 0; i < 20; i++) add(0, 'XADD', 'stream:trimmed', 'MAXLEN', '5', `${1000 + i}-0`, 'k', `v${i}`);
  add(3, 'SET', 'db3:key', 'in db 3');
  add(3, 'HSET', 'db3:hash', 'a', 'b');
  add(3, 'PEXPIRE', 'db3:hash', '900000');
  add(15, 'SADD', 'db15:set', 'x');
  return c;
}

async function run(client: RespClient, cmds: Array<[number, Cmd]>): Promise<RespValue[]> {
  const out: RespValue[] = [];
  let db = -1;
  for (const [d, cmd] of cmds) {
    if (d !== db) {
      await client.call('SELECT', d);
      db = d;
    }
    out.push(await client.call(...cmd));
  }
  await client.call('SELECT', 0);
  return out;
}

const str = (v: RespValue): string => (v.t === 'bulk' || v.t === 'simple' || v.t === 'error' ? v.v : show(v));

/** Everything observable about one key, for comparing two servers. */
async function describeKey(c: RespClient, key: string): Promise<Record<string, string>> {
  const type = str(await c.call('TYPE', key));
  const out: Record<string, string> = { type, encoding: str(await c.call('OBJECT', 'ENCODING', key)) };
  const pttl = await c.call('PTTL', key);
  out.ttl = pttl.t === 'int' ? (pttl.v < 0n ? String(pttl.v) : String(Number(pttl.v) > 0 ? Math.round(Number(pttl.v) / 10_000) : 0)) : show(pttl);
  const sortedList = (v: RespValue) => (v.t === 'array' ? v.v.map(str).sort().join('|') : show(v));
  switch (type) {
    case 'string':
      out.value = show(await c.call('GET', key));
      break;
    case 'list':
      out.value = show(await c.call('LRANGE', key, 0, -1));
      break;
    case 'hash':
      out.value = sortedList(await c.call('HGETALL', key));
      out.len = show(await c.call('HLEN', key));
      break;
    case 'set':
      out.value = sortedList(await c.call('SMEMBERS', key));
      break;
    case 'zset':
      out.value = show(await c.call('ZRANGE', key, 0, -1, 'WITHSCORES'));
      break;
    case 'stream':
      out.value = show(await c.call('XRANGE', key, '-', '+'));
      out.full = show(maskTimes(await c.call('XINFO', 'STREAM', key, 'FULL')));
      break;
  }
  return out;
}

function describeAll(c: RespClient, dbs: number[]): Promise<Record<string, Record<string, string>>> {
  return describeDatabases(c, dbs, describeKey);
}

/** A redis-server started on a given RDB file (a copy in its own dir). */
async function redisOn(file: string): Promise<{ c: RespClient; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'redscope-load-'));
  copyFileSync(file, join(dir, 'dump.rdb'));
  const port = await freePort();
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--dbfilename', 'dump.rdb', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const failed = 'redis-server did not start on the file';
  const c = await connectWhenUp(port, 10_000, () => (proc.exitCode !== null ? failed : null), () => failed);
  return {
    c,
    stop: async () => {
      c.close();
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGKILL');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const DBS = [0, 3, 15];

describe('RDB persistence against real Redis', () => {
  let pair: Pair;
  let dir: string;
  beforeAll(async () => {
    pair = await startPair();
    dir = mkdtempSync(join(tmpdir(), 'redscope-persist-'));
    pair.engine.engine!.config.setMany([['dir', dir]], { runtime: false });
    const cmds = dataset();
    const [a, b] = [await run(pair.r, cmds), await run(pair.e, cmds)];
    expect(b.map((x) => show(x))).toEqual(a.map((x) => show(x)));
  }, 60_000);
  afterAll(async () => {
    await pair.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the engine and Redis hold the same dataset before saving', async () => {
    expect(await describeAll(pair.e, DBS)).toEqual(await describeAll(pair.r, DBS));
  });

  it('SAVE writes a file that redis-check-rdb accepts, Redis loads identically, and our reader reads', async () => {
    expect(await pair.e.call('SAVE')).toEqual({ t: 'simple', v: 'OK' });
    const file = join(dir, 'dump.rdb');
    expect(existsSync(file)).toBe(true);
    expect(execFileSync('redis-check-rdb', [file], { encoding: 'latin1' })).toContain('RDB looks OK');

    const loaded = await redisOn(file);
    try {
      expect(await describeAll(loaded.c, DBS)).toEqual(await describeAll(pair.r, DBS));
    } finally {
      await loaded.stop();
    }

    const keys = [...readRdbFile(file, { values: true, streamEntries: true })].filter((x): x is KeyRecord => x.kind === 'key');
    const names = keys.map((k) => `${k.db}/${k.key}`).sort();
    const expected = Object.keys(await describeAll(pair.r, DBS)).sort();
    expect(names).toEqual(expected);
    const byName = new Map(keys.map((k) => [`${k.db}/${k.key}`, k]));
    expect(byName.get('0/list:big')!.length).toBe(2000);
    expect(byName.get('0/stream:s')!.value).toMatchObject({ type: 'stream' });
    expect(byName.get('0/ttl:str')!.expireAtMs).toBeGreaterThan(Date.now());
  });

  it('rdbcompression no writes a file Redis loads the same way', async () => {
    const engine = pair.engine.engine!;
    engine.config.set('rdbcompression', 'no');
    try {
      expect(await pair.e.call('SAVE')).toEqual({ t: 'simple', v: 'OK' });
    } finally {
      engine.config.set('rdbcompression', 'yes');
    }
    const loaded = await redisOn(join(dir, 'dump.rdb'));
    try {
      expect(await describeAll(loaded.c, DBS)).toEqual(await describeAll(pair.r, DBS));
    } finally {
      await loaded.stop();
    }
  });

  it('a file saved by Redis loads into a fresh engine with the same data', async () => {
    const cfg = await pair.r.call('CONFIG', 'GET', 'dir');
    const rdir = cfg.t === 'array' ? str(cfg.v[1]!) : '';
    expect(await pair.r.call('SAVE')).toEqual({ t: 'simple', v: 'OK' });
    const engine = new Engine(new Config());
    const result = loadFile(engine, join(rdir, 'dump.rdb'));
    expect(result.keysLoaded).toBe(Object.keys(await describeAll(pair.r, DBS)).length);
    const server = new EngineServer(engine);
    const port = await server.listen({ port: 0, host: '127.0.0.1' });
    const c = await RespClient.connect(port);
    try {
      expect(await describeAll(c, DBS)).toEqual(await describeAll(pair.r, DBS));
    } finally {
      c.close();
      await server.close();
    }
  });

  it('DEBUG RELOAD keeps every key, encoding and TTL', async () => {
    const before = await describeAll(pair.e, DBS);
    expect(await pair.e.call('DEBUG', 'RELOAD')).toEqual({ t: 'simple', v: 'OK' });
    expect(await describeAll(pair.e, DBS)).toEqual(before);
  });

  it('BGSAVE serializes in the background and updates LASTSAVE and the dirty counter', async () => {
    const engine = pair.engine.engine!;
    // Enough keys that the save takes several slices of the event loop.
    const fill: Cmd[] = Array.from({ length: 40_000 }, (_, i) => ['HSET', `bg:fill:${i}`, 'f', `v${i}`.repeat(20), 'g', String(i)]);
    await pair.e.pipeline(fill);
    await pair.e.call('SET', 'bg:key', '1');
    expect(engine.dirty).toBeGreaterThan(0);
    const reply = await pair.e.call('BGSAVE');
    expect(reply).toEqual({ t: 'simple', v: 'Background saving started' });
    expect(await pair.e.call('BGSAVE')).toEqual({ t: 'error', v: 'ERR Background save already in progress' });
    expect(await pair.e.call('SAVE')).toEqual({ t: 'error', v: 'ERR Background save already in progress' });
    await pair.e.call('SET', 'bg:after', '1'); // written during the save: not in the file
    expect(await bgsaveDone(engine)).toBe(true);
    const info = Object.fromEntries(persistenceInfo(engine));
    expect(info.rdb_bgsave_in_progress).toBe(0);
    expect(info.rdb_last_bgsave_status).toBe('ok');
    // INFO persistence reads the same state.
    const text = str(await pair.e.call('INFO', 'persistence'));
    expect(text).toMatch(/\r\nrdb_bgsave_in_progress:0\r\n/);
    expect(text).toMatch(new RegExp(`\\r\\nrdb_saves:${info.rdb_saves}\\r\\n`));
    expect(Number(info.rdb_saves)).toBeGreaterThan(0);
    expect(text).toMatch(/\r\nrdb_last_bgsave_time_sec:\d+\r\n/);
    expect(engine.dirty).toBe(1);
    const keys = [...readRdbFile(join(dir, 'dump.rdb'))].filter((x): x is KeyRecord => x.kind === 'key').map((k) => k.key);
    expect(keys).toContain('bg:key');
    expect(keys).not.toContain('bg:after');
    expect(keys.length).toBeGreaterThan(40_000);
    for (let i = 0; i < 40_000; i += 1000) await pair.e.call('DEL', `bg:fill:${i}`, ...Array.from({ length: 999 }, (_, j) => `bg:fill:${i + j + 1}`));
    expect(await pair.e.call('BGSAVE', 'foo')).toEqual({ t: 'error', v: 'ERR syntax error' });
    expect(await pair.r.call('BGSAVE', 'foo')).toEqual({ t: 'error', v: 'ERR syntax error' });
  });

  it('SAVE is refused inside MULTI as on Redis', async () => {
    for (const c of [pair.r, pair.e]) {
      await c.call('MULTI');
      expect(str(await c.call('SAVE'))).toContain('Command not allowed inside a transaction');
      expect(str(await c.call('EXEC'))).toMatch(/^EXECABORT/);
    }
  });

  it('DUMP payloads cross both ways', async () => {
    const all = Object.keys(await describeAll(pair.r, [0])).map((k) => k.slice(2));
    for (const key of all) {
      const fromRedis = await pair.r.call('DUMP', key);
      const fromEngine = await pair.e.call('DUMP', key);
      expect(fromRedis.t, key).toBe('bulk');
      expect(fromEngine.t, key).toBe('bulk');
      const target = `restored:${key}`;
      expect(await pair.e.call('RESTORE', target, 0, Buffer.from(str(fromRedis), 'latin1'), 'REPLACE'), key).toEqual({ t: 'simple', v: 'OK' });
      expect(await pair.r.call('RESTORE', target, 0, Buffer.from(str(fromEngine), 'latin1'), 'REPLACE'), key).toEqual({ t: 'simple', v: 'OK' });
      const want = await describeKey(pair.r, key);
      want.ttl = '-1';
      expect(await describeKey(pair.e, target), key).toEqual(want);
      expect(await describeKey(pair.r, target), key).toEqual(want);
    }
  });

  it('RESTORE options and errors match Redis', async () => {
    await pair.r.call('SET', 'src', 'payload');
    const p = await pair.r.call('DUMP', 'src');
    const good = Buffer.from(str(p), 'latin1');
    const badCrc = Buffer.from(good);
    badCrc[badCrc.length - 1]! ^= 1;
    const badVersion = Buffer.from(good);
    badVersion[badVersion.length - 10] = 11;
    // A payload with a right CRC but a broken body: type 0, length 50, only 3 bytes.
    const body = Buffer.from([0, 50, 0x61, 0x62, 0x63, 10, 0]);
    const crc = Buffer.alloc(8);
    crc.writeBigUInt64LE(new Crc64().update(body).value());
    const badBody = Buffer.concat([body, crc]);
    const emptyList = Buffer.from([18, 0, 10, 0]);
    const crc2 = Buffer.alloc(8);
    crc2.writeBigUInt64LE(new Crc64().update(emptyList).value());
    const cases: Cmd[][] = [
      [['DEL', 'dst'], ['RESTORE', 'dst', 0, good as unknown as string], ['GET', 'dst'], ['PTTL', 'dst']],
      [['RESTORE', 'dst', 0, good as unknown as string]],
      [['RESTORE', 'dst', 0, good as unknown as string, 'REPLACE', 'IDLETIME', 100], ['OBJECT', 'IDLETIME', 'dst']],
      [['RESTORE', 'dst', 5000, good as unknown as string, 'REPLACE'], ['PTTL', 'dst']],
      [['RESTORE', 'dst', 1, good as unknown as string, 'REPLACE', 'ABSTTL'], ['EXISTS', 'dst']],
      [['RESTORE', 'dst', -1, good as unknown as string, 'REPLACE']],
      [['RESTORE', 'dst', 'x', good as unknown as string, 'REPLACE']],
      [['RESTORE', 'dst', 0, good as unknown as string, 'REPLACE', 'IDLETIME', -1]],
      [['RESTORE', 'dst', 0, good as unknown as string, 'REPLACE', 'FREQ', 256]],
      [['RESTORE', 'dst', 0, good as unknown as string, 'REPLACE', 'IDLETIME', 1, 'FREQ', 1]],
      [['RESTORE', 'dst', 0, good as unknown as string, 'BOGUS']],
      [['RESTORE', 'dst', 0, badCrc as unknown as string, 'REPLACE']],
      [['RESTORE', 'dst', 0, badVersion as unknown as string, 'REPLACE']],
      [['RESTORE', 'dst', 0, 'short', 'REPLACE']],
      [['RESTORE', 'dst', 0, badBody as unknown as string, 'REPLACE']],
      [['RESTORE', 'dst', 0, Buffer.concat([emptyList, crc2]) as unknown as string, 'REPLACE']],
      [['DUMP', 'nosuchkey']],
    ];
    await pair.e.call('SET', 'src', 'payload');
    for (const seq of cases) {
      for (const cmd of seq) {
        const [a, b] = [await pair.r.call(...cmd), await pair.e.call(...cmd)];
        const norm = (v: RespValue) => (cmd[0] === 'PTTL' && v.t === 'int' && v.v > 0n ? 'positive' : show(v));
        expect(norm(b), cmd.map(String).join(' ')).toBe(norm(a));
      }
    }
  });
});

describe('RESTORE of corrupt payloads', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await startPair({ 'sanitize-dump-payload': 'yes' });
  });
  afterAll(async () => {
    await pair.stop();
  });

  it('never harms the engine: a flipped byte (with a fixed-up CRC) is restored or refused as "Bad data format"', async () => {
    const cmds = dataset().filter(([db]) => db === 0);
    await run(pair.r, cmds);
    const keys = await pair.r.call('KEYS', '*');
    const names = keys.t === 'array' ? keys.v.map(str) : [];
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    let refused = 0;
    let restored = 0;
    for (const key of names) {
      const p = Buffer.from(str(await pair.r.call('DUMP', key)), 'latin1');
      for (let round = 0; round < 25; round++) {
        const body = Buffer.from(p.subarray(0, p.length - 8));
        const at = rand(body.length - 2);
        body[at] = rand(256);
        const crc = Buffer.alloc(8);
        crc.writeBigUInt64LE(new Crc64().update(body).value());
        const payload = Buffer.concat([body, crc]);
        const reply = await pair.e.call('RESTORE', 'fuzz', 0, payload, 'REPLACE');
        if (reply.t === 'error') {
          expect(reply.v).toMatch(/^ERR (Bad data format|DUMP payload version or checksum are wrong)$/);
          refused++;
        } else {
          expect(reply).toEqual({ t: 'simple', v: 'OK' });
          restored++;
          const t = str(await pair.e.call('TYPE', 'fuzz'));
          expect(['string', 'list', 'set', 'zset', 'hash', 'stream']).toContain(t);
        }
      }
    }
    expect(refused).toBeGreaterThan(0);
    expect(restored).toBeGreaterThan(0);
    expect(await pair.e.call('PING')).toEqual({ t: 'simple', v: 'PONG' });
  }, 60_000);
});

describe('function libraries and the save schedule', () => {
  let pair: Pair;
  let dir: string;
  beforeAll(async () => {
    pair = await startPair();
    dir = mkdtempSync(join(tmpdir(), 'redscope-persist2-'));
    pair.engine.engine!.config.setMany([['dir', dir]], { runtime: false });
  });
  afterAll(async () => {
    await pair.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('FUNCTION2 records round-trip: the engine saves libraries Redis loads, and loads Redis\'s', async () => {
    const code = "#!lua name=persistlib\nredis.register_function('pf', function(keys, args) return 'hi' end)";
    for (const c of [pair.r, pair.e]) expect(str(await c.call('FUNCTION', 'LOAD', code))).toBe('persistlib');
    await pair.e.call('SET', 'k', 'v');
    expect(await pair.e.call('SAVE')).toEqual({ t: 'simple', v: 'OK' });
    const loaded = await redisOn(join(dir, 'dump.rdb'));
    try {
      expect(show(await loaded.c.call('FUNCTION', 'LIST', 'WITHCODE'))).toBe(show(await pair.r.call('FUNCTION', 'LIST', 'WITHCODE')));
      expect(await loaded.c.call('FCALL', 'pf', 0)).toEqual({ t: 'bulk', v: 'hi' });
    } finally {
      await loaded.stop();
    }
    // DEBUG RELOAD keeps the library (loaded back with MERGE semantics over the existing one).
    expect(await pair.e.call('DEBUG', 'RELOAD', 'MERGE')).toEqual({ t: 'simple', v: 'OK' });
    expect(await pair.e.call('FCALL', 'pf', 0)).toEqual({ t: 'bulk', v: 'hi' });
  });

  it('the `save` points start a background save from the cron', async () => {
    const engine = pair.engine.engine!;
    persistenceOf(engine);
    engine.config.set('save', '1 1');
    try {
      await pair.e.call('SET', 'sched', '1');
      engine.lastSave -= 10;
      const before = engine.lastSave;
      engine.emit('cron');
      expect(persistenceOf(engine).bgsave).not.toBeNull();
      expect(await bgsaveDone(engine)).toBe(true);
      expect(engine.lastSave).toBeGreaterThan(before);
      expect(engine.dirty).toBe(0);
      engine.emit('cron'); // nothing changed since: no new save
      expect(persistenceOf(engine).bgsave).toBeNull();
    } finally {
      engine.config.set('save', '');
    }
  });

  it('FLUSHALL with save points saves the empty dataset at once, as Redis does', async () => {
    const engine = pair.engine.engine!;
    engine.config.set('save', '3600 1');
    try {
      await pair.e.call('SET', 'gone', '1');
      const file = join(dir, 'dump.rdb');
      rmSync(file, { force: true });
      expect(await pair.e.call('FLUSHALL')).toEqual({ t: 'simple', v: 'OK' });
      expect(existsSync(file)).toBe(true);
      expect([...readRdbFile(file)].filter((r) => r.kind === 'key')).toEqual([]);
      expect(engine.dirty).toBe(0);
    } finally {
      engine.config.set('save', '');
    }
  });

  it('BGSAVE inside MULTI is scheduled and then run by the cron', async () => {
    const engine = pair.engine.engine!;
    await pair.e.call('MULTI');
    await pair.e.call('BGSAVE');
    const res = await pair.e.call('EXEC');
    expect(show(res)).toContain('Background saving scheduled');
    engine.emit('cron');
    expect(await bgsaveDone(engine)).toBe(true);
    expect(persistenceOf(engine).bgsaveScheduled).toBe(false);
  });
});
