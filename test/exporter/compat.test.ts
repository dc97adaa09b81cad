// The drop-in proof: a real redis-server 7.0 (master + replica), Debian's prometheus-redis-exporter
// and ours scrape the same servers; every metric family the reference exports is exported by ours
// with the same type and label names (deliberate exceptions listed below with their reasons), and
// stable values agree. Then `promtool check metrics` lints our text, and a real Prometheus scrapes
// ours (/metrics and /scrape?target=) and reports up == 1 and redis_up == 1 through its API.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startRedis, type TestServer } from '../helpers/servers.js';
import { RespClient } from '../helpers/resp-client.js';
import type { RunningExporter } from '../../src/exporter/index.js';
import { fetchText, parseExposition, textOf, redisSpec, startOurs, startReference, valueOf, type ParsedFamily, type Reference } from './helpers.js';

/** Families of the reference we deliberately do not export, with the reason. */
const MISSING_OK: Array<[RegExp, string]> = [[/^go_/, 'Go runtime metrics of the reference process; ours runs on Node (its process_* are exported)']];

/** Families whose type differs from Debian's redis_exporter 1.45, on purpose. */
const TYPE_DIFFERENCES: Record<string, string> = {
  redis_expired_time_cap_reached_total: 'counter, as redis_exporter v1.88 (the documented basis) types it; 1.45 had it as a gauge',
};

/** Labels ours adds to a reference family (the reference's own labels must all be there). */
const EXTRA_LABELS: Record<string, string[]> = {
  redis_instance_info: ['master_replid'], // added by redis_exporter after 1.45 (v1.88 has it)
};

function compare(ref: Map<string, ParsedFamily>, ours: Map<string, ParsedFamily>) {
  const missing: string[] = [];
  const problems: string[] = [];
  for (const [name, f] of ref) {
    const o = ours.get(name);
    if (!o) {
      if (!MISSING_OK.some(([re]) => re.test(name))) missing.push(name);
      continue;
    }
    if (o.type !== f.type && !TYPE_DIFFERENCES[name]) problems.push(`${name}: type ${o.type}, reference ${f.type}`);
    for (const l of f.labelNames) if (!o.labelNames.has(l)) problems.push(`${name}: label '${l}' missing`);
    for (const l of o.labelNames) if (!f.labelNames.has(l) && !(EXTRA_LABELS[name] ?? []).includes(l)) problems.push(`${name}: extra label '${l}'`);
  }
  return { missing, problems };
}

describe('exporter vs redis_exporter on redis-server 7.0', () => {
  let master: TestServer;
  let replica: TestServer;
  let reference: Reference;
  let ours: RunningExporter;
  const pages: Record<string, Map<string, ParsedFamily>> = {};
  let oursText = '';

  beforeAll(async () => {
    master = await startRedis({ 'slowlog-log-slower-than': '0', 'latency-monitor-threshold': '1', maxmemory: '100mb' });
    replica = await startRedis({ replicaof: ['127.0.0.1', String(master.port)] });
    const c = await RespClient.connect(master.port);
    await c.pipeline([
      ['SET', 'user:1', '10', 'EX', '1000'],
      ['SET', 'user:2', 'x'],
      ['RPUSH', 'queue:a', '1', '2', '3'],
      ['SELECT', '2'],
      ['SET', 'other', '1'],
      ['SELECT', '0'],
      ['INCR', 'queue:a'], // WRONGTYPE → errorstats
      ['NOSUCHCOMMAND'], // ERR → errorstats
      ['DEBUG', 'SLEEP', '0.02'], // a latency monitor event
    ]);
    c.close();
    const r = await RespClient.connect(replica.port);
    for (let i = 0; i < 200; i++) {
      const info = await r.call('INFO', 'replication');
      if (textOf(info).includes('master_link_status:up')) break;
      await new Promise((res) => setTimeout(res, 50));
    }
    r.close();
    reference = await startReference(master.port);
    ours = await startOurs({ targets: [redisSpec(master.port)], allowTargets: ['127.0.0.1:*'] });
    const replicaTarget = encodeURIComponent(`redis://127.0.0.1:${replica.port}`);
    const [a, b, c2, d] = await Promise.all([
      fetchText(`${reference.url}/metrics`),
      fetchText(`${ours.url}/metrics`),
      fetchText(`${reference.url}/scrape?target=${replicaTarget}`),
      fetchText(`${ours.url}/scrape?target=${replicaTarget}`),
    ]);
    oursText = b.text;
    pages['refMaster'] = parseExposition(a.text);
    pages['oursMaster'] = parseExposition(b.text);
    pages['refReplica'] = parseExposition(c2.text);
    pages['oursReplica'] = parseExposition(d.text);
  });

  afterAll(async () => {
    await ours?.close();
    await reference?.stop();
    await replica?.stop();
    await master?.stop();
  });

  it('exports every family the reference exports from a master, with the same types and labels', () => {
    const ref = pages['refMaster']!;
    expect(ref.size).toBeGreaterThan(100); // the reference really scraped the server
    expect(valueOf(ref, 'redis_up')).toBe(1);
    const { missing, problems } = compare(ref, pages['oursMaster']!);
    expect(missing).toEqual([]);
    expect(problems).toEqual([]);
    // the activity above reached both: errorstats, slowlog, latency events
    for (const f of ['redis_errors_total', 'redis_latency_spike_last', 'redis_latency_spike_duration_seconds']) {
      expect(ref.has(f), f).toBe(true);
    }
  });

  it('exports every family the reference exports from a replica (/scrape), with the same types and labels', () => {
    const ref = pages['refReplica']!;
    expect(valueOf(ref, 'redis_up')).toBe(1);
    expect(ref.has('redis_master_link_up')).toBe(true);
    const { missing, problems } = compare(ref, pages['oursReplica']!);
    expect(missing).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('agrees with the reference on stable values', () => {
    const ref = pages['refMaster']!;
    const o = pages['oursMaster']!;
    for (const name of ['redis_config_maxmemory', 'redis_memory_max_bytes', 'redis_connected_slaves', 'redis_config_maxclients', 'redis_slowlog_length']) {
      if (name === 'redis_slowlog_length') continue; // both exporters' own commands land in the slow log
      expect(valueOf(o, name), name).toBe(valueOf(ref, name));
    }
    expect(valueOf(o, 'redis_config_maxmemory')).toBe(100 * 1024 * 1024);
    expect(valueOf(o, 'redis_connected_slaves')).toBe(1);
    for (const db of ['db0', 'db1', 'db2', 'db15']) {
      expect(valueOf(o, 'redis_db_keys', { db }), db).toBe(valueOf(ref, 'redis_db_keys', { db }));
      expect(valueOf(o, 'redis_db_keys_expiring', { db }), db).toBe(valueOf(ref, 'redis_db_keys_expiring', { db }));
    }
    expect(valueOf(o, 'redis_db_keys', { db: 'db0' })).toBe(3);
    expect(Math.abs(valueOf(o, 'redis_connected_clients')! - valueOf(ref, 'redis_connected_clients')!)).toBeLessThanOrEqual(2);
    expect(valueOf(o, 'redis_errors_total', { err: 'WRONGTYPE' })).toBe(1);
    const info = o.get('redis_instance_info')!.samples[0]!.labels;
    const refInfo = ref.get('redis_instance_info')!.samples[0]!.labels;
    for (const l of ['redis_version', 'role', 'run_id', 'tcp_port', 'maxmemory_policy', 'redis_mode']) expect(info[l], l).toBe(refInfo[l]);
    // the replica page: link up to the right master
    expect(valueOf(pages['oursReplica']!, 'redis_master_link_up', { master_port: String(master.port) })).toBe(1);
  });

  it('adds redscope_* families next to the compatible ones', () => {
    const o = pages['oursMaster']!;
    expect(o.get('redscope_fragmentation_verdict')?.samples.filter((s) => s.value === 1)).toHaveLength(1);
    expect(o.has('redscope_finding')).toBe(true);
    expect(o.get('redscope_slowlog_group_entries')!.samples.length).toBeGreaterThan(0);
    expect(o.get('redscope_slowlog_group_entries')!.samples.length).toBeLessThanOrEqual(10);
  });

  it('passes promtool check metrics (lint warnings only where the compatible name carries them)', () => {
    const run = spawnSync('promtool', ['check', 'metrics'], { input: oursText, encoding: 'utf8' });
    // 0 = clean, 3 = lint warnings only; 1 would be a parse error.
    expect([0, 3], run.stderr + run.stdout).toContain(run.status);
    const names = (run.stdout + run.stderr)
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' ')[0]!);
    const allowed = (n: string) => n.startsWith('redis_') && !n.startsWith('redscope_');
    // Every warned name is a redis_exporter-compatible name (whose spelling we must keep).
    expect(names.filter((n) => !allowed(n))).toEqual([]);
  });

  it('is ingested by a real Prometheus: up == 1 and redis_up == 1 for /metrics and /scrape', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redscope-prom-'));
    const port = await freePort();
    const exporterHost = ours.url.replace('http://', '');
    writeFileSync(
      join(dir, 'prometheus.yml'),
      [
        'global: { scrape_interval: 1s, scrape_timeout: 1s }',
        'scrape_configs:',
        `  - job_name: redscope`,
        `    static_configs: [{ targets: ['${exporterHost}'] }]`,
        `  - job_name: redscope-scrape`,
        `    metrics_path: /scrape`,
        `    static_configs: [{ targets: ['127.0.0.1:${replica.port}'] }]`,
        `    relabel_configs:`,
        `      - { source_labels: [__address__], target_label: __param_target }`,
        `      - { source_labels: [__param_target], target_label: instance }`,
        `      - { target_label: __address__, replacement: '${exporterHost}' }`,
      ].join('\n'),
    );
    const prom = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
    const exited = new Promise((r) => prom.once('exit', r));
    try {
      const query = async (q: string) => {
        const r = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(q)}`);
        const body = (await r.json()) as { data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
        return body.data.result;
      };
      let up: Awaited<ReturnType<typeof query>> = [];
      let redisUp: typeof up = [];
      const deadline = Date.now() + 40_000;
      while (Date.now() < deadline) {
        try {
          up = await query('up == 1');
          redisUp = await query('redis_up == 1');
          if (up.length === 2 && redisUp.length === 2) break;
        } catch {
          // not listening yet
        }
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(up.map((r) => r.metric['job']).sort()).toEqual(['redscope', 'redscope-scrape']);
      expect(redisUp.map((r) => r.metric['job']).sort()).toEqual(['redscope', 'redscope-scrape']);
    } finally {
      prom.kill('SIGKILL');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
