// XREAD and XREADGROUP (xreadCommand in t_stream.c), the stream reads that may block. A read is
// first served synchronously from every stream that has something past the requested ID (for a
// group: past the group's last delivered ID for ">", or always for a consumer's history); when
// nothing was served and BLOCK was given, the client parks in the engine's Blocking registry with
// the ID per key ("$" resolved to the stream's last ID at blocking time, ">" kept as the maximum
// ID and re-read from the group when served). Inside MULTI it answers as on timeout.
//
// Serving a parked reader mirrors serveClientsBlockedOnStreamKey: a key whose stream's last ID
// moved past the reader's ID serves it (one stream, up to COUNT entries, 1000 by default when
// blocked); a group reader whose group was destroyed gets -NOGROUP, and one whose key was deleted
// or replaced by another type gets -UNBLOCKED. Plain XREAD readers of a deleted key keep waiting.

import { cmd, type CommandSpec, type Ctx } from '../command.js';
import { E, ReplyError, syntaxError } from '../errors.js';
import { is, parseBigInt } from '../args.js';
import type { Client } from '../client.js';
import type { Db } from '../keyspace.js';
import type { Engine } from '../engine.js';
import { isScriptClient } from '../scripting/script-client.js';
import { ReplyWriter } from '../../formats/resp/reply-writer.js';
import { MAX_ID, MIN_ID, cmpId, type ConsumerGroup, type StreamID } from '../types/stream.js';
import {
  asStream,
  lookupOrCreateConsumer,
  nextId,
  parseStrictId,
  replyConsumerHistory,
  replyRange,
  siteOf,
  type EventSite,
} from './streams.js';

/** XREAD_BLOCKED_DEFAULT_COUNT */
const BLOCKED_DEFAULT_COUNT = 1000;
const LONG_LIMIT = 2n ** 63n;

interface GroupSpec {
  name: string;
  consumer: string;
  noack: boolean;
}

const isMaxId = (id: StreamID): boolean => cmpId(id, MAX_ID) === 0;

/** The reply's outer level: an array of [key, entries] in RESP2, a map in RESP3. */
function outerLen(reply: ReplyWriter, n: number): void {
  if (reply.proto === 2) reply.arrayLen(n);
  else reply.mapLen(n);
}

function xread(ctx: Ctx, argv: string[]): void {
  const { engine, db, client, reply } = ctx;
  const xreadgroup = argv[0]!.length === 10;
  let timeout = -1n;
  let count = 0n;
  let streamsArg = 0;
  let streamsCount = 0;
  let group: GroupSpec | null = null;
  let noack = false;
  for (let i = 1; i < argv.length; i++) {
    const more = argv.length - i - 1;
    const o = argv[i]!;
    if (is(o, 'block') && more) {
      // BLOCK makes no sense inside a script; Redis refuses it by name rather than ignoring it.
      if (isScriptClient(client)) throw new ReplyError(`${argv[0]} command is not allowed with BLOCK option from scripts`);
      i++;
      timeout = parseBigInt(argv[i]!, 'timeout is not an integer or out of range');
      if (timeout < 0n) throw new ReplyError(E.timeoutNegative);
    } else if (is(o, 'count') && more) {
      i++;
      count = parseBigInt(argv[i]!);
      if (count < 0n) count = 0n;
    } else if (is(o, 'streams') && more) {
      streamsArg = i + 1;
      streamsCount = argv.length - streamsArg;
      if (streamsCount % 2 !== 0)
        throw new ReplyError("Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.");
      streamsCount /= 2;
      break;
    } else if (is(o, 'group') && more >= 2) {
      if (!xreadgroup) throw new ReplyError('The GROUP option is only supported by XREADGROUP. You called XREAD instead.');
      group = { name: argv[i + 1]!, consumer: argv[i + 2]!, noack: false };
      i += 2;
    } else if (is(o, 'noack')) {
      if (!xreadgroup) throw new ReplyError('The NOACK option is only supported by XREADGROUP. You called XREAD instead.');
      noack = true;
    } else syntaxError();
  }
  if (streamsArg === 0) syntaxError();
  if (xreadgroup && !group) throw new ReplyError('Missing GROUP option for XREADGROUP');
  if (group) group.noack = noack;

  const keys = argv.slice(streamsArg, streamsArg + streamsCount);
  const ids: StreamID[] = [];
  const groups: ConsumerGroup[] = [];
  for (let k = 0; k < streamsCount; k++) {
    const key = keys[k]!;
    const arg = argv[streamsArg + streamsCount + k]!;
    const s = asStream(db.read(key));
    if (group) {
      const g = s?.group(group.name);
      if (!g) throw new ReplyError(`-NOGROUP No such key '${key}' or consumer group '${group.name}' in XREADGROUP with GROUP option`);
      groups.push(g);
    }
    if (arg === '$') {
      if (xreadgroup)
        throw new ReplyError(
          'The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.',
        );
      ids.push(s ? s.lastId : MIN_ID);
    } else if (arg === '>') {
      if (!xreadgroup) throw new ReplyError('The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.');
      ids.push(MAX_ID);
    } else ids.push(parseStrictId(arg));
  }

  // Serve synchronously what can be served, stream by stream (a group read moves the group's last
  // ID before the next stream is considered). Redis writes each part as it goes and fixes the
  // outer length at the end; the parts go to a scratch writer for the same effect.
  const n = Number(count > BigInt(Number.MAX_SAFE_INTEGER) ? BigInt(Number.MAX_SAFE_INTEGER) : count);
  const parts = new ReplyWriter();
  parts.proto = reply.proto;
  let served = 0;
  for (let k = 0; k < streamsCount; k++) {
    const key = keys[k]!;
    const o = db.read(key);
    if (!o || o.type !== 'stream') continue;
    const s = o.v;
    let gt = ids[k]!;
    let now = false;
    let history = false;
    const g = group ? groups[k]! : null;
    if (g) {
      if (!isMaxId(gt)) {
        now = true;
        history = true;
      } else if (s.length && cmpId(s.lastValidId()!, g.lastId) > 0) {
        now = true;
        gt = g.lastId;
      }
    } else if (s.length && cmpId(s.lastValidId()!, gt) > 0) now = true;
    if (!now) continue;
    served++;
    const start = nextId(gt);
    if (parts.proto === 2) parts.arrayLen(2);
    parts.bulk(key);
    if (!g) {
      replyRange(parts, s, start, MAX_ID, n, false);
      continue;
    }
    const consumer = lookupOrCreateConsumer(siteOf(ctx), g, group!.consumer, key, ctx.now);
    if (history) replyConsumerHistory(parts, s, start, n, consumer, ctx.now);
    else replyRange(parts, s, start, MAX_ID, n, false, { group: g, consumer, noack, now: ctx.now });
    engine.dirty++;
  }
  if (served) {
    outerLen(reply, served);
    const written = parts.count;
    reply.raw(parts.take());
    reply.count += written;
    return;
  }
  if (timeout === -1n) return reply.nullArray();
  if (!engine.blocking.canBlock(client)) return reply.nullArray();
  const ms = timeout;
  const deadline = ms === 0n ? 0 : BigInt(ctx.now) + ms >= LONG_LIMIT ? ctx.now : ctx.now + Number(ms);
  // blockForKeys keeps the first ID of a key named twice.
  const waitIds = new Map<string, StreamID>();
  keys.forEach((key, k) => {
    if (!waitIds.has(key)) waitIds.set(key, ids[k]!);
  });
  const blockedCount = n ? n : BLOCKED_DEFAULT_COUNT;
  engine.blocking.block(client, {
    db,
    keys: [...waitIds.keys()],
    deadline,
    command: engine.commands.get(argv[0]!.toLowerCase())!,
    argv,
    startedAt: ctx.now,
    serve: (key) => serveStream(engine, client, db, key, waitIds, blockedCount, group),
    timeout: () => client.reply.nullArray(),
  });
}

/** Replies with an error to a parked client (its error stats as Redis counts them). */
function failBlocked(engine: Engine, client: Client, msg: string): true {
  engine.countError(msg);
  client.reply.error(msg);
  return true;
}

/** serveClientsBlockedOnStreamKey (and unblockDeletedStreamReadgroupClients) for one reader. */
function serveStream(engine: Engine, client: Client, db: Db, key: string, waitIds: Map<string, StreamID>, count: number, group: GroupSpec | null): boolean {
  const o = db.peek(key);
  if (!o || o.type !== 'stream') {
    if (!group) return false;
    // Let the registry come back for the next group reader of this key once this one is done.
    engine.blocking.signal(db, key);
    return failBlocked(engine, client, '-UNBLOCKED the stream key no longer exists');
  }
  const s = o.v;
  let gt = waitIds.get(key)!;
  let g: ConsumerGroup | undefined;
  if (group) {
    g = s.group(group.name);
    if (!g) return failBlocked(engine, client, '-NOGROUP the consumer group this client was blocked on no longer exists');
    gt = g.lastId;
    waitIds.set(key, gt);
  }
  if (cmpId(s.lastId, gt) <= 0) return false;
  const now = engine.now();
  const start = nextId(gt);
  const site: EventSite = { engine, db, running: null };
  const reply = client.reply;
  if (reply.proto === 2) {
    reply.arrayLen(1);
    reply.arrayLen(2);
  } else reply.mapLen(1);
  reply.bulk(key);
  if (!g || !group) replyRange(reply, s, start, MAX_ID, count, false);
  else {
    const consumer = lookupOrCreateConsumer(site, g, group.consumer, key, now);
    replyRange(reply, s, start, MAX_ID, count, false, { group: g, consumer, noack: group.noack, now });
  }
  return true;
}

const G = 'stream';

export const streamsBlockingCommands: CommandSpec[] = [
  cmd('xread', -4, ['readonly', 'blocking', 'movablekeys'], ['read', 'stream', 'slow', 'blocking'], [0, 0, 0], G, xread),
  cmd('xreadgroup', -7, ['write', 'blocking', 'movablekeys'], ['write', 'stream', 'slow', 'blocking'], [0, 0, 0], G, xread),
];
