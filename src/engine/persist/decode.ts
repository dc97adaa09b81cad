// RDB value bytes -> engine values: rdbLoadObject for every type Redis 7.0 loads (types 0-5 and
// 9-19), with Redis's encoding decisions taken at the *current* thresholds (a small plain hash
// becomes a listpack, an intset with too many members a hashtable, ...), and its refusals
// (duplicates, NaN scores, consumer PEL entries missing from the group PEL, broken blobs).
// Used by RESTORE (one value from a DUMP payload) and by the file loader (rdb-load.ts).
//
// Packed blobs are walked with the reader's validating cursors (formats/rdb), which check what
// Redis's deep integrity check checks; every value is materialised anyway, so the check is always
// deep, whatever sanitize-dump-payload says.

import { LZF_MAX_RATIO, lzfDecompress } from '../../formats/rdb/lzf.js';
import { ListpackCursor } from '../../formats/rdb/listpack.js';
import { ZiplistCursor } from '../../formats/rdb/ziplist.js';
import { IntsetCursor } from '../../formats/rdb/intset.js';
import { ZipmapCursor } from '../../formats/rdb/zipmap.js';
import type { PackedCursor } from '../../formats/rdb/packed-cursor.js';
import { intEntrySize } from '../../memory/listpack.js';
import { streamIdKey } from '../../memory/streams.js';
import { Deque } from '../types/deque.js';
import { isCanonicalInt, newString, type HashNode, type RObj, type SetNode } from '../types/objects.js';
import { ScanMap } from '../types/scan-map.js';
import { SortedSet } from '../types/zset.js';
import { Consumer, ConsumerGroup, Stream, U64_MAX, cmpId, type StreamEntry, type StreamID, type StreamNode } from '../types/stream.js';
import { strtod } from '../strtod.js';

/** A value that cannot be loaded (RESTORE answers "Bad data format"). */
export class BadFormat extends Error {}

/** The thresholds that decide the loaded encodings (read from the config when loading starts). */
export interface LoadLimits {
  hashEntries: number;
  hashValue: number;
  zsetEntries: number;
  zsetValue: number;
  intsetEntries: number;
}

export function loadLimits(num: Record<string, number | undefined>): LoadLimits {
  return {
    hashEntries: num['hash-max-listpack-entries'] ?? 512,
    hashValue: num['hash-max-listpack-value'] ?? 64,
    zsetEntries: num['zset-max-listpack-entries'] ?? 128,
    zsetValue: num['zset-max-listpack-value'] ?? 64,
    intsetEntries: Math.min(num['set-max-intset-entries'] ?? 512, 1 << 30),
  };
}

/** Result of decoding one value: the object, or "empty" for a collection with no element (skipped on load). */
export type Decoded = RObj | 'empty';

const bad = (why: string): never => {
  throw new BadFormat(why);
};

/** A cursor over RDB bytes with the primitive decodings (lengths, strings, doubles, times). */
export class RdbBytesCursor {
  pos: number;
  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  need(n: number): void {
    if (n < 0 || this.pos + n > this.end) bad('unexpected end of data');
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  raw(n: number): Uint8Array {
    this.need(n);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** rdbLoadLen; also reports whether it was an encoded-value marker. */
  private lenOrEnc(): { v: bigint; enc: boolean } {
    const b = this.u8();
    const kind = b >> 6;
    if (kind === 0) return { v: BigInt(b & 0x3f), enc: false };
    if (kind === 1) return { v: BigInt(((b & 0x3f) << 8) | this.u8()), enc: false };
    if (kind === 3) return { v: BigInt(b & 0x3f), enc: true };
    if (b === 0x80) {
      const r = this.raw(4);
      return { v: BigInt(((r[0]! << 24) | (r[1]! << 16) | (r[2]! << 8) | r[3]!) >>> 0), enc: false };
    }
    if (b === 0x81) {
      const r = this.raw(8);
      return { v: Buffer.from(r.buffer, r.byteOffset, 8).readBigUInt64BE(0), enc: false };
    }
    return bad(`unknown length encoding ${b}`);
  }

  lenBig(): bigint {
    const r = this.lenOrEnc();
    if (r.enc) bad('encoded value where a length was expected');
    return r.v;
  }

  /** A length that must be a safe count (no larger than the bytes left, when `perItem` bytes each). */
  len(perItem = 0): number {
    const v = this.lenBig();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) bad('length out of range');
    const n = Number(v);
    if (perItem > 0 && n * perItem > this.end - this.pos) bad('length larger than the data');
    return n;
  }

  /** rdbGenericLoadStringObject as bytes (integers as their decimal text). */
  bytes(): Uint8Array {
    const { v, enc } = this.lenOrEnc();
    if (!enc) {
      if (v > BigInt(this.end - this.pos)) bad('string longer than the data');
      return this.raw(Number(v));
    }
    switch (Number(v)) {
      case 0:
        return Buffer.from(String((this.u8() << 24) >> 24), 'latin1');
      case 1: {
        const r = this.raw(2);
        return Buffer.from(String(((r[0]! | (r[1]! << 8)) << 16) >> 16), 'latin1');
      }
      case 2: {
        const r = this.raw(4);
        return Buffer.from(String(r[0]! | (r[1]! << 8) | (r[2]! << 16) | (r[3]! << 24)), 'latin1');
      }
      case 3: {
        const clen = this.len();
        const ulen = this.len();
        if (clen > this.end - this.pos) bad('LZF string longer than the data');
        if (ulen === 0) bad('LZF string of length 0');
        if (ulen > clen * LZF_MAX_RATIO + 64) bad('LZF string longer than its compressed form allows');
        const out = Buffer.allocUnsafe(ulen);
        const problem = lzfDecompress(this.buf, this.pos, this.pos + clen, out, 0, ulen);
        if (problem !== null) bad(`corrupt LZF string: ${problem}`);
        this.pos += clen;
        return out;
      }
      default:
        return bad(`unknown string encoding ${v}`);
    }
  }

  string(): string {
    const b = this.bytes();
    return Buffer.from(b.buffer, b.byteOffset, b.length).toString('latin1');
  }

  i64le(): number {
    const r = this.raw(8);
    return Number(Buffer.from(r.buffer, r.byteOffset, 8).readBigInt64LE(0));
  }

  i32le(): number {
    const r = this.raw(4);
    return Buffer.from(r.buffer, r.byteOffset, 4).readInt32LE(0);
  }

  binaryDouble(): number {
    const r = this.raw(8);
    return Buffer.from(r.buffer, r.byteOffset, 8).readDoubleLE(0);
  }

  /** rdbLoadDoubleValue (RDB_TYPE_ZSET): a length byte then ASCII, or 253/254/255 for nan/inf/-inf. */
  textDouble(): number {
    const n = this.u8();
    if (n === 253) return NaN;
    if (n === 254) return Infinity;
    if (n === 255) return -Infinity;
    const s = Buffer.from(this.raw(n)).toString('latin1');
    return strtod(s).value;
  }

  /** A 16-byte big-endian stream ID. */
  rawId(): StreamID {
    const r = this.raw(16);
    const b = Buffer.from(r.buffer, r.byteOffset, 16);
    return { ms: b.readBigUInt64BE(0), seq: b.readBigUInt64BE(8) };
  }
}

// ---------------------------------------------------------------- packed blobs

function walk(cursor: PackedCursor, visit: (text: string) => void): void {
  try {
    while (cursor.next()) visit(cursor.text());
  } catch (e) {
    if (e instanceof Error && e.name === 'CorruptBlob') bad(e.message);
    throw e;
  }
}

function startCursor<C extends { reset(buf: Uint8Array, start: number, size: number): unknown }>(c: C, blob: Uint8Array): C {
  try {
    c.reset(blob, 0, blob.length);
  } catch (e) {
    if (e instanceof Error && e.name === 'CorruptBlob') bad(e.message);
    throw e;
  }
  return c;
}

function blobElements(kind: 'listpack' | 'ziplist' | 'intset' | 'zipmap', blob: Uint8Array): string[] {
  const cursor =
    kind === 'listpack'
      ? startCursor(new ListpackCursor(), blob)
      : kind === 'ziplist'
        ? startCursor(new ZiplistCursor(), blob)
        : kind === 'intset'
          ? startCursor(new IntsetCursor(), blob)
          : startCursor(new ZipmapCursor(), blob);
  const out: string[] = [];
  walk(cursor, (t) => out.push(t));
  return out;
}

// ---------------------------------------------------------------- builders with Redis's rules

function listOf(elements: string[]): Decoded {
  if (elements.length === 0) return 'empty';
  return { type: 'list', enc: 'quicklist', v: Deque.from(elements) };
}

/** Pairs into a hash; `listpack` says whether the loaded encoding starts as a listpack. */
function hashOf(pairs: string[], lim: LoadLimits, listpack: boolean): Decoded {
  if (pairs.length % 2 !== 0) bad('hash with an odd number of elements');
  if (pairs.length === 0) return 'empty';
  const m = new ScanMap<HashNode>();
  for (let i = 0; i < pairs.length; i += 2) {
    if (m.has(pairs[i]!)) bad('duplicate hash fields');
    m.set(pairs[i]!, { slot: 0, v: pairs[i + 1]! });
  }
  const enc = listpack && m.size <= lim.hashEntries ? 'listpack' : 'hashtable';
  return { type: 'hash', enc, v: m };
}

function zsetOf(pairs: Array<[string, number]>, enc: 'listpack' | 'skiplist'): Decoded {
  if (pairs.length === 0) return 'empty';
  const z = new SortedSet();
  for (const [m, s] of pairs) {
    if (Number.isNaN(s)) bad('zset with a NaN score');
    if (z.has(m)) bad('duplicate zset members');
    z.insert(m, s);
  }
  return { type: 'zset', enc, v: z };
}

function listpackPairsScores(blob: Uint8Array): Array<[string, number]> {
  const items = blobElements('listpack', blob);
  return scorePairs(items);
}

function scorePairs(items: string[]): Array<[string, number]> {
  if (items.length % 2 !== 0) bad('sorted set with an odd number of elements');
  const out: Array<[string, number]> = [];
  for (let i = 0; i < items.length; i += 2) {
    const r = strtod(items[i + 1]!);
    out.push([items[i]!, r.value]);
  }
  return out;
}

function setOfMembers(members: string[], lim: LoadLimits): Decoded {
  if (members.length === 0) return 'empty';
  let enc: 'intset' | 'hashtable' = members.length > lim.intsetEntries ? 'hashtable' : 'intset';
  const m = new ScanMap<SetNode>();
  for (const x of members) {
    if (enc === 'intset' && !isCanonicalInt(x)) enc = 'hashtable';
    if (m.has(x)) bad('duplicate set members');
    m.set(x, { slot: 0 });
  }
  return { type: 'set', enc, v: m };
}

// ---------------------------------------------------------------- streams

const FLAG_DELETED = 1;
const FLAG_SAMEFIELDS = 2;

function addU64(a: bigint, d: bigint): bigint {
  return (a + d) & U64_MAX;
}

function streamNode(master: StreamID, blob: Uint8Array): StreamNode {
  const lp = startCursor(new ListpackCursor(), blob);
  const ints = (what: string): bigint => {
    if (!lp.next()) bad(`stream listpack ends before its ${what}`);
    if (!lp.isInt) bad(`stream listpack ${what} is not an integer`);
    return lp.big ?? BigInt(lp.int);
  };
  const text = (): string => {
    if (!lp.next()) bad('stream listpack ends in the middle of an entry');
    return lp.text();
  };
  try {
    const valid = Number(ints('valid count'));
    const deleted = Number(ints('deleted count'));
    const nMaster = Number(ints('master field count'));
    const masterFields: string[] = [];
    for (let i = 0; i < nMaster; i++) masterFields.push(text());
    if (ints('master terminator') !== 0n) bad('stream master entry not terminated by 0');
    const entries: StreamEntry[] = [];
    let liveSeen = 0;
    let ordered = true;
    for (let k = 0; k < valid + deleted; k++) {
      const flags = Number(ints('entry flags'));
      const id = { ms: addU64(master.ms, ints('ID delta')), seq: addU64(master.seq, ints('ID delta')) };
      const fields: string[] = [];
      if (flags & FLAG_SAMEFIELDS) {
        for (let i = 0; i < nMaster; i++) fields.push(masterFields[i]!, text());
      } else {
        const n = Number(ints('field count'));
        for (let i = 0; i < n * 2; i++) fields.push(text());
      }
      ints('back-count');
      const isDeleted = (flags & FLAG_DELETED) !== 0;
      if (!isDeleted) liveSeen++;
      const last = entries[entries.length - 1];
      if (last && cmpId(last.id, id) >= 0) ordered = false;
      entries.push({ id, fields, deleted: isDeleted });
    }
    if (lp.next()) bad('stream listpack holds more entries than announced');
    if (liveSeen !== valid) bad('stream listpack valid count does not match its entries');
    if (entries.length === 0) bad('empty stream listpack');
    const rest = blob.length - intEntrySize(BigInt(valid)) - intEntrySize(BigInt(deleted));
    return { master, masterFields, entries, valid, deleted, rest, ordered };
  } catch (e) {
    if (e instanceof Error && e.name === 'CorruptBlob') bad(e.message);
    throw e;
  }
}

function readStream(c: RdbBytesCursor, rdbType: number): Decoded {
  const s = new Stream();
  const nodes = c.len(1);
  for (let i = 0; i < nodes; i++) {
    const key = c.bytes();
    if (key.length !== 16) bad('stream node key is not the size of a stream ID');
    const kb = Buffer.from(key.buffer, key.byteOffset, 16);
    const master = { ms: kb.readBigUInt64BE(0), seq: kb.readBigUInt64BE(8) };
    const lp = c.bytes();
    if (lp.length <= 7) bad('empty listpack inside stream');
    const node = streamNode(master, lp);
    const prev = s.nodes[s.nodes.length - 1];
    if (prev && cmpId(prev.master, master) >= 0) {
      if (cmpId(prev.master, master) === 0) bad('listpack re-added with existing key');
      // Nodes must be kept in master-ID order: insert in place (files are written in order).
      const at = s.nodes.findIndex((n) => cmpId(n.master, master) > 0);
      if (s.nodes.some((n) => cmpId(n.master, master) === 0)) bad('listpack re-added with existing key');
      s.nodes.splice(at, 0, node);
    } else s.nodes.push(node);
    s.rax.insert(streamIdKey(master));
  }
  s.length = c.len();
  s.lastId = { ms: c.lenBig(), seq: c.lenBig() };
  if (rdbType === 19) {
    s.firstId = { ms: c.lenBig(), seq: c.lenBig() };
    s.maxDeletedId = { ms: c.lenBig(), seq: c.lenBig() };
    s.entriesAdded = c.lenBig();
  } else {
    s.maxDeletedId = { ms: 0n, seq: 0n };
    s.entriesAdded = BigInt(s.length);
    s.firstId = s.edgeId(true, true);
  }
  if (s.length && s.nodes.length === 0) bad('stream length inconsistent with its nodes');
  const groups = c.len();
  for (let g = 0; g < groups; g++) {
    const name = c.string();
    const lastId = { ms: c.lenBig(), seq: c.lenBig() };
    let entriesRead: bigint;
    if (rdbType === 19) {
      const v = c.lenBig();
      entriesRead = v === U64_MAX ? -1n : v;
    } else entriesRead = s.estimateDistance(lastId);
    s.groups ??= new Map();
    if (s.groups.has(name)) bad('duplicated consumer group name');
    const group = new ConsumerGroup(lastId, entriesRead);
    s.groups.set(name, group);
    const pel = c.len(25);
    for (let i = 0; i < pel; i++) {
      const id = c.rawId();
      const deliveryTime = c.i64le();
      const deliveryCount = c.len();
      if (!group.pel.insert(id, { deliveryTime, deliveryCount, consumer: null })) bad('duplicated global PEL entry');
    }
    const consumers = c.len(9);
    for (let k = 0; k < consumers; k++) {
      const cname = c.string();
      if (group.consumers.has(cname)) bad('duplicate stream consumer');
      const consumer = new Consumer(cname, c.i64le());
      group.consumers.set(cname, consumer);
      const cpel = c.len(16);
      for (let i = 0; i < cpel; i++) {
        const id = c.rawId();
        const nack = group.pel.get(id);
        if (!nack) bad('consumer entry not found in group global PEL');
        nack!.consumer = consumer;
        if (!consumer.pel.insert(id, nack!)) bad('duplicated consumer PEL entry');
      }
    }
  }
  return { type: 'stream', enc: 'stream', v: s };
}

// ---------------------------------------------------------------- rdbLoadObject

/** Type codes Redis 7.0 can load (module types excepted). */
export const LOADABLE_TYPES: ReadonlySet<number> = new Set([0, 1, 2, 3, 4, 5, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);

/** Decodes the value of RDB type `type` at the cursor. Throws BadFormat. */
export function decodeValue(c: RdbBytesCursor, type: number, lim: LoadLimits): Decoded {
  switch (type) {
    case 0:
      return newString(c.string());
    case 1: {
      const n = c.len(1);
      const items: string[] = [];
      for (let i = 0; i < n; i++) items.push(c.string());
      return listOf(items);
    }
    case 2: {
      const n = c.len(1);
      const items: string[] = [];
      for (let i = 0; i < n; i++) items.push(c.string());
      return setOfMembers(items, lim);
    }
    case 3:
    case 5: {
      const n = c.len(1);
      const pairs: Array<[string, number]> = [];
      let maxLen = 0;
      for (let i = 0; i < n; i++) {
        const m = c.string();
        const score = type === 5 ? c.binaryDouble() : c.textDouble();
        if (Number.isNaN(score)) bad('zset with a NaN score');
        if (m.length > maxLen) maxLen = m.length;
        pairs.push([m, score]);
      }
      const enc = n <= lim.zsetEntries && maxLen <= lim.zsetValue ? 'listpack' : 'skiplist';
      return zsetOf(pairs, enc);
    }
    case 4: {
      const n = c.len(2);
      const items: string[] = [];
      let listpack = n <= lim.hashEntries;
      for (let i = 0; i < n * 2; i++) {
        const s = c.string();
        if (s.length > lim.hashValue) listpack = false;
        items.push(s);
      }
      return hashOf(items, lim, listpack);
    }
    case 9: {
      const items = blobElements('zipmap', c.bytes());
      let maxLen = 0;
      for (const x of items) if (x.length > maxLen) maxLen = x.length;
      const h = hashOf(items, lim, true);
      if (h !== 'empty' && h.type === 'hash' && maxLen > lim.hashValue) h.enc = 'hashtable';
      return h;
    }
    case 10:
      return listOf(blobElements('ziplist', c.bytes()));
    case 11: {
      const members = blobElements('intset', c.bytes());
      if (members.length === 0) bad('empty intset');
      const m = new ScanMap<SetNode>();
      for (const x of members) m.set(x, { slot: 0 });
      return { type: 'set', enc: members.length > lim.intsetEntries ? 'hashtable' : 'intset', v: m };
    }
    case 12:
    case 17: {
      const pairs = type === 17 ? listpackPairsScores(c.bytes()) : scorePairs(blobElements('ziplist', c.bytes()));
      return zsetOf(pairs, pairs.length > lim.zsetEntries ? 'skiplist' : 'listpack');
    }
    case 13:
      return hashOf(blobElements('ziplist', c.bytes()), lim, true);
    case 16:
      return hashOf(blobElements('listpack', c.bytes()), lim, true);
    case 14:
    case 18: {
      const nodes = c.len(1);
      const items: string[] = [];
      for (let i = 0; i < nodes; i++) {
        let container = 2;
        if (type === 18) {
          container = c.len();
          if (container !== 1 && container !== 2) bad('quicklist integrity check failed');
        }
        const data = c.bytes();
        if (data.length === 0) bad('empty quicklist node');
        if (container === 1) {
          items.push(Buffer.from(data.buffer, data.byteOffset, data.length).toString('latin1'));
          continue;
        }
        for (const x of blobElements(type === 18 ? 'listpack' : 'ziplist', data)) items.push(x);
      }
      return listOf(items);
    }
    case 15:
    case 19:
      return readStream(c, type);
    default:
      return bad(`unknown RDB type ${type}`);
  }
}
