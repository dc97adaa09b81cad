// FUNCTION DUMP / FUNCTION RESTORE payloads, byte-compatible with Redis 7.0 so that a dump taken
// from a real redis-server restores here and the reverse. A payload is a run of RDB function
// records (opcode 245 followed by the library code as an RDB string, LZF-compressed under
// rdbcompression like any RDB string), then the RDB version (2 bytes, little-endian) and a CRC64
// of everything before it, as DUMP payloads of keys are. RESTORE also reads the pre-GA record
// (opcode 246: name, engine, optional description, code) that 7.0 release candidates wrote.
// Libraries are compiled into a set of their own first; only a fully good payload changes the
// live libraries, under the FLUSH, APPEND or REPLACE policy.

import type { Engine } from '../engine.js';
import { ReplyError } from '../errors.js';
import { Crc64 } from '../../formats/rdb/crc64.js';
import { RDB_VERSION, RdbFileWriter, RdbOut } from '../../formats/rdb/writer.js';
import { RdbBytesCursor } from '../persist/decode.js';
import { persistenceDebug } from '../persist/debug.js';
import { freeLibrarySet, joinLibraries, listLibraries, loadLibraryInto, newLibrarySet, swapLibraries, type LibrarySet } from './functions.js';

const OP_FUNCTION2 = 0xf5;
const OP_FUNCTION_PRE_GA = 0xf6;
/** RDB version (2 bytes) and CRC64 (8 bytes) close every payload. */
const FOOTER = 10;

export type RestorePolicy = 'append' | 'replace' | 'flush';

/** FUNCTION DUMP: every library as a FUNCTION2 record, then the footer. */
export function dumpFunctions(engine: Engine): string {
  const chunks: Buffer[] = [];
  const out = new RdbOut((c) => chunks.push(Buffer.from(c)), { compress: engine.config.get('rdbcompression') === 'yes', checksum: true });
  const w = new RdbFileWriter(out);
  for (const lib of listLibraries(engine)) w.functionLibrary(lib.code);
  out.u8(RDB_VERSION & 0xff);
  out.u8(RDB_VERSION >> 8);
  out.flush();
  chunks.push(out.crcTrailer());
  return Buffer.concat(chunks).toString('latin1');
}

/** verifyDumpPayload: a footer whose version is not newer than ours, and a matching CRC64. */
function payloadOk(p: Buffer, skipChecksum: boolean): boolean {
  if (p.length < FOOTER) return false;
  const version = p[p.length - FOOTER]! | (p[p.length - FOOTER + 1]! << 8);
  if (version > RDB_VERSION) return false;
  if (skipChecksum) return true;
  return new Crc64().update(p, 0, p.length - 8).value() === p.readBigUInt64LE(p.length - 8);
}

/** Reads one RDB string, or fails with `what` (rdbGenericLoadStringObject returning NULL). */
function readString(c: RdbBytesCursor, what: string): string {
  try {
    return c.string();
  } catch {
    throw new ReplyError(what);
  }
}

/** The library code of a pre-GA record, rewritten with the metadata line 7.0 GA expects. */
function preGaCode(c: RdbBytesCursor): string {
  const name = readString(c, 'Failed loading library name');
  const engineName = readString(c, 'Failed loading engine name');
  let hasDesc: bigint;
  try {
    hasDesc = c.lenBig();
  } catch {
    throw new ReplyError('Failed loading library description indicator');
  }
  if (hasDesc !== 0n) readString(c, 'Failed loading library description');
  const blob = readString(c, 'Failed loading library blob');
  return `#!${engineName} name=${name}\n${blob}`;
}

/** Compiles every record of the payload into `set` (records are read up to the footer). */
function loadRecords(engine: Engine, p: Buffer, set: LibrarySet): void {
  // The cursor may read into the footer, as Redis's reader does; the loop stops once 10 or fewer bytes remain.
  const c = new RdbBytesCursor(p, 0, p.length);
  while (p.length - c.pos > FOOTER) {
    const type = c.u8();
    let code: string;
    if (type === OP_FUNCTION2) code = readString(c, 'Failed loading library payload');
    else if (type === OP_FUNCTION_PRE_GA) code = preGaCode(c);
    else throw new ReplyError('given type is not a function');
    loadLibraryInto(engine, set, code);
  }
}

/** FUNCTION RESTORE: replies nothing, throws the error Redis would answer. */
export function restoreFunctions(engine: Engine, payload: string, policy: RestorePolicy): void {
  const p = Buffer.from(payload, 'latin1');
  if (!payloadOk(p, persistenceDebug(engine).skipChecksumValidation)) throw new ReplyError('DUMP payload version or checksum are wrong');
  const set = newLibrarySet();
  try {
    loadRecords(engine, p, set);
    if (policy === 'flush') swapLibraries(engine, set);
    else joinLibraries(engine, set, policy === 'replace');
  } finally {
    freeLibrarySet(engine, set);
  }
}
