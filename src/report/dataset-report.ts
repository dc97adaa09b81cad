// The DatasetReport: one streaming fold over the records of an RDB file (or an AOF's preamble),
// yielding what an operator asks of a snapshot: what is in it per database (keys, TTLs, types,
// encodings), what it would cost in memory once loaded (MEMORY USAGE per key and the projected
// used_memory_dataset, from the memory model), which keys are the biggest, which prefixes hold
// the memory, how the TTLs and element sizes are spread, and whether the file is sound.
//
// Usage: `const r = createDatasetReport(opts); for (const rec of readRdbFile(path)) r.add(rec);
// const result = r.finish();`. add() keeps no record: every aggregate is a counter, a bounded
// heap or a bounded map, so memory stays flat whatever the file size. add() returns the key's row
// (db, key, type, encoding, length, memoryBytes, expiry) when the record is a key that passes the
// filters, which is all the per-key outputs (NDJSON, CSV) need.

import type { ChecksumVerdict, ElementStats, KeyRecord, LoadedEncoding, RdbRecord, RdbValue, RdbValueType } from '../formats/rdb/records.js';
import { DatasetModel, type DatasetOptions } from '../memory/index.js';
import { BigKeys, type BigKeyEntry } from './big-keys.js';
import { ElementSizes, type TypeSizes } from './element-sizes.js';
import { KeyMemory, type KeyMemoryOptions } from './key-memory.js';
import { keyText } from './key-text.js';
import { PrefixTree, type PrefixStats } from './prefix-tree.js';
import { TtlHistogramBuilder, type TtlHistogram } from './ttl-histogram.js';

export interface DatasetFilter {
  /** Only these databases. */
  dbs?: number[];
  /** Only these types. */
  types?: RdbValueType[];
  /** Only keys this predicate accepts (the CLI passes Redis's glob matcher for --match). */
  match?: (key: string) => boolean;
  /** Only keys whose MEMORY USAGE is at least this. */
  minBytes?: number;
}

export interface DatasetReportOptions {
  /** "Now" for the TTL histogram, unix ms (default Date.now()). */
  nowMs?: number;
  /** Entries kept per big-key list and children listed per prefix (default 10). */
  top?: number;
  separator?: string;
  depth?: number;
  maxPrefixes?: number;
  filter?: DatasetFilter;
  /** Memory model options (version record, thresholds, cluster) and the dataset projection's. */
  memory?: KeyMemoryOptions & Pick<DatasetOptions, 'startupBytes' | 'idleDatasetBytes' | 'distinctCommands'>;
}

/** One key as the per-key outputs print it. `key` is latin1 (raw bytes); see key-text.ts. */
export interface KeyRow {
  db: number;
  key: string;
  type: RdbValueType;
  encoding: LoadedEncoding;
  length: number;
  memoryBytes: number;
  expireAtMs: number | null;
  elements: ElementStats;
  diskBytes: number;
}

/** A key as JSON shows it: readable text, `keyEscaped` when the text is the escaped form. */
export interface BigKeyJson {
  db: number;
  key: string;
  keyEscaped?: true;
  type: RdbValueType;
  encoding: LoadedEncoding;
  length: number;
  memoryBytes: number;
  expireAtMs: number | null;
}

export interface DatabaseSummary {
  db: number;
  keys: number;
  expires: number;
  /** Keys whose TTL had passed at `nowMs` (still in the file; a master drops them on load). */
  expired: number;
  types: Partial<Record<RdbValueType, number>>;
  /** "type/encoding" -> keys, the encoding being OBJECT ENCODING after a 7.0 load. */
  encodings: Record<string, number>;
  memoryBytes: number;
  /** Bytes the keys take in the file. */
  diskBytes: number;
  /** MEMORY STATS overhead.hashtable.main + .expires for this db, as the model projects it. */
  overheadBytes: number;
  /** The RESIZEDB hint the writer stored (its key and TTL counts), when present. */
  resizeHint?: { keys: number; expires: number };
}

export interface PrefixJson extends PrefixStats {
  /** The prefix with its separator ("user:"), or "(other)" for the folded tail of a level. */
  prefix: string;
  keyEscaped?: true;
  other?: true;
  depth: number;
}

export interface DatasetReportResult {
  magic: 'REDIS' | 'VALKEY' | null;
  rdbVersion: number | null;
  aux: Record<string, string>;
  checksum: ChecksumVerdict | null;
  /** True once the EOF opcode was read. */
  complete: boolean;
  trailingBytes: number;
  /** Empty collections in the file: Redis 7.0 skips them on load ("empty keys skipped"). */
  emptyKeysSkipped: number;
  databases: DatabaseSummary[];
  totals: {
    keys: number;
    expires: number;
    expired: number;
    /** Sum of MEMORY USAGE over the keys. */
    memoryBytes: number;
    /** Projected used_memory_dataset once the keys are loaded into an empty 7.0 server. */
    datasetBytes: number;
    /** Projected used_memory (startup + dataset + overhead), no clients or replication. */
    usedMemoryBytes: number;
    /** Keyspace dict overhead INFO counts in used_memory_overhead. */
    overheadBytes: number;
    diskBytes: number;
    /** Keys left out by the filters. */
    filteredOut: number;
  };
  bigKeys: BigKeyJson[];
  bigKeysByLength: BigKeyJson[];
  bigKeysByType: Partial<Record<RdbValueType, { byMemory: BigKeyJson[]; byLength: BigKeyJson[] }>>;
  prefixes: PrefixJson[];
  prefixTree: { separator: string; depth: number; approximate: boolean; unprefixed: PrefixStats };
  ttl: TtlHistogram;
  nowMs: number;
  elementSizes: Partial<Record<RdbValueType, TypeSizes>>;
  /** False when element sizes were inferred from averages (the reader did not hand over values). */
  elementSizesExact: boolean;
  modules: Array<{ moduleId: string; moduleName: string; keys: number; aux: number }>;
  functions: Array<{ library: string | null; engine: string | null }>;
  slotInfo: number;
  memoryModel: string;
}

interface Counter {
  keys: number;
}

interface TypeAcc extends Counter {
  encodings: Map<LoadedEncoding, Counter>;
}

interface DbAcc {
  keys: number;
  expires: number;
  expired: number;
  /** type -> keys, and per encoding (two lookups beat building "type/encoding" per key). */
  types: Map<RdbValueType, TypeAcc>;
  memoryBytes: number;
  diskBytes: number;
  resizeHint?: { keys: number; expires: number };
}

export class DatasetReport {
  private readonly nowMs: number;
  private readonly top: number;
  private readonly filter: DatasetFilter;
  private readonly dbSet: Set<number> | null;
  private readonly typeSet: Set<RdbValueType> | null;
  private readonly memory: KeyMemory;
  private readonly model: DatasetModel;
  private readonly bigKeys: BigKeys;
  private readonly prefixes: PrefixTree;
  private readonly ttl: TtlHistogramBuilder;
  private readonly sizes = new ElementSizes();
  private readonly dbs = new Map<number, DbAcc>();
  private magic: 'REDIS' | 'VALKEY' | null = null;
  private version: number | null = null;
  private readonly aux: Record<string, string> = {};
  private checksum: ChecksumVerdict | null = null;
  private complete = false;
  private trailingBytes = 0;
  private emptyKeysSkipped = 0;
  private filteredOut = 0;
  private sizesExact = true;
  private slotInfo = 0;
  private readonly modules = new Map<string, { moduleId: string; moduleName: string; keys: number; aux: number }>();
  private readonly functions: Array<{ library: string | null; engine: string | null }> = [];

  constructor(opts: DatasetReportOptions = {}) {
    this.nowMs = opts.nowMs ?? Date.now();
    this.top = Math.max(0, opts.top ?? 10);
    this.filter = opts.filter ?? {};
    this.dbSet = this.filter.dbs?.length ? new Set(this.filter.dbs) : null;
    this.typeSet = this.filter.types?.length ? new Set(this.filter.types) : null;
    this.memory = new KeyMemory(opts.memory);
    this.model = new DatasetModel({ ...opts.memory, origin: 'load', params: this.memory.params });
    this.bigKeys = new BigKeys(this.top);
    this.prefixes = new PrefixTree({ separator: opts.separator, depth: opts.depth, maxPrefixes: opts.maxPrefixes });
    this.ttl = new TtlHistogramBuilder(this.nowMs);
  }

  private db(n: number): DbAcc {
    let d = this.dbs.get(n);
    if (!d) {
      d = { keys: 0, expires: 0, expired: 0, types: new Map(), memoryBytes: 0, diskBytes: 0 };
      this.dbs.set(n, d);
    }
    return d;
  }

  /** Folds one record in; returns the key's row when it is a key that passes the filters. */
  add(rec: RdbRecord): KeyRow | null {
    return this.fold(rec, true);
  }

  /** add() for callers that want no per-key row (the JSON and text reports): nothing is built per key. */
  addRecord(rec: RdbRecord): void {
    this.fold(rec, false);
  }

  private fold(rec: RdbRecord, wantRow: boolean): KeyRow | null {
    switch (rec.kind) {
      case 'key':
        return this.addKey(rec, wantRow);
      case 'header':
        this.magic = rec.magic;
        this.version = rec.version;
        return null;
      case 'aux':
        this.aux[rec.key] = rec.value;
        return null;
      case 'resizedb':
        if (!this.dbSet || this.dbSet.has(rec.db)) this.db(rec.db).resizeHint = { keys: rec.keys, expires: rec.expires };
        return null;
      case 'slot-info':
        this.slotInfo++;
        return null;
      case 'module-aux':
        this.module(rec.moduleId, rec.moduleName).aux++;
        return null;
      case 'function':
        this.functions.push({ library: rec.library, engine: rec.engine });
        return null;
      case 'eof':
        this.complete = true;
        this.checksum = rec.checksum;
        this.trailingBytes = rec.trailingBytes;
        this.emptyKeysSkipped = rec.emptyKeysSkipped ?? 0;
        return null;
      case 'db':
        return null;
    }
  }

  private module(moduleId: string, moduleName: string) {
    let m = this.modules.get(moduleId);
    if (!m) this.modules.set(moduleId, (m = { moduleId, moduleName, keys: 0, aux: 0 }));
    return m;
  }

  // The db, type and encoding counters the last key went to (consecutive keys often share them).
  private lastDbNo = -1;
  private lastDb: DbAcc | undefined;
  private lastType: RdbValueType | null = null;
  private lastTypeAcc: TypeAcc | undefined;
  private lastEnc: LoadedEncoding | null = null;
  private lastEncAcc: Counter | undefined;

  /** Points lastDb, lastTypeAcc and lastEncAcc at this key's counters and returns the db's. */
  private counters(db: number, type: RdbValueType, encoding: LoadedEncoding): DbAcc {
    if (db !== this.lastDbNo || !this.lastDb) {
      this.lastDbNo = db;
      this.lastDb = this.db(db);
      this.lastType = this.lastEnc = null;
    }
    const d = this.lastDb;
    if (type !== this.lastType || !this.lastTypeAcc) {
      let t = d.types.get(type);
      if (!t) d.types.set(type, (t = { keys: 0, encodings: new Map() }));
      this.lastType = type;
      this.lastTypeAcc = t;
      this.lastEnc = null;
    }
    const t = this.lastTypeAcc;
    if (encoding !== this.lastEnc || !this.lastEncAcc) {
      let e = t.encodings.get(encoding);
      if (!e) t.encodings.set(encoding, (e = { keys: 0 }));
      this.lastEnc = encoding;
      this.lastEncAcc = e;
    }
    return d;
  }

  private addKey(rec: KeyRecord, wantRow: boolean): KeyRow | null {
    if ((this.dbSet && !this.dbSet.has(rec.db)) || (this.typeSet && !this.typeSet.has(rec.type)) || (this.filter.match && !this.filter.match(rec.key))) {
      this.filteredOut++;
      return null;
    }
    const cost = this.memory.valueCost(rec);
    const memoryBytes = this.memory.usage(rec.key.length, cost);
    if (this.filter.minBytes !== undefined && memoryBytes < this.filter.minBytes) {
      this.filteredOut++;
      return null;
    }
    const hasTtl = rec.expireAtMs !== null;
    this.model.addKeyCost(rec.key.length, cost, hasTtl, rec.db);

    const d = this.counters(rec.db, rec.type, rec.encoding);
    d.keys++;
    d.memoryBytes += memoryBytes;
    d.diskBytes += rec.diskBytes;
    this.lastTypeAcc!.keys++;
    this.lastEncAcc!.keys++;
    if (hasTtl) d.expires++;
    if (this.ttl.add(rec.expireAtMs, memoryBytes) === 'expired') d.expired++;

    this.bigKeys.add(rec.db, rec.key, rec.type, rec.encoding, rec.length, memoryBytes, rec.expireAtMs);
    this.prefixes.add(rec.key, memoryBytes, hasTtl);
    this.addSizes(rec);
    if (rec.type === 'module' && rec.value?.type === 'module') this.module(rec.value.moduleId, rec.value.moduleName).keys++;

    if (!wantRow) return null;
    return {
      db: rec.db,
      key: rec.key,
      type: rec.type,
      encoding: rec.encoding,
      length: rec.length,
      memoryBytes,
      expireAtMs: rec.expireAtMs,
      elements: rec.elements,
      diskBytes: rec.diskBytes,
    };
  }

  private addSizes(rec: KeyRecord): void {
    this.sizes.addKey(rec.type, rec.length);
    if (rec.type === 'string' || rec.type === 'module' || rec.type === 'stream') return;
    const v = rec.value;
    if (v && addElementSizes(this.sizes, v)) return;
    if (rec.sizes) {
      this.sizes.addElementLengths(rec.type, rec.sizes.lengths);
      return;
    }
    // No values: every element at the average length.
    const n = rec.elements.count;
    if (n === 0) return;
    this.sizesExact = false;
    const parts = rec.type === 'hash' ? 2 * n : n;
    this.sizes.addElement(rec.type, Math.round(rec.elements.totalLength / parts), parts);
  }

  /** The reader options a sizes pass needs for this report's model (see RdbReadOptions.sizes). */
  get sizesReadOptions(): { sizes: true; valuesUpTo: number } {
    return { sizes: true, valuesUpTo: this.memory.valuesUpTo };
  }

  finish(): DatasetReportResult {
    const t = this.model.totals();
    const databases: DatabaseSummary[] = [...this.dbs]
      .sort((a, b) => a[0] - b[0])
      .map(([db, d]) => {
        const m = t.dbs[db];
        const s: DatabaseSummary = {
          db,
          keys: d.keys,
          expires: d.expires,
          expired: d.expired,
          types: Object.fromEntries([...d.types].map(([type, t]) => [type, t.keys] as [RdbValueType, number]).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))),
          encodings: Object.fromEntries(
            [...d.types].flatMap(([type, t]) => [...t.encodings].map(([e, n]) => [`${type}/${e}`, n.keys] as [string, number])).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
          ),
          memoryBytes: d.memoryBytes,
          diskBytes: d.diskBytes,
          overheadBytes: m ? m.overheadMain + m.overheadExpires + m.overheadSlotToKeys : 0,
        };
        if (d.resizeHint) s.resizeHint = d.resizeHint;
        return s;
      });
    const sum = (f: (d: DatabaseSummary) => number) => databases.reduce((a, d) => a + f(d), 0);
    const big = this.bigKeys.finish();
    const bigKeysByType: DatasetReportResult['bigKeysByType'] = {};
    for (const [type, l] of Object.entries(big.perType) as Array<[RdbValueType, { byMemory: BigKeyEntry[]; byLength: BigKeyEntry[] }]>) {
      bigKeysByType[type] = { byMemory: l.byMemory.map(bigKeyJson), byLength: l.byLength.map(bigKeyJson) };
    }
    const tree = this.prefixes.finish(this.top);
    return {
      magic: this.magic,
      rdbVersion: this.version,
      aux: this.aux,
      checksum: this.checksum,
      complete: this.complete,
      trailingBytes: this.trailingBytes,
      emptyKeysSkipped: this.emptyKeysSkipped,
      databases,
      totals: {
        keys: t.keys,
        expires: t.expires,
        expired: sum((d) => d.expired),
        memoryBytes: sum((d) => d.memoryBytes),
        datasetBytes: t.keys > 0 ? t.usedMemoryDataset : 0,
        usedMemoryBytes: t.usedMemory,
        overheadBytes: t.overhead,
        diskBytes: sum((d) => d.diskBytes),
        filteredOut: this.filteredOut,
      },
      bigKeys: big.byMemory.map(bigKeyJson),
      bigKeysByLength: big.byLength.map(bigKeyJson),
      bigKeysByType,
      prefixes: tree.rows.map((r) => {
        if (r.prefix === null) return { prefix: '(other)', other: true as const, depth: r.depth, keys: r.keys, memoryBytes: r.memoryBytes, noTtlKeys: r.noTtlKeys };
        const k = keyText(r.prefix);
        const row: PrefixJson = { prefix: k.text, depth: r.depth, keys: r.keys, memoryBytes: r.memoryBytes, noTtlKeys: r.noTtlKeys };
        if (k.escaped) row.keyEscaped = true;
        return row;
      }),
      prefixTree: { separator: tree.separator, depth: tree.depth, approximate: tree.approximate, unprefixed: tree.unprefixed },
      ttl: this.ttl.finish(),
      nowMs: this.nowMs,
      elementSizes: this.sizes.finish(),
      elementSizesExact: this.sizesExact,
      modules: [...this.modules.values()],
      functions: this.functions,
      slotInfo: this.slotInfo,
      memoryModel: this.memory.params.name,
    };
  }
}

export function createDatasetReport(opts: DatasetReportOptions = {}): DatasetReport {
  return new DatasetReport(opts);
}

/** A big-key entry as JSON shows it (readable key text). */
export function bigKeyJson(e: BigKeyEntry | KeyRow): BigKeyJson {
  const k = keyText(e.key);
  return {
    db: e.db,
    key: k.text,
    ...(k.escaped ? { keyEscaped: true as const } : {}),
    type: e.type,
    encoding: e.encoding,
    length: e.length,
    memoryBytes: e.memoryBytes,
    expireAtMs: e.expireAtMs,
  };
}

/** Byte lengths of a value's elements into the per-type histogram; false when not described. */
function addElementSizes(sizes: ElementSizes, v: RdbValue): boolean {
  switch (v.type) {
    case 'list':
      for (const e of v.elements) sizes.addElement('list', e.length);
      return true;
    case 'set':
      for (const m of v.members) sizes.addElement('set', m.length);
      return true;
    case 'zset':
      for (const [m] of v.members) sizes.addElement('zset', m.length);
      return true;
    case 'hash':
      for (const [f, val] of v.fields) {
        sizes.addElement('hash', f.length);
        sizes.addElement('hash', val.length);
      }
      return true;
    default:
      return false;
  }
}
