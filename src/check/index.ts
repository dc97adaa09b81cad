// The capacity check's public surface: load a budget, gather facts about inputs, evaluate them,
// render the verdict in the format a CI system wants. The CLI (cli/commands/check.ts) wires it.

import type { CheckReport } from './evaluate.js';
import { renderGithub } from './output/github.js';
import { renderJson } from './output/json.js';
import { renderJunit } from './output/junit.js';
import { renderMarkdown } from './output/markdown.js';
import { renderText } from './output/text.js';

export { loadBudget, validateBudget, parseSize, type Budget } from './budget.js';
export { evaluate, combine, project, type CheckReport, type CheckResult, type InputVerdict, type Projection } from './evaluate.js';
export { fileFacts, aofFacts, liveFacts, needsKeySample, type InputFacts, type GlobMatcher } from './inputs.js';

export type CheckFormat = 'text' | 'json' | 'junit' | 'github' | 'markdown';

/** Format name -> renderer. */
export const RENDERERS: Record<CheckFormat, (r: CheckReport, opts: { warnOnly?: boolean }) => string> = {
  text: renderText,
  json: renderJson,
  junit: renderJunit,
  github: renderGithub,
  markdown: renderMarkdown,
};
