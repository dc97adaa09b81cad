// The Redis 7 AOF manifest: which files make up the log and in which order Redis loads them.
// Parsed with the loader's rules (aofLoadManifestFromFile), so a manifest this accepts is one
// redis-server accepts and every rejection names the line Redis would stop at:
// - lines are read 1024 bytes at a time; a line without its '\n' (too long, or the last line
//   unterminated) is an error; a line starting with '#' is a comment (and still counts as a line);
// - a line is trimmed, split like sdssplitargs, and needs at least 6 tokens in key/value pairs;
//   keys `file`, `seq`, `type` in any order and any case, unknown pairs ignored;
// - `file` must be a basename, `seq` a non-zero integer (atoll), `type` is the value's first
//   character: b(ase), h(istory), i(ncr); at most one base; incr seqs strictly increase.

import { FileFormatError } from '../../common/errors.js';
import type { AofFileType } from './records.js';
import { splitArgs } from './split-args.js';

/** fgets(buf, MANIFEST_MAX_LINE + 1): at most this many bytes per read. */
const MANIFEST_MAX_LINE = 1024;

const TYPE_CODES: Record<string, AofFileType> = { b: 'base', h: 'history', i: 'incr' };

export interface ManifestEntry {
  name: string;
  seq: number;
  type: AofFileType;
  /** 1-based line number and byte offset of the line. */
  line: number;
  offset: number;
}

export interface Manifest {
  /** Entries in file order (history included). */
  entries: ManifestEntry[];
  base: ManifestEntry | null;
  /** INCR entries in load order. */
  incr: ManifestEntry[];
  history: ManifestEntry[];
}

/** atoll: leading blanks, optional sign, digits; anything else ends the number (no digits: 0). */
function atoll(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  return m ? Number(m[1]) : 0;
}

/** Trims the characters sdstrim(" \t\r\n") removes. */
const trim = (s: string): string => s.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');

/** Parses manifest bytes; `name` is used in errors (the manifest's path). */
export function parseManifest(bytes: Uint8Array, name: string): Manifest {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries: ManifestEntry[] = [];
  let base: ManifestEntry | null = null;
  const incr: ManifestEntry[] = [];
  const history: ManifestEntry[] = [];
  let maxSeq = 0;
  let lineNo = 0;
  let pos = 0;
  while (pos < buf.length) {
    const nl = buf.indexOf(10, pos);
    const end = Math.min(nl < 0 ? buf.length : nl + 1, pos + MANIFEST_MAX_LINE);
    const raw = buf.toString('latin1', pos, end);
    const offset = pos;
    pos = end;
    lineNo++;
    if (raw.startsWith('#')) continue;
    const text = trim(raw);
    const fail = (problem: string): never => {
      const shown = raw.endsWith('\n') ? text : `${text.slice(0, 60)}${text.length > 60 ? '...' : ''}`;
      throw new FileFormatError(name, offset, problem, `(line ${lineNo}: '${shown}')`);
    };
    if (!raw.endsWith('\n')) fail('The AOF manifest file contains too long line (or its last line has no newline)');
    if (text.length === 0) fail('Invalid AOF manifest file format (blank line)');
    const argv = splitArgs(text);
    if (argv === null) fail('Invalid AOF manifest file format (unbalanced quotes)');
    if (argv!.length < 6 || argv!.length % 2 !== 0) fail('Invalid AOF manifest file format (expected file/seq/type pairs)');
    let file: string | null = null;
    let seq = 0;
    let typeCode = '';
    for (let i = 0; i < argv!.length; i += 2) {
      const key = argv![i]!.toLowerCase();
      const value = argv![i + 1]!;
      if (key === 'file') {
        if (value.includes('/') || value.includes('\\')) fail("File can't be a path, just a filename");
        file = value;
      } else if (key === 'seq') {
        seq = atoll(value);
      } else if (key === 'type') {
        typeCode = value.slice(0, 1);
      }
    }
    if (file === null || seq === 0 || typeCode === '') fail('Invalid AOF manifest file format (file, seq or type missing)');
    const type = TYPE_CODES[typeCode];
    if (!type) fail(`Unknown AOF file type '${typeCode}'`);
    const entry: ManifestEntry = { name: file!, seq, type: type!, line: lineNo, offset };
    if (type === 'base') {
      if (base) fail(`Found duplicate base file information (base already on line ${base.line})`);
      base = entry;
    } else if (type === 'incr') {
      if (seq <= maxSeq) fail(`Found a non-monotonic sequence number (${seq} after ${maxSeq})`);
      maxSeq = seq;
      incr.push(entry);
    } else {
      history.push(entry);
    }
    entries.push(entry);
  }
  if (lineNo === 0) throw new FileFormatError(name, 0, 'Found an empty AOF manifest');
  return { entries, base, incr, history };
}
