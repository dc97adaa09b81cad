// A growable ring buffer: O(1) push/pop at both ends and O(1) indexing, the backbone of lists
// (Redis 7.0 keeps every list as a quicklist; the encoding name is reported, the layout is ours).
// Edits in the middle (LINSERT, LREM, LSET) move only the shorter side of the ring, so a queue
// that is worked near one end stays cheap however long it grows; trims at the ends are O(trimmed).

export class Deque<T> {
  private buf: Array<T | undefined>;
  private head = 0;
  private len = 0;

  constructor(capacity = 4) {
    this.buf = new Array(Math.max(1, capacity));
  }

  static from<T>(items: readonly T[]): Deque<T> {
    const d = new Deque<T>(Math.max(4, items.length));
    for (const it of items) d.push(it);
    return d;
  }

  get length(): number {
    return this.len;
  }

  /** Physical slot of logical index i (0 <= i < capacity). */
  private slot(i: number): number {
    const p = this.head + i;
    return p >= this.buf.length ? p - this.buf.length : p;
  }

  private grow(): void {
    const next = new Array<T | undefined>(this.buf.length * 2);
    for (let i = 0; i < this.len; i++) next[i] = this.buf[this.slot(i)];
    this.buf = next;
    this.head = 0;
  }

  push(v: T): void {
    if (this.len === this.buf.length) this.grow();
    this.buf[this.slot(this.len)] = v;
    this.len++;
  }

  unshift(v: T): void {
    if (this.len === this.buf.length) this.grow();
    this.head = this.head === 0 ? this.buf.length - 1 : this.head - 1;
    this.buf[this.head] = v;
    this.len++;
  }

  pop(): T | undefined {
    if (this.len === 0) return undefined;
    const i = this.slot(this.len - 1);
    const v = this.buf[i];
    this.buf[i] = undefined;
    this.len--;
    return v;
  }

  shift(): T | undefined {
    if (this.len === 0) return undefined;
    const v = this.buf[this.head];
    this.buf[this.head] = undefined;
    this.head = this.slot(1) % this.buf.length;
    this.len--;
    return v;
  }

  /** Element at index (0-based from the head), undefined when out of range. */
  at(i: number): T | undefined {
    if (i < 0 || i >= this.len) return undefined;
    return this.buf[this.slot(i)];
  }

  setAt(i: number, v: T): void {
    if (i < 0 || i >= this.len) throw new RangeError('index out of range');
    this.buf[this.slot(i)] = v;
  }

  /** Inserts `v` so that it becomes element i (0 <= i <= length), moving the shorter side. */
  insertAt(i: number, v: T): void {
    if (i < 0 || i > this.len) throw new RangeError('index out of range');
    if (i === 0) return this.unshift(v);
    if (i === this.len) return this.push(v);
    if (this.len === this.buf.length) this.grow();
    const cap = this.buf.length;
    if (i < this.len - i) {
      // Shift elements [0, i) one step towards the front.
      this.head = this.head === 0 ? cap - 1 : this.head - 1;
      for (let k = 0; k < i; k++) this.buf[this.slot(k)] = this.buf[this.slot(k + 1)];
    } else {
      // Shift elements [i, len) one step towards the back.
      for (let k = this.len; k > i; k--) this.buf[this.slot(k)] = this.buf[this.slot(k - 1)];
    }
    this.buf[this.slot(i)] = v;
    this.len++;
  }

  /** Removes and returns element i, moving the shorter side. */
  removeAt(i: number): T | undefined {
    if (i < 0 || i >= this.len) return undefined;
    if (i === 0) return this.shift();
    if (i === this.len - 1) return this.pop();
    const v = this.buf[this.slot(i)];
    if (i < this.len - 1 - i) {
      for (let k = i; k > 0; k--) this.buf[this.slot(k)] = this.buf[this.slot(k - 1)];
      this.buf[this.head] = undefined;
      this.head = this.slot(1) % this.buf.length;
    } else {
      for (let k = i; k < this.len - 1; k++) this.buf[this.slot(k)] = this.buf[this.slot(k + 1)];
      this.buf[this.slot(this.len - 1)] = undefined;
    }
    this.len--;
    return v;
  }

  /** Drops the first n elements (all of them when n >= length). */
  dropFront(n: number): void {
    const k = Math.min(Math.max(0, n), this.len);
    for (let i = 0; i < k; i++) this.buf[this.slot(i)] = undefined;
    if (k === this.len) {
      this.head = 0;
    } else {
      this.head = (this.head + k) % this.buf.length;
    }
    this.len -= k;
  }

  /** Drops the last n elements (all of them when n >= length). */
  dropBack(n: number): void {
    const k = Math.min(Math.max(0, n), this.len);
    for (let i = this.len - k; i < this.len; i++) this.buf[this.slot(i)] = undefined;
    this.len -= k;
    if (this.len === 0) this.head = 0;
  }

  /**
   * Removes the elements at the given ascending indexes in one pass (LREM): a single index moves
   * the shorter side, several compact the tail after the first one.
   */
  removeIndexes(indexes: readonly number[]): void {
    if (indexes.length === 0) return;
    if (indexes.length === 1) {
      this.removeAt(indexes[0]!);
      return;
    }
    let w = indexes[0]!;
    let next = 0;
    for (let r = w; r < this.len; r++) {
      if (next < indexes.length && indexes[next] === r) {
        next++;
        continue;
      }
      this.buf[this.slot(w++)] = this.buf[this.slot(r)];
    }
    for (let k = w; k < this.len; k++) this.buf[this.slot(k)] = undefined;
    this.len = w;
    if (this.len === 0) this.head = 0;
  }

  /** Elements [start, end) as an array. */
  slice(start = 0, end = this.len): T[] {
    const from = Math.max(0, start);
    const to = Math.min(end, this.len);
    const out: T[] = new Array(Math.max(0, to - from));
    for (let i = from; i < to; i++) out[i - from] = this.buf[this.slot(i)] as T;
    return out;
  }

  toArray(): T[] {
    return this.slice();
  }

  /** Replaces the whole content. */
  replaceAll(items: T[]): void {
    this.buf = new Array(Math.max(4, items.length));
    for (let i = 0; i < items.length; i++) this.buf[i] = items[i];
    this.head = 0;
    this.len = items.length;
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = 0; i < this.len; i++) yield this.buf[this.slot(i)] as T;
  }
}
