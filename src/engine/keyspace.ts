// One numbered database: the main dictionary (key -> entry) and the expires dictionary
// (key -> absolute unix ms), with Redis's lookup rules from db.c: lazy expiry on access,
// keyspace hit/miss counting on reads, and the two signals every write must raise
// (touch: WATCH invalidation; ready: wake clients blocked on the key).

import type { RObj } from './types/objects.js';
import { ScanMap, type Slotted } from './types/scan-map.js';

/**
 * The origin of Entry's access clock: unix ms when this module loaded. Kept as ms since then,
 * the clock is a small integer (a V8 Smi, 32 bits) for 24 days either side, and merely a boxed
 * number beyond. A unix-ms value (~1.7e12) stored in a field is a heap number, and V8
 * allocates a new one at every store: one garbage object per key read, held by an old entry
 * until the next scavenge copies it out (a tenth of GET's time at -P 16 went to that).
 */
const LRU_ORIGIN = Date.now();

export class Entry implements Slotted {
  slot = 0;
  /** Last access, ms since LRU_ORIGIN (read and written as unix ms through `lru`). */
  private lruRel: number;
  /** Logarithmic access counter (OBJECT FREQ, LFU eviction). */
  lfu = 5;
  /** Bytes this key contributes to used_memory (memory-accounting.ts keeps it). */
  mem = 0;
  /** The db where this entry waits for memory-accounting.ts to recount it; null when not dirty. */
  dirtyIn: Db | null = null;
  constructor(
    public value: RObj,
    now: number,
  ) {
    this.lruRel = now - LRU_ORIGIN;
  }

  /** Last access (unix ms): OBJECT IDLETIME and LRU eviction. */
  get lru(): number {
    return this.lruRel + LRU_ORIGIN;
  }

  set lru(ms: number) {
    this.lruRel = ms - LRU_ORIGIN;
  }
}

/** What a database needs from the engine around it. */
export interface DbHost {
  now(): number;
  /**
   * A key was modified (signalModifiedKey): WATCH, client tracking. `e`: its entry, when known;
   * `byServer`: no client's command changed it (expiry).
   */
  touched(db: Db, key: string, e?: Entry, byServer?: boolean): void;
  /** True while some client waits in a blocking command (a flush then must wake stream readers). */
  hasBlockedClients(): boolean;
  /** A key was created that blocked clients may wait for (signalKeyAsReady). */
  ready(db: Db, key: string): void;
  /** A key expired and was deleted (stats, keyspace events); `deleteMs` is how long the delete took (expire-del). */
  expired(db: Db, key: string, deleteMs: number): void;
  /** A new key was added (the "new" keyspace event). */
  created(db: Db, key: string): void;
  /** An entry left the db (delete, expiry, eviction): its bytes leave used_memory. */
  removed(db: Db, e: Entry): void;
  /** The db's dicts were emptied or replaced wholesale (FLUSHDB, SWAPDB). */
  cleared(db: Db): void;
  /** A key was looked up by a command: refresh its LRU clock, or bump its LFU counter (evict.ts). */
  accessed(e: Entry): void;
  /** A read found no key (the "keymiss" keyspace event). */
  missed(db: Db, key: string): void;
  stats: { keyspaceHits: number; keyspaceMisses: number };
  /** When false, reads do not expire keys (DEBUG SET-ACTIVE-EXPIRE does not affect this; loading does). */
  lazyExpire: boolean;
  /** AOF propagation (propagate.ts), present only while appendonly is on: expired keys are logged as DEL/UNLINK. */
  propagator?: { keyExpired(db: Db, key: string): void };
}

export class Db {
  readonly dict = new ScanMap<Entry>();
  readonly expires = new Map<string, number>();
  /** Expire cycle bookkeeping: where the sampler resumes. */
  avgTtl = 0;

  constructor(
    public id: number,
    private readonly host: DbHost,
  ) {}

  get size(): number {
    return this.dict.size;
  }

  /** True when the key has a TTL in the past (it exists only until someone looks). */
  isExpired(key: string, now = this.host.now()): boolean {
    const at = this.expires.get(key);
    return at !== undefined && at <= now;
  }

  /** expireIfNeeded: deletes the key when its TTL has passed. Returns true if it was deleted. */
  expireIfNeeded(key: string): boolean {
    if (this.expires.size === 0 || !this.host.lazyExpire) return false;
    const at = this.expires.get(key);
    if (at === undefined || at > this.host.now()) return false;
    const t0 = Date.now();
    this.remove(key);
    this.host.expired(this, key, Date.now() - t0);
    this.host.propagator?.keyExpired(this, key);
    this.host.touched(this, key, undefined, true);
    return true;
  }

  /** lookupKeyRead: expires lazily, counts a keyspace hit or miss, updates the access clock. */
  read(key: string): RObj | undefined {
    this.expireIfNeeded(key);
    const e = this.dict.get(key);
    if (e === undefined) {
      this.host.stats.keyspaceMisses++;
      this.host.missed(this, key);
      return undefined;
    }
    this.host.stats.keyspaceHits++;
    this.host.accessed(e);
    return e.value;
  }

  /** lookupKeyWrite: expires lazily, updates the access clock, no hit/miss accounting. */
  write(key: string): RObj | undefined {
    this.expireIfNeeded(key);
    const e = this.dict.get(key);
    if (e === undefined) return undefined;
    this.host.accessed(e);
    return e.value;
  }

  /** Looks without side effects other than lazy expiry (TYPE-like probes from the server itself). */
  peek(key: string): RObj | undefined {
    this.expireIfNeeded(key);
    return this.dict.get(key)?.value;
  }

  /** The entry (with access clocks) without expiring or counting. */
  entry(key: string): Entry | undefined {
    return this.dict.get(key);
  }

  has(key: string): boolean {
    this.expireIfNeeded(key);
    return this.dict.has(key);
  }

  /**
   * setKey: stores `value` under `key`, replacing any old value. The TTL is cleared unless
   * keepTtl. Raises touched (and ready when the key is new).
   */
  set(key: string, value: RObj, keepTtl = false): void {
    let e = this.dict.get(key);
    if (e) {
      this.host.accessed(e); // setKey looks the key up for writing first
      if (e.value.type === 'stream') this.host.ready(this, key); // readers blocked on the old stream must hear of it
      e.value = value;
      if (!keepTtl && this.expires.size !== 0) this.expires.delete(key);
    } else {
      e = new Entry(value, this.host.now());
      this.dict.add(key, e);
      if (!keepTtl && this.expires.size !== 0) this.expires.delete(key);
      this.host.created(this, key);
      this.host.ready(this, key);
    }
    this.host.touched(this, key, e);
  }

  /** dbAdd: adds a key that the caller knows is absent (after write() returned undefined). */
  add(key: string, value: RObj): void {
    const e = new Entry(value, this.host.now());
    this.dict.add(key, e);
    this.host.created(this, key);
    this.host.ready(this, key);
    this.host.touched(this, key, e);
  }

  /** Deletes a key and its TTL; raises touched. Returns true when it existed. */
  delete(key: string): boolean {
    if (!this.remove(key)) return false;
    this.host.touched(this, key);
    return true;
  }

  /** Deletes without signalling (the caller signals), e.g. when an emptied container is removed. */
  remove(key: string): boolean {
    const e = this.dict.delete(key);
    if (!e) return false;
    this.host.removed(this, e);
    this.expires.delete(key);
    if (e.value.type === 'stream') this.host.ready(this, key); // XREADGROUP readers get -UNBLOCKED
    return true;
  }

  /** Sets an absolute expiry (unix ms) on an existing key. */
  setExpire(key: string, atMs: number): void {
    this.expires.set(key, atMs);
  }

  getExpire(key: string): number | undefined {
    return this.expires.get(key);
  }

  persist(key: string): boolean {
    return this.expires.delete(key);
  }

  /** Removes every key; returns how many there were. */
  flush(): number {
    const n = this.dict.size;
    if (this.host.hasBlockedClients()) for (const [k, e] of this.dict.entries()) if (e.value.type === 'stream') this.host.ready(this, k);
    this.dict.clear();
    this.expires.clear();
    this.host.cleared(this);
    return n;
  }

  /** A random key that is not logically expired, or undefined (RANDOMKEY). */
  randomKey(): string | undefined {
    for (let tries = 0; tries < 100 && this.dict.size > 0; tries++) {
      const k = this.dict.randomKey();
      if (k === undefined) return undefined;
      if (!this.expireIfNeeded(k)) return k;
    }
    return this.dict.randomKey();
  }
}
