// What a report could not read: probes the server refused (CONFIG renamed, ACL NOPERM, LATENCY on
// a managed service...) and failures of this poll, one line each, for the text block (partial.tsx)
// and the JSON `notRead` list. Kept free of ink so commands can build results without loading it.

import type { Snapshot } from '../../collect/snapshot.js';

/** Capability names as a reader knows them. */
const CAPABILITY: Record<string, string> = {
  infoAll: 'INFO ALL',
  config: 'CONFIG',
  slowlog: 'SLOWLOG',
  latency: 'LATENCY',
  latencyHistogram: 'LATENCY HISTOGRAM',
  memoryStats: 'MEMORY STATS',
  clusterInfo: 'CLUSTER INFO',
};

/** Notes that are facts about the server, not gaps in the report. */
const EXPECTED = /not a cluster node/;

/** One line per thing that could not be read. */
export function notRead(s: Snapshot): string[] {
  const out: string[] = [];
  for (const [cap, note] of Object.entries(s.capabilities.notes)) {
    if (EXPECTED.test(note)) continue;
    if (cap === 'clusterInfo' && s.identity.mode !== 'cluster') continue;
    const name = CAPABILITY[cap] ?? cap;
    out.push(note.toUpperCase().startsWith(name) ? note : `${name}: ${note}`);
  }
  for (const p of s.problems) if (!out.some((o) => o.includes(p) || p.includes(o))) out.push(p);
  return out;
}
