// `redscope dashboard` (and `redscope` alone in a terminal): the full-screen live view of one or
// more targets, or with --once a plain-text snapshot of it. This file only turns flags into
// options; the dashboard face does the rest.

import type { Command } from 'commander';
import { ExitCode, UserError } from '../../common/errors.js';
import { addTargetOptions, resolveTargets, type TargetFlags } from '../target-options.js';

interface DashboardFlags extends TargetFlags {
  interval: string;
  once?: boolean;
  demo: boolean;
}

/** "1s", "500ms", "2" (seconds), "0.5s" → milliseconds; 100 ms to 1 hour. */
export function parseInterval(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  const ms = m ? Number(m[1]) * ({ ms: 1, s: 1000, m: 60_000 } as const)[(m[2] ?? 's') as 'ms' | 's' | 'm'] : NaN;
  if (!Number.isFinite(ms) || ms < 100 || ms > 3_600_000) throw new UserError(`--interval must be a duration from 100ms to 1h such as 1s, 500ms or 2s, got '${text}'`);
  return Math.round(ms);
}

export function registerDashboard(program: Command): void {
  const cmd = program.command('dashboard').description('full-screen live dashboard (the default in a terminal); --once prints one plain-text snapshot');
  addTargetOptions(cmd)
    .option('--interval <duration>', 'time between polls (e.g. 1s, 500ms)', '1s')
    .option('--once', 'print one plain-text snapshot and exit (no terminal needed)')
    .option('--no-demo', 'do not run the demo workload against the bundled engine')
    .action(async (opts: DashboardFlags) => {
      const intervalMs = parseInterval(opts.interval);
      if (!opts.once && !process.stdout.isTTY) {
        throw new UserError('the dashboard needs a terminal (stdout is not a TTY); use `redscope dashboard --once` for a plain-text snapshot');
      }
      // loaded here, not at startup: other commands do not pay for blessed
      const { runDashboard, runOnce } = await import('../../dashboard/index.js');
      const set = await resolveTargets(opts);
      try {
        const options = {
          targets: set.targets.map((t) => ({ spec: t.spec, bundled: t.bundled })),
          intervalMs,
          timeoutMs: set.timeoutMs,
          demo: opts.demo !== false,
        };
        if (opts.once) {
          const { text, unreachable } = await runOnce(options);
          process.stdout.write(text);
          if (unreachable > 0) process.exitCode = ExitCode.usage;
        } else {
          await runDashboard(options);
        }
      } finally {
        await set.close();
      }
    });
}
