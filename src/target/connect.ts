// Opens a connection to a target with ioredis and turns connection failures into one clear line
// ("cannot connect to 127.0.0.1:6390: connection refused", "authentication failed for ...").
// The ioredis options (timeouts, TLS files, retry policy) are built here once for every user;
// one-shot commands fail fast and say why, long-running faces ask for reconnects (link.ts).

import { Redis, type RedisOptions } from 'ioredis';
import { readFileSync } from 'node:fs';
import { TargetError, UserError } from '../common/errors.js';
import type { TargetSpec } from './url.js';

export interface ConnectOptions {
  timeoutMs?: number;
  /** Keep reconnecting in the background (exporter, dashboard) instead of failing fast. */
  reconnect?: boolean;
}

const ERRNO_TEXT: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ECONNRESET: 'connection reset by peer',
  ENOENT: 'no such socket file',
  EACCES: 'permission denied',
};

function tlsOptions(spec: TargetSpec): RedisOptions['tls'] {
  if (!spec.tls) return undefined;
  const t = spec.tlsFiles ?? {};
  const read = (path: string | undefined, what: string): Buffer | undefined => {
    if (!path) return undefined;
    try {
      return readFileSync(path);
    } catch (err) {
      throw new UserError(`cannot read TLS ${what} file '${path}': ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  };
  return {
    ca: read(t.ca, 'CA'),
    cert: read(t.cert, 'certificate'),
    key: read(t.key, 'key'),
    rejectUnauthorized: !t.insecure,
    servername: t.servername ?? spec.host,
  };
}

/** ioredis options for a target: fail fast by default, or reconnect with capped backoff. */
export function redisOptions(spec: TargetSpec, opts: ConnectOptions = {}): RedisOptions {
  const timeout = opts.timeoutMs ?? 5000;
  return {
    host: spec.host,
    port: spec.port,
    path: spec.path,
    username: spec.username,
    password: spec.password,
    db: spec.db,
    tls: tlsOptions(spec),
    lazyConnect: true,
    connectTimeout: timeout,
    commandTimeout: timeout,
    maxRetriesPerRequest: opts.reconnect ? 1 : 0,
    enableOfflineQueue: false,
    enableReadyCheck: false,
    retryStrategy: opts.reconnect ? (times: number) => Math.min(250 * 2 ** Math.min(times, 6), 10_000) : () => null,
  };
}

export function describeConnectError(spec: TargetSpec, err: unknown): string {
  const e = err as NodeJS.ErrnoException & { message?: string };
  const msg = e?.message ?? String(err);
  if (/WRONGPASS|invalid password|invalid username-password/i.test(msg)) return `authentication failed for ${spec.name}: wrong user name or password`;
  if (/NOAUTH/.test(msg)) return `${spec.name} requires a password: put it in the URL (redis://:PASSWORD@host:port) or REDIS_URL`;
  if (e?.code && ERRNO_TEXT[e.code]) return `cannot connect to ${spec.name}: ${ERRNO_TEXT[e.code]}`;
  return `cannot connect to ${spec.name}: ${msg.split('\n')[0]}`;
}

/** Connects and checks the link with PING; throws TargetError with a readable reason. */
export async function connect(spec: TargetSpec, opts: ConnectOptions = {}): Promise<Redis> {
  const client = new Redis(redisOptions(spec, opts));
  let lastError: unknown;
  client.on('error', (err) => (lastError = err));
  try {
    await client.connect();
    await client.ping();
    return client;
  } catch (err) {
    client.disconnect();
    throw new TargetError(describeConnectError(spec, lastError ?? err));
  }
}
