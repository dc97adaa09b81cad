// Intset walker (sets of integers, RDB type 11): <encoding u32 LE: 2, 4 or 8><count u32 LE>
// then `count` little-endian integers of that width, sorted ascending without duplicates. The
// walker checks what Redis's integrity check does (width, exact size, not empty, strictly
// ascending) and presents each member as an integer entry of the common PackedCursor shape.

import { CorruptBlob, decimalLength, readInt64LE, type PackedCursor } from './packed-cursor.js';

export class IntsetCursor implements PackedCursor {
  isInt = true;
  int = 0;
  big: bigint | null = null;
  strStart = 0;
  strLen = 0;
  textLen = 0;
  declaredCount = 0;
  private buf: Uint8Array = new Uint8Array(0);
  private p = 0;
  private end = 0;
  private width = 0;
  private start = 0;
  private prev = 0;
  private prevBig: bigint | null = null;
  private first = true;

  reset(buf: Uint8Array, start: number, size: number): this {
    this.buf = buf;
    this.start = start;
    if (size < 8) throw new CorruptBlob(`intset of ${size} bytes is shorter than its header`, 0);
    const width = (buf[start]! | (buf[start + 1]! << 8) | (buf[start + 2]! << 16) | (buf[start + 3]! << 24)) >>> 0;
    if (width !== 2 && width !== 4 && width !== 8) throw new CorruptBlob(`intset has an invalid integer width ${width}`, 0);
    const count = (buf[start + 4]! | (buf[start + 5]! << 8) | (buf[start + 6]! << 16) | (buf[start + 7]! << 24)) >>> 0;
    if (8 + count * width !== size) {
      throw new CorruptBlob(`intset header announces ${count} members of ${width} bytes but the string holds ${size} bytes`, 4);
    }
    if (count === 0) throw new CorruptBlob('intset is empty', 4);
    this.declaredCount = count;
    this.width = width;
    this.p = start + 8;
    this.end = start + size;
    this.first = true;
    return this;
  }

  next(): boolean {
    const b = this.buf;
    const p = this.p;
    if (p >= this.end) return false;
    this.big = null;
    if (this.width === 2) this.int = ((b[p]! | (b[p + 1]! << 8)) << 16) >> 16;
    else if (this.width === 4) this.int = b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24);
    else readInt64LE(b, p, this);
    if (!this.first) {
      const ascending =
        this.big === null && this.prevBig === null
          ? this.int > this.prev
          : BigInt(this.big ?? this.int) > (this.prevBig ?? BigInt(this.prev));
      if (!ascending) throw new CorruptBlob('intset members are not strictly ascending', p - this.start);
    }
    this.first = false;
    this.prev = this.int;
    this.prevBig = this.big;
    const big = this.big as bigint | null;
    this.textLen = big === null ? decimalLength(this.int) : big.toString().length;
    this.p = p + this.width;
    return true;
  }

  text(): string {
    return this.big === null ? String(this.int) : this.big.toString();
  }
}
