// The scripting command family: EVAL / EVALSHA (and their _RO forms), SCRIPT, FCALL / FCALL_RO
// and FUNCTION. The handlers are thin; the Lua sandbox, the script cache, function libraries
// and the running of scripts live in src/engine/scripting/. Arity, flags and ACL categories are
// Redis 7.0's; help texts are our own wording. Scripts cannot be interrupted here (the engine is
// one JS thread), so SCRIPT KILL and FUNCTION KILL always answer NOTBUSY.

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

const NOTBUSY = '-NOTBUSY No scripts in execution right now.';

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
  '    Stop the script that is running (none can be: scripts run to completion).',
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
  const counts = functionCounts(ctx.engine);
  reply.mapLen(2);
  reply.bulk('running_script');
  reply.nullBulk();
  reply.bulk('engines');
  reply.mapLen(1);
  reply.bulk('LUA');
  reply.mapLen(2);
  reply.bulk('libraries_count');
  reply.int(counts.libraries);
  reply.bulk('functions_count');
  reply.int(counts.functions);
}

const FUNCTION_HELP = [
  'LOAD [REPLACE] <library code>',
  '    Create a library from Lua code whose first line is "#!lua name=<library name>"; REPLACE',
  '    overwrites a library of the same name.',
  'DELETE <library name>',
  '    Remove a library and its functions.',
  'KILL',
  '    Stop the function that is running (none can be: functions run to completion).',
  'FLUSH [ASYNC|SYNC]',
  '    Remove every library.',
  'LIST [LIBRARYNAME <pattern>] [WITHCODE]',
  '    Describe the libraries (those whose name matches the pattern), with their code on request.',
  'STATS',
  '    The running function (always none here) and the number of libraries and functions.',
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
    cmd('script|kill', 2, ['noscript', 'allow_busy'], SCRIPTING, NONE, 'scripting', () => {
      throw new ReplyError(NOTBUSY);
    }),
    cmd('script|debug', 3, ['noscript'], SCRIPTING, NONE, 'scripting', scriptDebug),
    cmd('script|help', 2, ['loading', 'stale'], SCRIPTING, NONE, 'scripting', (ctx) => replyHelp(ctx, 'SCRIPT', SCRIPT_HELP)),
  ]),
  cmd('function', -2, [], ['slow'], NONE, 'scripting', undefined, [
    cmd('function|load', -3, ['write', 'denyoom', 'noscript'], WRITE_SCRIPTING, NONE, 'scripting', functionLoad),
    cmd('function|list', -2, ['noscript'], SCRIPTING, NONE, 'scripting', functionList),
    cmd('function|delete', 3, ['write', 'noscript'], WRITE_SCRIPTING, NONE, 'scripting', functionDelete),
    cmd('function|flush', -2, ['write', 'noscript'], WRITE_SCRIPTING, NONE, 'scripting', functionFlush),
    cmd('function|kill', 2, ['noscript', 'allow_busy'], SCRIPTING, NONE, 'scripting', () => {
      throw new ReplyError(NOTBUSY);
    }),
    cmd('function|stats', 2, ['noscript', 'allow_busy'], SCRIPTING, NONE, 'scripting', functionStats),
    cmd('function|help', 2, ['loading', 'stale'], SCRIPTING, NONE, 'scripting', (ctx) => replyHelp(ctx, 'FUNCTION', FUNCTION_HELP)),
  ]),
];
