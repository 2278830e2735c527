// Debug adapter benchmarks, in process as VS Code runs the inline adapter: launch → first stdout, and a 1,000,000-line flood.
//
// Run alone: `npm run build && node bench/dap.bench.mjs` (prints a table; `--json` prints the results as JSON).
// bench/run.mjs imports runDapBenchmarks() and writes its rows to BENCHMARKS.md.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { loadForBench, root, workerPath } from './lib/bundle.mjs';

const fixtures = path.join(root, 'test', 'fixtures', 'dap');
const FLOOD_LINES = 1_000_000;

/** The session (with the runtime and the launch.json mapper), bundled for this process; dist/ has only entry points. */
function loadSessionModule() {
  return loadForBench('session', `export * from './src/debug/session';`);
}

/** Drives one WasiDebugSession like VS Code's inline adapter; every message is JSON-serialized as a transport would. */
function startSession(WasiDebugSession, onMessage) {
  const session = new WasiDebugSession({ workspaceFolder: fixtures, hostEnv: process.env, workerPath });
  let seq = 1;
  session.onDidSendMessage((message) => onMessage(message, JSON.stringify(message)));
  const request = (command, args) => session.handleMessage({ seq: seq++, type: 'request', command, arguments: args });
  return { session, request };
}

async function launchToFirstStdout(WasiDebugSession, { noDebug }) {
  return new Promise((resolve, reject) => {
    let t0 = 0;
    let first;
    const { request } = startSession(WasiDebugSession, (message) => {
      if (message.type === 'response' && message.command === 'launch' && !message.success) reject(new Error(message.message));
      if (message.type === 'event' && message.event === 'output' && message.body.category === 'stdout' && first === undefined) {
        first = performance.now() - t0;
      }
      if (message.type === 'event' && message.event === 'terminated') resolve(first);
    });
    request('initialize', { adapterID: 'wasi', pathFormat: 'path' });
    t0 = performance.now();
    request('launch', { type: 'wasi', request: 'launch', name: 'hello', program: path.join(fixtures, 'hello.wasm'), noDebug });
    request('configurationDone');
  });
}

async function floodThroughAdapter(WasiDebugSession, { noDebug }) {
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  let stdoutChars = 0;
  let events = 0;
  let lastLine = '';
  const t0 = performance.now();
  loopDelay.enable();
  await new Promise((resolve, reject) => {
    const { request } = startSession(WasiDebugSession, (message, json) => {
      if (message.type === 'response' && message.command === 'launch' && !message.success) reject(new Error(message.message));
      if (message.type === 'event' && message.event === 'output' && message.body.category === 'stdout') {
        events += 1;
        stdoutChars += message.body.output.length;
        lastLine = message.body.output.slice(message.body.output.lastIndexOf('\n', message.body.output.length - 2) + 1);
        void json.length;
      }
      if (message.type === 'event' && message.event === 'terminated') resolve();
    });
    request('initialize', { adapterID: 'wasi', pathFormat: 'path' });
    request('launch', { type: 'wasi', request: 'launch', name: 'flood', program: path.join(fixtures, 'flood.wasm'), args: [String(FLOOD_LINES)], noDebug });
    request('configurationDone');
  });
  const totalMs = performance.now() - t0;
  loopDelay.disable();
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  if (lastLine !== `line ${FLOOD_LINES - 1}\n`) throw new Error(`flood ended with ${JSON.stringify(lastLine)}`);
  return {
    totalMs,
    events,
    stdoutChars,
    maxLoopBlockMs: loopDelay.max / 1e6,
    p99LoopBlockMs: loopDelay.percentile(99) / 1e6,
    memoryGrowthMb: (peak - baseline) / (1024 * 1024),
  };
}

/** The baseline: node:wasi in a child process writing the same lines to a pipe that this process drains. */
async function floodThroughNodeWasi() {
  const script = `
    const { WASI } = require('node:wasi');
    const bytes = require('node:fs').readFileSync(process.argv[1]);
    const wasi = new WASI({ version: 'preview1', args: ['flood', process.argv[2]], env: {}, returnOnExit: true });
    WebAssembly.instantiate(bytes, wasi.getImportObject()).then(({ instance }) => { process.exitCode = wasi.start(instance); });
  `;
  const t0 = performance.now();
  let bytes = 0;
  await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--no-warnings', '-e', script, path.join(fixtures, 'flood.wasm'), String(FLOOD_LINES)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.on('data', (chunk) => (bytes += chunk.length));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`node:wasi exited with ${code}`))));
  });
  return { totalMs: performance.now() - t0, bytes };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Runs every debug adapter benchmark; returns rows { name, value, unit, target, ok, detail }. */
export async function runDapBenchmarks({ launchRuns = 15, floodRuns = 3 } = {}) {
  const { WasiDebugSession } = await loadSessionModule();
  readFileSync(workerPath); // fail early without a build

  // F5 runs under the V8 inspector (attach + Debugger.enable before the module starts); Ctrl+F5 never opens it.
  await launchToFirstStdout(WasiDebugSession, { noDebug: false }); // warm-up: first worker start loads and compiles the worker bundle
  const launches = { debug: [], noDebug: [] };
  for (let i = 0; i < launchRuns; i++) {
    launches.debug.push(await launchToFirstStdout(WasiDebugSession, { noDebug: false }));
    launches.noDebug.push(await launchToFirstStdout(WasiDebugSession, { noDebug: true }));
  }

  // The flood runs both ways: under the inspector V8 keeps wasm on its baseline tier, so F5 computes slower.
  const ours = [];
  const oursNoDebug = [];
  const baseline = [];
  for (let i = 0; i < floodRuns; i++) {
    baseline.push(await floodThroughNodeWasi());
    oursNoDebug.push(await floodThroughAdapter(WasiDebugSession, { noDebug: true }));
    ours.push(await floodThroughAdapter(WasiDebugSession, { noDebug: false }));
  }
  const baseMs = median(baseline.map((r) => r.totalMs));
  const maxBlock = Math.max(...[...ours, ...oursNoDebug].map((r) => r.maxLoopBlockMs));
  const p99Block = Math.max(...[...ours, ...oursNoDebug].map((r) => r.p99LoopBlockMs));
  const maxGrowth = Math.max(...[...ours, ...oursNoDebug].map((r) => r.memoryGrowthMb));
  // Wall-clock figures on a shared machine include time the scheduler gave to other processes.
  const load = `load ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`;
  return [
    ...[
      ['DAP: launch request → first stdout event (hello.wasm, in process), Run Without Debugging', launches.noDebug],
      ['DAP: launch request → first stdout event (hello.wasm, in process), debug launch under the inspector', launches.debug],
    ].map(([name, times]) => ({
      name,
      value: median(times),
      unit: 'ms (median)',
      target: '≤ 50 ms',
      ok: median(times) <= 50,
      detail: `${launchRuns} runs, min ${Math.min(...times).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms; ${load}`,
    })),
    ...[
      ['Run Without Debugging', oursNoDebug],
      ['debug launch under the inspector', ours],
    ].map(([mode, runs]) => {
      const oursMs = median(runs.map((r) => r.totalMs));
      return {
        name: `DAP: ${FLOOD_LINES.toLocaleString('en')} lines to the Debug Console vs node:wasi to a pipe, ${mode}`,
        value: oursMs / baseMs,
        unit: '× (time ratio, medians)',
        target: '≤ 2×',
        ok: oursMs / baseMs <= 2,
        detail: `adapter ${oursMs.toFixed(0)} ms in ${runs[0].events} output events; node:wasi ${baseMs.toFixed(0)} ms`,
      };
    }),
    {
      name: 'DAP flood: peak memory growth (RSS)',
      value: maxGrowth,
      unit: 'MB',
      target: '≤ 100 MB',
      ok: maxGrowth <= 100,
      detail: `worst of ${floodRuns * 2} runs, both modes`,
    },
    {
      name: 'DAP flood: longest event-loop block',
      value: maxBlock,
      unit: 'ms',
      target: '≤ 50 ms',
      ok: maxBlock <= 50,
      detail: `monitorEventLoopDelay max, worst of ${floodRuns * 2} runs in both modes (p99 ${p99Block.toFixed(1)} ms); ${load}`,
    },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await runDapBenchmarks();
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(rows, null, 2));
  } else {
    for (const row of rows) {
      console.log(`${row.ok ? 'ok  ' : 'MISS'} ${row.name}: ${row.value.toFixed(2)} ${row.unit} (target ${row.target}) — ${row.detail}`);
    }
  }
}
