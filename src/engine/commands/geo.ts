// The GEO command family (geo.c). A geo set is an ordinary sorted set whose scores are 52-bit
// geohashes (types/geohash.ts), so GEOADD is ZADD with coordinates turned into scores: it hands
// its rewritten argument vector to the ZADD handler, as Redis does, which keeps NX/XX/CH, the
// listpack/skiplist switch, the "zadd" event and the dirty counter identical by construction.
// Every search command (GEORADIUS*, their _RO forms, GEOSEARCH, GEOSEARCHSTORE) goes through one
// routine that parses options in Redis's order and with its error texts, scans the score
// intervals of the nine cells around the centre, filters by the exact shape and sorts by
// distance (stable, like glibc's qsort). Numbers leave the server formatted as Redis formats
// them: coordinates as "%.17Lf" without trailing zeros, distances with four decimals rounded
// half-to-even, and the coordinates of an invalid pair as "%f".

import { cmd, type CommandSpec, type Ctx } from '../command.js';
import { E, ReplyError, syntaxError, wrongType } from '../errors.js';
import { parseBigInt, parseFloatArg } from '../args.js';
import type { Db } from '../keyspace.js';
import { notify } from '../notify.js';
import type { ReplyWriter } from '../../formats/resp/reply-writer.js';
import type { ZSetObj } from '../types/objects.js';
import { NIL, SortedSet } from '../types/zset.js';
import { formatLongDoubleHuman } from '../types/long-double.js';
import {
  GEO_LAT_MAX,
  GEO_LAT_MIN,
  GEO_LONG_MAX,
  GEO_LONG_MIN,
  decodeScore,
  distance,
  distanceInShape,
  geohashString,
  pointScore,
  searchIntervals,
  type Shape,
} from '../types/geohash.js';
import { zsetsCommands } from './zsets.js';

// --- number formatting --------------------------------------------------------------------------

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** A finite double as sign, integer mantissa and binary exponent (value = m * 2^e). */
function split(d: number): { neg: boolean; m: bigint; e: number } {
  f64[0] = d;
  const hi = u32[1]!;
  const lo = u32[0]!;
  const neg = hi >>> 31 === 1;
  const exp = (hi >>> 20) & 0x7ff;
  const frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (exp === 0) return { neg, m: frac, e: -1074 };
  return { neg, m: frac | (1n << 52n), e: exp - 1075 };
}

/** printf("%.Nf"): exact decimal expansion rounded half-to-even, "-" kept on negative zero. */
function cFixed(d: number, digits: number): string {
  if (!Number.isFinite(d)) return Number.isNaN(d) ? 'nan' : d > 0 ? 'inf' : '-inf';
  const { neg, m, e } = split(d);
  const pow = 10n ** BigInt(digits);
  let scaled: bigint;
  if (e >= 0) scaled = (m << BigInt(e)) * pow;
  else {
    const n = m * pow;
    const sh = BigInt(-e);
    const q = n >> sh;
    const rem = n - (q << sh);
    const half = 1n << (sh - 1n);
    scaled = rem > half || (rem === half && (q & 1n) === 1n) ? q + 1n : q;
  }
  const s = scaled.toString().padStart(digits + 1, '0');
  return (neg ? '-' : '') + s.slice(0, s.length - digits) + '.' + s.slice(s.length - digits);
}

/** addReplyHumanLongDouble: "%.17Lf" of the (exactly widened) double, trailing zeros dropped. */
function replyHuman(reply: ReplyWriter, d: number): void {
  const { neg, m, e } = split(d);
  const s = formatLongDoubleHuman({ inf: false, neg, m, e });
  if (reply.proto === 3) {
    reply.raw(`,${s}\r\n`);
    reply.count++;
  } else reply.bulk(s);
}

/** llrint: round half to even. */
function rint(x: number): number {
  const f = Math.floor(x);
  const diff = x - f;
  if (diff < 0.5) return f;
  if (diff > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

/** addReplyDoubleDistance: four decimals (fixedpoint_d2string), always a bulk string. */
function distanceText(d: number): string {
  if (d === 0) return '0.0000';
  const v = rint(d * 10000);
  const neg = v < 0;
  const digits = BigInt(Math.abs(v)).toString().padStart(5, '0');
  return (neg ? '-' : '') + digits.slice(0, -4) + '.' + digits.slice(-4);
}

// --- arguments ----------------------------------------------------------------------------------

const UNITS = new Map<string, number>([
  ['m', 1],
  ['km', 1000],
  ['ft', 0.3048],
  ['mi', 1609.34],
]);

/** extractUnitOrReply: meters per unit. */
function parseUnit(arg: string): number {
  const u = UNITS.get(arg.toLowerCase());
  if (u === undefined) throw new ReplyError('unsupported unit provided. please use M, KM, FT, MI');
  return u;
}

/** extractLongLatOrReply: a [longitude, latitude] pair inside the geohash limits. */
function parseLonLat(argv: string[], at: number): [number, number] {
  const lon = parseFloatArg(argv[at]!);
  const lat = parseFloatArg(argv[at + 1]!);
  if (lon < GEO_LONG_MIN || lon > GEO_LONG_MAX || lat < GEO_LAT_MIN || lat > GEO_LAT_MAX) {
    throw new ReplyError(`-ERR invalid longitude,latitude pair ${cFixed(lon, 6)},${cFixed(lat, 6)}`);
  }
  return [lon, lat];
}

/** extractDistanceOrReply: radius and unit. */
function parseRadius(argv: string[], at: number): { radius: number; conversion: number } {
  const radius = parseFloatArg(argv[at]!, 'need numeric radius');
  if (radius < 0) throw new ReplyError('radius cannot be negative');
  return { radius, conversion: parseUnit(argv[at + 1]!) };
}

/** extractBoxOrReply: width, height and unit. */
function parseBox(argv: string[], at: number): { width: number; height: number; conversion: number } {
  const width = parseFloatArg(argv[at]!, 'need numeric width');
  const height = parseFloatArg(argv[at + 1]!, 'need numeric height');
  if (height < 0 || width < 0) throw new ReplyError('height or width cannot be negative');
  return { width, height, conversion: parseUnit(argv[at + 2]!) };
}

/** lookupKeyRead + checkType. */
function readZset(db: Db, key: string): ZSetObj | undefined {
  const o = db.read(key);
  if (o === undefined) return undefined;
  if (o.type !== 'zset') wrongType();
  return o;
}

const MEMBER_NOT_FOUND = 'could not decode requested zset member';

/** longLatFromMember. */
function memberPosition(o: ZSetObj, member: string): [number, number] {
  const score = o.v.score(member);
  if (score === undefined) throw new ReplyError(MEMBER_NOT_FOUND);
  return decodeScore(score);
}

// --- GEOADD, GEOPOS, GEODIST, GEOHASH --------------------------------------------------------------

const zaddHandler = zsetsCommands.find((s) => s.name === 'zadd')!.handler!;

function geoadd(ctx: Ctx, argv: string[]): void {
  let xx = false;
  let nx = false;
  let at = 2;
  for (; at < argv.length; at++) {
    const opt = argv[at]!.toLowerCase();
    if (opt === 'nx') nx = true;
    else if (opt === 'xx') xx = true;
    else if (opt !== 'ch') break;
  }
  if ((argv.length - at) % 3 !== 0 || (xx && nx)) syntaxError();
  const zargv = argv.slice(0, at);
  zargv[0] = 'zadd';
  for (let i = at; i < argv.length; i += 3) {
    const [lon, lat] = parseLonLat(argv, i);
    zargv.push(pointScore(lon, lat).toString(), argv[i + 2]!);
  }
  zaddHandler(ctx, zargv);
}

function geopos(ctx: Ctx, argv: string[]): void {
  const { reply } = ctx;
  const o = readZset(ctx.db, argv[1]!);
  reply.arrayLen(argv.length - 2);
  for (let j = 2; j < argv.length; j++) {
    const score = o?.v.score(argv[j]!);
    if (score === undefined) {
      reply.nullArray();
      continue;
    }
    const [lon, lat] = decodeScore(score);
    reply.arrayLen(2);
    replyHuman(reply, lon);
    replyHuman(reply, lat);
  }
}

function geodist(ctx: Ctx, argv: string[]): void {
  let toMeter = 1;
  if (argv.length === 5) toMeter = parseUnit(argv[4]!);
  else if (argv.length > 5) syntaxError();
  const o = readZset(ctx.db, argv[1]!);
  const s1 = o?.v.score(argv[2]!);
  const s2 = o?.v.score(argv[3]!);
  if (s1 === undefined || s2 === undefined) return ctx.reply.nullBulk();
  const [x1, y1] = decodeScore(s1);
  const [x2, y2] = decodeScore(s2);
  ctx.reply.bulk(distanceText(distance(x1, y1, x2, y2) / toMeter));
}

function geohash(ctx: Ctx, argv: string[]): void {
  const { reply } = ctx;
  const o = readZset(ctx.db, argv[1]!);
  reply.arrayLen(argv.length - 2);
  for (let j = 2; j < argv.length; j++) {
    const score = o?.v.score(argv[j]!);
    if (score === undefined) reply.nullBulk();
    else reply.bulk(geohashString(score));
  }
}

// --- the search family ----------------------------------------------------------------------------

/** Which command runs the search: how the centre and shape are given, and what may be stored. */
interface Variant {
  /** GEORADIUS*: centre from coordinates (argv 2-3) or a member (argv 2); radius and unit follow. */
  centre: 'coords' | 'member' | 'options';
  /** STORE/STOREDIST are accepted (GEORADIUS, GEORADIUSBYMEMBER). */
  store: boolean;
  /** GEOSEARCHSTORE: destination at argv[1], source at argv[2], STOREDIST a bare flag. */
  searchStore: boolean;
}

type Sort = 'none' | 'asc' | 'desc';

interface GeoPoint {
  member: string;
  lon: number;
  lat: number;
  dist: number;
  score: number;
}

/** Search options after the fixed arguments, as georadiusGeneric parses them. */
interface SearchOptions {
  withdist: boolean;
  withhash: boolean;
  withcoord: boolean;
  any: boolean;
  sort: Sort;
  count: number;
  storekey: string | null;
  storedist: boolean;
  from: boolean;
  by: boolean;
}

/** The shape being built while arguments are read (centre and size arrive separately). */
interface ShapeDraft {
  xy: [number, number];
  kind: 'radius' | 'box';
  radius: number;
  width: number;
  height: number;
  conversion: number;
}

function finishShape(d: ShapeDraft): Shape {
  return d.kind === 'radius'
    ? { type: 'radius', xy: d.xy, conversion: d.conversion, radius: d.radius }
    : { type: 'box', xy: d.xy, conversion: d.conversion, width: d.width, height: d.height };
}

function georadiusGeneric(ctx: Ctx, argv: string[], v: Variant): void {
  const srcIndex = v.searchStore ? 2 : 1;
  const zobj = readZset(ctx.db, argv[srcIndex]!);
  const shape: ShapeDraft = { xy: [0, 0], kind: 'radius', radius: 0, width: 0, height: 0, conversion: 0 };
  const opt: SearchOptions = {
    withdist: false,
    withhash: false,
    withcoord: false,
    any: false,
    sort: 'none',
    count: 0,
    storekey: null,
    storedist: false,
    from: false,
    by: false,
  };
  let base: number;
  if (v.centre === 'coords') {
    base = 6;
    shape.xy = parseLonLat(argv, 2);
    Object.assign(shape, parseRadius(argv, 4));
  } else if (v.centre === 'member') {
    base = 5;
    // Without the key nothing is decoded or checked but the options (the reply still depends on STORE).
    if (zobj) {
      shape.xy = memberPosition(zobj, argv[2]!);
      Object.assign(shape, parseRadius(argv, 3));
    }
  } else {
    base = v.searchStore ? 3 : 2;
    if (v.searchStore) opt.storekey = argv[1]!;
  }
  parseSearchOptions(argv, base, v, zobj, shape, opt);

  if (opt.storekey !== null && (opt.withdist || opt.withhash || opt.withcoord)) {
    const what = v.searchStore ? 'GEOSEARCHSTORE' : 'STORE option in GEORADIUS';
    throw new ReplyError(`${what} is not compatible with WITHDIST, WITHHASH and WITHCOORD options`);
  }
  if (v.centre === 'options' && !opt.from) {
    throw new ReplyError(`exactly one of FROMMEMBER or FROMLONLAT can be specified for ${argv[0]}`);
  }
  if (v.centre === 'options' && !opt.by) {
    throw new ReplyError(`exactly one of BYRADIUS and BYBOX can be specified for ${argv[0]}`);
  }
  if (opt.any && !opt.count) throw new ReplyError('the ANY argument requires COUNT argument');

  if (!zobj) {
    if (opt.storekey !== null) {
      dropDestination(ctx, opt.storekey);
      ctx.reply.int(0);
    } else ctx.reply.arrayLen(0);
    return;
  }
  if (opt.count !== 0 && opt.sort === 'none' && !opt.any) opt.sort = 'asc';

  const points = collect(zobj, finishShape(shape), opt.any ? opt.count : 0);
  if (points.length === 0 && opt.storekey === null) return ctx.reply.arrayLen(0);
  const returned = opt.count === 0 || points.length < opt.count ? points.length : opt.count;
  if (opt.sort !== 'none') {
    const cmp = opt.sort === 'asc' ? byDistance : byDistanceDesc;
    // All of them: glibc's qsort, a stable merge sort. Only the first `returned`: Redis's pqsort.
    if (returned === points.length) points.sort(cmp);
    else partialSort(points, 0, points.length, cmp, returned - 1);
  }

  if (opt.storekey === null) replyPoints(ctx.reply, points, returned, shape.conversion, opt);
  else storePoints(ctx, points, returned, shape.conversion, opt.storekey, opt.storedist, v.centre === 'options');
}

/** The option loop of georadiusGeneric, filling `opt` and `shape`; first problem wins. */
function parseSearchOptions(argv: string[], base: number, v: Variant, zobj: ZSetObj | undefined, shape: ShapeDraft, opt: SearchOptions): void {
  const search = v.centre === 'options';
  const remaining = argv.length - base;
  let byradius = false;
  let bybox = false;
  let frommember = false;
  let fromloc = false;
  for (let i = 0; i < remaining; i++) {
    const at = base + i;
    const arg = argv[at]!.toLowerCase();
    if (arg === 'withdist') opt.withdist = true;
    else if (arg === 'withhash') opt.withhash = true;
    else if (arg === 'withcoord') opt.withcoord = true;
    else if (arg === 'any') opt.any = true;
    else if (arg === 'asc') opt.sort = 'asc';
    else if (arg === 'desc') opt.sort = 'desc';
    else if (arg === 'count' && i + 1 < remaining) {
      const count = parseBigInt(argv[at + 1]!, E.notInt);
      if (count <= 0n) throw new ReplyError('COUNT must be > 0');
      opt.count = Number(count);
      i++;
    } else if ((arg === 'store' || arg === 'storedist') && i + 1 < remaining && v.store) {
      opt.storekey = argv[at + 1]!;
      opt.storedist = arg === 'storedist';
      i++;
    } else if (arg === 'storedist' && v.searchStore) {
      opt.storedist = true;
    } else if (arg === 'frommember' && i + 1 < remaining && search && !fromloc) {
      if (zobj) shape.xy = memberPosition(zobj, argv[at + 1]!);
      frommember = true;
      i++;
    } else if (arg === 'fromlonlat' && i + 2 < remaining && search && !frommember) {
      shape.xy = parseLonLat(argv, at + 1);
      fromloc = true;
      i += 2;
    } else if (arg === 'byradius' && i + 2 < remaining && search && !bybox) {
      Object.assign(shape, parseRadius(argv, at + 1));
      shape.kind = 'radius';
      byradius = true;
      i += 2;
    } else if (arg === 'bybox' && i + 3 < remaining && search && !byradius) {
      Object.assign(shape, parseBox(argv, at + 1));
      shape.kind = 'box';
      bybox = true;
      i += 3;
    } else syntaxError();
  }
  opt.from = frommember || fromloc;
  opt.by = byradius || bybox;
}

/**
 * membersOfAllNeighbors: scans each cell's score interval [min, max) in order, keeping the members
 * inside the shape; with a limit (COUNT ANY) it stops as soon as that many were found.
 */
function collect(o: ZSetObj, shape: Shape, limit: number): GeoPoint[] {
  const z = o.v;
  const out: GeoPoint[] = [];
  for (const [min, max] of searchIntervals(shape)) {
    if (out.length && limit && out.length >= limit) break;
    let n = z.firstInScore({ min, max, minex: false, maxex: true });
    for (; n !== NIL; n = z.next(n)) {
      const score = z.scoreOf(n);
      if (!(score < max)) break;
      const [lon, lat] = decodeScore(score);
      const dist = distanceInShape(shape, lon, lat);
      if (dist !== null) out.push({ member: z.eleOf(n), lon, lat, dist, score });
      if (out.length && limit && out.length >= limit) break;
    }
  }
  return out;
}

function byDistance(a: GeoPoint, b: GeoPoint): number {
  return a.dist > b.dist ? 1 : a.dist === b.dist ? 0 : -1;
}
function byDistanceDesc(a: GeoPoint, b: GeoPoint): number {
  return -byDistance(a, b);
}

/**
 * Redis's pqsort: a Bentley-McIlroy quicksort (median-of-three pivots, ninther above 40
 * elements, three-way partition, insertion sort below 7) that only descends into the parts
 * overlapping positions 0..`last`. It is not stable, so which of several equally distant points
 * make the cut under COUNT depends on exactly these steps, which is why they are reproduced.
 */
function partialSort<T>(arr: T[], lo: number, n: number, cmp: (a: T, b: T) => number, last: number): void {
  const swap = (i: number, j: number): void => {
    const t = arr[i]!;
    arr[i] = arr[j]!;
    arr[j] = t;
  };
  const swapRun = (i: number, j: number, k: number): void => {
    for (let x = 0; x < k; x++) swap(i + x, j + x);
  };
  const med3 = (a: number, b: number, c: number): number =>
    cmp(arr[a]!, arr[b]!) < 0
      ? cmp(arr[b]!, arr[c]!) < 0 ? b : cmp(arr[a]!, arr[c]!) < 0 ? c : a
      : cmp(arr[b]!, arr[c]!) > 0 ? b : cmp(arr[a]!, arr[c]!) < 0 ? a : c;
  // The wanted positions 0..last overlap [from, from + count - 1]?
  const wanted = (from: number, count: number): boolean => !(last < from || 0 > from + count - 1);
  for (;;) {
    if (n < 7) {
      for (let m = lo + 1; m < lo + n; m++) for (let l = m; l > lo && cmp(arr[l - 1]!, arr[l]!) > 0; l--) swap(l, l - 1);
      return;
    }
    let pm = lo + Math.floor(n / 2);
    if (n > 7) {
      let pl = lo;
      let pn = lo + n - 1;
      if (n > 40) {
        const d = Math.floor(n / 8);
        pl = med3(pl, pl + d, pl + 2 * d);
        pm = med3(pm - d, pm, pm + d);
        pn = med3(pn - 2 * d, pn - d, pn);
      }
      pm = med3(pl, pm, pn);
    }
    swap(lo, pm);
    let pa = lo + 1;
    let pb = pa;
    let pc = lo + n - 1;
    let pd = pc;
    for (;;) {
      let r: number;
      while (pb <= pc && (r = cmp(arr[pb]!, arr[lo]!)) <= 0) {
        if (r === 0) swap(pa++, pb);
        pb++;
      }
      while (pb <= pc && (r = cmp(arr[pc]!, arr[lo]!)) >= 0) {
        if (r === 0) swap(pc, pd--);
        pc--;
      }
      if (pb > pc) break;
      swap(pb++, pc--);
    }
    const pn = lo + n;
    let r = Math.min(pa - lo, pb - pa);
    swapRun(lo, pb - r, r);
    r = Math.min(pd - pc, pn - pd - 1);
    swapRun(pb, pn - r, r);
    if ((r = pb - pa) > 1 && wanted(lo, r)) partialSort(arr, lo, r, cmp, last);
    if ((r = pd - pc) > 1) {
      lo = pn - r;
      n = r;
      if (wanted(lo, n)) continue;
    }
    return;
  }
}

/** The (long long) cast of a score for WITHHASH. */
function hashOf(score: number): bigint {
  return score >= -(2 ** 63) && score < 2 ** 63 ? BigInt(Math.trunc(score)) : -(2n ** 63n);
}

function replyPoints(reply: ReplyWriter, points: GeoPoint[], returned: number, conversion: number, opt: SearchOptions): void {
  const extras = (opt.withdist ? 1 : 0) + (opt.withcoord ? 1 : 0) + (opt.withhash ? 1 : 0);
  reply.arrayLen(returned);
  for (let i = 0; i < returned; i++) {
    const p = points[i]!;
    if (extras) reply.arrayLen(extras + 1);
    reply.bulk(p.member);
    if (opt.withdist) reply.bulk(distanceText(p.dist / conversion));
    if (opt.withhash) reply.int(hashOf(p.score));
    if (opt.withcoord) {
      reply.arrayLen(2);
      replyHuman(reply, p.lon);
      replyHuman(reply, p.lat);
    }
  }
}

function storePoints(ctx: Ctx, points: GeoPoint[], returned: number, conversion: number, dst: string, storedist: boolean, search: boolean): void {
  const { engine, db } = ctx;
  if (returned === 0) {
    dropDestination(ctx, dst);
    ctx.reply.int(0);
    return;
  }
  const set = new SortedSet();
  let maxLen = 0;
  for (let i = 0; i < returned; i++) {
    const p = points[i]!;
    if (set.has(p.member)) continue;
    set.insert(p.member, storedist ? p.dist / conversion : p.score);
    if (p.member.length > maxLen) maxLen = p.member.length;
  }
  const small = set.size <= (engine.config.num['zset-max-listpack-entries'] ?? 128) && maxLen <= (engine.config.num['zset-max-listpack-value'] ?? 64);
  const out: ZSetObj = { type: 'zset', enc: small ? 'listpack' : 'skiplist', v: set };
  if (small) set.normalizeZeros();
  db.write(dst);
  db.set(dst, out);
  notify(ctx, 'z', search ? 'geosearchstore' : 'georadiusstore', dst);
  engine.dirty += returned;
  ctx.reply.int(returned);
}

/** An empty result deletes the destination ("del" only when there was one to delete). */
function dropDestination(ctx: Ctx, dst: string): void {
  if (!ctx.db.delete(dst)) return;
  notify(ctx, 'g', 'del', dst);
  ctx.engine.dirty++;
}

// --- the table --------------------------------------------------------------------------------------

const R = ['read', 'geo', 'slow'];
const W = ['write', 'geo', 'slow'];
const G = 'geo';

const GEORADIUS: Variant = { centre: 'coords', store: true, searchStore: false };
const GEORADIUS_RO: Variant = { centre: 'coords', store: false, searchStore: false };
const BYMEMBER: Variant = { centre: 'member', store: true, searchStore: false };
const BYMEMBER_RO: Variant = { centre: 'member', store: false, searchStore: false };
const GEOSEARCH: Variant = { centre: 'options', store: false, searchStore: false };
const GEOSEARCHSTORE: Variant = { centre: 'options', store: false, searchStore: true };

export const geoCommands: CommandSpec[] = [
  cmd('geoadd', -5, ['write', 'denyoom'], W, [1, 1, 1], G, geoadd),
  cmd('geopos', -2, ['readonly'], R, [1, 1, 1], G, geopos),
  cmd('geodist', -4, ['readonly'], R, [1, 1, 1], G, geodist),
  cmd('geohash', -2, ['readonly'], R, [1, 1, 1], G, geohash),
  cmd('georadius', -6, ['write', 'denyoom', 'movablekeys'], W, [1, 1, 1], G, (c, a) => georadiusGeneric(c, a, GEORADIUS)),
  cmd('georadius_ro', -6, ['readonly'], R, [1, 1, 1], G, (c, a) => georadiusGeneric(c, a, GEORADIUS_RO)),
  cmd('georadiusbymember', -5, ['write', 'denyoom', 'movablekeys'], W, [1, 1, 1], G, (c, a) => georadiusGeneric(c, a, BYMEMBER)),
  cmd('georadiusbymember_ro', -5, ['readonly'], R, [1, 1, 1], G, (c, a) => georadiusGeneric(c, a, BYMEMBER_RO)),
  cmd('geosearch', -7, ['readonly'], R, [1, 1, 1], G, (c, a) => georadiusGeneric(c, a, GEOSEARCH)),
  cmd('geosearchstore', -8, ['write', 'denyoom'], W, [1, 2, 1], G, (c, a) => georadiusGeneric(c, a, GEOSEARCHSTORE)),
];
