// freeClient for a connection other than the running one (CLIENT KILL, ACL DELUSER / LOAD):
// everything the engine keeps for the client (its transaction, watches, subscriptions, blocking,
// its place in the client table) goes at once, so commands later in the same batch no longer see
// it. The connection's close handler repeats this harmlessly when the socket closes.

import type { Client } from './client.js';
import type { Engine } from './engine.js';
import { discardTransaction } from './multi.js';
import { unsubscribeAll } from './pubsub.js';

export function freeClientNow(engine: Engine, c: Client): void {
  discardTransaction(engine, c);
  for (const kind of ['channel', 'pattern', 'shard'] as const) unsubscribeAll(engine, c, kind, null);
  engine.blocking.unblock(c);
  engine.clients.delete(c.id);
  c.kill(false);
  c.closed = true;
}
