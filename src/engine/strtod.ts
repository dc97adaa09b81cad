// C's strtod as glibc implements it (decimal and hex floats, inf/infinity, ERANGE on overflow and
// underflow, parsing stopping at the first unusable byte), and string2d on top of it: the number
// parsers behind Redis's "value is not a valid float" replies (scores, weights, increments, ranges).

export interface Strtod {
  value: number;
  /** Index just past the parsed text; 0 when nothing was converted. */
  end: number;
  /** strtod would set errno = ERANGE (overflow to inf, or underflow). */
  erange: boolean;
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

function startsWithWord(s: string, i: number, word: string): boolean {
  return s.slice(i, i + word.length).toLowerCase() === word;
}

/** glibc strtod on a byte string (parsing stops at the first byte it cannot use, NUL included). */
export function strtod(s: string): Strtod {
  const n = s.length;
  let i = 0;
  while (i < n && isSpace(s.charCodeAt(i))) i++;
  let neg = false;
  const c0 = s.charCodeAt(i);
  if (c0 === 43 || c0 === 45) {
    neg = c0 === 45;
    i++;
  }
  if (startsWithWord(s, i, 'inf')) {
    const end = startsWithWord(s, i, 'infinity') ? i + 8 : i + 3;
    return { value: neg ? -Infinity : Infinity, end, erange: false };
  }
  if (startsWithWord(s, i, 'nan')) {
    let end = i + 3;
    if (s.charCodeAt(end) === 40) {
      let j = end + 1;
      while (j < n && /[0-9A-Za-z_]/.test(s[j]!)) j++;
      if (s.charCodeAt(j) === 41) end = j + 1;
    }
    return { value: NaN, end, erange: false };
  }
  if (s.charCodeAt(i) === 48 && (s.charCodeAt(i + 1) | 32) === 120) {
    const hex = parseHex(s, i + 2, neg);
    if (hex) return hex;
  }
  const start = i;
  let digits = 0;
  let nonZero = false;
  while (i < n && isDigit(s.charCodeAt(i))) {
    if (s.charCodeAt(i) !== 48) nonZero = true;
    i++;
    digits++;
  }
  if (s.charCodeAt(i) === 46) {
    i++;
    while (i < n && isDigit(s.charCodeAt(i))) {
      if (s.charCodeAt(i) !== 48) nonZero = true;
      i++;
      digits++;
    }
  }
  if (digits === 0) return { value: 0, end: 0, erange: false };
  if ((s.charCodeAt(i) | 32) === 101) {
    let j = i + 1;
    const sc = s.charCodeAt(j);
    if (sc === 43 || sc === 45) j++;
    if (isDigit(s.charCodeAt(j))) {
      while (j < n && isDigit(s.charCodeAt(j))) j++;
      i = j;
    }
  }
  const text = s.slice(start, i);
  const abs = Number(text);
  const value = neg ? -abs : abs;
  const erange = abs === Infinity || (abs === 0 && nonZero) || (abs !== 0 && abs < 2.2250738585072014e-308);
  return { value, end: i, erange };
}

/** Hex floats ("0x1.8p3"); undefined when no hex digit follows "0x" (strtod then reads just "0"). */
function parseHex(s: string, i: number, neg: boolean): Strtod | undefined {
  const n = s.length;
  let mant = 0n;
  let digits = 0;
  let exp = 0;
  while (i < n && hexVal(s.charCodeAt(i)) >= 0) {
    mant = mant * 16n + BigInt(hexVal(s.charCodeAt(i)));
    i++;
    digits++;
  }
  if (s.charCodeAt(i) === 46) {
    i++;
    while (i < n && hexVal(s.charCodeAt(i)) >= 0) {
      mant = mant * 16n + BigInt(hexVal(s.charCodeAt(i)));
      exp -= 4;
      i++;
      digits++;
    }
  }
  if (digits === 0) return undefined;
  if ((s.charCodeAt(i) | 32) === 112) {
    let j = i + 1;
    let eneg = false;
    const sc = s.charCodeAt(j);
    if (sc === 43 || sc === 45) {
      eneg = sc === 45;
      j++;
    }
    if (isDigit(s.charCodeAt(j))) {
      let e = 0;
      while (j < n && isDigit(s.charCodeAt(j))) {
        e = Math.min(e * 10 + (s.charCodeAt(j) - 48), 1e6);
        j++;
      }
      exp += eneg ? -e : e;
      i = j;
    }
  }
  let abs = Number(mant);
  if (abs !== 0) abs = exp >= 0 ? abs * 2 ** Math.min(exp, 2000) : abs / 2 ** Math.min(-exp, 2000);
  const erange = abs === Infinity || (abs === 0 && mant !== 0n);
  return { value: neg ? -abs : abs, end: i, erange };
}

/** string2d: a score, weight or increment (ZADD, ZINCRBY, WEIGHTS). Null when Redis refuses it. */
export function parseDouble(s: string): number | null {
  if (s.length === 0 || isSpace(s.charCodeAt(0))) return null;
  const r = strtod(s);
  if (r.end !== s.length || Number.isNaN(r.value)) return null;
  if (r.erange && (r.value === 0 || !Number.isFinite(r.value))) return null;
  return r.value;
}

