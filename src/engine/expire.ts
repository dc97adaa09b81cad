// Active expiry (expire.c): on every cron tick, sample keys with a TTL in each database and delete
// the expired ones, repeating while more than a quarter of a sample was expired, within a time
// budget that grows with active-expire-effort. Each database keeps a cursor into its expires
// dictionary (a live Map iterator, which survives inserts and deletes) so successive ticks sweep
// the whole dictionary, as Redis's expires_cursor does. Lazy expiry on access is in keyspace.ts.

import type { Engine } from './engine.js';
import type { Db } from './keyspace.js';
import { latencyAddSampleIfNeeded } from './stats/latency-monitor.js';

const KEYS_PER_LOOP = 20;
const cursors = new WeakMap<Db, Iterator<[string, number]>>();

function nextExpire(db: Db): [string, number] | undefined {
  let it = cursors.get(db);
  if (!it) cursors.set(db, (it = db.expires.entries()));
  let r = it.next();
  if (r.done) {
    it = db.expires.entries();
    cursors.set(db, it);
    r = it.next();
  }
  return r.done ? undefined : r.value;
}

export function activeExpireCycle(engine: Engine): void {
  const t0 = Date.now();
  try {
    expireCycle(engine);
  } finally {
    latencyAddSampleIfNeeded(engine, 'expire-cycle', Date.now() - t0);
  }
}

function expireCycle(engine: Engine): void {
  const effort = (engine.config.num['active-expire-effort'] ?? 1) - 1;
  const perLoop = KEYS_PER_LOOP + Math.floor((KEYS_PER_LOOP / 4) * effort);
  const hz = Math.max(1, engine.config.num['hz'] ?? 10);
  // Redis spends up to 25% of a second's CPU (plus 2% per effort step), spread over hz ticks.
  const budgetMs = Math.max(1, (1000 * (25 + 2 * effort)) / 100 / hz);
  const start = Date.now();
  for (const db of engine.dbs) {
    for (let loop = 0; loop < 10_000; loop++) {
      const size = db.expires.size;
      if (size === 0) break;
      const now = Date.now();
      const sample = Math.min(perLoop, size);
      const victims: string[] = [];
      for (let i = 0; i < sample; i++) {
        const e = nextExpire(db);
        if (!e) break;
        if (e[1] <= now) victims.push(e[0]);
      }
      let expired = 0;
      for (const key of victims) if (db.expireIfNeeded(key)) expired++;
      if (expired * 4 < sample) break;
      if (Date.now() - start > budgetMs) return;
    }
  }
}
