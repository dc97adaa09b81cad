// Drives the real `redscope` binary inside a detached tmux session, as a user at a terminal would:
// start it at a fixed size, send keys, resize, and read the screen with capture-pane. Each session
// has its own tmux server (-L redscope-test-<pid>-<n>), killed by stop().

import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BIN } from '../helpers/cli.js';

const run = promisify(execFile);
let sessions = 0;

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export class TmuxSession {
  readonly socket = `redscope-test-${process.pid}-${sessions++}`;

  /** Starts `redscope <args>`; the pane prints EXIT=<status> when it ends and stays open. */
  async start(args: string[], opts: { width?: number; height?: number; env?: Record<string, string> } = {}): Promise<void> {
    const env = { LANG: 'C.UTF-8', REDIS_URL: '', ...opts.env };
    const vars = Object.entries(env).map(([k, v]) => `${k}=${quote(v)}`);
    const command = `env ${vars.join(' ')} ${quote(process.execPath)} ${quote(BIN)} ${args.map(quote).join(' ')}; echo EXIT=$?; sleep 600`;
    await this.tmux('new-session', '-d', '-x', String(opts.width ?? 160), '-y', String(opts.height ?? 48), command);
  }

  async capture(): Promise<string> {
    return (await this.tmux('capture-pane', '-p')).stdout;
  }

  /** Polls the screen until `test` holds; fails with the last screen after `timeoutMs`. */
  async waitFor(test: (screen: string) => boolean, what: string, timeoutMs = 25_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let screen = '';
    for (;;) {
      screen = await this.capture().catch(() => '');
      if (test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; screen was:\n${screen}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  async keys(...keys: string[]): Promise<void> {
    await this.tmux('send-keys', ...keys);
  }

  async resize(width: number, height: number): Promise<void> {
    await this.tmux('resize-window', '-x', String(width), '-y', String(height));
  }

  /** Kills this session's tmux server and removes its socket file. */
  async stop(): Promise<void> {
    await this.tmux('kill-server').catch(() => undefined);
    const uid = process.getuid?.() ?? 0;
    rmSync(join(process.env['TMUX_TMPDIR'] ?? tmpdir(), `tmux-${uid}`, this.socket), { force: true });
  }

  private tmux(...args: string[]): Promise<{ stdout: string; stderr: string }> {
    return run('tmux', ['-L', this.socket, ...args], { timeout: 10_000 });
  }
}
