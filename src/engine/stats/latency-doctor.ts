// LATENCY DOCTOR's report. The facts and the rules are Redis 7.0's (latency.c's
// createLatencyReport): one numbered line per recorded event with its spike count, integer
// average and mean deviation, average seconds between spikes and all-time worst; then advice
// chosen by which events were seen and by the configuration; the wording is our own. The rules
// are a table keyed by event name (matched case-insensitively, as Redis does), so a reader can
// check them against latency.c in one place.

import { readFileSync } from 'node:fs';
import type { Engine } from '../engine.js';
import { analyzeSeries, type LatencyMonitor } from './latency-monitor.js';

/** Advice ids, in the order the report prints them (Redis's order). */
const ADVICE_ORDER = [
  'better-vm',
  'slowlog-enable',
  'slowlog-tuning',
  'slowlog-inspect',
  'scheduler',
  'local-disk',
  'ssd',
  'data-writeback',
  'disk-contention',
  'no-appendfsync',
  'relax-fsync',
  'write-load',
  'hz',
  'large-objects',
  'mass-eviction',
  'disable-thp',
] as const;
type Advice = (typeof ADVICE_ORDER)[number];

/** What the report reads besides the series: configuration and process facts. */
export interface DoctorInputs {
  threshold: number;
  slowlogSlowerThan: number;
  hz: number;
  appendfsync: string;
  /** Fork speed in GB/s (Redis's stat_fork_rate); 0 when the server never forked. */
  forkRate: number;
  /** Bytes of transparent huge pages mapped by the process. */
  anonHugePages: number;
  nowSec: number;
}

/** Advice an event always brings (each counts even when its bullet is later suppressed). */
const EVENT_ADVICE: Record<string, Advice[]> = {
  'fast-command': ['scheduler'],
  'aof-write-pending-fsync': ['local-disk', 'disk-contention', 'ssd', 'data-writeback'],
  'aof-write-active-child': ['no-appendfsync', 'data-writeback', 'ssd'],
  'aof-write-alone': ['local-disk', 'data-writeback', 'ssd'],
  'aof-fsync-always': ['relax-fsync'],
  'aof-fstat': ['disk-contention', 'local-disk'],
  'rdb-unlink-temp-file': ['disk-contention', 'local-disk'],
  'aof-rewrite-diff-write': ['write-load', 'data-writeback', 'ssd', 'local-disk'],
  'aof-rename': ['write-load', 'data-writeback', 'ssd', 'local-disk'],
  'expire-cycle': ['hz', 'large-objects'],
  'eviction-del': ['large-objects'],
  'eviction-cycle': ['mass-eviction'],
};

/** Redis's fork-speed grades (GB/s); the two slow ones call for a better VM. */
const FORK_GRADES: Array<[below: number, grade: string, slow: boolean]> = [
  [10, 'terrible', true],
  [25, 'poor', true],
  [100, 'good', false],
  [Infinity, 'excellent', false],
];

/** The advice bullets; `null` means the advice counts but prints nothing in this configuration. */
const ADVICE_TEXT: Record<Advice, (i: DoctorInputs) => string | null> = {
  'better-vm': () =>
    'Forking is slow on this host. On a virtual machine, a faster instance type or a hypervisor with cheaper fork() (Xen is a known slow one) helps.',
  'slowlog-enable': (i) =>
    `Slow commands are causing latency but the slow log is off. Turn it on with 'CONFIG SET slowlog-log-slower-than ${i.threshold * 1000}' to see which commands they are.`,
  'slowlog-tuning': (i) =>
    `The slow log only keeps commands slower than the latency threshold allows you to see. Lower it with 'CONFIG SET slowlog-log-slower-than ${i.threshold * 1000}'.`,
  'slowlog-inspect': () =>
    'Look at SLOWLOG GET to find the commands that take too long (see https://redis.io/commands/slowlog).',
  scheduler: () =>
    'Even O(1) commands were slow, so the process is not getting CPU time when it needs it. Things to try:\n' +
    '  1) Reduce the load on the machine.\n' +
    '  2) Give the server a machine or VM of its own.\n' +
    '  3) Look for a noisy neighbour on shared hardware.\n' +
    "  4) Measure the host's intrinsic latency with 'redis-cli --intrinsic-latency 100'.\n" +
    '  5) Rule out the allocator by comparing with a libc malloc build (MALLOC=libc), at the price of more fragmentation.',
  'local-disk': () => 'Keep persistence files, AOF above all, on local disks; network-attached volumes are often slow.',
  ssd: () =>
    'SSDs shorten fsync, snapshot and AOF rewrite times. Consider them when the write load is very high, after the other fixes.',
  'data-writeback': () =>
    'Mounting ext3/ext4 with data=writeback can be faster than data=ordered, but after a crash the AOF may end in a partial command that must be repaired before restarting.',
  'disk-contention': () => 'Reduce disk contention: other disk-heavy processes on the host (other servers included) slow down writes.',
  'no-appendfsync': () =>
    "If losing a little durability is acceptable, 'no-appendfsync-on-rewrite yes' skips fsync while a child process writes the AOF or RDB, when the disk is busiest.",
  'relax-fsync': (i) =>
    i.appendfsync === 'always' ? "'appendfsync always' makes every write wait for the disk; 'appendfsync everysec' is much faster if it is acceptable." : null,
  'write-load': () =>
    'Latency at the end of an AOF rewrite usually means a very high write load filled the rewrite buffer. Sending fewer, larger commands (or grouping them in scripts) helps.',
  hz: (i) => (i.hz < 100 ? "Expiring keys in smaller steps helps: try 'CONFIG SET hz 100'." : null),
  'large-objects': () =>
    'Deleting, expiring or evicting a very large key blocks the server while it is freed. Split keys that are often removed into several smaller ones.',
  'mass-eviction': () =>
    "The server had to evict many keys at once. This follows sudden drops of 'maxmemory' (CONFIG SET), or big allocations such as set intersections, SORT ... STORE or RESTORE of large keys.",
  'disable-thp': () =>
    "Transparent huge pages are in use by this process, which causes serious latency, above all while persisting. Disable them with 'echo never > /sys/kernel/mm/transparent_hugepage/enabled' (and make it survive reboots), then restart the server.",
};

/** Builds the DOCTOR text from the monitor's series and the inputs. */
export function latencyReport(monitor: LatencyMonitor, i: DoctorInputs): string {
  if (monitor.events.size === 0 && i.threshold === 0) {
    return "The latency monitor is off and has never recorded anything. Enable it with 'CONFIG SET latency-monitor-threshold <milliseconds>'; see https://redis.io/topics/latency-monitor for how it works.\n";
  }
  const advice = new Set<Advice>();
  let count = 0;
  let report = '';
  let eventNum = 0;
  const give = (...a: Advice[]): void => {
    for (const x of a) advice.add(x);
    count += a.length;
  };

  for (const [event, series] of monitor.events) {
    eventNum++;
    if (eventNum === 1) report += 'Latency spikes were recorded on this server:\n\n';
    const st = analyzeSeries(series, i.nowSec);
    report +=
      `${eventNum}. ${event}: ${st.samples} spikes, average ${st.avg}ms, mean deviation ${st.mad}ms, ` +
      `one every ${fixed2(st.period / st.samples)} sec on average. Worst ever: ${series.max}ms.`;
    const name = event.toLowerCase();
    if (name === 'fork') {
      const [, grade, slow] = FORK_GRADES.find(([below]) => i.forkRate < below)!;
      if (slow) give('better-vm');
      report += ` Forking runs at ${fixed2(i.forkRate)} GB/sec (${grade}).`;
    }
    if (name === 'command') {
      if (i.slowlogSlowerThan < 0) give('slowlog-enable');
      else if (Math.trunc(i.slowlogSlowerThan / 1000) > i.threshold) give('slowlog-tuning');
      give('slowlog-inspect', 'large-objects');
    }
    give(...(EVENT_ADVICE[name] ?? []));
    report += '\n';
  }
  if (i.anonHugePages > 0) give('disable-thp');

  if (eventNum === 0 && count === 0) {
    return report + 'No latency spike has been recorded since the server started (or since the last LATENCY RESET).\n';
  }
  if (count === 0) {
    return report + '\nNone of these events has a known simple fix. Share this report when asking the Redis community for help.\n';
  }
  report += '\nSuggestions:\n\n';
  for (const a of ADVICE_ORDER) {
    if (!advice.has(a)) continue;
    const text = ADVICE_TEXT[a](i);
    if (text !== null) report += `- ${text}\n`;
  }
  return report;
}

/**
 * printf("%.2f"): like toFixed(2) except on exact ties, which C rounds to the even digit and JS
 * rounds up. A double is an exact tie at two decimals only when it is an odd number of eighths.
 */
export function fixed2(x: number): string {
  const eighths = x * 8;
  if (!Number.isInteger(eighths) || eighths % 2 === 0) return x.toFixed(2);
  const down = Math.floor(x * 100);
  return ((down % 2 === 0 ? down : down + 1) / 100).toFixed(2);
}

/** Bytes of AnonHugePages in the process's smaps (0 when it cannot be read). */
export function anonHugePagesBytes(): number {
  try {
    const smaps = readFileSync('/proc/self/smaps', 'latin1');
    let kb = 0;
    for (const m of smaps.matchAll(/^AnonHugePages:\s+(\d+) kB/gm)) kb += Number(m[1]);
    return kb * 1024;
  } catch {
    return 0;
  }
}

/** The inputs as the running engine has them. */
export function doctorInputs(engine: Engine): DoctorInputs {
  const num = engine.config.num;
  return {
    threshold: num['latency-monitor-threshold'] ?? 0,
    slowlogSlowerThan: num['slowlog-log-slower-than'] ?? 10000,
    hz: num['hz'] ?? 10,
    appendfsync: engine.config.get('appendfsync'),
    forkRate: 0, // the engine never forks
    anonHugePages: anonHugePagesBytes(),
    nowSec: Math.floor(Date.now() / 1000),
  };
}
