// The typed records an AOF pass yields, in load order. An AOF is not one file but a layout (one
// legacy file, or a Redis 7 directory: manifest, BASE, INCR and HISTORY files), so the pass first
// says what it found (`layout`), then walks the files Redis would load, in the order it loads them.
// A BASE in RDB form (or a legacy file with an RDB preamble) passes the RDB reader's records
// through unchanged; the RESP part becomes one record per command.
//
// Problems in the content are data, not exceptions: the inspector's job is to show them. A
// `problem` record says where reading stopped, what was expected (worded like redis-check-aof) and
// what Redis 7.0 does with such a file under `aof-load-truncated yes` and `no`. Only unreadable
// input (no such file, a directory without a manifest, a bad manifest, a listed file missing)
// throws FileFormatError before the first record.

import type { RdbReadOptions, RdbRecord } from '../rdb/records.js';

/** BASE (the rewrite's snapshot), INCR (commands since), HISTORY (superseded; never loaded). */
export type AofFileType = 'base' | 'incr' | 'history';

/** `rdb`: the file starts with the RDB magic (a BASE .rdb or a legacy preamble); `aof`: RESP only. */
export type AofFileFormat = 'rdb' | 'aof';

/** How the input was given. */
export type AofInputKind = 'file' | 'directory' | 'manifest';

/** One file of the layout. A legacy single-file AOF is one `base` entry without a manifest. */
export interface AofFileEntry {
  /** The name as the manifest spells it (a basename), or the path as given for a single file. */
  name: string;
  /** Where it is on disk. */
  path: string;
  type: AofFileType;
  /** Manifest sequence number (null for a single file). */
  seq: number | null;
  /** Size in bytes when the pass started, or null when the file does not exist (history only). */
  size: number | null;
  /** 1-based manifest line (null for a single file). */
  line: number | null;
}

/** First record: what was found and what will be read. */
export interface AofLayoutRecord {
  kind: 'layout';
  input: AofInputKind;
  /** The path as given. */
  path: string;
  /** The manifest's path, or null for a single-file AOF. */
  manifest: string | null;
  /** Every file in manifest order, history files included (they are listed, never read). */
  files: AofFileEntry[];
  /** Sum of the sizes of the files that will be read (base + incr). */
  loadBytes: number;
}

/** A file Redis would load (base or incr) is about to be read. */
export interface AofFileRecord {
  kind: 'file';
  name: string;
  path: string;
  type: 'base' | 'incr';
  format: AofFileFormat;
  size: number;
  seq: number | null;
  /** The last file Redis loads: only there is a truncated tail tolerated. */
  last: boolean;
}

/** A record of the RDB part of a file (BASE .rdb or legacy preamble), as the RDB reader yields it. */
export interface AofRdbRecord {
  kind: 'rdb';
  file: string;
  record: RdbRecord;
}

/** The RDB part of a file ended (after its checksum); RESP, if any, starts at `offset`. */
export interface AofRdbEndRecord {
  kind: 'rdb-end';
  file: string;
  offset: number;
  /** Bytes of RESP after the RDB part (a legacy preamble file's tail; usually 0 for a BASE .rdb). */
  tailBytes: number;
}

/** One command as logged. `db` is the database it applies to (SELECT tracked; 0 at each file start, as Redis's loader client). */
export interface AofCommandRecord {
  kind: 'command';
  file: string;
  /** Offset of its `*` and its size in bytes. */
  offset: number;
  size: number;
  /** Arguments as latin1 strings (one char per byte). Arguments past `maxArgBytes` are '' (see omitted). */
  argv: string[];
  db: number;
  /** True for commands queued between MULTI and EXEC (not for MULTI/EXEC themselves). */
  inMulti: boolean;
  /** Arguments longer than `maxArgBytes`: skipped over, their text not kept. Absent when none. */
  omitted?: Array<{ index: number; length: number }>;
}

/** A MULTI ... EXEC block, yielded after its EXEC command record. */
export interface AofTransactionRecord {
  kind: 'transaction';
  file: string;
  /** Offset of the MULTI command and offset just past the EXEC command. */
  begin: number;
  end: number;
  /** Commands queued between them. */
  commands: number;
}

/** A `#` line (7.0+: `#TS:<unix seconds>` when aof-timestamp-enabled). */
export interface AofAnnotationRecord {
  kind: 'annotation';
  file: string;
  offset: number;
  /** The line without its CR LF. */
  text: string;
  /** The seconds of a `#TS:` annotation, else null. */
  timestamp: number | null;
}

/**
 * Why reading stopped early:
 * - `truncated`: the file ends inside a command (Redis's "short read");
 * - `unfinished-multi`: the file ends after a MULTI without its EXEC;
 * - `format`: bytes that are not the AOF's RESP (wrong prefix, missing CR LF, bad count, MULTI/EXEC out of place);
 * - `rdb-truncated`: the RDB part ends early; `rdb-corrupt`: the RDB part is damaged or its checksum is wrong;
 * - `strict`: redis-check-aof rejects it (no CR LF after a number or an argument, MULTI/EXEC out of
 *   pairs) but the Redis loader reads past it; reading goes on after such a problem.
 */
export type AofProblemCause = 'truncated' | 'unfinished-multi' | 'format' | 'rdb-truncated' | 'rdb-corrupt' | 'strict';

/** What redis-server 7.0 does at startup with the files as they are, under one aof-load-truncated setting. */
export interface AofLoadOutcome {
  /** Whether the server finishes loading and starts. */
  starts: boolean;
  /** The size Redis cuts this file to on disk (it does so even when it then refuses to start), or null. */
  truncatesAt: number | null;
}

export interface AofProblemRecord {
  kind: 'problem';
  file: string;
  path: string;
  cause: AofProblemCause;
  /** Where the failing read started. */
  offset: number;
  /** Offset of the command being read when it failed (or of the unfinished MULTI). */
  commandOffset: number;
  /** What was expected, worded like redis-check-aof ("Expected prefix '*', got: 'x'"). */
  message: string;
  /** Whether this is the last file Redis loads. */
  lastFile: boolean;
  /** The loader's valid_up_to: offset after the last complete command (before an unfinished MULTI at a clean EOF). */
  validUpTo: number;
  /** What `redis-check-aof` prints as ok_up_to for this file. */
  okUpTo: number;
  /** What Redis 7.0 does: with `aof-load-truncated yes` (the default) and with `no`. */
  loadTruncatedYes: AofLoadOutcome;
  loadTruncatedNo: AofLoadOutcome;
  /** One line that says it in words. */
  verdict: string;
}

/** Last record. */
export interface AofEndRecord {
  kind: 'end';
  /** No problem found. */
  ok: boolean;
  /** Files read (base + incr), commands yielded, bytes read. */
  files: number;
  commands: number;
  bytes: number;
}

export type AofRecord =
  | AofLayoutRecord
  | AofFileRecord
  | AofRdbRecord
  | AofRdbEndRecord
  | AofCommandRecord
  | AofTransactionRecord
  | AofAnnotationRecord
  | AofProblemRecord
  | AofEndRecord;

export interface AofReadOptions {
  /** Options for the RDB part (values, checksum...). `preamble` and `name` are set by the AOF reader. */
  rdb?: Omit<RdbReadOptions, 'preamble' | 'name' | 'onProgress'>;
  /** Initial read window in bytes (default 64 KiB); an argument longer than the window grows it. */
  windowBytes?: number;
  /** Arguments longer than this are skipped, not decoded (default: the longest string V8 can hold). */
  maxArgBytes?: number;
  /** Called now and then with the bytes read so far over all files and the total to read. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}
