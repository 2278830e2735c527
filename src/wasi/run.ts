// runModule: builds the VFS from the WasiEnvInit, instantiates the module with WASI preview1 (and WASIX), runs the entry and says how it ended.

import * as fs from 'node:fs';
import type { WasiEnvInit } from '../builder/envInit';
import type { ExitInfo } from '../runtime/api';
import type { GuestHost } from '../runtime/guestHost';
import { Vfs } from '../vfs/vfs';
import { InternalSyscallError, Preview1, PREVIEW1_FUNCTIONS, ProcExit } from './preview1';
import { makeOutput, makeStdin, Stream } from './stdio';
import { functionNames, parseWasmFrames } from './trap';
import { instantiateCreatingMemory, memoryToCreate } from './importedMemory';
import { Wasm, WasmInstance, WasmMemory, WasmModule } from './wasm';
import { UnsupportedWasixCall, Wasix, WASIX_32V1, WASIX_64V1, WASIX_FUNCTIONS } from './wasix';

export interface RunHooks {
  /** Called once the VFS is built (and seeded), before the module starts. */
  onVfsReady?(vfs: Vfs): void;
}

const WASI_MODULE = 'wasi_snapshot_preview1';
const knownWasi = new Set<string>(PREVIEW1_FUNCTIONS);

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Builds the guest filesystem: namespace, current directory, seed entries. Throws with a message naming the field. */
export function buildVfs(init: WasiEnvInit, host: GuestHost): Vfs {
  host.fsChanged({ kind: 'layout', root: init.root, preopens: init.preopens });
  const vfs = new Vfs({ root: init.root, preopens: init.preopens }, (c) => host.fsChanged(c));
  for (const s of init.seed) {
    try {
      if (s.kind === 'dir') vfs.mkdirp(s.guestPath);
      else {
        const parent = s.guestPath.slice(0, s.guestPath.lastIndexOf('/')) || '/';
        vfs.mkdirp(parent);
        const data = s.kind === 'file' ? s.data : fs.readFileSync(s.hostPath);
        vfs.writeWholeFile(s.guestPath, data, { create: true, overwrite: true });
      }
    } catch (e) {
      throw new Error(`could not seed ${s.guestPath} into the filesystem: ${describe(e)}`);
    }
  }
  if (init.currentDir && init.currentDir !== '/') {
    try {
      vfs.mkdirp(init.currentDir);
    } catch (e) {
      throw new Error(`could not create the current directory ${init.currentDir} ("cwd" in launch.json): ${describe(e)}`);
    }
  }
  return vfs;
}

/** Checks every import before instantiating, so a missing one is a clear error instead of a LinkError. */
function checkImports(module: WasmModule, provided: Record<string, Record<string, unknown>>, name: string): string | undefined {
  const problems: string[] = [];
  for (const imp of Wasm.Module.imports(module)) {
    if (imp.module === WASI_MODULE) {
      if (imp.kind !== 'function' || !knownWasi.has(imp.name)) problems.push(`"${imp.module}"."${imp.name}" (${imp.kind}) is not part of WASI preview1`);
      continue;
    }
    if (imp.module === WASIX_32V1) {
      if (imp.kind !== 'function' || !WASIX_FUNCTIONS.has(imp.name)) {
        problems.push(`"${imp.module}"."${imp.name}" (${imp.kind}) is not a WASIX call this runtime knows (docs/wasix.md lists them); rebuild it with a wasix-libc that matches Wasmer 4–6, or for wasm32-wasip1`);
      }
      continue;
    }
    // An imported memory the launch does not provide is created at instantiation (importedMemory.ts).
    if (imp.kind === 'memory') continue;
    const ns = provided[imp.module];
    if (ns === undefined) {
      const hint =
        imp.module === 'wasi_unstable'
          ? 'it was built for the old WASI snapshot 0 ("wasi_unstable"); rebuild it for wasm32-wasi / wasm32-wasip1'
          : imp.module === WASIX_64V1
            ? 'it was built for 64-bit WASIX (memory64), and this runtime runs 32-bit modules only (Node\'s V8 has no memory64 without a flag); rebuild it for 32-bit WASIX (wasm32-wasmer-wasi, namespace wasix_32v1) or for wasm32-wasip1'
            : `provide the "${imp.module}" namespace with "imports" in launch.json ({ "${imp.module}": "./host.js" }: a CommonJS file whose exports are the functions)`;
      problems.push(`"${imp.module}"."${imp.name}" (${imp.kind}): ${hint}`);
    } else if (!(imp.name in ns)) {
      problems.push(`"${imp.module}"."${imp.name}" (${imp.kind}): the additional import module for "${imp.module}" does not export "${imp.name}"`);
    }
  }
  if (problems.length === 0) return undefined;
  return `${name} imports ${problems.length === 1 ? 'something' : 'things'} this runtime does not provide:\n  ${problems.join('\n  ')}`;
}

function moduleName(init: WasiEnvInit): string {
  return init.args[0] ? `the module ${init.args[0]}` : 'the module';
}

export function runModule(init: WasiEnvInit, module: WasmModule, host: GuestHost, hooks?: RunHooks): ExitInfo {
  const name = moduleName(init);
  let vfs: Vfs;
  let stdin: Stream;
  let stdout: Stream;
  let stderr: Stream;
  try {
    vfs = buildVfs(init, host);
    stdin = makeStdin(init.stdin, host);
    stdout = makeOutput(init.stdout, 1, host);
    stderr = makeOutput(init.stderr, 2, host);
  } catch (e) {
    return { kind: 'error', message: `cannot set up the environment for ${name}: ${describe(e)}` };
  }
  try {
    hooks?.onVfsReady?.(vfs);
  } catch (e) {
    return { kind: 'error', message: `internal error while preparing the filesystem: ${describe(e)}` };
  }

  // WASIX is Wasmer's ABI, whose libc expects the virtual root at fd 3: only a preview1 module can go without it.
  const wasixModule = Wasm.Module.imports(module).some((i) => i.module === WASIX_32V1);
  const preopenRoot = init.preopenRoot !== false || wasixModule;
  const wasi = new Preview1({ args: init.args, env: init.env, stdin, stdout, stderr, vfs, host, preopenRoot });
  const preview1Imports = wasi.imports();
  const imports: Record<string, Record<string, unknown>> = { [WASI_MODULE]: preview1Imports };
  // A WASIX module gets wasix_32v1 over the same descriptors, and Wasmer's fd_close/fd_renumber in both namespaces.
  let wasix: Wasix | undefined;
  if (wasixModule) {
    const terminal = (fd: 0 | 1 | 2, kind: string): boolean => kind === 'console' && host.isTerminal?.(fd) === true;
    wasix = new Wasix(wasi, {
      vfs, host, currentDir: init.currentDir,
      terminal: [terminal(0, init.stdin.kind), terminal(1, init.stdout.kind), terminal(2, init.stderr.kind)],
    });
    imports[WASIX_32V1] = wasix.imports(preview1Imports);
    imports[WASI_MODULE] = { ...preview1Imports, ...wasix.preview1Overrides(preview1Imports) };
  }
  for (const extra of init.additionalImports) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const exported = require(extra.hostPath) as Record<string, unknown>;
      imports[extra.module] = { ...(imports[extra.module] ?? {}), ...exported };
    } catch (e) {
      wasi.closeAll();
      return {
        kind: 'error',
        // First line only: Node appends the require stack, which names our own files, not the user's.
        message: `cannot load the "imports" module for "${extra.module}" (${extra.hostPath}): ${describe(e).split('\n')[0]} — fix the file or the path in launch.json "imports"`,
      };
    }
  }
  const importProblem = checkImports(module, imports, name);
  if (importProblem) {
    wasi.closeAll();
    return { kind: 'error', message: importProblem };
  }

  let instance: WasmInstance;
  let createdMemory: WasmMemory | undefined;
  try {
    const memoryImport = memoryToCreate(module, imports);
    if (memoryImport === undefined) instance = new Wasm.Instance(module, imports);
    else {
      const created = instantiateCreatingMemory(module, imports, memoryImport);
      if (created.kind === 'error') {
        wasi.closeAll();
        return { kind: 'error', message: `cannot instantiate ${name}: ${created.message}` };
      }
      instance = created.instance;
      createdMemory = created.memory;
    }
  } catch (e) {
    wasi.closeAll();
    if (e instanceof RangeError) {
      return { kind: 'error', message: `cannot instantiate ${name}: not enough memory for what it declares (${e.message})` };
    }
    return exitFromThrow(e, module, name, vfs, wasi, 'while starting (a start function or a data segment failed)');
  }

  // A module that imports its memory may not export it again: WASI then works on the imported one.
  const memory = instance.exports.memory instanceof Wasm.Memory ? instance.exports.memory : createdMemory;
  if (memory instanceof Wasm.Memory) {
    wasi.bindMemory(memory);
    wasix?.bindMemory(memory);
  }
  const entry = instance.exports[init.entryFunction];
  if (typeof entry !== 'function') {
    wasi.closeAll();
    const functions = Object.entries(instance.exports)
      .filter(([, v]) => typeof v === 'function')
      .map(([k]) => k);
    return {
      kind: 'error',
      message:
        `${name} has no exported function "${init.entryFunction}" to call. ` +
        (functions.length ? `It exports: ${functions.join(', ')}. ` : 'It exports no functions. ') +
        'Set "entryFunction" (launch.json) / --invoke to one of them.',
    };
  }
  if (!(memory instanceof Wasm.Memory) && Wasm.Module.imports(module).some((i: { module: string }) => i.module === WASI_MODULE || i.module === WASIX_32V1)) {
    wasi.closeAll();
    return { kind: 'error', message: `${name} does not export its memory as "memory", which WASI needs` };
  }

  const savedLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = Math.max(savedLimit, 64);
  try {
    const init_ = instance.exports._initialize;
    if (init.entryFunction !== '_start' && typeof init_ === 'function') init_();
    (entry as () => unknown)();
    return finish(vfs, wasi, { kind: 'exit', code: 0 });
  } catch (e) {
    return exitFromThrow(e, module, name, vfs, wasi, undefined);
  } finally {
    Error.stackTraceLimit = savedLimit;
  }
}

function finish(vfs: Vfs, wasi: Preview1, info: ExitInfo): ExitInfo {
  wasi.closeAll();
  vfs.flush();
  return info;
}

function exitFromThrow(e: unknown, module: WasmModule, name: string, vfs: Vfs, wasi: Preview1, when: string | undefined): ExitInfo {
  if (e instanceof ProcExit) return finish(vfs, wasi, { kind: 'exit', code: e.code });
  const names = functionNames(module);
  const suffix = when ? ` ${when}` : '';
  if (e instanceof UnsupportedWasixCall) {
    return finish(vfs, wasi, { kind: 'trap', message: e.message, frames: parseWasmFrames(e.stack, names) });
  }
  if (e instanceof InternalSyscallError) {
    return finish(vfs, wasi, { kind: 'trap', message: `wasi-debug bug: ${e.message}`, frames: parseWasmFrames(e.stack, names) });
  }
  if (e instanceof Wasm.RuntimeError) {
    return finish(vfs, wasi, { kind: 'trap', message: `${e.message}${suffix}`, frames: parseWasmFrames(e.stack, names) });
  }
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    return finish(vfs, wasi, { kind: 'trap', message: `call stack exhausted (infinite recursion?)${suffix}`, frames: parseWasmFrames(e.stack, names) });
  }
  if (e instanceof RangeError) {
    return finish(vfs, wasi, { kind: 'trap', message: `${e.message}${suffix}`, frames: parseWasmFrames(e.stack, names) });
  }
  // An exception from an additionalImports function (or anything else thrown through the guest).
  const message = e instanceof Error ? `${e.name}: ${e.message}` : `uncaught exception: ${String(e)}`;
  return finish(vfs, wasi, { kind: 'trap', message: `${message} (thrown from a host function called by ${name})${suffix}`, frames: parseWasmFrames(e instanceof Error ? e.stack : undefined, names) });
}
