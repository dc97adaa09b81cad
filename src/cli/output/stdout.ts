// Writing large outputs (one line per key, possibly hundreds of millions) without a write call per
// line: lines gather in a buffer that goes out in 64 KiB pieces with a synchronous write, so the
// pass stays a plain loop and memory stays flat. Also the option parsers the file commands share.

import { writeSync } from 'node:fs';
import { UserError } from '../../common/errors.js';

const CHUNK = 64 * 1024;

export class OutputBuffer {
  private parts: string[] = [];
  private size = 0;
  private closed = false;

  constructor(private readonly fd = 1) {}

  line(s: string): void {
    this.text(s + '\n');
  }

  text(s: string): void {
    this.parts.push(s);
    this.size += s.length;
    if (this.size >= CHUNK) this.flush();
  }

  flush(): void {
    if (this.parts.length === 0 || this.closed) return;
    const data = Buffer.from(this.parts.join(''), 'utf8');
    this.parts = [];
    this.size = 0;
    let off = 0;
    while (off < data.length) {
      try {
        off += writeSync(this.fd, data, off);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') continue;
        if (code === 'EPIPE') {
          // The reader went away (| head): nothing more to say.
          this.closed = true;
          process.exit(0);
        }
        throw err;
      }
    }
  }
}

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3 };

/** A non-negative whole number (with k/m/g suffixes when `units`). */
export function parseCount(v: string, flag: string, units = false): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-zA-Z]*)$/.exec(v.trim());
  const mult = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || mult === undefined || (!units && m[2] !== '')) throw new UserError(`${flag} must be a whole number${units ? ' (k, m, g suffixes allowed)' : ''}, got '${v}'`);
  const n = Math.round(Number(m[1]) * mult);
  if (!Number.isSafeInteger(n)) throw new UserError(`${flag} is too large: '${v}'`);
  return n;
}

/** Unix milliseconds or an ISO date. */
export function parseTime(v: string, flag: string): number {
  if (/^\d+$/.test(v)) return Number(v);
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new UserError(`${flag} must be unix milliseconds or an ISO date, got '${v}'`);
  return t;
}
