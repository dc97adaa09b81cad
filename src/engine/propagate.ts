// Command propagation (server.c's call()/alsoPropagate/propagatePendingCommands, Redis 7.0): what a
// command did to the dataset, as the commands that redo it, handed to the AOF writer.
//
// Design: dispatch's call() brackets every handler with enter()/exit() when a Propagator is
// installed (only while something consumes the stream: the AOF, replicas; the hot path pays one
// null test otherwise). A command
// whose run raised engine.dirty is logged through its rule (propagate-rules.ts: relative expiries
// made absolute, SPOP as SREMs, INCRBYFLOAT as SET...), or as sent when it has none. Ops queue up
// while calls nest (EXEC's queued commands, a script's redis.call()s, lazy-expiry deletes that
// happen inside a command) and leave at the end of the outermost call: one op alone, several
// wrapped in MULTI ... EXEC, as Redis 7.0 does. Deletions outside any command (active expiry,
// eviction) leave at once, never wrapped.

import type { Client, BlockState } from './client.js';
import type { CommandSpec } from './command.js';
import type { Engine } from './engine.js';
import type { Db } from './keyspace.js';
import type { ReplyWriter } from '../formats/resp/reply-writer.js';
import { ReplyParser, type RespValue } from '../formats/resp/reply-parser.js';
import { FORCED, RULES, type PropInput } from './propagate-rules.js';

/** Where propagated commands go: the AOF writer (feedAppendOnlyFile), the replicas (replicationFeedSlaves). */
export interface PropagationSink {
  feed(dbId: number, argv: string[]): void;
  /** A top-level batch was fed (appendfsync always writes and syncs here). */
  commit(): void;
}

interface Op {
  db: number;
  argv: string[];
}

/** Parses the reply text a command wrote (its last complete value). */
function parseReply(text: string): RespValue | undefined {
  if (text === '') return undefined;
  const p = new ReplyParser();
  p.push(Buffer.from(text, 'latin1'));
  let last: RespValue | undefined;
  for (let v = p.next(); v !== undefined; v = p.next()) last = v;
  return last;
}

/** The text a reply writer holds past `mark`, leaving the writer as it was. */
function replySince(reply: ReplyWriter, mark: number): string {
  const all = reply.take();
  reply.raw(all);
  return all.slice(mark);
}

/** Connects a consumer of the stream, installing the engine's propagator with the first one. */
export function attachSink(engine: Engine, sink: PropagationSink): void {
  if (!engine.propagator) engine.propagator = new Propagator(engine);
  engine.propagator.sinks.add(sink);
}

/** Disconnects a consumer; the propagator goes with the last one. */
export function detachSink(engine: Engine, sink: PropagationSink): void {
  const p = engine.propagator;
  if (!p) return;
  p.sinks.delete(sink);
  if (p.sinks.size === 0) engine.propagator = undefined;
}

/** Redis's CMD_TOUCHES_ARBITRARY_KEYS commands. */
const TOUCHES_ARBITRARY_KEYS = new Set(['scan', 'randomkey']);

export class Propagator {
  private depth = 0;
  private ops: Op[] = [];
  readonly sinks = new Set<PropagationSink>();

  constructor(private readonly engine: Engine) {}

  /** call() is about to run a handler: returns the reply mark exit() needs. */
  enter(reply: ReplyWriter): number {
    this.depth++;
    return reply.pending;
  }

  /** call() ran a handler that raised dirty by `dirty`: queue what it did, flush at the outermost level. */
  exit(client: Client, spec: CommandSpec, argv: string[], dirty: number, now: number, mark: number): void {
    this.depth--;
    if (!client.blocked && (dirty > 0 || FORCED.has(spec.name))) {
      const db = this.engine.dbs[client.dbIndex]!;
      this.collect(spec.name, argv, db, now, client.reply, mark);
    }
    // A command that may lazily expire keys it was not asked about (SCAN, RANDOMKEY) leaves
    // those deletions unwrapped when it ran on its own, as active expiry does.
    if (this.depth === 0) this.flush(TOUCHES_ARBITRARY_KEYS.has(spec.name));
  }

  /**
   * A script yielded past busy-reply-threshold (scripting/busy.ts): what it writes until it ends is
   * held and leaves as one MULTI/EXEC, as it would had it run in one go.
   */
  hold(): void {
    this.depth++;
  }

  /** The held script ended (or was abandoned): its writes leave now. */
  release(): void {
    this.depth--;
    if (this.depth === 0) this.flush();
  }

  /** A blocked client is served (blocking.ts): runs the serve and logs the pop it performed. */
  serve(client: Client, state: BlockState, key: string): boolean {
    const mark = client.reply.pending;
    const ok = state.serve(key);
    // Served pops are propagated explicitly by Redis (alsoPropagate), whatever dirty says.
    if (ok && state.command.flags.includes('write')) {
      this.collect(state.command.name, state.argv, state.db, this.engine.now(), client.reply, mark, true);
      if (this.depth === 0) this.flush();
    }
    return ok;
  }

  /** propagateDeletion: an expired (or evicted) key was deleted; DEL, or UNLINK when that deletion is lazy. */
  deleted(db: Db, key: string, lazy: boolean): void {
    this.ops.push({ db: db.id, argv: [lazy ? 'UNLINK' : 'DEL', key] });
    if (this.depth === 0) this.flush(true);
  }

  /** A command that changed the dataset outside call() (MIGRATE's DEL of the keys it moved), as one op. */
  command(dbId: number, argv: string[]): void {
    this.ops.push({ db: dbId, argv });
    if (this.depth === 0) this.flush();
  }

  /** keyspace.ts: an expired key was deleted (lazily or by the active cycle). */
  keyExpired(db: Db, key: string): void {
    this.deleted(db, key, this.engine.config.get('lazyfree-lazy-expire') === 'yes');
  }

  /** evict.ts: a key was evicted. */
  keyEvicted(db: Db, key: string): void {
    this.deleted(db, key, this.engine.config.get('lazyfree-lazy-eviction') === 'yes');
  }

  private collect(name: string, argv: string[], db: Db, now: number, reply: ReplyWriter, mark: number, served = false): void {
    const rule = RULES[name];
    if (rule === undefined) {
      this.ops.push({ db: db.id, argv });
      return;
    }
    let parsed: RespValue | undefined | null = null;
    const input: PropInput = {
      engine: this.engine,
      argv,
      db,
      now,
      served,
      reply: () => (parsed === null ? (parsed = parseReply(replySince(reply, mark))) : parsed),
    };
    for (const out of rule(input)) this.ops.push({ db: db.id, argv: out });
  }

  /** propagatePendingCommands: one op alone, several in MULTI/EXEC unless `noMulti`. */
  private flush(noMulti = false): void {
    const ops = this.ops;
    if (ops.length === 0) return;
    this.ops = [];
    const wrap = ops.length > 1 && !noMulti;
    for (const sink of this.sinks) {
      if (wrap) sink.feed(ops[0]!.db, ['MULTI']);
      for (const op of ops) sink.feed(op.db, op.argv);
      if (wrap) sink.feed(ops[ops.length - 1]!.db, ['EXEC']);
      sink.commit();
    }
  }
}
