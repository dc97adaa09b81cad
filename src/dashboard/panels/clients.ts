// Clients: connected and blocked clients as sparklines, rejected connections and new connections
// per second, and network in/out per second.

import contrib from 'blessed-contrib';
import type { TargetState } from '../poller.js';
import { bytesPerSec, compact, perSec, type Panel, type Place } from './panel.js';

/** The clients numbers as label/value pairs (the panel's footer and --once). */
export function clientLines(state: TargetState): Array<[string, string]> {
  const p = state.history[state.history.length - 1];
  const r = state.rates;
  return [
    ['connected', compact(p?.connected)],
    ['blocked', compact(p?.blocked)],
    ['rejected', perSec(p?.rejectedPerSec)],
    ['new conns', perSec(r?.connectionsPerSec)],
    ['net in', bytesPerSec(p?.netInPerSec)],
    ['net out', bytesPerSec(p?.netOutPerSec)],
  ];
}

export function createClients(place: Place): Panel {
  const spark = place({ row: 4, col: 0, rowSpan: 3, colSpan: 3 }, contrib.sparkline, {
    label: ' Clients ',
    tags: true,
    style: { fg: 'blue', titleFg: 'white' },
  } as contrib.Widgets.SparklineOptions);
  return {
    title: 'Clients',
    widgets: [spark],
    update(state) {
      const width = Math.max(4, (spark.width as number) - 3);
      const tail = (xs: Array<number | null>): number[] => xs.slice(-width).map((v) => v ?? 0);
      const [connected, blocked, rejected, conns, netIn, netOut] = clientLines(state).map(([, v]) => v);
      spark.setData([`connected ${connected}`, `blocked ${blocked}`], [tail(state.history.map((p) => p.connected)), tail(state.history.map((p) => p.blocked))]);
      spark.setContent(
        String((spark as unknown as { content: string }).content).replace(/\s+$/, '') + `\n{bold}rejected{/bold} ${rejected}  {bold}new{/bold} ${conns}\n{bold}net in{/bold} ${netIn}  {bold}out{/bold} ${netOut}`,
      );
    },
  };
}
