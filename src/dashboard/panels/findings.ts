// Findings: what the analyzer (analyze/, the same rules as `redscope info`) says about the latest
// snapshot, worst first, coloured by severity: title, then the evidence and the advice.

import blessed from 'blessed';
import type { Finding } from '../../analyze/index.js';
import type { TargetState } from '../poller.js';
import { esc, SEVERITY_COLOR, type Panel, type Place } from './panel.js';

const MARK: Record<Finding['severity'], string> = { critical: 'CRIT', warning: 'WARN', info: 'INFO' };

/** One finding as plain lines (no colour): "WARN  title", then evidence and advice indented. */
export function findingLines(f: Finding): string[] {
  return [`${MARK[f.severity]}  ${f.title}`, `      ${f.evidence}`, `      → ${f.advice}`];
}

export function findingsTitle(state: TargetState): string {
  const counts = { critical: 0, warning: 0, info: 0 };
  for (const f of state.findings) counts[f.severity]++;
  const parts = (Object.keys(counts) as Array<keyof typeof counts>).filter((k) => counts[k] > 0).map((k) => `${counts[k]} ${k}`);
  return `Findings${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

export function createFindings(place: Place): Panel {
  const box = place({ row: 10, col: 0, rowSpan: 2, colSpan: 12 }, blessed.box, {
    label: ' Findings ',
    tags: true,
    scrollable: true,
    alwaysScroll: true,
    scrollbar: { ch: ' ', style: { bg: 'blue' } },
  });
  return {
    title: 'Findings',
    widgets: [box],
    update(state) {
      box.setLabel(` ${findingsTitle(state)} `);
      if (!state.snapshot) {
        box.setContent('waiting for the first snapshot…');
        return;
      }
      if (state.findings.length === 0) {
        box.setContent('{green-fg}No findings: the analyzer sees nothing to fix.{/green-fg}');
        return;
      }
      box.setContent(
        state.findings
          .map((f) => {
            const c = SEVERITY_COLOR[f.severity];
            const [head, evidence, advice] = findingLines(f).map(esc);
            return `{${c}-fg}{bold}${head}{/bold}{/${c}-fg}  {gray-fg}${evidence!.trim()}{/gray-fg}\n${advice}`;
          })
          .join('\n'),
      );
    },
    scroll(lines) {
      box.scroll(lines);
    },
  };
}
