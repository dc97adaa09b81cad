// RequestParser against the framing rules of Redis 7.0's processInputBuffer: every chunking of
// the input gives the same commands, inline lines split like sdssplitargs, big arguments are
// assembled across chunks, and each malformed input raises the protocol error Redis replies.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError, RequestParser, splitArgs } from '../../../src/formats/resp/request-parser.js';
import { encodeCommand } from '../../helpers/resp-client.js';

function parser(opts: { maxBulk?: number; authed?: boolean } = {}): RequestParser {
  return new RequestParser({ maxBulkLen: () => opts.maxBulk ?? 512 * 1024 * 1024, authenticated: () => opts.authed ?? true });
}

/** Feeds `chunks` one by one, pulling every complete command after each. */
function parseChunks(chunks: Buffer[], p = parser()): string[][] {
  const out: string[][] = [];
  for (const c of chunks) {
    p.push(c);
    for (let cmd = p.next(); cmd !== null; cmd = p.next()) out.push(cmd);
  }
  return out;
}

function bytes(s: string): Buffer {
  return Buffer.from(s, 'latin1');
}

/** The protocol error message `input` raises (or null when it parses, waiting for more). */
function protocolError(input: string | Buffer, opts: { maxBulk?: number; authed?: boolean } = {}): string | null {
  const p = parser(opts);
  p.push(typeof input === 'string' ? bytes(input) : input);
  try {
    while (p.next() !== null);
    return null;
  } catch (err) {
    if (err instanceof ProtocolError) return err.message;
    throw err;
  }
}

const ALL_BYTES = String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i));

/** A stream mixing every framing case: multibulk, inline, empty lines, *0, *-10, binary and empty bulks. */
const STREAM =
  encodeCommand(['SET', 'key', 'value']).toString('latin1') +
  'PING\r\n' +
  '\r\n' +
  '*0\r\n' +
  '*-10\r\n' +
  'ECHO "a b"\n' +
  encodeCommand(['ECHO', ALL_BYTES]).toString('latin1') +
  encodeCommand(['ECHO', '']).toString('latin1') +
  '\n' +
  "set 'x y' \"\\x41\\n\"\r\n" +
  encodeCommand(['MSET', 'a', '1', 'b', '2']).toString('latin1');

const EXPECTED = [
  ['SET', 'key', 'value'],
  ['PING'],
  ['ECHO', 'a b'],
  ['ECHO', ALL_BYTES],
  ['ECHO', ''],
  ['set', 'x y', 'A\n'],
  ['MSET', 'a', '1', 'b', '2'],
];

describe('RequestParser framing', () => {
  it('parses a mixed stream in one chunk', () => {
    expect(parseChunks([bytes(STREAM)])).toEqual(EXPECTED);
  });

  it('gives the same commands when the stream is split at every byte boundary', () => {
    const all = bytes(STREAM);
    for (let i = 0; i <= all.length; i++) {
      expect(parseChunks([all.subarray(0, i), all.subarray(i)]), `split at ${i}`).toEqual(EXPECTED);
    }
  });

  it('gives the same commands when fed one byte at a time', () => {
    const all = bytes(STREAM);
    const chunks = Array.from({ length: all.length }, (_, i) => all.subarray(i, i + 1));
    expect(parseChunks(chunks)).toEqual(EXPECTED);
  });

  it('gives the same commands for random commands under random chunking', () => {
    const arg = fc.oneof(fc.string({ maxLength: 20 }), fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a).toString('latin1')));
    fc.assert(
      fc.property(fc.array(fc.array(arg, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 10 }), (cmds, cuts) => {
        const latin = cmds.map((c) => c.map((a) => Buffer.from(a, 'latin1').toString('latin1')));
        const all = Buffer.concat(latin.map((c) => encodeCommand(c.map((a) => Buffer.from(a, 'latin1')))));
        const points = [...new Set(cuts.map((c) => c % (all.length + 1)))].sort((a, b) => a - b);
        const chunks: Buffer[] = [];
        let prev = 0;
        for (const p of points) {
          chunks.push(all.subarray(prev, p));
          prev = p;
        }
        chunks.push(all.subarray(prev));
        expect(parseChunks(chunks)).toEqual(latin);
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('ignores *0, *-10 and empty lines between commands', () => {
    expect(parseChunks([bytes('*0\r\n*-10\r\n\r\n\n   \r\nPING\r\n')])).toEqual([['PING']]);
  });

  it('reports buffered bytes and a command in progress', () => {
    const p = parser();
    p.push(bytes('*2\r\n$4\r\nECHO\r\n$5\r\nhel'));
    expect(p.next()).toBeNull();
    expect(p.midCommand()).toBe(true);
    expect(p.buffered()).toBe(3); // headers already read are consumed, as Redis trims its query buffer
    p.push(bytes('lo\r\n'));
    expect(p.next()).toEqual(['ECHO', 'hello']);
    expect(p.midCommand()).toBe(false);
    expect(p.buffered()).toBe(0);
  });

  it('hands out a command at a time, leaving the rest buffered (blocked clients, QUIT)', () => {
    const p = parser();
    p.push(bytes('PING\r\nPING\r\n*1\r\n$4\r\nPING\r\n'));
    expect(p.next()).toEqual(['PING']);
    expect(p.buffered()).toBe(bytes('PING\r\n*1\r\n$4\r\nPING\r\n').length);
    expect(p.next()).toEqual(['PING']);
    expect(p.next()).toEqual(['PING']);
    expect(p.next()).toBeNull();
  });

  it('own() keeps unparsed bytes when the caller reuses one read buffer for every chunk', () => {
    const all = bytes(STREAM);
    const shared = Buffer.alloc(64);
    const p = parser();
    const out: string[][] = [];
    for (let pos = 0; pos < all.length; pos += 37) {
      const n = all.copy(shared, 0, pos, pos + 37);
      p.push(shared.subarray(0, n));
      for (let cmd = p.next(); cmd !== null; cmd = p.next()) out.push(cmd);
      p.own();
      shared.fill(0x58); // the next read overwrites the memory
    }
    expect(out).toEqual(EXPECTED);
  });

  it('does not check the two bytes after a bulk (Redis skips them)', () => {
    expect(parseChunks([bytes('*2\r\n$4\r\nECHO\r\n$1\r\nxAB*1\r\n$4\r\nPING\r\n')])).toEqual([['ECHO', 'x'], ['PING']]);
  });
});

describe('RequestParser big arguments', () => {
  const sizes = [32 * 1024 - 3, 32 * 1024, 100_000, 1024 * 1024 + 7];
  for (const size of sizes) {
    it(`assembles a ${size}-byte bulk sent in uneven chunks`, () => {
      const value = Buffer.alloc(size);
      for (let i = 0; i < size; i++) value[i] = (i * 7919) & 0xff;
      const all = Buffer.concat([encodeCommand(['SET', 'k', value]), encodeCommand(['GET', 'k'])]);
      const chunks: Buffer[] = [];
      let pos = 0;
      let step = 1;
      while (pos < all.length) {
        chunks.push(all.subarray(pos, pos + step));
        pos += step;
        step = step * 3 + 11; // 1, 14, 53, ... so the header, the body and the tail are all split
      }
      const out = parseChunks(chunks);
      expect(out.length).toBe(2);
      expect(out[0]!.slice(0, 2)).toEqual(['SET', 'k']);
      expect(Buffer.from(out[0]![2]!, 'latin1').equals(value)).toBe(true);
      expect(out[1]).toEqual(['GET', 'k']);
    });
  }

  it('counts a big bulk being assembled as buffered', () => {
    const p = parser();
    p.push(bytes('*2\r\n$3\r\nSET\r\n$40000\r\n' + 'x'.repeat(1000)));
    expect(p.next()).toBeNull();
    expect(p.buffered()).toBe(1000);
    p.push(Buffer.alloc(20000, 120));
    expect(p.buffered()).toBe(21000);
    p.push(Buffer.concat([Buffer.alloc(19000, 120), bytes('\r\nPING\r\n')]));
    expect(p.next()).toEqual(['SET', 'x'.repeat(40000)]);
    expect(p.next()).toEqual(['PING']);
  });

  it('reads a command with 20,002 arguments', () => {
    const args = ['MSET'];
    for (let i = 0; i < 10_000; i++) args.push('k', 'v');
    args.push('{k}2', 'v2');
    const all = encodeCommand(args);
    expect(parseChunks([all.subarray(0, 77777), all.subarray(77777)])).toEqual([args]);
  });
});

describe('RequestParser protocol errors (Redis 7.0 texts)', () => {
  const cases: Array<[string, string | Buffer, string, { maxBulk?: number; authed?: boolean }?]> = [
    ['multibulk count above INT_MAX', '*3000000000\r\n', 'invalid multibulk length'],
    ['non-numeric multibulk count', '*abc\r\n', 'invalid multibulk length'],
    ['empty multibulk count', '*\r\n', 'invalid multibulk length'],
    ['multibulk count with a leading zero', '*01\r\n$4\r\nPING\r\n', 'invalid multibulk length'],
    ['multibulk count "-0"', '*-0\r\n', 'invalid multibulk length'],
    ['multibulk count with a plus sign', '*+1\r\n', 'invalid multibulk length'],
    ['multibulk count beyond int64', '*99999999999999999999\r\n', 'invalid multibulk length'],
    ['element not starting with $', '*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n', "expected '$', got 'f'"],
    ['bulk header missing after the count', '*1\r\nfoo\r\n', "expected '$', got 'f'"],
    ['negative bulk length', '*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$-10\r\n', 'invalid bulk length'],
    ['bulk length above proto-max-bulk-len', '*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$2000000000\r\n', 'invalid bulk length'],
    ['non-numeric bulk length', '*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$blabla\r\n', 'invalid bulk length'],
    ['bulk length with a leading zero', '*1\r\n$04\r\nPING\r\n', 'invalid bulk length'],
    ['empty bulk length', '*1\r\n$\r\n', 'invalid bulk length'],
    ['bulk length over a lowered proto-max-bulk-len', '*1\r\n$1048577\r\n', 'invalid bulk length', { maxBulk: 1024 * 1024 }],
    ['unbalanced double quotes', 'set """test-key""" test-value\r\n', 'unbalanced quotes in request'],
    ['unterminated double quote', 'ECHO "abc\r\n', 'unbalanced quotes in request'],
    ['unterminated single quote', "ECHO 'abc\r\n", 'unbalanced quotes in request'],
    ['closing quote followed by a letter', 'ECHO "a"b\r\n', 'unbalanced quotes in request'],
    ['too big inline request', 'A'.repeat(64 * 1024 + 1), 'too big inline request'],
    ['too big mbulk count string', '*' + '1'.repeat(64 * 1024 + 1), 'too big mbulk count string'],
    ['too big bulk count string', '*1\r\n$' + '1'.repeat(64 * 1024 + 1), 'too big bulk count string'],
    ['unauthenticated multibulk length', '*11\r\n', 'unauthenticated multibulk length', { authed: false }],
    ['unauthenticated bulk length', '*2\r\n$4\r\nAUTH\r\n$16385\r\n', 'unauthenticated bulk length', { authed: false }],
  ];
  for (const [name, input, message, opts] of cases) {
    it(name, () => {
      expect(protocolError(input, opts)).toBe(message);
    });
  }

  it('accepts the unauthenticated limits themselves (10 args, 16384-byte bulk)', () => {
    expect(protocolError('*10\r\n', { authed: false })).toBeNull();
    expect(protocolError('*1\r\n$16384\r\n', { authed: false })).toBeNull();
  });

  it('waits (no error) for a header cut before its \\n, even past 64 KiB', () => {
    expect(protocolError('*1\r')).toBeNull();
    expect(protocolError('*1\r\n$1\r')).toBeNull();
    expect(protocolError('ECHO ' + 'a'.repeat(70_000) + '\r\n')).toBeNull(); // complete line: parsed
  });

  it('treats a NUL before the line end like strchr does: the line never completes', () => {
    // Redis searches with strchr: "\0" hides the newline, so the client waits for the 64 KiB limit.
    const p = parser();
    p.push(Buffer.from('PI\0NG\r\n', 'latin1'));
    expect(p.next()).toBeNull();
    expect(protocolError(Buffer.from('*1\r\n\0\r\n', 'latin1'))).toBeNull();
    expect(protocolError(Buffer.concat([Buffer.from('\0'), Buffer.alloc(64 * 1024, 65), Buffer.from('\n')]))).toBe('too big inline request');
    expect(protocolError(Buffer.concat([Buffer.from('*\0'), Buffer.alloc(64 * 1024, 65), Buffer.from('\r\n')]))).toBe('too big mbulk count string');
    expect(protocolError(Buffer.concat([Buffer.from('*1\r\n$\0'), Buffer.alloc(64 * 1024, 65), Buffer.from('\r\n')]))).toBe('too big bulk count string');
  });
});

describe('splitArgs (sdssplitargs)', () => {
  const cases: Array<[string, string[] | null]> = [
    ['', []],
    ['   ', []],
    ['set a b', ['set', 'a', 'b']],
    ['  set\ta   b  ', ['set', 'a', 'b']],
    ['"a b" c', ['a b', 'c']],
    ['"\\x41\\x4a\\x7a" x', ['AJz', 'x']],
    ['"\\xZZ"', ['xZZ']],
    ['"\\x4"', ['x4']],
    ['"\\n\\r\\t\\b\\a\\"\\\\\\q"', ['\n\r\t\b\x07"\\q']],
    ["'a b' 'it\\'s' 'no\\nescape'", ['a b', "it's", 'no\\nescape']],
    ['ab"cd ef"', ['abcd ef']],
    ["x'y z'", ['xy z']],
    ['"a"b', null],
    ["'a'b", null],
    ['"abc', null],
    ["'abc", null],
    ['"abc\\"', null],
    ['""', ['']],
    ["''", ['']],
    ['"" x', ['', 'x']],
    ['a\x0bb', ['a\x0bb']], // \v does not end an unquoted word...
    ['\x0b\x0ca', ['a']], // ...but is skipped between words
    ['"a"\x0bb', ['a', 'b']], // and may follow a closing quote
    ['a\0b c', ['a']], // C string: ends at the NUL
    ['"a\0b"', null],
  ];
  for (const [line, expected] of cases) {
    it(JSON.stringify(line), () => {
      expect(splitArgs(line)).toEqual(expected);
    });
  }
});

describe('argument arrays and the command-name cache', () => {
  it('returns every command name as sent through the name cache (spellings, collisions, NULs, long names)', () => {
    const names = ['SET', 'set', 'SeT', 'GET', 'x'.repeat(24), 'y'.repeat(25), '', 'CONFIG', 'PING\0', 'P\xffNG', 'SEU', 'TET'];
    // Enough distinct names to collide in the cache's 128 slots, each sent twice, interleaved.
    const many = Array.from({ length: 300 }, (_, i) => `cmd${i}`);
    const sent = [...names, ...many, ...names, ...many.slice().reverse()].map((n, i) => [n, `k${i}`, 'v'.repeat(i % 40)]);
    const input = Buffer.concat(sent.map((c) => encodeCommand(c)));
    expect(parseChunks([input])).toEqual(sent);
    // Byte by byte too: names split across reads come out whole.
    expect(parseChunks(Array.from(input.subarray(0, 400), (b) => Buffer.from([b])))).toEqual(parseChunks([input.subarray(0, 400)]));
  });

  it('keeps arrays exact when the claimed count is large', () => {
    const argv = Array.from({ length: 2000 }, (_, i) => String(i));
    const [got] = parseChunks([encodeCommand(argv)]);
    expect(got).toEqual(argv);
    expect(got!.length).toBe(2000);
  });

  it('gives complete, packed-looking arrays: no holes once a command is returned', () => {
    const cmds = parseChunks([encodeCommand(['MSET', 'a', '1', 'b', '2'])]);
    expect(cmds[0]!.length).toBe(5);
    expect(cmds[0]!.every((a, i) => i in cmds[0]! && typeof a === 'string')).toBe(true);
  });
});
