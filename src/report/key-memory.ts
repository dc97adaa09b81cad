// What one key from an RDB file would cost once Redis 7.0 has loaded it: the bridge from the
// reader's KeyRecord (and its value, when the reader was asked for values) to the memory model's
// ValueDescription, with origin 'load' (loaded values are exact-size and presized). memoryBytes is
// what `MEMORY USAGE key SAMPLES 0` returns; the ValueCost also feeds the DatasetModel that
// projects used_memory_dataset.
//
// With the values the description is exact (every element's bytes). Without them only counts and
// byte totals are known, so the model gets a summary: every element at the average length, which
// is exact for uniform data and close otherwise. Streams and module values are not described by
// the model yet; they are estimated here from what the file says (see streamCost).
//
// Speed: this runs for every key of files with hundreds of millions of them, so values go to the
// model's per-type shape and cost functions (memory/hashes.ts, sets.ts, zsets.ts, lists.ts)
// rather than through valueCost(): an RDB never holds duplicate members, so the model's
// deduplication pass (a Map per value) is skipped, the shapes are assembled here from the model's
// own per-element sizes (listpack entry, score entry, sds) with tables and caches in front of
// them, and for values past the listpack/intset limits (which can only be hashtables or
// skiplists) only the sds sizes are summed. test/report/key-memory.test.ts checks the result
// against valueCost() on random values.
//
// Faster still, a sizes pass of the reader (RdbReadOptions.sizes) hands over element lengths
// instead of elements: a hashtable's or skiplist's cost needs only the lengths (sds sizes), and
// a packed blob Redis 7.0 keeps as it is (intset, hash or zset listpack, quicklist listpack
// nodes) costs its own byte size rounded to a size class, which is exactly the header, entries
// and terminator the model would add up element by element. Only values whose load converts
// them (small plain sets, hashes and zsets, the legacy encodings) still come decoded.

import type { KeyRecord, RdbBytes, RdbValue, StreamValue, ValueSizes } from '../formats/rdb/records.js';
import { hashCost, hashEncoding, type HashShape } from '../memory/hashes.js';
import { listCost } from '../memory/lists.js';
import { entrySize, LISTPACK_EMPTY_BYTES, stringEntrySize } from '../memory/listpack.js';
import { scoreEntrySize } from '../memory/score.js';
import { setCost, setShape, type SetShape } from '../memory/sets.js';
import { zsetCost, zsetEncoding, type ZsetShape } from '../memory/zsets.js';
import { DEFAULT_THRESHOLDS, REDIS_7_0, sdsBytes, sizeClass, valueCost, type MemoryParams, type ModelOptions, type Thresholds, type ValueCost, type ValueDescription } from '../memory/index.js';

/** Options for the per-key model: the version record and thresholds; origin is always 'load'. */
export interface KeyMemoryOptions {
  params?: MemoryParams;
  thresholds?: ModelOptions['thresholds'];
  sharedIntegers?: boolean;
  cluster?: boolean;
}

/** What a key costs: the value alone (for the DatasetModel) and MEMORY USAGE for the key. */
export interface KeyCost {
  cost: ValueCost;
  memoryBytes: number;
}

/**
 * A per-key calculator with the model options resolved once (resolving them per key would
 * allocate for nothing on files with hundreds of millions of keys).
 */
export class KeyMemory {
  readonly params: MemoryParams;
  private readonly model: ModelOptions;
  private readonly entryBytes: number;
  private readonly t: Thresholds;
  private readonly sds: SdsTable;

  constructor(opts: KeyMemoryOptions = {}) {
    this.params = opts.params ?? REDIS_7_0;
    this.model = { params: this.params, thresholds: opts.thresholds, origin: 'load', sharedIntegers: opts.sharedIntegers ?? true, cluster: opts.cluster ?? false };
    this.entryBytes = this.params.dictEntry + (opts.cluster ? this.params.clusterKeyMetadata : 0);
    this.t = { ...DEFAULT_THRESHOLDS, ...opts.thresholds };
    this.sds = new SdsTable(this.params);
  }

  /**
   * The largest plain collection whose load may change its encoding under these thresholds: a
   * sizes pass must decode collections up to this many elements (RdbReadOptions.valuesUpTo).
   */
  get valuesUpTo(): number {
    const t = this.t;
    return Math.max(t.setMaxIntsetEntries, t.setMaxListpackEntries, t.hashMaxListpackEntries, t.zsetMaxListpackEntries);
  }

  /** MEMORY USAGE for a key of this length whose value costs `cost` (keyspace.ts's formula). */
  usage(keyLength: number, cost: ValueCost): number {
    return cost.usage + this.sds.of(keyLength) + this.entryBytes;
  }

  of(rec: KeyRecord): KeyCost {
    const cost = this.valueCost(rec);
    return { cost, memoryBytes: this.usage(rec.key.length, cost) };
  }

  valueCost(rec: KeyRecord): ValueCost {
    if (rec.type === 'stream') return rec.value?.type === 'stream' ? valueCost(streamDescription(rec.value.stream), this.model) : streamEstimate(rec, this.params);
    if (rec.type === 'module') return moduleCost(rec);
    if (rec.type === 'string') return this.stringCost(rec);
    const v = rec.value;
    if (v) {
      const fast = this.valueFast(v);
      if (fast) return fast;
    } else if (rec.sizes) {
      const fast = this.sizesCost(rec, rec.sizes);
      if (fast) return fast;
    }
    return valueCost(describe(rec), this.model);
  }

  /**
   * The model's cost from a sizes pass (see the file comment); null when lengths and packed sizes
   * do not determine it (then the summary description stands in, as without values).
   */
  private sizesCost(rec: KeyRecord, s: ValueSizes): ValueCost | null {
    const { t, params: p } = this;
    const q = p.lgQuantum;
    const lens = s.lengths;
    const n = rec.elements.count;
    switch (rec.type) {
      case 'set': {
        if (lens.length !== n) return null;
        if (n <= t.setMaxIntsetEntries) {
          // Small enough for an intset: only an intset blob comes undecoded, and 7.0 keeps it.
          if (rec.rdbType !== 11 || s.packedBytes < 0) return null;
          const is = sizeClass(s.packedBytes, q);
          return { encoding: 'intset', usage: p.robj + is, allocated: sizeClass(p.robj, q) + is };
        }
        let sds = 0;
        let maxLength = 0;
        for (let i = 0; i < n; i++) {
          const len = lens[i]!;
          sds += this.sds.of(len);
          if (len > maxLength) maxLength = len;
        }
        const shape: SetShape = { count: n, firstNonInt: 0, nonIntCount: n, intWidth: 8, maxLength, entryBytes: 0, sdsBytes: sds };
        return setCost(shape, t, p, 'load');
      }
      case 'hash': {
        if (lens.length !== 2 * n) return null;
        const limit = t.hashMaxListpackValue;
        let firstLong = -1;
        let longCount = 0;
        let sds = 0;
        for (let i = 0; i < n; i++) {
          const f = lens[2 * i]!;
          const v = lens[2 * i + 1]!;
          if (f > limit || v > limit) {
            longCount++;
            if (firstLong < 0) firstLong = i;
          }
          sds += this.sds.of(f) + this.sds.of(v);
        }
        const shape: HashShape = { count: n, firstLong, longCount, entryBytes: 0, sdsBytes: sds };
        if (hashEncoding(shape, t) === 'listpack') {
          if (rec.rdbType !== 16 || s.packedBytes < LISTPACK_EMPTY_BYTES) return null;
          shape.entryBytes = s.packedBytes - LISTPACK_EMPTY_BYTES;
        }
        return hashCost(shape, t, p, 'load');
      }
      case 'zset': {
        if (lens.length !== n) return null;
        const limit = t.zsetMaxListpackValue;
        let firstLong = -1;
        let sds = 0;
        for (let i = 0; i < n; i++) {
          const len = lens[i]!;
          if (firstLong < 0 && len > limit) firstLong = i;
          sds += this.sds.of(len);
        }
        const shape: ZsetShape = { count: n, firstLong, entryBytes: 0, sdsBytes: sds };
        if (zsetEncoding(shape, t) === 'listpack') {
          if (rec.rdbType !== 17 || s.packedBytes < LISTPACK_EMPTY_BYTES) return null;
          shape.entryBytes = s.packedBytes - LISTPACK_EMPTY_BYTES;
        }
        return zsetCost(shape, t, p, 'load');
      }
      case 'list':
        return s.nodeBytes && s.nodeCounts ? this.storedNodeSizesCost(lens, s.nodeBytes, s.nodeCounts) : null;
      default:
        return null;
    }
  }

  /** storedNodesCost() from a sizes pass: each listpack node costs its stored size. */
  private storedNodeSizesCost(lens: Uint32Array, nodeBytes: Uint32Array, nodeCounts: Uint32Array): ValueCost | null {
    const p = this.params;
    const q = p.lgQuantum;
    const nodes = nodeBytes.length;
    let total = 0;
    for (let i = 0; i < nodes; i++) total += nodeCounts[i]!;
    if (total !== lens.length || nodes === 0) return null;
    let usage = p.robj + p.quicklist;
    let allocated = sizeClass(p.robj, q) + sizeClass(p.quicklist, q);
    const nodeAlloc = sizeClass(p.quicklistNode, q);
    let only = 0;
    let at = 0;
    for (let i = 0; i < nodes; i++) {
      let bytes = nodeBytes[i]!;
      if (bytes === 0) {
        // A plain node: one element, costed as a one-entry listpack like storedNodesCost() does.
        // Its integer form is unknown without the bytes; plain nodes hold large elements.
        const len = lens[at]!;
        if (nodeCounts[i] !== 1 || len <= 20) return null;
        bytes = LISTPACK_EMPTY_BYTES + stringEntrySize(len);
      }
      at += nodeCounts[i]!;
      const lp = sizeClass(bytes, q);
      only = lp;
      usage += p.quicklistNode + lp;
      allocated += nodeAlloc + lp;
    }
    if (p.listListpack && nodes === 1) {
      return { encoding: 'listpack', usage: p.robj + only, allocated: sizeClass(p.robj, q) + only };
    }
    return { encoding: 'quicklist', usage, allocated };
  }

  /** The model's cost for a decoded value, without deduplication (see the file comment). */
  private valueFast(v: RdbValue): ValueCost | null {
    const { t, params: p } = this;
    switch (v.type) {
      case 'list':
        return (v.nodes && this.storedNodesCost(v.elements, v.nodes)) || listCost(v.elements, t.listMaxListpackSize, p);
      case 'hash':
        return hashCost(this.hashShape(v.fields), t, p, 'load');
      case 'set': {
        const n = v.members.length;
        if (n <= t.setMaxIntsetEntries) return setCost(setShape(v.members, p), t, p, 'load');
        // Past the intset limit it is a presized hashtable whatever the members: only sds sizes count.
        let sds = 0;
        let maxLength = 0;
        for (const m of v.members) {
          sds += this.sds.of(m.length);
          if (m.length > maxLength) maxLength = m.length;
        }
        const shape: SetShape = { count: n, firstNonInt: 0, nonIntCount: n, intWidth: 8, maxLength, entryBytes: 0, sdsBytes: sds };
        return setCost(shape, t, p, 'load');
      }
      case 'zset':
        return zsetCost(this.zsetShape(v.members), t, p, 'load');
      default:
        return null;
    }
  }

  /**
   * A list as 7.0 loads a quicklist: it keeps the nodes as stored (each listpack as is), so the
   * cost follows the stored node boundaries rather than a replay of pushes (they differ when the
   * saving server had another list-max-listpack-size or compressed nodes). Same arithmetic as
   * memory/lists.ts: robj + quicklist + per node quicklistNode + the listpack's allocation.
   */
  private storedNodesCost(elements: RdbBytes[], nodes: number[]): ValueCost | null {
    const p = this.params;
    const q = p.lgQuantum;
    let total = 0;
    for (const n of nodes) total += n;
    if (total !== elements.length || nodes.length === 0) return null;
    let i = 0;
    let usage = p.robj + p.quicklist;
    let allocated = sizeClass(p.robj, q) + sizeClass(p.quicklist, q);
    const nodeAlloc = sizeClass(p.quicklistNode, q);
    let only = 0;
    for (const n of nodes) {
      let bytes = LISTPACK_EMPTY_BYTES;
      for (const end = i + n; i < end; i++) bytes += lpEntrySize(elements[i]!);
      const lp = sizeClass(bytes, q);
      only = lp;
      usage += p.quicklistNode + lp;
      allocated += nodeAlloc + lp;
    }
    if (p.listListpack && nodes.length === 1) {
      // 7.2+: a list that fits one node is a bare listpack (as memory/lists.ts models it).
      return { encoding: 'listpack', usage: p.robj + only, allocated: sizeClass(p.robj, q) + only };
    }
    return { encoding: 'quicklist', usage, allocated };
  }

  /** hashShape() of memory/hashes.ts, for unique fields, computing only what the encoding needs. */
  private hashShape(fields: Array<[RdbBytes, RdbBytes]>): HashShape {
    const limit = this.t.hashMaxListpackValue;
    const n = fields.length;
    const small = n <= this.t.hashMaxListpackEntries;
    let firstLong = -1;
    let longCount = 0;
    let entryBytes = 0;
    let sds = 0;
    for (let i = 0; i < n; i++) {
      const [f, v] = fields[i]!;
      if (f.length > limit || v.length > limit) {
        longCount++;
        if (firstLong < 0) firstLong = i;
      }
      if (small) entryBytes += lpEntrySize(f) + lpEntrySize(v);
      sds += this.sds.of(f.length) + this.sds.of(v.length);
    }
    return { count: n, firstLong, longCount, entryBytes, sdsBytes: sds };
  }

  /** zsetShape() of memory/zsets.ts, for unique members; score entry sizes cached per score. */
  private zsetShape(members: Array<[RdbBytes, number]>): ZsetShape {
    const limit = this.t.zsetMaxListpackValue;
    const n = members.length;
    const small = n <= this.t.zsetMaxListpackEntries;
    let firstLong = -1;
    let entryBytes = 0;
    let sds = 0;
    for (let i = 0; i < n; i++) {
      const [m, score] = members[i]!;
      if (firstLong < 0 && m.length > limit) firstLong = i;
      if (small) entryBytes += lpEntrySize(m) + this.scoreSize(score);
      sds += this.sds.of(m.length);
    }
    return { count: n, firstLong, entryBytes, sdsBytes: sds };
  }

  private readonly scoreSizes = new Map<number, number>();

  /** scoreEntrySize() is slow for non-integral scores (it formats "%.17g"); scores repeat a lot. */
  private scoreSize(score: number): number {
    let s = this.scoreSizes.get(score);
    if (s === undefined) {
      s = scoreEntrySize(score);
      if (this.scoreSizes.size >= 100_000) this.scoreSizes.clear();
      this.scoreSizes.set(score, s);
    }
    return s;
  }

  /** Strings never need their bytes except to tell a shared integer (0..9999) from another. */
  private stringCost(rec: KeyRecord): ValueCost {
    const p = this.params;
    if (rec.encoding === 'int') {
      const v = rec.value?.type === 'string' ? rec.value.value : null;
      let shared: boolean;
      if (v !== null) shared = this.model.sharedIntegers !== false && isSharedInteger(v, p.sharedIntegers);
      else shared = this.model.sharedIntegers !== false && rec.length <= String(p.sharedIntegers - 1).length;
      return { encoding: 'int', usage: p.robj, allocated: shared ? 0 : sizeClass(p.robj, p.lgQuantum) };
    }
    // A loaded non-integer string costs what its length says; lengths repeat, so cache them.
    const len = rec.length;
    if (len >= 65536) return valueCost({ type: 'string', length: len }, this.model);
    let c = this.stringCosts[len];
    if (!c) c = this.stringCosts[len] = valueCost({ type: 'string', length: len }, this.model);
    return c;
  }

  /** Per length below 64 KiB; filled up front so the array stays dense (fast element access). */
  private readonly stringCosts: Array<ValueCost | undefined> = new Array<ValueCost | undefined>(65536).fill(undefined);
}

/** listpack entrySize(): only bytes that can be a canonical integer need the integer check. */
function lpEntrySize(b: RdbBytes): number {
  const n = b.length;
  if (n > 0 && n <= 20) {
    const c = typeof b === 'string' ? b.charCodeAt(0) : b[0]!;
    if ((c >= 0x30 && c <= 0x39) || c === 0x2d) return entrySize(b);
  }
  return stringEntrySize(n);
}

/** sdsBytes() for lengths below 64 KiB from a table (it is asked once per element). */
class SdsTable {
  private readonly table = new Int32Array(65536);
  constructor(private readonly p: MemoryParams) {
    for (let i = 0; i < this.table.length; i++) this.table[i] = sdsBytes(i, p.lgQuantum);
  }
  of(len: number): number {
    return len < 65536 ? this.table[len]! : sdsBytes(len, this.p.lgQuantum);
  }
}

function isSharedInteger(v: string | Uint8Array, limit: number): boolean {
  const text = typeof v === 'string' ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('latin1');
  if (text.length > 5 || text.startsWith('-')) return false;
  const n = Number(text);
  return Number.isInteger(n) && n >= 0 && n < limit;
}

/** The model's description of a key's value: exact with values, a summary without. */
export function describe(rec: KeyRecord): ValueDescription {
  const v = rec.value;
  if (v) {
    const exact = exactDescription(v);
    if (exact) return exact;
  }
  return summaryDescription(rec);
}

function exactDescription(v: RdbValue): ValueDescription | null {
  switch (v.type) {
    case 'string':
      return { type: 'string', value: v.value };
    case 'list':
      return { type: 'list', elements: v.elements };
    case 'set':
      return { type: 'set', members: v.members };
    case 'zset':
      return { type: 'zset', members: v.members };
    case 'hash':
      return { type: 'hash', fields: v.fields };
    case 'stream':
      return streamDescription(v.stream);
    default:
      return null;
  }
}

/** Integer width an intset needs for members of up to `digits` characters (sign included). */
function intWidthFor(digits: number): 2 | 4 | 8 {
  if (digits <= 5) return 2;
  if (digits <= 10) return 4;
  return 8;
}

export function summaryDescription(rec: KeyRecord): ValueDescription {
  const n = rec.elements.count;
  const avg = n > 0 ? Math.round(rec.elements.totalLength / n) : 0;
  switch (rec.type) {
    case 'string':
      return { type: 'string', length: rec.length };
    case 'list':
      return { type: 'list', count: n, elementLength: avg };
    case 'set':
      if (rec.encoding === 'intset') return { type: 'set', count: n, intWidth: intWidthFor(rec.elements.maxLength) };
      return { type: 'set', count: n, memberLength: avg };
    case 'zset': {
      // A small skiplist holds a member longer than the listpack limit.
      const long = rec.encoding === 'skiplist' && n <= 128;
      return { type: 'zset', count: n, memberLength: long ? Math.max(65, avg) : avg };
    }
    case 'hash': {
      // totalLength counts fields and values; split evenly (the model only needs the sum for
      // listpacks and per-side lengths for the 64-byte rule, which maxLength decides below).
      const half = n > 0 ? rec.elements.totalLength / (2 * n) : 0;
      const long = rec.encoding === 'hashtable' && n <= 512;
      return { type: 'hash', count: n, fieldLength: Math.round(half), valueLength: long ? Math.max(65, Math.round(half)) : Math.round(half) };
    }
    default:
      return { type: 'string', length: rec.diskBytes };
  }
}

/** The memory model's description of a stream from what the RDB stores (nodes, groups, PEL sizes). */
export function streamDescription(st: StreamValue): ValueDescription {
  return {
    type: 'stream',
    nodes: st.nodes.map((n) => ({ masterId: n.masterId, listpackBytes: n.listpackBytes, entries: n.entries, deleted: n.deleted })),
    groups: st.groups.map((g) => ({ name: g.name, pelSize: g.pelSize, consumers: g.consumers.map((c) => ({ name: c.name, pelSize: c.pelSize })) })),
  };
}

/**
 * Without the decoded stream (--no-values): the stream struct, one rax node per stored byte run
 * and the on-disk size standing in for the listpacks, which it matches within a few percent.
 */
function streamEstimate(rec: KeyRecord, p: MemoryParams): ValueCost {
  const usage = p.robj + 80 + 16 + 2 * 244 + sizeClass(rec.diskBytes, p.lgQuantum);
  return { encoding: 'stream', usage, allocated: usage };
}

/** A module value's size is known only to the module; the serialized size stands in for it. */
function moduleCost(rec: KeyRecord): ValueCost {
  return { encoding: 'module' as ValueCost['encoding'], usage: rec.diskBytes, allocated: rec.diskBytes };
}
