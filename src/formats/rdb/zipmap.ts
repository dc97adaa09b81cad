// Zipmap walker (hashes written by Redis 2.4 and older, RDB type 9). Layout: <count u8, 254 =
// unknown> then <len>field<len><free u8>value<free bytes> pairs and a final 0xFF, where a
// length is one byte below 254, else 0xFE + u32 LE. Redis 7 always checks zipmaps deeply on load
// (it rewrites them as listpacks): every length inside the blob, at least one pair, and a count
// byte other than 254 must equal the number of pairs. Entries come out field, value, field, value.

import { CorruptBlob, latin1, type PackedCursor } from './packed-cursor.js';

export class ZipmapCursor implements PackedCursor {
  isInt = false;
  int = 0;
  big: bigint | null = null;
  strStart = 0;
  strLen = 0;
  textLen = 0;
  declaredCount = -1;
  private buf: Uint8Array = new Uint8Array(0);
  private p = 0;
  private start = 0;
  private last = 0;
  private onValue = false;
  private pairs = 0;

  reset(buf: Uint8Array, start: number, size: number): this {
    this.buf = buf;
    this.start = start;
    if (size < 2) throw new CorruptBlob(`zipmap of ${size} bytes is shorter than its header`, 0);
    if (buf[start + size - 1] !== 0xff) throw new CorruptBlob('zipmap does not end with its 0xFF terminator', size - 1);
    const count = buf[start]!;
    this.declaredCount = count === 254 ? -1 : count * 2;
    this.p = start + 1;
    this.last = start + size - 1;
    this.onValue = false;
    this.pairs = 0;
    return this;
  }

  private corrupt(problem: string, at: number): never {
    throw new CorruptBlob(`zipmap ${problem}`, at - this.start);
  }

  private length(p: number): [number, number] {
    const c = this.buf[p]!;
    if (c < 254) return [c, 1];
    if (p + 5 > this.last) this.corrupt('length runs past the end', p);
    const b = this.buf;
    return [(b[p + 1]! | (b[p + 2]! << 8) | (b[p + 3]! << 16) | (b[p + 4]! << 24)) >>> 0, 5];
  }

  next(): boolean {
    const p = this.p;
    if (!this.onValue && this.buf[p] === 0xff) {
      if (p !== this.last) this.corrupt('terminator found before the end of the blob', p);
      const zmlen = this.buf[this.start]!;
      if (this.pairs === 0) this.corrupt('is empty', p);
      if (zmlen !== 254 && zmlen !== this.pairs) this.corrupt(`header announces ${zmlen} pairs but holds ${this.pairs}`, this.start);
      return false;
    }
    const [len, lenBytes] = this.length(p);
    let q = p + lenBytes;
    let free = 0;
    if (this.onValue) {
      if (q >= this.last) this.corrupt('value runs past the end', p);
      free = this.buf[q]!;
      q += 1;
    }
    if (q + len + free > this.last) this.corrupt('entry runs past the end', p);
    this.strStart = q;
    this.strLen = len;
    this.textLen = len;
    this.p = q + len + free;
    if (this.onValue) this.pairs++;
    this.onValue = !this.onValue;
    return true;
  }

  text(): string {
    return latin1(this.buf, this.strStart, this.strLen);
  }
}
