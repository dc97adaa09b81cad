import { describe, expect, it } from 'vitest';
import { escapeBytes, keyForTerminal, keyText } from '../../src/report/key-text.js';

describe('key text', () => {
  it('leaves ASCII keys alone', () => {
    expect(keyText('user:1')).toEqual({ text: 'user:1', escaped: false });
  });
  it('decodes valid UTF-8 keys', () => {
    const latin1 = Buffer.from('clé:日本', 'utf8').toString('latin1');
    expect(keyText(latin1)).toEqual({ text: 'clé:日本', escaped: false });
  });
  it('escapes keys that are not UTF-8 as redis-cli does', () => {
    expect(keyText('a\xff\x00b')).toEqual({ text: 'a\\xff\\x00b', escaped: true });
    expect(escapeBytes('q"\\\n\r\t\x07\x08\x7f')).toBe('q\\"\\\\\\n\\r\\t\\a\\b\\x7f');
  });
  it('escapes control characters for terminals only', () => {
    expect(keyText('a\x1bb').text).toBe('a\x1bb');
    expect(keyForTerminal('a\x1bb')).toBe('a\\x1bb');
    expect(keyForTerminal('plain')).toBe('plain');
  });
});
