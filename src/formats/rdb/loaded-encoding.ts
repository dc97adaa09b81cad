// Which OBJECT ENCODING a value gets once Redis 7.0.15 has loaded it (rdb.c rdbLoadObject with
// the default thresholds). The reader collects a few facts per value while it walks it (element
// count, longest element, total bytes, whether every set member is an integer) and this table
// turns them into the encoding, so the rules can be read and diffed against rdb.c in one place.
//
// What 7.0 does, per RDB type:
// - string: int when the text is a canonical int64 of at most 20 characters, embstr up to 44
//   bytes, raw beyond (tryObjectEncoding).
// - every list type: quicklist (7.0 has no listpack lists).
// - set (2): intset while it has at most set-max-intset-entries members and all are integers,
//   else hashtable. intset (11): intset unless it has more than set-max-intset-entries members.
// - zset (3, 5): listpack when count <= zset-max-listpack-entries, every member <=
//   zset-max-listpack-value bytes and the total fits a listpack; else skiplist. ziplist/listpack
//   zsets (12, 17): skiplist only when count exceeds zset-max-listpack-entries (no length check).
// - hash (4): hashtable when count > hash-max-listpack-entries or any field/value is longer than
//   hash-max-listpack-value; zipmap (9) the same; ziplist/listpack hashes (13, 16): hashtable only
//   when count > hash-max-listpack-entries.
// Types written after 7.0 (20-25) cannot be loaded by 7.0; they get the encoding 7.0 would pick
// for the same data written the older way (20 as a set of type 2, 22/24 as type 4, 23/25 as 16).

import type { LoadedEncoding } from './records.js';

/** Redis 7.0 defaults (redis.conf) the load-time conversions compare against. */
export const LOAD_THRESHOLDS = {
  setMaxIntsetEntries: 512,
  zsetMaxListpackEntries: 128,
  zsetMaxListpackValue: 64,
  hashMaxListpackEntries: 512,
  hashMaxListpackValue: 64,
  /** LISTPACK_MAX_SAFETY_SIZE: a listpack never grows past 1 GiB. */
  listpackSafetySize: 1 << 30,
  /** OBJ_ENCODING_EMBSTR_SIZE_LIMIT. */
  embstrMaxLength: 44,
  /** Longest text string2ll accepts (LONG_STR_SIZE - 1). */
  intMaxLength: 20,
} as const;

export type LoadThresholds = typeof LOAD_THRESHOLDS;

/** What the reader learned about a value while walking it. */
export interface LoadFacts {
  /** Elements (pairs for hashes and zsets). */
  count: number;
  /** Longest element in bytes (the longer of field and value for hashes; member for zsets). */
  maxLength: number;
  /** Sum of element lengths (members only for zsets). */
  totalLength: number;
  /** Strings: the value is a canonical int64 text. Sets: every member is. */
  allIntegers: boolean;
}

type Rule = (f: LoadFacts, t: LoadThresholds) => LoadedEncoding;

const rules = {
  string: (f, t) => (f.allIntegers && f.maxLength <= t.intMaxLength ? 'int' : f.maxLength <= t.embstrMaxLength ? 'embstr' : 'raw'),
  list: () => 'quicklist',
  setFromMembers: (f, t) => (f.count <= t.setMaxIntsetEntries && f.allIntegers ? 'intset' : 'hashtable'),
  setFromIntset: (f, t) => (f.count <= t.setMaxIntsetEntries ? 'intset' : 'hashtable'),
  zsetFromMembers: (f, t) =>
    f.count <= t.zsetMaxListpackEntries && f.maxLength <= t.zsetMaxListpackValue && f.totalLength <= t.listpackSafetySize
      ? 'listpack'
      : 'skiplist',
  zsetFromPacked: (f, t) => (f.count <= t.zsetMaxListpackEntries ? 'listpack' : 'skiplist'),
  hashFromFields: (f, t) =>
    f.count <= t.hashMaxListpackEntries && f.maxLength <= t.hashMaxListpackValue ? 'listpack' : 'hashtable',
  hashFromPacked: (f, t) => (f.count <= t.hashMaxListpackEntries ? 'listpack' : 'hashtable'),
  stream: () => 'stream',
  module: () => 'module',
} satisfies Record<string, Rule>;

/** RDB type code -> the 7.0 load rule (Redis numbering; Valkey's 22 is handled as a hash too). */
export const LOAD_RULE_BY_TYPE: Readonly<Record<number, Rule>> = {
  0: rules.string,
  1: rules.list,
  2: rules.setFromMembers,
  3: rules.zsetFromMembers,
  4: rules.hashFromFields,
  5: rules.zsetFromMembers,
  6: rules.module,
  7: rules.module,
  9: rules.hashFromFields, // zipmap: count and longest field/value, like type 4
  10: rules.list,
  11: rules.setFromIntset,
  12: rules.zsetFromPacked,
  13: rules.hashFromPacked,
  14: rules.list,
  15: rules.stream,
  16: rules.hashFromPacked,
  17: rules.zsetFromPacked,
  18: rules.list,
  19: rules.stream,
  20: rules.setFromMembers,
  21: rules.stream,
  22: rules.hashFromFields,
  23: rules.hashFromPacked,
  24: rules.hashFromFields,
  25: rules.hashFromPacked,
};

export function loadedEncoding(rdbType: number, facts: LoadFacts, t: LoadThresholds = LOAD_THRESHOLDS): LoadedEncoding {
  const rule = LOAD_RULE_BY_TYPE[rdbType];
  if (!rule) throw new Error(`no load rule for RDB type ${rdbType}`);
  return rule(facts, t);
}
