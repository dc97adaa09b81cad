// processCommand and call() (server.c): the ordered checks every command passes before it runs
// (unknown command, arity, protected commands, NOAUTH, MULTI rules, ACL, OOM, min-replicas,
// pub/sub context, queueing in MULTI), then the timed execution that feeds command stats and error
// stats and client-side caching, and the serving of clients blocked on keys the command made ready.

import type { Client } from './client.js';
import type { CommandSpec, Ctx } from './command.js';
import type { Engine } from './engine.js';
import { E, ReplyError } from './errors.js';
import { discardTransaction } from './multi.js';
import { takeBypassed } from './pubsub.js';
import { aclDenied, guardQueuedCommands } from './acl-check.js';

/** Commands a RESP2 client may send while subscribed. */
const SUBSCRIBED_ALLOWED = new Set(['subscribe', 'psubscribe', 'ssubscribe', 'unsubscribe', 'punsubscribe', 'sunsubscribe', 'ping', 'quit', 'reset']);
/** Commands that run immediately inside MULTI instead of being queued. */
const MULTI_IMMEDIATE = new Set(['exec', 'discard', 'multi', 'watch', 'quit', 'reset']);

/** Commands Redis marks "protected" (CMD_PROTECTED): the option that must allow them, and the word the refusal uses. */
const DEBUG_GUARD = { option: 'enable-debug-command', word: 'DEBUG' };
const MODULE_GUARD = { option: 'enable-module-command', word: 'MODULE' };
const PROTECTED = new Map([
  ['debug', DEBUG_GUARD],
  ['module|load', MODULE_GUARD],
  ['module|loadex', MODULE_GUARD],
  ['module|unload', MODULE_GUARD],
]);

/** Spellings of command names remembered by engine.commandsByRawName. */
const RAW_NAME_CACHE_MAX = 1024;

/** Finds the spec (subcommand spec when the command has subcommands) or writes the error. */
function resolve(engine: Engine, client: Client, argv: string[]): CommandSpec | null {
  const raw = argv[0]!;
  let spec = engine.commandsByRawName.get(raw);
  if (spec === undefined) {
    spec = engine.commands.get(raw.toLowerCase());
    if (!spec) {
      fail(engine, client, E.unknownCommand(raw, argv.slice(1)));
      return null;
    }
    // Clients send a handful of spellings; the bound only guards against one sending thousands.
    if (engine.commandsByRawName.size < RAW_NAME_CACHE_MAX) engine.commandsByRawName.set(raw, spec);
  }
  if ((spec.arity > 0 && argv.length !== spec.arity) || argv.length < -spec.arity) {
    rejected(engine, spec);
    fail(engine, client, E.arity(spec.name), spec);
    return null;
  }
  if (spec.subcommands && argv.length >= 2) {
    const subName = argv[1]!.toLowerCase();
    const sub = spec.subcommands.find((s) => s.name === `${spec.name}|${subName}`);
    if (!sub) {
      if (spec.handler) return spec; // the parent handles unknown subcommands itself
      rejected(engine, spec);
      fail(engine, client, E.unknownSubcommand(argv[1]!, spec.name));
      return null;
    }
    if ((sub.arity > 0 && argv.length !== sub.arity) || argv.length < -sub.arity) {
      rejected(engine, sub);
      fail(engine, client, E.arity(sub.name));
      return null;
    }
    return sub;
  }
  return spec;
}

function rejected(engine: Engine, spec: CommandSpec): void {
  engine.commandStats(spec.name).rejected++;
}

/**
 * Writes an error reply, counting it; inside MULTI it also dooms the transaction, and a rejected
 * EXEC discards it at once with EXECABORT naming the reason (execCommandAbort).
 */
function fail(engine: Engine, client: Client, msg: string, spec?: CommandSpec): void {
  if (client.multi && spec?.name === 'exec') {
    discardTransaction(engine, client);
    const reason = msg.startsWith('-') ? msg.slice(1) : msg;
    msg = `-EXECABORT Transaction discarded because of: ${reason}`;
  } else if (client.multi) client.multiError = true;
  engine.countError(msg);
  client.reply.error(msg);
}

/**
 * Runs one parsed command for `client`, writing its reply into client.reply. `now` (unix ms) is
 * the command's clock; the network layer passes the one it read when the bytes arrived.
 */
export function processCommand(engine: Engine, client: Client, argv: string[], now = Date.now()): void {
  const outer = engine.currentClient;
  engine.currentClient = client;
  const spec = checkAndRun(engine, client, argv, now);
  engine.currentClient = outer;
  // CLIENT CACHING covers the next command or the next transaction (resetClient); CLIENT
  // subcommands in between keep it, as in Redis.
  const t = client.tracking;
  if (t !== null && t.caching && client.multi === null && (spec === null || !spec.name.startsWith('client|'))) t.caching = false;
}

/** processCommand's checks in Redis's order, then call(); returns the spec it resolved (null: none). */
function checkAndRun(engine: Engine, client: Client, argv: string[], now: number): CommandSpec | null {
  client.lastInteraction = now;
  const spec = resolve(engine, client, argv);
  if (!spec) return null;
  const flags = spec.flags;
  client.lastCommand = spec.name;

  const guard = PROTECTED.get(spec.name);
  if (guard !== undefined && !protectedAllowed(engine, client, guard.option)) {
    rejected(engine, spec);
    fail(engine, client, `${guard.word} command not allowed. If the ${guard.option} option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.`);
    return spec;
  }
  if (!client.authenticated && engine.requiresAuth && !flags.includes('no_auth')) {
    rejected(engine, spec);
    fail(engine, client, E.noAuth);
    return spec;
  }
  if (client.multi && flags.includes('no_multi')) {
    rejected(engine, spec);
    fail(engine, client, 'Command not allowed inside a transaction');
    return spec;
  }
  if (engine.aclRestricted) {
    // ACL permissions (acl-check.ts): skipped while every user may run anything (the common case).
    const denied = aclDenied(engine, client, spec, argv);
    if (denied !== null) {
      rejected(engine, spec);
      fail(engine, client, denied, spec);
      return spec;
    }
    if (spec.name === 'exec' && client.multi) guardQueuedCommands(engine, client);
  }
  if (engine.checkOom && engine.busyReply === null) {
    // performEvictions runs before every command when maxmemory is set; only the refusal depends on the command.
    const oom = engine.checkOom(client, spec);
    if (oom) {
      rejected(engine, spec);
      fail(engine, client, oom, spec);
      return spec;
    }
  }
  // Keep the client-side caching table within tracking-table-max-keys (even for a command MULTI queues).
  if (engine.tracking.clients > 0) engine.tracking.limitKeys();
  if (engine.writesNeedReplicas && isWrite(spec, client)) {
    rejected(engine, spec);
    fail(engine, client, E.noReplicas, spec);
    return spec;
  }
  if (client.proto === 2 && client.subscriptionCount > 0 && !SUBSCRIBED_ALLOWED.has(spec.name.split('|')[0]!)) {
    rejected(engine, spec);
    fail(
      engine,
      client,
      `Can't execute '${spec.name}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`,
    );
    return spec;
  }
  if (engine.busyReply !== null && !flags.includes('allow_busy')) {
    // A timed-out script holds the dataset: only the commands marked allow-busy get through.
    rejected(engine, spec);
    fail(engine, client, engine.busyReply, spec);
    return spec;
  }
  if (client.multi && !MULTI_IMMEDIATE.has(spec.name)) {
    // A doomed transaction (error while queuing, or a touched watched key) keeps nothing.
    if (!client.multiError && !client.dirtyCas) {
      client.multi.push({ spec, argv });
      for (const a of argv) client.multiBytes += a.length;
    }
    client.reply.simple('QUEUED');
    return spec;
  }
  call(engine, client, spec, argv, now);
  // Clients blocked on keys a timed-out script made ready are served when the script ends.
  if (engine.busyReply === null) engine.blocking.serveReady();
  return spec;
}

/** A write command, or an EXEC whose transaction holds one (processCommand's is_write_command). */
function isWrite(spec: CommandSpec, client: Client): boolean {
  if (spec.flags.includes('write')) return true;
  return spec.name === 'exec' && client.multi !== null && client.multi.some((q) => q.spec.flags.includes('write'));
}

/** Error replies written by calls nested in the current one (EXEC's queued commands). */
let nestedErrors = 0;

/** call(): runs the handler with a frozen clock, times it, and updates stats. */
export function call(engine: Engine, client: Client, spec: CommandSpec, argv: string[], now = Date.now()): void {
  const reply = client.reply;
  const muted = client.replyMode !== 'on' || client.skipNext;
  const saved = muted ? reply.take() : '';
  const ctx: Ctx = { engine, client, db: engine.dbs[client.dbIndex]!, reply, now };
  const errorsBefore = engine.stats.totalErrorReplies;
  const outerNested = nestedErrors;
  nestedErrors = 0;
  // AOF propagation (propagate.ts): installed only while appendonly is on.
  const prop = engine.propagator;
  const dirtyBefore = engine.dirty;
  const replyMark = prop === undefined ? 0 : prop.enter(reply);
  const t0 = performance.now();
  const prevClock = engine.freezeClock(now);
  const prevClient = engine.runningClient;
  engine.runningClient = client;
  engine.callDepth++;
  try {
    spec.handler!(ctx, argv);
  } catch (err) {
    const msg = err instanceof ReplyError ? err.message : `internal error in '${spec.name}': ${err instanceof Error ? err.message : String(err)}`;
    if (!(err instanceof ReplyError)) engine.emit('internal-error', err, argv);
    engine.countError(msg);
    reply.error(msg);
  } finally {
    engine.freezeClock(prevClock);
    engine.runningClient = prevClient;
  }
  const t1 = performance.now();
  engine.lastCallEnd = t1;
  const usec = (t1 - t0) * 1000;
  if (prop !== undefined) prop.exit(client, spec, argv, engine.dirty - dirtyBefore, now, replyMark);
  const allErrors = engine.stats.totalErrorReplies - errorsBefore;
  const ownErrors = allErrors - nestedErrors;
  nestedErrors = outerNested + allErrors;
  if (muted) {
    reply.take();
    reply.raw(saved);
    reply.raw(takeBypassed(client));
    if (client.skipNext && spec.name !== 'client|reply') client.skipNext = false;
  }
  // Client-side caching: a read records its keys; invalidations of the caller's own keys follow the outermost reply.
  if (client.tracking !== null) engine.tracking.afterCall(client, spec, argv);
  if (--engine.callDepth === 0 && engine.tracking.hasPending && engine.currentClient !== null) engine.tracking.flushPending(engine.currentClient);
  engine.stats.commandsProcessed++;
  if (client.blocked || client.suspended) return; // counted when it completes
  countCall(engine, spec, argv, client, usec, ownErrors > 0, now);
}

/** A finished command's commandstats, then its observers (slow log, latency, histograms). */
export function countCall(engine: Engine, spec: CommandSpec, argv: string[], client: Client, usec: number, failed: boolean, startMs: number): void {
  const st = engine.commandStats(spec.name);
  st.calls++;
  st.usec += usec;
  if (failed) st.failed++;
  const observers = engine.callObservers;
  for (let i = 0; i < observers.length; i++) observers[i]!(spec, argv, client, usec, startMs);
}

/** True when a protected command may run: its option is yes, or local and the client is local. */
function protectedAllowed(engine: Engine, client: Client, option: string): boolean {
  const mode = engine.config.get(option);
  if (mode === 'yes') return true;
  if (mode === 'local') return /^(127\.|::1|::ffff:127\.|\/)/.test(client.addr) || client.addr.startsWith('unix');
  return false;
}
