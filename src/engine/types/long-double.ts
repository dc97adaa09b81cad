// x87 80-bit extended precision ("long double" on x86-64 Linux), emulated exactly with BigInt.
// INCRBYFLOAT and HINCRBYFLOAT compute in it and print with "%.17Lf" minus trailing zeros, which is
// what clients see from Redis: 0.1 + 0.2 is "0.3" there, not JavaScript's 0.30000000000000004.

/** A finite value is (-1)^neg * m * 2^e with m < 2^64; m = 0 is zero. */
export type LongDouble = { inf: false; neg: boolean; m: bigint; e: number } | { inf: true; neg: boolean };

const TWO63 = 1n << 63n;
const TWO64 = 1n << 64n;
/** Exponent of the lowest mantissa bit of the smallest normal (2^-16382 = 2^63 * 2^-16445), also subnormals'. */
const E_MIN = -16445;
/** Largest exponent with a 64-bit mantissa below 2^16384. */
const E_MAX = 16320;
/** Redis's MAX_LONG_DOUBLE_CHARS: string2ld refuses inputs this long or longer. */
const MAX_LD_CHARS = 5 * 1024;

export const LD_ZERO: LongDouble = { inf: false, neg: false, m: 0n, e: 0 };

function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

/** Rounds num/den * 2^exp2 (num, den > 0) to the nearest extended value, ties to even. */
function roundExtended(neg: boolean, num: bigint, den: bigint, exp2: number): LongDouble {
  if (num === 0n) return { inf: false, neg, m: 0n, e: 0 };
  // floor(log2(value)) is estimate or estimate + 1; the mantissa wants it at bit 63.
  let e = Math.max(E_MIN, bitLength(num) - bitLength(den) + exp2 - 64);
  for (let tries = 0; tries < 4; tries++) {
    const shift = exp2 - e;
    const n = shift >= 0 ? num << BigInt(shift) : num;
    const d = shift >= 0 ? den : den << BigInt(-shift);
    const q = n / d;
    if (q >= TWO64) {
      e++;
      continue;
    }
    if (q < TWO63 && e > E_MIN) {
      e--;
      continue;
    }
    const twice = (n - q * d) * 2n;
    let m = q;
    if (twice > d || (twice === d && (q & 1n) === 1n)) m++;
    if (m === TWO64) {
      m = TWO63;
      e++;
    }
    if (e > E_MAX) return { inf: true, neg };
    return { inf: false, neg, m, e };
  }
  throw new Error('long double rounding did not converge');
}

/** A decimal exponent as written, saturated far beyond any representable range. */
function parseExponent(s: string | undefined): number {
  if (s === undefined) return 0;
  const neg = s.startsWith('-');
  const digits = s.replace(/^[+-]/, '').replace(/^0+/, '');
  const v = digits.length > 9 ? 1e9 : Number(digits || '0');
  return neg ? -v : v;
}

const DEC_RE = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const HEX_RE = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/;
const INF_RE = /^([+-]?)inf(?:inity)?$/i;

/**
 * string2ld: strtold over the whole string. Accepts decimal and hex floats and inf/infinity; rejects
 * empty or over-long input, leading spaces, trailing bytes, nan, overflow and underflow to zero.
 */
export function parseLongDouble(s: string): LongDouble | null {
  if (s.length === 0 || s.length >= MAX_LD_CHARS) return null;
  let m = INF_RE.exec(s);
  if (m) return { inf: true, neg: m[1] === '-' };
  m = HEX_RE.exec(s);
  if (m) {
    const neg = m[1] === '-';
    const int = m[2]!;
    const frac = m[3] ?? '';
    if (int.length + frac.length === 0) return null;
    const mant = BigInt('0x' + int + frac);
    if (mant === 0n) return { inf: false, neg, m: 0n, e: 0 };
    const exp2 = parseExponent(m[4]) - 4 * frac.length;
    const bits = bitLength(mant);
    if (bits - 1 + exp2 >= 16384) return null; // overflow
    if (bits + exp2 <= -16446) return null; // at most half the smallest subnormal: rounds to 0
    return finiteOrNull(roundExtended(neg, mant, 1n, exp2));
  }
  m = DEC_RE.exec(s);
  if (!m) return null;
  const neg = m[1] === '-';
  const int = m[2]!;
  const frac = m[3] ?? '';
  if (int.length + frac.length === 0) return null;
  let digits = (int + frac).replace(/^0+/, '');
  if (digits === '') return { inf: false, neg, m: 0n, e: 0 };
  let e10 = parseExponent(m[4]) - frac.length;
  const trimmed = digits.replace(/0+$/, '');
  e10 += digits.length - trimmed.length;
  digits = trimmed;
  const magnitude = digits.length + e10; // value lies in [10^(magnitude-1), 10^magnitude)
  if (magnitude >= 4934) return null; // >= 1e4933 > LDBL_MAX
  if (magnitude <= -4952) return null; // < 1e-4952, under half the smallest subnormal
  const mant = BigInt(digits);
  const r = e10 >= 0 ? roundExtended(neg, mant * 10n ** BigInt(e10), 1n, 0) : roundExtended(neg, mant, 10n ** BigInt(-e10), 0);
  return finiteOrNull(r);
}

/** strtold's ERANGE cases string2ld rejects: overflow to HUGE_VAL and underflow to zero. */
function finiteOrNull(r: LongDouble): LongDouble | null {
  if (r.inf || r.m === 0n) return null;
  return r;
}

/** a + b in extended precision (inf + finite = inf; the caller never adds opposite infinities). */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble {
  if (a.inf) return a;
  if (b.inf) return b;
  if (a.m === 0n && b.m === 0n) return { inf: false, neg: a.neg && b.neg, m: 0n, e: 0 };
  if (a.m === 0n) return b;
  if (b.m === 0n) return a;
  const e = Math.min(a.e, b.e);
  const av = a.m << BigInt(a.e - e);
  const bv = b.m << BigInt(b.e - e);
  const sum = (a.neg ? -av : av) + (b.neg ? -bv : bv);
  if (sum === 0n) return LD_ZERO;
  return roundExtended(sum < 0n, sum < 0n ? -sum : sum, 1n, e);
}

const TEN17 = 10n ** 17n;

/** ld2string LD_STR_HUMAN: "%.17Lf" (exact, ties to even), trailing zeros and dot removed, "-0" -> "0". */
export function formatLongDoubleHuman(x: LongDouble): string {
  if (x.inf) return x.neg ? '-inf' : 'inf';
  let scaled: bigint;
  if (x.e >= 0) scaled = (x.m << BigInt(x.e)) * TEN17;
  else {
    const n = x.m * TEN17;
    const sh = BigInt(-x.e);
    const q = n >> sh;
    const rem = n - (q << sh);
    const half = 1n << (sh - 1n);
    scaled = rem > half || (rem === half && (q & 1n) === 1n) ? q + 1n : q;
  }
  const s = scaled.toString().padStart(18, '0');
  const frac = s.slice(-17).replace(/0+$/, '');
  const out = (x.neg ? '-' : '') + s.slice(0, -17) + (frac ? '.' + frac : '');
  return out === '-0' ? '0' : out;
}
