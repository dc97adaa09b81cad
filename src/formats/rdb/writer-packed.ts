// The packed blobs Redis 7.0 stores as single RDB strings: listpacks (small hashes and sorted
// sets, every quicklist node, every stream node) and intsets (small integer sets). Built here
// byte for byte the way Redis builds them when it appends elements, so a file written from the
// engine's values loads in Redis with the same encodings and sizes (MEMORY USAGE, DEBUG OBJECT)
// that Redis itself would have produced. The reader's listpack.ts / intset.ts walk what this makes.
//
// Listpack: <total bytes u32 LE><count u16 LE, 65535 when larger> entries 0xFF. An element that is
// the canonical text of an int64 is stored as an integer (7-bit, 13-, 16-, 24-, 32- or 64-bit),
// any other as a string with a 6-, 12- or 32-bit length; each entry is followed by its "backlen".

import { canonicalInt64, shortIntText } from './writer-numbers.js';

const INT64_MIN = -(2n ** 63n);

/** Appends elements to a growing listpack. */
export class ListpackBuilder {
  private buf = new Uint8Array(256);
  private pos = 6;
  count = 0;

  /** Bytes the finished listpack will take (header, entries, terminator). */
  get bytes(): number {
    return this.pos + 1;
  }

  private room(n: number): void {
    if (this.pos + n + 1 <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n + 1) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  private backlen(l: number): void {
    const b = this.buf;
    let p = this.pos;
    if (l <= 127) b[p++] = l;
    else if (l < 16383) {
      b[p++] = l >>> 7;
      b[p++] = (l & 127) | 128;
    } else if (l < 2097151) {
      b[p++] = l >>> 14;
      b[p++] = ((l >>> 7) & 127) | 128;
      b[p++] = (l & 127) | 128;
    } else if (l < 268435455) {
      b[p++] = l >>> 21;
      b[p++] = ((l >>> 14) & 127) | 128;
      b[p++] = ((l >>> 7) & 127) | 128;
      b[p++] = (l & 127) | 128;
    } else {
      b[p++] = Math.floor(l / 2 ** 28);
      b[p++] = ((l >>> 21) & 127) | 128;
      b[p++] = ((l >>> 14) & 127) | 128;
      b[p++] = ((l >>> 7) & 127) | 128;
      b[p++] = (l & 127) | 128;
    }
    this.pos = p;
  }

  /** lpAppend: an integer entry when `s` is a canonical int64, else a string entry. */
  add(s: string): this {
    const n = s.length;
    if (n === 0 || n > 20) return this.addString(s);
    const c0 = s.charCodeAt(0);
    if (c0 !== 45 && (c0 < 48 || c0 > 57)) return this.addString(s);
    if (n <= 15) {
      const v = shortIntText(s, 15);
      return v !== null ? this.addInt(v) : this.addString(s);
    }
    const v = canonicalInt64(s);
    return v !== null ? this.addInt(v) : this.addString(s);
  }

  addString(s: string): this {
    const len = s.length;
    this.room(len + 10);
    const b = this.buf;
    const start = this.pos;
    let p = start;
    if (len < 64) b[p++] = 0x80 | len;
    else if (len < 4096) {
      b[p++] = 0xe0 | (len >>> 8);
      b[p++] = len & 0xff;
    } else {
      b[p++] = 0xf0;
      b[p++] = len & 0xff;
      b[p++] = (len >>> 8) & 0xff;
      b[p++] = (len >>> 16) & 0xff;
      b[p++] = (len >>> 24) & 0xff;
    }
    for (let i = 0; i < len; i++) b[p++] = s.charCodeAt(i);
    this.pos = p;
    this.backlen(p - start);
    this.count++;
    return this;
  }

  /** lpAppendInteger */
  addInt(value: bigint | number): this {
    this.room(20);
    const b = this.buf;
    const start = this.pos;
    let p = start;
    if (typeof value === 'number' && Number.isSafeInteger(value)) {
      const v = value;
      if (v >= 0 && v <= 127) b[p++] = v;
      else if (v >= -4096 && v <= 4095) {
        const u = v < 0 ? 8192 + v : v;
        b[p++] = 0xc0 | (u >>> 8);
        b[p++] = u & 0xff;
      } else if (v >= -32768 && v <= 32767) {
        b[p++] = 0xf1;
        b[p++] = v & 0xff;
        b[p++] = (v >> 8) & 0xff;
      } else if (v >= -8388608 && v <= 8388607) {
        b[p++] = 0xf2;
        b[p++] = v & 0xff;
        b[p++] = (v >> 8) & 0xff;
        b[p++] = (v >> 16) & 0xff;
      } else if (v >= -2147483648 && v <= 2147483647) {
        b[p++] = 0xf3;
        b[p++] = v & 0xff;
        b[p++] = (v >> 8) & 0xff;
        b[p++] = (v >> 16) & 0xff;
        b[p++] = (v >> 24) & 0xff;
      } else {
        b[p++] = 0xf4;
        new DataView(b.buffer, b.byteOffset).setBigInt64(p, BigInt(v), true);
        p += 8;
      }
    } else {
      const v = typeof value === 'bigint' ? value : BigInt(value);
      if (v >= -2147483648n && v <= 2147483647n) return this.addInt(Number(v));
      b[p++] = 0xf4;
      new DataView(b.buffer, b.byteOffset).setBigInt64(p, v, true);
      p += 8;
    }
    this.pos = p;
    this.backlen(p - start);
    this.count++;
    return this;
  }

  /** The finished listpack (header and terminator written); the builder must not be reused. */
  finish(): Uint8Array {
    this.room(1);
    const b = this.buf;
    b[this.pos] = 0xff;
    const total = this.pos + 1;
    b[0] = total & 0xff;
    b[1] = (total >>> 8) & 0xff;
    b[2] = (total >>> 16) & 0xff;
    b[3] = (total >>> 24) & 0xff;
    const n = this.count < 65535 ? this.count : 65535;
    b[4] = n & 0xff;
    b[5] = n >>> 8;
    return b.subarray(0, total);
  }
}

/** An intset of the given canonical integer texts: sorted, deduplicated, at the narrowest width. */
export function buildIntset(members: Iterable<string>): Uint8Array {
  const values: bigint[] = [];
  let min = 0n;
  let max = 0n;
  for (const m of members) {
    const v = BigInt(m);
    values.push(v);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  values.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const width = min >= -32768n && max <= 32767n ? 2 : min >= -2147483648n && max <= 2147483647n ? 4 : 8;
  const out = new Uint8Array(8 + values.length * width);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, width, true);
  dv.setUint32(4, values.length, true);
  let p = 8;
  for (const v of values) {
    if (width === 2) dv.setInt16(p, Number(v), true);
    else if (width === 4) dv.setInt32(p, Number(v), true);
    else dv.setBigInt64(p, v < INT64_MIN ? INT64_MIN : v, true);
    p += width;
  }
  return out;
}

// ---------------------------------------------------------------- quicklist nodes

/** Elements at least this long get a node of their own, stored plain (quicklist packed_threshold). */
export const PACKED_THRESHOLD = 1 << 30;
const SIZE_SAFETY_LIMIT = 8192;
const SIZE_ESTIMATE_OVERHEAD = 8;
const OPTIMIZATION_LEVEL = [4096, 8192, 16384, 32768, 65536];

/** _quicklistNodeAllowInsert: may an element of `sz` bytes join a node of `nodeBytes`/`count`? */
export function nodeAllowsInsert(nodeBytes: number, count: number, sz: number, fill: number): boolean {
  if (sz >= PACKED_THRESHOLD) return false;
  const newSz = nodeBytes + sz + SIZE_ESTIMATE_OVERHEAD;
  if (fill < 0) {
    const level = OPTIMIZATION_LEVEL[-fill - 1];
    if (level !== undefined && newSz <= level) return true;
  }
  if (newSz > SIZE_SAFETY_LIMIT) return false;
  return count < fill;
}

/** A quicklist node as stored: a listpack, or one element kept plain. */
export type QuicklistNode = { plain: false; listpack: Uint8Array } | { plain: true; element: string };

/**
 * The nodes RPUSHing `elements` one by one onto an empty list would give under
 * list-max-listpack-size `fill` (what the writer stores for a list; Redis keeps them on load).
 */
export function* quicklistNodes(elements: Iterable<string>, fill: number): Generator<QuicklistNode> {
  let lp: ListpackBuilder | null = null;
  for (const e of elements) {
    if (e.length >= PACKED_THRESHOLD) {
      if (lp) yield { plain: false, listpack: lp.finish() };
      lp = null;
      yield { plain: true, element: e };
      continue;
    }
    if (lp && !nodeAllowsInsert(lp.bytes, lp.count, e.length, fill)) {
      yield { plain: false, listpack: lp.finish() };
      lp = null;
    }
    lp ??= new ListpackBuilder();
    lp.add(e);
  }
  if (lp) yield { plain: false, listpack: lp.finish() };
}
