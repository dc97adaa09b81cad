// Formats doubles the way Redis 7.0 replies with them (printf "%.17g"; inf/-inf/nan spelled out),
// and the shortest round-trip form used by INCRBYFLOAT-style results.

/**
 * C's "%.17g" (glibc): 17 significant digits rounded half-to-even on the exact binary value,
 * trailing zeros removed, exponent form when the decimal exponent is < -4 or >= 17.
 * JS's toExponential rounds exact ties away from zero, so ties are detected and redone.
 */
export function formatG17(d: number): string {
  if (Number.isNaN(d)) return 'nan';
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  const neg = d < 0;
  const [digits, exp] = digits17(neg ? -d : d);
  let out: string;
  if (exp < -4 || exp >= 17) {
    const frac = trimZeros(digits.slice(1));
    const e = exp < 0 ? -exp : exp;
    out = `${digits[0]}${frac ? '.' + frac : ''}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  } else if (exp >= 0) {
    const frac = trimZeros(digits.slice(exp + 1));
    out = digits.slice(0, exp + 1) + (frac ? '.' + frac : '');
  } else {
    out = '0.' + '0'.repeat(-exp - 1) + trimZeros(digits);
  }
  return neg ? '-' + out : out;
}

/** The 17 significant digits of a positive finite double (half-even) and its decimal exponent. */
function digits17(x: number): [string, number] {
  let s = x.toExponential(16);
  const t18 = x.toExponential(17);
  // A tie needs the exact value to end in 5 at the 18th digit: only then look at the full expansion.
  if (t18.charCodeAt(18) === 53 /* '5' */) {
    const full = x.toExponential(99);
    if (/^\d\.\d{16}50*e/.test(full)) {
      const head = full.slice(0, 18); // "d.dddddddddddddddd" truncated to 17 digits
      const last = head.charCodeAt(17) - 48;
      s = last % 2 === 0 ? head + full.slice(full.indexOf('e')) : s; // even: truncate; odd: round up (= toExponential)
    }
  }
  const ePos = s.indexOf('e');
  return [s[0] + s.slice(2, ePos), Number(s.slice(ePos + 1))];
}

function trimZeros(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 48) end--;
  return s.slice(0, end);
}

/** Redis 7.0's double replies (ZSCORE, ZINCRBY, ...): "%.17g". */
export function formatDouble(d: number): string {
  return formatG17(d);
}

/** Shortest text that reads back as the same double, without exponent for ordinary magnitudes. */
export function formatShortest(d: number): string {
  if (Number.isNaN(d)) return 'nan';
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (Number.isInteger(d) && Math.abs(d) < 1e21) return BigInt(d).toString();
  const s = String(d);
  if (!s.includes('e')) return s;
  // Expand exponent notation into plain digits, as long double printing with %.17Lf would.
  return expandExponent(s);
}

function expandExponent(s: string): string {
  const neg = s.startsWith('-');
  const [mant, expPart] = s.replace('-', '').split('e');
  const exp = Number(expPart);
  const [intPart, frac = ''] = mant!.split('.');
  const digits = intPart! + frac;
  const point = intPart!.length + exp;
  let out: string;
  if (point <= 0) out = '0.' + '0'.repeat(-point) + digits;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = digits.slice(0, point) + '.' + digits.slice(point);
  return (neg ? '-' : '') + out;
}
