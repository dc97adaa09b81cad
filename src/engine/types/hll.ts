// HyperLogLog values (hyperloglog.c). An HLL is an ordinary string, so its bytes are the format:
// a 16-byte header ("HYLL", encoding byte, 3 unused bytes, 8-byte little-endian cached
// cardinality whose top bit marks it stale) followed by 16384 six-bit registers, either
// - dense: 12288 bytes, register i in bits 6i..6i+5 counted from each byte's least significant
//   bit (a register may straddle two bytes), or
// - sparse: a run-length code of opcodes: ZERO 00xxxxxx (1..64 zero registers), XZERO 01xxxxxx
//   xxxxxxxx (1..16384 zero registers), VAL 1vvvvvxx (1..4 registers of value 1..32).
// Every change is replayed opcode by opcode exactly as Redis does it (split, then merge adjacent
// VALs within 5 opcodes), because GET and replication expose the bytes, and promotion to dense
// happens at the same moment: a value above 32, or growth past hll-sparse-max-bytes. Corrupt
// inputs fail at the same points and leave the same partial state. The sds capacity behind a
// sparse value is replayed too (MEMORY USAGE shows it). Work happens on a Uint8Array with one
// spare zero byte after the data (Redis relies on sds's terminator when reading the last dense
// register); callers convert to the latin1 string once per command.

import { hllPattern } from './hll-hash.js';
import { REDIS_7_0 } from '../../memory/index.js';
import { sdsMakeRoomFor, type SdsState } from '../../memory/sds.js';
import { exactSds } from './string-sds.js';

export const HLL_REGISTERS = 16384;
export const HLL_HDR = 16;
export const HLL_DENSE_SIZE = HLL_HDR + (HLL_REGISTERS * 6) / 8;
export const HLL_DENSE = 0;
export const HLL_SPARSE = 1;
const Q_PLUS_1 = 51;
const VAL_MAX_VALUE = 32;
const VAL_MAX_LEN = 4;
const ZERO_MAX_LEN = 64;
const XZERO_MAX_LEN = 16384;
const ALPHA_INF = 0.7213475204444817; // 0.5 / ln(2), the nearest double

export const INVALID_HLL = '-INVALIDOBJ Corrupted HLL object detected';
export const NOT_HLL = '-WRONGTYPE Key is not a valid HyperLogLog string value.';

/** An HLL being changed: its bytes (capacity > len, zero past len) and the sds it lives in. */
export interface HllWork {
  b: Uint8Array;
  len: number;
  sds: SdsState;
}

// --- opening and closing -------------------------------------------------------------------------

export function openHll(v: string, sds: SdsState): HllWork {
  const b = new Uint8Array(v.length + 8);
  b.set(Buffer.from(v, 'latin1'));
  return { b, len: v.length, sds };
}

export function hllText(h: HllWork): string {
  return Buffer.from(h.b.buffer, h.b.byteOffset, h.len).toString('latin1');
}

/** createHLLObject: an empty sparse HLL, one XZERO covering all registers. */
export function newHll(): HllWork {
  const len = HLL_HDR + 2;
  const b = new Uint8Array(len + 8);
  b.set([72, 89, 76, 76, HLL_SPARSE], 0);
  b[HLL_HDR] = 0x40 | ((XZERO_MAX_LEN - 1) >> 8);
  b[HLL_HDR + 1] = (XZERO_MAX_LEN - 1) & 0xff;
  return { b, len, sds: exactSds(len) };
}

/** isHLLObjectOrReply's checks on the bytes of a (non-integer) string value. */
export function isHllValue(v: string): boolean {
  if (v.length < HLL_HDR || !v.startsWith('HYLL')) return false;
  const enc = v.charCodeAt(4);
  if (enc > HLL_SPARSE) return false;
  return enc !== HLL_DENSE || v.length === HLL_DENSE_SIZE;
}

function grow(h: HllWork, extra: number): void {
  if (h.len + extra < h.b.length) return;
  const nb = new Uint8Array(Math.max(h.b.length * 2, h.len + extra + 8));
  nb.set(h.b.subarray(0, h.len));
  h.b = nb;
}

export function invalidateCache(h: HllWork): void {
  h.b[15]! |= 0x80;
}

export function cacheValid(v: string): boolean {
  return (v.charCodeAt(15) & 0x80) === 0;
}

export function cachedCard(v: string): bigint {
  let c = 0n;
  for (let i = 15; i >= 8; i--) c = (c << 8n) | BigInt(v.charCodeAt(i));
  return c;
}

export function storeCard(h: HllWork, card: bigint): void {
  for (let i = 0; i < 8; i++) h.b[8 + i] = Number((card >> BigInt(8 * i)) & 0xffn);
}

// --- dense registers -----------------------------------------------------------------------------

export function denseGet(b: Uint8Array, reg: number): number {
  const bit = reg * 6;
  const byte = HLL_HDR + (bit >> 3);
  const fb = bit & 7;
  return ((b[byte]! >> fb) | (b[byte + 1]! << (8 - fb))) & 63;
}

function denseSetRaw(b: Uint8Array, reg: number, val: number): void {
  const bit = reg * 6;
  const byte = HLL_HDR + (bit >> 3);
  const fb = bit & 7;
  b[byte] = (b[byte]! & ~(63 << fb)) | ((val << fb) & 0xff);
  b[byte + 1] = (b[byte + 1]! & ~(63 >> (8 - fb))) | (val >> (8 - fb));
}

/** hllDenseSet: raises register `reg` to `count`; 1 when it changed. */
function denseSet(b: Uint8Array, reg: number, count: number): number {
  if (count > denseGet(b, reg)) {
    denseSetRaw(b, reg, count);
    return 1;
  }
  return 0;
}

// --- sparse representation -----------------------------------------------------------------------

const isZero = (op: number): boolean => (op & 0xc0) === 0;
const isXZero = (op: number): boolean => (op & 0xc0) === 0x40;
const isVal = (op: number): boolean => (op & 0x80) !== 0;
const zeroLen = (op: number): number => (op & 0x3f) + 1;
const xzeroLen = (b: Uint8Array, p: number): number => (((b[p]! & 0x3f) << 8) | b[p + 1]!) + 1;
const valValue = (op: number): number => ((op >> 2) & 0x1f) + 1;
const valLen = (op: number): number => (op & 0x3) + 1;
const valOp = (val: number, len: number): number => (((val - 1) << 2) | (len - 1) | 0x80) & 0xff;

/** hllSparseToDense: false (and `h` untouched) when the sparse code does not cover 16384 registers. */
export function sparseToDense(h: HllWork): boolean {
  if (h.b[4] === HLL_DENSE) return true;
  const d = new Uint8Array(HLL_DENSE_SIZE + 1);
  d.set(h.b.subarray(0, HLL_HDR));
  d[4] = HLL_DENSE;
  const b = h.b;
  let idx = 0;
  let p = HLL_HDR;
  while (p < h.len) {
    const op = b[p]!;
    if (isZero(op)) {
      idx += zeroLen(op);
      p++;
    } else if (isXZero(op)) {
      idx += xzeroLen(b, p);
      p += 2;
    } else {
      let run = valLen(op);
      const val = valValue(op);
      if (run + idx > HLL_REGISTERS) break;
      while (run--) denseSetRaw(d, idx++, val);
      p++;
    }
  }
  if (idx !== HLL_REGISTERS) return false;
  h.b = d;
  h.len = HLL_DENSE_SIZE;
  h.sds = exactSds(HLL_DENSE_SIZE);
  return true;
}

/**
 * hllSparseSet: raises register `index` to `count` in a sparse HLL, promoting it to dense when
 * the sparse code cannot hold the result. 1 changed, 0 unchanged, -1 corrupt.
 */
export function sparseSet(h: HllWork, index: number, count: number, maxBytes: number): number {
  if (count > VAL_MAX_VALUE) return promote(h, index, count);
  h.sds = sdsMakeRoomFor({ ...h.sds, len: h.len }, 3, true, REDIS_7_0.lgQuantum, REDIS_7_0.sdsMaxPrealloc);
  grow(h, 3);
  const b = h.b;
  let end = h.len;
  let p = HLL_HDR;
  let first = 0;
  let prev = -1;
  let span = 0;
  while (p < end) {
    const op = b[p]!;
    let oplen = 1;
    if (isZero(op)) span = zeroLen(op);
    else if (isVal(op)) span = valLen(op);
    else {
      span = xzeroLen(b, p);
      oplen = 2;
    }
    if (index <= first + span - 1) break;
    prev = p;
    p += oplen;
    first += span;
  }
  if (span === 0 || p >= end) return -1;
  let next = isXZero(b[p]!) ? p + 2 : p + 1;
  if (next >= end) next = -1;

  const op = b[p]!;
  const zero = isZero(op);
  const xzero = isXZero(op);
  const runlen = zero ? zeroLen(op) : xzero ? xzeroLen(b, p) : valLen(op);
  let done = false;
  if (!zero && !xzero) {
    if (valValue(op) >= count) return 0;
    if (runlen === 1) {
      b[p] = valOp(count, 1);
      done = true;
    }
  }
  if (!done && zero && runlen === 1) {
    b[p] = valOp(count, 1);
    done = true;
  }
  if (!done) {
    const seq: number[] = [];
    const last = first + span - 1;
    const pushZeros = (len: number): void => {
      if (len > ZERO_MAX_LEN) seq.push(0x40 | ((len - 1) >> 8), (len - 1) & 0xff);
      else seq.push(len - 1);
    };
    if (zero || xzero) {
      if (index !== first) pushZeros(index - first);
      seq.push(valOp(count, 1));
      if (index !== last) pushZeros(last - index);
    } else {
      const cur = valValue(op);
      if (index !== first) seq.push(valOp(cur, index - first));
      seq.push(valOp(count, 1));
      if (index !== last) seq.push(valOp(cur, last - index));
    }
    const oldlen = xzero ? 2 : 1;
    const delta = seq.length - oldlen;
    if (delta > 0 && h.len + delta > maxBytes) return promote(h, index, count);
    if (delta !== 0 && next >= 0) b.copyWithin(next + delta, next, end);
    h.len += delta;
    for (let i = 0; i < seq.length; i++) b[p + i] = seq[i]!;
    end += delta;
    if (delta < 0) b.fill(0, end, end - delta);
  }

  // Merge adjacent VAL opcodes of equal value, scanning up to 5 opcodes from the previous one.
  p = prev >= 0 ? prev : HLL_HDR;
  let scan = 5;
  while (p < end && scan--) {
    const o = b[p]!;
    if (isXZero(o)) {
      p += 2;
      continue;
    }
    if (isZero(o)) {
      p++;
      continue;
    }
    if (p + 1 < end && isVal(b[p + 1]!)) {
      const v1 = valValue(o);
      const v2 = valValue(b[p + 1]!);
      if (v1 === v2) {
        const len = valLen(o) + valLen(b[p + 1]!);
        if (len <= VAL_MAX_LEN) {
          b[p + 1] = valOp(v1, len);
          b.copyWithin(p, p + 1, end);
          end--;
          b[end] = 0;
          h.len--;
          continue;
        }
      }
    }
    p++;
  }
  invalidateCache(h);
  return 1;
}

function promote(h: HllWork, index: number, count: number): number {
  if (!sparseToDense(h)) return -1;
  return denseSet(h.b, index, count);
}

/** hllAdd: 1 when a register changed, 0 when not, -1 when the value is corrupt. */
export function hllAdd(h: HllWork, ele: string, maxBytes: number): number {
  const pat = hllPattern(ele);
  const index = pat >> 6;
  const count = pat & 63;
  switch (h.b[4]) {
    case HLL_DENSE:
      return denseSet(h.b, index, count);
    case HLL_SPARSE:
      return sparseSet(h, index, count, maxBytes);
    default:
      return -1;
  }
}

/** Raises each register of `h` to the value in `max` (PFMERGE's write-back). */
export function setRegisters(h: HllWork, max: Uint8Array, maxBytes: number): void {
  for (let j = 0; j < HLL_REGISTERS; j++) {
    const v = max[j]!;
    if (v === 0) continue;
    if (h.b[4] === HLL_DENSE) denseSet(h.b, j, v);
    else if (h.b[4] === HLL_SPARSE) sparseSet(h, j, v, maxBytes);
  }
}

// --- reading: merge, histogram, cardinality --------------------------------------------------------

/** A dense value's bytes plus the zero byte the last register reads. */
function denseBytes(v: string): Uint8Array {
  const b = new Uint8Array(HLL_DENSE_SIZE + 1);
  b.set(Buffer.from(v, 'latin1'));
  return b;
}

/** hllMerge: max[i] = max(max[i], register i of the HLL in `v`); false when a sparse code is corrupt. */
export function mergeInto(max: Uint8Array, v: string): boolean {
  if (v.charCodeAt(4) === HLL_DENSE) {
    const b = denseBytes(v);
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const r = denseGet(b, i);
      if (r > max[i]!) max[i] = r;
    }
    return true;
  }
  let i = 0;
  let p = HLL_HDR;
  const end = v.length;
  while (p < end) {
    const op = v.charCodeAt(p);
    if (isZero(op)) {
      i += zeroLen(op);
      p++;
    } else if (isXZero(op)) {
      i += (((op & 0x3f) << 8) | v.charCodeAt(p + 1)) + 1;
      p += 2;
    } else {
      let run = valLen(op);
      const val = valValue(op);
      if (run + i > HLL_REGISTERS) break;
      while (run--) {
        if (val > max[i]!) max[i] = val;
        i++;
      }
      p++;
    }
  }
  return i === HLL_REGISTERS;
}

/** Register histogram of a stored HLL; `invalid` is set when a sparse code does not add up. */
export function histogramOf(v: string): { histo: Float64Array; invalid: boolean } {
  const histo = new Float64Array(64);
  if (v.charCodeAt(4) === HLL_DENSE) {
    const b = denseBytes(v);
    for (let i = 0; i < HLL_REGISTERS; i++) histo[denseGet(b, i)]!++;
    return { histo, invalid: false };
  }
  let idx = 0;
  let p = HLL_HDR;
  while (p < v.length) {
    const op = v.charCodeAt(p);
    if (isZero(op)) {
      const run = zeroLen(op);
      idx += run;
      histo[0]! += run;
      p++;
    } else if (isXZero(op)) {
      const run = (((op & 0x3f) << 8) | v.charCodeAt(p + 1)) + 1;
      idx += run;
      histo[0]! += run;
      p += 2;
    } else {
      const run = valLen(op);
      idx += run;
      histo[valValue(op)]! += run;
      p++;
    }
  }
  return { histo, invalid: idx !== HLL_REGISTERS };
}

/** Histogram of plain one-byte registers (PFCOUNT over several keys). */
export function histogramOfRaw(max: Uint8Array): Float64Array {
  const histo = new Float64Array(64);
  for (let i = 0; i < HLL_REGISTERS; i++) histo[max[i]! & 63]!++;
  return histo;
}

function sigma(x: number): number {
  if (x === 1) return Infinity;
  let zPrime: number;
  let y = 1;
  let z = x;
  do {
    x *= x;
    zPrime = z;
    z += x * y;
    y += y;
  } while (zPrime !== z);
  return z;
}

function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let zPrime: number;
  let y = 1.0;
  let z = 1 - x;
  do {
    x = Math.sqrt(x);
    zPrime = z;
    y *= 0.5;
    const d = 1 - x;
    z -= d * d * y;
  } while (zPrime !== z);
  return z / 3;
}

/** 2^63: what llroundl gives (as an unsigned 64-bit value) for an estimate it cannot represent. */
const LL_INVALID = 1n << 63n;

/** hllCount's estimator (Ertl's improved raw estimate) from a register histogram, as a uint64. */
export function cardinality(histo: Float64Array): bigint {
  const m = HLL_REGISTERS;
  let z = m * tau((m - histo[Q_PLUS_1]!) / m);
  for (let j = Q_PLUS_1 - 1; j >= 1; --j) {
    z += histo[j]!;
    z *= 0.5;
  }
  z += m * sigma(histo[0]! / m);
  const e = (ALPHA_INF * m * m) / z;
  if (!(e < 2 ** 63)) return LL_INVALID;
  // llroundl: half away from zero.
  const t = Math.trunc(e);
  return BigInt(e - t >= 0.5 ? t + 1 : t);
}

/** The signed 64-bit reading of an unsigned card (addReplyLongLong of a uint64_t). */
export function asSigned(card: bigint): bigint {
  return BigInt.asIntN(64, card);
}

/** PFDEBUG DECODE's text for a sparse HLL. */
export function decodeSparse(v: string): string {
  const parts: string[] = [];
  let p = HLL_HDR;
  while (p < v.length) {
    const op = v.charCodeAt(p);
    if (isZero(op)) {
      parts.push(`z:${zeroLen(op)}`);
      p++;
    } else if (isXZero(op)) {
      parts.push(`Z:${(((op & 0x3f) << 8) | (p + 1 < v.length ? v.charCodeAt(p + 1) : 0)) + 1}`);
      p += 2;
    } else {
      parts.push(`v:${valValue(op)},${valLen(op)}`);
      p++;
    }
  }
  return parts.join(' ');
}

/** The 16384 register values (PFDEBUG GETREG on a dense HLL). */
export function registersOf(h: HllWork): number[] {
  const out = new Array<number>(HLL_REGISTERS);
  for (let i = 0; i < HLL_REGISTERS; i++) out[i] = denseGet(h.b, i);
  return out;
}

// --- PFSELFTEST --------------------------------------------------------------------------------------

/** Register access and estimate checks (pfselftestCommand); returns an error text or null. */
export function selfTest(maxBytes: number, cycles = 20, elements = 100_000): string | null {
  const d = new Uint8Array(HLL_DENSE_SIZE + 1);
  const bytes = new Uint8Array(HLL_REGISTERS);
  for (let j = 0; j < cycles; j++) {
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const r = Math.floor(Math.random() * 64);
      bytes[i] = r;
      denseSetRaw(d, i, r);
    }
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const val = denseGet(d, i);
      if (val !== bytes[i]) return `TESTFAILED Register ${i} should be ${bytes[i]} but is ${val}`;
    }
  }
  const dense: HllWork = { b: new Uint8Array(HLL_DENSE_SIZE + 1), len: HLL_DENSE_SIZE, sds: exactSds(HLL_DENSE_SIZE) };
  dense.b.set([72, 89, 76, 76, HLL_DENSE], 0);
  const sparse = newHll();
  const relerr = 1.04 / Math.sqrt(HLL_REGISTERS);
  const seed = Math.floor(Math.random() * 2 ** 32);
  let checkpoint = 1;
  for (let j = 1; j <= elements; j++) {
    const ele = `${(j ^ seed) >>> 0}:${j}`;
    hllAdd(dense, ele, maxBytes);
    hllAdd(sparse, ele, maxBytes);
    if (j !== checkpoint) continue;
    if (j < maxBytes / 2 && sparse.b[4] !== HLL_SPARSE) return 'TESTFAILED sparse encoding not used';
    const cd = cardinality(histogramOf(hllText(dense)).histo);
    if (cd !== cardinality(histogramOf(hllText(sparse)).histo)) return 'TESTFAILED dense/sparse disagree';
    let maxerr = Math.ceil(relerr * 6 * checkpoint);
    if (j === 10) maxerr = 1;
    const abserr = Math.abs(checkpoint - Number(cd));
    if (abserr > maxerr) return `TESTFAILED Too big error. card:${checkpoint} abserr:${abserr}`;
    checkpoint *= 10;
  }
  return null;
}
