import { describe, expect, it } from 'vitest';
import { ElementSizes, log2Bucket } from '../../src/report/element-sizes.js';

describe('element sizes', () => {
  it('uses power-of-two buckets (2^(b-1), 2^b]', () => {
    expect([0, 1, 2, 3, 4, 5, 8, 9, 1024, 1025].map(log2Bucket)).toEqual([0, 0, 1, 2, 2, 3, 3, 4, 10, 11]);
    expect(log2Bucket(2 ** 33)).toBe(33);
    expect(log2Bucket(2 ** 33 + 1)).toBe(34);
  });
  it('keeps per-type key lengths and element bytes', () => {
    const s = new ElementSizes();
    s.addKey('list', 3);
    s.addKey('list', 100);
    s.addElement('list', 10, 3);
    s.addKey('hash', 1);
    const out = s.finish();
    expect(out.list).toEqual({ keys: 2, lengths: [{ le: 4, count: 1 }, { le: 128, count: 1 }], elementBytes: [{ le: 16, count: 3 }] });
    expect(out.hash?.lengths).toEqual([{ le: 1, count: 1 }]);
    expect(Object.keys(out)).toEqual(['hash', 'list']);
  });
});
