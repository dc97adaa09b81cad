// `redscope check --budget FILE`: the CI capacity gate. Reads RDB/AOF files (projected with the
// memory model to what Redis 7.0 would use once they are loaded) or live targets (one Snapshot and
// a SCAN sample), judges them against the budget, and prints the verdict as text, JSON, JUnit XML,
// GitHub annotations or Markdown. Exit 0 when every check passes, 1 when one fails (0 with
// --warn-only), 2 when the budget, an input or a target is unusable.

import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { UserError, describeError } from '../../common/errors.js';
import { globMatch } from '../../engine/glob.js';
import { readAof } from '../../formats/aof/index.js';
import { readRdbFile } from '../../formats/rdb/index.js';
import { RENDERERS, aofFacts, combine, evaluate, fileFacts, liveFacts, loadBudget, needsKeySample, type CheckFormat, type InputVerdict } from '../../check/index.js';
import { addTargetOptions, forEachTarget, resolveTargets, type TargetFlags } from '../target-options.js';

interface CheckOptions extends TargetFlags {
  budget: string;
  rdb?: string[];
  aof?: string[];
  format: string;
  output?: string;
  warnOnly?: boolean;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** Any failure reading an input is the input's fault: exit 2 with the input named. */
function inputError(name: string, err: unknown): UserError {
  if (err instanceof UserError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new UserError(`${name}: no such file`);
  if (code === 'EISDIR') return new UserError(`${name}: is a directory`);
  const msg = describeError(err);
  return new UserError(msg.startsWith(name) ? msg : `${name}: ${msg}`);
}

export function registerCheck(program: Command): void {
  const cmd = program
    .command('check')
    .description('CI capacity check: judge RDB/AOF files (projected for Redis 7.0) or live targets against a budget file; exit 1 when a check fails')
    .requiredOption('--budget <file>', 'budget file, JSON or YAML (memory, keys, prefixes, fragmentation, latency, config)')
    .option('--rdb <file...>', 'RDB file(s) to check, each as one instance')
    .option('--aof <path>', 'AOF (file, appendonlydir or manifest) to check: RDB part projected by the model, logged commands replayed into the bundled engine (repeatable)', collect)
    .option('--format <format>', `output format: ${Object.keys(RENDERERS).join(', ')}`, 'text')
    .option('--output <file>', 'write the report to this file (the text report still goes to stdout)')
    .option('--warn-only', 'report failed checks but exit 0');
  addTargetOptions(cmd).action(async (opts: CheckOptions) => {
    if (!(opts.format in RENDERERS)) throw new UserError(`--format must be one of ${Object.keys(RENDERERS).join(', ')}, got '${opts.format}'`);
    const format = opts.format as CheckFormat;
    const budget = loadBudget(opts.budget);
    const live = (opts.url?.length ?? 0) > 0 || opts.targets !== undefined;
    if (!live && !opts.rdb?.length && !opts.aof?.length) throw new UserError('check needs an input: --rdb FILE, --aof PATH or --url URL');

    const verdicts: InputVerdict[] = [];
    for (const file of opts.rdb ?? []) {
      try {
        verdicts.push(evaluate(fileFacts(file, 'rdb', readRdbFile(file, { values: true, verifyChecksum: true }), budget, globMatch), budget));
      } catch (err) {
        throw inputError(file, err);
      }
    }
    for (const path of opts.aof ?? []) {
      try {
        verdicts.push(evaluate(await aofFacts(path, readAof(path), budget, globMatch), budget));
      } catch (err) {
        throw inputError(path, err);
      }
    }
    if (live) {
      const set = await resolveTargets(opts);
      const per = await forEachTarget(set, (link, t) =>
        liveFacts(link, budget, globMatch, { name: t.spec.name, bundled: t.bundled, sampleKeys: needsKeySample(budget) }).catch((err: unknown) => {
          throw inputError(t.spec.name, err);
        }),
      );
      for (const p of per) {
        if (!p.ok) throw new UserError(`${p.target.spec.name}: ${p.error}`);
        verdicts.push(evaluate(p.value, budget));
      }
    }

    const report = combine(verdicts, budget);
    const rendered = RENDERERS[format](report, { warnOnly: opts.warnOnly });
    if (opts.output) {
      try {
        writeFileSync(opts.output, rendered);
      } catch (err) {
        throw new UserError(`cannot write --output ${opts.output}: ${(err as NodeJS.ErrnoException).code ?? describeError(err)}`);
      }
      process.stdout.write(RENDERERS.text(report, {}));
    } else process.stdout.write(rendered);
    if (!report.ok && !opts.warnOnly) process.exitCode = 1;
  });
}
