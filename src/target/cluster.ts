// `--cluster`: one seed address expands into every node of the cluster (CLUSTER NODES), each a
// target of its own with its role and slots, inheriting the seed's credentials and TLS settings.
// Faces then poll nodes one by one: cluster-wide numbers are sums the analyzers make, not a
// proxy's guess.

import { TargetError } from '../common/errors.js';
import { openLink } from './link.js';
import type { TargetSpec } from './url.js';

export interface ClusterNode {
  id: string;
  spec: TargetSpec;
  role: 'master' | 'replica';
  /** The master's node id, for replicas. */
  masterId: string | null;
  /** Slot ranges served ([start, end] inclusive); empty for replicas. */
  slots: Array<[number, number]>;
  /** Flags as CLUSTER NODES gives them (myself, fail, fail?, handshake, noaddr, nofailover...). */
  flags: string[];
  linkState: 'connected' | 'disconnected';
}

/** Parses CLUSTER NODES text into nodes whose specs copy `seed` (credentials, TLS, db 0). */
export function parseClusterNodes(text: string, seed: TargetSpec): ClusterNode[] {
  const nodes: ClusterNode[] = [];
  for (const line of text.split('\n')) {
    const parts = line.trim().split(' ');
    if (parts.length < 8) continue;
    const [id, addr, flagText, master, , , , linkState, ...slotParts] = parts as [string, string, string, string, string, string, string, string, ...string[]];
    const flags = flagText.split(',');
    if (flags.includes('noaddr') || flags.includes('handshake')) continue;
    // ip:port@cport[,hostname]; IPv6 addresses keep their colons before the last one.
    const hostPort = addr.split('@')[0]!;
    const colon = hostPort.lastIndexOf(':');
    let host = hostPort.slice(0, colon).replace(/^\[|\]$/g, '');
    const port = Number(hostPort.slice(colon + 1));
    if (host === '' || host === '::') host = seed.host ?? '127.0.0.1'; // a node that does not know its own address
    const slots: Array<[number, number]> = [];
    for (const s of slotParts) {
      if (s.startsWith('[')) continue; // slots being imported/migrated
      const [a, b] = s.split('-');
      slots.push([Number(a), Number(b ?? a)]);
    }
    const name = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    nodes.push({
      id,
      spec: { ...seed, name, host, port, path: undefined, db: 0 },
      role: flags.includes('master') ? 'master' : 'replica',
      masterId: master === '-' ? null : master,
      slots,
      flags,
      linkState: linkState === 'connected' ? 'connected' : 'disconnected',
    });
  }
  // Masters in slot order, each followed by its replicas: the order people read a cluster in.
  const masters = nodes.filter((n) => n.role === 'master').sort((a, b) => (a.slots[0]?.[0] ?? 1e9) - (b.slots[0]?.[0] ?? 1e9));
  const ordered: ClusterNode[] = [];
  for (const m of masters) ordered.push(m, ...nodes.filter((n) => n.masterId === m.id));
  for (const n of nodes) if (!ordered.includes(n)) ordered.push(n);
  return ordered;
}

/** Connects to the seed and lists the cluster's nodes; a non-cluster seed is a clear error. */
export async function discoverCluster(seed: TargetSpec, timeoutMs?: number): Promise<ClusterNode[]> {
  const link = await openLink(seed, { timeoutMs });
  try {
    let text: string;
    try {
      text = String(await link.call('CLUSTER', 'NODES'));
    } catch (err) {
      const msg = (err as Error).message;
      if (/cluster support disabled/i.test(msg)) throw new TargetError(`--cluster: ${seed.name} is not a cluster node (cluster-enabled is no); drop --cluster to look at it alone`);
      throw new TargetError(`--cluster: CLUSTER NODES failed on ${seed.name}: ${msg}`);
    }
    const nodes = parseClusterNodes(text, seed);
    if (nodes.length === 0) throw new TargetError(`--cluster: ${seed.name} lists no reachable nodes in CLUSTER NODES`);
    return nodes;
  } finally {
    link.close();
  }
}
