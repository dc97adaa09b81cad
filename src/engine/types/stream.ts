// The stream value (t_stream.c's data model). Entries live in nodes that mirror Redis's listpack
// nodes: a node opens at its "master" ID, takes entries until stream-node-max-entries (valid plus
// deleted) or stream-node-max-bytes is reached, and keeps deleted entries as flagged tombstones
// until its last valid entry goes. Keeping Redis's node boundaries (with the listpack byte count
// replayed from the same entry sizes) is what makes approximate trimming (`~`, whole nodes only)
// and XINFO's radix-tree figures come out exactly as on Redis. IDs only grow on append, so a node
// is an append-only array searched by binary search; the rare node that XSETID made unordered is
// scanned linearly, like Redis's own listpack walk.
//
// Consumer groups: a group has its last delivered ID, its read counter (entries_read, -1 when
// unknown) and a PEL ordered by ID; each consumer has its own ordered PEL sharing the NACKs.

import { entrySize, intEntrySize, LISTPACK_EMPTY_BYTES } from '../../memory/listpack.js';
import { Rax, streamIdKey, STREAM_STRUCTS } from '../../memory/streams.js';
import type { ValueDescription } from '../../memory/types.js';

export interface StreamID {
  ms: bigint;
  seq: bigint;
}

export const U64_MAX = (1n << 64n) - 1n;
export const MIN_ID: StreamID = { ms: 0n, seq: 0n };
export const MAX_ID: StreamID = { ms: U64_MAX, seq: U64_MAX };

export function cmpId(a: StreamID, b: StreamID): number {
  if (a.ms !== b.ms) return a.ms < b.ms ? -1 : 1;
  return a.seq === b.seq ? 0 : a.seq < b.seq ? -1 : 1;
}

export function idStr(id: StreamID): string {
  return `${id.ms}-${id.seq}`;
}

export const isZeroId = (id: StreamID): boolean => id.ms === 0n && id.seq === 0n;

/** streamIncrID: the successor, or null when `id` is the last possible ID. */
export function incrId(id: StreamID): StreamID | null {
  if (id.seq === U64_MAX) return id.ms === U64_MAX ? null : { ms: id.ms + 1n, seq: 0n };
  return { ms: id.ms, seq: id.seq + 1n };
}

/** streamDecrID: the predecessor, or null when `id` is 0-0. */
export function decrId(id: StreamID): StreamID | null {
  if (id.seq === 0n) return id.ms === 0n ? null : { ms: id.ms - 1n, seq: U64_MAX };
  return { ms: id.ms, seq: id.seq - 1n };
}

export interface StreamEntry {
  id: StreamID;
  /** field, value, field, value... */
  fields: string[];
  deleted: boolean;
}

export interface StreamNode {
  master: StreamID;
  masterFields: string[];
  entries: StreamEntry[];
  /** The master entry's counters: valid and deleted entries. */
  valid: number;
  deleted: number;
  /** Listpack bytes other than the two counters. */
  rest: number;
  /** False once an append went below an earlier (deleted) entry of the node (XSETID edge case). */
  ordered: boolean;
}

/** lpBytes() of a node's listpack. */
export function nodeBytes(n: StreamNode): number {
  return n.rest + intEntrySize(BigInt(n.valid)) + intEntrySize(BigInt(n.deleted));
}

/** uint64 a - b read as int64 (the ID deltas streamAppendItem stores). */
function delta(a: bigint, b: bigint): bigint {
  const d = (a - b) & U64_MAX;
  return d >= 1n << 63n ? d - (1n << 64n) : d;
}

// ---------------------------------------------------------------- ID-ordered maps (PELs)

/** A map ordered by stream ID (a PEL rax): binary-searched arrays plus a hash for lookups. */
export class IdMap<V> {
  readonly ids: StreamID[] = [];
  readonly vals: V[] = [];
  private readonly byKey = new Map<string, V>();

  get size(): number {
    return this.ids.length;
  }

  get(id: StreamID): V | undefined {
    return this.byKey.get(idStr(id));
  }

  /** Index of the first ID >= id. */
  seek(id: StreamID): number {
    let lo = 0;
    let hi = this.ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cmpId(this.ids[mid]!, id) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Inserts; false (and no change) when the ID is present. */
  insert(id: StreamID, v: V): boolean {
    const k = idStr(id);
    if (this.byKey.has(k)) return false;
    this.byKey.set(k, v);
    const n = this.ids.length;
    if (n === 0 || cmpId(this.ids[n - 1]!, id) < 0) {
      this.ids.push(id);
      this.vals.push(v);
      return true;
    }
    const at = this.seek(id);
    this.ids.splice(at, 0, id);
    this.vals.splice(at, 0, v);
    return true;
  }

  remove(id: StreamID): boolean {
    const k = idStr(id);
    if (!this.byKey.delete(k)) return false;
    const at = this.seek(id);
    this.ids.splice(at, 1);
    this.vals.splice(at, 1);
    return true;
  }
}

// ---------------------------------------------------------------- consumer groups

export interface Nack {
  deliveryTime: number;
  deliveryCount: number;
  consumer: Consumer | null;
}

export class Consumer {
  readonly pel = new IdMap<Nack>();
  constructor(
    readonly name: string,
    public seenTime: number,
  ) {}
}

export class ConsumerGroup {
  readonly pel = new IdMap<Nack>();
  readonly consumers = new Map<string, Consumer>();
  constructor(
    public lastId: StreamID,
    /** -1: unknown (SCG_INVALID_ENTRIES_READ). */
    public entriesRead: bigint,
  ) {}

  /** Consumers in rax (byte) order. */
  sortedConsumers(): Consumer[] {
    return [...this.consumers.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** streamDelConsumer: drops the consumer and its pending entries from the group PEL. */
  deleteConsumer(c: Consumer): void {
    for (const id of c.pel.ids) this.pel.remove(id);
    this.consumers.delete(c.name);
  }
}

// ---------------------------------------------------------------- trimming

export interface TrimArgs {
  strategy: 'maxlen' | 'minid';
  maxlen: bigint;
  minid: StreamID;
  approx: boolean;
  /** 0: no limit. */
  limit: bigint;
}

export interface NodeLimits {
  maxBytes: number;
  maxEntries: number;
}

/** STREAM_LISTPACK_MAX_SIZE */
const LISTPACK_MAX_SIZE = STREAM_STRUCTS.listpackMaxSize;

// ---------------------------------------------------------------- the stream

export class Stream {
  /** Nodes in master-ID order (the stream rax). */
  nodes: StreamNode[] = [];
  length = 0;
  lastId: StreamID = MIN_ID;
  firstId: StreamID = MIN_ID;
  maxDeletedId: StreamID = MIN_ID;
  entriesAdded = 0n;
  /** name -> group; null until the first group (s->cgroups). */
  groups: Map<string, ConsumerGroup> | null = null;
  /** Shape-only replay of the stream rax (XINFO radix-tree-nodes, MEMORY USAGE). */
  rax = new Rax();

  /** Element count, for callers that size any container. */
  get size(): number {
    return this.length;
  }

  // --- nodes ---------------------------------------------------------------------------------

  private insertNode(n: StreamNode): void {
    const nodes = this.nodes;
    if (nodes.length === 0 || cmpId(nodes[nodes.length - 1]!.master, n.master) < 0) nodes.push(n);
    else nodes.splice(this.nodeAtOrBefore(n.master) + 1, 0, n);
    this.rax.insert(streamIdKey(n.master));
  }

  private removeNodeAt(i: number): void {
    const [n] = this.nodes.splice(i, 1);
    this.rax.remove(streamIdKey(n!.master));
  }

  /** Index of the last node whose master ID is <= id, or -1. */
  nodeAtOrBefore(id: StreamID): number {
    let lo = 0;
    let hi = this.nodes.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (cmpId(this.nodes[mid]!.master, id) <= 0) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  // --- append --------------------------------------------------------------------------------

  /**
   * streamAppendItem after the ID was decided: `id` > lastId, fields as [f, v, ...]. Opens a new
   * node when the tail is full by entries or bytes.
   */
  append(id: StreamID, fields: string[], limits: NodeLimits): void {
    let totLen = 0;
    for (const f of fields) totLen += f.length;
    let tail = this.nodes.length > 0 ? this.nodes[this.nodes.length - 1]! : undefined;
    if (tail) {
      let maxBytes = limits.maxBytes;
      if (maxBytes === 0 || maxBytes > LISTPACK_MAX_SIZE) maxBytes = LISTPACK_MAX_SIZE;
      if (nodeBytes(tail) + totLen >= maxBytes) tail = undefined;
      else if (limits.maxEntries && tail.valid + tail.deleted >= limits.maxEntries) tail = undefined;
    }
    const numFields = fields.length / 2;
    let same: boolean;
    if (!tail) {
      const masterFields: string[] = [];
      for (let i = 0; i < fields.length; i += 2) masterFields.push(fields[i]!);
      let rest = LISTPACK_EMPTY_BYTES + intEntrySize(BigInt(numFields)) + intEntrySize(0n);
      for (const f of masterFields) rest += entrySize(f);
      tail = { master: id, masterFields, entries: [], valid: 0, deleted: 0, rest, ordered: true };
      this.insertNode(tail);
      same = true;
    } else {
      same = numFields === tail.masterFields.length;
      for (let i = 0; same && i < numFields; i++) if (fields[i * 2] !== tail.masterFields[i]) same = false;
    }
    let add = intEntrySize(same ? 2n : 0n) + intEntrySize(delta(id.ms, tail.master.ms)) + intEntrySize(delta(id.seq, tail.master.seq));
    if (!same) add += intEntrySize(BigInt(numFields));
    for (let i = 0; i < fields.length; i++) if (!same || i % 2 === 1) add += entrySize(fields[i]!);
    add += intEntrySize(BigInt(numFields + 3 + (same ? 0 : numFields + 1)));
    tail.rest += add;
    const last = tail.entries[tail.entries.length - 1];
    if (last && cmpId(last.id, id) >= 0) tail.ordered = false;
    tail.entries.push({ id, fields, deleted: false });
    tail.valid++;
    this.length++;
    this.entriesAdded++;
    this.lastId = id;
    if (this.length === 1) this.firstId = id;
  }

  // --- iteration -----------------------------------------------------------------------------

  /**
   * streamIteratorStart/GetID: the valid entries with start <= ID <= end, in node order (ID order
   * unless XSETID disordered a node), forwards or backwards. Stops at the first valid entry past
   * the far bound, as Redis's iterator does.
   */
  *range(start: StreamID, end: StreamID, rev = false): Generator<StreamEntry> {
    const nodes = this.nodes;
    if (nodes.length === 0) return;
    if (!rev) {
      let ni = isZeroId(start) ? 0 : this.nodeAtOrBefore(start);
      if (ni < 0) ni = 0;
      for (; ni < nodes.length; ni++) {
        const node = nodes[ni]!;
        const es = node.entries;
        let i = node.ordered ? lowerBound(es, start) : 0;
        for (; i < es.length; i++) {
          const e = es[i]!;
          if (e.deleted || cmpId(e.id, start) < 0) continue;
          if (cmpId(e.id, end) > 0) return;
          yield e;
        }
      }
    } else {
      let ni = isZeroId(end) ? nodes.length - 1 : this.nodeAtOrBefore(end);
      if (ni < 0) ni = nodes.length - 1;
      for (; ni >= 0; ni--) {
        const node = nodes[ni]!;
        const es = node.entries;
        let i = node.ordered ? upperBound(es, end) - 1 : es.length - 1;
        for (; i >= 0; i--) {
          const e = es[i]!;
          if (e.deleted || cmpId(e.id, end) > 0) continue;
          if (cmpId(e.id, start) < 0) return;
          yield e;
        }
      }
    }
  }

  /** The first entry of range(id, id): the entry when it exists and is not deleted. */
  find(id: StreamID): StreamEntry | undefined {
    for (const e of this.range(id, id)) return e;
    return undefined;
  }

  /** streamLastValidID */
  lastValidId(): StreamID | undefined {
    for (const e of this.range(MIN_ID, MAX_ID, true)) return e.id;
    return undefined;
  }

  /** streamGetEdgeID(first, skip_tombstones): an edge entry's ID, tombstones included when asked. */
  edgeId(first: boolean, skipTombstones: boolean): StreamID {
    if (skipTombstones) {
      for (const e of this.range(MIN_ID, MAX_ID, !first)) return e.id;
    } else if (this.nodes.length > 0) {
      const n = first ? this.nodes[0]! : this.nodes[this.nodes.length - 1]!;
      const e = first ? n.entries[0] : n.entries[n.entries.length - 1];
      if (e) return e.id;
    }
    return first ? MAX_ID : MIN_ID;
  }

  // --- deletion ------------------------------------------------------------------------------

  /** streamDeleteItem: flags the entry deleted; a node losing its last valid entry is dropped. */
  delete(id: StreamID): boolean {
    const nodes = this.nodes;
    let ni = isZeroId(id) ? 0 : this.nodeAtOrBefore(id);
    if (ni < 0) ni = 0;
    for (; ni < nodes.length; ni++) {
      const node = nodes[ni]!;
      const es = node.entries;
      for (let i = node.ordered ? lowerBound(es, id) : 0; i < es.length; i++) {
        const e = es[i]!;
        if (e.deleted) continue;
        const c = cmpId(e.id, id);
        if (c < 0) continue;
        if (c > 0) return false;
        e.deleted = true;
        if (node.valid === 1) this.removeNodeAt(ni);
        else {
          node.valid--;
          node.deleted++;
        }
        this.length--;
        return true;
      }
    }
    return false;
  }

  /** streamTrim: removes entries from the head; returns how many. */
  trim(args: TrimArgs): number {
    let deleted = 0;
    const maxlen = args.maxlen;
    const limit = args.limit;
    while (this.nodes.length > 0) {
      if (args.strategy === 'maxlen' && BigInt(this.length) <= maxlen) break;
      const node = this.nodes[0]!;
      const entries = node.valid;
      if (limit && BigInt(deleted + entries) > limit) break;
      let removeNode: boolean;
      if (args.strategy === 'maxlen') removeNode = BigInt(this.length - entries) >= maxlen;
      else {
        const last = node.entries[node.entries.length - 1]!;
        removeNode = cmpId(last.id, args.minid) < 0;
      }
      if (removeNode) {
        this.removeNodeAt(0);
        this.length -= entries;
        deleted += entries;
        continue;
      }
      if (args.approx) break;
      let fromNode = 0;
      for (const e of node.entries) {
        const stop = args.strategy === 'maxlen' ? BigInt(this.length) <= maxlen : cmpId(e.id, args.minid) >= 0;
        if (stop) break;
        if (!e.deleted) {
          e.deleted = true;
          fromNode++;
          this.length--;
        }
      }
      deleted += fromNode;
      node.valid -= fromNode;
      node.deleted += fromNode;
      break;
    }
    if (this.length === 0) this.firstId = MIN_ID;
    else if (deleted) this.firstId = this.edgeId(true, true);
    return deleted;
  }

  // --- groups --------------------------------------------------------------------------------

  group(name: string): ConsumerGroup | undefined {
    return this.groups?.get(name);
  }

  /** Groups in rax (byte) order. */
  sortedGroups(): Array<[string, ConsumerGroup]> {
    if (!this.groups) return [];
    return [...this.groups.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }

  /** streamRangeHasTombstones (start defaults to 0-0, end to the maximum). */
  rangeHasTombstones(start: StreamID | null, end: StreamID | null): boolean {
    if (this.length === 0 || isZeroId(this.maxDeletedId)) return false;
    if (cmpId(this.firstId, this.maxDeletedId) > 0) return false;
    const s = start ?? MIN_ID;
    const e = end ?? MAX_ID;
    return cmpId(s, this.maxDeletedId) <= 0 && cmpId(this.maxDeletedId, e) <= 0;
  }

  /** streamEstimateDistanceFromFirstEverEntry: -1 when unknown. */
  estimateDistance(id: StreamID): bigint {
    if (this.entriesAdded === 0n) return 0n;
    if (this.length === 0 && cmpId(id, this.lastId) < 1) return this.entriesAdded;
    const cmpLast = cmpId(id, this.lastId);
    if (cmpLast === 0) return this.entriesAdded;
    if (cmpLast > 0) return -1n;
    const cmpFirst = cmpId(id, this.firstId);
    if (isZeroId(this.maxDeletedId) || cmpId(this.maxDeletedId, this.firstId) < 0) {
      if (cmpFirst < 0) return this.entriesAdded - BigInt(this.length);
      if (cmpFirst === 0) return this.entriesAdded - BigInt(this.length) + 1n;
    }
    return -1n;
  }

  /** streamReplyWithCGLag's value: null when it cannot be known. */
  lag(g: ConsumerGroup): bigint | null {
    if (this.entriesAdded === 0n) return 0n;
    if (g.entriesRead !== -1n && !this.rangeHasTombstones(g.lastId, null)) return this.entriesAdded - g.entriesRead;
    const read = this.estimateDistance(g.lastId);
    return read === -1n ? null : this.entriesAdded - read;
  }

  // --- copy and memory -----------------------------------------------------------------------

  /** streamDup: the nodes as they are (a fresh rax built in order), groups, PELs and consumers. */
  clone(): Stream {
    const s = new Stream();
    for (const n of this.nodes) {
      s.nodes.push({ ...n, masterFields: n.masterFields, entries: n.entries.map((e) => ({ ...e })) });
      s.rax.insert(streamIdKey(n.master));
    }
    s.length = this.length;
    s.lastId = this.lastId;
    s.firstId = this.firstId;
    s.maxDeletedId = this.maxDeletedId;
    s.entriesAdded = this.entriesAdded;
    if (this.groups) {
      s.groups = new Map();
      for (const [name, g] of this.sortedGroups()) {
        const ng = new ConsumerGroup(g.lastId, g.entriesRead);
        const nacks = new Map<Nack, Nack>();
        for (let i = 0; i < g.pel.size; i++) {
          const old = g.pel.vals[i]!;
          const nn: Nack = { deliveryTime: old.deliveryTime, deliveryCount: old.deliveryCount, consumer: null };
          nacks.set(old, nn);
          ng.pel.insert(g.pel.ids[i]!, nn);
        }
        for (const c of g.sortedConsumers()) {
          const nc = new Consumer(c.name, c.seenTime);
          for (let i = 0; i < c.pel.size; i++) {
            const nn = nacks.get(c.pel.vals[i]!)!;
            nn.consumer = nc;
            nc.pel.insert(c.pel.ids[i]!, nn);
          }
          ng.consumers.set(c.name, nc);
        }
        s.groups.set(name, ng);
      }
    }
    return s;
  }

  /**
   * rdbSavedObjectLen for RDB_TYPE_STREAM_LISTPACKS_2 without LZF (DEBUG OBJECT serializedlength):
   * each node as its 16-byte key and its listpack, the stream's counters, then every group with
   * its PEL (ID, delivery time, count) and consumers (name, seen time, PEL IDs).
   */
  rdbLength(): number {
    const len = (n: number | bigint): number => (n < 64 ? 1 : n < 16384 ? 2 : n <= 0xffffffff ? 5 : 9);
    const str = (n: number): number => len(n) + n;
    const id = (x: StreamID): number => len(x.ms) + len(x.seq);
    let n = len(this.nodes.length);
    for (const node of this.nodes) n += str(16) + str(nodeBytes(node));
    n += len(this.length) + id(this.lastId) + id(this.firstId) + id(this.maxDeletedId) + len(this.entriesAdded);
    const groups = this.sortedGroups();
    n += len(groups.length);
    for (const [name, g] of groups) {
      n += str(name.length) + id(g.lastId) + len(g.entriesRead < 0n ? 2n ** 64n - 1n : g.entriesRead) + len(g.pel.size);
      for (const nack of g.pel.vals) n += 16 + 8 + len(nack.deliveryCount);
      n += len(g.consumers.size);
      for (const c of g.consumers.values()) n += str(c.name.length) + 8 + len(c.pel.size) + 16 * c.pel.size;
    }
    return n;
  }

  /** What the memory model needs (MEMORY USAGE): the stored nodes, the rax shape, the groups' PELs. */
  memoryDescription(limits?: NodeLimits): ValueDescription {
    return {
      type: 'stream',
      nodes: this.nodes.map((n) => ({ masterId: n.master, listpackBytes: nodeBytes(n), entries: n.valid, deleted: n.deleted })),
      raxNodes: this.rax.numnodes,
      groups: this.sortedGroups().map(([name, g]) => ({
        name,
        pending: [...g.pel.ids],
        consumers: g.sortedConsumers().map((c) => ({ name: c.name, pending: [...c.pel.ids] })),
      })),
      limits: limits ? { nodeMaxBytes: limits.maxBytes, nodeMaxEntries: limits.maxEntries } : undefined,
    };
  }
}

/** First index whose ID is >= id (entries in ID order). */
function lowerBound(es: StreamEntry[], id: StreamID): number {
  let lo = 0;
  let hi = es.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cmpId(es[mid]!.id, id) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose ID is > id. */
function upperBound(es: StreamEntry[], id: StreamID): number {
  let lo = 0;
  let hi = es.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cmpId(es[mid]!.id, id) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
