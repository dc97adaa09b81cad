// The AofReport: one fold over an AOF pass (formats/aof records) yielding what an operator asks of
// an append-only log before restarting a server on it: its layout (manifest, BASE/INCR/HISTORY
// files with sizes, an RDB preamble), which commands it replays and how often, how many distinct
// keys it touches per database, its MULTI/EXEC blocks, and the first problem found with what Redis
// 7.0 would do about it under aof-load-truncated yes|no. The RDB part (BASE .rdb or preamble) is
// summarised by a DatasetReport. Nothing here touches the files; memory stays flat (counters,
// and a distinct-key counter that turns into a HyperLogLog past a cap).

import type { AofFileEntry, AofProblemRecord, AofRecord } from '../formats/aof/records.js';
import { createDatasetReport, type DatasetReport, type DatasetReportResult } from './dataset-report.js';

/** Where a command's keys are in its arguments. Commands not listed take argv[1]. */
type KeySpec = 'none' | 'all' | 'pairs' | 'first2' | 'from2' | 'numkeys' | 'second';

const KEY_SPECS: Record<string, KeySpec> = {
  MULTI: 'none',
  EXEC: 'none',
  DISCARD: 'none',
  SELECT: 'none',
  FLUSHALL: 'none',
  FLUSHDB: 'none',
  SWAPDB: 'none',
  FUNCTION: 'none',
  SCRIPT: 'none',
  PUBLISH: 'none',
  SPUBLISH: 'none',
  PING: 'none',
  DEL: 'all',
  UNLINK: 'all',
  SINTERSTORE: 'all',
  SUNIONSTORE: 'all',
  SDIFFSTORE: 'all',
  PFMERGE: 'all',
  MSET: 'pairs',
  MSETNX: 'pairs',
  RENAME: 'first2',
  RENAMENX: 'first2',
  SMOVE: 'first2',
  LMOVE: 'first2',
  BLMOVE: 'first2',
  RPOPLPUSH: 'first2',
  BRPOPLPUSH: 'first2',
  COPY: 'first2',
  GEOSEARCHSTORE: 'first2',
  ZRANGESTORE: 'first2',
  BITOP: 'from2',
  ZUNIONSTORE: 'numkeys',
  ZINTERSTORE: 'numkeys',
  ZDIFFSTORE: 'numkeys',
  XGROUP: 'second',
};

/** The keys a logged command writes to (latin1), per KEY_SPECS. */
export function commandKeys(argv: string[]): string[] {
  const name = (argv[0] ?? '').toUpperCase();
  switch (KEY_SPECS[name]) {
    case 'none':
      return [];
    case 'all':
      return argv.slice(1);
    case 'pairs':
      return argv.filter((_, i) => i % 2 === 1);
    case 'first2':
      return argv.slice(1, 3);
    case 'from2':
      return argv.slice(2);
    case 'second':
      return argv.length > 2 ? [argv[2]!] : [];
    case 'numkeys': {
      const n = Number(argv[2]);
      return [argv[1]!, ...(Number.isInteger(n) && n > 0 ? argv.slice(3, 3 + n) : [])].filter((k) => k !== undefined);
    }
    default:
      return argv.length > 1 ? [argv[1]!] : [];
  }
}

export interface AofFileJson extends AofFileEntry {
  /** Whether Redis loads it (base/incr) and whether it was read (a problem earlier stops the pass). */
  loaded: boolean;
  read: boolean;
  /** rdb when it starts with an RDB part (BASE .rdb or legacy preamble), else aof. */
  format: 'rdb' | 'aof' | null;
  /** RESP bytes after the RDB part (preamble files). */
  respBytes: number | null;
  commands: number;
}

export interface AofReportResult {
  input: 'file' | 'directory' | 'manifest' | null;
  path: string | null;
  manifest: string | null;
  files: AofFileJson[];
  loadBytes: number;
  /** Command name (upper case) -> times logged, most frequent first. */
  commands: Record<string, number>;
  totalCommands: number;
  /** Distinct keys written per database by the logged commands (RDB part excluded). */
  keysTouched: Array<{ db: number; commands: number; keys: number; approximate: boolean }>;
  transactions: { count: number; commands: number; largest: { file: string; begin: number; end: number; commands: number } | null };
  annotations: { count: number; firstTimestamp: number | null; lastTimestamp: number | null };
  /** Summary of the RDB part (BASE .rdb or preamble), when there is one. */
  rdb: Pick<DatasetReportResult, 'rdbVersion' | 'aux' | 'checksum' | 'databases' | 'totals'> | null;
  problem: AofProblemRecord | null;
  ok: boolean;
  bytesRead: number;
}

export interface AofReportOptions {
  /** Exact distinct-key counting up to this many keys per database, estimated beyond (default 200,000). */
  exactKeysCap?: number;
  /** "Now" for the RDB part's TTL figures. */
  nowMs?: number;
}

export class AofReport {
  private layout: Extract<AofRecord, { kind: 'layout' }> | null = null;
  private readonly files = new Map<string, AofFileJson>();
  private currentFile: AofFileJson | null = null;
  private readonly commands = new Map<string, number>();
  private totalCommands = 0;
  private readonly perDb = new Map<number, { commands: number; keys: DistinctCounter }>();
  private readonly transactions: AofReportResult['transactions'] = { count: 0, commands: 0, largest: null };
  private readonly annotations: AofReportResult['annotations'] = { count: 0, firstTimestamp: null, lastTimestamp: null };
  private rdb: DatasetReport | null = null;
  private problem: AofProblemRecord | null = null;
  private ok = false;
  private bytesRead = 0;

  constructor(private readonly opts: AofReportOptions = {}) {}

  add(rec: AofRecord): void {
    switch (rec.kind) {
      case 'layout':
        this.layout = rec;
        for (const f of rec.files) {
          this.files.set(f.name, { ...f, loaded: f.type !== 'history', read: false, format: null, respBytes: null, commands: 0 });
        }
        return;
      case 'file': {
        const f = this.files.get(rec.name);
        if (f) {
          f.read = true;
          f.format = rec.format;
          this.currentFile = f;
        }
        return;
      }
      case 'rdb':
        if (!this.rdb) this.rdb = createDatasetReport({ nowMs: this.opts.nowMs, top: 0 });
        this.rdb.add(rec.record);
        return;
      case 'rdb-end': {
        const f = this.files.get(rec.file);
        if (f) f.respBytes = rec.tailBytes;
        return;
      }
      case 'command':
        this.command(rec.argv, rec.db);
        return;
      case 'transaction':
        this.transactions.count++;
        this.transactions.commands += rec.commands;
        if (!this.transactions.largest || rec.commands > this.transactions.largest.commands) {
          this.transactions.largest = { file: rec.file, begin: rec.begin, end: rec.end, commands: rec.commands };
        }
        return;
      case 'annotation':
        this.annotations.count++;
        if (rec.timestamp !== null) {
          this.annotations.firstTimestamp ??= rec.timestamp;
          this.annotations.lastTimestamp = rec.timestamp;
        }
        return;
      case 'problem':
        this.problem ??= rec;
        return;
      case 'end':
        this.ok = rec.ok;
        this.bytesRead = rec.bytes;
        return;
    }
  }

  private command(argv: string[], db: number): void {
    const name = (argv[0] ?? '').toUpperCase();
    this.commands.set(name, (this.commands.get(name) ?? 0) + 1);
    this.totalCommands++;
    if (this.currentFile) this.currentFile.commands++;
    let d = this.perDb.get(db);
    if (!d) this.perDb.set(db, (d = { commands: 0, keys: new DistinctCounter(this.opts.exactKeysCap) }));
    d.commands++;
    for (const k of commandKeys(argv)) d.keys.add(k);
  }

  finish(): AofReportResult {
    const rdb = this.rdb?.finish() ?? null;
    return {
      input: this.layout?.input ?? null,
      path: this.layout?.path ?? null,
      manifest: this.layout?.manifest ?? null,
      files: [...this.files.values()],
      loadBytes: this.layout?.loadBytes ?? 0,
      commands: Object.fromEntries([...this.commands].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))),
      totalCommands: this.totalCommands,
      keysTouched: [...this.perDb]
        .sort((a, b) => a[0] - b[0])
        .map(([db, d]) => ({ db, commands: d.commands, keys: d.keys.count(), approximate: d.keys.approximate })),
      transactions: this.transactions,
      annotations: this.annotations,
      rdb: rdb && { rdbVersion: rdb.rdbVersion, aux: rdb.aux, checksum: rdb.checksum, databases: rdb.databases, totals: rdb.totals },
      problem: this.problem,
      ok: this.ok && this.problem === null,
      bytesRead: this.bytesRead,
    };
  }
}

export function createAofReport(opts: AofReportOptions = {}): AofReport {
  return new AofReport(opts);
}

// Distinct keys: exact (a Set) up to a cap, then a HyperLogLog (2^12 registers, about 1.6%
// standard error) so memory stays flat on logs that name billions of keys.

const P = 12;
const M = 1 << P;

/** 32-bit MurmurHash3-style mix of a latin1 string (one char per byte). */
function hash32(s: string, seed = 0x9747b28c): number {
  let h = seed ^ s.length;
  for (let i = 0; i < s.length; i++) {
    let k = s.charCodeAt(i);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class DistinctCounter {
  private exact: Set<string> | null = new Set();
  private registers: Uint8Array | null = null;

  constructor(private readonly cap = 200_000) {}

  add(s: string): void {
    if (this.exact) {
      this.exact.add(s);
      if (this.exact.size > this.cap) {
        this.registers = new Uint8Array(M);
        for (const k of this.exact) this.hll(k);
        this.exact = null;
      }
      return;
    }
    this.hll(s);
  }

  private hll(s: string): void {
    const h = hash32(s);
    const idx = h >>> (32 - P);
    const rest = (h << P) | (1 << (P - 1)); // guard bit bounds the run length
    const rank = Math.clz32(rest) + 1;
    if (rank > this.registers![idx]!) this.registers![idx] = rank;
  }

  /** True once the count is an estimate. */
  get approximate(): boolean {
    return this.exact === null;
  }

  count(): number {
    if (this.exact) return this.exact.size;
    const r = this.registers!;
    let sum = 0;
    let zeros = 0;
    for (let i = 0; i < M; i++) {
      sum += 2 ** -r[i]!;
      if (r[i] === 0) zeros++;
    }
    const alpha = 0.7213 / (1 + 1.079 / M);
    let e = (alpha * M * M) / sum;
    if (e <= 2.5 * M && zeros > 0) e = M * Math.log(M / zeros);
    return Math.round(e);
  }
}
