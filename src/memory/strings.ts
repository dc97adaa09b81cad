// What a string value costs. Redis 7.0 stores a string value in one of three encodings
// (tryObjectEncoding): INT when the bytes are a canonical int64 of at most 20 characters (just
// the 16-byte robj, with the number in its pointer; 0..9999 reuse shared objects that cost
// nothing per key, although MEMORY USAGE still reports the robj), EMBSTR for up to 44 bytes (robj
// and an sdshdr8 string in one allocation: 16 + 3 + len + 1, rounded), RAW beyond (robj plus a
// separate sds).
//
// A RAW value's sds capacity depends on how it was created:
// - SET of a value below 32 KiB (and anything loaded from RDB): an exact sds;
// - SET of a value of 32 KiB or more: Redis adopts the client's query buffer, sized for the
//   argument plus its CRLF (sdsMakeRoomForNonGreedy(len + 2)), and trims it only if more than a
//   tenth is spare (trimStringObjectIfNeeded). A connection that earlier carried a larger
//   argument can hand over a larger buffer; that history is not modelled;
// - APPEND grows the sds greedily (double the new length below 1 MiB, +1 MiB above), replayed by
//   stringAfterAppends() from the piece lengths.
// SETRANGE, INCRBYFLOAT, GETSET and friends are not modelled separately (treated like SET).

import { strictInt64, type Bytes } from './bytes.js';
import { sizeClass } from './jemalloc.js';
import type { MemoryParams } from './params.js';
import { sdsCat, sdsHeaderSize, sdsInAllocation, sdsNew, sdsRemoveFreeSpace, sdsReqType, type SdsState } from './sds.js';
import type { ValueCost } from './types.js';

export type StringEncoding = 'int' | 'embstr' | 'raw';

export interface StringOptions {
  /** 'write': created by a command (default); 'load': loaded from an RDB file or RESTORE. */
  origin?: 'write' | 'load';
  /** False when maxmemory is set with an LRU/LFU policy (no shared integers then). */
  sharedIntegers?: boolean;
}

/** tryObjectEncoding()'s choice for a value of these bytes. */
export function stringEncoding(value: Bytes, p: MemoryParams): StringEncoding {
  if (value.length <= 20 && strictInt64(value) !== null) return 'int';
  return value.length <= p.embstrMaxLength ? 'embstr' : 'raw';
}

/** The sds a RAW value keeps after SET (see the file comment). */
export function rawValueSds(len: number, p: MemoryParams, origin: 'write' | 'load'): SdsState {
  if (origin === 'load' || len < p.bigArgThreshold) return trimIfNeeded(sdsNew(len, p.lgQuantum), p);
  // The query buffer: header chosen for len + 2, capacity for len + 2, CRLF dropped.
  let type = sdsReqType(len + 2);
  if (type === 5) type = 8;
  const bytes = sizeClass(sdsHeaderSize(type) + len + 3, p.lgQuantum);
  return trimIfNeeded(sdsInAllocation(type, len, bytes), p);
}

/**
 * trimStringObjectIfNeeded(): more than a tenth spare -> sdsRemoveFreeSpace. The allocation may
 * stay the same size class, but sdsalloc() drops to the length, so a later APPEND must grow it.
 */
function trimIfNeeded(s: SdsState, p: MemoryParams): SdsState {
  return s.type !== 5 && s.alloc - s.len > Math.floor(s.len / 10) ? sdsRemoveFreeSpace(s, p.lgQuantum) : s;
}

/** The cost of a string value created by SET (or loaded), without key and dict entry. */
export function stringValueCost(value: Bytes, p: MemoryParams, opts: StringOptions = {}): ValueCost {
  const encoding = stringEncoding(value, p);
  if (encoding === 'int') {
    const shared = opts.sharedIntegers !== false;
    const v = strictInt64(value)!;
    const isShared = shared && v >= 0n && v < BigInt(p.sharedIntegers);
    return { encoding, usage: p.robj, allocated: isShared ? 0 : sizeClass(p.robj, p.lgQuantum) };
  }
  return stringLengthCost(value.length, p, opts.origin ?? 'write');
}

/** Cost of a non-integer string of `len` bytes (the summary form). */
export function stringLengthCost(len: number, p: MemoryParams, origin: 'write' | 'load' = 'write'): ValueCost {
  if (len <= p.embstrMaxLength) {
    const bytes = sizeClass(p.robj + 3 + len + 1, p.lgQuantum);
    return { encoding: 'embstr', usage: bytes, allocated: bytes };
  }
  const sds = rawValueSds(len, p, origin);
  return { encoding: 'raw', usage: p.robj + sds.bytes, allocated: sizeClass(p.robj, p.lgQuantum) + sds.bytes };
}

/**
 * A string whose last bytes were added by APPEND, `appended` giving the length of each APPEND in
 * order (the rest of `value` was stored first by SET or by an APPEND that created the key). The
 * first APPEND turns any encoding into an exact RAW sds (dbUnshareStringValue), then every APPEND
 * grows it greedily. Loaded from RDB, the same value is an ordinary exact string.
 */
export function stringAfterAppends(value: Bytes, appended: number[], p: MemoryParams, opts: StringOptions = {}): ValueCost {
  const origin = opts.origin ?? 'write';
  if (appended.length === 0 || origin === 'load') return stringValueCost(value, p, opts);
  const firstLength = value.length - appended.reduce((a, b) => a + b, 0);
  if (firstLength < 0) throw new RangeError('appended lengths exceed the value length');
  const first = value.slice(0, firstLength);
  let s: SdsState;
  if (stringValueCost(first, p, opts).encoding === 'raw') s = rawValueSds(firstLength, p, origin);
  else s = sdsNew(firstLength, p.lgQuantum);
  for (const add of appended) s = sdsCat(s, add, p.lgQuantum, p.sdsMaxPrealloc);
  return { encoding: 'raw', usage: p.robj + s.bytes, allocated: sizeClass(p.robj, p.lgQuantum) + s.bytes };
}
