// The list family's immediate commands compared with a real redis-server 7.0: pushes, pops with
// and without COUNT (and their RESP2/RESP3 null shapes, checked byte for byte), ranges and trims
// over every index combination, LSET/LINDEX/LINSERT/LREM/LPOS with all options and the order in
// which their errors win, LMOVE/RPOPLPUSH/LMPOP, WRONGTYPE and arity errors, dirty counters and
// WATCH, TTLs, binary elements, the command table, and generated mixed sequences.

import net from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { diff, same, show, startPair, type Cmd, type Pair, sameDirty } from '../../helpers/differential.js';
import { RespClient, encodeCommand } from '../../helpers/resp-client.js';
import type { Engine } from '../../../src/engine/engine.js';
import { Deque } from '../../../src/engine/types/deque.js';

let pair: Pair;
let engine: Engine;

beforeAll(async () => {
  // hz 100: Redis checks blocked clients' timeouts from its event loop, which wakes at hz.
  pair = await startPair({ hz: '100' });
  engine = pair.engine.engine!;
});
afterAll(async () => {
  await pair?.stop();
});
beforeEach(async () => {
  await pair.r.call('FLUSHALL');
  for (const db of engine.dbs) db.flush();
});


/** Sends commands on a fresh connection and returns the raw reply bytes (null shapes differ). */
async function raw(port: number, cmds: Cmd[]): Promise<string> {
  const marker = `end-of-batch-${Math.random()}`;
  const tail = `$${marker.length}\r\n${marker}\r\n`;
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => {
      s.write(Buffer.concat([...cmds.map((c) => encodeCommand(c)), encodeCommand(['ECHO', marker])]));
    });
    let out = '';
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`no complete reply: ${JSON.stringify(out)}`));
    }, 5000);
    s.on('data', (d) => {
      out += d.toString('latin1');
      if (out.endsWith(tail)) {
        clearTimeout(timer);
        s.destroy();
        resolve(out.slice(0, -tail.length));
      }
    });
    s.on('error', reject);
  });
}

async function sameRaw(cmds: Cmd[]): Promise<void> {
  const [a, b] = await Promise.all([raw(pair.redis.port, cmds), raw(pair.engine.port, cmds)]);
  // HELLO's reply carries the connection id, which differs between the servers.
  const clean = (s: string) => JSON.stringify(s.replace(/\$2\r\nid\r\n:\d+\r\n/, ''));
  expect(clean(b), cmds.map((c) => c.join(' ')).join('; ')).toBe(clean(a));
}

describe('command table', () => {

  it('arity errors for every command', async () => {
    await same(pair, [
      ['LPUSH', 'l'],
      ['RPUSH'],
      ['LPUSHX', 'l'],
      ['RPUSHX', 'l'],
      ['LPOP'],
      ['RPOP'],
      ['LPOP', 'l', '1', '1'],
      ['RPOP', 'key', '2', '2'],
      ['LLEN'],
      ['LLEN', 'a', 'b'],
      ['LRANGE', 'l', '0'],
      ['LINDEX', 'l'],
      ['LSET', 'l', '0'],
      ['LINSERT', 'l', 'before', 'a'],
      ['LREM', 'l', '0'],
      ['LTRIM', 'l', '0'],
      ['LPOS', 'l'],
      ['LMOVE', 'a', 'b', 'left'],
      ['RPOPLPUSH', 'a'],
      ['LMPOP'],
      ['LMPOP', '1'],
      ['LMPOP', '1', 'l'],
      ['BLPOP', 'l'],
      ['BRPOP', 'l'],
      ['BLMOVE', 'a', 'b', 'left', 'left'],
      ['BRPOPLPUSH', 'a', 'b'],
      ['BLMPOP', '0', '1', 'l'],
    ]);
  });
});

describe('pushes and pops', () => {
  it('LPUSH, RPUSH, LPUSHX, RPUSHX, LLEN, LINDEX, LPOP, RPOP', async () => {
    await same(pair, [
      ['LPUSHX', 'l', 'a'],
      ['RPUSHX', 'l', 'a', 'b'],
      ['EXISTS', 'l'],
      ['LPUSH', 'l', 'a'],
      ['RPUSH', 'l', 'b', 'c'],
      ['LPUSH', 'l', 'x', 'y', 'z'],
      ['RPUSHX', 'l', 'd'],
      ['LPUSHX', 'l', 'y3', 'y2', 'y1'],
      ['LRANGE', 'l', '0', '-1'],
      ['LLEN', 'l'],
      ['LLEN', 'nokey'],
      ['LINDEX', 'l', '0'],
      ['LINDEX', 'l', '-1'],
      ['LINDEX', 'l', '10'],
      ['LINDEX', 'l', '11'],
      ['LINDEX', 'l', '-11'],
      ['LINDEX', 'l', '-12'],
      ['LINDEX', 'l', '9223372036854775807'],
      ['LINDEX', 'l', '-9223372036854775808'],
      ['LINDEX', 'l', '9223372036854775808'],
      ['LINDEX', 'l', 'abc'],
      ['LINDEX', 'l', '1.5'],
      ['LINDEX', 'l', '-0'],
      ['LINDEX', 'l', '+1'],
      ['LINDEX', 'l', '01'],
      ['LINDEX', 'l', ' 1'],
      ['LRANGE', 'l', '-0', '1'],
      ['LPOP', 'l', '-0'],
      ['LPOP', 'l', '+1'],
      ['LINDEX', 'nokey', 'abc'],
      ['LINDEX', 'nokey', '0'],
      ['LPOP', 'l'],
      ['RPOP', 'l'],
      ['LPOP', 'nokey'],
      ['RPOP', 'nokey'],
      ['LPOP', 'l', '2'],
      ['RPOP', 'l', '2'],
      ['LPOP', 'l', '0'],
      ['RPOP', 'l', '0'],
      ['LPOP', 'nokey', '0'],
      ['LPOP', 'nokey', '3'],
      ['LPOP', 'l', '-1'],
      ['LPOP', 'nokey', '-1'],
      ['LPOP', 'l', 'abc'],
      ['RPOP', 'l', '9223372036854775807'],
      ['EXISTS', 'l'],
      ['RPUSH', 'l', 'only'],
      ['LPOP', 'l'],
      ['EXISTS', 'l'],
      ['RPUSH', 'l', 'a', 'b', 'c'],
      ['RPOP', 'l', '1'],
      ['LPOP', 'l', '5'],
      ['EXISTS', 'l'],
    ]);
  });

  it('RPOP/LPOP with the optional count, as list.tcl does', async () => {
    await same(pair, [
      ['LPUSH', 'listcount', 'aa', 'bb', 'cc', 'dd', 'ee', 'ff', 'gg'],
      ['LPOP', 'listcount', '1'],
      ['LPOP', 'listcount', '2'],
      ['RPOP', 'listcount', '2'],
      ['RPOP', 'listcount', '1'],
      ['RPOP', 'listcount', '123'],
      ['LPOP', 'forbarqaz', '-123'],
    ]);
  });

  it('null shapes of pops are byte-exact in RESP2 and RESP3', async () => {
    const cmds: Cmd[] = [
      ['RPUSH', 'l', 'zero'],
      ['LPOP', 'l', '0'],
      ['RPOP', 'l', '0'],
      ['LPOP', 'nokey'],
      ['RPOP', 'nokey'],
      ['LPOP', 'nokey', '0'],
      ['LPOP', 'nokey', '1'],
      ['RPOP', 'nokey', '0'],
      ['RPOP', 'nokey', '1'],
      ['LINDEX', 'nokey', '0'],
      ['LINDEX', 'l', '5'],
      ['LRANGE', 'nokey', '0', '-1'],
      ['LPOS', 'nokey', 'a'],
      ['LPOS', 'nokey', 'a', 'COUNT', '0'],
      ['LPOS', 'l', 'nomatch'],
      ['LPOS', 'l', 'nomatch', 'COUNT', '2'],
      ['LMOVE', 'nokey', 'dst', 'LEFT', 'RIGHT'],
      ['RPOPLPUSH', 'nokey', 'dst'],
      ['LMPOP', '2', 'nokey', 'nokey2', 'LEFT'],
      ['LMPOP', '1', 'nokey', 'RIGHT', 'COUNT', '10'],
      ['LPOP', 'l', '1'],
      ['RPUSH', 'l', 'a', 'b', 'c'],
      ['LMPOP', '1', 'l', 'RIGHT'],
      ['LPOS', 'l', 'a', 'COUNT', '0'],
      ['LRANGE', 'l', '0', '-1'],
      ['BLPOP', 'l', '0'],
    ];
    await sameRaw(cmds);
    await sameRaw([['HELLO', '3'], ...cmds]);
  });

  it('binary-safe elements and integer-looking strings come back unchanged', async () => {
    const bin = Buffer.from([0, 255, 13, 10, 128, 36]);
    await same(pair, [
      ['RPUSH', 'l', bin, '-0', '+1', '01', '-9223372036854775808', '9223372036854775808', '0', '1 ', '', ' '],
      ['LRANGE', 'l', '0', '-1'],
      ['LPOS', 'l', '0'],
      ['LPOS', 'l', '-0'],
      ['LPOS', 'l', bin],
      ['LPOS', 'l', ''],
      ['LINSERT', 'l', 'BEFORE', '0', 'X'],
      ['LREM', 'l', '1', '-0'],
      ['LREM', 'l', '0', ''],
      ['LINDEX', 'l', '0'],
      ['LRANGE', 'l', '0', '-1'],
    ]);
  });

  it('a large list keeps order through pushes and pops at both ends', async () => {
    const n = 1000;
    const items = Array.from({ length: n }, (_, i) => String(i));
    await same(pair, [
      ['RPUSH', 'big', ...items.slice(0, 500)],
      ['LPUSH', 'big', ...items.slice(500)],
      ['LLEN', 'big'],
      ['LINDEX', 'big', '0'],
      ['LINDEX', 'big', '499'],
      ['LINDEX', 'big', '500'],
      ['LINDEX', 'big', '-1'],
      ['LRANGE', 'big', '0', '-1'],
      ['LPOP', 'big', '300'],
      ['RPOP', 'big', '300'],
      ['LRANGE', 'big', '0', '-1'],
      ['LRANGE', 'big', '-200', '-100'],
    ]);
  });
});

describe('ranges', () => {
  it('LRANGE over every start/stop pair, against lists of 0..5 elements', async () => {
    const idx = ['-7', '-6', '-5', '-4', '-3', '-2', '-1', '0', '1', '2', '3', '4', '5', '6', '9223372036854775807', '-9223372036854775808'];
    const cmds: Cmd[] = [['RPUSH', 'l1', 'a'], ['RPUSH', 'l5', 'a', 'b', 'c', 'd', 'e']];
    for (const key of ['l0', 'l1', 'l5']) for (const a of idx) for (const b of idx) cmds.push(['LRANGE', key, a, b]);
    await same(pair, cmds);
  });

  it('LRANGE argument errors come before the key lookup', async () => {
    await same(pair, [
      ['SET', 's', 'x'],
      ['LRANGE', 's', 'a', '1'],
      ['LRANGE', 's', '0', 'b'],
      ['LRANGE', 's', '0', '1'],
      ['LRANGE', 'nokey', '0', ''],
      ['LRANGE', 'nokey', '9223372036854775808', '0'],
      ['LRANGE', 'nokey', ' 1', '0'],
    ]);
  });

  it('LTRIM over every start/stop pair', async () => {
    const idx = ['-7', '-5', '-4', '-2', '-1', '0', '1', '2', '4', '5', '6', '-9223372036854775808', '9223372036854775807'];
    const cmds: Cmd[] = [];
    for (const a of idx) {
      for (const b of idx) {
        cmds.push(['DEL', 'l'], ['RPUSH', 'l', '1', '2', '3', '4', 'large-value-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx']);
        cmds.push(['LTRIM', 'l', a, b], ['LRANGE', 'l', '0', '-1'], ['EXISTS', 'l']);
      }
    }
    await same(pair, cmds);
  });

  it('LTRIM errors, missing keys, and the dirty count of removed elements', async () => {
    await same(pair, [['SET', 's', 'x'], ['LTRIM', 's', 'x', '0'], ['LTRIM', 's', '0', '0'], ['LTRIM', 'nokey', '0', '0'], ['LTRIM', 'nokey', 'a', '0']]);
    await sameDirty(pair, [['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e'], ['LTRIM', 'l', '1', '-2'], ['LTRIM', 'l', '0', '-1'], ['LTRIM', 'l', '5', '1'], ['EXISTS', 'l']]);
  });
});

describe('in-place edits', () => {
  it('LSET: index forms, "no such key", "index out of range" and the order of errors', async () => {
    await sameDirty(pair, [
      ['RPUSH', 'l', '99', '98', 'x', '96', '95'],
      ['LSET', 'l', '1', 'foo'],
      ['LSET', 'l', '-1', 'bar'],
      ['LSET', 'l', '-5', 'first'],
      ['LRANGE', 'l', '0', '-1'],
      ['LSET', 'l', '5', 'x'],
      ['LSET', 'l', '-6', 'x'],
      ['LSET', 'l', '9223372036854775807', 'x'],
      ['LSET', 'l', 'abc', 'x'],
      ['LSET', 'nokey', '0', 'x'],
      ['LSET', 'nokey', 'abc', 'x'],
      ['SET', 's', 'v'],
      ['LSET', 's', 'abc', 'x'],
      ['LSET', 's', '0', 'x'],
      ['LRANGE', 'l', '0', '-1'],
    ]);
  });

  it('LINSERT before and after, missing pivots, missing keys, syntax errors', async () => {
    await sameDirty(pair, [
      ['RPUSH', 'l', 'a', 'b', 'c', 'd'],
      ['LINSERT', 'l', 'before', 'c', 'zz'],
      ['LINSERT', 'l', 'AFTER', 'c', 'yy'],
      ['LINSERT', 'l', 'after', 'd', 'dd'],
      ['LINSERT', 'l', 'after', 'bad', 'ddd'],
      ['LINSERT', 'l', 'Before', 'a', 'aa'],
      ['LINSERT', 'l', 'before', 'bad', 'aaa'],
      ['LINSERT', 'l', 'before', 'aa', '42'],
      ['LRANGE', 'l', '0', '-1'],
      ['RPUSH', 'dup', 'x', 'y', 'x'],
      ['LINSERT', 'dup', 'after', 'x', 'new'],
      ['LRANGE', 'dup', '0', '-1'],
      ['LINSERT', 'nokey', 'before', 'a', 'b'],
      ['LINSERT', 'nokey', 'middle', 'a', 'b'],
      ['LINSERT', 'l', 'aft3r', 'aa', '42'],
      ['SET', 's', 'x'],
      ['LINSERT', 's', 'before', 'a', 'b'],
      ['LINSERT', 's', 'foo', 'a', 'b'],
      ['EXISTS', 'nokey'],
    ]);
  });

  it('LINSERT in the middle of a long list keeps every element in place', async () => {
    const items = Array.from({ length: 300 }, (_, i) => `e${i}`);
    const cmds: Cmd[] = [['RPUSH', 'l', ...items]];
    for (const i of [1, 2, 50, 149, 150, 151, 250, 298, 299]) cmds.push(['LINSERT', 'l', i % 2 ? 'before' : 'after', `e${i}`, `new${i}`]);
    cmds.push(['LRANGE', 'l', '0', '-1']);
    await same(pair, cmds);
  });

  it('LREM from the head, the tail, all occurrences; deletes an emptied list', async () => {
    await sameDirty(pair, [
      ['RPUSH', 'l', 'e', 'foo', 'bar', 'foobar', 'foobared', 'zap', 'bar', 'test', 'foo'],
      ['LREM', 'l', '0', 'bar'],
      ['LRANGE', 'l', '0', '-1'],
      ['LREM', 'l', '1', 'foo'],
      ['LRANGE', 'l', '0', '-1'],
      ['LREM', 'l', '1', 'nosuchelement'],
      ['DEL', 'l'],
      ['RPUSH', 'l', 'e', 'foo', 'bar', 'foobar', 'foobared', 'zap', 'bar', 'test', 'foo', 'foo'],
      ['LREM', 'l', '-1', 'bar'],
      ['LRANGE', 'l', '0', '-1'],
      ['LREM', 'l', '-2', 'foo'],
      ['LRANGE', 'l', '0', '-1'],
      ['RPUSH', 'n', 'e', '1', '2', '3'],
      ['LREM', 'n', '1', '2'],
      ['LLEN', 'n'],
      ['RPUSH', 'same', 'x', 'x', 'x'],
      ['LREM', 'same', '-9223372036854775808', 'x'],
      ['EXISTS', 'same'],
      ['RPUSH', 'same', 'x', 'y', 'x', 'y', 'x'],
      ['LREM', 'same', '9223372036854775807', 'x'],
      ['LRANGE', 'same', '0', '-1'],
      ['LREM', 'nokey', '0', 'x'],
      ['LREM', 'nokey', 'x', 'x'],
      ['SET', 's', 'v'],
      ['LREM', 's', 'x', 'x'],
      ['LREM', 's', '0', 'x'],
    ]);
  });
});

describe('LPOS', () => {
  it('basic usage, RANK, COUNT, MAXLEN and their combinations (list.tcl)', async () => {
    await same(pair, [
      ['RPUSH', 'l', 'a', 'b', 'c', '1', '2', '3', 'c', 'c'],
      ['LPOS', 'l', 'a'],
      ['LPOS', 'l', 'c'],
      ['LPOS', 'l', 'c', 'RANK', '1'],
      ['LPOS', 'l', 'c', 'RANK', '2'],
      ['LPOS', 'l', 'c', 'RANK', '4'],
      ['LPOS', 'l', 'c', 'RANK', '-1'],
      ['LPOS', 'l', 'c', 'RANK', '-2'],
      ['LPOS', 'l', 'c', 'RANK', '0'],
      ['LPOS', 'l', 'c', 'COUNT', '0'],
      ['LPOS', 'l', 'c', 'COUNT', '1'],
      ['LPOS', 'l', 'c', 'COUNT', '2'],
      ['LPOS', 'l', 'c', 'COUNT', '100'],
      ['LPOS', 'l', 'c', 'COUNT', '0', 'RANK', '2'],
      ['LPOS', 'l', 'c', 'COUNT', '2', 'RANK', '-1'],
      ['LPOS', 'nokey', 'c', 'COUNT', '0', 'RANK', '2'],
      ['LPOS', 'l', 'x', 'COUNT', '2', 'RANK', '-1'],
      ['LPOS', 'l', 'x', 'RANK', '-1'],
      ['LPOS', 'l', 'a', 'COUNT', '0', 'MAXLEN', '1'],
      ['LPOS', 'l', 'c', 'COUNT', '0', 'MAXLEN', '1'],
      ['LPOS', 'l', 'c', 'COUNT', '0', 'MAXLEN', '3'],
      ['LPOS', 'l', 'c', 'COUNT', '0', 'MAXLEN', '3', 'RANK', '-1'],
      ['LPOS', 'l', 'c', 'COUNT', '0', 'MAXLEN', '7', 'RANK', '2'],
      ['LPOS', 'l', 'c', 'MAXLEN', '2'],
      ['LPOS', 'l', 'c', 'MAXLEN', '0', 'RANK', '3'],
      ['LPOS', 'l', 'c', 'RANK', '2', 'RANK', '1'],
      ['LPOS', 'l', 'c', 'COUNT', '1', 'COUNT', '0'],
      ['DEL', 'l'],
      ['LPUSH', 'l', 'a'],
      ['LPOS', 'l', 'b', 'COUNT', '10', 'RANK', '5'],
    ]);
  });

  it('extreme ranks, including the LONG_MIN rank that overflows in Redis', async () => {
    await same(pair, [
      ['RPUSH', 'l', 'a', 'b', 'a', 'c', 'a'],
      ['LPOS', 'l', 'a', 'RANK', '-9223372036854775808'],
      ['LPOS', 'l', 'a', 'RANK', '-9223372036854775808', 'COUNT', '2'],
      ['LPOS', 'l', 'a', 'RANK', '-9223372036854775808', 'COUNT', '1'],
      ['LPOS', 'l', 'a', 'RANK', '-9223372036854775808', 'COUNT', '2', 'MAXLEN', '3'],
      ['LPOS', 'l', 'a', 'RANK', '-9223372036854775807', 'COUNT', '0'],
      ['LPOS', 'l', 'a', 'RANK', '9223372036854775807', 'COUNT', '0'],
      ['LPOS', 'l', 'a', 'RANK', '9223372036854775807'],
      ['LPOS', 'l', 'a', 'RANK', '9223372036854775808'],
      ['LPOS', 'l', 'a', 'COUNT', '9223372036854775807'],
      ['LPOS', 'l', 'a', 'MAXLEN', '9223372036854775807'],
    ]);
  });

  it('errors: their texts and which one wins', async () => {
    await same(pair, [
      ['SET', 's', 'x'],
      ['RPUSH', 'l', 'a'],
      ['LPOS', 'l', 'a', 'RANK', '0'],
      ['LPOS', 'l', 'a', 'RANK', 'x'],
      ['LPOS', 'l', 'a', 'RANK'],
      ['LPOS', 'l', 'a', 'COUNT', '-1'],
      ['LPOS', 'l', 'a', 'COUNT', 'abc'],
      ['LPOS', 'l', 'a', 'COUNT'],
      ['LPOS', 'l', 'a', 'MAXLEN', '-1'],
      ['LPOS', 'l', 'a', 'MAXLEN', '1.5'],
      ['LPOS', 'l', 'a', 'foo', '1'],
      ['LPOS', 'l', 'a', 'COUNT', '1', 'bar'],
      ['LPOS', 's', 'a'],
      ['LPOS', 's', 'a', 'RANK', '0'],
      ['LPOS', 's', 'a', 'COUNT', '1'],
      ['LPOS', 'nokey', 'a', 'RANK', '0'],
      ['LPOS', 'nokey', 'a', 'COUNT', '-5'],
    ]);
  });
});

describe('moves', () => {
  it('LMOVE in every direction, to new and existing lists, and onto itself', async () => {
    const cmds: Cmd[] = [];
    for (const from of ['LEFT', 'RIGHT']) {
      for (const to of ['left', 'right']) {
        cmds.push(
          ['DEL', 'src', 'dst'],
          ['RPUSH', 'src', 'a', 'large-value-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'c', 'd'],
          ['LMOVE', 'src', 'dst', from, to],
          ['LMOVE', 'src', 'dst', from, to],
          ['LRANGE', 'src', '0', '-1'],
          ['LRANGE', 'dst', '0', '-1'],
          ['RPUSH', 'self', 'a', 'b', 'c'],
          ['LMOVE', 'self', 'self', from, to],
          ['LRANGE', 'self', '0', '-1'],
          ['DEL', 'self'],
          ['RPUSH', 'one', 'x'],
          ['LMOVE', 'one', 'one', from, to],
          ['LRANGE', 'one', '0', '-1'],
          ['LMOVE', 'one', 'other', from, to],
          ['EXISTS', 'one'],
          ['LRANGE', 'other', '0', '-1'],
          ['DEL', 'other'],
        );
      }
    }
    await sameDirty(pair, cmds);
  });

  it('RPOPLPUSH and LMOVE errors: wrong source, wrong destination, bad directions, missing keys', async () => {
    await same(pair, [
      ['RPUSH', 'src', 'a', 'b', 'c', 'd'],
      ['SET', 'str', 'x'],
      ['RPOPLPUSH', 'src', 'dst'],
      ['RPOPLPUSH', 'src', 'dst'],
      ['LRANGE', 'src', '0', '-1'],
      ['LRANGE', 'dst', '0', '-1'],
      ['RPOPLPUSH', 'src', 'src'],
      ['LRANGE', 'src', '0', '-1'],
      ['RPOPLPUSH', 'str', 'dst'],
      ['RPOPLPUSH', 'src', 'str'],
      ['LRANGE', 'src', '0', '-1'],
      ['RPOPLPUSH', 'nokey', 'str'],
      ['RPOPLPUSH', 'nokey', 'dst2'],
      ['EXISTS', 'dst2'],
      ['LMOVE', 'src', 'dst', 'up', 'left'],
      ['LMOVE', 'src', 'dst', 'left', 'down'],
      ['LMOVE', 'str', 'dst', 'up', 'left'],
      ['LMOVE', 'str', 'dst', 'left', 'left'],
      ['LMOVE', 'src', 'str', 'left', 'left'],
      ['LMOVE', 'nokey', 'str', 'left', 'left'],
      ['TYPE', 'str'],
    ]);
  });

  it('LMPOP: argument errors, single and multiple lists, COUNT', async () => {
    await sameDirty(pair, [
      ['LMPOP', '0', 'l', 'LEFT'],
      ['LMPOP', 'a', 'l', 'LEFT'],
      ['LMPOP', '-1', 'l', 'RIGHT'],
      ['LMPOP', '1', 'l', 'bad_where'],
      ['LMPOP', '1', 'l', 'LEFT', 'bar_arg'],
      ['LMPOP', '1', 'l', 'RIGHT', 'LEFT'],
      ['LMPOP', '1', 'l', 'COUNT'],
      ['LMPOP', '1', 'l', 'LEFT', 'COUNT', '1', 'COUNT', '2'],
      ['LMPOP', '2', 'l', 'l2', 'bad_arg'],
      ['LMPOP', '1', 'l', 'LEFT', 'COUNT', '0'],
      ['LMPOP', '1', 'l', 'RIGHT', 'COUNT', 'a'],
      ['LMPOP', '1', 'l', 'LEFT', 'COUNT', '-1'],
      ['LMPOP', '2', 'l', 'l2', 'RIGHT', 'COUNT', '-1'],
      ['LMPOP', '3', 'l', 'LEFT'],
      ['LMPOP', '9223372036854775807', 'l', 'LEFT'],
      ['LMPOP', '9223372036854775808', 'l', 'LEFT'],
      ['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e', 'f'],
      ['LMPOP', '2', 'l', 'l', 'left', 'count', '2'],
      ['LMPOP', '2', 'l', 'l', 'right', 'count', '2'],
      ['LLEN', 'l'],
      ['LMPOP', '1', 'l', 'LEFT'],
      ['LMPOP', '2', 'nokey', 'l', 'RIGHT', 'COUNT', '10'],
      ['LMPOP', '2', 'l', 'nokey', 'RIGHT', 'COUNT', '10'],
      ['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e'],
      ['RPUSH', 'l2', '1', '2', '3', '4', '5'],
      ['LMPOP', '2', 'l', 'l2', 'LEFT', 'COUNT', '2'],
      ['LMPOP', '2', 'l', 'l2', 'RIGHT', 'COUNT', '3'],
      ['LMPOP', '2', 'l', 'l2', 'LEFT', 'COUNT', '3'],
      ['LMPOP', '2', 'l', 'l2', 'RIGHT', 'COUNT', '2'],
      ['EXISTS', 'l', 'l2'],
      ['SET', 's', 'x'],
      ['LMPOP', '2', 's', 'l', 'LEFT'],
      ['RPUSH', 'l', 'a'],
      ['LMPOP', '2', 'l', 's', 'LEFT'],
      ['LMPOP', '2', 'nokey', 's', 'LEFT'],
    ]);
  });
});

describe('types, keys and signals', () => {
  it('WRONGTYPE from every command against a string, and what each does with a missing key', async () => {
    await same(pair, [
      ['SET', 's', 'foobar'],
      ['LPUSH', 's', 'x'],
      ['RPUSH', 's', 'x'],
      ['LPUSHX', 's', 'x'],
      ['RPUSHX', 's', 'x'],
      ['LPOP', 's'],
      ['RPOP', 's', '2'],
      ['LPOP', 's', '0'],
      ['LLEN', 's'],
      ['LRANGE', 's', '0', '-1'],
      ['LINDEX', 's', '0'],
      ['LSET', 's', '0', 'x'],
      ['LINSERT', 's', 'before', 'a', 'b'],
      ['LREM', 's', '0', 'a'],
      ['LTRIM', 's', '0', '1'],
      ['LPOS', 's', 'a'],
      ['LMOVE', 's', 'd', 'left', 'left'],
      ['RPOPLPUSH', 's', 'd'],
      ['LMPOP', '1', 's', 'LEFT'],
      ['BLPOP', 's', '0'],
      ['BRPOP', 'nokey', 's', '0'],
      ['BLMOVE', 's', 'd', 'left', 'left', '0'],
      ['BRPOPLPUSH', 's', 'd', '0'],
      ['BLMPOP', '0', '1', 's', 'LEFT'],
      ['GET', 's'],
      ['EXISTS', 'd'],
    ]);
  });

  it('every list is a quicklist, small or large, and emptied lists are gone', async () => {
    await same(pair, [
      ['RPUSH', 'small', 'a'],
      ['RPUSH', 'big', 'x'.repeat(10_000)],
      ['OBJECT', 'ENCODING', 'small'],
      ['OBJECT', 'ENCODING', 'big'],
      ['TYPE', 'small'],
      ['LPOP', 'small'],
      ['EXISTS', 'small'],
      ['TYPE', 'small'],
    ]);
  });

  it('dirty counts every pushed and popped element', async () => {
    await sameDirty(pair, [
      ['RPUSH', 'l', 'a', 'b', 'c'],
      ['LPUSH', 'l', 'x'],
      ['LPUSHX', 'l', 'y', 'z'],
      ['LPUSHX', 'nokey', 'y'],
      ['LPOP', 'l'],
      ['RPOP', 'l', '2'],
      ['LPOP', 'l', '0'],
      ['LPOP', 'nokey', '2'],
      ['LINSERT', 'l', 'after', 'nomatch', 'q'],
      ['LREM', 'l', '0', 'nomatch'],
      ['RPOPLPUSH', 'l', 'l2'],
      ['LMPOP', '2', 'l', 'l2', 'LEFT', 'COUNT', '5'],
      ['LLEN', 'l'],
      ['LRANGE', 'l2', '0', '-1'],
      ['BLPOP', 'l', 'l2', '0'],
      ['RPUSH', 'l', 'a', 'b', 'c'],
      ['BRPOP', 'l', '0'],
      ['BLMPOP', '0', '1', 'l', 'LEFT', 'COUNT', '5'],
      ['RPUSH', 'l', 'a', 'b'],
      ['BLMOVE', 'l', 'l2', 'LEFT', 'RIGHT', '0'],
      ['BRPOPLPUSH', 'l', 'l2', '0'],
    ]);
  });

  it('in-place changes abort a WATCHed transaction; no-ops and reads do not', async () => {
    const steps: Array<[Cmd, string]> = [
      [['LPUSH', 'w', 'x'], 'push'],
      [['RPUSHX', 'w', 'x'], 'pushx'],
      [['LPUSHX', 'nokey', 'x'], 'pushx on a missing key'],
      [['LPOP', 'w'], 'pop'],
      [['LSET', 'w', '0', 'new'], 'lset'],
      [['LINSERT', 'w', 'before', 'b', 'n'], 'linsert'],
      [['LINSERT', 'w', 'before', 'nomatch', 'n'], 'linsert without pivot'],
      [['LREM', 'w', '0', 'c'], 'lrem'],
      [['LREM', 'w', '0', 'nomatch'], 'lrem without match'],
      [['LTRIM', 'w', '0', '-1'], 'ltrim keeping everything'],
      [['LTRIM', 'w', '1', '-1'], 'ltrim'],
      [['LMOVE', 'other', 'w', 'left', 'left'], 'lmove into'],
      [['LMOVE', 'w', 'other', 'left', 'left'], 'lmove out of'],
      [['LMPOP', '1', 'w', 'RIGHT'], 'lmpop'],
      [['LRANGE', 'w', '0', '-1'], 'lrange'],
      [['LPOS', 'w', 'a'], 'lpos'],
      [['LLEN', 'w'], 'llen'],
      [['LPOP', 'w', '0'], 'pop of zero elements'],
    ];
    const conns = [
      [pair.r, await RespClient.connect(pair.redis.port)],
      [pair.e, await RespClient.connect(pair.engine.port)],
    ] as const;
    try {
      for (const [cmd, what] of steps) {
        const out: string[] = [];
        for (const [admin, watcher] of conns) {
          await admin.call('DEL', 'w', 'other');
          await admin.call('RPUSH', 'w', 'a', 'b', 'c');
          await admin.call('RPUSH', 'other', 'o');
          await watcher.call('WATCH', 'w');
          await admin.call(...cmd);
          await watcher.call('MULTI');
          await watcher.call('PING');
          out.push(show(await watcher.call('EXEC')));
        }
        expect(out[1], what).toBe(out[0]);
      }
    } finally {
      conns[0][1].close();
      conns[1][1].close();
    }
  });

  it('reads count keyspace hits and misses, writes and pops do not', async () => {
    const stats = async (c: RespClient): Promise<string> => {
      const v = await c.call('INFO', 'stats');
      const t = v.t === 'bulk' || v.t === 'verbatim' ? v.v : '';
      return ['keyspace_hits', 'keyspace_misses'].map((f) => new RegExp(`^${f}:(\\d+)`, 'm').exec(t)?.[1]).join('/');
    };
    const cmds: Cmd[] = [
      ['RPUSH', 'l', 'a', 'b', 'c'],
      ['LPUSHX', 'nokey', 'a'],
      ['LLEN', 'l'],
      ['LLEN', 'nokey'],
      ['LINDEX', 'l', '0'],
      ['LINDEX', 'nokey', '0'],
      ['LRANGE', 'l', '0', '-1'],
      ['LRANGE', 'nokey', '0', '-1'],
      ['LPOS', 'l', 'a'],
      ['LPOS', 'nokey', 'a'],
      ['LSET', 'l', '0', 'x'],
      ['LINSERT', 'nokey', 'before', 'a', 'b'],
      ['LPOP', 'nokey'],
      ['LMOVE', 'l', 'l2', 'left', 'left'],
      ['LMPOP', '2', 'nokey', 'l', 'LEFT'],
      ['BLPOP', 'nokey', 'l', '0'],
      ['LTRIM', 'l2', '0', '0'],
      ['LREM', 'l2', '0', 'x'],
    ];
    await same(pair, [['CONFIG', 'RESETSTAT'], ...cmds]);
    expect(await stats(pair.e)).toBe(await stats(pair.r));
  });

  it('in-place changes keep the TTL; an expired list is gone for every command', async () => {
    await same(pair, [
      ['RPUSH', 'l', 'a', 'b'],
      ['EXPIRE', 'l', '100'],
      ['LPUSH', 'l', 'c'],
      ['LSET', 'l', '0', 'x'],
      ['LPOP', 'l'],
      ['TTL', 'l'],
      ['RPUSH', 'gone', 'a'],
      ['PEXPIRE', 'gone', '1'],
    ]);
    await new Promise((r) => setTimeout(r, 20));
    await same(pair, [
      ['LLEN', 'gone'],
      ['LPUSHX', 'gone', 'x'],
      ['LPOP', 'gone', '1'],
      ['LSET', 'gone', '0', 'x'],
      ['RPUSH', 'gone', 'new'],
      ['TTL', 'gone'],
      ['LRANGE', 'gone', '0', '-1'],
    ]);
  });
});

// --- generated sequences ---------------------------------------------------------------------------

describe('generated command sequences', () => {
  const keys = ['k1', 'k2', 'k3'];
  const key = fc.constantFrom(...keys, 'str');
  const ele = fc.constantFrom('a', 'b', 'c', '1', '10', '-1', '', 'x\x00y', 'long-element-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx');
  const eles = fc.array(ele, { minLength: 1, maxLength: 4 });
  const idx = fc.oneof(fc.integer({ min: -6, max: 6 }).map(String), fc.constantFrom('x', '9223372036854775807', '-9223372036854775808'));
  const end = fc.constantFrom('LEFT', 'RIGHT', 'left', 'middle');
  const countArg = fc.constantFrom([] as string[], ['0'], ['1'], ['2'], ['5'], ['-1']);
  const lposOpts = fc.subarray(['RANK', '2', 'RANK', '-1', 'COUNT', '0', 'COUNT', '2', 'MAXLEN', '3'], { maxLength: 4 });
  const keyList = fc.array(fc.constantFrom(...keys), { minLength: 1, maxLength: 3 });
  const command: fc.Arbitrary<Cmd> = fc.oneof(
    { arbitrary: fc.tuple(fc.constantFrom('LPUSH', 'RPUSH', 'LPUSHX', 'RPUSHX'), key, eles).map(([c, k, e]) => [c, k, ...e]), weight: 8 },
    { arbitrary: fc.tuple(fc.constantFrom('LPOP', 'RPOP'), key, countArg).map(([c, k, n]) => [c, k, ...n]), weight: 3 },
    fc.tuple(key).map(([k]) => ['LLEN', k]),
    fc.tuple(key, idx, idx).map(([k, a, b]) => ['LRANGE', k, a, b]),
    fc.tuple(key, idx).map(([k, i]) => ['LINDEX', k, i]),
    fc.tuple(key, idx, ele).map(([k, i, e]) => ['LSET', k, i, e]),
    fc.tuple(key, fc.constantFrom('BEFORE', 'after', 'x'), ele, ele).map(([k, w, p, e]) => ['LINSERT', k, w, p, e]),
    fc.tuple(key, fc.integer({ min: -3, max: 3 }), ele).map(([k, n, e]) => ['LREM', k, String(n), e]),
    fc.tuple(key, idx, idx).map(([k, a, b]) => ['LTRIM', k, a, b]),
    fc.tuple(key, ele, lposOpts).map(([k, e, o]) => ['LPOS', k, e, ...o]),
    { arbitrary: fc.tuple(key, key, end, end).map(([a, b, f, t]) => ['LMOVE', a, b, f, t]), weight: 2 },
    fc.tuple(key, key).map(([a, b]) => ['RPOPLPUSH', a, b]),
    fc.tuple(keyList, end, fc.constantFrom([] as string[], ['COUNT', '2'], ['COUNT', '10'])).map(([ks, w, c]) => ['LMPOP', String(ks.length), ...ks, w, ...c]),
    fc.tuple(fc.constantFrom('BLPOP', 'BRPOP'), keyList).map(([c, ks]) => [c, ...ks, '0.01']),
    fc.tuple(key, key, end, end).map(([a, b, f, t]) => ['BLMOVE', a, b, f, t, '0.01']),
    fc.tuple(keyList, end).map(([ks, w]) => ['BLMPOP', '0.01', String(ks.length), ...ks, w, 'COUNT', '2']),
    fc.constantFrom<Cmd>(['SET', 'str', 'v'], ['DEL', 'str'], ['DEL', 'k1'], ['EXISTS', 'k1', 'k2', 'k3']),
  );

  it('match Redis reply for reply', async () => {
    const runs = fc.sample(fc.array(command, { minLength: 10, maxLength: 80, size: 'max' }), { seed: 4242, numRuns: 80 });
    const problems: string[] = [];
    for (const cmds of runs) {
      await pair.r.call('FLUSHALL');
      for (const db of engine.dbs) db.flush();
      problems.push(...(await diff(pair, [...cmds, ...keys.map((k): Cmd => ['LRANGE', k, '0', '-1'])])));
      if (problems.length > 5) break;
    }
    expect(problems.slice(0, 5).join('\n')).toBe('');
  });
});

// --- the ring buffer under the lists ---------------------------------------------------------------

describe('Deque', () => {
  type Op =
    | ['push' | 'unshift', number]
    | ['pop' | 'shift']
    | ['insertAt', number, number]
    | ['removeAt', number]
    | ['setAt', number, number]
    | ['dropFront' | 'dropBack', number]
    | ['removeIndexes', number[]];
  const op: fc.Arbitrary<Op> = fc.oneof(
    { arbitrary: fc.tuple(fc.constantFrom('push' as const, 'unshift' as const), fc.integer()), weight: 6 },
    { arbitrary: fc.constantFrom<Op>(['pop'], ['shift']), weight: 2 },
    { arbitrary: fc.tuple(fc.constant('insertAt' as const), fc.nat(40), fc.integer()), weight: 3 },
    { arbitrary: fc.tuple(fc.constant('removeAt' as const), fc.nat(40)), weight: 2 },
    fc.tuple(fc.constant('setAt' as const), fc.nat(40), fc.integer()),
    fc.tuple(fc.constantFrom('dropFront' as const, 'dropBack' as const), fc.nat(6)),
    fc.tuple(fc.constant('removeIndexes' as const), fc.uniqueArray(fc.nat(40), { maxLength: 5 })),
  );

  it('behaves like an array for every operation, across ring wrap-arounds and growth', () => {
    fc.assert(
      fc.property(fc.nat(6), fc.array(op, { minLength: 20, maxLength: 150, size: 'max' }), (cap, ops) => {
        const d = new Deque<number>(cap);
        const model: number[] = [];
        for (const o of ops) {
          switch (o[0]) {
            case 'push':
              d.push(o[1]);
              model.push(o[1]);
              break;
            case 'unshift':
              d.unshift(o[1]);
              model.unshift(o[1]);
              break;
            case 'pop':
              expect(d.pop()).toBe(model.pop());
              break;
            case 'shift':
              expect(d.shift()).toBe(model.shift());
              break;
            case 'insertAt': {
              const i = Math.min(o[1], model.length);
              d.insertAt(i, o[2]);
              model.splice(i, 0, o[2]);
              break;
            }
            case 'removeAt':
              expect(d.removeAt(o[1])).toBe(o[1] < model.length ? model.splice(o[1], 1)[0] : undefined);
              break;
            case 'setAt':
              if (o[1] < model.length) {
                d.setAt(o[1], o[2]);
                model[o[1]] = o[2];
              } else {
                expect(() => d.setAt(o[1], o[2])).toThrow(RangeError);
              }
              break;
            case 'dropFront':
              d.dropFront(o[1]);
              model.splice(0, o[1]);
              break;
            case 'dropBack':
              d.dropBack(o[1]);
              model.splice(Math.max(0, model.length - o[1]), o[1]);
              break;
            case 'removeIndexes': {
              const idx = o[1].filter((i) => i < model.length).sort((a, b) => a - b);
              d.removeIndexes(idx);
              for (let k = idx.length - 1; k >= 0; k--) model.splice(idx[k]!, 1);
              break;
            }
          }
          expect(d.length).toBe(model.length);
        }
        expect(d.toArray()).toEqual(model);
        expect([...d]).toEqual(model);
        expect(d.slice(1, 4)).toEqual(model.slice(1, 4));
        for (let i = -1; i <= model.length; i++) expect(d.at(i)).toBe(model[i]);
      }),
      { seed: 99, numRuns: 300 },
    );
  });
});
