// Truncated and corrupt AOFs against the real tools. A real incr file (with #TS annotations and a
// MULTI block) is cut at every offset and redis-check-aof run on each cut: the reader's ok_up_to
// must be the checker's. At chosen cuts a real redis-server 7.0 loads the file: where it truncates
// the file on disk, and whether it starts, must be what the problem record predicted, under
// aof-load-truncated yes and no; the same for the RDB-preamble corpus file and for a truncated
// file that is not the last one of a multi-part directory.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readAof } from '../../../src/formats/aof/index.js';
import type { AofProblemRecord, AofRecord } from '../../../src/formats/aof/index.js';
import { RespClient } from '../../helpers/resp-client.js';
import { startRedis } from '../../helpers/servers.js';
import { checkAof, loadWithRedis, tempDir } from './redis-run.js';

const PREAMBLE_AOF = '/work/shared/rdb-corpus/redis-7.2/rdb-preamble.aof';

// appendfsync always: the file holds every command before its reply arrives (with everysec a
// busy disk makes Redis postpone the write while it already replies).
let incr: Buffer; // a real incr file written by redis-server 7.0
let work: string;

beforeAll(async () => {
  const server = await startRedis({ appendonly: 'yes', appendfsync: 'always', 'aof-use-rdb-preamble': 'no', 'aof-timestamp-enabled': 'yes' });
  try {
    const c = await RespClient.connect(server.port);
    const dir = (await c.call('CONFIG', 'GET', 'dir')) as { t: 'array'; v: Array<{ v: string }> };
    await c.call('SET', 'a', '1');
    // #TS annotations are written when the second changes between two writes.
    await new Promise((r) => setTimeout(r, 1100));
    await c.call('SELECT', '1');
    await c.call('RPUSH', 'l', 'x', 'y');
    await c.call('MULTI');
    await c.call('SET', 'b', 'two');
    await c.call('INCR', 'n');
    await c.call('EXEC');
    await c.call('EXPIRE', 'b', '100');
    c.close();
    incr = readFileSync(join(dir.v[1]!.v, 'appendonlydir', 'appendonly.aof.1.incr.aof'));
  } finally {
    await server.stop();
  }
  work = tempDir('trunc');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function read(path: string): AofRecord[] {
  return [...readAof(path)];
}
const problemOf = (recs: AofRecord[]): AofProblemRecord | undefined => recs.find((r): r is AofProblemRecord => r.kind === 'problem');

/** Offsets of the file's commands and annotations, from an intact read. */
function layoutOf(buf: Buffer): { commands: Array<{ offset: number; size: number; name: string }>; annotations: number[] } {
  const path = join(work, 'intact.aof');
  writeFileSync(path, buf);
  const recs = read(path);
  return {
    commands: recs.flatMap((r) => (r.kind === 'command' ? [{ offset: r.offset, size: r.size, name: r.argv[0]!.toUpperCase() }] : [])),
    annotations: recs.flatMap((r) => (r.kind === 'annotation' ? [r.offset] : [])),
  };
}

describe('a real incr file cut at every offset', () => {
  it('has annotations, a MULTI block and no problem when intact', () => {
    const path = join(work, 'intact.aof');
    writeFileSync(path, incr);
    const recs = read(path);
    expect(problemOf(recs)).toBeUndefined();
    const ann = recs.filter((r) => r.kind === 'annotation');
    expect(ann.length).toBeGreaterThan(0);
    for (const a of ann) if (a.kind === 'annotation') expect(Math.abs(a.timestamp! - Date.now() / 1000)).toBeLessThan(600);
    expect(recs.filter((r) => r.kind === 'transaction')).toHaveLength(1);
    expect(checkAof(path).okUpTo.get(path)).toBe(incr.length);
  });

  it('reports the ok_up_to redis-check-aof reports, and a truncation for every cut', () => {
    const path = join(work, 'cut.aof');
    // Every byte around each command boundary, and a stride through the rest (redis-check-aof runs once per cut).
    const cuts = new Set<number>();
    const stride = Math.max(1, Math.floor(incr.length / 60));
    for (let n = 1; n < incr.length; n += stride) cuts.add(n);
    for (const c of layoutOf(incr).commands) for (const d of [-2, -1, 0, 1, 2, 3]) cuts.add(c.offset + d);
    let compared = 0;
    for (const n of [...cuts].filter((x) => x >= 1 && x < incr.length).sort((a, b) => a - b)) {
      writeFileSync(path, incr.subarray(0, n));
      const checker = checkAof(path).okUpTo.get(path);
      const recs = read(path);
      const p = problemOf(recs);
      expect(recs.at(-1)).toMatchObject({ kind: 'end' });
      if (checker === n) {
        // The checker is content: a cut right after a command or inside a trailing annotation.
        expect(p, `cut at ${n}`).toBeUndefined();
        continue;
      }
      expect(p, `cut at ${n}`).toBeDefined();
      expect([p!.cause, n, p!.okUpTo]).toEqual([p!.cause === 'unfinished-multi' ? 'unfinished-multi' : 'truncated', n, checker]);
      expect(p!.loadTruncatedYes.starts).toBe(true);
      expect(p!.loadTruncatedNo).toEqual({ starts: false, truncatesAt: null });
      compared++;
    }
    expect(compared).toBeGreaterThan(cuts.size / 2);
  });

  it('truncates where redis-server 7.0 truncates, and refuses with aof-load-truncated no', async () => {
    const { commands } = layoutOf(incr);
    const multi = commands.find((c) => c.name === 'MULTI')!;
    const inMulti = commands[commands.indexOf(multi) + 1]!;
    const cuts = [
      commands[1]!.offset + 3, // inside the second command's header
      commands[2]!.offset + commands[2]!.size - 1, // one byte short of a complete command
      inMulti.offset + inMulti.size, // clean end right after a queued command: MULTI never closed
      inMulti.offset + inMulti.size + 5, // inside a queued command
    ];
    for (const n of cuts) {
      const dir = join(work, `load-${n}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'appendonly.aof'), incr.subarray(0, n)); // legacy name: 7.0 migrates it and loads it
      const p = problemOf(read(join(dir, 'appendonly.aof')))!;
      expect(p.lastFile).toBe(true);
      const yes = await loadWithRedis(dir);
      const said = /Truncating the AOF appendonly\.aof at offset (\d+)/.exec(yes.log);
      expect(said?.[1], `cut at ${n}: ${yes.log.slice(-400)}`).toBe(String(p.loadTruncatedYes.truncatesAt));
      expect(yes.started).toBe(p.loadTruncatedYes.starts);
      expect(statSync(join(dir, 'appendonlydir', 'appendonly.aof')).size).toBe(p.loadTruncatedYes.truncatesAt);

      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'appendonly.aof'), incr.subarray(0, n));
      const no = await loadWithRedis(dir, { 'aof-load-truncated': 'no' });
      expect(no.started).toBe(false);
      expect(statSync(join(dir, 'appendonlydir', 'appendonly.aof')).size).toBe(n);
    }
    // The MULTI cases differ: a clean end reverts to before MULTI, a cut inside a queued command does not.
    const clean = problemOf(read(writeCut(inMulti.offset + inMulti.size)))!;
    expect(clean).toMatchObject({ cause: 'unfinished-multi', validUpTo: multi.offset, okUpTo: multi.offset, commandOffset: multi.offset });
    const mid = problemOf(read(writeCut(inMulti.offset + inMulti.size + 5)))!;
    expect(mid).toMatchObject({ cause: 'truncated', validUpTo: inMulti.offset + inMulti.size, okUpTo: multi.offset });
  });

  it('a truncated file that is not the last: Redis cuts it and still refuses to start', async () => {
    const { commands } = layoutOf(incr);
    const dir = join(work, 'multipart');
    const aofDir = join(dir, 'appendonlydir');
    mkdirSync(aofDir, { recursive: true });
    const cut = commands[3]!.offset + 2;
    writeFileSync(join(aofDir, 'appendonly.aof.1.base.aof'), incr.subarray(0, cut));
    writeFileSync(join(aofDir, 'appendonly.aof.1.incr.aof'), incr);
    writeFileSync(join(aofDir, 'appendonly.aof.manifest'), 'file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
    const recs = read(aofDir);
    const p = problemOf(recs)!;
    expect(p).toMatchObject({ file: 'appendonly.aof.1.base.aof', cause: 'truncated', lastFile: false, validUpTo: commands[3]!.offset });
    expect(p.loadTruncatedYes).toEqual({ starts: false, truncatesAt: commands[3]!.offset });
    expect(recs.some((r) => r.kind === 'file' && r.name === 'appendonly.aof.1.incr.aof')).toBe(false);
    const yes = await loadWithRedis(dir);
    expect(yes.started).toBe(false);
    expect(yes.log).toContain('the truncated file is not the last file');
    expect(statSync(join(aofDir, 'appendonly.aof.1.base.aof')).size).toBe(commands[3]!.offset);
  });
});

function writeCut(n: number, src: Buffer = incr, name = 'cut.aof'): string {
  const path = join(work, name);
  writeFileSync(path, src.subarray(0, n));
  return path;
}

describe('corrupt bytes', () => {
  // `sameOkUpTo: false`: the checker takes `*0` for an empty command and stops one line later.
  const cases: Array<{ what: string; edit: (b: Buffer, at: number) => void; cause: string; message: RegExp; sameOkUpTo?: false }> = [
    { what: 'a command that does not start with *', edit: (b, at) => (b[at] = 0x78), cause: 'format', message: /^Expected prefix '\*', got: 'x'$/ },
    { what: 'an argument without $', edit: (b, at) => (b[at + 4] = 0x25), cause: 'format', message: /^Expected prefix '\$', got: '%'$/ },
    { what: 'a count of zero', edit: (b, at) => (b[at + 1] = 0x30), cause: 'format', message: /argument count of at least 1, got: 0/, sameOkUpTo: false },
    { what: 'CR LF after a count replaced', edit: (b, at) => (b[at + 2] = 0x20), cause: 'strict', message: /^Expected \\r\\n, got: 200a$/ },
  ];
  it.each(cases)('$what', ({ edit, cause, message, sameOkUpTo }) => {
    const { commands } = layoutOf(incr);
    const target = commands[2]!;
    const bad = Buffer.from(incr);
    edit(bad, target.offset);
    const path = join(work, 'corrupt.aof');
    writeFileSync(path, bad);
    const recs = read(path);
    const p = problemOf(recs)!;
    expect(p.cause).toBe(cause);
    expect(p.message).toMatch(message);
    expect(p.commandOffset).toBe(target.offset);
    const checker = checkAof(path);
    expect(checker.status).toBe(1);
    if (sameOkUpTo === false) expect(checker.okUpTo.get(path)).toBe(target.offset + 4);
    else expect(p.okUpTo).toBe(checker.okUpTo.get(path));
    if (cause === 'format') {
      expect(p.loadTruncatedYes).toEqual({ starts: false, truncatesAt: null });
      expect(recs.at(-1)).toMatchObject({ kind: 'end', ok: false });
      expect(recs.filter((r) => r.kind === 'command')).toHaveLength(2);
    } else {
      // The loader reads past what only the checker rejects: every command is still there.
      expect(p.loadTruncatedYes).toEqual({ starts: true, truncatesAt: null });
      expect(recs.filter((r) => r.kind === 'command')).toHaveLength(commands.length);
    }
  });

  it('a format error makes real redis-server refuse to start, leaving the file alone', async () => {
    const { commands } = layoutOf(incr);
    const bad = Buffer.from(incr);
    bad[commands[2]!.offset] = 0x78;
    const dir = join(work, 'fmt');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'appendonly.aof'), bad);
    const out = await loadWithRedis(dir);
    expect(out.started).toBe(false);
    expect(out.log).toContain('Bad file format reading the append only file');
    expect(readFileSync(join(dir, 'appendonlydir', 'appendonly.aof'))).toEqual(bad);
  });

  it('an absurd argument length is a truncation found without allocating it', () => {
    const path = join(work, 'absurd.aof');
    writeFileSync(path, Buffer.from('*2\r\n$3\r\nGET\r\n$1152921504606846976\r\nabc', 'latin1'));
    const p = problemOf(read(path))!;
    expect(p).toMatchObject({ cause: 'truncated', offset: 35, validUpTo: 0, okUpTo: 0 });
    expect(p.message).toContain('expected to read 1152921504606846978 bytes, got 3 bytes');
  });
});

describe.runIf(existsSync(PREAMBLE_AOF))('the RDB-preamble corpus file cut short', () => {
  const full = existsSync(PREAMBLE_AOF) ? readFileSync(PREAMBLE_AOF) : Buffer.alloc(0);

  it('reads intact: RDB keys, then the RESP tail', () => {
    const recs = read(PREAMBLE_AOF);
    expect(recs.filter((r) => r.kind === 'rdb' && r.record.kind === 'key').map((r) => r.kind === 'rdb' && r.record.kind === 'key' && r.record.key)).toEqual(['k2', 'k1']);
    const end = recs.find((r) => r.kind === 'rdb-end')!;
    expect(end).toMatchObject({ offset: 117, tailBytes: full.length - 117 });
    expect(recs.filter((r) => r.kind === 'command').map((r) => r.kind === 'command' && [r.argv, r.db, r.offset])).toEqual([
      [['SELECT', '0'], 0, 117],
      [['set', 'k3', 'v3'], 0, 140],
    ]);
    expect(recs.at(-1)).toMatchObject({ kind: 'end', ok: true, commands: 2 });
  });

  it('agrees with redis-server on every kind of cut', async () => {
    // inside the RDB part: fatal, file untouched; in the first command after it: cut to 0 (!); later: after SELECT.
    const expected = [
      { n: 60, cause: 'rdb-truncated', truncatesAt: null, starts: false },
      { n: 120, cause: 'truncated', truncatesAt: 0, starts: true },
      { n: 160, cause: 'truncated', truncatesAt: 140, starts: true },
    ];
    for (const e of expected) {
      const path = writeCut(e.n, full, 'pre.aof');
      const p = problemOf(read(path))!;
      expect(p).toMatchObject({ cause: e.cause, loadTruncatedYes: { starts: e.starts, truncatesAt: e.truncatesAt } });
      if (e.cause === 'truncated') {
        expect(p.okUpTo).toBe(checkAof(path).okUpTo.get(path));
        if (e.truncatesAt === 0) expect(p.verdict).toContain('RDB preamble too');
      }
      const dir = join(work, `pre-${e.n}`);
      mkdirSync(dir, { recursive: true });
      copyFileSync(path, join(dir, 'appendonly.aof'));
      const out = await loadWithRedis(dir);
      expect(out.started, out.log.slice(-300)).toBe(e.starts);
      expect(statSync(join(dir, 'appendonlydir', 'appendonly.aof')).size).toBe(e.truncatesAt ?? e.n);
    }
  });

  it('a flipped byte in the RDB part is a checksum problem, fatal', () => {
    const bad = Buffer.from(full);
    bad[100] ^= 0x01; // inside the value of k2
    const path = join(work, 'pre-flip.aof');
    writeFileSync(path, bad);
    const p = problemOf(read(path))!;
    expect(p.cause).toBe('rdb-corrupt');
    expect(p.loadTruncatedYes).toEqual({ starts: false, truncatesAt: null });
  });
});
