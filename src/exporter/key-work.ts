// Key-level work (key groups by prefix, --check-keys, --check-single-keys, --count-keys) runs on
// its own interval in the background and is served from cache: a scrape never waits on a SCAN
// (redis_exporter runs it inside every scrape, which never finishes on big keyspaces). Key groups
// come from collect/key-sampler + analyze/keys (the same fold `redscope keys` prints); checks are
// pipelined per batch of keys. Cardinality is bounded: top-N prefixes, a cap on matched keys.

import type { Outcome, RedisLink, Reply } from '../target/link.js';
import { sampleKeys } from '../collect/key-sampler.js';
import { KeysReport } from '../analyze/keys.js';

export interface KeyPattern {
  db: number;
  pattern: string;
}

export interface KeyWorkOptions {
  /** Key groups by prefix (redscope_key_group_*). */
  groups: boolean;
  separator: string;
  /** Prefix depth (1 = "user:"; deeper levels are exported too and overlap their parents). */
  depth: number;
  /** Prefixes kept per level (the rest fold into "(other)"). */
  top: number;
  /** Stop a key-group scan after this many keys per db (0 = whole keyspace). */
  scanLimit: number;
  /** Cap on commands per second the background work sends (0 = no cap). */
  maxOpsPerSec: number;
  checkKeys: KeyPattern[];
  checkSingleKeys: KeyPattern[];
  countKeys: KeyPattern[];
  /** SCAN COUNT for checks and counts. */
  batchSize: number;
  /** Keys one --check-keys pattern may export (cardinality bound). */
  maxCheckedKeys: number;
}

export const DEFAULT_KEY_WORK: KeyWorkOptions = {
  groups: false,
  separator: ':',
  depth: 1,
  top: 20,
  scanLimit: 0,
  maxOpsPerSec: 0,
  checkKeys: [],
  checkSingleKeys: [],
  countKeys: [],
  batchSize: 1000,
  maxCheckedKeys: 1000,
};

export interface KeyGroupRow {
  db: number;
  /** The prefix text, separator included; "(other)" for a level's folded bucket. */
  prefix: string;
  depth: number;
  keys: number;
  memoryBytes: number;
  noTtlKeys: number;
}

export interface CheckedKey {
  db: number;
  key: string;
  size: number | null;
  value: number | null;
  memoryBytes: number | null;
}

export interface KeyWorkResult {
  finishedAt: number;
  durationMs: number;
  scanned: number;
  /** '' when the run succeeded. */
  error: string;
  /** null when key groups are off. */
  groups: KeyGroupRow[] | null;
  checked: CheckedKey[];
  counts: Array<KeyPattern & { count: number }>;
}

export function keyWorkEnabled(o: KeyWorkOptions): boolean {
  return o.groups || o.checkKeys.length + o.checkSingleKeys.length + o.countKeys.length > 0;
}

/** "db3=sessions:*,user:*" → [{db:3, pattern:"sessions:*"}, {db:0, pattern:"user:*"}] (redis_exporter's form). */
export function parseKeyPatterns(text: string | undefined): KeyPattern[] {
  if (!text) return [];
  return text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const m = /^db(\d+)=(.*)$/.exec(p);
      const raw = m ? m[2]! : p;
      let pattern = raw;
      try {
        pattern = decodeURIComponent(raw);
      } catch {
        // not URL-escaped: keep as written
      }
      return { db: m ? Number(m[1]) : 0, pattern };
    });
}

const LENGTH: Record<string, string> = { string: 'STRLEN', list: 'LLEN', set: 'SCARD', zset: 'ZCARD', hash: 'HLEN', stream: 'XLEN' };
const asNum = (o: Outcome): number | null => {
  if (!o.ok) return null;
  const x = typeof o.value === 'number' ? o.value : o.value === null || o.value === undefined || Array.isArray(o.value) ? NaN : Number(o.value);
  return Number.isFinite(x) ? x : null;
};

async function select(link: RedisLink, db: number): Promise<void> {
  const [r] = await link.batch([['SELECT', String(db)]]);
  if (!r!.ok) throw new Error(`SELECT ${db}: ${r!.error}`);
}

/** SCAN MATCH over one db; `visit` gets each batch of keys and may stop the walk by returning false. */
async function scanMatch(link: RedisLink, pattern: string, count: number, visit: (keys: string[]) => boolean | Promise<boolean>): Promise<void> {
  let cursor = '0';
  do {
    const [r] = await link.batch([['SCAN', cursor, 'MATCH', pattern, 'COUNT', String(count)]], { raw: true });
    if (!r!.ok) throw new Error(`SCAN: ${r!.error}`);
    const [next, keys] = r!.value as [string, Reply[]];
    cursor = String(next);
    if (!(await visit((keys ?? []).map(String)))) return;
  } while (cursor !== '0');
}

/** TYPE + MEMORY USAGE, then the length (and GET for strings), two round trips per batch. */
async function checkKeys(link: RedisLink, db: number, keys: string[]): Promise<CheckedKey[]> {
  if (keys.length === 0) return [];
  const first = await link.batch(keys.flatMap((k) => [['TYPE', k], ['MEMORY', 'USAGE', k]]), { raw: true });
  const types = keys.map((_, i) => {
    const o = first[2 * i]!;
    return o.ok ? String(o.value) : 'none';
  });
  const second = await link.batch(
    keys.flatMap((k, i) => {
      const t = types[i]!;
      // Two commands per key so replies stay at 2*i, 2*i+1: length (or EXISTS), then GET for strings.
      return [LENGTH[t] ? [LENGTH[t]!, k] : ['EXISTS', k], t === 'string' ? ['GET', k] : ['EXISTS', k]];
    }),
    { raw: true },
  );
  const out: CheckedKey[] = [];
  keys.forEach((key, i) => {
    const t = types[i]!;
    if (t === 'none') return;
    out.push({
      db,
      key,
      size: LENGTH[t] ? asNum(second[2 * i]!) : null,
      value: t === 'string' ? asNum(second[2 * i + 1]!) : null,
      memoryBytes: asNum(first[2 * i + 1]!),
    });
  });
  return out;
}

/** One background run against `link` (a link of its own: it SELECTs databases). */
export async function runKeyWork(link: RedisLink, dbs: number[], o: KeyWorkOptions): Promise<KeyWorkResult> {
  const t0 = Date.now();
  const res: KeyWorkResult = { finishedAt: 0, durationMs: 0, scanned: 0, error: '', groups: o.groups ? [] : null, checked: [], counts: [] };
  try {
    if (o.groups) {
      for (const db of dbs) {
        await select(link, db);
        const report = new KeysReport({ top: o.top, separator: o.separator, depth: o.depth });
        res.scanned += await sampleKeys(link, (s) => report.add(s), { count: 100, limit: o.scanLimit > 0 ? o.scanLimit : undefined, maxOpsPerSec: o.maxOpsPerSec || undefined });
        for (const p of report.finish().prefixes) {
          res.groups!.push({ db, prefix: p.prefix ?? '(other)', depth: p.depth, keys: p.keys, memoryBytes: p.memoryBytes, noTtlKeys: p.noTtlKeys });
        }
      }
    }
    for (const { db, pattern } of o.checkKeys) {
      await select(link, db);
      let taken = 0;
      await scanMatch(link, pattern, o.batchSize, async (keys) => {
        const room = o.maxCheckedKeys - taken;
        const some = keys.slice(0, room);
        taken += some.length;
        res.checked.push(...(await checkKeys(link, db, some)));
        return taken < o.maxCheckedKeys;
      });
    }
    const singles = new Map<number, string[]>();
    for (const { db, pattern } of o.checkSingleKeys) singles.set(db, [...(singles.get(db) ?? []), pattern]);
    for (const [db, keys] of singles) {
      await select(link, db);
      res.checked.push(...(await checkKeys(link, db, keys)));
    }
    for (const { db, pattern } of o.countKeys) {
      await select(link, db);
      let count = 0;
      await scanMatch(link, pattern, o.batchSize, (keys) => {
        count += keys.length;
        return true;
      });
      res.counts.push({ db, pattern, count });
    }
  } catch (err) {
    res.error = err instanceof Error ? err.message.split('\n')[0]! : String(err);
  }
  res.finishedAt = Date.now();
  res.durationMs = res.finishedAt - t0;
  return res;
}
