// The AOF reader against what a real redis-server 7.0 writes: a multi-part appendonlydir before
// and after BGREWRITEAOF, with a RESP base (aof-use-rdb-preamble no) and an RDB base (yes).
// The commands read back must be the commands sent, as Redis propagates them (SELECT inserted,
// EXPIRE as PEXPIREAT, SET EX as SET PXAT, MULTI/EXEC kept), in the right database; a rewritten
// base must recreate exactly the keys the server holds, with the expiry times it reports.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readAof } from '../../../src/formats/aof/index.js';
import type { AofCommandRecord, AofRecord } from '../../../src/formats/aof/index.js';
import { RespClient } from '../../helpers/resp-client.js';
import { startRedis, type TestServer } from '../../helpers/servers.js';
import type { RespValue } from '../../../src/formats/resp/reply-parser.js';

const str = (v: RespValue): string => {
  if (v.t === 'bulk' || v.t === 'simple' || v.t === 'error') return v.v;
  if (v.t === 'int') return String(v.v);
  if (v.t === 'null') return '';
  throw new Error(`unexpected reply ${JSON.stringify(v)}`);
};
const arr = (v: RespValue): RespValue[] => {
  if (v.t !== 'array') throw new Error(`expected an array, got ${JSON.stringify(v)}`);
  return v.v;
};

async function waitForRewrite(c: RespClient): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const info = str(await c.call('INFO', 'persistence'));
    if (info.includes('aof_rewrite_in_progress:0') && info.includes('aof_rewrite_scheduled:0')) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('BGREWRITEAOF did not finish');
}

const BIG = 'x'.repeat(200_000); // larger than the reader's 64 KiB window
const BIN_KEY = '\x00\xffbin\r\n';

/** What the test sends (one connection), and what Redis writes to the AOF for it ('*' = any timestamp). */
const SCRIPT: Array<{ send: string[]; logged: string[][] }> = [
  { send: ['SET', 'k1', 'v1'], logged: [['SELECT', '0'], ['SET', 'k1', 'v1']] },
  { send: ['SET', BIN_KEY, 'v\x00'], logged: [['SET', BIN_KEY, 'v\x00']] },
  { send: ['SELECT', '3'], logged: [] },
  { send: ['SET', 'k3', 'v3'], logged: [['SELECT', '3'], ['SET', 'k3', 'v3']] },
  { send: ['EXPIRE', 'k3', '1000'], logged: [['PEXPIREAT', 'k3', '*']] },
  { send: ['SET', 'ttl', 'v', 'EX', '500'], logged: [['SET', 'ttl', 'v', 'PXAT', '*']] },
  { send: ['MULTI'], logged: [] },
  { send: ['RPUSH', 'list', 'a', 'b', 'c'], logged: [] },
  { send: ['INCR', 'counter'], logged: [] },
  { send: ['EXEC'], logged: [['MULTI'], ['RPUSH', 'list', 'a', 'b', 'c'], ['INCR', 'counter'], ['EXEC']] },
  { send: ['SELECT', '0'], logged: [] },
  { send: ['SET', 'big', BIG], logged: [['SELECT', '0'], ['SET', 'big', BIG]] },
  { send: ['DEL', 'k1'], logged: [['DEL', 'k1']] },
  { send: ['HSET', 'h', 'f1', 'v1', 'f2', 'v2'], logged: [['HSET', 'h', 'f1', 'v1', 'f2', 'v2']] },
];
const EXPECTED_DB = [0, 0, 0, 3, 3, 3, 3, 3, 3, 3, 0, 0, 0, 0];

function matches(argv: string[], want: string[]): boolean {
  if (argv.length !== want.length) return false;
  return want.every((w, i) => (w === '*' ? /^\d{13}$/.test(argv[i]!) : i === 0 ? argv[0]!.toUpperCase() === w : argv[i] === w));
}

function collect(path: string): AofRecord[] {
  return [...readAof(path)];
}
const commandsOf = (recs: AofRecord[], file?: string): AofCommandRecord[] =>
  recs.filter((r): r is AofCommandRecord => r.kind === 'command' && (file === undefined || r.file === file));

/** Every command's bytes follow the previous one's (annotations aside), and the last ends at the file's end. */
function expectContiguous(cmds: AofCommandRecord[], from: number, size: number): void {
  let at = from;
  for (const c of cmds) {
    expect(c.offset).toBe(at);
    at = c.offset + c.size;
  }
  expect(at).toBe(size);
}

/** The keys (db, key) the server holds, with PEXPIRETIME (-1 when none). */
async function serverKeys(c: RespClient): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const db of [0, 3]) {
    await c.call('SELECT', db);
    for (const k of arr(await c.call('KEYS', '*'))) {
      const key = str(k);
      out.set(`${db}/${key}`, Number(str(await c.call('PEXPIRETIME', key))));
    }
  }
  await c.call('SELECT', 0);
  return out;
}

describe.each([
  { preamble: 'no', baseFormat: 'aof' },
  { preamble: 'yes', baseFormat: 'rdb' },
])('a real Redis 7.0 appendonlydir (aof-use-rdb-preamble $preamble)', ({ preamble, baseFormat }) => {
  let server: TestServer;
  let c: RespClient;
  let dir: string;

  beforeAll(async () => {
    server = await startRedis({ appendonly: 'yes', appendfsync: 'always', 'aof-use-rdb-preamble': preamble, 'aof-disable-auto-gc': 'yes' });
    c = await RespClient.connect(server.port);
    dir = join(str(arr(await c.call('CONFIG', 'GET', 'dir'))[1]!), 'appendonlydir');
    for (const step of SCRIPT) await c.call(...step.send);
  });
  afterAll(async () => {
    c?.close();
    await server?.stop();
  });

  it('reads back the commands sent, as Redis logged them, with databases and the MULTI block', () => {
    const recs = collect(dir);
    const layout = recs[0]!;
    expect(layout.kind).toBe('layout');
    if (layout.kind !== 'layout') return;
    expect(layout.input).toBe('directory');
    expect(layout.manifest).toBe(join(dir, 'appendonly.aof.manifest'));
    expect(layout.files.map((f) => [f.name, f.type, f.seq])).toEqual([
      [`appendonly.aof.1.base.${baseFormat}`, 'base', 1],
      ['appendonly.aof.1.incr.aof', 'incr', 1],
    ]);
    const fileRecs = recs.filter((r) => r.kind === 'file');
    expect(fileRecs.map((f) => f.kind === 'file' && [f.name, f.format, f.last, f.size])).toEqual([
      [`appendonly.aof.1.base.${baseFormat}`, baseFormat, false, statSync(join(dir, `appendonly.aof.1.base.${baseFormat}`)).size],
      ['appendonly.aof.1.incr.aof', 'aof', true, statSync(join(dir, 'appendonly.aof.1.incr.aof')).size],
    ]);

    const cmds = commandsOf(recs, 'appendonly.aof.1.incr.aof');
    const want = SCRIPT.flatMap((s) => s.logged);
    expect(cmds.length).toBe(want.length);
    cmds.forEach((cmd, i) => expect(matches(cmd.argv, want[i]!), `${JSON.stringify(cmd.argv).slice(0, 80)} vs ${JSON.stringify(want[i]).slice(0, 80)}`).toBe(true));
    // The database each data command applies to.
    const dataCmds = cmds.filter((x) => !['SELECT', 'MULTI', 'EXEC'].includes(x.argv[0]!.toUpperCase()));
    expect(dataCmds.map((x) => x.db)).toEqual([0, 0, 3, 3, 3, 3, 3, 0, 0, 0]);
    expect(EXPECTED_DB.length).toBe(SCRIPT.length);
    expect(dataCmds.filter((x) => x.inMulti).map((x) => x.argv[0])).toEqual(['RPUSH', 'INCR']);
    expectContiguous(cmds, 0, statSync(join(dir, 'appendonly.aof.1.incr.aof')).size);

    const multi = cmds.find((x) => x.argv[0] === 'MULTI')!;
    const exec = cmds.find((x) => x.argv[0] === 'EXEC')!;
    const tx = recs.filter((r) => r.kind === 'transaction');
    expect(tx).toEqual([{ kind: 'transaction', file: 'appendonly.aof.1.incr.aof', begin: multi.offset, end: exec.offset + exec.size, commands: 2 }]);

    // The PEXPIREAT Redis logged is the expiry it holds.
    const end = recs.at(-1)!;
    expect(end).toMatchObject({ kind: 'end', ok: true, files: 2 });
    expect(recs.some((r) => r.kind === 'problem')).toBe(false);
  });

  it('after BGREWRITEAOF: the base recreates every key the server holds, history is listed and not read', async () => {
    await c.call('BGREWRITEAOF');
    await waitForRewrite(c);
    await c.call('SET', 'after', 'rewrite');
    const recs = collect(dir);
    const layout = recs[0]!;
    if (layout.kind !== 'layout') throw new Error('no layout');
    const byType = (t: string): string[] => layout.files.filter((f) => f.type === t).map((f) => f.name);
    expect(byType('base')).toEqual([`appendonly.aof.2.base.${baseFormat}`]);
    expect(byType('incr')).toEqual(['appendonly.aof.2.incr.aof']);
    expect(byType('history').sort()).toEqual([`appendonly.aof.1.base.${baseFormat}`, 'appendonly.aof.1.incr.aof']);
    expect(layout.files[0]!.type).toBe('base');
    expect(recs.filter((r) => r.kind === 'file').map((r) => r.kind === 'file' && r.name)).toEqual([
      `appendonly.aof.2.base.${baseFormat}`,
      'appendonly.aof.2.incr.aof',
    ]);
    expect(recs.some((r) => r.kind === 'command' && r.file.includes('.1.'))).toBe(false);

    const incr = commandsOf(recs, 'appendonly.aof.2.incr.aof');
    expect(incr.map((x) => x.argv)).toEqual([
      ['SELECT', '0'],
      ['SET', 'after', 'rewrite'],
    ]);

    // Keys and expiries in the base, as the server reports them (before the 'after' key).
    const held = await serverKeys(c);
    held.delete('0/after');
    const baseName = `appendonly.aof.2.base.${baseFormat}`;
    const found = new Map<string, number>();
    if (baseFormat === 'aof') {
      const cmds = commandsOf(recs, baseName);
      expectContiguous(cmds, 0, statSync(join(dir, baseName)).size);
      for (const cmd of cmds) {
        const name = cmd.argv[0]!.toUpperCase();
        if (name === 'SELECT') continue;
        const id = `${cmd.db}/${cmd.argv[1]}`;
        if (name === 'PEXPIREAT') found.set(id, Number(cmd.argv[2]));
        else if (!found.has(id)) found.set(id, -1);
      }
      expect(cmds.find((x) => x.argv[1] === 'big')!.argv[2]).toBe(BIG);
    } else {
      const rdbEnd = recs.find((r) => r.kind === 'rdb-end');
      expect(rdbEnd).toMatchObject({ file: baseName, offset: statSync(join(dir, baseName)).size, tailBytes: 0 });
      for (const r of recs) {
        if (r.kind === 'rdb' && r.record.kind === 'key') found.set(`${r.record.db}/${r.record.key}`, r.record.expireAtMs ?? -1);
      }
      expect(recs.some((r) => r.kind === 'rdb' && r.record.kind === 'aux' && r.record.key === 'aof-base' && r.record.value === '1')).toBe(true);
    }
    expect(new Map([...found].sort())).toEqual(new Map([...held].sort()));
    expect(recs.at(-1)).toMatchObject({ kind: 'end', ok: true, files: 2 });
  });

  it('the manifest path itself reads the same as the directory', () => {
    const a = collect(dir);
    const b = collect(join(dir, 'appendonly.aof.manifest'));
    expect(b[0]).toMatchObject({ input: 'manifest' });
    expect(b.slice(1).filter((r) => r.kind !== 'rdb')).toEqual(a.slice(1).filter((r) => r.kind !== 'rdb'));
    expect(readFileSync(join(dir, 'appendonly.aof.manifest'), 'latin1')).toContain('type b');
  });
});
