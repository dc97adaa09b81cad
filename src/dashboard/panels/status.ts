// The status line at the bottom: which target (and the others, by number), its version, role and
// uptime, the poll interval and last poll time, errors, DEMO / PAUSED markers, and "unreachable
// since HH:MM:SS" when the target is down.

import blessed from 'blessed';
import type { Widgets } from 'blessed';
import { num } from '../../collect/info-parser.js';
import { clock, type TargetState } from '../poller.js';
import { duration, esc } from './panel.js';

export interface StatusContext {
  states: TargetState[];
  current: number;
  intervalMs: number;
  paused: boolean;
}

/** The status parts of one target, without colour (the line and --once share them). */
export function statusParts(state: TargetState, intervalMs: number): string[] {
  const s = state.snapshot;
  const parts: string[] = [state.spec.name];
  if (state.demo) parts.push('DEMO workload');
  if (s) {
    parts.push(`${s.identity.flavor} ${s.identity.version}`, s.identity.role, `up ${duration(num(s.info, 'uptime_in_seconds'))}`);
    if (s.identity.mode !== 'standalone') parts.push(s.identity.mode);
  }
  parts.push(`every ${intervalMs >= 1000 ? `${intervalMs / 1000}s` : `${intervalMs}ms`}`);
  if (state.lastPollAt) parts.push(`polled ${clock(state.lastPollAt)}`);
  if (state.failedPolls) parts.push(`errors ${state.failedPolls}`);
  if (s?.problems.length) parts.push(`partial: ${s.problems[0]}`);
  return parts;
}

/** "unreachable since 12:03:04" / "connecting…" / null when up. */
export function reachability(state: TargetState): string | null {
  if (state.status === 'down' && state.downSince) return `unreachable since ${clock(state.downSince)}`;
  if (state.status === 'connecting') return 'connecting…';
  return null;
}

export function statusLine(ctx: StatusContext): string {
  const st = ctx.states[ctx.current]!;
  const tabs =
    ctx.states.length > 1
      ? ctx.states.map((t, i) => (i === ctx.current ? `{black-fg}{white-bg}[${i + 1}]{/white-bg}{/black-fg}` : t.status === 'down' ? `{red-fg}[${i + 1}]{/red-fg}` : `[${i + 1}]`)).join('') + ' '
      : '';
  const down = reachability(st);
  const parts = statusParts(st, ctx.intervalMs).map(esc);
  if (down) parts.splice(1, 0, st.status === 'down' ? `{red-bg}{white-fg}{bold} ${down} {/bold}{/white-fg}{/red-bg}` : down);
  if (ctx.paused) parts.push('{yellow-bg}{black-fg} PAUSED {/black-fg}{/yellow-bg}');
  parts.push('? help  q quit');
  return ` ${tabs}${parts.join(' │ ')}`;
}

export function createStatus(screen: Widgets.Screen): Widgets.BoxElement {
  return blessed.box({ parent: screen, bottom: 0, left: 0, width: '100%', height: 1, tags: true, style: { fg: 'white', bg: 'blue' } });
}
