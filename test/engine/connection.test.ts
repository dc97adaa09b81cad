// Connection commands and protocol basics, compared with a real redis-server 7.0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { same, startPair, type Pair } from '../helpers/differential.js';
import { RespClient } from '../helpers/resp-client.js';

let pair: Pair;
beforeAll(async () => {
  pair = await startPair();
});
afterAll(async () => {
  await pair?.stop();
});

describe('connection commands', () => {
  it('PING, ECHO, SELECT answer as Redis does', async () => {
    await same(pair, [
      ['PING'],
      ['ping', 'hello'],
      ['PING', 'a', 'b'],
      ['ECHO', 'x\r\ny'],
      ['ECHO'],
      ['SELECT', '1'],
      ['SELECT', '16'],
      ['SELECT', '-1'],
      ['SELECT', 'abc'],
      ['SELECT', '4294967296'],
      ['SELECT', '01'],
      ['SELECT', '0'],
      ['NOSUCHCOMMAND', 'a', 'b'],
      ['HELLO', '4'],
      ['HELLO', 'abc'],
      ['HELLO', '2', 'FOO'],
      ['AUTH', 'x'],
    ]);
  });

  it('HELLO 3 switches to RESP3 maps', async () => {
    const r = await RespClient.connect(pair.redis.port);
    const e = await RespClient.connect(pair.engine.port);
    const [a, b] = [await r.call('HELLO', '3'), await e.call('HELLO', '3')];
    expect(b.t).toBe('map');
    const keys = (v: typeof a) => (v.t === 'map' ? v.v.map(([k]) => (k.t === 'bulk' ? k.v : '')) : []);
    expect(keys(b)).toEqual(keys(a));
    r.close();
    e.close();
  });
});
