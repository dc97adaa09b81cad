// The exporter's HTTP face (node:http): `/metrics` for the configured targets, `/scrape?target=`
// for Prometheus's multi-target pattern, `/discover` (http_sd JSON: configured targets, and the
// nodes of configured cluster targets), `/health` and a small HTML index. What it does better than
// redis_exporter, where its users asked:
// - `/scrape` only reaches targets on the allow-list (configured names and addresses, nodes
//   discovered from them, `--allow-target` globs); anything else is a 403 before any connection,
//   so the endpoint cannot be used to probe the network (SSRF) or leak credentials.
// - credentials come from the targets file or the environment (REDIS_USER / REDIS_PASSWORD for
//   glob-allowed targets), never from the scrape URL: a password in `target=` is refused loudly.
// - the scrape deadline follows Prometheus's X-Prometheus-Scrape-Timeout-Seconds header, so an
//   unreachable target yields `redis_up 0` in time instead of no answer at all;
// - `--down-status 503` makes a down target a failed scrape too, so Prometheus's own `up` says it.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import { parseTargetUrl, type TargetSpec } from '../target/url.js';
import { TargetPool, type PoolOptions } from './pool.js';
import { mergeTargets, targetFamilies, type MetricOptions } from './metrics.js';
import { joinTexts, writeFamilies } from './exposition.js';
import { selfMetrics } from './self-metrics.js';

export interface ExporterConfig {
  host: string;
  port: number;
  /** Served on /metrics, and reachable by name on /scrape. */
  targets: TargetSpec[];
  /** Globs over "host:port" / "redis://host:port" that /scrape may reach besides the targets. */
  allowTargets: string[];
  metrics: MetricOptions;
  pool: PoolOptions;
  /** HTTP status when a target is down (200 = like redis_exporter). */
  downStatus: number;
  /** process_* metrics on /metrics (off with --redis-only-metrics). */
  processMetrics: boolean;
  version: string;
  /** Credentials for glob-allowed /scrape targets (the environment's REDIS_USER / REDIS_PASSWORD). */
  envCredentials?: { username?: string; password?: string };
  log?: (line: string) => void;
}

export interface RunningExporter {
  url: string;
  port: number;
  pool: TargetPool;
  close(): Promise<void>;
}

/** Glob (`*`, `?`, `[...]`) → anchored RegExp. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        const body = glob.slice(i + 1, end).replace(/\\/g, '\\\\');
        re += `[${body.startsWith('!') ? '^' + body.slice(1) : body}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'i');
}

/** Why /scrape refused a target: HTTP status and message. */
class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Seconds from Prometheus's header, minus a margin so our answer arrives before its deadline. */
export function scrapeDeadlineMs(header: string | string[] | undefined, configuredMs: number): number {
  const v = Number(Array.isArray(header) ? header[0] : header);
  if (!Number.isFinite(v) || v <= 0) return configuredMs;
  const ms = v * 1000;
  return Math.max(50, Math.min(configuredMs, ms - Math.min(500, ms * 0.1)));
}

const addressOf = (s: TargetSpec): string => (s.path ? `unix:${s.path}` : `${s.host}:${s.port}`);

const INDEX = (cfg: ExporterConfig) => `<!doctype html>
<html><head><title>redscope exporter</title></head>
<body>
<h1>redscope exporter</h1>
<p>Prometheus metrics for Redis, compatible with redis_exporter's names.</p>
<ul>
<li><a href="/metrics">/metrics</a>: ${cfg.targets.map((t) => escapeHtml(t.name)).join(', ') || 'exporter metrics only'}</li>
<li>/scrape?target=&lt;name or redis://host:port&gt;: one allowed target${cfg.targets.length ? ` (${cfg.targets.map((t) => `<a href="/scrape?target=${encodeURIComponent(t.name)}">${escapeHtml(t.name)}</a>`).join(', ')})` : ''}</li>
<li><a href="/discover">/discover</a>: Prometheus http_sd target list</li>
<li><a href="/health">/health</a></li>
</ul>
</body></html>
`;

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export async function startExporter(cfg: ExporterConfig): Promise<RunningExporter> {
  // Findings are only exported with the redscope_* extras: without them the analyzers never run.
  const pool = new TargetPool({ ...cfg.pool, analyze: (cfg.pool.analyze ?? true) && cfg.metrics.extras });
  const self = selfMetrics(cfg.metrics.namespace, cfg.version, cfg.processMetrics);
  const allow = cfg.allowTargets.map(globToRegExp);
  /** Cluster nodes found by /discover from configured targets: address → spec (seed's credentials). */
  const discovered = new Map<string, TargetSpec>();

  function resolveTarget(raw: string | null): TargetSpec {
    if (!raw) throw new Refusal(400, "missing 'target' parameter: /scrape?target=<name or redis://host:port>");
    const named = cfg.targets.find((t) => t.name === raw);
    if (named) return named;
    const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `redis://${raw}`;
    let spec: TargetSpec;
    try {
      spec = parseTargetUrl(url);
    } catch (err) {
      throw new Refusal(400, (err as Error).message);
    }
    if (spec.password) throw new Refusal(400, 'a password in the scrape URL is refused: give credentials in the targets file (passwordFile/passwordEnv) or the environment');
    const addr = addressOf(spec);
    const configured = cfg.targets.find((t) => addressOf(t) === addr && t.db === spec.db);
    if (configured) return configured;
    const node = discovered.get(addr);
    if (node) return node;
    const scheme = spec.tls ? 'rediss' : 'redis';
    const forms = [raw, addr, `${scheme}://${addr}`];
    if (!allow.some((re) => forms.some((f) => re.test(f)))) {
      throw new Refusal(403, `target '${raw}' is not allowed: list it in --targets/--url or allow it with --allow-target`);
    }
    return { ...spec, name: addr, username: spec.username ?? cfg.envCredentials?.username, password: cfg.envCredentials?.password };
  }

  async function send(res: ServerResponse, status: number, text: string, type: string): Promise<void> {
    // Encoded once: the length and the bytes written come from the same buffer.
    const body = Buffer.from(text, 'utf8');
    res.writeHead(status, { 'Content-Type': type, 'Content-Length': body.length });
    res.end(body);
  }

  /** The targets' families (written directly), then the exporter's own registry (prom-client). */
  async function metricsFor(specs: TargetSpec[], deadlineMs: number, own: Registry): Promise<{ text: string; down: boolean; type: string }> {
    const scraping = Promise.all(specs.map((spec) => pool.scrape(spec, deadlineMs)));
    // The registry reads its values (process_* from /proc) while the targets' replies are on their way.
    const ownText = own.metrics();
    const scrapes = await scraping;
    const sets = scrapes.map((t, i) => ({ name: specs[i]!.name, set: targetFamilies(t, cfg.metrics) }));
    const targets = sets.length > 0 ? writeFamilies(mergeTargets(sets, cfg.metrics).families.values()) : '';
    return { text: joinTexts(targets, await ownText), down: scrapes.some((s) => s.snapshot === null), type: own.contentType };
  }

  async function discover(): Promise<Array<{ targets: string[]; labels: Record<string, string> }>> {
    const groups: Array<{ targets: string[]; labels: Record<string, string> }> = [];
    await Promise.all(
      cfg.targets.map(async (seed) => {
        const snap = pool.lastSnapshot(seed) ?? (await pool.scrape(seed, cfg.pool.timeoutMs)).snapshot;
        if (snap?.identity.mode !== 'cluster') {
          groups.push({ targets: [seed.name], labels: { __meta_redscope_target: seed.name } });
          return;
        }
        try {
          const link = await pool.link(seed);
          const text = String(await link.call('CLUSTER', 'NODES'));
          const nodes: string[] = [];
          for (const line of text.split('\n')) {
            const [, addrField, flags] = line.trim().split(' ');
            if (!addrField || !flags || flags.includes('noaddr')) continue;
            const hostPort = addrField.split('@')[0]!;
            const i = hostPort.lastIndexOf(':');
            const host = hostPort.slice(0, i) || seed.host || '127.0.0.1';
            const port = Number(hostPort.slice(i + 1));
            if (!Number.isInteger(port) || port <= 0) continue;
            const spec: TargetSpec = { ...seed, host, port, name: `${host}:${port}` };
            discovered.set(addressOf(spec), spec);
            nodes.push(`${seed.tls ? 'rediss' : 'redis'}://${host}:${port}`);
          }
          groups.push({ targets: nodes, labels: { __meta_redscope_target: seed.name, __meta_redscope_cluster: '1' } });
        } catch (err) {
          cfg.log?.(`discover: ${seed.name}: ${(err as Error).message}`);
          groups.push({ targets: [seed.name], labels: { __meta_redscope_target: seed.name } });
        }
      }),
    );
    return groups;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', 'http://exporter');
    const deadline = scrapeDeadlineMs(req.headers['x-prometheus-scrape-timeout-seconds'], cfg.pool.timeoutMs);
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'only GET\n', 'text/plain');
    switch (u.pathname) {
      case '/metrics': {
        const out = await metricsFor(cfg.targets, deadline, self.withProcess);
        return send(res, out.down ? cfg.downStatus : 200, out.text, out.type);
      }
      case '/scrape': {
        let spec: TargetSpec;
        try {
          spec = resolveTarget(u.searchParams.get('target'));
        } catch (err) {
          if (!(err instanceof Refusal)) throw err;
          self.refused();
          return send(res, err.status, err.message + '\n', 'text/plain; charset=utf-8');
        }
        const out = await metricsFor([spec], deadline, self.exporter);
        return send(res, out.down ? cfg.downStatus : 200, out.text, out.type);
      }
      case '/discover':
        return send(res, 200, JSON.stringify(await discover()), 'application/json');
      case '/health':
        return send(res, 200, 'ok\n', 'text/plain');
      case '/':
        return send(res, 200, INDEX(cfg), 'text/html; charset=utf-8');
      default:
        return send(res, 404, 'not found: try /metrics, /scrape?target=..., /discover, /health\n', 'text/plain');
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      cfg.log?.(`request ${req.url}: ${(err as Error).stack ?? String(err)}`);
      if (!res.headersSent) void send(res, 500, `internal error: ${(err as Error).message}\n`, 'text/plain');
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(cfg.port, cfg.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : cfg.port;
  const hostText = cfg.host.includes(':') ? `[${cfg.host}]` : cfg.host;
  return {
    url: `http://${hostText}:${port}`,
    port,
    pool,
    close: async () => {
      pool.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
