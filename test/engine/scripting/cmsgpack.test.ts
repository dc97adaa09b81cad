// cmsgpack compared with a real redis-server 7.0: the bytes pack writes for every number form
// (integers of each width, floats, doubles, NaN/inf, -0), strings of each length class, arrays
// vs maps, the 16-level nesting cut, unpack / unpack_one / unpack_limit return shapes, the
// 8000-slot stack limit, error texts, and generated round trips.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diff, startPair, type Cmd, type Pair } from '../../helpers/differential.js';

let pair: Pair;
beforeAll(async () => {
  pair = await startPair();
});
afterAll(async () => {
  await pair?.stop();
});

const ev = (script: string, ...args: Array<string | number>): Cmd => ['EVAL', script, 0, ...args];
/** The bytes of an expression as a list of numbers (the reply shows every byte). */
const bytesOf = (expr: string): Cmd => ev(`return {(${expr}):byte(1,-1)}`);

async function expectSame(cmds: Cmd[]): Promise<void> {
  expect(await diff(pair, cmds)).toEqual([]);
}

describe('cmsgpack.pack', () => {
  it('encodes numbers as Redis does', async () => {
    const values = [
      '0', '1', '127', '128', '255', '256', '65535', '65536', '2^32-1', '2^32', '2^53', '2^53+2', '2^62', '2^63-1024', '2^63',
      '-1', '-32', '-33', '-128', '-129', '-32768', '-32769', '-2^31', '-2^31-1', '-2^53', '-2^63', '-2^63-2^11',
      '0.5', '0.1', '1.5', '-1.5', '1e300', '-1e-300', '3.4028234663852886e38', '1/0', '-1/0', '0/0', '-0.0', '2^64', '1e20',
    ];
    await expectSame(values.map((v) => bytesOf(`cmsgpack.pack(${v})`)));
  });

  it('encodes strings of each length class, booleans, nil and other types', async () => {
    await expectSame([
      bytesOf("cmsgpack.pack('')"),
      bytesOf("cmsgpack.pack('abc')"),
      ev("return #cmsgpack.pack(string.rep('x', 31))"),
      ev("return cmsgpack.pack(string.rep('x', 32)):sub(1, 3)"),
      ev("return cmsgpack.pack(string.rep('x', 255)):sub(1, 3)"),
      ev("return cmsgpack.pack(string.rep('x', 256)):sub(1, 4)"),
      ev("return cmsgpack.pack(string.rep('x', 65536)):sub(1, 6)"),
      ev("return #cmsgpack.pack(string.rep('x', 70000))"),
      bytesOf('cmsgpack.pack(true, false, nil)'),
      bytesOf('cmsgpack.pack(function() end, coroutine.create(function() end))'),
      bytesOf("cmsgpack.pack('a\\0b\\255')"),
      bytesOf('cmsgpack.pack(1, 2, 3)'),
    ]);
  });

  it('chooses arrays and maps like lua-cmsgpack', async () => {
    await expectSame([
      bytesOf('cmsgpack.pack({})'),
      bytesOf('cmsgpack.pack({1, 2, 3})'),
      bytesOf('cmsgpack.pack({[1]=1, [4]=4}):sub(1, 1)'),
      bytesOf('cmsgpack.pack({[2]=2})'),
      bytesOf('cmsgpack.pack({[1.5]=1})'),
      bytesOf('cmsgpack.pack({[0]=1})'),
      bytesOf('cmsgpack.pack({[-1]=1})'),
      bytesOf('cmsgpack.pack({[2^31]=1})'),
      bytesOf("cmsgpack.pack({a=1})"),
      bytesOf("cmsgpack.pack({['1']=1})"),
      bytesOf("cmsgpack.pack({[true]={1,{x={}}}})"),
      ev('local t = {} for i = 1, 16 do t[i] = i end return {cmsgpack.pack(t):byte(1, 3)}'),
      ev('local t = {} for i = 1, 70000 do t[i] = 0 end local s = cmsgpack.pack(t) return {#s, s:byte(1, 5)}'),
      ev('local t = {} for i = 1, 20 do t[i * 2] = 1 end return {cmsgpack.pack(t):byte(1, 3)}'),
    ]);
  });

  it('cuts nesting at 16 levels (cycles terminate)', async () => {
    await expectSame([
      bytesOf('(function() local t = {} t.x = t return cmsgpack.pack(t) end)()'),
      bytesOf('(function() local t = {} t[1] = t return cmsgpack.pack(t) end)()'),
      bytesOf('(function() local a = {} local b = {a} a[1] = b return cmsgpack.pack(a, 1) end)()'),
    ]);
  });

  it('refuses no arguments and too many', async () => {
    await expectSame([
      ev('return cmsgpack.pack()'),
      ev('local f = cmsgpack.pack return f()'),
      ev('local t = {} for i = 1, 4000 do t[i] = i end return #cmsgpack.pack(unpack(t))'),
      ev('local t = {} for i = 1, 4001 do t[i] = i end return #cmsgpack.pack(unpack(t))'),
    ]);
  });
});

describe('cmsgpack.unpack', () => {
  it('decodes every type it knows', async () => {
    const inputs = [
      '\\0', '\\127', '\\255', '\\224', '\\204\\200', '\\205\\1\\2', '\\206\\1\\2\\3\\4', '\\207\\0\\0\\0\\1\\0\\0\\0\\0',
      '\\207\\255\\255\\255\\255\\255\\255\\255\\255', '\\207\\128\\0\\0\\0\\0\\0\\0\\0', '\\208\\128', '\\209\\128\\0', '\\210\\128\\0\\0\\0',
      '\\211\\255\\255\\255\\255\\255\\255\\255\\254', '\\192', '\\194', '\\195', '\\202\\63\\192\\0\\0', '\\203\\63\\185\\153\\153\\153\\153\\153\\154',
      '\\163abc', '\\217\\3abc', '\\218\\0\\3abc', '\\219\\0\\0\\0\\3abc', '\\147\\1\\2\\3', '\\220\\0\\2\\1\\2', '\\221\\0\\0\\0\\1\\5',
      '\\129\\161a\\1', '\\222\\0\\1\\1\\2', '\\223\\0\\0\\0\\1\\1\\2', '\\145\\145\\145\\1', '\\1\\2\\3', '',
    ];
    await expectSame(inputs.map((s) => ev(`local r = {cmsgpack.unpack('${s}')} return {#r, type(r[1]) == 'table' and 'table' or tostring(r[1]), type(r[1]) == 'table' and cjson.encode(r[1]) or '-', r[2], r[3]}`)));
  });

  it('reports bad and truncated input', async () => {
    const inputs = ['\\193', '\\196\\1a', '\\199', '\\212\\1\\1', '\\205\\1', '\\163ab', '\\147\\1', '\\129\\1', '\\219\\0\\0\\0\\9ab', '\\221\\255\\255\\255\\255', '\\129\\192\\1', '\\1\\2\\205'];
    await expectSame(inputs.map((s) => ev(`return {cmsgpack.unpack('${s}')}`)));
  });

  it('stops at Lua 5.1 stack limits', async () => {
    await expectSame([
      ev("return #{cmsgpack.unpack(string.rep('\\0', 7999))}"),
      ev("return #{cmsgpack.unpack(string.rep('\\0', 8000))}"),
      ev("return cmsgpack.unpack(string.rep('\\145', 3999) .. '\\1') and 'ok'"),
      ev("return cmsgpack.unpack(string.rep('\\145', 4000) .. '\\1') and 'ok'"),
      ev("return cmsgpack.unpack(string.rep('\\129\\1', 5000) .. '\\1') and 'ok'"),
      ev("return #{cmsgpack.unpack_limit(string.rep('\\0', 9000), 7998)}"),
      ev("return #{cmsgpack.unpack_limit(string.rep('\\0', 9000), 7999)}"),
    ]);
  });

  it('unpack_one and unpack_limit return the next offset first', async () => {
    await expectSame([
      ev("return {cmsgpack.unpack_one('\\1\\2')}"),
      ev("return {cmsgpack.unpack_one('\\1\\2', 1)}"),
      ev("return {cmsgpack.unpack_one('\\1\\2', 2)}"),
      ev("return {cmsgpack.unpack_one('\\1\\2', 5)}"),
      ev("return {cmsgpack.unpack_one('\\1\\2', -1)}"),
      ev("return {cmsgpack.unpack_one('\\1\\2', 1.7)}"),
      ev("return {cmsgpack.unpack_one('\\1\\2', '1')}"),
      ev("return {cmsgpack.unpack_one('\\1\\2', 'x')}"),
      ev("return {cmsgpack.unpack_one('')}"),
      ev('return {cmsgpack.unpack_one()}'),
      ev("return {cmsgpack.unpack_limit('\\1\\2\\3', 0, 1)}"),
      ev("return {cmsgpack.unpack_limit('\\1\\2\\3', 0)}"),
      ev("return {cmsgpack.unpack_limit('\\1\\2\\3', 2)}"),
      ev("return {cmsgpack.unpack_limit('\\1\\2\\3', 2, 2)}"),
      ev("return {cmsgpack.unpack_limit('\\1\\2\\3', 5, 1)}"),
      ev("return {cmsgpack.unpack_limit('\\1\\2\\3', -1)}"),
      ev("return {cmsgpack.unpack_limit('a')}"),
      ev("return {cmsgpack.unpack_limit('\\1\\2', 1, 2^40)}"),
      ev("return {cmsgpack.unpack_limit('\\1\\2', 1, -2^40)}"),
      ev("return {cmsgpack.unpack_one('\\205\\1\\2\\1', 0)}"),
      ev("return {cmsgpack.unpack_one('\\205\\1')}"),
      ev('return {cmsgpack.unpack(12)}'),
    ]);
  });

  it('is read-only and carries the module fields', async () => {
    await expectSame([
      ev('return cmsgpack._VERSION .. cmsgpack._NAME .. cmsgpack._COPYRIGHT .. cmsgpack._DESCRIPTION'),
      ev('cmsgpack.foo = 1'),
      ev('cmsgpack.pack = nil'),
      ev('return cmsgpack_safe'),
    ]);
  });
});

describe('cmsgpack round trips (generated)', () => {
  it('packs generated values to the same bytes and reads them back alike', async () => {
    const scalar = fc.oneof(
      fc.integer({ min: -(2 ** 40), max: 2 ** 40 }).map(String),
      fc.double({ noNaN: true }).map((d) => (Object.is(d, -0) ? '-0.0' : d === Infinity ? '1/0' : d === -Infinity ? '-1/0' : d.toPrecision(17))),
      fc.string({ maxLength: 40 }).map((s) => JSON.stringify(s.replace(/[^ -~]/g, ''))),
      fc.constantFrom('true', 'false', 'nil'),
    );
    // Arrays only (maps with several keys iterate in a different order than Lua 5.1 hashes).
    const value = fc.letrec<{ v: string }>((tie) => ({
      v: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.array(tie('v'), { maxLength: 5 }).map((a) => `{${a.filter((x) => x !== 'nil').join(',')}}`)),
    })).v;
    const samples = fc.sample(fc.array(value, { minLength: 1, maxLength: 4 }), { seed: 42, numRuns: 60 });
    const cmds: Cmd[] = [];
    for (const args of samples) {
      const list = args.join(', ');
      cmds.push(bytesOf(`cmsgpack.pack(${list})`));
      cmds.push(ev(`local s = cmsgpack.pack(${list}) return cjson.encode({cmsgpack.unpack(s)})`));
    }
    await expectSame(cmds);
  });
});
