// Intrinsic latency: the longest gap between two timed runs of the busy loop is the reported
// stall. A fake clock makes one run take long on purpose; a short real run gives sane numbers.

import { describe, expect, it } from 'vitest';
import { measureIntrinsicLatency } from '../../src/collect/intrinsic-latency.js';

describe('measureIntrinsicLatency', () => {
  it('reports the longest run as the worst stall, with each new maximum as it is seen', () => {
    // runs of 2 µs each, except the 5th which "was descheduled" for 500 µs
    let t = 0;
    let reads = 0;
    const monoUs = (): number => {
      reads++;
      if (reads === 1) return t;
      t += reads === 6 ? 500 : 2;
      return t;
    };
    const maxima: number[] = [];
    const r = measureIntrinsicLatency({ seconds: 0.001, monoUs, onNewMax: (us) => maxima.push(us) });
    expect(maxima).toEqual([2, 500]);
    expect(r.maxUs).toBe(500);
    expect(r.runs).toBe(reads - 1);
    expect(r.avgUs).toBeCloseTo(r.seconds * 1e6 / r.runs, 6);
    expect(r.worstRatio).toBeCloseTo(500 / r.avgUs, 6);
  });

  it('runs for real for a short while', () => {
    const r = measureIntrinsicLatency({ seconds: 0.02 });
    expect(r.runs).toBeGreaterThan(0);
    expect(r.maxUs).toBeGreaterThanOrEqual(r.avgUs);
    expect(r.seconds).toBeGreaterThanOrEqual(0.02);
  });
});
