// Save state per engine (Redis's rdb_* server fields): the background save in progress, the last
// save's outcome and duration, the save schedule run from the cron, the last load's counts, and
// the INFO persistence fields built from them (persistenceInfo, for stats/info.ts).
//
// BGSAVE without fork: the engine cannot fork a child holding a copy-on-write image, so a
// background save first takes a snapshot of every key (the key, a deep copy of its value, its TTL
// and access clocks) synchronously -- one O(dataset) copy, far cheaper than serializing -- and then
// serializes that snapshot into the temp file in slices of a few milliseconds on the event loop,
// so clients keep being served while it runs. Writes made meanwhile are not in the file and stay
// counted in `dirty`, as with Redis's fork.

import type { Engine } from '../engine.js';
import { Entry } from '../keyspace.js';
import { cloneObj } from '../types/objects.js';
import { RdbFileWriter, fdOut } from '../../formats/rdb/writer.js';
import {
  abandonTemp,
  finishTemp,
  keyRecord,
  liveKeys,
  loadFile,
  openTemp,
  rdbOptions,
  rdbPath,
  saveContext,
  saveSync,
  writePreamble,
  type LoadOptions,
  type LoadResult,
  type SavedKey,
} from './rdb-file.js';
import { aofInfo, aofOf } from './aof.js';

/** Redis's CONFIG_BGSAVE_RETRY_DELAY: a failed background save is retried by the schedule after 5 s. */
const BGSAVE_RETRY_DELAY_S = 5;
/** Time a background save may hold the event loop per slice. */
const SLICE_MS = 5;

interface BgSave extends SnapshotWalk {
  startedAt: number;
  dirtyAtStart: number;
  keysTotal: number;
  cancelled: boolean;
  fd: number;
  path: string;
}

export interface PersistenceState {
  bgsave: BgSave | null;
  bgsaveScheduled: boolean;
  lastBgsaveOk: boolean;
  lastBgsaveTimeSec: number;
  lastBgsaveTry: number;
  saves: number;
  lastLoadKeysLoaded: number;
  lastLoadKeysExpired: number;
  /** Resolvers waiting for the running background save (tests, SHUTDOWN). */
  waiters: Array<(ok: boolean) => void>;
}

const states = new WeakMap<Engine, PersistenceState>();

/** The engine's save state; the first call also hooks the save schedule onto the cron. */
export function persistenceOf(engine: Engine): PersistenceState {
  let s = states.get(engine);
  if (!s) {
    s = {
      bgsave: null,
      bgsaveScheduled: false,
      lastBgsaveOk: true,
      lastBgsaveTimeSec: -1,
      lastBgsaveTry: 0,
      saves: 0,
      lastLoadKeysLoaded: 0,
      lastLoadKeysExpired: 0,
      waiters: [],
    };
    states.set(engine, s);
    const st = s;
    engine.on('cron', () => saveCron(engine, st));
  }
  return s;
}

/** The `save` directive as [seconds, changes] pairs. */
export function saveParams(engine: Engine): Array<[number, number]> {
  const parts = engine.config.get('save').trim().split(/\s+/).filter(Boolean);
  const out: Array<[number, number]> = [];
  for (let i = 0; i + 1 < parts.length; i += 2) out.push([Number(parts[i]), Number(parts[i + 1])]);
  return out;
}

/** serverCron's part: start a scheduled BGSAVE, or one the save points call for. */
function saveCron(engine: Engine, s: PersistenceState): void {
  // One background job at a time, as with Redis's single child: an AOF rewrite holds saves back.
  if (s.bgsave || aofOf(engine).rewrite) return;
  const nowS = Math.floor(Date.now() / 1000);
  const retryOk = nowS - s.lastBgsaveTry > BGSAVE_RETRY_DELAY_S || s.lastBgsaveOk;
  if (s.bgsaveScheduled && retryOk) {
    s.bgsaveScheduled = false;
    startBgsave(engine);
    return;
  }
  for (const [seconds, changes] of saveParams(engine)) {
    if (engine.dirty >= changes && nowS - engine.lastSave > seconds && retryOk) {
      engine.emit('log', 'notice', `${changes} changes in ${seconds} seconds. Saving...`);
      startBgsave(engine);
      return;
    }
  }
}

/** SAVE: a synchronous save; true on success (the error is logged). */
export function saveNow(engine: Engine): boolean {
  const s = persistenceOf(engine);
  try {
    saveSync(engine, rdbPath(engine));
  } catch (err) {
    engine.emit('log', 'warning', `Failed opening the temp RDB file or writing it: ${err instanceof Error ? err.message : String(err)}`);
    return false;
  }
  engine.dirty = 0;
  engine.lastSave = Math.floor(Date.now() / 1000);
  s.lastBgsaveOk = true;
  s.saves++;
  engine.emit('log', 'notice', 'DB saved on disk');
  return true;
}

/** Copies every key now (the "fork"): value deep-copied, TTL and clocks kept (BGSAVE, AOF rewrite). */
export function snapshot(engine: Engine): SavedKey[][] {
  const now = engine.now();
  return engine.dbs.map((db) => {
    const keys: SavedKey[] = [];
    for (const k of liveKeys(db)) {
      const copy = new Entry(cloneObj(k.entry.value), now);
      copy.lru = k.entry.lru;
      copy.lfu = k.entry.lfu;
      keys.push({ key: k.key, entry: copy, expireAt: k.expireAt });
    }
    return keys;
  });
}

/** Where a sliced write of a snapshot is: the next database and key, and how many keys are written. */
export interface SnapshotWalk {
  dbIndex: number;
  keyIndex: number;
  keysDone: number;
}

/**
 * Writes the next slice of `dbs` (BGSAVE's file, the AOF rewrite's BASE): a database header
 * before each non-empty database, then its keys, each key copy released once written. Stops
 * when `deadline` (unix ms) passes; true when the whole snapshot is written.
 */
export function writeSnapshotSlice(
  dbs: SavedKey[][],
  walk: SnapshotWalk,
  deadline: number,
  writeDb: (index: number, keys: number, expires: number) => void,
  writeKey: (k: SavedKey) => void,
): boolean {
  while (walk.dbIndex < dbs.length) {
    const keys = dbs[walk.dbIndex]!;
    if (walk.keyIndex === 0 && keys.length > 0) {
      let expires = 0;
      for (const k of keys) if (k.expireAt !== undefined) expires++;
      writeDb(walk.dbIndex, keys.length, expires);
    }
    while (walk.keyIndex < keys.length) {
      writeKey(keys[walk.keyIndex]!);
      keys[walk.keyIndex] = undefined as unknown as SavedKey; // let the copy go
      walk.keyIndex++;
      walk.keysDone++;
      if ((walk.keyIndex & 63) === 0 && Date.now() >= deadline) return false;
    }
    walk.dbIndex++;
    walk.keyIndex = 0;
  }
  return true;
}

/** rdbSaveBackground: false when the temp file cannot be opened (the error is logged). */
export function startBgsave(engine: Engine): boolean {
  const s = persistenceOf(engine);
  if (s.bgsave) return false;
  s.lastBgsaveTry = Math.floor(Date.now() / 1000);
  let temp: { fd: number; path: string };
  try {
    temp = openTemp(engine, `bg-${process.pid}`);
  } catch (err) {
    s.lastBgsaveOk = false;
    engine.emit('log', 'warning', `Can't save in background: ${err instanceof Error ? err.message : String(err)}`);
    return false;
  }
  const dbs = snapshot(engine);
  const target = rdbPath(engine);
  const job: BgSave = {
    startedAt: Date.now(),
    dirtyAtStart: engine.dirty,
    keysTotal: dbs.reduce((n, d) => n + d.length, 0),
    keysDone: 0,
    dbIndex: 0,
    keyIndex: 0,
    cancelled: false,
    fd: temp.fd,
    path: temp.path,
  };
  s.bgsave = job;
  engine.emit('log', 'notice', 'Background saving started');
  const out = fdOut(temp.fd, rdbOptions(engine));
  const w = new RdbFileWriter(out);
  let begun = false;

  const finish = (ok: boolean, why?: string): void => {
    s.bgsave = null;
    s.lastBgsaveTimeSec = Math.round((Date.now() - job.startedAt) / 1000);
    if (ok) {
      engine.dirty = Math.max(0, engine.dirty - job.dirtyAtStart);
      engine.lastSave = Math.floor(Date.now() / 1000);
      s.lastBgsaveOk = true;
      s.saves++;
      engine.emit('log', 'notice', 'Background saving terminated with success');
    } else if (!job.cancelled) {
      s.lastBgsaveOk = false;
      engine.emit('log', 'warning', `Background saving error: ${why ?? 'unknown'}`);
    }
    const waiters = s.waiters.splice(0);
    for (const r of waiters) r(ok);
  };

  const step = (): void => {
    if (job.cancelled) {
      abandonTemp(job.fd, job.path);
      finish(false);
      return;
    }
    try {
      const deadline = Date.now() + SLICE_MS;
      const ctx = saveContext(engine);
      if (!begun) {
        writePreamble(engine, w);
        begun = true;
      }
      const all = writeSnapshotSlice(
        dbs,
        job,
        deadline,
        (index, keys, expires) => w.selectDb(index, keys, expires),
        (k) => w.key(keyRecord(engine, ctx, k.key, k.entry, k.expireAt)),
      );
      if (!all) {
        setImmediate(step);
        return;
      }
      w.end();
      finishTemp(job.fd, job.path, target);
      finish(true);
    } catch (err) {
      abandonTemp(job.fd, job.path);
      finish(false, err instanceof Error ? err.message : String(err));
    }
  };
  setImmediate(step);
  return true;
}

/** killRDBChild: abandons the running background save (its temp file is removed). */
export function cancelBgsave(engine: Engine): void {
  const s = persistenceOf(engine);
  if (s.bgsave) s.bgsave.cancelled = true;
}

/** Resolves when no background save runs (true when the last one succeeded). */
export function bgsaveDone(engine: Engine): Promise<boolean> {
  const s = persistenceOf(engine);
  if (!s.bgsave) return Promise.resolve(s.lastBgsaveOk);
  return new Promise((r) => s.waiters.push(r));
}

/**
 * INFO persistence fields, in Redis 7.0's order: the RDB ones, then the aof_* ones (aof.ts; the
 * size fields only while the AOF is on). Values as Redis prints them.
 */
export function persistenceInfo(engine: Engine): Array<[string, string | number]> {
  const s = persistenceOf(engine);
  const job = s.bgsave;
  return [
    ['loading', 0],
    ['async_loading', 0],
    ['current_cow_peak', 0],
    ['current_cow_size', 0],
    ['current_cow_size_age', 0],
    ['current_fork_perc', job && job.keysTotal ? ((job.keysDone / job.keysTotal) * 100).toFixed(2) : '0.00'],
    ['current_save_keys_processed', job ? job.keysDone : 0],
    ['current_save_keys_total', job ? job.keysTotal : 0],
    ['rdb_changes_since_last_save', engine.dirty],
    ['rdb_bgsave_in_progress', job ? 1 : 0],
    ['rdb_last_save_time', engine.lastSave],
    ['rdb_last_bgsave_status', s.lastBgsaveOk ? 'ok' : 'err'],
    ['rdb_last_bgsave_time_sec', s.lastBgsaveTimeSec],
    ['rdb_current_bgsave_time_sec', job ? Math.round((Date.now() - job.startedAt) / 1000) : -1],
    ['rdb_saves', s.saves],
    ['rdb_last_cow_size', 0],
    ['rdb_last_load_keys_expired', s.lastLoadKeysExpired],
    ['rdb_last_load_keys_loaded', s.lastLoadKeysLoaded],
    ...aofInfo(engine),
  ];
}

/** rdbLoad of dir/dbfilename, recording the INFO load counters. Throws RdbLoadError / ENOENT. */
export function loadDataFile(engine: Engine, opts: LoadOptions = {}): LoadResult {
  const s = persistenceOf(engine);
  const r = loadFile(engine, rdbPath(engine), opts);
  s.lastLoadKeysLoaded = r.keysLoaded;
  s.lastLoadKeysExpired = r.keysExpired;
  return r;
}
