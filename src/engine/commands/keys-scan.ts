// The cursor protocol shared by SCAN, HSCAN, SSCAN and ZSCAN (Redis's scanGenericCommand): the
// cursor is an unsigned 64-bit decimal read the way strtoul reads it, options are
// `[MATCH pattern] [COUNT n] [TYPE t]` in any order with Redis's error replies, and a call walks
// a ScanMap slot by slot until it has collected COUNT elements, visited ten times that many
// slots, or reached the end. Filtering (MATCH, TYPE, expiry) happens after collection, as in
// Redis, so a call may return fewer than COUNT elements, or none, with a non-zero cursor.

import { E, ReplyError } from '../errors.js';
import { globMatch } from '../glob.js';
import { is, parseInteger } from '../args.js';
import type { ScanMap, Slotted } from '../types/scan-map.js';

const U64_MAX = 2n ** 64n - 1n;

/** Characters C's isspace() accepts: a cursor starting with one is refused. */
const C_SPACE = new Set([' ', '\t', '\n', '\v', '\f', '\r']);

/**
 * Parses a SCAN-family cursor like strtoul(base 10) plus Redis's checks: no leading space, no
 * trailing junk, no overflow. The text stops at the first NUL (a C string); "" is cursor 0, a
 * leading "+" is accepted and "-n" wraps modulo 2^64, as strtoul does.
 */
export function parseScanCursor(arg: string): bigint {
  const nul = arg.indexOf('\0');
  const s = nul >= 0 ? arg.slice(0, nul) : arg;
  if (s.length === 0) return 0n;
  if (C_SPACE.has(s[0]!)) throw new ReplyError(E.invalidCursor);
  let i = 0;
  let negative = false;
  if (s[0] === '+' || s[0] === '-') {
    negative = s[0] === '-';
    i = 1;
  }
  const digits = s.slice(i);
  if (!/^[0-9]+$/.test(digits)) throw new ReplyError(E.invalidCursor);
  const v = BigInt(digits);
  if (v > U64_MAX) throw new ReplyError(E.invalidCursor);
  return negative && v !== 0n ? 2n ** 64n - v : v;
}

export interface ScanOptions {
  /** COUNT: how many elements one call tries to collect (default 10). */
  count: number;
  /** MATCH pattern, or null when absent or exactly "*" (which matches everything). */
  pattern: string | null;
  /** TYPE filter as given (compared case-insensitively), or null. Only SCAN accepts it. */
  type: string | null;
}

/**
 * Parses the options that follow the cursor, starting at argv[start]. `allowType` is true for
 * SCAN only: for HSCAN/SSCAN/ZSCAN a TYPE option is a syntax error, as in Redis.
 */
export function parseScanOptions(argv: readonly string[], start: number, allowType: boolean): ScanOptions {
  const opts: ScanOptions = { count: 10, pattern: null, type: null };
  for (let i = start; i < argv.length; i += 2) {
    const word = argv[i];
    const hasValue = i + 1 < argv.length;
    if (is(word, 'count') && hasValue) {
      const n = parseInteger(argv[i + 1]!);
      if (n < 1) throw new ReplyError(E.syntax);
      opts.count = n;
    } else if (is(word, 'match') && hasValue) {
      const p = argv[i + 1]!;
      opts.pattern = p === '*' ? null : p;
    } else if (is(word, 'type') && allowType && hasValue) {
      opts.type = argv[i + 1]!;
    } else {
      throw new ReplyError(E.syntax);
    }
  }
  return opts;
}

/** True when `element` passes the MATCH option (always true without a pattern). */
export function scanMatches(opts: ScanOptions, element: string): boolean {
  return opts.pattern === null || globMatch(opts.pattern, element);
}

/**
 * One SCAN call over a ScanMap: visits slots from `cursor`, handing each live entry to `visit`,
 * until `wanted` entries were visited, the slot budget (`wanted` * 10 + 1, Redis's
 * maxiterations) is spent, or the map ends. Returns the next cursor (0n when complete).
 * Entries present for the whole scan are visited at least once (ScanMap's guarantee).
 */
export function scanSlots<N extends Slotted>(
  map: ScanMap<N>,
  cursor: bigint,
  wanted: number,
  visit: (key: string, node: N) => void,
): bigint {
  let budget = wanted * 10 + 1;
  let got = 0;
  let next = cursor;
  do {
    // Each slot holds at most one entry, so asking for the missing count never overshoots it.
    const step = Math.max(1, Math.min(wanted - got, budget));
    next = map.scan(next, step, (k, n) => {
      got++;
      visit(k, n);
    });
    budget -= step;
  } while (next !== 0n && budget > 0 && got < wanted);
  return next;
}
