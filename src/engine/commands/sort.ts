// SORT and SORT_RO (sort.c): sort a list, set or sorted set numerically or lexically, by the
// element itself or by weights read from other keys (BY pattern, with `->field` for hashes),
// return the element or values looked up per element (GET pattern, GET #), page with LIMIT, and
// optionally STORE the result as a list. Redis's quirks kept on purpose: a BY pattern without
// '*' means "do not sort" (lists and sorted sets keep their order, a set is alpha-sorted when
// stored), a sorted set is converted to a skiplist by any SORT, missing weight keys weigh 0, and
// equal numeric weights fall back to comparing the elements' bytes.

import { cmd, type CommandSpec, type Ctx } from '../command.js';
import { E, ReplyError, wrongType } from '../errors.js';
import { parseInteger, is } from '../args.js';
import { notify } from '../notify.js';
import { strtod } from '../strtod.js';
import { hashGet } from '../types/hash.js';
import { newList } from '../types/objects.js';
import { userReadsAllKeys } from '../acl-check.js';
import { isScriptClient } from '../scripting/script-client.js';

interface SortOptions {
  desc: boolean;
  alpha: boolean;
  limitStart: number;
  limitCount: number;
  by: string | null;
  dontSort: boolean;
  gets: string[];
  store: string | null;
}

/** `fullKeyAccess`: the user may read every key, which BY and GET patterns need (they name keys the ACL cannot check). */
function parseOptions(argv: string[], readonly: boolean, fullKeyAccess: boolean): SortOptions {
  const o: SortOptions = { desc: false, alpha: false, limitStart: 0, limitCount: -1, by: null, dontSort: false, gets: [], store: null };
  for (let j = 2; j < argv.length; j++) {
    const a = argv[j]!;
    const left = argv.length - j - 1;
    if (is(a, 'asc')) o.desc = false;
    else if (is(a, 'desc')) o.desc = true;
    else if (is(a, 'alpha')) o.alpha = true;
    else if (is(a, 'limit') && left >= 2) {
      o.limitStart = parseInteger(argv[j + 1]!);
      o.limitCount = parseInteger(argv[j + 2]!);
      j += 2;
    } else if (!readonly && is(a, 'store') && left >= 1) o.store = argv[++j]!;
    else if (is(a, 'by') && left >= 1) {
      o.by = argv[++j]!;
      if (!o.by.includes('*')) o.dontSort = true;
      else if (!fullKeyAccess) throw new ReplyError('BY option of SORT denied due to insufficient ACL permissions.');
    } else if (is(a, 'get') && left >= 1) {
      if (!fullKeyAccess) throw new ReplyError('GET option of SORT denied due to insufficient ACL permissions.');
      o.gets.push(argv[++j]!);
    }
    else throw new ReplyError(E.syntax);
  }
  return o;
}

/**
 * lookupKeyByPattern: "#" is the element itself; otherwise the first '*' is replaced by the
 * element, and a trailing "->field" reads that field of a hash. Only strings (or hash fields)
 * yield a value; anything else, or a pattern without '*', yields null.
 */
function lookupByPattern(ctx: Ctx, pattern: string, element: string): string | null {
  if (pattern === '#') return element;
  const star = pattern.indexOf('*');
  if (star < 0) return null;
  const arrow = pattern.indexOf('->', star + 1);
  const field = arrow >= 0 && arrow + 2 < pattern.length ? pattern.slice(arrow + 2) : null;
  const rest = field === null ? pattern.slice(star + 1) : pattern.slice(star + 1, arrow);
  const o = ctx.db.read(pattern.slice(0, star) + element + rest);
  if (!o) return null;
  if (field !== null) return o.type === 'hash' ? (hashGet(o, field) ?? null) : null;
  return o.type === 'string' ? o.v : null;
}

const bytesCompare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

interface Item {
  ele: string;
  score: number;
  /** Alpha sort with BY: the looked-up value (null when the weight key is missing). */
  cmp: string | null;
}

function sortGeneric(ctx: Ctx, argv: string[], readonly: boolean): void {
  const o = parseOptions(argv, readonly, userReadsAllKeys(ctx.engine, ctx.client, ctx.engine.commands.get(readonly ? 'sort_ro' : 'sort')!, argv));
  const val = ctx.db.read(argv[1]!);
  if (val && val.type !== 'list' && val.type !== 'set' && val.type !== 'zset') wrongType();

  let { dontSort, alpha, by } = o;
  // A set has no order of its own: when the result is stored or goes to a script, sort it so
  // replicas (and scripts replicated by effect) agree.
  if (dontSort && val?.type === 'set' && (o.store !== null || isScriptClient(ctx.client))) {
    dontSort = false;
    alpha = true;
    by = null;
  }
  if (val?.type === 'zset' && val.enc === 'listpack') val.enc = 'skiplist'; // zsetConvert(..., SKIPLIST)

  const len = val ? (val.type === 'list' ? val.v.length : val.v.size) : 0;
  let start = Math.min(Math.max(o.limitStart, 0), len);
  const count = Math.min(Math.max(o.limitCount, -1), len);
  let end = count < 0 ? len - 1 : start + count - 1;
  if (start >= len) {
    start = len - 1;
    end = len - 2;
  }
  if (end >= len) end = len - 1;

  // Load the elements; ordered types without sorting take just the LIMIT range, in (reverse) order.
  let items: Item[] = [];
  const item = (ele: string): Item => ({ ele, score: 0, cmp: null });
  if (val?.type === 'list' && dontSort) {
    if (end >= start) {
      for (let k = 0; k < end - start + 1; k++) {
        const i = o.desc ? len - start - 1 - k : start + k;
        items.push(item(val.v.at(i)!));
      }
      end -= start;
      start = 0;
    }
  } else if (val?.type === 'list') {
    for (let i = 0; i < len; i++) items.push(item(val.v.at(i)!));
  } else if (val?.type === 'set') {
    for (const m of val.v.keys()) items.push(item(m));
  } else if (val?.type === 'zset' && dontSort) {
    const z = val.v;
    const n = Math.max(0, end - start + 1);
    let node = o.desc ? (start > 0 ? z.at(len - start - 1) : z.tail) : start > 0 ? z.at(start) : z.head;
    for (let k = 0; k < n; k++) {
      items.push(item(z.eleOf(node)));
      node = o.desc ? z.prev(node) : z.next(node);
    }
    end -= start;
    start = 0;
  } else if (val?.type === 'zset') {
    const z = val.v;
    for (let node = z.head; items.length < len; node = z.next(node)) items.push(item(z.eleOf(node)));
  }

  let conversionError = false;
  if (!dontSort) {
    for (const it of items) {
      const byVal = by !== null ? lookupByPattern(ctx, by, it.ele) : it.ele;
      if (byVal === null) continue;
      if (alpha) {
        if (by !== null) it.cmp = byVal;
        continue;
      }
      const r = strtod(byVal);
      // C stops at the first NUL: "1\0junk" is 1, and "" is 0 (strtod converts nothing, eptr is at the end).
      const stopped = r.end === byVal.length || byVal.charCodeAt(r.end) === 0;
      if (!stopped || r.erange || Number.isNaN(r.value)) conversionError = true;
      it.score = r.value;
    }
    const sign = o.desc ? -1 : 1;
    const compare = (a: Item, b: Item): number => {
      let c: number;
      if (!alpha) c = a.score > b.score ? 1 : a.score < b.score ? -1 : bytesCompare(a.ele, b.ele);
      else if (by !== null) c = a.cmp === null || b.cmp === null ? (a.cmp === b.cmp ? 0 : a.cmp === null ? -1 : 1) : bytesCompare(a.cmp, b.cmp);
      else c = bytesCompare(a.ele, b.ele);
      return sign * c;
    };
    items = items.sort(compare);
  }

  if (conversionError) throw new ReplyError("One or more scores can't be converted into double");
  const picked = end >= start ? items.slice(start, end + 1) : [];
  const outputLen = o.gets.length ? o.gets.length * picked.length : picked.length;
  const { reply } = ctx;
  if (o.store === null) {
    reply.arrayLen(outputLen);
    for (const it of picked) {
      if (!o.gets.length) reply.bulk(it.ele);
      for (const g of o.gets) reply.bulkOrNull(lookupByPattern(ctx, g, it.ele));
    }
    return;
  }
  const list = newList();
  for (const it of picked) {
    if (!o.gets.length) list.v.push(it.ele);
    for (const g of o.gets) list.v.push(lookupByPattern(ctx, g, it.ele) ?? '');
  }
  if (outputLen > 0) {
    ctx.db.set(o.store, list);
    notify(ctx, 'l', 'sortstore', o.store);
    ctx.engine.dirty += outputLen;
  } else if (ctx.db.delete(o.store)) {
    notify(ctx, 'g', 'del', o.store);
    ctx.engine.dirty++;
  }
  reply.int(outputLen);
}

const ACL_WRITE = ['write', 'set', 'sortedset', 'list', 'slow', 'dangerous'];
const ACL_READ = ['read', 'set', 'sortedset', 'list', 'slow', 'dangerous'];

export const sortCommands: CommandSpec[] = [
  cmd('sort', -2, ['write', 'denyoom', 'movablekeys'], ACL_WRITE, [1, 1, 1], 'generic', (c, a) => sortGeneric(c, a, false)),
  cmd('sort_ro', -2, ['readonly', 'movablekeys'], ACL_READ, [1, 1, 1], 'generic', (c, a) => sortGeneric(c, a, true)),
];
