// The demo workload: when `redscope` opens on the bundled engine with no target, something has to
// move on screen. This drives the engine over RESP (like any client) so every panel has data:
// mixed reads and writes with hits and misses, a few slow commands for the slowlog and the latency
// monitor (ZUNIONSTORE over two sorted sets, KEYS over the session keys), keys with TTLs that
// expire, a blocked BLPOP consumer, the odd WRONGTYPE error, and values that keep growing under a
// small maxmemory so evictions show. It is only ever started against the bundled engine.
//
// Every setup step is optional: a CONFIG the engine refuses is skipped, never fatal.

import { describeError } from '../common/errors.js';
import { openLink, type RedisLink } from '../target/link.js';
import type { TargetSpec } from '../target/url.js';

/** Milliseconds between batches. */
const TICK_MS = 100;
/** Members per big sorted set: ZUNIONSTORE of two takes some 10-80 ms on the bundled engine. */
const BIG_ZSET = 2000;
/** Memory the demo may use above what the engine used at start, before evictions begin. */
const HEADROOM_BYTES = 4 * 1024 * 1024;
/** Blob keys cycle through this many names, so memory stays bounded even if eviction is off. */
const BLOB_KEYS = 6000;
const BLOB_BYTES = 4096;

/** Slow commands, each every `everyTicks` batches. */
const SLOW: Array<{ everyTicks: number; command: string[] }> = [
  { everyTicks: 40, command: ['ZUNIONSTORE', 'demo:union', '2', 'demo:big:a', 'demo:big:b'] },
  { everyTicks: 60, command: ['KEYS', 'demo:session:*'] },
  { everyTicks: 70, command: ['ZRANGE', 'demo:big:a', '0', '-1', 'WITHSCORES'] },
];

export interface DemoLoad {
  /** What setup could not do (shown nowhere critical; useful in tests). */
  readonly notes: string[];
  stop(): Promise<void>;
}

const pick = (n: number): number => Math.floor(Math.random() * n);

/** One batch of ordinary traffic; `tick` numbers the batch. */
export function demoBatch(tick: number): string[][] {
  const cmds: string[][] = [];
  for (let i = 0; i < 6; i++) cmds.push(['GET', `demo:str:${pick(3000)}`]); // about half miss
  for (let i = 0; i < 3; i++) cmds.push(['SET', `demo:str:${pick(1500)}`, 'v'.repeat(16 + pick(200))]);
  cmds.push(['INCR', `demo:counter:${pick(50)}`]);
  cmds.push(['HSET', `demo:user:${pick(500)}`, 'name', `user${tick}`, 'visits', String(tick)]);
  cmds.push(['HGETALL', `demo:user:${pick(500)}`]);
  cmds.push(['LPUSH', 'demo:feed', `item${tick}`], ['LTRIM', 'demo:feed', '0', '499'], ['LRANGE', 'demo:feed', '0', '19']);
  cmds.push(['ZINCRBY', 'demo:board', '1', `player${pick(200)}`], ['ZREVRANGE', 'demo:board', '0', '9', 'WITHSCORES']);
  cmds.push(['SADD', 'demo:tags', `tag${pick(100)}`], ['SISMEMBER', 'demo:tags', `tag${pick(150)}`]);
  cmds.push(['SET', `demo:session:${tick % 4000}`, 'token', 'EX', String(5 + pick(25))]);
  // growing data: long-lived blobs with a TTL (volatile-lru evicts them under maxmemory)
  for (let i = 0; i < 4; i++) cmds.push(['SET', `demo:blob:${(tick * 4 + i) % BLOB_KEYS}`, 'x'.repeat(BLOB_BYTES), 'EX', '3600']);
  if (tick % 15 === 0) cmds.push(['RPUSH', 'demo:jobs', `job${tick}`]);
  if (tick % 20 === 0) cmds.push(['GET', 'demo:board']); // WRONGTYPE: shows in errorstats and failed calls
  for (const s of SLOW) if (tick > 0 && tick % s.everyTicks === 0) cmds.push(s.command);
  return cmds;
}

async function trySet(link: RedisLink, notes: string[], ...args: string[]): Promise<void> {
  try {
    await link.call(...args);
  } catch (err) {
    notes.push(`${args.slice(0, 3).join(' ')}: ${describeError(err)}`);
  }
}

/** Prepares the engine and starts the load; resolves once setup is done. */
export async function startDemoLoad(spec: TargetSpec, timeoutMs = 5000): Promise<DemoLoad> {
  const notes: string[] = [];
  const link = await openLink({ ...spec, name: `${spec.name} (demo)` }, { timeoutMs });
  let consumer: RedisLink | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;

  await trySet(link, notes, 'CLIENT', 'SETNAME', 'redscope-demo');
  await trySet(link, notes, 'CONFIG', 'SET', 'latency-monitor-threshold', '10');
  for (const key of ['demo:big:a', 'demo:big:b']) {
    for (let start = 0; start < BIG_ZSET; start += 500) {
      const args = ['ZADD', key];
      for (let i = start; i < Math.min(BIG_ZSET, start + 500); i++) args.push(String(pick(1_000_000)), `member:${i}`);
      await trySet(link, notes, ...args);
    }
  }
  try {
    const info = String(await link.call('INFO', 'memory'));
    const used = Number(/used_memory:(\d+)/.exec(info)?.[1] ?? NaN);
    if (Number.isFinite(used)) {
      await trySet(link, notes, 'CONFIG', 'SET', 'maxmemory-policy', 'volatile-lru');
      await trySet(link, notes, 'CONFIG', 'SET', 'maxmemory', String(used + HEADROOM_BYTES));
    }
  } catch (err) {
    notes.push(`INFO memory: ${describeError(err)}`);
  }

  try {
    consumer = await openLink({ ...spec, name: `${spec.name} (demo consumer)` }, { timeoutMs });
    await consumer.call('CLIENT', 'SETNAME', 'redscope-demo-consumer');
    const c = consumer;
    void (async () => {
      while (!stopped) {
        try {
          await c.call('BLPOP', 'demo:jobs', '2');
        } catch {
          if (!stopped) await new Promise((r) => setTimeout(r, 500));
        }
      }
    })();
  } catch (err) {
    notes.push(`blocked consumer: ${describeError(err)}`);
  }

  let tick = 0;
  let busy = false;
  timer = setInterval(() => {
    if (busy || stopped) return; // the engine is slower than the tick: skip, never pile up
    busy = true;
    link
      .batch(demoBatch(tick++))
      .catch(() => undefined)
      .finally(() => (busy = false));
  }, TICK_MS);

  return {
    notes,
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      link.close();
      consumer?.close();
    },
  };
}
