// A tiny, strict XML reader for the JUnit tests: elements, attributes, text, the five entities,
// an optional <?xml?> declaration. It throws on anything not well-formed (unclosed or mismatched
// tags, bad attribute syntax, stray '<' or '&'), so a test that parses the output checks its form.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const NAME_START = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === ':';
const NAME_CHAR = (c: string) => NAME_START(c) || (c >= '0' && c <= '9') || c === '-' || c === '.';
const SPACE = (c: string | undefined) => c === ' ' || c === '\n' || c === '\t' || c === '\r';

export function parseXml(src: string): XmlElement {
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`XML: ${what} at offset ${i}`);
  };
  const skipSpace = () => {
    while (SPACE(src[i])) i++;
  };
  const name = (): string => {
    const start = i;
    if (!NAME_START(src[i] ?? '')) fail('expected a name');
    while (i < src.length && NAME_CHAR(src[i]!)) i++;
    return src.slice(start, i);
  };
  const decode = (s: string): string => {
    let out = '';
    for (let j = 0; j < s.length; j++) {
      const c = s[j]!;
      if (c === '<') fail('"<" in text');
      if (c !== '&') {
        out += c;
        continue;
      }
      const end = s.indexOf(';', j);
      const ent = end < 0 ? undefined : ENTITIES[s.slice(j + 1, end)];
      if (ent === undefined) fail('bad entity');
      out += ent;
      j = end;
    }
    return out;
  };
  const element = (): XmlElement => {
    if (src[i] !== '<') fail('expected "<"');
    i++;
    const el: XmlElement = { name: name(), attrs: {}, children: [], text: '' };
    for (;;) {
      const hadSpace = SPACE(src[i]);
      skipSpace();
      if (src.startsWith('/>', i)) {
        i += 2;
        return el;
      }
      if (src[i] === '>') {
        i++;
        break;
      }
      if (!hadSpace) fail('expected a space before an attribute');
      const a = name();
      if (a in el.attrs) fail(`duplicate attribute ${a}`);
      if (src[i++] !== '=') fail('expected "="');
      const q = src[i++];
      if (q !== '"' && q !== "'") fail('expected a quote');
      const end = src.indexOf(q, i);
      if (end < 0) fail('unterminated attribute');
      el.attrs[a] = decode(src.slice(i, end));
      i = end + 1;
    }
    for (;;) {
      const lt = src.indexOf('<', i);
      if (lt < 0) fail(`unclosed <${el.name}>`);
      el.text += decode(src.slice(i, lt));
      i = lt;
      if (src.startsWith('</', i)) {
        i += 2;
        if (name() !== el.name) fail(`mismatched </...> for <${el.name}>`);
        skipSpace();
        if (src[i++] !== '>') fail('expected ">"');
        return el;
      }
      el.children.push(element());
    }
  };
  if (src.startsWith('<?xml')) {
    const end = src.indexOf('?>');
    if (end < 0) fail('unterminated declaration');
    i = end + 2;
  }
  skipSpace();
  const root = element();
  skipSpace();
  if (i !== src.length) fail('content after the root element');
  return root;
}
