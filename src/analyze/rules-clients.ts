// Client rules: connections refused or close to maxclients, blocked and evicted clients, idle
// connections that never time out, connection churn, output-buffer limits that leave pub/sub or
// replica buffers unbounded, and a client-side caching table at its size limit.

import { conf, confNum, counterDelta, field, grade, known, type Rule, type RuleContext } from './finding.js';

/** Change of a counter in the interval (rates first, then the previous snapshot); null when unknown. */
function recent(ctx: RuleContext, rate: number | null | undefined, counter: string): number | null {
  if (ctx.rates && rate !== null && rate !== undefined) return rate * ctx.rates.seconds;
  return counterDelta(ctx, counter);
}

/** "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60" → class → [hard, soft, seconds]. */
export function parseOutputBufferLimits(value: string): Record<string, [number, number, number]> {
  const out: Record<string, [number, number, number]> = {};
  const parts = value.trim().split(/\s+/);
  for (let i = 0; i + 3 < parts.length; i += 4) {
    const cls = parts[i]!.toLowerCase() === 'slave' ? 'replica' : parts[i]!.toLowerCase();
    out[cls] = [Number(parts[i + 1]), Number(parts[i + 2]), Number(parts[i + 3])];
  }
  return out;
}

export const CLIENT_RULES: Rule[] = [
  {
    id: 'clients-tracking-table-full',
    area: 'clients',
    when: 'clients use client-side caching and tracking_total_keys ≥ trackingTableWarnShare (90%) of tracking-table-max-keys: warning.',
    evaluate({ snapshot: s, thresholds: t }) {
      const keys = field(s, 'tracking_total_keys');
      const clients = field(s, 'tracking_clients');
      const max = confNum(s, 'tracking-table-max-keys');
      if (!known(keys, clients, max) || clients <= 0 || max <= 0 || keys < t.trackingTableWarnShare * max) return null;
      return {
        severity: 'warning',
        title: 'The client-side caching table is at its limit',
        evidence: `tracking_total_keys ${keys} of tracking-table-max-keys ${max} (${Math.round((keys / max) * 100)}%); tracking_clients ${clients}, tracking_total_items ${field(s, 'tracking_total_items')}.`,
        advice:
          'Past the limit the server invalidates tracked keys that did not change, so client caches drop entries they still use (more misses, more invalidation traffic). Raise CONFIG SET tracking-table-max-keys (server memory grows per tracked key and per client), or track less: OPTIN with CLIENT CACHING yes for the keys worth caching, or BCAST with PREFIX (no per-key table).',
      };
    },
  },
  {
    id: 'clients-rejected',
    area: 'clients',
    when: 'rejected_connections grew since the previous snapshot: critical; rejected_connections > 0 since start only: info.',
    evaluate(ctx) {
      const s = ctx.snapshot;
      const total = field(s, 'rejected_connections');
      if (!known(total) || total <= 0) return null;
      const now = recent(ctx, ctx.rates?.rejectedConnectionsPerSec, 'rejected_connections');
      const max = field(s, 'maxclients');
      return {
        severity: now !== null && now > 0 ? 'critical' : 'info',
        title: now !== null && now > 0 ? 'Connections are being refused' : 'Connections were refused in the past',
        evidence: `rejected_connections ${total}${now !== null ? ` (+${Math.round(now)} in the last interval)` : ''}; connected_clients ${field(s, 'connected_clients')} of maxclients ${known(max) ? max : '?'}.`,
        advice: 'Clients hit maxclients: raise CONFIG SET maxclients (and the process file-descriptor limit, ulimit -n), fix connection leaks, or use connection pooling.',
      };
    },
  },
  {
    id: 'clients-maxclients-headroom',
    area: 'clients',
    when: 'connected_clients / maxclients ≥ maxclientsWarnShare (80%): warning; ≥ maxclientsCriticalShare (95%): critical.',
    evaluate({ snapshot: s, thresholds: t }) {
      const n = field(s, 'connected_clients');
      const max = field(s, 'maxclients');
      if (!known(n, max) || max <= 0) return null;
      const severity = grade(n / max, [
        [t.maxclientsWarnShare, 'warning'],
        [t.maxclientsCriticalShare, 'critical'],
      ]);
      if (!severity) return null;
      return {
        severity,
        title: 'Close to the client limit',
        evidence: `connected_clients ${n} of maxclients ${max} (${Math.round((n / max) * 100)}%).`,
        advice: 'Raise CONFIG SET maxclients (check ulimit -n on the host), or reduce connections per application instance with pooling; CLIENT LIST shows who holds them.',
      };
    },
  },
  {
    id: 'clients-blocked',
    area: 'clients',
    when: 'blocked_clients ≥ blockedClientsMin (10) and ≥ blockedClientsShare (50%) of connected clients: info.',
    evaluate({ snapshot: s, thresholds: t }) {
      const b = field(s, 'blocked_clients');
      const n = field(s, 'connected_clients');
      if (!known(b, n) || n <= 0 || b < t.blockedClientsMin || b / n < t.blockedClientsShare) return null;
      return {
        severity: 'info',
        title: 'Most clients are blocked',
        evidence: `blocked_clients ${b} of connected_clients ${n}.`,
        advice: 'Clients wait in BLPOP/BRPOP/BZPOPMIN/XREAD BLOCK/WAIT. Normal for worker pools; if producers are stuck, check queue lengths (LLEN/XLEN) and CLIENT LIST (flags=b); give blocking calls a timeout.',
      };
    },
  },
  {
    id: 'clients-evicted',
    area: 'clients',
    when: 'evicted_clients grew since the previous snapshot (maxmemory-clients disconnected clients): warning; > 0 since start only: info.',
    evaluate(ctx) {
      const total = field(ctx.snapshot, 'evicted_clients');
      if (!known(total) || total <= 0) return null;
      const now = counterDelta(ctx, 'evicted_clients');
      return {
        severity: now !== null && now > 0 ? 'warning' : 'info',
        title: 'Clients were disconnected for using too much memory',
        evidence: `evicted_clients ${total}${now !== null ? ` (+${now} in the last interval)` : ''}; maxmemory-clients ${conf(ctx.snapshot, 'maxmemory-clients') ?? '?'}.`,
        advice: 'Some clients hold big buffers (CLIENT LIST: tot-mem). Fix the consumer, or raise CONFIG SET maxmemory-clients; CLIENT NO-EVICT on for clients that must stay.',
      };
    },
  },
  {
    id: 'clients-no-idle-timeout',
    area: 'clients',
    when: 'timeout 0 (idle connections never closed) with at least idleTimeoutClients (1000) connected clients: info.',
    evaluate({ snapshot: s, thresholds: t }) {
      const timeout = confNum(s, 'timeout');
      const n = field(s, 'connected_clients');
      if (!known(timeout, n) || timeout !== 0 || n < t.idleTimeoutClients) return null;
      return {
        severity: 'info',
        title: 'Idle connections are never closed',
        evidence: `timeout 0 with ${n} connected clients.`,
        advice: 'CONFIG SET timeout 300 closes connections idle for 5 minutes (pub/sub and blocked clients are exempt); CLIENT LIST shows idle= per connection.',
      };
    },
  },
  {
    id: 'clients-connection-churn',
    area: 'clients',
    when: 'New connections per second ≥ connectionChurnPerSec (200): warning.',
    evaluate({ rates, snapshot: s, thresholds: t }) {
      const r = rates?.connectionsPerSec;
      if (r === null || r === undefined || r < t.connectionChurnPerSec) return null;
      return {
        severity: 'warning',
        title: 'Clients connect and disconnect at a high rate',
        evidence: `${Math.round(r)} new connections per second (total_connections_received); connected_clients ${field(s, 'connected_clients')}.`,
        advice: 'Each connection costs a TCP handshake (and TLS, AUTH). Use a connection pool in the client; if it is a health check, slow it down.',
      };
    },
  },
  {
    id: 'clients-tcp-backlog',
    area: 'clients',
    when: `tcp-backlog below 511 (Redis's default) while connections arrive at ≥ tcpBacklogChurnPerSec (50/s) or some were rejected: info.`,
    evaluate(ctx) {
      const s = ctx.snapshot;
      const t = ctx.thresholds;
      const backlog = confNum(s, 'tcp-backlog');
      if (!known(backlog) || backlog >= t.tcpBacklogDefault) return null;
      const rate = ctx.rates?.connectionsPerSec ?? null;
      const rejected = field(s, 'rejected_connections');
      if (!((rate !== null && rate >= t.tcpBacklogChurnPerSec) || (known(rejected) && rejected > 0))) return null;
      return {
        severity: 'info',
        title: 'Small TCP accept backlog for the connection rate',
        evidence: `tcp-backlog ${backlog}${rate !== null ? `; ${Math.round(rate)} connections/s` : ''}${known(rejected) ? `; rejected_connections ${rejected}` : ''}.`,
        advice: 'Set tcp-backlog 511 or more in redis.conf (needs a restart) and raise net.core.somaxconn on the host to match.',
      };
    },
  },
  {
    id: 'clients-output-buffer-unbounded',
    area: 'clients',
    when: 'client-output-buffer-limit has hard and soft limit 0 for the pubsub or replica class: warning (a slow subscriber or replica can grow without bound).',
    evaluate({ snapshot: s }) {
      const v = conf(s, 'client-output-buffer-limit');
      if (v === undefined) return null;
      const limits = parseOutputBufferLimits(v);
      const open = (['pubsub', 'replica'] as const).filter((c) => limits[c] && limits[c]![0] === 0 && limits[c]![1] === 0);
      if (open.length === 0) return null;
      return {
        severity: 'warning',
        title: `No output buffer limit for ${open.join(' and ')} clients`,
        evidence: `client-output-buffer-limit "${v}".`,
        advice: `Bound them, e.g. CONFIG SET client-output-buffer-limit "${open.includes('replica') ? 'replica 256mb 64mb 60' : ''}${open.length === 2 ? ' ' : ''}${open.includes('pubsub') ? 'pubsub 32mb 8mb 60' : ''}" (Redis's defaults).`,
      };
    },
  },
];
