// The ACL file (aclfile): one `user <name> <rules...>` line per user, as ACL SAVE writes it.
// ACL LOAD (and start-up) reads the whole file into a fresh set of users and reports every
// broken line in one error text; nothing changes unless the whole file is valid (ACLLoadFromFile).
// ACL SAVE writes a temp file and renames it over the old one (ACLSaveToFile).

import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hasSpaces, mergeSelectorArgs, RuleError, describeUser, type AclState, type AclUser } from './acl.js';

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EISDIR: 'Is a directory',
};

/** The users the file defines, or the error text (Redis's wording) when any line is wrong. */
export function loadAclFile(st: AclState, path: string): Map<string, AclUser> | string {
  const shown = st.engine.config.get('aclfile');
  let text: string;
  try {
    text = readFileSync(path, 'latin1');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    return `Error loading ACLs, opening file '${shown}': ${ERRNO_TEXT[code] ?? code}`;
  }
  const users = new Map<string, AclUser>();
  let errors = '';
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
    const linenum = i + 1;
    if (line === '') continue;
    const argv = line.split(' ');
    if (argv[0] !== 'user' || argv.length < 2) {
      errors += `${shown}:${linenum} should start with user keyword followed by the username. `;
      continue;
    }
    const name = argv[1]!;
    if (hasSpaces(name)) {
      errors += `'${shown}:${linenum}: username '${name}' contains invalid characters. `;
      continue;
    }
    if (users.has(name)) {
      errors += `WARNING: Duplicate user '${name}' found on line ${linenum}. `;
      continue;
    }
    const u = st.newUser(name);
    users.set(name, u);
    const merged = mergeSelectorArgs(argv.slice(2));
    if (typeof merged === 'number') {
      errors += `${shown}:${linenum}: Unmatched parenthesis in selector definition.`;
      continue;
    }
    let syntaxError = false;
    for (const raw of merged) {
      const op = raw.replace(/^[\t\r\n]+|[\t\r\n]+$/g, '');
      try {
        u.apply(st.cmds, op, st.pubsubAll);
      } catch (err) {
        if (!(err instanceof RuleError)) throw err;
        if (err.unknownName) errors += `${shown}:${linenum}: Error in applying operation '${op}': ${err.reason}. `;
        else if (!syntaxError) {
          errors += `${shown}:${linenum}: ${err.reason}. `;
          syntaxError = true;
        }
      }
    }
    u.refresh();
  }
  if (errors !== '') return `${errors}WARNING: ACL errors detected, no change to the previously active ACL rules was performed`;
  return users;
}

/** ACL SAVE; false when the file could not be written. */
export function saveAclFile(st: AclState, path: string): boolean {
  let out = '';
  for (const u of st.sortedUsers()) out += `user ${u.name} ${describeUser(st.cmds, u)}\n`;
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  try {
    writeFileSync(tmp, out, 'latin1');
    renameSync(tmp, path);
    return true;
  } catch {
    try {
      unlinkSync(tmp);
    } catch {
      /* never written */
    }
    return false;
  }
}
