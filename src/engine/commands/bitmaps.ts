// Bitmap commands on strings (bitops.c): SETBIT and GETBIT. Bit 0 is the most significant bit of
// the first byte; SETBIT grows the string with zero bytes as needed (up to proto-max-bulk-len)
// and leaves it raw-encoded, as Redis does. BITCOUNT, BITPOS, BITOP and BITFIELD come later.

import { cmd, type CommandSpec, type Ctx } from '../command.js';
import { ReplyError, wrongType } from '../errors.js';
import { isCanonicalInt, newRawString, type RObj } from '../types/objects.js';
import { notify } from '../notify.js';

const BAD_OFFSET = 'bit offset is not an integer or out of range';

/** getBitOffsetFromArgument: a non-negative integer whose byte index fits proto-max-bulk-len. */
function parseOffset(ctx: Ctx, arg: string): number {
  if (!isCanonicalInt(arg) || arg.startsWith('-')) throw new ReplyError(BAD_OFFSET);
  const n = Number(arg);
  if (!Number.isSafeInteger(n) || Math.floor(n / 8) >= ctx.engine.config.num['proto-max-bulk-len']!) throw new ReplyError(BAD_OFFSET);
  return n;
}

function asString(o: RObj | undefined): string | undefined {
  if (o === undefined) return undefined;
  if (o.type !== 'string') wrongType();
  return o.v;
}

function setbit(ctx: Ctx, argv: string[]): void {
  const [, key, offsetArg, bitArg] = argv as [string, string, string, string];
  const offset = parseOffset(ctx, offsetArg);
  if (bitArg !== '0' && bitArg !== '1') throw new ReplyError('bit is not an integer or out of range');
  const { db } = ctx;
  const o = db.write(key);
  let v = asString(o) ?? '';
  const byte = Math.floor(offset / 8);
  const mask = 1 << (7 - (offset % 8));
  if (v.length <= byte) v += '\0'.repeat(byte + 1 - v.length);
  const old = v.charCodeAt(byte);
  const next = bitArg === '1' ? old | mask : old & ~mask;
  v = v.slice(0, byte) + String.fromCharCode(next) + v.slice(byte + 1);
  const obj = newRawString(v);
  if (o === undefined) db.add(key, obj);
  else db.set(key, obj, true);
  notify(ctx, '$', 'setbit', key);
  ctx.engine.dirty++;
  ctx.reply.int(old & mask ? 1 : 0);
}

function getbit(ctx: Ctx, argv: string[]): void {
  const offset = parseOffset(ctx, argv[2]!);
  const v = asString(ctx.db.read(argv[1]!));
  const byte = Math.floor(offset / 8);
  if (v === undefined || byte >= v.length) return ctx.reply.int(0);
  ctx.reply.int(v.charCodeAt(byte) & (1 << (7 - (offset % 8))) ? 1 : 0);
}

export const bitmapsCommands: CommandSpec[] = [
  cmd('setbit', 4, ['write', 'denyoom'], ['write', 'bitmap', 'slow'], [1, 1, 1], 'bitmap', setbit),
  cmd('getbit', 3, ['readonly', 'fast'], ['read', 'bitmap', 'fast'], [1, 1, 1], 'bitmap', getbit),
];
