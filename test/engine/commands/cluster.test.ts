// CLUSTER, READONLY, READWRITE and ASKING against a real redis-server 7.0 without cluster mode:
// the same "cluster support disabled" replies, the same arity and unknown-subcommand errors, the
// same refusal of CLUSTER RESET from a script (noscript).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { diff, startPair, type Pair } from '../../helpers/differential.js';

let pair: Pair;
beforeAll(async () => {
  pair = await startPair();
});
afterAll(async () => {
  await pair?.stop();
});

it('answers as a standalone Redis 7.0 does', async () => {
  const subs = ['INFO', 'HELP', 'NODES', 'SLOTS', 'SHARDS', 'MYID', 'LINKS', 'RESET', 'FLUSHSLOTS', 'SAVECONFIG', 'BUMPEPOCH'];
  expect(
    await diff(pair, [
      ...subs.map((s) => ['CLUSTER', s]),
      ['CLUSTER', 'KEYSLOT', 'foo'],
      ['CLUSTER', 'COUNTKEYSINSLOT', '1'],
      ['CLUSTER', 'GETKEYSINSLOT', '1', '10'],
      ['CLUSTER', 'ADDSLOTS', '1', '2'],
      ['CLUSTER', 'SETSLOT', '1', 'STABLE'],
      ['CLUSTER', 'bogus'],
      ['CLUSTER'],
      ['CLUSTER', 'INFO', 'extra'],
      ['READONLY'],
      ['READWRITE'],
      ['ASKING'],
      ['EVAL', "return redis.pcall('cluster', 'reset')", '0'],
      ['EVAL', "return redis.pcall('cluster', 'info')", '0'],
    ]),
  ).toEqual([]);
});
