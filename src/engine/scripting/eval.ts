// EVAL / EVALSHA and the script cache (eval.c): each engine has one Lua state for EVAL scripts
// and a cache of compiled scripts keyed by the SHA1 of their body. A script body is compiled
// once, as the chunk "@user_script" (so errors read "user_script:<line>: ..."), with its shebang
// line blanked but its newline kept so line numbers stay right. SCRIPT FLUSH drops the cache and
// the whole Lua state, as Redis resets its interpreter.

import { registerScriptStats } from './script-stats.js';
import type { Ctx } from '../command.js';
import type { Engine } from '../engine.js';
import { ReplyError } from '../errors.js';
import { parseInteger } from '../args.js';
import { lauxlib, lua, type LuaState } from './fengari.js';
import { fromLuaBytes, toLuaBytes } from './bytes.js';
import { createSandbox, setRealGlobal } from './sandbox.js';
import { declaredFlagsRefusal, errorHandler, feedMonitorsFirst, fillRedisApi, overMaxmemory, prepareRefusal, runScript, scriptingCore, sha1hex } from './runner.js';
import { parseShebang, type ScriptFlags } from './script-flags.js';
import { lua51Message } from './lua51-messages.js';

interface CachedScript {
  body: string;
  flags: ScriptFlags;
  /** Registry reference of the compiled chunk. */
  ref: number;
}

interface EvalState {
  L: LuaState;
  scripts: Map<string, CachedScript>;
  /** Bytes of cached bodies and SHA1s (INFO used_memory_scripts_eval). */
  bytes: number;
}

const states = new WeakMap<Engine, EvalState>();

function newState(engine: Engine): EvalState {
  const L = createSandbox({
    fillRedis: (L2) => fillRedisApi(L2, engine),
    // Redis keeps its EVAL error handler as a global of that name; scripts can see it.
    extraGlobals: (L2) => {
      lua.lua_pushcfunction(L2, errorHandler);
      lua.lua_setglobal(L2, '__redis__err__handler');
    },
  });
  return { L, scripts: new Map(), bytes: 0 };
}

export function evalState(engine: Engine): EvalState {
  let st = states.get(engine);
  if (!st) {
    states.set(engine, (st = newState(engine)));
    registerScriptStats(engine, () => {
      const cur = states.get(engine);
      return { scripts: cur?.scripts.size ?? 0, scriptBytes: cur?.bytes ?? 0 };
    });
  }
  return st;
}

export const NOSCRIPT = '-NOSCRIPT No matching script. Please use EVAL.';

/** luaCreateFunction: compiles and caches `body` (or finds it cached). Throws the compile error. */
export function cacheScript(engine: Engine, body: string): string {
  const st = evalState(engine);
  const sha = sha1hex(body);
  if (st.scripts.has(sha)) return sha;
  const shebang = parseShebang(body);
  if ('error' in shebang) throw new ReplyError(shebang.error);
  const L = st.L;
  const code = toLuaBytes(body.slice(shebang.shebangLen));
  if (lauxlib.luaL_loadbuffer(L, code, code.length, '@user_script') !== lua.LUA_OK) {
    const msg = lua51Message(fromLuaBytes(lua.lua_tolstring(L, -1) ?? new Uint8Array(0)));
    lua.lua_pop(L, 1);
    throw new ReplyError(`Error compiling script (new function): ${msg}`);
  }
  const ref = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
  st.scripts.set(sha, { body, flags: shebang.flags, ref });
  st.bytes += body.length + 40;
  return sha;
}

/** EVAL, EVALSHA, EVAL_RO, EVALSHA_RO. */
export function evalCommand(ctx: Ctx, argv: string[], bySha: boolean, ro: boolean): void {
  const { engine } = ctx;
  feedMonitorsFirst(engine, ctx.client, argv);
  if (bySha && argv[1]!.length !== 40) throw new ReplyError(NOSCRIPT);
  const numkeys = parseInteger(argv[2]!);
  if (numkeys > argv.length - 3) throw new ReplyError("Number of keys can't be greater than number of args");
  if (numkeys < 0) throw new ReplyError("Number of keys can't be negative");
  const st = evalState(engine);
  let sha: string;
  if (bySha) {
    sha = argv[1]!.toLowerCase();
    if (!st.scripts.has(sha)) throw new ReplyError(NOSCRIPT);
  } else sha = cacheScript(engine, argv[1]!);
  const script = st.scripts.get(sha)!;
  const oomAtStart = overMaxmemory(engine, ctx.client);
  const refusal = declaredFlagsRefusal(engine, script.flags, oomAtStart) ?? prepareRefusal(script.flags, ro, oomAtStart);
  if (refusal) throw new ReplyError(refusal);
  const L = st.L;
  runScript({
    L,
    ctx,
    argv,
    statsName: argv[0]!.toLowerCase(),
    name: sha,
    evalMode: true,
    flags: script.flags,
    ro,
    oomAtStart,
    keys: argv.slice(3, 3 + numkeys),
    args: argv.slice(3 + numkeys),
    pushFunction: (L2) => lua.lua_rawgeti(L2, lua.LUA_REGISTRYINDEX, script.ref),
    setGlobals: (L2) => {
      setRealGlobal(L2, 'ARGV');
      setRealGlobal(L2, 'KEYS');
    },
  });
}

/** SCRIPT EXISTS */
export function scriptExists(engine: Engine, shas: string[]): boolean[] {
  const st = states.get(engine);
  return shas.map((s) => st?.scripts.has(s.toLowerCase()) ?? false);
}

/** SCRIPT FLUSH: a fresh interpreter and an empty cache. */
export function flushScripts(engine: Engine): void {
  if (states.has(engine)) states.set(engine, newState(engine));
  scriptingCore(engine);
}

/** INFO's scripting numbers: cached scripts and their memory. */
export function evalCacheInfo(engine: Engine): { scripts: number; bytes: number } {
  const st = states.get(engine);
  return { scripts: st?.scripts.size ?? 0, bytes: st?.bytes ?? 0 };
}
