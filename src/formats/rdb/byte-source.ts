// Where the RDB reader pulls its bytes from. The reader is synchronous (a generator over a
// buffer window), so a source is a tiny pull interface rather than a Node stream: a file
// descriptor read with fs.readSync at an explicit position (a whole dump.rdb, or the RDB preamble
// at the start of an AOF), standard input, or a Buffer in tests. A source that knows how many
// bytes it will deliver says so in `size`: the reader then refuses any length that runs past the
// end before allocating for it.

import { fstatSync, readSync } from 'node:fs';

export interface ByteSource {
  /** Copies up to `length` bytes into buf[offset..]; returns how many, 0 at the end. */
  read(buf: Uint8Array, offset: number, length: number): number;
  /** Total bytes this source will deliver from its start, when known. */
  readonly size: number | null;
}

/** Reads a file descriptor from `start` on (positional reads: the descriptor's own offset is untouched). */
export function fdSource(fd: number, start = 0): ByteSource {
  let position = start;
  let size: number | null = null;
  try {
    const st = fstatSync(fd);
    if (st.isFile()) size = Math.max(0, st.size - start);
  } catch {
    size = null;
  }
  return {
    size,
    read(buf, offset, length) {
      if (size === null) {
        // Pipes and terminals: no positions, and EAGAIN on a non-blocking stdin means "try again".
        for (;;) {
          try {
            return readSync(fd, buf, offset, length, null);
          } catch (err) {
            const code = (err as NodeJS.ErrnoException).code;
            if (code === 'EAGAIN') continue;
            if (code === 'EOF') return 0;
            throw err;
          }
        }
      }
      const n = readSync(fd, buf, offset, length, position);
      position += n;
      return n;
    },
  };
}

/** A Buffer (or a part of one) as a source: tests, DUMP payloads, data already in memory. */
export function bufferSource(data: Uint8Array, start = 0, end = data.length): ByteSource {
  let pos = start;
  return {
    size: end - start,
    read(buf, offset, length) {
      const n = Math.min(length, end - pos);
      if (n <= 0) return 0;
      buf.set(data.subarray(pos, pos + n), offset);
      pos += n;
      return n;
    },
  };
}
