#!/usr/bin/env node
// Entry point of the `redscope` binary: runs the compiled CLI from dist/.
import { main } from '../dist/cli/main.js';

main(process.argv).catch((err) => {
  process.stderr.write(`redscope: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
});
