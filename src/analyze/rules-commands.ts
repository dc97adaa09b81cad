// Command rules, from INFO commandstats/errorstats/stats and the rates between two polls: O(N)
// admin commands in production (KEYS, FLUSHALL), whole-collection reads on big keys, commands
// that are slow on average, error replies that keep growing, and a cache that mostly misses.

import { counterDelta, grade, known, type Rule, type RuleContext } from './finding.js';
import type { CommandStat } from '../collect/info-parser.js';

/** Calls of `cmd` in the last interval (rates or previous snapshot); null when no interval is known. */
function callsNow(ctx: RuleContext, cmd: string): number | null {
  if (ctx.rates) return (ctx.rates.commandsPerSec[cmd] ?? 0) * ctx.rates.seconds;
  const p = ctx.previous;
  if (!p) return null;
  const a = p.info.commandstats[cmd]?.calls ?? 0;
  const b = ctx.snapshot.info.commandstats[cmd]?.calls ?? 0;
  return b >= a ? b - a : null;
}

/** Commands that read a whole collection (or an arbitrary range of it): fine on small keys, O(N) on big ones. */
const WHOLE_READS = ['hgetall', 'hkeys', 'hvals', 'smembers', 'sunion', 'sinter', 'sdiff', 'lrange', 'zrange', 'zrangebyscore', 'zrevrange', 'zrevrangebyscore', 'sort', 'sort_ro'];

/** Commands whose time includes waiting or background work by design: their average says nothing about load. */
const NOT_LOAD = new Set([
  'blpop', 'brpop', 'brpoplpush', 'blmove', 'blmpop', 'bzpopmin', 'bzpopmax', 'bzmpop', 'xread', 'xreadgroup', 'wait', 'waitaof',
  'debug', 'save', 'bgsave', 'bgrewriteaof', 'shutdown', 'sync', 'psync', 'monitor', 'subscribe', 'psubscribe', 'ssubscribe',
  'exec', 'keys', 'flushall', 'flushdb', 'migrate', 'restore', 'client|pause', 'replicaof', 'slaveof', 'failover',
]);

const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;

function usedCommand(ids: string[], title: string, advice: string): Rule['evaluate'] {
  return (ctx) => {
    const used = ids.map((c) => [c, ctx.snapshot.info.commandstats[c]] as const).filter((x): x is readonly [string, CommandStat] => (x[1]?.calls ?? 0) > 0);
    if (used.length === 0) return null;
    const now = used.map(([c]) => callsNow(ctx, c));
    const anyNow = now.some((n) => n !== null && n > 0);
    const intervalKnown = now.every((n) => n !== null);
    return {
      severity: anyNow || !intervalKnown ? 'warning' : 'info',
      title,
      evidence:
        used.map(([c, st], i) => `${c.toUpperCase()}: ${plural(st.calls, 'call')}, ${Math.round(st.usecPerCall)} µs each${now[i] ? ` (+${Math.round(now[i]!)} in the last interval)` : ''}`).join('; ') + '.',
      advice,
    };
  };
}

export const COMMAND_RULES: Rule[] = [
  {
    id: 'commands-keys',
    area: 'commands',
    when: 'cmdstat_keys shows calls: warning when called in the last interval (or no interval is known), info when only in the past.',
    evaluate: usedCommand(
      ['keys'],
      'KEYS is used: it scans the whole keyspace and blocks the server',
      'Replace KEYS with SCAN (cursor-based, with MATCH and COUNT); block it for applications with rename-command KEYS "" or ACL SETUSER app -keys.',
    ),
  },
  {
    id: 'commands-flush',
    area: 'commands',
    when: 'cmdstat_flushall or cmdstat_flushdb shows calls: warning when called in the last interval (or no interval is known), info otherwise.',
    evaluate: usedCommand(
      ['flushall', 'flushdb'],
      'FLUSHALL/FLUSHDB were called',
      'If that was not intended, block them: rename-command FLUSHALL "" / FLUSHDB "" or ACL SETUSER app -flushall -flushdb. Use FLUSHALL ASYNC (or lazyfree-lazy-user-flush yes) to avoid blocking on big datasets.',
    ),
  },
  {
    id: 'commands-whole-collection-reads',
    area: 'commands',
    when: 'HGETALL/HKEYS/HVALS/SMEMBERS/SUNION/SINTER/SDIFF/LRANGE/ZRANGE*/SORT average ≥ fullReadUsPerCall (100 µs) per call: info; ≥ 10× that: warning.',
    evaluate({ snapshot: s, rates, thresholds: t }) {
      const slow = WHOLE_READS.map((c) => {
        const st = s.info.commandstats[c];
        const us = rates?.usecPerCall[c] ?? st?.usecPerCall ?? NaN;
        return { c, st, us };
      }).filter((x) => x.st && x.st.calls > 0 && known(x.us) && x.us >= t.fullReadUsPerCall);
      if (slow.length === 0) return null;
      slow.sort((a, b) => b.us - a.us);
      const worst = slow[0]!.us;
      return {
        severity: worst >= t.fullReadUsPerCall * 10 ? 'warning' : 'info',
        title: 'Whole-collection reads on big keys',
        evidence: slow.map((x) => `${x.c.toUpperCase()} ${Math.round(x.us)} µs/call over ${plural(x.st!.calls, 'call')}`).join('; ') + '.',
        advice: 'Read big collections incrementally (HSCAN/SSCAN/ZSCAN, LRANGE in pages) or split them; `redscope slowlog` shows which keys, `redscope keys` the biggest ones.',
      };
    },
  },
  {
    id: 'commands-slow-average',
    area: 'commands',
    when: 'A command (not blocking, admin, or a whole-collection read, which have their own rules) with ≥ slowCommandMinCalls (10) calls averaging ≥ slowCommandWarnUs (1 ms): warning; ≥ slowCommandCriticalUs (10 ms): critical. Uses the last interval when rates are known.',
    evaluate({ snapshot: s, rates, thresholds: t }) {
      const rows = Object.entries(s.info.commandstats)
        .filter(([c, st]) => !NOT_LOAD.has(c) && !WHOLE_READS.includes(c) && st.calls >= t.slowCommandMinCalls)
        .map(([c, st]) => ({ c, calls: st.calls, us: rates && c in rates.usecPerCall ? rates.usecPerCall[c] : st.usecPerCall }))
        .filter((r): r is { c: string; calls: number; us: number } => r.us !== null && known(r.us) && r.us >= t.slowCommandWarnUs)
        .sort((a, b) => b.us - a.us);
      if (rows.length === 0) return null;
      const severity = grade(rows[0]!.us, [
        [t.slowCommandWarnUs, 'warning'],
        [t.slowCommandCriticalUs, 'critical'],
      ])!;
      return {
        severity,
        title: 'Commands are slow on average',
        evidence: rows.slice(0, 5).map((r) => `${r.c.toUpperCase()} ${(r.us / 1000).toFixed(2)} ms/call (${plural(r.calls, 'call')})`).join('; ') + '.',
        advice: 'Every slow call blocks all other clients. Find the keys and arguments with `redscope slowlog` (SLOWLOG GET), then split big keys or page the reads (SCAN family); CONFIG SET slowlog-log-slower-than 1000 catches them.',
      };
    },
  },
  {
    id: 'commands-errors-growing',
    area: 'commands',
    when: 'errorstats counters (other than OOM, which has its own rule) grew since the previous snapshot: warning at ≥ errorsWarnPerSec (1/s), info below.',
    evaluate(ctx) {
      const p = ctx.previous;
      if (!p) return null;
      if (p.identity.runId && ctx.snapshot.identity.runId && p.identity.runId !== ctx.snapshot.identity.runId) return null;
      const seconds = ctx.rates?.seconds ?? Math.max((ctx.snapshot.takenAt - p.takenAt) / 1000, 1e-3);
      const grew = Object.entries(ctx.snapshot.info.errorstats)
        .filter(([prefix]) => prefix !== 'OOM')
        .map(([prefix, n]) => ({ prefix, d: n - (p.info.errorstats[prefix] ?? 0) }))
        .filter((x) => x.d > 0)
        .sort((a, b) => b.d - a.d);
      if (grew.length === 0) return null;
      const total = grew.reduce((a, x) => a + x.d, 0);
      const auth = grew.some((x) => x.prefix === 'WRONGPASS' || x.prefix === 'NOAUTH' || x.prefix === 'NOPERM');
      return {
        severity: total / seconds >= ctx.thresholds.errorsWarnPerSec ? 'warning' : 'info',
        title: 'Clients keep getting error replies',
        evidence: `${grew.map((x) => `${x.prefix} +${x.d}`).join(', ')} in ${seconds.toFixed(0)} s (${(total / seconds).toFixed(2)}/s).`,
        advice: auth
          ? 'Authentication errors: a client has a wrong or missing password, or someone is guessing (ACL LOG shows who). Other errors: failed_calls in INFO commandstats names the command.'
          : 'INFO commandstats failed_calls / rejected_calls names the failing command; fix the client (wrong types, syntax) or the cause (MISCONF, READONLY, BUSY).',
      };
    },
  },
  {
    id: 'commands-hit-ratio',
    area: 'commands',
    when: 'keyspace hit ratio (last interval, else since start) below hitRatioInfo (0.8): info; below hitRatioWarn (0.5): warning; only with ≥ hitRatioMinLookups (1000) lookups.',
    evaluate(ctx) {
      const s = ctx.snapshot;
      const t = ctx.thresholds;
      const hitsNow = counterDelta(ctx, 'keyspace_hits');
      const missesNow = counterDelta(ctx, 'keyspace_misses');
      let hits: number;
      let misses: number;
      let span: string;
      if (hitsNow !== null && missesNow !== null) {
        [hits, misses, span] = [hitsNow, missesNow, 'in the last interval'];
      } else {
        [hits, misses, span] = [Number(s.info.fields['keyspace_hits']), Number(s.info.fields['keyspace_misses']), 'since start'];
      }
      if (!known(hits, misses) || hits + misses < t.hitRatioMinLookups) return null;
      const r = hits / (hits + misses);
      const severity = r < t.hitRatioWarn ? 'warning' : r < t.hitRatioInfo ? 'info' : null;
      if (!severity) return null;
      return {
        severity,
        title: 'Low cache hit ratio',
        evidence: `${(r * 100).toFixed(1)}% of ${hits + misses} key lookups found their key ${span} (keyspace_hits ${hits}, keyspace_misses ${misses}).`,
        advice: 'If this is a cache: TTLs may be too short, maxmemory too small (check evicted_keys), or clients read keys that are never written. Under eviction, CONFIG SET maxmemory-policy allkeys-lfu keeps frequently used keys longer.',
      };
    },
  },
];
