// `redscope aof` end to end on the append-only directory of a real redis-server 7.0: layout,
// command histogram, keys touched per database, MULTI/EXEC, and a truncated copy with the first
// problem and what Redis would do under aof-load-truncated yes|no. The input is never modified.
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { RespClient } from '../helpers/resp-client.js';
import { startRedis, type TestServer } from '../helpers/servers.js';

let redis: TestServer;
let work: string;
let dir: string;

function digest(d: string): string {
  const h = createHash('sha256');
  for (const f of readdirSync(d).sort()) h.update(f).update(readFileSync(join(d, f)));
  return h.digest('hex');
}

beforeAll(async () => {
  redis = await startRedis({ appendonly: 'yes', appendfsync: 'always', 'aof-use-rdb-preamble': 'yes' });
  const c = await RespClient.connect(redis.port);
  const cmds = [['SET', 'a', '1'], ['SET', 'b', '2'], ['INCR', 'a'], ['MULTI'], ['SET', 'c', '3'], ['LPUSH', 'l', 'x'], ['EXEC'], ['SELECT', '2'], ['HSET', 'h', 'f', 'v']];
  for (const cmd of cmds) await c.call(...cmd);
  const r = await c.call('CONFIG', 'GET', 'dir');
  const serverDir = r.t === 'array' && r.v[1]!.t === 'bulk' ? r.v[1]!.v : '';
  c.close();
  await new Promise((res) => setTimeout(res, 200));
  work = mkdtempSync(join(tmpdir(), 'redscope-aof-cli-'));
  dir = join(work, 'appendonlydir');
  cpSync(join(serverDir, 'appendonlydir'), dir, { recursive: true });
}, 30_000);

afterAll(async () => {
  await redis?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('redscope aof', () => {
  it('--json: files, command histogram, keys per db, MULTI/EXEC, no problem', async () => {
    const before = digest(dir);
    const r = await runCli(['aof', dir, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.input).toBe('directory');
    expect(out.files.map((f: { name: string; type: string }) => [f.name, f.type])).toEqual([
      ['appendonly.aof.1.base.rdb', 'base'],
      ['appendonly.aof.1.incr.aof', 'incr'],
    ]);
    expect(out.files[0]).toMatchObject({ format: 'rdb', size: statSync(join(dir, 'appendonly.aof.1.base.rdb')).size });
    expect(out.commands).toEqual({ SELECT: 2, SET: 3, EXEC: 1, HSET: 1, INCR: 1, LPUSH: 1, MULTI: 1 });
    expect(out.totalCommands).toBe(10);
    expect(out.keysTouched).toEqual([
      { db: 0, commands: 8, keys: 4, approximate: false },
      { db: 2, commands: 2, keys: 1, approximate: false },
    ]);
    expect(out.transactions).toMatchObject({ count: 1, commands: 2 });
    expect(out.rdb).toMatchObject({ rdbVersion: 10, totals: { keys: 0 } });
    expect(out.problem).toBeNull();
    expect(out.ok).toBe(true);
    expect(digest(dir)).toBe(before);
  });

  it('a truncated tail: the problem, and what Redis does under aof-load-truncated yes|no', async () => {
    const cut = join(work, 'cut');
    cpSync(dir, cut, { recursive: true });
    const incr = join(cut, 'appendonly.aof.1.incr.aof');
    const size = statSync(incr).size;
    truncateSync(incr, size - 5);
    const before = digest(cut);
    const r = await runCli(['aof', cut, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.ok).toBe(false);
    expect(out.problem).toMatchObject({ file: 'appendonly.aof.1.incr.aof', cause: 'truncated', lastFile: true });
    expect(out.problem.loadTruncatedYes).toEqual({ starts: true, truncatesAt: out.problem.validUpTo });
    expect(out.problem.loadTruncatedNo.starts).toBe(false);
    expect(out.commands.HSET).toBeUndefined(); // the cut command is not counted
    expect(digest(cut)).toBe(before);

    const text = await runCli(['aof', cut]);
    expect(text.stdout).toContain('Verdict');
    expect(text.stdout).toMatch(/with aof-load-truncated yes Redis 7\.0 truncates appendonly\.aof\.1\.incr\.aof to \d+ bytes and starts; with no it refuses to start/);
    expect(text.stdout).toMatch(/appendonly\.aof\.1\.incr\.aof +incr +1 /);
  });

  it('text output lists layout, commands and keys', async () => {
    const r = await runCli(['aof', dir]);
    expect(r.code).toBe(0);
    for (const h of ['Files', 'Commands (10)', 'Keys touched per database', 'MULTI/EXEC', 'Verdict']) expect(r.stdout).toContain(h);
    expect(r.stdout).toContain('OK: every file reads to its end');
  });

  it('fails in one line on a missing path or a directory without a manifest (exit 2)', async () => {
    const missing = await runCli(['aof', join(work, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.split('\n')).toHaveLength(2);
    expect(missing.stderr).toMatch(/^redscope: .*nope: /);
    const empty = mkdtempSync(join(work, 'empty-'));
    const r = await runCli(['aof', empty]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no AOF manifest/);
  });
});
