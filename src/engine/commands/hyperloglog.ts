// HyperLogLog commands (hyperloglog.c): PFADD, PFCOUNT, PFMERGE, PFDEBUG, PFSELFTEST. An HLL is
// a string value (types/hll.ts holds the format), so these commands read and write ordinary
// string keys and must leave exactly Redis's bytes behind. Side effects follow Redis closely:
// - a value is "unshared" before any use (an embstr becomes raw, with an exact sds) without
//   signalling the key, as dbUnshareStringValue does;
// - PFADD signals, notifies "pfadd" and adds to dirty only when a register changed (dirty grows
//   by the number of changed registers, plus one for a created key);
// - PFCOUNT of one key writes the cardinality cache into the value when it was stale, and then
//   signals the key and counts one change, although it is a read command;
// - PFMERGE notifies "pfadd" on the destination; PFDEBUG GETREG/TODENSE count a change on
//   conversion but do not signal;
// - a corrupt sparse value fails where Redis fails, keeping the partial changes made before.

import { cmd, type CommandSpec, type Ctx } from '../command.js';
import { ReplyError, wrongType } from '../errors.js';
import { notify } from '../notify.js';
import { newRawString, type RObj, type StringObj } from '../types/objects.js';
import { currentSds, exactSds, setStringSds } from '../types/string-sds.js';
import {
  HLL_REGISTERS,
  HLL_SPARSE,
  INVALID_HLL,
  NOT_HLL,
  asSigned,
  cacheValid,
  cachedCard,
  cardinality,
  decodeSparse,
  hllAdd,
  hllText,
  histogramOf,
  histogramOfRaw,
  invalidateCache,
  isHllValue,
  mergeInto,
  newHll,
  openHll,
  registersOf,
  selfTest,
  setRegisters,
  sparseToDense,
  storeCard,
  type HllWork,
} from '../types/hll.js';

function sparseMaxBytes(ctx: Ctx): number {
  return ctx.engine.config.num['hll-sparse-max-bytes']!;
}

/** isHLLObjectOrReply: a string (not int-encoded) whose bytes look like an HLL. */
function asHll(o: RObj): StringObj {
  if (o.type !== 'string') wrongType();
  if (o.enc === 'int' || !isHllValue(o.v)) throw new ReplyError(NOT_HLL);
  return o;
}

/** dbUnshareStringValue: an embstr value becomes raw in place (no signal, memory recounted). */
function unshare(ctx: Ctx, key: string, o: StringObj): void {
  if (o.enc === 'raw') return;
  o.enc = 'raw';
  setStringSds(o, exactSds(o.v.length));
  ctx.engine.memory.keyChanged(ctx.db, key, ctx.db.entry(key));
}

/** Writes the worked bytes back into the key's value; `signal` = signalModifiedKey. */
function store(ctx: Ctx, key: string, o: StringObj, h: HllWork, signal: boolean): void {
  o.v = hllText(h);
  o.enc = 'raw';
  setStringSds(o, { ...h.sds, len: h.len });
  if (signal) ctx.engine.touched(ctx.db, key);
  else ctx.engine.memory.keyChanged(ctx.db, key, ctx.db.entry(key));
}

/** A new key holding the worked HLL (dbAdd). */
function addNew(ctx: Ctx, key: string, h: HllWork): void {
  const o = newRawString(hllText(h));
  setStringSds(o, { ...h.sds, len: h.len });
  ctx.db.add(key, o);
}

function pfadd(ctx: Ctx, argv: string[]): void {
  const key = argv[1]!;
  const found = ctx.db.write(key);
  const maxBytes = sparseMaxBytes(ctx);
  let o: StringObj | undefined;
  let h: HllWork;
  let updated = 0;
  if (found === undefined) {
    h = newHll();
    updated++;
  } else {
    o = asHll(found);
    unshare(ctx, key, o);
    h = openHll(o.v, currentSds(o));
  }
  for (let j = 2; j < argv.length; j++) {
    const r = hllAdd(h, argv[j]!, maxBytes);
    if (r === 1) updated++;
    else if (r === -1) {
      store(ctx, key, o!, h, false); // only an existing value can be corrupt
      throw new ReplyError(INVALID_HLL);
    }
  }
  if (updated) invalidateCache(h);
  if (o === undefined) addNew(ctx, key, h);
  else store(ctx, key, o, h, updated > 0);
  if (updated) {
    notify(ctx, '$', 'pfadd', key);
    ctx.engine.dirty += updated;
  }
  ctx.reply.int(updated ? 1 : 0);
}

function pfcount(ctx: Ctx, argv: string[]): void {
  if (argv.length > 2) {
    const max = new Uint8Array(HLL_REGISTERS);
    for (let j = 1; j < argv.length; j++) {
      const found = ctx.db.read(argv[j]!);
      if (found === undefined) continue;
      const o = asHll(found);
      if (!mergeInto(max, o.v)) throw new ReplyError(INVALID_HLL);
    }
    ctx.reply.int(asSigned(cardinality(histogramOfRaw(max))));
    return;
  }
  const key = argv[1]!;
  const found = ctx.db.read(key);
  if (found === undefined) return ctx.reply.int(0);
  const o = asHll(found);
  unshare(ctx, key, o);
  if (cacheValid(o.v)) return ctx.reply.int(cachedCard(o.v));
  const { histo, invalid } = histogramOf(o.v);
  const card = cardinality(histo);
  if (invalid) throw new ReplyError(INVALID_HLL);
  const h = openHll(o.v, currentSds(o));
  storeCard(h, card);
  store(ctx, key, o, h, true);
  ctx.engine.dirty++;
  ctx.reply.int(asSigned(card));
}

function pfmerge(ctx: Ctx, argv: string[]): void {
  const max = new Uint8Array(HLL_REGISTERS);
  let useDense = false;
  for (let j = 1; j < argv.length; j++) {
    const found = ctx.db.read(argv[j]!);
    if (found === undefined) continue;
    const o = asHll(found);
    if (o.v.charCodeAt(4) !== HLL_SPARSE) useDense = true;
    if (!mergeInto(max, o.v)) throw new ReplyError(INVALID_HLL);
  }
  const key = argv[1]!;
  const found = ctx.db.write(key);
  let o: StringObj | undefined;
  let h: HllWork;
  if (found === undefined) h = newHll();
  else {
    o = found as StringObj; // validated as a source above
    unshare(ctx, key, o);
    h = openHll(o.v, currentSds(o));
  }
  if (useDense && !sparseToDense(h)) {
    if (o === undefined) addNew(ctx, key, h);
    throw new ReplyError(INVALID_HLL);
  }
  setRegisters(h, max, sparseMaxBytes(ctx));
  invalidateCache(h);
  if (o === undefined) addNew(ctx, key, h);
  else store(ctx, key, o, h, true);
  notify(ctx, '$', 'pfadd', key);
  ctx.engine.dirty++;
  ctx.reply.ok();
}

/** PFDEBUG's conversion: false when the sparse value is corrupt. Counts a change, no signal. */
function toDense(ctx: Ctx, key: string, o: StringObj): boolean {
  const h = openHll(o.v, currentSds(o));
  if (!sparseToDense(h)) return false;
  store(ctx, key, o, h, false);
  ctx.engine.dirty++;
  return true;
}

const PFDEBUG: Record<string, (ctx: Ctx, key: string, o: StringObj) => void> = {
  getreg: (ctx, key, o) => {
    if (o.v.charCodeAt(4) === HLL_SPARSE && !toDense(ctx, key, o)) throw new ReplyError(INVALID_HLL);
    const regs = registersOf(openHll(o.v, currentSds(o)));
    ctx.reply.arrayLen(regs.length);
    for (const r of regs) ctx.reply.int(r);
  },
  decode: (ctx, _key, o) => {
    if (o.v.charCodeAt(4) !== HLL_SPARSE) throw new ReplyError('HLL encoding is not sparse');
    ctx.reply.bulk(decodeSparse(o.v));
  },
  encoding: (ctx, _key, o) => ctx.reply.simple(o.v.charCodeAt(4) === HLL_SPARSE ? 'sparse' : 'dense'),
  todense: (ctx, key, o) => {
    if (o.v.charCodeAt(4) !== HLL_SPARSE) return ctx.reply.int(0);
    if (!toDense(ctx, key, o)) throw new ReplyError(INVALID_HLL);
    ctx.reply.int(1);
  },
};

function pfdebug(ctx: Ctx, argv: string[]): void {
  const sub = argv[1]!;
  const key = argv[2]!;
  const found = ctx.db.write(key);
  if (found === undefined) throw new ReplyError('The specified key does not exist');
  const o = asHll(found);
  unshare(ctx, key, o);
  const run = PFDEBUG[sub.toLowerCase()];
  if (run === undefined) throw new ReplyError(`Unknown PFDEBUG subcommand '${sub}'`);
  run(ctx, key, o);
}

function pfselftest(ctx: Ctx): void {
  const failure = selfTest(sparseMaxBytes(ctx));
  if (failure !== null) throw new ReplyError(failure);
  ctx.reply.ok();
}

export const hyperloglogCommands: CommandSpec[] = [
  cmd('pfadd', -2, ['write', 'denyoom', 'fast'], ['write', 'hyperloglog', 'fast'], [1, 1, 1], 'hyperloglog', pfadd),
  cmd('pfcount', -2, ['readonly'], ['read', 'hyperloglog', 'slow'], [1, -1, 1], 'hyperloglog', pfcount),
  cmd('pfmerge', -2, ['write', 'denyoom'], ['write', 'hyperloglog', 'slow'], [1, -1, 1], 'hyperloglog', pfmerge),
  cmd('pfdebug', 3, ['write', 'denyoom', 'admin'], ['write', 'hyperloglog', 'admin', 'slow', 'dangerous'], [2, 2, 1], 'hyperloglog', pfdebug),
  cmd('pfselftest', 1, ['admin'], ['hyperloglog', 'admin', 'slow', 'dangerous'], [0, 0, 0], 'hyperloglog', pfselftest),
];
