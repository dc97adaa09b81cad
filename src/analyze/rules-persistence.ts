// Persistence rules: failing RDB/AOF writes (which can stop all writes), data with no persistence at
// all, fork cost measured against the dataset, and AOF settings that trade latency for safety.

import { formatBytes } from '../common/format.js';
import { conf, field, keyspaceTotals, known, role, text, type Rule } from './finding.js';

const GiB = 1024 ** 3;

export const PERSISTENCE_RULES: Rule[] = [
  {
    id: 'persistence-rdb-failing',
    area: 'persistence',
    when: 'rdb_last_bgsave_status is not ok: critical (with stop-writes-on-bgsave-error yes, the default, writes are refused).',
    evaluate({ snapshot: s }) {
      const st = text(s, 'rdb_last_bgsave_status');
      if (st === undefined || st === 'ok') return null;
      const stop = conf(s, 'stop-writes-on-bgsave-error');
      return {
        severity: 'critical',
        title: 'The last RDB save failed',
        evidence: `rdb_last_bgsave_status ${st}; rdb_changes_since_last_save ${text(s, 'rdb_changes_since_last_save') ?? '?'}${stop ? `; stop-writes-on-bgsave-error ${stop}` : ''}.`,
        advice: 'Read the server log for the cause (disk full, permissions on `dir`, fork failing for lack of memory: vm.overcommit_memory=1). Fix it, then run BGSAVE and check INFO persistence.',
      };
    },
  },
  {
    id: 'persistence-aof-write-failing',
    area: 'persistence',
    when: 'aof_enabled and aof_last_write_status is not ok: critical.',
    evaluate({ snapshot: s }) {
      const st = text(s, 'aof_last_write_status');
      if (st === undefined || st === 'ok' || field(s, 'aof_enabled') !== 1) return null;
      return {
        severity: 'critical',
        title: 'Writes to the AOF are failing',
        evidence: `aof_last_write_status ${st}.`,
        advice: 'Check the disk holding `dir`/appenddirname (space, errors); Redis refuses writes until the AOF can be written again. After fixing, BGREWRITEAOF rebuilds a clean file.',
      };
    },
  },
  {
    id: 'persistence-aof-rewrite-failing',
    area: 'persistence',
    when: 'aof_last_bgrewrite_status is not ok: warning; critical after 3 or more consecutive failures (aof_rewrites_consecutive_failures).',
    evaluate({ snapshot: s }) {
      const st = text(s, 'aof_last_bgrewrite_status');
      if (st === undefined || st === 'ok' || field(s, 'aof_enabled') !== 1) return null;
      const n = field(s, 'aof_rewrites_consecutive_failures');
      return {
        severity: known(n) && n >= 3 ? 'critical' : 'warning',
        title: 'AOF rewrite failed',
        evidence: `aof_last_bgrewrite_status ${st}${known(n) ? `; aof_rewrites_consecutive_failures ${n}` : ''}.`,
        advice: 'Read the server log (disk space, fork failure). Without rewrites the AOF only grows; fix the cause and run BGREWRITEAOF.',
      };
    },
  },
  {
    id: 'persistence-none',
    area: 'persistence',
    when: 'A master holding keys with RDB save disabled (save "") and appendonly no: warning; info under an allkeys-* policy (looks like a cache).',
    evaluate({ snapshot: s }) {
      const save = conf(s, 'save');
      const aof = conf(s, 'appendonly');
      if (save === undefined || aof === undefined) return null;
      if (save.trim() !== '' || aof === 'yes' || role(s) !== 'master') return null;
      const { keys } = keyspaceTotals(s);
      if (keys === 0) return null;
      const policy = text(s, 'maxmemory_policy') ?? conf(s, 'maxmemory-policy') ?? '';
      return {
        severity: policy.startsWith('allkeys-') ? 'info' : 'warning',
        title: 'Data is not persisted',
        evidence: `${keys} keys; save "" (no RDB snapshots) and appendonly no. A restart loses everything${s.info.replicas.length ? '' : ', and there is no replica'}.`,
        advice: 'If the data matters: CONFIG SET appendonly yes (AOF), or CONFIG SET save "3600 1 300 100 60 10000" for RDB snapshots, then CONFIG REWRITE. If it is a pure cache, this is fine.',
      };
    },
  },
  {
    id: 'persistence-fork-slow',
    area: 'persistence',
    when: 'used_memory ≥ forkMinUsedBytes (256 MB) and fork rate (used_memory per second of latest_fork_usec, as LATENCY DOCTOR computes it) < forkRatePoorGbPerSec (25 GB/s): warning; < forkRateTerribleGbPerSec (10 GB/s): critical.',
    evaluate({ snapshot: s, thresholds: t }) {
      const us = field(s, 'latest_fork_usec');
      const used = field(s, 'used_memory');
      if (!known(us, used) || us <= 0 || used < t.forkMinUsedBytes) return null;
      const rate = (used * 1e6) / us / GiB;
      if (rate >= t.forkRatePoorGbPerSec) return null;
      const terrible = rate < t.forkRateTerribleGbPerSec;
      const msPerGb = us / 1000 / (used / GiB);
      return {
        severity: terrible ? 'critical' : 'warning',
        title: `fork() is ${terrible ? 'very ' : ''}slow for this dataset`,
        evidence: `latest_fork_usec ${us} (${(us / 1000).toFixed(1)} ms) for used_memory ${formatBytes(used)}: ${rate.toFixed(1)} GB/s, ${msPerGb.toFixed(1)} ms per GB. The server is frozen while fork runs.`,
        advice: 'Disable transparent huge pages (echo never > /sys/kernel/mm/transparent_hugepage/enabled), prefer bare metal or a VM type with fast fork, keep each instance smaller, or move BGSAVE to a replica (CONFIG SET save "" on the master).',
      };
    },
  },
  {
    id: 'persistence-appendfsync-always',
    area: 'persistence',
    when: 'appendonly yes and appendfsync always: info (every write waits for fsync).',
    evaluate({ snapshot: s }) {
      if (conf(s, 'appendonly') !== 'yes' || conf(s, 'appendfsync') !== 'always') return null;
      const fsyncEvent = (s.latency?.latest ?? []).find((e) => e.event === 'aof-fsync-always');
      return {
        severity: 'info',
        title: 'AOF fsyncs on every write',
        evidence: `appendfsync always${fsyncEvent ? `; latency event aof-fsync-always max ${fsyncEvent.maxMs} ms` : ''}.`,
        advice: 'This is the safest and slowest mode. CONFIG SET appendfsync everysec loses at most about one second of writes and is far faster.',
      };
    },
  },
  {
    id: 'persistence-fsync-during-rewrite',
    area: 'persistence',
    when: 'appendonly yes, no-appendfsync-on-rewrite no, and latency events aof-write-active-child or aof-write-pending-fsync were recorded: info.',
    evaluate({ snapshot: s }) {
      if (conf(s, 'appendonly') !== 'yes' || conf(s, 'no-appendfsync-on-rewrite') !== 'no') return null;
      const events = (s.latency?.latest ?? []).filter((e) => e.event === 'aof-write-active-child' || e.event === 'aof-write-pending-fsync');
      if (events.length === 0) return null;
      return {
        severity: 'info',
        title: 'AOF writes stall while a child process saves',
        evidence: events.map((e) => `${e.event} max ${e.maxMs} ms`).join('; ') + '; no-appendfsync-on-rewrite no.',
        advice: 'CONFIG SET no-appendfsync-on-rewrite yes skips fsync while BGSAVE/BGREWRITEAOF run (risking up to ~30 s of writes on a crash then); a faster or dedicated disk also helps.',
      };
    },
  },
  {
    id: 'persistence-loading',
    area: 'persistence',
    when: 'loading:1 (the dataset is being loaded from disk; commands wait or fail with LOADING): warning.',
    evaluate({ snapshot: s }) {
      if (field(s, 'loading') !== 1) return null;
      const eta = field(s, 'loading_eta_seconds');
      const perc = text(s, 'loading_loaded_perc');
      return {
        severity: 'warning',
        title: 'The server is loading its dataset',
        evidence: `loading 1${perc ? `, ${perc}% loaded` : ''}${known(eta) ? `, about ${eta} s left` : ''}.`,
        advice: 'Clients get LOADING errors until it finishes. Wait; to make loads faster keep aof-use-rdb-preamble yes and consider smaller instances.',
      };
    },
  },
];
