// The RDB reader against files a real redis-server 7.0 wrote (fixtures/rdb, made by
// fixtures/make-fixtures.mjs) and against what that server said about the same keys
// (<name>.expected.json): per database the key and TTL counts; per key its type, the encoding
// Redis 7.0 gives it after loading the file, its length and absolute expiry, LFU/LRU counters,
// list nodes and stream metadata; the header, redis-ver and the checksum. redis-check-rdb must
// accept every fixture too, so a damaged fixture cannot make the comparison meaningless.

import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readRdbFile } from '../../../src/formats/rdb/index.js';
import type { KeyRecord, RdbRecord, StreamValue } from '../../../src/formats/rdb/records.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'fixtures', 'rdb');

/** The shape make-fixtures.mjs writes; see fixtures/README.md. */
interface ExpectedKey {
  keyHex: string;
  key: string | null;
  type: string;
  length: number;
  encoding: string;
  pexpiretime: number;
  memoryUsage: number;
  loadedEncoding: string;
  loadedMemoryUsage: number;
  quicklistNodes?: number;
  loadedQuicklistNodes?: number;
  lfuFreq?: number;
  idleSeconds?: number;
  stream?: {
    length: number;
    listpackNodes: number;
    lastId: string;
    maxDeletedId: string;
    entriesAdded: number;
    firstId: string;
    groups: Array<{
      name: string;
      lastId: string;
      entriesRead: number | null;
      pelCount: number;
      pendingIds: string[];
      consumers: Array<{ name: string; pelCount: number }>;
    }>;
  };
}

interface Expected {
  fixture: string;
  redisVersion: string;
  rdbVersion: number;
  settings: Record<string, string>;
  functions: Array<{ library: string; engine: string }>;
  databases: Array<{ db: number; keys: number; expires: number; keyList: ExpectedKey[] }>;
}

const FIXTURES = readdirSync(DIR)
  .filter((f) => f.endsWith('.rdb'))
  .sort();

function load(name: string): { expected: Expected; records: RdbRecord[] } {
  const expected = JSON.parse(readFileSync(join(DIR, name.replace(/\.rdb$/, '.expected.json')), 'utf8')) as Expected;
  // values: true so list nodes and stream metadata come along; the fixtures are small.
  const records = [...readRdbFile(join(DIR, name), { values: true })];
  return { expected, records };
}

const hex = (latin1: string): string => Buffer.from(latin1, 'latin1').toString('hex');
const id = (v: { ms: string; seq: string } | null): string | null => (v === null ? null : `${v.ms}-${v.seq}`);

describe('fixtures made by redis-server 7.0', () => {
  it('has the fixtures the script makes', () => {
    expect(FIXTURES).toEqual(['all-types.rdb', 'empty.rdb', 'lfu.rdb', 'lru.rdb', 'no-checksum.rdb', 'uncompressed.rdb']);
  });

  describe.each(FIXTURES)('%s', (name) => {
    const { expected, records } = load(name);
    const keys = records.filter((r): r is KeyRecord => r.kind === 'key');

    it('passes redis-check-rdb', () => {
      // Exits non-zero (and execFileSync throws) when the file is damaged.
      const out = execFileSync('redis-check-rdb', [join(DIR, name)], { encoding: 'utf8' });
      expect(out).toContain('RDB looks OK');
    });

    it('has the header, redis-ver and checksum Redis wrote', () => {
      const header = records[0];
      expect(header).toMatchObject({ kind: 'header', magic: 'REDIS', version: expected.rdbVersion });
      const aux = Object.fromEntries(records.flatMap((r) => (r.kind === 'aux' ? [[r.key, r.value]] : [])));
      expect(aux['redis-ver']).toBe(expected.redisVersion);
      const eof = records[records.length - 1];
      expect(eof?.kind).toBe('eof');
      if (eof?.kind !== 'eof') return;
      if (expected.settings.rdbchecksum === 'no') {
        // Redis stores a zero checksum when rdbchecksum is off: nothing to verify.
        expect(eof.checksum.stored).toBe('0000000000000000');
        expect(eof.checksum.ok).toBeNull();
      } else {
        expect(eof.checksum.ok).toBe(true);
        expect(eof.checksum.computed).toBe(eof.checksum.stored);
      }
    });

    it('has the function libraries FUNCTION LIST showed', () => {
      const fns = records.flatMap((r) => (r.kind === 'function' ? [{ library: r.library, engine: r.engine?.toUpperCase() ?? null }] : []));
      expect(fns).toEqual(expected.functions);
    });

    it('has the databases, key counts and TTL counts INFO keyspace showed', () => {
      const got = new Map<number, { keys: number; expires: number }>();
      for (const k of keys) {
        const d = got.get(k.db) ?? { keys: 0, expires: 0 };
        d.keys += 1;
        if (k.expireAtMs !== null) d.expires += 1;
        got.set(k.db, d);
      }
      expect(Object.fromEntries(got)).toEqual(Object.fromEntries(expected.databases.map((d) => [d.db, { keys: d.keys, expires: d.expires }])));
    });

    it('describes every key as the server did after loading the file', () => {
      const byKey = new Map(keys.map((k) => [`${k.db}/${hex(k.key)}`, k]));
      for (const d of expected.databases) {
        for (const e of d.keyList) {
          const k = byKey.get(`${d.db}/${e.keyHex}`);
          const label = `db ${d.db} key ${e.key ?? `0x${e.keyHex}`}`;
          expect(k, label).toBeDefined();
          if (!k) continue;
          expect({ type: k.type, encoding: k.encoding, length: k.length, expireAtMs: k.expireAtMs }, label).toEqual({
            type: e.type,
            encoding: e.loadedEncoding,
            length: e.length,
            expireAtMs: e.pexpiretime === -1 ? null : e.pexpiretime,
          });
          if (e.lfuFreq !== undefined) expect(k.lfuFreq, label).toBe(e.lfuFreq);
          if (e.idleSeconds !== undefined) {
            // SAVE ran just after OBJECT IDLETIME; the server's 1 s LRU clock may have ticked since.
            expect(k.idleSeconds, label).toBeGreaterThanOrEqual(e.idleSeconds);
            expect(k.idleSeconds, label).toBeLessThanOrEqual(e.idleSeconds + 1);
          }
          if (e.lfuFreq === undefined) expect(k.lfuFreq, label).toBeNull();
          if (e.idleSeconds === undefined) expect(k.idleSeconds, label).toBeNull();
          if (e.type === 'list' && k.value?.type === 'list') {
            expect(k.value.elements.length, label).toBe(e.length);
            if (k.value.nodes) expect(k.value.nodes.length, label).toBe(e.loadedQuicklistNodes);
          }
          if (e.stream) {
            expect(k.value?.type, label).toBe('stream');
            // XINFO lists the pending IDs; the reader counts them.
            const { groups, ...rest } = e.stream;
            const want = { ...rest, groups: groups.map(({ pendingIds, ...g }) => ({ ...g, pelCount: pendingIds.length })) };
            if (k.value?.type === 'stream') expect(streamFacts(k.value.stream), label).toEqual(want);
          }
        }
      }
      expect(keys.length).toBe(expected.databases.reduce((n, d) => n + d.keys, 0));
    });
  });
});

/** The reader's StreamValue in the shape of the expected file's `stream` (XINFO STREAM FULL), PEL IDs aside. */
function streamFacts(s: StreamValue): unknown {
  return {
    length: s.length,
    listpackNodes: s.nodes.length,
    lastId: id(s.lastId),
    maxDeletedId: id(s.maxDeletedId),
    entriesAdded: s.entriesAdded,
    firstId: id(s.firstId),
    groups: s.groups.map((g) => ({
      name: g.name,
      lastId: id(g.lastId),
      entriesRead: g.entriesRead,
      pelCount: g.pelSize,
      consumers: g.consumers.map((c) => ({ name: c.name, pelCount: c.pelSize })),
    })),
  };
}
