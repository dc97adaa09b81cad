// The bundled default target: starts the engine in this process on a free loopback port, so
// commands run without any Redis installed. The toolkit then talks to it over RESP exactly as it
// talks to a real server (no shortcut into the engine's memory).

import { Config } from '../engine/config.js';
import { Engine } from '../engine/engine.js';
import { EngineServer } from '../engine/server.js';
import type { TargetSpec } from './url.js';

export interface EmbeddedEngine {
  spec: TargetSpec;
  port: number;
  stop(): Promise<void>;
}

export async function startEmbedded(directives: Array<[string, string]> = []): Promise<EmbeddedEngine> {
  const config = new Config();
  config.setMany([['save', ''], ...directives], { runtime: false });
  const server = new EngineServer(new Engine(config));
  const port = await server.listen({ port: 0, host: '127.0.0.1' });
  return {
    spec: { name: `bundled engine (127.0.0.1:${port})`, host: '127.0.0.1', port, tls: false, db: 0 },
    port,
    stop: () => server.close(),
  };
}
