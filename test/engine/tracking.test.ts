// Client-side caching against a real redis-server: the same connections are opened on Redis and
// on the engine, the same commands sent one at a time, and everything each connection receives
// (pushes and replies, in arrival order) must match. Client ids differ between the two servers,
// so a connection's transcript names them by role (<id:name>).

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RespValue } from '../../src/formats/resp/reply-parser.js';
import { RespClient, encodeCommand } from '../helpers/resp-client.js';
import { same, show, startPair, type Cmd, type Pair } from '../helpers/differential.js';

let pair: Pair;
let sentinel = 0;
/** Every connection a test opened, closed after it. */
let opened: Conn[] = [];

/** One role (a connection on Redis and its twin on the engine). */
class Conn {
  /** Client id on each server. */
  ids: [number, number] = [0, 0];
  private constructor(
    readonly name: string,
    readonly r: RespClient,
    readonly e: RespClient,
  ) {}

  static async open(name: string, proto: 2 | 3 = 2): Promise<Conn> {
    const c = new Conn(name, await RespClient.connect(pair.redis.port), await RespClient.connect(pair.engine.port));
    opened.push(c);
    if (proto === 3) await Promise.all([c.r.call('HELLO', '3'), c.e.call('HELLO', '3')]);
    const [a, b] = await Promise.all([c.r.call('CLIENT', 'ID'), c.e.call('CLIENT', 'ID')]);
    c.ids = [Number(val(a)), Number(val(b))];
    return c;
  }

  /** `args` with "<id:role>" replaced by that role's id on each server. */
  private argsFor(side: 0 | 1, args: Cmd): Cmd {
    return args.map((a) => {
      const m = typeof a === 'string' ? /^<id:(\w+)>$/.exec(a) : null;
      if (!m) return a;
      const role = opened.find((c) => c.name === m[1]);
      if (!role) throw new Error(`no connection named ${m[1]}`);
      return String(role.ids[side]);
    });
  }

  /** A value as text; in pushes and CLIENT/HELLO replies (where ids appear) the ids of known roles are named. */
  private text(side: 0 | 1, v: RespValue, cmd?: Cmd): string {
    let s = show(v);
    if (v.t !== 'push' && !['CLIENT', 'HELLO'].includes(String(cmd?.[0]).toUpperCase())) return s;
    for (const c of opened) s = s.split(`"v":"${c.ids[side]}"`).join(`"v":"<id:${c.name}>"`);
    return s;
  }

  /**
   * Sends each command in its own write and waits for its reply; records the pushes that came
   * before it. Returns the two transcripts after checking they are equal.
   */
  async run(...cmds: Cmd[]): Promise<string[]> {
    const out: [string[], string[]] = [[], []];
    for (const cmd of cmds) {
      for (const side of [0, 1] as const) {
        const c = side === 0 ? this.r : this.e;
        c.socket.write(encodeCommand(this.argsFor(side, cmd)));
        for (;;) {
          const v = await c.read(3000);
          if (v.t === 'push') {
            out[side].push(`push ${this.text(side, v)}`);
            continue;
          }
          out[side].push(`${cmd.map(String).join(' ')} -> ${this.text(side, v, cmd)}`);
          break;
        }
      }
    }
    expect(out[1], this.name).toEqual(out[0]);
    return out[0];
  }

  /** Everything received but not read yet (pushes, pub/sub messages), up to a PING's answer. */
  async drain(): Promise<string[]> {
    const token = `sentinel-${++sentinel}`;
    const out: [string[], string[]] = [[], []];
    for (const side of [0, 1] as const) {
      const c = side === 0 ? this.r : this.e;
      c.socket.write(encodeCommand(['PING', token]));
      for (;;) {
        const v = await c.read(3000);
        if (show(v).includes(token)) break;
        out[side].push(this.text(side, v));
      }
    }
    expect(out[1], `${this.name} (drained)`).toEqual(out[0]);
    return out[0];
  }

  close(): void {
    this.r.close();
    this.e.close();
  }

  /** Closes both connections and waits until both servers have let them go. */
  async closeAndWait(): Promise<void> {
    this.close();
    for (const [side, port] of [[0, pair.redis.port], [1, pair.engine.port]] as const) {
      const probe = await RespClient.connect(port);
      for (let i = 0; i < 100; i++) {
        const list = await probe.call('CLIENT', 'LIST', 'ID', String(this.ids[side]));
        if (String(val(list)) === '') break;
        await sleep(10);
      }
      probe.close();
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A reply's payload (null for a null reply). */
const val = (v: RespValue): unknown => ('v' in v ? v.v : null);
const push = (keys: string | null) => `push {"t":"push","v":[{"t":"bulk","v":"invalidate"},${keys === null ? '{"t":"null"}' : `{"t":"array","v":[${keys.split(' ').map((k) => `{"t":"bulk","v":"${k}"}`).join(',')}]}`}]}`;

beforeAll(async () => {
  pair = await startPair();
});

afterAll(async () => {
  await pair.stop();
});

beforeEach(async () => {
  for (const c of opened) c.close();
  opened = [];
  await sleep(20); // let both servers see the closes
  await same(pair, [['FLUSHALL'], ['CONFIG', 'SET', 'tracking-table-max-keys', '1000000']]);
});

describe('default mode', () => {
  it('a read key is invalidated once, on its first change by anyone; missing keys count too', async () => {
    const reader = await Conn.open('reader', 3);
    const writer = await Conn.open('writer');
    await reader.run(['CLIENT', 'TRACKING', 'on'], ['SET', 'a', '1'], ['GET', 'a'], ['GET', 'missing'], ['MGET', 'b', 'c']);
    await writer.run(['SET', 'a', '2'], ['SET', 'a', '3'], ['SET', 'missing', 'x'], ['MSET', 'c', '1', 'b', '2'], ['DEL', 'a', 'b', 'c']);
    const got = await reader.drain();
    expect(got).toEqual([push('a'), push('missing'), push('c'), push('b')].map((p) => p.slice(5)));
    await writer.run(['SET', 'a', '4']);
    expect(await reader.drain()).toEqual([]); // not read since: nothing more
  });

  it("a client's own change arrives after its reply, after EXEC's whole reply, after a script's", async () => {
    const c = await Conn.open('c', 3);
    await c.run(['CLIENT', 'TRACKING', 'on'], ['HSET', 'h', 'f', '1'], ['HGET', 'h', 'f'], ['HDEL', 'h', 'f']);
    expect(await c.run(['MSET', 'a', '1', 'b', '2'], ['GET', 'a'], ['MULTI'], ['INCR', 'a'], ['GET', 'b'], ['EXEC'], ['PING'])).toContain(push('a'));
    await c.run(['GET', 'a'], ['EVAL', "return redis.call('incr', KEYS[1])", '1', 'a'], ['PING']);
    await c.run(['GET', 'a'], ['MULTI'], ['FLUSHDB'], ['EXEC'], ['PING']);
  });

  it('NOLOOP leaves out what the client changed itself, scripts included', async () => {
    const c = await Conn.open('c', 3);
    const other = await Conn.open('other');
    await c.run(['CLIENT', 'TRACKING', 'on', 'NOLOOP'], ['MGET', 'a', 'b'], ['SET', 'a', '1'], ['EVAL', "return redis.call('set', KEYS[1], 'x')", '1', 'b'], ['PING']);
    await c.run(['MGET', 'a', 'b']);
    await other.run(['SET', 'b', '2']);
    expect(await c.drain()).toEqual([push('b').slice(5)]);
  });

  it('scripts: only a script that reads tracks, and it tracks the keys it declared', async () => {
    const c = await Conn.open('c', 3);
    const w = await Conn.open('w');
    await c.run(['CLIENT', 'TRACKING', 'on'], ['EVAL', "redis.call('set', 'k3', 'bar')", '2', 'k1', 'k2']);
    await w.run(['MSET', 'k2', '1', 'k1', '1', 'k3', '1']);
    expect(await c.drain()).toEqual([]);
    await c.run(['EVAL', "return redis.call('get', 'k3')", '2', 'k1', 'k2'], ['EVAL_RO', "return redis.call('ping')", '1', 'k3']);
    await w.run(['MSET', 'k2', '2', 'k1', '2', 'k3', '2']);
    expect(await c.drain()).toEqual([push('k2'), push('k1')].map((p) => p.slice(5)));
  });

  it('OPTIN tracks only after CACHING yes, OPTOUT all but after CACHING no; CACHING spans CLIENT commands and a transaction', async () => {
    const c = await Conn.open('c', 3);
    const w = await Conn.open('w');
    await c.run(['CLIENT', 'TRACKING', 'on', 'OPTIN'], ['GET', 'a'], ['CLIENT', 'CACHING', 'yes'], ['CLIENT', 'ID'], ['GET', 'b'], ['GET', 'c']);
    await c.run(['CLIENT', 'CACHING', 'yes'], ['MULTI'], ['GET', 'd'], ['GET', 'e'], ['EXEC'], ['GET', 'f']);
    await w.run(['MSET', 'a', '1', 'b', '1', 'c', '1', 'd', '1', 'e', '1', 'f', '1']);
    expect(await c.drain()).toEqual([push('b'), push('d'), push('e')].map((p) => p.slice(5)));
    await c.run(['CLIENT', 'TRACKING', 'off'], ['CLIENT', 'TRACKING', 'on', 'OPTOUT'], ['GET', 'a'], ['CLIENT', 'CACHING', 'no'], ['GET', 'b'], ['GET', 'c']);
    await w.run(['MSET', 'a', '2', 'b', '2', 'c', '2']);
    expect(await c.drain()).toEqual([push('a'), push('c')].map((p) => p.slice(5)));
  });

  it('expiry invalidates, lazily on access and from the active cycle', async () => {
    const c = await Conn.open('c', 3);
    // The active cycle is off until the lazy case is done; the TTL leaves room for a slow machine.
    await c.run(['DEBUG', 'SET-ACTIVE-EXPIRE', '0'], ['CLIENT', 'TRACKING', 'on'], ['SET', 'lazy', '1', 'PX', '300'], ['SET', 'active', '1', 'PX', '300'], ['MGET', 'lazy', 'active']);
    await sleep(350);
    await c.run(['MGET', 'lazy', 'other'], ['DEBUG', 'SET-ACTIVE-EXPIRE', '1']);
    for (let i = 0; i < 40 && Number(val(await pair.r.call('EXISTS', 'active'))) + Number(val(await pair.e.call('EXISTS', 'active'))) > 0; i++) await sleep(50);
    // EXISTS above deleted "active" lazily if the cycle had not yet: either way one message.
    expect(await c.drain()).toEqual([push('active').slice(5)]);
  });

  it('a blocked client that is served hears of its own write after its reply', async () => {
    const c = await Conn.open('c', 3);
    const w = await Conn.open('w');
    await c.run(['CLIENT', 'TRACKING', 'on'], ['RPUSH', 'dst', 'a'], ['LRANGE', 'dst', '0', '-1']);
    for (const cl of [c.r, c.e]) cl.socket.write(encodeCommand(['BLMOVE', 'src', 'dst', 'LEFT', 'LEFT', '0']));
    await sleep(50);
    await w.run(['RPUSH', 'src', 'foo']);
    const [ra, re] = await Promise.all([Promise.all([c.r.read(), c.r.read()]), Promise.all([c.e.read(), c.e.read()])]);
    expect(re.map(show)).toEqual(ra.map(show));
    expect(show(ra[0]!)).toContain('foo');
  });
});

describe('redirection', () => {
  it('to a RESP2 subscriber of __redis__:invalidate, and to a RESP3 connection', async () => {
    const sub = await Conn.open('sub');
    await sub.run(['SUBSCRIBE', '__redis__:invalidate']);
    const c = await Conn.open('c');
    const w = await Conn.open('w');
    await c.run(['CLIENT', 'TRACKING', 'on', 'REDIRECT', '<id:sub>'], ['CLIENT', 'GETREDIR'], ['GET', 'a'], ['MGET', 'b', 'c']);
    await w.run(['MSET', 'a', '1', 'b', '1'], ['FLUSHALL']);
    expect(await sub.drain()).toHaveLength(3);
    const r3 = await Conn.open('r3', 3);
    await c.run(['CLIENT', 'TRACKING', 'on', 'REDIRECT', '<id:r3>'], ['GET', 'a']);
    await w.run(['SET', 'a', '2']);
    expect(await r3.drain()).toEqual([push('a').slice(5)]);
  });

  it('a RESP2 client without a redirect receives nothing, and gets the messages once it switches to RESP3', async () => {
    const c = await Conn.open('c');
    const w = await Conn.open('w');
    await c.run(['CLIENT', 'TRACKING', 'on'], ['GET', 'a'], ['GET', 'b']);
    await w.run(['SET', 'a', '1']);
    await c.run(['HELLO', '3', 'SETNAME', 'x']);
    await w.run(['SET', 'b', '1']);
    expect(await c.drain()).toEqual([push('b').slice(5)]);
  });

  it('a target that went away: tracking-redir-broken to a RESP3 client, flag R, broken_redirect', async () => {
    const gone = await Conn.open('gone');
    const c = await Conn.open('c', 3);
    const w = await Conn.open('w');
    await c.run(['CLIENT', 'TRACKING', 'on', 'REDIRECT', '<id:gone>'], ['GET', 'a']);
    await gone.closeAndWait();
    await w.run(['SET', 'a', '1']);
    const got = await c.drain();
    expect(got.join()).toContain('tracking-redir-broken');
    expect(got.join()).toContain('<id:gone>');
    await c.run(['CLIENT', 'TRACKINGINFO'], ['CLIENT', 'GETREDIR']);
    const [la, le] = await Promise.all([c.r.call('CLIENT', 'INFO'), c.e.call('CLIENT', 'INFO')]);
    const flags = (v: RespValue) => /flags=(\S+)/.exec(String(val(v)))![1];
    expect(flags(le)).toBe(flags(la));
    expect(flags(la)).toBe('tR');
  });
});

describe('BCAST', () => {
  it('one message per prefix per turn, keys in byte order; NOLOOP drops own keys; switching modes is refused', async () => {
    const all = await Conn.open('all', 3);
    const pre = await Conn.open('pre', 3);
    const w = await Conn.open('w');
    await all.run(['CLIENT', 'TRACKING', 'on', 'BCAST']);
    await pre.run(['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'user:', 'PREFIX', 'obj:', 'NOLOOP'], ['CLIENT', 'TRACKINGINFO']);
    await w.run(['MSET', 'user:b', '1', 'user:a', '2', 'obj:1', '3', 'other', '4']);
    expect(await all.drain()).toEqual([push('obj:1 other user:a user:b').slice(5)]);
    expect(await pre.drain()).toEqual([push('obj:1').slice(5), push('user:a user:b').slice(5)]);
    await pre.run(['SET', 'user:c', '1'], ['PING']);
    await w.run(['SET', 'user:d', '1']);
    expect(await pre.drain()).toEqual([push('user:d').slice(5)]);
    await pre.run(
      ['CLIENT', 'TRACKING', 'on'],
      ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'user:x'],
      ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'u'],
      ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'new:', 'PREFIX', 'new:a'],
      ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'log:'],
      ['CLIENT', 'TRACKINGINFO'],
    );
    await same(pair, [['INFO', 'STATS']], { normalize: (v) => ({ t: 'bulk', v: String(val(v)).split('\r\n').filter((l) => l.startsWith('tracking_')).join(',') }) });
  });

  it('keys read before a switch to BCAST are not announced', async () => {
    const c = await Conn.open('c', 3);
    const w = await Conn.open('w');
    await c.run(['CLIENT', 'TRACKING', 'on'], ['GET', 'a'], ['CLIENT', 'TRACKING', 'off'], ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'x']);
    await w.run(['SET', 'a', '1'], ['SET', 'xy', '1']);
    expect(await c.drain()).toEqual([push('xy').slice(5)]);
  });
});

describe('the command and the counters', () => {
  it('option errors, in Redis order and words', async () => {
    const c = await Conn.open('c');
    await c.run(
      ['CLIENT', 'TRACKING'],
      ['CLIENT', 'TRACKING', 'maybe'],
      ['CLIENT', 'TRACKING', 'on', 'BOGUS'],
      ['CLIENT', 'TRACKING', 'on', 'REDIRECT'],
      ['CLIENT', 'TRACKING', 'on', 'REDIRECT', 'abc'],
      ['CLIENT', 'TRACKING', 'on', 'REDIRECT', '999999'],
      ['CLIENT', 'TRACKING', 'on', 'REDIRECT', '<id:c>', 'REDIRECT', '<id:c>'],
      ['CLIENT', 'TRACKING', 'on', 'PREFIX', 'a'],
      ['CLIENT', 'TRACKING', 'on', 'BCAST', 'OPTIN'],
      ['CLIENT', 'TRACKING', 'on', 'OPTIN', 'OPTOUT'],
      ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'ab', 'PREFIX', 'a'],
      ['CLIENT', 'TRACKING', 'off', 'BCAST', 'PREFIX', 'a'],
      ['CLIENT', 'CACHING', 'yes'],
      ['CLIENT', 'TRACKING', 'on', 'OPTIN'],
      ['CLIENT', 'TRACKING', 'on', 'OPTOUT'],
      ['CLIENT', 'CACHING', 'no'],
      ['CLIENT', 'CACHING', 'maybe'],
      ['CLIENT', 'CACHING', 'yes'],
      ['CLIENT', 'TRACKINGINFO'],
      ['CLIENT', 'GETREDIR'],
      ['CLIENT', 'TRACKING', 'off'],
      ['CLIENT', 'TRACKINGINFO'],
      ['CLIENT', 'GETREDIR'],
      ['CLIENT', 'TRACKING', 'on', 'REDIRECT', '<id:c>', 'NOLOOP'],
      ['CLIENT', 'GETREDIR'],
      ['RESET'],
      ['CLIENT', 'GETREDIR'],
    );
  });

  it('INFO tracking_* fields, CLIENT LIST flags and redir, FLUSHALL emptying the table', async () => {
    const a = await Conn.open('a', 3);
    const b = await Conn.open('b', 3);
    await a.run(['CLIENT', 'TRACKING', 'on'], ['MGET', 'k1', 'k2', 'k3']);
    await b.run(['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'p1', 'PREFIX', 'p2'], ['MGET', 'k1', 'k9']);
    const tracking = (v: RespValue) => ({ t: 'bulk', v: String(val(v)).split('\r\n').filter((l) => l.startsWith('tracking_')).join(',') }) as RespValue;
    await same(pair, [['INFO']], { normalize: tracking });
    const [la, le] = await Promise.all([b.r.call('CLIENT', 'INFO'), b.e.call('CLIENT', 'INFO')]);
    const fields = (v: RespValue) => String(val(v)).split(' ').filter((f) => /^(flags|redir)=/.test(f));
    expect(fields(le)).toEqual(fields(la));
    await b.run(['FLUSHALL']);
    await same(pair, [['INFO']], { normalize: tracking });
    expect(await a.drain()).toEqual([push(null).slice(5)]);
  });

  it('tracking-table-max-keys invalidates keys until the table fits, even before a queued command', async () => {
    const c = await Conn.open('c', 3);
    await c.run(['CLIENT', 'TRACKING', 'on'], ['MGET', 'k1', 'k2', 'k3', 'k4'], ['MULTI']);
    await same(pair, [['CONFIG', 'SET', 'tracking-table-max-keys', '1']]);
    const [ra, re] = await Promise.all(
      [c.r, c.e].map(async (cl) => {
        cl.socket.write(encodeCommand(['PING']));
        const got: string[] = [];
        for (;;) {
          const v = await cl.read(3000);
          got.push(v.t === 'push' ? 'invalidate' : show(v));
          if (v.t !== 'push') return got;
        }
      }),
    );
    // Redis picks the keys at random (and its cron may get there first), the engine oldest first:
    // three go either way, and the queued command's reply comes after them.
    expect(re).toEqual(ra);
    expect(ra).toEqual(['invalidate', 'invalidate', 'invalidate', show({ t: 'simple', v: 'QUEUED' })]);
    await c.run(['EXEC']);
  });
});
