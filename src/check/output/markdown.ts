// `--format markdown`: a PR comment. A verdict heading, the projection per input, and a table of
// the checks (failures first), escaped so key names with | or backticks cannot break the table.

import { formatBytes } from '../../common/format.js';
import type { CheckReport, CheckResult } from '../evaluate.js';

const cell = (s: string) => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const ICON = (c: CheckResult) => (c.skipped ? '⏭️ skipped' : c.ok ? '✅ pass' : '❌ fail');
const ORDER = (c: CheckResult) => (c.skipped ? 2 : c.ok ? 1 : 0);

export function renderMarkdown(r: CheckReport): string {
  const failed = r.checks.filter((c) => !c.ok).length;
  const out = [r.ok ? `### ✅ redscope check passed (${r.checks.length} checks)` : `### ❌ redscope check: ${failed} of ${r.checks.length} checks failed`, ''];
  for (const v of r.inputs) {
    const p = v.projected;
    out.push(`**${cell(v.input)}** (${v.kind === 'live' ? 'live target' : `${v.kind} file, projected for Redis 7.0`})`, '');
    out.push(
      `- used_memory: ${formatBytes(p.observed.usedMemoryBytes)} now → **${formatBytes(p.usedMemoryBytes)}** projected (×${p.growthFactor}${p.fragmentationAllowanceBytes ? `, +${formatBytes(p.fragmentationAllowanceBytes)} fragmentation` : ''})`,
    );
    if (p.limitBytes !== null) out.push(`- limit: ${formatBytes(p.limitBytes)} (${p.limitSource === 'budget' ? 'memory.limitBytes' : 'maxmemory'}), headroom **${p.headroomPercent}%**`);
    for (const n of v.notes) out.push(`- note: ${cell(n)}`);
    out.push('', '| Result | Check | Detail |', '|---|---|---|');
    for (const c of [...v.checks].sort((a, b) => ORDER(a) - ORDER(b))) out.push(`| ${ICON(c)} | \`${cell(c.id)}\` | ${cell(c.message)} |`);
    out.push('');
  }
  return out.join('\n');
}
