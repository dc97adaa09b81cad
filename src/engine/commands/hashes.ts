// The hash commands (t_hash.c): HSET/HMSET/HSETNX, HGET/HMGET, HDEL, HLEN, HSTRLEN, HEXISTS,
// HINCRBY, HINCRBYFLOAT, HKEYS/HVALS/HGETALL, HRANDFIELD and HSCAN. Encoding rules and the
// long double arithmetic of HINCRBYFLOAT are in types/hash.ts; the cursor protocol of HSCAN is
// keys-scan.ts's. Small helpers SRANDMEMBER shares with HRANDFIELD are exported from here.
// Writes raise t_hash.c's keyspace events: HSET, HMSET and HSETNX all raise "hset" (only when
// HSETNX sets), HDEL "hdel" then "del" when the hash goes, HINCRBY(FLOAT) their own names.

import { cmd, type CommandSpec, type Ctx } from '../command.js';
import { E, ReplyError, syntaxError, wrongType } from '../errors.js';
import { is, parseBigInt } from '../args.js';
import { newHash, type HashObj } from '../types/objects.js';
import type { ScanMap, Slotted } from '../types/scan-map.js';
import { parseScanCursor, parseScanOptions, scanMatches, scanSlots } from './keys-scan.js';
import { hashDelete, hashGet, hashLimits, hashSet, hashTryConversion } from '../types/hash.js';
import { notify } from '../notify.js';
import { addLongDouble, formatLongDoubleHuman, LD_ZERO, parseLongDouble } from '../types/long-double.js';

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const LONG_MAX = I64_MAX;

// --- shared helpers (also used by sets.ts) -----------------------------------------------

/** The reply every *SCAN gives: [cursor, [items...]]. */
export function replyScan(ctx: Ctx, cursor: bigint, items: readonly string[]): void {
  ctx.reply.arrayLen(2);
  ctx.reply.bulk(cursor.toString());
  ctx.reply.bulks(items);
}

const OUT_OF_LONG_RANGE = `value is out of range, value must between -${LONG_MAX} and ${LONG_MAX}`;

/** getRangeLongFromObjectOrReply(-LONG_MAX, LONG_MAX): the count of HRANDFIELD and SRANDMEMBER. */
export function parseRandomCount(s: string): bigint {
  const n = parseBigInt(s);
  if (n < -LONG_MAX) throw new ReplyError(OUT_OF_LONG_RANGE);
  return n;
}

/** `count` distinct random indexes below `size` (count < size), as a partial Fisher-Yates shuffle. */
export function distinctIndexes(size: number, count: number): number[] {
  const idx = Array.from({ length: size }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(Math.random() * (size - i));
    const t = idx[i]!;
    idx[i] = idx[j]!;
    idx[j] = t;
  }
  return idx.slice(0, count);
}

/** HRANDFIELD_SUB_STRATEGY_MUL: a hash this many times bigger than the sample is sampled by random picks. */
const HRANDFIELD_SUB_STRATEGY_MUL = 3;

/** `count` distinct keys of a map much larger than `count`, by repeated random picks (CASE 4). */
export function distinctRandomKeys<N extends Slotted>(map: ScanMap<N>, count: number): Set<string> {
  const picked = new Set<string>();
  while (picked.size < count) picked.add(map.randomKey()!);
  return picked;
}

// --- lookups ----------------------------------------------------------------------------------

/** lookupKeyRead + checkType: undefined when missing. */
function readHash(ctx: Ctx, key: string): HashObj | undefined {
  const o = ctx.db.read(key);
  if (o === undefined) return undefined;
  if (o.type !== 'hash') wrongType();
  return o;
}

/** hashTypeLookupWriteOrCreate: the hash at key, created empty (and added) when missing. */
function writeHash(ctx: Ctx, key: string): HashObj {
  const o = ctx.db.write(key);
  if (o === undefined) {
    const h = newHash();
    ctx.db.add(key, h);
    return h;
  }
  if (o.type !== 'hash') wrongType();
  return o;
}

/** An in-place change: signals the key, counts the changes, raises the hash-class `event`. */
function modified(ctx: Ctx, key: string, changes: number, event: string): void {
  ctx.engine.touched(ctx.db, key);
  notify(ctx, 'h', event, key);
  ctx.engine.dirty += changes;
}

// --- writes -----------------------------------------------------------------------------------

function hsetGeneric(name: 'hset' | 'hmset') {
  return (ctx: Ctx, argv: string[]): void => {
    if (argv.length % 2 === 1) throw new ReplyError(E.arity(name));
    const key = argv[1]!;
    const h = writeHash(ctx, key);
    const limits = hashLimits(ctx.engine);
    hashTryConversion(h, argv, 2, limits);
    let created = 0;
    for (let i = 2; i < argv.length; i += 2) if (hashSet(h, argv[i]!, argv[i + 1]!, limits)) created++;
    if (name === 'hset') ctx.reply.int(created);
    else ctx.reply.ok();
    modified(ctx, key, (argv.length - 2) / 2, 'hset');
  };
}

function hsetnx(ctx: Ctx, argv: string[]): void {
  const [, key, field, value] = argv as [string, string, string, string];
  const h = writeHash(ctx, key);
  if (h.v.has(field)) {
    ctx.reply.int(0);
    return;
  }
  const limits = hashLimits(ctx.engine);
  hashTryConversion(h, argv, 2, limits);
  hashSet(h, field, value, limits);
  ctx.reply.int(1);
  modified(ctx, key, 1, 'hset');
}

function hdel(ctx: Ctx, argv: string[]): void {
  const key = argv[1]!;
  const o = ctx.db.write(key);
  if (o === undefined) {
    ctx.reply.int(0);
    return;
  }
  if (o.type !== 'hash') wrongType();
  let deleted = 0;
  let removed = false;
  for (let i = 2; i < argv.length; i++) {
    if (!hashDelete(o, argv[i]!)) continue;
    deleted++;
    if (o.v.size === 0) {
      ctx.db.delete(key);
      removed = true;
      break;
    }
  }
  if (deleted > 0) {
    modified(ctx, key, deleted, 'hdel');
    if (removed) notify(ctx, 'g', 'del', key);
  }
  ctx.reply.int(deleted);
}

function hincrby(ctx: Ctx, argv: string[]): void {
  const [, key, field] = argv as [string, string, string];
  const incr = parseBigInt(argv[3]!);
  const h = writeHash(ctx, key);
  const cur = hashGet(h, field);
  const old = cur === undefined ? 0n : parseBigInt(cur, 'hash value is not an integer');
  const value = old + incr;
  if (value < I64_MIN || value > I64_MAX) throw new ReplyError(E.overflow);
  hashSet(h, field, value.toString(), hashLimits(ctx.engine));
  ctx.reply.int(value);
  modified(ctx, key, 1, 'hincrby');
}

function hincrbyfloat(ctx: Ctx, argv: string[]): void {
  const [, key, field] = argv as [string, string, string];
  const incr = parseLongDouble(argv[3]!);
  if (incr === null) throw new ReplyError(E.notFloat);
  if (incr.inf) throw new ReplyError('value is NaN or Infinity');
  const h = writeHash(ctx, key);
  const cur = hashGet(h, field);
  let value = LD_ZERO;
  if (cur !== undefined) {
    const parsed = parseLongDouble(cur);
    if (parsed === null) throw new ReplyError('hash value is not a float');
    value = parsed;
  }
  const sum = addLongDouble(value, incr);
  if (sum.inf) throw new ReplyError('increment would produce NaN or Infinity');
  const text = formatLongDoubleHuman(sum);
  hashSet(h, field, text, hashLimits(ctx.engine));
  ctx.reply.bulk(text);
  modified(ctx, key, 1, 'hincrbyfloat');
}

// --- reads ------------------------------------------------------------------------------------

function hget(ctx: Ctx, argv: string[]): void {
  const h = readHash(ctx, argv[1]!);
  ctx.reply.bulkOrNull(h ? hashGet(h, argv[2]!) : null);
}

function hmget(ctx: Ctx, argv: string[]): void {
  const h = readHash(ctx, argv[1]!);
  ctx.reply.arrayLen(argv.length - 2);
  for (let i = 2; i < argv.length; i++) ctx.reply.bulkOrNull(h ? hashGet(h, argv[i]!) : null);
}

function hlen(ctx: Ctx, argv: string[]): void {
  ctx.reply.int(readHash(ctx, argv[1]!)?.v.size ?? 0);
}

function hstrlen(ctx: Ctx, argv: string[]): void {
  const h = readHash(ctx, argv[1]!);
  ctx.reply.int(h ? (hashGet(h, argv[2]!)?.length ?? 0) : 0);
}

function hexists(ctx: Ctx, argv: string[]): void {
  const h = readHash(ctx, argv[1]!);
  ctx.reply.int(h?.v.has(argv[2]!) ? 1 : 0);
}

/** genericHgetallCommand: fields, values or both (a map in RESP3). */
function hgetallGeneric(keys: boolean, values: boolean) {
  return (ctx: Ctx, argv: string[]): void => {
    const h = readHash(ctx, argv[1]!);
    const r = ctx.reply;
    const size = h?.v.size ?? 0;
    if (keys && values) r.mapLen(size);
    else r.arrayLen(size);
    if (!h) return;
    for (const [f, n] of h.v.entries()) {
      if (keys) r.bulk(f);
      if (values) r.bulk(n.v);
    }
  };
}

function hrandfield(ctx: Ctx, argv: string[]): void {
  const r = ctx.reply;
  if (argv.length === 2) {
    const h = readHash(ctx, argv[1]!);
    if (!h) {
      r.nullBulk();
      return;
    }
    r.bulk(h.v.randomKey()!);
    return;
  }
  const l = parseRandomCount(argv[2]!);
  if (argv.length > 4 || (argv.length === 4 && !is(argv[3], 'withvalues'))) syntaxError();
  const withValues = argv.length === 4;
  if (withValues && (l < -(LONG_MAX / 2n) || l > LONG_MAX / 2n)) throw new ReplyError('value is out of range');
  const h = readHash(ctx, argv[1]!);
  if (!h || l === 0n) {
    r.arrayLen(0);
    return;
  }
  const resp3 = r.proto === 3;
  const emit = (field: string, value: string): void => {
    if (withValues && resp3) r.arrayLen(2);
    r.bulk(field);
    if (withValues) r.bulk(value);
  };
  const header = (n: number): void => r.arrayLen(withValues && !resp3 ? n * 2 : n);
  const size = h.v.size;
  // CASE 1: negative count (repeats allowed) or a single field.
  if (l < 0n || l === 1n) {
    let count = Number(l < 0n ? -l : l);
    header(count);
    while (count-- > 0) {
      const f = h.v.randomKey()!;
      emit(f, h.v.get(f)!.v);
    }
    return;
  }
  const count = Number(l > BigInt(size) ? BigInt(size) : l);
  header(count);
  // CASE 2: the whole hash.
  if (count >= size) {
    for (const [f, n] of h.v.entries()) emit(f, n.v);
    return;
  }
  // CASE 4 on a hashtable: the hash is much bigger than the sample, so pick until enough are distinct.
  if (h.enc === 'hashtable' && count * HRANDFIELD_SUB_STRATEGY_MUL <= size) {
    for (const f of distinctRandomKeys(h.v, count)) emit(f, h.v.get(f)!.v);
    return;
  }
  // CASES 3-4: distinct fields; a listpack answers in its own order, a hashtable in pick order.
  const entries = [...h.v.entries()];
  const picked = distinctIndexes(size, count);
  if (h.enc === 'listpack') picked.sort((a, b) => a - b);
  for (const i of picked) emit(entries[i]![0], entries[i]![1].v);
}

function hscan(ctx: Ctx, argv: string[]): void {
  let cursor = parseScanCursor(argv[2]!);
  const h = readHash(ctx, argv[1]!);
  if (!h) {
    replyScan(ctx, 0n, []);
    return;
  }
  const opts = parseScanOptions(argv, 3, false);
  const items: string[] = [];
  const visit = (f: string, n: { v: string }): void => {
    if (scanMatches(opts, f)) items.push(f, n.v);
  };
  if (h.enc === 'hashtable') cursor = scanSlots(h.v, cursor, opts.count, visit);
  else {
    for (const [f, n] of h.v.entries()) visit(f, n);
    cursor = 0n;
  }
  replyScan(ctx, cursor, items);
}

const W = ['write', 'hash', 'fast'];
const R = ['read', 'hash', 'fast'];
const RS = ['read', 'hash', 'slow'];

export const hashesCommands: CommandSpec[] = [
  cmd('hset', -4, ['write', 'denyoom', 'fast'], W, [1, 1, 1], 'hash', hsetGeneric('hset')),
  cmd('hsetnx', 4, ['write', 'denyoom', 'fast'], W, [1, 1, 1], 'hash', hsetnx),
  cmd('hmset', -4, ['write', 'denyoom', 'fast'], W, [1, 1, 1], 'hash', hsetGeneric('hmset')),
  cmd('hget', 3, ['readonly', 'fast'], R, [1, 1, 1], 'hash', hget),
  cmd('hmget', -3, ['readonly', 'fast'], R, [1, 1, 1], 'hash', hmget),
  cmd('hdel', -3, ['write', 'fast'], W, [1, 1, 1], 'hash', hdel),
  cmd('hlen', 2, ['readonly', 'fast'], R, [1, 1, 1], 'hash', hlen),
  cmd('hstrlen', 3, ['readonly', 'fast'], R, [1, 1, 1], 'hash', hstrlen),
  cmd('hexists', 3, ['readonly', 'fast'], R, [1, 1, 1], 'hash', hexists),
  cmd('hincrby', 4, ['write', 'denyoom', 'fast'], W, [1, 1, 1], 'hash', hincrby),
  cmd('hincrbyfloat', 4, ['write', 'denyoom', 'fast'], W, [1, 1, 1], 'hash', hincrbyfloat),
  cmd('hkeys', 2, ['readonly'], RS, [1, 1, 1], 'hash', hgetallGeneric(true, false)),
  cmd('hvals', 2, ['readonly'], RS, [1, 1, 1], 'hash', hgetallGeneric(false, true)),
  cmd('hgetall', 2, ['readonly'], RS, [1, 1, 1], 'hash', hgetallGeneric(true, true)),
  cmd('hrandfield', -2, ['readonly'], RS, [1, 1, 1], 'hash', hrandfield),
  cmd('hscan', -3, ['readonly'], RS, [1, 1, 1], 'hash', hscan),
];
