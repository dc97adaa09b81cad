// Bitmap commands on strings (bitops.c): SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD and
// BITFIELD_RO. Bit 0 is the most significant bit of the first byte, for single bits and for
// BITFIELD's integers alike (an integer's bits run from its offset onwards, most significant
// first). Writers (SETBIT, BITFIELD) grow the string with zero bytes in place, leave it raw, and
// signal/notify ("setbit") and count dirty only when something changed or the string grew, as
// Redis does; BITOP stores a fresh raw string ("set") or deletes an empty result ("del").
// Range arguments are int64 and compared as such (BigInt), so extreme values clamp as in Redis,
// and BITFIELD's overflow checks replay Redis's int64/uint64 arithmetic, quirks included (a SET
// far below a signed type's minimum reads as an overflow upwards). The sds behind a grown string
// is replayed and recorded (types/hll-sds.ts) so MEMORY USAGE can report its capacity.

import { cmd, type CommandSpec, type Ctx } from '../command.js';
import { ReplyError, syntaxError, wrongType } from '../errors.js';
import { is, parseBigInt } from '../args.js';
import { isCanonicalInt, newRawString, type RObj, type StringObj } from '../types/objects.js';
import { currentSds, exactSds, setStringSds } from '../types/string-sds.js';
import { notify } from '../notify.js';
import { REDIS_7_0 } from '../../memory/index.js';
import { sdsMakeRoomFor } from '../../memory/sds.js';

const BAD_OFFSET = 'bit offset is not an integer or out of range';
const BAD_BIT = 'bit is not an integer or out of range';
const BAD_TYPE = 'Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.';

// --- shared helpers --------------------------------------------------------------------------------

function asString(o: RObj | undefined): StringObj | undefined {
  if (o === undefined) return undefined;
  if (o.type !== 'string') wrongType();
  return o;
}

/** getBitOffsetFromArgument: "#N" means N * bits when `bits` > 0 (BITFIELD). */
function parseOffset(ctx: Ctx, arg: string, bits = 0): bigint {
  const hash = bits > 0 && arg.startsWith('#');
  const digits = hash ? arg.slice(1) : arg;
  if (!isCanonicalInt(digits)) throw new ReplyError(BAD_OFFSET);
  let n = BigInt(digits);
  if (hash) n = BigInt.asIntN(64, n * BigInt(bits));
  if (n < 0n || n >> 3n >= BigInt(ctx.engine.config.num['proto-max-bulk-len']!)) throw new ReplyError(BAD_OFFSET);
  return n;
}

const bytesOf = (v: string): Uint8Array => new Uint8Array(Buffer.from(v, 'latin1'));
const textOf = (b: Uint8Array, len = b.length): string => Buffer.from(b.buffer, b.byteOffset, len).toString('latin1');

/**
 * lookupStringForBitCommand: the key's bytes grown with zeros to hold `maxBit`, creating the key
 * when missing. `grew` says whether a byte was added (that alone counts as a change).
 */
interface BitTarget {
  key: string;
  o: StringObj | undefined;
  b: Uint8Array;
  grew: boolean;
}

function openForBits(ctx: Ctx, key: string, maxBit: bigint): BitTarget {
  const need = Number(maxBit >> 3n) + 1;
  const o = asString(ctx.db.write(key));
  if (o === undefined) return { key, o, b: new Uint8Array(need), grew: true };
  const cur = bytesOf(o.v);
  if (cur.length >= need) return { key, o, b: cur, grew: false };
  const b = new Uint8Array(need);
  b.set(cur);
  return { key, o, b, grew: true };
}

/** Writes the target back: a new raw key, or the existing value changed in place. */
function closeBits(ctx: Ctx, t: BitTarget, signal: boolean): void {
  const v = textOf(t.b);
  if (t.o === undefined) {
    const obj = newRawString(v);
    setStringSds(obj, exactSds(v.length));
    ctx.db.add(t.key, obj);
    return;
  }
  let sds = currentSds(t.o);
  if (v.length > sds.len) sds = { ...sdsMakeRoomFor(sds, v.length - sds.len, true, REDIS_7_0.lgQuantum, REDIS_7_0.sdsMaxPrealloc), len: v.length };
  t.o.v = v;
  t.o.enc = 'raw';
  setStringSds(t.o, sds);
  if (signal) ctx.engine.touched(ctx.db, t.key);
  else ctx.engine.memory.keyChanged(ctx.db, t.key, ctx.db.entry(t.key));
}

// --- SETBIT / GETBIT -------------------------------------------------------------------------------

function setbit(ctx: Ctx, argv: string[]): void {
  const key = argv[1]!;
  const offset = parseOffset(ctx, argv[2]!);
  const on = argv[3]!;
  if (!isCanonicalInt(on)) throw new ReplyError(BAD_BIT);
  if (on !== '0' && on !== '1') throw new ReplyError(BAD_BIT);
  const t = openForBits(ctx, key, offset);
  const byte = Number(offset >> 3n);
  const mask = 1 << (7 - Number(offset & 7n));
  const old = t.b[byte]! & mask;
  const changed = t.grew || (old !== 0) !== (on === '1');
  if (changed) {
    t.b[byte] = on === '1' ? t.b[byte]! | mask : t.b[byte]! & ~mask;
    closeBits(ctx, t, true);
    notify(ctx, '$', 'setbit', key);
    ctx.engine.dirty++;
  } else if (t.o!.enc !== 'raw') {
    closeBits(ctx, t, false); // dbUnshareStringValue
  }
  ctx.reply.int(old ? 1 : 0);
}

function getbit(ctx: Ctx, argv: string[]): void {
  const offset = parseOffset(ctx, argv[2]!);
  const o = asString(ctx.db.read(argv[1]!));
  const byte = Number(offset >> 3n);
  if (o === undefined || byte >= o.v.length) return ctx.reply.int(0);
  ctx.reply.int(o.v.charCodeAt(byte) & (1 << (7 - Number(offset & 7n))) ? 1 : 0);
}

// --- BITCOUNT / BITPOS -----------------------------------------------------------------------------

const POPCOUNT = Uint8Array.from({ length: 256 }, (_, i) => {
  let n = 0;
  for (let x = i; x; x >>= 1) n += x & 1;
  return n;
});

function popcount(v: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i <= to; i++) n += POPCOUNT[v.charCodeAt(i)]!;
  return n;
}

/** BYTE | BIT keyword: true for BIT. */
function parseUnit(arg: string): boolean {
  if (is(arg, 'bit')) return true;
  if (is(arg, 'byte')) return false;
  return syntaxError();
}

/** A [start, end] range resolved against `totlen` units, clamped as bitcountCommand does. */
function clampRange(start: bigint, end: bigint, totlen: bigint): [bigint, bigint] {
  if (start < 0n) start += totlen;
  if (end < 0n) end += totlen;
  if (start < 0n) start = 0n;
  if (end < 0n) end = 0n;
  if (end >= totlen) end = totlen - 1n;
  return [start, end];
}

/** The byte masks of the bits outside a bit range in its first and last byte. */
function edgeMasks(start: bigint, end: bigint): [number, number] {
  const first = ~((1 << (8 - Number(start & 7n))) - 1) & 0xff;
  const last = (1 << (7 - Number(end & 7n))) - 1;
  return [first, last];
}

function bitcount(ctx: Ctx, argv: string[]): void {
  const o = asString(ctx.db.read(argv[1]!));
  if (o === undefined) return ctx.reply.int(0);
  const v = o.v;
  let start: bigint;
  let end: bigint;
  let firstMask = 0;
  let lastMask = 0;
  if (argv.length === 4 || argv.length === 5) {
    start = parseBigInt(argv[2]!);
    end = parseBigInt(argv[3]!);
    if (start < 0n && end < 0n && start > end) return ctx.reply.int(0);
    const isBit = argv.length === 5 && parseUnit(argv[4]!);
    [start, end] = clampRange(start, end, BigInt(v.length) * (isBit ? 8n : 1n));
    if (isBit && start <= end) {
      [firstMask, lastMask] = edgeMasks(start, end);
      start >>= 3n;
      end >>= 3n;
    }
  } else if (argv.length === 2) {
    start = 0n;
    end = BigInt(v.length) - 1n;
  } else return syntaxError();
  if (start > end) return ctx.reply.int(0);
  const s = Number(start);
  const e = Number(end);
  let count = popcount(v, s, e);
  if (firstMask) count -= POPCOUNT[v.charCodeAt(s) & firstMask]!;
  if (lastMask) count -= POPCOUNT[v.charCodeAt(e) & lastMask]!;
  ctx.reply.int(count);
}

/** redisBitpos over bytes [from, from + count): a clear bit past the end counts as found. */
function findBit(byteAt: (i: number) => number, from: number, count: number, bit: number): number {
  const skip = bit ? 0 : 0xff;
  for (let i = 0; i < count; i++) {
    const c = byteAt(from + i);
    if (c === skip) continue;
    const x = bit ? c : ~c & 0xff;
    return i * 8 + Math.clz32(x) - 24;
  }
  return bit ? -1 : count * 8;
}

function bitpos(ctx: Ctx, argv: string[]): void {
  const bit = Number(parseBigInt(argv[2]!));
  if (bit !== 0 && bit !== 1) throw new ReplyError('The bit argument must be 1 or 0.');
  const o = asString(ctx.db.read(argv[1]!));
  if (o === undefined) return ctx.reply.int(bit ? -1 : 0);
  const v = o.v;
  const at = (i: number): number => v.charCodeAt(i);
  let start: bigint;
  let end: bigint;
  let endGiven = false;
  let firstMask = 0;
  let lastMask = 0;
  if (argv.length >= 4 && argv.length <= 6) {
    const totlen = BigInt(v.length);
    start = parseBigInt(argv[3]!);
    const isBit = argv.length === 6 && parseUnit(argv[5]!);
    if (argv.length >= 5) {
      end = parseBigInt(argv[4]!);
      endGiven = true;
    } else end = isBit ? (totlen << 3n) + 7n : totlen - 1n;
    [start, end] = clampRange(start, end, isBit ? totlen << 3n : totlen);
    if (isBit && start <= end) {
      [firstMask, lastMask] = edgeMasks(start, end);
      start >>= 3n;
      end >>= 3n;
    }
  } else if (argv.length === 3) {
    start = 0n;
    end = BigInt(v.length) - 1n;
  } else return syntaxError();
  if (start > end) return ctx.reply.int(-1);

  let s = Number(start);
  const e = Number(end);
  let bytes = e - s + 1;
  const one = (c: number): number => findBit(() => c, 0, 1, bit);
  const masked = (c: number, mask: number): number => (bit ? c & ~mask : c | mask) & 0xff;
  let pos: number;
  search: {
    if (firstMask) {
      let c = masked(at(s), firstMask);
      if (lastMask && bytes === 1) c = masked(c, lastMask);
      pos = one(c);
      if (bytes === 1 || (pos !== -1 && pos !== 8)) break search;
      s++;
      bytes--;
    }
    const cur = bytes - (lastMask ? 1 : 0);
    if (cur > 0) {
      pos = findBit(at, s, cur, bit);
      if (bytes === cur || (pos !== -1 && pos !== cur * 8)) break search;
      s += cur;
      bytes -= cur;
    }
    pos = one(masked(at(e), lastMask));
  }
  if (endGiven && bit === 0 && pos === bytes * 8) return ctx.reply.int(-1);
  ctx.reply.int(pos === -1 ? -1 : pos + s * 8);
}

// --- BITOP -------------------------------------------------------------------------------------------

type ByteOp = (a: number, b: number) => number;
const BITOPS: Record<string, ByteOp | null> = {
  and: (a, b) => a & b,
  or: (a, b) => a | b,
  xor: (a, b) => a ^ b,
  not: null,
};

function bitop(ctx: Ctx, argv: string[]): void {
  const name = argv[1]!.toLowerCase();
  if (!Object.hasOwn(BITOPS, name)) syntaxError();
  const op = BITOPS[name]!;
  if (name === 'not' && argv.length !== 4) throw new ReplyError('BITOP NOT must be called with a single source key.');
  const dest = argv[2]!;
  const srcs: Uint8Array[] = [];
  let maxlen = 0;
  for (let j = 3; j < argv.length; j++) {
    const o = asString(ctx.db.read(argv[j]!));
    const b = o === undefined ? new Uint8Array(0) : bytesOf(o.v);
    srcs.push(b);
    if (b.length > maxlen) maxlen = b.length;
  }
  if (maxlen === 0) {
    // dbDelete: removes the key even when it is logically expired.
    if (ctx.db.delete(dest)) {
      notify(ctx, 'g', 'del', dest);
      ctx.engine.dirty++;
    }
    return ctx.reply.int(0);
  }
  const res = new Uint8Array(maxlen);
  const first = srcs[0]!;
  res.set(first);
  if (op === null) for (let i = 0; i < maxlen; i++) res[i] = ~res[i]! & 0xff;
  else {
    for (let k = 1; k < srcs.length; k++) {
      const src = srcs[k]!;
      for (let i = 0; i < maxlen; i++) res[i] = op(res[i]!, i < src.length ? src[i]! : 0);
    }
  }
  const obj = newRawString(textOf(res));
  setStringSds(obj, exactSds(maxlen));
  ctx.db.write(dest); // setKey's lookupKeyWrite: an expired destination goes first
  ctx.db.set(dest, obj);
  notify(ctx, '$', 'set', dest);
  ctx.engine.dirty++;
  ctx.reply.int(maxlen);
}

// --- BITFIELD ----------------------------------------------------------------------------------------

type Overflow = 'wrap' | 'sat' | 'fail';
interface FieldOp {
  op: 'get' | 'set' | 'incrby';
  signed: boolean;
  bits: number;
  offset: bigint;
  value: bigint;
  overflow: Overflow;
}

/** getBitfieldTypeFromArgument: i1..i64 or u1..u63 (the digits end at a NUL byte, as strlen). */
function parseType(arg: string): { signed: boolean; bits: number } {
  const sign = arg[0];
  if (sign !== 'i' && sign !== 'u') throw new ReplyError(BAD_TYPE);
  const nul = arg.indexOf('\0');
  const digits = arg.slice(1, nul < 0 ? undefined : nul);
  if (!isCanonicalInt(digits)) throw new ReplyError(BAD_TYPE);
  const bits = BigInt(digits);
  if (bits < 1n || bits > (sign === 'i' ? 64n : 63n)) throw new ReplyError(BAD_TYPE);
  return { signed: sign === 'i', bits: Number(bits) };
}

const FIELD_ARGS: Record<string, number> = { get: 2, set: 3, incrby: 3 };
const OVERFLOWS: Record<string, Overflow> = { wrap: 'wrap', sat: 'sat', fail: 'fail' };

function parseFieldOps(ctx: Ctx, argv: string[]): FieldOp[] {
  const ops: FieldOp[] = [];
  let overflow: Overflow = 'wrap';
  for (let j = 2; j < argv.length; j++) {
    const rem = argv.length - j - 1;
    const sub = argv[j]!.toLowerCase();
    if (sub === 'overflow' && rem >= 1) {
      const kind = OVERFLOWS[argv[++j]!.toLowerCase()];
      if (kind === undefined) throw new ReplyError('Invalid OVERFLOW type specified');
      overflow = kind;
      continue;
    }
    const need = FIELD_ARGS[sub];
    if (need === undefined || rem < need) syntaxError();
    const { signed, bits } = parseType(argv[j + 1]!);
    const offset = parseOffset(ctx, argv[j + 2]!, bits);
    const value = sub === 'get' ? 0n : parseBigInt(argv[j + 3]!);
    ops.push({ op: sub as FieldOp['op'], signed, bits, offset, value, overflow });
    j += need;
  }
  return ops;
}

/** The unsigned integer in bits [offset, offset + bits) of `b`; bits past the end read as 0. */
function getBits(b: Uint8Array, offset: bigint, bits: number): bigint {
  let v = 0n;
  let off = Number(offset);
  for (let j = 0; j < bits; j++, off++) {
    const byte = off >>> 3;
    const bit = byte < b.length ? (b[byte]! >> (7 - (off & 7))) & 1 : 0;
    v = (v << 1n) | BigInt(bit);
  }
  return v;
}

function setBits(b: Uint8Array, offset: bigint, bits: number, value: bigint): void {
  let off = Number(offset);
  for (let j = 0; j < bits; j++, off++) {
    const bit = Number((value >> BigInt(bits - 1 - j)) & 1n);
    const byte = off >>> 3;
    const mask = 1 << (7 - (off & 7));
    b[byte] = bit ? b[byte]! | mask : b[byte]! & ~mask;
  }
}

const i64 = (x: bigint): bigint => BigInt.asIntN(64, x);
const u64 = (x: bigint): bigint => BigInt.asUintN(64, x);

/** checkUnsignedBitfieldOverflow: [direction (0 none), the value to store on overflow]. */
function unsignedOverflow(value: bigint, incr: bigint, bits: number, kind: Overflow): [number, bigint] {
  const max = (1n << BigInt(bits)) - 1n;
  const maxincr = i64(max - value);
  const minincr = i64(-value);
  const wrapped = BigInt.asUintN(bits, value + incr);
  if (value > max || (incr > 0n && incr > maxincr)) return [1, kind === 'sat' ? max : wrapped];
  if (incr < 0n && incr < minincr) return [-1, kind === 'sat' ? 0n : wrapped];
  return [0, 0n];
}

/** checkSignedBitfieldOverflow, with Redis's wrapping intermediate arithmetic. */
function signedOverflow(value: bigint, incr: bigint, bits: number, kind: Overflow): [number, bigint] {
  const max = bits === 64 ? (1n << 63n) - 1n : (1n << BigInt(bits - 1)) - 1n;
  const min = -max - 1n;
  const maxincr = i64(u64(max) - u64(value));
  const minincr = i64(min - value);
  const wrapped = BigInt.asIntN(bits, u64(value + incr));
  if (value > max || (bits !== 64 && incr > maxincr) || (value >= 0n && incr > 0n && incr > maxincr)) return [1, kind === 'sat' ? max : wrapped];
  if (value < min || (bits !== 64 && incr < minincr) || (value < 0n && incr < 0n && incr < minincr)) return [-1, kind === 'sat' ? min : wrapped];
  return [0, 0n];
}

function readField(b: Uint8Array, op: FieldOp): bigint {
  const u = getBits(b, op.offset, op.bits);
  return op.signed ? BigInt.asIntN(op.bits, u) : u;
}

function bitfieldGeneric(ctx: Ctx, argv: string[], readOnlyCommand: boolean): void {
  const key = argv[1]!;
  const ops = parseFieldOps(ctx, argv);
  const writes = ops.filter((o) => o.op !== 'get');
  if (writes.length === 0) {
    const o = asString(ctx.db.read(key));
    const b = o === undefined ? new Uint8Array(0) : bytesOf(o.v);
    ctx.reply.arrayLen(ops.length);
    for (const op of ops) ctx.reply.int(readField(b, op));
    return;
  }
  if (readOnlyCommand) throw new ReplyError('BITFIELD_RO only supports the GET subcommand');
  let highest = 0n;
  for (const w of writes) if (w.offset + BigInt(w.bits) - 1n > highest) highest = w.offset + BigInt(w.bits) - 1n;
  const t = openForBits(ctx, key, highest);
  const out: Array<bigint | null> = [];
  let changes = 0;
  for (const op of ops) {
    if (op.op === 'get') {
      out.push(readField(t.b, op));
      continue;
    }
    const old = readField(t.b, op);
    let next: bigint;
    let ret: bigint;
    let dir: number;
    let limit: bigint;
    if (op.signed) {
      if (op.op === 'incrby') {
        [dir, limit] = signedOverflow(old, op.value, op.bits, op.overflow);
        next = dir ? limit : old + op.value;
        ret = next;
      } else {
        [dir, limit] = signedOverflow(op.value, 0n, op.bits, op.overflow);
        next = dir ? limit : op.value;
        ret = old;
      }
    } else if (op.op === 'incrby') {
      [dir, limit] = unsignedOverflow(old, op.value, op.bits, op.overflow);
      next = dir ? limit : u64(old + op.value);
      ret = next;
    } else {
      const v = u64(op.value);
      [dir, limit] = unsignedOverflow(v, 0n, op.bits, op.overflow);
      next = dir ? limit : v;
      ret = old;
    }
    if (dir !== 0 && op.overflow === 'fail') {
      out.push(null);
      continue;
    }
    out.push(ret);
    setBits(t.b, op.offset, op.bits, u64(next));
    if (t.grew || old !== next) changes++;
  }
  closeBits(ctx, t, changes > 0);
  if (changes) {
    notify(ctx, '$', 'setbit', key);
    ctx.engine.dirty += changes;
  }
  ctx.reply.arrayLen(out.length);
  for (const r of out) {
    if (r === null) ctx.reply.nullBulk();
    else ctx.reply.int(r);
  }
}

export const bitmapsCommands: CommandSpec[] = [
  cmd('setbit', 4, ['write', 'denyoom'], ['write', 'bitmap', 'slow'], [1, 1, 1], 'bitmap', setbit),
  cmd('getbit', 3, ['readonly', 'fast'], ['read', 'bitmap', 'fast'], [1, 1, 1], 'bitmap', getbit),
  cmd('bitcount', -2, ['readonly'], ['read', 'bitmap', 'slow'], [1, 1, 1], 'bitmap', bitcount),
  cmd('bitpos', -3, ['readonly'], ['read', 'bitmap', 'slow'], [1, 1, 1], 'bitmap', bitpos),
  cmd('bitop', -4, ['write', 'denyoom'], ['write', 'bitmap', 'slow'], [2, -1, 1], 'bitmap', bitop),
  cmd('bitfield', -2, ['write', 'denyoom'], ['write', 'bitmap', 'slow'], [1, 1, 1], 'bitmap', (ctx, argv) => bitfieldGeneric(ctx, argv, false)),
  cmd('bitfield_ro', -2, ['readonly', 'fast'], ['read', 'bitmap', 'fast'], [1, 1, 1], 'bitmap', (ctx, argv) => bitfieldGeneric(ctx, argv, true)),
];
