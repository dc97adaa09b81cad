// The Lua VM the scripting engine runs on: fengari (Lua 5.3 written in JavaScript, synchronous,
// strings as Uint8Array). Redis embeds Lua 5.1, whose numbers print without a trailing ".0", so
// fengari is loaded with its LUA_COMPAT_FLOATSTRING switch on (it reads the switch from the
// FENGARICONF environment variable once, when the package is first required). The typed surface
// below covers only the functions the engine calls; fengari ships no TypeScript types. Numbers are
// printed as Lua 5.1 prints them ("%.14g"), by replacing fengari's formatting function before
// fengari's modules load.

import { createRequire } from 'node:module';
import { formatG } from './number-format.js';

/** An opaque Lua thread (fengari's lua_State). */
export interface LuaState {
  readonly __luaState: unique symbol;
}

/** A JavaScript function Lua can call (lua_CFunction): returns how many results it pushed. */
export type LuaCFunction = (L: LuaState) => number;

/** A continuation (lua_KFunction): what a JavaScript function does after a call it made yielded and resumed. */
export type LuaKFunction = (L: LuaState, status: number, ctx: number) => number;

/** The activation record lua_getstack/lua_getinfo fill in (lua_Debug). */
export interface LuaDebug {
  currentline: number;
  source: Uint8Array | null;
  short_src: Uint8Array | null;
  what: Uint8Array | null;
}

export interface LuaApi {
  LUA_TNONE: number;
  LUA_TNIL: number;
  LUA_TBOOLEAN: number;
  LUA_TNUMBER: number;
  LUA_TSTRING: number;
  LUA_TTABLE: number;
  LUA_TFUNCTION: number;
  LUA_TLIGHTUSERDATA: number;
  LUA_OK: number;
  LUA_MULTRET: number;
  LUA_REGISTRYINDEX: number;
  LUA_RIDX_GLOBALS: number;
  LUA_MASKCOUNT: number;
  LUA_MASKLINE: number;
  LUA_YIELD: number;
  lua_Debug: new () => LuaDebug;
  lua_absindex(L: LuaState, idx: number): number;
  lua_call(L: LuaState, nargs: number, nresults: number): void;
  lua_checkstack(L: LuaState, n: number): boolean;
  lua_createtable(L: LuaState, narr: number, nrec: number): void;
  lua_error(L: LuaState): never;
  lua_getfield(L: LuaState, idx: number, k: string | Uint8Array): number;
  lua_getglobal(L: LuaState, name: string | Uint8Array): number;
  lua_gettable(L: LuaState, idx: number): number;
  lua_getinfo(L: LuaState, what: string | Uint8Array, ar: LuaDebug): boolean;
  lua_getmetatable(L: LuaState, idx: number): boolean;
  lua_getstack(L: LuaState, level: number, ar: LuaDebug): boolean;
  lua_gettop(L: LuaState): number;
  lua_insert(L: LuaState, idx: number): void;
  lua_isinteger(L: LuaState, idx: number): boolean;
  lua_isnumber(L: LuaState, idx: number): boolean;
  lua_isstring(L: LuaState, idx: number): boolean;
  lua_isyieldable(L: LuaState): boolean;
  lua_newthread(L: LuaState): LuaState;
  lua_next(L: LuaState, idx: number): boolean;
  lua_pcall(L: LuaState, nargs: number, nresults: number, msgh: number): number;
  lua_pcallk(L: LuaState, nargs: number, nresults: number, msgh: number, ctx: number, k: LuaKFunction): number;
  lua_pop(L: LuaState, n: number): void;
  lua_pushboolean(L: LuaState, b: boolean | number): void;
  lua_pushcclosure(L: LuaState, fn: LuaCFunction, n: number): void;
  lua_pushcfunction(L: LuaState, fn: LuaCFunction): void;
  lua_pushinteger(L: LuaState, n: number): void;
  lua_pushnil(L: LuaState): void;
  lua_pushlightuserdata(L: LuaState, p: object): void;
  lua_touserdata(L: LuaState, idx: number): unknown;
  lua_pushnumber(L: LuaState, n: number): void;
  lua_pushstring(L: LuaState, s: string | Uint8Array): Uint8Array;
  lua_pushvalue(L: LuaState, idx: number): void;
  lua_rawget(L: LuaState, idx: number): number;
  lua_rawgeti(L: LuaState, idx: number, n: number): number;
  lua_rawlen(L: LuaState, idx: number): number;
  lua_rawset(L: LuaState, idx: number): void;
  lua_rawseti(L: LuaState, idx: number, n: number): void;
  lua_remove(L: LuaState, idx: number): void;
  lua_replace(L: LuaState, idx: number): void;
  lua_resume(L: LuaState, from: LuaState | null, nargs: number): number;
  lua_setfield(L: LuaState, idx: number, k: string | Uint8Array): void;
  lua_setglobal(L: LuaState, name: string | Uint8Array): void;
  lua_sethook(L: LuaState, fn: ((L: LuaState, ar: LuaDebug) => void) | null, mask: number, count: number): void;
  lua_setmetatable(L: LuaState, idx: number): void;
  lua_settable(L: LuaState, idx: number): void;
  lua_settop(L: LuaState, idx: number): void;
  lua_status(L: LuaState): number;
  lua_toboolean(L: LuaState, idx: number): boolean;
  lua_tointeger(L: LuaState, idx: number): number;
  lua_tolstring(L: LuaState, idx: number): Uint8Array | null;
  lua_tonumber(L: LuaState, idx: number): number;
  lua_type(L: LuaState, idx: number): number;
  lua_upvalueindex(i: number): number;
  lua_yield(L: LuaState, nresults: number): number;
}

export interface LauxApi {
  luaL_newstate(): LuaState;
  luaL_loadbuffer(L: LuaState, buff: Uint8Array, size: number | null, name: string | Uint8Array): number;
  luaL_ref(L: LuaState, t: number): number;
  luaL_unref(L: LuaState, t: number, ref: number): void;
  luaL_requiref(L: LuaState, modname: string | Uint8Array, openf: LuaCFunction, glb: number): void;
  luaL_error(L: LuaState, fmt: string | Uint8Array, ...args: unknown[]): never;
  luaL_checkinteger(L: LuaState, arg: number): number;
  luaL_checknumber(L: LuaState, arg: number): number;
  luaL_checklstring(L: LuaState, arg: number): Uint8Array;
  luaL_checktype(L: LuaState, arg: number, t: number): void;
  luaL_optinteger(L: LuaState, arg: number, def: number): number;
  luaL_argerror(L: LuaState, arg: number, extramsg: string | Uint8Array): never;
  luaL_tolstring(L: LuaState, idx: number): Uint8Array;
  luaL_len(L: LuaState, idx: number): number;
  luaL_traceback(L: LuaState, L1: LuaState, msg: string | Uint8Array | null, level: number): void;
}

export interface LualibApi {
  luaopen_base: LuaCFunction;
  luaopen_table: LuaCFunction;
  luaopen_string: LuaCFunction;
  luaopen_math: LuaCFunction;
  luaopen_coroutine: LuaCFunction;
}

interface FengariModule {
  lua: LuaApi;
  lauxlib: LauxApi;
  lualib: LualibApi;
}

function load(): FengariModule {
  const require = createRequire(import.meta.url);
  const previous = process.env['FENGARICONF'];
  process.env['FENGARICONF'] = JSON.stringify({ LUA_COMPAT_FLOATSTRING: true });
  try {
    // Lua 5.1 prints numbers with "%.14g"; fengari's own conversion is JavaScript's. Its modules
    // copy the function when they load, so it is replaced before the first of them loads.
    // defs.js first: it loads luaconf.js the way fengari's own entry point does (they require
    // each other).
    require('fengari/src/defs.js');
    const conf = require('fengari/src/luaconf.js') as { lua_number2str: (n: number) => string };
    conf.lua_number2str = (n) => formatG(n, 14);
    return require('fengari') as FengariModule;
  } finally {
    if (previous === undefined) delete process.env['FENGARICONF'];
    else process.env['FENGARICONF'] = previous;
  }
}

const fengari = load();
export const lua: LuaApi = fengari.lua;
export const lauxlib: LauxApi = fengari.lauxlib;
export const lualib: LualibApi = fengari.lualib;

/**
 * fengari's lua_pcallk records "hooks were allowed" in the caller's call info with `&=` where Lua
 * does a set (setoah), so after an error caught by a yieldable pcall the thread's hooks stay
 * disabled for good: a killed or timed-out script could then never be stopped. Continuations
 * of yieldable pcalls call this on their error path. Only call it outside a hook (pcall is never
 * called from one), where hooks are always allowed.
 */
export function reallowHooks(L: LuaState): void {
  (L as unknown as { allowhook: number }).allowhook = 1;
}
