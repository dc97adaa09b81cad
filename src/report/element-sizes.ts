// The shape of the values, per type, in power-of-two buckets: how many keys have 1, 2, 3-4, 5-8...
// elements (bytes for strings), and, when the reader hands over the values, how long the elements
// themselves are. Two numbers per bucket are all it keeps, whatever the file size; the buckets
// show at a glance whether a type is "many small" or "a few huge", which decides its encoding.

import type { RdbValueType } from '../formats/rdb/records.js';

/** Bucket b holds sizes in (2^(b-1), 2^b]; bucket 0 holds 0 and 1. */
export function log2Bucket(size: number): number {
  if (size <= 1) return 0;
  if (size <= 0x80000000) return 32 - Math.clz32(size - 1);
  return Math.ceil(Math.log2(size));
}

export interface SizeBucket {
  /** Upper bound of the bucket (inclusive): 1, 2, 4, 8, ... */
  le: number;
  count: number;
}

export interface TypeSizes {
  /** Keys of this type. */
  keys: number;
  /** Per key: elements (LLEN, HLEN...; bytes for strings). */
  lengths: SizeBucket[];
  /** Per element: its byte length (hash: field and value each; stream: none). Empty when values were not read. */
  elementBytes: SizeBucket[];
}

class Log2Counter {
  /** Per bucket; the last one holds sizes up to 2^65, past any length a file can hold. */
  private readonly counts = new Float64Array(66);
  add(size: number, times = 1): void {
    this.counts[log2Bucket(size)]! += times;
  }
  /** Every length of the array, once each. */
  addAll(lengths: Uint32Array): void {
    const c = this.counts;
    for (let i = 0; i < lengths.length; i++) {
      const n = lengths[i]!;
      c[n <= 1 ? 0 : 32 - Math.clz32(n - 1)]!++;
    }
  }

  buckets(): SizeBucket[] {
    const out: SizeBucket[] = [];
    this.counts.forEach((count, b) => {
      if (count > 0) out.push({ le: 2 ** b, count });
    });
    return out;
  }
}

export class ElementSizes {
  private readonly perType = new Map<RdbValueType, { keys: number; lengths: Log2Counter; elements: Log2Counter }>();

  private lastType: RdbValueType | null = null;
  private last: { keys: number; lengths: Log2Counter; elements: Log2Counter } | undefined;

  private of(type: RdbValueType) {
    if (type === this.lastType) return this.last!;
    let t = this.perType.get(type);
    if (!t) {
      t = { keys: 0, lengths: new Log2Counter(), elements: new Log2Counter() };
      this.perType.set(type, t);
    }
    this.lastType = type;
    this.last = t;
    return t;
  }

  /** One key: its length (elements, or bytes for a string). */
  addKey(type: RdbValueType, length: number): void {
    const t = this.of(type);
    t.keys++;
    t.lengths.add(length);
  }

  /** One element's byte length (or `times` elements of that length). */
  addElement(type: RdbValueType, bytes: number, times = 1): void {
    this.of(type).elements.add(bytes, times);
  }

  /** Byte lengths of a value's elements, as a sizes pass hands them over. */
  addElementLengths(type: RdbValueType, lengths: Uint32Array): void {
    this.of(type).elements.addAll(lengths);
  }

  finish(): Partial<Record<RdbValueType, TypeSizes>> {
    const out: Partial<Record<RdbValueType, TypeSizes>> = {};
    for (const [type, t] of [...this.perType].sort((a, b) => a[0].localeCompare(b[0]))) {
      out[type] = { keys: t.keys, lengths: t.lengths.buckets(), elementBytes: t.elements.buckets() };
    }
    return out;
  }
}
