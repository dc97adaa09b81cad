// Which clients are scripts' pseudo-clients (Redis's CLIENT_SCRIPT flag). Kept apart from the
// runner so command families (SORT, XREAD) can ask without loading the Lua VM.

import type { Client } from '../client.js';

const scriptClients = new WeakSet<Client>();

/** Marks `client` as the one scripts issue their commands through. */
export function markScriptClient(client: Client): void {
  scriptClients.add(client);
}

/** True while a command runs on behalf of a script (redis.call / redis.pcall). */
export function isScriptClient(client: Client): boolean {
  return scriptClients.has(client);
}
