// Snapshot → metric families → Prometheus text. Like redis_exporter, every value is a const
// metric computed at scrape time from one Snapshot (no state between scrapes), so requests for
// different targets never share mutable metric objects. The families are plain data (name, type,
// help, samples) written straight to exposition text by exposition.ts; `toRegistry` hands the
// same families to a prom-client Registry, which prints the same bytes (a test holds the two side
// by side) and which the exporter's own metrics (build info, refused requests, process_*) use.
// Names, types and labels come from metric-table.ts; redscope's own families (findings,
// fragmentation verdict, slowlog groups, key groups) stay under `redscope_` whatever the
// namespace. The analyzers' findings arrive precomputed from the pool (analysis.ts: on their own
// cadence, off the scrape path); without them (tests, one-off use) they are computed here.

import { Registry } from 'prom-client';
import type { SlowlogEntry, Snapshot } from '../collect/snapshot.js';
import { slowlogReport, type SlowlogGroup } from '../analyze/index.js';
import { FAMILIES, INFO_METRICS, REDSCOPE_FAMILIES, SYSTEM_METRICS, infoValue, type FamilyDef, type InfoMetric, type MetricType } from './metric-table.js';
import type { KeyWorkResult } from './key-work.js';
import { analyzeTarget, VERDICTS, type TargetAnalysis } from './analysis.js';

export type Labels = Record<string, string>;

/** The empty label set, shared. */
const NO_LABELS: Readonly<Labels> = Object.freeze({});

export interface Sample {
  /** Appended to the family name (`_sum`, `_count`, `_bucket`). */
  suffix?: string;
  labels: Readonly<Labels>;
  value: number;
}

export interface Family {
  name: string;
  type: MetricType;
  help: string;
  samples: Sample[];
}

export interface MetricOptions {
  /** Prefix of the redis_exporter-compatible names (default "redis"). */
  namespace: string;
  /** Add `instance_role` to every metric read from the target (--role-label). */
  roleLabel: boolean;
  /** config_key_value / config_value for every CONFIG parameter. */
  includeConfigMetrics: boolean;
  /** total_system_memory_bytes. */
  includeSystemMetrics: boolean;
  /** Emit redscope_* families. */
  extras: boolean;
  /** Slow log groups exported per target (bounded cardinality). */
  slowlogGroups: number;
}

export const DEFAULT_METRIC_OPTIONS: MetricOptions = {
  namespace: 'redis',
  roleLabel: false,
  includeConfigMetrics: false,
  includeSystemMetrics: false,
  extras: true,
  slowlogGroups: 10,
};

/** Counters the exporter keeps per target between scrapes (redis_exporter's self metrics). */
export interface SelfStats {
  scrapes: number;
  durationSum: number;
  durationCount: number;
}

/** One scrape of one target, as metrics.ts needs it. */
export interface TargetScrape {
  /** null when the target could not be read (down, refused, timed out). */
  snapshot: Snapshot | null;
  /** An earlier Snapshot, for rates in findings computed here (when `analysis` is absent). */
  previous?: Snapshot | null;
  /** '' on success, else one line. */
  error: string;
  durationSeconds: number;
  connectSeconds: number;
  self: SelfStats;
  /** Cached background key work (groups, checks, counts); null while none has finished. */
  keys?: KeyWorkResult | null;
  /** Findings and fragmentation verdict from the pool's cache; computed from `snapshot` when absent. */
  analysis?: TargetAnalysis | null;
}

/** How a sample is added: its name suffix, whether it is redscope's own, whether it is a self metric. */
interface SampleHow {
  suffix?: string;
  redscope?: boolean;
  self?: boolean;
}
const PLAIN: SampleHow = {};

/**
 * Full family names per prefix and definition, made once: the same string object scrape after
 * scrape, so the name is neither rebuilt nor rehashed for the family map and the writer's cache.
 */
const NAMES = new Map<string, Map<FamilyDef, string>>();
function familyName(prefix: string, def: FamilyDef): string {
  let byDef = NAMES.get(prefix);
  if (!byDef) NAMES.set(prefix, (byDef = new Map()));
  let name = byDef.get(def);
  if (name === undefined) byDef.set(def, (name = `${prefix}_${def.name}`));
  return name;
}

/** Families being filled: name → family, in first-seen order. */
export class FamilySet {
  readonly families = new Map<string, Family>();
  /** Labels added to every sample of families read from the target (instance_role). */
  extraLabels: Readonly<Labels> = NO_LABELS;

  constructor(readonly opts: MetricOptions) {}

  /** Families by definition object (the tables' defs are constants): no name built per sample. */
  private readonly byDef = [new Map<FamilyDef, Family>(), new Map<FamilyDef, Family>()] as const;

  private family(def: FamilyDef, redscope: boolean): Family {
    const byDef = this.byDef[redscope ? 1 : 0];
    let f = byDef.get(def);
    if (f) return f;
    const name = familyName(redscope ? 'redscope' : this.opts.namespace, def);
    f = this.families.get(name);
    if (!f) this.families.set(name, (f = { name, type: def.type, help: def.help, samples: [] }));
    byDef.set(def, f);
    return f;
  }

  /** One sample; non-finite values are dropped (as redis_exporter drops unparsable INFO values). */
  add(def: FamilyDef, value: number | null, labels: Readonly<Labels> = NO_LABELS, how: SampleHow = PLAIN): void {
    if (value === null || !Number.isFinite(value)) return;
    const f = this.family(def, how.redscope ?? false);
    const all = how.self || this.extraLabels === NO_LABELS ? labels : { ...labels, ...this.extraLabels };
    f.samples.push({ suffix: how.suffix, labels: all, value });
  }

  /** Declares a family even when it has no sample yet (HELP/TYPE appear, as for the reference). */
  declare(def: FamilyDef, redscope = false): void {
    this.family(def, redscope);
  }
}

/** Definitions of families named after INFO fields, made once per name and type. */
const INFO_DEFS = new Map<string, FamilyDef>();
function infoDef(name: string, type: 'gauge' | 'counter'): FamilyDef {
  const key = `${type} ${name}`;
  let d = INFO_DEFS.get(key);
  if (!d) INFO_DEFS.set(key, (d = { name, type, help: `${name} metric`, labels: [] }));
  return d;
}

/** The same for the table's rows, found by the row itself (no key built per field and scrape). */
const TABLE_DEFS = new Map<InfoMetric, FamilyDef>();
function tableDef(m: InfoMetric): FamilyDef {
  let d = TABLE_DEFS.get(m);
  if (!d) TABLE_DEFS.set(m, (d = infoDef(m.name, m.type)));
  return d;
}

/** INFO sections whose lines are parsed into records (and exported by their own families). */
const STRUCTURED_SECTIONS = new Set(['commandstats', 'errorstats', 'latencystats', 'keyspace']);
const IO_THREAD = /^used_active_time_io_thread_(\d+)$/;

function addInfoFields(set: FamilySet, s: Snapshot): void {
  for (const [section, fields] of Object.entries(s.info.sections)) {
    if (STRUCTURED_SECTIONS.has(section)) continue;
    for (const [field, raw] of Object.entries(fields)) {
      const m = INFO_METRICS.get(field) ?? (set.opts.includeSystemMetrics ? SYSTEM_METRICS.get(field) : undefined);
      if (m) {
        set.add(tableDef(m), infoValue(raw, m.transform));
        continue;
      }
      if (field.startsWith('cluster_')) {
        set.add(infoDef(field, 'gauge'), infoValue(raw));
        continue;
      }
      const io = IO_THREAD.exec(field);
      if (io) set.add(FAMILIES.ioThreadActiveTime, infoValue(raw), { thread: io[1]! });
    }
  }
  for (const f of ['hz', 'configured_hz'] as const) {
    const v = s.info.fields[f];
    if (v !== undefined) set.add(f === 'hz' ? FAMILIES.hz : FAMILIES.configuredHz, infoValue(v));
  }
}

function addInstanceInfo(set: FamilySet, s: Snapshot): void {
  const f = s.info.fields;
  const labels: Labels = {};
  for (const l of FAMILIES.instanceInfo.labels) labels[l] = f[l] ?? '';
  if (f['valkey_version'] !== undefined) labels['valkey_version'] = f['valkey_version'];
  if (f['valkey_release_stage'] !== undefined) labels['valkey_release_stage'] = f['valkey_release_stage'];
  set.add(FAMILIES.instanceInfo, 1, labels);
  const uptime = infoValue(f['uptime_in_seconds'] ?? '');
  if (uptime !== null) set.add(FAMILIES.startTime, Math.floor(s.takenAt / 1000) - uptime);
}

/** "db0:keys=1,expires=0,avg_ttl=0,cached_keys=0" fields the parser does not keep (KeyDB, 7.4). */
const KEYSPACE_FIELD = new Map<string, RegExp>();
function keyspaceExtra(s: Snapshot, db: number, field: string): number | null {
  const line = s.info.sections['keyspace']?.[`db${db}`];
  if (!line) return null;
  let re = KEYSPACE_FIELD.get(field);
  if (!re) KEYSPACE_FIELD.set(field, (re = new RegExp(`(?:^|,)${field}=([^,]*)`)));
  const m = re.exec(line);
  return m ? infoValue(m[1]!) : null;
}

function addKeyspace(set: FamilySet, s: Snapshot): void {
  const cluster = s.identity.mode === 'cluster';
  const configured = Number(s.config['databases']);
  const present = Object.keys(s.info.keyspace).map(Number);
  const count = cluster ? 1 : Number.isInteger(configured) && configured > 0 ? configured : Math.max(16, ...present.map((d) => d + 1));
  const dbs = new Set<number>([...Array.from({ length: count }, (_, i) => i), ...present]);
  for (const db of [...dbs].sort((a, b) => a - b)) {
    const k = s.info.keyspace[db];
    const label = { db: `db${db}` };
    set.add(FAMILIES.dbKeys, k?.keys ?? 0, label);
    set.add(FAMILIES.dbKeysExpiring, k?.expires ?? 0, label);
    if (!k) continue;
    set.add(FAMILIES.dbAvgTtl, k.avgTtl / 1000, label);
    set.add(FAMILIES.dbKeysCached, keyspaceExtra(s, db, 'cached_keys'), label);
    set.add(FAMILIES.dbKeysWithExpiringItems, k.subexpiry ?? keyspaceExtra(s, db, 'keys_with_volatile_items'), label);
  }
}

const SUM: SampleHow = { suffix: '_sum' };
const COUNT: SampleHow = { suffix: '_count' };
const BUCKET: SampleHow = { suffix: '_bucket' };

/** usec per command name including its subcommands' ("config" = config + config|get + ...). */
function usecWithSubcommands(stats: Snapshot['info']['commandstats']): Map<string, number> {
  const out = new Map<string, number>();
  for (const name in stats) {
    const usec = stats[name]!.usec;
    out.set(name, (out.get(name) ?? 0) + usec);
    for (let i = name.indexOf('|'); i > 0; i = name.indexOf('|', i + 1)) {
      const parent = name.slice(0, i);
      out.set(parent, (out.get(parent) ?? 0) + usec);
    }
  }
  return out;
}

function addCommands(set: FamilySet, s: Snapshot): void {
  const stats = s.info.commandstats;
  for (const [cmd, c] of Object.entries(stats)) {
    const l = { cmd };
    set.add(FAMILIES.commandsTotal, c.calls, l);
    set.add(FAMILIES.commandsDuration, c.usec / 1e6, l);
    if (s.info.sections['commandstats']?.[`cmdstat_${cmd}`]?.includes('rejected_calls=')) {
      set.add(FAMILIES.commandsRejected, c.rejectedCalls, l);
      set.add(FAMILIES.commandsFailed, c.failedCalls, l);
    }
  }
  for (const [err, n] of Object.entries(s.info.errorstats)) set.add(FAMILIES.errorsTotal, n, { err });
  for (const [cmd, pct] of Object.entries(s.info.latencystats)) {
    const c = stats[cmd];
    for (const [p, us] of Object.entries(pct)) set.add(FAMILIES.latencyPercentiles, us, { cmd, quantile: p.replace(/^p/, '') });
    set.add(FAMILIES.latencyPercentiles, c?.usec ?? 0, { cmd }, SUM);
    set.add(FAMILIES.latencyPercentiles, c?.calls ?? 0, { cmd }, COUNT);
  }
  const hist = s.latency?.histogram;
  if (hist) {
    // The sum is the command's own time plus its subcommands' (cmd|sub) time.
    const usec = usecWithSubcommands(stats);
    for (const [cmd, h] of Object.entries(hist)) {
      for (const [bound, cumulative] of h.buckets) set.add(FAMILIES.commandsLatencies, cumulative, { cmd, le: String(bound) }, BUCKET);
      set.add(FAMILIES.commandsLatencies, h.calls, { cmd, le: '+Inf' }, BUCKET);
      set.add(FAMILIES.commandsLatencies, usec.get(cmd) ?? 0, { cmd }, SUM);
      set.add(FAMILIES.commandsLatencies, h.calls, { cmd }, COUNT);
    }
  }
}

function addReplication(set: FamilySet, s: Snapshot): void {
  const f = s.info.fields;
  if (s.identity.role === 'replica' && f['master_host'] !== undefined) {
    const l = { master_host: f['master_host'] ?? '', master_port: f['master_port'] ?? '' };
    set.add(FAMILIES.masterLinkUp, f['master_link_status'] === 'up' ? 1 : 0, l);
    set.add(FAMILIES.masterLastIo, infoValue(f['master_last_io_seconds_ago'] ?? ''), l);
    set.add(FAMILIES.masterSyncInProgress, infoValue(f['master_sync_in_progress'] ?? ''), l);
    set.add(FAMILIES.slaveReplOffset, infoValue(f['slave_repl_offset'] ?? ''), l);
    set.add(FAMILIES.slaveInfo, 1, { ...l, read_only: f['slave_read_only'] ?? '' });
  }
  for (const r of s.info.replicas) {
    const l = { slave_ip: r.ip, slave_port: String(r.port), slave_state: r.state };
    set.add(FAMILIES.connectedSlaveOffset, r.offset, l);
    set.add(FAMILIES.connectedSlaveLag, r.lag, l);
  }
}

/** client-output-buffer-limit "normal 0 0 0 slave 268435456 67108864 60 pubsub ..." → per class. */
function addConfig(set: FamilySet, s: Snapshot): void {
  const c = s.config;
  if (Object.keys(c).length === 0) return;
  const plain: Array<[FamilyDef, string]> = [
    [FAMILIES.configMaxmemory, 'maxmemory'],
    [FAMILIES.configMaxclients, 'maxclients'],
    [FAMILIES.configIoThreads, 'io-threads'],
    [FAMILIES.configReplBacklogSize, 'repl-backlog-size'],
  ];
  for (const [def, key] of plain) if (c[key] !== undefined) set.add(def, infoValue(c[key]!));
  const words = (c['client-output-buffer-limit'] ?? '').split(/\s+/).filter(Boolean);
  for (let i = 0; i + 3 < words.length; i += 4) {
    const cls = words[i]!;
    set.add(FAMILIES.configOutputBufferBytes, infoValue(words[i + 1]!), { class: cls, limit: 'hard' });
    set.add(FAMILIES.configOutputBufferBytes, infoValue(words[i + 2]!), { class: cls, limit: 'soft' });
    set.add(FAMILIES.configOutputBufferSeconds, infoValue(words[i + 3]!), { class: cls, limit: 'soft' });
  }
  if (set.opts.includeConfigMetrics) {
    for (const [key, value] of Object.entries(c)) {
      set.add(FAMILIES.configKeyValue, 1, { key, value });
      const v = value.trim() === '' ? null : Number(value);
      if (v !== null && Number.isFinite(v)) set.add(FAMILIES.configValue, v, { key });
    }
  }
}

function addSlowlogAndLatency(set: FamilySet, s: Snapshot): void {
  if (s.slowlog) {
    const newest = s.slowlog.entries.reduce<(typeof s.slowlog.entries)[number] | null>((a, e) => (a === null || e.id > a.id ? e : a), null);
    set.add(FAMILIES.slowlogLength, s.slowlog.length);
    set.add(FAMILIES.slowlogLastId, newest?.id ?? 0);
    set.add(FAMILIES.lastSlowExecution, (newest?.durationUs ?? 0) / 1e6);
  }
  for (const e of s.latency?.latest ?? []) {
    set.add(FAMILIES.latencySpikeLast, e.latestTime, { event_name: e.event });
    set.add(FAMILIES.latencySpikeDuration, e.latestMs / 1e3, { event_name: e.event });
  }
  for (const [field, raw] of Object.entries(s.clusterInfo ?? {})) {
    const m = INFO_METRICS.get(field);
    set.add(infoDef(m?.name ?? field, m?.type ?? 'gauge'), infoValue(raw));
  }
}

function addKeyWork(set: FamilySet, k: KeyWorkResult | null | undefined): void {
  set.add(FAMILIES.lastKeyGroupsDuration, k?.groups ? k.durationMs : 0);
  if (!k) return;
  for (const c of k.checked) {
    const l = { db: `db${c.db}`, key: c.key };
    set.add(FAMILIES.keySize, c.size, l);
    set.add(FAMILIES.keyValue, c.value, l);
    set.add(FAMILIES.keyMemory, c.memoryBytes, l);
  }
  for (const c of k.counts) set.add(FAMILIES.keysCount, c.count, { db: `db${c.db}`, key: c.pattern });
  if (!set.opts.extras) return;
  const r = { redscope: true };
  for (const g of k.groups ?? []) {
    const l = { db: `db${g.db}`, prefix: g.prefix };
    set.add(REDSCOPE_FAMILIES.keyGroupKeys, g.keys, l, r);
    set.add(REDSCOPE_FAMILIES.keyGroupMemory, g.memoryBytes, l, r);
    set.add(REDSCOPE_FAMILIES.keyGroupNoTtl, g.noTtlKeys, l, r);
  }
  set.add(REDSCOPE_FAMILIES.keyScanAge, (Date.now() - k.finishedAt) / 1000, {}, r);
  set.add(REDSCOPE_FAMILIES.keyScanKeys, k.scanned, {}, r);
  set.add(REDSCOPE_FAMILIES.keyScanDuration, k.durationMs / 1000, {}, r);
  set.add(REDSCOPE_FAMILIES.keyScanError, k.error ? 1 : 0, { err: k.error }, r);
}

/** Analyzers are pure but young: a rule that throws must not cost the scrape. */
function safely<T>(f: () => T, fallback: T): T {
  try {
    return f();
  } catch {
    return fallback;
  }
}

/**
 * Slow log groups by the log's identity: a server's entry ids only grow (SLOWLOG RESET keeps
 * counting) and logged entries never change, so run_id + count + first and last id name one
 * content. Most scrapes see the same log as the one before and skip normalising it again.
 */
const slowlogGroupCache = new Map<string, SlowlogGroup[]>();
function slowlogGroups(runId: string, entries: readonly SlowlogEntry[]): SlowlogGroup[] {
  const key = runId ? `${runId} ${entries.length} ${entries[0]?.id} ${entries[entries.length - 1]?.id}` : '';
  const hit = key ? slowlogGroupCache.get(key) : undefined;
  if (hit) return hit;
  const groups = safely(() => slowlogReport(entries).groups, []);
  if (key) {
    if (slowlogGroupCache.size >= 256) slowlogGroupCache.clear();
    slowlogGroupCache.set(key, groups);
  }
  return groups;
}

function addExtras(set: FamilySet, s: Snapshot, t: TargetScrape): void {
  const r = { redscope: true };
  set.declare(REDSCOPE_FAMILIES.finding, true);
  const { findings, verdict } = t.analysis ?? analyzeTarget(s, t.previous);
  for (const f of findings) set.add(REDSCOPE_FAMILIES.finding, 1, { id: f.id, severity: f.severity }, r);
  if (verdict) for (const v of VERDICTS) set.add(REDSCOPE_FAMILIES.fragmentationVerdict, v === verdict ? 1 : 0, { verdict: v }, r);
  if (s.slowlog && s.slowlog.entries.length > 0) {
    const groups = slowlogGroups(s.identity.runId, s.slowlog.entries);
    const top = groups.slice(0, set.opts.slowlogGroups);
    for (const g of top) {
      // Logged arguments may be long (32 args of 128 bytes): keep label values readable and bounded.
      const l = { command: g.command, pattern: g.pattern.length > 200 ? `${g.pattern.slice(0, 199)}…` : g.pattern };
      set.add(REDSCOPE_FAMILIES.slowlogGroupEntries, g.count, l, r);
      set.add(REDSCOPE_FAMILIES.slowlogGroupSeconds, g.totalUs / 1e6, l, r);
      set.add(REDSCOPE_FAMILIES.slowlogGroupMaxSeconds, g.maxUs / 1e6, l, r);
    }
    set.add(REDSCOPE_FAMILIES.slowlogOtherEntries, groups.slice(top.length).reduce((a, g) => a + g.count, 0), {}, r);
  }
  const caps = s.capabilities;
  for (const [name, on] of Object.entries(caps)) if (typeof on === 'boolean') set.add(REDSCOPE_FAMILIES.capability, on ? 1 : 0, { capability: name }, r);
}

/** Every family one scrape of one target yields: self metrics always, the rest when it was read. */
export function targetFamilies(t: TargetScrape, opts: MetricOptions = DEFAULT_METRIC_OPTIONS): FamilySet {
  const set = new FamilySet(opts);
  const s = t.snapshot;
  const self = { self: true };
  set.add(FAMILIES.up, s ? 1 : 0, {}, self);
  set.add(FAMILIES.lastScrapeDuration, t.durationSeconds, {}, self);
  set.add(FAMILIES.lastConnectTime, t.connectSeconds, {}, self);
  set.add(FAMILIES.scrapesTotal, t.self.scrapes, {}, self);
  set.add(FAMILIES.scrapeDuration, t.self.durationSum, {}, { suffix: '_sum', self: true });
  set.add(FAMILIES.scrapeDuration, t.self.durationCount, {}, { suffix: '_count', self: true });
  set.add(FAMILIES.lastScrapeError, t.error ? 1 : 0, { err: t.error }, self);
  if (!s) return set;
  if (opts.roleLabel && s.identity.role !== 'unknown') set.extraLabels = { instance_role: s.info.fields['role'] ?? s.identity.role };
  addInstanceInfo(set, s);
  addInfoFields(set, s);
  addKeyspace(set, s);
  addCommands(set, s);
  addReplication(set, s);
  addConfig(set, s);
  addSlowlogAndLatency(set, s);
  addKeyWork(set, t.keys);
  if (opts.extras) addExtras(set, s, t);
  return set;
}

/**
 * Several targets on one /metrics: the same families, told apart by a `target` label. With one
 * target the set is returned as it is, so a single-target exporter reads exactly like the reference.
 */
export function mergeTargets(sets: Array<{ name: string; set: FamilySet }>, opts: MetricOptions): FamilySet {
  if (sets.length === 1) return sets[0]!.set;
  const out = new FamilySet(opts);
  for (const { name, set } of sets) {
    for (const f of set.families.values()) {
      let g = out.families.get(f.name);
      if (!g) out.families.set(f.name, (g = { ...f, samples: [] }));
      for (const smp of f.samples) g.samples.push({ ...smp, labels: { target: name, ...smp.labels } });
    }
  }
  return out;
}

/** A family as prom-client's Registry serialises it: name, help, type and ready values. */
class ConstMetric {
  readonly aggregator = 'sum';
  constructor(private readonly f: Family) {}
  get name(): string {
    return this.f.name;
  }
  get help(): string {
    return this.f.help;
  }
  get type(): MetricType {
    return this.f.type;
  }
  get() {
    return {
      name: this.f.name,
      help: this.f.help,
      type: this.f.type,
      aggregator: this.aggregator,
      values: this.f.samples.map((s) => ({ value: s.value, labels: s.labels, metricName: s.suffix ? this.f.name + s.suffix : undefined })),
    };
  }
  reset(): void {}
}

/**
 * Families → a fresh prom-client Registry (optionally merged with others). The exporter writes
 * per-scrape families with exposition.ts instead; this is the yardstick its output is held to.
 */
export function toRegistry(set: FamilySet, extra: Registry[] = []): Registry {
  const reg = new Registry();
  for (const f of set.families.values()) reg.registerMetric(new ConstMetric(f) as unknown as Parameters<Registry['registerMetric']>[0]);
  for (const r of extra) for (const m of r.getMetricsAsArray()) reg.registerMetric(m as unknown as Parameters<Registry['registerMetric']>[0]);
  return reg;
}
