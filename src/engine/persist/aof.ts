// The append-only file as Redis 7.0 writes it (aof.c): a directory (`dir`/`appenddirname`) with a
// manifest, one BASE file (the dataset when the last rewrite began) and INCR files (the commands
// since, as propagate.ts hands them over). This module is the writer and its life cycle:
//
// - feeding: propagated commands are appended to a buffer (SELECT first when the database changes)
//   that is written at the end of the event-loop turn; `appendfsync always` writes and fsyncs
//   before the command's batch ends, `everysec` fsyncs from the cron once a second, `no` never;
// - rewriting without fork (BGREWRITEAOF, auto rewrite, turning the AOF on): first a new INCR file
//   is opened (and listed in the manifest) so every later command goes there, then the dataset is
//   snapshotted synchronously and written as the new BASE in slices (aof-base.ts); when it is
//   complete the BASE is renamed into place, the older files become history in the manifest
//   (written temp + rename) and are deleted. While the AOF is being turned on at run time the new
//   INCR is a temp file that only joins the manifest with the BASE, as Redis's AOF_WAIT_REWRITE;
// - start-up: with appendonly yes the data comes from the AOF (aof-load.ts), never from dump.rdb;
//   with no AOF yet, a BASE of the (empty) dataset is created, as aofOpenIfNeededOnServerStart.

import { closeSync, existsSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Engine } from '../engine.js';
import { attachSink, detachSink, type PropagationSink } from '../propagate.js';
import { respCommand, writeBaseSliced, writeBaseSync, type BaseJob } from './aof-base.js';
import {
  TEMP_PREFIX,
  addIncr,
  aofDir,
  cloneManifest,
  emptyManifest,
  ensureDir,
  incrsToHistory,
  installBase,
  loadManifest,
  newBaseName,
  newIncrName,
  persistManifest,
  type AofManifest,
} from './aof-manifest.js';
import { loadAofFiles, type AofLoadResult } from './aof-load.js';
import { persistenceOf, snapshot } from './state.js';
import { emptyData } from './empty-data.js';

type Status = 'off' | 'on' | 'wait-rewrite';

interface Rewrite {
  startedAt: number;
  job: BaseJob;
  tempBase: string;
}

export interface AofState {
  status: Status;
  manifest: AofManifest;
  /** The INCR file commands are appended to (a temp one while turning on), or -1. */
  fd: number;
  fdPath: string;
  buf: string;
  selectedDb: number;
  flushQueued: boolean;
  /** aof_current_size / aof_rewrite_base_size */
  currentSize: number;
  baseSize: number;
  unsynced: boolean;
  lastFsync: number;
  rewrite: Rewrite | null;
  rewriteScheduled: boolean;
  lastRewriteOk: boolean;
  lastRewriteTimeSec: number;
  rewrites: number;
  consecutiveFailures: number;
  lastWriteOk: boolean;
  waiters: Array<(ok: boolean) => void>;
}

const states = new WeakMap<Engine, AofState>();
const log = (engine: Engine, level: string, msg: string) => engine.emit('log', level, msg);
const errText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * The engine's AOF state; the first call hooks the appendonly switch (CONFIG SET), the fsync and
 * auto-rewrite cron and the shutdown flush onto the engine. Call it once when an engine is made.
 */
export function aofOf(engine: Engine): AofState {
  let s = states.get(engine);
  if (s) return s;
  s = {
    status: 'off',
    manifest: emptyManifest(),
    fd: -1,
    fdPath: '',
    buf: '',
    selectedDb: -1,
    flushQueued: false,
    currentSize: 0,
    baseSize: 0,
    unsynced: false,
    lastFsync: Date.now(),
    rewrite: null,
    rewriteScheduled: false,
    lastRewriteOk: true,
    lastRewriteTimeSec: -1,
    rewrites: 0,
    consecutiveFailures: 0,
    lastWriteOk: true,
    waiters: [],
  };
  states.set(engine, s);
  const st = s;
  engine.config.onChange((name, value) => {
    if (name !== 'appendonly' || !engine.config.started) return;
    if (value === 'yes' && st.status === 'off') startAppendOnly(engine);
    else if (value === 'no' && st.status !== 'off') stopAppendOnly(engine);
  });
  engine.on('cron', () => aofCron(engine, st));
  engine.on('shutdown', () => aofFlushAndSync(engine));
  return s;
}

// ------------------------------------------------------------------------------- feeding

function sinkFor(engine: Engine, s: AofState): PropagationSink {
  return {
    feed(dbId, argv) {
      if (s.status === 'off') return;
      if (dbId !== s.selectedDb) {
        s.buf += respCommand(['SELECT', String(dbId)]);
        s.selectedDb = dbId;
      }
      s.buf += respCommand(argv);
    },
    commit() {
      if (s.status === 'off' || s.buf === '') return;
      if (engine.config.get('appendfsync') === 'always') {
        flushBuffer(engine, s, true);
        return;
      }
      if (!s.flushQueued) {
        s.flushQueued = true;
        setImmediate(() => {
          s.flushQueued = false;
          flushBuffer(engine, s, false);
        });
      }
    },
  };
}

/** flushAppendOnlyFile: writes the buffer into the INCR file (and fsyncs with `always` or `sync`). */
function flushBuffer(engine: Engine, s: AofState, sync: boolean): void {
  if (s.fd < 0) return;
  if (s.buf !== '') {
    const data = Buffer.from(s.buf, 'latin1');
    s.buf = '';
    try {
      let off = 0;
      while (off < data.length) off += writeSync(s.fd, data, off);
      s.currentSize += data.length;
      s.unsynced = true;
      if (!s.lastWriteOk) log(engine, 'warning', 'AOF write error looks solved, Redis can write again.');
      s.lastWriteOk = true;
    } catch (err) {
      s.lastWriteOk = false;
      log(engine, 'warning', `Error writing to the AOF file: ${errText(err)}`);
      return;
    }
  }
  if (sync && s.unsynced) fsyncNow(s);
}

function fsyncNow(s: AofState): void {
  if (s.fd < 0) return;
  try {
    fsyncSync(s.fd);
  } catch {
    /* reported by the next write */
  }
  s.unsynced = false;
  s.lastFsync = Date.now();
}

/** Writes what is buffered and fsyncs (SHUTDOWN, SIGTERM, turning the AOF off). */
export function aofFlushAndSync(engine: Engine): void {
  const s = states.get(engine);
  if (!s || s.fd < 0) return;
  flushBuffer(engine, s, true);
}

/** The AOF's consumer of the propagation stream, one per state. */
const sinks = new WeakMap<AofState, PropagationSink>();

function install(engine: Engine, s: AofState): void {
  let sink = sinks.get(s);
  if (!sink) sinks.set(s, (sink = sinkFor(engine, s)));
  attachSink(engine, sink);
}

function uninstall(engine: Engine, s: AofState): void {
  const sink = sinks.get(s);
  if (sink) detachSink(engine, sink);
}

function closeFd(s: AofState): void {
  if (s.fd >= 0) {
    try {
      closeSync(s.fd);
    } catch {
      /* already closed */
    }
  }
  s.fd = -1;
  s.fdPath = '';
}

function openAppend(s: AofState, path: string): void {
  s.fd = openSync(path, 'a');
  s.fdPath = path;
  s.selectedDb = -1;
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function sizes(engine: Engine, s: AofState): void {
  const dir = aofDir(engine);
  s.baseSize = s.manifest.base ? fileSize(join(dir, s.manifest.base.name)) : 0;
  s.currentSize = s.baseSize + s.manifest.incr.reduce((n, f) => n + fileSize(join(dir, f.name)), 0);
}

/** aofDelHistoryFiles */
function deleteHistory(engine: Engine, s: AofState): void {
  if (engine.config.get('aof-disable-auto-gc') === 'yes' || s.manifest.history.length === 0) return;
  const dir = aofDir(engine);
  for (const f of s.manifest.history) {
    try {
      unlinkSync(join(dir, f.name));
      log(engine, 'notice', `Removing the history file ${f.name} in the background`);
    } catch {
      /* already gone */
    }
  }
  s.manifest.history = [];
  try {
    persistManifest(engine, s.manifest);
  } catch (err) {
    log(engine, 'warning', `Error persisting the AOF manifest: ${errText(err)}`);
  }
}

// ------------------------------------------------------------------------------- DEBUG LOADAOF

/**
 * DEBUG LOADAOF: writes out what is buffered, empties the databases and loads the AOF the
 * manifest on disk lists (nothing is logged again while it loads). Returns null, or the error to
 * answer where Redis would exit (no AOF, or one that fails to load).
 */
export function debugLoadAof(engine: Engine): string | null {
  const s = aofOf(engine);
  if (s.status === 'on' && s.fd >= 0) flushBuffer(engine, s, true);
  const m = loadManifest(engine);
  // Redis exits when there is nothing to load; refusing keeps the data.
  if (!m || (!m.base && m.incr.length === 0)) return `DEBUG LOADAOF found no append only file to load in ${aofDir(engine)}; nothing was changed`;
  emptyData(engine);
  const propagator = engine.propagator;
  engine.propagator = undefined;
  try {
    loadAofFiles(engine, m);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    log(engine, 'warning', `DEBUG LOADAOF failed: ${why}`);
    return `Error loading the append only file: ${why}`;
  } finally {
    engine.propagator = propagator;
  }
  engine.dirty = 0;
  log(engine, 'warning', 'Append Only File loaded by DEBUG LOADAOF');
  return null;
}

// ------------------------------------------------------------------------------- start-up

/**
 * loadDataFromDisk with appendonly yes, then aofOpenIfNeededOnServerStart: loads the AOF the
 * manifest lists (null when there is none), creates a BASE when there is nothing yet, opens the
 * last INCR for appending and starts logging. Throws (AofLoadError...) when start-up must stop.
 */
export function aofStartup(engine: Engine): AofLoadResult | null {
  const s = aofOf(engine);
  const m = loadManifest(engine) ?? emptyManifest();
  s.manifest = m;
  let result: AofLoadResult | null = null;
  if (m.base || m.incr.length) result = loadAofFiles(engine, m);
  const dir = ensureDir(engine);
  if (!m.base && m.incr.length === 0) {
    const base = newBaseName(engine, m);
    const tmp = join(dir, `${TEMP_PREFIX}${base.name}`);
    writeBaseSync(engine, tmp, snapshot(engine));
    renameSync(tmp, join(dir, base.name));
    installBase(m, base);
    log(engine, 'notice', `Creating AOF base file ${base.name} on server start`);
  }
  if (m.incr.length === 0) addIncr(m, newIncrName(engine, m));
  openAppend(s, join(dir, m.incr[m.incr.length - 1]!.name));
  persistManifest(engine, m);
  s.status = 'on';
  sizes(engine, s);
  install(engine, s);
  deleteHistory(engine, s);
  return result;
}

// ------------------------------------------------------------------------------- switching

/** startAppendOnly (CONFIG SET appendonly yes): logging starts once a rewrite made a BASE. */
export function startAppendOnly(engine: Engine): boolean {
  const s = aofOf(engine);
  if (s.status !== 'off') return true;
  s.status = 'wait-rewrite';
  if (s.rewrite || persistenceOf(engine).bgsave) {
    s.rewriteScheduled = true;
    log(engine, 'warning', 'AOF was enabled but there is already another background operation. An AOF background was scheduled to start when possible.');
    return true;
  }
  if (!startRewrite(engine)) {
    s.status = 'off';
    log(engine, 'warning', 'Redis needs to enable the AOF but can\'t trigger a background AOF rewrite operation. Check the above logs for more info about the error.');
    return false;
  }
  log(engine, 'notice', 'AOF enabled');
  return true;
}

/** stopAppendOnly (CONFIG SET appendonly no): flush, fsync, close; a running rewrite is abandoned. */
export function stopAppendOnly(engine: Engine): void {
  const s = aofOf(engine);
  if (s.status === 'off') return;
  flushBuffer(engine, s, true);
  if (s.rewrite) {
    s.rewrite.job.cancelled = true;
    log(engine, 'notice', 'Killing running AOF rewrite child');
  }
  const wasTemp = s.status === 'wait-rewrite';
  const tempIncr = s.fdPath;
  closeFd(s);
  if (wasTemp && tempIncr) unlinkQuiet(tempIncr);
  s.status = 'off';
  s.buf = '';
  s.rewriteScheduled = false;
  uninstall(engine, s);
}

function unlinkQuiet(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    /* never created */
  }
}

// ------------------------------------------------------------------------------- rewriting

/**
 * rewriteAppendOnlyFileBackground: false when it cannot start (logged). New INCR first, then the
 * snapshot, then the BASE in slices.
 */
export function startRewrite(engine: Engine): boolean {
  const s = aofOf(engine);
  if (s.rewrite) return false;
  const startedAt = Date.now();
  let dir: string;
  try {
    dir = ensureDir(engine);
    flushBuffer(engine, s, true);
    if (s.status === 'on') {
      // openNewIncrAofForAppend: the new INCR joins the manifest at once.
      const m = cloneManifest(s.manifest);
      const incr = newIncrName(engine, m);
      addIncr(m, incr);
      const path = join(dir, incr.name);
      closeSync(openSync(path, 'a'));
      persistManifest(engine, m);
      s.manifest = m;
      closeFd(s);
      openAppend(s, path);
    } else if (s.status === 'wait-rewrite') {
      closeFd(s);
      const path = join(dir, `${TEMP_PREFIX}${engine.config.get('appendfilename')}.incr`);
      closeSync(openSync(path, 'w'));
      openAppend(s, path);
      install(engine, s);
    }
  } catch (err) {
    log(engine, 'warning', `Can't open the append-only file: ${errText(err)}`);
    failRewrite(engine, s, null);
    return false;
  }
  const tempBase = resolve(engine.config.get('dir') || '.', `temp-rewriteaof-bg-${process.pid}.aof`);
  const rw: Rewrite = { startedAt, tempBase, job: null as unknown as BaseJob };
  s.rewrite = rw;
  s.rewriteScheduled = false;
  log(engine, 'notice', 'Background append only file rewriting started');
  rw.job = writeBaseSliced(engine, tempBase, snapshot(engine), (err) => {
    if (err) {
      unlinkQuiet(tempBase);
      if (!rw.job.cancelled) log(engine, 'warning', `Background AOF rewrite failed: ${err.message}`);
      failRewrite(engine, s, rw);
      return;
    }
    try {
      rewriteDone(engine, s, rw);
    } catch (e) {
      unlinkQuiet(tempBase);
      log(engine, 'warning', `Background AOF rewrite finished but the files could not be installed: ${errText(e)}`);
      failRewrite(engine, s, rw);
    }
  });
  return true;
}

function failRewrite(engine: Engine, s: AofState, rw: Rewrite | null): void {
  const cancelled = rw?.job?.cancelled ?? false;
  s.rewrite = null;
  if (!cancelled) {
    s.lastRewriteOk = false;
    s.consecutiveFailures++;
    // A failed start of the AOF is retried by the cron (aof_rewrite_scheduled).
    if (s.status === 'wait-rewrite') s.rewriteScheduled = true;
  }
  if (rw) s.lastRewriteTimeSec = Math.round((Date.now() - rw.startedAt) / 1000);
  for (const w of s.waiters.splice(0)) w(false);
}

/** backgroundRewriteDoneHandler */
function rewriteDone(engine: Engine, s: AofState, rw: Rewrite): void {
  const dir = ensureDir(engine);
  const m = cloneManifest(s.manifest);
  const base = newBaseName(engine, m);
  renameSync(rw.tempBase, join(dir, base.name));
  installBase(m, base);
  if (s.status === 'wait-rewrite') {
    // The temp INCR that took the commands since the snapshot becomes the first real INCR.
    flushBuffer(engine, s, true);
    incrsToHistory(m, false);
    const incr = newIncrName(engine, m);
    addIncr(m, incr);
    const path = join(dir, incr.name);
    renameSync(s.fdPath, path);
    s.fdPath = path;
  } else if (s.fd >= 0) incrsToHistory(m, true);
  persistManifest(engine, m);
  s.manifest = m;
  if (s.status === 'wait-rewrite') {
    s.status = 'on';
    log(engine, 'notice', 'Background AOF rewrite finished successfully');
  }
  s.rewrite = null;
  s.lastRewriteOk = true;
  s.consecutiveFailures = 0;
  s.rewrites++;
  s.lastRewriteTimeSec = Math.round((Date.now() - rw.startedAt) / 1000);
  sizes(engine, s);
  deleteHistory(engine, s);
  log(engine, 'notice', 'Background AOF rewrite terminated with success');
  for (const w of s.waiters.splice(0)) w(true);
}

/** Resolves when no rewrite runs (true when the last one succeeded). */
export function rewriteDoneP(engine: Engine): Promise<boolean> {
  const s = aofOf(engine);
  if (!s.rewrite) return Promise.resolve(s.lastRewriteOk);
  return new Promise((r) => s.waiters.push(r));
}

/** serverCron's AOF part: everysec fsync, scheduled and automatic rewrites. */
function aofCron(engine: Engine, s: AofState): void {
  if (s.status === 'off' && !s.rewriteScheduled) return;
  if (s.fd >= 0 && s.unsynced && engine.config.get('appendfsync') === 'everysec' && Date.now() - s.lastFsync >= 1000) {
    flushBuffer(engine, s, false);
    fsyncNow(s);
  }
  if (s.rewrite || persistenceOf(engine).bgsave) return;
  if (s.rewriteScheduled) {
    startRewrite(engine);
    return;
  }
  const perc = engine.config.num['auto-aof-rewrite-percentage'] ?? 100;
  const min = engine.config.num['auto-aof-rewrite-min-size'] ?? 64 * 1024 * 1024;
  if (s.status === 'on' && perc > 0 && s.currentSize > min) {
    const base = s.baseSize || 1;
    const growth = Math.floor((s.currentSize * 100) / base) - 100;
    if (growth >= perc) {
      log(engine, 'notice', `Starting automatic rewriting of AOF on ${growth}% growth`);
      startRewrite(engine);
    }
  }
}

/** INFO persistence's aof_* fields in Redis 7.0's order (the size fields only while the AOF is on). */
export function aofInfo(engine: Engine): Array<[string, string | number]> {
  const s = aofOf(engine);
  const rw = s.rewrite;
  const out: Array<[string, string | number]> = [
    ['aof_enabled', s.status !== 'off' ? 1 : 0],
    ['aof_rewrite_in_progress', rw ? 1 : 0],
    ['aof_rewrite_scheduled', s.rewriteScheduled ? 1 : 0],
    ['aof_last_rewrite_time_sec', s.lastRewriteTimeSec],
    ['aof_current_rewrite_time_sec', rw ? Math.round((Date.now() - rw.startedAt) / 1000) : -1],
    ['aof_last_bgrewrite_status', s.lastRewriteOk ? 'ok' : 'err'],
    ['aof_rewrites', s.rewrites],
    ['aof_rewrites_consecutive_failures', s.consecutiveFailures],
    ['aof_last_write_status', s.lastWriteOk ? 'ok' : 'err'],
    ['aof_last_cow_size', 0],
    ['module_fork_in_progress', 0],
    ['module_fork_last_cow_size', 0],
  ];
  if (s.status !== 'off') {
    out.push(
      ['aof_current_size', s.currentSize + s.buf.length],
      ['aof_base_size', s.baseSize],
      ['aof_pending_rewrite', s.rewriteScheduled ? 1 : 0],
      ['aof_buffer_length', s.buf.length],
      ['aof_pending_bio_fsync', 0],
      ['aof_delayed_fsync', 0],
    );
  }
  return out;
}

/** True when dir/appenddirname holds a manifest (tests, the start-up log). */
export function aofExists(engine: Engine): boolean {
  return existsSync(join(aofDir(engine), `${engine.config.get('appendfilename')}.manifest`));
}
