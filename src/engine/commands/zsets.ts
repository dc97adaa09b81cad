// The sorted-set command family (t_zset.c): ZADD and friends, the range family (ZRANGE with its
// BYSCORE/BYLEX/REV/LIMIT forms, the legacy Z*RANGEBY* spellings and ZRANGESTORE), set algebra
// (ZUNION/ZINTER/ZDIFF, their STORE forms and ZINTERCARD, taking plain sets as score-1 inputs),
// pops with their blocking variants, ZRANDMEMBER and ZSCAN. The value is a SortedSet; its
// listpack/skiplist encoding is tracked on the object and switches where Redis 7.0 switches it:
// a new member beyond zset-max-listpack-entries or longer than zset-max-listpack-value, and the
// STORE commands pick the destination encoding the way Redis's result handlers do. A listpack
// stores a -0 score as the integer 0, which is why scores pass through `stored()`. Writes raise
// the keyspace events Redis raises, at the same points (zadd/zincr, zrem, zremrangeby*, the STORE
// events, zpopmin/zpopmax for pops served now or later, and "del" when a key goes away).

import { cmd, type CommandSpec, type Ctx } from '../command.js';
import { E, ReplyError, syntaxError, wrongType } from '../errors.js';
import { is, parseBigInt, parseInteger, parseTimeoutMs } from '../args.js';
import { globMatch } from '../glob.js';
import type { Client } from '../client.js';
import type { Db } from '../keyspace.js';
import type { Engine } from '../engine.js';
import type { ReplyWriter } from '../../formats/resp/reply-writer.js';
import { notify } from '../notify.js';
import { formatG17 } from '../../formats/resp/double.js';
import type { SetObj, ZSetObj } from '../types/objects.js';
import { NIL, SortedSet, lexLteMax, type LexRange, type ScoreRange } from '../types/zset.js';
import {
  RANGE_BY_KIND,
  clampRanks,
  parseLexRange,
  parseRange,
  parseScore,
  parseScoreRange,
  type Direction,
  type Pair,
  type RangeKind,
} from './zsets-ranges.js';

const LONG_MAX = 2n ** 63n - 1n;

// --- objects and encodings ------------------------------------------------------------------

function maxEntries(engine: Engine): number {
  return engine.config.num['zset-max-listpack-entries'] ?? 128;
}
function maxValue(engine: Engine): number {
  return engine.config.num['zset-max-listpack-value'] ?? 64;
}

function newZset(enc: ZSetObj['enc']): ZSetObj {
  return { type: 'zset', enc, v: new SortedSet() };
}

/** The score a listpack keeps: integral doubles are stored as integers, so -0 comes back as 0. */
function stored(o: ZSetObj, score: number): number {
  return o.enc === 'listpack' && score === 0 ? 0 : score;
}

/** lookupKeyRead + checkType. */
function readZset(db: Db, key: string): ZSetObj | undefined {
  const o = db.read(key);
  if (o === undefined) return undefined;
  if (o.type !== 'zset') wrongType();
  return o;
}

/** lookupKeyWrite + checkType. */
function writeZset(db: Db, key: string): ZSetObj | undefined {
  const o = db.write(key);
  if (o === undefined) return undefined;
  if (o.type !== 'zset') wrongType();
  return o;
}

/** setKey for a STORE destination: lazily expire, then replace (clearing any TTL). */
function storeKey(db: Db, key: string, o: ZSetObj): void {
  db.write(key);
  db.set(key, o);
}

/** A 64-bit integer argument (getLongFromObjectOrReply). */
function parseLong(s: string, msg: string = E.notInt): number {
  return parseInteger(s, msg);
}

/** getRangeLongFromObjectOrReply with an optional message used for every failure. */
function parseLongInBig(s: string, min: bigint, max: bigint, msg?: string): bigint {
  const v = parseBigInt(s, msg ?? E.notInt);
  if (v < min || v > max) {
    throw new ReplyError(msg ?? `value is out of range, value must between ${min} and ${max}`);
  }
  return v;
}

function parseLongIn(s: string, min: bigint, max: bigint, msg?: string): number {
  return Number(parseLongInBig(s, min, max, msg));
}

/** getPositiveLongFromObjectOrReply: one message for "not an integer" and "negative" alike. */
function parsePositiveLong(s: string, msg = 'value is out of range, must be positive'): number {
  return parseLongIn(s, 0n, LONG_MAX, msg);
}

// --- zsetAdd --------------------------------------------------------------------------------

const IN_INCR = 1;
const IN_NX = 2;
const IN_XX = 4;
const IN_GT = 8;
const IN_LT = 16;

const OUT_NAN = 1;
const OUT_ADDED = 2;
const OUT_UPDATED = 4;
const OUT_NOP = 8;

/** The score zsetAdd ended with (the new score with INCR), beside its OUT_* result. */
let addedScore = 0;

/**
 * zsetAdd: adds or updates one member under the NX/XX/GT/LT/INCR rules, converting the encoding.
 * Returns OUT_* flags and leaves the resulting score in `addedScore` (no result object per call).
 */
function zsetAdd(engine: Engine, o: ZSetObj, score: number, ele: string, flags: number): number {
  addedScore = score;
  if (Number.isNaN(score)) return OUT_NAN;
  const z = o.v;
  const slot = z.slotOf(ele);
  if (slot >= 0) {
    if (flags & IN_NX) return OUT_NOP;
    const cur = z.scoreAt(slot);
    if (flags & IN_INCR) {
      score += cur;
      addedScore = score;
      if (Number.isNaN(score)) return OUT_NAN;
    }
    if ((flags & IN_LT && score >= cur) || (flags & IN_GT && score <= cur)) return OUT_NOP;
    if (score !== cur) {
      z.rescore(slot, ele, stored(o, score));
      return OUT_UPDATED;
    }
    return 0;
  }
  if (flags & IN_XX) return OUT_NOP;
  if (o.enc === 'listpack' && (z.size + 1 > maxEntries(engine) || ele.length > maxValue(engine))) o.enc = 'skiplist';
  z.insert(ele, stored(o, score));
  return OUT_ADDED;
}

const ZADD_OPTIONS = new Map<string, number>([
  ['nx', IN_NX],
  ['xx', IN_XX],
  ['incr', IN_INCR],
  ['gt', IN_GT],
  ['lt', IN_LT],
]);

/** Scratch for the usual single score-member pair (nothing re-enters a command). */
const ONE_SCORE: number[] = [0];

/** ZADD and ZINCRBY (which is ZADD with INCR forced, options parsed the same way). */
function zaddGeneric(ctx: Ctx, argv: string[], flags: number): void {
  const { engine, db, reply } = ctx;
  const key = argv[1]!;
  let ch = false;
  let idx = 2;
  for (; idx < argv.length; idx++) {
    const arg = argv[idx]!;
    if (arg.length !== 2 && arg.length !== 4) break; // every option is 2 or 4 letters long
    const opt = arg.toLowerCase();
    if (opt === 'ch') ch = true;
    else if (ZADD_OPTIONS.has(opt)) flags |= ZADD_OPTIONS.get(opt)!;
    else break;
  }
  const incr = (flags & IN_INCR) !== 0;
  const nx = (flags & IN_NX) !== 0;
  const xx = (flags & IN_XX) !== 0;
  const gt = (flags & IN_GT) !== 0;
  const lt = (flags & IN_LT) !== 0;
  const args = argv.length - idx;
  if (args % 2 !== 0 || args === 0) syntaxError();
  const elements = args / 2;
  if (nx && xx) throw new ReplyError('XX and NX options at the same time are not compatible');
  if ((gt && nx) || (lt && nx) || (gt && lt)) throw new ReplyError('GT, LT, and/or NX options at the same time are not compatible');
  if (incr && elements > 1) throw new ReplyError('INCR option supports a single increment-element pair');
  // All scores are checked before anything changes.
  const scores = elements === 1 ? ONE_SCORE : new Array<number>(elements);
  for (let j = 0; j < elements; j++) scores[j] = parseScore(argv[idx + j * 2]!);

  let o = writeZset(db, key);
  let added = 0;
  let updated = 0;
  let processed = 0;
  let score = 0;
  if (o === undefined && !xx) {
    const big = maxEntries(engine) === 0 || maxValue(engine) < argv[idx + 1]!.length;
    o = newZset(big ? 'skiplist' : 'listpack');
    db.add(key, o);
  }
  if (o !== undefined) {
    for (let j = 0; j < elements; j++) {
      const out = zsetAdd(engine, o, scores[j]!, argv[idx + 1 + j * 2]!, flags);
      if (out & OUT_NAN) throw new ReplyError('resulting score is not a number (NaN)');
      if (out & OUT_ADDED) added++;
      if (out & OUT_UPDATED) updated++;
      if (!(out & OUT_NOP)) processed++;
      score = addedScore;
    }
    if (added || updated) bump(ctx, key, added + updated);
  }
  if (incr) {
    if (processed) reply.double(score);
    else reply.nullBulk();
  } else {
    reply.int(ch ? added + updated : added);
  }
  if (added || updated) notify(ctx, 'z', incr ? 'zincr' : 'zadd', key);
}

/** An in-place change: WATCH sees it, the dirty counter counts it. */
function bump(ctx: Ctx, key: string, changes: number): void {
  ctx.engine.dirty += changes;
  ctx.engine.touched(ctx.db, key);
}

// --- simple reads and ZREM --------------------------------------------------------------------

function zrem(ctx: Ctx, argv: string[]): void {
  const key = argv[1]!;
  const o = writeZset(ctx.db, key);
  if (!o) return ctx.reply.int(0);
  let deleted = 0;
  let removed = false;
  for (let j = 2; j < argv.length; j++) {
    if (o.v.remove(argv[j]!)) deleted++;
    if (o.v.size === 0) {
      ctx.db.delete(key);
      removed = true;
      break;
    }
  }
  if (deleted) {
    notify(ctx, 'z', 'zrem', key);
    if (removed) notify(ctx, 'g', 'del', key);
    ctx.engine.dirty += deleted;
    if (!removed) ctx.engine.touched(ctx.db, key);
  }
  ctx.reply.int(deleted);
}

function zcard(ctx: Ctx, argv: string[]): void {
  const o = readZset(ctx.db, argv[1]!);
  ctx.reply.int(o ? o.v.size : 0);
}

function zscore(ctx: Ctx, argv: string[]): void {
  const o = readZset(ctx.db, argv[1]!);
  const s = o?.v.score(argv[2]!);
  if (s === undefined) ctx.reply.nullBulk();
  else ctx.reply.double(s);
}

function zmscore(ctx: Ctx, argv: string[]): void {
  const o = readZset(ctx.db, argv[1]!);
  ctx.reply.arrayLen(argv.length - 2);
  for (let j = 2; j < argv.length; j++) {
    const s = o?.v.score(argv[j]!);
    if (s === undefined) ctx.reply.nullBulk();
    else ctx.reply.double(s);
  }
}

function zrankGeneric(ctx: Ctx, argv: string[], reverse: boolean): void {
  const o = readZset(ctx.db, argv[1]!);
  if (!o) return ctx.reply.nullBulk();
  const r = o.v.rank(argv[2]!);
  if (r < 0) ctx.reply.nullBulk();
  else ctx.reply.int(reverse ? o.v.size - 1 - r : r);
}

function zcount(ctx: Ctx, argv: string[]): void {
  const range = parseScoreRange(argv[2]!, argv[3]!);
  const o = readZset(ctx.db, argv[1]!);
  if (!o) return ctx.reply.int(0);
  const first = o.v.firstInScore(range);
  if (first === NIL) return ctx.reply.int(0);
  const last = o.v.lastInScore(range);
  ctx.reply.int(o.v.rankOf(last) - o.v.rankOf(first) + 1);
}

function zlexcount(ctx: Ctx, argv: string[]): void {
  const range = parseLexRange(argv[2]!, argv[3]!);
  const o = readZset(ctx.db, argv[1]!);
  if (!o) return ctx.reply.int(0);
  let count = 0;
  const z = o.v;
  if (o.enc === 'listpack') {
    for (let n = z.firstInLex(range, true); n !== NIL && lexLteMax(z.eleOf(n), range); n = z.next(n)) count++;
  } else {
    const first = z.firstInLex(range);
    if (first !== NIL) {
      const len = z.size;
      count = len - z.rankOf(first);
      const last = z.lastInLex(range);
      if (last !== NIL) count -= len - 1 - z.rankOf(last);
    }
  }
  ctx.reply.int(count);
}

// --- ZRANGE and friends -----------------------------------------------------------------------

/** Writes member (and score) pairs: RESP2 flat, RESP3 [member, score] pairs when WITHSCORES. */
function replyPairs(reply: ReplyWriter, items: Pair[], withscores: boolean): void {
  const nested = withscores && reply.proto === 3;
  reply.arrayLen(withscores && !nested ? items.length * 2 : items.length);
  for (const [ele, score] of items) {
    if (nested) reply.arrayLen(2);
    reply.bulk(ele);
    if (withscores) reply.double(score);
  }
}

function zrangeGeneric(ctx: Ctx, argv: string[], kind: RangeKind, dir: Direction): void {
  const req = parseRange(argv, 1, false, kind, dir);
  const o = readZset(ctx.db, argv[1]!);
  if (!o) return ctx.reply.arrayLen(0);
  replyPairs(ctx.reply, RANGE_BY_KIND[req.kind](o, req), req.withscores);
}

function zrangestore(ctx: Ctx, argv: string[]): void {
  const { engine, db, reply } = ctx;
  const dst = argv[1]!;
  const req = parseRange(argv, 2, true, 'auto', 'auto');
  const o = readZset(db, argv[2]!);
  const items = o ? RANGE_BY_KIND[req.kind](o, req) : [];
  if (items.length === 0) {
    reply.int(0);
    dropDestination(ctx, dst);
    return;
  }
  // The result handler learns the length up front only for rank ranges.
  const big = req.kind === 'rank' && items.length > maxEntries(engine);
  const out = newZset(big ? 'skiplist' : 'listpack');
  for (const [ele, score] of items) zsetAdd(engine, out, score, ele, 0);
  storeKey(db, dst, out);
  reply.int(items.length);
  notify(ctx, 'z', 'zrangestore', dst);
  engine.dirty++;
}

/** An empty STORE result deletes the destination ("del" only when there was one to delete). */
function dropDestination(ctx: Ctx, dst: string): void {
  if (!ctx.db.delete(dst)) return;
  notify(ctx, 'g', 'del', dst);
  ctx.engine.dirty++;
}

// --- ZREMRANGEBY* -------------------------------------------------------------------------------

const REMRANGE_EVENT = { rank: 'zremrangebyrank', score: 'zremrangebyscore', lex: 'zremrangebylex' } as const;

function zremrangeGeneric(ctx: Ctx, argv: string[], kind: 'rank' | 'score' | 'lex'): void {
  const key = argv[1]!;
  let start = 0;
  let end = 0;
  let score: ScoreRange | undefined;
  let lex: LexRange | undefined;
  if (kind === 'rank') {
    start = parseLong(argv[2]!);
    end = parseLong(argv[3]!);
  } else if (kind === 'score') score = parseScoreRange(argv[2]!, argv[3]!);
  else lex = parseLexRange(argv[2]!, argv[3]!);
  const o = writeZset(ctx.db, key);
  if (!o) return ctx.reply.int(0);
  let deleted: number;
  if (kind === 'rank') {
    const r = clampRanks(start, end, o.v.size);
    if (!r) return ctx.reply.int(0);
    deleted = o.v.deleteRangeByRank(r[0], r[1]);
  } else if (kind === 'score') deleted = o.v.deleteRangeByScore(score!);
  else deleted = o.v.deleteRangeByLex(lex!, o.enc === 'listpack');
  const emptied = o.v.size === 0;
  if (emptied) ctx.db.delete(key);
  else if (deleted) ctx.engine.touched(ctx.db, key);
  if (deleted) {
    notify(ctx, 'z', REMRANGE_EVENT[kind], key);
    if (emptied) notify(ctx, 'g', 'del', key);
  }
  ctx.engine.dirty += deleted;
  ctx.reply.int(deleted);
}

// --- ZUNION / ZINTER / ZDIFF ------------------------------------------------------------------

interface Source {
  obj: ZSetObj | SetObj | undefined;
  weight: number;
}

function sourceSize(s: Source): number {
  return s.obj ? s.obj.v.size : 0;
}

/** Members with their scores (1 for plain sets), in the source's own order. */
function* sourceEntries(s: Source): IterableIterator<Pair> {
  if (!s.obj) return;
  if (s.obj.type === 'zset') yield* s.obj.v.entries();
  else for (const k of s.obj.v.keys()) yield [k, 1];
}

function sourceScore(s: Source, ele: string): number | undefined {
  if (!s.obj) return undefined;
  if (s.obj.type === 'zset') return s.obj.v.score(ele);
  return s.obj.v.has(ele) ? 1 : undefined;
}

type Aggregate = (acc: number, v: number) => number;
const AGGREGATES = new Map<string, Aggregate>([
  ['sum', (acc, v) => {
    const r = acc + v;
    return Number.isNaN(r) ? 0 : r; // inf + -inf is 0 by convention
  }],
  ['min', (acc, v) => (v < acc ? v : acc)],
  ['max', (acc, v) => (v > acc ? v : acc)],
]);

type SetOp = 'union' | 'inter' | 'diff';
const STORE_EVENT = { union: 'zunionstore', inter: 'zinterstore', diff: 'zdiffstore' } as const;

/** zunionInterDiffGenericCommand. `dst` is null for the non-STORE forms. */
function setOperation(ctx: Ctx, argv: string[], dst: string | null, numkeysAt: number, op: SetOp, cardOnly: boolean): void {
  const { engine, db, reply } = ctx;
  const name = argv[0]!.toLowerCase();
  const setnum = parseLong(argv[numkeysAt]!);
  if (setnum < 1) throw new ReplyError(`at least 1 input key is needed for '${name}' command`);
  if (setnum > argv.length - (numkeysAt + 1)) syntaxError();
  const src: Source[] = [];
  let j = numkeysAt + 1;
  for (let i = 0; i < setnum; i++, j++) {
    const o = db.read(argv[j]!);
    if (o !== undefined && o.type !== 'zset' && o.type !== 'set') wrongType();
    src.push({ obj: o as ZSetObj | SetObj | undefined, weight: 1 });
  }
  let aggregate = AGGREGATES.get('sum')!;
  let withscores = false;
  let limit = 0;
  while (j < argv.length) {
    const remaining = argv.length - j;
    const a = argv[j]!;
    if (op !== 'diff' && !cardOnly && remaining >= setnum + 1 && is(a, 'weights')) {
      j++;
      for (let i = 0; i < setnum; i++, j++) src[i]!.weight = parseScore(argv[j]!, 'weight value is not a float');
    } else if (op !== 'diff' && !cardOnly && remaining >= 2 && is(a, 'aggregate')) {
      const agg = AGGREGATES.get(argv[j + 1]!.toLowerCase());
      if (!agg) syntaxError();
      aggregate = agg;
      j += 2;
    } else if (remaining >= 1 && dst === null && !cardOnly && is(a, 'withscores')) {
      withscores = true;
      j++;
    } else if (cardOnly && remaining >= 2 && is(a, 'limit')) {
      limit = parsePositiveLong(argv[j + 1]!, "LIMIT can't be negative");
      j += 2;
    } else syntaxError();
  }
  // Smallest input first (a stable sort, as glibc's qsort is): fewer lookups, and the order
  // aggregation happens in, which shows with floats.
  if (op !== 'diff') src.sort((a, b) => sourceSize(a) - sourceSize(b));

  const result = new SortedSet();
  let cardinality = 0;
  if (op === 'inter') {
    if (sourceSize(src[0]!) > 0) {
      for (const [ele, s0] of sourceEntries(src[0]!)) {
        let score = src[0]!.weight * s0;
        if (Number.isNaN(score)) score = 0;
        let k = 1;
        for (; k < setnum; k++) {
          const v = src[k]!.obj === src[0]!.obj ? s0 : sourceScore(src[k]!, ele);
          if (v === undefined) break;
          score = aggregate(score, v * src[k]!.weight);
        }
        if (k < setnum) continue;
        if (cardOnly) {
          cardinality++;
          if (limit && cardinality >= limit) break;
        } else result.insert(ele, score);
      }
    }
  } else if (op === 'union') {
    const acc = new Map<string, number>();
    for (const s of src) {
      for (const [ele, v] of sourceEntries(s)) {
        let score = s.weight * v;
        if (Number.isNaN(score)) score = 0;
        const prev = acc.get(ele);
        acc.set(ele, prev === undefined ? score : aggregate(prev, score));
      }
    }
    for (const [ele, score] of acc) result.insert(ele, score);
  } else {
    for (const [ele, score] of sourceEntries(src[0]!)) {
      let found = false;
      for (let k = 1; k < setnum && !found; k++) found = src[k]!.obj === src[0]!.obj || sourceScore(src[k]!, ele) !== undefined;
      if (!found) result.insert(ele, score);
    }
  }

  if (dst !== null) {
    if (result.size === 0) {
      reply.int(0);
      dropDestination(ctx, dst);
      return;
    }
    let maxLen = 0;
    for (const [ele] of result.entries()) if (ele.length > maxLen) maxLen = ele.length;
    const out: ZSetObj = { type: 'zset', enc: 'skiplist', v: result };
    if (result.size <= maxEntries(engine) && maxLen <= maxValue(engine)) {
      out.enc = 'listpack';
      result.normalizeZeros();
    }
    storeKey(db, dst, out);
    reply.int(result.size);
    notify(ctx, 'z', STORE_EVENT[op], dst);
    engine.dirty++;
  } else if (cardOnly) {
    reply.int(cardinality);
  } else {
    replyPairs(reply, [...result.entries()], withscores);
  }
}

// --- pops ---------------------------------------------------------------------------------------

type Where = 'min' | 'max';
const POP_EVENT = { min: 'zpopmin', max: 'zpopmax' } as const;

interface PopOptions {
  where: Where;
  /** Key name first (BZPOP*, ZMPOP, BZMPOP). */
  emitKey: boolean;
  /** -1 for a plain single pop. */
  count: number;
  /** [member, score] pairs (RESP3 ZPOP with COUNT, ZMPOP, BZMPOP). */
  nested: boolean;
  /** Null instead of an empty array when nothing can be popped (ZMPOP, BZMPOP). */
  nilWhenEmpty: boolean;
}

/**
 * genericZpopCommand: pops from the first existing key among `keys`. The event goes out with
 * the first pop, after the reply's header (where Redis raises it), "del" after the last.
 */
function genericZpop(ctx: Ctx, keys: string[], opt: PopOptions): void {
  const { engine, db, reply } = ctx;
  let key = '';
  let o: ZSetObj | undefined;
  for (const k of keys) {
    o = writeZset(db, k);
    if (o) {
      key = k;
      break;
    }
  }
  if (!o) {
    if (opt.nilWhenEmpty) reply.nullArray();
    else reply.arrayLen(0);
    return;
  }
  if (opt.count === 0) return reply.arrayLen(0);
  const count = opt.count === -1 ? 1 : opt.count;
  const n = Math.min(count, o.v.size);
  if (!opt.nested && !opt.emitKey) reply.arrayLen(n * 2);
  else if (opt.nested && !opt.emitKey) reply.arrayLen(n);
  else if (!opt.nested && opt.emitKey) {
    reply.arrayLen(n * 2 + 1);
    reply.bulk(key);
  } else {
    reply.arrayLen(2);
    reply.bulk(key);
    reply.arrayLen(n);
  }
  for (let i = 0; i < n; i++) {
    const node = opt.where === 'max' ? o.v.tail : o.v.head;
    const ele = o.v.eleOf(node);
    const score = o.v.scoreOf(node);
    o.v.remove(ele);
    engine.dirty++;
    if (i === 0) notify(ctx, 'z', POP_EVENT[opt.where], key);
    if (opt.nested) reply.arrayLen(2);
    reply.bulk(ele);
    reply.double(score);
  }
  if (o.v.size === 0) {
    db.delete(key);
    notify(ctx, 'g', 'del', key);
  } else engine.touched(db, key);
}

function zpopMinMax(ctx: Ctx, argv: string[], where: Where): void {
  if (argv.length > 3) syntaxError();
  const count = argv.length === 3 ? parsePositiveLong(argv[2]!) : -1;
  const nested = ctx.reply.proto === 3 && count !== -1;
  genericZpop(ctx, [argv[1]!], { where, emitKey: false, count, nested, nilWhenEmpty: false });
}

/** ZMPOP/BZMPOP argument parsing: numkeys, keys, MIN|MAX, [COUNT n]. */
function parseMpop(argv: string[], numkeysAt: number): { keys: string[]; where: Where; count: number } {
  const numkeys = parseLongIn(argv[numkeysAt]!, 1n, LONG_MAX, 'numkeys should be greater than 0');
  const whereAt = numkeysAt + numkeys + 1;
  if (whereAt >= argv.length) syntaxError();
  const w = argv[whereAt]!;
  let where: Where;
  if (is(w, 'min')) where = 'min';
  else if (is(w, 'max')) where = 'max';
  else syntaxError();
  let count = -1;
  for (let j = whereAt + 1; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (count === -1 && is(argv[j], 'count') && more > 0) {
      j++;
      count = parseLongIn(argv[j]!, 1n, LONG_MAX, 'count should be greater than 0');
    } else syntaxError();
  }
  return { keys: argv.slice(numkeysAt + 1, whereAt), where, count: count === -1 ? 1 : count };
}

function zmpop(ctx: Ctx, argv: string[]): void {
  const { keys, where, count } = parseMpop(argv, 1);
  genericZpop(ctx, keys, { where, emitKey: true, count, nested: true, nilWhenEmpty: true });
}

/** blockingGenericZpopCommand: pop now if any key has members, else block (or null in MULTI). */
function blockingZpop(ctx: Ctx, argv: string[], keys: string[], timeoutArg: string, opt: PopOptions): void {
  const { engine, db, client } = ctx;
  const ms = parseTimeoutMs(timeoutArg);
  for (const key of keys) {
    const o = writeZset(db, key);
    if (!o || o.v.size === 0) continue;
    genericZpop(ctx, [key], opt);
    return;
  }
  if (!engine.blocking.canBlock(client)) return ctx.reply.nullArray();
  engine.blocking.block(client, {
    db,
    keys: [...keys],
    deadline: ms > 0 ? ctx.now + ms : 0,
    command: engine.commands.get(argv[0]!.toLowerCase())!,
    argv,
    startedAt: ctx.now,
    serve: (key) => serveBlocked(engine, client, db, key, opt),
    timeout: () => client.reply.nullArray(),
  });
}

/** A key a blocked client waits on became ready: serve it if it now holds a sorted set. */
function serveBlocked(engine: Engine, client: Client, db: Db, key: string, opt: PopOptions): boolean {
  const o = db.peek(key);
  if (o === undefined || o.type !== 'zset' || o.v.size === 0) return false;
  // Served as the blocked client's own command (Redis makes it the current client).
  genericZpop({ engine, client, db, reply: client.reply, now: engine.now() }, [key], opt);
  return true;
}

function bzpop(ctx: Ctx, argv: string[], where: Where): void {
  const keys = argv.slice(1, -1);
  blockingZpop(ctx, argv, keys, argv[argv.length - 1]!, { where, emitKey: true, count: -1, nested: false, nilWhenEmpty: false });
}

function bzmpop(ctx: Ctx, argv: string[]): void {
  const { keys, where, count } = parseMpop(argv, 2);
  blockingZpop(ctx, argv, keys, argv[1]!, { where, emitKey: true, count, nested: true, nilWhenEmpty: true });
}

// --- ZRANDMEMBER ----------------------------------------------------------------------------------

function zrandmember(ctx: Ctx, argv: string[]): void {
  if (argv.length >= 3) {
    const l = parseLongInBig(argv[2]!, -LONG_MAX, LONG_MAX);
    if (argv.length > 4 || (argv.length === 4 && !is(argv[3], 'withscores'))) syntaxError();
    const withscores = argv.length === 4;
    if (withscores && (l < -LONG_MAX / 2n || l > LONG_MAX / 2n)) throw new ReplyError('value is out of range');
    return zrandmemberWithCount(ctx, argv[1]!, l, withscores);
  }
  const o = readZset(ctx.db, argv[1]!);
  if (!o) return ctx.reply.nullBulk();
  ctx.reply.bulk(o.v.randomMember()!);
}

function zrandmemberWithCount(ctx: Ctx, key: string, l: bigint, withscores: boolean): void {
  const { reply } = ctx;
  const o = readZset(ctx.db, key);
  if (!o) return reply.arrayLen(0);
  const size = o.v.size;
  const uniq = l >= 0n;
  const count = Number(uniq ? l : -l);
  if (count === 0) return reply.arrayLen(0);
  const nested = withscores && reply.proto === 3;
  const emit = (ele: string, score: number): void => {
    if (nested) reply.arrayLen(2);
    reply.bulk(ele);
    if (withscores) reply.double(score);
  };
  // Case 1: repetitions allowed (or a single element): independent draws.
  if (!uniq || count === 1) {
    reply.arrayLen(withscores && !nested ? count * 2 : count);
    for (let i = 0; i < count; i++) {
      const ele = o.v.randomMember()!;
      emit(ele, o.v.score(ele)!);
    }
    return;
  }
  const n = Math.min(count, size);
  reply.arrayLen(withscores && !nested ? n * 2 : n);
  // Case 2: asking for at least the whole set returns all of it, walked from the highest score
  // down as Redis's set-operation iterators walk sorted sets.
  if (count >= size) {
    for (let n = o.v.tail; n !== NIL; n = o.v.prev(n)) emit(o.v.eleOf(n), o.v.scoreOf(n));
    return;
  }
  // Case 4 on a big skiplist: draw until enough distinct members, replying in draw order.
  if (count * 3 <= size && o.enc === 'skiplist') {
    const seen = new Set<string>();
    while (seen.size < count) {
      const ele = o.v.randomMember()!;
      if (seen.has(ele)) continue;
      seen.add(ele);
      emit(ele, o.v.score(ele)!);
    }
    return;
  }
  // Case 3 (the sample is a large part of the set) and case 4 on a listpack: a uniform sample
  // without repetition. A listpack sample comes out in set order (lpRandomPairsUnique), the
  // case-3 one in no particular order.
  const all = [...o.v.entries()];
  const index = all.map((_, i) => i);
  for (let i = 0; i < count; i++) {
    const k = i + Math.floor(Math.random() * (index.length - i));
    [index[i], index[k]] = [index[k]!, index[i]!];
  }
  const picked = index.slice(0, count);
  if (count * 3 <= size) picked.sort((a, b) => a - b);
  for (const i of picked) emit(all[i]![0], all[i]![1]);
}

// --- ZSCAN --------------------------------------------------------------------------------------

/** parseScanCursorOrReply: strtoul on the whole string ("" reads as 0, "-1" wraps around). */
function parseCursor(s: string): bigint {
  if (s === '') return 0n;
  if (!/^[+-]?\d+$/.test(s)) throw new ReplyError(E.invalidCursor);
  const neg = s.startsWith('-');
  const v = BigInt(neg ? s.slice(1) : s.replace('+', ''));
  if (v > 2n ** 64n - 1n) throw new ReplyError(E.invalidCursor);
  return neg && v !== 0n ? 2n ** 64n - v : v;
}

/** How a listpack holds a score: integers as integers, the rest as "%.17g" (d2string). */
function listpackScoreText(d: number): string {
  if (Number.isInteger(d) && Math.abs(d) <= 2 ** 62) return BigInt(d).toString();
  return formatG17(d);
}


function zscan(ctx: Ctx, argv: string[]): void {
  const cursor = parseCursor(argv[2]!);
  const o = readZset(ctx.db, argv[1]!);
  if (!o) {
    ctx.reply.arrayLen(2);
    ctx.reply.bulk('0');
    ctx.reply.arrayLen(0);
    return;
  }
  let count = 10;
  let pattern: string | null = null;
  for (let i = 3; i < argv.length; i += 2) {
    const left = argv.length - i;
    if (is(argv[i], 'count') && left >= 2) {
      count = parseLong(argv[i + 1]!);
      if (count < 1) syntaxError();
    } else if (is(argv[i], 'match') && left >= 2) {
      pattern = argv[i + 1] === '*' ? null : argv[i + 1]!;
    } else syntaxError();
  }
  const items: string[] = [];
  const take = (ele: string, text: string): void => {
    if (pattern !== null && !globMatch(pattern, ele)) return;
    items.push(ele, text);
  };
  let next = 0n;
  if (o.enc === 'listpack') {
    for (const [ele, score] of o.v.entries()) take(ele, listpackScoreText(score));
  } else {
    next = o.v.scan(cursor, count, (ele, score) => take(ele, formatG17(score)));
  }
  ctx.reply.arrayLen(2);
  ctx.reply.bulk(next.toString());
  ctx.reply.bulks(items);
}

// --- the table ------------------------------------------------------------------------------------

const W_FAST = ['write', 'sortedset', 'fast'];
const R_FAST = ['read', 'sortedset', 'fast'];
const W_SLOW = ['write', 'sortedset', 'slow'];
const R_SLOW = ['read', 'sortedset', 'slow'];
const G = 'sorted_set';

export const zsetsCommands: CommandSpec[] = [
  cmd('zadd', -4, ['write', 'denyoom', 'fast'], W_FAST, [1, 1, 1], G, (c, a) => zaddGeneric(c, a, 0)),
  cmd('zincrby', 4, ['write', 'denyoom', 'fast'], W_FAST, [1, 1, 1], G, (c, a) => zaddGeneric(c, a, IN_INCR)),
  cmd('zrem', -3, ['write', 'fast'], W_FAST, [1, 1, 1], G, zrem),
  cmd('zcard', 2, ['readonly', 'fast'], R_FAST, [1, 1, 1], G, zcard),
  cmd('zscore', 3, ['readonly', 'fast'], R_FAST, [1, 1, 1], G, zscore),
  cmd('zmscore', -3, ['readonly', 'fast'], R_FAST, [1, 1, 1], G, zmscore),
  cmd('zrank', 3, ['readonly', 'fast'], R_FAST, [1, 1, 1], G, (c, a) => zrankGeneric(c, a, false)),
  cmd('zrevrank', 3, ['readonly', 'fast'], R_FAST, [1, 1, 1], G, (c, a) => zrankGeneric(c, a, true)),
  cmd('zcount', 4, ['readonly', 'fast'], R_FAST, [1, 1, 1], G, zcount),
  cmd('zlexcount', 4, ['readonly', 'fast'], R_FAST, [1, 1, 1], G, zlexcount),
  cmd('zrange', -4, ['readonly'], R_SLOW, [1, 1, 1], G, (c, a) => zrangeGeneric(c, a, 'auto', 'auto')),
  cmd('zrangestore', -5, ['write', 'denyoom'], W_SLOW, [1, 2, 1], G, zrangestore),
  cmd('zrangebyscore', -4, ['readonly'], R_SLOW, [1, 1, 1], G, (c, a) => zrangeGeneric(c, a, 'score', 'forward')),
  cmd('zrevrangebyscore', -4, ['readonly'], R_SLOW, [1, 1, 1], G, (c, a) => zrangeGeneric(c, a, 'score', 'reverse')),
  cmd('zrangebylex', -4, ['readonly'], R_SLOW, [1, 1, 1], G, (c, a) => zrangeGeneric(c, a, 'lex', 'forward')),
  cmd('zrevrangebylex', -4, ['readonly'], R_SLOW, [1, 1, 1], G, (c, a) => zrangeGeneric(c, a, 'lex', 'reverse')),
  cmd('zrevrange', -4, ['readonly'], R_SLOW, [1, 1, 1], G, (c, a) => zrangeGeneric(c, a, 'rank', 'reverse')),
  cmd('zremrangebyrank', 4, ['write'], W_SLOW, [1, 1, 1], G, (c, a) => zremrangeGeneric(c, a, 'rank')),
  cmd('zremrangebyscore', 4, ['write'], W_SLOW, [1, 1, 1], G, (c, a) => zremrangeGeneric(c, a, 'score')),
  cmd('zremrangebylex', 4, ['write'], W_SLOW, [1, 1, 1], G, (c, a) => zremrangeGeneric(c, a, 'lex')),
  cmd('zunion', -3, ['readonly', 'movablekeys'], R_SLOW, [0, 0, 0], G, (c, a) => setOperation(c, a, null, 1, 'union', false)),
  cmd('zinter', -3, ['readonly', 'movablekeys'], R_SLOW, [0, 0, 0], G, (c, a) => setOperation(c, a, null, 1, 'inter', false)),
  cmd('zdiff', -3, ['readonly', 'movablekeys'], R_SLOW, [0, 0, 0], G, (c, a) => setOperation(c, a, null, 1, 'diff', false)),
  cmd('zintercard', -3, ['readonly', 'movablekeys'], R_SLOW, [0, 0, 0], G, (c, a) => setOperation(c, a, null, 1, 'inter', true)),
  cmd('zunionstore', -4, ['write', 'denyoom', 'movablekeys'], W_SLOW, [1, 1, 1], G, (c, a) => setOperation(c, a, a[1]!, 2, 'union', false)),
  cmd('zinterstore', -4, ['write', 'denyoom', 'movablekeys'], W_SLOW, [1, 1, 1], G, (c, a) => setOperation(c, a, a[1]!, 2, 'inter', false)),
  cmd('zdiffstore', -4, ['write', 'denyoom', 'movablekeys'], W_SLOW, [1, 1, 1], G, (c, a) => setOperation(c, a, a[1]!, 2, 'diff', false)),
  cmd('zpopmin', -2, ['write', 'fast'], W_FAST, [1, 1, 1], G, (c, a) => zpopMinMax(c, a, 'min')),
  cmd('zpopmax', -2, ['write', 'fast'], W_FAST, [1, 1, 1], G, (c, a) => zpopMinMax(c, a, 'max')),
  cmd('zmpop', -4, ['write', 'movablekeys'], W_SLOW, [0, 0, 0], G, zmpop),
  cmd('bzpopmin', -3, ['write', 'noscript', 'blocking', 'fast'], [...W_FAST, 'blocking'], [1, -2, 1], G, (c, a) => bzpop(c, a, 'min')),
  cmd('bzpopmax', -3, ['write', 'noscript', 'blocking', 'fast'], [...W_FAST, 'blocking'], [1, -2, 1], G, (c, a) => bzpop(c, a, 'max')),
  cmd('bzmpop', -5, ['write', 'blocking', 'movablekeys'], [...W_SLOW, 'blocking'], [0, 0, 0], G, bzmpop),
  cmd('zrandmember', -2, ['readonly'], R_SLOW, [1, 1, 1], G, zrandmember),
  cmd('zscan', -3, ['readonly'], R_SLOW, [1, 1, 1], G, zscan),
];
