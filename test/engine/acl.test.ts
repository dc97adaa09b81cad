// ACL users against a real Redis 7.0.15: SETUSER rules and their errors, GETUSER / LIST shapes,
// AUTH and HELLO AUTH, the permission check (commands, first-args, keys with %R/%W, channels,
// selectors), MULTI/EXEC, scripts, ACL LOG, DRYRUN, DELUSER disconnecting clients.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { RespValue } from '../../src/formats/resp/reply-parser.js';
import { diff, same, show, sorted, startPair, type Cmd, type Pair } from '../helpers/differential.js';
import { RespClient } from '../helpers/resp-client.js';

/**
 * Rule texts list single commands in command-table order, which differs from Redis's hash-table
 * order: runs of +cmd/-cmd words are compared sorted. Log entries lose their timing/client fields.
 */
function normalize(v: RespValue, cmd: Cmd): RespValue {
  const sub = String(cmd[1] ?? '').toLowerCase();
  if (String(cmd[0]).toLowerCase() === 'acl' && sub === 'cat' && cmd.length === 3) return sorted(withoutMissing(v));
  if (String(cmd[0]).toLowerCase() === 'acl' && sub === 'log') return dropLogVolatile(v);
  if (String(cmd[0]).toLowerCase() === 'hello' && v.t === 'map')
    return { ...v, v: v.v.map(([k, x]) => [k, k.t === 'bulk' && k.v === 'id' ? { t: 'int', v: 0n } : x] as [RespValue, RespValue]) };
  if (String(cmd[0]).toLowerCase() === 'hello' && v.t === 'array')
    return { ...v, v: v.v.map((x, i) => (i > 0 && v.v[i - 1]!.t === 'bulk' && (v.v[i - 1] as { v: unknown }).v === 'id' ? { t: 'int', v: 0n } : x)) };
  return sortRuleRuns(v);
}

/** Commands the engine implements (COMMAND LIST): Redis's ACL CAT is compared on these only. */
const engineCommands = new Set<string>();

function withoutMissing(v: RespValue): RespValue {
  if (v.t !== 'array') return v;
  return { ...v, v: v.v.filter((x) => x.t === 'bulk' && engineCommands.has(String(x.v))) };
}

function sortRuleRuns(v: RespValue): RespValue {
  if (v.t === 'bulk' && typeof v.v === 'string' && /(^| )[+-][a-z]/.test(v.v)) {
    const words = v.v.split(' ');
    const out: string[] = [];
    let run: string[] = [];
    const flush = () => {
      out.push(...run.sort());
      run = [];
    };
    for (const w of words) {
      if (/^[+-][^@]/.test(w)) run.push(w);
      else {
        flush();
        out.push(w);
      }
    }
    flush();
    return { ...v, v: out.join(' ') };
  }
  if (v.t === 'array' || v.t === 'set') return { ...v, v: v.v.map(sortRuleRuns) };
  if (v.t === 'map') return { ...v, v: v.v.map(([k, x]) => [k, sortRuleRuns(x)] as [RespValue, RespValue]) };
  return v;
}

/** ACL LOG entries (RESP2 flat arrays) with age-seconds and client-info blanked. */
function dropLogVolatile(v: RespValue): RespValue {
  if (v.t !== 'array') return v;
  return {
    ...v,
    v: v.v.map((entry) => {
      if (entry.t !== 'array') return entry;
      const items = entry.v.map((x, i) => {
        const key = entry.v[i - 1];
        const volatile = i % 2 === 1 && key?.t === 'bulk' && (key.v === 'age-seconds' || key.v === 'client-info');
        return volatile ? ({ t: 'bulk', v: '' } as RespValue) : x;
      });
      return { ...entry, v: items };
    }),
  };
}

/** ACL LOG entries as [count, reason, context, object, username] (RESP2 flat maps). */
async function logOf(c: RespClient, n = 10): Promise<string[][]> {
  const r = await c.call('ACL', 'LOG', n);
  if (r.t !== 'array') throw new Error(JSON.stringify(r));
  return r.v.map((e) => {
    const flat = e.t === 'array' ? e.v : [];
    const get = (k: string) => {
      const i = flat.findIndex((x) => x.t === 'bulk' && x.v === k);
      const val = flat[i + 1]!;
      return String('v' in val ? val.v : '');
    };
    return [get('count'), get('reason'), get('context'), get('object'), get('username')];
  });
}

let pair: Pair;
let r2: RespClient;
let e2: RespClient;

async function both(...cmd: Cmd): Promise<void> {
  await same(pair, [cmd], { normalize });
}

/** A second connection on each side, to log in as another user. */
async function second(cmds: Cmd[]): Promise<void> {
  for (const c of cmds) {
    const [a, b] = await Promise.all([r2.call(...c), e2.call(...c)]);
    expect(show(normalize(b, c)), c.join(' ')).toBe(show(normalize(a, c)));
  }
}

beforeAll(async () => {
  pair = await startPair();
  [r2, e2] = await Promise.all([RespClient.connect(pair.redis.port), RespClient.connect(pair.engine.port)]);
  const list = await pair.e.call('COMMAND', 'LIST');
  if (list.t === 'array') for (const x of list.v) engineCommands.add(String('v' in x ? x.v : ''));
}, 30_000);

afterAll(async () => {
  r2?.close();
  e2?.close();
  await pair?.stop();
});

beforeEach(async () => {
  for (const c of [r2, e2]) await c.call('AUTH', 'default', 'x');
  const users = await pair.r.call('ACL', 'USERS');
  const names = users.t === 'array' ? users.v.map((u) => String('v' in u ? u.v : '')).filter((n) => n !== 'default') : [];
  for (const c of [pair.r, pair.e]) {
    await c.call('ACL', 'SETUSER', 'default', 'reset', 'on', 'nopass', '~*', '&*', '+@all');
    if (names.length) await c.call('ACL', 'DELUSER', ...names);
    await c.call('ACL', 'LOG', 'RESET');
    await c.call('FLUSHALL');
  }
  const eUsers = await pair.e.call('ACL', 'USERS');
  if (eUsers.t === 'array' && eUsers.v.length > 1) {
    const extra = eUsers.v.map((u) => String('v' in u ? u.v : '')).filter((n) => n !== 'default');
    await pair.e.call('ACL', 'DELUSER', ...extra);
  }
});

describe('ACL SETUSER / GETUSER / LIST', () => {
  it('describes new and default users', async () => {
    await both('ACL', 'WHOAMI');
    await both('ACL', 'USERS');
    await both('ACL', 'LIST');
    await both('ACL', 'GETUSER', 'default');
    await both('ACL', 'SETUSER', 'newuser');
    await both('ACL', 'GETUSER', 'newuser');
    await both('ACL', 'LIST');
    await both('ACL', 'GETUSER', 'nobody');
  });

  it('applies every rule kind the way Redis describes them', async () => {
    const rules: Cmd[] = [
      ['ACL', 'SETUSER', 'u1', 'on', '>p1', '>p2', '<p1', '#' + 'a'.repeat(64), '!' + 'a'.repeat(64)],
      ['ACL', 'SETUSER', 'u1', '~foo:*', '%R~read:*', '%W~write:*', '%RW~both:*', '~foo:*', '%R~write:*'],
      ['ACL', 'SETUSER', 'u1', '&chan:*', '&other', '+@hash', '-hdel', '+get', '+config|get', '+select|0', '+debug|object'],
      ['ACL', 'GETUSER', 'u1'],
      ['ACL', 'LIST'],
      ['ACL', 'SETUSER', 'u2', 'allkeys', 'allchannels', 'allcommands', '-@dangerous', 'nopass', 'on', 'skip-sanitize-payload'],
      ['ACL', 'GETUSER', 'u2'],
      ['ACL', 'SETUSER', 'u2', 'resetkeys', 'resetchannels', 'nocommands', '+@read', '-@write', 'resetpass', 'sanitize-payload'],
      ['ACL', 'GETUSER', 'u2'],
      ['ACL', 'SETUSER', 'u2', 'reset'],
      ['ACL', 'GETUSER', 'u2'],
      ['ACL', 'SETUSER', 'u3', '+@all', '-client', '+client|id', '-config|set'],
      ['ACL', 'GETUSER', 'u3'],
      ['ACL', 'SETUSER', 'u4', '-@all', '+@set', '+acl'],
      ['ACL', 'GETUSER', 'u4'],
      ['ACL', 'LIST'],
      ['ACL', 'USERS'],
    ];
    await same(pair, rules, { normalize });
  });

  it('selectors: creation, spread arguments, clearselectors, GETUSER shape', async () => {
    const cmds: Cmd[] = [
      ['ACL', 'SETUSER', 'sel', 'on', 'nopass', '(+get ~rw*)', '(', '+set', '%W~w*', ')', '(%R~r* +@read &ch)'],
      ['ACL', 'GETUSER', 'sel'],
      ['ACL', 'LIST'],
      ['ACL', 'SETUSER', 'sel', 'clearselectors'],
      ['ACL', 'GETUSER', 'sel'],
      ['ACL', 'SETUSER', 'sel', '(+get', '~x'],
      ['ACL', 'SETUSER', 'sel', '(+get badrule)'],
      ['ACL', 'SETUSER', 'sel', '(on)'],
      ['ACL', 'SETUSER', 'sel', '(+get ~x) (+set ~y)'],
      ['ACL', 'GETUSER', 'sel'],
    ];
    await same(pair, cmds, { normalize });
  });

  it('refuses bad rules with Redis wording and leaves the user unchanged', async () => {
    const cmds: Cmd[] = [
      ['ACL', 'SETUSER', 'bad', 'on', '+get'],
      ['ACL', 'SETUSER', 'bad', '+nosuchcommand'],
      ['ACL', 'SETUSER', 'bad', '-nosuchcommand'],
      ['ACL', 'SETUSER', 'bad', '+@nosuchcat'],
      ['ACL', 'SETUSER', 'bad', 'nosuchrule'],
      ['ACL', 'SETUSER', 'bad', '~*', '~foo'],
      ['ACL', 'SETUSER', 'bad', '&*', '&foo'],
      ['ACL', 'SETUSER', 'bad', '<notapass'],
      ['ACL', 'SETUSER', 'bad', '#abc'],
      ['ACL', 'SETUSER', 'bad', '#' + 'A'.repeat(64)],
      ['ACL', 'SETUSER', 'bad', '+config|get|x'],
      ['ACL', 'SETUSER', 'bad', '+config|nosuch'],
      ['ACL', 'SETUSER', 'bad', '+select|'],
      ['ACL', 'SETUSER', 'bad', '-select|0'],
      ['ACL', 'SETUSER', 'bad', '%X~foo'],
      ['ACL', 'SETUSER', 'bad', '%RR~foo'],
      ['ACL', 'SETUSER', 'bad', '~foo bar'],
      ['ACL', 'SETUSER', 'bad user'],
      ['ACL', 'SETUSER', 'bad\0user'],
      ['ACL', 'GETUSER', 'bad'],
      ['ACL', 'DELUSER', 'default'],
      ['ACL', 'DELUSER', 'bad', 'nosuch', 'bad'],
    ];
    await same(pair, cmds, { normalize });
  });

  it('command categories, CAT, GENPASS, HELP, arity', async () => {
    await both('ACL', 'CAT');
    for (const cat of ['keyspace', 'read', 'write', 'set', 'sortedset', 'list', 'hash', 'string', 'bitmap', 'hyperloglog', 'geo', 'stream', 'pubsub', 'admin', 'fast', 'slow', 'blocking', 'dangerous', 'connection', 'transaction', 'scripting'])
      await both('ACL', 'CAT', cat);
    await both('ACL', 'CAT', 'nosuch');
    await both('ACL', 'CAT', 'a', 'b');
    const help = await pair.e.call('ACL', 'HELP');
    expect(show(help)).toMatch(/^\{"t":"array","v":\[\{"t":"simple","v":"ACL <subcommand> \[<arg> \[value\] \[opt\] \.\.\.\]\. Subcommands are:"\}.*"HELP"\},\{"t":"simple","v":" {4}Prints this help\."\}\]\}$/);
    await both('ACL', 'HELP', 'x');
    await both('ACL', 'NOSUCH');
    await both('ACL');
    await both('ACL', 'GENPASS', '-1');
    await both('ACL', 'GENPASS', '5000');
    await both('ACL', 'GENPASS', 'x');
    for (const bits of [undefined, 1, 5, 128, 4096]) {
      const args: Cmd = bits === undefined ? ['ACL', 'GENPASS'] : ['ACL', 'GENPASS', bits];
      const [a, b] = await Promise.all([pair.r.call(...args), pair.e.call(...args)]);
      expect(b.t).toBe('bulk');
      expect(String('v' in b ? b.v : '').length).toBe(String('v' in a ? a.v : '').length);
      expect(String('v' in b ? b.v : '')).toMatch(/^[0-9a-f]+$/);
    }
    await both('ACL', 'LOAD');
    await both('ACL', 'SAVE');
  });
});

describe('AUTH and HELLO', () => {
  it('logs in as ACL users, refuses wrong pairs and disabled users', async () => {
    await both('ACL', 'SETUSER', 'alice', 'on', '>secret', '+@all', '~*');
    await both('ACL', 'SETUSER', 'off1', 'off', '>pw', '+@all');
    await second([
      ['AUTH', 'alice', 'wrong'],
      ['AUTH', 'nosuch', 'x'],
      ['AUTH', 'off1', 'pw'],
      ['AUTH', 'secret'],
      ['AUTH', 'a', 'b', 'c'],
      ['AUTH', 'alice', 'secret'],
      ['ACL', 'WHOAMI'],
      ['HELLO', '2', 'AUTH', 'alice', 'bad'],
      ['HELLO', '3', 'AUTH', 'default', 'anything'],
      ['ACL', 'WHOAMI'],
      ['HELLO', '2', 'AUTH', 'alice', 'secret'],
      ['ACL', 'WHOAMI'],
      ['RESET'],
      ['ACL', 'WHOAMI'],
    ]);
    const [lr, le] = await Promise.all([logOf(pair.r), logOf(pair.e)]);
    expect(le).toEqual(lr);
  });

  it('the default user follows requirepass and its own rules', async () => {
    await both('CONFIG', 'SET', 'requirepass', 'pw');
    await both('ACL', 'GETUSER', 'default');
    await second([['AUTH', 'default', 'nope'], ['AUTH', 'pw'], ['ACL', 'WHOAMI']]);
    await both('CONFIG', 'SET', 'requirepass', '');
    await both('ACL', 'GETUSER', 'default');
    await second([['AUTH', 'pw']]);
    // A fresh connection while the default user is off must authenticate first.
    await both('ACL', 'SETUSER', 'default', 'off');
    const [nr, ne] = await Promise.all([RespClient.connect(pair.redis.port), RespClient.connect(pair.engine.port)]);
    const [a, b] = await Promise.all([nr.call('PING'), ne.call('PING')]);
    expect(b).toEqual(a);
    nr.close();
    ne.close();
    await both('ACL', 'SETUSER', 'default', 'on');
  });
});

describe('the permission check', () => {
  it('commands, subcommands, categories and first-args', async () => {
    await both('ACL', 'SETUSER', 'bob', 'on', 'nopass', '~*', '&*', '-@all', '+get', '+config|get', '+select|0', '+@hash', '-hset', '+client');
    await both('SET', 'k', 'v');
    await second([
      ['AUTH', 'bob', 'x'],
      ['GET', 'k'],
      ['SET', 'k', 'v2'],
      ['CONFIG', 'GET', 'maxmemory'],
      ['CONFIG', 'SET', 'maxmemory', '0'],
      ['SELECT', '0'],
      ['SELECT', '1'],
      ['HGET', 'h', 'f'],
      ['HSET', 'h', 'f', 'v'],
      ['CLIENT', 'ID'].slice(0, 1).concat(['GETNAME']),
      ['PING'],
      ['AUTH', 'bob', 'y'],
      ['HELLO'],
      ['QUIT'].slice(0, 0).concat(['ECHO', 'x']),
    ]);
    const [lr, le] = await Promise.all([logOf(pair.r), logOf(pair.e)]);
    expect(le).toEqual(lr);
  });

  it('keys: plain, read-only and write-only patterns', async () => {
    await both('ACL', 'SETUSER', 'kk', 'on', 'nopass', '+@all', '~plain:*', '%R~ro:*', '%W~wo:*');
    await second([
      ['AUTH', 'kk', 'x'],
      ['SET', 'plain:1', 'a'],
      ['SET', 'ro:1', 'a'],
      ['SET', 'wo:1', 'a'],
      ['GET', 'plain:1'],
      ['GET', 'ro:1'],
      ['GET', 'wo:1'],
      ['EXISTS', 'wo:1'],
      ['EXISTS', 'other'],
      ['MSET', 'plain:2', 'x', 'other', 'y'],
      ['MGET', 'plain:1', 'ro:1', 'wo:1'],
      ['LPUSH', 'wo:l', 'a'],
      ['RPOPLPUSH', 'plain:l', 'wo:l'],
      ['COPY', 'ro:1', 'wo:2'],
      ['APPEND', 'wo:1', 'x'],
      ['SORT', 'plain:l'],
      ['EVAL', 'return 1', '1', 'other'],
      ['EVAL', 'return 1', '1', 'plain:1'],
      ['ZUNIONSTORE', 'wo:z', '2', 'ro:a', 'ro:b'],
      ['ZUNIONSTORE', 'ro:z', '2', 'ro:a', 'ro:b'],
      ['XREAD', 'STREAMS', 'ro:s', 'wo:s', '0', '0'],
      ['DEL', 'ro:1'],
      ['BITFIELD', 'ro:1', 'GET', 'u8', '0'],
      ['BITFIELD', 'wo:1', 'SET', 'u8', '0', '1'],
      ['OBJECT', 'ENCODING', 'wo:1'],
    ]);
    const [lr, le] = await Promise.all([logOf(pair.r, 30), logOf(pair.e, 30)]);
    expect(le).toEqual(lr);
  });

  it('SORT BY and GET patterns need access to every key', async () => {
    await both('RPUSH', 'plain:l', '2', '1', '3');
    await both('ACL', 'SETUSER', 'sk', 'on', 'nopass', '+@all', '~plain:*');
    await both('ACL', 'SETUSER', 'sa', 'on', 'nopass', '+@all', '%R~*', '~plain:*');
    await second([
      ['AUTH', 'sk', 'x'],
      ['SORT', 'plain:l'],
      ['SORT', 'plain:l', 'BY', 'nosort'],
      ['SORT', 'plain:l', 'BY', 'w_*'],
      ['SORT', 'plain:l', 'GET', '#'],
      ['SORT_RO', 'plain:l', 'GET', 'v_*'],
      ['AUTH', 'sa', 'x'],
      ['SORT', 'plain:l', 'BY', 'w_*', 'GET', '#', 'GET', 'v_*'],
      ['SORT_RO', 'plain:l', 'BY', 'w_*'],
    ]);
  });

  it('channels: publish, subscribe, patterns, and revoked subscribers', async () => {
    await both('ACL', 'SETUSER', 'psub', 'on', 'nopass', '+@all', '~*', 'resetchannels', '&news.*', '&exact');
    await second([
      ['AUTH', 'psub', 'x'],
      ['PUBLISH', 'news.a', 'm'],
      ['PUBLISH', 'sport', 'm'],
      ['SPUBLISH', 'sport', 'm'],
      ['PSUBSCRIBE', 'news.*'].slice(0, 0).concat(['ACL', 'WHOAMI']),
    ]);
    // Subscribing clients, then permissions revoked: Redis kills them.
    const [sr, se] = await Promise.all([RespClient.connect(pair.redis.port), RespClient.connect(pair.engine.port)]);
    for (const c of [sr, se]) await c.call('AUTH', 'psub', 'x');
    const subs: Cmd[] = [['SUBSCRIBE', 'exact', 'nope'], ['SUBSCRIBE', 'news.1'], ['PSUBSCRIBE', 'news.*'], ['PSUBSCRIBE', 'news.x*']];
    for (const c of subs) {
      const [a, b] = await Promise.all([sr.call(...c), se.call(...c)]);
      expect(b, c.join(' ')).toEqual(a);
    }
    await both('ACL', 'SETUSER', 'psub', '&more');
    await both('PUBLISH', 'news.1', 'still');
    const [ra, ea] = await Promise.all([sr.read(), se.read()]);
    expect(ea).toEqual(ra);
    await both('ACL', 'SETUSER', 'psub', 'resetchannels', '&exact');
    const [rc, ec] = await Promise.all([sr.waitClose(), se.waitClose()]);
    expect([rc, ec]).toEqual([true, true]);
    sr.close();
    se.close();
  });

  it('selectors: one selector must allow the command and all its keys', async () => {
    await both('ACL', 'SETUSER', 'multi', 'on', 'nopass', '-@all', '+get', '~a*', '(+set ~b*)', '(%R~c* +@read)');
    await second([
      ['AUTH', 'multi', 'x'],
      ['GET', 'a1'],
      ['GET', 'b1'],
      ['SET', 'b1', 'v'],
      ['SET', 'a1', 'v'],
      ['GET', 'c1'],
      ['MGET', 'a1', 'c1'],
      ['MGET', 'c1', 'c2'],
      ['SET', 'c1', 'v'],
      ['PUBLISH', 'x', 'y'],
    ]);
    const [lr, le] = await Promise.all([logOf(pair.r, 30), logOf(pair.e, 30)]);
    expect(le).toEqual(lr);
  });

  it('DRYRUN', async () => {
    await both('ACL', 'SETUSER', 'dry', 'on', 'nopass', '-@all', '+set', '~k*', '&c*', '+publish');
    const cmds: Cmd[] = [
      ['ACL', 'DRYRUN', 'dry', 'SET', 'k1', 'v'],
      ['ACL', 'DRYRUN', 'dry', 'SET', 'x1', 'v'],
      ['ACL', 'DRYRUN', 'dry', 'GET', 'k1'],
      ['ACL', 'DRYRUN', 'dry', 'PUBLISH', 'c1', 'm'],
      ['ACL', 'DRYRUN', 'dry', 'PUBLISH', 'd1', 'm'],
      ['ACL', 'DRYRUN', 'dry', 'CONFIG', 'GET', 'x'],
      ['ACL', 'DRYRUN', 'dry', 'CONFIG', 'nosuch'],
      ['ACL', 'DRYRUN', 'dry', 'SET', 'k1'],
      ['ACL', 'DRYRUN', 'nosuch', 'GET', 'k'],
      ['ACL', 'DRYRUN', 'dry', 'NOSUCH', 'k'],
      ['ACL', 'DRYRUN', 'dry'],
    ];
    await same(pair, cmds, { normalize });
  });

  it('MULTI: refused while queuing, and again at EXEC when the rules changed', async () => {
    await both('ACL', 'SETUSER', 'tx', 'on', 'nopass', '+@all', '~obj:*');
    await second([
      ['AUTH', 'tx', 'x'],
      ['MULTI'],
      ['INCR', 'foo'],
      ['INCR', 'obj:1'],
      ['EXEC'],
      ['MULTI'],
      ['INCR', 'obj:1'],
      ['SET', 'obj:2', 'x'],
    ]);
    await both('ACL', 'SETUSER', 'tx', '-incr');
    await second([['EXEC'], ['GET', 'obj:2']]);
    const [lr, le] = await Promise.all([logOf(pair.r), logOf(pair.e)]);
    expect(le).toEqual(lr);
  });

  it('scripts run with the caller user: NOPERM script wording, acl_check_cmd, lua log context', async () => {
    await both('ACL', 'SETUSER', 'lua', 'on', 'nopass', '+@all', '-hset', '-incr', '~xx', '~foo');
    await second([
      ['AUTH', 'lua', 'x'],
      ['EVAL', "return redis.call('incr','foo')", '0'],
      ['EVAL', "return redis.pcall('incr','foo')", '0'],
      ['EVAL', "return redis.call('set','yy','1')", '0'],
      ['EVAL', "return redis.acl_check_cmd('set','xx',1)", '1', 'xx'],
      ['EVAL', "return redis.acl_check_cmd('hset','xx','f',1)", '1', 'xx'],
      ['EVAL', "return redis.acl_check_cmd('set','yy',1)", '0'],
      ['EVAL', "return redis.acl_check_cmd('invalid-cmd','arg')", '0'],
    ]);
    const [lr, le] = await Promise.all([logOf(pair.r), logOf(pair.e)]);
    expect(le).toEqual(lr);
  });

  it('ACL LOG: grouping, counts, RESET, bad counts', async () => {
    await both('ACL', 'SETUSER', 'antirez', 'on', '>foo', '+set', '~object:1234');
    await second([['AUTH', 'antirez', 'foo'], ['GET', 'foo'], ['GET', 'foo'], ['GET', 'foo'], ['SET', 'other', '1'], ['AUTH', 'antirez', 'bad']]);
    const [lr, le] = await Promise.all([logOf(pair.r), logOf(pair.e)]);
    expect(le).toEqual(lr);
    await same(pair, [['ACL', 'LOG', 'x'], ['ACL', 'LOG', '-1'], ['ACL', 'LOG', '1', '2']], { normalize });
    const [a, b] = await Promise.all([logOf(pair.r, 1), logOf(pair.e, 1)]);
    expect(b).toEqual(a);
    const raw = await pair.e.call('ACL', 'LOG', '1');
    expect(show(raw)).toMatch(/age-seconds.*client-info.*user=antirez/);
    await both('ACL', 'LOG', '2');
    await both('ACL', 'LOG', 'RESET');
    await both('ACL', 'LOG');
  });
});

describe('users and their clients', () => {
  it('DELUSER disconnects the clients of the user, CLIENT KILL USER', async () => {
    await both('ACL', 'SETUSER', 'gone', 'on', '>pw', '+@all', '~*');
    const [xr, xe] = await Promise.all([RespClient.connect(pair.redis.port), RespClient.connect(pair.engine.port)]);
    for (const c of [xr, xe]) await c.call('AUTH', 'gone', 'pw');
    const list = await pair.e.call('CLIENT', 'LIST');
    expect(show(list)).toContain('user=gone');
    await both('CLIENT', 'KILL', 'USER', 'nosuch');
    await both('ACL', 'DELUSER', 'gone');
    const [rc, ec] = await Promise.all([xr.waitClose(), xe.waitClose()]);
    expect([rc, ec]).toEqual([true, true]);
    await both('ACL', 'SETUSER', 'gone2', 'on', '>pw', '+@all', '~*');
    const [yr, ye] = await Promise.all([RespClient.connect(pair.redis.port), RespClient.connect(pair.engine.port)]);
    for (const c of [yr, ye]) await c.call('AUTH', 'gone2', 'pw');
    await both('CLIENT', 'KILL', 'USER', 'gone2');
    xr.close();
    xe.close();
    yr.close();
    ye.close();
  });

  it('a client deleting its own user gets the reply, then is closed', async () => {
    await both('ACL', 'SETUSER', 'self', 'on', '>pw', '+acl');
    const [xr, xe] = await Promise.all([RespClient.connect(pair.redis.port), RespClient.connect(pair.engine.port)]);
    for (const c of [xr, xe]) await c.call('AUTH', 'self', 'pw');
    const [a, b] = await Promise.all([xr.call('ACL', 'DELUSER', 'self'), xe.call('ACL', 'DELUSER', 'self')]);
    expect(b).toEqual(a);
    const [rc, ec] = await Promise.all([xr.waitClose(), xe.waitClose()]);
    expect([rc, ec]).toEqual([true, true]);
  });
});

describe('generated rule sets', () => {
  it('GETUSER and DRYRUN agree with Redis for random rule combinations', async () => {
    const rule = fc.constantFrom(
      '+get', '-get', '+set', '-set', '+@read', '-@read', '+@write', '-@write', '+@hash', '-@string', '+@all', '-@all',
      '~a*', '%R~b*', '%W~c*', 'resetkeys', 'allkeys', '&ch*', 'resetchannels', 'allchannels', '+config|get', '-config',
      '+client|id', '+select|1', 'on', 'off', 'nopass', '>pw', 'resetpass', '(+get ~a*)', 'clearselectors', '+@pubsub',
    );
    const probe: Cmd[] = [
      ['GET', 'a1'], ['GET', 'b1'], ['SET', 'c1', 'v'], ['SET', 'b1', 'v'], ['HSET', 'a1', 'f', 'v'], ['CONFIG', 'GET', 'x'],
      ['CLIENT', 'ID'], ['SELECT', '1'], ['PUBLISH', 'ch1', 'm'], ['SUBSCRIBE', 'zz'], ['MGET', 'a1', 'b1'],
    ];
    const samples = fc.sample(fc.array(rule, { minLength: 1, maxLength: 8 }), { seed: 7, numRuns: 40 });
    const problems: string[] = [];
    for (const [i, rules] of samples.entries()) {
      const name = `gen${i}`;
      const cmds: Cmd[] = [['ACL', 'SETUSER', name, ...rules], ['ACL', 'GETUSER', name], ...probe.map((p) => ['ACL', 'DRYRUN', name, ...p] as Cmd)];
      problems.push(...(await diff(pair, cmds, { normalize })));
    }
    expect(problems).toEqual([]);
  }, 30_000);
});
