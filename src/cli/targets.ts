// Resolves which server a command talks to: --url, else REDIS_URL, else the bundled engine started
// in-process. Every command that needs a target goes through here, so they all behave alike.

import type { Redis } from 'ioredis';
import { connect } from '../target/connect.js';
import { startEmbedded, type EmbeddedEngine } from '../target/embedded.js';
import { parseTargetUrl, type TargetSpec } from '../target/url.js';

export interface OpenTarget {
  spec: TargetSpec;
  client: Redis;
  /** True when this is the in-process bundled engine. */
  bundled: boolean;
  close(): Promise<void>;
}

export async function openTarget(url: string | undefined, timeoutMs?: number): Promise<OpenTarget> {
  const chosen = url ?? process.env['REDIS_URL'];
  let embedded: EmbeddedEngine | null = null;
  let spec: TargetSpec;
  if (chosen) spec = parseTargetUrl(chosen);
  else {
    embedded = await startEmbedded();
    spec = embedded.spec;
  }
  try {
    const client = await connect(spec, { timeoutMs });
    return {
      spec,
      client,
      bundled: embedded !== null,
      close: async () => {
        client.disconnect();
        await embedded?.stop();
      },
    };
  } catch (err) {
    await embedded?.stop();
    throw err;
  }
}
