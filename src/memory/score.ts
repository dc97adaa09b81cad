// How a sorted-set score is written into a listpack: a score that is a whole number within
// +-2^62 is stored as a listpack integer; any other score is stored as the text Redis's
// d2string() prints ("%.17g", or "inf"/"-inf"). The entry size depends on that text's length,
// so the formatting must match C's %.17g exactly in length (digits, exponent form, no trailing
// zeros).

import { intEntrySize, stringEntrySize } from './listpack.js';

const HALF_LLONG = 2 ** 62; // (double)(LLONG_MAX / 2)

/** The integer double2ll() would take from the score, or null. */
function scoreAsInteger(score: number): bigint | null {
  if (!Number.isFinite(score)) return null;
  if (score < -HALF_LLONG || score > HALF_LLONG) return null;
  if (!Number.isInteger(score)) return null;
  return BigInt(score); // -0 becomes 0n, as the C cast does
}

/** C's printf("%.17g", x) for a finite, non-zero x. */
export function formatG17(x: number): string {
  const exp = x.toExponential(16); // d.dddddddddddddddde[+-]X, correctly rounded to 17 digits
  const [mant, e] = exp.split('e') as [string, string];
  const X = Number(e);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  let out: string;
  if (X < -4 || X >= 17) {
    let frac = digits.slice(1).replace(/0+$/, '');
    frac = frac ? `.${frac}` : '';
    const ex = Math.abs(X) < 10 ? `0${Math.abs(X)}` : String(Math.abs(X));
    out = `${digits[0]}${frac}e${X < 0 ? '-' : '+'}${ex}`;
  } else if (X >= 0) {
    const intPart = digits.slice(0, X + 1);
    const frac = digits.slice(X + 1).replace(/0+$/, '');
    out = frac ? `${intPart}.${frac}` : intPart;
  } else {
    const frac = ('0'.repeat(-X - 1) + digits).replace(/0+$/, '');
    out = `0.${frac}`;
  }
  return neg ? `-${out}` : out;
}

/** d2string(): the text Redis writes for a non-integer score. */
export function d2string(score: number): string {
  if (Number.isNaN(score)) return 'nan';
  if (score === Infinity) return 'inf';
  if (score === -Infinity) return '-inf';
  if (score === 0) return Object.is(score, -0) ? '-0' : '0';
  const asInt = scoreAsInteger(score);
  if (asInt !== null) return asInt.toString();
  return formatG17(score);
}

/** Listpack entry size of a score as zzlInsertAt() writes it. */
export function scoreEntrySize(score: number): number {
  const asInt = scoreAsInteger(score);
  if (asInt !== null) return intEntrySize(asInt);
  // A non-integral score's text never parses as a canonical integer, so it is a string entry.
  return stringEntrySize(d2string(score).length);
}
