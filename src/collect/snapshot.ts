// The Snapshot: everything one poll of one target yields, taken in one pipelined round trip.
// Every face (CLI reports, dashboard, exporter, capacity check) consumes Snapshots and nothing
// else, so a number reads the same everywhere. Pure data: safe to JSON.stringify and to keep.

import type { ParsedInfo } from './info-parser.js';

export interface SlowlogEntry {
  id: number;
  /** Unix seconds when the command ran. */
  time: number;
  durationUs: number;
  /** Arguments as logged (Redis truncates to 32 args / 128 bytes each). Latin1 bytes escaped for display by the consumer. */
  args: string[];
  /** "ip:port" and client name (Redis >= 4). */
  client: string;
  clientName: string;
}

export interface LatencyEvent {
  event: string;
  /** Unix seconds of the latest spike. */
  latestTime: number;
  latestMs: number;
  maxMs: number;
}

export interface CommandHistogram {
  calls: number;
  /** Upper bucket bound in µs → cumulative count up to it (LATENCY HISTOGRAM's shape). */
  buckets: Array<[number, number]>;
}

/** What the target lets us read; learnt once per target and kept between polls. */
export interface Capabilities {
  infoAll: boolean;
  config: boolean;
  slowlog: boolean;
  latency: boolean;
  latencyHistogram: boolean;
  memoryStats: boolean;
  clusterInfo: boolean;
  /** Why a capability is off: "CONFIG: ERR unknown command ..." (renamed/disabled), "NOPERM ..." (ACL). */
  notes: Record<string, string>;
}

export type ServerFlavor = 'redis' | 'valkey' | 'redscope';

export interface Identity {
  flavor: ServerFlavor;
  version: string;
  mode: 'standalone' | 'cluster' | 'sentinel';
  role: 'master' | 'replica' | 'unknown';
  runId: string;
  os: string;
  port: number;
}

export interface Snapshot {
  target: { name: string; bundled: boolean };
  /** Unix ms when the batch was sent, and its round-trip time. */
  takenAt: number;
  rttMs: number;
  identity: Identity;
  info: ParsedInfo;
  /** CONFIG GET * with secrets replaced by "(set)" / "" (requirepass, masterauth, ...); {} when CONFIG is unavailable. */
  config: Record<string, string>;
  slowlog: { length: number; entries: SlowlogEntry[] } | null;
  latency: { latest: LatencyEvent[]; histogram: Record<string, CommandHistogram> | null } | null;
  /** MEMORY STATS as a flat record ("db.0.overhead.hashtable.main" style keys for nested maps). */
  memoryStats: Record<string, number | string> | null;
  clusterInfo: Record<string, string> | null;
  capabilities: Capabilities;
  /** What could not be read in this poll (partial snapshot), one line each. */
  problems: string[];
}
