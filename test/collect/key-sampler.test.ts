// The SCAN sampler against a real redis-server 7.0: every key once, the right type, length, TTL
// and MEMORY USAGE (as the server answers them directly), binary and unicode keys looked up by
// their exact bytes, and the --limit / MATCH options; then the KeysReport built from the samples.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeysReport } from '../../src/analyze/keys.js';
import { sampleKeys, type KeySample } from '../../src/collect/key-sampler.js';
import { openLink, type RedisLink } from '../../src/target/link.js';
import { startRedis, type TestServer } from '../helpers/servers.js';

let redis: TestServer;
let link: RedisLink;
const binaryKey = Buffer.from([0x62, 0x69, 0x6e, 0xff, 0x00, 0x0a]); // "bin\xff\x00\n"

beforeAll(async () => {
  redis = await startRedis();
  link = await openLink({ name: 'r', host: '127.0.0.1', port: redis.port, tls: false, db: 0 });
  await link.batch([
    ['SET', 'user:1:name', 'ada'],
    ['SET', 'user:2:name', 'grace', 'EX', '1000'],
    ['RPUSH', 'queue:jobs', 'a', 'b', 'c'],
    ['HSET', 'user:1:profile', 'f1', 'v1', 'f2', 'v2'],
    ['SADD', 'tags', 'x', 'y'],
    ['ZADD', 'board', '1', 'm1', '2', 'm2', '3', 'm3', '4', 'm4'],
    ['XADD', 'events', '1-1', 'k', 'v'],
    ['SET', binaryKey, 'bytes'],
    ['SET', 'ключ', 'unicode'],
  ]);
});
afterAll(async () => {
  link?.close();
  await redis?.stop();
});

describe('sampleKeys', () => {
  it('visits every key once with the facts the server gives for it', async () => {
    const seen: KeySample[] = [];
    const n = await sampleKeys(link, (s) => seen.push(s), { count: 3 });
    expect(n).toBe(9);
    const byKey = new Map(seen.map((s) => [s.key, s]));
    expect(byKey.size).toBe(9);
    expect(byKey.get('queue:jobs')).toMatchObject({ type: 'list', length: 3, ttlMs: -1 });
    expect(byKey.get('board')).toMatchObject({ type: 'zset', length: 4 });
    expect(byKey.get('events')).toMatchObject({ type: 'stream', length: 1 });
    expect(byKey.get('user:2:name')!.ttlMs).toBeGreaterThan(900_000);
    // The binary key was looked up by its exact bytes: a wrong encoding would read as "none" and be dropped.
    const bin = byKey.get(binaryKey.toString('latin1'));
    expect(bin).toMatchObject({ type: 'string', length: 5 });
    expect(byKey.get(Buffer.from('ключ', 'utf8').toString('latin1'))).toMatchObject({ type: 'string', length: 7 });
    for (const s of seen) {
      const [direct] = await link.batch([['MEMORY', 'USAGE', Buffer.from(s.key, 'latin1'), 'SAMPLES', '0']]);
      expect(s.memoryBytes, s.key).toBe(direct!.ok ? direct!.value : NaN);
    }
  });

  it('honours MATCH and the key limit', async () => {
    const seen: string[] = [];
    await sampleKeys(link, (s) => seen.push(s.key), { match: 'user:*' });
    expect(seen.sort()).toEqual(['user:1:name', 'user:1:profile', 'user:2:name']);
    const limited = await sampleKeys(link, () => {}, { limit: 4, count: 100 });
    expect(limited).toBe(4);
  });

  it('feeds a KeysReport: biggest per type, prefixes, TTL share, escaped binary keys', async () => {
    const report = new KeysReport({ top: 20 });
    await sampleKeys(link, (s) => report.add(s));
    const r = report.finish();
    expect(r.scanned).toBe(9);
    expect(r.biggest['zset']).toMatchObject({ key: 'board', length: 4 });
    expect(r.noTtlKeys).toBe(8);
    expect(r.prefixes.find((p) => p.prefix === 'user:')).toMatchObject({ keys: 3 });
    expect(r.top.find((k) => k.keyEscaped)).toMatchObject({ key: 'bin\\xff\\x00\\n' });
    expect(r.top.map((k) => k.key)).toContain('ключ');
  });
});
