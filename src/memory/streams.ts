// What a stream costs on Redis 7.0. A stream is a radix tree (rax) whose keys are the 16-byte
// big-endian master IDs of its listpack nodes; each listpack holds up to stream-node-max-entries
// (100) entries and stops taking new ones once its bytes plus the next entry's field and value
// lengths reach stream-node-max-bytes (4096). A node opens with a master entry (valid count,
// deleted count, the first entry's field names, a 0 terminator); every entry then stores flags,
// its ID as deltas from the master ID, its field count and names unless they equal the master's
// (the SAMEFIELDS flag), the values, and a trailing element count. XDEL and exact XTRIM only flag
// entries as deleted; a node whose last valid entry goes is removed from the tree.
//
// Consumer groups live in a second rax (name -> group); each group has a pending-entries rax
// (ID -> NACK) and a rax of consumers, each with its own PEL rax sharing the group's NACKs.
//
// MEMORY USAGE (objectComputeSize, SAMPLES 0) does not measure rax nodes: it charges every rax
// 16 bytes per element and 244 per node (sizeof(raxNode) = 4 plus a flat 30 pointers), so the
// model must know the exact node count, which depends on how the keys share prefixes. The Rax
// class below replays rax.c's insert (compressed-node splits) and remove (recompression), so the
// node count and the real node allocations are exact for any history.
// The listpacks are charged by their allocation (zmalloc_size): a node written by XADD starts
// with a 4096-byte preallocation that is trimmed (lpShrinkToFit) when the next node starts, so the
// tail node of a stream built by commands usually reports 4096; loaded listpacks are exact-sized.
// Groups add sizeof(streamCG) = 40 + PEL rax + 24 per NACK; consumers sizeof(streamConsumer) = 24
// + the name's length + their PEL rax. The group and consumer name trees are not counted by
// MEMORY USAGE (they are in `allocated`).

import { byteLength, type Bytes } from './bytes.js';
import { sizeClass, type LgQuantum } from './jemalloc.js';
import { entrySize, intEntrySize, LISTPACK_EMPTY_BYTES } from './listpack.js';
import type { MemoryParams } from './params.js';
import { sdsBytes } from './sds.js';
import type { Origin, ValueCost } from './types.js';

// ---------------------------------------------------------------- constants of 7.0 (stream.h, rax.h)

/** Struct sizes and MEMORY USAGE's rax charges on 64-bit Redis 7.0. */
export const STREAM_STRUCTS = {
  /** sizeof(stream): rax*, length, last_id, first_id, max_deleted_entry_id, entries_added, cgroups*. */
  stream: 80,
  /** sizeof(rax): head*, numele, numnodes. */
  rax: 24,
  /** What streamRadixTreeMemoryUsage charges per element (sizeof(streamID)) and per node (4 + 30 x 8). */
  raxPerElement: 16,
  raxPerNode: 4 + 30 * 8,
  /** sizeof(streamCG), sizeof(streamConsumer), sizeof(streamNACK). */
  group: 40,
  consumer: 24,
  nack: 24,
  /** STREAM_LISTPACK_MAX_PRE_ALLOCATE: a new node's listpack is allocated this large. */
  listpackPrealloc: 4096,
  /** STREAM_LISTPACK_MAX_SIZE: the node byte limit when stream-node-max-bytes is 0 or above it. */
  listpackMaxSize: 2 ** 30,
} as const;

/** stream-node-max-bytes and stream-node-max-entries defaults. */
export const DEFAULT_STREAM_NODE_LIMITS = { nodeMaxBytes: 4096, nodeMaxEntries: 100 } as const;

// ---------------------------------------------------------------- stream IDs

/** A stream ID: "ms-seq" text ("ms" alone means seq 0) or its two halves (unsigned 64-bit). */
export type StreamIdLike = string | { ms: string | number | bigint; seq: string | number | bigint };

export interface StreamId {
  ms: bigint;
  seq: bigint;
}

const U64 = (1n << 64n) - 1n;

export function parseStreamId(id: StreamIdLike): StreamId {
  let ms: bigint;
  let seq: bigint;
  if (typeof id === 'string') {
    const m = /^(\d+)(?:-(\d+))?$/.exec(id);
    if (!m) throw new RangeError(`not a stream ID: ${JSON.stringify(id)} (expected "ms-seq")`);
    ms = BigInt(m[1]!);
    seq = BigInt(m[2] ?? 0);
  } else {
    ms = BigInt(id.ms);
    seq = BigInt(id.seq);
  }
  if (ms < 0n || ms > U64 || seq < 0n || seq > U64) throw new RangeError(`stream ID out of range: ${String(ms)}-${String(seq)}`);
  return { ms, seq };
}

/** The 16-byte big-endian rax key of an ID (streamEncodeID). */
export function streamIdKey(id: StreamIdLike): Uint8Array {
  const { ms, seq } = parseStreamId(id);
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    out[7 - i] = Number((ms >> BigInt(8 * i)) & 0xffn);
    out[15 - i] = Number((seq >> BigInt(8 * i)) & 0xffn);
  }
  return out;
}

function compareIds(a: StreamId, b: StreamId): number {
  if (a.ms !== b.ms) return a.ms < b.ms ? -1 : 1;
  return a.seq === b.seq ? 0 : a.seq < b.seq ? -1 : 1;
}

/** uint64 a - b read back as int64 (how streamAppendItem stores ID deltas). */
function delta(a: bigint, b: bigint): bigint {
  const d = (a - b) & U64;
  return d >= 1n << 63n ? d - (1n << 64n) : d;
}

function toBytes(b: Bytes): Uint8Array {
  if (typeof b !== 'string') return b;
  const out = new Uint8Array(b.length);
  for (let i = 0; i < b.length; i++) out[i] = b.charCodeAt(i) & 0xff;
  return out;
}

// ---------------------------------------------------------------- the radix tree

interface RaxNode {
  compr: boolean;
  /** Edge bytes: the compressed run, or one byte per child (sorted). */
  chars: number[];
  children: RaxNode[];
  key: boolean;
  /** A key without a value pointer (never the case for streams: every key carries data). */
  nul: boolean;
}

const leaf = (): RaxNode => ({ compr: false, chars: [], children: [], key: false, nul: false });

/** raxNodeCurrentLength(): header, bytes padded to pointer alignment, child pointers, value pointer. */
function nodeLength(n: RaxNode): number {
  const size = n.chars.length;
  const pad = (8 - ((size + 4) % 8)) & 7;
  return 4 + size + pad + (n.compr ? 8 : 8 * size) + (n.key && !n.nul ? 8 : 0);
}

const lastChild = (n: RaxNode): RaxNode => n.children[n.children.length - 1]!;

/**
 * A replay of rax.c: insert splits compressed nodes exactly as raxGenericInsert does, remove frees
 * the emptied chain and recompresses as raxRemove does, and `numnodes` is counted the same way.
 * Only the shape is kept (no values): enough for MEMORY USAGE's node count and for the real sizes.
 */
export class Rax {
  private readonly head: RaxNode = leaf();
  numele = 0;
  numnodes = 1;

  private walk(s: Uint8Array): { i: number; h: RaxNode; j: number; stack: RaxNode[] } {
    let h = this.head;
    let i = 0;
    let j = 0;
    const stack: RaxNode[] = [];
    while (h.chars.length > 0 && i < s.length) {
      const v = h.chars;
      if (h.compr) {
        for (j = 0; j < v.length && i < s.length; j++, i++) if (v[j] !== s[i]) break;
        if (j !== v.length) break;
      } else {
        for (j = 0; j < v.length; j++) if (v[j] === s[i]) break;
        if (j === v.length) break;
        i++;
      }
      stack.push(h);
      h = h.compr ? h.children[0]! : h.children[j]!;
      j = 0;
    }
    return { i, h, j, stack };
  }

  /** raxInsert with a non-NULL value; false when the key was already there. */
  insert(key: Bytes): boolean {
    const s = toBytes(key);
    const len = s.length;
    const walked = this.walk(s);
    const j = walked.j;
    let { i, h } = walked;
    if (i === len && (!h.compr || j === 0)) {
      if (h.key) return false;
      h.key = true;
      h.nul = false;
      this.numele++;
      return true;
    }
    if (h.compr && i !== len) {
      // Split the compressed node at j: [trimmed] -> splitnode(one byte) -> [postfix] -> next.
      const next = h.children[0]!;
      const chars = h.chars;
      const postfixLen = chars.length - j - 1;
      const split: RaxNode = { compr: false, chars: [chars[j]!], children: [], key: false, nul: false };
      const postfix: RaxNode = postfixLen > 0 ? { compr: postfixLen > 1, chars: chars.slice(j + 1), children: [next], key: false, nul: false } : next;
      if (postfixLen > 0) this.numnodes++;
      split.children = [postfix];
      if (j === 0) {
        // The split node takes h's place (and its key, if any).
        Object.assign(h, { compr: false, chars: split.chars, children: split.children, key: h.key, nul: h.nul });
      } else {
        Object.assign(h, { compr: j > 1, chars: chars.slice(0, j), children: [split] });
        this.numnodes++;
        h = split;
      }
    } else if (h.compr && i === len) {
      // The key ends inside a compressed node: trimmed -> postfix (a key) -> next.
      const next = h.children[0]!;
      const postfix: RaxNode = { compr: h.chars.length - j > 1, chars: h.chars.slice(j), children: [next], key: true, nul: false };
      Object.assign(h, { compr: j > 1, chars: h.chars.slice(0, j), children: [postfix] });
      this.numnodes++;
      this.numele++;
      return true;
    }
    while (i < len) {
      const child = leaf();
      if (h.chars.length === 0 && len - i > 1) {
        h.compr = true;
        h.chars = Array.from(s.subarray(i));
        h.children = [child];
        i = len;
      } else {
        let at = 0;
        while (at < h.chars.length && h.chars[at]! < s[i]!) at++;
        h.chars.splice(at, 0, s[i]!);
        h.children.splice(at, 0, child);
        i++;
      }
      this.numnodes++;
      h = child;
    }
    if (!h.key) this.numele++;
    h.key = true;
    h.nul = false;
    return true;
  }

  /** raxRemove; false when the key was not there. */
  remove(key: Bytes): boolean {
    const s = toBytes(key);
    const walked = this.walk(s);
    const { i, j, stack } = walked;
    let h = walked.h;
    if (i !== s.length || (h.compr && j !== 0) || !h.key) return false;
    h.key = false;
    this.numele--;
    let tryCompress = false;
    if (h.chars.length === 0) {
      let child: RaxNode | null = null;
      while (h !== this.head) {
        child = h;
        this.numnodes--;
        h = stack.pop()!;
        if (h.key || (!h.compr && h.chars.length !== 1)) break;
      }
      if (child) {
        if (h.compr) {
          h.compr = false;
          h.chars = [];
          h.children = [];
        } else {
          const at = h.children.indexOf(child);
          h.chars.splice(at, 1);
          h.children.splice(at, 1);
        }
        if (h.chars.length === 1 && !h.key) tryCompress = true;
      }
    } else if (h.chars.length === 1) {
      tryCompress = true;
    }
    if (!tryCompress) return true;
    // Go up while the parents are single-child non-key nodes, then merge the chain downwards.
    for (;;) {
      const parent = stack.pop();
      if (!parent || parent.key || (!parent.compr && parent.chars.length !== 1)) break;
      h = parent;
    }
    const start = h;
    let nodes = 1;
    for (let x = h; x.chars.length !== 0; ) {
      x = lastChild(x);
      if (x.key || (!x.compr && x.chars.length !== 1)) break;
      nodes++;
    }
    if (nodes <= 1) return true;
    this.numnodes++;
    const chars: number[] = [];
    let x = start;
    while (x.chars.length !== 0) {
      chars.push(...x.chars);
      x = lastChild(x);
      this.numnodes--;
      if (x.key || (!x.compr && x.chars.length !== 1)) break;
    }
    Object.assign(start, { compr: true, chars, children: [x], key: false, nul: false });
    return true;
  }

  /** What the nodes really allocate (each node is one allocation of its current length). */
  nodeBytes(lgQuantum: LgQuantum): number {
    let total = 0;
    const todo: RaxNode[] = [this.head];
    while (todo.length > 0) {
      const n = todo.pop()!;
      total += sizeClass(nodeLength(n), lgQuantum);
      todo.push(...n.children);
    }
    return total;
  }

  /** Nodes counted by walking the tree (equals numnodes; kept as a self-check for tests). */
  countNodes(): number {
    let count = 0;
    const todo: RaxNode[] = [this.head];
    while (todo.length > 0) {
      const n = todo.pop()!;
      count++;
      todo.push(...n.children);
    }
    return count;
  }
}

/** rax->numnodes after inserting these keys in order (any keys; stream keys are 16-byte IDs). */
export function raxNodeCount(keys: Iterable<Bytes>): number {
  const r = new Rax();
  for (const k of keys) r.insert(k);
  return r.numnodes;
}

/** raxNodeCount for stream IDs (node master IDs, PEL entries), in the order given. */
export function streamIdRaxNodes(ids: Iterable<StreamIdLike>): number {
  const r = new Rax();
  for (const id of ids) r.insert(streamIdKey(id));
  return r.numnodes;
}

const estimateCache = new Map<string, number>();

/**
 * Rax nodes for `count` IDs when only the count is known (an RDB summary gives PEL sizes, not
 * IDs): the tree of `count` consecutive IDs arriving `perMs` per millisecond (the stream's own
 * density). One ID per millisecond costs about two nodes (a leaf and the compressed run of its
 * sequence bytes); many per millisecond share that run and approach one node per ID. Real PELs
 * are subsets with gaps (acknowledged entries), which adds branch nodes: an estimate, not exact.
 */
export function estimatedIdRaxNodes(count: number, perMs = 1): number {
  if (count <= 0) return 1;
  const density = Number((perMs > 0 && Number.isFinite(perMs) ? perMs : 1).toPrecision(2));
  const cap = 1 << 16;
  const n = Math.min(count, cap);
  const cacheKey = `${n}:${density}`;
  let nodes = estimateCache.get(cacheKey);
  if (nodes === undefined) {
    const r = new Rax();
    const base = 1_700_000_000_000;
    let seq = 0;
    let lastMs = -1;
    for (let i = 0; i < n; i++) {
      const ms = base + Math.floor(i / density);
      seq = ms === lastMs ? seq + 1 : 0;
      lastMs = ms;
      r.insert(streamIdKey({ ms, seq }));
    }
    nodes = r.numnodes;
    estimateCache.set(cacheKey, nodes);
  }
  return count <= cap ? nodes : Math.round((nodes * count) / cap);
}

/** Entries per millisecond between the first and the last node (1 when it cannot be told). */
export function streamDensity(nodes: Array<{ masterId: StreamIdLike; entries?: number; deleted?: number }>, nodeMaxEntries: number): number {
  if (nodes.length < 2) return 1;
  const first = parseStreamId(nodes[0]!.masterId).ms;
  const last = parseStreamId(nodes[nodes.length - 1]!.masterId).ms;
  const span = Number(last - first) + 1;
  let entries = 0;
  for (const n of nodes.slice(0, -1)) entries += n.entries !== undefined ? n.entries + (n.deleted ?? 0) : nodeMaxEntries || 100;
  return Math.max(entries / span, 1e-6);
}

// ---------------------------------------------------------------- listpack nodes built by XADD

export interface StreamEntry {
  id: StreamIdLike;
  fields: Array<[Bytes, Bytes]>;
}

export interface StreamNodeLimits {
  /** stream-node-max-bytes (0: no limit but the 1 GiB listpack cap). */
  nodeMaxBytes: number;
  /** stream-node-max-entries (0: no limit). */
  nodeMaxEntries: number;
}

/** One listpack node as the model sees it. */
export interface StreamNode {
  masterId: StreamId;
  /** lpBytes(). */
  bytes: number;
  /** What zmalloc_size() reports for the listpack (spare capacity included). */
  allocated: number;
  /** Valid and deleted entries (the master entry's two counters). */
  entries: number;
  deleted: number;
}

interface BuildingNode extends StreamNode {
  masterFields: Uint8Array[];
  /** Bytes other than the two counters. */
  rest: number;
  ids: StreamId[];
  sameFields: boolean[];
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const nodeBytesOf = (n: BuildingNode) => n.rest + intEntrySize(BigInt(n.entries)) + intEntrySize(BigInt(n.deleted));

/** A listpack write: grow to `bytes`, reallocating to the exact size when capacity runs out. */
function grow(n: BuildingNode, q: LgQuantum): void {
  const bytes = nodeBytesOf(n);
  if (bytes > n.allocated) n.allocated = sizeClass(bytes, q);
  n.bytes = bytes;
}

/** A listpack write that may shrink it: a smaller listpack is reallocated to its exact size. */
function replace(n: BuildingNode, q: LgQuantum): void {
  const bytes = nodeBytesOf(n);
  if (bytes < n.bytes) n.allocated = sizeClass(bytes, q);
  else if (bytes > n.allocated) n.allocated = sizeClass(bytes, q);
  n.bytes = bytes;
}

/**
 * The listpack nodes XADD builds for these entries (in ID order), then XDEL / exact XTRIM of the
 * `deleted` IDs (entries flagged, emptied nodes removed). Replays streamAppendItem: the node-size
 * and entry-count checks, the master entry, SAMEFIELDS, ID deltas and the trailing element count.
 */
export function buildStreamNodes(
  entries: Iterable<StreamEntry>,
  deleted: Iterable<StreamIdLike> = [],
  limits: Partial<StreamNodeLimits> = {},
  lgQuantum: LgQuantum = 4,
): StreamNode[] {
  const q = lgQuantum;
  const { nodeMaxBytes, nodeMaxEntries } = { ...DEFAULT_STREAM_NODE_LIMITS, ...limits };
  const maxBytes = nodeMaxBytes === 0 || nodeMaxBytes > STREAM_STRUCTS.listpackMaxSize ? STREAM_STRUCTS.listpackMaxSize : nodeMaxBytes;
  const prealloc = nodeMaxBytes > 0 && nodeMaxBytes < STREAM_STRUCTS.listpackPrealloc ? nodeMaxBytes : STREAM_STRUCTS.listpackPrealloc;
  const nodes: BuildingNode[] = [];
  let tail: BuildingNode | undefined;
  let last: StreamId | undefined;
  for (const e of entries) {
    const id = parseStreamId(e.id);
    if (last && compareIds(id, last) <= 0) throw new RangeError(`stream entries must be in increasing ID order (${String(id.ms)}-${String(id.seq)} after ${String(last.ms)}-${String(last.seq)})`);
    last = id;
    const fields = e.fields.map(([f, v]) => [toBytes(f), v] as const);
    const totalLength = e.fields.reduce((sum, [f, v]) => sum + byteLength(f) + byteLength(v), 0);
    if (tail && (tail.bytes + totalLength >= maxBytes || (nodeMaxEntries > 0 && tail.entries + tail.deleted >= nodeMaxEntries))) {
      if (tail.bytes < tail.allocated) tail.allocated = sizeClass(tail.bytes, q); // lpShrinkToFit
      tail = undefined;
    }
    let same = false;
    if (!tail) {
      const masterFields = fields.map(([f]) => f);
      tail = {
        masterId: id,
        bytes: 0,
        allocated: sizeClass(prealloc, q),
        entries: 1,
        deleted: 0,
        masterFields,
        rest: LISTPACK_EMPTY_BYTES + intEntrySize(BigInt(fields.length)) + masterFields.reduce((s, f) => s + entrySize(f), 0) + intEntrySize(0n),
        ids: [],
        sameFields: [],
      };
      nodes.push(tail);
      grow(tail, q);
      same = true;
    } else {
      tail.entries++;
      grow(tail, q);
      same = fields.length === tail.masterFields.length && fields.every(([f], i) => sameBytes(f, tail!.masterFields[i]!));
    }
    const flags = same ? 2n : 0n;
    let add = intEntrySize(flags) + intEntrySize(delta(id.ms, tail.masterId.ms)) + intEntrySize(delta(id.seq, tail.masterId.seq));
    if (!same) add += intEntrySize(BigInt(fields.length));
    for (const [f, v] of fields) add += (same ? 0 : entrySize(f)) + entrySize(v);
    add += intEntrySize(BigInt(fields.length + 3 + (same ? 0 : fields.length + 1)));
    tail.rest += add;
    grow(tail, q);
    tail.ids.push(id);
    tail.sameFields.push(same);
  }
  // Deletions after the appends: flag the entry, decrement the valid count, increment the deleted one.
  const gone = [...deleted].map(parseStreamId).sort(compareIds);
  for (const id of gone) {
    const node = findNode(nodes, id);
    if (!node) continue;
    const at = binarySearch(node.ids, id);
    if (at < 0) continue;
    node.ids.splice(at, 1); // each ID is deleted once
    node.sameFields.splice(at, 1);
    node.entries--;
    replace(node, q);
    node.deleted++;
    replace(node, q);
  }
  return nodes
    .filter((n) => n.entries > 0)
    .map(({ masterId, bytes, allocated, entries, deleted }) => ({ masterId, bytes, allocated, entries, deleted }));
}

function findNode(nodes: BuildingNode[], id: StreamId): BuildingNode | undefined {
  let lo = 0;
  let hi = nodes.length - 1;
  let found: BuildingNode | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (compareIds(nodes[mid]!.masterId, id) <= 0) {
      found = nodes[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

function binarySearch(ids: StreamId[], id: StreamId): number {
  let lo = 0;
  let hi = ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = compareIds(ids[mid]!, id);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

// ---------------------------------------------------------------- consumer groups

/** A consumer: its name and its pending entries (IDs), or only their number (`pelSize`). */
export interface StreamConsumerDescription {
  name: Bytes;
  pending?: StreamIdLike[];
  pelSize?: number;
  /** The PEL rax's node count when known without the IDs (a reader can count them as it goes). */
  raxNodes?: number;
}

/**
 * A consumer group. The group's PEL is `pending` when given, else the union of its consumers'
 * pending IDs; with only counts (`pelSize`, as an RDB summary has them) the rax node counts are
 * estimated (estimatedIdRaxNodes).
 */
export interface StreamGroupDescription {
  name: Bytes;
  pending?: StreamIdLike[];
  pelSize?: number;
  /** The group PEL rax's node count when known without the IDs. */
  raxNodes?: number;
  consumers: StreamConsumerDescription[];
}

interface PelShape {
  count: number;
  /** MEMORY USAGE's rax node count, and the nodes' real allocation when the IDs are known. */
  nodes: number;
  nodeBytes: number;
}

function pelShape(ids: StreamIdLike[] | undefined, size: number | undefined, raxNodes: number | undefined, perMs: number, q: LgQuantum): PelShape {
  if (ids) {
    const r = new Rax();
    for (const id of [...ids].map(parseStreamId).sort(compareIds)) r.insert(streamIdKey(id));
    return { count: r.numele, nodes: raxNodes ?? r.numnodes, nodeBytes: r.nodeBytes(q) };
  }
  const count = size ?? 0;
  const nodes = raxNodes ?? estimatedIdRaxNodes(count, perMs);
  // Estimated nodes: a leaf (16 bytes) and a compressed run (32 bytes) per ID, as in the estimate.
  return { count, nodes, nodeBytes: count === 0 ? sizeClass(8, q) : Math.round(nodes * 24) };
}

function nameTreeBytes(names: Bytes[], q: LgQuantum): number {
  const r = new Rax();
  for (const n of names) r.insert(n);
  return sizeClass(STREAM_STRUCTS.rax, q) + r.nodeBytes(q);
}

// ---------------------------------------------------------------- cost

/** A stream reduced to what its cost depends on. */
export interface StreamShape {
  /** Listpack nodes: byte sizes and allocations. */
  listpacks: Array<{ bytes: number; allocated: number }>;
  /** rax->numele and rax->numnodes of the stream's tree. */
  raxElements: number;
  raxNodes: number;
  /** Real allocation of the tree's nodes (estimated when only the count was given). */
  raxNodeBytes: number;
  groups: StreamGroupDescription[];
  /** Entries per millisecond, for PELs known only by their size. */
  perMs: number;
}

/** MEMORY USAGE's charge for a rax (streamRadixTreeMemoryUsage). */
export function raxUsage(elements: number, nodes: number): number {
  return elements * STREAM_STRUCTS.raxPerElement + nodes * STREAM_STRUCTS.raxPerNode;
}

export function streamCost(s: StreamShape, p: MemoryParams): ValueCost {
  const q = p.lgQuantum;
  const S = STREAM_STRUCTS;
  let usage = p.robj + S.stream + raxUsage(s.raxElements, s.raxNodes);
  let allocated = sizeClass(p.robj, q) + sizeClass(S.stream, q) + sizeClass(S.rax, q) + s.raxNodeBytes;
  for (const lp of s.listpacks) {
    usage += lp.allocated;
    allocated += lp.allocated;
  }
  if (s.groups.length > 0) allocated += nameTreeBytes(s.groups.map((g) => g.name), q);
  for (const g of s.groups) {
    const ids = g.pending ?? (g.consumers.every((c) => c.pending) ? g.consumers.flatMap((c) => c.pending!) : undefined);
    const size = g.pelSize ?? g.consumers.reduce((sum, c) => sum + (c.pending?.length ?? c.pelSize ?? 0), 0);
    const pel = pelShape(ids, size, g.raxNodes, s.perMs, q);
    usage += S.group + raxUsage(pel.count, pel.nodes) + S.nack * pel.count;
    allocated += sizeClass(S.group, q) + sizeClass(S.rax, q) + pel.nodeBytes + pel.count * sizeClass(S.nack, q);
    allocated += nameTreeBytes(g.consumers.map((c) => c.name), q);
    for (const c of g.consumers) {
      const cp = pelShape(c.pending, c.pelSize, c.raxNodes, s.perMs, q);
      usage += S.consumer + byteLength(c.name) + raxUsage(cp.count, cp.nodes);
      allocated += sizeClass(S.consumer, q) + sdsBytes(byteLength(c.name), q) + sizeClass(S.rax, q) + cp.nodeBytes;
    }
  }
  return { encoding: 'stream', usage, allocated };
}

/** Shape of a stream described by its entries (built by XADD, or loaded when origin is 'load'). */
export function streamEntriesShape(
  entries: StreamEntry[],
  deleted: StreamIdLike[] | undefined,
  groups: StreamGroupDescription[],
  limits: Partial<StreamNodeLimits>,
  p: MemoryParams,
  origin: Origin,
): StreamShape {
  const q = p.lgQuantum;
  const nodes = buildStreamNodes(entries, deleted, limits, q);
  const r = new Rax();
  for (const n of nodes) r.insert(streamIdKey(n.masterId));
  return {
    listpacks: nodes.map((n) => ({ bytes: n.bytes, allocated: origin === 'load' ? sizeClass(n.bytes, q) : n.allocated })),
    raxElements: r.numele,
    raxNodes: r.numnodes,
    raxNodeBytes: r.nodeBytes(q),
    groups,
    perMs: entriesDensity(entries),
  };
}

function entriesDensity(entries: StreamEntry[]): number {
  if (entries.length < 2) return 1;
  const first = parseStreamId(entries[0]!.id).ms;
  const last = parseStreamId(entries[entries.length - 1]!.id).ms;
  return Math.max(entries.length / (Number(last - first) + 1), 1e-6);
}

/**
 * Shape of a stream described by its stored nodes (an RDB's listpacks: master IDs and byte sizes).
 * Loaded listpacks are exact-sized; with origin 'write' the last node keeps XADD's preallocation.
 */
export function streamNodesShape(
  nodes: Array<{ masterId: StreamIdLike; listpackBytes: number; entries?: number; deleted?: number }>,
  raxNodes: number | undefined,
  groups: StreamGroupDescription[],
  limits: Partial<StreamNodeLimits>,
  p: MemoryParams,
  origin: Origin,
): StreamShape {
  const q = p.lgQuantum;
  const r = new Rax();
  for (const n of nodes) r.insert(streamIdKey(n.masterId));
  const { nodeMaxBytes, nodeMaxEntries } = { ...DEFAULT_STREAM_NODE_LIMITS, ...limits };
  const prealloc = nodeMaxBytes > 0 && nodeMaxBytes < STREAM_STRUCTS.listpackPrealloc ? nodeMaxBytes : STREAM_STRUCTS.listpackPrealloc;
  return {
    listpacks: nodes.map((n, i) => ({
      bytes: n.listpackBytes,
      allocated: sizeClass(origin === 'write' && i === nodes.length - 1 ? Math.max(n.listpackBytes, prealloc) : n.listpackBytes, q),
    })),
    raxElements: nodes.length,
    raxNodes: raxNodes ?? r.numnodes,
    raxNodeBytes: raxNodes === undefined ? r.nodeBytes(q) : Math.round((r.nodeBytes(q) * raxNodes) / r.numnodes),
    groups,
    perMs: streamDensity(nodes, nodeMaxEntries),
  };
}
