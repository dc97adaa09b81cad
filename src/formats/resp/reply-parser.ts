// Parses server replies (RESP2 and RESP3) into typed values: the client side of the protocol,
// used by tests, the compatibility tools and anything that reads raw RESP replies.

export type RespValue =
  | { t: 'simple'; v: string }
  | { t: 'error'; v: string }
  | { t: 'int'; v: bigint }
  | { t: 'bulk'; v: string }
  | { t: 'null' }
  | { t: 'array'; v: RespValue[] }
  | { t: 'map'; v: Array<[RespValue, RespValue]> }
  | { t: 'set'; v: RespValue[] }
  | { t: 'push'; v: RespValue[] }
  | { t: 'double'; v: string }
  | { t: 'bool'; v: boolean }
  | { t: 'verbatim'; format: string; v: string }
  | { t: 'bignum'; v: string }
  | { t: 'attribute'; v: Array<[RespValue, RespValue]> };

export class ReplyFormatError extends Error {}

/** Incremental reply parser: push bytes, take complete replies. */
export class ReplyParser {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
  }

  /** The next complete reply, or undefined when more bytes are needed. */
  next(): RespValue | undefined {
    const r = parseAt(this.buf, 0);
    if (!r) return undefined;
    this.buf = this.buf.subarray(r[1]);
    return r[0];
  }
}

function line(buf: Buffer, pos: number): [string, number] | null {
  const cr = buf.indexOf('\r\n', pos, 'latin1');
  if (cr < 0) return null;
  return [buf.toString('latin1', pos, cr), cr + 2];
}

function parseAt(buf: Buffer, pos: number): [RespValue, number] | null {
  if (pos >= buf.length) return null;
  const type = String.fromCharCode(buf[pos]!);
  const l = line(buf, pos + 1);
  if (!l) return null;
  const [text, after] = l;
  const aggregate = (n: number, at: number): [RespValue[], number] | null => {
    const items: RespValue[] = [];
    for (let i = 0; i < n; i++) {
      const r = parseAt(buf, at);
      if (!r) return null;
      items.push(r[0]);
      at = r[1];
    }
    return [items, at];
  };
  const blob = (n: number): [string, number] | null => {
    if (buf.length < after + n + 2) return null;
    return [buf.toString('latin1', after, after + n), after + n + 2];
  };
  switch (type) {
    case '+':
      return [{ t: 'simple', v: text }, after];
    case '-':
      return [{ t: 'error', v: text }, after];
    case ':':
      return [{ t: 'int', v: BigInt(text) }, after];
    case '_':
      return [{ t: 'null' }, after];
    case ',':
      return [{ t: 'double', v: text }, after];
    case '#':
      return [{ t: 'bool', v: text === 't' }, after];
    case '(':
      return [{ t: 'bignum', v: text }, after];
    case '$':
    case '!': {
      const n = Number(text);
      if (n < 0) return [{ t: 'null' }, after];
      const b = blob(n);
      if (!b) return null;
      return [type === '$' ? { t: 'bulk', v: b[0] } : { t: 'error', v: b[0] }, b[1]];
    }
    case '=': {
      const b = blob(Number(text));
      if (!b) return null;
      return [{ t: 'verbatim', format: b[0].slice(0, 3), v: b[0].slice(4) }, b[1]];
    }
    case '*':
    case '~':
    case '>': {
      const n = Number(text);
      if (n < 0) return [{ t: 'null' }, after];
      const a = aggregate(n, after);
      if (!a) return null;
      const kind = type === '*' ? 'array' : type === '~' ? 'set' : 'push';
      return [{ t: kind, v: a[0] } as RespValue, a[1]];
    }
    case '%':
    case '|': {
      const a = aggregate(Number(text) * 2, after);
      if (!a) return null;
      const pairs: Array<[RespValue, RespValue]> = [];
      for (let i = 0; i < a[0].length; i += 2) pairs.push([a[0][i]!, a[0][i + 1]!]);
      return [type === '%' ? { t: 'map', v: pairs } : { t: 'attribute', v: pairs }, a[1]];
    }
    default:
      throw new ReplyFormatError(`unexpected reply type byte '${type}' at offset ${pos}`);
  }
}

/** A plain JS rendering (strings, bigint->number when safe, arrays, objects for maps) for tests and JSON. */
export function toPlain(v: RespValue): unknown {
  switch (v.t) {
    case 'simple':
    case 'bulk':
    case 'double':
    case 'bignum':
    case 'verbatim':
      return v.v;
    case 'error':
      return { error: v.v };
    case 'int':
      return Number(v.v);
    case 'null':
      return null;
    case 'bool':
      return v.v;
    case 'array':
    case 'set':
    case 'push':
      return v.v.map(toPlain);
    case 'map':
    case 'attribute':
      return v.v.map(([k, x]) => [toPlain(k), toPlain(x)]);
  }
}
