// Target addresses: `redis://[user:pass@]host:port[/db]`, `rediss://` (TLS), `unix:///path[?db=N]`,
// or REDIS_URL from the environment. Parsed into one typed shape every face uses; errors name the
// bad part of the URL.

import { UserError } from '../common/errors.js';

export interface TargetSpec {
  /** How the target is shown to the user (never includes the password). */
  name: string;
  host?: string;
  port?: number;
  path?: string;
  tls: boolean;
  username?: string;
  password?: string;
  db: number;
  /** TLS material and checks (rediss:// only); paths, read when the link opens. */
  tlsFiles?: TlsFiles;
}

export interface TlsFiles {
  ca?: string;
  cert?: string;
  key?: string;
  /** Skip certificate verification (self-signed test setups). */
  insecure?: boolean;
  servername?: string;
}

export function parseTargetUrl(url: string): TargetSpec {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UserError(`invalid target URL '${url}': expected redis://[user:pass@]host:port[/db], rediss://... or unix:///path`);
  }
  const username = u.username ? decodeURIComponent(u.username) : undefined;
  const password = u.password ? decodeURIComponent(u.password) : undefined;
  if (u.protocol === 'unix:') {
    const dbParam = u.searchParams.get('db');
    const db = dbParam === null ? 0 : parseDb(dbParam, url);
    return { name: `unix:${u.pathname}`, path: u.pathname, tls: false, username, password, db };
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new UserError(`invalid target URL '${url}': scheme must be redis://, rediss:// or unix://`);
  }
  const host = u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
  const port = u.port ? Number(u.port) : 6379;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UserError(`invalid port in target URL '${url}'`);
  const dbText = u.pathname.replace(/^\//, '');
  const db = dbText === '' ? 0 : parseDb(dbText, url);
  return { name: `${host}:${port}`, host, port, tls: u.protocol === 'rediss:', username, password, db };
}

function parseDb(text: string, url: string): number {
  if (!/^\d+$/.test(text)) throw new UserError(`invalid database '${text}' in target URL '${url}': expected a number`);
  return Number(text);
}
