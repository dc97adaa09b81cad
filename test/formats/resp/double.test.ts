// Double formatting as Redis 7.0 replies with it ("%.17g", glibc rounding): a table of known
// outputs, exact ties (glibc rounds half to even, JS half away from zero), and a real
// redis-server as the oracle (ZADD then ZSCORE returns the stored double printed with %.17g).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDouble, formatG17 } from '../../../src/formats/resp/double.js';
import { RespClient } from '../../helpers/resp-client.js';
import { startRedis, type TestServer } from '../../helpers/servers.js';

describe('formatG17', () => {
  // Expected texts are C printf("%.17g") outputs.
  const table: Array<[number, string]> = [
    [0, '0'],
    [-0, '-0'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
    [NaN, 'nan'],
    [0.1, '0.10000000000000001'],
    [1.5, '1.5'],
    [-2.25, '-2.25'],
    [1e17, '1e+17'],
    [1e16, '10000000000000000'],
    [9.999999999999998e16, '99999999999999984'],
    [0.0001, '0.0001'],
    [1e-5, '1.0000000000000001e-05'],
    [0.00012345, '0.00012344999999999999'],
    [1.2345678901234568e17, '1.2345678901234568e+17'],
    [3.14159, '3.1415899999999999'],
    [1 / 3, '0.33333333333333331'],
    [2 / 3, '0.66666666666666663'],
    [1e300, '1.0000000000000001e+300'],
    [5e-324, '4.9406564584124654e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [-2.5e-10, '-2.5000000000000002e-10'],
    [100, '100'],
    [1e21, '1e+21'],
    [12345.678, '12345.678'],
    [0.30000000000000004, '0.30000000000000004'],
    [1000000000000000.25, '1000000000000000.2'], // exact value ...0.25: a tie, rounded to even
    [350226401524822.625, '350226401524822.62'], // exact value ...0.625: a tie, rounded to even
    [9.999999999999999e-5, '9.9999999999999991e-05'], // log10 would misjudge the exponent
    [2.5e-5, '2.5000000000000001e-05'],
    [4503599627370496, '4503599627370496'],
    [9007199254740992, '9007199254740992'],
    [1.0000000000000002, '1.0000000000000002'],
    [1e-7, '9.9999999999999995e-08'],
  ];
  for (const [value, text] of table) {
    it(`${value} -> ${text}`, () => {
      expect(formatG17(value)).toBe(text);
      expect(formatDouble(value)).toBe(text);
    });
  }

  it('reads back as the same double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => {
        expect(Object.is(Number(formatG17(d)), d) || (d === 0 && Number(formatG17(d)) === 0)).toBe(true);
      }),
      { seed: 7, numRuns: 2000 },
    );
  });
});

describe('formatG17 against redis-server (ZSCORE prints %.17g)', () => {
  let redis: TestServer;
  let c: RespClient;
  beforeAll(async () => {
    redis = await startRedis();
    c = await RespClient.connect(redis.port);
  });
  afterAll(async () => {
    c?.close();
    await redis?.stop();
  });

  it('matches for random doubles, ties and magnitudes across the exponent switch', async () => {
    const values = fc.sample(fc.double({ noNaN: true, noDefaultInfinity: true }), { seed: 11, numRuns: 1500 });
    // Exact ties at the 18th digit: an integer part of 18-j digits plus odd/2^j (j decimals, the last a 5).
    const ties = fc
      .sample(fc.tuple(fc.integer({ min: 2, max: 12 }), fc.nat(), fc.nat()), { seed: 12, numRuns: 600 })
      .map(([j, n, m]) => {
        const base = 10 ** (17 - j);
        return base + (n % (9 * base)) + (2 * (m % 2 ** (j - 1)) + 1) / 2 ** j;
      })
      .filter((d) => Number.isInteger(d * 2 ** 12) && d.toExponential(17).endsWith('5e+' + String(Math.floor(Math.log10(d)))));
    expect(ties.length).toBeGreaterThan(100);
    const scales: number[] = [];
    for (let e = -8; e <= 20; e++) scales.push(1.2345678901234567 * 10 ** e, 10 ** e, 9.5 * 10 ** e);
    const all = [...values, ...ties, ...scales].filter((d) => Number.isFinite(d));
    const cmds = all.map((d, i) => ['ZADD', 'z', String(d), `m${i}`]);
    await c.pipeline(cmds);
    const replies = await c.pipeline(all.map((_, i) => ['ZSCORE', 'z', `m${i}`]));
    const mismatches: string[] = [];
    replies.forEach((r, i) => {
      const mine = formatG17(all[i]!);
      const theirs = r.t === 'bulk' ? r.v : JSON.stringify(r);
      // ZADD stores -0 as 0 only when given "-0"; compare the double Redis holds.
      if (mine !== theirs && !(all[i] === 0 && theirs === '0')) mismatches.push(`${all[i]}: mine ${mine}, redis ${theirs}`);
    });
    expect(mismatches).toEqual([]);
  });
});
