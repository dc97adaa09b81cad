// Whole-dataset RDB files: writing the engine's databases (rdbSaveRio) and loading a file into
// them (rdbLoadRio). Saving streams through the writer in 64 KiB chunks into a temp file that is
// renamed over the target only once complete, as Redis does. Loading reads the file into memory
// (the engine is about to hold all of it anyway), checks header, version and CRC64, and decodes
// each key with decode.ts; keys already expired are skipped, as a master does.

import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Crc64 } from '../../formats/rdb/crc64.js';
import { RDB_VERSION, RdbFileWriter, fdOut, type RdbKeyOut } from '../../formats/rdb/writer.js';
import type { Engine } from '../engine.js';
import type { Db, Entry } from '../keyspace.js';
import type { RObj } from '../types/objects.js';
import { idleMs, lfuDecrAndReturn } from '../evict.js';
import { usedMemory } from '../memory-accounting.js';
import { BadFormat, LOADABLE_TYPES, RdbBytesCursor, decodeValue, loadLimits } from './decode.js';
import { toRdbValue } from './to-rdb.js';
import { listLibraries, loadLibrary } from '../scripting/functions.js';

export const REDIS_VERSION = '7.0.15';

/** dir + dbfilename, as the engine's config gives them now. */
export function rdbPath(engine: Engine): string {
  return resolve(engine.config.get('dir') || '.', engine.config.get('dbfilename'));
}

/** Which of IDLE / FREQ the current eviction policy makes Redis store with each key. */
function clockOpcodes(engine: Engine): { lru: boolean; lfu: boolean } {
  const p = engine.config.get('maxmemory-policy');
  return { lru: p.endsWith('-lru'), lfu: p.endsWith('-lfu') };
}

/** What every key of one save shares: list fill and which clock opcodes the policy asks for. */
export interface SaveContext {
  fill: number;
  lru: boolean;
  lfu: boolean;
  now: number;
}

export function saveContext(engine: Engine, now = Date.now()): SaveContext {
  return { fill: engine.config.num['list-max-listpack-size'] ?? -2, ...clockOpcodes(engine), now };
}

/** One key as the writer takes it, with the IDLE/FREQ opcodes the policy asks for. */
export function keyRecord(engine: Engine, ctx: SaveContext, key: string, e: Entry, expireAt: number | undefined): RdbKeyOut {
  return {
    key,
    value: toRdbValue(e.value, ctx.fill),
    expireAtMs: expireAt ?? null,
    idleSeconds: ctx.lru ? Math.floor(idleMs(e, ctx.now) / 1000) : null,
    lfuFreq: ctx.lfu ? lfuDecrAndReturn(engine, e, ctx.now) : null,
  };
}

/**
 * Header and AUX fields as rdbSaveInfoAuxFields writes them on a master without replicas;
 * `aofBase` for the RDB that starts an AOF (RDBFLAGS_AOF_PREAMBLE).
 */
export function writePreamble(engine: Engine, w: RdbFileWriter, aofBase = false): void {
  w.header();
  w.aux('redis-ver', REDIS_VERSION);
  w.aux('redis-bits', '64');
  w.aux('ctime', String(Math.floor(Date.now() / 1000)));
  w.aux('used-mem', String(usedMemory(engine)));
  w.aux('aof-base', aofBase ? '1' : '0');
  // rdbSaveFunctions: every function library's full source, before the databases.
  for (const lib of listLibraries(engine)) w.functionLibrary(lib.code);
}

/** A key to save: the entry as it is now, or as a snapshot took it. */
export interface SavedKey {
  key: string;
  entry: Entry;
  expireAt: number | undefined;
}

export function* liveKeys(db: Db): Generator<SavedKey> {
  for (const [key, entry] of db.dict.entries()) yield { key, entry, expireAt: db.expires.get(key) };
}

function tempPath(engine: Engine, tag: string): string {
  return join(resolve(engine.config.get('dir') || '.'), `temp-${tag}.rdb`);
}

/** Opens the temp file a save writes into; `finish` renames it over `target`. */
export function openTemp(engine: Engine, tag: string): { fd: number; path: string } {
  const path = tempPath(engine, tag);
  return { fd: openSync(path, 'w'), path };
}

export function finishTemp(fd: number, path: string, target: string): void {
  fsyncSync(fd);
  closeSync(fd);
  renameSync(path, target);
}

export function abandonTemp(fd: number, path: string): void {
  try {
    closeSync(fd);
  } catch {
    /* already closed */
  }
  try {
    unlinkSync(path);
  } catch {
    /* never created */
  }
}

export function rdbOptions(engine: Engine): { compress: boolean; checksum: boolean } {
  return { compress: engine.config.get('rdbcompression') === 'yes', checksum: engine.config.get('rdbchecksum') === 'yes' };
}

/** rdbSave: the whole dataset into `target` now (synchronously). Throws on I/O errors. */
export function saveSync(engine: Engine, target = rdbPath(engine)): number {
  const { fd, path } = openTemp(engine, String(process.pid));
  try {
    const out = fdOut(fd, rdbOptions(engine));
    const w = new RdbFileWriter(out);
    const ctx = saveContext(engine);
    writePreamble(engine, w);
    for (const db of engine.dbs) {
      if (db.size === 0) continue;
      w.selectDb(db.id, db.size, db.expires.size);
      for (const [key, entry] of db.dict.entries()) w.key(keyRecord(engine, ctx, key, entry, db.expires.get(key)));
    }
    w.end();
    finishTemp(fd, path, target);
    return out.written;
  } catch (err) {
    abandonTemp(fd, path);
    throw err;
  }
}

// ---------------------------------------------------------------- loading

export interface LoadResult {
  keysLoaded: number;
  keysExpired: number;
  emptyKeysSkipped: number;
  /** FUNCTION2 libraries met (loaded, replacing same-named ones only when merging). */
  functions: string[];
  aux: Record<string, string>;
}

export class RdbLoadError extends Error {}

const OP = { FUNCTION2: 0xf5, FUNCTION_PRE_GA: 0xf6, MODULE_AUX: 0xf7, IDLE: 0xf8, FREQ: 0xf9, AUX: 0xfa, RESIZEDB: 0xfb, EXPIRETIME_MS: 0xfc, EXPIRETIME: 0xfd, SELECTDB: 0xfe, EOF: 0xff };

export interface LoadOptions {
  /** Replace keys that already exist (DEBUG RELOAD MERGE); otherwise a duplicate key fails the load. */
  merge?: boolean;
}

/** rdbLoad: reads `path` into the engine's databases. Throws RdbLoadError (and ENOENT as is). */
export function loadFile(engine: Engine, path: string, opts: LoadOptions = {}): LoadResult {
  const data = readFileSync(path);
  return loadBuffer(engine, data, opts);
}

export function loadBuffer(engine: Engine, data: Uint8Array, opts: LoadOptions = {}): LoadResult {
  const fail = (why: string): never => {
    throw new RdbLoadError(why);
  };
  if (data.length < 9 || Buffer.from(data.subarray(0, 5)).toString('latin1') !== 'REDIS') fail('Wrong signature trying to load DB from file');
  const version = Number(Buffer.from(data.subarray(5, 9)).toString('latin1'));
  if (!(version >= 1 && version <= RDB_VERSION)) fail(`Can't handle RDB format version ${Buffer.from(data.subarray(5, 9)).toString('latin1')}`);
  const c = new RdbBytesCursor(data, 9);
  const lim = loadLimits(engine.config.num);
  const now = Date.now();
  const result: LoadResult = { keysLoaded: 0, keysExpired: 0, emptyKeysSkipped: 0, functions: [], aux: {} };
  let db = engine.dbs[0]!;
  let expireAt: number | null = null;
  let idle: number | null = null;
  let freq: number | null = null;
  // Keys are staged and applied only once the whole file (and its checksum) proved good.
  const staged: Array<{ db: Db; key: string; value: RObj; at: number | null; idleS: number | null; lfu: number | null }> = [];
  try {
    for (;;) {
      const op = c.u8();
      if (op === OP.EXPIRETIME) {
        expireAt = c.i32le() * 1000;
        continue;
      }
      if (op === OP.EXPIRETIME_MS) {
        expireAt = c.i64le();
        continue;
      }
      if (op === OP.FREQ) {
        freq = c.u8();
        continue;
      }
      if (op === OP.IDLE) {
        idle = c.len();
        continue;
      }
      if (op === OP.EOF) break;
      if (op === OP.SELECTDB) {
        const id = c.len();
        if (id >= engine.dbs.length) fail(`Data file was created with a Redis server configured to handle more than ${engine.dbs.length} databases`);
        db = engine.dbs[id]!;
        continue;
      }
      if (op === OP.RESIZEDB) {
        c.len();
        c.len();
        continue;
      }
      if (op === OP.AUX) {
        const k = c.string();
        result.aux[k] = c.string();
        continue;
      }
      if (op === OP.FUNCTION2) {
        result.functions.push(c.string());
        continue;
      }
      if (op === OP.MODULE_AUX || op === OP.FUNCTION_PRE_GA) fail('the file holds module or pre-release function data this engine cannot load');
      if (!LOADABLE_TYPES.has(op)) fail(`Unknown RDB type ${op}`);
      const key = c.string();
      const value = decodeValue(c, op, lim);
      const at = expireAt;
      const idleS = idle;
      const lfu = freq;
      expireAt = idle = freq = null;
      if (value === 'empty') {
        result.emptyKeysSkipped++;
        continue;
      }
      if (at !== null && at < now) {
        result.keysExpired++;
        continue;
      }
      staged.push({ db, key, value, at, idleS, lfu });
    }
  } catch (err) {
    if (err instanceof BadFormat) fail(`Internal error in RDB reading offset ${c.pos}: ${err.message}`);
    throw err;
  }
  if (version >= 5) {
    const trailer = c.raw(8);
    const stored = Buffer.from(trailer).readBigUInt64LE(0);
    if (stored !== 0n && engine.config.get('rdbchecksum') === 'yes') {
      const computed = new Crc64().update(data, 0, c.pos - 8).value();
      if (computed !== stored) fail('Wrong RDB checksum');
    }
  }
  const seen = new Map<Db, Set<string>>();
  for (const k of staged) {
    let keys = seen.get(k.db);
    if (!keys) seen.set(k.db, (keys = new Set()));
    if (keys.has(k.key) || (!opts.merge && k.db.dict.has(k.key))) {
      if (!opts.merge) fail(`RDB has duplicated key '${k.key}' in DB ${k.db.id}`);
    }
    keys.add(k.key);
  }
  for (const code of result.functions) {
    try {
      loadLibrary(engine, code, opts.merge ?? false);
    } catch (err) {
      fail(`Failed loading library: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  for (const { db, key, value, at, idleS, lfu } of staged) {
    if (db.dict.has(key)) db.set(key, value);
    else db.add(key, value);
    if (at !== null) db.setExpire(key, at);
    const e = db.entry(key)!;
    if (idleS !== null) e.lru = now - idleS * 1000;
    if (lfu !== null) e.lfu = lfu;
    result.keysLoaded++;
  }
  return result;
}
