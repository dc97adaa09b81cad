// The Redis memory model: what a key and a dataset cost on Redis 7.0, as MEMORY USAGE and INFO
// memory report it. Pure arithmetic over value descriptions (no I/O, no server), shared by the
// engine (MEMORY USAGE), the RDB/AOF reports and the capacity analyses.
//
// Public API
//
//   type ValueDescription =                                       (types.ts)
//       { type: 'string', value: Bytes, appended?: number[] }     exact; Bytes = Uint8Array | latin1 string
//     | { type: 'string', length }                                non-integer bytes of that length
//     | { type: 'list', elements: Bytes[], pushedTo?: 'tail' | 'head' } | { type: 'list', count, elementLength }
//     | { type: 'hash', fields: [Bytes, Bytes][] }                | { type: 'hash', count, fieldLength, valueLength }
//     | { type: 'set', members: Bytes[] }                         | { type: 'set', count, memberLength } | { type: 'set', count, intWidth }
//     | { type: 'zset', members: [Bytes, number][] }              | { type: 'zset', count, memberLength, score? }
//     | { type: 'stream', entries: { id, fields }[], deleted?: id[], groups?, limits? }   built by XADD (replayed)
//     | { type: 'stream', nodes: { masterId, listpackBytes }[], raxNodes?, groups?, limits? }   as stored (RDB)
//       groups: { name, pending?: id[], pelSize?, raxNodes?, consumers: { name, pending?: id[], pelSize?, raxNodes? }[] }[]
//       limits: { nodeMaxBytes (stream-node-max-bytes 4096), nodeMaxEntries (stream-node-max-entries 100) }
//   Summary forms are exact when every element is a non-integer string of the stated length.
//
//   encodingFor(desc, thresholds?, params?, origin?) -> 'int' | 'embstr' | 'raw' | 'quicklist' | 'listpack' | 'hashtable' | 'intset' | 'skiplist' | 'stream'
//   valueCost(desc, opts?)                   -> { encoding, usage, allocated } for the value alone
//   keyMemoryUsage(key, desc, opts?)         -> bytes MEMORY USAGE key SAMPLES 0 returns
//   keyAllocation(key, desc, { ttl }?)       -> bytes the key really allocates (buckets excluded)
//   datasetTotals(entries, opts?) / new DatasetModel(opts).add(key, desc, { ttl, db }).totals()
//                                            -> keys, per-db overhead as INFO computes it, dataset
//                                               (what used_memory_dataset grows by), projected
//                                               used_memory_dataset and used_memory
//   opts: { params?: MemoryParams (REDIS_7_0 default), thresholds?: Partial<Thresholds>,
//           origin?: 'write' | 'load', sharedIntegers?: boolean, cluster?: boolean }
//
// Accuracy (test/memory/model.test.ts against Debian redis-server 7.0.15, jemalloc 5.3.0): exact
// for strings, lists, listpack hashes and zsets, intsets; hashtable hashes and sets exact except
// when a value ends right where an incremental rehash may or may not have finished (the model
// takes the likelier side); skiplist zsets use the expected size of a node over the random level
// distribution (p = 0.25), so single keys are off by a fraction of a percent.
// Streams (test/memory/streams.test.ts, 80 streams of 1..10000 entries, XDEL/XTRIM, node limits,
// up to 4 groups with pending entries): exact for both forms, written and after DEBUG RELOAD,
// when the PEL IDs are given (the rax node counts come from a replay of rax.c). Two estimates
// remain: the nodes form with origin 'write' assumes the last node still has XADD's 4096-byte
// preallocation (off by up to one size class when deletions removed the last-written node), and
// groups known only by PEL sizes estimate their rax nodes from the stream's ID density (median
// ~11%, p95 ~64% on the test's deliberately irregular IDs). Real allocations (keyAllocation,
// DatasetModel) come within ~1% of used_memory growth.
//
// Versions: params.ts holds one record per version (REDIS_7_0 verified; REDIS_7_2, REDIS_7_4,
// VALKEY_8_0 with their documented differences, unverified) and paramsForVersion("7.2.4").

export type { Bytes } from './bytes.js';
export { strictInt64 } from './bytes.js';
export type { Encoding, Origin, ValueCost, ValueDescription } from './types.js';
export { sizeClass, smallClasses, type LgQuantum } from './jemalloc.js';
export { sdsBytes, sdsReqType, sdsHeaderSize } from './sds.js';
export { entrySize as listpackEntrySize } from './listpack.js';
export { expectedNodeBytes, levelProbabilities } from './zsets.js';
export {
  DEFAULT_STREAM_NODE_LIMITS,
  Rax,
  STREAM_STRUCTS,
  buildStreamNodes,
  estimatedIdRaxNodes,
  parseStreamId,
  raxNodeCount,
  raxUsage,
  streamIdKey,
  streamIdRaxNodes,
  type StreamConsumerDescription,
  type StreamEntry,
  type StreamGroupDescription,
  type StreamIdLike,
  type StreamNode,
  type StreamNodeLimits,
} from './streams.js';
export {
  DEFAULT_THRESHOLDS,
  PARAMS_BY_VERSION,
  REDIS_7_0,
  REDIS_7_0_BUNDLED_JEMALLOC,
  REDIS_7_2,
  REDIS_7_4,
  VALKEY_8_0,
  paramsForVersion,
  thresholdsFromConfig,
  type MemoryParams,
  type Thresholds,
} from './params.js';
export { encodingFor, valueCost, type ModelOptions } from './value.js';
export {
  DatasetModel,
  datasetTotals,
  keyAllocation,
  keyMemoryUsage,
  type DatasetOptions,
  type DatasetTotals,
  type DbTotals,
} from './keyspace.js';
