// printf's %g for JavaScript numbers. Lua 5.1 prints numbers with "%.14g" and Redis passes them
// to commands with "%.17g"; JavaScript's own formatting differs (exponent form, rounding of exact
// ties), so both conversions go through this one function. It has no imports, so that the Lua
// loader can install it into fengari before fengari's own modules load.

/** C's printf("%.<precision>g"). */
export function formatG(n: number, precision: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  let expText = n.toExponential(precision - 1);
  // JavaScript rounds exact ties away from zero; printf rounds them to even.
  const exact = n.toExponential(Math.min(100, precision + 40));
  const mantDigits = exact.slice(0, exact.indexOf('e')).replace(/[-.]/g, '');
  if (/^50*$/.test(mantDigits.slice(precision))) {
    const kept = Number(mantDigits[precision - 1]);
    if (kept % 2 === 0) {
      const e0 = exact.slice(exact.indexOf('e'));
      const digits = mantDigits.slice(0, precision);
      expText = `${n < 0 ? '-' : ''}${digits[0]}${precision > 1 ? `.${digits.slice(1)}` : ''}${e0}`;
    }
  }
  const e = Number(expText.slice(expText.indexOf('e') + 1));
  if (e < -4 || e >= precision) {
    let mant = expText.slice(0, expText.indexOf('e'));
    if (mant.includes('.')) mant = mant.replace(/0+$/, '').replace(/\.$/, '');
    const abs = Math.abs(e);
    return `${mant}e${e < 0 ? '-' : '+'}${abs < 10 ? '0' : ''}${abs}`;
  }
  let fixed = n.toFixed(Math.max(0, precision - 1 - e));
  if (fixed.includes('.')) fixed = fixed.replace(/0+$/, '').replace(/\.$/, '');
  return fixed;
}

