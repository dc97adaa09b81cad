// Pub/sub compared with a real redis-server 7.0 over several connections: confirmations and
// message delivery in RESP2 and RESP3, patterns, shard channels, the RESP2 subscribed context,
// PUBSUB introspection, cleanup on disconnect and RESET, CLIENT REPLY OFF, and generated
// subscribe/publish sequences.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RespValue } from '../../../src/formats/resp/reply-parser.js';
import { same, show, sorted, startPair, type Cmd, type Pair } from '../../helpers/differential.js';
import { RespClient, encodeCommand as encode } from '../../helpers/resp-client.js';

/** One extra connection on each server, driven in lock step. */
class Duo {
  constructor(
    readonly r: RespClient,
    readonly e: RespClient,
  ) {}
  static async open(pair: Pair, resp3 = false): Promise<Duo> {
    const d = new Duo(await RespClient.connect(pair.redis.port), await RespClient.connect(pair.engine.port));
    if (resp3) await Promise.all([d.r.call('HELLO', '3'), d.e.call('HELLO', '3')]);
    return d;
  }
  /** Sends a command and compares its first reply. */
  async same(...args: Cmd): Promise<RespValue> {
    const [a, b] = await Promise.all([this.r.call(...args), this.e.call(...args)]);
    expect(show(b), `command: ${args.map(String).join(' ')}`).toBe(show(a));
    return a;
  }
  /** Compares the next `n` replies (pushes) without sending anything. */
  async next(n = 1): Promise<void> {
    for (let i = 0; i < n; i++) {
      const [a, b] = await Promise.all([this.r.read(2000), this.e.read(2000)]);
      expect(show(b)).toBe(show(a));
    }
  }
  send(...args: Cmd): void {
    this.r.socket.write(encode(args));
    this.e.socket.write(encode(args));
  }
  /**
   * Everything delivered so far, as a sorted list: PING is sent and replies are collected until
   * its answer, which tells pushes apart from the PING reply in both protocols.
   */
  async drain(): Promise<[string[], string[]]> {
    const take = async (c: RespClient) => {
      c.socket.write(encode(['PING']));
      const got: string[] = [];
      for (;;) {
        const v = await c.read(2000);
        const first = (v.t === 'array' || v.t === 'push') && v.v[0]?.t === 'bulk' ? v.v[0].v : '';
        if (first === 'pong' || v.t === 'simple') break;
        got.push(show(v));
      }
      return got.sort();
    };
    return Promise.all([take(this.r), take(this.e)]);
  }
  close(): void {
    this.r.close();
    this.e.close();
  }
}


let pair: Pair;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  pair = await startPair();
});
afterAll(async () => {
  await pair?.stop();
});

describe('SUBSCRIBE / PUBLISH (RESP2)', () => {
  it('confirms each channel, delivers messages, and counts receivers', async () => {
    const sub = await Duo.open(pair);
    await sub.same('SUBSCRIBE', 'chan1', 'chan2');
    await sub.next();
    await same(pair, [['PUBLISH', 'chan1', 'hello'], ['PUBLISH', 'chan2', 'world'], ['PUBLISH', 'other', 'x']]);
    await sub.next(2);
    await sub.same('UNSUBSCRIBE', 'chan1');
    await same(pair, [['PUBLISH', 'chan1', 'hello'], ['PUBLISH', 'chan2', 'world']]);
    await sub.next();
    await sub.same('UNSUBSCRIBE', 'chan2');
    await same(pair, [['PUBLISH', 'chan1', 'hello'], ['PUBLISH', 'chan2', 'world']]);
    await sub.same('PING'); // no longer subscribed: a plain PONG
    sub.close();
  });

  it('two subscribers of one channel, repeated subscriptions, non-subscribed unsubscribes', async () => {
    const a = await Duo.open(pair);
    const b = await Duo.open(pair);
    await a.same('SUBSCRIBE', 'chan1');
    await b.same('SUBSCRIBE', 'chan1', 'chan1', 'chan1');
    await b.next(2);
    await same(pair, [['PUBLISH', 'chan1', 'hello'], ['PUBSUB', 'NUMSUB', 'chan1', 'nope']]);
    await a.next();
    await b.next();
    const c = await Duo.open(pair);
    await c.same('UNSUBSCRIBE', 'foo', 'bar', 'quux');
    await c.next(2);
    await c.same('PUNSUBSCRIBE', 'foo.*', 'bar.*');
    await c.next();
    for (const d of [a, b, c]) d.close();
  });

  it('UNSUBSCRIBE and PUNSUBSCRIBE with nothing subscribed still reply (null channel)', async () => {
    await same(pair, [['UNSUBSCRIBE'], ['PUNSUBSCRIBE'], ['SUNSUBSCRIBE'], ['PING']]);
  });

  it('UNSUBSCRIBE without arguments drops every channel (counts count down)', async () => {
    const sub = await Duo.open(pair);
    await sub.same('SUBSCRIBE', 'c1', 'c2', 'c3');
    await sub.next(2);
    await sub.same('PSUBSCRIBE', 'p*');
    sub.send('UNSUBSCRIBE');
    // Redis walks its hash table: compare the names as a set and the counts in order.
    const replies = async (c: RespClient) => {
      const vs: RespValue[] = [];
      for (let i = 0; i < 3; i++) vs.push(await c.read(2000));
      return vs;
    };
    const [ra, rb] = await Promise.all([replies(sub.r), replies(sub.e)]);
    const names = (vs: RespValue[]) => vs.map((v) => (v.t === 'array' ? show(v.v[1]!) : '')).sort();
    const counts = (vs: RespValue[]) => vs.map((v) => (v.t === 'array' ? show(v.v[2]!) : ''));
    expect(names(rb)).toEqual(names(ra));
    expect(counts(rb)).toEqual(counts(ra));
    await same(pair, [['PUBLISH', 'c1', 'x'], ['PUBLISH', 'pat', 'y']]);
    await sub.next();
    await sub.same('PUNSUBSCRIBE');
    await sub.same('PING');
    sub.close();
  });

  it('a subscribed RESP2 client may only run the pub/sub commands, PING, QUIT and RESET', async () => {
    const sub = await Duo.open(pair);
    await sub.same('SUBSCRIBE', 'x');
    await sub.same('GET', 'k');
    await sub.same('PUBLISH', 'x', 'y');
    await sub.same('PING');
    await sub.same('PING', 'hello');
    await sub.same('CLIENT', 'ID');
    await sub.same('RESET');
    await sub.same('GET', 'k');
    await same(pair, [['PUBLISH', 'x', 'after-reset']]);
    sub.close();
  });

  it('subscribers gone by disconnect or RESET stop counting', async () => {
    const a = await Duo.open(pair);
    await a.same('SUBSCRIBE', 'gone');
    await a.same('PSUBSCRIBE', 'go*');
    await same(pair, [['PUBSUB', 'NUMSUB', 'gone'], ['PUBSUB', 'NUMPAT']]);
    a.close();
    await sleep(50);
    await same(pair, [['PUBLISH', 'gone', 'x'], ['PUBSUB', 'NUMSUB', 'gone'], ['PUBSUB', 'NUMPAT'], ['PUBSUB', 'CHANNELS']]);
  });
});

describe('PSUBSCRIBE', () => {
  it('matches patterns, mixes with channel subscriptions, and unsubscribes', async () => {
    const sub = await Duo.open(pair);
    await sub.same('PSUBSCRIBE', 'foo.*', 'bar.*');
    await sub.next();
    await same(pair, [['PUBLISH', 'foo.1', 'hello'], ['PUBLISH', 'bar.1', 'hello'], ['PUBLISH', 'foo1', 'x'], ['PUBLISH', 'barfoo.1', 'x']]);
    await sub.next(2);
    await sub.same('PUNSUBSCRIBE', 'foo.*');
    await same(pair, [['PUBLISH', 'foo.1', 'hello'], ['PUBLISH', 'bar.1', 'hello']]);
    await sub.next();
    await sub.same('SUBSCRIBE', 'bar.x');
    await same(pair, [['PUBLISH', 'bar.x', 'both']]);
    await sub.next(2); // the channel message first, then the pattern one
    await sub.same('PUNSUBSCRIBE', 'bar.*');
    await sub.same('UNSUBSCRIBE', 'bar.x');
    sub.close();
  });

  it('glob classes, escapes and binary channel names', async () => {
    const sub = await Duo.open(pair);
    await sub.same('PSUBSCRIBE', 'h[ae]llo', 'x\\*y', 'b?n');
    await sub.next(2);
    for (const ch of ['hello', 'hallo', 'hillo', 'x*y', 'xzy', 'b\x00n', 'bin']) await same(pair, [['PUBLISH', ch, 'm']]);
    const [a, b] = await sub.drain();
    expect(b).toEqual(a);
    sub.close();
  });

  it('PUBSUB NUMPAT counts distinct patterns', async () => {
    const a = await Duo.open(pair);
    const b = await Duo.open(pair);
    await a.same('PSUBSCRIBE', 'foo*');
    await b.same('PSUBSCRIBE', 'foo*');
    await a.same('PSUBSCRIBE', 'bar*');
    await b.same('PSUBSCRIBE', 'baz*');
    await same(pair, [['PUBSUB', 'NUMPAT']]);
    a.close();
    b.close();
  });
});

describe('RESP3', () => {
  it('confirmations and messages are pushes; any command runs while subscribed', async () => {
    const sub = await Duo.open(pair, true);
    await sub.same('SUBSCRIBE', 'r3');
    await sub.same('PSUBSCRIBE', 'r*');
    await same(pair, [['PUBLISH', 'r3', 'hi']]);
    await sub.next(2);
    await sub.same('SET', 'k3', 'v');
    await sub.same('GET', 'k3');
    await sub.same('PING');
    // publishing to itself: the pushes come before the integer reply
    await sub.same('PUBLISH', 'r3', 'self');
    await sub.next(2);
    await sub.same('UNSUBSCRIBE');
    await sub.same('PUNSUBSCRIBE');
    await sub.same('UNSUBSCRIBE');
    sub.close();
  });

  it('RESP2 and RESP3 subscribers of the same channel get their own shapes', async () => {
    const two = await Duo.open(pair);
    const three = await Duo.open(pair, true);
    await two.same('SUBSCRIBE', 'mixed');
    await three.same('SUBSCRIBE', 'mixed');
    await same(pair, [['PUBLISH', 'mixed', 'payload\r\nwith crlf']]);
    await two.next();
    await three.next();
    two.close();
    three.close();
  });

  it('pushes get through CLIENT REPLY OFF', async () => {
    const sub = await Duo.open(pair, true);
    sub.send('CLIENT', 'REPLY', 'OFF');
    await sub.same('SUBSCRIBE', 'channel');
    await sub.same('PSUBSCRIBE', 'ch*');
    await same(pair, [['PUBLISH', 'channel', 'hello']]);
    await sub.next(2);
    await sub.same('UNSUBSCRIBE', 'channel');
    await sub.same('PUNSUBSCRIBE', 'ch*');
    sub.send('PING');
    await sub.same('CLIENT', 'REPLY', 'ON');
    sub.close();
  });
});

describe('shard channels (SSUBSCRIBE, SPUBLISH) outside cluster mode', () => {
  it('subscribe, publish, introspect and unsubscribe', async () => {
    const sub = await Duo.open(pair);
    await sub.same('SSUBSCRIBE', 's1', 's2');
    await sub.next();
    await sub.same('SUBSCRIBE', 'plain'); // counts channels and patterns only: 1
    await same(pair, [
      ['SPUBLISH', 's1', 'm'],
      ['PUBLISH', 's1', 'not-shard'],
      ['SPUBLISH', 'plain', 'not-plain'],
      ['PUBSUB', 'SHARDNUMSUB', 's1', 's2', 'plain'],
      ['PUBSUB', 'NUMSUB', 's1', 'plain'],
    ]);
    await sub.next();
    const [a, b] = await Promise.all([pair.r.call('PUBSUB', 'SHARDCHANNELS'), pair.e.call('PUBSUB', 'SHARDCHANNELS')]);
    expect(show(sorted(b))).toBe(show(sorted(a)));
    await same(pair, [['PUBSUB', 'SHARDCHANNELS', 's1'], ['PUBSUB', 'SHARDCHANNELS', 'x*']]);
    await sub.same('SUNSUBSCRIBE', 's1');
    await sub.same('UNSUBSCRIBE');
    await sub.same('SUNSUBSCRIBE');
    await sub.same('GET', 'k');
    sub.close();
  });

  it('a client subscribed only to shard channels is in the RESP2 subscribed context', async () => {
    const sub = await Duo.open(pair);
    await sub.same('SSUBSCRIBE', 'only');
    await sub.same('GET', 'k');
    await sub.same('PING');
    await sub.same('SUNSUBSCRIBE');
    await sub.same('GET', 'k');
    sub.close();
  });
});

describe('PUBSUB introspection', () => {
  it('CHANNELS (with and without pattern), NUMSUB, NUMPAT and errors', async () => {
    const a = await Duo.open(pair);
    await a.same('SUBSCRIBE', 'news.a', 'news.b', 'other');
    await a.next(2);
    const cmp = async (...args: Cmd) => {
      const [x, y] = await Promise.all([pair.r.call(...args), pair.e.call(...args)]);
      expect(show(sorted(y)), args.join(' ')).toBe(show(sorted(x)));
    };
    await cmp('PUBSUB', 'CHANNELS');
    await cmp('PUBSUB', 'CHANNELS', 'news.*');
    await cmp('PUBSUB', 'CHANNELS', 'nothing*');
    await same(pair, [
      ['PUBSUB', 'NUMSUB'],
      ['PUBSUB', 'NUMSUB', 'news.a', 'news.a', 'zzz'],
      ['PUBSUB', 'NUMPAT'],
      ['PUBSUB', 'CHANNELS', 'a', 'b'],
      ['PUBSUB', 'NUMPAT', 'x'],
      ['PUBSUB', 'FOO'],
      ['PUBSUB'],
      ['PUBLISH', 'x'],
      ['SUBSCRIBE'],
      ['PSUBSCRIBE'],
      ['SSUBSCRIBE'],
    ]);
    a.close();
  });

  it('RESP3 replies (CHANNELS is an array, NUMSUB a flat array)', async () => {
    const c = await Duo.open(pair, true);
    await same(pair, [['SUBSCRIBE', 'r3chan']]);
    await c.same('PUBSUB', 'NUMSUB', 'r3chan');
    await c.same('PUBSUB', 'CHANNELS', 'r3*');
    await same(pair, [['UNSUBSCRIBE']]);
    c.close();
  });

  it('PUBSUB HELP is a list of status lines in the Redis layout', async () => {
    const [a, b] = await Promise.all([pair.r.call('PUBSUB', 'HELP'), pair.e.call('PUBSUB', 'HELP')]);
    expect(b.t).toBe('array');
    const lines = (v: RespValue) => (v.t === 'array' ? v.v.map((x) => (x.t === 'simple' ? x.v : '?')) : []);
    expect(lines(b)[0]).toBe(lines(a)[0]);
    expect(lines(b).at(-2)).toBe('HELP');
    expect(lines(b).every((l) => l !== '?')).toBe(true);
    for (const sub of ['CHANNELS', 'NUMPAT', 'NUMSUB', 'SHARDCHANNELS', 'SHARDNUMSUB']) expect(lines(b).some((l) => l.startsWith(sub))).toBe(true);
  });
});

describe('generated subscribe / publish sequences', () => {
  const names = ['a', 'b', 'ab', 'a.b'];
  const pats = ['a*', '?', 'a.*', '*b'];
  const name = fc.constantFrom(...names);
  const pat = fc.constantFrom(...pats);
  // Subscribers use RESP3 so every reply and push can be told apart from the PING of drain().
  const subCmd: fc.Arbitrary<Cmd> = fc.oneof(
    fc.array(name, { minLength: 1, maxLength: 3 }).map((ns) => ['SUBSCRIBE', ...ns]),
    fc.array(pat, { minLength: 1, maxLength: 2 }).map((ps) => ['PSUBSCRIBE', ...ps]),
    fc.array(name, { minLength: 1, maxLength: 2 }).map((ns) => ['UNSUBSCRIBE', ...ns]),
    fc.array(pat, { minLength: 1, maxLength: 2 }).map((ps) => ['PUNSUBSCRIBE', ...ps]),
    fc.array(name, { minLength: 1, maxLength: 2 }).map((ns) => ['SSUBSCRIBE', ...ns]),
  );
  const pubCmd: fc.Arbitrary<Cmd> = fc.oneof(
    fc.tuple(name, fc.string({ maxLength: 4 })).map(([n, m]) => ['PUBLISH', n, m]),
    fc.tuple(name, fc.string({ maxLength: 4 })).map(([n, m]) => ['SPUBLISH', n, m]),
    fc.constant<Cmd>(['PUBSUB', 'NUMPAT']),
    fc.array(name, { maxLength: 3 }).map((ns) => ['PUBSUB', 'NUMSUB', ...ns]),
    fc.array(name, { maxLength: 3 }).map((ns) => ['PUBSUB', 'SHARDNUMSUB', ...ns]),
  );
  const step = fc.oneof(fc.tuple(fc.constantFrom(0, 1), subCmd), fc.tuple(fc.constant(2), pubCmd));

  it('deliver the same messages with the same counts', async () => {
    const subs = [await Duo.open(pair, true), await Duo.open(pair, true)];
    const runs = fc.sample(fc.array(step, { minLength: 5, maxLength: 30 }), { numRuns: 25, seed: 11 });
    const problems: string[] = [];
    for (const steps of runs) {
      for (const s of subs) for (const c of [['UNSUBSCRIBE'], ['PUNSUBSCRIBE'], ['SUNSUBSCRIBE']] as Cmd[]) s.send(...c);
      for (const s of subs) await s.drain();
      for (const [who, c] of steps) {
        if (who === 2) {
          const [a, b] = await Promise.all([pair.r.call(...c), pair.e.call(...c)]);
          if (show(a) !== show(b)) problems.push(`publisher: ${c.join(' ')}\n  redis:  ${show(a)}\n  engine: ${show(b)}`);
        } else {
          subs[who]!.send(...c);
        }
        // Everything each subscriber got so far (confirmations and messages), order-insensitive.
        for (const [i, s] of subs.entries()) {
          const [a, b] = await s.drain();
          if (JSON.stringify(a) !== JSON.stringify(b)) problems.push(`subscriber ${i} after ${c.join(' ')}\n  redis:  ${a.join(' ')}\n  engine: ${b.join(' ')}`);
        }
      }
      if (problems.length > 0) break;
    }
    for (const s of subs) s.close();
    expect(problems).toEqual([]);
  });
});
