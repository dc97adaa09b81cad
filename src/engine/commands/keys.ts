// The generic keyspace commands (db.c, expire.c and OBJECT from object.c): commands that act on
// keys whatever their type. Each follows the lookup flavour Redis uses, because the flavour is
// observable: "read" lookups count keyspace hits/misses and refresh the access clock, "probe"
// lookups (EXISTS, TYPE, TTL, OBJECT) count but leave the clock alone, "write" lookups refresh
// without counting. All of them expire a key lazily first. Keys moved by RENAME/MOVE keep their
// access clocks (Redis moves the object), COPY makes a fresh object. Redis's shared integers
// (0..9999) show through OBJECT REFCOUNT and IDLETIME and are modelled here. FLUSH*/SWAPDB dirty
// WATCHers with multi.c's rules for keys that were already expired when watched.
// Keyspace events follow db.c/expire.c: read and probe misses raise "keymiss" (OBJECT's lookups
// do not), each change raises its generic event in the database it happened in ("del",
// "rename_from"/"rename_to", "move_from"/"move_to", "copy_to", "expire", "persist"), and
// FLUSH*/SWAPDB raise none.

import { replyHelp } from './help.js';
import { cmd, type CommandSpec, type Ctx } from '../command.js';
import { E, ReplyError } from '../errors.js';
import { is, parseBigInt } from '../args.js';
import { globMatch } from '../glob.js';
import type { Db, Entry } from '../keyspace.js';
import type { Engine } from '../engine.js';
import { cloneObj, type RObj } from '../types/objects.js';
import { accessEntry, lfuDecrAndReturn } from '../evict.js';
import { notifyEvent, type NotifyClass } from '../notify.js';
import { cancelBgsave, saveNow, saveParams } from '../persist/state.js';
import { parseScanCursor, parseScanOptions, scanMatches, scanSlots } from './keys-scan.js';

// --- lookups and access clocks -----------------------------------------------------------------

type LookupMode = 'read' | 'probe' | 'inspect' | 'write';

/** What each lookup flavour does besides lazy expiry (lookupKey's LOOKUP_* flags). */
const LOOKUP: Record<LookupMode, { touch: boolean; stats: boolean; missEvent: boolean }> = {
  read: { touch: true, stats: true, missEvent: true }, // lookupKeyRead
  probe: { touch: false, stats: true, missEvent: true }, // lookupKeyReadWithFlags(LOOKUP_NOTOUCH)
  inspect: { touch: false, stats: true, missEvent: false }, // ...(LOOKUP_NOTOUCH|LOOKUP_NONOTIFY): OBJECT
  write: { touch: true, stats: false, missEvent: false }, // lookupKeyWrite
};

/** A keyspace event in `db`, which need not be the client's selected database (MOVE, COPY DB). */
function notifyIn(ctx: Ctx, db: Db, cls: NotifyClass, event: string, key: string): void {
  if (ctx.engine.notifyFlags !== '') notifyEvent(ctx.engine, cls, event, key, db.id, ctx.client);
}

function lookup(ctx: Ctx, db: Db, key: string, mode: LookupMode): Entry | undefined {
  db.expireIfNeeded(key);
  const e = db.entry(key);
  const how = LOOKUP[mode];
  if (how.stats) {
    if (e) ctx.engine.stats.keyspaceHits++;
    else ctx.engine.stats.keyspaceMisses++;
  }
  if (!e && how.missEvent) notifyIn(ctx, db, 'm', 'keymiss', key);
  if (e && how.touch) accessed(ctx.engine, e, ctx.now);
  return e;
}

function policy(engine: Engine): string {
  return engine.config.get('maxmemory-policy');
}

function lfuPolicy(engine: Engine): boolean {
  return engine.lfuPolicy;
}

/**
 * Int-encoded strings that are private copies: Redis shares the integers 0..9999 between keys
 * (OBJECT REFCOUNT reports them as shared) but COPY duplicates the object, which is then private.
 */
const privateInts = new WeakSet<RObj>();

/** Redis's OBJ_SHARED_REFCOUNT (INT_MAX), reported for the shared integers 0..9999. */
const SHARED_REFCOUNT = 2147483647;
const SHARED_INTEGERS = 10_000;

/** Redis stops sharing integers when maxmemory is set with an LRU or LFU policy (each key needs its own clock). */
function sharedIntegers(engine: Engine): boolean {
  const p = policy(engine);
  return (engine.config.num['maxmemory'] ?? 0) === 0 || !(p.endsWith('-lru') || p.endsWith('-lfu'));
}

/** True for a value Redis would hold as one of its shared integer objects. */
function isShared(engine: Engine, o: RObj): boolean {
  if (o.type !== 'string' || o.enc !== 'int' || privateInts.has(o)) return false;
  const n = Number(o.v);
  return n >= 0 && n < SHARED_INTEGERS && sharedIntegers(engine);
}

/**
 * The shared integers 0..9999 are one object per value in Redis, so they share one access
 * clock: a key holding "5" looks idle since the server started or since any key holding 5 was
 * last read. Kept per engine: value -> last access (unix ms).
 */
const sharedClocks = new WeakMap<Engine, Map<number, number>>();

function sharedClock(engine: Engine): Map<number, number> {
  let m = sharedClocks.get(engine);
  if (!m) sharedClocks.set(engine, (m = new Map()));
  return m;
}

/** An access refreshes the LRU clock, or under an LFU policy decays then bumps the counter. */
function accessed(engine: Engine, e: Entry, now: number): void {
  if (!engine.lfuPolicy && isShared(engine, e.value)) sharedClock(engine).set(Number(e.value.v), now);
  accessEntry(engine, e, now);
}

/** Adds `value` under `key` in `db` with the access clocks of `from` (the object moved). */
function addMoved(db: Db, key: string, from: Entry): void {
  db.add(key, from.value);
  const e = db.entry(key)!;
  e.lru = from.lru;
  e.lfu = from.lfu;
}

// --- DEL, UNLINK, EXISTS, TYPE, TOUCH, DBSIZE, RANDOMKEY ----------------------------------------

function del(ctx: Ctx, argv: string[]): void {
  let n = 0;
  for (let i = 1; i < argv.length; i++) {
    const key = argv[i]!;
    ctx.db.expireIfNeeded(key);
    if (ctx.db.delete(key)) {
      notifyIn(ctx, ctx.db, 'g', 'del', key);
      n++;
    }
  }
  ctx.engine.dirty += n;
  ctx.reply.int(n);
}

/** EXISTS and TOUCH: how many of the named keys exist (repeats count again). */
function countExisting(mode: LookupMode) {
  return (ctx: Ctx, argv: string[]): void => {
    let n = 0;
    for (let i = 1; i < argv.length; i++) if (lookup(ctx, ctx.db, argv[i]!, mode)) n++;
    ctx.reply.int(n);
  };
}

function type(ctx: Ctx, argv: string[]): void {
  const e = lookup(ctx, ctx.db, argv[1]!, 'probe');
  ctx.reply.simple(e ? e.value.type : 'none');
}

function randomkey(ctx: Ctx): void {
  const db = ctx.db;
  // Each expired pick is deleted, so this ends: with a live key or an empty database.
  for (;;) {
    const key = db.dict.randomKey();
    if (key === undefined) {
      ctx.reply.nullBulk();
      return;
    }
    if (db.expires.has(key) && db.expireIfNeeded(key)) continue;
    ctx.reply.bulk(key);
    return;
  }
}

// --- RENAME, RENAMENX, MOVE, COPY ---------------------------------------------------------------

function rename(nx: boolean) {
  return (ctx: Ctx, argv: string[]): void => {
    const { db, reply } = ctx;
    const src = argv[1]!;
    const dst = argv[2]!;
    const from = lookup(ctx, db, src, 'write');
    if (!from) throw new ReplyError(E.noSuchKey);
    if (src === dst) {
      if (nx) reply.int(0);
      else reply.ok();
      return;
    }
    const expire = db.getExpire(src);
    if (lookup(ctx, db, dst, 'write')) {
      if (nx) {
        reply.int(0);
        return;
      }
      db.remove(dst);
    }
    addMoved(db, dst, from);
    if (expire !== undefined) db.setExpire(dst, expire);
    db.delete(src);
    notifyIn(ctx, db, 'g', 'rename_from', src);
    notifyIn(ctx, db, 'g', 'rename_to', dst);
    ctx.engine.dirty++;
    if (nx) reply.int(1);
    else reply.ok();
  };
}

const INT_MIN = -(2n ** 31n);
const INT_MAX = 2n ** 31n - 1n;

/**
 * A database index argument: getIntFromObjectOrReply (a custom message replaces both of its
 * errors; without one, a 64-bit integer outside int range has its own text), then selectDb's
 * range check.
 */
function dbArg(ctx: Ctx, arg: string, customMsg?: string): Db {
  const n = parseBigInt(arg, customMsg ?? E.notInt);
  if (n < INT_MIN || n > INT_MAX) {
    throw new ReplyError(customMsg ?? `value is out of range, value must between ${INT_MIN} and ${INT_MAX}`);
  }
  const db = ctx.engine.dbs[Number(n)];
  if (n < 0n || !db) throw new ReplyError(E.dbIndex);
  return db;
}

function move(ctx: Ctx, argv: string[]): void {
  const src = ctx.db;
  const key = argv[1]!;
  const dst = dbArg(ctx, argv[2]!);
  if (dst === src) throw new ReplyError(E.sameObject);
  const from = lookup(ctx, src, key, 'write');
  if (!from) {
    ctx.reply.int(0);
    return;
  }
  const expire = src.getExpire(key);
  if (lookup(ctx, dst, key, 'write')) {
    ctx.reply.int(0);
    return;
  }
  addMoved(dst, key, from);
  if (expire !== undefined) dst.setExpire(key, expire);
  src.delete(key);
  notifyIn(ctx, src, 'g', 'move_from', key);
  notifyIn(ctx, dst, 'g', 'move_to', key);
  ctx.engine.dirty++;
  ctx.reply.int(1);
}

function copy(ctx: Ctx, argv: string[]): void {
  const src = ctx.db;
  let dst = ctx.db;
  let replace = false;
  for (let j = 3; j < argv.length; j++) {
    if (is(argv[j], 'replace')) {
      replace = true;
    } else if (is(argv[j], 'db') && j + 1 < argv.length) {
      dst = dbArg(ctx, argv[++j]!);
    } else {
      throw new ReplyError(E.syntax);
    }
  }
  const key = argv[1]!;
  const newKey = argv[2]!;
  if (src === dst && key === newKey) throw new ReplyError(E.sameObject);
  const from = lookup(ctx, src, key, 'read');
  if (!from) {
    ctx.reply.int(0);
    return;
  }
  const expire = src.getExpire(key);
  const exists = lookup(ctx, dst, newKey, 'write') !== undefined;
  if (exists && !replace) {
    ctx.reply.int(0);
    return;
  }
  const value = cloneObj(from.value);
  if (value.type === 'string' && value.enc === 'int') privateInts.add(value);
  if (exists) dst.remove(newKey);
  dst.add(newKey, value);
  if (expire !== undefined) dst.setExpire(newKey, expire);
  notifyIn(ctx, dst, 'g', 'copy_to', newKey);
  ctx.engine.dirty++;
  ctx.reply.int(1);
}

// --- EXPIRE family, TTL family, PERSIST ----------------------------------------------------------

const I64_MAX = 2n ** 63n - 1n;
const I64_MIN = -(2n ** 63n);

/** The four setters differ in unit and in whether the time is relative to now. */
const EXPIRE_VARIANTS: Record<string, { seconds: boolean; relative: boolean }> = {
  expire: { seconds: true, relative: true },
  pexpire: { seconds: false, relative: true },
  expireat: { seconds: true, relative: false },
  pexpireat: { seconds: false, relative: false },
};

type ExpireFlag = 'nx' | 'xx' | 'gt' | 'lt';
const EXPIRE_FLAGS = new Set<string>(['nx', 'xx', 'gt', 'lt']);

function parseExpireFlags(argv: string[]): Set<ExpireFlag> {
  const flags = new Set<ExpireFlag>();
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j]!;
    const lower = opt.toLowerCase();
    if (!EXPIRE_FLAGS.has(lower)) throw new ReplyError(`Unsupported option ${opt}`);
    flags.add(lower as ExpireFlag);
  }
  if (flags.has('nx') && (flags.has('xx') || flags.has('gt') || flags.has('lt'))) {
    throw new ReplyError('NX and XX, GT or LT options at the same time are not compatible');
  }
  if (flags.has('gt') && flags.has('lt')) throw new ReplyError('GT and LT options at the same time are not compatible');
  return flags;
}

/** Whether the flags let the new absolute time `when` replace `current` (undefined = no TTL). */
function expireAllowed(flags: Set<ExpireFlag>, when: bigint, current: number | undefined): boolean {
  if (flags.has('nx') && current !== undefined) return false;
  if (flags.has('xx') && current === undefined) return false;
  // No TTL counts as an infinite one: GT never beats it, LT always does.
  if (flags.has('gt') && (current === undefined || when <= BigInt(current))) return false;
  if (flags.has('lt') && current !== undefined && when >= BigInt(current)) return false;
  return true;
}

function expireCommand(name: string) {
  const variant = EXPIRE_VARIANTS[name]!;
  const badTime = `invalid expire time in '${name}' command`;
  return (ctx: Ctx, argv: string[]): void => {
    const { db, reply } = ctx;
    const key = argv[1]!;
    const flags = parseExpireFlags(argv);
    let when = parseBigInt(argv[2]!);
    if (variant.seconds) {
      if (when > I64_MAX / 1000n || when < I64_MIN / 1000n) throw new ReplyError(badTime);
      when *= 1000n;
    }
    const base = variant.relative ? BigInt(ctx.now) : 0n;
    if (when > I64_MAX - base) throw new ReplyError(badTime);
    when += base;
    if (!lookup(ctx, db, key, 'write')) {
      reply.int(0);
      return;
    }
    if (flags.size > 0 && !expireAllowed(flags, when, db.getExpire(key))) {
      reply.int(0);
      return;
    }
    if (when <= BigInt(ctx.now)) {
      // A time in the past deletes the key (propagated as DEL in Redis).
      db.delete(key);
      notifyIn(ctx, db, 'g', 'del', key);
    } else {
      db.setExpire(key, Number(when));
      ctx.engine.touched(db, key);
      notifyIn(ctx, db, 'g', 'expire', key);
    }
    ctx.engine.dirty++;
    reply.int(1);
  };
}

/** TTL, PTTL, EXPIRETIME, PEXPIRETIME: unit of the reply, and remaining vs absolute time. */
const TTL_VARIANTS: Record<string, { ms: boolean; absolute: boolean }> = {
  ttl: { ms: false, absolute: false },
  pttl: { ms: true, absolute: false },
  expiretime: { ms: false, absolute: true },
  pexpiretime: { ms: true, absolute: true },
};

function ttlCommand(name: string) {
  const variant = TTL_VARIANTS[name]!;
  return (ctx: Ctx, argv: string[]): void => {
    const key = argv[1]!;
    if (!lookup(ctx, ctx.db, key, 'probe')) {
      ctx.reply.int(-2);
      return;
    }
    const at = ctx.db.getExpire(key);
    if (at === undefined) {
      ctx.reply.int(-1);
      return;
    }
    const t = Math.max(0, variant.absolute ? at : at - ctx.now);
    ctx.reply.int(variant.ms ? t : Math.floor((t + 500) / 1000));
  };
}

function persist(ctx: Ctx, argv: string[]): void {
  const key = argv[1]!;
  if (lookup(ctx, ctx.db, key, 'write') && ctx.db.persist(key)) {
    ctx.engine.touched(ctx.db, key);
    notifyIn(ctx, ctx.db, 'g', 'persist', key);
    ctx.engine.dirty++;
    ctx.reply.int(1);
  } else {
    ctx.reply.int(0);
  }
}

// --- KEYS, SCAN ---------------------------------------------------------------------------------

function keys(ctx: Ctx, argv: string[]): void {
  const pattern = argv[1]!;
  const all = pattern === '*';
  const out: string[] = [];
  // Logically expired keys are skipped but not deleted (keyIsExpired, not expireIfNeeded).
  for (const key of ctx.db.dict.keys()) {
    if ((all || globMatch(pattern, key)) && !ctx.db.isExpired(key, ctx.now)) out.push(key);
  }
  ctx.reply.bulks(out);
}

function scan(ctx: Ctx, argv: string[]): void {
  const db = ctx.db;
  const cursor = parseScanCursor(argv[1]!);
  const opts = parseScanOptions(argv, 2, true);
  const found: string[] = [];
  const next = scanSlots(db.dict, cursor, opts.count, (key) => found.push(key));
  const wantType = opts.type?.toLowerCase() ?? null;
  const out: string[] = [];
  for (const key of found) {
    if (!scanMatches(opts, key)) continue;
    if (wantType !== null) {
      // Redis looks the key up (expiring it, counting a hit or miss) to learn its type.
      const e = lookup(ctx, db, key, 'probe');
      if ((e ? e.value.type : 'none') !== wantType) continue;
    }
    if (db.expireIfNeeded(key)) continue;
    out.push(key);
  }
  ctx.reply.arrayLen(2);
  ctx.reply.bulk(next.toString());
  ctx.reply.bulks(out);
}

// --- OBJECT -------------------------------------------------------------------------------------

const OBJECT_HELP = [
  'ENCODING <key>',
  '    Name the internal representation of the value stored at <key>.',
  'FREQ <key>',
  '    Logarithmic access-frequency counter of <key> (only under an LFU maxmemory-policy).',
  'IDLETIME <key>',
  '    Seconds since <key> was last read or written (not tracked under an LFU policy).',
  'REFCOUNT <key>',
  '    Number of references held on the value stored at <key>.',
];

/** The OBJECT subcommands that inspect a key: a null reply when the key is missing. */
function objectInspect(answer: (ctx: Ctx, e: Entry) => void) {
  return (ctx: Ctx, argv: string[]): void => {
    const e = lookup(ctx, ctx.db, argv[2]!, 'inspect');
    if (!e) {
      ctx.reply.nullBulk();
      return;
    }
    answer(ctx, e);
  };
}

const objectEncoding = objectInspect((ctx, e) => ctx.reply.bulk(e.value.enc));

const objectRefcount = objectInspect((ctx, e) => ctx.reply.int(isShared(ctx.engine, e.value) ? SHARED_REFCOUNT : 1));

const objectIdletime = objectInspect((ctx, e) => {
  if (lfuPolicy(ctx.engine)) {
    throw new ReplyError(
      'An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
    );
  }
  const engine = ctx.engine;
  const last = isShared(engine, e.value) ? (sharedClock(engine).get(Number(e.value.v)) ?? engine.startedAt) : e.lru;
  // The LRU clock has a one-second resolution.
  ctx.reply.int(Math.max(0, Math.floor(ctx.now / 1000) - Math.floor(last / 1000)));
});

const objectFreq = objectInspect((ctx, e) => {
  if (!lfuPolicy(ctx.engine)) {
    throw new ReplyError(
      'An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
    );
  }
  ctx.reply.int(lfuDecrAndReturn(ctx.engine, e, ctx.now));
});

function objectHelp(ctx: Ctx): void {
  replyHelp(ctx, 'object', OBJECT_HELP);
}

// --- FLUSHDB, FLUSHALL, SWAPDB ------------------------------------------------------------------

/**
 * touchAllWatchedKeysInDb: before `emptied` loses its contents (and, for SWAPDB, receives those
 * of `replacedWith`), every client watching a key that exists in either is dirtied, except that
 * a key already expired when watched that is now simply gone, or stays expired, is no change,
 * and a missing key replaced by an expired one only becomes "watched while expired".
 */
function touchWatchedInDb(engine: Engine, emptied: Db, replacedWith: Db | null, now: number): void {
  if (engine.watchedKeys.size === 0) return;
  const prefix = `${emptied.id}\0`;
  for (const [id, clients] of engine.watchedKeys) {
    if (!id.startsWith(prefix)) continue;
    const key = id.slice(prefix.length);
    const inEmptied = emptied.dict.has(key);
    const inReplacement = replacedWith !== null && replacedWith.dict.has(key);
    if (!inEmptied && !inReplacement) continue;
    for (const client of clients) {
      const wk = client.watched.find((w) => w.db === emptied && w.key === key);
      if (wk?.expired) {
        if (!inReplacement) {
          wk.expired = false;
          continue;
        }
        if (replacedWith!.isExpired(key, now)) continue;
      } else if (wk && !inEmptied && replacedWith!.isExpired(key, now)) {
        wk.expired = true;
        continue;
      }
      client.dirtyCas = true;
    }
  }
}

/** FLUSHDB/FLUSHALL take nothing, SYNC or ASYNC (both flush at once here). */
function checkFlushArgs(argv: string[]): void {
  if (argv.length === 1) return;
  if (argv.length === 2 && (is(argv[1], 'sync') || is(argv[1], 'async'))) return;
  throw new ReplyError(E.syntax);
}

function flushDbs(ctx: Ctx, dbs: readonly Db[]): number {
  let removed = 0;
  for (const db of dbs) touchWatchedInDb(ctx.engine, db, null, ctx.now);
  for (const db of dbs) removed += db.flush();
  ctx.engine.tracking.flushed();
  ctx.engine.dirty += removed;
  return removed;
}

function flushdb(ctx: Ctx, argv: string[]): void {
  checkFlushArgs(argv);
  flushDbs(ctx, [ctx.db]);
  ctx.reply.ok();
}

function flushall(ctx: Ctx, argv: string[]): void {
  checkFlushArgs(argv);
  flushDbs(ctx, ctx.engine.dbs);
  // flushAllDataAndResetRDB: a running background save is abandoned and, when save points are
  // configured, the now empty dataset is saved at once (which resets the change count).
  cancelBgsave(ctx.engine);
  if (saveParams(ctx.engine).length > 0) saveNow(ctx.engine);
  ctx.reply.ok();
}

/** Exchanges the keys and TTLs of two databases; the Db objects (and who waits on them) stay. */
function swapContents(a: Db, b: Db): void {
  const aKeys = [...a.dict.entries()];
  const bKeys = [...b.dict.entries()];
  const aTtl = [...a.expires];
  const bTtl = [...b.expires];
  a.dict.clear();
  b.dict.clear();
  a.expires.clear();
  b.expires.clear();
  for (const [k, e] of bKeys) a.dict.set(k, e);
  for (const [k, e] of aKeys) b.dict.set(k, e);
  for (const [k, t] of bTtl) a.expires.set(k, t);
  for (const [k, t] of aTtl) b.expires.set(k, t);
  [a.avgTtl, b.avgTtl] = [b.avgTtl, a.avgTtl];
}

function swapdb(ctx: Ctx, argv: string[]): void {
  const a = dbArg(ctx, argv[1]!, 'invalid first DB index');
  const b = dbArg(ctx, argv[2]!, 'invalid second DB index');
  if (a !== b) {
    touchWatchedInDb(ctx.engine, a, b, ctx.now);
    touchWatchedInDb(ctx.engine, b, a, ctx.now);
    swapContents(a, b);
    ctx.engine.memory.dictsCleared(); // per-db totals follow the entries
    // Clients blocked on a key that exists after the swap may now be served.
    for (const db of [a, b]) for (const key of db.dict.keys()) ctx.engine.ready(db, key);
  }
  ctx.engine.dirty++;
  ctx.reply.ok();
}

// --- the table ----------------------------------------------------------------------------------

const KS_WRITE_FAST = ['keyspace', 'write', 'fast'];
const KS_READ_FAST = ['keyspace', 'read', 'fast'];
const KS_READ_SLOW = ['keyspace', 'read', 'slow'];

function objectSub(name: string, handler: (ctx: Ctx, argv: string[]) => void): CommandSpec {
  return cmd(`object|${name}`, 3, ['readonly'], KS_READ_SLOW, [2, 2, 1], 'generic', handler);
}

export const keysCommands: CommandSpec[] = [
  cmd('del', -2, ['write'], ['keyspace', 'write', 'slow'], [1, -1, 1], 'generic', del),
  cmd('unlink', -2, ['write', 'fast'], KS_WRITE_FAST, [1, -1, 1], 'generic', del),
  cmd('exists', -2, ['readonly', 'fast'], KS_READ_FAST, [1, -1, 1], 'generic', countExisting('probe')),
  cmd('touch', -2, ['readonly', 'fast'], KS_READ_FAST, [1, -1, 1], 'generic', countExisting('read')),
  cmd('type', 2, ['readonly', 'fast'], KS_READ_FAST, [1, 1, 1], 'generic', type),
  cmd('rename', 3, ['write'], ['keyspace', 'write', 'slow'], [1, 2, 1], 'generic', rename(false)),
  cmd('renamenx', 3, ['write', 'fast'], KS_WRITE_FAST, [1, 2, 1], 'generic', rename(true)),
  ...Object.keys(EXPIRE_VARIANTS).map((name) =>
    cmd(name, -3, ['write', 'fast'], KS_WRITE_FAST, [1, 1, 1], 'generic', expireCommand(name)),
  ),
  ...Object.keys(TTL_VARIANTS).map((name) => cmd(name, 2, ['readonly', 'fast'], KS_READ_FAST, [1, 1, 1], 'generic', ttlCommand(name))),
  cmd('persist', 2, ['write', 'fast'], KS_WRITE_FAST, [1, 1, 1], 'generic', persist),
  cmd('keys', 2, ['readonly'], ['keyspace', 'read', 'slow', 'dangerous'], [0, 0, 0], 'generic', keys),
  cmd('scan', -2, ['readonly'], KS_READ_SLOW, [0, 0, 0], 'generic', scan),
  cmd('randomkey', 1, ['readonly'], KS_READ_SLOW, [0, 0, 0], 'generic', randomkey),
  cmd('move', 3, ['write', 'fast'], KS_WRITE_FAST, [1, 1, 1], 'generic', move),
  cmd('copy', -3, ['write', 'denyoom'], ['keyspace', 'write', 'slow'], [1, 2, 1], 'generic', copy),
  cmd('object', -2, [], ['slow'], [0, 0, 0], 'generic', undefined, [
    cmd('object|help', 2, ['loading', 'stale'], ['keyspace', 'slow'], [0, 0, 0], 'generic', objectHelp),
    objectSub('encoding', objectEncoding),
    objectSub('freq', objectFreq),
    objectSub('idletime', objectIdletime),
    objectSub('refcount', objectRefcount),
  ]),
  cmd('dbsize', 1, ['readonly', 'fast'], KS_READ_FAST, [0, 0, 0], 'server', (ctx) => ctx.reply.int(ctx.db.size)),
  cmd('swapdb', 3, ['write', 'fast'], ['keyspace', 'write', 'fast', 'dangerous'], [0, 0, 0], 'server', swapdb),
  cmd('flushdb', -1, ['write'], ['keyspace', 'write', 'slow', 'dangerous'], [0, 0, 0], 'server', flushdb),
  cmd('flushall', -1, ['write'], ['keyspace', 'write', 'slow', 'dangerous'], [0, 0, 0], 'server', flushall),
];
