// `--format junit`: JUnit XML, the one test-report format every CI system renders (GitHub via
// test-reporter actions, GitLab's artifacts:reports:junit, Jenkins, CircleCI). One <testsuite>
// per input, one <testcase> per check; a failed check carries <failure message="...">, a
// skipped one <skipped message="..."/>.

import type { CheckReport, CheckResult } from '../evaluate.js';

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text for an attribute or element; drops characters XML 1.0 cannot hold. */
export function xmlEscape(s: string): string {
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '').replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

function testcase(c: CheckResult): string {
  const open = `    <testcase classname="redscope.check" name="${xmlEscape(c.id)}" time="0"`;
  if (c.skipped) return `${open}>\n      <skipped message="${xmlEscape(c.message)}"/>\n    </testcase>`;
  if (!c.ok) {
    const detail = `value: ${JSON.stringify(c.value)}\nlimit: ${JSON.stringify(c.limit)}\n${c.message}`;
    return `${open}>\n      <failure message="${xmlEscape(c.message)}" type="budget">${xmlEscape(detail)}</failure>\n    </testcase>`;
  }
  return `${open}/>`;
}

export function renderJunit(r: CheckReport): string {
  const tally = (cs: CheckResult[]) => ({ tests: cs.length, failures: cs.filter((c) => !c.ok).length, skipped: cs.filter((c) => c.skipped).length });
  const all = tally(r.checks);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="redscope check" tests="${all.tests}" failures="${all.failures}" skipped="${all.skipped}" errors="0">`,
  ];
  for (const v of r.inputs) {
    const t = tally(v.checks);
    lines.push(`  <testsuite name="${xmlEscape(`redscope check ${v.input}`)}" tests="${t.tests}" failures="${t.failures}" skipped="${t.skipped}" errors="0" time="0">`);
    for (const c of v.checks) lines.push(testcase(c));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return lines.join('\n') + '\n';
}
