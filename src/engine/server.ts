// The network side of the engine (networking.c): a TCP (or unix socket) listener, one Client per
// connection, reading into the request parser and running every complete command in order,
// writing each batch of replies with one socket write, with Redis's connection rules: maxclients,
// protected mode, client-query-buffer-limit, idle timeout, protocol errors that close the link,
// blocked clients whose pipelines wait, and a clean shutdown.

import net from 'node:net';
import { Engine } from './engine.js';
import { Client } from './client.js';
import { processCommand } from './dispatch.js';
import { ProtocolError, RequestParser } from '../formats/resp/request-parser.js';

export interface ListenOptions {
  port: number;
  host?: string;
  /** Unix socket path (instead of TCP). */
  path?: string;
}

export interface Log {
  (level: 'debug' | 'verbose' | 'notice' | 'warning', message: string): void;
}

function isLoopback(addr: string | undefined): boolean {
  if (!addr) return true; // unix socket
  return addr.startsWith('127.') || addr === '::1' || addr.startsWith('::ffff:127.');
}

export class EngineServer {
  readonly engine: Engine;
  private readonly servers: net.Server[] = [];
  private readonly sockets = new Set<net.Socket>();
  private timeoutTimer: NodeJS.Timeout | null = null;
  log: Log = () => {};

  constructor(engine?: Engine) {
    this.engine = engine ?? new Engine();
    this.engine.config.started = true;
  }

  /** Starts listening; resolves with the bound port (0 picks a free one). */
  listen(opts: ListenOptions): Promise<number> {
    const server = net.createServer({ noDelay: true }, (socket) => this.accept(socket));
    this.servers.push(server);
    this.engine.startCron();
    if (!this.timeoutTimer) {
      this.timeoutTimer = setInterval(() => this.closeIdleClients(), 1000);
      this.timeoutTimer.unref();
    }
    this.engine.once('shutdown', () => void this.close());
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      const done = () => {
        server.off('error', reject);
        const a = server.address();
        resolve(typeof a === 'object' && a ? a.port : 0);
      };
      if (opts.path) server.listen(opts.path, done);
      else server.listen(opts.port, opts.host ?? '127.0.0.1', 511, done);
    });
  }

  /** Stops listening and disconnects every client. */
  async close(): Promise<void> {
    this.engine.stopCron();
    if (this.timeoutTimer) clearInterval(this.timeoutTimer);
    this.timeoutTimer = null;
    for (const s of this.sockets) s.destroy();
    await Promise.all(this.servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
    this.servers.length = 0;
  }

  private accept(socket: net.Socket): void {
    const engine = this.engine;
    const cfg = engine.config;
    engine.stats.connectionsReceived++;
    if (engine.clients.size >= cfg.num['maxclients']!) {
      engine.stats.rejectedConnections++;
      socket.end('-ERR max number of clients reached\r\n');
      return;
    }
    if (cfg.num['protected-mode'] && !engine.requiresAuth && !isLoopback(socket.remoteAddress)) {
      engine.stats.rejectedConnections++;
      socket.end(
        '-DENIED redscope is in protected mode: no password is set, so only loopback clients are accepted. ' +
          'Set a password (requirepass) or turn protected-mode off (CONFIG SET protected-mode no), then reconnect.\r\n',
      );
      return;
    }
    this.sockets.add(socket);
    const addr = socket.remoteAddress ? `${socket.remoteAddress}:${socket.remotePort}` : '/unixsocket:0';
    const laddr = socket.localAddress ? `${socket.localAddress}:${socket.localPort}` : '/unixsocket:0';
    const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd ?? -1;
    const client = new Client(engine.newClientId(), addr, laddr, fd, Date.now());
    client.authenticated = !engine.requiresAuth;
    engine.clients.set(client.id, client);
    const parser = new RequestParser({
      maxBulkLen: () => cfg.num['proto-max-bulk-len']!,
      authenticated: () => client.authenticated || !engine.requiresAuth,
    });
    client.queryBuffered = () => parser.buffered();

    let writable = true;
    client.flush = () => {
      if (client.closed) return;
      const out = client.reply.take();
      if (out.length === 0) return;
      client.netOut += out.length;
      engine.stats.netOutputBytes += out.length;
      writable = socket.write(Buffer.from(out, 'latin1'));
      if (!writable) socket.pause();
    };
    socket.on('drain', () => {
      writable = true;
      if (!client.blocked) socket.resume();
    });
    client.kill = (graceful: boolean) => {
      if (graceful) {
        client.closeAfterReply = true;
        client.flush();
        socket.end();
      } else {
        socket.destroy();
      }
    };

    let processing = false;
    const process = () => {
      if (processing) return;
      processing = true;
      try {
        while (!client.blocked && !client.closeAfterReply && !client.closed) {
          if (engine.pause && engine.pause.until > Date.now()) {
            setTimeout(process, Math.min(engine.pause.until - Date.now() + 1, 1000));
            break;
          }
          let argv: string[] | null;
          try {
            argv = parser.next();
          } catch (err) {
            if (!(err instanceof ProtocolError)) throw err;
            client.reply.error(`Protocol error: ${err.message}`);
            engine.countError(`Protocol error: ${err.message}`);
            this.log('verbose', `Protocol error (${err.message}) from client: id=${client.id} addr=${client.addr}`);
            client.closeAfterReply = true;
            break;
          }
          if (!argv) break;
          processCommand(engine, client, argv);
        }
      } finally {
        processing = false;
      }
      client.flush();
      if (client.closeAfterReply && !client.closed) socket.end();
    };
    client.resume = process;

    socket.on('data', (chunk: Buffer) => {
      client.netIn += chunk.length;
      engine.stats.netInputBytes += chunk.length;
      if (client.closeAfterReply) return;
      parser.push(chunk);
      if (parser.buffered() + client.multiBytes > cfg.num['client-query-buffer-limit']!) {
        engine.stats.queryBufferLimitDisconnections++;
        this.log('warning', `Closing client that reached max query buffer length: id=${client.id} addr=${client.addr}`);
        socket.destroy();
        return;
      }
      process();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      client.closed = true;
      this.sockets.delete(socket);
      engine.emit('disconnect', client);
      engine.blocking.unblock(client);
      engine.clients.delete(client.id);
    });
  }

  /** Closes clients idle longer than `timeout` seconds (not blocked or subscribed ones). */
  private closeIdleClients(): void {
    const timeout = this.engine.config.num['timeout']!;
    if (timeout <= 0) return;
    const now = Date.now();
    for (const c of this.engine.clients.values()) {
      if (c.blocked || c.subscriptionCount > 0) continue;
      if (now - c.lastInteraction > timeout * 1000) c.kill(false);
    }
  }
}
