// Introspection beyond INFO, compared with a real redis-server 7.0: MONITOR's stream (line
// format, escaping, what is hidden, transactions, redaction of credentials, the O flag in
// CLIENT LIST), and the CONFIG behaviour Redis's introspection unit checks: CONFIG SET of a port
// that cannot be bound fails and rolls the other parameters back, CONFIG GET port is the port
// the server really listens on.
import net from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RespValue } from '../../src/formats/resp/reply-parser.js';
import { show, startPair, type Cmd, type Pair } from '../helpers/differential.js';
import { freePort } from '../helpers/servers.js';
import { RespClient } from '../helpers/resp-client.js';

let pair: Pair;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const text = (v: RespValue): string => (v.t === 'bulk' || v.t === 'verbatim' || v.t === 'simple' || v.t === 'error' ? v.v : `<${show(v)}>`);

beforeAll(async () => {
  pair = await startPair();
});
afterAll(async () => {
  await pair?.stop();
});
beforeEach(async () => {
  await Promise.all([pair.r.call('RESET'), pair.e.call('RESET')]);
  await Promise.all([pair.r.call('FLUSHALL'), pair.e.call('FLUSHALL')]);
});

/** A MONITOR connection on each server. */
async function monitors(): Promise<[RespClient, RespClient]> {
  const m = await Promise.all([RespClient.connect(pair.redis.port), RespClient.connect(pair.engine.port)]);
  const ok = await Promise.all(m.map((c) => c.call('MONITOR')));
  expect(ok.map(show)).toEqual(['{"t":"simple","v":"OK"}', '{"t":"simple","v":"OK"}']);
  return m;
}

/** Runs commands on both main connections; replies must match. */
async function run(cmds: Cmd[]): Promise<void> {
  for (const c of cmds) {
    const [a, b] = await Promise.all([pair.r.call(...c), pair.e.call(...c)]);
    expect(show(b), c.map(String).join(' ')).toBe(show(a));
  }
}

/** A monitor line without its time stamp and client port. */
function normalize(line: string): string {
  return line.replace(/^\d+\.\d{6} \[(\d+) [^\]]*\]/, '<time> [$1 <client>]');
}

/** Reads `n` monitor lines from each server and expects the same lines. */
async function expectLines(m: [RespClient, RespClient], n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const [a, b] = await Promise.all(m.map((c) => c.read(3000)));
    expect(a!.t).toBe('simple');
    expect(text(a!)).toMatch(/^\d+\.\d{6} \[\d+ 127\.0\.0\.1:\d+\] /);
    expect(normalize(text(b!))).toBe(normalize(text(a!)));
    out.push(normalize(text(a!)));
  }
  return out;
}

/** Nothing more is waiting on either monitor. */
async function expectQuiet(m: [RespClient, RespClient]): Promise<void> {
  const probe = await Promise.all(m.map((c) => c.read(150).then(show, () => 'quiet')));
  expect(probe).toEqual(['quiet', 'quiet']);
}

describe('MONITOR', () => {
  it('streams executed commands with Redis’s line format and argument escaping', async () => {
    const m = await monitors();
    await run([
      ['SET', 'foo', 'bar'],
      ['GET', 'foo'],
      ['SET', 'we"ird\\', 'a\nb\r\t\x07\x08 \x01\xff'],
      ['SELECT', '2'],
      ['INCRBY', 'n', '-5'],
      ['SET', 'n', '1234567890123'],
    ]);
    const lines = await expectLines(m, 6);
    expect(lines[0]).toBe('<time> [0 <client>] "SET" "foo" "bar"');
    expect(lines[4]).toContain('[2 <client>]');
    await expectQuiet(m);
    for (const c of m) c.close();
  });

  it('hides admin commands and commands refused before running; shows failed ones', async () => {
    const m = await monitors();
    await run([
      ['CONFIG', 'GET', 'maxmemory'],
      ['CLIENT', 'LIST', 'TYPE', 'pubsub'],
      ['NOSUCHCOMMAND', 'x'],
      ['GET'],
      ['INCR', 'x', 'y'],
      ['LPUSH', 'l', 'a'],
      ['INCR', 'l'],
      ['CLIENT', 'GETNAME'],
      ['PING'],
    ]);
    const lines = await expectLines(m, 4);
    expect(lines.map((l) => l.split(' ')[3])).toEqual(['"LPUSH"', '"INCR"', '"CLIENT"', '"PING"']);
    await expectQuiet(m);
    for (const c of m) c.close();
  });

  it('transactions appear as MULTI, the queued commands, EXEC; an aborted one as MULTI, EXEC', async () => {
    const m = await monitors();
    await run([['MULTI'], ['SET', 'foo', 'bar'], ['INCR', 'c'], ['EXEC']]);
    expect((await expectLines(m, 4)).map((l) => l.split(' ')[3])).toEqual(['"MULTI"', '"SET"', '"INCR"', '"EXEC"']);
    await run([['MULTI'], ['SYNTAX', 'error'], ['EXEC']]);
    expect((await expectLines(m, 2)).map((l) => l.split(' ')[3])).toEqual(['"MULTI"', '"EXEC"']);
    await expectQuiet(m);
    for (const c of m) c.close();
  });

  it('redacts credentials of AUTH and HELLO ... AUTH', async () => {
    const m = await monitors();
    await run([
      ['AUTH', 'not-real'],
      ['AUTH', 'user', 'not-a-password'],
      ['HELLO', '2', 'AUTH', 'not-real', 'not-a-password'],
    ]);
    const lines = await expectLines(m, 3);
    expect(lines[0]).toMatch(/"AUTH" "\(redacted\)"$/);
    expect(lines[1]).toMatch(/"AUTH" "\(redacted\)" "\(redacted\)"$/);
    expect(lines[2]).toMatch(/"HELLO" "2" "AUTH" "\(redacted\)" "\(redacted\)"$/);
    for (const c of m) c.close();
  });

  it('is refused inside a transaction, and shows as flag O in CLIENT LIST', async () => {
    await run([['MULTI'], ['MONITOR'], ['EXEC']]);
    const m = await monitors();
    const [a, b] = await Promise.all([pair.r.call('CLIENT', 'LIST'), pair.e.call('CLIENT', 'LIST')]);
    const flagsOf = (v: RespValue) => text(v).split('\n').filter(Boolean).map((l) => /flags=(\S+)/.exec(l)![1]).sort();
    expect(flagsOf(b)).toEqual(flagsOf(a));
    expect(flagsOf(b)).toContain('O');
    for (const c of m) c.close();
    await sleep(50);
    // Closed monitors are forgotten: commands keep working and nobody is fed.
    await run([['SET', 'after', 'close']]);
  });

  it('RESET ends monitoring: no echo of the RESET itself, nothing after, no flag O', async () => {
    const m = await monitors();
    const replies = await Promise.all(m.map((c) => c.call('RESET')));
    expect(show(replies[1]!)).toBe(show(replies[0]!));
    await run([['SET', 'after', 'reset']]);
    await expectQuiet(m);
    const [a, b] = await Promise.all([pair.r.call('CLIENT', 'LIST'), pair.e.call('CLIENT', 'LIST')]);
    expect(text(b)).not.toContain('flags=O');
    expect(text(a)).not.toContain('flags=O');
    for (const c of m) c.close();
  });
});

describe('CONFIG and the listening port', () => {
  it('CONFIG SET of a port in use fails like Redis and rolls every parameter back', async () => {
    const port = await freePort();
    const squatter = net.createServer();
    await new Promise<void>((r) => squatter.listen(port, '127.0.0.1', () => r()));
    try {
      await run([
        ['CONFIG', 'SET', 'maxmemory', '10000001', 'port', String(port), 'client-query-buffer-limit', '10m'],
        ['CONFIG', 'GET', 'maxmemory'],
        ['CONFIG', 'GET', 'client-query-buffer-limit'],
      ]);
    } finally {
      await new Promise((r) => squatter.close(r));
    }
    // Still served on the original port.
    const again = await RespClient.connect(pair.engine.port);
    expect(show(await again.call('PING'))).toBe('{"t":"simple","v":"PONG"}');
    again.close();
  });

  it('CONFIG GET port and INFO tcp_port name the port the server listens on', async () => {
    const [a, b] = await Promise.all([pair.r.call('CONFIG', 'GET', 'port'), pair.e.call('CONFIG', 'GET', 'port')]);
    expect(show(a)).toContain(`"${pair.redis.port}"`);
    expect(show(b)).toContain(`"${pair.engine.port}"`);
    const info = text(await pair.e.call('INFO', 'server'));
    expect(info).toContain(`tcp_port:${pair.engine.port}\r\n`);
  });
});
