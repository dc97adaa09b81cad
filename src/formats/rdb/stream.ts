// Streams (RDB types 15, 19, 21): a list of listpack nodes keyed by their master ID, then the
// stream's metadata and its consumer groups with their pending-entries lists and consumers.
//
// Each node's listpack starts with a master entry (live count, deleted count, the master field
// names, 0) and then holds entries of the form flags, ms-delta, seq-delta, [field count, field,
// value... | values only when flag SAMEFIELDS (2) reuses the master fields], back-count. Entries
// flagged DELETED (1) are tombstones. IDs are deltas from the node's master ID and are rebuilt
// with 64-bit wrap-around (a delta can be negative, HDT3213/rdb issue 27).
//
// Without values the reader still walks every node (that is where XLEN-consistent sizes and the
// per-entry field/value lengths come from) but keeps nothing per entry; group PELs are skipped
// by size (24 bytes plus a length per pending entry), never materialised.

import type { ByteWindow } from './byte-window.js';
import { ListpackCursor } from './listpack.js';
import { CorruptBlob } from './packed-cursor.js';
import type { RdbBytes, StreamId, StreamValue } from './records.js';

export interface StreamContext {
  readonly w: ByteWindow;
  /** Reads a string holding a blob; its bytes stay valid until the next read. */
  blob(): { buf: Uint8Array; start: number; len: number };
  /** Reads a string as latin1 text. */
  text(): string;
  /** Reads a string and skips it. */
  skipString(): void;
  fail(problem: string, offset: number): never;
  /** Reports a CorruptBlob found in the blob last returned by `blob()`. */
  corrupt(e: CorruptBlob): never;
}

export interface StreamRead {
  length: number;
  maxLength: number;
  totalLength: number;
  value: StreamValue | null;
}

const FLAG_DELETED = 1;
const FLAG_SAMEFIELDS = 2;
const U64 = (1n << 64n) - 1n;

export function readStream(ctx: StreamContext, rdbType: number, wantValue: boolean, wantEntries: boolean): StreamRead {
  const w = ctx.w;
  const lp = new ListpackCursor();
  let maxLength = 0;
  let totalLength = 0;
  const nodes: StreamValue['nodes'] = [];
  const entries: NonNullable<StreamValue['entries']> | null = wantValue && wantEntries ? [] : null;

  const nodeCount = w.len();
  const left = w.remaining();
  if (left !== null && nodeCount > left) ctx.fail(`stream node count ${nodeCount} is larger than the rest of the file`, w.offset());
  for (let n = 0; n < nodeCount; n++) {
    const keyAt = w.offset();
    const key = ctx.blob();
    if (key.len !== 16) ctx.fail(`stream node key of ${key.len} bytes (a stream ID takes 16)`, keyAt);
    const kb = Buffer.from(key.buf.buffer, key.buf.byteOffset + key.start, 16);
    const masterMs = kb.readBigUInt64BE(0);
    const masterSeq = kb.readBigUInt64BE(8);
    const blob = ctx.blob();
    let live = 0;
    let deleted = 0;
    try {
      lp.reset(blob.buf, blob.start, blob.len);
      if (!lp.next()) throw new CorruptBlob('stream listpack is empty', 6);
      live = intEntry(lp, 'live count');
      nextOrCorrupt(lp);
      deleted = intEntry(lp, 'deleted count');
      nextOrCorrupt(lp);
      const masterFields = intEntry(lp, 'master field count');
      const fieldLens: number[] = [];
      const fieldNames: string[] = [];
      for (let i = 0; i < masterFields; i++) {
        nextOrCorrupt(lp);
        fieldLens.push(lp.textLen);
        if (entries) fieldNames.push(lp.text());
      }
      nextOrCorrupt(lp);
      if (intEntry(lp, 'master entry terminator') !== 0) throw new CorruptBlob('stream master entry is not terminated by 0', 0);
      const total = live + deleted;
      let liveHere = 0;
      for (let e = 0; e < total; e++) {
        nextOrCorrupt(lp);
        const flags = intEntry(lp, 'entry flags');
        nextOrCorrupt(lp);
        const msDelta = entries ? bigEntry(lp) : 0n;
        nextOrCorrupt(lp);
        const seqDelta = entries ? bigEntry(lp) : 0n;
        const isLive = (flags & FLAG_DELETED) === 0;
        const pairs: Array<[RdbBytes, RdbBytes]> | null = entries && isLive ? [] : null;
        if (flags & FLAG_SAMEFIELDS) {
          for (let i = 0; i < masterFields; i++) {
            nextOrCorrupt(lp);
            if (isLive) {
              const fl = fieldLens[i]!;
              maxLength = Math.max(maxLength, fl, lp.textLen);
              totalLength += fl + lp.textLen;
              if (pairs) pairs.push([fieldNames[i]!, lp.text()]);
            }
          }
        } else {
          nextOrCorrupt(lp);
          const nf = intEntry(lp, 'entry field count');
          for (let i = 0; i < nf; i++) {
            nextOrCorrupt(lp);
            const fl = lp.textLen;
            const f = pairs ? lp.text() : '';
            nextOrCorrupt(lp);
            if (isLive) {
              maxLength = Math.max(maxLength, fl, lp.textLen);
              totalLength += fl + lp.textLen;
              if (pairs) pairs.push([f, lp.text()]);
            }
          }
        }
        nextOrCorrupt(lp);
        intEntry(lp, 'entry back-count');
        if (isLive) {
          liveHere++;
          if (entries && pairs) {
            entries.push({
              id: { ms: ((masterMs + msDelta) & U64).toString(), seq: ((masterSeq + seqDelta) & U64).toString() },
              fields: pairs,
            });
          }
        }
      }
      if (lp.next()) throw new CorruptBlob('stream listpack holds more entries than its master entry announces', 0);
      if (liveHere !== live) throw new CorruptBlob(`stream listpack announces ${live} live entries but holds ${liveHere}`, 0);
    } catch (e) {
      if (e instanceof CorruptBlob) ctx.corrupt(e);
      throw e;
    }
    if (wantValue) {
      nodes.push({ masterId: { ms: masterMs.toString(), seq: masterSeq.toString() }, listpackBytes: blob.len, entries: live, deleted });
    }
  }

  // XLEN is this stored length; Redis does not compare it with the nodes' live counts (and files
  // written by Redis 5 after XTRIM can disagree), so neither does the reader.
  const length = w.len();
  const lastId = id(w);
  let firstId: StreamId | null = null;
  let maxDeletedId: StreamId | null = null;
  let entriesAdded: number | null = null;
  if (rdbType >= 19) {
    firstId = id(w);
    maxDeletedId = id(w);
    entriesAdded = w.len();
  }

  const groups: StreamValue['groups'] = [];
  const groupCount = w.len();
  checkCount(ctx, groupCount, 'consumer group count');
  for (let g = 0; g < groupCount; g++) {
    const name = ctx.text();
    const groupLast = id(w);
    // SCG_INVALID_ENTRIES_READ (-1 as u64) means "unknown": XINFO shows nil.
    const entriesReadText = rdbType >= 19 ? w.lenText() : null;
    const entriesRead = entriesReadText === null || entriesReadText === U64.toString() ? null : Number(entriesReadText);
    const pelSize = w.len();
    checkCount(ctx, pelSize, 'pending entries count');
    for (let i = 0; i < pelSize; i++) {
      w.skip(24); // raw ID (16) + delivery time (8)
      w.len(); // delivery count
    }
    const consumerCount = w.len();
    checkCount(ctx, consumerCount, 'consumer count');
    const consumers: StreamValue['groups'][number]['consumers'] = [];
    for (let c = 0; c < consumerCount; c++) {
      const cname = wantValue ? ctx.text() : (ctx.skipString(), '');
      const seenTimeMs = w.i64le();
      const activeTimeMs = rdbType >= 21 ? w.i64le() : null;
      const cpel = w.len();
      checkCount(ctx, cpel, 'consumer pending entries count');
      w.skip(cpel * 16);
      if (wantValue) consumers.push({ name: cname, seenTimeMs, activeTimeMs, pelSize: cpel });
    }
    if (wantValue) groups.push({ name, lastId: groupLast, entriesRead, pelSize, consumers });
  }

  const value: StreamValue | null = wantValue
    ? { length, lastId, firstId, maxDeletedId, entriesAdded, nodes, groups, ...(entries ? { entries } : {}) }
    : null;
  return { length, maxLength, totalLength, value };
}

function id(w: ByteWindow): StreamId {
  return { ms: w.lenText(), seq: w.lenText() };
}

function checkCount(ctx: StreamContext, n: number, what: string): void {
  const left = ctx.w.remaining();
  if (left !== null && n > left) ctx.fail(`stream ${what} ${n} is larger than the rest of the file`, ctx.w.offset());
}

function nextOrCorrupt(lp: ListpackCursor): void {
  if (!lp.next()) throw new CorruptBlob('stream listpack ends in the middle of an entry', 0);
}

function intEntry(lp: ListpackCursor, what: string): number {
  if (!lp.isInt) throw new CorruptBlob(`stream listpack ${what} is not an integer`, 0);
  return lp.big === null ? lp.int : Number(lp.big);
}

function bigEntry(lp: ListpackCursor): bigint {
  if (!lp.isInt) throw new CorruptBlob('stream listpack ID delta is not an integer', 0);
  return lp.big ?? BigInt(lp.int);
}
