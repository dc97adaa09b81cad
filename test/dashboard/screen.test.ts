// The dashboard end to end in a real terminal (tmux): `redscope` alone opens on the bundled engine
// with the demo workload and fills every panel; with two real redis-servers the keys switch
// targets, the status line shows the server's version, a server that dies shows "unreachable
// since", resize redraws, and `q` exits with status 0 and gives the terminal back.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startRedis, type TestServer } from '../helpers/servers.js';
import { TmuxSession } from './tmux.js';

const TITLES = ['Throughput', 'Memory (MiB)', 'Fragmentation', 'Memory now', 'Clients', 'Latency (PING ms)', 'Latency events', 'Slowlog', 'Commands', 'Keyspace', 'Findings'];

let tmux: TmuxSession | null = null;
const servers: TestServer[] = [];
afterEach(async () => {
  await tmux?.stop();
  tmux = null;
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

/** The status line: the last non-empty line of the screen. */
const statusOf = (screen: string): string => screen.trimEnd().split('\n').pop() ?? '';

describe('redscope dashboard in a terminal', () => {
  it('opens on the bundled engine with the demo load, fills every panel, resizes, and q exits 0', async () => {
    tmux = new TmuxSession();
    const t0 = Date.now();
    await tmux.start([]);
    await tmux.waitFor((s) => TITLES.every((t) => s.includes(t)), 'every panel title');
    const firstFrameMs = Date.now() - t0;
    const screen = await tmux.waitFor(
      (s) => /Throughput +\d[\d.k]* ops\/s/.test(s) && /connected \d+/.test(s) && /db0 +\d+/.test(s) && /Slowlog \d+ entries/.test(s) && /PING p50 [\d.]+ms/.test(s),
      'live numbers in throughput, clients, keyspace, slowlog and latency',
    );
    console.log(`dashboard: first frame after ${firstFrameMs} ms (machine load: ${(await import('node:os')).loadavg()[0]!.toFixed(1)})`);
    expect(statusOf(screen)).toMatch(/bundled engine \(127\.0\.0\.1:\d+\).+DEMO workload.+redis 7\.0\.15.+master/);
    expect(screen).toMatch(/blocked 1/); // the demo's BLPOP consumer

    await tmux.keys('?');
    await tmux.waitFor((s) => s.includes('show target N') && s.includes('pause / resume'), 'the help overlay');
    await tmux.keys('Escape');
    await tmux.waitFor((s) => !s.includes('show target N'), 'the help to close');

    await tmux.keys('Space');
    await tmux.waitFor((s) => statusOf(s).includes('PAUSED'), 'PAUSED in the status line');
    await tmux.keys('Space');
    await tmux.waitFor((s) => !statusOf(s).includes('PAUSED'), 'PAUSED to go');

    await tmux.resize(100, 30);
    await tmux.waitFor((s) => {
      const lines = s.split('\n');
      return lines.length <= 31 && lines.every((l) => [...l].length <= 100) && s.includes('Throughput') && s.includes('Findings') && /[│x] 127\.0\.0\.1|bundled engine/.test(statusOf(s));
    }, 'a redraw at 100x30');

    await tmux.keys('q');
    const after = await tmux.waitFor((s) => s.includes('EXIT='), 'the program to end');
    expect(after).toContain('EXIT=0');
    expect(after).not.toContain('Throughput'); // the alternate screen is gone: the terminal is back
  });

  it('switches between two redis-servers, shows their version, and marks one that goes away unreachable', async () => {
    const [a, b] = await Promise.all([startRedis(), startRedis()]);
    servers.push(a!, b!);
    tmux = new TmuxSession();
    await tmux.start(['dashboard', '--url', `redis://127.0.0.1:${a!.port}`, '--url', `redis://127.0.0.1:${b!.port}`, '--interval', '500ms']);
    let screen = await tmux.waitFor((s) => statusOf(s).includes(`127.0.0.1:${a!.port}`) && /redis 7\.0\.\d+/.test(statusOf(s)), 'target 1 with its version');
    expect(statusOf(screen)).toMatch(/\[1\]\[2\]/);
    expect(statusOf(screen)).not.toContain('DEMO');

    await tmux.keys('2');
    screen = await tmux.waitFor((s) => statusOf(s).includes(`127.0.0.1:${b!.port}`), 'target 2 after pressing 2');
    expect(statusOf(screen)).toMatch(/redis 7\.0\.\d+ .+master/);
    await tmux.keys('n');
    await tmux.waitFor((s) => statusOf(s).includes(`127.0.0.1:${a!.port}`), 'target 1 after n (wraps around)');
    await tmux.keys('p');
    await tmux.waitFor((s) => statusOf(s).includes(`127.0.0.1:${b!.port}`), 'target 2 after p');

    await b!.stop();
    servers.splice(servers.indexOf(b!), 1); // stop() twice waits for an exit that already happened
    screen = await tmux.waitFor((s) => /unreachable since \d\d:\d\d:\d\d/.test(s), '"unreachable since" for the stopped server');
    expect(statusOf(screen)).toMatch(/unreachable since \d\d:\d\d:\d\d/);
    await tmux.keys('1');
    await tmux.waitFor((s) => statusOf(s).includes(`127.0.0.1:${a!.port}`) && !statusOf(s).includes('unreachable'), 'target 1 still live');

    await tmux.keys('C-c');
    expect(await tmux.waitFor((s) => s.includes('EXIT='), 'the program to end')).toContain('EXIT=0');
  });
});
