// Clients blocked on keys (blocked.c): BLPOP, BLMOVE, BZPOPMIN and friends register here with
// the keys they wait for; when a write creates one of those keys the key is marked ready, and
// after the current command finishes the waiting clients are served in the order they blocked
// (Redis's fair FIFO). Timeouts reply with the command's timeout reply. A blocked client's
// pipeline stays parked until it is served.

import type { BlockState, Client } from './client.js';
import type { Db } from './keyspace.js';
import type { Engine } from './engine.js';

export class Blocking {
  /** "<db>\0<key>" -> clients blocked on it, in blocking order. */
  private readonly waiting = new Map<string, Client[]>();
  private readonly readyKeys: Array<{ db: Db; key: string }> = [];
  private readonly readySet = new Set<string>();
  private serving = false;

  constructor(private readonly engine: Engine) {}

  get blockedCount(): number {
    let n = 0;
    for (const c of this.engine.clients.values()) if (c.blocked) n++;
    return n;
  }

  /** True when a blocking command may really block (not inside MULTI/EXEC or a script). */
  canBlock(client: Client): boolean {
    return !client.inExec;
  }

  /** Parks `client` until one of `state.keys` can serve it or the deadline passes. */
  block(client: Client, state: BlockState): void {
    client.blocked = state;
    for (const key of state.keys) {
      const id = `${state.db.id}\0${key}`;
      let list = this.waiting.get(id);
      if (!list) this.waiting.set(id, (list = []));
      if (!list.includes(client)) list.push(client);
    }
    if (state.deadline > 0) {
      const delay = Math.max(0, state.deadline - Date.now());
      state.timer = setTimeout(() => {
        if (client.blocked !== state) return;
        this.unblock(client);
        state.timeout();
        this.engine.emit('unblocked', client, state);
        client.flush();
        client.resume();
      }, delay);
    }
  }

  /** Removes the client from every wait list (served, timed out, killed or CLIENT UNBLOCK). */
  unblock(client: Client): void {
    const state = client.blocked;
    if (!state) return;
    if (state.timer) clearTimeout(state.timer);
    for (const key of state.keys) {
      const id = `${state.db.id}\0${key}`;
      const list = this.waiting.get(id);
      if (!list) continue;
      const i = list.indexOf(client);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.waiting.delete(id);
    }
    client.blocked = null;
  }

  /** A key was created (or grew, for streams): blocked clients may be servable. */
  signal(db: Db, key: string): void {
    if (this.waiting.size === 0) return;
    const id = `${db.id}\0${key}`;
    if (!this.waiting.has(id) || this.readySet.has(id)) return;
    this.readySet.add(id);
    this.readyKeys.push({ db, key });
  }

  /** Serves clients waiting on ready keys; called after every command (handleClientsBlockedOnKeys). */
  serveReady(): void {
    if (this.serving || this.readyKeys.length === 0) return;
    this.serving = true;
    try {
      while (this.readyKeys.length > 0) {
        const { db, key } = this.readyKeys.shift()!;
        const id = `${db.id}\0${key}`;
        this.readySet.delete(id);
        const list = this.waiting.get(id);
        if (!list) continue;
        for (const client of [...list]) {
          const state = client.blocked;
          if (!state || state.db !== db) continue;
          const served = this.engine.withClock(Date.now(), () => state.serve(key));
          if (!served) continue;
          this.unblock(client);
          this.engine.emit('unblocked', client, state);
          client.flush();
          setImmediate(() => client.resume());
          if (!db.dict.has(key)) break;
        }
      }
    } finally {
      this.serving = false;
    }
  }
}
