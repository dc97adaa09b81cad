// `redscope memory`: where a target's memory goes and whether it is fragmented. One Snapshot per
// target (INFO memory, MEMORY STATS, the defrag config) read by the fragmentation report, plus the
// memory-area findings, as text or --json.

import type { Command } from 'commander';
import { createElement } from 'react';
import { analyzeSnapshot, fragmentationReport } from '../../analyze/index.js';
import { UserError } from '../../common/errors.js';
import type { MemoryResult } from '../render/memory-view.js';
import { notRead } from '../render/not-read.js';
import { addReportOptions, addTargetOptions, collectorFor, emitResults, forEachTarget, parseFailOn, resolveTargets, type TargetFlags } from '../target-options.js';

interface MemoryOptions extends TargetFlags {
  json?: boolean;
  failOn?: string;
}

export function registerMemory(program: Command): void {
  const cmd = program.command('memory').description('memory and fragmentation: used/rss/peak, verdict, allocator, breakdown, bytes per key');
  addTargetOptions(cmd);
  addReportOptions(cmd);
  cmd.action(async (opts: MemoryOptions) => {
    const failOn = parseFailOn(opts.failOn);
    const set = await resolveTargets(opts);
    const per = await forEachTarget(set, async (link, t): Promise<MemoryResult> => {
      const snap = await collectorFor(link, t).collect();
      if (Object.keys(snap.info.fields).length === 0) throw new UserError(`${t.spec.name}: INFO could not be read (${snap.problems.join('; ') || 'empty reply'})`);
      return {
        target: t.spec.name,
        ...fragmentationReport(snap),
        findings: analyzeSnapshot({ snapshot: snap }).filter((f) => f.area === 'memory'),
        notRead: notRead(snap),
      };
    });
    await emitResults(per, { json: opts.json, failOn }, async (results) => createElement((await import('../render/memory-view.js')).MemoryView, { results }));
  });
}
