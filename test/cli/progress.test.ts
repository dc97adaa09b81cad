import { describe, expect, it } from 'vitest';
import { createProgress, progressLine, progressWanted } from '../../src/cli/progress.js';

describe('progress line', () => {
  it('shows percent, bar, rates and ETA', () => {
    const line = progressLine(50 * 1024 * 1024, 100_000, 100 * 1024 * 1024, 2000, 'keys', 120, false);
    expect(line).toContain(' 50.0%');
    expect(line).toMatch(/#+-+/);
    expect(line).toContain('25.00MiB/s');
    expect(line).toContain('50,000 keys/s');
    expect(line).toContain('ETA 0:02');
  });
  it('is silent unless stderr is a terminal and the output is for people', () => {
    const fake = { isTTY: true } as NodeJS.WriteStream;
    expect(progressWanted(false, fake)).toBe(true);
    expect(progressWanted(true, fake)).toBe(false);
    expect(progressWanted(false, { isTTY: false } as NodeJS.WriteStream)).toBe(false);
  });
  it('draws at most every 100 ms and erases itself', () => {
    let written = '';
    let t = 0;
    const stream = { columns: 100, write: (s: string) => ((written += s), true) } as unknown as NodeJS.WriteStream;
    const p = createProgress({ total: 1000, enabled: true, stream, now: () => t });
    t = 150;
    p.update(100, 10);
    t = 160;
    p.update(200, 20);
    expect(written.match(/\r/g)).toHaveLength(1);
    p.done();
    expect(written.endsWith('\r\x1b[K')).toBe(true);
  });
});
