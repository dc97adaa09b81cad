// Incremental parser of client requests, as Redis's processInputBuffer reads them: multibulk
// (`*N\r\n$len\r\n...`) when the first byte is `*`, otherwise an inline line split like
// sdssplitargs. Arguments come out as latin1 strings (one char per byte, so binary-safe).
// The caller pulls one command at a time, so it can stop mid-buffer (blocking command, QUIT,
// protocol error) exactly where Redis stops. Big arguments (>= 32 KiB) are assembled in one
// preallocated buffer instead of re-concatenating the input for every chunk.

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
const EMPTY = Buffer.alloc(0);

export class RequestParser {
  private buf: Buffer = EMPTY;
  private pos = 0;
  /** Arguments still to read in the current multibulk (0 between commands). */
  private argsLeft = 0;
  private args: string[] = [];
  /** Length of the bulk being waited for, or -1 while waiting for its `$` line. */
  private bulkLen = -1;
  private big: Buffer | null = null;
  private bigFilled = 0;

  constructor(private readonly limits: ParserLimits) {}

  /** Adds received bytes. */
  push(chunk: Buffer): void {
    if (this.big) {
      const need = this.bulkLen + 2 - this.bigFilled;
      const n = Math.min(need, chunk.length);
      chunk.copy(this.big, this.bigFilled, 0, n);
      this.bigFilled += n;
      chunk = chunk.subarray(n);
      if (chunk.length === 0) return;
    }
    if (this.pos >= this.buf.length) {
      this.buf = chunk;
      this.pos = 0;
    } else {
      this.buf = Buffer.concat([this.buf.subarray(this.pos), chunk]);
      this.pos = 0;
    }
  }

  /** Bytes received but not yet turned into commands (for client-query-buffer-limit and CLIENT LIST qbuf). */
  buffered(): number {
    return this.buf.length - this.pos + (this.big ? this.bigFilled : 0);
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
        if (this.pos >= this.buf.length) return null;
        if (this.buf[this.pos] === 0x2a) {
          const n = this.readMultibulkHeader();
          if (n === null) return null;
          if (n <= 0) continue; // `*0`, `*-1`: Redis ignores these
          this.argsLeft = n;
          this.args = [];
        } else {
          const inline = this.readInline();
          if (inline === null) return null;
          if (inline.length === 0) continue; // empty line
          return inline;
        }
      }
      while (this.argsLeft > 0) {
        if (this.big) {
          if (this.bigFilled < this.bulkLen + 2) return null;
          this.args.push(this.big.toString('latin1', 0, this.bulkLen));
          this.big = null;
          this.bulkLen = -1;
          this.argsLeft--;
          continue;
        }
        if (this.bulkLen < 0) {
          if (!this.readBulkHeader()) return null;
          if (this.big) continue;
        }
        const avail = this.buf.length - this.pos;
        if (avail < this.bulkLen + 2) return null;
        this.args.push(this.buf.toString('latin1', this.pos, this.pos + this.bulkLen));
        this.pos += this.bulkLen + 2;
        this.bulkLen = -1;
        this.argsLeft--;
      }
      const out = this.args;
      this.args = [];
      return out;
    }
  }

  /** Reads `*N\r\n`; returns N, or null when the line is incomplete. */
  private readMultibulkHeader(): number | null {
    const cr = this.buf.indexOf(13, this.pos);
    if (cr < 0 || cr + 1 >= this.buf.length) {
      if (this.buf.length - this.pos > INLINE_MAX) throw new ProtocolError('too big mbulk count string');
      return null;
    }
    const n = parseDecimal(this.buf, this.pos + 1, cr);
    if (n === null || n > INT_MAX) throw new ProtocolError('invalid multibulk length');
    if (n > 10 && !this.limits.authenticated()) throw new ProtocolError('unauthenticated multibulk length');
    this.pos = cr + 2;
    return n;
  }

  /** Reads `$len\r\n`; false when incomplete. May switch to big-argument mode. */
  private readBulkHeader(): boolean {
    if (this.pos >= this.buf.length) return false;
    const cr = this.buf.indexOf(13, this.pos);
    if (cr < 0 || cr + 1 >= this.buf.length) {
      if (this.buf.length - this.pos > INLINE_MAX) throw new ProtocolError('too big bulk count string');
      return false;
    }
    const first = this.buf[this.pos]!;
    if (first !== 0x24) throw new ProtocolError(`expected '$', got '${String.fromCharCode(first)}'`);
    const len = parseDecimal(this.buf, this.pos + 1, cr);
    if (len === null || len < 0 || len > this.limits.maxBulkLen() || len > MAX_STRING) throw new ProtocolError('invalid bulk length');
    if (len > 16384 && !this.limits.authenticated()) throw new ProtocolError('unauthenticated bulk length');
    this.pos = cr + 2;
    this.bulkLen = len;
    const avail = this.buf.length - this.pos;
    if (len >= BIG_ARG && avail < len + 2) {
      this.big = Buffer.allocUnsafe(len + 2);
      this.buf.copy(this.big, 0, this.pos);
      this.bigFilled = avail;
      this.pos = this.buf.length;
    }
    return true;
  }

  /** Reads one inline line; null when incomplete, [] for an empty line. */
  private readInline(): string[] | null {
    const nl = this.buf.indexOf(10, this.pos);
    if (nl < 0) {
      if (this.buf.length - this.pos > INLINE_MAX) throw new ProtocolError('too big inline request');
      return null;
    }
    let end = nl;
    if (end > this.pos && this.buf[end - 1] === 13) end--;
    const line = this.buf.toString('latin1', this.pos, end);
    this.pos = nl + 1;
    const args = splitArgs(line);
    if (args === null) throw new ProtocolError('unbalanced quotes in request');
    return args;
  }
}

/** Parses an optionally negative decimal integer in buf[start, end); null when not one. */
function parseDecimal(buf: Buffer, start: number, end: number): number | null {
  if (start >= end || end - start > 20) return null;
  let neg = false;
  let i = start;
  if (buf[i] === 45) {
    neg = true;
    i++;
    if (i === end) return null;
  }
  let n = 0;
  for (; i < end; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) return null;
    n = n * 10 + d;
  }
  return neg ? -n : n;
}

const HEX = '0123456789abcdefABCDEF';
function hexVal(c: string): number {
  const i = HEX.indexOf(c);
  return i < 16 ? i : i - 6;
}

/**
 * Splits an inline command line the way sdssplitargs does: spaces separate; "..." understands
 * \n \r \t \b \a \xHH and \<any>; '...' understands \'. A closing quote must be followed by a
 * space or the end. Returns null on unbalanced quotes.
 */
export function splitArgs(line: string): string[] | null {
  const out: string[] = [];
  const n = line.length;
  let i = 0;
  for (;;) {
    while (i < n && isSpace(line.charCodeAt(i))) i++;
    if (i >= n) return out;
    let inq = false;
    let insq = false;
    let done = false;
    let cur = '';
    while (!done) {
      if (inq) {
        if (i >= n) return null;
        const c = line[i]!;
        if (c === '\\' && line[i + 1] === 'x' && i + 3 < n && isHex(line[i + 2]) && isHex(line[i + 3])) {
          cur += String.fromCharCode(hexVal(line[i + 2]!) * 16 + hexVal(line[i + 3]!));
          i += 3;
        } else if (c === '\\' && i + 1 < n) {
          i++;
          const e = line[i]!;
          cur += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e === 'b' ? '\b' : e === 'a' ? '\x07' : e;
        } else if (c === '"') {
          if (i + 1 < n && !isSpace(line.charCodeAt(i + 1))) return null;
          done = true;
        } else {
          cur += c;
        }
      } else if (insq) {
        if (i >= n) return null;
        const c = line[i]!;
        if (c === '\\' && line[i + 1] === "'") {
          i++;
          cur += "'";
        } else if (c === "'") {
          if (i + 1 < n && !isSpace(line.charCodeAt(i + 1))) return null;
          done = true;
        } else {
          cur += c;
        }
      } else {
        if (i >= n) {
          done = true;
          break;
        }
        const c = line[i]!;
        if (isSpace(line.charCodeAt(i)) || c === '\0') done = true;
        else if (c === '"') inq = true;
        else if (c === "'") insq = true;
        else cur += c;
      }
      if (i < n) i++;
    }
    out.push(cur);
  }
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;
}
function isHex(c: string | undefined): boolean {
  return c !== undefined && HEX.includes(c);
}
