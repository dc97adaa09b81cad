// The two replies every command with subcommands shares: its HELP text (addReplyHelp's shape)
// and the error for a known subcommand given the wrong arguments.

import type { Ctx } from '../command.js';
import { ReplyError } from '../errors.js';

/** addReplyHelp's shape: a header naming the command, the lines, then HELP. */
export function replyHelp(ctx: Ctx, command: string, lines: readonly string[]): void {
  const r = ctx.reply;
  r.arrayLen(lines.length + 3);
  r.simple(`${command.toUpperCase()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`);
  for (const l of lines) r.simple(l);
  r.simple('HELP');
  r.simple('    Prints this help.');
}

/** addReplySubcommandSyntaxError: a known subcommand given the wrong arguments. */
export function subcommandSyntaxError(argv: string[]): never {
  throw new ReplyError(`unknown subcommand or wrong number of arguments for '${argv[1]!.slice(0, 128)}'. Try ${argv[0]!.toUpperCase()} HELP.`);
}
