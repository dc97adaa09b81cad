// Test runner settings: engine and real-redis tests open sockets, so give them room.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    globalSetup: ['test/helpers/no-stray-files.ts'],
    reporters: ['default', ['json', { outputFile: '.cache/vitest-report.json' }]],
  },
});
