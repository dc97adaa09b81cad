// Prints the plain closing line CI systems read ("N passed, N failed, N skipped") from the JSON
// report vitest wrote to .cache/vitest-report.json during `npm test`.
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(new URL('../.cache/vitest-report.json', import.meta.url), 'utf8'));
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
process.exit(report.numFailedTests > 0 ? 1 : 0);
