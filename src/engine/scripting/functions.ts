// Function libraries (functions.c + function_lua.c): FUNCTION LOAD compiles a library, whose
// first line names it ("#!lua name=<lib>"), and runs its top level once against a minimal API
// (only redis.register_function, redis.log and the version fields exist then); every function it
// registers is kept by name in the registry of the engine's function Lua state, which is separate
// from EVAL's. At FCALL time the function runs with the full sandbox and receives KEYS and ARGV as
// its two arguments. Libraries and functions are listed in the order they were created.

import { registerScriptStats } from './script-stats.js';
import type { Ctx } from '../command.js';
import type { Engine } from '../engine.js';
import { ReplyError } from '../errors.js';
import { parseInteger } from '../args.js';
import { globMatch } from '../glob.js';
import { lauxlib, lua, type LuaCFunction, type LuaState } from './fengari.js';
import { fromLuaBytes, toLuaBytes } from './bytes.js';
import { pushErrorTable, readErrorTable } from './conversion.js';
import { createSandbox, protectTable, setGlobalsView } from './sandbox.js';
import { declaredFlagsRefusal, feedMonitorsFirst, fillLogApi, fillRedisApi, fillVersion, overMaxmemory, prepareRefusal, runScript } from './runner.js';
import { lua51Message } from './lua51-messages.js';
import { HOOK_EVERY } from './busy.js';
import { SCRIPT_FLAGS, splitArgs, type ScriptFlag, type ScriptFlags } from './script-flags.js';

export interface FunctionInfo {
  name: string;
  desc: string | null;
  flags: ScriptFlags;
  ref: number;
  library: LibraryInfo;
}

export interface LibraryInfo {
  name: string;
  code: string;
  /** By lower-cased name: function names are case-insensitive, as in Redis. */
  functions: Map<string, FunctionInfo>;
}

interface FunctionsState {
  L: LuaState;
  libraries: Map<string, LibraryInfo>;
  functions: Map<string, FunctionInfo>;
  /** The library being loaded (register_function adds to it), null outside FUNCTION LOAD. */
  loading: LibraryInfo | null;
}

const states = new WeakMap<Engine, FunctionsState>();

const NAME_RE = /^[A-Za-z0-9_]+$/;
const BAD_NAME = 'Library names can only contain letters, numbers, or underscores(_) and must be at least one character long';

function raise(L: LuaState, msg: string): never {
  pushErrorTable(L, msg);
  return lua.lua_error(L);
}

/** redis.register_function(name, fn) or redis.register_function{function_name=..., callback=..., flags=..., description=...}. */
function registerFunction(engine: Engine): LuaCFunction {
  return (L) => {
    const st = states.get(engine)!;
    const lib = st.loading;
    if (!lib) return raise(L, 'redis.register_function can only be called on FUNCTION LOAD command');
    const argc = lua.lua_gettop(L);
    if (argc < 1 || argc > 2) return raise(L, 'wrong number of arguments to redis.register_function');
    let name: string | null = null;
    let desc: string | null = null;
    let flags = new Set<ScriptFlag>();
    let hasCallback = false;
    if (argc === 1) {
      if (lua.lua_type(L, 1) !== lua.LUA_TTABLE) {
        return raise(L, 'calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).');
      }
      lua.lua_pushnil(L);
      while (lua.lua_next(L, 1)) {
        if (!lua.lua_isstring(L, -2)) return raise(L, 'named argument key given to redis.register_function is not a string');
        const key = fromLuaBytes(lua.lua_tolstring(L, -2)!).toLowerCase();
        if (key === 'function_name') {
          if (!lua.lua_isstring(L, -1)) return raise(L, 'function_name argument given to redis.register_function must be a string');
          name = fromLuaBytes(lua.lua_tolstring(L, -1)!);
        } else if (key === 'description') {
          if (!lua.lua_isstring(L, -1)) return raise(L, 'description argument given to redis.register_function must be a string');
          desc = fromLuaBytes(lua.lua_tolstring(L, -1)!);
        } else if (key === 'callback') {
          if (lua.lua_type(L, -1) !== lua.LUA_TFUNCTION) return raise(L, 'callback argument given to redis.register_function must be a function');
          lua.lua_pushvalue(L, -1);
          lua.lua_setfield(L, lua.LUA_REGISTRYINDEX, 'redscope.pending-callback');
          hasCallback = true;
        } else if (key === 'flags') {
          if (lua.lua_type(L, -1) !== lua.LUA_TTABLE) return raise(L, 'flags argument to redis.register_function must be a table representing function flags');
          const read = readFlags(L);
          if (!read) return raise(L, 'unknown flag given');
          flags = read;
        } else return raise(L, 'unknown argument given to redis.register_function');
        lua.lua_pop(L, 1);
      }
      if (name === null) return raise(L, 'redis.register_function must get a function name argument');
      if (!hasCallback) return raise(L, 'redis.register_function must get a callback argument');
      lua.lua_getfield(L, lua.LUA_REGISTRYINDEX, 'redscope.pending-callback');
    } else {
      if (!lua.lua_isstring(L, 1)) return raise(L, 'first argument to redis.register_function must be a string');
      name = fromLuaBytes(lua.lua_tolstring(L, 1)!);
      if (lua.lua_type(L, 2) !== lua.LUA_TFUNCTION) return raise(L, 'second argument to redis.register_function must be a function');
      lua.lua_pushvalue(L, 2);
    }
    if (!NAME_RE.test(name)) return raise(L, BAD_NAME);
    if (lib.functions.has(name.toLowerCase())) return raise(L, 'Function already exists in the library');
    const ref = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
    lib.functions.set(name.toLowerCase(), { name, desc, flags: { compat: false, set: flags }, ref, library: lib });
    return 0;
  };
}

/** The flags table of register_function (case-insensitive names); null on an unknown flag. */
function readFlags(L: LuaState): Set<ScriptFlag> | null {
  const out = new Set<ScriptFlag>();
  const t = lua.lua_gettop(L);
  for (let j = 1; ; j++) {
    lua.lua_pushnumber(L, j);
    lua.lua_gettable(L, t);
    if (lua.lua_type(L, -1) === lua.LUA_TNIL) {
      lua.lua_pop(L, 1);
      return out;
    }
    if (!lua.lua_isstring(L, -1)) {
      lua.lua_pop(L, 1);
      return null;
    }
    const f = fromLuaBytes(lua.lua_tolstring(L, -1)!).toLowerCase();
    lua.lua_pop(L, 1);
    if (!(SCRIPT_FLAGS as readonly string[]).includes(f)) return null;
    out.add(f as ScriptFlag);
  }
}

function functionsState(engine: Engine): FunctionsState {
  let st = states.get(engine);
  if (!st) {
    const L = createSandbox({ fillRedis: (L2) => fillRedisApi(L2, engine) });
    // The API library code sees while it loads: a `redis` table with register_function, log and
    // the version, and nothing else.
    lua.lua_createtable(L, 0, 1);
    lua.lua_createtable(L, 0, 8);
    lua.lua_pushcfunction(L, registerFunction(engine));
    lua.lua_setfield(L, -2, 'register_function');
    fillLogApi(L, engine);
    fillVersion(L);
    protectTable(L, true);
    lua.lua_setfield(L, -2, 'redis');
    protectTable(L, true);
    lua.lua_setfield(L, lua.LUA_REGISTRYINDEX, 'redscope.load-api');
    st = { L, libraries: new Map(), functions: new Map(), loading: null };
    states.set(engine, st);
    registerScriptStats(engine, () => {
      const cur = states.get(engine);
      return { libraries: cur?.libraries.size ?? 0, functions: cur?.functions.size ?? 0 };
    });
  }
  return st;
}

/** functionExtractLibMetaData: engine, name and the code after the first line. */
function libraryMetadata(payload: string): { engine: string; name: string; code: string } {
  if (!payload.startsWith('#!')) throw new ReplyError('Missing library metadata');
  const end = payload.indexOf('\n');
  if (end < 0) throw new ReplyError('Invalid library metadata');
  const parts = splitArgs(payload.slice(0, end));
  if (!parts || parts.length === 0) throw new ReplyError('Invalid library metadata');
  let name: string | null = null;
  for (const part of parts.slice(1)) {
    if (part.slice(0, 5).toLowerCase() === 'name=') {
      if (name !== null) throw new ReplyError('Invalid metadata value, name argument was given multiple times');
      name = part.slice(5);
      continue;
    }
    throw new ReplyError(`Invalid metadata value given: ${part}`);
  }
  if (name === null) throw new ReplyError('Library name was not given');
  return { engine: parts[0]!.slice(2), name, code: payload.slice(end) };
}

function freeLibrary(st: FunctionsState, lib: LibraryInfo): void {
  for (const f of lib.functions.values()) lauxlib.luaL_unref(st.L, lua.LUA_REGISTRYINDEX, f.ref);
}

function unlink(st: FunctionsState, lib: LibraryInfo): void {
  st.libraries.delete(lib.name);
  for (const f of lib.functions.keys()) st.functions.delete(f);
}

function link(st: FunctionsState, lib: LibraryInfo): void {
  st.libraries.set(lib.name, lib);
  for (const [n, f] of lib.functions) st.functions.set(n, f);
}

/** A library's top level only registers functions: Redis stops one that runs longer than this. */
const LOAD_TIMEOUT_MS = 500;

/** luaEngineLoadHook: fails the load once it has run LOAD_TIMEOUT_MS (every line after, so pcall cannot hold it). */
function loadTimeoutHook(startedAt: number): (L: LuaState) => void {
  const hook = (L: LuaState): void => {
    if (performance.now() - startedAt <= LOAD_TIMEOUT_MS) return;
    lua.lua_sethook(L, hook, lua.LUA_MASKLINE, 0);
    pushErrorTable(L, 'FUNCTION LOAD timeout');
    lua.lua_error(L);
  };
  return hook;
}

/** Runs the library's top level with the load API; registered functions land in `lib`. */
function compileLibrary(st: FunctionsState, lib: LibraryInfo, code: string): void {
  const L = st.L;
  const bytes = toLuaBytes(code);
  const base = lua.lua_gettop(L);
  lua.lua_getfield(L, lua.LUA_REGISTRYINDEX, 'redscope.load-api');
  setGlobalsView(L, false);
  try {
    if (lauxlib.luaL_loadbuffer(L, bytes, bytes.length, '@user_function') !== lua.LUA_OK) {
      const msg = lua51Message(fromLuaBytes(lua.lua_tolstring(L, -1) ?? new Uint8Array(0)));
      throw new ReplyError(`Error compiling function: ${msg}`);
    }
    st.loading = lib;
    lua.lua_sethook(L, loadTimeoutHook(performance.now()), lua.LUA_MASKCOUNT, HOOK_EVERY);
    if (lua.lua_pcall(L, 0, 0, 0) !== lua.LUA_OK) {
      let msg: string;
      if (lua.lua_type(L, -1) === lua.LUA_TTABLE) msg = readErrorTable(L, -1).msg;
      else msg = `ERR ${lua51Message(fromLuaBytes(lua.lua_tolstring(L, -1) ?? new Uint8Array(0)))}`;
      throw new ReplyError(`Error registering functions: ${msg}`);
    }
  } finally {
    lua.lua_sethook(L, null, 0, 0);
    st.loading = null;
    lua.lua_settop(L, base);
    setGlobalsView(L, true);
  }
}

/** functionsCreateWithLibraryCtx: loads (or with `replace`, replaces) a library; returns its name. */
export function loadLibrary(engine: Engine, payload: string, replace: boolean): string {
  const st = functionsState(engine);
  const md = libraryMetadata(payload);
  if (!NAME_RE.test(md.name)) throw new ReplyError(BAD_NAME);
  if (md.engine.toLowerCase() !== 'lua') throw new ReplyError(`Engine '${md.engine}' not found`);
  let old = st.libraries.get(md.name) ?? null;
  if (old && !replace) throw new ReplyError(`Library '${md.name}' already exists`);
  if (old) unlink(st, old);
  const lib: LibraryInfo = { name: md.name, code: payload, functions: new Map() };
  try {
    compileLibrary(st, lib, md.code);
    if (lib.functions.size === 0) throw new ReplyError('No functions registered');
    for (const [key, f] of lib.functions) {
      if (st.functions.has(key)) throw new ReplyError(`Function ${f.name} already exists`);
    }
  } catch (err) {
    freeLibrary(st, lib);
    if (old) link(st, old);
    old = null;
    throw err;
  }
  link(st, lib);
  if (old) freeLibrary(st, old);
  return md.name;
}

export function listLibraries(engine: Engine): LibraryInfo[] {
  return [...(states.get(engine)?.libraries.values() ?? [])];
}

export function deleteLibrary(engine: Engine, name: string): void {
  const st = states.get(engine);
  const lib = st?.libraries.get(name);
  if (!st || !lib) throw new ReplyError('Library not found');
  unlink(st, lib);
  freeLibrary(st, lib);
}

export function flushLibraries(engine: Engine): void {
  const st = states.get(engine);
  if (!st) return;
  for (const lib of [...st.libraries.values()]) {
    unlink(st, lib);
    freeLibrary(st, lib);
  }
}

export function functionCounts(engine: Engine): { libraries: number; functions: number } {
  const st = states.get(engine);
  return { libraries: st?.libraries.size ?? 0, functions: st?.functions.size ?? 0 };
}

/** FUNCTION LIST's LIBRARYNAME filter. */
export function libraryMatches(pattern: string, name: string): boolean {
  return globMatch(pattern, name, true);
}

/** FCALL / FCALL_RO. */
export function fcallCommand(ctx: Ctx, argv: string[], ro: boolean): void {
  const { engine } = ctx;
  feedMonitorsFirst(engine, ctx.client, argv);
  const st = states.get(engine);
  const fn = st?.functions.get(argv[1]!.toLowerCase());
  if (!st || !fn) throw new ReplyError('Function not found');
  const numkeys = parseInteger(argv[2]!, 'Bad number of keys provided');
  if (numkeys > argv.length - 3) throw new ReplyError("Number of keys can't be greater than number of args");
  if (numkeys < 0) throw new ReplyError("Number of keys can't be negative");
  const oomAtStart = overMaxmemory(engine, ctx.client);
  const refusal = declaredFlagsRefusal(engine, fn.flags, oomAtStart) ?? prepareRefusal(fn.flags, ro, oomAtStart);
  if (refusal) throw new ReplyError(refusal);
  runScript({
    L: st.L,
    ctx,
    argv,
    statsName: argv[0]!.toLowerCase(),
    name: fn.name,
    evalMode: false,
    flags: fn.flags,
    ro,
    oomAtStart,
    keys: argv.slice(3, 3 + numkeys),
    args: argv.slice(3 + numkeys),
    pushFunction: (L) => lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, fn.ref),
  });
}

// --- FUNCTION RESTORE: libraries compiled aside, then joined (functionsLibCtx + libraryJoin) ---

/** Libraries compiled for FUNCTION RESTORE and not yet visible to FCALL. */
export interface LibrarySet {
  libraries: Map<string, LibraryInfo>;
  /** By lower-cased name, as the live set. */
  functions: Map<string, FunctionInfo>;
}

export function newLibrarySet(): LibrarySet {
  return { libraries: new Map(), functions: new Map() };
}

/** functionsCreateWithLibraryCtx into `set` without replace: the same checks as FUNCTION LOAD, against `set`. */
export function loadLibraryInto(engine: Engine, set: LibrarySet, payload: string): void {
  const st = functionsState(engine);
  const md = libraryMetadata(payload);
  if (!NAME_RE.test(md.name)) throw new ReplyError(BAD_NAME);
  if (md.engine.toLowerCase() !== 'lua') throw new ReplyError(`Engine '${md.engine}' not found`);
  if (set.libraries.has(md.name)) throw new ReplyError(`Library '${md.name}' already exists`);
  const lib: LibraryInfo = { name: md.name, code: payload, functions: new Map() };
  try {
    compileLibrary(st, lib, md.code);
    if (lib.functions.size === 0) throw new ReplyError('No functions registered');
    for (const [key, f] of lib.functions) {
      if (set.functions.has(key)) throw new ReplyError(`Function ${f.name} already exists`);
    }
  } catch (err) {
    freeLibrary(st, lib);
    throw err;
  }
  set.libraries.set(lib.name, lib);
  for (const [key, f] of lib.functions) set.functions.set(key, f);
}

/** Drops a set that was not joined (its functions' registry references). */
export function freeLibrarySet(engine: Engine, set: LibrarySet): void {
  const st = states.get(engine);
  if (st) for (const lib of set.libraries.values()) freeLibrary(st, lib);
  set.libraries.clear();
  set.functions.clear();
}

/**
 * libraryJoin: moves every library of `set` into the live set. A name already live fails the
 * join unless `replace` (then the old library goes); a function name already live fails it too.
 * A failed join leaves the live set as it was and `set` untouched (free it with freeLibrarySet).
 */
export function joinLibraries(engine: Engine, set: LibrarySet, replace: boolean): void {
  const st = functionsState(engine);
  const replaced: LibraryInfo[] = [];
  try {
    for (const lib of set.libraries.values()) {
      const old = st.libraries.get(lib.name);
      if (!old) continue;
      if (!replace) throw new ReplyError(`Library ${lib.name} already exists`);
      unlink(st, old);
      replaced.push(old);
    }
    for (const [key, f] of set.functions) {
      if (st.functions.has(key)) throw new ReplyError(`Function ${f.name} already exists`);
    }
  } catch (err) {
    for (const old of replaced) link(st, old);
    throw err;
  }
  for (const lib of set.libraries.values()) link(st, lib);
  for (const old of replaced) freeLibrary(st, old);
  set.libraries.clear();
  set.functions.clear();
}

/** functionsLibCtxSwapWithCurrent: the live libraries become exactly those of `set`. */
export function swapLibraries(engine: Engine, set: LibrarySet): void {
  const st = functionsState(engine);
  flushLibraries(engine);
  for (const lib of set.libraries.values()) link(st, lib);
  set.libraries.clear();
  set.functions.clear();
}
