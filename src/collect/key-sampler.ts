// The keys sampler: walks the keyspace with SCAN the way redis-cli --bigkeys/--memkeys/--hotkeys
// do, but never hurries the server: each SCAN batch is followed by two pipelined round trips
// (TYPE + MEMORY USAGE + PTTL [+ OBJECT FREQ], then the type's length command), and an optional
// pause or ops-per-second cap spaces the batches out. It yields plain samples; what to make of
// them (biggest per type, top by memory, prefixes) is analyze/keys.ts's job.

import type { RedisLink, Reply } from '../target/link.js';
import type { Capabilities } from './snapshot.js';

export interface KeySample {
  /** Latin1 (binary-safe) key bytes. */
  key: string;
  type: string;
  /** STRLEN / LLEN / SCARD / ZCARD / HLEN / XLEN; null for types without a length command (modules) or when it failed. */
  length: number | null;
  /** MEMORY USAGE key SAMPLES n; null when the server cannot say. */
  memoryBytes: number | null;
  /** PTTL: -1 no TTL; -2 the key vanished between SCAN and now. */
  ttlMs: number;
  /** OBJECT FREQ (LFU policies only), else null. */
  freq: number | null;
}

export interface SampleOptions {
  /** SCAN COUNT hint (default 100). */
  count?: number;
  match?: string;
  /** Stop after this many keys (default: the whole keyspace). */
  limit?: number;
  /** MEMORY USAGE SAMPLES (default 0 = exact, like --memkeys-samples 0; 5 is Redis's default). */
  memorySamples?: number;
  /** Pause between SCAN batches, seconds (redis-cli -i). */
  sleepSeconds?: number;
  /** Cap on commands per second sent to the server (0 = no cap). */
  maxOpsPerSec?: number;
  /** Ask OBJECT FREQ (needs an LFU maxmemory-policy). */
  hotKeys?: boolean;
  /** Which commands the server lets us use (MEMORY may be missing). */
  capabilities?: Pick<Capabilities, 'memoryStats'>;
  onProgress?: (scanned: number) => void;
  /** Checked between batches; return true to stop early (Ctrl-C). */
  aborted?: () => boolean;
}

/** Length command per type (module types have none). */
const LENGTH_COMMAND: Record<string, string> = {
  string: 'STRLEN',
  list: 'LLEN',
  set: 'SCARD',
  zset: 'ZCARD',
  hash: 'HLEN',
  stream: 'XLEN',
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const asNumber = (r: { ok: boolean; value?: Reply }): number | null => (r.ok && typeof r.value === 'number' ? r.value : null);

/** Samples keys; calls `visit` for each. Returns how many keys were scanned. */
export async function sampleKeys(link: RedisLink, visit: (s: KeySample) => void, opts: SampleOptions = {}): Promise<number> {
  const count = String(opts.count ?? 100);
  const withMemory = opts.capabilities?.memoryStats ?? true;
  const memSamples = String(opts.memorySamples ?? 0);
  let cursor = '0';
  let scanned = 0;
  const started = Date.now();
  let ops = 0;
  do {
    if (opts.aborted?.()) break;
    const scanArgs = ['SCAN', cursor, 'COUNT', count, ...(opts.match ? ['MATCH', opts.match] : [])];
    const [scan] = await link.batch([scanArgs], { raw: true });
    if (!scan!.ok) throw new Error(`SCAN failed: ${scan!.error}`);
    const [next, keysReply] = scan!.value as [string, Reply[]];
    cursor = String(next);
    let keys = (keysReply ?? []).map(String);
    if (opts.limit !== undefined) keys = keys.slice(0, Math.max(0, opts.limit - scanned));
    if (keys.length > 0) {
      const perKey = ['TYPE', 'PTTL', ...(withMemory ? ['MEMORY'] : []), ...(opts.hotKeys ? ['OBJECT'] : [])];
      // Keys come back as latin1 text (one char per byte): send them as the same bytes.
      const bytes = keys.map((k) => Buffer.from(k, 'latin1'));
      const first: Array<Array<string | Buffer>> = [];
      for (const k of bytes) {
        first.push(['TYPE', k], ['PTTL', k]);
        if (withMemory) first.push(['MEMORY', 'USAGE', k, 'SAMPLES', memSamples]);
        if (opts.hotKeys) first.push(['OBJECT', 'FREQ', k]);
      }
      const out1 = await link.batch(first, { raw: true });
      const types = keys.map((_, i) => {
        const r = out1[i * perKey.length]!;
        return r.ok ? String(r.value) : 'none';
      });
      const second = bytes.map((k, i) => (LENGTH_COMMAND[types[i]!] ? [LENGTH_COMMAND[types[i]!]!, k] : ['EXISTS', k]));
      const out2 = await link.batch(second, { raw: true });
      ops += first.length + second.length + 1;
      keys.forEach((key, i) => {
        const base = i * perKey.length;
        const type = types[i]!;
        if (type === 'none') return; // deleted or expired since SCAN saw it
        visit({
          key,
          type,
          length: LENGTH_COMMAND[type] ? asNumber(out2[i]!) : null,
          memoryBytes: withMemory ? asNumber(out1[base + 2]!) : null,
          ttlMs: asNumber(out1[base + 1]!) ?? -1,
          freq: opts.hotKeys ? asNumber(out1[base + perKey.length - 1]!) : null,
        });
      });
      scanned += keys.length;
      opts.onProgress?.(scanned);
    }
    if (opts.limit !== undefined && scanned >= opts.limit) break;
    if (opts.sleepSeconds) await sleep(opts.sleepSeconds * 1000);
    if (opts.maxOpsPerSec) {
      const due = (ops / opts.maxOpsPerSec) * 1000 - (Date.now() - started);
      if (due > 0) await sleep(due);
    }
  } while (cursor !== '0');
  return scanned;
}
