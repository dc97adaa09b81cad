// Every RDB in the shared public corpus (../shared/rdb-corpus, files written by Redis 2.x-7.4,
// Valkey 9 and other tools) parses, or fails with the clear error its README says it must; the
// checksum verdict agrees with the README's CRC64 column; a few facts the README states about
// single files (key counts, skipped empty keys, trailing bytes, module names) hold. The corpus
// is read in place, never copied; the suite is skipped only when the folder is absent.

import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileFormatError } from '../../../src/common/errors.js';
import { readRdbFile, type EofRecord, type KeyRecord, type RdbRecord } from '../../../src/formats/rdb/index.js';

const CORPUS = join(process.cwd(), '..', 'shared', 'rdb-corpus');

interface Row {
  file: string;
  header: string;
  crc: string;
}

/** The README's file table: file, header and CRC64 columns. */
function rows(): Row[] {
  const out: Row[] = [];
  for (const line of readFileSync(join(CORPUS, 'README.md'), 'utf8').split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 10 || !/^`[^`]+\/[^`]+`$/.test(cells[1]!)) continue;
    out.push({ file: cells[1]!.slice(1, -1), header: cells[4]!.replace(/`/g, ''), crc: cells[7]!.replace(/\*/g, '') });
  }
  return out;
}

/** Files that must be refused, and what the error must say. */
const MUST_FAIL: Record<string, RegExp> = {
  'redis-7.2/corrupt_ziplist.rdb': /corrupt ziplist .* in the value of key "key:\d+" \(hash\)/,
  'hdt3213-rdb/zipmap_big_len.rdb': /corrupt zipmap header announces 255 pairs but holds 2 .* in the value of key "zimap_doesnt_compress" \(hash\)/,
  'librdb/future_v19.rdb': /unsupported RDB version "0099" \(supported: REDIS 1-12, VALKEY 80-81\) at offset 5$/,
};

function readAll(file: string): RdbRecord[] {
  return [...readRdbFile(join(CORPUS, file), { values: true, streamEntries: true, preamble: file.endsWith('.aof') })];
}

describe.runIf(existsSync(CORPUS))('public RDB corpus', () => {
  const table = existsSync(CORPUS) ? rows() : [];
  const rdbRows = table.filter((r) => r.header.startsWith('REDIS') || r.header.startsWith('VALKEY'));

  it('lists the files the README describes', () => {
    expect(rdbRows.length).toBeGreaterThanOrEqual(95);
    for (const r of rdbRows) expect(existsSync(join(CORPUS, r.file)), r.file).toBe(true);
  });

  it('parses every file, or refuses it with the expected error, with the README checksum verdict', () => {
    for (const row of rdbRows) {
      const must = MUST_FAIL[row.file];
      if (must) {
        let err: unknown = null;
        try {
          readAll(row.file);
        } catch (e) {
          err = e;
        }
        expect(err, row.file).toBeInstanceOf(FileFormatError);
        expect((err as Error).message, row.file).toMatch(must);
        expect((err as Error).message.startsWith(join(CORPUS, row.file) + ': ')).toBe(true);
        continue;
      }
      const recs = readAll(row.file);
      const head = recs[0]!;
      expect(head.kind === 'header' && `${head.magic}${String(head.version).padStart(head.magic === 'REDIS' ? 4 : 3, '0')}`, row.file).toBe(row.header);
      const eof = recs.at(-1) as EofRecord;
      expect(eof.kind, row.file).toBe('eof');
      const verdict = { match: true, mismatch: false, zero: null, 'none (v<5)': null }[row.crc];
      expect(verdict, `${row.file}: README CRC column "${row.crc}"`).not.toBeUndefined();
      expect(eof.checksum.ok, row.file).toBe(verdict);
      if (row.crc === 'zero') expect(eof.checksum.stored).toBe('0000000000000000');
      if (row.crc === 'none (v<5)') expect(eof.checksum.stored).toBeNull();
      for (const r of recs) {
        if (r.kind !== 'key') continue;
        expect(r.diskBytes, `${row.file} ${r.key}`).toBeGreaterThan(0);
        const count = r.type === 'module' ? 0 : r.type === 'string' ? 1 : r.length;
        expect(r.elements.count, `${row.file} ${r.key}`).toBe(count);
        expect(r.elements.maxLength, `${row.file} ${r.key}`).toBeLessThanOrEqual(r.elements.totalLength);
      }
    }
  });

  const keysOf = (file: string): KeyRecord[] => readAll(file).filter((r): r is KeyRecord => r.kind === 'key');
  const eofOf = (file: string): EofRecord => readAll(file).at(-1) as EofRecord;

  it('skips the empty keys of corrupt_empty_keys.rdb and counts them, as Redis does', () => {
    expect(keysOf('redis-7.2/corrupt_empty_keys.rdb')).toEqual([]);
    expect(eofOf('redis-7.2/corrupt_empty_keys.rdb').emptyKeysSkipped).toBe(9);
  });

  it('agrees with the README on single files', () => {
    expect(keysOf('librdb/100_lists.rdb').length).toBe(100);
    expect(keysOf('librdb/string_int_encoded.rdb').length).toBe(57);
    expect(keysOf('redis-rdb-tools/parser_filters.rdb').length).toBe(43);
    expect(eofOf('redis-rdb-tools/redis_40_with_module.rdb').trailingBytes).toBe(40);
    expect(eofOf('librdb/invalid_chksum_v8.rdb').checksum.ok).toBe(false);
    const module = keysOf('redis-rdb-tools/redis_40_with_module.rdb').find((k) => k.type === 'module')!;
    expect(module.value).toMatchObject({ type: 'module', moduleName: 'ReJSON-RL' });
    const aux = readAll('librdb/module_aux_empty.rdb').filter((r) => r.kind === 'module-aux');
    expect(aux.map((r) => r.kind === 'module-aux' && r.moduleName)).toContain('graphdata');
    const fn = readAll('librdb/function.rdb').find((r) => r.kind === 'function');
    expect(fn && fn.kind === 'function' && fn.engine).toBe('lua');
    const preGa = readAll('redis-rdb-cli/34.rdb').filter((r) => r.kind === 'function');
    expect(preGa.length).toBe(2);
    const slot = readAll('librdb/cluster_slot_info.rdb').find((r) => r.kind === 'slot-info');
    expect(slot).toBeDefined();
    const plain = keysOf('redis-rdb-cli/34.rdb').filter((k) => k.rdbType === 18 && k.value?.type === 'list' && k.value.nodes!.length > 0);
    expect(plain.length).toBeGreaterThan(0);
    const valkey = keysOf('hdt3213-rdb/valkey_hash2_with_hfe.rdb')[0]!;
    expect(valkey.value).toEqual({
      type: 'hash',
      fields: [['F1', 'V1'], ['F2', 'V2'], ['F3', 'V3']],
      fieldExpiresAtMs: [2715785640000, 2400425640000, null],
    });
    const preamble = eofOf('redis-7.2/rdb-preamble.aof');
    expect(Buffer.from(preamble.tail!).toString('latin1')).toMatch(/^\*2\r\n\$6\r\nSELECT/);
  });

  it('reads the per-field TTLs of 7.4 hashes as the matching AOF sets them', () => {
    for (const name of ['hash_with_hfe', 'hash_as_listpack_with_hfe']) {
      const aof = readFileSync(join(CORPUS, 'hdt3213-rdb', `${name}.aof`), 'latin1');
      const want = new Map<string, number>();
      for (const m of aof.matchAll(/HPEXPIREAT\r\n\$\d+\r\n[^\r]+\r\n\$\d+\r\n(\d+)\r\n\$6\r\nFIELDS\r\n\$1\r\n1\r\n\$\d+\r\n([^\r]+)\r\n/g)) {
        want.set(m[2]!, Number(m[1]));
      }
      const key = keysOf(`hdt3213-rdb/${name}.rdb`)[0]!;
      const v = key.value!;
      if (v.type !== 'hash') throw new Error('expected a hash');
      const got = new Map<string, number>();
      v.fields.forEach(([f], i) => {
        const t = v.fieldExpiresAtMs![i];
        if (t !== null && t !== undefined) got.set(String(f), t);
      });
      expect(got, name).toEqual(want);
      expect(want.size).toBeGreaterThan(0);
    }
  });
});
