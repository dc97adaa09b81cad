// struct compared with a real redis-server 7.0: every format option's bytes, endianness,
// '!' alignment, integer widths up to 32 bytes (with the x86 conversions of out-of-range numbers
// and the sign-extension quirk of widths above 8), floats, strings (s, c, cN, c0), offsets, size,
// error texts, and generated pack/unpack round trips.
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

const ev = (script: string): Cmd => ['EVAL', script, 0];
const bytesOf = (expr: string): Cmd => ev(`return {(${expr}):byte(1,-1)}`);
/** unpack's results as strings (so that doubles and big integers show exactly). */
const unpacked = (args: string): Cmd => ev(`local r = {struct.unpack(${args})} for i = 1, #r do r[i] = type(r[i]) .. ':' .. tostring(r[i]) end return r`);

async function expectSame(cmds: Cmd[]): Promise<void> {
  expect(await diff(pair, cmds)).toEqual([]);
}

describe('struct.pack', () => {
  it('writes integers of each width and byte order', async () => {
    const formats = ['b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I', 'i1', 'i3', 'I5', 'i8', 'i9', 'I12', 'i16', 'i32', 'i0'];
    const values = ['0', '1', '-1', '127', '128', '-129', '300', '65535', '-32769', '2^31', '-2^31-1', '2^53+2', '2^63', '2^64', '-2^63', '-2^70', '1.9', '-1.9', '0/0', '1/0', '-1/0'];
    const cmds: Cmd[] = [];
    for (const f of formats) for (const v of values) for (const e of ['<', '>']) cmds.push(bytesOf(`struct.pack('${e}${f}', ${v})`));
    await expectSame(cmds);
  });

  it('writes floats, strings, padding and alignment', async () => {
    await expectSame([
      bytesOf("struct.pack('>f', 0.1)"),
      bytesOf("struct.pack('<d', 0.1)"),
      bytesOf("struct.pack('>f', 1e300)"),
      bytesOf("struct.pack('>d', 0/0)"),
      bytesOf("struct.pack('>f', 0/0)"),
      bytesOf("struct.pack('<d', -0.0)"),
      bytesOf("struct.pack('s', 'a\\0b')"),
      bytesOf("struct.pack('c', 'xyz')"),
      bytesOf("struct.pack('c2', 'xyz')"),
      bytesOf("struct.pack('c0', 'xyz')"),
      bytesOf("struct.pack('bxd', 1, 2)"),
      bytesOf("struct.pack('!bxd', 1, 2)"),
      bytesOf("struct.pack('!4 b d', 1, 2)"),
      bytesOf("struct.pack('!2bi', 1, 2)"),
      bytesOf("struct.pack('!bi3bh', 1, 2, 3, 4)"),
      bytesOf("struct.pack('!16bi16', 1, 2)"),
      bytesOf("struct.pack('b c3 h', 1, 'abc', 2)"),
      bytesOf("struct.pack('b', '12')"),
      bytesOf("struct.pack('>!8bIhd', 1, 2, 3, 4)"),
      bytesOf("struct.pack('b\\0b', 1, 2)"),
      bytesOf("struct.pack('', 1)"),
    ]);
  });

  it('reports errors like Redis', async () => {
    await expectSame([
      ev("return struct.pack('c5', 'ab')"),
      ev("return struct.pack('z', 'ab')"),
      ev("return struct.pack('5', 1)"),
      ev("return struct.pack('i33', 1)"),
      ev("return struct.pack('!3', 1)"),
      ev("return struct.pack('!0', 1)"),
      ev("return struct.pack('i99999999999', 1)"),
      ev("return struct.pack('b')"),
      ev("return struct.pack('bb', 1)"),
      ev("return struct.pack('b', 'x')"),
      ev("return struct.pack('s')"),
      ev('return struct.pack()'),
      ev('return struct.pack(12, 3)'),
      ev('return struct.pack({})'),
      ev("local p = struct.pack return p('q')"),
      ev('struct.pack = nil'),
    ]);
  });
});

describe('struct.unpack', () => {
  it('reads each option back', async () => {
    await expectSame([
      unpacked("'<i16', string.rep('\\255', 16)"),
      unpacked("'<I8', string.rep('\\255', 8)"),
      unpacked("'<i8', string.rep('\\255', 7) .. '\\127'"),
      unpacked("'>i9', '\\0\\0\\0\\0\\0\\0\\0\\0\\128'"),
      unpacked("'>i10', '\\0\\0\\0\\0\\0\\0\\0\\0\\128\\0'"),
      unpacked("'>I10', '\\1\\2\\3\\4\\5\\6\\7\\8\\9\\10'"),
      unpacked("'>i3', '\\128\\0\\1'"),
      unpacked("'i0', ''"),
      unpacked("'bBhHlLT', string.rep('\\200', 30)"),
      unpacked("'>f', struct.pack('>f', 0.1)"),
      unpacked("'<d', struct.pack('<d', 1/3)"),
      unpacked("'>d', struct.pack('>d', -1/0)"),
      unpacked("'c0', '3abc'"),
      unpacked("'bc0', '\\3abc'"),
      unpacked("'bc0', '\\9abc'"),
      unpacked("'c1c0', '3abcd'"),
      unpacked("'c1c0', 'xabcd'"),
      unpacked("'s', 'abc'"),
      unpacked("'ss', 'abc\\0de\\0f'"),
      unpacked("'5', 'abc'"),
      unpacked("'c3', 'ab'"),
      unpacked("'!8 bd', string.rep('\\1', 16)"),
      unpacked("'!bxh', 'abcdef'"),
      unpacked("'xxb', 'abc'"),
      unpacked("'b', 'abc', 2"),
      unpacked("'b', 'a', 0"),
      unpacked("'b', 'a', -1"),
      unpacked("'', 'a', -1"),
      unpacked("'', 'a', 7"),
      unpacked("'b', 'ab', 1.9"),
      unpacked("'b', 'ab', '2'"),
      unpacked("'b', 'ab', 'x'"),
      unpacked("'!i', 'abcdefgh', -1"),
      unpacked("'b'"),
      unpacked("'i33', 'x'"),
      unpacked("'b\\0b', 'xy'"),
      ev("return #{struct.unpack(string.rep('b', 3999), string.rep('x', 4000))}"),
      ev("return #{struct.unpack(string.rep('b', 4000), string.rep('x', 4000))}"),
    ]);
  });
});

describe('struct.size', () => {
  it('adds sizes and padding, refusing variable-size options', async () => {
    await expectSame(
      ['zi', 's', 'c0', '!4bi!2bd', 'bi3bi5', '!bi3bi5', 'bb  bh', 'c10', 'i33', '!3', '%', '>d<f', '!8c3d', 'xXb', 'i99999999999', ''].map((f) =>
        ev(`return struct.size('${f}')`),
      ),
    );
  });
});

describe('struct round trips (generated)', () => {
  it('packs and unpacks generated records alike', async () => {
    const field = fc.oneof(
      fc.record({ f: fc.constantFrom('b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I', 'i2', 'I6', 'i8', 'I8', 'i12'), v: fc.oneof(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), fc.integer({ min: -200, max: 70000 })).map(String) }),
      fc.record({ f: fc.constantFrom('f', 'd'), v: fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => d.toPrecision(17)) }),
      fc.record({ f: fc.constantFrom('s', 'c0', 'c4'), v: fc.string({ minLength: 4, maxLength: 8 }).map((s) => JSON.stringify(s.replace(/[^a-z]/g, 'q'))) }),
      fc.record({ f: fc.constantFrom('x', ' '), v: fc.constant('') }),
    );
    const records = fc.sample(fc.tuple(fc.constantFrom('', '<', '>', '!', '!2', '>!4'), fc.array(field, { minLength: 1, maxLength: 6 })), { seed: 7, numRuns: 80 });
    const cmds: Cmd[] = [];
    for (const [head, fields] of records) {
      const fmt = head + fields.map((x) => x.f).join('');
      const vals = fields.filter((x) => x.v !== '').map((x) => x.v);
      const unpackFmt = fmt.replace(/c0/g, 'c4');
      cmds.push(bytesOf(`struct.pack('${fmt}'${vals.map((v) => `, ${v}`).join('')})`));
      cmds.push(unpacked(`'${unpackFmt}', struct.pack('${fmt}'${vals.map((v) => `, ${v}`).join('')})`));
    }
    await expectSame(cmds);
  });
});
