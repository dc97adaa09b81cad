// The blocking half of the list family (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP) together with
// the pops and moves they share with their immediate forms (LPOP with a count, LMPOP, LMOVE,
// RPOPLPUSH), the way t_list.c shares them. A blocking command first behaves like its immediate
// form; when every key is missing it parks the client in the engine's Blocking registry (inside
// MULTI it answers as on timeout instead). When a write later creates one of the keys, the
// registry calls `serve` for the waiting clients in the order they blocked; serving a BLMOVE
// pushes onto its destination, which may wake the next client in a chain.
//
// What a served client does to stats and dirty mirrors serveClientBlockedOnList: BLPOP and BLMOVE
// add nothing to dirty, BLMPOP counts the popped elements, a BLMOVE whose destination holds
// another type gets WRONGTYPE and leaves the source untouched.
//
// Keyspace events follow t_list.c: a pop raises "lpop"/"rpop" once per command (whatever the
// count), a move raises the push on the destination first ("lpush"/"rpush", after "new" when it
// creates it) and then the pop on the source, and an emptied list raises "del" after its pop.
// A served client raises the same events, in the db it blocked on, after the command that woke it.

import { cmd, type CommandSpec, type Ctx } from '../command.js';
import { E, ReplyError, syntaxError, wrongType } from '../errors.js';
import { is, parseInteger, parseTimeoutMs } from '../args.js';
import { newList, type ListObj, type RObj } from '../types/objects.js';
import type { ReplyWriter } from '../../formats/resp/reply-writer.js';
import type { Client } from '../client.js';
import type { Db } from '../keyspace.js';
import type { Engine } from '../engine.js';
import { notifyEvent } from '../notify.js';

/** LIST_HEAD / LIST_TAIL. */
export type End = 'left' | 'right';

/** 2^63: LONG_MAX as a double (every long is at most this), and where a long long cast overflows. */
const LONG_LIMIT = 2 ** 63;
/** Node's setTimeout cannot wait longer (about 24.8 days); see the report on blocking.ts. */

/** checkType for lists: undefined stays undefined, another type throws WRONGTYPE. */
export function asList(o: RObj | undefined): ListObj | undefined {
  if (o === undefined) return undefined;
  if (o.type !== 'list') wrongType();
  return o;
}

/** getListPositionFromObjectOrReply: LEFT or RIGHT, else a syntax error. */
export function parseEnd(arg: string): End {
  if (is(arg, 'right')) return 'right';
  if (is(arg, 'left')) return 'left';
  syntaxError();
}

/** getRangeLongFromObjectOrReply with its own message for both "not a number" and "out of range". */
export function parseLongIn(arg: string, min: number, max: number, msg: string): number {
  const n = parseInteger(arg, msg);
  if (n < min || n > max) throw new ReplyError(msg);
  return n;
}

/** The absolute deadline for a timeout in ms (0 = none). */
function deadlineFor(now: number, ms: number): number {
  if (ms === 0) return 0;
  // mstime() + timeout wraps past LLONG_MAX into the past: Redis times the client out at once.
  if (now + ms >= LONG_LIMIT) return now;
  return now + ms;
}

// --- shared pops and moves ------------------------------------------------------------------------

/** Pops one element from `end` (the list is known to be non-empty). */
function popEnd(o: ListObj, end: End): string {
  return (end === 'left' ? o.v.shift() : o.v.pop())!;
}

function pushEnd(o: ListObj, end: End, v: string): void {
  if (end === 'left') o.v.unshift(v);
  else o.v.push(v);
}

/**
 * Pops up to `count` elements from `end` and writes them as an array (popGenericCommand's count
 * form): from the left in list order, from the right in reverse order.
 */
export function popRangeReply(reply: ReplyWriter, o: ListObj, end: End, count: number): number {
  const n = Math.min(count, o.v.length);
  const items: string[] = new Array(n);
  for (let i = 0; i < n; i++) items[i] = popEnd(o, end);
  reply.bulks(items);
  return n;
}

/** The event a push onto / a pop from `end` raises. */
export const PUSH_EVENT: Record<End, string> = { left: 'lpush', right: 'rpush' };
export const POP_EVENT: Record<End, string> = { left: 'lpop', right: 'rpop' };

/**
 * Where a list operation's keyspace events go: the db it works on and the client running the
 * command (null when serving a blocked client, which runs outside any command).
 */
export interface Site {
  engine: Engine;
  db: Db;
  running: Client | null;
}

/** The Site of the command running in `ctx`. */
export function siteOf(ctx: Ctx): Site {
  return { engine: ctx.engine, db: ctx.db, running: ctx.client };
}

/** A list-class ("l") keyspace event. */
export function listEvent(site: Site, event: string, key: string): void {
  notifyEvent(site.engine, 'l', event, key, site.db.id, site.running);
}

/** Deletes a list that became empty, with its generic "del" event. */
export function deleteIfEmpty(site: Site, key: string, o: ListObj): void {
  if (o.v.length !== 0) return;
  site.db.delete(key);
  notifyEvent(site.engine, 'g', 'del', key, site.db.id, site.running);
}

/** listElementsRemoved: the pop event, deletes an emptied list, signals the key, counts the changes. */
export function elementsRemoved(site: Site, key: string, o: ListObj, end: End, count: number): void {
  listEvent(site, POP_EVENT[end], key);
  deleteIfEmpty(site, key, o);
  site.engine.touched(site.db, key);
  site.engine.dirty += count;
}

/** listPopRangeAndReplyWithKey: [key, [elements]] for LMPOP and BLMPOP. */
function popRangeWithKey(site: Site, reply: ReplyWriter, key: string, o: ListObj, end: End, count: number): void {
  reply.arrayLen(2);
  reply.bulk(key);
  const n = popRangeReply(reply, o, end, count);
  elementsRemoved(site, key, o, end, n);
}

/** lmoveHandlePush: creates the destination when missing, pushes, replies with the element. */
function movePush(site: Site, reply: ReplyWriter, dstKey: string, dst: ListObj | undefined, value: string, to: End): void {
  if (!dst) {
    dst = newList();
    site.db.add(dstKey, dst);
  }
  site.engine.touched(site.db, dstKey);
  pushEnd(dst, to, value);
  listEvent(site, PUSH_EVENT[to], dstKey);
  reply.bulk(value);
}

/** lmoveGenericCommand: LMOVE / RPOPLPUSH, and BLMOVE when the source already has elements. */
export function moveGeneric(ctx: Ctx, srcKey: string, dstKey: string, from: End, to: End): void {
  const { engine, db, reply } = ctx;
  const src = asList(db.write(srcKey));
  if (!src || src.v.length === 0) return reply.nullBulk();
  const dst = asList(db.write(dstKey));
  const value = popEnd(src, from);
  const site = siteOf(ctx);
  movePush(site, reply, dstKey, dst, value, to);
  listEvent(site, POP_EVENT[from], srcKey);
  deleteIfEmpty(site, srcKey, src);
  engine.touched(db, srcKey);
  engine.dirty++;
}

/** Parsed LMPOP / BLMPOP arguments. */
export interface MpopArgs {
  keys: string[];
  end: End;
  /** -1 when COUNT was not given (replies still nest: count 1). */
  count: number;
}

/** lmpopGenericCommand's parsing: numkeys, the keys, LEFT|RIGHT, then an optional COUNT. */
export function parseMpop(argv: string[], numkeysAt: number): MpopArgs {
  const numkeys = parseLongIn(argv[numkeysAt]!, 1, LONG_LIMIT, 'numkeys should be greater than 0');
  const whereAt = numkeysAt + numkeys + 1;
  if (whereAt >= argv.length) syntaxError();
  const end = parseEnd(argv[whereAt]!);
  let count = -1;
  for (let j = whereAt + 1; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (count === -1 && is(argv[j], 'count') && more > 0) {
      j++;
      count = parseLongIn(argv[j]!, 1, LONG_LIMIT, 'count should be greater than 0');
    } else {
      syntaxError();
    }
  }
  return { keys: argv.slice(numkeysAt + 1, whereAt), end, count: count === -1 ? 1 : count };
}

/** mpopGenericCommand: the first non-empty list among `keys`, or a null array. */
export function mpopGeneric(ctx: Ctx, keys: string[], end: End, count: number): void {
  const { db, reply } = ctx;
  for (const key of keys) {
    const o = asList(db.write(key));
    if (!o || o.v.length === 0) continue;
    return popRangeWithKey(siteOf(ctx), reply, key, o, end, count);
  }
  reply.nullArray();
}

// --- blocking commands ----------------------------------------------------------------------------

/** What a blocked pop waits to do: a single element ([key, value]) or a nested range (BLMPOP). */
interface PopPlan {
  end: End;
  /** -1: BLPOP/BRPOP reply [key, value]; >0: BLMPOP reply [key, [values]]. */
  count: number;
}

/** blockingPopGenericCommand for BLPOP, BRPOP and BLMPOP. */
function blockingPop(ctx: Ctx, argv: string[], keys: string[], timeoutArg: string, plan: PopPlan): void {
  const { engine, db, client, reply } = ctx;
  const ms = parseTimeoutMs(timeoutArg);
  for (const key of keys) {
    const o = asList(db.write(key));
    if (!o || o.v.length === 0) continue;
    if (plan.count !== -1) return popRangeWithKey(siteOf(ctx), reply, key, o, plan.end, plan.count);
    const value = popEnd(o, plan.end);
    reply.arrayLen(2);
    reply.bulk(key);
    reply.bulk(value);
    elementsRemoved(siteOf(ctx), key, o, plan.end, 1);
    return;
  }
  if (!engine.blocking.canBlock(client)) return reply.nullArray();
  engine.blocking.block(client, {
    db,
    keys: [...keys],
    deadline: deadlineFor(ctx.now, ms),
    command: engine.commands.get(argv[0]!.toLowerCase())!,
    argv,
    startedAt: ctx.now,
    serve: (key) => servePop(engine, client, db, key, plan),
    timeout: () => client.reply.nullArray(),
  });
}

/** serveClientBlockedOnList without a destination: pops for a client blocked in BLPOP/BRPOP/BLMPOP. */
function servePop(engine: Engine, client: Client, db: Db, key: string, plan: PopPlan): boolean {
  const o = db.write(key);
  if (o === undefined || o.type !== 'list' || o.v.length === 0) return false;
  const reply = client.reply;
  const site: Site = { engine, db, running: null };
  if (plan.count !== -1) {
    popRangeWithKey(site, reply, key, o, plan.end, plan.count);
    return true;
  }
  const value = popEnd(o, plan.end);
  reply.arrayLen(2);
  reply.bulk(key);
  reply.bulk(value);
  listEvent(site, POP_EVENT[plan.end], key);
  deleteIfEmpty(site, key, o);
  return true;
}

/** blmoveGenericCommand: move now when the source has elements, else block (null in MULTI). */
function blockingMove(ctx: Ctx, argv: string[], from: End, to: End, ms: number): void {
  const { engine, db, client } = ctx;
  const srcKey = argv[1]!;
  const dstKey = argv[2]!;
  const src = asList(db.write(srcKey));
  if (src) return moveGeneric(ctx, srcKey, dstKey, from, to);
  if (!engine.blocking.canBlock(client)) return ctx.reply.nullBulk();
  engine.blocking.block(client, {
    db,
    keys: [srcKey],
    deadline: deadlineFor(ctx.now, ms),
    command: engine.commands.get(argv[0]!.toLowerCase())!,
    argv,
    startedAt: ctx.now,
    serve: (key) => serveMove(engine, client, db, key, dstKey, from, to),
    // replyToBlockedClientTimedOut answers every list block with a null array, BLMOVE included.
    timeout: () => client.reply.nullArray(),
  });
}

/** serveClientBlockedOnList with a destination: the push side of a blocked BLMOVE. */
function serveMove(engine: Engine, client: Client, db: Db, key: string, dstKey: string, from: End, to: End): boolean {
  const src = db.write(key);
  if (src === undefined || src.type !== 'list' || src.v.length === 0) return false;
  const dst = db.write(dstKey);
  if (dst !== undefined && dst.type !== 'list') {
    engine.countError(E.wrongType);
    client.reply.error(E.wrongType);
    return true;
  }
  const value = popEnd(src, from);
  const site: Site = { engine, db, running: null };
  movePush(site, client.reply, dstKey, dst, value, to);
  listEvent(site, POP_EVENT[from], key);
  deleteIfEmpty(site, key, src);
  return true;
}

function blpop(ctx: Ctx, argv: string[]): void {
  blockingPop(ctx, argv, argv.slice(1, -1), argv[argv.length - 1]!, { end: 'left', count: -1 });
}

function brpop(ctx: Ctx, argv: string[]): void {
  blockingPop(ctx, argv, argv.slice(1, -1), argv[argv.length - 1]!, { end: 'right', count: -1 });
}

function blmpop(ctx: Ctx, argv: string[]): void {
  const { keys, end, count } = parseMpop(argv, 2);
  blockingPop(ctx, argv, keys, argv[1]!, { end, count });
}

function blmove(ctx: Ctx, argv: string[]): void {
  const from = parseEnd(argv[3]!);
  const to = parseEnd(argv[4]!);
  const ms = parseTimeoutMs(argv[5]!);
  blockingMove(ctx, argv, from, to, ms);
}

function brpoplpush(ctx: Ctx, argv: string[]): void {
  const ms = parseTimeoutMs(argv[3]!);
  blockingMove(ctx, argv, 'right', 'left', ms);
}

const G = 'list';
const BLOCKING_ACL = ['write', 'list', 'slow', 'blocking'];

export const listsBlockingCommands: CommandSpec[] = [
  cmd('blpop', -3, ['write', 'noscript', 'blocking'], BLOCKING_ACL, [1, -2, 1], G, blpop),
  cmd('brpop', -3, ['write', 'noscript', 'blocking'], BLOCKING_ACL, [1, -2, 1], G, brpop),
  cmd('blmove', 6, ['write', 'denyoom', 'noscript', 'blocking'], BLOCKING_ACL, [1, 2, 1], G, blmove),
  cmd('brpoplpush', 4, ['write', 'denyoom', 'noscript', 'blocking'], BLOCKING_ACL, [1, 2, 1], G, brpoplpush),
  cmd('blmpop', -5, ['write', 'blocking', 'movablekeys'], BLOCKING_ACL, [0, 0, 0], G, blmpop),
];
