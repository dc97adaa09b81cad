// A Map whose entries also sit in a slot array, so SCAN-style cursors survive inserts and deletes:
// every entry present for a whole scan is returned at least once, Redis's SCAN guarantee. Deletes
// leave holes; when holes outnumber live entries the array is compacted (the cursor rules for
// that are in slot-cursor.ts). Used by the keyspace and by hash and set dictionaries.

import { SlotCursors } from './slot-cursor.js';

export interface Slotted {
  /** Index in the slot array; owned by ScanMap. */
  slot: number;
}

export class ScanMap<N extends Slotted> {
  private readonly map = new Map<string, N>();
  private slots: Array<N | undefined> = [];
  private keysOf: string[] = [];
  private holes = 0;
  private readonly cursors = new SlotCursors();

  get size(): number {
    return this.map.size;
  }

  get(key: string): N | undefined {
    return this.map.get(key);
  }

  has(key: string): boolean {
    return this.map.has(key);
  }

  /** Adds a new key (the caller has checked it is absent) or replaces the node of an existing one. */
  set(key: string, node: N): void {
    const old = this.map.get(key);
    if (old) {
      node.slot = old.slot;
      this.slots[old.slot] = node;
      this.map.set(key, node);
      return;
    }
    node.slot = this.slots.length;
    this.slots.push(node);
    this.keysOf.push(key);
    this.map.set(key, node);
  }

  /**
   * Adds a key the caller knows is absent: one hashed operation instead of set's two. Should the
   * key be present after all, its node is replaced in place, as set() would (found by a scan of
   * the slot keys: a slow path for a caller's mistake, never a wrong slot array).
   */
  add(key: string, node: N): void {
    const size = this.map.size;
    this.map.set(key, node);
    if (this.map.size !== size) {
      node.slot = this.slots.length;
      this.slots.push(node);
      this.keysOf.push(key);
      return;
    }
    for (let i = 0; i < this.keysOf.length; i++) {
      if (this.slots[i] !== undefined && this.keysOf[i] === key) {
        node.slot = i;
        this.slots[i] = node;
        return;
      }
    }
  }

  delete(key: string): N | undefined {
    const node = this.map.get(key);
    if (!node) return undefined;
    this.map.delete(key);
    this.slots[node.slot] = undefined;
    this.holes++;
    if (this.holes > 64 && this.holes > this.map.size) this.compact();
    return node;
  }

  clear(): void {
    this.map.clear();
    this.slots = [];
    this.keysOf = [];
    this.holes = 0;
    this.cursors.cleared();
  }

  keys(): IterableIterator<string> {
    return this.map.keys();
  }

  values(): IterableIterator<N> {
    return this.map.values();
  }

  entries(): IterableIterator<[string, N]> {
    return this.map.entries();
  }

  /** A uniformly random key, or undefined when empty. */
  randomKey(): string | undefined {
    if (this.map.size === 0) return undefined;
    for (let tries = 0; tries < 64; tries++) {
      const i = Math.floor(Math.random() * this.slots.length);
      if (this.slots[i] !== undefined) return this.keysOf[i];
    }
    // Very sparse (cannot happen after compaction, kept as a bound): walk from a random point.
    const start = Math.floor(Math.random() * this.slots.length);
    for (let k = 0; k < this.slots.length; k++) {
      const i = (start + k) % this.slots.length;
      if (this.slots[i] !== undefined) return this.keysOf[i];
    }
    return undefined;
  }

  /**
   * Visits up to about `count` slots from `cursor`, calling `visit` for each live entry.
   * Returns the next cursor, "0" when the scan is complete.
   */
  scan(cursor: bigint, count: number, visit: (key: string, node: N) => void): bigint {
    let [index, limit] = this.cursors.resolve(cursor, this.slots.length);
    limit = Math.min(limit, this.slots.length);
    const end = Math.min(limit, index + Math.max(1, count));
    for (; index < end; index++) {
      const node = this.slots[index];
      if (node !== undefined) visit(this.keysOf[index]!, node);
    }
    if (index >= limit) return 0n;
    return this.cursors.encode(index, limit);
  }

  private compact(): void {
    const kept = new Int32Array(this.map.size);
    const slots: Array<N | undefined> = [];
    const keys: string[] = [];
    let k = 0;
    for (let i = 0; i < this.slots.length; i++) {
      const node = this.slots[i];
      if (node === undefined) continue;
      kept[k++] = i;
      node.slot = slots.length;
      slots.push(node);
      keys.push(this.keysOf[i]!);
    }
    this.slots = slots;
    this.keysOf = keys;
    this.holes = 0;
    this.cursors.compacted(kept);
  }
}
