// Slowlog grouping by command and argument shape, key normalisation, anti-patterns, client
// tallies, and the tracker that only counts entries it has not seen (by id) across polls.

import { describe, expect, it } from 'vitest';
import { entryShape, normalizeKey, slowlogReport, SlowlogTracker } from '../../src/analyze/index.js';
import type { SlowlogEntry } from '../../src/collect/snapshot.js';
import { buildSnapshot } from './snapshot-builder.js';

let nextId = 0;
const e = (args: string[], durationUs: number, o: Partial<SlowlogEntry> = {}): SlowlogEntry => ({
  id: nextId++,
  time: 1000 + nextId,
  durationUs,
  args,
  client: '10.0.0.5:51000',
  clientName: 'web',
  ...o,
});

describe('normalizeKey', () => {
  it('replaces numbers, UUIDs and hex ids', () => {
    expect(normalizeKey('user:12345:profile')).toBe('user:#:profile');
    expect(normalizeKey('session:8f14e45f-ea2b-4c1d-9a0e-3b1e2f4a5b6c')).toBe('session:{uuid}');
    expect(normalizeKey('obj:5f2b6c1e9d8a7b6c5d4e3f2a:v2')).toBe('obj:{hex}:v#');
    expect(normalizeKey('cache:deadbeef')).toBe('cache:deadbeef'); // letters only: a word, not an id
    expect(normalizeKey('plain')).toBe('plain');
  });
});

describe('entryShape', () => {
  it('groups calls that differ only in ids and values', () => {
    expect(entryShape(['HGETALL', 'user:1']).pattern).toBe(entryShape(['hgetall', 'user:2']).pattern);
    expect(entryShape(['SET', 'k:1', 'hello', 'EX', '60']).pattern).toBe('SET k:# ? EX #');
    expect(entryShape(['CONFIG', 'GET', 'maxmemory']).command).toBe('CONFIG GET');
  });

  it('keeps range numbers literal so LRANGE 0 -1 stands apart', () => {
    expect(entryShape(['LRANGE', 'q:7', '0', '-1']).pattern).toBe('LRANGE q:# 0 -1');
    expect(entryShape(['LRANGE', 'q:7', '0', '9']).pattern).toBe('LRANGE q:# 0 9');
    expect(entryShape(['KEYS', 'user:*']).pattern).toBe('KEYS user:*');
  });

  it('collapses variadic arguments and undoes Redis truncation markers', () => {
    const a = entryShape(['MGET', 'u:1', 'u:2', 'u:3']);
    const b = entryShape(['MGET', 'u:9', 'u:8']);
    expect(a.pattern).toBe('MGET u:# …');
    expect(b.pattern).toBe(a.pattern);
    const truncated = entryShape(['DEL', ...Array.from({ length: 30 }, (_, i) => `k:${i}`), '... (170 more arguments)']);
    expect(truncated.argc).toBe(31 + 170);
    expect(entryShape(['SADD', 's:1', 'a', 'b', 'c']).pattern).toBe(entryShape(['SADD', 's:2', 'x']).pattern);
    expect(entryShape(['SET', 'k', 'y'.repeat(128) + '... (72 more bytes)']).pattern).toBe('SET k ?');
  });
});

describe('slowlogReport', () => {
  const entries = [
    e(['HGETALL', 'user:1'], 1000),
    e(['HGETALL', 'user:2'], 3000),
    e(['HGETALL', 'user:3'], 2000, { client: '10.0.0.6:40000', clientName: '' }),
    e(['KEYS', '*'], 50_000, { clientName: 'admin' }),
    e(['LRANGE', 'q:1', '0', '-1'], 8000),
    e(['ZRANGEBYSCORE', 'z', '-inf', '+inf'], 900),
    e(['MGET', ...Array.from({ length: 30 }, (_, i) => `k:${i}`), '... (120 more arguments)'], 5000),
    e(['DEL', 'big:hash'], 40_000),
    e(['SORT', 'ids', 'LIMIT', '0', '10'], 700),
    e(['FLUSHALL'], 90_000),
    e(['FLUSHDB', 'ASYNC'], 100),
    e(['EVAL', 'return 1', '1', 'lock:5', 'x'], 12_000),
  ];
  const r = slowlogReport(entries);

  it('groups with count, total, mean, percentiles, first/last seen', () => {
    const g = r.groups.find((x) => x.pattern === 'HGETALL user:#')!;
    expect(g).toMatchObject({ command: 'HGETALL', count: 3, totalUs: 6000, meanUs: 2000, p50Us: 2000, p99Us: 3000, maxUs: 3000 });
    expect(g.firstSeen).toBeLessThan(g.lastSeen);
    expect(g.slowest.args).toEqual(['HGETALL', 'user:2']);
    expect(r.groups[0]!.pattern).toBe('FLUSHALL'); // heaviest first
    expect(r.count).toBe(entries.length);
  });

  it('names the anti-patterns', () => {
    const found = r.antiPatterns.map((a) => a.id);
    expect(found).toEqual(['keys', 'full-list-read', 'full-zset-read', 'whole-collection-read', 'big-multi-key', 'big-key-delete', 'sort', 'flush', 'slow-script']);
    expect(r.antiPatterns.find((a) => a.id === 'whole-collection-read')!.count).toBe(3);
    expect(r.antiPatterns.find((a) => a.id === 'flush')!.count).toBe(1); // FLUSHDB ASYNC is fine
  });

  it('tallies clients by host and by name', () => {
    expect(r.clients.byAddress.map((c) => c.client)).toEqual(['10.0.0.5', '10.0.0.6']);
    expect(r.clients.byName[0]).toMatchObject({ client: 'web' });
    expect(r.clients.byName.find((c) => c.client === 'admin')!.count).toBe(1);
  });

  it('is empty for no entries', () => {
    expect(slowlogReport([])).toMatchObject({ count: 0, groups: [], firstSeen: null, antiPatterns: [] });
  });
});

describe('SlowlogTracker', () => {
  const snap = (ids: number[], runId = 'run-a') => {
    const s = buildSnapshot({ slowlog: ids.map((id) => ({ id, time: 1000 + id, durationUs: 10 * id, args: ['GET', `k:${id}`], client: '127.0.0.1:1', clientName: '' })) });
    s.identity.runId = runId;
    return s;
  };

  it('counts each entry once across polls, and missed ids', () => {
    const t = new SlowlogTracker();
    expect(t.take(snap([2, 1, 0])).map((x) => x.id)).toEqual([0, 1, 2]);
    expect(t.take(snap([4, 3, 2, 1])).map((x) => x.id)).toEqual([3, 4]);
    expect(t.take(snap([4, 3]))).toEqual([]);
    expect(t.take(snap([9, 8])).map((x) => x.id)).toEqual([8, 9]); // 5..7 were pushed out unseen
    expect(t.missed).toBe(3);
    expect(t.report().count).toBe(7);
    expect(t.report().missed).toBe(3);
  });

  it('starts over after a restart (new run id or ids going back)', () => {
    const t = new SlowlogTracker();
    t.take(snap([10, 11]));
    expect(t.take(snap([0], 'run-b')).map((x) => x.id)).toEqual([0]);
    const u = new SlowlogTracker();
    u.take(snap([10, 11], ''));
    expect(u.take(snap([1, 0], '')).map((x) => x.id)).toEqual([0, 1]);
  });

  it('can start from now', () => {
    const t = new SlowlogTracker({ includeExisting: false });
    expect(t.take(snap([5, 6]))).toEqual([]);
    expect(t.take(snap([7, 6, 5])).map((x) => x.id)).toEqual([7]);
  });

  it('bounds what it keeps', () => {
    const t = new SlowlogTracker({ maxKept: 2 });
    t.take(snap([0, 1, 2, 3]));
    expect(t.entries.map((x) => x.id)).toEqual([2, 3]);
  });
});
