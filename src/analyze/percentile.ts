// Percentiles by the nearest-rank method, shared by the slowlog, latency and sampling reports so a
// "p99" means the same thing in every table: the smallest sample with at least p% of samples at or
// below it. Works on a copy; never interpolates (every reported value was really observed).

/** Sorts a copy ascending. */
export function sortedCopy(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** Nearest-rank percentile of an ascending array; NaN when empty. `p` in 0..100. */
export function percentileSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/** Percentile of unsorted values. */
export function percentile(values: readonly number[], p: number): number {
  return percentileSorted(sortedCopy(values), p);
}
