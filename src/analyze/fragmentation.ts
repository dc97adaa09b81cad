// The memory and fragmentation report: where the process's memory goes (used, RSS, peak, dataset,
// overhead and the MEMORY STATS breakdown), how far RSS is from what Redis allocated and why
// (allocator fragmentation, pages the allocator keeps, memory outside the allocator), a verdict,
// MEMORY DOCTOR's flags with its byte floors, and whether active defrag would start.
//
// Version note: allocator_frag_ratio/bytes measure active/allocated up to 7.2 but only the unused
// slots of small-bin slabs from 7.4 on (what defrag can actually recover). Both are read as
// "external fragmentation", and the report says which meaning applies.

import { versionAtLeast } from '../collect/info-parser.js';
import type { Snapshot } from '../collect/snapshot.js';
import { formatBytes } from '../common/format.js';
import { conf, confNum, field, keyspaceTotals, known, rssMeaningful, text } from './finding.js';
import { withThresholds, type Thresholds } from './thresholds.js';

export type FragmentationVerdict = 'healthy' | 'fragmented' | 'rss-overhead' | 'too-small-to-judge';

/** MEMORY DOCTOR's flags (same names), plus `swapping` which the doctor does not check. */
export type DoctorFlag =
  | 'empty'
  | 'big_peak'
  | 'high_frag'
  | 'high_alloc_frag'
  | 'high_alloc_rss'
  | 'high_proc_rss'
  | 'big_client_buf'
  | 'big_slave_buf'
  | 'many_scripts'
  | 'swapping';

export interface MemoryBreakdownPart {
  part: string;
  bytes: number;
}

export interface DefragOutlook {
  /** jemalloc is the allocator (active defrag needs Redis's jemalloc build). */
  possible: boolean;
  /** `activedefrag` config; null when CONFIG is unreadable. */
  enabled: boolean | null;
  /** active_defrag_running: the CPU % defrag currently uses (0 = idle). */
  runningCpuPct: number | null;
  /** External fragmentation in % as defrag computes it. */
  fragPct: number | null;
  fragBytes: number | null;
  ignoreBytes: number | null;
  thresholdLower: number | null;
  thresholdUpper: number | null;
  /** Whether defrag would start with the current config and fragmentation, and the CPU % it would aim for. */
  wouldStart: boolean | null;
  expectedCpuPct: number | null;
}

export interface MemoryReport {
  version: string;
  usedBytes: number | null;
  rssBytes: number | null;
  peakBytes: number | null;
  datasetBytes: number | null;
  overheadBytes: number | null;
  startupBytes: number | null;
  maxmemoryBytes: number | null;
  systemBytes: number | null;
  /** peak / used. */
  peakRatio: number | null;
  fragmentation: {
    /** mem_fragmentation_ratio (rss / used) and mem_fragmentation_bytes (rss − used). */
    ratio: number | null;
    bytes: number | null;
    verdict: FragmentationVerdict;
    evidence: string[];
  };
  allocator: {
    name: string | null;
    allocatedBytes: number | null;
    activeBytes: number | null;
    residentBytes: number | null;
    fragRatio: number | null;
    fragBytes: number | null;
    /** What allocator_frag_* means on this version. */
    fragMeaning: 'small-bin-slack (7.4+)' | 'active-minus-allocated (up to 7.2)';
    rssRatio: number | null;
    rssBytes: number | null;
    rssOverheadRatio: number | null;
    rssOverheadBytes: number | null;
  };
  doctor: Array<{ flag: DoctorFlag; message: string }>;
  defrag: DefragOutlook;
  advice: string[];
  /** Where used_memory goes (MEMORY STATS when available, else INFO memory's mem_* fields). */
  breakdown: MemoryBreakdownPart[];
  keys: {
    count: number;
    /** dataset / keys: payload bytes per key (keys' names and values). */
    datasetBytesPerKey: number | null;
    /** (used − startup) / keys: everything per key. */
    usedBytesPerKey: number | null;
    /** MEMORY STATS keys.bytes-per-key and what it means on this version. */
    serverBytesPerKey: number | null;
    serverMeaning: '(used - startup) / keys (up to 7.2)' | 'dataset / keys (7.4+)';
  };
}

const orNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** MEMORY STATS field → readable part name (the dataset and per-db hash tables are added separately). */
const STATS_PARTS: Array<[string, string]> = [
  ['startup.allocated', 'startup'],
  ['replication.backlog', 'replication backlog'],
  ['clients.slaves', 'replica buffers'],
  ['clients.normal', 'client buffers'],
  ['cluster.links', 'cluster links'],
  ['aof.buffer', 'AOF buffer'],
  ['lua.caches', 'Lua script cache'],
  ['functions.caches', 'functions cache'],
];

/** INFO memory fallback when MEMORY STATS is unavailable. */
const INFO_PARTS: Array<[string, string]> = [
  ['used_memory_startup', 'startup'],
  ['mem_replication_backlog', 'replication backlog'],
  ['mem_clients_slaves', 'replica buffers'],
  ['mem_clients_normal', 'client buffers'],
  ['mem_cluster_links', 'cluster links'],
  ['mem_aof_buffer', 'AOF buffer'],
  ['used_memory_scripts', 'script caches'],
];

function breakdown(s: Snapshot): MemoryBreakdownPart[] {
  const out: MemoryBreakdownPart[] = [];
  const ms = s.memoryStats;
  if (ms) {
    for (const [k, part] of STATS_PARTS) if (typeof ms[k] === 'number') out.push({ part, bytes: ms[k] });
    let tables = 0;
    for (const [k, v] of Object.entries(ms)) if (/^db\.\d+\.overhead\./.test(k) && typeof v === 'number') tables += v;
    out.push({ part: 'key hash tables', bytes: tables });
    if (typeof ms['dataset.bytes'] === 'number') out.push({ part: 'dataset', bytes: ms['dataset.bytes'] });
    return out;
  }
  for (const [k, part] of INFO_PARTS) {
    const v = field(s, k);
    if (known(v)) out.push({ part, bytes: v });
  }
  const dataset = field(s, 'used_memory_dataset');
  if (known(dataset)) out.push({ part: 'dataset', bytes: dataset });
  return out;
}

function defragOutlook(s: Snapshot, fragBytes: number, fragRatio: number): DefragOutlook {
  const possible = (text(s, 'mem_allocator') ?? '').startsWith('jemalloc');
  const enabledText = conf(s, 'activedefrag');
  const lower = confNum(s, 'active-defrag-threshold-lower');
  const upper = confNum(s, 'active-defrag-threshold-upper');
  const ignore = confNum(s, 'active-defrag-ignore-bytes');
  const cmin = confNum(s, 'active-defrag-cycle-min');
  const cmax = confNum(s, 'active-defrag-cycle-max');
  // Both definitions give ratio = 1 + frag/allocated, so the % defrag uses is (ratio − 1) × 100.
  const fragPct = known(fragRatio) ? (fragRatio - 1) * 100 : NaN;
  let wouldStart: boolean | null = null;
  let cpu: number | null = null;
  if (possible && known(fragPct, fragBytes, lower, ignore)) {
    wouldStart = fragPct >= lower && fragBytes >= ignore;
    if (wouldStart && known(upper, cmin, cmax)) {
      const k = upper > lower ? Math.min(1, Math.max(0, (fragPct - lower) / (upper - lower))) : 1;
      cpu = Math.round(cmin + (cmax - cmin) * k);
    }
  }
  return {
    possible,
    enabled: enabledText === undefined ? null : enabledText === 'yes',
    runningCpuPct: orNull(field(s, 'active_defrag_running')),
    fragPct: orNull(fragPct),
    fragBytes: orNull(fragBytes),
    ignoreBytes: orNull(ignore),
    thresholdLower: orNull(lower),
    thresholdUpper: orNull(upper),
    wouldStart,
    expectedCpuPct: cpu,
  };
}

export function fragmentationReport(s: Snapshot, overrides: Partial<Thresholds> = {}): MemoryReport {
  const t = withThresholds(overrides);
  const version = s.identity.version;
  const v74 = versionAtLeast(version === '?' ? '0.0.0' : version, '7.4.0');
  const used = field(s, 'used_memory');
  const rss = field(s, 'used_memory_rss');
  const peak = field(s, 'used_memory_peak');
  const fragRatio = field(s, 'mem_fragmentation_ratio');
  const fragBytes = known(field(s, 'mem_fragmentation_bytes')) ? field(s, 'mem_fragmentation_bytes') : known(rss, used) ? rss - used : NaN;
  const aFragR = field(s, 'allocator_frag_ratio');
  const aFragB = field(s, 'allocator_frag_bytes');
  const aRssR = field(s, 'allocator_rss_ratio');
  const aRssB = field(s, 'allocator_rss_bytes');
  const oR = field(s, 'rss_overhead_ratio');
  const oB = field(s, 'rss_overhead_bytes');

  const doctor: MemoryReport['doctor'] = [];
  const flag = (f: DoctorFlag, message: string): void => void doctor.push({ flag: f, message });
  const tooSmall = !known(used) || used < t.memoryFloorBytes;
  const over = (r: number, b: number, limit: number): boolean => known(r, b) && r > limit && b > t.fragBytesFloor;

  if (tooSmall) {
    flag('empty', `used_memory ${known(used) ? formatBytes(used) : '?'} is below ${formatBytes(t.memoryFloorBytes)}: ratios are dominated by fixed costs and say nothing.`);
  } else {
    if (known(peak) && peak / used > t.peakRatio)
      flag('big_peak', `Peak memory ${formatBytes(peak)} is ${(peak / used).toFixed(2)}× current use; freed memory may stay in RSS.`);
    const rssOk = rssMeaningful(s);
    if (rssOk && over(fragRatio, fragBytes, t.rssOverheadRatio))
      flag('high_frag', `RSS is ${fragRatio.toFixed(2)}× used memory (${formatBytes(fragBytes)} more).`);
    if (over(aFragR, aFragB, t.allocatorFragRatio))
      flag('high_alloc_frag', `Allocator fragmentation ${aFragR.toFixed(2)} (${formatBytes(aFragB)}): memory in partly used pages.`);
    if (over(aRssR, aRssB, t.allocatorRssRatio))
      flag('high_alloc_rss', `The allocator keeps ${formatBytes(aRssB)} of freed pages (ratio ${aRssR.toFixed(2)}).`);
    if (rssOk && over(oR, oB, t.allocatorRssRatio))
      flag('high_proc_rss', `${formatBytes(oB)} of RSS is outside the allocator (ratio ${oR.toFixed(2)}): Lua, modules, libraries.`);
    if (rssOk && known(fragRatio, rss) && fragRatio < t.swapRatio && used - rss > t.fragBytesFloor)
      flag('swapping', `RSS ${formatBytes(rss)} is below used memory ${formatBytes(used)}: pages are probably swapped out.`);
    const normal = field(s, 'connected_clients') - (known(field(s, 'connected_slaves')) ? field(s, 'connected_slaves') : 0);
    const cmem = field(s, 'mem_clients_normal');
    if (known(normal, cmem) && normal > 0 && cmem / normal > t.clientBufferPerClientBytes)
      flag('big_client_buf', `Normal clients use ${formatBytes(Math.round(cmem / normal))} each on average (mem_clients_normal ${formatBytes(cmem)}).`);
    const smem = field(s, 'mem_clients_slaves');
    if (field(s, 'connected_slaves') > 0 && known(smem) && smem > t.replicaBufferBytes)
      flag('big_slave_buf', `Replica buffers hold ${formatBytes(smem)}.`);
    const scripts = field(s, 'number_of_cached_scripts');
    if (known(scripts) && scripts > t.cachedScripts) flag('many_scripts', `${scripts} Lua scripts are cached.`);
  }

  const has = (f: DoctorFlag): boolean => doctor.some((d) => d.flag === f);
  const verdict: FragmentationVerdict = tooSmall
    ? 'too-small-to-judge'
    : has('high_alloc_frag')
      ? 'fragmented'
      : has('high_frag') || has('high_alloc_rss') || has('high_proc_rss')
        ? 'rss-overhead'
        : 'healthy';

  const evidence: string[] = [];
  if (known(used, rss)) evidence.push(`used_memory ${formatBytes(used)}, used_memory_rss ${formatBytes(rss)}${known(fragRatio) ? ` (mem_fragmentation_ratio ${fragRatio.toFixed(2)}, ${formatBytes(fragBytes)})` : ''}.`);
  if (known(aFragR, aFragB)) evidence.push(`allocator_frag_ratio ${aFragR.toFixed(2)} (${formatBytes(aFragB)}; ${v74 ? 'unused small-bin slots, what defrag can recover' : 'active − allocated pages'}).`);
  if (known(aRssR, aRssB)) evidence.push(`allocator_rss_ratio ${aRssR.toFixed(2)} (${formatBytes(aRssB)} of pages the allocator keeps).`);
  if (known(oR, oB)) evidence.push(`rss_overhead_ratio ${oR.toFixed(2)} (${formatBytes(oB)} outside the allocator).`);
  if (!rssMeaningful(s)) evidence.push('Bundled engine: RSS is the whole Node.js process, so RSS-based checks are skipped.');
  for (const d of doctor) evidence.push(d.message);

  const defrag = defragOutlook(s, aFragB, aFragR);
  const advice: string[] = [];
  if (verdict === 'fragmented') {
    if (defrag.possible) {
      advice.push(
        defrag.enabled
          ? defrag.wouldStart === false
            ? `activedefrag is on but will not start: fragmentation ${defrag.fragPct?.toFixed(0)}% / ${formatBytes(aFragB)} is below active-defrag-threshold-lower ${defrag.thresholdLower}% or active-defrag-ignore-bytes ${defrag.ignoreBytes !== null ? formatBytes(defrag.ignoreBytes) : '?'}; lower them with CONFIG SET.`
            : 'activedefrag is on; follow active_defrag_running and active_defrag_hits in INFO.'
          : `CONFIG SET activedefrag yes: with active-defrag-threshold-lower ${defrag.thresholdLower ?? 10}% and active-defrag-ignore-bytes ${defrag.ignoreBytes !== null ? formatBytes(defrag.ignoreBytes) : '100mb'} it ${defrag.wouldStart === false ? 'would NOT start yet (lower those thresholds)' : `would start${defrag.expectedCpuPct !== null ? ` using about ${defrag.expectedCpuPct}% CPU (active-defrag-cycle-min/max)` : ''}`}.`,
      );
    } else {
      advice.push('Active defrag needs jemalloc; this allocator cannot defragment.');
    }
    advice.push('Alternatively restart with persistence (the RDB/AOF reload packs memory tightly), one replica at a time behind a failover.');
  }
  if (has('high_alloc_rss') || has('big_peak')) advice.push('MEMORY PURGE asks jemalloc to return freed pages to the OS now.');
  if (has('high_frag') && !has('high_alloc_frag') && !has('high_alloc_rss')) advice.push('RSS overhead without allocator fragmentation usually follows a peak; MEMORY PURGE, or a restart with persistence, returns it.');
  if (has('high_proc_rss')) advice.push('Memory outside the allocator: check used_memory_vm_eval (Lua) and loaded modules (MODULE LIST).');
  if (has('swapping')) advice.push('Stop the swapping: lower CONFIG SET maxmemory or give the host more RAM.');

  const { keys } = keyspaceTotals(s);
  const dataset = field(s, 'used_memory_dataset');
  const startup = field(s, 'used_memory_startup');
  const serverBpk = s.memoryStats && typeof s.memoryStats['keys.bytes-per-key'] === 'number' ? s.memoryStats['keys.bytes-per-key'] : null;

  return {
    version,
    usedBytes: orNull(used),
    rssBytes: orNull(rss),
    peakBytes: orNull(peak),
    datasetBytes: orNull(dataset),
    overheadBytes: orNull(field(s, 'used_memory_overhead')),
    startupBytes: orNull(startup),
    maxmemoryBytes: orNull(field(s, 'maxmemory')),
    systemBytes: orNull(field(s, 'total_system_memory')),
    peakRatio: known(peak, used) && used > 0 ? peak / used : null,
    fragmentation: { ratio: orNull(fragRatio), bytes: orNull(fragBytes), verdict, evidence },
    allocator: {
      name: text(s, 'mem_allocator') ?? null,
      allocatedBytes: orNull(field(s, 'allocator_allocated')),
      activeBytes: orNull(field(s, 'allocator_active')),
      residentBytes: orNull(field(s, 'allocator_resident')),
      fragRatio: orNull(aFragR),
      fragBytes: orNull(aFragB),
      fragMeaning: v74 ? 'small-bin-slack (7.4+)' : 'active-minus-allocated (up to 7.2)',
      rssRatio: orNull(aRssR),
      rssBytes: orNull(aRssB),
      rssOverheadRatio: orNull(oR),
      rssOverheadBytes: orNull(oB),
    },
    doctor,
    defrag,
    advice,
    breakdown: breakdown(s),
    keys: {
      count: keys,
      datasetBytesPerKey: keys > 0 && known(dataset) ? dataset / keys : null,
      usedBytesPerKey: keys > 0 && known(used, startup) ? (used - startup) / keys : null,
      serverBytesPerKey: serverBpk,
      serverMeaning: v74 ? 'dataset / keys (7.4+)' : '(used - startup) / keys (up to 7.2)',
    },
  };
}
