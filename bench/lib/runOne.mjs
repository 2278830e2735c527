// Runs one module once, in this fresh process, with our runtime or node:wasi (both in a worker thread); prints a RESULT line.
//
// Usage: node runOne.mjs '{"engine":"ours"|"node","wasm":"…","args":[…],"hostDir":"…"|null,"guestDir":"/data"}'
// The time runs from just before the worker is created to the exit (worker boot, compile and run);
// maxRssKb is the whole process's peak resident set (threads included).
import * as fs from 'node:fs';
import * as os from 'node:os';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { runtimeBundle, workerPath, root } from './bundle.mjs';

const spec = JSON.parse(process.argv[2]);

async function runOurs() {
  const { startWasiProcess, WasiEnvBuilder } = createRequire(import.meta.url)(runtimeBundle);
  const builder = new WasiEnvBuilder(path.basename(spec.wasm)).args(spec.args);
  if (spec.hostDir) builder.mapDir(spec.guestDir, spec.hostDir);
  const init = builder.build();
  const bytes = fs.readFileSync(spec.wasm);
  const t0 = performance.now();
  const handle = startWasiProcess(init, bytes, { workerPath });
  const out = [];
  handle.on('stdout', (d) => out.push(Buffer.from(d)));
  handle.on('stderr', (d) => process.stderr.write(d));
  const info = await handle.exited;
  const ms = performance.now() - t0;
  return { ms, exit: info.kind === 'exit' ? info.code : JSON.stringify(info), stdout: Buffer.concat(out).toString() };
}

async function runNode() {
  const preopens = spec.hostDir ? { [spec.guestDir]: spec.hostDir } : {};
  const stdoutPath = path.join(os.tmpdir(), `wasi-bench-stdout-${process.pid}.txt`);
  const t0 = performance.now();
  const worker = new Worker(path.join(root, 'bench', 'lib', 'nodeWasiWorker.cjs'), {
    workerData: { wasm: spec.wasm, args: [path.basename(spec.wasm), ...spec.args], preopens, stdoutPath },
  });
  const code = await new Promise((resolve, reject) => {
    worker.once('message', (m) => resolve(m.code));
    worker.once('error', reject);
  });
  const ms = performance.now() - t0;
  await worker.terminate();
  const stdout = fs.readFileSync(stdoutPath, 'utf8');
  fs.rmSync(stdoutPath, { force: true });
  return { ms, exit: code, stdout };
}

const result = spec.engine === 'ours' ? await runOurs() : await runNode();
result.maxRssKb = process.resourceUsage().maxRSS;
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
process.exit(0);
