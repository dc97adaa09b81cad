// The RESP part of one AOF file, read command by command with the Redis 7.0 loader's rules, and
// checked on the side with redis-check-aof's stricter rules. The two disagree on purpose and the
// inspector needs both: the loader decides whether a server starts (and where it truncates), the
// checker is what operators run. Rules (loadSingleAppendOnlyFile / checkSingleAof, 7.0.15):
// - lines (`*N`, `$N`, `#...`) are read like fgets with a 1024-byte buffer: through '\n', at most
//   1023 bytes; the loader reads numbers like atoi/strtol and ignores what follows them on the line,
//   the checker wants exactly CR LF right after the digits;
// - a line starting with '#' is an annotation and skipped (7.0: `#TS:<unix seconds>`);
// - any other first byte than '*' or '#', a count < 1, a '$' missing, a negative length: fatal;
// - after an argument's bytes the loader consumes 2 bytes without looking; the checker wants CR LF;
// - running out of bytes anywhere inside a command is a short read; so is a clean end of file
//   after a MULTI without EXEC, which Redis reverts to the offset before the MULTI;
// - valid_up_to (where Redis truncates) is the offset after the last complete command, counted
//   from 0 for this file's RESP part: annotations and an RDB preamble do not move it;
//   the checker's ok_up_to is the start of the top-level command (or MULTI) being read.
// Byte lengths are checked against the bytes the file has before anything is allocated for them.

import type { AofAnnotationRecord, AofCommandRecord, AofProblemCause, AofProblemRecord, AofTransactionRecord } from './records.js';
import { problemRecord } from './verdict.js';
import type { FileWindow } from './window.js';

const CR = 13;
const LF = 10;
const STAR = 0x2a;
const DOLLAR = 0x24;
const HASH = 0x23;
/** fgets(buf, 1024) (AOF_ANNOTATION_LINE_MAX_LEN): at most this many bytes per line read. */
const LINE_CHUNK = 1023;
/** Progress is reported every this many commands. */
const PROGRESS_EVERY = 4096;

export type RespLogRecord = AofCommandRecord | AofTransactionRecord | AofAnnotationRecord | AofProblemRecord;

export interface RespLogFile {
  name: string;
  path: string;
  /** The last file Redis loads (only there a short read lets the server start). */
  last: boolean;
  /** Arguments longer than this are skipped over, not decoded. */
  maxArgBytes: number;
  onProgress?: (offset: number) => void;
}

export interface RespLogResult {
  commands: number;
  /** A problem ended the reading of this file (and of the whole AOF). */
  stopped: boolean;
  /** A problem that did not stop reading (checker-only) was reported. */
  flagged: boolean;
}

/** One header or annotation line as the loader's fgets sees it. */
interface Line {
  /** Offset just past the bytes read (past the '\n' when there is one). */
  end: number;
  /** The line ended with '\n' within the chunk. */
  complete: boolean;
  /** The number after the prefix (atoi/strtol), and whether the checker accepts the line. */
  value: number;
  /** The number's exact decimal text (values past 2^53 lose precision in `value`). */
  exact: string;
  strictOk: boolean;
  /** The two bytes after the digits (for the checker's "got: xxyy"). */
  after: string;
}

const isSpace = (b: number): boolean => b === 32 || (b >= 9 && b <= 13);
const hex2 = (b: number | undefined): string => (b === undefined ? '00' : b.toString(16).padStart(2, '0'));

/** A byte as the checker's message shows it: printable ASCII as is, else escaped. */
export function showByte(b: number): string {
  if (b >= 0x20 && b < 0x7f) return String.fromCharCode(b);
  return ({ 10: '\\n', 13: '\\r', 9: '\\t' } as Record<number, string>)[b] ?? `\\x${hex2(b)}`;
}

function readLine(win: FileWindow, pos: number): Line {
  const idx = win.ensure(pos, LINE_CHUNK);
  const avail = Math.min(win.available(pos), LINE_CHUNK);
  const buf = win.buf;
  let n = 0;
  while (n < avail && buf[idx + n] !== LF) n++;
  const complete = n < avail;
  const lineLen = complete ? n + 1 : n;
  // strtol from the byte after the prefix: blanks, sign, digits.
  let i = 1;
  while (i < n && isSpace(buf[idx + i]!)) i++;
  let sign = 1;
  if (i < n && (buf[idx + i] === 0x2d || buf[idx + i] === 0x2b)) {
    if (buf[idx + i] === 0x2d) sign = -1;
    i++;
  }
  const digitsStart = i;
  let value = 0;
  while (i < n && buf[idx + i]! >= 0x30 && buf[idx + i]! <= 0x39) value = value * 10 + (buf[idx + i++]! - 0x30);
  const numEnd = i === digitsStart ? 1 : i; // strtol with no digits leaves the end pointer at the start
  const strictOk = complete && n === numEnd + 1 && buf[idx + numEnd] === CR;
  const after = numEnd < lineLen ? hex2(buf[idx + numEnd]) + hex2(numEnd + 1 < lineLen ? buf[idx + numEnd + 1] : 0) : '0000';
  const exact = i - digitsStart > 15 ? `${sign < 0 ? '-' : ''}${buf.toString('latin1', idx + digitsStart, idx + i)}` : String(sign * value);
  return { end: pos + lineLen, complete, value: sign * value, exact, strictOk, after };
}

/**
 * Reads the RESP part of a file from `from` to its end, yielding commands, transactions,
 * annotations, and problems. Returns whether a problem stopped it.
 */
export function* readRespLog(win: FileWindow, from: number, file: RespLogFile): Generator<RespLogRecord, RespLogResult> {
  let pos = from;
  let db = 0;
  let validUpTo = 0;
  /** The checker's ok_up_to, and where the checker itself stops (its first complaint). */
  let okUpTo = from;
  let checkerStop: number | null = null;
  let multi: { begin: number; commands: number; validBefore: number } | null = null;
  let commands = 0;
  let flagged = false;

  const problem = (cause: AofProblemCause, offset: number, commandOffset: number, message: string): AofProblemRecord => {
    const rec = problemRecord({
      file: file.name,
      path: file.path,
      cause,
      offset,
      commandOffset,
      message,
      lastFile: file.last,
      validUpTo: cause === 'unfinished-multi' && multi ? multi.validBefore : validUpTo,
      okUpTo: checkerStop ?? okUpTo,
      respFrom: from,
    });
    if (checkerStop === null) checkerStop = okUpTo;
    return rec;
  };
  const result = (stopped: boolean): RespLogResult => ({ commands, stopped, flagged });

  for (;;) {
    if (!multi) okUpTo = pos;
    if (pos >= win.size) break;
    const start = pos;
    const first = win.buf[win.ensure(pos, 1)]!;

    if (first === HASH) {
      const line = readLine(win, pos);
      const idx = win.ensure(pos, line.end - pos);
      const text = win.buf.toString('latin1', idx, idx + (line.end - pos)).replace(/\r?\n$/, '');
      const ts = /^#TS:(\d+)/.exec(text);
      yield { kind: 'annotation', file: file.name, offset: pos, text, timestamp: ts ? Number(ts[1]) : null };
      pos = line.end;
      continue;
    }
    if (first !== STAR) {
      yield problem('format', pos, pos, `Expected prefix '*', got: '${showByte(first)}'`);
      return result(true);
    }

    // *<argc>
    const head = readLine(win, pos);
    if (!head.complete && head.end >= win.size) {
      // "*" alone at the end, or "*N" without its line end: the loader's next read hits the end.
      if (head.end - pos === 1 || head.value >= 1) {
        yield problem('truncated', head.end, start, `Unexpected end of file in the argument count of a command (got ${head.end - pos} bytes of its line)`);
        return result(true);
      }
    } else if (!head.complete) {
      yield problem('format', pos, start, 'Expected \\r\\n within 1024 bytes after the argument count');
      return result(true);
    }
    if (head.value < 1) {
      yield problem('format', pos, start, `Expected an argument count of at least 1, got: ${head.value}`);
      return result(true);
    }
    if (!head.strictOk && checkerStop === null) {
      flagged = true;
      yield problem('strict', pos, start, `Expected \\r\\n, got: ${head.after}`);
    }
    pos = head.end;
    const argc = head.value;
    const argv: string[] = [];
    let omitted: Array<{ index: number; length: number }> | undefined;

    for (let j = 0; j < argc; j++) {
      if (pos >= win.size) {
        yield problem('truncated', pos, start, `Unexpected end of file: expected argument ${j + 1} of ${argc}, got end of file`);
        return result(true);
      }
      const b = win.buf[win.ensure(pos, 1)]!;
      if (b !== DOLLAR) {
        yield problem('format', pos, start, `Expected prefix '$', got: '${showByte(b)}'`);
        return result(true);
      }
      const line = readLine(win, pos);
      if (!line.complete && line.end < win.size) {
        yield problem('format', pos, start, 'Expected \\r\\n within 1024 bytes after an argument length');
        return result(true);
      }
      const len = line.value;
      if (len < 0) {
        yield problem('format', pos, start, `Expected to read string of ${line.exact} bytes, which is not in the suitable range`);
        return result(true);
      }
      const dataStart = line.end;
      const have = win.remaining(dataStart);
      if (!line.complete || have < len + 2) {
        const want = (BigInt(line.exact) + 2n).toString();
        yield problem('truncated', dataStart, start, `Unexpected end of file: expected to read ${want} bytes, got ${line.complete ? have : 0} bytes`);
        return result(true);
      }
      if (!line.strictOk && checkerStop === null) {
        flagged = true;
        yield problem('strict', pos, start, `Expected \\r\\n, got: ${line.after}`);
      }
      if (len <= file.maxArgBytes) {
        const idx = win.ensure(dataStart, len + 2);
        argv.push(win.buf.toString('latin1', idx, idx + len));
      } else {
        argv.push('');
        (omitted ??= []).push({ index: j, length: len });
      }
      const crIdx = win.ensure(dataStart + len, 2);
      const c1 = win.buf[crIdx]!;
      const c2 = win.buf[crIdx + 1]!;
      if ((c1 !== CR || c2 !== LF) && checkerStop === null) {
        flagged = true;
        yield problem('strict', dataStart + len, start, `Expected \\r\\n, got: ${hex2(c1)}${hex2(c2)}`);
      }
      pos = dataStart + len + 2;
    }

    const name = argv[0]!.length <= 6 ? argv[0]!.toLowerCase() : '';
    const rec: AofCommandRecord = { kind: 'command', file: file.name, offset: start, size: pos - start, argv, db, inMulti: false };
    if (omitted) rec.omitted = omitted;
    if (name === 'multi' && !multi) {
      multi = { begin: start, commands: 0, validBefore: validUpTo };
      yield rec;
    } else if (name === 'exec' && multi) {
      const block = multi;
      multi = null;
      yield rec;
      yield { kind: 'transaction', file: file.name, begin: block.begin, end: pos, commands: block.commands };
    } else {
      if ((name === 'multi' || name === 'exec') && checkerStop === null) {
        // Replies to the loading client are dropped, so the loader shrugs; the checker does not.
        flagged = true;
        yield problem('strict', start, start, name === 'multi' ? 'Unexpected MULTI' : 'Unexpected EXEC');
      }
      if (name === 'select' && argv.length > 1 && /^-?\d+$/.test(argv[1]!)) db = Number(argv[1]);
      rec.db = db;
      if (multi) {
        rec.inMulti = true;
        multi.commands++;
      }
      yield rec;
    }
    commands++;
    validUpTo = pos;
    if (file.onProgress && commands % PROGRESS_EVERY === 0) file.onProgress(pos);
  }

  if (multi) {
    yield problem('unfinished-multi', win.size, multi.begin, 'Reached EOF before reading EXEC for MULTI');
    return result(true);
  }
  return result(false);
}
