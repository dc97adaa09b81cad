// `redscope exporter` flag handling: listen addresses in redis_exporter's forms, and bad flags
// refused with a readable message before anything starts.

import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseListen, registerExporter } from '../../src/cli/commands/exporter.js';

function program(): Command {
  const p = new Command('redscope').exitOverride();
  registerExporter(p);
  return p;
}

describe('redscope exporter flags', () => {
  it('reads host:port, :port (all interfaces) and [v6]:port', () => {
    expect(parseListen('127.0.0.1:9121')).toEqual({ host: '127.0.0.1', port: 9121 });
    expect(parseListen(':9121')).toEqual({ host: '0.0.0.0', port: 9121 });
    expect(parseListen('[::1]:0')).toEqual({ host: '::1', port: 0 });
    expect(() => parseListen('9121')).toThrow(/host:port/);
  });

  it.each([
    [['--down-status', '99'], /--down-status/],
    [['--namespace', 'bad-name'], /--namespace/],
    [['--timeout', '0'], /--timeout/],
    [['--key-group-depth', '1.5'], /--key-group-depth/],
    [['--config-every', '-1'], /--config-every/],
  ])('refuses %j', async (args, message) => {
    await expect(program().parseAsync(['node', 'redscope', 'exporter', '--listen', '127.0.0.1:0', ...args])).rejects.toThrow(message);
  });
});
