// The set commands (t_set.c, Redis 7.0): SADD, SREM, SCARD, SISMEMBER, SMISMEMBER, SMEMBERS,
// SMOVE, SPOP, SRANDMEMBER, the algebra (SINTER, SINTERCARD, SUNION, SDIFF and the *STORE forms)
// and SSCAN. The algebra follows Redis's algorithms step for step, not just their results:
// which set is iterated and which temporary set is filled decide the reply order (an intset
// answers sorted) and the encoding of a stored result. Writes raise t_set.c's keyspace events:
// "sadd"/"srem" only when something changed, "spop" once per SPOP that pops, SMOVE "srem" on the
// source before "sadd" on the destination, the *STORE forms their own name on a non-empty result
// or "del" when an empty result removes the destination, and "del" when a set empties.

import { cmd, type CommandSpec, type Ctx } from '../command.js';
import { ReplyError, syntaxError, wrongType } from '../errors.js';
import { is, parseBigInt } from '../args.js';
import { notify } from '../notify.js';
import type { SetObj } from '../types/objects.js';
import { emptyIntset, maxIntsetEntries, setAdd, setCreateFor, setHas, setMembers, setRandom, setRemove } from '../types/set.js';
import { distinctIndexes, distinctRandomKeys, parseRandomCount, replyScan } from './hashes.js';
import { parseScanCursor, parseScanOptions, scanMatches, scanSlots } from './keys-scan.js';

const LONG_MAX = 2n ** 63n - 1n;

/** lookupKeyRead + checkType: undefined when missing. */
function readSet(ctx: Ctx, key: string): SetObj | undefined {
  const o = ctx.db.read(key);
  if (o === undefined) return undefined;
  if (o.type !== 'set') wrongType();
  return o;
}

/** lookupKeyWrite + checkType. */
function writeSet(ctx: Ctx, key: string): SetObj | undefined {
  const o = ctx.db.write(key);
  if (o === undefined) return undefined;
  if (o.type !== 'set') wrongType();
  return o;
}

function modified(ctx: Ctx, key: string, changes: number): void {
  ctx.engine.touched(ctx.db, key);
  ctx.engine.dirty += changes;
}

/** Deletes a set that became empty, with its generic "del" event. */
function deleteEmptied(ctx: Ctx, key: string): void {
  ctx.db.delete(key);
  notify(ctx, 'g', 'del', key);
}

/** The event each store form raises when it stores a non-empty result. */
type StoreEvent = 'sinterstore' | 'sunionstore' | 'sdiffstore';
const STORE_EVENT: Record<'union' | 'diff', StoreEvent> = { union: 'sunionstore', diff: 'sdiffstore' };

/** An empty result removes the destination: counted and announced only when it existed. */
function dropDestination(ctx: Ctx, dst: string): void {
  if (!ctx.db.delete(dst)) return;
  ctx.engine.dirty++;
  notify(ctx, 'g', 'del', dst);
}

/** A set-typed reply (`~` in RESP3) of `members`. */
function replySet(ctx: Ctx, members: readonly string[]): void {
  ctx.reply.setLen(members.length);
  for (const m of members) ctx.reply.bulk(m);
}

/** Stores a computed set at `dst` (setKey) or deletes `dst` when it is empty; replies the size. */
function storeResult(ctx: Ctx, dst: string, result: SetObj, event: StoreEvent): void {
  const size = result.v.size;
  if (size > 0) {
    ctx.db.set(dst, result);
    ctx.reply.int(size);
    notify(ctx, 's', event, dst);
    ctx.engine.dirty++;
    return;
  }
  ctx.reply.int(0);
  dropDestination(ctx, dst);
}

// --- single-key commands ------------------------------------------------------------------

function sadd(ctx: Ctx, argv: string[]): void {
  const key = argv[1]!;
  let s = writeSet(ctx, key);
  if (!s) {
    s = setCreateFor(argv[2]!);
    ctx.db.add(key, s);
  }
  const max = maxIntsetEntries(ctx.engine);
  let added = 0;
  for (let i = 2; i < argv.length; i++) if (setAdd(s, argv[i]!, max)) added++;
  if (added > 0) {
    ctx.engine.touched(ctx.db, key);
    notify(ctx, 's', 'sadd', key);
  }
  ctx.engine.dirty += added;
  ctx.reply.int(added);
}

function srem(ctx: Ctx, argv: string[]): void {
  const key = argv[1]!;
  const s = writeSet(ctx, key);
  if (!s) {
    ctx.reply.int(0);
    return;
  }
  let deleted = 0;
  let removed = false;
  for (let i = 2; i < argv.length; i++) {
    if (!setRemove(s, argv[i]!)) continue;
    deleted++;
    if (s.v.size === 0) {
      ctx.db.delete(key);
      removed = true;
      break;
    }
  }
  if (deleted > 0) {
    modified(ctx, key, deleted);
    notify(ctx, 's', 'srem', key);
    if (removed) notify(ctx, 'g', 'del', key);
  }
  ctx.reply.int(deleted);
}

function smove(ctx: Ctx, argv: string[]): void {
  const [, src, dst, member] = argv as [string, string, string, string];
  const srcObj = ctx.db.write(src);
  const dstObj = ctx.db.write(dst);
  if (srcObj === undefined) {
    ctx.reply.int(0);
    return;
  }
  if (srcObj.type !== 'set' || (dstObj !== undefined && dstObj.type !== 'set')) wrongType();
  if (srcObj === dstObj) {
    ctx.reply.int(setHas(srcObj, member) ? 1 : 0);
    return;
  }
  if (!setRemove(srcObj, member)) {
    ctx.reply.int(0);
    return;
  }
  notify(ctx, 's', 'srem', src);
  if (srcObj.v.size === 0) deleteEmptied(ctx, src);
  let target = dstObj as SetObj | undefined;
  if (!target) {
    target = setCreateFor(member);
    ctx.db.add(dst, target);
  }
  modified(ctx, src, 1);
  if (setAdd(target, member, maxIntsetEntries(ctx.engine))) {
    modified(ctx, dst, 1);
    notify(ctx, 's', 'sadd', dst);
  }
  ctx.reply.int(1);
}

function sismember(ctx: Ctx, argv: string[]): void {
  const s = readSet(ctx, argv[1]!);
  ctx.reply.int(s && setHas(s, argv[2]!) ? 1 : 0);
}

function smismember(ctx: Ctx, argv: string[]): void {
  const s = readSet(ctx, argv[1]!);
  ctx.reply.arrayLen(argv.length - 2);
  for (let i = 2; i < argv.length; i++) ctx.reply.int(s && setHas(s, argv[i]!) ? 1 : 0);
}

function scard(ctx: Ctx, argv: string[]): void {
  ctx.reply.int(readSet(ctx, argv[1]!)?.v.size ?? 0);
}

// --- random access --------------------------------------------------------------------------

/** SPOP_MOVE_STRATEGY_MUL: below this ratio SPOP rebuilds the set from the survivors. */
const SPOP_MOVE_STRATEGY_MUL = 5;

function spop(ctx: Ctx, argv: string[]): void {
  if (argv.length > 3) syntaxError();
  if (argv.length === 3) {
    spopWithCount(ctx, argv);
    return;
  }
  const key = argv[1]!;
  const s = writeSet(ctx, key);
  if (!s) {
    ctx.reply.nullBulk();
    return;
  }
  const member = setRandom(s);
  setRemove(s, member);
  notify(ctx, 's', 'spop', key);
  ctx.reply.bulk(member);
  if (s.v.size === 0) deleteEmptied(ctx, key);
  modified(ctx, key, 1);
}

function spopWithCount(ctx: Ctx, argv: string[]): void {
  const key = argv[1]!;
  const l = parseBigInt(argv[2]!, 'value is out of range, must be positive');
  if (l < 0n) throw new ReplyError('value is out of range, must be positive');
  const s = writeSet(ctx, key);
  if (!s || l === 0n) {
    ctx.reply.setLen(0);
    return;
  }
  const size = s.v.size;
  notify(ctx, 's', 'spop', key);
  // CASE 1: everything goes; the reply is the set as SUNION would give it.
  if (l >= BigInt(size)) {
    ctx.engine.dirty += size;
    unionDiff(ctx, [key], null, 'union');
    deleteEmptied(ctx, key);
    return;
  }
  const count = Number(l);
  ctx.engine.dirty += count;
  let remaining = size - count;
  ctx.reply.setLen(count);
  if (remaining * SPOP_MOVE_STRATEGY_MUL > count) {
    // CASE 2: pop random members one by one.
    for (let i = 0; i < count; i++) {
      const m = setRandom(s);
      setRemove(s, m);
      ctx.reply.bulk(m);
    }
  } else {
    // CASE 3: move the survivors into a new set and return what is left of the old one.
    const max = maxIntsetEntries(ctx.engine);
    let survivors: SetObj | null = null;
    while (remaining-- > 0) {
      const m = setRandom(s);
      survivors ??= setCreateFor(m);
      setAdd(survivors, m, max);
      setRemove(s, m);
    }
    for (const m of setMembers(s)) ctx.reply.bulk(m);
    // dbOverwrite: the key keeps its TTL.
    s.enc = survivors!.enc;
    s.v = survivors!.v;
  }
  ctx.engine.touched(ctx.db, key);
}

/** SRANDMEMBER_SUB_STRATEGY_MUL: below this ratio distinct members are sampled from a copy. */
const SRANDMEMBER_SUB_STRATEGY_MUL = 3;

function srandmember(ctx: Ctx, argv: string[]): void {
  if (argv.length > 3) syntaxError();
  const r = ctx.reply;
  if (argv.length === 2) {
    const s = readSet(ctx, argv[1]!);
    if (!s) r.nullBulk();
    else r.bulk(setRandom(s));
    return;
  }
  const l = parseRandomCount(argv[2]!);
  const s = readSet(ctx, argv[1]!);
  if (!s || l === 0n) {
    r.arrayLen(0);
    return;
  }
  // CASE 1: negative count (repeats allowed) or a single member.
  if (l < 0n || l === 1n) {
    let count = Number(l < 0n ? -l : l);
    r.arrayLen(count);
    while (count-- > 0) r.bulk(setRandom(s));
    return;
  }
  const size = s.v.size;
  // CASE 2: the whole set, in its iteration order.
  if (l >= BigInt(size)) {
    r.arrayLen(size);
    for (const m of setMembers(s)) r.bulk(m);
    return;
  }
  // CASES 3-4: distinct members in no particular order (random picks when the set is much bigger).
  const count = Number(l);
  r.arrayLen(count);
  if (count * SRANDMEMBER_SUB_STRATEGY_MUL <= size) {
    for (const m of distinctRandomKeys(s.v, count)) r.bulk(m);
    return;
  }
  const members = setMembers(s);
  for (const i of distinctIndexes(size, count)) r.bulk(members[i]!);
}

// --- algebra --------------------------------------------------------------------------------

/**
 * sinterGenericCommand: SINTER, SMEMBERS, SINTERSTORE (dst) and SINTERCARD (cardOnly, limit).
 * The smallest set is iterated and every member checked against the others.
 */
function sinterGeneric(ctx: Ctx, keys: readonly string[], dst: string | null, cardOnly: boolean, limit: number): void {
  const sets: SetObj[] = [];
  let empty = false;
  for (const k of keys) {
    const s = readSet(ctx, k);
    if (s) sets.push(s);
    else empty = true;
  }
  if (empty) {
    if (dst !== null) {
      dropDestination(ctx, dst);
      ctx.reply.int(0);
    } else if (cardOnly) ctx.reply.int(0);
    else ctx.reply.setLen(0);
    return;
  }
  sets.sort((a, b) => a.v.size - b.v.size);
  const first = sets[0]!;
  const found: string[] = [];
  for (const m of setMembers(first)) {
    let inAll = true;
    for (let j = 1; j < sets.length; j++) {
      if (sets[j] === first) continue;
      if (!setHas(sets[j]!, m)) {
        inAll = false;
        break;
      }
    }
    if (!inAll) continue;
    found.push(m);
    if (cardOnly && limit > 0 && found.length >= limit) break;
  }
  if (cardOnly) ctx.reply.int(found.length);
  else if (dst !== null) {
    const result = emptyIntset();
    const max = maxIntsetEntries(ctx.engine);
    for (const m of found) setAdd(result, m, max);
    storeResult(ctx, dst, result, 'sinterstore');
  } else replySet(ctx, found);
}

/**
 * sunionDiffGenericCommand: SUNION, SDIFF and their *STORE forms. The result is built in a
 * temporary set that starts as an intset, with Redis's choice between its two SDIFF algorithms
 * (they can leave the result in different encodings).
 */
function unionDiff(ctx: Ctx, keys: readonly string[], dst: string | null, op: 'union' | 'diff'): void {
  const sets: Array<SetObj | undefined> = [];
  let sameSet = false;
  for (let j = 0; j < keys.length; j++) {
    const s = readSet(ctx, keys[j]!);
    sets.push(s);
    if (s && j > 0 && s === sets[0]) sameSet = true;
  }
  const max = maxIntsetEntries(ctx.engine);
  const result = emptyIntset();
  const first = sets[0];
  if (op === 'union') {
    for (const s of sets) if (s) for (const m of setMembers(s)) setAdd(result, m, max);
  } else if (first && !sameSet) {
    let oneWork = 0;
    let twoWork = 0;
    for (const s of sets) {
      if (!s) continue;
      oneWork += first.v.size;
      twoWork += s.v.size;
    }
    oneWork = Math.floor(oneWork / 2);
    if (oneWork <= twoWork) {
      // Algorithm 1: each member of the first set not found in any other (largest first).
      const others = sets.slice(1);
      others.sort((a, b) => (b?.v.size ?? 0) - (a?.v.size ?? 0));
      for (const m of setMembers(first)) {
        let keep = true;
        for (const s of others) {
          if (!s) continue;
          if (s === first || setHas(s, m)) {
            keep = false;
            break;
          }
        }
        if (keep) setAdd(result, m, max);
      }
    } else {
      // Algorithm 2: copy the first set, then remove every member of the others.
      for (let j = 0; j < sets.length; j++) {
        const s = sets[j];
        if (!s) continue;
        for (const m of setMembers(s)) {
          if (j === 0) setAdd(result, m, max);
          else setRemove(result, m);
        }
        if (result.v.size === 0) break;
      }
    }
  }
  if (dst !== null) storeResult(ctx, dst, result, STORE_EVENT[op]);
  else replySet(ctx, setMembers(result));
}

function sintercard(ctx: Ctx, argv: string[]): void {
  const numkeysMsg = 'numkeys should be greater than 0';
  const numkeys = parseBigInt(argv[1]!, numkeysMsg);
  if (numkeys < 1n) throw new ReplyError(numkeysMsg);
  if (numkeys > BigInt(argv.length - 2)) throw new ReplyError("Number of keys can't be greater than number of args");
  const n = Number(numkeys);
  let limit = 0;
  for (let j = 2 + n; j < argv.length; j++) {
    if (is(argv[j], 'limit') && j < argv.length - 1) {
      j++;
      const v = parseBigInt(argv[j]!, "LIMIT can't be negative");
      if (v < 0n) throw new ReplyError("LIMIT can't be negative");
      limit = v > LONG_MAX ? Number.MAX_SAFE_INTEGER : Number(v);
    } else syntaxError();
  }
  sinterGeneric(ctx, argv.slice(2, 2 + n), null, true, limit);
}

function sscan(ctx: Ctx, argv: string[]): void {
  let cursor = parseScanCursor(argv[2]!);
  const s = readSet(ctx, argv[1]!);
  if (!s) {
    replyScan(ctx, 0n, []);
    return;
  }
  const opts = parseScanOptions(argv, 3, false);
  const items: string[] = [];
  const visit = (m: string): void => {
    if (scanMatches(opts, m)) items.push(m);
  };
  if (s.enc === 'hashtable') cursor = scanSlots(s.v, cursor, opts.count, visit);
  else {
    for (const m of setMembers(s)) visit(m);
    cursor = 0n;
  }
  replyScan(ctx, cursor, items);
}

const W = ['write', 'set', 'fast'];
const R = ['read', 'set', 'fast'];
const RS = ['read', 'set', 'slow'];
const WS = ['write', 'set', 'slow'];

export const setsCommands: CommandSpec[] = [
  cmd('sadd', -3, ['write', 'denyoom', 'fast'], W, [1, 1, 1], 'set', sadd),
  cmd('srem', -3, ['write', 'fast'], W, [1, 1, 1], 'set', srem),
  cmd('scard', 2, ['readonly', 'fast'], R, [1, 1, 1], 'set', scard),
  cmd('sismember', 3, ['readonly', 'fast'], R, [1, 1, 1], 'set', sismember),
  cmd('smismember', -3, ['readonly', 'fast'], R, [1, 1, 1], 'set', smismember),
  cmd('smembers', 2, ['readonly'], RS, [1, 1, 1], 'set', (ctx, argv) => sinterGeneric(ctx, [argv[1]!], null, false, 0)),
  cmd('smove', 4, ['write', 'fast'], W, [1, 2, 1], 'set', smove),
  cmd('spop', -2, ['write', 'fast'], W, [1, 1, 1], 'set', spop),
  cmd('srandmember', -2, ['readonly'], RS, [1, 1, 1], 'set', srandmember),
  cmd('sinter', -2, ['readonly'], RS, [1, -1, 1], 'set', (ctx, argv) => sinterGeneric(ctx, argv.slice(1), null, false, 0)),
  cmd('sintercard', -3, ['readonly', 'movablekeys'], RS, [0, 0, 0], 'set', sintercard),
  cmd('sunion', -2, ['readonly'], RS, [1, -1, 1], 'set', (ctx, argv) => unionDiff(ctx, argv.slice(1), null, 'union')),
  cmd('sdiff', -2, ['readonly'], RS, [1, -1, 1], 'set', (ctx, argv) => unionDiff(ctx, argv.slice(1), null, 'diff')),
  cmd('sinterstore', -3, ['write', 'denyoom'], WS, [1, -1, 1], 'set', (ctx, argv) => sinterGeneric(ctx, argv.slice(2), argv[1]!, false, 0)),
  cmd('sunionstore', -3, ['write', 'denyoom'], WS, [1, -1, 1], 'set', (ctx, argv) => unionDiff(ctx, argv.slice(2), argv[1]!, 'union')),
  cmd('sdiffstore', -3, ['write', 'denyoom'], WS, [1, -1, 1], 'set', (ctx, argv) => unionDiff(ctx, argv.slice(2), argv[1]!, 'diff')),
  cmd('sscan', -3, ['readonly'], RS, [1, 1, 1], 'set', sscan),
];
