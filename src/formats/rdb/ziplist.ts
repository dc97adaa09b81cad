// Ziplist walker (read-only: lists, hashes and zsets written by Redis 2.6-6.2, and quicklist
// nodes of RDB type 14). Redis 7 converts every ziplist to a listpack on load and always checks
// it deeply while doing so; this walker checks the same things in place.
//
// Layout: <zlbytes u32 LE><zltail u32 LE><zllen u16 LE> entries 0xFF. An entry is
// <prevlen: 1 byte, or 0xFE + u32 LE><encoding><data>. String encodings carry a 6-bit, 14-bit
// (big-endian) or 32-bit (big-endian) length; integer encodings are int16/32/64/24/8 LE or an
// immediate 0..12 in the encoding byte. Every prevlen must equal the previous entry's size, the
// tail offset must point at the last entry, and the count must match unless it is 65535.

import { CorruptBlob, decimalLength, latin1, readInt64LE, type PackedCursor } from './packed-cursor.js';

const HEADER = 10;

export class ZiplistCursor implements PackedCursor {
  buf: Uint8Array = new Uint8Array(0);
  isInt = false;
  int = 0;
  big: bigint | null = null;
  strStart = 0;
  strLen = 0;
  textLen = 0;
  declaredCount = -1;
  seen = 0;
  private p = 0;
  private start = 0;
  private last = 0;
  private tail = 0;
  private prevSize = 0;
  private prevStart = -1;

  reset(buf: Uint8Array, start: number, size: number): this {
    this.buf = buf;
    this.start = start;
    if (size < HEADER + 1) throw new CorruptBlob(`ziplist of ${size} bytes is shorter than its header`, 0);
    const total = (buf[start]! | (buf[start + 1]! << 8) | (buf[start + 2]! << 16) | (buf[start + 3]! << 24)) >>> 0;
    if (total !== size) throw new CorruptBlob(`ziplist header says ${total} bytes but the string holds ${size}`, 0);
    if (buf[start + size - 1] !== 0xff) throw new CorruptBlob('ziplist does not end with its 0xFF terminator', size - 1);
    this.tail = (buf[start + 4]! | (buf[start + 5]! << 8) | (buf[start + 6]! << 16) | (buf[start + 7]! << 24)) >>> 0;
    if (this.tail > size - 1) throw new CorruptBlob(`ziplist tail offset ${this.tail} lies past the end`, 4);
    const count = buf[start + 8]! | (buf[start + 9]! << 8);
    this.declaredCount = count === 65535 ? -1 : count;
    this.p = start + HEADER;
    this.last = start + size - 1;
    this.seen = 0;
    this.prevSize = 0;
    this.prevStart = -1;
    return this;
  }

  private corrupt(problem: string, at: number): never {
    throw new CorruptBlob(`ziplist ${problem}`, at - this.start);
  }

  next(): boolean {
    const b = this.buf;
    const p = this.p;
    if (b[p] === 0xff) {
      if (p !== this.last) this.corrupt('terminator 0xFF found before the end of the blob', p);
      if (this.prevStart >= 0 && this.prevStart - this.start !== this.tail) {
        this.corrupt(`tail offset ${this.tail} does not point at the last entry`, p);
      }
      if (this.declaredCount >= 0 && this.seen !== this.declaredCount) {
        this.corrupt(`header announces ${this.declaredCount} entries but holds ${this.seen}`, p);
      }
      return false;
    }
    let q = p;
    let prevlen = b[q]!;
    if (prevlen === 0xfe) {
      if (q + 5 > this.last) this.corrupt('entry header runs past the end', p);
      prevlen = (b[q + 1]! | (b[q + 2]! << 8) | (b[q + 3]! << 16) | (b[q + 4]! << 24)) >>> 0;
      q += 5;
    } else q += 1;
    if (prevlen !== this.prevSize) this.corrupt(`entry prevlen ${prevlen} differs from the previous entry's ${this.prevSize} bytes`, p);
    if (q >= this.last) this.corrupt('entry header runs past the end', p);
    const c = b[q]!;
    let dataLen: number;
    const top = c >> 6;
    if (top < 3) {
      let len: number;
      if (top === 0) {
        len = c & 0x3f;
        q += 1;
      } else if (top === 1) {
        if (q + 2 > this.last) this.corrupt('entry header runs past the end', p);
        len = ((c & 0x3f) << 8) | b[q + 1]!;
        q += 2;
      } else {
        if (q + 5 > this.last) this.corrupt('entry header runs past the end', p);
        len = ((b[q + 1]! << 24) | (b[q + 2]! << 16) | (b[q + 3]! << 8) | b[q + 4]!) >>> 0;
        q += 5;
      }
      this.isInt = false;
      this.strStart = q;
      this.strLen = len;
      this.textLen = len;
      dataLen = len;
    } else {
      q += 1;
      this.isInt = true;
      this.big = null;
      if (c >= 0xf1 && c <= 0xfd) {
        this.int = (c & 0x0f) - 1;
        dataLen = 0;
      } else {
        switch (c) {
          case 0xc0:
            dataLen = 2;
            break;
          case 0xd0:
            dataLen = 4;
            break;
          case 0xe0:
            dataLen = 8;
            break;
          case 0xf0:
            dataLen = 3;
            break;
          case 0xfe:
            dataLen = 1;
            break;
          default:
            return this.corrupt(`entry has an unknown encoding byte 0x${c.toString(16)}`, q - 1);
        }
        if (q + dataLen > this.last) this.corrupt('entry runs past the end', p);
        if (dataLen === 2) this.int = ((b[q]! | (b[q + 1]! << 8)) << 16) >> 16;
        else if (dataLen === 4) this.int = b[q]! | (b[q + 1]! << 8) | (b[q + 2]! << 16) | (b[q + 3]! << 24);
        else if (dataLen === 3) this.int = ((b[q]! | (b[q + 1]! << 8) | (b[q + 2]! << 16)) << 8) >> 8;
        else if (dataLen === 1) this.int = (b[q]! << 24) >> 24;
        else readInt64LE(b, q, this);
      }
      const big = this.big as bigint | null;
      this.textLen = big === null ? decimalLength(this.int) : big.toString().length;
    }
    const after = q + dataLen;
    if (after > this.last) this.corrupt(`entry of ${after - p} bytes runs past the end`, p);
    this.prevSize = after - p;
    this.prevStart = p;
    this.p = after;
    this.seen++;
    return true;
  }

  text(): string {
    if (this.isInt) return this.big === null ? String(this.int) : this.big.toString();
    return latin1(this.buf, this.strStart, this.strLen);
  }
}
