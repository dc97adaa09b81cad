// The command table against Redis 7.0's: for every command and subcommand the engine registers
// (walked at test time, so each family is checked as it lands), COMMAND INFO must report Redis's
// arity, flags, key positions and ACL categories, and COMMAND INFO/DOCS the same tips, key specs
// and documentation facts. Mismatches are collected into one readable failure message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReplyWriter } from '../../../src/formats/resp/reply-writer.js';
import { ReplyParser, type RespValue } from '../../../src/formats/resp/reply-parser.js';
import type { CommandFlag, CommandSpec } from '../../../src/engine/command.js';
import { writeCommandDocs, writeCommandInfo } from '../../../src/engine/commands/command-docs.js';
import { show, startPair, type Pair } from '../../helpers/differential.js';

let pair: Pair;
beforeAll(async () => {
  pair = await startPair();
});
afterAll(async () => {
  await pair?.stop();
});

const text = (v: RespValue): string => (v.t === 'bulk' || v.t === 'simple' || v.t === 'error' ? v.v : show(v));
const items = (v: RespValue | undefined): RespValue[] => (v && (v.t === 'array' || v.t === 'set') ? v.v : []);

/** Every registered command and subcommand, parents first. */
function registered(): CommandSpec[] {
  const out: CommandSpec[] = [];
  for (const spec of pair.engine.engine!.commands.values()) {
    out.push(spec);
    for (const sub of spec.subcommands ?? []) out.push(sub);
  }
  return out;
}

/** COMMAND INFO <name> for many names, one pipelined round trip per server. */
async function infoOf(names: string[]): Promise<Array<[RespValue, RespValue]>> {
  const cmds = names.map((n) => ['COMMAND', 'INFO', n]);
  const [r, e] = await Promise.all([pair.r.pipeline(cmds), pair.e.pipeline(cmds)]);
  return names.map((_, i) => [items(r[i])[0]!, items(e[i])[0]!]);
}

/** Key-spec notes are Redis prose the engine does not reproduce (RESP3 maps and RESP2 flat maps). */
function stripNotes(v: RespValue): RespValue {
  if (v.t === 'map') return { t: 'map', v: v.v.filter(([k]) => text(k) !== 'notes').map(([k, x]) => [k, stripNotes(x)] as [RespValue, RespValue]) };
  if (v.t === 'array' && v.v[0]?.t === 'bulk' && v.v[0].v === 'notes') return stripNotes({ t: 'array', v: v.v.slice(2) });
  if (v.t === 'array' || v.t === 'set') return { t: v.t, v: v.v.map(stripNotes) };
  return v;
}

/** COMMAND INFO lists subcommands in Redis's dictionary order: sort them by name. */
function sortSubcommands(v: RespValue): RespValue {
  if (v.t !== 'array' || v.v.length !== 10) return v;
  const subs = v.v[9]!;
  if (subs.t !== 'array') return v;
  const sorted = [...subs.v].map(sortSubcommands).sort((a, b) => (text(items(a)[0]!) < text(items(b)[0]!) ? -1 : 1));
  return { t: 'array', v: [...v.v.slice(0, 9), { t: 'array', v: sorted }] };
}

/** COMMAND DOCS with our own prose: drop history, blank the wording, sort subcommand maps. */
function normalizeDocs(v: RespValue): RespValue {
  if (v.t !== 'map') return v;
  return {
    t: 'map',
    v: v.v
      .filter(([k]) => text(k) !== 'history')
      .map(([k, x]): [RespValue, RespValue] => {
        const key = text(k);
        if (key === 'summary' || key === 'complexity' || key === 'replaced_by') return [k, { t: 'bulk', v: '*' }];
        if (key === 'subcommands' && x.t === 'map')
          return [k, { t: 'map', v: x.v.map(([n, d]): [RespValue, RespValue] => [n, normalizeDocs(d)]).sort((a, b) => (text(a[0]) < text(b[0]) ? -1 : 1)) }];
        return [k, x];
      }),
  };
}

/** The commands the core families must provide (a removed registration fails here), by group. */
const CORE: Record<string, string[]> = {
  string: ['get', 'set', 'setnx', 'setex', 'psetex', 'getex', 'getdel', 'getset', 'mget', 'mset', 'msetnx', 'append', 'strlen', 'getrange', 'substr', 'setrange', 'incr', 'decr', 'incrby', 'decrby', 'incrbyfloat', 'lcs'],
  generic: ['del', 'unlink', 'exists', 'type', 'rename', 'renamenx', 'touch', 'expire', 'pexpire', 'expireat', 'pexpireat', 'ttl', 'pttl', 'expiretime', 'pexpiretime', 'persist', 'keys', 'scan', 'randomkey', 'move', 'copy', 'object'],
  list: ['lpush', 'rpush', 'lpushx', 'rpushx', 'lpop', 'rpop', 'llen', 'lrange', 'lindex', 'lset', 'linsert', 'lrem', 'ltrim', 'lpos', 'lmove', 'rpoplpush', 'lmpop', 'blpop', 'brpop', 'blmove', 'brpoplpush', 'blmpop'],
  hash: ['hset', 'hsetnx', 'hmset', 'hget', 'hmget', 'hdel', 'hlen', 'hstrlen', 'hexists', 'hincrby', 'hincrbyfloat', 'hkeys', 'hvals', 'hgetall', 'hrandfield', 'hscan'],
  set: ['sadd', 'srem', 'scard', 'sismember', 'smismember', 'smembers', 'smove', 'spop', 'srandmember', 'sinter', 'sintercard', 'sunion', 'sdiff', 'sinterstore', 'sunionstore', 'sdiffstore', 'sscan'],
  'sorted-set': ['zadd', 'zincrby', 'zrem', 'zcard', 'zscore', 'zmscore', 'zrank', 'zrevrank', 'zcount', 'zlexcount', 'zrange', 'zrangestore', 'zrangebyscore', 'zrevrangebyscore', 'zrangebylex', 'zrevrangebylex', 'zrevrange', 'zremrangebyrank', 'zremrangebyscore', 'zremrangebylex', 'zunion', 'zinter', 'zdiff', 'zunionstore', 'zinterstore', 'zdiffstore', 'zintercard', 'zpopmin', 'zpopmax', 'zmpop', 'bzpopmin', 'bzpopmax', 'bzmpop', 'zrandmember', 'zscan'],
  scripting: ['function'],
  transactions: ['multi', 'exec', 'discard', 'watch', 'unwatch'],
  pubsub: ['subscribe', 'unsubscribe', 'psubscribe', 'punsubscribe', 'publish', 'pubsub', 'ssubscribe', 'sunsubscribe', 'spublish'],
  connection: ['ping', 'echo', 'quit', 'select', 'auth', 'hello', 'reset', 'client'],
  server: ['config', 'command', 'info', 'debug', 'time', 'lastsave', 'shutdown', 'dbsize', 'swapdb', 'flushdb', 'flushall'],
};

describe('the core command families are registered', () => {
  it('every command of issue 2 exists, in its COMMAND DOCS group', async () => {
    const missing: string[] = [];
    const table = pair.engine.engine!.commands;
    for (const [, names] of Object.entries(CORE)) for (const n of names) if (!table.has(n)) missing.push(n);
    expect(missing, 'commands not registered').toEqual([]);
    const docs = await pair.e.call('COMMAND', 'DOCS', ...Object.values(CORE).flat());
    const groups = new Map<string, string>();
    const flat = items(docs);
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const d = items(flat[i + 1]);
      for (let j = 0; j + 1 < d.length; j += 2) if (text(d[j]!) === 'group') groups.set(text(flat[i]!), text(d[j + 1]!));
    }
    const wrong = Object.entries(CORE).flatMap(([group, names]) => names.filter((n) => groups.get(n) !== group).map((n) => `${n}: ${groups.get(n)}`));
    expect(wrong, 'commands in the wrong COMMAND DOCS group').toEqual([]);
  });
});

describe('the command table matches Redis 7.0', () => {
  it('COMMAND INFO: arity, flags, first/last/step key and ACL categories of every registered command', async () => {
    const specs = registered();
    expect(specs.length).toBeGreaterThan(0);
    const replies = await infoOf(specs.map((s) => s.name));
    const problems: string[] = [];
    const fields = ['arity', 'flags', 'first key', 'last key', 'step', 'ACL categories'];
    specs.forEach((spec, i) => {
      const [r, e] = replies[i]!;
      if (r.t !== 'array') {
        problems.push(`${spec.name}: not a Redis 7.0 command`);
        return;
      }
      fields.forEach((field, f) => {
        const want = r.v[f + 1]!;
        const got = items(e)[f + 1];
        const fmt = (x: RespValue | undefined) => (!x ? 'missing' : x.t === 'int' ? String(x.v) : `[${items(x).map(text).join(' ')}]`);
        if (fmt(got) !== fmt(want)) problems.push(`${spec.name}: ${field} should be ${fmt(want)}, is ${fmt(got)}`);
      });
    });
    expect(problems, `${problems.length} mismatches:\n${problems.join('\n')}`).toEqual([]);
  });

  it('COMMAND INFO: tips and key specs (Redis notes aside) of every registered command', async () => {
    const specs = registered();
    const replies = await infoOf(specs.map((s) => s.name));
    const problems: string[] = [];
    specs.forEach((spec, i) => {
      const [r, e] = replies[i]!;
      if (r.t !== 'array') return;
      for (const [f, field] of [[7, 'tips'], [8, 'key specs']] as const) {
        const want = show(stripNotes(r.v[f]!));
        const got = show(items(e)[f] ?? { t: 'null' });
        if (got !== want) problems.push(`${spec.name}: ${field}\n  redis:  ${want}\n  engine: ${got}`);
      }
    });
    expect(problems, `${problems.length} mismatches:\n${problems.join('\n')}`).toEqual([]);
  });

  it('COMMAND DOCS: since, group, doc flags, deprecation and argument trees of every registered command', async () => {
    const specs = [...pair.engine.engine!.commands.values()];
    const cmds = specs.map((s) => ['COMMAND', 'DOCS', s.name]);
    const [r, e] = await Promise.all([pair.r.pipeline(cmds), pair.e.pipeline(cmds)]);
    const problems: string[] = [];
    specs.forEach((spec, i) => {
      const want = r[i]!;
      const got = e[i]!;
      const doc = (v: RespValue) => (v.t === 'array' ? v.v[1] : v.t === 'map' ? v.v[0]?.[1] : undefined);
      const w = doc(want);
      if (!w) return; // not a Redis command: reported by the COMMAND INFO test
      const g = doc(got);
      const norm = (v: RespValue | undefined) => show(normalizeDocs(deepMaps(flatToMap(v ?? { t: 'null' }))));
      // Redis lists every subcommand; compare with the ones the engine registers.
      const registeredSubs = new Set((spec.subcommands ?? []).map((s) => s.name));
      const trimmed = (v: RespValue): RespValue => {
        const m = deepMaps(flatToMap(v));
        if (m.t !== 'map') return m;
        return {
          t: 'map',
          v: m.v.map(([k, x]): [RespValue, RespValue] =>
            text(k) === 'subcommands' && x.t === 'map' ? [k, { t: 'map', v: x.v.filter(([n]) => registeredSubs.has(text(n))) }] : [k, x],
          ),
        };
      };
      const a = norm(trimmed(w));
      const b = norm(g);
      if (a !== b) problems.push(`${spec.name}\n  redis:  ${a}\n  engine: ${b}`);
    });
    expect(problems, `${problems.length} mismatches:\n${problems.join('\n')}`).toEqual([]);
  });

  it('COMMAND returns one entry per registered command, as many as COMMAND COUNT says', async () => {
    const [all, count] = await Promise.all([pair.e.call('COMMAND'), pair.e.call('COMMAND', 'COUNT')]);
    const names = items(all).map((c) => text(items(c)[0]!)).sort();
    expect(names).toEqual([...pair.engine.engine!.commands.keys()].sort());
    expect(count).toEqual({ t: 'int', v: BigInt(names.length) });
  });

  it('every HELP subcommand frames its lines as Redis does (header, then HELP and "Prints this help.")', async () => {
    const helps = registered().filter((s) => s.name.endsWith('|help')).map((s) => s.name.split('|')[0]!.toUpperCase());
    expect(helps.length).toBeGreaterThan(10);
    const cmds = helps.map((c) => [c, 'HELP']);
    const [r, e] = await Promise.all([pair.r.pipeline(cmds), pair.e.pipeline(cmds)]);
    const frame = (v: RespValue) => {
      const lines = items(v).map(text);
      return [lines[0], ...lines.slice(-2)];
    };
    expect(helps.map((_, i) => frame(e[i]!))).toEqual(helps.map((_, i) => frame(r[i]!)));
  });
});

/** Converts flat RESP2 maps nested in a COMMAND DOCS entry into maps (arguments, subcommands). */
function deepMaps(v: RespValue): RespValue {
  if (v.t !== 'map') return v;
  return {
    t: 'map',
    v: v.v.map(([k, x]): [RespValue, RespValue] => {
      const key = text(k);
      if (key === 'arguments' && (x.t === 'array' || x.t === 'set')) return [k, { t: 'array', v: x.v.map((a) => deepMaps(flatToMap(a))) }];
      if (key === 'subcommands') {
        const m = flatToMap(x);
        return [k, m.t === 'map' ? { t: 'map', v: m.v.map(([n, d]): [RespValue, RespValue] => [n, deepMaps(flatToMap(d))]) } : m];
      }
      if ((key === 'flags' || key === 'doc_flags') && x.t === 'set') return [k, { t: 'array', v: x.v }];
      return [k, x];
    }),
  };
}

function flatToMap(v: RespValue): RespValue {
  if (v.t !== 'array') return v;
  const pairs: Array<[RespValue, RespValue]> = [];
  for (let k = 0; k < v.v.length; k += 2) pairs.push([v.v[k]!, v.v[k + 1]!]);
  return { t: 'map', v: pairs };
}

describe('the command metadata table covers all of Redis 7.0', () => {
  /** A CommandSpec built from Redis's own COMMAND INFO entry, to render our metadata against. */
  function specFrom(entry: RespValue): CommandSpec {
    const v = items(entry);
    const int = (x: RespValue) => (x.t === 'int' ? Number(x.v) : 0);
    return {
      name: text(v[0]!),
      arity: int(v[1]!),
      flags: items(v[2]).map(text) as CommandFlag[],
      firstKey: int(v[3]!),
      lastKey: int(v[4]!),
      step: int(v[5]!),
      acl: items(v[6]).map((c) => text(c).slice(1)),
      group: 'x',
      subcommands: items(v[9]).length ? items(v[9]).map(specFrom) : undefined,
    };
  }

  function render(proto: 2 | 3, write: (w: ReplyWriter) => void): RespValue {
    const w = new ReplyWriter();
    w.proto = proto;
    write(w);
    const p = new ReplyParser();
    p.push(Buffer.from(w.take(), 'latin1'));
    return p.next()!;
  }

  it('COMMAND INFO of every Redis command, rendered from the table, equals Redis (RESP2 and RESP3)', async () => {
    const problems: string[] = [];
    for (const proto of [2, 3] as const) {
      await pair.r.call('HELLO', String(proto));
      const all = await pair.r.call('COMMAND');
      expect(items(all).length).toBeGreaterThan(200);
      for (const entry of items(all)) {
        const want = show(sortSubcommands(stripNotes(entry)));
        const got = show(sortSubcommands(render(proto, (w) => writeCommandInfo(w, specFrom(entry)))));
        if (got !== want) problems.push(`RESP${proto} ${text(items(entry)[0]!)}\n  redis:  ${want}\n  engine: ${got}`);
      }
    }
    await pair.r.call('HELLO', '2');
    expect(problems, `${problems.length} mismatches:\n${problems.slice(0, 20).join('\n')}`).toEqual([]);
  });

  it('COMMAND DOCS of every Redis command, rendered from the table, equals Redis apart from our prose', async () => {
    await pair.r.call('HELLO', '3');
    const [all, docs] = [await pair.r.call('COMMAND'), await pair.r.call('COMMAND', 'DOCS')];
    await pair.r.call('HELLO', '2');
    const byName = new Map<string, RespValue>(docs.t === 'map' ? docs.v.map(([k, d]) => [text(k), d]) : []);
    const problems: string[] = [];
    for (const entry of items(all)) {
      const spec = specFrom(entry);
      const want = show(normalizeDocs(byName.get(spec.name)!));
      const got = show(normalizeDocs(render(3, (w) => writeCommandDocs(w, spec))));
      if (got !== want) problems.push(`${spec.name}\n  redis:  ${want}\n  engine: ${got}`);
    }
    expect(problems, `${problems.length} mismatches:\n${problems.slice(0, 20).join('\n')}`).toEqual([]);
  });
});
