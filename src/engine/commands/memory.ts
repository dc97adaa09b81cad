// The MEMORY command. USAGE answers from the Redis 7.0 memory model (src/memory/): the engine
// describes the value it holds and the model says what Redis 7.0 would report for the same key,
// exact where Redis is deterministic, so SAMPLES (Redis's estimate for big aggregates) does not
// change the answer. STATS and DOCTOR read the engine's memory accounting (memory-accounting.ts)
// through stats/memory-stats.ts; MALLOC-STATS and PURGE answer as a Redis built without jemalloc.

import { replyHelp } from './help.js';
import { cmd, type CommandSpec, type Ctx } from '../command.js';
import { syntaxError } from '../errors.js';
import { is, parseInteger } from '../args.js';
import type { RObj } from '../types/objects.js';
import { keyMemoryUsage, REDIS_7_0, sdsBytes, thresholdsFromConfig, type ValueDescription } from '../../memory/index.js';
import { grownStringCost } from '../types/string-sds.js';
import type { Config } from '../config.js';
import { MALLOC_STATS_UNSUPPORTED, memoryDoctor, memoryPurge, writeMemoryStats } from '../stats/memory-stats.js';

/** What the model needs to know about a value the engine holds. */
export function describeValue(o: RObj): ValueDescription {
  switch (o.type) {
    case 'string':
      // A short raw string was grown in place (APPEND/SETRANGE); model it as appended.
      return o.enc === 'raw' && o.v.length <= 44 ? { type: 'string', value: o.v, appended: [o.v.length] } : { type: 'string', value: o.v };
    case 'list':
      return { type: 'list', elements: o.v.toArray() };
    case 'hash':
      return { type: 'hash', fields: [...o.v.entries()].map(([f, n]) => [f, n.v] as [string, string]) };
    case 'set':
      return { type: 'set', members: [...o.v.keys()] };
    case 'zset':
      return { type: 'zset', members: [...o.v.entries()] };
    case 'stream':
      return o.v.memoryDescription();
  }
}

/** The encoding thresholds as the engine is configured now. */
export function engineThresholds(config: Config) {
  const names = ['hash-max-listpack-entries', 'hash-max-listpack-value', 'set-max-intset-entries', 'zset-max-listpack-entries', 'zset-max-listpack-value', 'list-max-listpack-size'];
  return thresholdsFromConfig(Object.fromEntries(names.map((n) => [n, config.num[n]!])));
}

function usage(ctx: Ctx, argv: string[]): void {
  for (let i = 3; i < argv.length; i++) {
    if (is(argv[i], 'samples') && i + 1 < argv.length) {
      const n = parseInteger(argv[++i]!);
      if (n < 0) syntaxError();
    } else syntaxError();
  }
  const key = argv[2]!;
  // Redis looks in the dict directly: no lazy expiry, no access-time update.
  const o = ctx.db.entry(key)?.value;
  if (!o) return ctx.reply.nullBulk();
  // A string grown in place (SETBIT, BITFIELD, PFADD) carries its real allocation.
  const grown = o.type === 'string' ? grownStringCost(o) : undefined;
  if (grown) return ctx.reply.int(grown.usage + sdsBytes(key.length) + REDIS_7_0.dictEntry);
  ctx.reply.int(keyMemoryUsage(key, describeValue(o), { thresholds: engineThresholds(ctx.engine.config), sharedIntegers: sharedIntegers(ctx.engine.config) }));
}

/** Integers 0..9999 are shared objects unless maxmemory is set with an LRU or LFU policy. */
function sharedIntegers(config: Config): boolean {
  const policy = config.get('maxmemory-policy');
  return (config.num['maxmemory'] ?? 0) === 0 || !(policy.endsWith('-lru') || policy.endsWith('-lfu'));
}

const HELP = [
  'DOCTOR',
  '    Report memory problems found by the built-in rules.',
  'MALLOC-STATS',
  "    The memory allocator's internal statistics report.",
  'PURGE',
  '    Ask the allocator to release memory it no longer uses.',
  'STATS',
  '    Memory usage of the server, broken down.',
  'USAGE <key> [SAMPLES <count>]',
  '    Bytes Redis 7.0 would use for <key> and its value (SAMPLES is accepted; the figure is exact).',
];

export const memoryCommands: CommandSpec[] = [
  cmd('memory', -2, [], ['slow'], [0, 0, 0], 'server', undefined, [
    cmd('memory|doctor', 2, [], ['slow'], [0, 0, 0], 'server', (ctx) => ctx.reply.verbatim(memoryDoctor(ctx.engine))),
    cmd('memory|malloc-stats', 2, [], ['slow'], [0, 0, 0], 'server', (ctx) => ctx.reply.bulk(MALLOC_STATS_UNSUPPORTED)),
    cmd('memory|purge', 2, [], ['slow'], [0, 0, 0], 'server', (ctx) => {
      memoryPurge();
      ctx.reply.ok();
    }),
    cmd('memory|stats', 2, [], ['slow'], [0, 0, 0], 'server', (ctx) => writeMemoryStats(ctx.engine, ctx.reply)),
    cmd('memory|usage', -3, ['readonly'], ['read', 'slow'], [2, 2, 1], 'server', usage),
    cmd('memory|help', 2, ['loading', 'stale'], ['slow'], [0, 0, 0], 'server', (ctx) => replyHelp(ctx, 'memory', HELP)),
  ]),
];
