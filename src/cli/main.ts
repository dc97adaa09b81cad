// The redscope program: builds the commander tree from one file per command under commands/,
// and turns every failure into one line on stderr with the documented exit code.

import { Command, CommanderError } from 'commander';
import { createRequire } from 'node:module';
import { UserError, describeError } from '../common/errors.js';
const require = createRequire(import.meta.url);
const pkg = require('../../package.json') as { version: string; description: string };

type Register = (program: Command) => void;

/**
 * One row per command: its name and how to load its module. Only the command being run is
 * loaded (the others pull in the engine, ink, prom-client, blessed...), so `redscope ping` does
 * not pay for the dashboard; help loads them all to list them.
 */
const COMMANDS: Array<[string, () => Promise<Register>]> = [
  ['server', async () => (await import('./commands/server.js')).registerServer],
  ['ping', async () => (await import('./commands/ping.js')).registerPing],
  ['dashboard', async () => (await import('./commands/dashboard.js')).registerDashboard],
  ['info', async () => (await import('./commands/info.js')).registerInfo],
  ['slowlog', async () => (await import('./commands/slowlog.js')).registerSlowlog],
  ['memory', async () => (await import('./commands/memory.js')).registerMemory],
  ['latency', async () => (await import('./commands/latency.js')).registerLatency],
  ['keys', async () => (await import('./commands/keys.js')).registerKeys],
  ['rdb', async () => (await import('./commands/rdb.js')).registerRdb],
  ['aof', async () => (await import('./commands/aof.js')).registerAof],
  ['exporter', async () => (await import('./commands/exporter.js')).registerExporter],
  ['check', async () => (await import('./commands/check.js')).registerCheck],
];

/** The program with the commands `argv` may need: the named one, none for --version, else all. */
export async function buildProgram(argv: string[] = []): Promise<Command> {
  const program = new Command('redscope')
    .description(pkg.description)
    .version(pkg.version, '-V, --version')
    .showHelpAfterError('(run redscope --help for usage)')
    .configureOutput({ outputError: (str, write) => write(str) });
  const first = argv[2];
  const named = COMMANDS.find(([name]) => name === first);
  const wanted = named ? [named] : first === '-V' || first === '--version' ? [] : COMMANDS;
  for (const [, load] of wanted) (await load())(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  // No command: in a terminal, the live dashboard; elsewhere, what redscope can do.
  if (argv.length <= 2 && process.stdout.isTTY) argv = [...argv, 'dashboard'];
  const program = await buildProgram(argv);
  program.exitOverride();
  if (argv.length <= 2) {
    program.outputHelp();
    process.stdout.write('\nIn a terminal, `redscope` alone opens the live dashboard; `redscope dashboard --once` prints it as text.\n');
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
