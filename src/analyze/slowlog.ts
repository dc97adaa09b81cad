// The slowlog report: SLOWLOG entries grouped by command and argument shape, so a thousand
// `HGETALL user:1234` calls read as one line `HGETALL user:#`. Ids, numbers, UUIDs and hex ids in
// key names are normalised (the idea redis-faina applied to MONITOR output); arguments become
// `?` (values) or `#` (numbers) except where a number is the point (LRANGE 0 -1). Per group:
// count, total/mean/p50/p99/max duration, first/last seen, the slowest call; overall: top clients
// by address and by name, and the anti-patterns found (KEYS, full-range reads, big multi-key
// calls, SORT, FLUSHALL...). SlowlogTracker keeps only entries not seen before, by id, across polls.

import type { SlowlogEntry, Snapshot } from '../collect/snapshot.js';
import { percentileSorted, sortedCopy } from './percentile.js';

// ---- normalisation ----

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** A run of 8+ hex characters holding at least one digit and one letter (object ids, hashes). */
const HEX = /(?<![0-9a-z])(?=[0-9a-f]*[0-9])(?=[0-9a-f]*[a-f])[0-9a-f]{8,}(?![0-9a-z])/gi;
const DIGITS = /\d+/g;

/** "user:8f14e45f-ea2b-4c1d-9a0e-3b1e2f4a5b6c:cart:17" → "user:{uuid}:cart:#". */
export function normalizeKey(key: string): string {
  return key.replace(UUID, '{uuid}').replace(HEX, '{hex}').replace(DIGITS, '#');
}

/** Redis marks truncation in the logged argv; these recover the true shape. */
const MORE_ARGS = /^\.\.\. \((\d+) more arguments\)$/;
const MORE_BYTES = /\.\.\. \(\d+ more bytes\)$/;

/** Commands whose first argument is a subcommand ("CONFIG GET"). */
const CONTAINERS = new Set(['config', 'client', 'object', 'memory', 'debug', 'script', 'cluster', 'xinfo', 'xgroup', 'command', 'acl', 'latency', 'slowlog', 'function', 'module', 'pubsub']);
/** Every argument is a key. */
const ALL_KEYS = new Set(['mget', 'del', 'unlink', 'exists', 'touch', 'watch', 'sunion', 'sinter', 'sdiff', 'pfcount']);
/** key value key value ... */
const KEY_VALUE = new Set(['mset', 'msetnx']);
/** One key, then any number of items: the items' count does not change the shape. */
const KEY_ITEMS = new Set(['hset', 'hmset', 'hdel', 'hmget', 'sadd', 'srem', 'smismember', 'zadd', 'zrem', 'zmscore', 'rpush', 'lpush', 'rpushx', 'lpushx', 'pfadd', 'geoadd', 'sintercard', 'xadd', 'xack', 'xdel']);
/** Numeric arguments are the point (ranges, limits): keep them literally. */
const RANGES = new Set(['lrange', 'ltrim', 'zrange', 'zrevrange', 'zrangebyscore', 'zrevrangebyscore', 'zrangebylex', 'zrevrangebylex', 'zremrangebyrank', 'zremrangebyscore', 'getrange', 'xrange', 'xrevrange', 'sort', 'sort_ro', 'zrangestore']);
/** Option words kept as they are; anything else that is not a number is a value (`?`). */
const KEYWORDS = new Set(
  'ex px exat pxat nx xx gt lt ch incr keepttl get withscores withscore limit count match type byscore bylex rev async sync by asc desc alpha store weights aggregate sum min max left right before after len idx minmatchlen withmatchlen block streams group noack maxlen minid justid'.split(' '),
);

const isNumber = (s: string): boolean => /^[-+]?(\d+(\.\d*)?|\.\d+|inf)$/i.test(s) || s === '+inf' || s === '-inf';

export interface EntryShape {
  /** Upper-case command, with the subcommand for container commands ("CONFIG GET"). */
  command: string;
  /** The grouping key: command + normalised keys + argument shape. */
  pattern: string;
  /** Number of arguments including the command, as sent (truncation undone). */
  argc: number;
}

function restShape(cmd: string, rest: string[]): string[] {
  return rest.map((a) => {
    if (RANGES.has(cmd) && isNumber(a)) return a;
    if (isNumber(a)) return '#';
    if (KEYWORDS.has(a.toLowerCase())) return a.toUpperCase();
    return '?';
  });
}

/** The shape of one logged command. */
export function entryShape(args: readonly string[]): EntryShape {
  let argv = [...args];
  let argc = argv.length;
  const last = argv[argv.length - 1];
  const more = last === undefined ? null : MORE_ARGS.exec(last);
  if (more) {
    argv = argv.slice(0, -1);
    argc = argv.length + Number(more[1]);
  }
  argv = argv.map((a) => a.replace(MORE_BYTES, ''));
  if (argv.length === 0) return { command: '?', pattern: '?', argc: 0 };
  const cmd = argv[0]!.toLowerCase();
  let head = cmd.toUpperCase();
  let rest = argv.slice(1);
  if (CONTAINERS.has(cmd) && rest.length > 0) {
    head = `${head} ${rest[0]!.toUpperCase()}`;
    rest = rest.slice(1);
    return { command: head, pattern: [head, ...restShape(cmd, rest)].join(' '), argc };
  }
  let parts: string[];
  if (cmd === 'keys') parts = rest.slice(0, 1); // the glob is the point
  else if (cmd === 'scan') parts = restShape(cmd, rest);
  else if (cmd === 'eval' || cmd === 'evalsha' || cmd === 'fcall' || cmd === 'eval_ro' || cmd === 'evalsha_ro' || cmd === 'fcall_ro') {
    const numkeys = Number(rest[1]);
    const keys = Number.isInteger(numkeys) ? rest.slice(2, 2 + numkeys).map(normalizeKey) : [];
    parts = [cmd.startsWith('eval') && !cmd.startsWith('evalsha') ? '{script}' : (rest[0] ?? '?'), Number.isInteger(numkeys) ? String(numkeys) : '?', ...[...new Set(keys)], '…'];
  } else if (ALL_KEYS.has(cmd)) {
    parts = [...new Set(rest.map(normalizeKey))];
    if (argc - 1 > parts.length) parts.push('…');
  } else if (KEY_VALUE.has(cmd)) {
    parts = [...new Set(rest.filter((_, i) => i % 2 === 0).map(normalizeKey))];
    parts.push('…');
  } else if (KEY_ITEMS.has(cmd)) {
    parts = rest.length > 0 ? [normalizeKey(rest[0]!), '…'] : [];
  } else {
    parts = rest.length > 0 ? [normalizeKey(rest[0]!), ...restShape(cmd, rest.slice(1))] : [];
  }
  return { command: head, pattern: [head, ...parts].join(' '), argc };
}

// ---- anti-patterns ----

export interface AntiPattern {
  id: string;
  title: string;
  advice: string;
  /** True when this logged call is an instance of the anti-pattern. */
  matches(args: readonly string[], shape: EntryShape, durationUs: number): boolean;
}

const lc = (args: readonly string[], i: number): string => (args[i] ?? '').toLowerCase();
/** Keys in a multi-key call at or above this count are "big". */
const BIG_MULTI = 100;

export const ANTI_PATTERNS: AntiPattern[] = [
  {
    id: 'keys',
    title: 'KEYS scans the whole keyspace',
    advice: 'Use SCAN with MATCH and COUNT; block KEYS for applications (rename-command KEYS "" or ACL -keys).',
    matches: (a) => lc(a, 0) === 'keys',
  },
  {
    id: 'full-list-read',
    title: 'LRANGE 0 -1 reads a whole list',
    advice: 'Page through the list (LRANGE key start start+99) or cap its length with LTRIM.',
    matches: (a) => lc(a, 0) === 'lrange' && a[2] === '0' && a[3] === '-1',
  },
  {
    id: 'full-zset-read',
    title: 'A whole sorted set is read (0 -1 or -inf +inf)',
    advice: 'Read by rank or score windows with LIMIT, or ZSCAN.',
    matches: (a) => {
      const c = lc(a, 0);
      if ((c === 'zrange' || c === 'zrevrange') && a[2] === '0' && a[3] === '-1') return true;
      const lo = lc(a, 2);
      const hi = lc(a, 3);
      const open = (x: string): boolean => x === '-inf' || x === '+inf' || x === 'inf';
      return (c === 'zrangebyscore' || c === 'zrevrangebyscore') && open(lo) && open(hi) && !a.some((x) => x.toLowerCase() === 'limit');
    },
  },
  {
    id: 'whole-collection-read',
    title: 'HGETALL/SMEMBERS/HKEYS/HVALS on a big key',
    advice: 'Iterate with HSCAN/SSCAN, fetch only the fields needed (HMGET), or split the key.',
    matches: (a) => ['hgetall', 'smembers', 'hkeys', 'hvals'].includes(lc(a, 0)),
  },
  {
    id: 'big-multi-key',
    title: `Multi-key commands with ${BIG_MULTI} or more keys/items`,
    advice: 'Send smaller batches (e.g. 50–100 keys per MGET/DEL) in a pipeline; each big call blocks everyone else.',
    matches: (a, s) => ['mget', 'mset', 'del', 'unlink', 'exists', 'hmget', 'hdel', 'sadd', 'srem', 'zadd', 'zrem', 'rpush', 'lpush'].includes(lc(a, 0)) && s.argc - 1 >= BIG_MULTI,
  },
  {
    id: 'big-key-delete',
    title: 'DEL of a big key blocks while freeing it',
    advice: 'Use UNLINK (frees in the background) or CONFIG SET lazyfree-lazy-user-del yes.',
    matches: (a, s, us) => lc(a, 0) === 'del' && s.argc <= 3 && us >= 1000,
  },
  {
    id: 'sort',
    title: 'SORT is O(N+M·log M) and often slow',
    advice: 'Keep data pre-sorted in a sorted set, or SORT with LIMIT on small inputs only.',
    matches: (a) => lc(a, 0) === 'sort' || lc(a, 0) === 'sort_ro',
  },
  {
    id: 'set-algebra',
    title: 'SUNION/SINTER/SDIFF over big sets',
    advice: 'Keep the sets small, precompute results, or run these on a replica.',
    matches: (a) => /^(sunion|sinter|sdiff)(store)?$/.test(lc(a, 0)),
  },
  {
    id: 'flush',
    title: 'FLUSHALL/FLUSHDB without ASYNC',
    advice: 'Use FLUSHALL ASYNC (or lazyfree-lazy-user-flush yes), and block flushes for applications with ACL -flushall -flushdb.',
    matches: (a) => (lc(a, 0) === 'flushall' || lc(a, 0) === 'flushdb') && !a.slice(1).some((x) => x.toLowerCase() === 'async'),
  },
  {
    id: 'slow-script',
    title: 'Lua scripts or functions running 10 ms or more',
    advice: 'Scripts block the server while they run: do less per call, or move the work to the client; busy-reply-threshold bounds the damage.',
    matches: (a, _s, us) => /^(eval|evalsha|fcall)(_ro)?$/.test(lc(a, 0)) && us >= 10_000,
  },
];

// ---- report ----

export interface SlowlogGroup {
  command: string;
  pattern: string;
  count: number;
  totalUs: number;
  meanUs: number;
  p50Us: number;
  p99Us: number;
  maxUs: number;
  /** Unix seconds of the first and last call in the group. */
  firstSeen: number;
  lastSeen: number;
  antiPatterns: string[];
  slowest: SlowlogEntry;
}

export interface ClientTally {
  /** IP address (port dropped: it changes per connection) or client name ("" = unnamed). */
  client: string;
  count: number;
  totalUs: number;
}

export interface SlowlogReport {
  entries: SlowlogEntry[];
  count: number;
  totalUs: number;
  firstSeen: number | null;
  lastSeen: number | null;
  /** Heaviest first (by total time). */
  groups: SlowlogGroup[];
  clients: { byAddress: ClientTally[]; byName: ClientTally[] };
  antiPatterns: Array<{ id: string; title: string; advice: string; count: number; patterns: string[] }>;
  /** Entries that left the server's log between two polls before they were read (tracker only). */
  missed: number;
}

/** "10.0.0.5:51234" → "10.0.0.5"; "[::1]:6000" / "::1:6000" → "::1"; unix sockets kept whole. */
export function clientHost(addr: string): string {
  if (addr.startsWith('/')) return addr.replace(/:0$/, '');
  const i = addr.lastIndexOf(':');
  return i > 0 ? addr.slice(0, i).replace(/^\[|\]$/g, '') : addr;
}

function tally(map: Map<string, ClientTally>, client: string, us: number): void {
  const t = map.get(client) ?? { client, count: 0, totalUs: 0 };
  t.count++;
  t.totalUs += us;
  map.set(client, t);
}

const heaviest = (a: ClientTally, b: ClientTally): number => b.totalUs - a.totalUs || b.count - a.count || a.client.localeCompare(b.client);

export function slowlogReport(entries: readonly SlowlogEntry[], missed = 0): SlowlogReport {
  const groups = new Map<string, { shape: EntryShape; list: SlowlogEntry[]; anti: Set<string> }>();
  const byAddress = new Map<string, ClientTally>();
  const byName = new Map<string, ClientTally>();
  const anti = new Map<string, { count: number; patterns: Set<string> }>();
  let totalUs = 0;
  let first: number | null = null;
  let last: number | null = null;
  for (const e of entries) {
    const shape = entryShape(e.args);
    const g = groups.get(shape.pattern) ?? { shape, list: [], anti: new Set<string>() };
    g.list.push(e);
    groups.set(shape.pattern, g);
    for (const ap of ANTI_PATTERNS) {
      if (!ap.matches(e.args, shape, e.durationUs)) continue;
      g.anti.add(ap.id);
      const a = anti.get(ap.id) ?? { count: 0, patterns: new Set<string>() };
      a.count++;
      a.patterns.add(shape.pattern);
      anti.set(ap.id, a);
    }
    tally(byAddress, clientHost(e.client), e.durationUs);
    tally(byName, e.clientName, e.durationUs);
    totalUs += e.durationUs;
    first = first === null ? e.time : Math.min(first, e.time);
    last = last === null ? e.time : Math.max(last, e.time);
  }
  const out: SlowlogGroup[] = [...groups.values()].map(({ shape, list, anti: ids }) => {
    const d = sortedCopy(list.map((e) => e.durationUs));
    const total = d.reduce((a, x) => a + x, 0);
    const slowest = list.reduce((a, e) => (e.durationUs > a.durationUs ? e : a));
    return {
      command: shape.command,
      pattern: shape.pattern,
      count: list.length,
      totalUs: total,
      meanUs: total / list.length,
      p50Us: percentileSorted(d, 50),
      p99Us: percentileSorted(d, 99),
      maxUs: d[d.length - 1]!,
      firstSeen: Math.min(...list.map((e) => e.time)),
      lastSeen: Math.max(...list.map((e) => e.time)),
      antiPatterns: [...ids],
      slowest,
    };
  });
  out.sort((a, b) => b.totalUs - a.totalUs || b.count - a.count || a.pattern.localeCompare(b.pattern));
  return {
    entries: [...entries],
    count: entries.length,
    totalUs,
    firstSeen: first,
    lastSeen: last,
    groups: out,
    clients: { byAddress: [...byAddress.values()].sort(heaviest), byName: [...byName.values()].sort(heaviest) },
    antiPatterns: ANTI_PATTERNS.filter((ap) => anti.has(ap.id)).map((ap) => ({
      id: ap.id,
      title: ap.title,
      advice: ap.advice,
      count: anti.get(ap.id)!.count,
      patterns: [...anti.get(ap.id)!.patterns],
    })),
    missed,
  };
}

/**
 * Follows one target's slow log across polls: `take()` returns only entries whose id was not seen
 * before (ids are per server run and survive SLOWLOG RESET), keeps them for `report()`, and counts
 * entries that were pushed out of the server's log before a poll could read them.
 */
export class SlowlogTracker {
  private lastId = -1;
  private runId = '';
  private started = false;
  private kept: SlowlogEntry[] = [];
  missed = 0;

  /** `maxKept` bounds memory in long sessions (oldest dropped first); `includeExisting` false starts from "now". */
  constructor(private readonly opts: { maxKept?: number; includeExisting?: boolean } = {}) {}

  take(snapshot: Snapshot): SlowlogEntry[] {
    const entries = snapshot.slowlog?.entries ?? [];
    const runId = snapshot.identity.runId;
    const maxId = entries.reduce((m, e) => Math.max(m, e.id), -1);
    // A new run id, or ids going backwards, means the server restarted: its ids start again at 0.
    const restarted = (this.runId !== '' && runId !== '' && runId !== this.runId) || (entries.length > 0 && maxId < this.lastId);
    if (restarted) this.lastId = -1;
    this.runId = runId || this.runId;
    if (!this.started) {
      this.started = true;
      if (this.opts.includeExisting === false) {
        this.lastId = maxId;
        return [];
      }
    }
    const fresh = entries.filter((e) => e.id > this.lastId).sort((a, b) => a.id - b.id);
    if (fresh.length === 0) return [];
    if (this.lastId >= 0 && fresh[0]!.id > this.lastId + 1) this.missed += fresh[0]!.id - this.lastId - 1;
    this.lastId = fresh[fresh.length - 1]!.id;
    this.kept.push(...fresh);
    const max = this.opts.maxKept ?? 10_000;
    if (this.kept.length > max) this.kept.splice(0, this.kept.length - max);
    return fresh;
  }

  /** Everything taken so far. */
  get entries(): readonly SlowlogEntry[] {
    return this.kept;
  }

  report(): SlowlogReport {
    return slowlogReport(this.kept, this.missed);
  }
}
