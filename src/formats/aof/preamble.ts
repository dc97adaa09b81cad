// The RDB part of an AOF file: a Redis 7 BASE `.rdb`, or the preamble of a legacy single-file AOF
// (aof-use-rdb-preamble). The RDB reader walks it in preamble mode and its records pass through;
// the RESP tail then starts at the offset just past the EOF opcode and checksum.
//
// When the RDB part is damaged Redis 7.0 stops: the RDB loader aborts the server on a short read
// ("Unexpected EOF reading RDB file") as on corruption or a checksum that does not match, and the
// file is left as it is (aof-load-truncated does not apply). The problem still says which of the
// two it was: a length that runs past the end of the file counts as a short read.

import { readSync } from 'node:fs';
import { FileFormatError } from '../../common/errors.js';
import { readRdb, type ByteSource, type RdbReadOptions } from '../rdb/index.js';
import type { AofProblemRecord, AofRdbRecord } from './records.js';
import { problemRecord } from './verdict.js';

export interface RdbPartFile {
  name: string;
  path: string;
  last: boolean;
}

/** FileFormatError problems that mean "the bytes ran out", not "the bytes are wrong". */
const SHORT_READ = [/unexpected end of file/i, /bytes left in the file/i];

/** Positional reads of [0, size): the descriptor's offset is untouched, bytes past the snapshot never read. */
function snapshotSource(fd: number, size: number): ByteSource {
  let position = 0;
  return {
    size,
    read(buf, offset, length) {
      const n = Math.min(length, size - position);
      if (n <= 0) return 0;
      const got = readSync(fd, buf, offset, n, position);
      position += got;
      return got;
    },
  };
}

/**
 * Yields the RDB records of the file's RDB part and returns where its RESP part starts, or
 * `end: null` after yielding the problem that stops loading.
 */
export function* readRdbPart(
  fd: number,
  size: number,
  file: RdbPartFile,
  opts: Omit<RdbReadOptions, 'preamble' | 'name' | 'onProgress'>,
  onProgress?: (bytes: number) => void,
): Generator<AofRdbRecord | AofProblemRecord, { end: number | null }> {
  const problem = (cause: 'rdb-truncated' | 'rdb-corrupt', offset: number, message: string): AofProblemRecord =>
    problemRecord({ file: file.name, path: file.path, cause, offset, commandOffset: 0, message, lastFile: file.last, validUpTo: 0, okUpTo: 0 });
  try {
    for (const record of readRdb(snapshotSource(fd, size), { ...opts, preamble: true, name: file.name, onProgress })) {
      yield { kind: 'rdb', file: file.name, record };
      if (record.kind !== 'eof') continue;
      if (record.checksum.ok === false) {
        yield problem(
          'rdb-corrupt',
          record.offset + 1,
          `Wrong RDB checksum: stored ${record.checksum.stored}, computed ${record.checksum.computed}`,
        );
        return { end: null };
      }
      return { end: record.endOffset };
    }
  } catch (err) {
    if (!(err instanceof FileFormatError)) throw err;
    const short = SHORT_READ.some((re) => re.test(err.problem));
    yield problem(short ? 'rdb-truncated' : 'rdb-corrupt', err.offset, `RDB part: ${err.message.slice(file.name.length + 2)}`);
    return { end: null };
  }
  throw new Error('unreachable: the RDB reader ends with an EOF record or an error');
}
