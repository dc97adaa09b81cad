// `redscope latency`: what the server's latency monitor recorded and what to do about it (our
// LATENCY DOCTOR), per-command percentiles, and optionally the client-side view: PING round trips
// sampled like redis-cli --latency (--sample), in windows (--history) or as a spectrum (--dist).
// `--intrinsic SECONDS` instead measures this machine's own scheduling stalls, talking to no server.

import { writeSync } from 'node:fs';
import type { Command } from 'commander';
import { createElement } from 'react';
import { analyzeSnapshot, distribution, latencyReport } from '../../analyze/index.js';
import { measureIntrinsicLatency } from '../../collect/intrinsic-latency.js';
import { sampleLatency, type LatencySample, type LatencyWindow } from '../../collect/latency-sampler.js';
import type { RedisLink } from '../../target/link.js';
import type { LatencyResult, SampleJson, SampleWindowJson } from '../render/latency-view.js';
import { historyLine, spectrumLine } from '../render/sample-lines.js';
import { notRead } from '../render/not-read.js';
import {
  addReportOptions,
  addTargetOptions,
  collectorFor,
  emitResults,
  forEachTarget,
  parseFailOn,
  parseSeconds,
  parseWhole,
  resolveTargets,
  type TargetFlags,
} from '../target-options.js';

interface LatencyOptions extends TargetFlags {
  sample?: string;
  history?: boolean;
  dist?: boolean;
  window?: string;
  pingInterval: string;
  intrinsic?: string;
  json?: boolean;
  failOn?: string;
}

/** LATENCY HISTORY for each event, in one pipelined batch: [unix seconds, ms] pairs. */
async function histories(link: RedisLink, events: string[]): Promise<Record<string, Array<[number, number]>>> {
  if (events.length === 0) return {};
  const out: Record<string, Array<[number, number]>> = {};
  const replies = await link.batch(events.map((e) => ['LATENCY', 'HISTORY', e]));
  replies.forEach((r, i) => {
    if (!r.ok || !Array.isArray(r.value)) return;
    out[events[i]!] = r.value.filter(Array.isArray).map((p) => [Number((p as unknown[])[0]), Number((p as unknown[])[1])]);
  });
  return out;
}

function windowJson(w: LatencyWindow, dist: boolean): SampleWindowJson {
  const { samplesUs, ...rest } = w;
  return dist ? { ...rest, histogram: distribution(samplesUs).histogram } : rest;
}

function sampleJson(s: LatencySample, dist: boolean): SampleJson {
  return {
    seconds: s.seconds,
    intervalMs: s.intervalMs,
    minMs: s.minUs / 1000,
    avgMs: s.avgUs / 1000,
    maxMs: s.maxUs / 1000,
    ...distribution(s.samplesUs),
    windows: s.windows.map((w) => windowJson(w, dist)),
  };
}

async function runIntrinsic(seconds: number, json: boolean): Promise<void> {
  const live = !json && process.stdout.isTTY === true;
  // The measuring loop blocks the event loop on purpose: progress goes out with synchronous writes.
  const r = measureIntrinsicLatency({
    seconds,
    onNewMax: live ? (us) => writeSync(1, `\rMax latency so far: ${us.toFixed(0)} µs\x1b[K`) : undefined,
  });
  if (live) writeSync(1, '\r\x1b[K');
  if (json) process.stdout.write(JSON.stringify({ intrinsic: r }, null, 2) + '\n');
  else {
    const [{ printView }, { IntrinsicView }] = await Promise.all([import('../render/output.js'), import('../render/latency-view.js')]);
    printView(createElement(IntrinsicView, { r }));
  }
}

export function registerLatency(program: Command): void {
  const cmd = program.command('latency').description('latency monitor events and doctor, per-command percentiles, client-side PING sampling, intrinsic latency');
  addTargetOptions(cmd);
  addReportOptions(cmd);
  cmd
    .option('--sample <seconds>', 'also time PING round trips for this long (like redis-cli --latency)')
    .option('--history', 'print sampled min/avg/max per window as it closes (like --latency-history; default window 15 s, sample 60 s)')
    .option('--dist', 'print the latency spectrum per window (like --latency-dist; default window 1 s, sample 10 s)')
    .option('--window <seconds>', 'window length for --history / --dist')
    .option('--ping-interval <ms>', 'pause between PINGs while sampling', '10')
    .option('--intrinsic <seconds>', "measure THIS machine's intrinsic latency (busy loop, no server) for this long")
    .action(async (opts: LatencyOptions) => {
      const failOn = parseFailOn(opts.failOn);
      if (opts.intrinsic !== undefined) {
        await runIntrinsic(parseSeconds(opts.intrinsic, '--intrinsic', 0.01, 3600), opts.json === true);
        return;
      }
      const dist = opts.dist === true;
      const history = opts.history === true;
      const sampling = opts.sample !== undefined || dist || history;
      const sampleSec = opts.sample !== undefined ? parseSeconds(opts.sample, '--sample', 0.05, 86_400) : history ? 60 : 10;
      const windowSec = opts.window !== undefined ? parseSeconds(opts.window, '--window', 0.05, 86_400) : history ? 15 : dist ? 1 : sampleSec;
      const pingMs = parseWhole(opts.pingInterval, '--ping-interval', 0, 60_000);
      const set = await resolveTargets(opts);
      const several = set.targets.length > 1;
      let stop = false;
      const onSigint = (): void => void (stop = true);
      if (sampling) process.once('SIGINT', onSigint);
      try {
        const per = await forEachTarget(set, async (link, t): Promise<LatencyResult> => {
          const snap = await collectorFor(link, t).collect();
          const events = (snap.latency?.latest ?? []).map((e) => e.event);
          const report = latencyReport(snap, { history: snap.capabilities.latency ? await histories(link, events) : undefined });
          const result: LatencyResult = {
            target: t.spec.name,
            ...report,
            findings: analyzeSnapshot({ snapshot: snap }).filter((f) => f.area === 'latency'),
            notRead: notRead(snap),
          };
          if (sampling) {
            const streaming = !opts.json && (history || dist);
            const sample = await sampleLatency(link, {
              durationMs: sampleSec * 1000,
              intervalMs: pingMs,
              windowMs: windowSec * 1000,
              aborted: () => stop,
              onWindow: streaming
                ? (w) => process.stdout.write((dist ? spectrumLine(windowJson(w, true), several ? t.spec.name : undefined) : historyLine(windowJson(w, false), several ? t.spec.name : undefined)) + '\n')
                : undefined,
            });
            result.sample = sampleJson(sample, dist);
          }
          return result;
        });
        await emitResults(per, { json: opts.json, failOn }, async (results) => createElement((await import('../render/latency-view.js')).LatencyView, { results, dist }));
      } finally {
        process.removeListener('SIGINT', onSigint);
      }
    });
}
