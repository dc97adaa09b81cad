// The one-line forms `redscope latency --history` and `--dist` print as each sampling window
// closes (like redis-cli --latency-history / --latency-dist rows), before the final report. Plain
// text, no ink: they stream while the sampler runs.

import type { SampleWindowJson } from './latency-view.js';

const ms = (us: number): string => (Number.isFinite(us) ? `${(us / 1000).toFixed(3)} ms` : '-');
const time = (unixMs: number): string => new Date(unixMs).toISOString().slice(11, 19);

/** One --history row, printed as each window closes. */
export function historyLine(w: SampleWindowJson, target?: string): string {
  return `${target ? `${target}  ` : ''}${time(w.startedAt)}  min ${ms(w.minUs)}  avg ${ms(w.avgUs)}  max ${ms(w.maxUs)}  (${w.count} samples, ${w.seconds.toFixed(2)} s)`;
}

/** One --dist row: the spectrum buckets hit in this window with their share. */
export function spectrumLine(w: SampleWindowJson, target?: string): string {
  const cells = (w.histogram ?? []).map((h) => `${h.label} ${Math.round(h.share * 100)}%`);
  return `${target ? `${target}  ` : ''}${time(w.startedAt)}  ${cells.join('  ')}`;
}
