// The CLIENT command (networking.c's clientCommand): identity (ID, SETNAME, GETNAME), the
// CLIENT LIST / CLIENT INFO lines with Redis 7.0's fields in Redis's order, KILL in both the old
// address form and the filter form, PAUSE/UNPAUSE (engine.pause, honoured by the connection
// loop), REPLY ON|OFF|SKIP, NO-EVICT, UNBLOCK for clients blocked on keys; the client-side
// caching subcommands are in client-tracking.ts. Numbers Redis takes from its allocator (buffer
// sizes, tot-mem) are modelled with plausible values.

import { cmd, type CommandSpec, type Ctx } from '../command.js';
import type { Client } from '../client.js';
import type { Engine } from '../engine.js';
import { E, ReplyError } from '../errors.js';
import { is, parseInteger } from '../args.js';
import { validateClientName } from './connection.js';
import { bypassMute, isMuted, shardChannels, totalSubscriptions } from '../pubsub.js';
import { freeClientNow } from '../free-client.js';
import { replyHelp } from './help.js';
import { isMonitor } from './server.js';
import { aclOf, type AclUser } from '../acl.js';
import { setClientDescriber } from '../acl-log.js';
import { caching, getRedir, tracking, trackingInfo } from './client-tracking.js';

// --- client types (CLIENT LIST TYPE, CLIENT KILL TYPE) ----------------------------------------

type ClientType = 'normal' | 'slave' | 'pubsub' | 'master';

const TYPE_NAMES: Record<string, ClientType> = {
  normal: 'normal',
  slave: 'slave',
  replica: 'slave',
  pubsub: 'pubsub',
  master: 'master',
};

function parseType(name: string): ClientType {
  const t = TYPE_NAMES[name.toLowerCase()];
  if (!t) throw new ReplyError(`Unknown client type '${name}'`);
  return t;
}

/** getClientType: replicas following the engine, pub/sub clients, the rest (the engine has no master link). */
function clientType(c: Client): ClientType {
  if (c.replica) return 'slave';
  return totalSubscriptions(c) > 0 ? 'pubsub' : 'normal';
}

// --- CLIENT LIST / CLIENT INFO line --------------------------------------------------------------

/** Flag letters in the order Redis prints them. */
const FLAG_LETTERS: Array<[string, (c: Client, e: Engine) => boolean]> = [
  ['O', (c, e) => isMonitor(e, c)],
  ['S', (c) => c.replica],
  ['P', (c) => totalSubscriptions(c) > 0],
  ['x', (c) => c.multi !== null],
  ['b', (c) => c.blocked !== null],
  ['t', (c) => c.tracking !== null],
  ['R', (c) => c.tracking?.brokenRedirect === true],
  ['B', (c) => c.tracking?.bcast === true],
  ['d', (c) => c.dirtyCas],
  ['c', (c) => c.closeAfterReply],
  ['U', (c) => c.addr.startsWith('/')],
  ['e', (c) => c.noEvict],
];

function flags(c: Client, engine: Engine): string {
  let f = '';
  for (const [letter, test] of FLAG_LETTERS) if (test(c, engine)) f += letter;
  return f || 'N';
}

/** Size of argv as a multibulk request (what Redis's query buffer held for it). */
function requestBytes(argv: readonly string[]): number {
  let n = 3 + String(argv.length).length;
  for (const a of argv) n += 5 + String(a.length).length + a.length;
  return n;
}

/** The query-buffer allocation Redis reports after a read (PROTO_IOBUF_LEN plus sds slack). */
const QBUF_ALLOC = 20474;
const REPLY_BUF = 16384;

/** One CLIENT LIST line (without the newline). `self` is the caller, whose argv is in flight. */
function infoLine(engine: Engine, c: Client, self: Client, argv: readonly string[], now: number): string {
  const mine = c === self;
  const sec = (ms: number) => Math.floor(ms / 1000);
  const idle = sec(now) - sec(c.lastInteraction);
  const qbuf = (mine ? requestBytes(argv) : 0) + c.queryBuffered();
  const active = mine || qbuf > 0 || (idle <= 2 && c.lastCommand !== 'NULL');
  const qbufFree = active ? Math.max(0, QBUF_ALLOC - qbuf) : 0;
  let argvMem = 0;
  if (mine) for (const a of argv) argvMem += a.length;
  let multiMem = 0;
  for (const q of c.multi ?? []) {
    multiMem += 8 * q.argv.length;
    for (const a of q.argv) multiMem += a.length;
  }
  const rbs = active ? REPLY_BUF : 1024;
  const obl = c.reply.pending;
  const subs = totalSubscriptions(c);
  const totMem = rbs + qbuf + qbufFree + argvMem + multiMem + 790 + 54 * subs;
  const fields: Array<[string, string | number]> = [
    ['id', c.id],
    ['addr', c.addr],
    ['laddr', c.laddr],
    ['fd', c.fd],
    ['name', c.name],
    ['age', sec(now) - sec(c.createdAt)],
    ['idle', idle],
    ['flags', flags(c, engine)],
    ['db', c.dbIndex],
    ['sub', c.channels.size],
    ['psub', c.patterns.size],
    ['ssub', shardChannels(c).size],
    ['multi', c.multi ? c.multi.length : -1],
    ['qbuf', qbuf],
    ['qbuf-free', qbufFree],
    ['argv-mem', argvMem],
    ['multi-mem', multiMem],
    ['rbs', rbs],
    ['rbp', mine ? REPLY_BUF : 0],
    ['obl', obl],
    ['oll', 0],
    ['omem', 0],
    ['tot-mem', totMem],
    ['events', 'r'],
    ['cmd', c.lastCommand],
    ['user', c.user],
    ['redir', c.tracking?.redirect ?? -1],
    ['resp', c.proto],
  ];
  return fields.map(([k, v]) => `${k}=${v}`).join(' ');
}

function list(ctx: Ctx, argv: string[]): void {
  const { engine, client } = ctx;
  let chosen: Client[];
  if (argv.length === 4 && is(argv[2], 'type')) {
    const type = parseType(argv[3]!);
    chosen = [...engine.clients.values()].filter((c) => clientType(c) === type);
  } else if (argv.length > 3 && is(argv[2], 'id')) {
    chosen = [];
    for (const s of argv.slice(3)) {
      const id = parseInteger(s, 'Invalid client ID');
      const c = engine.clients.get(id);
      if (c) chosen.push(c);
    }
  } else if (argv.length !== 2) {
    throw new ReplyError(E.syntax);
  } else {
    chosen = [...engine.clients.values()];
  }
  ctx.reply.verbatim(chosen.map((c) => `${infoLine(engine, c, client, argv, ctx.now)}\n`).join(''));
}

// The ACL log's client-info: a client's CLIENT LIST line as seen while it runs `argv`.
setClientDescriber((engine, c, argv, now) => infoLine(engine, c, c, argv, now));

function info(ctx: Ctx, argv: string[]): void {
  ctx.reply.verbatim(`${infoLine(ctx.engine, ctx.client, ctx.client, argv, ctx.now)}\n`);
}

// --- CLIENT KILL -----------------------------------------------------------------------------------

interface KillFilter {
  addr?: string;
  laddr?: string;
  type?: ClientType;
  id?: number;
  user?: AclUser;
  skipme: boolean;
}

/** Option parsers of the filter form, each consuming one value. */
const KILL_OPTIONS: Record<string, (f: KillFilter, v: string, engine: Engine) => void> = {
  id: (f, v) => {
    const id = parseInteger(v, 'client-id should be greater than 0');
    if (id < 1) throw new ReplyError('client-id should be greater than 0');
    f.id = id;
  },
  type: (f, v) => (f.type = parseType(v)),
  addr: (f, v) => (f.addr = v),
  laddr: (f, v) => (f.laddr = v),
  user: (f, v, engine) => {
    const u = aclOf(engine).users.get(v);
    if (!u) throw new ReplyError(`No such user '${v}'`);
    f.user = u;
  },
  skipme: (f, v) => {
    if (is(v, 'yes')) f.skipme = true;
    else if (is(v, 'no')) f.skipme = false;
    else throw new ReplyError(E.syntax);
  },
};

function matches(engine: Engine, f: KillFilter, c: Client, self: Client): boolean {
  if (f.addr !== undefined && c.addr !== f.addr) return false;
  if (f.laddr !== undefined && c.laddr !== f.laddr) return false;
  if (f.type !== undefined && clientType(c) !== f.type) return false;
  if (f.id !== undefined && c.id !== f.id) return false;
  if (f.user !== undefined && aclOf(engine).userOf(c) !== f.user) return false;
  if (c === self && f.skipme) return false;
  return true;
}

function kill(ctx: Ctx, argv: string[]): void {
  const { engine, client } = ctx;
  const oldForm = argv.length === 3;
  const f: KillFilter = { skipme: true };
  if (oldForm) {
    f.addr = argv[2]!;
    f.skipme = false; // the old form may kill the caller
  } else {
    for (let i = 2; i < argv.length; i += 2) {
      const opt = KILL_OPTIONS[argv[i]!.toLowerCase()];
      if (!opt || i + 1 >= argv.length) throw new ReplyError(E.syntax);
      opt(f, argv[i + 1]!, engine);
    }
  }
  let killed = 0;
  let closeSelf = false;
  for (const c of [...engine.clients.values()]) {
    if (!matches(engine, f, c, client)) continue;
    if (c === client) closeSelf = true;
    else freeClientNow(engine, c);
    killed++;
  }
  if (oldForm) {
    if (killed === 0) throw new ReplyError('No such client');
    ctx.reply.ok();
  } else {
    ctx.reply.int(killed);
  }
  if (closeSelf) client.closeAfterReply = true;
}

// --- PAUSE / UNPAUSE ---------------------------------------------------------------------------

function pause(ctx: Ctx, argv: string[]): void {
  if (argv.length > 4) throw new ReplyError(subcommandSyntax(argv));
  let writesOnly = false;
  if (argv.length === 4) {
    if (is(argv[3], 'write')) writesOnly = true;
    else if (!is(argv[3], 'all')) throw new ReplyError('CLIENT PAUSE mode must be WRITE or ALL');
  }
  const ms = parseInteger(argv[2]!, 'timeout is not an integer or out of range');
  if (ms < 0) throw new ReplyError('timeout is negative');
  const until = ms > 0 ? ctx.now + ms : 0;
  const { engine } = ctx;
  const cur = engine.pause && engine.pause.until >= ctx.now ? engine.pause : null;
  // A new pause never weakens one in progress: the stricter mode and the later end win.
  engine.pause = cur ? { until: Math.max(cur.until, until), writesOnly: cur.writesOnly && writesOnly } : { until, writesOnly };
  ctx.reply.ok();
}

function unpause(ctx: Ctx): void {
  const { engine } = ctx;
  engine.pause = null;
  for (const c of engine.clients.values()) if (c !== ctx.client) setImmediate(() => c.resume());
  ctx.reply.ok();
}

// --- REPLY, NO-EVICT, UNBLOCK ------------------------------------------------------------------

function replyMode(ctx: Ctx, argv: string[]): void {
  const { client } = ctx;
  const arg = argv[2]!;
  if (is(arg, 'on')) {
    const wasMuted = isMuted(client);
    client.replyMode = 'on';
    client.skipNext = false;
    // The OK must get through although this command started muted.
    if (wasMuted) bypassMute(client, '+OK\r\n');
    else ctx.reply.ok();
  } else if (is(arg, 'off')) {
    client.replyMode = 'off';
    client.skipNext = false;
  } else if (is(arg, 'skip')) {
    if (client.replyMode !== 'off') client.skipNext = true;
  } else {
    throw new ReplyError(E.syntax);
  }
}

function noEvict(ctx: Ctx, argv: string[]): void {
  if (is(argv[2], 'on')) ctx.client.noEvict = true;
  else if (is(argv[2], 'off')) ctx.client.noEvict = false;
  else throw new ReplyError(E.syntax);
  ctx.reply.ok();
}

function unblock(ctx: Ctx, argv: string[]): void {
  if (argv.length > 4) throw new ReplyError(subcommandSyntax(argv));
  let withError = false;
  if (argv.length === 4) {
    if (is(argv[3], 'error')) withError = true;
    else if (!is(argv[3], 'timeout')) throw new ReplyError('CLIENT UNBLOCK reason should be TIMEOUT or ERROR');
  }
  const id = parseInteger(argv[2]!);
  const { engine } = ctx;
  const target = engine.clients.get(id);
  const state = target?.blocked;
  if (!target || !state) {
    ctx.reply.int(0);
    return;
  }
  engine.blocking.finish(target, state, () => {
    if (!withError) return state.timeout();
    const msg = '-UNBLOCKED client unblocked via CLIENT UNBLOCK';
    engine.countError(msg);
    target.reply.error(msg);
  });
  ctx.reply.int(1);
}

function subcommandSyntax(argv: string[]): string {
  return `unknown subcommand or wrong number of arguments for '${argv[1]!.slice(0, 128)}'. Try ${argv[0]!.toUpperCase()} HELP.`;
}

const CLIENT_HELP = [
  'CACHING (YES|NO)',
  '    Opt the next command in or out of key tracking (needs TRACKING with OPTIN/OPTOUT).',
  'GETNAME',
  '    The name of this connection, or null when it has none.',
  'GETREDIR',
  '    The client ID tracking notifications are redirected to (-1: none).',
  'ID',
  '    The numeric ID of this connection.',
  'INFO',
  '    One CLIENT LIST line describing this connection.',
  'KILL <ip:port>',
  '    Close the connection coming from <ip:port>.',
  'KILL <option> <value> [<option> <value> [...]]',
  '    Close every connection matching all the given filters:',
  '    * ID <client-id>',
  '    * ADDR (<ip:port>|<unixsocket>:0)   the peer address',
  '    * LADDR (<ip:port>|<unixsocket>:0)  the local address the connection came in on',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '    * USER <username>',
  '    * SKIPME (YES|NO)   leave the calling connection alone (default: YES)',
  'LIST [TYPE (NORMAL|MASTER|REPLICA|PUBSUB)] [ID <client-id> [<client-id> ...]]',
  '    One line per connection: address, age, flags, buffers, last command...',
  'NO-EVICT (ON|OFF)',
  '    Exempt this connection from client eviction, or stop exempting it.',
  'PAUSE <timeout> [WRITE|ALL]',
  '    Hold the commands of all clients (or only writes) for <timeout> milliseconds.',
  'REPLY (ON|OFF|SKIP)',
  '    Turn replies to this connection on or off, or drop only the next one.',
  'SETNAME <name>',
  '    Name this connection (no spaces; an empty name removes it).',
  'TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]',
  '         [OPTIN] [OPTOUT] [NOLOOP]',
  '    Send invalidation messages for keys this connection read (or, with BCAST, for every key',
  '    under the prefixes) when they change; REDIRECT sends them to another connection.',
  'TRACKINGINFO',
  '    The tracking state of this connection.',
  'UNBLOCK <clientid> [TIMEOUT|ERROR]',
  '    Wake a client blocked on keys, as if it timed out or with an UNBLOCKED error.',
  'UNPAUSE',
  '    End a CLIENT PAUSE now.',
];

const CONN = ['slow', 'connection'];
const ADMIN = ['admin', 'slow', 'dangerous', 'connection'];
const BASE = ['noscript', 'loading', 'stale'] as const;
const ADMIN_FLAGS = ['admin', 'noscript', 'loading', 'stale'] as const;

export const clientCommands: CommandSpec[] = [
  cmd('client', -2, [], ['slow'], [0, 0, 0], 'connection', undefined, [
    cmd('client|help', 2, ['loading', 'stale'], CONN, [0, 0, 0], 'connection', (ctx) => replyHelp(ctx, 'client', CLIENT_HELP)),
    cmd('client|id', 2, [...BASE], CONN, [0, 0, 0], 'connection', (ctx) => ctx.reply.int(ctx.client.id)),
    cmd('client|info', 2, [...BASE], CONN, [0, 0, 0], 'connection', info),
    cmd('client|list', -2, [...ADMIN_FLAGS], ADMIN, [0, 0, 0], 'connection', list),
    cmd('client|setname', 3, [...BASE], CONN, [0, 0, 0], 'connection', (ctx, argv) => {
      validateClientName(argv[2]!);
      ctx.client.name = argv[2]!;
      ctx.reply.ok();
    }),
    cmd('client|getname', 2, [...BASE], CONN, [0, 0, 0], 'connection', (ctx) => ctx.reply.bulkOrNull(ctx.client.name || null)),
    cmd('client|kill', -3, [...ADMIN_FLAGS], ADMIN, [0, 0, 0], 'connection', kill),
    cmd('client|pause', -3, [...ADMIN_FLAGS], ADMIN, [0, 0, 0], 'connection', pause),
    cmd('client|unpause', 2, [...ADMIN_FLAGS], ADMIN, [0, 0, 0], 'connection', unpause),
    cmd('client|reply', 3, [...BASE], CONN, [0, 0, 0], 'connection', replyMode),
    cmd('client|no-evict', 3, [...ADMIN_FLAGS], ADMIN, [0, 0, 0], 'connection', noEvict),
    cmd('client|unblock', -3, [...ADMIN_FLAGS], ADMIN, [0, 0, 0], 'connection', unblock),
    cmd('client|tracking', -3, [...BASE], CONN, [0, 0, 0], 'connection', tracking),
    cmd('client|caching', 3, [...BASE], CONN, [0, 0, 0], 'connection', caching),
    cmd('client|getredir', 2, [...BASE], CONN, [0, 0, 0], 'connection', getRedir),
    cmd('client|trackinginfo', 2, [...BASE], CONN, [0, 0, 0], 'connection', trackingInfo),
  ]),
];
