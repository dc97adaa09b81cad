// emptyData (db.c) as the reloads use it: every database emptied, the function libraries dropped,
// and clients that track keys told that everything they cached is gone. DEBUG RELOAD and DEBUG
// LOADAOF call it before loading; FLUSHALL keeps the functions and has its own path (keys.ts).

import type { Engine } from '../engine.js';
import { flushLibraries } from '../scripting/functions.js';

export function emptyData(engine: Engine): void {
  for (const db of engine.dbs) db.flush();
  flushLibraries(engine);
  engine.tracking.flushed();
}
