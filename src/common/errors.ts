// Errors that reach the user: each carries the exit code the CLI should end with, so a
// face can throw one and the CLI prints one clear line instead of a stack trace.

/** Exit codes shared by every command: 0 ok, 1 a check/finding threshold crossed, 2 usage/input/target error. */
export const ExitCode = {
  ok: 0,
  thresholdCrossed: 1,
  usage: 2,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An error whose message is fit to print as-is on one line, after "redscope: ". */
export class UserError extends Error {
  readonly exitCode: ExitCode;
  constructor(message: string, exitCode: ExitCode = ExitCode.usage) {
    super(message);
    this.name = 'UserError';
    this.exitCode = exitCode;
  }
}

/** A target (bundled engine or external Redis) could not be reached or refused us. */
export class TargetError extends UserError {
  constructor(message: string) {
    super(message, ExitCode.usage);
    this.name = 'TargetError';
  }
}

/** Turns any thrown value into one printable line. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n')[0] ?? String(err);
  return String(err);
}

/**
 * A file (RDB, AOF, manifest, budget) is not what it should be. The message names the file, the
 * byte offset and what was being read: `dump.rdb: unexpected end of file at offset 1834221 in the
 * value of key "user:9" (list)`. Readers throw it; the CLI prints it and exits 2.
 */
export class FileFormatError extends UserError {
  readonly file: string;
  readonly offset: number;
  /** The problem without file and offset ("unexpected end of file"). */
  readonly problem: string;
  constructor(file: string, offset: number, problem: string, where?: string) {
    super(`${file}: ${problem} at offset ${offset}${where ? ` ${where}` : ''}`, ExitCode.usage);
    this.name = 'FileFormatError';
    this.file = file;
    this.offset = offset;
    this.problem = problem;
  }
}
