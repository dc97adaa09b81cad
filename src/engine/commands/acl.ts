// ACL command family (acl.c's aclCommand): users are created and changed with SETUSER, shown with
// GETUSER / LIST / USERS, removed with DELUSER (their clients are disconnected), saved to and
// loaded from the aclfile; CAT lists categories from the command table, LOG the recent denials,
// DRYRUN asks the permission check without running anything.

import { randomBytes } from 'node:crypto';
import { cmd, type CommandSpec, type Ctx } from '../command.js';
import { E, ReplyError } from '../errors.js';
import { parseInteger } from '../args.js';
import { aclFilePath, aclOf, channelsText, commandRules, describeUser, hasSpaces, keysText, type Selector } from '../acl.js';
import { checkUserCommand } from '../acl-check.js';
import { saveAclFile } from '../acl-file.js';
import { ACL_CATEGORIES } from './command-docs.js';
import { replyHelp } from './help.js';

const GENPASS_MAX_BITS = 4096;
const NO_ACLFILE =
  'This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration.';

function setuser(ctx: Ctx, argv: string[]): void {
  const name = argv[2]!;
  if (hasSpaces(name)) throw new ReplyError("Usernames can't contain spaces or null characters");
  const err = aclOf(ctx.engine).setUser(name, argv.slice(3));
  // addReplyErrorSdsSafe: the text may echo a rule, and a reply error cannot span lines.
  if (err !== null) throw new ReplyError(err.replace(/[\r\n]/g, ' '));
  ctx.reply.ok();
}

function deluser(ctx: Ctx, argv: string[]): void {
  const names = argv.slice(2);
  if (names.includes('default')) throw new ReplyError("The 'default' user cannot be removed");
  ctx.reply.int(aclOf(ctx.engine).deleteUsers(names));
}

function writeSelector(ctx: Ctx, s: Selector): void {
  const { reply } = ctx;
  reply.bulk('commands');
  reply.bulk(commandRules(aclOf(ctx.engine).cmds, s));
  reply.bulk('keys');
  reply.bulk(keysText(s));
  reply.bulk('channels');
  reply.bulk(channelsText(s));
}

function getuser(ctx: Ctx, argv: string[]): void {
  const { reply } = ctx;
  const u = aclOf(ctx.engine).users.get(argv[2]!);
  if (!u) {
    reply.nullBulk();
    return;
  }
  reply.mapLen(6);
  reply.bulk('flags');
  const flags = u.flagNames();
  reply.setLen(flags.length);
  for (const f of flags) reply.bulk(f);
  reply.bulk('passwords');
  reply.bulks(u.passwords);
  writeSelector(ctx, u.root);
  reply.bulk('selectors');
  reply.arrayLen(u.selectors.length - 1);
  for (const s of u.selectors.slice(1)) {
    reply.mapLen(3);
    writeSelector(ctx, s);
  }
}

function list(ctx: Ctx): void {
  const st = aclOf(ctx.engine);
  ctx.reply.bulks(st.sortedUsers().map((u) => `user ${u.name} ${describeUser(st.cmds, u)}`));
}

function users(ctx: Ctx): void {
  ctx.reply.bulks(aclOf(ctx.engine).sortedUsers().map((u) => u.name));
}

function whoami(ctx: Ctx): void {
  ctx.reply.bulk(aclOf(ctx.engine).userOf(ctx.client).name);
}

function load(ctx: Ctx): void {
  if (ctx.engine.config.get('aclfile') === '') throw new ReplyError(NO_ACLFILE);
  const err = aclOf(ctx.engine).loadFile(aclFilePath(ctx.engine));
  if (err !== null) throw new ReplyError(err);
  ctx.reply.ok();
}

function save(ctx: Ctx): void {
  if (ctx.engine.config.get('aclfile') === '') throw new ReplyError(NO_ACLFILE);
  if (!saveAclFile(aclOf(ctx.engine), aclFilePath(ctx.engine)))
    throw new ReplyError('There was an error trying to save the ACLs. Please check the server logs for more information');
  ctx.reply.ok();
}

/** aclCommand's fallback for CAT / GENPASS / LOG given too many arguments. */
function atMostOneArg(argv: string[]): void {
  if (argv.length > 3)
    throw new ReplyError(`unknown subcommand or wrong number of arguments for '${argv[1]!.slice(0, 128)}'. Try ACL HELP.`);
}

function cat(ctx: Ctx, argv: string[]): void {
  atMostOneArg(argv);
  if (argv.length === 2) {
    ctx.reply.bulks(ACL_CATEGORIES);
    return;
  }
  const name = argv[2]!.toLowerCase();
  if (!ACL_CATEGORIES.includes(name)) throw new ReplyError(`Unknown category '${argv[2]!.slice(0, 128)}'`);
  const out: string[] = [];
  for (const spec of aclOf(ctx.engine).cmds.all()) if (spec.acl.includes(name)) out.push(spec.name);
  ctx.reply.bulks(out);
}

function genpass(ctx: Ctx, argv: string[]): void {
  atMostOneArg(argv);
  const bits = argv.length === 3 ? parseInteger(argv[2]!) : 256;
  if (bits <= 0 || bits > GENPASS_MAX_BITS)
    throw new ReplyError(`ACL GENPASS argument must be the number of bits for the output password, a positive number up to ${GENPASS_MAX_BITS}`);
  const chars = Math.floor((bits + 3) / 4);
  ctx.reply.bulk(randomBytes(Math.ceil(chars / 2)).toString('hex').slice(0, chars));
}

function log(ctx: Ctx, argv: string[]): void {
  const { reply } = ctx;
  atMostOneArg(argv);
  const st = aclOf(ctx.engine);
  let count = 10;
  if (argv.length === 3) {
    if (argv[2]!.toLowerCase() === 'reset') {
      st.log.reset();
      reply.ok();
      return;
    }
    count = Math.max(0, parseInteger(argv[2]!));
  }
  const entries = st.log.entries.slice(0, count);
  const now = Date.now();
  reply.arrayLen(entries.length);
  for (const e of entries) {
    reply.mapLen(7);
    reply.bulk('count');
    reply.int(e.count);
    reply.bulk('reason');
    reply.bulk(e.reason);
    reply.bulk('context');
    reply.bulk(e.context);
    reply.bulk('object');
    reply.bulk(e.object);
    reply.bulk('username');
    reply.bulk(e.username);
    reply.bulk('age-seconds');
    reply.double((now - e.ctime) / 1000);
    reply.bulk('client-info');
    reply.bulk(e.clientInfo);
  }
}

/** lookupCommand for a command line: a container's subcommand when one is named. */
function lookupLine(ctx: Ctx, line: string[]): CommandSpec | undefined {
  const base = ctx.engine.commands.get(line[0]!.toLowerCase());
  if (!base?.subcommands || line.length < 2) return base;
  return base.subcommands.find((s) => s.name === `${base.name}|${line[1]!.toLowerCase()}`);
}

function dryrun(ctx: Ctx, argv: string[]): void {
  const u = aclOf(ctx.engine).users.get(argv[2]!);
  if (!u) throw new ReplyError(`User '${argv[2]}' not found`);
  const line = argv.slice(3);
  const spec = lookupLine(ctx, line);
  if (!spec) throw new ReplyError(`Command '${argv[3]}' not found`);
  if ((spec.arity > 0 && spec.arity !== line.length) || line.length < -spec.arity) throw new ReplyError(E.arity(spec.name));
  const d = checkUserCommand(u, spec, line);
  if (d === null) ctx.reply.ok();
  else if (d.reason === 'command') ctx.reply.bulk(`This user has no permissions to run the '${spec.name}' command`);
  else ctx.reply.bulk(`This user has no permissions to access the '${line[d.pos]}' ${d.reason}`);
}

/** HELP lines, in the engine's own words (the subcommand forms follow Redis's). */
const ACL_HELP = [
  'CAT [<category>]',
  '    The command categories, or the commands of one category.',
  'DELUSER <username> [<username> ...]',
  '    Removes users and disconnects their clients.',
  'DRYRUN <username> <command> [<arg> ...]',
  '    Says whether the user could run the command line, without running it.',
  'GETUSER <username>',
  '    The flags, password hashes, keys, channels, commands and selectors of a user.',
  'GENPASS [<bits>]',
  '    A random password in hex, 256 bits unless told otherwise.',
  'LIST',
  '    Every user as a rule line (the ACL file format).',
  'LOAD',
  '    Replaces the users with those of the ACL file.',
  'LOG [<count> | RESET]',
  '    The most recent denials, or clears them.',
  'SAVE',
  '    Writes the users to the ACL file.',
  'SETUSER <username> <attribute> [<attribute> ...]',
  '    Creates a user or changes its rules.',
  'USERS',
  '    The user names.',
  'WHOAMI',
  '    The user of this connection.',
];

const ADMIN = ['admin', 'noscript', 'loading', 'stale'] as const;
const ADMIN_ACL = ['admin', 'slow', 'dangerous'];
const NONE: [number, number, number] = [0, 0, 0];

export const aclCommands: CommandSpec[] = [
  cmd('acl', -2, [], ['slow'], NONE, 'server', undefined, [
    cmd('acl|cat', -2, ['noscript', 'loading', 'stale'], ['slow'], NONE, 'server', cat),
    cmd('acl|deluser', -3, [...ADMIN], ADMIN_ACL, NONE, 'server', deluser),
    cmd('acl|dryrun', -4, [...ADMIN], ADMIN_ACL, NONE, 'server', dryrun),
    cmd('acl|genpass', -2, ['noscript', 'loading', 'stale'], ['slow'], NONE, 'server', genpass),
    cmd('acl|getuser', 3, [...ADMIN], ADMIN_ACL, NONE, 'server', getuser),
    cmd('acl|help', 2, ['loading', 'stale'], ['slow'], NONE, 'server', (ctx) => replyHelp(ctx, 'ACL', ACL_HELP)),
    cmd('acl|list', 2, [...ADMIN], ADMIN_ACL, NONE, 'server', list),
    cmd('acl|load', 2, [...ADMIN], ADMIN_ACL, NONE, 'server', load),
    cmd('acl|log', -2, [...ADMIN], ADMIN_ACL, NONE, 'server', log),
    cmd('acl|save', 2, [...ADMIN], ADMIN_ACL, NONE, 'server', save),
    cmd('acl|setuser', -3, [...ADMIN], ADMIN_ACL, NONE, 'server', setuser),
    cmd('acl|users', 2, [...ADMIN], ADMIN_ACL, NONE, 'server', users),
    cmd('acl|whoami', 2, ['noscript', 'loading', 'stale'], ['slow'], NONE, 'server', whoami),
  ]),
];
