// The engine's shared state (Redis's `server` struct): databases, configuration, connected
// clients, the command table, statistics, and the registries that cross clients (watched keys,
// blocked clients, pub/sub). Networking is in server.ts, command execution in dispatch.ts.

import { EventEmitter } from 'node:events';
import { Config } from './config.js';
import { Db, type DbHost } from './keyspace.js';
import type { Client } from './client.js';
import type { CommandSpec, CommandStats } from './command.js';

/**
 * Told about every completed command (after its stats are counted): latency histograms, the
 * slow log and the latency monitor hang here. `usec` is the handler's run time, `startMs` the
 * wall clock when it started. Plain array of functions: the hot path pays one loop, no events.
 */
export type CallObserver = (spec: CommandSpec, argv: string[], client: Client, usec: number, startMs: number) => void;
import { buildCommandTable } from './commands/index.js';
import { Blocking } from './blocking.js';
import { activeExpireCycle } from './expire.js';
import { infoState } from './stats/info.js';
import { slowlogOf } from './stats/slowlog.js';
import { latencyAddSampleIfNeeded, latencyMonitorOf } from './stats/latency-monitor.js';
import { accessEntry, installEviction } from './evict.js';
import { memoryAccounting, type MemoryAccounting } from './memory-accounting.js';
import type { Entry } from './keyspace.js';
import { notifyEvent, parseNotifyFlags } from './notify.js';
import type { Propagator } from './propagate.js';
import { aofOf } from './persist/aof.js';
import { aclOf } from './acl.js';
import { Tracking } from './tracking.js';
import { replicationIfAny } from './replication.js';

export interface EngineStats {
  keyspaceHits: number;
  keyspaceMisses: number;
  expiredKeys: number;
  evictedKeys: number;
  connectionsReceived: number;
  rejectedConnections: number;
  commandsProcessed: number;
  totalErrorReplies: number;
  netInputBytes: number;
  netOutputBytes: number;
  queryBufferLimitDisconnections: number;
  /** Socket reads and writes (INFO total_reads_processed / total_writes_processed). */
  readsProcessed: number;
  writesProcessed: number;
  /** Lazy-free counter (INFO lazyfreed_objects). */
  lazyfreedObjects: number;
  /** Clients evicted by maxmemory-clients (INFO evicted_clients). */
  evictedClients: number;
  /** errorstats: error prefix -> count */
  errors: Map<string, number>;
  /** commandstats: full command name ("get", "config|get") -> counters */
  commands: Map<string, CommandStats>;
}

function freshStats(): EngineStats {
  return {
    keyspaceHits: 0,
    keyspaceMisses: 0,
    expiredKeys: 0,
    evictedKeys: 0,
    connectionsReceived: 0,
    rejectedConnections: 0,
    commandsProcessed: 0,
    totalErrorReplies: 0,
    netInputBytes: 0,
    netOutputBytes: 0,
    queryBufferLimitDisconnections: 0,
    readsProcessed: 0,
    writesProcessed: 0,
    lazyfreedObjects: 0,
    evictedClients: 0,
    errors: new Map(),
    commands: new Map(),
  };
}

export class Engine extends EventEmitter implements DbHost {
  readonly config: Config;
  readonly dbs: Db[];
  readonly clients = new Map<number, Client>();
  readonly commands: Map<string, CommandSpec>;
  /**
   * Top-level specs by the name exactly as clients send it ("SET", "set"), filled by dispatch on
   * first use: saves lower-casing (a new string) per command. Clear it if `commands` is changed.
   */
  readonly commandsByRawName = new Map<string, CommandSpec>();
  readonly blocking = new Blocking(this);
  /** See CallObserver; register with push(). */
  readonly callObservers: CallObserver[] = [];
  stats: EngineStats = freshStats();
  /** Changes since the last save (rdb_changes_since_last_save). */
  dirty = 0;
  readonly startedAt = Date.now();
  lastSave = Math.floor(Date.now() / 1000);
  private nextClientId = 1;
  /** Watched keys: "<db>\0<key>" -> clients watching it. */
  readonly watchedKeys = new Map<string, Set<Client>>();
  /** Pub/sub registries: channel -> subscribers, pattern -> subscribers. */
  readonly pubsubChannels = new Map<string, Set<Client>>();
  readonly pubsubPatterns = new Map<string, Set<Client>>();
  /** SSUBSCRIBE registry: shard channel -> subscribers. */
  readonly pubsubShardChannels = new Map<string, Set<Client>>();
  /** The config file the engine was started with (INFO config_file, CONFIG REWRITE). */
  configFile?: string;
  /** The TCP port the network layer listens on (INFO tcp_port). */
  listenPort = 0;
  /** The program that runs the engine (INFO executable). */
  executable?: string;
  /** The client whose command is running (null in cron work): its own pushes queue with its reply. */
  runningClient: Client | null = null;
  /**
   * The client whose command processCommand is handling, from its first check to its last
   * (server.current_client): unlike runningClient it stays the caller inside scripts and EXEC.
   */
  currentClient: Client | null = null;
  /** How many call()s are in progress (EXEC and scripts nest them): 0 between commands. */
  callDepth = 0;
  /** Client-side caching: tracked keys, BCAST prefixes, pending invalidations (tracking.ts). */
  readonly tracking: Tracking;
  /** performance.now() when the last call() ended: the network layer dates pipelined commands by it. */
  lastCallEnd = 0;
  /** Enabled keyspace-notification letters (notify-keyspace-events expanded; "" = off). */
  notifyFlags = '';
  /** DEBUG SET-DISABLE-DENY-SCRIPTS: scripts may call commands flagged noscript (Redis's test hook). */
  scriptsMayCallNoscript = false;
  /** DEBUG SET-ACTIVE-EXPIRE */
  activeExpire = true;
  lazyExpire = true;
  /**
   * A script past busy-reply-threshold is running, yielding to the event loop between slices
   * (scripting/busy.ts): the BUSY error other clients' commands get, or null when none is.
   */
  busyReply: string | null = null;
  /** Some ACL user lacks full permissions (acl.ts keeps it): only then does dispatch check them. */
  aclRestricted = false;
  /** Present while the AOF or replicas consume the propagation stream (propagate.ts attachSink): dispatch hands it every write. */
  propagator: Propagator | undefined = undefined;
  /**
   * A command still running past its handler that must see no other command until it ends (MIGRATE,
   * whose transfer Redis makes with blocking calls): every other client's commands wait.
   */
  heldBy: Client | null = null;
  /** CLIENT PAUSE: until when, and whether only writes are paused. */
  pause: { until: number; writesOnly: boolean } | null = null;
  /**
   * Installed by the eviction code (evict.ts): runs performEvictions before a command when
   * maxmemory is set, and returns the OOM error text when this command must be refused.
   */
  checkOom: ((client: Client, spec?: CommandSpec) => string | null) | null = null;
  /** used_memory bookkeeping (memory-accounting.ts), told of every key change, removal and flush. */
  readonly memory: MemoryAccounting;
  /** maxmemory-policy is an LFU one: accesses bump the LFU counter (kept in step by a config hook). */
  lfuPolicy = false;
  /**
   * min-replicas-to-write (with min-replicas-max-lag) asks for more good replicas than follow the
   * engine: writes are refused with NOREPLICAS (replication.ts keeps the count).
   */
  writesNeedReplicas = false;
  private cron: NodeJS.Timeout | null = null;
  /** A command currently runs with this fixed clock (ms), or 0 outside commands. */
  private fixedNow = 0;

  constructor(config?: Config) {
    super();
    this.config = config ?? new Config();
    const n = this.config.num['databases']!;
    this.dbs = Array.from({ length: n }, (_, i) => new Db(i, this));
    this.commands = buildCommandTable();
    this.lfuPolicy = this.config.get('maxmemory-policy').endsWith('-lfu');
    this.writesNeedReplicas = this.lacksGoodReplicas();
    this.memory = memoryAccounting(this);
    this.tracking = new Tracking(this);
    installEviction(this);
    infoState(this); // INFO's samplers and latency histograms cover the engine's whole life
    slowlogOf(this);
    latencyMonitorOf(this);
    this.notifyFlags = parseNotifyFlags(this.config.given('notify-keyspace-events'));
    aofOf(this); // CONFIG SET appendonly yes|no starts and stops the AOF on every engine
    aclOf(this); // users: the default one follows requirepass; aclfile is loaded now
    // From the text as given: Redis keeps "n" with "A" although CONFIG GET then prints only "A...".
    this.config.onChange((name, _value, given) => {
      if (name === 'notify-keyspace-events') this.notifyFlags = parseNotifyFlags(given);
      else if (name === 'maxmemory-policy') this.lfuPolicy = this.config.get('maxmemory-policy').endsWith('-lfu');
      else if (name === 'min-replicas-to-write' || name === 'min-replicas-max-lag') this.writesNeedReplicas = this.lacksGoodReplicas();
    });
  }

  /** checkGoodReplicasStatus fails: both settings non-zero and fewer good replicas than asked. */
  private lacksGoodReplicas(): boolean {
    const wanted = this.config.num['min-replicas-to-write'] ?? 0;
    return wanted > 0 && (this.config.num['min-replicas-max-lag'] ?? 0) > 0 && (replicationIfAny(this)?.goodReplicas ?? 0) < wanted;
  }

  /** Recomputes writesNeedReplicas (replication.ts calls it as replicas come, go and acknowledge). */
  refreshWritesNeedReplicas(): void {
    this.writesNeedReplicas = this.lacksGoodReplicas();
  }

  now(): number {
    return this.fixedNow || Date.now();
  }

  /** Freezes the clock at `now` (0 unfreezes); returns the previous setting, for nesting. */
  freezeClock(now: number): number {
    const prev = this.fixedNow;
    this.fixedNow = now;
    return prev;
  }

  /** Runs `fn` with the clock frozen, as Redis caches mstime for a command's duration. */
  withClock<T>(now: number, fn: () => T): T {
    const prev = this.fixedNow;
    this.fixedNow = now;
    try {
      return fn();
    } finally {
      this.fixedNow = prev;
    }
  }

  newClientId(): number {
    return this.nextClientId++;
  }

  /** True when new clients must AUTH first: the default user has a password (requirepass) or is off. */
  get requiresAuth(): boolean {
    return aclOf(this).authRequired;
  }

  // --- DbHost -------------------------------------------------------------------------------

  touched(db: Db, key: string, e?: Entry, byServer = false): void {
    this.memory.keyChanged(db, key, e ?? db.dict.get(key));
    if (this.tracking.watching) this.tracking.keyChanged(key, byServer ? null : this.runningClient);
    if (this.watchedKeys.size === 0) return;
    const watchers = this.watchedKeys.get(`${db.id}\0${key}`);
    if (!watchers) return;
    for (const c of watchers) {
      const w = c.watched.find((x) => x.db === db && x.key === key);
      // A key that was already expired when watched, and is now deleted by expiry, does not count.
      if (w && w.expired && !db.dict.has(key)) continue;
      c.dirtyCas = true;
    }
  }

  /** Every watcher of every key in `db` is dirtied (FLUSHDB/FLUSHALL/SWAPDB). */
  touchAll(db: Db, onlyExisting = true): void {
    if (this.watchedKeys.size === 0) return;
    for (const [k, clients] of this.watchedKeys) {
      const sep = k.indexOf('\0');
      if (Number(k.slice(0, sep)) !== db.id) continue;
      const key = k.slice(sep + 1);
      if (onlyExisting && !db.dict.has(key)) continue;
      for (const c of clients) c.dirtyCas = true;
    }
  }

  hasBlockedClients(): boolean {
    return this.blocking.waitingCount() > 0;
  }

  ready(db: Db, key: string): void {
    this.blocking.signal(db, key);
  }

  expired(db: Db, key: string, deleteMs: number): void {
    this.stats.expiredKeys++;
    latencyAddSampleIfNeeded(this, 'expire-del', deleteMs);
    if (this.notifyFlags !== '') notifyEvent(this, 'x', 'expired', key, db.id, this.runningClient);
  }

  created(db: Db, key: string): void {
    if (this.notifyFlags !== '') notifyEvent(this, 'n', 'new', key, db.id, this.runningClient);
  }

  removed(db: Db, e: Entry): void {
    this.memory.entryRemoved(db, e);
  }

  cleared(_db: Db): void {
    this.memory.dictsCleared();
  }

  accessed(e: Entry): void {
    accessEntry(this, e, this.now());
  }

  missed(db: Db, key: string): void {
    if (this.notifyFlags !== '') notifyEvent(this, 'm', 'keymiss', key, db.id, this.runningClient);
  }

  // --- lifecycle ------------------------------------------------------------------------------

  /** Starts the periodic work (serverCron): active expiry, client timeouts, stats sampling. */
  startCron(): void {
    if (this.cron) return;
    const tick = () => {
      const hz = Math.max(1, this.config.num['hz'] ?? 10);
      // While a timed-out script runs, Redis serves only file events: no expiry, eviction or saves;
      // during a MIGRATE it serves nothing at all.
      if (this.busyReply === null && this.heldBy === null) {
        if (this.activeExpire) activeExpireCycle(this);
        if (this.tracking.clients > 0) this.tracking.limitKeys();
        this.emit('cron');
      }
      this.cron = setTimeout(tick, Math.floor(1000 / hz));
      this.cron.unref();
    };
    this.cron = setTimeout(tick, 100);
    this.cron.unref();
  }

  stopCron(): void {
    if (this.cron) clearTimeout(this.cron);
    this.cron = null;
  }

  resetStats(): void {
    this.stats = freshStats();
  }

  /** Counts an error reply under its prefix (errorstats). */
  countError(message: string): void {
    this.stats.totalErrorReplies++;
    const text = message.startsWith('-') ? message.slice(1) : `ERR ${message}`;
    const sp = text.indexOf(' ');
    const prefix = sp < 0 ? text : text.slice(0, sp);
    this.stats.errors.set(prefix, (this.stats.errors.get(prefix) ?? 0) + 1);
  }

  commandStats(name: string): CommandStats {
    let s = this.stats.commands.get(name);
    if (!s) {
      s = { calls: 0, usec: 0, rejected: 0, failed: 0 };
      this.stats.commands.set(name, s);
    }
    return s;
  }
}
