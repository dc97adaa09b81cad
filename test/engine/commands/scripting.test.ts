// EVAL / EVALSHA / SCRIPT compared with a real redis-server 7.0: reply conversions both ways
// (RESP2 and RESP3), error texts and their "script: <sha>, on @user_script:<line>." suffix,
// the sandbox (globals protection, Lua 5.1 library shape, bit and cjson), script flags,
// read-only scripts, the script cache, SELECT inside scripts, MULTI, command stats of scripts
// and a long redis.call loop.
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RespValue } from '../../../src/formats/resp/reply-parser.js';
import { diff, resetPair, same, startPair, type Cmd, type Pair } from '../../helpers/differential.js';

let pair: Pair;
beforeAll(async () => {
  pair = await startPair();
});
afterAll(async () => {
  await pair?.stop();
});
beforeEach(async () => {
  await resetPair(pair);
  await pair.r.call('SCRIPT', 'FLUSH');
  await pair.e.call('SCRIPT', 'FLUSH');
});

const ev = (script: string, keys: string[] = [], ...args: Array<string | number>): Cmd => ['EVAL', script, keys.length, ...keys, ...args];

async function expectSame(cmds: Cmd[]): Promise<void> {
  const problems = await diff(pair, cmds);
  expect(problems).toEqual([]);
}

describe('EVAL replies: Lua -> Redis', () => {
  it('converts numbers, strings, booleans, nil and tables', async () => {
    await expectSame([
      ev('return 100.5'),
      ev('return -3.99'),
      ev('return 1e20'),
      ev('return 0/0'),
      ev('return 2^63'),
      ev('return -2^63'),
      ev("return 'hello'"),
      ev('return true'),
      ev('return false'),
      ev('return nil'),
      ev("return {1,2,3,'ciao',{1,2}}"),
      ev('return {1,nil,3}'),
      ev('return {}'),
      ev("return {err='My Error'}"),
      ev("return {ok='fine'}"),
      ev("return {ok='a\\r\\nb'}"),
      ev("return redis.error_reply('My Error')"),
      ev("return redis.error_reply('-My Error')"),
      ev("return redis.error_reply('NOSPACE')"),
      ev("return redis.status_reply('FINE')"),
      ev('return redis.status_reply(1)'),
      ev('return redis.error_reply()'),
      ev("return {1,{err='inner'},3}"),
      ev("return {double=3.5}"),
      ev("return {big_number='123456789012345678901234567890'}"),
      ev("return {map={a=1}}"),
      ev("return {set={a=true}}"),
      ev("return {verbatim_string={format='txt', string='hi'}}"),
      ev('return function() end'),
      ev("return 'bin\\0ary\\255'"),
      ev('local a = {} local b = {a} a[1] = b return #a'),
      ev('return loadstring(string.dump(function() return 1 end))'),
      ev("cjson.encode_keep_buffer(false) return cjson.encode({1})"),
    ]);
  });

  it('passes KEYS and ARGV byte for byte', async () => {
    await expectSame([
      ev('return {KEYS[1], KEYS[2], ARGV[1], ARGV[2]}', ['k1', 'k\x00\xff'], 'a1', '\xe9\x80'),
      ev('return #KEYS + 10 * #ARGV', ['a'], 'b', 'c'),
      ev('return ARGV', [], ...Array.from({ length: 20 }, (_, i) => `v${i}`)),
    ]);
  });

  it('converts in RESP3 for a RESP3 caller and a RESP3 script', async () => {
    await pair.r.call('HELLO', '3');
    await pair.e.call('HELLO', '3');
    try {
      await expectSame([
        ev("redis.setresp(3); return {double=3.5}"),
        ev("return {double=2}"),
        ev("return {big_number='1234'}"),
        ev("return {map={a=1}}"),
        ev("return {set={x=true}}"),
        ev('return true'),
        ev('return false'),
        ev('redis.setresp(3); return true'),
        ev('redis.setresp(3); return false'),
        ev('return nil'),
        ev("return {verbatim_string={format='txt', string='hi'}}"),
        ['SET', 'h', 'x'],
        ev("redis.setresp(3); return redis.call('get', KEYS[1])", ['h']),
        ev("redis.setresp(3); return redis.call('get', 'nokey')"),
        ev("redis.setresp(3); local r = redis.call('get', 'nokey'); return type(r)"),
        ['HSET', 'hh', 'f', 'v'],
        ev("redis.setresp(3); return redis.call('hgetall', 'hh')"),
        ev("redis.setresp(3); local m = redis.call('hgetall', 'hh'); return m.map.f"),
        ['SADD', 'ss', 'm'],
        ev("redis.setresp(3); return redis.call('smembers', 'ss')"),
        ev("redis.setresp(3); local s = redis.call('smembers', 'ss'); return tostring(s.set.m)"),
        ['ZADD', 'zz', '1.5', 'a'],
        ev("redis.setresp(3); return redis.call('zscore', 'zz', 'a')"),
        ev("redis.setresp(3); return redis.call('zscore', 'zz', 'a').double * 2"),
        ev("redis.setresp(3); return redis.call('debug', 'protocol', 'bignum')"),
        ev("redis.setresp(3); return redis.call('exists', 'zz')"),
      ]);
    } finally {
      await pair.r.call('HELLO', '2');
      await pair.e.call('HELLO', '2');
    }
  });
});

describe('redis.call / redis.pcall: Redis -> Lua', () => {
  it('converts replies and raises or returns errors', async () => {
    await expectSame([
      ['SET', 'foo', 'bar'],
      ev("return redis.call('get', KEYS[1])", ['foo']),
      ev("return redis.call('get', 'missing')"),
      ev("return type(redis.call('get', 'missing'))"),
      ev("return redis.call('incr', 'counter')"),
      ev("local foo = redis.pcall('incr', KEYS[1]); return {type(foo), foo}", ['counter']),
      ev("return redis.call('set', 'x', 'y')"),
      ev("local r = redis.call('set', 'x', 'y'); return r.ok"),
      ev("return redis.call('ping')"),
      ev("return redis.pcall('lpush', 'foo', 'a')"),
      ev("return redis.call('lpush', 'foo', 'a')"),
      ev("local e = redis.pcall('lpush', 'foo', 'a'); return e.err"),
      ev("return redis.call('nosuchcommand')"),
      ev("return redis.pcall('nosuchcommand')"),
      ev("return redis.call('get')"),
      ev("return redis.call('config', 'get', 'maxmemory')"),
      ev("return redis.call('config', 'nosuch')"),
      ev("return redis.call('config')"),
      ev('return redis.call()'),
      ev('return redis.pcall()'),
      ev("return redis.call('set', 'k', {})"),
      ev("return redis.call('set', 'k', 3.5)"),
      ev("redis.call('set', 'k', 0.1) return redis.call('get', 'k')"),
      ev("redis.call('set', 'k', 1/3) return redis.call('get', 'k')"),
      ev("redis.call('set', 'k', 2^60) return redis.call('get', 'k')"),
      ev("redis.call('set', 'k', -7) return redis.call('get', 'k')"),
      ev("return redis.call('mget', 'k', 'nokey', 'foo')"),
      ev("return redis.call('blpop', 'nolist', 0)"),
      ev("return redis.call('subscribe', 'ch')"),
      ev("return redis.call('eval', 'return 1', 0)"),
      ev("return redis.call('multi')"),
      ev("return redis.pcall('select', 99)"),
      ev('return redis.call("select", 99)'),
      ev("return redis.call('xadd', 's', '1-1', 'f', 'v')"),
      ev("return redis.call('xrange', 's', '-', '+')"),
    ]);
  });

  it('reports script errors with the script and line', async () => {
    await expectSame([
      ev('return a'),
      ev('a = 5'),
      ev('redis.call = nil'),
      ev("error('boom')"),
      ev("error({err='MY err'})"),
      ev('error()'),
      ev("error('x', 0)"),
      ev('local t = nil; return t.x'),
      ev('return 1 +'),
      ev('local x = = 1'),
      ev('\n\nreturn b'),
      ev("local x = 1\nredis.call('nosuch')"),
      ev('setmetatable(_G, {})'),
      ev('local g = getmetatable(_G); g.__index = {}'),
      ev('redis = function() return 1 end'),
      ev('_G = {}'),
      ev('cjson.encode = function() return 1 end'),
      ev('bit.lshift = function() return 1 end'),
      ev('string.x = 1'),
      ev('rawset(_G, "x", 1)'),
      ev("loadfile('some file')"),
      ev("dofile('some file')"),
      ev("print('some data')"),
      ev('return redis.sha1hex()'),
      ev('redis.log()'),
      ev("redis.log('x', 'y')"),
      ev("redis.log(99, 'y')"),
      ev('redis.setresp(4)'),
      ev('redis.setresp()'),
      ev('redis.set_repl(99)'),
      ev('redis.set_repl()'),
      ev("return pcall(function() error('inner') end)"),
      ev("local ok, e = pcall(function() redis.call('nosuch') end); return e"),
      ev("local ok, e = pcall(function() error({err='X'}) end); return e"),
      ev('local ok, e = pcall(error); return {ok, e}'),
    ]);
  });

  it('validates numkeys and the script cache', async () => {
    await expectSame([
      ['EVAL', 'return 1', '2', 'a'],
      ['EVAL', 'return 1', '-1'],
      ['EVAL', 'return 1', 'x'],
      ['EVAL', 'return 1'],
      ['EVALSHA', 'ffffffffffffffffffffffffffffffffffffffff', '0'],
      ['EVALSHA', 'short', '0'],
      ['EVALSHA', 'short', 'x'],
      ['SCRIPT', 'LOAD', 'return 42'],
      ['EVALSHA', '1fa00e76656cc152ad327c13fe365858fd7be306', '0'],
      ['EVALSHA', '1FA00E76656CC152AD327C13FE365858FD7BE306', '0'],
      ['EVALSHA_RO', '1fa00e76656cc152ad327c13fe365858fd7be306', '0'],
      ['SCRIPT', 'EXISTS', '1fa00e76656cc152ad327c13fe365858fd7be306', 'ffff', '1FA00E76656CC152AD327C13FE365858FD7BE306'],
      ['SCRIPT', 'LOAD', 'return +'],
      ['SCRIPT', 'FLUSH', 'bad'],
      ['SCRIPT', 'FLUSH', 'sync', 'x'],
      ['SCRIPT', 'FLUSH', 'ASYNC'],
      ['SCRIPT', 'EXISTS', '1fa00e76656cc152ad327c13fe365858fd7be306'],
      ['SCRIPT', 'KILL'],
      ['SCRIPT', 'NOSUCH'],
      ['SCRIPT'],
      ['EVAL', "return redis.sha1hex('')", '0'],
      ['EVAL', "return redis.sha1hex('Pizza & Mandolino')", '0'],
      ['EVAL', 'return redis.sha1hex(12)', '0'],
    ]);
  });

  it('DEBUG SET-DISABLE-DENY-SCRIPTS lets scripts call noscript commands, and back', async () => {
    await expectSame([
      ['EVAL', "return redis.call('config', 'get', 'maxmemory-policy')", '0'],
      ['DEBUG', 'SET-DISABLE-DENY-SCRIPTS', '1'],
      ['EVAL', "return redis.call('config', 'get', 'maxmemory-policy')", '0'],
      ['DEBUG', 'SET-DISABLE-DENY-SCRIPTS', '0'],
      ['EVAL', "return redis.pcall('config', 'get', 'maxmemory-policy')", '0'],
    ]);
  });
});

describe('the sandbox', () => {
  it('has the Lua 5.1 globals and libraries Redis loads', async () => {
    const names = (expr: string) => ev(`local r={} for k,v in pairs(${expr}) do if k ~= 'cmsgpack' and k ~= 'struct' then table.insert(r, k .. ':' .. type(v)) end end table.sort(r) return r`);
    await expectSame([
      names('_G'),
      names('string'),
      names('table'),
      names('math'),
      names('bit'),
      names('redis'),
      names('coroutine'),
      ev('return _VERSION'),
      ev('return {unpack({1,2,3})}'),
      ev('return {unpack({1,2,3}, 2)}'),
      ev("return loadstring('return 7')()"),
      ev('return math.pow(2, 10)'),
      ev('return math.mod(7, 3)'),
      ev('return table.getn({1,2,3})'),
      ev('return tostring(3/1)'),
      ev('return tostring(10/4)'),
      ev("return 'x' .. 2^53"),
      ev("return 'x' .. 1e100"),
      ev('return tostring(1/3)'),
      ev('return tostring(-0.0)'),
      ev("return string.format('%d %s %5.2f', 3, 'a', 3.14159)"),
      ev('return math.floor(3.7)'),
      ev('return {math.frexp(8)}'),
      ev('return math.ldexp(0.5, 4)'),
      ev('return table.maxn({1,2,nil,4})'),
      ev("local s = '' for w in string.gfind('a b c', '%a') do s = s .. w end return s"),
      ev('return {math.random(), math.random(10), math.random(5, 10)}'),
      ev('math.randomseed(42) return {math.random(100), math.random(100)}'),
      ev('return type(_G)'),
      ev('return _G == _G._G'),
      ev('return rawequal(_G, _G)'),
      ev("return select('#', 1, 2, 3)"),
      ev("return tonumber('0x10')"),
      ev("return tonumber('  12  ')"),
      ev("return tonumber('1e2')"),
      ev('local t = setmetatable({}, {__index = function(t, k) return k .. "!" end}) return t.x'),
      ev("local co = coroutine.create(function(a) coroutine.yield(a + 1) return 9 end) local _, x = coroutine.resume(co, 1) local _, y = coroutine.resume(co) return {x, y}"),
      ev("return string.rep('ab', 3)"),
      ev("return {string.byte('ABC', 1, 3)}"),
      ev("return string.sub('hello', -3)"),
      ev("return (string.gsub('hello world', 'o', '0'))"),
      ev("return string.find('hello', 'l')"),
      ev("return #'\\0\\1\\2'"),
      ev('return redis.REDIS_VERSION'),
      ev('return redis.REDIS_VERSION_NUM'),
      ev('return redis.LOG_WARNING'),
      ev("redis.log(redis.LOG_WARNING, 'hello from a test') return 1"),
      ev('return redis.replicate_commands()'),
      ev('redis.set_repl(redis.REPL_ALL) return 1'),
      ev("return redis.acl_check_cmd('get', 'x')"),
      ev("return redis.acl_check_cmd('nosuch')"),
      ev('return redis.breakpoint()'),
    ]);
  });

  it('bit library', async () => {
    await expectSame([
      ev('return bit.tobit(0xffffffff)'),
      ev('return bit.tobit(2^32 + 5)'),
      ev('return bit.bnot(0)'),
      ev('return bit.band(0x12345678, 0xff)'),
      ev('return bit.bor(1, 2, 4, 8)'),
      ev('return bit.bxor(0xa5, 0xff)'),
      ev('return bit.lshift(1, 31)'),
      ev('return bit.rshift(-1, 28)'),
      ev('return bit.arshift(-256, 4)'),
      ev('return bit.rol(0x12345678, 8)'),
      ev('return bit.ror(0x12345678, 8)'),
      ev('return bit.bswap(0x12345678)'),
      ev('return bit.tohex(65535)'),
      ev('return bit.tohex(-1, -4)'),
      ev('return bit.tohex(255, 2)'),
      ev('return bit.tobit(1.5)'),
      ev('return bit.tobit(2.5)'),
      ev('return bit.tobit(-1.5)'),
    ]);
  });

  it('cjson library', async () => {
    await expectSame([
      ev("return cjson.encode({1, 2, 'three', true, false})"),
      ev("return cjson.encode({a = 1})"),
      ev("return cjson.encode('he said \"hi\"/\\n\\1')"),
      ev('return cjson.encode(1.5)'),
      ev('return cjson.encode(1e100)'),
      ev('return cjson.encode(123456789012345)'),
      ev('return cjson.encode({})'),
      ev('return cjson.encode({[1]=1, [3]=3})'),
      ev('return cjson.encode({[1]=1, [20]=3})'),
      ev('return cjson.encode(cjson.null)'),
      ev('return cjson.encode(function() end)'),
      ev('return cjson.encode(0/0)'),
      ev('return cjson.encode({{{}}})'),
      ev("local t = cjson.decode('[1,2,{\"a\":[true,null]}]') return {t[1], t[2], tostring(t[3].a[1]), t[3].a[2] == cjson.null}"),
      ev("return cjson.decode('\"\\\\u00e9\\\\u20ac\"')"),
      ev("return cjson.decode('\"\\\\ud83d\\\\ude00\"')"),
      ev("return cjson.decode('{\"x\": 1.5e3}').x"),
      ev("return cjson.decode('[1,2')"),
      ev("return cjson.decode('{1:2}')"),
      ev("return cjson.decode('')"),
      ev("return cjson.decode('[1] x')"),
      ev("return cjson.decode('tru')"),
      ev("return cjson.encode(cjson.decode('{\"a\":\"\\\\u0001\"}'))"),
      ev("return cjson.decode(ARGV[1]).k", [], '{"k":"\xe9\xff"}'),
    ]);
  });

  it('cjson settings: depth, invalid numbers, sparse arrays, precision (each reset after)', async () => {
    const reset =
      "cjson.encode_max_depth(1000) cjson.decode_max_depth(1000) cjson.encode_invalid_numbers(false) cjson.decode_invalid_numbers(true) cjson.encode_sparse_array(false, 2, 10) cjson.encode_number_precision(14)";
    const withReset = (body: string): Cmd => ev(`local function run() ${body} end local ok, r = pcall(run) ${reset} if ok then return r end return 'error: ' .. tostring(r)`);
    await expectSame([
      ev('return {cjson.encode_max_depth(), cjson.decode_max_depth(), cjson.encode_number_precision(), cjson.encode_keep_buffer()}'),
      ev('return {cjson.encode_sparse_array()}'),
      ev("return {cjson.encode_invalid_numbers(), cjson.decode_invalid_numbers(), cjson.encode_invalid_numbers('null')}"),
      withReset('return cjson.encode({0/0, 1/0, -1/0})'),
      withReset("cjson.encode_invalid_numbers('null') return cjson.encode({0/0, 1/0, -1/0})"),
      withReset('cjson.encode_invalid_numbers(true) return cjson.encode({0/0, 1/0, -1/0, 2})'),
      withReset('cjson.encode_number_precision(3) return cjson.encode({3.14159, 12345, 0.0001234})'),
      withReset('cjson.encode_sparse_array(true) return cjson.encode({[1]=1, [20]=2})'),
      withReset('cjson.encode_sparse_array(false, 0) return cjson.encode({[1]=1, [12]=2})'),
      withReset('cjson.encode_sparse_array(false, 3, 2) return cjson.encode({[1]=1, [4]=2})'),
      withReset('cjson.encode_max_depth(1) return cjson.encode({{1}})'),
      withReset('cjson.encode_max_depth(2) return cjson.encode({{1}})'),
      withReset("cjson.decode_max_depth(1) return cjson.decode('[[1]]')"),
      withReset('return cjson.encode_max_depth(0)'),
      withReset('return cjson.encode_number_precision(15)'),
      withReset("return cjson.encode_keep_buffer('x')"),
      withReset('return cjson.encode_max_depth(1, 2)'),
      withReset('return cjson.encode_max_depth(7.9)'),
      withReset("return cjson.encode(cjson.decode('[0x10, 01, +5, -0x1p4, 1e400, -1e400, 2.5e-3]'))"),
      withReset("local t = cjson.decode('[nan, NaN, inf, -Infinity]') return {tostring(t[1] ~= t[1]), tostring(t[3]), tostring(t[4])}"),
      withReset("cjson.decode_invalid_numbers(false) return cjson.decode('[0x10]')"),
      withReset("cjson.decode_invalid_numbers(false) return cjson.decode('[nan]')"),
      withReset("cjson.decode_invalid_numbers(false) return cjson.decode('[01]')"),
      withReset("return cjson.decode('[1.5e]')"),
      withReset("return cjson.decode('[-]')"),
      withReset("return cjson.decode('[inx]')"),
    ]);
  });
});

describe('script semantics', () => {
  it('SELECT inside a script does not leak, the script runs in the caller db', async () => {
    await expectSame([
      ['SELECT', '1'],
      ['SET', 'k', 'db1'],
      ev("redis.call('select', 2); redis.call('set', 'k', 'db2'); return redis.call('get', 'k')"),
      ['GET', 'k'],
      ev("return redis.call('get', 'k')"),
      ['SELECT', '2'],
      ['GET', 'k'],
      ['SELECT', '0'],
    ]);
  });

  it('SORT of a set is ordered for scripts; XREAD/XREADGROUP BLOCK are refused from scripts', async () => {
    await expectSame([
      ['SADD', 'myset', 'c', 'a', 'b', '10', '2'],
      ev("return redis.call('sort', KEYS[1], 'by', 'nosort')", ['myset']),
      ev("return redis.call('sort', KEYS[1], 'by', 'constant')", ['myset']),
      ['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM'],
      ev("return redis.pcall('xread','STREAMS','s','$')", ['s']),
      ev("return redis.pcall('xread','BLOCK',0,'STREAMS','s','$')", ['s']),
      ev("return redis.pcall('XREADGROUP','group','g','c','BLOCK',0,'STREAMS','s','>')", ['s']),
    ]);
  });

  it('INFO memory counts cached scripts, functions and libraries as Redis does', async () => {
    const field = (info: RespValue, name: string): string => {
      const text = info.t === 'bulk' || info.t === 'verbatim' ? info.v : '';
      return new RegExp(`^${name}:(.*)\r?$`, 'm').exec(text)?.[1]?.trim() ?? 'missing';
    };
    const lib = "#!lua name=infolib\nredis.register_function('f1', function() return 1 end)\nredis.register_function('f2', function() return 2 end)";
    for (const c of [pair.r, pair.e]) {
      await c.call('FUNCTION', 'FLUSH');
      await c.call('SCRIPT', 'LOAD', 'return 1');
      await c.call('EVAL', 'return 2', '0');
      await c.call('FUNCTION', 'LOAD', lib);
    }
    const [ri, ei] = await Promise.all([pair.r.call('INFO', 'memory'), pair.e.call('INFO', 'memory')]);
    for (const name of ['number_of_cached_scripts', 'number_of_functions', 'number_of_libraries']) {
      expect(field(ei, name), name).toBe(field(ri, name));
    }
    expect(field(ei, 'number_of_cached_scripts')).toBe('2');
    for (const c of [pair.r, pair.e]) await c.call('FUNCTION', 'FLUSH');
  });

  it('runs inside MULTI and sees its writes', async () => {
    await expectSame([['MULTI'], ev("return redis.call('incr', 'c')"), ['INCR', 'c'], ev("return redis.call('get', 'c')"), ['EXEC']]);
  });

  it('shebang flags, read-only scripts and _RO commands', async () => {
    await expectSame([
      ev("#!lua\nreturn redis.call('set', 'k', 'v')"),
      ev("#!lua flags=no-writes\nreturn redis.call('set', 'k', 'v')"),
      ev("#!lua flags=no-writes\nreturn redis.call('get', 'k')"),
      ev("#!lua flags=no-writes\nreturn redis.pcall('publish', 'ch', 'm')"),
      ev("#!lua flags=allow-oom,allow-stale,no-cluster,allow-cross-slot-keys\nreturn 1"),
      ev('#!lua flags=bad\nreturn 1'),
      ev('#!lua flags=no-writes,\nreturn 1'),
      ev('#!lua flags=\nreturn 1'),
      ev('#!lua other=1\nreturn 1'),
      ev('#!python\nreturn 1'),
      ev('#!lua'),
      ev('#!lua\nreturn a'),
      ['EVAL_RO', "return redis.call('set', 'k', 'v')", '0'],
      ['EVAL_RO', "return redis.call('get', 'k')", '0'],
      ['EVAL_RO', "#!lua\nreturn redis.call('get', 'k')", '0'],
      ['EVAL_RO', "#!lua flags=no-writes\nreturn redis.call('get', 'k')", '0'],
      ['EVAL_RO', "return redis.pcall('set', 'k', 'v')", '0'],
    ]);
  });

  it('counts command stats and errors as Redis does', async () => {
    const stats = async (c: 'r' | 'e') => {
      const info = await pair[c].call('INFO', 'commandstats');
      const text = (info as { v: string }).v;
      const errs = await pair[c].call('INFO', 'errorstats');
      const lines = text.split('\r\n').filter((l) => /^cmdstat_(eval|evalsha|eval_ro|set|expire|geoadd|select|lpush|get|nosuch)/.test(l));
      return [...lines.map((l) => l.replace(/usec=\d+,usec_per_call=[\d.]+,/, '')), ...(errs as { v: string }).v.split('\r\n').filter((l) => l.startsWith('errorstat'))].sort();
    };
    const scenarios: Cmd[][] = [
      [ev("redis.call('set', KEYS[1], 0) redis.call('expire', KEYS[1], 0) redis.call('geoadd', KEYS[1], 0, 0, 'bar')", ['mykey'])],
      [ev("return redis.call('select', 99)")],
      [ev("local t = redis.pcall('select', 99) return 1")],
      [['EVAL_RO', "return redis.call('set', 'x', 'y')", '1', 'x']],
      [['EVAL_RO', "local t = redis.pcall('set', 'x', 'y') return 1", '1', 'x']],
      [ev("return redis.pcall('set', 'x')")],
      [ev("return redis.pcall('nosuch')")],
      [ev("return redis.error_reply('MY oops')")],
      [ev("error('plain')")],
      [['SET', 'Sicily', '1'], ev("return redis.call('GEOADD', 'Sicily', '13.361389', '38.115556', 'Palermo')", ['x'])],
      [['SET', 'l', '1'], ev("return redis.pcall('lpush', 'l', 'a')")],
      [['SET', 'l', '1'], ev("local e = redis.pcall('lpush', 'l', 'a') return 1")],
    ];
    for (const cmds of scenarios) {
      await pair.r.call('CONFIG', 'RESETSTAT');
      await pair.e.call('CONFIG', 'RESETSTAT');
      await same(pair, cmds);
      expect(await stats('e'), cmds.map((c) => c.join(' ')).join('; ')).toEqual(await stats('r'));
    }
  });

  it('OOM: scripts that may write are refused when over maxmemory', async () => {
    await pair.r.call('CONFIG', 'SET', 'maxmemory', '1');
    await pair.e.call('CONFIG', 'SET', 'maxmemory', '1');
    try {
      await expectSame([
        ev("return redis.call('set', 'x', 'y')", ['x']),
        ev("local t = redis.pcall('set', 'x', 'y') return t.err", ['x']),
        ev("return redis.call('get', 'x')", ['x']),
        ev('#!lua\nreturn 1'),
        ev('#!lua flags=no-writes\nreturn 1'),
        ev("#!lua flags=allow-oom\nreturn redis.call('set', 'x', 'y')"),
        ev("#!lua flags=no-writes\nreturn redis.call('get', 'x')"),
      ]);
    } finally {
      await pair.r.call('CONFIG', 'SET', 'maxmemory', '0');
      await pair.e.call('CONFIG', 'SET', 'maxmemory', '0');
    }
  });

  it('COMMAND INFO, GETKEYS and LIST know the scripting commands', async () => {
    await expectSame([
      ['COMMAND', 'INFO', 'script|load', 'script|exists', 'script|flush', 'script|kill', 'script|help', 'script|debug'],
      ['COMMAND', 'INFO', 'function|load', 'function|list', 'function|delete', 'function|flush', 'function|kill', 'function|stats', 'function|help'],
      ['COMMAND', 'GETKEYS', 'eval', 'return 1', '1', 'key'],
      ['COMMAND', 'GETKEYS', 'eval', 'return 1', '0'],
      ['COMMAND', 'GETKEYS', 'evalsha', 'x', '2', 'a', 'b', 'c'],
      ['COMMAND', 'GETKEYSANDFLAGS', 'fcall_ro', 'f', '1', 'a', 'b'],
      ['COMMAND', 'GETKEYS', 'eval', 'return 1', '3', 'a'],
    ]);
    // Name, arity, flags, legacy key positions and ACL categories (key-spec notes are command-docs' business).
    const info = async (c: 'r' | 'e') => {
      const v = (await pair[c].call('COMMAND', 'INFO', 'eval', 'evalsha', 'eval_ro', 'evalsha_ro', 'fcall', 'fcall_ro')) as { v: Array<{ v: RespValue[] }> };
      return v.v.map((x) => JSON.stringify(x.v.slice(0, 7), (_k, y: unknown) => (typeof y === 'bigint' ? String(y) : y)));
    };
    expect(await info('e')).toEqual(await info('r'));
    const list = async (c: 'r' | 'e') => {
      const v = (await pair[c].call('COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', 'scripting')) as { v: Array<{ v: string }> };
      return v.v.map((x) => x.v).sort();
    };
    expect(await list('e')).toEqual(await list('r'));
  });

  it('generated scripts: arithmetic and string building agree', async () => {
    const exprs = fc.sample(
      fc.tuple(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 1, max: 50 }), fc.constantFrom('+', '-', '*', '/', '%', '^')),
      { numRuns: 60, seed: 7 },
    );
    const cmds: Cmd[] = exprs.flatMap(([a, b, op]) => [
      ev(`return ${a} ${op} ${b}`),
      ev(`return tostring(${a} ${op} ${b})`),
      ev(`redis.call('set', 'k', ${a} ${op} ${b}) return redis.call('get', 'k')`),
    ]);
    await expectSame(cmds);
  });
});

describe('long scripts', () => {
  // The speed of this loop (1M iterations: ~5 s on the 2-core CI machine) is a figure for the
  // notes, not an assertion: timings never go in tests.
  it('runs a long redis.call loop to the end, as Redis does', async () => {
    await expectSame([
      ev(
        "local i = 0 while (i < tonumber(ARGV[1])) do redis.call('sadd', KEYS[1], i) i = i + 1 end return redis.call('scard', KEYS[1])",
        ['mybigkey'],
        50000,
      ),
      ['OBJECT', 'ENCODING', 'mybigkey'],
      ['SISMEMBER', 'mybigkey', '49999'],
    ]);
  });
});
