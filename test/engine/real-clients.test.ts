// Real client programs against the engine, as users will point them at it: ioredis (the
// toolkit's own client, with its INFO ready check), redis-cli (one-shot and --pipe mass
// insertion with its ECHO trailer) and redis-benchmark's default suite (inline and multibulk
// PING, every data-type family, no error replies). Each is also run against a real
// redis-server where the outputs are comparable.
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startEngine, startRedis, type TestServer } from '../helpers/servers.js';
import { encodeCommand } from '../helpers/resp-client.js';

const run = promisify(execFile);

let engine: TestServer;
let redis: TestServer;
beforeAll(async () => {
  [engine, redis] = await Promise.all([startEngine(), startRedis()]);
});
afterAll(async () => {
  await Promise.all([engine?.stop(), redis?.stop()]);
});

/** Runs a program with stdin, resolving with its exit code and output. */
function runWithInput(cmd: string, args: string[], input: Buffer): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
    p.stdin.end(input);
  });
}

describe('ioredis', () => {
  it('connects with its default ready check and runs commands, pipelines and binary values', async () => {
    const warn = vi.spyOn(console, 'warn');
    const client = new Redis({ port: engine.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await client.connect();
      expect(client.status).toBe('ready');
      expect(await client.ping()).toBe('PONG');
      expect(await client.set('io:k', 'v1')).toBe('OK');
      expect(await client.get('io:k')).toBe('v1');
      expect(await client.get('io:missing')).toBeNull();
      const bin = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      await client.set(bin, bin);
      expect((await client.getBuffer(bin))!.equals(bin)).toBe(true);

      const pipe = client.pipeline();
      for (let i = 0; i < 500; i++) pipe.set(`io:p:${i}`, String(i));
      for (let i = 0; i < 500; i++) pipe.get(`io:p:${i}`);
      const results = (await pipe.exec())!;
      expect(results.length).toBe(1000);
      expect(results.every(([err]) => err === null)).toBe(true);
      expect(results.slice(500).map(([, v]) => v)).toEqual(Array.from({ length: 500 }, (_, i) => String(i)));

      const multi = await client.multi().set('io:m', '1').incr('io:m').get('io:m').exec();
      expect(multi).toEqual([
        [null, 'OK'],
        [null, 2],
        [null, '2'],
      ]);
      await expect(client.call('NOSUCHCOMMAND')).rejects.toThrow(/unknown command/);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
      client.disconnect();
    }
  });

  it('reconnects after the server drops the connection (CLIENT KILL-like close)', async () => {
    const client = new Redis({ port: engine.port, host: '127.0.0.1', lazyConnect: true });
    try {
      await client.connect();
      expect(await client.ping()).toBe('PONG');
      for (const c of engine.engine!.clients.values()) c.kill(false);
      await new Promise((r) => setTimeout(r, 200));
      expect(await client.ping()).toBe('PONG');
    } finally {
      client.disconnect();
    }
  });
});

describe('redis-cli', () => {
  it('runs one-shot commands', async () => {
    const { stdout } = await run('redis-cli', ['-p', String(engine.port), 'PING']);
    expect(stdout).toBe('PONG\n');
    const echo = await run('redis-cli', ['-p', String(engine.port), 'ECHO', 'hello world']);
    expect(echo.stdout).toBe('hello world\n');
  });

  it('--pipe mass insertion finishes with its ECHO trailer and reports the same counts as Redis', async () => {
    const cmds: Buffer[] = [];
    for (let i = 0; i < 20_000; i++) cmds.push(encodeCommand(['SET', `pipe:${i}`, `value-${i}`]));
    cmds.push(encodeCommand(['NOSUCHCOMMAND'])); // one error, counted by --pipe
    const input = Buffer.concat(cmds);
    const [e, r] = await Promise.all([
      runWithInput('redis-cli', ['-p', String(engine.port), '--pipe'], input),
      runWithInput('redis-cli', ['-p', String(redis.port), '--pipe'], input),
    ]);
    expect(e.code).toBe(r.code);
    const summary = (s: string) => s.split('\n').find((l) => l.startsWith('errors:'));
    expect(summary(e.stdout)).toBe('errors: 1, replies: 20001');
    expect(summary(e.stdout)).toBe(summary(r.stdout));
    const { stdout } = await run('redis-cli', ['-p', String(engine.port), 'GET', 'pipe:19999']);
    expect(stdout).toBe('value-19999\n');
  });
});

describe('redis-benchmark', () => {
  /** Parses --csv output: test name -> requests per second. */
  function rates(csv: string): Map<string, number> {
    const out = new Map<string, number>();
    for (const line of csv.split('\n')) {
      const m = /^"([^"]+)","([\d.]+)"/.exec(line);
      if (m) out.set(m[1]!, Number(m[2]));
    }
    return out;
  }

  it('PING_INLINE and PING_MBULK run without errors', async () => {
    const { stdout, stderr } = await run('redis-benchmark', ['-p', String(engine.port), '-q', '-n', '2000', '-c', '10', '-t', 'ping', '--csv'], { timeout: 60_000 });
    const r = rates(stdout);
    expect([...r.keys()]).toEqual(['PING_INLINE', 'PING_MBULK']);
    for (const v of r.values()) expect(v).toBeGreaterThan(0);
    expect(stdout + stderr).not.toMatch(/Error from server/);
  });

  it('the default suite runs every test with a positive rate and no error replies', async () => {
    const args = ['-q', '-n', '2000', '-c', '10', '--csv'];
    const [e, r] = await Promise.all([
      run('redis-benchmark', ['-p', String(engine.port), ...args], { timeout: 120_000 }),
      run('redis-benchmark', ['-p', String(redis.port), ...args], { timeout: 120_000 }),
    ]);
    expect(e.stdout + e.stderr).not.toMatch(/Error from server|WARNING/);
    const er = rates(e.stdout);
    expect([...er.keys()]).toEqual([...rates(r.stdout).keys()]);
    expect(er.size).toBeGreaterThanOrEqual(20);
    for (const [name, v] of er) expect(v, name).toBeGreaterThan(0);
  }, 120_000);
});
