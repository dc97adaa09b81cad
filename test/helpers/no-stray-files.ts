// Global setup for vitest: tests start engines and servers in temporary directories, never in the
// checkout. An engine with Redis's default save points writes dump.rdb into its working directory
// on FLUSHALL or SHUTDOWN, so a dump.rdb that appears in the checkout during a run is a test
// starting an engine without a directory of its own: the run fails and says so.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

const STRAY = ['dump.rdb', 'appendonlydir'].map((f) => resolve(f));

export default function setup(): () => void {
  const before = new Map(STRAY.map((p) => [p, existsSync(p) ? statSync(p).mtimeMs : null]));
  return () => {
    for (const [path, mtime] of before) {
      if (existsSync(path) && statSync(path).mtimeMs !== mtime) {
        // Thrown errors in a teardown are only printed by vitest: set the exit code as well.
        process.exitCode = 1;
        throw new Error(`a test wrote ${path}: start engines with a temporary dir (test/helpers/servers.ts startEngine does)`);
      }
    }
  };
}
