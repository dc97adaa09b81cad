// Transaction commands (multi.c): MULTI opens a queue that dispatch fills (+QUEUED), EXEC runs it
// through call() as one uninterrupted batch, DISCARD drops it, WATCH/UNWATCH arm the optimistic
// check. EXEC fails with EXECABORT when a command was rejected while queuing, and with a null
// array when a watched key was touched (or has expired since it was watched).

import { cmd, type CommandSpec, type Ctx } from '../command.js';
import { call } from '../dispatch.js';
import { E, ReplyError } from '../errors.js';
import { discardTransaction, installMulti, unwatchAll, watchKey, watchedKeyExpired } from '../multi.js';

function multi(ctx: Ctx): void {
  const { client } = ctx;
  if (client.multi) throw new ReplyError('MULTI calls can not be nested');
  client.multi = [];
  client.multiBytes = 0;
  ctx.reply.ok();
}

function discard(ctx: Ctx): void {
  if (!ctx.client.multi) throw new ReplyError('DISCARD without MULTI');
  discardTransaction(ctx.engine, ctx.client);
  ctx.reply.ok();
}

function exec(ctx: Ctx): void {
  const { engine, client, reply } = ctx;
  const queue = client.multi;
  if (!queue) throw new ReplyError('EXEC without MULTI');
  if (watchedKeyExpired(client)) client.dirtyCas = true;
  if (client.multiError) {
    discardTransaction(engine, client);
    throw new ReplyError(E.execAbort);
  }
  if (client.dirtyCas) {
    discardTransaction(engine, client);
    reply.nullArray();
    return;
  }
  // EXEC itself is refused when memory is short and a queued command may use more (Redis
  // checks the union of the queued commands' flags).
  if (engine.checkOom && queue.some((q) => q.spec.flags.includes('denyoom'))) {
    const oom = engine.checkOom(client);
    if (oom) {
      discardTransaction(engine, client);
      throw new ReplyError(`-EXECABORT Transaction discarded because of: ${oom.startsWith('-') ? oom.slice(1) : oom}`);
    }
  }
  unwatchAll(engine, client);
  client.inExec = true;
  try {
    reply.arrayLen(queue.length);
    for (const { spec, argv } of queue) call(engine, client, spec, argv, ctx.now);
  } finally {
    client.inExec = false;
    discardTransaction(engine, client);
  }
}

function watch(ctx: Ctx, argv: string[]): void {
  const { engine, client } = ctx;
  if (client.multi) throw new ReplyError('WATCH inside MULTI is not allowed');
  installMulti(engine);
  // No point in watching more once the transaction is already doomed.
  if (!client.dirtyCas) for (let i = 1; i < argv.length; i++) watchKey(engine, client, ctx.db, argv[i]!);
  ctx.reply.ok();
}

function unwatch(ctx: Ctx): void {
  unwatchAll(ctx.engine, ctx.client);
  ctx.client.dirtyCas = false;
  ctx.reply.ok();
}

const TX_FLAGS = ['noscript', 'loading', 'stale', 'fast', 'allow_busy'] as const;

export const transactionsCommands: CommandSpec[] = [
  cmd('multi', 1, [...TX_FLAGS], ['fast', 'transaction'], [0, 0, 0], 'transactions', multi),
  cmd('exec', 1, ['noscript', 'loading', 'stale', 'skip_slowlog'], ['slow', 'transaction'], [0, 0, 0], 'transactions', exec),
  cmd('discard', 1, [...TX_FLAGS], ['fast', 'transaction'], [0, 0, 0], 'transactions', discard),
  cmd('watch', -2, [...TX_FLAGS], ['fast', 'transaction'], [1, -1, 1], 'transactions', watch),
  cmd('unwatch', 1, [...TX_FLAGS], ['fast', 'transaction'], [0, 0, 0], 'transactions', unwatch),
];
