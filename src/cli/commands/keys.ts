// `redscope keys`: samples the keyspace with SCAN (never KEYS), pipelined TYPE + MEMORY USAGE +
// length, paced by --sleep / --max-ops so a busy server is not hurried, and reports the biggest
// keys per type (redis-cli --bigkeys / --memkeys), the top keys by memory, hot keys under an LFU
// policy, prefixes and keys without TTL. With --cluster every master is scanned and the results
// merged (replicas hold the same keys). A progress line on a terminal; quiet with --json.

import type { Command } from 'commander';
import { createElement } from 'react';
import { KeysReport, type KeyRef } from '../../analyze/keys.js';
import { sampleKeys, type KeySample } from '../../collect/key-sampler.js';
import { UserError } from '../../common/errors.js';
import { keyText } from '../../report/key-text.js';
import type { KeysResult } from '../render/keys-view.js';
import { progressWanted } from '../progress.js';
import {
  addReportOptions,
  addTargetOptions,
  collectorFor,
  emitResults,
  openTargetLink,
  parseSeconds,
  parseWhole,
  resolveTargets,
  type PerTarget,
  type ResolvedTarget,
  type TargetFlags,
} from '../target-options.js';

interface KeysOptions extends TargetFlags {
  sample?: string;
  match?: string;
  count: string;
  sleep?: string;
  maxOps?: string;
  top: string;
  hot?: boolean;
  memorySamples: string;
  separator: string;
  depth: string;
  json?: boolean;
}

/** The stderr progress line: keys scanned, of how many, and the pace. */
function keysProgress(enabled: boolean): { update(scanned: number, total: number | null): void; done(): void } {
  if (!enabled) return { update() {}, done() {} };
  const stream = process.stderr;
  const color = !process.env['NO_COLOR'];
  const start = Date.now();
  let last = 0;
  let drawn = false;
  return {
    update(scanned, total) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      const rate = Math.round(scanned / Math.max((now - start) / 1000, 0.001)).toLocaleString('en-US');
      let line = `${scanned.toLocaleString('en-US')} keys  ${rate} keys/s`;
      if (total && total > 0) {
        const frac = Math.min(1, scanned / total);
        const filled = Math.round(frac * 30);
        const bar = '#'.repeat(filled) + '-'.repeat(30 - filled);
        line = `${(frac * 100).toFixed(1).padStart(5)}%  ${color ? `\x1b[36m${bar}\x1b[0m` : bar}  ${scanned.toLocaleString('en-US')}/${total.toLocaleString('en-US')} keys  ${rate} keys/s`;
      }
      stream.write(`\r${line}\x1b[K`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}

interface Group {
  name: string;
  targets: ResolvedTarget[];
  cluster: boolean;
}

export function registerKeys(program: Command): void {
  const cmd = program.command('keys').description('sample the keyspace with SCAN: biggest keys per type, top by memory, hot keys, prefixes, TTL-less keys');
  addTargetOptions(cmd);
  addReportOptions(cmd, false);
  cmd
    .option('--sample <n>', 'stop after this many keys (default: the whole keyspace)')
    .option('--match <glob>', 'only keys matching this SCAN MATCH pattern')
    .option('--count <n>', 'SCAN COUNT hint per batch', '100')
    .option('--sleep <seconds>', 'pause between SCAN batches (spares a busy server)')
    .option('--max-ops <n>', 'cap on commands per second sent to each server')
    .option('--top <n>', 'keys in the top-by-memory and hot lists, prefixes per level', '10')
    .option('--hot', 'ask OBJECT FREQ for hot keys (automatic under an LFU maxmemory-policy)')
    .option('--memory-samples <n>', 'MEMORY USAGE SAMPLES: 0 = every element (exact; redis-cli --memkeys-samples 0 instead means the server default, 5)', '0')
    .option('--separator <s>', 'prefix separator', ':')
    .option('--depth <n>', 'prefix levels', '2')
    .action(async (opts: KeysOptions) => {
      const limit = opts.sample !== undefined ? parseWhole(opts.sample, '--sample', 1) : undefined;
      const count = parseWhole(opts.count, '--count', 1, 1_000_000);
      const sleepSeconds = opts.sleep !== undefined ? parseSeconds(opts.sleep, '--sleep', 0, 60) : undefined;
      const maxOps = opts.maxOps !== undefined ? parseWhole(opts.maxOps, '--max-ops', 1) : undefined;
      const top = parseWhole(opts.top, '--top', 1, 10_000);
      const memorySamples = parseWhole(opts.memorySamples, '--memory-samples', 0);
      const depth = parseWhole(opts.depth, '--depth', 1, 16);
      if (opts.separator === '') throw new UserError('--separator must not be empty');
      const set = await resolveTargets(opts);
      // On a cluster the masters together hold every key once: one merged report.
      const groups: Group[] = set.cluster
        ? [{ name: `cluster via ${set.targets[0]!.spec.name}`, targets: set.targets.filter((t) => t.node?.role === 'master'), cluster: true }]
        : set.targets.map((t) => ({ name: t.spec.name, targets: [t], cluster: false }));
      const progress = keysProgress(progressWanted(opts.json === true));
      let stop = false;
      const onSigint = (): void => void (stop = true);
      process.once('SIGINT', onSigint);
      const per: Array<PerTarget<KeysResult>> = [];
      try {
        for (const g of groups) {
          const report = new KeysReport({ top, separator: opts.separator, depth });
          const byMemory = new Map<string, KeySample>();
          const visit = (s: KeySample): void => {
            report.add(s);
            const cur = byMemory.get(s.type);
            if (s.memoryBytes !== null && (!cur || s.memoryBytes > (cur.memoryBytes ?? -1))) byMemory.set(s.type, s);
          };
          const notes: string[] = [];
          let scanned = 0;
          let dbsize: number | null = 0;
          let hotKeys = false;
          const started = Date.now();
          try {
            for (const t of g.targets) {
              const link = await openTargetLink(t, set.timeoutMs);
              try {
                const snap = await collectorFor(link, t).collect();
                const db = snap.info.keyspace[t.spec.db];
                const infoRead = Object.keys(snap.info.fields).length > 0;
                dbsize = dbsize === null || !infoRead ? null : dbsize + (db?.keys ?? 0);
                const lfu = (snap.config['maxmemory-policy'] ?? '').endsWith('-lfu');
                const hot = lfu || opts.hot === true;
                if (opts.hot && !lfu && snap.capabilities.config) notes.push(`${t.spec.name}: --hot needs an LFU maxmemory-policy (is ${snap.config['maxmemory-policy']}); OBJECT FREQ fails otherwise`);
                hotKeys = hotKeys || (hot && lfu);
                if (!snap.capabilities.memoryStats) notes.push(`${t.spec.name}: MEMORY is not available (${snap.capabilities.notes['memoryStats'] ?? 'refused'}); sizes by memory are missing`);
                const base = scanned;
                const total = opts.match ? null : limit !== undefined ? Math.min(limit, dbsize ?? limit) : dbsize;
                scanned += await sampleKeys(link, visit, {
                  count,
                  match: opts.match,
                  limit: limit !== undefined ? limit - scanned : undefined,
                  memorySamples,
                  sleepSeconds,
                  maxOpsPerSec: maxOps,
                  hotKeys: hot && lfu,
                  capabilities: snap.capabilities,
                  onProgress: (n) => progress.update(base + n, total),
                  aborted: () => stop,
                });
              } finally {
                link.close();
              }
              if (stop || (limit !== undefined && scanned >= limit)) break;
            }
          } catch (err) {
            progress.done();
            if (groups.length === 1 || !(err instanceof UserError)) throw err;
            per.push({ target: g.targets[0]!, ok: false, error: err.message });
            continue;
          }
          progress.done();
          const result = report.finish();
          const biggestByMemory: Record<string, KeyRef> = {};
          for (const [type, s] of byMemory) {
            const { text, escaped } = keyText(s.key);
            biggestByMemory[type] = { key: text, ...(escaped ? { keyEscaped: true as const } : {}), type, length: s.length, memoryBytes: s.memoryBytes, ttlMs: s.ttlMs };
          }
          per.push({
            target: g.targets[0] ?? set.targets[0]!,
            ok: true,
            value: {
              target: g.name,
              ...result,
              ...(g.cluster ? { nodes: g.targets.map((t) => t.spec.name) } : {}),
              dbsize,
              biggestByMemory,
              hotKeys,
              seconds: (Date.now() - started) / 1000,
              interrupted: stop,
              notes,
            },
          });
        }
      } finally {
        progress.done();
        process.removeListener('SIGINT', onSigint);
        await set.close();
      }
      await emitResults(per, { json: opts.json }, async (results) => createElement((await import('../render/keys-view.js')).KeysView, { results }));
    });
}
