// The network side of the engine (networking.c): a TCP (or unix socket) listener, one Client per
// connection, reading into the request parser and running every complete command in order,
// writing each batch of replies with one socket write, with Redis's connection rules: maxclients,
// protected mode, client-query-buffer-limit, idle timeout, protocol errors that close the link,
// blocked and paused clients whose pipelines wait, and a clean shutdown.
//
// Throughput comes from batching, as Redis's beforeSleep does: a read may hold thousands of
// pipelined commands; they all run synchronously into the client's reply buffer, which is
// written once, at the end of the event-loop turn, together with every other client's (see
// queueFlush). A client that pipelines a lot yields to the event loop every
// MAX_COMMANDS_PER_TURN commands so timers (expiry, cron, other clients) are not starved.
// Reads land in one shared static buffer (net.Socket's `onread`), like Redis reading into its
// query buffer: no allocation per read and no stream machinery; bytes left unparsed are copied
// out before the buffer is reused. Where the accepted socket cannot be re-wrapped that way,
// the ordinary 'data' events are used.

import net from 'node:net';
import { Engine } from './engine.js';
import { Client } from './client.js';
import { processCommand } from './dispatch.js';
import { ProtocolError, RequestParser } from '../formats/resp/request-parser.js';
import { abandonBusyScript } from './scripting/busy.js';

export interface ListenOptions {
  port: number;
  host?: string;
  /** Unix socket path (instead of TCP). */
  path?: string;
}

export interface Log {
  (level: 'debug' | 'verbose' | 'notice' | 'warning', message: string): void;
}

/** Commands run for one client before it yields to the event loop (fairness, timers). */
const MAX_COMMANDS_PER_TURN = 10_000;
/** The smallest client-query-buffer-limit the configuration accepts (1 MiB). */
const MIN_QUERY_LIMIT = 1024 * 1024;
/** How often a client postponed by CLIENT PAUSE looks again (the pause may be lifted early). */
const PAUSE_POLL_MS = 10;

function isLoopback(addr: string | undefined): boolean {
  if (!addr) return true; // unix socket
  return addr.startsWith('127.') || addr === '::1' || addr.startsWith('::ffff:127.');
}

export class EngineServer {
  readonly engine: Engine;
  private readonly servers: net.Server[] = [];
  private readonly sockets = new Set<net.Socket>();
  private timeoutTimer: NodeJS.Timeout | null = null;
  private shutdownHooked = false;
  log: Log = () => {};

  constructor(engine?: Engine) {
    this.engine = engine ?? new Engine();
    this.engine.config.started = true;
  }

  /** Starts listening; resolves with the bound port (0 picks a free one). */
  listen(opts: ListenOptions): Promise<number> {
    // Paused: nothing is read until the connection is adopted with the static read buffer.
    const server = net.createServer({ noDelay: true, pauseOnConnect: true }, (socket) => this.accept(socket));
    this.servers.push(server);
    this.engine.startCron();
    if (!this.timeoutTimer) {
      this.timeoutTimer = setInterval(() => this.closeIdleClients(), 1000);
      this.timeoutTimer.unref();
    }
    if (!this.shutdownHooked) {
      this.shutdownHooked = true;
      this.engine.once('shutdown', () => void this.close());
    }
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      const done = () => {
        server.off('error', reject);
        const a = server.address();
        const port = typeof a === 'object' && a ? a.port : 0;
        if (port && !this.engine.listenPort) this.engine.listenPort = port;
        resolve(port);
      };
      if (opts.path) server.listen(opts.path, done);
      else server.listen(opts.port, opts.host ?? '127.0.0.1', 511, done);
    });
  }

  /** Stops listening and disconnects every client. */
  async close(): Promise<void> {
    this.engine.stopCron();
    abandonBusyScript(this.engine); // a timed-out script would otherwise run on in slices
    if (this.timeoutTimer) clearInterval(this.timeoutTimer);
    this.timeoutTimer = null;
    for (const s of this.sockets) s.destroy();
    await Promise.all(this.servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
    this.servers.length = 0;
  }

  private accept(socket: net.Socket): void {
    const engine = this.engine;
    const cfg = engine.config;
    if (engine.clients.size >= cfg.num['maxclients']!) {
      engine.stats.rejectedConnections++;
      socket.on('error', () => {});
      closeAfterWrite(socket, '-ERR max number of clients reached\r\n');
      return;
    }
    if (cfg.num['protected-mode'] && !engine.requiresAuth && !isLoopback(socket.remoteAddress)) {
      engine.stats.rejectedConnections++;
      socket.on('error', () => {});
      closeAfterWrite(
        socket,
        '-DENIED redscope is in protected mode: no password is set, so only loopback clients are accepted. ' +
          'Set a password (requirepass) or turn protected-mode off (CONFIG SET protected-mode no), then reconnect.\r\n',
      );
      return;
    }
    engine.stats.connectionsReceived++; // refused connections are not counted (total_connections_received)
    let conn: Connection | null = null;
    const adopted = adoptWithStaticBuffer(socket, (n, buf) => conn!.onRead(n, buf));
    const sock = adopted ?? socket;
    this.sockets.add(sock);
    const keepAlive = cfg.num['tcp-keepalive'] ?? 0;
    if (keepAlive > 0 && sock.remoteAddress) sock.setKeepAlive(true, keepAlive * 1000);
    conn = new Connection(this, sock);
    conn.start(adopted === null);
  }

  /** Forgets a closed socket (called by its Connection). */
  dropSocket(socket: net.Socket): void {
    this.sockets.delete(socket);
  }

  /** Closes clients idle longer than `timeout` seconds (not blocked, subscribed or replica ones). */
  private closeIdleClients(): void {
    const timeout = this.engine.config.num['timeout']!;
    if (timeout <= 0) return;
    const now = Date.now();
    for (const c of this.engine.clients.values()) {
      if (c.blocked || c.subscriptionCount > 0 || c.replica) continue;
      if (now - c.lastInteraction > timeout * 1000) {
        this.log('verbose', `Closing idle client id=${c.id} addr=${c.addr}`);
        c.kill(false);
      }
    }
  }
}

/** The one buffer every connection reads into (reads are handled one at a time, synchronously). */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

interface SocketInternals {
  _handle?: object | null;
}

/**
 * Re-wraps an accepted (paused) socket's handle in a socket that reads into READ_BUFFER and
 * calls `onRead` directly. The original socket object is released without closing the handle.
 * Returns null (leaving the socket untouched) when the handle is not reachable.
 */
function adoptWithStaticBuffer(socket: net.Socket, onRead: (n: number, buf: Buffer) => void): net.Socket | null {
  const internals = socket as unknown as SocketInternals;
  const handle = internals._handle;
  if (!handle || typeof handle !== 'object') return null;
  let adopted: net.Socket;
  try {
    adopted = new net.Socket({ handle, readable: true, writable: true, onread: { buffer: READ_BUFFER, callback: (n: number, buf: Buffer) => void onRead(n, buf) } } as net.SocketConstructorOpts);
  } catch {
    return null;
  }
  internals._handle = null;
  socket.destroy(); // without a handle this only releases the wrapper (and the server's count)
  return adopted;
}

/** Writes the last bytes, then closes the socket completely (not half-open): Redis's close(fd). */
function closeAfterWrite(socket: net.Socket, last?: string): void {
  if (socket.destroyed) return;
  socket.once('finish', () => socket.destroy());
  if (last) socket.end(last, 'latin1');
  else socket.end();
}

/**
 * Connections whose replies wait for the end of this event-loop turn: Redis's
 * clients_pending_write, written in beforeSleep. Every socket that was readable in one poll gets
 * its commands run first, then all replies go out back to back. Writing after each read instead
 * costs more than the commands: each small write on a connection whose peer went back to sleep
 * pays a wake-up in the kernel, while writes in a burst mostly find it still busy.
 */
let flushQueue: Connection[] = [];
let flushScheduled = false;

/** Queues a connection's replies for the end of this turn (a connection queued twice flushes once: the second finds nothing). */
function queueFlush(conn: Connection): void {
  flushQueue.push(conn);
  if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flushAll);
  }
}

function flushAll(): void {
  flushScheduled = false;
  const queued = flushQueue;
  flushQueue = [];
  for (let i = 0; i < queued.length; i++) queued[i]!.flushReplies();
}

/** One client connection: socket <-> parser <-> dispatch <-> reply writer. */
class Connection {
  private readonly engine: Engine;
  private readonly client: Client;
  private readonly parser: RequestParser;
  /** A parsed command held back by CLIENT PAUSE, run before anything else. */
  private postponed: string[] | null = null;
  private pauseTimer: NodeJS.Timeout | null = null;
  private processing = false;
  private yielded = false;

  constructor(
    private readonly server: EngineServer,
    private readonly socket: net.Socket,
  ) {
    const engine = (this.engine = server.engine);
    const cfg = engine.config;
    const addr = socket.remoteAddress ? `${socket.remoteAddress}:${socket.remotePort}` : '/unixsocket:0';
    const laddr = socket.localAddress ? `${socket.localAddress}:${socket.localPort}` : '/unixsocket:0';
    const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd ?? -1;
    const client = (this.client = new Client(engine.newClientId(), addr, laddr, fd, Date.now()));
    client.authenticated = !engine.requiresAuth;
    this.parser = new RequestParser({
      maxBulkLen: () => cfg.num['proto-max-bulk-len']!,
      authenticated: () => client.authenticated || !engine.requiresAuth,
    });
  }

  /** Wires the socket; `viaDataEvents` when it was not adopted with the static read buffer. */
  start(viaDataEvents: boolean): void {
    const { engine, client, socket, parser } = this;
    engine.clients.set(client.id, client);
    client.queryBuffered = () => parser.buffered();
    client.flush = () => this.flush();
    client.kill = (graceful) => {
      if (graceful) {
        client.closeAfterReply = true;
        this.flush();
        closeAfterWrite(socket);
      } else {
        socket.destroy();
      }
    };
    client.resume = () => this.process();
    if (viaDataEvents) {
      socket.on('data', (chunk: Buffer) => this.onData(chunk));
      socket.resume(); // accepted paused
    }
    // Reading goes on while the reply side waits for the kernel; only output is throttled.
    socket.on('drain', () => {
      if (socket.isPaused()) socket.resume();
    });
    socket.on('error', () => {});
    socket.on('close', () => this.onClose());
  }

  /** A read into the shared READ_BUFFER: process it, then keep a private copy of any leftover. */
  onRead(n: number, buf: Buffer): void {
    this.onData(buf.subarray(0, n));
    this.parser.own();
  }

  private onData(chunk: Buffer): void {
    const { engine, client, parser } = this;
    const n = chunk.length;
    client.netIn += n;
    engine.stats.netInputBytes += n;
    engine.stats.readsProcessed++;
    const now = Date.now();
    client.lastInteraction = now;
    if (client.closeAfterReply || client.closed) return;
    parser.push(chunk);
    const queued = parser.buffered() + client.multiBytes;
    // The limit is at least 1 MiB: below that there is no need to look it up.
    if (queued > MIN_QUERY_LIMIT && queued > engine.config.num['client-query-buffer-limit']!) {
      engine.stats.queryBufferLimitDisconnections++;
      this.server.log('warning', `Closing client that reached max query buffer length: id=${client.id} addr=${client.addr} (qbuf initial bytes: ${JSON.stringify(parser.peek(64))})`);
      this.socket.destroy();
      return;
    }
    if (!this.yielded) this.process(now);
  }

  /** Writes everything the client's reply buffer holds, in one socket write. */
  private flush(): void {
    const client = this.client;
    if (client.closed) return;
    const out = client.reply.take();
    const n = out.length;
    if (n === 0) return;
    client.netOut += n;
    this.engine.stats.netOutputBytes += n;
    this.engine.stats.writesProcessed++;
    if (!this.socket.write(out, 'latin1')) {
      // The peer reads slower than it sends: stop reading until the kernel takes our output.
      this.socket.pause();
    }
  }

  /** True while CLIENT PAUSE holds `argv` back (ALL: everything known; WRITE: writes only). */
  private pausedFor(argv: string[]): boolean {
    const pause = this.engine.pause;
    if (!pause) return false;
    if (pause.until <= Date.now()) return false;
    const spec = this.engine.commands.get(argv[0]!.toLowerCase());
    // Commands Redis rejects before its pause check (unknown, wrong arity) are not held.
    if (!spec || (spec.arity > 0 && argv.length !== spec.arity) || argv.length < -spec.arity) return false;
    if (!pause.writesOnly) return true;
    const writes = (flags: readonly string[]) => flags.includes('write') || flags.includes('may_replicate');
    if (writes(spec.flags)) return true;
    if (spec.name === 'exec' && this.client.multi) return this.client.multi.some((q) => writes(q.spec.flags));
    return false;
  }

  /**
   * Parses and runs every complete command, then queues the replies for the end-of-turn write.
   * `readAt`: the clock just read for the bytes that arrived, which the first command uses as its
   * own (microseconds apart: one clock read fewer per request). The commands after it in the same
   * read are dated readAt + the time elapsed until the previous command ended, from the monotonic
   * reading call() takes anyway: pipelined commands cost no wall-clock read of their own.
   */
  private process(readAt = 0): void {
    if (this.processing) return;
    const { engine, client, parser } = this;
    this.processing = true;
    this.yielded = false;
    const readPerf = readAt !== 0 ? performance.now() : 0;
    let budget = MAX_COMMANDS_PER_TURN;
    try {
      while (!client.blocked && !client.suspended && !client.closeAfterReply && !client.closed) {
        let argv = this.postponed;
        this.postponed = null;
        if (argv === null) {
          try {
            argv = parser.next();
          } catch (err) {
            if (!(err instanceof ProtocolError)) throw err;
            this.protocolError(err.message);
            break;
          }
          if (argv === null) break;
        }
        if ((engine.heldBy !== null && engine.heldBy !== client) || (engine.pause !== null && this.pausedFor(argv))) {
          this.postponed = argv;
          this.waitForPause();
          break;
        }
        if (readAt !== 0) {
          const elapsed = engine.lastCallEnd - readPerf;
          processCommand(engine, client, argv, elapsed > 0 ? Math.floor(readAt + elapsed) : readAt);
        } else processCommand(engine, client, argv);
        if (--budget === 0) {
          this.yielded = true;
          setImmediate(() => this.process());
          break;
        }
      }
    } finally {
      this.processing = false;
    }
    if (client.closeAfterReply && !client.closed) {
      this.flush();
      closeAfterWrite(this.socket);
    } else if (client.reply.pending > 0) {
      queueFlush(this);
    }
  }

  /** The end-of-turn write queued by process() (see queueFlush). */
  flushReplies(): void {
    this.flush();
  }

  /** Looks again when the pause ends, or every PAUSE_POLL_MS (it may be lifted early; MIGRATE's hold has no end time). */
  private waitForPause(): void {
    if (this.pauseTimer) return;
    const pause = this.engine.pause;
    const left = pause ? pause.until - Date.now() : PAUSE_POLL_MS;
    this.pauseTimer = setTimeout(
      () => {
        this.pauseTimer = null;
        this.process();
      },
      Math.max(1, Math.min(left + 1, PAUSE_POLL_MS)),
    );
  }

  /** Redis's setProtocolError: reply the error, stop reading commands, close after the reply. */
  private protocolError(message: string): void {
    const { engine, client } = this;
    const text = `Protocol error: ${message}`;
    client.reply.error(text);
    engine.countError(text);
    this.server.log('verbose', `Protocol error (${message}) from client: id=${client.id} addr=${client.addr}`);
    client.closeAfterReply = true;
  }

  private onClose(): void {
    const { engine, client } = this;
    client.closed = true;
    if (this.pauseTimer) clearTimeout(this.pauseTimer);
    this.server.dropSocket(this.socket);
    engine.emit('disconnect', client);
    engine.blocking.unblock(client);
    engine.clients.delete(client.id);
  }
}
