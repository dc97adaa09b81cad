// The default output: what was projected for each input and one line per check, padded into
// columns with plain spaces so it reads the same in a terminal and in a CI log.

import { formatBytes } from '../../common/format.js';
import type { CheckReport, CheckResult, InputVerdict } from '../evaluate.js';

const STATUS = (c: CheckResult) => (c.skipped ? 'SKIP' : c.ok ? 'PASS' : 'FAIL');

function projectionLines(v: InputVerdict): string[] {
  const p = v.projected;
  const lines = [
    `  used_memory      ${formatBytes(p.observed.usedMemoryBytes)} now -> ${formatBytes(p.usedMemoryBytes)} projected (x${p.growthFactor} growth${p.fragmentationAllowanceBytes ? `, +${formatBytes(p.fragmentationAllowanceBytes)} fragmentation allowance` : ''})`,
    `  dataset          ${formatBytes(p.observed.datasetBytes)} now -> ${formatBytes(p.datasetBytes)} projected`,
  ];
  if (p.limitBytes !== null) lines.push(`  limit            ${formatBytes(p.limitBytes)} (${p.limitSource === 'budget' ? 'memory.limitBytes' : 'maxmemory'}), headroom ${p.headroomPercent}%`);
  for (const n of v.notes) lines.push(`  note: ${n}`);
  return lines;
}

export function renderText(r: CheckReport): string {
  const out: string[] = [];
  for (const v of r.inputs) {
    out.push(`${v.input} (${v.kind === 'live' ? 'live target' : `${v.kind.toUpperCase()} file, projected for Redis 7.0`})`);
    out.push(...projectionLines(v));
    out.push('');
    const idWidth = Math.max(5, ...v.checks.map((c) => c.id.length));
    for (const c of v.checks) out.push(`  ${STATUS(c)}  ${c.id.padEnd(idWidth)}  ${c.message}`);
    if (v.checks.length === 0) out.push('  (the budget has no checks)');
    out.push('');
  }
  const failed = r.checks.filter((c) => !c.ok).length;
  const skipped = r.checks.filter((c) => c.skipped).length;
  const passed = r.checks.length - failed - skipped;
  out.push(`${r.ok ? 'OK' : 'FAILED'}: ${passed} passed, ${failed} failed, ${skipped} skipped (budget ${r.budget})`);
  return out.join('\n') + '\n';
}
