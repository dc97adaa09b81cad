// Splits one manifest line into tokens the way Redis's sdssplitargs does, because the manifest
// writer quotes a file name that needs it (sdscatrepr style) and the loader reads it back with
// that tokenizer: blanks separate tokens; "double quotes" take \xHH, \n \r \t \b \a and \<any>;
// 'single quotes' take only \'; a closing quote must be followed by a blank or the end;
// an unterminated quote makes the whole line invalid (null). Strings are latin1 (one char per byte).
// Like the C code, the line ends at a NUL byte.

const isBlank = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';
/** Characters that end an unquoted token (isspace is wider, but the C switch lists only these). */
const ENDS_TOKEN = new Set([' ', '\n', '\r', '\t', '']);
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', a: '\x07' };
const isHex = (c: string): boolean => /^[0-9a-fA-F]$/.test(c);

/** Tokens of `line`, or null when a quote is unbalanced or a closing quote is glued to more text. */
export function splitArgs(input: string): string[] | null {
  const nul = input.indexOf('\0');
  const line = nul >= 0 ? input.slice(0, nul) : input;
  const at = (i: number): string => (i < line.length ? line[i]! : '');
  const out: string[] = [];
  let p = 0;
  for (;;) {
    while (p < line.length && isBlank(line[p]!)) p++;
    if (p >= line.length) return out;
    let token = '';
    let mode: 'plain' | 'double' | 'single' = 'plain';
    for (let done = false; !done; ) {
      const c = at(p);
      if (mode === 'double') {
        if (c === '\\' && at(p + 1) === 'x' && isHex(at(p + 2)) && isHex(at(p + 3))) {
          token += String.fromCharCode(parseInt(line.slice(p + 2, p + 4), 16));
          p += 3;
        } else if (c === '\\' && at(p + 1) !== '') {
          p++;
          token += ESCAPES[at(p)] ?? at(p);
        } else if (c === '"') {
          if (at(p + 1) !== '' && !isBlank(at(p + 1))) return null;
          done = true;
        } else if (c === '') {
          return null;
        } else {
          token += c;
        }
      } else if (mode === 'single') {
        if (c === '\\' && at(p + 1) === "'") {
          p++;
          token += "'";
        } else if (c === "'") {
          if (at(p + 1) !== '' && !isBlank(at(p + 1))) return null;
          done = true;
        } else if (c === '') {
          return null;
        } else {
          token += c;
        }
      } else if (ENDS_TOKEN.has(c)) {
        done = true;
      } else if (c === '"') {
        mode = 'double';
      } else if (c === "'") {
        mode = 'single';
      } else {
        token += c;
      }
      if (c !== '') p++;
    }
    out.push(token);
  }
}
