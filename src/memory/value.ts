// One entry point per question about a single value: which encoding Redis picks for it and what
// it costs. It turns a ValueDescription (content or summary) into the per-type shape and hands it
// to the type's file (strings.ts, lists.ts, hashes.ts, sets.ts, zsets.ts, streams.ts), so callers never need
// to know which fields a type looks at.

import { hashCost, hashEncoding, hashShape, hashSummaryShape, uniqueFields } from './hashes.js';
import { listCost, listSummaryCost } from './lists.js';
import { DEFAULT_THRESHOLDS, REDIS_7_0, type MemoryParams, type Thresholds } from './params.js';
import { intSetSummaryShape, setCost, setEncoding, setShape, setSummaryShape, uniqueMembers } from './sets.js';
import { streamCost, streamEntriesShape, streamNodesShape } from './streams.js';
import { stringAfterAppends, stringLengthCost, stringValueCost } from './strings.js';
import type { Encoding, Origin, ValueCost, ValueDescription } from './types.js';
import { uniqueScored, zsetCost, zsetEncoding, zsetShape, zsetSummaryShape } from './zsets.js';

export interface ModelOptions {
  /** Version record; REDIS_7_0 (Debian 7.0.15, jemalloc 5.3.0) by default. */
  params?: MemoryParams;
  /** Encoding thresholds as configured on the server (defaults otherwise). */
  thresholds?: Partial<Thresholds>;
  /** 'write' (built by commands, the default) or 'load' (RDB load, RESTORE, DEBUG RELOAD). */
  origin?: Origin;
  /** False when maxmemory is set with an LRU/LFU policy: integers 0..9999 are then not shared. */
  sharedIntegers?: boolean;
  /** Cluster mode: 7.0-7.2 keyspace entries carry slot-to-keys links. */
  cluster?: boolean;
}

export interface Resolved {
  p: MemoryParams;
  t: Thresholds;
  origin: Origin;
  sharedIntegers: boolean;
  cluster: boolean;
}

export function resolve(opts: ModelOptions = {}): Resolved {
  return {
    p: opts.params ?? REDIS_7_0,
    t: { ...DEFAULT_THRESHOLDS, ...opts.thresholds },
    origin: opts.origin ?? 'write',
    sharedIntegers: opts.sharedIntegers ?? true,
    cluster: opts.cluster ?? false,
  };
}

/** The encoding Redis gives this value (OBJECT ENCODING), given the thresholds. */
export function encodingFor(
  desc: ValueDescription,
  thresholds: Partial<Thresholds> = {},
  params: MemoryParams = REDIS_7_0,
  origin: Origin = 'write',
): Encoding {
  const t = { ...DEFAULT_THRESHOLDS, ...thresholds };
  const p = params;
  switch (desc.type) {
    case 'string':
      if ('length' in desc) return desc.length <= p.embstrMaxLength ? 'embstr' : 'raw';
      // An APPENDed string is RAW; reloaded, it is encoded like any other string.
      return valueCost(desc, { params: p, thresholds: t, origin }).encoding;
    case 'list':
      return listValueCost(desc, t, p).encoding;
    case 'hash':
      return hashEncoding('fields' in desc ? hashShape(uniqueFields(desc.fields), t, p) : hashSummaryShape(desc.count, desc.fieldLength, desc.valueLength, t, p), t);
    case 'set':
      return setEncoding(setShapeOf(desc, p), t, p);
    case 'zset':
      return zsetEncoding('members' in desc ? zsetShape(uniqueScored(desc.members), t, p) : zsetSummaryShape(desc.count, desc.memberLength, desc.score ?? 1, t, p), t);
    case 'stream':
      return 'stream';
  }
}

function listValueCost(desc: Extract<ValueDescription, { type: 'list' }>, t: Thresholds, p: MemoryParams): ValueCost {
  return 'elements' in desc
    ? listCost(desc.elements, t.listMaxListpackSize, p, desc.pushedTo)
    : listSummaryCost(desc.count, desc.elementLength, t.listMaxListpackSize, p);
}

function setShapeOf(desc: Extract<ValueDescription, { type: 'set' }>, p: MemoryParams) {
  if ('members' in desc) return setShape(uniqueMembers(desc.members), p);
  if ('intWidth' in desc) return intSetSummaryShape(desc.count, desc.intWidth, p);
  return setSummaryShape(desc.count, desc.memberLength, p);
}

/** What the value costs (MEMORY USAGE's view and the real allocations), key and entry excluded. */
export function valueCost(desc: ValueDescription, opts: ModelOptions = {}): ValueCost {
  const { p, t, origin, sharedIntegers } = resolve(opts);
  switch (desc.type) {
    case 'string':
      if ('length' in desc) return stringLengthCost(desc.length, p, origin);
      if (desc.appended && desc.appended.length > 0) return stringAfterAppends(desc.value, desc.appended, p, { origin, sharedIntegers });
      return stringValueCost(desc.value, p, { origin, sharedIntegers });
    case 'list':
      return listValueCost(desc, t, p);
    case 'hash': {
      const shape = 'fields' in desc ? hashShape(uniqueFields(desc.fields), t, p) : hashSummaryShape(desc.count, desc.fieldLength, desc.valueLength, t, p);
      return hashCost(shape, t, p, origin);
    }
    case 'set':
      return setCost(setShapeOf(desc, p), t, p, origin);
    case 'zset': {
      const shape = 'members' in desc ? zsetShape(uniqueScored(desc.members), t, p) : zsetSummaryShape(desc.count, desc.memberLength, desc.score ?? 1, t, p);
      return zsetCost(shape, t, p, origin);
    }
    case 'stream': {
      const groups = desc.groups ?? [];
      const limits = desc.limits ?? {};
      const shape =
        'entries' in desc
          ? streamEntriesShape(desc.entries, desc.deleted, groups, limits, p, origin)
          : streamNodesShape(desc.nodes, desc.raxNodes, groups, limits, p, origin);
      return streamCost(shape, p);
    }
  }
}
