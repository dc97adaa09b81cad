// The dashboard's key bindings, as one table: the keys, what they do, and the help text the `?`
// overlay prints from the same table, so the help can never drift from the bindings.

import type { Widgets } from 'blessed';

export interface KeyActions {
  quit(): void;
  focus(step: number): void;
  selectTarget(index: number): void;
  stepTarget(step: number): void;
  togglePause(): void;
  resetCharts(): void;
  toggleHelp(): void;
  scroll(lines: number): void;
}

interface Binding {
  keys: string[];
  /** How the help shows the keys. */
  shown: string;
  help: string;
  run(a: KeyActions, key: string): void;
}

export const BINDINGS: Binding[] = [
  { keys: ['q', 'C-c', 'escape'], shown: 'q  Ctrl-C', help: 'quit (Esc closes this help first)', run: (a) => a.quit() },
  { keys: ['tab', 'right', 'down'], shown: 'Tab → ↓', help: 'focus the next panel', run: (a) => a.focus(1) },
  { keys: ['S-tab', 'left', 'up'], shown: 'S-Tab ← ↑', help: 'focus the previous panel', run: (a) => a.focus(-1) },
  { keys: ['pageup', 'pagedown'], shown: 'PgUp PgDn', help: 'scroll the focused panel', run: (a, k) => a.scroll(k === 'pageup' ? -5 : 5) },
  { keys: ['1', '2', '3', '4', '5', '6', '7', '8', '9'], shown: '1..9', help: 'show target N', run: (a, k) => a.selectTarget(Number(k) - 1) },
  { keys: ['n'], shown: 'n', help: 'next target', run: (a) => a.stepTarget(1) },
  { keys: ['p'], shown: 'p', help: 'previous target', run: (a) => a.stepTarget(-1) },
  { keys: ['space'], shown: 'space', help: 'pause / resume the display (polling goes on)', run: (a) => a.togglePause() },
  { keys: ['r'], shown: 'r', help: "reset the charts (forget this target's history)", run: (a) => a.resetCharts() },
  { keys: ['?', 'h'], shown: '?', help: 'show / hide this help', run: (a) => a.toggleHelp() },
];

export function helpText(): string {
  return BINDINGS.map((b) => `  {bold}${b.shown.padEnd(11)}{/bold} ${b.help}`).join('\n');
}

export function bindKeys(screen: Widgets.Screen, actions: KeyActions): void {
  for (const b of BINDINGS) {
    screen.key(b.keys, (ch: string, key: Widgets.Events.IKeyEventArg) => {
      b.run(actions, /^\d$/.test(ch ?? '') ? ch : key.name);
    });
  }
}
