// XREAD / XREADGROUP with BLOCK compared with a real redis-server 7.0.15: every scenario runs on
// both servers with a few connections and what they return is compared. Covered: serving by a
// later XADD ("$" and explicit IDs, several keys, the same entry to every XREAD reader, the first
// group reader taking the entry and the next one waiting), timeouts and their null shapes (RESP2
// and RESP3), the 1000-entry default COUNT of a blocked read, NOACK, consumers created when
// served, keys deleted or retyped or groups destroyed while readers wait, MULTI, dirty and
// keyspace events raised by a served reader, and CLIENT UNBLOCK.

import net from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startPair, type Cmd, type Pair } from '../../helpers/differential.js';
import { RespClient, encodeCommand } from '../../helpers/resp-client.js';
import type { RespValue } from '../../../src/formats/resp/reply-parser.js';
import type { Engine } from '../../../src/engine/engine.js';

let pair: Pair;
let engine: Engine;

beforeAll(async () => {
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
  admin: RespClient;
  connect(resp3?: boolean): Promise<RespClient>;
  waitBlocked(n: number): Promise<void>;
  /** dirty (rdb_changes_since_last_save) as INFO reports it. */
  dirty(): Promise<number>;
}

/** Masks unix-ms times (seen-time, delivery times) and small idle values keyed "idle". */
function mask(v: unknown): unknown {
  const m = (x: RespValue): RespValue => {
    if (x.t === 'int' && Number(x.v) > 1e12) return { t: 'simple', v: '<time>' };
    if (x.t === 'array' || x.t === 'push' || x.t === 'set') {
      const out = x.v.map(m);
      for (let i = 0; i + 1 < out.length; i++) if (out[i]!.t === 'bulk' && (out[i] as { v: string }).v === 'idle') out[i + 1] = { t: 'simple', v: '<idle>' };
      return { ...x, v: out } as RespValue;
    }
    if (x.t === 'map') return { t: 'map', v: x.v.map(([k, y]) => [k, k.t === 'bulk' && k.v === 'idle' ? { t: 'simple', v: '<idle>' } : m(y)]) } as RespValue;
    return x;
  };
  if (Array.isArray(v)) return v.map(mask);
  if (v && typeof v === 'object' && 't' in v) return m(v as RespValue);
  return v;
}

async function onBoth(scenario: (s: Side) => Promise<unknown>): Promise<void> {
  const results: unknown[] = [];
  for (const [kind, port, admin] of [
    ['redis', pair.redis.port, pair.r],
    ['engine', pair.engine.port, pair.e],
  ] as const) {
    const opened: RespClient[] = [];
    const side: Side = {
      kind,
      admin,
      connect: async (resp3 = false) => {
        const c = await RespClient.connect(port);
        opened.push(c);
        if (resp3) await c.call('HELLO', '3');
        return c;
      },
      waitBlocked: (n) => waitBlocked(admin, n),
      dirty: async () => {
        const r = await admin.call('INFO', 'persistence');
        const text = r.t === 'bulk' || r.t === 'verbatim' ? r.v : '';
        return Number(/rdb_changes_since_last_save:(\d+)/.exec(text)?.[1]);
      },
    };
    try {
      results.push(mask(await scenario(side)));
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

describe('XREAD BLOCK', () => {
  it('is served by a later XADD: $ on a missing key, $ on a stream, explicit IDs, several keys', async () => {
    await onBoth(async (s) => {
      const out: unknown[] = [];
      const c = await s.connect();
      let p = c.call('XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
      await s.waitBlocked(1);
      out.push(await s.admin.call('XADD', 's', '1-0', 'f', 'v'), await p);
      p = c.call('XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
      await s.waitBlocked(1);
      out.push(await s.admin.call('XADD', 's', '2-0', 'f', 'v2'), await p);
      p = c.call('XREAD', 'BLOCK', '0', 'STREAMS', 's', '100-0');
      await s.waitBlocked(1);
      out.push(await s.admin.call('XADD', 's', '3-0', 'f', 'v3'));
      await s.waitBlocked(1);
      out.push(await s.admin.call('XADD', 's', '101-0', 'f', 'v4'), await p);
      p = c.call('XREAD', 'COUNT', '5', 'BLOCK', '0', 'STREAMS', 'a', 'b', 's', '$', '$', '$');
      await s.waitBlocked(1);
      out.push(await s.admin.call('XADD', 'b', '1-0', 'x', 'y'), await p);
      p = c.call('XREAD', 'BLOCK', '0', 'STREAMS', 's', 's', '$', '0');
      out.push(await p);
      return out;
    });
  });

  it('every XREAD reader gets the new entry, in blocking order; RESP3 readers get a map', async () => {
    await onBoth(async (s) => {
      const c1 = await s.connect();
      const c2 = await s.connect(true);
      const c3 = await s.connect();
      const p1 = c1.call('XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
      await s.waitBlocked(1);
      const p2 = c2.call('XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
      await s.waitBlocked(2);
      const p3 = c3.call('XREAD', 'BLOCK', '0', 'STREAMS', 'other', 's', '$', '$');
      await s.waitBlocked(3);
      const added = await s.admin.call('XADD', 's', '5-0', 'a', '1');
      return [added, await p1, await p2, await p3];
    });
  });

  it('times out with a null array (RESP2 *-1, RESP3 _), and MULTI answers at once', async () => {
    for (const resp3 of [false, true]) {
      const got: string[] = [];
      for (const port of [pair.redis.port, pair.engine.port]) {
        const c = await RawConn.open(port);
        try {
          if (resp3) {
            c.send(['HELLO', '3']);
            await c.until('*0\r\n');
          }
          c.send(['XREAD', 'BLOCK', '20', 'STREAMS', 'nokey', '$'], ['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM']);
          c.send(['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '20', 'STREAMS', 's', '>'], ['ECHO', 'done']);
          const timeouts = await c.until('$4\r\ndone\r\n');
          c.send(['MULTI'], ['XREAD', 'BLOCK', '0', 'STREAMS', 'nokey', '$'], ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>'], ['EXEC'], ['ECHO', 'done']);
          const multi = await c.until('$4\r\ndone\r\n');
          got.push(JSON.stringify([timeouts, multi]));
        } finally {
          c.close();
        }
      }
      expect(got[1], resp3 ? 'RESP3' : 'RESP2').toBe(got[0]);
    }
  });

  it('about the timeout passes before the null; the connection keeps working', async () => {
    await onBoth(async (s) => {
      const c = await s.connect();
      const t0 = Date.now();
      const r = await c.call('XREAD', 'BLOCK', '200', 'STREAMS', 'nokey', '$');
      const waited = Date.now() - t0;
      return [r, waited >= 190 && waited < 1500, await c.call('PING')];
    });
  });

  it('a blocked read without COUNT takes at most 1000 entries; with COUNT, that many', async () => {
    await onBoth(async (s) => {
      const c = await s.connect();
      const d = await s.connect();
      await s.admin.call('XADD', 's', '1-0', 'f', 'v');
      const p = c.call('XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
      const q = d.call('XREAD', 'COUNT', '3', 'BLOCK', '0', 'STREAMS', 's', '$');
      await s.waitBlocked(2);
      await s.admin.call('MULTI');
      for (let i = 2; i <= 1205; i++) await s.admin.call('XADD', 's', `${i}-0`, 'f', String(i));
      await s.admin.call('EXEC');
      const [a, b] = [await p, await q];
      const len = (x: RespValue) => (x.t === 'array' && x.v[0]?.t === 'array' && x.v[0].v[1]?.t === 'array' ? x.v[0].v[1].v.length : -1);
      return [len(a), b];
    });
  });

  it('XADD + DEL in one EXEC wakes nobody; XADD + XDEL serves the reader an empty list', async () => {
    await onBoth(async (s) => {
      const c = await s.connect();
      const out: unknown[] = [];
      const p = c.call('XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
      await s.waitBlocked(1);
      out.push(await s.admin.pipeline([['MULTI'], ['XADD', 's', '1-0', 'f', 'v'], ['DEL', 's'], ['EXEC']]));
      await sleep(50);
      out.push(await s.admin.pipeline([['MULTI'], ['XADD', 's', '2-0', 'f', 'v'], ['DEL', 's'], ['LPUSH', 's', 'x'], ['EXEC']]));
      await sleep(50);
      await s.waitBlocked(1);
      out.push(await s.admin.pipeline([['MULTI'], ['DEL', 's'], ['XADD', 's', '3-0', 'f', 'v'], ['XDEL', 's', '3-0'], ['EXEC']]));
      out.push(await p);
      return out;
    });
  });

  it('a stream in another database does not wake the reader', async () => {
    await onBoth(async (s) => {
      const c = await s.connect();
      const p = c.call('XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
      await s.waitBlocked(1);
      await s.admin.call('SELECT', '1');
      const other = await s.admin.call('XADD', 's', '1-0', 'f', 'v');
      await sleep(30);
      await s.admin.call('SELECT', '0');
      await s.waitBlocked(1);
      const mine = await s.admin.call('XADD', 's', '2-0', 'f', 'v');
      await s.admin.call('SELECT', '1');
      await s.admin.call('FLUSHDB');
      await s.admin.call('SELECT', '0');
      return [other, mine, await p];
    });
  });

  it('CLIENT UNBLOCK ends a blocked XREAD like a timeout or with an error', async () => {
    await onBoth(async (s) => {
      const c = await s.connect();
      const id = await c.call('CLIENT', 'ID');
      const idText = id.t === 'int' ? String(id.v) : '?';
      const p1 = c.call('XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
      await s.waitBlocked(1);
      const u1 = await s.admin.call('CLIENT', 'UNBLOCK', idText, 'TIMEOUT');
      const r1 = await p1;
      const p2 = c.call('XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
      await s.waitBlocked(1);
      const u2 = await s.admin.call('CLIENT', 'UNBLOCK', idText, 'ERROR');
      return [u1, r1, u2, await p2, await c.call('PING')];
    });
  });
});

describe('XREADGROUP BLOCK', () => {
  it('the first group reader takes a new entry, the next one waits for the next entry', async () => {
    await onBoth(async (s) => {
      const [c1, c2] = [await s.connect(), await s.connect()];
      await s.admin.call('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
      const p1 = c1.call('XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 's', '>');
      await s.waitBlocked(1);
      const p2 = c2.call('XREADGROUP', 'GROUP', 'g', 'bob', 'BLOCK', '0', 'STREAMS', 's', '>');
      await s.waitBlocked(2);
      const d0 = await s.dirty();
      const a1 = await s.admin.call('XADD', 's', '1-0', 'f', 'v1');
      const r1 = await p1;
      await s.waitBlocked(1);
      const d1 = await s.dirty();
      const a2 = await s.admin.call('XADD', 's', '2-0', 'f', 'v2');
      const r2 = await p2;
      return [a1, r1, d1 - d0, a2, r2, await s.admin.call('XPENDING', 's', 'g'), await s.admin.call('XINFO', 'CONSUMERS', 's', 'g'), await s.admin.call('XINFO', 'GROUPS', 's')];
    });
  });

  it('NOACK readers leave no PEL; a blocked reader is not a consumer until served', async () => {
    await onBoth(async (s) => {
      const c = await s.connect(true);
      await s.admin.call('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
      const p = c.call('XREADGROUP', 'GROUP', 'g', 'neo', 'NOACK', 'COUNT', '1', 'BLOCK', '0', 'STREAMS', 's', '>');
      await s.waitBlocked(1);
      const before = await s.admin.call('XINFO', 'CONSUMERS', 's', 'g');
      await s.admin.call('MULTI');
      await s.admin.call('XADD', 's', '1-0', 'f', 'v1');
      await s.admin.call('XADD', 's', '2-0', 'f', 'v2');
      const exec = await s.admin.call('EXEC');
      return [before, exec, await p, await s.admin.call('XPENDING', 's', 'g'), await s.admin.call('XINFO', 'CONSUMERS', 's', 'g'), await s.admin.call('XINFO', 'GROUPS', 's')];
    });
  });

  it('XGROUP DESTROY unblocks the group readers with -NOGROUP; XREAD readers keep waiting', async () => {
    await onBoth(async (s) => {
      const [c1, c2, c3] = [await s.connect(), await s.connect(), await s.connect()];
      await s.admin.call('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
      await s.admin.call('XGROUP', 'CREATE', 's', 'h', '$');
      const p1 = c1.call('XREADGROUP', 'GROUP', 'g', 'a', 'BLOCK', '0', 'STREAMS', 's', '>');
      const p2 = c2.call('XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
      const p3 = c3.call('XREADGROUP', 'GROUP', 'h', 'b', 'BLOCK', '0', 'STREAMS', 's', '>');
      await s.waitBlocked(3);
      const destroyed = await s.admin.call('XGROUP', 'DESTROY', 's', 'g');
      const r1 = await p1;
      await s.waitBlocked(2);
      const added = await s.admin.call('XADD', 's', '1-0', 'f', 'v');
      return [destroyed, r1, added, await p2, await p3];
    });
  });

  it('a key retyped in one EXEC unblocks group readers with -UNBLOCKED; XREAD keeps waiting', async () => {
    await onBoth(async (s) => {
      const [c1, c2, c3] = [await s.connect(), await s.connect(), await s.connect()];
      await s.admin.call('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
      const p1 = c1.call('XREADGROUP', 'GROUP', 'g', 'a', 'BLOCK', '0', 'STREAMS', 's', '>');
      const p2 = c2.call('XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
      const p3 = c3.call('XREADGROUP', 'GROUP', 'g', 'b', 'BLOCK', '0', 'STREAMS', 's', '>');
      await s.waitBlocked(3);
      const exec = await s.admin.pipeline([['MULTI'], ['DEL', 's'], ['SADD', 's', 'x'], ['EXEC']]);
      const [r1, r3] = [await p1, await p3];
      await s.waitBlocked(1);
      await s.admin.call('DEL', 's');
      const added = await s.admin.call('XADD', 's', '1-0', 'f', 'v');
      return [exec, r1, r3, added, await p2];
    });
  });

  it('deleting the stream unblocks group readers with -UNBLOCKED (DEL, SET over it, UNLINK, FLUSHALL)', async () => {
    await onBoth(async (s) => {
      const out: unknown[] = [];
      for (const kill of [['DEL', 's'], ['SET', 's', 'x'], ['UNLINK', 's'], ['FLUSHALL']] as Cmd[]) {
        const [c1, c2] = [await s.connect(), await s.connect()];
        await s.admin.call('DEL', 's');
        await s.admin.call('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
        const p1 = c1.call('XREADGROUP', 'GROUP', 'g', 'a', 'BLOCK', '0', 'STREAMS', 's', '>');
        await s.waitBlocked(1);
        const p2 = c2.call('XREADGROUP', 'GROUP', 'g', 'b', 'BLOCK', '0', 'STREAMS', 's', '>');
        await s.waitBlocked(2);
        out.push(await s.admin.call(...kill), await p1, await p2);
      }
      return out;
    });
  });

  it('a served group reader is created as a consumer and raises its events', async () => {
    await onBoth(async (s) => {
      const sub = await s.connect();
      await s.admin.call('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
      try {
        await sub.call('PSUBSCRIBE', '__keyevent@0__:*');
        const c = await s.connect();
        await s.admin.call('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
        const p = c.call('XREADGROUP', 'GROUP', 'g', 'newbie', 'BLOCK', '0', 'STREAMS', 's', '>');
        await s.waitBlocked(1);
        await s.admin.call('XADD', 's', '1-0', 'f', 'v');
        const r = await p;
        await s.admin.call('PUBLISH', '__keyevent@0__:end', 'x');
        const events: string[] = [];
        for (;;) {
          const m = await sub.read();
          const parts = m.t === 'array' || m.t === 'push' ? m.v.map((x) => (x.t === 'bulk' ? x.v : '')) : [];
          if (parts[2]?.endsWith(':end')) break;
          events.push(`${parts[2]} ${parts[3]}`);
        }
        return [r, events];
      } finally {
        await s.admin.call('CONFIG', 'SET', 'notify-keyspace-events', '');
      }
    });
  });
});
