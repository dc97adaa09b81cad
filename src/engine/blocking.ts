// Clients blocked on keys (blocked.c): BLPOP, BLMOVE, BZPOPMIN and friends register here with
// the keys they wait for; when a write creates one of those keys the key is marked ready, and
// after the current command finishes the waiting clients are served in the order they blocked
// (Redis's fair FIFO). Timeouts reply with the command's timeout reply. A blocked client's
// pipeline stays parked until it is served.

import type { BlockState, Client } from './client.js';
import type { Db } from './keyspace.js';
import type { Engine } from './engine.js';
import { latencyAddSampleIfNeeded } from './stats/latency-monitor.js';

const MAX_TIMER_MS = 2 ** 31 - 1;

export class Blocking {
  /** "<db>\0<key>" -> clients blocked on it, in blocking order. */
  private readonly waiting = new Map<string, Client[]>();

  /** How many keys have clients waiting on them. */
  waitingCount(): number {
    return this.waiting.size;
  }
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
      // Node fires a timer longer than 2^31-1 ms at once, so long waits re-arm in steps.
      const arm = (): void => {
        state.timer = setTimeout(() => {
          if (client.blocked !== state) return;
          if (Date.now() < state.deadline) return arm();
          this.finish(client, state, () => state.timeout());
        }, Math.min(Math.max(0, state.deadline - Date.now()), MAX_TIMER_MS));
      };
      arm();
    }
  }

  /**
   * Ends a blocked command with the final reply `reply` writes (timeout, CLIENT UNBLOCK): see finishIf.
   */
  finish(client: Client, state: BlockState, reply: () => void): void {
    this.finishIf(client, state, () => {
      reply();
      return true;
    });
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

  /**
   * Runs `attempt` (a serve attempt, or a final reply); when it wrote a reply, ends the blocked
   * command: unblocks the client, counts the command in commandstats as Redis does when a blocked
   * command completes, flushes, and lets the client's parked pipeline run. Returns whether it ended.
   */
  private finishIf(client: Client, state: BlockState, attempt: () => boolean): boolean {
    const engine = this.engine;
    const errorsBefore = engine.stats.totalErrorReplies;
    const t0 = performance.now();
    if (!attempt()) return false;
    this.unblock(client);
    const usec = (performance.now() - t0) * 1000;
    const st = engine.commandStats(state.command.name);
    st.calls++;
    st.usec += usec;
    if (engine.stats.totalErrorReplies > errorsBefore) st.failed++;
    // As Redis 7.0's updateStatsOnUnblock: a command that was served (or CLIENT UNBLOCKed, which
    // runs inside another client's command) reaches the slow log and latency histograms with its
    // original argv and its run time, not the wait; one that timed out (a timer) reaches neither.
    // CLIENT UNBLOCK frees the argv before logging, so Redis 7.0 logs it with no arguments.
    if (this.serving || engine.runningClient !== null) {
      const argv = this.serving ? state.argv : [];
      const observers = engine.callObservers;
      for (let i = 0; i < observers.length; i++) observers[i]!(state.command, argv, client, usec, state.startedAt);
      if (this.serving) latencyAddSampleIfNeeded(engine, 'command-unblocking', Math.floor(usec / 1000));
    }
    engine.emit('unblocked', client, state);
    client.flush();
    setImmediate(() => client.resume());
    return true;
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
          // AOF propagation (propagate.ts) logs the pop a served command performed (BLPOP -> LPOP).
          const prop = this.engine.propagator;
          const attempt = prop === undefined ? () => state.serve(key) : () => prop.serve(client, state, key);
          // Served as the client's own command: invalidations of keys it changes follow its reply.
          const served = this.engine.withClock(Date.now(), () => this.engine.tracking.asCaller(client, () => this.finishIf(client, state, attempt)));
          if (!served) continue;
          if (!db.dict.has(key)) break;
        }
      }
    } finally {
      this.serving = false;
    }
  }
}
