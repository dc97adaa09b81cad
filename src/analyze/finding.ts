// A Finding is the one shape every analyzer speaks: what is wrong (title), the numbers that show it
// (evidence), and what to change (advice, always naming the config key or command that fixes it).
// The CLI, the dashboard and the capacity check print the same Finding, so it reads the same
// everywhere. This file also holds the Rule shape and the small readers rules use to get at a
// Snapshot's INFO and CONFIG without repeating "missing field → no verdict" logic.

import { num, str } from '../collect/info-parser.js';
import type { Rates } from '../collect/rates.js';
import type { Snapshot } from '../collect/snapshot.js';
import type { Thresholds } from './thresholds.js';

export type Severity = 'info' | 'warning' | 'critical';

/** Which part of the server a rule looks at; the CLI groups findings by it. */
export type RuleArea = 'memory' | 'persistence' | 'clients' | 'security' | 'replication' | 'commands' | 'latency';

export interface Finding {
  /** Stable, kebab-case, prefixed by area ("memory-fragmentation"); scripts and --fail-on rely on it. */
  id: string;
  severity: Severity;
  area: RuleArea;
  title: string;
  /** The observed numbers, in one or two sentences. */
  evidence: string;
  /** What to do, naming the config key or command. */
  advice: string;
}

/** What a rule sees: the latest Snapshot, and when known the one before and the rates between them. */
export interface RuleContext {
  snapshot: Snapshot;
  previous?: Snapshot;
  rates?: Rates;
  thresholds: Thresholds;
}

/** What a rule returns before the table fills in id and area. */
export type Verdict = Omit<Finding, 'id' | 'area'>;

export interface Rule {
  id: string;
  area: RuleArea;
  /** When it fires and at which severity, in words (printed by `redscope info --rules`, kept beside the code). */
  when: string;
  /** A verdict, or null when all is well OR the rule cannot be judged (field missing, capability off). */
  evaluate(ctx: RuleContext): Verdict | null;
}

export const SEVERITY_RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

/** Critical first, then warning, then info; ties by id so output is stable. */
export function bySeverity(a: Finding, b: Finding): number {
  return SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.id.localeCompare(b.id);
}

/** True when `s` is at `level` or worse. */
export function atLeast(s: Severity, level: Severity): boolean {
  return SEVERITY_RANK[s] <= SEVERITY_RANK[level];
}

/** Runs a rule and stamps its id and area on the verdict. */
export function runRule(rule: Rule, ctx: RuleContext): Finding | null {
  const v = rule.evaluate(ctx);
  return v ? { id: rule.id, area: rule.area, ...v } : null;
}

/** Picks the worst severity whose threshold `value` reaches (thresholds ascending by badness). */
export function grade(value: number, steps: Array<[number, Severity]>): Severity | null {
  let out: Severity | null = null;
  for (const [limit, sev] of steps) if (value >= limit) out = sev;
  return out;
}

// ---- readers: a missing or non-numeric field is NaN / undefined, and rules treat that as "cannot judge" ----

/** An INFO number of the snapshot, NaN when absent. */
export function field(s: Snapshot, name: string): number {
  return num(s.info, name);
}

/** An INFO text field of the snapshot, undefined when absent. */
export function text(s: Snapshot, name: string): string | undefined {
  const v = str(s.info, name, '\u0000');
  return v === '\u0000' ? undefined : v;
}

/** A CONFIG value, undefined when CONFIG was not readable or the key is unknown to this server. */
export function conf(s: Snapshot, key: string): string | undefined {
  return s.config[key];
}

/** A numeric CONFIG value (NaN when absent). */
export function confNum(s: Snapshot, key: string): number {
  const v = s.config[key];
  if (v === undefined || v === '') return NaN;
  const x = Number(v);
  return Number.isFinite(x) ? x : NaN;
}

/** True when every argument is a finite number. */
export function known(...xs: number[]): boolean {
  return xs.every((x) => Number.isFinite(x));
}

/** Σ keys and Σ expires over every db in the keyspace section. */
export function keyspaceTotals(s: Snapshot): { keys: number; expires: number; dbs: number } {
  let keys = 0;
  let expires = 0;
  let dbs = 0;
  for (const db of Object.values(s.info.keyspace)) {
    keys += Number.isFinite(db.keys) ? db.keys : 0;
    expires += Number.isFinite(db.expires) ? db.expires : 0;
    dbs++;
  }
  return { keys, expires, dbs };
}

/** True when INFO was read at all (a failed INFO leaves every rule without data). */
export function hasInfo(s: Snapshot): boolean {
  return Object.keys(s.info.fields).length > 0;
}

/**
 * False for the bundled engine: its used_memory_rss is the whole Node.js process (runtime, JIT,
 * heap slack), so RSS-versus-used comparisons say nothing about the data and are skipped.
 */
export function rssMeaningful(s: Snapshot): boolean {
  return !s.target.bundled;
}

/** The role from INFO replication ("master" | "slave"), undefined when absent. */
export function role(s: Snapshot): 'master' | 'replica' | undefined {
  const r = text(s, 'role');
  return r === 'master' ? 'master' : r === 'slave' || r === 'replica' ? 'replica' : undefined;
}

/** Change of an INFO counter since the previous snapshot; null without one, after a restart or a reset. */
export function counterDelta(ctx: RuleContext, name: string): number | null {
  const p = ctx.previous;
  if (!p) return null;
  if (p.identity.runId && ctx.snapshot.identity.runId && p.identity.runId !== ctx.snapshot.identity.runId) return null;
  const a = field(p, name);
  const b = field(ctx.snapshot, name);
  if (!known(a, b) || b < a) return null;
  return b - a;
}
