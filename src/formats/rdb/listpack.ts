// Listpack walker (Redis 7 hashes, zsets, sets, quicklist nodes, stream nodes).
//
// Layout: <total bytes u32 LE><entry count u16 LE, 65535 = unknown> entries 0xFF, where each
// entry is <encoding+data><backlen> and backlen (1-5 bytes) repeats the size of encoding+data so
// the list can be walked backwards. The walker goes forwards in place over the reader's buffer,
// checking what Redis's integrity check checks: the header size equals the blob size, the blob
// ends in 0xFF exactly where the entries end, every entry and its backlen stay inside the blob
// and encode the right size, and the announced count (when known) matches.

import { CorruptBlob, decimalLength, latin1, readInt64LE, type PackedCursor } from './packed-cursor.js';

const HEADER = 6;

/** Bytes the backlen of an entry of `size` bytes takes. */
function backlenSize(size: number): number {
  return size < 128 ? 1 : size < 16384 ? 2 : size < 2097152 ? 3 : size < 268435456 ? 4 : 5;
}

export class ListpackCursor implements PackedCursor {
  buf: Uint8Array = new Uint8Array(0);
  isInt = false;
  int = 0;
  big: bigint | null = null;
  strStart = 0;
  strLen = 0;
  textLen = 0;
  declaredCount = -1;
  /** Entries stepped over so far. */
  seen = 0;
  private p = 0;
  private start = 0;
  /** Index of the terminating 0xFF. */
  private last = 0;

  /** Starts walking buf[start, start + size); throws CorruptBlob when the header is inconsistent. */
  reset(buf: Uint8Array, start: number, size: number): this {
    this.buf = buf;
    this.start = start;
    if (size < HEADER + 1) throw new CorruptBlob(`listpack of ${size} bytes is shorter than its header`, 0);
    const total = (buf[start]! | (buf[start + 1]! << 8) | (buf[start + 2]! << 16) | (buf[start + 3]! << 24)) >>> 0;
    if (total !== size) throw new CorruptBlob(`listpack header says ${total} bytes but the string holds ${size}`, 0);
    if (buf[start + size - 1] !== 0xff) throw new CorruptBlob('listpack does not end with its 0xFF terminator', size - 1);
    const count = buf[start + 4]! | (buf[start + 5]! << 8);
    this.declaredCount = count === 65535 ? -1 : count;
    this.p = start + HEADER;
    this.last = start + size - 1;
    this.seen = 0;
    return this;
  }

  private corrupt(problem: string, at: number): never {
    throw new CorruptBlob(`listpack ${problem}`, at - this.start);
  }

  next(): boolean {
    const b = this.buf;
    const p = this.p;
    const c = b[p]!;
    let size: number;
    if (c < 0x80) {
      this.isInt = true;
      this.int = c;
      this.big = null;
      this.textLen = c < 10 ? 1 : c < 100 ? 2 : 3;
      size = 1;
    } else if (c < 0xc0) {
      this.isInt = false;
      this.strLen = c & 0x3f;
      this.strStart = p + 1;
      this.textLen = this.strLen;
      size = 1 + this.strLen;
    } else if (c < 0xe0) {
      if (p + 2 > this.last) this.corrupt('entry header runs past the end', p);
      let v = ((c & 0x1f) << 8) | b[p + 1]!;
      if (v >= 4096) v -= 8192;
      this.isInt = true;
      this.int = v;
      this.big = null;
      this.textLen = decimalLength(v);
      size = 2;
    } else if (c < 0xf0) {
      if (p + 2 > this.last) this.corrupt('entry header runs past the end', p);
      this.isInt = false;
      this.strLen = ((c & 0x0f) << 8) | b[p + 1]!;
      this.strStart = p + 2;
      this.textLen = this.strLen;
      size = 2 + this.strLen;
    } else {
      size = this.wide(c, p);
      if (size === 0) {
        if (p !== this.last) this.corrupt('terminator 0xFF found before the end of the blob', p);
        if (this.declaredCount >= 0 && this.seen !== this.declaredCount) {
          this.corrupt(`header announces ${this.declaredCount} entries but holds ${this.seen}`, p);
        }
        return false;
      }
    }
    const bl = backlenSize(size);
    const after = p + size + bl;
    if (after > this.last) this.corrupt(`entry of ${size} bytes runs past the end`, p);
    // The backlen's last byte holds the low 7 bits; bytes to its left have bit 7 set on the right ones.
    let q = after - 1;
    let v = 0;
    let shift = 0;
    for (;;) {
      const x = b[q]!;
      v += (x & 127) * 2 ** shift;
      if (!(x & 128) || q === p + size) break;
      shift += 7;
      q--;
    }
    if (v !== size || q !== p + size) this.corrupt(`entry backlen says ${v} but the entry has ${size} bytes`, p + size);
    this.p = after;
    this.seen++;
    return true;
  }

  /** Encodings from 0xF0 up; returns the entry size before its backlen, 0 at the terminator. */
  private wide(c: number, p: number): number {
    const b = this.buf;
    switch (c) {
      case 0xf0: {
        if (p + 5 > this.last) this.corrupt('entry header runs past the end', p);
        const len = (b[p + 1]! | (b[p + 2]! << 8) | (b[p + 3]! << 16) | (b[p + 4]! << 24)) >>> 0;
        this.isInt = false;
        this.strLen = len;
        this.strStart = p + 5;
        this.textLen = len;
        return 5 + len;
      }
      case 0xf1:
      case 0xf2:
      case 0xf3: {
        const n = c - 0xef; // 2, 3, 4 data bytes
        if (p + 1 + n > this.last) this.corrupt('entry header runs past the end', p);
        let v: number;
        if (n === 2) v = ((b[p + 1]! | (b[p + 2]! << 8)) << 16) >> 16;
        else if (n === 3) v = ((b[p + 1]! | (b[p + 2]! << 8) | (b[p + 3]! << 16)) << 8) >> 8;
        else v = b[p + 1]! | (b[p + 2]! << 8) | (b[p + 3]! << 16) | (b[p + 4]! << 24);
        this.isInt = true;
        this.int = v;
        this.big = null;
        this.textLen = decimalLength(v);
        return 1 + n;
      }
      case 0xf4: {
        if (p + 9 > this.last) this.corrupt('entry header runs past the end', p);
        readInt64LE(b, p + 1, this);
        this.isInt = true;
        this.textLen = this.big === null ? decimalLength(this.int) : this.big.toString().length;
        return 9;
      }
      case 0xff:
        return 0;
      default:
        return this.corrupt(`entry has an unknown encoding byte 0x${c.toString(16)}`, p);
    }
  }

  text(): string {
    if (this.isInt) return this.big === null ? String(this.int) : this.big.toString();
    return latin1(this.buf, this.strStart, this.strLen);
  }
}
