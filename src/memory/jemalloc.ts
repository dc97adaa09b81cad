// jemalloc rounds every request up to a size class, and Redis counts the rounded size: zmalloc
// tracks je_malloc_usable_size(), and MEMORY USAGE asks zmalloc_size() for every allocation it
// looks at. So the model never adds raw struct sizes where Redis would see an allocation; it
// rounds them here first.
//
// jemalloc 5.3 size classes come in groups of four per doubling. Below 4 x quantum they are
// multiples of the quantum (plus a tiny 8-byte class when the quantum is 16). The quantum is a
// build option: Debian's libjemalloc2 (what Debian's redis-server 7.0.15 links) uses the default
// lg-quantum 4 (16 bytes: 8, 16, 32, 48, 64, 80, 96, 112, 128, 160, ...); Redis's own bundled
// jemalloc is configured with --with-lg-quantum=3 (8 bytes: 8, 16, 24, 32, 40, 48, 56, 64, 80, ...).
// Small classes end at 14 KiB with 4 KiB pages; large classes (16 KiB, 20 KiB, 24 KiB, 28 KiB,
// 32 KiB, 40 KiB, ...) follow the same four-per-doubling rule, which is why one formula covers both.

export type LgQuantum = 3 | 4;

function floorLog2(x: number): number {
  if (x < 2 ** 31) return 31 - Math.clz32(x);
  let lg = 31;
  while (2 ** (lg + 1) <= x) lg++;
  return lg;
}

function computeSizeClass(n: number, lgQuantum: LgQuantum): number {
  if (n <= 8) return 8;
  const quantum = 2 ** lgQuantum;
  if (n <= 4 * quantum) return Math.ceil(n / quantum) * quantum;
  const delta = 2 ** (floorLog2(n - 1) - 2);
  return Math.ceil(n / delta) * delta;
}

/**
 * Whole-byte requests up to 64 KiB are answered from a table per quantum: the model asks for a
 * size class several times per key, which on big files means hundreds of millions of times.
 */
const TABLE_MAX = 65536;

function classTable(lgQuantum: LgQuantum): Uint32Array {
  const t = new Uint32Array(TABLE_MAX + 1);
  for (let n = 0; n <= TABLE_MAX; n++) t[n] = computeSizeClass(n, lgQuantum);
  return t;
}

const TABLE_Q3 = classTable(3);
const TABLE_Q4 = classTable(4);

/** The usable size jemalloc hands out for a request of `n` bytes (malloc(0) still takes 8). */
export function sizeClass(n: number, lgQuantum: LgQuantum = 4): number {
  if (n >= 0 && n <= TABLE_MAX && (n | 0) === n) {
    if (lgQuantum === 4) return TABLE_Q4[n]!;
    if (lgQuantum === 3) return TABLE_Q3[n]!;
  }
  return computeSizeClass(n, lgQuantum);
}

/** The small size classes (slab-allocated), for reports and documentation. */
export function smallClasses(lgQuantum: LgQuantum = 4): number[] {
  const out: number[] = [];
  for (let c = sizeClass(1, lgQuantum); c <= 14336; c = sizeClass(c + 1, lgQuantum)) out.push(c);
  return out;
}
