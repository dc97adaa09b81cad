// One firing and one quiet case per rule, on synthetic snapshots built from INFO text (the real
// parser) and CONFIG maps. The table must cover every rule in RULES, so a new rule without tests
// fails here.

import { describe, expect, it } from 'vitest';
import { analyzeSnapshot, RULES, type Severity } from '../../src/analyze/index.js';
import type { AnalyzeContext } from '../../src/analyze/index.js';
import { parseInfo } from '../../src/collect/info-parser.js';
import { buildPair, buildSnapshot, MB, type BuildOptions } from './snapshot-builder.js';

const S = (o: BuildOptions = {}): AnalyzeContext => ({ snapshot: buildSnapshot(o) });
const P = (a: BuildOptions, b: BuildOptions, seconds = 10): AnalyzeContext => buildPair(a, b, seconds);
const GB = 1024 * MB;
const slave = { role: 'slave', master_host: '10.0.0.1', master_port: 6379, master_link_status: 'up', master_last_io_seconds_ago: 1, master_sync_in_progress: 0 };

interface Case {
  id: string;
  fire: AnalyzeContext;
  severity: Severity;
  quiet: AnalyzeContext[];
}

const CASES: Case[] = [
  // ---- memory ----
  { id: 'memory-no-maxmemory', fire: S({ info: { used_memory: 0.85 * 25276502016 } }), severity: 'critical', quiet: [S(), S({ info: { used_memory: 0.85 * 25276502016, maxmemory: 22 * GB } })] },
  { id: 'memory-near-maxmemory', fire: S({ info: { maxmemory: 110 * MB, maxmemory_policy: 'allkeys-lru' } }), severity: 'warning', quiet: [S({ info: { maxmemory: GB } })] },
  { id: 'memory-oom-rejections', fire: S({ info: { errorstat_OOM: 'count=5', maxmemory: 100 * MB } }), severity: 'critical', quiet: [S(), P({ info: { errorstat_OOM: 'count=0' } }, { info: { errorstat_OOM: 'count=0' } })] },
  { id: 'memory-evicting', fire: P({ info: { maxmemory_policy: 'allkeys-lru' } }, { info: { maxmemory_policy: 'allkeys-lru', evicted_keys: 500 } }), severity: 'info', quiet: [P({}, {}), S({ info: { evicted_keys: 500 } })] },
  { id: 'memory-volatile-policy-few-ttl', fire: S({ info: { maxmemory: GB, maxmemory_policy: 'volatile-lru', db0: 'keys=100000,expires=100,avg_ttl=0' } }), severity: 'warning', quiet: [S({ info: { maxmemory: GB, maxmemory_policy: 'volatile-lru', db0: 'keys=100000,expires=50000,avg_ttl=0' } })] },
  { id: 'memory-fragmentation', fire: S({ info: { allocator_frag_ratio: 1.3, allocator_frag_bytes: 30 * MB } }), severity: 'warning', quiet: [S(), S({ info: { used_memory: MB, allocator_frag_ratio: 3, allocator_frag_bytes: 20 * MB } })] },
  { id: 'memory-rss-overhead', fire: S({ info: { used_memory_rss: 160 * MB, mem_fragmentation_ratio: 1.6, mem_fragmentation_bytes: 60 * MB } }), severity: 'warning', quiet: [S(), S({ info: { used_memory: 2 * MB, used_memory_rss: 12 * MB, mem_fragmentation_ratio: 6, mem_fragmentation_bytes: 10 * MB } }), S({ bundled: true, info: { used_memory_rss: 160 * MB, mem_fragmentation_ratio: 1.6, mem_fragmentation_bytes: 60 * MB } })] },
  { id: 'memory-allocator-rss', fire: S({ info: { allocator_rss_ratio: 1.3, allocator_rss_bytes: 30 * MB } }), severity: 'info', quiet: [S()] },
  { id: 'memory-swapping', fire: S({ info: { used_memory: GB, used_memory_rss: 500 * MB, mem_fragmentation_ratio: 0.49 } }), severity: 'critical', quiet: [S()] },
  { id: 'memory-big-peak', fire: S({ info: { used_memory_peak: 300 * MB } }), severity: 'info', quiet: [S(), S({ info: { used_memory: MB, used_memory_peak: 4 * MB } })] },
  { id: 'memory-client-buffers', fire: S({ info: { mem_clients_normal: 50 * MB } }), severity: 'warning', quiet: [S()] },
  { id: 'memory-replica-buffers', fire: S({ info: { connected_slaves: 1, mem_clients_slaves: 50 * MB } }), severity: 'warning', quiet: [S()] },
  { id: 'memory-many-scripts', fire: S({ info: { number_of_cached_scripts: 5000 } }), severity: 'warning', quiet: [S()] },
  { id: 'memory-lazyfree-off', fire: S({ info: { cmdstat_del: 'calls=100,usec=500000,usec_per_call=5000.00,rejected_calls=0,failed_calls=0' } }), severity: 'info', quiet: [S({ info: { cmdstat_del: 'calls=100,usec=500000,usec_per_call=5000.00' }, config: { 'lazyfree-lazy-user-del': 'yes' } }), S()] },
  { id: 'memory-expired-stale', fire: S({ info: { expired_stale_perc: '30.50' } }), severity: 'critical', quiet: [S(), S({ info: { expired_stale_perc: '30.50', db0: 'keys=10,expires=0,avg_ttl=0' } })] },
  { id: 'memory-hz-many-expires', fire: S({ info: { db0: 'keys=3000000,expires=2000000,avg_ttl=1000' } }), severity: 'info', quiet: [S({ info: { db0: 'keys=3000000,expires=2000000,avg_ttl=1000' }, config: { hz: '50' } })] },
  { id: 'memory-huge-db-no-ttl', fire: S({ info: { db0: 'keys=20000000,expires=0,avg_ttl=0' } }), severity: 'info', quiet: [S({ info: { db0: 'keys=20000000,expires=0,avg_ttl=0', maxmemory: 8 * GB } })] },
  // ---- persistence ----
  { id: 'persistence-rdb-failing', fire: S({ info: { rdb_last_bgsave_status: 'err' } }), severity: 'critical', quiet: [S()] },
  { id: 'persistence-aof-write-failing', fire: S({ info: { aof_enabled: 1, aof_last_write_status: 'err' } }), severity: 'critical', quiet: [S({ info: { aof_enabled: 1 } })] },
  { id: 'persistence-aof-rewrite-failing', fire: S({ info: { aof_enabled: 1, aof_last_bgrewrite_status: 'err', aof_rewrites_consecutive_failures: 5 } }), severity: 'critical', quiet: [S({ info: { aof_enabled: 1 } })] },
  { id: 'persistence-none', fire: S({ config: { save: '' } }), severity: 'warning', quiet: [S(), S({ config: { save: '', appendonly: 'yes' } }), S({ config: null })] },
  { id: 'persistence-fork-slow', fire: S({ info: { used_memory: 4 * GB, latest_fork_usec: 500000 } }), severity: 'critical', quiet: [S({ info: { used_memory: 4 * GB, latest_fork_usec: 40000 } }), S({ info: { latest_fork_usec: 100000 } })] },
  { id: 'persistence-appendfsync-always', fire: S({ config: { appendonly: 'yes', appendfsync: 'always' } }), severity: 'info', quiet: [S({ config: { appendonly: 'yes' } })] },
  { id: 'persistence-fsync-during-rewrite', fire: S({ config: { appendonly: 'yes' }, latency: [{ event: 'aof-write-active-child', latestTime: 1, latestMs: 40, maxMs: 40 }] }), severity: 'info', quiet: [S({ config: { appendonly: 'yes', 'no-appendfsync-on-rewrite': 'yes' }, latency: [{ event: 'aof-write-active-child', latestTime: 1, latestMs: 40, maxMs: 40 }] })] },
  { id: 'persistence-loading', fire: S({ info: { loading: 1, loading_loaded_perc: '42.00', loading_eta_seconds: 12 } }), severity: 'warning', quiet: [S()] },
  // ---- clients ----
  { id: 'clients-tracking-table-full', fire: S({ info: { tracking_clients: 3, tracking_total_keys: 950, tracking_total_items: 1900 }, config: { 'tracking-table-max-keys': '1000' } }), severity: 'warning', quiet: [S({ info: { tracking_clients: 3, tracking_total_keys: 800 }, config: { 'tracking-table-max-keys': '1000' } }), S({ info: { tracking_clients: 0, tracking_total_keys: 950 }, config: { 'tracking-table-max-keys': '1000' } }), S({ info: { tracking_clients: 3, tracking_total_keys: 950 }, config: { 'tracking-table-max-keys': '0' } })] },
  { id: 'clients-rejected', fire: P({}, { info: { rejected_connections: 10 } }), severity: 'critical', quiet: [S()] },
  { id: 'clients-maxclients-headroom', fire: S({ info: { connected_clients: 9700 } }), severity: 'critical', quiet: [S()] },
  { id: 'clients-blocked', fire: S({ info: { connected_clients: 50, blocked_clients: 40 } }), severity: 'info', quiet: [S({ info: { connected_clients: 50, blocked_clients: 2 } })] },
  { id: 'clients-evicted', fire: P({}, { info: { evicted_clients: 3 } }), severity: 'warning', quiet: [S()] },
  { id: 'clients-no-idle-timeout', fire: S({ info: { connected_clients: 5000 } }), severity: 'info', quiet: [S({ info: { connected_clients: 5000 }, config: { timeout: '300' } })] },
  { id: 'clients-connection-churn', fire: P({}, { info: { total_connections_received: 5100 } }), severity: 'warning', quiet: [P({}, { info: { total_connections_received: 110 } })] },
  { id: 'clients-tcp-backlog', fire: S({ info: { rejected_connections: 5 }, config: { 'tcp-backlog': '128' } }), severity: 'info', quiet: [S({ info: { rejected_connections: 5 } }), S({ config: { 'tcp-backlog': '128' } })] },
  { id: 'clients-output-buffer-unbounded', fire: S({ config: { 'client-output-buffer-limit': 'normal 0 0 0 slave 0 0 0 pubsub 33554432 8388608 60' } }), severity: 'warning', quiet: [S()] },
  // ---- security ----
  { id: 'security-no-password', fire: S({ config: { bind: '* -::*', 'protected-mode': 'no' } }), severity: 'critical', quiet: [S(), S({ config: { bind: '* -::*', requirepass: '(set)' } })] },
  { id: 'security-protected-mode-off', fire: S({ config: { 'protected-mode': 'no' } }), severity: 'warning', quiet: [S({ config: { 'protected-mode': 'no', requirepass: '(set)' } })] },
  { id: 'security-debug-command', fire: S({ config: { 'enable-debug-command': 'yes' } }), severity: 'warning', quiet: [S(), S({ config: { 'enable-debug-command': 'local' } })] },
  { id: 'security-dangerous-commands', fire: S({ config: { bind: '0.0.0.0' } }), severity: 'warning', quiet: [S({ config: null })] },
  { id: 'security-replica-writable', fire: S({ info: slave, config: { 'replica-read-only': 'no' } }), severity: 'warning', quiet: [S({ config: { 'replica-read-only': 'no' } }), S({ info: slave })] },
  // ---- replication ----
  { id: 'replication-link-down', fire: S({ info: { ...slave, master_link_status: 'down', master_link_down_since_seconds: 30 } }), severity: 'critical', quiet: [S({ info: slave }), S()] },
  { id: 'replication-master-silent', fire: S({ info: { ...slave, master_last_io_seconds_ago: 120 } }), severity: 'critical', quiet: [S({ info: slave })] },
  { id: 'replication-replica-lag', fire: S({ info: { connected_slaves: 1, slave0: 'ip=10.0.0.2,port=6379,state=online,offset=100,lag=30' } }), severity: 'warning', quiet: [S({ info: { connected_slaves: 1, slave0: 'ip=10.0.0.2,port=6379,state=online,offset=100,lag=0' } })] },
  { id: 'replication-full-resyncs', fire: P({ info: { sync_full: 1 } }, { info: { sync_full: 3, sync_partial_err: 2 } }), severity: 'warning', quiet: [S(), P({ info: { sync_full: 1 } }, { info: { sync_full: 1 } })] },
  { id: 'cluster-state', fire: S({ clusterInfo: { cluster_state: 'fail', cluster_slots_assigned: '16384', cluster_slots_ok: '10000', cluster_slots_pfail: '0', cluster_slots_fail: '6384' } }), severity: 'critical', quiet: [S({ clusterInfo: { cluster_state: 'ok', cluster_slots_pfail: '0', cluster_slots_fail: '0' } }), S()] },
  // ---- commands ----
  { id: 'commands-keys', fire: S({ info: { cmdstat_keys: 'calls=3,usec=90000,usec_per_call=30000.00' } }), severity: 'warning', quiet: [S()] },
  { id: 'commands-flush', fire: S({ info: { cmdstat_flushall: 'calls=1,usec=100,usec_per_call=100.00' } }), severity: 'warning', quiet: [S()] },
  { id: 'commands-whole-collection-reads', fire: S({ info: { cmdstat_hgetall: 'calls=500,usec=1250000,usec_per_call=2500.00' } }), severity: 'warning', quiet: [S({ info: { cmdstat_hgetall: 'calls=500,usec=10000,usec_per_call=20.00' } })] },
  { id: 'commands-slow-average', fire: S({ info: { cmdstat_zunionstore: 'calls=100,usec=1500000,usec_per_call=15000.00' } }), severity: 'critical', quiet: [S(), S({ info: { cmdstat_blpop: 'calls=100,usec=150000000,usec_per_call=1500000.00' } }), S({ info: { cmdstat_hgetall: 'calls=500,usec=1250000,usec_per_call=2500.00' } })] },
  { id: 'commands-errors-growing', fire: P({ info: { errorstat_ERR: 'count=10' } }, { info: { errorstat_ERR: 'count=100' } }), severity: 'warning', quiet: [P({ info: { errorstat_ERR: 'count=10' } }, { info: { errorstat_ERR: 'count=10' } }), S({ info: { errorstat_ERR: 'count=10' } })] },
  { id: 'commands-hit-ratio', fire: S({ info: { keyspace_hits: 1000, keyspace_misses: 9000 } }), severity: 'warning', quiet: [S(), S({ info: { keyspace_hits: 10, keyspace_misses: 90 } })] },
  // ---- latency ----
  { id: 'latency-events', fire: S({ latency: [{ event: 'command', latestTime: 1, latestMs: 250, maxMs: 250 }] }), severity: 'warning', quiet: [S()] },
  { id: 'latency-slowlog-off', fire: S({ config: { 'slowlog-log-slower-than': '-1' } }), severity: 'warning', quiet: [S()] },
];

const ids = (ctx: AnalyzeContext): string[] => analyzeSnapshot(ctx).map((f) => f.id);

describe('rule table', () => {
  it('has a test case for every rule, and at least 30 rules', () => {
    expect(RULES.length).toBeGreaterThanOrEqual(30);
    expect(CASES.map((c) => c.id).sort()).toEqual(RULES.map((r) => r.id).sort());
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
  });

  it('every rule documents when it fires', () => {
    for (const r of RULES) expect(r.when.length, r.id).toBeGreaterThan(20);
  });

  it('a healthy loopback instance only gets the informational admin-commands note', () => {
    expect(ids(S())).toEqual(['security-dangerous-commands']);
    expect(analyzeSnapshot(S())[0]!.severity).toBe('info');
  });

  it('a snapshot without INFO or CONFIG yields no findings (never a false alarm)', () => {
    const s = buildSnapshot({ config: null });
    s.info = parseInfo('');
    expect(analyzeSnapshot({ snapshot: s })).toEqual([]);
  });

  it('findings come critical first and advice names a command or config key', () => {
    const ctx = S({ info: { rdb_last_bgsave_status: 'err', mem_clients_normal: 50 * MB }, config: { 'enable-debug-command': 'yes' } });
    const f = analyzeSnapshot(ctx);
    expect(f.map((x) => x.severity)).toEqual([...f.map((x) => x.severity)].sort((a, b) => ['critical', 'warning', 'info'].indexOf(a) - ['critical', 'warning', 'info'].indexOf(b)));
    for (const c of CASES) {
      const found = analyzeSnapshot(c.fire).find((x) => x.id === c.id)!;
      expect(found.advice, c.id).toMatch(/\b[A-Z]{3,}\b|[a-z]+-[a-z]+|redscope /);
      expect(found.evidence.length, c.id).toBeGreaterThan(5);
    }
  });

  it('thresholds can be overridden', () => {
    const ctx = S();
    expect(ids(ctx)).not.toContain('memory-no-maxmemory');
    expect(analyzeSnapshot(ctx, { thresholds: { noMaxmemoryWarnShare: 0.001 } }).map((f) => f.id)).toContain('memory-no-maxmemory');
    expect(analyzeSnapshot(ctx, { only: ['memory-no-maxmemory'], thresholds: { noMaxmemoryWarnShare: 0.001 } }).map((f) => f.id)).toEqual(['memory-no-maxmemory']);
  });
});

describe.each(CASES)('$id', (c) => {
  it(`fires (${c.severity})`, () => {
    const f = analyzeSnapshot(c.fire).find((x) => x.id === c.id);
    expect(f, `${c.id} should fire`).toBeDefined();
    expect(f!.severity).toBe(c.severity);
  });
  it('stays quiet when all is well', () => {
    for (const q of c.quiet) expect(ids(q)).not.toContain(c.id);
  });
});

describe('severity steps', () => {
  const sev = (ctx: AnalyzeContext, id: string): Severity | undefined => analyzeSnapshot(ctx).find((f) => f.id === id)?.severity;
  it('grades by threshold and context', () => {
    expect(sev(S({ info: { used_memory: 0.6 * 25276502016 } }), 'memory-no-maxmemory')).toBe('warning');
    expect(sev(S({ info: { maxmemory: 110 * MB } }), 'memory-near-maxmemory')).toBe('critical'); // noeviction
    expect(sev(P({ info: { errorstat_OOM: 'count=5' } }, { info: { errorstat_OOM: 'count=5' } }), 'memory-oom-rejections')).toBe('warning');
    expect(sev(S({ info: { rejected_connections: 10 } }), 'clients-rejected')).toBe('info');
    expect(sev(S({ config: { bind: '* -::*' } }), 'security-no-password')).toBe('warning');
    expect(sev(S({ config: { bind: '10.0.0.5 127.0.0.1' } }), 'security-no-password')).toBe('warning');
    expect(sev(S({ config: { bind: '127.0.0.1 -::1', port: '0' } }), 'security-no-password')).toBeUndefined();
    expect(sev(S({ info: { ...slave, master_last_io_seconds_ago: 30 } }), 'replication-master-silent')).toBe('warning');
    expect(sev(S({ info: { ...slave, master_link_status: 'down', master_sync_in_progress: 1 } }), 'replication-link-down')).toBe('info');
    expect(sev(S({ info: { connected_slaves: 1, slave0: 'ip=10.0.0.2,port=6379,state=wait_bgsave,offset=0,lag=0' } }), 'replication-replica-lag')).toBe('critical');
    expect(sev(P({ info: { cmdstat_keys: 'calls=3,usec=9,usec_per_call=3.00' } }, { info: { cmdstat_keys: 'calls=3,usec=9,usec_per_call=3.00' } }), 'commands-keys')).toBe('info');
    expect(sev(S({ info: { expired_stale_perc: '12.00' } }), 'memory-expired-stale')).toBe('warning');
    expect(sev(S({ info: { maxmemory: GB, maxmemory_policy: 'volatile-ttl', db0: 'keys=5000,expires=0,avg_ttl=0' } }), 'memory-volatile-policy-few-ttl')).toBe('critical');
    expect(sev(S({ config: { 'slowlog-log-slower-than': '0' } }), 'latency-slowlog-off')).toBe('info');
    expect(sev(S({ info: { keyspace_hits: 7000, keyspace_misses: 3000 } }), 'commands-hit-ratio')).toBe('info');
    expect(sev(P({ info: { keyspace_hits: 0, keyspace_misses: 0 } }, { info: { keyspace_hits: 100, keyspace_misses: 1900 } }), 'commands-hit-ratio')).toBe('warning');
  });

  it('interval rules use the previous snapshot, and ignore a restart', () => {
    const pair = P({ info: { errorstat_WRONGPASS: 'count=1' } }, { info: { errorstat_WRONGPASS: 'count=3' } });
    const f = analyzeSnapshot(pair).find((x) => x.id === 'commands-errors-growing')!;
    expect(f.severity).toBe('info');
    expect(f.advice).toContain('ACL LOG');
    const restarted = P({ info: { errorstat_ERR: 'count=1' } }, { info: { errorstat_ERR: 'count=30', run_id: 'another' } });
    expect(ids(restarted)).not.toContain('commands-errors-growing');
  });
});
