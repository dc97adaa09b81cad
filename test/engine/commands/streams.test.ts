// The stream commands compared with a real redis-server 7.0.15: every command's replies (RESP2
// and RESP3), its error texts and the order in which errors win, dirty and keyspace hit/miss
// counts, keyspace events, node boundaries as approximate trimming and XINFO's radix-tree figures
// reveal them, consumer groups (PEL ownership, read counters, lag), and fast-check generated
// command sequences. Times that differ between two servers (delivery times, idle, seen-time,
// IDs taken from the clock) are masked by per-command normalisers.

import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TIME_MASK, configurePair, diff, maskTimes, same, sameDirty, sameWithCounters, sorted, startPair, type Cmd, type Pair } from '../../helpers/differential.js';
import { RespClient } from '../../helpers/resp-client.js';
import type { RespValue } from '../../../src/formats/resp/reply-parser.js';

let pair: Pair;

beforeAll(async () => {
  pair = await startPair();
});
afterAll(async () => {
  await pair?.stop();
});
beforeEach(async () => {
  await pair.r.call('FLUSHALL');
  for (const db of pair.engine.engine!.dbs) db.flush();
  await configurePair(pair, { 'stream-node-max-bytes': '4096', 'stream-node-max-entries': '100', 'notify-keyspace-events': '' });
});

// --- normalisers ---------------------------------------------------------------------------------

const TS = TIME_MASK;

/** Masks "idle" values (small elapsed times) by their key in XINFO CONSUMERS maps or flat arrays. */
function maskIdle(v: RespValue): RespValue {
  const isIdleKey = (k: RespValue) => k.t === 'bulk' && k.v === 'idle';
  if (v.t === 'map') return { t: 'map', v: v.v.map(([k, x]) => [k, isIdleKey(k) ? TS : maskIdle(x)]) } as RespValue;
  if (v.t === 'array') {
    const out = v.v.map(maskIdle);
    for (let i = 0; i + 1 < out.length; i++) if (isIdleKey(out[i]!)) out[i + 1] = TS;
    return { t: 'array', v: out };
  }
  return v;
}

/** XPENDING's extended rows: [id, consumer, idle, count] — idle masked. */
function maskPendingIdle(v: RespValue): RespValue {
  if (v.t !== 'array') return v;
  return {
    t: 'array',
    v: v.v.map((row) => (row.t === 'array' && row.v.length === 4 && row.v[2]!.t === 'int' ? { t: 'array', v: [row.v[0]!, row.v[1]!, TS, row.v[3]!] } : row)),
  } as RespValue;
}

/** Normaliser for a whole script: masks times and idles according to the command. */
function norm(v: RespValue, c: Cmd): RespValue {
  const name = String(c[0]).toLowerCase();
  const sub = String(c[1] ?? '').toLowerCase();
  if (name === 'xpending') return maskPendingIdle(v);
  if (name === 'xinfo' && sub === 'consumers') return maskIdle(v);
  return maskTimes(v);
}

const N = { normalize: norm };
const run = (cmds: Cmd[]) => same(pair, cmds, N);

async function onResp3(fn: () => Promise<void>): Promise<void> {
  await pair.r.call('HELLO', '3');
  await pair.e.call('HELLO', '3');
  try {
    await fn();
  } finally {
    await pair.r.call('HELLO', '2');
    await pair.e.call('HELLO', '2');
  }
}

// --- XADD ------------------------------------------------------------------------------------------

describe('XADD', () => {
  it('explicit, partial and sequence-star IDs, and every ID error', async () => {
    await sameDirty(pair, [
      ['XADD', 's', '1-1', 'f', 'v'],
      ['XADD', 's', '1-1', 'f', 'v'],
      ['XADD', 's', '1-0', 'f', 'v'],
      ['XADD', 's', '1', 'f', 'v'],
      ['XADD', 's', '2', 'f', 'v'],
      ['XADD', 's', '2-*', 'f', 'v'],
      ['XADD', 's', '2-*', 'a', '1', 'b', '2'],
      ['XADD', 's', '3-*', 'f', 'v'],
      ['XADD', 's', '1-*', 'f', 'v'],
      ['XADD', 's', '0-0', 'f', 'v'],
      ['XADD', 'new', '0-0', 'f', 'v'],
      ['EXISTS', 'new'],
      ['XADD', 'new', '0-*', 'f', 'v'],
      ['XADD', 'new2', '0', 'f', 'v'],
      ['XADD', 's', '-', 'f', 'v'],
      ['XADD', 's', '+', 'f', 'v'],
      ['XADD', 's', 'abc', 'f', 'v'],
      ['XADD', 's', '5-abc', 'f', 'v'],
      ['XADD', 's', '5-', 'f', 'v'],
      ['XADD', 's', '-5', 'f', 'v'],
      ['XADD', 's', '5--1', 'f', 'v'],
      ['XADD', 's', '5-*-', 'f', 'v'],
      ['XADD', 's', '*-5', 'f', 'v'],
      ['XADD', 's', ' 7-1', 'f', 'v'],
      ['XADD', 's', '+8-1', 'f', 'v'],
      ['XADD', 's', '009-0001', 'f', 'v'],
      ['XADD', 's', '10- 5', 'f', 'v'],
      ['XADD', 's', '18446744073709551615-*', 'f', 'v'],
      ['XADD', 's', '18446744073709551616-1', 'f', 'v'],
      ['XADD', 'big', '18446744073709551615-18446744073709551614', 'f', 'v'],
      ['XADD', 'big', '18446744073709551615-*', 'f', 'v'],
      ['XADD', 'big', '*', 'f', 'v'],
      ['XADD', 'big2', '5-18446744073709551615', 'f', 'v'],
      ['XADD', 'big2', '5-*', 'f', 'v'],
      ['XADD', 'big3', '5-1', 'f', 'v'],
      ['XADD', 'big3', '5--01', 'f', 'v'],
      ['XADD', 's', 'x'.repeat(200), 'f', 'v'],
      ['XRANGE', 's', '-', '+'],
      ['XLEN', 's'],
    ], N);
  });

  it('argument parsing: arity, NOMKSTREAM, options and their errors', async () => {
    await sameDirty(pair, [
      ['XADD', 's', '1-0', 'f'],
      ['XADD', 's', '1-0', 'f', 'v', 'g'],
      ['XADD', 's', '*'],
      ['XADD', 's', 'NOMKSTREAM', '1-0', 'f', 'v'],
      ['EXISTS', 's'],
      ['XADD', 's', 'MAXLEN', '1-0', 'f', 'v'],
      ['XADD', 's', 'MAXLEN', 'x', '1-0', 'f', 'v'],
      ['XADD', 's', 'MAXLEN', '-1', '1-0', 'f', 'v'],
      ['XADD', 's', 'MAXLEN', '~', '-1', '1-0', 'f', 'v'],
      ['XADD', 's', 'MAXLEN', '1', 'MINID', '0', '1-0', 'f', 'v'],
      ['XADD', 's', 'MINID', '-', '1-0', 'f', 'v'],
      ['XADD', 's', 'MINID', '~', '+', '1-0', 'f', 'v'],
      ['XADD', 's', 'LIMIT', '10', '1-0', 'f', 'v'],
      ['XADD', 's', 'LIMIT', '0', '1-0', 'f', 'v'],
      ['XADD', 's', 'MAXLEN', '5', 'LIMIT', '10', '1-0', 'f', 'v'],
      ['XADD', 's', 'MAXLEN', '=', '5', 'LIMIT', '10', '1-0', 'f', 'v'],
      ['XADD', 's', 'MAXLEN', '~', '5', 'LIMIT', '-1', '1-0', 'f', 'v'],
      ['XADD', 's', 'MAXLEN', '~', '5', 'LIMIT', 'x', '1-0', 'f', 'v'],
      ['XADD', 's', 'maxlen', '~', '5', 'limit', '10', 'nomkstream', '1-0', 'f', 'v'],
      ['XADD', 's', 'MAXLEN', '5', 'NOMKSTREAM', '2-0', 'f', 'v'],
      ['XADD', 's', 'NOMKSTREAM', 'NOMKSTREAM', '3-0', 'f', 'v'],
      ['XADD', 's', 'MAXLEN'],
      ['XADD', 's', 'MAXLEN', '1'],
      ['XADD', 's', 'MAXLEN', '~'],
      ['XADD', 's', 'MAXLEN', '~', '4-0', 'f'],
      ['XADD', 's', 'MAXLEN', '=', '1', '4-0', 'x', 'y'],
      ['XRANGE', 's', '-', '+'],
      ['SET', 'str', 'x'],
      ['XADD', 'str', '1-0', 'f', 'v'],
      ['XADD', 'str', 'NOMKSTREAM', '1-0', 'f', 'v'],
      ['XADD', 'str', 'MAXLEN', 'x', '1-0', 'f', 'v'],
      ['XADD', 'str', '0-0', 'f', 'v'],
    ], N);
  });

  it('auto IDs: shape, growth, and TYPE / OBJECT ENCODING / EXISTS', async () => {
    const ids: string[][] = [[], []];
    for (const [i, c] of [pair.r, pair.e].entries()) {
      for (let k = 0; k < 5; k++) {
        const v = await c.call('XADD', 'auto', '*', 'k', String(k));
        expect(v.t).toBe('bulk');
        ids[i]!.push(v.t === 'bulk' ? v.v : '');
      }
    }
    for (const list of ids) {
      for (const id of list) expect(id).toMatch(/^\d{13}-\d+$/);
      const parsed = list.map((s) => s.split('-').map(BigInt) as [bigint, bigint]);
      for (let i = 1; i < parsed.length; i++) {
        const [a, b] = [parsed[i - 1]!, parsed[i]!];
        expect(b[0] > a[0] || (b[0] === a[0] && b[1] > a[1])).toBe(true);
      }
    }
    await run([['XLEN', 'auto'], ['TYPE', 'auto'], ['OBJECT', 'ENCODING', 'auto'], ['XADD', 'auto', '1-1', 'a', 'b'], ['EXISTS', 'auto']]);
    await run([
      ['XADD', 'fut', '99999999999999-5', 'a', 'b'],
      ['XADD', 'fut', '*', 'a', 'b'],
      ['XADD', 'fut', '*', 'a', 'b'],
    ]);
  });

  it('binary-safe fields and values, integers, empty strings', async () => {
    await run([
      ['XADD', 'b', '1-0', '', ''],
      ['XADD', 'b', '2-0', Buffer.from([0, 255, 10, 13]), Buffer.from([1, 2, 0])],
      ['XADD', 'b', '3-0', '123', '-456', '9223372036854775807', '18446744073709551616'],
      ['XADD', 'b', '4-0', 'f', 'x'.repeat(5000)],
      ['XRANGE', 'b', '-', '+'],
      ['XREVRANGE', 'b', '+', '-'],
    ]);
  });
});

// --- trimming ----------------------------------------------------------------------------------------

/** Commands that add n entries with IDs 1..n (fields vary so some entries miss SAMEFIELDS). */
function fill(key: string, n: number, from = 1): Cmd[] {
  const out: Cmd[] = [];
  for (let i = from; i < from + n; i++) out.push(i % 7 === 0 ? ['XADD', key, `${i}-0`, 'other', String(i), 'x', 'y'] : ['XADD', key, `${i}-0`, 'f', String(i)]);
  return out;
}

const INFO = (k: string): Cmd => ['XINFO', 'STREAM', k];

describe('XTRIM and XADD trimming', () => {
  it('exact MAXLEN / MINID, approximate ones trimming whole nodes, LIMIT', async () => {
    await sameDirty(pair, [
      ...fill('s', 350),
      INFO('s'),
      ['XTRIM', 's', 'MAXLEN', '~', '300'],
      INFO('s'),
      ['XTRIM', 's', 'MAXLEN', '~', '200'],
      INFO('s'),
      ['XTRIM', 's', 'MAXLEN', '190'],
      INFO('s'),
      ['XTRIM', 's', 'MINID', '~', '260'],
      INFO('s'),
      ['XTRIM', 's', 'MINID', '260'],
      INFO('s'),
      ['XTRIM', 's', 'MINID', '=', '270'],
      ['XTRIM', 's', 'MAXLEN', '~', '0', 'LIMIT', '50'],
      ['XTRIM', 's', 'MAXLEN', '~', '0', 'LIMIT', '31'],
      INFO('s'),
      ['XTRIM', 's', 'MAXLEN', '~', '0', 'LIMIT', '0'],
      INFO('s'),
      ['XTRIM', 's', 'MAXLEN', '0'],
      INFO('s'),
      ['EXISTS', 's'],
    ], N);
  });

  it('XTRIM errors and missing keys', async () => {
    await sameDirty(pair, [
      ['XTRIM', 'nokey', 'MAXLEN', '1'],
      ['XTRIM', 'nokey', 'MAXLEN', 'x'],
      ['XTRIM', 's', 'LIMIT', '10'],
      ['XTRIM', 's', 'FOO', '1'],
      ['XTRIM', 's', 'MAXLEN', '1', 'LIMIT', '10'],
      ['XTRIM', 's', 'MAXLEN', '1', 'MINID', '1'],
      ['XTRIM', 's', 'MINID', 'bad'],
      ['XTRIM', 's', 'MAXLEN', '-1'],
      ['XTRIM', 's', 'LIMIT', '0', 'FOO'],
      ['XTRIM', 's', 'MAXLEN', '~'],
      ['XTRIM', 's', 'MAXLEN', '~', '1', 'LIMIT'],
      ['SET', 'str', 'v'],
      ['XTRIM', 'str', 'MAXLEN', '1'],
    ], N);
  });

  it('XADD with MAXLEN/MINID, tombstones, and the minimum stream', async () => {
    const cmds: Cmd[] = [];
    for (let i = 1; i <= 260; i++) cmds.push(['XADD', 'm', 'MAXLEN', '~', '100', `${i}-0`, 'f', String(i)]);
    cmds.push(INFO('m'), ['XLEN', 'm']);
    for (let i = 1; i <= 30; i++) cmds.push(['XADD', 'n', 'MAXLEN', '5', `${i}-0`, 'f', String(i)]);
    cmds.push(INFO('n'), ['XRANGE', 'n', '-', '+']);
    for (let i = 1; i <= 30; i++) cmds.push(['XADD', 'k', 'MINID', String(i - 3), `${i}-0`, 'f', String(i)]);
    cmds.push(INFO('k'), ['XDEL', 'k', '29-0', '30-0'], INFO('k'), ['XTRIM', 'k', 'MINID', '31'], INFO('k'));
    cmds.push(['XADD', 'z', 'MAXLEN', '0', '1-0', 'f', 'v'], INFO('z'), ['EXISTS', 'z']);
    await sameDirty(pair, cmds, N);
  });

  it('node limits: stream-node-max-entries and -max-bytes decide where nodes end', async () => {
    await configurePair(pair, { 'stream-node-max-entries': '7', 'stream-node-max-bytes': '0' });
    await sameDirty(pair, [...fill('a', 50), INFO('a'), ['XTRIM', 'a', 'MAXLEN', '~', '30'], INFO('a')], N);
    await configurePair(pair, { 'stream-node-max-entries': '0', 'stream-node-max-bytes': '300' });
    await sameDirty(pair, [...fill('b', 60), ['XADD', 'b', '61-0', 'f', 'x'.repeat(400)], ...fill('b', 5, 62), INFO('b'), ['XTRIM', 'b', 'MAXLEN', '~', '30'], INFO('b')], N);
    await configurePair(pair, { 'stream-node-max-entries': '0', 'stream-node-max-bytes': '0' });
    await sameDirty(pair, [...fill('c', 150), INFO('c'), ['XTRIM', 'c', 'MAXLEN', '~', '10'], INFO('c'), ['XTRIM', 'c', 'MAXLEN', '~', '10', 'LIMIT', '0'], INFO('c')], N);
    await configurePair(pair, { 'stream-node-max-entries': '100000', 'stream-node-max-bytes': '4096' });
    await sameDirty(pair, [...fill('d', 400), INFO('d'), ['XTRIM', 'd', 'MAXLEN', '~', '10'], INFO('d')], N);
  });
});

// --- XRANGE / XREVRANGE / XDEL / XLEN ------------------------------------------------------------------

describe('XRANGE, XREVRANGE, XDEL, XLEN', () => {
  it('bounds: inclusive, exclusive, partial IDs, COUNT and its errors', async () => {
    await run([
      ...fill('s', 20),
      ['XADD', 's', '20-5', 'f', 'v'],
      ['XADD', 's', '21-18446744073709551615', 'f', 'v'],
      ['XADD', 's', '22-0', 'f', 'v'],
      ['XRANGE', 's', '-', '+'],
      ['XRANGE', 's', '5', '8'],
      ['XRANGE', 's', '(5', '(8'],
      ['XRANGE', 's', '(5-0', '8-0'],
      ['XRANGE', 's', '20', '20'],
      ['XRANGE', 's', '(20-0', '+'],
      ['XRANGE', 's', '(21-18446744073709551615', '+'],
      ['XRANGE', 's', '-', '(22'],
      ['XRANGE', 's', '-', '(0-1'],
      ['XRANGE', 's', '(-', '+'],
      ['XRANGE', 's', '-', '(+'],
      ['XRANGE', 's', '(', '+'],
      ['XRANGE', 's', '(18446744073709551615-18446744073709551615', '+'],
      ['XRANGE', 's', '-', '(0-0'],
      ['XRANGE', 's', '-', '(0'],
      ['XRANGE', 's', '10', '5'],
      ['XRANGE', 's', '-', '+', 'COUNT', '3'],
      ['XRANGE', 's', '-', '+', 'COUNT', '0'],
      ['XRANGE', 's', '-', '+', 'COUNT', '-1'],
      ['XRANGE', 's', '-', '+', 'COUNT', 'x'],
      ['XRANGE', 's', '-', '+', 'COUNT'],
      ['XRANGE', 's', '-', '+', 'COUNT', '2', 'COUNT', '4'],
      ['XRANGE', 's', '-', '+', 'LIMIT', '2'],
      ['XRANGE', 's', 'x', '+'],
      ['XRANGE', 'nokey', '-', '+'],
      ['XRANGE', 'nokey', '-', '+', 'COUNT', '0'],
      ['XRANGE', 'nokey', 'bad', '+'],
      ['XREVRANGE', 's', '+', '-'],
      ['XREVRANGE', 's', '+', '-', 'COUNT', '4'],
      ['XREVRANGE', 's', '(8', '(5'],
      ['XREVRANGE', 's', '8', '5', 'COUNT', '2'],
      ['XREVRANGE', 's', '5', '8'],
      ['XREVRANGE', 's', '+', '(22'],
      ['XREVRANGE', 'nokey', '+', '-'],
      ['SET', 'str', 'x'],
      ['XRANGE', 'str', '-', '+'],
      ['XRANGE', 'str', 'bad', '+'],
      ['XREVRANGE', 'str', '+', '-', 'COUNT', '0'],
      ['XLEN', 'str'],
      ['XLEN', 'nokey'],
      ['XLEN', 's'],
    ]);
  });

  it('XDEL: tombstones, emptied nodes, first/max-deleted IDs, errors', async () => {
    await sameDirty(pair, [
      ...fill('s', 250),
      ['XDEL', 's', '1-0', '2-0', '2-0', '1000-0'],
      INFO('s'),
      ['XDEL', 's', ...Array.from({ length: 100 }, (_, i) => `${i + 101}-0`)],
      INFO('s'),
      ['XRANGE', 's', '99', '202'],
      ['XREVRANGE', 's', '202', '99'],
      ['XDEL', 's', '250-0'],
      INFO('s'),
      ['XDEL', 's', 'bad'],
      ['XDEL', 's', '3-0', 'bad'],
      ['XRANGE', 's', '3', '3'],
      ['XDEL', 'nokey', 'bad'],
      ['XDEL', 'nokey', '1-0'],
      ['XDEL', 's', '-'],
      ['XDEL', 's', '5'],
      ['XADD', 'one', '1-0', 'f', 'v'],
      ['XDEL', 'one', '1-0'],
      INFO('one'),
      ['EXISTS', 'one'],
      ['XADD', 'one', '1-0', 'f', 'v'],
      ['XADD', 'one', '2-0', 'f', 'v'],
      INFO('one'),
      ['SET', 'str', 'v'],
      ['XDEL', 'str', '1-0'],
    ], N);
  });

  it('keyspace hits and misses, dirty per command', async () => {
    await sameWithCounters(
      pair,
      [
        ['XADD', 's', '1-0', 'a', '1'],
        ['XADD', 's', '2-0', 'a', '2'],
        ['XLEN', 's'],
        ['XLEN', 'nokey'],
        ['XRANGE', 's', '-', '+'],
        ['XRANGE', 'nokey', '-', '+'],
        ['XREAD', 'STREAMS', 's', 'nokey', '0', '0'],
        ['XREAD', 'STREAMS', 's', '$'],
        ['XGROUP', 'CREATE', 's', 'g', '0'],
        ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '>'],
        ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '0'],
        ['XREADGROUP', 'GROUP', 'g', 'c2', 'STREAMS', 's', '>'],
        ['XACK', 's', 'g', '1-0', '1-0', '5-0'],
        ['XPENDING', 's', 'g'],
        ['XCLAIM', 's', 'g', 'c3', '0', '2-0'],
        ['XAUTOCLAIM', 's', 'g', 'c4', '0', '0'],
        ['XDEL', 's', '1-0', '7-0'],
        ['XTRIM', 's', 'MAXLEN', '0'],
        ['XINFO', 'STREAM', 's'],
        ['XINFO', 'GROUPS', 's'],
        ['XSETID', 's', '10-0'],
        ['XGROUP', 'SETID', 's', 'g', '0'],
        ['XGROUP', 'DELCONSUMER', 's', 'g', 'c'],
        ['XGROUP', 'CREATECONSUMER', 's', 'g', 'c'],
        ['XGROUP', 'CREATECONSUMER', 's', 'g', 'c'],
        ['XGROUP', 'DESTROY', 's', 'g'],
        ['XGROUP', 'DESTROY', 's', 'g'],
      ],
      { normalize: norm },
    );
  });
});

// --- XSETID -----------------------------------------------------------------------------------------

describe('XSETID', () => {
  it('last ID, ENTRIESADDED, MAXDELETEDID and their checks', async () => {
    await sameDirty(pair, [
      ['XSETID', 'nokey', '1-0'],
      ['XSETID', 'nokey', 'bad'],
      ['XADD', 's', '5-0', 'f', 'v'],
      ['XADD', 's', '6-0', 'f', 'v'],
      ['XSETID', 's', '5-0'],
      ['XSETID', 's', '6-0'],
      ['XSETID', 's', '-'],
      ['XSETID', 's', '7'],
      ['XADD', 's', '7-0', 'f', 'v'],
      ['XADD', 's', '7-*', 'f', 'v'],
      ['XSETID', 's', '10-0', 'ENTRIESADDED', '1'],
      ['XSETID', 's', '10-0', 'ENTRIESADDED', '-1'],
      ['XSETID', 's', '10-0', 'ENTRIESADDED', 'x'],
      ['XSETID', 's', '10-0', 'ENTRIESADDED', '100', 'MAXDELETEDID', '3-0'],
      ['XSETID', 's', '10-0', 'MAXDELETEDID', '11-0'],
      ['XSETID', 's', '10-0', 'MAXDELETEDID', 'bad'],
      ['XSETID', 's', '10-0', 'MAXDELETEDID'],
      ['XSETID', 's', '10-0', 'FOO', '1'],
      INFO('s'),
      ['XDEL', 's', '5-0', '6-0', '7-0', '7-1'],
      ['XSETID', 's', '1-0'],
      INFO('s'),
      ['XADD', 's', '2-0', 'f', 'v'],
      ['XRANGE', 's', '-', '+'],
      ['SET', 'str', 'v'],
      ['XSETID', 'str', '1-0'],
    ], N);
  });

  it('a tail node with tombstones above a lowered last ID', async () => {
    await run([
      ['XADD', 's', '1-0', 'f', 'v'],
      ['XADD', 's', '5-0', 'f', 'v'],
      ['XDEL', 's', '5-0'],
      ['XSETID', 's', '3-0'],
      ['XADD', 's', '4-0', 'f', 'v'],
      ['XRANGE', 's', '-', '+'],
      ['XREVRANGE', 's', '+', '-'],
      ['XRANGE', 's', '4', '4'],
      ['XTRIM', 's', 'MINID', '4-0'],
      ['XRANGE', 's', '-', '+'],
      INFO('s'),
      ['XINFO', 'STREAM', 's', 'FULL'],
    ]);
  });
});

// --- consumer groups --------------------------------------------------------------------------------

describe('XGROUP', () => {
  it('CREATE / SETID / DESTROY / CREATECONSUMER / DELCONSUMER / HELP with their errors', async () => {
    await sameDirty(pair, [
      ['XGROUP', 'CREATE', 's', 'g', '$'],
      ['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM'],
      ['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM'],
      ['XGROUP', 'CREATE', 's', 'g2', 'bad'],
      ['XGROUP', 'CREATE', 's', 'g2', '-'],
      ['XGROUP', 'CREATE', 's', 'g2', '5', 'ENTRIESREAD', '3'],
      ['XGROUP', 'CREATE', 's', 'g3', '5', 'ENTRIESREAD', '-2'],
      ['XGROUP', 'CREATE', 's', 'g3', '5', 'ENTRIESREAD', '-1'],
      ['XGROUP', 'CREATE', 's', 'g4', '5', 'ENTRIESREAD'],
      ['XGROUP', 'CREATE', 's', 'g4', '5', 'FOO'],
      ['XGROUP', 'CREATE', 's', 'g4', '5', 'MKSTREAM', 'MKSTREAM', 'MKSTREAM', 'MKSTREAM'],
      ['XGROUP', 'CREATE', 'nokey', 'g', '$'],
      ['XGROUP', 'CREATE', 'nokey', 'g', 'bad', 'MKSTREAM'],
      ['EXISTS', 'nokey'],
      ['XGROUP', 'SETID', 's', 'nogroup', '0'],
      ['XGROUP', 'SETID', 's', 'g', '+'],
      ['XGROUP', 'SETID', 's', 'g', '7', 'ENTRIESREAD', '4'],
      ['XGROUP', 'SETID', 's', 'g', '7', 'MKSTREAM'],
      ['XGROUP', 'SETID', 's', 'g', '7', 'ENTRIESREAD', '4', 'X'],
      ['XGROUP', 'SETID', 'nokey', 'g', '7'],
      ['XGROUP', 'CREATECONSUMER', 's', 'g', 'c1'],
      ['XGROUP', 'CREATECONSUMER', 's', 'g', 'c1'],
      ['XGROUP', 'CREATECONSUMER', 's', 'nogroup', 'c1'],
      ['XGROUP', 'CREATECONSUMER', 's', 'g'],
      ['XGROUP', 'DELCONSUMER', 's', 'g', 'c1'],
      ['XGROUP', 'DELCONSUMER', 's', 'g', 'c1'],
      ['XGROUP', 'DELCONSUMER', 's', 'nogroup', 'c1'],
      ['XGROUP', 'DESTROY', 's', 'g3'],
      ['XGROUP', 'DESTROY', 's', 'g3'],
      ['XGROUP', 'DESTROY', 's', 'g3', 'x'],
      ['XGROUP', 'DESTROY', 'nokey', 'g3'],
      ['XGROUP', 'HELP'],
      ['xgroup', 'help'],
      ['XGROUP', 'HELP', 'x'],
      ['XGROUP', 'FOO'],
      ['XGROUP', 'FOO', 's', 'g', 'x'],
      ['XGROUP'],
      ['XINFO', 'GROUPS', 's'],
      ['SET', 'str', 'v'],
      ['XGROUP', 'CREATE', 'str', 'g', '$'],
      ['XGROUP', 'CREATE', 'str', 'g', '$', 'MKSTREAM'],
      ['XGROUP', 'DESTROY', 'str', 'g'],
    ], N);
  });

  it('groups and consumers are listed in byte order', async () => {
    await run([
      ['XGROUP', 'CREATE', 's', 'b', '0', 'MKSTREAM'],
      ['XGROUP', 'CREATE', 's', 'B', '0'],
      ['XGROUP', 'CREATE', 's', 'a\xff', '0'],
      ['XGROUP', 'CREATE', 's', 'aa', '0'],
      ['XGROUP', 'CREATE', 's', '', '0'],
      ['XGROUP', 'CREATECONSUMER', 's', 'b', 'z'],
      ['XGROUP', 'CREATECONSUMER', 's', 'b', 'Z'],
      ['XGROUP', 'CREATECONSUMER', 's', 'b', 'zz'],
      ['XGROUP', 'CREATECONSUMER', 's', 'b', ''],
      ['XINFO', 'GROUPS', 's'],
      ['XINFO', 'CONSUMERS', 's', 'b'],
      ['XINFO', 'STREAM', 's', 'FULL'],
    ]);
  });
});

/** A stream with a group and deliveries to two consumers. */
const GROUP_SETUP: Cmd[] = [
  ...fill('s', 10),
  ['XGROUP', 'CREATE', 's', 'g', '0'],
  ['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '3', 'STREAMS', 's', '>'],
  ['XREADGROUP', 'GROUP', 'g', 'bob', 'COUNT', '2', 'STREAMS', 's', '>'],
];

describe('XREADGROUP (immediate), XACK, XPENDING', () => {
  it('new entries, history, NOACK, COUNT, PEL ownership after SETID', async () => {
    await sameDirty(pair, [
      ...GROUP_SETUP,
      ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '1', 'STREAMS', 's', '1-0'],
      ['XREADGROUP', 'GROUP', 'g', 'bob', 'STREAMS', 's', '(3'],
      ['XREADGROUP', 'GROUP', 'g', 'carol', 'NOACK', 'COUNT', '2', 'STREAMS', 's', '>'],
      ['XPENDING', 's', 'g'],
      ['XINFO', 'GROUPS', 's'],
      ['XGROUP', 'SETID', 's', 'g', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'dave', 'COUNT', '4', 'STREAMS', 's', '>'],
      ['XPENDING', 's', 'g'],
      ['XPENDING', 's', 'g', '-', '+', '100'],
      ['XDEL', 's', '2-0'],
      ['XREADGROUP', 'GROUP', 'g', 'dave', 'STREAMS', 's', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'dave', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'dave', 'STREAMS', 's', '>'],
      ['XINFO', 'GROUPS', 's'],
      ['XINFO', 'STREAM', 's', 'FULL'],
      ['XACK', 's', 'g', '1-0', '2-0', '3-0', '3-0', '999-0'],
      ['XACK', 's', 'g', '4-0', 'bad'],
      ['XACK', 's', 'nogroup', 'bad'],
      ['XACK', 'nokey', 'g', 'bad'],
      ['XACK', 's', 'g', '-'],
      ['XPENDING', 's', 'g'],
      ['XINFO', 'CONSUMERS', 's', 'g'],
    ], N);
  });

  it('argument errors and their order', async () => {
    await run([
      ...GROUP_SETUP,
      ['SET', 'str', 'v'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '$'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'nokey', '>'],
      ['XREADGROUP', 'GROUP', 'nog', 'c', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'str', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', 'str', 'bad', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', 's', '>', 'bad'],
      ['XREADGROUP', 'COUNT', '1', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', 'x', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', 'x', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '-1', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'FOO', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '-5', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', 's', '>', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', 's', '0', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'NOACK', 'STREAMS', 's', '>'],
    ]);
  });

  it('XPENDING: summary, extended form, IDLE, consumer filter, errors', async () => {
    await run([
      ['XPENDING', 'nokey', 'g'],
      ...GROUP_SETUP,
      ['XPENDING', 's', 'nogroup'],
      ['XPENDING', 's', 'g'],
      ['XPENDING', 's', 'g', '-', '+', '10'],
      ['XPENDING', 's', 'g', '-', '+', '2'],
      ['XPENDING', 's', 'g', '-', '+', '0'],
      ['XPENDING', 's', 'g', '-', '+', '-3'],
      ['XPENDING', 's', 'g', '(1', '(5', '10'],
      ['XPENDING', 's', 'g', '2', '4', '10', 'bob'],
      ['XPENDING', 's', 'g', '-', '+', '10', 'nobody'],
      ['XPENDING', 's', 'g', 'IDLE', '0', '-', '+', '10'],
      ['XPENDING', 's', 'g', 'IDLE', '100000', '-', '+', '10'],
      ['XPENDING', 's', 'g', 'IDLE', '100000', '-', '+', '10', 'alice'],
      ['XPENDING', 's', 'g', 'IDLE', 'x', '-', '+', '10'],
      ['XPENDING', 's', 'g', 'IDLE', '1', '-', '+'],
      ['XPENDING', 's', 'g', '-', '+'],
      ['XPENDING', 's', 'g', '-'],
      ['XPENDING', 's', 'g', '-', '+', 'x'],
      ['XPENDING', 's', 'g', 'bad', '+', 'x'],
      ['XPENDING', 's', 'g', 'bad', '+', '1'],
      ['XPENDING', 's', 'g', '(18446744073709551615-18446744073709551615', '+', '1'],
      ['XPENDING', 's', 'g', '-', '(0-0', '1'],
      ['XPENDING', 's', 'g', '-', '+', '10', 'alice', 'x'],
      ['XPENDING', 's', 'g', '-', '+', '10', 'alice', 'x', 'y', 'z'],
      ['XGROUP', 'CREATE', 's', 'empty', '$'],
      ['XPENDING', 's', 'empty'],
      ['XPENDING', 's', 'empty', '-', '+', '10'],
      ['SET', 'str', 'v'],
      ['XPENDING', 'str', 'g'],
    ]);
  });
});

describe('XCLAIM and XAUTOCLAIM', () => {
  it('XCLAIM: ownership, JUSTID, FORCE, RETRYCOUNT, LASTID, deleted entries, errors', async () => {
    await sameDirty(pair, [
      ...GROUP_SETUP,
      ['XCLAIM', 's', 'g', 'carol', '0', '1-0', '2-0', '99-0'],
      ['XPENDING', 's', 'g', '-', '+', '10'],
      ['XCLAIM', 's', 'g', 'carol', '0', '1-0', 'JUSTID'],
      ['XPENDING', 's', 'g', '-', '+', '10'],
      ['XCLAIM', 's', 'g', 'dave', '0', '8-0', '9-0', 'FORCE'],
      ['XCLAIM', 's', 'g', 'dave', '0', '8-0', 'FORCE', 'RETRYCOUNT', '7'],
      ['XPENDING', 's', 'g', '-', '+', '10'],
      ['XCLAIM', 's', 'g', 'carol', '3600000', '1-0'],
      ['XCLAIM', 's', 'g', 'carol', '0', '4-0', 'IDLE', '5000'],
      ['XPENDING', 's', 'g', 'IDLE', '4000', '-', '+', '10'],
      ['XCLAIM', 's', 'g', 'carol', '3000', '4-0', 'JUSTID'],
      ['XCLAIM', 's', 'g', 'carol', '0', '5-0', 'TIME', '1000'],
      ['XPENDING', 's', 'g', 'IDLE', '100000', '-', '+', '10'],
      ['XDEL', 's', '2-0'],
      ['XCLAIM', 's', 'g', 'erin', '0', '2-0'],
      ['XPENDING', 's', 'g'],
      ['XINFO', 'CONSUMERS', 's', 'g'],
      ['XCLAIM', 's', 'g', 'carol', '0', '1-0', 'LASTID', '50-0'],
      ['XINFO', 'GROUPS', 's'],
      ['XCLAIM', 's', 'g', 'carol', '0', '77-0', 'LASTID', '60-0'],
      ['XINFO', 'GROUPS', 's'],
      ['XCLAIM', 's', 'g', 'carol', 'x', '1-0'],
      ['XCLAIM', 's', 'g', 'carol', '-5', '1-0'],
      ['XCLAIM', 's', 'g', 'carol', '0', '1-0', 'IDLE', 'x'],
      ['XCLAIM', 's', 'g', 'carol', '0', '1-0', 'TIME', 'x'],
      ['XCLAIM', 's', 'g', 'carol', '0', '1-0', 'RETRYCOUNT', 'x'],
      ['XCLAIM', 's', 'g', 'carol', '0', '1-0', 'LASTID', 'x'],
      ['XCLAIM', 's', 'g', 'carol', '0', '1-0', 'FOO'],
      ['XCLAIM', 's', 'g', 'carol', '0', '1-0', 'IDLE'],
      ['XCLAIM', 's', 'g', 'carol', '0', 'FORCE', '1-0'],
      ['XCLAIM', 's', 'nog', 'carol', 'x', '1-0'],
      ['XCLAIM', 'nokey', 'g', 'carol', '0', '1-0'],
      ['SET', 'str', 'v'],
      ['XCLAIM', 'str', 'g', 'carol', '0', '1-0'],
    ], N);
  });

  it('XAUTOCLAIM: cursor, COUNT, JUSTID, deleted entries, errors', async () => {
    await sameDirty(pair, [
      ...GROUP_SETUP,
      ['XAUTOCLAIM', 's', 'g', 'carol', '0', '0', 'COUNT', '2'],
      ['XAUTOCLAIM', 's', 'g', 'carol', '0', '3-0', 'COUNT', '2', 'JUSTID'],
      ['XAUTOCLAIM', 's', 'g', 'carol', '0', '(3-0'],
      ['XAUTOCLAIM', 's', 'g', 'dave', '3600000', '-'],
      ['XDEL', 's', '1-0', '3-0'],
      ['XAUTOCLAIM', 's', 'g', 'dave', '0', '-', 'COUNT', '1'],
      ['XAUTOCLAIM', 's', 'g', 'dave', '0', '-', 'COUNT', '1'],
      ['XAUTOCLAIM', 's', 'g', 'dave', '0', '-', 'COUNT', '1'],
      ['XPENDING', 's', 'g', '-', '+', '10'],
      ['XAUTOCLAIM', 's', 'g', 'dave', '0', '-', 'COUNT', '0'],
      ['XAUTOCLAIM', 's', 'g', 'dave', '0', '-', 'COUNT', 'x'],
      ['XAUTOCLAIM', 's', 'g', 'dave', '0', '-', 'COUNT', '576460752303423487'],
      ['XAUTOCLAIM', 's', 'g', 'dave', '0', '-', 'COUNT', '576460752303423488'],
      ['XAUTOCLAIM', 's', 'g', 'dave', '0', '-', 'COUNT'],
      ['XAUTOCLAIM', 's', 'g', 'dave', '0', '-', 'FOO'],
      ['XAUTOCLAIM', 's', 'g', 'dave', 'x', '-'],
      ['XAUTOCLAIM', 's', 'g', 'dave', '0', 'bad'],
      ['XAUTOCLAIM', 's', 'g', 'dave', '0', '(18446744073709551615-18446744073709551615'],
      ['XAUTOCLAIM', 's', 'nog', 'dave', '0', '-'],
      ['XAUTOCLAIM', 'nokey', 'g', 'dave', '0', '-'],
      ['XAUTOCLAIM', 'nokey', 'g', 'dave', '0', 'bad'],
      ['SET', 'str', 'v'],
      ['XAUTOCLAIM', 'str', 'g', 'dave', '0', '-'],
    ], N);
  });
});

// --- XINFO ---------------------------------------------------------------------------------------------

describe('XINFO', () => {
  it('STREAM (plain and FULL with COUNT), GROUPS (lag, entries-read), CONSUMERS, HELP, errors', async () => {
    const cmds: Cmd[] = [
      ['XINFO', 'STREAM', 'nokey'],
      ['XINFO', 'GROUPS', 'nokey'],
      ['XINFO', 'HELP'],
      ['XINFO', 'help', 'x'],
      ['XINFO', 'FOO', 's'],
      ['XINFO', 'FOO'],
      ['XGROUP', 'CREATE', 'e', 'g', '$', 'MKSTREAM'],
      INFO('e'),
      ['XINFO', 'STREAM', 'e', 'FULL'],
      ['XINFO', 'GROUPS', 'e'],
      ...GROUP_SETUP,
      ['XGROUP', 'CREATE', 's', 'late', '5'],
      ['XGROUP', 'CREATE', 's', 'ahead', '$'],
      ['XGROUP', 'CREATE', 's', 'known', '5', 'ENTRIESREAD', '5'],
      INFO('s'),
      ['XINFO', 'GROUPS', 's'],
      ['XINFO', 'STREAM', 's', 'FULL'],
      ['XINFO', 'STREAM', 's', 'FULL', 'COUNT', '2'],
      ['XINFO', 'STREAM', 's', 'FULL', 'COUNT', '0'],
      ['XINFO', 'STREAM', 's', 'FULL', 'COUNT', '-1'],
      ['XINFO', 'STREAM', 's', 'FULL', 'COUNT', 'x'],
      ['XINFO', 'STREAM', 's', 'FULL', 'COUNT'],
      ['XINFO', 'STREAM', 's', 'FULL', 'LIMIT', '1'],
      ['XINFO', 'STREAM', 's', 'PART'],
      ['XINFO', 'STREAM', 's', 'FULL', 'x'],
      ['XINFO', 'CONSUMERS', 's', 'g'],
      ['XINFO', 'CONSUMERS', 's', 'nog'],
      ['XINFO', 'CONSUMERS', 's'],
      ['XINFO', 'GROUPS', 's', 'x'],
      ['XDEL', 's', '7-0'],
      ['XINFO', 'GROUPS', 's'],
      ['XDEL', 's', '1-0'],
      ['XINFO', 'GROUPS', 's'],
      ['XTRIM', 's', 'MAXLEN', '0'],
      ['XINFO', 'GROUPS', 's'],
      INFO('s'),
      ['SET', 'str', 'v'],
      ['XINFO', 'STREAM', 'str'],
    ];
    await run(cmds);
    await onResp3(() => run(cmds));
  });

  it('lag and entries-read as a group reads through a stream with and without tombstones', async () => {
    const cmds: Cmd[] = [...fill('s', 6), ['XGROUP', 'CREATE', 's', 'g', '0'], ['XINFO', 'GROUPS', 's']];
    for (let i = 0; i < 3; i++) cmds.push(['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '1', 'STREAMS', 's', '>'], ['XINFO', 'GROUPS', 's']);
    cmds.push(['XDEL', 's', '5-0'], ['XINFO', 'GROUPS', 's'], ['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '1', 'STREAMS', 's', '>'], ['XINFO', 'GROUPS', 's']);
    cmds.push(['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '>'], ['XINFO', 'GROUPS', 's'], ['XADD', 's', '7-0', 'f', 'v'], ['XINFO', 'GROUPS', 's']);
    cmds.push(['XGROUP', 'SETID', 's', 'g', '2-0'], ['XINFO', 'GROUPS', 's'], ['XGROUP', 'SETID', 's', 'g', '$'], ['XINFO', 'GROUPS', 's']);
    cmds.push(['XGROUP', 'SETID', 's', 'g', '0', 'ENTRIESREAD', '0'], ['XINFO', 'GROUPS', 's'], ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '>'], ['XINFO', 'GROUPS', 's']);
    cmds.push(['XSETID', 's', '7-0', 'ENTRIESADDED', '50'], ['XINFO', 'GROUPS', 's'], ['XGROUP', 'CREATE', 's', 'g2', '0'], ['XINFO', 'GROUPS', 's']);
    await run(cmds);
  });
});

// --- XREAD (immediate) and RESP3 -----------------------------------------------------------------------

describe('XREAD without blocking', () => {
  it('serves streams past the ID, COUNT, $, same key twice, errors', async () => {
    const cmds: Cmd[] = [
      ...fill('a', 5),
      ...fill('b', 3),
      ['XREAD', 'STREAMS', 'a', '0'],
      ['XREAD', 'COUNT', '2', 'STREAMS', 'a', 'b', '1', '1'],
      ['XREAD', 'COUNT', '2', 'STREAMS', 'a', 'nokey', 'b', '5', '0', '3'],
      ['XREAD', 'STREAMS', 'a', '$'],
      ['XREAD', 'STREAMS', 'nokey', '$'],
      ['XREAD', 'STREAMS', 'a', 'a', '3', '4'],
      ['XREAD', 'COUNT', '0', 'STREAMS', 'a', '3'],
      ['XREAD', 'COUNT', '-1', 'STREAMS', 'a', '3'],
      ['XREAD', 'STREAMS', 'a', '18446744073709551615-18446744073709551615'],
      ['XREAD', 'STREAMS', 'a', '+'],
      ['XREAD', 'STREAMS', 'a', '-'],
      ['XREAD', 'STREAMS', 'a', '>'],
      ['XREAD', 'STREAMS', 'a', 'bad'],
      ['XREAD', 'STREAMS', 'a', 'b', '0'],
      ['XREAD', 'STREAMS'],
      ['XREAD', 'COUNT', '1', 'a', '0'],
      ['XREAD', 'GROUP', 'g', 'c', 'STREAMS', 'a', '0'],
      ['XREAD', 'NOACK', 'STREAMS', 'a', '0'],
      ['XREAD', 'COUNT', 'x', 'STREAMS', 'a', '0'],
      ['XREAD', 'BLOCK', 'x', 'STREAMS', 'a', '0'],
      ['XREAD', 'BLOCK', '1.5', 'STREAMS', 'a', '0'],
      ['XREAD', 'BLOCK', '-1', 'STREAMS', 'a', '0'],
      ['XREAD', 'BLOCK', '10', 'STREAMS', 'a', '0'],
      ['XREAD', 'STREAMS', 'STREAMS', 'STREAMS', '0'],
      ['SET', 'str', 'v'],
      ['XREAD', 'STREAMS', 'str', '0'],
      ['XREAD', 'STREAMS', 'a', 'str', '0', 'bad'],
      ['XDEL', 'b', '1-0', '2-0', '3-0'],
      ['XREAD', 'STREAMS', 'b', '0'],
      ['XREAD', 'BLOCK', '10', 'STREAMS', 'b', '0'],
    ];
    await run(cmds);
    await onResp3(() => run(cmds));
  });

  it('inside MULTI, XREAD BLOCK and XREADGROUP BLOCK answer at once', async () => {
    await run([
      ['MULTI'],
      ['XREAD', 'BLOCK', '0', 'STREAMS', 'nokey', '$'],
      ['XADD', 's', '1-0', 'f', 'v'],
      ['XREAD', 'BLOCK', '0', 'STREAMS', 's', '0'],
      ['XGROUP', 'CREATE', 's', 'g', '$'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>'],
      ['EXEC'],
    ]);
  });
});

// --- keyspace events, WATCH, COPY/RENAME ------------------------------------------------------------

describe('keyspace events and WATCH', () => {
  it('raises the t-class events Redis raises, in order', async () => {
    await configurePair(pair, { 'notify-keyspace-events': 'KEA' });
    const subs = await Promise.all([RespClient.connect(pair.redis.port), RespClient.connect(pair.engine.port)]);
    try {
      for (const s of subs) await s.call('PSUBSCRIBE', '__key*__:*');
      const cmds: Cmd[] = [
        ['XADD', 's', '1-0', 'f', 'v'],
        ['XADD', 's', 'MAXLEN', '1', '2-0', 'f', 'v'],
        ['XADD', 's', 'MAXLEN', '5', '3-0', 'f', 'v'],
        ['XDEL', 's', '2-0'],
        ['XDEL', 's', '99-0'],
        ['XTRIM', 's', 'MAXLEN', '0'],
        ['XTRIM', 's', 'MAXLEN', '0'],
        ['XGROUP', 'CREATE', 's', 'g', '$'],
        ['XGROUP', 'CREATE', 'new', 'g', '$', 'MKSTREAM'],
        ['XGROUP', 'CREATECONSUMER', 's', 'g', 'c'],
        ['XGROUP', 'SETID', 's', 'g', '0'],
        ['XGROUP', 'DELCONSUMER', 's', 'g', 'c'],
        ['XSETID', 's', '10-0'],
        ['XADD', 's', '11-0', 'f', 'v'],
        ['XREADGROUP', 'GROUP', 'g', 'c2', 'STREAMS', 's', '>'],
        ['XCLAIM', 's', 'g', 'c3', '0', '11-0'],
        ['XAUTOCLAIM', 's', 'g', 'c4', '0', '0'],
        ['XACK', 's', 'g', '11-0'],
        ['XGROUP', 'DESTROY', 's', 'g'],
        ['XADD', 'n', 'NOMKSTREAM', '1-0', 'f', 'v'],
        ['PUBLISH', 'end', 'x'],
      ];
      await run(cmds);
      const events = async (c: RespClient) => {
        const got: string[] = [];
        for (;;) {
          const m = await c.read();
          const parts = m.t === 'array' || m.t === 'push' ? m.v.map((x) => (x.t === 'bulk' ? x.v : '')) : [];
          if (parts[3] === 'x') break;
          got.push(`${parts[2]} ${parts[3]}`);
        }
        return got;
      };
      await pair.r.call('PUBLISH', '__keyspace@0__:end', 'x');
      await pair.e.call('PUBLISH', '__keyspace@0__:end', 'x');
      const [r, e] = [await events(subs[0]!), await events(subs[1]!)];
      expect(e).toEqual(r);
      expect(r.length).toBeGreaterThan(20);
    } finally {
      for (const s of subs) s.close();
    }
  });

  it('WATCH sees XADD/XDEL/XTRIM/XGROUP CREATE MKSTREAM but not the group commands that 7.0 does not signal', async () => {
    const watched = async (setup: Cmd[], cmd: Cmd) => {
      await run([['DEL', 's'], ...setup]);
      const out: RespValue[] = [];
      for (const [c, other] of [
        [pair.r, await RespClient.connect(pair.redis.port)],
        [pair.e, await RespClient.connect(pair.engine.port)],
      ] as const) {
        await c.call('WATCH', 's');
        await other.call(...cmd);
        await c.call('MULTI');
        await c.call('PING');
        out.push(await c.call('EXEC'));
        other.close();
      }
      expect(out[1], cmd.join(' ')).toEqual(out[0]);
    };
    const base: Cmd[] = [['XADD', 's', '1-0', 'f', 'v'], ['XGROUP', 'CREATE', 's', 'g', '0'], ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '>']];
    for (const cmd of [
      ['XADD', 's', '2-0', 'f', 'v'],
      ['XDEL', 's', '1-0'],
      ['XDEL', 's', '9-0'],
      ['XTRIM', 's', 'MAXLEN', '0'],
      ['XSETID', 's', '5-0'],
      ['XGROUP', 'SETID', 's', 'g', '0'],
      ['XGROUP', 'DESTROY', 's', 'g'],
      ['XGROUP', 'CREATECONSUMER', 's', 'g', 'x'],
      ['XACK', 's', 'g', '1-0'],
      ['XCLAIM', 's', 'g', 'x', '0', '1-0'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '0'],
    ] as Cmd[])
      await watched(base, cmd);
    await watched([], ['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM']);
  });

  it('COPY deep-copies a stream with its groups; RENAME and DEL move or drop it', async () => {
    await run([
      ...GROUP_SETUP,
      ['XDEL', 's', '4-0'],
      ['COPY', 's', 'c'],
      ['XADD', 'c', '11-0', 'f', 'v'],
      ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 'c', '>'],
      ['XACK', 'c', 'g', '1-0'],
      ['XINFO', 'STREAM', 's', 'FULL'],
      ['XINFO', 'STREAM', 'c', 'FULL'],
      ['XPENDING', 's', 'g'],
      ['XPENDING', 'c', 'g'],
      ['RENAME', 'c', 'd'],
      ['XINFO', 'STREAM', 'd'],
      ['TYPE', 'd'],
      ['OBJECT', 'ENCODING', 'd'],
      ['SET', 'str', 'v'],
    ]);
    await same(pair, [['SCAN', '0', 'TYPE', 'stream'], ['SCAN', '0', 'TYPE', 'STREAM']], { normalize: sorted });
    await run([['DEL', 'd'], ['EXISTS', 'd']]);
  });
});

describe('MEMORY USAGE', () => {
  it('matches Redis for streams built by XADD, with tombstones, node limits and groups', async () => {
    const cmds: Cmd[] = [...fill('s', 250), ['XADD', 'one', '1-0', 'a', 'b'], ...fill('g', 30)];
    cmds.push(['XGROUP', 'CREATE', 'g', 'grp', '0'], ['XREADGROUP', 'GROUP', 'grp', 'alice', 'COUNT', '10', 'STREAMS', 'g', '>']);
    cmds.push(['XREADGROUP', 'GROUP', 'grp', 'bob', 'COUNT', '3', 'STREAMS', 'g', '>'], ['XDEL', 's', '5-0', '6-0', '200-0'], ['XTRIM', 's', 'MAXLEN', '~', '120']);
    await run(cmds);
    await run(['s', 'one', 'g'].map((k) => ['MEMORY', 'USAGE', k, 'SAMPLES', '0'] as Cmd));
  });
});

// --- generated sequences ------------------------------------------------------------------------------

describe('generated command sequences', () => {
  const id = fc.oneof(
    fc.integer({ min: 0, max: 40 }).map((n) => `${n}`),
    fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 3 })).map(([a, b]) => `${a}-${b}`),
    fc.constantFrom('-', '+', '(5', '(10-1', 'bad', '0-0'),
  );
  const addId = fc.oneof(
    fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 3 })).map(([a, b]) => `${a}-${b}`),
    fc.integer({ min: 0, max: 60 }).map((n) => `${n}-*`),
  );
  const key = fc.constantFrom('s', 't');
  const field = fc.constantFrom('f', 'g', '1', 'name');
  const grp = fc.constantFrom('g1', 'g2');
  const consumer = fc.constantFrom('c1', 'c2', 'c3');
  const command: fc.Arbitrary<Cmd> = fc.oneof(
    { weight: 6, arbitrary: fc.tuple(key, addId, field, fc.string({ maxLength: 3 })).map(([k, i, f, v]) => ['XADD', k, i, f, v] as Cmd) },
    { weight: 2, arbitrary: fc.tuple(key, fc.constantFrom('MAXLEN', 'MINID'), fc.constantFrom('=', '~', ''), fc.integer({ min: 0, max: 30 }), addId).map(([k, s, op, n, i]) => (op ? ['XADD', k, s, op, String(n), i, 'f', 'v'] : ['XADD', k, s, String(n), i, 'f', 'v']) as Cmd) },
    { weight: 2, arbitrary: fc.tuple(key, id, id, fc.integer({ min: -1, max: 5 })).map(([k, a, b, c]) => (c < 0 ? ['XRANGE', k, a, b] : ['XRANGE', k, a, b, 'COUNT', String(c)]) as Cmd) },
    { weight: 1, arbitrary: fc.tuple(key, id, id).map(([k, a, b]) => ['XREVRANGE', k, a, b] as Cmd) },
    { weight: 2, arbitrary: fc.tuple(key, fc.array(id, { minLength: 1, maxLength: 3 })).map(([k, ids]) => ['XDEL', k, ...ids] as Cmd) },
    { weight: 1, arbitrary: fc.tuple(key, fc.constantFrom('MAXLEN', 'MINID'), fc.constantFrom('=', '~'), fc.integer({ min: 0, max: 30 })).map(([k, s, op, n]) => ['XTRIM', k, s, op, String(n)] as Cmd) },
    { weight: 1, arbitrary: key.map((k) => ['XLEN', k] as Cmd) },
    { weight: 1, arbitrary: fc.tuple(key, id).map(([k, i]) => ['XSETID', k, i] as Cmd) },
    { weight: 2, arbitrary: fc.tuple(key, grp, fc.constantFrom('$', '0', '10')).map(([k, g, i]) => ['XGROUP', 'CREATE', k, g, i, 'MKSTREAM'] as Cmd) },
    { weight: 1, arbitrary: fc.tuple(key, grp, fc.constantFrom('$', '0', '10')).map(([k, g, i]) => ['XGROUP', 'SETID', k, g, i] as Cmd) },
    { weight: 1, arbitrary: fc.tuple(key, grp, consumer).map(([k, g, c]) => ['XGROUP', 'DELCONSUMER', k, g, c] as Cmd) },
    { weight: 4, arbitrary: fc.tuple(key, grp, consumer, fc.constantFrom('>', '0', '5'), fc.integer({ min: 0, max: 3 }), fc.boolean()).map(([k, g, c, i, n, noack]) => ['XREADGROUP', 'GROUP', g, c, 'COUNT', String(n), ...(noack ? ['NOACK'] : []), 'STREAMS', k, i] as Cmd) },
    { weight: 2, arbitrary: fc.tuple(key, grp, fc.array(id, { minLength: 1, maxLength: 3 })).map(([k, g, ids]) => ['XACK', k, g, ...ids] as Cmd) },
    { weight: 2, arbitrary: fc.tuple(key, grp, consumer, fc.array(id, { minLength: 1, maxLength: 2 }), fc.boolean()).map(([k, g, c, ids, j]) => ['XCLAIM', k, g, c, '0', ...ids, ...(j ? ['JUSTID'] : [])] as Cmd) },
    { weight: 2, arbitrary: fc.tuple(key, grp, consumer, id, fc.integer({ min: 1, max: 4 })).map(([k, g, c, i, n]) => ['XAUTOCLAIM', k, g, c, '0', i, 'COUNT', String(n)] as Cmd) },
    { weight: 1, arbitrary: fc.tuple(key, grp).map(([k, g]) => ['XPENDING', k, g] as Cmd) },
    { weight: 1, arbitrary: fc.tuple(key, grp, consumer).map(([k, g, c]) => ['XPENDING', k, g, '-', '+', '10', c] as Cmd) },
    { weight: 1, arbitrary: fc.tuple(key, fc.constantFrom('0', '$', '5')).map(([k, i]) => ['XREAD', 'COUNT', '3', 'STREAMS', k, i] as Cmd) },
    { weight: 1, arbitrary: key.map((k) => ['XINFO', 'STREAM', k, 'FULL'] as Cmd) },
    { weight: 1, arbitrary: key.map((k) => ['XINFO', 'GROUPS', k] as Cmd) },
    { weight: 1, arbitrary: key.map((k) => ['XINFO', 'STREAM', k] as Cmd) },
  );

  it('replies match for random sequences (fixed seed)', async () => {
    await configurePair(pair, { 'stream-node-max-entries': '4' });
    const runs = fc.sample(fc.array(command, { minLength: 20, maxLength: 80 }), { seed: 7, numRuns: 120 });
    for (const cmds of runs) {
      await pair.r.call('FLUSHALL');
      for (const db of pair.engine.engine!.dbs) db.flush();
      const problems = await diff(pair, cmds, { normalize: norm });
      expect(problems.slice(0, 3).join('\n')).toBe('');
    }
  }, 60_000);
});
