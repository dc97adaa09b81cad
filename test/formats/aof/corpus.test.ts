// Every AOF-format file of the shared public corpus reads without a problem, with as many
// commands as the file has `*` headers at command starts, and redis-check-aof agrees it is valid.
// Then a seeded mutator flips, cuts and splices bytes of those files: whatever the damage, the
// reader never throws, never hangs, and ends with an `end` record (after at most one stopping
// problem), the window staying small.

import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readAof } from '../../../src/formats/aof/index.js';
import type { AofRecord } from '../../../src/formats/aof/index.js';
import { checkAof, tempDir } from './redis-run.js';

const CORPUS = '/work/shared/rdb-corpus';
/** The corpus files in AOF format (the README lists them: RESP logs and one RDB-preamble AOF). */
const AOF_FILES = existsSync(CORPUS)
  ? readdirSync(CORPUS, { recursive: true, encoding: 'utf8' })
      .filter((p) => /\.(aof|dump|dump7|resp)$/.test(p))
      .map((p) => join(CORPUS, p))
      .sort()
  : [];

describe.runIf(AOF_FILES.length > 0)('the shared corpus', () => {
  it('has the AOF files the README lists', () => {
    expect(AOF_FILES.length).toBe(9);
  });

  it.each(AOF_FILES)('%s parses cleanly, as redis-check-aof says', (path) => {
    const recs = [...readAof(path)];
    expect(recs.filter((r) => r.kind === 'problem')).toEqual([]);
    const end = recs.at(-1)!;
    expect(end).toMatchObject({ kind: 'end', ok: true, files: 1 });
    const cmds = recs.filter((r) => r.kind === 'command');
    expect(cmds.length).toBeGreaterThan(0);
    for (const c of cmds) if (c.kind === 'command') expect(c.argv.length).toBeGreaterThan(0);
    const checker = checkAof(path);
    expect(checker.output).toMatch(/is valid/);
    expect(checker.okUpTo.get(path)).toBe(readFileSync(path).length);
  });

  it('counts the commands of a RESP file exactly', () => {
    const path = AOF_FILES.find((p) => p.endsWith('memory.aof'))!;
    const text = readFileSync(path, 'latin1');
    const recs = [...readAof(path)];
    const cmds = recs.filter((r) => r.kind === 'command');
    // Rebuild the file from the records: the same bytes.
    const rebuilt = cmds
      .map((c) => (c.kind === 'command' ? `*${c.argv.length}\r\n${c.argv.map((a) => `$${a.length}\r\n${a}\r\n`).join('')}` : ''))
      .join('');
    expect(rebuilt).toBe(text);
  });

  it('a tiny window and an argument limit: long arguments skipped, the rest identical', () => {
    const path = AOF_FILES.find((p) => p.endsWith('memory_regex.aof'))!;
    const normal = [...readAof(path)];
    const small = [...readAof(path, { windowBytes: 64, maxArgBytes: 100 })];
    expect(small.length).toBe(normal.length);
    let skipped = 0;
    small.forEach((r, i) => {
      const n = normal[i]!;
      if (r.kind !== 'command' || n.kind !== 'command') return expect(r).toEqual(n);
      for (const o of r.omitted ?? []) {
        expect(o.length).toBe(n.argv[o.index]!.length);
        expect(o.length).toBeGreaterThan(100);
        expect(r.argv[o.index]).toBe('');
        skipped++;
      }
      expect(r.argv.filter((_, j) => !r.omitted?.some((o) => o.index === j))).toEqual(n.argv.filter((_, j) => !r.omitted?.some((o) => o.index === j)));
    });
    expect(skipped).toBeGreaterThan(0);
  });
});

/** A small deterministic PRNG (mulberry32) so a failure names a reproducible seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe.runIf(AOF_FILES.length > 0)('mutated corpus files', () => {
  it('never throw, always end, stop at most once', () => {
    const dir = tempDir('fuzz');
    try {
      const path = join(dir, 'm.aof');
      let problems = 0;
      for (let seed = 1; seed <= 400; seed++) {
        const rnd = prng(seed);
        const src = readFileSync(AOF_FILES[seed % AOF_FILES.length]!);
        let buf = Buffer.from(src.subarray(0, Math.min(src.length, 4096)));
        const edits = 1 + Math.floor(rnd() * 4);
        for (let e = 0; e < edits; e++) {
          const at = Math.floor(rnd() * buf.length);
          const op = rnd();
          if (op < 0.5) buf[at] = Math.floor(rnd() * 256);
          else if (op < 0.7) buf = buf.subarray(0, at);
          else if (op < 0.85) buf = Buffer.concat([buf.subarray(0, at), Buffer.from(`$${Math.floor(rnd() * 2 ** 52)}\r\n`), buf.subarray(at)]);
          else buf = Buffer.concat([buf.subarray(0, at), buf.subarray(Math.min(buf.length, at + Math.floor(rnd() * 40)))]);
        }
        writeFileSync(path, buf);
        let recs: AofRecord[] = [];
        expect(() => {
          recs = [...readAof(path, { windowBytes: 256 })];
        }, `seed ${seed}`).not.toThrow();
        expect(recs.at(-1)!.kind, `seed ${seed}`).toBe('end');
        const stopping = recs.filter((r) => r.kind === 'problem' && r.cause !== 'strict');
        expect(stopping.length, `seed ${seed}`).toBeLessThanOrEqual(1);
        if (stopping.length) expect(recs.at(-2), `seed ${seed}`).toBe(stopping[0]);
        problems += stopping.length;
      }
      expect(problems).toBeGreaterThan(100);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
