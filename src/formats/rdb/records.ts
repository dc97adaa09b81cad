// The typed records an RDB pass yields, in file order. The reader (reader.ts) decodes bytes into
// these and nothing more; every consumer (the DatasetReport, the AOF reader's preamble, the
// engine's loader, the capacity check) reads the same shapes, as HDT3213/rdb's decoder feeds its
// separate, small consumers.
//
// Bytes: keys are latin1 strings (one char per byte, binary-safe, like the engine). Element
// contents are `RdbBytes`: a latin1 string, or a Uint8Array view into the reader's buffer that
// stays valid only until the next record is pulled (consume or copy it before moving on). Integers
// stored in integer form (intsets, ziplist/listpack integer entries, int-encoded strings) are
// given as their decimal text, which is what Redis hands back for them.

/** Latin1 string or a short-lived view into the reader's buffer; see the file comment. */
export type RdbBytes = string | Uint8Array;

/** The value types Redis reports with TYPE. */
export type RdbValueType = 'string' | 'list' | 'set' | 'zset' | 'hash' | 'stream' | 'module';

/** How a value is laid out in the file (named after the RDB type code's encoding). */
export type OnDiskEncoding =
  | 'string'
  | 'linkedlist' // type 1
  | 'hashtable' // types 2 (set), 4 (hash), 24 (hash with field TTLs)
  | 'skiplist' // types 3, 5
  | 'zipmap' // type 9
  | 'ziplist' // types 10, 12, 13
  | 'intset' // type 11
  | 'quicklist' // type 14 (ziplist nodes)
  | 'listpack' // types 16, 17, 20, 25
  | 'quicklist2' // type 18 (listpack or plain nodes)
  | 'stream' // types 15, 19, 21
  | 'module'; // types 6, 7

/** What OBJECT ENCODING says once Redis 7.0 has loaded the value (default thresholds unless told). */
export type LoadedEncoding = 'int' | 'embstr' | 'raw' | 'quicklist' | 'listpack' | 'hashtable' | 'intset' | 'skiplist' | 'stream' | 'module';

export interface HeaderRecord {
  kind: 'header';
  magic: 'REDIS' | 'VALKEY';
  version: number;
  offset: 0;
}

export interface AuxRecord {
  kind: 'aux';
  key: string;
  value: string;
  offset: number;
}

/** SELECTDB: the keys that follow belong to `db`. */
export interface DbRecord {
  kind: 'db';
  db: number;
  offset: number;
}

/** RESIZEDB: the writer's hint of the db's size (keys, keys with a TTL). */
export interface ResizeDbRecord {
  kind: 'resizedb';
  db: number;
  keys: number;
  expires: number;
  offset: number;
}

/** SLOT_INFO (7.4 cluster): sizes of one slot's dictionaries. */
export interface SlotInfoRecord {
  kind: 'slot-info';
  slot: number;
  slotSize: number;
  expiresSlotSize: number;
  offset: number;
}

/** MODULE_AUX: module data outside keys; skipped, its module named. */
export interface ModuleAuxRecord {
  kind: 'module-aux';
  moduleId: string; // 64-bit id as decimal text
  moduleName: string; // the 9-character name decoded from the id, e.g. "ReJSON-RL"
  encodingVersion: number;
  offset: number;
}

/** FUNCTION (7.0 rc) / FUNCTION2: a library's source, kept as is. */
export interface FunctionRecord {
  kind: 'function';
  /** Library name parsed from the `#!<engine> name=<name>` shebang, when present. */
  library: string | null;
  engine: string | null;
  code: string;
  offset: number;
}

/** The element shapes of a value, handed over only when the reader is asked for values. */
export type RdbValue =
  | { type: 'string'; value: RdbBytes }
  | {
      type: 'list';
      elements: RdbBytes[];
      /** Elements per node as stored (quicklist, quicklist2); Redis 7.0 keeps these nodes when loading. */
      nodes?: number[];
    }
  | { type: 'set'; members: RdbBytes[] }
  | { type: 'zset'; members: Array<[RdbBytes, number]> }
  | {
      type: 'hash';
      fields: Array<[RdbBytes, RdbBytes]>;
      /** Per-field absolute expiry (unix ms), same order as `fields`; 7.4 types 24/25 only. */
      fieldExpiresAtMs?: Array<number | null>;
    }
  | { type: 'stream'; stream: StreamValue }
  | { type: 'module'; moduleId: string; moduleName: string; encodingVersion: number };

/** A stream ID (ms and seq as decimal text: both are unsigned 64-bit). */
export interface StreamId {
  ms: string;
  seq: string;
}

/** A stream as stored: enough for XINFO STREAM FULL-like reports and the memory model. */
export interface StreamValue {
  /** Entries not deleted (XLEN). */
  length: number;
  lastId: StreamId;
  /** RDB type 19+ only (else null). */
  firstId: StreamId | null;
  maxDeletedId: StreamId | null;
  entriesAdded: number | null;
  /** One per stored listpack node: its master ID, byte size, live and deleted entry counts. */
  nodes: Array<{ masterId: StreamId; listpackBytes: number; entries: number; deleted: number }>;
  /** Entries, only when the reader was asked for values with entries (can be large). */
  entries?: Array<{ id: StreamId; fields: Array<[RdbBytes, RdbBytes]> }>;
  groups: Array<{
    name: string;
    lastId: StreamId;
    entriesRead: number | null;
    pelSize: number;
    consumers: Array<{ name: string; seenTimeMs: number; activeTimeMs: number | null; pelSize: number }>;
  }>;
}

/** Sizes the inspector reports per element: counts and byte-length statistics without the bytes. */
export interface ElementStats {
  /** Number of elements (list items, set members, hash fields, zset members, stream entries). */
  count: number;
  /** Longest element in bytes (for a hash: the longer of field and value), rdb-tools' len_largest_element. */
  maxLength: number;
  /** Sum of element byte lengths (fields plus values for hashes). */
  totalLength: number;
}

/** One key with its value. `value` is present only when the reader was asked for values. */
export interface KeyRecord {
  kind: 'key';
  db: number;
  /** Latin1 (binary-safe) key bytes. */
  key: string;
  type: RdbValueType;
  /** The RDB type code as stored (0..25). */
  rdbType: number;
  onDisk: OnDiskEncoding;
  /** OBJECT ENCODING after Redis 7.0 loads it, with default thresholds. */
  encoding: LoadedEncoding;
  /** STRLEN / LLEN / SCARD / ZCARD / HLEN / XLEN; 0 for module values. */
  length: number;
  elements: ElementStats;
  /** Absolute expiry in unix ms, or null. */
  expireAtMs: number | null;
  /** IDLE opcode (seconds) and FREQ opcode (LFU counter), when stored. */
  idleSeconds: number | null;
  lfuFreq: number | null;
  /** Offset of the record's first byte (its EXPIRETIME/IDLE/FREQ opcode when present) and its size. */
  offset: number;
  diskBytes: number;
  value?: RdbValue;
  /** Element lengths and packed sizes, present only when the reader was asked for sizes. */
  sizes?: ValueSizes;
}

/**
 * What a sizes pass hands over instead of the elements (RdbReadOptions.sizes): their byte lengths,
 * and the bytes of the packed blobs Redis 7.0 keeps as they are when it loads them. The typed
 * arrays are views into the reader's buffers, valid only until the next record is pulled.
 */
export interface ValueSizes {
  /**
   * Byte length of every element in file order: list items, set members, zset members (scores
   * excluded), hash fields and values alternating (field, value, field, value...).
   */
  lengths: Uint32Array;
  /**
   * Types 11 (intset), 16 (hash listpack) and 17 (zset listpack): the blob's byte size (what
   * Redis 7.0 allocates for it when it keeps the encoding); -1 for every other type.
   */
  packedBytes: number;
  /**
   * Type 18 (quicklist of listpacks): per stored node, its listpack's byte size (0 for a plain
   * node, which holds one element) and its element count, nodes holding no element left out.
   */
  nodeBytes?: Uint32Array;
  nodeCounts?: Uint32Array;
}

export interface EofRecord {
  kind: 'eof';
  offset: number;
  checksum: ChecksumVerdict;
  /** Bytes after the checksum trailer (some writers leave padding); not an error. 0 in preamble mode. */
  trailingBytes: number;
  /** File offset just past the EOF opcode and its checksum: where an AOF preamble's RESP tail starts. */
  endOffset: number;
  /**
   * Empty collections met on the way (a list, set, zset or hash with no element): Redis 7.0 skips
   * them on load and logs "empty keys skipped: N", so the reader yields no KeyRecord for them.
   */
  emptyKeysSkipped: number;
  /** Preamble mode only: bytes already read past `endOffset` (the start of the RESP tail). */
  tail?: Uint8Array;
}

/**
 * stored/computed: 16 hex digits (the 64-bit CRC as a big-endian number) or null when the file has no
 * trailer (RDB < 5). ok: true/false, or null when nothing could be checked (no trailer, or the writer
 * stored zero because rdbchecksum was off, or verification was switched off).
 */
export interface ChecksumVerdict {
  stored: string | null;
  computed: string | null;
  ok: boolean | null;
}

export type RdbRecord =
  | HeaderRecord
  | AuxRecord
  | DbRecord
  | ResizeDbRecord
  | SlotInfoRecord
  | ModuleAuxRecord
  | FunctionRecord
  | KeyRecord
  | EofRecord;

export interface RdbReadOptions {
  /** Decode values into KeyRecord.value (default false: only sizes and counts). */
  values?: boolean;
  /**
   * Hand over element lengths (KeyRecord.sizes) instead of the elements, for reports that need
   * only sizes: no string is made per element. `value` is still decoded where lengths cannot
   * tell what a 7.0 load does with the value: streams, modules, integer strings (their text),
   * the legacy types (linkedlist, zipmap, ziplist, ziplist quicklist, and the 7.2+ types 20, 22-25)
   * and plain sets, hashes and sorted sets of at most `valuesUpTo` elements (they may turn into
   * intsets or listpacks on load). Takes precedence over `values`.
   */
  sizes?: boolean;
  /** With sizes: decode plain sets/hashes/zsets up to this many elements (default 512). */
  valuesUpTo?: number;
  /** With values: also decode stream entries (default false). */
  streamEntries?: boolean;
  /** Compute the CRC64 and compare with the trailer (default true). */
  verifyChecksum?: boolean;
  /** Called now and then with the bytes consumed so far (for progress bars). */
  onProgress?: (bytesRead: number) => void;
  /** Name used in error messages (default: the path, or "<stream>"). */
  name?: string;
  /**
   * Stop after the EOF opcode and its checksum without complaining about what follows, and report
   * the offset just past them: the AOF reader uses this for the RDB preamble.
   */
  preamble?: boolean;
}
