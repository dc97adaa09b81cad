// Redis dicts are chained hash tables whose bucket arrays are powers of two (at least 4 buckets)
// and grow when the element count reaches the bucket count (load factor 1). Growing allocates a
// second, bigger array and moves buckets over incrementally: one non-empty bucket per "rehash
// step", and a step happens on every lookup or insert that touches the dict. Until the last
// bucket has moved, both arrays exist, and MEMORY USAGE counts both (dictSlots()).
//
// Object dicts (hash, set, zset) are only rehashed by the commands that touch them, so a value
// that grew recently can still hold its old array. This file replays the growth with the number
// of steps each insert performs (2 for HSET/ZADD: a find then an add; 1 for SADD and for
// conversions), using the expected number of non-empty buckets of the old array
// (size x (1 - (1 - 1/size)^used), as keys hash uniformly). The real count varies by a few
// buckets with the hash seed, so a value that ends right at the boundary can go either way; the
// model picks the more likely side. The keyspace dict is also rehashed by serverCron, so at rest
// it holds one array; see keyspace.ts.

/** Table sizes and, while rehashing, the buckets still to move (expected value). */
export interface DictState {
  size0: number;
  /** Size of the array being filled while rehashing, 0 otherwise. */
  size1: number;
  used: number;
  /** Expected non-empty buckets left in the old array (rehashing only). */
  remaining: number;
}

export function emptyDict(): DictState {
  return { size0: 0, size1: 0, used: 0, remaining: 0 };
}

/** _dictNextExp(): the power of two Redis picks for `n` elements (at least the initial size). */
export function tableSizeFor(n: number, initial = 4): number {
  let s = initial;
  while (s < n) s *= 2;
  return s;
}

/** dictExpand() on a dict that has no table yet: presized, no rehash. */
export function presized(n: number, initial = 4): DictState {
  return { size0: tableSizeFor(n, initial), size1: 0, used: 0, remaining: 0 };
}

/** Both arrays' bucket counts (what dictSlots() returns). */
export function dictSlots(d: DictState): number {
  return d.size0 + d.size1;
}

function expectedNonEmpty(size: number, used: number): number {
  return size * (1 - Math.pow(1 - 1 / size, used));
}

/**
 * Inserts `count` new keys one at a time; each insert first performs `steps` rehash steps when a
 * rehash is under way (dictFind/dictAddRaw), then may start a rehash (_dictExpandIfNeeded), then
 * adds the entry.
 */
export function addToDict(state: DictState, count: number, steps: number, initial = 4): DictState {
  const d = { ...state };
  let n = count;
  while (n > 0) {
    if (d.size1 > 0) {
      // Rehashing: the insert whose pre-steps move the last bucket finishes it. The non-empty
      // bucket count is random around `remaining`; finishing once the steps reach its median
      // (remaining - 1/2) picks the more likely outcome.
      const toFinish = Math.max(1, Math.ceil((d.remaining - 0.5) / steps - 1e-9));
      if (steps === 0 || toFinish > n) {
        d.remaining -= n * steps;
        d.used += n;
        return d;
      }
      d.used += toFinish - 1;
      n -= toFinish - 1;
      d.size0 = d.size1;
      d.size1 = 0;
      d.remaining = 0;
      // The finishing insert continues below as an ordinary insert.
    }
    if (d.size0 === 0) d.size0 = initial;
    const room = d.size0 - d.used;
    if (room > 0) {
      const k = Math.min(room, n);
      d.used += k;
      n -= k;
      continue;
    }
    // used >= size: this insert starts a rehash into an array for used + 1, then adds itself there.
    d.size1 = tableSizeFor(d.used + 1, initial);
    d.remaining = expectedNonEmpty(d.size0, d.used);
    d.used += 1;
    n -= 1;
  }
  return d;
}

/**
 * dictExpand()/dictTryExpand() on a dict that may already hold entries: starts a rehash to the
 * size for `n` unless one is under way, `n` is below the element count, or the size is unchanged.
 */
export function expandDict(state: DictState, n: number, initial = 4): DictState {
  if (state.size0 === 0) return { ...presized(n, initial), used: state.used };
  if (state.size1 > 0 || state.used > n) return state;
  const size = tableSizeFor(n, initial);
  if (size === state.size0) return state;
  return { ...state, size1: size, remaining: expectedNonEmpty(state.size0, state.used) };
}

/** Bucket arrays of a dict: slots as dictSlots() counts them and their allocated bytes. */
export interface Buckets {
  slots: number;
  bytes: number;
}

export function bucketsOf(d: DictState, bucket: number): Buckets {
  return { slots: dictSlots(d), bytes: (d.size0 + d.size1) * bucket };
}

/**
 * The most likely buckets when the history depends on where the first of `k` marked elements
 * falls among `n` in random order (an RDB written from a hashtable lists its elements in hash
 * order): P(first at c) = C(n-1-c, k-1) / C(n, k); the bucket count with the highest total
 * probability wins.
 */
export function likelyBuckets(n: number, k: number, bucket: number, stateAt: (c: number) => DictState): Buckets {
  if (k <= 0 || k >= n) return bucketsOf(stateAt(0), bucket);
  const weight = new Map<number, number>();
  let prob = k / n;
  for (let c = 0; c <= n - k && prob > 1e-12; c++) {
    const slots = dictSlots(stateAt(c));
    weight.set(slots, (weight.get(slots) ?? 0) + prob);
    prob *= (n - c - k) / (n - 1 - c);
  }
  let best = 0;
  let bestWeight = -1;
  for (const [slots, w] of weight) if (w > bestWeight) [best, bestWeight] = [slots, w];
  return { slots: best, bytes: best * bucket };
}
