// The two reply conversions of scripting (script_lua.c's redisProtocolToLuaType and
// luaReplyToRedisReply). A command run by redis.call writes its reply into the script client's
// buffer as RESP text, exactly as for a network client; that text is parsed back into Lua values
// here (status -> {ok=}, error -> {err=}, nil -> false, RESP3 map/set/double/bignum/verbatim ->
// tagged tables). The script's return value goes the other way, into the caller's ReplyWriter.

import type { ReplyWriter } from '../../formats/resp/reply-writer.js';
import { lua, type LuaState } from './fengari.js';
import { fromLuaBytes, pushBytes } from './bytes.js';

/** Pushes Redis's error table {err="CODE msg"} for an error text ("-CODE msg" or a bare "msg"). */
export function pushErrorTable(L: LuaState, text: string, ignoreStats = false): void {
  let code = 'ERR';
  let msg = text;
  if (text.charCodeAt(0) === 45) {
    const sp = text.indexOf(' ');
    if (sp < 0) msg = text.slice(1);
    else {
      code = text.slice(1, sp);
      msg = text.slice(sp + 1);
    }
  }
  msg = msg.replace(/^[\r\n]+|[\r\n]+$/g, '');
  lua.lua_createtable(L, 0, 2);
  pushBytes(L, `${code} ${msg}`);
  lua.lua_setfield(L, -2, 'err');
  if (ignoreStats) {
    lua.lua_pushboolean(L, true);
    lua.lua_setfield(L, -2, 'ignore_error_stats_update');
  }
}

/** Parses RESP text (one complete reply) and pushes it as Lua values. */
export class ReplyToLua {
  private s = '';
  private p = 0;

  push(L: LuaState, text: string): void {
    // Fast paths for the commonest replies.
    if (text === '+OK\r\n') {
      lua.lua_createtable(L, 0, 1);
      lua.lua_pushstring(L, 'OK');
      lua.lua_setfield(L, -2, 'ok');
      return;
    }
    if (text.charCodeAt(0) === 58 && text.length < 20) {
      lua.lua_pushnumber(L, Number(text.slice(1, -2)));
      return;
    }
    this.s = text;
    this.p = 0;
    this.value(L, true);
    this.s = '';
  }

  private line(): string {
    const end = this.s.indexOf('\r\n', this.p);
    const l = this.s.slice(this.p + 1, end);
    this.p = end + 2;
    return l;
  }

  /** Reads one reply; pushes it when `keep` (attributes are parsed and dropped). */
  private value(L: LuaState, keep: boolean): void {
    const type = this.s[this.p];
    const head = this.line();
    if (keep) lua.lua_checkstack(L, 4);
    switch (type) {
      case '+':
        if (!keep) return;
        lua.lua_createtable(L, 0, 1);
        pushBytes(L, head);
        lua.lua_setfield(L, -2, 'ok');
        return;
      case '-':
        if (keep) pushErrorTable(L, `-${head}`, true);
        return;
      case ':':
        if (keep) lua.lua_pushnumber(L, Number(head));
        return;
      case '$': {
        const n = Number(head);
        if (n < 0) {
          if (keep) lua.lua_pushboolean(L, false);
          return;
        }
        const body = this.s.slice(this.p, this.p + n);
        this.p += n + 2;
        if (keep) pushBytes(L, body);
        return;
      }
      case '=': {
        const n = Number(head);
        const body = this.s.slice(this.p, this.p + n);
        this.p += n + 2;
        if (!keep) return;
        lua.lua_createtable(L, 0, 1);
        lua.lua_createtable(L, 0, 2);
        pushBytes(L, body.slice(4));
        lua.lua_setfield(L, -2, 'string');
        pushBytes(L, body.slice(0, 3));
        lua.lua_setfield(L, -2, 'format');
        lua.lua_setfield(L, -2, 'verbatim_string');
        return;
      }
      case '*':
      case '>': {
        const n = Number(head);
        if (n < 0) {
          if (keep) lua.lua_pushboolean(L, false);
          return;
        }
        if (keep) lua.lua_createtable(L, n, 0);
        for (let i = 1; i <= n; i++) {
          this.value(L, keep);
          if (keep) lua.lua_rawseti(L, -2, i);
        }
        return;
      }
      case '%': {
        const n = Number(head);
        if (keep) {
          lua.lua_createtable(L, 0, 1);
          lua.lua_createtable(L, 0, n);
        }
        for (let i = 0; i < n; i++) {
          this.value(L, keep);
          this.value(L, keep);
          if (keep) lua.lua_settable(L, -3);
        }
        if (keep) lua.lua_setfield(L, -2, 'map');
        return;
      }
      case '~': {
        const n = Number(head);
        if (keep) {
          lua.lua_createtable(L, 0, 1);
          lua.lua_createtable(L, 0, n);
        }
        for (let i = 0; i < n; i++) {
          this.value(L, keep);
          if (keep) {
            lua.lua_pushboolean(L, true);
            lua.lua_settable(L, -3);
          }
        }
        if (keep) lua.lua_setfield(L, -2, 'set');
        return;
      }
      case '|': {
        const n = Number(head);
        for (let i = 0; i < 2 * n; i++) this.value(L, false);
        this.value(L, keep);
        return;
      }
      case '_':
        if (keep) lua.lua_pushnil(L);
        return;
      case '#':
        if (keep) lua.lua_pushboolean(L, head === 't');
        return;
      case ',': {
        if (!keep) return;
        lua.lua_createtable(L, 0, 1);
        lua.lua_pushnumber(L, parseRespDouble(head));
        lua.lua_setfield(L, -2, 'double');
        return;
      }
      case '(': {
        if (!keep) return;
        lua.lua_createtable(L, 0, 1);
        pushBytes(L, head);
        lua.lua_setfield(L, -2, 'big_number');
        return;
      }
      default:
        throw new Error(`unexpected reply type '${type}' in a script call`);
    }
  }
}

function parseRespDouble(s: string): number {
  if (s === 'inf') return Infinity;
  if (s === '-inf') return -Infinity;
  if (s === 'nan' || s === '-nan') return NaN;
  return Number(s);
}

// --- Lua -> reply ---------------------------------------------------------------------------------

/** Told about every error written into the reply: `counted` is false for errors already counted. */
export type ErrorSink = (message: string, counted: boolean) => void;

function rawField(L: LuaState, idx: number, name: string): number {
  lua.lua_pushstring(L, name);
  return lua.lua_rawget(L, idx);
}

const I64 = 2 ** 63;

function writeNumber(reply: ReplyWriter, L: LuaState, idx: number): void {
  if (lua.lua_isinteger(L, idx)) {
    reply.int(lua.lua_tointeger(L, idx));
    return;
  }
  const n = lua.lua_tonumber(L, idx);
  if (!(n > -I64 && n < I64)) {
    reply.int(-(2n ** 63n));
    return;
  }
  const t = Math.trunc(n);
  reply.int(Number.isSafeInteger(t) ? t + 0 : BigInt(t));
}

/** Error text with the CR/LF Redis replaces by spaces; "-" prefix added. */
function errorReplyText(msg: string): string {
  return `-${msg}`;
}

/** The number of key/value pairs of the table at stack index `idx` (map and set replies need it first). */
function countEntries(L: LuaState, idx: number): number {
  let n = 0;
  lua.lua_pushnil(L);
  while (lua.lua_next(L, idx)) {
    lua.lua_pop(L, 1);
    n++;
  }
  return n;
}

/**
 * Writes the Lua value on top of the stack as a reply and pops it. `scriptProto` is the protocol
 * the script chose with redis.setresp (it decides how booleans are written).
 */
export function writeLuaValue(L: LuaState, reply: ReplyWriter, scriptProto: 2 | 3, onError: ErrorSink, depth = 0): void {
  // Redis stops where Lua's C stack limit stops it; nesting is capped lower here so that the
  // JavaScript stack cannot overflow first (a self-referencing table ends the same way).
  if (depth > MAX_NESTING || !lua.lua_checkstack(L, 4)) {
    const msg = 'reached lua stack limit';
    onError(msg, false);
    reply.error(msg);
    lua.lua_pop(L, 1);
    return;
  }
  const t = lua.lua_type(L, -1);
  switch (t) {
    case lua.LUA_TSTRING:
      reply.bulk(fromLuaBytes(lua.lua_tolstring(L, -1)!));
      break;
    case lua.LUA_TBOOLEAN:
      if (scriptProto === 2) {
        if (lua.lua_toboolean(L, -1)) reply.int(1);
        else reply.nullBulk();
      } else reply.bool(lua.lua_toboolean(L, -1));
      break;
    case lua.LUA_TNUMBER:
      writeNumber(reply, L, -1);
      break;
    case lua.LUA_TTABLE:
      writeTable(L, reply, scriptProto, onError, depth);
      break;
    default:
      reply.nullBulk();
  }
  lua.lua_pop(L, 1);
}

/** The error table's message (err field) and whether its stats were already counted. */
export function readErrorTable(L: LuaState, idx: number): { msg: string; counted: boolean; source?: string; line?: string } {
  const abs = lua.lua_absindex(L, idx);
  lua.lua_getfield(L, abs, 'err');
  const msg = lua.lua_isstring(L, -1) ? fromLuaBytes(lua.lua_tolstring(L, -1)!) : '';
  lua.lua_getfield(L, abs, 'source');
  const source = lua.lua_isstring(L, -1) ? fromLuaBytes(lua.lua_tolstring(L, -1)!) : undefined;
  lua.lua_getfield(L, abs, 'line');
  const line = lua.lua_isstring(L, -1) ? fromLuaBytes(lua.lua_tolstring(L, -1)!) : undefined;
  lua.lua_getfield(L, abs, 'ignore_error_stats_update');
  const counted = lua.lua_type(L, -1) === lua.LUA_TBOOLEAN && lua.lua_toboolean(L, -1);
  lua.lua_pop(L, 4);
  return { msg, counted, source, line };
}

const MAX_NESTING = 1000;

function writeTable(L: LuaState, reply: ReplyWriter, scriptProto: 2 | 3, onError: ErrorSink, depth: number): void {
  const tbl = lua.lua_gettop(L);
  if (rawField(L, tbl, 'err') === lua.LUA_TSTRING) {
    lua.lua_pop(L, 1);
    const info = readErrorTable(L, tbl);
    const text = errorReplyText(info.msg);
    onError(text, info.counted);
    reply.error(text);
    return;
  }
  lua.lua_pop(L, 1);
  if (rawField(L, tbl, 'ok') === lua.LUA_TSTRING) {
    reply.simple(fromLuaBytes(lua.lua_tolstring(L, -1)!).replace(/[\r\n]/g, ' '));
    lua.lua_pop(L, 1);
    return;
  }
  lua.lua_pop(L, 1);
  if (rawField(L, tbl, 'double') === lua.LUA_TNUMBER) {
    reply.double(lua.lua_tonumber(L, -1));
    lua.lua_pop(L, 1);
    return;
  }
  lua.lua_pop(L, 1);
  if (rawField(L, tbl, 'big_number') === lua.LUA_TSTRING) {
    reply.bigNumber(fromLuaBytes(lua.lua_tolstring(L, -1)!).replace(/[\r\n]/g, ' '));
    lua.lua_pop(L, 1);
    return;
  }
  lua.lua_pop(L, 1);
  if (rawField(L, tbl, 'verbatim_string') === lua.LUA_TTABLE) {
    const v = lua.lua_gettop(L);
    const ft = rawField(L, v, 'format');
    const st = rawField(L, v, 'string');
    if (ft === lua.LUA_TSTRING && st === lua.LUA_TSTRING) {
      const format = fromLuaBytes(lua.lua_tolstring(L, -2)!);
      const text = fromLuaBytes(lua.lua_tolstring(L, -1)!);
      reply.verbatim(text, format.slice(0, 3).padEnd(3, '\0'));
      lua.lua_pop(L, 3);
      return;
    }
    lua.lua_pop(L, 2);
  }
  lua.lua_pop(L, 1);
  if (rawField(L, tbl, 'map') === lua.LUA_TTABLE) {
    const m = lua.lua_gettop(L);
    reply.mapLen(countEntries(L, m));
    lua.lua_pushnil(L);
    while (lua.lua_next(L, m)) {
      lua.lua_pushvalue(L, -2);
      writeLuaValue(L, reply, scriptProto, onError, depth + 1); // key
      writeLuaValue(L, reply, scriptProto, onError, depth + 1); // value
    }
    lua.lua_pop(L, 1);
    return;
  }
  lua.lua_pop(L, 1);
  if (rawField(L, tbl, 'set') === lua.LUA_TTABLE) {
    const m = lua.lua_gettop(L);
    reply.setLen(countEntries(L, m));
    lua.lua_pushnil(L);
    while (lua.lua_next(L, m)) {
      lua.lua_pop(L, 1);
      lua.lua_pushvalue(L, -1);
      writeLuaValue(L, reply, scriptProto, onError, depth + 1);
    }
    lua.lua_pop(L, 1);
    return;
  }
  lua.lua_pop(L, 1);
  let n = 0;
  while (lua.lua_rawgeti(L, tbl, n + 1) !== lua.LUA_TNIL) {
    lua.lua_pop(L, 1);
    n++;
  }
  lua.lua_pop(L, 1);
  reply.arrayLen(n);
  for (let i = 1; i <= n; i++) {
    lua.lua_rawgeti(L, tbl, i);
    writeLuaValue(L, reply, scriptProto, onError, depth + 1);
  }
}
