// Benchmark baseline: runs a module with Node's node:wasi inside a worker thread (as our runtime runs in one).
const { parentPort, workerData } = require('node:worker_threads');
const { WASI } = require('node:wasi');
const fs = require('node:fs');

const { wasm, args, preopens, stdoutPath } = workerData;
// stdout goes to a file the parent reads afterwards (node:wasi writes to real descriptors, not to worker.stdout).
const stdout = stdoutPath ? fs.openSync(stdoutPath, 'w') : 1;
const wasi = new WASI({ version: 'preview1', args, env: {}, preopens, stdout, returnOnExit: true });
const compiled = new WebAssembly.Module(fs.readFileSync(wasm));
const instance = new WebAssembly.Instance(compiled, wasi.getImportObject());
const code = wasi.start(instance);
if (stdoutPath) fs.closeSync(stdout);
parentPort.postMessage({ code });
