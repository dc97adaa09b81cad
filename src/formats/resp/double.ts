// Formats doubles the way Redis 7.0 replies with them (printf "%.17g"; inf/-inf/nan spelled out),
// and the shortest round-trip form used by INCRBYFLOAT-style results.

/** C's "%.17g": 17 significant digits, trailing zeros removed, exponent form outside 1e-4..1e17. */
export function formatG17(d: number): string {
  if (Number.isNaN(d)) return 'nan';
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  const exp = Math.floor(Math.log10(Math.abs(d)));
  let s = d.toPrecision(17);
  // toPrecision may pick exponent form on its own; normalise to printf's rules.
  let e = exp;
  const m = /e([+-]\d+)$/.exec(s);
  if (m) e = Number(m[1]);
  else {
    const digitsBefore = s.replace('-', '').split('.')[0]!;
    e = digitsBefore === '0' ? exp : digitsBefore.length - 1;
  }
  if (e < -4 || e >= 17) {
    let mant = d.toExponential(16);
    const [mm, ee] = mant.split('e');
    let mantissa = mm!;
    if (mantissa.includes('.')) mantissa = mantissa.replace(/0+$/, '').replace(/\.$/, '');
    const en = Number(ee);
    mant = `${mantissa}e${en < 0 ? '-' : '+'}${String(Math.abs(en)).padStart(2, '0')}`;
    return mant;
  }
  if (s.includes('e')) s = d.toFixed(Math.max(0, 16 - e));
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s;
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
