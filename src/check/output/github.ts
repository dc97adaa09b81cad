// `--format github`: GitHub Actions workflow commands. A failed check becomes an ::error
// annotation (::warning under --warn-only) shown on the run's summary and the PR; skipped checks
// are ::notice; the projection and passes are plain log lines.

import { formatBytes } from '../../common/format.js';
import type { CheckReport } from '../evaluate.js';

/** Escaping for the message part of a workflow command. */
const data = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
/** Escaping for a property value (title=...). */
const prop = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function renderGithub(r: CheckReport, opts: { warnOnly?: boolean } = {}): string {
  const out: string[] = [];
  for (const v of r.inputs) {
    const p = v.projected;
    out.push(`redscope check ${v.input}: projected used_memory ${formatBytes(p.usedMemoryBytes)}${p.limitBytes !== null ? ` of ${formatBytes(p.limitBytes)} (headroom ${p.headroomPercent}%)` : ''}`);
    for (const n of v.notes) out.push(`::warning title=${prop(`redscope check ${v.input}`)}::${data(n)}`);
    for (const c of v.checks) {
      const title = prop(`redscope ${c.id}`);
      if (c.skipped) out.push(`::notice title=${title}::${data(`${v.input}: ${c.message}`)}`);
      else if (!c.ok) out.push(`::${opts.warnOnly ? 'warning' : 'error'} title=${title}::${data(`${v.input}: ${c.message}`)}`);
      else out.push(`ok ${c.id}: ${c.message}`);
    }
  }
  const failed = r.checks.filter((c) => !c.ok).length;
  out.push(r.ok ? `redscope check: all ${r.checks.length} checks passed` : `redscope check: ${failed} of ${r.checks.length} checks failed`);
  return out.join('\n') + '\n';
}
