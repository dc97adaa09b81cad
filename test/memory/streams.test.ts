// Streams in the memory model against a real redis-server 7.0. Streams of every size band are
// written with XADD (server-chosen and explicit IDs, same and varying field sets, values that
// cross stream-node-max-bytes, other node limits), then edited with XDEL / XTRIM and given
// consumer groups with pending entries; each key's MEMORY USAGE SAMPLES 0 is compared with the
// model, for both description forms:
//   - entries: the XADDed entries, the IDs gone since, and the groups' PELs (read back with
//     XRANGE / XINFO / XPENDING): the model replays XADD's listpack nodes;
//   - nodes: each listpack's master ID and byte size as the server stores them, read from the DUMP
//     payload (the RDB serialization of the value), which also checks the replayed nodes byte for byte.
// Redis is deterministic here, so the target is exact equality; DEBUG RELOAD checks origin 'load'.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RespClient } from '../helpers/resp-client.js';
import { startRedis, type TestServer } from '../helpers/servers.js';
import type { RespValue } from '../../src/formats/resp/reply-parser.js';
import {
  buildStreamNodes,
  DatasetModel,
  keyMemoryUsage,
  parseStreamId,
  Rax,
  raxNodeCount,
  streamIdKey,
  streamIdRaxNodes,
  encodingFor,
  type StreamEntry,
  type StreamGroupDescription,
  type StreamNodeLimits,
  type ValueDescription,
} from '../../src/memory/index.js';

// ---------------------------------------------------------------- deterministic generation
let seed = 0x57e4a11;
function rnd(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
const TEXT = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:_-.';
function text(len: number): string {
  let s = '';
  for (let i = 0; i < len; i++) s += TEXT[int(0, TEXT.length - 1)];
  return s;
}
/** A value: mostly text, sometimes a canonical integer, sometimes integer-looking text. */
function value(maxLen: number): string {
  const r = rnd();
  if (r < 0.2) return String(int(-100000, 1000000));
  if (r < 0.23) return String(BigInt(int(1, 2 ** 30)) * BigInt(int(1, 2 ** 30)));
  if (r < 0.25) return '007';
  return text(int(0, maxLen));
}

type Cmd = Array<string | number>;
const asText = (r: RespValue): string => {
  if (r.t === 'bulk' || r.t === 'simple') return r.v;
  throw new Error(`expected a text reply, got ${JSON.stringify(r).slice(0, 200)}`);
};
const asInt = (r: RespValue): number => {
  if (r.t !== 'int') throw new Error(`expected an integer reply, got ${JSON.stringify(r).slice(0, 200)}`);
  return Number(r.v);
};
const asArray = (r: RespValue): RespValue[] => {
  if (r.t !== 'array') throw new Error(`expected an array reply, got ${JSON.stringify(r).slice(0, 200)}`);
  return r.v;
};

/** One stream to build: how to write it, with which node limits. */
interface Plan {
  key: string;
  label: string;
  limits?: Partial<StreamNodeLimits>;
  /** XADD arguments per entry: explicit ID or '*', and the field/value pairs. */
  adds: Array<{ id: string; fields: Array<[string, string]> }>;
  /** Commands after the XADDs (XDEL, XTRIM, XGROUP, XREADGROUP, XACK). */
  after: (added: string[]) => Cmd[];
}

function entriesPlan(key: string, label: string, count: number, opts: { fields?: () => number; valueLen?: () => number; vary?: number; explicit?: boolean } = {}): Plan['adds'] {
  const nf = opts.fields ?? (() => 2);
  const vl = opts.valueLen ?? (() => 16);
  const base = ['name', 'value', 'ts', 'kind', 'user', 'x', 'y', 'z', '1', '22', 'payload', 'meta'];
  const master = Array.from({ length: nf() }, (_, i) => base[i % base.length]! + (i >= base.length ? String(i) : ''));
  const adds: Plan['adds'] = [];
  let ms = 1_000_000_000_000n + BigInt(int(0, 1e9));
  let seq = 0n;
  for (let i = 0; i < count; i++) {
    const names = rnd() < (opts.vary ?? 0) ? Array.from({ length: int(1, 6) }, (_, j) => (rnd() < 0.5 ? master[j] ?? `f${j}` : `g${int(0, 9)}`)) : master;
    const unique = [...new Set(names)];
    const fields = unique.map((f) => [f, value(vl())] as [string, string]);
    let id = '*';
    if (opts.explicit) {
      const r = rnd();
      if (r < 0.4) seq += BigInt(int(1, 3));
      else if (r < 0.7) {
        ms += BigInt(int(1, 1000));
        seq = BigInt(int(0, 5));
      } else if (r < 0.9) {
        ms += BigInt(int(1, 2 ** 40));
        seq = BigInt(int(0, 2 ** 20));
      } else {
        ms += 1n;
        seq = BigInt(int(0, 2 ** 62)) * 3n;
      }
      id = `${ms}-${seq}`;
    }
    adds.push({ id, fields });
    void key;
    void label;
  }
  return adds;
}

/** Groups: `groups` groups reading with a few consumers each, acknowledging some entries. */
function groupCommands(key: string, added: string[], groups: number, opts: { ackShare?: number; consumers?: number } = {}): Cmd[] {
  const cmds: Cmd[] = [];
  for (let g = 0; g < groups; g++) {
    const name = `group-${g}-${text(int(0, 12))}`;
    cmds.push(['XGROUP', 'CREATE', key, name, g % 2 === 0 ? '0' : added[Math.floor(added.length / 3)] ?? '0']);
    const consumers = opts.consumers ?? int(1, 4);
    for (let c = 0; c < consumers; c++) {
      const cname = c === 0 ? 'c' : `consumer-${c}-${text(int(0, 40))}`;
      cmds.push(['XREADGROUP', 'GROUP', name, cname, 'COUNT', int(0, Math.max(1, Math.floor(added.length / consumers))) || 1, 'STREAMS', key, '>']);
    }
    if (rnd() < 0.3) cmds.push(['XGROUP', 'CREATECONSUMER', key, name, `idle-${text(5)}`]);
    const share = opts.ackShare ?? 0.3;
    const acks = added.filter(() => rnd() < share);
    for (let i = 0; i < acks.length; i += 500) cmds.push(['XACK', key, name, ...acks.slice(i, i + 500)]);
  }
  return cmds;
}

function plans(): Plan[] {
  const out: Plan[] = [];
  let n = 0;
  const add = (label: string, adds: Plan['adds'], after: Plan['after'] = () => [], limits?: Partial<StreamNodeLimits>) => {
    const key = `stream:${n++}:${text(int(0, 30))}`;
    out.push({ key, label, adds, after: (ids) => after(ids).map((c) => c.map((a) => (a === '$KEY' ? key : a))), limits });
  };
  // Sizes: one node, exactly full, one past, many nodes.
  for (const count of [1, 10, 100, 101, 1000, 10000]) add(`entries ${count}`, entriesPlan('', '', count));
  for (const count of [1, 99, 100, 101, 250, 3000]) add(`explicit IDs ${count}`, entriesPlan('', '', count, { explicit: true }));
  // Field counts and value sizes that cross stream-node-max-bytes; varying field sets.
  for (let i = 0; i < 30; i++) {
    const count = int(1, 400);
    const big = [10, 60, 300, 1500, 5000][int(0, 4)]!;
    add(`fields/values ${count}`, entriesPlan('', '', count, { fields: () => int(1, 14), valueLen: () => int(0, big), vary: [0, 0.1, 0.5, 1][int(0, 3)], explicit: rnd() < 0.5 }));
  }
  add('one huge entry', [{ id: '*', fields: [['blob', text(70000)]] }]);
  add('huge entries', entriesPlan('', '', 20, { valueLen: () => int(3000, 9000) }));
  // Deletions and trimming.
  for (let i = 0; i < 8; i++) {
    add('XDEL random', entriesPlan('', '', int(50, 1500), { vary: 0.2 }), (ids) => {
      const gone = ids.filter(() => rnd() < [0.05, 0.3, 0.7, 0.95][i % 4]!);
      return gone.length ? [['XDEL', '$KEY', ...gone]] : [];
    });
  }
  add('XDEL first node', entriesPlan('', '', 350), (ids) => [['XDEL', '$KEY', ...ids.slice(0, 100)]]);
  add('XDEL last node', entriesPlan('', '', 350), (ids) => [['XDEL', '$KEY', ...ids.slice(300)]]);
  add('XDEL all', entriesPlan('', '', 120), (ids) => [['XDEL', '$KEY', ...ids]]);
  add('XTRIM MAXLEN', entriesPlan('', '', 1000), () => [['XTRIM', '$KEY', 'MAXLEN', 333]]);
  add('XTRIM MAXLEN ~', entriesPlan('', '', 1000), () => [['XTRIM', '$KEY', 'MAXLEN', '~', 333]]);
  add('XTRIM MINID', entriesPlan('', '', 800, { explicit: true }), (ids) => [['XTRIM', '$KEY', 'MINID', ids[517]!]]);
  add('XTRIM MAXLEN 0', entriesPlan('', '', 300), () => [['XTRIM', '$KEY', 'MAXLEN', 0]]);
  add('XADD MAXLEN', entriesPlan('', '', 5), () => [['XADD', '$KEY', 'MAXLEN', 2, '*', 'a', 'b']]);
  // Consumer groups.
  add('group, empty stream', [], () => [['XGROUP', 'CREATE', '$KEY', 'g', '$', 'MKSTREAM']]);
  for (let i = 0; i < 10; i++) {
    const groups = int(1, 4);
    add(`groups ${groups}`, entriesPlan('', '', int(1, 2000), { explicit: rnd() < 0.5, vary: 0.1 }), (ids) => groupCommands('$KEY', ids, groups, { ackShare: rnd() }));
  }
  add('group, everything pending', entriesPlan('', '', 5000, { explicit: true }), (ids) => groupCommands('$KEY', ids, 1, { ackShare: 0, consumers: 3 }));
  add('groups then XDEL', entriesPlan('', '', 600), (ids) => [...groupCommands('$KEY', ids, 2), ['XDEL', '$KEY', ...ids.filter(() => rnd() < 0.4)]]);
  // Other node limits (CONFIG SET while the stream is written).
  add('max-entries 5', entriesPlan('', '', 300), () => [], { nodeMaxEntries: 5 });
  add('max-entries 0', entriesPlan('', '', 400), () => [], { nodeMaxEntries: 0 });
  add('max-entries 1000', entriesPlan('', '', 3000), () => [], { nodeMaxEntries: 1000 });
  add('max-bytes 100', entriesPlan('', '', 300, { valueLen: () => int(0, 40) }), () => [], { nodeMaxBytes: 100 });
  add('max-bytes 0', entriesPlan('', '', 500), () => [], { nodeMaxBytes: 0, nodeMaxEntries: 0 });
  add('max-bytes 65536 / 500', entriesPlan('', '', 2000, { valueLen: () => int(0, 80) }), () => [], { nodeMaxBytes: 65536, nodeMaxEntries: 500 });
  add('max-entries 200, XDEL', entriesPlan('', '', 600), (ids) => [['XDEL', '$KEY', ...ids.filter(() => rnd() < 0.5)]], { nodeMaxEntries: 200 });
  return out;
}

// ---------------------------------------------------------------- reading a stream back

interface Built {
  plan: Plan;
  entries: StreamEntry[];
  deleted: string[];
  groups: StreamGroupDescription[];
  /** The nodes the server stores (from DUMP). */
  stored: Stored[];
}

function pairs(flat: RespValue[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i < flat.length; i += 2) out.push([asText(flat[i]!), asText(flat[i + 1]!)]);
  return out;
}

/** Reads an RDB length (rdbLoadLen) at `at`. */
function rdbLen(b: string, at: number): [number, number] {
  const c = b.charCodeAt(at);
  const kind = c >> 6;
  if (kind === 0) return [c & 0x3f, at + 1];
  if (kind === 1) return [((c & 0x3f) << 8) | b.charCodeAt(at + 1), at + 2];
  if (c === 0x80) return [((b.charCodeAt(at + 1) << 24) >>> 0) + (b.charCodeAt(at + 2) << 16) + (b.charCodeAt(at + 3) << 8) + b.charCodeAt(at + 4), at + 5];
  throw new Error(`unexpected RDB length byte 0x${c.toString(16)} at ${at} (rdbcompression must be off)`);
}

/** A listpack integer entry at `at` (the master entry's counters): value and entry size. */
function lpInt(b: string, at: number): [number, number] {
  const c = b.charCodeAt(at);
  const le = (n: number) => {
    let v = 0;
    for (let i = n; i >= 1; i--) v = v * 256 + b.charCodeAt(at + i);
    return v;
  };
  if (c < 0x80) return [c, at + 2];
  if ((c & 0xe0) === 0xc0) return [((c & 0x1f) << 8) | b.charCodeAt(at + 1), at + 3];
  if (c === 0xf1) return [le(2), at + 4];
  if (c === 0xf2) return [le(3), at + 5];
  if (c === 0xf3) return [le(4), at + 6];
  throw new Error(`unexpected listpack counter encoding 0x${c.toString(16)}`);
}

type Stored = { masterId: string; listpackBytes: number; entries: number; deleted: number };

/** Master IDs, listpack sizes and counters from a DUMP payload of a stream (RDB type 19, no compression). */
function storedNodes(payload: string): Stored[] {
  if (payload.charCodeAt(0) !== 19) throw new Error(`DUMP: expected stream type 19, got ${payload.charCodeAt(0)}`);
  let [count, at] = rdbLen(payload, 1);
  const out: Stored[] = [];
  while (count-- > 0) {
    let len: number;
    [len, at] = rdbLen(payload, at);
    const key = payload.slice(at, at + len);
    at += len;
    [len, at] = rdbLen(payload, at);
    const [entries, next] = lpInt(payload, at + 6);
    const [deleted] = lpInt(payload, next);
    at += len;
    let ms = 0n;
    let seq = 0n;
    for (let i = 0; i < 8; i++) {
      ms = (ms << 8n) | BigInt(key.charCodeAt(i));
      seq = (seq << 8n) | BigInt(key.charCodeAt(8 + i));
    }
    out.push({ masterId: `${ms}-${seq}`, listpackBytes: len, entries, deleted });
  }
  return out;
}

const LIMIT_CONFIG: Record<keyof StreamNodeLimits, string> = { nodeMaxBytes: 'stream-node-max-bytes', nodeMaxEntries: 'stream-node-max-entries' };

async function build(c: RespClient, plan: Plan): Promise<Omit<Built, 'stored'>> {
  const set = Object.entries(plan.limits ?? {}) as Array<[keyof StreamNodeLimits, number]>;
  if (set.length) await c.pipeline(set.map(([k, v]) => ['CONFIG', 'SET', LIMIT_CONFIG[k], v]));
  const ids: string[] = [];
  for (let i = 0; i < plan.adds.length; i += 1000) {
    const chunk = plan.adds.slice(i, i + 1000);
    const replies = await c.pipeline(chunk.map((a) => ['XADD', plan.key, a.id, ...a.fields.flat()]));
    ids.push(...replies.map(asText));
  }
  const after = plan.after(ids);
  const entries: StreamEntry[] = plan.adds.map((a, i) => ({ id: ids[i]!, fields: a.fields }));
  for (const cmd of after) {
    const r = await c.call(...cmd);
    if (r.t === 'error') throw new Error(`${cmd.slice(0, 3).join(' ')}: ${r.v}`);
    // XADD with MAXLEN adds an entry of its own.
    if (String(cmd[0]).toUpperCase() === 'XADD') {
      const k = cmd.indexOf('*');
      entries.push({ id: asText(r), fields: pairs(cmd.slice(k + 1).map((v) => ({ t: 'bulk', v: String(v) }) as RespValue)) });
    }
  }
  if (set.length) await c.pipeline(set.map(([k]) => ['CONFIG', 'SET', LIMIT_CONFIG[k], k === 'nodeMaxBytes' ? 4096 : 100]));
  // What is left: XRANGE; the groups and their PELs: XINFO GROUPS / CONSUMERS, XPENDING.
  const left = new Set(asArray(await c.call('XRANGE', plan.key, '-', '+')).map((e) => asText(asArray(e)[0]!)));
  const deleted = entries.map((e) => String(e.id)).filter((id) => !left.has(id));
  const groups: StreamGroupDescription[] = [];
  for (const g of asArray(await c.call('XINFO', 'GROUPS', plan.key))) {
    const info = asArray(g);
    const name = asText(info[1]!);
    const consumers = asArray(await c.call('XINFO', 'CONSUMERS', plan.key, name)).map((x) => asText(asArray(x)[1]!));
    const pending = new Map<string, string[]>(consumers.map((n) => [n, []]));
    for (const p of asArray(await c.call('XPENDING', plan.key, name, '-', '+', 1_000_000))) {
      const [id, owner] = asArray(p);
      pending.get(asText(owner!))!.push(asText(id!));
    }
    groups.push({ name, consumers: consumers.map((n) => ({ name: n, pending: pending.get(n)! })) });
  }
  return { plan, entries, deleted, groups };
}

async function usageOf(c: RespClient, keys: string[]): Promise<number[]> {
  return (await c.pipeline(keys.map((k) => ['MEMORY', 'USAGE', k, 'SAMPLES', 0]))).map(asInt);
}

async function dumpNodes(c: RespClient, keys: string[]): Promise<Stored[][]> {
  return (await c.pipeline(keys.map((k) => ['DUMP', k]))).map((r) => storedNodes(asText(r)));
}

// ---------------------------------------------------------------- error statistics

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}
interface Outcome {
  label: string;
  model: number;
  actual: number;
}
function report(title: string, rows: Outcome[]): { median: number; p95: number; max: number; exact: number; lines: string } {
  const errs = rows.map((r) => Math.abs(r.model - r.actual) / r.actual).sort((a, b) => a - b);
  const pct = (x: number) => `${(x * 100).toFixed(3)}%`;
  const misses = rows.filter((r) => r.model !== r.actual).map((r) => `  ${r.label}: model ${r.model}, actual ${r.actual} (${r.model - r.actual > 0 ? '+' : ''}${r.model - r.actual})`);
  const s = { median: quantile(errs, 0.5), p95: quantile(errs, 0.95), max: errs.at(-1) ?? 0, exact: rows.length - misses.length };
  const lines = [`${title}: ${rows.length} streams, ${s.exact} exact, median ${pct(s.median)}, p95 ${pct(s.p95)}, max ${pct(s.max)}`, ...misses.slice(0, 12)].join('\n');
  return { ...s, lines };
}

// ---------------------------------------------------------------- the tests

describe('rax node count (replay of rax.c)', () => {
  const key = (ms: bigint, seq: bigint) => streamIdKey({ ms, seq });

  it('counts the nodes an empty tree, one key and two keys need', () => {
    expect(raxNodeCount([])).toBe(1);
    // One key: the head becomes a 16-byte compressed node, plus the key's leaf.
    expect(raxNodeCount([key(1n, 1n)])).toBe(2);
    // 1-1 and 2-1 differ in byte 7: head run of 7, a branch, then a run of 8 and a leaf per key.
    expect(raxNodeCount([key(1n, 1n), key(2n, 1n)])).toBe(6);
    // 1-1 and 1-2 differ in the last byte: head run of 15, a branch, two leaves.
    expect(raxNodeCount([key(1n, 1n), key(1n, 2n)])).toBe(4);
    expect(streamIdRaxNodes(['1-1', '1-2', '1-3'])).toBe(5);
  });

  it('walk count equals numnodes, and any history ends in the tree of the remaining keys', () => {
    for (let round = 0; round < 40; round++) {
      const r = new Rax();
      const live = new Map<string, Uint8Array>();
      const keys: Uint8Array[] = [];
      for (let i = 0; i < 300; i++) {
        const ms = BigInt(int(0, 3)) * 2n ** BigInt(int(0, 60)) + BigInt(int(0, 300));
        keys.push(key(ms, BigInt(int(0, 2)) * BigInt(int(0, 1000))));
      }
      for (let step = 0; step < 600; step++) {
        const k = keys[int(0, keys.length - 1)]!;
        const id = Array.from(k).join(',');
        if (rnd() < 0.6) {
          expect(r.insert(k)).toBe(!live.has(id));
          live.set(id, k);
        } else {
          expect(r.remove(k)).toBe(live.has(id));
          live.delete(id);
        }
        expect(r.numele).toBe(live.size);
      }
      expect(r.countNodes()).toBe(r.numnodes);
      const sorted = [...live.values()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
      expect(r.numnodes).toBe(raxNodeCount(sorted));
      // Insertion order does not change the tree either.
      expect(raxNodeCount([...sorted].reverse())).toBe(r.numnodes);
    }
  });

  it('variable-length keys (group and consumer names) split and recompress like rax.c', () => {
    const r = new Rax();
    for (const k of ['abc', 'abd', 'ab', 'a', 'abcdef', 'x']) r.insert(k);
    expect(r.countNodes()).toBe(r.numnodes);
    for (const k of ['abd', 'ab', 'abcdef']) expect(r.remove(k)).toBe(true);
    expect(r.countNodes()).toBe(r.numnodes);
    expect(r.numele).toBe(3);
  });
});

describe('stream IDs and listpack nodes', () => {
  it('parses IDs and encodes rax keys big-endian', () => {
    expect(parseStreamId('5-7')).toEqual({ ms: 5n, seq: 7n });
    expect(parseStreamId('5')).toEqual({ ms: 5n, seq: 0n });
    expect(() => parseStreamId('5-x')).toThrow(/not a stream ID/);
    expect(Array.from(streamIdKey('258-1'))).toEqual([0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 1]);
  });

  it('rejects entries out of ID order', () => {
    expect(() => buildStreamNodes([{ id: '2-0', fields: [['a', 'b']] }, { id: '1-0', fields: [['a', 'b']] }])).toThrow(/increasing ID order/);
  });

  it('reports the stream encoding', () => {
    expect(encodingFor({ type: 'stream', entries: [] })).toBe('stream');
  });
});

describe('streams vs redis-server 7.0 (MEMORY USAGE SAMPLES 0)', () => {
  let server: TestServer;
  let c: RespClient;
  let built: Built[];
  let usedBefore = 0;
  let usedAfter = 0;

  /** used_memory once serverCron has had a pass (client buffers settled). */
  const usedMemory = async (): Promise<number> => {
    await new Promise((r) => setTimeout(r, 300));
    const info = asText(await c.call('INFO', 'memory'));
    return Number(/used_memory:(\d+)/.exec(info)![1]);
  };

  beforeAll(async () => {
    server = await startRedis({ rdbcompression: 'no' });
    c = await RespClient.connect(server.port);
    // Every command once first: each allocates a latency histogram on first use.
    const warm = await build(c, {
      key: 'warm',
      label: 'warm',
      limits: { nodeMaxEntries: 100 },
      adds: entriesPlan('', '', 3),
      after: (ids) => [['XDEL', 'warm', ids[0]!], ['XTRIM', 'warm', 'MAXLEN', 5], ...groupCommands('warm', ids, 1, { consumers: 1 }), ['XGROUP', 'CREATECONSUMER', 'warm', 'x', 'y']],
    }).catch(() => undefined);
    void warm;
    await c.pipeline([['DUMP', 'warm'], ['MEMORY', 'USAGE', 'warm', 'SAMPLES', 0], ['OBJECT', 'ENCODING', 'warm'], ['DEL', 'warm'], ['INFO', 'memory']]);
    usedBefore = await usedMemory();
    built = [];
    for (const plan of plans()) built.push({ ...(await build(c, plan)), stored: [] });
    usedAfter = await usedMemory();
    const stored = await dumpNodes(c, built.map((b) => b.plan.key));
    built.forEach((b, i) => (b.stored = stored[i]!));
  }, 120_000);
  afterAll(async () => {
    c?.close();
    await server?.stop();
  });

  const entriesDesc = (b: Built): ValueDescription => ({ type: 'stream', entries: b.entries, deleted: b.deleted, groups: b.groups, limits: b.plan.limits });
  const nodesDesc = (b: Built, groups = b.groups): ValueDescription => ({ type: 'stream', nodes: b.stored, groups, limits: b.plan.limits });
  /** The groups as an RDB summary has them: PEL sizes only. */
  const countsOnly = (b: Built): StreamGroupDescription[] =>
    b.groups.map((g) => ({ name: g.name, consumers: g.consumers.map((x) => ({ name: x.name, pelSize: x.pending!.length })) }));

  it('replays XADD into the listpack nodes the server stores (DUMP)', () => {
    const mismatches: string[] = [];
    for (const b of built) {
      const model = buildStreamNodes(b.entries, b.deleted, b.plan.limits).map((n) => ({ masterId: `${n.masterId.ms}-${n.masterId.seq}`, listpackBytes: n.bytes, entries: n.entries, deleted: n.deleted }));
      if (JSON.stringify(model) !== JSON.stringify(b.stored)) mismatches.push(`${b.plan.label} (${b.plan.key}): model ${JSON.stringify(model).slice(0, 300)} stored ${JSON.stringify(b.stored).slice(0, 300)}`);
    }
    expect(mismatches).toEqual([]);
    expect(built.reduce((n, b) => n + b.stored.length, 0)).toBeGreaterThan(300);
  });

  it('entries form and nodes form, as written by commands', async () => {
    const actual = await usageOf(c, built.map((b) => b.plan.key));
    const enc = (await c.pipeline(built.map((b) => ['OBJECT', 'ENCODING', b.plan.key]))).map(asText);
    expect(enc.every((e) => e === 'stream')).toBe(true);
    const entries = report('entries form (write)', built.map((b, i) => ({ label: `${b.plan.label} ${b.plan.key}`, model: keyMemoryUsage(b.plan.key, entriesDesc(b)), actual: actual[i]! })));
    const nodes = report('nodes form (write)', built.map((b, i) => ({ label: `${b.plan.label} ${b.plan.key}`, model: keyMemoryUsage(b.plan.key, nodesDesc(b)), actual: actual[i]! })));
    // The nodes form assumes the last node is the one XADD last wrote (its 4096-byte preallocation
    // intact); where deletions removed that node, the new last node was trimmed to fit earlier.
    const tailGone = built.filter((b) => {
      const all = buildStreamNodes(b.entries, [], b.plan.limits);
      const last = all.at(-1)?.masterId;
      const now = b.stored.at(-1)?.masterId;
      return last !== undefined && now !== undefined && now !== `${last.ms}-${last.seq}`;
    });
    // Likewise where XDEL rewrote entries of the last-written node in place: Redis may have
    // reallocated it, so its spare capacity is no longer the one XADD left.
    const tailTouched = built.filter((b) => {
      if (tailGone.includes(b)) return false;
      const n = buildStreamNodes(b.entries, [], b.plan.limits).at(-1)?.entries ?? 0;
      const lastIds = new Set(b.entries.slice(-n).map((e) => String(e.id)));
      return b.deleted.some((id) => lastIds.has(id));
    });
    console.log([entries.lines, nodes.lines, `  (${tailGone.length} streams lost their last-written node, ${tailTouched.length} had it rewritten by XDEL)`].join('\n'));
    expect(entries.exact).toBe(built.length);
    // Either kind may still land in the same size class, hence >=.
    expect(nodes.exact).toBeGreaterThanOrEqual(built.length - tailGone.length - tailTouched.length);
    expect(tailGone.length).toBeLessThanOrEqual(4);
  });

  it('what the streams really allocate (used_memory growth)', () => {
    const m = new DatasetModel();
    for (const b of built) m.add(b.plan.key, entriesDesc(b));
    const model = m.totals().allocated;
    const actual = usedAfter - usedBefore;
    const err = Math.abs(model - actual) / actual;
    console.log(`used_memory growth: actual ${actual}, model ${model}, error ${(err * 100).toFixed(3)}%`);
    expect(err).toBeLessThanOrEqual(0.02);
  });

  it('after DEBUG RELOAD (origin load), with PEL IDs and with PEL sizes only', async () => {
    await c.call('DEBUG', 'RELOAD');
    const actual = await usageOf(c, built.map((b) => b.plan.key));
    const rows = (f: (b: Built) => ValueDescription) => built.map((b, i) => ({ label: `${b.plan.label} ${b.plan.key}`, model: keyMemoryUsage(b.plan.key, f(b), { origin: 'load' }), actual: actual[i]! }));
    const entries = report('entries form (load)', rows(entriesDesc));
    const nodes = report('nodes form (load)', rows((b) => nodesDesc(b)));
    const withGroups = built.filter((b) => b.groups.some((g) => g.consumers.some((x) => x.pending!.length > 0)));
    const estimated = report(
      'nodes form (load), groups with PEL sizes only',
      withGroups.map((b) => ({ label: `${b.plan.label} ${b.plan.key}`, model: keyMemoryUsage(b.plan.key, nodesDesc(b, countsOnly(b)), { origin: 'load' }), actual: actual[built.indexOf(b)]! })),
    );
    console.log([entries.lines, nodes.lines, estimated.lines].join('\n'));
    expect(entries.exact).toBe(built.length);
    expect(nodes.exact).toBe(built.length);
    expect(withGroups.length).toBeGreaterThan(5);
    expect(estimated.median).toBeLessThanOrEqual(0.25);
  });
});
