// Script flags (script.c's scripts_flags_def) and the "#!lua flags=..." shebang EVAL scripts may
// start with. A script without a shebang runs in "eval compatibility mode": no declared flags,
// the command's own flags apply and a write-capable script is assumed.

/** In Redis's order (FUNCTION LIST reports flags in this order). */
export const SCRIPT_FLAGS = ['no-writes', 'allow-oom', 'allow-stale', 'no-cluster', 'allow-cross-slot-keys'] as const;
export type ScriptFlag = (typeof SCRIPT_FLAGS)[number];

export interface ScriptFlags {
  /** No shebang: EVAL's backwards-compatible mode. */
  compat: boolean;
  set: Set<ScriptFlag>;
}

export const COMPAT_FLAGS: ScriptFlags = { compat: true, set: new Set() };

/** evalExtractShebangFlags: the flags and the length of the shebang line (0 without one). */
export function parseShebang(body: string): { flags: ScriptFlags; shebangLen: number } | { error: string } {
  if (!body.startsWith('#!')) return { flags: COMPAT_FLAGS, shebangLen: 0 };
  const end = body.indexOf('\n');
  if (end < 0) return { error: 'Invalid script shebang' };
  const parts = splitArgs(body.slice(0, end));
  if (!parts || parts.length === 0) return { error: 'Invalid engine in script shebang' };
  if (parts[0] !== '#!lua') return { error: `Unexpected engine in script shebang: ${parts[0]}` };
  const set = new Set<ScriptFlag>();
  for (const part of parts.slice(1)) {
    if (!part.startsWith('flags=')) return { error: `Unknown lua shebang option: ${part}` };
    const list = part.slice(6);
    for (const f of list === '' ? [] : list.split(',')) {
      if (!(SCRIPT_FLAGS as readonly string[]).includes(f)) return { error: `Unexpected flag in script shebang: ${f}` };
      set.add(f as ScriptFlag);
    }
  }
  return { flags: { compat: false, set }, shebangLen: end };
}

/**
 * sdssplitargs as far as shebang lines need it: words split on blanks, and a quote anywhere in a
 * word quotes up to its match (name="foo" reads as name=foo). Null on an unclosed quote.
 */
export function splitArgs(line: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  const ESC: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', a: '\x07' };
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i]!)) i++;
    if (i >= line.length) break;
    let word = '';
    while (i < line.length && !/\s/.test(line[i]!)) {
      const c = line[i]!;
      if (c === '"' || c === "'") {
        i++;
        while (i < line.length && line[i] !== c) {
          if (c === '"' && line[i] === '\\' && i + 1 < line.length) {
            i++;
            word += ESC[line[i]!] ?? line[i];
          } else word += line[i];
          i++;
        }
        if (i >= line.length) return null;
        i++;
      } else {
        word += c;
        i++;
      }
    }
    out.push(word);
  }
  return out;
}
