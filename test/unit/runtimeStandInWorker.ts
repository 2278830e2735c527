// Test-only runtime worker: the real worker glue (serveWorker) around a tiny stand-in WASI, so the glue is tested on its own.
//
// The stand-in implements fd_write (1, 2), fd_read (0), poll_oneoff-like `test.poll(ms)`, proc_exit, sched_yield
// (a syscall that does nothing, so edits are applied) and `test.change(n)` (reports a filesystem change).
import { serveWorker } from '../../src/runtime/workerRuntime';
import type { GuestHost } from '../../src/runtime/guestHost';
import type { ExitInfo } from '../../src/runtime/api';
import type { FsChange, FsEdit } from '../../src/vfs/changes';
import type { WasmModule } from '../../src/runtime/wasmModule';

interface StandInVfs {
  files: Map<string, Uint8Array>;
}

interface WasmInstance {
  exports: Record<string, unknown>;
}
const Wasm = (globalThis as unknown as {
  WebAssembly: { Instance: new (module: WasmModule, imports: object) => WasmInstance };
}).WebAssembly;

class ProcExit {
  constructor(readonly code: number) {}
}

let currentHost: GuestHost | undefined;

function runModule(init: { entryFunction: string }, module: WasmModule, host: GuestHost, hooks?: { onVfsReady?(vfs: StandInVfs): void }): ExitInfo {
  currentHost = host;
  hooks?.onVfsReady?.({ files: new Map() });
  let memory: { buffer: ArrayBuffer } | undefined;
  const view = () => new DataView(memory!.buffer);
  const bytes = () => new Uint8Array(memory!.buffer);
  const imports = {
    wasi_snapshot_preview1: {
      fd_write(fd: number, iovs: number, iovsLen: number, nwrittenPtr: number): number {
        host.beforeSyscall();
        if (fd !== 1 && fd !== 2) return 8;
        let total = 0;
        for (let i = 0; i < iovsLen; i++) {
          const base = view().getUint32(iovs + i * 8, true);
          const length = view().getUint32(iovs + i * 8 + 4, true);
          const data = bytes().subarray(base, base + length);
          if (fd === 1) host.writeStdout(data);
          else host.writeStderr(data);
          total += length;
        }
        view().setUint32(nwrittenPtr, total, true);
        return 0;
      },
      fd_read(fd: number, iovs: number, iovsLen: number, nreadPtr: number): number {
        host.beforeSyscall();
        if (fd !== 0 || iovsLen < 1) return 8;
        const base = view().getUint32(iovs, true);
        const length = view().getUint32(iovs + 4, true);
        const data = host.readStdin(length);
        bytes().set(data, base);
        view().setUint32(nreadPtr, data.length, true);
        return 0;
      },
      proc_exit(code: number): never {
        throw new ProcExit(code);
      },
      sched_yield(): number {
        host.beforeSyscall();
        return 0;
      },
    },
    test: {
      change(n: number): void {
        host.beforeSyscall();
        const change: FsChange = { kind: 'hostChanged', guestPath: `/f${n}` };
        host.fsChanged(change);
      },
      poll(timeoutMs: number): number {
        host.beforeSyscall();
        return host.pollStdin(timeoutMs) ? 1 : 0;
      },
    },
  };
  try {
    const instance = new Wasm.Instance(module, imports);
    memory = instance.exports.memory as { buffer: ArrayBuffer };
    (instance.exports[init.entryFunction] as () => void)();
    return { kind: 'exit', code: 0 };
  } catch (error) {
    if (error instanceof ProcExit) return { kind: 'exit', code: error.code };
    return { kind: 'trap', message: String((error as Error).message), frames: [] };
  }
}

function applyEdit(vfs: StandInVfs, edit: FsEdit): void {
  if (edit.kind === 'writeFile') {
    vfs.files.set(edit.path, edit.data);
    currentHost?.fsChanged({ kind: 'hostChanged', guestPath: edit.path } satisfies FsChange);
    return;
  }
  throw Object.assign(new Error(`stand-in refuses ${edit.kind}`), { code: 'ENOTSUP', path: edit.kind === 'rename' ? edit.from : edit.path });
}

serveWorker<StandInVfs>({ runModule, applyEdit });
