// launch.json → WasiEnvBuilder: checks a `wasi` launch configuration field by field and builds its WasiEnvInit.
//
// Pure (no `vscode`): used by the DAP session, the CLI's `launch` and tests. Every error is a LaunchConfigError
// that names the field and the fix. The field list here and the JSON schema in package.json
// (contributes.debuggers[0].configurationAttributes.launch) must stay identical; a unit test checks it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { WasiEnvBuilder, type SetupFsEntry } from '../builder/wasiEnvBuilder';
import { WasiStateCreationError } from '../builder/errors';
import { guestPathForHostPath, normalizeGuestPath } from '../builder/paths';
import type { OutputInit, SnapshotTrigger, StdinInit, WasiEnvInit } from '../builder/envInit';
import { closestMatch } from './closestMatch';
import { EnvFileError, parseEnvFile } from './envFile';
import { LaunchConfigError } from './launchConfigError';
import {
  HostPaths,
  childField,
  describeValue,
  expectArray,
  expectBoolean,
  expectNonEmptyString,
  expectObject,
  expectOnlyKeys,
  expectString,
  expectStringArray,
  isPlainObject,
} from './launchValues';
import { checkWasmBinary, exportedFunctionNames, type WasmBinaryProblem } from './wasmBinary';

export { LaunchConfigError } from './launchConfigError';
export { substituteVariables, type SubstitutionVariables } from './variables';

/** A host directory mounted into the guest (`preopens` object form). */
export interface PreopenConfig {
  /** Host directory; relative to the workspace folder. */
  host: string;
  /** Guest path; default: the host path as written ("data" → "/data"). */
  guest?: string;
  /** When none of read/write/create is given, all three are granted; when any is given, the others default to false. */
  read?: boolean;
  write?: boolean;
  /** Create implies write. */
  create?: boolean;
}

/** Where stdout/stderr go: the console, nowhere, or a host file. */
export type OutputConfig = 'console' | 'none' | { file: string; append?: boolean };

/** The launch configuration of debug type `wasi`, as written in launch.json. */
export interface WasiLaunchConfig {
  /** Path of the .wasm module to run; relative paths are taken from the workspace folder. Required. */
  program: string;
  /** Guest arguments after argv[0]. */
  args?: string[];
  /** argv[0] the guest sees; default: the program file's base name. */
  argv0?: string;
  /** Guest environment variables; `null` removes one inherited from the host or the envFile. Applied last. */
  env?: Record<string, string | null>;
  /** A dotenv file (KEY=VALUE lines, quotes, comments, `export`), applied after inheritEnv and before env. */
  envFile?: string;
  /** Forward the host's environment to the guest first (default false: the guest sees only what you list). */
  inheritEnv?: boolean;
  /** Exported function to call; default `_start`. */
  entry?: string;
  /** The guest's current directory (a guest path); created when missing. Default `/`. */
  cwd?: string;
  /** Host directories mounted into the guest: `{host, guest, read, write, create}`, `"host"` or `"host::guest"`. */
  preopens?: Array<PreopenConfig | string>;
  /** `{ "guest path": "host directory" }`, mounted with read, write and create. */
  mapDirs?: Record<string, string>;
  /** Directories of the in-memory filesystem to preopen (created when missing). */
  vfsPreopens?: string[];
  /** What backs the guest's `/`: `"memory"` (default, a fresh in-memory sandbox) or a host directory. */
  root?: string;
  /** Files created in the in-memory filesystem before start: `{ "guest path": "host file" | { "text": "…" } }`. */
  files?: Record<string, string | { text: string }>;
  /** The guest's stdin: `"console"` (default: Debug Console input), `"none"` (EOF), `{ "file" }` or `{ "text" }`. */
  stdin?: 'console' | 'none' | { file: string } | { text: string };
  /** The guest's stdout: `"console"` (default), `"none"` or `{ "file", "append" }`. */
  stdout?: OutputConfig;
  /** The guest's stderr: `"console"` (default), `"none"` or `{ "file", "append" }`. */
  stderr?: OutputConfig;
  /** Packages the guest may use (Wasmer `--use`): registry names or local `.webc` files. */
  uses?: string[];
  /** `{ "command": "path/to/command.wasm" }`: commands the guest may run. */
  mapCommands?: Record<string, string>;
  /** Allow the guest to create threads (default false). */
  threads?: boolean;
  /** Upper bound on guest threads; needs `threads: true`. */
  maxThreads?: number;
  /** `{ "import module": "path/to/host.js" }`: extra imports served by CommonJS files loaded in the worker. */
  imports?: Record<string, string>;
  /** Journal file(s) that restore and record the process's state. */
  journal?: string | string[];
  /** When to take snapshots into the journal. */
  snapshotOn?: SnapshotTrigger[];
  /** Milliseconds between snapshots of the `periodicInterval` trigger. */
  snapshotInterval?: number;
  /** Pause before the module's first instruction. */
  stopOnEntry?: boolean;
  /** Log every syscall with its arguments, result and time. */
  trace?: boolean;
  // VS Code's own attributes, accepted as they are:
  type?: string;
  request?: string;
  name?: string;
  noDebug?: boolean;
  preLaunchTask?: string;
  postDebugTask?: string;
}

/** The fields of a `wasi` launch configuration: exactly the properties of the launch.json schema in package.json. */
export const LAUNCH_CONFIG_FIELDS = [
  'program',
  'args',
  'argv0',
  'env',
  'envFile',
  'inheritEnv',
  'entry',
  'cwd',
  'preopens',
  'mapDirs',
  'vfsPreopens',
  'root',
  'files',
  'stdin',
  'stdout',
  'stderr',
  'uses',
  'mapCommands',
  'threads',
  'maxThreads',
  'imports',
  'journal',
  'snapshotOn',
  'snapshotInterval',
  'stopOnEntry',
  'trace',
] as const satisfies ReadonlyArray<keyof WasiLaunchConfig>;

/** Attributes VS Code itself defines for every debug configuration; accepted, not in our schema. Keys starting with "__" are VS Code's internals and accepted too. */
export const VSCODE_CONFIG_FIELDS = [
  'type',
  'request',
  'name',
  'noDebug',
  'preLaunchTask',
  'postDebugTask',
  'internalConsoleOptions',
  'debugServer',
  'presentation',
  'suppressMultipleSessionWarning',
  'windows',
  'linux',
  'osx',
] as const;

/** Builder features whose runtime support may not have landed; a configuration that asks for one is refused until it has. */
export type RuntimeFeature = 'uses' | 'mapCommands' | 'threads' | 'imports' | 'journal' | 'snapshotOn';

/** What the runtime supports today. */
export const RUNTIME_SUPPORTED_FEATURES: readonly RuntimeFeature[] = ['imports'];

const SNAPSHOT_TRIGGERS: readonly SnapshotTrigger[] = [
  'idle',
  'firstListen',
  'firstStdin',
  'firstEnviron',
  'periodicInterval',
  'sigint',
  'sigalrm',
  'sigtstp',
  'sigstop',
  'nonDeterministicCall',
];

/** Import modules the WASI implementation itself serves; a host file may not replace them. */
const WASI_IMPORT_MODULES = ['wasi_snapshot_preview1', 'wasi_unstable', 'wasix_32v1', 'wasix_64v1', 'wasi'];

export interface LaunchContext {
  /** Absolute path of the workspace folder; relative host paths are resolved against it. */
  workspaceFolder?: string;
  /** The host's environment, forwarded when `inheritEnv` is true. */
  hostEnv: Record<string, string | undefined>;
  /** Override of RUNTIME_SUPPORTED_FEATURES (tests; a runtime that gained a feature). */
  runtimeFeatures?: readonly RuntimeFeature[];
  /** Which platform block (`windows`/`linux`/`osx`) applies; default: this process's platform. */
  platform?: NodeJS.Platform;
}

/** A launch configuration, checked and turned into what the runtime needs. */
export interface ResolvedLaunch {
  /** Absolute path of the module. */
  program: string;
  moduleBytes: Uint8Array;
  init: WasiEnvInit;
  stopOnEntry: boolean;
  trace: boolean;
  noDebug: boolean;
  /** The configuration's name, or the program's base name. */
  name: string;
}

type EnvSource = { field: 'env' } | { field: 'envFile'; file: string } | { field: 'inheritEnv' } | { field: 'cwd' };

/** What the mapper remembers about where each builder input came from, to name the field in builder errors. */
interface Origins {
  envSources: Map<string, EnvSource>;
  /** Variables `env` removed with null. */
  removedEnv: Set<string>;
  preopens: Array<{ hostPath: string; field: string }>;
  vfsPreopens: Map<string, string>;
  files: Map<string, string>;
}

function platformKey(platform: NodeJS.Platform): 'windows' | 'osx' | 'linux' {
  return platform === 'win32' ? 'windows' : platform === 'darwin' ? 'osx' : 'linux';
}

/** The configuration with this platform's `windows`/`linux`/`osx` block merged over it, as VS Code does. */
function withPlatformBlock(config: Record<string, unknown>, platform: NodeJS.Platform): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...config };
  for (const key of ['windows', 'linux', 'osx']) {
    if (key in config && !isPlainObject(config[key])) {
      throw new LaunchConfigError(key, `expected an object of settings for that platform, got ${describeValue(config[key])}`);
    }
    delete merged[key];
  }
  const block = config[platformKey(platform)];
  if (isPlainObject(block)) {
    for (const [key, value] of Object.entries(block)) {
      if (key === 'windows' || key === 'linux' || key === 'osx') {
        throw new LaunchConfigError(childField(platformKey(platform), key), 'platform blocks cannot be nested — move the settings up one level');
      }
      merged[key] = value;
    }
  }
  return merged;
}

function checkFieldNames(config: Record<string, unknown>): void {
  const known: readonly string[] = [...LAUNCH_CONFIG_FIELDS, ...VSCODE_CONFIG_FIELDS];
  for (const key of Object.keys(config)) {
    if (known.includes(key) || key.startsWith('__')) continue;
    const suggestion = closestMatch(key, known);
    throw new LaunchConfigError(
      key,
      suggestion !== undefined
        ? `unknown field — did you mean "${suggestion}"?`
        : `unknown field — remove it (the fields of a "wasi" configuration are listed in docs/launch-json.md)`,
    );
  }
}

function explainBinaryProblem(problem: WasmBinaryProblem, shown: string, absolute: string): string {
  switch (problem.kind) {
    case 'empty':
      return `${shown} is empty (0 bytes) — rebuild the module`;
    case 'text': {
      const base = path.basename(absolute);
      if (/\.(wat|wast)$/i.test(base)) {
        const output = base.replace(/\.(wat|wast)$/i, '.wasm');
        return `${shown} is WebAssembly text, not a binary module — compile it first, e.g. \`wat2wasm ${base} -o ${output}\`, and set "program" to the .wasm`;
      }
      const stem = base.replace(/\.[^.]*$/, '');
      return `${shown} holds WebAssembly text, not a binary module — rename it to ${stem}.wat and compile it, e.g. \`wat2wasm ${stem}.wat -o ${stem}.wasm\``;
    }
    case 'component':
      return `${shown} is a WebAssembly component, not a core module — WASI preview1 runs core modules; build for wasm32-wasip1 (wasm32-wasi)`;
    case 'truncated':
      return `${shown} is truncated (${problem.length} bytes, shorter than the 8-byte header) — rebuild the module`;
    case 'version':
      return `${shown} has WebAssembly binary version ${problem.version}, but only version 1 is supported — rebuild it for core WebAssembly`;
    case 'notWasm':
      return `${shown} is not a WebAssembly module (it does not start with "\\0asm") — set "program" to a .wasm file`;
  }
}

function readProgram(value: unknown, paths: HostPaths): { program: string; bytes: Uint8Array } {
  if (value === undefined) {
    throw new LaunchConfigError('program', 'missing — set "program" to the path of your .wasm file, e.g. "${workspaceFolder}/build/app.wasm"');
  }
  const program = paths.resolve(value, 'program', 'the path of a .wasm file');
  const shown = HostPaths.shown(value as string, program);
  let bytes: Uint8Array;
  try {
    const stat = fs.statSync(program);
    if (stat.isDirectory()) throw new LaunchConfigError('program', `${shown} is a directory — set "program" to a .wasm file`);
    const buffer = fs.readFileSync(program);
    // A plain Uint8Array view of the same memory: no copy of a large module.
    bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (error) {
    if (error instanceof LaunchConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new LaunchConfigError('program', `${shown} does not exist — build the module first, or fix the path`);
    }
    throw new LaunchConfigError('program', `${shown} cannot be read (${code ?? String(error)}) — check its permissions`, { cause: error });
  }
  const problem = checkWasmBinary(bytes, program);
  if (problem !== undefined) throw new LaunchConfigError('program', explainBinaryProblem(problem, shown, program));
  return { program, bytes };
}

function collectEnv(config: Record<string, unknown>, ctx: LaunchContext, paths: HostPaths, origins: Origins): Map<string, string> {
  const env = new Map<string, string>();
  const set = (key: string, value: string, source: EnvSource): void => {
    env.set(key, value);
    origins.envSources.set(key, source);
  };
  if (config.inheritEnv !== undefined && expectBoolean(config.inheritEnv, 'inheritEnv')) {
    for (const [key, value] of Object.entries(ctx.hostEnv)) {
      // Names a guest cannot receive (Windows keeps hidden "=C:" variables) are not forwarded.
      if (value === undefined || key === '' || key.includes('=') || key.includes('\0')) continue;
      set(key, value, { field: 'inheritEnv' });
    }
  }
  if (config.envFile !== undefined) {
    const file = paths.file(config.envFile, 'envFile', 'the dotenv file');
    let pairs: Array<[string, string]>;
    try {
      pairs = parseEnvFile(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      if (error instanceof EnvFileError) {
        throw new LaunchConfigError('envFile', `"${file}", ${error.message} — fix that line (KEY=VALUE, optionally quoted)`, { cause: error });
      }
      throw new LaunchConfigError('envFile', `"${file}" cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}) — check its permissions`, {
        cause: error,
      });
    }
    for (const [key, value] of pairs) set(key, value, { field: 'envFile', file });
  }
  if (config.env !== undefined) {
    const given = expectObject(config.env, 'env', 'an object of "NAME": "value" pairs');
    for (const [key, value] of Object.entries(given)) {
      if (key === '') throw new LaunchConfigError('env', 'a variable has an empty name — name it or remove it');
      if (value === null) {
        env.delete(key);
        origins.envSources.delete(key);
        origins.removedEnv.add(key);
      } else if (typeof value === 'string') {
        set(key, value, { field: 'env' });
        origins.removedEnv.delete(key);
      } else {
        const hint = typeof value === 'number' || typeof value === 'boolean' ? ` — quote it: "${String(value)}"` : ' — use a string, or null to remove the variable';
        throw new LaunchConfigError(childField('env', key), `expected a string or null, got ${describeValue(value)}${hint}`);
      }
    }
  }
  return env;
}

function checkEntry(entry: string, explicit: boolean, bytes: Uint8Array): void {
  const exported = exportedFunctionNames(bytes);
  if (exported === undefined || exported.includes(entry)) return;
  const listed = exported.length === 0 ? 'it exports no functions' : `its exported functions are ${exported.slice(0, 20).map((name) => `"${name}"`).join(', ')}${exported.length > 20 ? ', …' : ''}`;
  const what = explicit ? `the module has no exported function "${entry}"` : `the module has no exported function "${entry}" (the default entry)`;
  throw new LaunchConfigError('entry', `${what} — set "entry" to one of its functions; ${listed}`);
}

function addPreopens(config: Record<string, unknown>, builder: WasiEnvBuilder, paths: HostPaths, origins: Origins, guestOwners: Map<string, string>): void {
  const claim = (guestPath: string, field: string): void => {
    const owner = guestOwners.get(guestPath);
    if (owner !== undefined) throw new LaunchConfigError(field, `the guest path "${guestPath}" is already used by ${owner} — mount each guest path once`);
    guestOwners.set(guestPath, field);
  };
  if (config.preopens !== undefined) {
    const list = expectArray(config.preopens, 'preopens', 'an array of { "host", "guest", "read", "write", "create" } objects or "host" / "host::guest" strings');
    list.forEach((item, index) => {
      const field = childField('preopens', index);
      let hostGiven: unknown;
      let guest: string | undefined;
      let permissions = { read: true, write: true, create: true };
      let hostField = field;
      if (typeof item === 'string') {
        const separator = item.lastIndexOf('::');
        hostGiven = separator === -1 ? item : item.slice(0, separator);
        guest = separator === -1 ? undefined : item.slice(separator + 2);
        if (hostGiven === '') throw new LaunchConfigError(field, `${JSON.stringify(item)} has an empty host path — write "host" or "host::guest"`);
        if (guest === '') throw new LaunchConfigError(field, `${JSON.stringify(item)} has an empty guest path — write "host::guest", e.g. "data::/data"`);
      } else if (isPlainObject(item)) {
        expectOnlyKeys(item, field, ['host', 'guest', 'read', 'write', 'create']);
        if (item.host === undefined) throw new LaunchConfigError(field, 'missing "host" — set it to the host directory to mount');
        hostGiven = item.host;
        hostField = childField(field, 'host');
        if (item.guest !== undefined) guest = expectNonEmptyString(item.guest, childField(field, 'guest'), 'a guest path such as "/data"');
        const flags = (['read', 'write', 'create'] as const).map((name) =>
          item[name] === undefined ? undefined : expectBoolean(item[name], childField(field, name)),
        );
        if (flags.some((flag) => flag !== undefined)) {
          permissions = { read: flags[0] ?? false, write: flags[1] ?? false, create: flags[2] ?? false };
        }
      } else {
        throw new LaunchConfigError(field, `expected { "host", "guest", … } or a "host::guest" string, got ${describeValue(item)}`);
      }
      const hostPath = paths.directory(hostGiven, hostField, 'a preopened directory');
      // Without a guest path the directory appears where it was written: "data" → "/data".
      const alias = guest ?? guestPathForHostPath(hostGiven as string);
      // launch.json speaks in absolute guest paths, so that is also the name the guest sees for the preopen.
      const guestAlias = alias.includes('\0') ? alias : normalizeGuestPath(alias);
      withField(field, () =>
        builder.preopenBuild((p) => p.directory(hostPath).alias(guestAlias).read(permissions.read).write(permissions.write).create(permissions.create)),
      );
      origins.preopens.push({ hostPath, field });
      if (!alias.includes('\0')) claim(normalizeGuestPath(alias), field);
    });
  }
  if (config.mapDirs !== undefined) {
    const map = expectObject(config.mapDirs, 'mapDirs', 'an object of "guest path": "host directory" pairs');
    for (const [guest, hostGiven] of Object.entries(map)) {
      const field = childField('mapDirs', guest);
      if (guest === '') throw new LaunchConfigError('mapDirs', 'a guest path is empty — use "/" to mount at the root');
      const hostPath = paths.directory(hostGiven, field, 'a mapped directory');
      withField(field, () => builder.mapDir(guest.includes('\0') ? guest : normalizeGuestPath(guest), hostPath));
      origins.preopens.push({ hostPath, field });
      if (!guest.includes('\0')) claim(normalizeGuestPath(guest), field);
    }
  }
  if (config.vfsPreopens !== undefined) {
    expectStringArray(config.vfsPreopens, 'vfsPreopens', 'an array of guest directory paths').forEach((guest, index) => {
      const field = childField('vfsPreopens', index);
      if (guest === '') throw new LaunchConfigError(field, 'is empty — write a guest directory path such as "/tmp"');
      const guestPath = normalizeGuestPath(guest);
      origins.vfsPreopens.set(guestPath, field);
      if (!guest.includes('\0')) claim(guestPath, field);
      builder.preopenVfsDirs([guest]);
    });
  }
}

function collectFiles(config: Record<string, unknown>, paths: HostPaths, origins: Origins): SetupFsEntry[] {
  if (config.files === undefined) return [];
  const map = expectObject(config.files, 'files', 'an object of "guest path": "host file" or { "text": "…" } pairs');
  const entries: SetupFsEntry[] = [];
  for (const [guest, value] of Object.entries(map)) {
    const field = childField('files', guest);
    if (guest === '') throw new LaunchConfigError('files', 'a guest path is empty — write the path the file should have in the guest');
    if (!guest.includes('\0')) origins.files.set(normalizeGuestPath(guest), field);
    if (typeof value === 'string') {
      const hostPath = paths.file(value, field, 'a file to copy into the guest', 'mount directories with "preopens" or "mapDirs" instead');
      entries.push({ kind: 'hostFile', guestPath: guest, hostPath });
    } else if (isPlainObject(value)) {
      expectOnlyKeys(value, field, ['text']);
      const text = expectString(value.text, childField(field, 'text'), 'the file content as a string');
      entries.push({ kind: 'file', guestPath: guest, data: text });
    } else {
      throw new LaunchConfigError(field, `expected a host file path or { "text": "…" }, got ${describeValue(value)}`);
    }
  }
  return entries;
}

function readStdin(value: unknown, paths: HostPaths): StdinInit {
  if (value === undefined || value === 'console') return { kind: 'console' };
  if (value === 'none') return { kind: 'none' };
  if (isPlainObject(value)) {
    expectOnlyKeys(value, 'stdin', ['file', 'text']);
    if (value.file !== undefined && value.text !== undefined) throw new LaunchConfigError('stdin', 'has both "file" and "text" — keep one');
    if (value.file !== undefined) return { kind: 'file', hostPath: paths.file(value.file, 'stdin.file', 'the file read as stdin') };
    if (value.text !== undefined) return { kind: 'bytes', data: new TextEncoder().encode(expectString(value.text, 'stdin.text', 'the stdin content as a string')) };
    throw new LaunchConfigError('stdin', 'is an empty object — use { "file": "…" } or { "text": "…" }');
  }
  throw new LaunchConfigError('stdin', `expected "console", "none", { "file": "…" } or { "text": "…" }, got ${describeValue(value)}`);
}

function readOutput(value: unknown, field: 'stdout' | 'stderr', paths: HostPaths): OutputInit {
  if (value === undefined || value === 'console') return { kind: 'console' };
  if (value === 'none') return { kind: 'null' };
  if (isPlainObject(value)) {
    expectOnlyKeys(value, field, ['file', 'append']);
    if (value.file === undefined) throw new LaunchConfigError(field, 'missing "file" — set it to the host file to write');
    const hostPath = paths.outputFile(value.file, `${field}.file`, `the file ${field} is written to`);
    const append = value.append === undefined ? false : expectBoolean(value.append, `${field}.append`);
    return { kind: 'file', hostPath, append };
  }
  throw new LaunchConfigError(field, `expected "console", "none" or { "file": "…", "append": false }, got ${describeValue(value)}`);
}

/** Refuses a requested feature the runtime cannot honour yet — never silently ignored. */
function requireFeature(feature: RuntimeFeature, field: string, features: readonly RuntimeFeature[]): void {
  if (features.includes(feature)) return;
  throw new LaunchConfigError(field, 'is not supported yet by the runtime — remove it from the configuration');
}

function addRemainingFeatures(config: Record<string, unknown>, builder: WasiEnvBuilder, paths: HostPaths, features: readonly RuntimeFeature[]): void {
  if (config.uses !== undefined) {
    const uses = expectStringArray(config.uses, 'uses', 'an array of package names ("namespace/name@version") or .webc files');
    uses.forEach((entry, index) => {
      const field = childField('uses', index);
      if (entry.trim() === '' || /\s/.test(entry)) throw new LaunchConfigError(field, `${JSON.stringify(entry)} is not a package name — write "namespace/name@version" or a .webc path`);
      if (/\.webc$/i.test(entry)) {
        const hostPath = paths.file(entry, field, 'a local .webc package');
        builder.useWebc({ name: path.basename(hostPath, path.extname(hostPath)), hostPath });
      } else {
        builder.useWebc(entry);
      }
    });
    if (uses.length > 0) requireFeature('uses', 'uses', features);
  }
  if (config.mapCommands !== undefined) {
    const map = expectObject(config.mapCommands, 'mapCommands', 'an object of "command": "path/to/command.wasm" pairs');
    for (const [name, target] of Object.entries(map)) {
      const field = childField('mapCommands', name);
      if (name === '' || name.includes('/') || name.includes('\0')) throw new LaunchConfigError(field, 'is not a command name — use a plain name such as "ls"');
      builder.mapCommand(name, paths.file(target, field, 'the .wasm that implements the command'));
    }
    if (Object.keys(map).length > 0) requireFeature('mapCommands', 'mapCommands', features);
  }
  const threads = config.threads === undefined ? false : expectBoolean(config.threads, 'threads');
  if (config.maxThreads !== undefined) {
    const maxThreads = config.maxThreads;
    if (typeof maxThreads !== 'number' || !Number.isInteger(maxThreads) || maxThreads < 1) {
      throw new LaunchConfigError('maxThreads', `expected a whole number of at least 1, got ${describeValue(maxThreads)}`);
    }
    if (!threads) throw new LaunchConfigError('maxThreads', 'limits threads, but "threads" is not true — set "threads": true or remove "maxThreads"');
    builder.capabilitiesMut().threading.maxThreads = maxThreads;
  }
  if (threads) {
    builder.capabilitiesMut().threads = true;
    requireFeature('threads', 'threads', features);
  }
  if (config.imports !== undefined) {
    const map = expectObject(config.imports, 'imports', 'an object of "import module": "path/to/host.js" pairs');
    for (const [module, file] of Object.entries(map)) {
      const field = childField('imports', module);
      if (module === '') throw new LaunchConfigError('imports', 'an import module name is empty — use the module name the .wasm imports from, e.g. "env"');
      if (WASI_IMPORT_MODULES.includes(module)) throw new LaunchConfigError(field, 'the WASI imports cannot be replaced — use another import module name');
      const hostPath = paths.file(file, field, 'the CommonJS file serving the imports');
      if (/\.mjs$/i.test(hostPath)) throw new LaunchConfigError(field, `"${hostPath}" is an ES module — imports are loaded with require(); use a CommonJS .js or .cjs file`);
      builder.import(module, hostPath);
    }
    if (Object.keys(map).length > 0) requireFeature('imports', 'imports', features);
  }
  if (config.journal !== undefined) {
    const journals = typeof config.journal === 'string' ? [config.journal] : expectStringArray(config.journal, 'journal', 'a journal file path or an array of them');
    journals.forEach((journal, index) => {
      const field = typeof config.journal === 'string' ? 'journal' : childField('journal', index);
      builder.addJournal(paths.outputFile(journal, field, 'a journal file'));
    });
    if (journals.length > 0) requireFeature('journal', 'journal', features);
  }
  let triggers: SnapshotTrigger[] = [];
  if (config.snapshotOn !== undefined) {
    triggers = expectStringArray(config.snapshotOn, 'snapshotOn', 'an array of snapshot triggers').map((trigger, index) => {
      if ((SNAPSHOT_TRIGGERS as readonly string[]).includes(trigger)) return trigger as SnapshotTrigger;
      const suggestion = closestMatch(trigger, SNAPSHOT_TRIGGERS);
      throw new LaunchConfigError(
        childField('snapshotOn', index),
        `"${trigger}" is not a snapshot trigger — ${suggestion !== undefined ? `did you mean "${suggestion}"?` : `use one of ${SNAPSHOT_TRIGGERS.join(', ')}`}`,
      );
    });
    for (const trigger of triggers) builder.addSnapshotTrigger(trigger);
  }
  if (config.snapshotInterval !== undefined) {
    const interval = config.snapshotInterval;
    if (typeof interval !== 'number' || !Number.isFinite(interval) || interval <= 0) {
      throw new LaunchConfigError('snapshotInterval', `expected a number of milliseconds greater than 0, got ${describeValue(interval)}`);
    }
    if (!triggers.includes('periodicInterval')) {
      throw new LaunchConfigError('snapshotInterval', 'is only used by the "periodicInterval" trigger — add it to "snapshotOn" or remove "snapshotInterval"');
    }
    builder.withSnapshotInterval(interval);
  } else if (triggers.includes('periodicInterval')) {
    throw new LaunchConfigError('snapshotOn', '"periodicInterval" needs "snapshotInterval" (milliseconds) — add it');
  }
  if (triggers.length > 0) requireFeature('snapshotOn', 'snapshotOn', features);
  if (config.snapshotInterval !== undefined) requireFeature('snapshotOn', 'snapshotInterval', features);
}

/** Runs a builder call that may throw, naming `field` in the error. */
function withField<T>(field: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof WasiStateCreationError) throw new LaunchConfigError(field, `${error.message} — fix this entry`, { cause: error });
    throw error;
  }
}

/** A builder error from build(), attributed to the field that supplied the offending value. */
function explainBuildError(error: WasiStateCreationError, origins: Origins): LaunchConfigError {
  const subject = error.subject;
  const options = { cause: error };
  switch (subject?.kind) {
    case 'arg': {
      const field = subject.index === 0 ? 'argv0' : childField('args', subject.index - 1);
      return new LaunchConfigError(field, `contains a NUL character (${JSON.stringify(error.detail)}) — remove it`, options);
    }
    case 'envKey': {
      const source = origins.envSources.get(subject.key);
      const where = source?.field === 'envFile' ? ` in "${source.file}"` : '';
      const problem = /found nul byte/.test(error.detail) ? 'contains a NUL character' : 'contains "="';
      return new LaunchConfigError(source?.field ?? 'env', `key ${JSON.stringify(subject.key)} ${problem} — rename the variable${where}`, options);
    }
    case 'envValue': {
      const source = origins.envSources.get(subject.key);
      if (source?.field === 'envFile') {
        return new LaunchConfigError('envFile', `the value of ${subject.key} contains a NUL character — remove it from "${source.file}"`, options);
      }
      if (source?.field === 'cwd') return new LaunchConfigError('cwd', 'contains a NUL character — remove it', options);
      return new LaunchConfigError(childField(source?.field ?? 'env', subject.key), 'the value contains a NUL character — remove it', options);
    }
    case 'preopen': {
      const field = origins.preopens.find((preopen) => preopen.hostPath === subject.hostPath)?.field ?? 'preopens';
      return new LaunchConfigError(field, `${error.message} — mount an existing directory`, options);
    }
    case 'vfsPreopen':
      return new LaunchConfigError(origins.vfsPreopens.get(subject.guestPath) ?? 'vfsPreopens', `${error.message} — remove the NUL character`, options);
    case 'root':
      return new LaunchConfigError('root', `${error.message} — set "root" to an existing directory, or to "memory"`, options);
    case 'currentDir':
      return new LaunchConfigError('cwd', `${error.message} — set "cwd" to a guest directory that can exist`, options);
    case 'stdio':
      return new LaunchConfigError(`${subject.stream}.file`, `${error.message} — fix the path`, options);
    case 'seed':
      return new LaunchConfigError(origins.files.get(subject.guestPath) ?? 'files', `${error.message} — change or remove this entry`, options);
    case 'package':
      return new LaunchConfigError('uses', `${error.message} — fix the package`, options);
    case 'capabilities':
      return new LaunchConfigError('maxThreads', `${error.message}: ${error.detail} — use a whole number of at least 1`, options);
    default:
      return new LaunchConfigError('', `${error.message} — check the configuration`, options);
  }
}

/**
 * Checks a `wasi` launch configuration and turns it into the module bytes and the WasiEnvInit the runtime
 * runs. Throws LaunchConfigError (naming the field and the fix) for anything wrong. Reads the program and
 * referenced files; writes nothing, except creating a missing `cwd` when `root` is a host directory.
 */
export function resolveLaunchConfig(config: unknown, ctx: LaunchContext): ResolvedLaunch {
  if (!isPlainObject(config)) throw new LaunchConfigError('', `a configuration must be a JSON object, got ${describeValue(config)}`);
  const merged = withPlatformBlock(config, ctx.platform ?? process.platform);
  checkFieldNames(merged);
  const features = ctx.runtimeFeatures ?? RUNTIME_SUPPORTED_FEATURES;
  const paths = new HostPaths(ctx.workspaceFolder === undefined ? undefined : path.resolve(ctx.workspaceFolder));
  const origins: Origins = { envSources: new Map(), removedEnv: new Set(), preopens: [], vfsPreopens: new Map(), files: new Map() };

  if (merged.type !== undefined && merged.type !== 'wasi') {
    throw new LaunchConfigError('type', `${describeValue(merged.type)} is not this debugger's type — set "type": "wasi"`);
  }
  if (merged.request !== undefined && merged.request !== 'launch') {
    throw new LaunchConfigError('request', `${describeValue(merged.request)} is not supported — wasi-debug starts the module itself; set "request": "launch"`);
  }
  const name = merged.name === undefined ? undefined : expectString(merged.name, 'name', 'a string');
  const noDebug = merged.noDebug === undefined ? false : expectBoolean(merged.noDebug, 'noDebug');

  const { program, bytes } = readProgram(merged.program, paths);
  const argv0 = merged.argv0 === undefined ? path.basename(program) : expectString(merged.argv0, 'argv0', 'the program name the guest sees');
  const builder = new WasiEnvBuilder(argv0);
  if (merged.args !== undefined) builder.args(expectStringArray(merged.args, 'args', 'an array of strings'));

  const env = collectEnv(merged, ctx, paths, origins);
  if (merged.cwd !== undefined) {
    const cwd = expectNonEmptyString(merged.cwd, 'cwd', 'a guest directory path such as "/work"');
    builder.currentDir(cwd);
    // wasi-libc has no way to learn the start directory, but Go's wasip1 runtime and others read PWD. A PWD
    // you set in env or envFile wins (as does removing it with null); an inherited one is a host path and is replaced.
    const source = origins.envSources.get('PWD')?.field;
    if (source !== 'env' && source !== 'envFile' && !origins.removedEnv.has('PWD')) {
      env.set('PWD', normalizeGuestPath(cwd));
      origins.envSources.set('PWD', { field: 'cwd' });
    }
  }
  builder.envs(env);

  const entry = merged.entry === undefined ? '_start' : expectNonEmptyString(merged.entry, 'entry', 'the name of an exported function');
  checkEntry(entry, merged.entry !== undefined, bytes);
  builder.entryFunction(entry);

  if (merged.root !== undefined) {
    const root = expectNonEmptyString(merged.root, 'root', '"memory" or a host directory');
    if (root === 'memory') builder.sandboxFs();
    else builder.fs(paths.directory(root, 'root', 'the directory backing "/"'));
  }

  addPreopens(merged, builder, paths, origins, new Map());
  builder.setupFs(collectFiles(merged, paths, origins));
  builder.stdin(readStdin(merged.stdin, paths));
  builder.stdout(readOutput(merged.stdout, 'stdout', paths));
  builder.stderr(readOutput(merged.stderr, 'stderr', paths));
  addRemainingFeatures(merged, builder, paths, features);

  const stopOnEntry = merged.stopOnEntry === undefined ? false : expectBoolean(merged.stopOnEntry, 'stopOnEntry');
  const trace = merged.trace === undefined ? false : expectBoolean(merged.trace, 'trace');

  let init: WasiEnvInit;
  try {
    init = builder.build();
  } catch (error) {
    if (error instanceof WasiStateCreationError) throw explainBuildError(error, origins);
    throw error;
  }
  return { program, moduleBytes: bytes, init, stopOnEntry, trace, noDebug, name: name !== undefined && name !== '' ? name : path.basename(program) };
}
