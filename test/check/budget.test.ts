// Budget files: sizes in Redis's units, the example accepted as JSON and YAML, and every
// malformed field named with the file in the message.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBudget, parseSize, validateBudget } from '../../src/check/budget.js';

const EXAMPLE = {
  memory: { limitBytes: 8589934592, growthFactor: 1.3, minHeadroomPercent: 20 },
  keys: { maxKeyBytes: 10485760, maxElements: 1000000, maxNoTtlPercent: 5 },
  prefixes: [{ match: 'session:*', maxBytes: 2147483648 }],
  fragmentation: { maxRatio: 1.5 },
  latency: { commands: { get: { p99Ms: 1 } } },
  config: { 'maxmemory-policy': ['allkeys-lru', 'allkeys-lfu'] },
};

const dir = mkdtempSync(join(tmpdir(), 'redscope-budget-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parseSize', () => {
  it('reads numbers and Redis-style units', () => {
    expect(parseSize(1234)).toBe(1234);
    expect(parseSize('8gb')).toBe(8 * 1024 ** 3);
    expect(parseSize('512mb')).toBe(512 * 1024 ** 2);
    expect(parseSize('1.5GiB')).toBe(1.5 * 1024 ** 3);
    expect(parseSize('2g')).toBe(2e9);
    expect(parseSize('100')).toBe(100);
    for (const bad of ['abc', '-1', '8 parsecs', '', true, null]) expect(parseSize(bad)).toBeNull();
  });
});

describe('loadBudget', () => {
  it('accepts the issue example as JSON and the same as YAML with size strings', () => {
    const json = join(dir, 'b.json');
    writeFileSync(json, JSON.stringify(EXAMPLE));
    const yml = join(dir, 'b.yml');
    writeFileSync(
      yml,
      [
        'memory: { limitBytes: 8gb, growthFactor: 1.3, minHeadroomPercent: 20 }',
        'keys: { maxKeyBytes: 10mb, maxElements: 1000000, maxNoTtlPercent: 5 }',
        'prefixes: [ { match: "session:*", maxBytes: 2gb } ]',
        'fragmentation: { maxRatio: 1.5 }',
        'latency: { commands: { GET: { p99Ms: 1 } } }',
        'config: { maxmemory-policy: [allkeys-lru, allkeys-lfu] }',
      ].join('\n'),
    );
    const a = loadBudget(json);
    const b = loadBudget(yml);
    expect({ ...a, file: '' }).toEqual({ ...b, file: '' });
    expect(b.memory).toMatchObject({ limitBytes: 8589934592, growthFactor: 1.3, minHeadroomPercent: 20, fragmentationAllowancePercent: 0 });
    expect(b.latency!.commands).toEqual({ get: { p99Ms: 1 } });
  });

  it('names the file and the bad field', () => {
    const cases: Array<[unknown, string]> = [
      [{ memory: { growthFactor: 'abc' } }, 'b.json: memory.growthFactor must be a number >= 1, got "abc"'],
      [{ memory: { growthFactor: 0.5 } }, 'memory.growthFactor must be a number >= 1, got 0.5'],
      [{ memory: { limitBytes: '8 parsecs' } }, 'memory.limitBytes must be a size in bytes'],
      [{ memory: { minHeadroomPercent: 120 } }, 'memory.minHeadroomPercent must be a number from 0 to 100, got 120'],
      [{ memory: { growthFactr: 1.2 } }, 'memory.growthFactr is not a budget field'],
      [{ keys: { maxElements: 1.5 } }, 'keys.maxElements must be a whole number >= 0, got 1.5'],
      [{ prefixes: [{ match: 'a:*', maxBytes: 1 }, { maxBytes: 1 }] }, 'prefixes[1].match must be a key glob'],
      [{ prefixes: { match: 'a' } }, 'prefixes must be a list'],
      [{ fragmentation: { maxRatio: 'x' } }, 'fragmentation.maxRatio must be a number >= 1, got "x"'],
      [{ latency: { commands: { get: { p99: 1 } } } }, 'latency.commands.get.p99 is not a budget field'],
      [{ config: { 'maxmemory-policy': [] } }, 'config.maxmemory-policy must be a value or a list'],
      [{ memroy: {} }, 'memroy is not a budget field'],
      [[1, 2], 'a budget must be an object'],
    ];
    for (const [doc, msg] of cases) expect(() => validateBudget(doc, 'b.json'), JSON.stringify(doc)).toThrow(msg);
  });

  it('reports unreadable and unparsable files', () => {
    expect(() => loadBudget(join(dir, 'missing.yml'))).toThrow('no such budget file');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ "memory": ');
    expect(() => loadBudget(bad)).toThrow('bad.json: not valid JSON');
  });
});
