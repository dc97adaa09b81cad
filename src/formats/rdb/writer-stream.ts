// Streams as RDB_TYPE_STREAM_LISTPACKS_2 (19) stores them: the listpack nodes keyed by their
// 16-byte big-endian master ID, the stream's counters, then each consumer group with its global
// PEL (raw ID, delivery time, delivery count) and its consumers (name, seen time, own PEL IDs).
// The node listpacks are rebuilt here entry by entry in Redis's layout (master entry, then
// flags / ID deltas / fields / back-count per entry, deleted entries kept as tombstones), so the
// caller hands over its nodes as they are and Redis sees the same node boundaries after loading.

import { ListpackBuilder } from './writer-packed.js';

export interface StreamIdOut {
  ms: bigint;
  seq: bigint;
}

export interface StreamEntryOut {
  id: StreamIdOut;
  /** field, value, field, value... */
  fields: readonly string[];
  deleted: boolean;
}

export interface StreamNodeOut {
  master: StreamIdOut;
  masterFields: readonly string[];
  /** The master entry's counters (valid and deleted entries of the node). */
  valid: number;
  deleted: number;
  entries: readonly StreamEntryOut[];
}

export interface StreamGroupOut {
  name: string;
  lastId: StreamIdOut;
  /** -1 when unknown (stored as 2^64-1). */
  entriesRead: bigint;
  pel: Array<{ id: StreamIdOut; deliveryTime: number; deliveryCount: number }>;
  consumers: Array<{ name: string; seenTime: number; pel: StreamIdOut[] }>;
}

export interface StreamOut {
  nodes: readonly StreamNodeOut[];
  length: number;
  lastId: StreamIdOut;
  firstId: StreamIdOut;
  maxDeletedId: StreamIdOut;
  entriesAdded: bigint;
  groups: readonly StreamGroupOut[];
}

const U64 = (1n << 64n) - 1n;
const FLAG_DELETED = 1;
const FLAG_SAMEFIELDS = 2;

/** uint64 a - b read as int64: the ID deltas the entries store. */
function delta(a: bigint, b: bigint): bigint {
  const d = (a - b) & U64;
  return d >= 1n << 63n ? d - (1n << 64n) : d;
}

/** The 16-byte node key: ms and seq as big-endian u64. */
export function streamIdBytes(id: StreamIdOut): Uint8Array {
  const out = new Uint8Array(16);
  const dv = new DataView(out.buffer);
  dv.setBigUint64(0, id.ms & U64, false);
  dv.setBigUint64(8, id.seq & U64, false);
  return out;
}

/** A stream node's listpack, laid out as streamAppendItem builds it. */
export function streamNodeListpack(node: StreamNodeOut): Uint8Array {
  const lp = new ListpackBuilder();
  const mf = node.masterFields;
  lp.addInt(node.valid).addInt(node.deleted).addInt(mf.length);
  for (const f of mf) lp.add(f);
  lp.addInt(0);
  for (const e of node.entries) {
    const n = e.fields.length / 2;
    let same = n === mf.length;
    for (let i = 0; same && i < n; i++) if (e.fields[i * 2] !== mf[i]) same = false;
    lp.addInt((e.deleted ? FLAG_DELETED : 0) | (same ? FLAG_SAMEFIELDS : 0));
    lp.addInt(delta(e.id.ms, node.master.ms)).addInt(delta(e.id.seq, node.master.seq));
    if (same) {
      for (let i = 1; i < e.fields.length; i += 2) lp.add(e.fields[i]!);
    } else {
      lp.addInt(n);
      for (const x of e.fields) lp.add(x);
    }
    lp.addInt(n + 3 + (same ? 0 : n + 1));
  }
  return lp.finish();
}
