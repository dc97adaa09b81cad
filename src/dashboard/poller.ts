// One poller per target: a Snapshot every --interval through the one-pipeline Collector, rates
// between consecutive Snapshots, a bounded history of the numbers the charts draw, client-side
// PING round trips between polls (the latency a client really sees), and the analyzer's findings.
// A target that stops answering is marked "unreachable since HH:MM:SS" and retried with a growing
// delay; nothing in here ever throws into the screen: every failure becomes state to show.

import { analyzeSnapshot, type Finding } from '../analyze/index.js';
import { percentile } from '../analyze/percentile.js';
import { Collector } from '../collect/collector.js';
import { num } from '../collect/info-parser.js';
import { computeRates, type Rates } from '../collect/rates.js';
import type { Snapshot } from '../collect/snapshot.js';
import { describeError } from '../common/errors.js';
import { openLink, type RedisLink } from '../target/link.js';
import type { TargetSpec } from '../target/url.js';

/** Points kept per target: 5 minutes at the default 1 s interval. */
export const HISTORY_POINTS = 300;
/** Longest wait between retries of an unreachable target. */
const MAX_BACKOFF_MS = 30_000;
/** Client-side PINGs per poll interval. */
const PINGS_PER_INTERVAL = 5;
/** How many commands the throughput chart draws beside the total. */
export const TOP_COMMANDS = 3;

/** One moment of one target, as the charts draw it (null = not known at that moment). */
export interface Point {
  t: number;
  opsPerSec: number | null;
  /** calls/s of every command seen in this interval. */
  commandsPerSec: Record<string, number>;
  hitRatio: number | null;
  usedBytes: number | null;
  rssBytes: number | null;
  peakBytes: number | null;
  maxmemoryBytes: number | null;
  fragRatio: number | null;
  evictedPerSec: number | null;
  expiredPerSec: number | null;
  connected: number | null;
  blocked: number | null;
  rejectedPerSec: number | null;
  netInPerSec: number | null;
  netOutPerSec: number | null;
  pingP50Ms: number | null;
  pingP99Ms: number | null;
}

type Reading = (s: Snapshot, r: Rates | null) => number | null;
const field =
  (name: string): Reading =>
  (s) => {
    const v = num(s.info, name);
    return Number.isFinite(v) ? v : null;
  };

/** Which number each Point field comes from: an INFO field or a rate. */
const POINT_FIELDS: Record<Exclude<keyof Point, 't' | 'commandsPerSec' | 'pingP50Ms' | 'pingP99Ms'>, Reading> = {
  opsPerSec: (_, r) => r?.opsPerSec ?? null,
  hitRatio: (_, r) => r?.hitRatio ?? null,
  usedBytes: field('used_memory'),
  rssBytes: field('used_memory_rss'),
  peakBytes: field('used_memory_peak'),
  maxmemoryBytes: field('maxmemory'),
  fragRatio: field('mem_fragmentation_ratio'),
  evictedPerSec: (_, r) => r?.evictedKeysPerSec ?? null,
  expiredPerSec: (_, r) => r?.expiredKeysPerSec ?? null,
  connected: field('connected_clients'),
  blocked: field('blocked_clients'),
  rejectedPerSec: (_, r) => r?.rejectedConnectionsPerSec ?? null,
  netInPerSec: (_, r) => r?.netInputBytesPerSec ?? null,
  netOutPerSec: (_, r) => r?.netOutputBytesPerSec ?? null,
};

export function pointFrom(s: Snapshot, rates: Rates | null, pingsMs: readonly number[]): Point {
  const p = { t: s.takenAt, commandsPerSec: rates?.commandsPerSec ?? {} } as Point;
  for (const [k, read] of Object.entries(POINT_FIELDS) as Array<[keyof typeof POINT_FIELDS, Reading]>) p[k] = read(s, rates);
  p.pingP50Ms = pingsMs.length ? percentile(pingsMs, 50) : null;
  p.pingP99Ms = pingsMs.length ? percentile(pingsMs, 99) : null;
  return p;
}

export type TargetStatus = 'connecting' | 'up' | 'down';

/** Everything the screen shows about one target. */
export interface TargetState {
  index: number;
  spec: TargetSpec;
  bundled: boolean;
  /** The demo workload runs against this target. */
  demo: boolean;
  status: TargetStatus;
  /** Unix ms of the first failed poll of the current outage. */
  downSince: number | null;
  lastError: string | null;
  /** Unix ms of the next attempt while down. */
  nextRetryAt: number | null;
  snapshot: Snapshot | null;
  previous: Snapshot | null;
  rates: Rates | null;
  history: Point[];
  findings: Finding[];
  lastPollAt: number | null;
  polls: number;
  failedPolls: number;
}

export interface PollerOptions {
  intervalMs: number;
  timeoutMs: number;
  /** Called after every poll (success or failure). */
  onUpdate?: (state: TargetState) => void;
  /** false: start() does not sample PING latency (default true). */
  sampleLatency?: boolean;
}

/** Delay before the next attempt after `failures` failed polls in a row. */
export function backoffMs(intervalMs: number, failures: number): number {
  return Math.min(intervalMs * 2 ** Math.max(0, failures - 1), Math.max(MAX_BACKOFF_MS, intervalMs));
}

/** Local HH:MM:SS of a unix ms time. */
export function clock(ms: number): string {
  const d = new Date(ms);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((x) => String(x).padStart(2, '0')).join(':');
}

export class TargetPoller {
  readonly state: TargetState;
  private link: RedisLink | null = null;
  private collector: Collector | null = null;
  private timer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private pings: number[] = [];
  private pingInFlight = false;
  private failuresInRow = 0;
  private stopped = false;

  constructor(
    index: number,
    spec: TargetSpec,
    flags: { bundled: boolean; demo: boolean },
    private readonly opts: PollerOptions,
  ) {
    this.state = {
      index,
      spec,
      bundled: flags.bundled,
      demo: flags.demo,
      status: 'connecting',
      downSince: null,
      lastError: null,
      nextRetryAt: null,
      snapshot: null,
      previous: null,
      rates: null,
      history: [],
      findings: [],
      lastPollAt: null,
      polls: 0,
      failedPolls: 0,
    };
  }

  /** Starts polling now; returns at once (the link opens in the background). */
  start(): void {
    this.schedule(0);
    if (this.opts.sampleLatency !== false) this.startSampling();
  }

  /** Starts the client-side PING sampling (PINGS_PER_INTERVAL per interval) without polling. */
  startSampling(): void {
    if (this.pingTimer || this.stopped) return;
    const every = Math.max(20, Math.floor(this.opts.intervalMs / PINGS_PER_INTERVAL));
    this.pingTimer = setInterval(() => void this.samplePing(), every);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.link?.close();
    this.link = null;
  }

  /** Forgets the charted history (the `r` key); the latest snapshot stays. */
  resetHistory(): void {
    this.state.history = [];
  }

  /** One poll now; resolves when its outcome is in the state. Never rejects. */
  async pollOnce(): Promise<void> {
    const st = this.state;
    try {
      if (!this.link) {
        this.link = await openLink(st.spec, { timeoutMs: this.opts.timeoutMs, reconnect: true });
        this.collector = new Collector(this.link, { name: st.spec.name, bundled: st.bundled });
        if (this.stopped) this.link.close();
      }
      const snap = await this.collector!.collect();
      const pings = this.pings;
      this.pings = [];
      const previous = st.snapshot;
      const rates = previous ? computeRates(previous, snap) : null;
      st.previous = previous;
      st.snapshot = snap;
      st.rates = rates;
      st.history.push(pointFrom(snap, rates, pings));
      if (st.history.length > HISTORY_POINTS) st.history.splice(0, st.history.length - HISTORY_POINTS);
      st.findings = safeFindings(snap, rates, previous);
      st.status = 'up';
      st.downSince = null;
      st.lastError = null;
      st.nextRetryAt = null;
      this.failuresInRow = 0;
    } catch (err) {
      this.failuresInRow++;
      st.failedPolls++;
      st.status = 'down';
      st.downSince ??= Date.now();
      st.lastError = describeError(err);
    }
    st.polls++;
    st.lastPollAt = Date.now();
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.pollOnce().then(() => {
        if (this.stopped) return;
        const delay = this.state.status === 'down' ? backoffMs(this.opts.intervalMs, this.failuresInRow) : this.opts.intervalMs;
        this.state.nextRetryAt = this.state.status === 'down' ? Date.now() + delay : null;
        try {
          this.opts.onUpdate?.(this.state);
        } catch {
          // a drawing problem must not stop the polling
        }
        this.schedule(delay);
      });
    }, delayMs);
  }

  private async samplePing(): Promise<void> {
    if (this.pingInFlight || !this.link?.up || this.state.status !== 'up') return;
    this.pingInFlight = true;
    const t0 = performance.now();
    try {
      await this.link.call('PING');
      this.pings.push(performance.now() - t0);
      if (this.pings.length > 1000) this.pings.shift();
    } catch {
      // a failed PING shows up as a failed poll soon enough
    } finally {
      this.pingInFlight = false;
    }
  }
}

/** The analyzer's findings; an analyzer bug must not take the dashboard down. */
function safeFindings(snapshot: Snapshot, rates: Rates | null, previous: Snapshot | null): Finding[] {
  try {
    return analyzeSnapshot({ snapshot, rates: rates ?? undefined, previous: previous ?? undefined });
  } catch (err) {
    return [{ id: 'dashboard-analyzer-error', severity: 'info', area: 'commands', title: 'The analyzer failed on this snapshot', evidence: describeError(err), advice: 'Report this with `redscope dashboard --once` output.' }];
  }
}
