// The budget file: what a team promises its Redis will stay within (memory after growth, key
// sizes, prefixes, fragmentation, command latency, config). Read from JSON or YAML and checked
// field by field, so a typo fails the build with the file and the field named
// (`budget.yml: memory.growthFactor must be a number >= 1, got "abc"`) instead of a check that
// silently never runs. Sizes are bytes or strings with Redis's units: "8gb" and "512mb" are
// powers of 1024 (as in redis.conf), "8g"/"512m" powers of 1000, "1.5GiB" powers of 1024.

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UserError } from '../common/errors.js';

export interface PrefixBudget {
  /** A Redis glob (KEYS syntax) matched against whole key names: "session:*". */
  match: string;
  maxBytes?: number;
  maxKeys?: number;
}

export interface LatencyBudget {
  /** Percentile thresholds in milliseconds, read from INFO latencystats. */
  p50Ms?: number;
  p99Ms?: number;
  p999Ms?: number;
}

export interface Budget {
  /** Where it was read from, for messages. */
  file: string;
  memory?: {
    /** The instance's memory limit; default: the live target's maxmemory. */
    limitBytes?: number;
    /** The dataset grows by this factor before it is compared (default 1). */
    growthFactor: number;
    minHeadroomPercent?: number;
    /** Extra percent on top of the projected used_memory for allocator fragmentation (default 0). */
    fragmentationAllowancePercent: number;
    /** A ceiling on the projected used_memory_dataset (after growth). */
    maxDatasetBytes?: number;
  };
  keys?: {
    maxKeyBytes?: number;
    maxElements?: number;
    maxNoTtlPercent?: number;
    maxKeys?: number;
  };
  prefixes: PrefixBudget[];
  fragmentation?: { maxRatio: number };
  latency?: { commands: Record<string, LatencyBudget> };
  /** Config name -> accepted values (any one). */
  config: Record<string, string[]>;
}

const BIN = 1024;
const DEC = 1000;
/** Size unit (lower case) -> multiplier. Redis's convention: "gb" binary, "g" decimal. */
const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: DEC,
  kb: BIN,
  kib: BIN,
  m: DEC ** 2,
  mb: BIN ** 2,
  mib: BIN ** 2,
  g: DEC ** 3,
  gb: BIN ** 3,
  gib: BIN ** 3,
  t: DEC ** 4,
  tb: BIN ** 4,
  tib: BIN ** 4,
};

/** A size as a number of bytes or a string ("8gb", "512mb", "1.5GiB"); null when not a size. */
export function parseSize(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? Math.round(v) : null;
  if (typeof v !== 'string') return null;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(v);
  if (!m) return null;
  const unit = SIZE_UNITS[m[2]!.toLowerCase()];
  if (unit === undefined) return null;
  return Math.round(Number(m[1]) * unit);
}

/** Reads fields of one object, naming each bad one as `path.field`. */
class Fields {
  private readonly seen = new Set<string>();
  constructor(
    private readonly file: string,
    readonly path: string,
    private readonly obj: Record<string, unknown>,
  ) {}

  fail(field: string, want: string, got: unknown): never {
    throw this.error(field, want, got);
  }

  error(field: string, want: string, got: unknown): UserError {
    return new UserError(`${this.file}: ${this.name(field)} ${want}, got ${show(got)}`);
  }

  name(field: string): string {
    return this.path ? `${this.path}.${field}` : field;
  }

  /** The field names present (for maps such as latency.commands). */
  keys(): string[] {
    return Object.keys(this.obj);
  }

  raw(field: string): unknown {
    this.seen.add(field);
    return this.obj[field];
  }

  number(field: string, min: number, max = Infinity, want?: string): number | undefined {
    const v = this.raw(field);
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
      this.fail(field, want ?? (max === Infinity ? `must be a number >= ${min}` : `must be a number from ${min} to ${max}`), v);
    }
    return v;
  }

  size(field: string): number | undefined {
    const v = this.raw(field);
    if (v === undefined) return undefined;
    const n = parseSize(v);
    if (n === null) this.fail(field, 'must be a size in bytes (a number, or a string like "8gb", "512mb", "1.5GiB")', v);
    return n;
  }

  whole(field: string): number | undefined {
    const v = this.number(field, 0, Infinity, 'must be a whole number >= 0');
    if (v !== undefined && !Number.isInteger(v)) this.fail(field, 'must be a whole number >= 0', v);
    return v;
  }

  object(field: string): Fields | undefined {
    const v = this.raw(field);
    if (v === undefined) return undefined;
    if (!isObject(v)) this.fail(field, 'must be an object', v);
    return new Fields(this.file, this.name(field), v);
  }

  /** Unknown fields are errors: a misspelt limit must not pass silently. */
  done(): void {
    for (const k of Object.keys(this.obj)) {
      if (!this.seen.has(k)) throw new UserError(`${this.file}: ${this.name(k)} is not a budget field (known here: ${[...this.seen].join(', ')})`);
    }
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function show(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return JSON.stringify(v);
}

function readMemory(f: Fields): Budget['memory'] {
  const m = {
    limitBytes: f.size('limitBytes'),
    growthFactor: f.number('growthFactor', 1) ?? 1,
    minHeadroomPercent: f.number('minHeadroomPercent', 0, 100),
    fragmentationAllowancePercent: f.number('fragmentationAllowancePercent', 0, 1000) ?? 0,
    maxDatasetBytes: f.size('maxDatasetBytes'),
  };
  f.done();
  return m;
}

function readKeys(f: Fields): Budget['keys'] {
  const k = { maxKeyBytes: f.size('maxKeyBytes'), maxElements: f.whole('maxElements'), maxNoTtlPercent: f.number('maxNoTtlPercent', 0, 100), maxKeys: f.whole('maxKeys') };
  f.done();
  return k;
}

function readPrefixes(file: string, v: unknown): PrefixBudget[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new UserError(`${file}: prefixes must be a list of {match, maxBytes}, got ${show(v)}`);
  return v.map((item, i) => {
    const path = `prefixes[${i}]`;
    if (!isObject(item)) throw new UserError(`${file}: ${path} must be an object like {"match": "session:*", "maxBytes": "2gb"}, got ${show(item)}`);
    const f = new Fields(file, path, item);
    const match = f.raw('match');
    if (typeof match !== 'string' || match === '') throw f.error('match', 'must be a key glob such as "session:*"', match);
    const p: PrefixBudget = { match };
    const maxBytes = f.size('maxBytes');
    const maxKeys = f.whole('maxKeys');
    if (maxBytes !== undefined) p.maxBytes = maxBytes;
    if (maxKeys !== undefined) p.maxKeys = maxKeys;
    if (maxBytes === undefined && maxKeys === undefined) f.fail('maxBytes', 'is needed (or maxKeys)', undefined);
    f.done();
    return p;
  });
}

function readLatency(f: Fields): Budget['latency'] {
  const commands: Record<string, LatencyBudget> = {};
  const c = f.object('commands');
  f.done();
  if (!c) return { commands };
  for (const name of c.keys()) {
    const cf = c.object(name)!;
    const lb: LatencyBudget = {};
    for (const p of ['p50Ms', 'p99Ms', 'p999Ms'] as const) {
      const v = cf.number(p, 0);
      if (v !== undefined) lb[p] = v;
    }
    cf.done();
    if (Object.keys(lb).length === 0) cf.fail('p99Ms', 'is needed (or p50Ms, p999Ms)', undefined);
    commands[name.toLowerCase()] = lb;
  }
  return { commands };
}

function readConfig(file: string, v: unknown): Record<string, string[]> {
  if (v === undefined) return {};
  if (!isObject(v)) throw new UserError(`${file}: config must be an object of config name -> accepted values, got ${show(v)}`);
  const out: Record<string, string[]> = {};
  for (const [name, want] of Object.entries(v)) {
    const list = Array.isArray(want) ? want : [want];
    if (list.length === 0 || !list.every((x) => typeof x === 'string' || typeof x === 'number')) {
      throw new UserError(`${file}: config.${name} must be a value or a list of accepted values, got ${show(want)}`);
    }
    out[name.toLowerCase()] = list.map(String);
  }
  return out;
}

/** Validates a parsed budget document; `file` names it in messages. */
export function validateBudget(doc: unknown, file: string): Budget {
  if (!isObject(doc)) throw new UserError(`${file}: a budget must be an object (memory, keys, prefixes, fragmentation, latency, config), got ${show(doc)}`);
  const top = new Fields(file, '', doc);
  const memory = top.object('memory');
  const keys = top.object('keys');
  const frag = top.object('fragmentation');
  const latency = top.object('latency');
  const budget: Budget = {
    file,
    prefixes: readPrefixes(file, top.raw('prefixes')),
    config: readConfig(file, top.raw('config')),
  };
  if (memory) budget.memory = readMemory(memory);
  if (keys) budget.keys = readKeys(keys);
  if (frag) {
    const maxRatio = frag.number('maxRatio', 1);
    if (maxRatio === undefined) throw frag.error('maxRatio', 'is needed (a number >= 1)', undefined);
    frag.done();
    budget.fragmentation = { maxRatio };
  }
  if (latency) budget.latency = readLatency(latency);
  top.done();
  return budget;
}

/** Reads and validates a budget file (.json, or YAML for anything else). */
export function loadBudget(path: string): Budget {
  const name = basename(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? `${path}: no such budget file` : `${path}: cannot read the budget (${code ?? String(err)})`);
  }
  let doc: unknown;
  try {
    doc = path.toLowerCase().endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new UserError(`${name}: not valid ${path.toLowerCase().endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message.split('\n')[0]}`);
  }
  return validateBudget(doc, name);
}
