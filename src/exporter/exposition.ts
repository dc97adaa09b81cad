// Families → Prometheus text exposition (format 0.0.4), written straight into one string. The
// per-target families are rebuilt from a fresh Snapshot on every scrape (hundreds of samples), and
// handing them to a prom-client Registry means wrapping each in a metric object, asking it for its
// values and formatting every label set through intermediate arrays, which costs more than reading
// the target. The text here is byte for byte what prom-client's Registry#metrics() prints for the
// same families (a test holds the two side by side); prom-client itself keeps serving the
// exporter's own registry (build info, refused requests, process_*), joined after with `joinTexts`.

import type { Family, Labels } from './metrics.js';

/** "# HELP name help\n# TYPE name type" by family name, made once per name, type and help. */
const HEADERS = new Map<string, { type: string; help: string; text: string }>();

/** Backslash and newline escaped, as in HELP text and label values. */
function escapeText(s: string): string {
  return s.includes('\\') || s.includes('\n') ? s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n') : s;
}

function escapeLabelValue(s: string): string {
  const t = escapeText(s);
  return t.includes('"') ? t.replace(/"/g, '\\"') : t;
}

function header(f: Family): string {
  const h = HEADERS.get(f.name);
  if (h && h.type === f.type && h.help === f.help) return h.text;
  const name = escapeText(f.name);
  const text = `# HELP ${name} ${escapeText(f.help)}\n# TYPE ${name} ${f.type}`;
  HEADERS.set(f.name, { type: f.type, help: f.help, text });
  return text;
}

/** `{a="x",b="y"}`, or '' for no labels. */
function labelText(labels: Readonly<Labels>): string {
  let out = '';
  for (const k in labels) out += `${out === '' ? '{' : ','}${k}="${escapeLabelValue(labels[k]!)}"`;
  return out === '' ? '' : `${out}}`;
}

/** Families → exposition text: each family's HELP, TYPE and samples; families apart by a blank line. */
export function writeFamilies(families: Iterable<Family>): string {
  let out = '';
  for (const f of families) {
    if (out !== '') out += '\n\n';
    out += header(f);
    // Values are finite numbers (metrics.ts drops the rest), printed as prom-client prints them.
    for (const s of f.samples) out += `\n${f.name}${s.suffix ?? ''}${labelText(s.labels)} ${s.value}`;
  }
  return out === '' ? '' : `${out}\n`;
}

/** Joins complete exposition texts (ours, a Registry's) with the same blank line between families. */
export function joinTexts(...texts: string[]): string {
  const parts = texts.filter((t) => t !== '' && t !== '\n');
  return parts.map((t, i) => (i < parts.length - 1 ? `${t}\n` : t)).join('');
}
