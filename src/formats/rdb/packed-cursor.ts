// The one interface every packed blob walker (listpack, ziplist, intset, zipmap) offers the
// reader: step over the blob in place, one entry at a time, exposing the current entry through
// fields rather than returning objects. The reader gets element sizes, integer values and (only
// when values were asked for) the text without allocating a string per element, and one value
// decoder serves all four blob formats. Helpers shared by the walkers live here too.

/** A blob (listpack, ziplist, ...) whose bytes contradict its own header; the reader adds file and offset. */
export class CorruptBlob extends Error {
  /** Byte position inside the blob where the problem was found. */
  readonly at: number;
  constructor(problem: string, at: number) {
    super(problem);
    this.name = 'CorruptBlob';
    this.at = at;
  }
}

export interface PackedCursor {
  /** Advances to the next entry; false once the blob's terminator is reached (counts checked then). */
  next(): boolean;
  /** Current entry is an integer (then `int`, or `big` when it does not fit a double exactly). */
  isInt: boolean;
  int: number;
  big: bigint | null;
  /** Current string entry: bytes buf[strStart, strStart + strLen). */
  strStart: number;
  strLen: number;
  /** Length of the current entry as Redis hands it back (string bytes, or the integer's decimal digits). */
  textLen: number;
  /** Current entry as a latin1 string (integers as decimal text). */
  text(): string;
  /** Number of entries the header announces, or -1 when it does not know (listpack 65535, zipmap 254+). */
  readonly declaredCount: number;
}

/** Number of decimal characters of an integer (with its minus sign). */
export function decimalLength(v: number): number {
  // Counted without making the text: it is asked for every integer entry of every packed blob.
  let n = 1;
  if (v < 0) {
    n = 2;
    v = -v;
  }
  if (v >= 1e15) return n - 1 + String(v).length;
  for (let p = 10; v >= p; p *= 10) n++;
  return n;
}

const INT64_MAX_TEXT = '9223372036854775807';
const INT64_MIN_ABS_TEXT = '9223372036854775808';

/**
 * Whether buf[start, start + len) is the canonical decimal text of a signed 64-bit integer, the
 * rule Redis's string2ll applies when it decides a value can be stored as an integer: optional
 * minus, no leading zeros ("0" alone is fine, "-0" is not), no spaces or plus sign, in range.
 */
export function isCanonicalInt64(buf: Uint8Array, start: number, len: number): boolean {
  if (len === 0 || len > 20) return false;
  let p = start;
  const end = start + len;
  const neg = buf[p] === 0x2d;
  if (neg) {
    p++;
    if (p === end) return false;
  }
  const digits = end - p;
  const first = buf[p]!;
  if (first === 0x30) return digits === 1 && !neg;
  if (first < 0x31 || first > 0x39) return false;
  for (let i = p + 1; i < end; i++) {
    const c = buf[i]!;
    if (c < 0x30 || c > 0x39) return false;
  }
  if (digits < 19) return true;
  if (digits > 19) return false;
  const limit = neg ? INT64_MIN_ABS_TEXT : INT64_MAX_TEXT;
  for (let i = 0; i < 19; i++) {
    const c = buf[p + i]!;
    const l = limit.charCodeAt(i);
    if (c !== l) return c < l;
  }
  return true;
}

/** Reads a little-endian signed 64-bit integer as a number when exact, else sets `out.big`. */
export function readInt64LE(buf: Uint8Array, p: number, out: { int: number; big: bigint | null }): void {
  const lo = (buf[p]! | (buf[p + 1]! << 8) | (buf[p + 2]! << 16) | (buf[p + 3]! << 24)) >>> 0;
  const hi = buf[p + 4]! | (buf[p + 5]! << 8) | (buf[p + 6]! << 16) | (buf[p + 7]! << 24);
  if (hi >= -0x200000 && hi < 0x200000) {
    out.int = hi * 4294967296 + lo;
    out.big = null;
  } else {
    out.big = (BigInt(hi) << 32n) | BigInt(lo);
    out.int = Number(out.big);
  }
}

const latin1Slice = (Buffer.prototype as unknown as { latin1Slice(this: Uint8Array, start: number, end: number): string }).latin1Slice;

const fc = String.fromCharCode;

/**
 * Latin1 text of buf[start, start + len): one char per byte. Keys and most elements are short, and
 * one multi-argument fromCharCode builds a flat string faster than a native slice call, so short
 * lengths are spelled out; longer ones take the native slice (building them piecewise would make
 * a rope of small strings that every later hash or search must flatten first).
 */
export function latin1(b: Uint8Array, s: number, len: number): string {
  switch (len) {
    case 0: return '';
    case 1: return fc(b[s]!);
    case 2: return fc(b[s]!, b[s + 1]!);
    case 3: return fc(b[s]!, b[s + 1]!, b[s + 2]!);
    case 4: return fc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!);
    case 5: return fc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!);
    case 6: return fc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!);
    case 7: return fc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!);
    case 8: return fc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!);
    case 9: return fc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!);
    case 10: return fc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!);
    case 11: return fc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!);
    case 12: return fc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!);
    case 13: return fc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!, b[s + 12]!);
    case 14: return fc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!, b[s + 12]!, b[s + 13]!);
    case 15: return fc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!, b[s + 12]!, b[s + 13]!, b[s + 14]!);
    case 16: return fc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!, b[s + 12]!, b[s + 13]!, b[s + 14]!, b[s + 15]!);
  }
  return latin1Slice.call(b, s, s + len);
}
