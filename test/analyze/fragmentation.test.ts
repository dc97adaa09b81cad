// The memory report's verdicts (with MEMORY DOCTOR's floors), its version-aware reading of
// allocator_frag_*, the active-defrag outlook and the MEMORY STATS breakdown.

import { describe, expect, it } from 'vitest';
import { fragmentationReport } from '../../src/analyze/index.js';
import { buildSnapshot, MB } from './snapshot-builder.js';

describe('fragmentationReport', () => {
  it('calls a normal instance healthy and reports its numbers', () => {
    const r = fragmentationReport(buildSnapshot());
    expect(r.fragmentation.verdict).toBe('healthy');
    expect(r.usedBytes).toBe(100 * MB);
    expect(r.rssBytes).toBe(110 * MB);
    expect(r.fragmentation.ratio).toBeCloseTo(1.1);
    expect(r.allocator.fragMeaning).toBe('active-minus-allocated (up to 7.2)');
    expect(r.keys.count).toBe(100000);
    expect(r.keys.datasetBytesPerKey).toBeCloseTo(99614720 / 100000);
    expect(r.doctor).toEqual([]);
    expect(r.advice).toEqual([]);
  });

  it('does not judge a tiny instance even with a huge ratio', () => {
    const r = fragmentationReport(buildSnapshot({ info: { used_memory: 900_000, used_memory_rss: 12_000_000, mem_fragmentation_ratio: 13.3, mem_fragmentation_bytes: 11_100_000, allocator_frag_ratio: 1.5 } }));
    expect(r.fragmentation.verdict).toBe('too-small-to-judge');
    expect(r.doctor.map((d) => d.flag)).toEqual(['empty']);
  });

  it('says fragmented, and that active defrag would start, for allocator fragmentation', () => {
    const r = fragmentationReport(
      buildSnapshot({ info: { allocator_frag_ratio: 1.6, allocator_frag_bytes: 200 * MB, used_memory_rss: 330 * MB, mem_fragmentation_ratio: 3.3, mem_fragmentation_bytes: 230 * MB } }),
    );
    expect(r.fragmentation.verdict).toBe('fragmented');
    expect(r.doctor.map((d) => d.flag)).toEqual(expect.arrayContaining(['high_alloc_frag', 'high_frag']));
    expect(r.defrag.possible).toBe(true);
    expect(r.defrag.enabled).toBe(false);
    expect(r.defrag.wouldStart).toBe(true);
    expect(r.defrag.fragPct).toBeCloseTo(60);
    // 60% between lower 10 and upper 100 → 1 + 24 × 50/90 ≈ 14% CPU
    expect(r.defrag.expectedCpuPct).toBe(14);
    expect(r.advice.join(' ')).toMatch(/CONFIG SET activedefrag yes/);
    expect(r.advice.join(' ')).toMatch(/restart with persistence/);
  });

  it('says defrag would not start below active-defrag-ignore-bytes', () => {
    const r = fragmentationReport(buildSnapshot({ info: { allocator_frag_ratio: 1.3, allocator_frag_bytes: 30 * MB } }));
    expect(r.fragmentation.verdict).toBe('fragmented');
    expect(r.defrag.wouldStart).toBe(false);
    expect(r.advice[0]).toMatch(/would NOT start/);
  });

  it('says rss-overhead when RSS is high but the allocator is not fragmented, and MEMORY PURGE after a peak', () => {
    const r = fragmentationReport(
      buildSnapshot({ info: { used_memory_peak: 400 * MB, used_memory_rss: 300 * MB, mem_fragmentation_ratio: 3, mem_fragmentation_bytes: 200 * MB, allocator_rss_ratio: 2.5, allocator_rss_bytes: 180 * MB } }),
    );
    expect(r.fragmentation.verdict).toBe('rss-overhead');
    expect(r.doctor.map((d) => d.flag)).toEqual(expect.arrayContaining(['big_peak', 'high_frag', 'high_alloc_rss']));
    expect(r.advice.join(' ')).toContain('MEMORY PURGE');
    expect(r.peakRatio).toBeCloseTo(4);
  });

  it('reads 7.4+ allocator_frag as small-bin slack and bytes-per-key as dataset/keys', () => {
    const r = fragmentationReport(buildSnapshot({ info: { redis_version: '7.4.1' } }));
    expect(r.allocator.fragMeaning).toBe('small-bin-slack (7.4+)');
    expect(r.keys.serverMeaning).toBe('dataset / keys (7.4+)');
  });

  it('flags swapping, big client buffers, replica buffers and many scripts like MEMORY DOCTOR', () => {
    const r = fragmentationReport(
      buildSnapshot({ info: { used_memory_rss: 50 * MB, mem_fragmentation_ratio: 0.5, mem_clients_normal: 40 * MB, connected_slaves: 1, mem_clients_slaves: 20 * MB, number_of_cached_scripts: 2000 } }),
    );
    expect(r.doctor.map((d) => d.flag)).toEqual(expect.arrayContaining(['swapping', 'big_client_buf', 'big_slave_buf', 'many_scripts']));
  });

  it('breaks memory down from MEMORY STATS, else from INFO', () => {
    const withStats = fragmentationReport(
      buildSnapshot({ memoryStats: { 'startup.allocated': 876200, 'clients.normal': 20000, 'db.0.overhead.hashtable.main': 5_000_000, 'db.0.overhead.hashtable.expires': 1_000_000, 'dataset.bytes': 90_000_000, 'keys.bytes-per-key': 137 } }),
    );
    expect(withStats.breakdown).toEqual(
      expect.arrayContaining([
        { part: 'startup', bytes: 876200 },
        { part: 'key hash tables', bytes: 6_000_000 },
        { part: 'dataset', bytes: 90_000_000 },
      ]),
    );
    expect(withStats.keys.serverBytesPerKey).toBe(137);
    const fromInfo = fragmentationReport(buildSnapshot());
    expect(fromInfo.breakdown).toEqual(expect.arrayContaining([{ part: 'client buffers', bytes: 102400 }, { part: 'dataset', bytes: 99614720 }]));
  });

  it('without allocator fields (another allocator or the bundled engine) still judges from RSS', () => {
    const r = fragmentationReport(
      buildSnapshot({ info: { mem_allocator: 'libc', allocator_frag_ratio: null, allocator_frag_bytes: null, allocator_rss_ratio: null, allocator_rss_bytes: null, rss_overhead_ratio: null, rss_overhead_bytes: null, used_memory_rss: 300 * MB, mem_fragmentation_ratio: 3, mem_fragmentation_bytes: 200 * MB } }),
    );
    expect(r.fragmentation.verdict).toBe('rss-overhead');
    expect(r.allocator.fragRatio).toBeNull();
    expect(r.defrag.possible).toBe(false);
  });

  it('skips RSS-based judgement on the bundled engine (its RSS is the Node.js process)', () => {
    const r = fragmentationReport(buildSnapshot({ bundled: true, info: { used_memory_rss: 300 * MB, mem_fragmentation_ratio: 3, mem_fragmentation_bytes: 200 * MB, rss_overhead_ratio: 3, rss_overhead_bytes: 200 * MB } }));
    expect(r.fragmentation.verdict).toBe('healthy');
    expect(r.fragmentation.evidence.join(' ')).toMatch(/Bundled engine/);
  });
});
