// Values reach the memory model either as latin1 strings (the house convention: one char per byte)
// or as raw byte arrays. The model only ever needs three facts about a value: its byte length,
// whether Redis would store it as a 64-bit integer, and (to deduplicate members) a comparable
// form. Keeping those here lets every encoding file stay indifferent to the input shape.

/** A binary-safe value: a latin1 string (one char per byte) or raw bytes. */
export type Bytes = Uint8Array | string;

export function byteLength(b: Bytes): number {
  return b.length;
}

/** The value as a latin1 string, for use as a map key when deduplicating members. */
export function latin1(b: Bytes): string {
  if (typeof b === 'string') return b;
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

function byteAt(b: Bytes, i: number): number {
  return typeof b === 'string' ? b.charCodeAt(i) : b[i]!;
}

/**
 * The integer Redis reads from the bytes, or null. Redis's string2ll / lpStringToInt64 accept only
 * the canonical form of an int64: no sign other than a leading '-', no leading zeros ("0" alone is
 * fine, "-0" and "007" are not), no spaces, at most 20 bytes. Values that pass are stored as
 * integers (INT strings, listpack integer entries, intset members).
 */
export function strictInt64(b: Bytes): bigint | null {
  const n = b.length;
  if (n === 0 || n > 20) return null;
  let i = 0;
  if (byteAt(b, 0) === 0x2d) {
    i = 1;
    if (n === 1) return null;
  }
  const first = byteAt(b, i);
  if (first === 0x30) return n === 1 ? 0n : null;
  if (first < 0x31 || first > 0x39) return null;
  let digits = '';
  for (let j = i; j < n; j++) {
    const c = byteAt(b, j);
    if (c < 0x30 || c > 0x39) return null;
    digits += String.fromCharCode(c);
  }
  const v = i === 1 ? -BigInt(digits) : BigInt(digits);
  return v < INT64_MIN || v > INT64_MAX ? null : v;
}
