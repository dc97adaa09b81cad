// The RDB writer: RDB version 10 as Redis 7.0 writes it. The reader (reader.ts) is its mirror.
//
// Design:
// - Streaming: bytes go into one reusable 64 KiB buffer that is handed to a sink (a file
//   descriptor, or a collector for DUMP payloads) whenever it fills, with the CRC64 updated per
//   chunk; only one value's packed blobs are ever held at once, whatever the dataset's size.
// - Values arrive in a neutral shape (RdbOutValue) that already says which on-disk encoding to
//   use: the caller (the engine's persistence code) knows its encodings; this file knows bytes.
// - Strings are saved as Redis's rdbSaveRawString does: up to 11 bytes of canonical integer text
//   in int32 range become an int8/16/32 encoding, strings over 20 bytes are LZF-compressed when
//   compression is on and it saves at least 4 bytes, everything else is length + bytes. Packed
//   blobs (listpacks, intsets) are strings too, so they are compressed the same way.

import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { Crc64 } from './crc64.js';
import { lzfCompress } from './writer-lzf.js';
import { buildIntset, ListpackBuilder, quicklistNodes } from './writer-packed.js';
import { streamIdBytes, streamNodeListpack, type StreamIdOut, type StreamOut } from './writer-stream.js';
import { d2string, int32Text, scoreAsInteger } from './writer-numbers.js';

export type { StreamOut, StreamIdOut, StreamGroupOut, StreamNodeOut, StreamEntryOut } from './writer-stream.js';

/** The version Redis 7.0 writes (header "REDIS0010", DUMP footer 10). */
export const RDB_VERSION = 10;

/** Type codes (rdb.h) of the encodings Redis 7.0 writes. */
export const RDB_TYPE = {
  STRING: 0,
  SET: 2,
  HASH: 4,
  ZSET_2: 5,
  SET_INTSET: 11,
  HASH_LISTPACK: 16,
  ZSET_LISTPACK: 17,
  LIST_QUICKLIST_2: 18,
  STREAM_LISTPACKS_2: 19,
} as const;

const OP = { FUNCTION2: 0xf5, IDLE: 0xf8, FREQ: 0xf9, AUX: 0xfa, RESIZEDB: 0xfb, EXPIRETIME_MS: 0xfc, SELECTDB: 0xfe, EOF: 0xff } as const;

/** A value with its on-disk encoding chosen. Element bytes are latin1 strings. */
export type RdbOutValue =
  | { type: 'string'; value: string }
  /** Split into listpack nodes by list-max-listpack-size `fill`, as RPUSH would. */
  | { type: 'list'; elements: Iterable<string>; fill: number }
  | { type: 'set-intset'; members: Iterable<string> }
  | { type: 'set'; size: number; members: Iterable<string> }
  | { type: 'hash-listpack'; pairs: Iterable<readonly [string, string]> }
  | { type: 'hash'; size: number; pairs: Iterable<readonly [string, string]> }
  /** Ascending by (score, member): listpack order. */
  | { type: 'zset-listpack'; pairs: Iterable<readonly [string, number]> }
  /** Descending by (score, member): Redis saves a skiplist from its tail. */
  | { type: 'zset'; size: number; pairsDescending: Iterable<readonly [string, number]> }
  | { type: 'stream'; stream: StreamOut };

const TYPE_CODE: Record<RdbOutValue['type'], number> = {
  string: RDB_TYPE.STRING,
  list: RDB_TYPE.LIST_QUICKLIST_2,
  'set-intset': RDB_TYPE.SET_INTSET,
  set: RDB_TYPE.SET,
  'hash-listpack': RDB_TYPE.HASH_LISTPACK,
  hash: RDB_TYPE.HASH,
  'zset-listpack': RDB_TYPE.ZSET_LISTPACK,
  zset: RDB_TYPE.ZSET_2,
  stream: RDB_TYPE.STREAM_LISTPACKS_2,
};

const CHUNK = 64 * 1024;
const U64 = (1n << 64n) - 1n;

export interface RdbOutOptions {
  /** rdbcompression (default true). */
  compress?: boolean;
  /** Compute the CRC64 (rdbchecksum; default true). */
  checksum?: boolean;
}

/** Byte-level output with RDB's primitive encodings. `sink` receives each full chunk (copy it to keep it). */
export class RdbOut {
  private buf = Buffer.allocUnsafe(CHUNK);
  private pos = 0;
  /** Reused for strings about to be compressed. */
  private scratch = Buffer.allocUnsafe(1024);
  private readonly crc: Crc64 | null;
  readonly compress: boolean;
  /** Bytes handed to the sink so far plus those buffered. */
  written = 0;

  constructor(
    private readonly sink: (chunk: Buffer) => void,
    opts: RdbOutOptions = {},
  ) {
    this.compress = opts.compress ?? true;
    this.crc = (opts.checksum ?? true) ? new Crc64() : null;
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.buf = Buffer.allocUnsafe(Math.max(n, CHUNK));
  }

  /** Hands the buffered bytes to the sink. */
  flush(): void {
    if (this.pos === 0) return;
    const chunk = this.buf.subarray(0, this.pos);
    this.crc?.update(chunk);
    this.sink(chunk);
    this.pos = 0;
  }

  u8(v: number): void {
    this.room(1);
    this.buf[this.pos++] = v;
    this.written++;
  }

  bytes(b: Uint8Array): void {
    if (b.length > CHUNK) {
      this.flush();
      this.crc?.update(b);
      this.sink(Buffer.from(b.buffer, b.byteOffset, b.length));
      this.written += b.length;
      return;
    }
    this.room(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
    this.written += b.length;
  }

  latin1(s: string): void {
    if (s.length > CHUNK) {
      this.bytes(Buffer.from(s, 'latin1'));
      return;
    }
    this.room(s.length);
    this.pos += this.buf.write(s, this.pos, 'latin1');
    this.written += s.length;
  }

  /** rdbSaveLen: 6-bit, 14-bit, 32-bit or 64-bit length. */
  len(v: number | bigint): void {
    const n = typeof v === 'bigint' ? v & U64 : v;
    this.room(9);
    const b = this.buf;
    if (n < 64) b[this.pos++] = Number(n);
    else if (n < 16384) {
      const x = Number(n);
      b[this.pos++] = 0x40 | (x >>> 8);
      b[this.pos++] = x & 0xff;
      this.written++;
    } else if (n <= 0xffffffff) {
      b[this.pos++] = 0x80;
      b.writeUInt32BE(Number(n), this.pos);
      this.pos += 4;
      this.written += 4;
    } else {
      b[this.pos++] = 0x81;
      b.writeBigUInt64BE(BigInt(n), this.pos);
      this.pos += 8;
      this.written += 8;
    }
    this.written++;
  }

  /** rdbSaveMillisecondTime and friends: a signed 64-bit little-endian integer. */
  i64le(v: number | bigint): void {
    this.room(8);
    this.buf.writeBigInt64LE(BigInt(v), this.pos);
    this.pos += 8;
    this.written += 8;
  }

  /** rdbSaveBinaryDoubleValue */
  doubleLE(v: number): void {
    this.room(8);
    this.buf.writeDoubleLE(v, this.pos);
    this.pos += 8;
    this.written += 8;
  }

  /** rdbSaveRawString for latin1 text: integer encoding, LZF, or plain. */
  string(s: string): void {
    const n = s.length;
    if (n <= 11 && n > 0) {
      const c0 = s.charCodeAt(0);
      if ((c0 >= 48 && c0 <= 57) || c0 === 45) {
        const v = int32Text(s);
        if (v !== null) {
          this.intString(v);
          return;
        }
      }
    }
    if (this.compress && n > 20) {
      if (this.scratch.length < n) this.scratch = Buffer.allocUnsafe(Math.max(n, 2 * this.scratch.length));
      this.scratch.write(s, 0, 'latin1');
      if (this.tryLzf(this.scratch.subarray(0, n))) return;
    }
    this.len(n);
    this.latin1(s);
  }

  private intString(v: number): void {
    this.room(5);
    const b = this.buf;
    if (v >= -128 && v <= 127) {
      b[this.pos] = 0xc0;
      b.writeInt8(v, this.pos + 1);
      this.pos += 2;
      this.written += 2;
    } else if (v >= -32768 && v <= 32767) {
      b[this.pos] = 0xc1;
      b.writeInt16LE(v, this.pos + 1);
      this.pos += 3;
      this.written += 3;
    } else {
      b[this.pos] = 0xc2;
      b.writeInt32LE(v, this.pos + 1);
      this.pos += 5;
      this.written += 5;
    }
  }

  /** rdbSaveRawString for a packed blob (never integer text). */
  blob(b: Uint8Array): void {
    if (this.compress && b.length > 20 && this.tryLzf(b)) return;
    this.len(b.length);
    this.bytes(b);
  }

  private tryLzf(src: Uint8Array): boolean {
    if (src.length <= 4) return false;
    const packed = lzfCompress(src, src.length - 4);
    if (packed === null) return false;
    this.u8(0xc3);
    this.len(packed.length);
    this.len(src.length);
    this.bytes(packed);
    return true;
  }

  /** The CRC64 of everything flushed (call flush() first), as the 8-byte little-endian trailer. */
  crcTrailer(): Buffer {
    const out = Buffer.alloc(8);
    if (this.crc) out.writeBigUInt64LE(this.crc.value());
    return out;
  }

  // ------------------------------------------------------------------------------ values

  /** rdbSaveObjectType */
  valueType(v: RdbOutValue): void {
    this.u8(TYPE_CODE[v.type]);
  }

  /** rdbSaveObject */
  value(v: RdbOutValue): void {
    switch (v.type) {
      case 'string':
        this.string(v.value);
        return;
      case 'list': {
        const nodes = [...quicklistNodes(v.elements, v.fill)];
        this.len(nodes.length);
        for (const node of nodes) {
          if (node.plain) {
            this.len(1);
            this.string(node.element);
          } else {
            this.len(2);
            this.blob(node.listpack);
          }
        }
        return;
      }
      case 'set-intset':
        this.blob(buildIntset(v.members));
        return;
      case 'set':
        this.len(v.size);
        for (const m of v.members) this.string(m);
        return;
      case 'hash-listpack': {
        const lp = new ListpackBuilder();
        for (const [f, x] of v.pairs) lp.add(f).add(x);
        this.blob(lp.finish());
        return;
      }
      case 'hash':
        this.len(v.size);
        for (const [f, x] of v.pairs) {
          this.string(f);
          this.string(x);
        }
        return;
      case 'zset-listpack': {
        const lp = new ListpackBuilder();
        for (const [m, score] of v.pairs) {
          lp.add(m);
          // zzlInsertAt: integral scores within +-2^62 as integers, others as d2string text.
          const asInt = scoreAsInteger(score);
          if (asInt !== null) lp.addInt(asInt);
          else lp.addString(d2string(score));
        }
        this.blob(lp.finish());
        return;
      }
      case 'zset':
        this.len(v.size);
        for (const [m, score] of v.pairsDescending) {
          this.string(m);
          this.doubleLE(score);
        }
        return;
      case 'stream':
        this.stream(v.stream);
        return;
    }
  }

  private id(x: StreamIdOut): void {
    this.len(x.ms);
    this.len(x.seq);
  }

  private stream(s: StreamOut): void {
    this.len(s.nodes.length);
    for (const node of s.nodes) {
      this.blob(streamIdBytes(node.master));
      this.blob(streamNodeListpack(node));
    }
    this.len(s.length);
    this.id(s.lastId);
    this.id(s.firstId);
    this.id(s.maxDeletedId);
    this.len(s.entriesAdded);
    this.len(s.groups.length);
    for (const g of s.groups) {
      this.string(g.name);
      this.id(g.lastId);
      this.len(g.entriesRead < 0n ? U64 : g.entriesRead);
      this.len(g.pel.length);
      for (const p of g.pel) {
        this.bytes(streamIdBytes(p.id));
        this.i64le(p.deliveryTime);
        this.len(p.deliveryCount);
      }
      this.len(g.consumers.length);
      for (const c of g.consumers) {
        this.string(c.name);
        this.i64le(c.seenTime);
        this.len(c.pel.length);
        for (const id of c.pel) this.bytes(streamIdBytes(id));
      }
    }
  }
}

// ------------------------------------------------------------------------------ DUMP payloads

/** createDumpPayload: type, value, RDB version (2 bytes LE), CRC64 of all that (8 bytes LE). */
export function dumpPayload(v: RdbOutValue, opts: { compress?: boolean } = {}): Buffer {
  const chunks: Buffer[] = [];
  const out = new RdbOut((c) => chunks.push(Buffer.from(c)), { compress: opts.compress ?? true, checksum: true });
  out.valueType(v);
  out.value(v);
  out.u8(RDB_VERSION & 0xff);
  out.u8(RDB_VERSION >> 8);
  out.flush();
  chunks.push(out.crcTrailer());
  return Buffer.concat(chunks);
}

// ------------------------------------------------------------------------------ whole files

export interface RdbKeyOut {
  key: string;
  value: RdbOutValue;
  /** Absolute unix ms, or null. */
  expireAtMs: number | null;
  /** LRU idle seconds (written when the eviction policy is an LRU one), or null. */
  idleSeconds?: number | null;
  /** LFU counter (written when the policy is an LFU one), or null. */
  lfuFreq?: number | null;
}

/**
 * Writes an RDB file through `out` in order: header(), aux()..., then per database selectDb()
 * (with its sizes) and key()..., then end(). A function library (FUNCTION2) may follow the aux
 * fields via functionLibrary().
 */
export class RdbFileWriter {
  constructor(readonly out: RdbOut) {}

  header(): void {
    this.out.latin1(`REDIS${String(RDB_VERSION).padStart(4, '0')}`);
  }

  /** An AUX field; values that are integers are stored integer-encoded (rdbSaveAuxFieldStrInt). */
  aux(key: string, value: string): void {
    this.out.u8(OP.AUX);
    this.out.string(key);
    this.out.string(value);
  }

  functionLibrary(code: string): void {
    this.out.u8(OP.FUNCTION2);
    this.out.string(code);
  }

  selectDb(db: number, keys: number, expires: number): void {
    this.out.u8(OP.SELECTDB);
    this.out.len(db);
    this.out.u8(OP.RESIZEDB);
    this.out.len(keys);
    this.out.len(expires);
  }

  /** rdbSaveKeyValuePair */
  key(k: RdbKeyOut): void {
    const out = this.out;
    if (k.expireAtMs !== null) {
      out.u8(OP.EXPIRETIME_MS);
      out.i64le(k.expireAtMs);
    }
    if (k.idleSeconds !== undefined && k.idleSeconds !== null) {
      out.u8(OP.IDLE);
      out.len(k.idleSeconds);
    }
    if (k.lfuFreq !== undefined && k.lfuFreq !== null) {
      out.u8(OP.FREQ);
      out.u8(k.lfuFreq);
    }
    out.valueType(k.value);
    out.string(k.key);
    out.value(k.value);
  }

  /** EOF opcode and the CRC64 trailer (zero when checksums are off), then a final flush. */
  end(): void {
    this.out.u8(OP.EOF);
    this.out.flush();
    this.out.bytes(this.out.crcTrailer());
    this.out.flush();
  }
}

/** An RdbOut writing straight to a file descriptor in 64 KiB chunks. */
export function fdOut(fd: number, opts: RdbOutOptions = {}): RdbOut {
  return new RdbOut((chunk) => {
    let off = 0;
    while (off < chunk.length) off += writeSync(fd, chunk, off, chunk.length - off);
  }, opts);
}

/** Opens `path` for writing, runs `fill` with a file writer, fsyncs and closes it. */
export function writeRdbFile(path: string, opts: RdbOutOptions, fill: (w: RdbFileWriter) => void): number {
  const fd = openSync(path, 'w');
  try {
    const out = fdOut(fd, opts);
    const w = new RdbFileWriter(out);
    fill(w);
    fsyncSync(fd);
    return out.written;
  } finally {
    closeSync(fd);
  }
}
