// The Lua environment scripts see, shaped like the one Redis 7.0 gives its embedded Lua 5.1:
// the base, table, string, math and coroutine libraries with 5.1's names (unpack, loadstring,
// table.getn, math.pow, string.gfind...) and without 5.3's additions, plus bit, cjson, cmsgpack,
// struct and the `redis` table the caller supplies. Redis marks every table reachable from the globals read-only
// (a patch of its own to Lua); here each of them is reached through a proxy table whose
// metatable reads from the real table and refuses writes, and the globals proxy raises the
// "nonexistent global variable" error on reads of names that do not exist. rawset and
// setmetatable refuse protected tables too, so the well-known tricks fail the way they do in Redis.

import { lauxlib, lua, lualib, reallowHooks, type LuaCFunction, type LuaState } from './fengari.js';
import { openBit } from './bit.js';
import { openCjson } from './cjson.js';
import { openCmsgpack } from './cmsgpack.js';
import { openStruct } from './struct.js';
import { fromLuaBytes } from './bytes.js';

/** Registry keys this file owns. */
const REG_PROTECTED = 'redscope.protected';
const REG_GLOBALS = 'redscope.globals';

/** What the caller puts in the environment besides the standard libraries. */
export interface SandboxSpec {
  /** Fills the table on top of the stack with the `redis` API functions. */
  fillRedis(L: LuaState): void;
  /** Sets further globals before the globals are locked. */
  extraGlobals?(L: LuaState): void;
}

/** The functions of a library table to drop (5.3 additions) and to add (5.1 names). */
const DROP: Record<string, string[]> = {
  _G: ['dofile', 'loadfile', 'print', 'rawlen', 'require'],
  table: ['move', 'pack', 'unpack'],
  string: ['pack', 'packsize', 'unpack'],
  math: ['tointeger', 'ult', 'maxinteger', 'mininteger', 'type'],
  coroutine: ['isyieldable'],
};

const readonlyError: LuaCFunction = (L) => lauxlib.luaL_error(L, 'Attempt to modify a readonly table');

/** The same error raised by a library function: Redis's Lua reports it without a position. */
const readonlyRefusal = (L: LuaState): never => {
  lua.lua_pushstring(L, 'Attempt to modify a readonly table');
  return lua.lua_error(L);
};

const missingGlobal: LuaCFunction = (L) => {
  const name = lua.lua_tolstring(L, 2);
  return lauxlib.luaL_error(L, "Script attempted to access nonexistent global variable '%s'", name ?? '?');
};

/** __pairs of a proxy: iterate the real table (upvalue 1). */
const proxyPairs: LuaCFunction = (L) => {
  lua.lua_getglobal(L, 'next');
  lua.lua_pushvalue(L, lua.lua_upvalueindex(1));
  lua.lua_pushnil(L);
  return 3;
};

const proxyLen: LuaCFunction = (L) => {
  lua.lua_pushinteger(L, lua.lua_rawlen(L, lua.lua_upvalueindex(1)));
  return 1;
};

function isProtected(L: LuaState, idx: number): boolean {
  if (lua.lua_type(L, idx) !== lua.LUA_TTABLE) return false;
  const abs = lua.lua_absindex(L, idx);
  lua.lua_getfield(L, lua.LUA_REGISTRYINDEX, REG_PROTECTED);
  lua.lua_pushvalue(L, abs);
  lua.lua_rawget(L, -2);
  const yes = lua.lua_toboolean(L, -1);
  lua.lua_pop(L, 2);
  return yes;
}

function markProtected(L: LuaState, idx: number): void {
  const abs = lua.lua_absindex(L, idx);
  lua.lua_getfield(L, lua.LUA_REGISTRYINDEX, REG_PROTECTED);
  lua.lua_pushvalue(L, abs);
  lua.lua_pushboolean(L, true);
  lua.lua_rawset(L, -3);
  lua.lua_pop(L, 1);
}

/**
 * Replaces the table at the top of the stack by a read-only proxy of it. `missing` is the
 * __index of the real table's own metatable (the globals' "nonexistent variable" error).
 */
function protectTop(L: LuaState, missing: LuaCFunction | null): void {
  const real = lua.lua_gettop(L);
  if (missing) {
    lua.lua_createtable(L, 0, 1);
    lua.lua_pushcfunction(L, missing);
    lua.lua_setfield(L, -2, '__index');
    markProtected(L, -1);
    lua.lua_setmetatable(L, real);
  }
  lua.lua_createtable(L, 0, 0); // proxy
  lua.lua_createtable(L, 0, 5); // its metatable
  lua.lua_pushvalue(L, real);
  lua.lua_setfield(L, -2, '__index');
  lua.lua_pushcfunction(L, readonlyError);
  lua.lua_setfield(L, -2, '__newindex');
  lua.lua_pushvalue(L, real);
  lua.lua_pushcclosure(L, proxyPairs, 1);
  lua.lua_setfield(L, -2, '__pairs');
  lua.lua_pushvalue(L, real);
  lua.lua_pushcclosure(L, proxyLen, 1);
  lua.lua_setfield(L, -2, '__len');
  markProtected(L, -1);
  // getmetatable(proxy) answers a read-only view of the metatable.
  lua.lua_createtable(L, 0, 0);
  lua.lua_createtable(L, 0, 3);
  lua.lua_pushvalue(L, -3);
  lua.lua_setfield(L, -2, '__index');
  lua.lua_pushcfunction(L, readonlyError);
  lua.lua_setfield(L, -2, '__newindex');
  lua.lua_pushboolean(L, false);
  lua.lua_setfield(L, -2, '__metatable');
  markProtected(L, -1);
  lua.lua_setmetatable(L, -2);
  markProtected(L, -1);
  lua.lua_setfield(L, -2, '__metatable');
  lua.lua_setmetatable(L, -2);
  markProtected(L, -1);
  markProtected(L, real);
  lua.lua_replace(L, real);
}

function setFn(L: LuaState, name: string, fn: LuaCFunction): void {
  lua.lua_pushcfunction(L, fn);
  lua.lua_setfield(L, -2, name);
}

/** Copies field `from` of the table on top into field `to` of the same table. */
function alias(L: LuaState, from: string, to: string): void {
  lua.lua_getfield(L, -1, from);
  lua.lua_setfield(L, -2, to);
}

// --- Lua 5.1 functions that 5.3 dropped -------------------------------------------------------

const num = (L: LuaState, i: number): number => lauxlib.luaL_checknumber(L, i);
const pushNum = (L: LuaState, n: number): number => {
  lua.lua_pushnumber(L, n);
  return 1;
};

const MATH_51: Record<string, LuaCFunction> = {
  atan2: (L) => pushNum(L, Math.atan2(num(L, 1), num(L, 2))),
  cosh: (L) => pushNum(L, Math.cosh(num(L, 1))),
  sinh: (L) => pushNum(L, Math.sinh(num(L, 1))),
  tanh: (L) => pushNum(L, Math.tanh(num(L, 1))),
  log10: (L) => pushNum(L, Math.log10(num(L, 1))),
  pow: (L) => pushNum(L, Math.pow(num(L, 1), num(L, 2))),
  ldexp: (L) => pushNum(L, num(L, 1) * Math.pow(2, lauxlib.luaL_checkinteger(L, 2))),
  frexp: (L) => {
    const x = num(L, 1);
    if (x === 0 || !Number.isFinite(x)) {
      lua.lua_pushnumber(L, x);
      lua.lua_pushinteger(L, 0);
      return 2;
    }
    let e = Math.max(-1073, Math.floor(Math.log2(Math.abs(x))) + 1);
    let m = x * Math.pow(2, -e);
    while (Math.abs(m) < 0.5) {
      m *= 2;
      e--;
    }
    while (Math.abs(m) >= 1) {
      m /= 2;
      e++;
    }
    lua.lua_pushnumber(L, m);
    lua.lua_pushinteger(L, e);
    return 2;
  },
};

const TABLE_51: Record<string, LuaCFunction> = {
  getn: (L) => {
    lauxlib.luaL_checktype(L, 1, lua.LUA_TTABLE);
    lua.lua_pushinteger(L, lauxlib.luaL_len(L, 1));
    return 1;
  },
  setn: (L) => lauxlib.luaL_error(L, "'setn' is obsolete"),
  maxn: (L) => {
    lauxlib.luaL_checktype(L, 1, lua.LUA_TTABLE);
    let max = 0;
    lua.lua_pushnil(L);
    while (lua.lua_next(L, 1)) {
      lua.lua_pop(L, 1);
      if (lua.lua_type(L, -1) === lua.LUA_TNUMBER) max = Math.max(max, lua.lua_tonumber(L, -1));
    }
    lua.lua_pushnumber(L, max);
    return 1;
  },
  foreach: (L) => {
    lauxlib.luaL_checktype(L, 1, lua.LUA_TTABLE);
    lauxlib.luaL_checktype(L, 2, lua.LUA_TFUNCTION);
    lua.lua_pushnil(L);
    while (lua.lua_next(L, 1)) {
      lua.lua_pushvalue(L, 2);
      lua.lua_pushvalue(L, -3);
      lua.lua_pushvalue(L, -3);
      lua.lua_call(L, 2, 1);
      if (lua.lua_type(L, -1) !== lua.LUA_TNIL) return 1;
      lua.lua_pop(L, 2);
    }
    return 0;
  },
  foreachi: (L) => {
    lauxlib.luaL_checktype(L, 1, lua.LUA_TTABLE);
    lauxlib.luaL_checktype(L, 2, lua.LUA_TFUNCTION);
    const n = lauxlib.luaL_len(L, 1);
    for (let i = 1; i <= n; i++) {
      lua.lua_pushvalue(L, 2);
      lua.lua_pushinteger(L, i);
      lua.lua_rawgeti(L, 1, i);
      lua.lua_call(L, 2, 1);
      if (lua.lua_type(L, -1) !== lua.LUA_TNIL) return 1;
      lua.lua_pop(L, 1);
    }
    return 0;
  },
};

// --- math.random / math.randomseed: the lrand48 sequence Redis uses on every platform ----------

const A = 0x5deece66dn;
const MASK48 = (1n << 48n) - 1n;

function randomFns(): Record<string, LuaCFunction> {
  let x = 0x1234abcd330en;
  const next = (): number => {
    x = (A * x + 0xbn) & MASK48;
    return Number(x >> 17n);
  };
  const MAX = 2147483647;
  return {
    random: (L) => {
      const r = (next() % MAX) / MAX;
      const argc = lua.lua_gettop(L);
      if (argc === 0) return pushNum(L, r);
      if (argc === 1) {
        const u = lauxlib.luaL_checkinteger(L, 1);
        if (u < 1) lauxlib.luaL_argerror(L, 1, 'interval is empty');
        return pushNum(L, Math.floor(r * u) + 1);
      }
      if (argc === 2) {
        const l = lauxlib.luaL_checkinteger(L, 1);
        const u = lauxlib.luaL_checkinteger(L, 2);
        if (l > u) lauxlib.luaL_argerror(L, 2, 'interval is empty');
        return pushNum(L, Math.floor(r * (u - l + 1)) + l);
      }
      return lauxlib.luaL_error(L, 'wrong number of arguments');
    },
    randomseed: (L) => {
      const seed = BigInt.asUintN(32, BigInt(lauxlib.luaL_checkinteger(L, 1)));
      x = (seed << 16n) | 0x330en;
      return 0;
    },
  };
}

/**
 * Redis's pcall: an error raised as a Redis error table ({err=...}) is handed to the script as
 * its message string, as older Redis versions (string errors) did. Called with a continuation
 * (lua_pcallk), so a script looping inside pcall can still yield to the event loop once it is
 * past busy-reply-threshold (see busy.ts).
 */
const redisPcallFinish = (L: LuaState, status: number): number => {
  if (status !== lua.LUA_OK && status !== lua.LUA_YIELD) {
    reallowHooks(L);
    lua.lua_remove(L, 1);
    if (lua.lua_type(L, -1) === lua.LUA_TTABLE) {
      lua.lua_getfield(L, -1, 'err');
      if (lua.lua_isstring(L, -1)) lua.lua_replace(L, -2);
      else lua.lua_pop(L, 1);
    }
    lua.lua_pushboolean(L, false);
    lua.lua_insert(L, 1);
  }
  return lua.lua_gettop(L);
};

const redisPcall: LuaCFunction = (L) => {
  if (lua.lua_gettop(L) < 1) return lauxlib.luaL_argerror(L, 1, 'value expected');
  const argc = lua.lua_gettop(L);
  lua.lua_pushboolean(L, true);
  lua.lua_insert(L, 1);
  return redisPcallFinish(L, lua.lua_pcallk(L, argc - 1, lua.LUA_MULTRET, 0, 0, redisPcallFinish));
};

/** Lua 5.1's xpcall(f, handler): no arguments for f; yieldable like pcall above. */
const xpcallFinish = (L: LuaState, status: number): number => {
  const ok = status === lua.LUA_OK || status === lua.LUA_YIELD;
  if (!ok) reallowHooks(L);
  lua.lua_pushboolean(L, ok);
  lua.lua_replace(L, 1);
  return lua.lua_gettop(L);
};

const redisXpcall: LuaCFunction = (L) => {
  if (lua.lua_gettop(L) < 2) return lauxlib.luaL_argerror(L, 2, 'value expected');
  lua.lua_settop(L, 2);
  lua.lua_insert(L, 1); // the handler under the function
  return xpcallFinish(L, lua.lua_pcallk(L, 0, lua.LUA_MULTRET, 1, 0, xpcallFinish));
};

// --- base functions guarded against protected tables ---------------------------------------------

function guardedBase(L: LuaState): void {
  lua.lua_getglobal(L, 'rawset');
  const rawsetRef = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
  lua.lua_getglobal(L, 'setmetatable');
  const setmetaRef = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
  const guard =
    (ref: number): LuaCFunction =>
    (L2) => {
      if (isProtected(L2, 1)) return readonlyRefusal(L2);
      const n = lua.lua_gettop(L2);
      lua.lua_rawgeti(L2, lua.LUA_REGISTRYINDEX, ref);
      lua.lua_insert(L2, 1);
      lua.lua_call(L2, n, lua.LUA_MULTRET);
      return lua.lua_gettop(L2);
    };
  lua.lua_pushcfunction(L, guard(rawsetRef));
  lua.lua_setglobal(L, 'rawset');
  lua.lua_pushcfunction(L, guard(setmetaRef));
  lua.lua_setglobal(L, 'setmetatable');
}

/** Opens `name` (a standard library) into the globals. */
function open(L: LuaState, name: string, fn: LuaCFunction): void {
  lauxlib.luaL_requiref(L, name, fn, 1);
  lua.lua_pop(L, 1);
}

/**
 * Builds a fresh sandboxed state. On return the registry holds the real globals table under
 * REG_GLOBALS, and LUA_RIDX_GLOBALS (what chunks get as _ENV) is the read-only proxy.
 */
export function createSandbox(spec: SandboxSpec): LuaState {
  const L = lauxlib.luaL_newstate();
  lua.lua_createtable(L, 0, 0);
  lua.lua_setfield(L, lua.LUA_REGISTRYINDEX, REG_PROTECTED);

  open(L, '_G', lualib.luaopen_base);
  open(L, 'table', lualib.luaopen_table);
  open(L, 'string', lualib.luaopen_string);
  open(L, 'math', lualib.luaopen_math);
  open(L, 'coroutine', lualib.luaopen_coroutine);
  openBit(L);
  openCjson(L);
  openCmsgpack(L);
  openStruct(L);

  // Reshape to Lua 5.1's names.
  lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, lua.LUA_RIDX_GLOBALS);
  for (const [lib, names] of Object.entries(DROP)) {
    if (lib !== '_G') lua.lua_getfield(L, -1, lib);
    for (const n of names) {
      lua.lua_pushnil(L);
      lua.lua_setfield(L, -2, n);
    }
    if (lib !== '_G') lua.lua_pop(L, 1);
  }
  lua.lua_pop(L, 1);
  installUnpack(L);
  // Text chunks only: Redis's Lua refuses precompiled (binary) chunks.
  lua.lua_getglobal(L, 'load');
  const loadRef = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
  const textLoad: LuaCFunction = (L2) => {
    lua.lua_settop(L2, 2);
    lua.lua_rawgeti(L2, lua.LUA_REGISTRYINDEX, loadRef);
    lua.lua_insert(L2, 1);
    lua.lua_pushstring(L2, 't');
    lua.lua_call(L2, 3, lua.LUA_MULTRET);
    return lua.lua_gettop(L2);
  };
  lua.lua_pushcfunction(L, textLoad);
  lua.lua_setglobal(L, 'load');
  lua.lua_pushcfunction(L, textLoad);
  lua.lua_setglobal(L, 'loadstring');
  lua.lua_pushcfunction(L, (L2) => {
    lua.lua_pushinteger(L2, 0);
    return 1;
  });
  lua.lua_setglobal(L, 'gcinfo');
  lua.lua_pushstring(L, 'Lua 5.1');
  lua.lua_setglobal(L, '_VERSION');

  lua.lua_getglobal(L, 'string');
  alias(L, 'gmatch', 'gfind');
  lua.lua_pop(L, 1);
  lua.lua_getglobal(L, 'table');
  for (const [n, fn] of Object.entries(TABLE_51)) setFn(L, n, fn);
  lua.lua_pop(L, 1);
  lua.lua_getglobal(L, 'math');
  for (const [n, fn] of Object.entries(MATH_51)) setFn(L, n, fn);
  alias(L, 'fmod', 'mod');
  for (const [n, fn] of Object.entries(randomFns())) setFn(L, n, fn);
  lua.lua_pop(L, 1);

  lua.lua_createtable(L, 0, 24);
  spec.fillRedis(L);
  lua.lua_setglobal(L, 'redis');

  guardedBase(L);
  lua.lua_pushcfunction(L, redisPcall);
  lua.lua_setglobal(L, 'pcall');
  lua.lua_pushcfunction(L, redisXpcall);
  lua.lua_setglobal(L, 'xpcall');
  if (spec.extraGlobals) spec.extraGlobals(L);

  // Protect every library table, then the globals themselves.
  for (const lib of ['string', 'table', 'math', 'coroutine', 'bit', 'cjson', 'cmsgpack', 'struct', 'redis']) {
    lua.lua_getglobal(L, lib);
    protectTop(L, null);
    lua.lua_setglobal(L, lib);
  }
  lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, lua.LUA_RIDX_GLOBALS);
  lua.lua_pushvalue(L, -1);
  lua.lua_setfield(L, lua.LUA_REGISTRYINDEX, REG_GLOBALS);
  protectTop(L, missingGlobal);
  // _G names the proxy, so that _G.x and x behave alike.
  lua.lua_getfield(L, lua.LUA_REGISTRYINDEX, REG_GLOBALS);
  lua.lua_pushvalue(L, -2);
  lua.lua_setfield(L, -2, '_G');
  lua.lua_pop(L, 1);
  lua.lua_rawseti(L, lua.LUA_REGISTRYINDEX, lua.LUA_RIDX_GLOBALS);
  return L;
}

/** 5.1's global unpack (table.unpack of 5.3, which DROP removed from `table`). */
function installUnpack(L: LuaState): void {
  lua.lua_pushcfunction(L, (L2) => {
    lauxlib.luaL_checktype(L2, 1, lua.LUA_TTABLE);
    const i = lauxlib.luaL_optinteger(L2, 2, 1);
    const e = lua.lua_type(L2, 3) <= lua.LUA_TNIL ? lauxlib.luaL_len(L2, 1) : lauxlib.luaL_checkinteger(L2, 3);
    if (i > e) return 0;
    const n = e - i + 1;
    if (n >= 8000000 || !lua.lua_checkstack(L2, n)) return lauxlib.luaL_error(L2, 'too many results to unpack');
    for (let k = i; k <= e; k++) lua.lua_rawgeti(L2, 1, k);
    return n;
  });
  lua.lua_setglobal(L, 'unpack');
}

/** Sets a global in the real globals table (KEYS and ARGV, which scripts cannot set themselves). */
export function setRealGlobal(L: LuaState, name: string): void {
  lua.lua_getfield(L, lua.LUA_REGISTRYINDEX, REG_GLOBALS);
  lua.lua_insert(L, -2);
  lua.lua_setfield(L, -2, name);
  lua.lua_pop(L, 1);
}

/**
 * Points the globals proxy's reads at the table on top of the stack (popped), or back at the
 * real globals when `restore`: FUNCTION LOAD runs library code against its own small API.
 */
export function setGlobalsView(L: LuaState, restore: boolean): void {
  if (restore) lua.lua_getfield(L, lua.LUA_REGISTRYINDEX, REG_GLOBALS);
  lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, lua.LUA_RIDX_GLOBALS);
  lua.lua_getmetatable(L, -1);
  lua.lua_pushvalue(L, -3);
  lua.lua_setfield(L, -2, '__index');
  lua.lua_pop(L, 3);
}

/** Wraps the table on top of the stack in a read-only proxy (the function-load API table). */
export function protectTable(L: LuaState, missingIsError: boolean): void {
  protectTop(L, missingIsError ? missingGlobal : null);
}

/** The text of a Lua error value (for messages built outside the error handler). */
export function errorText(L: LuaState, idx: number): string {
  const u = lua.lua_tolstring(L, idx);
  return u ? fromLuaBytes(u) : 'execution failure';
}
