// The `cjson` library Redis loads into Lua (lua-cjson 2.1's encode/decode and its configuration
// functions): JSON text is handled as bytes, so non-ASCII bytes pass through untouched and
// \uXXXX escapes decode to UTF-8. JSON null is the `cjson.null` sentinel. Error texts follow
// lua-cjson's wording. Each Lua state has its own settings (SCRIPT FLUSH resets them), starting
// from lua-cjson's defaults as Redis builds it: invalid numbers (nan, inf, hex, leading zeros)
// accepted on decode and refused on encode, sparse arrays refused past ratio 2 / safe 10, 14
// significant digits, depth 1000. Object key order on encode is the Lua table's iteration
// order, which differs from Redis's Lua 5.1 hash order for tables with several string keys.

import { lauxlib, lua, type LuaCFunction, type LuaState } from './fengari.js';
import { formatG, fromLuaBytes, pushBytes } from './bytes.js';
import { strtod } from '../strtod.js';

/** lua-cjson's json_config_t, as the cjson.* configuration functions change it. */
interface CjsonConfig {
  sparseConvert: number;
  sparseRatio: number;
  sparseSafe: number;
  encodeMaxDepth: number;
  decodeMaxDepth: number;
  /** 0 refuse NaN/Inf, 1 write nan/inf, 2 write null. */
  encodeInvalid: number;
  decodeInvalid: number;
  keepBuffer: number;
  precision: number;
}

function defaults(): CjsonConfig {
  return { sparseConvert: 0, sparseRatio: 2, sparseSafe: 10, encodeMaxDepth: 1000, decodeMaxDepth: 1000, encodeInvalid: 0, decodeInvalid: 1, keepBuffer: 1, precision: 14 };
}

const NULL_SENTINEL = Object.freeze({ cjsonNull: true });

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
function arrayLength(L: LuaState, idx: number, cfg: CjsonConfig): number {
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
  if (cfg.sparseRatio > 0 && max > items * cfg.sparseRatio && max > cfg.sparseSafe) {
    if (!cfg.sparseConvert) throw new CjsonError('Cannot serialise table: excessively sparse array');
    return -1; // encoded as an object instead
  }
  return max;
}

class CjsonError extends Error {}

function encodeValue(L: LuaState, idx: number, depth: number, cfg: CjsonConfig): string {
  const t = lua.lua_type(L, idx);
  switch (t) {
    case lua.LUA_TSTRING:
      return encodeString(fromLuaBytes(lua.lua_tolstring(L, idx)!));
    case lua.LUA_TNUMBER: {
      const n = lua.lua_tonumber(L, idx);
      if (!Number.isFinite(n)) {
        if (cfg.encodeInvalid === 0) throw new CjsonError('Cannot serialise number: must not be NaN or Inf');
        if (cfg.encodeInvalid === 2) return 'null';
      }
      return formatG(n, cfg.precision);
    }
    case lua.LUA_TBOOLEAN:
      return lua.lua_toboolean(L, idx) ? 'true' : 'false';
    case lua.LUA_TNIL:
      return 'null';
    case lua.LUA_TLIGHTUSERDATA:
      if (isNull(L, idx)) return 'null';
      break;
    case lua.LUA_TTABLE: {
      if (depth + 1 > cfg.encodeMaxDepth) throw new CjsonError(`Cannot serialise, excessive nesting (${depth + 1})`);
      const abs = lua.lua_absindex(L, idx);
      lua.lua_checkstack(L, 4);
      const len = arrayLength(L, abs, cfg);
      if (len > 0) {
        const parts: string[] = [];
        for (let i = 1; i <= len; i++) {
          lua.lua_rawgeti(L, abs, i);
          parts.push(encodeValue(L, -1, depth + 1, cfg));
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
        else if (kt === lua.LUA_TNUMBER) key = `"${formatG(lua.lua_tonumber(L, -2), cfg.precision)}"`;
        else throw new CjsonError('Cannot serialise table: table key must be a number or string');
        parts.push(`${key}:${encodeValue(L, -1, depth + 1, cfg)}`);
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
    private readonly cfg: CjsonConfig,
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
      if (!this.cfg.decodeInvalid && this.invalidNumber()) this.fail('value', 'invalid number');
      return this.number();
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
    if (this.cfg.decodeInvalid && this.invalidNumber()) return this.number();
    this.fail('value');
  }

  /** json_is_invalid_number: a number JSON forbids (+1, hex, leading zeros, inf, nan). */
  invalidNumber(): boolean {
    let p = this.pos;
    const s = this.s;
    if (s[p] === '+') return true;
    if (s[p] === '-') p++;
    if (s[p] === '0') {
      const c2 = s[p + 1] ?? '';
      return c2 === 'x' || c2 === 'X' || (c2 >= '0' && c2 <= '9');
    }
    if (s[p] !== undefined && s[p]! <= '9') return false;
    const word = s.slice(p, p + 3).toLowerCase();
    return word === 'inf' || word === 'nan';
  }

  /** A number token read as C's strtod reads it (lua-cjson decodes numbers with strtod). */
  number(): void {
    const rest = /[^0-9A-Za-z.+\-()_]/.exec(this.s.slice(this.pos, this.pos + 4096));
    const text = this.s.slice(this.pos, this.pos + (rest ? rest.index : 4096));
    const r = strtod(text);
    if (r.end === 0) this.fail('value', 'invalid number');
    this.pos += r.end;
    lua.lua_pushnumber(this.L, r.value);
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
    if (depth > this.cfg.decodeMaxDepth) throw new CjsonError(`Found too many nested data structures (${depth}) at character ${this.pos + 1}`);
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
    if (depth > this.cfg.decodeMaxDepth) throw new CjsonError(`Found too many nested data structures (${depth}) at character ${this.pos + 1}`);
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

/** json_arg_init: a configuration function takes at most `max` arguments (missing ones are nil). */
function maxArgs(L: LuaState, max: number): void {
  if (lua.lua_gettop(L) > max) lauxlib.luaL_argerror(L, max + 1, 'found too many arguments');
  lua.lua_settop(L, max);
}

/** json_integer_option: sets the value from argument `idx` when given, and pushes the current one. */
function integerOption(L: LuaState, idx: number, cur: number, min: number, max: number): number {
  let v = cur;
  if (lua.lua_type(L, idx) > lua.LUA_TNIL) {
    v = Math.trunc(lauxlib.luaL_checknumber(L, idx));
    if (v < min || v > max) lauxlib.luaL_argerror(L, 1, `expected integer between ${min} and ${max}`);
  }
  lua.lua_pushinteger(L, v);
  return v;
}

const ON_OFF = ['off', 'on'];

/** json_enum_option: a boolean or one of `options`; pushes the setting (a boolean for off/on). */
function enumOption(L: LuaState, idx: number, cur: number, options: string[] = ON_OFF): number {
  let v = cur;
  if (lua.lua_type(L, idx) > lua.LUA_TNIL) {
    if (lua.lua_type(L, idx) === lua.LUA_TBOOLEAN) v = lua.lua_toboolean(L, idx) ? 1 : 0;
    else {
      const name = fromLuaBytes(lauxlib.luaL_checklstring(L, idx));
      v = options.indexOf(name);
      if (v < 0) lauxlib.luaL_argerror(L, idx, `invalid option '${name}'`);
    }
  }
  if (v <= 1) lua.lua_pushboolean(L, v === 1);
  else lua.lua_pushstring(L, options[v]!);
  return v;
}

/** cjson.encode / cjson.decode and the configuration functions, over one state's settings. */
function cjsonFunctions(cfg: CjsonConfig): Record<string, LuaCFunction> {
  const INT_MAX = 2147483647;
  return {
    encode: guarded((L) => {
      if (lua.lua_gettop(L) !== 1) return lauxlib.luaL_argerror(L, 1, 'expected 1 argument');
      pushBytes(L, encodeValue(L, 1, 0, cfg));
      return 1;
    }),
    decode: guarded((L) => {
      if (lua.lua_gettop(L) !== 1) return lauxlib.luaL_argerror(L, 1, 'expected 1 argument');
      const s = fromLuaBytes(lauxlib.luaL_checklstring(L, 1));
      const d = new Decoder(L, s, cfg);
      d.value(0);
      d.ws();
      if (d.pos < s.length) d.fail('the end');
      return 1;
    }),
    encode_sparse_array: (L) => {
      maxArgs(L, 3);
      cfg.sparseConvert = enumOption(L, 1, cfg.sparseConvert);
      cfg.sparseRatio = integerOption(L, 2, cfg.sparseRatio, 0, INT_MAX);
      cfg.sparseSafe = integerOption(L, 3, cfg.sparseSafe, 0, INT_MAX);
      return 3;
    },
    encode_max_depth: (L) => {
      maxArgs(L, 1);
      cfg.encodeMaxDepth = integerOption(L, 1, cfg.encodeMaxDepth, 1, INT_MAX);
      return 1;
    },
    decode_max_depth: (L) => {
      maxArgs(L, 1);
      cfg.decodeMaxDepth = integerOption(L, 1, cfg.decodeMaxDepth, 1, INT_MAX);
      return 1;
    },
    encode_number_precision: (L) => {
      maxArgs(L, 1);
      cfg.precision = integerOption(L, 1, cfg.precision, 1, 14);
      return 1;
    },
    encode_keep_buffer: (L) => {
      maxArgs(L, 1);
      cfg.keepBuffer = enumOption(L, 1, cfg.keepBuffer); // no buffer to keep here: the setting is only reported
      return 1;
    },
    encode_invalid_numbers: (L) => {
      maxArgs(L, 1);
      cfg.encodeInvalid = enumOption(L, 1, cfg.encodeInvalid, ['off', 'on', 'null']);
      return 1;
    },
    decode_invalid_numbers: (L) => {
      maxArgs(L, 1);
      cfg.decodeInvalid = enumOption(L, 1, cfg.decodeInvalid);
      return 1;
    },
  };
}

/** Creates the global `cjson` table, with settings of its own. */
export function openCjson(L: LuaState): void {
  lua.lua_createtable(L, 0, 12);
  for (const [name, fn] of Object.entries(cjsonFunctions(defaults()))) {
    lua.lua_pushcfunction(L, fn);
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
