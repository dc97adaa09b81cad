// The sds allocation behind a string value that a command grew in place (hyperloglog.c's sparse
// updates call sdsMakeRoomFor for 3 bytes before every register change, so a sparse HLL keeps a
// greedy, history-dependent capacity; bitops.c creates exact strings). The bytes alone cannot tell
// that capacity, and MEMORY USAGE reports it, so such commands attach the replayed sds state to the
// value. The property is non-enumerable: COPY's `{...o}` drops it, as Redis's copy is an exact
// string again. It is trusted only while the value still has the length it was recorded for, so a
// later rewrite by any other command silently falls back to the memory model's view.

import { REDIS_7_0, sizeClass, type ValueCost } from '../../memory/index.js';
import { sdsCat, sdsNew, type SdsState } from '../../memory/sds.js';
import { rawValueSds } from '../../memory/strings.js';
import type { StringObj } from './objects.js';

const P = REDIS_7_0;
const PROP = 'sds';

/** The recorded sds of a string value, when it is still valid for the value's bytes. */
export function stringSds(o: StringObj): SdsState | undefined {
  const s = (o as { [PROP]?: SdsState })[PROP];
  return s !== undefined && s.len === o.v.length && o.enc === 'raw' ? s : undefined;
}

/** Records the sds behind a RAW string value. */
export function setStringSds(o: StringObj, s: SdsState): void {
  Object.defineProperty(o, PROP, { value: s, writable: true, enumerable: false, configurable: true });
}

/**
 * What a value with a recorded sds costs (robj + the sds allocation), for MEMORY USAGE and the
 * used_memory bookkeeping; undefined when nothing is recorded (the model's view applies).
 */
export function grownStringCost(o: StringObj): ValueCost | undefined {
  const s = stringSds(o);
  if (s === undefined) return undefined;
  return { encoding: 'raw', usage: P.robj + s.bytes, allocated: sizeClass(P.robj, P.lgQuantum) + s.bytes };
}

/**
 * The sds a RAW value has before an in-place change: the recorded one, else the one the memory
 * model assumes for it (a short RAW string was grown by appends, a longer one was SET exactly).
 * An embstr is first unshared (dbUnshareStringValue), which makes an exact copy.
 */
export function currentSds(o: StringObj): SdsState {
  const known = stringSds(o);
  if (known) return known;
  const n = o.v.length;
  if (o.enc !== 'raw') return sdsNew(n, P.lgQuantum);
  if (n <= P.embstrMaxLength) return sdsCat(sdsNew(0, P.lgQuantum), n, P.lgQuantum, P.sdsMaxPrealloc);
  return rawValueSds(n, P, 'write');
}

/** sdsnewlen(): an exact string of `len` bytes. */
export function exactSds(len: number): SdsState {
  return sdsNew(len, P.lgQuantum);
}
