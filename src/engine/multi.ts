// WATCH bookkeeping for MULTI/EXEC (the optimistic-locking half of multi.c). Two indexes are
// kept in step: engine.watchedKeys ("<db>\0<key>" -> clients, so a write finds its watchers in
// one lookup) and client.watched (so UNWATCH, EXEC, DISCARD, RESET and a disconnect can drop a
// client's entries without scanning the engine). A key that was already logically expired when
// it was watched is flagged, because Redis 7.0 does not let its expiry (or its deletion) abort
// the transaction. The cleanup hooks are attached lazily, the first time WATCH runs on an engine.

import type { Client } from './client.js';
import type { Engine } from './engine.js';
import type { Db } from './keyspace.js';

function slot(dbId: number, key: string): string {
  return `${dbId}\0${key}`;
}

const installed = new WeakSet<Engine>();

/** Drops a client's watches and transaction when it disconnects or sends RESET (once per engine). */
export function installMulti(engine: Engine): void {
  if (installed.has(engine)) return;
  installed.add(engine);
  const forget = (client: Client) => discardTransaction(engine, client);
  engine.on('disconnect', forget);
  engine.on('reset-client', forget);
}

/** watchForKey: adds one key of the client's selected db, once. */
export function watchKey(engine: Engine, client: Client, db: Db, key: string): void {
  if (client.watched.some((w) => w.db === db && w.key === key)) return;
  const id = slot(db.id, key);
  let watchers = engine.watchedKeys.get(id);
  if (!watchers) engine.watchedKeys.set(id, (watchers = new Set()));
  watchers.add(client);
  client.watched.push({ db, key, expired: db.isExpired(key) });
}

/** unwatchAllKeys: removes every watch of the client from both indexes (the dirty flag stays). */
export function unwatchAll(engine: Engine, client: Client): void {
  if (client.watched.length === 0) return;
  for (const w of client.watched) {
    const id = slot(w.db.id, w.key);
    const watchers = engine.watchedKeys.get(id);
    if (!watchers) continue;
    watchers.delete(client);
    if (watchers.size === 0) engine.watchedKeys.delete(id);
  }
  client.watched = [];
}

/** isWatchedKeyExpired: a watched key (not stale at WATCH time) has logically expired since. */
export function watchedKeyExpired(client: Client): boolean {
  for (const w of client.watched) {
    if (!w.expired && w.db.isExpired(w.key)) return true;
  }
  return false;
}

/** discardTransaction: forgets the queue, both failure flags and every watch. */
export function discardTransaction(engine: Engine, client: Client): void {
  client.multi = null;
  client.multiError = false;
  client.multiBytes = 0;
  client.dirtyCas = false;
  unwatchAll(engine, client);
}
