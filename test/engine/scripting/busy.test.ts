// Scripts past busy-reply-threshold, on a real redis-server 7.0 and on the engine side by side:
// other clients get BUSY (and the allow-busy commands still run), MULTI/EXEC doomed by BUSY,
// FUNCTION STATS naming the running function, SCRIPT KILL / FUNCTION KILL and their refusals,
// kills that pcall cannot swallow, UNKILLABLE after a write, the pipeline of the script's own
// client resuming after the kill, scripts that end by themselves, FUNCTION LOAD's 500 ms limit,
// and SHUTDOWN refused except NOSAVE.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RespValue } from '../../../src/formats/resp/reply-parser.js';
import { rewriteDoneP } from '../../../src/engine/persist/aof.js';
import { RespClient } from '../../helpers/resp-client.js';
import { startEngine, startRedis, type TestServer } from '../../helpers/servers.js';

type Side = 'redis' | 'engine';
const servers = {} as Record<Side, TestServer>;
const admin = {} as Record<Side, RespClient>;

beforeAll(async () => {
  [servers.redis, servers.engine] = await Promise.all([startRedis(), startEngine()]);
  for (const side of ['redis', 'engine'] as const) admin[side] = await RespClient.connect(servers[side].port);
});
afterAll(async () => {
  for (const side of ['redis', 'engine'] as const) admin[side]?.close();
  await Promise.all([servers.redis?.stop(), servers.engine?.stop()]);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const text = (v: RespValue): string => (v.t === 'error' || v.t === 'simple' || v.t === 'bulk' ? String(v.v) : JSON.stringify(v));

/** Polls until PING answers BUSY (the script timed out), at most ~5 s. */
async function waitBusy(c: RespClient): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const v = await c.call('PING');
    if (v.t === 'error' && String(v.v).startsWith('BUSY')) return;
    await sleep(50);
  }
  throw new Error('the script never timed out');
}

/** Polls until PING answers PONG again (the script ended), at most ~5 s. */
async function waitFree(c: RespClient): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const v = await c.call('PING');
    if (v.t === 'simple' && v.v === 'PONG') return;
    await sleep(50);
  }
  throw new Error('the script never ended');
}

/** Runs `scenario` on both servers and returns both transcripts. */
async function both(scenario: (side: Side, a: RespClient) => Promise<string[]>): Promise<Record<Side, string[]>> {
  const out = {} as Record<Side, string[]>;
  for (const side of ['redis', 'engine'] as const) {
    await admin[side].call('FLUSHALL');
    await admin[side].call('FUNCTION', 'FLUSH');
    await admin[side].call('CONFIG', 'SET', 'busy-reply-threshold', '10');
    out[side] = await scenario(side, admin[side]);
    await admin[side].call('CONFIG', 'SET', 'busy-reply-threshold', '5000');
  }
  return out;
}

describe('scripts past busy-reply-threshold', () => {
  it('answer BUSY to others, let allow-busy commands through, and end with SCRIPT KILL', async () => {
    const t = await both(async (side, a) => {
      const rd = await RespClient.connect(servers[side].port);
      rd.writeRaw('*3\r\n$4\r\nEVAL\r\n$17\r\nwhile true do end\r\n$1\r\n0\r\n*1\r\n$4\r\nPING\r\n');
      await waitBusy(a);
      const log = [
        text(await a.call('GET', 'x')),
        text(await a.call('FUNCTION', 'STATS')),
        text(await a.call('FUNCTION', 'KILL')),
        text(await a.call('SHUTDOWN')),
        text(await a.call('CLIENT', 'SETNAME', 'x')),
        text(await a.call('SCRIPT', 'KILL')),
      ];
      await waitFree(a);
      log.push(text(await rd.read()), text(await rd.read())); // the killed script's error, then the pipelined PING
      log.push(text(await a.call('SCRIPT', 'KILL')));
      rd.close();
      return log;
    });
    expect(t.engine).toEqual(t.redis);
    expect(t.engine[0]).toMatch(/^BUSY Redis is busy running a script\. You can only call SCRIPT KILL/);
    expect(t.engine[6]).toMatch(/^ERR Script killed by user with SCRIPT KILL\.\.\. script: \w{40}, on @user_script:1\.$/);
    expect(t.engine[7]).toBe('PONG');
    expect(t.engine[8]).toMatch(/^NOTBUSY/);
  });

  it('cannot be kept alive by pcall or xpcall around the loop', async () => {
    for (const body of [
      "local f = function() while 1 do redis.call('ping') end end while 1 do pcall(f) end",
      'local f = function() while 1 do end end while 1 do xpcall(f, function(e) return e end) end',
    ]) {
      const t = await both(async (side, a) => {
        const rd = await RespClient.connect(servers[side].port);
        rd.writeRaw(`*3\r\n$4\r\nEVAL\r\n$${body.length}\r\n${body}\r\n$1\r\n0\r\n`);
        await waitBusy(a);
        const log = [text(await a.call('SCRIPT', 'KILL'))];
        await waitFree(a);
        log.push(text(await rd.read()).replace(/\w{40}/, 'SHA'));
        rd.close();
        return log;
      });
      expect(t.engine).toEqual(t.redis);
    }
  });

  it('doom a transaction whose commands arrive while busy (EXECABORT), and EXEC itself is refused', async () => {
    const t = await both(async (side, a) => {
      const rd = await RespClient.connect(servers[side].port);
      const m = await RespClient.connect(servers[side].port);
      await a.call('SET', 'xx', '1');
      const log = [text(await m.call('MULTI')), text(await m.call('INCR', 'xx'))];
      rd.writeRaw('*3\r\n$4\r\nEVAL\r\n$17\r\nwhile true do end\r\n$1\r\n0\r\n');
      await waitBusy(a);
      log.push(text(await m.call('INCR', 'xx')), text(await m.call('EXEC')));
      log.push(text(await a.call('SCRIPT', 'KILL')));
      await waitFree(a);
      log.push(text(await a.call('GET', 'xx')), text(await m.call('PING', 'asdf')));
      rd.close();
      m.close();
      return log;
    });
    expect(t.engine).toEqual(t.redis);
    expect(t.engine[3]).toMatch(/^EXECABORT Transaction discarded because of: BUSY/);
    expect(t.engine[5]).toBe('1');
  });

  it('FUNCTION STATS names the running function; FUNCTION KILL stops it, SCRIPT KILL refuses', async () => {
    const t = await both(async (side, a) => {
      await a.call('FUNCTION', 'LOAD', "#!lua name=t\nredis.register_function('spin', function() local a = 1 while true do a = a + 1 end end)");
      const rd = await RespClient.connect(servers[side].port);
      rd.writeRaw('*3\r\n$5\r\nFCALL\r\n$4\r\nspin\r\n$1\r\n0\r\n');
      await waitBusy(a);
      const stats = await a.call('FUNCTION', 'STATS');
      const log = [text(await a.call('PING')), JSON.stringify(stats, (_k, y: unknown) => (typeof y === 'bigint' ? Number(y) : y)).replace(/"duration_ms"\},\{"t":"int","v":\d+/, 'D'), text(await a.call('SCRIPT', 'KILL'))];
      log.push(text(await a.call('FUNCTION', 'KILL')));
      await waitFree(a);
      log.push(text(await rd.read()));
      rd.close();
      return log;
    });
    expect(t.engine).toEqual(t.redis);
    expect(t.engine[1]).toContain('spin');
  });

  it('are UNKILLABLE after a write, and SHUTDOWN without NOSAVE is refused', async () => {
    const t = await both(async (side, a) => {
      const rd = await RespClient.connect(servers[side].port);
      // Writes, then spins for 1.5 s by the server's clock and returns by itself.
      const body =
        "redis.call('set','x','y') local function us() local t = redis.call('time') return t[1] * 1000000 + t[2] end " +
        "local t0 = us() while us() - t0 < 1500000 do end return 'done'";
      rd.writeRaw(`*3\r\n$4\r\nEVAL\r\n$${body.length}\r\n${body}\r\n$1\r\n0\r\n`);
      await waitBusy(a);
      const log = [text(await a.call('SCRIPT', 'KILL')), text(await a.call('SET', 'x', 'z')), text(await a.call('SHUTDOWN'))];
      await waitFree(a);
      log.push(text(await rd.read()), text(await a.call('GET', 'x')));
      rd.close();
      return log;
    });
    expect(t.engine).toEqual(t.redis);
    expect(t.engine[0]).toMatch(/^UNKILLABLE/);
    expect(t.engine.slice(3)).toEqual(['done', 'y']);
  });

  it('SHUTDOWN NOSAVE stops the engine with a timed-out script in it', async () => {
    const s = await startEngine();
    const a = await RespClient.connect(s.port);
    await a.call('CONFIG', 'SET', 'busy-reply-threshold', '10');
    const rd = await RespClient.connect(s.port);
    const body = "redis.call('set','x','y') while true do end";
    rd.writeRaw(`*3\r\n$4\r\nEVAL\r\n$${body.length}\r\n${body}\r\n$1\r\n0\r\n`);
    await waitBusy(a);
    expect(text(await a.call('SCRIPT', 'KILL'))).toMatch(/^UNKILLABLE/);
    a.writeRaw('*2\r\n$8\r\nSHUTDOWN\r\n$6\r\nNOSAVE\r\n');
    await sleep(200);
    expect(s.engine!.busyReply).toBeNull();
    await expect(RespClient.connect(s.port)).rejects.toThrow(/ECONNREFUSED/);
    a.close();
    rd.close();
    await s.stop();
  });

  it('that end by themselves reply normally, and the link stays usable', async () => {
    const t = await both(async (side, a) => {
      const rd = await RespClient.connect(servers[side].port);
      const log = [text(await rd.call('EVAL', "local n = 0 for i=1,200000 do n = n + redis.call('incr','c') end return 'ok'", '0'))];
      log.push(text(await rd.call('PING')), text(await a.call('GET', 'c')));
      rd.close();
      return log;
    });
    expect(t.engine).toEqual(t.redis);
    expect(t.engine).toEqual(['ok', 'PONG', '200000']);
  }, 60_000);

  it('FUNCTION LOAD stops a library whose top level runs past 500 ms', async () => {
    const t = await both(async (_side, a) => [text(await a.call('FUNCTION', 'LOAD', '#!lua name=lib\nlocal a = 1\nwhile 1 do a = a + 1 end'))]);
    expect(t.engine).toEqual(t.redis);
    expect(t.engine[0]).toContain('FUNCTION LOAD timeout');
  });
});

describe('a timed-out script and the AOF', () => {
  it('logs the writes of a script that yielded as one MULTI/EXEC, after it ends', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redscope-busy-aof-'));
    const s = await startEngine({ dir, 'busy-reply-threshold': '10' });
    const a = await RespClient.connect(s.port);
    try {
      await a.call('CONFIG', 'SET', 'appendonly', 'yes');
      await rewriteDoneP(s.engine!);
      const body =
        "redis.call('set','a','1') local function us() local t = redis.call('time') return t[1] * 1000000 + t[2] end " +
        "local t0 = us() while us() - t0 < 300000 do end redis.call('set','b','2') return 'done'";
      expect(text(await a.call('EVAL', body, '0'))).toBe('done');
      await a.call('SET', 'c', '3');
      await sleep(50);
      const incr = readdirSync(join(dir, 'appendonlydir')).find((f) => f.endsWith('.incr.aof'))!;
      const log = readFileSync(join(dir, 'appendonlydir', incr), 'latin1');
      const words = log.split('\r\n').filter((l) => l !== '' && !/^[*$]/.test(l));
      expect(words).toEqual(['SELECT', '0', 'MULTI', 'set', 'a', '1', 'set', 'b', '2', 'EXEC', 'SET', 'c', '3']);
    } finally {
      a.close();
      await s.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
