// Runs the real tools on AOF files for the AOF reader's tests: redis-server started on a prepared
// directory (to see whether it loads, refuses, or truncates a file), and redis-check-aof. The
// server is killed as soon as it is ready or has exited; nothing is left running.

import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../helpers/servers.js';

export interface LoadOutcome {
  /** The server finished loading and accepted connections. */
  started: boolean;
  /** Its log (stdout). */
  log: string;
}

/** Starts redis-server with `dir` as its dir (appendonly yes) and reports whether it starts. */
export async function loadWithRedis(dir: string, directives: Record<string, string> = {}): Promise<LoadOutcome> {
  const port = await freePort();
  const all = { appendonly: 'yes', save: '', port: String(port), bind: '127.0.0.1', dir, daemonize: 'no', logfile: '', ...directives };
  const args = Object.entries(all).flatMap(([k, v]) => [`--${k}`, v]);
  const proc = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  return await new Promise<LoadOutcome>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`redis-server neither started nor exited: ${log.slice(-800)}`));
    }, 20_000);
    const onData = (d: Buffer): void => {
      log += d.toString();
      if (log.includes('Ready to accept connections')) {
        clearTimeout(timer);
        proc.once('exit', () => resolve({ started: true, log }));
        proc.kill('SIGKILL');
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    proc.once('exit', () => {
      clearTimeout(timer);
      resolve({ started: log.includes('Ready to accept connections'), log });
    });
  });
}

export interface CheckAofResult {
  status: number;
  output: string;
  /** From "AOF analyzed: filename=..., size=..., ok_up_to=..." lines, per file name. */
  okUpTo: Map<string, number>;
}

/** Runs redis-check-aof (never with --fix) on a file or manifest. */
export function checkAof(path: string): CheckAofResult {
  const r = spawnSync('redis-check-aof', [path], { encoding: 'latin1', timeout: 20_000 });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  const okUpTo = new Map<string, number>();
  for (const m of output.matchAll(/AOF analyzed: filename=(.*?), size=\d+, ok_up_to=(\d+)/g)) okUpTo.set(m[1]!, Number(m[2]));
  return { status: r.status ?? -1, output, okUpTo };
}

/** A fresh temp directory (callers remove it). */
export function tempDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `redscope-aof-${tag}-`));
}

/** Copies a directory tree to a fresh temp dir and returns the copy's path. */
export function copyTree(src: string, tag: string): string {
  const dst = tempDir(tag);
  cpSync(src, dst, { recursive: true });
  return dst;
}
