// `redscope info` end to end: findings from a real redis-server 7.0 with planted problems (a
// noeviction instance that rejected writes, DEBUG enabled), rates from two snapshots, --fail-on
// exit codes, several targets, --password-file, a renamed CONFIG (partial report), the one-line
// errors, and the bundled engine by default. Text output off a terminal has no escape codes.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { RespClient } from '../helpers/resp-client.js';
import { freePort, startRedis, type TestServer } from '../helpers/servers.js';

let full: TestServer;
let secured: TestServer;
let noConfig: TestServer;
let dir: string;
const url = (s: TestServer) => `redis://127.0.0.1:${s.port}`;

beforeAll(async () => {
  [full, secured, noConfig] = await Promise.all([
    startRedis({ maxmemory: '2mb', 'maxmemory-policy': 'noeviction' }),
    startRedis({ requirepass: 's3cret' }),
    startRedis({ 'rename-command': ['CONFIG', ''] }),
  ]);
  // Fill past maxmemory (DEBUG POPULATE ignores it), then a write is refused with OOM.
  const c = await RespClient.connect(full.port);
  await c.call('DEBUG', 'POPULATE', '20000', 'k', '100');
  const r = await c.call('SET', 'one-more', 'x');
  c.close();
  expect(r.t === 'error' && r.v.startsWith('OOM')).toBe(true);
  dir = mkdtempSync(join(tmpdir(), 'redscope-info-'));
});
afterAll(async () => {
  await Promise.all([full?.stop(), secured?.stop(), noConfig?.stop()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('redscope info', () => {
  it('finds the planted problems, with rates from two snapshots', async () => {
    const r = await runCli(['info', '--url', url(full), '--json', '--interval', '0.2']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.target).toBe(`127.0.0.1:${full.port}`);
    expect(out.intervalSeconds).toBeGreaterThan(0.1);
    const ids = out.findings.map((f: { id: string }) => f.id);
    expect(ids).toContain('memory-oom-rejections');
    expect(ids).toContain('security-debug-command');
    for (const f of out.findings) {
      expect(Object.keys(f)).toEqual(expect.arrayContaining(['id', 'severity', 'title', 'evidence', 'advice']));
      expect(['info', 'warning', 'critical']).toContain(f.severity);
    }
    // worst first
    const rank = { critical: 0, warning: 1, info: 2 } as Record<string, number>;
    const ranks = out.findings.map((f: { severity: string }) => rank[f.severity]);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });

  it('prints findings as plain text off a terminal, and --fail-on sets the exit code', async () => {
    const r = await runCli(['info', '--url', url(full), '--no-rates', '--fail-on', 'warning']);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(/\x1b\[/);
    expect(r.stdout).toMatch(/^127\.0\.0\.1:\d+ {2}redis 7\.0\.\d+ master, standalone/);
    expect(r.stdout).toMatch(/WARNING {2}.*\[security-debug-command\]/);
    expect(r.stdout).toMatch(/→ .*enable-debug-command/);
  });

  it('works on the bundled engine with no target given', async () => {
    const r = await runCli(['info', '--json', '--no-rates', '--fail-on', 'warning'], { env: { REDIS_URL: '' } });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.bundled).toBe(true);
    expect(Array.isArray(out.findings)).toBe(true);
    expect(out.findings.every((f: { severity: string }) => f.severity === 'info')).toBe(true);
  });

  it('gives a list for several targets, reads --password-file and --targets', async () => {
    const pw = join(dir, 'pw');
    writeFileSync(pw, 's3cret\n');
    const file = join(dir, 'targets.json');
    writeFileSync(file, JSON.stringify([{ name: 'plain', url: url(noConfig) }]));
    const r = await runCli(['info', '--url', url(secured), '--password-file', pw, '--targets', file, '--json', '--no-rates']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.map((x: { target: string }) => x.target)).toEqual([`127.0.0.1:${secured.port}`, 'plain']);
  });

  it('gives a partial report when CONFIG is renamed, saying what was not read', async () => {
    const r = await runCli(['info', '--url', url(noConfig), '--no-rates']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Partial report: could not read\n\s+- CONFIG is not available \(renamed or disabled\)/);
    const j = JSON.parse((await runCli(['info', '--url', url(noConfig), '--no-rates', '--json'])).stdout);
    expect(j.notRead.join('\n')).toMatch(/CONFIG/);
  });

  it('fails in one line with exit 2 on an unreachable host or a wrong password', async () => {
    const port = await freePort();
    const down = await runCli(['info', '--url', `redis://127.0.0.1:${port}`]);
    expect(down.code).toBe(2);
    expect(down.stderr).toBe(`redscope: cannot connect to 127.0.0.1:${port}: connection refused\n`);
    const wrong = await runCli(['info', '--url', `redis://:nope@127.0.0.1:${secured.port}`]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/^redscope: authentication failed for 127\.0\.0\.1:\d+: wrong user name or password\n$/);
    // several targets: the reachable one is still reported, the exit code says one failed
    const mixed = await runCli(['info', '--url', url(noConfig), '--url', `redis://127.0.0.1:${port}`, '--no-rates', '--json']);
    expect(mixed.code).toBe(2);
    const docs = JSON.parse(mixed.stdout);
    expect(docs[0].findings).toBeDefined();
    expect(docs[1].error).toMatch(/connection refused/);
    const bad = await runCli(['info', '--fail-on', 'sometimes']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--fail-on must be warning or critical/);
  });
});
