// A sliding window over one file, read with fs.readSync at explicit positions, so an AOF of any
// size is read with memory bounded by the window (64 KiB unless one argument needs more). The
// file's size is taken once when it is opened: a log that a live server keeps appending to is read
// as the snapshot it was at that moment, and a length field can be checked against the bytes that
// exist before anything is allocated for it. Nothing is ever written.

import { readSync } from 'node:fs';

export const DEFAULT_WINDOW = 64 * 1024;

export class FileWindow {
  /** Bytes [start, start + filled) of the file are in buf[0, filled). */
  buf: Buffer;
  start = 0;
  filled = 0;

  constructor(
    private readonly fd: number,
    /** The file's size when opened: nothing past it is read. */
    public size: number,
    private readonly windowBytes = DEFAULT_WINDOW,
  ) {
    this.buf = Buffer.allocUnsafe(Math.max(16, Math.min(windowBytes, size)));
  }

  /** Bytes of the file from `pos` to its end. */
  remaining(pos: number): number {
    return Math.max(0, this.size - pos);
  }

  /**
   * Makes file bytes [pos, pos + n) present in buf, as far as the file has them, and returns the
   * index of `pos` in buf. Callers check `remaining(pos)` first when n comes from the file, so a
   * huge length never reaches here.
   */
  ensure(pos: number, n: number): number {
    const want = Math.min(n, this.remaining(pos));
    if (pos >= this.start && pos + want <= this.start + this.filled) return pos - this.start;
    const keepFrom = pos >= this.start && pos <= this.start + this.filled ? pos - this.start : -1;
    const keep = keepFrom >= 0 ? this.filled - keepFrom : 0;
    let next = this.buf;
    if (want > this.buf.length || (this.buf.length > this.windowBytes * 4 && want <= this.windowBytes)) {
      // Grow for a long argument; shrink back once arguments are small again.
      next = Buffer.allocUnsafe(Math.max(want, Math.min(this.windowBytes, this.size)));
    }
    if (keep > 0) this.buf.copy(next, 0, keepFrom, this.filled);
    this.buf = next;
    this.filled = keep;
    this.start = pos;
    const target = Math.min(this.buf.length, this.remaining(pos));
    while (this.filled < target) {
      const got = readSync(this.fd, this.buf, this.filled, target - this.filled, this.start + this.filled);
      if (got === 0) {
        this.size = this.start + this.filled; // the file shrank under us: its end is here
        break;
      }
      this.filled += got;
    }
    return 0;
  }

  /** Bytes present from `pos` (after ensure). */
  available(pos: number): number {
    return this.start + this.filled - pos;
  }
}
