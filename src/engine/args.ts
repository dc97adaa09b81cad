// Argument parsing helpers with Redis's exact error replies (getLongLongFromObjectOrReply,
// getDoubleFromObjectOrReply, getTimeoutFromObjectOrReply...). They throw ReplyError.

import { E, ReplyError } from './errors.js';
import { isCanonicalInt } from './types/objects.js';

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

/** A 64-bit signed integer as string2ll accepts it; throws `msg` otherwise. Returns a Number when safe. */
export function parseInteger(s: string, msg: string = E.notInt): number {
  if (s.length > 0 && s.length <= 15 && isCanonicalInt(s)) return Number(s);
  const b = parseBigInt(s, msg);
  return Number(b);
}

/** The same, as a bigint (for INCRBY overflow checks). */
export function parseBigInt(s: string, msg: string = E.notInt): bigint {
  if (!isCanonicalInt(s)) throw new ReplyError(msg);
  const b = BigInt(s);
  if (b < I64_MIN || b > I64_MAX) throw new ReplyError(msg);
  return b;
}

/** Integer within [min, max], or `msg`. */
export function parseRange(s: string, min: number, max: number, msg: string = E.notInt): number {
  const n = parseInteger(s, msg);
  if (n < min || n > max) throw new ReplyError(msg);
  return n;
}

/** A double as strtod accepts it for Redis (inf, -inf, +inf accepted; nan and trailing junk rejected). */
export function parseFloatArg(s: string, msg: string = E.notFloat): number {
  const d = parseDoubleOrNull(s);
  if (d === null) throw new ReplyError(msg);
  return d;
}

export function parseDoubleOrNull(s: string): number | null {
  if (s.length === 0 || s.length > 5000) return null;
  const c0 = s.charCodeAt(0);
  if (c0 === 32 || c0 === 9 || c0 === 10 || c0 === 13) return null; // leading space rejected
  const lower = s.toLowerCase();
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity' || lower === '+infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) {
    if (/^[+-]?0[xX][0-9a-fA-F]+$/.test(s)) return Number.parseInt(s, 16);
    return null;
  }
  const d = Number(s);
  if (Number.isNaN(d)) return null;
  return d;
}

/** Blocking timeout in seconds (float allowed) to milliseconds; 0 = forever. */
export function parseTimeoutMs(s: string): number {
  const d = parseDoubleOrNull(s);
  if (d === null || !Number.isFinite(d)) throw new ReplyError(E.timeoutNotFloat);
  if (d < 0) throw new ReplyError(E.timeoutNegative);
  return Math.round(d * 1000);
}

/** Case-insensitive keyword compare. */
export function is(arg: string | undefined, word: string): boolean {
  return arg !== undefined && arg.length === word.length && arg.toLowerCase() === word;
}
