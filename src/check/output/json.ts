// `--format json`: the report as one document, {ok, projected, checks, inputs, budget}; checks
// carry {id, input, ok, skipped, value, limit, message}; inputs carry each input's projection and
// notes (its checks are the top-level ones with its name). Stable field names: scripts read it.

import type { CheckReport } from '../evaluate.js';

export function renderJson(r: CheckReport): string {
  const inputs = r.inputs.map(({ checks: _checks, ...rest }) => rest);
  return JSON.stringify({ ok: r.ok, projected: r.projected, checks: r.checks, inputs, budget: r.budget }, null, 2) + '\n';
}
