// Pub/sub registries and message delivery (pubsub.c). Channels, patterns and shard channels
// (SSUBSCRIBE, which Redis 7.0 also serves outside cluster mode) live in the engine's maps
// (name -> subscribers in subscription order) mirrored by each client's own sets. Messages are written straight into each subscriber's reply buffer as RESP3
// pushes or RESP2 arrays and flushed, the way Redis appends to other clients' output buffers.
//
// Pushes bypass CLIENT REPLY OFF/SKIP in Redis. For other clients that is automatic (they are
// not running a command), but the running client's own pushes would be thrown away with its
// muted replies, so they are set aside here for dispatch to append (see takeBypassed).

import type { Client } from './client.js';
import type { Engine } from './engine.js';
import { globMatch } from './glob.js';

export type Registry = Map<string, Set<Client>>;

/** channel -> subscribers of SSUBSCRIBE. */
export function shardRegistry(engine: Engine): Registry {
  return engine.pubsubShardChannels;
}

/** The shard channels one client is subscribed to. */
export function shardChannels(client: Client): Set<string> {
  return client.shardChannels;
}

/** Channels + patterns + shard channels: non-zero means the client is in pub/sub mode. */
export function totalSubscriptions(client: Client): number {
  return client.subscriptionCount;
}

/** Channels + patterns: the count SUBSCRIBE/PSUBSCRIBE confirmations carry. */
function plainSubscriptions(client: Client): number {
  return client.channels.size + client.patterns.size;
}

// --- replies that must survive CLIENT REPLY OFF/SKIP -------------------------------------------

/** True while the client's own replies are being discarded (CLIENT REPLY OFF, or SKIP armed). */
export function isMuted(client: Client): boolean {
  return client.replyMode !== 'on' || client.skipNext;
}

/** Keeps RESP text for a muted running client; dispatch (or a microtask fallback) appends it. */
export function bypassMute(client: Client, text: string): void {
  const had = client.bypassed;
  client.bypassed += text;
  if (had === '') {
    queueMicrotask(() => {
      const rest = takeBypassed(client);
      if (rest && !client.closed) {
        client.reply.raw(rest);
        client.flush();
      }
    });
  }
}

/** The text set aside by bypassMute (empty when none); dispatch appends it after muting. */
export function takeBypassed(client: Client): string {
  const s = client.bypassed;
  client.bypassed = '';
  return s;
}

// --- wire shapes -----------------------------------------------------------------------------

function bulk(s: string): string {
  return `$${s.length}\r\n${s}\r\n`;
}

/** One push frame: header for the client's protocol, then bulks / an integer / a null. */
function frame(client: Client, parts: Array<string | number | null>): string {
  let s = client.proto === 3 ? `>${parts.length}\r\n` : `*${parts.length}\r\n`;
  for (const p of parts) {
    if (p === null) s += client.proto === 3 ? '_\r\n' : '$-1\r\n';
    else if (typeof p === 'number') s += `:${p}\r\n`;
    else s += bulk(p);
  }
  return s;
}

/**
 * Writes a push to `target`. `running` is the client whose command is executing: its pushes go
 * into its own buffer (flushed with the command's replies) or, when muted, around the mute.
 */
export function push(target: Client, parts: Array<string | number | null>, running: Client | null): void {
  if (target.closed) return;
  pushText(target, frame(target, parts), running);
}

/** Writes a ready-made push frame (RESP text) to `target`, by the same rules as push(). */
export function pushText(target: Client, text: string, running: Client | null): void {
  if (target.closed) return;
  if (target === running) {
    if (isMuted(target)) bypassMute(target, text);
    else {
      target.reply.raw(text);
      target.reply.count++;
    }
    return;
  }
  target.reply.raw(text);
  target.flush();
}

// --- subscribe / unsubscribe -----------------------------------------------------------------

export type Kind = 'channel' | 'pattern' | 'shard';

interface KindInfo {
  registry(engine: Engine): Registry;
  own(client: Client): Set<string>;
  subscribed: string;
  unsubscribed: string;
  /** The count a (un)subscribe confirmation carries. */
  count(client: Client): number;
}

export const KINDS: Record<Kind, KindInfo> = {
  channel: {
    registry: (e) => e.pubsubChannels,
    own: (c) => c.channels,
    subscribed: 'subscribe',
    unsubscribed: 'unsubscribe',
    count: plainSubscriptions,
  },
  pattern: {
    registry: (e) => e.pubsubPatterns,
    own: (c) => c.patterns,
    subscribed: 'psubscribe',
    unsubscribed: 'punsubscribe',
    count: plainSubscriptions,
  },
  shard: {
    registry: shardRegistry,
    own: shardChannels,
    subscribed: 'ssubscribe',
    unsubscribed: 'sunsubscribe',
    count: (c) => shardChannels(c).size,
  },
};

const installed = new WeakSet<Engine>();

/** Unsubscribes a client from everything, silently, on disconnect and RESET (once per engine). */
export function installPubsub(engine: Engine): void {
  if (installed.has(engine)) return;
  installed.add(engine);
  const forget = (client: Client) => {
    for (const kind of Object.keys(KINDS) as Kind[]) unsubscribeAll(engine, client, kind, null);
  };
  engine.on('disconnect', forget);
  engine.on('reset-client', forget);
}

/** Subscribes to one name and confirms it (a repeated subscription still confirms). */
export function subscribe(engine: Engine, client: Client, kind: Kind, name: string): void {
  const k = KINDS[kind];
  const own = k.own(client);
  if (!own.has(name)) {
    own.add(name);
    const reg = k.registry(engine);
    let subs = reg.get(name);
    if (!subs) reg.set(name, (subs = new Set()));
    subs.add(client);
  }
  push(client, [k.subscribed, name, k.count(client)], client);
}

/** Unsubscribes from one name; `notify` is the running client when a confirmation is due. */
export function unsubscribe(engine: Engine, client: Client, kind: Kind, name: string, notify: Client | null): boolean {
  const k = KINDS[kind];
  const own = k.own(client);
  const had = own.delete(name);
  if (had) {
    const reg = k.registry(engine);
    const subs = reg.get(name);
    if (subs) {
      subs.delete(client);
      if (subs.size === 0) reg.delete(name);
    }
  }
  if (notify) push(client, [k.unsubscribed, name, k.count(client)], notify);
  return had;
}

/** Unsubscribes from every name of a kind; with nothing to drop, a notified call still confirms with a null. */
export function unsubscribeAll(engine: Engine, client: Client, kind: Kind, notify: Client | null): number {
  const k = KINDS[kind];
  let n = 0;
  for (const name of [...k.own(client)]) if (unsubscribe(engine, client, kind, name, notify)) n++;
  if (notify && n === 0) push(client, [k.unsubscribed, null, k.count(client)], notify);
  return n;
}

// --- publishing ------------------------------------------------------------------------------

/**
 * Delivers a message: channel subscribers first (in subscription order), then, for plain
 * channels, every pattern that matches. Returns the number of deliveries (PUBLISH's reply).
 * `running` is the publishing client, if any (keyspace notifications pass null).
 */
export function publish(engine: Engine, channel: string, message: string, shard = false, running: Client | null = null): number {
  let receivers = 0;
  const reg = shard ? shardRegistry(engine) : engine.pubsubChannels;
  const subs = reg.get(channel);
  if (subs) {
    const kind = shard ? 'smessage' : 'message';
    for (const c of [...subs]) {
      push(c, [kind, channel, message], running);
      receivers++;
    }
  }
  if (shard) return receivers;
  for (const [pattern, clients] of engine.pubsubPatterns) {
    if (!globMatch(pattern, channel)) continue;
    for (const c of [...clients]) {
      push(c, ['pmessage', pattern, channel, message], running);
      receivers++;
    }
  }
  return receivers;
}
