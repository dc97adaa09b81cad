// Assembles the one command table from the per-family tables (miniredis-style registration,
// Redis-style metadata): name -> spec, subcommands attached to their parent.

import type { CommandSpec } from '../command.js';
import { connectionCommands } from './connection.js';
import { clientCommands } from './client.js';
import { stringsCommands } from './strings.js';
import { keysCommands } from './keys.js';
import { listsCommands } from './lists.js';
import { hashesCommands } from './hashes.js';
import { setsCommands } from './sets.js';
import { zsetsCommands } from './zsets.js';
import { geoCommands } from './geo.js';
import { transactionsCommands } from './transactions.js';
import { pubsubCommands } from './pubsub.js';
import { serverCommands } from './server.js';
import { memoryCommands } from './memory.js';
import { bitmapsCommands } from './bitmaps.js';
import { hyperloglogCommands } from './hyperloglog.js';
import { slowlogCommands } from './slowlog.js';
import { latencyCommands } from './latency.js';
import { sortCommands } from './sort.js';
import { streamsCommands } from './streams.js';
import { streamsBlockingCommands } from './streams-blocking.js';
import { persistenceCommands } from './persistence.js';
import { scriptingCommands } from './scripting.js';
import { aclCommands } from './acl.js';
import { clusterCommands } from './cluster.js';
import { replicationCommands } from './replication.js';
import { moduleCommands } from './module.js';
import { migrateCommands } from './migrate.js';

export const FAMILIES: Record<string, CommandSpec[]> = {
  connection: connectionCommands,
  client: clientCommands,
  string: stringsCommands,
  bitmap: bitmapsCommands,
  hyperloglog: hyperloglogCommands,
  generic: keysCommands,
  list: listsCommands,
  hash: hashesCommands,
  set: setsCommands,
  sorted_set: zsetsCommands,
  geo: geoCommands,
  transactions: transactionsCommands,
  pubsub: pubsubCommands,
  server: serverCommands,
  memory: memoryCommands,
  slowlog: slowlogCommands,
  latency: latencyCommands,
  sort: sortCommands,
  stream: streamsCommands,
  stream_blocking: streamsBlockingCommands,
  persistence: persistenceCommands,
  scripting: scriptingCommands,
  acl: aclCommands,
  cluster: clusterCommands,
  replication: replicationCommands,
  module: moduleCommands,
  migrate: migrateCommands,
};

export function buildCommandTable(): Map<string, CommandSpec> {
  const table = new Map<string, CommandSpec>();
  for (const specs of Object.values(FAMILIES)) {
    for (const spec of specs) {
      if (table.has(spec.name)) throw new Error(`command '${spec.name}' registered twice`);
      table.set(spec.name, spec);
    }
  }
  return table;
}
