// Runs the house import rules (../shared/tools/check-imports.mjs) when that checker sits beside the repo.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const checker = join(root, '..', 'shared', 'tools', 'check-imports.mjs');
if (!existsSync(checker)) {
  console.log('check-imports: ../shared/tools/check-imports.mjs not present; skipped');
  process.exit(0);
}
const r = spawnSync(process.execPath, [checker, root], { stdio: 'inherit' });
process.exit(r.status ?? 1);
