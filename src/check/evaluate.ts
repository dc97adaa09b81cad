// The verdict: InputFacts (a file projected by the memory model, or a live target) judged against
// a Budget. First the projection -- what used_memory would be once the dataset has grown by the
// budget's factor, plus any fragmentation allowance, and the headroom that leaves under the
// limit -- then one check per budget line. A check an input cannot answer (latency of a file,
// fragmentation of a file, a limit with no maxmemory to compare to) is skipped with the reason,
// never passed silently. Pure: no I/O.

import { formatBytes } from '../common/format.js';
import type { Budget, LatencyBudget } from './budget.js';
import type { InputFacts } from './inputs.js';

export interface CheckResult {
  /** Stable id: "memory.limit", "keys.maxKeyBytes", "prefix:session:*", "latency.get.p99Ms", "config.maxmemory-policy". */
  id: string;
  /** The input it is about (file path or target name). */
  input: string;
  /** True when the check passed or was skipped. */
  ok: boolean;
  skipped: boolean;
  value: number | string | null;
  limit: number | string | string[] | null;
  message: string;
}

export interface Projection {
  /** Projected used_memory: startup + (used - startup) x growth, plus the fragmentation allowance. */
  usedMemoryBytes: number;
  /** Projected used_memory_dataset: dataset x growth. */
  datasetBytes: number;
  startupBytes: number;
  growthFactor: number;
  fragmentationAllowanceBytes: number;
  /** What the input is today (model for files, INFO for live targets). */
  observed: { usedMemoryBytes: number; datasetBytes: number };
  limitBytes: number | null;
  limitSource: 'budget' | 'maxmemory' | null;
  /** (limit - projected) / limit, percent; null without a limit. */
  headroomPercent: number | null;
}

export interface InputVerdict {
  input: string;
  kind: InputFacts['kind'];
  ok: boolean;
  projected: Projection;
  checks: CheckResult[];
  notes: string[];
}

export function project(f: InputFacts, budget: Budget): Projection {
  const m = budget.memory;
  const growth = m?.growthFactor ?? 1;
  const grown = f.memory.startupBytes + (f.memory.usedMemoryBytes - f.memory.startupBytes) * growth;
  const allowance = (grown * (m?.fragmentationAllowancePercent ?? 0)) / 100;
  const used = Math.round(grown + allowance);
  let limitBytes: number | null = null;
  let limitSource: Projection['limitSource'] = null;
  if (m?.limitBytes !== undefined) {
    limitBytes = m.limitBytes;
    limitSource = 'budget';
  } else if (f.memory.maxmemoryBytes) {
    limitBytes = f.memory.maxmemoryBytes;
    limitSource = 'maxmemory';
  }
  return {
    usedMemoryBytes: used,
    datasetBytes: Math.round(f.memory.datasetBytes * growth),
    startupBytes: f.memory.startupBytes,
    growthFactor: growth,
    fragmentationAllowanceBytes: Math.round(allowance),
    observed: { usedMemoryBytes: f.memory.usedMemoryBytes, datasetBytes: f.memory.datasetBytes },
    limitBytes,
    limitSource,
    headroomPercent: limitBytes ? round2((100 * (limitBytes - used)) / limitBytes) : null,
  };
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const pct = (n: number) => `${round2(n)}%`;

type Draft = Omit<CheckResult, 'input'>;

const skip = (id: string, limit: CheckResult['limit'], why: string): Draft => ({ id, ok: true, skipped: true, value: null, limit, message: `skipped: ${why}` });

/** A "value must not exceed limit" check. */
function atMost(id: string, value: number, limit: number, show: (n: number) => string, what: string): Draft {
  const ok = value <= limit;
  return { id, ok, skipped: false, value, limit, message: `${what} ${show(value)} ${ok ? '<=' : '>'} ${show(limit)}` };
}

const bytes = (n: number) => `${formatBytes(n)}`;
const count = (n: number) => n.toLocaleString('en-US');

interface Ctx {
  f: InputFacts;
  p: Projection;
  b: Budget;
}

/** The checks, one entry per budget line; each returns its results (several for maps/lists). */
const CHECKS: Array<(c: Ctx) => Draft[]> = [
  // memory
  ({ f, p, b }) => {
    if (!b.memory) return [];
    const id = 'memory.limit';
    if (p.limitBytes === null) return [skip(id, null, f.kind === 'live' ? 'no memory.limitBytes in the budget and the target has no maxmemory' : 'no memory.limitBytes in the budget (a file has no maxmemory)')];
    const d = atMost(id, p.usedMemoryBytes, p.limitBytes, bytes, `projected used_memory (x${p.growthFactor} growth${p.fragmentationAllowanceBytes ? ', with fragmentation allowance' : ''})`);
    return [{ ...d, message: `${d.message} (${p.limitSource === 'budget' ? 'memory.limitBytes' : 'maxmemory'})` }];
  },
  ({ p, b }) => {
    const min = b.memory?.minHeadroomPercent;
    if (min === undefined) return [];
    const id = 'memory.minHeadroomPercent';
    if (p.limitBytes === null || p.headroomPercent === null) return [skip(id, min, 'no limit to measure headroom against')];
    const ok = p.headroomPercent >= min;
    return [{ id, ok, skipped: false, value: p.headroomPercent, limit: min, message: `headroom ${pct(p.headroomPercent)} of ${bytes(p.limitBytes)} ${ok ? '>=' : '<'} ${pct(min)}` }];
  },
  ({ p, b }) => {
    const max = b.memory?.maxDatasetBytes;
    return max === undefined ? [] : [atMost('memory.maxDatasetBytes', p.datasetBytes, max, bytes, `projected used_memory_dataset (x${p.growthFactor})`)];
  },
  // keys
  ({ f, b }) => {
    const max = b.keys?.maxKeyBytes;
    if (max === undefined) return [];
    const id = 'keys.maxKeyBytes';
    if (f.keys.bytesUnavailable) return [skip(id, max, f.keys.bytesUnavailable)];
    const big = f.keys.biggestBytes;
    if (!big) return [{ id, ok: true, skipped: false, value: 0, limit: max, message: `no keys (${f.keys.scope})` }];
    const d = atMost(id, big.value, max, bytes, `biggest key ${JSON.stringify(big.key)} (${big.type})`);
    return [{ ...d, message: `${d.message} (${f.keys.scope})` }];
  },
  ({ f, b }) => {
    const max = b.keys?.maxElements;
    if (max === undefined) return [];
    const big = f.keys.biggestElements;
    const id = 'keys.maxElements';
    if (!big) return [{ id, ok: true, skipped: false, value: 0, limit: max, message: `no collections (${f.keys.scope})` }];
    const d = atMost(id, big.value, max, count, `largest collection ${JSON.stringify(big.key)} (${big.type}) has`);
    return [{ ...d, message: `${d.message} elements (${f.keys.scope})` }];
  },
  ({ f, b }) => {
    const max = b.keys?.maxNoTtlPercent;
    if (max === undefined) return [];
    const value = f.keys.count === 0 ? 0 : round2((100 * f.keys.noTtl) / f.keys.count);
    const d = atMost('keys.maxNoTtlPercent', value, max, pct, 'keys without a TTL:');
    return [{ ...d, message: `${d.message} (${count(f.keys.noTtl)} of ${count(f.keys.count)})` }];
  },
  ({ f, b }) => {
    const max = b.keys?.maxKeys;
    return max === undefined ? [] : [atMost('keys.maxKeys', f.keys.count, max, count, 'keys:')];
  },
  // prefixes
  ({ f, b }) =>
    b.prefixes.flatMap((pb, i) => {
      const row = f.keys.prefixes[i] ?? { keys: 0, bytes: 0 };
      const out: Draft[] = [];
      const where = `(${row.keys} keys, ${f.keys.scope})`;
      if (pb.maxBytes !== undefined) {
        const id = `prefix:${pb.match}`;
        if (f.keys.bytesUnavailable) out.push(skip(id, pb.maxBytes, f.keys.bytesUnavailable));
        else {
          const d = atMost(id, row.bytes, pb.maxBytes, bytes, `keys matching ${pb.match} take`);
          out.push({ ...d, message: `${d.message} ${where}` });
        }
      }
      if (pb.maxKeys !== undefined) out.push(atMost(`prefix:${pb.match}:keys`, row.keys, pb.maxKeys, count, `keys matching ${pb.match}:`));
      return out;
    }),
  // fragmentation
  ({ f, b }) => {
    const max = b.fragmentation?.maxRatio;
    if (max === undefined) return [];
    const id = 'fragmentation.maxRatio';
    if (f.fragmentationRatio === null) return [skip(id, max, f.notes.fragmentation ?? 'not available')];
    return [atMost(id, f.fragmentationRatio, max, (n) => n.toFixed(2), 'mem_fragmentation_ratio')];
  },
  // latency
  ({ f, b }) =>
    Object.entries(b.latency?.commands ?? {}).flatMap(([cmd, lb]) =>
      (Object.entries(lb) as Array<[keyof LatencyBudget, number]>).map(([field, maxMs]): Draft => {
        const id = `latency.${cmd}.${field}`;
        if (f.latency === null) return skip(id, maxMs, f.notes.latency ?? 'no latency figures');
        const key = LATENCY_FIELD[field];
        const stats = f.latency[cmd];
        if (!stats) return skip(id, maxMs, f.calls && !f.calls[cmd] ? `${cmd} has not been called on this server` : `INFO latencystats has no entry for ${cmd}`);
        const us = stats[key];
        if (us === undefined) return skip(id, maxMs, `INFO latencystats for ${cmd} has no ${key} (latency-tracking-info-percentiles)`);
        const ms = us / 1000;
        return atMost(id, ms, maxMs, (n) => `${round2(n)}ms`, `${cmd} ${key}`);
      }),
    ),
  // config
  ({ f, b }) =>
    Object.entries(b.config).map(([name, allowed]): Draft => {
      const id = `config.${name}`;
      if (f.config === null) return skip(id, allowed, f.notes.config ?? 'no config');
      const v = f.config[name];
      if (v === undefined) return { id, ok: false, skipped: false, value: null, limit: allowed, message: `${name} is not a config the server knows` };
      const ok = allowed.includes(v);
      return { id, ok, skipped: false, value: v, limit: allowed, message: `${name} is ${JSON.stringify(v)}${ok ? '' : `, expected ${allowed.map((a) => JSON.stringify(a)).join(' or ')}`}` };
    }),
];

/** Budget percentile field -> INFO latencystats key. */
const LATENCY_FIELD: Record<keyof LatencyBudget, string> = { p50Ms: 'p50', p99Ms: 'p99', p999Ms: 'p99.9' };

export function evaluate(f: InputFacts, budget: Budget): InputVerdict {
  const p = project(f, budget);
  const checks = CHECKS.flatMap((run) => run({ f, p, b: budget })).map((d) => ({ ...d, input: f.name }));
  const notes = f.notes.input ? [f.notes.input] : [];
  return { input: f.name, kind: f.kind, ok: checks.every((c) => c.ok), projected: p, checks, notes };
}

export interface CheckReport {
  ok: boolean;
  /** The projection of the one input, or of the input with the largest projected used_memory. */
  projected: Projection;
  checks: CheckResult[];
  inputs: InputVerdict[];
  budget: string;
}

export function combine(verdicts: InputVerdict[], budget: Budget): CheckReport {
  const worst = verdicts.reduce((a, v) => (v.projected.usedMemoryBytes > a.projected.usedMemoryBytes ? v : a), verdicts[0]!);
  return { ok: verdicts.every((v) => v.ok), projected: worst.projected, checks: verdicts.flatMap((v) => v.checks), inputs: verdicts, budget: budget.file };
}
