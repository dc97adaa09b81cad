// The text face of a DatasetReport (`redscope rdb FILE`): what an operator reads top to bottom —
// the file and its verdict, per database counts and memory, the biggest keys, where the memory
// sits by prefix, how TTLs and element sizes are spread. Keys are escaped for the terminal.

import type { BigKeyJson, DatasetReportResult } from '../../report/dataset-report.js';
import { keyForTerminal } from '../../report/key-text.js';
import { TTL_BUCKETS } from '../../report/ttl-histogram.js';
import { bytes, heading, num, renderTable } from './table.js';

export interface TextContext {
  file: string;
  fileBytes: number | null;
  seconds: number;
  filtered: boolean;
}

function checksumVerdict(r: DatasetReportResult): string {
  const c = r.checksum;
  if (!r.complete) return 'checksum not reached';
  if (!c || c.ok === null) return c?.stored === '0000000000000000' ? 'no checksum (rdbchecksum no)' : c?.stored ? 'checksum not verified' : 'no checksum (RDB < 5)';
  return c.ok ? `checksum OK (crc64 ${c.stored})` : `CHECKSUM MISMATCH (stored ${c.stored}, computed ${c.computed})`;
}

function ttlText(expireAtMs: number | null, nowMs: number): string {
  if (expireAtMs === null) return '-';
  const left = (expireAtMs - nowMs) / 1000;
  if (left <= 0) return 'expired';
  if (left < 120) return `${Math.round(left)}s`;
  if (left < 7200) return `${Math.round(left / 60)}m`;
  if (left < 172800) return `${Math.round(left / 3600)}h`;
  return `${Math.round(left / 86400)}d`;
}

/** Shown keys stay on one line: long ones are cut in the middle. */
function shortKey(k: BigKeyJson): string {
  const text = k.keyEscaped ? k.key : keyForTerminal(Buffer.from(k.key, 'utf8').toString('latin1'));
  return text.length > 60 ? `${text.slice(0, 40)}...${text.slice(-17)}` : text;
}

function bigKeyTable(keys: BigKeyJson[], nowMs: number): string {
  return renderTable(
    [{ header: 'db', align: 'right' }, { header: 'key' }, { header: 'type' }, { header: 'encoding' }, { header: 'length', align: 'right' }, { header: 'memory', align: 'right' }, { header: 'ttl', align: 'right' }],
    keys.map((k) => [String(k.db), shortKey(k), k.type, k.encoding, num(k.length), bytes(k.memoryBytes), ttlText(k.expireAtMs, nowMs)]),
  );
}

function counts(m: Record<string, number | undefined>): string {
  return Object.entries(m)
    .map(([k, v]) => `${k} ${num(v ?? 0)}`)
    .join(', ');
}

export function renderDatasetText(r: DatasetReportResult, ctx: TextContext): string {
  let out = '';
  const size = ctx.fileBytes !== null ? `, ${bytes(ctx.fileBytes)}` : '';
  out += `${ctx.file}: ${r.magic ?? 'REDIS'} RDB version ${r.rdbVersion ?? '?'}${size}, ${checksumVerdict(r)}\n`;
  const aux = Object.entries(r.aux).map(([k, v]) => {
    if (k === 'ctime' && /^\d+$/.test(v)) return `${k} ${new Date(Number(v) * 1000).toISOString().replace('.000Z', 'Z')}`;
    if (k === 'used-mem' && /^\d+$/.test(v)) return `${k} ${bytes(Number(v))}`;
    return `${k} ${v}`;
  });
  if (aux.length) out += `  ${aux.join('  ')}\n`;
  if (r.modules.length) out += `  modules: ${r.modules.map((m) => `${m.moduleName} (${num(m.keys)} keys)`).join(', ')}\n`;
  if (r.functions.length) out += `  functions: ${r.functions.map((f) => f.library ?? '?').join(', ')}\n`;
  if (r.emptyKeysSkipped) out += `  ${num(r.emptyKeysSkipped)} empty collections in the file (Redis skips them on load)\n`;
  if (r.trailingBytes) out += `  ${num(r.trailingBytes)} bytes after the checksum (ignored)\n`;

  const t = r.totals;
  out += heading(`Databases${ctx.filtered ? ` (filtered: ${num(t.filteredOut)} keys left out)` : ''}`);
  if (r.databases.length === 0) out += '  (no keys)\n';
  else {
    const rows = r.databases.map((d) => [String(d.db), num(d.keys), num(d.expires), num(d.expired), bytes(d.memoryBytes), bytes(d.diskBytes)]);
    if (r.databases.length > 1) rows.push(['all', num(t.keys), num(t.expires), num(t.expired), bytes(t.memoryBytes), bytes(t.diskBytes)]);
    out += renderTable(
      [{ header: 'db' }, { header: 'keys', align: 'right' }, { header: 'expires', align: 'right' }, { header: 'expired', align: 'right' }, { header: 'memory', align: 'right' }, { header: 'on disk', align: 'right' }],
      rows,
    );
    for (const d of r.databases) {
      out += `  db${d.db} types: ${counts(d.types)}\n`;
      out += `  db${d.db} encodings: ${counts(d.encodings)}\n`;
    }
    out += `  Sum of MEMORY USAGE: ${bytes(t.memoryBytes)}; projected used_memory_dataset ${bytes(t.datasetBytes)}, used_memory ${bytes(t.usedMemoryBytes)} (model ${r.memoryModel})\n`;
  }

  if (r.bigKeys.length) {
    out += heading(`Biggest keys by memory (top ${r.bigKeys.length})`) + bigKeyTable(r.bigKeys, r.nowMs);
    out += heading(`Biggest keys by length (top ${r.bigKeysByLength.length})`) + bigKeyTable(r.bigKeysByLength, r.nowMs);
    const perType = Object.entries(r.bigKeysByType);
    if (perType.length > 1) {
      out += heading('Biggest per type');
      for (const [type, l] of perType) {
        const top = l!.byMemory.slice(0, 3).map((k) => `${shortKey(k)} ${bytes(k.memoryBytes)}`);
        const longest = l!.byLength[0];
        out += `  ${type.padEnd(7)} by memory: ${top.join(', ')}${longest ? `; longest: ${shortKey(longest)} (${num(longest.length)})` : ''}\n`;
      }
    }
  }

  if (r.prefixes.length || r.prefixTree.unprefixed.keys) {
    out += heading(`Key prefixes (separator "${r.prefixTree.separator}", depth ${r.prefixTree.depth}${r.prefixTree.approximate ? ', rare prefixes folded: counts approximate' : ''})`);
    const rows = r.prefixes.map((p) => [
      '  '.repeat(p.depth - 1) + (p.other ? '(other)' : p.keyEscaped ? p.prefix : keyForTerminal(Buffer.from(p.prefix, 'utf8').toString('latin1'))),
      num(p.keys),
      bytes(p.memoryBytes),
      t.memoryBytes ? `${((100 * p.memoryBytes) / t.memoryBytes).toFixed(1)}%` : '-',
      num(p.noTtlKeys),
    ]);
    const u = r.prefixTree.unprefixed;
    if (u.keys) rows.push(['(no separator)', num(u.keys), bytes(u.memoryBytes), t.memoryBytes ? `${((100 * u.memoryBytes) / t.memoryBytes).toFixed(1)}%` : '-', num(u.noTtlKeys)]);
    out += renderTable([{ header: 'prefix' }, { header: 'keys', align: 'right' }, { header: 'memory', align: 'right' }, { header: 'share', align: 'right' }, { header: 'no TTL', align: 'right' }], rows);
  }

  if (t.keys) {
    out += heading(`TTL (as of ${new Date(r.nowMs).toISOString()})`);
    const rows = [['no TTL', num(r.ttl.none.keys), bytes(r.ttl.none.memoryBytes)]];
    for (const b of TTL_BUCKETS) rows.push([b.label, num(r.ttl[b.bucket].keys), bytes(r.ttl[b.bucket].memoryBytes)]);
    out += renderTable([{ header: 'expires' }, { header: 'keys', align: 'right' }, { header: 'memory', align: 'right' }], rows);

    out += heading(`Element sizes${r.elementSizesExact ? '' : ' (element bytes from averages)'}`);
    for (const [type, s] of Object.entries(r.elementSizes)) {
      const lengths = s!.lengths.map((b) => `<=${num(b.le)}: ${num(b.count)}`).join('  ');
      out += `  ${type.padEnd(7)} ${type === 'string' ? 'bytes' : 'elements'} per key  ${lengths}\n`;
      if (s!.elementBytes.length) out += `  ${''.padEnd(7)} bytes per element  ${s!.elementBytes.map((b) => `<=${num(b.le)}: ${num(b.count)}`).join('  ')}\n`;
    }
  }
  out += `\n${num(t.keys)} keys read in ${ctx.seconds.toFixed(2)}s\n`;
  return out;
}
