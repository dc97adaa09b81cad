// The per-command latency histogram (INFO latencystats, LATENCY HISTOGRAM) keeps its counts in a
// flat array indexed by bucket; it must hold exactly what Redis's HDR layout holds: the lowest
// equivalent value of each 2-significant-digit bucket, floor(ns / 2^b) * 2^b with
// b = floor(log2(ns | 255)) - 7, over 1 ns .. 1 s.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../../src/engine/stats/info.js';

/** The bucket layout written out with logarithms, as a reference. */
function referenceCounts(usecs: number[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const usec of usecs) {
    let ns = Math.floor(usec) * 1000;
    if (ns < 1) ns = 1;
    if (ns > 1e9) ns = 1e9;
    const b = Math.floor(Math.log2(ns | 255)) - 7;
    const low = Math.floor(ns / 2 ** b) * 2 ** b;
    m.set(low, (m.get(low) ?? 0) + 1);
  }
  return m;
}

const sorted = (m: Map<number, number>) => [...m].sort((a, b) => a[0] - b[0]);

describe('LatencyHistogram', () => {
  it('buckets like the HDR layout, edges included', () => {
    const edges = [0, 0.2, 0.999, 1, 1.5, 255, 256, 257, 1023, 1024, 65535, 65536, 999_999, 1e6, 1e6 + 1, 5e6, 1e9];
    const generated = fc.sample(fc.oneof(fc.double({ min: 0, max: 2e6, noNaN: true }), fc.integer({ min: 0, max: 5000 })), { numRuns: 5000, seed: 5 });
    const all = [...edges, ...generated];
    const h = new LatencyHistogram();
    for (const u of all) h.record(u);
    expect(h.total).toBe(all.length);
    expect(sorted(h.counts)).toEqual(sorted(referenceCounts(all)));
  });

  it('answers percentiles from the lowest bucket up', () => {
    const h = new LatencyHistogram();
    for (let i = 0; i < 90; i++) h.record(3);
    for (let i = 0; i < 10; i++) h.record(2000);
    // 3000 ns: b = 4, bucket [2992, 3007]; 2,000,000 ns: b = 13, bucket [1,998,848, 2,007,039].
    expect(h.valueAtPercentile(0)).toBe(2992);
    expect(h.valueAtPercentile(50)).toBe(3007);
    expect(h.valueAtPercentile(90)).toBe(3007);
    expect(h.valueAtPercentile(99)).toBe(2_007_039);
    expect(new LatencyHistogram().valueAtPercentile(50)).toBe(0);
  });
});
