// A growable ring buffer: O(1) push/pop at both ends and O(1) indexing, the backbone of lists
// (Redis 7.0 keeps every list as a quicklist; the encoding name is reported, the layout is ours).

export class Deque<T> {
  private buf: Array<T | undefined>;
  private head = 0;
  private len = 0;

  constructor(capacity = 4) {
    this.buf = new Array(capacity);
  }

  static from<T>(items: readonly T[]): Deque<T> {
    const d = new Deque<T>(Math.max(4, items.length));
    for (const it of items) d.push(it);
    return d;
  }

  get length(): number {
    return this.len;
  }

  private grow(): void {
    const next = new Array<T | undefined>(this.buf.length * 2);
    for (let i = 0; i < this.len; i++) next[i] = this.buf[(this.head + i) % this.buf.length];
    this.buf = next;
    this.head = 0;
  }

  push(v: T): void {
    if (this.len === this.buf.length) this.grow();
    this.buf[(this.head + this.len) % this.buf.length] = v;
    this.len++;
  }

  unshift(v: T): void {
    if (this.len === this.buf.length) this.grow();
    this.head = (this.head - 1 + this.buf.length) % this.buf.length;
    this.buf[this.head] = v;
    this.len++;
  }

  pop(): T | undefined {
    if (this.len === 0) return undefined;
    const i = (this.head + this.len - 1) % this.buf.length;
    const v = this.buf[i];
    this.buf[i] = undefined;
    this.len--;
    return v;
  }

  shift(): T | undefined {
    if (this.len === 0) return undefined;
    const v = this.buf[this.head];
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) % this.buf.length;
    this.len--;
    return v;
  }

  /** Element at index (0-based from the head), undefined when out of range. */
  at(i: number): T | undefined {
    if (i < 0 || i >= this.len) return undefined;
    return this.buf[(this.head + i) % this.buf.length];
  }

  setAt(i: number, v: T): void {
    if (i < 0 || i >= this.len) throw new RangeError('index out of range');
    this.buf[(this.head + i) % this.buf.length] = v;
  }

  /** Elements [start, end) as an array. */
  slice(start = 0, end = this.len): T[] {
    const out: T[] = [];
    for (let i = Math.max(0, start); i < Math.min(end, this.len); i++) out.push(this.buf[(this.head + i) % this.buf.length] as T);
    return out;
  }

  toArray(): T[] {
    return this.slice();
  }

  /** Replaces the whole content (used by LINSERT/LREM/LTRIM, which are O(n) in Redis too). */
  replaceAll(items: T[]): void {
    this.buf = new Array(Math.max(4, items.length));
    for (let i = 0; i < items.length; i++) this.buf[i] = items[i];
    this.head = 0;
    this.len = items.length;
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = 0; i < this.len; i++) yield this.buf[(this.head + i) % this.buf.length] as T;
  }
}
