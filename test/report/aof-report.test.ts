import { describe, expect, it } from 'vitest';
import type { AofRecord } from '../../src/formats/aof/records.js';
import { commandKeys, createAofReport, DistinctCounter } from '../../src/report/aof-report.js';

describe('commandKeys', () => {
  it('finds the keys a logged command writes', () => {
    expect(commandKeys(['SET', 'k', 'v'])).toEqual(['k']);
    expect(commandKeys(['del', 'a', 'b'])).toEqual(['a', 'b']);
    expect(commandKeys(['MSET', 'a', '1', 'b', '2'])).toEqual(['a', 'b']);
    expect(commandKeys(['RENAME', 'a', 'b'])).toEqual(['a', 'b']);
    expect(commandKeys(['ZUNIONSTORE', 'd', '2', 'x', 'y', 'WEIGHTS', '1', '2'])).toEqual(['d', 'x', 'y']);
    expect(commandKeys(['BITOP', 'AND', 'd', 's1', 's2'])).toEqual(['d', 's1', 's2']);
    expect(commandKeys(['XGROUP', 'CREATE', 'st', 'g', '$'])).toEqual(['st']);
    expect(commandKeys(['SELECT', '1'])).toEqual([]);
    expect(commandKeys(['MULTI'])).toEqual([]);
  });
});

describe('DistinctCounter', () => {
  it('is exact up to its cap and a close estimate beyond', () => {
    const exact = new DistinctCounter(1000);
    for (let i = 0; i < 500; i++) exact.add(`k${i % 250}`);
    expect(exact.count()).toBe(250);
    expect(exact.approximate).toBe(false);
    const big = new DistinctCounter(1000);
    for (let i = 0; i < 200_000; i++) big.add(`key:${i}`);
    expect(big.approximate).toBe(true);
    expect(Math.abs(big.count() - 200_000) / 200_000).toBeLessThan(0.05);
  });
});

describe('AofReport', () => {
  it('folds layout, commands, transactions and the first problem', () => {
    const r = createAofReport();
    const recs: AofRecord[] = [
      { kind: 'layout', input: 'file', path: 'a.aof', manifest: null, files: [{ name: 'a.aof', path: 'a.aof', type: 'base', seq: null, size: 100, line: null }], loadBytes: 100 },
      { kind: 'file', name: 'a.aof', path: 'a.aof', type: 'base', format: 'aof', size: 100, seq: null, last: true },
      { kind: 'command', file: 'a.aof', offset: 0, size: 10, argv: ['SELECT', '0'], db: 0, inMulti: false },
      { kind: 'command', file: 'a.aof', offset: 10, size: 10, argv: ['MULTI'], db: 0, inMulti: false },
      { kind: 'command', file: 'a.aof', offset: 20, size: 10, argv: ['set', 'k', 'v'], db: 0, inMulti: true },
      { kind: 'command', file: 'a.aof', offset: 30, size: 10, argv: ['EXEC'], db: 0, inMulti: false },
      { kind: 'transaction', file: 'a.aof', begin: 10, end: 40, commands: 1 },
      { kind: 'annotation', file: 'a.aof', offset: 40, text: '#TS:1700000000', timestamp: 1700000000 },
      { kind: 'command', file: 'a.aof', offset: 60, size: 10, argv: ['SET', 'k', 'w'], db: 3, inMulti: false },
      {
        kind: 'problem', file: 'a.aof', path: 'a.aof', cause: 'truncated', offset: 90, commandOffset: 70, message: 'Unexpected EOF', lastFile: true, validUpTo: 70, okUpTo: 70,
        loadTruncatedYes: { starts: true, truncatesAt: 70 }, loadTruncatedNo: { starts: false, truncatesAt: null }, verdict: 'v',
      },
      { kind: 'end', ok: false, files: 1, commands: 5, bytes: 100 },
    ];
    for (const x of recs) r.add(x);
    const out = r.finish();
    expect(out.commands).toEqual({ SET: 2, EXEC: 1, MULTI: 1, SELECT: 1 });
    expect(out.keysTouched).toEqual([
      { db: 0, commands: 4, keys: 1, approximate: false },
      { db: 3, commands: 1, keys: 1, approximate: false },
    ]);
    expect(out.transactions).toEqual({ count: 1, commands: 1, largest: { file: 'a.aof', begin: 10, end: 40, commands: 1 } });
    expect(out.annotations).toEqual({ count: 1, firstTimestamp: 1700000000, lastTimestamp: 1700000000 });
    expect(out.files[0]).toMatchObject({ read: true, format: 'aof', commands: 5, loaded: true });
    expect(out.problem?.cause).toBe('truncated');
    expect(out.ok).toBe(false);
  });
});
