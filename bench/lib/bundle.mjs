// Bundles the runtime's host side (and the builder) for the benchmark runners; dist/ only holds entry points.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const buildDir = path.join(root, 'bench', 'results', '.build');
export const runtimeBundle = path.join(buildDir, 'runtime.cjs');
export const workerPath = path.join(root, 'dist', 'worker.js');
export const cliPath = path.join(root, 'dist', 'cli.js');
export const programsDir = path.join(root, 'bench', 'programs');

/**
 * Bundles `contents` (TypeScript re-exports, resolved from the repository root) into bench/results/.build/<name>.cjs
 * and returns the path; `alias` maps module names (e.g. vscode → the test double).
 */
export async function bundleForBench(name, contents, alias = {}) {
  mkdirSync(buildDir, { recursive: true });
  const outfile = path.join(buildDir, `${name}.cjs`);
  await esbuild.build({
    stdin: { contents, resolveDir: root, loader: 'ts' },
    alias,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    logLevel: 'warning',
  });
  return outfile;
}

/** Bundles and loads it in this process. */
export async function loadForBench(name, contents, alias = {}) {
  return createRequire(import.meta.url)(await bundleForBench(name, contents, alias));
}

export async function bundleRuntime() {
  await bundleForBench('runtime', `export { startWasiProcess } from './src/runtime/process';\nexport { WasiEnvBuilder } from './src/builder';`);
}
