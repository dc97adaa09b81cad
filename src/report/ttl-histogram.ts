// How long the keys have left to live, in the buckets an operator asks about: no TTL at all
// (the keys that only eviction or a DEL will ever remove), already expired (still in the file,
// dropped on load by a master), and within an hour, a day, a week, or later. Relative to a `now`
// the caller passes in, so a report on an old snapshot can be read "as of" its save time.

export type TtlBucket = 'none' | 'expired' | 'lt1h' | 'lt1d' | 'lt7d' | 'later';

export const TTL_BUCKETS: ReadonlyArray<{ bucket: TtlBucket; label: string; upToMs: number }> = [
  { bucket: 'expired', label: 'expired', upToMs: 0 },
  { bucket: 'lt1h', label: '< 1 hour', upToMs: 3_600_000 },
  { bucket: 'lt1d', label: '< 1 day', upToMs: 86_400_000 },
  { bucket: 'lt7d', label: '< 7 days', upToMs: 7 * 86_400_000 },
  { bucket: 'later', label: 'later', upToMs: Infinity },
];

export interface TtlCounts {
  keys: number;
  memoryBytes: number;
}

export type TtlHistogram = Record<TtlBucket, TtlCounts>;

export function ttlBucket(expireAtMs: number | null, nowMs: number): TtlBucket {
  if (expireAtMs === null) return 'none';
  const left = expireAtMs - nowMs;
  if (left <= 0) return 'expired';
  if (left < 3_600_000) return 'lt1h';
  if (left < 86_400_000) return 'lt1d';
  if (left < 7 * 86_400_000) return 'lt7d';
  return 'later';
}

export class TtlHistogramBuilder {
  private readonly h: TtlHistogram = {
    none: { keys: 0, memoryBytes: 0 },
    expired: { keys: 0, memoryBytes: 0 },
    lt1h: { keys: 0, memoryBytes: 0 },
    lt1d: { keys: 0, memoryBytes: 0 },
    lt7d: { keys: 0, memoryBytes: 0 },
    later: { keys: 0, memoryBytes: 0 },
  };

  constructor(private readonly nowMs: number) {}

  add(expireAtMs: number | null, memoryBytes: number): TtlBucket {
    const b = ttlBucket(expireAtMs, this.nowMs);
    const c = this.h[b];
    c.keys++;
    c.memoryBytes += memoryBytes;
    return b;
  }

  finish(): TtlHistogram {
    return this.h;
  }
}
