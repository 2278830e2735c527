// WasiEnvInit: the validated, plain-data result of WasiEnvBuilder.build() that crosses into the runtime worker.
//
// Everything here must survive structured clone (postMessage): no functions, no class instances,
// only strings, numbers, booleans, arrays, plain objects and Uint8Array.

/** A host directory made visible to the guest at `guestPath`, with the mount's permissions. */
export interface HostPreopen {
  kind: 'host';
  /** Absolute host path (resolved by the builder, known to exist and be a directory). */
  hostPath: string;
  /** Absolute guest path, e.g. "/work" or "/". Always starts with "/", never ends with "/" unless it is "/". */
  guestPath: string;
  /**
   * Optional: the name fd_prestat_dir_name reports, when it differs from guestPath — the guest side exactly as
   * the user wrote it (a relative `--dir fs-tests.dir` is the preopen "fs-tests.dir", as in wasmtime; test
   * suites find their scratch directory by that name). Default: guestPath.
   */
  name?: string;
  read: boolean;
  write: boolean;
  /** create implies write. */
  create: boolean;
}

/** A directory of the in-memory filesystem that is preopened (created when missing). */
export interface VirtualPreopen {
  kind: 'virtual';
  guestPath: string;
  /** Optional: the name fd_prestat_dir_name reports (see HostPreopen.name). */
  name?: string;
}

export type PreopenInit = HostPreopen | VirtualPreopen;

/** What backs the guest's `/`. */
export type RootInit =
  | { kind: 'memory' }
  | { kind: 'host'; hostPath: string; read: boolean; write: boolean; create: boolean };

/**
 * A file or directory seeded into the filesystem before the module starts (the builder's setup_fs).
 * Applied in order. The builder emits a `dir` entry ("exists after this step") for every parent before
 * its first child; guest paths are absolute and normalized; `hostFile` is copied in at start.
 */
export type SeedEntry =
  | { kind: 'file'; guestPath: string; data: Uint8Array }
  | { kind: 'hostFile'; guestPath: string; hostPath: string }
  | { kind: 'dir'; guestPath: string };

export type StdinInit =
  | { kind: 'console' } // fed by the host side (Debug Console input, the CLI's own stdin)
  | { kind: 'none' } // immediate EOF
  | { kind: 'file'; hostPath: string }
  | { kind: 'bytes'; data: Uint8Array };

export type OutputInit =
  | { kind: 'console' } // streamed to the host side (Debug Console, the CLI's own stdout/stderr)
  | { kind: 'file'; hostPath: string; append: boolean }
  | { kind: 'null' };

export interface ThreadingCapabilities {
  /** Upper bound on guest threads; undefined = the runtime's default. */
  maxThreads?: number;
  enableAsynchronousThreading: boolean;
}

export interface Capabilities {
  /** Whether the guest may create threads at all (WASIX thread_spawn / wasi-threads). */
  threads: boolean;
  threading: ThreadingCapabilities;
}

/** An extra import namespace provided by a host JavaScript (CommonJS) module whose exports are the functions. */
export interface AdditionalImport {
  /** The wasm import module name, e.g. "env". */
  module: string;
  /** Absolute host path of the .js file loaded in the worker. */
  hostPath: string;
}

/** A package made available to the guest (Wasmer `uses`), e.g. "sharrattj/coreutils@1". */
export interface PackageUse {
  name: string;
  /** Absolute host path when the package comes from a local .webc file. */
  hostPath?: string;
}

export type SnapshotTrigger =
  | 'idle'
  | 'firstListen'
  | 'firstStdin'
  | 'firstEnviron'
  | 'periodicInterval'
  | 'sigint'
  | 'sigalrm'
  | 'sigtstp'
  | 'sigstop'
  | 'nonDeterministicCall';

export interface WasiEnvInit {
  /** argv, with the program name as args[0]. */
  args: string[];
  /** Environment in order; values are bytes as in the seed (keys are text). */
  env: Array<[string, Uint8Array]>;
  /** Export to call; "_start" by default. */
  entryFunction: string;
  root: RootInit;
  preopens: PreopenInit[];
  /**
   * Optional: whether the guest's `/` is handed to the module as a preopen (fd 3, before the others). Default true
   * (Wasmer's virtual root). The CLI sets false when its command line names no directory and no current directory,
   * so the module has no filesystem at all, as under wasmtime: fd 3 is not open (the WASI test suite's
   * sock_shutdown-invalid_fd, fopen-with-no-access). The namespace keeps its `/`.
   */
  preopenRoot?: boolean;
  /** Guest current directory (absolute); created in the filesystem when missing. "/" by default. */
  currentDir: string;
  seed: SeedEntry[];
  stdin: StdinInit;
  stdout: OutputInit;
  stderr: OutputInit;
  uses: PackageUse[];
  includedPackages: string[];
  /** Command name → absolute host path of the .wasm that implements it. */
  mapCommands: Record<string, string>;
  capabilities: Capabilities;
  additionalImports: AdditionalImport[];
  moduleHash?: string;
  /** Host paths of journal files. */
  journals: string[];
  snapshotOn: SnapshotTrigger[];
  /** Milliseconds. */
  snapshotIntervalMs?: number;
  attachCtrlC: boolean;
}
