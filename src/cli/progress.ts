// The progress line long file passes show on a terminal: percent, a bar, bytes/s, keys/s and the
// time left, redrawn at most ten times a second on stderr so stdout stays clean for the report.
// It is silent when stderr is not a terminal and with machine output (--json, --ndjson, --csv),
// and draws without colour when NO_COLOR is set (https://no-color.org).

import { formatBytes } from '../common/format.js';

export interface Progress {
  /** Bytes consumed so far and keys (or commands) seen so far. */
  update(bytes: number, items: number): void;
  /** Erases the line (call before printing the report, and on errors). */
  done(): void;
}

export interface ProgressOptions {
  /** Total bytes when known (a file's size), for percent and ETA. */
  total: number | null;
  /** "keys" or "commands". */
  unit?: string;
  enabled: boolean;
  stream?: NodeJS.WriteStream;
  /** Clock in ms (tests pass their own). */
  now?: () => number;
}

const SILENT: Progress = { update() {}, done() {} };

/** Whether a progress line belongs on this run: a terminal on stderr and human output. */
export function progressWanted(machineOutput: boolean, stream: NodeJS.WriteStream = process.stderr): boolean {
  return !machineOutput && stream.isTTY === true;
}

function clock(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** The line for a state (exported for tests). */
export function progressLine(bytes: number, items: number, total: number | null, elapsedMs: number, unit: string, width: number, color: boolean): string {
  const secs = Math.max(elapsedMs / 1000, 0.001);
  const rate = bytes / secs;
  const perSec = Math.round(items / secs).toLocaleString('en-US');
  const parts: string[] = [];
  if (total && total > 0) {
    const frac = Math.min(1, bytes / total);
    const barWidth = Math.max(10, Math.min(30, width - 70));
    const filled = Math.round(frac * barWidth);
    const bar = '#'.repeat(filled) + '-'.repeat(barWidth - filled);
    parts.push(`${(frac * 100).toFixed(1).padStart(5)}%`, color ? `\x1b[36m${bar}\x1b[0m` : bar);
    parts.push(`${formatBytes(bytes)}/${formatBytes(total)}`);
  } else parts.push(formatBytes(bytes));
  parts.push(`${formatBytes(Math.round(rate))}/s`, `${perSec} ${unit}/s`);
  if (total && total > 0) parts.push(`ETA ${clock((total - bytes) / Math.max(rate, 1))}`);
  return parts.join('  ');
}

export function createProgress(opts: ProgressOptions): Progress {
  if (!opts.enabled) return SILENT;
  const stream = opts.stream ?? process.stderr;
  const now = opts.now ?? Date.now;
  const color = !process.env.NO_COLOR;
  const start = now();
  let last = 0;
  let drawn = false;
  return {
    update(bytes, items) {
      const t = now();
      if (t - last < 100) return;
      last = t;
      const width = stream.columns ?? 80;
      const line = progressLine(bytes, items, opts.total, t - start, opts.unit ?? 'keys', width, color);
      stream.write(`\r${line.slice(0, width + (color ? 9 : 0) - 1)}\x1b[K`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}
