// The Redis 7 AOF manifest as the writer keeps it (aofManifest in aof.c): one BASE, the HISTORY
// files waiting for deletion, the INCR files in load order, and the sequence counters that name the
// next files (`<appendfilename>.<seq>.base.rdb|.aof`, `<appendfilename>.<seq>.incr.aof`). Written
// as Redis writes it (base line, history lines, incr lines; `file <name> seq <n> type <b|h|i>`) into
// a temp file that is fsynced and renamed over the manifest, so a crash leaves the old or the new
// one. Reading goes through the inspector's parser (formats/aof/manifest.ts), which applies the
// loader's rules.

import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseManifest } from '../../formats/aof/manifest.js';
import type { Engine } from '../engine.js';

export interface AofFileInfo {
  name: string;
  seq: number;
  type: 'b' | 'h' | 'i';
}

export interface AofManifest {
  base: AofFileInfo | null;
  incr: AofFileInfo[];
  history: AofFileInfo[];
  baseSeq: number;
  incrSeq: number;
}

export const TEMP_PREFIX = 'temp-';

export function emptyManifest(): AofManifest {
  return { base: null, incr: [], history: [], baseSeq: 0, incrSeq: 0 };
}

export function cloneManifest(m: AofManifest): AofManifest {
  return { base: m.base && { ...m.base }, incr: m.incr.map((f) => ({ ...f })), history: m.history.map((f) => ({ ...f })), baseSeq: m.baseSeq, incrSeq: m.incrSeq };
}

/** dir/appenddirname, absolute. */
export function aofDir(engine: Engine): string {
  return resolve(engine.config.get('dir') || '.', engine.config.get('appenddirname'));
}

export function manifestName(engine: Engine): string {
  return `${engine.config.get('appendfilename')}.manifest`;
}

/** Reads dir/appenddirname/<appendfilename>.manifest; null when there is none. Throws on a bad one. */
export function loadManifest(engine: Engine): AofManifest | null {
  const path = join(aofDir(engine), manifestName(engine));
  if (!existsSync(path)) return null;
  const parsed = parseManifest(readFileSync(path), path);
  const info = (e: { name: string; seq: number; type: 'base' | 'incr' | 'history' }): AofFileInfo => ({
    name: e.name,
    seq: e.seq,
    type: e.type === 'base' ? 'b' : e.type === 'incr' ? 'i' : 'h',
  });
  const m = emptyManifest();
  m.base = parsed.base && info(parsed.base);
  m.incr = parsed.incr.map(info);
  m.history = parsed.history.map(info);
  m.baseSeq = m.base?.seq ?? 0;
  m.incrSeq = m.incr.length ? m.incr[m.incr.length - 1]!.seq : 0;
  return m;
}

/** A name the manifest line can carry bare, or its quoted form (sdscatrepr) when it needs one. */
function fileToken(name: string): string {
  if (/^[\x21-\x7e]+$/.test(name) && !/["'\\]/.test(name)) return name;
  let out = '"';
  for (const ch of name) {
    const c = ch.charCodeAt(0);
    if (ch === '\\' || ch === '"') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c > 0x7e) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

export function formatManifest(m: AofManifest): string {
  const line = (f: AofFileInfo) => `file ${fileToken(f.name)} seq ${f.seq} type ${f.type}\n`;
  return (m.base ? line(m.base) : '') + m.history.map(line).join('') + m.incr.map(line).join('');
}

export function newBaseName(engine: Engine, m: AofManifest): AofFileInfo {
  const suffix = engine.config.get('aof-use-rdb-preamble') === 'yes' ? '.rdb' : '.aof';
  return { name: `${engine.config.get('appendfilename')}.${m.baseSeq + 1}.base${suffix}`, seq: m.baseSeq + 1, type: 'b' };
}

export function newIncrName(engine: Engine, m: AofManifest): AofFileInfo {
  return { name: `${engine.config.get('appendfilename')}.${m.incrSeq + 1}.incr.aof`, seq: m.incrSeq + 1, type: 'i' };
}

/** getNewBaseFileNameAndMarkPreAsHistory: installs a new base, the old one becomes history. */
export function installBase(m: AofManifest, base: AofFileInfo): void {
  if (m.base) m.history.push({ ...m.base, type: 'h' });
  m.base = base;
  m.baseSeq = base.seq;
}

export function addIncr(m: AofManifest, incr: AofFileInfo): void {
  m.incr.push(incr);
  m.incrSeq = incr.seq;
}

/** markRewrittenIncrAofAsHistory: every INCR but the last (the one opened when the rewrite began). */
export function incrsToHistory(m: AofManifest, keepLast: boolean): void {
  const keep = keepLast && m.incr.length ? [m.incr[m.incr.length - 1]!] : [];
  for (const f of m.incr.slice(0, m.incr.length - keep.length)) m.history.push({ ...f, type: 'h' });
  m.incr = keep;
}

export function ensureDir(engine: Engine): string {
  const dir = aofDir(engine);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** writeAofManifestFile: temp file, fsync, rename over the manifest. */
export function persistManifest(engine: Engine, m: AofManifest): void {
  const dir = ensureDir(engine);
  const name = manifestName(engine);
  const tmp = join(dir, TEMP_PREFIX + name);
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, Buffer.from(formatManifest(m), 'latin1'));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, join(dir, name));
}
