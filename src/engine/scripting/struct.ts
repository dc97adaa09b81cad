// The `struct` library Redis loads into Lua (Roberto Ierusalimschy's lua-struct as Redis ships it):
// pack, unpack and size of binary records described by a format string. Redis builds it for
// x86-64 Lua 5.1, so its answers carry that platform's facts: numbers are doubles, integers go
// through C casts (out-of-range values become x86's "integer indefinite" pattern), long and
// size_t are 8 bytes, the default byte order is little-endian, the maximum alignment is 8 and a
// C function holds at most 8000 stack slots. Fields are read as 64-bit unsigned arithmetic
// (BigInt) so that 8-byte and wider integers round-trip the way Redis's doubles do.
//
// The first part holds the Lua 5.1 / x86 conversions this file and cmsgpack.ts share.

import { lauxlib, lua, type LuaCFunction, type LuaState } from './fengari.js';
import { toLuaBytes } from './bytes.js';

// --- Lua 5.1 on x86-64 ----------------------------------------------------------------------------

/** LUAI_MAXCSTACK: lua_checkstack fails when a C function would hold more slots than this. */
export const MAX_C_STACK = 8000;
/** Slots kept free so that raising an error never overflows the frame (fengari asserts on that). */
const ERROR_SLACK = 8;

const TWO63 = 2 ** 63;
const TWO64 = 2 ** 64;
const INT64_MIN = -(2n ** 63n);
const SIGN_BIT = 1n << 63n;
const MASK64 = (1n << 64n) - 1n;

/** (int64_t)d on x86-64: truncation, with NaN and out-of-range values giving INT64_MIN. */
export function toInt64(d: number): bigint {
  if (!(d >= -TWO63 && d < TWO63)) return INT64_MIN;
  return BigInt(Math.trunc(d));
}

/** (uint64_t)d as gcc compiles it for x86-64 (values from 2^64 up give 0, NaN gives 2^63). */
export function toUint64(d: number): bigint {
  if (Number.isNaN(d)) return SIGN_BIT;
  if (d < TWO63) return BigInt.asUintN(64, toInt64(d));
  if (d < TWO64) return BigInt(Math.trunc(d));
  return 0n;
}

/** Lua 5.1's luaL_checkinteger: any number (or numeric string), truncated to a 64-bit integer. */
export function checkInteger51(L: LuaState, arg: number): bigint {
  return toInt64(lauxlib.luaL_checknumber(L, arg));
}

/** Lua 5.1's luaL_optinteger. */
export function optInteger51(L: LuaState, arg: number, def: bigint): bigint {
  return lua.lua_type(L, arg) <= lua.LUA_TNIL ? def : checkInteger51(L, arg);
}

/** A C (int) of a 64-bit integer: its low 32 bits, signed. */
export function cInt(v: bigint): number {
  return Number(BigInt.asIntN(32, v));
}

/** luaL_error with a message that may hold any byte (prefixed with the calling script's position). */
export function raise(L: LuaState, msg: string): never {
  lua.lua_checkstack(L, ERROR_SLACK);
  return lauxlib.luaL_error(L, '%s', toLuaBytes(msg));
}

/** luaL_argerror with a message that may hold any byte. */
function argError(L: LuaState, arg: number, msg: string): never {
  lua.lua_checkstack(L, ERROR_SLACK);
  return lauxlib.luaL_argerror(L, arg, toLuaBytes(msg));
}

/** luaL_checkstack under Lua 5.1's limit: "stack overflow (<what>)" when `n` more slots would not fit. */
export function checkStack51(L: LuaState, n: number, what: string): void {
  if (lua.lua_gettop(L) + n > MAX_C_STACK || !lua.lua_checkstack(L, n + ERROR_SLACK)) raise(L, `stack overflow (${what})`);
}

/** Writes `d` as an IEEE double or float; a NaN gets the bits x86 gives 0/0 (JavaScript keeps no NaN sign). */
export function writeFloat(view: DataView, at: number, d: number, size: 4 | 8, little: boolean): void {
  if (Number.isNaN(d)) {
    const bits = size === 8 ? [0xff, 0xf8, 0, 0, 0, 0, 0, 0] : [0xff, 0xc0, 0, 0];
    for (let i = 0; i < size; i++) view.setUint8(at + i, bits[little ? size - 1 - i : i]!);
  } else if (size === 8) view.setFloat64(at, d, little);
  else view.setFloat32(at, d, little);
}

// --- formats -------------------------------------------------------------------------------------

const MAX_INT_SIZE = 32;
/** The strictest alignment '!' allows by default (a double's, on x86-64). */
const MAX_ALIGN = 8;
const INT_MAX = 2147483647;

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isAlnum = (c: number): boolean => isDigit(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isLower = (c: number): boolean => c >= 0x61 && c <= 0x7a;
const ch = (s: string): number => s.charCodeAt(0);

/** A format string being read; it ends at its first NUL byte, as the C code sees it. */
class Format {
  pos = 0;
  readonly end: number;
  constructor(readonly bytes: Uint8Array) {
    const nul = bytes.indexOf(0);
    this.end = nul < 0 ? bytes.length : nul;
  }
  more(): boolean {
    return this.pos < this.end;
  }
  next(): number {
    return this.bytes[this.pos++]!;
  }
  peekDigit(): boolean {
    return this.pos < this.end && isDigit(this.bytes[this.pos]!);
  }
}

interface Header {
  little: boolean;
  align: number;
}

const defaultHeader = (): Header => ({ little: true, align: 1 });

/** The number written after an option, or `df` when there is none. */
function getNum(L: LuaState, f: Format, df: number): number {
  if (!f.peekDigit()) return df;
  let a = 0;
  do {
    const d = f.next() - 0x30;
    if (a > Math.floor(INT_MAX / 10) || a * 10 > INT_MAX - d) raise(L, 'integral size overflow');
    a = a * 10 + d;
  } while (f.peekDigit());
  return a;
}

/** Fixed sizes of the integral and floating options (x86-64's C types). */
const FIXED_SIZE: Record<number, number> = {
  [ch('b')]: 1,
  [ch('B')]: 1,
  [ch('h')]: 2,
  [ch('H')]: 2,
  [ch('l')]: 8,
  [ch('L')]: 8,
  [ch('T')]: 8,
  [ch('f')]: 4,
  [ch('d')]: 8,
  [ch('x')]: 1,
};

/** Bytes an option takes (reading its count from the format); 0 for the control options. */
function optSize(L: LuaState, opt: number, f: Format): number {
  const fixed = FIXED_SIZE[opt];
  if (fixed !== undefined) return fixed;
  if (opt === ch('c')) return getNum(L, f, 1);
  if (opt === ch('i') || opt === ch('I')) {
    const sz = getNum(L, f, 4);
    if (sz > MAX_INT_SIZE) raise(L, `integral size ${sz} is larger than limit of ${MAX_INT_SIZE}`);
    return sz;
  }
  return 0;
}

/** Padding before an element of `size` bytes at offset `len` (size is at most 32 here). */
function toAlign(len: bigint, h: Header, opt: number, size: number): number {
  if (size === 0 || opt === ch('c')) return 0;
  if (size > h.align) size = h.align;
  const low = Number(len & BigInt(size - 1));
  return (size - low) & (size - 1);
}

/** The options that only change the header: space, endianness and '!' alignment. */
function controlOption(L: LuaState, opt: number, f: Format, h: Header): void {
  if (opt === ch(' ')) return;
  if (opt === ch('>')) h.little = false;
  else if (opt === ch('<')) h.little = true;
  else if (opt === ch('!')) {
    const a = getNum(L, f, MAX_ALIGN);
    if (!(a > 0 && (a & (a - 1)) === 0)) raise(L, `alignment ${a} is not a power of 2`);
    h.align = a;
  } else argError(L, 1, `invalid format option '${String.fromCharCode(opt)}'`);
}

const INTEGRAL = new Set(['b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I'].map(ch));

// --- pack ----------------------------------------------------------------------------------------

/** A growing byte buffer (struct.pack here, cmsgpack.pack extends it). */
export class GrowingBytes {
  buf = new Uint8Array(64);
  view = new DataView(this.buf.buffer);
  len = 0;
  protected room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.len + n, this.buf.length * 2));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  zeros(n: number): void {
    this.room(n);
    this.buf.fill(0, this.len, this.len + n);
    this.len += n;
  }
  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

function putInteger(out: GrowingBytes, n: number, little: boolean, size: number): void {
  let v = toUint64(n);
  const b = new Uint8Array(size);
  for (let i = 0; i < size; i++) {
    b[little ? i : size - 1 - i] = Number(v & 0xffn);
    v >>= 8n;
  }
  out.bytes(b);
}

function putFloat(out: GrowingBytes, d: number, size: 4 | 8, little: boolean): void {
  const b = new Uint8Array(size);
  writeFloat(new DataView(b.buffer), 0, d, size, little);
  out.bytes(b);
}

const pack: LuaCFunction = (L) => {
  const f = new Format(lauxlib.luaL_checklstring(L, 1));
  const h = defaultHeader();
  // The C code pushes a nil mark here, so a missing first value reads as nil, not "no value".
  lua.lua_pushnil(L);
  const out = new GrowingBytes();
  let arg = 2;
  let total = 0n;
  while (f.more()) {
    const opt = f.next();
    let size = optSize(L, opt, f);
    const pad = toAlign(total, h, opt, size);
    total += BigInt(pad);
    out.zeros(pad);
    if (INTEGRAL.has(opt)) putInteger(out, lauxlib.luaL_checknumber(L, arg++), h.little, size);
    else if (opt === ch('x')) out.zeros(1);
    else if (opt === ch('f') || opt === ch('d')) putFloat(out, lauxlib.luaL_checknumber(L, arg++), size as 4 | 8, h.little);
    else if (opt === ch('c') || opt === ch('s')) {
      const s = lauxlib.luaL_checklstring(L, arg++);
      if (size === 0) size = s.length;
      // The C code names the argument after the one it read.
      if (s.length < size) argError(L, arg, 'string too short');
      out.bytes(s.subarray(0, size));
      if (opt === ch('s')) {
        out.zeros(1);
        size++;
      }
    } else controlOption(L, opt, f, h);
    total += BigInt(size);
  }
  lua.lua_pushstring(L, out.result());
  return 1;
};

// --- unpack --------------------------------------------------------------------------------------

function getInteger(data: Uint8Array, at: number, little: boolean, signed: boolean, size: number): number {
  let l = 0n;
  for (let k = 0; k < size; k++) {
    const i = little ? size - 1 - k : k;
    l = ((l << 8n) | BigInt(data[at + i]!)) & MASK64;
  }
  if (!signed) return Number(l);
  // The sign mask is ~0 << (size*8 - 1), the shift count taken modulo 64 as x86 does.
  const mask = (MASK64 << BigInt((size * 8 - 1) & 63)) & MASK64;
  if (l & mask) l |= mask;
  return Number(BigInt.asIntN(64, l));
}

const unpack: LuaCFunction = (L) => {
  const f = new Format(lauxlib.luaL_checklstring(L, 1));
  const data = lauxlib.luaL_checklstring(L, 2);
  const ld = BigInt(data.length);
  let pos = BigInt.asUintN(64, optInteger51(L, 3, 1n));
  if (pos === 0n) argError(L, 3, 'offset must be 1 or greater');
  pos = (pos - 1n) & MASK64;
  const h = defaultHeader();
  let n = 0;
  while (f.more()) {
    const opt = f.next();
    let size = BigInt(optSize(L, opt, f));
    pos = (pos + BigInt(toAlign(pos, h, opt, Number(size)))) & MASK64;
    if (!(size <= ld && pos <= ld - size)) argError(L, 2, 'data string too short');
    checkStack51(L, 2, 'too many results');
    const at = Number(pos);
    if (INTEGRAL.has(opt)) {
      lua.lua_pushnumber(L, getInteger(data, at, h.little, isLower(opt), Number(size)));
      n++;
    } else if (opt === ch('f') || opt === ch('d')) {
      const view = new DataView(data.buffer, data.byteOffset + at, Number(size));
      lua.lua_pushnumber(L, opt === ch('f') ? view.getFloat32(0, h.little) : view.getFloat64(0, h.little));
      n++;
    } else if (opt === ch('c')) {
      if (size === 0n) {
        if (n === 0 || !lua.lua_isnumber(L, -1)) raise(L, "format 'c0' needs a previous size");
        size = toUint64(lua.lua_tonumber(L, -1));
        lua.lua_pop(L, 1);
        n--;
        if (!(size <= ld && pos <= ld - size)) argError(L, 2, 'data string too short');
      }
      lua.lua_pushstring(L, data.slice(at, at + Number(size)));
      n++;
    } else if (opt === ch('s')) {
      const e = data.indexOf(0, at);
      if (e < 0) raise(L, 'unfinished string in data');
      size = BigInt(e - at + 1);
      lua.lua_pushstring(L, data.slice(at, e));
      n++;
    } else if (opt !== ch('x')) controlOption(L, opt, f, h);
    pos = (pos + size) & MASK64;
  }
  lua.lua_pushnumber(L, Number(BigInt.asIntN(64, pos + 1n)));
  return n + 1;
};

// --- size ----------------------------------------------------------------------------------------

const size: LuaCFunction = (L) => {
  const f = new Format(lauxlib.luaL_checklstring(L, 1));
  const h = defaultHeader();
  let pos = 0n;
  while (f.more()) {
    const opt = f.next();
    const sz = optSize(L, opt, f);
    pos += BigInt(toAlign(pos, h, opt, sz));
    if (opt === ch('s')) argError(L, 1, "option 's' has no fixed size");
    else if (opt === ch('c') && sz === 0) argError(L, 1, "option 'c0' has no fixed size");
    // Unknown letters and digits pass silently here (only pack and unpack refuse them).
    if (!isAlnum(opt)) controlOption(L, opt, f, h);
    pos += BigInt(sz);
  }
  lua.lua_pushnumber(L, Number(BigInt.asIntN(64, pos)));
  return 1;
};

/** Creates the global `struct` table. */
export function openStruct(L: LuaState): void {
  const fns: Record<string, LuaCFunction> = { pack, unpack, size };
  lua.lua_createtable(L, 0, 3);
  for (const [name, fn] of Object.entries(fns)) {
    lua.lua_pushcfunction(L, fn);
    lua.lua_setfield(L, -2, name);
  }
  lua.lua_setglobal(L, 'struct');
}
