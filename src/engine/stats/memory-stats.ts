// MEMORY STATS, MEMORY DOCTOR, MEMORY MALLOC-STATS and MEMORY PURGE (object.c memoryCommand).
// STATS prints the accounting's overhead breakdown under Redis 7.0's keys, in its order, so tools
// that parse it (the exporter, the analyzers) read the engine like a server. DOCTOR applies
// Redis's rules and thresholds to the same figures. The fixed replies (empty instance, nothing
// found) and the report's opening and closing lines are protocol facts that tools match, so they
// are Redis's exact sentences; each finding's explanation is our own wording after the same
// bullet title. The engine is not built on jemalloc: MALLOC-STATS answers what a non-jemalloc
// Redis answers, and PURGE asks the JS runtime to collect garbage when it allows it.

import type { Engine } from '../engine.js';
import type { ReplyWriter } from '../../formats/resp/reply-writer.js';
import { memoryAccounting, type MemoryOverhead } from '../memory-accounting.js';

/** MEMORY STATS: 27 fields plus one nested map per non-empty db, Redis 7.0's names and order. */
export function writeMemoryStats(engine: Engine, reply: ReplyWriter): void {
  const m = memoryAccounting(engine).overhead();
  const ints: Array<[string, number]> = [
    ['peak.allocated', m.peak],
    ['total.allocated', m.used],
    ['startup.allocated', m.startup],
    ['replication.backlog', m.replBacklog],
    ['clients.slaves', m.clientsSlaves],
    ['clients.normal', m.clientsNormal],
    ['cluster.links', m.clusterLinks],
    ['aof.buffer', m.aofBuffer],
    ['lua.caches', m.luaCaches],
    ['functions.caches', m.functionsCaches],
  ];
  reply.mapLen(27 + m.dbs.length);
  for (const [k, v] of ints) {
    reply.bulk(k);
    reply.int(v);
  }
  for (const db of m.dbs) {
    reply.bulk(`db.${db.id}`);
    reply.mapLen(3);
    reply.bulk('overhead.hashtable.main');
    reply.int(db.main);
    reply.bulk('overhead.hashtable.expires');
    reply.int(db.expires);
    reply.bulk('overhead.hashtable.slot-to-keys');
    reply.int(db.slotToKeys);
  }
  const tail: Array<[string, number, 'int' | 'double']> = [
    ['overhead.total', m.overhead, 'int'],
    ['keys.count', m.keys, 'int'],
    ['keys.bytes-per-key', m.bytesPerKey, 'int'],
    ['dataset.bytes', m.dataset, 'int'],
    ['dataset.percentage', m.datasetPerc, 'double'],
    ['peak.percentage', m.peakPerc, 'double'],
    ['allocator.allocated', m.allocatorAllocated, 'int'],
    ['allocator.active', m.allocatorActive, 'int'],
    ['allocator.resident', m.allocatorResident, 'int'],
    ['allocator-fragmentation.ratio', m.allocatorFrag, 'double'],
    ['allocator-fragmentation.bytes', m.allocatorFragBytes, 'int'],
    ['allocator-rss.ratio', m.allocatorRss, 'double'],
    ['allocator-rss.bytes', m.allocatorRssBytes, 'int'],
    ['rss-overhead.ratio', m.rssExtra, 'double'],
    ['rss-overhead.bytes', m.rssExtraBytes, 'int'],
    ['fragmentation', m.totalFrag, 'double'],
    ['fragmentation.bytes', m.totalFragBytes, 'int'],
  ];
  for (const [k, v, kind] of tail) {
    reply.bulk(k);
    if (kind === 'int') reply.int(v);
    else reply.double(v);
  }
}

// --- MEMORY DOCTOR -------------------------------------------------------------------------------

const MB = 1024 * 1024;

interface DoctorInput {
  m: MemoryOverhead;
  /** Connected clients that are not replicas. */
  clients: number;
  replicas: number;
  cachedScripts: number;
}

/** One check: Redis's condition, the bullet title tools key on, and our explanation. */
interface Check {
  when: (d: DoctorInput) => boolean;
  text: string;
}

/** Redis's rules and thresholds (getMemoryDoctorReport), in its order. */
const CHECKS: Check[] = [
  {
    when: ({ m }) => m.peak / m.used > 1.5,
    text:
      ' * Peak memory: used memory once reached more than 150% of what it is now. Allocators rarely give such peaks back, ' +
      'so a high fragmentation ratio is expected and harmless here; the space is reused as data grows again. ' +
      'To try to reclaim it now, run MEMORY PURGE; otherwise only a restart returns it.\n\n',
  },
  {
    when: ({ m }) => m.totalFrag > 1.4 && m.totalFragBytes > 10 * MB,
    text:
      ' * High total RSS: the process resident set is more than 1.4 times the memory the dataset logically uses. ' +
      'A past peak (see above) or an allocation pattern that fragments memory usually explains it. ' +
      'The allocator in use is "libc".\n\n',
  },
  {
    when: ({ m }) => m.allocatorFrag > 1.1 && m.allocatorFragBytes > 10 * MB,
    text:
      ' * High allocator fragmentation: the allocator holds more than 1.1 times the bytes it hands out, in partly used pages. ' +
      "A past peak or a fragmenting workload causes it; the 'activedefrag' option can recover it.\n\n",
  },
  {
    when: ({ m }) => m.allocatorRss > 1.1 && m.allocatorRssBytes > 10 * MB,
    text:
      ' * High allocator RSS overhead: the allocator keeps more than 1.1 times its active pages resident, usually after a peak. ' +
      'MEMORY PURGE asks it to release them.\n\n',
  },
  {
    when: ({ m }) => m.rssExtra > 1.1 && m.rssExtraBytes > 10 * MB,
    text:
      ' * High process RSS overhead: resident memory outside the allocator is more than 1.1 times what the allocator holds; ' +
      'here that is the JavaScript runtime itself (in Redis, Lua scripts or modules).\n\n',
  },
  {
    when: ({ m, replicas }) => replicas > 0 && m.clientsSlaves > 10 * MB,
    text:
      ' * Big replica buffers: replica output buffers average more than 10MB per replica, so some replica is not keeping up ' +
      '(too slow, or a poor network). INFO shows replica lag and CLIENT LIST the buffers of each.\n\n',
  },
  {
    when: ({ m, clients }) => Math.floor(m.clientsNormal / Math.max(1, clients)) > 200 * 1024,
    text:
      ' * Big client buffers: client buffers average more than 200K per client. Slow Pub/Sub subscribers, commands with ' +
      'very large replies and very long pipelines are the usual causes; CLIENT LIST shows which clients hold the memory.\n\n',
  },
  {
    when: ({ cachedScripts }) => cachedScripts > 1000,
    text:
      ' * Many scripts: more than 1000 scripts are cached, which usually means scripts are generated and sent with EVAL ' +
      'instead of being parameterised with KEYS and ARGV, loaded once and run with EVALSHA. SCRIPT FLUSH empties the cache.\n\n',
  },
];

const EMPTY =
  "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. " +
  'Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n';
const HEALTHY = "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n";
const ISSUES_OPENING = 'Sam, I detected a few issues in this Redis instance memory implants:\n\n';
const ISSUES_CLOSING = "I'm here to keep you safe, Sam. I want to help you.\n";

/** The MEMORY DOCTOR report for explicit inputs (the rules are testable without a big dataset). */
export function doctorReport(d: DoctorInput): string {
  if (d.m.used < 5 * MB) return EMPTY;
  const found = CHECKS.filter((c) => c.when(d));
  if (found.length === 0) return HEALTHY;
  return ISSUES_OPENING + found.map((c) => c.text).join('') + ISSUES_CLOSING;
}

export function memoryDoctor(engine: Engine): string {
  return doctorReport({ m: memoryAccounting(engine).overhead(), clients: engine.clients.size, replicas: 0, cachedScripts: 0 });
}

/** MEMORY MALLOC-STATS on a server not built with jemalloc. */
export const MALLOC_STATS_UNSUPPORTED = 'Stats not supported for the current allocator';

/** MEMORY PURGE: a full collection when the runtime exposes one (node --expose-gc). */
export function memoryPurge(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc === 'function') gc();
}
