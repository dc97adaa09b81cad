// Argument parsing helpers with Redis's exact error replies (getLongLongFromObjectOrReply,
// getDoubleFromObjectOrReply, getTimeoutFromObjectOrReply...). They throw ReplyError.

import { E, ReplyError } from './errors.js';
import { isCanonicalInt } from './types/objects.js';
import { parseLongDouble } from './types/long-double.js';
import { parseDouble } from './strtod.js';

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const I64_LIMIT = 2n ** 63n;

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

/** string2d: the whole argument as a double (no leading space, no nan, no overflow or underflow). */
export function parseDoubleOrNull(s: string): number | null {
  return parseDouble(s);
}

/**
 * getTimeoutFromObjectOrReply(UNIT_SECONDS): strtold over the whole argument, then
 * ceill(seconds * 1000.0) in long double arithmetic, cast to a long long. The product is rounded
 * to a 64-bit mantissa exactly as x87 does, because it decides edge cases: "-0.001" times 1000 is
 * a hair above -1, so it rounds up to 0 (wait forever) instead of being negative. Values past the
 * long long range convert to LLONG_MIN on x86 and so read as negative, "inf" included. Returns
 * ms, 0 meaning no deadline.
 */
export function parseTimeoutMs(arg: string): number {
  const ld = parseLongDouble(arg);
  if (ld === null) throw new ReplyError(E.timeoutNotFloat);
  if (ld.inf) throw new ReplyError(E.timeoutNegative);
  if (ld.m === 0n) return 0;
  const ms = ceilTimes1000(ld.neg, ld.m, ld.e);
  if (ms >= I64_LIMIT || ms < 0n) throw new ReplyError(E.timeoutNegative);
  return Number(ms);
}

/** ceil((-1)^neg * m * 2^e * 1000) with the product first rounded to 64 bits (nearest, ties to even). */
function ceilTimes1000(neg: boolean, m: bigint, e: number): bigint {
  let q = m * 1000n;
  let exp = e;
  const bits = q.toString(2).length;
  if (bits > 64) {
    const shift = bits - 64;
    const rem = q & ((1n << BigInt(shift)) - 1n);
    const half = 1n << BigInt(shift - 1);
    q >>= BigInt(shift);
    exp += shift;
    if (rem > half || (rem === half && (q & 1n) === 1n)) q++;
  }
  if (exp >= 0) return (neg ? -q : q) << BigInt(exp);
  if (exp < -128) return neg ? 0n : 1n; // |x| < 1: ceil is 1 for a positive x, -0 for a negative one
  const int = q >> BigInt(-exp);
  const frac = q & ((1n << BigInt(-exp)) - 1n);
  if (neg) return -int;
  return frac === 0n ? int : int + 1n;
}

/** Case-insensitive keyword compare. */
export function is(arg: string | undefined, word: string): boolean {
  return arg !== undefined && arg.length === word.length && arg.toLowerCase() === word;
}
