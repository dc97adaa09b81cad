// MIGRATE (cluster.c's migrateCommand, which works on a standalone Redis too): moves keys to
// another server as DUMP payloads sent with RESTORE, then deletes them here unless COPY. Redis
// does the transfer with blocking socket calls, so nothing else runs until it ends; the engine
// cannot block Node's loop, so it holds every other client's commands instead (engine.heldBy)
// while its own client waits, and the same guarantee follows: no key changes between its
// serialization and its deletion. Connections to targets are cached for 10 s per host:port
// (INFO migrate_cached_sockets) and remember the database they last SELECTed, as in Redis; a
// cached connection that fails before the first reply is retried once on a new one.

import net from 'node:net';
import { cmd, type CommandSpec, type Ctx } from '../command.js';
import type { Client } from '../client.js';
import type { Engine } from '../engine.js';
import type { Db } from '../keyspace.js';
import { E, ReplyError } from '../errors.js';
import { is, parseInteger } from '../args.js';
import { notifyEvent } from '../notify.js';
import { countCall } from '../dispatch.js';
import { dumpOf } from './persistence.js';
import { respCommand } from '../persist/aof-base.js';

/** Redis's MIGRATE_SOCKET_CACHE_ITEMS and MIGRATE_SOCKET_CACHE_TTL. */
const CACHE_MAX = 64;
const CACHE_TTL_MS = 10_000;
const WRITE_CHUNK = 64 * 1024;

interface CachedSocket {
  socket: net.Socket;
  /** The database the last successful MIGRATE left selected there (-1: unknown). */
  lastDb: number;
  lastUse: number;
  /** Bytes received and not yet consumed as reply lines. */
  pending: string;
  onLine: ((line: string) => void) | null;
  onError: ((err: Error) => void) | null;
}

const caches = new WeakMap<Engine, Map<string, CachedSocket>>();

function cacheOf(engine: Engine): Map<string, CachedSocket> {
  let c = caches.get(engine);
  if (!c) {
    const cache = new Map<string, CachedSocket>();
    caches.set(engine, (c = cache));
    // migrateCloseTimedoutSockets: idle connections go after the TTL.
    engine.on('cron', () => {
      const now = Date.now();
      for (const [name, cs] of cache) if (now - cs.lastUse > CACHE_TTL_MS) close(cache, name);
    });
    engine.on('shutdown', () => {
      for (const name of [...cache.keys()]) close(cache, name);
    });
  }
  return c;
}

/** INFO's migrate_cached_sockets. */
export function migrateCachedSockets(engine: Engine): number {
  return caches.get(engine)?.size ?? 0;
}

function close(cache: Map<string, CachedSocket>, name: string): void {
  const cs = cache.get(name);
  if (!cs) return;
  cache.delete(name);
  cs.socket.destroy();
}

/** A transfer failure: where it happened decides Redis's wording, and a timeout is never retried. */
class TransferError extends Error {
  constructor(
    readonly phase: 'connecting' | 'writing' | 'reading',
    readonly timedOut: boolean,
  ) {
    super(phase);
  }
}

/** migrateGetSocket: the cached connection to host:port, or a new one within `timeout` ms. */
function getSocket(engine: Engine, host: string, port: number, timeout: number): Promise<CachedSocket> {
  const cache = cacheOf(engine);
  const name = `${host}:${port}`;
  const cached = cache.get(name);
  if (cached) {
    cached.lastUse = Date.now();
    return Promise.resolve(cached);
  }
  // Full: one cached connection makes room (Redis drops a random one).
  if (cache.size >= CACHE_MAX) close(cache, cache.keys().next().value!);
  return new Promise((resolve, reject) => {
    // Redis connects without blocking and waits until the socket is writable: only a timeout is a
    // connect failure; a refused connection shows up as the first write failing.
    let socket: net.Socket;
    try {
      socket = net.connect({ host, port });
    } catch {
      reject(new TransferError('writing', false));
      return;
    }
    socket.setNoDelay(true);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new TransferError('connecting', true));
    }, timeout);
    socket.once('error', () => {
      clearTimeout(timer);
      reject(new TransferError('writing', false));
    });
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      socket.unref(); // an idle cached connection never keeps the process alive
      const cs: CachedSocket = { socket, lastDb: -1, lastUse: Date.now(), pending: '', onLine: null, onError: null };
      socket.setEncoding('latin1');
      socket.on('data', (chunk: string) => {
        cs.pending += chunk;
        for (let nl = cs.pending.indexOf('\r\n'); nl >= 0 && cs.onLine; nl = cs.pending.indexOf('\r\n')) {
          const line = cs.pending.slice(0, nl);
          cs.pending = cs.pending.slice(nl + 2);
          cs.onLine(line);
        }
      });
      const fail = () => {
        if (cache.get(name) === cs) cache.delete(name);
        cs.onError?.(new Error('closed'));
      };
      socket.on('error', fail);
      socket.on('close', fail);
      cache.set(name, cs);
      resolve(cs);
    });
  });
}

/** Writes `data` in 64 KiB chunks and reads `lines` reply lines, each step within `timeout` ms. */
function exchange(cs: CachedSocket, data: Buffer, lines: number, timeout: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const got: string[] = [];
    let phase: 'writing' | 'reading' = 'writing';
    let timer: NodeJS.Timeout;
    const done = (err: TransferError | null) => {
      clearTimeout(timer);
      cs.onLine = null;
      cs.onError = null;
      if (err) reject(err);
      else resolve(got);
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => done(new TransferError(phase, true)), timeout);
    };
    cs.onError = () => done(new TransferError(phase, false));
    cs.onLine = (line) => {
      got.push(line);
      arm();
      if (got.length === lines) done(null);
    };
    arm();
    let pos = 0;
    const writeMore = (): void => {
      while (pos < data.length) {
        const chunk = data.subarray(pos, pos + WRITE_CHUNK);
        pos += chunk.length;
        if (!cs.socket.write(chunk)) {
          cs.socket.once('drain', () => {
            arm();
            writeMore();
          });
          return;
        }
      }
      phase = 'reading';
      arm();
      if (lines === 0) done(null);
    };
    writeMore();
  });
}

interface MigrateArgs {
  host: string;
  port: number;
  db: number;
  timeout: number;
  copy: boolean;
  replace: boolean;
  user: string | null;
  password: string | null;
  keys: string[];
}

/** MIGRATE's options, in Redis's order of checks. */
function parseArgs(argv: string[]): MigrateArgs {
  const a: MigrateArgs = { host: argv[1]!, port: 0, db: 0, timeout: 0, copy: false, replace: false, user: null, password: null, keys: [argv[3]!] };
  for (let j = 6; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (is(argv[j], 'copy')) a.copy = true;
    else if (is(argv[j], 'replace')) a.replace = true;
    else if (is(argv[j], 'auth')) {
      if (more < 1) throw new ReplyError(E.syntax);
      a.password = argv[++j]!;
    } else if (is(argv[j], 'auth2')) {
      if (more < 2) throw new ReplyError(E.syntax);
      a.user = argv[++j]!;
      a.password = argv[++j]!;
    } else if (is(argv[j], 'keys')) {
      if (argv[3] !== '') throw new ReplyError('When using MIGRATE KEYS option, the key argument must be set to the empty string');
      a.keys = argv.slice(j + 1);
      break;
    } else throw new ReplyError(E.syntax);
  }
  a.timeout = parseInteger(argv[5]!);
  a.db = parseInteger(argv[4]!);
  if (a.timeout <= 0) a.timeout = 1000;
  a.port = Number.parseInt(argv[2]!, 10) || 0; // atoi: leading digits, else 0 (then the connection fails)
  return a;
}

/** One key to send: its name, its DUMP payload (bytes as a latin1 string), and its TTL in ms (0: none). */
interface Outgoing {
  key: string;
  payload: string;
  ttl: number;
}

function migrate(ctx: Ctx, argv: string[]): void {
  const { engine, client, db } = ctx;
  const a = parseArgs(argv);
  // Redis runs the transfer inside EXEC or a script too, blocking; here the caller must wait for
  // network events, which only a top-level command can.
  if (engine.callDepth > 1 || client.inExec) throw new ReplyError('MIGRATE cannot run inside MULTI/EXEC or a script on this engine; send it on its own');
  const present = a.keys.filter((k) => db.read(k) !== undefined);
  if (present.length === 0) {
    ctx.reply.simple('NOKEY');
    return;
  }
  // Serialized now, while nothing else can run: the snapshot the target receives.
  const out: Outgoing[] = [];
  for (const key of present) {
    const at = db.getExpire(key);
    let ttl = 0;
    if (at !== undefined) {
      ttl = at - Date.now();
      if (ttl < 0) continue;
      if (ttl < 1) ttl = 1;
    }
    out.push({ key, payload: dumpOf(engine, db.dict.get(key)!.value).toString('latin1'), ttl });
  }
  client.suspended = true;
  engine.heldBy = client;
  const startedAt = performance.now();
  transfer(engine, a, out)
    .then((result) => finish(engine, client, db, a, out, result, argv, ctx.now, startedAt))
    .catch((err: unknown) => {
      // A bug must not leave every client held: let go, say so, and answer the caller.
      engine.emit('internal-error', err, argv);
      finish(engine, client, db, a, out, { ok: false, error: `internal error in 'migrate': ${err instanceof Error ? err.message : String(err)}` }, argv, ctx.now, startedAt);
    });
}

/** What the transfer ended with: target replies per key, or the error to answer. */
type Result = { ok: true; perKey: Array<string | null>; targetError: string | null } | { ok: false; error: string };

async function transfer(engine: Engine, a: MigrateArgs, out: Outgoing[]): Promise<Result> {
  let mayRetry = true;
  for (;;) {
    let cs: CachedSocket;
    try {
      cs = await getSocket(engine, a.host, a.port, a.timeout);
    } catch (err) {
      const e = err as TransferError;
      if (e.phase === 'connecting') return { ok: false, error: '-IOERR error or timeout connecting to the client' };
      if (mayRetry) {
        mayRetry = false;
        continue;
      }
      return { ok: false, error: '-IOERR error or timeout writing to target instance' };
    }
    const select = cs.lastDb !== a.db;
    let text = '';
    if (a.password !== null) text += respCommand(a.user !== null ? ['AUTH', a.user, a.password] : ['AUTH', a.password]);
    if (select) text += respCommand(['SELECT', String(a.db)]);
    for (const o of out) text += respCommand(['RESTORE', o.key, String(o.ttl), o.payload, ...(a.replace ? ['REPLACE'] : [])]);
    const head = (a.password !== null ? 1 : 0) + (select ? 1 : 0);
    let lines: string[];
    try {
      lines = await exchange(cs, Buffer.from(text, 'latin1'), head + out.length, a.timeout);
    } catch (err) {
      const e = err as TransferError;
      close(cacheOf(engine), `${a.host}:${a.port}`);
      // Redis retries once on a fresh connection, unless it timed out (the target may be stuck): a
      // cached connection can die while in use. (One the target closed while idle has already
      // left the cache: its 'close' event removed it.)
      if (mayRetry && !e.timedOut) {
        mayRetry = false;
        continue;
      }
      return { ok: false, error: `-IOERR error or timeout ${e.phase === 'writing' ? 'writing' : 'reading'} to target instance` };
    }
    const auth = a.password !== null ? lines[0]! : null;
    const sel = select ? lines[head - 1]! : null;
    const headError = auth?.startsWith('-') ? auth : sel?.startsWith('-') ? sel : null;
    const perKey = lines.slice(head).map((l) => (headError !== null ? headError : l.startsWith('-') ? l : null));
    const targetError = perKey.find((l) => l !== null) ?? null;
    if (targetError !== null) cs.lastDb = -1;
    else cs.lastDb = a.db;
    return { ok: true, perKey, targetError };
  }
}

/** The transfer ended: delete what arrived (unless COPY), answer, count the command, let everyone go. */
function finish(engine: Engine, client: Client, db: Db, a: MigrateArgs, out: Outgoing[], r: Result, argv: string[], startMs: number, startedAt: number): void {
  engine.heldBy = null;
  client.suspended = false;
  engine.tracking.asCaller(client, () => {
    if (r.ok && !a.copy) {
      const moved = out.filter((_, i) => r.perKey[i] === null).map((o) => o.key);
      for (const key of moved) {
        db.delete(key);
        if (engine.notifyFlags !== '') notifyEvent(engine, 'g', 'del', key, db.id, client);
        engine.dirty++;
      }
      // Propagated as what it did here: one DEL of the keys that left.
      if (moved.length > 0) engine.propagator?.command(db.id, ['DEL', ...moved]);
    }
    const error = r.ok ? (r.targetError === null ? null : `Target instance replied with error: ${r.targetError.slice(1)}`) : r.error;
    if (error === null) client.reply.ok();
    else {
      engine.countError(error);
      client.reply.error(error);
    }
    countCall(engine, engine.commands.get('migrate')!, argv, client, (performance.now() - startedAt) * 1000, error !== null, startMs);
  });
  if (!client.closed) {
    client.flush();
    setImmediate(() => client.resume());
  }
}

export const migrateCommands: CommandSpec[] = [
  cmd('migrate', -6, ['write', 'movablekeys'], ['keyspace', 'write', 'slow', 'dangerous'], [3, 3, 1], 'generic', migrate),
];
