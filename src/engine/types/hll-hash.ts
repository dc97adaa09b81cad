// The hash HyperLogLog feeds its registers from (hyperloglog.c): MurmurHash64A, seed 0xadc83b19,
// over the element's bytes read as little-endian 64-bit words, so every machine agrees. The
// register index is the hash's low 14 bits; the register value is the length of the run of zero
// bits above them, counting the closing 1 (at most 51). JS has no 64-bit integers without BigInt
// (too slow for PFADD of many elements), so the arithmetic runs on 32-bit halves: a 64x64-bit
// product keeps its low 64 bits, assembled from 16-bit partial products that doubles hold exactly.

const SEED = 0xadc83b19;
const M_HI = 0xc6a4a793;
const M_LO = 0x5bd1e995;
const P = 14;
const INDEX_MASK = (1 << P) - 1;

// The result of the last mul64 call (two module-level slots keep the hot loop allocation-free).
let outHi = 0;
let outLo = 0;

/** (ah:al) * (bh:bl) mod 2^64 into outHi:outLo. */
function mul64(ah: number, al: number, bh: number, bl: number): void {
  const a0 = al & 0xffff;
  const a1 = al >>> 16;
  const b0 = bl & 0xffff;
  const b1 = bl >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const p11 = a1 * b1;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  const carry = p11 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16);
  outLo = (((mid & 0xffff) << 16) | (p00 & 0xffff)) >>> 0;
  outHi = (carry + Math.imul(ah, bl) + Math.imul(al, bh)) >>> 0;
}

/** MurmurHash64A of a latin1 byte string, as [high 32 bits, low 32 bits] in outHi/outLo. */
function murmur64(s: string): void {
  const len = s.length;
  mul64(0, len >>> 0, M_HI, M_LO);
  let hHi = outHi;
  let hLo = (outLo ^ SEED) >>> 0;
  const whole = len - (len & 7);
  let i = 0;
  for (; i < whole; i += 8) {
    let kLo = (s.charCodeAt(i) | (s.charCodeAt(i + 1) << 8) | (s.charCodeAt(i + 2) << 16) | (s.charCodeAt(i + 3) << 24)) >>> 0;
    let kHi = (s.charCodeAt(i + 4) | (s.charCodeAt(i + 5) << 8) | (s.charCodeAt(i + 6) << 16) | (s.charCodeAt(i + 7) << 24)) >>> 0;
    mul64(kHi, kLo, M_HI, M_LO);
    kHi = outHi;
    kLo = (outLo ^ (outHi >>> 15)) >>> 0; // k ^= k >> 47
    mul64(kHi, kLo, M_HI, M_LO);
    hHi = (hHi ^ outHi) >>> 0;
    hLo = (hLo ^ outLo) >>> 0;
    mul64(hHi, hLo, M_HI, M_LO);
    hHi = outHi;
    hLo = outLo;
  }
  const rest = len & 7;
  if (rest > 0) {
    // Tail bytes 4..6 land in the high word, 0..3 in the low word.
    for (let j = rest - 1; j >= 0; j--) {
      const b = s.charCodeAt(i + j);
      if (j >= 4) hHi = (hHi ^ (b << ((j - 4) * 8))) >>> 0;
      else hLo = (hLo ^ (b << (j * 8))) >>> 0;
    }
    mul64(hHi, hLo, M_HI, M_LO);
    hHi = outHi;
    hLo = outLo;
  }
  hLo = (hLo ^ (hHi >>> 15)) >>> 0; // h ^= h >> 47
  mul64(hHi, hLo, M_HI, M_LO);
  hHi = outHi;
  hLo = (outLo ^ (outHi >>> 15)) >>> 0;
  outHi = hHi;
  outLo = hLo;
}

/** The full 64-bit hash as a bigint (tests and debugging). */
export function murmurHash64A(s: string): bigint {
  murmur64(s);
  return (BigInt(outHi) << 32n) | BigInt(outLo);
}

/** Trailing zero bits of a non-zero 32-bit value. */
function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}

/**
 * hllPatLen: the register an element hashes to and the value it proposes for it. Returns
 * index * 64 + count so the caller gets both without an allocation (count is 1..51).
 */
export function hllPattern(ele: string): number {
  murmur64(ele);
  const index = outLo & INDEX_MASK;
  // hash >> 14, with bit 50 set so the run ends by then.
  const lo = ((outLo >>> P) | (outHi << (32 - P))) >>> 0;
  const hi = (outHi >>> P) | (1 << (50 - 32));
  const count = lo !== 0 ? ctz32(lo) + 1 : 32 + ctz32(hi) + 1;
  return index * 64 + count;
}
