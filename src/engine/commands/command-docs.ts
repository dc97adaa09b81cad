// What the server tells clients about its commands: COMMAND INFO, COMMAND DOCS, COMMAND LIST and
// COMMAND GETKEYS. Arity, flags, ACL categories and the legacy key positions come from the live
// command table (each family's CommandSpec), so whatever is registered is described. Everything
// else Redis 7.0 reports per command (key specs, tips, documentation metadata, the argument tree)
// comes from COMMAND_META below, keyed by full command name ("config|get").
//
// COMMAND_META holds facts read from a real Redis 7.0.15 (versions, key specs, tips, argument
// structure), written compactly so one command fits one line; summaries and complexity notes are
// our own short wording. Redis's version-history prose and key-spec notes are not reproduced, so
// COMMAND DOCS has no "history" field and key specs carry no "notes".
//
// Compact notations:
//   key spec  "<flags> <begin> <find>": flags comma-separated (RW,access,update); begin is
//             i<index> | k<KEYWORD>,<startfrom> | u (unknown); find is r<lastkey>,<keystep>,<limit> |
//             n<keynumidx>,<firstkey>,<keystep> | u (unknown).
//   arguments space-separated "<prefix><name>=<type>[<key spec index>][@token][#since][!deprecated](...)":
//             prefix ? optional, * multiple, + multiple_token; type s string, i integer, d double,
//             k key, p pattern, t unix-time, T pure-token, O oneof, B block; "(...)" holds the
//             arguments of a oneof/block.

import type { ReplyWriter } from '../../formats/resp/reply-writer.js';
import type { CommandFlag, CommandSpec } from '../command.js';
import { globMatch } from '../glob.js';

interface Meta {
  since: string;
  group: string;
  complexity: string | null;
  summary: string;
  /** Key specs in the compact notation. */
  ks?: string[];
  /** Space-separated command tips. */
  tips?: string;
  /** Space-separated doc flags (deprecated, syscmd). */
  doc?: string;
  /** [deprecated since, what replaces it] */
  dep?: [string, string];
  /** The argument tree in the compact notation. */
  args?: string;
}

function m(since: string, group: string, complexity: string | null, summary: string, extra: Partial<Meta> = {}): Meta {
  return { since, group, complexity, summary, ...extra };
}

// --- parsed forms -------------------------------------------------------------------------------

export type BeginSearch = { type: 'index'; index: number } | { type: 'keyword'; keyword: string; startfrom: number } | { type: 'unknown' };
export type FindKeys =
  | { type: 'range'; lastkey: number; keystep: number; limit: number }
  | { type: 'keynum'; keynumidx: number; firstkey: number; keystep: number }
  | { type: 'unknown' };

export interface KeySpec {
  flags: string[];
  bs: BeginSearch;
  fk: FindKeys;
}

export interface ArgDoc {
  name: string;
  type: string;
  keySpecIndex?: number;
  token?: string;
  since?: string;
  deprecatedSince?: string;
  flags: string[];
  args?: ArgDoc[];
}

function parseKeySpec(text: string): KeySpec {
  const [flags, begin, find] = text.split(' ') as [string, string, string];
  const nums = (s: string) => s.slice(1).split(',').map(Number);
  let bs: BeginSearch = { type: 'unknown' };
  if (begin[0] === 'i') bs = { type: 'index', index: Number(begin.slice(1)) };
  else if (begin[0] === 'k') {
    const comma = begin.lastIndexOf(',');
    bs = { type: 'keyword', keyword: begin.slice(1, comma), startfrom: Number(begin.slice(comma + 1)) };
  }
  let fk: FindKeys = { type: 'unknown' };
  if (find[0] === 'r') {
    const [lastkey, keystep, limit] = nums(find) as [number, number, number];
    fk = { type: 'range', lastkey, keystep, limit };
  } else if (find[0] === 'n') {
    const [keynumidx, firstkey, keystep] = nums(find) as [number, number, number];
    fk = { type: 'keynum', keynumidx, firstkey, keystep };
  }
  return { flags: flags.split(','), bs, fk };
}

const ARG_TYPES: Record<string, string> = {
  s: 'string', i: 'integer', d: 'double', k: 'key', p: 'pattern', t: 'unix-time', T: 'pure-token', O: 'oneof', B: 'block',
};
const ARG_FLAGS: Record<string, string> = { '?': 'optional', '*': 'multiple', '+': 'multiple_token' };

function parseArgs(src: string): ArgDoc[] {
  let i = 0;
  const readUntil = (stops: string): string => {
    const start = i;
    while (i < src.length && !stops.includes(src[i]!)) i++;
    return src.slice(start, i);
  };
  const one = (): ArgDoc => {
    const flags: string[] = [];
    while (ARG_FLAGS[src[i]!]) flags.push(ARG_FLAGS[src[i++]!]!);
    const name = readUntil('=');
    i++;
    const arg: ArgDoc = { name, type: ARG_TYPES[src[i++]!]!, flags };
    const digits = readUntil(' ()@#!');
    if (digits) arg.keySpecIndex = Number(digits);
    while (i < src.length && '@#!'.includes(src[i]!)) {
      const mark = src[i++];
      const value = readUntil(' ()#!');
      if (mark === '@') arg.token = value;
      else if (mark === '#') arg.since = value;
      else arg.deprecatedSince = value;
    }
    if (src[i] === '(') {
      i++;
      arg.args = list();
    }
    return arg;
  };
  const list = (): ArgDoc[] => {
    const out: ArgDoc[] = [];
    while (i < src.length) {
      if (src[i] === ' ') i++;
      else if (src[i] === ')') {
        i++;
        return out;
      } else out.push(one());
    }
    return out;
  };
  return list();
}

const keySpecCache = new Map<string, KeySpec[]>();
const argCache = new Map<string, ArgDoc[]>();

/** Redis's documentation metadata for a command, when it is a Redis 7.0 command. */
export function commandMeta(name: string): Meta | undefined {
  return Object.prototype.hasOwnProperty.call(COMMAND_META, name) ? COMMAND_META[name] : undefined;
}

/**
 * The command's key specs: Redis 7.0's when known, otherwise derived from the legacy
 * (first, last, step) positions with flags inferred from write/readonly.
 */
export function keySpecs(spec: CommandSpec): KeySpec[] {
  const cached = keySpecCache.get(spec.name);
  if (cached) return cached;
  const meta = commandMeta(spec.name);
  let specs: KeySpec[];
  if (meta) specs = (meta.ks ?? []).map(parseKeySpec);
  else if (spec.firstKey > 0) {
    specs = [
      {
        flags: spec.flags.includes('write') ? ['RW', 'access', 'update'] : ['RO', 'access'],
        bs: { type: 'index', index: spec.firstKey },
        fk: { type: 'range', lastkey: spec.lastKey < 0 ? spec.lastKey : spec.lastKey - spec.firstKey, keystep: spec.step, limit: 0 },
      },
    ];
  } else specs = [];
  keySpecCache.set(spec.name, specs);
  return specs;
}

function argDocs(meta: Meta): ArgDoc[] {
  let args = argCache.get(meta.args!);
  if (!args) argCache.set(meta.args!, (args = parseArgs(meta.args!)));
  return args;
}

// --- COMMAND INFO ----------------------------------------------------------------------------

/** The order COMMAND INFO lists flags in (Redis's flag bit order); may_replicate is never shown. */
const FLAG_ORDER: Array<CommandFlag | 'module' | 'asking'> = [
  'write', 'readonly', 'denyoom', 'module', 'admin', 'pubsub', 'noscript', 'blocking', 'loading', 'stale',
  'skip_monitor', 'skip_slowlog', 'asking', 'fast', 'no_auth', 'no_mandatory_keys', 'no_async_loading',
  'no_multi', 'movablekeys', 'allow_busy',
];

/** The order of ACL categories (Redis's category table). */
export const ACL_CATEGORIES = [
  'keyspace', 'read', 'write', 'set', 'sortedset', 'list', 'hash', 'string', 'bitmap', 'hyperloglog', 'geo',
  'stream', 'pubsub', 'admin', 'fast', 'slow', 'blocking', 'dangerous', 'connection', 'transaction', 'scripting',
];

function inOrder(items: readonly string[], order: readonly string[]): string[] {
  const have = new Set(items);
  return order.filter((x) => have.has(x));
}

function writeStatusSet(reply: ReplyWriter, items: string[]): void {
  reply.setLen(items.length);
  for (const it of items) reply.simple(it);
}

function writeKeySpec(reply: ReplyWriter, ks: KeySpec): void {
  reply.mapLen(3);
  reply.bulk('flags');
  writeStatusSet(reply, ks.flags);
  reply.bulk('begin_search');
  reply.mapLen(2);
  reply.bulk('type');
  reply.bulk(ks.bs.type);
  reply.bulk('spec');
  if (ks.bs.type === 'index') {
    reply.mapLen(1);
    reply.bulk('index');
    reply.int(ks.bs.index);
  } else if (ks.bs.type === 'keyword') {
    reply.mapLen(2);
    reply.bulk('keyword');
    reply.bulk(ks.bs.keyword);
    reply.bulk('startfrom');
    reply.int(ks.bs.startfrom);
  } else reply.mapLen(0);
  reply.bulk('find_keys');
  reply.mapLen(2);
  reply.bulk('type');
  reply.bulk(ks.fk.type);
  reply.bulk('spec');
  if (ks.fk.type === 'range') {
    reply.mapLen(3);
    reply.bulk('lastkey');
    reply.int(ks.fk.lastkey);
    reply.bulk('keystep');
    reply.int(ks.fk.keystep);
    reply.bulk('limit');
    reply.int(ks.fk.limit);
  } else if (ks.fk.type === 'keynum') {
    reply.mapLen(3);
    reply.bulk('keynumidx');
    reply.int(ks.fk.keynumidx);
    reply.bulk('firstkey');
    reply.int(ks.fk.firstkey);
    reply.bulk('keystep');
    reply.int(ks.fk.keystep);
  } else reply.mapLen(0);
}

/** One COMMAND INFO entry (a null for an unknown command), subcommands included. */
export function writeCommandInfo(reply: ReplyWriter, spec: CommandSpec | undefined): void {
  if (!spec) {
    reply.nullBulk();
    return;
  }
  const meta = commandMeta(spec.name);
  reply.arrayLen(10);
  reply.bulk(spec.name);
  reply.int(spec.arity);
  writeStatusSet(reply, inOrder(spec.flags, FLAG_ORDER));
  reply.int(spec.firstKey);
  reply.int(spec.lastKey);
  reply.int(spec.step);
  writeStatusSet(reply, inOrder(spec.acl, ACL_CATEGORIES).map((c) => `@${c}`));
  const tips = meta?.tips ? meta.tips.split(' ') : [];
  reply.setLen(tips.length);
  for (const t of tips) reply.bulk(t);
  const specs = keySpecs(spec);
  reply.setLen(specs.length);
  for (const ks of specs) writeKeySpec(reply, ks);
  const subs = spec.subcommands ?? [];
  if (subs.length === 0) reply.setLen(0);
  else {
    reply.arrayLen(subs.length);
    for (const sub of subs) writeCommandInfo(reply, sub);
  }
}

// --- COMMAND DOCS ----------------------------------------------------------------------------

/** Redis's group names for COMMAND DOCS (family tables may use an underscore spelling). */
function groupName(spec: CommandSpec, meta: Meta | undefined): string {
  return meta?.group ?? spec.group.replace(/_/g, '-');
}

function writeArgs(reply: ReplyWriter, args: ArgDoc[]): void {
  reply.arrayLen(args.length);
  for (const a of args) {
    const fields: Array<[string, () => void]> = [
      ['name', () => reply.bulk(a.name)],
      ['type', () => reply.bulk(a.type)],
    ];
    if (a.keySpecIndex !== undefined) fields.push(['key_spec_index', () => reply.int(a.keySpecIndex!)]);
    if (a.token !== undefined) fields.push(['token', () => reply.bulk(a.token!)]);
    if (a.since !== undefined) fields.push(['since', () => reply.bulk(a.since!)]);
    if (a.deprecatedSince !== undefined) fields.push(['deprecated_since', () => reply.bulk(a.deprecatedSince!)]);
    if (a.flags.length) fields.push(['flags', () => writeStatusSet(reply, a.flags)]);
    if (a.args) fields.push(['arguments', () => writeArgs(reply, a.args!)]);
    reply.mapLen(fields.length);
    for (const [k, write] of fields) {
      reply.bulk(k);
      write();
    }
  }
}

/** The COMMAND DOCS map of one command (without its name), subcommands included. */
export function writeCommandDocs(reply: ReplyWriter, spec: CommandSpec): void {
  const meta = commandMeta(spec.name);
  const fields: Array<[string, () => void]> = [
    // redis-cli needs a summary for every command it lists in its help.
    ['summary', () => reply.bulk(meta?.summary ?? `The ${spec.name.replace('|', ' ').toUpperCase()} command`)],
  ];
  if (meta) fields.push(['since', () => reply.bulk(meta.since)]);
  fields.push(['group', () => reply.bulk(groupName(spec, meta))]);
  if (meta?.complexity) fields.push(['complexity', () => reply.bulk(meta.complexity!)]);
  if (meta?.doc) fields.push(['doc_flags', () => writeStatusSet(reply, meta.doc!.split(' '))]);
  if (meta?.dep) {
    fields.push(['deprecated_since', () => reply.bulk(meta.dep![0])]);
    fields.push(['replaced_by', () => reply.bulk(meta.dep![1])]);
  }
  if (meta?.args) fields.push(['arguments', () => writeArgs(reply, argDocs(meta))]);
  const subs = spec.subcommands ?? [];
  if (subs.length)
    fields.push([
      'subcommands',
      () => {
        reply.mapLen(subs.length);
        for (const sub of subs) {
          reply.bulk(sub.name);
          writeCommandDocs(reply, sub);
        }
      },
    ]);
  reply.mapLen(fields.length);
  for (const [k, write] of fields) {
    reply.bulk(k);
    write();
  }
}

// --- lookup, COMMAND LIST --------------------------------------------------------------------

/** Finds a command by its full name ("get", "config|get"), case-insensitively (lookupCommandBySds). */
export function lookupByFullName(table: Map<string, CommandSpec>, fullName: string): CommandSpec | undefined {
  const parts = fullName.toLowerCase().split('|');
  if (parts.length > 2) return undefined;
  const base = table.get(parts[0]!);
  if (!base || parts.length === 1) return base;
  return base.subcommands?.find((s) => s.name === `${parts[0]}|${parts[1]}`);
}

/** Every command and subcommand, parents before their subcommands. */
export function allCommands(table: Map<string, CommandSpec>): CommandSpec[] {
  const out: CommandSpec[] = [];
  for (const spec of table.values()) {
    out.push(spec);
    for (const sub of spec.subcommands ?? []) out.push(sub);
  }
  return out;
}

export type ListFilter = { by: 'module' | 'aclcat' | 'pattern'; arg: string } | null;

/** COMMAND LIST names, filtered as FILTERBY asks (no modules here: MODULE matches nothing). */
export function listCommands(table: Map<string, CommandSpec>, filter: ListFilter): string[] {
  const keep = (spec: CommandSpec): boolean => {
    if (!filter) return true;
    if (filter.by === 'module') return false;
    if (filter.by === 'aclcat') return spec.acl.includes(filter.arg.toLowerCase());
    return globMatch(filter.arg, spec.name, true);
  };
  return allCommands(table).filter(keep).map((s) => s.name);
}

// --- COMMAND GETKEYS ---------------------------------------------------------------------------

export interface KeyRef {
  pos: number;
  flags: string[];
}

/** Commands whose keys Redis finds with a dedicated procedure (specs incomplete or flags variable). */
const KEY_PROCS: Record<string, (argv: string[]) => KeyRef[]> = {
  set: (argv) => {
    const get = argv.slice(3).some((a) => a.toLowerCase() === 'get');
    return [{ pos: 1, flags: get ? ['RW', 'access', 'update'] : ['OW', 'update'] }];
  },
  bitfield: (argv) => {
    let readonly = true;
    for (let i = 2; i < argv.length; i++) {
      const rem = argv.length - i - 1;
      const a = argv[i]!.toLowerCase();
      if (a === 'get' && rem >= 2) i += 2;
      else if ((a === 'set' || a === 'incrby') && rem >= 3) {
        readonly = false;
        break;
      } else if (a === 'overflow' && rem >= 1) i += 1;
      else {
        readonly = false;
        break;
      }
    }
    return [{ pos: 1, flags: readonly ? ['RO', 'access'] : ['RW', 'access', 'update'] }];
  },
  sort: (argv) => {
    const keys: KeyRef[] = [{ pos: 1, flags: ['RO', 'access'] }];
    let store: KeyRef | null = null;
    const skip: Record<string, number> = { limit: 2, get: 1, by: 1 };
    for (let i = 2; i < argv.length; i++) {
      const a = argv[i]!.toLowerCase();
      if (skip[a] !== undefined) i += skip[a]!;
      else if (a === 'store' && i + 1 < argv.length) store = { pos: i + 1, flags: ['OW', 'update'] };
    }
    if (store) keys.push(store);
    return keys;
  },
  sort_ro: () => [{ pos: 1, flags: ['RO', 'access'] }],
  migrate: (argv) => {
    let first = 3;
    let num = 1;
    const skip: Record<string, number> = { copy: 0, replace: 0, auth: 1, auth2: 2 };
    for (let i = 6; i < argv.length; i++) {
      const a = argv[i]!.toLowerCase();
      if (a === 'keys') {
        if (argv[3]!.length > 0) num = 0;
        else {
          first = i + 1;
          num = argv.length - first;
        }
        break;
      }
      if (skip[a] !== undefined) i += skip[a]!;
    }
    return Array.from({ length: num }, (_, k) => ({ pos: first + k, flags: ['RW', 'access', 'delete'] }));
  },
};

/** The key-spec walk (getKeysUsingKeySpecs): null when a spec cannot be applied. */
function keysFromSpecs(specs: KeySpec[], argv: string[]): KeyRef[] | null {
  const out: KeyRef[] = [];
  const argc = argv.length;
  for (const ks of specs) {
    if (ks.flags.includes('not_key')) continue;
    let first = 0;
    if (ks.bs.type === 'index') first = ks.bs.index;
    else if (ks.bs.type === 'keyword') {
      const { keyword, startfrom } = ks.bs;
      const start = startfrom > 0 ? startfrom : argc + startfrom;
      const end = startfrom > 0 ? argc - 1 : 1;
      for (let i = start; i !== end; i = start <= end ? i + 1 : i - 1) {
        if (i >= argc || i < 1) break;
        if (argv[i]!.toLowerCase() === keyword.toLowerCase()) {
          first = i + 1;
          break;
        }
      }
      if (!first) continue;
    } else return null;
    let last: number;
    let step: number;
    if (ks.fk.type === 'range') {
      step = ks.fk.keystep;
      if (ks.fk.lastkey >= 0) last = first + ks.fk.lastkey;
      else if (!ks.fk.limit) last = argc + ks.fk.lastkey;
      else last = first + (Math.floor((argc - first) / ks.fk.limit) + ks.fk.lastkey);
    } else if (ks.fk.type === 'keynum') {
      step = ks.fk.keystep;
      if (ks.fk.keynumidx >= argc) return null;
      const text = argv[first + ks.fk.keynumidx];
      if (text === undefined || !/^(0|-?[1-9]\d*)$/.test(text) || Number(text) < 0) return null;
      first += ks.fk.firstkey;
      last = first + Number(text) - 1;
    } else return null;
    if (last >= argc || last < first || first >= argc) return null;
    for (let i = first; i <= last; i += step) out.push({ pos: i, flags: ks.flags });
    if (ks.flags.includes('incomplete')) return null;
  }
  return out;
}

/** True when COMMAND GETKEYS can say anything about the command (doesCommandHaveKeys). */
export function commandHasKeys(spec: CommandSpec): boolean {
  return spec.name in KEY_PROCS || keySpecs(spec).some((ks) => !ks.flags.includes('not_key'));
}

/** The key arguments of a full command line (getKeysFromCommandWithSpecs). */
export function commandKeys(spec: CommandSpec, argv: string[]): KeyRef[] {
  const specs = keySpecs(spec);
  const usable = specs.some((ks) => !ks.flags.includes('not_key'));
  const variable = specs.some((ks) => ks.flags.includes('variable_flags'));
  if (usable && !variable) {
    const keys = keysFromSpecs(specs, argv);
    if (keys) return keys;
  }
  return KEY_PROCS[spec.name]?.(argv) ?? [];
}

// --- the table ---------------------------------------------------------------------------------

export const COMMAND_META: Record<string, Meta> = {
  'acl': m('6.0.0', 'server', 'depends on the subcommand', 'Container for access-control-list subcommands'),
  'acl|cat': m('6.0.0', 'server', 'O(1)', 'Lists ACL categories, or the commands inside one category', { args: '?categoryname=s' }),
  'acl|deluser': m('6.0.0', 'server', 'O(1)', 'Removes ACL users and disconnects their clients', { args: '*username=s' }),
  'acl|dryrun': m('7.0.0', 'server', 'O(1)', 'Checks whether a user could run a command, without running it', { args: 'username=s command=s ?*arg=s' }),
  'acl|genpass': m('6.0.0', 'server', 'O(1)', 'Produces a random password suitable for ACL users', { args: '?bits=i' }),
  'acl|getuser': m('6.0.0', 'server', 'O(N)', 'Shows the rules of one ACL user', { args: 'username=s' }),
  'acl|help': m('6.0.0', 'server', 'O(1)', 'Describes the ACL subcommands'),
  'acl|list': m('6.0.0', 'server', 'O(N)', 'Dumps every ACL user as a rule line'),
  'acl|load': m('6.0.0', 'server', 'O(N)', 'Reloads the users from the configured ACL file'),
  'acl|log': m('6.0.0', 'server', 'O(N)', 'Shows or clears recent ACL denials', { args: '?operation=O(count=i reset=T@RESET)' }),
  'acl|save': m('6.0.0', 'server', 'O(N)', 'Writes the current users to the configured ACL file'),
  'acl|setuser': m('6.0.0', 'server', 'O(N)', 'Creates or changes an ACL user', { args: 'username=s ?*rule=s' }),
  'acl|users': m('6.0.0', 'server', 'O(N)', 'Lists the names of all ACL users'),
  'acl|whoami': m('6.0.0', 'server', 'O(1)', 'Names the user of the current connection'),
  'append': m('2.0.0', 'string', 'O(1)', 'Adds bytes to the end of a string, creating it when absent', { ks: ['RW,insert i1 r0,1,0'], args: 'key=k0 value=s' }),
  'asking': m('3.0.0', 'cluster', 'O(1)', 'Marks the connection as following an ASK redirect (cluster)'),
  'auth': m('1.0.0', 'connection', 'O(N)', 'Authenticates the connection', { args: '?username=s#6.0.0 password=s' }),
  'bgrewriteaof': m('1.0.0', 'server', 'O(1)', 'Starts rewriting the append-only file in the background'),
  'bgsave': m('1.0.0', 'server', 'O(1)', 'Starts writing a snapshot to disk in the background', { args: '?schedule=T@SCHEDULE#3.2.2' }),
  'bitcount': m('2.6.0', 'bitmap', 'O(N)', 'Counts the set bits of a string, optionally within a range', { ks: ['RO,access i1 r0,1,0'], args: 'key=k0 ?index=B(start=i end=i ?index_unit=O#7.0.0(byte=T@BYTE bit=T@BIT))' }),
  'bitfield': m('3.2.0', 'bitmap', 'O(1)', 'Reads, writes and increments integer fields packed in a string', { ks: ['RW,access,update,variable_flags i1 r0,1,0'], args: 'key=k0 ?*operation=O(encoding_offset=B@GET(encoding=s offset=i) write=B(?wrap_sat_fail=O@OVERFLOW(wrap=T@WRAP sat=T@SAT fail=T@FAIL) write_operation=O(encoding_offset_value=B@SET(encoding=s offset=i value=i) encoding_offset_increment=B@INCRBY(encoding=s offset=i increment=i))))' }),
  'bitfield_ro': m('6.0.0', 'bitmap', 'O(1)', 'Reads integer fields packed in a string', { ks: ['RO,access i1 r0,1,0'], args: 'key=k0 ?*+encoding_offset=B@GET(encoding=s offset=i)' }),
  'bitop': m('2.6.0', 'bitmap', 'O(N)', 'Combines strings bitwise (AND, OR, XOR, NOT) into a destination key', { ks: ['OW,update i2 r0,1,0', 'RO,access i3 r-1,1,0'], args: 'operation=s destkey=k0 *key=k1' }),
  'bitpos': m('2.8.7', 'bitmap', 'O(N)', 'Finds the first bit with the given value', { ks: ['RO,access i1 r0,1,0'], args: 'key=k0 bit=i ?index=B(start=i ?end_index=B(end=i ?index_unit=O#7.0.0(byte=T@BYTE bit=T@BIT)))' }),
  'blmove': m('6.2.0', 'list', 'O(1)', 'Moves an element between lists, waiting while the source is empty', { ks: ['RW,access,delete i1 r0,1,0', 'RW,insert i2 r0,1,0'], args: 'source=k0 destination=k1 wherefrom=O(left=T@LEFT right=T@RIGHT) whereto=O(left=T@LEFT right=T@RIGHT) timeout=d' }),
  'blmpop': m('7.0.0', 'list', 'O(N+M)', 'Pops elements from the first non-empty list, waiting while all are empty', { ks: ['RW,access,delete i2 n0,1,1'], args: 'timeout=d numkeys=i *key=k0 where=O(left=T@LEFT right=T@RIGHT) ?count=i@COUNT' }),
  'blpop': m('2.0.0', 'list', 'O(N)', 'Removes the head of the first non-empty list, waiting while all are empty', { ks: ['RW,access,delete i1 r-2,1,0'], args: '*key=k0 timeout=d' }),
  'brpop': m('2.0.0', 'list', 'O(N)', 'Removes the tail of the first non-empty list, waiting while all are empty', { ks: ['RW,access,delete i1 r-2,1,0'], args: '*key=k0 timeout=d' }),
  'brpoplpush': m('2.2.0', 'list', 'O(1)', 'Moves a list tail to another list head, waiting while the source is empty', { ks: ['RW,access,delete i1 r0,1,0', 'RW,insert i2 r0,1,0'], doc: 'deprecated', dep: ['6.2.0', 'BLMOVE with RIGHT LEFT'], args: 'source=k0 destination=k1 timeout=d' }),
  'bzmpop': m('7.0.0', 'sorted-set', 'O(K)', 'Pops members from the first non-empty sorted set, waiting while all are empty', { ks: ['RW,access,delete i2 n0,1,1'], args: 'timeout=d numkeys=i *key=k0 where=O(min=T@MIN max=T@MAX) ?count=i@COUNT' }),
  'bzpopmax': m('5.0.0', 'sorted-set', 'O(log(N))', 'Pops the highest-scored member of the first non-empty sorted set, waiting if needed', { ks: ['RW,access,delete i1 r-2,1,0'], args: '*key=k0 timeout=d' }),
  'bzpopmin': m('5.0.0', 'sorted-set', 'O(log(N))', 'Pops the lowest-scored member of the first non-empty sorted set, waiting if needed', { ks: ['RW,access,delete i1 r-2,1,0'], args: '*key=k0 timeout=d' }),
  'client': m('2.4.0', 'connection', 'depends on the subcommand', 'Container for connection-management subcommands'),
  'client|caching': m('6.0.0', 'connection', 'O(1)', 'Tells server-assisted caching whether to track the next read', { args: 'mode=O(yes=T@YES no=T@NO)' }),
  'client|getname': m('2.6.9', 'connection', 'O(1)', 'Returns the name given to the connection'),
  'client|getredir': m('6.0.0', 'connection', 'O(1)', 'Returns the client id invalidation messages are redirected to'),
  'client|help': m('5.0.0', 'connection', 'O(1)', 'Describes the CLIENT subcommands'),
  'client|id': m('5.0.0', 'connection', 'O(1)', 'Returns the numeric id of the connection'),
  'client|info': m('6.2.0', 'connection', 'O(1)', 'Describes the current connection', { tips: 'nondeterministic_output' }),
  'client|kill': m('2.4.0', 'connection', 'O(N)', 'Disconnects the clients that match the given filters', { args: 'filter=O(ip:port=s!2.8.12 *new-format=O(?client-id=i@ID#2.8.12 ?normal_master_slave_pubsub=O@TYPE#2.8.12(normal=T@NORMAL master=T@MASTER#3.2.0 slave=T@SLAVE replica=T@REPLICA#5.0.0 pubsub=T@PUBSUB) ?username=s@USER ?ip:port=s@ADDR ?ip:port=s@LADDR#6.2.0 ?yes/no=s@SKIPME))' }),
  'client|list': m('2.4.0', 'connection', 'O(N)', 'Describes every connection, one line each', { tips: 'nondeterministic_output', args: '?normal_master_replica_pubsub=O@TYPE#5.0.0(normal=T@NORMAL master=T@MASTER replica=T@REPLICA pubsub=T@PUBSUB) ?id=B@ID#6.2.0(*client-id=i)' }),
  'client|no-evict': m('7.0.0', 'connection', 'O(1)', 'Exempts the connection from client eviction, or not', { args: 'enabled=O(on=T@ON off=T@OFF)' }),
  'client|pause': m('2.9.50', 'connection', 'O(1)', 'Holds back client commands for a while', { args: 'timeout=i ?mode=O#6.2.0(write=T@WRITE all=T@ALL)' }),
  'client|reply': m('3.2.0', 'connection', 'O(1)', 'Turns the server\'s replies to this connection on, off or skips one', { args: 'on_off_skip=O(on=T@ON off=T@OFF skip=T@SKIP)' }),
  'client|setname': m('2.6.9', 'connection', 'O(1)', 'Names the connection', { args: 'connection-name=s' }),
  'client|tracking': m('6.0.0', 'connection', 'O(1)', 'Turns key tracking for client-side caching on or off', { args: 'status=O(on=T@ON off=T@OFF) ?client-id=i@REDIRECT ?*+prefix=s@PREFIX ?bcast=T@BCAST ?optin=T@OPTIN ?optout=T@OPTOUT ?noloop=T@NOLOOP' }),
  'client|trackinginfo': m('6.2.0', 'connection', 'O(1)', 'Describes the tracking settings of the connection'),
  'client|unblock': m('5.0.0', 'connection', 'O(log N)', 'Wakes a client blocked by a blocking command', { args: 'client-id=i ?timeout_error=O(timeout=T@TIMEOUT error=T@ERROR)' }),
  'client|unpause': m('6.2.0', 'connection', 'O(N)', 'Ends a CLIENT PAUSE early'),
  'cluster': m('3.0.0', 'cluster', 'depends on the subcommand', 'Container for cluster subcommands'),
  'cluster|addslots': m('3.0.0', 'cluster', 'O(N)', 'Gives hash slots to this node', { args: '*slot=i' }),
  'cluster|addslotsrange': m('7.0.0', 'cluster', 'O(N)', 'Gives ranges of hash slots to this node', { args: '*start-slot_end-slot=B(start-slot=i end-slot=i)' }),
  'cluster|bumpepoch': m('3.0.0', 'cluster', 'O(1)', 'Moves this node to a new config epoch', { tips: 'nondeterministic_output' }),
  'cluster|count-failure-reports': m('3.0.0', 'cluster', 'O(N)', 'Counts the failure reports about a node', { tips: 'nondeterministic_output', args: 'node-id=s' }),
  'cluster|countkeysinslot': m('3.0.0', 'cluster', 'O(1)', 'Counts the keys stored in a hash slot', { args: 'slot=i' }),
  'cluster|delslots': m('3.0.0', 'cluster', 'O(N)', 'Takes hash slots away from this node', { args: '*slot=i' }),
  'cluster|delslotsrange': m('7.0.0', 'cluster', 'O(N)', 'Takes ranges of hash slots away from this node', { args: '*start-slot_end-slot=B(start-slot=i end-slot=i)' }),
  'cluster|failover': m('3.0.0', 'cluster', 'O(1)', 'Makes this replica take over from its master', { args: '?options=O(force=T@FORCE takeover=T@TAKEOVER)' }),
  'cluster|flushslots': m('3.0.0', 'cluster', 'O(1)', 'Drops every slot assignment of this node'),
  'cluster|forget': m('3.0.0', 'cluster', 'O(1)', 'Removes a node from this node\'s table', { args: 'node-id=s' }),
  'cluster|getkeysinslot': m('3.0.0', 'cluster', 'O(log(N))', 'Lists some keys of a hash slot', { tips: 'nondeterministic_output', args: 'slot=i count=i' }),
  'cluster|help': m('5.0.0', 'cluster', 'O(1)', 'Describes the CLUSTER subcommands'),
  'cluster|info': m('3.0.0', 'cluster', 'O(1)', 'Reports the cluster state as seen from this node', { tips: 'nondeterministic_output' }),
  'cluster|keyslot': m('3.0.0', 'cluster', 'O(N)', 'Computes the hash slot of a key', { args: 'key=s' }),
  'cluster|links': m('7.0.0', 'cluster', 'O(N)', 'Lists the bus connections of this node', { tips: 'nondeterministic_output' }),
  'cluster|meet': m('3.0.0', 'cluster', 'O(1)', 'Introduces another node into the cluster', { args: 'ip=s port=i ?cluster_bus_port=i#4.0.0' }),
  'cluster|myid': m('3.0.0', 'cluster', 'O(1)', 'Returns this node\'s id'),
  'cluster|nodes': m('3.0.0', 'cluster', 'O(N)', 'Describes the cluster\'s nodes, one line each', { tips: 'nondeterministic_output' }),
  'cluster|replicas': m('5.0.0', 'cluster', 'O(1)', 'Lists the replicas of a master node', { tips: 'nondeterministic_output', args: 'node-id=s' }),
  'cluster|replicate': m('3.0.0', 'cluster', 'O(1)', 'Turns this node into a replica of another', { args: 'node-id=s' }),
  'cluster|reset': m('3.0.0', 'cluster', 'O(N)', 'Clears this node\'s cluster state', { args: '?hard_soft=O(hard=T@HARD soft=T@SOFT)' }),
  'cluster|saveconfig': m('3.0.0', 'cluster', 'O(1)', 'Writes the cluster configuration file now'),
  'cluster|set-config-epoch': m('3.0.0', 'cluster', 'O(1)', 'Sets the config epoch of a fresh node', { args: 'config-epoch=i' }),
  'cluster|setslot': m('3.0.0', 'cluster', 'O(1)', 'Changes the state of a hash slot on this node', { args: 'slot=i subcommand=O(node-id=s@IMPORTING node-id=s@MIGRATING node-id=s@NODE stable=T@STABLE)' }),
  'cluster|shards': m('7.0.0', 'cluster', 'O(N)', 'Describes the shards of the cluster', { tips: 'nondeterministic_output' }),
  'cluster|slaves': m('3.0.0', 'cluster', 'O(1)', 'Lists the replicas of a master node (old name)', { tips: 'nondeterministic_output', doc: 'deprecated', dep: ['5.0.0', 'CLUSTER REPLICAS'], args: 'node-id=s' }),
  'cluster|slots': m('3.0.0', 'cluster', 'O(N)', 'Maps slot ranges to the nodes serving them', { tips: 'nondeterministic_output', doc: 'deprecated', dep: ['7.0.0', 'CLUSTER SHARDS'] }),
  'command': m('2.8.13', 'server', 'O(N)', 'Describes the commands this server knows', { tips: 'nondeterministic_output_order' }),
  'command|count': m('2.8.13', 'server', 'O(1)', 'Counts the commands this server knows'),
  'command|docs': m('7.0.0', 'server', 'O(N)', 'Returns documentation for commands', { tips: 'nondeterministic_output_order', args: '?*command-name=s' }),
  'command|getkeys': m('2.8.13', 'server', 'O(N)', 'Finds the key arguments of a full command line'),
  'command|getkeysandflags': m('7.0.0', 'server', 'O(N)', 'Finds the key arguments of a command line and how each is accessed'),
  'command|help': m('5.0.0', 'server', 'O(1)', 'Describes the COMMAND subcommands'),
  'command|info': m('2.8.13', 'server', 'O(N)', 'Describes the named commands', { tips: 'nondeterministic_output_order', args: '?*command-name=s' }),
  'command|list': m('7.0.0', 'server', 'O(N)', 'Lists command names, optionally filtered', { tips: 'nondeterministic_output_order', args: '?filterby=O@FILTERBY(module-name=s@MODULE category=s@ACLCAT pattern=p@PATTERN)' }),
  'config': m('2.0.0', 'server', 'depends on the subcommand', 'Container for configuration subcommands'),
  'config|get': m('2.0.0', 'server', 'O(N)', 'Reads configuration parameters matching patterns', { args: '*parameter=B(parameter=s)' }),
  'config|help': m('5.0.0', 'server', 'O(1)', 'Describes the CONFIG subcommands'),
  'config|resetstat': m('2.0.0', 'server', 'O(1)', 'Zeroes the statistics INFO reports'),
  'config|rewrite': m('2.8.0', 'server', 'O(1)', 'Writes the running configuration back to the config file'),
  'config|set': m('2.0.0', 'server', 'O(N)', 'Changes configuration parameters at run time', { tips: 'request_policy:all_nodes response_policy:all_succeeded', args: '*parameter_value=B(parameter=s value=s)' }),
  'copy': m('6.2.0', 'generic', 'O(N)', 'Duplicates a key\'s value under another key', { ks: ['RO,access i1 r0,1,0', 'OW,update i2 r0,1,0'], args: 'source=k0 destination=k1 ?destination-db=i@DB ?replace=T@REPLACE' }),
  'dbsize': m('1.0.0', 'server', 'O(1)', 'Counts the keys of the selected database', { tips: 'request_policy:all_shards response_policy:agg_sum' }),
  'debug': m('1.0.0', 'server', 'depends on the subcommand', 'Developer and test helpers', { doc: 'syscmd' }),
  'decr': m('1.0.0', 'string', 'O(1)', 'Subtracts one from an integer string', { ks: ['RW,access,update i1 r0,1,0'], args: 'key=k0' }),
  'decrby': m('1.0.0', 'string', 'O(1)', 'Subtracts an amount from an integer string', { ks: ['RW,access,update i1 r0,1,0'], args: 'key=k0 decrement=i' }),
  'del': m('1.0.0', 'generic', 'O(N)', 'Removes keys', { ks: ['RM,delete i1 r-1,1,0'], tips: 'request_policy:multi_shard response_policy:agg_sum', args: '*key=k0' }),
  'discard': m('2.0.0', 'transactions', 'O(N)', 'Drops the commands queued since MULTI'),
  'dump': m('2.6.0', 'generic', 'O(1)', 'Serializes a key\'s value in the snapshot format', { ks: ['RO,access i1 r0,1,0'], tips: 'nondeterministic_output', args: 'key=k0' }),
  'echo': m('1.0.0', 'connection', 'O(1)', 'Replies with its argument', { args: 'message=s' }),
  'eval': m('2.6.0', 'scripting', 'depends on the script', 'Runs a Lua script', { ks: ['RW,access,update i2 n0,1,1'], args: 'script=s numkeys=i ?*key=k0 ?*arg=s' }),
  'eval_ro': m('7.0.0', 'scripting', 'depends on the script', 'Runs a read-only Lua script', { ks: ['RO,access i2 n0,1,1'], args: 'script=s numkeys=i ?*key=k0 ?*arg=s' }),
  'evalsha': m('2.6.0', 'scripting', 'depends on the script', 'Runs a cached Lua script by its SHA1', { ks: ['RW,access,update i2 n0,1,1'], args: 'sha1=s numkeys=i ?*key=k0 ?*arg=s' }),
  'evalsha_ro': m('7.0.0', 'scripting', 'depends on the script', 'Runs a cached read-only Lua script by its SHA1', { ks: ['RO,access i2 n0,1,1'], args: 'sha1=s numkeys=i ?*key=k0 ?*arg=s' }),
  'exec': m('1.2.0', 'transactions', 'depends on the queued commands', 'Runs the commands queued since MULTI'),
  'exists': m('1.0.0', 'generic', 'O(N)', 'Counts how many of the given keys exist', { ks: ['RO i1 r-1,1,0'], tips: 'request_policy:multi_shard response_policy:agg_sum', args: '*key=k0' }),
  'expire': m('1.0.0', 'generic', 'O(1)', 'Gives a key a time to live in seconds', { ks: ['RW,update i1 r0,1,0'], args: 'key=k0 seconds=i ?condition=O#7.0.0(nx=T@NX xx=T@XX gt=T@GT lt=T@LT)' }),
  'expireat': m('1.2.0', 'generic', 'O(1)', 'Gives a key an expiry as a unix time in seconds', { ks: ['RW,update i1 r0,1,0'], args: 'key=k0 unix-time-seconds=t ?condition=O#7.0.0(nx=T@NX xx=T@XX gt=T@GT lt=T@LT)' }),
  'expiretime': m('7.0.0', 'generic', 'O(1)', 'Returns a key\'s expiry as a unix time in seconds', { ks: ['RO,access i1 r0,1,0'], args: 'key=k0' }),
  'failover': m('6.2.0', 'server', 'O(1)', 'Hands the master role over to a replica', { args: '?target=B@TO(host=s port=i ?force=T@FORCE) ?abort=T@ABORT ?milliseconds=i@TIMEOUT' }),
  'fcall': m('7.0.0', 'scripting', 'depends on the function', 'Calls a library function', { ks: ['RW,access,update i2 n0,1,1'], args: 'function=s numkeys=i ?*key=k0 ?*arg=s' }),
  'fcall_ro': m('7.0.0', 'scripting', 'depends on the function', 'Calls a read-only library function', { ks: ['RO,access i2 n0,1,1'], args: 'function=s numkeys=i ?*key=k0 ?*arg=s' }),
  'flushall': m('1.0.0', 'server', 'O(N)', 'Removes every key of every database', { tips: 'request_policy:all_shards response_policy:all_succeeded', args: '?async=O(async=T@ASYNC#4.0.0 sync=T@SYNC#6.2.0)' }),
  'flushdb': m('1.0.0', 'server', 'O(N)', 'Removes every key of the selected database', { tips: 'request_policy:all_shards response_policy:all_succeeded', args: '?async=O(async=T@ASYNC#4.0.0 sync=T@SYNC#6.2.0)' }),
  'function': m('7.0.0', 'scripting', 'depends on the subcommand', 'Container for function-library subcommands'),
  'function|delete': m('7.0.0', 'scripting', 'O(1)', 'Removes a function library', { tips: 'request_policy:all_shards response_policy:all_succeeded', args: 'library-name=s' }),
  'function|dump': m('7.0.0', 'scripting', 'O(N)', 'Serializes every function library'),
  'function|flush': m('7.0.0', 'scripting', 'O(N)', 'Removes every function library', { tips: 'request_policy:all_shards response_policy:all_succeeded', args: '?async=O(async=T@ASYNC sync=T@SYNC)' }),
  'function|help': m('7.0.0', 'scripting', 'O(1)', 'Describes the FUNCTION subcommands'),
  'function|kill': m('7.0.0', 'scripting', 'O(1)', 'Stops the function that is running now', { tips: 'request_policy:all_shards response_policy:one_succeeded' }),
  'function|list': m('7.0.0', 'scripting', 'O(N)', 'Describes the loaded function libraries', { tips: 'nondeterministic_output_order', args: '?library-name-pattern=s@LIBRARYNAME ?withcode=T@WITHCODE' }),
  'function|load': m('7.0.0', 'scripting', 'O(1)', 'Loads a function library', { tips: 'request_policy:all_shards response_policy:all_succeeded', args: '?replace=T@REPLACE function-code=s' }),
  'function|restore': m('7.0.0', 'scripting', 'O(N)', 'Loads libraries from a FUNCTION DUMP payload', { tips: 'request_policy:all_shards response_policy:all_succeeded', args: 'serialized-value=s ?policy=O(flush=T@FLUSH append=T@APPEND replace=T@REPLACE)' }),
  'function|stats': m('7.0.0', 'scripting', 'O(1)', 'Reports the running function and the engines', { tips: 'nondeterministic_output request_policy:all_shards response_policy:special' }),
  'geoadd': m('3.2.0', 'geo', 'O(log(N))', 'Stores members with longitude/latitude in a geo index', { ks: ['RW,update i1 r0,1,0'], args: 'key=k0 ?condition=O#6.2.0(nx=T@NX xx=T@XX) ?change=T@CH#6.2.0 *longitude_latitude_member=B(longitude=d latitude=d member=s)' }),
  'geodist': m('3.2.0', 'geo', 'O(log(N))', 'Measures the distance between two geo members', { ks: ['RO,access i1 r0,1,0'], args: 'key=k0 member1=s member2=s ?unit=O(m=T@M km=T@KM ft=T@FT mi=T@MI)' }),
  'geohash': m('3.2.0', 'geo', 'O(log(N))', 'Returns geohash strings of geo members', { ks: ['RO,access i1 r0,1,0'], args: 'key=k0 *member=s' }),
  'geopos': m('3.2.0', 'geo', 'O(N)', 'Returns the coordinates of geo members', { ks: ['RO,access i1 r0,1,0'], args: 'key=k0 *member=s' }),
  'georadius': m('3.2.0', 'geo', 'O(N+log(M))', 'Finds geo members within a radius of a point (may store)', { ks: ['RO,access i1 r0,1,0', 'OW,update kSTORE,6 r0,1,0', 'OW,update kSTOREDIST,6 r0,1,0'], doc: 'deprecated', dep: ['6.2.0', 'GEOSEARCH or GEOSEARCHSTORE with BYRADIUS'], args: 'key=k0 longitude=d latitude=d radius=d unit=O(m=T@M km=T@KM ft=T@FT mi=T@MI) ?withcoord=T@WITHCOORD ?withdist=T@WITHDIST ?withhash=T@WITHHASH ?count=B(count=i@COUNT ?any=T@ANY#6.2.0) ?order=O(asc=T@ASC desc=T@DESC) ?key=k1@STORE ?key=k2@STOREDIST' }),
  'georadius_ro': m('3.2.10', 'geo', 'O(N+log(M))', 'Finds geo members within a radius of a point', { ks: ['RO,access i1 r0,1,0'], doc: 'deprecated', dep: ['6.2.0', 'GEOSEARCH with BYRADIUS'], args: 'key=k0 longitude=d latitude=d radius=d unit=O(m=T@M km=T@KM ft=T@FT mi=T@MI) ?withcoord=T@WITHCOORD ?withdist=T@WITHDIST ?withhash=T@WITHHASH ?count=B(count=i@COUNT ?any=T@ANY#6.2.0) ?order=O(asc=T@ASC desc=T@DESC)' }),
  'georadiusbymember': m('3.2.0', 'geo', 'O(N+log(M))', 'Finds geo members within a radius of a member (may store)', { ks: ['RO,access i1 r0,1,0', 'OW,update kSTORE,5 r0,1,0', 'OW,update kSTOREDIST,5 r0,1,0'], doc: 'deprecated', dep: ['6.2.0', 'GEOSEARCH or GEOSEARCHSTORE with FROMMEMBER and BYRADIUS'], args: 'key=k0 member=s radius=d unit=O(m=T@M km=T@KM ft=T@FT mi=T@MI) ?withcoord=T@WITHCOORD ?withdist=T@WITHDIST ?withhash=T@WITHHASH ?count=B(count=i@COUNT ?any=T@ANY) ?order=O(asc=T@ASC desc=T@DESC) ?key=k1@STORE ?key=k2@STOREDIST' }),
  'georadiusbymember_ro': m('3.2.10', 'geo', 'O(N+log(M))', 'Finds geo members within a radius of a member', { ks: ['RO,access i1 r0,1,0'], doc: 'deprecated', dep: ['6.2.0', 'GEOSEARCH with FROMMEMBER and BYRADIUS'], args: 'key=k0 member=s radius=d unit=O(m=T@M km=T@KM ft=T@FT mi=T@MI) ?withcoord=T@WITHCOORD ?withdist=T@WITHDIST ?withhash=T@WITHHASH ?count=B(count=i@COUNT ?any=T@ANY) ?order=O(asc=T@ASC desc=T@DESC)' }),
  'geosearch': m('6.2.0', 'geo', 'O(N+log(M))', 'Finds geo members inside a circle or a box', { ks: ['RO,access i1 r0,1,0'], args: 'key=k0 from=O(member=s@FROMMEMBER longitude_latitude=B@FROMLONLAT(longitude=d latitude=d)) by=O(circle=B(radius=d@BYRADIUS unit=O(m=T@M km=T@KM ft=T@FT mi=T@MI)) box=B(width=d@BYBOX height=d unit=O(m=T@M km=T@KM ft=T@FT mi=T@MI))) ?order=O(asc=T@ASC desc=T@DESC) ?count=B(count=i@COUNT ?any=T@ANY) ?withcoord=T@WITHCOORD ?withdist=T@WITHDIST ?withhash=T@WITHHASH' }),
  'geosearchstore': m('6.2.0', 'geo', 'O(N+log(M))', 'Finds geo members inside a circle or a box and stores them', { ks: ['OW,update i1 r0,1,0', 'RO,access i2 r0,1,0'], args: 'destination=k0 source=k1 from=O(member=s@FROMMEMBER longitude_latitude=B@FROMLONLAT(longitude=d latitude=d)) by=O(circle=B(radius=d@BYRADIUS unit=O(m=T@M km=T@KM ft=T@FT mi=T@MI)) box=B(width=d@BYBOX height=d unit=O(m=T@M km=T@KM ft=T@FT mi=T@MI))) ?order=O(asc=T@ASC desc=T@DESC) ?count=B(count=i@COUNT ?any=T@ANY) ?storedist=T@STOREDIST' }),
  'get': m('1.0.0', 'string', 'O(1)', 'Returns the string stored at a key', { ks: ['RO,access i1 r0,1,0'], args: 'key=k0' }),
  'getbit': m('2.2.0', 'bitmap', 'O(1)', 'Reads one bit of a string', { ks: ['RO,access i1 r0,1,0'], args: 'key=k0 offset=i' }),
  'getdel': m('6.2.0', 'string', 'O(1)', 'Returns a string and removes its key', { ks: ['RW,access,delete i1 r0,1,0'], args: 'key=k0' }),
  'getex': m('6.2.0', 'string', 'O(1)', 'Returns a string and changes its expiry', { ks: ['RW,access,update i1 r0,1,0'], args: 'key=k0 ?expiration=O(seconds=i@EX milliseconds=i@PX unix-time-seconds=t@EXAT unix-time-milliseconds=t@PXAT persist=T@PERSIST)' }),
  'getrange': m('2.4.0', 'string', 'O(N)', 'Returns a slice of a string', { ks: ['RO,access i1 r0,1,0'], args: 'key=k0 start=i end=i' }),
  'getset': m('1.0.0', 'string', 'O(1)', 'Replaces a string and returns the old one', { ks: ['RW,access,update i1 r0,1,0'], doc: 'deprecated', dep: ['6.2.0', 'SET with GET'], args: 'key=k0 value=s' }),
  'hdel': m('2.0.0', 'hash', 'O(N)', 'Removes fields from a hash', { ks: ['RW,delete i1 r0,1,0'], args: 'key=k0 *field=s' }),
  'hello': m('6.0.0', 'connection', 'O(1)', 'Negotiates the protocol version, optionally authenticating', { args: '?arguments=B(protover=i ?username_password=B@AUTH(username=s password=s) ?clientname=s@SETNAME)' }),
  'hexists': m('2.0.0', 'hash', 'O(1)', 'Tells whether a hash field exists', { ks: ['RO i1 r0,1,0'], args: 'key=k0 field=s' }),
  'hget': m('2.0.0', 'hash', 'O(1)', 'Returns the value of a hash field', { ks: ['RO,access i1 r0,1,0'], args: 'key=k0 field=s' }),
  'hgetall': m('2.0.0', 'hash', 'O(N)', 'Returns every field and value of a hash', { ks: ['RO,access i1 r0,1,0'], tips: 'nondeterministic_output_order', args: 'key=k0' }),
  'hincrby': m('2.0.0', 'hash', 'O(1)', 'Adds an integer to a hash field', { ks: ['RW,access,update i1 r0,1,0'], args: 'key=k0 field=s increment=i' }),
  'hincrbyfloat': m('2.6.0', 'hash', 'O(1)', 'Adds a floating point number to a hash field', { ks: ['RW,access,update i1 r0,1,0'], args: 'key=k0 field=s increment=d' }),
  'hkeys': m('2.0.0', 'hash', 'O(N)', 'Returns the field names of a hash', { ks: ['RO,access i1 r0,1,0'], tips: 'nondeterministic_output_order', args: 'key=k0' }),
  'hlen': m('2.0.0', 'hash', 'O(1)', 'Counts the fields of a hash', { ks: ['RO i1 r0,1,0'], args: 'key=k0' }),
  'hmget': m('2.0.0', 'hash', 'O(N)', 'Returns the values of several hash fields', { ks: ['RO,access i1 r0,1,0'], args: 'key=k0 *field=s' }),
  'hmset': m('2.0.0', 'hash', 'O(N)', 'Sets several hash fields (old form of HSET)', { ks: ['RW,update i1 r0,1,0'], doc: 'deprecated', dep: ['4.0.0', 'HSET with several field/value pairs'], args: 'key=k0 *field_value=B(field=s value=s)' }),
  'hrandfield': m('6.2.0', 'hash', 'O(N)', 'Returns random fields of a hash', { ks: ['RO,access i1 r0,1,0'], tips: 'nondeterministic_output', args: 'key=k0 ?options=B(count=i ?withvalues=T@WITHVALUES)' }),
  'hscan': m('2.8.0', 'hash', 'O(1)', 'Walks the fields of a hash with a cursor', { ks: ['RO,access i1 r0,1,0'], tips: 'nondeterministic_output', args: 'key=k0 cursor=i ?pattern=p@MATCH ?count=i@COUNT' }),
  'hset': m('2.0.0', 'hash', 'O(1)', 'Sets hash fields', { ks: ['RW,update i1 r0,1,0'], args: 'key=k0 *field_value=B(field=s value=s)' }),
  'hsetnx': m('2.0.0', 'hash', 'O(1)', 'Sets a hash field only when it is absent', { ks: ['RW,insert i1 r0,1,0'], args: 'key=k0 field=s value=s' }),
  'hstrlen': m('3.2.0', 'hash', 'O(1)', 'Returns the length of a hash field\'s value', { ks: ['RO i1 r0,1,0'], args: 'key=k0 field=s' }),
  'hvals': m('2.0.0', 'hash', 'O(N)', 'Returns the values of a hash', { ks: ['RO,access i1 r0,1,0'], tips: 'nondeterministic_output_order', args: 'key=k0' }),
  'incr': m('1.0.0', 'string', 'O(1)', 'Adds one to an integer string', { ks: ['RW,access,update i1 r0,1,0'], args: 'key=k0' }),
  'incrby': m('1.0.0', 'string', 'O(1)', 'Adds an amount to an integer string', { ks: ['RW,access,update i1 r0,1,0'], args: 'key=k0 increment=i' }),
  'incrbyfloat': m('2.6.0', 'string', 'O(1)', 'Adds a floating point amount to a numeric string', { ks: ['RW,access,update i1 r0,1,0'], args: 'key=k0 increment=d' }),
  'info': m('1.0.0', 'server', 'O(1)', 'Reports server state and statistics', { tips: 'nondeterministic_output request_policy:all_shards response_policy:special', args: '?*section=s' }),
  'keys': m('1.0.0', 'generic', 'O(N)', 'Lists the keys matching a glob pattern', { tips: 'request_policy:all_shards nondeterministic_output_order', args: 'pattern=p' }),
  'lastsave': m('1.0.0', 'server', 'O(1)', 'Returns the unix time of the last successful save', { tips: 'nondeterministic_output' }),
  'latency': m('2.8.13', 'server', 'depends on the subcommand', 'Container for latency-monitor subcommands'),
  'latency|doctor': m('2.8.13', 'server', 'O(1)', 'Explains the recorded latency events in prose', { tips: 'nondeterministic_output request_policy:all_nodes response_policy:special' }),
  'latency|graph': m('2.8.13', 'server', 'O(1)', 'Draws an ASCII graph of one latency event', { tips: 'nondeterministic_output request_policy:all_nodes response_policy:special', args: 'event=s' }),
  'latency|help': m('2.8.13', 'server', 'O(1)', 'Describes the LATENCY subcommands'),
  'latency|histogram': m('7.0.0', 'server', 'O(N)', 'Returns per-command latency histograms', { tips: 'nondeterministic_output request_policy:all_nodes response_policy:special', args: '?*command=s' }),
  'latency|history': m('2.8.13', 'server', 'O(1)', 'Returns the samples of one latency event', { tips: 'nondeterministic_output request_policy:all_nodes response_policy:special', args: 'event=s' }),
  'latency|latest': m('2.8.13', 'server', 'O(1)', 'Returns the latest sample of each latency event', { tips: 'nondeterministic_output request_policy:all_nodes response_policy:special' }),
  'latency|reset': m('2.8.13', 'server', 'O(1)', 'Clears recorded latency events', { tips: 'request_policy:all_nodes response_policy:all_succeeded', args: '?*event=s' }),
  'lcs': m('7.0.0', 'string', 'O(N*M)', 'Finds the longest common subsequence of two strings', { ks: ['RO,access i1 r1,1,0'], args: 'key1=k0 key2=k0 ?len=T@LEN ?idx=T@IDX ?len=i@MINMATCHLEN ?withmatchlen=T@WITHMATCHLEN' }),
  'lindex': m('1.0.0', 'list', 'O(N)', 'Returns the list element at an index', { ks: ['RO,access i1 r0,1,0'], args: 'key=k0 index=i' }),
  'linsert': m('2.2.0', 'list', 'O(N)', 'Inserts an element before or after another in a list', { ks: ['RW,insert i1 r0,1,0'], args: 'key=k0 where=O(before=T@BEFORE after=T@AFTER) pivot=s element=s' }),
  'llen': m('1.0.0', 'list', 'O(1)', 'Counts the elements of a list', { ks: ['RO i1 r0,1,0'], args: 'key=k0' }),
  'lmove': m('6.2.0', 'list', 'O(1)', 'Moves an element from one list end to another list end', { ks: ['RW,access,delete i1 r0,1,0', 'RW,insert i2 r0,1,0'], args: 'source=k0 destination=k1 wherefrom=O(left=T@LEFT right=T@RIGHT) whereto=O(left=T@LEFT right=T@RIGHT)' }),
  'lmpop': m('7.0.0', 'list', 'O(N+M)', 'Pops elements from the first non-empty list', { ks: ['RW,access,delete i1 n0,1,1'], args: 'numkeys=i *key=k0 where=O(left=T@LEFT right=T@RIGHT) ?count=i@COUNT' }),
  'lolwut': m('5.0.0', 'server', null, 'Prints a piece of generative art and the version', { args: '?version=i@VERSION' }),
  'lpop': m('1.0.0', 'list', 'O(N)', 'Removes and returns elements from the head of a list', { ks: ['RW,access,delete i1 r0,1,0'], args: 'key=k0 ?count=i#6.2.0' }),
  'lpos': m('6.0.6', 'list', 'O(N)', 'Finds the positions of matching list elements', { ks: ['RO,access i1 r0,1,0'], args: 'key=k0 element=s ?rank=i@RANK ?num-matches=i@COUNT ?len=i@MAXLEN' }),
  'lpush': m('1.0.0', 'list', 'O(1)', 'Adds elements to the head of a list', { ks: ['RW,insert i1 r0,1,0'], args: 'key=k0 *element=s' }),
  'lpushx': m('2.2.0', 'list', 'O(1)', 'Adds elements to the head of an existing list', { ks: ['RW,insert i1 r0,1,0'], args: 'key=k0 *element=s' }),
  'lrange': m('1.0.0', 'list', 'O(S+N)', 'Returns a range of list elements', { ks: ['RO,access i1 r0,1,0'], args: 'key=k0 start=i stop=i' }),
  'lrem': m('1.0.0', 'list', 'O(N+M)', 'Removes matching elements from a list', { ks: ['RW,delete i1 r0,1,0'], args: 'key=k0 count=i element=s' }),
  'lset': m('1.0.0', 'list', 'O(N)', 'Replaces the list element at an index', { ks: ['RW,update i1 r0,1,0'], args: 'key=k0 index=i element=s' }),
  'ltrim': m('1.0.0', 'list', 'O(N)', 'Keeps only a range of a list', { ks: ['RW,delete i1 r0,1,0'], args: 'key=k0 start=i stop=i' }),
  'memory': m('4.0.0', 'server', 'depends on the subcommand', 'Container for memory-introspection subcommands'),
  'memory|doctor': m('4.0.0', 'server', 'O(1)', 'Explains memory problems in prose', { tips: 'nondeterministic_output request_policy:all_shards response_policy:special' }),
  'memory|help': m('4.0.0', 'server', 'O(1)', 'Describes the MEMORY subcommands'),
  'memory|malloc-stats': m('4.0.0', 'server', 'depends on allocated memory', 'Returns the allocator\'s own statistics', { tips: 'nondeterministic_output request_policy:all_shards response_policy:special' }),
  'memory|purge': m('4.0.0', 'server', 'depends on allocated memory', 'Asks the allocator to give memory back', { tips: 'request_policy:all_shards response_policy:all_succeeded' }),
  'memory|stats': m('4.0.0', 'server', 'O(1)', 'Breaks down the server\'s memory use', { tips: 'nondeterministic_output request_policy:all_shards response_policy:special' }),
  'memory|usage': m('4.0.0', 'server', 'O(N)', 'Estimates the bytes a key and its value take', { ks: ['RO i2 r0,1,0'], args: 'key=k0 ?count=i@SAMPLES' }),
  'mget': m('1.0.0', 'string', 'O(N)', 'Returns the strings of several keys', { ks: ['RO,access i1 r-1,1,0'], tips: 'request_policy:multi_shard', args: '*key=k0' }),
  'migrate': m('2.6.0', 'generic', 'O(N) transfer plus the DUMP, DEL and RESTORE costs', 'Moves keys to another server atomically', { ks: ['RW,access,delete i3 r0,1,0', 'RW,access,delete,incomplete kKEYS,-2 r-1,1,0'], tips: 'nondeterministic_output', args: 'host=s port=i key_or_empty_string=O(key=k0 empty_string=T@) destination-db=i timeout=i ?copy=T@COPY#3.0.0 ?replace=T@REPLACE#3.0.0 ?authentication=O(?password=s@AUTH#4.0.7 ?username_password=B@AUTH2#6.0.0(username=s password=s)) ?*key=k1@KEYS#3.0.6' }),
  'module': m('4.0.0', 'server', 'depends on the subcommand', 'Container for module subcommands'),
  'module|help': m('5.0.0', 'server', 'O(1)', 'Describes the MODULE subcommands'),
  'module|list': m('4.0.0', 'server', 'O(N)', 'Lists the loaded modules', { tips: 'nondeterministic_output_order' }),
  'module|load': m('4.0.0', 'server', 'O(1)', 'Loads a module from a shared library', { args: 'path=s ?*arg=s' }),
  'module|loadex': m('7.0.0', 'server', 'O(1)', 'Loads a module with configuration and arguments', { args: 'path=s ?*+configs=B@CONFIG(name=s value=s) ?*args=B@ARGS(arg=s)' }),
  'module|unload': m('4.0.0', 'server', 'O(1)', 'Unloads a module', { args: 'name=s' }),
  'monitor': m('1.0.0', 'server', null, 'Streams every command the server processes'),
  'move': m('1.0.0', 'generic', 'O(1)', 'Moves a key to another database', { ks: ['RW,access,update i1 r0,1,0'], args: 'key=k0 db=i' }),
  'mset': m('1.0.1', 'string', 'O(N)', 'Sets several strings at once', { ks: ['OW,update i1 r-1,2,0'], tips: 'request_policy:multi_shard response_policy:all_succeeded', args: '*key_value=B(key=k0 value=s)' }),
  'msetnx': m('1.0.1', 'string', 'O(N)', 'Sets several strings only if none of the keys exist', { ks: ['OW,insert i1 r-1,2,0'], tips: 'request_policy:multi_shard response_policy:agg_min', args: '*key_value=B(key=k0 value=s)' }),
  'multi': m('1.2.0', 'transactions', 'O(1)', 'Starts queuing a transaction'),
  'object': m('2.2.3', 'generic', 'depends on the subcommand', 'Container for object-introspection subcommands'),
  'object|encoding': m('2.2.3', 'generic', 'O(1)', 'Returns the internal encoding of a value', { ks: ['RO i2 r0,1,0'], tips: 'nondeterministic_output', args: 'key=k0' }),
  'object|freq': m('4.0.0', 'generic', 'O(1)', 'Returns the access-frequency counter of a key', { ks: ['RO i2 r0,1,0'], tips: 'nondeterministic_output', args: 'key=k0' }),
  'object|help': m('6.2.0', 'generic', 'O(1)', 'Describes the OBJECT subcommands'),
  'object|idletime': m('2.2.3', 'generic', 'O(1)', 'Returns seconds since a key was last accessed', { ks: ['RO i2 r0,1,0'], tips: 'nondeterministic_output', args: 'key=k0' }),
  'object|refcount': m('2.2.3', 'generic', 'O(1)', 'Returns the reference count of a value', { ks: ['RO i2 r0,1,0'], tips: 'nondeterministic_output', args: 'key=k0' }),
  'persist': m('2.2.0', 'generic', 'O(1)', 'Removes a key\'s expiry', { ks: ['RW,update i1 r0,1,0'], args: 'key=k0' }),
  'pexpire': m('2.6.0', 'generic', 'O(1)', 'Gives a key a time to live in milliseconds', { ks: ['RW,update i1 r0,1,0'], args: 'key=k0 milliseconds=i ?condition=O#7.0.0(nx=T@NX xx=T@XX gt=T@GT lt=T@LT)' }),
  'pexpireat': m('2.6.0', 'generic', 'O(1)', 'Gives a key an expiry as a unix time in milliseconds', { ks: ['RW,update i1 r0,1,0'], args: 'key=k0 unix-time-milliseconds=t ?condition=O#7.0.0(nx=T@NX xx=T@XX gt=T@GT lt=T@LT)' }),
  'pexpiretime': m('7.0.0', 'generic', 'O(1)', 'Returns a key\'s expiry as a unix time in milliseconds', { ks: ['RO,access i1 r0,1,0'], args: 'key=k0' }),
  'pfadd': m('2.8.9', 'hyperloglog', 'O(1)', 'Adds elements to a HyperLogLog', { ks: ['RW,insert i1 r0,1,0'], args: 'key=k0 ?*element=s' }),
  'pfcount': m('2.8.9', 'hyperloglog', 'O(1)', 'Estimates the distinct elements seen by HyperLogLogs', { ks: ['RW,access i1 r-1,1,0'], args: '*key=k0' }),
  'pfdebug': m('2.8.9', 'hyperloglog', 'n/a', 'Inspects HyperLogLog internals', { ks: ['RW,access i2 r0,1,0'], doc: 'syscmd', args: 'subcommand=s key=k0' }),
  'pfmerge': m('2.8.9', 'hyperloglog', 'O(N)', 'Merges HyperLogLogs into one', { ks: ['RW,access,insert i1 r0,1,0', 'RO,access i2 r-1,1,0'], args: 'destkey=k0 *sourcekey=k1' }),
  'pfselftest': m('2.8.9', 'hyperloglog', 'n/a', 'Runs the HyperLogLog self test', { doc: 'syscmd' }),
  'ping': m('1.0.0', 'connection', 'O(1)', 'Checks that the server answers', { tips: 'request_policy:all_shards response_policy:all_succeeded', args: '?message=s' }),
  'psetex': m('2.6.0', 'string', 'O(1)', 'Sets a string with a time to live in milliseconds', { ks: ['OW,update i1 r0,1,0'], args: 'key=k0 milliseconds=i value=s' }),
  'psubscribe': m('2.0.0', 'pubsub', 'O(N)', 'Subscribes to channels matching glob patterns', { args: '*pattern=B(pattern=p)' }),
  'psync': m('2.8.0', 'server', null, 'Starts replication from a replication offset (internal)', { args: 'replicationid=s offset=i' }),
  'pttl': m('2.6.0', 'generic', 'O(1)', 'Returns a key\'s remaining time to live in milliseconds', { ks: ['RO,access i1 r0,1,0'], tips: 'nondeterministic_output', args: 'key=k0' }),
  'publish': m('2.0.0', 'pubsub', 'O(N+M)', 'Sends a message to a channel', { args: 'channel=s message=s' }),
  'pubsub': m('2.8.0', 'pubsub', 'depends on the subcommand', 'Container for pub/sub introspection subcommands'),
  'pubsub|channels': m('2.8.0', 'pubsub', 'O(N)', 'Lists channels with subscribers', { args: '?pattern=p' }),
  'pubsub|help': m('6.2.0', 'pubsub', 'O(1)', 'Describes the PUBSUB subcommands'),
  'pubsub|numpat': m('2.8.0', 'pubsub', 'O(1)', 'Counts pattern subscriptions'),
  'pubsub|numsub': m('2.8.0', 'pubsub', 'O(N)', 'Counts the subscribers of channels', { args: '?*channel=s' }),
  'pubsub|shardchannels': m('7.0.0', 'pubsub', 'O(N)', 'Lists shard channels with subscribers', { args: '?pattern=p' }),
  'pubsub|shardnumsub': m('7.0.0', 'pubsub', 'O(N)', 'Counts the subscribers of shard channels', { args: '?*shardchannel=s' }),
  'punsubscribe': m('2.0.0', 'pubsub', 'O(N+M)', 'Drops pattern subscriptions', { args: '?*pattern=p' }),
  'quit': m('1.0.0', 'connection', 'O(1)', 'Closes the connection'),
  'randomkey': m('1.0.0', 'generic', 'O(1)', 'Returns a random key name', { tips: 'request_policy:all_shards nondeterministic_output' }),
  'readonly': m('3.0.0', 'cluster', 'O(1)', 'Lets a cluster replica serve reads on this connection'),
  'readwrite': m('3.0.0', 'cluster', 'O(1)', 'Ends READONLY mode on this connection'),
  'rename': m('1.0.0', 'generic', 'O(1)', 'Renames a key, replacing any target', { ks: ['RW,access,delete i1 r0,1,0', 'OW,update i2 r0,1,0'], args: 'key=k0 newkey=k1' }),
  'renamenx': m('1.0.0', 'generic', 'O(1)', 'Renames a key unless the target exists', { ks: ['RW,access,delete i1 r0,1,0', 'OW,insert i2 r0,1,0'], args: 'key=k0 newkey=k1' }),
  'replconf': m('3.0.0', 'server', 'O(1)', 'Exchanges replication settings (internal)', { doc: 'syscmd' }),
  'replicaof': m('5.0.0', 'server', 'O(1)', 'Makes the server a replica of another, or a master again', { args: 'args=O(host-port=B(host=s port=i) no-one=B(no=T@NO one=T@ONE))' }),
  'reset': m('6.2.0', 'connection', 'O(1)', 'Returns the connection to its initial state'),
  'restore': m('2.6.0', 'generic', 'O(1)', 'Creates a key from a DUMP payload', { ks: ['OW,update i1 r0,1,0'], args: 'key=k0 ttl=i serialized-value=s ?replace=T@REPLACE#3.0.0 ?absttl=T@ABSTTL#5.0.0 ?seconds=i@IDLETIME#5.0.0 ?frequency=i@FREQ#5.0.0' }),
  'restore-asking': m('3.0.0', 'server', 'O(1)', 'Creates a key from a DUMP payload during migration (internal)', { ks: ['OW,update i1 r0,1,0'], doc: 'syscmd', args: 'key=k0 ttl=i serialized-value=s ?replace=T@REPLACE#3.0.0 ?absttl=T@ABSTTL#5.0.0 ?seconds=i@IDLETIME#5.0.0 ?frequency=i@FREQ#5.0.0' }),
  'role': m('2.8.12', 'server', 'O(1)', 'Reports the replication role of the server'),
  'rpop': m('1.0.0', 'list', 'O(N)', 'Removes and returns elements from the tail of a list', { ks: ['RW,access,delete i1 r0,1,0'], args: 'key=k0 ?count=i#6.2.0' }),
  'rpoplpush': m('1.2.0', 'list', 'O(1)', 'Moves a list tail to another list head', { ks: ['RW,access,delete i1 r0,1,0', 'RW,insert i2 r0,1,0'], doc: 'deprecated', dep: ['6.2.0', 'LMOVE with RIGHT LEFT'], args: 'source=k0 destination=k1' }),
  'rpush': m('1.0.0', 'list', 'O(1)', 'Adds elements to the tail of a list', { ks: ['RW,insert i1 r0,1,0'], args: 'key=k0 *element=s' }),
  'rpushx': m('2.2.0', 'list', 'O(1)', 'Adds elements to the tail of an existing list', { ks: ['RW,insert i1 r0,1,0'], args: 'key=k0 *element=s' }),
  'sadd': m('1.0.0', 'set', 'O(1)', 'Adds members to a set', { ks: ['RW,insert i1 r0,1,0'], args: 'key=k0 *member=s' }),
  'save': m('1.0.0', 'server', 'O(N)', 'Writes a snapshot to disk, blocking the server'),
  'scan': m('2.8.0', 'generic', 'O(1)', 'Walks the keyspace with a cursor', { tips: 'nondeterministic_output request_policy:special', args: 'cursor=i ?pattern=p@MATCH ?count=i@COUNT ?type=s@TYPE#6.0.0' }),
  'scard': m('1.0.0', 'set', 'O(1)', 'Counts the members of a set', { ks: ['RO i1 r0,1,0'], args: 'key=k0' }),
  'script': m('2.6.0', 'scripting', 'depends on the subcommand', 'Container for script-cache subcommands'),
  'script|debug': m('3.2.0', 'scripting', 'O(1)', 'Chooses the debugging mode for subsequent scripts', { args: 'mode=O(yes=T@YES sync=T@SYNC no=T@NO)' }),
  'script|exists': m('2.6.0', 'scripting', 'O(N)', 'Tells whether scripts are in the cache', { tips: 'request_policy:all_shards response_policy:agg_logical_and', args: '*sha1=s' }),
  'script|flush': m('2.6.0', 'scripting', 'O(N)', 'Empties the script cache', { tips: 'request_policy:all_nodes response_policy:all_succeeded', args: '?async=O#6.2.0(async=T@ASYNC sync=T@SYNC)' }),
  'script|help': m('5.0.0', 'scripting', 'O(1)', 'Describes the SCRIPT subcommands'),
  'script|kill': m('2.6.0', 'scripting', 'O(1)', 'Stops the script that is running now', { tips: 'request_policy:all_shards response_policy:one_succeeded' }),
  'script|load': m('2.6.0', 'scripting', 'O(N)', 'Puts a script in the cache without running it', { tips: 'request_policy:all_nodes response_policy:all_succeeded', args: 'script=s' }),
  'sdiff': m('1.0.0', 'set', 'O(N)', 'Returns the members of a set absent from the others', { ks: ['RO,access i1 r-1,1,0'], tips: 'nondeterministic_output_order', args: '*key=k0' }),
  'sdiffstore': m('1.0.0', 'set', 'O(N)', 'Stores the difference of sets', { ks: ['OW,update i1 r0,1,0', 'RO,access i2 r-1,1,0'], args: 'destination=k0 *key=k1' }),
  'select': m('1.0.0', 'connection', 'O(1)', 'Chooses the database of the connection', { args: 'index=i' }),
  'set': m('1.0.0', 'string', 'O(1)', 'Stores a string under a key, with expiry and conditions', { ks: ['RW,access,update,variable_flags i1 r0,1,0'], args: 'key=k0 value=s ?condition=O#2.6.12(nx=T@NX xx=T@XX) ?get=T@GET#6.2.0 ?expiration=O(seconds=i@EX#2.6.12 milliseconds=i@PX#2.6.12 unix-time-seconds=t@EXAT#6.2.0 unix-time-milliseconds=t@PXAT#6.2.0 keepttl=T@KEEPTTL#6.0.0)' }),
  'setbit': m('2.2.0', 'bitmap', 'O(1)', 'Writes one bit of a string', { ks: ['RW,access,update i1 r0,1,0'], args: 'key=k0 offset=i value=i' }),
  'setex': m('2.0.0', 'string', 'O(1)', 'Sets a string with a time to live in seconds', { ks: ['OW,update i1 r0,1,0'], args: 'key=k0 seconds=i value=s' }),
  'setnx': m('1.0.0', 'string', 'O(1)', 'Sets a string only when the key is absent', { ks: ['OW,insert i1 r0,1,0'], args: 'key=k0 value=s' }),
  'setrange': m('2.2.0', 'string', 'O(1)', 'Overwrites part of a string at an offset', { ks: ['RW,update i1 r0,1,0'], args: 'key=k0 offset=i value=s' }),
  'shutdown': m('1.0.0', 'server', 'O(N)', 'Stops the server, optionally saving first', { args: '?nosave_save=O(nosave=T@NOSAVE save=T@SAVE) ?now=T@NOW#7.0.0 ?force=T@FORCE#7.0.0 ?abort=T@ABORT#7.0.0' }),
  'sinter': m('1.0.0', 'set', 'O(N*M)', 'Returns the members common to all sets', { ks: ['RO,access i1 r-1,1,0'], tips: 'nondeterministic_output_order', args: '*key=k0' }),
  'sintercard': m('7.0.0', 'set', 'O(N*M)', 'Counts the members common to all sets', { ks: ['RO,access i1 n0,1,1'], args: 'numkeys=i *key=k0 ?limit=i@LIMIT' }),
  'sinterstore': m('1.0.0', 'set', 'O(N*M)', 'Stores the intersection of sets', { ks: ['RW,update i1 r0,1,0', 'RO,access i2 r-1,1,0'], args: 'destination=k0 *key=k1' }),
  'sismember': m('1.0.0', 'set', 'O(1)', 'Tells whether a value is in a set', { ks: ['RO i1 r0,1,0'], args: 'key=k0 member=s' }),
  'slaveof': m('1.0.0', 'server', 'O(1)', 'Makes the server a replica of another (old name)', { doc: 'deprecated', dep: ['5.0.0', 'REPLICAOF'], args: 'args=O(host-port=B(host=s port=i) no-one=B(no=T@NO one=T@ONE))' }),
  'slowlog': m('2.2.12', 'server', 'depends on the subcommand', 'Container for slow-log subcommands'),
  'slowlog|get': m('2.2.12', 'server', 'O(N)', 'Returns entries of the slow log', { tips: 'request_policy:all_nodes nondeterministic_output', args: '?count=i' }),
  'slowlog|help': m('6.2.0', 'server', 'O(1)', 'Describes the SLOWLOG subcommands'),
  'slowlog|len': m('2.2.12', 'server', 'O(1)', 'Counts the entries of the slow log', { tips: 'request_policy:all_nodes response_policy:agg_sum nondeterministic_output' }),
  'slowlog|reset': m('2.2.12', 'server', 'O(N)', 'Empties the slow log', { tips: 'request_policy:all_nodes response_policy:all_succeeded' }),
  'smembers': m('1.0.0', 'set', 'O(N)', 'Returns every member of a set', { ks: ['RO,access i1 r0,1,0'], tips: 'nondeterministic_output_order', args: 'key=k0' }),
  'smismember': m('6.2.0', 'set', 'O(N)', 'Tells for each value whether it is in a set', { ks: ['RO,access i1 r0,1,0'], args: 'key=k0 *member=s' }),
  'smove': m('1.0.0', 'set', 'O(1)', 'Moves a member from one set to another', { ks: ['RW,access,delete i1 r0,1,0', 'RW,insert i2 r0,1,0'], args: 'source=k0 destination=k1 member=s' }),
  'sort': m('1.0.0', 'generic', 'O(N+M*log(M))', 'Sorts a list, set or sorted set (may store the result)', { ks: ['RO,access i1 r0,1,0', 'RO,access u u', 'OW,update u u'], args: 'key=k0 ?pattern=p1@BY ?offset_count=B@LIMIT(offset=i count=i) ?*+pattern=p1@GET ?order=O(asc=T@ASC desc=T@DESC) ?sorting=T@ALPHA ?destination=k2@STORE' }),
  'sort_ro': m('7.0.0', 'generic', 'O(N+M*log(M))', 'Sorts a list, set or sorted set', { ks: ['RO,access i1 r0,1,0', 'RO,access u u'], args: 'key=k0 ?pattern=p1@BY ?offset_count=B@LIMIT(offset=i count=i) ?*+pattern=p1@GET ?order=O(asc=T@ASC desc=T@DESC) ?sorting=T@ALPHA' }),
  'spop': m('1.0.0', 'set', 'O(1), or O(N) with a count of N', 'Removes and returns random members of a set', { ks: ['RW,access,delete i1 r0,1,0'], tips: 'nondeterministic_output', args: 'key=k0 ?count=i#3.2.0' }),
  'spublish': m('7.0.0', 'pubsub', 'O(N)', 'Sends a message to a shard channel', { ks: ['not_key i1 r0,1,0'], args: 'shardchannel=s message=s' }),
  'srandmember': m('1.0.0', 'set', 'O(1), or O(N) with a count of N', 'Returns random members of a set', { ks: ['RO,access i1 r0,1,0'], tips: 'nondeterministic_output', args: 'key=k0 ?count=i#2.6.0' }),
  'srem': m('1.0.0', 'set', 'O(N)', 'Removes members from a set', { ks: ['RW,delete i1 r0,1,0'], args: 'key=k0 *member=s' }),
  'sscan': m('2.8.0', 'set', 'O(1)', 'Walks the members of a set with a cursor', { ks: ['RO,access i1 r0,1,0'], tips: 'nondeterministic_output', args: 'key=k0 cursor=i ?pattern=p@MATCH ?count=i@COUNT' }),
  'ssubscribe': m('7.0.0', 'pubsub', 'O(N)', 'Subscribes to shard channels', { ks: ['not_key i1 r-1,1,0'], args: '*shardchannel=s' }),
  'strlen': m('2.2.0', 'string', 'O(1)', 'Returns the length of a string', { ks: ['RO i1 r0,1,0'], args: 'key=k0' }),
  'subscribe': m('2.0.0', 'pubsub', 'O(N)', 'Subscribes to channels', { args: '*channel=s' }),
  'substr': m('1.0.0', 'string', 'O(N)', 'Returns a slice of a string (old name of GETRANGE)', { ks: ['RO,access i1 r0,1,0'], doc: 'deprecated', dep: ['2.0.0', 'GETRANGE'], args: 'key=k0 start=i end=i' }),
  'sunion': m('1.0.0', 'set', 'O(N)', 'Returns the members of all sets together', { ks: ['RO,access i1 r-1,1,0'], tips: 'nondeterministic_output_order', args: '*key=k0' }),
  'sunionstore': m('1.0.0', 'set', 'O(N)', 'Stores the union of sets', { ks: ['OW,update i1 r0,1,0', 'RO,access i2 r-1,1,0'], args: 'destination=k0 *key=k1' }),
  'sunsubscribe': m('7.0.0', 'pubsub', 'O(N)', 'Drops shard-channel subscriptions', { ks: ['not_key i1 r-1,1,0'], args: '?*shardchannel=s' }),
  'swapdb': m('4.0.0', 'server', 'O(N)', 'Exchanges the contents of two databases', { args: 'index1=i index2=i' }),
  'sync': m('1.0.0', 'server', null, 'Starts a full replication stream (internal)'),
  'time': m('2.6.0', 'server', 'O(1)', 'Returns the server clock', { tips: 'nondeterministic_output' }),
  'touch': m('3.2.1', 'generic', 'O(N)', 'Updates the access time of keys and counts those that exist', { ks: ['RO i1 r-1,1,0'], tips: 'request_policy:multi_shard response_policy:agg_sum', args: '*key=k0' }),
  'ttl': m('1.0.0', 'generic', 'O(1)', 'Returns a key\'s remaining time to live in seconds', { ks: ['RO,access i1 r0,1,0'], tips: 'nondeterministic_output', args: 'key=k0' }),
  'type': m('1.0.0', 'generic', 'O(1)', 'Names the type of the value at a key', { ks: ['RO i1 r0,1,0'], args: 'key=k0' }),
  'unlink': m('4.0.0', 'generic', 'O(1)', 'Removes keys, freeing memory in the background', { ks: ['RM,delete i1 r-1,1,0'], tips: 'request_policy:multi_shard response_policy:agg_sum', args: '*key=k0' }),
  'unsubscribe': m('2.0.0', 'pubsub', 'O(N)', 'Drops channel subscriptions', { args: '?*channel=s' }),
  'unwatch': m('2.2.0', 'transactions', 'O(1)', 'Forgets every watched key'),
  'wait': m('3.0.0', 'generic', 'O(1)', 'Waits until replicas acknowledge earlier writes', { tips: 'request_policy:all_shards response_policy:agg_min', args: 'numreplicas=i timeout=i' }),
  'watch': m('2.2.0', 'transactions', 'O(1)', 'Watches keys so that EXEC fails if they change', { ks: ['RO i1 r-1,1,0'], args: '*key=k0' }),
  'xack': m('5.0.0', 'stream', 'O(1)', 'Acknowledges stream entries for a consumer group', { ks: ['RW,update i1 r0,1,0'], args: 'key=k0 group=s *id=s' }),
  'xadd': m('5.0.0', 'stream', 'O(1)', 'Appends an entry to a stream', { ks: ['RW,update i1 r0,1,0'], tips: 'nondeterministic_output', args: 'key=k0 ?nomkstream=T@NOMKSTREAM#6.2.0 ?trim=B(strategy=O(maxlen=T@MAXLEN minid=T@MINID#6.2.0) ?operator=O(equal=T@= approximately=T@~) threshold=s ?count=i@LIMIT#6.2.0) id_or_auto=O(auto_id=T@* id=s) *field_value=B(field=s value=s)' }),
  'xautoclaim': m('6.2.0', 'stream', 'O(1)', 'Takes over idle pending entries, scanning by id', { ks: ['RW,delete i1 r0,1,0'], tips: 'nondeterministic_output', args: 'key=k0 group=s consumer=s min-idle-time=s start=s ?count=i@COUNT ?justid=T@JUSTID' }),
  'xclaim': m('5.0.0', 'stream', 'O(log N)', 'Takes over pending entries of a consumer group', { ks: ['RW,update i1 r0,1,0'], tips: 'nondeterministic_output', args: 'key=k0 group=s consumer=s min-idle-time=s *id=s ?ms=i@IDLE ?unix-time-milliseconds=t@TIME ?count=i@RETRYCOUNT ?force=T@FORCE ?justid=T@JUSTID ?id=s@LASTID' }),
  'xdel': m('5.0.0', 'stream', 'O(1)', 'Removes entries from a stream', { ks: ['RW,delete i1 r0,1,0'], args: 'key=k0 *id=s' }),
  'xgroup': m('5.0.0', 'stream', 'depends on the subcommand', 'Container for consumer-group subcommands'),
  'xgroup|create': m('5.0.0', 'stream', 'O(1)', 'Creates a consumer group', { ks: ['RW,insert i2 r0,1,0'], args: 'key=k0 groupname=s id=O(id=s new_id=T@$) ?mkstream=T@MKSTREAM ?entries_read=i@ENTRIESREAD' }),
  'xgroup|createconsumer': m('6.2.0', 'stream', 'O(1)', 'Adds a consumer to a consumer group', { ks: ['RW,insert i2 r0,1,0'], args: 'key=k0 groupname=s consumername=s' }),
  'xgroup|delconsumer': m('5.0.0', 'stream', 'O(1)', 'Removes a consumer from a consumer group', { ks: ['RW,delete i2 r0,1,0'], args: 'key=k0 groupname=s consumername=s' }),
  'xgroup|destroy': m('5.0.0', 'stream', 'O(N)', 'Removes a consumer group', { ks: ['RW,delete i2 r0,1,0'], args: 'key=k0 groupname=s' }),
  'xgroup|help': m('5.0.0', 'stream', 'O(1)', 'Describes the XGROUP subcommands'),
  'xgroup|setid': m('5.0.0', 'stream', 'O(1)', 'Moves the last-delivered id of a consumer group', { ks: ['RW,update i2 r0,1,0'], args: 'key=k0 groupname=s id=O(id=s new_id=T@$) ?entries_read=i@ENTRIESREAD' }),
  'xinfo': m('5.0.0', 'stream', 'depends on the subcommand', 'Container for stream introspection subcommands'),
  'xinfo|consumers': m('5.0.0', 'stream', 'O(1)', 'Describes the consumers of a group', { ks: ['RO,access i2 r0,1,0'], tips: 'nondeterministic_output', args: 'key=k0 groupname=s' }),
  'xinfo|groups': m('5.0.0', 'stream', 'O(1)', 'Describes the consumer groups of a stream', { ks: ['RO,access i2 r0,1,0'], args: 'key=k0' }),
  'xinfo|help': m('5.0.0', 'stream', 'O(1)', 'Describes the XINFO subcommands'),
  'xinfo|stream': m('5.0.0', 'stream', 'O(1)', 'Describes a stream', { ks: ['RO,access i2 r0,1,0'], args: 'key=k0 ?full=B@FULL(?count=i@COUNT)' }),
  'xlen': m('5.0.0', 'stream', 'O(1)', 'Counts the entries of a stream', { ks: ['RO i1 r0,1,0'], args: 'key=k0' }),
  'xpending': m('5.0.0', 'stream', 'O(N)', 'Inspects the pending entries of a consumer group', { ks: ['RO,access i1 r0,1,0'], tips: 'nondeterministic_output', args: 'key=k0 group=s ?filters=B(?min-idle-time=i@IDLE#6.2.0 start=s end=s count=i ?consumer=s)' }),
  'xrange': m('5.0.0', 'stream', 'O(N)', 'Returns stream entries in an id range', { ks: ['RO,access i1 r0,1,0'], args: 'key=k0 start=s end=s ?count=i@COUNT' }),
  'xread': m('5.0.0', 'stream', 'O(N) per stream, N = entries returned', 'Reads entries from streams, optionally waiting for new ones', { ks: ['RO,access kSTREAMS,1 r-1,1,2'], args: '?count=i@COUNT ?milliseconds=i@BLOCK streams=B@STREAMS(*key=k0 *id=s)' }),
  'xreadgroup': m('5.0.0', 'stream', 'O(M) per stream, M = entries returned', 'Reads entries from streams as a consumer of a group', { ks: ['RO,access kSTREAMS,4 r-1,1,2'], args: 'group_consumer=B@GROUP(group=s consumer=s) ?count=i@COUNT ?milliseconds=i@BLOCK ?noack=T@NOACK streams=B@STREAMS(*key=k0 *id=s)' }),
  'xrevrange': m('5.0.0', 'stream', 'O(N)', 'Returns stream entries in an id range, newest first', { ks: ['RO,access i1 r0,1,0'], args: 'key=k0 end=s start=s ?count=i@COUNT' }),
  'xsetid': m('5.0.0', 'stream', 'O(1)', 'Sets the last id of a stream', { ks: ['RW,update i1 r0,1,0'], args: 'key=k0 last-id=s ?entries_added=i@ENTRIESADDED#7.0.0 ?max_deleted_entry_id=s@MAXDELETEDID#7.0.0' }),
  'xtrim': m('5.0.0', 'stream', 'O(N)', 'Drops old entries from a stream', { ks: ['RW,delete i1 r0,1,0'], tips: 'nondeterministic_output', args: 'key=k0 trim=B(strategy=O(maxlen=T@MAXLEN minid=T@MINID#6.2.0) ?operator=O(equal=T@= approximately=T@~) threshold=s ?count=i@LIMIT#6.2.0)' }),
  'zadd': m('1.2.0', 'sorted-set', 'O(log(N))', 'Adds members with scores to a sorted set, or updates them', { ks: ['RW,update i1 r0,1,0'], args: 'key=k0 ?condition=O#3.0.2(nx=T@NX xx=T@XX) ?comparison=O#6.2.0(gt=T@GT lt=T@LT) ?change=T@CH#3.0.2 ?increment=T@INCR#3.0.2 *score_member=B(score=d member=s)' }),
  'zcard': m('1.2.0', 'sorted-set', 'O(1)', 'Counts the members of a sorted set', { ks: ['RO i1 r0,1,0'], args: 'key=k0' }),
  'zcount': m('2.0.0', 'sorted-set', 'O(log(N))', 'Counts sorted-set members within a score range', { ks: ['RO,access i1 r0,1,0'], args: 'key=k0 min=d max=d' }),
  'zdiff': m('6.2.0', 'sorted-set', 'O(L + (N-K)log(N))', 'Returns the members of a sorted set absent from the others', { ks: ['RO,access i1 n0,1,1'], args: 'numkeys=i *key=k0 ?withscores=T@WITHSCORES' }),
  'zdiffstore': m('6.2.0', 'sorted-set', 'O(L + (N-K)log(N))', 'Stores the difference of sorted sets', { ks: ['OW,update i1 r0,1,0', 'RO,access i2 n0,1,1'], args: 'destination=k0 numkeys=i *key=k1' }),
  'zincrby': m('1.2.0', 'sorted-set', 'O(log(N))', 'Adds to the score of a sorted-set member', { ks: ['RW,access,update i1 r0,1,0'], args: 'key=k0 increment=i member=s' }),
  'zinter': m('6.2.0', 'sorted-set', 'O(N*K)', 'Returns the intersection of sorted sets', { ks: ['RO,access i1 n0,1,1'], args: 'numkeys=i *key=k0 ?*weight=i@WEIGHTS ?aggregate=O@AGGREGATE(sum=T@SUM min=T@MIN max=T@MAX) ?withscores=T@WITHSCORES' }),
  'zintercard': m('7.0.0', 'sorted-set', 'O(N*K)', 'Counts the members common to all sorted sets', { ks: ['RO,access i1 n0,1,1'], args: 'numkeys=i *key=k0 ?limit=i@LIMIT' }),
  'zinterstore': m('2.0.0', 'sorted-set', 'O(N*K)', 'Stores the intersection of sorted sets', { ks: ['OW,update i1 r0,1,0', 'RO,access i2 n0,1,1'], args: 'destination=k0 numkeys=i *key=k1 ?*weight=i@WEIGHTS ?aggregate=O@AGGREGATE(sum=T@SUM min=T@MIN max=T@MAX)' }),
  'zlexcount': m('2.8.9', 'sorted-set', 'O(log(N))', 'Counts sorted-set members within a lexicographic range', { ks: ['RO,access i1 r0,1,0'], args: 'key=k0 min=s max=s' }),
  'zmpop': m('7.0.0', 'sorted-set', 'O(K)', 'Pops members from the first non-empty sorted set', { ks: ['RW,access,delete i1 n0,1,1'], args: 'numkeys=i *key=k0 where=O(min=T@MIN max=T@MAX) ?count=i@COUNT' }),
  'zmscore': m('6.2.0', 'sorted-set', 'O(N)', 'Returns the scores of several sorted-set members', { ks: ['RO,access i1 r0,1,0'], args: 'key=k0 *member=s' }),
  'zpopmax': m('5.0.0', 'sorted-set', 'O(log(N)*M)', 'Removes and returns the highest-scored members', { ks: ['RW,access,delete i1 r0,1,0'], args: 'key=k0 ?count=i' }),
  'zpopmin': m('5.0.0', 'sorted-set', 'O(log(N)*M)', 'Removes and returns the lowest-scored members', { ks: ['RW,access,delete i1 r0,1,0'], args: 'key=k0 ?count=i' }),
  'zrandmember': m('6.2.0', 'sorted-set', 'O(N)', 'Returns random members of a sorted set', { ks: ['RO,access i1 r0,1,0'], tips: 'nondeterministic_output', args: 'key=k0 ?options=B(count=i ?withscores=T@WITHSCORES)' }),
  'zrange': m('1.2.0', 'sorted-set', 'O(log(N)+M)', 'Returns a range of sorted-set members by rank, score or lex', { ks: ['RO,access i1 r0,1,0'], args: 'key=k0 start=s stop=s ?sortby=O#6.2.0(byscore=T@BYSCORE bylex=T@BYLEX) ?rev=T@REV#6.2.0 ?offset_count=B@LIMIT#6.2.0(offset=i count=i) ?withscores=T@WITHSCORES' }),
  'zrangebylex': m('2.8.9', 'sorted-set', 'O(log(N)+M)', 'Returns sorted-set members within a lexicographic range', { ks: ['RO,access i1 r0,1,0'], doc: 'deprecated', dep: ['6.2.0', 'ZRANGE with BYLEX'], args: 'key=k0 min=s max=s ?offset_count=B@LIMIT(offset=i count=i)' }),
  'zrangebyscore': m('1.0.5', 'sorted-set', 'O(log(N)+M)', 'Returns sorted-set members within a score range', { ks: ['RO,access i1 r0,1,0'], doc: 'deprecated', dep: ['6.2.0', 'ZRANGE with BYSCORE'], args: 'key=k0 min=d max=d ?withscores=T@WITHSCORES#2.0.0 ?offset_count=B@LIMIT(offset=i count=i)' }),
  'zrangestore': m('6.2.0', 'sorted-set', 'O(log(N)+M)', 'Stores a range of a sorted set', { ks: ['OW,update i1 r0,1,0', 'RO,access i2 r0,1,0'], args: 'dst=k0 src=k1 min=s max=s ?sortby=O(byscore=T@BYSCORE bylex=T@BYLEX) ?rev=T@REV ?offset_count=B@LIMIT(offset=i count=i)' }),
  'zrank': m('2.0.0', 'sorted-set', 'O(log(N))', 'Returns the rank of a member, lowest score first', { ks: ['RO,access i1 r0,1,0'], args: 'key=k0 member=s' }),
  'zrem': m('1.2.0', 'sorted-set', 'O(M*log(N))', 'Removes members from a sorted set', { ks: ['RW,delete i1 r0,1,0'], args: 'key=k0 *member=s' }),
  'zremrangebylex': m('2.8.9', 'sorted-set', 'O(log(N)+M)', 'Removes sorted-set members within a lexicographic range', { ks: ['RW,delete i1 r0,1,0'], args: 'key=k0 min=s max=s' }),
  'zremrangebyrank': m('2.0.0', 'sorted-set', 'O(log(N)+M)', 'Removes sorted-set members within a rank range', { ks: ['RW,delete i1 r0,1,0'], args: 'key=k0 start=i stop=i' }),
  'zremrangebyscore': m('1.2.0', 'sorted-set', 'O(log(N)+M)', 'Removes sorted-set members within a score range', { ks: ['RW,delete i1 r0,1,0'], args: 'key=k0 min=d max=d' }),
  'zrevrange': m('1.2.0', 'sorted-set', 'O(log(N)+M)', 'Returns sorted-set members by rank, highest score first', { ks: ['RO,access i1 r0,1,0'], doc: 'deprecated', dep: ['6.2.0', 'ZRANGE with REV'], args: 'key=k0 start=i stop=i ?withscores=T@WITHSCORES' }),
  'zrevrangebylex': m('2.8.9', 'sorted-set', 'O(log(N)+M)', 'Returns sorted-set members within a lexicographic range, reversed', { ks: ['RO,access i1 r0,1,0'], doc: 'deprecated', dep: ['6.2.0', 'ZRANGE with BYLEX and REV'], args: 'key=k0 max=s min=s ?offset_count=B@LIMIT(offset=i count=i)' }),
  'zrevrangebyscore': m('2.2.0', 'sorted-set', 'O(log(N)+M)', 'Returns sorted-set members within a score range, highest first', { ks: ['RO,access i1 r0,1,0'], doc: 'deprecated', dep: ['6.2.0', 'ZRANGE with BYSCORE and REV'], args: 'key=k0 max=d min=d ?withscores=T@WITHSCORES ?offset_count=B@LIMIT(offset=i count=i)' }),
  'zrevrank': m('2.0.0', 'sorted-set', 'O(log(N))', 'Returns the rank of a member, highest score first', { ks: ['RO,access i1 r0,1,0'], args: 'key=k0 member=s' }),
  'zscan': m('2.8.0', 'sorted-set', 'O(1)', 'Walks the members of a sorted set with a cursor', { ks: ['RO,access i1 r0,1,0'], tips: 'nondeterministic_output', args: 'key=k0 cursor=i ?pattern=p@MATCH ?count=i@COUNT' }),
  'zscore': m('1.2.0', 'sorted-set', 'O(1)', 'Returns the score of a sorted-set member', { ks: ['RO,access i1 r0,1,0'], args: 'key=k0 member=s' }),
  'zunion': m('6.2.0', 'sorted-set', 'O(N)', 'Returns the union of sorted sets', { ks: ['RO,access i1 n0,1,1'], args: 'numkeys=i *key=k0 ?*weight=i@WEIGHTS ?aggregate=O@AGGREGATE(sum=T@SUM min=T@MIN max=T@MAX) ?withscores=T@WITHSCORES' }),
  'zunionstore': m('2.0.0', 'sorted-set', 'O(N)', 'Stores the union of sorted sets', { ks: ['OW,update i1 r0,1,0', 'RO,access i2 n0,1,1'], args: 'destination=k0 numkeys=i *key=k1 ?*weight=i@WEIGHTS ?aggregate=O@AGGREGATE(sum=T@SUM min=T@MIN max=T@MAX)' }),
};
