// How the sorted-set commands read numbers and ranges. Redis parses these with C's strtod in three
// slightly different ways, and clients notice the differences: scores and weights go through
// string2d (the whole string, no leading space, no nan, overflow refused), score ranges through a
// bare strtod (leading space and even an empty string accepted, "(" marks an open end), blocking
// timeouts through strtold (truncated to ms, a huge value wraps negative). Lex ranges take "[a",
// "(a", "-" and "+". All of these are here, on top of a strtod emulation, together with the
// selection ZRANGE and its relatives make: rank, score and lex ranges with REV and LIMIT.

import { E, ReplyError, syntaxError } from '../errors.js';
import { is, parseInteger } from '../args.js';
import { parseDouble, strtod } from '../strtod.js';
import type { ZSetObj } from '../types/objects.js';
import {
  LEX_MAX,
  LEX_MIN,
  NIL,
  lexGteMin,
  lexLteMax,
  scoreGteMin,
  scoreLteMax,
  type LexPoint,
  type LexRange,
  type ScoreRange,
  type SortedSet,
  type ZNode,
} from '../types/zset.js';

export const ERR_NOT_FLOAT = 'value is not a valid float';
export const ERR_RANGE_NOT_FLOAT = 'min or max is not a float';
export const ERR_LEX_RANGE = 'min or max not valid string range item';

/** A short run of decimal digits with an optional "-": read exactly without strtod, else NaN. */
function plainInteger(s: string): number {
  const len = s.length;
  const neg = len > 0 && s.charCodeAt(0) === 45;
  const start = neg ? 1 : 0;
  if (len === start || len - start > 15) return NaN;
  let v = 0;
  for (let i = start; i < len; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  return neg ? -v : v;
}

/** A score, or the given error (default "value is not a valid float"). */
export function parseScore(s: string, msg = ERR_NOT_FLOAT): number {
  const n = plainInteger(s);
  if (!Number.isNaN(n)) return n; // the common integer score
  const d = parseDouble(s);
  if (d === null) throw new ReplyError(msg);
  return d;
}

/** One end of a score range: strtod must reach the end of the string (or a NUL byte). */
function parseScoreBound(s: string): { v: number; ex: boolean } | null {
  const ex = s.charCodeAt(0) === 40;
  const text = ex ? s.slice(1) : s;
  const r = strtod(text);
  if (r.end !== text.length && text.charCodeAt(r.end) !== 0) return null;
  if (Number.isNaN(r.value)) return null;
  return { v: r.value, ex };
}

/** zslParseRange, throwing "min or max is not a float". */
export function parseScoreRange(min: string, max: string): ScoreRange {
  const a = parseScoreBound(min);
  const b = a && parseScoreBound(max);
  if (!a || !b) throw new ReplyError(ERR_RANGE_NOT_FLOAT);
  return { min: a.v, minex: a.ex, max: b.v, maxex: b.ex };
}

function parseLexBound(s: string): { p: LexPoint; ex: boolean } | null {
  const c = s.charCodeAt(0);
  if (c === 43) return s.length === 1 ? { p: LEX_MAX, ex: true } : null;
  if (c === 45) return s.length === 1 ? { p: LEX_MIN, ex: true } : null;
  if (c === 40) return { p: s.slice(1), ex: true };
  if (c === 91) return { p: s.slice(1), ex: false };
  return null;
}

/** zslParseLexRange, throwing "min or max not valid string range item". */
export function parseLexRange(min: string, max: string): LexRange {
  const a = parseLexBound(min);
  const b = a && parseLexBound(max);
  if (!a || !b) throw new ReplyError(ERR_LEX_RANGE);
  return { min: a.p, minex: a.ex, max: b.p, maxex: b.ex };
}

// --- the ranges ZRANGE and its relatives select --------------------------------------------------

export type RangeKind = 'auto' | 'rank' | 'score' | 'lex';
export type Direction = 'auto' | 'forward' | 'reverse';
export type Pair = [string, number];

export interface RangeRequest {
  kind: 'rank' | 'score' | 'lex';
  reverse: boolean;
  withscores: boolean;
  offset: number;
  limit: number;
  start: number;
  end: number;
  score?: ScoreRange;
  lex?: LexRange;
}

/** zrangeGenericCommand's argument parsing, errors in Redis's order. `at` is the source key index. */
export function parseRange(argv: string[], at: number, store: boolean, kind: RangeKind, dir: Direction): RangeRequest {
  let withscores = false;
  let offset = 0;
  let limit = -1;
  for (let j = at + 3; j < argv.length; j++) {
    const left = argv.length - j - 1;
    const a = argv[j]!;
    if (!store && is(a, 'withscores')) withscores = true;
    else if (is(a, 'limit') && left >= 2) {
      offset = parseInteger(argv[j + 1]!, E.notInt);
      limit = parseInteger(argv[j + 2]!, E.notInt);
      j += 2;
    } else if (dir === 'auto' && is(a, 'rev')) dir = 'reverse';
    else if (kind === 'auto' && is(a, 'bylex')) kind = 'lex';
    else if (kind === 'auto' && is(a, 'byscore')) kind = 'score';
    else syntaxError();
  }
  const reverse = dir === 'reverse';
  const k = kind === 'auto' ? 'rank' : kind;
  if (limit !== -1 && k === 'rank') throw new ReplyError('syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX');
  if (withscores && k === 'lex') throw new ReplyError('syntax error, WITHSCORES not supported in combination with BYLEX');
  let minArg = argv[at + 1]!;
  let maxArg = argv[at + 2]!;
  if (reverse && k !== 'rank') [minArg, maxArg] = [maxArg, minArg];
  const req: RangeRequest = { kind: k, reverse, withscores, offset, limit, start: 0, end: 0 };
  if (k === 'rank') {
    req.start = parseInteger(minArg, E.notInt);
    req.end = parseInteger(maxArg, E.notInt);
  } else if (k === 'score') req.score = parseScoreRange(minArg, maxArg);
  else req.lex = parseLexRange(minArg, maxArg);
  return req;
}

/** Clamps rank bounds like Redis; null when the range is empty. */
export function clampRanks(start: number, end: number, len: number): [number, number] | null {
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (start > end || start >= len) return null;
  if (end >= len) end = len - 1;
  return [start, end];
}

function rankRange(o: ZSetObj, req: RangeRequest): Pair[] {
  const len = o.v.size;
  const r = clampRanks(req.start, req.end, len);
  if (!r) return [];
  const [start, end] = r;
  const z = o.v;
  const out: Pair[] = [];
  let n = z.at(req.reverse ? len - 1 - start : start);
  for (let i = start; i <= end && n !== NIL; i++) {
    out.push([z.eleOf(n), z.scoreOf(n)]);
    n = req.reverse ? z.prev(n) : z.next(n);
  }
  return out;
}

/** Shared walk of BYSCORE/BYLEX: skip `offset`, then take up to `limit` while `inside` holds. */
function walk(z: SortedSet, first: ZNode, req: RangeRequest, inside: (n: ZNode) => boolean): Pair[] {
  if (req.offset < 0) return []; // Redis walks off the end skipping a negative offset
  const step = (n: ZNode): ZNode => (req.reverse ? z.prev(n) : z.next(n));
  let n = first;
  for (let k = req.offset; n !== NIL && k > 0; k--) n = step(n);
  const out: Pair[] = [];
  let limit = req.limit;
  while (n !== NIL && limit !== 0) {
    if (!inside(n)) break;
    out.push([z.eleOf(n), z.scoreOf(n)]);
    n = step(n);
    if (limit > 0) limit--;
  }
  return out;
}

function scoreRange(o: ZSetObj, req: RangeRequest): Pair[] {
  const r = req.score!;
  if (req.offset > 0 && req.offset >= o.v.size) return [];
  const z = o.v;
  const first = req.reverse ? z.lastInScore(r) : z.firstInScore(r);
  return walk(z, first, req, req.reverse ? (n) => scoreGteMin(z.scoreOf(n), r) : (n) => scoreLteMax(z.scoreOf(n), r));
}

function lexRange(o: ZSetObj, req: RangeRequest): Pair[] {
  const r = req.lex!;
  const linear = o.enc === 'listpack';
  const z = o.v;
  const first = req.reverse ? z.lastInLex(r, linear) : z.firstInLex(r, linear);
  return walk(z, first, req, req.reverse ? (n) => lexGteMin(z.eleOf(n), r) : (n) => lexLteMax(z.eleOf(n), r));
}

export const RANGE_BY_KIND = { rank: rankRange, score: scoreRange, lex: lexRange } as const;
