// Bundles the entry points with esbuild: the extension, the runtime worker, the standalone DAP adapter and the CLI (launcher + main).
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  minify: production,
  logLevel: 'warning',
  external: ['vscode'],
};

const entries = [
  { in: 'src/extension.ts', out: 'dist/extension.js' },
  { in: 'src/runtime/worker.ts', out: 'dist/worker.js' },
  { in: 'src/debugAdapter.ts', out: 'dist/debugAdapter.js' },
  // The `wasi-debug` command is a small launcher that starts the worker thread, then loads the CLI (src/cli/launcher.ts).
  { in: 'src/cli/launcher.ts', out: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, external: ['./cliMain.js'] },
  { in: 'src/cli.ts', out: 'dist/cliMain.js' },
];

await Promise.all(entries.map((e) => esbuild.build({
  ...common,
  entryPoints: [e.in],
  outfile: e.out,
  ...(e.banner ? { banner: e.banner } : {}),
  ...(e.external ? { external: [...common.external, ...e.external] } : {}),
})));
