// Starts the servers tests talk to: a real redis-server (Debian's 7.0) on a free loopback port in
// a temp dir, and the bundled engine in-process on another. Both are stopped by the returned
// handle; nothing is left running after a test file.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Config } from '../../src/engine/config.js';
import { Engine } from '../../src/engine/engine.js';
import { EngineServer } from '../../src/engine/server.js';
import { RespClient } from './resp-client.js';

export interface TestServer {
  kind: 'redis' | 'engine';
  port: number;
  stop(): Promise<void>;
  /** The in-process engine (engine servers only), for white-box assertions. */
  engine?: Engine;
}

/** redis-servers started by this process: killed when it exits, even if a test forgot to stop one. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Directives both servers get unless overridden: no persistence, debug allowed. */
const BASE: Record<string, string> = { save: '', appendonly: 'no', 'enable-debug-command': 'yes' };

/** A directive's value; a list passes several arguments (`'rename-command': ['CONFIG', 'x']`). */
export async function startRedis(directives: Record<string, string | string[]> = {}): Promise<TestServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'redscope-redis-'));
  const all = { ...BASE, ...directives, port: String(port), bind: '127.0.0.1', dir, daemonize: 'no', logfile: '' };
  const args = Object.entries(all).flatMap(([k, v]) => [`--${k}`, ...(Array.isArray(v) ? v : [v])]);
  let proc: ChildProcess;
  try {
    proc = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    throw new Error(`cannot start redis-server (install Debian's redis-server; .ci/run does): ${String(err)}`);
  }
  live.add(proc);
  proc.once('exit', () => live.delete(proc));
  let output = '';
  proc.stdout!.on('data', (d) => (output += d));
  proc.stderr!.on('data', (d) => (output += d));
  const spawnError = new Promise<never>((_, reject) =>
    proc.once('error', (e) => reject(new Error(`cannot start redis-server (install Debian's redis-server; .ci/run does): ${e.message}`))),
  );
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const c = await Promise.race([RespClient.connect(port), spawnError]);
      const r = await c.call('PING');
      c.close();
      if (r.t === 'simple' || (r.t === 'error' && r.v.startsWith('NOAUTH'))) break;
    } catch (err) {
      if (String(err).includes('install Debian')) throw err;
      if (Date.now() > deadline) throw new Error(`redis-server did not start on port ${port}: ${output.slice(-500)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    kind: 'redis',
    port,
    stop: async () => {
      // exitCode stays null for a process killed by a signal: check signalCode too, or a second stop() waits forever.
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGKILL');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A client of a server being started on `port`, once it answers PING with a status. Before each
 * try `gone()` may name why waiting is pointless (the process exited); after `timeoutMs`,
 * `late()` gives the error text.
 */
export async function connectWhenUp(port: number, timeoutMs: number, gone: () => string | null, late: () => string): Promise<RespClient> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const why = gone();
    if (why !== null) throw new Error(why);
    try {
      const c = await RespClient.connect(port);
      if ((await c.call('PING')).t === 'simple') return c;
      c.close();
    } catch {
      if (Date.now() > deadline) throw new Error(late());
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startEngine(directives: Record<string, string> = {}): Promise<TestServer> {
  const config = new Config();
  // Its own directory, as for redis-server: SAVE, DEBUG RELOAD and SHUTDOWN write dump.rdb there.
  const dir = directives['dir'] ?? mkdtempSync(join(tmpdir(), 'redscope-engine-'));
  for (const [k, v] of Object.entries({ ...BASE, ...directives, dir })) {
    if (k === 'appendonly' || k === 'save') {
      if (config.lookup(k)) config.setMany([[k, v]], { runtime: false });
      continue;
    }
    config.setMany([[k, v]], { runtime: false });
  }
  const engine = new Engine(config);
  const server = new EngineServer(engine);
  const port = await server.listen({ port: 0, host: '127.0.0.1' });
  const stop = async (): Promise<void> => {
    await server.close();
    if (directives['dir'] === undefined) rmSync(dir, { recursive: true, force: true });
  };
  return { kind: 'engine', port, engine, stop };
}
