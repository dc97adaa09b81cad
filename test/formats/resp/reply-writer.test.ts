// ReplyWriter: the exact wire bytes of every reply shape in RESP2 and RESP3 (as Redis 7.0's
// addReply* family writes them), the error prefix rule, and batching (take/count/pending).
import { describe, expect, it } from 'vitest';
import { ReplyWriter, type Proto } from '../../../src/formats/resp/reply-writer.js';
import { ReplyParser, toPlain } from '../../../src/formats/resp/reply-parser.js';

function wire(proto: Proto, write: (w: ReplyWriter) => void): string {
  const w = new ReplyWriter();
  w.proto = proto;
  write(w);
  return w.take();
}

describe('ReplyWriter shapes', () => {
  const cases: Array<[string, (w: ReplyWriter) => void, string, string]> = [
    ['ok', (w) => w.ok(), '+OK\r\n', '+OK\r\n'],
    ['simple', (w) => w.simple('PONG'), '+PONG\r\n', '+PONG\r\n'],
    ['int', (w) => w.int(-42), ':-42\r\n', ':-42\r\n'],
    ['int (bigint)', (w) => w.int(9223372036854775807n), ':9223372036854775807\r\n', ':9223372036854775807\r\n'],
    ['bulk', (w) => w.bulk('a\r\nb'), '$4\r\na\r\nb\r\n', '$4\r\na\r\nb\r\n'],
    ['empty bulk', (w) => w.bulk(''), '$0\r\n\r\n', '$0\r\n\r\n'],
    ['binary bulk keeps every byte', (w) => w.bulk('\x00\xff\x80'), '$3\r\n\x00\xff\x80\r\n', '$3\r\n\x00\xff\x80\r\n'],
    ['bulkOrNull(null)', (w) => w.bulkOrNull(null), '$-1\r\n', '_\r\n'],
    ['bulkOrNull(value)', (w) => w.bulkOrNull('x'), '$1\r\nx\r\n', '$1\r\nx\r\n'],
    ['nullBulk', (w) => w.nullBulk(), '$-1\r\n', '_\r\n'],
    ['nullArray', (w) => w.nullArray(), '*-1\r\n', '_\r\n'],
    ['arrayLen', (w) => w.arrayLen(3), '*3\r\n', '*3\r\n'],
    ['mapLen', (w) => w.mapLen(2), '*4\r\n', '%2\r\n'],
    ['setLen', (w) => w.setLen(2), '*2\r\n', '~2\r\n'],
    ['pushLen', (w) => w.pushLen(3), '*3\r\n', '>3\r\n'],
    ['double', (w) => w.double(1.5), '$3\r\n1.5\r\n', ',1.5\r\n'],
    ['double 0.1 (%.17g)', (w) => w.double(0.1), '$19\r\n0.10000000000000001\r\n', ',0.10000000000000001\r\n'],
    ['double inf', (w) => w.double(Infinity), '$3\r\ninf\r\n', ',inf\r\n'],
    ['double -inf', (w) => w.double(-Infinity), '$4\r\n-inf\r\n', ',-inf\r\n'],
    ['bool true', (w) => w.bool(true), ':1\r\n', '#t\r\n'],
    ['bool false', (w) => w.bool(false), ':0\r\n', '#f\r\n'],
    ['verbatim', (w) => w.verbatim('a\nb'), '$3\r\na\nb\r\n', '=7\r\ntxt:a\nb\r\n'],
    ['verbatim mkd', (w) => w.verbatim('# x', 'mkd'), '$3\r\n# x\r\n', '=7\r\nmkd:# x\r\n'],
    ['bigNumber', (w) => w.bigNumber('1234567999999999999999999999999999999'), '$37\r\n1234567999999999999999999999999999999\r\n', '(1234567999999999999999999999999999999\r\n'],
    ['bulks', (w) => w.bulks(['a', '', 'bc']), '*3\r\n$1\r\na\r\n$0\r\n\r\n$2\r\nbc\r\n', '*3\r\n$1\r\na\r\n$0\r\n\r\n$2\r\nbc\r\n'],
    ['bulks (empty)', (w) => w.bulks([]), '*0\r\n', '*0\r\n'],
    ['bulkSet', (w) => w.bulkSet(['a', 'b'], 2), '*2\r\n$1\r\na\r\n$1\r\nb\r\n', '~2\r\n$1\r\na\r\n$1\r\nb\r\n'],
  ];
  for (const [name, write, resp2, resp3] of cases) {
    it(name, () => {
      expect(wire(2, write)).toBe(resp2);
      expect(wire(3, write)).toBe(resp3);
    });
  }
});

describe('ReplyWriter errors', () => {
  it('prepends -ERR unless the message brings its own prefix', () => {
    expect(wire(2, (w) => w.error('syntax error'))).toBe('-ERR syntax error\r\n');
    expect(wire(2, (w) => w.error('-WRONGTYPE Operation against a key holding the wrong kind of value'))).toBe(
      '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n',
    );
    expect(wire(3, (w) => w.error('-NOPROTO unsupported protocol version'))).toBe('-NOPROTO unsupported protocol version\r\n');
  });

  it('turns CR and LF into spaces so the error stays one line', () => {
    expect(wire(2, (w) => w.error("unknown command 'a\r\nb'"))).toBe("-ERR unknown command 'a  b'\r\n");
  });
});

describe('ReplyWriter batching', () => {
  it('accumulates replies until take() and counts them', () => {
    const w = new ReplyWriter();
    w.ok();
    w.bulk('abc');
    w.arrayLen(2);
    w.int(1);
    w.int(2);
    expect(w.count).toBe(5);
    expect(w.pending).toBe('+OK\r\n$3\r\nabc\r\n*2\r\n:1\r\n:2\r\n'.length);
    expect(w.take()).toBe('+OK\r\n$3\r\nabc\r\n*2\r\n:1\r\n:2\r\n');
    expect(w.pending).toBe(0);
    expect(w.take()).toBe('');
  });

  it('raw() appends encoded text as is', () => {
    const w = new ReplyWriter();
    w.raw('+QUEUED\r\n');
    w.raw(':1\r\n');
    expect(w.take()).toBe('+QUEUED\r\n:1\r\n');
  });

  it('produces what the reply parser reads back', () => {
    const w = new ReplyWriter();
    w.proto = 3;
    w.mapLen(2);
    w.bulk('k');
    w.double(2.5);
    w.bulk('s');
    w.setLen(1);
    w.bool(true);
    const p = new ReplyParser();
    p.push(Buffer.from(w.take(), 'latin1'));
    expect(toPlain(p.next()!)).toEqual([
      ['k', '2.5'],
      ['s', [true]],
    ]);
    expect(p.next()).toBeUndefined();
  });

  it('handles a large batch of replies', () => {
    const w = new ReplyWriter();
    for (let i = 0; i < 100_000; i++) w.bulk(String(i));
    const out = w.take();
    expect(out.startsWith('$1\r\n0\r\n$1\r\n1\r\n')).toBe(true);
    expect(out.endsWith('$5\r\n99999\r\n')).toBe(true);
    expect(w.count).toBe(100_000);
  });
});
