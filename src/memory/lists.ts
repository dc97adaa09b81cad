// What a list costs on Redis 7.0: always a quicklist, a doubly linked list of nodes that each
// hold a listpack. Pushing appends to the end node while `node bytes + element length + 8` stays
// within the node limit (list-max-listpack-size -2 = 8 KiB; -1..-5 = 4..64 KiB; a positive value
// caps the entry count instead, within an 8 KiB safety limit), otherwise it starts a new node.
// Elements of 1 GiB or more get a PLAIN node of their own. The model replays those pushes to
// find each node's listpack size, which is exact for lists built by pushes at one end (or
// loaded from RDB, which keeps the node boundaries). Compression (list-compress-depth > 0) is
// not modelled.
//
// MEMORY USAGE counts sizeof(robj) + sizeof(quicklist) + per node sizeof(quicklistNode) + the
// listpack's allocation; the real allocations round the structs (40 -> 48).

import { byteLength, type Bytes } from './bytes.js';
import { sizeClass } from './jemalloc.js';
import { entrySize, LISTPACK_EMPTY_BYTES, stringEntrySize } from './listpack.js';
import type { MemoryParams } from './params.js';
import type { ValueCost } from './types.js';

interface Node {
  bytes: number;
  count: number;
  plain: boolean;
}

function allowInsert(node: Node | undefined, fill: number, sz: number, p: MemoryParams): boolean {
  if (!node || node.plain || sz >= p.quicklistPackedThreshold) return false;
  const newSz = node.bytes + sz + p.quicklistInsertOverhead;
  if (fill < 0) {
    const limit = p.quicklistSizeLimits[-fill - 1];
    if (limit !== undefined && newSz <= limit) return true;
  }
  if (newSz > p.quicklistSafetyLimit) return false;
  return node.count < fill;
}

/**
 * Byte sizes of the quicklist nodes for elements pushed one by one at the tail, given as
 * (element length, listpack entry size) pairs. PLAIN nodes are reported with their raw size.
 */
export function quicklistNodes(elements: Iterable<[number, number]>, fill: number, p: MemoryParams): Node[] {
  const nodes: Node[] = [];
  let tail: Node | undefined;
  for (const [len, entry] of elements) {
    if (len >= p.quicklistPackedThreshold) {
      tail = { bytes: len, count: 1, plain: true };
      nodes.push(tail);
    } else if (allowInsert(tail, fill, len, p)) {
      tail!.bytes += entry;
      tail!.count++;
    } else {
      tail = { bytes: LISTPACK_EMPTY_BYTES + entry, count: 1, plain: false };
      nodes.push(tail);
    }
  }
  return nodes;
}

function costOfNodes(nodes: Node[], p: MemoryParams): ValueCost {
  const q = p.lgQuantum;
  if (p.listListpack && nodes.length === 1 && !nodes[0]!.plain) {
    // 7.2+: a list that fits one node is a bare listpack (unverified, see params.ts).
    const bytes = sizeClass(p.robj, q) + sizeClass(nodes[0]!.bytes, q);
    return { encoding: 'listpack', usage: p.robj + sizeClass(nodes[0]!.bytes, q), allocated: bytes };
  }
  let usage = p.robj + p.quicklist;
  let allocated = sizeClass(p.robj, q) + sizeClass(p.quicklist, q);
  for (const n of nodes) {
    const entry = sizeClass(n.bytes, q);
    usage += p.quicklistNode + entry;
    allocated += sizeClass(p.quicklistNode, q) + entry;
  }
  return { encoding: 'quicklist', usage, allocated };
}

/** A list of these elements, in list order, built by RPUSH ('tail') or LPUSH ('head'). */
export function listCost(elements: Bytes[], fill: number, p: MemoryParams, pushedTo: 'tail' | 'head' = 'tail'): ValueCost {
  // LPUSH fills nodes from the head: the same as tail-pushing the elements in reverse order.
  const order = pushedTo === 'head' ? [...elements].reverse() : elements;
  const shapes = (function* () {
    for (const e of order) yield [byteLength(e), entrySize(e)] as [number, number];
  })();
  return costOfNodes(quicklistNodes(shapes, fill, p), p);
}

/** A list of `count` non-integer elements of `len` bytes each. */
export function listSummaryCost(count: number, len: number, fill: number, p: MemoryParams): ValueCost {
  const entry = stringEntrySize(len);
  const shapes = (function* () {
    for (let i = 0; i < count; i++) yield [len, entry] as [number, number];
  })();
  return costOfNodes(quicklistNodes(shapes, fill, p), p);
}
