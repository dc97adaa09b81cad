// Which key prefixes hold the keys and the memory: "user:" -> "user:session:" -> ..., cut at a
// separator (default ':') down to a depth. A file can hold a billion unique keys, and at deep
// levels every prefix may be unique, so the tree is bounded: each level keeps at most
// `maxPrefixes` distinct prefixes. When a level fills up, the prefixes seen least (one key, then
// two, doubling) are folded into that level's "other" bucket to make room, as lossy counting
// does: prefixes that repeat stay exact, a folded prefix that comes back restarts from zero (the
// report then says `approximate`). Memory stays flat whatever the key count.

export interface PrefixStats {
  keys: number;
  memoryBytes: number;
  /** Keys under the prefix without a TTL. */
  noTtlKeys: number;
}

/** One row of the flattened tree (parents before their children, biggest first). */
export interface PrefixRow extends PrefixStats {
  /** The prefix in latin1 form, separator included ("user:"); null for a level's "other" bucket. */
  prefix: string | null;
  /** 1 for the first segment, 2 for the second... */
  depth: number;
}

export interface PrefixTreeOptions {
  separator?: string;
  depth?: number;
  /** Distinct prefixes kept per level (default 20,000). */
  maxPrefixes?: number;
}

export interface PrefixTreeResult {
  separator: string;
  depth: number;
  rows: PrefixRow[];
  /** Keys without the separator (they have no prefix). */
  unprefixed: PrefixStats;
  /** True when some prefixes were folded and came back (their counts are lower bounds). */
  approximate: boolean;
}

function zero(): PrefixStats {
  return { keys: 0, memoryBytes: 0, noTtlKeys: 0 };
}

function addTo(s: PrefixStats, memoryBytes: number, noTtl: boolean): void {
  s.keys++;
  s.memoryBytes += memoryBytes;
  if (noTtl) s.noTtlKeys++;
}

function merge(into: PrefixStats, from: PrefixStats): void {
  into.keys += from.keys;
  into.memoryBytes += from.memoryBytes;
  into.noTtlKeys += from.noTtlKeys;
}

/** Recent prefixes remembered per level (see Level.recent). */
const RECENT = 4;

class Level {
  readonly map = new Map<string, PrefixStats>();
  readonly other = zero();
  /** Prefixes with at most this many keys are folded on the next prune. */
  threshold = 1;
  /** Prefixes folded so far (to tell whether a newcomer may be a returning one). */
  folded = 0;
  returning = false;

  /**
   * The last few prefixes met and their stats: most keys share a handful of prefixes, and
   * matching `key` against one in place spares cutting the prefix out and hashing it for the map.
   */
  private readonly recent: string[] = [];
  private readonly recentStats: PrefixStats[] = [];
  private recentNext = 0;

  constructor(private readonly cap: number) {}

  /** Counts the prefix key[0, end) if it is a recent one; false when the caller must add() it. */
  addRecent(key: string, end: number, memoryBytes: number, noTtl: boolean): boolean {
    const r = this.recent;
    for (let i = 0; i < r.length; i++) {
      const p = r[i]!;
      if (p.length === end && key.startsWith(p)) {
        addTo(this.recentStats[i]!, memoryBytes, noTtl);
        return true;
      }
    }
    return false;
  }

  add(prefix: string, memoryBytes: number, noTtl: boolean): void {
    let s = this.map.get(prefix);
    if (!s) {
      if (this.map.size >= this.cap) this.prune();
      s = zero();
      this.map.set(prefix, s);
      if (this.folded > 0) this.returning = true;
    }
    addTo(s, memoryBytes, noTtl);
    const i = this.recentNext;
    this.recent[i] = prefix;
    this.recentStats[i] = s;
    this.recentNext = (i + 1) % RECENT;
  }

  /** Folds the rarest prefixes into `other` until at least a quarter of the room is free. */
  private prune(): void {
    // Folded stats leave the map: the recent list must not count into them any more.
    this.recent.length = this.recentStats.length = this.recentNext = 0;
    for (;;) {
      for (const [p, s] of this.map) {
        if (s.keys <= this.threshold) {
          merge(this.other, s);
          this.map.delete(p);
          this.folded++;
        }
      }
      if (this.map.size <= this.cap * 0.75) return;
      this.threshold *= 2;
    }
  }
}

export class PrefixTree {
  readonly separator: string;
  readonly depth: number;
  private readonly levels: Level[] = [];
  private readonly unprefixed = zero();

  constructor(opts: PrefixTreeOptions = {}) {
    this.separator = opts.separator ?? ':';
    if (this.separator.length === 0) throw new RangeError('the prefix separator must not be empty');
    this.depth = Math.max(1, opts.depth ?? 2);
    const cap = Math.max(16, opts.maxPrefixes ?? 20_000);
    for (let i = 0; i < this.depth; i++) this.levels.push(new Level(cap));
  }

  add(key: string, memoryBytes: number, hasTtl: boolean): void {
    const sep = this.separator;
    let at = key.indexOf(sep);
    if (at < 0) {
      addTo(this.unprefixed, memoryBytes, !hasTtl);
      return;
    }
    for (let level = 0; level < this.depth && at >= 0; level++) {
      const end = at + sep.length;
      const lvl = this.levels[level]!;
      if (!lvl.addRecent(key, end, memoryBytes, !hasTtl)) lvl.add(key.slice(0, end), memoryBytes, !hasTtl);
      at = key.indexOf(sep, end);
    }
  }

  /** The tree, `top` biggest (by memory) children per parent, with each level's "other" bucket. */
  finish(top: number): PrefixTreeResult {
    const sep = this.separator;
    const children: Array<Map<string, Array<[string, PrefixStats]>>> = this.levels.map(() => new Map());
    this.levels.forEach((lvl, i) => {
      for (const [p, s] of lvl.map) {
        const parent = i === 0 ? '' : p.slice(0, p.lastIndexOf(sep, p.length - sep.length - 1) + sep.length);
        let list = children[i]!.get(parent);
        if (!list) children[i]!.set(parent, (list = []));
        list.push([p, s]);
      }
    });
    const rows: PrefixRow[] = [];
    const walk = (level: number, parent: string) => {
      const list = children[level]?.get(parent);
      if (!list) return;
      list.sort((a, b) => b[1].memoryBytes - a[1].memoryBytes || b[1].keys - a[1].keys || (a[0] < b[0] ? -1 : 1));
      for (const [p, s] of list.slice(0, top)) {
        rows.push({ prefix: p, depth: level + 1, ...s });
        walk(level + 1, p);
      }
    };
    walk(0, '');
    this.levels.forEach((lvl, i) => {
      if (lvl.other.keys > 0) rows.push({ prefix: null, depth: i + 1, ...lvl.other });
    });
    return {
      separator: sep,
      depth: this.depth,
      rows,
      unprefixed: { ...this.unprefixed },
      approximate: this.levels.some((l) => l.returning),
    };
  }
}
