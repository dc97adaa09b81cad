// The latency monitor (Redis's latency.c): code paths that can stall the server report how long
// they took, in whole milliseconds, and when that reaches `latency-monitor-threshold` (0 = off)
// the sample lands in a per-event time series. A series is a ring of 160 one-second slots (two
// spikes in the same second keep the larger), plus the all-time maximum since the last reset, so
// an operator always sees at least the last 160 seconds with a spike.
//
// Events are named where they happen and created on first use. `command` and `fast-command` come
// from every completed command (through engine.callObservers; `fast` is the command table's flag);
// other paths report through latencyAddSampleIfNeeded() (expire-cycle, eviction, unblocking...).
// LATENCY LATEST/HISTORY/RESET/GRAPH/DOCTOR read the series (commands/latency.ts, latency-graph.ts,
// latency-doctor.ts).

import type { Client } from '../client.js';
import type { CommandSpec } from '../command.js';
import type { Engine } from '../engine.js';

/** Redis's LATENCY_TS_LEN: slots per event. */
export const LATENCY_TS_LEN = 160;

export interface LatencySample {
  /** Unix seconds; 0 marks an empty slot. */
  time: number;
  /** Milliseconds. */
  latency: number;
}

/** One event's ring of samples and its all-time high. */
export class LatencySeries {
  /** Index of the next slot to write. */
  idx = 0;
  max = 0;
  readonly samples: LatencySample[] = Array.from({ length: LATENCY_TS_LEN }, () => ({ time: 0, latency: 0 }));

  add(latency: number, now: number): void {
    if (latency > this.max) this.max = latency;
    const prev = this.samples[(this.idx + LATENCY_TS_LEN - 1) % LATENCY_TS_LEN]!;
    if (prev.time === now) {
      if (latency > prev.latency) prev.latency = latency;
      return;
    }
    const slot = this.samples[this.idx]!;
    slot.time = now;
    slot.latency = latency;
    this.idx = (this.idx + 1) % LATENCY_TS_LEN;
  }

  /** The most recently written slot (LATENCY LATEST). */
  last(): LatencySample {
    return this.samples[(this.idx + LATENCY_TS_LEN - 1) % LATENCY_TS_LEN]!;
  }

  /** The filled slots, oldest first. */
  history(): LatencySample[] {
    const out: LatencySample[] = [];
    for (let j = 0; j < LATENCY_TS_LEN; j++) {
      const s = this.samples[(this.idx + j) % LATENCY_TS_LEN]!;
      if (s.time !== 0) out.push(s);
    }
    return out;
  }
}

/** What LATENCY DOCTOR says about one event (Redis's struct latencyStats), all integers. */
export interface LatencyStats {
  allTimeHigh: number;
  samples: number;
  avg: number;
  min: number;
  max: number;
  /** Mean absolute deviation from avg. */
  mad: number;
  /** Seconds from the oldest sample to now (at least 1 when there are samples). */
  period: number;
}

/** analyzeLatencyForEvent: integer average and mean deviation as Redis computes them. */
export function analyzeSeries(series: LatencySeries | undefined, nowSec: number): LatencyStats {
  const st: LatencyStats = { allTimeHigh: series?.max ?? 0, samples: 0, avg: 0, min: 0, max: 0, mad: 0, period: 0 };
  if (!series) return st;
  let sum = 0;
  let oldest = 0;
  const filled = series.samples.filter((s) => s.time !== 0);
  for (const s of filled) {
    st.samples++;
    if (st.samples === 1) st.min = st.max = s.latency;
    else {
      st.min = Math.min(st.min, s.latency);
      st.max = Math.max(st.max, s.latency);
    }
    sum += s.latency;
    if (oldest === 0 || s.time < oldest) oldest = s.time;
  }
  if (st.samples === 0) return st;
  st.avg = Math.floor(sum / st.samples);
  st.period = nowSec - oldest || 1;
  let dev = 0;
  for (const s of filled) dev += Math.abs(st.avg - s.latency);
  st.mad = Math.floor(dev / st.samples);
  return st;
}

export class LatencyMonitor {
  /** Event name -> series, in creation order. */
  readonly events = new Map<string, LatencySeries>();

  constructor(private readonly engine: Engine) {}

  get threshold(): number {
    return this.engine.config.num['latency-monitor-threshold'] ?? 0;
  }

  /** latencyAddSample: records unconditionally (callers check the threshold). */
  addSample(event: string, ms: number, nowSec = Math.floor(Date.now() / 1000)): void {
    let s = this.events.get(event);
    if (!s) this.events.set(event, (s = new LatencySeries()));
    s.add(ms, nowSec);
  }

  /** latencyResetEvent: drops the named series (case-insensitive), or all of them; returns how many. */
  reset(event?: string): number {
    let n = 0;
    const want = event?.toLowerCase();
    for (const name of [...this.events.keys()]) {
      if (want === undefined || name.toLowerCase() === want) {
        this.events.delete(name);
        n++;
      }
    }
    return n;
  }
}

// --- per-engine state ---------------------------------------------------------------------------

const monitors = new WeakMap<Engine, LatencyMonitor>();

/**
 * The engine's latency monitor, created (and hooked to engine.callObservers) on first use. The
 * engine calls this when it is created, so every command of its life is seen.
 */
export function latencyMonitorOf(engine: Engine): LatencyMonitor {
  const m = monitors.get(engine);
  if (m) return m;
  const created = new LatencyMonitor(engine);
  monitors.set(engine, created);
  engine.callObservers.push((spec: CommandSpec, _argv: string[], _client: Client, usec: number) => {
    const threshold = engine.config.num['latency-monitor-threshold'] ?? 0;
    if (threshold === 0) return;
    const ms = Math.floor(usec / 1000);
    if (ms >= threshold) created.addSample(spec.flags.includes('fast') ? 'fast-command' : 'command', ms);
  });
  return created;
}

/**
 * latencyAddSampleIfNeeded: the one call other subsystems make. `ms` is the whole milliseconds
 * the path took; nothing is recorded while the monitor is off or below its threshold.
 */
export function latencyAddSampleIfNeeded(engine: Engine, event: string, ms: number): void {
  const threshold = engine.config.num['latency-monitor-threshold'] ?? 0;
  if (threshold === 0 || ms < threshold) return;
  latencyMonitorOf(engine).addSample(event, Math.floor(ms));
}
