// The DEBUG subcommands that touch persistence (commands/server.ts's DEBUG table calls these):
// RELOAD [MERGE] [NOFLUSH] [NOSAVE] -- save, empty the databases, load the file back -- and
// SET-SKIP-CHECKSUM-VALIDATION, which lets RESTORE accept payloads with a wrong CRC64.

import type { Engine } from '../engine.js';
import { RdbLoadError } from './rdb-file.js';
import { loadDataFile, saveNow } from './state.js';
import { emptyData } from './empty-data.js';

interface DebugFlags {
  skipChecksumValidation: boolean;
}

const flags = new WeakMap<Engine, DebugFlags>();

export function persistenceDebug(engine: Engine): DebugFlags {
  let f = flags.get(engine);
  if (!f) flags.set(engine, (f = { skipChecksumValidation: false }));
  return f;
}

/**
 * DEBUG RELOAD with its options already checked. Returns null on success, or the error reply
 * text ("-ERR" when the save failed, Redis's load error otherwise).
 */
export function debugReload(engine: Engine, opts: { merge: boolean; noflush: boolean; nosave: boolean }): string | null {
  if (!opts.nosave && !saveNow(engine)) return '-ERR';
  if (!opts.noflush) emptyData(engine);
  try {
    loadDataFile(engine, { merge: opts.merge });
  } catch (err) {
    const why = err instanceof RdbLoadError || err instanceof Error ? err.message : String(err);
    engine.emit('log', 'warning', `Error trying to load the RDB dump: ${why}`);
    return 'Error trying to load the RDB dump, check server logs.';
  }
  engine.emit('log', 'warning', 'DB reloaded by DEBUG RELOAD');
  return null;
}
