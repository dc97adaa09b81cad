// LZF decompression, the only compression RDB files use (strings longer than 20 bytes when
// rdbcompression is on, and compressed quicklist nodes).
//
// The stream is a sequence of runs: a control byte below 32 means "copy the next ctrl+1 bytes
// literally"; otherwise it is a back-reference of (ctrl >> 5) + 2 bytes (7 means "add the next
// byte") starting ((ctrl & 31) << 8) + next + 1 bytes behind the output position. References may
// overlap their own output, so short copies go byte by byte. The output must come out at exactly
// the length the RDB header announced; anything else is a corrupt string, reported by returning
// a problem text (the reader turns it into a FileFormatError with the file offset).

/** The most output one input byte can yield: a 3-byte back-reference emits up to 264 bytes. */
export const LZF_MAX_RATIO = 88;

/**
 * Decompresses src[start, end) into out[outStart, outStart + outLen). Returns null on success or
 * the problem found ("back-reference before the start of the output", ...).
 */
export function lzfDecompress(
  src: Uint8Array,
  start: number,
  end: number,
  out: Uint8Array,
  outStart: number,
  outLen: number,
): string | null {
  let ip = start;
  let op = outStart;
  const outEnd = outStart + outLen;
  while (ip < end) {
    const ctrl = src[ip++]!;
    if (ctrl < 32) {
      const n = ctrl + 1;
      if (op + n > outEnd) return 'LZF data expands past the announced length';
      if (ip + n > end) return 'LZF literal run past the end of the compressed data';
      for (let i = 0; i < n; i++) out[op + i] = src[ip + i]!; // at most 32 bytes
      ip += n;
      op += n;
    } else {
      let len = ctrl >> 5;
      if (len === 7) {
        if (ip >= end) return 'LZF back-reference cut off at the end of the compressed data';
        len += src[ip++]!;
      }
      if (ip >= end) return 'LZF back-reference cut off at the end of the compressed data';
      const ref = op - ((ctrl & 0x1f) << 8) - 1 - src[ip++]!;
      len += 2;
      if (op + len > outEnd) return 'LZF data expands past the announced length';
      if (ref < outStart) return 'LZF back-reference before the start of the output';
      if (ref + len <= op && len >= 32) {
        out.copyWithin(op, ref, ref + len);
        op += len;
      } else {
        for (let i = 0; i < len; i++) out[op + i] = out[ref + i]!;
        op += len;
      }
    }
  }
  if (op !== outEnd) return `LZF data decompresses to ${op - outStart} bytes, not the announced ${outLen}`;
  return null;
}
