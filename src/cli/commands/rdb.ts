// `redscope rdb FILE`: what is in a dump.rdb, what it would cost in memory once loaded, which keys
// and prefixes are big, what has no TTL, and whether the file is sound (checksum). One streaming
// pass (formats/rdb reader -> report/DatasetReport); per-key outputs (--ndjson, --csv) are written
// as the keys go by, so nothing grows with the file. The CSV keeps redis-rdb-tools' memory-report
// columns so existing spreadsheets keep working.

import type { Command } from 'commander';
import { statSync } from 'node:fs';
import { UserError } from '../../common/errors.js';
import { globMatch } from '../../engine/glob.js';
import { openRdbFile, type RdbFileReader, type RdbValueType } from '../../formats/rdb/index.js';
import { bigKeyJson, createDatasetReport, type DatasetFilter, type KeyRow } from '../../report/dataset-report.js';
import { keyText } from '../../report/key-text.js';
import { renderDatasetText } from '../output/dataset-text.js';
import { createProgress, progressWanted } from '../progress.js';
import { OutputBuffer, parseCount, parseTime } from '../output/stdout.js';

interface RdbOptions {
  json?: boolean;
  ndjson?: boolean;
  csv?: boolean;
  db?: string[];
  type?: string[];
  match?: string;
  minBytes?: string;
  top: string;
  sep: string;
  depth: string;
  now?: string;
  values: boolean;
  checksum: boolean;
  progress: boolean;
}

/** --type names: Redis's TYPE names, plus redis-rdb-tools' `sortedset`. */
const TYPE_NAMES: Record<string, RdbValueType> = {
  string: 'string',
  list: 'list',
  set: 'set',
  zset: 'zset',
  sortedset: 'zset',
  hash: 'hash',
  stream: 'stream',
  module: 'module',
};

/** The type column as redis-rdb-tools writes it. */
const CSV_TYPE: Record<RdbValueType, string> = { string: 'string', list: 'list', set: 'set', zset: 'sortedset', hash: 'hash', stream: 'stream', module: 'module' };

export const CSV_HEADER = 'database,type,key,size_in_bytes,encoding,num_elements,len_largest_element,expiry';

const collect = (v: string, prev: string[] = []) => [...prev, ...v.split(',').filter((s) => s !== '')];

/** redis-rdb-tools' expiry: Python's naive-UTC isoformat (microseconds only when non-zero). */
export function rdbToolsExpiry(ms: number | null): string {
  if (ms === null) return '';
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return '';
  const iso = d.toISOString(); // 2024-01-02T03:04:05.678Z
  const base = iso.slice(0, 19);
  const millis = d.getUTCMilliseconds();
  return millis ? `${base}.${String(millis).padStart(3, '0')}000` : base;
}

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(row: KeyRow): string {
  const k = keyText(row.key);
  const isString = row.type === 'string';
  return [
    row.db,
    CSV_TYPE[row.type],
    csvField(k.text),
    row.memoryBytes,
    row.encoding,
    isString ? row.length : row.elements.count,
    isString ? row.length : row.elements.maxLength,
    rdbToolsExpiry(row.expireAtMs),
  ].join(',');
}

export function ndjsonLine(row: KeyRow): string {
  return JSON.stringify(bigKeyJson(row));
}

function buildFilter(opts: RdbOptions): { filter: DatasetFilter; filtered: boolean } {
  const filter: DatasetFilter = {};
  if (opts.db?.length) {
    filter.dbs = opts.db.map((d) => {
      const n = Number(d);
      if (!Number.isInteger(n) || n < 0) throw new UserError(`--db must be a database number, got '${d}'`);
      return n;
    });
  }
  if (opts.type?.length) {
    filter.types = opts.type.map((t) => {
      const ty = TYPE_NAMES[t.toLowerCase()];
      if (!ty) throw new UserError(`--type must be one of ${Object.keys(TYPE_NAMES).join(', ')}, got '${t}'`);
      return ty;
    });
  }
  if (opts.match !== undefined) {
    // The pattern is matched against the key's bytes, as Redis's KEYS/SCAN MATCH do.
    const pattern = Buffer.from(opts.match, 'utf8').toString('latin1');
    filter.match = (key) => globMatch(pattern, key);
  }
  if (opts.minBytes !== undefined) filter.minBytes = parseCount(opts.minBytes, '--min-bytes', true);
  return { filter, filtered: Object.keys(filter).length > 0 };
}

export function registerRdb(program: Command): void {
  program
    .command('rdb')
    .description('inspect an RDB file: keys, types, encodings, memory per key and database, big keys, prefixes, TTLs, checksum')
    .argument('<file>', 'the RDB file (dump.rdb)')
    .option('--json', 'one JSON document')
    .option('--ndjson', 'one JSON line per key: db, key, type, encoding, length, memoryBytes, expireAtMs')
    .option('--csv', 'one CSV line per key, redis-rdb-tools memory report columns')
    .option('--db <n>', 'only this database (repeatable, or a comma list)', collect)
    .option('--type <type>', 'only this type: string, list, set, zset, hash, stream, module (repeatable)', collect)
    .option('--match <glob>', 'only keys matching this glob (Redis KEYS syntax)')
    .option('--min-bytes <n>', 'only keys whose MEMORY USAGE is at least n bytes (k, m, g suffixes)')
    .option('--top <n>', 'how many biggest keys, and prefixes per level, to list', '10')
    .option('--sep <s>', 'key prefix separator', ':')
    .option('--depth <n>', 'key prefix depth', '2')
    .option('--now <time>', 'the time TTLs are measured from (unix ms or ISO date; default: now)')
    .option('--no-values', 'do not decode values: faster, memory from element averages')
    .option('--no-checksum', 'do not verify the CRC64 checksum')
    .option('--no-progress', 'no progress line on the terminal')
    .action((file: string, opts: RdbOptions) => {
      const modes = [opts.json, opts.ndjson, opts.csv].filter(Boolean).length;
      if (modes > 1) throw new UserError('choose one of --json, --ndjson, --csv');
      const top = parseCount(opts.top, '--top');
      const depth = parseCount(opts.depth, '--depth');
      if (depth < 1 || depth > 32) throw new UserError(`--depth must be from 1 to 32, got '${opts.depth}'`);
      if (opts.sep === '') throw new UserError('--sep must not be empty');
      const nowMs = opts.now !== undefined ? parseTime(opts.now, '--now') : Date.now();
      const { filter, filtered } = buildFilter(opts);

      let size: number;
      try {
        const st = statSync(file);
        if (st.isDirectory()) throw new UserError(`${file}: is a directory, not an RDB file`);
        size = st.size;
      } catch (err) {
        if (err instanceof UserError) throw err;
        const code = (err as NodeJS.ErrnoException).code;
        throw new UserError(code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot read (${code ?? String(err)})`);
      }

      const report = createDatasetReport({ nowMs, top, separator: opts.sep, depth, filter });
      const machine = modes > 0;
      const progress = createProgress({ total: size, enabled: opts.progress && progressWanted(machine), unit: 'keys' });
      const out = new OutputBuffer();
      if (opts.csv) out.line(CSV_HEADER);
      const started = process.hrtime.bigint();
      let keys = 0;
      let lastBytes = 0;
      let records: RdbFileReader | null = null;
      try {
        // With values the report needs element sizes, not elements: a sizes pass (no string per element).
        records = openRdbFile(file, {
          ...(opts.values ? report.sizesReadOptions : { values: false }),
          verifyChecksum: opts.checksum,
          onProgress: (b) => {
            lastBytes = b;
            progress.update(b, keys);
          },
        });
        const perKey = opts.ndjson || opts.csv;
        for (let rec = records.next(); rec !== null; rec = records.next()) {
          if (rec.kind === 'key') keys++;
          if (!perKey) {
            report.addRecord(rec);
            continue;
          }
          const row = report.add(rec);
          if (row === null) continue;
          if (opts.ndjson) out.line(ndjsonLine(row));
          else out.line(csvLine(row));
        }
      } finally {
        records?.close();
        progress.done();
        out.flush();
      }
      void lastBytes;
      const result = report.finish();
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (opts.json) out.line(JSON.stringify({ file, fileBytes: size, ...result }, null, 2));
      else if (!machine) out.text(renderDatasetText(result, { file, fileBytes: size, seconds, filtered }));
      out.flush();
    });
}
