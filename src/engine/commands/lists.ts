// The list command family (t_list.c). A list is a Deque of byte strings; Redis 7.0 reports every
// list as a quicklist whatever its size, so there is no encoding to switch. The rules every
// command here follows, as Redis does: a list that becomes empty is deleted at once, every
// in-place change signals the key (WATCH) and adds its element count to dirty, a push that
// creates the key wakes clients blocked on it (db.add), and arguments are checked in Redis's
// order (some commands parse numbers before looking the key up, others after), because the
// first error wins. Every change raises t_list.c's keyspace event ("lpush", "linsert", "lset",
// "ltrim", "lrem", ...; "del" after it when the list goes). The blocking commands and the pops
// and moves they share live in lists-blocking.ts.

import { cmd, type CommandSpec, type Ctx } from '../command.js';
import { E, ReplyError, syntaxError } from '../errors.js';
import { is, parseBigInt, parseInteger } from '../args.js';
import { newList, type ListObj } from '../types/objects.js';
import {
  asList,
  deleteIfEmpty,
  elementsRemoved,
  listEvent,
  listsBlockingCommands,
  moveGeneric,
  mpopGeneric,
  parseEnd,
  parseLongIn,
  parseMpop,
  popRangeReply,
  PUSH_EVENT,
  siteOf,
  type End,
} from './lists-blocking.js';

const LONG_LIMIT = 2 ** 63;
const LONG_MIN = -(2n ** 63n);
const RANK_ZERO =
  "RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list";

// --- pushes ---------------------------------------------------------------------------------------

/** pushGenericCommand: LPUSH/RPUSH create the list, the X forms only push onto an existing one. */
function pushGeneric(ctx: Ctx, argv: string[], end: End, onlyExisting: boolean): void {
  const { engine, db, reply } = ctx;
  const key = argv[1]!;
  let o = asList(db.write(key));
  if (!o) {
    if (onlyExisting) return reply.int(0);
    o = newList();
    db.add(key, o);
  }
  const v = o.v;
  if (end === 'left') for (let j = 2; j < argv.length; j++) v.unshift(argv[j]!);
  else for (let j = 2; j < argv.length; j++) v.push(argv[j]!);
  engine.dirty += argv.length - 2;
  reply.int(v.length);
  engine.touched(db, key);
  listEvent(siteOf(ctx), PUSH_EVENT[end], key);
}

function linsert(ctx: Ctx, argv: string[]): void {
  const { engine, db, reply } = ctx;
  let after: boolean;
  if (is(argv[2], 'after')) after = true;
  else if (is(argv[2], 'before')) after = false;
  else syntaxError();
  const key = argv[1]!;
  const o = asList(db.write(key));
  if (!o) return reply.int(0);
  const pivot = argv[3]!;
  const v = o.v;
  const n = v.length;
  for (let i = 0; i < n; i++) {
    if (v.at(i) !== pivot) continue;
    v.insertAt(after ? i + 1 : i, argv[4]!);
    engine.touched(db, key);
    listEvent(siteOf(ctx), 'linsert', key);
    engine.dirty++;
    return reply.int(v.length);
  }
  reply.int(-1);
}

// --- reads ----------------------------------------------------------------------------------------

function llen(ctx: Ctx, argv: string[]): void {
  const o = asList(ctx.db.read(argv[1]!));
  ctx.reply.int(o ? o.v.length : 0);
}

/** An index as LINDEX/LSET take it: negative counts from the tail; -1 when out of range. */
function position(o: ListObj, index: number): number {
  const i = index < 0 ? o.v.length + index : index;
  return i >= 0 && i < o.v.length ? i : -1;
}

function lindex(ctx: Ctx, argv: string[]): void {
  const o = asList(ctx.db.read(argv[1]!));
  if (!o) return ctx.reply.nullBulk();
  const i = position(o, parseInteger(argv[2]!));
  ctx.reply.bulkOrNull(i < 0 ? null : o.v.at(i));
}

/** Clamps [start, end] (negative = from the tail) to the list; null when the range is empty. */
function clampRange(len: number, start: number, end: number): [number, number] | null {
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (start > end || start >= len) return null;
  if (end >= len) end = len - 1;
  return [start, end];
}

function lrange(ctx: Ctx, argv: string[]): void {
  const start = parseInteger(argv[2]!);
  const end = parseInteger(argv[3]!);
  const o = asList(ctx.db.read(argv[1]!));
  if (!o) return ctx.reply.arrayLen(0);
  const r = clampRange(o.v.length, start, end);
  ctx.reply.bulks(r ? o.v.slice(r[0], r[1] + 1) : []);
}

/** LPOS options: RANK (1-based, negative from the tail), COUNT (0 = all), MAXLEN (0 = all). */
interface LposOptions {
  rank: number;
  /** RANK was LONG_MIN: -rank overflows in C, every match qualifies and COUNT never stops the scan. */
  rankWraps: boolean;
  count: number;
  maxlen: number;
}

function parseLpos(argv: string[]): LposOptions {
  const opt: LposOptions = { rank: 1, rankWraps: false, count: -1, maxlen: 0 };
  for (let j = 3; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    const a = argv[j]!;
    if (is(a, 'rank') && more > 0) {
      const r = parseBigInt(argv[++j]!);
      if (r === 0n) throw new ReplyError(RANK_ZERO);
      opt.rank = Number(r);
      opt.rankWraps = r === LONG_MIN;
    } else if (is(a, 'count') && more > 0) {
      opt.count = parseLongIn(argv[++j]!, 0, LONG_LIMIT, "COUNT can't be negative");
    } else if (is(a, 'maxlen') && more > 0) {
      opt.maxlen = parseLongIn(argv[++j]!, 0, LONG_LIMIT, "MAXLEN can't be negative");
    } else {
      syntaxError();
    }
  }
  return opt;
}

function lpos(ctx: Ctx, argv: string[]): void {
  const { db, reply } = ctx;
  const opt = parseLpos(argv);
  const fromTail = opt.rank < 0;
  const rank = opt.rankWraps ? -Infinity : Math.abs(opt.rank);
  const o = asList(db.read(argv[1]!));
  if (!o) return opt.count !== -1 ? reply.arrayLen(0) : reply.nullBulk();
  const v = o.v;
  const len = v.length;
  const ele = argv[2]!;
  const found: number[] = [];
  let matches = 0;
  for (let index = 0; index < len && (opt.maxlen === 0 || index < opt.maxlen); index++) {
    const at = fromTail ? len - 1 - index : index;
    if (v.at(at) !== ele) continue;
    matches++;
    if (matches < rank) continue;
    found.push(at);
    if (opt.count === -1) break;
    if (opt.count !== 0 && !opt.rankWraps && matches - rank + 1 >= opt.count) break;
  }
  if (opt.count !== -1) {
    reply.arrayLen(found.length);
    for (const i of found) reply.int(i);
  } else if (found.length > 0) {
    reply.int(found[0]!);
  } else {
    reply.nullBulk();
  }
}

// --- in-place edits -------------------------------------------------------------------------------

function lset(ctx: Ctx, argv: string[]): void {
  const { engine, db, reply } = ctx;
  const key = argv[1]!;
  const o = asList(db.write(key));
  if (!o) throw new ReplyError(E.noSuchKey);
  const i = position(o, parseInteger(argv[2]!));
  if (i < 0) throw new ReplyError(E.outOfRange);
  o.v.setAt(i, argv[3]!);
  reply.ok();
  engine.touched(db, key);
  listEvent(siteOf(ctx), 'lset', key);
  engine.dirty++;
}

function ltrim(ctx: Ctx, argv: string[]): void {
  const { engine, db, reply } = ctx;
  const start = parseInteger(argv[2]!);
  const end = parseInteger(argv[3]!);
  const key = argv[1]!;
  const o = asList(db.write(key));
  if (!o) return reply.ok();
  const len = o.v.length;
  const r = clampRange(len, start, end);
  const left = r ? r[0] : len;
  const right = r ? len - r[1] - 1 : 0;
  o.v.dropFront(left);
  o.v.dropBack(right);
  const site = siteOf(ctx);
  listEvent(site, 'ltrim', key);
  deleteIfEmpty(site, key, o);
  engine.touched(db, key);
  engine.dirty += left + right;
  reply.ok();
}

function lrem(ctx: Ctx, argv: string[]): void {
  const { engine, db, reply } = ctx;
  const toRemove = parseInteger(argv[2]!);
  const key = argv[1]!;
  const o = asList(db.write(key));
  if (!o) return reply.int(0);
  const ele = argv[3]!;
  const v = o.v;
  const len = v.length;
  const limit = Math.abs(toRemove);
  const hits: number[] = [];
  if (toRemove < 0) {
    for (let i = len - 1; i >= 0 && hits.length < limit; i--) if (v.at(i) === ele) hits.push(i);
    hits.reverse();
  } else {
    for (let i = 0; i < len && (limit === 0 || hits.length < limit); i++) if (v.at(i) === ele) hits.push(i);
  }
  v.removeIndexes(hits);
  const site = siteOf(ctx);
  if (hits.length > 0) {
    engine.touched(db, key);
    engine.dirty += hits.length;
    listEvent(site, 'lrem', key);
  }
  deleteIfEmpty(site, key, o);
  reply.int(hits.length);
}

// --- pops and moves -------------------------------------------------------------------------------

/** popGenericCommand: LPOP/RPOP, a bulk without COUNT, an array with it. */
function popGeneric(ctx: Ctx, argv: string[], end: End): void {
  const { db, reply } = ctx;
  if (argv.length > 3) throw new ReplyError(E.arity(argv[0]!.toLowerCase()));
  const hasCount = argv.length === 3;
  const count = hasCount ? parseLongIn(argv[2]!, 0, LONG_LIMIT, 'value is out of range, must be positive') : 0;
  const key = argv[1]!;
  const o = asList(db.write(key));
  if (!o) return hasCount ? reply.nullArray() : reply.nullBulk();
  if (hasCount && count === 0) return reply.arrayLen(0);
  let n = 1;
  if (hasCount) n = popRangeReply(reply, o, end, count);
  else reply.bulk((end === 'left' ? o.v.shift() : o.v.pop())!);
  elementsRemoved(siteOf(ctx), key, o, end, n);
}

function lmove(ctx: Ctx, argv: string[]): void {
  const from = parseEnd(argv[3]!);
  const to = parseEnd(argv[4]!);
  moveGeneric(ctx, argv[1]!, argv[2]!, from, to);
}

function lmpop(ctx: Ctx, argv: string[]): void {
  const { keys, end, count } = parseMpop(argv, 1);
  mpopGeneric(ctx, keys, end, count);
}

// --- the table ------------------------------------------------------------------------------------

const G = 'list';
const WRITE_FAST = ['write', 'list', 'fast'];
const WRITE_SLOW = ['write', 'list', 'slow'];
const READ_FAST = ['read', 'list', 'fast'];
const READ_SLOW = ['read', 'list', 'slow'];
const ONE_KEY: [number, number, number] = [1, 1, 1];
const TWO_KEYS: [number, number, number] = [1, 2, 1];

type Row = [name: string, arity: number, flags: CommandSpec['flags'], acl: string[], keys: [number, number, number], handler: (ctx: Ctx, argv: string[]) => void];

const ROWS: Row[] = [
  ['lpush', -3, ['write', 'denyoom', 'fast'], WRITE_FAST, ONE_KEY, (c, a) => pushGeneric(c, a, 'left', false)],
  ['rpush', -3, ['write', 'denyoom', 'fast'], WRITE_FAST, ONE_KEY, (c, a) => pushGeneric(c, a, 'right', false)],
  ['lpushx', -3, ['write', 'denyoom', 'fast'], WRITE_FAST, ONE_KEY, (c, a) => pushGeneric(c, a, 'left', true)],
  ['rpushx', -3, ['write', 'denyoom', 'fast'], WRITE_FAST, ONE_KEY, (c, a) => pushGeneric(c, a, 'right', true)],
  ['lpop', -2, ['write', 'fast'], WRITE_FAST, ONE_KEY, (c, a) => popGeneric(c, a, 'left')],
  ['rpop', -2, ['write', 'fast'], WRITE_FAST, ONE_KEY, (c, a) => popGeneric(c, a, 'right')],
  ['llen', 2, ['readonly', 'fast'], READ_FAST, ONE_KEY, llen],
  ['lrange', 4, ['readonly'], READ_SLOW, ONE_KEY, lrange],
  ['lindex', 3, ['readonly'], READ_SLOW, ONE_KEY, lindex],
  ['lset', 4, ['write', 'denyoom'], WRITE_SLOW, ONE_KEY, lset],
  ['linsert', 5, ['write', 'denyoom'], WRITE_SLOW, ONE_KEY, linsert],
  ['lrem', 4, ['write'], WRITE_SLOW, ONE_KEY, lrem],
  ['ltrim', 4, ['write'], WRITE_SLOW, ONE_KEY, ltrim],
  ['lpos', -3, ['readonly'], READ_SLOW, ONE_KEY, lpos],
  ['lmove', 5, ['write', 'denyoom'], WRITE_SLOW, TWO_KEYS, lmove],
  ['rpoplpush', 3, ['write', 'denyoom'], WRITE_SLOW, TWO_KEYS, (c, a) => moveGeneric(c, a[1]!, a[2]!, 'right', 'left')],
  ['lmpop', -4, ['write', 'movablekeys'], WRITE_SLOW, [0, 0, 0], lmpop],
];

export const listsCommands: CommandSpec[] = [
  ...ROWS.map(([name, arity, flags, acl, keys, handler]) => cmd(name, arity, flags, acl, keys, G, handler)),
  ...listsBlockingCommands,
];
