// The server command family (CONFIG, COMMAND, INFO, DEBUG, TIME, LASTSAVE, FUNCTION, SHUTDOWN)
// compared with a real redis-server 7.0: replies, error texts, INFO's layout, RESP3 shapes.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RespValue } from '../../../src/formats/resp/reply-parser.js';
import { CONFIG_TABLE, type ConfigSpec } from '../../../src/engine/config-table.js';
import { cmd, type CommandFlag, type CommandSpec } from '../../../src/engine/command.js';
import { commandKeys, commandHasKeys } from '../../../src/engine/commands/command-docs.js';
import { LatencyHistogram } from '../../../src/engine/stats/info.js';
import { diff, same, show, sortedPairs, startPair, type Cmd, type Pair } from '../../helpers/differential.js';
import { RespClient } from '../../helpers/resp-client.js';
import { startEngine } from '../../helpers/servers.js';

let pair: Pair;
beforeAll(async () => {
  pair = await startPair();
});
afterAll(async () => {
  await pair?.stop();
});

const text = (v: RespValue): string => (v.t === 'bulk' || v.t === 'simple' || v.t === 'verbatim' || v.t === 'error' ? v.v : show(v));

/** Both servers' replies to one command. */
async function both(...c: Cmd): Promise<[RespValue, RespValue]> {
  return Promise.all([pair.r.call(...c), pair.e.call(...c)]);
}

/** A CONFIG GET reply as name -> value. */
function configMap(v: RespValue): Map<string, string> {
  const out = new Map<string, string>();
  if (v.t === 'map') for (const [k, x] of v.v) out.set(text(k), text(x));
  if (v.t === 'array') for (let i = 0; i < v.v.length; i += 2) out.set(text(v.v[i]!), text(v.v[i + 1]!));
  return out;
}

/** Parameters whose value legitimately differs: the test servers are started differently. */
const SERVER_SPECIFIC = new Set(['port', 'bind', 'dir', 'logfile', 'pidfile', 'daemonize', 'enable-debug-command']);

/** Parameters the round-trip test leaves alone: changing them would break the test connections. */
const UNTOUCHABLE = new Set(['port', 'bind', 'requirepass', 'replicaof', 'slaveof', 'appendonly', 'maxmemory', 'maxclients', 'timeout', 'protected-mode', 'save', 'tls-port', 'cluster-announce-ip', 'masterauth', 'io-threads']);

/** Parameters tried only with values that cannot cut the test connections off (limits on clients). */
const SAFE_VALUES: Record<string, string[]> = {
  'client-output-buffer-limit': ['pubsub 1mb 2mb 60', 'replica 64mb 16mb 30', 'slave 1 2 3 pubsub 4 5 6', 'normal 0 0 0', 'normal 1 2', 'foo 1 2 3', 'normal a b c', 'normal -1 0 0', '', 'master 1 2 3'],
  'maxmemory-clients': ['0', 'abc', '-1', '', '1.5mb', '101%', '-5%', 'x%'],
};

/** Values to try per parameter type: valid ones, edge cases and malformed ones. */
function candidates(spec: ConfigSpec): string[] {
  const t = spec.type;
  switch (t.kind) {
    case 'bool':
      return ['yes', 'no', 'YES', 'No', 'maybe', '', '1'];
    case 'int': {
      const vals = ['0', '1', '-1', '7', '100', 'abc', '1.5', '', ' 5', '99999999999', '-99999999999', '2147483648'];
      if (t.min !== undefined) vals.push(String(t.min), String(BigInt(t.min) - 1n));
      if (t.max !== undefined && BigInt(t.max) < 10n ** 15n) vals.push(String(t.max), String(BigInt(t.max) + 1n));
      return vals;
    }
    case 'memory':
      return ['0', '100', '1kb', '1k', '2mb', '1gb', '3GB', '-1', 'abc', '1.5mb', '', '1tb', '1048576', '1073741824'];
    case 'enum':
      return [...t.values, t.values[0]!.toUpperCase(), 'nosuch', ''];
    case 'string':
      return ['abc', '', 'a b'];
    case 'special':
      return SPECIAL_CANDIDATES[spec.name] ?? [];
  }
}

const SPECIAL_CANDIDATES: Record<string, string[]> = {
  'oom-score-adj-values': ['0 100 200', '1 2', 'a b c', '0 -1000 1000', '0 2000 0'],
  'latency-tracking-info-percentiles': ['50 99', '99.9', '101', 'abc', '', '0 100', '50 50.5'],
  'notify-keyspace-events': ['KEA', 'Ex', 'g$lshzxetd', 'Kgx', 'foo', '', 'AKE', 'nKE', 'mK'],
  'unixsocketperm': ['700'],
};

function sortedConfig(v: RespValue): RespValue {
  if (v.t === 'map') return { t: 'map', v: [...v.v].sort((a, b) => (show(a[0]) < show(b[0]) ? -1 : 1)) };
  return v.t === 'array' ? sortedPairs(v) : v;
}

describe('CONFIG', () => {
  it('CONFIG GET * lists exactly the parameter names (and aliases) Redis 7.0 lists, with the same values', async () => {
    const [a, b] = await both('CONFIG', 'GET', '*');
    const r = configMap(a);
    const e = configMap(b);
    const missing = [...r.keys()].filter((k) => !e.has(k));
    const extra = [...e.keys()].filter((k) => !r.has(k));
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
    const valueDiffs = [...r].filter(([k, v]) => !SERVER_SPECIFIC.has(k) && e.get(k) !== v).map(([k, v]) => `${k}: redis=${JSON.stringify(v)} engine=${JSON.stringify(e.get(k))}`);
    expect(valueDiffs, valueDiffs.join('\n')).toEqual([]);
  });

  it('CONFIG GET patterns, exact names, aliases and several arguments', async () => {
    await same(
      pair,
      [
        ['CONFIG', 'GET', 'maxmemory'],
        ['CONFIG', 'GET', 'MAXMEMORY'],
        ['CONFIG', 'GET', 'MAXMEMORY', 'maxmemory'],
        ['CONFIG', 'GET', 'maxmem*'],
        ['CONFIG', 'GET', 'MAXMEM*', 'maxmemory'],
        ['CONFIG', 'GET', 'maxmemory', 'maxmem*'],
        ['CONFIG', 'GET', 'hash-max-*'],
        ['CONFIG', 'GET', 'hash-max-ziplist-entries'],
        ['CONFIG', 'GET', 'slave-read-only', 'replica-read-only'],
        ['CONFIG', 'GET', '*slave*'],
        ['CONFIG', 'GET', 'list-max-?????????-size'],
        ['CONFIG', 'GET', 'zset-max-[lz]*'],
        ['CONFIG', 'GET', 'nosuch'],
        ['CONFIG', 'GET', 'nosuch*'],
        ['CONFIG', 'GET', 'hz', 'hz', 'HZ'],
        ['CONFIG', 'GET'],
        ['CONFIG'],
        ['CONFIG', 'FOO'],
        ['config', 'help', 'x'],
      ],
      { normalize: sortedConfig },
    );
  });

  it('CONFIG GET replies with a map in RESP3', async () => {
    const r = await RespClient.connect(pair.redis.port);
    const e = await RespClient.connect(pair.engine.port);
    await Promise.all([r.call('HELLO', '3'), e.call('HELLO', '3')]);
    for (const c of [['CONFIG', 'GET', 'maxmemory'], ['CONFIG', 'GET', 'hash-max-*'], ['CONFIG', 'GET', 'nosuch']]) {
      const [a, b] = await Promise.all([r.call(...c), e.call(...c)]);
      expect(b.t).toBe('map');
      expect(show(sortedConfig(b))).toBe(show(sortedConfig(a)));
    }
    r.close();
    e.close();
  });

  it('CONFIG SET then CONFIG GET round-trips every parameter, errors worded as Redis', async () => {
    const [orig] = await both('CONFIG', 'GET', '*');
    const original = configMap(orig);
    const cmds: Cmd[] = [];
    for (const spec of CONFIG_TABLE) {
      if (UNTOUCHABLE.has(spec.name)) continue;
      for (const name of [spec.name, ...(spec.aliases ?? [])]) {
        for (const value of SAFE_VALUES[spec.name] ?? candidates(spec)) {
          cmds.push(['CONFIG', 'SET', name, value]);
          cmds.push(['CONFIG', 'GET', spec.name]);
        }
      }
      cmds.push(['CONFIG', 'SET', spec.name, original.get(spec.name)!]);
    }
    const problems = await diff(pair, cmds, { normalize: sortedConfig });
    if (process.env.DUMP_CONFIG_DIFF) writeFileSync(process.env.DUMP_CONFIG_DIFF, problems.join('\n'));
    // Value validation lives in config.ts and its table (config-table.ts): name the parameters.
    const params = [...new Set(problems.map((p) => p.split('\n')[0]!.split(' ')[2]!))];
    expect(problems.length, `parameters validated unlike Redis: ${params.join(', ')}\n\n${problems.slice(0, 30).join('\n')}`).toBe(0);
  });

  it('CONFIG SET with several pairs: atomic, first problem wins, canonical names in value errors', async () => {
    await same(pair, [
      ['CONFIG', 'SET', 'maxmemory-samples', '7', 'hz', '20'],
      ['CONFIG', 'GET', 'maxmemory-samples'],
      ['CONFIG', 'GET', 'hz'],
      ['CONFIG', 'SET', 'maxmemory-samples', '3', 'hz', 'abc'],
      ['CONFIG', 'GET', 'maxmemory-samples'],
      ['CONFIG', 'SET', 'hash-max-ziplist-entries', 'abc'],
      ['CONFIG', 'SET', 'MAXMEMORY-SAMPLES', 'abc'],
      ['CONFIG', 'SET', 'maxmemory-samples', '1', 'maxmemory-samples', '2'],
      ['CONFIG', 'SET', 'hz', '1', 'HZ', '2'],
      ['CONFIG', 'SET', 'hash-max-listpack-entries', '1', 'hash-max-ziplist-entries', '2'],
      ['CONFIG', 'SET', 'daemonize', 'yes'],
      ['CONFIG', 'SET', 'daemonize', 'yes', 'nosuch', '1'],
      ['CONFIG', 'SET', 'nosuch', '1', 'daemonize', 'yes'],
      ['CONFIG', 'SET', 'hz', '5', 'nosuch', '1'],
      ['CONFIG', 'SET', 'hz', 'x', 'nosuch', '1'],
      ['CONFIG', 'SET', 'dir', '/tmp'],
      ['CONFIG', 'SET', 'dbfilename', 'x.rdb'],
      ['CONFIG', 'SET', 'hz'],
      ['CONFIG', 'SET', 'hz', '5', 'maxmemory-samples'],
      ['CONFIG', 'SET', 'hz', '10', 'maxmemory-samples', '5'],
      ['CONFIG', 'SET', 'notify-keyspace-events', 'KEA'],
      ['CONFIG', 'GET', 'notify-keyspace-events'],
      ['CONFIG', 'SET', 'notify-keyspace-events', ''],
      ['CONFIG', 'SET', 'save', '900 1 300 10'],
      ['CONFIG', 'GET', 'save'],
      ['CONFIG', 'SET', 'save', '900'],
      ['CONFIG', 'SET', 'save', ''],
    ]);
  });

  it('generated CONFIG SET sequences on numeric parameters match Redis', async () => {
    const ints = CONFIG_TABLE.filter((s) => (s.type.kind === 'int' || s.type.kind === 'memory') && !s.flags?.length && !UNTOUCHABLE.has(s.name) && !SAFE_VALUES[s.name]);
    const arb = fc.tuple(fc.constantFrom(...ints.map((s) => s.name)), fc.oneof(fc.integer({ min: -5, max: 70000 }).map(String), fc.constantFrom('1k', '2mb', '0x10', '+5', '05')));
    const cmds: Cmd[] = fc.sample(arb, { numRuns: 150, seed: 7 }).flatMap(([n, v]) => [['CONFIG', 'SET', n, v], ['CONFIG', 'GET', n]] as Cmd[]);
    const [orig] = await both('CONFIG', 'GET', '*');
    const original = configMap(orig);
    for (const s of ints) cmds.push(['CONFIG', 'SET', s.name, original.get(s.name)!]);
    const problems = await diff(pair, cmds, { normalize: sortedConfig });
    expect(problems.length, problems.slice(0, 20).join('\n')).toBe(0);
  });

  it('CONFIG RESETSTAT zeroes the INFO counters, commandstats and errorstats', async () => {
    await both('NOSUCHCOMMAND');
    await both('PING');
    await same(pair, [['CONFIG', 'RESETSTAT']]);
    const [a, b] = await both('INFO', 'stats');
    for (const field of ['total_commands_processed', 'total_error_replies', 'keyspace_hits', 'expired_keys', 'rejected_connections']) {
      expect(infoField(text(b), field), field).toBe(infoField(text(a), field));
    }
    const [ea, eb] = await both('INFO', 'errorstats');
    expect(text(eb)).toBe(text(ea));
    const [ca, cb] = await both('INFO', 'commandstats');
    expect(commandstatNames(text(cb))).toEqual(commandstatNames(text(ca)));
  });

  it('CONFIG REWRITE without a config file fails as in Redis; with one it rewrites in place', async () => {
    await same(pair, [['CONFIG', 'REWRITE'], ['CONFIG', 'REWRITE', 'x']]);
    const dir = mkdtempSync(join(tmpdir(), 'redscope-rewrite-'));
    const file = join(dir, 'redis.conf');
    writeFileSync(file, '# my settings\nhz 15\nmaxmemory-policy noeviction\nslave-read-only yes\nhz 16\nsomething-unknown 1\n');
    const srv = await startEngine();
    srv.engine!.configFile = file;
    const c = await RespClient.connect(srv.port);
    expect(await c.call('CONFIG', 'SET', 'hz', '25', 'maxmemory', '2mb', 'replica-read-only', 'no', 'save', '900 1 60 5')).toEqual({ t: 'simple', v: 'OK' });
    expect(await c.call('CONFIG', 'REWRITE')).toEqual({ t: 'simple', v: 'OK' });
    const out = readFileSync(file, 'utf8').split('\n');
    expect(out.slice(0, 5)).toEqual(['# my settings', 'hz 25', 'maxmemory-policy noeviction', 'replica-read-only no', 'something-unknown 1']);
    expect(out).toContain('# Generated by CONFIG REWRITE');
    expect(out).toContain('maxmemory 2mb');
    expect(out).toContain('save 900 1');
    expect(out).toContain('save 60 5');
    // A second rewrite is stable.
    expect(await c.call('CONFIG', 'REWRITE')).toEqual({ t: 'simple', v: 'OK' });
    expect(readFileSync(file, 'utf8').split('\n')).toEqual(out);
    c.close();
    await srv.stop();
  });

  it('CONFIG HELP is an array of status lines', async () => {
    const [a, b] = await both('CONFIG', 'HELP');
    expect(a.t).toBe('array');
    expect(b.t).toBe('array');
    if (b.t === 'array') {
      expect(b.v.every((x) => x.t === 'simple')).toBe(true);
      expect(text(b.v[0]!)).toBe('CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:');
    }
  });
});

// --- INFO -----------------------------------------------------------------------------------------

function infoField(info: string, field: string): string | undefined {
  const m = new RegExp(`^${field}:(.*)$`, 'm').exec(info.replace(/\r/g, ''));
  return m?.[1];
}

/** INFO text as section title -> field names in order. */
function infoSections(info: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let cur: string[] | null = null;
  for (const line of info.split('\r\n')) {
    if (line.startsWith('# ')) out.set(line.slice(2), (cur = []));
    else if (line && cur) cur.push(line.slice(0, line.indexOf(':')));
  }
  return out;
}

function commandstatNames(info: string): string[] {
  return [...info.matchAll(/^cmdstat_([^:]+):/gm)].map((m) => m[1]!).sort();
}

/** Sections whose lines depend on what ran (commands, errors, databases). */
const DATA_SECTIONS = new Set(['Commandstats', 'Errorstats', 'Latencystats', 'Keyspace', 'Modules']);

describe('INFO', () => {
  it('INFO everything has every section and field of Redis 7.0, in the same order', async () => {
    const [a, b] = await both('INFO', 'everything');
    const r = infoSections(text(a));
    const e = infoSections(text(b));
    expect([...e.keys()]).toEqual([...r.keys()]);
    const missing: string[] = [];
    for (const [title, fields] of r) {
      if (DATA_SECTIONS.has(title)) continue;
      const mine = e.get(title) ?? [];
      for (const f of fields) if (!mine.includes(f)) missing.push(`${title}: ${f}`);
      expect(mine, `section ${title}`).toEqual(fields);
    }
    expect(missing, `fields missing from the engine's INFO:\n${missing.join('\n')}`).toEqual([]);
  });

  it('selects sections as Redis does (default, all, everything, several, unknown, any case)', async () => {
    for (const args of [[], ['default'], ['all'], ['everything'], ['server'], ['SERVER'], ['server', 'clients'], ['clients', 'server'], ['foo'], ['server', 'foo'], ['modules'], ['module_list'], ['all', 'keyspace'], ['default', 'commandstats'], ['commandstats', 'latencystats'], ['cpu', 'cpu']]) {
      const [a, b] = await both('INFO', ...args);
      expect([...infoSections(text(b)).keys()], `INFO ${args.join(' ')}`).toEqual([...infoSections(text(a)).keys()]);
    }
  });

  it('reports real values: version, mode, port, pid, clients, config-backed fields', async () => {
    const [, b] = await both('INFO', 'everything');
    const info = text(b);
    expect(infoField(info, 'redis_version')).toBe('7.0.15');
    expect(infoField(info, 'redis_mode')).toBe('standalone');
    expect(infoField(info, 'tcp_port')).toBe(String(pair.engine.port));
    expect(infoField(info, 'process_id')).toBe(String(process.pid));
    expect(infoField(info, 'run_id')).toMatch(/^[0-9a-f]{40}$/);
    expect(infoField(info, 'master_replid')).toMatch(/^[0-9a-f]{40}$/);
    expect(Number(infoField(info, 'connected_clients'))).toBeGreaterThanOrEqual(1);
    expect(infoField(info, 'maxclients')).toBe('10000');
    expect(infoField(info, 'maxmemory_policy')).toBe('noeviction');
    expect(infoField(info, 'role')).toBe('master');
    expect(infoField(info, 'cluster_enabled')).toBe('0');
    expect(Number(infoField(info, 'used_memory'))).toBeGreaterThan(0);
    expect(infoField(info, 'used_cpu_user')).toMatch(/^\d+\.\d{6}$/);
    expect(Math.abs(Number(infoField(info, 'server_time_usec')) / 1000 - Date.now())).toBeLessThan(5000);
    // The same run id across calls; the replication id changes with DEBUG CHANGE-REPL-ID.
    const again = text(await pair.e.call('INFO', 'server'));
    expect(infoField(again, 'run_id')).toBe(infoField(info, 'run_id'));
    await same(pair, [['DEBUG', 'CHANGE-REPL-ID']]);
    const repl = text(await pair.e.call('INFO', 'replication'));
    expect(infoField(repl, 'master_replid')).not.toBe(infoField(info, 'master_replid'));
  });

  it('the same field values as Redis where both are deterministic', async () => {
    await both('CONFIG', 'RESETSTAT');
    const [a, b] = await both('INFO', 'everything');
    const same = [
      'redis_version', 'redis_git_sha1', 'redis_git_dirty', 'redis_mode', 'arch_bits', 'process_supervised', 'hz', 'configured_hz',
      'config_file', 'io_threads_active', 'cluster_connections', 'maxclients', 'blocked_clients', 'tracking_clients', 'clients_in_timeout_table',
      'maxmemory', 'maxmemory_human', 'maxmemory_policy', 'loading', 'async_loading', 'rdb_bgsave_in_progress', 'rdb_last_bgsave_status',
      'rdb_last_bgsave_time_sec', 'rdb_current_bgsave_time_sec', 'aof_enabled', 'aof_rewrite_in_progress', 'role', 'connected_slaves',
      'master_failover_state', 'master_replid2', 'master_repl_offset', 'second_repl_offset', 'repl_backlog_active', 'repl_backlog_size',
      'used_cpu_sys_children', 'cluster_enabled', 'total_error_replies', 'expired_keys', 'evicted_keys', 'pubsub_channels', 'pubsub_patterns',
    ];
    for (const f of same) expect(infoField(text(b), f), f).toBe(infoField(text(a), f));
  });

  it('commandstats, errorstats and latencystats lines have Redis formats and real counts', async () => {
    await both('CONFIG', 'RESETSTAT');
    for (let i = 0; i < 3; i++) await both('PING');
    await both('PING', 'a', 'b');
    await both('NOSUCH');
    await both('CONFIG', 'GET', 'hz');
    await both('CONFIG', 'SET', 'hz', 'abc');
    const [a, b] = await both('INFO', 'commandstats');
    const norm = (s: string) =>
      s.split('\r\n').filter((l) => /^cmdstat_(ping|config\|get|config\|set|info|config\|resetstat)/.test(l)).map((l) => l.replace(/usec=\d+,usec_per_call=[\d.]+/, 'usec=N')).sort();
    expect(norm(text(b))).toEqual(norm(text(a)));
    expect(text(b)).toMatch(/^cmdstat_ping:calls=\d+,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=\d+,failed_calls=\d+$/m);
    const [ea, eb] = await both('INFO', 'errorstats');
    expect(text(eb)).toBe(text(ea));
    const [la, lb] = await both('INFO', 'latencystats');
    const lnames = (s: string) => [...s.matchAll(/^latency_percentiles_usec_([^:]+):p50=\d+\.\d{3},p99=\d+\.\d{3},p99\.9=\d+\.\d{3}$/gm)].map((m) => m[1]).sort();
    expect(lnames(text(lb))).toEqual(lnames(text(la)));
    expect(lnames(text(lb))).toContain('ping');
  });

  it('keyspace lines: dbN:keys=N,expires=M,avg_ttl=T', async () => {
    const srv = await startEngine();
    const engine = srv.engine!;
    engine.dbs[0]!.add('a', { type: 'string', enc: 'embstr', v: 'x' });
    engine.dbs[0]!.add('b', { type: 'string', enc: 'embstr', v: 'y' });
    engine.dbs[0]!.setExpire('b', Date.now() + 100_000);
    engine.dbs[3]!.add('c', { type: 'string', enc: 'int', v: '1' });
    const c = await RespClient.connect(srv.port);
    const info = text(await c.call('INFO', 'keyspace'));
    expect(info).toBe('# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=0\r\ndb3:keys=1,expires=0,avg_ttl=0\r\n');
    c.close();
    await srv.stop();
  });

  it('ioredis connects (its ready check parses INFO) and reads INFO and CONFIG', async () => {
    const { Redis } = await import('ioredis');
    const client = new Redis({ port: pair.engine.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 });
    await client.connect();
    expect(await client.info('server')).toMatch(/^# Server\r\nredis_version:7\.0\.15\r\n/);
    expect(await client.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
    expect(await client.call('COMMAND', 'COUNT')).toBeGreaterThan(10);
    client.disconnect();
  });

  it('is a verbatim string in RESP3', async () => {
    const r = await RespClient.connect(pair.redis.port);
    const e = await RespClient.connect(pair.engine.port);
    await Promise.all([r.call('HELLO', '3'), e.call('HELLO', '3')]);
    const [a, b] = await Promise.all([r.call('INFO', 'cluster'), e.call('INFO', 'cluster')]);
    expect(b).toEqual(a);
    r.close();
    e.close();
  });

  it('latency histograms report HDR bucket upper bounds like Redis', () => {
    const h = new LatencyHistogram();
    for (const us of [11, 3, 3, 946, 0]) h.record(us);
    expect(h.valueAtPercentile(50) / 1000).toBe(3.007);
    expect(h.valueAtPercentile(99) / 1000).toBe(946.175);
    const one = new LatencyHistogram();
    one.record(11);
    expect(one.valueAtPercentile(50) / 1000).toBe(11.007);
    const zero = new LatencyHistogram();
    zero.record(0);
    expect(zero.valueAtPercentile(99.9) / 1000).toBe(0.001);
  });
});

// --- COMMAND ---------------------------------------------------------------------------------------

describe('COMMAND', () => {
  it('COMMAND, COMMAND COUNT and COMMAND INFO have Redis shapes', async () => {
    const [ca, cb] = await both('COMMAND', 'COUNT');
    expect(ca.t).toBe('int');
    expect(cb.t).toBe('int');
    const [all] = await Promise.all([pair.e.call('COMMAND')]);
    expect(all.t).toBe('array');
    if (all.t === 'array' && cb.t === 'int') expect(BigInt(all.v.length)).toBe(cb.v);
    await same(
      pair,
      [
        ['COMMAND', 'INFO', 'nosuch'],
        ['COMMAND', 'INFO', 'config|get|x', 'get|x', 'CONFIG|GET', 'nosuch|get'],
        ['COMMAND', 'INFO', 'time', 'lastsave', 'info', 'debug', 'shutdown'],
        ['COMMAND', 'FOO'],
        ['COMMAND', 'COUNT', 'x'],
        ['COMMAND', 'LIST', 'x'],
        ['COMMAND', 'LIST', 'FILTERBY', 'foo', 'x'],
        ['COMMAND', 'LIST', 'FILTERBY', 'aclcat'],
        ['COMMAND', 'LIST', 'FILTERBY', 'aclcat', 'nosuch'],
        ['COMMAND', 'LIST', 'FILTERBY', 'module', 'x'],
        ['COMMAND', 'DOCS', 'nosuch'],
        ['COMMAND', 'GETKEYS'],
        ['COMMAND', 'GETKEYS', 'nosuch', 'a'],
        ['COMMAND', 'GETKEYS', 'config', 'get', 'x'],
        ['COMMAND', 'GETKEYS', 'config', 'nosuch', 'x'],
        ['COMMAND', 'GETKEYS', 'ping'],
        ['COMMAND', 'GETKEYSANDFLAGS', 'time'],
      ],
      { normalize: sortSubcommands },
    );
  });

  it('COMMAND INFO and COMMAND DOCS for containers list their subcommands (RESP3 too)', async () => {
    for (const proto of ['2', '3']) {
      const r = await RespClient.connect(pair.redis.port);
      const e = await RespClient.connect(pair.engine.port);
      await Promise.all([r.call('HELLO', proto), e.call('HELLO', proto)]);
      for (const c of [['COMMAND', 'INFO', 'config', 'command'], ['COMMAND', 'INFO', 'config|set']]) {
        const [a, b] = await Promise.all([r.call(...c), e.call(...c)]);
        expect(show(sortSubcommands(b)), c.join(' ')).toBe(show(sortSubcommands(stripNotes(a))));
      }
      const [a, b] = await Promise.all([r.call('COMMAND', 'DOCS', 'config'), e.call('COMMAND', 'DOCS', 'config')]);
      expect(show(normalizeDocs(b))).toBe(show(normalizeDocs(a)));
      r.close();
      e.close();
    }
  });

  it('COMMAND LIST FILTERBY PATTERN and ACLCAT give the registered part of Redis’s lists', async () => {
    const registered = new Set<string>();
    for (const spec of pair.engine.engine!.commands.values()) {
      registered.add(spec.name);
      for (const s of spec.subcommands ?? []) registered.add(s.name);
    }
    for (const filter of [[], ['FILTERBY', 'PATTERN', 'conf*'], ['FILTERBY', 'PATTERN', 'C*|*'], ['FILTERBY', 'ACLCAT', 'admin'], ['FILTERBY', 'ACLCAT', 'CONNECTION'], ['FILTERBY', 'aclcat', 'fast']]) {
      const [a, b] = await both('COMMAND', 'LIST', ...filter);
      const names = (v: RespValue) => (v.t === 'array' ? v.v.map(text).sort() : []);
      expect(names(b), filter.join(' ')).toEqual(names(a).filter((n) => registered.has(n)));
    }
  });

  it('COMMAND GETKEYS finds keys as Redis does, from key specs and key procedures', async () => {
    const specs: Record<string, CommandSpec> = {};
    const def = (name: string, arity: number, flags: CommandFlag[], keys: [number, number, number]) => (specs[name] = cmd(name, arity, flags, [], keys, 'x'));
    def('get', 2, ['readonly'], [1, 1, 1]);
    def('mset', -3, ['write'], [1, -1, 2]);
    def('set', -3, ['write'], [1, 1, 1]);
    def('zunionstore', -4, ['write', 'movablekeys'], [1, 1, 1]);
    def('eval', -3, ['noscript', 'no_mandatory_keys', 'movablekeys'], [0, 0, 0]);
    def('xread', -4, ['readonly', 'blocking', 'movablekeys'], [0, 0, 0]);
    def('sort', -2, ['write', 'denyoom', 'movablekeys'], [1, 1, 1]);
    def('migrate', -6, ['write', 'movablekeys'], [3, 3, 1]);
    def('bitfield', -2, ['write', 'denyoom'], [1, 1, 1]);
    def('georadius', -6, ['write', 'denyoom', 'movablekeys'], [1, 1, 1]);
    def('lmpop', -4, ['write', 'movablekeys'], [0, 0, 0]);
    def('publish', 3, ['pubsub'], [0, 0, 0]);
    const lines: string[][] = [
      ['get', 'a'], ['mset', 'a', '1', 'b', '2'], ['mset', 'a', '1', 'b'], ['set', 'k', 'v'], ['set', 'k', 'v', 'GET'], ['set', 'k', 'v', 'ex', '5'],
      ['zunionstore', 'd', '2', 'a', 'b', 'weights', '1', '2'], ['zunionstore', 'd', 'x', 'a'], ['zunionstore', 'd', '5', 'a'], ['zunionstore', 'd', '0', 'a'],
      ['eval', 's', '0'], ['eval', 's', '2', 'a', 'b', 'c'], ['eval', 's', '3', 'a'], ['eval', 's', '-1'],
      ['xread', 'count', '1', 'streams', 'a', 'b', '0', '0'], ['xread', 'streams', 'a', '0'], ['xread', 'block', '0', 'streams', 'a', 'b', 'c'],
      ['sort', 'k'], ['sort', 'k', 'by', 'x', 'store', 'd'], ['sort', 'k', 'store', 'a', 'store', 'b'], ['sort', 'k', 'limit', '0', '1', 'get', 'store', 'store', 'z'],
      ['migrate', 'h', '1', 'k', '0', '5'], ['migrate', 'h', '1', '', '0', '5', 'copy', 'keys', 'a', 'b'], ['migrate', 'h', '1', 'k', '0', '5', 'keys', 'a'], ['migrate', 'h', '1', '', '0', '5', 'auth', 'keys', 'keys', 'x'],
      ['bitfield', 'k', 'get', 'u8', '0'], ['bitfield', 'k', 'set', 'u8', '0', '1'], ['bitfield', 'k', 'overflow', 'wrap'],
      ['georadius', 'k', '1', '2', '3', 'km', 'store', 'd'], ['georadius', 'k', '1', '2', '3', 'km', 'storedist', 'd'], ['georadius', 'k', '1', '2', '3', 'km'],
      ['lmpop', '2', 'a', 'b', 'left'], ['lmpop', '0', 'left', 'x'],
      ['publish', 'ch', 'msg'],
    ];
    const problems: string[] = [];
    for (const line of lines) {
      for (const sub of ['GETKEYS', 'GETKEYSANDFLAGS']) {
        const want = await pair.r.call('COMMAND', sub, ...line);
        const spec = specs[line[0]!]!;
        let got: string;
        if (!commandHasKeys(spec)) got = 'no keys';
        else {
          const keys = commandKeys(spec, line);
          if (keys.length === 0 && !spec.flags.includes('no_mandatory_keys')) got = 'invalid';
          else got = JSON.stringify(keys.map((k) => (sub === 'GETKEYS' ? line[k.pos] : [line[k.pos], k.flags])));
        }
        const expected =
          want.t === 'error'
            ? want.v.includes('no key arguments')
              ? 'no keys'
              : 'invalid'
            : JSON.stringify(
                want.t === 'array' ? want.v.map((x) => (x.t === 'array' ? [text(x.v[0]!), x.v[1]!.t === 'array' ? x.v[1]!.v.map(text) : []] : text(x))) : [],
              );
        if (got !== expected) problems.push(`${sub} ${line.join(' ')}: redis ${expected} engine ${got}`);
      }
    }
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('COMMAND HELP is an array of status lines', async () => {
    const b = await pair.e.call('COMMAND', 'HELP');
    expect(b.t).toBe('array');
    if (b.t === 'array') expect(text(b.v[0]!)).toBe('COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:');
  });

  it('redis-cli (which reads COMMAND DOCS at start) works against the engine', async () => {
    // Asynchronously: the engine runs in this process and must keep serving while redis-cli waits.
    const { execFile } = await import('node:child_process');
    const run = (args: string[]) =>
      new Promise<string>((resolve, reject) =>
        execFile('redis-cli', ['-p', String(pair.engine.port), ...args], { timeout: 10_000 }, (err, stdout) => (err ? reject(err) : resolve(stdout))),
      );
    expect((await run(['CONFIG', 'GET', 'hz'])).trim().split('\n')).toEqual(['hz', '10']);
    expect(await run(['COMMAND', 'COUNT'])).toMatch(/^\d+\n$/);
  });
});

/** Key-spec notes are Redis prose the engine does not reproduce. */
function stripNotes(v: RespValue): RespValue {
  if (v.t === 'map') return { t: 'map', v: v.v.filter(([k]) => text(k) !== 'notes').map(([k, x]) => [k, stripNotes(x)] as [RespValue, RespValue]) };
  if (v.t === 'array' || v.t === 'set') {
    // RESP2 maps are flat arrays: drop a "notes" key with its value.
    const items: RespValue[] = [];
    for (let i = 0; i < v.v.length; i++) {
      if (v.t === 'array' && v.v[i]!.t === 'bulk' && text(v.v[i]!) === 'notes' && i + 1 < v.v.length && v.v[i + 1]!.t === 'bulk' && i % 2 === 0) {
        i++;
        continue;
      }
      items.push(stripNotes(v.v[i]!));
    }
    return { t: v.t, v: items };
  }
  return v;
}

/** COMMAND INFO lists subcommands in Redis's dictionary order: sort them by name. */
function sortSubcommands(v: RespValue): RespValue {
  if (v.t !== 'array') return v;
  const items = v.v.map(sortSubcommands);
  const isInfo = (x: RespValue) => x.t === 'array' && x.v.length === 10 && x.v[0]!.t === 'bulk';
  if (items.length && items.every(isInfo)) items.sort((a, b) => (show(a) < show(b) ? -1 : 1));
  return { t: 'array', v: items };
}

/** COMMAND DOCS with our own prose: drop history, blank the wording, sort subcommand maps. */
function normalizeDocs(v: RespValue): RespValue {
  const pairsOf = (x: RespValue): Array<[RespValue, RespValue]> => {
    if (x.t === 'map') return x.v;
    if (x.t === 'array') {
      const out: Array<[RespValue, RespValue]> = [];
      for (let i = 0; i < x.v.length; i += 2) out.push([x.v[i]!, x.v[i + 1]!]);
      return out;
    }
    return [];
  };
  const docs = (x: RespValue): RespValue => ({
    t: 'map',
    v: pairsOf(x)
      .filter(([k]) => text(k) !== 'history')
      .map(([k, val]): [RespValue, RespValue] => {
        const key = text(k);
        if (key === 'summary' || key === 'complexity' || key === 'replaced_by') return [k, { t: 'bulk', v: '*' }];
        if (key === 'subcommands') return [k, commandsMap(val)];
        return [k, val];
      }),
  });
  const commandsMap = (x: RespValue): RespValue => ({
    t: 'map',
    v: pairsOf(x)
      .map(([k, d]): [RespValue, RespValue] => [k, docs(d)])
      .sort((a, b) => (text(a[0]) < text(b[0]) ? -1 : 1)),
  });
  return commandsMap(v);
}


// --- DEBUG ------------------------------------------------------------------------------------------

describe('DEBUG', () => {
  it('DEBUG SLEEP blocks every other client of the server', async () => {
    const a = await RespClient.connect(pair.engine.port);
    const b = await RespClient.connect(pair.engine.port);
    const t0 = Date.now();
    const sleeping = a.call('DEBUG', 'SLEEP', '0.4');
    await new Promise((r) => setTimeout(r, 20));
    const pong = await b.call('PING');
    const waited = Date.now() - t0;
    expect(pong).toEqual({ t: 'simple', v: 'PONG' });
    expect(waited).toBeGreaterThanOrEqual(380);
    expect(await sleeping).toEqual({ t: 'simple', v: 'OK' });
    await same(pair, [['DEBUG', 'SLEEP', '0'], ['DEBUG', 'SLEEP', 'abc'], ['DEBUG', 'SLEEP', '0.01x'], ['DEBUG', 'SLEEP']]);
    a.close();
    b.close();
  });

  it('DEBUG PROTOCOL replies with the same RESP2 and RESP3 shapes as Redis', async () => {
    const types = ['string', 'integer', 'double', 'bignum', 'null', 'array', 'set', 'map', 'attrib', 'push', 'verbatim', 'true', 'false', 'nosuch', 'STRING'];
    for (const proto of ['2', '3']) {
      const r = await RespClient.connect(pair.redis.port);
      const e = await RespClient.connect(pair.engine.port);
      await Promise.all([r.call('HELLO', proto), e.call('HELLO', proto)]);
      for (const t of types) {
        const [a, b] = await Promise.all([r.call('DEBUG', 'PROTOCOL', t), e.call('DEBUG', 'PROTOCOL', t)]);
        expect(show(b), `RESP${proto} ${t}`).toBe(show(a));
        if (a.t === 'attribute' || a.t === 'push') {
          const [a2, b2] = await Promise.all([r.read(), e.read()]);
          expect(show(b2), `RESP${proto} ${t} (following reply)`).toBe(show(a2));
        }
      }
      r.close();
      e.close();
    }
  });

  it('DEBUG subcommand errors, SET-ACTIVE-EXPIRE, LOG, CHANGE-REPL-ID, QUICKLIST-PACKED-THRESHOLD', async () => {
    await same(pair, [
      ['DEBUG'],
      ['DEBUG', 'nosuch'],
      ['DEBUG', 'log'],
      ['DEBUG', 'log', 'hello', 'x'],
      ['DEBUG', 'LOG', 'hello world'],
      ['DEBUG', 'set-active-expire', '0'],
      ['DEBUG', 'set-active-expire', '1'],
      ['DEBUG', 'SET-ACTIVE-EXPIRE'],
      ['DEBUG', 'change-repl-id'],
      ['DEBUG', 'change-repl-id', 'x'],
      ['DEBUG', 'quicklist-packed-threshold', '100'],
      ['DEBUG', 'quicklist-packed-threshold', '1mb'],
      ['DEBUG', 'quicklist-packed-threshold', '0'],
      ['DEBUG', 'quicklist-packed-threshold', '5gb'],
      ['DEBUG', 'quicklist-packed-threshold', 'abc'],
      ['DEBUG', 'quicklist-packed-threshold', '-1'],
      ['DEBUG', 'object'],
      ['DEBUG', 'object', 'nosuchkey'],
      ['DEBUG', 'protocol'],
      ['DEBUG', 'reload', 'foo'],
      ['DEBUG', 'pause-cron', '0'],
    ]);
    expect(pair.engine.engine!.activeExpire).toBe(true);
    await pair.e.call('DEBUG', 'set-active-expire', '0');
    expect(pair.engine.engine!.activeExpire).toBe(false);
    await pair.e.call('DEBUG', 'set-active-expire', '1');
    expect(pair.engine.engine!.activeExpire).toBe(true);
  });

  it('DEBUG RELOAD saves, empties and loads the dataset back; LOADAOF without an AOF changes nothing', async () => {
    await pair.e.call('SET', 'reload-me', 'v');
    await pair.e.call('EXPIRE', 'reload-me', '1000');
    expect(await pair.e.call('DEBUG', 'RELOAD')).toEqual({ t: 'simple', v: 'OK' });
    expect(text(await pair.e.call('GET', 'reload-me'))).toBe('v');
    expect(await pair.e.call('TTL', 'reload-me')).toMatchObject({ t: 'int' });
    // Redis exits here (nothing to load); the engine refuses and keeps the data.
    const loadaof = await pair.e.call('DEBUG', 'LOADAOF');
    expect(text(loadaof)).toMatch(/^ERR DEBUG LOADAOF found no append only file to load in .*; nothing was changed$/);
    expect(text(await pair.e.call('GET', 'reload-me'))).toBe('v');
  });

  it('DEBUG OBJECT describes a value like Redis', async () => {
    const srv = await startEngine();
    const db = srv.engine!.dbs[0]!;
    db.add('s', { type: 'string', enc: 'embstr', v: 'hello' });
    db.add('n', { type: 'string', enc: 'int', v: '42' });
    const c = await RespClient.connect(srv.port);
    const s = text(await c.call('DEBUG', 'OBJECT', 's'));
    expect(s).toMatch(/^Value at:0x[0-9a-f]+ refcount:1 encoding:embstr serializedlength:6 lru:\d+ lru_seconds_idle:\d+$/);
    const n = text(await c.call('DEBUG', 'OBJECT', 'n'));
    expect(n).toMatch(/^Value at:0x[0-9a-f]+ refcount:2147483647 encoding:int serializedlength:2 lru:\d+ lru_seconds_idle:\d+$/);
    c.close();
    await srv.stop();
  });

  it('DEBUG is refused unless enable-debug-command allows it', async () => {
    const srv = await startEngine({ 'enable-debug-command': 'no' });
    const c = await RespClient.connect(srv.port);
    const r = await c.call('DEBUG', 'SLEEP', '0');
    expect(text(r)).toMatch(/^ERR DEBUG command not allowed/);
    c.close();
    await srv.stop();
  });
});

// --- TIME, LASTSAVE, FUNCTION, SHUTDOWN ---------------------------------------------------------------

describe('TIME, LASTSAVE, FUNCTION, SHUTDOWN', () => {
  it('TIME and LASTSAVE', async () => {
    const t = await pair.e.call('TIME');
    expect(t.t).toBe('array');
    if (t.t === 'array') {
      expect(t.v.map((x) => x.t)).toEqual(['bulk', 'bulk']);
      const secs = Number(text(t.v[0]!));
      const us = Number(text(t.v[1]!));
      expect(Math.abs(secs * 1000 + us / 1000 - Date.now())).toBeLessThan(2000);
      expect(us).toBeLessThan(1e6);
    }
    const l = await pair.e.call('LASTSAVE');
    expect(l.t).toBe('int');
    if (l.t === 'int') expect(Number(l.v)).toBe(pair.engine.engine!.lastSave);
    await same(pair, [['TIME', 'x'], ['LASTSAVE', 'x']]);
  });

  it('FUNCTION FLUSH / LIST / DELETE / KILL answer as Redis with no libraries', async () => {
    await same(pair, [
      ['FUNCTION', 'FLUSH'],
      ['FUNCTION', 'FLUSH', 'ASYNC'],
      ['function', 'flush', 'sync'],
      ['FUNCTION', 'FLUSH', 'foo'],
      ['FUNCTION', 'FLUSH', 'sync', 'x'],
      ['FUNCTION', 'LIST'],
      ['FUNCTION', 'LIST', 'WITHCODE'],
      ['FUNCTION', 'LIST', 'LIBRARYNAME', 'x*'],
      ['FUNCTION', 'LIST', 'LIBRARYNAME'],
      ['FUNCTION', 'LIST', 'WITHCODE', 'WITHCODE'],
      ['FUNCTION', 'LIST', 'foo'],
      ['FUNCTION', 'DELETE', 'x'],
      ['FUNCTION', 'KILL'],
      ['FUNCTION'],
      ['FUNCTION', 'NOSUCH'],
    ]);
  });

  it('FUNCTION FLUSH counts as a change (rdb_changes_since_last_save)', async () => {
    const before = Number(infoField(text(await pair.e.call('INFO', 'persistence')), 'rdb_changes_since_last_save'));
    await pair.e.call('FUNCTION', 'FLUSH');
    const after = Number(infoField(text(await pair.e.call('INFO', 'persistence')), 'rdb_changes_since_last_save'));
    expect(after).toBe(before + 1);
  });

  it('SHUTDOWN option errors match Redis', async () => {
    await same(pair, [['SHUTDOWN', 'foo'], ['SHUTDOWN', 'SAVE', 'NOSAVE'], ['SHUTDOWN', 'ABORT', 'NOW'], ['SHUTDOWN', 'ABORT'], ['shutdown', 'abort', 'force']]);
  });

  it('SHUTDOWN stops the engine: the connection closes and the engine emits shutdown', async () => {
    const srv = await startEngine();
    let emitted = false;
    srv.engine!.once('shutdown', () => (emitted = true));
    const c = await RespClient.connect(srv.port);
    c.writeRaw('*2\r\n$8\r\nSHUTDOWN\r\n$6\r\nNOSAVE\r\n');
    expect(await c.waitClose(3000)).toBe(true);
    expect(emitted).toBe(true);
    await srv.stop();
  });

  it('SHUTDOWN refuses when a save is configured but cannot be done, unless NOSAVE or FORCE', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redscope-shutdown-'));
    mkdirSync(join(dir, 'dump.rdb')); // a directory where the file should go: the final save fails
    const srv = await startEngine({ save: '900 1', dir });
    const c = await RespClient.connect(srv.port);
    expect(await c.call('SHUTDOWN')).toEqual({ t: 'error', v: 'ERR Errors trying to SHUTDOWN. Check logs.' });
    expect(await c.call('SHUTDOWN', 'SAVE')).toEqual({ t: 'error', v: 'ERR Errors trying to SHUTDOWN. Check logs.' });
    c.writeRaw('*2\r\n$8\r\nSHUTDOWN\r\n$5\r\nFORCE\r\n');
    expect(await c.waitClose(3000)).toBe(true);
    await srv.stop();
  });
});
