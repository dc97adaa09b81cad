// One frozen object per distinct label set, kept between scrapes. prom-client formats and escapes
// a sample's `sharedLabels` once per object (it remembers the text in a WeakMap keyed by the
// object, as its Histogram does for the buckets of one label set), so handing it the same object
// for `{cmd="get"}` scrape after scrape turns per-sample escaping and joining into one map lookup.
// The cache is bounded: two generations of at most `limit` sets each; a set unused for a whole
// generation is dropped (label values such as slow log patterns or error strings come and go).

export type Labels = Readonly<Record<string, string>>;

/** The empty label set, shared. */
export const NO_LABELS: Labels = Object.freeze({});

export class LabelCache {
  private current = new Map<string, Labels>();
  private previous = new Map<string, Labels>();

  constructor(private readonly limit = 20_000) {}

  /** The shared, frozen object equal to `labels` (which the caller may then drop or reuse). */
  intern(labels: Record<string, string>): Labels {
    // name=length:value — unambiguous whatever the values hold (names never contain '=').
    let key = '';
    for (const k in labels) {
      const v = labels[k]!;
      key += `${k}=${v.length}:${v}`;
    }
    if (key === '') return NO_LABELS;
    const hit = this.current.get(key);
    if (hit) return hit;
    let found = this.previous.get(key);
    if (!found) found = Object.freeze({ ...labels });
    if (this.current.size >= this.limit) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(key, found);
    return found;
  }

  /** Distinct label sets held (both generations; tests). */
  get size(): number {
    return this.current.size + this.previous.size;
  }
}

/** The cache every exporter in this process shares (label sets repeat across targets). */
export const LABELS = new LabelCache();
