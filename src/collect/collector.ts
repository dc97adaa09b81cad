// One poll of one target = one pipelined batch. The batch is built from a table of probes (INFO,
// CONFIG, SLOWLOG, LATENCY, MEMORY STATS, CLUSTER INFO); a probe whose command the server refuses
// for good (renamed or missing command, ACL NOPERM, unknown subcommand on an older version, a
// managed service without CONFIG) switches its capability off, so later polls never resend it and
// never inflate the server's error counters. The first poll learns; the rest reuse. With
// `configEverySeconds`, CONFIG GET * rides along only that often and its last answer stands in.

import type { RedisLink, Reply } from '../target/link.js';
import { num, parseInfo, str, versionAtLeast } from './info-parser.js';
import type { Capabilities, CommandHistogram, Identity, LatencyEvent, ServerFlavor, SlowlogEntry, Snapshot } from './snapshot.js';

export interface CollectOptions {
  /** SLOWLOG GET count (default 128; Redis's default slowlog-max-len). */
  slowlogCount?: number;
  /** Shown in the Snapshot; defaults to the link's target name. */
  name?: string;
  bundled?: boolean;
  /**
   * Send CONFIG GET * at most this often (seconds) and reuse the last answer in between; 0 (the
   * default) reads it on every poll. CONFIG changes only by CONFIG SET or a restart, yet its reply
   * is one of the largest of the batch: the exporter polls on every scrape and sets 30. A restart
   * (new run_id) always re-reads it at once. Reused config objects are shared: never mutate them.
   */
  configEverySeconds?: number;
}

/** Choices for one poll. */
export interface PollOptions {
  /**
   * false leaves MEMORY STATS out of this poll (`memoryStats` stays null). Its one reader, the
   * fragmentation model, may run less often than its caller polls (the exporter: on every scrape).
   */
  memoryStats?: boolean;
}

/** CONFIG values never kept in a Snapshot: only whether they are set. */
const SECRET_CONFIG = new Set(['requirepass', 'masterauth', 'masteruser', 'tls-key-file-pass', 'tls-client-key-file-pass']);

/** Errors that mean "this server will never answer this probe": switch the capability off. */
const PERMANENT = /^(ERR unknown command|ERR unknown subcommand|NOPERM|ERR Unknown subcommand|ERR This instance has cluster support disabled|ERR wrong number of arguments)/i;

type Cap = Exclude<keyof Capabilities, 'notes'>;

interface Probe {
  cap: Cap;
  command: string[];
  /** Fills the snapshot from the reply. */
  take(s: Snapshot, reply: Reply): void;
}

function pairs(reply: Reply): Array<[string, Reply]> {
  const out: Array<[string, Reply]> = [];
  if (!Array.isArray(reply)) return out;
  for (let i = 0; i + 1 < reply.length; i += 2) out.push([String(reply[i]), reply[i + 1]!]);
  return out;
}

function flattenStats(reply: Reply, prefix: string, out: Record<string, number | string>): void {
  for (const [k, v] of pairs(reply)) {
    if (Array.isArray(v)) flattenStats(v, `${prefix}${k}.`, out);
    else if (v !== null) out[`${prefix}${k}`] = typeof v === 'number' ? v : Number.isFinite(Number(v)) && v !== '' ? Number(v) : v;
  }
}

function parseSlowlog(reply: Reply): SlowlogEntry[] {
  if (!Array.isArray(reply)) return [];
  return reply.filter(Array.isArray).map((e) => {
    const r = e as Reply[];
    return {
      id: Number(r[0]),
      time: Number(r[1]),
      durationUs: Number(r[2]),
      args: Array.isArray(r[3]) ? r[3].map(String) : [],
      client: r[4] == null ? '' : String(r[4]),
      clientName: r[5] == null ? '' : String(r[5]),
    };
  });
}

function parseLatencyLatest(reply: Reply): LatencyEvent[] {
  if (!Array.isArray(reply)) return [];
  return reply.filter(Array.isArray).map((e) => {
    const r = e as Reply[];
    return { event: String(r[0]), latestTime: Number(r[1]), latestMs: Number(r[2]), maxMs: Number(r[3]) };
  });
}

function parseHistogram(reply: Reply): Record<string, CommandHistogram> {
  const out: Record<string, CommandHistogram> = {};
  for (const [cmd, body] of pairs(reply)) {
    const h: CommandHistogram = { calls: 0, buckets: [] };
    for (const [k, v] of pairs(body)) {
      if (k === 'calls') h.calls = Number(v);
      else if (k === 'histogram_usec') for (const [b, c] of pairs(v)) h.buckets.push([Number(b), Number(c)]);
    }
    out[cmd] = h;
  }
  return out;
}

const PROBES: Probe[] = [
  {
    cap: 'config',
    command: ['CONFIG', 'GET', '*'],
    take(s, reply) {
      for (const [k, v] of pairs(reply)) s.config[k] = SECRET_CONFIG.has(k) ? (v ? '(set)' : '') : String(v ?? '');
    },
  },
  {
    cap: 'slowlog',
    command: ['SLOWLOG', 'LEN'],
    take(s, reply) {
      s.slowlog = { length: Number(reply), entries: s.slowlog?.entries ?? [] };
    },
  },
  {
    cap: 'slowlog',
    command: ['SLOWLOG', 'GET', '128'],
    take(s, reply) {
      s.slowlog = { length: s.slowlog?.length ?? 0, entries: parseSlowlog(reply) };
    },
  },
  {
    cap: 'latency',
    command: ['LATENCY', 'LATEST'],
    take(s, reply) {
      s.latency = { latest: parseLatencyLatest(reply), histogram: s.latency?.histogram ?? null };
    },
  },
  {
    cap: 'latencyHistogram',
    command: ['LATENCY', 'HISTOGRAM'],
    take(s, reply) {
      s.latency = { latest: s.latency?.latest ?? [], histogram: parseHistogram(reply) };
    },
  },
  {
    cap: 'memoryStats',
    command: ['MEMORY', 'STATS'],
    take(s, reply) {
      const out: Record<string, number | string> = {};
      flattenStats(reply, '', out);
      s.memoryStats = out;
    },
  },
  {
    cap: 'clusterInfo',
    command: ['CLUSTER', 'INFO'],
    take(s, reply) {
      const out: Record<string, string> = {};
      for (const line of String(reply).split(/\r?\n/)) {
        const i = line.indexOf(':');
        if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
      }
      s.clusterInfo = out;
    },
  },
];

function freshCapabilities(): Capabilities {
  return { infoAll: true, config: true, slowlog: true, latency: true, latencyHistogram: true, memoryStats: true, clusterInfo: true, notes: {} };
}

function identityFrom(s: Snapshot): Identity {
  const info = s.info;
  const flavor: ServerFlavor = info.fields['server_name'] === 'valkey' || info.fields['valkey_version'] ? 'valkey' : info.fields['redscope_version'] ? 'redscope' : 'redis';
  const role = str(info, 'role');
  const mode = str(info, 'redis_mode', 'standalone');
  return {
    flavor,
    version: str(info, flavor === 'valkey' ? 'valkey_version' : 'redis_version', str(info, 'redis_version', '?')),
    mode: mode === 'cluster' || num(info, 'cluster_enabled', 0) === 1 ? 'cluster' : mode === 'sentinel' ? 'sentinel' : 'standalone',
    role: role === 'master' ? 'master' : role === 'slave' || role === 'replica' ? 'replica' : 'unknown',
    runId: str(info, 'run_id'),
    os: str(info, 'os'),
    port: num(info, 'tcp_port', 0),
  };
}

/** Probe capability → the command whose presence COMMAND INFO must confirm, and the least version. */
const NEEDS: Record<Cap, { command: string; minVersion?: string }> = {
  infoAll: { command: 'info', minVersion: '6.0.0' },
  config: { command: 'config' },
  slowlog: { command: 'slowlog' },
  latency: { command: 'latency' },
  latencyHistogram: { command: 'latency', minVersion: '7.0.0' },
  memoryStats: { command: 'memory', minVersion: '4.0.0' },
  clusterInfo: { command: 'cluster' },
};

/** Polls one target; keeps what it learnt about the target's capabilities between polls. */
export class Collector {
  readonly capabilities: Capabilities = freshCapabilities();
  private learnt = false;
  /** The slow log as last seen (newest first), to fetch only what is new. */
  private slowlogCache: { runId: string; entries: SlowlogEntry[] } | null = null;
  private mode: Identity['mode'] = 'standalone';
  /** The last good CONFIG GET * answer, when it was read (ms) and the run_id of the server that gave it. */
  private lastConfig: { values: Record<string, string>; at: number; runId: string } | null = null;

  constructor(
    readonly link: RedisLink,
    private readonly opts: CollectOptions = {},
  ) {}

  /**
   * First contact: INFO (for version and mode) and COMMAND INFO (which commands exist under their
   * own names), so probes the server cannot answer are never sent and never counted as errors.
   */
  private async learn(): Promise<void> {
    const caps = this.capabilities;
    const names = [...new Set(Object.values(NEEDS).map((n) => n.command))];
    const [info, cmds] = await this.link.batch([['INFO', 'SERVER'], ['COMMAND', 'INFO', ...names]], { raw: true });
    // Without INFO there is no version to judge by: learn nothing now and try again next poll.
    if (!info!.ok) return;
    const parsed = parseInfo(info!.ok ? String(info!.value) : '');
    const version = str(parsed, 'valkey_version', str(parsed, 'redis_version', '0.0.0'));
    this.mode = str(parsed, 'redis_mode', 'standalone') === 'cluster' ? 'cluster' : 'standalone';
    const present = new Set<string>();
    if (cmds!.ok && Array.isArray(cmds!.value)) {
      cmds!.value.forEach((row, i) => {
        if (row !== null) present.add(names[i]!);
      });
    } else {
      for (const n of names) present.add(n); // COMMAND INFO unavailable: find out by trying
    }
    for (const [cap, need] of Object.entries(NEEDS) as Array<[Cap, { command: string; minVersion?: string }]>) {
      if (cap === 'clusterInfo' && this.mode !== 'cluster') continue; // said below, whatever COMMAND INFO says
      if (!present.has(need.command)) {
        caps[cap] = false;
        caps.notes[cap] = `${need.command.toUpperCase()} is not available (renamed or disabled)`;
      } else if (need.minVersion && !versionAtLeast(version, need.minVersion)) {
        caps[cap] = false;
        caps.notes[cap] = `needs Redis ${need.minVersion} or later (server is ${version})`;
      }
    }
    if (this.mode !== 'cluster' && caps.clusterInfo) {
      caps.clusterInfo = false;
      caps.notes['clusterInfo'] = 'not a cluster node';
    }
    this.learnt = true;
  }

  async collect(poll: PollOptions = {}): Promise<Snapshot> {
    if (!this.learnt) await this.learn();
    const caps = this.capabilities;
    const slowlogCount = String(this.opts.slowlogCount ?? 128);
    const reuseConfig = this.configFresh();
    const skipped = (cap: Cap) => (cap === 'config' && reuseConfig) || (cap === 'memoryStats' && poll.memoryStats === false);
    // With a remembered log, ask only for the newest entry: most polls find nothing new.
    const slowlogAsk = this.slowlogCache ? '1' : slowlogCount;
    const probes = PROBES.filter((p) => caps[p.cap] && !skipped(p.cap)).map((p) =>
      p.command[0] === 'SLOWLOG' && p.command[1] === 'GET' ? { ...p, command: ['SLOWLOG', 'GET', slowlogAsk] } : p,
    );
    const infoCmd = caps.infoAll ? ['INFO', 'ALL'] : ['INFO'];
    const takenAt = Date.now();
    const t0 = performance.now();
    const outcomes = await this.link.batch([infoCmd, ...probes.map((p) => p.command)], { raw: true });
    const rttMs = performance.now() - t0;

    const infoOutcome = outcomes[0]!;
    const problems: string[] = [];
    if (!infoOutcome.ok) problems.push(`INFO: ${infoOutcome.error}`);
    const snap: Snapshot = {
      target: { name: this.opts.name ?? this.link.spec.name, bundled: this.opts.bundled ?? false },
      takenAt,
      rttMs,
      identity: { flavor: 'redis', version: '?', mode: 'standalone', role: 'unknown', runId: '', os: '', port: 0 },
      info: parseInfo(infoOutcome.ok ? String(infoOutcome.value) : ''),
      config: {},
      slowlog: null,
      latency: null,
      memoryStats: null,
      clusterInfo: null,
      capabilities: caps,
      problems,
    };
    snap.identity = identityFrom(snap);
    probes.forEach((p, i) => {
      const out = outcomes[i + 1]!;
      if (out.ok) {
        p.take(snap, out.value);
        return;
      }
      const what = p.command.slice(0, 2).join(' ');
      if (PERMANENT.test(out.error)) {
        // ACL NOPERM and the like: say it once, then stop asking.
        caps[p.cap] = false;
        caps.notes[p.cap] = `${what}: ${out.error}`;
      }
      problems.push(`${what}: ${out.error}`);
    });
    if (caps.config) await this.settleConfig(snap, reuseConfig);
    if (caps.slowlog && snap.slowlog) await this.settleSlowlog(snap, Number(slowlogCount), slowlogAsk === '1');
    else this.slowlogCache = null;
    snap.capabilities = { ...caps, notes: { ...caps.notes } };
    return snap;
  }

  /**
   * After the batch: complete the slow log from the remembered one. Entry ids only grow (RESET keeps
   * counting), so the newest id tells what is new: nothing (reuse), a few (fetch just those, in a
   * second round trip, and put them in front), or a restart (run_id changed: fetch it all).
   */
  private async settleSlowlog(snap: Snapshot, count: number, askedNewest: boolean): Promise<void> {
    const log = snap.slowlog!;
    const runId = snap.identity.runId;
    const cache = this.slowlogCache;
    const keep = Math.min(count, log.length);
    if (askedNewest && cache) {
      const newest = log.entries[0];
      const top = cache.entries[0];
      if (!newest) log.entries = [];
      else if (cache.runId === runId && top && newest.id === top.id) log.entries = cache.entries.slice(0, keep);
      else {
        const fresh = cache.runId === runId && top && newest.id > top.id ? Math.min(count, newest.id - top.id) : count;
        const [out] = await this.link.batch([['SLOWLOG', 'GET', String(fresh)]], { raw: true });
        if (!out!.ok) {
          snap.problems.push(`SLOWLOG GET: ${out!.error}`);
          this.slowlogCache = null;
          return;
        }
        const got = parseSlowlog(out!.value);
        const older = cache.runId === runId && top ? cache.entries.filter((e) => e.id < (got.at(-1)?.id ?? Infinity)) : [];
        log.entries = [...got, ...older].slice(0, keep);
      }
    }
    this.slowlogCache = { runId, entries: log.entries };
  }

  /** Whether the last CONFIG answer may stand in for this poll's (configEverySeconds). */
  private configFresh(): boolean {
    const every = this.opts.configEverySeconds ?? 0;
    return every > 0 && this.lastConfig !== null && Date.now() - this.lastConfig.at < every * 1000;
  }

  /**
   * After the batch: remember a config just read, or fill in the remembered one. A server that
   * restarted since (another run_id) may have started with another config: read it now, in a
   * second round trip, rather than report the old one.
   */
  private async settleConfig(snap: Snapshot, reused: boolean): Promise<void> {
    const every = this.opts.configEverySeconds ?? 0;
    if (every <= 0) return;
    const runId = snap.identity.runId;
    if (!reused) {
      if (snap.problems.some((p) => p.startsWith('CONFIG'))) this.lastConfig = null;
      else this.lastConfig = { values: snap.config, at: snap.takenAt, runId };
      return;
    }
    if (snap.problems.some((p) => p.startsWith('INFO:'))) return; // no run_id to judge by; the poll failed anyway
    if (this.lastConfig && this.lastConfig.runId === runId) {
      snap.config = this.lastConfig.values;
      return;
    }
    this.lastConfig = null;
    const probe = PROBES.find((p) => p.cap === 'config')!;
    const [out] = await this.link.batch([probe.command], { raw: true });
    if (out!.ok) {
      probe.take(snap, out!.value);
      this.lastConfig = { values: snap.config, at: Date.now(), runId };
    } else {
      snap.problems.push(`CONFIG GET: ${out!.error}`);
    }
  }
}
