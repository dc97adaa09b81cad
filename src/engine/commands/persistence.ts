// The persistence command family: SAVE, BGSAVE [SCHEDULE], BGREWRITEAOF, DUMP and RESTORE. Thin handlers over
// engine/persistence (the file and payload formats live in formats/rdb/writer*.ts and
// persistence/decode.ts). BGSAVE runs without fork: see persistence/state.ts for how (a
// synchronous copy of the dataset, then serialization in slices on the event loop).

import { cmd, type CommandSpec, type Ctx } from '../command.js';
import { E, ReplyError } from '../errors.js';
import { parseBigInt, parseInteger } from '../args.js';
import { notifyEvent } from '../notify.js';
import { Crc64 } from '../../formats/rdb/crc64.js';
import { RDB_VERSION, dumpPayload } from '../../formats/rdb/writer.js';
import { BadFormat, LOADABLE_TYPES, RdbBytesCursor, decodeValue, loadLimits } from '../persist/decode.js';
import { toRdbValue } from '../persist/to-rdb.js';
import type { Engine } from '../engine.js';
import type { RObj } from '../types/objects.js';
import { persistenceOf, saveNow, startBgsave } from '../persist/state.js';
import { persistenceDebug } from '../persist/debug.js';
import { aofOf, startRewrite } from '../persist/aof.js';

function save(ctx: Ctx): void {
  if (persistenceOf(ctx.engine).bgsave) throw new ReplyError('Background save already in progress');
  if (!saveNow(ctx.engine)) throw new ReplyError('-ERR');
  ctx.reply.ok();
}

function bgsave(ctx: Ctx, argv: string[]): void {
  let schedule = false;
  if (argv.length > 1) {
    if (argv.length === 2 && argv[1]!.toLowerCase() === 'schedule') schedule = true;
    else throw new ReplyError(E.syntax);
  }
  const s = persistenceOf(ctx.engine);
  if (s.bgsave) throw new ReplyError('Background save already in progress');
  const aofBusy = aofOf(ctx.engine).rewrite !== null;
  if (aofBusy && !schedule && !ctx.client.inExec) {
    throw new ReplyError('Another child process is active (AOF?): can\'t BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.');
  }
  if (aofBusy || ctx.client.inExec) {
    s.bgsaveScheduled = true;
    ctx.reply.simple('Background saving scheduled');
    return;
  }
  if (!startBgsave(ctx.engine)) throw new ReplyError('-ERR');
  ctx.reply.simple('Background saving started');
}

/** BGREWRITEAOF: a rewrite without fork (persist/aof.ts); scheduled while a BGSAVE runs or inside EXEC. */
function bgrewriteaof(ctx: Ctx): void {
  const aof = aofOf(ctx.engine);
  if (aof.rewrite) throw new ReplyError('Background append only file rewriting already in progress');
  if (persistenceOf(ctx.engine).bgsave || ctx.client.inExec) {
    aof.rewriteScheduled = true;
    aof.consecutiveFailures = 0;
    ctx.reply.simple('Background append only file rewriting scheduled');
    return;
  }
  if (!startRewrite(ctx.engine)) throw new ReplyError("Can't execute an AOF background rewriting. Please check the server logs for more information.");
  ctx.reply.simple('Background append only file rewriting started');
}

/** createDumpPayload: a value as DUMP writes it (RDB encoding, version footer, CRC64). MIGRATE sends these. */
export function dumpOf(engine: Engine, o: RObj): Buffer {
  const fill = engine.config.num['list-max-listpack-size'] ?? -2;
  return dumpPayload(toRdbValue(o, fill), { compress: engine.config.get('rdbcompression') === 'yes' });
}

function dump(ctx: Ctx, argv: string[]): void {
  const o = ctx.db.read(argv[1]!);
  if (!o) {
    ctx.reply.nullBulk();
    return;
  }
  ctx.reply.bulk(dumpOf(ctx.engine, o).toString('latin1'));
}

/** verifyDumpPayload: footer version not newer than ours, CRC64 of everything before the CRC. */
function payloadOk(p: Buffer, skipChecksum: boolean): boolean {
  if (p.length < 10) return false;
  const version = p[p.length - 10]! | (p[p.length - 9]! << 8);
  if (version > RDB_VERSION) return false;
  if (skipChecksum) return true;
  const crc = new Crc64().update(p, 0, p.length - 8).value();
  return crc === p.readBigUInt64LE(p.length - 8);
}

function restore(ctx: Ctx, argv: string[]): void {
  let replace = false;
  let absttl = false;
  let idle = -1;
  let freq = -1;
  for (let j = 4; j < argv.length; j++) {
    const opt = argv[j]!.toLowerCase();
    const more = argv.length - j - 1;
    if (opt === 'replace') replace = true;
    else if (opt === 'absttl') absttl = true;
    else if (opt === 'idletime' && more >= 1 && freq === -1) {
      idle = parseInteger(argv[++j]!);
      if (idle < 0) throw new ReplyError('Invalid IDLETIME value, must be >= 0');
    } else if (opt === 'freq' && more >= 1 && idle === -1) {
      freq = parseInteger(argv[++j]!);
      if (freq < 0 || freq > 255) throw new ReplyError('Invalid FREQ value, must be >= 0 and <= 255');
    } else throw new ReplyError(E.syntax);
  }
  const key = argv[1]!;
  const { db, engine } = ctx;
  if (!replace && db.write(key) !== undefined) throw new ReplyError(E.busyKey);
  let ttl = parseBigInt(argv[2]!);
  if (ttl < 0n) throw new ReplyError('Invalid TTL value, must be >= 0');
  const payload = Buffer.from(argv[3]!, 'latin1');
  if (!payloadOk(payload, persistenceDebug(engine).skipChecksumValidation)) throw new ReplyError('DUMP payload version or checksum are wrong');
  let obj;
  try {
    const c = new RdbBytesCursor(payload, 0, payload.length - 10);
    const type = c.u8();
    if (!LOADABLE_TYPES.has(type)) throw new BadFormat('unknown type');
    obj = decodeValue(c, type, loadLimits(engine.config.num));
  } catch {
    // BadFormat, and anything a corrupt payload could still provoke (a RangeError on an absurd
    // size): a payload never takes the server down, it is just refused.
    throw new ReplyError('Bad data format');
  }
  if (obj === 'empty') throw new ReplyError('Bad data format');
  const deleted = replace ? db.delete(key) : false;
  if (ttl !== 0n && !absttl) ttl += BigInt(ctx.now);
  if (ttl !== 0n && ttl <= BigInt(ctx.now)) {
    // checkAlreadyExpired: the key is not created (a replaced one is deleted).
    if (deleted) {
      if (engine.notifyFlags !== '') notifyEvent(engine, 'g', 'del', key, db.id, ctx.client);
      engine.dirty++;
    }
    ctx.reply.ok();
    return;
  }
  db.add(key, obj);
  if (ttl !== 0n) db.setExpire(key, Number(ttl));
  // objectSetLRUOrLFU: FREQ counts under an LFU policy, IDLETIME under any other.
  const e = db.entry(key)!;
  if (engine.lfuPolicy) {
    if (freq >= 0) e.lfu = freq;
  } else if (idle >= 0) e.lru = ctx.now - idle * 1000;
  if (engine.notifyFlags !== '') notifyEvent(engine, 'g', 'restore', key, db.id, ctx.client);
  engine.dirty++;
  ctx.reply.ok();
}

const ADMIN = ['admin', 'slow', 'dangerous'];

export const persistenceCommands: CommandSpec[] = [
  cmd('save', 1, ['admin', 'noscript', 'no_async_loading', 'no_multi'], ADMIN, [0, 0, 0], 'server', save),
  cmd('bgrewriteaof', 1, ['admin', 'noscript', 'no_async_loading'], ADMIN, [0, 0, 0], 'server', bgrewriteaof),
  cmd('bgsave', -1, ['admin', 'noscript', 'no_async_loading'], ADMIN, [0, 0, 0], 'server', bgsave),
  cmd('dump', 2, ['readonly'], ['keyspace', 'read', 'slow'], [1, 1, 1], 'generic', dump),
  cmd('restore', -4, ['write', 'denyoom'], ['keyspace', 'write', 'slow', 'dangerous'], [1, 1, 1], 'generic', restore),
  // What a cluster's MIGRATE sends; without cluster mode it is RESTORE.
  cmd('restore-asking', -4, ['write', 'denyoom', 'asking'], ['keyspace', 'write', 'slow', 'dangerous'], [1, 1, 1], 'server', restore),
];
