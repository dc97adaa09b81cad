// `redscope slowlog`: reads each target's SLOWLOG and groups the entries by command and argument
// shape (ids and numbers in keys normalised), so the expensive call patterns, the anti-patterns
// behind them and the clients sending them stand out. Text by default, --json for scripts.

import type { Command } from 'commander';
import { createElement } from 'react';
import { analyzeSnapshot, slowlogReport } from '../../analyze/index.js';
import { UserError } from '../../common/errors.js';
import { notRead } from '../render/not-read.js';
import type { SlowlogResult } from '../render/slowlog-view.js';
import {
  addReportOptions,
  addTargetOptions,
  collectorFor,
  emitResults,
  forEachTarget,
  parseFailOn,
  parseWhole,
  resolveTargets,
  type TargetFlags,
} from '../target-options.js';

interface SlowlogOptions extends TargetFlags {
  count: string;
  top: string;
  json?: boolean;
  failOn?: string;
}

const num = (v: string | undefined): number | null => (v === undefined || v === '' || !Number.isFinite(Number(v)) ? null : Number(v));

/** Findings that concern slow commands: the commands area and a disabled slow log. */
const SLOWLOG_FINDING = (id: string, area: string): boolean => area === 'commands' || id === 'latency-slowlog-off';

export function registerSlowlog(program: Command): void {
  const cmd = program.command('slowlog').description('slow log grouped by command shape: totals, p99, anti-patterns, clients');
  addTargetOptions(cmd);
  addReportOptions(cmd);
  cmd
    .option('-n, --count <n>', 'entries to read (SLOWLOG GET n)', '128')
    .option('--top <n>', 'command shapes to show in text output', '20')
    .action(async (opts: SlowlogOptions) => {
      const failOn = parseFailOn(opts.failOn);
      const count = parseWhole(opts.count, '--count', 1, 1_000_000);
      const top = parseWhole(opts.top, '--top', 1);
      const set = await resolveTargets(opts);
      const per = await forEachTarget(set, async (link, t): Promise<SlowlogResult> => {
        const snap = await collectorFor(link, t, count).collect();
        if (!snap.slowlog) {
          const why = snap.capabilities.notes['slowlog'] ?? snap.problems.find((p) => p.startsWith('SLOWLOG')) ?? 'no reply';
          throw new UserError(`${t.spec.name}: cannot read the slow log: ${why}`);
        }
        const report = slowlogReport(snap.slowlog.entries);
        return {
          target: t.spec.name,
          ...report,
          length: snap.slowlog.length,
          config: { slowerThanUs: num(snap.config['slowlog-log-slower-than']), maxLen: num(snap.config['slowlog-max-len']) },
          findings: analyzeSnapshot({ snapshot: snap }).filter((f) => SLOWLOG_FINDING(f.id, f.area)),
          notRead: notRead(snap),
        };
      });
      await emitResults(per, { json: opts.json, failOn }, async (results) => createElement((await import('../render/slowlog-view.js')).SlowlogView, { results, top }));
    });
}
