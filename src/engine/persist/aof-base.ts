// The BASE file of a Redis 7 AOF: the dataset at the moment a rewrite began, either as an RDB
// (`aof-use-rdb-preamble yes`: the RDB writer with `aof-base 1` in its AUX fields) or as the
// commands that rebuild it (`no`: FUNCTION LOAD per library, SELECT per database, SET / RPUSH /
// SADD / HMSET / ZADD in batches of 64 items, the XADD / XSETID / XGROUP / XCLAIM sequence for
// streams, PEXPIREAT per TTL -- rewriteAppendOnlyFileRio's shapes). Written from a snapshot, either
// at once (start-up) or in slices of a few milliseconds on the event loop (BGREWRITEAOF), so
// clients keep being served while a big dataset is written: the no-fork equivalent of the child.

import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { RdbFileWriter, fdOut } from '../../formats/rdb/writer.js';
import { formatG17 } from '../../formats/resp/double.js';
import type { Engine } from '../engine.js';
import type { Entry } from '../keyspace.js';
import { idStr } from '../types/stream.js';
import { listLibraries } from '../scripting/functions.js';
import { keyRecord, rdbOptions, saveContext, writePreamble, type SavedKey } from './rdb-file.js';
import { writeSnapshotSlice, type SnapshotWalk } from './state.js';

/** AOF_REWRITE_ITEMS_PER_CMD */
const ITEMS_PER_CMD = 64;
/** Time a rewrite may hold the event loop per slice. */
const SLICE_MS = 5;
const CHUNK = 64 * 1024;

interface BaseWriter {
  begin(): void;
  db(id: number, keys: number, expires: number): void;
  key(k: SavedKey): void;
  /** Finishes the file (not fsynced, not closed); returns its size. */
  end(): number;
}

/** RESP text of one command. */
export function respCommand(argv: readonly string[]): string {
  let s = `*${argv.length}\r\n`;
  for (const a of argv) s += `$${a.length}\r\n${a}\r\n`;
  return s;
}

function rdbBase(engine: Engine, fd: number): BaseWriter {
  const out = fdOut(fd, rdbOptions(engine));
  const w = new RdbFileWriter(out);
  const ctx = saveContext(engine);
  return {
    begin() {
      writePreamble(engine, w, true);
    },
    db(id, keys, expires) {
      w.selectDb(id, keys, expires);
    },
    key(k) {
      w.key(keyRecord(engine, ctx, k.key, k.entry, k.expireAt));
    },
    end() {
      w.end();
      return out.written;
    },
  };
}

/** The commands that rebuild one key (rewriteAppendOnlyFileRio's per-type shapes). */
function* keyCommands(key: string, e: Entry): Generator<string[]> {
  const o = e.value;
  const batched = function* (cmd: string, items: Iterable<string[]>): Generator<string[]> {
    let argv: string[] = [cmd, key];
    let n = 0;
    for (const it of items) {
      argv.push(...it);
      if (++n === ITEMS_PER_CMD) {
        yield argv;
        argv = [cmd, key];
        n = 0;
      }
    }
    if (n > 0) yield argv;
  };
  switch (o.type) {
    case 'string':
      yield ['SET', key, String(o.v)];
      return;
    case 'list':
      yield* batched('RPUSH', (function* () {
        for (const v of o.v.toArray()) yield [v];
      })());
      return;
    case 'set':
      yield* batched('SADD', (function* () {
        for (const m of o.v.keys()) yield [m];
      })());
      return;
    case 'hash':
      yield* batched('HMSET', (function* () {
        for (const [f, n] of o.v.entries()) yield [f, n.v];
      })());
      return;
    case 'zset': {
      const z = o.v;
      yield* batched('ZADD', (function* () {
        for (let n = z.head; n !== 0; n = z.next(n)) yield [formatG17(z.scoreOf(n)), z.eleOf(n)];
      })());
      return;
    }
    case 'stream': {
      const s = o.v;
      if (s.length > 0) {
        for (const node of s.nodes) for (const en of node.entries) if (!en.deleted) yield ['XADD', key, idStr(en.id), ...en.fields];
      } else yield ['XADD', key, 'MAXLEN', '0', '0-1', 'x', 'y'];
      yield ['XSETID', key, idStr(s.lastId), 'ENTRIESADDED', String(s.entriesAdded), 'MAXDELETEDID', idStr(s.maxDeletedId)];
      for (const [name, g] of s.sortedGroups()) {
        yield ['XGROUP', 'CREATE', key, name, idStr(g.lastId), 'ENTRIESREAD', String(g.entriesRead)];
        for (const c of g.sortedConsumers()) {
          if (c.pel.ids.length === 0) {
            yield ['XGROUP', 'CREATECONSUMER', key, name, c.name];
            continue;
          }
          for (let i = 0; i < c.pel.ids.length; i++) {
            const nack = c.pel.vals[i]!;
            const id = idStr(c.pel.ids[i]!);
            yield ['XCLAIM', key, name, c.name, '0', id, 'TIME', String(nack.deliveryTime), 'RETRYCOUNT', String(nack.deliveryCount), 'JUSTID', 'FORCE'];
          }
        }
      }
      return;
    }
  }
}

function commandBase(engine: Engine, fd: number): BaseWriter {
  let buf = '';
  let written = 0;
  const put = (s: string) => {
    buf += s;
    if (buf.length >= CHUNK) flush();
  };
  const flush = () => {
    if (buf.length === 0) return;
    written += writeSync(fd, Buffer.from(buf, 'latin1'));
    buf = '';
  };
  return {
    begin() {
      for (const lib of listLibraries(engine)) put(respCommand(['FUNCTION', 'LOAD', lib.code]));
    },
    db(id) {
      put(respCommand(['SELECT', String(id)]));
    },
    key(k) {
      for (const argv of keyCommands(k.key, k.entry)) put(respCommand(argv));
      if (k.expireAt !== undefined) put(respCommand(['PEXPIREAT', k.key, String(k.expireAt)]));
    },
    end() {
      flush();
      return written;
    },
  };
}

export type Snapshot = SavedKey[][];

function writerFor(engine: Engine, fd: number): BaseWriter {
  return engine.config.get('aof-use-rdb-preamble') === 'yes' ? rdbBase(engine, fd) : commandBase(engine, fd);
}

/** rewriteAppendOnlyFile: the whole snapshot into `path` now; returns its size. Throws on I/O errors. */
export function writeBaseSync(engine: Engine, path: string, dbs: Snapshot): number {
  const fd = openSync(path, 'w');
  try {
    const w = writerFor(engine, fd);
    w.begin();
    dbs.forEach((keys, id) => {
      if (keys.length === 0) return;
      w.db(id, keys.length, keys.filter((k) => k.expireAt !== undefined).length);
      for (const k of keys) w.key(k);
    });
    const size = w.end();
    fsyncSync(fd);
    return size;
  } finally {
    closeSync(fd);
  }
}

export interface BaseJob extends SnapshotWalk {
  keysTotal: number;
  cancelled: boolean;
}

/**
 * Writes the snapshot into `path` in slices on the event loop; `done` gets the file size or the
 * error (the file is closed and fsynced when it succeeds, left for the caller to remove otherwise).
 */
export function writeBaseSliced(engine: Engine, path: string, dbs: Snapshot, done: (err: Error | null, size: number) => void): BaseJob {
  const job: BaseJob = { keysTotal: dbs.reduce((n, d) => n + d.length, 0), keysDone: 0, dbIndex: 0, keyIndex: 0, cancelled: false };
  let fd = -1;
  let w: BaseWriter;
  const fail = (err: Error) => {
    if (fd >= 0) closeSync(fd);
    done(err, 0);
  };
  const step = (): void => {
    if (job.cancelled) return fail(new Error('rewrite cancelled'));
    try {
      if (fd < 0) {
        fd = openSync(path, 'w');
        w = writerFor(engine, fd);
        w.begin();
      }
      const deadline = Date.now() + SLICE_MS;
      if (!writeSnapshotSlice(dbs, job, deadline, (i, n, e) => w.db(i, n, e), (k) => w.key(k))) {
        setImmediate(step);
        return;
      }
      const size = w.end();
      fsyncSync(fd);
      closeSync(fd);
      done(null, size);
    } catch (err) {
      fail(err instanceof Error ? err : new Error(String(err)));
    }
  };
  setImmediate(step);
  return job;
}
