// SETBIT and GETBIT compared with a real redis-server 7.0: edge cases and a generated sequence.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diff, same, startPair, type Cmd, type Pair } from '../../helpers/differential.js';

let pair: Pair;
beforeAll(async () => {
  pair = await startPair();
});
afterAll(async () => {
  await pair?.stop();
});

describe('SETBIT / GETBIT', () => {
  it('answer edge cases and errors as Redis', async () => {
    await same(pair, [
      ['SETBIT', 'b', '7', '1'],
      ['GET', 'b'],
      ['SETBIT', 'b', '7', '0'],
      ['GETBIT', 'b', '7'],
      ['GETBIT', 'b', '100000'],
      ['GETBIT', 'none', '3'],
      ['SET', 's', 'abc'],
      ['SETBIT', 's', '1', '0'],
      ['GET', 's'],
      ['OBJECT', 'ENCODING', 's'],
      ['SET', 'i', '1234'],
      ['GETBIT', 'i', '2'],
      ['SETBIT', 'i', '3', '1'],
      ['GET', 'i'],
      ['OBJECT', 'ENCODING', 'i'],
      ['SETBIT', 'b', '-1', '1'],
      ['SETBIT', 'b', '4294967296', '1'],
      ['SETBIT', 'b', 'x', '1'],
      ['SETBIT', 'b', '1', '2'],
      ['SETBIT', 'b', '1', '-1'],
      ['SETBIT', 'b', '1', 'a'],
      ['GETBIT', 'b', '-1'],
      ['LPUSH', 'l', 'x'],
      ['SETBIT', 'l', '1', '1'],
      ['GETBIT', 'l', '1'],
      ['SETBIT', 'b'],
      ['GETBIT', 'b'],
    ]);
  });

  it('match Redis on generated sequences', async () => {
    const cmdArb = fc.oneof(
      fc.tuple(fc.constant('SETBIT'), fc.constantFrom('x', 'y'), fc.nat(200).map(String), fc.constantFrom('0', '1')),
      fc.tuple(fc.constant('GETBIT'), fc.constantFrom('x', 'y'), fc.nat(220).map(String)),
      fc.tuple(fc.constant('GET'), fc.constantFrom('x', 'y')),
      fc.tuple(fc.constant('STRLEN'), fc.constantFrom('x', 'y')),
    );
    const seqs = fc.sample(fc.array(cmdArb, { minLength: 5, maxLength: 40 }), { numRuns: 30, seed: 99 });
    const problems: string[] = [];
    for (const seq of seqs) {
      await same(pair, [['DEL', 'x', 'y']]);
      problems.push(...(await diff(pair, seq as Cmd[])));
    }
    expect(problems).toEqual([]);
  });
});
