// The blocking list commands compared with a real redis-server 7.0: every scenario runs on both
// servers with two to four connections and the replies are compared. Covered: serving at once,
// timeout parsing and its errors, a later push serving a blocked client, timeouts (null after
// about the timeout, the exact null shape on the wire), fair FIFO order among blocked clients,
// BLMOVE chains, circular and self-referential moves, a destination of the wrong type, keys that
// turn into other types while clients wait, pushes inside MULTI/EXEC, MULTI itself (no blocking),
// pipelined commands waiting behind a blocked command, BLMPOP counts, RESP3, and CLIENT UNBLOCK.

import net from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { same, startPair, type Cmd, type Pair } from '../../helpers/differential.js';
import { RespClient, encodeCommand } from '../../helpers/resp-client.js';
import type { Engine } from '../../../src/engine/engine.js';

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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `n` clients of the server are blocked (CLIENT LIST flags contain "b"). */
async function waitBlocked(admin: RespClient, n: number): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const v = await admin.call('CLIENT', 'LIST');
    const t = v.t === 'bulk' || v.t === 'verbatim' ? v.v : '';
    const blocked = t.split('\n').filter((l) => /flags=\w*b/.test(l)).length;
    if (blocked === n) return;
    await sleep(5);
  }
  throw new Error(`${n} blocked clients never showed up`);
}

interface Side {
  kind: 'redis' | 'engine';
  port: number;
  admin: RespClient;
  connect(resp3?: boolean): Promise<RespClient>;
  waitBlocked(n: number): Promise<void>;
}

/** Runs the same scenario against Redis and the engine and compares what it returns. */
async function onBoth(scenario: (s: Side) => Promise<unknown>): Promise<void> {
  const results: unknown[] = [];
  for (const [kind, port, admin] of [
    ['redis', pair.redis.port, pair.r],
    ['engine', pair.engine.port, pair.e],
  ] as const) {
    const opened: RespClient[] = [];
    const side: Side = {
      kind,
      port,
      admin,
      connect: async (resp3 = false) => {
        const c = await RespClient.connect(port);
        opened.push(c);
        if (resp3) await c.call('HELLO', '3');
        return c;
      },
      waitBlocked: (n) => waitBlocked(admin, n),
    };
    try {
      results.push(await scenario(side));
    } finally {
      for (const c of opened) c.close();
      await waitBlocked(admin, 0);
    }
  }
  expect(JSON.stringify(results[1], bigints), 'engine vs redis').toBe(JSON.stringify(results[0], bigints));
}

function bigints(_k: string, x: unknown): unknown {
  return typeof x === 'bigint' ? x.toString() : x;
}

/** A connection that collects raw reply bytes, for null shapes the parsed replies cannot tell apart. */
class RawConn {
  private data = '';
  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (d) => (this.data += d.toString('latin1')));
    socket.on('error', () => {});
  }
  static open(port: number): Promise<RawConn> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => resolve(new RawConn(s)));
      s.once('error', reject);
    });
  }
  send(...cmds: Cmd[]): void {
    this.socket.write(Buffer.concat(cmds.map((c) => encodeCommand(c))));
  }
  /** Waits until the bytes received end with `suffix`, and returns them all (then forgets them). */
  async until(suffix: string, timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (!this.data.endsWith(suffix)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${JSON.stringify(suffix)}; got ${JSON.stringify(this.data)}`);
      await sleep(2);
    }
    const out = this.data;
    this.data = '';
    return out;
  }
  close(): void {
    this.socket.destroy();
  }
}

describe('immediate answers', () => {
  it('pops and moves at once when a list has elements, in key order', async () => {
    await same(pair, [
      ['RPUSH', 'blist', 'a', 'b', 'large-value-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'c', 'd'],
      ['BLPOP', 'blist', '1'],
      ['BRPOP', 'blist', '1'],
      ['BLMPOP', '1', '1', 'blist', 'LEFT'],
      ['BLMPOP', '1', '1', 'blist', 'RIGHT', 'COUNT', '1'],
      ['LLEN', 'blist'],
      ['RPUSH', 'b1', 'a', 'x', 'c'],
      ['RPUSH', 'b2', 'd', 'x', 'f'],
      ['BLPOP', 'b1', 'b2', '1'],
      ['BRPOP', 'b2', 'b1', '1'],
      ['BLPOP', 'nokey', 'b2', '1'],
      ['BLMPOP', '1', '3', 'nokey', 'b1', 'b2', 'RIGHT', 'COUNT', '10'],
      ['BLMPOP', '0', '2', 'b1', 'b2', 'LEFT', 'COUNT', '10'],
      ['EXISTS', 'b1', 'b2'],
      ['RPUSH', 'src', 'a', 'b', 'c', 'd'],
      ['RPUSH', 'target', 'bar'],
      ['BRPOPLPUSH', 'src', 'target', '1'],
      ['BLMOVE', 'src', 'target', 'LEFT', 'RIGHT', '1'],
      ['BLMOVE', 'src', 'target', 'right', 'right', '0'],
      ['BLMOVE', 'src', 'target', 'left', 'left', '0'],
      ['EXISTS', 'src'],
      ['LRANGE', 'target', '0', '-1'],
      ['RPUSH', 'same', 'a', 'b'],
      ['BLPOP', 'same', 'same', 'same', '0'],
      ['BRPOPLPUSH', 'same', 'same', '0'],
      ['LRANGE', 'same', '0', '-1'],
    ]);
  });

  it('timeout texts: floats, hex, inf, nan, negatives, huge values; checked before the keys', async () => {
    const timeouts = [
      '-1', '-0.001', 'abc', '', ' 1', '1 ', 'nan', 'inf', '-inf', '+inf', 'infinity', '1e30', '1e308', '1e400', '1e5000',
      '9.3e15', '9223372036854775807', '0x', '1e', '--1', '1.5.5', '-0.001', '-0.0015', '-0.002', '-0.0009999', '-0.003', '-0.1',
      '-0.007', '-1e-4940', '1e-5000', '-0x1p-10', '-0x1p-9', '9223372036854775.807', '9223372036854775.808', '9.2233720368547758e15',
    ];
    const cmds: Cmd[] = [['SET', 's', 'x'], ['RPUSH', 'l', ...Array.from({ length: 100 }, (_, i) => `e${i}`)]];
    for (const t of timeouts) {
      cmds.push(['BLPOP', 's', t], ['BRPOP', 'l', t], ['BLMOVE', 's', 'd', 'left', 'left', t], ['BRPOPLPUSH', 's', 'd', t], ['BLMPOP', t, '1', 's', 'LEFT']);
    }
    cmds.push(
      // Timeouts that are accepted; the lists have data, so they answer at once.
      ['BLPOP', 'l', '0x10'],
      ['BLPOP', 'l', '0x1p-3'],
      ['BLPOP', 'l', '1e-10'],
      ['BLPOP', 'l', '-0'],
      ['BLPOP', 'l', '-0.0001'],
      ['BLPOP', 'l', '.5'],
      ['BLPOP', 'l', '3.'],
    );
    await same(pair, cmds);
  });

  it('BLMOVE and BLMPOP check their other arguments before the timeout', async () => {
    await same(pair, [
      ['SET', 's', 'x'],
      ['BLMOVE', 'l', 's', 'foo', 'left', 'abc'],
      ['BLMOVE', 'l', 's', 'left', 'foo', '-1'],
      ['BLMOVE', 'l', 's', 'left', 'left', 'abc'],
      ['BLMOVE', 's', 'l', 'left', 'left', '-1'],
      ['BLMPOP', 'abc', '0', 'l', 'LEFT'],
      ['BLMPOP', 'abc', 'x', 'l', 'LEFT'],
      ['BLMPOP', '-1', '1', 'l', 'MIDDLE'],
      ['BLMPOP', 'abc', '1', 'l', 'LEFT', 'COUNT', '0'],
      ['BLMPOP', 'abc', '1', 'l', 'LEFT', 'COUNT'],
      ['BLMPOP', 'abc', '1', 'l', 'LEFT'],
      ['BLMPOP', '-1', '1', 'l', 'LEFT'],
      ['BLMPOP', '0', '2', 'l', 'LEFT'],
      ['BLMPOP', '0', '1', 's', 'LEFT'],
      ['RPUSH', 'src', 'a'],
      ['BLMOVE', 'src', 's', 'left', 'left', '0'],
      ['BRPOPLPUSH', 'src', 's', '0'],
      ['LRANGE', 'src', '0', '-1'],
    ]);
  });
});

describe('blocking and serving', () => {
  it('BLPOP, BRPOP, BLMPOP are served by a later push; the emptied key is deleted', async () => {
    await onBoth(async (s) => {
      const out: unknown[] = [];
      const c = await s.connect();
      for (const cmd of [
        ['BLPOP', 'blist1', '1'],
        ['BRPOP', 'blist1', '0'],
        ['BLMPOP', '0.5', '1', 'blist1', 'LEFT'],
        ['BLMPOP', '0', '1', 'blist1', 'RIGHT', 'COUNT', '5'],
        ['BLPOP', 'blist1', 'blist2', '1'],
      ]) {
        const p = c.call(...cmd);
        await s.waitBlocked(1);
        out.push(await s.admin.call('RPUSH', cmd.includes('blist2') ? 'blist2' : 'blist1', 'foo'));
        out.push(await p, await s.admin.call('EXISTS', 'blist1', 'blist2'));
      }
      return out;
    });
  });

  it('a variadic push serves the first element; the rest stays', async () => {
    await onBoth(async (s) => {
      const c = await s.connect();
      const p = c.call('BLPOP', 'blist', '0');
      await s.waitBlocked(1);
      const pushed = await s.admin.call('LPUSH', 'blist', 'foo', 'bar');
      return [pushed, await p, await s.admin.call('LRANGE', 'blist', '0', '-1')];
    });
  });

  it('times out with a null after about the timeout, and the connection keeps working', async () => {
    await onBoth(async (s) => {
      const c = await s.connect();
      const t0 = Date.now();
      const r = await c.call('BLPOP', 'nokey', 'other', '0.2');
      const waited = Date.now() - t0;
      const r2 = await c.call('BLMOVE', 'nokey', 'dst', 'LEFT', 'RIGHT', '0.05');
      const r3 = await c.call('BLMPOP', '0.001', '1', 'nokey', 'LEFT');
      const r4 = await c.call('BRPOPLPUSH', 'nokey', 'dst', '0.0001');
      return [r, waited >= 190 && waited < 1500, r2, r3, r4, await c.call('PING'), await s.admin.call('EXISTS', 'dst')];
    });
  });

  it('a timeout of 0 waits indefinitely; a tiny negative one rounds to 0', async () => {
    await onBoth(async (s) => {
      const c = await s.connect();
      const d = await s.connect();
      const p1 = c.call('BLPOP', 'k', '0');
      const p2 = d.call('BRPOP', 'k2', '-0.0001');
      await s.waitBlocked(2);
      await sleep(300);
      const stillBlocked = await s.admin.call('CLIENT', 'LIST');
      const n = stillBlocked.t === 'bulk' || stillBlocked.t === 'verbatim' ? stillBlocked.v.split('\n').filter((l) => /flags=\w*b/.test(l)).length : -1;
      await s.admin.call('RPUSH', 'k', 'v1');
      await s.admin.call('RPUSH', 'k2', 'v2');
      return [n, await p1, await p2];
    });
  });

  it('timeout replies are null arrays on the wire, BLMOVE included; MULTI answers BLMOVE with a null bulk', async () => {
    for (const resp3 of [false, true]) {
      const got: string[] = [];
      for (const port of [pair.redis.port, pair.engine.port]) {
        const c = await RawConn.open(port);
        try {
          if (resp3) {
            c.send(['HELLO', '3']);
            await c.until('*0\r\n');
          }
          c.send(['BLPOP', 'nokey', '0.01'], ['BLMOVE', 'nokey', 'dst', 'left', 'left', '0.01'], ['BRPOPLPUSH', 'nokey', 'dst', '0.01']);
          c.send(['BLMPOP', '0.01', '1', 'nokey', 'LEFT'], ['ECHO', 'done']);
          const timeouts = await c.until('$4\r\ndone\r\n');
          c.send(['MULTI'], ['BLPOP', 'nokey', '0'], ['BLMOVE', 'nokey', 'dst', 'left', 'left', '0'], ['BRPOPLPUSH', 'nokey', 'dst', '0']);
          c.send(['BLMPOP', '0', '1', 'nokey', 'LEFT'], ['BRPOP', 'nokey', '0'], ['EXEC'], ['ECHO', 'done']);
          const multi = await c.until('$4\r\ndone\r\n');
          got.push(JSON.stringify([timeouts, multi]));
        } finally {
          c.close();
        }
      }
      expect(got[1], resp3 ? 'RESP3' : 'RESP2').toBe(got[0]);
    }
  });

  it('three clients blocked on one key are served first come, first served', async () => {
    await onBoth(async (s) => {
      const [c1, c2, c3] = [await s.connect(), await s.connect(), await s.connect()];
      const p1 = c1.call('BLPOP', 'q', '0');
      await s.waitBlocked(1);
      const p2 = c2.call('BRPOP', 'other', 'q', '0');
      await s.waitBlocked(2);
      const p3 = c3.call('BLMPOP', '0', '1', 'q', 'LEFT', 'COUNT', '2');
      await s.waitBlocked(3);
      const first = await s.admin.call('RPUSH', 'q', 'a');
      const r1 = await p1;
      await s.waitBlocked(2);
      const second = await s.admin.call('RPUSH', 'q', 'b', 'c', 'd', 'e');
      return [first, r1, second, await p2, await p3, await s.admin.call('LRANGE', 'q', '0', '-1')];
    });
  });

  it('BLMPOP with several blocked clients and one EXEC pushing two lists (list.tcl)', async () => {
    await onBoth(async (s) => {
      const rd = [await s.connect(), await s.connect(), await s.connect(), await s.connect()];
      const args: Cmd[] = [
        ['BLMPOP', '0', '2', 'blist', 'blist2', 'LEFT', 'COUNT', '1'],
        ['BLMPOP', '0', '2', 'blist', 'blist2', 'RIGHT', 'COUNT', '10'],
        ['BLMPOP', '0', '2', 'blist', 'blist2', 'LEFT', 'COUNT', '10'],
        ['BLMPOP', '0', '2', 'blist', 'blist2', 'RIGHT', 'COUNT', '1'],
      ];
      // Block them one at a time so their order is fixed.
      const ps: Array<Promise<unknown>> = [];
      for (let i = 0; i < 4; i++) {
        ps.push(rd[i]!.call(...args[i]!));
        await s.waitBlocked(i + 1);
      }
      const tx = await s.admin.pipeline([['MULTI'], ['LPUSH', 'blist', 'a', 'b', 'c', 'd', 'e'], ['LPUSH', 'blist2', '1', '2', '3', '4', '5'], ['EXEC']]);
      const [r1, r2, r3] = [await ps[0], await ps[1], await ps[2]];
      await s.admin.call('LPUSH', 'blist2', '1', '2', '3');
      return [tx, r1, r2, r3, await ps[3], await s.admin.call('LRANGE', 'blist2', '0', '-1')];
    });
  });

  it('BRPOPLPUSH / BLMOVE are served by a push, in every direction', async () => {
    await onBoth(async (s) => {
      const c = await s.connect();
      const out: unknown[] = [];
      for (const [from, to] of [
        ['left', 'left'],
        ['left', 'right'],
        ['right', 'left'],
        ['right', 'right'],
      ]) {
        await s.admin.call('DEL', 'blist', 'target');
        await s.admin.call('RPUSH', 'target', 'bar');
        const p = c.call('BLMOVE', 'blist', 'target', from!, to!, '0');
        await s.waitBlocked(1);
        await s.admin.call('RPUSH', 'blist', 'foo', 'baz');
        out.push(await p, await s.admin.call('LRANGE', 'target', '0', '-1'), await s.admin.call('LRANGE', 'blist', '0', '-1'));
      }
      await s.admin.call('DEL', 'blist', 'target');
      const p = c.call('BRPOPLPUSH', 'blist', 'target', '0');
      await s.waitBlocked(1);
      await s.admin.call('RPUSH', 'blist', 'foo');
      out.push(await p, await s.admin.call('LRANGE', 'target', '0', '-1'), await s.admin.call('EXISTS', 'blist'));
      return out;
    });
  });

  it('a BLMOVE chain: the push side of one served client serves the next (linked, circular, self)', async () => {
    await onBoth(async (s) => {
      const [c1, c2, c3] = [await s.connect(), await s.connect(), await s.connect()];
      const out: unknown[] = [];
      // Linked: list1 -> list2 -> list3, and a BLPOP waiting on list3 at the end.
      let p1 = c1.call('BLMOVE', 'list1', 'list2', 'RIGHT', 'LEFT', '0');
      await s.waitBlocked(1);
      let p2 = c2.call('BLMOVE', 'list2', 'list3', 'LEFT', 'RIGHT', '0');
      await s.waitBlocked(2);
      const p3 = c3.call('BLPOP', 'list3', '0');
      await s.waitBlocked(3);
      out.push(await s.admin.call('RPUSH', 'list1', 'foo'), await p1, await p2, await p3);
      out.push(await s.admin.call('EXISTS', 'list1', 'list2', 'list3'));
      // Circular: list1 -> list2 -> list1.
      p1 = c1.call('BRPOPLPUSH', 'list1', 'list2', '0');
      await s.waitBlocked(1);
      p2 = c2.call('BRPOPLPUSH', 'list2', 'list1', '0');
      await s.waitBlocked(2);
      out.push(await s.admin.call('RPUSH', 'list1', 'foo'), await p1, await p2);
      out.push(await s.admin.call('LRANGE', 'list1', '0', '-1'), await s.admin.call('LRANGE', 'list2', '0', '-1'));
      // Self-referential.
      await s.admin.call('DEL', 'list1');
      p1 = c1.call('BRPOPLPUSH', 'blist', 'blist', '0');
      await s.waitBlocked(1);
      out.push(await s.admin.call('RPUSH', 'blist', 'foo'), await p1, await s.admin.call('LRANGE', 'blist', '0', '-1'));
      return out;
    });
  });

  it('BLMOVE to a destination of another type: WRONGTYPE when served, the source keeps its order', async () => {
    await onBoth(async (s) => {
      const [c1, c2] = [await s.connect(), await s.connect()];
      await s.admin.call('SET', 'target1', 'nolist');
      const p1 = c1.call('BRPOPLPUSH', 'blist', 'target1', '0');
      await s.waitBlocked(1);
      const p2 = c2.call('BRPOPLPUSH', 'blist', 'target2', '0');
      await s.waitBlocked(2);
      const pushed = await s.admin.call('RPUSH', 'blist', 'a', 'b', 'c');
      const out = [pushed, await p1, await p2, await s.admin.call('LRANGE', 'blist', '0', '-1'), await s.admin.call('LRANGE', 'target2', '0', '-1')];
      // A lone BLMOVE whose destination is wrong leaves the whole source alone.
      await s.admin.call('DEL', 'blist');
      const p3 = c1.call('BLMOVE', 'blist', 'target1', 'LEFT', 'LEFT', '0');
      await s.waitBlocked(1);
      await s.admin.call('RPUSH', 'blist', 'x', 'y', 'z');
      out.push(await p3, await s.admin.call('LRANGE', 'blist', '0', '-1'), await c1.call('PING'));
      return out;
    });
  });

  it('a key that becomes another type does not serve; LPUSH + DEL in one EXEC wakes nobody', async () => {
    await onBoth(async (s) => {
      const c = await s.connect();
      const p = c.call('BLPOP', 'list', '0');
      await s.waitBlocked(1);
      const tx1 = await s.admin.pipeline([['MULTI'], ['LPUSH', 'list', 'a'], ['DEL', 'list'], ['EXEC']]);
      const tx2 = await s.admin.pipeline([['MULTI'], ['LPUSH', 'list', 'a'], ['DEL', 'list'], ['SET', 'list', 'foo'], ['EXEC']]);
      await s.admin.call('DEL', 'list');
      await s.admin.call('SADD', 'list', 'member');
      await s.admin.call('DEL', 'list');
      await s.admin.call('ZADD', 'list', '1', 'member');
      await s.admin.call('DEL', 'list');
      await s.admin.call('LPUSH', 'list', 'b');
      return [tx1, tx2, await p, await s.admin.call('EXISTS', 'list')];
    });
  });

  it('MULTI/EXEC is isolated: several pushes serve once, after the EXEC, from the final list', async () => {
    await onBoth(async (s) => {
      const [c1, c2] = [await s.connect(), await s.connect()];
      const p1 = c1.call('BLPOP', 'list', '0');
      await s.waitBlocked(1);
      const p2 = c2.call('BLMPOP', '0', '1', 'list', 'RIGHT', 'COUNT', '2');
      await s.waitBlocked(2);
      const tx = await s.admin.pipeline([['MULTI'], ['LPUSH', 'list', 'a'], ['LPUSH', 'list', 'b'], ['LPUSH', 'list', 'c'], ['RPUSH', 'list', 'z'], ['EXEC']]);
      return [tx, await p1, await p2, await s.admin.call('LRANGE', 'list', '0', '-1')];
    });
  });

  it('inside MULTI nothing blocks: pops take what is there, then answer null', async () => {
    await onBoth(async (s) => {
      const c = await s.connect();
      await s.admin.call('LPUSH', 'xlist', 'foo', 'bar');
      const tx1 = await c.pipeline([['MULTI'], ['BLPOP', 'xlist', '0'], ['BLPOP', 'xlist', '0'], ['BLPOP', 'xlist', '0'], ['EXEC']]);
      await s.admin.call('LPUSH', 'xlist', 'foo', 'bar');
      const tx2 = await c.pipeline([
        ['MULTI'],
        ['BRPOPLPUSH', 'xlist', 'target', '0'],
        ['BRPOPLPUSH', 'xlist', 'target', '0'],
        ['BRPOPLPUSH', 'xlist', 'target', '0'],
        ['LRANGE', 'xlist', '0', '-1'],
        ['LRANGE', 'target', '0', '-1'],
        ['EXEC'],
      ]);
      await s.admin.call('LPUSH', 'xlist', 'foo', 'bar');
      const tx3 = await c.pipeline([['MULTI'], ['BLMPOP', '0', '1', 'xlist', 'LEFT', 'COUNT', '5'], ['BLMPOP', '0', '1', 'xlist', 'LEFT'], ['BRPOP', 'xlist', '0'], ['BLMOVE', 'xlist', 'target', 'LEFT', 'LEFT', '0'], ['EXEC']]);
      return [tx1, tx2, tx3, await c.call('PING')];
    });
  });

  it('a push inside MULTI/EXEC, an LMOVE creating the key, and RENAME each wake a blocked client', async () => {
    await onBoth(async (s) => {
      const c = await s.connect();
      const out: unknown[] = [];
      let p = c.call('BLPOP', 'dst', '0');
      await s.waitBlocked(1);
      await s.admin.call('RPUSH', 'src', 'a', 'b', 'c');
      out.push(await s.admin.call('LMOVE', 'src', 'dst', 'LEFT', 'RIGHT'), await p);
      p = c.call('BRPOP', 'dst', '0');
      await s.waitBlocked(1);
      out.push(await s.admin.call('RPOPLPUSH', 'src', 'dst'), await p);
      p = c.call('BLMPOP', '0', '1', 'dst', 'LEFT', 'COUNT', '9');
      await s.waitBlocked(1);
      out.push(await s.admin.call('LMPOP', '1', 'src', 'LEFT'));
      out.push(await s.admin.pipeline([['MULTI'], ['RPUSH', 'dst', 'x'], ['RPUSH', 'dst', 'y'], ['EXEC']]), await p);
      p = c.call('BLPOP', 'foo', '0');
      await s.waitBlocked(1);
      await s.admin.call('LPUSH', 'bob', 'abc', 'def', 'hij');
      out.push(await s.admin.call('RENAME', 'bob', 'foo'), await p);
      return out;
    });
  });

  it('a push in another database does not wake; the right database does', async () => {
    await onBoth(async (s) => {
      const c = await s.connect();
      const other = await s.connect();
      await other.call('SELECT', '1');
      const p = c.call('BLPOP', 'k', '0');
      await s.waitBlocked(1);
      await other.call('RPUSH', 'k', 'wrongdb');
      await sleep(20);
      await s.admin.call('RPUSH', 'k', 'rightdb');
      const r = await p;
      const left = await other.call('LRANGE', 'k', '0', '-1');
      await other.call('FLUSHDB');
      return [r, left];
    });
  });

  it('serving adds to dirty as Redis does: BLPOP and BLMOVE nothing, BLMPOP its elements', async () => {
    await onBoth(async (s) => {
      const dirty = async (): Promise<number> => {
        if (s.kind === 'engine') return engine.dirty;
        const v = await s.admin.call('INFO', 'persistence');
        return Number(/^rdb_changes_since_last_save:(\d+)/m.exec(v.t === 'bulk' || v.t === 'verbatim' ? v.v : '')?.[1]);
      };
      const c = await s.connect();
      const out: unknown[] = [];
      for (const cmd of [
        ['BLPOP', 'q', '0'],
        ['BLMPOP', '0', '1', 'q', 'LEFT', 'COUNT', '5'],
        ['BLMOVE', 'q', 'd', 'LEFT', 'LEFT', '0'],
        ['BRPOPLPUSH', 'q', 'd', '0'],
      ]) {
        await s.admin.call('DEL', 'q');
        const p = c.call(...cmd);
        await s.waitBlocked(1);
        const d0 = await dirty();
        await s.admin.call('RPUSH', 'q', 'a', 'b', 'c');
        out.push(await p, (await dirty()) - d0);
      }
      return out;
    });
  });

  it('SWAPDB wakes a client blocked in the swapped-in database; the same key listed twice works', async () => {
    await onBoth(async (s) => {
      const c = await s.connect();
      const other = await s.connect();
      await other.call('SELECT', '1');
      await other.call('RPUSH', 'k', 'hello');
      await c.call('SELECT', '9');
      const p = c.call('BRPOP', 'k', '5');
      await s.waitBlocked(1);
      const swapped = await s.admin.call('SWAPDB', '1', '9');
      const r1 = await p;
      await c.call('SELECT', '0');
      await other.call('FLUSHALL');
      const p2 = c.call('BLPOP', 'list1', 'list2', 'list2', 'list1', '0');
      await s.waitBlocked(1);
      await s.admin.call('LPUSH', 'list2', 'b');
      const r2 = await p2;
      await s.admin.call('LPUSH', 'list1', 'a');
      await s.admin.call('LPUSH', 'list2', 'b');
      const r3 = await c.call('BLPOP', 'list1', 'list2', 'list2', 'list1', '0');
      const r4 = await c.call('BLPOP', 'list1', 'list2', 'list2', 'list1', '0');
      return [swapped, r1, r2, r3, r4];
    });
  });

  it('pipelined commands after a blocking command wait until it is served, then run in order', async () => {
    await onBoth(async (s) => {
      const c = await s.connect();
      const replies = c.pipeline([['BLPOP', 'nolist', '0'], ['BLPOP', 'nolist', '0'], ['LLEN', 'nolist'], ['RPUSH', 'after', 'x'], ['PING']]);
      await s.waitBlocked(1);
      await sleep(30);
      const before = await s.admin.call('EXISTS', 'after');
      await s.admin.call('RPUSH', 'nolist', 'one');
      await s.waitBlocked(1);
      const between = await s.admin.call('EXISTS', 'after');
      await s.admin.call('RPUSH', 'nolist', 'two', 'three');
      return [before, between, await replies, await s.admin.call('LRANGE', 'nolist', '0', '-1')];
    });
  });

  it('"bug 593": chained BRPOPLPUSHes with a pipelined second command all complete', async () => {
    await onBoth(async (s) => {
      const [c1, c2] = [await s.connect(), await s.connect()];
      const p1 = c1.pipeline([['BRPOPLPUSH', 'a', 'b', '0'], ['BRPOPLPUSH', 'a', 'b', '0']]);
      await s.waitBlocked(1);
      const p2 = c2.call('BRPOPLPUSH', 'b', 'c', '0');
      await s.waitBlocked(2);
      await s.admin.call('LPUSH', 'a', 'data');
      await s.waitBlocked(1);
      const mid = [await p2, await s.admin.call('LRANGE', 'c', '0', '-1')];
      await s.admin.call('LPUSH', 'a', 'more');
      return [mid, await p1, await s.admin.call('LRANGE', 'b', '0', '-1'), await s.admin.call('PING')];
    });
  });

  it('served RESP3 clients get RESP3 shapes', async () => {
    await onBoth(async (s) => {
      const [c1, c2, c3] = [await s.connect(true), await s.connect(true), await s.connect(true)];
      const p1 = c1.call('BLPOP', 'r3', '0');
      await s.waitBlocked(1);
      const p2 = c2.call('BLMPOP', '0', '1', 'r3', 'RIGHT', 'COUNT', '2');
      await s.waitBlocked(2);
      const p3 = c3.call('BLMOVE', 'r3', 'r3dst', 'LEFT', 'LEFT', '0');
      await s.waitBlocked(3);
      await s.admin.call('RPUSH', 'r3', 'a', 'b', 'c', 'd');
      const t = await c1.call('BLMOVE', 'none', 'x', 'LEFT', 'LEFT', '0.01');
      return [await p1, await p2, await p3, t];
    });
  });

  it('CLIENT UNBLOCK ends a blocked pop like a timeout or with an error; a closed client takes nothing', async () => {
    await onBoth(async (s) => {
      const c = await s.connect();
      const gone = await s.connect();
      const id = await c.call('CLIENT', 'ID');
      const idText = id.t === 'int' ? String(id.v) : '?';
      const p1 = c.call('BLPOP', 'ub', '0');
      await s.waitBlocked(1);
      const u1 = await s.admin.call('CLIENT', 'UNBLOCK', idText, 'TIMEOUT');
      const r1 = await p1;
      const p2 = c.call('BLMOVE', 'ub', 'x', 'LEFT', 'LEFT', '0');
      await s.waitBlocked(1);
      const u2 = await s.admin.call('CLIENT', 'UNBLOCK', idText, 'ERROR');
      const r2 = await p2;
      void gone.call('BRPOP', 'ub', '0').catch(() => null);
      await s.waitBlocked(1);
      gone.close();
      await s.waitBlocked(0);
      const pushed = await s.admin.call('RPUSH', 'ub', 'x');
      return [u1, r1, u2, r2, pushed, await s.admin.call('LLEN', 'ub'), await c.call('PING')];
    });
  });

  it('an expired key does not serve: MULTI + RPUSH + PEXPIRE + DEBUG SLEEP (list.tcl)', async () => {
    await onBoth(async (s) => {
      const c = await s.connect();
      const id = await c.call('CLIENT', 'ID');
      const idText = id.t === 'int' ? String(id.v) : '?';
      await s.admin.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
      try {
        const p = c.call('BRPOP', 'k', '0');
        await s.waitBlocked(1);
        const tx = await s.admin.pipeline([['MULTI'], ['RPUSH', 'k', 'hello'], ['PEXPIRE', 'k', '100'], ['DEBUG', 'SLEEP', '0.2'], ['EXEC']]);
        const list = await s.admin.call('CLIENT', 'LIST', 'ID', idText);
        const stillBlocked = list.t === 'bulk' || list.t === 'verbatim' ? /flags=\w*b/.test(list.v) : list;
        const unblocked = await s.admin.call('CLIENT', 'UNBLOCK', idText);
        return [tx, stillBlocked, unblocked, await p, await s.admin.call('EXISTS', 'k')];
      } finally {
        await s.admin.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
      }
    });
  });
});
