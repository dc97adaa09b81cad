// The keys report from live samples (collect/key-sampler.ts): the biggest key per type by length
// (what redis-cli --bigkeys prints), the top keys by memory (--memkeys), the hottest by LFU counter
// (--hotkeys), prefix aggregation and the share of keys without a TTL. A pure fold: add() each
// sample, finish() once. The bounded structures (TopN, PrefixTree) are the RDB report's, so a live
// sample and a file read the same way.

import type { KeySample } from '../collect/key-sampler.js';
import { TopN } from '../report/big-keys.js';
import { PrefixTree, type PrefixRow } from '../report/prefix-tree.js';
import { keyText } from '../report/key-text.js';

export interface KeyRef {
  key: string;
  /** Present (true) when `key` was escaped because it is not printable text. */
  keyEscaped?: true;
  type: string;
  length: number | null;
  memoryBytes: number | null;
  ttlMs: number;
  freq?: number | null;
}

export interface TypeTotals {
  keys: number;
  /** Sum of lengths (elements / bytes for strings). */
  totalLength: number;
  memoryBytes: number;
}

export interface KeysReportResult {
  scanned: number;
  /** Biggest key per type by length (--bigkeys). */
  biggest: Record<string, KeyRef>;
  /** Top keys by memory (--memkeys). */
  top: KeyRef[];
  /** Hottest keys by OBJECT FREQ, when sampled under an LFU policy (--hotkeys). */
  hot: KeyRef[];
  types: Record<string, TypeTotals>;
  prefixes: Array<{ prefix: string | null; depth: number; keys: number; memoryBytes: number; noTtlKeys: number }>;
  noTtlKeys: number;
  noTtlPercent: number;
}

export interface KeysReportOptions {
  top?: number;
  separator?: string;
  depth?: number;
}

function ref(s: KeySample): KeyRef {
  const { text, escaped } = keyText(s.key);
  const r: KeyRef = { key: text, type: s.type, length: s.length, memoryBytes: s.memoryBytes, ttlMs: s.ttlMs };
  if (escaped) r.keyEscaped = true;
  if (s.freq !== null) r.freq = s.freq;
  return r;
}

export class KeysReport {
  private scanned = 0;
  private noTtl = 0;
  private readonly biggest = new Map<string, KeySample>();
  private readonly top: TopN<KeySample>;
  private readonly hot: TopN<KeySample>;
  private readonly types = new Map<string, TypeTotals>();
  private readonly prefixes: PrefixTree;

  constructor(private readonly opts: KeysReportOptions = {}) {
    const n = opts.top ?? 10;
    this.top = new TopN<KeySample>(n, (s) => s.memoryBytes ?? 0);
    this.hot = new TopN<KeySample>(n, (s) => s.freq ?? 0);
    this.prefixes = new PrefixTree({ separator: opts.separator ?? ':', depth: opts.depth ?? 2 });
  }

  add(s: KeySample): void {
    this.scanned++;
    if (s.ttlMs === -1) this.noTtl++;
    const cur = this.biggest.get(s.type);
    if (!cur || (s.length ?? -1) > (cur.length ?? -1)) this.biggest.set(s.type, s);
    if (s.memoryBytes !== null && this.top.admits(s.memoryBytes)) this.top.offer(s);
    if (s.freq !== null && s.freq > 0 && this.hot.admits(s.freq)) this.hot.offer(s);
    let t = this.types.get(s.type);
    if (!t) this.types.set(s.type, (t = { keys: 0, totalLength: 0, memoryBytes: 0 }));
    t.keys++;
    t.totalLength += s.length ?? 0;
    t.memoryBytes += s.memoryBytes ?? 0;
    this.prefixes.add(s.key, s.memoryBytes ?? 0, s.ttlMs !== -1);
  }

  finish(): KeysReportResult {
    const tree = this.prefixes.finish(this.opts.top ?? 10);
    return {
      scanned: this.scanned,
      biggest: Object.fromEntries([...this.biggest].map(([type, s]) => [type, ref(s)])),
      top: this.top.sorted().map(ref),
      hot: this.hot.sorted().map(ref),
      types: Object.fromEntries(this.types),
      prefixes: tree.rows.map((r: PrefixRow) => ({
        prefix: r.prefix === null ? null : keyText(r.prefix).text,
        depth: r.depth,
        keys: r.keys,
        memoryBytes: r.memoryBytes,
        noTtlKeys: r.noTtlKeys,
      })),
      noTtlKeys: this.noTtl,
      noTtlPercent: this.scanned === 0 ? 0 : (100 * this.noTtl) / this.scanned,
    };
  }
}
