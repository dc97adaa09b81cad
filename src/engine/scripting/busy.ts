// Scripts that run past busy-reply-threshold (script.c's timed-out mode). Redis keeps running such
// a script but, from its count hook, processes network events in between, so other clients get
// -BUSY and may send SCRIPT KILL / FUNCTION KILL / SHUTDOWN NOSAVE. One JavaScript thread cannot
// serve sockets from inside a running script, so here the script runs in a Lua coroutine and the
// hook *yields* it: the command returns with its client suspended, other clients are served on
// the event loop (dispatch.ts answers BUSY while engine.busyReply is set), and the coroutine is
// resumed in slices of a few milliseconds until it ends or is killed. Its reply, stats and the
// rest of its client's pipeline follow when it ends, as for a blocked command; its writes reach
// the AOF together, in one MULTI/EXEC.
//
// A script that cannot yield (inside EXEC, or inside a JavaScript function such as a gsub
// callback) keeps running until it can; scripts never time out inside MULTI here.

import type { Client } from '../client.js';
import type { Engine } from '../engine.js';
import type { Propagator } from '../propagate.js';
import { ReplyError } from '../errors.js';
import { lua, type LuaState } from './fengari.js';
import { pushErrorTable } from './conversion.js';

export const BUSY_EVAL = '-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.';
export const BUSY_FUNCTION = '-BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.';
const NOTBUSY = '-NOTBUSY No scripts in execution right now.';
const UNKILLABLE =
  '-UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.';
const KILLED = 'Script killed by user with SCRIPT KILL...';

/** Lua instructions between two looks at the clock (Redis: 100000 in C Lua, ~50x faster than fengari). */
export const HOOK_EVERY = 10_000;
/** How long a timed-out script runs before it yields to the event loop again. */
export const SLICE_MS = 10;

/** What the hook and the kill commands need to know about the run in progress. */
export interface Interruptible {
  /** performance.now() when the script started. */
  readonly startedAt: number;
  readonly evalMode: boolean;
  /** The script (or function) name, for the log and FUNCTION STATS. */
  readonly name: string;
  /** The caller's command line (FUNCTION STATS `command`). */
  readonly argv: string[];
  /** False inside EXEC: the command must end before anything else runs. */
  readonly yieldable: boolean;
  /** A write command already ran: SCRIPT KILL refuses (the dataset would be half-changed). */
  writeDirty: boolean;
  timedOut: boolean;
  killed: boolean;
  /** performance.now() after which a timed-out script yields again. */
  sliceEnd: number;
}

/** The engine's run in progress, as the hook sees it (set by the runner). */
export interface RunSource {
  current(): Interruptible | null;
}

const sources = new WeakMap<Engine, RunSource>();

export function setRunSource(engine: Engine, source: RunSource): void {
  sources.set(engine, source);
}

function running(engine: Engine): Interruptible | null {
  return sources.get(engine)?.current() ?? null;
}

type Hook = (L: LuaState) => void;
const hooks = new WeakMap<Engine, Hook>();

/** luaMaskCountHook: kills a killed script, times out a slow one, and yields a timed-out one. */
export function scriptHook(engine: Engine): Hook {
  let hook = hooks.get(engine);
  if (hook) return hook;
  const h: Hook = (L) => {
    const run = running(engine);
    if (!run) return;
    if (run.killed) {
      // Every line from now on raises again, so pcall inside the script cannot swallow the kill.
      lua.lua_sethook(L, h, lua.LUA_MASKLINE, 0);
      engine.emit('log', 'warning', 'Lua script killed by user with SCRIPT KILL.');
      pushErrorTable(L, KILLED);
      lua.lua_error(L);
    }
    const now = performance.now();
    if (!run.timedOut) {
      const elapsed = now - run.startedAt;
      if (!run.yieldable || elapsed < engine.config.num['busy-reply-threshold']!) return;
      run.timedOut = true;
      run.sliceEnd = now;
      engine.emit(
        'log',
        'warning',
        `Slow script detected: still in execution after ${Math.floor(elapsed)} milliseconds. You can try killing the script using the ${run.evalMode ? 'SCRIPT KILL' : 'FUNCTION KILL'} command. Script name is: ${run.name}.`,
      );
    }
    if (now >= run.sliceEnd && lua.lua_isyieldable(L)) lua.lua_yield(L, 0);
  };
  hooks.set(engine, (hook = h));
  return hook;
}

/** A yielded script: how to run its next slice and how to end it. */
export interface SuspendedRun {
  run: Interruptible;
  client: Client;
  /** Runs one more slice; true when the script has ended. */
  resume(): boolean;
  /** Writes the reply and counts the command (the script has ended). */
  complete(): void;
  /** The engine is going away: drop the run without a reply. */
  abandon(): void;
  /** The AOF's propagator, holding the script's writes until it ends (set by suspend). */
  propagator?: Propagator | undefined;
}

const suspended = new WeakMap<Engine, SuspendedRun>();

/** The hook yielded `s`: park its client, answer BUSY to others, and keep running it in slices. */
export function suspend(engine: Engine, s: SuspendedRun): void {
  suspended.set(engine, s);
  s.propagator = engine.propagator;
  s.propagator?.hold();
  s.client.suspended = true;
  engine.busyReply = s.run.evalMode ? BUSY_EVAL : BUSY_FUNCTION;
  const slice = (): void => {
    if (suspended.get(engine) !== s) return;
    if (!s.resume()) {
      setImmediate(slice);
      return;
    }
    release(engine, s);
    s.complete();
    s.propagator?.release();
    engine.blocking.serveReady();
    s.client.flush();
    setImmediate(() => s.client.resume());
  };
  setImmediate(slice);
}

function release(engine: Engine, s: SuspendedRun): void {
  suspended.delete(engine);
  s.client.suspended = false;
  engine.busyReply = null;
}

/** SHUTDOWN NOSAVE (or the server closing) while a script is timed out: it never resumes. */
export function abandonBusyScript(engine: Engine): void {
  const s = suspended.get(engine);
  if (!s) return;
  release(engine, s);
  s.abandon();
  s.propagator?.release();
}

/** scriptKill: SCRIPT KILL (`evalKill`) or FUNCTION KILL. Throws Redis's refusals. */
export function killScript(engine: Engine, evalKill: boolean): void {
  const run = running(engine);
  if (!run || !run.timedOut) throw new ReplyError(NOTBUSY);
  if (run.writeDirty) throw new ReplyError(UNKILLABLE);
  if (evalKill && !run.evalMode) throw new ReplyError(BUSY_FUNCTION);
  if (!evalKill && run.evalMode) throw new ReplyError(BUSY_EVAL);
  run.killed = true;
}

/** FUNCTION STATS' running_script: the timed-out function, or null. Throws BUSY for an EVAL script. */
export function runningFunction(engine: Engine): { name: string; argv: string[]; durationMs: number } | null {
  const run = running(engine);
  if (!run || !run.timedOut) return null;
  if (run.evalMode) throw new ReplyError(BUSY_EVAL);
  return { name: run.name, argv: run.argv, durationMs: Math.floor(performance.now() - run.startedAt) };
}
