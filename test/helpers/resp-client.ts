// A raw RESP client for tests: sends commands as multibulk (or raw bytes) and returns typed
// replies exactly as the server sent them, so tests can compare the engine with real Redis
// byte for byte where that matters.

import net from 'node:net';
import { ReplyParser, type RespValue } from '../../src/formats/resp/reply-parser.js';

export function encodeCommand(args: Array<string | Buffer | number>): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = Buffer.isBuffer(a) ? a : Buffer.from(String(a), 'latin1');
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

export class RespClient {
  private readonly parser = new ReplyParser();
  private readonly waiters: Array<(v: RespValue) => void> = [];
  private readonly queued: RespValue[] = [];
  closed = false;
  private closeWaiters: Array<() => void> = [];

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk) => {
      this.parser.push(chunk);
      for (let v = this.parser.next(); v !== undefined; v = this.parser.next()) {
        const w = this.waiters.shift();
        if (w) w(v);
        else this.queued.push(v);
      }
    });
    socket.on('close', () => {
      this.closed = true;
      for (const w of this.closeWaiters) w();
    });
    socket.on('error', () => {});
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RespClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ port, host }, () => resolve(new RespClient(s)));
      s.once('error', reject);
    });
  }

  /** Sends one command and waits for its reply. */
  call(...args: Array<string | Buffer | number>): Promise<RespValue> {
    this.socket.write(encodeCommand(args));
    return this.read();
  }

  /** Sends several commands in one write and waits for all replies. */
  async pipeline(cmds: Array<Array<string | Buffer | number>>): Promise<RespValue[]> {
    this.socket.write(Buffer.concat(cmds.map(encodeCommand)));
    const out: RespValue[] = [];
    for (let i = 0; i < cmds.length; i++) out.push(await this.read());
    return out;
  }

  writeRaw(data: string | Buffer): void {
    this.socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  /** The next reply (pushes included), failing after `timeoutMs`. */
  read(timeoutMs = 10_000): Promise<RespValue> {
    const q = this.queued.shift();
    if (q) return Promise.resolve(q);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(done);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new Error(`no reply within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (v: RespValue) => {
        clearTimeout(timer);
        resolve(v);
      };
      this.waiters.push(done);
    });
  }

  /** Resolves when the server closes the connection (or after timeoutMs, with false). */
  waitClose(timeoutMs = 5000): Promise<boolean> {
    if (this.closed) return Promise.resolve(true);
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), timeoutMs);
      this.closeWaiters.push(() => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }

  close(): void {
    this.socket.destroy();
  }
}
