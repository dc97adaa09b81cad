// Pub/sub commands (pubsub.c): SUBSCRIBE/UNSUBSCRIBE, PSUBSCRIBE/PUNSUBSCRIBE, the shard variants
// SSUBSCRIBE/SUNSUBSCRIBE/SPUBLISH that Redis 7.0 serves in standalone mode too, PUBLISH, and the
// PUBSUB introspection subcommands. Registries and delivery live in ../pubsub.ts; this file is
// argument handling and reply shapes. Confirmations are pushes, one per name, so a subscribing
// command writes several top-level replies, exactly as Redis does.

import { cmd, type CommandSpec, type Ctx } from '../command.js';
import { ReplyError } from '../errors.js';
import { replyHelp } from './help.js';
import { globMatch } from '../glob.js';
import { installPubsub, publish, shardRegistry, subscribe, unsubscribe, unsubscribeAll, type Kind, type Registry } from '../pubsub.js';

function subscribeCmd(kind: Kind, name: string) {
  return (ctx: Ctx, argv: string[]): void => {
    const { engine, client } = ctx;
    // Inside EXEC a client may not block; Redis keeps SUBSCRIBE/PSUBSCRIBE working there for
    // backward compatibility, but not SSUBSCRIBE.
    if (client.inExec && kind === 'shard') throw new ReplyError(`${name} isn't allowed for a DENY BLOCKING client`);
    installPubsub(engine);
    for (let i = 1; i < argv.length; i++) subscribe(engine, client, kind, argv[i]!);
  };
}

function unsubscribeCmd(kind: Kind) {
  return (ctx: Ctx, argv: string[]): void => {
    const { engine, client } = ctx;
    if (argv.length === 1) {
      unsubscribeAll(engine, client, kind, client);
      return;
    }
    for (let i = 1; i < argv.length; i++) unsubscribe(engine, client, kind, argv[i]!, client);
  };
}

function publishCmd(shard: boolean) {
  return (ctx: Ctx, argv: string[]): void => {
    ctx.reply.int(publish(ctx.engine, argv[1]!, argv[2]!, shard, ctx.client));
  };
}

/** PUBSUB CHANNELS / SHARDCHANNELS [pattern]: active names (with at least one subscriber). */
function channelList(registry: (ctx: Ctx) => Registry) {
  return (ctx: Ctx, argv: string[]): void => {
    if (argv.length > 3) throw new ReplyError(syntaxHelp(argv));
    const pat = argv[2];
    const names: string[] = [];
    for (const name of registry(ctx).keys()) if (pat === undefined || globMatch(pat, name)) names.push(name);
    ctx.reply.bulks(names);
  };
}

/** PUBSUB NUMSUB / SHARDNUMSUB [name ...]: flat name, count pairs (an array even in RESP3). */
function numsub(registry: (ctx: Ctx) => Registry) {
  return (ctx: Ctx, argv: string[]): void => {
    const reg = registry(ctx);
    ctx.reply.arrayLen((argv.length - 2) * 2);
    for (let i = 2; i < argv.length; i++) {
      ctx.reply.bulk(argv[i]!);
      ctx.reply.int(reg.get(argv[i]!)?.size ?? 0);
    }
  };
}

function syntaxHelp(argv: string[]): string {
  return `unknown subcommand or wrong number of arguments for '${argv[1]!.slice(0, 128)}'. Try ${argv[0]!.toUpperCase()} HELP.`;
}

const PUBSUB_HELP = [
  'CHANNELS [<pattern>]',
  '    List the channels that have at least one subscriber, optionally only those matching',
  '    the glob-style <pattern>.',
  'NUMPAT',
  '    Count the distinct patterns that clients are subscribed to.',
  'NUMSUB [<channel> ...]',
  '    For each <channel>, the number of clients subscribed to it by name (pattern',
  '    subscriptions are not counted).',
  'SHARDCHANNELS [<pattern>]',
  '    Like CHANNELS, for shard channels (SSUBSCRIBE).',
  'SHARDNUMSUB [<shardchannel> ...]',
  '    Like NUMSUB, for shard channels.',
];

const channels = (ctx: Ctx) => ctx.engine.pubsubChannels;
const shards = (ctx: Ctx) => shardRegistry(ctx.engine);

const SUB_FLAGS = ['pubsub', 'noscript', 'loading', 'stale'] as const;

export const pubsubCommands: CommandSpec[] = [
  cmd('subscribe', -2, [...SUB_FLAGS], ['pubsub', 'slow'], [0, 0, 0], 'pubsub', subscribeCmd('channel', 'SUBSCRIBE')),
  cmd('psubscribe', -2, [...SUB_FLAGS], ['pubsub', 'slow'], [0, 0, 0], 'pubsub', subscribeCmd('pattern', 'PSUBSCRIBE')),
  cmd('ssubscribe', -2, [...SUB_FLAGS], ['pubsub', 'slow'], [1, -1, 1], 'pubsub', subscribeCmd('shard', 'SSUBSCRIBE')),
  cmd('unsubscribe', -1, [...SUB_FLAGS], ['pubsub', 'slow'], [0, 0, 0], 'pubsub', unsubscribeCmd('channel')),
  cmd('punsubscribe', -1, [...SUB_FLAGS], ['pubsub', 'slow'], [0, 0, 0], 'pubsub', unsubscribeCmd('pattern')),
  cmd('sunsubscribe', -1, [...SUB_FLAGS], ['pubsub', 'slow'], [1, -1, 1], 'pubsub', unsubscribeCmd('shard')),
  cmd('publish', 3, ['pubsub', 'loading', 'stale', 'fast', 'may_replicate'], ['pubsub', 'fast'], [0, 0, 0], 'pubsub', publishCmd(false)),
  cmd('spublish', 3, ['pubsub', 'loading', 'stale', 'fast', 'may_replicate'], ['pubsub', 'fast'], [1, 1, 1], 'pubsub', publishCmd(true)),
  cmd('pubsub', -2, [], ['slow'], [0, 0, 0], 'pubsub', undefined, [
    cmd('pubsub|help', 2, ['loading', 'stale'], ['slow'], [0, 0, 0], 'pubsub', (ctx) => replyHelp(ctx, 'pubsub', PUBSUB_HELP)),
    cmd('pubsub|channels', -2, ['pubsub', 'loading', 'stale'], ['pubsub', 'slow'], [0, 0, 0], 'pubsub', channelList(channels)),
    cmd('pubsub|numsub', -2, ['pubsub', 'loading', 'stale'], ['pubsub', 'slow'], [0, 0, 0], 'pubsub', numsub(channels)),
    cmd('pubsub|numpat', 2, ['pubsub', 'loading', 'stale'], ['pubsub', 'slow'], [0, 0, 0], 'pubsub', (ctx) =>
      ctx.reply.int(ctx.engine.pubsubPatterns.size),
    ),
    cmd('pubsub|shardchannels', -2, ['pubsub', 'loading', 'stale'], ['pubsub', 'slow'], [0, 0, 0], 'pubsub', channelList(shards)),
    cmd('pubsub|shardnumsub', -2, ['pubsub', 'loading', 'stale'], ['pubsub', 'slow'], [0, 0, 0], 'pubsub', numsub(shards)),
  ]),
];
