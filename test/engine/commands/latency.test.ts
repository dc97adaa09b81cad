// LATENCY compared with a real redis-server 7.0: reply shapes (RESP2 and RESP3) and errors of
// every subcommand, events recorded from slow commands (DEBUG SLEEP), the GRAPH picture and the
// DOCTOR facts reproduced from the very samples Redis holds, and LATENCY HISTOGRAM's buckets.
// Event times and latencies differ by a few ms between the servers, so those replies are
// compared after checking each number's range.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RespValue } from '../../../src/formats/resp/reply-parser.js';
import { Engine } from '../../../src/engine/engine.js';
import type { CommandSpec } from '../../../src/engine/command.js';
import { LatencyHistogram } from '../../../src/engine/stats/info.js';
import { slowlogOf } from '../../../src/engine/stats/slowlog.js';
import { LATENCY_TS_LEN, LatencySeries, analyzeSeries, latencyAddSampleIfNeeded, latencyMonitorOf, type LatencyMonitor } from '../../../src/engine/stats/latency-monitor.js';
import { ageLabel, latencyGraph } from '../../../src/engine/stats/latency-graph.js';
import { fixed2, latencyReport, type DoctorInputs } from '../../../src/engine/stats/latency-doctor.js';
import { histogramCdf } from '../../../src/engine/commands/latency.js';
import { same, show, startPair, type Cmd, type Pair } from '../../helpers/differential.js';
import { RespClient } from '../../helpers/resp-client.js';

let pair: Pair;
beforeAll(async () => {
  pair = await startPair();
  // Idempotent; the engine also does it when it is created.
  slowlogOf(pair.engine.engine!);
  latencyMonitorOf(pair.engine.engine!);
});
afterAll(async () => {
  await pair?.stop();
});

async function both(...c: Cmd): Promise<[RespValue, RespValue]> {
  return Promise.all([pair.r.call(...c), pair.e.call(...c)]);
}

const text = (v: RespValue): string => (v.t === 'bulk' || v.t === 'verbatim' || v.t === 'simple' || v.t === 'error' ? v.v : show(v));
const int = (v: RespValue | undefined): number => (v?.t === 'int' ? Number(v.v) : NaN);

/** Waits until the wall clock is early in a second, so a few quick steps share it. */
async function startOfSecond(): Promise<void> {
  while (Date.now() % 1000 > 300) await new Promise((r) => setTimeout(r, 20));
}

/** Both monitors empty, with the given threshold (ms). */
async function freshMonitor(threshold: number): Promise<void> {
  await same(pair, [['CONFIG', 'SET', 'latency-monitor-threshold', String(threshold)]]);
  await both('LATENCY', 'RESET');
}

// --- replies, errors --------------------------------------------------------------------------------

describe('LATENCY replies and errors', () => {
  it('subcommand arity, unknown subcommands, unknown events', async () => {
    await freshMonitor(0);
    await same(pair, [
      ['LATENCY'],
      ['LATENCY', 'nosuch'],
      ['LATENCY', 'HELP', 'xxx'],
      ['LATENCY', 'HISTORY'],
      ['LATENCY', 'HISTORY', 'a', 'b'],
      ['LATENCY', 'GRAPH'],
      ['LATENCY', 'GRAPH', 'a', 'b'],
      ['LATENCY', 'LATEST', 'x'],
      ['LATENCY', 'DOCTOR', 'x'],
      ['LATENCY', 'HISTORY', 'blabla'],
      ['LATENCY', 'GRAPH', 'blabla'],
      ['LATENCY', 'GRAPH', 'x'.repeat(300)],
      ['LATENCY', 'RESET', 'blabla'],
      ['LATENCY', 'RESET'],
      ['LATENCY', 'RESET', 'a', 'b', 'c'],
      ['LATENCY', 'LATEST'],
      ['latency', 'latest'],
    ]);
  });

  it('HELP has Redis shape, naming every subcommand', async () => {
    const [r, e] = await both('latency', 'help');
    expect(r.t === 'array' && e.t === 'array').toBe(true);
    if (r.t !== 'array' || e.t !== 'array') return;
    expect(e.v.every((x) => x.t === 'simple')).toBe(true);
    expect(show(e.v[0]!)).toBe(show(r.v[0]!));
    expect(show({ t: 'array', v: e.v.slice(-2) })).toBe(show({ t: 'array', v: r.v.slice(-2) }));
    for (const word of ['DOCTOR', 'GRAPH <event>', 'HISTORY <event>', 'LATEST', 'RESET [<event> ...]', 'HISTOGRAM [COMMAND ...]']) {
      expect(e.v.some((x) => x.t === 'simple' && x.v === word), word).toBe(true);
    }
  });
});

// --- events ---------------------------------------------------------------------------------------

/** Replaces an event's time and latencies by range checks. */
function normLatest(v: RespValue, minMs: number): RespValue {
  if (v.t !== 'array') return v;
  const now = Math.floor(Date.now() / 1000);
  return {
    t: 'array',
    v: v.v.map((e) => {
      if (e.t !== 'array') return e;
      const [name, time, lat, max] = e.v;
      const ok = Math.abs(int(time) - now) <= 5 && int(lat) >= minMs && int(lat) < minMs + 500 && int(max) >= int(lat);
      return { t: 'array', v: [name!, { t: 'simple', v: `numbers ok: ${ok}` }] };
    }),
  };
}

function normHistory(v: RespValue, minMs: number): RespValue {
  if (v.t !== 'array') return v;
  const now = Math.floor(Date.now() / 1000);
  return {
    t: 'array',
    v: v.v.map((s) => {
      const ok = s.t === 'array' && s.v.length === 2 && Math.abs(int(s.v[0]) - now) <= 5 && int(s.v[1]) >= minMs && int(s.v[1]) < minMs + 500;
      return { t: 'simple', v: `sample ok: ${ok}` };
    }),
  };
}

describe('events recorded from slow commands', () => {
  it('a slow command records a `command` sample; same-second samples merge keeping the larger', async () => {
    await freshMonitor(10);
    await startOfSecond();
    await both('DEBUG', 'SLEEP', '0.02');
    await both('DEBUG', 'SLEEP', '0.04');
    const [lr, le] = await both('LATENCY', 'LATEST');
    expect(show(normLatest(le, 40))).toBe(show(normLatest(lr, 40)));
    const [hr, he] = await both('LATENCY', 'HISTORY', 'command');
    expect(show(normHistory(he, 40))).toBe(show(normHistory(hr, 40)));
    expect(he.t === 'array' && he.v.length).toBe(1);
    // under the threshold: nothing new
    await freshMonitor(200);
    await both('DEBUG', 'SLEEP', '0.01');
    await same(pair, [['LATENCY', 'LATEST'], ['LATENCY', 'HISTORY', 'command']]);
    // threshold 0 turns the monitor off
    await freshMonitor(0);
    await both('DEBUG', 'SLEEP', '0.01');
    await same(pair, [['LATENCY', 'LATEST']]);
  });

  it('names are exact for HISTORY and GRAPH, case-insensitive for RESET', async () => {
    await freshMonitor(5);
    await both('DEBUG', 'SLEEP', '0.01');
    await same(pair, [
      ['LATENCY', 'HISTORY', 'COMMAND'],
      ['LATENCY', 'GRAPH', 'Command'],
      ['LATENCY', 'RESET', 'COMMAND', 'command'],
      ['LATENCY', 'LATEST'],
      ['LATENCY', 'RESET'],
    ]);
  });

  it('RESET counts the series it removed', async () => {
    await freshMonitor(5);
    await both('DEBUG', 'SLEEP', '0.01');
    await same(pair, [['LATENCY', 'RESET', 'nosuch', 'command'], ['LATENCY', 'RESET']]);
    await both('DEBUG', 'SLEEP', '0.01');
    await same(pair, [['LATENCY', 'RESET'], ['LATENCY', 'HISTORY', 'command']]);
  });

  it('RESP3 shapes of LATEST, HISTORY, GRAPH and DOCTOR', async () => {
    const [r3, e3] = await Promise.all([RespClient.connect(pair.redis.port), RespClient.connect(pair.engine.port)]);
    try {
      await Promise.all([r3.call('HELLO', '3'), e3.call('HELLO', '3')]);
      await freshMonitor(5);
      await both('DEBUG', 'SLEEP', '0.01');
      const [lr, le] = await Promise.all([r3.call('LATENCY', 'LATEST'), e3.call('LATENCY', 'LATEST')]);
      expect(show(normLatest(le, 10))).toBe(show(normLatest(lr, 10)));
      const [hr, he] = await Promise.all([r3.call('LATENCY', 'HISTORY', 'command'), e3.call('LATENCY', 'HISTORY', 'command')]);
      expect(show(normHistory(he, 10))).toBe(show(normHistory(hr, 10)));
      for (const c of [['LATENCY', 'GRAPH', 'command'], ['LATENCY', 'DOCTOR']]) {
        const [a, b] = await Promise.all([r3.call(...c), e3.call(...c)]);
        expect(b.t).toBe('verbatim');
        expect(a.t).toBe('verbatim');
        if (a.t === 'verbatim' && b.t === 'verbatim') expect(b.format).toBe(a.format);
      }
      const [ar, ae] = await Promise.all([r3.call('LATENCY', 'GRAPH', 'nosuch'), e3.call('LATENCY', 'GRAPH', 'nosuch')]);
      expect(show(ae)).toBe(show(ar));
    } finally {
      r3.close();
      e3.close();
    }
  });
});

// --- GRAPH ------------------------------------------------------------------------------------------

/**
 * Redis's samples of an event, the replies to `extra` (GRAPH, DOCTOR...) and the second they were
 * produced in, all in one pipeline that started and ended within one second.
 */
async function redisSnapshot(event: string, extra: Cmd[] = [['LATENCY', 'GRAPH', event]]): Promise<{ series: LatencySeries; replies: string[]; now: number } | null> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const got = await pair.r.pipeline([['TIME'], ['LATENCY', 'HISTORY', event], ['LATENCY', 'LATEST'], ...extra, ['TIME']]);
    const [t0, hist, latest] = got;
    const t1 = got[got.length - 1];
    const sec = (v: RespValue | undefined): string => (v?.t === 'array' ? text(v.v[0]!) : '');
    if (sec(t0) !== sec(t1)) continue;
    const series = new LatencySeries();
    if (hist!.t === 'array') for (const s of hist!.v) if (s.t === 'array') series.add(int(s.v[1]), int(s.v[0]));
    if (latest!.t === 'array') for (const e of latest!.v) if (e.t === 'array' && text(e.v[0]!) === event) series.max = int(e.v[3]);
    return { series, replies: got.slice(3, -1).map(text), now: Number(sec(t0)) };
  }
  return null;
}

describe('LATENCY GRAPH', () => {
  it('draws exactly what Redis draws for the same samples (several seconds, varied heights)', async () => {
    await freshMonitor(5);
    for (const s of ['0.012', '0.045', '0.02', '0.03']) {
      await pair.r.call('DEBUG', 'SLEEP', s);
      await new Promise((r) => setTimeout(r, 1010));
    }
    await pair.r.call('DEBUG', 'SLEEP', '0.007');
    const snap = await redisSnapshot('command');
    expect(snap).not.toBeNull();
    expect(snap!.series.history().length).toBeGreaterThanOrEqual(4);
    expect(latencyGraph('command', snap!.series, snap!.now)).toBe(snap!.replies[0]);
  }, 15000);

  it('draws one sample and equal samples like Redis', async () => {
    await freshMonitor(5);
    await pair.r.call('DEBUG', 'SLEEP', '0.01');
    const one = await redisSnapshot('command');
    expect(latencyGraph('command', one!.series, one!.now)).toBe(one!.replies[0]);
    // the engine's own GRAPH has the same frame
    await both('DEBUG', 'SLEEP', '0.01');
    const [, ge] = await both('LATENCY', 'GRAPH', 'command');
    const lines = text(ge).split('\n');
    expect(lines[0]).toMatch(/^command - high \d+ ms, low \d+ ms \(all time high \d+ ms\)$/);
    expect(lines[1]).toBe('-'.repeat(80));
    expect(lines.slice(2, 6).join('\n')).toMatch(/^[ _o#|]+\n[ _o#|]+\n[ _o#|]+\n[ _o#|]+$/);
  });

  it('labels ages in s/m/h/d and wraps past 80 samples', () => {
    expect([0, 59, 60, 3599, 3600, 86399, 86400, 200000].map(ageLabel)).toEqual(['0s', '59s', '1m', '59m', '1h', '23h', '1d', '2d']);
    const series = new LatencySeries();
    const now = 1_700_000_000;
    for (let i = 0; i < 100; i++) series.add(10 + (i % 7), now - 200 + i * 2);
    const g = latencyGraph('ev', series, now);
    const blocks = g.split('\n\n');
    expect(blocks.length).toBe(2);
    expect(g.split('\n')[2]!.length).toBe(80);
    expect(blocks[1]!.split('\n')[0]!.length).toBe(20);
  });
});

// --- DOCTOR -----------------------------------------------------------------------------------------

/** Redis's per-event line: number, event, spikes, avg, mad, period, worst. */
function redisEventLines(report: string): string[][] {
  return [...report.matchAll(/^(\d+)\. (\S+): (\d+) latency spikes \(average (\d+)ms, mean deviation (\d+)ms, period ([\d.]+) sec\)\. Worst all time event (\d+)ms\./gm)].map((m) => m.slice(1));
}
function ourEventLines(report: string): string[][] {
  return [...report.matchAll(/^(\d+)\. (\S+): (\d+) spikes, average (\d+)ms, mean deviation (\d+)ms, one every ([\d.]+) sec on average\. Worst ever: (\d+)ms\./gm)].map((m) => m.slice(1));
}

/** Which advice Redis's report gives, recognised by a phrase of each bullet. */
const REDIS_ADVICE: Array<[string, string]> = [
  ['better-vm', 'poor fork() performance'],
  ['slowlog-enable', 'Try to enable the Slow Log'],
  ['slowlog-tuning', 'only logs events that are slower than your configured latency monitor threshold'],
  ['slowlog-inspect', 'Check your Slow Log'],
  ['scheduler', 'intrinsic-latency'],
  ['hz', "'hz' configuration parameter"],
  ['large-objects', 'fragment those objects'],
  ['mass-eviction', "Sudden changes to the 'maxmemory'"],
  ['disable-thp', 'anonymous huge pages'],
];
const OUR_ADVICE: Array<[string, string]> = [
  ['better-vm', 'Forking is slow'],
  ['slowlog-enable', 'slow log is off'],
  ['slowlog-tuning', 'Lower it with'],
  ['slowlog-inspect', 'SLOWLOG GET'],
  ['scheduler', 'intrinsic-latency'],
  ['hz', 'CONFIG SET hz 100'],
  ['large-objects', 'Split keys'],
  ['mass-eviction', 'evict many keys'],
  ['disable-thp', 'huge pages'],
];
const adviceOf = (report: string, table: Array<[string, string]>): string[] => table.filter(([, phrase]) => report.includes(phrase)).map(([id]) => id);

function inputs(over: Partial<DoctorInputs>): DoctorInputs {
  return { threshold: 5, slowlogSlowerThan: 10000, hz: 10, appendfsync: 'everysec', forkRate: 0, anonHugePages: 0, nowSec: 0, ...over };
}

describe('LATENCY DOCTOR', () => {
  it('gives the facts and advice Redis gives for the same samples and settings', async () => {
    await freshMonitor(5);
    for (const s of ['0.012', '0.03']) {
      await pair.r.call('DEBUG', 'SLEEP', s);
      await new Promise((r) => setTimeout(r, 1010));
    }
    try {
      for (const [slowlog, threshold] of [['10000', '5'], ['-1', '5'], ['1000', '5'], ['5000', '5'], ['5999', '5'], ['6000', '5']] as const) {
        await pair.r.call('CONFIG', 'SET', 'slowlog-log-slower-than', slowlog);
        await pair.r.call('CONFIG', 'SET', 'latency-monitor-threshold', threshold);
        const snap = await redisSnapshot('command', [['LATENCY', 'DOCTOR']]);
        const monitor = { events: new Map([['command', snap!.series]]) } as unknown as LatencyMonitor;
        const ours = latencyReport(monitor, inputs({ threshold: Number(threshold), slowlogSlowerThan: Number(slowlog), nowSec: snap!.now }));
        const theirs = snap!.replies[0]!;
        expect(ourEventLines(ours), `slowlog ${slowlog}`).toEqual(redisEventLines(theirs));
        expect(adviceOf(ours, OUR_ADVICE), `slowlog ${slowlog}`).toEqual(adviceOf(theirs, REDIS_ADVICE));
      }
    } finally {
      await same(pair, [['CONFIG', 'SET', 'slowlog-log-slower-than', '10000']]);
    }
  }, 15000);

  it('the engine reports on its own events with the same advice as Redis', async () => {
    await freshMonitor(5);
    await both('DEBUG', 'SLEEP', '0.01');
    const [r, e] = await both('LATENCY', 'DOCTOR');
    expect(ourEventLines(text(e)).map((l) => l.slice(0, 3))).toEqual(redisEventLines(text(r)).map((l) => l.slice(0, 3)));
    expect(adviceOf(text(e), OUR_ADVICE)).toEqual(adviceOf(text(r), REDIS_ADVICE));
  });

  it('says so when monitoring is off and nothing was recorded, and when on with nothing recorded', async () => {
    await freshMonitor(0);
    const [r, e] = await both('LATENCY', 'DOCTOR');
    expect(text(r)).toContain('latency-monitor-threshold');
    expect(text(e)).toContain("CONFIG SET latency-monitor-threshold <milliseconds>");
    await freshMonitor(5);
    const [r2, e2] = await both('LATENCY', 'DOCTOR');
    expect(text(r2)).toContain('no latency spike was observed');
    expect(text(e2)).toContain('No latency spike has been recorded');
    await freshMonitor(0);
  });

  it('applies latency.c rules for the other events (table)', () => {
    const m = (events: Record<string, number[]>): LatencyMonitor => {
      const map = new Map<string, LatencySeries>();
      for (const [name, vals] of Object.entries(events)) {
        const s = new LatencySeries();
        vals.forEach((v, i) => s.add(v, 1000 + i));
        map.set(name, s);
      }
      return { events: map } as unknown as LatencyMonitor;
    };
    const advice = (events: Record<string, number[]>, over: Partial<DoctorInputs> = {}): string[] =>
      adviceOf(latencyReport(m(events), inputs({ nowSec: 1100, ...over })), OUR_ADVICE);
    expect(advice({ 'fast-command': [3] })).toEqual(['scheduler']);
    expect(advice({ 'expire-cycle': [30] })).toEqual(['hz', 'large-objects']);
    expect(advice({ 'expire-cycle': [30] }, { hz: 100 })).toEqual(['large-objects']);
    expect(advice({ 'eviction-del': [30] })).toEqual(['large-objects']);
    expect(advice({ 'eviction-cycle': [30] })).toEqual(['mass-eviction']);
    expect(advice({ fork: [30] }, { forkRate: 5 })).toEqual(['better-vm']);
    expect(advice({ fork: [30] }, { forkRate: 50 })).toEqual([]);
    expect(latencyReport(m({ fork: [30] }), inputs({ forkRate: 50, nowSec: 1100 }))).toContain('(good)');
    expect(advice({}, { anonHugePages: 4096 })).toEqual(['disable-thp']);
    expect(advice({ 'EXPIRE-CYCLE': [30] })).toEqual(['hz', 'large-objects']);
    // an event with no rule: the "no easy fix" ending
    expect(latencyReport(m({ 'command-unblocking': [9] }), inputs({ nowSec: 1100 }))).toContain('None of these events has a known simple fix');
    // aof-fsync-always counts as advice but prints only under appendfsync always
    const fsync = latencyReport(m({ 'aof-fsync-always': [9] }), inputs({ nowSec: 1100 }));
    expect(fsync).toContain('Suggestions');
    expect(fsync).not.toContain('appendfsync everysec');
    expect(latencyReport(m({ 'aof-fsync-always': [9] }), inputs({ nowSec: 1100, appendfsync: 'always' }))).toContain('appendfsync everysec');
  });

  it('prints periods as printf %.2f does, exact ties to even', () => {
    const xs = [0.125, 0.375, 0.625, 0.875, 1.125, 10.625, 2.5, 1 / 3, 2 / 3, 0.005, 160];
    expect(xs.map(fixed2)).toEqual(['0.12', '0.38', '0.62', '0.88', '1.12', '10.62', '2.50', '0.33', '0.67', '0.01', '160.00']);
  });

  it('computes average, mean deviation and period with integer arithmetic like Redis', () => {
    const s = new LatencySeries();
    s.add(10, 100);
    s.add(20, 101);
    s.add(31, 103);
    expect(analyzeSeries(s, 105)).toEqual({ allTimeHigh: 31, samples: 3, avg: 20, min: 10, max: 31, mad: 7, period: 5 });
    const same = new LatencySeries();
    same.add(10, 200);
    expect(analyzeSeries(same, 200).period).toBe(1);
  });
});

// --- monitor internals ----------------------------------------------------------------------------

describe('latency monitor', () => {
  it('keeps 160 one-second slots, the newest last, and the all-time max', () => {
    const s = new LatencySeries();
    for (let i = 0; i < 200; i++) s.add(i % 50, 1000 + i);
    const h = s.history();
    expect(h.length).toBe(LATENCY_TS_LEN);
    expect(h[0]!.time).toBe(1040);
    expect(s.last()).toEqual({ time: 1199, latency: 49 });
    expect(s.max).toBe(49);
    s.add(3, 1199);
    expect(s.last().latency).toBe(49);
    s.add(70, 1199);
    expect(s.last().latency).toBe(70);
  });

  it('command vs fast-command, threshold rules, and latencyAddSampleIfNeeded for other paths', () => {
    const engine = new Engine();
    const mon = latencyMonitorOf(engine);
    const spec = (name: string, fast: boolean): CommandSpec => ({ name, arity: 1, flags: fast ? ['fast'] : [], acl: [], firstKey: 0, lastKey: 0, step: 0, group: 'x' });
    const client = { addr: '127.0.0.1:1', name: '' } as never;
    const run = (s: CommandSpec, usec: number): void => {
      for (const o of engine.callObservers) o(s, ['x'], client, usec, Date.now());
    };
    run(spec('slowthing', false), 50_000);
    expect(mon.events.size).toBe(0); // threshold 0: off
    engine.config.set('latency-monitor-threshold', '10');
    run(spec('slowthing', false), 9_999);
    run(spec('fastthing', true), 12_500);
    run(spec('slowthing', false), 10_000);
    expect([...mon.events.keys()]).toEqual(['fast-command', 'command']);
    expect(mon.events.get('fast-command')!.last().latency).toBe(12);
    latencyAddSampleIfNeeded(engine, 'expire-cycle', 9);
    expect(mon.events.has('expire-cycle')).toBe(false);
    latencyAddSampleIfNeeded(engine, 'expire-cycle', 25);
    expect(mon.events.get('expire-cycle')!.max).toBe(25);
    expect(mon.reset('EXPIRE-cycle')).toBe(1);
    expect(mon.reset()).toBe(2);
  });
});

// --- HISTOGRAM --------------------------------------------------------------------------------------

/** Valid bucket keys: upper bounds (µs) of the 1024·2^i ns levels, plus the histogram's top. */
const BUCKET_KEYS = new Set([...Array.from({ length: 20 }, (_, i) => Math.floor((1024 * 2 ** i * (1 + 1 / 128) - 1) / 1000)), 1073741]);

/** Pairs of a RESP2 flat array or RESP3 map. */
function pairsOf(v: RespValue): Array<[RespValue, RespValue]> {
  if (v.t === 'map') return v.v;
  if (v.t === 'array') {
    const out: Array<[RespValue, RespValue]> = [];
    for (let i = 0; i + 1 < v.v.length; i += 2) out.push([v.v[i]!, v.v[i + 1]!]);
    return out;
  }
  return [];
}

/** A HISTOGRAM reply with bucket contents replaced by a validity check; command order kept or sorted. */
function normHistogram(v: RespValue, sortNames: boolean): RespValue {
  if (v.t !== 'map' && v.t !== 'array') return v;
  const entries = pairsOf(v).map(([name, body]): [RespValue, RespValue] => {
    const fields = pairsOf(body);
    const calls = fields.find(([k]) => text(k) === 'calls')?.[1];
    const buckets = pairsOf(fields.find(([k]) => text(k) === 'histogram_usec')?.[1] ?? { t: 'array', v: [] });
    let ok = buckets.length > 0 && int(buckets[buckets.length - 1]![1]) === int(calls);
    let prevKey = -1;
    let prevCount = 0;
    for (const [k, n] of buckets) {
      ok &&= BUCKET_KEYS.has(int(k)) && int(k) > prevKey && int(n) > prevCount;
      prevKey = int(k);
      prevCount = int(n);
    }
    const shape = body.t === 'map' ? 'map' : 'array';
    return [name, { t: 'simple', v: `${shape} calls=${int(calls)} buckets ok: ${ok}` }];
  });
  if (sortNames) entries.sort((a, b) => (text(a[0]) < text(b[0]) ? -1 : 1));
  return v.t === 'map' ? { t: 'map', v: entries } : { t: 'array', v: entries.flat() };
}

describe('LATENCY HISTOGRAM', () => {
  it('after CONFIG RESETSTAT only config|resetstat has a histogram; every command that ran appears', async () => {
    await both('CONFIG', 'RESETSTAT');
    const [r, e] = await both('LATENCY', 'HISTOGRAM');
    expect(show(normHistogram(e, true))).toBe(show(normHistogram(r, true)));
    await both('CONFIG', 'RESETSTAT');
    await both('SET', 'a', 'b');
    await both('SET', 'c', 'd');
    await both('CLIENT', 'ID');
    await both('CLIENT', 'LIST');
    await both('HSET', 'f', 'k', 'v');
    await both('HGETALL', 'f');
    await both('GET', 'a');
    const [r2, e2] = await both('LATENCY', 'HISTOGRAM');
    expect(show(normHistogram(e2, true))).toBe(show(normHistogram(r2, true)));
  });

  it('picks named commands: unknown skipped, containers expand, repeats repeat, any case', async () => {
    await both('CONFIG', 'RESETSTAT');
    for (const c of [['SET', 'a', 'b'], ['SET', 'c', 'd'], ['GET', 'a'], ['CLIENT', 'ID'], ['CLIENT', 'GETNAME'], ['HSET', 'f', 'k', 'v']] as Cmd[]) await both(...c);
    for (const names of [
      ['set', 'hset'],
      ['hgetall', 'get', 'zadd'],
      ['blabla'],
      ['blabla', 'blabla2', 'set', 'get'],
      ['SET'],
      ['set', 'set'],
      ['client'],
      ['client|id'],
      ['CLIENT|GETNAME'],
      ['client|nosuch', 'set|x', 'a|b|c', 'client|id|x'],
      ['config'],
    ]) {
      const [r, e] = await both('LATENCY', 'HISTOGRAM', ...names);
      // Redis lists a container's subcommands in its dict order: sort those.
      const sortNames = names.includes('client') || names.includes('config');
      expect(show(normHistogram(e, sortNames)), names.join(' ')).toBe(show(normHistogram(r, sortNames)));
    }
  });

  it("RESP3 maps, and a command's exact buckets (DEBUG SLEEP of 3 ms, and of 0.6 s: the top bucket)", async () => {
    const [r3, e3] = await Promise.all([RespClient.connect(pair.redis.port), RespClient.connect(pair.engine.port)]);
    try {
      await Promise.all([r3.call('HELLO', '3'), e3.call('HELLO', '3')]);
      await both('CONFIG', 'RESETSTAT');
      await both('SET', 'a', 'b');
      const [r, e] = await Promise.all([r3.call('LATENCY', 'HISTOGRAM', 'set'), e3.call('LATENCY', 'HISTOGRAM', 'set')]);
      expect(show(normHistogram(e, false))).toBe(show(normHistogram(r, false)));
      // A 3 ms sleep lands at or above the 2^22 ns level (4227 µs); how far above depends on load.
      await both('DEBUG', 'SLEEP', '0.003');
      const [dr, de] = await Promise.all([r3.call('LATENCY', 'HISTOGRAM', 'debug'), e3.call('LATENCY', 'HISTOGRAM', 'debug')]);
      expect(show(normHistogram(de, false))).toBe(show(normHistogram(dr, false)));
      for (const v of [dr, de]) expect(Number(/"int","v":"(\d+)"\},\{"t":"int","v":"1"\}\]\]\}/.exec(show(v))?.[1])).toBeGreaterThanOrEqual(4227);
      // Anything past 2^29 ns (0.54 s) reports the histogram's top bucket: exact on both.
      await both('CONFIG', 'RESETSTAT');
      await both('DEBUG', 'SLEEP', '0.6');
      const [tr, te] = await both('LATENCY', 'HISTOGRAM', 'debug');
      expect(show(te)).toBe(show(tr));
      expect(show(te)).toContain('1073741');
    } finally {
      r3.close();
      e3.close();
    }
  });

  it('a served blocked command gets a histogram, a timed-out one does not', async () => {
    const [rb, eb] = await Promise.all([RespClient.connect(pair.redis.port), RespClient.connect(pair.engine.port)]);
    try {
      await both('CONFIG', 'RESETSTAT');
      await Promise.all([rb.call('BLPOP', 'nolist', '0.05'), eb.call('BLPOP', 'nolist', '0.05')]);
      await same(pair, [['LATENCY', 'HISTOGRAM', 'blpop', 'brpop']]);
      const waits = [rb.call('BRPOP', 'hl', '0'), eb.call('BRPOP', 'hl', '0')];
      for (let i = 0; i < 100; i++) {
        const [a, b] = await both('INFO', 'clients');
        if (/blocked_clients:1/.test(text(a)) && /blocked_clients:1/.test(text(b))) break;
        await new Promise((res) => setTimeout(res, 10));
      }
      await both('RPUSH', 'hl', 'x');
      await Promise.all(waits);
      const [r, e] = await both('LATENCY', 'HISTOGRAM', 'blpop', 'brpop');
      expect(show(normHistogram(e, false))).toBe(show(normHistogram(r, false)));
    } finally {
      rb.close();
      eb.close();
    }
  });

  it('buckets: doubling levels from 1024 ns, upper bound of each level, cumulative counts', () => {
    const h = new LatencyHistogram();
    for (const us of [0, 1, 1, 2, 3, 5, 40, 40, 1000]) h.record(us);
    expect(histogramCdf(h)).toEqual([
      [1, 3],
      [2, 4],
      [4, 5],
      [8, 6],
      [66, 8],
      [1056, 9],
    ]);
    const top = new LatencyHistogram();
    top.record(2_000_000);
    top.record(700_000);
    top.record(500_000);
    expect(histogramCdf(top)).toEqual([
      [541065, 1],
      [1073741, 3],
    ]);
  });
});
