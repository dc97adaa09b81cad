// The replication commands of a master (replication.c): SYNC/PSYNC and REPLCONF, which real
// redis-server replicas send to follow the engine (the work is in ../replication.ts), ROLE (the
// replicas and what they acknowledged) and WAIT (blocks until enough replicas acknowledge the
// stream so far, or its timeout). The engine cannot be a replica: REPLICAOF stays unknown.

import { cmd, type CommandSpec, type Ctx } from '../command.js';
import { E, ReplyError } from '../errors.js';
import { is, parseBigInt, parseInteger } from '../args.js';
import { replicationIfAny, replicationOf } from '../replication.js';

/** ROLE: ["master", replication offset, [[ip, port, acknowledged offset], ...]]. */
function role(ctx: Ctx): void {
  const m = replicationIfAny(ctx.engine);
  const replicas = m ? [...m.replicas.values()] : [];
  const r = ctx.reply;
  r.arrayLen(3);
  r.bulk('master');
  r.int(m?.offset ?? 0);
  r.arrayLen(replicas.length);
  for (const x of replicas) {
    r.arrayLen(3);
    r.bulk(x.ip);
    r.bulk(String(x.port));
    r.bulk(String(x.ackOffset));
  }
}

/** WAIT numreplicas timeout-ms: how many replicas acknowledged this client's writes. */
function wait(ctx: Ctx, argv: string[]): void {
  const { engine, client } = ctx;
  const wanted = parseInteger(argv[1]!);
  const ms = parseInteger(argv[2]!, 'timeout is not an integer or out of range');
  if (ms < 0) throw new ReplyError('timeout is negative');
  const m = replicationIfAny(engine);
  // The stream up to now holds this client's writes (Redis tracks the client's own last offset).
  const target = m?.offset ?? 0;
  const acked = () => m?.ackedAtLeast(target) ?? 0;
  if (acked() >= wanted || client.multi !== null || !engine.blocking.canBlock(client)) {
    ctx.reply.int(acked());
    return;
  }
  const state = {
    db: ctx.db,
    keys: [],
    deadline: ms === 0 ? 0 : ctx.now + ms,
    serve: () => false,
    timeout: () => client.reply.int(acked()),
    command: engine.commands.get('wait')!,
    argv,
    startedAt: ctx.now,
  };
  engine.blocking.block(client, state);
  if (!m) return;
  m.onAck(() => {
    if (client.blocked !== state) return true; // timed out or unblocked meanwhile
    if (acked() < wanted) return false;
    engine.blocking.finish(client, state, state.timeout);
    return true;
  });
  m.requestAcks();
}

/** SYNC, or PSYNC <replid> <offset> ("?" and -1 ask for a full copy). */
function sync(ctx: Ctx, argv: string[]): void {
  const { engine, client } = ctx;
  if (client.replica) return; // already one: ignored, as Redis does
  if (client.reply.pending > 0) throw new ReplyError('SYNC and PSYNC are invalid with pending output');
  const psync = argv.length >= 3;
  const offset = psync ? Number(parseBigInt(argv[2]!)) : null;
  replicationOf(engine).sync(client, psync ? argv[1]! : null, offset);
}

/** REPLCONF <option> <value> ...: what a replica says about itself, and its ACKs. */
function replconf(ctx: Ctx, argv: string[]): void {
  const { engine, client } = ctx;
  if (argv.length % 2 === 0) throw new ReplyError(E.syntax);
  const m = replicationOf(engine);
  const hello = m.hellos.get(client) ?? { port: 0, ip: '', psync2: false };
  for (let j = 1; j < argv.length; j += 2) {
    const opt = argv[j]!;
    const val = argv[j + 1]!;
    if (is(opt, 'listening-port')) hello.port = parseInteger(val);
    else if (is(opt, 'ip-address')) {
      if (val.length >= 46) throw new ReplyError(`REPLCONF ip-address provided by replica instance is too long: ${val.length} bytes`);
      hello.ip = val;
    } else if (is(opt, 'capa')) {
      if (is(val, 'psync2')) hello.psync2 = true;
    } else if (is(opt, 'ack')) {
      // From a replica only, and never answered.
      if (client.replica && /^-?\d+$/.test(val)) m.ack(client, Number(val));
      return;
    } else if (is(opt, 'getack')) {
      return; // a master has no master to acknowledge
    } else if (is(opt, 'rdb-only')) {
      const v = parseInteger(val);
      if (v < 0 || v > 1) throw new ReplyError('value is out of range, value must between 0 and 1');
    } else if (is(opt, 'rdb-filter-only')) {
      for (const f of val.split(/\s+/).filter(Boolean)) if (!is(f, 'functions')) throw new ReplyError(`Unsupported rdb-filter-only option: ${f}`);
    } else throw new ReplyError(`Unrecognized REPLCONF option: ${opt}`);
  }
  m.hellos.set(client, hello);
  ctx.reply.ok();
}

const SYNC_FLAGS = ['no_async_loading', 'admin', 'no_multi', 'noscript'] as const;
const ADMIN = ['admin', 'slow', 'dangerous'];

export const replicationCommands: CommandSpec[] = [
  cmd('role', 1, ['noscript', 'loading', 'stale', 'fast'], ['admin', 'fast', 'dangerous'], [0, 0, 0], 'server', role),
  cmd('wait', 3, ['noscript'], ['slow', 'connection'], [0, 0, 0], 'generic', wait),
  cmd('sync', 1, [...SYNC_FLAGS], ADMIN, [0, 0, 0], 'server', sync),
  cmd('psync', -3, [...SYNC_FLAGS], ADMIN, [0, 0, 0], 'server', sync),
  cmd('replconf', -1, ['admin', 'noscript', 'loading', 'stale', 'allow_busy'], ADMIN, [0, 0, 0], 'server', replconf),
];
