// Longest common subsequence of two byte strings, for the LCS command. Redis fills the classic
// dynamic-programming table and walks it back from the bottom-right corner; the walk's tie-breaking
// (step along the first string only when that keeps a strictly longer LCS) decides which of the
// equally long subsequences is returned and how the IDX ranges are cut, so the walk below keeps
// exactly that rule. Ranges come out last-first, as Redis emits them.

/** One contiguous run of the subsequence: inclusive byte ranges in each string. */
export interface LcsRange {
  a: [number, number];
  b: [number, number];
  len: number;
}

export interface LcsResult {
  /** Length of the longest common subsequence. */
  len: number;
  /** The subsequence itself (only when asked for). */
  text: string;
  /** The runs (only when asked for), filtered by the minimum length. */
  ranges: LcsRange[];
}

/** Bytes the table would take in Redis (uint32 cells); LCS refuses above proto-max-bulk-len. */
export function lcsTableBytes(alen: number, blen: number): number {
  return (alen + 1) * (blen + 1) * 4;
}

/**
 * Computes the LCS of `a` and `b`. `wantWalk` asks for the subsequence and the ranges (they come
 * from the same walk); `minLen` drops ranges shorter than it (0 keeps all).
 */
export function longestCommonSubsequence(a: string, b: string, wantWalk: boolean, minLen: number): LcsResult {
  const alen = a.length;
  const blen = b.length;
  const width = blen + 1;
  const cells = (alen + 1) * width;
  // Cell values never exceed min(alen, blen): 16-bit cells halve the memory when that allows.
  const table = Math.min(alen, blen) < 65536 ? new Uint16Array(cells) : new Uint32Array(cells);
  for (let i = 1; i <= alen; i++) {
    const ac = a.charCodeAt(i - 1);
    const row = i * width;
    const prev = row - width;
    for (let j = 1; j <= blen; j++) {
      if (ac === b.charCodeAt(j - 1)) table[row + j] = table[prev + j - 1]! + 1;
      else {
        const up = table[prev + j]!;
        const left = table[row + j - 1]!;
        table[row + j] = up > left ? up : left;
      }
    }
  }
  const len = table[alen * width + blen]!;
  const ranges: LcsRange[] = [];
  if (!wantWalk) return { len, text: '', ranges };

  const chars: string[] = new Array<string>(len);
  let k = len;
  // The run being grown backwards; aStart === alen means "no run open".
  let aStart = alen;
  let aEnd = 0;
  let bStart = 0;
  let bEnd = 0;
  let i = alen;
  let j = blen;
  while (i > 0 && j > 0) {
    let close = false;
    if (a.charCodeAt(i - 1) === b.charCodeAt(j - 1)) {
      chars[--k] = a[i - 1]!;
      if (aStart === alen) {
        aStart = aEnd = i - 1;
        bStart = bEnd = j - 1;
      } else if (aStart === i && bStart === j) {
        aStart--;
        bStart--;
      } else {
        close = true;
      }
      if (aStart === 0 || bStart === 0) close = true;
      i--;
      j--;
    } else {
      if (table[(i - 1) * width + j]! > table[i * width + j - 1]!) i--;
      else j--;
      if (aStart !== alen) close = true;
    }
    if (close) {
      const runLen = aEnd - aStart + 1;
      if (minLen === 0 || runLen >= minLen) ranges.push({ a: [aStart, aEnd], b: [bStart, bEnd], len: runLen });
      aStart = alen;
    }
  }
  return { len, text: chars.join(''), ranges };
}
