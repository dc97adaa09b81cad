// The LATENCY command family: LATEST, HISTORY, RESET, GRAPH and DOCTOR over the latency monitor's
// event series (stats/latency-monitor.ts), and HISTOGRAM over the per-command latency histograms
// INFO latencystats also reads (stats/info.ts). Replies have Redis 7.0's shapes: LATEST and
// HISTORY are arrays of integers, GRAPH and DOCTOR verbatim text, HISTOGRAM a map per command of
// `calls` and a cumulative `histogram_usec` map (flat arrays under RESP2). Event names are looked
// up exactly for HISTORY/GRAPH and case-insensitively for RESET, as Redis does.

import { cmd, type CommandSpec, type Ctx } from '../command.js';
import { ReplyError } from '../errors.js';
import type { ReplyWriter } from '../../formats/resp/reply-writer.js';
import { infoState, type LatencyHistogram } from '../stats/info.js';
import { latencyMonitorOf } from '../stats/latency-monitor.js';
import { latencyGraph } from '../stats/latency-graph.js';
import { doctorInputs, latencyReport } from '../stats/latency-doctor.js';
import { lookupByFullName } from './command-docs.js';
import { replyHelp } from './help.js';

const NONE: [number, number, number] = [0, 0, 0];
const FLAGS = ['admin', 'noscript', 'loading', 'stale'] as const;
const ADMIN_ACL = ['admin', 'slow', 'dangerous'];

const LATENCY_HELP = [
  'DOCTOR',
  '    Explain the recorded latency events in plain words, with advice.',
  'GRAPH <event>',
  '    Draw an ASCII graph of the samples of <event>.',
  'HISTORY <event>',
  '    List the (unix time, latency in ms) samples of <event>.',
  'LATEST',
  '    List every event with its latest sample and its all-time high.',
  'RESET [<event> ...]',
  '    Forget the samples of the given events.',
  '    (without arguments: of every event)',
  'HISTOGRAM [COMMAND ...]',
  '    Show the cumulative latency distribution of the given commands (or of every',
  '    command that has run), in microsecond buckets.',
];

// --- HISTOGRAM ------------------------------------------------------------------------------------

/** The first reporting level of Redis's log iteration (1024 ns) and its last one (2^30 ns). */
const FIRST_LEVEL = 1024;
const TOP_LEVEL = 2 ** 30;
/** Highest value the 1 ns..1 s, 2-digit histogram can hold, in µs: what levels past it report. */
const TOP_BUCKET_USEC = Math.floor((255 * 2 ** 22 + 2 ** 22 - 1) / 1000);

/** The histogram's buckets: lowest equivalent value (ns) -> count. */
function bucketCounts(h: LatencyHistogram): Map<number, number> {
  return h['counts'];
}

/**
 * fillCommandCDF's buckets: Redis walks the histogram in doubling levels from 1024 ns and, at each
 * level L, reports the upper bound of L's own bucket (in µs) with the count of every value whose
 * bucket starts at or below L; a level is printed only when that count grew.
 */
export function histogramCdf(h: LatencyHistogram): Array<[usec: number, cumulative: number]> {
  const buckets = [...bucketCounts(h)].sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  let cumulative = 0;
  let i = 0;
  let previous = 0;
  for (let level = FIRST_LEVEL; level < TOP_LEVEL && cumulative < h.total; level *= 2) {
    while (i < buckets.length && buckets[i]![0] <= level) cumulative += buckets[i++]![1];
    if (cumulative > previous) out.push([Math.floor((level + level / 128 - 1) / 1000), cumulative]);
    previous = cumulative;
  }
  // Past the last bucket of the range the iteration ends on the histogram's top bucket.
  if (h.total > previous) out.push([TOP_BUCKET_USEC, h.total]);
  return out;
}

function replyCdf(r: ReplyWriter, h: LatencyHistogram): void {
  r.mapLen(2);
  r.bulk('calls');
  r.int(h.total);
  r.bulk('histogram_usec');
  const cdf = histogramCdf(h);
  r.mapLen(cdf.length);
  for (const [usec, n] of cdf) {
    r.int(usec);
    r.int(n);
  }
}

function latencyHistogram(ctx: Ctx, argv: string[]): void {
  const { engine } = ctx;
  const histograms = infoState(engine).latency;
  const picked: CommandSpec[] = [];
  const withData = (s: CommandSpec): void => {
    if (histograms.has(s.name)) picked.push(s);
  };
  if (argv.length === 2) {
    for (const spec of engine.commands.values()) {
      withData(spec);
      for (const sub of spec.subcommands ?? []) withData(sub);
    }
  } else {
    // Unknown names are skipped; a container brings its subcommands; repeats are repeated.
    for (const name of argv.slice(2)) {
      const spec = lookupByFullName(engine.commands, name);
      if (!spec) continue;
      withData(spec);
      for (const sub of spec.subcommands ?? []) withData(sub);
    }
  }
  ctx.reply.mapLen(picked.length);
  for (const s of picked) {
    ctx.reply.bulk(s.name);
    replyCdf(ctx.reply, histograms.get(s.name)!);
  }
}

// --- event series -----------------------------------------------------------------------------------

function latencyLatest(ctx: Ctx): void {
  const r = ctx.reply;
  const events = latencyMonitorOf(ctx.engine).events;
  r.arrayLen(events.size);
  for (const [name, series] of events) {
    const last = series.last();
    r.arrayLen(4);
    r.bulk(name);
    r.int(last.time);
    r.int(last.latency);
    r.int(series.max);
  }
}

function latencyHistory(ctx: Ctx, argv: string[]): void {
  const series = latencyMonitorOf(ctx.engine).events.get(argv[2]!);
  const samples = series ? series.history() : [];
  ctx.reply.arrayLen(samples.length);
  for (const s of samples) {
    ctx.reply.arrayLen(2);
    ctx.reply.int(s.time);
    ctx.reply.int(s.latency);
  }
}

function latencyGraphCommand(ctx: Ctx, argv: string[]): void {
  const event = argv[2]!;
  const series = latencyMonitorOf(ctx.engine).events.get(event);
  if (!series) throw new ReplyError(`No samples available for event '${event}'`);
  ctx.reply.verbatim(latencyGraph(event, series, Math.floor(Date.now() / 1000)));
}

function latencyReset(ctx: Ctx, argv: string[]): void {
  const monitor = latencyMonitorOf(ctx.engine);
  if (argv.length === 2) return ctx.reply.int(monitor.reset());
  let n = 0;
  for (const event of argv.slice(2)) n += monitor.reset(event);
  ctx.reply.int(n);
}

function latencyDoctor(ctx: Ctx): void {
  ctx.reply.verbatim(latencyReport(latencyMonitorOf(ctx.engine), doctorInputs(ctx.engine)));
}

export const latencyCommands: CommandSpec[] = [
  cmd('latency', -2, [], ['slow'], NONE, 'server', undefined, [
    cmd('latency|doctor', 2, [...FLAGS], ADMIN_ACL, NONE, 'server', latencyDoctor),
    cmd('latency|graph', 3, [...FLAGS], ADMIN_ACL, NONE, 'server', latencyGraphCommand),
    cmd('latency|help', 2, ['loading', 'stale'], ['slow'], NONE, 'server', (ctx, argv) => replyHelp(ctx, argv[0]!, LATENCY_HELP)),
    cmd('latency|histogram', -2, [...FLAGS], ADMIN_ACL, NONE, 'server', latencyHistogram),
    cmd('latency|history', 3, [...FLAGS], ADMIN_ACL, NONE, 'server', latencyHistory),
    cmd('latency|latest', 2, [...FLAGS], ADMIN_ACL, NONE, 'server', latencyLatest),
    cmd('latency|reset', -2, [...FLAGS], ADMIN_ACL, NONE, 'server', latencyReset),
  ]),
];
