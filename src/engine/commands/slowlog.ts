// The SLOWLOG command family: GET [count], LEN, RESET, HELP over the engine's slow log
// (stats/slowlog.ts). Arity, flags and ACL categories are Redis 7.0's; GET's six-field entries
// and the count rules (default 10, -1 for all, nothing below -1) too. Help lines are our own words.

import { replyHelp, subcommandSyntaxError } from './help.js';
import { cmd, type CommandSpec, type Ctx } from '../command.js';
import { parseRange } from '../args.js';
import { slowlogOf } from '../stats/slowlog.js';

const NONE: [number, number, number] = [0, 0, 0];
const ADMIN_ACL = ['admin', 'slow', 'dangerous'];

const SLOWLOG_HELP = [
  'GET [<count>]',
  '    Show the <count> newest entries (default 10; -1 shows all). Each entry holds:',
  '    id, unix time, duration in microseconds, the arguments, the client address,',
  '    and the client name.',
  'LEN',
  '    Show how many entries the log holds.',
  'RESET',
  '    Remove every entry (ids keep counting).',
];

function slowlogGet(ctx: Ctx, argv: string[]): void {
  if (argv.length > 3) subcommandSyntaxError(argv);
  const log = slowlogOf(ctx.engine);
  let count = 10;
  if (argv.length === 3) {
    count = parseRange(argv[2]!, -1, Infinity, 'count should be greater than or equal to -1');
    if (count === -1) count = log.length;
  }
  const r = ctx.reply;
  const entries = log.newest(count);
  r.arrayLen(entries.length);
  for (const e of entries) {
    r.arrayLen(6);
    r.int(e.id);
    r.int(e.time);
    r.int(e.duration);
    r.bulks(e.argv);
    r.bulk(e.peer);
    r.bulk(e.name);
  }
}

export const slowlogCommands: CommandSpec[] = [
  cmd('slowlog', -2, [], ['slow'], NONE, 'server', undefined, [
    cmd('slowlog|get', -2, ['admin', 'loading', 'stale'], ADMIN_ACL, NONE, 'server', slowlogGet),
    cmd('slowlog|len', 2, ['admin', 'loading', 'stale'], ADMIN_ACL, NONE, 'server', (ctx) => ctx.reply.int(slowlogOf(ctx.engine).length)),
    cmd('slowlog|reset', 2, ['admin', 'loading', 'stale'], ADMIN_ACL, NONE, 'server', (ctx) => {
      slowlogOf(ctx.engine).reset();
      ctx.reply.ok();
    }),
    cmd('slowlog|help', 2, ['loading', 'stale'], ['slow'], NONE, 'server', (ctx, argv) => replyHelp(ctx, argv[0]!, SLOWLOG_HELP)),
  ]),
];
