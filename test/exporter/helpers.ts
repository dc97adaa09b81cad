// Test helpers for the exporter: start Debian's prometheus-redis-exporter (the reference), start
// ours in-process with test defaults, fetch a page, and parse Prometheus exposition text into
// families (name → type, label names, samples) so two exporters' outputs can be compared.

import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../helpers/servers.js';
import { DEFAULT_KEY_WORK, DEFAULT_METRIC_OPTIONS, startExporter, type ExporterConfig, type RunningExporter } from '../../src/exporter/index.js';
import type { TargetSpec } from '../../src/target/url.js';
import type { RespValue } from '../../src/formats/resp/reply-parser.js';

/** The text of a bulk/simple reply (INFO). */
export const textOf = (r: RespValue): string => (r.t === 'bulk' || r.t === 'simple' || r.t === 'error' ? r.v : '');

export interface ParsedFamily {
  type: string;
  labelNames: Set<string>;
  samples: Array<{ name: string; labels: Record<string, string>; value: number }>;
}

const SUFFIXES: Record<string, string[]> = { summary: ['_sum', '_count'], histogram: ['_bucket', '_sum', '_count'] };

/** Exposition text → families. Label names exclude `quantile` and `le` (the format's own). */
export function parseExposition(text: string): Map<string, ParsedFamily> {
  const out = new Map<string, ParsedFamily>();
  const family = (name: string): ParsedFamily | undefined => {
    const f = out.get(name);
    if (f) return f;
    for (const [fam, f2] of out) if ((SUFFIXES[f2.type] ?? []).some((s) => fam + s === name)) return f2;
    return undefined;
  };
  for (const line of text.split('\n')) {
    if (line.startsWith('# TYPE ')) {
      const [, , name, type] = line.split(' ');
      out.set(name!, { type: type!, labelNames: new Set(), samples: [] });
      continue;
    }
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!m) throw new Error(`unparsable exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const lm of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[lm[1]!] = lm[2]!;
    const f = family(m[1]!) ?? out.set(m[1]!, { type: 'untyped', labelNames: new Set(), samples: [] }).get(m[1]!)!;
    for (const l of Object.keys(labels)) if (l !== 'quantile' && l !== 'le') f.labelNames.add(l);
    f.samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

export async function fetchText(url: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const r = await fetch(url, { headers });
  return { status: r.status, text: await r.text() };
}

/** The one value of a family's sample matching `labels` (undefined when absent). */
export function valueOf(fams: Map<string, ParsedFamily>, name: string, labels: Record<string, string> = {}): number | undefined {
  const fam = fams.get(name) ?? fams.get(name.replace(/_(sum|count|bucket)$/, ''));
  return fam?.samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

export interface Reference {
  url: string;
  stop(): Promise<void>;
}

/** Debian's prometheus-redis-exporter against `redis://127.0.0.1:port`, on a free loopback port. */
export async function startReference(redisPort: number): Promise<Reference> {
  const port = await freePort();
  const proc: ChildProcess = spawn('prometheus-redis-exporter', ['--redis.addr', `redis://127.0.0.1:${redisPort}`, '--web.listen-address', `127.0.0.1:${port}`], {
    stdio: 'ignore',
  });
  const exited = new Promise((r) => proc.once('exit', r));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      if (Date.now() > deadline || proc.exitCode !== null) throw new Error('prometheus-redis-exporter did not start');
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    url,
    stop: async () => {
      if (proc.exitCode === null) {
        proc.kill('SIGKILL');
        await exited;
      }
    },
  };
}

export function redisSpec(port: number, extra: Partial<TargetSpec> = {}): TargetSpec {
  return { name: `127.0.0.1:${port}`, host: '127.0.0.1', port, tls: false, db: 0, ...extra };
}

/** Ours, in-process, on a free loopback port, with test defaults overridable per test. */
export async function startOurs(over: Partial<Omit<ExporterConfig, 'pool'>> & { pool?: Partial<ExporterConfig['pool']> } = {}): Promise<RunningExporter> {
  const { pool, ...rest } = over;
  return startExporter({
    host: '127.0.0.1',
    port: 0,
    targets: [],
    allowTargets: [],
    metrics: DEFAULT_METRIC_OPTIONS,
    downStatus: 200,
    processMetrics: true,
    version: 'test',
    ...rest,
    pool: { fresh: false, timeoutMs: 3000, keyWork: DEFAULT_KEY_WORK, intervalMs: 60_000, slowlogCount: 128, idleMs: 600_000, ...pool },
  });
}
