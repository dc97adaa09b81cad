// The memory model against a real redis-server 7.0: a few thousand keys of every type, size band
// and encoding are written the way clients write them, then every key's MEMORY USAGE SAMPLES 0,
// OBJECT ENCODING and the server's INFO memory are compared with the model. Prints an error table
// per type/encoding; the targets are a median relative error <= 1% and a 95th percentile <= 5%
// per key (skiplist zsets, whose node levels are random, reported and bounded separately), and
// the projected used_memory_dataset within 2%. A second pass reloads the data (DEBUG RELOAD) and
// checks the model's 'load' origin the same way.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { encodeCommand, RespClient } from '../helpers/resp-client.js';
import { startRedis, type TestServer } from '../helpers/servers.js';
import type { RespValue } from '../../src/formats/resp/reply-parser.js';
import { DatasetModel, encodingFor, keyMemoryUsage, type ValueDescription } from '../../src/memory/index.js';

type Cmd = Array<string | number>;
interface KeySpec {
  key: string;
  desc: ValueDescription;
  cmds: Cmd[];
  ttl: boolean;
  /** Send on a connection of its own (big string arguments reuse the query buffer). */
  alone?: boolean;
  /** Reported under this label instead of type/encoding. */
  label?: string;
}

// ---------------------------------------------------------------- deterministic generation
let seed = 0x5eed1234;
function rnd(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
const pick = <T>(xs: T[]): T => xs[int(0, xs.length - 1)]!;
const TEXT = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ:_-.';
function freshBytes(len: number, binary: boolean): string {
  let s = '';
  for (let i = 0; i < len; i++) s += binary ? String.fromCharCode(int(0, 255)) : TEXT[int(0, TEXT.length - 1)];
  return s;
}
/** Long values are cut from random pools (content does not matter past the first bytes). */
const POOLS = { text: freshBytes(65536, false), binary: freshBytes(65536, true) };
function bytes(len: number, binary = rnd() < 0.3): string {
  if (len <= 256) return freshBytes(len, binary);
  const pool = binary ? POOLS.binary : POOLS.text;
  let s = freshBytes(16, binary);
  while (s.length < len) {
    const at = int(0, pool.length - 1);
    s += pool.slice(at, at + Math.min(len - s.length, pool.length - at));
  }
  return s;
}
/** An element: mostly text, sometimes a canonical integer, sometimes integer-looking text. */
function element(maxLen: number): string {
  const r = rnd();
  if (r < 0.15) return String(int(-100000, 100000));
  if (r < 0.2) return String(BigInt(int(0, 2 ** 30)) * BigInt(int(1, 2 ** 30)) * (rnd() < 0.5 ? -1n : 1n));
  if (r < 0.22) return pick(['007', '-0', '+1', ' 1', '1.5']);
  return bytes(int(1, maxLen));
}
let keySerial = 0;
/** Key names of every sds header size; 64 KiB names only where one command writes the key. */
function keyName(huge = false): string {
  const prefix = `k${keySerial++}:`;
  const r = rnd();
  const len = r < 0.6 ? int(0, 24) : r < 0.9 ? int(25, 250) : r < 0.98 || !huge ? int(251, 700) : int(60000, 70000);
  return prefix + bytes(len);
}
function score(): number {
  const r = rnd();
  if (r < 0.4) return int(-1000, 100000);
  if (r < 0.8) return Math.round(rnd() * 1e6) / 100;
  if (r < 0.95) return (rnd() - 0.5) * 10 ** int(-10, 30);
  return pick([Infinity, -Infinity, 2 ** 62, 2 ** 62 + 2048, -0, 0.1]);
}
const wireScore = (s: number) => (s === Infinity ? '+inf' : s === -Infinity ? '-inf' : String(s));

function stringKey(value: string, opts: { alone?: boolean } = {}): KeySpec {
  const key = keyName(true);
  return { key, desc: { type: 'string', value }, cmds: [['SET', key, value]], ttl: false, alone: opts.alone };
}

function generate(): KeySpec[] {
  const specs: KeySpec[] = [];
  // Strings: integers (shared 0..9999 and private), edge texts, embstr 0..44, raw bands.
  for (const v of ['0', '9999', '10000', '-1', '9223372036854775807', '-9223372036854775808', '9223372036854775808', '-0', '007', '+5', '12345678901234567890', ''])
    specs.push(stringKey(v));
  for (let i = 0; i < 150; i++) specs.push(stringKey(String(int(0, 9999))));
  for (let i = 0; i < 150; i++) specs.push(stringKey(String(BigInt(int(10000, 2 ** 31)) * BigInt(int(1, 2 ** 31)) * (rnd() < 0.3 ? -1n : 1n))));
  for (let len = 0; len <= 46; len++) for (let j = 0; j < 6; j++) specs.push(stringKey(bytes(len)));
  for (let i = 0; i < 250; i++) specs.push(stringKey(bytes(int(45, 400))));
  for (let i = 0; i < 120; i++) specs.push(stringKey(bytes(int(400, 32000))));
  for (const len of [32766, 32767, 32768, 40950, 40951, 65533, 65534, 65535, 65536, 100000, 262144, 1_500_000])
    specs.push(stringKey(bytes(len), { alone: true }));
  for (let i = 0; i < 24; i++) specs.push(stringKey(bytes(int(32768, 300000)), { alone: true }));
  // Strings grown by APPEND.
  for (let i = 0; i < 40; i++) {
    const key = keyName();
    const first = rnd() < 0.3 ? String(int(0, 20000)) : bytes(int(0, 100));
    const pieces = Array.from({ length: int(1, 12) }, () => bytes(int(1, rnd() < 0.2 ? 5000 : 80)));
    specs.push({
      key,
      desc: { type: 'string', value: first + pieces.join(''), appended: pieces.map((p) => p.length) },
      cmds: [['SET', key, first], ...pieces.map((p) => ['APPEND', key, p])],
      ttl: false,
      label: 'string/raw (APPEND)',
    });
  }
  // Lists: small, multi-node, large elements, integers, built from either end.
  for (let i = 0; i < 420; i++) {
    const key = keyName();
    const r = rnd();
    const count = r < 0.6 ? int(1, 40) : r < 0.9 ? int(40, 800) : int(800, 4000);
    const maxLen = count <= 40 && rnd() < 0.3 ? 12000 : rnd() < 0.3 ? 300 : 40;
    const elements = Array.from({ length: count }, () => element(maxLen));
    const head = rnd() < 0.3;
    const cmds: Cmd[] = [];
    for (let j = 0; j < count; j += 200) {
      const chunk = elements.slice(j, j + 200);
      cmds.push(head ? ['LPUSH', key, ...chunk] : ['RPUSH', key, ...chunk]);
    }
    // LPUSH puts the last pushed element first.
    const listOrder = head ? [...elements].reverse() : elements;
    specs.push({ key, desc: { type: 'list', elements: listOrder, pushedTo: head ? 'head' : 'tail' }, cmds, ttl: false });
  }
  // Hashes: listpack up to 512 fields of <= 64 bytes, hashtable by count or by a long field/value.
  const hashCounts = [1, 2, 10, 100, 511, 512, 513, 514, 700, 1023, 1024, 1025, 1100, 1400, 2048, 2049, 2500, 4000];
  for (let i = 0; i < 520; i++) {
    const key = keyName();
    const r = rnd();
    const count = i < hashCounts.length ? hashCounts[i]! : r < 0.7 ? int(1, 60) : r < 0.85 ? int(60, 512) : int(513, 2000);
    const longAt = rnd() < 0.25 ? int(0, count - 1) : -1;
    const fields: Array<[string, string]> = [];
    for (let j = 0; j < count; j++) {
      const f = rnd() < 0.1 ? String(j) : `f${j}:${bytes(int(0, 20))}`;
      const v = j === longAt ? bytes(int(65, 2000)) : rnd() < 0.02 ? bytes(64) : element(rnd() < 0.5 ? 10 : 64);
      fields.push([f, v]);
    }
    const cmds: Cmd[] = fields.map(([f, v]) => ['HSET', key, f, v]);
    specs.push({ key, desc: { type: 'hash', fields }, cmds, ttl: false });
  }
  // Sets: intsets of each width up to the limit, hashtables by count or by a non-integer member.
  const setCounts = [1, 5, 100, 511, 512, 513, 514, 1000, 1024, 1025, 2000, 5000];
  for (let i = 0; i < 420; i++) {
    const key = keyName();
    const r = rnd();
    const count = i < setCounts.length ? setCounts[i]! : r < 0.6 ? int(1, 100) : r < 0.85 ? int(100, 512) : int(513, 3000);
    const width = pick([2, 4, 8]);
    const bound = width === 2 ? 30000 : width === 4 ? 2 ** 31 - 1 : 2 ** 52;
    const nonIntAt = rnd() < 0.35 ? int(0, count - 1) : -1;
    const members: string[] = [];
    for (let j = 0; j < count; j++) {
      if (nonIntAt >= 0 && j >= nonIntAt) members.push(rnd() < 0.3 ? String(int(-1e6, 1e6)) : `m${j}${bytes(int(0, rnd() < 0.1 ? 200 : 20))}`);
      else members.push(String(width === 2 ? int(-bound, bound) : Math.trunc((rnd() - 0.5) * 2 * bound)));
    }
    const cmds: Cmd[] = [];
    for (let j = 0; j < count; j += 100) cmds.push(['SADD', key, ...members.slice(j, j + 100)]);
    specs.push({ key, desc: { type: 'set', members }, cmds, ttl: false });
  }
  // Sorted sets: listpack up to 128 members of <= 64 bytes, skiplist beyond.
  const zsetCounts = [1, 3, 127, 128, 129, 130, 255, 256, 257, 600, 1000, 3000];
  for (let i = 0; i < 420; i++) {
    const key = keyName();
    const r = rnd();
    const count = i < zsetCounts.length ? zsetCounts[i]! : r < 0.65 ? int(1, 128) : int(129, 1500);
    const longAt = rnd() < 0.15 ? int(0, count - 1) : -1;
    const members: Array<[string, number]> = [];
    for (let j = 0; j < count; j++) {
      const m = j === longAt ? bytes(int(65, 300)) : rnd() < 0.15 ? String(j) : `m${j}:${bytes(int(0, rnd() < 0.05 ? 62 : 16))}`;
      members.push([m, score()]);
    }
    const cmds: Cmd[] = members.map(([m, s]) => ['ZADD', key, wireScore(s), m]);
    specs.push({ key, desc: { type: 'zset', members }, cmds, ttl: false });
  }
  // Exact encoding boundaries.
  const hashOf = (fields: Array<[string, string]>) => {
    const key = keyName();
    specs.push({ key, desc: { type: 'hash', fields }, cmds: fields.map(([f, v]) => ['HSET', key, f, v]), ttl: false });
  };
  hashOf([['a', 'x'.repeat(64)], ['b', '1']]);
  hashOf([['a', 'x'.repeat(65)], ['b', '1']]);
  hashOf([['f'.repeat(64), 'v']]);
  hashOf([['f'.repeat(65), 'v']]);
  hashOf(Array.from({ length: 600 }, (_, j) => [`f${j}`, j === 300 ? 'y'.repeat(65) : 'v']));
  const zsetOf = (members: Array<[string, number]>) => {
    const key = keyName();
    specs.push({ key, desc: { type: 'zset', members }, cmds: members.map(([m, sc]) => ['ZADD', key, wireScore(sc), m]), ttl: false });
  };
  zsetOf([['m'.repeat(64), 1], ['b', 2.5]]);
  zsetOf([['m'.repeat(65), 1], ['b', 2.5]]);
  zsetOf(Array.from({ length: 50 }, (_, j) => [j === 20 ? 'z'.repeat(65) : `m${j}`, j]));
  const setOf = (members: string[]) => {
    const key = keyName();
    specs.push({ key, desc: { type: 'set', members }, cmds: [['SADD', key, ...members]], ttl: false });
  };
  setOf(['1', '32767', '-32768']);
  setOf(['1', '32768']);
  setOf(['1', '2147483647', '-2147483648']);
  setOf(['1', '2147483648']);
  setOf(['1', '9223372036854775807', '-9223372036854775808']);
  setOf(['1', '9223372036854775808']);
  setOf(['1', '01']);
  const listOf = (elements: string[]) => {
    const key = keyName();
    specs.push({ key, desc: { type: 'list', elements }, cmds: [['RPUSH', key, ...elements]], ttl: false });
  };
  for (const len of [4000, 4090, 4095, 8000, 8176, 8177, 8184, 8185, 9000, 70000]) listOf([bytes(len), bytes(len), 'a', bytes(len)]);
  listOf(Array.from({ length: 3000 }, (_, j) => String(j)));
  listOf(Array.from({ length: 3000 }, () => 'x'));

  // An empty key name, and TTLs on a fifth of the keys.
  specs.push({ key: '', desc: { type: 'string', value: 'empty key' }, cmds: [['SET', '', 'empty key']], ttl: false });
  for (const s of specs) {
    if (rnd() < 0.2) {
      s.ttl = true;
      s.cmds.push(['EXPIRE', s.key, 100000]);
    }
  }
  return specs;
}

// ---------------------------------------------------------------- server helpers
const asInt = (r: RespValue): number => {
  if (r.t !== 'int') throw new Error(`expected an integer reply, got ${JSON.stringify(r).slice(0, 200)}`);
  return Number(r.v);
};
const asText = (r: RespValue): string => {
  if (r.t === 'bulk' || r.t === 'simple' || r.t === 'verbatim') return r.v;
  throw new Error(`expected a text reply, got ${JSON.stringify(r).slice(0, 200)}`);
};

/**
 * Writes commands whose replies are all one line (+OK, :n, -ERR) and waits for every reply:
 * faster than reply objects for a few hundred thousand writes.
 */
async function send(port: number, cmds: Cmd[]): Promise<void> {
  const socket = net.connect({ port, host: '127.0.0.1' });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  try {
    await new Promise<void>((resolve, reject) => {
      let pending = cmds.length;
      let tail = '';
      socket.on('data', (chunk: Buffer) => {
        const text = tail + chunk.toString('latin1');
        const lines = text.split('\r\n');
        tail = lines.pop()!;
        for (const line of lines) {
          if (line.startsWith('-')) return reject(new Error(`server error: ${line}`));
          if (line.startsWith('$') || line.startsWith('*')) return reject(new Error(`unexpected multi-line reply: ${line}`));
          pending--;
        }
        if (pending === 0) resolve();
      });
      socket.once('error', reject);
      for (let i = 0; i < cmds.length; i += 5000) socket.write(Buffer.concat(cmds.slice(i, i + 5000).map(encodeCommand)));
      if (pending === 0) resolve();
    });
  } finally {
    socket.destroy();
  }
}

/** Runs commands whatever their replies (errors fail the test). */
async function call(port: number, cmds: Cmd[]): Promise<void> {
  const c = await RespClient.connect(port);
  try {
    const err = (await c.pipeline(cmds)).find((r) => r.t === 'error');
    if (err) throw new Error(`server error: ${JSON.stringify(err)}`);
  } finally {
    c.close();
  }
}

async function infoMemory(port: number): Promise<Record<string, number>> {
  const c = await RespClient.connect(port);
  try {
    const text = asText(await c.call('INFO', 'memory'));
    const out: Record<string, number> = {};
    for (const line of text.split('\r\n')) {
      const [k, v] = line.split(':');
      if (k && v !== undefined && /^-?\d+$/.test(v)) out[k] = Number(v);
    }
    return out;
  } finally {
    c.close();
  }
}

async function memoryStatsDb0(port: number): Promise<Record<string, number>> {
  const c = await RespClient.connect(port);
  try {
    const r = await c.call('MEMORY', 'STATS');
    if (r.t !== 'array') throw new Error('MEMORY STATS: unexpected reply');
    for (let i = 0; i < r.v.length; i += 2) {
      if (asText(r.v[i]!) !== 'db.0') continue;
      const m = r.v[i + 1]!;
      if (m.t !== 'array') break;
      const out: Record<string, number> = {};
      for (let j = 0; j < m.v.length; j += 2) out[asText(m.v[j]!)] = asInt(m.v[j + 1]!);
      return out;
    }
    return {};
  } finally {
    c.close();
  }
}

/** Waits until serverCron has finished rehashing db 0 (DEBUG HTSTATS reports one table). */
async function settle(port: number): Promise<void> {
  const c = await RespClient.connect(port);
  try {
    for (let i = 0; i < 100; i++) {
      const text = asText(await c.call('DEBUG', 'HTSTATS', 0));
      if (!text.includes('rehashing target')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 300)); // one more cron pass: client memory stats refreshed
  } finally {
    c.close();
  }
}

interface Measured {
  usage: number[];
  encoding: string[];
}
async function measure(port: number, specs: KeySpec[]): Promise<Measured> {
  const c = await RespClient.connect(port);
  try {
    const usage = (await c.pipeline(specs.map((s) => ['MEMORY', 'USAGE', s.key, 'SAMPLES', 0]))).map(asInt);
    const encoding = (await c.pipeline(specs.map((s) => ['OBJECT', 'ENCODING', s.key]))).map(asText);
    return { usage, encoding };
  } finally {
    c.close();
  }
}

// ---------------------------------------------------------------- error statistics
interface Row {
  group: string;
  count: number;
  bytes: number;
  median: number;
  p95: number;
  max: number;
}
function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}
function summarize(group: string, errs: number[], bytes: number): Row {
  const s = [...errs].sort((a, b) => a - b);
  return { group, count: s.length, bytes, median: quantile(s, 0.5), p95: quantile(s, 0.95), max: s.at(-1) ?? 0 };
}
function table(title: string, rows: Row[]): string {
  const pct = (x: number) => `${(x * 100).toFixed(3)}%`;
  const head = `${'type/encoding'.padEnd(24)}${'count'.padStart(7)}${'MB'.padStart(8)}${'median'.padStart(11)}${'p95'.padStart(11)}${'max'.padStart(11)}`;
  const lines = [title, head];
  for (const r of rows) {
    const mb = (r.bytes / 1e6).toFixed(2);
    lines.push(`${r.group.padEnd(24)}${String(r.count).padStart(7)}${mb.padStart(8)}${pct(r.median).padStart(11)}${pct(r.p95).padStart(11)}${pct(r.max).padStart(11)}`);
  }
  return lines.join('\n');
}

function shapeOf(d: ValueDescription): string {
  if (d.type === 'hash' && 'fields' in d) return `fields ${d.fields.length} firstLong ${d.fields.findIndex(([f, v]) => f.length > 64 || v.length > 64)}`;
  if (d.type === 'set' && 'members' in d) return `members ${d.members.length} unique ${new Set(d.members).size} firstNonInt ${d.members.findIndex((m) => !/^(0|-?[1-9][0-9]*)$/.test(String(m)))}`;
  if (d.type === 'zset' && 'members' in d) return `members ${d.members.length}`;
  return '';
}

interface Comparison {
  rows: Row[];
  overall: Row;
  skiplist: Row;
  encodingMismatches: string[];
  worst: string[];
}
function compare(specs: KeySpec[], m: Measured, origin: 'write' | 'load'): Comparison {
  const byGroup = new Map<string, number[]>();
  const bytesOf = new Map<string, number>();
  const all: number[] = [];
  const skip: number[] = [];
  let allBytes = 0;
  let skipBytes = 0;
  const encodingMismatches: string[] = [];
  const scored: Array<[number, string]> = [];
  specs.forEach((s, i) => {
    const enc = encodingFor(s.desc, {}, undefined, origin);
    if (enc !== m.encoding[i]) encodingMismatches.push(`${s.desc.type} ${JSON.stringify(s.key.slice(0, 30))}: model ${enc}, server ${m.encoding[i]}`);
    const model = keyMemoryUsage(s.key, s.desc, { origin });
    const actual = m.usage[i]!;
    const err = Math.abs(model - actual) / actual;
    const group = s.label ?? `${s.desc.type}/${m.encoding[i]}`;
    byGroup.set(group, [...(byGroup.get(group) ?? []), err]);
    bytesOf.set(group, (bytesOf.get(group) ?? 0) + actual);
    if (group === 'zset/skiplist') {
      skip.push(err);
      skipBytes += actual;
    } else {
      all.push(err);
      allBytes += actual;
    }
    scored.push([err, `${group} ${JSON.stringify(s.key.slice(0, 24))} model ${model} actual ${actual} ${shapeOf(s.desc)}`]);
  });
  const rows = [...byGroup].sort((a, b) => a[0].localeCompare(b[0])).map(([g, e]) => summarize(g, e, bytesOf.get(g)!));
  const worst = scored.sort((a, b) => b[0] - a[0]).slice(0, 8).map(([e, t]) => `${(e * 100).toFixed(2)}% ${t}`);
  return { rows, overall: summarize('all but skiplist', all, allBytes), skiplist: summarize('zset/skiplist', skip, skipBytes), encodingMismatches, worst };
}

// ---------------------------------------------------------------- the test
/** Every command (and subcommand) the test runs: 14 distinct, each allocating a latency histogram. */
const WARM_UP: Cmd[] = [
  ['SET', 'w', 'x'], ['APPEND', 'w', 'y'], ['RPUSH', 'l', 'a'], ['LPUSH', 'l', 'b'], ['HSET', 'h', 'f', 'v'], ['SADD', 's', 'm'],
  ['ZADD', 'z', '1', 'm'], ['EXPIRE', 'w', 100], ['MEMORY', 'USAGE', 'w', 'SAMPLES', 0], ['OBJECT', 'ENCODING', 'w'],
  ['INFO', 'memory'], ['MEMORY', 'STATS'], ['DEBUG', 'HTSTATS', 0], ['FLUSHALL'],
];

describe('memory model vs redis-server 7.0 (MEMORY USAGE, INFO memory)', () => {
  let server: TestServer;
  let specs: KeySpec[];

  beforeAll(async () => {
    server = await startRedis();
    specs = generate();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('per key and dataset totals, as written by commands', async () => {
    const port = server.port;
    // Warm up every command once (first use allocates per-command state), then measure empty.
    await call(port, WARM_UP);
    await settle(port);
    const before = await infoMemory(port);

    await send(port, specs.filter((s) => !s.alone).flatMap((s) => s.cmds));
    for (const s of specs.filter((s) => s.alone)) await send(port, s.cmds);
    await settle(port);
    const after = await infoMemory(port);
    const stats = await memoryStatsDb0(port);
    const measured = await measure(port, specs);

    const cmp = compare(specs, measured, 'write');
    // Projections: from the measured empty server, and from the version record alone (the
    // server has run WARM_UP's 14 distinct commands plus the PING that checked it was up).
    const model = new DatasetModel();
    const blind = new DatasetModel({ distinctCommands: 15 });
    for (const s of specs) {
      model.add(s.key, s.desc, { ttl: s.ttl });
      blind.add(s.key, s.desc, { ttl: s.ttl });
    }
    const totals = model.totals();
    const blindTotals = blind.totals();
    const blindErr = Math.abs(blindTotals.usedMemoryDataset - after.used_memory_dataset!) / after.used_memory_dataset!;
    const datasetActual = after.used_memory_dataset!;
    const datasetModel = totals.dataset + before.used_memory_dataset!;
    const datasetErr = Math.abs(datasetModel - datasetActual) / datasetActual;
    const deltaErr = Math.abs(totals.dataset - (datasetActual - before.used_memory_dataset!)) / (datasetActual - before.used_memory_dataset!);

    console.log(
      [
        table(`MEMORY USAGE SAMPLES 0 vs model, ${specs.length} keys written by commands (relative error)`, [...cmp.rows, cmp.overall]),
        `worst keys:\n  ${cmp.worst.join('\n  ')}`,
        `used_memory_dataset: actual ${datasetActual}, model ${datasetModel} (keys ${totals.dataset} + empty-server ${before.used_memory_dataset}), error ${(datasetErr * 100).toFixed(3)}%; growth error ${(deltaErr * 100).toFixed(3)}%`,
        `used_memory_dataset from the version record alone (15 commands run): model ${blindTotals.usedMemoryDataset}, error ${(blindErr * 100).toFixed(3)}%`,
        `used_memory: actual ${after.used_memory}, model ${blindTotals.usedMemory} from the version record, ${before.used_memory! + totals.allocated} from the measured empty server`,
        `overhead.hashtable.main: actual ${stats['overhead.hashtable.main']}, model ${totals.dbs[0]!.overheadMain}; expires: actual ${stats['overhead.hashtable.expires']}, model ${totals.dbs[0]!.overheadExpires}`,
      ].join('\n'),
    );

    expect(cmp.encodingMismatches).toEqual([]);
    expect(cmp.overall.median).toBeLessThanOrEqual(0.01);
    expect(cmp.overall.p95).toBeLessThanOrEqual(0.05);
    expect(cmp.skiplist.median).toBeLessThanOrEqual(0.02);
    expect(cmp.skiplist.p95).toBeLessThanOrEqual(0.05);
    expect(stats['overhead.hashtable.main']).toBe(totals.dbs[0]!.overheadMain);
    expect(stats['overhead.hashtable.expires']).toBe(totals.dbs[0]!.overheadExpires);
    expect(datasetErr).toBeLessThanOrEqual(0.02);
    expect(blindErr).toBeLessThanOrEqual(0.02);
  }, 120_000);

  it('per key after DEBUG RELOAD (values as loaded from RDB)', async () => {
    const port = server.port;
    await call(port, [['DEBUG', 'RELOAD']]);
    await settle(port);
    const measured = await measure(port, specs);
    const cmp = compare(specs, measured, 'load');
    console.log([table('MEMORY USAGE SAMPLES 0 vs model after DEBUG RELOAD (origin: load)', [...cmp.rows, cmp.overall]), `worst keys:\n  ${cmp.worst.join('\n  ')}`].join('\n'));
    expect(cmp.encodingMismatches).toEqual([]);
    expect(cmp.overall.median).toBeLessThanOrEqual(0.01);
    expect(cmp.overall.p95).toBeLessThanOrEqual(0.05);
    expect(cmp.skiplist.median).toBeLessThanOrEqual(0.02);
  }, 120_000);
});
