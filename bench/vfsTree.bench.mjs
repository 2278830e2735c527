// Tree view benchmarks over real modules: expanding a 10,000-entry directory, and following a module that creates
// 100,000 files (event-loop blocks while the view follows; the view must end up exact).
//
// Run alone: `npm run build && node bench/vfsTree.bench.mjs` (prints a table; `--json` prints the results as JSON).
// bench/run.mjs imports runVfsTreeBenchmarks() and writes its rows to BENCHMARKS.md.
//
// VS Code is simulated the way its extension host drives a TreeDataProvider: on onDidChangeTreeData(element) it
// calls getChildren(element) and getTreeItem() for every child (ExtHostTreeView resolves each child's item).
// The `vscode` module is the unit tests' double (test/unit/vscodeStub), whose classes are as cheap as the real ones.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { loadForBench, root, workerPath } from './lib/bundle.mjs';


/** The views, the runtime and the vscode double, bundled for this process; dist/ has only entry points. */
function loadViews() {
  return loadForBench(
    'vfsTreeBench',
    `export { startWasiProcess } from './src/runtime/process';
     export { SessionRegistry } from './src/views/sessions';
     export { VfsTreeDataProvider } from './src/views/vfsTreeProvider';`,
    { vscode: path.join(root, 'test', 'unit', 'vscodeStub', 'vscode.ts') },
  );
}

async function loadWabt() {
  const wabt = await createRequire(import.meta.url)('wabt')();
  return (text) => {
    const parsed = wabt.parseWat('bench.wat', text);
    try {
      return parsed.toBinary({}).buffer;
    } finally {
      parsed.destroy();
    }
  };
}

/** A module creating /out/f000000 … (count files, 4 bytes each) through the "/" preopen (fd 3), then exiting 0. */
function writerWat(count) {
  return `(module
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "out/f000000")
  (data (i32.const 200) "data")
  (data (i32.const 300) "\\c8\\00\\00\\00\\04\\00\\00\\00")
  (func $digits (param $v i32) (local $at i32)
    (local.set $at (i32.const 110))
    (loop $d
      (i32.store8 (local.get $at) (i32.add (i32.const 48) (i32.rem_u (local.get $v) (i32.const 10))))
      (local.set $v (i32.div_u (local.get $v) (i32.const 10)))
      (local.set $at (i32.sub (local.get $at) (i32.const 1)))
      (br_if $d (i32.ge_u (local.get $at) (i32.const 105)))))
  (func (export "_start") (local $i i32) (local $fd i32)
    (loop $files
      (call $digits (local.get $i))
      (if (call $path_open (i32.const 3) (i32.const 0) (i32.const 100) (i32.const 11) (i32.const 1)
            (i64.const 0x1fffffff) (i64.const 0x1fffffff) (i32.const 0) (i32.const 400))
        (then (call $proc_exit (i32.const 11))))
      (local.set $fd (i32.load (i32.const 400)))
      (if (call $fd_write (local.get $fd) (i32.const 300) (i32.const 1) (i32.const 404)) (then (call $proc_exit (i32.const 12))))
      (if (call $fd_close (local.get $fd)) (then (call $proc_exit (i32.const 13))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $files (i32.lt_u (local.get $i) (i32.const ${count}))))
    (call $proc_exit (i32.const 0))))`;
}

function initFor() {
  return {
    args: ['writer.wasm'], env: [], entryFunction: '_start', root: { kind: 'memory' },
    preopens: [{ kind: 'virtual', guestPath: '/out' }], currentDir: '/', seed: [],
    stdin: { kind: 'none' }, stdout: { kind: 'console' }, stderr: { kind: 'console' },
    uses: [], includedPackages: [], mapCommands: {},
    capabilities: { threads: false, threading: { enableAsynchronousThreading: false } },
    additionalImports: [], journals: [], snapshotOn: [], attachCtrlC: false,
  };
}

/** Longest synchronous stretch seen in render() (the sliced preparation in between is caught by blockMeter). */
let longestSyncRenderMs = 0;

/** What VS Code's extension host does for a refresh: await the children, then an item for each, synchronously. */
async function render(tree, element) {
  let start = performance.now();
  const result = tree.getChildren(element);
  longestSyncRenderMs = Math.max(longestSyncRenderMs, performance.now() - start);
  const children = await result;
  start = performance.now();
  for (const c of children) tree.getTreeItem(c);
  longestSyncRenderMs = Math.max(longestSyncRenderMs, performance.now() - start);
  return children;
}

/** Largest gap between 1 ms ticks: how long the event loop was blocked at worst. */
function blockMeter() {
  let last = performance.now();
  let max = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    max = Math.max(max, now - last - 1);
    last = now;
  }, 1);
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  // Garbage collection pauses the whole isolate; reported separately so a block can be attributed.
  let gcMaxMs = 0;
  let gcTotalMs = 0;
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcMaxMs = Math.max(gcMaxMs, entry.duration);
      gcTotalMs += entry.duration;
    }
  });
  gc.observe({ entryTypes: ['gc'] });
  return {
    stop() {
      clearInterval(timer);
      histogram.disable();
      gc.disconnect();
      return { tickGapMs: max, loopDelayMaxMs: histogram.max / 1e6, gcMaxMs, gcTotalMs };
    },
  };
}


async function expandLargeDirectory(views, toBinary, count, runs) {
  const process = views.startWasiProcess(initFor(), toBinary(writerWat(count)), { workerPath, name: 'bench-expand' });
  const exit = await process.exited;
  if (exit.kind !== 'exit' || exit.code !== 0) throw new Error(`writer failed: ${JSON.stringify(exit)}`);
  const times = [];
  for (let i = 0; i < runs; i++) {
    const registry = new views.SessionRegistry();
    registry.add(`expand${i}`, 'writer.wasm', process);
    const tree = new views.VfsTreeDataProvider(registry);
    const [rootNode] = await render(tree);
    const out = (await render(tree, rootNode)).find((n) => n.name === 'out');
    const t0 = performance.now();
    const children = await render(tree, out);
    times.push(performance.now() - t0);
    if (children.length !== count) throw new Error(`expanded ${children.length} of ${count}`);
    tree.dispose();
    registry.dispose();
  }
  await process.terminate();
  return times;
}

async function followManyFiles(views, toBinary, count) {
  const bytes = toBinary(writerWat(count));
  // Baseline: the same module with no view attached.
  const t0 = performance.now();
  const alone = views.startWasiProcess(initFor(), bytes, { workerPath, name: 'bench-alone' });
  const recorded = [];
  alone.vfs.onDidChange((paths) => recorded.push(paths));
  await alone.exited;
  const aloneMs = performance.now() - t0;
  await alone.terminate();
  const replay = await replayIntoView(views, alone.vfs, recorded);

  const registry = new views.SessionRegistry();
  const tree = new views.VfsTreeDataProvider(registry);
  let refreshes = 0;
  let longestRefreshMs = 0;
  tree.onDidChangeTreeData((e) => {
    // Like the extension host, re-render asynchronously after the event.
    setImmediate(async () => {
      longestSyncRenderMs = 0;
      for (const element of e === undefined ? [undefined] : Array.isArray(e) ? e : [e]) await render(tree, element);
      longestRefreshMs = Math.max(longestRefreshMs, longestSyncRenderMs);
      refreshes++;
    });
  });
  // Attribute blocks: the runtime's mirror replaying journal batches vs the view's own work.
  const spans = { mirrorMaxMs: 0, mirrorMaxRecords: 0, mirrorBatches: 0, modelMaxMs: 0 };
  const timed = (object, method, record) => {
    const original = object[method].bind(object);
    object[method] = (...args) => {
      const s = performance.now();
      try {
        return original(...args);
      } finally {
        record(performance.now() - s, args);
      }
    };
  };
  timed(tree.model, 'applyChanges', (ms) => (spans.modelMaxMs = Math.max(spans.modelMaxMs, ms)));
  const meter = blockMeter();
  const t1 = performance.now();
  const process = views.startWasiProcess(initFor(), bytes, { workerPath, name: 'bench-follow' });
  timed(process.vfs, 'applyChanges', (ms, [batch]) => {
    spans.mirrorBatches++;
    if (ms > spans.mirrorMaxMs) {
      spans.mirrorMaxMs = ms;
      spans.mirrorMaxRecords = batch.length;
    }
  });
  registry.add('follow', 'writer.wasm', process);
  const [rootNode] = await render(tree);
  const out = (await render(tree, rootNode)).find((n) => n.name === 'out');
  await render(tree, out); // the user expanded /out before the files arrive
  const exit = await process.exited;
  while (!tree.settled) await new Promise((r) => setTimeout(r, 5));
  await new Promise((r) => setTimeout(r, 20));
  const followMs = performance.now() - t1;
  const blocks = meter.stop();
  if (exit.kind !== 'exit' || exit.code !== 0) throw new Error(`writer failed: ${JSON.stringify(exit)}`);
  // The view shows a first page and an "N more…" node (src/views/vfsTreeModel.ts PAGE_SIZE); behind it the model
  // holds every entry in view order. Both must match the module's filesystem exactly.
  const visible = await render(tree, out);
  const page = visible.filter((n) => n.kind === 'entry').map((n) => n.name);
  const more = visible.find((n) => n.kind === 'more');
  const all = tree.model.allChildren(out).map((n) => n.name);
  const truth = process.vfs.readDirectory('/out').map((e) => e.name).sort();
  const expected = Array.from({ length: count }, (_, i) => `f${String(i).padStart(6, '0')}`);
  const exact =
    all.length === count && all.every((n, i) => n === expected[i] && n === truth[i]) &&
    page.every((n, i) => n === expected[i]) && (more?.remaining ?? 0) === count - page.length;
  const shown = { page: page.length, more: more?.remaining ?? 0, all: all.length };
  await process.terminate();
  tree.dispose();
  registry.dispose();
  return { replay, aloneMs, followMs, refreshes, longestRefreshMs, exact, shown, ...blocks, ...spans };
}

/**
 * The view's own cost with nothing competing for the CPU: the change batches recorded from a run are replayed,
 * one every 10 ms, over a view of the finished filesystem that shows only what has been announced so far.
 */
async function replayIntoView(views, mirror, batches) {
  const announced = new Set(['/', '/out']);
  const listeners = new Set();
  const visible = (path) => {
    if (!announced.has(path)) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
  };
  const vfs = {
    mounts: () => mirror.mounts(),
    stat: (p) => (visible(p), mirror.stat(p)),
    lstat: (p) => (visible(p), mirror.lstat(p)),
    readDirectory: (p) => mirror.readDirectory(p).filter((e) => announced.has(p === '/' ? `/${e.name}` : `${p}/${e.name}`)),
    readFile: (p) => (visible(p), mirror.readFile(p)),
    writeFile: () => Promise.reject(new Error('read-only replay')),
    createDirectory: () => Promise.reject(new Error('read-only replay')),
    delete: () => Promise.reject(new Error('read-only replay')),
    rename: () => Promise.reject(new Error('read-only replay')),
    onDidChange: (l) => (listeners.add(l), { dispose: () => listeners.delete(l) }),
  };
  const handle = { vfs, exited: new Promise(() => undefined), on() { return this; }, off() { return this; } };
  const registry = new views.SessionRegistry();
  const tree = new views.VfsTreeDataProvider(registry);
  let longestRenderMs = 0;
  let longestApplyMs = 0;
  const original = tree.model.applyChanges.bind(tree.model);
  tree.model.applyChanges = (...args) => {
    const s = performance.now();
    try {
      return original(...args);
    } finally {
      longestApplyMs = Math.max(longestApplyMs, performance.now() - s);
    }
  };
  tree.onDidChangeTreeData((e) => setImmediate(async () => {
    longestSyncRenderMs = 0;
    for (const element of e === undefined ? [undefined] : Array.isArray(e) ? e : [e]) await render(tree, element);
    longestRenderMs = Math.max(longestRenderMs, longestSyncRenderMs);
  }));
  registry.add('replay', 'writer.wasm', handle);
  const [rootNode] = await render(tree);
  const out = (await render(tree, rootNode)).find((n) => n.name === 'out');
  await render(tree, out);
  const meter = blockMeter();
  for (const batch of batches) {
    for (const p of batch) announced.add(p);
    for (const l of listeners) l(batch);
    await new Promise((r) => setTimeout(r, 10));
  }
  while (!tree.settled) await new Promise((r) => setTimeout(r, 5));
  await new Promise((r) => setTimeout(r, 20));
  const blocks = meter.stop();
  const all = tree.model.allChildren(out).length;
  tree.dispose();
  registry.dispose();
  return { ...blocks, longestApplyMs, longestRenderMs, batches: batches.length, all };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Runs the tree view benchmarks; returns rows { name, value, unit, target, ok, detail }. */
export async function runVfsTreeBenchmarks({ expandEntries = 10_000, expandRuns = 5, followFiles = 100_000 } = {}) {
  readFileSync(workerPath); // fail early without a build
  const views = await loadViews();
  const toBinary = await loadWabt();
  // What this machine does to an idle event loop right now: the floor under every block figure below.
  const idleMeter = blockMeter();
  await new Promise((r) => setTimeout(r, 3000));
  const idle = idleMeter.stop();
  const load = (await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ');
  const expand = await expandLargeDirectory(views, toBinary, expandEntries, expandRuns);
  const follow = await followManyFiles(views, toBinary, followFiles);
  const expandMedian = median(expand);
  return [
    {
      name: 'Tree: environment — longest event-loop gap of an idle loop (3 s, no work)',
      value: idle.tickGapMs,
      unit: 'ms',
      target: 'informational',
      ok: true,
      detail: `load average ${load} on ${(await import('node:os')).cpus().length} cores; block figures below include this scheduling noise`,
    },
    {
      name: `Tree: expand a directory of ${expandEntries.toLocaleString('en')} entries → children and items computed (getChildren resolved + every getTreeItem)`,
      value: expandMedian,
      unit: 'ms (median)',
      target: '≤ 300 ms',
      ok: expandMedian <= 300,
      detail: `${expandRuns} cold expansions (fresh provider each), max ${Math.max(...expand).toFixed(1)} ms`,
    },
    {
      name: `Tree: a module creating ${followFiles.toLocaleString('en')} files, view following — longest event-loop block`,
      value: follow.tickGapMs,
      unit: 'ms',
      target: '≤ 50 ms',
      ok: follow.tickGapMs <= 50,
      detail: `largest gap between 1 ms ticks (monitorEventLoopDelay max ${follow.loopDelayMaxMs.toFixed(1)} ms), whatever ran: runtime, view, GC (longest GC pause ${follow.gcMaxMs.toFixed(1)} ms, ${follow.gcTotalMs.toFixed(0)} ms in all)`,
    },
    {
      name: `Tree: ${followFiles.toLocaleString('en')} files — the view's own longest step (model update slice or simulated render)`,
      value: Math.max(follow.modelMaxMs, follow.longestRefreshMs),
      unit: 'ms',
      target: '≤ 50 ms',
      ok: Math.max(follow.modelMaxMs, follow.longestRefreshMs) <= 50,
      detail: `longest applyChanges chunk ${follow.modelMaxMs.toFixed(1)} ms, longest synchronous render step ${follow.longestRefreshMs.toFixed(1)} ms, ${follow.refreshes} refreshes; for comparison the runtime mirror's longest journal batch took ${follow.mirrorMaxMs.toFixed(1)} ms (${follow.mirrorMaxRecords.toLocaleString('en')} records, ${follow.mirrorBatches} batches)`,
    },
    {
      name: `Tree: ${followFiles.toLocaleString('en')} files — the view alone (recorded change batches replayed, nothing else running): longest event-loop block`,
      value: follow.replay.tickGapMs,
      unit: 'ms',
      target: '≤ 50 ms',
      ok: follow.replay.tickGapMs <= 50 && follow.replay.all === followFiles,
      detail: `${follow.replay.batches} batches, one per 10 ms; longest applyChanges chunk ${follow.replay.longestApplyMs.toFixed(1)} ms, longest synchronous render step ${follow.replay.longestRenderMs.toFixed(1)} ms, longest GC pause ${follow.replay.gcMaxMs.toFixed(1)} ms; ends with ${follow.replay.all.toLocaleString('en')} entries`,
    },
    {
      name: `Tree: after ${followFiles.toLocaleString('en')} files the view is exact`,
      value: follow.exact ? 1 : 0,
      unit: follow.exact ? 'exact' : 'NOT exact',
      target: 'exact',
      ok: follow.exact,
      detail: `first page of ${follow.shown.page.toLocaleString('en')} names + "${follow.shown.more.toLocaleString('en')} more…" node; all ${follow.shown.all.toLocaleString('en')} entries compared name by name with the mirror and the expected names`,
    },
    {
      name: `Tree: ${followFiles.toLocaleString('en')}-file module run time with the view following vs alone`,
      value: follow.followMs / follow.aloneMs,
      unit: '× (time ratio)',
      target: 'informational',
      ok: true,
      detail: `with view ${follow.followMs.toFixed(0)} ms (until settled), alone ${follow.aloneMs.toFixed(0)} ms`,
    },
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await runVfsTreeBenchmarks();
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(rows, null, 2));
  } else {
    for (const row of rows) {
      console.log(`${row.ok ? 'ok  ' : 'MISS'} ${row.name}: ${row.value.toFixed(2)} ${row.unit} (target ${row.target}) — ${row.detail}`);
    }
  }
}
