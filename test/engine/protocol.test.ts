// The wire protocol end to end, differential against a real redis-server 7.0: request framing
// (inline, multibulk, empty lines), every protocol error of engine-compat.md §3.1 (same error
// line, then the connection closes), connection limits (proto-max-bulk-len,
// client-query-buffer-limit, maxclients, idle timeout), requirepass ordering, binary safety,
// big pipelines, big arguments and clients that vanish mid-command.
import net from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReplyParser, type RespValue } from '../../src/formats/resp/reply-parser.js';
import { same, show, startPair, type Pair } from '../helpers/differential.js';
import { encodeCommand, RespClient } from '../helpers/resp-client.js';

interface Exchange {
  replies: string[];
  closed: boolean;
}

/**
 * Opens a fresh connection, writes `chunks` (pausing `gapMs` between them), and collects the
 * replies until the server closes the link, or until `replies` replies came (then it must stay open).
 */
function exchange(port: number, chunks: Array<string | Buffer>, opts: { replies?: number; gapMs?: number; waitMs?: number; settleMs?: number } = {}): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const parser = new ReplyParser();
    const replies: string[] = [];
    let done = false;
    // Half-open allowed: a server that only half-closes (FIN, but still reading) must not pass
    // for one that closed the connection; after its FIN we keep writing until the link breaks.
    const socket = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    let poke: NodeJS.Timeout | undefined;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearInterval(poke);
      socket.destroy();
      resolve({ replies, closed });
    };
    const timer = setTimeout(() => finish(false), opts.waitMs ?? 8000);
    socket.on('data', (d) => {
      parser.push(d);
      for (let v = parser.next(); v !== undefined; v = parser.next()) replies.push(show(v));
      if (opts.replies !== undefined && replies.length >= opts.replies) {
        // Give a wrongly-closing server a moment to show it.
        setTimeout(() => finish(socket.destroyed), opts.settleMs ?? 50);
      }
    });
    socket.on('end', () => {
      poke = setInterval(() => socket.write('\r\n'), 10);
    });
    socket.on('close', () => finish(true));
    socket.on('error', () => {});
    socket.once('connect', async () => {
      try {
        for (const c of chunks) {
          if (socket.destroyed) break;
          socket.write(typeof c === 'string' ? Buffer.from(c, 'latin1') : c);
          if (opts.gapMs) await new Promise((r) => setTimeout(r, opts.gapMs));
        }
      } catch (err) {
        reject(err);
      }
    });
  });
}

/** Runs the same exchange against both servers and expects identical replies and close behaviour. */
async function sameExchange(pair: Pair, chunks: Array<string | Buffer>, opts: { replies?: number; gapMs?: number; waitMs?: number } = {}): Promise<Exchange> {
  const [a, b] = await Promise.all([exchange(pair.redis.port, chunks, opts), exchange(pair.engine.port, chunks, opts)]);
  expect(b, `input: ${JSON.stringify(chunks.map(String).join('').slice(0, 200))}`).toEqual(a);
  return a;
}

const bulkOf = (v: RespValue): string => (v.t === 'bulk' || v.t === 'simple' ? v.v : show(v));

describe('framing', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await startPair();
  });
  afterAll(async () => {
    await pair?.stop();
  });

  it('ignores empty lines, *0 and *-10, and keeps serving', async () => {
    for (const input of ['\r\n', '\n', '*0\r\n', '*-10\r\n', '   \r\n', '*-1\r\n*0\r\n\r\n']) {
      const r = await sameExchange(pair, [input + 'PING\r\n'], { replies: 1 });
      expect(r).toEqual({ replies: ['{"t":"simple","v":"PONG"}'], closed: false });
    }
  });

  it('answers inline commands like Redis (sdssplitargs quoting)', async () => {
    const lines = [
      'PING',
      'ping hello',
      'ECHO "a b"',
      "ECHO 'a b'",
      'ECHO "\\x41\\x4a" ',
      'ECHO "\\n\\r\\t\\b\\a\\"\\\\\\q"',
      "ECHO 'it\\'s'",
      'ECHO ab"cd ef"',
      'ECHO a\x0bb',
      'ECHO ""',
      'NOSUCH a "b c" \'d\' e\\x41',
      '  PING  ',
      'ECHO\tx',
    ];
    await sameExchange(pair, [lines.map((l) => l + '\r\n').join('') + 'PING\n'], { replies: lines.length + 1 });
  });

  it('splits random inline lines exactly as Redis does', async () => {
    // NOSUCH echoes up to 10 arguments in its error; ECHO returns its only argument byte for byte.
    const alphabet = fc.constantFrom('a', 'b', 'x', '4', 'F', ' ', ' ', '\t', '"', "'", '\\', '\x0b', '\x0c', 'n', '\r', '\x01', '\xff');
    const lines = fc.sample(fc.array(alphabet, { maxLength: 14 }).map((cs) => cs.join('')), { seed: 3, numRuns: 300 });
    const problems: string[] = [];
    const quick = { replies: 2, waitMs: 3000, settleMs: 0 };
    for (const body of lines) {
      for (const prefix of ['NOSUCH ', 'ECHO ']) {
        const line = prefix + body.replace(/\r/g, '') + '\r\n';
        const [a, b] = await Promise.all([exchange(pair.redis.port, [line + 'PING\r\n'], quick), exchange(pair.engine.port, [line + 'PING\r\n'], quick)]);
        if (JSON.stringify(a) !== JSON.stringify(b)) problems.push(`${JSON.stringify(line)}\n  redis:  ${JSON.stringify(a)}\n  engine: ${JSON.stringify(b)}`);
      }
    }
    expect(problems).toEqual([]);
  }, 60_000);

  it('gives the same replies when a pipeline arrives split at every byte boundary', async () => {
    const stream = encodeCommand(['ECHO', 'x\r\ny']).toString('latin1') + 'PING\r\n\r\n*0\r\n' + encodeCommand(['PING', 'p']).toString('latin1');
    const expected = await exchange(pair.redis.port, [stream], { replies: 3 });
    for (let i = 1; i < stream.length; i++) {
      const got = await exchange(pair.engine.port, [stream.slice(0, i), stream.slice(i)], { replies: 3, gapMs: 2 });
      expect(got, `split at ${i}`).toEqual(expected);
    }
  });

  it('stops at QUIT: earlier replies arrive, later commands do not run', async () => {
    const r = await sameExchange(pair, ['PING\r\nQUIT\r\nPING\r\n']);
    expect(r.closed).toBe(true);
    expect(r.replies.length).toBe(2);
  });
});

describe('protocol errors close the connection after the same error line', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await startPair();
  });
  afterAll(async () => {
    await pair?.stop();
  });

  const cases: Array<[string, string | Buffer]> = [
    ['invalid multibulk length (> INT_MAX)', '*3000000000\r\n'],
    ['invalid multibulk length (not a number)', '*x\r\n'],
    ['invalid multibulk length (leading zero)', '*01\r\n$4\r\nPING\r\n'],
    ["expected '$', got 'f'", '*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n'],
    ["expected '$' right after the count", '*1\r\nfoo\r\n'],
    ['invalid bulk length (negative)', '*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$-10\r\n'],
    ['invalid bulk length (> proto-max-bulk-len)', '*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$2000000000\r\n'],
    ['invalid bulk length (not a number)', '*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$blabla\r\n'],
    ['unbalanced quotes', 'set """test-key""" test-value\r\nping\r\n'],
    ['unbalanced quotes (unterminated)', 'ECHO "abc\r\nPING\r\n'],
    ['too big inline request', 'PING' + 'x'.repeat(70_000)],
    ['too big mbulk count string', '*' + '1'.repeat(70_000)],
    ['too big bulk count string', '*1\r\n$' + '1'.repeat(70_000)],
  ];
  for (const [name, input] of cases) {
    it(name, async () => {
      const r = await sameExchange(pair, ['PING\r\n' + input]);
      expect(r.closed).toBe(true);
      expect(r.replies.length).toBe(2);
      expect(r.replies[1]).toContain('Protocol error');
    });
  }

  for (const seq of ['\x00', '*\x00', '$\x00']) {
    it(`protocol desync ${JSON.stringify(seq)} + endless payload closes with a protocol error`, async () => {
      // protocol.tcl: a NUL hides every line end, so the 64 KiB "too big" limit must trip. The
      // last chunk is the one that crosses 64 KiB: writing on after the server closed would make
      // the kernel reset the connection and drop the error reply before the test reads it.
      const payload = 'payload'.repeat(150);
      const chunks = Math.floor(65536 / payload.length) + 1;
      const r = await sameExchange(pair, [seq, ...Array.from({ length: chunks }, () => payload)], { gapMs: 1 });
      expect(r.closed).toBe(true);
      expect(r.replies.length).toBe(1);
      expect(r.replies[0]).toContain('Protocol error');
    });
  }

  it('counts protocol errors in the error stats', async () => {
    const before = pair.engine.engine!.stats.totalErrorReplies;
    await exchange(pair.engine.port, ['*x\r\n']);
    expect(pair.engine.engine!.stats.totalErrorReplies).toBe(before + 1);
  });
});

describe('limits', () => {
  it('proto-max-bulk-len: a bulk one byte over is refused, one at the limit is served', async () => {
    const pair = await startPair({ 'proto-max-bulk-len': '1mb' });
    try {
      const r = await sameExchange(pair, ['*2\r\n$4\r\nECHO\r\n$1048577\r\n']);
      expect(r.closed).toBe(true);
      const big = 'z'.repeat(1024 * 1024);
      const [a, b] = await Promise.all([pair.r.call('ECHO', big), pair.e.call('ECHO', big)]);
      expect(bulkOf(b)).toBe(big);
      expect(bulkOf(a)).toBe(big);
    } finally {
      await pair.stop();
    }
  });

  it('client-query-buffer-limit: the client is closed without any reply', async () => {
    const pair = await startPair({ 'client-query-buffer-limit': '1mb' });
    try {
      const chunk = 'x'.repeat(256 * 1024);
      const r = await sameExchange(pair, ['*2\r\n$4\r\nECHO\r\n$4000000\r\n', ...Array.from({ length: 8 }, () => chunk)], { gapMs: 5 });
      expect(r).toEqual({ replies: [], closed: true });
      expect(pair.engine.engine!.stats.queryBufferLimitDisconnections).toBe(1);
      // Other clients are unaffected.
      await same(pair, [['PING']]);
    } finally {
      await pair.stop();
    }
  });

  it('maxclients: the extra client gets "max number of clients reached" and is closed', async () => {
    const pair = await startPair({ maxclients: '3' });
    try {
      const extra = await Promise.all([RespClient.connect(pair.redis.port), RespClient.connect(pair.engine.port), RespClient.connect(pair.redis.port), RespClient.connect(pair.engine.port)]);
      await Promise.all(extra.map((c) => c.call('PING'))); // 3 clients on each now (pair + 2)
      const r = await sameExchange(pair, ['PING\r\n']);
      expect(r).toEqual({ replies: ['{"t":"error","v":"ERR max number of clients reached"}'], closed: true });
      expect(pair.engine.engine!.stats.rejectedConnections).toBe(1);
      for (const c of extra) c.close();
    } finally {
      await pair.stop();
    }
  });

  it('timeout: idle clients are closed, busy ones are kept', async () => {
    const pair = await startPair({ timeout: '1' });
    try {
      const idle = await Promise.all([RespClient.connect(pair.redis.port), RespClient.connect(pair.engine.port)]);
      const busy = await Promise.all([RespClient.connect(pair.redis.port), RespClient.connect(pair.engine.port)]);
      const ping = setInterval(() => busy.forEach((c) => void c.call('PING').catch(() => {})), 300);
      const closed = await Promise.all(idle.map((c) => c.waitClose(5000)));
      clearInterval(ping);
      expect(closed).toEqual([true, true]);
      expect(busy.map((c) => c.closed)).toEqual([false, false]);
      busy.forEach((c) => c.close());
    } finally {
      await pair.stop();
    }
  }, 15_000);
});

describe('data path', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await startPair();
  });
  afterAll(async () => {
    await pair?.stop();
  });

  it('round-trips keys and values holding every byte 0..255', async () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const reversed = Buffer.from(all).reverse();
    await same(pair, [
      ['SET', all, reversed],
      ['GET', all],
      ['SET', reversed, all],
      ['GET', reversed],
      ['ECHO', all],
      ['STRLEN', all],
    ]);
    for (let b = 0; b < 256; b++) {
      const one = Buffer.from([b]);
      const [r, e] = await Promise.all([pair.r.call('SET', one, one), pair.e.call('SET', one, one)]);
      expect(show(e)).toBe(show(r));
    }
    const keys = Array.from({ length: 256 }, (_, b) => ['GET', Buffer.from([b])]);
    const [a, b] = await Promise.all([pair.r.pipeline(keys), pair.e.pipeline(keys)]);
    expect(b.map(show)).toEqual(a.map(show));
    expect(b.map((v) => (v.t === 'bulk' ? v.v.charCodeAt(0) : -1))).toEqual(Array.from({ length: 256 }, (_, i) => i));
  });

  it('dates each pipelined command by its own start: a TTL ends in the middle of one write', async () => {
    // The engine dates the commands after the first of a read from the monotonic clock: a slow
    // command in the middle must move the later ones' clock on, as Redis's live clock does.
    const slow = await startPair({ 'enable-debug-command': 'yes' });
    try {
      const cmds = [['SET', 'ttl', 'v', 'PX', '100'], ['EXISTS', 'ttl'], ['DEBUG', 'SLEEP', '0.25'], ['EXISTS', 'ttl'], ['PTTL', 'ttl']];
      const [a, b] = await Promise.all([slow.r.pipeline(cmds), slow.e.pipeline(cmds)]);
      expect(b.map(show)).toEqual(a.map(show));
      expect(b.slice(3).map((v) => (v.t === 'int' ? String(v.v) : show(v)))).toEqual(['0', '-2']);
    } finally {
      await slow.stop();
    }
  });

  it('answers 10,000 pipelined commands sent in one write, in order', async () => {
    const cmds: string[][] = [];
    for (let i = 0; i < 10_000; i++) cmds.push(i % 3 === 0 ? ['SET', `p:${i}`, String(i)] : i % 3 === 1 ? ['GET', `p:${i - 1}`] : ['ECHO', String(i)]);
    const [a, b] = await Promise.all([pair.r.pipeline(cmds), pair.e.pipeline(cmds)]);
    expect(b.length).toBe(10_000);
    expect(b.map(show)).toEqual(a.map(show));
    expect(bulkOf(b[9_998]!)).toBe('9998');
  });

  it('many clients pipelining at once each get their own replies, in order (replies written at the end of the turn)', async () => {
    const clients = await Promise.all(Array.from({ length: 30 }, () => RespClient.connect(pair.engine.port)));
    const sub = await RespClient.connect(pair.engine.port);
    await sub.call('SUBSCRIBE', 'turn');
    const runs = await Promise.all(
      clients.map((c, n) => {
        const cmds: string[][] = [];
        for (let i = 0; i < 300; i++) cmds.push(i % 50 === 0 ? ['PUBLISH', 'turn', `${n}:${i}`] : i % 2 ? ['INCR', `ctr:${n}`] : ['ECHO', `${n}:${i}`]);
        return c.pipeline(cmds).then((replies) => ({ n, replies }));
      }),
    );
    for (const { n, replies } of runs) {
      expect(replies).toHaveLength(300);
      replies.forEach((r, i) => {
        if (i % 50 === 0) expect(r.t).toBe('int');
        else if (i % 2) expect(r).toEqual({ t: 'int', v: BigInt((i + 1) / 2) });
        else expect(r).toEqual({ t: 'bulk', v: `${n}:${i}` });
      });
    }
    const received: string[] = [];
    for (let i = 0; i < clients.length * 6; i++) {
      const m = await sub.read();
      if (m.t === 'array' && m.v[2]?.t === 'bulk') received.push(m.v[2].v);
    }
    expect(received.sort()).toEqual(runs.flatMap(({ n }) => [0, 50, 100, 150, 200, 250].map((i) => `${n}:${i}`)).sort());
    for (const c of [...clients, sub]) c.close();
  });

  it('answers 100,000 pipelined inline commands (the PIPELINING stresser shape)', async () => {
    const n = 100_000;
    let text = '';
    for (let i = 0; i < n; i++) text += `ECHO ${i}\r\n`;
    const c = await RespClient.connect(pair.engine.port);
    c.writeRaw(text);
    for (let i = 0; i < n; i++) {
      const v = await c.read();
      if (bulkOf(v) !== String(i)) throw new Error(`reply ${i}: ${show(v)}`);
    }
    c.close();
  });

  it('assembles arguments of 32 KiB and more sent in pieces', async () => {
    for (const size of [32 * 1024, 100_000, 3 * 1024 * 1024]) {
      const value = Buffer.alloc(size);
      for (let i = 0; i < size; i++) value[i] = (i * 131) & 0xff;
      const frame = encodeCommand(['ECHO', value]);
      const pieces: Buffer[] = [];
      for (let pos = 0; pos < frame.length; pos += 50_000) pieces.push(frame.subarray(pos, pos + 50_000));
      const r = await exchange(pair.engine.port, pieces, { replies: 1, gapMs: 1 });
      expect(r.closed).toBe(false);
      const v = JSON.parse(r.replies[0]!) as { t: string; v: string };
      expect(v.t).toBe('bulk');
      expect(Buffer.from(v.v, 'latin1').equals(value)).toBe(true);
    }
  });

  it('runs a command with 20,002 arguments (MSET)', async () => {
    const args: string[] = ['MSET'];
    for (let i = 0; i < 10_000; i++) args.push('k', 'v');
    args.push('{k}2', 'v2');
    await same(pair, [args, ['GET', '{k}2'], ['GET', 'k'], ['ECHO', ...args.slice(1)]]);
  });

  it('a client that disconnects in the middle of a bulk does not disturb the others', async () => {
    const engine = pair.engine.engine!;
    const before = engine.clients.size;
    for (const port of [pair.redis.port, pair.engine.port]) {
      const s = net.connect({ port, host: '127.0.0.1' });
      await new Promise((r) => s.once('connect', r));
      s.write('*3\r\n$3\r\nSET\r\n$4\r\nhalf\r\n$100\r\n' + 'x'.repeat(50));
      await new Promise((r) => setTimeout(r, 50));
      s.destroy();
    }
    await new Promise((r) => setTimeout(r, 100));
    await same(pair, [['GET', 'half'], ['PING'], ['ECHO', 'still here']]);
    expect(engine.clients.size).toBe(before);
  });
});

describe('requirepass', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await startPair({ requirepass: 's3cret' });
  });
  afterAll(async () => {
    await pair?.stop();
  });

  it('checks unknown command and arity before NOAUTH, then AUTH/WRONGPASS/HELLO', async () => {
    const r = await RespClient.connect(pair.redis.port);
    const e = await RespClient.connect(pair.engine.port);
    const p2 = { ...pair, r, e };
    await same(p2, [
      ['NOSUCHCOMMAND', 'a'],
      ['GET'],
      ['PING'],
      ['GET', 'k'],
      ['ECHO', 'x'],
      ['HELLO', '3'],
      ['AUTH', 'wrong'],
      ['AUTH', 'default', 'wrong'],
      ['AUTH', 'nouser', 's3cret'],
      ['AUTH', 'a', 'b', 'c'],
      ['PING'],
      ['AUTH', 's3cret'],
      ['PING'],
      ['AUTH', 'wrong'],
      ['PING'], // a failed AUTH does not log an authenticated client out
      ['AUTH', 'default', 's3cret'],
      ['SET', 'k', 'v'],
      ['GET', 'k'],
    ]);
    r.close();
    e.close();
  });

  it('HELLO with AUTH authenticates and switches protocol in one step', async () => {
    const r = await RespClient.connect(pair.redis.port);
    const e = await RespClient.connect(pair.engine.port);
    const [a, b] = await Promise.all([r.call('HELLO', '2', 'AUTH', 'default', 'bad'), e.call('HELLO', '2', 'AUTH', 'default', 'bad')]);
    expect(show(b)).toBe(show(a));
    const [c, d] = await Promise.all([r.call('HELLO', '2', 'AUTH', 'default', 's3cret'), e.call('HELLO', '2', 'AUTH', 'default', 's3cret')]);
    expect(c.t).toBe('array');
    expect(d.t).toBe('array');
    await same({ ...pair, r, e }, [['PING']]);
    r.close();
    e.close();
  });

  it('unauthenticated clients may not send more than 10 arguments or bulks over 16 KiB', async () => {
    const many = encodeCommand(['NOSUCH', ...Array.from({ length: 10 }, (_, i) => String(i))]);
    const r1 = await sameExchange(pair, [many]);
    expect(r1.closed).toBe(true);
    expect(r1.replies[0]).toContain('Protocol error: unauthenticated multibulk length');
    const r2 = await sameExchange(pair, ['*2\r\n$4\r\nAUTH\r\n$16385\r\n']);
    expect(r2.closed).toBe(true);
    expect(r2.replies[0]).toContain('Protocol error: unauthenticated bulk length');
    // At the limits, the commands run (and fail with NOAUTH / WRONGPASS).
    const r3 = await sameExchange(pair, [encodeCommand(['GET', ...Array.from({ length: 9 }, () => 'k')]), encodeCommand(['AUTH', 'x'.repeat(16384)])], { replies: 2 });
    expect(r3.closed).toBe(false);
    // After AUTH the limits are gone.
    const r4 = await sameExchange(pair, [encodeCommand(['AUTH', 's3cret']), encodeCommand(['ECHO', 'y'.repeat(20000)]), many], { replies: 3 });
    expect(r4.closed).toBe(false);
  });
});

describe('CLIENT PAUSE holds commands back at the connection', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await startPair();
  });
  afterAll(async () => {
    await pair?.stop();
  });

  /** Sends `cmd` on a fresh connection; returns its reply and whether it came back within `fastMs`. */
  async function timed(port: number, cmd: string[], fastMs: number): Promise<{ reply: string; fast: boolean }> {
    const c = await RespClient.connect(port);
    const t0 = Date.now();
    const reply = show(await c.call(...cmd));
    c.close();
    return { reply, fast: Date.now() - t0 < fastMs };
  }

  it('WRITE: reads and rejected commands answer at once, writes wait for the end of the pause', async () => {
    for (const [port, ctl] of [
      [pair.redis.port, pair.r],
      [pair.engine.port, pair.e],
    ] as const) {
      await ctl.call('SET', 'pk', 'v');
      expect(show(await ctl.call('CLIENT', 'PAUSE', '400', 'WRITE'))).toBe('{"t":"simple","v":"OK"}');
      const [read, arity, unknown, write] = await Promise.all([
        timed(port, ['GET', 'pk'], 200),
        timed(port, ['SET', 'pk'], 200),
        timed(port, ['NOSUCH'], 200),
        timed(port, ['SET', 'pk', 'w'], 300),
      ]);
      expect(read).toEqual({ reply: '{"t":"bulk","v":"v"}', fast: true });
      expect(arity.fast).toBe(true);
      expect(unknown.fast).toBe(true);
      expect(write).toEqual({ reply: '{"t":"simple","v":"OK"}', fast: false });
    }
  });

  it('ALL: every known command waits until the pause ends, then the pipeline runs in order', async () => {
    for (const [port, ctl] of [
      [pair.redis.port, pair.r],
      [pair.engine.port, pair.e],
    ] as const) {
      await ctl.call('CLIENT', 'PAUSE', '300', 'ALL');
      const c = await RespClient.connect(port);
      const t0 = Date.now();
      const replies = await c.pipeline([['PING'], ['SET', 'pa', '1'], ['INCR', 'pa'], ['GET', 'pa']]);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(200);
      expect(replies.map(show)).toEqual(['{"t":"simple","v":"PONG"}', '{"t":"simple","v":"OK"}', '{"t":"int","v":"2"}', '{"t":"bulk","v":"2"}']);
      c.close();
    }
  });
});
