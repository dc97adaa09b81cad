// The RDB grammar: header, opcodes, and one decoder per value type, yielding the typed records
// of records.ts in file order.
//
// Design, for speed and flat memory on multi-GB files:
// - Synchronous: a generator over a ByteWindow (fs.readSync chunks), so a record costs no
//   promise and no stream event; the caller pulls records as fast as it consumes them.
// - Nothing is allocated per element unless values were asked for: element sizes come from
//   string headers (a raw string is skipped, an LZF string's length is in its header) and packed
//   blobs (listpack, ziplist, intset, zipmap) are walked in place by PackedCursors. Content is
//   looked at only where the loaded encoding depends on it (is this short string an integer?).
//   Consequence: an LZF payload inside a plain string is not decompressed in stats mode; a
//   corrupt one is still caught by the CRC64.
// - Sizes mode (RdbReadOptions.sizes) is the middle ground a memory report needs: element lengths
//   go into a reused typed array, packed blobs report their byte size, and only values whose load
//   converts them (small plain collections, legacy encodings, streams) are decoded.
// - Every length is checked against the bytes left before anything is sized from it; counts are
//   never used to preallocate. Errors are FileFormatErrors naming the file, the offset and the
//   key and type being read.
// - Empty collections are skipped and counted, as Redis 7.0 does when loading
//   ("empty keys skipped: N"); the count is on the EofRecord.

import { FileFormatError } from '../../common/errors.js';
import type { ByteSource } from './byte-source.js';
import { ByteWindow } from './byte-window.js';
import { crcTrailerHex } from './crc64.js';
import { IntsetCursor } from './intset.js';
import { ListpackCursor } from './listpack.js';
import { loadedEncoding, type LoadFacts } from './loaded-encoding.js';
import { LZF_MAX_RATIO, lzfDecompress } from './lzf.js';
import { decodeModuleId, skipModulePayload } from './module.js';
import { CorruptBlob, isCanonicalInt64, latin1, type PackedCursor } from './packed-cursor.js';
import { quoteKey } from './quote.js';
import type {
  ChecksumVerdict,
  EofRecord,
  KeyRecord,
  OnDiskEncoding,
  RdbBytes,
  RdbReadOptions,
  RdbRecord,
  RdbValue,
  RdbValueType,
} from './records.js';
import { readStream, type StreamContext } from './stream.js';
import { ZiplistCursor } from './ziplist.js';
import { ZipmapCursor } from './zipmap.js';

/** RDB versions this reader understands, per magic. */
export const SUPPORTED_VERSIONS = { REDIS: { min: 1, max: 12 }, VALKEY: { min: 80, max: 81 } } as const;

/** Opcodes (rdb.h). 107 is Redis Enterprise's RAM-LRU hint, skipped like IDLE. */
const OP = {
  SLOT_INFO: 0xf4,
  FUNCTION2: 0xf5,
  FUNCTION_PRE_GA: 0xf6,
  MODULE_AUX: 0xf7,
  IDLE: 0xf8,
  FREQ: 0xf9,
  AUX: 0xfa,
  RESIZEDB: 0xfb,
  EXPIRETIME_MS: 0xfc,
  EXPIRETIME: 0xfd,
  SELECTDB: 0xfe,
  EOF: 0xff,
  ENTERPRISE_RAM_LRU: 107,
} as const;

interface TypeInfo {
  type: RdbValueType;
  onDisk: OnDiskEncoding;
}

const T = (type: RdbValueType, onDisk: OnDiskEncoding): TypeInfo => ({ type, onDisk });

/** RDB type code -> value type and on-disk layout (Redis numbering, rdb.h of 7.4). */
const REDIS_TYPES: Readonly<Record<number, TypeInfo>> = {
  0: T('string', 'string'),
  1: T('list', 'linkedlist'),
  2: T('set', 'hashtable'),
  3: T('zset', 'skiplist'),
  4: T('hash', 'hashtable'),
  5: T('zset', 'skiplist'),
  6: T('module', 'module'),
  7: T('module', 'module'),
  9: T('hash', 'zipmap'),
  10: T('list', 'ziplist'),
  11: T('set', 'intset'),
  12: T('zset', 'ziplist'),
  13: T('hash', 'ziplist'),
  14: T('list', 'quicklist'),
  15: T('stream', 'stream'),
  16: T('hash', 'listpack'),
  17: T('zset', 'listpack'),
  18: T('list', 'quicklist2'),
  19: T('stream', 'stream'),
  20: T('set', 'listpack'),
  21: T('stream', 'stream'),
  22: T('hash', 'hashtable'),
  23: T('hash', 'listpack'),
  24: T('hash', 'hashtable'),
  25: T('hash', 'listpack'),
};

/** Valkey 9 (magic VALKEY, RDB 80+) reuses 22 for its hash with field expiry; 23-25 are not Redis's. */
const VALKEY_TYPES: Readonly<Record<number, TypeInfo>> = {
  ...Object.fromEntries(Object.entries(REDIS_TYPES).filter(([k]) => Number(k) < 22)),
  22: T('hash', 'hashtable'),
};

/** String flags for readStr: produce the text, check for a canonical integer. */
const S_TEXT = 1;
const S_INT = 2;
/** Produce the text only when the string is a canonical integer (sizes mode: int strings). */
const S_TEXT_IF_INT = 4;
/** Values longer than this are handed over as Uint8Array copies rather than latin1 strings. */
const TEXT_MAX = 1 << 20;

type Shape = 'flat' | 'set' | 'hash' | 'zset' | 'hash-ttl';

class EmptyKey {}

export class RdbReader {
  private readonly w: ByteWindow;
  private readonly name: string;
  private readonly values: boolean;
  /** Sizes mode (RdbReadOptions.sizes) and its small-collection bound. */
  private readonly sizes: boolean;
  private readonly valuesUpTo: number;
  /** Whether the value being read is decoded (values mode, or sizes mode where lengths are not enough). */
  private vals = false;
  private readonly streamEntries: boolean;
  private readonly preamble: boolean;
  private version = 0;
  private valkey = false;
  private db = 0;
  /** Context appended to errors ("in the value of key "x" (list)"). */
  private where: string | undefined;
  /** Key being decoded (the error context is built from it only when an error is raised). */
  private curKey: string | null = null;
  private curType: RdbValueType | null = null;
  private curModule: string | null = null;
  private emptyKeysSkipped = 0;
  /** next(): 0 before the header, 1 in the records, 2 after the EOF record. */
  private phase: 0 | 1 | 2 = 0;
  /** Opcodes met before the key they belong to, kept across next() calls. */
  private pendingExpire: number | null = null;
  private pendingIdle: number | null = null;
  private pendingFreq: number | null = null;
  private pendingStart = -1;

  // Last string read by readStr / readBlob.
  private sText: RdbBytes = '';
  private sInt = false;
  private bBuf: Uint8Array = Buffer.alloc(0);
  private bStart = 0;
  private bLen = 0;
  private bAt = 0;
  private bCompressed = false;
  private scratch: Buffer = Buffer.alloc(0);
  private lzfDone = false;

  // Facts about the value being decoded.
  private maxLen = 0;
  private total = 0;
  private allInts = true;
  /** The same facts handed to the load rules (one object reused: the rules keep nothing). */
  private readonly facts: LoadFacts = { count: 0, maxLength: 0, totalLength: 0, allIntegers: true };

  // Sizes mode: element lengths and packed sizes of the value being read (reused buffers).
  private lens: Uint32Array<ArrayBuffer> = new Uint32Array(1024);
  private lenN = 0;
  private packedBytes = -1;
  private nodeBytes: Uint32Array<ArrayBuffer> = new Uint32Array(64);
  private nodeCounts: Uint32Array<ArrayBuffer> = new Uint32Array(64);
  private nodeN = 0;

  private readonly lp = new ListpackCursor();
  private readonly zl = new ZiplistCursor();
  private readonly is = new IntsetCursor();
  private readonly zm = new ZipmapCursor();

  constructor(source: ByteSource, opts: RdbReadOptions = {}) {
    this.name = opts.name ?? '<stream>';
    this.sizes = opts.sizes ?? false;
    this.values = !this.sizes && (opts.values ?? false);
    this.valuesUpTo = opts.valuesUpTo ?? 512;
    this.streamEntries = opts.streamEntries ?? false;
    this.preamble = opts.preamble ?? false;
    this.w = new ByteWindow(source, this.fail, opts.verifyChecksum ?? true, opts.onProgress);
  }

  private readonly fail = (problem: string, offset: number): never => {
    throw new FileFormatError(this.name, offset, problem, this.context());
  };

  private context(): string | undefined {
    if (this.curKey === null) return this.where;
    const mod = this.curModule !== null ? ` of module type "${this.curModule}"` : '';
    return `in the value of key ${quoteKey(this.curKey)} (${this.curType})${mod}`;
  }

  *records(): Generator<RdbRecord> {
    for (let r = this.next(); r !== null; r = this.next()) yield r;
  }

  /**
   * The next record, or null after the EOF record: records() without a generator step per record,
   * for callers that pull millions of them (see openRdbFile in index.ts).
   */
  next(): RdbRecord | null {
    if (this.phase === 0) {
      this.phase = 1;
      return this.header();
    }
    if (this.phase === 2) return null;
    const w = this.w;
    let expireAtMs = this.pendingExpire;
    let idle = this.pendingIdle;
    let freq = this.pendingFreq;
    let recStart = this.pendingStart;
    for (;;) {
      const at = w.offset();
      if (recStart < 0) recStart = at;
      this.where = undefined;
      this.curKey = null;
      if (w.pos >= w.end) w.need(1);
      const op = w.buf[w.pos++]!;
      switch (op) {
        case OP.EXPIRETIME:
          expireAtMs = w.i32le() * 1000;
          continue;
        case OP.EXPIRETIME_MS:
          expireAtMs = w.i64le();
          continue;
        case OP.FREQ:
          freq = w.u8();
          continue;
        case OP.IDLE:
          idle = w.len();
          continue;
        case OP.ENTERPRISE_RAM_LRU:
          w.len();
          continue;
        case OP.EOF:
          this.phase = 2;
          return this.eof(at);
        case OP.SELECTDB:
          this.db = w.len();
          this.hold(expireAtMs, idle, freq);
          return { kind: 'db', db: this.db, offset: at };
        case OP.RESIZEDB: {
          const keys = w.len();
          const expires = w.len();
          this.hold(expireAtMs, idle, freq);
          return { kind: 'resizedb', db: this.db, keys, expires, offset: at };
        }
        case OP.AUX: {
          this.where = 'in an AUX field';
          const key = this.text();
          const value = this.text();
          this.hold(expireAtMs, idle, freq);
          return { kind: 'aux', key, value, offset: at };
        }
        case OP.MODULE_AUX: {
          this.where = 'in module AUX data';
          const m = decodeModuleId(w.lenText());
          const whenAt = w.offset();
          const whenOpcode = w.len();
          if (whenOpcode !== 2) this.fail(`module AUX "when" opcode is ${whenOpcode}, expected 2`, whenAt);
          w.len();
          this.where = `in module AUX data of module type "${m.name}"`;
          skipModulePayload(w, () => this.readStr(0), this.fail, m.name);
          this.hold(expireAtMs, idle, freq);
          return { kind: 'module-aux', moduleId: m.id, moduleName: m.name, encodingVersion: m.encodingVersion, offset: at };
        }
        case OP.FUNCTION_PRE_GA: {
          this.where = 'in a function library (7.0-rc format)';
          const library = this.text();
          const engine = this.text();
          if (w.len() !== 0) this.readStr(0); // description
          const code = this.text();
          this.hold(expireAtMs, idle, freq);
          return { kind: 'function', library, engine, code, offset: at };
        }
        case OP.FUNCTION2: {
          this.where = 'in a function library';
          const code = this.text();
          const m = /^#!(\S+)([^\n]*)/.exec(code);
          const lib = m ? /(?:^|\s)name=(\S+)/.exec(m[2]!) : null;
          this.hold(expireAtMs, idle, freq);
          return { kind: 'function', library: lib ? lib[1]! : null, engine: m ? m[1]! : null, code, offset: at };
        }
        case OP.SLOT_INFO: {
          const slot = w.len();
          const slotSize = w.len();
          const expiresSlotSize = w.len();
          this.hold(expireAtMs, idle, freq);
          return { kind: 'slot-info', slot, slotSize, expiresSlotSize, offset: at };
        }
        default: {
          const info = (this.valkey ? VALKEY_TYPES : REDIS_TYPES)[op];
          if (info === undefined) {
            this.fail(`unknown type code or opcode ${op} (0x${op.toString(16).padStart(2, '0')})`, at);
          }
          const rec = this.key(op, info!, recStart, expireAtMs, idle, freq);
          expireAtMs = idle = freq = null;
          recStart = -1;
          this.hold(null, null, null);
          if (rec !== null) return rec;
        }
      }
    }
  }

  /** Keeps the opcodes met so far for the key they belong to, across a next() that returns another record. */
  private hold(expireAtMs: number | null, idle: number | null, freq: number | null): void {
    this.pendingExpire = expireAtMs;
    this.pendingIdle = idle;
    this.pendingFreq = freq;
    this.pendingStart = -1;
  }

  private header(): RdbRecord {
    const w = this.w;
    const left = w.remaining();
    if (left === 0) this.fail('empty file (no RDB header)', 0);
    if (left !== null && left < 9) this.fail(`file of ${left} bytes is too short for an RDB header`, 0);
    w.need(9);
    const head = w.buf.toString('latin1', w.pos, w.pos + 9);
    let magic: 'REDIS' | 'VALKEY';
    let digits: string;
    if (head.startsWith('REDIS')) {
      magic = 'REDIS';
      digits = head.slice(5, 9);
    } else if (head.startsWith('VALKEY')) {
      magic = 'VALKEY';
      digits = head.slice(6, 9);
    } else {
      return this.fail(`not an RDB file: wrong magic ${quoteKey(head.slice(0, 6))} (expected "REDIS" or "VALKEY")`, 0);
    }
    const range = SUPPORTED_VERSIONS[magic];
    const version = /^\d+$/.test(digits) ? Number(digits) : NaN;
    if (!(version >= range.min && version <= range.max)) {
      const r = SUPPORTED_VERSIONS;
      this.fail(
        `unsupported RDB version ${quoteKey(digits)} (supported: REDIS ${r.REDIS.min}-${r.REDIS.max}, VALKEY ${r.VALKEY.min}-${r.VALKEY.max})`,
        magic.length,
      );
    }
    w.pos += 9;
    this.version = version;
    this.valkey = magic === 'VALKEY';
    return { kind: 'header', magic, version, offset: 0 };
  }

  private eof(at: number): EofRecord {
    const w = this.w;
    w.settleCrc();
    const computedCrc = w.crc ? w.crc.hex() : null;
    let checksum: ChecksumVerdict = { stored: null, computed: null, ok: null };
    if (this.version >= 5 || this.valkey) {
      this.where = 'in the checksum after the EOF opcode';
      w.need(8);
      const stored = crcTrailerHex(w.buf, w.pos);
      w.pos += 8;
      const zero = stored === '0000000000000000';
      checksum = { stored, computed: computedCrc, ok: zero || computedCrc === null ? null : stored === computedCrc };
      this.where = undefined;
    }
    const endOffset = w.offset();
    const rec: EofRecord = { kind: 'eof', offset: at, checksum, trailingBytes: 0, endOffset, emptyKeysSkipped: this.emptyKeysSkipped };
    if (this.preamble) rec.tail = Buffer.from(w.buf.subarray(w.pos, w.end));
    else rec.trailingBytes = w.drain();
    return rec;
  }

  // ---------------------------------------------------------------- strings

  private checkLen(len: number, what: string): void {
    const left = this.w.remaining();
    if (left !== null && len > left) {
      this.fail(`${what} length ${len} is larger than the ${left} bytes left in the file`, this.w.offset());
    }
  }

  private bytesOut(buf: Uint8Array, start: number, len: number): RdbBytes {
    if (len <= TEXT_MAX) return latin1(buf, start, len);
    return Uint8Array.prototype.slice.call(buf, start, start + len);
  }

  private ensureScratch(n: number): Buffer {
    if (this.scratch.length < n) this.scratch = Buffer.allocUnsafe(Math.max(n, 4096));
    return this.scratch;
  }

  /**
   * Reads an LZF header and payload; decompresses into scratch when the string's text is wanted
   * (S_TEXT), or when an integer check is wanted and the string is short enough to be one; else
   * skips the payload. Returns the uncompressed length; sets lzfDone when it decompressed.
   */
  private lzf(flags: number): number {
    const w = this.w;
    const at = w.offset() - 1;
    const clen = w.len();
    const ulen = w.len();
    this.checkLen(clen, 'LZF string');
    if (ulen > clen * LZF_MAX_RATIO + 64) {
      this.fail(`LZF string claims ${ulen} bytes from ${clen} compressed bytes (impossible)`, at);
    }
    const decompress = (flags & S_TEXT) !== 0 || ((flags & S_INT) !== 0 && ulen <= 20);
    this.lzfDone = decompress;
    if (!decompress) {
      w.skip(clen);
      return ulen;
    }
    w.need(clen);
    const out = this.ensureScratch(ulen);
    const problem = lzfDecompress(w.buf, w.pos, w.pos + clen, out, 0, ulen);
    if (problem !== null) this.fail(`corrupt LZF string: ${problem}`, at);
    w.pos += clen;
    return ulen;
  }

  private intEnc(c: number): number {
    const w = this.w;
    switch (c) {
      case 0xc0:
        w.need(1);
        return w.buf.readInt8(w.pos++);
      case 0xc1:
        w.need(2);
        w.pos += 2;
        return w.buf.readInt16LE(w.pos - 2);
      default:
        return w.i32le();
    }
  }

  /** Reads one RDB string; returns its length as text. Sets sText (S_TEXT) and sInt (S_INT). */
  private readStr(flags: number): number {
    const w = this.w;
    if (w.pos >= w.end) w.need(1);
    const c = w.buf[w.pos]!;
    if (c < 0xc0) {
      const len = w.len();
      this.checkLen(len, 'string');
      if ((flags & S_TEXT) === 0 && ((flags & S_INT) === 0 || len > 20)) {
        this.sInt = false;
        w.skip(len);
        return len;
      }
      w.need(len);
      if (flags & S_INT) this.sInt = isCanonicalInt64(w.buf, w.pos, len);
      if (flags & S_TEXT || (flags & S_TEXT_IF_INT && this.sInt)) this.sText = this.bytesOut(w.buf, w.pos, len);
      w.pos += len;
      return len;
    }
    w.pos++;
    if (c <= 0xc2) {
      const v = this.intEnc(c);
      this.sInt = true;
      const s = String(v);
      if (flags & (S_TEXT | S_TEXT_IF_INT)) this.sText = s;
      return s.length;
    }
    if (c === 0xc3) {
      const ulen = this.lzf(flags);
      if (this.lzfDone) {
        if (flags & S_INT) this.sInt = isCanonicalInt64(this.scratch, 0, ulen);
        if (flags & S_TEXT || (flags & S_TEXT_IF_INT && this.sInt)) this.sText = this.bytesOut(this.scratch, 0, ulen);
      } else this.sInt = false;
      return ulen;
    }
    return this.fail(`unknown string encoding byte 0x${c.toString(16)}`, w.offset() - 1);
  }

  /** A whole string as latin1 text (keys, AUX fields, names). */
  private text(): string {
    this.readStr(S_TEXT);
    const t = this.sText;
    return typeof t === 'string' ? t : Buffer.from(t).toString('latin1');
  }

  /** Reads a string whose bytes must be contiguous (a packed blob): sets bBuf/bStart/bLen. */
  private readBlob(): void {
    const w = this.w;
    this.bAt = w.offset();
    if (w.pos >= w.end) w.need(1);
    const c = w.buf[w.pos]!;
    if (c < 0xc0) {
      const len = w.len();
      this.checkLen(len, 'string');
      w.need(len);
      this.bBuf = w.buf;
      this.bStart = w.pos;
      this.bLen = len;
      this.bCompressed = false;
      this.bAt = w.offset();
      w.pos += len;
      return;
    }
    w.pos++;
    if (c === 0xc3) {
      this.bLen = this.lzf(S_TEXT);
      this.bBuf = this.scratch;
      this.bStart = 0;
      this.bCompressed = true;
      return;
    }
    if (c <= 0xc2) {
      const s = String(this.intEnc(c));
      const out = this.ensureScratch(s.length);
      out.write(s, 0, 'latin1');
      this.bBuf = out;
      this.bStart = 0;
      this.bLen = s.length;
      this.bCompressed = false;
      return;
    }
    this.fail(`unknown string encoding byte 0x${c.toString(16)}`, w.offset() - 1);
  }

  private blobCorrupt(e: CorruptBlob): never {
    const note = this.bCompressed ? ` (byte ${e.at} of the decompressed data)` : '';
    return this.fail(`corrupt ${e.message}${note}`, this.bCompressed ? this.bAt : this.bAt + e.at);
  }

  // ---------------------------------------------------------------- keys

  private key(
    rdbType: number,
    info: TypeInfo,
    recStart: number,
    expireAtMs: number | null,
    idle: number | null,
    freq: number | null,
  ): KeyRecord | null {
    this.where = KEY_NAME_WHERE[info.type];
    const key = this.text();
    this.curKey = key;
    this.curType = info.type;
    this.maxLen = 0;
    this.total = 0;
    this.allInts = true;
    this.vals = this.values || (this.sizes && VALUES_IN_SIZES_MODE[rdbType] === true);
    this.lenN = 0;
    this.packedBytes = -1;
    this.nodeN = 0;
    let decoded: { length: number; count: number; value: RdbValue | undefined };
    try {
      decoded = this.value(rdbType);
    } catch (e) {
      if (e instanceof EmptyKey) {
        this.emptyKeysSkipped++;
        this.curKey = this.curModule = null;
        return null;
      }
      if (e instanceof CorruptBlob) this.blobCorrupt(e);
      throw e;
    }
    if (this.scratch.length > 16 * 1024 * 1024) this.scratch = Buffer.alloc(0);
    const facts = this.facts;
    facts.count = decoded.count;
    facts.maxLength = this.maxLen;
    facts.totalLength = this.total;
    facts.allIntegers = this.allInts;
    const rec: KeyRecord = {
      kind: 'key',
      db: this.db,
      key,
      type: info.type,
      rdbType,
      onDisk: info.onDisk,
      encoding: loadedEncoding(rdbType, facts),
      length: decoded.length,
      elements: { count: decoded.count, maxLength: this.maxLen, totalLength: this.total },
      expireAtMs,
      idleSeconds: idle,
      lfuFreq: freq,
      offset: recStart,
      diskBytes: this.w.offset() - recStart,
    };
    if (decoded.value !== undefined) rec.value = decoded.value;
    if (this.sizes && info.type !== 'string' && info.type !== 'stream' && info.type !== 'module') {
      rec.sizes = { lengths: this.lens.subarray(0, this.lenN), packedBytes: this.packedBytes };
      if (rdbType === 18) {
        rec.sizes.nodeBytes = this.nodeBytes.subarray(0, this.nodeN);
        rec.sizes.nodeCounts = this.nodeCounts.subarray(0, this.nodeN);
      }
    }
    this.curKey = this.curModule = null;
    return rec;
  }

  private elem(len: number): void {
    if (len > this.maxLen) this.maxLen = len;
    this.total += len;
    if (this.sizes) {
      if (this.lenN === this.lens.length) this.lens = grow(this.lens);
      this.lens[this.lenN++] = len;
    }
  }

  /** Sizes mode, type 18: one stored node (0 bytes for a plain node). */
  private node(bytes: number, count: number): void {
    if (this.nodeN === this.nodeBytes.length) {
      this.nodeBytes = grow(this.nodeBytes);
      this.nodeCounts = grow(this.nodeCounts);
    }
    this.nodeBytes[this.nodeN] = bytes;
    this.nodeCounts[this.nodeN++] = count;
  }

  /** Sizes mode: plain collections small enough to change encoding on load are decoded. */
  private small(n: number): boolean {
    if (this.sizes && n <= this.valuesUpTo) this.vals = true;
    return this.vals;
  }

  private count(n: number, what: string): number {
    const left = this.w.remaining();
    if (left !== null && n > left) this.fail(`${what} ${n} is larger than the ${left} bytes left in the file`, this.w.offset());
    if (n === 0) throw new EmptyKey();
    return n;
  }

  private value(rdbType: number): { length: number; count: number; value: RdbValue | undefined } {
    const values = this.vals;
    const w = this.w;
    switch (rdbType) {
      case 0: {
        const len = this.readStr(values ? S_TEXT | S_INT : this.sizes ? S_INT | S_TEXT_IF_INT : S_INT);
        this.elem(len);
        this.allInts = this.sInt;
        const text = values || (this.sizes && this.sInt);
        return { length: len, count: 1, value: text ? { type: 'string', value: this.sText } : undefined };
      }
      case 1: {
        const n = this.count(w.len(), 'list length');
        const out: RdbBytes[] | null = values ? [] : null;
        for (let i = 0; i < n; i++) {
          this.elem(this.readStr(values ? S_TEXT : 0));
          if (out) out.push(this.sText);
        }
        return { length: n, count: n, value: out ? { type: 'list', elements: out } : undefined };
      }
      case 2: {
        const n = this.count(w.len(), 'set size');
        const values = this.small(n);
        const checkInts = n <= 512;
        const flags = (values ? S_TEXT : 0) | (checkInts ? S_INT : 0);
        const out: RdbBytes[] | null = values ? [] : null;
        let ints = checkInts;
        for (let i = 0; i < n; i++) {
          this.elem(this.readStr(flags));
          if (ints && !this.sInt) ints = false;
          if (out) out.push(this.sText);
        }
        this.allInts = ints;
        return { length: n, count: n, value: out ? { type: 'set', members: out } : undefined };
      }
      case 3:
      case 5: {
        const n = this.count(w.len(), 'sorted set size');
        const values = this.small(n);
        const out: Array<[RdbBytes, number]> | null = values ? [] : null;
        for (let i = 0; i < n; i++) {
          this.elem(this.readStr(values ? S_TEXT : 0));
          const member = this.sText;
          const at = w.offset();
          const score = rdbType === 5 ? w.f64le() : this.asciiDouble();
          if (Number.isNaN(score)) this.fail('sorted set score is NaN', at);
          if (out) out.push([member, score]);
        }
        return { length: n, count: n, value: out ? { type: 'zset', members: out } : undefined };
      }
      case 4: {
        const n = this.count(w.len(), 'hash size');
        const values = this.small(n);
        const out: Array<[RdbBytes, RdbBytes]> | null = values ? [] : null;
        const f = values ? S_TEXT : 0;
        for (let i = 0; i < n; i++) {
          this.elem(this.readStr(f));
          const field = this.sText;
          this.elem(this.readStr(f));
          if (out) out.push([field, this.sText]);
        }
        return { length: n, count: n, value: out ? { type: 'hash', fields: out } : undefined };
      }
      case 6:
        return this.fail('module value in the 4.0-rc format (type 6) cannot be skipped without its module', w.offset());
      case 7: {
        const m = decodeModuleId(w.lenText());
        this.curModule = m.name;
        skipModulePayload(w, () => this.readStr(0), this.fail, m.name);
        const value: RdbValue | undefined = values
          ? { type: 'module', moduleId: m.id, moduleName: m.name, encodingVersion: m.encodingVersion }
          : undefined;
        return { length: 0, count: 0, value };
      }
      case 9:
        return this.packed(this.zm, 'hash');
      case 10:
        return this.packed(this.zl, 'flat');
      case 11:
        return this.packed(this.is, 'set');
      case 12:
        return this.packed(this.zl, 'zset');
      case 13:
        return this.packed(this.zl, 'hash');
      case 14:
      case 18:
        return this.quicklist(rdbType);
      case 15:
      case 19:
      case 21: {
        const s = readStream(this.streamContext(), rdbType, values, this.streamEntries);
        this.maxLen = s.maxLength;
        this.total = s.totalLength;
        return { length: s.length, count: s.length, value: s.value ? { type: 'stream', stream: s.value } : undefined };
      }
      case 16:
        return this.packed(this.lp, 'hash');
      case 17:
        return this.packed(this.lp, 'zset');
      case 20:
        return this.packed(this.lp, 'set');
      case 22:
        return this.valkey ? this.hashWithTtl('valkey') : this.hashWithTtl('pre-ga');
      case 23:
        return this.packed(this.lp, 'hash-ttl');
      case 24:
        return this.hashWithTtl('ga');
      case 25:
        w.i64le(); // minimum expiry, a hint
        return this.packed(this.lp, 'hash-ttl');
      default:
        return this.fail(`unknown type code ${rdbType}`, w.offset());
    }
  }

  /** Type 3 scores: a length byte then ASCII (253 NaN, 254 +inf, 255 -inf). */
  private asciiDouble(): number {
    const w = this.w;
    const n = w.u8();
    if (n === 253) return NaN;
    if (n === 254) return Infinity;
    if (n === 255) return -Infinity;
    w.need(n);
    const s = w.buf.toString('latin1', w.pos, w.pos + n);
    w.pos += n;
    const v = parseScore(s);
    if (Number.isNaN(v)) this.fail(`invalid sorted set score ${quoteKey(s)}`, w.offset() - n - 1);
    return v;
  }

  /** Hashes with field TTLs stored field by field: 7.4-rc (22), 7.4 (24), Valkey 9 (22). */
  private hashWithTtl(layout: 'pre-ga' | 'ga' | 'valkey'): { length: number; count: number; value: RdbValue | undefined } {
    const w = this.w;
    const minExpire = layout === 'ga' ? w.i64le() : 0;
    const n = this.count(w.len(), 'hash size');
    const values = this.vals;
    const out: Array<[RdbBytes, RdbBytes]> | null = values ? [] : null;
    const ttls: Array<number | null> | null = values ? [] : null;
    const f = values ? S_TEXT : 0;
    for (let i = 0; i < n; i++) {
      let ttl: number | null = null;
      if (layout !== 'valkey') {
        const t = w.len();
        ttl = t === 0 ? null : layout === 'ga' ? t + minExpire - 1 : t;
      }
      this.elem(this.readStr(f));
      const field = this.sText;
      this.elem(this.readStr(f));
      const value = this.sText;
      if (layout === 'valkey') {
        const t = w.i64le();
        ttl = t === -1 ? null : t;
      }
      if (out) {
        out.push([field, value]);
        ttls!.push(ttl);
      }
    }
    return { length: n, count: n, value: out ? { type: 'hash', fields: out, fieldExpiresAtMs: ttls! } : undefined };
  }

  /** A value held in one packed blob (zipmap, ziplist, intset, listpack). */
  private packed(
    cur: PackedCursor & { reset(buf: Uint8Array, start: number, size: number): unknown },
    shape: Shape,
  ): { length: number; count: number; value: RdbValue | undefined } {
    this.readBlob();
    this.packedBytes = this.bLen;
    cur.reset(this.bBuf, this.bStart, this.bLen);
    const r = this.walk(cur, shape);
    if (r.count === 0) throw new EmptyKey();
    return { length: r.count, count: r.count, value: r.value };
  }

  /** Walks a packed blob entry by entry according to the value's shape. */
  private walk(cur: PackedCursor, shape: Shape): { count: number; value: RdbValue | undefined } {
    const values = this.vals;
    let count = 0;
    switch (shape) {
      case 'flat':
      case 'set': {
        const out: RdbBytes[] | null = values ? [] : null;
        let ints = true;
        while (cur.next()) {
          count++;
          this.elem(cur.textLen);
          if (shape === 'set' && ints && !cur.isInt) ints = isCanonicalInt64((cur as ListpackCursor).buf, cur.strStart, cur.strLen);
          if (out) out.push(cur.text());
        }
        if (shape === 'set') this.allInts = ints;
        const value: RdbValue | undefined = out ? (shape === 'set' ? { type: 'set', members: out } : { type: 'list', elements: out }) : undefined;
        return { count, value };
      }
      case 'hash':
      case 'zset': {
        const hashOut: Array<[RdbBytes, RdbBytes]> | null = values && shape === 'hash' ? [] : null;
        const zsetOut: Array<[RdbBytes, number]> | null = values && shape === 'zset' ? [] : null;
        while (cur.next()) {
          const firstLen = cur.textLen;
          const first = values ? cur.text() : '';
          if (!cur.next()) throw new CorruptBlob(`${shape} blob holds an odd number of entries`, 0);
          count++;
          this.elem(firstLen);
          if (shape === 'hash') {
            this.elem(cur.textLen);
            if (hashOut) hashOut.push([first, cur.text()]);
          } else if (zsetOut) {
            zsetOut.push([first, cur.isInt ? (cur.big === null ? cur.int : Number(cur.big)) : parseScore(cur.text())]);
          }
        }
        const value: RdbValue | undefined = hashOut ? { type: 'hash', fields: hashOut } : zsetOut ? { type: 'zset', members: zsetOut } : undefined;
        return { count, value };
      }
      case 'hash-ttl': {
        const out: Array<[RdbBytes, RdbBytes]> | null = values ? [] : null;
        const ttls: Array<number | null> | null = values ? [] : null;
        while (cur.next()) {
          const fl = cur.textLen;
          const field = values ? cur.text() : '';
          if (!cur.next()) throw new CorruptBlob('hash listpack with TTLs holds an incomplete field/value/ttl triple', 0);
          const vl = cur.textLen;
          const value = values ? cur.text() : '';
          if (!cur.next() || !cur.isInt) throw new CorruptBlob('hash listpack with TTLs holds an incomplete field/value/ttl triple', 0);
          count++;
          this.elem(fl);
          this.elem(vl);
          if (out) {
            out.push([field, value]);
            const t = cur.big === null ? cur.int : Number(cur.big);
            ttls!.push(t === 0 ? null : t);
          }
        }
        return { count, value: out ? { type: 'hash', fields: out, fieldExpiresAtMs: ttls! } : undefined };
      }
    }
  }

  /** Types 14 (ziplist nodes) and 18 (listpack or plain nodes). */
  private quicklist(rdbType: number): { length: number; count: number; value: RdbValue | undefined } {
    const w = this.w;
    const n = this.count(w.len(), 'quicklist node count');
    const values = this.vals;
    const out: RdbBytes[] | null = values ? [] : null;
    const nodes: number[] | null = values ? [] : null;
    let total = 0;
    for (let i = 0; i < n; i++) {
      let container = 2;
      if (rdbType === 18) {
        const at = w.offset();
        container = w.len();
        if (container !== 1 && container !== 2) this.fail(`quicklist node container ${container} is neither 1 (plain) nor 2 (packed)`, at);
      }
      if (container === 1) {
        const at = w.offset();
        const len = this.readStr(values ? S_TEXT : 0);
        if (len === 0) this.fail('empty quicklist node', at);
        this.elem(len);
        total++;
        if (this.sizes) this.node(0, 1);
        if (out) {
          out.push(this.sText);
          nodes!.push(1);
        }
        continue;
      }
      this.readBlob();
      if (this.bLen === 0) this.fail('empty quicklist node', this.bAt);
      const cur = rdbType === 18 ? this.lp.reset(this.bBuf, this.bStart, this.bLen) : this.zl.reset(this.bBuf, this.bStart, this.bLen);
      let k = 0;
      while (cur.next()) {
        k++;
        this.elem(cur.textLen);
        if (out) out.push(cur.text());
      }
      total += k;
      if (nodes && k > 0) nodes.push(k);
      if (this.sizes && k > 0) this.node(this.bLen, k);
    }
    if (total === 0) throw new EmptyKey();
    return { length: total, count: total, value: out ? { type: 'list', elements: out, nodes: nodes! } : undefined };
  }

  private streamContext(): StreamContext {
    return {
      w: this.w,
      blob: () => {
        this.readBlob();
        return { buf: this.bBuf, start: this.bStart, len: this.bLen };
      },
      text: () => this.text(),
      skipString: () => void this.readStr(0),
      fail: this.fail,
      corrupt: (e) => this.blobCorrupt(e),
    };
  }
}

/** Error context while a key's name is read (one string per type, not one per key). */
const KEY_NAME_WHERE: Readonly<Record<RdbValueType, string>> = {
  string: 'in the key name of a string record',
  list: 'in the key name of a list record',
  set: 'in the key name of a set record',
  zset: 'in the key name of a zset record',
  hash: 'in the key name of a hash record',
  stream: 'in the key name of a stream record',
  module: 'in the key name of a module record',
};

/** Types whose values a sizes pass still decodes (see RdbReadOptions.sizes). */
const VALUES_IN_SIZES_MODE: Readonly<Record<number, boolean>> = {
  1: true,
  7: true,
  9: true,
  10: true,
  12: true,
  13: true,
  14: true,
  15: true,
  19: true,
  20: true,
  21: true,
  22: true,
  23: true,
  24: true,
  25: true,
};

function grow(a: Uint32Array): Uint32Array<ArrayBuffer> {
  const b = new Uint32Array(a.length * 2);
  b.set(a);
  return b;
}

/** Scores stored as text (type 3, ziplist zsets): decimal, or inf/-inf/nan as strtod reads them. */
export function parseScore(s: string): number {
  const t = s.trim().toLowerCase();
  if (t === 'inf' || t === '+inf' || t === 'infinity' || t === '+infinity') return Infinity;
  if (t === '-inf' || t === '-infinity') return -Infinity;
  if (t === 'nan' || t === '-nan') return NaN;
  if (t === '') return NaN;
  return Number(t);
}
