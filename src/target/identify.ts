// Who is this server? Name, version and role from HELLO (Redis >= 6, Valkey, the bundled engine),
// falling back to INFO server for older servers that do not know HELLO.

import type { Redis } from 'ioredis';

export interface ServerIdentity {
  server: string;
  version: string;
  role: string;
}

export async function identify(client: Redis): Promise<ServerIdentity> {
  try {
    const hello = (await client.call('HELLO')) as unknown[];
    const m = new Map<string, unknown>();
    for (let i = 0; i + 1 < hello.length; i += 2) m.set(String(hello[i]), hello[i + 1]);
    return { server: String(m.get('server') ?? 'redis'), version: String(m.get('version') ?? '?'), role: String(m.get('role') ?? '?') };
  } catch {
    const info = String(await client.info('server'));
    const field = (k: string) => new RegExp(`^${k}:(.*)$`, 'm').exec(info)?.[1]?.trim() ?? '?';
    return { server: 'redis', version: field('redis_version'), role: '?' };
  }
}
