// Redis strings (sds) carry a header sized for their length: sdshdr5 (1 byte, lengths < 32, no
// room to remember spare capacity), sdshdr8 (3), sdshdr16 (5), sdshdr32 (9), sdshdr64 (17), plus a
// NUL terminator. Keys, hash fields and values, set and zset members are all sds strings created
// at their exact size; only strings that grow in place (APPEND) or arrive as one big protocol
// argument keep spare capacity. This file sizes exact strings and replays the growth rules
// (sdsMakeRoomFor, sdsResize) for the cases that do not.

import { sizeClass, type LgQuantum } from './jemalloc.js';

export type SdsType = 5 | 8 | 16 | 32 | 64;

const HEADER: Record<SdsType, number> = { 5: 1, 8: 3, 16: 5, 32: 9, 64: 17 };
const MAX_ALLOC: Record<SdsType, number> = { 5: 31, 8: 255, 16: 65535, 32: 2 ** 32 - 1, 64: Number.MAX_SAFE_INTEGER };

export function sdsReqType(len: number): SdsType {
  if (len < 32) return 5;
  if (len < 256) return 8;
  if (len < 65536) return 16;
  if (len < 2 ** 32) return 32;
  return 64;
}

export function sdsHeaderSize(type: SdsType): number {
  return HEADER[type];
}

/** An sds string's allocation: header type, length, capacity (sdsalloc) and usable bytes. */
export interface SdsState {
  type: SdsType;
  len: number;
  /** sdsalloc(): capacity for content, excluding header and terminator. */
  alloc: number;
  /** What zmalloc_size() reports for the allocation. */
  bytes: number;
}

function capacity(type: SdsType, usable: number): number {
  return Math.min(usable - HEADER[type] - 1, MAX_ALLOC[type]);
}

/** An sds of `len` bytes living in an allocation of `bytes` (capacity as sds records it). */
export function sdsInAllocation(type: SdsType, len: number, bytes: number): SdsState {
  return { type, len, alloc: type === 5 ? len : capacity(type, bytes), bytes };
}

/** sdsnewlen(): an exact string; an empty one uses sdshdr8 because it is expected to grow. */
export function sdsNew(len: number, lgQuantum: LgQuantum): SdsState {
  let type = sdsReqType(len);
  if (type === 5 && len === 0) type = 8;
  const bytes = sizeClass(HEADER[type] + len + 1, lgQuantum);
  return { type, len, alloc: type === 5 ? len : capacity(type, bytes), bytes };
}

/** zmalloc size of an exact sds of `len` bytes (sdsdup, sdsnewlen, RDB load). */
export function sdsBytes(len: number, lgQuantum: LgQuantum = 4): number {
  // sdsNew(len).bytes without building the state (asked for every element of every key).
  const type = len === 0 ? 8 : sdsReqType(len);
  return sizeClass(HEADER[type] + len + 1, lgQuantum);
}

/** sdsMakeRoomFor (greedy) / sdsMakeRoomForNonGreedy: room for `add` more bytes. */
export function sdsMakeRoomFor(s: SdsState, add: number, greedy: boolean, lgQuantum: LgQuantum, maxPrealloc = 1024 * 1024): SdsState {
  const avail = s.type === 5 ? 0 : s.alloc - s.len;
  if (avail >= add) return s;
  let newlen = s.len + add;
  if (greedy) newlen = newlen < maxPrealloc ? newlen * 2 : newlen + maxPrealloc;
  let type = sdsReqType(newlen);
  if (type === 5) type = 8;
  const bytes = sizeClass(HEADER[type] + newlen + 1, lgQuantum);
  return { type, len: s.len, alloc: capacity(type, bytes), bytes };
}

/** sdscatlen(): append `add` bytes with greedy growth. */
export function sdsCat(s: SdsState, add: number, lgQuantum: LgQuantum, maxPrealloc?: number): SdsState {
  const r = sdsMakeRoomFor(s, add, true, lgQuantum, maxPrealloc);
  return { ...r, len: s.len + add };
}

/** sdsRemoveFreeSpace(s, 0) via sdsResize(): shrink the capacity to the length. */
export function sdsRemoveFreeSpace(s: SdsState, lgQuantum: LgQuantum): SdsState {
  if (s.alloc === s.len) return s;
  const type = sdsReqType(s.len);
  const oldType = s.type;
  // Same header, or a smaller header that is still >= sdshdr16: realloc keeping the old header.
  const useRealloc = oldType === type || (type < oldType && type > 8);
  const hdr = useRealloc ? HEADER[oldType] : HEADER[type];
  const need = sizeClass(hdr + s.len + 1, lgQuantum);
  // jemalloc skips the realloc when the size class would not change.
  const bytes = useRealloc && need === s.bytes ? s.bytes : need;
  return { type: useRealloc ? oldType : type, len: s.len, alloc: s.len, bytes };
}
