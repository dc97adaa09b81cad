// The scripting command family: EVAL / EVALSHA (and their _RO forms), SCRIPT, FCALL / FCALL_RO
// and FUNCTION. The handlers are thin; the Lua sandbox, the script cache, function libraries
// and the running of scripts live in src/engine/scripting/. Arity, flags and ACL categories are
// Redis 7.0's; help texts are our own wording. SCRIPT KILL / FUNCTION KILL stop a script that ran
// past busy-reply-threshold (scripting/busy.ts).

import { replyHelp, subcommandSyntaxError } from './help.js';
import { cmd, type CommandSpec, type Ctx } from '../command.js';
import { ReplyError } from '../errors.js';
import { is } from '../args.js';
import { cacheScript, evalCommand, flushScripts, scriptExists } from '../scripting/eval.js';
import {
  deleteLibrary,
  fcallCommand,
  flushLibraries,
  functionCounts,
  libraryMatches,
  listLibraries,
  loadLibrary,
} from '../scripting/functions.js';
import { SCRIPT_FLAGS } from '../scripting/script-flags.js';
import { killScript, runningFunction } from '../scripting/busy.js';
import { dumpFunctions, restoreFunctions, type RestorePolicy } from '../scripting/function-dump.js';

// --- SCRIPT -----------------------------------------------------------------------------------------

function scriptFlush(ctx: Ctx, argv: string[]): void {
  if (argv.length > 3 || (argv.length === 3 && !is(argv[2], 'sync') && !is(argv[2], 'async')))
    throw new ReplyError('SCRIPT FLUSH only support SYNC|ASYNC option');
  flushScripts(ctx.engine);
  ctx.reply.ok();
}

function scriptExistsCmd(ctx: Ctx, argv: string[]): void {
  const found = scriptExists(ctx.engine, argv.slice(2));
  ctx.reply.arrayLen(found.length);
  for (const f of found) ctx.reply.int(f ? 1 : 0);
}

function scriptDebug(ctx: Ctx, argv: string[]): void {
  const mode = argv[2]!.toLowerCase();
  if (mode === 'no') ctx.reply.ok();
  else if (mode === 'yes' || mode === 'sync') throw new ReplyError('SCRIPT DEBUG is not supported: this engine has no Lua debugger');
  else throw new ReplyError('Use SCRIPT DEBUG YES/SYNC/NO');
}

const SCRIPT_HELP = [
  'DEBUG (YES|SYNC|NO)',
  '    Choose the debug mode of the next scripts (only NO is available here).',
  'EXISTS <sha1> [<sha1> ...]',
  '    For each SHA1, 1 when the script is in the cache, 0 otherwise.',
  'FLUSH [ASYNC|SYNC]',
  '    Empty the script cache.',
  'KILL',
  '    Stop a script that has run longer than busy-reply-threshold and wrote nothing yet.',
  'LOAD <script>',
  '    Put a script in the cache without running it; replies with its SHA1.',
];

// --- FUNCTION -------------------------------------------------------------------------------------

function functionLoad(ctx: Ctx, argv: string[]): void {
  let replace = false;
  let pos = 2;
  while (pos < argv.length - 1) {
    const a = argv[pos++]!;
    if (is(a, 'replace')) {
      replace = true;
      continue;
    }
    throw new ReplyError(`Unknown option given: ${a}`);
  }
  if (pos >= argv.length) throw new ReplyError('Function code is missing');
  const name = loadLibrary(ctx.engine, argv[pos]!, replace);
  ctx.engine.dirty++;
  ctx.reply.bulk(name);
}

function functionList(ctx: Ctx, argv: string[]): void {
  let withCode = false;
  let pattern: string | null = null;
  for (let i = 2; i < argv.length; i++) {
    if (!withCode && is(argv[i], 'withcode')) {
      withCode = true;
      continue;
    }
    if (pattern === null && is(argv[i], 'libraryname')) {
      if (i >= argv.length - 1) throw new ReplyError('library name argument was not given');
      pattern = argv[++i]!;
      continue;
    }
    throw new ReplyError(`Unknown argument ${argv[i]}`);
  }
  const libs = listLibraries(ctx.engine).filter((l) => pattern === null || libraryMatches(pattern, l.name));
  const { reply } = ctx;
  reply.arrayLen(libs.length);
  for (const lib of libs) {
    reply.mapLen(withCode ? 4 : 3);
    reply.bulk('library_name');
    reply.bulk(lib.name);
    reply.bulk('engine');
    reply.bulk('LUA');
    reply.bulk('functions');
    reply.arrayLen(lib.functions.size);
    for (const fn of lib.functions.values()) {
      reply.mapLen(3);
      reply.bulk('name');
      reply.bulk(fn.name);
      reply.bulk('description');
      reply.bulkOrNull(fn.desc);
      reply.bulk('flags');
      const flags = SCRIPT_FLAGS.filter((f) => fn.flags.set.has(f));
      reply.setLen(flags.length);
      for (const f of flags) reply.simple(f);
    }
    if (withCode) {
      reply.bulk('library_code');
      reply.bulk(lib.code);
    }
  }
}

function functionDelete(ctx: Ctx, argv: string[]): void {
  deleteLibrary(ctx.engine, argv[2]!);
  ctx.engine.dirty++;
  ctx.reply.ok();
}

function functionFlush(ctx: Ctx, argv: string[]): void {
  if (argv.length > 3) subcommandSyntaxError(argv);
  if (argv.length === 3 && !is(argv[2], 'sync') && !is(argv[2], 'async'))
    throw new ReplyError('FUNCTION FLUSH only supports SYNC|ASYNC option');
  flushLibraries(ctx.engine);
  ctx.engine.dirty++;
  ctx.reply.ok();
}

function functionStats(ctx: Ctx): void {
  const { reply } = ctx;
  const running = runningFunction(ctx.engine);
  const counts = functionCounts(ctx.engine);
  reply.mapLen(2);
  reply.bulk('running_script');
  if (!running) reply.nullBulk();
  else {
    reply.mapLen(3);
    reply.bulk('name');
    reply.bulk(running.name);
    reply.bulk('command');
    reply.bulks(running.argv);
    reply.bulk('duration_ms');
    reply.int(running.durationMs);
  }
  reply.bulk('engines');
  reply.mapLen(1);
  reply.bulk('LUA');
  reply.mapLen(2);
  reply.bulk('libraries_count');
  reply.int(counts.libraries);
  reply.bulk('functions_count');
  reply.int(counts.functions);
}

const RESTORE_POLICIES = new Map<string, RestorePolicy>([
  ['flush', 'flush'],
  ['append', 'append'],
  ['replace', 'replace'],
]);

function functionRestore(ctx: Ctx, argv: string[]): void {
  if (argv.length > 4) subcommandSyntaxError(argv);
  const policy = argv.length === 4 ? RESTORE_POLICIES.get(argv[3]!.toLowerCase()) : 'append';
  if (!policy) throw new ReplyError('Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.');
  restoreFunctions(ctx.engine, argv[2]!, policy);
  ctx.engine.dirty++;
  ctx.reply.ok();
}

const FUNCTION_HELP = [
  'LOAD [REPLACE] <library code>',
  '    Create a library from Lua code whose first line is "#!lua name=<library name>"; REPLACE',
  '    overwrites a library of the same name.',
  'DELETE <library name>',
  '    Remove a library and its functions.',
  'KILL',
  '    Stop a function that has run longer than busy-reply-threshold and wrote nothing yet.',
  'FLUSH [ASYNC|SYNC]',
  '    Remove every library.',
  'LIST [LIBRARYNAME <pattern>] [WITHCODE]',
  '    Describe the libraries (those whose name matches the pattern), with their code on request.',
  'STATS',
  '    The function running past busy-reply-threshold (if any) and the number of libraries and functions.',
  'DUMP',
  '    A payload holding every library, for FUNCTION RESTORE (here or on Redis 7.0).',
  'RESTORE <payload> [FLUSH|APPEND|REPLACE]',
  '    Load the libraries of a FUNCTION DUMP payload: FLUSH drops the current ones first, APPEND',
  '    (the default) fails on a library name in use, REPLACE replaces such libraries.',
];

// --- the table ------------------------------------------------------------------------------------

const SCRIPTING = ['slow', 'scripting'];
const WRITE_SCRIPTING = ['write', 'slow', 'scripting'];
const NONE: [number, number, number] = [0, 0, 0];
const RUN_FLAGS = ['noscript', 'stale', 'skip_monitor', 'no_mandatory_keys', 'movablekeys'] as const;
const RUN_RO_FLAGS = ['readonly', ...RUN_FLAGS] as const;

export const scriptingCommands: CommandSpec[] = [
  cmd('eval', -3, [...RUN_FLAGS], SCRIPTING, NONE, 'scripting', (ctx, argv) => evalCommand(ctx, argv, false, false)),
  cmd('evalsha', -3, [...RUN_FLAGS], SCRIPTING, NONE, 'scripting', (ctx, argv) => evalCommand(ctx, argv, true, false)),
  cmd('eval_ro', -3, [...RUN_RO_FLAGS], SCRIPTING, NONE, 'scripting', (ctx, argv) => evalCommand(ctx, argv, false, true)),
  cmd('evalsha_ro', -3, [...RUN_RO_FLAGS], SCRIPTING, NONE, 'scripting', (ctx, argv) => evalCommand(ctx, argv, true, true)),
  cmd('fcall', -3, [...RUN_FLAGS], SCRIPTING, NONE, 'scripting', (ctx, argv) => fcallCommand(ctx, argv, false)),
  cmd('fcall_ro', -3, [...RUN_RO_FLAGS], SCRIPTING, NONE, 'scripting', (ctx, argv) => fcallCommand(ctx, argv, true)),
  cmd('script', -2, [], ['slow'], NONE, 'scripting', undefined, [
    cmd('script|flush', -2, ['noscript'], SCRIPTING, NONE, 'scripting', scriptFlush),
    cmd('script|exists', -3, ['noscript'], SCRIPTING, NONE, 'scripting', scriptExistsCmd),
    cmd('script|load', 3, ['noscript', 'stale'], SCRIPTING, NONE, 'scripting', (ctx, argv) => ctx.reply.bulk(cacheScript(ctx.engine, argv[2]!))),
    cmd('script|kill', 2, ['noscript', 'allow_busy'], SCRIPTING, NONE, 'scripting', (ctx) => {
      killScript(ctx.engine, true);
      ctx.reply.ok();
    }),
    cmd('script|debug', 3, ['noscript'], SCRIPTING, NONE, 'scripting', scriptDebug),
    cmd('script|help', 2, ['loading', 'stale'], SCRIPTING, NONE, 'scripting', (ctx) => replyHelp(ctx, 'SCRIPT', SCRIPT_HELP)),
  ]),
  cmd('function', -2, [], ['slow'], NONE, 'scripting', undefined, [
    cmd('function|load', -3, ['write', 'denyoom', 'noscript'], WRITE_SCRIPTING, NONE, 'scripting', functionLoad),
    cmd('function|list', -2, ['noscript'], SCRIPTING, NONE, 'scripting', functionList),
    cmd('function|delete', 3, ['write', 'noscript'], WRITE_SCRIPTING, NONE, 'scripting', functionDelete),
    cmd('function|flush', -2, ['write', 'noscript'], WRITE_SCRIPTING, NONE, 'scripting', functionFlush),
    cmd('function|kill', 2, ['noscript', 'allow_busy'], SCRIPTING, NONE, 'scripting', (ctx) => {
      killScript(ctx.engine, false);
      ctx.reply.ok();
    }),
    cmd('function|stats', 2, ['noscript', 'allow_busy'], SCRIPTING, NONE, 'scripting', functionStats),
    cmd('function|dump', 2, ['noscript'], SCRIPTING, NONE, 'scripting', (ctx) => ctx.reply.bulk(dumpFunctions(ctx.engine))),
    cmd('function|restore', -3, ['write', 'denyoom', 'noscript'], WRITE_SCRIPTING, NONE, 'scripting', functionRestore),
    cmd('function|help', 2, ['loading', 'stale'], SCRIPTING, NONE, 'scripting', (ctx) => replyHelp(ctx, 'FUNCTION', FUNCTION_HELP)),
  ]),
];
