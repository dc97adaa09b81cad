// The AOF end to end against real Redis 7.0.15: a generated workload (fast-check, fixed seeds) that
// covers the rewritten commands runs on the engine with appendonly yes, with a BGREWRITEAOF in the
// middle; redis-server started on the engine's directory loads its appendonlydir with the same
// data (per key: type, value, absolute expiry), and redis-check-aof accepts the files -- with the
// BASE as RDB and as commands. The other way round, the engine loads an appendonlydir written by
// redis-server. Then the life cycle: restart from its own AOF, CONFIG SET appendonly yes/no at
// run time, BGREWRITEAOF replies and files, INFO's aof_* fields, a truncated tail
// (aof-load-truncated yes/no) and a corrupt file (one line naming file and offset).

import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, readFileSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { aofInfo, rewriteDoneP } from '../../src/engine/persist/aof.js';
import { AofLoadError } from '../../src/engine/persist/aof-load.js';
import { describeAll, engineOn, redisOn, tempDir } from './aof-helpers.js';
import { RespClient } from '../helpers/resp-client.js';
import { startEngine, startRedis } from '../helpers/servers.js';

type Cmd = Array<string | number>;

const dirs: string[] = [];
const newDir = (tag: string): string => {
  const d = tempDir(tag);
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const key = fc.constantFrom('k1', 'k2', 'k3', 'bin\x00\xff');
const val = fc.oneof(fc.constantFrom('v', '10', '-3', '2.5', 'x'.repeat(70)), fc.string({ maxLength: 6 }));
const small = fc.integer({ min: 1, max: 5 });
const ttl = fc.integer({ min: 100, max: 100_000 });
const future = fc.integer({ min: 4_000_000_000, max: 4_100_000_000 });

/** One step of the workload: commands over a few keys of each type, the rewritten ones weighted up. */
const step: fc.Arbitrary<Cmd[]> = fc.oneof(
  fc.tuple(key, val).map(([k, v]) => [['SET', `s:${k}`, v]]),
  fc.tuple(key, val, ttl, fc.constantFrom('EX', 'PX')).map(([k, v, t, u]) => [['SET', `s:${k}`, v, u, t]]),
  fc.tuple(key, val, future).map(([k, v, t]) => [['SET', `s:${k}`, v, 'EXAT', t, 'GET']]),
  fc.tuple(key, val).map(([k, v]) => [['SET', `s:${k}`, v, 'KEEPTTL']]),
  fc.tuple(key, val, ttl).map(([k, v, t]) => [['SETEX', `s:${k}`, t, v]]),
  fc.tuple(key, val, ttl).map(([k, v, t]) => [['PSETEX', `s:${k}`, t * 1000, v]]),
  fc.tuple(key, fc.constantFrom('1.5', '-0.25', '3e2')).map(([k, d]) => [['INCRBYFLOAT', `f:${k}`, d]]),
  fc.tuple(key, key, fc.constantFrom('1.5', '-2')).map(([k, f, d]) => [['HINCRBYFLOAT', `h:${k}`, f, d]]),
  fc.tuple(fc.constantFrom('s:', 'l:', 'h:', 'z:', 't:'), key, ttl, fc.constantFrom('EXPIRE', 'PEXPIRE')).map(([p, k, t, c]) => [[c, `${p}${k}`, c === 'PEXPIRE' ? t * 1000 : t]]),
  fc.tuple(fc.constantFrom('s:', 'l:', 't:'), key).map(([p, k]) => [['EXPIREAT', `${p}${k}`, 1]]),
  fc.tuple(key, future).map(([k, t]) => [['PEXPIREAT', `s:${k}`, t * 1000]]),
  fc.tuple(key, ttl).map(([k, t]) => [['GETEX', `s:${k}`, 'EX', t]]),
  key.map((k) => [['GETEX', `s:${k}`, 'PERSIST']]),
  key.map((k) => [['GETDEL', `s:${k}`]]),
  fc.tuple(key, val).map(([k, v]) => [['GETSET', `s:${k}`, v]]),
  fc.tuple(key, fc.array(val, { minLength: 1, maxLength: 4 })).map(([k, vs]) => [['SADD', `t:${k}`, ...vs]]),
  fc.tuple(key, fc.option(small, { nil: undefined })).map(([k, n]) => [n === undefined ? ['SPOP', `t:${k}`] : ['SPOP', `t:${k}`, n]]),
  fc.tuple(key, fc.array(val, { minLength: 1, maxLength: 4 })).map(([k, vs]) => [['RPUSH', `l:${k}`, ...vs]]),
  key.map((k) => [['BLPOP', `l:${k}`, '0.01']]),
  key.map((k) => [['BRPOP', `l:${k}`, '0.01']]),
  fc.tuple(key, key).map(([a, b]) => [['BLMOVE', `l:${a}`, `l:${b}`, 'LEFT', 'RIGHT', '0.01']]),
  fc.tuple(key, small).map(([k, n]) => [['LMPOP', 1, `l:${k}`, 'RIGHT', 'COUNT', n]]),
  fc.tuple(key, fc.array(fc.tuple(fc.integer({ min: -5, max: 5 }), val), { minLength: 1, maxLength: 3 })).map(([k, ms]) => [['ZADD', `z:${k}`, ...ms.flat()]]),
  key.map((k) => [['BZPOPMIN', `z:${k}`, '0.01']]),
  fc.tuple(key, small).map(([k, n]) => [['ZMPOP', 1, `z:${k}`, 'MAX', 'COUNT', n]]),
  fc.tuple(key, key, val).map(([k, f, v]) => [['HSET', `h:${k}`, f, v]]),
  fc.tuple(key, key).map(([k, f]) => [['HDEL', `h:${k}`, f]]),
  fc.tuple(key, val).map(([k, v]) => [['XADD', `x:${k}`, '*', 'f', v]]),
  fc.tuple(key, val, small).map(([k, v, n]) => [['XADD', `x:${k}`, 'MAXLEN', '~', n, '*', 'f', v]]),
  key.map((k) => [['XGROUP', 'CREATE', `x:${k}`, 'g', '0', 'MKSTREAM']]),
  fc.tuple(key, fc.constantFrom('alice', 'bob')).map(([k, c]) => [['XREADGROUP', 'GROUP', 'g', c, 'COUNT', 2, 'STREAMS', `x:${k}`, '>']]),
  fc.tuple(fc.constantFrom('s:', 'l:', 'h:', 'z:', 't:', 'x:'), key).map(([p, k]) => [['DEL', `${p}${k}`]]),
  fc.tuple(key, key).map(([a, b]) => [['RENAME', `s:${a}`, `s:${b}`]]),
  fc.tuple(key, val).map(([k, v]) => [['APPEND', `s:${k}`, v]]),
  fc.tuple(key, fc.integer({ min: 1, max: 3 })).map(([k, db]) => [['SELECT', db], ['SET', `s:${k}`, 'in-db'], ['MOVE', `s:${k}`, 0], ['SELECT', 0]]),
  fc.tuple(key, val).map(([k, v]) => [['MULTI'], ['SET', `s:${k}`, v, 'PX', 500000], ['INCRBYFLOAT', `f:${k}`, '1'], ['SPOP', `t:${k}`], ['EXEC']]),
  fc.tuple(key, key).map(([a, b]) => [['EVAL', "redis.call('set', KEYS[1], ARGV[1], 'ex', 1000); return redis.call('incrbyfloat', KEYS[2], '0.5')", 2, `s:${a}`, `f:${b}`, 'script']]),
  fc.constant<Cmd[]>([['SWAPDB', 0, 1], ['SWAPDB', 0, 1]]),
);

/** `n` generated steps, flattened; `split` cuts between steps (never inside a MULTI block). */
function workload(seed: number, n: number, split = n): [Cmd[], Cmd[]] {
  const steps = fc.sample(fc.array(step, { minLength: n, maxLength: n }), { seed, numRuns: 1 })[0]!;
  return [steps.slice(0, split).flat(), steps.slice(split).flat()];
}

async function run(c: RespClient, cmds: Cmd[]): Promise<void> {
  for (let i = 0; i < cmds.length; i += 50) await c.pipeline(cmds.slice(i, i + 50));
}

/** A description with consumer groups' entries-read and lag masked. */
function maskGroupCounters(all: Record<string, string>): Record<string, string> {
  const re = /(\\?"(?:entries-read|lag)\\?"\},)\{[^}]*\}/g;
  return Object.fromEntries(Object.entries(all).map(([k, v]) => [k, v.replace(re, '$1{?}')]));
}

function checkAof(dir: string): string {
  return execFileSync('redis-check-aof', [join(dir, 'appendonlydir', 'appendonly.aof.manifest')], { encoding: 'utf8' });
}

describe('redis-server 7.0.15 loads the appendonlydir the engine wrote', () => {
  for (const preamble of ['yes', 'no']) {
    it(`same data after a generated workload and a rewrite in the middle (aof-use-rdb-preamble ${preamble})`, async () => {
      for (const seed of [11, 12]) {
        const dir = newDir('e2r');
        const e = await engineOn(dir, { 'aof-use-rdb-preamble': preamble, appendfsync: seed === 11 ? 'always' : 'everysec' });
        const [first, second] = workload(seed, 300, 150);
        await run(e.c, first);
        expect(await e.c.call('BGREWRITEAOF')).toEqual({ t: 'simple', v: 'Background append only file rewriting started' });
        await run(e.c, second);
        expect(await rewriteDoneP(e.engine)).toBe(true);
        await run(e.c, workload(seed + 100, 50)[0]);
        const expected = await describeAll(e.c, 4);
        await e.stop();
        const files = readdirSync(join(dir, 'appendonlydir')).sort();
        expect(files).toEqual(['appendonly.aof.2.base.' + (preamble === 'yes' ? 'rdb' : 'aof'), 'appendonly.aof.2.incr.aof', 'appendonly.aof.manifest']);
        expect(checkAof(dir)).toMatch(/is valid/);
        // Redis's own files load back into both servers alike; against the live dataset only a
        // group's entries-read (and the lag made from it) may differ, as with Redis's own AOF:
        // the XCLAIM ... LASTID it logs for XREADGROUP does not carry that counter.
        const copy = newDir('e2r-copy');
        cpSync(dir, copy, { recursive: true });
        const r = await redisOn(copy, { 'aof-use-rdb-preamble': preamble });
        let loadedByRedis: Record<string, string>;
        try {
          loadedByRedis = await describeAll(r.c, 4);
        } finally {
          await r.stop();
        }
        const again = await engineOn(dir, { 'aof-use-rdb-preamble': preamble });
        try {
          expect(await describeAll(again.c, 4)).toEqual(loadedByRedis);
        } finally {
          await again.stop();
        }
        expect(maskGroupCounters(loadedByRedis)).toEqual(maskGroupCounters(expected));
        expect(Object.keys(expected).length).toBeGreaterThan(5);
      }
    }, 60_000);
  }
});

describe('the engine loads the appendonlydir redis-server wrote', () => {
  for (const preamble of ['yes', 'no']) {
    it(`same data (aof-use-rdb-preamble ${preamble})`, async () => {
      const dir = newDir('r2e');
      const r = await redisOn(dir, { 'aof-use-rdb-preamble': preamble });
      try {
        const [first, second] = workload(21, 300, 150);
        await run(r.c, first);
        await r.c.call('BGREWRITEAOF');
        for (let i = 0; i < 100; i++) {
          const info = await r.c.call('INFO', 'persistence');
          if (info.t === 'bulk' && info.v.includes('aof_rewrite_in_progress:0') && !info.v.includes('aof_rewrite_scheduled:1')) break;
          await new Promise((res) => setTimeout(res, 50));
        }
        await run(r.c, second);
      } finally {
        await r.stop();
      }
      // What Redis itself loads from these files is the reference (its own log does not carry
      // everything: XCLAIM ... LASTID leaves a group's entries-read behind, for one).
      const copy = newDir('r2e-copy');
      cpSync(dir, copy, { recursive: true });
      const again = await redisOn(copy, { 'aof-use-rdb-preamble': preamble });
      let expected: Record<string, string>;
      try {
        expected = await describeAll(again.c, 4);
      } finally {
        await again.stop();
      }
      const e = await engineOn(dir, { 'aof-use-rdb-preamble': preamble });
      try {
        expect(e.loaded?.files).toBe(2);
        expect(await describeAll(e.c, 4)).toEqual(expected);
      } finally {
        await e.stop();
      }
    }, 30_000);
  }
});

describe('life cycle', () => {
  it('restarts from its own AOF (not from dump.rdb), and goes on appending to the same INCR', async () => {
    const dir = newDir('restart');
    writeFileSync(join(dir, 'dump.rdb'), 'not even an rdb');
    let e = await engineOn(dir);
    await run(e.c, [['SET', 'a', '1'], ['RPUSH', 'l', 'x', 'y'], ['SET', 't', 'v', 'EX', 1000]]);
    const before = await describeAll(e.c, 1);
    await e.stop();
    e = await engineOn(dir);
    expect(await describeAll(e.c, 1)).toEqual(before);
    await run(e.c, [['INCR', 'a']]);
    await e.stop();
    expect(readdirSync(join(dir, 'appendonlydir')).sort()).toEqual(['appendonly.aof.1.base.rdb', 'appendonly.aof.1.incr.aof', 'appendonly.aof.manifest']);
    expect(readFileSync(join(dir, 'appendonlydir', 'appendonly.aof.manifest'), 'latin1')).toBe(
      'file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n',
    );
    e = await engineOn(dir);
    expect(await e.c.call('GET', 'a')).toEqual({ t: 'bulk', v: '2' });
    await e.stop();
  });

  it('CONFIG SET appendonly yes rewrites first, then logs; appendonly no stops logging', async () => {
    const dir = newDir('switch');
    const e = await engineOn(dir, { appendonly: 'no' });
    try {
      await run(e.c, [['SET', 'before', '1'], ['HSET', 'h', 'f', 'v']]);
      expect(existsSync(join(dir, 'appendonlydir'))).toBe(false);
      expect(await e.c.call('CONFIG', 'SET', 'appendonly', 'yes')).toEqual({ t: 'simple', v: 'OK' });
      await run(e.c, [['SET', 'during', '2']]);
      expect(await rewriteDoneP(e.engine)).toBe(true);
      await run(e.c, [['SET', 'after', '3']]);
      const info = Object.fromEntries(aofInfo(e.engine));
      expect(info['aof_enabled']).toBe(1);
      expect(info['aof_rewrites']).toBe(1);
      expect(info['aof_current_size']).toBeGreaterThan(info['aof_base_size'] as number);
      expect(readdirSync(join(dir, 'appendonlydir')).sort()).toEqual(['appendonly.aof.1.base.rdb', 'appendonly.aof.1.incr.aof', 'appendonly.aof.manifest']);
      const incr = readFileSync(join(dir, 'appendonlydir', 'appendonly.aof.1.incr.aof'), 'latin1');
      expect(incr).toContain('during');
      expect(incr).toContain('after');
      expect(incr).not.toContain('before');
      expect(await e.c.call('CONFIG', 'SET', 'appendonly', 'no')).toEqual({ t: 'simple', v: 'OK' });
      await run(e.c, [['SET', 'off', '4']]);
      expect(readFileSync(join(dir, 'appendonlydir', 'appendonly.aof.1.incr.aof'), 'latin1')).not.toContain('off');
      expect(Object.fromEntries(aofInfo(e.engine))['aof_enabled']).toBe(0);
    } finally {
      await e.stop();
    }
    const r = await redisOn(dir);
    try {
      expect((await describeAll(r.c, 1))['0/after']).toBeDefined();
      expect((await describeAll(r.c, 1))['0/off']).toBeUndefined();
    } finally {
      await r.stop();
    }
  });

  it('BGREWRITEAOF: replies as Redis, new BASE and INCR, the old files deleted, INFO fields', async () => {
    const dir = newDir('bgrw');
    const e = await engineOn(dir);
    try {
      await run(e.c, Array.from({ length: 3000 }, (_, i) => ['SET', `key:${i}`, `value:${i}`]));
      // One pipeline: the rewrite is still running when the next commands arrive.
      const replies = await e.c.pipeline([['BGREWRITEAOF'], ['BGREWRITEAOF'], ['BGSAVE'], ['INFO', 'persistence']]);
      expect(Object.fromEntries(aofInfo(e.engine))['aof_rewrite_in_progress']).toBe(1);
      expect(replies.slice(0, 3)).toEqual([
        { t: 'simple', v: 'Background append only file rewriting started' },
        { t: 'error', v: 'ERR Background append only file rewriting already in progress' },
        { t: 'error', v: "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible." },
      ]);
      expect(await rewriteDoneP(e.engine)).toBe(true);
      const r = await e.c.pipeline([['MULTI'], ['BGREWRITEAOF'], ['EXEC']]);
      expect(r[2]).toEqual({ t: 'array', v: [{ t: 'simple', v: 'Background append only file rewriting scheduled' }] });
      const info = Object.fromEntries(aofInfo(e.engine));
      expect(info).toMatchObject({ aof_enabled: 1, aof_rewrite_in_progress: 0, aof_rewrite_scheduled: 1, aof_last_bgrewrite_status: 'ok', aof_rewrites: 1, aof_last_write_status: 'ok' });
      expect(readdirSync(join(dir, 'appendonlydir')).sort()).toEqual(['appendonly.aof.2.base.rdb', 'appendonly.aof.2.incr.aof', 'appendonly.aof.manifest']);
      expect(info['aof_base_size']).toBe(statSync(join(dir, 'appendonlydir', 'appendonly.aof.2.base.rdb')).size);
    } finally {
      await e.stop();
    }
  });

  it('auto rewrite when the AOF grew by auto-aof-rewrite-percentage past auto-aof-rewrite-min-size', async () => {
    const dir = newDir('auto');
    const e = await engineOn(dir, { 'auto-aof-rewrite-min-size': '10000', 'auto-aof-rewrite-percentage': '100', hz: '100' });
    try {
      await run(e.c, Array.from({ length: 500 }, (_, i) => ['SET', `key:${i % 10}`, 'x'.repeat(50)]));
      for (let i = 0; i < 100 && Object.fromEntries(aofInfo(e.engine))['aof_rewrites'] === 0; i++) await new Promise((r) => setTimeout(r, 20));
      await rewriteDoneP(e.engine);
      // Each rewrite leaves a small BASE, so a long enough stream of writes triggers it again.
      expect(Object.fromEntries(aofInfo(e.engine))['aof_rewrites']).toBeGreaterThanOrEqual(1);
      expect(readdirSync(join(e.engine.config.get('dir'), 'appendonlydir')).length).toBe(3);
      expect(await e.c.call('DBSIZE')).toEqual({ t: 'int', v: 10n });
    } finally {
      await e.stop();
    }
  });

  it('a truncated last command: cut and loaded with aof-load-truncated yes, refused with no', async () => {
    const dir = newDir('trunc');
    let e = await engineOn(dir);
    await run(e.c, [['SET', 'a', '1'], ['SET', 'b', '2']]);
    await e.stop();
    const incr = join(dir, 'appendonlydir', 'appendonly.aof.1.incr.aof');
    const good = statSync(incr).size;
    appendFileSync(incr, '*3\r\n$3\r\nSET\r\n$1\r\nc\r\n$5\r\nhal');
    const copy = newDir('trunc-no');
    cpSync(dir, copy, { recursive: true });
    await expect(engineOn(copy, { 'aof-load-truncated': 'no' })).rejects.toThrow(AofLoadError);
    e = await engineOn(dir);
    expect(e.loaded?.truncated).toMatch(/short read/);
    expect(await e.c.call('MGET', 'a', 'b', 'c')).toEqual({ t: 'array', v: [{ t: 'bulk', v: '1' }, { t: 'bulk', v: '2' }, { t: 'null' }] });
    await e.stop();
    expect(statSync(incr).size).toBeGreaterThanOrEqual(good);
    expect(checkAof(dir)).toMatch(/is valid/);
  });

  it('a corrupt file stops start-up with one line naming the file and the offset', async () => {
    const dir = newDir('corrupt');
    const e = await engineOn(dir);
    await run(e.c, [['SET', 'a', '1']]);
    await e.stop();
    const incr = join(dir, 'appendonlydir', 'appendonly.aof.1.incr.aof');
    const size = statSync(incr).size;
    appendFileSync(incr, 'garbage\r\n*1\r\n$4\r\nPING\r\n');
    const err = await engineOn(dir).then(
      () => null,
      (x: unknown) => x as Error,
    );
    expect(err).toBeInstanceOf(AofLoadError);
    expect(err!.message).toMatch(new RegExp(`appendonly\\.aof\\.1\\.incr\\.aof at offset ${size}\\b`));
    expect(err!.message).not.toContain('\n');
    truncateSync(incr, size);
  });
});

describe('CONFIG SET appendonly on any engine, seen in INFO as on Redis', () => {
  it('turns the AOF on and off at run time; INFO persistence has the fields redis-server prints', async () => {
    const [r, e] = await Promise.all([startRedis({ dir: tempDir('info-r') }), startEngine({ dir: tempDir('info-e') })]);
    const rc = await RespClient.connect(r.port);
    const ec = await RespClient.connect(e.port);
    const fields = async (c: RespClient): Promise<Map<string, string>> => {
      const v = await c.call('INFO', 'persistence');
      const text = v.t === 'bulk' ? String(v.v) : '';
      return new Map(text.split('\r\n').filter((l) => l.startsWith('aof_')).map((l) => l.split(':') as [string, string]));
    };
    try {
      for (const c of [rc, ec]) await c.call('SET', 'k', 'v');
      expect([...(await fields(ec)).keys()]).toEqual([...(await fields(rc)).keys()]);
      for (const c of [rc, ec]) expect(await c.call('CONFIG', 'SET', 'appendonly', 'yes')).toEqual({ t: 'simple', v: 'OK' });
      for (let i = 0; i < 100 && (await fields(ec)).get('aof_rewrite_in_progress') !== '0'; i++) await new Promise((res) => setTimeout(res, 20));
      for (let i = 0; i < 100 && (await fields(rc)).get('aof_rewrite_in_progress') !== '0'; i++) await new Promise((res) => setTimeout(res, 20));
      const on = await fields(ec);
      expect([...on.keys()]).toEqual([...(await fields(rc)).keys()]);
      expect(on.get('aof_enabled')).toBe('1');
      expect(Number(on.get('aof_base_size'))).toBeGreaterThan(0);
      await ec.call('SET', 'k2', 'v2');
      await new Promise((res) => setTimeout(res, 50));
      expect(Number((await fields(ec)).get('aof_current_size'))).toBeGreaterThan(Number(on.get('aof_current_size')));
      expect(readdirSync(join(e.engine!.config.get('dir'), 'appendonlydir')).length).toBe(3);
      expect(await ec.call('CONFIG', 'SET', 'appendonly', 'no')).toEqual({ t: 'simple', v: 'OK' });
      expect((await fields(ec)).get('aof_enabled')).toBe('0');
    } finally {
      rc.close();
      ec.close();
      await Promise.all([r.stop(), e.stop()]);
    }
  });
});
