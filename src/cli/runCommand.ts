// `wasi-debug run`: command-line options → WasiEnvBuilder → the worker runtime, with this process's stdio.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { WasiEnvBuilder } from '../builder';
import type { WasiEnvInit } from '../builder/envInit';
import type { RunOptions } from './args';
import { UsageError } from './args';
import { runWithProcessStdio } from './processStdio';

/** The builder's init for these options; throws the builder's error (WasiStateCreationError) for bad input. */
export function buildRunInit(options: RunOptions, hostEnv: NodeJS.ProcessEnv): WasiEnvInit {
  const builder = new WasiEnvBuilder(options.argv0 ?? options.module).args(options.guestArgs);
  // As launch.json "cwd" does: wasi-libc cannot learn the start directory, but PWD-aware runtimes (Go's wasip1…) read it.
  const env: Array<[string, string]> = [...options.env];
  if (options.cwd !== undefined && !env.some(([key]) => key === 'PWD')) env.push(['PWD', options.cwd]);
  if (options.forwardHostEnv) {
    // --env (and --cwd's PWD) win over a forwarded variable of the same name, so it is not passed twice.
    const explicit = new Set(env.map(([key]) => key));
    for (const [key, value] of Object.entries(hostEnv)) {
      if (value !== undefined && !explicit.has(key)) builder.env(key, value);
    }
  }
  for (const [key, value] of env) builder.env(key, value);
  for (const dir of options.dirs) builder.preopenDir(dir);
  for (const { guestPath, hostPath } of options.mapDirs) builder.mapDir(guestPath, hostPath);
  for (const volume of options.volumes) {
    builder.preopenBuild((preopen) =>
      preopen.directory(volume.hostPath).alias(volume.guestPath).read(true).write(!volume.readOnly).create(!volume.readOnly),
    );
  }
  if (options.invoke !== undefined) builder.entryFunction(options.invoke);
  if (options.cwd !== undefined) builder.currentDir(options.cwd);
  const init = builder.build();
  // fd_prestat_dir_name reports the guest side exactly as written, as wasmtime and wasmer do: `--dir fs-tests.dir`
  // is the preopen "fs-tests.dir" (not "/fs-tests.dir"); test suites find their scratch directory by that name.
  const written = [...options.dirs, ...options.mapDirs.map((m) => m.guestPath), ...options.volumes.map((v) => v.guestPath)];
  if (written.length === init.preopens.length) {
    init.preopens.forEach((preopen, index) => {
      if (preopen.name === undefined && written[index] !== preopen.guestPath) preopen.name = written[index];
    });
  }
  // No directory option and no --cwd: the module gets no filesystem at all, as under wasmtime (fd 3 is not open;
  // the WASI test suite checks both). Once something is mounted, the in-memory `/` is preopened too (fd 3, Wasmer's
  // virtual root), so paths outside the mounts land in the sandbox instead of failing.
  if (init.root.kind === 'memory' && init.preopens.length === 0 && options.cwd === undefined) {
    init.preopenRoot = false;
  }
  return init;
}

export function readModuleFile(modulePath: string): Uint8Array {
  try {
    return fs.readFileSync(modulePath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : String((error as Error).message);
    throw new UsageError(`cannot read the module ${modulePath}: ${reason}`);
  }
}

export async function runCommand(options: RunOptions): Promise<number> {
  const module = readModuleFile(options.module);
  const init = buildRunInit(options, process.env);
  return runWithProcessStdio(init, module, { modulePath: options.module, trace: options.trace, name: `wasi-debug: ${path.basename(options.module)}` });
}
