// `redscope check` end to end against real Redis 7.0: a fixture RDB is loaded by a real
// redis-server at startup, whose INFO gives used_memory / used_memory_dataset; the built CLI's
// file-mode projection must land within 5% of both; limits one byte either side of the projection
// flip the verdict and the exit code; JUnit output is well-formed XML with one <failure> per failed
// check; a malformed budget names its field; live mode on the same server agrees with file mode.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { RespClient } from '../helpers/resp-client.js';
import { freePort } from '../helpers/servers.js';
import { parseXml, type XmlElement } from './xml.js';

const FIXTURE = join(import.meta.dirname, '..', '..', 'fixtures', 'rdb', 'all-types.rdb');

let work: string;
let rdb: string;
let server: ChildProcess | undefined;
let aofServer: ChildProcess | undefined;
let port = 0;
const info: Record<string, number> = {};

/** Starts redis-server with these arguments and returns INFO memory + keyspace, read first and alone. */
async function loadInto(args: string[]): Promise<{ proc: ChildProcess; port: number; info: Record<string, number> }> {
  const p = await freePort();
  const proc = spawn('redis-server', ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--daemonize', 'no', '--logfile', '', ...args], { stdio: 'ignore' });
  const out: Record<string, number> = {};
  for (let i = 0; i < 200 && out['used_memory'] === undefined; i++) {
    try {
      const c = await RespClient.connect(p);
      // INFO first and alone: each command run adds a latency histogram to the dataset figure.
      const r = await c.call('INFO');
      c.close();
      const text = r.t === 'bulk' ? r.v : '';
      if (!/used_memory:/.test(text) || /loading:1/.test(text)) throw new Error('loading');
      for (const m of text.matchAll(/^(used_memory\w*):(\d+)\r?$/gm)) out[m[1]!] = Number(m[2]);
      let keys = 0;
      for (const m of text.matchAll(/^db\d+:keys=(\d+)/gm)) keys += Number(m[1]);
      out['keys'] = keys;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  if (out['used_memory'] === undefined) {
    proc.kill('SIGKILL');
    throw new Error(`redis-server did not load (${args.join(' ')})`);
  }
  return { proc, port: p, info: out };
}

async function stop(proc: ChildProcess | undefined): Promise<void> {
  if (!proc || proc.exitCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGKILL');
  await exited;
}

interface CheckJson {
  ok: boolean;
  projected: { usedMemoryBytes: number; datasetBytes: number };
  checks: Array<{ id: string; ok: boolean; skipped: boolean; value: unknown; message: string }>;
}

function budget(name: string, doc: unknown): string {
  const path = join(work, name);
  writeFileSync(path, JSON.stringify(doc));
  return path;
}

async function check(args: string[]): Promise<{ code: number | null; json: CheckJson; stderr: string }> {
  const r = await runCli(['check', ...args, '--format', 'json'], { timeoutMs: 60_000 });
  return { code: r.code, json: r.stdout ? (JSON.parse(r.stdout) as CheckJson) : (null as unknown as CheckJson), stderr: r.stderr };
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'redscope-check-'));
  rdb = join(work, 'fixture.rdb');
  copyFileSync(FIXTURE, rdb);
  // The server loads the copy at startup (what Redis 7.0 makes of the file). startRedis() fixes its
  // own dir, so this one is spawned here, with dir and dbfilename pointing at the copy.
  const loaded = await loadInto(['--dir', work, '--dbfilename', 'fixture.rdb', '--appendonly', 'no']);
  server = loaded.proc;
  port = loaded.port;
  Object.assign(info, loaded.info);
}, 60_000);

afterAll(async () => {
  await stop(server);
  await stop(aofServer);
  rmSync(work, { recursive: true, force: true });
});

const within = (a: number, b: number, tol: number) => Math.abs(a - b) / b <= tol;

describe('redscope check --rdb against real Redis 7.0', () => {
  let projected = 0;

  it('projects used_memory and used_memory_dataset within 5%', async () => {
    const r = await check(['--budget', budget('plain.json', { memory: { growthFactor: 1 } }), '--rdb', rdb]);
    expect(r.code, r.stderr).toBe(0);
    projected = r.json.projected.usedMemoryBytes;
    const msg = `projected ${JSON.stringify(r.json.projected)}, redis ${JSON.stringify(info)}`;
    expect(within(projected, info['used_memory']!, 0.05), msg).toBe(true);
    expect(within(r.json.projected.datasetBytes, info['used_memory_dataset']!, 0.05), msg).toBe(true);
  });

  it('flips verdict and exit code one byte either side of the projection; --warn-only exits 0', async () => {
    const above = await check(['--budget', budget('above.yml', { memory: { limitBytes: projected } }), '--rdb', rdb]);
    expect(above.code).toBe(0);
    expect(above.json.checks[0]).toMatchObject({ id: 'memory.limit', ok: true });
    const belowBudget = budget('below.json', { memory: { limitBytes: projected - 1 } });
    const below = await check(['--budget', belowBudget, '--rdb', rdb]);
    expect(below.code).toBe(1);
    expect(below.json).toMatchObject({ ok: false, checks: [{ id: 'memory.limit', ok: false }] });
    expect((await runCli(['check', '--budget', belowBudget, '--rdb', rdb, '--warn-only'])).code).toBe(0);
  });

  it('writes JUnit XML with one failure per failed check', async () => {
    const b = budget('junit.json', {
      memory: { limitBytes: '1mb', minHeadroomPercent: 10 },
      keys: { maxKeyBytes: '100kb', maxElements: 100000, maxNoTtlPercent: 50 },
      prefixes: [{ match: 's:*', maxBytes: 1000 }],
      latency: { commands: { get: { p99Ms: 1 } } },
    });
    const json = await check(['--budget', b, '--rdb', rdb]);
    const failed = json.json.checks.filter((c) => !c.ok).map((c) => c.id);
    expect(failed.length).toBeGreaterThanOrEqual(3);
    const out = join(work, 'report.xml');
    const r = await runCli(['check', '--budget', b, '--rdb', rdb, '--format', 'junit', '--output', out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FAILED:'); // the text report still goes to the log
    const doc = parseXml(readFileSync(out, 'utf8'));
    expect(doc.name).toBe('testsuites');
    const cases = doc.children.flatMap((s: XmlElement) => s.children.filter((c) => c.name === 'testcase'));
    expect(cases.map((c) => c.attrs['name'])).toEqual(json.json.checks.map((c) => c.id));
    const withFailure = cases.filter((c) => c.children.some((x) => x.name === 'failure'));
    expect(withFailure.map((c) => c.attrs['name'])).toEqual(failed);
    expect(doc.attrs['failures']).toBe(String(failed.length));
    expect(cases.filter((c) => c.children.some((x) => x.name === 'skipped')).map((c) => c.attrs['name'])).toEqual(['latency.get.p99Ms']);
  });

  it('names the malformed field and exits 2', async () => {
    const bad = join(work, 'bad.yml');
    writeFileSync(bad, 'memory:\n  growthFactor: abc\n');
    const r = await runCli(['check', '--budget', bad, '--rdb', rdb]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('redscope: bad.yml: memory.growthFactor must be a number >= 1, got "abc"');
    const missing = await runCli(['check', '--budget', budget('ok.json', {}), '--rdb', join(work, 'nope.rdb')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.rdb: no such file');
  });

  it('live mode on the same server agrees with file mode', async () => {
    const b = budget('live.json', {
      memory: { limitBytes: '2mb', growthFactor: 1.3 },
      keys: { maxKeyBytes: '100kb', maxElements: 5000, maxNoTtlPercent: 50 },
      prefixes: [{ match: 'h:*', maxBytes: '30kb' }],
    });
    const file = await check(['--budget', b, '--rdb', rdb]);
    const live = await check(['--budget', b, '--url', `redis://127.0.0.1:${port}`]);
    expect(live.stderr).toBe('');
    const verdicts = (j: CheckJson) => j.checks.map((c) => [c.id, c.ok, c.skipped]);
    expect(verdicts(live.json)).toEqual(verdicts(file.json));
    expect(live.code).toBe(file.code);
    const msg = `file ${JSON.stringify(file.json.projected)} live ${JSON.stringify(live.json.projected)}`;
    expect(within(live.json.projected.usedMemoryBytes, file.json.projected.usedMemoryBytes, 0.05), msg).toBe(true);
    // Per-key figures: same biggest key, same prefix total (MEMORY USAGE vs the model).
    const value = (j: CheckJson, id: string) => j.checks.find((c) => c.id === id)!.value as number;
    for (const id of ['keys.maxKeyBytes', 'keys.maxElements', 'keys.maxNoTtlPercent', 'prefix:h:*']) expect(within(value(live.json, id), value(file.json, id), 0.05), id).toBe(true);
  });
});

describe('redscope check --aof against real Redis 7.0', () => {
  it('projects a multi-part AOF (RDB base + logged commands) as Redis loads it', async () => {
    const dir = join(work, 'aof');
    cpSync(join(import.meta.dirname, '..', '..', 'fixtures', 'aof', 'multipart'), join(dir, 'appendonlydir'), { recursive: true });
    const loaded = await loadInto(['--dir', dir, '--appendonly', 'yes', '--appenddirname', 'appendonlydir']);
    aofServer = loaded.proc;
    const r = await check(['--budget', budget('aof.json', { memory: { growthFactor: 1 }, keys: { maxKeys: 1000 } }), '--aof', join(dir, 'appendonlydir')]);
    expect(r.code, r.stderr).toBe(0);
    const msg = `projected ${JSON.stringify(r.json.projected)}, redis ${JSON.stringify(loaded.info)}`;
    expect(within(r.json.projected.usedMemoryBytes, loaded.info['used_memory']!, 0.05), msg).toBe(true);
    // Keys the log rewrites or deletes from the base are counted twice: never fewer than Redis has.
    const keys = r.json.checks.find((c) => c.id === 'keys.maxKeys')!.value as number;
    expect(keys).toBeGreaterThanOrEqual(loaded.info['keys']!);
    expect(keys).toBeLessThanOrEqual(loaded.info['keys']! + 5);
  });
});
