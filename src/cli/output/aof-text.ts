// The text face of an AofReport (`redscope aof PATH`): the layout first (what Redis would load,
// in which order), then what the log replays, then the verdict an operator needs before a
// restart: the first problem and what Redis 7.0 does with it under aof-load-truncated yes|no.

import type { AofReportResult } from '../../report/aof-report.js';
import { bytes, heading, num, renderTable } from './table.js';

export function renderAofText(r: AofReportResult, seconds: number): string {
  let out = '';
  out += `${r.path}: ${r.input === 'file' ? 'single-file AOF' : `multi-part AOF (manifest ${r.manifest})`}, ${bytes(r.loadBytes)} to load\n`;
  out += heading('Files');
  out += renderTable(
    [{ header: 'file' }, { header: 'type' }, { header: 'seq', align: 'right' }, { header: 'size', align: 'right' }, { header: 'format' }, { header: 'commands', align: 'right' }],
    r.files.map((f) => [
      f.name,
      f.type + (f.loaded ? '' : ' (not loaded)'),
      f.seq === null ? '-' : String(f.seq),
      f.size === null ? 'missing' : bytes(f.size),
      f.format === null ? (f.loaded ? 'not read' : '-') : f.format === 'rdb' ? `rdb${f.respBytes ? ` + ${bytes(f.respBytes)} RESP (preamble)` : ''}` : 'resp',
      f.read ? num(f.commands) : '-',
    ]),
  );
  if (r.rdb) {
    const cs = r.rdb.checksum;
    out += `  RDB part: version ${r.rdb.rdbVersion ?? '?'}, ${num(r.rdb.totals.keys)} keys in ${r.rdb.databases.length} database(s)` + (cs ? `, checksum ${cs.ok === null ? 'not checked' : cs.ok ? 'OK' : 'MISMATCH'}` : '') + '\n';
  }

  out += heading(`Commands (${num(r.totalCommands)})`);
  const cmds = Object.entries(r.commands);
  if (cmds.length === 0) out += '  (none)\n';
  else out += renderTable([{ header: 'command' }, { header: 'count', align: 'right' }, { header: 'share', align: 'right' }], cmds.slice(0, 30).map(([c, n]) => [c, num(n), `${((100 * n) / r.totalCommands).toFixed(1)}%`]));
  if (cmds.length > 30) out += `  ... and ${cmds.length - 30} more command names\n`;

  if (r.keysTouched.length) {
    out += heading('Keys touched per database');
    out += renderTable(
      [{ header: 'db', align: 'right' }, { header: 'commands', align: 'right' }, { header: 'distinct keys', align: 'right' }],
      r.keysTouched.map((d) => [String(d.db), num(d.commands), (d.approximate ? '~' : '') + num(d.keys)]),
    );
  }
  const t = r.transactions;
  out += heading('MULTI/EXEC');
  out += t.count ? `  ${num(t.count)} blocks, ${num(t.commands)} commands inside; largest: ${num(t.largest!.commands)} commands in ${t.largest!.file} at offset ${t.largest!.begin}\n` : '  none\n';
  if (r.annotations.count) {
    const ts = (s: number | null) => (s === null ? '?' : new Date(s * 1000).toISOString());
    out += `  ${num(r.annotations.count)} annotations` + (r.annotations.firstTimestamp !== null ? `, timestamps ${ts(r.annotations.firstTimestamp)} .. ${ts(r.annotations.lastTimestamp)}` : '') + '\n';
  }

  out += heading('Verdict');
  if (!r.problem) out += `  OK: every file reads to its end; Redis 7.0 loads it as is\n`;
  else {
    const p = r.problem;
    out += `  ${p.file}: ${p.message} at offset ${p.offset} (command at ${p.commandOffset}; valid up to ${p.validUpTo}, redis-check-aof ok_up_to=${p.okUpTo})\n`;
    out += `  ${p.verdict}\n`;
  }
  out += `\n${num(r.totalCommands)} commands read in ${seconds.toFixed(2)}s\n`;
  return out;
}
