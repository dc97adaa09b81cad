// `redscope server` as a process: starts, logs like redis-server, serves redis-cli, accepts
// redis.conf directives as flags and from --config, refuses bad ones, exits cleanly on signals.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/cli.js';
import { freePort } from '../helpers/servers.js';

function startServer(args: string[]) {
  // In a directory of its own: the default save points write dump.rdb on shutdown, as redis-server does.
  const cwd = mkdtempSync(join(tmpdir(), 'redscope-server-'));
  const p = spawn(process.execPath, [BIN, 'server', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  p.stdout.on('data', (d) => (out += d));
  p.stderr.on('data', (d) => (out += d));
  const ready = new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`server not ready: ${out}`)), 10_000);
    const check = () => {
      if (out.includes('Ready to accept connections')) {
        clearTimeout(t);
        resolve();
      }
    };
    p.stdout.on('data', check);
    p.on('exit', () => reject(new Error(`server exited: ${out}`)));
  });
  const exited = new Promise<number | null>((r) => p.on('exit', (code) => r(code)));
  return { p, ready, exited, output: () => out };
}

function cli(port: number, ...args: string[]): string {
  return execFileSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8' }).trim();
}

describe('redscope server', () => {
  it('serves redis-cli and exits 0 on SIGTERM with redis-style logs', async () => {
    const port = await freePort();
    const s = startServer(['--port', String(port), '--save', '', '--maxclients', '77']);
    await s.ready;
    expect(cli(port, 'PING')).toBe('PONG');
    expect(s.output()).toMatch(/^\d+:M \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2}\.\d{3} \* /m);
    s.p.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    expect(s.output()).toMatch(/SIGTERM/);
  });

  it('exits 0 on SIGINT', async () => {
    const port = await freePort();
    const s = startServer(['--port', String(port)]);
    await s.ready;
    s.p.kill('SIGINT');
    expect(await s.exited).toBe(0);
  });

  it('reads --config files and requirepass', async () => {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'redscope-conf-'));
    const conf = join(dir, 'r.conf');
    writeFileSync(conf, `# test config\nport ${port}\nrequirepass "pw 1"\nhz 20\n`);
    const s = startServer(['--config', conf]);
    await s.ready;
    expect(cli(port, 'PING')).toMatch(/NOAUTH/);
    expect(cli(port, '-a', 'pw 1', '--no-auth-warning', 'PING')).toBe('PONG');
    s.p.kill('SIGTERM');
    await s.exited;
  });

  it('ACL users from user lines in the config file and from --user', async () => {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'redscope-srv-'));
    const conf = join(dir, 'u.conf');
    writeFileSync(conf, `port ${port}\nuser alice on >alicepw ~app:* +@read +@string\nuser default off\n`);
    const s = startServer(['--config', conf, '--user', 'bob on nopass ~* +@all']);
    await s.ready;
    expect(cli(port, 'PING')).toMatch(/NOAUTH/);
    expect(cli(port, '--user', 'alice', '--pass', 'alicepw', '--no-auth-warning', 'SET', 'app:1', 'x')).toBe('OK');
    expect(cli(port, '--user', 'alice', '--pass', 'alicepw', '--no-auth-warning', 'SET', 'other', 'x')).toMatch(/NOPERM/);
    expect(cli(port, '--user', 'bob', '--pass', 'any', '--no-auth-warning', 'ACL', 'USERS')).toBe('alice\nbob\ndefault');
    s.p.kill('SIGTERM');
    await s.exited;
    const bad = await runCli(['server', '--port', String(port), '--user', 'carol on (+get']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^redscope: error in user declaration 'carol': Unmatched parenthesis.*Exiting\.\n$/);
    const both = await runCli(['server', '--port', String(port), '--user', 'dave on', '--aclfile', join(dir, 'x.acl')]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/both in the configuration .* and in an aclfile/);
  });

  it('refuses an unknown directive or a bad value with one line, exit 2', async () => {
    const bad = await runCli(['server', '--no-such-thing', 'x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("redscope: bad directive --no-such-thing: Unknown option or number of arguments for CONFIG SET - 'no-such-thing'\n");
    const value = await runCli(['server', '--maxmemory-policy', 'sometimes']);
    expect(value.code).toBe(2);
    expect(value.stderr).toMatch(/^redscope: bad directive --maxmemory-policy: .*must be one of the following/);
    const missing = await runCli(['server', '--config', '/nonexistent/redis.conf']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^redscope: cannot use config file: .*no such file/i);
  });

  it('reports a port in use', async () => {
    const port = await freePort();
    const first = startServer(['--port', String(port)]);
    await first.ready;
    const second = await runCli(['server', '--port', String(port)]);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/address already in use/);
    first.p.kill('SIGTERM');
    await first.exited;
  });
});
