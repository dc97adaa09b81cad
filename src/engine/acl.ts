// ACL users (Redis 7.0's acl.c, users and rules half): a user is a set of flags, password hashes
// and selectors; the root selector holds the rules written outside parentheses, the others the
// `(...)` ones. A selector allows commands (a set of full names, "config|get" for subcommands, plus
// first-args for SELECT-like commands), key patterns with read/write rights and channel patterns.
// Rules are applied to a copy first, so a bad rule leaves the user as it was (ACLStringSetUser).
// The same rules rebuild a user's text for ACL LIST / SAVE (ACLDescribeUser), with Redis's
// best-fit of categories. One AclState per engine, made with the engine (aclOf).

import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { Client } from './client.js';
import type { CommandSpec } from './command.js';
import type { Engine } from './engine.js';
import { ACL_CATEGORIES } from './commands/command-docs.js';
import { freeClientNow } from './free-client.js';
import { AclLog } from './acl-log.js';
import { loadAclFile } from './acl-file.js';
import { globMatch } from './glob.js';
import { shardChannels } from './pubsub.js';

export const KEY_READ = 1;
export const KEY_WRITE = 2;
export const KEY_ALL = KEY_READ | KEY_WRITE;

export interface KeyPattern {
  pattern: string;
  flags: number;
}

/** Rule errors, worded as ACLSetUserStringError words them. */
export const RULE_ERRORS = {
  unknown: 'Unknown command or category name in ACL',
  syntax: 'Syntax error',
  keysAfterAll:
    "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns",
  channelsAfterAll:
    "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels",
  noSuchPass: 'The password you are trying to remove from the user does not exist',
  badHash: 'The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters',
  duplicate: 'Duplicate user found. A user can only be defined once in config files',
  subFirstArg: 'Allowing first-arg of a subcommand is not supported',
} as const;

export class RuleError extends Error {
  constructor(readonly reason: string, readonly unknownName = false) {
    super(reason);
  }
}

/** isspace() or NUL: not allowed in user names and patterns. */
export function hasSpaces(s: string): boolean {
  return /[\s\0\v]/.test(s);
}

export function hashPassword(pass: string): string {
  return createHash('sha256').update(pass, 'latin1').digest('hex');
}

/** The command table as ACL rules see it: top-level specs, their subcommands, categories. */
export class AclCommands {
  /** Top-level specs in table order, each followed in walks by its subcommands. */
  readonly top: CommandSpec[];
  constructor(table: Map<string, CommandSpec>) {
    this.top = [...table.values()];
    this.table = table;
  }
  private readonly table: Map<string, CommandSpec>;

  /** ACLLookupCommand: "name" or "parent|sub", case-insensitive; undefined when unknown. */
  lookup(name: string): CommandSpec | undefined {
    const parts = name.toLowerCase().split('|');
    if (parts.length > 2) return undefined;
    const base = this.table.get(parts[0]!);
    if (!base || parts.length === 1) return base;
    return base.subcommands?.find((s) => s.name === `${base.name}|${parts[1]}`);
  }

  /** Every spec, parents before their subcommands (the order rules and descriptions walk). */
  *all(): Iterable<CommandSpec> {
    for (const spec of this.top) {
      yield spec;
      if (spec.subcommands) yield* spec.subcommands;
    }
  }
}

function categoryName(name: string): string | undefined {
  const lower = name.toLowerCase();
  return ACL_CATEGORIES.includes(lower) ? lower : undefined;
}

export class Selector {
  allKeys = false;
  allChannels: boolean;
  /** SELECTOR_FLAG_ALLCOMMANDS: set by +@all, cleared by any command removed. */
  allCommands = false;
  /** The reserved "future commands" bit: +@all sets it, -@all clears it. */
  future = false;
  patterns: KeyPattern[] = [];
  channels: string[] = [];
  allowed = new Set<string>();
  /** Allowed first arguments of otherwise denied commands (+select|0). */
  firstArgs = new Map<string, string[]>();

  constructor(readonly root: boolean, allChannels: boolean) {
    this.allChannels = allChannels;
  }

  copy(): Selector {
    const s = new Selector(this.root, this.allChannels);
    s.allKeys = this.allKeys;
    s.allCommands = this.allCommands;
    s.future = this.future;
    s.patterns = this.patterns.map((p) => ({ ...p }));
    s.channels = [...this.channels];
    s.allowed = new Set(this.allowed);
    for (const [k, v] of this.firstArgs) s.firstArgs.set(k, [...v]);
    return s;
  }

  private setBit(name: string, on: boolean): void {
    if (on) this.allowed.add(name);
    else {
      this.allowed.delete(name);
      this.allCommands = false;
    }
  }

  /** ACLChangeSelectorPerm: the command and all its subcommands. */
  changePerm(spec: CommandSpec, on: boolean): void {
    this.setBit(spec.name, on);
    this.firstArgs.delete(spec.name);
    for (const sub of spec.subcommands ?? []) this.setBit(sub.name, on);
  }

  setCategory(cmds: AclCommands, cat: string, on: boolean): void {
    for (const spec of cmds.top) {
      if (spec.acl.includes(cat)) this.changePerm(spec, on);
      for (const sub of spec.subcommands ?? []) if (sub.acl.includes(cat)) this.changePerm(sub, on);
    }
  }

  setAll(cmds: AclCommands, on: boolean): void {
    this.allowed = new Set();
    if (on) for (const spec of cmds.all()) this.allowed.add(spec.name);
    this.allCommands = on;
    this.future = on;
    this.firstArgs.clear();
  }

  /** ACLSetSelector: one rule that applies to a selector. Throws RuleError. */
  apply(cmds: AclCommands, op: string): void {
    const lower = op.toLowerCase();
    if (lower === 'allkeys' || op === '~*') {
      this.allKeys = true;
      this.patterns = [];
    } else if (lower === 'resetkeys') {
      this.allKeys = false;
      this.patterns = [];
    } else if (lower === 'allchannels' || op === '&*') {
      this.allChannels = true;
      this.channels = [];
    } else if (lower === 'resetchannels') {
      this.allChannels = false;
      this.channels = [];
    } else if (lower === 'allcommands' || lower === '+@all') {
      this.setAll(cmds, true);
    } else if (lower === 'nocommands' || lower === '-@all') {
      this.setAll(cmds, false);
    } else if (op[0] === '~' || op[0] === '%') {
      this.addKeyPattern(op);
    } else if (op[0] === '&') {
      if (this.allChannels) throw new RuleError(RULE_ERRORS.channelsAfterAll);
      const pat = op.slice(1);
      if (hasSpaces(pat)) throw new RuleError(RULE_ERRORS.syntax);
      if (!this.channels.includes(pat)) this.channels.push(pat);
      this.allChannels = false;
    } else if (op[0] === '+' && op[1] !== '@') {
      this.allowCommand(cmds, op.slice(1));
    } else if (op[0] === '-' && op[1] !== '@') {
      const spec = cmds.lookup(op.slice(1));
      if (!spec) throw new RuleError(RULE_ERRORS.unknown, true);
      this.changePerm(spec, false);
    } else if ((op[0] === '+' || op[0] === '-') && op[1] === '@') {
      const cat = categoryName(op.slice(2));
      if (cat === undefined) throw new RuleError(RULE_ERRORS.unknown, true);
      this.setCategory(cmds, cat, op[0] === '+');
    } else {
      throw new RuleError(RULE_ERRORS.syntax);
    }
  }

  private addKeyPattern(op: string): void {
    if (this.allKeys) throw new RuleError(RULE_ERRORS.keysAfterAll);
    let flags = 0;
    let offset = 1;
    if (op[0] === '%') {
      for (; offset < op.length; offset++) {
        const c = op[offset]!.toUpperCase();
        if (c === 'R' && !(flags & KEY_READ)) flags |= KEY_READ;
        else if (c === 'W' && !(flags & KEY_WRITE)) flags |= KEY_WRITE;
        else if (op[offset] === '~') {
          offset++;
          break;
        } else throw new RuleError(RULE_ERRORS.syntax);
      }
    } else flags = KEY_ALL;
    const pattern = op.slice(offset);
    if (hasSpaces(pattern)) throw new RuleError(RULE_ERRORS.syntax);
    // ACLListMatchKeyPattern compares the pattern text only: a repeated pattern gains rights.
    const same = this.patterns.find((p) => p.pattern === pattern);
    if (same) same.flags |= flags;
    else this.patterns.push({ pattern, flags });
    this.allKeys = false;
  }

  private allowCommand(cmds: AclCommands, name: string): void {
    const bar = name.lastIndexOf('|');
    if (bar < 0) {
      const spec = cmds.lookup(name);
      if (!spec) throw new RuleError(RULE_ERRORS.unknown, true);
      this.changePerm(spec, true);
      return;
    }
    const spec = cmds.lookup(name.slice(0, bar));
    const sub = name.slice(bar + 1);
    if (!spec) throw new RuleError(RULE_ERRORS.unknown, true);
    if (spec.name.includes('|')) throw new RuleError(RULE_ERRORS.subFirstArg);
    if (sub === '') throw new RuleError(RULE_ERRORS.syntax);
    if (spec.subcommands) {
      const full = cmds.lookup(name);
      if (!full) throw new RuleError(RULE_ERRORS.unknown, true);
      this.changePerm(full, true);
      return;
    }
    // SELECT 0 / DEBUG OBJECT style: a first argument of an otherwise denied command.
    const list = this.firstArgs.get(spec.name) ?? [];
    if (!list.some((a) => a.toLowerCase() === sub.toLowerCase())) list.push(sub);
    this.firstArgs.set(spec.name, list);
  }

  /** Full permissions: the fast path's test. */
  get unrestricted(): boolean {
    return this.allCommands && this.allKeys && this.allChannels;
  }
}

export class AclUser {
  enabled = false;
  nopass = false;
  /** 'sanitize-payload' / 'skip-sanitize-payload' once either rule was given. */
  sanitize: '' | 'sanitize-payload' | 'skip-sanitize-payload' = '';
  passwords: string[] = [];
  selectors: Selector[];
  /** Some selector can run anything on anything: the permission check is skipped. */
  unrestricted = false;

  constructor(readonly name: string, pubsubAll: boolean) {
    this.selectors = [new Selector(true, pubsubAll)];
  }

  get root(): Selector {
    return this.selectors[0]!;
  }

  copyFrom(src: AclUser): void {
    this.enabled = src.enabled;
    this.nopass = src.nopass;
    this.sanitize = src.sanitize;
    this.passwords = [...src.passwords];
    this.selectors = src.selectors.map((s) => s.copy());
    this.refresh();
  }

  refresh(): void {
    this.unrestricted = this.selectors.some((s) => s.unrestricted);
  }

  /** The flags GETUSER lists and ACL LIST starts with, in Redis's order. */
  flagNames(): string[] {
    const out = [this.enabled ? 'on' : 'off'];
    if (this.nopass) out.push('nopass');
    if (this.sanitize === 'skip-sanitize-payload') out.push('skip-sanitize-payload');
    if (this.sanitize === 'sanitize-payload') out.push('sanitize-payload');
    return out;
  }

  /** ACLSetUser: one rule. Throws RuleError. */
  apply(cmds: AclCommands, op: string, pubsubAll: boolean): void {
    if (op === '') return;
    const lower = op.toLowerCase();
    const flagRule = USER_RULES[lower];
    if (flagRule) flagRule(this, cmds, pubsubAll);
    else if (op[0] === '>' || op[0] === '#') {
      const hash = op[0] === '>' ? hashPassword(op.slice(1)) : checkedHash(op.slice(1));
      if (!this.passwords.includes(hash)) this.passwords.push(hash);
      this.nopass = false;
    } else if (op[0] === '<' || op[0] === '!') {
      const hash = op[0] === '<' ? hashPassword(op.slice(1)) : checkedHash(op.slice(1));
      const at = this.passwords.indexOf(hash);
      if (at < 0) throw new RuleError(RULE_ERRORS.noSuchPass);
      this.passwords.splice(at, 1);
    } else if (op[0] === '(' && op[op.length - 1] === ')') {
      const sel = new Selector(false, pubsubAll);
      for (const inner of splitArgs(op.slice(1, -1)) ?? []) sel.apply(cmds, inner);
      this.selectors.push(sel);
    } else {
      this.root.apply(cmds, op);
    }
  }
}

function checkedHash(h: string): string {
  if (!/^[0-9a-f]{64}$/.test(h)) throw new RuleError(RULE_ERRORS.badHash);
  return h;
}

/** The rules that are words on the user itself (not selector rules). */
const USER_RULES: Record<string, (u: AclUser, cmds: AclCommands, pubsubAll: boolean) => void> = {
  on: (u) => (u.enabled = true),
  off: (u) => (u.enabled = false),
  'skip-sanitize-payload': (u) => (u.sanitize = 'skip-sanitize-payload'),
  'sanitize-payload': (u) => (u.sanitize = 'sanitize-payload'),
  nopass: (u) => {
    u.nopass = true;
    u.passwords = [];
  },
  resetpass: (u) => {
    u.nopass = false;
    u.passwords = [];
  },
  clearselectors: (u) => {
    u.selectors.length = 1;
  },
  reset: (u, cmds, pubsubAll) => {
    u.nopass = false;
    u.passwords = [];
    const root = u.root;
    root.allKeys = false;
    root.patterns = [];
    root.allChannels = pubsubAll;
    root.channels = [];
    u.enabled = false;
    u.sanitize = 'sanitize-payload';
    u.selectors.length = 1;
    root.setAll(cmds, false);
  },
};

/** sdssplitargs: words with "double" (escapes) and 'single' quotes; null when unbalanced. */
export function splitArgs(line: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  const n = line.length;
  const hex = (c: string) => /[0-9a-fA-F]/.test(c);
  while (true) {
    while (i < n && /\s/.test(line[i]!)) i++;
    if (i >= n) return out;
    let cur = '';
    let inq = false;
    let insq = false;
    let done = false;
    while (!done) {
      const c = line[i];
      if (inq) {
        if (c === undefined) return null;
        if (c === '\\' && line[i + 1] === 'x' && hex(line[i + 2] ?? '') && hex(line[i + 3] ?? '')) {
          cur += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16));
          i += 3;
        } else if (c === '\\' && i + 1 < n) {
          i++;
          const e = line[i]!;
          cur += ({ n: '\n', r: '\r', t: '\t', b: '\b', a: '\x07' } as Record<string, string>)[e] ?? e;
        } else if (c === '"') {
          if (i + 1 < n && !/\s/.test(line[i + 1]!)) return null;
          done = true;
        } else cur += c;
      } else if (insq) {
        if (c === undefined) return null;
        if (c === '\\' && line[i + 1] === "'") {
          i++;
          cur += "'";
        } else if (c === "'") {
          if (i + 1 < n && !/\s/.test(line[i + 1]!)) return null;
          done = true;
        } else cur += c;
      } else if (c === undefined || /\s/.test(c)) {
        done = true;
      } else if (c === '"') inq = true;
      else if (c === "'") insq = true;
      else cur += c;
      if (i < n) i++;
    }
    out.push(cur);
  }
}

/**
 * ACLMergeSelectorArguments: a selector may be spread over several arguments ("(~x" "+get)").
 * Returns the merged rules, or the index of the argument that opened an unclosed one.
 */
export function mergeSelectorArgs(args: string[]): string[] | number {
  const out: string[] = [];
  let open = -1;
  let sel = '';
  for (let j = 0; j < args.length; j++) {
    const op = args[j]!;
    if (op[0] === '(' && op[op.length - 1] !== ')') {
      sel = op;
      open = j;
      continue;
    }
    if (open !== -1) {
      sel += ` ${op}`;
      if (op[op.length - 1] === ')') {
        open = -1;
        out.push(sel);
      }
      continue;
    }
    out.push(op);
  }
  return open !== -1 ? open : out;
}

// --- describing users (ACL LIST, ACL SAVE, GETUSER) -------------------------------------------------

function patternText(p: KeyPattern): string {
  const prefix = p.flags === KEY_ALL ? '~' : p.flags === KEY_READ ? '%R~' : '%W~';
  return prefix + p.pattern;
}

export function keysText(s: Selector): string {
  return s.allKeys ? '~*' : s.patterns.map(patternText).join(' ');
}

export function channelsText(s: Selector): string {
  return s.allChannels ? '&*' : s.channels.map((c) => `&${c}`).join(' ');
}

function countCategory(cmds: AclCommands, allowed: Set<string>, cat: string): [number, number] {
  let on = 0;
  let off = 0;
  for (const spec of cmds.all()) {
    if (!spec.acl.includes(cat)) continue;
    if (allowed.has(spec.name)) on++;
    else off++;
  }
  return [on, off];
}

/**
 * ACLDescribeSelectorCommandRules: +@all or -@all, then the categories that fit best, then single
 * commands until a fresh selector given the rules has exactly this one's commands.
 */
export function commandRules(cmds: AclCommands, sel: Selector): string {
  const additive = !sel.future;
  const rules: string[] = [additive ? '-@all' : '+@all'];
  const fake = new Selector(false, false);
  fake.setAll(cmds, !additive);
  const temp = new Selector(false, false);
  temp.allowed = new Set(sel.allowed);
  const applied = new Set<string>();
  for (;;) {
    let best: string | null = null;
    let minDiff = Infinity;
    let maxSame = 0;
    for (const cat of ACL_CATEGORIES) {
      if (applied.has(cat)) continue;
      const [on, off] = countCategory(cmds, temp.allowed, cat);
      const diff = additive ? off : on;
      const same = additive ? on : off;
      if (same > diff && (diff < minDiff || (diff === minDiff && same > maxSame))) {
        best = cat;
        minDiff = diff;
        maxSame = same;
      }
    }
    if (best === null) break;
    fake.setCategory(cmds, best, additive);
    temp.setCategory(cmds, best, !additive);
    rules.push(`${additive ? '+' : '-'}@${best}`);
    applied.add(best);
  }
  const single = (spec: CommandSpec) => {
    const userBit = sel.allowed.has(spec.name);
    if (userBit !== fake.allowed.has(spec.name)) {
      rules.push(`${userBit ? '+' : '-'}${spec.name}`);
      fake.changePerm(spec, userBit);
    }
    for (const sub of spec.subcommands ?? []) single(sub);
    const firsts = sel.firstArgs.get(spec.name);
    if (!userBit && firsts) for (const a of firsts) rules.push(`+${spec.name}|${a}`);
  };
  for (const spec of cmds.top) single(spec);
  return rules.join(' ');
}

/** ACLDescribeSelector: keys, channels, commands. */
function describeSelector(cmds: AclCommands, s: Selector): string {
  let out = '';
  if (s.allKeys) out += '~* ';
  else for (const p of s.patterns) out += `${patternText(p)} `;
  if (s.allChannels) out += '&* ';
  else {
    out += 'resetchannels ';
    for (const c of s.channels) out += `&${c} `;
  }
  return out + commandRules(cmds, s);
}

/** ACLDescribeUser: the rule line ACL LIST shows after "user <name> ". */
export function describeUser(cmds: AclCommands, u: AclUser): string {
  let out = '';
  for (const f of u.flagNames()) out += `${f} `;
  for (const p of u.passwords) out += `#${p} `;
  for (const s of u.selectors) out += s.root ? describeSelector(cmds, s) : ` (${describeSelector(cmds, s)})`;
  return out;
}

// --- the per-engine state -------------------------------------------------------------------------

export class AclState {
  readonly users = new Map<string, AclUser>();
  readonly defaultUser: AclUser;
  readonly cmds: AclCommands;
  readonly log: AclLog;

  constructor(readonly engine: Engine) {
    this.cmds = new AclCommands(engine.commands);
    this.log = new AclLog(engine);
    this.defaultUser = this.createDefault();
    this.users.set('default', this.defaultUser);
  }

  get pubsubAll(): boolean {
    return this.engine.config.get('acl-pubsub-default') === 'allchannels';
  }

  newUser(name: string): AclUser {
    return new AclUser(name, this.pubsubAll);
  }

  /** ACLCreateDefaultUser: +@all ~* &* on nopass. */
  createDefault(): AclUser {
    const u = this.newUser('default');
    for (const op of ['+@all', '~*', '&*', 'on', 'nopass']) u.apply(this.cmds, op, this.pubsubAll);
    u.refresh();
    return u;
  }

  /** The user a client runs as. */
  userOf(client: Client): AclUser {
    return client.aclUser ?? this.defaultUser;
  }

  /** authRequired(): the default user needs a password or is off. */
  get authRequired(): boolean {
    return !this.defaultUser.nopass || !this.defaultUser.enabled;
  }

  /** Recomputes the dispatch flag after users changed. */
  refresh(): void {
    let restricted = false;
    for (const u of this.users.values()) {
      u.refresh();
      if (!u.unrestricted) restricted = true;
    }
    this.engine.aclRestricted = restricted;
  }

  /** What went wrong applying the configuration's users or aclfile at start (`redscope server` refuses to start). */
  readonly startupErrors: string[] = [];

  /** ACLStringSetUser: all rules on a copy, then the copy replaces (or becomes) the user. */
  setUser(name: string, rules: string[]): string | null {
    const merged = mergeSelectorArgs(rules);
    if (typeof merged === 'number') return `Unmatched parenthesis in acl selector starting at '${rules[merged]}'.`;
    const existing = this.users.get(name);
    const temp = this.newUser(name);
    if (existing) temp.copyFrom(existing);
    for (const op of merged) {
      try {
        temp.apply(this.cmds, op, this.pubsubAll);
      } catch (err) {
        if (!(err instanceof RuleError)) throw err;
        return `Error in ACL SETUSER modifier '${op}': ${err.reason}`;
      }
    }
    temp.refresh();
    if (existing) {
      this.killPubsubClientsIfNeeded(temp, existing);
      existing.copyFrom(temp);
    } else this.users.set(name, temp);
    this.refresh();
    return null;
  }

  /** ACLCheckUserCredentials: the user when name and password fit, else null. */
  checkCredentials(name: string, pass: string): AclUser | null {
    const u = this.users.get(name);
    if (!u || !u.enabled) return null;
    if (u.nopass) return u;
    const h = hashPassword(pass);
    return u.passwords.includes(h) ? u : null;
  }

  /** ACLAuthenticateUser; a failure goes to the ACL log. */
  authenticate(client: Client, name: string, pass: string, object: string): boolean {
    const u = this.checkCredentials(name, pass);
    if (!u) {
      this.log.add(client, 'auth', client.multi ? 'multi' : 'toplevel', object, name);
      return false;
    }
    setClientUser(client, u, this.defaultUser);
    client.authenticated = true;
    return true;
  }

  /** ACLFreeUserAndKillClients: the caller closes after its reply, others at once. */
  killClientsOf(u: AclUser): void {
    const running = this.engine.runningClient;
    for (const c of [...this.engine.clients.values()]) {
      if (this.userOf(c) !== u) continue;
      setClientUser(c, this.defaultUser, this.defaultUser);
      c.authenticated = false;
      if (c === running) c.closeAfterReply = true;
      else freeClientNow(this.engine, c);
    }
  }

  deleteUsers(names: string[]): number {
    let n = 0;
    for (const name of names) {
      const u = this.users.get(name);
      if (!u) continue;
      this.users.delete(name);
      this.killClientsOf(u);
      n++;
    }
    this.refresh();
    return n;
  }

  /** ACLKillPubsubClientsIfNeeded: subscribers whose channels the new rules no longer allow. */
  private killPubsubClientsIfNeeded(next: AclUser, orig: AclUser): void {
    if (next.selectors.some((s) => s.allChannels)) return;
    const upcoming = next.selectors.flatMap((s) => s.channels);
    const kept = orig.selectors.every((s) => !s.allChannels && s.channels.every((c) => upcoming.includes(c)));
    if (kept) return;
    for (const c of [...this.engine.clients.values()]) {
      if (this.userOf(c) !== orig || c.subscriptionCount === 0) continue;
      const bad =
        [...c.patterns].some((p) => !upcoming.includes(p)) ||
        [...c.channels, ...shardChannelsOf(c)].some((ch) => !upcoming.some((p) => globMatchChannel(p, ch)));
      if (bad) freeClientNow(this.engine, c);
    }
  }

  /** Sorted as Redis's radix tree walks them (byte order). */
  sortedUsers(): AclUser[] {
    return [...this.users.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** ACLUpdateDefaultUserPassword: requirepass keeps the default user's password. */
  updateDefaultPassword(pass: string): void {
    const u = this.defaultUser;
    u.apply(this.cmds, 'resetpass', this.pubsubAll);
    u.apply(this.cmds, pass === '' ? 'nopass' : `>${pass}`, this.pubsubAll);
  }

  /** ACL LOAD: replaces every user, or nothing on error (returns the error text). */
  loadFile(path: string): string | null {
    const result = loadAclFile(this, path);
    if (typeof result === 'string') return result;
    const old = [...this.users.values()];
    const nextDefault = result.get('default') ?? this.createDefault();
    this.defaultUser.copyFrom(nextDefault);
    result.set('default', this.defaultUser);
    this.users.clear();
    for (const [k, v] of result) this.users.set(k, v);
    for (const u of old) if (u !== this.defaultUser) this.killClientsOf(u);
    this.refresh();
    return null;
  }
}

function globMatchChannel(pattern: string, channel: string): boolean {
  return globMatch(pattern, channel);
}

function shardChannelsOf(c: Client): Iterable<string> {
  return shardChannels(c);
}

/** Points a client at a user (null stands for the default user). */
export function setClientUser(client: Client, u: AclUser, defaultUser: AclUser): void {
  client.aclUser = u === defaultUser ? null : u;
  client.user = u.name;
}

const states = new WeakMap<Engine, AclState>();

/**
 * The engine's ACL, made by the Engine constructor: the default user takes requirepass's password
 * and follows later CONFIG SET requirepass; the configuration's `user` lines or the aclfile are
 * applied (problems land in startupErrors); Engine.requiresAuth asks the default user.
 */
export function aclOf(engine: Engine): AclState {
  let st = states.get(engine);
  if (st) return st;
  const made = new AclState(engine);
  states.set(engine, (st = made));
  const pass = engine.config.get('requirepass');
  if (pass !== '') made.updateDefaultPassword(pass);
  const file = engine.config.get('aclfile');
  if (file !== '' && engine.config.users.length > 0) {
    made.startupErrors.push('users are declared both in the configuration (user directives) and in an aclfile: keep one of the two');
  } else if (file !== '') {
    const err = made.loadFile(aclFilePath(engine));
    if (err) {
      engine.emit('log', 'warning', `Aborting ACL load because of ACL errors: ${err}`);
      made.startupErrors.push(`cannot load aclfile ${aclFilePath(engine)}: ${err}`);
    }
  }
  for (const [name, ...rules] of engine.config.users) {
    if (file !== '') break;
    const err = made.setUser(name!, rules);
    if (err) made.startupErrors.push(`error in user declaration '${name}': ${err}`);
  }
  engine.config.onChange((name, value) => {
    if (name === 'requirepass') {
      made.updateDefaultPassword(value);
      made.refresh();
    }
  });
  made.refresh();
  return st;
}

/** The engine's ACL, or undefined before its constructor made it. */
export function aclIfInstalled(engine: Engine): AclState | undefined {
  return states.get(engine);
}

/** aclfile, relative paths from `dir` (Redis chdirs there). */
export function aclFilePath(engine: Engine): string {
  return resolve(engine.config.get('dir') || '.', engine.config.get('aclfile'));
}
