// The permission check (acl.c's ACLCheckAllUserCommandPerm and its callers): a user may run a
// command when one of its selectors allows the command (or its first argument), every key the
// command names with the access the key spec declares (read for "access", write for
// insert/update/delete), and every channel it publishes or subscribes to. When no selector does,
// the error reported is the most specific one (a channel, then a key, the later argument winning).
// Dispatch calls aclDenied only while some user is restricted (engine.aclRestricted).

import type { Client } from './client.js';
import type { CommandSpec } from './command.js';
import type { Engine } from './engine.js';
import { ReplyError } from './errors.js';
import { aclOf, KEY_READ, KEY_WRITE, type AclState, type AclUser, type Selector } from './acl.js';
import type { AclContext, AclDenial } from './acl-log.js';
import { commandHasKeys, commandKeys, type KeyRef } from './commands/command-docs.js';
import { globMatch } from './glob.js';

export interface Denial {
  reason: Exclude<AclDenial, 'auth'>;
  /** Argument index of the key or channel refused (0 for a command). */
  pos: number;
}

/** Relevance of a denial when no selector allows a command (ACL_DENIED_* values). */
const RANK: Record<Denial['reason'], number> = { command: 1, key: 2, channel: 4 };

/** Commands that name channels: how (publish / subscribe / pattern) and which arguments. */
const CHANNEL_ARGS: Record<string, { pattern: boolean; first: number; last: number }> = {
  subscribe: { pattern: false, first: 1, last: -1 },
  ssubscribe: { pattern: false, first: 1, last: -1 },
  psubscribe: { pattern: true, first: 1, last: -1 },
  publish: { pattern: false, first: 1, last: 1 },
  spublish: { pattern: false, first: 1, last: 1 },
};

/** Access a key-spec's flags ask for (ACL_READ/WRITE_PERMISSION bits). */
function keyAccess(flags: readonly string[]): number {
  let need = 0;
  for (const f of flags) {
    if (f === 'access') need |= KEY_READ;
    else if (f === 'insert' || f === 'delete' || f === 'update') need |= KEY_WRITE;
  }
  return need;
}

export function selectorAllowsKey(sel: Selector, key: string, need: number): boolean {
  if (sel.allKeys) return true;
  for (const p of sel.patterns) {
    if ((p.flags & need) !== need) continue;
    if (globMatch(p.pattern, key)) return true;
  }
  return false;
}

/** ACLCheckChannelAgainstList: patterns (PSUBSCRIBE) compare literally, channels by glob. */
export function channelAllowed(list: readonly string[], channel: string, isPattern: boolean): boolean {
  for (const p of list) if (isPattern ? p === channel : globMatch(p, channel)) return true;
  return false;
}

/** ACLSelectorCheckCmd; `keys` caches the key positions between selectors. */
function selectorCheck(sel: Selector, spec: CommandSpec, argv: string[], keys: { refs: KeyRef[] | null }): Denial | null {
  if (!sel.allCommands && !spec.flags.includes('no_auth') && !sel.allowed.has(spec.name)) {
    const firsts = sel.firstArgs.get(spec.name);
    if (argv.length < 2 || !firsts) return { reason: 'command', pos: 0 };
    const arg = argv[spec.name.includes('|') ? 2 : 1]?.toLowerCase();
    if (!firsts.some((a) => a.toLowerCase() === arg)) return { reason: 'command', pos: 0 };
  }
  if (!sel.allKeys && commandHasKeys(spec)) {
    keys.refs ??= commandKeys(spec, argv);
    for (const k of keys.refs) {
      if (!selectorAllowsKey(sel, argv[k.pos]!, keyAccess(k.flags))) return { reason: 'key', pos: k.pos };
    }
  }
  const ch = sel.allChannels ? undefined : CHANNEL_ARGS[spec.name];
  if (ch) {
    const last = ch.last < 0 ? argv.length - 1 : Math.min(ch.last, argv.length - 1);
    for (let i = ch.first; i <= last; i++) {
      if (!channelAllowed(sel.channels, argv[i]!, ch.pattern)) return { reason: 'channel', pos: i };
    }
  }
  return null;
}

/** ACLCheckAllUserCommandPerm: null when allowed. */
export function checkUserCommand(u: AclUser, spec: CommandSpec, argv: string[]): Denial | null {
  if (u.unrestricted) return null;
  const keys: { refs: KeyRef[] | null } = { refs: null };
  let worst: Denial = { reason: 'command', pos: 0 };
  for (const sel of u.selectors) {
    const d = selectorCheck(sel, spec, argv, keys);
    if (d === null) return null;
    if (RANK[d.reason] > RANK[worst.reason] || (d.reason === worst.reason && d.pos > worst.pos)) worst = d;
  }
  return worst;
}

function logDenial(st: AclState, client: Client, u: AclUser, d: Denial, context: AclContext, spec: CommandSpec, argv: string[]): void {
  st.log.argv = argv;
  st.log.add(client, d.reason, context, d.reason === 'command' ? spec.name : argv[d.pos]!, u.name);
  st.log.argv = [];
}

/** processCommand's wording of a refusal. */
const TOPLEVEL_TEXT: Record<Denial['reason'], (spec: CommandSpec) => string> = {
  command: (spec) => `-NOPERM this user has no permissions to run the '${spec.name}' command`,
  key: () => '-NOPERM this user has no permissions to access one of the keys used as arguments',
  channel: () => '-NOPERM this user has no permissions to access one of the channels used as arguments',
};

/** EXEC's wording when the rules changed after the command was queued. */
const EXEC_REASON: Record<Denial['reason'], string> = {
  command: 'no permission to execute the command or subcommand',
  key: 'no permission to touch the specified keys',
  channel: 'no permission to access one of the channels used as arguments',
};

/** getAclErrorMessage: the script-call wording (after "The user executing the script "). */
const SCRIPT_REASON: Record<Denial['reason'], string> = {
  command: "can't run this command or subcommand",
  key: "can't access at least one of the keys mentioned in the command arguments",
  channel: "can't publish to the channel mentioned in the command",
};

/** The top-level check: the NOPERM error text (logged), or null when the client may run it. */
export function aclDenied(engine: Engine, client: Client, spec: CommandSpec, argv: string[]): string | null {
  const st = aclOf(engine);
  const u = st.userOf(client);
  if (u.unrestricted) return null;
  const d = checkUserCommand(u, spec, argv);
  if (d === null) return null;
  logDenial(st, client, u, d, client.multi ? 'multi' : 'toplevel', spec, argv);
  return TOPLEVEL_TEXT[d.reason](spec);
}

/**
 * EXEC checks each queued command again just before running it (the rules may have changed since
 * it was queued): the queue's specs are wrapped so the check runs at that moment.
 */
export function guardQueuedCommands(engine: Engine, client: Client): void {
  const queue = client.multi;
  if (!queue) return;
  const st = aclOf(engine);
  for (const q of queue) {
    const spec = q.spec;
    const handler = spec.handler!;
    q.spec = {
      ...spec,
      handler: (ctx, argv) => {
        const u = st.userOf(client);
        const d = checkUserCommand(u, spec, argv);
        if (d !== null) {
          logDenial(st, client, u, d, 'multi', spec, argv);
          throw new ReplyError(
            `-NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. This command is no longer allowed for the following reason: ${EXEC_REASON[d.reason]}`,
          );
        }
        handler(ctx, argv);
      },
    };
  }
}

/** scriptVerifyACL: the error text for a command a script may not run as its caller's user. */
export function aclScriptDenied(engine: Engine, caller: Client, scriptClient: Client, spec: CommandSpec, argv: string[]): string | null {
  const st = aclOf(engine);
  const u = st.userOf(caller);
  if (u.unrestricted) return null;
  const d = checkUserCommand(u, spec, argv);
  if (d === null) return null;
  st.log.scriptCaller = caller;
  logDenial(st, scriptClient, u, d, 'lua', spec, argv);
  st.log.scriptCaller = null;
  return `The user executing the script ${SCRIPT_REASON[d.reason]}`;
}

/** redis.acl_check_cmd: may the script's caller run this command line? */
export function aclAllows(engine: Engine, caller: Client, spec: CommandSpec, argv: string[]): boolean {
  return checkUserCommand(aclOf(engine).userOf(caller), spec, argv) === null;
}

/**
 * ACLUserCheckCmdWithUnrestrictedKeyAccess(..., CMD_KEY_ACCESS): some selector allows the command
 * line and reads every key (allkeys, ~* or %R~*). SORT refuses BY/GET patterns otherwise.
 */
export function userReadsAllKeys(engine: Engine, client: Client, spec: CommandSpec, argv: string[]): boolean {
  if (engine.aclRestricted !== true) return true;
  const u = aclOf(engine).userOf(client);
  if (u.unrestricted) return true;
  const keys: { refs: KeyRef[] | null } = { refs: null };
  return u.selectors.some(
    (sel) => selectorCheck(sel, spec, argv, keys) === null && (sel.allKeys || sel.patterns.some((p) => p.pattern === '*' && (p.flags & KEY_READ) !== 0)),
  );
}
