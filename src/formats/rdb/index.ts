// The RDB reader's public surface: read a dump file (or any byte source) as a synchronous
// stream of typed records. See reader.ts for the design and records.ts for the shapes.
//
// Element contents in KeyRecord.value are latin1 strings (one char per byte, binary-safe); an
// element longer than 1 MiB comes as a Uint8Array copy instead. Both are owned by the caller.

import { closeSync, openSync } from 'node:fs';
import type { ByteSource } from './byte-source.js';
import { bufferSource, fdSource } from './byte-source.js';
import { RdbReader } from './reader.js';
import type { EofRecord, RdbReadOptions, RdbRecord } from './records.js';

export type * from './records.js';
export type { ByteSource } from './byte-source.js';
export { bufferSource, fdSource } from './byte-source.js';
export { Crc64, crc64Hex } from './crc64.js';
export { lzfDecompress } from './lzf.js';
export { LOAD_THRESHOLDS, LOAD_RULE_BY_TYPE, loadedEncoding, type LoadFacts } from './loaded-encoding.js';
export { decodeModuleId } from './module.js';
export { quoteKey } from './quote.js';
export { SUPPORTED_VERSIONS, parseScore } from './reader.js';

/** Reads records from any byte source (a file descriptor at an offset, stdin, a Buffer). */
export function readRdb(source: ByteSource, opts: RdbReadOptions = {}): Generator<RdbRecord> {
  return new RdbReader(source, opts).records();
}

/** Reads a dump file in chunks with fs.readSync; memory is bounded by the largest single value. */
export function* readRdbFile(path: string, opts: RdbReadOptions = {}): Generator<RdbRecord> {
  const fd = openSync(path, 'r');
  try {
    yield* readRdb(fdSource(fd), { name: path, ...opts });
  } finally {
    closeSync(fd);
  }
}

/** A file being read record by record with next(); close() it when done (or after an error). */
export interface RdbFileReader {
  /** The next record, or null after the EOF record. Stop calling after an error. */
  next(): RdbRecord | null;
  close(): void;
}

/**
 * readRdbFile() as a pull reader: the same records, without a generator step per record, for
 * passes over files with hundreds of millions of keys. Opens the file now.
 */
export function openRdbFile(path: string, opts: RdbReadOptions = {}): RdbFileReader {
  const fd = openSync(path, 'r');
  let reader: RdbReader;
  try {
    reader = new RdbReader(fdSource(fd), { name: path, ...opts });
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  let open = true;
  return {
    next: () => reader.next(),
    close: () => {
      if (open) closeSync(fd);
      open = false;
    },
  };
}

/** Reads an RDB held in memory. */
export function readRdbBuffer(data: Uint8Array, opts: RdbReadOptions = {}): Generator<RdbRecord> {
  return readRdb(bufferSource(data), opts);
}

/**
 * Walks an RDB preamble (the start of an AOF file) to its end and returns the EOF record, whose
 * `endOffset` is where the RESP tail starts. Records are consumed, values not decoded.
 */
export function rdbOffsetAfter(source: ByteSource, opts: RdbReadOptions = {}): EofRecord {
  for (const rec of readRdb(source, { ...opts, values: false, preamble: true })) {
    if (rec.kind === 'eof') return rec;
  }
  throw new Error('unreachable: the reader ends with an EOF record or an error');
}
