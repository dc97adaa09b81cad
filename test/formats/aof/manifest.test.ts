// The manifest parser and the layout resolver against redis-server 7.0 itself: every manifest
// the parser rejects, Redis refuses at startup with the same complaint on the same line; a
// manifest written in the liberal forms the loader accepts (quoted names, keys in any order and
// case, unknown pairs, comments) is read by both, and both load the same data.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileFormatError } from '../../../src/common/errors.js';
import { parseManifest, readAof, resolveLayout } from '../../../src/formats/aof/index.js';
import { splitArgs } from '../../../src/formats/aof/split-args.js';
import { loadWithRedis, tempDir } from './redis-run.js';

let work: string;
beforeAll(() => {
  work = tempDir('manifest');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const SET_A = '*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n';

/** A server dir whose appendonlydir holds `manifest` and the given files. */
function serverDir(tag: string, manifest: string, files: Record<string, string> = {}): { dir: string; aofDir: string } {
  const dir = join(work, tag);
  const aofDir = join(dir, 'appendonlydir');
  mkdirSync(aofDir, { recursive: true });
  writeFileSync(join(aofDir, 'appendonly.aof.manifest'), Buffer.from(manifest, 'latin1'));
  for (const [name, body] of Object.entries(files)) writeFileSync(join(aofDir, name), Buffer.from(body, 'latin1'));
  return { dir, aofDir };
}

const BASE = 'file appendonly.aof.1.base.aof seq 1 type b\n';
const INCR = 'file appendonly.aof.1.incr.aof seq 1 type i\n';

describe('manifests Redis refuses', () => {
  const cases: Array<{ what: string; text: string; redis: string; line: number | null }> = [
    { what: 'empty', text: '', redis: 'Found an empty AOF manifest', line: null },
    { what: 'last line without newline', text: BASE.trimEnd(), redis: 'contains too long line', line: null },
    { what: 'a line over 1024 bytes', text: `file ${'a'.repeat(1100)} seq 1 type b\n`, redis: 'contains too long line', line: null },
    { what: 'a blank line', text: `${BASE}   \n`, redis: 'Invalid AOF manifest file format', line: 2 },
    { what: 'an odd number of tokens', text: `file x seq 1 type b extra\n`, redis: 'Invalid AOF manifest file format', line: 1 },
    { what: 'too few tokens', text: `file x seq 1\n`, redis: 'Invalid AOF manifest file format', line: 1 },
    { what: 'a path as file name', text: `file ../x.aof seq 1 type b\n`, redis: "File can't be a path, just a filename", line: 1 },
    { what: 'seq 0', text: `file x.aof seq 0 type i\n`, redis: 'Invalid AOF manifest file format', line: 1 },
    { what: 'two bases', text: `${BASE}# comment\nfile b.aof seq 2 type b\n`, redis: 'Found duplicate base file information', line: 3 },
    { what: 'incr seq going down', text: `${BASE}file i2.aof seq 2 type i\nfile i1.aof seq 1 type i\n`, redis: 'Found a non-monotonic sequence number', line: 3 },
    { what: 'an unknown type', text: `file x.aof seq 1 type x\n`, redis: 'Unknown AOF file type', line: 1 },
    { what: 'an unterminated quote', text: `file "x.aof seq 1 type b\n`, redis: 'Invalid AOF manifest file format', line: 1 },
    { what: 'a closing quote glued to text', text: `file "x"y seq 1 type b\n`, redis: 'Invalid AOF manifest file format', line: 1 },
  ];

  it.each(cases)('$what', async ({ what, text, redis, line }) => {
    let err: unknown;
    try {
      parseManifest(Buffer.from(text, 'latin1'), 'appendonly.aof.manifest');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FileFormatError);
    const msg = (err as FileFormatError).message;
    expect(msg).toContain(redis);
    expect(msg.startsWith('appendonly.aof.manifest: ')).toBe(true);
    if (line !== null) expect(msg).toContain(`(line ${line}: `);

    const { dir, aofDir } = serverDir(what.replace(/\W+/g, '-'), text);
    expect(() => [...readAof(aofDir)]).toThrow(FileFormatError);
    const out = await loadWithRedis(dir);
    expect(out.started).toBe(false);
    expect(out.log).toContain(redis);
    if (line !== null) expect(out.log).toContain(`Reading the manifest file, at line ${line}`);
  });
});

describe('manifests Redis accepts', () => {
  it('quoted names with escapes, keys in any order and case, unknown pairs, comments', async () => {
    const name = 'my base\x01.aof';
    const text = `# written by hand\nSEQ 1 type b FILE "my base\\x01.aof" future yes\nfile appendonly.aof.1.incr.aof type i seq 1\n`;
    const m = parseManifest(Buffer.from(text, 'latin1'), 'm');
    expect(m.entries.map((e) => [e.name, e.seq, e.type, e.line])).toEqual([
      [name, 1, 'base', 2],
      ['appendonly.aof.1.incr.aof', 1, 'incr', 3],
    ]);
    const { dir, aofDir } = serverDir('liberal', text, { [name]: SET_A, 'appendonly.aof.1.incr.aof': '*2\r\n$4\r\nINCR\r\n$1\r\na\r\n' });
    const recs = [...readAof(aofDir)];
    expect(recs.filter((r) => r.kind === 'command').map((r) => r.kind === 'command' && [r.file, r.argv])).toEqual([
      [name, ['SET', 'a', '1']],
      ['appendonly.aof.1.incr.aof', ['INCR', 'a']],
    ]);
    const out = await loadWithRedis(dir);
    expect(out.started, out.log.slice(-500)).toBe(true);
  });

  it('history files are listed even when gone; only base and incr are read, base first', () => {
    const text = `file appendonly.aof.1.incr.aof seq 1 type h\n${INCR.replace(/1/g, '2')}file appendonly.aof.2.base.aof seq 2 type b\n`;
    const { aofDir } = serverDir('history', text, { 'appendonly.aof.2.base.aof': SET_A, 'appendonly.aof.2.incr.aof': '' });
    const recs = [...readAof(aofDir)];
    const layout = recs[0]!;
    if (layout.kind !== 'layout') throw new Error('no layout');
    expect(layout.files.map((f) => [f.name, f.type, f.size])).toEqual([
      ['appendonly.aof.2.base.aof', 'base', SET_A.length],
      ['appendonly.aof.1.incr.aof', 'history', null],
      ['appendonly.aof.2.incr.aof', 'incr', 0],
    ]);
    expect(recs.filter((r) => r.kind === 'file').map((r) => r.kind === 'file' && [r.name, r.last])).toEqual([
      ['appendonly.aof.2.base.aof', false],
      ['appendonly.aof.2.incr.aof', true],
    ]);
    expect(recs.at(-1)).toMatchObject({ kind: 'end', ok: true, files: 2, commands: 1 });
  });

  it('splits like sdssplitargs', () => {
    expect(splitArgs(`  a "b c" 'd\\'e' "\\x41\\n\\z"  `)).toEqual(['a', 'b c', "d'e", 'A\nz']);
    expect(splitArgs('')).toEqual([]);
    expect(splitArgs('"a"b')).toBeNull();
    expect(splitArgs("'a")).toBeNull();
    expect(splitArgs('a\0 b')).toEqual(['a']);
  });
});

describe('inputs that cannot be read', () => {
  it('no such path', () => {
    expect(() => resolveLayout(join(work, 'nope'))).toThrow(/nope: no such file or directory at offset 0/);
  });

  it('a directory without a manifest', () => {
    const dir = join(work, 'empty-dir');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'appendonly.aof.1.incr.aof'), SET_A);
    expect(() => resolveLayout(dir)).toThrow(/no AOF manifest/);
  });

  it('two manifests and no default one', () => {
    const dir = join(work, 'two');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'a.manifest'), BASE);
    writeFileSync(join(dir, 'b.manifest'), BASE);
    expect(() => resolveLayout(dir)).toThrow(/more than one AOF manifest \(a\.manifest, b\.manifest\)/);
  });

  it('a listed file missing: Redis refuses too', async () => {
    const { dir, aofDir } = serverDir('missing', BASE + INCR, { 'appendonly.aof.1.base.aof': SET_A });
    expect(() => resolveLayout(aofDir)).toThrow(/the incr file appendonly\.aof\.1\.incr\.aof listed in the manifest does not exist at offset 44 \(line 2\)/);
    const out = await loadWithRedis(dir);
    expect(out.started).toBe(false);
  });

  it('a manifest given by a name not ending in .manifest is recognised by its content', () => {
    const { aofDir } = serverDir('byname', BASE, { 'appendonly.aof.1.base.aof': SET_A });
    writeFileSync(join(aofDir, 'list.txt'), BASE);
    expect(resolveLayout(join(aofDir, 'list.txt'))).toMatchObject({ input: 'manifest', files: [{ name: 'appendonly.aof.1.base.aof' }] });
  });
});
