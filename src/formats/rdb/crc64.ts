// CRC-64 "Jones" (reflected polynomial 0x95AC9329AC4BC9B5, init 0, no final xor): the checksum
// Redis stores after the RDB EOF opcode and inside DUMP payloads.
//
// JavaScript has no fast 64-bit integers, so the register is kept as two u32 halves (lo, hi) and
// the tables are split the same way. Bytes are consumed eight at a time with slicing-by-8 tables
// (table k = the CRC of a byte followed by k zero bytes), so the inner loop does eight table
// lookups per 8 input bytes instead of eight dependent shift/xor steps; that keeps verification
// far ahead of parsing speed on large files; long ranges read the input as 32-bit words. The
// incremental API (`Crc64`) lets the reader feed each buffer window as it is discarded, so
// the whole file is never held in memory.

const POLY_LO = 0xac4bc9b5 | 0; // 0x95AC9329AC4BC9B5 split in halves
const POLY_HI = 0x95ac9329;

/** TLO[k * 256 + i] / THI[k * 256 + i]: slicing table k, entry i (k = 0 is the classic byte table). */
const TLO = new Int32Array(8 * 256);
const THI = new Int32Array(8 * 256);

(function buildTables(): void {
  for (let i = 0; i < 256; i++) {
    let lo = i;
    let hi = 0;
    for (let b = 0; b < 8; b++) {
      const carry = lo & 1;
      lo = (lo >>> 1) | ((hi & 1) << 31);
      hi = hi >>> 1;
      if (carry) {
        lo ^= POLY_LO;
        hi ^= POLY_HI;
      }
    }
    TLO[i] = lo;
    THI[i] = hi;
  }
  for (let k = 1; k < 8; k++) {
    for (let i = 0; i < 256; i++) {
      const plo = TLO[(k - 1) * 256 + i]!;
      const phi = THI[(k - 1) * 256 + i]!;
      const idx = plo & 0xff;
      TLO[k * 256 + i] = TLO[idx]! ^ ((plo >>> 8) | (phi << 24));
      THI[k * 256 + i] = THI[idx]! ^ (phi >>> 8);
    }
  }
})();

/** Word reads below assume the platform's byte order is little-endian (x86, ARM); else bytes only. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Incremental CRC-64 Jones over byte ranges fed in order. */
export class Crc64 {
  private lo = 0;
  private hi = 0;

  update(buf: Uint8Array, start = 0, end = buf.length): this {
    let lo = this.lo;
    let hi = this.hi;
    let p = start;
    const tl = TLO;
    const th = THI;
    const stop8 = end - 8;
    if (LITTLE_ENDIAN && end - start >= 64) {
      // The body as 32-bit words read straight from memory (two loads per 8 bytes instead of
      // eight byte loads): bytewise up to a 4-byte boundary, then words, then the tail below.
      while (((buf.byteOffset + p) & 3) !== 0) {
        const idx = (lo ^ buf[p]!) & 0xff;
        lo = tl[idx]! ^ ((lo >>> 8) | (hi << 24));
        hi = th[idx]! ^ (hi >>> 8);
        p++;
      }
      const words = (end - p) >>> 3;
      const w32 = new Int32Array(buf.buffer, buf.byteOffset + p, words * 2);
      for (let k = 0; k < w32.length; k += 2) {
        const a = lo ^ w32[k]!;
        const b = hi ^ w32[k + 1]!;
        const i0 = 7 * 256 + (a & 0xff);
        const i1 = 6 * 256 + ((a >>> 8) & 0xff);
        const i2 = 5 * 256 + ((a >>> 16) & 0xff);
        const i3 = 4 * 256 + (a >>> 24);
        const i4 = 3 * 256 + (b & 0xff);
        const i5 = 2 * 256 + ((b >>> 8) & 0xff);
        const i6 = 256 + ((b >>> 16) & 0xff);
        const i7 = b >>> 24;
        lo = tl[i0]! ^ tl[i1]! ^ tl[i2]! ^ tl[i3]! ^ tl[i4]! ^ tl[i5]! ^ tl[i6]! ^ tl[i7]!;
        hi = th[i0]! ^ th[i1]! ^ th[i2]! ^ th[i3]! ^ th[i4]! ^ th[i5]! ^ th[i6]! ^ th[i7]!;
      }
      p += words * 8;
    }
    while (p <= stop8) {
      const a = lo ^ (buf[p]! | (buf[p + 1]! << 8) | (buf[p + 2]! << 16) | (buf[p + 3]! << 24));
      const b = hi ^ (buf[p + 4]! | (buf[p + 5]! << 8) | (buf[p + 6]! << 16) | (buf[p + 7]! << 24));
      const i0 = 7 * 256 + (a & 0xff);
      const i1 = 6 * 256 + ((a >>> 8) & 0xff);
      const i2 = 5 * 256 + ((a >>> 16) & 0xff);
      const i3 = 4 * 256 + (a >>> 24);
      const i4 = 3 * 256 + (b & 0xff);
      const i5 = 2 * 256 + ((b >>> 8) & 0xff);
      const i6 = 256 + ((b >>> 16) & 0xff);
      const i7 = b >>> 24;
      lo = tl[i0]! ^ tl[i1]! ^ tl[i2]! ^ tl[i3]! ^ tl[i4]! ^ tl[i5]! ^ tl[i6]! ^ tl[i7]!;
      hi = th[i0]! ^ th[i1]! ^ th[i2]! ^ th[i3]! ^ th[i4]! ^ th[i5]! ^ th[i6]! ^ th[i7]!;
      p += 8;
    }
    while (p < end) {
      const idx = (lo ^ buf[p]!) & 0xff;
      lo = tl[idx]! ^ ((lo >>> 8) | (hi << 24));
      hi = th[idx]! ^ (hi >>> 8);
      p++;
    }
    this.lo = lo;
    this.hi = hi;
    return this;
  }

  /** The CRC as 16 lowercase hex digits (the 64-bit value written big-endian). */
  hex(): string {
    return (this.hi >>> 0).toString(16).padStart(8, '0') + (this.lo >>> 0).toString(16).padStart(8, '0');
  }

  value(): bigint {
    return (BigInt(this.hi >>> 0) << 32n) | BigInt(this.lo >>> 0);
  }
}

/** CRC-64 Jones of a whole buffer, as 16 hex digits. */
export function crc64Hex(buf: Uint8Array, start = 0, end = buf.length): string {
  return new Crc64().update(buf, start, end).hex();
}

/** A little-endian 8-byte trailer read as the same 16-hex-digit form `Crc64.hex()` gives. */
export function crcTrailerHex(buf: Uint8Array, at: number): string {
  let s = '';
  for (let i = 7; i >= 0; i--) s += buf[at + i]!.toString(16).padStart(2, '0');
  return s;
}
