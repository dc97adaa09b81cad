// Keys in error messages are quoted the way redis-cli prints them (sdscatrepr): printable ASCII
// as is, the usual backslash escapes, every other byte as \xNN. Keys are latin1 strings (one
// char per byte), so this works on bytes without decoding anything. Long keys are cut so an
// error stays one readable line.

const ESCAPES: Record<number, string> = { 0x5c: '\\\\', 0x22: '\\"', 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t', 0x07: '\\a', 0x08: '\\b' };

export function quoteKey(key: string, max = 200): string {
  let out = '"';
  const n = Math.min(key.length, max);
  for (let i = 0; i < n; i++) {
    const c = key.charCodeAt(i);
    const esc = ESCAPES[c];
    if (esc !== undefined) out += esc;
    else if (c >= 0x20 && c < 0x7f) out += key[i];
    else out += '\\x' + (c & 0xff).toString(16).padStart(2, '0');
  }
  if (key.length > max) out += `..." (${key.length} bytes)`;
  else out += '"';
  return out;
}
