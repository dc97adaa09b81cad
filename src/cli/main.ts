// The redscope program: builds the commander tree from one file per command under commands/,
// and turns every failure into one line on stderr with the documented exit code.

import { Command, CommanderError } from 'commander';
import { createRequire } from 'node:module';
import { UserError, describeError } from '../common/errors.js';
import { registerServer } from './commands/server.js';
import { registerPing } from './commands/ping.js';
import { registerDashboard } from './commands/dashboard.js';
import { registerInfo } from './commands/info.js';
import { registerSlowlog } from './commands/slowlog.js';
import { registerMemory } from './commands/memory.js';
import { registerLatency } from './commands/latency.js';
import { registerKeys } from './commands/keys.js';
import { registerRdb } from './commands/rdb.js';
import { registerAof } from './commands/aof.js';
import { registerExporter } from './commands/exporter.js';
import { registerCheck } from './commands/check.js';

const require = createRequire(import.meta.url);
const pkg = require('../../package.json') as { version: string; description: string };

export function buildProgram(): Command {
  const program = new Command('redscope')
    .description(pkg.description)
    .version(pkg.version, '-V, --version')
    .showHelpAfterError('(run redscope --help for usage)')
    .configureOutput({ outputError: (str, write) => write(str) });
  registerServer(program);
  registerPing(program);
  registerDashboard(program);
  registerInfo(program);
  registerSlowlog(program);
  registerMemory(program);
  registerLatency(program);
  registerKeys(program);
  registerRdb(program);
  registerAof(program);
  registerExporter(program);
  registerCheck(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  program.exitOverride();
  if (argv.length <= 2) {
    // No command: in a terminal, the live dashboard; elsewhere, what redscope can do.
    if (process.stdout.isTTY) argv = [...argv, 'dashboard'];
    else {
      program.outputHelp();
      process.stdout.write('\nIn a terminal, `redscope` alone opens the live dashboard; `redscope dashboard --once` prints it as text.\n');
      return;
    }
  }
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version exit 0; usage errors were already printed by commander
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    if (err instanceof UserError) {
      process.stderr.write(`redscope: ${err.message}\n`);
      process.exitCode = err.exitCode;
      return;
    }
    process.stderr.write(`redscope: ${describeError(err)}\n`);
    process.exitCode = 2;
  }
}
