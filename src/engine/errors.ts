// Every error text the engine replies with that more than one command shares, worded exactly as
// Redis 7.0 words them (clients and Redis's own tests match on these strings). A handler throws
// ReplyError; dispatch turns it into the error reply.

export class ReplyError extends Error {
  constructor(message: string) {
    super(message);
  }
}

export const E = {
  wrongType: '-WRONGTYPE Operation against a key holding the wrong kind of value',
  noAuth: '-NOAUTH Authentication required.',
  wrongPass: '-WRONGPASS invalid username-password pair or user is disabled.',
  syntax: 'syntax error',
  notInt: 'value is not an integer or out of range',
  notFloat: 'value is not a valid float',
  overflow: 'increment or decrement would overflow',
  noSuchKey: 'no such key',
  outOfRange: 'index out of range',
  dbIndex: 'DB index is out of range',
  invalidCursor: 'invalid cursor',
  oom: "-OOM command not allowed when used memory > 'maxmemory'.",
  noReplicas: '-NOREPLICAS Not enough good replicas to write.',
  execAbort: '-EXECABORT Transaction discarded because of previous errors.',
  busyKey: '-BUSYKEY Target key name already exists.',
  timeoutNotFloat: 'timeout is not a float or out of range',
  timeoutNegative: 'timeout is negative',
  maxBulk: 'string exceeds maximum allowed size (proto-max-bulk-len)',
  sameObject: 'source and destination objects are the same',
  notPositive: (what: string) => `${what} should be greater than 0`,
  arity: (name: string) => `wrong number of arguments for '${name}' command`,
  unknownCommand: (name: string, args: string[]) =>
    `unknown command '${name.slice(0, 128)}', with args beginning with: ${args
      .slice(0, 10)
      .map((a) => `'${a.slice(0, 128)}' `)
      .join('')}`,
  unknownSubcommand: (sub: string, cmd: string) => `unknown subcommand '${sub.slice(0, 128)}'. Try ${cmd.toUpperCase()} HELP.`,
} as const;

/** Throws the shared WRONGTYPE error. */
export function wrongType(): never {
  throw new ReplyError(E.wrongType);
}

export function syntaxError(): never {
  throw new ReplyError(E.syntax);
}
