// Engine value -> the writer's neutral value (formats/rdb/writer.ts): each engine encoding maps to
// the on-disk encoding Redis 7.0 uses for it (quicklist -> QUICKLIST_2, listpack hash -> type 16,
// intset -> 11, ...). Element order is the encoding's own order: listpack hashes in insertion
// order, intsets ascending, listpack zsets ascending and skiplists from the tail, stream nodes,
// groups and consumers as the engine keeps them (groups and consumers in rax byte order).

import type { RdbOutValue, StreamOut } from '../../formats/rdb/writer.js';
import type { RObj } from '../types/objects.js';
import type { SortedSet } from '../types/zset.js';
import type { Stream } from '../types/stream.js';

function* ascending(z: SortedSet): Generator<readonly [string, number]> {
  for (let n = z.head; n !== 0; n = z.next(n)) yield [z.eleOf(n), z.scoreOf(n)];
}

function* descending(z: SortedSet): Generator<readonly [string, number]> {
  for (let n = z.tail; n !== 0; n = z.prev(n)) yield [z.eleOf(n), z.scoreOf(n)];
}

function* hashPairs(m: Iterable<[string, { v: string }]>): Generator<readonly [string, string]> {
  for (const [k, n] of m) yield [k, n.v];
}

export function streamOut(s: Stream): StreamOut {
  return {
    nodes: s.nodes,
    length: s.length,
    lastId: s.lastId,
    firstId: s.firstId,
    maxDeletedId: s.maxDeletedId,
    entriesAdded: s.entriesAdded,
    groups: s.sortedGroups().map(([name, g]) => ({
      name,
      lastId: g.lastId,
      entriesRead: g.entriesRead,
      pel: g.pel.ids.map((id, i) => ({ id, deliveryTime: g.pel.vals[i]!.deliveryTime, deliveryCount: g.pel.vals[i]!.deliveryCount })),
      consumers: g.sortedConsumers().map((c) => ({ name: c.name, seenTime: c.seenTime, pel: [...c.pel.ids] })),
    })),
  };
}

/** The writer's value for `o`; `listFill` is list-max-listpack-size. */
export function toRdbValue(o: RObj, listFill: number): RdbOutValue {
  switch (o.type) {
    case 'string':
      return { type: 'string', value: o.v };
    case 'list':
      return { type: 'list', elements: o.v.toArray(), fill: listFill };
    case 'set':
      return o.enc === 'intset' ? { type: 'set-intset', members: o.v.keys() } : { type: 'set', size: o.v.size, members: o.v.keys() };
    case 'hash':
      return o.enc === 'listpack'
        ? { type: 'hash-listpack', pairs: hashPairs(o.v.entries()) }
        : { type: 'hash', size: o.v.size, pairs: hashPairs(o.v.entries()) };
    case 'zset':
      return o.enc === 'listpack'
        ? { type: 'zset-listpack', pairs: ascending(o.v) }
        : { type: 'zset', size: o.v.size, pairsDescending: descending(o.v) };
    case 'stream':
      return { type: 'stream', stream: streamOut(o.v) };
  }
}
