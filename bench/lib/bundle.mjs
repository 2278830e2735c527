// Bundles the runtime's host side (and the builder) for the benchmark runners; dist/ only holds entry points.
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const buildDir = path.join(root, 'bench', 'results', '.build');
export const runtimeBundle = path.join(buildDir, 'runtime.cjs');
export const workerPath = path.join(root, 'dist', 'worker.js');
export const cliPath = path.join(root, 'dist', 'cli.js');
export const programsDir = path.join(root, 'bench', 'programs');

export async function bundleRuntime() {
  mkdirSync(buildDir, { recursive: true });
  await esbuild.build({
    stdin: {
      contents: `export { startWasiProcess } from './src/runtime/process';\nexport { WasiEnvBuilder } from './src/builder';`,
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile: runtimeBundle,
    logLevel: 'warning',
  });
}
