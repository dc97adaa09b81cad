// Every number a rule compares against, in one table with the reason for its value, so an operator
// (or a test) can read and override them: analyzeSnapshot(ctx, { thresholds: { ... } }).
// Values come from Redis's own doctors (MEMORY DOCTOR, LATENCY DOCTOR), its documented defaults,
// and common operating practice; see ../shared/reference/diagnostics.md §1, §4, §5.

const MB = 1024 * 1024;

export const DEFAULT_THRESHOLDS = {
  // ---- memory ----
  /** MEMORY DOCTOR's "empty instance" floor: below this, ratio rules do not judge. */
  memoryFloorBytes: 5 * MB,
  /** MEMORY DOCTOR's byte floor for every fragmentation/overhead flag. */
  fragBytesFloor: 10 * MB,
  /** MEMORY DOCTOR high_frag: process_rss / used_memory. */
  rssOverheadRatio: 1.4,
  /** MEMORY DOCTOR high_alloc_frag: allocator_frag_ratio. */
  allocatorFragRatio: 1.1,
  /** allocator_frag_ratio at which fragmentation is critical (half the memory wasted). */
  allocatorFragCriticalRatio: 1.5,
  /** MEMORY DOCTOR high_alloc_rss: allocator_rss_ratio. */
  allocatorRssRatio: 1.1,
  /** MEMORY DOCTOR big_peak: peak / used. */
  peakRatio: 1.5,
  /** mem_fragmentation_ratio below this (with used above the floor) means pages are swapped out. */
  swapRatio: 0.9,
  /** No maxmemory: used_memory share of total_system_memory for warning / critical. */
  noMaxmemoryWarnShare: 0.5,
  noMaxmemoryCriticalShare: 0.8,
  /** used_memory / maxmemory for warning / critical (noeviction turns the first into critical sooner). */
  maxmemoryWarnShare: 0.9,
  maxmemoryCriticalShare: 0.98,
  /** volatile-* policy: share of keys carrying a TTL below which eviction has too little to pick from. */
  volatileMinTtlShare: 0.1,
  /** Keys needed before keyspace-share rules judge (an almost empty db says nothing). */
  keyspaceMinKeys: 1000,
  /** MEMORY DOCTOR big_client_buf: mem_clients_normal per normal client. */
  clientBufferPerClientBytes: 200 * 1024,
  /** client_recent_max_output_buffer that deserves a look (default normal limit is unlimited). */
  clientOutputBufferBytes: 64 * MB,
  /** MEMORY DOCTOR big_slave_buf. */
  replicaBufferBytes: 10 * MB,
  /** MEMORY DOCTOR many_scripts. */
  cachedScripts: 1000,
  /** expired_stale_perc (%) for warning / critical; the active cycle aims to stay near 10 %. */
  staleExpiredWarnPerc: 10,
  staleExpiredCriticalPerc: 25,
  /** Keys with a TTL before hz advice applies. */
  hzManyExpires: 1_000_000,
  /** A db this big without any TTL is flagged (info) when no maxmemory caps it. */
  hugeDbKeys: 10_000_000,
  /** DEL/UNLINK µs per call that shows big deletes (lazyfree advice). */
  bigDeleteUsPerCall: 1000,

  // ---- persistence ----
  /** Fork rate (GB/s of used_memory per second of fork) as LATENCY DOCTOR grades it. */
  forkRateTerribleGbPerSec: 10,
  forkRatePoorGbPerSec: 25,
  /** Below this used_memory a fork's fixed cost dominates and the rate says nothing. */
  forkMinUsedBytes: 256 * MB,

  // ---- clients ----
  /** connected_clients / maxclients for warning / critical. */
  maxclientsWarnShare: 0.8,
  maxclientsCriticalShare: 0.95,
  /** Blocked clients: at least this many AND at least this share of clients. */
  blockedClientsMin: 10,
  blockedClientsShare: 0.5,
  /** timeout 0 with at least this many connected clients. */
  idleTimeoutClients: 1000,
  /** New connections per second that means no connection pooling. */
  connectionChurnPerSec: 200,
  /** tcp-backlog below Redis's default (511) matters under this connection rate. */
  tcpBacklogDefault: 511,
  tcpBacklogChurnPerSec: 50,
  /** tracking_total_keys / tracking-table-max-keys at which tracked keys start being dropped. */
  trackingTableWarnShare: 0.9,

  // ---- replication ----
  /** master_last_io_seconds_ago for warning (critical at repl-timeout, default 60). */
  masterIoWarnSeconds: 10,
  /** Replica lag (s) on the master's slaveN lines for warning / critical. */
  replicaLagWarnSeconds: 10,
  replicaLagCriticalSeconds: 60,

  // ---- commands ----
  /** Hit ratio below these (info / warning), once at least `hitRatioMinLookups` lookups were seen. */
  hitRatioInfo: 0.8,
  hitRatioWarn: 0.5,
  hitRatioMinLookups: 1000,
  /** usec_per_call for warning / critical in the slow-average rule. */
  slowCommandWarnUs: 1000,
  slowCommandCriticalUs: 10_000,
  /** Calls a command needs before its average means something. */
  slowCommandMinCalls: 10,
  /** HGETALL/SMEMBERS/... µs per call that shows big whole-collection reads (info; warning at 10×). */
  fullReadUsPerCall: 100,
  /** Error replies per second (growing errorstats) for warning. */
  errorsWarnPerSec: 1,

  // ---- latency ----
  /** A LATENCY LATEST max (ms) at or above this is a warning, below it info. */
  latencyEventWarnMs: 100,
};

export type Thresholds = typeof DEFAULT_THRESHOLDS;

export function withThresholds(overrides: Partial<Thresholds> = {}): Thresholds {
  return { ...DEFAULT_THRESHOLDS, ...overrides };
}
