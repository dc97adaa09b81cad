// What the check needs to know about one input, gathered the same way whatever the input is:
// an RDB file (or an AOF's RDB part) folded by the DatasetReport and projected with the memory
// model to what Redis 7.0 would report after loading it (an AOF's logged commands are replayed
// into the bundled engine, which keeps used_memory by the same model), or a live target read
// through one Snapshot and a SCAN sample. The evaluation (evaluate.ts) sees only these InputFacts, so a file
// and a live server are judged by the same code. Facts an input cannot give are null, with the
// reason, and the checks that need them are skipped rather than passed.
//
// The record iterators and the glob matcher are handed in by the caller (the CLI): the readers
// live in formats/ and the matcher in engine/, neither of which check/ may import.

import type { AofRecord } from '../formats/aof/records.js';
import type { RdbRecord } from '../formats/rdb/records.js';
import { Collector } from '../collect/collector.js';
import { num, parseInfo } from '../collect/info-parser.js';
import { sampleKeys } from '../collect/key-sampler.js';
import type { Snapshot } from '../collect/snapshot.js';
import { fragmentationReport } from '../analyze/fragmentation.js';
import { KeysReport } from '../analyze/keys.js';
import { createDatasetReport, type KeyRow } from '../report/dataset-report.js';
import { keyText } from '../report/key-text.js';
import type { RedisLink } from '../target/link.js';
import { openLink } from '../target/link.js';
import { startEmbedded } from '../target/embedded.js';
import { REDIS_7_0 } from '../memory/params.js';
import type { Budget } from './budget.js';

/** Redis's glob (KEYS syntax) over latin1 key bytes; pattern already latin1. */
export type GlobMatcher = (pattern: string, key: string) => boolean;

export type InputKind = 'rdb' | 'aof' | 'live';

export interface MemoryFacts {
  /** used_memory of the empty server (INFO used_memory_startup, or the model's). */
  startupBytes: number;
  /** used_memory with the dataset loaded (INFO, or the model's projection). */
  usedMemoryBytes: number;
  /** used_memory_dataset (INFO, or the model's projection). */
  datasetBytes: number;
  /** The target's maxmemory (0 = none); null for files. */
  maxmemoryBytes: number | null;
}

export interface BigKey {
  key: string;
  type: string;
  value: number;
}

export interface KeyFacts {
  /** Keys in the dataset (all databases). */
  count: number;
  /** Keys without a TTL (all databases). */
  noTtl: number;
  /** Biggest key by memory, biggest collection by elements (null when there is none). */
  biggestBytes: BigKey | null;
  biggestElements: BigKey | null;
  /** Where the per-key figures come from, for messages ("db 0 SCAN sample" / "whole file"). */
  scope: string;
  /** Per budget prefix (same order): keys and bytes of the keys matching its glob. */
  prefixes: Array<{ keys: number; bytes: number }>;
  /** Why per-key memory is missing (MEMORY USAGE unavailable), else null. */
  bytesUnavailable: string | null;
}

export interface InputFacts {
  name: string;
  kind: InputKind;
  memory: MemoryFacts;
  keys: KeyFacts;
  /** mem_fragmentation_ratio; null for files. */
  fragmentationRatio: number | null;
  /** INFO latencystats: command -> {p50, p99, p99.9} µs; null when not available (with why). */
  latency: Record<string, Record<string, number>> | null;
  /** Calls per command (INFO commandstats) for live targets. */
  calls: Record<string, number> | null;
  config: Record<string, string> | null;
  /** Why the live-only facts are missing (files) or partial. */
  notes: { latency?: string; config?: string; fragmentation?: string; input?: string };
}

/** Tallies of the budget's prefix globs as keys go by. */
class PrefixTally {
  readonly rows: Array<{ keys: number; bytes: number }>;
  private readonly patterns: string[];
  constructor(
    budget: Budget,
    private readonly match: GlobMatcher,
  ) {
    this.patterns = budget.prefixes.map((p) => Buffer.from(p.match, 'utf8').toString('latin1'));
    this.rows = this.patterns.map(() => ({ keys: 0, bytes: 0 }));
  }
  add(key: string, bytes: number): void {
    for (let i = 0; i < this.patterns.length; i++) {
      if (this.match(this.patterns[i]!, key)) {
        this.rows[i]!.keys++;
        this.rows[i]!.bytes += bytes;
      }
    }
  }
}

const bigger = (cur: BigKey | null, key: string, type: string, value: number): BigKey | null =>
  cur === null || value > cur.value ? { key: keyText(key).text, type, value } : cur;

const FILE_ONLY_NOTES = {
  latency: 'a file holds no latency figures (live targets only)',
  config: 'a file holds no server config (live targets only)',
  fragmentation: 'a file has no allocator fragmentation (live targets only; see memory.fragmentationAllowancePercent)',
};

/** Folds RDB records (a file, or an AOF's RDB part) into facts projected for Redis 7.0. */
export function fileFacts(name: string, kind: 'rdb' | 'aof', records: Iterable<RdbRecord>, budget: Budget, match: GlobMatcher, inputNote?: () => string | undefined): InputFacts {
  const report = createDatasetReport({ top: 1 });
  const tally = new PrefixTally(budget, match);
  let biggestBytes: BigKey | null = null;
  let biggestElements: BigKey | null = null;
  const onRow = (row: KeyRow) => {
    biggestBytes = bigger(biggestBytes, row.key, row.type, row.memoryBytes);
    if (row.type !== 'string' && row.type !== 'module') biggestElements = bigger(biggestElements, row.key, row.type, row.length);
    tally.add(row.key, row.memoryBytes);
  };
  for (const rec of records) {
    const row = report.add(rec);
    if (row) onRow(row);
  }
  const r = report.finish();
  // (An AOF without an RDB part has no header at all: an empty dataset as far as the model goes.)
  if (r.magic !== null && !r.complete) throw new Error(`${name}: the RDB data ends before its EOF marker (truncated file?)`);
  const t = r.totals;
  const datasetBytes = t.keys > 0 ? t.datasetBytes : 0;
  const note = inputNote?.();
  return {
    name,
    kind,
    memory: { startupBytes: t.usedMemoryBytes - t.overheadBytes - t.datasetBytes, usedMemoryBytes: t.usedMemoryBytes, datasetBytes, maxmemoryBytes: null },
    keys: { count: t.keys, noTtl: t.keys - t.expires, biggestBytes, biggestElements, scope: 'every key in the file', prefixes: tally.rows, bytesUnavailable: null },
    fragmentationRatio: null,
    latency: null,
    calls: null,
    config: null,
    notes: { ...FILE_ONLY_NOTES, ...(note ? { input: note } : {}) },
  };
}

/** What the logged commands of an AOF add once replayed into the bundled engine. */
interface ReplayDelta {
  commands: number;
  usedMemoryBytes: number;
  datasetBytes: number;
  keys: number;
  noTtl: number;
  sample: { biggestBytes: BigKey | null; biggestElements: BigKey | null; prefixes: Array<{ keys: number; bytes: number }> };
}

const REPLAY_BATCH = 500;

/** INFO figures of the engine that move with the keyspace, histograms and clients taken out. */
function keyspaceFigures(info: ReturnType<typeof parseInfo>): { used: number; dataset: number; keys: number; noTtl: number } {
  // One latency histogram per distinct command run (Redis 7 counts them in the dataset).
  const histograms = Object.keys(info.commandstats).length * REDIS_7_0.latencyHistogramBytes;
  const clients = (num(info, 'mem_clients_normal', 0) || 0) + (num(info, 'mem_clients_slaves', 0) || 0);
  let keys = 0;
  let noTtl = 0;
  for (const db of Object.values(info.keyspace)) {
    keys += db.keys;
    noTtl += db.keys - db.expires;
  }
  return { used: num(info, 'used_memory') - histograms - clients, dataset: num(info, 'used_memory_dataset') - histograms, keys, noTtl };
}

/**
 * Replays logged commands into a fresh bundled engine (it keeps used_memory by the same memory
 * model) and measures what they added: memory, keys, and per-key figures from a SCAN pass.
 */
async function replayCommands(commands: AsyncIterable<string[]> | Iterable<string[]>, budget: Budget, match: GlobMatcher): Promise<ReplayDelta> {
  const engine = await startEmbedded();
  const link = await openLink(engine.spec, { timeoutMs: 60_000 });
  try {
    const infoNow = async () => parseInfo(String(await link.call('INFO', 'everything')));
    const before = keyspaceFigures(await infoNow());
    let batch: string[][] = [];
    let count = 0;
    const flush = async () => {
      if (batch.length) await link.batch(batch, { raw: true });
      batch = [];
    };
    for await (const argv of commands) {
      batch.push(argv);
      count++;
      if (batch.length >= REPLAY_BATCH) await flush();
    }
    await flush();
    // Back to db 0 for the figures (the log may end in another database).
    await link.call('SELECT', '0');
    const after = keyspaceFigures(await infoNow());
    const live = await liveFacts(link, budget, match, { name: engine.spec.name, bundled: true, sampleKeys: needsKeySample(budget) });
    return {
      commands: count,
      usedMemoryBytes: Math.max(0, after.used - before.used),
      datasetBytes: Math.max(0, after.dataset - before.dataset),
      keys: after.keys,
      noTtl: after.noTtl,
      sample: { biggestBytes: live.keys.biggestBytes, biggestElements: live.keys.biggestElements, prefixes: live.keys.prefixes },
    };
  } finally {
    link.close();
    await engine.stop();
  }
}

/**
 * An AOF: its RDB part (BASE .rdb or preamble) is modeled like an RDB file; the logged commands
 * after it are replayed into the bundled engine and what they add is put on top. Commands that
 * rewrite keys of the RDB part are counted as new keys (an over-estimate, said in a note).
 */
export async function aofFacts(name: string, records: Iterable<AofRecord>, budget: Budget, match: GlobMatcher): Promise<InputFacts> {
  const argvs: string[][] = [];
  let problem: string | null = null;
  let readSomething = false;
  function* rdbPart(): Generator<RdbRecord> {
    for (const rec of records) {
      if (rec.kind === 'rdb') {
        readSomething = true;
        yield rec.record;
      } else if (rec.kind === 'command') {
        readSomething = true;
        argvs.push(rec.argv);
      } else if (rec.kind === 'problem') problem ??= `${rec.file}: ${rec.message}`;
    }
  }
  const facts = fileFacts(name, 'aof', rdbPart(), budget, match);
  if (!readSomething && problem) throw new Error(`not an AOF: ${problem}`);
  const notes: string[] = [];
  if (problem) notes.push(`the AOF has a problem (${problem}); the part before it was checked`);
  if (argvs.length > 0) {
    const d = await replayCommands(argvs, budget, match);
    facts.memory.usedMemoryBytes += d.usedMemoryBytes;
    facts.memory.datasetBytes += d.datasetBytes;
    const k = facts.keys;
    k.count += d.keys;
    k.noTtl += d.noTtl;
    const max = (a: BigKey | null, b: BigKey | null) => (a === null ? b : b === null || a.value >= b.value ? a : b);
    k.biggestBytes = max(k.biggestBytes, d.sample.biggestBytes);
    k.biggestElements = max(k.biggestElements, d.sample.biggestElements);
    k.prefixes = k.prefixes.map((p, i) => ({ keys: p.keys + (d.sample.prefixes[i]?.keys ?? 0), bytes: p.bytes + (d.sample.prefixes[i]?.bytes ?? 0) }));
    k.scope = 'the RDB part and the replayed commands';
    notes.push(`${d.commands} logged command(s) replayed into the bundled engine; keys they rewrite in the RDB part are counted twice`);
  }
  if (notes.length) facts.notes.input = notes.join('; ');
  return facts;
}

export interface LiveOptions {
  name: string;
  bundled?: boolean;
  /** Sample the keyspace (SCAN + MEMORY USAGE) when the budget has key or prefix limits. */
  sampleKeys: boolean;
  scanCount?: number;
}

const infoNumber = (s: Snapshot, f: string): number | null => {
  const v = num(s.info, f);
  return Number.isFinite(v) ? v : null;
};

/** One Snapshot and, when asked, one SCAN pass over the URL's database. */
export async function liveFacts(link: RedisLink, budget: Budget, match: GlobMatcher, opts: LiveOptions): Promise<InputFacts> {
  // Memory is read first, by a lone INFO: every command a server runs for the first time gets a
  // latency histogram that Redis 7 counts in used_memory_dataset, so reading it after the
  // Snapshot's probes and the SCAN pass would measure the check's own footprint too.
  const before = parseInfo(String(await link.call('INFO', 'memory')));
  const collector = new Collector(link, { name: opts.name, bundled: opts.bundled ?? false, slowlogCount: 1 });
  const snap = await collector.collect();
  const field = (f: string): number | null => {
    const v = num(before, f);
    return Number.isFinite(v) ? v : infoNumber(snap, f);
  };
  const used = field('used_memory');
  if (used === null) throw new Error(`${opts.name}: INFO memory did not answer (${snap.problems.join('; ') || 'no used_memory field'})`);
  const startup = field('used_memory_startup') ?? 0;
  const dataset = field('used_memory_dataset') ?? Math.max(0, used - startup);
  const maxmemory = field('maxmemory') ?? (snap.config['maxmemory'] !== undefined ? Number(snap.config['maxmemory']) : 0);

  let count = 0;
  let noTtl = 0;
  for (const db of Object.values(snap.info.keyspace)) {
    count += db.keys;
    noTtl += db.keys - db.expires;
  }

  const tally = new PrefixTally(budget, match);
  let bytesUnavailable: string | null = null;
  let scope = `not sampled`;
  let biggestBytes: BigKey | null = null;
  let biggestElements: BigKey | null = null;
  if (opts.sampleKeys) {
    if (!collector.capabilities.memoryStats) bytesUnavailable = `MEMORY USAGE is not available: ${collector.capabilities.notes['memoryStats'] ?? 'unknown reason'}`;
    const report = new KeysReport({ top: 1 });
    // Every database INFO keyspace lists, one SCAN each, then back to the URL's database.
    const home = link.spec.db ?? 0;
    const dbs = Object.keys(snap.info.keyspace).map(Number).sort((a, b) => a - b);
    let scanned = 0;
    let moved = false;
    try {
      for (const db of dbs) {
        if (db !== home || moved) {
          await link.call('SELECT', String(db));
          moved = true;
        }
        scanned += await sampleKeys(
          link,
          (s) => {
            report.add(s);
            tally.add(s.key, s.memoryBytes ?? 0);
          },
          { count: opts.scanCount ?? 1000, capabilities: collector.capabilities },
        );
      }
    } finally {
      if (moved) await link.call('SELECT', String(home));
    }
    const k = report.finish();
    const top = k.top[0];
    if (top && top.memoryBytes !== null) biggestBytes = { key: top.key, type: top.type, value: top.memoryBytes };
    for (const [type, ref] of Object.entries(k.biggest)) {
      if (type === 'string' || ref.length === null) continue;
      if (!biggestElements || ref.length > biggestElements.value) biggestElements = { key: ref.key, type, value: ref.length };
    }
    scope = `SCAN of ${dbs.length === 1 ? 'db' : 'dbs'} ${dbs.join(', ') || home} (${scanned} keys)`;
  }

  const notes: InputFacts['notes'] = {};
  if (!snap.capabilities.config) notes.config = `CONFIG is not available: ${snap.capabilities.notes['config'] ?? 'unknown reason'}`;
  const latency = snap.info.latencystats;
  const hasLatency = Object.keys(snap.info.sections).includes('latencystats');
  if (!hasLatency) notes.latency = 'INFO has no latencystats section (Redis 7.0+ with latency-tracking yes)';
  const calls: Record<string, number> = {};
  for (const [cmd, st] of Object.entries(snap.info.commandstats)) calls[cmd] = st.calls;
  // The ratio is judged only where analyze/ would judge it: a real server holding enough memory
  // for RSS/used to mean something (MEMORY DOCTOR's floor), not the bundled engine.
  let frag = infoNumber(snap, 'mem_fragmentation_ratio');
  const fr = fragmentationReport(snap).fragmentation;
  if (frag === null) notes.fragmentation = 'INFO has no mem_fragmentation_ratio';
  else if (snap.target.bundled) {
    frag = null;
    notes.fragmentation = 'the bundled engine has no allocator of its own';
  } else if (fr.verdict === 'too-small-to-judge') {
    notes.fragmentation = `mem_fragmentation_ratio ${frag.toFixed(2)} is not meaningful on so small a dataset${fr.evidence[0] ? ` (${fr.evidence[0].replace(/\.$/, '')})` : ''}`;
    frag = null;
  }

  return {
    name: opts.name,
    kind: 'live',
    memory: { startupBytes: startup, usedMemoryBytes: used, datasetBytes: dataset, maxmemoryBytes: maxmemory },
    keys: { count, noTtl, biggestBytes, biggestElements, scope, prefixes: tally.rows, bytesUnavailable },
    fragmentationRatio: frag,
    latency: hasLatency ? latency : null,
    calls,
    config: snap.capabilities.config ? snap.config : null,
    notes,
  };
}

/** True when the budget has limits that need a per-key pass over a live target. */
export function needsKeySample(budget: Budget): boolean {
  const k = budget.keys;
  return budget.prefixes.length > 0 || (k !== undefined && (k.maxKeyBytes !== undefined || k.maxElements !== undefined));
}
