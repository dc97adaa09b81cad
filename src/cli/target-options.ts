// The flags every command that looks at live servers shares (--url repeatable, --targets FILE,
// --cluster, credentials and TLS from files, --timeout) and the resolver that turns them into the
// list of servers to visit: the given targets, REDIS_URL, or the bundled engine started in-process
// when nothing is given. One place, so `info`, `slowlog`, `latency`, `memory` and `keys` accept
// the same flags and fail the same way.

import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { ReactNode } from 'react';
import { UserError } from '../common/errors.js';
import { discoverCluster, type ClusterNode } from '../target/cluster.js';
import { startEmbedded, type EmbeddedEngine } from '../target/embedded.js';
import { openLink, type RedisLink } from '../target/link.js';
import { readTargetsFile } from '../target/targets-file.js';
import { Collector } from '../collect/collector.js';
import { parseTargetUrl, type TargetSpec } from '../target/url.js';

export interface TargetFlags {
  url?: string[];
  targets?: string;
  cluster?: boolean;
  user?: string;
  passwordFile?: string;
  tlsCa?: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsInsecure?: boolean;
  timeout: string;
}

/** One server to visit. */
export interface ResolvedTarget {
  spec: TargetSpec;
  /** True for the in-process bundled engine. */
  bundled: boolean;
  /** Set when the target came from --cluster expansion. */
  node?: ClusterNode;
}

export interface TargetSet {
  targets: ResolvedTarget[];
  timeoutMs: number;
  /** True when --cluster expanded a seed into its nodes. */
  cluster: boolean;
  /** Stops the bundled engine when one was started. */
  close(): Promise<void>;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** Adds the shared target flags to a command. */
export function addTargetOptions(cmd: Command): Command {
  return cmd
    .option('--url <url>', 'target redis://[user@]host:port[/db], rediss://, unix:///path (repeatable); default REDIS_URL or the bundled engine', collect)
    .option('--targets <file>', 'JSON list of targets [{name, url, passwordFile?|passwordEnv?, tls?}]')
    .option('--cluster', 'expand each target (a cluster node) into every node of its cluster (CLUSTER NODES)')
    .option('--user <name>', 'ACL user name for --url targets')
    .option('--password-file <file>', 'read the password for --url targets from this file (keeps it out of the process list)')
    .option('--tls-ca <file>', 'CA certificate for rediss:// targets')
    .option('--tls-cert <file>', 'client certificate for rediss:// targets')
    .option('--tls-key <file>', 'client key for rediss:// targets')
    .option('--tls-insecure', 'do not verify the server certificate (self-signed test setups)')
    .option('--timeout <ms>', 'connect/command timeout in milliseconds', '5000');
}

export function parseTimeout(text: string): number {
  const t = Number(text);
  if (!Number.isFinite(t) || t <= 0) throw new UserError(`--timeout must be a positive number of milliseconds, got '${text}'`);
  return t;
}

/** Applies --user, --password-file and --tls-* to a spec parsed from --url / REDIS_URL. */
function withFlags(spec: TargetSpec, f: TargetFlags, password: string | undefined): TargetSpec {
  const out = { ...spec };
  if (f.user) out.username = f.user;
  if (password !== undefined) out.password = password;
  if (f.tlsCa || f.tlsCert || f.tlsKey || f.tlsInsecure) {
    if (!out.tls) throw new UserError(`--tls-* flags need a rediss:// URL (got ${spec.name})`);
    out.tlsFiles = { ...out.tlsFiles, ca: f.tlsCa, cert: f.tlsCert, key: f.tlsKey, insecure: f.tlsInsecure };
  }
  return out;
}

function readPasswordFile(path: string): string {
  try {
    return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  } catch (err) {
    throw new UserError(`cannot read --password-file '${path}': ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

/** Resolves the flags into targets; starts the bundled engine when none is given. */
export async function resolveTargets(f: TargetFlags): Promise<TargetSet> {
  const timeoutMs = parseTimeout(f.timeout);
  const password = f.passwordFile ? readPasswordFile(f.passwordFile) : undefined;
  const specs: TargetSpec[] = [];
  for (const url of f.url ?? []) specs.push(withFlags(parseTargetUrl(url), f, password));
  if (f.targets) specs.push(...readTargetsFile(f.targets));
  const envUrl = process.env['REDIS_URL'];
  if (specs.length === 0 && envUrl) specs.push(withFlags(parseTargetUrl(envUrl), f, password));

  if (specs.length === 0) {
    if (f.cluster) throw new UserError('--cluster needs a seed node: give --url of any node of the cluster');
    const embedded: EmbeddedEngine = await startEmbedded();
    return { targets: [{ spec: embedded.spec, bundled: true }], timeoutMs, cluster: false, close: () => embedded.stop() };
  }

  let targets: ResolvedTarget[] = specs.map((spec) => ({ spec, bundled: false }));
  if (f.cluster) {
    const expanded: ResolvedTarget[] = [];
    const seen = new Set<string>();
    for (const seed of specs) {
      for (const node of await discoverCluster(seed, timeoutMs)) {
        if (seen.has(node.spec.name)) continue;
        seen.add(node.spec.name);
        expanded.push({ spec: node.spec, bundled: false, node });
      }
    }
    targets = expanded;
  }
  const names = new Set<string>();
  for (const t of targets) {
    if (names.has(t.spec.name)) throw new UserError(`the target ${t.spec.name} is given twice`);
    names.add(t.spec.name);
  }
  return { targets, timeoutMs, cluster: f.cluster === true, close: async () => {} };
}

/** Opens a fail-fast link to one target (TargetError with a readable reason when it cannot). */
export function openTargetLink(t: ResolvedTarget, timeoutMs: number): Promise<RedisLink> {
  return openLink(t.spec, { timeoutMs });
}

/** A collector for one target, named as the user sees the target. */
export function collectorFor(link: RedisLink, t: ResolvedTarget, slowlogCount?: number): Collector {
  return new Collector(link, { name: t.spec.name, bundled: t.bundled, slowlogCount });
}

/** What one target yielded: its result, or the one-line reason it could not be read. */
export type PerTarget<T> = { target: ResolvedTarget; ok: true; value: T } | { target: ResolvedTarget; ok: false; error: string };

/**
 * Runs `work` against every target in turn over its own link, closes everything, and returns the
 * results in target order. A single target's failure is thrown as is (one clear line, exit 2); with
 * several targets the others are still reported and the failure is returned for the caller to show.
 */
export async function forEachTarget<T>(set: TargetSet, work: (link: RedisLink, t: ResolvedTarget) => Promise<T>): Promise<Array<PerTarget<T>>> {
  const out: Array<PerTarget<T>> = [];
  try {
    for (const t of set.targets) {
      let link: RedisLink | null = null;
      try {
        link = await openTargetLink(t, set.timeoutMs);
        out.push({ target: t, ok: true, value: await work(link, t) });
      } catch (err) {
        if (set.targets.length === 1 || !(err instanceof UserError)) throw err;
        out.push({ target: t, ok: false, error: err.message });
      } finally {
        link?.close();
      }
    }
  } finally {
    await set.close();
  }
  return out;
}

// ---- report flags shared by the one-shot reports: --json and --fail-on ----

export type FailOn = 'warning' | 'critical';

/** Adds --json and, for reports that carry findings, --fail-on. */
export function addReportOptions(cmd: Command, withFailOn = true): Command {
  cmd.option('--json', 'machine-readable output (one JSON document on stdout)');
  if (withFailOn) cmd.option('--fail-on <level>', 'exit 1 when a finding at this level or worse is present: warning | critical');
  return cmd;
}

export function parseFailOn(v: string | undefined): FailOn | undefined {
  if (v === undefined) return undefined;
  if (v !== 'warning' && v !== 'critical') throw new UserError(`--fail-on must be warning or critical, got '${v}'`);
  return v;
}

/** Sets exit code 1 when `level` is given and a finding reaches it (a target failure's 2 wins). */
export function applyFailOn(severities: ReadonlyArray<'info' | 'warning' | 'critical'>, level: FailOn | undefined): void {
  if (!level) return;
  const hit = severities.some((s) => s === 'critical' || (level === 'warning' && s === 'warning'));
  if (hit && process.exitCode !== 2) process.exitCode = 1;
}

/** Reports one target's failure (several targets: the others are still shown) and marks exit 2. */
export function reportTargetFailure(name: string, error: string): void {
  process.stderr.write(`redscope: ${error.startsWith(name) || error.includes(` ${name}`) ? error : `${name}: ${error}`}\n`);
  process.exitCode = 2;
}

/** A whole number flag within bounds. */
export function parseWhole(v: string, flag: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < min || n > max) throw new UserError(`${flag} must be a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ' up'}, got '${v}'`);
  return n;
}

/** A number of seconds (fractions allowed) within bounds. */
export function parseSeconds(v: string, flag: string, min: number, max = 86_400): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < min || n > max) throw new UserError(`${flag} must be a number of seconds from ${min} to ${max}, got '${v}'`);
  return n;
}

/**
 * Prints what the targets yielded: one JSON document (an object for one target, a list for
 * several, failures as {target, error}) or the text view; reports failures on stderr (exit 2) and
 * applies --fail-on to the findings of the targets that answered.
 */
type Severities = { findings?: ReadonlyArray<{ severity: 'info' | 'warning' | 'critical' }> };

export async function emitResults<R extends object>(
  per: Array<PerTarget<R>>,
  opts: { json?: boolean; failOn?: FailOn },
  view: (results: R[]) => Promise<ReactNode>,
): Promise<void> {
  for (const p of per) if (!p.ok) reportTargetFailure(p.target.spec.name, p.error);
  const ok = per.filter((p): p is Extract<PerTarget<R>, { ok: true }> => p.ok).map((p) => p.value);
  if (opts.json) {
    const docs = per.map((p) => (p.ok ? p.value : { target: p.target.spec.name, error: p.error }));
    process.stdout.write(JSON.stringify(docs.length === 1 ? docs[0] : docs, null, 2) + '\n');
  } else if (ok.length > 0) {
    // ink is loaded only when text is printed: JSON runs and other commands start faster.
    const { printView } = await import('./render/output.js');
    printView(await view(ok));
  }
  applyFailOn(
    ok.flatMap((r) => ((r as Severities).findings ?? []).map((f) => f.severity)),
    opts.failOn,
  );
}
