// Number texts the writer must produce exactly as Redis does: which strings Redis stores as
// integers (string2ll's canonical form), and how a sorted-set score is printed into a listpack
// (d2string: "%.17g" as formats/resp prints doubles, "inf", "-inf", "-0").

import { formatG17 } from '../resp/double.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** The value of `s` when it is the canonical text of an int64 (no "+", no leading zeros, no "-0"), else null. */
export function canonicalInt64(s: string): bigint | null {
  const n = s.length;
  if (n === 0 || n > 20) return null;
  let i = 0;
  if (s.charCodeAt(0) === 45) {
    if (n === 1) return null;
    i = 1;
  }
  const first = s.charCodeAt(i);
  if (first === 48) return n === 1 ? 0n : null;
  if (first < 49 || first > 57) return null;
  for (let j = i + 1; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) return null;
  }
  const v = BigInt(s);
  return v < INT64_MIN || v > INT64_MAX ? null : v;
}

/**
 * The value of `s` when it is canonical integer text (as string2ll accepts it) of at most
 * `maxLen` characters, else null. No BigInt: it runs for every short string, and with
 * maxLen <= 16 the value is always a safe integer.
 */
export function shortIntText(s: string, maxLen: number): number | null {
  const n = s.length;
  if (n === 0 || n > maxLen) return null;
  let i = 0;
  if (s.charCodeAt(0) === 45) {
    if (n === 1) return null;
    i = 1;
  }
  const first = s.charCodeAt(i);
  if (first === 48) return n === 1 ? 0 : null;
  if (first < 49 || first > 57) return null;
  let v = 0;
  for (let j = i; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) return null;
    v = v * 10 + (c - 48);
  }
  return i === 1 ? -v : v;
}

/** Canonical integer text within int32 (what rdbTryIntegerEncoding stores integer-encoded), else null. */
export function int32Text(s: string): number | null {
  const v = shortIntText(s, 11);
  return v !== null && v >= -2147483648 && v <= 2147483647 ? v : null;
}

/** A score zzlInsertAt stores as a listpack integer (whole, within +-2^62), else null. */
export function scoreAsInteger(score: number): bigint | null {
  if (!Number.isInteger(score) || Math.abs(score) > 2 ** 62) return null;
  return BigInt(score);
}

/** d2string: the text Redis prints for a score that is not stored as an integer. */
export function d2string(score: number): string {
  if (Number.isNaN(score)) return 'nan';
  if (score === Infinity) return 'inf';
  if (score === -Infinity) return '-inf';
  if (score === 0) return Object.is(score, -0) ? '-0' : '0';
  const asInt = scoreAsInteger(score);
  return asInt !== null ? asInt.toString() : formatG17(score);
}
