// `redscope ping`: is the target reachable, who is it, and how long does a round trip take?
// The quickest connectivity check, and the first thing to run against a new --url.

import type { Command } from 'commander';
import { openTarget } from '../targets.js';
import { identify } from '../../target/identify.js';
import { UserError } from '../../common/errors.js';

interface PingOptions {
  url?: string;
  count: string;
  json?: boolean;
  timeout: string;
}

export function registerPing(program: Command): void {
  program
    .command('ping')
    .description('check that a target answers, show its identity and the round-trip time')
    .option('--url <url>', 'target (redis://user:pass@host:port/db, rediss://, unix:///path); default REDIS_URL or the bundled engine')
    .option('-c, --count <n>', 'number of PINGs', '3')
    .option('--timeout <ms>', 'connect/command timeout in milliseconds', '5000')
    .option('--json', 'machine-readable output')
    .action(async (opts: PingOptions) => {
      const count = Number(opts.count);
      if (!Number.isInteger(count) || count < 1 || count > 100000) throw new UserError(`--count must be a whole number from 1 to 100000, got '${opts.count}'`);
      const timeout = Number(opts.timeout);
      if (!Number.isFinite(timeout) || timeout <= 0) throw new UserError(`--timeout must be a positive number of milliseconds, got '${opts.timeout}'`);
      const target = await openTarget(opts.url, timeout);
      try {
        const who = await identify(target.client);
        const rtts: number[] = [];
        for (let i = 0; i < count; i++) {
          const t0 = process.hrtime.bigint();
          await target.client.ping();
          rtts.push(Number(process.hrtime.bigint() - t0) / 1e6);
        }
        rtts.sort((a, b) => a - b);
        const result = {
          target: target.spec.name,
          bundled: target.bundled,
          server: who.server,
          version: who.version,
          role: who.role,
          pings: count,
          minMs: rtts[0]!,
          medianMs: rtts[Math.floor(rtts.length / 2)]!,
          maxMs: rtts[rtts.length - 1]!,
        };
        if (opts.json) process.stdout.write(JSON.stringify(result) + '\n');
        else
          process.stdout.write(
            `PONG from ${result.target}: ${result.server} ${result.version} (${result.role})\n` +
              `${count} round trip(s): min ${result.minMs.toFixed(3)} ms, median ${result.medianMs.toFixed(3)} ms, max ${result.maxMs.toFixed(3)} ms\n`,
          );
      } finally {
        await target.close();
      }
    });
}
