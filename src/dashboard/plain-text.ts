// `redscope dashboard --once`: the dashboard's panels as one plain-text snapshot (no TTY, no colour),
// for CI logs and bug reports. It reuses the panels' own row builders, so every number reads as it
// does on screen.

import { throughputHeadline, topCommands } from './panels/throughput.js';
import { fragmentation, memoryLines } from './panels/memory.js';
import { clientLines } from './panels/clients.js';
import { latencyLines } from './panels/latency.js';
import { SLOWLOG_HEADERS, slowlogRows, slowlogTitle } from './panels/slowlog.js';
import { KEYSPACE_HEADERS, keyspaceRows } from './panels/keyspace.js';
import { COMMAND_HEADERS, commandRows } from './panels/commandstats.js';
import { findingLines, findingsTitle } from './panels/findings.js';
import { reachability, statusParts } from './panels/status.js';
import { perSec } from './panels/panel.js';
import type { TargetState } from './poller.js';

/** Rows under headers, columns padded to their widest cell, indented by two spaces. */
export function textTable(headers: string[], rows: string[][]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string => `  ${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')}`.trimEnd();
  return [line(headers), ...rows.map(line)];
}

const pairs = (xs: Array<[string, string]>): string => xs.map(([k, v]) => `${k} ${v}`).join(' · ');

/** One target's snapshot as text lines. */
export function targetText(state: TargetState, intervalMs: number): string[] {
  const out: string[] = [`== ${statusParts(state, intervalMs).join(' · ')}`];
  const down = reachability(state);
  if (down || !state.snapshot) {
    out.push(`${state.status === 'down' ? down : 'no snapshot'}: ${state.lastError ?? 'no answer yet'}`);
    return out;
  }
  const last = state.history[state.history.length - 1];
  const top = topCommands(state.history).map((c) => `${c} ${perSec(last?.commandsPerSec[c] ?? 0)}`);
  out.push(`Throughput  ${throughputHeadline(state)}${top.length ? ` · top: ${top.join(', ')}` : ''}`);
  const f = fragmentation(state);
  out.push(`Memory      ${pairs(memoryLines(state))}${f ? ` · fragmentation ${f.ratio?.toFixed(2) ?? '-'} (${f.verdict})` : ''}`);
  out.push(`Clients     ${pairs(clientLines(state))}`);
  const lat = latencyLines(state);
  out.push(`Latency     ${lat[0]}`, ...lat.slice(1).map((l) => `            ${l}`));
  const slow = slowlogRows(state.snapshot.slowlog?.entries ?? [], 10);
  out.push(slowlogTitle(state), ...(slow.length ? textTable(SLOWLOG_HEADERS, slow) : ['  (empty)']));
  const ks = keyspaceRows(state);
  out.push('Keyspace', ...(ks.length ? textTable(KEYSPACE_HEADERS, ks) : ['  (no keys)']));
  const cmds = commandRows(state, 15);
  out.push('Commands', ...(cmds.length ? textTable(COMMAND_HEADERS, cmds) : ['  (none)']));
  out.push(findingsTitle(state), ...(state.findings.length ? state.findings.flatMap((x) => findingLines(x).map((l) => `  ${l}`)) : ['  none']));
  return out;
}

export function plainText(states: TargetState[], intervalMs: number): string {
  return states.map((s) => targetText(s, intervalMs).join('\n')).join('\n\n') + '\n';
}
