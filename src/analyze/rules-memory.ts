// Memory rules: limits (maxmemory vs the machine, vs the dataset), the eviction policy against what
// the keyspace holds, MEMORY DOCTOR's fragmentation/overhead flags with its byte floors (so a tiny
// instance, where ratios are meaningless, is never flagged), buffers, scripts and expiry upkeep.

import { formatBytes } from '../common/format.js';
import { conf, confNum, counterDelta, field, grade, keyspaceTotals, known, rssMeaningful, text, type Rule, type RuleContext } from './finding.js';

const pct = (x: number): string => `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`;
const ratio = (x: number): string => x.toFixed(2);

/** Evictions in the interval: from rates, else from the previous snapshot; null when unknown. */
function evictionsNow(ctx: RuleContext): number | null {
  if (ctx.rates && ctx.rates.evictedKeysPerSec !== null) return ctx.rates.evictedKeysPerSec * ctx.rates.seconds;
  return counterDelta(ctx, 'evicted_keys');
}

export const MEMORY_RULES: Rule[] = [
  {
    id: 'memory-no-maxmemory',
    area: 'memory',
    when: 'maxmemory is 0 and used_memory ≥ noMaxmemoryWarnShare (50%) of total_system_memory: warning; ≥ noMaxmemoryCriticalShare (80%): critical.',
    evaluate({ snapshot: s, thresholds: t }) {
      const max = field(s, 'maxmemory');
      const used = field(s, 'used_memory');
      const system = field(s, 'total_system_memory');
      if (!known(max, used, system) || max !== 0 || system <= 0) return null;
      const share = used / system;
      const severity = grade(share, [
        [t.noMaxmemoryWarnShare, 'warning'],
        [t.noMaxmemoryCriticalShare, 'critical'],
      ]);
      if (!severity) return null;
      return {
        severity,
        title: 'No memory limit, and the dataset is large for this machine',
        evidence: `maxmemory is 0 (unlimited); used_memory ${formatBytes(used)} is ${pct(share)} of total_system_memory ${formatBytes(system)}. A fork for BGSAVE/AOF rewrite can need up to twice that under copy-on-write.`,
        advice: 'Set a limit below physical memory with headroom for fork and buffers, e.g. CONFIG SET maxmemory <bytes> (and persist it with CONFIG REWRITE), and choose maxmemory-policy for the workload.',
      };
    },
  },
  {
    id: 'memory-near-maxmemory',
    area: 'memory',
    when: 'used_memory / maxmemory ≥ maxmemoryWarnShare (90%): warning (critical under noeviction); ≥ maxmemoryCriticalShare (98%): critical.',
    evaluate({ snapshot: s, thresholds: t }) {
      const max = field(s, 'maxmemory');
      const used = field(s, 'used_memory');
      if (!known(max, used) || max <= 0) return null;
      const share = used / max;
      const policy = text(s, 'maxmemory_policy') ?? conf(s, 'maxmemory-policy') ?? '';
      let severity = grade(share, [
        [t.maxmemoryWarnShare, 'warning'],
        [t.maxmemoryCriticalShare, 'critical'],
      ]);
      if (!severity) return null;
      if (policy === 'noeviction') severity = 'critical';
      return {
        severity,
        title: policy === 'noeviction' ? 'Memory almost full and nothing may be evicted: writes will fail' : 'Memory close to maxmemory',
        evidence: `used_memory ${formatBytes(used)} is ${pct(share)} of maxmemory ${formatBytes(max)}; maxmemory-policy ${policy || '?'}.`,
        advice:
          policy === 'noeviction'
            ? 'Raise CONFIG SET maxmemory, delete or expire data (EXPIRE / UNLINK), or switch CONFIG SET maxmemory-policy allkeys-lru if this is a cache.'
            : 'Raise CONFIG SET maxmemory or shrink the dataset; check `redscope keys` for the biggest keys and prefixes.',
      };
    },
  },
  {
    id: 'memory-oom-rejections',
    area: 'memory',
    when: 'errorstat_OOM > 0: critical when it grew since the previous snapshot (or no previous is known), warning when it only happened in the past.',
    evaluate(ctx) {
      const s = ctx.snapshot;
      const oom = s.info.errorstats['OOM'];
      if (oom === undefined || !(oom > 0)) return null;
      const before = ctx.previous?.info.errorstats['OOM'];
      const growing = ctx.previous === undefined || before === undefined || oom > before;
      const policy = text(s, 'maxmemory_policy') ?? conf(s, 'maxmemory-policy') ?? '?';
      return {
        severity: growing ? 'critical' : 'warning',
        title: 'Writes rejected with OOM (maxmemory reached)',
        evidence: `errorstat_OOM count=${oom}${ctx.previous && before !== undefined ? ` (+${oom - before} since the previous poll)` : ''}; maxmemory ${formatBytes(field(s, 'maxmemory'))}, maxmemory-policy ${policy}.`,
        advice:
          policy === 'noeviction'
            ? 'Under noeviction every write past maxmemory fails. Raise CONFIG SET maxmemory, free data, or let Redis evict with CONFIG SET maxmemory-policy allkeys-lru (caches) / volatile-lru (keys with TTL).'
            : `maxmemory-policy ${policy} found nothing evictable: give keys a TTL (EXPIRE) for volatile-* policies, use allkeys-*, or raise CONFIG SET maxmemory.`,
      };
    },
  },
  {
    id: 'memory-evicting',
    area: 'memory',
    when: 'Keys were evicted since the previous snapshot: info (expected for a cache), warning under a volatile-* policy (keys with a TTL are being removed before they expire).',
    evaluate(ctx) {
      const n = evictionsNow(ctx);
      if (n === null || n <= 0) return null;
      const s = ctx.snapshot;
      const policy = text(s, 'maxmemory_policy') ?? conf(s, 'maxmemory-policy') ?? '?';
      const perSec = ctx.rates?.evictedKeysPerSec;
      return {
        severity: policy.startsWith('volatile-') ? 'warning' : 'info',
        title: 'Keys are being evicted',
        evidence: `${Math.round(n)} keys evicted in the last interval${perSec != null ? ` (${perSec.toFixed(1)}/s)` : ''}; maxmemory ${formatBytes(field(s, 'maxmemory'))}, maxmemory-policy ${policy}.`,
        advice: 'If this is not meant to be a cache, raise CONFIG SET maxmemory or shrink the data; if it is, check the hit ratio and the policy (CONFIG SET maxmemory-policy allkeys-lfu keeps hot keys).',
      };
    },
  },
  {
    id: 'memory-volatile-policy-few-ttl',
    area: 'memory',
    when: 'maxmemory set, maxmemory-policy volatile-*, at least keyspaceMinKeys keys and fewer than volatileMinTtlShare (10%) with a TTL: warning (critical when none has a TTL).',
    evaluate({ snapshot: s, thresholds: t }) {
      const policy = text(s, 'maxmemory_policy') ?? conf(s, 'maxmemory-policy');
      const max = field(s, 'maxmemory');
      if (!policy?.startsWith('volatile-') || !(max > 0)) return null;
      const { keys, expires } = keyspaceTotals(s);
      if (keys < t.keyspaceMinKeys) return null;
      const share = expires / keys;
      if (share >= t.volatileMinTtlShare) return null;
      return {
        severity: expires === 0 ? 'critical' : 'warning',
        title: 'Eviction policy only evicts keys with a TTL, and few keys have one',
        evidence: `maxmemory-policy ${policy}; ${expires} of ${keys} keys (${pct(share)}) have a TTL. At maxmemory Redis can only evict those, then rejects writes with OOM.`,
        advice: 'Use CONFIG SET maxmemory-policy allkeys-lru (or allkeys-lfu) for a cache, or give the evictable keys a TTL (EXPIRE / SET ... EX).',
      };
    },
  },
  {
    id: 'memory-fragmentation',
    area: 'memory',
    when: 'allocator_frag_ratio > allocatorFragRatio (1.1) and allocator_frag_bytes > fragBytesFloor (10 MB), as MEMORY DOCTOR high_alloc_frag: warning; ratio ≥ 1.5: critical. Silent below memoryFloorBytes.',
    evaluate({ snapshot: s, thresholds: t }) {
      const used = field(s, 'used_memory');
      const r = field(s, 'allocator_frag_ratio');
      const b = field(s, 'allocator_frag_bytes');
      if (!known(used, r, b) || used < t.memoryFloorBytes) return null;
      if (!(r > t.allocatorFragRatio && b > t.fragBytesFloor)) return null;
      const jemalloc = (text(s, 'mem_allocator') ?? '').startsWith('jemalloc');
      const defrag = conf(s, 'activedefrag');
      return {
        severity: r >= t.allocatorFragCriticalRatio ? 'critical' : 'warning',
        title: 'Memory is fragmented inside the allocator',
        evidence: `allocator_frag_ratio ${ratio(r)}, allocator_frag_bytes ${formatBytes(b)} (used_memory ${formatBytes(used)}); activedefrag ${defrag ?? '?'}.`,
        advice: jemalloc
          ? `CONFIG SET activedefrag yes (it starts once fragmentation passes active-defrag-ignore-bytes${known(confNum(s, 'active-defrag-ignore-bytes')) ? ` = ${formatBytes(confNum(s, 'active-defrag-ignore-bytes'))}` : ''} and active-defrag-threshold-lower${known(confNum(s, 'active-defrag-threshold-lower')) ? ` = ${confNum(s, 'active-defrag-threshold-lower')}%` : ''}); see \`redscope memory\`. A restart that reloads from RDB/AOF also compacts memory.`
          : 'Active defrag needs jemalloc; this server uses another allocator. Restart with persistence (RDB/AOF reload) to compact memory.',
      };
    },
  },
  {
    id: 'memory-rss-overhead',
    area: 'memory',
    when: 'mem_fragmentation_ratio > rssOverheadRatio (1.4) and mem_fragmentation_bytes > fragBytesFloor (10 MB), as MEMORY DOCTOR high_frag: warning. Silent below memoryFloorBytes and on the bundled engine (its RSS is the Node.js process).',
    evaluate({ snapshot: s, thresholds: t }) {
      const used = field(s, 'used_memory');
      const r = field(s, 'mem_fragmentation_ratio');
      const b = field(s, 'mem_fragmentation_bytes');
      const rss = field(s, 'used_memory_rss');
      if (!rssMeaningful(s) || !known(used, r, rss) || used < t.memoryFloorBytes) return null;
      const bytes = Number.isFinite(b) ? b : rss - used;
      if (!(r > t.rssOverheadRatio && bytes > t.fragBytesFloor)) return null;
      const peak = field(s, 'used_memory_peak');
      return {
        severity: 'warning',
        title: 'Process RSS is much larger than the data Redis holds',
        evidence: `used_memory_rss ${formatBytes(rss)} vs used_memory ${formatBytes(used)}: mem_fragmentation_ratio ${ratio(r)}, ${formatBytes(bytes)} extra${known(peak) ? `; used_memory_peak ${formatBytes(peak)}` : ''}.`,
        advice: 'See `redscope memory` for where the RSS goes: allocator fragmentation → CONFIG SET activedefrag yes; pages the allocator keeps → MEMORY PURGE; after a big peak only a restart with persistence returns it.',
      };
    },
  },
  {
    id: 'memory-allocator-rss',
    area: 'memory',
    when: 'allocator_rss_ratio > allocatorRssRatio (1.1) and allocator_rss_bytes > fragBytesFloor (10 MB), as MEMORY DOCTOR high_alloc_rss: info.',
    evaluate({ snapshot: s, thresholds: t }) {
      const used = field(s, 'used_memory');
      const r = field(s, 'allocator_rss_ratio');
      const b = field(s, 'allocator_rss_bytes');
      if (!known(used, r, b) || used < t.memoryFloorBytes) return null;
      if (!(r > t.allocatorRssRatio && b > t.fragBytesFloor)) return null;
      return {
        severity: 'info',
        title: 'The allocator holds freed pages it has not returned yet',
        evidence: `allocator_rss_ratio ${ratio(r)}, allocator_rss_bytes ${formatBytes(b)}.`,
        advice: 'MEMORY PURGE asks jemalloc to release them now; usually they are released on their own soon after a big delete.',
      };
    },
  },
  {
    id: 'memory-swapping',
    area: 'memory',
    when: 'mem_fragmentation_ratio < swapRatio (0.9) with used_memory − rss > fragBytesFloor and used_memory ≥ memoryFloorBytes: critical (part of the dataset is in swap).',
    evaluate({ snapshot: s, thresholds: t }) {
      const used = field(s, 'used_memory');
      const rss = field(s, 'used_memory_rss');
      const r = field(s, 'mem_fragmentation_ratio');
      if (!rssMeaningful(s) || !known(used, rss, r) || used < t.memoryFloorBytes) return null;
      if (!(r < t.swapRatio && used - rss > t.fragBytesFloor)) return null;
      return {
        severity: 'critical',
        title: 'RSS is below used memory: the server is probably swapping',
        evidence: `used_memory ${formatBytes(used)} but used_memory_rss only ${formatBytes(rss)} (mem_fragmentation_ratio ${ratio(r)}).`,
        advice: 'Swapped pages make every access a disk read. Give the host more RAM or lower CONFIG SET maxmemory; check `vmstat` / swap use on the host and consider vm.swappiness.',
      };
    },
  },
  {
    id: 'memory-big-peak',
    area: 'memory',
    when: 'used_memory_peak / used_memory > peakRatio (1.5) and used_memory ≥ memoryFloorBytes, as MEMORY DOCTOR big_peak: info.',
    evaluate({ snapshot: s, thresholds: t }) {
      const used = field(s, 'used_memory');
      const peak = field(s, 'used_memory_peak');
      if (!known(used, peak) || used < t.memoryFloorBytes) return null;
      if (!(peak / used > t.peakRatio)) return null;
      return {
        severity: 'info',
        title: 'Memory peaked far above current use',
        evidence: `used_memory_peak ${formatBytes(peak)} is ${ratio(peak / used)}× used_memory ${formatBytes(used)}; the allocator may keep that memory in RSS.`,
        advice: 'Size the host for the peak, or return memory with MEMORY PURGE (or a restart with persistence). Look for mass writes or big replies that caused it.',
      };
    },
  },
  {
    id: 'memory-client-buffers',
    area: 'memory',
    when: 'mem_clients_normal per normal client > clientBufferPerClientBytes (200 KB, MEMORY DOCTOR big_client_buf) or client_recent_max_output_buffer > clientOutputBufferBytes (64 MB): warning.',
    evaluate({ snapshot: s, thresholds: t }) {
      const mem = field(s, 'mem_clients_normal');
      const clients = field(s, 'connected_clients');
      const replicas = field(s, 'connected_slaves');
      const maxOut = field(s, 'client_recent_max_output_buffer');
      const normal = known(clients) ? clients - (known(replicas) ? replicas : 0) : NaN;
      const perClient = known(mem, normal) && normal > 0 ? mem / normal : NaN;
      const perClientBad = known(perClient) && perClient > t.clientBufferPerClientBytes && mem > t.fragBytesFloor / 10;
      const maxOutBad = known(maxOut) && maxOut > t.clientOutputBufferBytes;
      if (!perClientBad && !maxOutBad) return null;
      return {
        severity: 'warning',
        title: 'Client buffers hold a lot of memory',
        evidence: [
          known(mem) ? `mem_clients_normal ${formatBytes(mem)} over ${normal} clients (${formatBytes(Math.round(perClient))} each)` : '',
          known(maxOut) ? `client_recent_max_output_buffer ${formatBytes(maxOut)}` : '',
        ]
          .filter(Boolean)
          .join('; ') + '.',
        advice: 'Find the client with CLIENT LIST (omem, qbuf columns): slow pub/sub consumers, huge replies (HGETALL/LRANGE 0 -1 on big keys) or very deep pipelines. Cap it with client-output-buffer-limit normal/pubsub and maxmemory-clients.',
      };
    },
  },
  {
    id: 'memory-replica-buffers',
    area: 'memory',
    when: 'connected_slaves > 0 and mem_clients_slaves > replicaBufferBytes (10 MB), as MEMORY DOCTOR big_slave_buf: warning.',
    evaluate({ snapshot: s, thresholds: t }) {
      const n = field(s, 'connected_slaves');
      const mem = field(s, 'mem_clients_slaves');
      if (!known(n, mem) || n <= 0 || !(mem > t.replicaBufferBytes)) return null;
      return {
        severity: 'warning',
        title: 'Replica output buffers are large',
        evidence: `mem_clients_slaves ${formatBytes(mem)} for ${n} replica(s).`,
        advice: 'A replica cannot keep up (slow network or disk on the replica). Check INFO replication lag; client-output-buffer-limit replica bounds it (a disconnect means a full resync), repl-backlog-size sets how long a partial resync stays possible.',
      };
    },
  },
  {
    id: 'memory-many-scripts',
    area: 'memory',
    when: 'number_of_cached_scripts > cachedScripts (1000), as MEMORY DOCTOR many_scripts: warning.',
    evaluate({ snapshot: s, thresholds: t }) {
      const n = field(s, 'number_of_cached_scripts');
      if (!known(n) || n <= t.cachedScripts) return null;
      const mem = field(s, 'used_memory_scripts_eval');
      return {
        severity: 'warning',
        title: 'Thousands of Lua scripts are cached',
        evidence: `number_of_cached_scripts ${n}${known(mem) ? ` using ${formatBytes(mem)}` : ''}.`,
        advice: 'Scripts are being built with values inlined. Pass values as KEYS/ARGV and call one script with EVALSHA (or use FUNCTION LOAD); SCRIPT FLUSH clears the cache.',
      };
    },
  },
  {
    id: 'memory-lazyfree-off',
    area: 'memory',
    when: 'lazyfree-lazy-user-del is no and DEL averages ≥ bigDeleteUsPerCall (1 ms) per call, or an expire-del / evict-del latency event exists: info.',
    evaluate({ snapshot: s, thresholds: t }) {
      const lazy = conf(s, 'lazyfree-lazy-user-del');
      if (lazy === undefined || lazy === 'yes') return null;
      const del = s.info.commandstats['del'];
      const slowDel = del && del.calls > 0 && del.usecPerCall >= t.bigDeleteUsPerCall;
      const events = (s.latency?.latest ?? []).filter((e) => /^(expire-del|evict-del|eviction-del)$/.test(e.event)).map((e) => e.event);
      if (!slowDel && events.length === 0) return null;
      return {
        severity: 'info',
        title: 'Big keys are freed on the main thread',
        evidence: [slowDel ? `DEL averages ${Math.round(del!.usecPerCall)} µs per call over ${del!.calls} calls` : '', events.length ? `latency events: ${events.join(', ')}` : '']
          .filter(Boolean)
          .join('; ') + '; lazyfree-lazy-user-del no.',
        advice: 'Free big values in the background: use UNLINK instead of DEL, or CONFIG SET lazyfree-lazy-user-del yes (and lazyfree-lazy-expire / lazyfree-lazy-eviction yes for expiry and eviction).',
      };
    },
  },
  {
    id: 'memory-expired-stale',
    area: 'memory',
    when: 'expired_stale_perc ≥ staleExpiredWarnPerc (10%): warning; ≥ staleExpiredCriticalPerc (25%): critical. Needs keys with a TTL.',
    evaluate({ snapshot: s, thresholds: t }) {
      const p = field(s, 'expired_stale_perc');
      const { expires } = keyspaceTotals(s);
      if (!known(p) || expires === 0) return null;
      const severity = grade(p, [
        [t.staleExpiredWarnPerc, 'warning'],
        [t.staleExpiredCriticalPerc, 'critical'],
      ]);
      if (!severity) return null;
      const capped = field(s, 'expired_time_cap_reached_count');
      return {
        severity,
        title: 'Many logically expired keys still hold memory',
        evidence: `expired_stale_perc ${p}% (estimated share of keys with a TTL that already expired but are not yet reclaimed); ${expires} keys have a TTL${known(capped) ? `; expired_time_cap_reached_count ${capped}` : ''}.`,
        advice: 'The active expire cycle cannot keep up: raise CONFIG SET active-expire-effort (1–10) or CONFIG SET hz (e.g. 50–100); spread TTLs so keys do not all expire at once.',
      };
    },
  },
  {
    id: 'memory-hz-many-expires',
    area: 'memory',
    when: 'hz ≤ 10 with at least hzManyExpires (1 M) keys carrying a TTL: info.',
    evaluate({ snapshot: s, thresholds: t }) {
      const hz = known(confNum(s, 'hz')) ? confNum(s, 'hz') : field(s, 'hz');
      const { expires } = keyspaceTotals(s);
      if (!known(hz) || hz > 10 || expires < t.hzManyExpires) return null;
      return {
        severity: 'info',
        title: 'Low hz for a keyspace with many TTLs',
        evidence: `hz ${hz}; ${expires} keys have a TTL.`,
        advice: 'CONFIG SET hz 50 (or dynamic-hz yes, the default) and/or active-expire-effort to reclaim expired keys sooner.',
      };
    },
  },
  {
    id: 'memory-huge-db-no-ttl',
    area: 'memory',
    when: 'A db with at least hugeDbKeys (10 M) keys, none with a TTL, and no maxmemory: info.',
    evaluate({ snapshot: s, thresholds: t }) {
      const max = field(s, 'maxmemory');
      if (!known(max) || max > 0) return null;
      const dbs = Object.entries(s.info.keyspace).filter(([, db]) => db.keys >= t.hugeDbKeys && db.expires === 0);
      if (dbs.length === 0) return null;
      return {
        severity: 'info',
        title: 'A huge keyspace with no expiry and no memory limit',
        evidence: dbs.map(([n, db]) => `db${n}: ${db.keys} keys, 0 with a TTL`).join('; ') + '; maxmemory 0.',
        advice: 'Nothing bounds this growth. If the data is derived or cached, set TTLs (EXPIRE); otherwise plan capacity with `redscope keys` and set CONFIG SET maxmemory.',
      };
    },
  },
];
