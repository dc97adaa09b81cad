// Keyspace notifications (notify.c): when `notify-keyspace-events` enables a class, a write
// publishes `__keyspace@<db>__:<key>` with the event name (K) and/or `__keyevent@<db>__:<event>`
// with the key name (E). Commands call `notify(ctx, class, event, key)` after they change a key,
// with Redis's event names ("set", "lpush", "hset", "zadd", "del", "expire", ...); the engine
// itself raises "expired", "evicted" and "new".

import type { Ctx } from './command.js';
import type { Client } from './client.js';
import type { Engine } from './engine.js';
import { publish } from './pubsub.js';

/** Event classes, as the config letters: g generic, $ string, l list, s set, h hash, z zset,
 * x expired, e evicted, t stream, m key miss, d module, n new key. */
export type NotifyClass = 'g' | '$' | 'l' | 's' | 'h' | 'z' | 'x' | 'e' | 't' | 'm' | 'd' | 'n';

/** The letters "A" stands for. */
const ALL = 'g$lshzxetd';

/** Expands a notify-keyspace-events value into the set of enabled letters ("A" -> g$lshzxetd). */
export function parseNotifyFlags(value: string): string {
  let out = '';
  for (const ch of value) out += ch === 'A' ? ALL : ch;
  return out;
}

/** Publishes one keyspace event if its class (and K or E) is enabled. */
export function notifyEvent(engine: Engine, cls: NotifyClass, event: string, key: string, dbId: number, running: Client | null): void {
  const flags = engine.notifyFlags;
  if (flags === '' || !flags.includes(cls)) return;
  if (flags.includes('K')) publish(engine, `__keyspace@${dbId}__:${key}`, event, false, running);
  if (flags.includes('E')) publish(engine, `__keyevent@${dbId}__:${event}`, key, false, running);
}

/** notifyKeyspaceEvent for the command running in `ctx` (its own db and client). */
export function notify(ctx: Ctx, cls: NotifyClass, event: string, key: string): void {
  if (ctx.engine.notifyFlags === '') return;
  notifyEvent(ctx.engine, cls, event, key, ctx.db.id, ctx.client);
}
