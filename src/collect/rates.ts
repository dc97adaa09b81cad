// Rates come from two Snapshots of the same target: counters are cumulative in INFO, so a rate is
// (later - earlier) / elapsed. A restart (uptime went down, run_id changed) or CONFIG RESETSTAT (a
// counter went down) makes a delta meaningless: that rate is null, never negative.

import { num } from './info-parser.js';
import type { Snapshot } from './snapshot.js';

export interface Rates {
  /** Seconds between the two snapshots. */
  seconds: number;
  opsPerSec: number | null;
  /** Per command (commandstats names, e.g. "get", "config|get"): calls per second. */
  commandsPerSec: Record<string, number>;
  /** Per command: mean µs per call over the interval (null when no calls). */
  usecPerCall: Record<string, number | null>;
  /** keyspace_hits / (hits + misses) over the interval; null when there were no lookups. */
  hitRatio: number | null;
  netInputBytesPerSec: number | null;
  netOutputBytesPerSec: number | null;
  evictedKeysPerSec: number | null;
  expiredKeysPerSec: number | null;
  rejectedConnectionsPerSec: number | null;
  connectionsPerSec: number | null;
  errorRepliesPerSec: number | null;
  /** Per error prefix (errorstats): errors per second. */
  errorsPerSec: Record<string, number>;
}

/** The INFO counters turned into per-second rates, by Rates field. */
const COUNTER_RATES = [
  ['opsPerSec', 'total_commands_processed'],
  ['netInputBytesPerSec', 'total_net_input_bytes'],
  ['netOutputBytesPerSec', 'total_net_output_bytes'],
  ['evictedKeysPerSec', 'evicted_keys'],
  ['expiredKeysPerSec', 'expired_keys'],
  ['rejectedConnectionsPerSec', 'rejected_connections'],
  ['connectionsPerSec', 'total_connections_received'],
  ['errorRepliesPerSec', 'total_error_replies'],
] as const;

/** True when `b` cannot continue `a`'s counters (restart or another server). */
export function restartedBetween(a: Snapshot, b: Snapshot): boolean {
  if (a.identity.runId && b.identity.runId && a.identity.runId !== b.identity.runId) return true;
  return num(b.info, 'uptime_in_seconds', 0) < num(a.info, 'uptime_in_seconds', 0);
}

export function computeRates(a: Snapshot, b: Snapshot): Rates {
  const seconds = Math.max((b.takenAt - a.takenAt) / 1000, 1e-3);
  const broken = restartedBetween(a, b);
  const delta = (x: number, y: number): number | null => (broken || !Number.isFinite(x) || !Number.isFinite(y) || y < x ? null : y - x);
  const rate = (field: string): number | null => {
    const d = delta(num(a.info, field), num(b.info, field));
    return d === null ? null : d / seconds;
  };
  const out: Rates = {
    seconds,
    opsPerSec: null,
    commandsPerSec: {},
    usecPerCall: {},
    hitRatio: null,
    netInputBytesPerSec: null,
    netOutputBytesPerSec: null,
    evictedKeysPerSec: null,
    expiredKeysPerSec: null,
    rejectedConnectionsPerSec: null,
    connectionsPerSec: null,
    errorRepliesPerSec: null,
    errorsPerSec: {},
  };
  for (const [key, field] of COUNTER_RATES) out[key] = rate(field);

  const hits = delta(num(a.info, 'keyspace_hits'), num(b.info, 'keyspace_hits'));
  const misses = delta(num(a.info, 'keyspace_misses'), num(b.info, 'keyspace_misses'));
  if (hits !== null && misses !== null && hits + misses > 0) out.hitRatio = hits / (hits + misses);

  for (const [cmd, st] of Object.entries(b.info.commandstats)) {
    const before = a.info.commandstats[cmd] ?? { calls: 0, usec: 0 };
    const calls = delta(before.calls, st.calls);
    const usec = delta(before.usec, st.usec);
    if (calls === null) continue;
    out.commandsPerSec[cmd] = calls / seconds;
    out.usecPerCall[cmd] = calls > 0 && usec !== null ? usec / calls : null;
  }
  for (const [prefix, count] of Object.entries(b.info.errorstats)) {
    const d = delta(a.info.errorstats[prefix] ?? 0, count);
    if (d !== null) out.errorsPerSec[prefix] = d / seconds;
  }
  return out;
}
