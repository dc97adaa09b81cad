// INFO memory's script figures (number_of_cached_scripts, used_memory_scripts_eval,
// number_of_functions, number_of_libraries), read by the memory accounting without loading the Lua
// VM: the EVAL cache and the function libraries register a reader for their engine when they first
// hold state, and an engine that never ran a script reads zeros.

import type { Engine } from '../engine.js';

export interface ScriptStats {
  /** Scripts in the EVAL cache. */
  scripts: number;
  /** Bytes the EVAL cache holds (used_memory_scripts_eval). */
  scriptBytes: number;
  libraries: number;
  functions: number;
}

type Reader = () => Partial<ScriptStats>;

const readers = new WeakMap<Engine, Reader[]>();

/** Called once per engine and source (EVAL cache, libraries). */
export function registerScriptStats(engine: Engine, reader: Reader): void {
  const list = readers.get(engine);
  if (list) list.push(reader);
  else readers.set(engine, [reader]);
}

export function scriptStats(engine: Engine): ScriptStats {
  const out: ScriptStats = { scripts: 0, scriptBytes: 0, libraries: 0, functions: 0 };
  for (const read of readers.get(engine) ?? []) Object.assign(out, read());
  return out;
}
