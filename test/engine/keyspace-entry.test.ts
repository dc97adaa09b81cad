// Entry keeps its access clock relative to an origin (a small integer for V8, see keyspace.ts):
// the unix-ms value read back must be exactly the one stored, near now and far from it.

import { describe, expect, it } from 'vitest';
import { Entry } from '../../src/engine/keyspace.js';
import { newString } from '../../src/engine/types/objects.js';

describe('Entry access clock', () => {
  it('reads back every stored unix-ms value exactly', () => {
    const now = Date.now();
    const e = new Entry(newString('x'), now);
    expect(e.lru).toBe(now);
    for (const ms of [now + 1, now - 1, now + 30 * 86_400_000, now - 400 * 86_400_000, 0, 5_500, (2 ** 24 - 1) * 1000, 2 ** 52]) {
      e.lru = ms;
      expect(e.lru).toBe(ms);
    }
    expect(new Entry(newString('y'), 0).lru).toBe(0);
  });
});
