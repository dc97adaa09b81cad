// The GEO family compared with a real redis-server 7.0: GEOADD's options and its listpack ->
// skiplist switch, GEOPOS/GEOHASH/GEODIST formatting (units, RESP3, coordinates at and beyond the
// limits, scores that were never geohashes), every search command with every option and error
// text in Redis's precedence, the STORE forms with their destination encodings, events-free
// counters (dirty, hits, misses), and generated point clouds searched by radius and by box, whose
// results, distances, hashes and coordinates must agree byte for byte.

import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { configurePair, diff, resetPair, same, sameWithCounters, show, startPair, type Cmd, type Pair } from '../../helpers/differential.js';
import { RespClient } from '../../helpers/resp-client.js';
import type { Engine } from '../../../src/engine/engine.js';

let pair: Pair;
let engine: Engine;

const DEFAULTS: Record<string, string> = { 'zset-max-listpack-entries': '128', 'zset-max-listpack-value': '64' };

beforeAll(async () => {
  pair = await startPair();
  engine = pair.engine.engine!;
});
afterAll(async () => {
  await pair?.stop();
});
beforeEach(async () => {
  await resetPair(pair, DEFAULTS);
});

async function encodingOf(key: string): Promise<[string | null, string | null]> {
  const r = await pair.r.call('OBJECT', 'ENCODING', key);
  const o = engine.dbs[0]!.peek(key);
  return [r.t === 'bulk' ? r.v : null, o === undefined ? null : o.enc];
}

async function sameResp3(cmds: Cmd[]): Promise<void> {
  const r = await RespClient.connect(pair.redis.port);
  const e = await RespClient.connect(pair.engine.port);
  try {
    await r.call('HELLO', '3');
    await e.call('HELLO', '3');
    for (const c of cmds) {
      const [a, b] = [await r.call(...c), await e.call(...c)];
      expect(show(b), `RESP3 ${c.join(' ')}`).toBe(show(a));
    }
  } finally {
    r.close();
    e.close();
  }
}

const SICILY: Cmd = ['GEOADD', 'Sicily', '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania', '12.758489', '38.788135', 'edge1', '17.241510', '38.788135', 'edge2'];
const CITIES: Cmd = [
  'GEOADD', 'cities',
  '-122.4194', '37.7749', 'sf', '-118.2437', '34.0522', 'la', '-73.935242', '40.730610', 'nyc', '2.3522', '48.8566', 'paris',
  '-0.1276', '51.5072', 'london', '139.6917', '35.6895', 'tokyo', '151.2093', '-33.8688', 'sydney', '-179.9', '0', 'west',
  '179.9', '0', 'east', '0', '85', 'north', '0', '-85', 'south', '13.361389', '38.115556', 'palermo', '13.361389', '38.115556', 'palermo2',
];

describe('GEOADD', () => {
  it('adds, updates, NX/XX/CH, and errors in Redis order', async () => {
    await same(pair, [
      SICILY,
      ['GEOADD', 'Sicily', '13.361389', '38.115556', 'Palermo'],
      ['GEOADD', 'Sicily', 'CH', '13.361390', '38.115556', 'Palermo', '1', '2', 'new'],
      ['GEOADD', 'Sicily', 'NX', 'CH', '1', '1', 'Palermo', '3', '3', 'n2'],
      ['GEOADD', 'Sicily', 'xx', '1', '1', 'Palermo', '3', '3', 'n3'],
      ['GEOADD', 'Sicily', 'xx', 'ch', '5', '5', 'Palermo'],
      ['GEOADD', 'Sicily', 'nx', 'xx', '1', '1', 'a'],
      ['GEOADD', 'Sicily', 'xx', 'nx', '1', '1', 'a'],
      ['GEOADD', 'Sicily', 'gt', '1', '1', 'a'],
      ['GEOADD', 'Sicily', 'gt', '1', '1'],
      ['GEOADD', 'Sicily', '1', '1', 'a', '2'],
      ['GEOADD', 'Sicily', 'ch', 'ch', 'ch'],
      ['GEOADD', 'Sicily', 'nx', 'xx', 'ch'],
      ['GEOADD', 'Sicily', '1', '1'],
      ['GEOADD', 'Sicily'],
      ['GEOADD', 'Sicily', 'x', '1', 'a'],
      ['GEOADD', 'Sicily', '1', 'y', 'a'],
      ['GEOADD', 'Sicily', '200', '100', 'a'],
      ['GEOADD', 'Sicily', '1', '1', 'ok', '181', '1', 'bad'],
      ['GEOADD', 'Sicily', '0.0078125', '86', 'a'],
      ['GEOADD', 'Sicily', '-0', '-90', 'a'],
      ['GEOADD', 'Sicily', '-1e-7', '-90', 'a'],
      ['GEOADD', 'Sicily', 'inf', '0', 'a'],
      ['GEOADD', 'Sicily', '-inf', '-inf', 'a'],
      ['GEOADD', 'Sicily', 'nan', '0', 'a'],
      ['GEOADD', 'Sicily', '1e300', '0', 'a'],
      ['GEOADD', 'Sicily', '0x10', '0', 'hex'],
      ['GEOADD', 'Sicily', ' 1', '0', 'space'],
      ['ZRANGE', 'Sicily', '0', '-1', 'WITHSCORES'],
      ['SET', 'str', 'x'],
      ['GEOADD', 'str', '1', '1', 'a'],
      ['GEOADD', 'str', '1', '1'],
      ['GEOADD', 'new', 'XX', '1', '1', 'a'],
      ['EXISTS', 'new'],
    ]);
  });

  it('stores exact scores at and beyond the coordinate limits', async () => {
    await same(pair, [
      ['GEOADD', 'k', '-180', '-85.05112878', 'min', '180', '85.05112878', 'max', '0', '0', 'zero', '-180', '85.05112878', 'nw', '180', '-85.05112878', 'se'],
      ['GEOADD', 'k', '179.99999999999997', '85.05112877999999', 'almost', '-0', '-0', 'negzero', '1e-300', '-1e-300', 'tiny'],
      ['ZRANGE', 'k', '0', '-1', 'WITHSCORES'],
      ['GEOPOS', 'k', 'min', 'max', 'zero', 'nw', 'se', 'almost', 'negzero', 'tiny', 'missing'],
      ['GEOHASH', 'k', 'min', 'max', 'zero', 'nw', 'se', 'almost', 'negzero', 'tiny', 'missing'],
      ['GEODIST', 'k', 'min', 'max'],
      ['GEODIST', 'k', 'nw', 'se', 'km'],
      ['GEODIST', 'k', 'zero', 'negzero'],
    ]);
  });

  it('switches listpack -> skiplist at zset-max-listpack-entries and -value, like ZADD', async () => {
    const args: string[] = [];
    for (let i = 0; i < 128; i++) args.push(String(-170 + i), String(-80 + i / 2), `m${i}`);
    await same(pair, [['GEOADD', 'big', ...args]]);
    expect(await encodingOf('big')).toEqual(['listpack', 'listpack']);
    await same(pair, [['GEOADD', 'big', '1', '1', 'm0']]);
    expect(await encodingOf('big')).toEqual(['listpack', 'listpack']);
    await same(pair, [['GEOADD', 'big', '1', '1', 'one-more']]);
    expect(await encodingOf('big')).toEqual(['skiplist', 'skiplist']);
    await same(pair, [['GEOADD', 'long', '1', '1', 'x'.repeat(65)]]);
    expect(await encodingOf('long')).toEqual(['skiplist', 'skiplist']);
    await same(pair, [['GEOADD', 'long2', '1', '1', 'x'.repeat(64)], ['GEOADD', 'long2', '2', '2', 'y'.repeat(65)]]);
    expect(await encodingOf('long2')).toEqual(['skiplist', 'skiplist']);
    await configurePair(pair, { 'zset-max-listpack-entries': '0' });
    await same(pair, [['GEOADD', 'zero', '1', '1', 'a']]);
    expect(await encodingOf('zero')).toEqual(['skiplist', 'skiplist']);
  });

  it('moves dirty, hits and misses as Redis does', async () => {
    await sameWithCounters(pair, [
      SICILY,
      ['GEOADD', 'Sicily', 'CH', '13.361389', '38.115556', 'Palermo', '1', '1', 'x'],
      ['GEOADD', 'Sicily', 'NX', '13', '38', 'Palermo'],
      ['GEOPOS', 'Sicily', 'Palermo'],
      ['GEOPOS', 'none', 'Palermo'],
      ['GEODIST', 'Sicily', 'Palermo', 'Catania'],
      ['GEODIST', 'none', 'Palermo', 'Catania'],
      ['GEOHASH', 'Sicily', 'Palermo'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'bad'],
      ['GEOSEARCHSTORE', 'dst', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km'],
      ['GEOSEARCHSTORE', 'dst', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '1', 'm'],
      ['GEOSEARCHSTORE', 'dst', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '1', 'm'],
      ['GEOSEARCHSTORE', 'dst', 'none', 'FROMLONLAT', '15', '37', 'BYRADIUS', '1', 'm'],
      ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'STORE', 'dst2'],
      ['GEORADIUS', 'none', '15', '37', '200', 'km', 'STORE', 'dst2'],
    ]);
  });
});

describe('GEOPOS, GEOHASH, GEODIST', () => {
  it('replies and errors', async () => {
    const cmds: Cmd[] = [
      CITIES,
      ['GEOPOS', 'cities', 'sf', 'nope', 'tokyo', 'sydney', 'west', 'east', 'north', 'south'],
      ['GEOPOS', 'cities'],
      ['GEOPOS', 'none', 'a', 'b'],
      ['GEOHASH', 'cities', 'sf', 'nope', 'tokyo', 'sydney', 'west', 'east', 'north', 'south'],
      ['GEOHASH', 'none', 'a'],
      ['GEOHASH', 'cities'],
      ['GEODIST', 'cities', 'sf', 'la'],
      ['GEODIST', 'cities', 'sf', 'sydney', 'km'],
      ['GEODIST', 'cities', 'sf', 'sydney', 'KM'],
      ['GEODIST', 'cities', 'paris', 'london', 'mi'],
      ['GEODIST', 'cities', 'paris', 'london', 'ft'],
      ['GEODIST', 'cities', 'paris', 'london', 'M'],
      ['GEODIST', 'cities', 'west', 'east'],
      ['GEODIST', 'cities', 'north', 'south', 'km'],
      ['GEODIST', 'cities', 'palermo', 'palermo2'],
      ['GEODIST', 'cities', 'paris', 'paris'],
      ['GEODIST', 'cities', 'paris', 'nope'],
      ['GEODIST', 'cities', 'nope', 'paris'],
      ['GEODIST', 'cities', 'paris', 'london', 'yards'],
      ['GEODIST', 'cities', 'paris', 'london', 'km', 'extra'],
      ['GEODIST', 'none', 'a', 'b'],
      ['GEODIST', 'none', 'a', 'b', 'bad'],
      ['GEODIST', 'cities', 'a'],
      ['SET', 'str', 'x'],
      ['GEOPOS', 'str', 'a'],
      ['GEOHASH', 'str', 'a'],
      ['GEODIST', 'str', 'a', 'b'],
      ['GEODIST', 'str', 'a', 'b', 'bad'],
      ['GEODIST', 'str', 'a', 'b', 'km', 'x'],
    ];
    await same(pair, cmds);
    await resetPair(pair, DEFAULTS);
    await sameResp3(cmds);
  });

  it('decodes scores that were never geohashes as Redis casts them', async () => {
    const scores = ['0', '1', '-1', '1.5', '-1.5', '4503599627370496', '4503599627370495', '9007199254740992', '18014398509481984', '1e18', '9.3e18', '1.9e19', '1e30', '-1e30', 'inf', '-inf', '-9.3e18', '123456789.987'];
    const add: Cmd = ['ZADD', 'z', ...scores.flatMap((s, i) => [s, `m${i}`])];
    const members = scores.map((_, i) => `m${i}`);
    await same(pair, [add, ['GEOPOS', 'z', ...members], ['GEOHASH', 'z', ...members], ['GEODIST', 'z', 'm0', 'm5'], ['GEODIST', 'z', 'm2', 'm13', 'km']]);
    await same(pair, [['GEOSEARCH', 'z', 'FROMMEMBER', 'm0', 'BYRADIUS', '40000', 'km', 'WITHHASH', 'WITHCOORD', 'WITHDIST']]);
  });
});

describe('searches', () => {
  it('GEORADIUS / GEORADIUSBYMEMBER and their _RO forms with every option', async () => {
    await same(pair, [SICILY]);
    const opts: string[][] = [[], ['WITHDIST'], ['WITHCOORD'], ['WITHHASH'], ['WITHDIST', 'WITHCOORD', 'WITHHASH'], ['ASC'], ['DESC'], ['COUNT', '1'], ['COUNT', '2', 'DESC'], ['COUNT', '3', 'ANY'], ['count', '1', 'any', 'asc', 'withdist'], ['desc', 'asc'], ['WITHDIST', 'WITHDIST']];
    const cmds: Cmd[] = [];
    for (const o of opts) {
      for (const unit of ['km', 'm', 'mi', 'ft', 'KM']) {
        const r = unit === 'km' || unit === 'KM' ? '200' : unit === 'm' ? '200000' : unit === 'mi' ? '124' : '656168';
        cmds.push(['GEORADIUS', 'Sicily', '15', '37', r, unit, ...o]);
        cmds.push(['GEORADIUS_RO', 'Sicily', '15', '37', r, unit, ...o]);
        cmds.push(['GEORADIUSBYMEMBER', 'Sicily', 'Palermo', r, unit, ...o]);
        cmds.push(['GEORADIUSBYMEMBER_RO', 'Sicily', 'Palermo', r, unit, ...o]);
      }
    }
    await same(pair, cmds);
    await sameResp3(cmds.slice(0, 60));
  });

  it('GEOSEARCH with every from/by/order/count/with combination', async () => {
    await same(pair, [SICILY, CITIES]);
    const froms = [['FROMMEMBER', 'Palermo'], ['FROMLONLAT', '15', '37'], ['frommember', 'Catania']];
    const bys = [['BYRADIUS', '200', 'km'], ['BYBOX', '400', '400', 'km'], ['bybox', '100', '300', 'mi'], ['BYRADIUS', '0', 'm'], ['BYBOX', '0', '0', 'ft']];
    const extras = [[], ['ASC'], ['DESC'], ['COUNT', '2'], ['COUNT', '2', 'ANY'], ['COUNT', '2', 'DESC', 'ANY'], ['WITHCOORD', 'WITHDIST', 'WITHHASH'], ['COUNT', '100', 'WITHDIST']];
    const cmds: Cmd[] = [];
    for (const f of froms) for (const b of bys) for (const x of extras) cmds.push(['GEOSEARCH', 'Sicily', ...f, ...b, ...x], ['GEOSEARCH', 'Sicily', ...b, ...x, ...f]);
    const world = [['FROMLONLAT', '0', '0'], ['FROMMEMBER', 'north'], ['FROMMEMBER', 'west'], ['FROMLONLAT', '180', '85.05112878'], ['FROMLONLAT', '-180', '-85.05112878']];
    const big = [['BYRADIUS', '5000', 'km'], ['BYRADIUS', '20000', 'km'], ['BYRADIUS', '40000', 'km'], ['BYRADIUS', 'inf', 'm'], ['BYBOX', '40000', '40000', 'km'], ['BYBOX', '3000', '20000', 'km'], ['BYBOX', 'inf', '1', 'km'], ['BYRADIUS', '1e-300', 'm']];
    for (const f of world) for (const b of big) cmds.push(['GEOSEARCH', 'cities', ...f, ...b, 'WITHDIST', 'WITHCOORD'], ['GEOSEARCH', 'cities', ...f, ...b, 'ASC', 'WITHHASH']);
    await same(pair, cmds);
    await sameResp3(cmds.filter((c) => c.includes('WITHCOORD')).slice(0, 40));
  });

  it('errors, in the order Redis finds them', async () => {
    await same(pair, [SICILY, ['SET', 'str', 'x']]);
    const cmds: Cmd[] = [
      ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'STORE'],
      ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'STORE', 'x', 'WITHDIST'],
      ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'STOREDIST', 'x', 'WITHHASH'],
      ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'WITHCOORD', 'STORE', 'x'],
      ['GEORADIUS_RO', 'Sicily', '15', '37', '200', 'km', 'STORE', 'x'],
      ['GEORADIUSBYMEMBER_RO', 'Sicily', 'Palermo', '200', 'km', 'STOREDIST', 'x'],
      ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'COUNT'],
      ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'COUNT', '0'],
      ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'COUNT', '-1'],
      ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'COUNT', 'x'],
      ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'COUNT', '99999999999999999999'],
      ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'ANY'],
      ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'ANY', 'COUNT', '0'],
      ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'ANY', 'WITHDIST', 'STORE', 'x'],
      ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'bogus'],
      ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'FROMMEMBER', 'Palermo'],
      ['GEORADIUS', 'Sicily', '15', '37', '-1', 'km'],
      ['GEORADIUS', 'Sicily', '15', '37', 'x', 'km'],
      ['GEORADIUS', 'Sicily', '15', '37', '200', 'yd'],
      ['GEORADIUS', 'Sicily', '15', '100', '200', 'yd'],
      ['GEORADIUS', 'Sicily', 'x', '37', '200', 'km'],
      ['GEORADIUS', 'Sicily', '15', '37', '200'],
      ['GEORADIUS', 'str', '15', '37', '200', 'km'],
      ['GEORADIUS', 'str', 'x', '37', '200', 'km'],
      ['GEORADIUS', 'none', '15', '37', '200', 'km'],
      ['GEORADIUS', 'none', 'x', '37', '200', 'km'],
      ['GEORADIUS', 'none', '15', '37', '200', 'km', 'bogus'],
      ['GEORADIUS', 'none', '15', '37', '200', 'km', 'STORE', 'x'],
      ['GEORADIUSBYMEMBER', 'Sicily', 'nope', '200', 'km'],
      ['GEORADIUSBYMEMBER', 'Sicily', 'nope', 'x', 'km'],
      ['GEORADIUSBYMEMBER', 'Sicily', 'Palermo', 'x', 'km'],
      ['GEORADIUSBYMEMBER', 'Sicily', 'Palermo', '1', 'lightyears'],
      ['GEORADIUSBYMEMBER', 'none', 'nope', 'x', 'bad'],
      ['GEORADIUSBYMEMBER', 'none', 'nope', 'x', 'bad', 'STORE', 'k'],
      ['GEORADIUSBYMEMBER', 'none', 'nope', 'x', 'bad', 'bogus'],
      ['GEORADIUSBYMEMBER', 'none', 'nope', 'x', 'bad', 'ANY'],
      ['GEORADIUSBYMEMBER', 'str', 'nope', 'x', 'bad'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37'],
      ['GEOSEARCH', 'Sicily', 'BYRADIUS', '10', 'km', 'ASC'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'FROMMEMBER', 'Palermo', 'BYRADIUS', '10', 'km'],
      ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'FROMLONLAT', '15', '37', 'BYRADIUS', '10', 'km'],
      ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'FROMMEMBER', 'Catania', 'BYRADIUS', '10', 'km'],
      ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYRADIUS', '10', 'km', 'BYBOX', '1', '1', 'km'],
      ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYBOX', '1', '1', 'km', 'BYRADIUS', '10', 'km'],
      ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYRADIUS', '10', 'km', 'BYRADIUS', '20', 'km'],
      ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'nope', 'BYRADIUS', '10', 'km'],
      ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYRADIUS', '10'],
      ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYBOX', '10', '10'],
      ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYBOX', 'x', 'y', 'km'],
      ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYBOX', '1', 'y', 'km'],
      ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYBOX', '-1', '1', 'km'],
      ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYBOX', '1', '-1', 'bad'],
      ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYBOX', '1', '1', 'bad'],
      ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYRADIUS', '-1', 'km'],
      ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYRADIUS', 'nan', 'km'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '100', 'BYRADIUS', '1', 'km'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', 'a', '37', 'BYRADIUS', '1', 'km'],
      ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYRADIUS', '1', 'km', 'STORE', 'x'],
      ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYRADIUS', '1', 'km', 'STOREDIST'],
      ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYRADIUS', '1', 'km', 'ANY'],
      ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYRADIUS', '1', 'km', 'COUNT', '0'],
      ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'FROMMEMBER'],
      ['GEOSEARCH', 'none', 'FROMMEMBER', 'nope', 'BYRADIUS', '1', 'km'],
      ['GEOSEARCH', 'none', 'FROMMEMBER', 'nope', 'BYRADIUS', '1', 'bad'],
      ['GEOSEARCH', 'none', 'FROMMEMBER', 'nope', 'ASC'],
      ['GEOSEARCH', 'none', 'BYRADIUS', '1', 'km', 'ASC'],
      ['GEOSEARCH', 'str', 'FROMMEMBER', 'nope', 'BYRADIUS', '1', 'km'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '1'],
      ['GEOSEARCHSTORE', 'dst', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYRADIUS', '200', 'km', 'WITHDIST'],
      ['GEOSEARCHSTORE', 'dst', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYRADIUS', '200', 'km', 'STORE', 'x'],
      ['GEOSEARCHSTORE', 'dst', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYRADIUS', '200', 'km', 'ANY'],
      ['GEOSEARCHSTORE', 'dst', 'Sicily', 'BYRADIUS', '200', 'km', 'STOREDIST'],
      ['GEOSEARCHSTORE', 'dst', 'Sicily', 'FROMMEMBER', 'Palermo', 'STOREDIST'],
      ['GEOSEARCHSTORE', 'dst', 'str', 'FROMMEMBER', 'Palermo', 'BYRADIUS', '200', 'km'],
      ['GEOSEARCHSTORE', 'str', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYRADIUS', '1', 'm'],
      ['GEOSEARCHSTORE', 'dst', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYRADIUS', '200'],
      ['GET', 'str'],
      ['EXISTS', 'dst', 'x'],
    ];
    await same(pair, cmds);
  });

  it('STORE, STOREDIST and GEOSEARCHSTORE: replies, destination contents and encodings', async () => {
    await same(pair, [CITIES, SICILY, ['SET', 'str', 'x'], ['EXPIRE', 'str', '100']]);
    const checks = (dst: string): Cmd[] => [['ZRANGE', dst, '0', '-1', 'WITHSCORES'], ['TYPE', dst], ['TTL', dst]];
    const cmds: Cmd[] = [
      ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'STORE', 'd1'], ...checks('d1'),
      ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'STOREDIST', 'd2'], ...checks('d2'),
      ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'STOREDIST', 'd2', 'STORE', 'd3'], ...checks('d2'), ...checks('d3'),
      ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'COUNT', '1', 'STOREDIST', 'd4'], ...checks('d4'),
      ['GEORADIUS', 'Sicily', '15', '37', '200', 'mi', 'COUNT', '2', 'DESC', 'STOREDIST', 'd4'], ...checks('d4'),
      ['GEORADIUSBYMEMBER', 'Sicily', 'Palermo', '200', 'km', 'STORE', 'str'], ...checks('str'),
      ['GEORADIUSBYMEMBER', 'Sicily', 'Palermo', '1', 'm', 'STORE', 'nothing'], ...checks('nothing'),
      ['GEORADIUSBYMEMBER', 'Sicily', 'Catania', '1', 'm', 'STORE', 'd1'], ...checks('d1'),
      ['GEORADIUS', 'Sicily', '15', '37', '1', 'm', 'STORE', 'd2'], ...checks('d2'),
      ['GEOSEARCHSTORE', 'd5', 'cities', 'FROMLONLAT', '0', '0', 'BYRADIUS', '20000', 'km'], ...checks('d5'),
      ['GEOSEARCHSTORE', 'd6', 'cities', 'FROMLONLAT', '0', '0', 'BYRADIUS', '20000', 'km', 'STOREDIST', 'ASC', 'COUNT', '5'], ...checks('d6'),
      ['GEOSEARCHSTORE', 'd6', 'cities', 'FROMLONLAT', '0', '0', 'BYBOX', '20000', '20000', 'km', 'STOREDIST', 'COUNT', '3', 'ANY'], ...checks('d6'),
      ['GEOSEARCHSTORE', 'd6', 'cities', 'FROMLONLAT', '0', '0', 'BYBOX', '1', '1', 'km', 'STOREDIST'], ...checks('d6'),
      ['GEOSEARCHSTORE', 'cities', 'cities', 'FROMMEMBER', 'paris', 'BYRADIUS', '500', 'km'], ...checks('cities'),
      ['GEOSEARCHSTORE', 'd7', 'none', 'FROMMEMBER', 'paris', 'BYRADIUS', '500', 'km'], ...checks('d7'),
    ];
    await same(pair, cmds);
    const sizes: Array<[string, string, [string, string]]> = [];
    const args: string[] = [];
    for (let i = 0; i < 130; i++) args.push(String(10 + i / 100), String(10 + i / 200), `p${i}`);
    await same(pair, [['GEOADD', 'many', ...args], ['GEOADD', 'longname', '10', '10', 'x'.repeat(65), '10.01', '10', 'short']]);
    await same(pair, [['GEOSEARCHSTORE', 'e1', 'many', 'FROMLONLAT', '10', '10', 'BYRADIUS', '1000', 'km']]);
    sizes.push(['e1', 'all 130', ['skiplist', 'skiplist']]);
    await same(pair, [['GEOSEARCHSTORE', 'e2', 'many', 'FROMLONLAT', '10', '10', 'BYRADIUS', '1000', 'km', 'COUNT', '128']]);
    sizes.push(['e2', 'count 128', ['listpack', 'listpack']]);
    await same(pair, [['GEOSEARCHSTORE', 'e3', 'longname', 'FROMLONLAT', '10', '10', 'BYRADIUS', '1000', 'km']]);
    sizes.push(['e3', 'long member', ['skiplist', 'skiplist']]);
    await same(pair, [['GEOSEARCHSTORE', 'e4', 'longname', 'FROMLONLAT', '10', '10', 'BYRADIUS', '1000', 'km', 'COUNT', '1', 'DESC']]);
    sizes.push(['e4', 'short member only', ['listpack', 'listpack']]);
    for (const [key, what, want] of sizes) expect(await encodingOf(key), what).toEqual(want);
    await same(pair, ['e1', 'e2', 'e3', 'e4'].map((k) => ['ZRANGE', k, '0', '-1', 'WITHSCORES']));
  });

  it('searches a skiplist-encoded set like a listpack one', async () => {
    await configurePair(pair, { 'zset-max-listpack-entries': '0' });
    await same(pair, [SICILY, CITIES]);
    await same(pair, [
      ['OBJECT', 'ENCODING', 'Sicily'],
      ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'WITHDIST', 'WITHCOORD', 'WITHHASH'],
      ['GEOSEARCH', 'cities', 'FROMLONLAT', '0', '0', 'BYRADIUS', '40000', 'km', 'COUNT', '4', 'ANY'],
      ['GEOSEARCH', 'cities', 'FROMLONLAT', '0', '0', 'BYBOX', '40000', '40000', 'km', 'DESC'],
    ]);
  });
});

// --- generated point clouds ----------------------------------------------------------------------

const lon = fc.double({ min: -180, max: 180, noNaN: true });
const lat = fc.double({ min: -85.05112878, max: 85.05112878, noNaN: true });
/** Points cluster around a few places, so that searches of every size find something. */
const place = fc.constantFrom<[number, number]>([0, 0], [13.36, 38.11], [-122.4, 37.7], [179.9, -60], [-179.95, 84.9], [100, -84.9], [2.35, 48.85]);
const nearby = fc.tuple(place, fc.double({ min: -2, max: 2, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true })).map(([[x, y], dx, dy]) => {
  const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
  return [clamp(x + dx, -180, 180), clamp(y + dy, -85.05112878, 85.05112878)] as [number, number];
});
const point = fc.oneof(fc.tuple(lon, lat), nearby, nearby);
const fmt = (v: number) => String(v);
/** GEO_FUZZ_SEED / GEO_FUZZ_RUNS explore beyond the fixed sample (the defaults are what CI runs). */
const SEED = Number(process.env.GEO_FUZZ_SEED ?? 99);
const RUNS = Number(process.env.GEO_FUZZ_RUNS ?? 700);

describe('generated searches (fast-check, fixed seeds)', () => {
  it('GEOSEARCH by radius and by box: members, order, distances, hashes and coordinates', async () => {
    const points = fc.sample(point, { seed: SEED + 4143, numRuns: 400 });
    const args = points.flatMap(([x, y], i) => [fmt(x), fmt(y), `p${i}`]);
    await same(pair, [['GEOADD', 'pts', ...args]]);
    const unit = fc.constantFrom('m', 'km', 'mi', 'ft');
    const radiusKm = fc.oneof(fc.double({ min: 0, max: 50, noNaN: true }), fc.double({ min: 0, max: 3000, noNaN: true }), fc.constantFrom(0, 100, 500, 20000));
    const toUnit: Record<string, number> = { m: 1000, km: 1, mi: 1 / 1.60934, ft: 1000 / 0.3048 };
    const order = fc.constantFrom<string[]>([], ['ASC'], ['DESC'], ['COUNT', '5'], ['COUNT', '3', 'DESC'], ['COUNT', '4', 'ANY'], ['COUNT', '50', 'ASC', 'ANY']);
    const from = fc.oneof(
      point.map(([x, y]) => ['FROMLONLAT', fmt(x), fmt(y)]),
      fc.integer({ min: 0, max: points.length - 1 }).map((i) => ['FROMMEMBER', `p${i}`]),
    );
    const by = fc.oneof(
      fc.tuple(radiusKm, unit).map(([r, u]) => ['BYRADIUS', fmt(r * toUnit[u]!), u]),
      fc.tuple(radiusKm, radiusKm, unit).map(([w, h, u]) => ['BYBOX', fmt(w * 2 * toUnit[u]!), fmt(h * 2 * toUnit[u]!), u]),
    );
    const search = fc.tuple(from, by, order).map(([f, b, o]): Cmd => ['GEOSEARCH', 'pts', ...f, ...b, ...o, 'WITHDIST', 'WITHHASH', 'WITHCOORD']);
    const cmds = fc.sample(search, { seed: SEED, numRuns: RUNS });
    const problems = await diff(pair, cmds);
    expect(problems.slice(0, 5), `${problems.length} of ${cmds.length} searches differ`).toEqual([]);
  });

  it('GEORADIUS*/GEOSEARCHSTORE STOREDIST and GEODIST over generated points', async () => {
    const points = fc.sample(point, { seed: 7, numRuns: 200 });
    await same(pair, [['GEOADD', 'g', ...points.flatMap(([x, y], i) => [fmt(x), fmt(y), `m${i}`])]]);
    const pairs = fc.sample(fc.tuple(fc.nat(199), fc.nat(199), fc.constantFrom('m', 'km', 'mi', 'ft')), { seed: 8, numRuns: 300 });
    const dist: Cmd[] = pairs.map(([a, b, u]) => ['GEODIST', 'g', `m${a}`, `m${b}`, u]);
    const stores = fc.sample(fc.tuple(point, fc.double({ min: 0, max: 2000, noNaN: true }), fc.nat(199)), { seed: 9, numRuns: 60 }).flatMap(([[x, y], r, m]): Cmd[] => [
      ['GEORADIUS', 'g', fmt(x), fmt(y), fmt(r), 'km', 'STOREDIST', 'sd'],
      ['ZRANGE', 'sd', '0', '-1', 'WITHSCORES'],
      ['GEORADIUSBYMEMBER_RO', 'g', `m${m}`, fmt(r), 'km', 'WITHDIST'],
      ['GEOSEARCHSTORE', 'ss', 'g', 'FROMMEMBER', `m${m}`, 'BYBOX', fmt(r), fmt(r / 2), 'km', 'STOREDIST'],
      ['ZRANGE', 'ss', '0', '-1', 'WITHSCORES'],
    ]);
    const problems = await diff(pair, [...dist, ...stores]);
    expect(problems.slice(0, 5), `${problems.length} differ`).toEqual([]);
  });

  it('duplicate coordinates: ties in the order qsort (stable) and pqsort (COUNT) leave them', async () => {
    const args: string[] = [];
    for (let i = 0; i < 30; i++) args.push('13.361389', '38.115556', `same${i}`, String(13.3 + (i % 5) / 100), '38.1', `five${i}`);
    await same(pair, [['GEOADD', 'dup', ...args]]);
    await same(pair, [
      ['GEOSEARCH', 'dup', 'FROMLONLAT', '13.36', '38.11', 'BYRADIUS', '100', 'km', 'ASC'],
      ['GEOSEARCH', 'dup', 'FROMLONLAT', '13.36', '38.11', 'BYRADIUS', '100', 'km', 'DESC', 'WITHDIST'],
      ['GEOSEARCH', 'dup', 'FROMLONLAT', '13.36', '38.11', 'BYRADIUS', '100', 'km'],
    ]);
    // With COUNT Redis partially sorts (pqsort, unstable): ties come out in its exact order.
    await same(pair, [
      ['GEOSEARCH', 'dup', 'FROMLONLAT', '13.3', '38.1', 'BYRADIUS', '100', 'km', 'COUNT', '30', 'WITHDIST'],
      ['GEOSEARCH', 'dup', 'FROMLONLAT', '13.3', '38.1', 'BYRADIUS', '100', 'km', 'COUNT', '7', 'DESC'],
      ['GEOSEARCH', 'dup', 'FROMLONLAT', '13.36', '38.11', 'BYRADIUS', '100', 'km', 'COUNT', '59'],
      ['GEOSEARCH', 'dup', 'FROMLONLAT', '13.36', '38.11', 'BYRADIUS', '100', 'km', 'COUNT', '1'],
      ['GEORADIUS', 'dup', '13.32', '38.1', '100', 'km', 'COUNT', '45', 'DESC'],
    ]);
  });
});

describe('COMMAND GETKEYS', () => {
  it('finds STORE/STOREDIST destinations of GEORADIUS*', async () => {
    await same(pair, [
      ['COMMAND', 'GETKEYS', 'GEORADIUS', 'src', '1', '1', '1', 'km', 'STORE', 'dst'],
      ['COMMAND', 'GETKEYS', 'GEORADIUS', 'src', '1', '1', '1', 'km', 'STOREDIST', 'dst'],
      ['COMMAND', 'GETKEYS', 'GEORADIUSBYMEMBER', 'src', 'm', '1', 'km', 'STORE', 'dst'],
      ['COMMAND', 'GETKEYS', 'GEOSEARCHSTORE', 'dst', 'src', 'FROMMEMBER', 'm', 'BYRADIUS', '1', 'km'],
      ['COMMAND', 'GETKEYS', 'GEOADD', 'k', '1', '1', 'm'],
    ]);
  });
});
