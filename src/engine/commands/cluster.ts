// CLUSTER, READONLY, READWRITE and ASKING as a Redis 7.0 server with `cluster-enabled no` answers
// them: every one of them (CLUSTER HELP included) replies "This instance has cluster support
// disabled". The engine has no cluster mode; registering the commands with Redis's arity, flags
// and ACL categories makes clients that probe for a cluster (redis-cli, ioredis, COMMAND LIST,
// scripts calling CLUSTER RESET) get exactly what a standalone Redis tells them.

import { cmd, type CommandSpec } from '../command.js';
import { ReplyError } from '../errors.js';

const disabled = (): never => {
  throw new ReplyError('This instance has cluster support disabled');
};

export const clusterCommands: CommandSpec[] = [
  cmd('cluster', -2, [], ['slow'], [0, 0, 0], 'cluster', undefined, [
    cmd('cluster|addslots', -3, ['admin', 'stale', 'no_async_loading'], ['admin', 'slow', 'dangerous'], [0, 0, 0], 'cluster', disabled),
    cmd('cluster|addslotsrange', -4, ['admin', 'stale', 'no_async_loading'], ['admin', 'slow', 'dangerous'], [0, 0, 0], 'cluster', disabled),
    cmd('cluster|bumpepoch', 2, ['admin', 'stale', 'no_async_loading'], ['admin', 'slow', 'dangerous'], [0, 0, 0], 'cluster', disabled),
    cmd('cluster|count-failure-reports', 3, ['admin', 'stale'], ['admin', 'slow', 'dangerous'], [0, 0, 0], 'cluster', disabled),
    cmd('cluster|countkeysinslot', 3, ['stale'], ['slow'], [0, 0, 0], 'cluster', disabled),
    cmd('cluster|delslots', -3, ['admin', 'stale', 'no_async_loading'], ['admin', 'slow', 'dangerous'], [0, 0, 0], 'cluster', disabled),
    cmd('cluster|delslotsrange', -4, ['admin', 'stale', 'no_async_loading'], ['admin', 'slow', 'dangerous'], [0, 0, 0], 'cluster', disabled),
    cmd('cluster|failover', -2, ['admin', 'stale', 'no_async_loading'], ['admin', 'slow', 'dangerous'], [0, 0, 0], 'cluster', disabled),
    cmd('cluster|flushslots', 2, ['admin', 'stale', 'no_async_loading'], ['admin', 'slow', 'dangerous'], [0, 0, 0], 'cluster', disabled),
    cmd('cluster|forget', 3, ['admin', 'stale', 'no_async_loading'], ['admin', 'slow', 'dangerous'], [0, 0, 0], 'cluster', disabled),
    cmd('cluster|getkeysinslot', 4, ['stale'], ['slow'], [0, 0, 0], 'cluster', disabled),
    cmd('cluster|help', 2, ['loading', 'stale'], ['slow'], [0, 0, 0], 'cluster', disabled),
    cmd('cluster|info', 2, ['stale'], ['slow'], [0, 0, 0], 'cluster', disabled),
    cmd('cluster|keyslot', 3, ['stale'], ['slow'], [0, 0, 0], 'cluster', disabled),
    cmd('cluster|links', 2, ['stale'], ['slow'], [0, 0, 0], 'cluster', disabled),
    cmd('cluster|meet', -4, ['admin', 'stale', 'no_async_loading'], ['admin', 'slow', 'dangerous'], [0, 0, 0], 'cluster', disabled),
    cmd('cluster|myid', 2, ['stale'], ['slow'], [0, 0, 0], 'cluster', disabled),
    cmd('cluster|nodes', 2, ['stale'], ['slow'], [0, 0, 0], 'cluster', disabled),
    cmd('cluster|replicas', 3, ['admin', 'stale'], ['admin', 'slow', 'dangerous'], [0, 0, 0], 'cluster', disabled),
    cmd('cluster|replicate', 3, ['admin', 'stale', 'no_async_loading'], ['admin', 'slow', 'dangerous'], [0, 0, 0], 'cluster', disabled),
    cmd('cluster|reset', -2, ['admin', 'noscript', 'stale'], ['admin', 'slow', 'dangerous'], [0, 0, 0], 'cluster', disabled),
    cmd('cluster|saveconfig', 2, ['admin', 'stale', 'no_async_loading'], ['admin', 'slow', 'dangerous'], [0, 0, 0], 'cluster', disabled),
    cmd('cluster|set-config-epoch', 3, ['admin', 'stale', 'no_async_loading'], ['admin', 'slow', 'dangerous'], [0, 0, 0], 'cluster', disabled),
    cmd('cluster|setslot', -4, ['admin', 'stale', 'no_async_loading'], ['admin', 'slow', 'dangerous'], [0, 0, 0], 'cluster', disabled),
    cmd('cluster|shards', 2, ['stale'], ['slow'], [0, 0, 0], 'cluster', disabled),
    cmd('cluster|slaves', 3, ['admin', 'stale'], ['admin', 'slow', 'dangerous'], [0, 0, 0], 'cluster', disabled),
    cmd('cluster|slots', 2, ['stale'], ['slow'], [0, 0, 0], 'cluster', disabled),
  ]),
  cmd('readonly', 1, ['loading', 'stale', 'fast'], ['fast', 'connection'], [0, 0, 0], 'cluster', disabled),
  cmd('readwrite', 1, ['loading', 'stale', 'fast'], ['fast', 'connection'], [0, 0, 0], 'cluster', disabled),
  cmd('asking', 1, ['fast'], ['fast', 'connection'], [0, 0, 0], 'cluster', disabled),
];
