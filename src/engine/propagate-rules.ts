// How a command that changed the dataset is written to the AOF (the effects Redis 7.0 propagates,
// not always the command as sent): one table, command name -> rule. A rule sees the argv, the
// command's frozen clock, the database after the command and, when it needs to, the reply the
// command wrote; it returns the commands to log ([] logs nothing). A command without a rule is
// logged as sent. The rewrites follow t_string.c, expire.c, t_set.c, t_hash.c, t_list.c, t_zset.c,
// t_stream.c and cluster.c (RESTORE); the same rules serve a blocked command when it is served
// later (BLPOP -> LPOP...), since the reply says what it popped either way.

import type { Engine } from './engine.js';
import type { Db } from './keyspace.js';
import type { RespValue } from '../formats/resp/reply-parser.js';
import { idStr } from './types/stream.js';

export interface PropInput {
  engine: Engine;
  argv: string[];
  /** The database the command ran in, as it is after the command. */
  db: Db;
  /** The command's clock (ms). */
  now: number;
  /** A blocked command served later (not the call that blocked). */
  served: boolean;
  /** The command's reply, parsed (lazily: only rules that call it pay for it). */
  reply: () => RespValue | undefined;
}

export type Rule = (p: PropInput) => string[][];

/** Commands logged even when they changed nothing (forceCommandPropagation). */
export const FORCED = new Set(['flushall', 'flushdb']);

const lazy = (p: PropInput, name: string): boolean => p.engine.config.get(`lazyfree-lazy-${name}`) === 'yes';
const delOp = (p: PropInput, key: string, which: string): string[] => [lazy(p, which) ? 'UNLINK' : 'DEL', key];
const exists = (p: PropInput, key: string): boolean => p.db.dict.has(key);
const expireOf = (p: PropInput, key: string): number | undefined => p.db.expires.get(key);

/** The bulk strings of an array/set reply (nested one level for [key, [elements]] replies). */
function items(v: RespValue | undefined): RespValue[] {
  return v && (v.t === 'array' || v.t === 'set' || v.t === 'push') ? v.v : [];
}
const text = (v: RespValue | undefined): string | undefined => (v && (v.t === 'bulk' || v.t === 'simple') ? v.v : undefined);

/** Absolute expiry (ms) an EX/PX/EXAT/PXAT option gives at `now`. */
function absolute(opt: string, n: string, now: number): number {
  const v = Number(n);
  switch (opt) {
    case 'ex':
      return now + v * 1000;
    case 'px':
      return now + v;
    case 'exat':
      return v * 1000;
    default:
      return v;
  }
}

const EXPIRE_OPTS = new Set(['ex', 'px', 'exat', 'pxat']);

/** SET/SETEX/PSETEX with an expiry: SET key value PXAT <ms> (the expiry as stored). */
function setPxat(p: PropInput, key: string, value: string, fallback: number): string[][] {
  return [['SET', key, value, 'PXAT', String(expireOf(p, key) ?? fallback)]];
}

function set(p: PropInput): string[][] {
  const a = p.argv;
  let hasGet = false;
  for (let j = 3; j < a.length; j++) {
    const o = a[j]!.toLowerCase();
    if (EXPIRE_OPTS.has(o) && j + 1 < a.length) return setPxat(p, a[1]!, a[2]!, absolute(o, a[j + 1]!, p.now));
    if (o === 'get') hasGet = true;
  }
  if (!hasGet) return [a];
  return [a.filter((x, j) => j < 3 || x.toLowerCase() !== 'get')];
}

/** EXPIRE / PEXPIRE / EXPIREAT / PEXPIREAT: PEXPIREAT with the absolute time, or DEL when already past. */
function expireRule(p: PropInput): string[][] {
  const a = p.argv;
  const key = a[1]!;
  if (!exists(p, key)) return [delOp(p, key, 'expire')];
  const isPexpireat = a[0]!.toLowerCase() === 'pexpireat';
  const out = [...a];
  if (!isPexpireat) {
    out[0] = 'PEXPIREAT';
    out[2] = String(expireOf(p, key) ?? a[2]);
  }
  return [out];
}

function getex(p: PropInput): string[][] {
  const a = p.argv;
  const key = a[1]!;
  if (!exists(p, key)) return [delOp(p, key, 'expire')];
  for (let j = 2; j < a.length; j++) {
    const o = a[j]!.toLowerCase();
    if (EXPIRE_OPTS.has(o)) return [['PEXPIREAT', key, String(expireOf(p, key) ?? absolute(o, a[j + 1] ?? '0', p.now))]];
    if (o === 'persist') return [['PERSIST', key]];
  }
  return [];
}

function incrbyfloat(p: PropInput): string[][] {
  const o = p.db.dict.get(p.argv[1]!)?.value;
  return o && o.type === 'string' ? [['SET', p.argv[1]!, String(o.v), 'KEEPTTL']] : [];
}

function hincrbyfloat(p: PropInput): string[][] {
  const o = p.db.dict.get(p.argv[1]!)?.value;
  const v = o && o.type === 'hash' ? o.v.get(p.argv[2]!)?.v : undefined;
  return v === undefined ? [] : [['HSET', p.argv[1]!, p.argv[2]!, v]];
}

function spop(p: PropInput): string[][] {
  const key = p.argv[1]!;
  if (p.argv.length === 2) {
    const ele = text(p.reply());
    return ele === undefined ? [] : [['SREM', key, ele]];
  }
  // SPOP key count: the whole set went -> DEL; otherwise one SREM per popped member.
  if (!exists(p, key)) return [['DEL', key]];
  return items(p.reply()).flatMap((v) => (text(v) === undefined ? [] : [['SREM', key, text(v)!]]));
}

/** BLPOP/BRPOP, BZPOPMIN/BZPOPMAX (served or not): the plain pop `cmd` of the key the reply names. */
const popOfRepliedKey =
  (cmd: string): Rule =>
  (p) => {
    const key = text(items(p.reply())[0]);
    return key === undefined ? [] : [[cmd, key]];
  };

/**
 * LMPOP/BLMPOP, ZMPOP/BZMPOP (`first` = index of numkeys): the plain pop with a count, from the
 * side the argument after the keys names (`sides`: that word -> command).
 */
const mpop =
  (first: number, sides: Record<string, string>): Rule =>
  (p) => {
    const r = items(p.reply());
    const key = text(r[0]);
    if (key === undefined) return [];
    const where = p.argv[first + 1 + Number(p.argv[first])]!.toLowerCase();
    return [[sides[where]!, key, String(items(r[1]).length)]];
  };
const LIST_SIDES = { left: 'LPOP', right: 'RPOP' };
const ZSET_SIDES = { min: 'ZPOPMIN', max: 'ZPOPMAX' };

/** RESTORE with a relative TTL: the absolute one and ABSTTL; DEL when REPLACE removed a key and the TTL was already past. */
function restore(p: PropInput): string[][] {
  const a = p.argv;
  const key = a[1]!;
  if (!exists(p, key)) return [['DEL', key]];
  const absttl = a.slice(4).some((x) => x.toLowerCase() === 'absttl');
  if (a[2] === '0' || absttl) return [a];
  const out = [...a];
  out[2] = String(expireOf(p, key) ?? p.now + Number(a[2]));
  out.push('ABSTTL');
  return [out];
}

/** Stream trimming arguments: MAXLEN|MINID [=|~] threshold. Returns where they are. */
function trimArgs(a: string[], from: number): { approxAt: number; thresholdAt: number; maxlen: boolean } | null {
  const o = a[from]?.toLowerCase();
  if (o !== 'maxlen' && o !== 'minid') return null;
  const op = a[from + 1];
  const approx = op === '~';
  const hasOp = op === '~' || op === '=';
  return { approxAt: approx ? from + 1 : -1, thresholdAt: from + (hasOp ? 2 : 1), maxlen: o === 'maxlen' };
}

/** `~` trimming becomes exact: `=` and the length (MAXLEN) or first ID (MINID) the stream has now. */
function rewriteApprox(p: PropInput, out: string[], t: { approxAt: number; thresholdAt: number; maxlen: boolean }): void {
  if (t.approxAt < 0) return;
  const o = p.db.dict.get(out[1]!)?.value;
  if (!o || o.type !== 'stream') return;
  out[t.approxAt] = '=';
  out[t.thresholdAt] = t.maxlen ? String(o.v.length) : idStr(o.v.firstId);
}

function xadd(p: PropInput): string[][] {
  const a = p.argv;
  const out = [...a];
  let i = 2;
  for (;;) {
    const o = a[i]?.toLowerCase();
    if (o === 'nomkstream') i++;
    else if (o === 'limit') i += 2;
    else if (o === 'maxlen' || o === 'minid') {
      const t = trimArgs(a, i)!;
      rewriteApprox(p, out, t);
      i = t.thresholdAt + 1;
    } else break;
  }
  if (a[i]?.includes('*')) {
    const id = text(p.reply());
    if (id !== undefined) out[i] = id;
  }
  return [out];
}

function xtrim(p: PropInput): string[][] {
  const out = [...p.argv];
  const t = trimArgs(p.argv, 2);
  if (t) rewriteApprox(p, out, t);
  return [out];
}

// ---- consumer groups: what XREADGROUP / XCLAIM / XAUTOCLAIM did to a PEL, as idempotent XCLAIMs
// (t_stream.c streamPropagateXCLAIM: XCLAIM key group consumer 0 id TIME t RETRYCOUNT n FORCE JUSTID
// LASTID last), so a replay gives the same owners whatever the clock says when it runs.

function groupOf(p: PropInput, key: string, group: string) {
  const o = p.db.dict.get(key)?.value;
  return o && o.type === 'stream' ? o.v.groups?.get(group) : undefined;
}

function parseId(id: string): { ms: bigint; seq: bigint } | null {
  const m = /^(\d+)-(\d+)$/.exec(id);
  return m ? { ms: BigInt(m[1]!), seq: BigInt(m[2]!) } : null;
}

function xclaimOp(p: PropInput, key: string, group: string, id: string, fallbackConsumer: string, lastId?: string): string[] | null {
  const g = groupOf(p, key, group);
  const sid = parseId(id);
  if (!g || !sid) return null;
  const nack = g.pel.get(sid);
  const consumer = nack?.consumer?.name ?? fallbackConsumer;
  // A NACK that is gone (its entry was deleted) is logged with the claim time: the replay finds no
  // entry and drops the NACK, as the live command did.
  return ['XCLAIM', key, group, consumer, '0', id, 'TIME', String(nack?.deliveryTime ?? p.now), 'RETRYCOUNT', String(nack?.deliveryCount ?? 1), 'FORCE', 'JUSTID', 'LASTID', lastId ?? idStr(g.lastId)];
}

/** The entry IDs of an XREADGROUP / XCLAIM entries reply ([id, fields] pairs or bare IDs). */
function entryIds(v: RespValue | undefined): string[] {
  return items(v).flatMap((e) => {
    const id = e.t === 'array' ? text(e.v[0]) : text(e);
    return id === undefined ? [] : [id];
  });
}

function xreadgroup(p: PropInput): string[][] {
  const a = p.argv;
  let group = '';
  let consumer = '';
  let noack = false;
  let streamsAt = -1;
  for (let j = 1; j < a.length; j++) {
    const o = a[j]!.toLowerCase();
    if (o === 'group') {
      group = a[j + 1] ?? '';
      consumer = a[j + 2] ?? '';
      j += 2;
    } else if (o === 'count' || o === 'block') j++;
    else if (o === 'noack') noack = true;
    else if (o === 'streams') {
      streamsAt = j + 1;
      break;
    }
  }
  if (streamsAt < 0) return [];
  const nkeys = (a.length - streamsAt) / 2;
  const ids = new Map<string, string>();
  for (let i = 0; i < nkeys; i++) ids.set(a[streamsAt + i]!, a[streamsAt + nkeys + i]!);
  const r = p.reply();
  const perKey: Array<[string, RespValue]> =
    r?.t === 'map' ? r.v.flatMap(([k, v]) => (text(k) === undefined ? [] : [[text(k)!, v] as [string, RespValue]])) : items(r).flatMap((kv) => {
      const k = text(items(kv)[0]);
      return k === undefined ? [] : [[k, items(kv)[1]!] as [string, RespValue]];
    });
  const out: string[][] = [];
  for (const [key, entries] of perKey) {
    const delivered = entryIds(entries);
    const fresh = ids.get(key) === '>';
    if (noack) {
      out.push(['XGROUP', 'CREATECONSUMER', key, group, consumer]);
      const g = groupOf(p, key, group);
      if (fresh && delivered.length && g) out.push(['XGROUP', 'SETID', key, group, idStr(g.lastId), 'ENTRIESREAD', String(g.entriesRead)]);
      continue;
    }
    for (const id of delivered) {
      const op = xclaimOp(p, key, group, id, consumer, fresh ? id : undefined);
      if (op) out.push(op);
    }
  }
  return out;
}

function xclaim(p: PropInput): string[][] {
  const [, key, group, consumer] = p.argv as [string, string, string, string];
  return entryIds(p.reply()).flatMap((id) => {
    const op = xclaimOp(p, key, group, id, consumer);
    return op ? [op] : [];
  });
}

/** XAUTOCLAIM: [cursor, claimed entries, deleted IDs]; both become XCLAIMs, in PEL (ID) order. */
function xautoclaim(p: PropInput): string[][] {
  const [, key, group, consumer] = p.argv as [string, string, string, string];
  const r = items(p.reply());
  const all = [...entryIds(r[1]), ...entryIds(r[2])];
  const num = (id: string) => parseId(id) ?? { ms: 0n, seq: 0n };
  all.sort((x, y) => {
    const a = num(x);
    const b = num(y);
    return a.ms === b.ms ? (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0) : a.ms < b.ms ? -1 : 1;
  });
  return all.flatMap((id) => {
    const op = xclaimOp(p, key, group, id, consumer);
    return op ? [op] : [];
  });
}

const none: Rule = () => [];

/** command name (as dispatch resolves it) -> rule. */
export const RULES: Record<string, Rule> = {
  set,
  setex: (p) => setPxat(p, p.argv[1]!, p.argv[3]!, p.now + Number(p.argv[2]) * 1000),
  psetex: (p) => setPxat(p, p.argv[1]!, p.argv[3]!, p.now + Number(p.argv[2])),
  getex,
  getdel: (p) => [delOp(p, p.argv[1]!, 'user-del')],
  getset: (p) => [['SET', p.argv[1]!, p.argv[2]!]],
  expire: expireRule,
  pexpire: expireRule,
  expireat: expireRule,
  pexpireat: expireRule,
  incrbyfloat,
  hincrbyfloat,
  spop,
  blpop: popOfRepliedKey('LPOP'),
  brpop: popOfRepliedKey('RPOP'),
  lmpop: mpop(1, LIST_SIDES),
  blmpop: mpop(2, LIST_SIDES),
  // Served later, Redis spells the directions with its shared lower-case objects; at once, as sent.
  blmove: (p) => [['LMOVE', p.argv[1]!, p.argv[2]!, ...[p.argv[3]!, p.argv[4]!].map((w) => (p.served ? w.toLowerCase() : w))]],
  brpoplpush: (p) => [['RPOPLPUSH', p.argv[1]!, p.argv[2]!]],
  bzpopmin: popOfRepliedKey('ZPOPMIN'),
  bzpopmax: popOfRepliedKey('ZPOPMAX'),
  zmpop: mpop(1, ZSET_SIDES),
  bzmpop: mpop(2, ZSET_SIDES),
  restore,
  xadd,
  xtrim,
  xreadgroup,
  xclaim,
  xautoclaim,
  // Their effects are logged by the commands they run (nested calls), wrapped in MULTI/EXEC.
  exec: none,
  eval: none,
  evalsha: none,
  eval_ro: none,
  evalsha_ro: none,
  fcall: none,
  fcall_ro: none,
};
