// Connection commands (PING, ECHO, QUIT, SELECT, AUTH, HELLO, RESET): the handshake and per-link
// state. HELLO switches RESP2/RESP3 and answers the server's identity map. AUTH and HELLO AUTH
// log in as an ACL user (acl.ts); failures go to the ACL log.

import { cmd, type CommandSpec, type Ctx } from '../command.js';
import { E, ReplyError } from '../errors.js';
import { is, parseInteger } from '../args.js';
import type { Client } from '../client.js';
import type { Engine } from '../engine.js';
import { aclOf } from '../acl.js';

/** The Redis version the engine reports (the behaviour it reproduces). */
export const REDIS_VERSION = '7.0.15';

function ping(ctx: Ctx, argv: string[]): void {
  const { client, reply } = ctx;
  if (argv.length > 2) throw new ReplyError(E.arity('ping'));
  if (client.proto === 2 && client.subscriptionCount > 0) {
    reply.arrayLen(2);
    reply.bulk('pong');
    reply.bulk(argv[1] ?? '');
    return;
  }
  if (argv.length === 2) reply.bulk(argv[1]!);
  else reply.simple('PONG');
}

function select(ctx: Ctx, argv: string[]): void {
  const n = parseInteger(argv[1]!);
  if (n < -2147483648 || n > 2147483647) throw new ReplyError('value is out of range, value must between -2147483648 and 2147483647');
  if (n < 0 || n >= ctx.engine.dbs.length) throw new ReplyError(E.dbIndex);
  ctx.client.dbIndex = n;
  ctx.reply.ok();
}

function auth(ctx: Ctx, argv: string[]): void {
  const { engine, client, reply } = ctx;
  if (argv.length > 3) throw new ReplyError(E.syntax);
  const acl = aclOf(engine);
  if (argv.length === 2 && acl.defaultUser.nopass) {
    throw new ReplyError('AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?');
  }
  const user = argv.length === 3 ? argv[1]! : 'default';
  const pass = argv[argv.length - 1]!;
  if (!acl.authenticate(client, user, pass, argv[0]!)) {
    engine.emit('auth-failed', client, user);
    throw new ReplyError(E.wrongPass);
  }
  reply.ok();
}

function helloReply(ctx: Ctx): void {
  const { reply, client } = ctx;
  reply.mapLen(7);
  reply.bulk('server');
  reply.bulk('redis');
  reply.bulk('version');
  reply.bulk(REDIS_VERSION);
  reply.bulk('proto');
  reply.int(client.proto);
  reply.bulk('id');
  reply.int(client.id);
  reply.bulk('mode');
  reply.bulk('standalone');
  reply.bulk('role');
  reply.bulk('master');
  reply.bulk('modules');
  reply.arrayLen(0);
}

function hello(ctx: Ctx, argv: string[]): void {
  const { engine, client } = ctx;
  let ver = 0;
  if (argv.length >= 2) {
    if (!/^-?\d+$/.test(argv[1]!)) throw new ReplyError('Protocol version is not an integer or out of range');
    ver = Number(argv[1]);
    if (ver < 2 || ver > 3) throw new ReplyError('-NOPROTO unsupported protocol version');
  }
  let authPair: [string, string] | null = null;
  let setName: string | null = null;
  for (let i = 2; i < argv.length; i++) {
    const more = argv.length - i - 1;
    if (is(argv[i], 'auth') && more >= 2) {
      authPair = [argv[i + 1]!, argv[i + 2]!];
      i += 2;
    } else if (is(argv[i], 'setname') && more >= 1) {
      setName = argv[i + 1]!;
      i += 1;
    } else {
      throw new ReplyError(`Syntax error in HELLO option '${argv[i]}'`);
    }
  }
  if (authPair && !aclOf(engine).authenticate(client, authPair[0], authPair[1], argv[0]!)) {
    engine.emit('auth-failed', client, authPair[0]);
    throw new ReplyError(E.wrongPass);
  }
  if (!client.authenticated && engine.requiresAuth) {
    throw new ReplyError(
      '-NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time',
    );
  }
  if (setName !== null) validateClientName(setName);
  if (setName !== null) client.name = setName;
  if (ver) client.proto = ver as 2 | 3;
  helloReply(ctx);
}

/** CLIENT SETNAME / HELLO SETNAME rule: no spaces, newlines or other special characters. */
export function validateClientName(name: string): void {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 33 || c > 126) throw new ReplyError('Client names cannot contain spaces, newlines or special characters.');
  }
}

/** RESET: back to a fresh connection's state (RESP2, db 0, no MULTI/WATCH/subscriptions). */
export function resetClient(engine: Engine, client: Client): void {
  engine.emit('reset-client', client);
  client.multi = null;
  client.multiError = false;
  client.multiBytes = 0;
  client.dbIndex = 0;
  client.proto = 2;
  client.name = '';
  client.replyMode = 'on';
  client.skipNext = false;
  client.noEvict = false;
  client.authenticated = !engine.requiresAuth;
  client.user = 'default';
  client.aclUser = null;
}

export const connectionCommands: CommandSpec[] = [
  cmd('ping', -1, ['fast'], ['fast', 'connection'], [0, 0, 0], 'connection', ping),
  cmd('echo', 2, ['loading', 'stale', 'fast'], ['fast', 'connection'], [0, 0, 0], 'connection', (ctx, argv) => ctx.reply.bulk(argv[1]!)),
  cmd('quit', -1, ['allow_busy', 'noscript', 'loading', 'stale', 'fast', 'no_auth'], ['fast', 'connection'], [0, 0, 0], 'connection', (ctx) => {
    ctx.reply.ok();
    ctx.client.closeAfterReply = true;
  }),
  cmd('select', 2, ['loading', 'stale', 'fast'], ['fast', 'connection'], [0, 0, 0], 'connection', select),
  cmd('auth', -2, ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'], ['fast', 'connection'], [0, 0, 0], 'connection', auth),
  cmd('hello', -1, ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'], ['fast', 'connection'], [0, 0, 0], 'connection', hello),
  cmd('reset', 1, ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'], ['fast', 'connection'], [0, 0, 0], 'connection', (ctx) => {
    resetClient(ctx.engine, ctx.client);
    ctx.reply.simple('RESET');
  }),
];
