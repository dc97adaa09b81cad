// The reader's view of the file: one Buffer window refilled from a ByteSource, plus the RDB's
// fixed-size fields (length encodings, little-endian integers and doubles).
//
// Why a window: parsing is synchronous over bytes already in memory (no promise per field, no
// per-byte calls into the source), and memory stays at one chunk (1 MiB: small enough to stay in
// the CPU cache while it is parsed and checksummed) unless a single value needs more contiguous
// bytes; the window then grows to that value's size and shrinks back after.
// Before any growth the requested size is checked against what the source has left (when it
// knows its size), so a corrupt 2^60 length fails cleanly instead of allocating; without a known
// size the window grows only as fast as real bytes arrive.
//
// The CRC64 is fed lazily with whole ranges of consumed bytes each time the window is compacted
// or skipped past, so checksum verification costs one tight loop per chunk, not per field.

import { Crc64 } from './crc64.js';
import type { ByteSource } from './byte-source.js';

export const DEFAULT_CHUNK = 1024 * 1024;

/** Raised through `fail`; the reader decides the message context (file, key, type). */
export type FailFn = (problem: string, offset: number) => never;

export class ByteWindow {
  buf: Buffer;
  /** Next byte to consume, and one past the last valid byte, as indexes into `buf`. */
  pos = 0;
  end = 0;
  /** File offset of buf[0]. */
  base = 0;
  /** Index in `buf` up to which bytes have gone into the CRC. */
  private crcFrom = 0;
  readonly crc: Crc64 | null;
  private readonly chunk: number;

  constructor(
    private readonly source: ByteSource,
    private readonly fail: FailFn,
    verifyCrc: boolean,
    private readonly onProgress?: (bytes: number) => void,
    chunk = DEFAULT_CHUNK,
  ) {
    this.chunk = chunk;
    // Unknown size (a pipe): start at 1 MiB, reads from a pipe come in far smaller pieces anyway.
    this.buf = Buffer.allocUnsafe(source.size !== null ? Math.max(64, Math.min(chunk, source.size + 16)) : Math.min(chunk, 1 << 20));
    this.crc = verifyCrc ? new Crc64() : null;
  }

  /** File offset of the next byte. */
  offset(): number {
    return this.base + this.pos;
  }

  /** Bytes left in the source after the next byte, when the source knows its size. */
  remaining(): number | null {
    const size = this.source.size;
    return size === null ? null : size - (this.base + this.pos);
  }

  /** Makes sure n bytes are readable at buf[pos..]; fails with "unexpected end of file" otherwise. */
  need(n: number): void {
    if (this.end - this.pos < n) this.fill(n);
  }

  private fill(n: number): void {
    const size = this.source.size;
    if (size !== null && this.base + this.pos + n > size) this.fail('unexpected end of file', size);
    if (this.crc !== null && this.pos > this.crcFrom) this.crc.update(this.buf, this.crcFrom, this.pos);
    const keep = this.end - this.pos;
    if (this.buf.length > this.chunk && n <= this.chunk && keep <= this.chunk) {
      // A big value made the window grow; go back to one chunk now that it is consumed.
      const small = Buffer.allocUnsafe(this.chunk);
      this.buf.copy(small, 0, this.pos, this.end);
      this.buf = small;
    } else if (this.pos > 0) {
      this.buf.copyWithin(0, this.pos, this.end);
    }
    this.base += this.pos;
    this.pos = 0;
    this.end = keep;
    this.crcFrom = 0;
    while (this.end < n) {
      if (this.end === this.buf.length) {
        // Known size: n was checked above. Unknown size: double, so allocation tracks real data.
        const want = size !== null ? n : Math.min(n, this.buf.length * 2);
        const bigger = Buffer.allocUnsafe(Math.max(want, this.buf.length));
        this.buf.copy(bigger, 0, 0, this.end);
        this.buf = bigger;
      }
      const got = this.source.read(this.buf, this.end, this.buf.length - this.end);
      if (got <= 0) this.fail('unexpected end of file', this.base + this.end);
      this.end += got;
    }
    if (this.onProgress) this.onProgress(this.base);
  }

  /** Consumes n bytes without needing them contiguous (large values skipped in stats mode). */
  skip(n: number): void {
    if (this.end - this.pos >= n) {
      this.pos += n;
      return;
    }
    const size = this.source.size;
    if (size !== null && this.base + this.pos + n > size) this.fail('unexpected end of file', size);
    let left = n - (this.end - this.pos);
    if (this.crc !== null && this.end > this.crcFrom) this.crc.update(this.buf, this.crcFrom, this.end);
    this.base += this.end;
    this.pos = this.end = this.crcFrom = 0;
    if (this.buf.length > this.chunk) this.buf = Buffer.allocUnsafe(this.chunk);
    while (left > 0) {
      const got = this.source.read(this.buf, 0, this.buf.length);
      if (got <= 0) this.fail('unexpected end of file', this.base);
      if (got <= left) {
        if (this.crc !== null) this.crc.update(this.buf, 0, got);
        this.base += got;
        left -= got;
      } else {
        this.end = got;
        this.pos = left;
        left = 0;
      }
    }
    if (this.onProgress) this.onProgress(this.base + this.pos);
  }

  /** Feeds everything consumed so far into the CRC (before reading the trailer). */
  settleCrc(): void {
    if (this.crc !== null && this.pos > this.crcFrom) this.crc.update(this.buf, this.crcFrom, this.pos);
    this.crcFrom = this.pos;
  }

  /** Reads and discards the rest of the source; returns how many bytes there were. */
  drain(): number {
    let n = this.end - this.pos;
    this.base += this.end;
    this.pos = this.end = this.crcFrom = 0;
    const size = this.source.size;
    if (size !== null) return n + Math.max(0, size - this.base);
    for (;;) {
      const got = this.source.read(this.buf, 0, this.buf.length);
      if (got <= 0) return n;
      n += got;
    }
  }

  u8(): number {
    if (this.pos >= this.end) this.fill(1);
    return this.buf[this.pos++]!;
  }

  /**
   * An RDB length (6-bit, 14-bit, 32-bit or 64-bit big-endian form). A 64-bit length beyond 2^53
   * comes back rounded: every caller either compares it against the bytes left or needs it exact
   * (stream IDs), in which case it calls `lenText`.
   */
  len(): number {
    if (this.pos >= this.end) this.fill(1);
    const c = this.buf[this.pos]!;
    switch (c >> 6) {
      case 0:
        this.pos += 1;
        return c;
      case 1:
        this.need(2);
        this.pos += 2;
        return ((c & 0x3f) << 8) | this.buf[this.pos - 1]!;
      case 2:
        if (c === 0x80) {
          this.need(5);
          const v = this.buf.readUInt32BE(this.pos + 1);
          this.pos += 5;
          return v;
        }
        if (c === 0x81) {
          this.need(9);
          const v = this.buf.readUInt32BE(this.pos + 1) * 4294967296 + this.buf.readUInt32BE(this.pos + 5);
          this.pos += 9;
          return v;
        }
        return this.fail(`invalid length encoding byte 0x${c.toString(16)}`, this.offset());
      default:
        return this.fail(`expected a length, found string encoding byte 0x${c.toString(16)}`, this.offset());
    }
  }

  /** An RDB length as exact decimal text (64-bit values beyond 2^53 included). */
  lenText(): string {
    this.need(1);
    if (this.buf[this.pos] === 0x81) {
      this.need(9);
      const v = this.buf.readBigUInt64BE(this.pos + 1);
      this.pos += 9;
      return v.toString();
    }
    return String(this.len());
  }

  /** 8-byte little-endian signed integer (millisecond times); exact up to 2^53. */
  i64le(): number {
    this.need(8);
    const lo = this.buf.readUInt32LE(this.pos);
    const hi = this.buf.readInt32LE(this.pos + 4);
    this.pos += 8;
    return hi * 4294967296 + lo;
  }

  i32le(): number {
    this.need(4);
    const v = this.buf.readInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  f64le(): number {
    this.need(8);
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  /** 16-byte big-endian stream ID (ms, seq) as decimal texts. */
  streamId(): { ms: string; seq: string } {
    this.need(16);
    const ms = this.buf.readBigUInt64BE(this.pos).toString();
    const seq = this.buf.readBigUInt64BE(this.pos + 8).toString();
    this.pos += 16;
    return { ms, seq };
  }
}
