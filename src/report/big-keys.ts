// The biggest keys, by memory and by length, overall and per type, in constant memory: each list
// is a min-heap of at most N entries, so a key is compared with the smallest kept one and only
// copied in when it beats it (rdb-tools kept every record and sorted at the end, which is what
// made its --largest run out of memory on big files).

import type { LoadedEncoding, RdbValueType } from '../formats/rdb/records.js';

/** One key as the big-key lists keep it (key still in latin1 form; made readable at the end). */
export interface BigKeyEntry {
  db: number;
  key: string;
  type: RdbValueType;
  encoding: LoadedEncoding;
  length: number;
  memoryBytes: number;
  expireAtMs: number | null;
}

/** A bounded min-heap on one score; ties keep the key seen first. */
export class TopN<T> {
  private readonly heap: Array<{ score: number; seq: number; item: T }> = [];
  private seq = 0;

  constructor(
    readonly limit: number,
    private readonly score: (item: T) => number,
  ) {}

  /** Would an item with this score get in? (Lets callers skip building the item.) */
  admits(score: number): boolean {
    if (this.limit <= 0) return false;
    if (this.heap.length < this.limit) return true;
    return score > this.heap[0]!.score;
  }

  offer(item: T): void {
    const score = this.score(item);
    if (!this.admits(score)) return;
    const node = { score, seq: this.seq++, item };
    if (this.heap.length < this.limit) {
      this.heap.push(node);
      this.up(this.heap.length - 1);
    } else {
      this.heap[0] = node;
      this.down(0);
    }
  }

  /** Largest first; equal scores in the order they were seen. */
  sorted(): T[] {
    return [...this.heap].sort((a, b) => b.score - a.score || a.seq - b.seq).map((n) => n.item);
  }

  private less(i: number, j: number): boolean {
    const a = this.heap[i]!;
    const b = this.heap[j]!;
    // The root is the entry to evict first: the smallest score, and among equals the newest.
    return a.score < b.score || (a.score === b.score && a.seq > b.seq);
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const n = this.heap.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.less(l, m)) m = l;
      if (r < n && this.less(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
  }

  private swap(i: number, j: number): void {
    const t = this.heap[i]!;
    this.heap[i] = this.heap[j]!;
    this.heap[j] = t;
  }
}

export interface BigKeyLists {
  byMemory: BigKeyEntry[];
  byLength: BigKeyEntry[];
  perType: Partial<Record<RdbValueType, { byMemory: BigKeyEntry[]; byLength: BigKeyEntry[] }>>;
}

const byMemory = (e: BigKeyEntry) => e.memoryBytes;
const byLength = (e: BigKeyEntry) => e.length;

export class BigKeys {
  private readonly memory: TopN<BigKeyEntry>;
  private readonly length: TopN<BigKeyEntry>;
  private readonly perType = new Map<RdbValueType, { memory: TopN<BigKeyEntry>; length: TopN<BigKeyEntry> }>();

  constructor(private readonly limit: number) {
    this.memory = new TopN(limit, byMemory);
    this.length = new TopN(limit, byLength);
  }

  add(db: number, key: string, type: RdbValueType, encoding: LoadedEncoding, length: number, memoryBytes: number, expireAtMs: number | null): void {
    let t = this.perType.get(type);
    if (!t) {
      t = { memory: new TopN(this.limit, byMemory), length: new TopN(this.limit, byLength) };
      this.perType.set(type, t);
    }
    const wanted = this.memory.admits(memoryBytes) || this.length.admits(length) || t.memory.admits(memoryBytes) || t.length.admits(length);
    if (!wanted) return;
    const e: BigKeyEntry = { db, key, type, encoding, length, memoryBytes, expireAtMs };
    this.memory.offer(e);
    this.length.offer(e);
    t.memory.offer(e);
    t.length.offer(e);
  }

  finish(): BigKeyLists {
    const perType: BigKeyLists['perType'] = {};
    for (const [type, t] of [...this.perType].sort((a, b) => a[0].localeCompare(b[0]))) {
      perType[type] = { byMemory: t.memory.sorted(), byLength: t.length.sorted() };
    }
    return { byMemory: this.memory.sorted(), byLength: this.length.sorted(), perType };
  }
}
