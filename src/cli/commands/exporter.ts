// `redscope exporter`: a Prometheus scrape target with redis_exporter's metric names, so existing
// dashboards and alerts keep working. Flags mirror redis_exporter's where they mean the same thing
// (--namespace, --check-keys, --check-single-keys, --count-keys, --include-config-metrics, ...);
// targets come from --url (repeatable), a --targets file (credentials per target), REDIS_URL, or
// the bundled engine when nothing is given. Runs until SIGINT/SIGTERM.

import type { Command } from 'commander';
import { createRequire } from 'node:module';
import { UserError } from '../../common/errors.js';
import type { EmbeddedEngine } from '../../target/embedded.js';
import { readTargetsFile } from '../../target/targets-file.js';
import { parseTargetUrl, type TargetSpec } from '../../target/url.js';
import { DEFAULT_KEY_WORK, DEFAULT_METRIC_OPTIONS, parseKeyPatterns, startExporter, type ExporterConfig } from '../../exporter/index.js';

interface ExporterOptions {
  listen: string;
  url: string[];
  targets?: string;
  allowTarget: string[];
  namespace: string;
  downStatus: string;
  freshConnection?: boolean;
  timeout: string;
  roleLabel?: boolean;
  includeConfigMetrics?: boolean;
  includeSystemMetrics?: boolean;
  redisOnlyMetrics?: boolean;
  extras: boolean;
  slowlogGroups: string;
  keyGroups?: boolean;
  keyGroupSeparator: string;
  keyGroupDepth: string;
  keyGroupTop: string;
  keyScanLimit: string;
  checkKeys?: string;
  checkSingleKeys?: string;
  countKeys?: string;
  checkKeysBatchSize: string;
  interval: string;
  configEvery: string;
}

const collect = (v: string, prev: string[]): string[] => [...prev, v];

function positive(text: string, flag: string, opts: { integer?: boolean; min?: number } = {}): number {
  const x = Number(text);
  const min = opts.min ?? 1;
  if (!Number.isFinite(x) || x < min || (opts.integer && !Number.isInteger(x))) {
    throw new UserError(`${flag} must be ${opts.integer ? 'a whole number' : 'a number'} of at least ${min}, got '${text}'`);
  }
  return x;
}

/** "127.0.0.1:9121", ":9121" (all interfaces, as redis_exporter writes it), "[::1]:9121". */
export function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(text);
  if (!m) throw new UserError(`--listen must be host:port (e.g. 127.0.0.1:9121), got '${text}'`);
  const port = Number(m[3]);
  if (port > 65535) throw new UserError(`--listen port must be 0..65535, got ${port}`);
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port };
}

export function registerExporter(program: Command): void {
  program
    .command('exporter')
    .description('serve Prometheus metrics (redis_exporter-compatible names) on /metrics and /scrape?target=')
    .option('--listen <host:port>', 'address to serve on', '127.0.0.1:9121')
    .option('--url <url>', 'target to export on /metrics (repeatable); default REDIS_URL or the bundled engine', collect, [])
    .option('--targets <file>', 'JSON targets file (name, url, passwordFile/passwordEnv, tls) served on /metrics and by name on /scrape')
    .option('--allow-target <glob>', 'let /scrape reach addresses matching this glob, e.g. "10.0.*:6379" (repeatable); credentials from REDIS_USER/REDIS_PASSWORD', collect, [])
    .option('--namespace <ns>', 'metric name prefix (redis_exporter: --namespace)', 'redis')
    .option('--down-status <code>', 'HTTP status when a target is down (503 makes Prometheus up==0 too)', '200')
    .option('--fresh-connection', 'connect per scrape like redis_exporter, instead of one pooled connection per target')
    .option('--timeout <ms>', 'connection/command timeout; a Prometheus scrape timeout header shortens it', '5000')
    .option('--role-label', 'add instance_role to every metric read from the target')
    .option('--include-config-metrics', 'export every CONFIG parameter (config_key_value, config_value)')
    .option('--include-system-metrics', 'export total_system_memory_bytes')
    .option('--redis-only-metrics', 'omit process_* metrics on /metrics')
    .option('--no-extras', 'omit redscope_* metrics (findings, fragmentation verdict, slowlog groups, key groups)')
    .option('--slowlog-groups <n>', 'slow log command shapes exported per target', '10')
    .option('--key-groups', 'scan keys in the background and export memory and counts per key-name prefix')
    .option('--key-group-separator <sep>', 'prefix separator', ':')
    .option('--key-group-depth <n>', 'prefix depth', '1')
    .option('--key-group-top <n>', 'prefixes exported per level', '20')
    .option('--key-scan-limit <n>', 'stop each background key-group scan after this many keys per db (0 = all)', '0')
    .option('--check-keys <patterns>', 'export size/value/memory of keys matching these SCAN globs: "db3=sessions:*,user:*"')
    .option('--check-single-keys <keys>', 'export size/value/memory of these keys: "db0=config,counter"')
    .option('--count-keys <patterns>', 'export how many keys match these globs: "db0=session:*"')
    .option('--check-keys-batch-size <n>', 'SCAN COUNT for key checks and counts', '1000')
    .option('--interval <seconds>', 'how often background key work runs (served from cache in between)', '60')
    .option('--config-every <seconds>', 'how often CONFIG GET * is re-read (reused in between; a restart re-reads it at once; 0 = every scrape)', '30')
    .action(async (opts: ExporterOptions) => {
      const listen = parseListen(opts.listen);
      const downStatus = positive(opts.downStatus, '--down-status', { integer: true, min: 200 });
      if (downStatus > 599) throw new UserError(`--down-status must be an HTTP status (200..599), got ${downStatus}`);
      const timeoutMs = positive(opts.timeout, '--timeout');
      const intervalMs = positive(opts.interval, '--interval', { min: 1 }) * 1000;
      const configEverySeconds = positive(opts.configEvery, '--config-every', { min: 0 });
      if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(opts.namespace)) throw new UserError(`--namespace must be a metric name prefix ([a-zA-Z_][a-zA-Z0-9_]*), got '${opts.namespace}'`);

      // Every flag is checked before anything starts (the bundled engine included).
      const slowlogGroups = positive(opts.slowlogGroups, '--slowlog-groups', { integer: true, min: 0 });
      const keyWork = {
        ...DEFAULT_KEY_WORK,
        groups: opts.keyGroups ?? false,
        separator: opts.keyGroupSeparator,
        depth: positive(opts.keyGroupDepth, '--key-group-depth', { integer: true }),
        top: positive(opts.keyGroupTop, '--key-group-top', { integer: true }),
        scanLimit: positive(opts.keyScanLimit, '--key-scan-limit', { integer: true, min: 0 }),
        checkKeys: parseKeyPatterns(opts.checkKeys),
        checkSingleKeys: parseKeyPatterns(opts.checkSingleKeys),
        countKeys: parseKeyPatterns(opts.countKeys),
        batchSize: positive(opts.checkKeysBatchSize, '--check-keys-batch-size', { integer: true }),
      };
      if (keyWork.separator === '') throw new UserError('--key-group-separator must not be empty');

      const targets: TargetSpec[] = [];
      if (opts.targets) targets.push(...readTargetsFile(opts.targets));
      for (const u of opts.url) targets.push(parseTargetUrl(u));
      let embedded: EmbeddedEngine | null = null;
      if (targets.length === 0 && process.env['REDIS_URL']) targets.push(parseTargetUrl(process.env['REDIS_URL']));
      if (targets.length === 0 && opts.allowTarget.length === 0) {
        // Loaded only when used: an exporter of external targets never carries the engine.
        const { startEmbedded } = await import('../../target/embedded.js');
        embedded = await startEmbedded();
        // A short name: it is what /scrape?target= and the `target` label use.
        embedded.spec.name = 'bundled';
        targets.push(embedded.spec);
      }
      const names = new Set<string>();
      for (const t of targets) {
        if (names.has(t.name)) throw new UserError(`target '${t.name}' is given twice`);
        names.add(t.name);
      }

      const require = createRequire(import.meta.url);
      const pkg = require('../../../package.json') as { version: string };
      const cfg: ExporterConfig = {
        host: listen.host,
        port: listen.port,
        targets,
        allowTargets: opts.allowTarget,
        metrics: {
          ...DEFAULT_METRIC_OPTIONS,
          namespace: opts.namespace,
          roleLabel: opts.roleLabel ?? false,
          includeConfigMetrics: opts.includeConfigMetrics ?? false,
          includeSystemMetrics: opts.includeSystemMetrics ?? false,
          extras: opts.extras,
          slowlogGroups,
        },
        pool: {
          fresh: opts.freshConnection ?? false,
          timeoutMs,
          intervalMs,
          slowlogCount: 128,
          configEverySeconds,
          idleMs: Math.max(15 * 60_000, 10 * intervalMs),
          bundled: new Set(embedded ? [embedded.spec.name] : []),
          keyWork,
        },
        downStatus,
        processMetrics: !(opts.redisOnlyMetrics ?? false),
        version: pkg.version,
        envCredentials: { username: process.env['REDIS_USER'] || undefined, password: process.env['REDIS_PASSWORD'] || undefined },
        log: (line) => process.stderr.write(`redscope exporter: ${line}\n`),
      };
      let running;
      try {
        running = await startExporter(cfg);
      } catch (err) {
        await embedded?.stop();
        const e = err as NodeJS.ErrnoException;
        throw new UserError(`cannot listen on ${opts.listen}: ${e.code === 'EADDRINUSE' ? 'address already in use' : e.message}`);
      }
      // Handlers go in before the "listening" line: whoever reads it may signal at once.
      const stopped = new Promise<void>((resolve) => {
        const stop = () => void running.close().then(() => embedded?.stop()).then(() => resolve());
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      process.stdout.write(`redscope exporter listening on ${running.url} (targets: ${targets.map((t) => t.name).join(', ') || 'none; /scrape with --allow-target'})\n`);
      await stopped;
    });
}
