// The INFO generator (Redis's genRedisInfoString). Redis 7.0's sections and field names, in its
// order, are a table: each section lists its fields with a producer that reads the engine, so a
// reader can diff the table against `redis-cli INFO everything` line by line, and a later subsystem
// (persistence, the memory model, replication) replaces one producer instead of editing a giant
// function. Fields with no meaning in this engine (forks, copy-on-write, defrag, I/O threads,
// replicas) report the values an idle Redis reports. INFO_FIELD_SOURCES is the one table that
// says, per field, whether its value is counted, sampled, live state, from the process, from the
// configuration, from the memory model, or an (idle) constant.
//
// Besides reading engine.stats, this file keeps the few things INFO needs that nothing else keeps
// yet, per engine: run id and replication ids, peak memory, the instantaneous ops/s and kbps
// samplers and the 8-second client buffer peaks (fed by the engine's cron, like serverCron's
// 100 ms samples and clientsCron), the avg_ttl estimate per db (as activeExpireCycle estimates
// it), and per-command latency histograms for `latencystats` (fed by the engine's call
// observers, HDR-style buckets with 2 significant digits, as Redis).

import { replicationIfAny } from '../replication.js';
import { migrateCachedSockets } from '../commands/migrate.js';
import { persistenceInfo } from '../persist/state.js';
import { createHash, randomBytes } from 'node:crypto';
import os from 'node:os';
import { resolve } from 'node:path';
import type { Client } from '../client.js';
import type { CommandSpec } from '../command.js';
import type { Engine } from '../engine.js';
import { REDIS_VERSION } from '../commands/connection.js';
import { MEMORY_INFO_FIELDS, memoryInfo, usedMemory as accountedUsedMemory } from '../memory-accounting.js';
import { evictionStats } from '../evict.js';

// --- per-engine state ---------------------------------------------------------------------------

/**
 * Redis's latency histogram: HDR buckets over nanoseconds, 1 ns .. 1 s, 2 significant digits.
 * A value's bucket is its doubling b = floor(log2(ns | 255)) - 7 and its top 8 bits ns >> b; the
 * counts sit in one 256-slot array per doubling, allocated when first reached, so recording
 * (every command) is a few integer operations, and walking the arrays in order is ascending value.
 */
export class LatencyHistogram {
  private readonly levels: Array<Float64Array | undefined> = new Array<Float64Array | undefined>(DOUBLINGS).fill(undefined);
  total = 0;

  /** Records one duration in microseconds (Redis records integer µs × 1000 ns). */
  record(usec: number): void {
    let ns = Math.floor(usec) * 1000;
    if (ns < 1) ns = 1;
    if (ns > 1e9) ns = 1e9;
    const b = bucketIndex(ns);
    let level = this.levels[b];
    if (level === undefined) level = this.levels[b] = new Float64Array(256);
    level[ns >>> b]!++;
    this.total++;
  }

  /** lowest equivalent value (ns) -> count, for the buckets that hold something, ascending. */
  get counts(): Map<number, number> {
    const out = new Map<number, number>();
    this.each((low, n) => {
      out.set(low, n);
    });
    return out;
  }

  /** hdr_value_at_percentile: the highest value equivalent to the bucket holding the percentile (ns). */
  valueAtPercentile(p: number): number {
    const req = p < 100 ? p : 100;
    const want = Math.max(1, Math.floor((req / 100) * this.total + 0.5));
    let seen = 0;
    let found = -1;
    this.each((low, n) => {
      seen += n;
      if (seen < want) return true;
      found = low;
      return false;
    });
    if (found < 0) return 0;
    return p === 0 ? found : found + bucketSize(found) - 1;
  }

  /** Calls `visit(lowest equivalent ns, count)` for non-empty buckets in ascending order until it returns false. */
  private each(visit: (low: number, n: number) => boolean | void): void {
    for (let b = 0; b < DOUBLINGS; b++) {
      const level = this.levels[b];
      if (level === undefined) continue;
      for (let i = 0; i < 256; i++) if (level[i]! > 0 && visit(i * 2 ** b, level[i]!) === false) return;
    }
  }
}

/** Doublings the 1 ns .. 1 s range spans: b = 0..22 (1e9 < 2^30). */
const DOUBLINGS = 23;

/** floor(log2(ns | 255)) - 7, for integer ns in [1, 1e9]. */
function bucketIndex(ns: number): number {
  return 24 - Math.clz32(ns | 255);
}
function bucketSize(ns: number): number {
  return 2 ** bucketIndex(ns);
}

/** Redis's instantaneous metrics: 16 samples taken every 100 ms, averaged. */
class InstantMetric {
  private readonly samples = new Array<number>(16).fill(0);
  private idx = 0;
  private lastTime = Date.now();
  private lastValue = 0;

  sample(value: number, now: number): void {
    const dt = now - this.lastTime;
    const rate = dt > 0 ? ((value - this.lastValue) * 1000) / dt : 0;
    this.samples[this.idx] = Math.max(0, rate);
    this.idx = (this.idx + 1) % this.samples.length;
    this.lastTime = now;
    this.lastValue = value;
  }

  get value(): number {
    return this.samples.reduce((a, b) => a + b, 0) / this.samples.length;
  }

  reset(value: number): void {
    this.samples.fill(0);
    this.idx = 0;
    this.lastTime = Date.now();
    this.lastValue = value;
  }
}

interface InfoState {
  runId: string;
  replId: string;
  replId2: string;
  startupMemory: number;
  peakMemory: number;
  lastSample: number;
  ops: InstantMetric;
  netIn: InstantMetric;
  netOut: InstantMetric;
  latency: Map<string, LatencyHistogram>;
  /** clientsCronTrackExpansiveClients: per-second peaks of client buffers, last 8 seconds. */
  inputPeaks: number[];
  outputPeaks: number[];
  peakSlot: number;
  /** avg_ttl estimates per db id, and where each db's sampling walk stands. */
  avgTtl: Map<number, number>;
  ttlWalk: Map<number, Iterator<number>>;
}

/** Keys with a TTL looked at per database and cron tick (ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP). */
const TTL_SAMPLES = 20;

/**
 * activeExpireCycle's avg_ttl: the mean remaining TTL of a sample of keys, folded into a running
 * average that moves 1/50 of the way each time. The walk goes round each db's expires map.
 */
function sampleAvgTtl(engine: Engine, st: InfoState, now: number): void {
  for (const db of engine.dbs) {
    if (db.expires.size === 0) {
      st.avgTtl.delete(db.id);
      st.ttlWalk.delete(db.id);
      continue;
    }
    let walk = st.ttlWalk.get(db.id);
    let sum = 0;
    let n = 0;
    for (let i = 0; i < Math.min(TTL_SAMPLES, db.expires.size); i++) {
      let next = walk?.next();
      if (!walk || next!.done) {
        walk = db.expires.values();
        next = walk.next();
        if (next.done) break;
      }
      const ttl = next!.value - now;
      if (ttl > 0) {
        sum += ttl;
        n++;
      }
    }
    st.ttlWalk.set(db.id, walk!);
    if (n === 0) continue;
    const avg = Math.floor(sum / n);
    const prev = st.avgTtl.get(db.id) ?? 0;
    st.avgTtl.set(db.id, prev === 0 ? avg : Math.floor(prev / 50) * 49 + Math.floor(avg / 50));
  }
}

/** Seconds of history behind client_recent_max_input_buffer / _output_buffer (Redis: 8). */
const PEAK_SLOTS = 8;
/**
 * Query buffer allocations as Redis reports them: a client that read within the last 2 s holds
 * a PROTO_IOBUF_LEN buffer (20480 bytes with sds header and jemalloc rounding); one idle longer
 * has had it shrunk to an empty sds, jemalloc's smallest class (clientsCronResizeQueryBuffer).
 */
const ACTIVE_QUERY_BUFFER = 20480;
const IDLE_QUERY_BUFFER = 8;
const QUERY_BUFFER_IDLE_MS = 2000;
/** The static reply buffer: Redis counts only output beyond it (the reply list) as output memory. */
const STATIC_REPLY_BUFFER = 16384;

/** Records this second's largest client input/output buffers into the 8-second ring. */
function trackExpansiveClients(engine: Engine, st: InfoState, now: number): void {
  const slot = Math.floor(now / 1000) % PEAK_SLOTS;
  if (slot !== st.peakSlot) {
    // Slots skipped since the last sample belong to seconds with no data: zero them.
    for (let i = (st.peakSlot + 1) % PEAK_SLOTS; ; i = (i + 1) % PEAK_SLOTS) {
      st.inputPeaks[i] = 0;
      st.outputPeaks[i] = 0;
      if (i === slot) break;
    }
    st.peakSlot = slot;
  }
  for (const cl of engine.clients.values()) {
    const active = now - cl.lastInteraction <= QUERY_BUFFER_IDLE_MS;
    const input = Math.max(active ? ACTIVE_QUERY_BUFFER : IDLE_QUERY_BUFFER, cl.queryBuffered());
    const output = Math.max(0, cl.reply.pending - STATIC_REPLY_BUFFER);
    if (input > st.inputPeaks[slot]!) st.inputPeaks[slot] = input;
    if (output > st.outputPeaks[slot]!) st.outputPeaks[slot] = output;
  }
}

function recentMax(engine: Engine, which: 'inputPeaks' | 'outputPeaks'): number {
  const st = infoState(engine);
  trackExpansiveClients(engine, st, Date.now());
  return Math.max(0, ...st[which]);
}

const states = new WeakMap<Engine, InfoState>();

const hex40 = (): string => randomBytes(20).toString('hex');

/**
 * The INFO bookkeeping of an engine, created (and its samplers attached) on first use. Call it
 * when the engine is created so ops/s and latency histograms cover the engine's whole life.
 */
export function infoState(engine: Engine): InfoState {
  let st = states.get(engine);
  if (st) return st;
  st = {
    runId: hex40(),
    replId: hex40(),
    replId2: '0'.repeat(40),
    startupMemory: process.memoryUsage().heapUsed,
    peakMemory: 0,
    lastSample: 0,
    ops: new InstantMetric(),
    netIn: new InstantMetric(),
    netOut: new InstantMetric(),
    latency: new Map(),
    inputPeaks: new Array<number>(PEAK_SLOTS).fill(0),
    outputPeaks: new Array<number>(PEAK_SLOTS).fill(0),
    peakSlot: Math.floor(Date.now() / 1000) % PEAK_SLOTS,
    avgTtl: new Map(),
    ttlWalk: new Map(),
  };
  states.set(engine, st);
  const state = st;
  engine.on('cron', () => {
    const now = Date.now();
    if (now - state.lastSample < 100) return;
    state.lastSample = now;
    state.ops.sample(engine.stats.commandsProcessed, now);
    state.netIn.sample(engine.stats.netInputBytes, now);
    state.netOut.sample(engine.stats.netOutputBytes, now);
    trackExpansiveClients(engine, state, now);
    sampleAvgTtl(engine, state, now);
    const used = usedMemory(engine);
    if (used > state.peakMemory) state.peakMemory = used;
  });
  engine.callObservers.push((spec: CommandSpec, _argv: string[], _client: Client, usec: number) => {
    if (!engine.config.num['latency-tracking']) return;
    let h = state.latency.get(spec.name);
    if (!h) state.latency.set(spec.name, (h = new LatencyHistogram()));
    h.record(usec);
  });
  return st;
}

/** CONFIG RESETSTAT's share of INFO state: instantaneous samplers and latency histograms. */
export function resetInfoStats(engine: Engine): void {
  const st = infoState(engine);
  st.ops.reset(engine.stats.commandsProcessed);
  st.netIn.reset(engine.stats.netInputBytes);
  st.netOut.reset(engine.stats.netOutputBytes);
  st.latency.clear();
}

/** DEBUG CHANGE-REPL-ID: a new replication id; the old one is forgotten (as Redis clears replid2). */
export function changeReplicationId(engine: Engine): void {
  const st = infoState(engine);
  st.replId = hex40();
  st.replId2 = '0'.repeat(40);
}

// --- memory -------------------------------------------------------------------------------------

/** used_memory, from the engine's memory accounting (memory-accounting.ts: the Redis 7.0 model). */
export function usedMemory(engine: Engine): number {
  return accountedUsedMemory(engine);
}

/** Redis's bytesToHuman. */
export function bytesToHuman(n: number): string {
  const units = ['K', 'M', 'G', 'T', 'P'];
  if (n < 1024) return `${n}B`;
  for (let i = 0; i < units.length; i++) {
    const next = 1024 ** (i + 2);
    if (n < next) return `${(n / 1024 ** (i + 1)).toFixed(2)}${units[i]}`;
  }
  return `${n}B`;
}

const f2 = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : '0.00');

/** One INFO memory field; memoryInfo() runs once per INFO call. */
function memoryField(c: InfoCtx, name: string): Value {
  c.memo ??= new Map(memoryInfo(c.engine));
  return c.memo.get(name) ?? 0;
}

/** INFO persistence's RDB fields, in Redis's order, from the persistence state (persist/state.ts). */
const PERSISTENCE_INFO_FIELDS = [
  'loading', 'async_loading', 'current_cow_peak', 'current_cow_size', 'current_cow_size_age', 'current_fork_perc',
  'current_save_keys_processed', 'current_save_keys_total', 'rdb_changes_since_last_save', 'rdb_bgsave_in_progress',
  'rdb_last_save_time', 'rdb_last_bgsave_status', 'rdb_last_bgsave_time_sec', 'rdb_current_bgsave_time_sec',
  'rdb_saves', 'rdb_last_cow_size', 'rdb_last_load_keys_expired', 'rdb_last_load_keys_loaded',
];

/** The AOF writer's state (persist/aof.ts aofInfo, through persistenceInfo). */
const AOF_INFO_FIELDS = [
  'aof_enabled', 'aof_rewrite_in_progress', 'aof_rewrite_scheduled', 'aof_last_rewrite_time_sec',
  'aof_current_rewrite_time_sec', 'aof_last_bgrewrite_status', 'aof_rewrites', 'aof_rewrites_consecutive_failures',
  'aof_last_write_status', 'aof_last_cow_size',
];
const AOF_ON_INFO_FIELDS = [
  'aof_current_size', 'aof_base_size', 'aof_pending_rewrite', 'aof_buffer_length', 'aof_pending_bio_fsync', 'aof_delayed_fsync',
];

function persistenceField(c: InfoCtx, name: string): Value {
  c.persistMemo ??= new Map(persistenceInfo(c.engine));
  return c.persistMemo.get(name) ?? 0;
}

// --- the section table ---------------------------------------------------------------------------

export interface InfoCtx {
  engine: Engine;
  /** The client asking (its local port is the listening port when the network layer does not say). */
  client?: Client;
  now: number;
  /** INFO memory's fields, computed once per call. */
  memo?: Map<string, Value>;
  /** INFO persistence's RDB fields, computed once per call. */
  persistMemo?: Map<string, Value>;
}

type Value = string | number;
/** A field: name, producer, and an optional condition (fields Redis prints only in some states). */
type Field = [name: string, value: (c: InfoCtx) => Value, when?: (c: InfoCtx) => boolean];

interface Section {
  /** Lower-case name used to select it; `also` lists other names that select it. */
  name: string;
  title: string;
  also?: string[];
  fields?: Field[];
  /** Sections whose lines are data-driven (one line per command, error, db). */
  lines?: (c: InfoCtx) => string[];
  /** Data-driven lines right after a field (slaveN after connected_slaves). */
  linesAfter?: Record<string, (c: InfoCtx) => string[]>;
}

const zero = (): Value => 0;
const cfgNum = (name: string) => (c: InfoCtx): Value => c.engine.config.num[name] ?? 0;
const stat = (read: (s: Engine['stats']) => number | undefined) => (c: InfoCtx): Value => read(c.engine.stats) ?? 0;

/**
 * The TCP port the engine really listens on: the network layer's, else the local port of the
 * asking client's connection, else the configured one (INFO tcp_port, CONFIG GET port).
 */
export function listeningPort(engine: Engine, client?: Client): number {
  if (engine.listenPort) return engine.listenPort;
  const m = /:(\d+)$/.exec(client?.laddr ?? '');
  if (m && Number(m[1]) > 0) return Number(m[1]);
  return engine.config.num['port'] ?? 6379;
}

function tcpPort(c: InfoCtx): number {
  return listeningPort(c.engine, c.client);
}

const BUILD_ID = createHash('sha1').update(`redscope ${REDIS_VERSION} ${process.version}`).digest('hex').slice(0, 15);

function uptime(c: InfoCtx): number {
  return Math.floor((c.now - c.engine.startedAt) / 1000);
}

/** "%ld.%06ld" seconds of CPU time from microseconds. */
function cpuSeconds(us: number): string {
  const s = Math.floor(us / 1e6);
  return `${s}.${String(Math.floor(us - s * 1e6)).padStart(6, '0')}`;
}

/** Redis sanitises names it prints in INFO: '#', ':', CR and LF become '_'. */
function safeInfoString(s: string): string {
  return s.replace(/[#:\r\n]/g, '_');
}

/** "%f" then trailing zeros (and a trailing dot) trimmed, as Redis prints percentile labels. */
function percentileLabel(p: number): string {
  return p.toFixed(6).replace(/\.?0+$/, '');
}

function allSpecs(engine: Engine): CommandSpec[] {
  const out: CommandSpec[] = [];
  for (const spec of engine.commands.values()) {
    out.push(spec);
    for (const sub of spec.subcommands ?? []) out.push(sub);
  }
  return out;
}

function blockedWithTimeout(engine: Engine): number {
  let n = 0;
  for (const cl of engine.clients.values()) if (cl.blocked && cl.blocked.deadline > 0) n++;
  return n;
}

// --- where each value comes from ---------------------------------------------------------------

/** How truthful a field is: see INFO_FIELD_SOURCES. */
export type FieldSource = 'counted' | 'sampled' | 'state' | 'process' | 'config' | 'model' | 'constant' | 'idle-constant';

/**
 * THE mapping table: every INFO field (per-command/error/db lines by their prefix, `*`) -> where
 * its value comes from. A test checks that it covers exactly the fields the sections print.
 *
 * - Counted: an engine counter bumped where the event happens (engine.stats, reset by CONFIG RESETSTAT).
 * - Sampled as Redis samples: instantaneous_* average 16 samples taken every 100 ms; client_recent_max_* keep per-second peaks over 8 s; latency percentiles come from per-command histograms (HDR buckets); avg_ttl is estimated by the active expire cycle.
 * - Live state: read from the engine when INFO runs.
 * - Process: from Node / the OS (process.cpuUsage, pid, clocks, uname); *_children are 0 because the engine never forks.
 * - Config: the running configuration.
 * - Model: the memory model (memory-accounting.ts documents each memory field).
 * - Constant: identity of the server being emulated (Redis 7.0.15, standalone master); ids are random per start as in Redis.
 * - Idle constant: no meaning here (no fork, no failover, no I/O threads, no defrag); the value an idle Redis 7.0 reports.
 */
export const INFO_FIELD_SOURCES: Readonly<Record<string, FieldSource>> = {
  total_connections_received: 'counted', total_commands_processed: 'counted',
  total_net_input_bytes: 'counted', total_net_output_bytes: 'counted', rejected_connections: 'counted',
  expired_keys: 'counted', evicted_keys: 'counted', evicted_clients: 'counted', keyspace_hits: 'counted',
  keyspace_misses: 'counted', total_error_replies: 'counted', total_reads_processed: 'counted',
  total_writes_processed: 'counted', lazyfreed_objects: 'counted', 'cmdstat_*': 'counted',
  'errorstat_*': 'counted',
  instantaneous_ops_per_sec: 'sampled', instantaneous_input_kbps: 'sampled',
  instantaneous_output_kbps: 'sampled', client_recent_max_input_buffer: 'sampled',
  client_recent_max_output_buffer: 'sampled', 'latency_percentiles_usec_*': 'sampled', 'db*': 'sampled',
  connected_clients: 'state', blocked_clients: 'state', clients_in_timeout_table: 'state',
  tracking_clients: 'state', tracking_total_keys: 'state', tracking_total_items: 'state',
  tracking_total_prefixes: 'state',
  pubsub_channels: 'state', pubsub_patterns: 'state', pubsubshard_channels: 'state',
  rdb_changes_since_last_save: 'state', rdb_last_save_time: 'state',
  os: 'process', arch_bits: 'process', multiplexing_api: 'process', process_id: 'process',
  process_supervised: 'process', tcp_port: 'process', server_time_usec: 'process',
  uptime_in_seconds: 'process', uptime_in_days: 'process', lru_clock: 'process', executable: 'process',
  config_file: 'process', used_cpu_sys: 'process', used_cpu_user: 'process',
  used_cpu_sys_main_thread: 'process', used_cpu_user_main_thread: 'process',
  hz: 'config', configured_hz: 'config', maxclients: 'config', repl_backlog_size: 'config',
  ...Object.fromEntries(MEMORY_INFO_FIELDS.map((f) => [f, 'model' as const])),
  redis_version: 'constant', redis_git_sha1: 'constant', redis_git_dirty: 'constant',
  redis_build_id: 'constant', redis_mode: 'constant', monotonic_clock: 'constant', atomicvar_api: 'constant',
  gcc_version: 'constant', run_id: 'constant', role: 'constant', master_replid: 'constant',
  master_replid2: 'constant',
  io_threads_active: 'idle-constant', cluster_connections: 'idle-constant',
  loading: 'idle-constant', async_loading: 'idle-constant',
  // No fork, so no copy-on-write: 0 as on a Redis whose saves copied nothing.
  current_cow_peak: 'idle-constant', current_cow_size: 'idle-constant',
  current_cow_size_age: 'idle-constant', rdb_last_cow_size: 'idle-constant',
  // The save state of persist/state.ts (BGSAVE writes a copy in slices; its progress is real).
  current_fork_perc: 'state', current_save_keys_processed: 'state', current_save_keys_total: 'state',
  rdb_bgsave_in_progress: 'state', rdb_last_bgsave_status: 'state',
  rdb_last_bgsave_time_sec: 'state', rdb_current_bgsave_time_sec: 'state', rdb_saves: 'state',
  rdb_last_load_keys_expired: 'state', rdb_last_load_keys_loaded: 'state',
  // The AOF writer (persist/aof.ts): rewrites without fork, so no copy-on-write either.
  aof_enabled: 'state', aof_rewrite_in_progress: 'state',
  aof_rewrite_scheduled: 'state', aof_last_rewrite_time_sec: 'state',
  aof_current_rewrite_time_sec: 'state', aof_last_bgrewrite_status: 'state',
  aof_rewrites: 'state', aof_rewrites_consecutive_failures: 'state',
  aof_last_write_status: 'state', aof_last_cow_size: 'idle-constant',
  aof_current_size: 'state', aof_base_size: 'state', aof_pending_rewrite: 'state', aof_buffer_length: 'state',
  aof_pending_bio_fsync: 'idle-constant', aof_delayed_fsync: 'idle-constant',
  module_fork_in_progress: 'idle-constant', module_fork_last_cow_size: 'idle-constant',
  total_net_repl_input_bytes: 'idle-constant', total_net_repl_output_bytes: 'idle-constant',
  instantaneous_input_repl_kbps: 'idle-constant', instantaneous_output_repl_kbps: 'idle-constant',
  sync_full: 'counted', sync_partial_ok: 'counted', sync_partial_err: 'counted',
  expired_stale_perc: 'idle-constant', expired_time_cap_reached_count: 'idle-constant',
  expire_cycle_cpu_milliseconds: 'idle-constant', total_eviction_exceeded_time: 'counted',
  current_eviction_exceeded_time: 'counted', latest_fork_usec: 'idle-constant',
  total_forks: 'idle-constant', migrate_cached_sockets: 'state',
  slave_expires_tracked_keys: 'idle-constant', active_defrag_hits: 'idle-constant',
  active_defrag_misses: 'idle-constant', active_defrag_key_hits: 'idle-constant',
  active_defrag_key_misses: 'idle-constant', total_active_defrag_time: 'idle-constant',
  current_active_defrag_time: 'idle-constant',
  unexpected_error_replies: 'idle-constant', dump_payload_sanitizations: 'idle-constant',
  io_threaded_reads_processed: 'idle-constant', io_threaded_writes_processed: 'idle-constant',
  reply_buffer_shrinks: 'idle-constant', reply_buffer_expands: 'idle-constant',
  connected_slaves: 'state', min_slaves_good_slaves: 'state',
  master_failover_state: 'idle-constant', master_repl_offset: 'state',
  second_repl_offset: 'idle-constant', repl_backlog_active: 'state',
  repl_backlog_first_byte_offset: 'state', repl_backlog_histlen: 'state', 'slave*': 'state',
  used_cpu_sys_children: 'idle-constant', used_cpu_user_children: 'idle-constant',
  cluster_enabled: 'idle-constant',
};

const SECTIONS: Section[] = [
  {
    name: 'server',
    title: 'Server',
    fields: [
      ['redis_version', () => REDIS_VERSION],
      ['redis_git_sha1', () => '00000000'],
      ['redis_git_dirty', zero],
      ['redis_build_id', () => BUILD_ID],
      ['redis_mode', () => 'standalone'],
      ['os', () => `${os.type()} ${os.release()} ${os.machine()}`],
      ['arch_bits', () => (/64/.test(process.arch) ? 64 : 32)],
      ['monotonic_clock', () => 'POSIX clock_gettime'],
      ['multiplexing_api', () => ({ linux: 'epoll', darwin: 'kqueue', freebsd: 'kqueue', openbsd: 'kqueue', sunos: 'evport' } as Record<string, string>)[process.platform] ?? 'select'],
      ['atomicvar_api', () => 'c11-builtin'],
      ['gcc_version', () => '0.0.0'],
      ['process_id', () => process.pid],
      ['process_supervised', () => 'no'],
      ['run_id', (c) => infoState(c.engine).runId],
      ['tcp_port', tcpPort],
      ['server_time_usec', (c) => c.now * 1000 + (Number(process.hrtime.bigint() / 1000n) % 1000)],
      ['uptime_in_seconds', uptime],
      ['uptime_in_days', (c) => Math.floor(uptime(c) / 86400)],
      ['hz', cfgNum('hz')],
      ['configured_hz', cfgNum('hz')],
      ['lru_clock', (c) => Math.floor(c.now / 1000) & 0xffffff],
      ['executable', (c) => c.engine.executable ?? resolve(process.argv[1] ?? process.execPath)],
      ['config_file', (c) => c.engine.configFile ?? ''],
      ['io_threads_active', zero],
    ],
  },
  {
    name: 'clients',
    title: 'Clients',
    fields: [
      ['connected_clients', (c) => c.engine.clients.size],
      ['cluster_connections', zero],
      ['maxclients', cfgNum('maxclients')],
      ['client_recent_max_input_buffer', (c) => recentMax(c.engine, 'inputPeaks')],
      ['client_recent_max_output_buffer', (c) => recentMax(c.engine, 'outputPeaks')],
      ['blocked_clients', (c) => c.engine.blocking.blockedCount],
      ['tracking_clients', (c) => c.engine.tracking.clients],
      ['clients_in_timeout_table', (c) => blockedWithTimeout(c.engine)],
    ],
  },
  {
    name: 'memory',
    title: 'Memory',
    fields: MEMORY_INFO_FIELDS.map((name): Field => [name, (c) => memoryField(c, name)]),
  },
  {
    name: 'persistence',
    title: 'Persistence',
    fields: [
      ...PERSISTENCE_INFO_FIELDS.map((name): Field => [name, (c) => persistenceField(c, name)]),
      ...AOF_INFO_FIELDS.map((name): Field => [name, (c) => persistenceField(c, name)]),
      // Printed only while the AOF is on, as Redis does.
      ...AOF_ON_INFO_FIELDS.map((name): Field => [name, (c) => persistenceField(c, name), (c) => persistenceField(c, 'aof_enabled') === 1]),
      ['module_fork_in_progress', zero],
      ['module_fork_last_cow_size', zero],
    ],
  },
  {
    name: 'stats',
    title: 'Stats',
    fields: [
      ['total_connections_received', stat((s) => s.connectionsReceived)],
      ['total_commands_processed', stat((s) => s.commandsProcessed)],
      ['instantaneous_ops_per_sec', (c) => Math.floor(infoState(c.engine).ops.value)],
      ['total_net_input_bytes', stat((s) => s.netInputBytes)],
      ['total_net_output_bytes', stat((s) => s.netOutputBytes)],
      ['total_net_repl_input_bytes', zero],
      ['total_net_repl_output_bytes', zero],
      ['instantaneous_input_kbps', (c) => f2(infoState(c.engine).netIn.value / 1024)],
      ['instantaneous_output_kbps', (c) => f2(infoState(c.engine).netOut.value / 1024)],
      ['instantaneous_input_repl_kbps', () => '0.00'],
      ['instantaneous_output_repl_kbps', () => '0.00'],
      ['rejected_connections', stat((s) => s.rejectedConnections)],
      ['sync_full', (c) => replicationIfAny(c.engine)?.stats.full ?? 0],
      ['sync_partial_ok', (c) => replicationIfAny(c.engine)?.stats.partialOk ?? 0],
      ['sync_partial_err', (c) => replicationIfAny(c.engine)?.stats.partialErr ?? 0],
      ['expired_keys', stat((s) => s.expiredKeys)],
      ['expired_stale_perc', () => '0.00'],
      ['expired_time_cap_reached_count', zero],
      ['expire_cycle_cpu_milliseconds', zero],
      ['evicted_keys', stat((s) => s.evictedKeys)],
      ['evicted_clients', stat((s) => s.evictedClients)],
      ['total_eviction_exceeded_time', (c) => evictionStats(c.engine).totalExceededMs],
      ['current_eviction_exceeded_time', (c) => evictionStats(c.engine).currentExceededMs],
      ['keyspace_hits', stat((s) => s.keyspaceHits)],
      ['keyspace_misses', stat((s) => s.keyspaceMisses)],
      ['pubsub_channels', (c) => c.engine.pubsubChannels.size],
      ['pubsub_patterns', (c) => c.engine.pubsubPatterns.size],
      ['pubsubshard_channels', (c) => c.engine.pubsubShardChannels.size],
      ['latest_fork_usec', zero],
      ['total_forks', zero],
      ['migrate_cached_sockets', (c) => migrateCachedSockets(c.engine)],
      ['slave_expires_tracked_keys', zero],
      ['active_defrag_hits', zero],
      ['active_defrag_misses', zero],
      ['active_defrag_key_hits', zero],
      ['active_defrag_key_misses', zero],
      ['total_active_defrag_time', zero],
      ['current_active_defrag_time', zero],
      ['tracking_total_keys', (c) => c.engine.tracking.totalKeys],
      ['tracking_total_items', (c) => c.engine.tracking.totalItems],
      ['tracking_total_prefixes', (c) => c.engine.tracking.totalPrefixes],
      ['unexpected_error_replies', zero],
      ['total_error_replies', stat((s) => s.totalErrorReplies)],
      ['dump_payload_sanitizations', zero],
      ['total_reads_processed', stat((s) => s.readsProcessed)],
      ['total_writes_processed', stat((s) => s.writesProcessed)],
      ['io_threaded_reads_processed', zero],
      ['io_threaded_writes_processed', zero],
      ['reply_buffer_shrinks', zero],
      ['reply_buffer_expands', zero],
    ],
  },
  {
    name: 'replication',
    title: 'Replication',
    fields: [
      ['role', () => 'master'],
      ['connected_slaves', (c) => replicationIfAny(c.engine)?.replicas.size ?? 0],
      [
        'min_slaves_good_slaves',
        (c) => replicationIfAny(c.engine)?.goodReplicas ?? 0,
        (c) => (c.engine.config.num['min-replicas-to-write'] ?? 0) > 0 && (c.engine.config.num['min-replicas-max-lag'] ?? 0) > 0,
      ],
      ['master_failover_state', () => 'no-failover'],
      ['master_replid', (c) => infoState(c.engine).replId],
      ['master_replid2', (c) => infoState(c.engine).replId2],
      ['master_repl_offset', (c) => replicationIfAny(c.engine)?.offset ?? 0],
      ['second_repl_offset', () => -1],
      ['repl_backlog_active', (c) => (replicationIfAny(c.engine)?.backlogActive ? 1 : 0)],
      ['repl_backlog_size', cfgNum('repl-backlog-size')],
      ['repl_backlog_first_byte_offset', (c) => (replicationIfAny(c.engine)?.backlogActive ? replicationIfAny(c.engine)!.firstByte : 0)],
      ['repl_backlog_histlen', (c) => replicationIfAny(c.engine)?.backlogHistlen ?? 0],
    ],
    linesAfter: { connected_slaves: (c) => replicationIfAny(c.engine)?.infoLines() ?? [] },
  },
  {
    name: 'cpu',
    title: 'CPU',
    fields: [
      ['used_cpu_sys', () => cpuSeconds(process.cpuUsage().system)],
      ['used_cpu_user', () => cpuSeconds(process.cpuUsage().user)],
      ['used_cpu_sys_children', () => '0.000000'],
      ['used_cpu_user_children', () => '0.000000'],
      ['used_cpu_sys_main_thread', () => cpuSeconds(process.cpuUsage().system)],
      ['used_cpu_user_main_thread', () => cpuSeconds(process.cpuUsage().user)],
    ],
  },
  { name: 'modules', title: 'Modules', also: ['module_list'], lines: () => [] },
  {
    name: 'commandstats',
    title: 'Commandstats',
    lines: (c) => {
      const out: string[] = [];
      for (const spec of allSpecs(c.engine)) {
        const st = c.engine.stats.commands.get(spec.name);
        if (!st || (!st.calls && !st.failed && !st.rejected)) continue;
        const usec = Math.round(st.usec);
        const perCall = st.calls ? usec / st.calls : 0;
        out.push(
          `cmdstat_${safeInfoString(spec.name)}:calls=${st.calls},usec=${usec},usec_per_call=${perCall.toFixed(2)},rejected_calls=${st.rejected},failed_calls=${st.failed}`,
        );
      }
      return out;
    },
  },
  {
    name: 'errorstats',
    title: 'Errorstats',
    lines: (c) =>
      [...c.engine.stats.errors.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([prefix, n]) => `errorstat_${safeInfoString(prefix)}:count=${n}`),
  },
  {
    name: 'latencystats',
    title: 'Latencystats',
    lines: (c) => {
      if (!c.engine.config.num['latency-tracking']) return [];
      const hists = infoState(c.engine).latency;
      const percentiles = c.engine.config.get('latency-tracking-info-percentiles').split(' ').filter(Boolean).map(Number);
      const out: string[] = [];
      for (const spec of allSpecs(c.engine)) {
        const h = hists.get(spec.name);
        if (!h || h.total === 0) continue;
        const parts = percentiles.map((p) => `p${percentileLabel(p)}=${(h.valueAtPercentile(p) / 1000).toFixed(3)}`);
        out.push(`latency_percentiles_usec_${safeInfoString(spec.name)}:${parts.join(',')}`);
      }
      return out;
    },
  },
  { name: 'cluster', title: 'Cluster', fields: [['cluster_enabled', zero]] },
  {
    name: 'keyspace',
    title: 'Keyspace',
    lines: (c) =>
      c.engine.dbs
        .filter((db) => db.size > 0 || db.expires.size > 0)
        .map((db) => `db${db.id}:keys=${db.size},expires=${db.expires.size},avg_ttl=${Math.floor(db.avgTtl || (infoState(c.engine).avgTtl.get(db.id) ?? 0))}`),
  },
];

/** What plain INFO (and INFO default) shows. */
const DEFAULT_SECTIONS = ['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'module_list', 'errorstats', 'cluster', 'keyspace'];

/** Section names and their fields in Redis's order (for tests and for parsers that want the layout). */
export function infoLayout(): Array<{ name: string; title: string; fields: string[] }> {
  return SECTIONS.map((s) => ({ name: s.name, title: s.title, fields: (s.fields ?? []).map(([n]) => n) }));
}

/** INFO [section ...]: the text Redis's INFO would return for these arguments. */
export function generateInfo(engine: Engine, args: string[], client?: Client, now = Date.now()): string {
  infoState(engine);
  const wanted = new Set<string>();
  let all = false;
  for (const raw of args.length ? args : ['default']) {
    const a = raw.toLowerCase();
    if (a === 'default') for (const s of DEFAULT_SECTIONS) wanted.add(s);
    else if (a === 'all' || a === 'everything') all = true;
    else wanted.add(a);
  }
  const c: InfoCtx = { engine, client, now };
  const parts: string[] = [];
  for (const section of SECTIONS) {
    if (!all && !wanted.has(section.name) && !(section.also ?? []).some((n) => wanted.has(n))) continue;
    let text = `# ${section.title}\r\n`;
    for (const [name, value, when] of section.fields ?? []) {
      if (when && !when(c)) continue;
      text += `${name}:${value(c)}\r\n`;
      for (const line of section.linesAfter?.[name]?.(c) ?? []) text += `${line}\r\n`;
    }
    for (const line of section.lines?.(c) ?? []) text += `${line}\r\n`;
    parts.push(text);
  }
  return parts.join('\r\n');
}
