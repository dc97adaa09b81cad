// The full-screen layout: a blessed screen, a 12×12 blessed-contrib grid above a one-line status
// bar, the panels placed on it, the help and "unreachable" overlays, focus, and resize. It draws
// what it is given and knows nothing about polling; index.ts feeds it TargetStates.
//
//   rows 0-3   Throughput (line)      | Memory (line)        | Fragmentation gauge / Memory now
//   rows 4-6   Clients (sparklines)   | Latency (PING line)  | latency events · slowest commands
//   rows 7-9   Slowlog (table)        | Commands (table)     | Keyspace (table)   [5 | 4 | 3 columns]
//   rows 10-11 Findings
//   last line  status

import blessed from 'blessed';
import type { Widgets } from 'blessed';
import contrib from 'blessed-contrib';
import { describeError } from '../common/errors.js';
import { helpText } from './keys.js';
import { createClients } from './panels/clients.js';
import { createCommandstats } from './panels/commandstats.js';
import { createFindings } from './panels/findings.js';
import { createKeyspace } from './panels/keyspace.js';
import { createLatency } from './panels/latency.js';
import { createMemory } from './panels/memory.js';
import type { Cell, Panel, PanelFactory, Place } from './panels/panel.js';
import { createSlowlog } from './panels/slowlog.js';
import { createStatus, reachability, statusLine, type StatusContext } from './panels/status.js';
import { createThroughput } from './panels/throughput.js';
import { clock } from './poller.js';

/** The panels in focus order. */
const PANELS: PanelFactory[] = [createThroughput, createMemory, createClients, createLatency, createSlowlog, createCommandstats, createKeyspace, createFindings];

const BORDER = 'cyan';
const FOCUSED = 'yellow';

export class DashboardScreen {
  readonly screen: Widgets.Screen;
  readonly panels: Panel[];
  private readonly status: Widgets.BoxElement;
  private readonly help: Widgets.BoxElement;
  private readonly down: Widgets.BoxElement;
  private readonly focusables: Widgets.BoxElement[];
  private focusIndex = 0;
  private last: StatusContext | null = null;
  /** The last drawing error, shown in the status line instead of crashing. */
  private drawError: string | null = null;

  constructor(opts: { title: string }) {
    this.screen = blessed.screen({
      smartCSR: true,
      title: opts.title,
      autoPadding: true,
      warnings: false,
    });
    const container = blessed.box({ parent: this.screen, top: 0, left: 0, width: '100%', height: '100%-1' });
    // contrib's grid only needs something to append to: a box above the status line works.
    const grid = new contrib.grid({ rows: 12, cols: 12, screen: container as unknown as Widgets.Screen, color: BORDER } as contrib.Widgets.GridOptions);
    const gridSet = grid.set as unknown as (row: number, col: number, rs: number, cs: number, f: unknown, o: unknown) => unknown;
    const place: Place = <O, T>(c: Cell, factory: (o: O) => T, o: O): T => gridSet.call(grid, c.row, c.col, c.rowSpan, c.colSpan, factory, o) as T;
    this.panels = PANELS.map((make) => make(place));
    this.focusables = this.panels.flatMap((p) => p.widgets);
    this.status = createStatus(this.screen);
    this.down = blessed.box({
      parent: this.screen,
      top: 'center',
      left: 'center',
      width: '60%',
      height: 7,
      tags: true,
      hidden: true,
      border: { type: 'line' },
      style: { border: { fg: 'red' }, fg: 'white', bg: 'black' },
      align: 'center',
      valign: 'middle',
    });
    this.help = blessed.box({
      parent: this.screen,
      top: 'center',
      left: 'center',
      width: 64,
      height: 14,
      tags: true,
      hidden: true,
      label: ' Keys ',
      border: { type: 'line' },
      style: { border: { fg: 'yellow' }, fg: 'white', bg: 'black' },
      content: `\n${helpText()}`,
    });
    this.screen.on('resize', () => this.onResize());
    this.paintFocus();
  }

  /** Redraws every panel for the current target (or only the status line while paused). */
  draw(ctx: StatusContext): void {
    this.last = ctx;
    const state = ctx.states[ctx.current]!;
    if (!ctx.paused) {
      for (const p of this.panels) {
        try {
          p.update(state);
        } catch (err) {
          this.drawError = `${p.title}: ${describeError(err)}`;
        }
      }
    }
    const down = reachability(state);
    if (state.status === 'down' && down) {
      const retry = state.nextRetryAt ? `, retrying at ${clock(state.nextRetryAt)}` : '';
      this.down.setContent(`{bold}${blessed.escape(state.spec.name)}{/bold}\n{red-fg}{bold}${down}{/bold}{/red-fg}${retry}\n${blessed.escape(state.lastError ?? '')}`);
      this.down.show();
    } else this.down.hide();
    this.status.setContent(statusLine(ctx) + (this.drawError ? ` │ {red-fg}draw error: ${blessed.escape(this.drawError)}{/red-fg}` : ''));
    this.screen.render();
  }

  /** Moves focus by `step` panels' widgets (wraps around). */
  focus(step: number): void {
    const n = this.focusables.length;
    this.focusIndex = (((this.focusIndex + step) % n) + n) % n;
    this.paintFocus();
    this.screen.render();
  }

  scrollFocused(lines: number): void {
    const w = this.focusables[this.focusIndex];
    const panel = this.panels.find((p) => p.widgets.includes(w!));
    panel?.scroll?.(lines);
    this.screen.render();
  }

  /** Shows or hides the help; returns whether it is now visible. */
  toggleHelp(show?: boolean): boolean {
    const visible = show ?? this.help.hidden;
    if (visible) {
      this.help.show();
      this.help.setFront();
    } else this.help.hide();
    this.screen.render();
    return visible;
  }

  get helpVisible(): boolean {
    return !this.help.hidden;
  }

  destroy(): void {
    this.screen.destroy();
  }

  private paintFocus(): void {
    this.focusables.forEach((w, i) => {
      const style = w.style as { border?: { fg?: string } };
      style.border = { ...style.border, fg: i === this.focusIndex ? FOCUSED : BORDER };
    });
  }

  /** Charts size their drawing canvas when attached: re-attach them at the new size, then redraw. */
  private onResize(): void {
    for (const w of this.focusables) {
      if ((w as unknown as { ctx?: unknown }).ctx) w.emit('attach');
    }
    if (this.last) this.draw(this.last);
  }
}
