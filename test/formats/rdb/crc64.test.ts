// CRC-64 Jones: the check values from Redis's crc64.c, agreement with a bit-by-bit reference
// (BigInt, one bit at a time, no tables) on random data, and incremental feeding in odd slices
// giving the same result as one pass (the reader feeds the CRC window by window).

import { describe, expect, it } from 'vitest';
import { Crc64, crc64Hex, crcTrailerHex } from '../../../src/formats/rdb/crc64.js';

const LOREM =
  'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna ' +
  'aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis ' +
  'aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur. Excepteur sint ' +
  'occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit anim id est laborum.';

function reference(data: Uint8Array): string {
  const poly = 0x95ac9329ac4bc9b5n;
  let crc = 0n;
  for (const byte of data) {
    crc ^= BigInt(byte);
    for (let i = 0; i < 8; i++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
  }
  return crc.toString(16).padStart(16, '0');
}

function randomBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    out[i] = seed >>> 16;
  }
  return out;
}

describe('CRC-64 Jones', () => {
  it('gives the check values of Redis crc64.c', () => {
    expect(crc64Hex(Buffer.from('123456789'))).toBe('e9c6d914c4b8d9ca');
    // crc64.c hashes the C array including its terminating NUL (446 bytes).
    const li = Buffer.concat([Buffer.from(LOREM), Buffer.from([0])]);
    expect(li.length).toBe(446);
    expect(crc64Hex(li)).toBe('c7794709e69683b3');
    expect(crc64Hex(new Uint8Array(0))).toBe('0000000000000000');
  });

  it('matches a bit-by-bit reference on random data of every length up to 70', () => {
    const data = randomBytes(70, 42);
    for (let n = 0; n <= 70; n++) expect(crc64Hex(data.subarray(0, n)), `length ${n}`).toBe(reference(data.subarray(0, n)));
    const big = randomBytes(5000, 7);
    expect(crc64Hex(big)).toBe(reference(big));
  });

  it('gives the same result fed in uneven slices', () => {
    const data = randomBytes(100_003, 9);
    const whole = crc64Hex(data);
    const c = new Crc64();
    let p = 0;
    for (let step = 1; p < data.length; step = (step * 7 + 3) % 4099) {
      const e = Math.min(data.length, p + step);
      c.update(data, p, e);
      p = e;
    }
    expect(c.hex()).toBe(whole);
    expect(c.value().toString(16).padStart(16, '0')).toBe(whole);
  });

  it('reads a little-endian trailer in the same form', () => {
    expect(crcTrailerHex(Buffer.from([0xca, 0xd9, 0xb8, 0xc4, 0x14, 0xd9, 0xc6, 0xe9]), 0)).toBe('e9c6d914c4b8d9ca');
  });
});
