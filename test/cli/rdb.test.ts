// `redscope rdb` end to end: a dump made by a real redis-server 7.0, loaded by a second one, and
// the inspector's --json/--ndjson/--csv/text output checked against what the loading server says
// (DBSIZE, INFO keyspace, TYPE, OBJECT ENCODING, lengths, PEXPIRETIME, MEMORY USAGE SAMPLES 0,
// used_memory_dataset), plus filters, prefixes, binary keys and the one-line errors.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { RespClient } from '../helpers/resp-client.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../helpers/servers.js';

type Cmd = Array<string | Buffer | number>;

/** "bin\xff\x00:k" (not UTF-8). Own memory, not a slice of Node's shared Buffer pool. */
function binKey(): Buffer {
  const b = Buffer.alloc(7);
  b.set([0x62, 0x69, 0x6e, 0xff, 0x00, 0x3a, 0x6b]);
  return b;
}
const UNICODE_KEY = 'ключ:日本';
const FAR = 4_102_444_800_000; // 2100-01-01
const NOW = 1_800_000_000_000;

/** The dataset: several dbs, every type, small and large encodings, TTLs, odd keys. */
function dataset(): Cmd[] {
  const cmds: Cmd[] = [];
  for (let i = 0; i < 50; i++) cmds.push(['SET', `user:${i}:name`, `name-${i}`]);
  for (let i = 0; i < 10; i++) cmds.push(['SET', `user:${i}:bio`, 'b'.repeat(100 + i * 37)]);
  cmds.push(['SET', 'counter', '42'], ['SET', 'big:int', '1234567890123'], ['SET', 'ttl:soon', 'x', 'PXAT', String(NOW + 60_000)]);
  cmds.push(['SET', 'ttl:far', 'y', 'PXAT', String(FAR)], ['SET', 'ttl:gone', 'z', 'PXAT', String(NOW - 1000)]);
  cmds.push(['RPUSH', 'list:small', 'a', 'bb', '3']);
  cmds.push(['RPUSH', 'list:big', ...Array.from({ length: 3000 }, (_, i) => `element-${i}-${'e'.repeat(i % 50)}`)]);
  cmds.push(['HSET', 'hash:small', 'f1', 'v1', 'f2', '2']);
  cmds.push(['HSET', 'hash:big', ...Array.from({ length: 700 }, (_, i) => [`field-${i}`, `value-${i}`]).flat()]);
  cmds.push(['HSET', 'hash:longvalue', 'f', 'v'.repeat(100)]);
  cmds.push(['SADD', 'set:ints', ...Array.from({ length: 100 }, (_, i) => String(i * 1000))]);
  cmds.push(['SADD', 'set:strs', ...Array.from({ length: 300 }, (_, i) => `member-${i}`)]);
  cmds.push(['ZADD', 'zset:small', '1', 'a', '2.5', 'b']);
  cmds.push(['ZADD', 'zset:big', ...Array.from({ length: 400 }, (_, i) => [String(i / 3), `m-${i}`]).flat()]);
  cmds.push(['XADD', 'stream:events', '1-1', 'a', '1'], ['XADD', 'stream:events', '1-2', 'a', '2', 'b', '3'], ['XGROUP', 'CREATE', 'stream:events', 'g', '0']);
  cmds.push(['SET', binKey(), 'binary'], ['SET', Buffer.from(UNICODE_KEY, 'utf8'), 'unicode']);
  cmds.push(['SELECT', '1'], ['SET', 'db1:a', '1'], ['HSET', 'db1:h', 'x', 'y'], ['SET', 'db1:ttl', 'v', 'PXAT', String(FAR)]);
  cmds.push(['SELECT', '5'], ['RPUSH', 'db5:l', 'x'], ['SET', 'plain', 'no-separator']);
  return cmds;
}

interface ServerKey {
  db: number;
  key: string; // latin1
  type: string;
  encoding: string;
  length: number;
  pexpiretime: number;
  memory: number;
}

const procs: ChildProcess[] = [];
let work: string;
let dump: string;
const keys: ServerKey[] = [];
const keyspace: Record<number, { keys: number; expires: number }> = {};
let usedMemoryDataset = 0;

const LENGTH_CMD: Record<string, string> = { string: 'STRLEN', list: 'LLEN', hash: 'HLEN', set: 'SCARD', zset: 'ZCARD', stream: 'XLEN' };

async function call(c: RespClient, ...args: Cmd): Promise<string> {
  const r = await c.call(...args);
  if (r.t === 'error') throw new Error(`${args.join(' ')}: ${r.v}`);
  if (r.t === 'int') return String(r.v);
  if (r.t === 'bulk' || r.t === 'simple') return r.v;
  return JSON.stringify(r);
}


/**
 * A redis-server of our own in `dir`, checked by process_id: a free port can be taken by another
 * test's server between freePort() and the spawn (ours then exits, and we try again). Returns the
 * client and the first INFO it answered (before any other command, so the dataset figure carries
 * no latency histogram).
 */
async function ownRedis(dir: string, procs: ChildProcess[]): Promise<{ client: RespClient; info: string }> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--logfile', ''], { stdio: 'ignore' });
    procs.push(proc);
    for (let i = 0; i < 200 && proc.exitCode === null; i++) {
      let c: RespClient | undefined;
      try {
        c = await RespClient.connect(port);
        const info = await call(c, 'INFO');
        if (Number(/process_id:(\d+)/.exec(info)?.[1]) !== proc.pid) throw new Error('not our server');
        if (/loading:1/.test(info)) throw new Error('loading');
        return { client: c, info };
      } catch {
        c?.close();
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    if (proc.exitCode === null) proc.kill('SIGKILL');
  }
  throw new Error('could not start redis-server');
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'redscope-rdb-cli-'));
  const saverDir = join(work, 'saver');
  mkdirSync(saverDir);
  const a = (await ownRedis(saverDir, procs)).client;
  for (const cmd of dataset()) await call(a, ...cmd);
  await call(a, 'SAVE');
  dump = join(work, 'dump.rdb');
  copyFileSync(join(saverDir, 'dump.rdb'), dump);
  a.close();

  // A fresh server loads the file at startup: what it says is what Redis 7.0 makes of it (DEBUG
  // RELOAD would not do: it leaves the dataset figure of INFO higher than a clean start).
  const loaded = await ownRedis(work, procs);
  const b = loaded.client;
  usedMemoryDataset = Number(/used_memory_dataset:(\d+)/.exec(loaded.info)![1]);
  for (const db of [0, 1, 5]) {
    await call(b, 'SELECT', db);
    const list = await b.call('KEYS', '*');
    if (list.t !== 'array') throw new Error('KEYS');
    let expires = 0;
    for (const item of list.v) {
      const key = item.t === 'bulk' ? item.v : '';
      const kb = Buffer.from(key, 'latin1');
      const type = await call(b, 'TYPE', kb);
      const pexpiretime = Number(await call(b, 'PEXPIRETIME', kb));
      if (pexpiretime >= 0) expires++;
      keys.push({
        db,
        key,
        type,
        encoding: await call(b, 'OBJECT', 'ENCODING', kb),
        length: Number(await call(b, LENGTH_CMD[type]!, kb)),
        pexpiretime,
        memory: Number(await call(b, 'MEMORY', 'USAGE', kb, 'SAMPLES', '0')),
      });
    }
    keyspace[db] = { keys: list.v.length, expires };
  }
  b.close();
}, 60_000);

afterAll(async () => {
  for (const p of procs) {
    if (p.exitCode !== null || p.signalCode !== null) continue;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await exited;
  }
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The key as the inspector writes it: UTF-8 text, or \xNN-escaped with keyEscaped. */
function shown(latin1: string): { key: string; keyEscaped?: true } {
  const b = Buffer.from(latin1, 'latin1');
  const text = b.toString('utf8');
  if (Buffer.from(text, 'utf8').equals(b)) return { key: text };
  let s = '';
  for (const c of b) s += c >= 0x20 && c <= 0x7e && c !== 0x5c && c !== 0x22 ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`;
  return { key: s, keyEscaped: true };
}

/** Skiplist node levels are random on the server: the model uses their expectation. */
function memoryTolerance(k: ServerKey): number {
  return k.encoding === 'skiplist' ? Math.ceil(k.memory * 0.02) : 0;
}

describe('redscope rdb --json', () => {
  it('matches what the loading server says: keys, expires, types, encodings, memory', async () => {
    const r = await runCli(['rdb', dump, '--json', '--now', String(NOW)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.rdbVersion).toBe(10);
    expect(out.aux['redis-ver']).toBe('7.0.15');
    expect(out.checksum.ok).toBe(true);
    expect(out.checksum.stored).toBe(out.checksum.computed);
    expect(out.databases.map((d: { db: number }) => d.db)).toEqual([0, 1, 5]);
    for (const d of out.databases) {
      expect({ keys: d.keys, expires: d.expires }).toEqual(keyspace[d.db]);
      const mine = keys.filter((k) => k.db === d.db);
      const types: Record<string, number> = {};
      const encodings: Record<string, number> = {};
      for (const k of mine) {
        types[k.type] = (types[k.type] ?? 0) + 1;
        encodings[`${k.type}/${k.encoding}`] = (encodings[`${k.type}/${k.encoding}`] ?? 0) + 1;
      }
      expect(d.types).toEqual(types);
      expect(d.encodings).toEqual(encodings);
    }
    const total = keys.reduce((a, k) => a + k.memory, 0);
    expect(out.totals.keys).toBe(keys.length);
    expect(Math.abs(out.totals.memoryBytes - total)).toBeLessThanOrEqual(keys.reduce((a, k) => a + memoryTolerance(k), 0));
    // projected used_memory_dataset against the loading server's INFO (within the model's accuracy)
    expect(Math.abs(out.totals.datasetBytes - usedMemoryDataset) / usedMemoryDataset, `${out.totals.datasetBytes} vs ${usedMemoryDataset}`).toBeLessThan(0.02);
    // biggest keys: the server's own ranking
    const ranking = [...keys].sort((a, b) => b.memory - a.memory).slice(0, 4);
    expect(out.bigKeys.slice(0, 4).map((k: { key: string }) => k.key)).toEqual(ranking.map((k) => shown(k.key).key));
    expect(out.bigKeys).toHaveLength(10);
    for (const k of out.bigKeys) expect(Object.keys(k).filter((f) => f !== 'keyEscaped')).toEqual(['db', 'key', 'type', 'encoding', 'length', 'memoryBytes', 'expireAtMs']);
    expect(out.prefixes[0]).toMatchObject({ prefix: expect.any(String), keys: expect.any(Number), memoryBytes: expect.any(Number) });
    expect(out.ttl.expired.keys).toBe(1);
    expect(out.ttl.lt1h.keys).toBe(1);
    expect(out.ttl.later.keys).toBe(2);
  });

  it('--ndjson: one line per key, each as the server sees it', async () => {
    const r = await runCli(['rdb', dump, '--ndjson']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(keys.length);
    for (const k of keys) {
      const s = shown(k.key);
      const line = lines.find((l) => l.db === k.db && l.key === s.key);
      expect(line, s.key).toBeDefined();
      expect(line.keyEscaped).toBe(s.keyEscaped);
      expect(line.type).toBe(k.type);
      expect(line.encoding, s.key).toBe(k.encoding);
      expect(line.length, s.key).toBe(k.length);
      expect(line.expireAtMs ?? -1).toBe(k.pexpiretime);
      expect(Math.abs(line.memoryBytes - k.memory), `${s.key}: ${line.memoryBytes} vs ${k.memory}`).toBeLessThanOrEqual(memoryTolerance(k));
    }
    expect(lines.find((l) => l.key === UNICODE_KEY)?.keyEscaped).toBeUndefined();
    expect(lines.filter((l) => l.keyEscaped).map((l) => l.key)).toEqual(['bin\\xff\\x00:k']);
  });

  it('--csv: redis-rdb-tools memory report columns', async () => {
    const r = await runCli(['rdb', dump, '--csv', '--db', '1']);
    expect(r.code).toBe(0);
    const [header, ...rows] = r.stdout.trimEnd().split('\n');
    expect(header).toBe('database,type,key,size_in_bytes,encoding,num_elements,len_largest_element,expiry');
    expect(rows.sort()).toEqual(
      [
        `1,string,db1:a,${keys.find((k) => k.key === 'db1:a')!.memory},int,1,1,`,
        `1,hash,db1:h,${keys.find((k) => k.key === 'db1:h')!.memory},listpack,1,1,`,
        `1,string,db1:ttl,${keys.find((k) => k.key === 'db1:ttl')!.memory},embstr,1,1,2100-01-01T00:00:00`,
      ].sort(),
    );
    const zs = await runCli(['rdb', dump, '--csv', '--match', 'zset:small']);
    expect(zs.stdout.split('\n')[1]).toMatch(/^0,sortedset,zset:small,\d+,listpack,2,1,$/);
  });
});

describe('redscope rdb filters and prefixes', () => {
  async function json(...args: string[]) {
    const r = await runCli(['rdb', dump, '--json', ...args]);
    expect(r.stderr).toBe('');
    return JSON.parse(r.stdout);
  }

  it('--db, --type, --match, --min-bytes, --top', async () => {
    expect((await json('--db', '1,5')).databases.map((d: { db: number }) => d.db)).toEqual([1, 5]);
    const hashes = await json('--type', 'hash');
    expect(hashes.totals.keys).toBe(keys.filter((k) => k.type === 'hash').length);
    expect(hashes.totals.filteredOut).toBe(keys.length - hashes.totals.keys);
    const users = await json('--match', 'user:*:bio');
    expect(users.totals.keys).toBe(10);
    const big = await json('--min-bytes', '1k');
    expect(big.totals.keys).toBe(keys.filter((k) => k.memory >= 1024).length);
    const top = await json('--top', '3');
    expect(top.bigKeys).toHaveLength(3);
  });

  it('--sep and --depth shape the prefix tree', async () => {
    const two = await json('--depth', '2');
    const user = two.prefixes.find((p: { prefix: string }) => p.prefix === 'user:');
    expect(user).toMatchObject({ depth: 1, keys: 60, noTtlKeys: 60 });
    expect(two.prefixes.find((p: { prefix: string }) => p.prefix === 'user:1:')).toMatchObject({ depth: 2, keys: 2 });
    const one = await json('--depth', '1');
    expect(one.prefixes.every((p: { depth: number }) => p.depth === 1)).toBe(true);
    const byI = await json('--sep', 'i', '--depth', '1', '--top', '100');
    expect(byI.prefixes.find((p: { prefix: string }) => p.prefix === 'li')).toMatchObject({ keys: 2 });
  });

  it('text output reads as a report', async () => {
    const r = await runCli(['rdb', dump, '--now', String(NOW)]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(''); // no progress bar when stderr is not a terminal
    for (const h of ['Databases', 'Biggest keys by memory', 'Biggest keys by length', 'Key prefixes', 'TTL', 'Element sizes']) expect(r.stdout).toContain(h);
    expect(r.stdout).toMatch(/RDB version 10, [\d.]+KiB, checksum OK/);
    expect(r.stdout).toContain('redis-ver 7.0.15');
    expect(r.stdout).toMatch(/list:big +list +quicklist +3,000 /);
    const bin = await runCli(['rdb', dump, '--match', 'bin*']);
    expect(bin.stdout).toContain('bin\\xff\\x00:k');
  });
});

describe('redscope rdb errors', () => {
  it('says in one line that a file is missing, a directory or corrupt (exit 2)', async () => {
    const missing = await runCli(['rdb', join(work, 'nope.rdb')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`redscope: ${join(work, 'nope.rdb')}: no such file\n`);
    const dir = await runCli(['rdb', work]);
    expect(dir.code).toBe(2);
    expect(dir.stderr).toBe(`redscope: ${work}: is a directory, not an RDB file\n`);

    const bytes = readFileSync(dump);
    const cut = join(work, 'cut.rdb');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const r = await runCli(['rdb', cut, '--json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^redscope: ${cut.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .* at offset \\d+.*\\n$`));
    expect(r.stderr.split('\n')).toHaveLength(2);

    const bad = join(work, 'bad.rdb');
    writeFileSync(bad, Buffer.from('NOTRDB0010'));
    const magic = await runCli(['rdb', bad]);
    expect(magic.code).toBe(2);
    expect(magic.stderr).toMatch(/at offset 0/);
  });

  it('rejects conflicting or bad flags', async () => {
    expect((await runCli(['rdb', dump, '--json', '--csv'])).stderr).toBe('redscope: choose one of --json, --ndjson, --csv\n');
    expect((await runCli(['rdb', dump, '--type', 'blob'])).code).toBe(2);
    expect((await runCli(['rdb', dump, '--top', 'x'])).stderr).toMatch(/--top must be a whole number/);
  });
});
