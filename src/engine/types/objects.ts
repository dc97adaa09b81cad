// The values the keyspace holds, one shape per Redis type, each with the encoding Redis 7.0 would
// report for it (OBJECT ENCODING). Bytes are latin1 strings throughout the engine: one char per
// byte, so keys and values are binary-safe and compare in memcmp order. Encoding choices follow
// object.c / t_*.c and their thresholds; the memory model and the RDB writer rely on them.

import { Deque } from './deque.js';
import { ScanMap, type Slotted } from './scan-map.js';
import type { SortedSet } from './zset.js';
import type { Stream } from './stream.js';

export interface StringObj {
  type: 'string';
  enc: 'int' | 'embstr' | 'raw';
  v: string;
}

export interface ListObj {
  type: 'list';
  enc: 'quicklist';
  v: Deque<string>;
}

export interface HashNode extends Slotted {
  v: string;
}
export interface HashObj {
  type: 'hash';
  enc: 'listpack' | 'hashtable';
  v: ScanMap<HashNode>;
}

export type SetNode = Slotted;
export interface SetObj {
  type: 'set';
  enc: 'intset' | 'hashtable';
  v: ScanMap<SetNode>;
}

export interface ZSetObj {
  type: 'zset';
  enc: 'listpack' | 'skiplist';
  v: SortedSet;
}

export interface StreamObj {
  type: 'stream';
  enc: 'stream';
  v: Stream;
}

export type RObj = StringObj | ListObj | HashObj | SetObj | ZSetObj | StreamObj;
export type RType = RObj['type'];

/** Redis's OBJ_ENCODING_EMBSTR_SIZE_LIMIT. */
export const EMBSTR_LIMIT = 44;

/**
 * True when `s` is the canonical text of a 64-bit signed integer (what string2ll accepts and
 * ll2string would print back): no leading zeros, no "+", no spaces, "-0" rejected.
 */
export function isCanonicalInt(s: string): boolean {
  const n = s.length;
  if (n === 0 || n > 20) return false;
  let i = 0;
  if (s.charCodeAt(0) === 45) {
    if (n === 1) return false;
    i = 1;
  }
  const first = s.charCodeAt(i);
  if (first === 48) return n === 1; // "0" only; "-0" and "01" are not canonical
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  if (n >= 19) {
    try {
      const b = BigInt(s);
      return b >= -(2n ** 63n) && b <= 2n ** 63n - 1n;
    } catch {
      return false;
    }
  }
  return true;
}

/** The encoding SET gives a value (tryObjectEncoding): int, embstr up to 44 bytes, else raw. */
export function stringEncoding(v: string): StringObj['enc'] {
  if (v.length <= 20 && isCanonicalInt(v)) return 'int';
  return v.length <= EMBSTR_LIMIT ? 'embstr' : 'raw';
}

export function newString(v: string): StringObj {
  return { type: 'string', enc: stringEncoding(v), v };
}

/** A string built in place (APPEND, SETRANGE): Redis keeps these raw whatever their length. */
export function newRawString(v: string): StringObj {
  return { type: 'string', enc: 'raw', v };
}

export function newList(): ListObj {
  return { type: 'list', enc: 'quicklist', v: new Deque<string>() };
}

export function newHash(): HashObj {
  return { type: 'hash', enc: 'listpack', v: new ScanMap<HashNode>() };
}

export function newSet(): SetObj {
  return { type: 'set', enc: 'intset', v: new ScanMap<SetNode>() };
}

/** A deep copy, for COPY. */
export function cloneObj(o: RObj): RObj {
  switch (o.type) {
    case 'string':
      return { ...o };
    case 'list':
      return { type: 'list', enc: o.enc, v: Deque.from(o.v.toArray()) };
    case 'hash': {
      const m = new ScanMap<HashNode>();
      for (const [k, n] of o.v.entries()) m.set(k, { slot: 0, v: n.v });
      return { type: 'hash', enc: o.enc, v: m };
    }
    case 'set': {
      const m = new ScanMap<SetNode>();
      for (const k of o.v.keys()) m.set(k, { slot: 0 });
      return { type: 'set', enc: o.enc, v: m };
    }
    case 'zset':
      return { type: 'zset', enc: o.enc, v: o.v.clone() };
    case 'stream':
      return { type: 'stream', enc: 'stream', v: o.v.clone() };
  }
}

/** Number of elements (STRLEN for strings), used by SCAN TYPE, OBJECT, memory model callers. */
export function objLength(o: RObj): number {
  switch (o.type) {
    case 'string':
      return o.v.length;
    case 'list':
      return o.v.length;
    case 'hash':
    case 'set':
      return o.v.size;
    case 'zset':
      return o.v.size;
    case 'stream':
      return o.v.length;
  }
}
