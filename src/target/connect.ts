// Opens a connection to a target with ioredis and turns connection failures into one clear line
// ("cannot connect to 127.0.0.1:6390: connection refused", "authentication failed for ...").
// No retries behind the user's back: a one-shot command fails fast and says why.

import { Redis, type RedisOptions } from 'ioredis';
import { TargetError } from '../common/errors.js';
import type { TargetSpec } from './url.js';

export interface ConnectOptions {
  timeoutMs?: number;
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
  const timeout = opts.timeoutMs ?? 5000;
  const options: RedisOptions = {
    host: spec.host,
    port: spec.port,
    path: spec.path,
    username: spec.username,
    password: spec.password,
    db: spec.db,
    tls: spec.tls ? {} : undefined,
    lazyConnect: true,
    connectTimeout: timeout,
    commandTimeout: timeout,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    enableReadyCheck: false,
    retryStrategy: () => null,
  };
  const client = new Redis(options);
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
