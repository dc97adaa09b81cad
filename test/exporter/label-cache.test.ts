// Interned label sets: one frozen object per distinct set, so prom-client formats `{cmd="get"}`
// once and reuses the text. Equal sets share an object, different ones never do (whatever their
// values hold), the cache stays bounded, and escaping still happens in the exposition.

import { describe, expect, it } from 'vitest';
import { LabelCache, NO_LABELS } from '../../src/exporter/label-cache.js';
import { DEFAULT_METRIC_OPTIONS, FamilySet, toRegistry } from '../../src/exporter/metrics.js';
import { FAMILIES } from '../../src/exporter/metric-table.js';

describe('LabelCache', () => {
  it('returns one frozen object per distinct label set', () => {
    const c = new LabelCache();
    const a = c.intern({ cmd: 'get' });
    expect(c.intern({ cmd: 'get' })).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(a).toEqual({ cmd: 'get' });
    expect(c.intern({})).toBe(NO_LABELS);
    // Order is part of the set: it is the order the exposition writes.
    expect(c.intern({ a: '1', b: '2' })).not.toBe(c.intern({ b: '2', a: '1' }));
  });

  it('never confuses sets whose joined text would look alike', () => {
    const c = new LabelCache();
    const one = c.intern({ a: 'x', b: 'y' });
    const two = c.intern({ a: 'x=1:yb=1:y' });
    const three = c.intern({ a: 'x1:yb', b: 'y' });
    expect(new Set([one, two, three]).size).toBe(3);
    expect(two).toEqual({ a: 'x=1:yb=1:y' });
  });

  it('keeps at most two generations: a set unused for a whole generation is dropped', () => {
    const c = new LabelCache(2);
    const a = c.intern({ k: 'a' });
    c.intern({ k: 'b' });
    c.intern({ k: 'c' }); // starts a new generation; a and b are now the old one
    expect(c.intern({ k: 'a' })).toBe(a); // found in the old generation, carried over
    c.intern({ k: 'd' }); // new generation again: b is gone
    c.intern({ k: 'e' });
    expect(c.size).toBeLessThanOrEqual(4);
    expect(c.intern({ k: 'b' })).toEqual({ k: 'b' });
  });
});

describe('interned labels in the exposition', () => {
  it('escapes values once and the same way in every registry', async () => {
    const render = async () => {
      const set = new FamilySet(DEFAULT_METRIC_OPTIONS);
      set.add(FAMILIES.errorsTotal, 3, { err: 'a"b\\c\nd' });
      set.add(FAMILIES.errorsTotal, 4, { err: 'plain' });
      return toRegistry(set).metrics();
    };
    const first = await render();
    expect(first).toContain('redis_errors_total{err="a\\"b\\\\c\\nd"} 3\n');
    expect(first).toContain('redis_errors_total{err="plain"} 4\n');
    expect(await render()).toBe(first);
  });
});
