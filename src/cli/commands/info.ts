// `redscope info`: the health check. Takes two Snapshots of each target `--interval` apart (so
// rate-based rules — evictions/s, hit ratio, errors growing — can judge), runs every analyzer rule
// and prints the findings worst first, or JSON for scripts; `--fail-on` turns findings into an exit
// code for cron and CI.

import type { Command } from 'commander';
import { createElement } from 'react';
import type { Collector } from '../../collect/collector.js';
import { analyzeSnapshot } from '../../analyze/index.js';
import { num } from '../../collect/info-parser.js';
import { computeRates, type Rates } from '../../collect/rates.js';
import type { Snapshot } from '../../collect/snapshot.js';
import { UserError } from '../../common/errors.js';
import type { RedisLink } from '../../target/link.js';
import type { InfoResult } from '../render/info-view.js';
import { notRead } from '../render/not-read.js';
import {
  addReportOptions,
  addTargetOptions,
  applyFailOn,
  collectorFor,
  openTargetLink,
  parseFailOn,
  parseSeconds,
  reportTargetFailure,
  resolveTargets,
  type ResolvedTarget,
  type TargetFlags,
} from '../target-options.js';

interface InfoOptions extends TargetFlags {
  interval: string;
  rates: boolean;
  json?: boolean;
  failOn?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function keysOf(s: Snapshot): number {
  return Object.values(s.info.keyspace).reduce((a, db) => a + (Number.isFinite(db.keys) ? db.keys : 0), 0);
}

const orNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

export function infoResult(t: ResolvedTarget, snap: Snapshot, previous: Snapshot | undefined): InfoResult {
  const rates: Rates | undefined = previous ? computeRates(previous, snap) : undefined;
  const findings = analyzeSnapshot({ snapshot: snap, previous, rates });
  const r: InfoResult = {
    target: t.spec.name,
    bundled: t.bundled,
    server: { flavor: snap.identity.flavor, version: snap.identity.version, mode: snap.identity.mode, role: snap.identity.role },
    summary: {
      usedBytes: orNull(num(snap.info, 'used_memory')),
      maxmemoryBytes: orNull(num(snap.info, 'maxmemory')),
      keys: keysOf(snap),
      clients: orNull(num(snap.info, 'connected_clients')),
      uptimeSeconds: orNull(num(snap.info, 'uptime_in_seconds')),
      opsPerSec: rates?.opsPerSec ?? orNull(num(snap.info, 'instantaneous_ops_per_sec')),
      hitRatio: rates?.hitRatio ?? null,
    },
    intervalSeconds: rates ? Number(rates.seconds.toFixed(3)) : null,
    findings,
    notRead: notRead(snap),
  };
  if (t.node) r.node = { id: t.node.id, role: t.node.role, slots: t.node.slots };
  if (Object.keys(snap.info.fields).length === 0) throw new UserError(`${t.spec.name}: INFO could not be read (${snap.problems.join('; ') || 'empty reply'}); nothing to analyse`);
  return r;
}

export function registerInfo(program: Command): void {
  const cmd = program.command('info').description('health check: findings from INFO, CONFIG, SLOWLOG, LATENCY and rates, worst first');
  addTargetOptions(cmd);
  addReportOptions(cmd);
  cmd
    .option('--interval <seconds>', 'time between the two snapshots rates come from', '1')
    .option('--no-rates', 'take one snapshot only (rate-based rules stay silent)')
    .action(async (opts: InfoOptions) => {
      const failOn = parseFailOn(opts.failOn);
      const interval = parseSeconds(opts.interval, '--interval', 0.1, 3600);
      const set = await resolveTargets(opts);
      type Slot = { t: ResolvedTarget; link?: RedisLink; collector?: Collector; first?: Snapshot; result?: InfoResult; error?: string };
      const slots: Slot[] = set.targets.map((t) => ({ t }));
      try {
        // All targets are polled together so one interval serves every target.
        const fail = (slot: Slot, err: unknown): void => {
          if (set.targets.length === 1 || !(err instanceof UserError)) throw err;
          slot.error = err.message;
        };
        await Promise.all(
          slots.map(async (slot) => {
            try {
              slot.link = await openTargetLink(slot.t, set.timeoutMs);
              slot.collector = collectorFor(slot.link, slot.t);
              slot.first = await slot.collector.collect();
              if (!opts.rates) slot.result = infoResult(slot.t, slot.first, undefined);
            } catch (err) {
              fail(slot, err);
            }
          }),
        );
        if (opts.rates && slots.some((s) => s.first)) {
          await sleep(interval * 1000);
          await Promise.all(
            slots.map(async (slot) => {
              if (!slot.collector || !slot.first) return;
              try {
                slot.result = infoResult(slot.t, await slot.collector.collect(), slot.first);
              } catch (err) {
                fail(slot, err);
              }
            }),
          );
        }
      } finally {
        for (const s of slots) s.link?.close();
        await set.close();
      }
      for (const s of slots) if (s.error) reportTargetFailure(s.t.spec.name, s.error);
      const results = slots.filter((s) => s.result).map((s) => s.result!);
      if (opts.json) {
        const docs = slots.map((s) => s.result ?? { target: s.t.spec.name, error: s.error });
        process.stdout.write(JSON.stringify(docs.length === 1 ? docs[0] : docs, null, 2) + '\n');
      } else if (results.length > 0) {
        const [{ printView }, { InfoView }] = await Promise.all([import('../render/output.js'), import('../render/info-view.js')]);
        printView(createElement(InfoView, { results }));
      }
      applyFailOn(
        results.flatMap((r) => r.findings.map((f) => f.severity)),
        failOn,
      );
    });
}
