// Human formatting of bytes and durations, shared by every face so numbers read the same everywhere.

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** 1536 -> "1.50KiB"; exact bytes below 1 KiB. */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const neg = n < 0;
  let v = Math.abs(n);
  let i = 0;
  while (v >= 1024 && i < UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  const s = i === 0 ? `${v}B` : `${v.toFixed(2)}${UNITS[i]}`;
  return neg ? `-${s}` : s;
}

/** Redis-style human memory as INFO prints it (used_memory_human): "1.50K", "2.00M", "0B". */
export function redisHumanBytes(n: number): string {
  const units: Array<[number, string]> = [
    [1024 ** 5, 'P'],
    [1024 ** 4, 'T'],
    [1024 ** 3, 'G'],
    [1024 ** 2, 'M'],
    [1024, 'K'],
  ];
  for (const [size, suffix] of units) if (n >= size) return `${(n / size).toFixed(2)}${suffix}`;
  return `${n}B`;
}

/** Microseconds to a short readable duration: "850us", "12.3ms", "2.10s". */
export function formatMicros(us: number): string {
  if (us < 1000) return `${Math.round(us)}us`;
  if (us < 1_000_000) return `${(us / 1000).toFixed(us < 10_000 ? 2 : 1)}ms`;
  return `${(us / 1_000_000).toFixed(2)}s`;
}
