// The AOF pass: walks the files Redis 7.0 would load, in its order (BASE, then INCR files as the
// manifest lists them; HISTORY files are listed in the layout and never read), and yields one
// stream of records. Each file is opened read-only, its size fixed at open, and read through a
// window with positional reads; a file that starts with the RDB magic has its RDB part handed to
// the RDB reader and its RESP tail read from the offset after the RDB checksum. Like the loader,
// each file starts in database 0. The pass stops at the first problem that stops Redis.

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { resolveLayout } from './layout.js';
import { readRdbPart } from './preamble.js';
import type { AofFileFormat, AofReadOptions, AofRecord } from './records.js';
import { readRespLog } from './resp-log.js';
import { DEFAULT_WINDOW, FileWindow } from './window.js';

/** The longest string V8 can make; a longer argument cannot be decoded anyway. */
const V8_MAX_STRING = 0x1fffffe8;
/** Magics that mark a file starting with an RDB part (Redis's loader checks "REDIS"). */
const RDB_MAGICS = ['REDIS', 'VALKEY'];

function formatOf(fd: number, size: number): AofFileFormat {
  const head = Buffer.alloc(6);
  const n = readSync(fd, head, 0, Math.min(head.length, size), 0);
  const text = head.toString('latin1', 0, n);
  return RDB_MAGICS.some((m) => text.startsWith(m)) ? 'rdb' : 'aof';
}

/**
 * Reads an AOF: a single file, an appendonlydir, or a manifest. Throws FileFormatError (before the
 * first record) when the input cannot be read as an AOF at all; damage inside files is reported as
 * a `problem` record. Never writes to the input.
 */
export function* readAof(path: string, opts: AofReadOptions = {}): Generator<AofRecord> {
  const layout = resolveLayout(path);
  const toLoad = layout.files.filter((f) => f.type !== 'history');
  const loadBytes = toLoad.reduce((sum, f) => sum + (f.size ?? 0), 0);
  yield { kind: 'layout', input: layout.input, path: layout.path, manifest: layout.manifest, files: layout.files, loadBytes };

  let commands = 0;
  let bytesBefore = 0;
  let files = 0;
  let ok = true;
  const progress = opts.onProgress;
  for (let i = 0; i < toLoad.length; i++) {
    const entry = toLoad[i]!;
    const last = i === toLoad.length - 1;
    const fd = openSync(entry.path, 'r');
    let stopped = false;
    let size = 0;
    try {
      size = fstatSync(fd).size;
      const format = formatOf(fd, size);
      files++;
      yield { kind: 'file', name: entry.name, path: entry.path, type: entry.type as 'base' | 'incr', format, size, seq: entry.seq, last };
      const file = { name: entry.name, path: entry.path, last };
      let from = 0;
      if (format === 'rdb') {
        const part = yield* readRdbPart(fd, size, file, opts.rdb ?? {}, progress && ((n) => progress(bytesBefore + n, loadBytes)));
        if (part.end === null) {
          ok = false;
          stopped = true;
        } else {
          from = part.end;
          yield { kind: 'rdb-end', file: entry.name, offset: from, tailBytes: size - from };
        }
      }
      if (!stopped) {
        const win = new FileWindow(fd, size, opts.windowBytes ?? DEFAULT_WINDOW);
        const res = yield* readRespLog(win, from, {
          ...file,
          maxArgBytes: opts.maxArgBytes ?? V8_MAX_STRING,
          onProgress: progress && ((offset) => progress(bytesBefore + offset, loadBytes)),
        });
        commands += res.commands;
        if (res.flagged || res.stopped) ok = false;
        stopped = res.stopped;
      }
    } finally {
      closeSync(fd);
    }
    bytesBefore += size;
    progress?.(bytesBefore, loadBytes);
    if (stopped) break;
  }
  yield { kind: 'end', ok, files, commands, bytes: bytesBefore };
}
