// Runs every test suite with Node's test runner: unit, conformance and DAP tests from out/, then the real-VS-Code e2e suite.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function findTests(dir, suffix) {
  const found = [];
  let entries = [];
  try { entries = readdirSync(dir); } catch { return found; }
  for (const name of entries) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) found.push(...findTests(full, suffix));
    else if (name.endsWith(suffix)) found.push(full);
  }
  return found.sort();
}

// A hang in the product fails its test after this long instead of stalling the whole run (CI stops at 90 min).
// Generous: the e2e suite's first run installs code-server inside its setup.
const TEST_TIMEOUT_MS = 10 * 60_000;

const only = process.argv.slice(2);
const files = [
  ...findTests('out/test', '.test.js'),
  ...(process.env.WASI_DEBUG_SKIP_E2E ? [] : findTests('test/e2e', '.test.mjs')),
].filter((f) => only.length === 0 || only.some((o) => f.includes(o)));

const result = spawnSync(process.execPath, ['--test', '--test-concurrency=1', `--test-timeout=${TEST_TIMEOUT_MS}`, '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
