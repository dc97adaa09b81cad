// The one crossing between the engine's strings and Lua's. The engine keeps bytes as latin1 JS
// strings (one char per byte); fengari keeps Lua strings as Uint8Array. Both directions copy the
// bytes unchanged, so scripts are binary safe. Numbers crossing into commands are formatted the
// way Redis formats them (%.17g), numbers crossing into Lua keep Lua 5.1's double semantics.

import { lua, type LuaState } from './fengari.js';
import { formatG } from './number-format.js';

export { formatG };

/** latin1 string -> Lua byte string. */
export function toLuaBytes(s: string): Uint8Array {
  const n = s.length;
  if (n > 64) return Buffer.from(s, 'latin1');
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Lua byte string -> latin1 string. */
export function fromLuaBytes(u: Uint8Array): string {
  const n = u.length;
  if (n > 64) return Buffer.from(u.buffer, u.byteOffset, n).toString('latin1');
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(u[i]!);
  return s;
}

/** Pushes an engine string as a Lua string. */
export function pushBytes(L: LuaState, s: string): void {
  lua.lua_pushstring(L, toLuaBytes(s));
}

/** The string at `idx` (numbers converted as Lua does), or null when it is neither. */
export function toBytes(L: LuaState, idx: number): string | null {
  const u = lua.lua_tolstring(L, idx);
  return u === null ? null : fromLuaBytes(u);
}

/** A Lua number as redis.call passes it to a command (Redis formats doubles with %.17g). */
export function numberArg(L: LuaState, idx: number): string {
  if (lua.lua_isinteger(L, idx)) return String(lua.lua_tointeger(L, idx));
  const n = lua.lua_tonumber(L, idx);
  if (Number.isInteger(n) && Math.abs(n) < 1e17) return String(n);
  return formatG(n, 17);
}

const I64_LIMIT = 2 ** 63;

/** (long long) of a Lua number, as the reply to the client gets it (x86 gives LLONG_MIN when out of range). */
export function luaNumberToInteger(n: number): string {
  if (!(n > -I64_LIMIT && n < I64_LIMIT)) return '-9223372036854775808';
  const t = Math.trunc(n);
  if (Number.isSafeInteger(t)) return String(t === 0 ? 0 : t);
  return BigInt(t).toString();
}
