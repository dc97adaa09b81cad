// Module data (RDB type 7 values and MODULE_AUX records) without the module: a module type is
// named by a 64-bit id (nine 6-bit characters from A-Za-z0-9-_ followed by a 10-bit encoding
// version), and since RDB 9 a module's payload is a stream of typed items, each announced by a
// length-encoded opcode (1 signed / 2 unsigned int, 3 float, 4 double, 5 string) and closed by
// opcode 0. That stream can be skipped generically, which is how an inspector that does not
// know ReJSON or RedisGraph still reads past their keys and names them.

import type { ByteWindow } from './byte-window.js';

const NAME_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export interface ModuleTypeId {
  /** The 64-bit id as decimal text. */
  id: string;
  /** The nine-character type name, e.g. "ReJSON-RL". */
  name: string;
  /** The low 10 bits: the module's own encoding version. */
  encodingVersion: number;
}

export function decodeModuleId(idText: string): ModuleTypeId {
  let v = BigInt(idText);
  const encodingVersion = Number(v & 1023n);
  v >>= 10n;
  let name = '';
  for (let i = 0; i < 9; i++) {
    name = NAME_CHARS[Number(v & 63n)]! + name;
    v >>= 6n;
  }
  return { id: idText, name, encodingVersion };
}

/** Module opcodes and how many raw bytes (or which reader) follow each. */
const MODULE_OPCODES: Record<number, 'len' | 4 | 8 | 'string'> = {
  1: 'len', // signed integer
  2: 'len', // unsigned integer
  3: 4, // float
  4: 8, // double
  5: 'string',
};

/** Skips one module payload up to and including its EOF opcode (0). */
export function skipModulePayload(
  w: ByteWindow,
  skipString: () => void,
  fail: (problem: string, offset: number) => never,
  moduleName: string,
): void {
  for (;;) {
    const at = w.offset();
    const op = w.len();
    if (op === 0) return;
    const what = MODULE_OPCODES[op];
    if (what === undefined) fail(`unknown opcode ${op} in the data of module type "${moduleName}"`, at);
    else if (what === 'len') w.len();
    else if (what === 'string') skipString();
    else w.skip(what);
  }
}
