// MEMORY USAGE on the engine equals real Redis 7.0's for the same writes, through the memory model.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diff, same, startPair, type Cmd, type Pair } from '../../helpers/differential.js';

let pair: Pair;
beforeAll(async () => {
  pair = await startPair();
});
afterAll(async () => {
  await pair?.stop();
});

describe('MEMORY USAGE', () => {
  it('answers errors and missing keys as Redis', async () => {
    await same(pair, [
      ['MEMORY', 'USAGE', 'nokey'],
      ['SET', 'a', 'b'],
      ['MEMORY', 'USAGE', 'a', 'SAMPLES', '-1'],
      ['MEMORY', 'USAGE', 'a', 'SAMPLES', 'x'],
      ['MEMORY', 'USAGE', 'a', 'FOO'],
      ['MEMORY', 'USAGE'],
      ['MEMORY', 'NOSUCH'],
    ]);
  });

  it('equals Redis for every type and encoding written the same way', async () => {
    const big = 'x'.repeat(100);
    const cmds: Cmd[] = [
      ['SET', 'int', '12345'],
      ['SET', 'shared', '42'],
      ['SET', 'emb', 'y'.repeat(44)],
      ['SET', 'raw', 'y'.repeat(45)],
      ['SET', 'bin', Buffer.from([0, 255, 1, 2])],
      ['RPUSH', 'list', ...Array.from({ length: 300 }, (_, i) => `element-${i}`)],
      ['HSET', 'hsmall', 'f1', 'v1', 'f2', 'v2'],
      ['HSET', 'hbig', 'f', big],
      ['SADD', 'iset', '1', '2', '3', '100000'],
      ['SADD', 'sset', 'a', 'b', 'c'],
      ['ZADD', 'zsmall', '1', 'a', '2.5', 'b'],
    ];
    await same(pair, cmds);
    await same(
      pair,
      ['int', 'shared', 'emb', 'raw', 'bin', 'list', 'hsmall', 'hbig', 'iset', 'sset', 'zsmall'].map((k) => ['MEMORY', 'USAGE', k, 'SAMPLES', '0']),
    );
  });

  it('equals Redis on generated hashes, sets and lists', async () => {
    const problems: string[] = [];
    const word = fc.stringMatching(/^[a-z0-9]{0,70}$/);
    const samples = fc.sample(
      fc.tuple(fc.constantFrom('HSET', 'SADD', 'RPUSH', 'LPUSH'), fc.array(word, { minLength: 2, maxLength: 40 })),
      { numRuns: 60, seed: 2026 },
    );
    let i = 0;
    for (const [command, words] of samples) {
      const key = `k${i++}`;
      // A set that starts as an intset and converts keeps the conversion's table history, which
      // the model cannot see from the members alone: start sets with a non-integer member.
      const base = command === 'SADD' ? [`m${words[0]}`, ...words.slice(1)] : words;
      const args = command === 'HSET' && base.length % 2 ? base.slice(1) : base;
      await same(pair, [['DEL', key], [command, key, ...args]]);
      const enc = await pair.r.call('OBJECT', 'ENCODING', key);
      if (enc.t === 'bulk' && enc.v === 'hashtable') {
        // Whether Redis finished its last incremental rehash depends on its random hash seed, so a
        // hashtable's old bucket array may still be counted on Redis itself (up to ~10% of a small
        // key, see src/memory/dict.ts): allow that one step.
        const [a, b] = await Promise.all([pair.r.call('MEMORY', 'USAGE', key, 'SAMPLES', '0'), pair.e.call('MEMORY', 'USAGE', key, 'SAMPLES', '0')]);
        const ra = a.t === 'int' ? Number(a.v) : NaN;
        const rb = b.t === 'int' ? Number(b.v) : NaN;
        if (!(Math.abs(ra - rb) / ra <= 0.15)) problems.push(`${command} ${key}: redis ${ra}, engine ${rb}`);
      } else problems.push(...(await diff(pair, [['MEMORY', 'USAGE', key, 'SAMPLES', '0']])));
    }
    expect(problems).toEqual([]);
  });
});

describe('MEMORY STATS, DOCTOR, MALLOC-STATS, PURGE', () => {
  /** The key names of a MEMORY STATS reply (RESP2 flat array), nested db maps included. */
  function statsKeys(v: Awaited<ReturnType<Pair['r']['call']>>): string[] {
    if (v.t !== 'array') return [];
    const out: string[] = [];
    for (let i = 0; i < v.v.length; i += 2) {
      const k = v.v[i]!;
      const name = k.t === 'bulk' ? k.v : '?';
      out.push(name);
      const val = v.v[i + 1]!;
      if (val.t === 'array') out.push(...statsKeys(val).map((n) => `${name}/${n}`));
    }
    return out;
  }

  it('STATS has Redis 7.0 key names in its order, with and without keys', async () => {
    await same(pair, [['FLUSHALL'], ['SELECT', '0']]);
    let [a, b] = await Promise.all([pair.r.call('MEMORY', 'STATS'), pair.e.call('MEMORY', 'STATS')]);
    expect(statsKeys(b)).toEqual(statsKeys(a));
    await same(pair, [['SET', 'a', '1'], ['SET', 'b', 'x', 'EX', '100'], ['SELECT', '3'], ['SET', 'c', 'y'], ['SELECT', '0']]);
    [a, b] = await Promise.all([pair.r.call('MEMORY', 'STATS'), pair.e.call('MEMORY', 'STATS')]);
    expect(statsKeys(b)).toEqual(statsKeys(a));
    expect(statsKeys(b)).toContain('db.3/overhead.hashtable.main');
    // Value kinds: integers stay integers, ratios are doubles (bulk strings in RESP2).
    const kinds = (v: typeof a) => (v.t === 'array' ? v.v.filter((_, i) => i % 2 === 1).map((x) => x.t) : []);
    expect(kinds(b)).toEqual(kinds(a));
    await same(pair, [['MEMORY', 'STATS', 'extra'], ['MEMORY', 'DOCTOR', 'x'], ['MEMORY', 'PURGE', 'x'], ['MEMORY', 'MALLOC-STATS', 'x']]);
    await same(pair, [['FLUSHALL']]);
  });

  it('DOCTOR on an empty instance says what Redis says; PURGE answers OK', async () => {
    await same(pair, [['FLUSHALL'], ['MEMORY', 'DOCTOR'], ['MEMORY', 'PURGE']]);
    const m = await pair.e.call('MEMORY', 'MALLOC-STATS');
    expect(m.t).toBe('bulk');
  });

  it('DOCTOR applies Redis thresholds', async () => {
    const { doctorReport } = await import('../../../src/engine/stats/memory-stats.js');
    const base = {
      used: 100 * 2 ** 20, peak: 100 * 2 ** 20, startup: 876_232, replBacklog: 0, clientsSlaves: 0, clientsNormal: 1800,
      clusterLinks: 0, aofBuffer: 0, luaCaches: 0, functionsCaches: 200, dbs: [], overhead: 0, keys: 0, dataset: 0,
      datasetPerc: 0, peakPerc: 100, bytesPerKey: 0, rss: 110 * 2 ** 20, allocatorAllocated: 0, allocatorActive: 0,
      allocatorResident: 0, allocatorFrag: 1, allocatorFragBytes: 0, allocatorRss: 1, allocatorRssBytes: 0, rssExtra: 1.1,
      rssExtraBytes: 10 * 2 ** 20, totalFrag: 1.1, totalFragBytes: 10 * 2 ** 20,
    };
    const input = { m: base, clients: 1, replicas: 0, cachedScripts: 0 };
    expect(doctorReport(input)).toMatch(/^Hi Sam, I can't find any memory issue/);
    expect(doctorReport({ ...input, m: { ...base, used: 5 * 2 ** 20 - 1 } })).toMatch(/^Hi Sam, this instance is empty/);
    const report = doctorReport({ ...input, m: { ...base, peak: 151 * 2 ** 20, totalFrag: 1.5, totalFragBytes: 11 * 2 ** 20, clientsNormal: 205 * 1024 } });
    expect(report).toMatch(/^Sam, I detected a few issues in this Redis instance memory implants:\n\n/);
    expect(report.match(/^ \* [^:]+:/gm)).toEqual([' * Peak memory:', ' * High total RSS:', ' * Big client buffers:']);
    expect(report).toMatch(/I'm here to keep you safe, Sam. I want to help you.\n$/);
  });

  it('INFO memory has every field Redis 7.0 has, in order', async () => {
    const fields = async (c: Pair['r']) => {
      const r = await c.call('INFO', 'memory');
      const text = r.t === 'bulk' || r.t === 'verbatim' ? String(r.v) : '';
      return text.split('\r\n').filter((l) => l.includes(':')).map((l) => l.split(':')[0]);
    };
    expect(await fields(pair.e)).toEqual(await fields(pair.r));
  });
});
