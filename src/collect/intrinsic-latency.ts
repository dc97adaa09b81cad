// Intrinsic latency of THIS machine (`redscope latency --intrinsic SECONDS`): the same idea as
// redis-cli --intrinsic-latency. A short, fixed piece of CPU work runs over and over; each run
// should take the same few microseconds, so a run that took much longer means the process was not
// on a CPU (scheduler, hypervisor steal, swapping). No server is involved: run it on the Redis host
// to learn the floor no Redis setting can go below. It deliberately blocks the event loop.

export interface IntrinsicResult {
  seconds: number;
  runs: number;
  /** Mean duration of one run. */
  avgUs: number;
  avgNsPerRun: number;
  /** The longest run: the worst scheduling stall seen. */
  maxUs: number;
  /** maxUs / avgUs. */
  worstRatio: number;
}

export interface IntrinsicOptions {
  seconds: number;
  /** Called (synchronously) each time a new maximum is seen. */
  onNewMax?: (maxUs: number) => void;
  /** Monotonic clock in µs (tests pass their own). */
  monoUs?: () => number;
}

/** A fixed amount of work whose result is used, so the loop cannot be optimised away. */
function work(state: Uint8Array): number {
  let j = 0;
  for (let i = 0; i < 1000; i++) {
    const a = i & 255;
    j = (j + state[a]! + a) & 255;
    const t = state[a]!;
    state[a] = state[j]!;
    state[j] = t;
  }
  return state[j]!;
}

const hrUs = (): number => Number(process.hrtime.bigint()) / 1000;

export function measureIntrinsicLatency(opts: IntrinsicOptions): IntrinsicResult {
  const mono = opts.monoUs ?? hrUs;
  const state = new Uint8Array(256).map((_, i) => i);
  const start = mono();
  const end = start + opts.seconds * 1e6;
  let runs = 0;
  let maxUs = 0;
  let sink = 0;
  let t0 = start;
  while (t0 < end) {
    sink ^= work(state);
    const t1 = mono();
    const d = t1 - t0;
    runs++;
    if (d > maxUs) {
      maxUs = d;
      opts.onNewMax?.(maxUs);
    }
    t0 = t1;
  }
  const total = t0 - start;
  const avgUs = runs > 0 ? total / runs : 0;
  // `sink` keeps the work observable; it never changes the result.
  if (sink < 0) runs++;
  return { seconds: total / 1e6, runs, avgUs, avgNsPerRun: avgUs * 1000, maxUs, worstRatio: avgUs > 0 ? maxUs / avgUs : 0 };
}
