// One pooled connection per target. redis_exporter dials, AUTHs and names a new connection on every
// scrape, which inflates total_connections_received and trips connection alerts; here each target
// keeps one RedisLink that reconnects in the background, and one Collector, so capabilities learnt
// on first contact (CONFIG renamed, LATENCY missing, ACL NOPERM) are never retried per scrape.
// `fresh` restores the reference's connect-per-scrape for those who want the scrape to prove the
// server accepts connections. Concurrent scrapes of one target share one collection, in flight
// (a flood of scrapes is one batch on one connection, never a queue of batches or more connections),
// and a scrape is bounded by its deadline whatever the server does. Background key work gets a
// second link of its own, on its own interval. CONFIG GET * is read once per `configEverySeconds`
// (30 s by default) rather than on every scrape; the analyzers run on their own cadence too
// (analysis.ts), and MEMORY STATS, which only they read, rides along only when they will run.

import { Collector, type CollectOptions } from '../collect/collector.js';
import type { Snapshot } from '../collect/snapshot.js';
import { openLink, type RedisLink } from '../target/link.js';
import type { TargetSpec } from '../target/url.js';
import { AnalysisCache } from './analysis.js';
import { keyWorkEnabled, runKeyWork, type KeyWorkOptions, type KeyWorkResult } from './key-work.js';
import type { SelfStats, TargetScrape } from './metrics.js';

export interface PoolOptions {
  /** Connect per scrape and close after (redis_exporter's behaviour). */
  fresh: boolean;
  /** Connect/command timeout for links, ms. */
  timeoutMs: number;
  keyWork: KeyWorkOptions;
  /** Interval of background key work, ms. */
  intervalMs: number;
  /** SLOWLOG GET count per scrape. */
  slowlogCount: number;
  /** Re-read CONFIG GET * at most this often, seconds (default 30; 0 = every scrape). */
  configEverySeconds?: number;
  /** Close targets nobody scraped for this long (ms). */
  idleMs: number;
  /** Names of targets that are the bundled engine (shown in the Snapshot). */
  bundled?: ReadonlySet<string>;
  /** Run the analyzers (findings, fragmentation verdict) for redscope_* metrics (default true). */
  analyze?: boolean;
  /** Re-run them at most this often, ms (default 10 s); scrapes in between serve the last answer. */
  analyzeEveryMs?: number;
}

/** What one collection of a target yielded, shared by the scrapes that waited for it. */
interface Collection {
  snapshot: Snapshot | null;
  /** '' on success, else one line. */
  error: string;
  connectSeconds: number;
}

interface TargetState {
  spec: TargetSpec;
  link: Promise<RedisLink> | null;
  collector: Collector | null;
  /** The collection under way, which scrapes arriving meanwhile join. */
  inflight: Promise<Collection> | null;
  /** Findings and fragmentation verdict, on their own cadence; null when not wanted. */
  analysis: AnalysisCache | null;
  last: Snapshot | null;
  self: SelfStats;
  lastUsed: number;
  keys: KeyWorkResult | null;
  bgLink: Promise<RedisLink> | null;
  bgTimer: NodeJS.Timeout | null;
  bgBusy: boolean;
  closed: boolean;
}

/** Findings move on a scale of seconds; this bounds how stale a served one may be. */
const DEFAULT_ANALYZE_EVERY_MS = 10_000;

/** CONFIG changes rarely (CONFIG SET, restarts) yet is one of the largest replies of a scrape. */
const DEFAULT_CONFIG_EVERY_SECONDS = 30;

class Timeout extends Error {}

function withDeadline<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Timeout(`scrape timed out after ${(ms / 1000).toFixed(3)}s`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}

const oneLine = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n')[0]!;

/** The pool key: the address and the user, so two names for one server share nothing by surprise. */
function keyOf(spec: TargetSpec): string {
  return `${spec.name}|${spec.host ?? ''}:${spec.port ?? ''}|${spec.path ?? ''}|${spec.username ?? ''}|${spec.db}`;
}

export class TargetPool {
  private readonly states = new Map<string, TargetState>();

  constructor(private readonly opts: PoolOptions) {}

  private state(spec: TargetSpec): TargetState {
    const k = keyOf(spec);
    let s = this.states.get(k);
    if (!s) {
      const analysis = this.opts.analyze === false ? null : new AnalysisCache(this.opts.analyzeEveryMs ?? DEFAULT_ANALYZE_EVERY_MS);
      s = { spec, link: null, collector: null, inflight: null, analysis, last: null, self: { scrapes: 0, durationSum: 0, durationCount: 0 }, lastUsed: 0, keys: null, bgLink: null, bgTimer: null, bgBusy: false, closed: false };
      this.states.set(k, s);
    }
    s.lastUsed = Date.now();
    return s;
  }

  private collectOptions(spec: TargetSpec): CollectOptions {
    return {
      name: spec.name,
      bundled: this.opts.bundled?.has(spec.name),
      slowlogCount: this.opts.slowlogCount,
      configEverySeconds: this.opts.configEverySeconds ?? DEFAULT_CONFIG_EVERY_SECONDS,
    };
  }

  /** Open pooled links in use right now (for tests and /health). */
  get size(): number {
    return this.states.size;
  }

  /** The latest good Snapshot of a target, if any scrape read one. */
  lastSnapshot(spec: TargetSpec): Snapshot | null {
    return this.states.get(keyOf(spec))?.last ?? null;
  }

  /** A ready link for one-off commands (cluster discovery), from the pool. */
  async link(spec: TargetSpec): Promise<RedisLink> {
    const s = this.state(spec);
    s.link ??= openLink(spec, { reconnect: true, timeoutMs: this.opts.timeoutMs });
    return s.link;
  }

  /**
   * One scrape: never throws; a failure is `snapshot: null` with the reason in `error`. Scrapes
   * of a target that arrive while one of its collections is under way wait for that collection
   * instead of starting another (a flood of scrapes is one batch, not a queue of batches on the
   * link); each scrape is still bounded by its own deadline and counted as a scrape.
   */
  async scrape(spec: TargetSpec, deadlineMs: number): Promise<TargetScrape> {
    this.sweep();
    const s = this.state(spec);
    const t0 = performance.now();
    let inflight = s.inflight;
    if (!inflight) {
      const p = this.collectOnce(s, deadlineMs);
      s.inflight = inflight = p;
      void p.finally(() => {
        if (s.inflight === p) s.inflight = null;
      });
    }
    let c: Collection;
    try {
      c = await withDeadline(inflight, deadlineMs);
    } catch (err) {
      c = { snapshot: null, error: oneLine(err), connectSeconds: 0 };
    }
    const durationSeconds = (performance.now() - t0) / 1000;
    s.self.scrapes++;
    s.self.durationSum += durationSeconds;
    s.self.durationCount++;
    return {
      snapshot: c.snapshot,
      error: c.error,
      durationSeconds,
      connectSeconds: c.connectSeconds,
      self: { ...s.self },
      keys: s.keys,
      analysis: s.analysis?.latest ?? null,
    };
  }

  /** One collection of one target (shared by the scrapes that arrive meanwhile); never throws. */
  private async collectOnce(s: TargetState, deadlineMs: number): Promise<Collection> {
    const t0 = performance.now();
    // MEMORY STATS feeds only the fragmentation model: read it when the analyzers will run.
    const analyse = s.analysis?.due ?? false;
    let connectSeconds = 0;
    let fresh: Promise<RedisLink> | null = null;
    try {
      let collector: Collector;
      if (this.opts.fresh) {
        fresh = openLink(s.spec, { reconnect: false, timeoutMs: Math.min(this.opts.timeoutMs, deadlineMs) });
        const link = await fresh;
        connectSeconds = (performance.now() - t0) / 1000;
        collector = new Collector(link, this.collectOptions(s.spec));
      } else {
        s.link ??= openLink(s.spec, { reconnect: true, timeoutMs: this.opts.timeoutMs });
        const link = await s.link;
        connectSeconds = (performance.now() - t0) / 1000;
        s.collector ??= new Collector(link, this.collectOptions(s.spec));
        collector = s.collector;
      }
      const snap = await collector.collect({ memoryStats: analyse });
      const infoProblem = snap.problems.find((p) => p.startsWith('INFO:'));
      if (infoProblem) throw new Error(infoProblem);
      s.last = snap;
      if (analyse) s.analysis?.offer(snap);
      this.startKeyWork(s);
      return { snapshot: snap, error: '', connectSeconds };
    } catch (err) {
      // Relearn capabilities after a failure: what the first contact saw may have been the failure.
      s.collector = null;
      return { snapshot: null, error: oneLine(err), connectSeconds };
    } finally {
      // Also when every scrape waiting for it has given up: the connection is closed whenever it opens.
      (fresh as Promise<RedisLink> | null)?.then(
        (l) => l.close(),
        () => undefined,
      );
    }
  }

  private startKeyWork(s: TargetState): void {
    if (s.bgTimer || !keyWorkEnabled(this.opts.keyWork) || s.closed) return;
    const run = async () => {
      if (s.bgBusy || s.closed) return;
      s.bgBusy = true;
      try {
        s.bgLink ??= openLink(s.spec, { reconnect: true, timeoutMs: Math.max(this.opts.timeoutMs, 30_000) });
        const link = await s.bgLink;
        const dbs = Object.entries(s.last?.info.keyspace ?? {})
          .filter(([, k]) => k.keys > 0)
          .map(([db]) => Number(db));
        s.keys = await runKeyWork(link, dbs.length > 0 ? dbs : [s.spec.db], this.opts.keyWork);
      } catch (err) {
        s.keys = { finishedAt: Date.now(), durationMs: 0, scanned: 0, error: oneLine(err), groups: null, checked: [], counts: [] };
      } finally {
        s.bgBusy = false;
      }
    };
    s.bgTimer = setInterval(() => void run(), this.opts.intervalMs);
    s.bgTimer.unref();
    void run();
  }

  /** Waits until the first background key work of `spec` has finished (tests, `--once`). */
  async keyWorkDone(spec: TargetSpec, timeoutMs = 10_000): Promise<KeyWorkResult | null> {
    const s = this.states.get(keyOf(spec));
    const until = Date.now() + timeoutMs;
    while (s && !s.keys && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
    return s?.keys ?? null;
  }

  private closeState(s: TargetState): void {
    s.closed = true;
    if (s.bgTimer) clearInterval(s.bgTimer);
    for (const l of [s.link, s.bgLink]) l?.then((x) => x.close(), () => undefined);
    s.link = s.bgLink = null;
  }

  /** Drops targets nobody asked for in a while (one-off /scrape targets). */
  private sweep(): void {
    const now = Date.now();
    for (const [k, s] of this.states) {
      if (now - s.lastUsed > this.opts.idleMs) {
        this.closeState(s);
        this.states.delete(k);
      }
    }
  }

  close(): void {
    for (const s of this.states.values()) this.closeState(s);
    this.states.clear();
  }
}
