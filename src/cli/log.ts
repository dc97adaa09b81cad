// Log lines in redis-server's format ("pid:M 21 Nov 2026 14:32:10.123 * message"), so people and
// tools that read Redis logs read ours the same way.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const LEVEL_MARK = { debug: '.', verbose: '-', notice: '*', warning: '#' } as const;
const LEVEL_RANK = { debug: 0, verbose: 1, notice: 2, warning: 3 } as const;
export type LogLevel = keyof typeof LEVEL_MARK;

export function formatLogLine(level: LogLevel, message: string, date = new Date()): string {
  const p2 = (n: number) => String(n).padStart(2, '0');
  const stamp = `${p2(date.getDate())} ${MONTHS[date.getMonth()]} ${date.getFullYear()} ${p2(date.getHours())}:${p2(date.getMinutes())}:${p2(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}`;
  return `${process.pid}:M ${stamp} ${LEVEL_MARK[level]} ${message}`;
}

/** A logger writing to `out` at or above `minLevel` (redis.conf loglevel). */
export function makeLogger(out: (line: string) => void, minLevel: () => LogLevel) {
  return (level: LogLevel, message: string) => {
    if (LEVEL_RANK[level] < LEVEL_RANK[minLevel()]) return;
    out(formatLogLine(level, message));
  };
}
