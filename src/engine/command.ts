// The shape of a command-table row and of the context a handler runs in. Each family file
// (commands/strings.ts, commands/lists.ts, ...) exports an array of CommandSpec; commands/index.ts
// assembles them into the one table dispatch, COMMAND INFO and the Tcl/differential tests use.

import type { Client } from './client.js';
import type { Db } from './keyspace.js';
import type { Engine } from './engine.js';
import type { ReplyWriter } from '../formats/resp/reply-writer.js';

/** Command flags as COMMAND INFO reports them (Redis 7.0 names). */
export type CommandFlag =
  | 'write'
  | 'readonly'
  | 'denyoom'
  | 'admin'
  | 'pubsub'
  | 'noscript'
  | 'blocking'
  | 'loading'
  | 'stale'
  | 'skip_monitor'
  | 'skip_slowlog'
  | 'asking'
  | 'fast'
  | 'no_auth'
  | 'may_replicate'
  | 'no_mandatory_keys'
  | 'no_async_loading'
  | 'no_multi'
  | 'movablekeys'
  | 'allow_busy';

export interface Ctx {
  engine: Engine;
  client: Client;
  /** The client's selected database. */
  db: Db;
  reply: ReplyWriter;
  /** Wall clock for this command (ms), fixed for its whole run like Redis's cached mstime. */
  now: number;
}

export type Handler = (ctx: Ctx, argv: string[]) => void;

export interface CommandSpec {
  /** Lower-case name; subcommands are named "parent|sub" (e.g. "config|get"). */
  name: string;
  /** Redis convention: N means exactly N arguments including the name, -N means at least N. */
  arity: number;
  flags: CommandFlag[];
  /** ACL categories without the "@" (COMMAND INFO). */
  acl: string[];
  /** Legacy key positions for COMMAND INFO (0 when none). */
  firstKey: number;
  lastKey: number;
  step: number;
  /** Family for COMMAND DOCS ("string", "list", "generic", "server", ...). */
  group: string;
  handler?: Handler;
  subcommands?: CommandSpec[];
}

/** Shorthand for table rows: cmd('get', 2, ['readonly','fast'], ['read','string','fast'], [1,1,1], 'string', handler). */
export function cmd(
  name: string,
  arity: number,
  flags: CommandFlag[],
  acl: string[],
  keys: [number, number, number],
  group: string,
  handler?: Handler,
  subcommands?: CommandSpec[],
): CommandSpec {
  return { name, arity, flags, acl, firstKey: keys[0], lastKey: keys[1], step: keys[2], group, handler, subcommands };
}

/** Per-command counters: INFO commandstats (calls, usec, rejected_calls, failed_calls). */
export interface CommandStats {
  calls: number;
  usec: number;
  rejected: number;
  failed: number;
}
