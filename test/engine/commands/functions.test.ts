// FUNCTION / FCALL compared with a real redis-server 7.0: library metadata parsing and its
// errors, register_function's two call forms and their errors, the load-time API (only `redis`
// with register_function/log exists while a library loads), REPLACE, DELETE, FLUSH, LIST
// (filters, WITHCODE, flags), STATS, FCALL / FCALL_RO argument checks, read-only functions and
// error texts of functions at run time.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { diff, resetPair, startPair, type Cmd, type Pair } from '../../helpers/differential.js';

let pair: Pair;
beforeAll(async () => {
  pair = await startPair();
});
afterAll(async () => {
  await pair?.stop();
});
beforeEach(async () => {
  await resetPair(pair);
  await pair.r.call('FUNCTION', 'FLUSH');
  await pair.e.call('FUNCTION', 'FLUSH');
});

async function expectSame(cmds: Cmd[]): Promise<void> {
  expect(await diff(pair, cmds)).toEqual([]);
}

const lib = (name: string, body: string): string => `#!lua name=${name}\n${body}`;
const load = (code: string, replace = false): Cmd => (replace ? ['FUNCTION', 'LOAD', 'REPLACE', code] : ['FUNCTION', 'LOAD', code]);

describe('FUNCTION LOAD', () => {
  it('parses metadata and registers functions', async () => {
    await expectSame([
      load(lib('mylib', "redis.register_function('f1', function(keys, args) return {keys[1], args[1]} end)")),
      ['FCALL', 'f1', '1', 'k', 'a'],
      load(lib('mylib', "redis.register_function('f1', function() return 1 end)")),
      load(lib('mylib', "redis.register_function('f2', function() return 2 end)"), true),
      ['FCALL', 'f1', '0'],
      ['FCALL', 'f2', '0'],
      load(lib('other', "redis.register_function('f2', function() return 3 end)")),
      load('return 1'),
      load('#!lua'),
      load('#!lua name=x name=y\n'),
      load('#!lua foo=bar\n'),
      load('#!lua\nreturn 1'),
      load('#!nosuch name=x\nreturn 1'),
      load(lib('bad-name', 'return 1')),
      load(lib('empty', 'return 1')),
      load(lib('syntax', 'return +')),
      load(lib('rt', "error('boom')")),
      load(lib('rt2', "redis.call('set', 'x', 'y')")),
      load(lib('rt3', 'local x = string.len("a")')),
      load(lib('rt4', "redis.register_function('bad name', function() end)")),
      load(lib('rt5', "redis.register_function('f', function() end) redis.register_function('f', function() end)")),
      load(lib('rt6', 'redis.register_function()')),
      load(lib('rt7', "redis.register_function('f')")),
      load(lib('rt8', "redis.register_function(1, 2, 3)")),
      load(lib('rt9', 'redis.register_function(5)')),
      load(lib('rt10', "redis.register_function{function_name='f'}")),
      load(lib('rt11', 'redis.register_function{callback=function() end}')),
      load(lib('rt12', "redis.register_function{function_name='f', callback=function() end, flags={'bad'}}")),
      load(lib('rt13', "redis.register_function{function_name='f', callback=function() end, other=1}")),
      load(lib('rt14', "redis.register_function{function_name='f', callback=1}")),
      load(lib('rt15', "redis.register_function{function_name='f', callback=function() end, flags='no-writes'}")),
      load(lib('rt16', 'x = 1')),
      ['FUNCTION', 'LOAD', 'REPLACE', '#!lua name="quoted"\nredis.register_function(\'Mixed\', function() return 7 end)'],
      ['FCALL', 'mixed', '0'],
      ['FCALL', 'MIXED', '0'],
      load(lib('dup', "redis.register_function('mixed', function() return 8 end)")),
      ['FUNCTION', 'LOAD', 'BADOPT', lib('z', 'return 1')],
      ['FUNCTION', 'LOAD'],
      ['FUNCTION', 'STATS'],
    ]);
  });

  it('lists libraries, deletes and flushes them', async () => {
    await expectSame([
      load(
        lib(
          'lib1',
          "redis.register_function{function_name='ro', callback=function() return 1 end, flags={'no-writes', 'ALLOW-OOM'}, description='a read-only one'}",
        ),
      ),
      ['FUNCTION', 'LIST'],
      ['FUNCTION', 'LIST', 'WITHCODE'],
      ['FUNCTION', 'LIST', 'LIBRARYNAME', 'lib*'],
      ['FUNCTION', 'LIST', 'LIBRARYNAME', 'nomatch*'],
      ['FUNCTION', 'LIST', 'LIBRARYNAME'],
      ['FUNCTION', 'LIST', 'WITHCODE', 'WITHCODE'],
      ['FUNCTION', 'LIST', 'bad'],
      ['FUNCTION', 'STATS'],
      ['FUNCTION', 'DELETE', 'nosuch'],
      ['FUNCTION', 'DELETE', 'lib1'],
      ['FUNCTION', 'LIST'],
      ['FCALL', 'ro', '0'],
      ['FUNCTION', 'FLUSH', 'bad'],
      ['FUNCTION', 'FLUSH', 'SYNC'],
      ['FUNCTION', 'FLUSH', 'a', 'b'],
      ['FUNCTION', 'KILL'],
      ['FUNCTION', 'NOSUCH'],
    ]);
  });
});

describe('FCALL', () => {
  it('checks arguments and runs with the right permissions', async () => {
    await expectSame([
      load(
        lib(
          'l',
          [
            "redis.register_function('w', function(keys, args) return redis.call('set', keys[1], args[1]) end)",
            "redis.register_function{function_name='r', callback=function(keys) return redis.call('get', keys[1]) end, flags={'no-writes'}}",
            "redis.register_function{function_name='rw', callback=function(keys) return redis.call('set', keys[1], 'x') end, flags={'no-writes'}}",
            "redis.register_function('err', function() return redis.call('nosuch') end)",
            "redis.register_function('glob', function() return undefined_thing end)",
            "redis.register_function('g', function() return {type(KEYS), type(redis.register_function)} end)",
            "redis.register_function('resp3', function() redis.setresp(3) return redis.call('hgetall', 'h') end)",
            "redis.register_function('args', function(keys, args) return {#keys, #args} end)",
          ].join('\n'),
        ),
      ),
      ['FCALL', 'w', '1', 'k', 'v'],
      ['FCALL', 'r', '1', 'k'],
      ['FCALL_RO', 'r', '1', 'k'],
      ['FCALL_RO', 'w', '1', 'k', 'v'],
      ['FCALL', 'rw', '1', 'k'],
      ['FCALL', 'err', '0'],
      ['FCALL', 'glob', '0'],
      ['FCALL', 'g', '0'],
      ['HSET', 'h', 'a', '1'],
      ['FCALL', 'resp3', '0'],
      ['FCALL', 'args', '2', 'a', 'b', 'c'],
      ['FCALL', 'nosuch', '0'],
      ['FCALL', 'w', 'x'],
      ['FCALL', 'w', '5', 'a'],
      ['FCALL', 'w', '-1'],
      ['FCALL'],
    ]);
  });
});
