// Shared by the AOF tests: an engine with the AOF on in a directory of the test's choosing (started
// the way `redscope server` starts: aofStartup before listening), a redis-server 7.0 on a given
// directory, the commands an appendonlydir holds (read back with the inspector's reader), and a
// per-key description of a whole dataset for comparing two servers.

import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Config } from '../../src/engine/config.js';
import { Engine } from '../../src/engine/engine.js';
import { EngineServer } from '../../src/engine/server.js';
import { aofOf, aofStartup, type AofState } from '../../src/engine/persist/aof.js';
import type { AofLoadResult } from '../../src/engine/persist/aof-load.js';
import { readAof } from '../../src/formats/aof/index.js';
import type { RespValue } from '../../src/formats/resp/reply-parser.js';
import { describeDatabases, maskTimes } from '../helpers/differential.js';
import { RespClient } from '../helpers/resp-client.js';
import { connectWhenUp, freePort } from '../helpers/servers.js';

export const tempDir = (tag: string): string => mkdtempSync(join(tmpdir(), `redscope-aof-${tag}-`));

export interface AofEngine {
  engine: Engine;
  port: number;
  c: RespClient;
  aof: AofState;
  loaded: AofLoadResult | null;
  stop(): Promise<void>;
}

/** An engine on `dir` with appendonly yes (unless overridden), loaded from the AOF there. */
export async function engineOn(dir: string, directives: Record<string, string> = {}): Promise<AofEngine> {
  const config = new Config();
  const all = { save: '', appendonly: 'yes', appendfsync: 'always', 'enable-debug-command': 'yes', ...directives, dir };
  for (const [k, v] of Object.entries(all)) config.setMany([[k, v]], { runtime: false });
  const engine = new Engine(config);
  const aof = aofOf(engine);
  const loaded = config.get('appendonly') === 'yes' ? aofStartup(engine) : null;
  const server = new EngineServer(engine);
  const port = await server.listen({ port: 0, host: '127.0.0.1' });
  const c = await RespClient.connect(port);
  return {
    engine,
    port,
    c,
    aof,
    loaded,
    stop: async () => {
      c.close();
      engine.emit('shutdown');
      await server.close();
    },
  };
}

export interface RedisOn {
  port: number;
  c: RespClient;
  output: () => string;
  stop(): Promise<void>;
}

/** redis-server 7.0 with `dir` as its directory (appendonly yes unless overridden). Rejects with its log when it exits. */
export async function redisOn(dir: string, directives: Record<string, string> = {}): Promise<RedisOn> {
  const port = await freePort();
  const all = { save: '', appendonly: 'yes', appendfsync: 'always', 'enable-debug-command': 'yes', ...directives, port: String(port), bind: '127.0.0.1', dir };
  const proc = spawn('redis-server', Object.entries(all).flatMap(([k, v]) => [`--${k}`, v]), { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout!.on('data', (d) => (output += d));
  proc.stderr!.on('data', (d) => (output += d));
  const client = await connectWhenUp(
    port,
    15_000,
    () => (proc.exitCode !== null || proc.signalCode !== null ? `redis-server exited: ${output.slice(-1500)}` : null),
    () => `redis-server did not start: ${output.slice(-1500)}`,
  );
  return {
    port,
    c: client,
    output: () => output,
    stop: async () => {
      client.close();
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/** Every command of the AOF in `dir`/appendonlydir (base .aof and incr files), in load order. */
export function aofCommands(dir: string, only: 'incr' | 'all' = 'incr'): string[][] {
  const out: string[][] = [];
  let file: 'base' | 'incr' = 'base';
  for (const rec of readAof(join(dir, 'appendonlydir'))) {
    if (rec.kind === 'file') file = rec.type;
    if (rec.kind === 'command' && (only === 'all' || file === 'incr')) out.push(rec.argv);
  }
  return out;
}

export const str = (v: RespValue): string =>
  v.t === 'bulk' || v.t === 'simple' || v.t === 'error' ? v.v : v.t === 'int' ? String(v.v) : JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? String(x) : x));

/** What a key holds: type, value (sorted where unordered), absolute expiry. */
export async function describeKey(c: RespClient, key: string): Promise<string> {
  const type = str(await c.call('TYPE', key));
  const at = str(await c.call('PEXPIRETIME', key));
  const sortedList = (v: RespValue) => (v.t === 'array' ? v.v.map(str).sort().join('|') : str(v));
  const pairs = (v: RespValue) => {
    if (v.t !== 'array') return str(v);
    const p: string[] = [];
    for (let i = 0; i < v.v.length; i += 2) p.push(`${str(v.v[i]!)}=${str(v.v[i + 1]!)}`);
    return p.sort().join('|');
  };
  let value = '';
  switch (type) {
    case 'string':
      value = str(await c.call('GET', key));
      break;
    case 'list':
      value = str(await c.call('LRANGE', key, 0, -1));
      break;
    case 'hash':
      value = pairs(await c.call('HGETALL', key));
      break;
    case 'set':
      value = sortedList(await c.call('SMEMBERS', key));
      break;
    case 'zset':
      value = str(await c.call('ZRANGE', key, 0, -1, 'WITHSCORES'));
      break;
    case 'stream':
      value = str(await c.call('XRANGE', key, '-', '+')) + ' ' + str(maskTimes(await c.call('XINFO', 'STREAM', key, 'FULL')));
      break;
  }
  return `${type} at=${at} ${value}`;
}

/** Every key of the first `dbs` databases: "db/key" -> description. */
export function describeAll(c: RespClient, dbs = 16): Promise<Record<string, string>> {
  return describeDatabases(c, Array.from({ length: dbs }, (_, i) => i), describeKey);
}
