// The `cmsgpack` library Redis loads into Lua (lua-cmsgpack 0.4.0 built for Lua 5.1 on x86-64):
// pack turns its arguments into one MessagePack stream, unpack / unpack_one / unpack_limit read
// values back. Behaviour follows that build: every Lua number is a double, encoded as the
// smallest integer form when it is an integer that fits 64 bits, else as a float when a float
// holds it exactly, else as a double; a table is an array when its keys are exactly 1..n, else a
// map; tables nested 16 deep encode as nil (so cycles terminate); decoded 64-bit integers become
// doubles (uint64 read as signed, as that build does); and a C function's 8000-slot stack limit
// bounds how many values one call may return. Map entries are written in the Lua table's
// iteration order, which differs from Redis's Lua 5.1 hash order for tables with several keys.

import { lauxlib, lua, type LuaCFunction, type LuaState } from './fengari.js';
import { GrowingBytes, MAX_C_STACK, cInt, checkInteger51, checkStack51, optInteger51, raise, writeFloat } from './struct.js';

const MAX_NESTING = 16;
const TWO31 = 2 ** 31;
const TWO63 = 2 ** 63;

/** The output buffer of pack. */
class Out extends GrowingBytes {
  u8(v: number): void {
    this.room(1);
    this.buf[this.len++] = v;
  }
  /** A type byte followed by a big-endian unsigned integer of `size` bytes. */
  head(type: number, v: number, size: 1 | 2 | 4): void {
    this.room(1 + size);
    this.buf[this.len++] = type;
    if (size === 1) this.view.setUint8(this.len, v);
    else if (size === 2) this.view.setUint16(this.len, v);
    else this.view.setUint32(this.len, v);
    this.len += size;
  }
  u64(type: number, v: bigint): void {
    this.room(9);
    this.buf[this.len++] = type;
    this.view.setBigUint64(this.len, BigInt.asUintN(64, v));
    this.len += 8;
  }
  float(d: number, size: 4 | 8): void {
    this.room(1 + size);
    this.buf[this.len++] = size === 4 ? 0xca : 0xcb;
    writeFloat(this.view, this.len, d, size, false);
    this.len += size;
  }
}

// --- encoding ------------------------------------------------------------------------------------

function encodeBytes(out: Out, s: Uint8Array): void {
  const n = s.length;
  if (n < 32) out.u8(0xa0 | n);
  else if (n <= 0xff) out.head(0xd9, n, 1);
  else if (n <= 0xffff) out.head(0xda, n, 2);
  else out.head(0xdb, n, 4);
  out.bytes(s);
}

function encodeInt(out: Out, n: number): void {
  if (n >= 0) {
    if (n <= 127) out.u8(n);
    else if (n <= 0xff) out.head(0xcc, n, 1);
    else if (n <= 0xffff) out.head(0xcd, n, 2);
    else if (n <= 0xffffffff) out.head(0xce, n, 4);
    else out.u64(0xcf, BigInt(n));
  } else if (n >= -32) out.u8(n & 0xff);
  else if (n >= -128) out.head(0xd0, n & 0xff, 1);
  else if (n >= -32768) out.head(0xd1, n & 0xffff, 2);
  else if (n >= -2147483648) out.head(0xd2, n >>> 0, 4);
  else out.u64(0xd3, BigInt(n));
}

function encodeNumber(out: Out, n: number): void {
  // An integer that survives (int64_t) unchanged; -0 is one (it encodes as 0).
  if (Number.isInteger(n) && n >= -TWO63 && n < TWO63) encodeInt(out, n === 0 ? 0 : n);
  else if (Math.fround(n) === n) out.float(n, 4);
  else out.float(n, 8);
}

/** True when the table at `idx` has exactly the keys 1..n (n < 2^31), so it packs as an array. */
function isArray(L: LuaState, idx: number): boolean {
  let count = 0;
  let max = 0;
  lua.lua_pushnil(L);
  while (lua.lua_next(L, idx)) {
    lua.lua_pop(L, 1);
    const k = lua.lua_type(L, -1) === lua.LUA_TNUMBER ? lua.lua_tonumber(L, -1) : NaN;
    if (!(k > 0 && k < TWO31 && Number.isInteger(k))) {
      lua.lua_pop(L, 1);
      return false;
    }
    if (k > max) max = k;
    count++;
  }
  return max === count;
}

/** Encodes the value on top of the stack and pops it. */
function encodeTop(L: LuaState, out: Out, level: number): void {
  let t = lua.lua_type(L, -1);
  if (t === lua.LUA_TTABLE && level === MAX_NESTING) t = lua.LUA_TNIL;
  switch (t) {
    case lua.LUA_TSTRING:
      encodeBytes(out, lua.lua_tolstring(L, -1)!);
      break;
    case lua.LUA_TBOOLEAN:
      out.u8(lua.lua_toboolean(L, -1) ? 0xc3 : 0xc2);
      break;
    case lua.LUA_TNUMBER:
      encodeNumber(out, lua.lua_tonumber(L, -1));
      break;
    case lua.LUA_TTABLE:
      encodeTable(L, out, level);
      break;
    default:
      out.u8(0xc0);
  }
  lua.lua_pop(L, 1);
}

function encodeTable(L: LuaState, out: Out, level: number): void {
  const idx = lua.lua_gettop(L);
  lua.lua_checkstack(L, 3);
  if (isArray(L, idx)) {
    const len = lua.lua_rawlen(L, idx);
    if (len <= 15) out.u8(0x90 | len);
    else if (len <= 0xffff) out.head(0xdc, len, 2);
    else out.head(0xdd, len, 4);
    for (let j = 1; j <= len; j++) {
      lua.lua_rawgeti(L, idx, j);
      encodeTop(L, out, level + 1);
    }
    return;
  }
  let n = 0;
  lua.lua_pushnil(L);
  while (lua.lua_next(L, idx)) {
    lua.lua_pop(L, 1);
    n++;
  }
  if (n <= 15) out.u8(0x80 | n);
  else if (n <= 0xffff) out.head(0xde, n, 2);
  else out.head(0xdf, n, 4);
  lua.lua_pushnil(L);
  while (lua.lua_next(L, idx)) {
    lua.lua_pushvalue(L, -2);
    encodeTop(L, out, level + 1); // the key
    encodeTop(L, out, level + 1); // the value
  }
}

const pack: LuaCFunction = (L) => {
  const nargs = lua.lua_gettop(L);
  if (nargs === 0) return lauxlib.luaL_argerror(L, 0, 'MessagePack pack needs input.');
  // lua_checkstack(L, nargs) under Lua 5.1's limit for a C function.
  if (nargs * 2 > MAX_C_STACK) return lauxlib.luaL_argerror(L, 0, 'Too many arguments for MessagePack pack.');
  const out = new Out();
  for (let i = 1; i <= nargs; i++) {
    lua.lua_checkstack(L, 1);
    lua.lua_pushvalue(L, i);
    encodeTop(L, out, 0);
  }
  lua.lua_pushstring(L, out.buf.slice(0, out.len));
  return 1;
};

// --- decoding ------------------------------------------------------------------------------------

/** Why a decode stopped: the input ended early, or a byte is no type lua-cmsgpack reads. */
class DecodeStop {
  constructor(readonly eof: boolean) {}
}

class Cursor {
  readonly view: DataView;
  constructor(
    readonly buf: Uint8Array,
    public p: number,
  ) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.length);
  }
  get left(): number {
    return this.buf.length - this.p;
  }
  need(n: number): void {
    if (this.left < n) throw new DecodeStop(true);
  }
}

function pushString(L: LuaState, c: Cursor, at: number, len: number): null {
  c.need(at + len);
  lua.lua_pushstring(L, c.buf.slice(c.p + at, c.p + at + len));
  c.p += at + len;
  return null;
}

/** A table being filled: `left` entries to go; a map alternates key and value. */
interface Open {
  array: boolean;
  left: number;
  next: number;
  keyDone: boolean;
}

/** Pushes a new table (the array form first claims a stack slot, as lua-cmsgpack does). */
function openTable(L: LuaState, array: boolean, len: number): Open {
  lua.lua_createtable(L, 0, 0);
  if (array) checkStack51(L, 1, 'in function mp_decode_to_lua_array');
  return { array, left: len, next: 1, keyDone: false };
}

/** Fixed-width numbers: [bytes after the type byte, reader]. */
const NUMBERS: Record<number, [number, (v: DataView, at: number) => number]> = {
  0xcc: [1, (v, at) => v.getUint8(at)],
  0xcd: [2, (v, at) => v.getUint16(at)],
  0xce: [4, (v, at) => v.getUint32(at)],
  // uint 64 goes through a signed lua_Integer in that build.
  0xcf: [8, (v, at) => Number(v.getBigInt64(at))],
  0xd0: [1, (v, at) => v.getInt8(at)],
  0xd1: [2, (v, at) => v.getInt16(at)],
  0xd2: [4, (v, at) => v.getInt32(at)],
  0xd3: [8, (v, at) => Number(v.getBigInt64(at))],
  0xca: [4, (v, at) => v.getFloat32(at)],
  0xcb: [8, (v, at) => v.getFloat64(at)],
};

/** Reads one type byte: pushes a scalar (null) or opens a table (its Open). */
function decodeHead(L: LuaState, c: Cursor): Open | null {
  c.need(1);
  checkStack51(L, 1, 'too many return values at once; use unpack_one or unpack_limit instead.');
  const b = c.buf[c.p]!;
  const num = NUMBERS[b];
  if (num) {
    c.need(1 + num[0]);
    lua.lua_pushnumber(L, num[1](c.view, c.p + 1));
    c.p += 1 + num[0];
    return null;
  }
  switch (b) {
    case 0xc0:
      lua.lua_pushnil(L);
      c.p++;
      return null;
    case 0xc2:
    case 0xc3:
      lua.lua_pushboolean(L, b === 0xc3);
      c.p++;
      return null;
    case 0xd9:
      c.need(2);
      return pushString(L, c, 2, c.view.getUint8(c.p + 1));
    case 0xda:
      c.need(3);
      return pushString(L, c, 3, c.view.getUint16(c.p + 1));
    case 0xdb:
      c.need(5);
      return pushString(L, c, 5, c.view.getUint32(c.p + 1));
    case 0xdc:
    case 0xde: {
      c.need(3);
      const n = c.view.getUint16(c.p + 1);
      c.p += 3;
      return openTable(L, b === 0xdc, n);
    }
    case 0xdd:
    case 0xdf: {
      c.need(5);
      const n = c.view.getUint32(c.p + 1);
      c.p += 5;
      return openTable(L, b === 0xdd, n);
    }
  }
  if ((b & 0x80) === 0 || (b & 0xe0) === 0xe0) {
    lua.lua_pushnumber(L, (b << 24) >> 24);
    c.p++;
    return null;
  }
  if ((b & 0xe0) === 0xa0) return pushString(L, c, 1, b & 0x1f);
  if ((b & 0xe0) === 0x80) {
    c.p++;
    return openTable(L, (b & 0xf0) === 0x90, b & 0xf);
  }
  throw new DecodeStop(false);
}

/**
 * Decodes one value (with everything nested in it) onto the stack. Nesting is followed with an
 * explicit list of open tables, not recursion: Lua 5.1's stack limit allows ~4000 levels.
 */
function decodeValue(L: LuaState, c: Cursor): void {
  const open: Open[] = [];
  for (;;) {
    const parent = open[open.length - 1];
    if (parent?.array) lua.lua_pushnumber(L, parent.next++);
    const table = decodeHead(L, c);
    if (table && table.left > 0) {
      open.push(table);
      continue;
    }
    // A complete value is on top: store it in the tables it completes.
    for (;;) {
      const t = open[open.length - 1];
      if (!t) return;
      if (!t.array && !t.keyDone) {
        t.keyDone = true;
        break;
      }
      lua.lua_settable(L, -3);
      t.keyDone = false;
      if (--t.left > 0) break;
      open.pop();
    }
  }
}

/** mp_unpack_full: limit and offset 0 decode everything and return only the values. */
function unpackFull(L: LuaState, limit: bigint, offset: bigint): number {
  const s = lauxlib.luaL_checklstring(L, 1);
  const len = s.length;
  const decodeAll = limit === 0n && offset === 0n;
  if (offset < 0n || limit < 0n) raise(L, `Invalid request to unpack with offset of ${cInt(offset)} and limit of ${len}.`);
  if (offset > BigInt(len)) raise(L, `Start offset ${cInt(offset)} greater than input length ${len}.`);
  const max = decodeAll ? 2147483647 : Number(limit);
  const c = new Cursor(s, Number(offset));
  let cnt = 0;
  try {
    for (; c.left > 0 && cnt < max; cnt++) decodeValue(L, c);
  } catch (err) {
    if (err instanceof DecodeStop) raise(L, err.eof ? 'Missing bytes in input.' : 'Bad data format in input.');
    throw err;
  }
  if (decodeAll) return cnt;
  checkStack51(L, 1, 'in function mp_unpack_full');
  lua.lua_pushnumber(L, c.left === 0 ? -1 : c.p);
  lua.lua_insert(L, 2);
  return cnt + 1;
}

const unpack: LuaCFunction = (L) => unpackFull(L, 0n, 0n);

const unpackOne: LuaCFunction = (L) => {
  const offset = optInteger51(L, 2, 0n);
  if (lua.lua_gettop(L) > 1) lua.lua_settop(L, 1);
  return unpackFull(L, 1n, offset);
};

const unpackLimit: LuaCFunction = (L) => {
  const limit = checkInteger51(L, 2);
  const offset = optInteger51(L, 3, 0n);
  if (lua.lua_gettop(L) > 1) lua.lua_settop(L, 1);
  return unpackFull(L, limit, offset);
};

const FIELDS: Record<string, string> = {
  _NAME: 'cmsgpack',
  _VERSION: 'lua-cmsgpack 0.4.0',
  _COPYRIGHT: 'Copyright (C) 2012, Salvatore Sanfilippo',
  _DESCRIPTION: 'MessagePack C implementation for Lua',
};

/** Creates the global `cmsgpack` table. */
export function openCmsgpack(L: LuaState): void {
  const fns: Record<string, LuaCFunction> = { pack, unpack, unpack_one: unpackOne, unpack_limit: unpackLimit };
  lua.lua_createtable(L, 0, 8);
  for (const [name, fn] of Object.entries(fns)) {
    lua.lua_pushcfunction(L, fn);
    lua.lua_setfield(L, -2, name);
  }
  for (const [name, text] of Object.entries(FIELDS)) {
    lua.lua_pushstring(L, text);
    lua.lua_setfield(L, -2, name);
  }
  lua.lua_setglobal(L, 'cmsgpack');
}
