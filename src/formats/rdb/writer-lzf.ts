// LZF compression for the RDB writer (the reader's lzf.ts decompresses). Redis compresses a string
// it saves when `rdbcompression` is on and the string is longer than 20 bytes, and keeps the
// compressed form only when it is at least 4 bytes shorter; this file gives that verdict.
//
// Format (what lzf.ts decodes): a control byte below 32 starts a literal run of control+1 bytes;
// otherwise its top 3 bits are the match length minus 2 (7 = "one more length byte follows"), its
// low 5 bits the high bits of the distance minus 1, and the next byte the distance's low 8 bits.
// Matches are found with a hash of the next 3 bytes pointing at the last position that had them;
// distances reach back at most 8 KiB and a match is at most 264 bytes long.

const HASH_BITS = 14;
const HASH_SIZE = 1 << HASH_BITS;
const MAX_LITERAL = 32;
const MAX_DISTANCE = 1 << 13;
const MAX_MATCH = 264;

/** Reused hash table of positions + 1 (0 = empty); cleared per call with a generation stamp. */
const table = new Int32Array(HASH_SIZE);
const stamp = new Uint32Array(HASH_SIZE);
let generation = 0;
/** Reused output buffer; the result is copied out of it. */
let scratch = new Uint8Array(4096);

function hash3(src: Uint8Array, p: number): number {
  const v = (src[p]! << 16) | (src[p + 1]! << 8) | src[p + 2]!;
  return Math.imul(v, 0x9e3779b1) >>> (32 - HASH_BITS);
}

/**
 * Compresses src[0, len) into a new buffer of at most `limit` bytes. Returns the compressed bytes,
 * or null when they would not fit in `limit` (Redis then stores the string uncompressed).
 */
export function lzfCompress(src: Uint8Array, limit: number): Uint8Array | null {
  const len = src.length;
  if (limit <= 0) return null;
  generation = (generation + 1) >>> 0;
  if (generation === 0) {
    stamp.fill(0);
    generation = 1;
  }
  if (scratch.length < limit + MAX_LITERAL + 8) scratch = new Uint8Array(Math.max(limit + MAX_LITERAL + 8, scratch.length * 2));
  const out = scratch;
  let op = 0;
  let litStart = 0;
  let ip = 0;

  const flushLiterals = (end: number): boolean => {
    let p = litStart;
    while (p < end) {
      const n = Math.min(MAX_LITERAL, end - p);
      if (op + 1 + n > limit) return false;
      out[op++] = n - 1;
      out.set(src.subarray(p, p + n), op);
      op += n;
      p += n;
    }
    litStart = end;
    return true;
  };

  while (ip + 2 < len) {
    const h = hash3(src, ip);
    const ref = stamp[h] === generation ? table[h]! - 1 : -1;
    table[h] = ip + 1;
    stamp[h] = generation;
    const dist = ip - ref - 1;
    if (ref >= 0 && dist < MAX_DISTANCE && src[ref] === src[ip] && src[ref + 1] === src[ip + 1] && src[ref + 2] === src[ip + 2]) {
      const maxLen = Math.min(MAX_MATCH, len - ip);
      let m = 3;
      while (m < maxLen && src[ref + m] === src[ip + m]) m++;
      if (!flushLiterals(ip)) return null;
      const l = m - 2;
      if (l < 7) {
        if (op + 2 > limit) return null;
        out[op++] = (l << 5) | (dist >> 8);
      } else {
        if (op + 3 > limit) return null;
        out[op++] = (7 << 5) | (dist >> 8);
        out[op++] = l - 7;
      }
      out[op++] = dist & 0xff;
      // Index the positions the match covered so later data can refer to them.
      const stop = Math.min(ip + m, len - 2);
      for (let q = ip + 1; q < stop; q++) {
        const hq = hash3(src, q);
        table[hq] = q + 1;
        stamp[hq] = generation;
      }
      ip += m;
      litStart = ip;
    } else {
      ip++;
    }
  }
  if (!flushLiterals(len)) return null;
  if (op > limit) return null;
  return out.slice(0, op);
}
