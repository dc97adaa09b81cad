// The public surface of analyze/: pure functions from Snapshots to Findings and focused reports.
// Faces (CLI, dashboard, exporter, check) import from here only, never from a rule file.

import { computeRates, type Rates } from '../collect/rates.js';
import type { Snapshot } from '../collect/snapshot.js';
import { bySeverity, hasInfo, runRule, type Finding, type RuleContext } from './finding.js';
import { RULES } from './rules.js';
import { withThresholds, type Thresholds } from './thresholds.js';

export interface AnalyzeContext {
  snapshot: Snapshot;
  /** Rates between `previous` and `snapshot`; computed from them when omitted. */
  rates?: Rates;
  /** The snapshot before this one, for growth and interval rules. */
  previous?: Snapshot;
}

export interface AnalyzeOptions {
  /** Override any threshold of thresholds.ts (tests plant small problems this way). */
  thresholds?: Partial<Thresholds>;
  /** Run only these rule ids / skip these rule ids. */
  only?: readonly string[];
  skip?: readonly string[];
}

/** Every rule's verdict on one snapshot, critical first. Rules that cannot judge stay silent. */
export function analyzeSnapshot(ctx: AnalyzeContext, opts: AnalyzeOptions = {}): Finding[] {
  if (!hasInfo(ctx.snapshot)) return [];
  const rates = ctx.rates ?? (ctx.previous ? computeRates(ctx.previous, ctx.snapshot) : undefined);
  const ruleCtx: RuleContext = { snapshot: ctx.snapshot, previous: ctx.previous, rates, thresholds: withThresholds(opts.thresholds) };
  const out: Finding[] = [];
  for (const rule of RULES) {
    if (opts.only && !opts.only.includes(rule.id)) continue;
    if (opts.skip?.includes(rule.id)) continue;
    const f = runRule(rule, ruleCtx);
    if (f) out.push(f);
  }
  return out.sort(bySeverity);
}

export { RULES, ruleById } from './rules.js';
export { DEFAULT_THRESHOLDS, type Thresholds } from './thresholds.js';
export { atLeast, bySeverity, SEVERITY_RANK, type Finding, type Rule, type RuleArea, type Severity } from './finding.js';
export { fragmentationReport, type FragmentationVerdict, type MemoryReport } from './fragmentation.js';
export { slowlogReport, SlowlogTracker, normalizeKey, entryShape, ANTI_PATTERNS, type SlowlogReport, type SlowlogGroup } from './slowlog.js';
export { latencyReport, distribution, SPECTRUM, type LatencyReport, type Distribution, type CommandLatency } from './latency.js';
export { percentile } from './percentile.js';
export { KeysReport, type KeysReportResult, type KeysReportOptions, type KeyRef, type TypeTotals } from './keys.js';
