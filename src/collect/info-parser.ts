// INFO text → typed data. Every `field:value` line is kept (unknown fields too, so a newer server's
// additions reach the exporter and the JSON output), grouped by section; the structured sections
// (commandstats, errorstats, latencystats, keyspace, replication's slaveN lines) are parsed into
// records. Numbers are read on demand with num(), so a field that is text on one version and a
// number on another never breaks the parse.

export interface CommandStat {
  calls: number;
  usec: number;
  usecPerCall: number;
  rejectedCalls: number;
  failedCalls: number;
}

export interface KeyspaceDb {
  keys: number;
  expires: number;
  avgTtl: number;
  /** 7.2+: keys in the subexpiry (hash field TTL) dict; absent elsewhere. */
  subexpiry?: number;
}

export interface ReplicaLine {
  id: number;
  ip: string;
  port: number;
  state: string;
  offset: number;
  lag: number;
}

export interface ParsedInfo {
  /** section name (lower case, as in "# Memory") → field → raw text */
  sections: Record<string, Record<string, string>>;
  /** All fields of all sections, flattened (later sections win on a name clash, which INFO never has). */
  fields: Record<string, string>;
  commandstats: Record<string, CommandStat>;
  errorstats: Record<string, number>;
  /** command → { p50: µs, p99: µs, "p99.9": µs, ... } */
  latencystats: Record<string, Record<string, number>>;
  keyspace: Record<number, KeyspaceDb>;
  replicas: ReplicaLine[];
}

/** Splits "a=1,b=2" into a map (values stay text). */
function kv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return out;
}

const n = (s: string | undefined): number => (s === undefined ? NaN : Number(s));

/** Structured sub-parsers: which lines feed which record. */
const STRUCTURED: Array<{ section: string; match: RegExp; take: (info: ParsedInfo, m: RegExpExecArray, value: string) => void }> = [
  {
    section: 'commandstats',
    match: /^cmdstat_(.+)$/,
    take(info, m, value) {
      const f = kv(value);
      info.commandstats[m[1]!] = {
        calls: n(f['calls']),
        usec: n(f['usec']),
        usecPerCall: n(f['usec_per_call']),
        rejectedCalls: n(f['rejected_calls'] ?? '0'),
        failedCalls: n(f['failed_calls'] ?? '0'),
      };
    },
  },
  {
    section: 'errorstats',
    match: /^errorstat_(.+)$/,
    take(info, m, value) {
      info.errorstats[m[1]!] = n(kv(value)['count']);
    },
  },
  {
    section: 'latencystats',
    match: /^latency_percentiles_usec_(.+)$/,
    take(info, m, value) {
      const out: Record<string, number> = {};
      for (const [k, v] of Object.entries(kv(value))) out[k] = n(v);
      info.latencystats[m[1]!] = out;
    },
  },
  {
    section: 'keyspace',
    match: /^db(\d+)$/,
    take(info, m, value) {
      const f = kv(value);
      const db: KeyspaceDb = { keys: n(f['keys']), expires: n(f['expires']), avgTtl: n(f['avg_ttl'] ?? '0') };
      if (f['subexpiry'] !== undefined) db.subexpiry = n(f['subexpiry']);
      info.keyspace[Number(m[1])] = db;
    },
  },
  {
    section: 'replication',
    match: /^slave(\d+)$/,
    take(info, m, value) {
      const f = kv(value);
      info.replicas.push({ id: Number(m[1]), ip: f['ip'] ?? '', port: n(f['port']), state: f['state'] ?? '', offset: n(f['offset']), lag: n(f['lag']) });
    },
  },
];

/** The structured sub-parser of each section that has one. */
const STRUCTURED_BY_SECTION = new Map(STRUCTURED.map((s) => [s.section, s]));

export function parseInfo(text: string): ParsedInfo {
  const info: ParsedInfo = { sections: {}, fields: {}, commandstats: {}, errorstats: {}, latencystats: {}, keyspace: {}, replicas: [] };
  let current: Record<string, string> = (info.sections['unknown'] = {});
  let structured: (typeof STRUCTURED)[number] | undefined;
  // Line by line without splitting the text first: INFO ALL is a few hundred lines per poll.
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const next = end + 1;
    if (end > start && text.charCodeAt(end - 1) === 13) end--; // "\r\n"
    if (end === start) {
      start = next;
      continue;
    }
    if (text.charCodeAt(start) === 35) {
      // "# Section"
      const section = text.slice(start + 1, end).trim().toLowerCase();
      current = info.sections[section] ??= {};
      structured = STRUCTURED_BY_SECTION.get(section);
      start = next;
      continue;
    }
    const colon = text.indexOf(':', start);
    if (colon > start && colon < end) {
      const field = text.slice(start, colon);
      const value = text.slice(colon + 1, end);
      current[field] = value;
      info.fields[field] = value;
      if (structured) {
        const m = structured.match.exec(field);
        if (m) structured.take(info, m, value);
      }
    }
    start = next;
  }
  if (Object.keys(info.sections['unknown'] ?? {}).length === 0) delete info.sections['unknown'];
  return info;
}

/** A numeric field, or `fallback` when it is missing or not a number. */
export function num(info: ParsedInfo, field: string, fallback = NaN): number {
  const v = info.fields[field];
  if (v === undefined || v === '') return fallback;
  const x = Number(v);
  return Number.isFinite(x) ? x : fallback;
}

/** A text field, or `fallback` when missing. */
export function str(info: ParsedInfo, field: string, fallback = ''): string {
  return info.fields[field] ?? fallback;
}

/** "7.0.15" → [7, 0, 15]; unknown parts are 0. */
export function versionTuple(version: string): [number, number, number] {
  const [a, b, c] = version.split('.').map((x) => parseInt(x, 10));
  return [a || 0, b || 0, c || 0];
}

/** True when `version` is at least `min` ("7.4.0"). */
export function versionAtLeast(version: string, min: string): boolean {
  const v = versionTuple(version);
  const m = versionTuple(min);
  for (let i = 0; i < 3; i++) if (v[i] !== m[i]) return v[i]! > m[i]!;
  return true;
}
