// The state of one connected client (Redis's `client` struct): identity, protocol, selected
// database, authentication, transaction queue and watched keys, subscriptions, blocking state and
// the reply buffer. Networking lives in server.ts; this file holds no I/O of its own beyond the
// flush hook the connection installs.

import { ReplyWriter } from '../formats/resp/reply-writer.js';
import type { AclUser } from './acl.js';
import type { CommandSpec } from './command.js';
import type { Db } from './keyspace.js';
import type { TrackingState } from './tracking.js';

/** What a client blocked on keys is waiting for (BLPOP, BZPOPMIN, BLMOVE...). */
export interface BlockState {
  db: Db;
  keys: string[];
  /** Absolute unix ms deadline, 0 = wait forever. */
  deadline: number;
  /** Tries to serve the client now that `key` may have data; true when it replied. */
  serve(key: string): boolean;
  /** Writes the timeout reply (usually a null). */
  timeout(): void;
  timer?: NodeJS.Timeout;
  /** The command that blocked, for INFO/CLIENT LIST and stats once it completes. */
  command: CommandSpec;
  argv: string[];
  startedAt: number;
}

export interface WatchedKey {
  db: Db;
  key: string;
  /** The key was already logically expired at WATCH time (Redis 7.0: its expiry does not abort EXEC). */
  expired: boolean;
}

export class Client {
  readonly reply = new ReplyWriter();
  name = '';
  dbIndex = 0;
  authenticated = false;
  /** The ACL user's name (CLIENT LIST user=). */
  user = 'default';
  /** The ACL user (acl.ts); null stands for the default user. */
  aclUser: AclUser | null = null;
  /** Unix ms of creation and of the last command (CLIENT LIST age/idle). */
  readonly createdAt: number;
  lastInteraction: number;
  lastCommand = 'NULL';

  /** MULTI state: queued commands, and whether an error while queuing dooms the EXEC. */
  multi: Array<{ spec: CommandSpec; argv: string[] }> | null = null;
  multiError = false;
  /** Bytes of queued argv (counted against client-query-buffer-limit, as Redis does). */
  multiBytes = 0;
  /** Running inside EXEC (blocking commands must not block, nested checks differ). */
  inExec = false;
  watched: WatchedKey[] = [];
  /** Set when a watched key was touched: the next EXEC fails. */
  dirtyCas = false;

  readonly channels = new Set<string>();
  readonly patterns = new Set<string>();
  readonly shardChannels = new Set<string>();
  /** Pushes for this client produced while its replies are muted (CLIENT REPLY OFF/SKIP); they bypass the mute. */
  bypassed = '';

  blocked: BlockState | null = null;
  /**
   * Its command has not finished but yielded to the event loop (a script past busy-reply-threshold):
   * the rest of its pipeline waits, and the command is counted in the stats when it ends.
   */
  suspended = false;
  /** CLIENT PAUSE / DEBUG SLEEP: commands wait until this time. */
  pausedUntil = 0;

  /** CLIENT REPLY on|off|skip */
  replyMode: 'on' | 'off' | 'skip' = 'on';
  skipNext = false;
  /** Close after the pending replies are written (QUIT, protocol error, CLIENT KILL). */
  closeAfterReply = false;
  closed = false;
  /** CLIENT NO-EVICT */
  noEvict = false;
  /** Commands come from the AOF loader: applied as logged (Redis's mustObeyClient). */
  mustObey = false;
  /** It sent SYNC/PSYNC and now receives the replication stream (replication.ts). */
  replica = false;
  /** CLIENT TRACKING settings (tracking.ts); null while tracking is off. */
  tracking: TrackingState | null = null;
  /** Bytes read / written (INFO stats net_input_bytes...). */
  netIn = 0;
  netOut = 0;

  /** Installed by the connection: write pending replies now. */
  flush: () => void = () => {};
  /** Installed by the connection: close now (CLIENT KILL) after flushing when `graceful`. */
  kill: (graceful: boolean) => void = () => {};
  /** Installed by the connection: resume parsing buffered commands (after unblocking). */
  resume: () => void = () => {};
  /** Installed by the connection: bytes buffered but not parsed yet (qbuf). */
  queryBuffered: () => number = () => 0;

  constructor(
    readonly id: number,
    readonly addr: string,
    readonly laddr: string,
    readonly fd: number,
    now: number,
  ) {
    this.createdAt = now;
    this.lastInteraction = now;
  }

  get proto(): 2 | 3 {
    return this.reply.proto;
  }
  set proto(p: 2 | 3) {
    this.reply.proto = p;
  }

  /** Channels + patterns + shard channels: non-zero means the client is in pub/sub mode. */
  get subscriptionCount(): number {
    return this.channels.size + this.patterns.size + this.shardChannels.size;
  }
}
