// The server command family: CONFIG (GET/SET/RESETSTAT/REWRITE), COMMAND (INFO/DOCS/LIST/COUNT/
// GETKEYS), INFO, MONITOR, DEBUG, TIME, LASTSAVE and SHUTDOWN (FUNCTION is in commands/scripting.ts).
// Each is a thin handler: configuration logic is in config.ts, command metadata in
// command-docs.ts, the INFO text in stats/info.ts. Subcommand tables follow Redis 7.0's arity,
// flags and ACL categories exactly; help texts are our own wording.

import { spawnSync } from 'node:child_process';
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { replyHelp, subcommandSyntaxError } from './help.js';
import { cmd, type CommandSpec, type Ctx } from '../command.js';
import { CONFIG_TABLE } from '../config-table.js';
import { E, ReplyError } from '../errors.js';
import { is } from '../args.js';
import { globMatch } from '../glob.js';
import { Config, splitConfigLine } from '../config.js';
import type { Engine } from '../engine.js';
import type { Client } from '../client.js';
import type { RObj } from '../types/objects.js';
import { debugReload, persistenceDebug } from '../persist/debug.js';
import { debugLoadAof } from '../persist/aof.js';
import { cancelBgsave, saveNow } from '../persist/state.js';
import { abandonBusyScript } from '../scripting/busy.js';
import { generateInfo, changeReplicationId, listeningPort, resetInfoStats } from '../stats/info.js';
import {
  commandHasKeys,
  commandKeys,
  listCommands,
  lookupByFullName,
  writeCommandDocs,
  writeCommandInfo,
  type ListFilter,
} from './command-docs.js';

// --- CONFIG ---------------------------------------------------------------------------------------

/** Hidden parameters (Redis's HIDDEN_CONFIG: debugging knobs) answer only when named exactly. */
const isHidden = (flags: readonly string[] | undefined): boolean => flags?.includes('hidden') ?? false;

/** Every name a CONFIG GET pattern can match: canonical names and aliases, in table order. */
const CONFIG_NAMES: Array<[name: string, canonical: string]> = CONFIG_TABLE.filter((s) => !isHidden(s.flags)).flatMap((s) => [
  [s.name, s.name] as [string, string],
  ...(s.aliases ?? []).map((a) => [a, s.name] as [string, string]),
]);

function configGet(ctx: Ctx, argv: string[]): void {
  const { config } = ctx.engine;
  // Reported names are deduplicated case-insensitively; the first spelling seen is echoed.
  const matches = new Map<string, [shown: string, canonical: string]>();
  for (const pattern of argv.slice(2)) {
    // Without glob characters the name is looked up as given, and echoed as typed.
    if (!/[[*?]/.test(pattern)) {
      if (matches.has(pattern.toLowerCase())) continue;
      const spec = config.lookup(pattern);
      if (spec) matches.set(pattern.toLowerCase(), [pattern, spec.name]);
      continue;
    }
    // Aliases are parameters of their own here: both names match, each reported once.
    for (const [name, canonical] of CONFIG_NAMES) {
      if (matches.has(name)) continue;
      if (globMatch(pattern, name, true)) matches.set(name, [name, canonical]);
    }
  }
  ctx.reply.mapLen(matches.size);
  for (const [shown, canonical] of matches.values()) {
    ctx.reply.bulk(shown);
    ctx.reply.bulk(CONFIG_LIVE_VALUES[canonical]?.(ctx) ?? config.get(canonical));
  }
}

/** Parameters whose truth is the running server rather than the stored value. */
const CONFIG_LIVE_VALUES: Record<string, (ctx: Ctx) => string> = {
  // The engine may listen on a port picked at start (port 0) or given to the network layer.
  port: (ctx) => String(listeningPort(ctx.engine, ctx.client)),
};

/**
 * Can this process listen on `port` on the loopback interface? Checked in a child process
 * because Node cannot bind synchronously and CONFIG SET must answer within the command.
 */
function portAvailable(port: number): boolean {
  const probe =
    "const s=require('net').createServer();s.once('error',()=>process.exit(1));" +
    `s.listen(${port},'127.0.0.1',()=>s.close(()=>process.exit(0)))`;
  const r = spawnSync(process.execPath, ['-e', probe], { stdio: 'ignore', timeout: 5000 });
  return r.status === 0;
}

/** enable-protected-configs: yes, or local for loopback clients. */
function protectedAllowed(ctx: Ctx): boolean {
  const mode = ctx.engine.config.get('enable-protected-configs');
  if (mode === 'yes') return true;
  if (mode !== 'local') return false;
  return /^(127\.|::1|::ffff:127\.|\/)/.test(ctx.client.addr) || ctx.client.addr.startsWith('unix');
}

const setFailed = (arg: string, why: string): string => `CONFIG SET failed (possibly related to argument '${arg}') - ${why}`;

/** Changes that Redis applies after validation and can refuse (its "apply" step). */
const CONFIG_APPLY_CHECKS: Record<string, (value: string, ctx: Ctx) => string | null> = {
  port: (value, ctx) => {
    const port = Number(value);
    if (port === 0 || port === listeningPort(ctx.engine, ctx.client)) return null;
    return portAvailable(port) ? null : 'Unable to listen on this port. Check server logs.';
  },
  dir: (value) => {
    try {
      return statSync(value).isDirectory() ? null : 'Not a directory';
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      return code === 'EACCES' ? 'Permission denied' : 'No such file or directory';
    }
  },
};

function configSet(ctx: Ctx, argv: string[]): void {
  const { config } = ctx.engine;
  if (argv.length % 2 !== 0) throw new ReplyError(E.syntax);
  const pairs: Array<[string, string]> = [];
  for (let i = 2; i < argv.length; i += 2) pairs.push([argv[i]!, argv[i + 1]!]);
  // The checks Redis runs over every pair before touching anything; the first problem wins. An
  // alias is a parameter of its own there: "name" and its alias together are not duplicates.
  let problem: string | null = null;
  const seen = new Set<string>();
  for (const [name] of pairs) {
    const spec = config.lookup(name);
    if (!spec) {
      problem ??= `Unknown option or number of arguments for CONFIG SET - '${name}'`;
      continue;
    }
    if (problem) continue;
    if (spec.flags?.includes('immutable')) problem = setFailed(name, "can't set immutable config");
    else if (spec.flags?.includes('protected') && !protectedAllowed(ctx)) problem = setFailed(name, "can't set protected config");
    else if (seen.has(name.toLowerCase())) problem = setFailed(name, 'duplicate parameter');
    seen.add(name.toLowerCase());
  }
  if (problem) throw new ReplyError(problem);
  // Values are checked in order, each against a scratch configuration; errors name the parameter
  // as registered (lower case, the alias when an alias was used).
  const scratch = new Config();
  for (const [name, value] of pairs) {
    try {
      scratch.setMany([[name, value]], { runtime: false });
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      const m = /^ERR CONFIG SET failed \(possibly related to argument '[^']*'\) - ([\s\S]*)$/.exec(msg);
      throw new ReplyError(m ? setFailed(name.toLowerCase(), m[1]!) : msg.replace(/^ERR /, ''));
    }
    const refused = CONFIG_APPLY_CHECKS[config.lookup(name)!.name]?.(value, ctx);
    if (refused) throw new ReplyError(setFailed(name.toLowerCase(), refused));
  }
  // Apply: the last value given for a parameter (under any of its names) wins.
  const last = new Map<string, [string, string]>();
  for (const [name, value] of pairs) last.set(config.lookup(name)!.name, [name, value]);
  config.setMany([...last.values()], { runtime: false });
  ctx.reply.ok();
}

/**
 * CONFIG RESETSTAT zeroes what Redis's resetServerStats, resetCommandTableStats and
 * resetErrorTableStats zero: the INFO stats counters, commandstats, errorstats, latency histograms
 * and the instantaneous samplers. Like Redis it leaves the slow log, the latency monitor,
 * used_memory_peak and the keyspace alone. Subsystems that keep counters of their own listen
 * for the engine's 'resetstat' event.
 */
function configResetStat(ctx: Ctx): void {
  ctx.engine.resetStats();
  resetInfoStats(ctx.engine);
  ctx.engine.emit('resetstat');
  ctx.reply.ok();
}

/** How CONFIG REWRITE writes one parameter: one line, or several for the multi-line directives. */
function directiveLines(name: string, value: string): string[] {
  const quote = (s: string): string =>
    s === '' || /[\s"'\\]/.test(s) || /[^\x21-\x7e]/.test(s)
      ? `"${s.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`
      : s;
  if (name === 'save') {
    if (value === '') return ['save ""'];
    const w = value.split(' ');
    const out: string[] = [];
    for (let i = 0; i < w.length; i += 2) out.push(`save ${w[i]} ${w[i + 1]}`);
    return out;
  }
  if (name === 'client-output-buffer-limit') {
    const w = value.split(' ');
    const out: string[] = [];
    for (let i = 0; i < w.length; i += 4) out.push(`${name} ${w.slice(i, i + 4).join(' ')}`);
    return out;
  }
  const spec = CONFIG_TABLE.find((s) => s.name === name);
  if (spec?.type.kind === 'special' && value !== '') return [`${name} ${value}`];
  if (spec?.type.kind === 'memory' && /^\d+$/.test(value)) return [`${name} ${formatMemory(Number(value))}`];
  return [`${name} ${quote(value)}`];
}

/** Memory values are written back in the largest unit that divides them (1gb, 64mb, 4kb). */
function formatMemory(bytes: number): string {
  for (const [unit, size] of [['gb', 1024 ** 3], ['mb', 1024 ** 2], ['kb', 1024]] as const) {
    if (bytes && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return String(bytes);
}

const REWRITE_SIGNATURE = '# Generated by CONFIG REWRITE';

/**
 * CONFIG REWRITE: keeps the file's comments and unknown lines, rewrites each known directive in
 * place with its current value (dropping repeats), and appends the changed parameters the file
 * does not mention after a signature line, as Redis does.
 */
function rewriteConfigFile(engine: Engine, path: string): void {
  const { config } = engine;
  let old: string[] = [];
  try {
    old = readFileSync(path, 'utf8').split(/\r?\n/);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const sig = old.indexOf(REWRITE_SIGNATURE);
  if (sig >= 0) old = old.slice(0, sig);
  while (old.length && old[old.length - 1] === '') old.pop();
  const written = new Set<string>();
  const out: string[] = [];
  for (const line of old) {
    const trimmed = line.trim();
    const words = trimmed && !trimmed.startsWith('#') ? splitConfigLine(trimmed) : null;
    const spec = words?.length ? config.lookup(words[0]!) : undefined;
    if (!spec) {
      out.push(line);
      continue;
    }
    if (written.has(spec.name)) continue;
    written.add(spec.name);
    out.push(...directiveLines(spec.name, config.get(spec.name)));
  }
  const added: string[] = [];
  for (const spec of CONFIG_TABLE) {
    if (written.has(spec.name)) continue;
    const value = config.get(spec.name);
    if (value !== spec.default) added.push(...directiveLines(spec.name, value));
  }
  if (added.length) out.push(REWRITE_SIGNATURE, ...added);
  const tmp = `${path}.redscope-rewrite-${process.pid}`;
  writeFileSync(tmp, out.join('\n') + '\n');
  renameSync(tmp, path);
}

function configRewrite(ctx: Ctx): void {
  const file = ctx.engine.configFile;
  if (!file) throw new ReplyError('The server is running without a config file');
  try {
    rewriteConfigFile(ctx.engine, file);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new ReplyError(`Rewriting config file: ${e.code === 'EACCES' ? 'Permission denied' : e.message}`);
  }
  ctx.reply.ok();
}

const CONFIG_HELP = [
  'GET <pattern> [<pattern> ...]',
  '    Show the parameters whose names match the glob-style patterns, with their values.',
  'SET <parameter> <value> [<parameter> <value> ...]',
  '    Change parameters at run time; either every pair is applied or none is.',
  'RESETSTAT',
  '    Zero the counters INFO reports (commands, errors, keyspace hits...).',
  'REWRITE',
  '    Write the running configuration back into the config file the server started with.',
];

// --- COMMAND --------------------------------------------------------------------------------------

function commandAll(ctx: Ctx, argv: string[]): void {
  if (argv.length > 1) throw new ReplyError(E.unknownSubcommand(argv[1]!, 'command'));
  const table = ctx.engine.commands;
  ctx.reply.arrayLen(table.size);
  for (const spec of table.values()) writeCommandInfo(ctx.reply, spec);
}

function commandInfo(ctx: Ctx, argv: string[]): void {
  const table = ctx.engine.commands;
  if (argv.length === 2) {
    commandAll(ctx, ['command']);
    return;
  }
  ctx.reply.arrayLen(argv.length - 2);
  for (const name of argv.slice(2)) writeCommandInfo(ctx.reply, lookupByFullName(table, name));
}

function commandDocs(ctx: Ctx, argv: string[]): void {
  const table = ctx.engine.commands;
  const specs: CommandSpec[] = [];
  if (argv.length === 2) specs.push(...table.values());
  else for (const name of argv.slice(2)) {
    const spec = lookupByFullName(table, name);
    if (spec) specs.push(spec);
  }
  ctx.reply.mapLen(specs.length);
  for (const spec of specs) {
    ctx.reply.bulk(spec.name);
    writeCommandDocs(ctx.reply, spec);
  }
}

function commandList(ctx: Ctx, argv: string[]): void {
  let filter: ListFilter = null;
  for (let i = 2; i < argv.length; i++) {
    const more = argv.length - 1 - i;
    if (!is(argv[i], 'filterby') || more !== 2) throw new ReplyError(E.syntax);
    const by = argv[i + 1]!.toLowerCase();
    if (by !== 'module' && by !== 'aclcat' && by !== 'pattern') throw new ReplyError(E.syntax);
    filter = { by, arg: argv[i + 2]! };
    i += 2;
  }
  ctx.reply.bulks(listCommands(ctx.engine.commands, filter));
}

/** COMMAND GETKEYS / GETKEYSANDFLAGS: finds the command the line names, then its key arguments. */
function getKeys(ctx: Ctx, argv: string[], withFlags: boolean): void {
  const line = argv.slice(2);
  const base = ctx.engine.commands.get(line[0]!.toLowerCase());
  let spec = base;
  if (base?.subcommands?.length && line.length > 1) spec = base.subcommands.find((s) => s.name === `${base.name}|${line[1]!.toLowerCase()}`);
  if (!spec) throw new ReplyError('Invalid command specified');
  if (!commandHasKeys(spec)) throw new ReplyError('The command has no key arguments');
  if ((spec.arity > 0 && spec.arity !== line.length) || line.length < -spec.arity)
    throw new ReplyError('Invalid number of arguments specified for command');
  const keys = commandKeys(spec, line);
  if (keys.length === 0 && !spec.flags.includes('no_mandatory_keys')) throw new ReplyError('Invalid arguments specified for command');
  const { reply } = ctx;
  reply.arrayLen(keys.length);
  for (const k of keys) {
    if (!withFlags) {
      reply.bulk(line[k.pos]!);
      continue;
    }
    reply.arrayLen(2);
    reply.bulk(line[k.pos]!);
    reply.setLen(k.flags.length);
    for (const f of k.flags) reply.simple(f);
  }
}

const COMMAND_HELP = [
  '(no subcommand)',
  '    Describe every command the server knows.',
  'COUNT',
  '    Number of commands the server knows.',
  'LIST [FILTERBY (MODULE <module>|ACLCAT <category>|PATTERN <glob>)]',
  '    Names of the commands and subcommands, optionally filtered.',
  'INFO [<command> ...]',
  '    Describe the named commands (all of them when none is named): arity, flags, key positions,',
  '    ACL categories, tips, key specs and subcommands.',
  'DOCS [<command> ...]',
  '    Documentation of the named commands (all of them when none is named): summary, version,',
  '    group, complexity and arguments.',
  'GETKEYS <command line>',
  '    The key names a full command line would access.',
  'GETKEYSANDFLAGS <command line>',
  '    The key names a full command line would access, with how each is accessed.',
];

// --- DEBUG ----------------------------------------------------------------------------------------

/** strtod's reading of a number: the longest numeric prefix, 0 when there is none. */
function strtod(s: string): number {
  const t = s.trimStart();
  const m = /^[+-]?(inf(inity)?|nan|0x[0-9a-f]+|(\d+\.?\d*|\.\d+)(e[+-]?\d+)?)/i.exec(t);
  if (!m) return 0;
  const w = m[0].toLowerCase().replace(/^\+/, '');
  if (w.endsWith('inf') || w.endsWith('infinity')) return w.startsWith('-') ? -Infinity : Infinity;
  if (w.endsWith('nan')) return NaN;
  if (w.includes('0x')) return (w.startsWith('-') ? -1 : 1) * parseInt(w.replace('-', ''), 16);
  return Number(w);
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/** Blocks the whole process (every client waits), as DEBUG SLEEP blocks Redis's event loop. */
function blockFor(ms: number): void {
  if (!(ms > 0)) return;
  Atomics.wait(sleepCell, 0, 0, ms);
}

function lenPrefix(n: number): number {
  return n < 64 ? 1 : n < 16384 ? 2 : n <= 0xffffffff ? 5 : 9;
}

/** Bytes of a string as RDB writes it (integer encoding when possible, no LZF). */
function rdbString(s: string): number {
  if (s.length <= 11 && /^(0|-?[1-9]\d*)$/.test(s)) {
    const n = Number(s);
    if (n >= -128 && n <= 127) return 2;
    if (n >= -32768 && n <= 32767) return 3;
    if (n >= -2147483648 && n <= 2147483647) return 5;
  }
  return lenPrefix(s.length) + s.length;
}

/** Bytes one element takes inside a listpack (encoding + data + back-length). */
function listpackEntry(s: string): number {
  let body: number;
  if (s.length <= 20 && /^(0|-?[1-9]\d*)$/.test(s)) {
    const n = Number(s);
    body = n >= 0 && n <= 127 ? 1 : n >= -4096 && n <= 4095 ? 2 : n >= -32768 && n <= 32767 ? 3 : n >= -8388608 && n <= 8388607 ? 4 : n >= -2147483648 && n <= 2147483647 ? 5 : 9;
  } else body = (s.length < 64 ? 1 : s.length < 4096 ? 2 : 5) + s.length;
  return body + (body < 128 ? 1 : body < 16384 ? 2 : body < 2097152 ? 3 : body < 268435456 ? 4 : 5);
}

function listpackBytes(items: Iterable<string>): number {
  let n = 7;
  for (const s of items) n += listpackEntry(s);
  return n;
}

function zsetPairs(obj: Extract<RObj, { type: 'zset' }>): Array<[string, number]> {
  return [...obj.v.entries()];
}

/** Quicklist nodes as Redis would pack the list with list-max-listpack-size. */
function quicklistNodes(items: string[], fill: number): number[] {
  const sizeLimit = fill < 0 ? [4096, 8192, 16384, 32768, 65536][Math.min(-fill, 5) - 1]! : 8192;
  const nodes: number[] = [];
  let bytes = 7;
  let count = 0;
  for (const s of items) {
    const e = listpackEntry(s);
    const full = count > 0 && (bytes + e > sizeLimit || (fill >= 0 && count >= fill));
    if (full) {
      nodes.push(bytes);
      bytes = 7;
      count = 0;
    }
    bytes += e;
    count++;
  }
  if (count > 0) nodes.push(bytes);
  return nodes;
}

/** An approximation of rdbSavedObjectLen (no LZF compression is assumed). */
function serializedLength(obj: RObj, engine: Engine): number {
  switch (obj.type) {
    case 'string':
      return rdbString(obj.v);
    case 'list': {
      const nodes = quicklistNodes(obj.v.toArray(), engine.config.num['list-max-listpack-size'] ?? -2);
      return lenPrefix(nodes.length) + nodes.reduce((a, b) => a + 1 + lenPrefix(b) + b, 0);
    }
    case 'hash': {
      if (obj.enc === 'listpack') {
        const b = listpackBytes([...obj.v.entries()].flatMap(([f, n]) => [f, n.v]));
        return lenPrefix(b) + b;
      }
      let n = lenPrefix(obj.v.size);
      for (const [f, node] of obj.v.entries()) n += rdbString(f) + rdbString(node.v);
      return n;
    }
    case 'set': {
      if (obj.enc === 'intset') {
        let width = 2;
        for (const m of obj.v.keys()) {
          const x = Number(m);
          if (x < -2147483648 || x > 2147483647) width = 8;
          else if ((x < -32768 || x > 32767) && width < 4) width = 4;
        }
        const b = 8 + width * obj.v.size;
        return lenPrefix(b) + b;
      }
      let n = lenPrefix(obj.v.size);
      for (const m of obj.v.keys()) n += rdbString(m);
      return n;
    }
    case 'zset': {
      const pairs = zsetPairs(obj);
      if (obj.enc === 'listpack') {
        const b = listpackBytes(pairs.flatMap(([m, s]) => [m, String(s)]));
        return lenPrefix(b) + b;
      }
      return lenPrefix(pairs.length) + pairs.reduce((a, [m]) => a + rdbString(m) + 8, 0);
    }
    case 'stream':
      return obj.v.rdbLength();
  }
}

function debugObject(ctx: Ctx, argv: string[]): void {
  const entry = ctx.db.entry(argv[2]!);
  if (!entry) throw new ReplyError(E.noSuchKey);
  const obj = entry.value;
  const shared = obj.type === 'string' && obj.enc === 'int' && Number(obj.v) >= 0 && Number(obj.v) < 10000;
  let extra = '';
  if (obj.type === 'list') {
    const fill = ctx.engine.config.num['list-max-listpack-size'] ?? -2;
    const nodes = quicklistNodes(obj.v.toArray(), fill);
    const avg = nodes.length ? obj.v.length / nodes.length : 0;
    extra =
      ` ql_nodes:${nodes.length} ql_avg_node:${avg.toFixed(2)} ql_listpack_max:${fill}` +
      ` ql_compressed:${(ctx.engine.config.num['list-compress-depth'] ?? 0) !== 0 ? 1 : 0}` +
      ` ql_uncompressed_size:${nodes.reduce((a, b) => a + b, 0)}`;
  }
  const lru = Math.floor(entry.lru / 1000) & 0xffffff;
  const idle = Math.max(0, Math.floor((ctx.now - entry.lru) / 1000));
  const addr = `0x${(0x7f0000000000 + ((entry.slot * 64) % 0xffffffff)).toString(16)}`;
  ctx.reply.simple(
    `Value at:${addr} refcount:${shared ? 2147483647 : 1} encoding:${obj.enc} ` +
      `serializedlength:${serializedLength(obj, ctx.engine)} lru:${lru} lru_seconds_idle:${idle}${extra}`,
  );
}

/** DEBUG PROTOCOL <type>: one reply of each RESP3 type, with the values Redis's tests expect. */
const PROTOCOL_SAMPLES: Record<string, (ctx: Ctx) => void> = {
  string: ({ reply }) => reply.bulk('Hello World'),
  integer: ({ reply }) => reply.int(12345),
  double: ({ reply }) => reply.double(3.141),
  bignum: ({ reply }) => reply.bigNumber('1234567999999999999999999999999999999'),
  null: ({ reply }) => reply.nullBulk(),
  array: ({ reply }) => {
    reply.arrayLen(3);
    for (let j = 0; j < 3; j++) reply.int(j);
  },
  set: ({ reply }) => {
    reply.setLen(3);
    for (let j = 0; j < 3; j++) reply.int(j);
  },
  map: ({ reply }) => {
    reply.mapLen(3);
    for (let j = 0; j < 3; j++) {
      reply.int(j);
      reply.bool(j === 1);
    }
  },
  attrib: ({ reply, client }) => {
    if (client.proto === 3) {
      reply.raw('|1\r\n');
      reply.bulk('key-popularity');
      reply.arrayLen(2);
      reply.bulk('key:123');
      reply.int(90);
    }
    reply.bulk('Some real reply following the attribute');
  },
  push: ({ reply, client }) => {
    if (client.proto !== 3) throw new ReplyError('RESP2 is not supported by this command');
    reply.pushLen(2);
    reply.bulk('server-cpu-usage');
    reply.int(42);
    reply.bulk('Some real reply following the push reply');
  },
  true: ({ reply }) => reply.bool(true),
  false: ({ reply }) => reply.bool(false),
  verbatim: ({ reply }) => reply.verbatim('This is a verbatim\nstring'),
};

const cronPaused = new WeakSet<Engine>();

interface DebugSub {
  /** Exact argument count (argv length), or undefined for any. */
  argc?: number;
  run: (ctx: Ctx, argv: string[]) => void;
}

const DEBUG_HELP = [
  'CHANGE-REPL-ID',
  '    Give the server a new replication id.',
  'LOG <message>',
  '    Write a message into the server log.',
  'OBJECT <key>',
  '    Describe the value at <key>: encoding, approximate serialized length, LRU clock.',
  'PAUSE-CRON <0|1>',
  '    Stop (1) or restart (0) the periodic tasks, active expiry included.',
  'PROTOCOL <type>',
  '    Reply with a sample of a reply type: string, integer, double, bignum, null, array, set, map,',
  '    attrib, push, verbatim, true or false.',
  'QUICKLIST-PACKED-THRESHOLD <size>',
  '    Accepted for compatibility; lists are not repacked.',
  'RELOAD [MERGE] [NOFLUSH] [NOSAVE]',
  '    Save the dataset to the RDB file, empty it and load the file back. MERGE keeps existing keys',
  '    (loaded ones win), NOFLUSH does not empty first, NOSAVE loads the file as it is.',
  'SET-SKIP-CHECKSUM-VALIDATION <0|1>',
  '    Let RESTORE accept DUMP payloads whose CRC64 is wrong (1) or not (0).',
  'LOADAOF',
  '    Empty the dataset and load it back from the append-only files the manifest lists.',
  'SET-ACTIVE-EXPIRE <0|1>',
  '    Turn the background expiry of keys off (0) or on (1).',
  'SET-DISABLE-DENY-SCRIPTS <0|1>',
  '    Let scripts call commands normally refused to them (1), or not (0).',
  'SLEEP <seconds>',
  '    Stop the whole server for the given (fractional) number of seconds.',
];

const DEBUG_SUBCOMMANDS: Record<string, DebugSub> = {
  help: { argc: 2, run: (ctx) => replyHelp(ctx, 'DEBUG', DEBUG_HELP) },
  sleep: {
    argc: 3,
    run: (ctx, argv) => {
      blockFor(strtod(argv[2]!) * 1000);
      ctx.reply.ok();
    },
  },
  'set-disable-deny-scripts': {
    argc: 3,
    run: (ctx, argv) => {
      ctx.engine.scriptsMayCallNoscript = Number.parseInt(argv[2]!, 10) ? true : false;
      ctx.reply.ok();
    },
  },
  'set-active-expire': {
    argc: 3,
    run: (ctx, argv) => {
      ctx.engine.activeExpire = Number.parseInt(argv[2]!, 10) ? true : false;
      ctx.reply.ok();
    },
  },
  log: {
    argc: 3,
    run: (ctx, argv) => {
      ctx.engine.emit('log', 'warning', `DEBUG LOG: ${argv[2]}`);
      ctx.reply.ok();
    },
  },
  object: { argc: 3, run: debugObject },
  protocol: {
    argc: 3,
    run: (ctx, argv) => {
      const sample = PROTOCOL_SAMPLES[argv[2]!.toLowerCase()];
      if (!sample)
        throw new ReplyError(
          'Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false',
        );
      sample(ctx);
    },
  },
  'change-repl-id': {
    argc: 2,
    run: (ctx) => {
      changeReplicationId(ctx.engine);
      ctx.reply.ok();
    },
  },
  'quicklist-packed-threshold': {
    argc: 3,
    run: (ctx, argv) => {
      const size = /^\d+[a-z]*$/i.test(argv[2]!) ? parseMemoryValue(argv[2]!) : null;
      if (size === null || size > 2 ** 32 - 2 ** 20)
        throw new ReplyError('argument must be a memory value bigger than 1 and smaller than 4gb');
      ctx.reply.ok();
    },
  },
  'pause-cron': {
    argc: 3,
    run: (ctx, argv) => {
      const { engine } = ctx;
      if (Number.parseInt(argv[2]!, 10)) {
        cronPaused.add(engine);
        engine.stopCron();
      } else if (cronPaused.has(engine)) {
        cronPaused.delete(engine);
        engine.startCron();
      }
      ctx.reply.ok();
    },
  },
  reload: {
    run: (ctx, argv) => {
      const opts = { merge: false, noflush: false, nosave: false };
      for (const opt of argv.slice(2)) {
        const o = opt.toLowerCase();
        if (o !== 'merge' && o !== 'noflush' && o !== 'nosave')
          throw new ReplyError('DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.');
        opts[o] = true;
      }
      const error = debugReload(ctx.engine, opts);
      if (error !== null) throw new ReplyError(error);
      ctx.reply.ok();
    },
  },
  'set-skip-checksum-validation': {
    argc: 3,
    run: (ctx, argv) => {
      persistenceDebug(ctx.engine).skipChecksumValidation = Number.parseInt(argv[2]!, 10) ? true : false;
      ctx.reply.ok();
    },
  },
  loadaof: {
    run: (ctx) => {
      const err = debugLoadAof(ctx.engine);
      if (err !== null) throw new ReplyError(err);
      ctx.reply.ok();
    },
  },
};

/** memtoull: digits with an optional unit (b, k, kb, m, mb, g, gb). */
function parseMemoryValue(text: string): number | null {
  const m = /^(\d+)(b|k|kb|m|mb|g|gb)?$/i.exec(text);
  if (!m) return null;
  const unit: Record<string, number> = { b: 1, k: 1000, kb: 1024, m: 1e6, mb: 1024 ** 2, g: 1e9, gb: 1024 ** 3 };
  return Number(m[1]) * (m[2] ? unit[m[2].toLowerCase()]! : 1);
}

function debug(ctx: Ctx, argv: string[]): void {
  const sub = DEBUG_SUBCOMMANDS[argv[1]!.toLowerCase()];
  if (!sub || (sub.argc !== undefined && sub.argc !== argv.length)) subcommandSyntaxError(argv);
  sub.run(ctx, argv);
}

// --- MONITOR --------------------------------------------------------------------------------------
//
// replicationFeedMonitors: every command that completes (admin commands and scripts' callers
// excepted) is shown to the monitoring clients as one status line, stamped when it completed:
// `+<sec>.<usec> [<db> <peer>] "arg" ...`. Inside a transaction MULTI, each queued command and
// EXEC appear in execution order; commands refused before running never appear. Credentials are
// replaced with "(redacted)" as Redis does for AUTH, HELLO ... AUTH and MIGRATE ... AUTH/AUTH2.

const monitorsByEngine = new WeakMap<Engine, Set<Client>>();

/** True when `client` has run MONITOR (CLIENT LIST flag O). */
export function isMonitor(engine: Engine, client: Client): boolean {
  return monitorsByEngine.get(engine)?.has(client) ?? false;
}

/** sdscatrepr: a double-quoted string with C escapes, non-printable bytes as \xHH. */
export function reprString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const code = s.charCodeAt(i);
    const esc = REPR_ESCAPES[ch];
    if (esc) out += esc;
    else if (code >= 0x20 && code < 0x7f) out += ch;
    else out += `\\x${code.toString(16).padStart(2, '0')}`;
  }
  return `${out}"`;
}

const REPR_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\x07': '\\a',
  '\b': '\\b',
};

/** Argument positions to hide, per command (redactClientCommandArgument's callers). */
const REDACT: Record<string, (argv: string[]) => number[]> = {
  auth: (argv) => argv.map((_, i) => i).slice(1),
  hello: (argv) => {
    const out: number[] = [];
    for (let i = 2; i < argv.length; i++) {
      if (is(argv[i], 'auth') && i + 2 < argv.length) {
        out.push(i + 1, i + 2);
        i += 2;
      } else if (is(argv[i], 'setname')) i++;
    }
    return out;
  },
  migrate: (argv) => {
    const out: number[] = [];
    for (let i = 6; i < argv.length; i++) {
      if (is(argv[i], 'keys')) break;
      if (is(argv[i], 'auth') && i + 1 < argv.length) out.push(++i);
      else if (is(argv[i], 'auth2') && i + 2 < argv.length) {
        out.push(i + 1, i + 2);
        i += 2;
      }
    }
    return out;
  },
};

function feedMonitors(engine: Engine, monitors: Set<Client>, spec: CommandSpec, argv: string[], client: Client): void {
  if (spec.flags.includes('admin') || spec.flags.includes('skip_monitor')) return;
  showToMonitors(engine, monitors, spec.name, argv, client);
}

/**
 * Writes one command line to every monitoring client, stamped now. Scripts use it to show EVAL
 * and FCALL before the commands they run (those carry skip_monitor).
 */
export function showToMonitors(engine: Engine, monitors: Set<Client> | undefined, name: string, argv: string[], client: Client): void {
  if (!monitors || monitors.size === 0) return;
  const us = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  const peer = client.addr.startsWith('/') ? `unix:${engine.config.get('unixsocket')}` : client.addr;
  const hidden = new Set(REDACT[name.split('|')[0]!]?.(argv) ?? []);
  const args = argv.map((a, i) => (hidden.has(i) ? '"(redacted)"' : reprString(a))).join(' ');
  const line = `+${Math.floor(us / 1e6)}.${String(us % 1e6).padStart(6, '0')} [${client.dbIndex} ${peer}] ${args}\r\n`;
  for (const m of monitors) {
    if (m.closed) {
      monitors.delete(m);
      continue;
    }
    m.reply.raw(line);
    if (m !== engine.runningClient) m.flush();
  }
}

/** The monitoring clients of an engine (none: undefined). */
export function monitorsOf(engine: Engine): Set<Client> | undefined {
  return monitorsByEngine.get(engine);
}

function monitor(ctx: Ctx): void {
  const { engine, client } = ctx;
  // A client that expects one reply per command (inside EXEC) cannot turn into a stream.
  if (client.inExec) throw new ReplyError("MONITOR isn't allowed for DENY BLOCKING client");
  let monitors = monitorsByEngine.get(engine);
  if (!monitors) {
    const set = (monitors = new Set<Client>());
    monitorsByEngine.set(engine, set);
    engine.callObservers.push((spec, argv, c) => {
      if (set.size > 0) feedMonitors(engine, set, spec, argv, c);
    });
    engine.on('disconnect', (c: Client) => set.delete(c));
    engine.on('reset-client', (c: Client) => set.delete(c)); // RESET ends monitoring (clearClientConnectionState)
  }
  if (monitors.has(client)) return; // already monitoring: Redis ignores it, without a reply
  monitors.add(client);
  ctx.reply.ok();
}

// --- SHUTDOWN, TIME, LASTSAVE ---------------------------------------------------------------------

function shutdown(ctx: Ctx, argv: string[]): void {
  const opts = new Set<string>();
  for (const a of argv.slice(1)) {
    const o = a.toLowerCase();
    if (!['nosave', 'save', 'now', 'force', 'abort'].includes(o)) throw new ReplyError(E.syntax);
    opts.add(o);
  }
  if ((opts.has('abort') && opts.size > 1) || (opts.has('save') && opts.has('nosave'))) throw new ReplyError(E.syntax);
  // Shutting down is immediate here, so there is never one in progress to abort.
  if (opts.has('abort')) throw new ReplyError('No shutdown in progress.');
  // A timed-out script holds the dataset half-changed: only SHUTDOWN NOSAVE may stop the server then.
  if (!opts.has('nosave') && ctx.engine.busyReply !== null) throw new ReplyError(ctx.engine.busyReply);
  abandonBusyScript(ctx.engine);
  const wantsSave = opts.has('save') || (!opts.has('nosave') && ctx.engine.config.get('save') !== '');
  // prepareForShutdown: a running background save is abandoned, then the final save is made;
  // when it fails Redis refuses to stop, unless FORCE.
  cancelBgsave(ctx.engine);
  if (wantsSave) {
    ctx.engine.emit('log', 'notice', 'Saving the final RDB snapshot before exiting.');
    if (!saveNow(ctx.engine) && !opts.has('force')) throw new ReplyError('Errors trying to SHUTDOWN. Check logs.');
  }
  ctx.engine.emit('shutdown');
}

function time(ctx: Ctx): void {
  const us = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  ctx.reply.arrayLen(2);
  ctx.reply.bulk(String(Math.floor(us / 1e6)));
  ctx.reply.bulk(String(us % 1e6));
}

// --- the table ------------------------------------------------------------------------------------

const ADMIN = ['admin', 'slow', 'dangerous'];
const CMD_ACL = ['slow', 'connection'];
const NONE: [number, number, number] = [0, 0, 0];

export const serverCommands: CommandSpec[] = [
  cmd('config', -2, [], ['slow'], NONE, 'server', undefined, [
    cmd('config|get', -3, ['admin', 'noscript', 'loading', 'stale'], ADMIN, NONE, 'server', configGet),
    cmd('config|set', -4, ['admin', 'noscript', 'loading', 'stale'], ADMIN, NONE, 'server', configSet),
    cmd('config|resetstat', 2, ['admin', 'noscript', 'loading', 'stale'], ADMIN, NONE, 'server', configResetStat),
    cmd('config|rewrite', 2, ['admin', 'noscript', 'loading', 'stale'], ADMIN, NONE, 'server', configRewrite),
    cmd('config|help', 2, ['loading', 'stale'], ['slow'], NONE, 'server', (ctx) => replyHelp(ctx, 'CONFIG', CONFIG_HELP)),
  ]),
  cmd('command', -1, ['loading', 'stale'], CMD_ACL, NONE, 'server', commandAll, [
    cmd('command|count', 2, ['loading', 'stale'], CMD_ACL, NONE, 'server', (ctx) => ctx.reply.int(ctx.engine.commands.size)),
    cmd('command|info', -2, ['loading', 'stale'], CMD_ACL, NONE, 'server', commandInfo),
    cmd('command|docs', -2, ['loading', 'stale'], CMD_ACL, NONE, 'server', commandDocs),
    cmd('command|list', -2, ['loading', 'stale'], CMD_ACL, NONE, 'server', commandList),
    cmd('command|getkeys', -4, ['loading', 'stale'], CMD_ACL, NONE, 'server', (ctx, argv) => getKeys(ctx, argv, false)),
    cmd('command|getkeysandflags', -4, ['loading', 'stale'], CMD_ACL, NONE, 'server', (ctx, argv) => getKeys(ctx, argv, true)),
    cmd('command|help', 2, ['loading', 'stale'], CMD_ACL, NONE, 'server', (ctx) => replyHelp(ctx, 'COMMAND', COMMAND_HELP)),
  ]),
  cmd('info', -1, ['loading', 'stale'], ['slow', 'dangerous'], NONE, 'server', (ctx, argv) =>
    ctx.reply.verbatim(generateInfo(ctx.engine, argv.slice(1), ctx.client, ctx.now)),
  ),
  cmd('monitor', 1, ['admin', 'noscript', 'loading', 'stale'], ADMIN, NONE, 'server', monitor),
  cmd('debug', -2, ['admin', 'noscript', 'loading', 'stale'], ADMIN, NONE, 'server', debug),
  cmd('time', 1, ['loading', 'stale', 'fast'], ['fast'], NONE, 'server', time),
  cmd('lastsave', 1, ['loading', 'stale', 'fast'], ['admin', 'fast', 'dangerous'], NONE, 'server', (ctx) => ctx.reply.int(ctx.engine.lastSave)),
  cmd('shutdown', -1, ['admin', 'noscript', 'loading', 'stale', 'no_multi', 'allow_busy'], ADMIN, NONE, 'server', shutdown),
];
