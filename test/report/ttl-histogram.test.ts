import { describe, expect, it } from 'vitest';
import { TtlHistogramBuilder, ttlBucket } from '../../src/report/ttl-histogram.js';

const NOW = 1_700_000_000_000;
const H = 3_600_000;

describe('TTL histogram', () => {
  it('puts each expiry in its bucket relative to now', () => {
    expect(ttlBucket(null, NOW)).toBe('none');
    expect(ttlBucket(NOW, NOW)).toBe('expired');
    expect(ttlBucket(NOW - 1, NOW)).toBe('expired');
    expect(ttlBucket(NOW + 1, NOW)).toBe('lt1h');
    expect(ttlBucket(NOW + H - 1, NOW)).toBe('lt1h');
    expect(ttlBucket(NOW + H, NOW)).toBe('lt1d');
    expect(ttlBucket(NOW + 24 * H, NOW)).toBe('lt7d');
    expect(ttlBucket(NOW + 7 * 24 * H, NOW)).toBe('later');
  });
  it('counts keys and memory', () => {
    const b = new TtlHistogramBuilder(NOW);
    b.add(null, 100);
    b.add(null, 50);
    b.add(NOW + 10, 7);
    const h = b.finish();
    expect(h.none).toEqual({ keys: 2, memoryBytes: 150 });
    expect(h.lt1h).toEqual({ keys: 1, memoryBytes: 7 });
    expect(h.later.keys).toBe(0);
  });
});
