// The replication commands a standalone master answers on its own: ROLE (a master with no
// replicas at offset 0) and WAIT (no replica can acknowledge anything, so it answers 0 at once
// when that is enough, and otherwise blocks until its timeout, as Redis does with no replicas).
// The engine has no replication links: REPLICAOF, SYNC and PSYNC stay unknown commands.

import { cmd, type CommandSpec, type Ctx } from '../command.js';
import { ReplyError } from '../errors.js';
import { parseInteger } from '../args.js';

/** ROLE: ["master", replication offset, replicas]. */
function role(ctx: Ctx): void {
  const r = ctx.reply;
  r.arrayLen(3);
  r.bulk('master');
  r.int(0);
  r.arrayLen(0);
}

/** WAIT numreplicas timeout-ms: the count of replicas that acknowledged (always 0 here). */
function wait(ctx: Ctx, argv: string[]): void {
  const { engine, client } = ctx;
  const wanted = parseInteger(argv[1]!);
  const ms = parseInteger(argv[2]!, 'timeout is not an integer or out of range');
  if (ms < 0) throw new ReplyError('timeout is negative');
  const acked = 0;
  if (acked >= wanted || client.multi !== null || !engine.blocking.canBlock(client)) {
    ctx.reply.int(acked);
    return;
  }
  engine.blocking.block(client, {
    db: ctx.db,
    keys: [],
    deadline: ms === 0 ? 0 : ctx.now + ms,
    serve: () => false,
    timeout: () => client.reply.int(acked),
    command: engine.commands.get('wait')!,
    argv,
    startedAt: ctx.now,
  });
}

export const replicationCommands: CommandSpec[] = [
  cmd('role', 1, ['noscript', 'loading', 'stale', 'fast'], ['admin', 'fast', 'dangerous'], [0, 0, 0], 'server', role),
  cmd('wait', 3, ['noscript'], ['slow', 'connection'], [0, 0, 0], 'generic', wait),
];
