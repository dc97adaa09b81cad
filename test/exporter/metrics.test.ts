// Snapshot → metrics without a server: the INFO table's shape (180 gauges + 77 counters, as in
// redis_exporter's tables), value words and unit changes, --namespace, --role-label, cluster
// fields, the pre-computed histogram and summary in exposition text, a down target, several
// targets merged on one /metrics, and the directly written text being prom-client's to the byte.

import { describe, expect, it } from 'vitest';
import { INFO_METRICS, infoValue, mergeTargets, targetFamilies, toRegistry, writeFamilies, DEFAULT_METRIC_OPTIONS, type TargetScrape } from '../../src/exporter/index.js';
import { buildSnapshot } from '../analyze/snapshot-builder.js';
import { parseExposition, valueOf } from './helpers.js';

const scrape = (over: Partial<TargetScrape> = {}): TargetScrape => ({
  snapshot: buildSnapshot(),
  error: '',
  durationSeconds: 0.01,
  connectSeconds: 0,
  self: { scrapes: 1, durationSum: 0.01, durationCount: 1 },
  ...over,
});

async function text(t: TargetScrape, opts = DEFAULT_METRIC_OPTIONS) {
  return parseExposition(writeFamilies(targetFamilies(t, opts).families.values()));
}

describe('INFO metric table', () => {
  it('maps 257 INFO fields (180 gauges, 77 counters) to valid, unambiguous names', () => {
    const all = [...INFO_METRICS.values()];
    expect(all.filter((m) => m.type === 'gauge')).toHaveLength(180);
    expect(all.filter((m) => m.type === 'counter')).toHaveLength(77);
    const byName = new Map<string, string>();
    for (const m of all) {
      expect(m.name).toMatch(/^[a-z_][a-z0-9_]*$/);
      expect(byName.get(m.name) ?? m.type, m.name).toBe(m.type);
      byName.set(m.name, m.type);
    }
  });

  it('reads words and units as redis_exporter does', () => {
    expect(infoValue('ok')).toBe(1);
    expect(infoValue('err')).toBe(0);
    expect(infoValue('fail')).toBe(0);
    expect(infoValue('12.5')).toBe(12.5);
    expect(infoValue('jemalloc-5.3.0')).toBeNull();
    expect(infoValue('')).toBeNull();
    expect(infoValue('  ')).toBeNull();
    expect(infoValue('OK')).toBe(1);
    expect(infoValue('0')).toBe(0);
    expect(infoValue('2000', INFO_METRICS.get('latest_fork_usec')!.transform)).toBe(0.002);
  });
});

describe('targetFamilies', () => {
  it('exports INFO fields under their compatible names and types', async () => {
    const f = await text(scrape());
    expect(valueOf(f, 'redis_latest_fork_seconds')).toBe(0.002);
    expect(f.has('redis_latest_fork_usec')).toBe(false);
    expect(valueOf(f, 'redis_rdb_last_bgsave_status')).toBe(1);
    expect(f.get('redis_keyspace_hits_total')!.type).toBe('counter');
    expect(f.get('redis_total_error_replies')!.type).toBe('counter');
    expect(f.get('redis_memory_used_bytes')!.type).toBe('gauge');
    expect(f.has('redis_total_system_memory_bytes')).toBe(false); // opt-in
    expect(valueOf(f, 'redis_start_time_seconds')).toBe(1_795_281_880 - 3600);
    expect(valueOf(f, 'redis_hz')).toBe(10);
  });

  it('honours --namespace (redscope_* stays) and --role-label (not on self metrics)', async () => {
    const f = await text(scrape(), { ...DEFAULT_METRIC_OPTIONS, namespace: 'kv', roleLabel: true });
    expect(valueOf(f, 'kv_up')).toBe(1);
    expect(f.has('redis_up')).toBe(false);
    expect(f.get('kv_memory_used_bytes')!.samples[0]!.labels).toEqual({ instance_role: 'master' });
    expect(f.get('kv_up')!.samples[0]!.labels).toEqual({});
    expect(f.has('redscope_fragmentation_verdict')).toBe(true);
  });

  it('exports CLUSTER INFO fields as gauges, with the two renames', async () => {
    const s = buildSnapshot({ clusterInfo: { cluster_state: 'ok', cluster_slots_fail: '0', cluster_stats_messages_sent: '15' } });
    const f = await text(scrape({ snapshot: s }));
    expect(valueOf(f, 'redis_cluster_state')).toBe(1);
    expect(valueOf(f, 'redis_cluster_slots_fail')).toBe(0);
    expect(f.get('redis_cluster_messages_sent_total')).toMatchObject({ type: 'gauge' });
  });

  it('writes LATENCY HISTOGRAM as a histogram and latencystats as a summary with quantiles 50/99/99.9', async () => {
    const s = buildSnapshot({
      info: {
        cmdstat_config: 'calls=1,usec=5,usec_per_call=5.00,rejected_calls=0,failed_calls=0',
        'cmdstat_config|get': 'calls=2,usec=40,usec_per_call=20.00,rejected_calls=0,failed_calls=0',
        'latency_percentiles_usec_config|get': 'p50=16.000,p99=24.000,p99.9=24.000',
      },
    });
    s.latency = { latest: [], histogram: { config: { calls: 3, buckets: [[8, 1], [32, 3]] } } };
    const f = await text(scrape({ snapshot: s }));
    const h = f.get('redis_commands_latencies_usec')!;
    expect(h.type).toBe('histogram');
    expect(valueOf(f, 'redis_commands_latencies_usec_bucket', { cmd: 'config', le: '8' })).toBe(1);
    expect(valueOf(f, 'redis_commands_latencies_usec_bucket', { cmd: 'config', le: '+Inf' })).toBe(3);
    expect(valueOf(f, 'redis_commands_latencies_usec_sum', { cmd: 'config' })).toBe(45); // config + config|get
    expect(f.get('redis_latency_percentiles_usec')!.type).toBe('summary');
    expect(valueOf(f, 'redis_latency_percentiles_usec', { cmd: 'config|get', quantile: '99.9' })).toBe(24);
    expect(valueOf(f, 'redis_latency_percentiles_usec_count', { cmd: 'config|get' })).toBe(2);
    expect(valueOf(f, 'redis_commands_duration_seconds_total', { cmd: 'config|get' })).toBe(0.00004);
  });

  it('regroups the slow log when it changed, also when only the server (run_id) differs', async () => {
    const entry = (id: number, args: string[]) => ({ id, time: 1_795_281_000 + id, durationUs: 20_000, args, client: '127.0.0.1:5000', clientName: '' });
    const groups = async (runId: string, entries: ReturnType<typeof entry>[]) => {
      const f = await text(scrape({ snapshot: buildSnapshot({ info: { run_id: runId }, slowlog: entries }) }));
      return f.get('redscope_slowlog_group_entries')!.samples.map((x) => `${x.labels['command']} ${x.value}`).sort();
    };
    const older = [entry(7, ['GET', 'user:1'])];
    expect(await groups('r1', older)).toEqual(['GET 1']);
    expect(await groups('r1', older)).toEqual(['GET 1']);
    expect(await groups('r1', [entry(8, ['HGETALL', 'big']), ...older])).toEqual(['GET 1', 'HGETALL 1']);
    // Another server may log other commands under the same ids.
    expect(await groups('r2', [entry(7, ['KEYS', '*'])])).toEqual(['KEYS 1']);
  });

  it('exports only self metrics for a down target', async () => {
    const f = await text(scrape({ snapshot: null, error: 'connection refused' }));
    expect(valueOf(f, 'redis_up')).toBe(0);
    expect(valueOf(f, 'redis_exporter_last_scrape_error', { err: 'connection refused' })).toBe(1);
    expect(f.has('redis_memory_used_bytes')).toBe(false);
  });

  it('tells several targets apart by a target label, and leaves a single target untouched', async () => {
    const a = targetFamilies(scrape());
    const b = targetFamilies(scrape({ snapshot: null, error: 'down' }));
    const one = mergeTargets([{ name: 'a', set: a }], DEFAULT_METRIC_OPTIONS);
    expect(one).toBe(a);
    const f = parseExposition(writeFamilies(mergeTargets([{ name: 'a', set: a }, { name: 'b', set: b }], DEFAULT_METRIC_OPTIONS).families.values()));
    expect(valueOf(f, 'redis_up', { target: 'a' })).toBe(1);
    expect(valueOf(f, 'redis_up', { target: 'b' })).toBe(0);
  });

  it("writes the very bytes prom-client's Registry prints for the same families", async () => {
    const s = buildSnapshot({
      info: {
        'cmdstat_config|get': 'calls=2,usec=40,usec_per_call=20.00,rejected_calls=0,failed_calls=0',
        'latency_percentiles_usec_config|get': 'p50=16.000,p99=24.000,p99.9=24.000',
        'errorstat_ERR': 'count=3',
      },
    });
    s.latency = { latest: [{ event: 'command', latestTime: 1_795_281_000, latestMs: 25, maxMs: 40 }], histogram: { config: { calls: 3, buckets: [[8, 1], [32, 3]] } } };
    // Label values that need escaping: quote, backslash, newline.
    const down = scrape({ snapshot: null, error: 'said "no" \\ twice\nthen more' });
    const sets = [
      { name: 'a', set: targetFamilies(scrape({ snapshot: s }), { ...DEFAULT_METRIC_OPTIONS, includeConfigMetrics: true }) },
      { name: 'b"\\', set: targetFamilies(down) },
    ];
    for (const set of [sets[0]!.set, mergeTargets(sets, DEFAULT_METRIC_OPTIONS)]) {
      const ours = writeFamilies(set.families.values());
      expect(ours.split('\n').length).toBeGreaterThan(300);
      expect(ours).toBe(await toRegistry(set).metrics());
    }
  });
});
