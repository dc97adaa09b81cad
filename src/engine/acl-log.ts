// The ACL log (acl.c's ACLLog): denied commands, keys, channels and failed authentications, newest
// first. A denial like one of the 10 newest (same reason, context, object and user, within 60 s)
// bumps that entry's count and moves it to the front instead of adding a row; the list keeps at
// most acllog-max-len entries.

import type { Client } from './client.js';
import type { Engine } from './engine.js';
import { isScriptClient } from './scripting/script-client.js';

export type AclDenial = 'command' | 'key' | 'channel' | 'auth';
export type AclContext = 'toplevel' | 'multi' | 'lua';

export interface AclLogEntry {
  count: number;
  reason: AclDenial;
  context: AclContext;
  object: string;
  username: string;
  /** Unix ms of the last occurrence. */
  ctime: number;
  clientInfo: string;
}

/**
 * The CLIENT LIST line of a client (commands/client.ts installs it when it loads; this module
 * cannot import it without a cycle through connection.ts).
 */
type Describe = (engine: Engine, c: Client, argv: readonly string[], now: number) => string;
let describeClient: Describe = (_e, c) => `id=${c.id} addr=${c.addr}`;

export function setClientDescriber(fn: Describe): void {
  describeClient = fn;
}

const GROUPING_MS = 60_000;
const SCAN_FOR_MATCH = 10;

export class AclLog {
  entries: AclLogEntry[] = [];
  /** The script's caller, whose client info a denial inside a script shows. */
  scriptCaller: Client | null = null;
  /** The argv of the command being refused (for the client-info line). */
  argv: readonly string[] = [];

  constructor(private readonly engine: Engine) {}

  add(client: Client, reason: AclDenial, context: AclContext, object: string, username: string): void {
    const engine = this.engine;
    const now = Date.now();
    const real = isScriptClient(client) && this.scriptCaller ? this.scriptCaller : client;
    const clientInfo = describeClient(engine, real, this.argv, now);
    const limit = Math.min(SCAN_FOR_MATCH, this.entries.length);
    for (let i = 0; i < limit; i++) {
      const e = this.entries[i]!;
      if (e.reason !== reason || e.context !== context || Math.abs(e.ctime - now) > GROUPING_MS) continue;
      if (e.object !== object || e.username !== username) continue;
      this.entries.splice(i, 1);
      this.entries.unshift(e);
      e.count++;
      e.ctime = now;
      e.clientInfo = clientInfo;
      return;
    }
    this.entries.unshift({ count: 1, reason, context, object, username, ctime: now, clientInfo });
    const max = engine.config.num['acllog-max-len']!;
    if (this.entries.length > max) this.entries.length = max;
  }

  reset(): void {
    this.entries = [];
  }
}
