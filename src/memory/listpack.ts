// A listpack is one allocation: a 6-byte header (total bytes, element count), the entries, and a
// 0xFF terminator. Each entry is an encoding byte (or bytes) with the data, followed by a
// "backlen" of 1-5 bytes that lets Redis walk backwards. Integers written in canonical form are
// stored as 7-bit, 13-, 16-, 24-, 32- or 64-bit integers; other strings use a 6-bit, 12-bit or
// 32-bit length prefix. Small hashes, small sorted sets and every quicklist node are listpacks,
// so this file is the shared arithmetic for all of them.
//
// Redis grows a listpack with realloc to the exact new size, so the allocation is always the
// size class of its byte count (lpInsert only reallocates when the usable size is exceeded,
// which lands in the same class).

import { strictInt64, type Bytes } from './bytes.js';

/** Bytes of the encoded integer (encoding byte included), before the backlen. */
export function intEncodedSize(v: bigint): number {
  if (v >= 0n && v <= 127n) return 1;
  if (v >= -4096n && v <= 4095n) return 2;
  if (v >= -32768n && v <= 32767n) return 3;
  if (v >= -8388608n && v <= 8388607n) return 4;
  if (v >= -2147483648n && v <= 2147483647n) return 5;
  return 9;
}

/** Bytes of a string entry's encoding and data, before the backlen. */
export function stringEncodedSize(len: number): number {
  if (len < 64) return 1 + len;
  if (len < 4096) return 2 + len;
  return 5 + len;
}

/** Bytes of the backlen that follows an entry whose encoding+data take `l` bytes. */
export function backlenSize(l: number): number {
  if (l <= 127) return 1;
  if (l < 16383) return 2;
  if (l < 2097151) return 3;
  if (l < 268435455) return 4;
  return 5;
}

function withBacklen(l: number): number {
  return l + backlenSize(l);
}

/** Full size of the entry Redis writes for these bytes (integer when canonical, else string). */
export function entrySize(value: Bytes): number {
  const v = strictInt64(value);
  return withBacklen(v !== null ? intEncodedSize(v) : stringEncodedSize(value.length));
}

/** Entry size of an element known to be a non-integer string of `len` bytes. */
export function stringEntrySize(len: number): number {
  return withBacklen(stringEncodedSize(len));
}

/** Entry size of an integer element (lpAppendInteger). */
export function intEntrySize(v: bigint): number {
  return withBacklen(intEncodedSize(v));
}

/** Header plus terminator: an empty listpack's byte count. */
export const LISTPACK_EMPTY_BYTES = 7;
