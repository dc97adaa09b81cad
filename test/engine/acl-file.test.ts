// The ACL file against a real Redis 7.0.15: users loaded at start-up, ACL SAVE's format, ACL LOAD
// replacing every user (and disconnecting clients of the old ones), and its error report when any
// line is broken (nothing changes then).

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RespValue } from '../../src/formats/resp/reply-parser.js';
import { show } from '../helpers/differential.js';
import { RespClient } from '../helpers/resp-client.js';
import { startEngine, startRedis, type TestServer } from '../helpers/servers.js';

const dirs: string[] = [];
let redis: TestServer;
let engine: TestServer;
let r: RespClient;
let e: RespClient;
let rFile: string;
let eFile: string;

const INITIAL = ['user alice on >alicepw ~* &* +@all', 'user bob on nopass ~bob:* resetchannels -@all +@set +acl', 'user default on nopass ~* &* +@all', ''].join('\n');

/** The file name differs per server: error texts name it, so it is replaced before comparing. */
function neutral(v: RespValue): string {
  return show(v).split(rFile).join('FILE').split(eFile).join('FILE').split('r.acl').join('FILE').split('e.acl').join('FILE');
}

async function both(...cmd: string[]): Promise<void> {
  const [a, b] = await Promise.all([r.call(...cmd), e.call(...cmd)]);
  expect(neutral(b), cmd.join(' ')).toBe(neutral(a));
}

beforeAll(async () => {
  const rd = mkdtempSync(join(tmpdir(), 'acl-r-'));
  const ed = mkdtempSync(join(tmpdir(), 'acl-e-'));
  dirs.push(rd, ed);
  rFile = join(rd, 'r.acl');
  eFile = join(ed, 'e.acl');
  writeFileSync(rFile, INITIAL);
  writeFileSync(eFile, INITIAL);
  [redis, engine] = await Promise.all([startRedis({ aclfile: rFile }), startEngine({ dir: ed, aclfile: eFile })]);
  [r, e] = await Promise.all([RespClient.connect(redis.port), RespClient.connect(engine.port)]);
}, 30_000);

afterAll(async () => {
  r?.close();
  e?.close();
  await Promise.all([redis?.stop(), engine?.stop()]);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('aclfile', () => {
  it('loads users at start-up', async () => {
    await both('ACL', 'LIST');
    await both('AUTH', 'alice', 'alicepw');
    await both('ACL', 'WHOAMI');
    await both('AUTH', 'default', 'x');
  });

  it('ACL SAVE writes the ACL LIST lines', async () => {
    await both('ACL', 'SETUSER', 'carol', 'on', '>c', '%R~r:*', '&news', '-@all', '+get', '(+set ~w:*)');
    await both('ACL', 'SAVE');
    const lines = (f: string) => readFileSync(f, 'latin1').trimEnd().split('\n');
    expect(lines(eFile)).toEqual(lines(rFile));
  });

  it('ACL LOAD replaces the users and drops clients of the old ones', async () => {
    const [xr, xe] = await Promise.all([RespClient.connect(redis.port), RespClient.connect(engine.port)]);
    for (const c of [xr, xe]) expect(show(await c.call('AUTH', 'alice', 'alicepw'))).toContain('OK');
    const next = ['user default on nopass ~* &* +@all', 'user dave on >d ~* +@read', ''].join('\n');
    writeFileSync(rFile, next);
    writeFileSync(eFile, next);
    await both('ACL', 'LOAD');
    await both('ACL', 'LIST');
    const [rc, ec] = await Promise.all([xr.waitClose(), xe.waitClose()]);
    expect([rc, ec]).toEqual([true, true]);
    xr.close();
    xe.close();
  });

  it('a broken file changes nothing and names every problem', async () => {
    const broken = [
      'user default on nopass ~* &* +@all',
      'user dave on >d ~* +@read',
      'user dave on',
      'notuser x',
      'user erin on +nosuchcmd +@nosuchcat',
      'user fay on ~* ~x badrule',
      '',
    ].join('\n');
    writeFileSync(rFile, broken);
    writeFileSync(eFile, broken);
    await both('ACL', 'LOAD');
    await both('ACL', 'LIST');
  });

  it('a missing file is an error', async () => {
    rmSync(rFile);
    rmSync(eFile);
    await both('ACL', 'LOAD');
  });
});
