// Running a script (script.c + script_lua.c's luaCallFunction): the per-engine scripting state,
// the pseudo-client whose commands the scripts issue (shown as "lua" by MONITOR), the run
// context a script executes in (caller, db, read-only and OOM rules, RESP version), the `redis`
// API functions (call, pcall, error_reply, setresp...) and the error handler that turns Lua errors
// into Redis's "<msg> script: <name>, on <source>:<line>." replies.
//
// Commands a script issues go through dispatch's call(), so command stats, the slow log, the
// latency monitor and MONITOR see them as Redis does. Checks Redis makes in scriptCall (arity,
// noscript, writes from read-only scripts, OOM) happen here first; a refusal counts as a rejected
// call of that command. A script runs in a Lua coroutine so that, past busy-reply-threshold, it
// can yield to the event loop (busy.ts) and finish later.

import { createHash } from 'node:crypto';
import { Client } from '../client.js';
import type { CommandSpec, Ctx } from '../command.js';
import { call, countCall } from '../dispatch.js';
import type { Engine } from '../engine.js';
import { E } from '../errors.js';
import { monitorsOf, showToMonitors } from '../commands/server.js';
import { lauxlib, lua, reallowHooks, type LuaCFunction, type LuaKFunction, type LuaState } from './fengari.js';
import { HOOK_EVERY, SLICE_MS, scriptHook, setRunSource, suspend, type Interruptible } from './busy.js';
import { fromLuaBytes, numberArg, pushBytes } from './bytes.js';
import { pushErrorTable, readErrorTable, ReplyToLua, writeLuaValue } from './conversion.js';
import type { ScriptFlags } from './script-flags.js';
import { lua51Message } from './lua51-messages.js';
import { isScriptClient, markScriptClient } from './script-client.js';
import { aclAllows, aclScriptDenied } from '../acl-check.js';

export const REDIS_VERSION = '7.0.15';
export const REDIS_VERSION_NUM = 0x07000f;

/** What one running script may do, and who runs it (name, evalMode, writeDirty: see Interruptible). */
export interface RunCtx extends Interruptible {
  engine: Engine;
  caller: Client;
  /** The command's frozen clock: every command of the script sees the same time. */
  now: number;
  readOnly: boolean;
  allowOom: boolean;
  /** The server was over maxmemory when the script started. */
  oomAtStart: boolean;
  /** Errors counted here, outside any nested call() (refused script commands). */
  refusedErrors: number;
}

/** Per-engine state: the script pseudo-client and the run in progress. */
export interface ScriptingCore {
  luaClient: Client;
  run: RunCtx | null;
  /** Script commands' reply text -> Lua values (reused: no per-call allocation). */
  parser: ReplyToLua;
}

const cores = new WeakMap<Engine, ScriptingCore>();

export function scriptingCore(engine: Engine): ScriptingCore {
  let core = cores.get(engine);
  if (!core) {
    const c = new Client(0, 'lua', '', -1, Date.now());
    c.authenticated = true;
    c.name = '';
    // Scripts never block: blocking commands answer as on timeout (CLIENT_DENY_BLOCKING).
    c.inExec = true;
    markScriptClient(c);
    const made: ScriptingCore = { luaClient: c, run: null, parser: new ReplyToLua() };
    cores.set(engine, (core = made));
    setRunSource(engine, { current: () => made.run });
  }
  return core;
}

export function sha1hex(s: string): string {
  return createHash('sha1').update(s, 'latin1').digest('hex');
}

/** Lua's error raising with a Redis error table {err=...}. */
function raiseError(L: LuaState, text: string): never {
  pushErrorTable(L, text);
  return lua.lua_error(L);
}

function currentRun(engine: Engine): RunCtx | null {
  return cores.get(engine)?.run ?? null;
}

// --- redis.call / redis.pcall ---------------------------------------------------------------------

/** scriptCall: Redis's checks, then the command itself. Returns an error text or null. */
function scriptCall(run: RunCtx, core: ScriptingCore, argv: string[]): string | null {
  const { engine } = run;
  let spec: CommandSpec | undefined = engine.commands.get(argv[0]!.toLowerCase());
  if (spec?.subcommands && argv.length >= 2) {
    const parent: CommandSpec = spec;
    const sub = parent.subcommands!.find((s) => s.name === `${parent.name}|${argv[1]!.toLowerCase()}`);
    spec = sub ?? (parent.handler ? parent : undefined);
  }
  let err: string | null = null;
  if (!spec) err = 'Unknown Redis command called from script';
  else if ((spec.arity > 0 && spec.arity !== argv.length) || argv.length < -spec.arity)
    err = 'Wrong number of args calling Redis command from script';
  else if (spec.flags.includes('noscript') && !engine.scriptsMayCallNoscript) err = 'This Redis command is not allowed from script';
  else if (engine.aclRestricted === true && (err = aclScriptDenied(engine, run.caller, core.luaClient, spec, argv)) !== null) {
    // scriptVerifyACL: the caller's user must be allowed the command, its keys and channels.
  } else if (run.readOnly && (spec.flags.includes('write') || spec.flags.includes('may_replicate')))
    err = 'Write commands are not allowed from read-only scripts.';
  else if (!run.writeDirty && engine.writesNeedReplicas && spec.flags.includes('write')) err = E.noReplicas;
  else if (!run.allowOom && !run.writeDirty && run.oomAtStart && spec.flags.includes('denyoom')) err = E.oom;
  if (err !== null) {
    engine.countError(err);
    if (spec) engine.commandStats(spec.name).rejected++;
    run.refusedErrors++;
    return err;
  }
  if (spec!.flags.includes('write')) run.writeDirty = true;
  call(engine, core.luaClient, spec!, argv, run.now);
  // Client-side caching: a script that reads makes its caller track the keys it declared.
  if (run.caller.tracking !== null && spec!.flags.includes('readonly')) engine.tracking.afterScriptRead(run.caller, run.argv);
  return null;
}

/** Reused argument vector (most calls have few arguments). */
function scriptArgs(L: LuaState): string[] | null {
  const argc = lua.lua_gettop(L);
  const argv = new Array<string>(argc);
  for (let j = 1; j <= argc; j++) {
    const t = lua.lua_type(L, j);
    if (t === lua.LUA_TNUMBER) argv[j - 1] = numberArg(L, j);
    else if (t === lua.LUA_TSTRING) argv[j - 1] = fromLuaBytes(lua.lua_tolstring(L, j)!);
    else return null;
  }
  return argv;
}

function redisCommand(engine: Engine, raise: boolean): LuaCFunction {
  return (L) => {
    const core = scriptingCore(engine);
    const run = core.run;
    if (!run) return raiseError(L, 'redis.call/pcall can only be called inside a script invocation');
    if (lua.lua_gettop(L) === 0) {
      pushErrorTable(L, 'Please specify at least one argument for this redis lib call');
      return raise ? lua.lua_error(L) : 1;
    }
    const argv = scriptArgs(L);
    lua.lua_settop(L, 0);
    if (!argv) {
      pushErrorTable(L, 'Lua redis lib command arguments must be strings or integers');
      return raise ? lua.lua_error(L) : 1;
    }
    const err = scriptCall(run, core, argv);
    if (err !== null) {
      pushErrorTable(L, err, true);
      return raise ? lua.lua_error(L) : 1;
    }
    const text = core.luaClient.reply.take();
    core.parser.push(L, text);
    if (raise && text.charCodeAt(0) === 45) return lua.lua_error(L);
    return 1;
  };
}

// --- the rest of the redis.* API ------------------------------------------------------------------

const LOG_LEVELS = ['debug', 'verbose', 'notice', 'warning'];

function singleStringArg(L: LuaState): string | null {
  if (lua.lua_gettop(L) !== 1 || lua.lua_type(L, -1) !== lua.LUA_TSTRING) return null;
  return fromLuaBytes(lua.lua_tolstring(L, -1)!);
}

/** redis.log and the LOG_* levels (also part of the FUNCTION LOAD API). */
export function fillLogApi(L: LuaState, engine: Engine): void {
  lua.lua_pushcfunction(L, (L2) => {
    const argc = lua.lua_gettop(L2);
    if (argc < 2) return raiseError(L2, 'redis.log() requires two arguments or more.');
    if (!lua.lua_isnumber(L2, 1)) return raiseError(L2, 'First argument must be a number (log level).');
    const level = Math.trunc(lua.lua_tonumber(L2, 1));
    if (level < 0 || level > 3) return raiseError(L2, 'Invalid debug level.');
    const parts: string[] = [];
    for (let j = 2; j <= argc; j++) {
      const u = lua.lua_tolstring(L2, j);
      if (u) parts.push(fromLuaBytes(u));
    }
    engine.emit('log', LOG_LEVELS[level], parts.join(' '));
    return 0;
  });
  lua.lua_setfield(L, -2, 'log');
  LOG_LEVELS.forEach((name, i) => {
    lua.lua_pushnumber(L, i);
    lua.lua_setfield(L, -2, `LOG_${name.toUpperCase()}`);
  });
}

export function fillVersion(L: LuaState): void {
  lua.lua_pushnumber(L, REDIS_VERSION_NUM);
  lua.lua_setfield(L, -2, 'REDIS_VERSION_NUM');
  lua.lua_pushstring(L, REDIS_VERSION);
  lua.lua_setfield(L, -2, 'REDIS_VERSION');
}

/** Fills the `redis` table (on top of the stack) with the run-time API. */
export function fillRedisApi(L: LuaState, engine: Engine): void {
  const fns: Record<string, LuaCFunction> = {
    call: redisCommand(engine, true),
    pcall: redisCommand(engine, false),
    sha1hex: (L2) => {
      if (lua.lua_gettop(L2) !== 1) return raiseError(L2, 'wrong number of arguments');
      const u = lua.lua_tolstring(L2, 1);
      lua.lua_pushstring(L2, sha1hex(u ? fromLuaBytes(u) : ''));
      return 1;
    },
    error_reply: (L2) => {
      const s = singleStringArg(L2);
      if (s === null) pushErrorTable(L2, 'wrong number or type of arguments');
      else pushErrorTable(L2, s.startsWith('-') ? s : `-${s}`);
      return 1;
    },
    status_reply: (L2) => {
      const s = singleStringArg(L2);
      if (s === null) {
        pushErrorTable(L2, 'wrong number or type of arguments');
        return 1;
      }
      lua.lua_createtable(L2, 0, 1);
      pushBytes(L2, s);
      lua.lua_setfield(L2, -2, 'ok');
      return 1;
    },
    setresp: (L2) => {
      const run = currentRun(engine);
      if (!run) return raiseError(L2, 'redis.setresp can only be called inside a script invocation');
      if (lua.lua_gettop(L2) !== 1) return raiseError(L2, 'redis.setresp() requires one argument.');
      const resp = Math.trunc(lua.lua_tonumber(L2, 1));
      if (resp !== 2 && resp !== 3) return raiseError(L2, 'RESP version must be 2 or 3.');
      scriptingCore(engine).luaClient.proto = resp;
      return 0;
    },
    set_repl: (L2) => {
      if (!currentRun(engine)) return raiseError(L2, 'redis.set_repl can only be called inside a script invocation');
      if (lua.lua_gettop(L2) !== 1) return raiseError(L2, 'redis.set_repl() requires two arguments.');
      const flags = Math.trunc(lua.lua_tonumber(L2, -1));
      if ((flags & ~3) !== 0) return raiseError(L2, 'Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.');
      return 0;
    },
    replicate_commands: (L2) => {
      lua.lua_pushboolean(L2, true);
      return 1;
    },
    acl_check_cmd: (L2) => {
      if (!currentRun(engine)) return raiseError(L2, 'redis.acl_check_cmd can only be called inside a script invocation');
      if (lua.lua_gettop(L2) === 0) return raiseError(L2, 'Please specify at least one argument for this redis lib call');
      const argv = scriptArgs(L2);
      if (!argv) return raiseError(L2, 'Lua redis lib command arguments must be strings or integers');
      const spec = engine.commands.get(argv[0]!.toLowerCase());
      const sub = spec?.subcommands && argv.length >= 2 ? spec.subcommands.find((s) => s.name === `${spec.name}|${argv[1]!.toLowerCase()}`) : spec;
      if (!sub) return raiseError(L2, 'Invalid command passed to redis.acl_check_cmd()');
      lua.lua_pushboolean(L2, engine.aclRestricted !== true || aclAllows(engine, currentRun(engine)!.caller, sub, argv));
      return 1;
    },
    breakpoint: (L2) => {
      lua.lua_pushboolean(L2, false);
      return 1;
    },
    debug: () => 0,
  };
  for (const [name, fn] of Object.entries(fns)) {
    lua.lua_pushcfunction(L, fn);
    lua.lua_setfield(L, -2, name);
  }
  fillLogApi(L, engine);
  fillVersion(L);
  const repl: Array<[string, number]> = [
    ['REPL_NONE', 0],
    ['REPL_AOF', 1],
    ['REPL_SLAVE', 2],
    ['REPL_REPLICA', 2],
    ['REPL_ALL', 3],
  ];
  for (const [name, v] of repl) {
    lua.lua_pushnumber(L, v);
    lua.lua_setfield(L, -2, name);
  }
}

// --- the error handler ------------------------------------------------------------------------------

/**
 * The pcall message handler: makes every error a table {err=...} and records where the script
 * was when it failed (the Lua caller when the error came from a library function).
 */
/** C functions in Lua; fengari reports its JavaScript functions as "J". */
const isNative = (what: string): boolean => what === 'C' || what === 'J';

export const errorHandler: LuaCFunction = (L) => {
  const ar = new lua.lua_Debug();
  let have = lua.lua_getstack(L, 1, ar) && lua.lua_getinfo(L, 'nSl', ar);
  if (have && ar.what && isNative(fromLuaBytes(ar.what))) have = lua.lua_getstack(L, 2, ar) && lua.lua_getinfo(L, 'nSl', ar);
  if (lua.lua_type(L, 1) !== lua.LUA_TTABLE) {
    const text = lua51Message(fromLuaBytes(lauxlib.luaL_tolstring(L, 1)));
    lua.lua_settop(L, 0);
    lua.lua_createtable(L, 0, 3);
    pushBytes(L, `ERR ${text}`);
    lua.lua_setfield(L, -2, 'err');
  } else lua.lua_settop(L, 1);
  if (have) {
    lua.lua_pushstring(L, ar.source ?? new Uint8Array(0));
    lua.lua_setfield(L, 1, 'source');
    lua.lua_pushinteger(L, ar.currentline);
    lua.lua_setfield(L, 1, 'line');
  }
  return 1;
};

// --- running ----------------------------------------------------------------------------------------

/** How a script's reply went: the caller's command stats need to know if it was an error. */
export interface RunOutcome {
  errorReply: boolean;
}

/** scriptPrepareForRun's refusals that depend on declared flags (null when the script may run). */
/**
 * processCommand's view of a script that declared flags: they replace the command's own, so one
 * without no-writes is a write command (refused without enough good replicas) and one without
 * allow-oom a deny-oom command (refused over maxmemory, which is checked first).
 */
export function declaredFlagsRefusal(engine: Engine, flags: ScriptFlags, oomAtStart: boolean): string | null {
  if (flags.compat || flags.set.has('no-writes')) return null;
  if (oomAtStart && !flags.set.has('allow-oom')) return E.oom;
  if (engine.writesNeedReplicas) return E.noReplicas;
  return null;
}

export function prepareRefusal(flags: ScriptFlags, ro: boolean, oomAtStart: boolean): string | null {
  if (flags.compat) return null;
  if (!flags.set.has('no-writes')) {
    if (ro) return 'Can not execute a script with write flag using *_ro command.';
  }
  if (oomAtStart && !flags.set.has('allow-oom') && !flags.set.has('no-writes'))
    return "-OOM allow-oom flag is not set on the script, can not run it when used memory > 'maxmemory'";
  return null;
}

/** The server is over maxmemory now (Redis's pre_command_oom_state), running evictions first. */
export function overMaxmemory(engine: Engine, client: Client): boolean {
  return engine.checkOom ? engine.checkOom(client) !== null : false;
}

export interface RunRequest {
  L: LuaState;
  ctx: Ctx;
  /** The caller's command line (the slow log and FUNCTION STATS show it). */
  argv: string[];
  /** The running command's commandstats name (eval, evalsha_ro, fcall...). */
  statsName: string;
  name: string;
  evalMode: boolean;
  flags: ScriptFlags;
  ro: boolean;
  oomAtStart: boolean;
  keys: string[];
  args: string[];
  /** Pushes the function to run (the error handler is already on the stack below it). */
  pushFunction(L: LuaState): void;
  /** EVAL: sets KEYS and ARGV globals from the two tables on top of the stack. */
  setGlobals?(L: LuaState): void;
}

function pushArray(L: LuaState, items: string[]): void {
  lua.lua_createtable(L, items.length, 0);
  for (let i = 0; i < items.length; i++) {
    pushBytes(L, items[i]!);
    lua.lua_rawseti(L, -2, i + 1);
  }
}

// --- the coroutine scripts run in -----------------------------------------------------------------

/**
 * The coroutine's body: calls the script (stack: error handler, function, arguments) under the
 * error handler with a continuation, so the script may yield from the count hook, and returns
 * (result or error, ok).
 */
const scriptDone: LuaKFunction = (L, status) => {
  const ok = status === lua.LUA_OK || status === lua.LUA_YIELD;
  if (!ok) reallowHooks(L); // the coroutine is reused: its next script must still time out
  lua.lua_pushboolean(L, ok);
  return 2;
};
const scriptBody: LuaCFunction = (L) => scriptDone(L, lua.lua_pcallk(L, lua.lua_gettop(L) - 2, 1, 1, 0, scriptDone), 0);

/** One coroutine per Lua state, reused while runs end cleanly (a yielded-then-abandoned one is replaced). */
const threads = new WeakMap<LuaState, { co: LuaState; ref: number }>();

function scriptThread(L: LuaState): LuaState {
  let t = threads.get(L);
  if (!t || lua.lua_status(t.co) !== lua.LUA_OK || lua.lua_gettop(t.co) !== 0) {
    if (t) lauxlib.luaL_unref(L, lua.LUA_REGISTRYINDEX, t.ref);
    const co = lua.lua_newthread(L);
    t = { co, ref: lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX) };
    threads.set(L, t);
  }
  return t.co;
}

function forgetThread(L: LuaState): void {
  const t = threads.get(L);
  if (!t) return;
  lauxlib.luaL_unref(L, lua.LUA_REGISTRYINDEX, t.ref);
  threads.delete(L);
}

/** A script run from its start to its reply. */
class Execution {
  readonly co: LuaState;
  private nargs: number;
  /** Error replies the script wrote itself (not counted by a command it called). */
  private ownErrors = 0;
  errorReply = false;
  /** The message of a JavaScript exception that ended the run, or null. */
  private crash: string | null = null;

  constructor(
    readonly req: RunRequest,
    readonly run: RunCtx,
    readonly core: ScriptingCore,
    readonly prevRun: RunCtx | null,
  ) {
    const co = (this.co = scriptThread(req.L));
    const threshold = req.ctx.engine.config.num['busy-reply-threshold']!;
    // Redis sets no hook (the script can never time out) when the threshold is 0.
    lua.lua_sethook(co, threshold > 0 ? scriptHook(req.ctx.engine) : null, lua.LUA_MASKCOUNT, HOOK_EVERY);
    lua.lua_pushcfunction(co, scriptBody);
    lua.lua_pushcfunction(co, errorHandler);
    req.pushFunction(co);
    pushArray(co, req.keys);
    pushArray(co, req.args);
    if (req.setGlobals) {
      req.setGlobals(co);
      this.nargs = 2;
    } else this.nargs = 4;
  }

  /** Runs until the script ends (true) or yields (false). */
  resume(): boolean {
    const { engine } = this.run;
    this.run.sliceEnd = performance.now() + SLICE_MS;
    const prevClient = engine.runningClient;
    const prevClock = engine.freezeClock(this.run.now);
    engine.runningClient = this.run.caller;
    let status: number;
    try {
      status = lua.lua_resume(this.co, this.req.L, this.nargs);
      // A yield the hook did not make is the script's own coroutine.yield at top level: carry on.
      while (status === lua.LUA_YIELD && !this.run.timedOut) {
        lua.lua_settop(this.co, 0);
        status = lua.lua_resume(this.co, this.req.L, 0);
      }
    } catch (err) {
      // A JavaScript exception inside the VM (a bug, or fengari's own limits): the coroutine is in
      // an unknown state, so the next run gets a new one, and this one ends with an error reply.
      forgetThread(this.req.L);
      this.crash = err instanceof Error ? err.message : String(err);
      engine.emit('internal-error', err, this.req.argv);
      return true;
    } finally {
      engine.freezeClock(prevClock);
      engine.runningClient = prevClient;
    }
    this.nargs = 0;
    if (status === lua.LUA_YIELD) return false;
    if (status !== lua.LUA_OK) {
      // Only the body itself failing gets here (the script's errors are caught inside it).
      lua.lua_pushboolean(this.co, false);
    }
    return true;
  }

  /** The script ended: writes its reply (an error reply included) and restores the scripting state. */
  settle(): void {
    const { co, req, run, core } = this;
    const { engine } = run;
    const reply = req.ctx.reply;
    const lc = core.luaClient;
    if (this.crash !== null) {
      const msg = `internal error in '${req.statsName}': ${this.crash}`;
      this.errorReply = true;
      this.ownErrors++;
      engine.countError(msg);
      reply.error(msg);
      core.run = this.prevRun;
      lc.reply.take();
      return;
    }
    try {
      const ok = lua.lua_toboolean(co, -1);
      lua.lua_pop(co, 1);
      if (!ok) {
        this.errorReply = true;
        if (lua.lua_type(co, -1) !== lua.LUA_TTABLE) {
          const u = lua.lua_tolstring(co, -1);
          const msg = `Error running script ${req.name}, ${(u ? fromLuaBytes(u) : 'execution failure').slice(0, 100)}\n`;
          engine.countError(msg);
          this.ownErrors++;
          reply.error(msg);
        } else {
          const info = readErrorTable(co, -1);
          let text = `-${info.msg}`;
          if (info.line !== undefined && info.source !== undefined) text += ` script: ${req.name}, on ${info.source}:${info.line}.`;
          if (!info.counted) {
            engine.countError(text);
            this.ownErrors++;
          }
          reply.error(text);
        }
      } else {
        writeLuaValue(co, reply, lc.proto, (text, counted) => {
          this.errorReply = true;
          if (!counted) {
            engine.countError(text);
            this.ownErrors++;
          }
        });
      }
    } finally {
      lua.lua_settop(co, 0);
      core.run = this.prevRun;
      lc.reply.take();
    }
  }

  /** Inside call(): dispatch marks the command failed when errors were counted during it. */
  get dispatchCountsFailed(): boolean {
    return this.ownErrors + this.run.refusedErrors > 0;
  }
}

/**
 * luaCallFunction: runs a prepared script for ctx.client and writes its reply. Error replies are
 * written directly (not thrown), because their error stats follow Redis's rule: an error that a
 * command already counted is not counted again, but the script's command still counts as failed.
 * A script that yields (past busy-reply-threshold) leaves its client suspended; busy.ts runs it
 * on, and its reply and stats come when it ends.
 */
export function runScript(req: RunRequest): void {
  const { ctx } = req;
  const { engine } = ctx;
  const core = scriptingCore(engine);
  const flags = req.flags;
  const run: RunCtx = {
    engine,
    caller: ctx.client,
    now: ctx.now,
    name: req.name,
    argv: req.argv,
    evalMode: req.evalMode,
    readOnly: req.ro || (!flags.compat && flags.set.has('no-writes')),
    allowOom: !flags.compat && flags.set.has('allow-oom'),
    oomAtStart: req.oomAtStart,
    writeDirty: false,
    refusedErrors: 0,
    startedAt: performance.now(),
    // Inside EXEC (or a nested call) the command must end before anything else runs.
    yieldable: !ctx.client.inExec && !isScriptClient(ctx.client) && engine.runningClient === ctx.client,
    timedOut: false,
    killed: false,
    sliceEnd: 0,
  };
  const lc = core.luaClient;
  lc.dbIndex = ctx.client.dbIndex;
  lc.proto = 2;
  lc.user = ctx.client.user;
  lc.reply.take();
  const x = new Execution(req, run, core, core.run);
  core.run = run;
  if (!x.resume()) {
    suspendRun(x, ctx.now);
    return;
  }
  x.settle();
  // dispatch's call() marks the command failed when it counted errors of its own (refused script
  // commands are among them); Redis marks it failed exactly when its reply is an error.
  if (x.dispatchCountsFailed !== x.errorReply) {
    const st = engine.commandStats(req.statsName);
    st.failed += x.errorReply ? 1 : -1;
  }
}

/** Hands a yielded run to busy.ts, with what it needs to finish it later. */
function suspendRun(x: Execution, startMs: number): void {
  const { engine, caller } = x.run;
  suspend(engine, {
    run: x.run,
    client: caller,
    resume: () => x.resume(),
    complete: () => {
      x.settle();
      const usec = (performance.now() - x.run.startedAt) * 1000;
      const spec = engine.commands.get(x.req.statsName)!;
      countCall(engine, spec, x.req.argv, caller, usec, x.errorReply, startMs);
    },
    abandon: () => {
      x.core.run = x.prevRun;
      x.core.luaClient.reply.take();
    },
  });
}

// --- MONITOR ------------------------------------------------------------------------------------------

/**
 * EVAL, EVALSHA and FCALL show themselves to MONITOR before the commands they run (they carry
 * skip_monitor so that dispatch does not show them again afterwards).
 */
export function feedMonitorsFirst(engine: Engine, client: Client, argv: string[]): void {
  showToMonitors(engine, monitorsOf(engine), argv[0]!.toLowerCase(), argv, client);
}
