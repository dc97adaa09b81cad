// The shapes the memory model accepts and returns. A value is described either by its content
// (exact: integer detection, listpack entry sizes and deduplication follow the bytes) or by a
// summary with lengths only, which is exact when every element is a non-integer string of the
// stated length (the usual case for generated or sampled data).

import type { Bytes } from './bytes.js';
import type { StreamEntry, StreamGroupDescription, StreamIdLike, StreamNodeLimits } from './streams.js';

export type Encoding = 'int' | 'embstr' | 'raw' | 'quicklist' | 'listpack' | 'hashtable' | 'intset' | 'skiplist' | 'stream';

/** One value. */
export type ValueDescription =
  | {
      type: 'string';
      value: Bytes;
      /** The value's final bytes came from APPENDs of these lengths, in order (`value` includes them). */
      appended?: number[];
    }
  | { type: 'string'; length: number }
  | {
      type: 'list';
      elements: Bytes[];
      /** 'tail' (RPUSH, the default) or 'head' (LPUSH): which end the list was built from. */
      pushedTo?: 'tail' | 'head';
    }
  | { type: 'list'; count: number; elementLength: number }
  | { type: 'hash'; fields: Array<[Bytes, Bytes]> }
  | { type: 'hash'; count: number; fieldLength: number; valueLength: number }
  | { type: 'set'; members: Bytes[] }
  | { type: 'set'; count: number; memberLength: number }
  /** A set of integers, all fitting `intWidth` bytes (2: int16, 4: int32, 8: int64). */
  | { type: 'set'; count: number; intWidth: 2 | 4 | 8 }
  | { type: 'zset'; members: Array<[Bytes, number]> }
  /** `score` is one representative score (its listpack form is used for every member). */
  | { type: 'zset'; count: number; memberLength: number; score?: number }
  /**
   * A stream by its entries, in ID order, as XADD wrote them (listpack nodes are replayed with the
   * node limits, stream-node-max-bytes 4096 / -entries 100 by default); `deleted` are IDs removed
   * afterwards by XDEL or XTRIM. Exact for streams built by XADD then trimmed or deleted from.
   */
  | {
      type: 'stream';
      entries: StreamEntry[];
      deleted?: StreamIdLike[];
      groups?: StreamGroupDescription[];
      limits?: Partial<StreamNodeLimits>;
    }
  /**
   * A stream by its stored listpack nodes (what an RDB holds: each node's master ID and byte size,
   * in ID order). The rax node count follows from the master IDs (exact) unless `raxNodes` is given.
   * Consumer groups with pending IDs are exact; with only `pelSize` counts they are estimated.
   */
  | {
      type: 'stream';
      /** `entries` / `deleted` (the master entry's counters) only refine the PEL estimate. */
      nodes: Array<{ masterId: StreamIdLike; listpackBytes: number; entries?: number; deleted?: number }>;
      raxNodes?: number;
      groups?: StreamGroupDescription[];
      limits?: Partial<StreamNodeLimits>;
    };

/** What one value costs, without its key and keyspace entry. */
export interface ValueCost {
  encoding: Encoding;
  /** What objectComputeSize() reports (MEMORY USAGE SAMPLES 0, minus key sds and dictEntry). */
  usage: number;
  /** Bytes really allocated (size classes, shared objects free, real dictEntry allocations). */
  allocated: number;
}

/** How the value came to be, which decides spare capacity and hash-table history. */
export type Origin = 'write' | 'load';
