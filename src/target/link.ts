// A live connection to one target, as every face above target/ sees it: send a batch of commands
// in one pipelined round trip and get each reply or each error back in order. Only this folder
// knows ioredis; collect/, the exporter and the dashboard speak through RedisLink.
//
// Two connection styles: one-shot commands fail fast (no retries, readable errors), long-running
// faces (exporter, dashboard) reconnect in the background with capped backoff and report the
// target as down meanwhile.

import { Redis } from 'ioredis';
import { TargetError } from '../common/errors.js';
import { describeConnectError, redisOptions, type ConnectOptions } from './connect.js';
import type { TargetSpec } from './url.js';

/** A reply as decoded from RESP: strings are latin1 (byte-exact) when `raw`, else UTF-8 text. */
export type Reply = string | number | null | Reply[];

/** One command's outcome in a batch: the reply, or the server's (or the link's) error. */
export type Outcome = { ok: true; value: Reply } | { ok: false; error: string };

export interface RedisLink {
  readonly spec: TargetSpec;
  /**
   * Sends every command in one pipelined round trip; never rejects for a server error reply.
   * String arguments go out as UTF-8; pass a Buffer for exact bytes (a key read back with `raw`).
   */
  batch(commands: Array<Array<string | Buffer>>, opts?: { raw?: boolean }): Promise<Outcome[]>;
  /** One command; rejects with TargetError on a link failure and with Error(message) on an error reply. */
  call(...args: string[]): Promise<Reply>;
  /** True while the link is connected and ready. */
  readonly up: boolean;
  close(): void;
}

export type LinkOptions = ConnectOptions;

function toReply(v: unknown, raw: boolean): Reply {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  if (Buffer.isBuffer(v)) return raw ? v.toString('latin1') : v.toString('utf8');
  if (Array.isArray(v)) return v.map((x) => toReply(x, raw));
  return String(v);
}

/** Opens (and checks with PING) a link; throws TargetError with a readable reason. */
export async function openLink(spec: TargetSpec, opts: LinkOptions = {}): Promise<RedisLink> {
  const client = new Redis(redisOptions(spec, opts));
  let lastError: unknown;
  client.on('error', (err) => (lastError = err));
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    if (!opts.reconnect) {
      client.disconnect();
      throw new TargetError(describeConnectError(spec, lastError ?? err));
    }
  }
  const link: RedisLink = {
    spec,
    get up() {
      return client.status === 'ready';
    },
    async batch(commands, bopts = {}) {
      const raw = bopts.raw ?? false;
      const p = client.pipeline();
      for (const [name, ...args] of commands) p.callBuffer(String(name), ...args);
      let results: Array<[Error | null, unknown]> | null;
      try {
        results = await p.exec();
      } catch (err) {
        throw new TargetError(describeConnectError(spec, lastError ?? err));
      }
      if (!results) throw new TargetError(describeConnectError(spec, lastError ?? new Error('connection closed')));
      return results.map(([err, v]) => {
        if (!err) return { ok: true, value: toReply(v, raw) };
        // A link failure fails every command of the batch the same way: surface it as such.
        if (!/^[A-Z]+ /.test(err.message) && !/^ERR|^NOPERM|^NOAUTH|^WRONGTYPE|^LOADING|^MOVED|^ASK/.test(err.message)) {
          if (client.status !== 'ready') throw new TargetError(describeConnectError(spec, lastError ?? err));
        }
        return { ok: false, error: err.message };
      });
    },
    async call(...args) {
      const [out] = await link.batch([args]);
      if (!out!.ok) throw new Error(out!.error);
      return out!.value;
    },
    close() {
      client.disconnect();
    },
  };
  return link;
}
