// Which servers a command looks at: `--url` (repeatable), REDIS_URL, or a targets file, so that
// passwords never have to sit in a URL or a process list. The file is a JSON list:
//
//   [ { "name": "cache-1", "url": "redis://10.0.0.5:6379", "passwordFile": "/run/secrets/cache",
//       "tls": { "ca": "/etc/ssl/redis-ca.pem", "insecure": false } },
//     { "name": "sessions", "url": "rediss://user@10.0.0.6:6380", "passwordEnv": "SESSIONS_PASS" } ]
//
// Errors name the entry and the field that is wrong.

import { readFileSync } from 'node:fs';
import { UserError } from '../common/errors.js';
import { parseTargetUrl, type TargetSpec, type TlsFiles } from './url.js';

export interface TargetEntry {
  name?: string;
  url: string;
  passwordFile?: string;
  passwordEnv?: string;
  username?: string;
  tls?: TlsFiles | boolean;
}

const ENTRY_KEYS = new Set(['name', 'url', 'passwordFile', 'passwordEnv', 'username', 'tls']);
const TLS_KEYS = new Set(['ca', 'cert', 'key', 'insecure', 'servername']);

/** Turns one entry (from a file or built from flags) into a TargetSpec; `where` prefixes errors. */
export function specFromEntry(entry: TargetEntry, where: string): TargetSpec {
  const spec = parseTargetUrl(entry.url);
  if (entry.name) spec.name = entry.name;
  if (entry.username) spec.username = entry.username;
  if (entry.passwordFile) {
    try {
      spec.password = readFileSync(entry.passwordFile, 'utf8').replace(/\r?\n$/, '');
    } catch (err) {
      throw new UserError(`${where}: cannot read passwordFile '${entry.passwordFile}': ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  } else if (entry.passwordEnv) {
    const v = process.env[entry.passwordEnv];
    if (v === undefined) throw new UserError(`${where}: passwordEnv names ${entry.passwordEnv}, which is not set in the environment`);
    spec.password = v;
  }
  if (entry.tls) {
    spec.tls = true;
    if (typeof entry.tls === 'object') spec.tlsFiles = { ...entry.tls };
  }
  return spec;
}

/** Reads and validates a targets file. */
export function readTargetsFile(path: string): TargetSpec[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UserError(`cannot read targets file '${path}': ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new UserError(`targets file '${path}' is not valid JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(data)) throw new UserError(`targets file '${path}': expected a JSON list of {name, url, ...} objects`);
  if (data.length === 0) throw new UserError(`targets file '${path}' lists no targets`);
  const names = new Set<string>();
  return data.map((raw, i) => {
    const where = `targets file '${path}', entry ${i + 1}`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new UserError(`${where}: expected an object with a "url"`);
    const e = raw as Record<string, unknown>;
    for (const k of Object.keys(e)) if (!ENTRY_KEYS.has(k)) throw new UserError(`${where}: unknown field "${k}" (known: ${[...ENTRY_KEYS].join(', ')})`);
    if (typeof e['url'] !== 'string') throw new UserError(`${where}: "url" must be a string like redis://host:6379`);
    for (const k of ['name', 'passwordFile', 'passwordEnv', 'username'] as const) {
      if (e[k] !== undefined && typeof e[k] !== 'string') throw new UserError(`${where}: "${k}" must be a string`);
    }
    if (e['passwordFile'] !== undefined && e['passwordEnv'] !== undefined) throw new UserError(`${where}: give "passwordFile" or "passwordEnv", not both`);
    const tls = e['tls'];
    if (tls !== undefined && typeof tls !== 'boolean') {
      if (typeof tls !== 'object' || tls === null) throw new UserError(`${where}: "tls" must be true/false or an object {ca, cert, key, insecure, servername}`);
      for (const k of Object.keys(tls)) if (!TLS_KEYS.has(k)) throw new UserError(`${where}: unknown field "tls.${k}" (known: ${[...TLS_KEYS].join(', ')})`);
    }
    let spec: TargetSpec;
    try {
      spec = specFromEntry(e as unknown as TargetEntry, where);
    } catch (err) {
      if (err instanceof UserError && !err.message.startsWith(where)) throw new UserError(`${where}: ${err.message}`);
      throw err;
    }
    if (names.has(spec.name)) throw new UserError(`${where}: the name '${spec.name}' is used twice; give each target its own "name"`);
    names.add(spec.name);
    return spec;
  });
}
