// The redscope program: builds the commander tree from one file per command under commands/,
// and turns every failure into one line on stderr with the documented exit code.

import { Command, CommanderError } from 'commander';
import { createRequire } from 'node:module';
import { UserError, describeError } from '../common/errors.js';
import { registerServer } from './commands/server.js';
import { registerPing } from './commands/ping.js';

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
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  program.exitOverride();
  if (argv.length <= 2) {
    // No command: show what redscope can do (the dashboard takes this place once it exists).
    program.outputHelp();
    return;
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
