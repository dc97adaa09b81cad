#!/usr/bin/env node
// `npm run compat`: measures the bundled engine against Redis 7.0.15's own Tcl test suite.
// For each unit it starts a fresh redis-server and a fresh engine (some units leave config
// behind, so nothing is shared), runs the suite's external-server mode against each under a hard
// time limit, counts [ok]/[err]/[exception] lines, and prints redis vs engine pass counts.
// The suite comes from Debian's source package (apt-get source), cached in .cache/redis-tests;
// it is never committed.
//
//   node scripts/compat.mjs                      default units
//   node scripts/compat.mjs --units type/string,expire
//   node scripts/compat.mjs --also info-command,introspection-2
//   node scripts/compat.mjs --json out.json --details
//   node scripts/compat.mjs --engine-only | --redis-only | --parallel | --no-build

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = join(ROOT, '.cache', 'redis-tests');
const VERSION = '7.0.15';
const SUITE = join(CACHE, `redis-${VERSION}`);
const SKIPFILE = join(ROOT, 'scripts', 'compat-skiplist.txt');

const DEFAULT_UNITS = ['type/string', 'type/incr', 'type/list', 'type/hash', 'type/set', 'type/zset', 'expire', 'keyspace', 'multi', 'pubsub', 'scan', 'protocol'];
const TAGS = process.env.COMPAT_TAGS ?? '-slow -needs:repl -needs:debug';

function usage() {
  console.log(`usage: node scripts/compat.mjs [options]
  --units a,b        run exactly these units (names as in tests/unit, e.g. type/list,expire)
  --also a,b         run these units after the default ones (e.g. info-command,introspection-2,slowlog)
  --json FILE        also write the table (and per-test results) as JSON
  --details          list the tests that pass on Redis but not on the engine
  --engine-only      do not run redis-server (table shows engine counts only)
  --redis-only       do not run the engine
  --parallel         run redis and the engine side by side (faster; timing tests may flake)
  --unit-timeout S   hard limit per unit and server (default 900)
  --no-build         do not compile the engine first (uses dist/ as it is)
  --keep-logs DIR    keep each run's full suite output in DIR
environment: COMPAT_TAGS replaces the tag filter (default "-slow -needs:repl -needs:debug")`);
}

function parseArgs(argv) {
  const o = { units: DEFAULT_UNITS, also: [], json: null, details: false, engine: true, redis: true, parallel: false, unitTimeout: 900, build: true, keepLogs: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--units') o.units = val().split(',').filter(Boolean);
    else if (a === '--also') o.also = val().split(',').filter(Boolean);
    else if (a === '--json') o.json = val();
    else if (a === '--details') o.details = true;
    else if (a === '--engine-only') o.redis = false;
    else if (a === '--redis-only') o.engine = false;
    else if (a === '--parallel') o.parallel = true;
    else if (a === '--resp3') throw new Error('--resp3: the 7.0.15 suite has no --force-resp3 (it came in 7.2); not available');
    else if (a === '--unit-timeout') o.unitTimeout = Number(val());
    else if (a === '--no-build') o.build = false;
    else if (a === '--keep-logs') o.keepLogs = val();
    else if (a === '-h' || a === '--help') {
      usage();
      process.exit(0);
    } else throw new Error(`unknown option ${a} (try --help)`);
  }
  o.units = [...o.units, ...o.also].map((u) => u.replace(/^(tests\/)?unit\//, '').replace(/\.tcl$/, ''));
  return o;
}

// ---------------------------------------------------------------------------------------------
// Getting the suite

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...opts });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}):\n${(r.stderr || r.stdout).slice(-2000)}`);
  return r.stdout;
}

/** True when some apt source (deb822 .sources or one-line .list) offers deb-src. */
function haveDebSrc() {
  const files = ['/etc/apt/sources.list'];
  const dir = '/etc/apt/sources.list.d';
  if (existsSync(dir)) for (const f of readdirSync(dir)) if (/\.(list|sources)$/.test(f)) files.push(join(dir, f));
  return files.some((f) => {
    try {
      const text = readFileSync(f, 'utf8');
      return /^\s*Types:.*\bdeb-src\b/m.test(text) || /^\s*deb-src\s/m.test(text);
    } catch {
      return false;
    }
  });
}

/** Adds a deb-src twin of debian.sources (same URIs, suites, keys) and refreshes the lists. */
function addDebSrc() {
  const base = '/etc/apt/sources.list.d/debian.sources';
  if (!existsSync(base)) throw new Error(`no deb-src source and no ${base} to mirror; add a deb-src line for Debian bookworm and retry`);
  const text = readFileSync(base, 'utf8').replace(/^(\s*Types:).*$/gm, '$1 deb-src');
  const target = '/etc/apt/sources.list.d/debian-src.sources';
  console.log(`compat: adding ${target} (deb-src mirror of ${base}) and running apt-get update`);
  writeFileSync(target, text);
  sh('apt-get', ['update'], { stdio: ['ignore', 'ignore', 'pipe'] });
}

function ensureSuite() {
  if (existsSync(join(SUITE, 'tests', 'test_helper.tcl'))) return;
  mkdirSync(CACHE, { recursive: true });
  let orig = readdirSync(CACHE).find((f) => f === `redis_${VERSION}.orig.tar.gz`);
  if (!orig) {
    if (!haveDebSrc()) addDebSrc();
    console.log(`compat: downloading Debian's redis source package into ${CACHE}`);
    try {
      sh('apt-get', ['source', '--download-only', 'redis'], { cwd: CACHE });
    } catch (err) {
      // The lists may predate the deb-src entry.
      sh('apt-get', ['update'], { stdio: ['ignore', 'ignore', 'pipe'] });
      sh('apt-get', ['source', '--download-only', 'redis'], { cwd: CACHE });
      void err;
    }
    orig = readdirSync(CACHE).find((f) => f === `redis_${VERSION}.orig.tar.gz`);
    if (!orig) {
      const got = readdirSync(CACHE).filter((f) => f.endsWith('.orig.tar.gz'));
      throw new Error(`apt-get source fetched ${got.join(', ') || 'nothing'}, not redis ${VERSION}; the suite must match the redis-server it is compared with`);
    }
  }
  console.log(`compat: extracting ${orig}`);
  sh('tar', ['-xzf', orig], { cwd: CACHE });
  if (!existsSync(join(SUITE, 'tests', 'test_helper.tcl'))) throw new Error(`${orig} did not contain redis-${VERSION}/tests`);
}

/**
 * The harness names src/redis-server, src/redis-cli and src/redis-benchmark. External mode never
 * spawns a server, but helpers that shell out to the tools must find them: point them at the
 * system's binaries of the same version.
 */
function ensureTools() {
  const src = join(SUITE, 'src');
  mkdirSync(src, { recursive: true });
  for (const tool of ['redis-server', 'redis-cli', 'redis-benchmark']) {
    const path = join(src, tool);
    if (existsSync(path)) continue;
    writeFileSync(path, `#!/bin/sh\n# compat.mjs stand-in: the suite runs against external servers only.\nexec ${tool} "$@"\n`);
    chmodSync(path, 0o755);
  }
}

function checkPrerequisites() {
  for (const [cmd, hint] of [
    ['tclsh', 'apt-get install tcl'],
    ['redis-server', 'apt-get install redis-server'],
    ['timeout', 'coreutils'],
  ]) {
    const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} not found (${hint})`);
  }
  const v = spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).stdout;
  if (!v.includes(`v=${VERSION}`)) console.warn(`compat: warning: redis-server is not ${VERSION} (${v.trim()}); pass counts are not comparable`);
}

// ---------------------------------------------------------------------------------------------
// Servers

function freePort() {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

/** Resolves once something on `port` answers PING (+PONG or -NOAUTH), rejects after `ms`. */
async function waitReady(port, ms, proc) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}`);
    const ok = await new Promise((res) => {
      const s = net.connect({ port, host: '127.0.0.1' });
      const t = setTimeout(() => (s.destroy(), res(false)), 500);
      s.once('error', () => (clearTimeout(t), res(false)));
      s.once('data', (d) => {
        clearTimeout(t);
        s.destroy();
        res(/^(\+PONG|-NOAUTH)/.test(d.toString()));
      });
      s.once('connect', () => s.write('PING\r\n'));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server on port ${port} not ready after ${ms} ms`);
}

const children = new Set();

function startServer(kind, port, dir) {
  const args =
    kind === 'redis'
      ? ['redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--enable-debug-command', 'yes', '--dir', dir, '--daemonize', 'no', '--logfile', '']]
      : [process.execPath, [join(ROOT, 'bin', 'redscope.js'), 'server', '--port', String(port), '--bind', '127.0.0.1', '--enable-debug-command', 'yes', '--save', '', '--dir', dir]];
  const proc = spawn(args[0], args[1], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let log = '';
  const keep = (d) => {
    log += d;
    if (log.length > 20000) log = log.slice(-10000);
  };
  proc.stdout.on('data', keep);
  proc.stderr.on('data', keep);
  children.add(proc);
  proc.on('exit', () => children.delete(proc));
  return { proc, log: () => log };
}

function killTree(proc) {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((res) => {
    proc.once('exit', res);
    try {
      process.kill(-proc.pid, 'SIGKILL'); // the whole process group (detached)
    } catch {
      try {
        proc.kill('SIGKILL');
      } catch {
        /* already gone */
      }
    }
    setTimeout(res, 3000);
  });
}

function cleanupAll() {
  for (const p of children) {
    try {
      process.kill(-p.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}
process.on('exit', cleanupAll);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    cleanupAll();
    process.exit(130);
  });
}

// ---------------------------------------------------------------------------------------------
// Running one unit against one server

/**
 * scripts/compat-skiplist.txt: tests known to hang the engine, one name (or /regexp) per line,
 * '#' comments. Skipped on the engine only and counted as failures, so the ratio stays honest;
 * it only saves the harness's 120 s time-out per hang.
 */
function skipList() {
  if (!existsSync(SKIPFILE)) return [];
  return readFileSync(SKIPFILE, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

const ANSI = /\x1b\[[0-9;]*m/g;

/** Parses the suite's output into per-test results. */
export function parseSuiteOutput(text) {
  const ok = [];
  const err = [];
  const exception = [];
  const skipped = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(ANSI, '').replace(/\r$/, '');
    let m;
    if ((m = /^\[ok\]: (.*?)(?: \(\d+ ms\))?$/.exec(line))) ok.push(m[1]);
    else if ((m = /^\[err\]: (.*?)(?: in tests\/\S+)?$/.exec(line))) err.push(m[1]);
    else if ((m = /^\[exception\]: (.*)$/.exec(line))) exception.push(m[1]);
    else if ((m = /^\[skip\]: (.*)$/.exec(line))) skipped.push(m[1]);
  }
  return { ok, err, exception, skipped };
}

/** How many times a unit is restarted after a test hangs (each hang costs the harness's 120 s). */
const MAX_HANG_RETRIES = 4;

/**
 * Runs `unit` against a fresh server of `kind`. When a test hangs (the harness reports
 * [TIMEOUT] with the test IN PROGRESS), the unit is run again on a fresh server with that test
 * skipped, so one hang does not hide the rest of the unit; hung tests count as failures.
 */
async function runUnit(kind, unit, opts, baseport) {
  const started = Date.now();
  const hung = [];
  let result;
  for (let attempt = 0; ; attempt++) {
    result = await runUnitOnce(kind, unit, opts, baseport, hung);
    if (!result.hungIn || attempt >= MAX_HANG_RETRIES || hung.includes(result.hungIn)) break;
    hung.push(result.hungIn);
    console.log(`compat: ${unit} (${kind}): "${result.hungIn}" hung; running the unit again without it`);
  }
  // Skipped tests (skiplist entries and tests that hung) are failures: they did not pass.
  for (const t of result.skipped) result.err.push(`${t} (${hung.includes(t) ? 'hung' : 'skiplist'})`);
  if (hung.length > 0) result.note = [result.note, `hung: ${hung.join('; ')}`].filter(Boolean).join('; ');
  result.seconds = Math.round((Date.now() - started) / 1000);
  return result;
}

async function runUnitOnce(kind, unit, opts, baseport, skip) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), `redscope-compat-${kind}-`));
  const server = startServer(kind, port, dir);
  const result = { unit, server: kind, ok: [], err: [], exception: [], skipped: [], timedOut: false, hungIn: null, seconds: 0, note: '' };
  try {
    await waitReady(port, 20_000, server.proc);
    const args = [
      '--kill-after=15',
      String(opts.unitTimeout),
      'tclsh',
      'tests/test_helper.tcl',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--single',
      `unit/${unit}`,
      '--clients',
      '1',
      '--tags',
      TAGS,
      '--durable',
      '--ignore-encoding',
      '--ignore-digest',
      '--timeout',
      '120',
      '--baseport',
      String(baseport),
    ];
    for (const t of skip) args.push('--skiptest', t);
    // Known hangs are skipped on the engine only (they count as failures below).
    const skips = kind === 'engine' ? skipList() : [];
    if (skips.length > 0) {
      // The harness reads every line as a test name: pass it the list without comments.
      const file = join(dir, 'skiplist.txt');
      writeFileSync(file, skips.join('\n') + '\n');
      args.push('--skipfile', file);
    }
    const out = await new Promise((res) => {
      const p = spawn('timeout', args, { cwd: SUITE, stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, TERM: 'dumb' } });
      children.add(p);
      let text = '';
      p.stdout.on('data', (d) => (text += d));
      p.stderr.on('data', (d) => (text += d));
      p.on('exit', async (code) => {
        children.delete(p);
        try {
          process.kill(-p.pid, 'SIGKILL'); // test clients the harness spawned
        } catch {
          /* gone */
        }
        res({ text, code });
      });
    });
    Object.assign(result, parseSuiteOutput(out.text));
    const hang = /\(IN PROGRESS\) (.*)$/m.exec(out.text.replace(ANSI, ''));
    if (hang) result.hungIn = hang[1].trim();
    result.timedOut = out.code === 124 || out.code === 137;
    if (result.timedOut) result.note = `hard limit of ${opts.unitTimeout}s reached`;
    else if (out.code !== 0 && result.ok.length + result.err.length === 0) result.note = `suite exited ${out.code}: ${out.text.replace(ANSI, '').trim().split('\n').slice(-3).join(' | ')}`;
    if (opts.keepLogs) {
      mkdirSync(opts.keepLogs, { recursive: true });
      writeFileSync(join(opts.keepLogs, `${unit.replace(/\//g, '_')}.${kind}.log`), out.text);
      writeFileSync(join(opts.keepLogs, `${unit.replace(/\//g, '_')}.${kind}.server.log`), server.log());
    }
  } catch (e) {
    result.note = `${e instanceof Error ? e.message : String(e)}; server output: ${server.log().slice(-300)}`;
  } finally {
    await killTree(server.proc);
    rmSync(dir, { recursive: true, force: true });
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Report

function total(r) {
  return r.ok.length + r.err.length + r.exception.length;
}

function cell(r) {
  if (!r) return '-';
  return `${r.ok.length}/${total(r)}${r.timedOut ? ' (timeout)' : ''}`;
}

function printTable(rows) {
  const header = ['unit', 'redis', 'engine', 'engine/redis'];
  const lines = rows.map((row) => {
    const pct = row.redis && row.engine && row.redis.ok.length > 0 ? `${((100 * row.engine.ok.length) / row.redis.ok.length).toFixed(1)}%` : '-';
    return [row.unit, cell(row.redis), cell(row.engine), pct];
  });
  const sum = (k) => rows.reduce((n, r) => n + (r[k] ? r[k].ok.length : 0), 0);
  const sumT = (k) => rows.reduce((n, r) => n + (r[k] ? total(r[k]) : 0), 0);
  const tr = sum('redis');
  const te = sum('engine');
  lines.push(['TOTAL', rows.some((r) => r.redis) ? `${tr}/${sumT('redis')}` : '-', rows.some((r) => r.engine) ? `${te}/${sumT('engine')}` : '-', tr > 0 && rows.some((r) => r.engine) ? `${((100 * te) / tr).toFixed(1)}%` : '-']);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (l) => l.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log('');
  console.log(fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines.slice(0, -1)) console.log(fmt(l));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  console.log(fmt(lines[lines.length - 1]));
  for (const row of rows) {
    for (const k of ['redis', 'engine']) if (row[k]?.note) console.log(`note: ${row.unit} (${k}): ${row[k].note}`);
    if (row.redis && row.engine) {
      const names = new Set(row.redis.ok.concat(row.redis.err, row.redis.exception));
      const seen = new Set(row.engine.ok.concat(row.engine.err, row.engine.exception).map((t) => t.replace(/ \((hung|skiplist)\)$/, '')));
      const notRun = [...names].filter((t) => !seen.has(t));
      const outside = [...seen].filter((t) => !names.has(t));
      if (notRun.length > 0) {
        const list = notRun.slice(0, 3).join('; ') + (notRun.length > 3 ? `; +${notRun.length - 3} more` : '');
        console.log(`note: ${row.unit} (engine): ${notRun.length} test(s) Redis ran did not run on the engine: ${list}`);
      }
      for (const t of outside) console.log(`note: ${row.unit} (engine): error outside a test (stops the unit or a block): ${t.slice(0, 120)}`);
    }
  }
}

function printDetails(rows) {
  for (const row of rows) {
    if (!row.engine) continue;
    const passing = new Set(row.engine.ok);
    const missing = (row.redis ? row.redis.ok : [...row.engine.err, ...row.engine.exception]).filter((t) => !passing.has(t));
    if (missing.length === 0) continue;
    console.log(`\n${row.unit}: ${missing.length} test(s) ${row.redis ? 'pass on redis but not on the engine' : 'fail on the engine'}:`);
    for (const t of missing) console.log(`  - ${t}`);
  }
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  checkPrerequisites();
  ensureSuite();
  ensureTools();
  if (opts.engine && opts.build) {
    console.log('compat: compiling the engine (tsc -p tsconfig.build.json)');
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8' });
    if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) throw new Error(`build failed:\n${r.stdout}${r.stderr}`);
    if (r.status !== 0) console.warn('compat: warning: tsc reported type errors; running the emitted build anyway');
  }
  console.log(`compat: units ${opts.units.join(', ')}; tags "${TAGS}"; limit ${opts.unitTimeout}s per run`);
  const rows = [];
  for (const unit of opts.units) {
    if (!existsSync(join(SUITE, 'tests', 'unit', `${unit}.tcl`))) {
      console.log(`compat: no such unit ${unit}; skipped`);
      continue;
    }
    const row = { unit, redis: null, engine: null };
    const jobs = [];
    if (opts.redis) jobs.push(['redis', 21111]);
    if (opts.engine) jobs.push(['engine', 26111]);
    if (opts.parallel) {
      const got = await Promise.all(jobs.map(([k, b]) => runUnit(k, unit, opts, b)));
      for (const r of got) row[r.server] = r;
    } else {
      for (const [k, b] of jobs) row[k] = await runUnit(k, unit, opts, b);
    }
    const pr = (r) => (r ? `${r.server} ${r.ok.length}/${total(r)} in ${r.seconds}s` : '');
    console.log(`compat: ${unit}: ${[pr(row.redis), pr(row.engine)].filter(Boolean).join(', ')}`);
    rows.push(row);
  }
  printTable(rows);
  if (opts.details) printDetails(rows);
  if (opts.json) {
    const data = rows.map((row) => ({
      unit: row.unit,
      ...Object.fromEntries(
        ['redis', 'engine']
          .filter((k) => row[k])
          .map((k) => [k, { passed: row[k].ok.length, total: total(row[k]), timedOut: row[k].timedOut, seconds: row[k].seconds, note: row[k].note, ok: row[k].ok, err: row[k].err, exception: row[k].exception }]),
      ),
      ratio: row.redis && row.engine && row.redis.ok.length > 0 ? row.engine.ok.length / row.redis.ok.length : null,
    }));
    writeFileSync(opts.json, JSON.stringify({ version: VERSION, tags: TAGS, units: data }, null, 2) + '\n');
    console.log(`compat: wrote ${opts.json}`);
  }
}

main().catch((err) => {
  console.error(`compat: ${err instanceof Error ? err.message : String(err)}`);
  cleanupAll();
  process.exit(1);
});
