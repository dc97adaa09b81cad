// Loading a Redis 7 AOF into the engine at start-up (loadAppendOnlyFiles): the BASE, then every INCR
// in manifest order. A file that starts with the RDB magic is loaded by the engine's RDB loader
// (rdb-file.ts); RESP is read with the inspector's reader (formats/aof/resp-log.ts, the 7.0
// loader's rules) and each command is run through dispatch's call() by a client of its own, as
// Redis's fake AOF client: MULTI queues, EXEC runs the queue, each file starts in database 0,
// nothing expires while loading. Problems follow the reader's verdicts: a truncated last file is
// cut back to its last complete command when `aof-load-truncated yes` (the server starts), anything
// else stops start-up with one line naming the file and the offset.

import { closeSync, existsSync, fstatSync, ftruncateSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { readRespLog } from '../../formats/aof/resp-log.js';
import { FileWindow } from '../../formats/aof/window.js';
import { Client } from '../client.js';
import type { CommandSpec } from '../command.js';
import { call } from '../dispatch.js';
import type { Engine } from '../engine.js';
import { aofDir, type AofManifest } from './aof-manifest.js';
import { RdbLoadError, loadBuffer } from './rdb-file.js';

export class AofLoadError extends Error {}

export interface AofLoadResult {
  files: number;
  commands: number;
  /** Keys the RDB parts loaded. */
  rdbKeys: number;
  /** A warning about a truncated tail that was cut (null when none). */
  truncated: string | null;
}

/** Queued inside MULTI rather than run, as processCommand does for the loader's client too. */
const RUN_IN_MULTI = new Set(['exec', 'multi', 'discard']);
const V8_MAX_STRING = 0x1fffffe8;

function resolveSpec(engine: Engine, argv: string[], file: string): CommandSpec {
  const spec = engine.commands.get(argv[0]!.toLowerCase());
  if (!spec) throw new AofLoadError(`Unknown command '${argv[0]}' reading the append only file ${file}`);
  if (spec.subcommands && argv.length >= 2) {
    const sub = spec.subcommands.find((s) => s.name === `${spec.name}|${argv[1]!.toLowerCase()}`);
    if (sub) return sub;
  }
  if (!spec.handler) throw new AofLoadError(`Unknown command '${argv[0]} ${argv[1] ?? ''}' reading the append only file ${file}`);
  return spec;
}

function isRdb(fd: number, size: number): boolean {
  const head = Buffer.alloc(5);
  const n = readSync(fd, head, 0, Math.min(5, size), 0);
  return head.toString('latin1', 0, n) === 'REDIS';
}

/** Loads the files `m` lists from dir/appenddirname. Throws AofLoadError when start-up must stop. */
export function loadAofFiles(engine: Engine, m: AofManifest): AofLoadResult {
  const dir = aofDir(engine);
  const files = [...(m.base ? [m.base] : []), ...m.incr];
  const result: AofLoadResult = { files: 0, commands: 0, rdbKeys: 0, truncated: null };
  const prevLazy = engine.lazyExpire;
  engine.lazyExpire = false; // keyIsExpired: nothing expires while loading
  try {
    files.forEach((f, i) => {
      const path = join(dir, f.name);
      if (!existsSync(path)) throw new AofLoadError(`The AOF file ${f.name} listed in the manifest doesn't exist`);
      loadOne(engine, path, f.name, i === files.length - 1, result);
      result.files++;
    });
  } finally {
    engine.lazyExpire = prevLazy;
  }
  return result;
}

function loadOne(engine: Engine, path: string, name: string, last: boolean, result: AofLoadResult): void {
  const fd = openSync(path, 'r+');
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return;
    if (isRdb(fd, size)) {
      // A BASE in RDB form (Redis writes no RESP tail after it in a multi-part AOF).
      try {
        result.rdbKeys += loadBuffer(engine, readFileSync(path)).keysLoaded;
      } catch (err) {
        const why = err instanceof RdbLoadError || err instanceof Error ? err.message : String(err);
        throw new AofLoadError(`Bad file format reading the append only file ${name}: ${why}`);
      }
      return;
    }
    replay(engine, fd, size, path, name, last, result);
  } finally {
    closeSync(fd);
  }
}

function replay(engine: Engine, fd: number, size: number, path: string, name: string, last: boolean, result: AofLoadResult): void {
  const client = new Client(-1, 'aof', '', -1, Date.now());
  client.authenticated = true;
  client.mustObey = true;
  const win = new FileWindow(fd, size);
  const truncatedOk = engine.config.get('aof-load-truncated') === 'yes';
  for (const rec of readRespLog(win, 0, { name, path, last, maxArgBytes: V8_MAX_STRING })) {
    if (rec.kind === 'command') {
      const spec = resolveSpec(engine, rec.argv, name);
      if (client.multi && !RUN_IN_MULTI.has(spec.name)) client.multi.push({ spec, argv: rec.argv });
      else call(engine, client, spec, rec.argv, Date.now());
      // The loader's client never blocks (Redis logs no blocking command, but a hand-made file may hold one).
      if (client.blocked) engine.blocking.unblock(client);
      client.reply.take();
      result.commands++;
      continue;
    }
    if (rec.kind !== 'problem' || rec.cause === 'strict') continue;
    const outcome = truncatedOk ? rec.loadTruncatedYes : rec.loadTruncatedNo;
    if (!outcome.starts) throw new AofLoadError(`Bad file format reading the append only file ${name} at offset ${rec.offset}: ${rec.message}`);
    if (outcome.truncatesAt !== null) {
      ftruncateSync(fd, outcome.truncatesAt);
      result.truncated = `!!! Warning: short read while loading the AOF file ${name}!!! AOF ${name} loaded anyway because aof-load-truncated is enabled (truncated to ${outcome.truncatesAt} bytes)`;
      engine.emit('log', 'warning', result.truncated);
    }
    return;
  }
}
