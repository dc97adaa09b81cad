// The slow log (Redis's slowlog.c): every completed command whose run time reaches
// `slowlog-log-slower-than` microseconds is remembered, newest first, up to `slowlog-max-len`
// entries. An entry keeps what an operator needs to find the culprit (id, unix time, duration,
// the arguments, the client's address and name) but never the full payload: long argument lists
// and long strings are cut, and secrets (passwords in AUTH/HELLO/MIGRATE, ACL rules, sensitive
// CONFIG SET values) are replaced before anything is stored. Ids grow for the engine's whole life,
// so pollers can de-duplicate across SLOWLOG RESET.
//
// It hears commands through engine.callObservers, which dispatch.ts calls after every completed
// command and blocking.ts calls when a blocked command is finally served. Commands that only
// queue inside MULTI never complete there, so they are logged when EXEC runs them, while EXEC
// itself carries the `skip_slowlog` flag.

import type { Client } from '../client.js';
import type { CommandSpec } from '../command.js';
import type { Engine } from '../engine.js';
import { isCanonicalInt } from '../types/objects.js';

/** Redis's SLOWLOG_ENTRY_MAX_ARGC and SLOWLOG_ENTRY_MAX_STRING. */
export const SLOWLOG_MAX_ARGC = 32;
export const SLOWLOG_MAX_STRING = 128;
/** What a secret argument becomes (Redis's shared.redacted). */
export const REDACTED = '(redacted)';

export interface SlowlogEntry {
  id: number;
  /** Unix seconds when the command completed. */
  time: number;
  /** Run time in microseconds. */
  duration: number;
  argv: string[];
  /** "ip:port" of the client (its CLIENT LIST addr). */
  peer: string;
  /** CLIENT SETNAME name, "" when unset. */
  name: string;
}

export class SlowLog {
  /** Oldest first; SLOWLOG GET walks it from the end. */
  private entries: SlowlogEntry[] = [];
  private nextId = 0;

  constructor(private readonly engine: Engine) {}

  get length(): number {
    return this.entries.length;
  }

  /** Newest first, at most `count` entries. */
  newest(count: number): SlowlogEntry[] {
    const out: SlowlogEntry[] = [];
    for (let i = this.entries.length - 1; i >= 0 && out.length < count; i--) out.push(this.entries[i]!);
    return out;
  }

  /** SLOWLOG RESET: the entries go, the id counter stays. */
  reset(): void {
    this.entries = [];
  }

  /**
   * slowlogPushEntryIfNeeded: with the log enabled, records the command when it was slow enough,
   * then trims to slowlog-max-len (a lowered max-len takes effect at the next command).
   */
  pushIfNeeded(spec: CommandSpec, argv: string[], client: Client, usec: number): void {
    const cfg = this.engine.config.num;
    const slowerThan = cfg['slowlog-log-slower-than'] ?? 10000;
    if (slowerThan < 0) return;
    const duration = Math.floor(usec);
    const max = cfg['slowlog-max-len'] ?? 128;
    // The common case, a fast command and nothing to trim, costs two comparisons.
    if (duration < slowerThan && this.entries.length <= max) return;
    if (spec.flags.includes('skip_slowlog')) return;
    if (duration >= slowerThan) {
      this.entries.push({
        id: this.nextId++,
        time: Math.floor(Date.now() / 1000),
        duration,
        argv: trimArgv(redactArgv(spec, argv, this.engine)),
        peer: client.addr,
        name: client.name,
      });
    }
    if (this.entries.length > max) this.entries.splice(0, this.entries.length - max);
  }
}

/** The stored form of an argument vector: at most 32 arguments, each at most 128 bytes. */
export function trimArgv(argv: readonly string[]): string[] {
  const argc = argv.length;
  const kept = Math.min(argc, SLOWLOG_MAX_ARGC);
  const out: string[] = new Array<string>(kept);
  for (let j = 0; j < kept; j++) {
    if (kept !== argc && j === kept - 1) {
      out[j] = `... (${argc - kept + 1} more arguments)`;
      continue;
    }
    const a = argv[j]!;
    out[j] = a.length > SLOWLOG_MAX_STRING ? `${a.slice(0, SLOWLOG_MAX_STRING)}... (${a.length - SLOWLOG_MAX_STRING} more bytes)` : a;
  }
  return out;
}

// --- redaction --------------------------------------------------------------------------------

/** CONFIG parameters whose values never reach a log (Redis's SENSITIVE_CONFIG). */
const SENSITIVE_CONFIGS = new Set(['requirepass', 'masterauth', 'masteruser']);

/**
 * Which argument positions a command hides, given the engine's state. Redis hides them from
 * inside the handler, as it parses, so an argument after the point where parsing failed stays
 * visible; each rule below stops where the handler would have stopped.
 */
type Redactor = (argv: readonly string[], engine: Engine) => number[];

const REDACTORS: Record<string, Redactor> = {
  // AUTH [username] password: more than 3 arguments is a syntax error before anything is hidden.
  auth: (argv) => (argv.length > 3 ? [] : argv.length === 3 ? [1, 2] : [1]),
  hello: redactHello,
  'acl|setuser': (argv) => (argv.length >= 3 ? range(2, argv.length) : []),
  'config|set': (argv) => {
    if (argv.length % 2 === 1) return []; // odd argument count: syntax error first
    const out: number[] = [];
    for (let i = 2; i + 1 < argv.length; i += 2) if (SENSITIVE_CONFIGS.has(argv[i]!.toLowerCase())) out.push(i + 1);
    return out;
  },
  migrate: (argv) => {
    const out: number[] = [];
    for (let j = 6; j < argv.length; j++) {
      const opt = argv[j]!.toLowerCase();
      const more = argv.length - 1 - j;
      if (opt === 'copy' || opt === 'replace') continue;
      if (opt === 'auth') {
        if (more < 1) break;
        out.push(++j);
      } else if (opt === 'auth2') {
        if (more < 2) break;
        out.push(++j, ++j);
      } else break; // KEYS ends the options; anything else is a syntax error
    }
    return out;
  },
};

/** HELLO [protover [AUTH user pass] [SETNAME name]]: pairs after AUTH, until an option fails. */
function redactHello(argv: readonly string[], engine: Engine): number[] {
  if (argv.length < 2) return [];
  const ver = isCanonicalInt(argv[1]!) ? Number(argv[1]) : NaN;
  if (!(ver >= 2 && ver <= 3)) return [];
  const out: number[] = [];
  for (let j = 2; j < argv.length; j++) {
    const opt = argv[j]!.toLowerCase();
    const more = argv.length - 1 - j;
    if (opt === 'auth' && more >= 2) {
      out.push(j + 1, j + 2);
      if (!credentialsAccepted(engine, argv[j + 1]!, argv[j + 2]!)) break;
      j += 2;
    } else if (opt === 'setname' && more >= 1) {
      if (/[^!-~]/.test(argv[j + 1]!)) break; // CLIENT SETNAME rejects spaces and control bytes
      j++;
    } else break;
  }
  return out;
}

/** The engine has one user, "default", guarded by requirepass (no password: anything goes). */
function credentialsAccepted(engine: Engine, user: string, pass: string): boolean {
  const required = engine.config.get('requirepass');
  return user === 'default' && (required === '' || pass === required);
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

/** The argument vector as the slow log may show it: secrets replaced by "(redacted)". */
export function redactArgv(spec: CommandSpec, argv: string[], engine: Engine): string[] {
  const redactor = REDACTORS[spec.name];
  if (!redactor) return argv;
  const hide = redactor(argv, engine);
  if (hide.length === 0) return argv;
  const out = argv.slice();
  for (const i of hide) out[i] = REDACTED;
  return out;
}

// --- per-engine state ---------------------------------------------------------------------------

const logs = new WeakMap<Engine, SlowLog>();

/**
 * The engine's slow log, created (and hooked to engine.callObservers) on first use. The engine
 * calls this when it is created, so every command of its life is seen.
 */
export function slowlogOf(engine: Engine): SlowLog {
  const log = logs.get(engine);
  if (log) return log;
  const created = new SlowLog(engine);
  logs.set(engine, created);
  engine.callObservers.push((spec: CommandSpec, argv: string[], client: Client, usec: number) =>
    created.pushIfNeeded(spec, argv, client, usec),
  );
  return created;
}
