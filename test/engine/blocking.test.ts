// Blocked commands are counted in commandstats when they complete (served or timed out), as
// Redis counts them, and a blocked client's timeout fires even for long-lived timers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPair, type Pair } from '../helpers/differential.js';
import { RespClient } from '../helpers/resp-client.js';

let pair: Pair;
beforeAll(async () => {
  pair = await startPair();
});
afterAll(async () => {
  await pair?.stop();
});

async function blpopStats(port: number): Promise<string> {
  const admin = await RespClient.connect(port);
  const waiter = await RespClient.connect(port);
  await admin.call('CONFIG', 'RESETSTAT');
  const served = waiter.call('BLPOP', 'bq', '5');
  await new Promise((r) => setTimeout(r, 50));
  await admin.call('RPUSH', 'bq', 'x');
  await served;
  await waiter.call('BLPOP', 'bq', '0.05'); // times out
  const info = await admin.call('INFO', 'commandstats');
  admin.close();
  waiter.close();
  const text = info.t === 'bulk' ? info.v : '';
  return /cmdstat_blpop:calls=(\d+)/.exec(text)?.[1] ?? 'missing';
}

describe('blocked commands in commandstats', () => {
  it('counts a served and a timed-out BLPOP like Redis', async () => {
    const [r, e] = await Promise.all([blpopStats(pair.redis.port), blpopStats(pair.engine.port)]);
    expect(r).toBe('2');
    expect(e).toBe(r);
  });
});
