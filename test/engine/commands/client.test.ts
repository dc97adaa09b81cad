// CLIENT subcommands compared with a real redis-server 7.0: IDs, names, the CLIENT LIST / INFO
// layout (field names in order, and every field whose value is deterministic), KILL in both
// forms with exact errors and counts, REPLY ON/OFF/SKIP, NO-EVICT, PAUSE/UNPAUSE, UNBLOCK, and
// the tracking introspection of a connection that never enabled tracking.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RespValue } from '../../../src/formats/resp/reply-parser.js';
import { same, show, startPair, type Cmd, type Pair } from '../../helpers/differential.js';
import { RespClient, encodeCommand } from '../../helpers/resp-client.js';

/** One extra connection on each server, driven in lock step. */
class Duo {
  constructor(
    readonly r: RespClient,
    readonly e: RespClient,
  ) {}
  static async open(pair: Pair, name?: string): Promise<Duo> {
    const d = new Duo(await RespClient.connect(pair.redis.port), await RespClient.connect(pair.engine.port));
    if (name) await d.same('CLIENT', 'SETNAME', name);
    return d;
  }
  async same(...args: Cmd): Promise<RespValue> {
    const [a, b] = await Promise.all([this.r.call(...args), this.e.call(...args)]);
    expect(show(b), `command: ${args.map(String).join(' ')}`).toBe(show(a));
    return a;
  }
  /** Runs a command whose reply differs per server (ids, addresses): [redis, engine]. */
  both(...args: Cmd): Promise<[RespValue, RespValue]> {
    return Promise.all([this.r.call(...args), this.e.call(...args)]);
  }
  send(...args: Cmd): void {
    this.r.socket.write(encodeCommand(args));
    this.e.socket.write(encodeCommand(args));
  }
  async next(): Promise<RespValue> {
    const [a, b] = await Promise.all([this.r.read(3000), this.e.read(3000)]);
    expect(show(b)).toBe(show(a));
    return a;
  }
  close(): void {
    this.r.close();
    this.e.close();
  }
}

let pair: Pair;
const main = () => new Duo(pair.r, pair.e);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const text = (v: RespValue): string => (v.t === 'bulk' || v.t === 'verbatim' ? v.v : `<${show(v)}>`);
const int = (v: RespValue): number => (v.t === 'int' ? Number(v.v) : NaN);

/** CLIENT LIST text -> one field map per line, in field order. */
function parseList(s: string): Array<Array<[string, string]>> {
  return s
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => l.split(' ').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)] as [string, string]));
}

/** Fields whose values must agree between Redis and the engine (ids, addresses, fds, memory sizes differ). */
const STABLE = ['name', 'flags', 'db', 'sub', 'psub', 'ssub', 'multi', 'multi-mem', 'obl', 'oll', 'omem', 'events', 'cmd', 'user', 'redir', 'resp'];

/**
 * Whole seconds of a connection's life (age, idle): each server reads its clock a moment apart from
 * the other, so a second boundary between the two reads makes them differ by one, never more.
 */
const SECONDS = ['age', 'idle'];

function expectSecondsClose(engine: Array<[string, string]>, redis: Array<[string, string]>, what: string): void {
  const e = Object.fromEntries(engine);
  const r = Object.fromEntries(redis);
  for (const k of SECONDS) expect(Math.abs(Number(e[k]) - Number(r[k])), `${what} ${k}=${e[k]} vs ${r[k]}`).toBeLessThanOrEqual(1);
}

function stable(line: Array<[string, string]>, self: boolean): Record<string, string> {
  const m = Object.fromEntries(line);
  const out: Record<string, string> = {};
  for (const k of STABLE) out[k] = m[k]!;
  if (self) {
    out['qbuf'] = m['qbuf']!;
    out['argv-mem'] = m['argv-mem']!;
  }
  return out;
}

async function reconnectMain(): Promise<void> {
  pair.r.close();
  pair.e.close();
  pair.r = await RespClient.connect(pair.redis.port);
  pair.e = await RespClient.connect(pair.engine.port);
}

beforeAll(async () => {
  pair = await startPair();
});
afterAll(async () => {
  await pair?.stop();
});
beforeEach(async () => {
  await Promise.all([pair.r.call('RESET'), pair.e.call('RESET')]);
});

describe('CLIENT ID / SETNAME / GETNAME', () => {
  it('IDs are integers that grow by one per new connection', async () => {
    const a = await Duo.open(pair);
    const b = await Duo.open(pair);
    const [ra, ea] = await a.both('CLIENT', 'ID');
    const [rb, eb] = await b.both('CLIENT', 'ID');
    expect(ea.t).toBe('int');
    expect(int(eb) - int(ea)).toBe(int(rb) - int(ra));
    const [hr, he] = await Promise.all([a.r.call('HELLO'), a.e.call('HELLO')]);
    const helloId = (v: RespValue) => (v.t === 'array' ? show(v.v[7]!) : '');
    expect(helloId(hr)).toBe(show(ra));
    expect(helloId(he)).toBe(show(ea));
    a.close();
    b.close();
  });

  it('names: unset is null, spaces and control characters are refused, empty removes', async () => {
    await same(pair, [
      ['CLIENT', 'GETNAME'],
      ['CLIENT', 'SETNAME', 'foo bar'],
      ['CLIENT', 'SETNAME', 'a\nb'],
      ['CLIENT', 'SETNAME', '\x7f'],
      ['CLIENT', 'SETNAME', 'myname'],
      ['CLIENT', 'GETNAME'],
      ['CLIENT', 'SETNAME', 'some~other!name'],
      ['CLIENT', 'GETNAME'],
      ['CLIENT', 'SETNAME', ''],
      ['CLIENT', 'GETNAME'],
    ]);
    await main().both('HELLO', '2', 'SETNAME', 'via-hello'); // the reply carries the (different) ids
    await same(pair, [
      ['CLIENT', 'GETNAME'],
      ['CLIENT', 'SETNAME'],
      ['CLIENT', 'GETNAME', 'x'],
      ['CLIENT', 'ID', 'x'],
      ['CLIENT'],
      ['CLIENT', 'NOSUCH'],
    ]);
  });

  it('names show in CLIENT LIST and disappear with the connection', async () => {
    const d = await Duo.open(pair, 'foobar');
    const [a, b] = await main().both('CLIENT', 'LIST');
    expect(text(a)).toContain('name=foobar ');
    expect(text(b)).toContain('name=foobar ');
    d.close();
    await sleep(100);
    const [a2, b2] = await main().both('CLIENT', 'LIST');
    expect(text(a2)).not.toContain('foobar');
    expect(text(b2)).not.toContain('foobar');
  });
});

describe('CLIENT LIST / CLIENT INFO', () => {
  it('INFO has Redis 7.0 fields in order, with equal deterministic values', async () => {
    const [a, b] = await main().both('CLIENT', 'INFO');
    const [la] = parseList(text(a));
    const [lb] = parseList(text(b));
    expect(lb!.map(([k]) => k)).toEqual(la!.map(([k]) => k));
    expect(stable(lb!, true)).toEqual(stable(la!, true));
    expectSecondsClose(lb!, la!, 'CLIENT INFO');
    expect(text(b).endsWith('\n')).toBe(true);
  });

  it('LIST lines reflect db, subscriptions, MULTI, RESP3 and names', async () => {
    const sub = await Duo.open(pair, 'sub');
    await sub.same('SUBSCRIBE', 'c1', 'c2');
    await sub.next();
    await sub.same('PSUBSCRIBE', 'p*');
    await sub.same('SSUBSCRIBE', 's1');
    const tx = await Duo.open(pair, 'tx');
    await tx.same('SELECT', '3');
    await tx.same('MULTI');
    await tx.same('SET', 'x', 'y');
    await tx.same('INCR', 'counter');
    const r3 = await Duo.open(pair, 'resp3');
    await Promise.all([r3.r.call('HELLO', '3'), r3.e.call('HELLO', '3')]);
    const noev = await Duo.open(pair, 'noevict');
    await noev.same('CLIENT', 'NO-EVICT', 'ON');
    await same(pair, [['CLIENT', 'SETNAME', 'main']]);
    const [a, b] = await main().both('CLIENT', 'LIST');
    const byName = (s: string) => new Map(parseList(s).map((l) => [Object.fromEntries(l)['name']!, l]));
    const ra = byName(text(a));
    const rb = byName(text(b));
    for (const n of ['main', 'sub', 'tx', 'resp3', 'noevict']) {
      expect(rb.get(n)!.map(([k]) => k), n).toEqual(ra.get(n)!.map(([k]) => k));
      expect(stable(rb.get(n)!, n === 'main'), n).toEqual(stable(ra.get(n)!, n === 'main'));
      expectSecondsClose(rb.get(n)!, ra.get(n)!, n);
    }
    // TYPE and ID filters, the RESP3 verbatim shape
    const names = (v: RespValue) => parseList(text(v)).map((l) => Object.fromEntries(l)['name']).sort();
    const [pa, pb] = await r3.both('CLIENT', 'LIST', 'TYPE', 'pubsub');
    expect(pb.t).toBe('verbatim');
    expect(names(pb)).toEqual(names(pa));
    const [na, nb] = await main().both('CLIENT', 'LIST', 'TYPE', 'NORMAL');
    expect(names(nb)).toEqual(names(na));
    const [ida, ide] = await tx.both('CLIENT', 'ID');
    const [la, lb] = await Promise.all([pair.r.call('CLIENT', 'LIST', 'ID', String(ida.t === 'int' ? ida.v : 0), '99999', String(ida.t === 'int' ? ida.v : 0)), pair.e.call('CLIENT', 'LIST', 'ID', String(ide.t === 'int' ? ide.v : 0), '99999', String(ide.t === 'int' ? ide.v : 0))]);
    expect(names(lb)).toEqual(names(la));
    for (const d of [sub, tx, r3, noev]) d.close();
  });

  it('LIST errors and empty results', async () => {
    await same(pair, [
      ['CLIENT', 'LIST', 'TYPE'],
      ['CLIENT', 'LIST', 'TYPE', 'foo'],
      ['CLIENT', 'LIST', 'ID'],
      ['CLIENT', 'LIST', 'ID', '1', 'abc'],
      ['CLIENT', 'LIST', 'foo'],
      ['CLIENT', 'LIST', 'TYPE', 'normal', 'extra'],
      ['CLIENT', 'LIST', 'TYPE', 'master'],
      ['CLIENT', 'LIST', 'TYPE', 'replica'],
      ['CLIENT', 'LIST', 'TYPE', 'SLAVE'],
      ['CLIENT', 'LIST', 'ID', '99999'],
      ['CLIENT', 'INFO', 'x'],
    ]);
  });

  it('commands queued once the transaction is doomed are not kept (multi=0, multi-mem=0)', async () => {
    const w = await Duo.open(pair, 'doomed');
    await w.same('WATCH', 'dk');
    await same(pair, [['SET', 'dk', '1']]);
    await w.same('MULTI');
    await w.same('SET', 'a', 'b');
    const line = async (c: RespClient) => parseList(text(await c.call('CLIENT', 'LIST'))).find((l) => Object.fromEntries(l)['name'] === 'doomed')!;
    expect(stable(await line(pair.e), false)).toEqual(stable(await line(pair.r), false));
    await w.same('DISCARD');
    await w.same('MULTI');
    await w.same('NOSUCHCMD');
    await w.same('SET', 'a', 'b');
    expect(stable(await line(pair.e), false)).toEqual(stable(await line(pair.r), false));
    await w.same('EXEC');
    w.close();
  });

  it('the d flag and cmd of a transaction client', async () => {
    const w = await Duo.open(pair, 'watcher');
    await w.same('WATCH', 'wk');
    await same(pair, [['SET', 'wk', '1']]);
    await w.same('MULTI');
    await w.same('GET', 'wk');
    const [a, b] = await w.both('CLIENT', 'INFO');
    expect(stable(parseList(text(b))[0]!, true)).toEqual(stable(parseList(text(a))[0]!, true));
    await w.same('EXEC');
    w.close();
  });
});

describe('CLIENT KILL', () => {
  it('answers illegal arguments exactly', async () => {
    await same(pair, [
      ['CLIENT', 'KILL'],
      ['CLIENT', 'KILL', 'id', '10', 'wrong_arg'],
      ['CLIENT', 'KILL', 'id', 'str'],
      ['CLIENT', 'KILL', 'id', '-1'],
      ['CLIENT', 'KILL', 'id', '0'],
      ['CLIENT', 'KILL', 'type', 'wrong_type'],
      ['CLIENT', 'KILL', 'user', 'wrong_user'],
      ['CLIENT', 'KILL', 'skipme', 'yes_or_no'],
      ['CLIENT', 'KILL', 'id', '5', 'type'],
      ['CLIENT', 'KILL', '1.2.3.4:5'],
      ['CLIENT', 'KILL', 'id', '999999'],
      ['CLIENT', 'KILL', 'user', 'default', 'skipme', 'yes', 'laddr', '1.1.1.1:1'],
    ]);
  });

  it('old form by address, filter form by ID, ADDR and LADDR close the victims', async () => {
    for (const how of ['old', 'id', 'addr', 'laddr'] as const) {
      const victim = await Duo.open(pair);
      const [ia, ie] = await victim.both('CLIENT', 'INFO');
      const field = (v: RespValue, k: string) => Object.fromEntries(parseList(text(v))[0]!)[k]!;
      const args = (info: RespValue): Cmd => {
        if (how === 'old') return ['CLIENT', 'KILL', field(info, 'addr')];
        if (how === 'id') return ['CLIENT', 'KILL', 'ID', field(info, 'id')];
        if (how === 'addr') return ['CLIENT', 'KILL', 'ADDR', field(info, 'addr'), 'SKIPME', 'no'];
        return ['CLIENT', 'KILL', 'LADDR', field(info, 'laddr'), 'ID', field(info, 'id')];
      };
      const [ka, ke] = await Promise.all([pair.r.call(...args(ia)), pair.e.call(...args(ie))]);
      expect(show(ke), how).toBe(show(ka));
      expect(await victim.e.waitClose(2000), how).toBe(true);
      expect(await victim.r.waitClose(2000), how).toBe(true);
      victim.close();
    }
  });

  it('TYPE pubsub kills the subscribers, whose subscriptions go at once', async () => {
    const s1 = await Duo.open(pair);
    const s2 = await Duo.open(pair);
    const n = await Duo.open(pair);
    await s1.same('SUBSCRIBE', 'killme');
    await s2.same('PSUBSCRIBE', 'kill*');
    await same(pair, [['CLIENT', 'KILL', 'TYPE', 'pubsub'], ['PUBLISH', 'killme', 'x'], ['PUBSUB', 'NUMPAT']]);
    await n.same('PING');
    for (const d of [s1, s2, n]) d.close();
  });

  it('killing the caller with the old form replies OK, then closes', async () => {
    const d = await Duo.open(pair);
    const [ia, ie] = await d.both('CLIENT', 'INFO');
    const addr = (v: RespValue) => Object.fromEntries(parseList(text(v))[0]!)['addr']!;
    const [ka, ke] = await Promise.all([d.r.call('CLIENT', 'KILL', addr(ia)), d.e.call('CLIENT', 'KILL', addr(ie))]);
    expect(show(ke)).toBe(show(ka));
    expect(await d.e.waitClose(2000)).toBe(true);
    d.close();
  });

  it('SKIPME yes kills every other client, SKIPME no the caller too', async () => {
    await sleep(100); // let connections closed by earlier tests go away on both servers
    const others = [await Duo.open(pair), await Duo.open(pair)];
    await same(pair, [['CLIENT', 'KILL', 'USER', 'default', 'TYPE', 'normal', 'SKIPME', 'yes']]);
    for (const d of others) expect(await d.e.waitClose(2000)).toBe(true);
    const more = [await Duo.open(pair), await Duo.open(pair)];
    await sleep(50);
    await same(pair, [['CLIENT', 'KILL', 'SKIPME', 'no']]);
    expect(await pair.e.waitClose(2000)).toBe(true);
    expect(await pair.r.waitClose(2000)).toBe(true);
    for (const d of [...others, ...more]) d.close();
    await reconnectMain();
  });
});

describe('CLIENT REPLY', () => {
  it('OFF silences replies until ON, which replies OK', async () => {
    const d = await Duo.open(pair);
    d.send('CLIENT', 'REPLY', 'OFF');
    d.send('PING', 'pong');
    d.send('SET', 'silenced', '1');
    await d.same('CLIENT', 'REPLY', 'ON');
    await d.same('PING', 'pong3');
    await d.same('GET', 'silenced');
    d.close();
  });

  it('SKIP drops only the next reply; ON clears a pending SKIP', async () => {
    const d = await Duo.open(pair);
    d.send('CLIENT', 'REPLY', 'SKIP');
    d.send('PING', 'pong');
    await d.same('PING', 'pong2');
    d.send('CLIENT', 'REPLY', 'SKIP');
    await d.same('CLIENT', 'REPLY', 'ON');
    await d.same('PING');
    await d.same('CLIENT', 'REPLY', 'FOO');
    await d.same('CLIENT', 'REPLY');
    d.close();
  });

  it('ON sent in one pipeline after muted commands keeps the reply order', async () => {
    const d = await Duo.open(pair);
    const batch = Buffer.concat([
      encodeCommand(['CLIENT', 'REPLY', 'OFF']),
      encodeCommand(['PING', 'silent']),
      encodeCommand(['CLIENT', 'REPLY', 'ON']),
      encodeCommand(['PING', 'after']),
    ]);
    d.r.writeRaw(batch);
    d.e.writeRaw(batch);
    await d.next();
    await d.next();
    d.close();
  });
});

describe('CLIENT NO-EVICT, tracking introspection, HELP', () => {
  it('NO-EVICT sets the e flag', async () => {
    await same(pair, [['CLIENT', 'NO-EVICT', 'on'], ['CLIENT', 'NO-EVICT', 'maybe'], ['CLIENT', 'NO-EVICT']]);
    const [a, b] = await main().both('CLIENT', 'INFO');
    expect(stable(parseList(text(b))[0]!, true)).toEqual(stable(parseList(text(a))[0]!, true));
    await same(pair, [['CLIENT', 'NO-EVICT', 'OFF']]);
  });

  it('GETREDIR, TRACKINGINFO and CACHING without tracking', async () => {
    await same(pair, [['CLIENT', 'GETREDIR'], ['CLIENT', 'TRACKINGINFO'], ['CLIENT', 'CACHING', 'yes'], ['CLIENT', 'CACHING', 'no']]);
    await main().both('HELLO', '3');
    await same(pair, [['CLIENT', 'TRACKINGINFO'], ['CLIENT', 'GETNAME']]);
  });

  it('HELP is a list of status lines in the Redis layout', async () => {
    const [a, b] = await main().both('CLIENT', 'HELP');
    const lines = (v: RespValue) => (v.t === 'array' ? v.v.map((x) => (x.t === 'simple' ? x.v : '?')) : []);
    expect(lines(b)[0]).toBe(lines(a)[0]);
    expect(lines(b).at(-2)).toBe('HELP');
    expect(lines(b)).not.toContain('?');
    for (const sub of ['GETNAME', 'ID', 'INFO', 'KILL', 'LIST', 'NO-EVICT', 'PAUSE', 'REPLY', 'SETNAME', 'UNBLOCK', 'UNPAUSE']) {
      expect(lines(b).some((l) => l.startsWith(sub))).toBe(true);
    }
  });
});

describe('CLIENT PAUSE / UNPAUSE', () => {
  it('argument errors', async () => {
    await same(pair, [
      ['CLIENT', 'PAUSE', 'abc'],
      ['CLIENT', 'PAUSE', '-1'],
      ['CLIENT', 'PAUSE', '10', 'foo'],
      ['CLIENT', 'PAUSE', 'abc', 'foo'],
      ['CLIENT', 'PAUSE', '1', '2', '3'],
      ['CLIENT', 'PAUSE'],
      ['CLIENT', 'PAUSE', '0'],
      ['CLIENT', 'UNPAUSE'],
      ['CLIENT', 'UNPAUSE', 'x'],
    ]);
  });

  it('WRITE holds writes (and PUBLISH) but not reads, until UNPAUSE', async () => {
    const d = await Duo.open(pair);
    const p = await Duo.open(pair);
    await same(pair, [['CLIENT', 'PAUSE', '5000', 'WRITE']]);
    await d.same('GET', 'paused-key');
    const t0 = Date.now();
    const pending = Promise.all([d.r.call('SET', 'paused-key', 'v'), d.e.call('SET', 'paused-key', 'v')]);
    const pub = Promise.all([p.r.call('PUBLISH', 'c', 'm'), p.e.call('PUBLISH', 'c', 'm')]);
    await sleep(150);
    await same(pair, [['GET', 'paused-key'], ['CLIENT', 'UNPAUSE']]);
    const [a, b] = await pending;
    expect(show(b)).toBe(show(a));
    const [pa, pb] = await pub;
    expect(show(pb)).toBe(show(pa));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    await same(pair, [['GET', 'paused-key']]);
    d.close();
    p.close();
  });

  it('ALL holds every command, the caller included, until the timeout', async () => {
    const d = await Duo.open(pair);
    await same(pair, [['CLIENT', 'PAUSE', '300']]);
    const t0 = Date.now();
    const [, e] = await Promise.all([d.r.call('PING'), d.e.call('PING')]);
    const waited = Date.now() - t0;
    expect(show(e)).toBe('{"t":"simple","v":"PONG"}');
    expect(waited).toBeGreaterThanOrEqual(200);
    await same(pair, [['PING']]);
    d.close();
  });
});

describe('CLIENT UNBLOCK', () => {
  it('argument errors and clients that are not blocked', async () => {
    const [ia, ie] = await main().both('CLIENT', 'ID');
    await same(pair, [
      ['CLIENT', 'UNBLOCK'],
      ['CLIENT', 'UNBLOCK', 'abc'],
      ['CLIENT', 'UNBLOCK', 'abc', 'foo'],
      ['CLIENT', 'UNBLOCK', '1', '2', '3'],
      ['CLIENT', 'UNBLOCK', '999999', 'error'],
      ['CLIENT', 'UNBLOCK', '999999', 'TIMEOUT'],
    ]);
    const [a, b] = await Promise.all([pair.r.call('CLIENT', 'UNBLOCK', String(int(ia))), pair.e.call('CLIENT', 'UNBLOCK', String(int(ie)))]);
    expect(show(b)).toBe(show(a));
  });

  it('wakes a client blocked on keys as on timeout, or with an UNBLOCKED error', async () => {
    for (const mode of ['TIMEOUT', 'ERROR']) {
      const blocked = await Duo.open(pair);
      const [ia, ie] = await blocked.both('CLIENT', 'ID');
      blocked.send('BLPOP', 'nolist', '0');
      await sleep(50);
      const [a, b] = await Promise.all([pair.r.call('CLIENT', 'UNBLOCK', String(int(ia)), mode), pair.e.call('CLIENT', 'UNBLOCK', String(int(ie)), mode)]);
      expect(show(b), mode).toBe(show(a));
      await blocked.next();
      await blocked.same('PING');
      blocked.close();
    }
  });
});

describe('CLIENT LIST filters and KILL filters (issue 5)', () => {
  /**
   * CLIENT LIST with numbers, addresses and ids normalized: the shape and the stable fields (age and
   * idle, see SECONDS, count as numbers here).
   */
  const shape = (v: RespValue): string[] =>
    v.t !== 'bulk' && v.t !== 'verbatim'
      ? [show(v)]
      : parseList(v.v)
          .map((l) => l.map(([k, val]) => `${k}=${STABLE.includes(k) ? val : '#'}`).join(' '))
          .sort();

  it('LIST TYPE normal|pubsub|replica|slave|master and ID lists select the same clients as Redis', async () => {
    const sub = await Duo.open(pair, 'subscriber');
    await sub.same('SUBSCRIBE', 'ch');
    const other = await Duo.open(pair, 'other');
    const [oa, oe] = await other.both('CLIENT', 'ID');
    const [ma, me] = await main().both('CLIENT', 'ID');
    for (const type of ['normal', 'NORMAL', 'pubsub', 'replica', 'slave', 'master']) {
      const [a, b] = await main().both('CLIENT', 'LIST', 'TYPE', type);
      expect(shape(b), type).toEqual(shape(a));
    }
    const [a, b] = await Promise.all([
      pair.r.call('CLIENT', 'LIST', 'ID', String(int(oa)), String(int(ma)), '999999'),
      pair.e.call('CLIENT', 'LIST', 'ID', String(int(oe)), String(int(me)), '999999'),
    ]);
    expect(shape(b)).toEqual(shape(a));
    expect(shape(b)).toHaveLength(2);
    await same(pair, [
      ['CLIENT', 'LIST', 'TYPE'],
      ['CLIENT', 'LIST', 'TYPE', 'nosuch'],
      ['CLIENT', 'LIST', 'ID'],
      ['CLIENT', 'LIST', 'ID', 'x'],
      ['CLIENT', 'LIST', 'ID', '0'],
      ['CLIENT', 'LIST', 'TYPE', 'normal', 'ID', '1'],
    ]);
    sub.close();
    other.close();
  });

  it('KILL filters of Redis 7.0 only: MAXAGE (7.2) is a syntax error, as on 7.0', async () => {
    await same(pair, [
      ['CLIENT', 'KILL', 'MAXAGE', '10'],
      ['CLIENT', 'KILL', 'ID', '999999', 'MAXAGE', '1'],
      ['CLIENT', 'KILL', 'ADDR'],
      ['CLIENT', 'KILL', 'LADDR', '1.1.1.1:1', 'SKIPME'],
      ['CLIENT', 'KILL', 'TYPE', 'master'],
      ['CLIENT', 'KILL', 'TYPE', 'replica'],
      ['CLIENT', 'NO-EVICT'],
      ['CLIENT', 'NO-EVICT', 'maybe'],
    ]);
  });

  it('KILL USER default SKIPME yes kills every other client and counts them', async () => {
    const victims = [await Duo.open(pair), await Duo.open(pair)];
    const [a, b] = await main().both('CLIENT', 'KILL', 'USER', 'default', 'SKIPME', 'yes');
    expect(show(b)).toBe(show(a));
    expect(int(b)).toBeGreaterThanOrEqual(2);
    await sleep(50);
    const [la, lb] = await main().both('CLIENT', 'LIST');
    expect(shape(lb)).toEqual(shape(la));
    for (const v of victims) v.close();
  });
});
