// Client-side caching (Redis 6+'s tracking.c): the server remembers which keys each tracking
// client read and tells it when one of them changes, so the client can drop its local copy.
// Two modes, as in Redis:
// - default: read-only commands record (key -> client ids) in one table shared by every database;
//   the first write to a key sends `invalidate [key]` to each recorded client and forgets the key
//   (one message per key per read, never repeated until the client reads the key again);
// - BCAST: the client names key prefixes instead; every key written under one of them is
//   collected during the event-loop turn and sent once per prefix when the turn ends.
// Messages are RESP3 pushes (`>2 invalidate <keys>`) on the client's own connection, or go to the
// client it REDIRECTs to: as a push when that one speaks RESP3, as a `message` on the
// `__redis__:invalidate` channel when it is a RESP2 subscriber. A flush invalidates everything
// with a null instead of a key list. Messages for the client whose command is running wait until
// its reply is written (a key it changes itself, inside EXEC or a script), so pushes never split
// a reply. `tracking-table-max-keys` bounds the table: past it, the oldest keys are invalidated.

import type { Client } from './client.js';
import type { CommandSpec } from './command.js';
import type { Engine } from './engine.js';
import { pushText } from './pubsub.js';
import { commandKeys } from './commands/command-docs.js';

/** One client's settings (CLIENT TRACKING ON ...); `client.tracking` is null while tracking is off. */
export interface TrackingState {
  /** The client id messages go to; 0: this connection. */
  redirect: number;
  bcast: boolean;
  optin: boolean;
  optout: boolean;
  /** Leave out keys this client changed itself. */
  noloop: boolean;
  /** CLIENT CACHING yes (OPTIN) / no (OPTOUT) was given for the next command or transaction. */
  caching: boolean;
  /** The redirect target has disconnected (CLIENT LIST flag R, TRACKINGINFO broken_redirect). */
  brokenRedirect: boolean;
  /** BCAST prefixes; kept across a re-enable, as Redis keeps them until tracking is turned off. */
  prefixes: Set<string>;
}

/** The options CLIENT TRACKING ON parsed; the command checks their combinations first. */
export interface TrackingOptions {
  redirect: number;
  bcast: boolean;
  optin: boolean;
  optout: boolean;
  noloop: boolean;
  prefixes: string[];
}

/** One BCAST prefix: its subscribers, and the keys changed under it during this turn. */
interface PrefixState {
  clients: Set<Client>;
  /** key -> the client whose command changed it last (null: the server, e.g. expiry or eviction). */
  keys: Map<string, Client | null>;
}

/** Scripts that read: their inner read commands record the script's declared keys instead. */
const SCRIPT_READERS = new Set(['eval_ro', 'evalsha_ro', 'fcall_ro']);

const INVALIDATE_PUSH = '>2\r\n$10\r\ninvalidate\r\n';
const INVALIDATE_MESSAGE = '*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n';

/** RESP array of bulk strings, in the order given. */
function keyArray(keys: readonly string[]): string {
  let s = `*${keys.length}\r\n`;
  for (const k of keys) s += `$${k.length}\r\n${k}\r\n`;
  return s;
}

/** Byte order (keys are binary strings, one char per byte), the order Redis's radix trees keep. */
export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class Tracking {
  /** Default mode: key -> ids of the clients that read it since its last change. */
  private readonly table = new Map<string, Set<number>>();
  /** Sum of the table's id sets (INFO tracking_total_items). */
  private items = 0;
  private readonly prefixes = new Map<string, PrefixState>();
  /** Clients with tracking on (INFO tracking_clients). */
  clients = 0;
  /** Invalidations (a key, or null for a flush) for the running client, sent after its reply. */
  private readonly pending: Array<string | null> = [];
  private broadcastQueued = false;
  /** Rounds in a row that ended still over tracking-table-max-keys: each round tries harder. */
  private overLimitRounds = 0;

  constructor(private readonly engine: Engine) {
    engine.on('disconnect', (c: Client) => this.disable(c));
    engine.on('reset-client', (c: Client) => this.disable(c));
  }

  /** True when a write may have someone to tell: keys in the table, or BCAST prefixes. */
  get watching(): boolean {
    return this.table.size > 0 || this.prefixes.size > 0;
  }

  get totalKeys(): number {
    return this.table.size;
  }
  get totalItems(): number {
    return this.items;
  }
  get totalPrefixes(): number {
    return this.prefixes.size;
  }

  // --- turning it on and off -----------------------------------------------------------------

  /** CLIENT TRACKING ON (options already validated): keeps earlier prefixes, replaces the rest. */
  enable(c: Client, o: TrackingOptions): void {
    let t = c.tracking;
    if (t === null) {
      this.clients++;
      t = c.tracking = { redirect: 0, bcast: false, optin: false, optout: false, noloop: false, caching: false, brokenRedirect: false, prefixes: new Set() };
    }
    t.redirect = o.redirect;
    t.brokenRedirect = false;
    t.bcast = o.bcast;
    t.optin = o.optin;
    t.optout = o.optout;
    t.noloop = o.noloop;
    if (!o.bcast) return;
    for (const p of o.prefixes.length === 0 ? [''] : o.prefixes) {
      let ps = this.prefixes.get(p);
      if (!ps) this.prefixes.set(p, (ps = { clients: new Set(), keys: new Map() }));
      ps.clients.add(c);
      t.prefixes.add(p);
    }
  }

  /** CLIENT TRACKING OFF, RESET, disconnect. Ids left in the table are skipped when met. */
  disable(c: Client): void {
    const t = c.tracking;
    if (t === null) return;
    for (const p of t.prefixes) {
      const ps = this.prefixes.get(p);
      if (!ps) continue;
      ps.clients.delete(c);
      if (ps.clients.size === 0) this.prefixes.delete(p);
    }
    c.tracking = null;
    this.clients--;
  }

  /** The first pair of overlapping prefixes (one a prefix of the other), new ones against the client's and each other. */
  collision(c: Client, wanted: readonly string[]): string | null {
    const overlaps = (a: string, b: string) => (a.length <= b.length ? b.startsWith(a) : a.startsWith(b));
    for (let i = 0; i < wanted.length; i++) {
      const p = wanted[i]!;
      for (const old of c.tracking?.prefixes ?? []) {
        if (overlaps(old, p)) return `Prefix '${p}' overlaps with an existing prefix '${old}'. Prefixes for a single client must not overlap.`;
      }
      for (let j = i + 1; j < wanted.length; j++) {
        if (overlaps(p, wanted[j]!)) return `Prefix '${p}' overlaps with another provided prefix '${wanted[j]}'. Prefixes for a single client must not overlap.`;
      }
    }
    return null;
  }

  // --- reads --------------------------------------------------------------------------------

  /**
   * After a command ran (call()): a read-only command of a client tracking in default mode records
   * its keys, subject to OPTIN/OPTOUT and CLIENT CACHING. Whether the command succeeded does not matter.
   */
  afterCall(c: Client, spec: CommandSpec, argv: string[]): void {
    const t = c.tracking!;
    if (t.bcast || !spec.flags.includes('readonly') || SCRIPT_READERS.has(spec.name)) return;
    if (spec.flags.includes('pubsub')) return; // shard channels are keys to COMMAND, not to caches
    if (!this.wanted(t)) return;
    for (const ref of commandKeys(spec, argv)) this.remember(c, argv[ref.pos]!);
  }

  /** A script's read command: Redis records the keys the script declared (its numkeys keys). */
  afterScriptRead(caller: Client, scriptArgv: readonly string[]): void {
    const t = caller.tracking;
    if (t === null || t.bcast || !this.wanted(t)) return;
    const n = Number(scriptArgv[2]);
    for (let i = 3; i < 3 + n && i < scriptArgv.length; i++) this.remember(caller, scriptArgv[i]!);
  }

  private wanted(t: TrackingState): boolean {
    return t.optin ? t.caching : t.optout ? !t.caching : true;
  }

  private remember(c: Client, key: string): void {
    let ids = this.table.get(key);
    if (ids === undefined) this.table.set(key, (ids = new Set()));
    if (!ids.has(c.id)) {
      ids.add(c.id);
      this.items++;
    }
  }

  // --- writes -------------------------------------------------------------------------------

  /**
   * A key changed (signalModifiedKey). `by` is the client whose command changed it, null when the
   * server did (expiry, eviction): BCAST NOLOOP compares against it, default NOLOOP against the
   * client whose command is being processed.
   */
  keyChanged(key: string, by: Client | null): void {
    if (this.prefixes.size > 0) this.collect(key, by);
    const ids = this.table.get(key);
    if (ids === undefined) return;
    const engine = this.engine;
    const current = engine.currentClient;
    for (const id of ids) {
      const target = engine.clients.get(id);
      const t = target?.tracking;
      // Keys read before a switch to BCAST mode are not announced; nor are a NOLOOP client's own changes.
      if (target === undefined || t == null || t.bcast) continue;
      if (target === current && t.noloop) continue;
      if (target === current && engine.callDepth > 0) this.pending.push(key);
      else this.send(target, keyArray([key]));
    }
    this.items -= ids.size;
    this.table.delete(key);
  }

  /** FLUSHDB/FLUSHALL/DEBUG RELOAD: every tracking client hears `invalidate null`; the table empties. */
  flushed(): void {
    if (this.clients > 0) {
      const engine = this.engine;
      for (const c of engine.clients.values()) {
        if (c.tracking === null) continue;
        if (c === engine.currentClient && engine.callDepth > 0) this.pending.push(null);
        else this.send(c, null);
      }
    }
    this.table.clear();
    this.items = 0;
  }

  /** Sends what waited for the running client's reply; call() runs it when the outermost call ends. */
  flushPending(c: Client): void {
    if (this.pending.length === 0) return;
    const keys = this.pending.splice(0);
    if (c.tracking === null || c.closed) return;
    for (const k of keys) this.send(c, k === null ? null : keyArray([k]));
  }

  /**
   * Runs `fn` as a command of `c` outside call() (a blocked client being served): `c` is the
   * current client, so its own invalidations wait for the reply `fn` writes.
   */
  asCaller<T>(c: Client, fn: () => T): T {
    const e = this.engine;
    const outer = e.currentClient;
    e.currentClient = c;
    e.callDepth++;
    try {
      return fn();
    } finally {
      e.callDepth--;
      e.currentClient = outer;
      if (e.callDepth === 0) this.flushPending(c);
    }
  }

  get hasPending(): boolean {
    return this.pending.length > 0;
  }

  // --- BCAST ----------------------------------------------------------------------------------

  private collect(key: string, by: Client | null): void {
    for (const [p, ps] of this.prefixes) {
      if (!key.startsWith(p)) continue;
      ps.keys.delete(key); // the last writer counts, and the key keeps its place in byte order anyway
      ps.keys.set(key, by);
      if (!this.broadcastQueued) {
        this.broadcastQueued = true;
        setImmediate(() => this.broadcast());
      }
    }
  }

  /** The end of an event-loop turn (Redis's beforeSleep): one message per prefix per client. */
  broadcast(): void {
    this.broadcastQueued = false;
    const names = [...this.prefixes.keys()].sort(byteOrder);
    for (const p of names) {
      const ps = this.prefixes.get(p)!;
      if (ps.keys.size === 0) continue;
      const changed = [...ps.keys].sort((a, b) => byteOrder(a[0], b[0]));
      ps.keys.clear();
      const all = keyArray(changed.map(([k]) => k));
      for (const c of [...ps.clients]) {
        if (!c.tracking?.noloop) {
          this.send(c, all);
          continue;
        }
        const others = changed.filter(([, by]) => by !== c).map(([k]) => k);
        if (others.length > 0) this.send(c, keyArray(others));
      }
    }
  }

  // --- the size bound -----------------------------------------------------------------------

  /**
   * trackingLimitUsedSlots: over tracking-table-max-keys (0: no bound), invalidates keys, oldest
   * tracked first (Redis picks them by a random walk), up to 100 per round times the number of
   * rounds in a row that could not get under the bound. Runs before commands and from the cron.
   */
  limitKeys(): void {
    const max = this.engine.config.num['tracking-table-max-keys'] ?? 0;
    if (max === 0 || this.table.size <= max) {
      this.overLimitRounds = 0;
      return;
    }
    let effort = 100 * (this.overLimitRounds + 1);
    for (const key of this.table.keys()) {
      if (effort-- <= 0) break;
      this.keyChanged(key, null);
      if (this.table.size <= max) {
        this.overLimitRounds = 0;
        return;
      }
    }
    this.overLimitRounds++;
  }

  // --- delivery -------------------------------------------------------------------------------

  /**
   * sendTrackingMessage: `keys` is a RESP array of keys, or null for a flush. Goes to the client
   * or to its redirect target; a RESP2 connection without one can receive nothing.
   */
  private send(c: Client, keys: string | null): void {
    const t = c.tracking;
    if (t === null) return;
    const running = this.engine.runningClient;
    let to = c;
    if (t.redirect !== 0) {
      const target = this.engine.clients.get(t.redirect);
      if (target === undefined || target.closed) {
        t.brokenRedirect = true;
        if (c.proto === 3) pushText(c, `>2\r\n$21\r\ntracking-redir-broken\r\n:${t.redirect}\r\n`, running);
        return;
      }
      to = target;
    }
    let head: string;
    if (to.proto === 3) head = INVALIDATE_PUSH;
    else if (to !== c && to.subscriptionCount > 0) head = INVALIDATE_MESSAGE;
    else return;
    // A flush's null is written in the receiving connection's protocol (Redis uses the tracking
    // client's, which puts a RESP3 null into a RESP2 stream when the two differ).
    pushText(to, head + (keys ?? (to.proto === 3 ? '_\r\n' : '$-1\r\n')), running);
  }
}
