// Builds RESP2/RESP3 replies into one latin1 string per batch, the way Redis's addReply* family
// fills a client's reply buffer: commands call typed methods (bulk, int, map, double...) and the
// writer picks the wire shape for the client's protocol version. The owner flushes the batch
// with one socket write.

import { formatDouble } from './double.js';

export type Proto = 2 | 3;

export class ReplyWriter {
  proto: Proto = 2;
  private parts: string[] = [];
  private size = 0;
  /** Replies written since the counter was last read (for MULTI/EXEC and deferred arrays). */
  count = 0;

  /** Takes everything written so far, leaving the writer empty. */
  take(): string {
    const parts = this.parts;
    const n = parts.length;
    const s = n === 1 ? parts[0]! : n === 0 ? '' : parts.join('');
    // The array is reused (no new one per batch) unless a big batch grew it.
    if (n > 1024) this.parts = [];
    else parts.length = 0;
    this.size = 0;
    return s;
  }

  get pending(): number {
    return this.size;
  }

  /** Appends already-encoded RESP text. */
  raw(s: string): void {
    this.parts.push(s);
    this.size += s.length;
  }

  ok(): void {
    this.raw('+OK\r\n');
    this.count++;
  }

  simple(s: string): void {
    this.raw(`+${s}\r\n`);
    this.count++;
  }

  /** An error reply; Redis's rule: "-ERR " is prepended unless the text starts with "-". */
  error(msg: string): void {
    const clean = msg.replace(/[\r\n]/g, ' ');
    this.raw(clean.charCodeAt(0) === 45 ? `${clean}\r\n` : `-ERR ${clean}\r\n`);
    this.count++;
  }

  int(n: number | bigint): void {
    this.raw(`:${n}\r\n`);
    this.count++;
  }

  bulk(s: string): void {
    this.raw(`$${s.length}\r\n${s}\r\n`);
    this.count++;
  }

  /** A bulk, or the protocol's null when `s` is null/undefined. */
  bulkOrNull(s: string | null | undefined): void {
    if (s === null || s === undefined) this.nullBulk();
    else this.bulk(s);
  }

  nullBulk(): void {
    this.raw(this.proto === 3 ? '_\r\n' : '$-1\r\n');
    this.count++;
  }

  nullArray(): void {
    this.raw(this.proto === 3 ? '_\r\n' : '*-1\r\n');
    this.count++;
  }

  arrayLen(n: number): void {
    this.raw(`*${n}\r\n`);
    this.count++;
  }

  /** A map header: RESP3 `%n`, RESP2 a flat array of 2n. */
  mapLen(n: number): void {
    this.raw(this.proto === 3 ? `%${n}\r\n` : `*${n * 2}\r\n`);
    this.count++;
  }

  /** A set header: RESP3 `~n`, RESP2 an array. */
  setLen(n: number): void {
    this.raw(this.proto === 3 ? `~${n}\r\n` : `*${n}\r\n`);
    this.count++;
  }

  /** A push header (pub/sub messages): RESP3 `>n`, RESP2 an array. */
  pushLen(n: number): void {
    this.raw(this.proto === 3 ? `>${n}\r\n` : `*${n}\r\n`);
    this.count++;
  }

  /** A double: RESP3 `,x`, RESP2 a bulk string, formatted as Redis 7.0 does. */
  double(d: number): void {
    const s = formatDouble(d);
    if (this.proto === 3) this.raw(`,${s}\r\n`);
    else this.raw(`$${s.length}\r\n${s}\r\n`);
    this.count++;
  }

  bool(b: boolean): void {
    if (this.proto === 3) this.raw(b ? '#t\r\n' : '#f\r\n');
    else this.raw(b ? ':1\r\n' : ':0\r\n');
    this.count++;
  }

  /** Verbatim text (INFO, LATENCY DOCTOR): RESP3 `=len\r\ntxt:...`, RESP2 a bulk. */
  verbatim(s: string, format = 'txt'): void {
    if (this.proto === 3) this.raw(`=${s.length + 4}\r\n${format}:${s}\r\n`);
    else this.raw(`$${s.length}\r\n${s}\r\n`);
    this.count++;
  }

  bigNumber(digits: string): void {
    if (this.proto === 3) this.raw(`(${digits}\r\n`);
    else this.raw(`$${digits.length}\r\n${digits}\r\n`);
    this.count++;
  }

  /** An array of bulk strings. */
  bulks(items: readonly string[]): void {
    let s = `*${items.length}\r\n`;
    for (const it of items) s += `$${it.length}\r\n${it}\r\n`;
    this.raw(s);
    this.count += items.length + 1;
  }

  /** A set-typed reply of bulk strings. */
  bulkSet(items: Iterable<string>, n: number): void {
    this.setLen(n);
    for (const it of items) this.bulk(it);
  }
}
