// The `cjson` library Redis loads into Lua (lua-cjson 2.1's encode/decode with its default
// settings): JSON text is handled as bytes, so non-ASCII bytes pass through untouched and
// \uXXXX escapes decode to UTF-8. JSON null is the `cjson.null` sentinel. Error texts follow
// lua-cjson's wording. Object key order on encode is the Lua table's iteration order, which
// differs from Redis's Lua 5.1 hash order for tables with several string keys.

import { lauxlib, lua, type LuaCFunction, type LuaState } from './fengari.js';
import { formatG, fromLuaBytes, pushBytes } from './bytes.js';

const NULL_SENTINEL = Object.freeze({ cjsonNull: true });
const MAX_DEPTH = 1000;

function isNull(L: LuaState, idx: number): boolean {
  return lua.lua_type(L, idx) === lua.LUA_TLIGHTUSERDATA && lua.lua_touserdata(L, idx) === NULL_SENTINEL;
}

const ESCAPES: Record<number, string> = { 0x22: '\\"', 0x5c: '\\\\', 0x2f: '\\/', 0x08: '\\b', 0x0c: '\\f', 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t' };

function encodeString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const e = ESCAPES[c];
    if (e) out += e;
    else if (c < 0x20 || c === 0x7f) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += s[i];
  }
  return `${out}"`;
}

/** Array length when the table is an array lua-cjson would encode as one, -1 for an object. */
function arrayLength(L: LuaState, idx: number): number {
  let max = 0;
  let items = 0;
  lua.lua_pushnil(L);
  while (lua.lua_next(L, idx)) {
    lua.lua_pop(L, 1);
    if (lua.lua_type(L, -1) === lua.LUA_TNUMBER) {
      const k = lua.lua_tonumber(L, -1);
      if (Number.isInteger(k) && k >= 1) {
        if (k > max) max = k;
        items++;
        continue;
      }
    }
    lua.lua_pop(L, 1);
    return -1;
  }
  // encode_sparse_array defaults: ratio 2, safe 10.
  if (max > 10 && max > items * 2) throw new CjsonError('Cannot serialise table: excessively sparse array');
  return max;
}

class CjsonError extends Error {}

function encodeValue(L: LuaState, idx: number, depth: number): string {
  const t = lua.lua_type(L, idx);
  switch (t) {
    case lua.LUA_TSTRING:
      return encodeString(fromLuaBytes(lua.lua_tolstring(L, idx)!));
    case lua.LUA_TNUMBER: {
      const n = lua.lua_tonumber(L, idx);
      if (!Number.isFinite(n)) throw new CjsonError('Cannot serialise number: must not be NaN or Inf');
      return formatG(n, 14);
    }
    case lua.LUA_TBOOLEAN:
      return lua.lua_toboolean(L, idx) ? 'true' : 'false';
    case lua.LUA_TNIL:
      return 'null';
    case lua.LUA_TLIGHTUSERDATA:
      if (isNull(L, idx)) return 'null';
      break;
    case lua.LUA_TTABLE: {
      if (depth + 1 > MAX_DEPTH) throw new CjsonError(`Cannot serialise, excessive nesting (${depth + 1})`);
      const abs = lua.lua_absindex(L, idx);
      lua.lua_checkstack(L, 4);
      const len = arrayLength(L, abs);
      if (len > 0) {
        const parts: string[] = [];
        for (let i = 1; i <= len; i++) {
          lua.lua_rawgeti(L, abs, i);
          parts.push(encodeValue(L, -1, depth + 1));
          lua.lua_pop(L, 1);
        }
        return `[${parts.join(',')}]`;
      }
      const parts: string[] = [];
      lua.lua_pushnil(L);
      while (lua.lua_next(L, abs)) {
        const kt = lua.lua_type(L, -2);
        let key: string;
        if (kt === lua.LUA_TSTRING) key = encodeString(fromLuaBytes(lua.lua_tolstring(L, -2)!));
        else if (kt === lua.LUA_TNUMBER) key = `"${formatG(lua.lua_tonumber(L, -2), 14)}"`;
        else throw new CjsonError('Cannot serialise table: table key must be a number or string');
        parts.push(`${key}:${encodeValue(L, -1, depth + 1)}`);
        lua.lua_pop(L, 1);
      }
      return `{${parts.join(',')}}`;
    }
  }
  const names: Record<number, string> = { [lua.LUA_TFUNCTION]: 'function', [lua.LUA_TLIGHTUSERDATA]: 'userdata' };
  throw new CjsonError(`Cannot serialise ${names[t] ?? 'userdata'}: type not supported`);
}

// --- decode -----------------------------------------------------------------------------------

class Decoder {
  pos = 0;
  constructor(
    private readonly L: LuaState,
    private readonly s: string,
  ) {}

  fail(expected: string, found?: string): never {
    const what = found ?? this.tokenName();
    throw new CjsonError(`Expected ${expected} but found ${what} at character ${this.pos + 1}`);
  }

  /** lua-cjson's name for the token at the current position. */
  tokenName(): string {
    const c = this.s[this.pos];
    if (c === undefined) return 'T_END';
    const simple: Record<string, string> = { '{': 'T_OBJ_BEGIN', '}': 'T_OBJ_END', '[': 'T_ARR_BEGIN', ']': 'T_ARR_END', '"': 'T_STRING', ':': 'T_COLON', ',': 'T_COMMA' };
    if (simple[c]) return simple[c];
    if (c === '-' || (c >= '0' && c <= '9')) return /^-?\d/.test(this.s.slice(this.pos, this.pos + 2)) ? 'T_NUMBER' : 'invalid token';
    if (this.s.startsWith('true', this.pos) || this.s.startsWith('false', this.pos)) return 'T_BOOLEAN';
    if (this.s.startsWith('null', this.pos)) return 'T_NULL';
    return 'invalid token';
  }

  ws(): void {
    while (this.pos < this.s.length && ' \t\r\n'.includes(this.s[this.pos]!)) this.pos++;
  }

  value(depth: number): void {
    const L = this.L;
    this.ws();
    const c = this.s[this.pos];
    if (c === '{') return this.object(depth + 1);
    if (c === '[') return this.array(depth + 1);
    if (c === '"') return pushBytes(L, this.string());
    if (c !== undefined && (c === '-' || (c >= '0' && c <= '9'))) {
      const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.s.slice(this.pos));
      if (!m) this.fail('value');
      this.pos += m[0].length;
      lua.lua_pushnumber(L, Number(m[0]));
      return;
    }
    for (const [word, push] of [
      ['true', () => lua.lua_pushboolean(L, true)],
      ['false', () => lua.lua_pushboolean(L, false)],
      ['null', () => lua.lua_pushlightuserdata(L, NULL_SENTINEL)],
    ] as const) {
      if (this.s.startsWith(word, this.pos)) {
        this.pos += word.length;
        push();
        return;
      }
    }
    this.fail('value');
  }

  string(): string {
    this.pos++; // opening quote
    let out = '';
    for (;;) {
      if (this.pos >= this.s.length) throw new CjsonError(`Expected value but found unexpected end of string at character ${this.pos + 1}`);
      const c = this.s[this.pos++]!;
      if (c === '"') return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.s[this.pos++];
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (e !== undefined && simple[e] !== undefined) out += simple[e];
      else if (e === 'u') {
        let cp = parseInt(this.s.slice(this.pos, this.pos + 4), 16);
        if (!/^[0-9a-fA-F]{4}$/.test(this.s.slice(this.pos, this.pos + 4))) {
          this.pos -= 2;
          this.fail('value', 'invalid unicode escape code');
        }
        this.pos += 4;
        if (cp >= 0xd800 && cp < 0xdc00 && this.s.startsWith('\\u', this.pos)) {
          const lo = parseInt(this.s.slice(this.pos + 2, this.pos + 6), 16);
          if (lo >= 0xdc00 && lo < 0xe000) {
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            this.pos += 6;
          }
        }
        out += Buffer.from(String.fromCodePoint(cp), 'utf8').toString('latin1');
      } else {
        this.pos -= 2;
        this.fail('value', 'invalid escape code');
      }
    }
  }

  object(depth: number): void {
    if (depth > MAX_DEPTH) throw new CjsonError(`Found too many nested data structures (${depth}) at character ${this.pos + 1}`);
    const L = this.L;
    lua.lua_checkstack(L, 4);
    lua.lua_createtable(L, 0, 0);
    this.pos++;
    this.ws();
    if (this.s[this.pos] === '}') {
      this.pos++;
      return;
    }
    for (;;) {
      this.ws();
      if (this.s[this.pos] !== '"') this.fail('object key string');
      pushBytes(L, this.string());
      this.ws();
      if (this.s[this.pos] !== ':') this.fail('colon');
      this.pos++;
      this.value(depth);
      lua.lua_rawset(L, -3);
      this.ws();
      const c = this.s[this.pos++];
      if (c === '}') return;
      if (c !== ',') {
        this.pos--;
        this.fail('comma or object end');
      }
    }
  }

  array(depth: number): void {
    if (depth > MAX_DEPTH) throw new CjsonError(`Found too many nested data structures (${depth}) at character ${this.pos + 1}`);
    const L = this.L;
    lua.lua_checkstack(L, 4);
    lua.lua_createtable(L, 0, 0);
    this.pos++;
    this.ws();
    if (this.s[this.pos] === ']') {
      this.pos++;
      return;
    }
    for (let i = 1; ; i++) {
      this.value(depth);
      lua.lua_rawseti(L, -2, i);
      this.ws();
      const c = this.s[this.pos++];
      if (c === ']') return;
      if (c !== ',') {
        this.pos--;
        this.fail('comma or array end');
      }
    }
  }
}

function guarded(fn: LuaCFunction): LuaCFunction {
  return (L) => {
    let message: string;
    try {
      return fn(L);
    } catch (err) {
      if (!(err instanceof CjsonError)) throw err;
      message = err.message;
    }
    return lauxlib.luaL_error(L, '%s', message);
  };
}

const CJSON: Record<string, LuaCFunction> = {
  encode: guarded((L) => {
    if (lua.lua_gettop(L) !== 1) return lauxlib.luaL_argerror(L, 1, 'expected 1 argument');
    const text = encodeValue(L, 1, 0);
    pushBytes(L, text);
    return 1;
  }),
  decode: guarded((L) => {
    if (lua.lua_gettop(L) !== 1) return lauxlib.luaL_argerror(L, 1, 'expected 1 argument');
    const s = fromLuaBytes(lauxlib.luaL_checklstring(L, 1));
    const d = new Decoder(L, s);
    d.value(0);
    d.ws();
    if (d.pos < s.length) d.fail('the end');
    return 1;
  }),
};

/** lua-cjson's configuration functions: accepted and ignored (the defaults stay in force). */
const SETTINGS = [
  'encode_keep_buffer',
  'encode_max_depth',
  'decode_max_depth',
  'encode_number_precision',
  'encode_sparse_array',
  'encode_invalid_numbers',
  'decode_invalid_numbers',
];

/** Creates the global `cjson` table. */
export function openCjson(L: LuaState): void {
  lua.lua_createtable(L, 0, 8);
  for (const [name, fn] of Object.entries(CJSON)) {
    lua.lua_pushcfunction(L, fn);
    lua.lua_setfield(L, -2, name);
  }
  for (const name of SETTINGS) {
    lua.lua_pushcfunction(L, () => 0);
    lua.lua_setfield(L, -2, name);
  }
  lua.lua_pushlightuserdata(L, NULL_SENTINEL);
  lua.lua_setfield(L, -2, 'null');
  lua.lua_pushstring(L, 'cjson');
  lua.lua_setfield(L, -2, '_NAME');
  lua.lua_pushstring(L, '2.1.0');
  lua.lua_setfield(L, -2, '_VERSION');
  lua.lua_setglobal(L, 'cjson');
}
