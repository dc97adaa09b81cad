// Client-side latency sampling, the way redis-cli --latency / --latency-history / --latency-dist
// measure it: a PING every few milliseconds over one link, each round trip timed on this side in
// microseconds. The samples are cut into windows (one per history row or spectrum line) and
// handed back raw; min/avg/max are computed here, percentiles and the spectrum by
// analyze/latency.ts's distribution(). What it measures is the whole path: network, the server's
// event loop and this process.

import type { RedisLink } from '../target/link.js';

export interface SampleStats {
  count: number;
  minUs: number;
  avgUs: number;
  maxUs: number;
}

export interface LatencyWindow extends SampleStats {
  /** Unix ms when the window started, and its length in seconds as measured. */
  startedAt: number;
  seconds: number;
  samplesUs: number[];
}

export interface LatencySample extends SampleStats {
  seconds: number;
  intervalMs: number;
  samplesUs: number[];
  windows: LatencyWindow[];
}

export interface SamplerOptions {
  /** Total sampling time. */
  durationMs: number;
  /** Pause between PINGs (redis-cli: 10 ms). */
  intervalMs?: number;
  /** Window length (history rows / spectrum lines); default: one window for the whole run. */
  windowMs?: number;
  /** Called as each window closes. */
  onWindow?: (w: LatencyWindow) => void;
  /** Checked before each PING; true stops early (Ctrl-C). */
  aborted?: () => boolean;
  /** Clocks and sleep, replaceable in tests: wall ms, monotonic µs. */
  now?: () => number;
  monoUs?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** min/avg/max of samples (NaN for none). */
export function sampleStats(samplesUs: readonly number[]): SampleStats {
  if (samplesUs.length === 0) return { count: 0, minUs: NaN, avgUs: NaN, maxUs: NaN };
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const v of samplesUs) {
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  return { count: samplesUs.length, minUs: min, avgUs: sum / samplesUs.length, maxUs: max };
}

const realSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const hrUs = (): number => Number(process.hrtime.bigint()) / 1000;

/** PINGs the link for `durationMs`; a link failure rejects (TargetError), an error reply too. */
export async function sampleLatency(link: RedisLink, opts: SamplerOptions): Promise<LatencySample> {
  const now = opts.now ?? Date.now;
  const mono = opts.monoUs ?? hrUs;
  const sleep = opts.sleep ?? realSleep;
  const intervalMs = opts.intervalMs ?? 10;
  const windowMs = opts.windowMs ?? opts.durationMs;
  const start = now();
  const all: number[] = [];
  const windows: LatencyWindow[] = [];
  let winStart = start;
  let win: number[] = [];
  const close = (at: number): void => {
    const w: LatencyWindow = { startedAt: winStart, seconds: (at - winStart) / 1000, samplesUs: win, ...sampleStats(win) };
    windows.push(w);
    opts.onWindow?.(w);
    winStart = at;
    win = [];
  };
  for (;;) {
    if (opts.aborted?.()) break;
    const t = now();
    if (t - start >= opts.durationMs) break;
    // A window holds the PINGs sent while it was open.
    if (t - winStart >= windowMs) close(t);
    const t0 = mono();
    await link.call('PING');
    const rtt = mono() - t0;
    all.push(rtt);
    win.push(rtt);
    await sleep(intervalMs);
  }
  const end = now();
  if (win.length > 0 || windows.length === 0) close(end);
  return { seconds: (end - start) / 1000, intervalMs, samplesUs: all, windows, ...sampleStats(all) };
}
