// Benchmark baseline for whole-process workloads: `node nodeWasiMain.cjs module.wasm [args…]` runs it with node:wasi.
const { WASI } = require('node:wasi');
const fs = require('node:fs');

process.removeAllListeners('warning'); // the ExperimentalWarning would add a stderr write our CLI does not make
const [wasm, ...args] = process.argv.slice(2);
const wasi = new WASI({ version: 'preview1', args: [wasm, ...args], env: {}, preopens: {}, returnOnExit: true });
const instance = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(wasm)), wasi.getImportObject());
process.exitCode = wasi.start(instance);
