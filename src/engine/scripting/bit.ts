// The `bit` library Redis loads into Lua (LuaBitOp's API): 32-bit bitwise operations on Lua
// numbers. Arguments are normalised to signed 32-bit integers the way LuaBitOp does (round to
// nearest, wrap modulo 2^32); results are signed 32-bit.

import { lauxlib, lua, type LuaCFunction, type LuaState } from './fengari.js';

const TWO32 = 4294967296;

/** LuaBitOp's barg: a number reduced to a signed 32-bit integer. */
function barg(L: LuaState, i: number): number {
  const n = lauxlib.luaL_checknumber(L, i);
  if (!Number.isFinite(n)) return 0;
  let r = Math.round(n);
  if (Math.abs(n % 1) === 0.5 && r % 2 !== 0) r -= 1; // ties to even, like the FPU trick it uses
  r = r % TWO32;
  return r | 0;
}

const ret = (L: LuaState, n: number): number => {
  lua.lua_pushnumber(L, n | 0);
  return 1;
};

function fold(op: (a: number, b: number) => number): LuaCFunction {
  return (L) => {
    let acc = barg(L, 1);
    const n = lua.lua_gettop(L);
    for (let i = 2; i <= n; i++) acc = op(acc, barg(L, i));
    return ret(L, acc);
  };
}

const HEX = '0123456789abcdef';

const BIT: Record<string, LuaCFunction> = {
  tobit: (L) => ret(L, barg(L, 1)),
  bnot: (L) => ret(L, ~barg(L, 1)),
  band: fold((a, b) => a & b),
  bor: fold((a, b) => a | b),
  bxor: fold((a, b) => a ^ b),
  lshift: (L) => ret(L, barg(L, 1) << (barg(L, 2) & 31)),
  rshift: (L) => ret(L, barg(L, 1) >>> (barg(L, 2) & 31)),
  arshift: (L) => ret(L, barg(L, 1) >> (barg(L, 2) & 31)),
  rol: (L) => {
    const x = barg(L, 1);
    const n = barg(L, 2) & 31;
    return ret(L, (x << n) | (x >>> (32 - n)));
  },
  ror: (L) => {
    const x = barg(L, 1);
    const n = barg(L, 2) & 31;
    return ret(L, (x >>> n) | (x << (32 - n)));
  },
  bswap: (L) => {
    const x = barg(L, 1);
    return ret(L, ((x >>> 24) & 0xff) | ((x >>> 8) & 0xff00) | ((x & 0xff00) << 8) | (x << 24));
  },
  tohex: (L) => {
    let x = barg(L, 1) >>> 0;
    let n = lua.lua_type(L, 2) <= lua.LUA_TNIL ? 8 : barg(L, 2);
    const upper = n < 0;
    if (upper) n = -n;
    if (n > 8) n = 8;
    let s = '';
    for (let i = 0; i < n; i++) {
      s = HEX[x & 15]! + s;
      x >>>= 4;
    }
    lua.lua_pushstring(L, upper ? s.toUpperCase() : s);
    return 1;
  },
};

/** Creates the global `bit` table. */
export function openBit(L: LuaState): void {
  lua.lua_createtable(L, 0, Object.keys(BIT).length);
  for (const [name, fn] of Object.entries(BIT)) {
    lua.lua_pushcfunction(L, fn);
    lua.lua_setfield(L, -2, name);
  }
  lua.lua_setglobal(L, 'bit');
}
