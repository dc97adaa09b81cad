// MODULE: the engine runs no native code, so it has no modules to list and cannot load one.
// LIST answers an empty list (clients such as RedisInsight ask it on connect to find RedisJSON or
// RediSearch); LOAD/LOADEX fail with Redis's words for a module that would not load, and say why
// in the log; UNLOAD finds no such module. LOAD, LOADEX and UNLOAD are protected by
// `enable-module-command` like DEBUG by `enable-debug-command` (dispatch checks it).

import { cmd, type CommandSpec, type Ctx } from '../command.js';
import { ReplyError } from '../errors.js';
import { replyHelp } from './help.js';

const MODULE_HELP = [
  'LIST',
  '    The modules the server has loaded (none: this engine cannot load native modules).',
  'LOAD <path> [<arg> ...]',
  '    Load the module library at <path> with the given arguments.',
  'LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]',
  '    Load the module library at <path> with module configurations and arguments.',
  'UNLOAD <name>',
  '    Unload a module by name.',
];

function load(ctx: Ctx, argv: string[]): void {
  ctx.engine.emit('log', 'warning', `Module ${argv[2]} failed to load: this engine cannot load native Redis modules`);
  throw new ReplyError('Error loading the extension. Please check the server logs.');
}

const PROTECTED = ['admin', 'noscript', 'no_async_loading'] as const;
const ADMIN = ['admin', 'slow', 'dangerous'];

export const moduleCommands: CommandSpec[] = [
  cmd('module', -2, [], ['slow'], [0, 0, 0], 'server', undefined, [
    cmd('module|help', 2, ['loading', 'stale'], ['slow'], [0, 0, 0], 'server', (ctx, argv) => replyHelp(ctx, argv[0]!, MODULE_HELP)),
    cmd('module|list', 2, ['admin', 'noscript'], ADMIN, [0, 0, 0], 'server', (ctx) => ctx.reply.arrayLen(0)),
    cmd('module|load', -3, [...PROTECTED], ADMIN, [0, 0, 0], 'server', load),
    cmd('module|loadex', -3, [...PROTECTED], ADMIN, [0, 0, 0], 'server', load),
    cmd('module|unload', 3, [...PROTECTED], ADMIN, [0, 0, 0], 'server', () => {
      throw new ReplyError('Error unloading module: no such module with that name');
    }),
  ]),
];
