// Synthetic Snapshots for rule tests: a healthy Redis 7.0.15 (INFO ALL and CONFIG as a real fresh
// server reports them, trimmed to the fields rules read), with per-test overrides. The INFO text
// is rendered and parsed with the real parseInfo, so tests exercise the same parse as production.

import { parseInfo } from '../../src/collect/info-parser.js';
import type { Capabilities, LatencyEvent, SlowlogEntry, Snapshot } from '../../src/collect/snapshot.js';

/** section → [field, value] in INFO order. */
const BASE_INFO: Array<[string, Array<[string, string]>]> = [
  ['Server', [
    ['redis_version', '7.0.15'], ['redis_mode', 'standalone'], ['os', 'Linux 6.1 x86_64'], ['arch_bits', '64'],
    ['run_id', '3437b266c8437a3376296ef2e8d8311dca8dcff0'], ['tcp_port', '6379'], ['uptime_in_seconds', '3600'], ['hz', '10'], ['configured_hz', '10'],
  ]],
  ['Clients', [
    ['connected_clients', '5'], ['cluster_connections', '0'], ['maxclients', '10000'], ['client_recent_max_input_buffer', '20480'],
    ['client_recent_max_output_buffer', '0'], ['blocked_clients', '0'], ['tracking_clients', '0'], ['clients_in_timeout_table', '0'],
  ]],
  ['Memory', [
    ['used_memory', '104857600'], ['used_memory_rss', '115343360'], ['used_memory_peak', '110100480'], ['used_memory_overhead', '5242880'],
    ['used_memory_startup', '876200'], ['used_memory_dataset', '99614720'], ['allocator_allocated', '105000000'], ['allocator_active', '108000000'],
    ['allocator_resident', '112000000'], ['total_system_memory', '25276502016'], ['used_memory_vm_eval', '32768'], ['used_memory_scripts_eval', '0'],
    ['number_of_cached_scripts', '0'], ['used_memory_scripts', '200'], ['maxmemory', '0'], ['maxmemory_policy', 'noeviction'],
    ['allocator_frag_ratio', '1.03'], ['allocator_frag_bytes', '3000000'], ['allocator_rss_ratio', '1.04'], ['allocator_rss_bytes', '4000000'],
    ['rss_overhead_ratio', '1.03'], ['rss_overhead_bytes', '3343360'], ['mem_fragmentation_ratio', '1.10'], ['mem_fragmentation_bytes', '10485760'],
    ['mem_not_counted_for_evict', '0'], ['mem_replication_backlog', '0'], ['mem_total_replication_buffers', '0'], ['mem_clients_slaves', '0'],
    ['mem_clients_normal', '102400'], ['mem_cluster_links', '0'], ['mem_aof_buffer', '0'], ['mem_allocator', 'jemalloc-5.3.0'],
    ['active_defrag_running', '0'], ['lazyfree_pending_objects', '0'], ['lazyfreed_objects', '0'],
  ]],
  ['Persistence', [
    ['loading', '0'], ['rdb_changes_since_last_save', '0'], ['rdb_bgsave_in_progress', '0'], ['rdb_last_save_time', '1795281880'],
    ['rdb_last_bgsave_status', 'ok'], ['rdb_last_bgsave_time_sec', '1'], ['aof_enabled', '0'], ['aof_rewrite_in_progress', '0'],
    ['aof_last_bgrewrite_status', 'ok'], ['aof_rewrites_consecutive_failures', '0'], ['aof_last_write_status', 'ok'],
  ]],
  ['Stats', [
    ['total_connections_received', '100'], ['total_commands_processed', '100000'], ['instantaneous_ops_per_sec', '30'],
    ['total_net_input_bytes', '5000000'], ['total_net_output_bytes', '9000000'], ['rejected_connections', '0'], ['sync_full', '0'],
    ['sync_partial_ok', '0'], ['sync_partial_err', '0'], ['expired_keys', '100'], ['expired_stale_perc', '0.00'],
    ['expired_time_cap_reached_count', '0'], ['evicted_keys', '0'], ['evicted_clients', '0'], ['keyspace_hits', '90000'],
    ['keyspace_misses', '5000'], ['latest_fork_usec', '2000'], ['total_forks', '3'], ['total_error_replies', '0'],
  ]],
  ['Replication', [
    ['role', 'master'], ['connected_slaves', '0'], ['master_repl_offset', '0'], ['repl_backlog_active', '0'], ['repl_backlog_size', '1048576'],
  ]],
  ['CPU', [['used_cpu_sys', '1.0'], ['used_cpu_user', '2.0']]],
  ['Commandstats', [
    ['cmdstat_get', 'calls=90000,usec=180000,usec_per_call=2.00,rejected_calls=0,failed_calls=0'],
    ['cmdstat_set', 'calls=10000,usec=30000,usec_per_call=3.00,rejected_calls=0,failed_calls=0'],
  ]],
  ['Errorstats', []],
  ['Latencystats', [
    ['latency_percentiles_usec_get', 'p50=2.007,p99=5.023,p99.9=11.007'],
    ['latency_percentiles_usec_set', 'p50=3.007,p99=7.007,p99.9=15.039'],
  ]],
  ['Cluster', [['cluster_enabled', '0']]],
  ['Keyspace', [['db0', 'keys=100000,expires=20000,avg_ttl=3600000']]],
];

/** CONFIG GET * values of a fresh 7.0.15 (the ones rules read), bound to loopback so the base is quiet. */
export const BASE_CONFIG: Record<string, string> = {
  bind: '127.0.0.1 -::1', port: '6379', 'protected-mode': 'yes', requirepass: '', 'enable-debug-command': 'no',
  maxmemory: '0', 'maxmemory-policy': 'noeviction', 'maxmemory-clients': '0', save: '3600 1 300 100 60 10000', appendonly: 'no',
  appendfsync: 'everysec', 'no-appendfsync-on-rewrite': 'no', 'stop-writes-on-bgsave-error': 'yes', timeout: '0', 'tcp-backlog': '511',
  hz: '10', 'lazyfree-lazy-user-del': 'no', 'lazyfree-lazy-expire': 'no', 'lazyfree-lazy-eviction': 'no', 'slowlog-log-slower-than': '10000',
  'slowlog-max-len': '128', 'latency-monitor-threshold': '0', 'client-output-buffer-limit': 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60',
  'replica-read-only': 'yes', 'repl-timeout': '60', activedefrag: 'no', 'active-defrag-ignore-bytes': '104857600',
  'active-defrag-threshold-lower': '10', 'active-defrag-threshold-upper': '100', 'active-defrag-cycle-min': '1', 'active-defrag-cycle-max': '25',
};

export interface BuildOptions {
  /** INFO field overrides; null removes the field. New fields go to the section their name implies (Stats otherwise). */
  info?: Record<string, string | number | null>;
  /** CONFIG overrides; null removes the key. `config: null` makes CONFIG unreadable. */
  config?: Record<string, string | null> | null;
  latency?: LatencyEvent[];
  slowlog?: SlowlogEntry[];
  memoryStats?: Record<string, number | string> | null;
  clusterInfo?: Record<string, string> | null;
  takenAt?: number;
  /** The bundled engine (RSS is the Node.js process). */
  bundled?: boolean;
}

function sectionFor(fieldName: string): string {
  if (fieldName.startsWith('cmdstat_')) return 'Commandstats';
  if (fieldName.startsWith('errorstat_')) return 'Errorstats';
  if (fieldName.startsWith('latency_percentiles_usec_')) return 'Latencystats';
  if (/^db\d+$/.test(fieldName)) return 'Keyspace';
  if (/^(slave\d+|master_|slave_|repl_)/.test(fieldName)) return 'Replication';
  if (/^(used_memory|mem_|allocator_|maxmemory)/.test(fieldName)) return 'Memory';
  if (/^(rdb_|aof_|loading)/.test(fieldName)) return 'Persistence';
  return 'Stats';
}

/** INFO text of the base with overrides applied. */
export function infoText(overrides: BuildOptions['info'] = {}): string {
  const sections = BASE_INFO.map(([name, fields]) => [name, new Map(fields)] as const);
  for (const [k, v] of Object.entries(overrides)) {
    const home = sections.find(([, f]) => f.has(k)) ?? sections.find(([n]) => n === sectionFor(k))!;
    if (v === null) home[1].delete(k);
    else home[1].set(k, String(v));
  }
  return sections.map(([name, f]) => [`# ${name}`, ...[...f].map(([k, v]) => `${k}:${v}`), ''].join('\r\n')).join('\r\n');
}

const CAPS: Capabilities = { infoAll: true, config: true, slowlog: true, latency: true, latencyHistogram: true, memoryStats: true, clusterInfo: false, notes: {} };

export function buildSnapshot(o: BuildOptions = {}): Snapshot {
  const info = parseInfo(infoText(o.info));
  const config: Record<string, string> = {};
  if (o.config !== null) {
    for (const [k, v] of Object.entries({ ...BASE_CONFIG, ...(o.config ?? {}) })) if (v !== null) config[k] = v;
  }
  return {
    target: { name: 'test', bundled: o.bundled ?? false },
    takenAt: o.takenAt ?? 1_795_281_880_000,
    rttMs: 0.2,
    identity: {
      flavor: 'redis',
      version: info.fields['redis_version'] ?? '?',
      mode: 'standalone',
      role: info.fields['role'] === 'slave' ? 'replica' : 'master',
      runId: info.fields['run_id'] ?? '',
      os: '',
      port: 6379,
    },
    info,
    config,
    slowlog: { length: o.slowlog?.length ?? 0, entries: o.slowlog ?? [] },
    latency: { latest: o.latency ?? [], histogram: null },
    memoryStats: o.memoryStats ?? null,
    clusterInfo: o.clusterInfo ?? null,
    capabilities: { ...CAPS, config: o.config !== null, notes: {} },
    problems: [],
  };
}

/** A pair of snapshots `seconds` apart: `before` built from `a`, the later one from `b`. */
export function buildPair(a: BuildOptions, b: BuildOptions, seconds = 10): { previous: Snapshot; snapshot: Snapshot } {
  const previous = buildSnapshot({ takenAt: 1_795_281_880_000, ...a });
  const snapshot = buildSnapshot({ takenAt: 1_795_281_880_000 + seconds * 1000, ...b });
  return { previous, snapshot };
}

export const MB = 1024 * 1024;
