// Incremental parser of client requests, as Redis's processInputBuffer reads them: multibulk
// (`*N\r\n$len\r\n...`) when the first byte is `*`, otherwise an inline line split like
// sdssplitargs. Arguments come out as latin1 strings (one char per byte, so binary-safe).
// The caller pulls one command at a time, so it can stop mid-buffer (blocking command, QUIT,
// protocol error) exactly where Redis stops. Big arguments (>= 32 KiB) are assembled in one
// preallocated buffer instead of re-concatenating the input for every chunk.
//
// Redis searches its query buffer with strchr, which stops at a NUL byte: a header or inline
// line with a NUL before its terminator is never complete (the client then waits until the
// 64 KiB "too big" limit). Numbers are read like string2ll: no sign but '-', no leading zeros.

/** A malformed request; `message` is the text after "Protocol error: ". The connection must close. */
export class ProtocolError extends Error {}

export interface ParserLimits {
  /** proto-max-bulk-len */
  maxBulkLen(): number;
  /** false until the client authenticated (when a password is required). */
  authenticated(): boolean;
}

const INLINE_MAX = 64 * 1024; // PROTO_INLINE_MAX_SIZE
const BIG_ARG = 32 * 1024; // PROTO_MBULK_BIG_ARG
const INT_MAX = 2147483647;
/** V8 cannot make a string longer than this; a bulk past it cannot be held as one argument. */
const MAX_STRING = 0x1fffffe8;
/** The smallest value proto-max-bulk-len accepts (1 MiB). */
const MIN_MAX_BULK = 1024 * 1024;
const EMPTY = Buffer.alloc(0);
const CR = 13;
const LF = 10;
const NUL = 0;
/** Arguments shorter than this are cut from a decoded window (V8 copies slices under 13 chars). */
const SHORT_ARG = 13;
/** Bytes decoded at a time for short arguments. */
const WINDOW = 2048;
/** Buffer#latin1Slice: the binding behind toString('latin1'), without its argument checks. */
interface Latin1Slicer {
  latin1Slice(start: number, end: number): string;
}
const latin1: (b: Buffer, start: number, end: number) => string =
  typeof (Buffer.prototype as unknown as Partial<Latin1Slicer>).latin1Slice === 'function'
    ? (b, start, end) => (b as unknown as Latin1Slicer).latin1Slice(start, end)
    : (b, start, end) => b.toString('latin1', start, end);
/** Placeholder between commands (never written: a header always installs a fresh array). */
const NO_ARGS: string[] = [];
/** Multibulk counts up to this get their argv array allocated at full size at once. */
const PREALLOC_ARGS = 1024;
/** Marks "not a valid string2ll number" in header parsing. */
const BAD = -0x20000000000000;

export class RequestParser {
  private buf: Buffer = EMPTY;
  private pos = 0;
  /** Arguments still to read in the current multibulk (0 between commands). */
  private argsLeft = 0;
  private args: string[] = NO_ARGS;
  /** Where the next argument goes in `args`. */
  private argi = 0;
  /** Length of the bulk being waited for, or -1 while waiting for its `$` line. */
  private bulkLen = -1;
  private big: Buffer | null = null;
  private bigFilled = 0;
  /** Set by header scans: offset of the CR that ends the line. */
  private lineEnd = 0;
  /** buf[winStart, winStart + win.length) decoded once, for cutting short arguments out in JS. */
  private win = '';
  private winStart = 0;
  private winBuf: Buffer = EMPTY;
  /** `buf` is the caller's chunk (not a copy): own() must copy what is left of it. */
  private borrowed = false;

  constructor(private readonly limits: ParserLimits) {}

  /** Adds received bytes. */
  push(chunk: Buffer): void {
    if (this.big) {
      const need = this.bulkLen + 2 - this.bigFilled;
      const n = need < chunk.length ? need : chunk.length;
      chunk.copy(this.big, this.bigFilled, 0, n);
      this.bigFilled += n;
      if (n === chunk.length) return;
      chunk = chunk.subarray(n);
    }
    if (this.pos >= this.buf.length) {
      this.buf = chunk;
      this.borrowed = true;
    } else {
      this.buf = Buffer.concat([this.buf.subarray(this.pos), chunk]);
      this.borrowed = false;
    }
    this.pos = 0;
  }

  /**
   * Copies unparsed bytes into memory of the parser's own, so the caller may reuse the memory
   * of the chunks it pushed (a static read buffer).
   */
  own(): void {
    if (!this.borrowed) return;
    this.borrowed = false;
    this.win = '';
    this.winBuf = EMPTY;
    this.buf = this.pos >= this.buf.length ? EMPTY : Buffer.from(this.buf.subarray(this.pos));
    this.pos = 0;
  }

  /** Bytes received but not yet turned into commands (for client-query-buffer-limit and CLIENT LIST qbuf). */
  buffered(): number {
    return this.buf.length - this.pos + (this.big ? this.bigFilled : 0);
  }

  /** Up to `n` of the next unparsed bytes (for logs about a client's query buffer). */
  peek(n: number): string {
    if (this.big) return latin1(this.big, 0, Math.min(n, this.bigFilled));
    return latin1(this.buf, this.pos, Math.min(this.buf.length, this.pos + n));
  }

  /** True when a command has started but is not complete. */
  midCommand(): boolean {
    return this.argsLeft > 0 || this.pos < this.buf.length;
  }

  /**
   * The next complete command, or null when more bytes are needed.
   * Throws ProtocolError for malformed input.
   */
  next(): string[] | null {
    for (;;) {
      if (this.argsLeft === 0) {
        if (this.pos >= this.buf.length) {
          if (this.buf !== EMPTY) this.buf = EMPTY; // drop the consumed chunk
          this.pos = 0;
          return null;
        }
        if (this.buf[this.pos] !== 0x2a) {
          const inline = this.readInline();
          if (inline === null) return null;
          if (inline.length === 0) continue; // empty line
          return inline;
        }
        const n = this.readMultibulkHeader();
        if (n === null) return null;
        if (n <= 0) continue; // `*0`, `*-1`: Redis ignores these
        this.argsLeft = n;
        // Sized up front (one allocation, not push's growth steps), within reason for a claimed count.
        this.args = n <= PREALLOC_ARGS ? new Array<string>(n) : [];
        this.argi = 0;
      }
      while (this.argsLeft > 0) {
        if (this.big) {
          if (this.bigFilled < this.bulkLen + 2) return null;
          this.args[this.argi++] = latin1(this.big, 0, this.bulkLen);
          this.big = null;
          this.bulkLen = -1;
          this.argsLeft--;
          continue;
        }
        if (this.bulkLen < 0) {
          if (!this.readBulkHeader()) return null;
          if (this.big) continue;
        }
        const start = this.pos;
        const end = start + this.bulkLen;
        if (end + 2 > this.buf.length) return null;
        const len = end - start;
        const i = this.argi++;
        this.args[i] = i === 0 && len <= NAME_MAX ? commandName(this.buf, start, end, this) : len < SHORT_ARG ? this.short(start, end) : latin1(this.buf, start, end);
        this.pos = end + 2;
        this.bulkLen = -1;
        this.argsLeft--;
      }
      const out = this.args;
      this.args = NO_ARGS;
      return out;
    }
  }

  /**
   * A short argument cut from a decoded window of the buffer: one native decode serves many
   * arguments (command names, small values), and V8 copies slices this short, so they keep no
   * reference to the window. Longer arguments are decoded on their own (a slice would pin the window).
   */
  short(start: number, end: number): string {
    const buf = this.buf;
    if (start < this.winStart || end > this.winStart + this.win.length || this.winBuf !== buf) {
      this.winBuf = buf;
      this.winStart = start;
      const stop = start + WINDOW < buf.length ? start + WINDOW : buf.length;
      this.win = latin1(buf, start, stop);
    }
    return this.win.slice(start - this.winStart, end - this.winStart);
  }

  /**
   * Finds the CR ending the header line at `from` (strchr semantics: a NUL first means none).
   * Returns false when the line is not complete yet (CR missing, or nothing after it).
   */
  private scanLine(from: number): boolean {
    const buf = this.buf;
    const len = buf.length;
    for (let i = from; i < len; i++) {
      const c = buf[i]!;
      if (c === CR) {
        this.lineEnd = i;
        return i + 1 < len;
      }
      if (c === NUL) break;
    }
    this.lineEnd = -1;
    return false;
  }

  /** Reads `*N\r\n`; returns N, or null when the line is incomplete. */
  private readMultibulkHeader(): number | null {
    if (!this.scanLine(this.pos)) {
      if (this.lineEnd < 0 && this.buf.length - this.pos > INLINE_MAX) throw new ProtocolError('too big mbulk count string');
      return null;
    }
    const cr = this.lineEnd;
    const n = string2ll(this.buf, this.pos + 1, cr);
    if (n === BAD || n > INT_MAX) throw new ProtocolError('invalid multibulk length');
    if (n > 10 && !this.limits.authenticated()) throw new ProtocolError('unauthenticated multibulk length');
    this.pos = cr + 2;
    return n;
  }

  /** Reads `$len\r\n`; false when incomplete. May switch to big-argument mode. */
  private readBulkHeader(): boolean {
    if (this.pos >= this.buf.length) return false;
    if (!this.scanLine(this.pos)) {
      if (this.lineEnd < 0 && this.buf.length - this.pos > INLINE_MAX) throw new ProtocolError('too big bulk count string');
      return false;
    }
    const cr = this.lineEnd;
    const first = this.buf[this.pos]!;
    if (first !== 0x24) throw new ProtocolError(`expected '$', got '${String.fromCharCode(first)}'`);
    const len = string2ll(this.buf, this.pos + 1, cr);
    // proto-max-bulk-len is at least 1 MiB: smaller bulks need no config lookup.
    if (len === BAD || len < 0 || (len > MIN_MAX_BULK && (len > this.limits.maxBulkLen() || len > MAX_STRING))) throw new ProtocolError('invalid bulk length');
    if (len > 16384 && !this.limits.authenticated()) throw new ProtocolError('unauthenticated bulk length');
    this.pos = cr + 2;
    this.bulkLen = len;
    const avail = this.buf.length - this.pos;
    if (len >= BIG_ARG && avail < len + 2) {
      this.big = Buffer.allocUnsafe(len + 2);
      this.buf.copy(this.big, 0, this.pos);
      this.bigFilled = avail;
      this.buf = EMPTY;
      this.pos = 0;
    }
    return true;
  }

  /** Reads one inline line; null when incomplete, [] for an empty line. */
  private readInline(): string[] | null {
    const buf = this.buf;
    const nl = buf.indexOf(LF, this.pos);
    let line: string | null = null;
    if (nl >= 0) {
      let end = nl;
      if (end > this.pos && buf[end - 1] === CR) end--;
      const text = latin1(buf, this.pos, end);
      if (text.indexOf('\0') < 0) line = text; // else strchr stops at the NUL: no line end yet
    }
    if (line === null) {
      if (buf.length - this.pos > INLINE_MAX) throw new ProtocolError('too big inline request');
      return null;
    }
    this.pos = nl + 1;
    if (line.length === 0) return [];
    const args = splitArgs(line);
    if (args === null) throw new ProtocolError('unbalanced quotes in request');
    return args;
  }
}

/** Command names up to this length go through the name cache. */
const NAME_MAX = 24;
const NAME_SLOTS = 128;
/** Recently seen command names (argv[0]) by a hash of their bytes, shared by every parser. */
const names: string[] = new Array<string>(NAME_SLOTS).fill('');

/**
 * argv[0] as the same string object every time a client sends the same bytes: no allocation per
 * command, and the command table lookup meets a string whose hash is known and which is the very
 * key it stored (dispatch caches specs by the name as sent).
 */
function commandName(buf: Buffer, start: number, end: number, parser: RequestParser): string {
  const n = end - start;
  let h = n;
  for (let i = start; i < end; i++) h = (h * 31 + buf[i]!) | 0;
  const slot = h & (NAME_SLOTS - 1);
  const cached = names[slot]!;
  if (cached.length === n) {
    let i = 0;
    while (i < n && cached.charCodeAt(i) === buf[start + i]) i++;
    if (i === n) return cached;
  }
  const s = n < SHORT_ARG ? parser.short(start, end) : latin1(buf, start, end);
  names[slot] = s;
  return s;
}

/**
 * string2ll over buf[start, end): optional '-', then "0" alone or a digit 1-9 followed by digits,
 * within the range of a signed 64-bit integer. Returns BAD when it is not such a number.
 * Values beyond 2^53 lose precision, but every caller only compares them with far smaller limits.
 */
function string2ll(buf: Buffer, start: number, end: number): number {
  if (start >= end) return BAD;
  let i = start;
  let neg = false;
  if (buf[i] === 45) {
    neg = true;
    i++;
    if (i === end) return BAD;
  }
  const first = buf[i]! - 48;
  if (first === 0) return end - start === 1 ? 0 : BAD; // "0" only; "-0" and "01" are not numbers
  if (first < 1 || first > 9 || end - i > 19) return BAD;
  let n = first;
  for (i++; i < end; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) return BAD;
    n = n * 10 + d;
  }
  if (end - start - (neg ? 1 : 0) === 19 && !fitsInt64(buf, neg ? start + 1 : start, neg)) return BAD;
  return neg ? -n : n;
}

/** For 19-digit numbers: within [-2^63, 2^63-1]? (compared as text, exactly). */
function fitsInt64(buf: Buffer, start: number, neg: boolean): boolean {
  const limit = neg ? '9223372036854775808' : '9223372036854775807';
  return latin1(buf, start, start + 19) <= limit;
}

function hexVal(c: number): number {
  if (c <= 57) return c - 48;
  if (c <= 70) return c - 55;
  return c - 87;
}
function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}
/** C isspace(): blanks skipped between arguments and accepted after a closing quote. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}
/** What ends an unquoted argument in sdssplitargs (not \v or \f, unlike isspace). */
function endsWord(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}
/** Backslash escapes inside double quotes; any other escaped char stands for itself. */
const ESCAPES = new Map([
  ['n', '\n'],
  ['r', '\r'],
  ['t', '\t'],
  ['b', '\b'],
  ['a', '\x07'],
]);

/**
 * Splits an inline command line the way sdssplitargs does: blanks separate; "..." understands
 * \n \r \t \b \a \xHH and \<any>; '...' understands \'. A closing quote must be followed by a
 * blank or the end. Returns null on unbalanced quotes. The line is read as a C string: it ends
 * at a NUL byte (callers never pass one; the parser never completes such a line).
 */
export function splitArgs(input: string): string[] | null {
  const nul = input.indexOf('\0');
  const line = nul >= 0 ? input.slice(0, nul) : input;
  const out: string[] = [];
  const n = line.length;
  let i = 0;
  for (;;) {
    while (i < n && isSpace(line.charCodeAt(i))) i++;
    if (i >= n) return out;
    const q = line.charCodeAt(i);
    if (q !== 34 && q !== 39) {
      // Fast path: a bare word up to the next separator, unless a quote starts inside it.
      let j = i;
      let c = 0;
      while (j < n && !endsWord((c = line.charCodeAt(j))) && c !== 34 && c !== 39) j++;
      if (j >= n || endsWord(c)) {
        out.push(line.slice(i, j));
        i = j + 1;
        continue;
      }
    }
    const r = readQuotedWord(line, i);
    if (r === null) return null;
    out.push(r[0]);
    i = r[1];
  }
}

/** The general word reader (quotes anywhere in the word); returns [word, next index] or null. */
function readQuotedWord(line: string, start: number): [string, number] | null {
  const n = line.length;
  let i = start;
  let inq = false;
  let insq = false;
  let cur = '';
  for (;;) {
    if (inq) {
      if (i >= n) return null;
      const c = line.charCodeAt(i);
      if (c === 92 && line.charCodeAt(i + 1) === 120 && isHex(line.charCodeAt(i + 2)) && isHex(line.charCodeAt(i + 3))) {
        cur += String.fromCharCode(hexVal(line.charCodeAt(i + 2)) * 16 + hexVal(line.charCodeAt(i + 3)));
        i += 3;
      } else if (c === 92 && i + 1 < n) {
        i++;
        const e = line[i]!;
        cur += ESCAPES.get(e) ?? e;
      } else if (c === 34) {
        if (i + 1 < n && !isSpace(line.charCodeAt(i + 1))) return null;
        return [cur, i + 1];
      } else {
        cur += line[i];
      }
    } else if (insq) {
      if (i >= n) return null;
      const c = line.charCodeAt(i);
      if (c === 92 && line.charCodeAt(i + 1) === 39) {
        i++;
        cur += "'";
      } else if (c === 39) {
        if (i + 1 < n && !isSpace(line.charCodeAt(i + 1))) return null;
        return [cur, i + 1];
      } else {
        cur += line[i];
      }
    } else {
      if (i >= n) return [cur, i];
      const c = line.charCodeAt(i);
      if (endsWord(c)) return [cur, i + 1];
      if (c === 34) inq = true;
      else if (c === 39) insq = true;
      else cur += line[i];
    }
    i++;
  }
}
