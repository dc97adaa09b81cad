// The latency report: what the server's latency monitor recorded (LATENCY LATEST, and LATENCY
// HISTORY when the caller fetched it), our own LATENCY DOCTOR (its checks kept as a table keyed by
// event family, accepting both `eviction-del` (≤ 7.4) and `evict-del` (later)), the fork-rate check
// from INFO, per-command p50/p99/p99.9 (INFO latencystats, else LATENCY HISTOGRAM buckets), and
// the distribution of client-side samples used by `redscope latency --sample/--history/--dist`.

import type { Snapshot } from '../collect/snapshot.js';
import { conf, confNum, field, known } from './finding.js';
import { percentileSorted, sortedCopy } from './percentile.js';
import { withThresholds, type Thresholds } from './thresholds.js';

const GiB = 1024 ** 3;

export type ForkVerdict = 'terrible' | 'poor' | 'good' | 'excellent';

export interface EventStats {
  samples: number;
  avgMs: number;
  /** Mean absolute deviation from avgMs. */
  madMs: number;
  /** Average seconds between spikes: (now − oldest sample) / samples. */
  periodSec: number;
}

export interface LatencyEventReport {
  event: string;
  latestTime: number;
  latestMs: number;
  maxMs: number;
  /** What the event measures (null for names this table does not know; they are still listed). */
  meaning: string | null;
  /** From LATENCY HISTORY, when the caller passed it. */
  stats: EventStats | null;
}

export interface DoctorAdvice {
  id: string;
  /** The events that led to it (empty for event-independent checks). */
  events: string[];
  text: string;
}

export interface CommandLatency {
  command: string;
  calls: number | null;
  p50Us: number | null;
  p99Us: number | null;
  p999Us: number | null;
  source: 'latencystats' | 'histogram';
}

export interface LatencyReport {
  /** latency-monitor-threshold in ms (0 = monitor off); null when CONFIG is unreadable. */
  monitorThresholdMs: number | null;
  events: LatencyEventReport[];
  doctor: {
    /** False when the monitor is off and nothing was ever recorded (the doctor has nothing to read). */
    enabled: boolean;
    advice: DoctorAdvice[];
    /** One closing sentence, as the server's doctor ends its report. */
    summary: string;
  };
  /** From latest_fork_usec and used_memory; `judged` is false below forkMinUsedBytes (fixed costs dominate). */
  fork: { usec: number; gbPerSec: number; msPerGb: number; verdict: ForkVerdict; judged: boolean } | null;
  commands: CommandLatency[];
}

export interface LatencyReportOptions {
  /** LATENCY HISTORY per event: [unix seconds, ms] pairs, oldest first. */
  history?: Record<string, Array<[number, number]>>;
  /** Unix seconds "now" for the period figure (default: the snapshot's time). */
  now?: number;
  thresholds?: Partial<Thresholds>;
}

interface DoctorCtx {
  s: Snapshot;
  thresholdMs: number;
  fork: LatencyReport['fork'];
}

interface EventRow {
  /** Event names of this family (renamed events sit in one row). */
  names: string[];
  meaning: string;
  /** Advice for this family: id + text, or nothing when the extra condition does not hold. */
  advise(ctx: DoctorCtx): Array<{ id: string; text: string }>;
}

const LARGE_OBJECTS = {
  id: 'large-objects',
  text: 'Deleting, expiring or evicting big keys blocks the server: find them with `redscope keys`, use UNLINK, and set lazyfree-lazy-user-del / lazyfree-lazy-expire / lazyfree-lazy-eviction yes.',
};
const DISK = {
  id: 'disk',
  text: 'The disk is slow or shared: put `dir` on a local SSD, keep other I/O off that disk, and mount ext4 with data=writeback if the filesystem allows.',
};

/** Our LATENCY DOCTOR: one row per event family; names as emitted by Redis 6.2 … HEAD. */
const EVENT_TABLE: EventRow[] = [
  {
    names: ['fork'],
    meaning: 'the fork() call for BGSAVE / AOF rewrite / full sync',
    advise: ({ fork }) =>
      fork && (fork.verdict === 'terrible' || fork.verdict === 'poor')
        ? [{ id: 'fork-slow', text: `fork() runs at ${fork.gbPerSec.toFixed(1)} GB/s (${fork.verdict}): use a VM type with fast fork (Xen HVM guests are known to be slow) or bare metal, disable transparent huge pages, keep instances smaller, or persist from a replica.` }]
        : [],
  },
  {
    names: ['command'],
    meaning: 'a slow (non-O(1)) command',
    advise: ({ s, thresholdMs }) => {
      const out: Array<{ id: string; text: string }> = [];
      const slower = confNum(s, 'slowlog-log-slower-than');
      const len = confNum(s, 'slowlog-max-len');
      if (known(slower, len) && (slower < 0 || len === 0)) {
        out.push({ id: 'slowlog-enable', text: `The slow log is off: CONFIG SET slowlog-log-slower-than ${Math.max(1, thresholdMs) * 1000} and CONFIG SET slowlog-max-len 128 to see which commands spike.` });
      } else if (known(slower) && thresholdMs > 0 && slower / 1000 > thresholdMs) {
        out.push({ id: 'slowlog-tune', text: `The slow log only records commands over ${slower / 1000} ms, above latency-monitor-threshold ${thresholdMs} ms: CONFIG SET slowlog-log-slower-than ${thresholdMs * 1000} so the spikes show up in SLOWLOG GET.` });
      }
      out.push({ id: 'slowlog-inspect', text: 'Read SLOWLOG GET (or `redscope slowlog`) for the slow commands; O(N) commands on big keys (KEYS, SMEMBERS, HGETALL, LRANGE 0 -1, SORT) are the usual cause.' });
      out.push(LARGE_OBJECTS);
      return out;
    },
  },
  {
    names: ['fast-command'],
    meaning: 'an O(1)/O(log N) command was slow: the process itself was stalled',
    advise: () => [
      { id: 'scheduler', text: 'Fast commands should never spike: the host is overloaded or shared (noisy neighbours, CPU steal). Run `redscope latency --intrinsic 100` (like redis-cli --intrinsic-latency) on the Redis host, lower its load, or move Redis to a dedicated host.' },
    ],
  },
  {
    names: ['command-unblocking'],
    meaning: 'serving a client unblocked from BLPOP/XREAD/...',
    advise: () => [{ id: 'unblocking', text: 'Replies to unblocked clients are big or many clients wait on one key: reduce the items popped per call (COUNT) or the number of waiters.' }],
  },
  { names: ['aof-write-pending-fsync'], meaning: 'AOF write(2) while an fsync was pending', advise: () => [DISK] },
  {
    names: ['aof-write-active-child'],
    meaning: 'AOF write(2) while a child process was saving',
    advise: () => [{ id: 'fsync-on-rewrite', text: 'AOF writes compete with the saving child for the disk: CONFIG SET no-appendfsync-on-rewrite yes (accepting more loss on a crash during rewrites), or a faster disk.' }, DISK],
  },
  { names: ['aof-write-alone', 'aof-write'], meaning: 'AOF write(2)', advise: () => [DISK] },
  {
    names: ['aof-fsync-always'],
    meaning: 'fsync under appendfsync always',
    advise: ({ s }) => (conf(s, 'appendfsync') === 'always' ? [{ id: 'fsync-always', text: 'appendfsync always waits for the disk on every write: CONFIG SET appendfsync everysec.' }] : []),
  },
  { names: ['aof-fstat', 'rdb-unlink-temp-file'], meaning: 'fstat(2)/unlink(2) on persistence files', advise: () => [DISK] },
  { names: ['aof-rewrite-diff-write', 'aof-rename'], meaning: 'writing the rewrite diff / renaming the new AOF', advise: () => [DISK] },
  {
    names: ['expire-cycle'],
    meaning: 'one active-expire cycle',
    advise: ({ s }) => {
      const hz = known(confNum(s, 'hz')) ? confNum(s, 'hz') : field(s, 'hz');
      const out = [LARGE_OBJECTS];
      if (known(hz) && hz < 100) out.unshift({ id: 'hz', text: `Many keys expire at once: CONFIG SET hz 100 (now ${hz}) spreads the work over more, shorter cycles; avoid giving many keys the same expire time.` });
      return out;
    },
  },
  { names: ['expire-del'], meaning: 'deleting one expired key', advise: () => [LARGE_OBJECTS] },
  { names: ['evict-del', 'eviction-del'], meaning: 'deleting one evicted key', advise: () => [LARGE_OBJECTS] },
  {
    names: ['eviction-cycle'],
    meaning: 'one eviction pass',
    advise: () => [{ id: 'mass-eviction', text: 'A burst of evictions: a sudden maxmemory decrease or one command that allocated a lot (SUNIONSTORE, SORT ... STORE, RESTORE of a big key). Change maxmemory in steps and avoid huge single writes.' }],
  },
  {
    names: ['eviction-lazyfree'],
    meaning: 'eviction waiting for the lazy-free thread',
    advise: () => [{ id: 'lazyfree-slow', text: 'Background freeing cannot keep up with evictions: lower the write rate or raise maxmemory so eviction runs less.' }],
  },
  {
    names: ['active-defrag-cycle'],
    meaning: 'one active-defrag time slice',
    advise: () => [{ id: 'defrag-cpu', text: 'Active defrag takes too long per slice: lower CONFIG SET active-defrag-cycle-max, or raise active-defrag-threshold-lower so it runs less.' }],
  },
  {
    names: ['while-blocked-cron'],
    meaning: 'server cron while blocked (loading, long script)',
    advise: () => [{ id: 'blocked', text: 'The server was blocked by loading or a long script/function: keep scripts short (busy-reply-threshold, SCRIPT KILL / FUNCTION KILL).' }],
  },
  { names: ['module-acquire-GIL'], meaning: 'a module thread waiting for the GIL', advise: () => [{ id: 'module-gil', text: 'A module holds the global lock too long: check MODULE LIST and the module\'s own settings.' }] },
];

function rowFor(event: string): EventRow | undefined {
  return EVENT_TABLE.find((r) => r.names.includes(event));
}

export function forkRate(s: Snapshot, t: Thresholds): LatencyReport['fork'] {
  const us = field(s, 'latest_fork_usec');
  const used = field(s, 'used_memory');
  if (!known(us, used) || us <= 0 || used <= 0) return null;
  const gbPerSec = (used * 1e6) / us / GiB;
  const verdict: ForkVerdict = gbPerSec < t.forkRateTerribleGbPerSec ? 'terrible' : gbPerSec < t.forkRatePoorGbPerSec ? 'poor' : gbPerSec < 100 ? 'good' : 'excellent';
  return { usec: us, gbPerSec, msPerGb: us / 1000 / (used / GiB), verdict, judged: used >= t.forkMinUsedBytes };
}

function eventStats(history: Array<[number, number]> | undefined, now: number): EventStats | null {
  const samples = (history ?? []).filter(([, ms]) => ms > 0);
  if (samples.length === 0) return null;
  const avg = samples.reduce((a, [, ms]) => a + ms, 0) / samples.length;
  const mad = samples.reduce((a, [, ms]) => a + Math.abs(ms - avg), 0) / samples.length;
  const oldest = Math.min(...samples.map(([t]) => t));
  return { samples: samples.length, avgMs: avg, madMs: mad, periodSec: Math.max(0, now - oldest) / samples.length };
}

/** p-th percentile (0..1) from cumulative [bucket µs, count] pairs: the first bucket reaching it. */
function fromBuckets(buckets: Array<[number, number]>, calls: number, p: number): number | null {
  if (calls <= 0 || buckets.length === 0) return null;
  const need = Math.ceil(p * calls);
  for (const [us, cum] of buckets) if (cum >= need) return us;
  return buckets[buckets.length - 1]![0];
}

function commandLatencies(s: Snapshot): CommandLatency[] {
  const out: CommandLatency[] = [];
  const stats = s.info.latencystats;
  const num = (x: number | undefined): number | null => (x !== undefined && Number.isFinite(x) ? x : null);
  if (Object.keys(stats).length > 0) {
    for (const [command, p] of Object.entries(stats)) {
      out.push({ command, calls: num(s.info.commandstats[command]?.calls), p50Us: num(p['p50']), p99Us: num(p['p99']), p999Us: num(p['p99.9']), source: 'latencystats' });
    }
  } else if (s.latency?.histogram) {
    for (const [command, h] of Object.entries(s.latency.histogram)) {
      out.push({ command, calls: h.calls, p50Us: fromBuckets(h.buckets, h.calls, 0.5), p99Us: fromBuckets(h.buckets, h.calls, 0.99), p999Us: fromBuckets(h.buckets, h.calls, 0.999), source: 'histogram' });
    }
  }
  return out.sort((a, b) => (b.p99Us ?? -1) - (a.p99Us ?? -1) || a.command.localeCompare(b.command));
}

export function latencyReport(s: Snapshot, opts: LatencyReportOptions = {}): LatencyReport {
  const t = withThresholds(opts.thresholds);
  const thresholdConf = confNum(s, 'latency-monitor-threshold');
  const thresholdMs = known(thresholdConf) ? thresholdConf : 0;
  const now = opts.now ?? Math.floor(s.takenAt / 1000);
  const latest = s.latency?.latest ?? [];
  const fork = forkRate(s, t);

  const events: LatencyEventReport[] = [...latest]
    .sort((a, b) => b.maxMs - a.maxMs || a.event.localeCompare(b.event))
    .map((e) => ({ ...e, meaning: rowFor(e.event)?.meaning ?? null, stats: eventStats(opts.history?.[e.event], now) }));

  const ctx: DoctorCtx = { s, thresholdMs, fork };
  const byId = new Map<string, DoctorAdvice>();
  for (const e of events) {
    for (const a of rowFor(e.event)?.advise(ctx) ?? []) {
      const seen = byId.get(a.id);
      if (seen) seen.events.push(e.event);
      else byId.set(a.id, { id: a.id, events: [e.event], text: a.text });
    }
  }
  // Event-independent: a slow fork shows in INFO even when the monitor is off.
  if (fork && fork.judged && (fork.verdict === 'terrible' || fork.verdict === 'poor') && !byId.has('fork-slow')) {
    for (const a of rowFor('fork')!.advise(ctx)) byId.set(a.id, { id: a.id, events: [], text: a.text });
  }
  const advice = [...byId.values()];
  const enabled = !(thresholdMs === 0 && events.length === 0);
  const summary = !enabled
    ? 'The latency monitor is off (latency-monitor-threshold 0) and has recorded nothing: CONFIG SET latency-monitor-threshold 100 to start it.'
    : events.length === 0 && advice.length === 0
      ? `No latency spike was recorded${thresholdMs > 0 ? ` above ${thresholdMs} ms` : ''}.`
      : advice.length === 0
        ? 'Spikes were recorded, but none has a known easy fix; compare them with SLOWLOG GET and the host\'s own metrics.'
        : `${advice.length} piece(s) of advice for ${events.length} event(s).`;

  return { monitorThresholdMs: known(thresholdConf) ? thresholdConf : null, events, doctor: { enabled, advice, summary }, fork, commands: commandLatencies(s) };
}

// ---- client-side samples (redscope latency --sample / --history / --dist) ----

/** The spectrum buckets of redis-cli --latency-dist: upper bound in µs and its one-character label. */
export const SPECTRUM: ReadonlyArray<readonly [number, string]> = [
  [10, '.'],
  [125, '-'],
  [250, '*'],
  [500, '#'],
  ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((ms) => [ms * 1000, String(ms)] as const),
  ...[10, 20, 30, 40, 50].map((ms, i) => [ms * 1000, 'ABCDE'[i]!] as const),
  ...[100, 200, 300, 400, 500].map((ms, i) => [ms * 1000, 'FGHIJ'[i]!] as const),
  ...[1, 2, 4, 8, 16, 30, 60].map((sec, i) => [sec * 1_000_000, 'KLMNOPQ'[i]!] as const),
  [Infinity, '?'],
];

export interface Distribution {
  count: number;
  minUs: number;
  maxUs: number;
  meanUs: number;
  p50Us: number;
  p90Us: number;
  p99Us: number;
  p999Us: number;
  /** Only non-empty buckets, in order. */
  histogram: Array<{ label: string; upToUs: number; count: number; share: number }>;
}

/** Statistics of client-side round-trip samples in µs; NaN fields when there are none. */
export function distribution(samplesUs: readonly number[]): Distribution {
  const sorted = sortedCopy(samplesUs);
  const n = sorted.length;
  const counts = new Array<number>(SPECTRUM.length).fill(0);
  let b = 0;
  for (const v of sorted) {
    while (v > SPECTRUM[b]![0]) b++;
    counts[b]!++;
  }
  return {
    count: n,
    minUs: n ? sorted[0]! : NaN,
    maxUs: n ? sorted[n - 1]! : NaN,
    meanUs: n ? sorted.reduce((a, v) => a + v, 0) / n : NaN,
    p50Us: percentileSorted(sorted, 50),
    p90Us: percentileSorted(sorted, 90),
    p99Us: percentileSorted(sorted, 99),
    p999Us: percentileSorted(sorted, 99.9),
    histogram: SPECTRUM.map(([upToUs, label], i) => ({ label, upToUs, count: counts[i]!, share: n ? counts[i]! / n : 0 })).filter((h) => h.count > 0),
  };
}
