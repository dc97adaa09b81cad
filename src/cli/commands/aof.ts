// `redscope aof PATH`: look inside an append-only log (one file, an appendonlydir or its
// manifest) before trusting a restart to it: layout, command histogram, keys touched per
// database, MULTI/EXEC blocks, and the first problem with what Redis 7.0 would do about it under
// aof-load-truncated yes|no. Read-only: the input is never modified.

import type { Command } from 'commander';
import { readAof } from '../../formats/aof/index.js';
import { createAofReport } from '../../report/aof-report.js';
import { renderAofText } from '../output/aof-text.js';
import { OutputBuffer, parseTime } from '../output/stdout.js';
import { createProgress, progressWanted, type Progress } from '../progress.js';

interface AofOptions {
  json?: boolean;
  now?: string;
  checksum: boolean;
  progress: boolean;
}

export function registerAof(program: Command): void {
  program
    .command('aof')
    .description('inspect an AOF (a file, an appendonlydir or its manifest): layout, commands, keys, MULTI/EXEC, first problem and what Redis would do')
    .argument('<path>', 'appendonly.aof, an appendonlydir, or its .manifest')
    .option('--json', 'one JSON document')
    .option('--now <time>', 'the time TTLs in the RDB part are measured from (unix ms or ISO date)')
    .option('--no-checksum', 'do not verify the RDB part checksum')
    .option('--no-progress', 'no progress line on the terminal')
    .action((path: string, opts: AofOptions) => {
      const nowMs = opts.now !== undefined ? parseTime(opts.now, '--now') : Date.now();
      const report = createAofReport({ nowMs });
      const enabled = opts.progress && progressWanted(!!opts.json);
      // The total is known once the reader has resolved the layout (first progress call).
      let progress: Progress | null = null;
      const started = process.hrtime.bigint();
      let commands = 0;
      try {
        const onProgress = (bytesRead: number, totalBytes: number) => {
          progress ??= createProgress({ total: totalBytes, enabled, unit: 'commands' });
          progress.update(bytesRead, commands);
        };
        for (const rec of readAof(path, { rdb: { verifyChecksum: opts.checksum }, onProgress })) {
          if (rec.kind === 'command') commands++;
          report.add(rec);
        }
      } finally {
        (progress as Progress | null)?.done();
      }
      const result = report.finish();
      const out = new OutputBuffer();
      if (opts.json) out.line(JSON.stringify(result, null, 2));
      else out.text(renderAofText(result, Number(process.hrtime.bigint() - started) / 1e9));
      out.flush();
    });
}
