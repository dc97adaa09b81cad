// Turns what the user points at into the list of files Redis would load, before a byte of
// content is read: a legacy single-file AOF (with or without an RDB preamble), a Redis 7
// appendonlydir, or its manifest. Everything that makes the input unreadable as a whole is found
// here and thrown as FileFormatError (no such path, a directory without a manifest, a manifest
// Redis would reject, a BASE or INCR file the manifest lists but the disk lacks); problems inside
// the files' contents are the reader's business and become records.

import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync, type Stats } from 'node:fs';
import { dirname, join } from 'node:path';
import { FileFormatError } from '../../common/errors.js';
import { parseManifest } from './manifest.js';
import type { AofFileEntry, AofInputKind } from './records.js';

/** The manifest name Redis 7 uses with the default appendfilename. */
export const DEFAULT_MANIFEST = 'appendonly.aof.manifest';
const MANIFEST_SUFFIX = '.manifest';
/** Manifests are a few lines; anything bigger is not one. */
const MANIFEST_MAX_BYTES = 16 * 1024 * 1024;

export interface AofLayout {
  input: AofInputKind;
  path: string;
  manifest: string | null;
  files: AofFileEntry[];
}

function statOrThrow(path: string): Stats {
  try {
    return statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new FileFormatError(path, 0, code === 'ENOENT' ? 'no such file or directory' : `cannot read (${code ?? String(err)})`);
  }
}

function sizeOrNull(path: string): number | null {
  try {
    const st = statSync(path);
    return st.isFile() ? st.size : null;
  } catch {
    return null;
  }
}

/** The manifest in an appendonlydir: appendonly.aof.manifest, else the only *.manifest file. */
function findManifest(dir: string): string {
  const names = readdirSync(dir).filter((n) => n.endsWith(MANIFEST_SUFFIX) && sizeOrNull(join(dir, n)) !== null);
  if (names.includes(DEFAULT_MANIFEST)) return join(dir, DEFAULT_MANIFEST);
  if (names.length === 1) return join(dir, names[0]!);
  if (names.length === 0) throw new FileFormatError(dir, 0, 'no AOF manifest (*.manifest) in this directory');
  throw new FileFormatError(dir, 0, `more than one AOF manifest (${names.sort().join(', ')}); pass the one to read`);
}

/** redis-check-aof's test, bounded: the first line that is not a comment starts with "file". */
function looksLikeManifest(path: string): boolean {
  if (path.endsWith(MANIFEST_SUFFIX)) return true;
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(4096);
    const n = readSync(fd, head, 0, head.length, 0);
    const text = head.toString('latin1', 0, n);
    if (text.startsWith('*') || text.startsWith('REDIS')) return false;
    const line = text.split('\n').find((l) => !l.startsWith('#'));
    return line !== undefined && line.startsWith('file');
  } finally {
    closeSync(fd);
  }
}

function fromManifest(input: AofInputKind, given: string, manifestPath: string): AofLayout {
  const size = sizeOrNull(manifestPath);
  if (size === null) throw new FileFormatError(manifestPath, 0, 'cannot read the AOF manifest');
  if (size > MANIFEST_MAX_BYTES) throw new FileFormatError(manifestPath, 0, `not an AOF manifest (${size} bytes)`);
  const manifest = parseManifest(readFileSync(manifestPath), manifestPath);
  const dir = dirname(manifestPath);
  const files = manifest.entries.map((e): AofFileEntry => {
    const path = join(dir, e.name);
    const fileSize = sizeOrNull(path);
    if (fileSize === null && e.type !== 'history') {
      throw new FileFormatError(manifestPath, e.offset, `the ${e.type} file ${e.name} listed in the manifest does not exist`, `(line ${e.line})`);
    }
    return { name: e.name, path, type: e.type, seq: e.seq, size: fileSize, line: e.line };
  });
  // Load order: BASE first, then INCR in manifest order; history keeps its place in the listing.
  const rank = (f: AofFileEntry): number => (f.type === 'base' ? 0 : 1);
  files.sort((a, b) => rank(a) - rank(b));
  return { input, path: given, manifest: manifestPath, files };
}

/** Resolves a path (file, appendonlydir, or manifest) into the files to read. */
export function resolveLayout(path: string): AofLayout {
  const st = statOrThrow(path);
  if (st.isDirectory()) return fromManifest('directory', path, findManifest(path));
  if (!st.isFile()) throw new FileFormatError(path, 0, 'not a regular file or directory');
  if (looksLikeManifest(path)) return fromManifest('manifest', path, path);
  return {
    input: 'file',
    path,
    manifest: null,
    files: [{ name: path, path, type: 'base', seq: null, size: st.size, line: null }],
  };
}
