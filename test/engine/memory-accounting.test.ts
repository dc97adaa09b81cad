// The engine's used_memory accounting: the same dataset written to real Redis 7.0 and to the engine
// gives the same used_memory_dataset (within 3%), the incremental totals always equal a recount
// from scratch whatever the writes (deletes, renames, flushes, swaps, expiry, conversions), and a
// write loop on one huge value stays cheap.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { show, startPair, type Cmd, type Pair } from '../helpers/differential.js';
import type { RespClient } from '../helpers/resp-client.js';
import { Engine } from '../../src/engine/engine.js';
import { Config } from '../../src/engine/config.js';
import { memoryAccounting, memoryInfo } from '../../src/engine/memory-accounting.js';
import { processCommand } from '../../src/engine/dispatch.js';
import { Client } from '../../src/engine/client.js';

let pair: Pair;
beforeAll(async () => {
  pair = await startPair();
});
afterAll(async () => {
  await pair?.stop();
});

async function redisMemory(c: RespClient): Promise<Record<string, number>> {
  const r = await c.call('INFO', 'memory');
  const text = r.t === 'bulk' || r.t === 'verbatim' ? String(r.v) : '';
  const out: Record<string, number> = {};
  for (const line of text.split('\r\n')) {
    const [k, v] = line.split(':');
    if (k && v !== undefined && /^-?\d+$/.test(v)) out[k] = Number(v);
  }
  return out;
}

function engineMemory(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of memoryInfo(pair.engine.engine!)) if (typeof v === 'number') out[k] = v;
  return out;
}

/** A mixed dataset: every type and encoding, some TTLs, a few big values. */
function dataset(scale: number): Cmd[] {
  const cmds: Cmd[] = [];
  for (let i = 0; i < 20 * scale; i++) {
    cmds.push(['SET', `str:${i}`, i % 3 === 0 ? String(i * 7) : i % 3 === 1 ? `value-${i}` : 'v'.repeat(50 + (i % 200))]);
    if (i % 4 === 0) cmds.push(['PEXPIRE', `str:${i}`, '3600000']);
  }
  for (let i = 0; i < scale; i++) {
    cmds.push(['RPUSH', `list:${i}`, ...Array.from({ length: 5 + (i % 40) }, (_, j) => `item-${i}-${j}`)]);
    cmds.push(['HSET', `hash:${i}`, ...Array.from({ length: 2 + (i % 20) }, (_, j) => [`f${j}`, `val-${j * i}`]).flat()]);
    cmds.push(['SADD', `iset:${i}`, ...Array.from({ length: 3 + (i % 30) }, (_, j) => String(j * 13))]);
    cmds.push(['SADD', `set:${i}`, ...Array.from({ length: 3 + (i % 30) }, (_, j) => `m-${j}`)]);
    cmds.push(['ZADD', `zset:${i}`, ...Array.from({ length: 3 + (i % 30) }, (_, j) => [String(j * 1.5), `z-${j}`]).flat()]);
  }
  // A few big ones: hashtable hash, hashtable set, skiplist zset, multi-node list.
  for (let b = 0; b < 3; b++) {
    for (let chunk = 0; chunk < 10; chunk++) {
      const base = chunk * 100;
      cmds.push(['HSET', `bighash:${b}`, ...Array.from({ length: 100 }, (_, j) => [`field:${base + j}`, `value:${(base + j) * 3}`]).flat()]);
      cmds.push(['SADD', `bigset:${b}`, ...Array.from({ length: 100 }, (_, j) => `member:${base + j}`)]);
      cmds.push(['ZADD', `bigzset:${b}`, ...Array.from({ length: 100 }, (_, j) => [String(base + j), `zm:${base + j}`]).flat()]);
      cmds.push(['RPUSH', `biglist:${b}`, ...Array.from({ length: 100 }, (_, j) => `element:${base + j}`)]);
    }
  }
  return cmds;
}

async function load(c: RespClient, cmds: Cmd[]): Promise<void> {
  for (let i = 0; i < cmds.length; i += 500) await c.pipeline(cmds.slice(i, i + 500));
}

describe('used_memory on the same dataset', () => {
  it('used_memory_dataset within 3% of real Redis, same keys overhead', async () => {
    const cmds = dataset(500);
    await Promise.all([load(pair.r, cmds), load(pair.e, cmds)]);
    // Let both crons run (Redis rehashes and samples clients; the engine drains).
    await new Promise((r) => setTimeout(r, 1200));
    const [r, e] = [await redisMemory(pair.r), engineMemory()];
    const err = Math.abs(e.used_memory_dataset! - r.used_memory_dataset!) / r.used_memory_dataset!;
    console.log(
      `used_memory_dataset: redis ${r.used_memory_dataset}, engine ${e.used_memory_dataset}, error ${(err * 100).toFixed(3)}%; ` +
        `used_memory: redis ${r.used_memory}, engine ${e.used_memory}`,
    );
    expect(err).toBeLessThan(0.03);
    expect(Math.abs(e.used_memory! - r.used_memory!) / r.used_memory!).toBeLessThan(0.03);
    expect(Math.abs(e.used_memory_startup! - r.used_memory_startup!)).toBeLessThan(1024);
    const [rs, es] = await Promise.all([pair.r.call('MEMORY', 'STATS'), pair.e.call('MEMORY', 'STATS')]);
    const field = (v: typeof rs, name: string) => {
      const a = v.t === 'array' ? v.v : [];
      for (let i = 0; i < a.length; i += 2) if (show(a[i]!) === show({ t: 'bulk', v: name })) return a[i + 1]!;
      return undefined;
    };
    // The per-db overhead is computed, not measured, in Redis too: identical for the same keys.
    expect(show(field(es, 'db.0')!)).toBe(show(field(rs, 'db.0')!));
    expect(show(field(es, 'keys.count')!)).toBe(show(field(rs, 'keys.count')!));
  });
});

describe('incremental totals', () => {
  /** A fresh engine driven in-process (commands through the dispatcher, no network). */
  function engineWith(directives: Record<string, string> = {}) {
    const config = new Config();
    // No save points: FLUSHALL would otherwise write dump.rdb into the working directory.
    for (const [k, v] of Object.entries({ save: '', ...directives })) config.setMany([[k, v]], { runtime: false });
    const engine = new Engine(config);
    const acc = memoryAccounting(engine);
    const client = new Client(engine.newClientId(), '127.0.0.1:1', '127.0.0.1:2', 1, Date.now());
    engine.clients.set(client.id, client);
    const run = (...argv: string[]) => {
      processCommand(engine, client, argv);
      return client.reply.take();
    };
    return { engine, acc, run };
  }

  it('equal a recount after any sequence of writes', () => {
    const { engine, acc, run } = engineWith({ 'set-max-intset-entries': '8', 'hash-max-listpack-entries': '8', 'zset-max-listpack-entries': '8' });
    const key = fc.constantFrom('a', 'b', 'c', 'd', 'e');
    const member = fc.constantFrom('1', '2', '300', 'x', 'yy', 'z'.repeat(70), '40000');
    const op = fc.oneof(
      fc.tuple(fc.constant('SET'), key, member),
      fc.tuple(fc.constant('APPEND'), key, member),
      fc.tuple(fc.constant('INCR'), key),
      fc.tuple(fc.constant('RPUSH'), key, member, member),
      fc.tuple(fc.constant('LPOP'), key),
      fc.tuple(fc.constant('HSET'), key, member, member),
      fc.tuple(fc.constant('HDEL'), key, member),
      fc.tuple(fc.constant('SADD'), key, member, member),
      fc.tuple(fc.constant('SREM'), key, member),
      fc.tuple(fc.constant('ZADD'), key, fc.constantFrom('1', '2.5', '-3'), member),
      fc.tuple(fc.constant('ZREM'), key, member),
      fc.tuple(fc.constant('DEL'), key),
      fc.tuple(fc.constant('RENAME'), key, key),
      fc.tuple(fc.constant('COPY'), key, key),
      fc.tuple(fc.constant('MOVE'), key, fc.constantFrom('0', '1')),
      fc.tuple(fc.constant('SELECT'), fc.constantFrom('0', '1')),
      fc.tuple(fc.constant('PEXPIRE'), key, fc.constantFrom('1', '100000')),
      fc.tuple(fc.constant('SWAPDB'), fc.constant('0'), fc.constant('1')),
      fc.tuple(fc.constant('FLUSHDB')),
      fc.tuple(fc.constant('SUNIONSTORE'), key, key, key),
    );
    const runs = fc.sample(fc.array(op, { minLength: 20, maxLength: 120 }), { numRuns: 80, seed: 7 });
    for (const ops of runs) {
      for (const o of ops) {
        run(...(o as string[]));
        if (Math.random() < 0.3) acc.drain();
      }
      // Let PEXPIRE 1 keys expire lazily on the next access.
      const totals = engine.dbs.map((db) => acc.dbState(db.id).total);
      expect(totals).toEqual(acc.recount());
      run('FLUSHALL');
    }
  });

  it('keeps a write loop on one huge hash O(1) per write, estimate close to exact', () => {
    const { acc, run } = engineWith({ maxmemory: '4gb', 'maxmemory-policy': 'allkeys-lru' });
    const n = 100_000;
    const visitedBefore = acc.visited;
    for (let i = 0; i < n; i++) {
      run('HSET', 'big', `field:${i}`, `value:${i}`);
      acc.usedMemory(); // what the maxmemory check asks before every command
    }
    // Exact passes cost O(n) only after Θ(n) writes: a bounded number of element visits per write
    // (a full recompute on every write would be n/2 = 50,000 per write).
    const perWrite = (acc.visited - visitedBefore) / n;
    const estimated = acc.dbState(0).total;
    const exact = acc.recount()[0]!;
    console.log(`HSET loop: ${perWrite.toFixed(2)} element visits per write; estimate ${estimated}, exact ${exact}`);
    expect(perWrite).toBeLessThan(25);
    expect(Math.abs(estimated - exact) / exact).toBeLessThan(0.02);
  });

  it('cron refines estimated values back to exact', () => {
    const { engine, acc, run } = engineWith();
    for (let i = 0; i < 5000; i++) run('SADD', 's', `m${i}`);
    acc.drain();
    engine.emit('cron');
    expect(acc.dbState(0).estimated).toBe(0);
    expect(acc.dbState(0).total).toBe(acc.recount()[0]);
  });

  it('cron leaves a value still being written to its estimate, and refines it once at rest', () => {
    const { engine, acc, run } = engineWith();
    for (let i = 0; i < 5000; i++) {
      run('SADD', 's', `m${i}`);
      if (i % 100 === 0) acc.drain(); // as INFO or the maxmemory check would
    }
    acc.drain();
    expect(acc.dbState(0).estimated).toBe(1);
    engine.emit('cron'); // written since cron last looked: an exact pass now would soon be stale
    expect(acc.dbState(0).estimated).toBe(1);
    engine.emit('cron'); // no write since: at rest, recomputed exactly
    expect(acc.dbState(0).estimated).toBe(0);
    expect(acc.dbState(0).total).toBe(acc.recount()[0]);
  });

  it('string values are accounted at once, without waiting for a drain', () => {
    const { engine, acc, run } = engineWith();
    for (let i = 0; i < 300; i++) run('SET', `k${i % 50}`, 'v'.repeat(i % 90));
    run('APPEND', 'k1', 'tail');
    run('INCR', 'n');
    run('SET', 'big', 'x'.repeat(5000));
    expect(acc.queued).toBe(0); // nothing waits for the drain
    expect(acc.dbState(0).total).toBe(acc.recount()[0]);
    run('HSET', 'h', 'f', 'v');
    run('SET', 'k2', 'again');
    expect(acc.queued).toBe(1); // containers do wait
    expect(acc.dbState(0).total).toBe(acc.recount()[0]);
    expect(acc.queued).toBe(0);
    engine.emit('cron');
    expect(acc.dbState(0).total).toBe(acc.recount()[0]);
  });
});

describe('the one-pass figure for big values', () => {
  it('equals the memory model on its ValueDescription', async () => {
    const { describeValue, engineThresholds } = await import('../../src/engine/commands/memory.js');
    const { valueCost, sizeClass, sdsBytes } = await import('../../src/memory/index.js');
    const engine = new Engine();
    const acc = memoryAccounting(engine);
    const client = new Client(engine.newClientId(), '127.0.0.1:1', '127.0.0.1:2', 1, Date.now());
    const run = (...argv: string[]) => {
      processCommand(engine, client, argv);
      client.reply.take();
    };
    const rnd = fc.sample(fc.stringMatching(/^[a-z0-9]{1,80}$/), { numRuns: 3000, seed: 11 });
    rnd.forEach((w, i) => {
      run('HSET', 'h', `f${i % 1500}`, w);
      run('SADD', 's', i < 600 ? String(i) : w);
      run('ZADD', 'z', String(i % 97), w);
      run('RPUSH', 'l', w);
    });
    for (let i = 0; i < 2000; i++) run('SREM', 's', rnd[i]!); // shrink: encodings never convert back
    for (let i = 0; i < 1200; i++) run('HDEL', 'h', `f${i}`);
    const opts = { thresholds: engineThresholds(engine.config) };
    let expected = 0;
    for (const [key, e] of engine.dbs[0]!.dict.entries()) expected += sizeClass(24, 4) + sdsBytes(key.length) + valueCost(describeValue(e.value), opts).allocated;
    expect(acc.recount()[0]).toBe(expected);
  });

  it('equals the model for big lists under every list-max-listpack-size', async () => {
    const { describeValue, engineThresholds } = await import('../../src/engine/commands/memory.js');
    const { valueCost, sizeClass, sdsBytes } = await import('../../src/memory/index.js');
    const words = fc.sample(fc.oneof(fc.stringMatching(/^[a-z]{1,40}$/), fc.integer().map(String), fc.constantFrom('x'.repeat(3000), 'y'.repeat(9000))), { numRuns: 700, seed: 17 });
    for (const fill of ['-1', '-2', '-5', '1', '7', '128']) {
      const engine = new Engine();
      const acc = memoryAccounting(engine);
      const client = new Client(engine.newClientId(), '127.0.0.1:1', '127.0.0.1:2', 1, Date.now());
      processCommand(engine, client, ['CONFIG', 'SET', 'list-max-listpack-size', fill]);
      for (const w of words) processCommand(engine, client, ['RPUSH', 'l', w]);
      client.reply.take();
      const e = engine.dbs[0]!.dict.get('l')!;
      const model = valueCost(describeValue(e.value), { thresholds: engineThresholds(engine.config) }).allocated;
      const expected = sizeClass(24, 4) + sdsBytes(1) + model;
      expect(acc.recount()[0], `fill ${fill}`).toBe(expected);
      expect(acc.dbState(0).total, `fill ${fill}`).toBe(expected);
    }
  });
});
