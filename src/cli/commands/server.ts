// `redscope server`: runs the bundled engine in the foreground, configured like redis-server:
// an optional config file, then any directive as `--name value...` (e.g. `--save "" --appendonly no`).
// Logs in redis-server's format and exits cleanly on SIGINT/SIGTERM or SHUTDOWN.

import type { Command } from 'commander';
import { Config, splitConfigLine } from '../../engine/config.js';
import { Engine } from '../../engine/engine.js';
import { EngineServer } from '../../engine/server.js';
import { UserError } from '../../common/errors.js';
import { makeLogger, type LogLevel } from '../log.js';
import { resolve } from 'node:path';
import { RdbLoadError } from '../../engine/persist/rdb-file.js';
import { cancelBgsave, loadDataFile, persistenceOf, saveNow, saveParams } from '../../engine/persist/state.js';
import { aofFlushAndSync, aofOf, aofStartup } from '../../engine/persist/aof.js';
import { aclOf } from '../../engine/acl.js';

/** Splits `--name v1 v2 --other v` into directive pairs, as redis-server reads its arguments. */
export function parseDirectives(args: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let i = 0;
  while (i < args.length) {
    const a = args[i]!;
    if (!a.startsWith('--')) throw new UserError(`unexpected argument '${a}': directives are written --name value (e.g. --port 6380)`);
    const name = a.slice(2);
    const values: string[] = [];
    i++;
    while (i < args.length && !(args[i]!.startsWith('--') && args[i]!.length > 2 && !/^--?\d/.test(args[i]!))) values.push(args[i++]!);
    out.push([name, values.join(' ')]);
  }
  return out;
}

export function registerServer(program: Command): void {
  program
    .command('server')
    .description('run the bundled Redis-compatible engine in the foreground (any redis.conf directive as --name value)')
    .helpOption('-h, --help', 'show help. Directives: --config FILE (a redis.conf to read first), --port 6379, --bind 127.0.0.1, --dir ., --requirepass PASS, --save "" ...')
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .action(async (_opts: unknown, command: Command) => {
      const raw = command.args;
      const config = new Config();
      let rest = raw;
      const cfgIdx = raw.indexOf('--config');
      if (cfgIdx >= 0) {
        const file = raw[cfgIdx + 1];
        if (!file) throw new UserError('--config needs a file path');
        try {
          config.loadFile(file);
        } catch (err) {
          throw new UserError(`cannot use config file: ${err instanceof Error ? err.message : String(err)}`);
        }
        rest = [...raw.slice(0, cfgIdx), ...raw.slice(cfgIdx + 2)];
      }
      for (const [name, value] of parseDirectives(rest)) {
        if (name === 'user') {
          // --user "alice on >secret ~app:* +@read": an ACL user, as redis.conf's `user` lines.
          const words = splitConfigLine(value);
          if (!words || words.length === 0) throw new UserError(`bad directive --user: give a user name and its rules, e.g. --user "alice on >secret ~* +@all"`);
          config.users.push(words);
          continue;
        }
        try {
          config.setMany([[name, value]], { runtime: false });
        } catch (err) {
          const msg = err instanceof Error ? err.message.replace(/^ERR /, '') : String(err);
          throw new UserError(`bad directive --${name}: ${msg}`);
        }
      }
      await runServer(config, cfgIdx >= 0 ? resolve(raw[cfgIdx + 1]!) : undefined);
    });
}

async function runServer(config: Config, configFile: string | undefined): Promise<void> {
  const log = makeLogger((line) => process.stdout.write(line + '\n'), () => config.get('loglevel') as LogLevel);
  const engine = new Engine(config);
  const aclErrors = aclOf(engine).startupErrors;
  if (aclErrors.length > 0) throw new UserError(`${aclErrors[0]}. Exiting.`);
  engine.configFile = configFile;
  engine.on('log', (level: LogLevel, message: string) => log(level, message));
  const server = new EngineServer(engine);
  server.log = log;
  const port = config.num['port']!;
  const binds = config.get('bind').split(' ').filter((b) => b && !b.startsWith('-'));
  log('notice', `redscope engine starting (Redis 7.0 compatible), pid=${process.pid}`);
  persistenceOf(engine); // hooks the save schedule (the `save` directive) onto the cron
  loadAtStart(engine, log);
  try {
    for (const host of binds.length ? binds : ['127.0.0.1']) {
      await server.listen({ port, host: host === '*' ? '0.0.0.0' : host });
    }
    const sock = config.get('unixsocket');
    if (sock) await server.listen({ port: 0, path: sock });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UserError(`cannot listen on ${binds.join(', ')}:${port}: ${e.code === 'EADDRINUSE' ? 'address already in use' : e.message}`);
  }
  // Handlers go in before "Ready" is printed: whoever reads that line may signal at once.
  const stopped = new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (why: string, finalSave: boolean) => {
      if (stopping) return;
      log('warning', why);
      log('notice', 'User requested shutdown...');
      if (finalSave && saveParams(engine).length > 0) {
        // prepareForShutdown: abandon a background save, then save synchronously; a failed save
        // keeps the server running, as Redis refuses to exit then.
        cancelBgsave(engine);
        log('notice', 'Saving the final RDB snapshot before exiting.');
        if (!saveNow(engine)) {
          log('warning', "Error trying to save the DB, can't exit.");
          return;
        }
      }
      // The AOF buffer is written and fsynced before exiting (SHUTDOWN, SIGTERM, SIGINT).
      aofFlushAndSync(engine);
      stopping = true;
      void server.close().then(() => {
        log('notice', 'redscope engine is now ready to exit, bye bye...');
        resolve();
      });
    };
    process.on('SIGINT', () => stop('Received SIGINT scheduling shutdown...', true));
    process.on('SIGTERM', () => stop('Received SIGTERM scheduling shutdown...', true));
    engine.once('shutdown', () => stop('SHUTDOWN requested by a client', false));
  });
  log('notice', 'Server initialized');
  log('notice', `Ready to accept connections tcp on ${binds.join(' ')} port ${port}`);
  await stopped;
}

/**
 * loadDataFromDisk: with appendonly yes the AOF (and never dump.rdb, as Redis 7.0), else
 * dir/dbfilename when it exists; a file that cannot be loaded stops the start.
 */
function loadAtStart(engine: Engine, log: (level: LogLevel, message: string) => void): void {
  const t0 = Date.now();
  aofOf(engine); // hooks CONFIG SET appendonly, the fsync/rewrite cron and the shutdown flush
  if (engine.config.get('appendonly') === 'yes') {
    try {
      const r = aofStartup(engine);
      if (r) log('notice', `DB loaded from append only file: ${((Date.now() - t0) / 1000).toFixed(3)} seconds`);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new UserError(`Fatal error loading the AOF (${why}). Exiting.`);
    }
    return;
  }
  try {
    const r = loadDataFile(engine);
    if (r.emptyKeysSkipped > 0) log('notice', `Done loading RDB, keys loaded: ${r.keysLoaded}, keys expired: ${r.keysExpired}, empty keys skipped: ${r.emptyKeysSkipped}.`);
    else log('notice', `Done loading RDB, keys loaded: ${r.keysLoaded}, keys expired: ${r.keysExpired}.`);
    log('notice', `DB loaded from disk: ${((Date.now() - t0) / 1000).toFixed(3)} seconds`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    const why = err instanceof RdbLoadError || err instanceof Error ? err.message : String(err);
    throw new UserError(`Fatal error loading the DB (${why}). Exiting.`);
  }
}
