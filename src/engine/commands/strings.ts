// The string family (t_string.c): GET/SET and their variants, counters, ranges and LCS.
//
// Design notes:
// - GET and plain SET are the hottest paths of any Redis workload, so they take a direct route
//   (one lookup, one object, no option parsing); everything with options goes through the table
//   of extended arguments, which encodes Redis's "which option excludes which" rules as data.
// - Encodings follow Redis: SET/GETSET/MSET/APPEND-on-a-new-key pick int/embstr/raw from the
//   value (tryObjectEncoding), APPEND/SETRANGE on an existing key leave a raw string, the
//   INCR family always stores an int, INCRBYFLOAT stores embstr/raw text (never int).
// - INCRBYFLOAT computes in 80-bit long double as Redis does (types/long-double.ts).
// - Modifications of existing keys replace the value object with db.set(key, obj, true), which
//   keeps the TTL (Redis's dbOverwrite) and signals WATCH.
// - Keyspace events follow t_string.c: every write that changes a key raises its event ("set",
//   "append", "setrange", "incrby", "incrbyfloat") after the key holds the new value, and a TTL
//   set or removed on the way adds a generic "expire"/"persist"/"del"; writes that change
//   nothing (SET NX on an existing key, SETRANGE with an empty patch) raise nothing.

import { constants as bufferConstants } from 'node:buffer';
import { cmd, type CommandSpec, type Ctx } from '../command.js';
import { E, ReplyError, syntaxError, wrongType } from '../errors.js';
import { notify } from '../notify.js';
import { is, parseBigInt } from '../args.js';
import { EMBSTR_LIMIT, isCanonicalInt, newRawString, newString, type RObj, type StringObj } from '../types/objects.js';
import { lcsTableBytes, longestCommonSubsequence } from '../types/lcs.js';
import { addLongDouble, formatLongDoubleHuman, LD_ZERO, parseLongDouble, type LongDouble } from '../types/long-double.js';

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
/** The longest string V8 can hold; a value that would grow past it cannot be built here. */
const MAX_JS_STRING = bufferConstants.MAX_STRING_LENGTH;

// --- small helpers --------------------------------------------------------------------------

/** The string value at `o`, or throws WRONGTYPE (checkType). */
function asString(o: RObj): StringObj {
  if (o.type !== 'string') wrongType();
  return o;
}

/** A 64-bit integer argument: a Number when short enough to be exact, else a bigint. */
function parseI64(s: string, msg: string = E.notInt): number | bigint {
  if (s.length > 0 && s.length <= 15 && isCanonicalInt(s)) return Number(s);
  return parseBigInt(s, msg);
}

/** checkStringLength: refuses results longer than proto-max-bulk-len. */
function checkStringLength(ctx: Ctx, size: number, append: number): void {
  const total = size + append;
  if (total > ctx.engine.config.num['proto-max-bulk-len']! || total > MAX_JS_STRING) throw new ReplyError(E.maxBulk);
}

function intObj(v: string): StringObj {
  return { type: 'string', enc: 'int', v };
}

/** createStringObject: embstr up to 44 bytes, raw above; no integer detection. */
function textObj(v: string): StringObj {
  return { type: 'string', enc: v.length <= EMBSTR_LIMIT ? 'embstr' : 'raw', v };
}

// --- extended SET/GETEX arguments -----------------------------------------------------------

const NX = 1;
const XX = 2;
const GET = 4;
const KEEPTTL = 8;
const PERSIST = 16;
const EX = 32;
const PX = 64;
const EXAT = 128;
const PXAT = 256;
const ANY_EXPIRE = EX | PX | EXAT | PXAT;

interface ExtOption {
  flag: number;
  /** Flags that make this option a syntax error when already given (a repeat of itself is allowed). */
  excludes: number;
  /** Which command accepts it: SET, GETEX or both. */
  set: boolean;
  getex: boolean;
  /** Takes the expire value as the next argument. */
  takesValue: boolean;
}

/** parseExtendedStringArgumentsOrReply's rules, one row per option. */
const EXT_OPTIONS = new Map<string, ExtOption>([
  ['nx', { flag: NX, excludes: XX, set: true, getex: false, takesValue: false }],
  ['xx', { flag: XX, excludes: NX, set: true, getex: false, takesValue: false }],
  ['get', { flag: GET, excludes: 0, set: true, getex: false, takesValue: false }],
  ['keepttl', { flag: KEEPTTL, excludes: PERSIST | ANY_EXPIRE, set: true, getex: false, takesValue: false }],
  ['persist', { flag: PERSIST, excludes: KEEPTTL | ANY_EXPIRE, set: false, getex: true, takesValue: false }],
  ['ex', { flag: EX, excludes: KEEPTTL | PERSIST | EXAT | PX | PXAT, set: true, getex: true, takesValue: true }],
  ['px', { flag: PX, excludes: KEEPTTL | PERSIST | EX | EXAT | PXAT, set: true, getex: true, takesValue: true }],
  ['exat', { flag: EXAT, excludes: KEEPTTL | PERSIST | EX | PX | PXAT, set: true, getex: true, takesValue: true }],
  ['pxat', { flag: PXAT, excludes: KEEPTTL | PERSIST | EX | EXAT | PX, set: true, getex: true, takesValue: true }],
]);

interface ExtArgs {
  flags: number;
  /** The expire argument as given (last one wins when repeated). */
  expire: string | undefined;
}

function parseExtArgs(argv: string[], first: number, forSet: boolean): ExtArgs {
  let flags = 0;
  let expire: string | undefined;
  for (let j = first; j < argv.length; j++) {
    const arg = argv[j]!;
    const opt = arg.length <= 7 ? EXT_OPTIONS.get(arg.toLowerCase()) : undefined;
    if (
      opt === undefined ||
      (forSet ? !opt.set : !opt.getex) ||
      (flags & opt.excludes) !== 0 ||
      (opt.takesValue && j === argv.length - 1)
    ) {
      syntaxError();
    }
    flags |= opt.flag;
    if (opt.takesValue) expire = argv[++j];
  }
  return { flags, expire };
}

/**
 * getExpireMillisecondsOrReply: the absolute unix ms an EX/PX/EXAT/PXAT argument means.
 * Non-positive values, and values that overflow a signed 64-bit ms time, are refused.
 */
function expireAt(arg: string, flags: number, now: number, command: string): number {
  const seconds = (flags & (EX | EXAT)) !== 0;
  const relative = (flags & (EX | PX)) !== 0;
  const invalid = `invalid expire time in '${command}' command`;
  if (arg.length <= 12 && isCanonicalInt(arg)) {
    // Small enough that ms arithmetic stays exact in a double.
    const v = Number(arg);
    if (v <= 0) throw new ReplyError(invalid);
    return (seconds ? v * 1000 : v) + (relative ? now : 0);
  }
  const v = parseBigInt(arg);
  if (v <= 0n || (seconds && v > I64_MAX / 1000n)) throw new ReplyError(invalid);
  let ms = seconds ? v * 1000n : v;
  if (relative) ms += BigInt(now);
  if (ms > I64_MAX) throw new ReplyError(invalid); // wraps negative in Redis
  return Number(ms);
}

// --- GET / SET family -----------------------------------------------------------------------

function get(ctx: Ctx, argv: string[]): void {
  const o = ctx.db.read(argv[1]!);
  if (o === undefined) ctx.reply.nullBulk();
  else if (o.type === 'string') ctx.reply.bulk(o.v);
  else wrongType();
}

function set(ctx: Ctx, argv: string[]): void {
  const { db } = ctx;
  const key = argv[1]!;
  if (argv.length === 3) {
    if (db.expires.size !== 0) db.expireIfNeeded(key);
    db.set(key, newString(argv[2]!));
    ctx.engine.dirty++;
    notify(ctx, '$', 'set', key);
    ctx.reply.ok();
    return;
  }
  const { flags, expire } = parseExtArgs(argv, 3, true);
  const at = expire === undefined ? undefined : expireAt(expire, flags, ctx.now, 'set');
  let old: string | null = null;
  if (flags & GET) {
    const o = db.read(key);
    if (o !== undefined) old = asString(o).v;
  }
  const found = db.write(key) !== undefined;
  if (((flags & NX) !== 0 && found) || ((flags & XX) !== 0 && !found)) {
    if (flags & GET) ctx.reply.bulkOrNull(old);
    else ctx.reply.nullBulk();
    return;
  }
  db.set(key, newString(argv[2]!), (flags & KEEPTTL) !== 0);
  ctx.engine.dirty++;
  notify(ctx, '$', 'set', key);
  if (at !== undefined) {
    db.setExpire(key, at);
    notify(ctx, 'g', 'expire', key);
  }
  if (flags & GET) ctx.reply.bulkOrNull(old);
  else ctx.reply.ok();
}

function setnx(ctx: Ctx, argv: string[]): void {
  const key = argv[1]!;
  if (ctx.db.write(key) !== undefined) {
    ctx.reply.int(0);
    return;
  }
  ctx.db.add(key, newString(argv[2]!));
  ctx.engine.dirty++;
  notify(ctx, '$', 'set', key);
  ctx.reply.int(1);
}

/** SETEX / PSETEX: SET with a relative expire in seconds or milliseconds. */
function setWithExpire(flag: number, command: string) {
  return (ctx: Ctx, argv: string[]): void => {
    const key = argv[1]!;
    const at = expireAt(argv[2]!, flag, ctx.now, command);
    ctx.db.write(key);
    ctx.db.set(key, newString(argv[3]!));
    ctx.engine.dirty++;
    notify(ctx, '$', 'set', key);
    ctx.db.setExpire(key, at);
    notify(ctx, 'g', 'expire', key);
    ctx.reply.ok();
  };
}

function getex(ctx: Ctx, argv: string[]): void {
  const { db, engine } = ctx;
  const key = argv[1]!;
  const { flags, expire } = parseExtArgs(argv, 2, false);
  const o = db.read(key);
  if (o === undefined) {
    ctx.reply.nullBulk();
    return;
  }
  const value = asString(o).v;
  const at = expire === undefined ? undefined : expireAt(expire, flags, ctx.now, 'getex');
  ctx.reply.bulk(value);
  if (at !== undefined && (flags & (EXAT | PXAT)) !== 0 && at <= ctx.now) {
    db.delete(key);
    notify(ctx, 'g', 'del', key);
    engine.dirty++;
  } else if (at !== undefined) {
    db.setExpire(key, at);
    engine.touched(db, key);
    notify(ctx, 'g', 'expire', key);
    engine.dirty++;
  } else if ((flags & PERSIST) !== 0 && db.persist(key)) {
    engine.touched(db, key);
    notify(ctx, 'g', 'persist', key);
    engine.dirty++;
  }
}

function getdel(ctx: Ctx, argv: string[]): void {
  const key = argv[1]!;
  const o = ctx.db.read(key);
  if (o === undefined) {
    ctx.reply.nullBulk();
    return;
  }
  ctx.reply.bulk(asString(o).v);
  if (ctx.db.delete(key)) {
    notify(ctx, 'g', 'del', key);
    ctx.engine.dirty++;
  }
}

function getset(ctx: Ctx, argv: string[]): void {
  const key = argv[1]!;
  const o = ctx.db.read(key);
  const old = o === undefined ? null : asString(o).v;
  ctx.reply.bulkOrNull(old);
  ctx.db.set(key, newString(argv[2]!));
  notify(ctx, '$', 'set', key);
  ctx.engine.dirty++;
}

function mget(ctx: Ctx, argv: string[]): void {
  const { db, reply } = ctx;
  reply.arrayLen(argv.length - 1);
  for (let i = 1; i < argv.length; i++) {
    const o = db.read(argv[i]!);
    if (o !== undefined && o.type === 'string') reply.bulk(o.v);
    else reply.nullBulk();
  }
}

function msetGeneric(ctx: Ctx, argv: string[], nx: boolean): void {
  const { db } = ctx;
  if (argv.length % 2 === 0) throw new ReplyError(E.arity(nx ? 'msetnx' : 'mset'));
  if (nx) {
    for (let i = 1; i < argv.length; i += 2) {
      if (db.write(argv[i]!) !== undefined) {
        ctx.reply.int(0);
        return;
      }
    }
  }
  for (let i = 1; i < argv.length; i += 2) {
    const key = argv[i]!;
    if (db.expires.size !== 0) db.expireIfNeeded(key);
    db.set(key, newString(argv[i + 1]!));
    notify(ctx, '$', 'set', key);
  }
  ctx.engine.dirty += (argv.length - 1) / 2;
  if (nx) ctx.reply.int(1);
  else ctx.reply.ok();
}

// --- in-place edits -------------------------------------------------------------------------

function append(ctx: Ctx, argv: string[]): void {
  const { db } = ctx;
  const key = argv[1]!;
  const tail = argv[2]!;
  const o = db.write(key);
  let len: number;
  if (o === undefined) {
    db.add(key, newString(tail));
    len = tail.length;
  } else {
    const cur = asString(o).v;
    checkStringLength(ctx, cur.length, tail.length);
    const next = cur + tail;
    db.set(key, newRawString(next), true);
    len = next.length;
  }
  notify(ctx, '$', 'append', key);
  ctx.engine.dirty++;
  ctx.reply.int(len);
}

function strlen(ctx: Ctx, argv: string[]): void {
  const o = ctx.db.read(argv[1]!);
  ctx.reply.int(o === undefined ? 0 : asString(o).v.length);
}

function getrange(ctx: Ctx, argv: string[]): void {
  const startArg = parseI64(argv[2]!);
  const endArg = parseI64(argv[3]!);
  const o = ctx.db.read(argv[1]!);
  if (o === undefined) {
    ctx.reply.bulk('');
    return;
  }
  const s = asString(o).v;
  const n = BigInt(s.length);
  let start = BigInt(startArg);
  let end = BigInt(endArg);
  if (start < 0n && end < 0n && start > end) {
    ctx.reply.bulk('');
    return;
  }
  if (start < 0n) start += n;
  if (end < 0n) end += n;
  if (start < 0n) start = 0n;
  if (end < 0n) end = 0n;
  if (end >= n) end = n - 1n;
  if (start > end || n === 0n) ctx.reply.bulk('');
  else ctx.reply.bulk(s.slice(Number(start), Number(end) + 1));
}

function setrange(ctx: Ctx, argv: string[]): void {
  const { db } = ctx;
  const key = argv[1]!;
  const patch = argv[3]!;
  const offsetArg = parseI64(argv[2]!);
  if (offsetArg < 0) throw new ReplyError('offset is out of range');
  // Past 2^53 the exact value no longer matters: any such offset fails the size check.
  const offset = Number(offsetArg);
  const o = db.write(key);
  let next: string;
  if (o === undefined) {
    if (patch.length === 0) {
      ctx.reply.int(0);
      return;
    }
    checkStringLength(ctx, offset, patch.length);
    next = '\0'.repeat(offset) + patch;
    db.add(key, newRawString(next));
  } else {
    const cur = asString(o).v;
    if (patch.length === 0) {
      ctx.reply.int(cur.length);
      return;
    }
    checkStringLength(ctx, offset, patch.length);
    next =
      offset >= cur.length
        ? cur + '\0'.repeat(offset - cur.length) + patch
        : cur.slice(0, offset) + patch + cur.slice(offset + patch.length);
    db.set(key, newRawString(next), true);
  }
  notify(ctx, '$', 'setrange', key);
  ctx.engine.dirty++;
  ctx.reply.int(next.length);
}

// --- counters -------------------------------------------------------------------------------

function incrDecr(ctx: Ctx, key: string, by: number | bigint): void {
  const { db } = ctx;
  const o = db.write(key);
  let cur: number | bigint = 0;
  if (o !== undefined) cur = parseI64(asString(o).v);
  let result: number | bigint;
  if (typeof cur === 'number' && typeof by === 'number' && by < 2 ** 52 && by > -(2 ** 52)) {
    result = cur + by; // |cur| < 1e15 here, so the sum is exact
  } else {
    const sum = BigInt(cur) + BigInt(by);
    if (sum < I64_MIN || sum > I64_MAX) throw new ReplyError(E.overflow);
    result = sum;
  }
  const obj = intObj(String(result));
  if (o === undefined) db.add(key, obj);
  else db.set(key, obj, true);
  notify(ctx, '$', 'incrby', key);
  ctx.engine.dirty++;
  ctx.reply.int(result);
}

function decrby(ctx: Ctx, argv: string[]): void {
  const by = parseI64(argv[2]!);
  if (by === I64_MIN) throw new ReplyError('decrement would overflow');
  incrDecr(ctx, argv[1]!, typeof by === 'number' ? 0 - by : 0n - by);
}

function incrbyfloat(ctx: Ctx, argv: string[]): void {
  const { db } = ctx;
  const key = argv[1]!;
  const o = db.write(key);
  let cur: LongDouble | null = LD_ZERO;
  if (o !== undefined) cur = parseLongDouble(asString(o).v);
  if (cur === null) throw new ReplyError(E.notFloat);
  const by = parseLongDouble(argv[2]!);
  if (by === null) throw new ReplyError(E.notFloat);
  const sum = addLongDouble(cur, by);
  if (sum.inf) throw new ReplyError('increment would produce NaN or Infinity');
  const obj = textObj(formatLongDoubleHuman(sum));
  if (o === undefined) db.add(key, obj);
  else db.set(key, obj, true);
  notify(ctx, '$', 'incrbyfloat', key);
  ctx.engine.dirty++;
  ctx.reply.bulk(obj.v);
}

// --- LCS ------------------------------------------------------------------------------------

function lcs(ctx: Ctx, argv: string[]): void {
  const { db, reply } = ctx;
  const oa = db.read(argv[1]!);
  const ob = db.read(argv[2]!);
  if ((oa !== undefined && oa.type !== 'string') || (ob !== undefined && ob.type !== 'string')) {
    throw new ReplyError('The specified keys must contain string values');
  }
  const a = oa === undefined ? '' : (oa as StringObj).v;
  const b = ob === undefined ? '' : (ob as StringObj).v;
  let getLen = false;
  let getIdx = false;
  let withMatchLen = false;
  let minMatchLen = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j]!;
    if (is(opt, 'idx')) getIdx = true;
    else if (is(opt, 'len')) getLen = true;
    else if (is(opt, 'withmatchlen')) withMatchLen = true;
    else if (is(opt, 'minmatchlen') && j < argv.length - 1) {
      const v = parseI64(argv[++j]!);
      minMatchLen = v < 0 ? 0 : Number(v);
    } else syntaxError();
  }
  if (getLen && getIdx) throw new ReplyError('If you want both the length and indexes, please just use IDX.');
  if (a.length >= 2 ** 32 - 2 || b.length >= 2 ** 32 - 2) throw new ReplyError('String too long for LCS');
  if (lcsTableBytes(a.length, b.length) > ctx.engine.config.num['proto-max-bulk-len']!) {
    throw new ReplyError('Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len');
  }
  const res = longestCommonSubsequence(a, b, getIdx || !getLen, minMatchLen);
  if (getIdx) {
    reply.mapLen(2);
    reply.bulk('matches');
    reply.arrayLen(res.ranges.length);
    for (const r of res.ranges) {
      reply.arrayLen(withMatchLen ? 3 : 2);
      reply.arrayLen(2);
      reply.int(r.a[0]);
      reply.int(r.a[1]);
      reply.arrayLen(2);
      reply.int(r.b[0]);
      reply.int(r.b[1]);
      if (withMatchLen) reply.int(r.len);
    }
    reply.bulk('len');
    reply.int(res.len);
  } else if (getLen) {
    reply.int(res.len);
  } else {
    reply.bulk(res.text);
  }
}

// --- the table ------------------------------------------------------------------------------

const W = ['write', 'string'];
const R = ['read', 'string'];

export const stringsCommands: CommandSpec[] = [
  cmd('get', 2, ['readonly', 'fast'], [...R, 'fast'], [1, 1, 1], 'string', get),
  cmd('set', -3, ['write', 'denyoom'], [...W, 'slow'], [1, 1, 1], 'string', set),
  cmd('setnx', 3, ['write', 'denyoom', 'fast'], [...W, 'fast'], [1, 1, 1], 'string', setnx),
  cmd('setex', 4, ['write', 'denyoom'], [...W, 'slow'], [1, 1, 1], 'string', setWithExpire(EX, 'setex')),
  cmd('psetex', 4, ['write', 'denyoom'], [...W, 'slow'], [1, 1, 1], 'string', setWithExpire(PX, 'psetex')),
  cmd('getex', -2, ['write', 'fast'], [...W, 'fast'], [1, 1, 1], 'string', getex),
  cmd('getdel', 2, ['write', 'fast'], [...W, 'fast'], [1, 1, 1], 'string', getdel),
  cmd('getset', 3, ['write', 'denyoom', 'fast'], [...W, 'fast'], [1, 1, 1], 'string', getset),
  cmd('mget', -2, ['readonly', 'fast'], [...R, 'fast'], [1, -1, 1], 'string', mget),
  cmd('mset', -3, ['write', 'denyoom'], [...W, 'slow'], [1, -1, 2], 'string', (ctx, argv) => msetGeneric(ctx, argv, false)),
  cmd('msetnx', -3, ['write', 'denyoom'], [...W, 'slow'], [1, -1, 2], 'string', (ctx, argv) => msetGeneric(ctx, argv, true)),
  cmd('append', 3, ['write', 'denyoom', 'fast'], [...W, 'fast'], [1, 1, 1], 'string', append),
  cmd('strlen', 2, ['readonly', 'fast'], [...R, 'fast'], [1, 1, 1], 'string', strlen),
  cmd('getrange', 4, ['readonly'], [...R, 'slow'], [1, 1, 1], 'string', getrange),
  cmd('substr', 4, ['readonly'], [...R, 'slow'], [1, 1, 1], 'string', getrange),
  cmd('setrange', 4, ['write', 'denyoom'], [...W, 'slow'], [1, 1, 1], 'string', setrange),
  cmd('incr', 2, ['write', 'denyoom', 'fast'], [...W, 'fast'], [1, 1, 1], 'string', (ctx, argv) => incrDecr(ctx, argv[1]!, 1)),
  cmd('decr', 2, ['write', 'denyoom', 'fast'], [...W, 'fast'], [1, 1, 1], 'string', (ctx, argv) => incrDecr(ctx, argv[1]!, -1)),
  cmd('incrby', 3, ['write', 'denyoom', 'fast'], [...W, 'fast'], [1, 1, 1], 'string', (ctx, argv) =>
    incrDecr(ctx, argv[1]!, parseI64(argv[2]!)),
  ),
  cmd('decrby', 3, ['write', 'denyoom', 'fast'], [...W, 'fast'], [1, 1, 1], 'string', decrby),
  cmd('incrbyfloat', 3, ['write', 'denyoom', 'fast'], [...W, 'fast'], [1, 1, 1], 'string', incrbyfloat),
  cmd('lcs', -3, ['readonly'], [...R, 'slow'], [1, 2, 1], 'string', lcs),
];
