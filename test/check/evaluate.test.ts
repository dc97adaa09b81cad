// The verdict from facts: growth applies to the data above startup, limits flip at the boundary,
// checks an input cannot answer are skipped with the reason, and the outputs agree on failures.
import { describe, expect, it } from 'vitest';
import { validateBudget } from '../../src/check/budget.js';
import { combine, evaluate, project } from '../../src/check/evaluate.js';
import type { InputFacts } from '../../src/check/inputs.js';
import { renderGithub } from '../../src/check/output/github.js';
import { renderMarkdown } from '../../src/check/output/markdown.js';

function facts(over: Partial<InputFacts> = {}): InputFacts {
  return {
    name: 'dump.rdb',
    kind: 'rdb',
    memory: { startupBytes: 1000, usedMemoryBytes: 11000, datasetBytes: 9000, maxmemoryBytes: null },
    keys: { count: 10, noTtl: 3, biggestBytes: { key: 'big', type: 'string', value: 500 }, biggestElements: { key: 'l', type: 'list', value: 70 }, scope: 'file', prefixes: [{ keys: 4, bytes: 800 }], bytesUnavailable: null },
    fragmentationRatio: null,
    latency: null,
    calls: null,
    config: null,
    notes: { latency: 'no latency in files', config: 'no config in files', fragmentation: 'no fragmentation in files' },
    ...over,
  };
}

describe('project', () => {
  it('grows the data above startup and adds the fragmentation allowance', () => {
    const b = validateBudget({ memory: { growthFactor: 1.5, fragmentationAllowancePercent: 10, limitBytes: 20000 } }, 'b');
    const p = project(facts(), b);
    expect(p.usedMemoryBytes).toBe(Math.round((1000 + 10000 * 1.5) * 1.1));
    expect(p.datasetBytes).toBe(13500);
    expect(p.headroomPercent).toBeCloseTo((100 * (20000 - 17600)) / 20000, 2);
  });

  it("uses the target's maxmemory when the budget has no limit", () => {
    const p = project(facts({ kind: 'live', memory: { startupBytes: 1000, usedMemoryBytes: 11000, datasetBytes: 9000, maxmemoryBytes: 12000 } }), validateBudget({ memory: {} }, 'b'));
    expect(p).toMatchObject({ limitBytes: 12000, limitSource: 'maxmemory' });
  });
});

describe('evaluate', () => {
  it('flips memory.limit one byte either side of the projection', () => {
    const at = (limitBytes: number) => evaluate(facts(), validateBudget({ memory: { limitBytes } }, 'b')).checks[0]!;
    expect(at(11000)).toMatchObject({ id: 'memory.limit', ok: true, skipped: false, value: 11000 });
    expect(at(10999)).toMatchObject({ id: 'memory.limit', ok: false });
  });

  it('checks keys and prefixes, skips what a file cannot answer', () => {
    const b = validateBudget(
      {
        memory: { minHeadroomPercent: 20 },
        keys: { maxKeyBytes: 499, maxElements: 70, maxNoTtlPercent: 30 },
        prefixes: [{ match: 's:*', maxBytes: 799, maxKeys: 4 }],
        fragmentation: { maxRatio: 1.5 },
        latency: { commands: { get: { p99Ms: 1 } } },
        config: { 'maxmemory-policy': 'allkeys-lru' },
      },
      'b',
    );
    const v = evaluate(facts(), b);
    const by = Object.fromEntries(v.checks.map((c) => [c.id, c]));
    expect(by['memory.minHeadroomPercent']).toMatchObject({ skipped: true });
    expect(by['keys.maxKeyBytes']).toMatchObject({ ok: false, value: 500 });
    expect(by['keys.maxElements']).toMatchObject({ ok: true, value: 70 });
    expect(by['keys.maxNoTtlPercent']).toMatchObject({ ok: true, value: 30 });
    expect(by['prefix:s:*']).toMatchObject({ ok: false, value: 800 });
    expect(by['prefix:s:*:keys']).toMatchObject({ ok: true, value: 4 });
    for (const id of ['fragmentation.maxRatio', 'latency.get.p99Ms', 'config.maxmemory-policy']) expect(by[id]).toMatchObject({ ok: true, skipped: true, value: null });
    expect(by['latency.get.p99Ms']!.message).toBe('skipped: no latency in files');
    expect(v.ok).toBe(false);

    const r = combine([v], b);
    const gh = renderGithub(r);
    expect(gh.split('\n').filter((l) => l.startsWith('::error'))).toHaveLength(2);
    expect(renderGithub(r, { warnOnly: true })).not.toContain('::error');
    expect(renderMarkdown(r)).toMatch(/^### ❌ redscope check: 2 of 10 checks failed/);
  });

  it('judges live latency and config figures', () => {
    const live = facts({
      kind: 'live',
      fragmentationRatio: 1.6,
      latency: { get: { p50: 3, p99: 1200, 'p99.9': 1500 } },
      calls: { get: 10, set: 0 },
      config: { 'maxmemory-policy': 'noeviction' },
    });
    const b = validateBudget({ fragmentation: { maxRatio: 1.5 }, latency: { commands: { get: { p99Ms: 1, p50Ms: 1 }, set: { p99Ms: 1 } } }, config: { 'maxmemory-policy': ['allkeys-lru'] } }, 'b');
    const by = Object.fromEntries(evaluate(live, b).checks.map((c) => [c.id, c]));
    expect(by['fragmentation.maxRatio']).toMatchObject({ ok: false, value: 1.6 });
    expect(by['latency.get.p99Ms']).toMatchObject({ ok: false, value: 1.2 });
    expect(by['latency.get.p50Ms']).toMatchObject({ ok: true, value: 0.003 });
    expect(by['latency.set.p99Ms']).toMatchObject({ skipped: true, message: 'skipped: set has not been called on this server' });
    expect(by['config.maxmemory-policy']).toMatchObject({ ok: false, value: 'noeviction' });
  });
});
