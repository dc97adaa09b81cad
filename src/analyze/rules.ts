// The rule table: every check analyzeSnapshot runs, by area, in one list a reader can scan. Each
// rule documents when it fires and at which severity (`when`), and its numbers live in
// thresholds.ts. Adding a check means adding a row to one of the area tables below.

import type { Rule } from './finding.js';
import { CLIENT_RULES } from './rules-clients.js';
import { COMMAND_RULES } from './rules-commands.js';
import { LATENCY_RULES } from './rules-latency.js';
import { MEMORY_RULES } from './rules-memory.js';
import { PERSISTENCE_RULES } from './rules-persistence.js';
import { REPLICATION_RULES } from './rules-replication.js';
import { SECURITY_RULES } from './rules-security.js';

export const RULES: readonly Rule[] = [
  ...MEMORY_RULES,
  ...PERSISTENCE_RULES,
  ...CLIENT_RULES,
  ...SECURITY_RULES,
  ...REPLICATION_RULES,
  ...COMMAND_RULES,
  ...LATENCY_RULES,
];

/** A rule by id (tests and `--rules` listings). */
export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
