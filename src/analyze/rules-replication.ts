// Replication and cluster rules: a replica's link to its master, silence on that link, lagging
// replicas seen from the master, full resyncs that a bigger backlog would avoid, and a cluster
// that is not ok.

import { formatBytes } from '../common/format.js';
import { confNum, counterDelta, field, grade, known, role, text, type Rule } from './finding.js';

export const REPLICATION_RULES: Rule[] = [
  {
    id: 'replication-link-down',
    area: 'replication',
    when: 'A replica whose master_link_status is not up: critical (info while master_sync_in_progress is 1, the first sync).',
    evaluate({ snapshot: s }) {
      if (role(s) !== 'replica') return null;
      const link = text(s, 'master_link_status');
      if (link === undefined || link === 'up') return null;
      const syncing = field(s, 'master_sync_in_progress') === 1;
      const since = field(s, 'master_link_down_since_seconds');
      return {
        severity: syncing ? 'info' : 'critical',
        title: syncing ? 'Replica is syncing with its master' : 'Replica has lost its master',
        evidence: `master_link_status ${link}; master ${text(s, 'master_host') ?? '?'}:${text(s, 'master_port') ?? '?'}${known(since) && since >= 0 ? `; down for ${since} s` : ''}${syncing ? '; master_sync_in_progress 1' : ''}.`,
        advice: syncing
          ? 'Wait for the sync to finish (master_sync_left_bytes in INFO replication).'
          : 'Check the master is reachable from the replica (network, masterauth/masteruser, TLS) and read both logs; REPLICAOF <host> <port> re-points it.',
      };
    },
  },
  {
    id: 'replication-master-silent',
    area: 'replication',
    when: 'A replica with a live link and master_last_io_seconds_ago ≥ masterIoWarnSeconds (10): warning; ≥ repl-timeout (60 by default): critical.',
    evaluate({ snapshot: s, thresholds: t }) {
      if (role(s) !== 'replica' || text(s, 'master_link_status') !== 'up') return null;
      const io = field(s, 'master_last_io_seconds_ago');
      if (!known(io)) return null;
      const timeout = known(confNum(s, 'repl-timeout')) ? confNum(s, 'repl-timeout') : 60;
      const severity = grade(io, [
        [t.masterIoWarnSeconds, 'warning'],
        [timeout, 'critical'],
      ]);
      if (!severity) return null;
      return {
        severity,
        title: 'No data from the master for a while',
        evidence: `master_last_io_seconds_ago ${io}; repl-timeout ${timeout} s; the master pings every repl-ping-replica-period (10 s by default).`,
        advice: 'The master may be blocked (slow command, fork) or the network is dropping packets. Check the master\'s SLOWLOG and LATENCY LATEST; raise repl-timeout only if the cause is known.',
      };
    },
  },
  {
    id: 'replication-replica-lag',
    area: 'replication',
    when: 'On a master, a replica line with lag ≥ replicaLagWarnSeconds (10): warning; ≥ replicaLagCriticalSeconds (60) or state not online: critical.',
    evaluate({ snapshot: s, thresholds: t }) {
      if (role(s) !== 'master' || s.info.replicas.length === 0) return null;
      const offset = field(s, 'master_repl_offset');
      const bad = s.info.replicas
        .map((r) => {
          const sev = r.state !== 'online' ? 'critical' : grade(r.lag, [
            [t.replicaLagWarnSeconds, 'warning'],
            [t.replicaLagCriticalSeconds, 'critical'],
          ]);
          return { r, sev };
        })
        .filter((x) => x.sev !== null);
      if (bad.length === 0) return null;
      const severity = bad.some((x) => x.sev === 'critical') ? 'critical' : 'warning';
      return {
        severity,
        title: 'A replica is behind or not online',
        evidence: bad
          .map(({ r }) => `${r.ip}:${r.port} state=${r.state} lag=${r.lag}s${known(offset) && Number.isFinite(r.offset) ? ` behind by ${formatBytes(Math.max(0, offset - r.offset))}` : ''}`)
          .join('; ') + '.',
        advice: 'Check the replica\'s host (CPU, disk if it persists, network). A replica that cannot catch up risks its output buffer limit (client-output-buffer-limit replica) and a full resync.',
      };
    },
  },
  {
    id: 'replication-full-resyncs',
    area: 'replication',
    when: 'sync_full grew since the previous snapshot on a master: warning; sync_partial_err > 0 since start: info.',
    evaluate(ctx) {
      const s = ctx.snapshot;
      if (role(s) !== 'master') return null;
      const full = counterDelta(ctx, 'sync_full');
      const partialErr = field(s, 'sync_partial_err');
      if (!(full !== null && full > 0) && !(known(partialErr) && partialErr > 0)) return null;
      const backlog = field(s, 'repl_backlog_size');
      return {
        severity: full !== null && full > 0 ? 'warning' : 'info',
        title: 'Replicas needed full resynchronisations',
        evidence: `${full !== null && full > 0 ? `${full} full sync(s) in the last interval; ` : ''}sync_full ${field(s, 'sync_full')}, sync_partial_ok ${field(s, 'sync_partial_ok')}, sync_partial_err ${known(partialErr) ? partialErr : '?'}; repl_backlog_size ${known(backlog) ? formatBytes(backlog) : '?'}.`,
        advice: 'A partial resync failed because the backlog no longer held the missing writes: raise CONFIG SET repl-backlog-size (write rate × longest expected disconnect), and find why replicas disconnect.',
      };
    },
  },
  {
    id: 'cluster-state',
    area: 'replication',
    when: 'CLUSTER INFO cluster_state is not ok: critical; slots in pfail/fail state: warning.',
    evaluate({ snapshot: s }) {
      const c = s.clusterInfo;
      if (!c || c['cluster_state'] === undefined) return null;
      const pfail = Number(c['cluster_slots_pfail'] ?? 0);
      const fail = Number(c['cluster_slots_fail'] ?? 0);
      if (c['cluster_state'] === 'ok' && pfail === 0 && fail === 0) return null;
      return {
        severity: c['cluster_state'] !== 'ok' ? 'critical' : 'warning',
        title: c['cluster_state'] !== 'ok' ? 'The cluster is down' : 'Cluster nodes are failing',
        evidence: `cluster_state ${c['cluster_state']}; cluster_slots_assigned ${c['cluster_slots_assigned'] ?? '?'}, ok ${c['cluster_slots_ok'] ?? '?'}, pfail ${pfail}, fail ${fail}; cluster_known_nodes ${c['cluster_known_nodes'] ?? '?'}.`,
        advice: 'CLUSTER NODES shows which nodes are flagged fail; bring them back or fail over (CLUSTER FAILOVER on a replica), and make sure every slot is covered (cluster-require-full-coverage).',
      };
    },
  },
];
