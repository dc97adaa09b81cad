// The exporter's own metrics, kept in prom-client registries: which build serves (build_info), how
// many /scrape requests it refused, and the process_* families a Go exporter's client library
// exports (CPU, memory, file descriptors, start time), read when a scrape asks. These are the
// metrics with state between scrapes, so they live in real prom-client Gauge/Counter objects;
// the per-target families, rebuilt from every Snapshot, are written by exposition.ts.
// process_* are made here rather than by prom-client's collectDefaultMetrics, which also starts an
// event-loop monitor and a GC observer for nodejs_* families this exporter does not serve.

import { readdirSync, readFileSync } from 'node:fs';
import { Counter, Gauge, Registry } from 'prom-client';
import { FAMILIES } from './metric-table.js';

export interface SelfMetrics {
  /** build_info and refused requests: on /metrics and /scrape. */
  exporter: Registry;
  /** exporter + process_*: on /metrics. */
  withProcess: Registry;
  /** Counts one refused /scrape request. */
  refused(): void;
}

/** A /proc/self file, or '' where there is none (not Linux). */
function procSelf(file: string): string {
  try {
    return readFileSync(`/proc/self/${file}`, 'utf8');
  } catch {
    return '';
  }
}

/** A `Name:   123 kB` field of /proc/self/status, in bytes. */
function statusBytes(status: string, field: string): number | null {
  const i = status.indexOf(`${field}:`);
  if (i < 0) return null;
  const kb = parseInt(status.slice(i + field.length + 1), 10);
  return Number.isFinite(kb) ? kb * 1024 : null;
}

/** A soft limit from /proc/self/limits ("unlimited" as 2^64, like the Go client). */
function limit(limits: string, name: string): number | null {
  const line = limits.split('\n').find((l) => l.startsWith(name));
  const soft = line?.slice(name.length).trim().split(/\s+/)[0];
  if (soft === undefined) return null;
  return soft === 'unlimited' ? 2 ** 64 : Number(soft);
}

/** process_* in `reg`, each value read when the registry is collected. */
function processMetrics(reg: Registry): void {
  const registers = [reg];
  const startSeconds = Math.round(Date.now() / 1000 - process.uptime());
  // Limits do not change by themselves: read once, as the Go client reads them.
  const limits = procSelf('limits');
  const maxFds = limit(limits, 'Max open files');
  const maxAddressSpace = limit(limits, 'Max address space');
  const cpu = (name: string, help: string, pick: (u: NodeJS.CpuUsage) => number) =>
    new Counter({
      name,
      help,
      registers,
      collect() {
        this.reset();
        this.inc(pick(process.cpuUsage()) / 1e6);
      },
    });
  cpu('process_cpu_user_seconds_total', 'Total user CPU time spent in seconds.', (u) => u.user);
  cpu('process_cpu_system_seconds_total', 'Total system CPU time spent in seconds.', (u) => u.system);
  cpu('process_cpu_seconds_total', 'Total user and system CPU time spent in seconds.', (u) => u.user + u.system);
  new Gauge({
    name: 'process_start_time_seconds',
    help: 'Start time of the process since unix epoch in seconds.',
    registers,
    collect() {
      this.set(startSeconds);
    },
  });
  // One read of /proc/self/status fills the three memory gauges: the reading one is registered
  // (and so collected) first.
  let virtual: Gauge | null = null;
  let heap: Gauge | null = null;
  new Gauge({
    name: 'process_resident_memory_bytes',
    help: 'Resident memory size in bytes.',
    registers,
    collect() {
      const status = procSelf('status');
      this.set(statusBytes(status, 'VmRSS') ?? process.memoryUsage.rss());
      const vm = statusBytes(status, 'VmSize');
      if (vm !== null) virtual?.set(vm);
      const data = statusBytes(status, 'VmData');
      if (data !== null) heap?.set(data);
    },
  });
  virtual = new Gauge({ name: 'process_virtual_memory_bytes', help: 'Virtual memory size in bytes.', registers });
  heap = new Gauge({ name: 'process_heap_bytes', help: 'Process heap size in bytes.', registers });
  if (maxFds !== null) {
    new Gauge({
      name: 'process_open_fds',
      help: 'Number of open file descriptors.',
      registers,
      collect() {
        try {
          this.set(readdirSync('/proc/self/fd').length - 1); // minus the descriptor that listed them
        } catch {
          // not Linux
        }
      },
    });
    new Gauge({ name: 'process_max_fds', help: 'Maximum number of open file descriptors.', registers }).set(maxFds);
  }
  if (maxAddressSpace !== null) new Gauge({ name: 'process_virtual_memory_max_bytes', help: 'Maximum amount of virtual memory available in bytes.', registers }).set(maxAddressSpace);
}

/** The exporter's registries for one namespace (`redis_exporter_build_info` ...). */
export function selfMetrics(namespace: string, version: string, withProcess: boolean): SelfMetrics {
  const exporter = new Registry();
  const build = FAMILIES.buildInfo;
  new Gauge({ name: `${namespace}_${build.name}`, help: build.help, labelNames: build.labels, registers: [exporter] }).set(
    { version, commit_sha: '', build_date: '', golang_version: '' },
    1,
  );
  const refusedDef = FAMILIES.requestErrors;
  const refused = new Counter({ name: `${namespace}_${refusedDef.name}`, help: refusedDef.help, registers: [exporter] });
  const all = Registry.merge([exporter]);
  if (withProcess) processMetrics(all);
  return { exporter, withProcess: all, refused: () => refused.inc() };
}
