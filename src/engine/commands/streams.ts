// The stream command family (t_stream.c) except the reads that may block (streams-blocking.ts):
// XADD with its trimming options, XLEN, XRANGE/XREVRANGE, XDEL, XTRIM, XSETID, the consumer-group
// commands (XGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM) and XINFO. It also holds what both files
// share: Redis's stream-ID parser (with its strtoull leniency: " 5", "+5", "007" and "-01" for
// the sequence are all IDs to Redis), the entry/range replies, and the group-aware range reply
// that moves a group's last ID and fills its PEL.
//
// Every check runs in Redis's order, because the order decides which error a bad command gets
// (XDEL looks the key up before parsing IDs, XACK answers 0 for a missing group before parsing
// its IDs, XCLAIM checks the group before its min-idle-time). Keyspace events ("t" class), WATCH
// signals and dirty counts are raised exactly where t_stream.c raises them; a few commands
// (XSETID, XGROUP SETID/DESTROY, XACK, XCLAIM) change a stream without signalling WATCH, as 7.0 does.

import { totalmem } from 'node:os';
import { cmd, type CommandSpec, type Ctx } from '../command.js';
import { E, ReplyError, syntaxError, wrongType } from '../errors.js';
import { is, parseBigInt } from '../args.js';
import { notify, notifyEvent } from '../notify.js';
import { isCanonicalInt, type RObj, type StreamObj } from '../types/objects.js';
import type { ReplyWriter } from '../../formats/resp/reply-writer.js';
import type { Engine } from '../engine.js';
import type { Db } from '../keyspace.js';
import type { Client } from '../client.js';
import { replyHelp } from './help.js';
import {
  Consumer,
  ConsumerGroup,
  MAX_ID,
  MIN_ID,
  Stream,
  U64_MAX,
  cmpId,
  decrId,
  idStr,
  incrId,
  isZeroId,
  type Nack,
  type NodeLimits,
  type StreamEntry,
  type StreamID,
  type TrimArgs,
} from '../types/stream.js';

const INVALID_ID = 'Invalid stream ID specified as stream command argument';
const LLONG_MAX = 2n ** 63n - 1n;

// --- objects --------------------------------------------------------------------------------

export function newStream(): StreamObj {
  return { type: 'stream', enc: 'stream', v: new Stream() };
}

/** checkType for streams: undefined stays undefined, another type throws WRONGTYPE. */
export function asStream(o: RObj | undefined): Stream | undefined {
  if (o === undefined) return undefined;
  if (o.type !== 'stream') wrongType();
  return o.v;
}

/** stream-node-max-bytes / -entries as configured now. */
export function nodeLimits(engine: Engine): NodeLimits {
  const num = engine.config.num;
  return { maxBytes: Number(num['stream-node-max-bytes'] ?? 4096), maxEntries: Number(num['stream-node-max-entries'] ?? 100) };
}

/** A stream-class keyspace event for the running command. */
function streamEvent(ctx: Ctx, event: string, key: string): void {
  notify(ctx, 't', event, key);
}

// --- IDs ------------------------------------------------------------------------------------

/** string2ull: string2ll when it succeeds (negatives rejected), else glibc strtoull's reading. */
function string2ull(s: string): bigint | null {
  if (isCanonicalInt(s)) {
    const v = BigInt(s);
    return v < 0n ? null : v;
  }
  const m = /^[ \t\n\v\f\r]*([+-]?)([0-9]+)$/.exec(s);
  if (!m) return null;
  const v = BigInt(m[2]!);
  if (v > U64_MAX) return null;
  return m[1] === '-' ? ((1n << 64n) - v) & U64_MAX : v;
}

export interface ParsedId {
  id: StreamID;
  /** False for the XADD form "<ms>-*". */
  seqGiven: boolean;
}

/**
 * streamGenericParseIDOrReply: "-" / "+" (unless strict), "<ms>", "<ms>-<seq>", and with
 * `allowSeqStar` "<ms>-*". Like the C code it reads the argument as a C string (up to a NUL).
 * Returns null when invalid.
 */
export function parseIdOrNull(arg: string, missingSeq: bigint, strict: boolean, allowSeqStar = false): ParsedId | null {
  if (arg.length > 127) return null;
  const nul = arg.indexOf('\0');
  const buf = nul >= 0 ? arg.slice(0, nul) : arg;
  if (buf === '-') return strict ? null : { id: MIN_ID, seqGiven: true };
  if (buf === '+') return strict ? null : { id: MAX_ID, seqGiven: true };
  const dash = buf.indexOf('-');
  const ms = string2ull(dash >= 0 ? buf.slice(0, dash) : buf);
  if (ms === null) return null;
  if (dash < 0) return { id: { ms, seq: missingSeq }, seqGiven: true };
  const rest = buf.slice(dash + 1);
  if (allowSeqStar && rest === '*') return { id: { ms, seq: 0n }, seqGiven: false };
  const seq = string2ull(rest);
  if (seq === null) return null;
  return { id: { ms, seq }, seqGiven: true };
}

/** streamParseIDOrReply / streamParseStrictIDOrReply. */
export function parseId(arg: string, missingSeq = 0n, strict = false): StreamID {
  const p = parseIdOrNull(arg, missingSeq, strict);
  if (!p) throw new ReplyError(INVALID_ID);
  return p.id;
}

export const parseStrictId = (arg: string, missingSeq = 0n): StreamID => parseId(arg, missingSeq, true);

/** streamParseIntervalIDOrReply: a "(" prefix makes the bound exclusive (and the rest strict). */
function parseIntervalId(arg: string, missingSeq: bigint): { id: StreamID; exclusive: boolean } {
  const exclusive = arg.length > 1 && arg[0] === '(';
  if (exclusive) return { id: parseStrictId(arg.slice(1), missingSeq), exclusive };
  return { id: parseId(arg, missingSeq), exclusive };
}

/** The start of an interval: an exclusive bound moves up by one. */
function parseRangeStart(arg: string): StreamID {
  const { id, exclusive } = parseIntervalId(arg, 0n);
  if (!exclusive) return id;
  const next = incrId(id);
  if (!next) throw new ReplyError('invalid start ID for the interval');
  return next;
}

function parseRangeEnd(arg: string): StreamID {
  const { id, exclusive } = parseIntervalId(arg, U64_MAX);
  if (!exclusive) return id;
  const prev = decrId(id);
  if (!prev) throw new ReplyError('invalid end ID for the interval');
  return prev;
}

/** getLongLongFromObjectOrReply. */
function parseLongLong(arg: string, msg: string = E.notInt): bigint {
  return parseBigInt(arg, msg);
}

/** The successor ID, wrapping to 0-0 past the last one (streamIncrID ignoring its error). */
export function nextId(id: StreamID): StreamID {
  return incrId(id) ?? MIN_ID;
}

// --- replies --------------------------------------------------------------------------------

/** One entry: [id, [field, value, ...]]. */
export function replyEntry(reply: ReplyWriter, e: StreamEntry): void {
  reply.arrayLen(2);
  reply.bulk(idStr(e.id));
  reply.bulks(e.fields);
}

/** Where a group read comes from: the group, its consumer, NOACK; and the engine for the clock. */
export interface GroupRead {
  group: ConsumerGroup;
  consumer: Consumer;
  noack: boolean;
  now: number;
}

/**
 * streamReplyWithRange: the entries between start and end (count 0 = all) as an array. With a
 * group, every entry past the group's last ID advances it (and its read counter), and unless
 * NOACK each delivered entry gets a NACK owned by the reading consumer (taking it over from
 * another consumer if XGROUP SETID made the group re-deliver it).
 */
export function replyRange(reply: ReplyWriter, s: Stream, start: StreamID, end: StreamID, count: number, rev: boolean, read?: GroupRead): number {
  const items: StreamEntry[] = [];
  for (const e of s.range(start, end, rev)) {
    items.push(e);
    if (count && items.length === count) break;
  }
  reply.arrayLen(items.length);
  for (const e of items) {
    if (read) groupDeliver(s, read, e.id);
    replyEntry(reply, e);
  }
  return items.length;
}

function groupDeliver(s: Stream, read: GroupRead, id: StreamID): void {
  const { group, consumer } = read;
  if (cmpId(id, group.lastId) > 0) {
    if (group.entriesRead !== -1n && !s.rangeHasTombstones(id, null)) group.entriesRead++;
    else if (s.entriesAdded) group.entriesRead = s.estimateDistance(id);
    group.lastId = id;
  }
  if (read.noack) return;
  const existing = group.pel.get(id);
  if (!existing) {
    const nack: Nack = { deliveryTime: read.now, deliveryCount: 1, consumer };
    group.pel.insert(id, nack);
    consumer.pel.insert(id, nack);
    return;
  }
  existing.consumer?.pel.remove(id);
  existing.consumer = consumer;
  existing.deliveryTime = read.now;
  existing.deliveryCount = 1;
  consumer.pel.insert(id, existing);
}

/**
 * streamReplyWithRangeFromConsumerPEL: a consumer's history from its own PEL; entries deleted
 * from the stream since come back as [id, nil].
 */
export function replyConsumerHistory(reply: ReplyWriter, s: Stream, start: StreamID, count: number, consumer: Consumer, now: number): number {
  const pel = consumer.pel;
  const out: Array<{ id: StreamID; e: StreamEntry | undefined }> = [];
  for (let i = pel.seek(start); i < pel.size && (!count || out.length < count); i++) {
    const id = pel.ids[i]!;
    const e = s.find(id);
    if (e) {
      const nack = pel.vals[i]!;
      nack.deliveryTime = now;
      nack.deliveryCount++;
    }
    out.push({ id, e });
  }
  reply.arrayLen(out.length);
  for (const { id, e } of out) {
    if (e) replyEntry(reply, e);
    else {
      reply.arrayLen(2);
      reply.bulk(idStr(id));
      reply.nullArray();
    }
  }
  return out.length;
}

/** Where consumer creation's events go (the running client, or none while serving a blocked one). */
export interface EventSite {
  engine: Engine;
  db: Db;
  running: Client | null;
}

export function siteOf(ctx: Ctx): EventSite {
  return { engine: ctx.engine, db: ctx.db, running: ctx.client };
}

/** streamLookupConsumer(SLC_DEFAULT) then streamCreateConsumer(SCC_DEFAULT) when missing. */
export function lookupOrCreateConsumer(site: EventSite, group: ConsumerGroup, name: string, key: string, now: number): Consumer {
  const found = group.consumers.get(name);
  if (found) {
    found.seenTime = now;
    return found;
  }
  return createConsumer(site, group, name, key, now)!;
}

/** streamCreateConsumer(SCC_DEFAULT): null when it exists; counts dirty and raises the event. */
function createConsumer(site: EventSite, group: ConsumerGroup, name: string, key: string, now: number): Consumer | null {
  if (group.consumers.has(name)) return null;
  const c = new Consumer(name, now);
  group.consumers.set(name, c);
  site.engine.dirty++;
  notifyEvent(site.engine, 't', 'xgroup-createconsumer', key, site.db.id, site.running);
  return c;
}

// --- XADD / XTRIM -----------------------------------------------------------------------------

interface AddTrimArgs {
  trim: TrimArgs | null;
  /** The XADD ID when one was given (null for "*"). */
  id: ParsedId | null;
  noMkstream: boolean;
  /** Index of the ID argument (XADD). */
  idPos: number;
}

/** The LIMIT an approximate trim gets by default: 100 nodes' worth, capped both ways. */
function defaultApproxLimit(engine: Engine): bigint {
  const entries = BigInt(engine.config.num['stream-node-max-entries'] ?? 100);
  let limit = BigInt.asIntN(64, 100n * entries);
  if (limit <= 0n) limit = 10000n;
  if (limit > 1000000n) limit = 1000000n;
  return limit;
}

/** streamParseAddOrTrimArgsOrReply. */
function parseAddOrTrim(ctx: Ctx, argv: string[], xadd: boolean): AddTrimArgs {
  let strategy: 'maxlen' | 'minid' | null = null;
  let approx = false;
  let maxlen = 0n;
  let minid = MIN_ID;
  let limit = 0n;
  let limitGiven = false;
  let noMkstream = false;
  let id: ParsedId | null = null;
  let i = 2;
  for (; i < argv.length; i++) {
    const more = argv.length - 1 - i;
    const opt = argv[i]!;
    if (xadd && (opt === '*' || opt.startsWith('*\0'))) break;
    if (is(opt, 'maxlen') && more) {
      if (strategy !== null) throw new ReplyError('syntax error, MAXLEN and MINID options at the same time are not compatible');
      approx = false;
      const next = argv[i + 1]!;
      if (more >= 2 && next === '~') {
        approx = true;
        i++;
      } else if (more >= 2 && next === '=') i++;
      maxlen = parseLongLong(argv[i + 1]!);
      if (maxlen < 0n) throw new ReplyError('The MAXLEN argument must be >= 0.');
      i++;
      strategy = 'maxlen';
    } else if (is(opt, 'minid') && more) {
      if (strategy !== null) throw new ReplyError('syntax error, MAXLEN and MINID options at the same time are not compatible');
      approx = false;
      const next = argv[i + 1]!;
      if (more >= 2 && next === '~') {
        approx = true;
        i++;
      } else if (more >= 2 && next === '=') i++;
      minid = parseStrictId(argv[i + 1]!);
      i++;
      strategy = 'minid';
    } else if (is(opt, 'limit') && more) {
      limit = parseLongLong(argv[i + 1]!);
      if (limit < 0n) throw new ReplyError('The LIMIT argument must be >= 0.');
      limitGiven = true;
      i++;
    } else if (xadd && is(opt, 'nomkstream')) {
      noMkstream = true;
    } else if (xadd) {
      id = parseIdOrNull(opt, 0n, true, true);
      if (!id) throw new ReplyError(INVALID_ID);
      break;
    } else {
      syntaxError();
    }
  }
  if (limit && strategy === null) throw new ReplyError('syntax error, LIMIT cannot be used without specifying a trimming strategy');
  if (!xadd && strategy === null) throw new ReplyError('syntax error, XTRIM must be called with a trimming strategy');
  // From the AOF (or a master) the threshold was rewritten exact when it was logged: no LIMIT applies.
  if (ctx.client.mustObey) limit = 0n;
  else if (limitGiven) {
    if (!approx) throw new ReplyError('syntax error, LIMIT cannot be used without the special ~ option');
  } else limit = approx ? defaultApproxLimit(ctx.engine) : 0n;
  const trim = strategy === null ? null : { strategy, maxlen, minid, approx, limit };
  return { trim, id, noMkstream, idPos: i };
}

function xadd(ctx: Ctx, argv: string[]): void {
  const { engine, db, reply } = ctx;
  const key = argv[1]!;
  const args = parseAddOrTrim(ctx, argv, true);
  const fieldPos = args.idPos + 1;
  const nfields = argv.length - fieldPos;
  if (nfields < 2 || nfields % 2 === 1) throw new ReplyError(E.arity('xadd'));
  const given = args.id;
  if (given && given.seqGiven && isZeroId(given.id)) throw new ReplyError('The ID specified in XADD must be greater than 0-0');
  let s = asStream(db.write(key));
  if (!s) {
    if (args.noMkstream) return reply.nullBulk();
    const o = newStream();
    db.add(key, o);
    s = o.v;
  }
  if (s.lastId.ms === U64_MAX && s.lastId.seq === U64_MAX) throw new ReplyError('The stream has exhausted the last possible ID, unable to add more items');
  const id = nextAddId(s, given, ctx.now);
  // A "<ms>-*" whose sequence would overflow fails without errno set to EDOM: Redis then reports
  // the size error.
  if (!id) throw new ReplyError('Elements are too large to be stored');
  if (cmpId(id, s.lastId) <= 0) throw new ReplyError('The ID specified in XADD is equal or smaller than the target stream top item');
  const fields = argv.slice(fieldPos);
  let tot = 0;
  for (const f of fields) tot += f.length;
  if (tot > 2 ** 30) throw new ReplyError('Elements are too large to be stored');
  s.append(id, fields, nodeLimits(engine));
  reply.bulk(idStr(id));
  engine.touched(db, key);
  streamEvent(ctx, 'xadd', key);
  engine.dirty++;
  if (args.trim && s.trim(args.trim)) streamEvent(ctx, 'xtrim', key);
  engine.ready(db, key);
}

/** The ID streamAppendItem would use; null when the "<ms>-*" sequence would overflow. */
function nextAddId(s: Stream, given: ParsedId | null, now: number): StreamID | null {
  if (given) {
    if (given.seqGiven) return given.id;
    if (s.lastId.ms === given.id.ms) {
      if (s.lastId.seq === U64_MAX) return null;
      return { ms: s.lastId.ms, seq: s.lastId.seq + 1n };
    }
    return given.id;
  }
  const ms = BigInt(Math.max(0, Math.floor(now)));
  if (ms > s.lastId.ms) return { ms, seq: 0n };
  return incrId(s.lastId) ?? MIN_ID;
}

function xtrim(ctx: Ctx, argv: string[]): void {
  const { engine, db, reply } = ctx;
  const key = argv[1]!;
  const args = parseAddOrTrim(ctx, argv, false);
  const s = asStream(db.write(key));
  if (!s) return reply.int(0);
  const deleted = s.trim(args.trim!);
  if (deleted) {
    streamEvent(ctx, 'xtrim', key);
    engine.touched(db, key);
    engine.dirty += deleted;
  }
  reply.int(deleted);
}

// --- XLEN / XRANGE / XDEL / XSETID -----------------------------------------------------------

function xlen(ctx: Ctx, argv: string[]): void {
  const s = asStream(ctx.db.read(argv[1]!));
  ctx.reply.int(s ? s.length : 0);
}

function xrangeGeneric(ctx: Ctx, argv: string[], rev: boolean): void {
  const start = parseRangeStart(rev ? argv[3]! : argv[2]!);
  const end = parseRangeEnd(rev ? argv[2]! : argv[3]!);
  let count = -1n;
  for (let j = 4; j < argv.length; j++) {
    if (is(argv[j], 'count') && argv.length - j - 1 >= 1) {
      count = parseLongLong(argv[j + 1]!);
      if (count < 0n) count = 0n;
      j++;
    } else syntaxError();
  }
  const o = ctx.db.read(argv[1]!);
  if (!o) return ctx.reply.arrayLen(0);
  const s = asStream(o)!;
  if (count === 0n) return ctx.reply.nullArray();
  replyRange(ctx.reply, s, start, end, count === -1n ? 0 : clampCount(count), rev);
}

/** A count as a JS number (anything past 2^53 means "all" in practice). */
function clampCount(n: bigint): number {
  return n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n);
}

function xdel(ctx: Ctx, argv: string[]): void {
  const { engine, db, reply } = ctx;
  const key = argv[1]!;
  const s = asStream(db.write(key));
  if (!s) return reply.int(0);
  const ids = argv.slice(2).map((a) => parseStrictId(a));
  let deleted = 0;
  let firstEntry = false;
  for (const id of ids) {
    if (!s.delete(id)) continue;
    if (cmpId(id, s.firstId) === 0) firstEntry = true;
    if (cmpId(id, s.maxDeletedId) > 0) s.maxDeletedId = id;
    deleted++;
  }
  if (deleted) {
    if (s.length === 0) s.firstId = MIN_ID;
    else if (firstEntry) s.firstId = s.edgeId(true, true);
    engine.touched(db, key);
    streamEvent(ctx, 'xdel', key);
    engine.dirty += deleted;
  }
  reply.int(deleted);
}

function xsetid(ctx: Ctx, argv: string[]): void {
  const { engine, db, reply } = ctx;
  const id = parseStrictId(argv[2]!);
  let entriesAdded = -1n;
  let maxXdel = MIN_ID;
  for (let i = 3; i < argv.length; ) {
    const more = argv.length - 1 - i;
    const opt = argv[i]!;
    if (is(opt, 'entriesadded') && more) {
      entriesAdded = parseLongLong(argv[i + 1]!);
      if (entriesAdded < 0n) throw new ReplyError('entries_added must be positive');
      i += 2;
    } else if (is(opt, 'maxdeletedid') && more) {
      maxXdel = parseStrictId(argv[i + 1]!);
      if (cmpId(id, maxXdel) < 0) throw new ReplyError('The ID specified in XSETID is smaller than the provided max_deleted_entry_id');
      i += 2;
    } else syntaxError();
  }
  const o = db.write(argv[1]!);
  if (!o) throw new ReplyError(E.noSuchKey);
  const s = asStream(o)!;
  if (s.length > 0) {
    const maxid = s.lastValidId()!;
    if (cmpId(id, maxid) < 0) throw new ReplyError('The ID specified in XSETID is smaller than the target stream top item');
    if (entriesAdded !== -1n && BigInt(s.length) > entriesAdded) throw new ReplyError('The entries_added specified in XSETID is smaller than the target stream length');
  }
  s.lastId = id;
  if (entriesAdded !== -1n) s.entriesAdded = entriesAdded;
  if (!isZeroId(maxXdel)) s.maxDeletedId = maxXdel;
  reply.ok();
  engine.dirty++;
  streamEvent(ctx, 'xsetid', argv[1]!);
}

// --- XGROUP -----------------------------------------------------------------------------------

const XGROUP_HELP = [
  'CREATE <key> <groupname> <id|$> [option]',
  '    Create a new consumer group. Options are:',
  '    * MKSTREAM',
  '      Create the empty stream if it does not exist.',
  '    * ENTRIESREAD entries_read',
  "      Set the group's entries_read counter (internal use).",
  'CREATECONSUMER <key> <groupname> <consumer>',
  '    Create a new consumer in the specified group.',
  'DELCONSUMER <key> <groupname> <consumer>',
  '    Remove the specified consumer.',
  'DESTROY <key> <groupname>',
  '    Remove the specified group.',
  'SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]',
  '    Set the current group ID and entries_read counter.',
];

const XINFO_HELP = [
  'CONSUMERS <key> <groupname>',
  '    Show consumers of <groupname>.',
  'GROUPS <key>',
  '    Show the stream consumer groups.',
  'STREAM <key> [FULL [COUNT <count>]',
  '    Show information about the stream.',
];

/** addReplySubcommandSyntaxError */
function subcommandSyntax(argv: string[]): never {
  throw new ReplyError(`unknown subcommand or wrong number of arguments for '${argv[1]!.slice(0, 128)}'. Try ${argv[0]!.toUpperCase()} HELP.`);
}

/** xgroupCommand: one handler for every subcommand, checking in Redis's order. */
function xgroup(ctx: Ctx, argv: string[]): void {
  const { engine, db, reply } = ctx;
  const argc = argv.length;
  const opt = argv[1]!;
  let mkstream = false;
  let entriesRead = -1n;
  let s: Stream | undefined;
  let cg: ConsumerGroup | undefined;
  const key = argv[2]!;
  const grp = argv[3]!;
  if (argc >= 4) {
    const create = is(opt, 'create');
    const setid = is(opt, 'setid');
    for (let i = 5; i < argc; ) {
      if (create && is(argv[i], 'mkstream')) {
        mkstream = true;
        i++;
      } else if ((create || setid) && is(argv[i], 'entriesread') && i + 1 < argc) {
        entriesRead = parseLongLong(argv[i + 1]!);
        if (entriesRead < 0n && entriesRead !== -1n) throw new ReplyError('value for ENTRIESREAD must be positive or -1');
        i += 2;
      } else subcommandSyntax(argv);
    }
    s = asStream(db.write(key));
    if (!mkstream) {
      if (!s)
        throw new ReplyError(
          'The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.',
        );
      cg = s.group(grp);
      if (!cg && (is(opt, 'setid') || is(opt, 'createconsumer') || is(opt, 'delconsumer')))
        throw new ReplyError(`-NOGROUP No such consumer group '${grp}' for key name '${key}'`);
    }
  }
  if (argc === 2 && is(opt, 'help')) return replyHelp(ctx, argv[0]!, XGROUP_HELP);
  if (is(opt, 'create') && argc >= 5 && argc <= 8) {
    const id = argv[4] === '$' ? (s ? s.lastId : MIN_ID) : parseStrictId(argv[4]!);
    if (!s) {
      const o = newStream();
      db.add(key, o);
      s = o.v;
      engine.touched(db, key);
    }
    if (!s.groups) s.groups = new Map();
    if (s.groups.has(grp)) throw new ReplyError('-BUSYGROUP Consumer Group name already exists');
    s.groups.set(grp, new ConsumerGroup(id, entriesRead));
    reply.ok();
    engine.dirty++;
    streamEvent(ctx, 'xgroup-create', key);
  } else if (is(opt, 'setid') && (argc === 5 || argc === 7)) {
    const id = argv[4] === '$' ? s!.lastId : parseId(argv[4]!);
    cg!.lastId = id;
    cg!.entriesRead = entriesRead;
    reply.ok();
    engine.dirty++;
    streamEvent(ctx, 'xgroup-setid', key);
  } else if (is(opt, 'destroy') && argc === 4) {
    if (!cg) return reply.int(0);
    s!.groups!.delete(grp);
    reply.int(1);
    engine.dirty++;
    streamEvent(ctx, 'xgroup-destroy', key);
    engine.ready(db, key);
  } else if (is(opt, 'createconsumer') && argc === 5) {
    const created = createConsumer(siteOf(ctx), cg!, argv[4]!, key, ctx.now);
    reply.int(created ? 1 : 0);
  } else if (is(opt, 'delconsumer') && argc === 5) {
    const consumer = cg!.consumers.get(argv[4]!);
    let pending = 0;
    if (consumer) {
      pending = consumer.pel.size;
      cg!.deleteConsumer(consumer);
      engine.dirty++;
      streamEvent(ctx, 'xgroup-delconsumer', key);
    }
    reply.int(pending);
  } else subcommandSyntax(argv);
}

// --- XACK / XPENDING --------------------------------------------------------------------------

function xack(ctx: Ctx, argv: string[]): void {
  const { engine, db, reply } = ctx;
  const s = asStream(db.read(argv[1]!));
  const group = s?.group(argv[2]!);
  if (!s || !group) return reply.int(0);
  const ids = argv.slice(3).map((a) => parseStrictId(a));
  let acked = 0;
  for (const id of ids) {
    const nack = group.pel.get(id);
    if (!nack) continue;
    group.pel.remove(id);
    nack.consumer?.pel.remove(id);
    acked++;
    engine.dirty++;
  }
  reply.int(acked);
}

function xpending(ctx: Ctx, argv: string[]): void {
  const { db, reply } = ctx;
  const argc = argv.length;
  const justInfo = argc === 3;
  if (argc !== 3 && (argc < 6 || argc > 9)) syntaxError();
  let start = MIN_ID;
  let end = MAX_ID;
  let count = 0n;
  let minIdle = 0n;
  let consumerName: string | undefined;
  if (argc >= 6) {
    let at = 3;
    if (is(argv[3], 'idle')) {
      minIdle = parseLongLong(argv[4]!);
      if (argc < 8) syntaxError();
      at += 2;
    }
    count = parseLongLong(argv[at + 2]!);
    if (count < 0n) count = 0n;
    start = parseRangeStart(argv[at]!);
    end = parseRangeEnd(argv[at + 1]!);
    if (at + 3 < argc) consumerName = argv[at + 3];
  }
  const key = argv[1]!;
  const s = asStream(db.read(key));
  const group = s?.group(argv[2]!);
  if (!s || !group) throw new ReplyError(`-NOGROUP No such key '${key}' or consumer group '${argv[2]!}'`);
  if (justInfo) {
    const pel = group.pel;
    reply.arrayLen(4);
    reply.int(pel.size);
    if (pel.size === 0) {
      reply.nullBulk();
      reply.nullBulk();
      reply.nullArray();
      return;
    }
    reply.bulk(idStr(pel.ids[0]!));
    reply.bulk(idStr(pel.ids[pel.size - 1]!));
    const owners = group.sortedConsumers().filter((c) => c.pel.size > 0);
    reply.arrayLen(owners.length);
    for (const c of owners) {
      reply.arrayLen(2);
      reply.bulk(c.name);
      reply.bulk(String(c.pel.size));
    }
    return;
  }
  let pel = group.pel;
  if (consumerName !== undefined) {
    const consumer = group.consumers.get(consumerName);
    if (!consumer) return reply.arrayLen(0);
    pel = consumer.pel;
  }
  const now = ctx.now;
  const rows: Array<[StreamID, Nack]> = [];
  for (let i = pel.seek(start); count > 0n && i < pel.size && cmpId(pel.ids[i]!, end) <= 0; i++) {
    const nack = pel.vals[i]!;
    if (minIdle && BigInt(now - nack.deliveryTime) < minIdle) continue;
    rows.push([pel.ids[i]!, nack]);
    count--;
  }
  reply.arrayLen(rows.length);
  for (const [id, nack] of rows) {
    reply.arrayLen(4);
    reply.bulk(idStr(id));
    reply.bulk(nack.consumer!.name);
    reply.int(Math.max(0, now - nack.deliveryTime));
    reply.int(nack.deliveryCount);
  }
}

// --- XCLAIM / XAUTOCLAIM ----------------------------------------------------------------------

/** Drops a PEL entry from the group and its owner. */
function dropNack(group: ConsumerGroup, id: StreamID, nack: Nack): void {
  group.pel.remove(id);
  nack.consumer?.pel.remove(id);
}

/** Moves a NACK to `consumer` (no-op when it already owns it). */
function giveNack(id: StreamID, nack: Nack, consumer: Consumer): void {
  if (nack.consumer === consumer) return;
  nack.consumer?.pel.remove(id);
  consumer.pel.insert(id, nack);
  nack.consumer = consumer;
}

function xclaim(ctx: Ctx, argv: string[]): void {
  const { engine, db, reply } = ctx;
  const key = argv[1]!;
  const o = db.read(key);
  const s = asStream(o);
  const group = s?.group(argv[2]!);
  if (!s || !group) throw new ReplyError(`-NOGROUP No such key '${key}' or consumer group '${argv[2]!}'`);
  let minIdle = parseLongLong(argv[4]!, 'Invalid min-idle-time argument for XCLAIM');
  if (minIdle < 0n) minIdle = 0n;
  const ids: StreamID[] = [];
  let j = 5;
  for (; j < argv.length; j++) {
    const p = parseIdOrNull(argv[j]!, 0n, true);
    if (!p) break;
    ids.push(p.id);
  }
  const now = ctx.now;
  let deliveryTime = -1n;
  let retryCount = -1n;
  let force = false;
  let justId = false;
  let lastId = MIN_ID;
  for (; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    const opt = argv[j]!;
    if (is(opt, 'force')) force = true;
    else if (is(opt, 'justid')) justId = true;
    else if (is(opt, 'idle') && more) {
      j++;
      deliveryTime = BigInt.asIntN(64, BigInt(now) - parseLongLong(argv[j]!, 'Invalid IDLE option argument for XCLAIM'));
    } else if (is(opt, 'time') && more) {
      j++;
      deliveryTime = parseLongLong(argv[j]!, 'Invalid TIME option argument for XCLAIM');
    } else if (is(opt, 'retrycount') && more) {
      j++;
      retryCount = parseLongLong(argv[j]!, 'Invalid RETRYCOUNT option argument for XCLAIM');
    } else if (is(opt, 'lastid') && more) {
      j++;
      lastId = parseStrictId(argv[j]!);
    } else throw new ReplyError(`Unrecognized XCLAIM option '${opt.split('\0')[0]!}'`);
  }
  let propagateLastId = false;
  if (cmpId(lastId, group.lastId) > 0) {
    group.lastId = lastId;
    propagateLastId = true;
  }
  const when = deliveryTime === -1n || deliveryTime < 0n || deliveryTime > BigInt(now) ? now : Number(deliveryTime);
  let consumer: Consumer | null = null;
  const claimed: Array<StreamID | StreamEntry> = [];
  const site = siteOf(ctx);
  for (const id of ids) {
    let nack = group.pel.get(id);
    const entry = s.find(id);
    if (!entry) {
      if (nack) {
        propagateLastId = false;
        engine.dirty++;
        dropNack(group, id, nack);
      }
      continue;
    }
    if (force && !nack) {
      nack = { deliveryTime: now, deliveryCount: 1, consumer: null };
      group.pel.insert(id, nack);
    }
    if (!nack) continue;
    if (nack.consumer && minIdle && BigInt(now - nack.deliveryTime) < minIdle) continue;
    consumer ??= lookupOrCreateConsumer(site, group, argv[3]!, key, now);
    if (nack.consumer !== consumer) nack.consumer?.pel.remove(id);
    nack.deliveryTime = when;
    if (retryCount >= 0n) nack.deliveryCount = Number(retryCount);
    else if (!justId) nack.deliveryCount++;
    if (nack.consumer !== consumer) {
      consumer.pel.insert(id, nack);
      nack.consumer = consumer;
    }
    claimed.push(justId ? id : entry);
    propagateLastId = false;
    engine.dirty++;
  }
  if (propagateLastId) engine.dirty++;
  reply.arrayLen(claimed.length);
  for (const c of claimed) {
    if ('fields' in c) replyEntry(reply, c);
    else reply.bulk(idStr(c));
  }
}

function xautoclaim(ctx: Ctx, argv: string[]): void {
  const { engine, db, reply } = ctx;
  const key = argv[1]!;
  const o = db.read(key);
  let minIdle = parseLongLong(argv[4]!, 'Invalid min-idle-time argument for XAUTOCLAIM');
  if (minIdle < 0n) minIdle = 0n;
  const start = parseRangeStart(argv[5]!);
  let count = 100n;
  let justId = false;
  const maxCount = LLONG_MAX / 16n;
  for (let j = 6; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (is(argv[j], 'count') && more) {
      count = parseLongLong(argv[j + 1]!, 'COUNT must be > 0');
      if (count < 1n || count > maxCount) throw new ReplyError('COUNT must be > 0');
      j++;
    } else if (is(argv[j], 'justid')) justId = true;
    else syntaxError();
  }
  const s = asStream(o);
  const group = s?.group(argv[2]!);
  if (!s || !group) throw new ReplyError(`-NOGROUP No such key '${key}' or consumer group '${argv[2]!}'`);
  if (count * 16n > BigInt(totalmem())) throw new ReplyError('Insufficient memory, failed allocating transient memory, COUNT too high.');
  let attempts = count * 10n;
  const now = ctx.now;
  const pel = group.pel;
  const claimed: Array<StreamID | StreamEntry> = [];
  const deleted: StreamID[] = [];
  let consumer: Consumer | null = null;
  const site = siteOf(ctx);
  let i = pel.seek(start);
  while (attempts-- > 0n && count > 0n && i < pel.size) {
    const id = pel.ids[i]!;
    const nack = pel.vals[i]!;
    const entry = s.find(id);
    if (!entry) {
      engine.dirty++;
      dropNack(group, id, nack);
      deleted.push(id);
      count--;
      continue;
    }
    i++;
    if (minIdle && BigInt(now - nack.deliveryTime) < minIdle) continue;
    consumer ??= lookupOrCreateConsumer(site, group, argv[3]!, key, now);
    // giveNack changes only consumer PELs, so the group PEL index stays valid.
    nack.deliveryTime = now;
    if (!justId) nack.deliveryCount++;
    giveNack(id, nack, consumer);
    claimed.push(justId ? id : entry);
    count--;
    engine.dirty++;
  }
  const cursor = i < pel.size ? pel.ids[i]! : MIN_ID;
  reply.arrayLen(3);
  reply.bulk(idStr(cursor));
  reply.arrayLen(claimed.length);
  for (const c of claimed) {
    if ('fields' in c) replyEntry(reply, c);
    else reply.bulk(idStr(c));
  }
  reply.arrayLen(deleted.length);
  for (const id of deleted) reply.bulk(idStr(id));
}

// --- XINFO ------------------------------------------------------------------------------------

function replyLag(reply: ReplyWriter, s: Stream, g: ConsumerGroup): void {
  const lag = s.lag(g);
  if (lag === null) reply.nullBulk();
  else reply.int(lag);
}

function replyEntriesRead(reply: ReplyWriter, g: ConsumerGroup): void {
  if (g.entriesRead === -1n) reply.nullBulk();
  else reply.int(g.entriesRead);
}

function xinfoStream(ctx: Ctx, argv: string[], s: Stream): void {
  const { reply } = ctx;
  const opts = argv.slice(3);
  let full = false;
  let count = 10n;
  if (opts.length > 0) {
    if (opts.length !== 1 && opts.length !== 3) subcommandSyntax(argv);
    if (!is(opts[0], 'full')) subcommandSyntax(argv);
    if (opts.length === 3) {
      if (!is(opts[1], 'count')) subcommandSyntax(argv);
      count = parseLongLong(opts[2]!);
      if (count < 0n) count = 10n;
    }
    full = true;
  }
  reply.mapLen(full ? 9 : 10);
  reply.bulk('length');
  reply.int(s.length);
  reply.bulk('radix-tree-keys');
  reply.int(s.nodes.length);
  reply.bulk('radix-tree-nodes');
  reply.int(s.rax.numnodes);
  reply.bulk('last-generated-id');
  reply.bulk(idStr(s.lastId));
  reply.bulk('max-deleted-entry-id');
  reply.bulk(idStr(s.maxDeletedId));
  reply.bulk('entries-added');
  reply.int(s.entriesAdded);
  reply.bulk('recorded-first-entry-id');
  reply.bulk(idStr(s.firstId));
  if (!full) {
    reply.bulk('groups');
    reply.int(s.groups ? s.groups.size : 0);
    for (const [label, rev] of [
      ['first-entry', false],
      ['last-entry', true],
    ] as const) {
      reply.bulk(label);
      let emitted = false;
      for (const e of s.range(MIN_ID, MAX_ID, rev)) {
        replyEntry(reply, e);
        emitted = true;
        break;
      }
      if (!emitted) reply.nullBulk();
    }
    return;
  }
  const n = clampCount(count);
  reply.bulk('entries');
  replyRange(reply, s, MIN_ID, MAX_ID, n, false);
  reply.bulk('groups');
  const groups = s.sortedGroups();
  reply.arrayLen(groups.length);
  for (const [name, g] of groups) {
    reply.mapLen(7);
    reply.bulk('name');
    reply.bulk(name);
    reply.bulk('last-delivered-id');
    reply.bulk(idStr(g.lastId));
    reply.bulk('entries-read');
    replyEntriesRead(reply, g);
    reply.bulk('lag');
    replyLag(reply, s, g);
    reply.bulk('pel-count');
    reply.int(g.pel.size);
    reply.bulk('pending');
    const pn = n ? Math.min(n, g.pel.size) : g.pel.size;
    reply.arrayLen(pn);
    for (let i = 0; i < pn; i++) {
      const nack = g.pel.vals[i]!;
      reply.arrayLen(4);
      reply.bulk(idStr(g.pel.ids[i]!));
      reply.bulk(nack.consumer!.name);
      reply.int(nack.deliveryTime);
      reply.int(nack.deliveryCount);
    }
    reply.bulk('consumers');
    const consumers = g.sortedConsumers();
    reply.arrayLen(consumers.length);
    for (const c of consumers) {
      reply.mapLen(4);
      reply.bulk('name');
      reply.bulk(c.name);
      reply.bulk('seen-time');
      reply.int(c.seenTime);
      reply.bulk('pel-count');
      reply.int(c.pel.size);
      reply.bulk('pending');
      const cn = n ? Math.min(n, c.pel.size) : c.pel.size;
      reply.arrayLen(cn);
      for (let i = 0; i < cn; i++) {
        const nack = c.pel.vals[i]!;
        reply.arrayLen(3);
        reply.bulk(idStr(c.pel.ids[i]!));
        reply.int(nack.deliveryTime);
        reply.int(nack.deliveryCount);
      }
    }
  }
}

/** xinfoCommand: HELP first, then the key lookup every other subcommand shares. */
function xinfo(ctx: Ctx, argv: string[]): void {
  const { reply } = ctx;
  if (is(argv[1], 'help')) {
    if (argv.length !== 2) subcommandSyntax(argv);
    return replyHelp(ctx, argv[0]!, XINFO_HELP);
  }
  if (argv.length < 3) subcommandSyntax(argv);
  const opt = argv[1]!;
  const key = argv[2]!;
  const o = ctx.db.read(key);
  if (!o) throw new ReplyError(E.noSuchKey);
  const s = asStream(o)!;
  if (is(opt, 'consumers') && argv.length === 4) {
    const g = s.group(argv[3]!);
    if (!g) throw new ReplyError(`-NOGROUP No such consumer group '${argv[3]!}' for key name '${key}'`);
    const consumers = g.sortedConsumers();
    reply.arrayLen(consumers.length);
    for (const c of consumers) {
      reply.mapLen(3);
      reply.bulk('name');
      reply.bulk(c.name);
      reply.bulk('pending');
      reply.int(c.pel.size);
      reply.bulk('idle');
      reply.int(Math.max(0, ctx.now - c.seenTime));
    }
  } else if (is(opt, 'groups') && argv.length === 3) {
    const groups = s.sortedGroups();
    reply.arrayLen(groups.length);
    for (const [name, g] of groups) {
      reply.mapLen(6);
      reply.bulk('name');
      reply.bulk(name);
      reply.bulk('consumers');
      reply.int(g.consumers.size);
      reply.bulk('pending');
      reply.int(g.pel.size);
      reply.bulk('last-delivered-id');
      reply.bulk(idStr(g.lastId));
      reply.bulk('entries-read');
      replyEntriesRead(reply, g);
      reply.bulk('lag');
      replyLag(reply, s, g);
    }
  } else if (is(opt, 'stream')) xinfoStream(ctx, argv, s);
  else subcommandSyntax(argv);
}

// --- the table --------------------------------------------------------------------------------

const G = 'stream';
const W_FAST = ['write', 'stream', 'fast'];
const W_SLOW = ['write', 'stream', 'slow'];
const R_SLOW = ['read', 'stream', 'slow'];
const GROUP_KEY: [number, number, number] = [2, 2, 1];

export const streamsCommands: CommandSpec[] = [
  cmd('xadd', -5, ['write', 'denyoom', 'fast'], W_FAST, [1, 1, 1], G, xadd),
  cmd('xlen', 2, ['readonly', 'fast'], ['read', 'stream', 'fast'], [1, 1, 1], G, xlen),
  cmd('xrange', -4, ['readonly'], R_SLOW, [1, 1, 1], G, (ctx, argv) => xrangeGeneric(ctx, argv, false)),
  cmd('xrevrange', -4, ['readonly'], R_SLOW, [1, 1, 1], G, (ctx, argv) => xrangeGeneric(ctx, argv, true)),
  cmd('xdel', -3, ['write', 'fast'], W_FAST, [1, 1, 1], G, xdel),
  cmd('xtrim', -4, ['write'], W_SLOW, [1, 1, 1], G, xtrim),
  cmd('xsetid', -3, ['write', 'denyoom', 'fast'], W_FAST, [1, 1, 1], G, xsetid),
  cmd('xgroup', -2, [], ['slow'], [0, 0, 0], G, undefined, [
    cmd('xgroup|create', -5, ['write', 'denyoom'], W_SLOW, GROUP_KEY, G, xgroup),
    cmd('xgroup|setid', -5, ['write'], W_SLOW, GROUP_KEY, G, xgroup),
    cmd('xgroup|destroy', 4, ['write'], W_SLOW, GROUP_KEY, G, xgroup),
    cmd('xgroup|createconsumer', 5, ['write', 'denyoom'], W_SLOW, GROUP_KEY, G, xgroup),
    cmd('xgroup|delconsumer', 5, ['write'], W_SLOW, GROUP_KEY, G, xgroup),
    cmd('xgroup|help', 2, ['loading', 'stale'], ['stream', 'slow'], [0, 0, 0], G, xgroup),
  ]),
  cmd('xack', -4, ['write', 'fast'], W_FAST, [1, 1, 1], G, xack),
  cmd('xpending', -3, ['readonly'], R_SLOW, [1, 1, 1], G, xpending),
  cmd('xclaim', -6, ['write', 'fast'], W_FAST, [1, 1, 1], G, xclaim),
  cmd('xautoclaim', -6, ['write', 'fast'], W_FAST, [1, 1, 1], G, xautoclaim),
  cmd('xinfo', -2, [], ['slow'], [0, 0, 0], G, undefined, [
    cmd('xinfo|stream', -3, ['readonly'], R_SLOW, GROUP_KEY, G, xinfo),
    cmd('xinfo|groups', 3, ['readonly'], R_SLOW, GROUP_KEY, G, xinfo),
    cmd('xinfo|consumers', 4, ['readonly'], R_SLOW, GROUP_KEY, G, xinfo),
    cmd('xinfo|help', 2, ['loading', 'stale'], ['stream', 'slow'], [0, 0, 0], G, xinfo),
  ]),
];
