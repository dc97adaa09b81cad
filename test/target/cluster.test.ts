// --cluster against a real three-master, one-replica redis-server 7.0 cluster built on loopback:
// every node is found with its role and slots, and a non-cluster seed says so in one line.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverCluster, parseClusterNodes } from '../../src/target/cluster.js';
import { openLink, type RedisLink } from '../../src/target/link.js';
import type { TargetSpec } from '../../src/target/url.js';
import { startRedis, type TestServer } from '../helpers/servers.js';

const spec = (port: number, extra: Partial<TargetSpec> = {}): TargetSpec => ({ name: `127.0.0.1:${port}`, host: '127.0.0.1', port, tls: false, db: 0, ...extra });

describe('cluster discovery', () => {
  const servers: TestServer[] = [];
  const links: RedisLink[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 4; i++) servers.push(await startRedis({ 'cluster-enabled': 'yes', 'cluster-config-file': 'nodes.conf', requirepass: 'pw', masterauth: 'pw' }));
    for (const s of servers) links.push(await openLink(spec(s.port, { password: 'pw' })));
    const ranges: Array<[number, number]> = [
      [0, 5460],
      [5461, 10922],
      [10923, 16383],
    ];
    for (let i = 0; i < 3; i++) await links[i]!.call('CLUSTER', 'ADDSLOTSRANGE', String(ranges[i]![0]), String(ranges[i]![1]));
    for (let i = 1; i < 4; i++) await links[0]!.call('CLUSTER', 'MEET', '127.0.0.1', String(servers[i]!.port));
    // Wait (bounded) until the gossip has spread: every node knows four nodes.
    const firstId = String(await links[0]!.call('CLUSTER', 'MYID'));
    for (let tries = 0; tries < 200; tries++) {
      const views = await Promise.all(links.map((l) => l.call('CLUSTER', 'NODES')));
      if (views.every((v) => String(v).trim().split('\n').length === 4)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await links[3]!.call('CLUSTER', 'REPLICATE', firstId);
    // Every node (the test's seed is the third) must have heard that the fourth is now a replica.
    for (let tries = 0; tries < 400; tries++) {
      const views = await Promise.all(links.map((l) => l.call('CLUSTER', 'NODES')));
      if (views.every((v) => /slave/.test(String(v)))) break;
      await new Promise((r) => setTimeout(r, 50));
    }
  }, 30_000);
  afterAll(async () => {
    for (const l of links) l.close();
    for (const s of servers) await s.stop();
  });

  it('expands one seed into every node with roles, slots and the seed credentials', async () => {
    const nodes = await discoverCluster(spec(servers[2]!.port, { password: 'pw' }));
    expect(nodes.map((n) => n.role)).toEqual(['master', 'replica', 'master', 'master']);
    expect(nodes.map((n) => n.spec.port)).toEqual([servers[0]!.port, servers[3]!.port, servers[1]!.port, servers[2]!.port]);
    expect(nodes[0]!.slots).toEqual([[0, 5460]]);
    expect(nodes[3]!.slots).toEqual([[10923, 16383]]);
    expect(nodes[1]!.masterId).toBe(nodes[0]!.id);
    expect(nodes.every((n) => n.spec.password === 'pw' && n.spec.name === `127.0.0.1:${n.spec.port}`)).toBe(true);
    // Every discovered node answers with the inherited credentials.
    for (const n of nodes) {
      const l = await openLink(n.spec);
      expect(await l.call('PING')).toBe('PONG');
      l.close();
    }
  });

  it('a seed that is not a cluster node is a one-line error', async () => {
    const plain = await startRedis();
    try {
      await expect(discoverCluster(spec(plain.port))).rejects.toThrow(/is not a cluster node \(cluster-enabled is no\); drop --cluster/);
    } finally {
      await plain.stop();
    }
  });
});

describe('parseClusterNodes', () => {
  it('reads IPv6, hostnames, migrating slots and skips handshake nodes', () => {
    const text = [
      'aaa ::1:7000@17000,host-a myself,master - 0 0 1 connected 0-100 200 [300->-bbb]',
      'bbb 10.0.0.2:7001@17001 slave aaa 0 1700000000000 1 connected',
      'ccc :0@0 handshake - 0 0 0 disconnected',
    ].join('\n');
    const nodes = parseClusterNodes(text, { name: 'seed', host: '::1', port: 7000, tls: true, db: 3, password: 'x' });
    expect(nodes).toHaveLength(2);
    expect(nodes[0]).toMatchObject({ id: 'aaa', role: 'master', slots: [[0, 100], [200, 200]], spec: { name: '[::1]:7000', host: '::1', port: 7000, tls: true, db: 0, password: 'x' } });
    expect(nodes[1]).toMatchObject({ id: 'bbb', role: 'replica', masterId: 'aaa', slots: [], spec: { host: '10.0.0.2', port: 7001 } });
  });
});
