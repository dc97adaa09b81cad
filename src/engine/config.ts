// The engine's live configuration: parses and validates values by the types in config-table.ts,
// answers CONFIG GET (glob patterns, aliases) and CONFIG SET (several pairs at once, atomically, with
// Redis's error wording), and reads redis.conf-style files. Values are kept both as the canonical
// text CONFIG GET prints and, for numeric/boolean parameters, as numbers the hot path can read.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CONFIG_TABLE, type ConfigSpec } from './config-table.js';
import { globMatch } from './glob.js';

/** Thrown for a value that does not fit its parameter; the message is Redis's reason text. */
export class ConfigValueError extends Error {}

const MEMORY_UNITS: Record<string, number> = {
  '': 1, b: 1, k: 1000, kb: 1024, m: 1000 ** 2, mb: 1024 ** 2, g: 1000 ** 3, gb: 1024 ** 3,
};

/** Parses Redis memory notation ("1gb", "100mb", "512") into bytes; null when malformed. */
export function parseMemory(text: string): number | null {
  const m = /^(-?\d+)([a-z]*)$/i.exec(text.trim());
  if (!m) return null;
  const unit = MEMORY_UNITS[m[2]!.toLowerCase()];
  if (unit === undefined) return null;
  return Number(m[1]) * unit;
}

/** Redis's range check for numeric parameters (bounds may exceed 2^53, hence bigint). */
function checkRange(n: bigint, min: number | bigint | undefined, max: number | bigint | undefined): void {
  const lo = min === undefined ? -(2n ** 63n) : BigInt(min);
  const hi = max === undefined ? 2n ** 63n - 1n : BigInt(max);
  if (n < lo || n > hi) throw new ConfigValueError(`argument must be between ${lo} and ${hi} inclusive`);
}

function parseIntStrict(text: string): number | null {
  if (!/^-?(0|[1-9]\d*)$/.test(text) || text === '-0') return null;
  return Number(text);
}

const OBUF_CLASSES = ['normal', 'slave', 'pubsub'] as const;
const PROC_TITLE_VARS = new Set(['title', 'listen-addr', 'server-mode', 'port', 'tls-port', 'unixsocket', 'config-file']);

/** Enum values that mean the same as an earlier one: CONFIG GET prints the first name. */
const ENUM_SYNONYMS: Record<string, Record<string, string>> = { 'oom-score-adj': { relative: 'yes' } };
/** Memory parameters Redis silently raises to a floor when set lower. */
const MEMORY_FLOORS: Record<string, number> = { 'repl-backlog-size': 16384 };

/** Extra rules some parameters have beyond their type; each throws Redis's reason text. */
const VALIDATORS: Record<string, (value: string) => void> = {
  // The engine has no jemalloc to defragment with; Redis refuses the same way when built without it.
  activedefrag: (v) => {
    if (v === 'yes')
      throw new ConfigValueError('Active defragmentation cannot be enabled: it requires a Redis server compiled with a modified Jemalloc like the one shipped by default with the Redis source distribution');
  },
  'tls-cluster': (v) => {
    if (v === 'yes') throw new ConfigValueError('Unable to update TLS configuration. Check server logs.');
  },
  'tls-replication': (v) => {
    if (v === 'yes') throw new ConfigValueError('Unable to update TLS configuration. Check server logs.');
  },
  'cluster-announce-hostname': (v) => {
    if (v.length >= 256) throw new ConfigValueError('Hostnames must be less than 256 characters');
    if (!/^[A-Za-z0-9.-]*$/.test(v)) throw new ConfigValueError('Hostnames may only contain alphanumeric characters, hyphens or dots');
  },
  'proc-title-template': (v) => {
    const vars = [...v.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]!);
    const rest = v.replace(/\{[^{}]*\}/g, '');
    if (v.trim() === '' || /[{}]/.test(rest) || vars.some((x) => !PROC_TITLE_VARS.has(x)))
      throw new ConfigValueError('template format is invalid or contains unknown variables');
  },
};
const KEYSPACE_EVENT_FLAGS = 'gKE$lshzxetmdAn';

/** Called after a change with the canonical value (as CONFIG GET prints it) and the text as given. */
type Listener = (name: string, value: string, given: string) => void;

export class Config {
  /**
   * `user <name> <rules...>` directives (redis.conf may repeat them): ACL users the engine's ACL
   * creates when it starts (acl.ts). Not a parameter: CONFIG GET does not list them, as in Redis.
   */
  readonly users: string[][] = [];
  private readonly specs = new Map<string, ConfigSpec>();
  private readonly values = new Map<string, string>();
  /** The text each parameter was last set with, before canonicalisation. */
  private readonly givenText = new Map<string, string>();
  /** Numeric view of int/memory/bool parameters (bools are 0/1), read on hot paths. */
  readonly num: Record<string, number> = Object.create(null);
  private readonly listeners: Listener[] = [];
  /** Set once the server is running: immutable parameters are then refused. */
  started = false;

  constructor() {
    for (const spec of CONFIG_TABLE) {
      this.specs.set(spec.name, spec);
      for (const a of spec.aliases ?? []) this.specs.set(a, spec);
      this.store(spec, this.normalize(spec, spec.default));
    }
  }

  /** Canonical name of a parameter or alias, or undefined when unknown. */
  lookup(name: string): ConfigSpec | undefined {
    return this.specs.get(name.toLowerCase());
  }

  get(name: string): string {
    const spec = this.lookup(name);
    if (!spec) throw new Error(`unknown config parameter '${name}'`);
    return this.values.get(spec.name)!;
  }

  /** The value as it was last given (CONFIG SET or file), before canonicalisation. */
  given(name: string): string {
    const spec = this.lookup(name);
    if (!spec) throw new Error(`unknown config parameter '${name}'`);
    return this.givenText.get(spec.name) ?? this.values.get(spec.name)!;
  }

  onChange(listener: Listener): void {
    this.listeners.push(listener);
  }

  /** CONFIG GET: every name (aliases included, as Redis lists them) matching any of the patterns. */
  getMatching(patterns: string[]): Array<[string, string]> {
    const out = new Map<string, string>();
    for (const pattern of patterns) {
      const lower = pattern.toLowerCase();
      const exact = this.specs.get(lower);
      if (exact && !/[*?[\\]/.test(lower)) {
        out.set(lower, this.values.get(exact.name)!);
        continue;
      }
      for (const [name, spec] of this.specs) {
        if (globMatch(lower, name)) out.set(name, this.values.get(spec.name)!);
      }
    }
    return [...out];
  }

  /**
   * CONFIG SET with one or more pairs: all are validated first, then applied together; on a bad
   * value nothing changes. Throws Error with Redis's full error text.
   */
  setMany(pairs: Array<[string, string]>, opts: { runtime?: boolean } = {}): void {
    const runtime = opts.runtime ?? this.started;
    const seen = new Set<string>();
    const staged: Array<[ConfigSpec, string, string]> = [];
    for (const [rawName, value] of pairs) {
      const spec = this.lookup(rawName);
      if (!spec) throw new Error(`ERR Unknown option or number of arguments for CONFIG SET - '${rawName}'`);
      if (seen.has(spec.name)) throw new Error(`ERR CONFIG SET failed (possibly related to argument '${rawName}') - duplicate parameter`);
      seen.add(spec.name);
      if (runtime && spec.flags?.includes('immutable'))
        throw new Error(`ERR CONFIG SET failed (possibly related to argument '${rawName}') - can't set immutable config`);
      if (runtime && spec.flags?.includes('protected') && this.get('enable-protected-configs') === 'no')
        throw new Error(`ERR CONFIG SET failed (possibly related to argument '${rawName}') - can't set protected config`);
      try {
        staged.push([spec, this.normalize(spec, value), value]);
      } catch (err) {
        const reason = err instanceof ConfigValueError ? err.message : String(err);
        throw new Error(`ERR CONFIG SET failed (possibly related to argument '${rawName}') - ${reason}`);
      }
    }
    for (const [spec, value, given] of staged) {
      this.store(spec, value);
      this.givenText.set(spec.name, given);
    }
    for (const [spec, value, given] of staged) for (const l of this.listeners) l(spec.name, value, given);
  }

  set(name: string, value: string): void {
    this.setMany([[name, value]]);
  }

  /** Applies a redis.conf-style text: one directive per line, `name arg...`, `#` comments. */
  loadText(text: string, source: string): void {
    const lines = text.split(/\r?\n/);
    lines.forEach((line, i) => {
      const trimmed = line.trim();
      if (!trimmed || trimmed.startsWith('#')) return;
      const words = splitConfigLine(trimmed);
      if (words === null) throw new Error(`${source}:${i + 1}: unbalanced quotes in configuration line`);
      const [name, ...args] = words;
      if (name!.toLowerCase() === 'include') {
        this.loadFile(args[0] ?? '');
        return;
      }
      if (name!.toLowerCase() === 'user') {
        if (args.length === 0) throw new Error(`${source}:${i + 1}: 'user' needs a user name and its rules`);
        this.users.push(args);
        return;
      }
      try {
        this.setMany([[name!, args.join(' ')]], { runtime: false });
      } catch (err) {
        const msg = err instanceof Error ? err.message.replace(/^ERR /, '') : String(err);
        throw new Error(`${source}:${i + 1}: ${msg}`);
      }
    });
  }

  loadFile(path: string): void {
    const text = readFileSync(path, 'utf8');
    this.loadText(text, path);
  }

  /** Every parameter (canonical names only) with its value, for CONFIG REWRITE-like dumps. */
  entries(): Array<[string, string]> {
    return [...this.values];
  }

  private store(spec: ConfigSpec, value: string): void {
    this.values.set(spec.name, value);
    const k = spec.type.kind;
    if (k === 'bool') this.num[spec.name] = value === 'yes' ? 1 : 0;
    else if (k === 'int' || k === 'memory') this.num[spec.name] = Number(value);
  }

  /** Validates `value` for `spec` and returns its canonical text (as CONFIG GET prints it). */
  private normalize(spec: ConfigSpec, value: string): string {
    const t = spec.type;
    switch (t.kind) {
      case 'bool': {
        const v = value.toLowerCase();
        if (v !== 'yes' && v !== 'no') throw new ConfigValueError("argument must be 'yes' or 'no'");
        VALIDATORS[spec.name]?.(v);
        return v;
      }
      case 'int': {
        const n = parseIntStrict(value);
        if (n === null) throw new ConfigValueError("argument couldn't be parsed into an integer");
        checkRange(BigInt(value), t.min, t.max);
        if (spec.name === 'hz') return String(Math.min(Math.max(n, 1), 500));
        return String(BigInt(value));
      }
      case 'memory': {
        if (t.percent && /^\d+%$/.test(value)) {
          const pct = Number(value.slice(0, -1));
          if (pct > 100) throw new ConfigValueError('percentage argument must be less or equal to 100');
          return value;
        }
        const n = value === '' ? 0 : parseMemory(value);
        if (n === null || n < 0) throw new ConfigValueError(t.percent ? 'argument must be a memory or percent value' : 'argument must be a memory value');
        checkRange(BigInt(n), t.min, t.max);
        return String(Math.max(n, MEMORY_FLOORS[spec.name] ?? 0));
      }
      case 'enum': {
        const v = value.toLowerCase();
        if (!t.values.includes(v))
          throw new ConfigValueError(`argument(s) must be one of the following: ${t.values.join(', ')}`);
        return ENUM_SYNONYMS[spec.name]?.[v] ?? v;
      }
      case 'string':
        VALIDATORS[spec.name]?.(value);
        return value;
      case 'special':
        return normalizeSpecial(spec.name, value, this.values);
    }
  }
}

function normalizeSpecial(name: string, value: string, current: Map<string, string>): string {
  const words = value.split(/\s+/).filter(Boolean);
  switch (name) {
    case 'save': {
      if (words.length % 2 !== 0 || words.some((w) => parseIntStrict(w) === null || Number(w) < 0))
        throw new ConfigValueError('Invalid save parameters');
      return words.join(' ');
    }
    case 'client-output-buffer-limit': {
      if (words.length % 4 !== 0) throw new ConfigValueError('Wrong number of arguments in buffer limit configuration.');
      const limits = new Map<string, number[]>();
      const cur = (current.get(name) ?? 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60').split(' ');
      for (let i = 0; i < cur.length; i += 4) limits.set(cur[i]!, cur.slice(i + 1, i + 4).map(Number));
      for (let i = 0; i < words.length; i += 4) {
        let cls = words[i]!.toLowerCase();
        if (cls === 'replica' || cls === 'master') cls = cls === 'replica' ? 'slave' : cls;
        if (!(OBUF_CLASSES as readonly string[]).includes(cls)) throw new ConfigValueError('Invalid client class specified in buffer limit configuration.');
        const hard = parseMemory(words[i + 1]!);
        const soft = parseMemory(words[i + 2]!);
        const secs = parseIntStrict(words[i + 3]!);
        if (hard === null || soft === null || secs === null || hard < 0 || soft < 0 || secs < 0)
          throw new ConfigValueError('Error in hard, soft or soft_seconds setting in buffer limit configuration.');
        limits.set(cls, [hard, soft, secs]);
      }
      return OBUF_CLASSES.map((c) => `${c} ${limits.get(c)!.join(' ')}`).join(' ');
    }
    case 'oom-score-adj-values': {
      if (words.length !== 3) throw new ConfigValueError('wrong number of arguments');
      if (words.some((w) => parseIntStrict(w) === null || Math.abs(Number(w)) > 2000))
        throw new ConfigValueError('Invalid oom-score-adj-values, elements must be between -2000 and 2000.');
      return words.join(' ');
    }
    case 'latency-tracking-info-percentiles': {
      const nums = words.map((w) => (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(w) ? Number(w) : NaN));
      if (nums.some((n) => Number.isNaN(n))) throw new ConfigValueError('Invalid latency-tracking-info-percentiles parameters');
      if (nums.some((n) => n < 0 || n > 100)) throw new ConfigValueError('latency-tracking-info-percentiles parameters should sit between [0.0,100.0]');
      return nums.map((n) => String(n)).join(' ');
    }
    case 'notify-keyspace-events': {
      for (const ch of value) if (!KEYSPACE_EVENT_FLAGS.includes(ch)) throw new ConfigValueError("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
      return canonicalKeyspaceEvents(value);
    }
    case 'unixsocketperm': {
      if (!/^[0-7]+$/.test(value)) throw new ConfigValueError('Invalid socket file permissions');
      return String(parseInt(value, 8).toString(8));
    }
    case 'dir':
      return value === '.' ? value : resolve(value);
    case 'bind':
    case 'replicaof':
    case 'requirepass':
      return words.join(' ') === '' && name !== 'requirepass' ? '' : name === 'requirepass' ? value : words.join(' ');
    default:
      return value;
  }
}

/** Orders keyspace-event flags as Redis prints them: "A" stands for all of g$lshzxetd (not n or m). */
function canonicalKeyspaceEvents(flags: string): string {
  const set = new Set(flags);
  const all = 'g$lshzxetd';
  let out = set.has('A') || [...all].every((c) => set.has(c)) ? 'A' : [...all + 'n'].filter((c) => set.has(c)).join('');
  for (const c of 'KEm') if (set.has(c)) out += c;
  return out;
}

/** Splits a redis.conf line into words, honouring double and single quotes. */
export function splitConfigLine(line: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i]!)) i++;
    if (i >= line.length) break;
    let word = '';
    if (line[i] === '"' || line[i] === "'") {
      const q = line[i]!;
      i++;
      while (i < line.length && line[i] !== q) {
        if (line[i] === '\\' && q === '"' && i + 1 < line.length) {
          i++;
          word += ({ n: '\n', r: '\r', t: '\t' } as Record<string, string>)[line[i]!] ?? line[i];
        } else word += line[i];
        i++;
      }
      if (i >= line.length) return null;
      i++;
    } else {
      while (i < line.length && !/\s/.test(line[i]!)) word += line[i++];
    }
    out.push(word);
  }
  return out;
}
