// How a key (binary-safe, held as a latin1 string: one char per byte) is shown to people and
// written into JSON/CSV. Keys that are valid UTF-8 are shown decoded, so unicode keys read as
// typed; anything else is written the way redis-cli prints it: printable ASCII as is, every other
// byte as \xNN (and a backslash or quote escaped), flagged with `keyEscaped: true` so a reader
// knows the text is not the key's bytes. Most keys are plain ASCII: that path allocates nothing.

import { isUtf8 } from 'node:buffer';

export interface KeyText {
  text: string;
  /** True when `text` is the \xNN-escaped form rather than the key's own characters. */
  escaped: boolean;
}

const HEX = '0123456789abcdef';

/** Printable ASCII (0x20..0x7e): what redis-cli leaves as is. */
function printable(c: number): boolean {
  return c >= 0x20 && c <= 0x7e;
}

/** redis-cli's escaping of one byte string (sdscatrepr without the surrounding quotes). */
export function escapeBytes(latin1: string): string {
  let out = '';
  for (let i = 0; i < latin1.length; i++) {
    const c = latin1.charCodeAt(i);
    if (c === 0x5c) out += '\\\\';
    else if (c === 0x22) out += '\\"';
    else if (printable(c)) out += latin1[i];
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x07) out += '\\a';
    else if (c === 0x08) out += '\\b';
    else out += '\\x' + HEX[c >> 4]! + HEX[c & 15]!;
  }
  return out;
}

/**
 * The key as text for JSON, CSV and tables. ASCII keys come back unchanged (control characters
 * included: JSON escapes those itself), valid UTF-8 keys decoded, anything else escaped.
 */
export function keyText(latin1: string): KeyText {
  let ascii = true;
  for (let i = 0; i < latin1.length; i++) {
    if (latin1.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) return { text: latin1, escaped: false };
  const bytes = Buffer.from(latin1, 'latin1');
  if (isUtf8(bytes)) return { text: bytes.toString('utf8'), escaped: false };
  return { text: escapeBytes(latin1), escaped: true };
}

/**
 * The key for a terminal line: like keyText, but control characters are escaped too (a key must
 * never move the cursor or ring the bell), always in the \xNN form.
 */
export function keyForTerminal(latin1: string): string {
  const t = keyText(latin1);
  if (t.escaped) return t.text;
  for (let i = 0; i < t.text.length; i++) {
    const c = t.text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return escapeBytes(latin1);
  }
  return t.text;
}
