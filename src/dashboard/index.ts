// The dashboard face: `runDashboard` opens the full-screen view over one poller per target and
// returns when the user quits; `runOnce` takes two polls an interval apart (so rates exist) and
// returns the plain-text snapshot. The CLI resolves targets and passes them in; when the only
// target is the bundled engine, the demo workload runs against it unless switched off.

import { UserError } from '../common/errors.js';
import type { TargetSpec } from '../target/url.js';
import { startDemoLoad, type DemoLoad } from './demo-load.js';
import { bindKeys } from './keys.js';
import { plainText } from './plain-text.js';
import { TargetPoller } from './poller.js';
import { DashboardScreen } from './screen.js';

export interface DashboardTarget {
  spec: TargetSpec;
  bundled: boolean;
}

export interface DashboardOptions {
  targets: DashboardTarget[];
  intervalMs: number;
  timeoutMs: number;
  /** Run the demo workload (only honoured when the single target is the bundled engine). */
  demo: boolean;
}

function withDemo(o: DashboardOptions): boolean {
  return o.demo && o.targets.length === 1 && o.targets[0]!.bundled;
}

async function startDemo(o: DashboardOptions): Promise<DemoLoad | null> {
  if (!withDemo(o)) return null;
  try {
    return await startDemoLoad(o.targets[0]!.spec, o.timeoutMs);
  } catch {
    return null; // the dashboard still shows the engine, just idle
  }
}

function makePollers(o: DashboardOptions, onUpdate?: (i: number) => void): TargetPoller[] {
  const demo = withDemo(o);
  return o.targets.map(
    (t, i) =>
      new TargetPoller(i, t.spec, { bundled: t.bundled, demo }, { intervalMs: o.intervalMs, timeoutMs: o.timeoutMs, onUpdate: () => onUpdate?.(i) }),
  );
}

/** `--once`: two polls an interval apart, PINGs sampled between them; the text to print. */
export async function runOnce(o: DashboardOptions): Promise<{ text: string; unreachable: number }> {
  const demo = await startDemo(o);
  const pollers = makePollers(o);
  try {
    await Promise.all(pollers.map((p) => p.pollOnce()));
    for (const p of pollers) p.startSampling();
    await new Promise((r) => setTimeout(r, o.intervalMs));
    await Promise.all(pollers.map((p) => p.pollOnce()));
  } finally {
    for (const p of pollers) p.stop();
    await demo?.stop();
  }
  const states = pollers.map((p) => p.state);
  return { text: plainText(states, o.intervalMs), unreachable: states.filter((s) => s.status !== 'up').length };
}

/** The live dashboard; resolves when the user quits (q, Ctrl-C) or the process is told to stop. */
export async function runDashboard(o: DashboardOptions): Promise<void> {
  if (!process.stdout.isTTY) throw new UserError('the dashboard needs a terminal (stdout is not a TTY); use --once for a plain-text snapshot');
  if (o.targets.length === 0) throw new UserError('no target to show');
  const view = new DashboardScreen({ title: 'redscope' });
  let current = 0;
  let paused = false;
  const draw = (): void => view.draw({ states: pollers.map((p) => p.state), current, intervalMs: o.intervalMs, paused });
  const pollers = makePollers(o, (i) => {
    if (i === current || pollers[i]!.state.polls <= 1) draw();
  });
  const internalErrors = (err: unknown): void => {
    // never crash: keep the screen, the error shows in the status line via the next draw
    pollers[current]!.state.lastError = `internal: ${String(err)}`;
  };
  process.on('uncaughtException', internalErrors);
  process.on('unhandledRejection', internalErrors);

  let finish!: () => void;
  const done = new Promise<void>((r) => (finish = r));
  const signals = ['SIGTERM', 'SIGHUP'] as const;
  const onSignal = (): void => finish();
  for (const s of signals) process.on(s, onSignal);

  bindKeys(view.screen, {
    quit: () => (view.helpVisible ? view.toggleHelp(false) : finish()),
    focus: (step) => view.focus(step),
    selectTarget: (i) => {
      if (i < pollers.length) {
        current = i;
        draw();
      }
    },
    stepTarget: (step) => {
      current = (current + step + pollers.length) % pollers.length;
      draw();
    },
    togglePause: () => {
      paused = !paused;
      draw();
    },
    resetCharts: () => {
      pollers[current]!.resetHistory();
      draw();
    },
    toggleHelp: () => void view.toggleHelp(),
    scroll: (lines) => view.scrollFocused(lines),
  });

  draw();
  for (const p of pollers) p.start();
  const demo = await startDemo(o);
  try {
    await done;
  } finally {
    for (const p of pollers) p.stop();
    await demo?.stop();
    view.destroy();
    for (const s of signals) process.off(s, onSignal);
    process.off('uncaughtException', internalErrors);
    process.off('unhandledRejection', internalErrors);
  }
}
