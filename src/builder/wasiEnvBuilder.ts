// WasiEnvBuilder: configures a WASI environment and validates it into a plain-data WasiEnvInit (port of Wasmer's builder).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cloneCapabilities, defaultCapabilities } from './capabilities';
import type {
  AdditionalImport,
  Capabilities,
  OutputInit,
  PackageUse,
  PreopenInit,
  RootInit,
  SeedEntry,
  SnapshotTrigger,
  StdinInit,
  WasiEnvInit,
} from './envInit';
import { WasiStateCreationError, fsErrorKindOf, fsErrorText } from './errors';
import { guestAncestors, guestPathForHostPath, isGuestPathWithin, normalizeGuestPath, resolveHostPath } from './paths';
import { PreopenDirBuilder, type PreopenedDir } from './preopenDirBuilder';

/** Text or raw bytes; bytes that are not UTF-8 are decoded lossily (U+FFFD), as the seed's `from_utf8_lossy`. */
export type TextOrBytes = string | Uint8Array;

/** A file or directory to create in the in-memory filesystem before the module starts (plain-data `setup_fs`). */
export type SetupFsEntry =
  | { kind: 'file'; guestPath: string; data: TextOrBytes }
  | { kind: 'hostFile'; guestPath: string; hostPath: string }
  | { kind: 'dir'; guestPath: string };

/** Permissions of a host directory that backs the guest's `/` (`fs`). */
export interface HostRootPermissions {
  read: boolean;
  write: boolean;
  create: boolean;
}

/** Pairs given either as an iterable of tuples or as a plain object. */
export type PairsInput<K, V> = Iterable<readonly [K, V]> | Record<string, V>;

const lossyDecoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();

function lossyText(value: TextOrBytes): string {
  return typeof value === 'string' ? value : lossyDecoder.decode(value);
}

function toBytes(value: TextOrBytes): Uint8Array {
  return typeof value === 'string' ? encoder.encode(value) : new Uint8Array(value);
}

function pairsOf<K, V>(input: PairsInput<K, V>): Array<readonly [K | string, V]> {
  if (typeof (input as Iterable<unknown>)[Symbol.iterator] === 'function') return [...(input as Iterable<readonly [K, V]>)];
  return Object.entries(input as Record<string, V>);
}

/** A JS string that a UTF-8 encoder can represent exactly (no lone surrogates). */
function isWellFormedText(text: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

const DEFAULT_ENTRY_FUNCTION = '_start';

/**
 * Builder of a WASI environment, after Wasmer's `WasiEnvBuilder`.
 *
 * ```ts
 * const init = new WasiEnvBuilder('prog')
 *   .env('ENV_VAR', 'ENV_VAL')
 *   .arg('--verbose')
 *   .preopenDir('src')
 *   .mapDir('name_wasi_sees', 'path/on/host/fs')
 *   .build();
 * ```
 *
 * Fluent methods return `this`; the `add…`/`set…` mutators do the same work for callers holding the
 * builder in a variable. Directory methods throw `WasiStateCreationError` at once (the seed returns a
 * Result there); everything else is validated by `build()`.
 */
export class WasiEnvBuilder {
  private entryFunctionName?: string;
  private readonly argList: string[];
  private readonly envList: Array<[string, Uint8Array]> = [];
  private readonly preopenList: PreopenedDir[] = [];
  private readonly vfsPreopenList: string[] = [];
  private setupFsEntries: SetupFsEntry[] = [];
  private stdoutInit?: OutputInit;
  private stderrInit?: OutputInit;
  private stdinInit?: StdinInit;
  private rootInit?: RootInit;
  private currentDirPath?: TextOrBytes;
  private readonly usesList: PackageUse[] = [];
  private readonly includedPackageSet = new Set<string>();
  private moduleHashValue?: string;
  private readonly mappedCommands = new Map<string, string>();
  private capabilitySet: Capabilities = defaultCapabilities();
  private readonly additionalImportMap = new Map<string, string>();
  private readonly snapshotTriggers: SnapshotTrigger[] = [];
  private snapshotIntervalMs?: number;
  private readonly journalPaths: string[] = [];
  private attachCtrlCFlag = false;

  /** Creates a builder whose `args[0]` is the program name. */
  constructor(programName: TextOrBytes) {
    this.argList = [lossyText(programName)];
  }

  // ── environment variables ───────────────────────────────────────────────

  /**
   * Add an environment variable pair. Neither key nor value may contain a NUL byte and the key may not
   * contain `=`; `build()` checks.
   */
  env(key: TextOrBytes, value: TextOrBytes): this {
    this.addEnv(key, value);
    return this;
  }

  addEnv(key: TextOrBytes, value: TextOrBytes): void {
    this.envList.push([lossyText(key), toBytes(value)]);
  }

  /** Add several environment variable pairs (tuples or a plain object), in order. */
  envs(pairs: PairsInput<TextOrBytes, TextOrBytes>): this {
    this.addEnvs(pairs);
    return this;
  }

  addEnvs(pairs: PairsInput<TextOrBytes, TextOrBytes>): void {
    for (const [key, value] of pairsOf(pairs)) this.addEnv(key, value);
  }

  /** The configured environment variables, in order (values are bytes). */
  getEnv(): ReadonlyArray<readonly [string, Uint8Array]> {
    return this.envList;
  }

  /** The live list of environment variables, to edit in place. */
  getEnvMut(): Array<[string, Uint8Array]> {
    return this.envList;
  }

  // ── entry function ──────────────────────────────────────────────────────

  /** The export to call; `_start` when never set. */
  entryFunction(name: string): this {
    this.setEntryFunction(name);
    return this;
  }

  setEntryFunction(name: string): void {
    this.entryFunctionName = name;
  }

  getEntryFunction(): string {
    return this.entryFunctionName ?? DEFAULT_ENTRY_FUNCTION;
  }

  // ── arguments ───────────────────────────────────────────────────────────

  /** Add an argument. Arguments may not contain a NUL byte; `build()` checks. */
  arg(value: TextOrBytes): this {
    this.addArg(value);
    return this;
  }

  addArg(value: TextOrBytes): void {
    this.argList.push(lossyText(value));
  }

  /** Add several arguments, in order. */
  args(values: Iterable<TextOrBytes>): this {
    this.addArgs(values);
    return this;
  }

  addArgs(values: Iterable<TextOrBytes>): void {
    for (const value of values) this.addArg(value);
  }

  /** The arguments, program name first. */
  getArgs(): readonly string[] {
    return this.argList;
  }

  /** The live argument list, to edit in place. */
  getArgsMut(): string[] {
    return this.argList;
  }

  // ── packages and commands ───────────────────────────────────────────────

  /** A package this module inherits files and commands from: a registry name or a local `.webc` file. */
  useWebc(pkg: PackageUse | string): this {
    this.addWebc(pkg);
    return this;
  }

  addWebc(pkg: PackageUse | string): this {
    this.usesList.push(typeof pkg === 'string' ? { name: pkg } : { ...pkg });
    return this;
  }

  /** Several packages, in order. */
  uses(pkgs: Iterable<PackageUse | string>): this {
    for (const pkg of pkgs) this.addWebc(pkg);
    return this;
  }

  /** A package already present in the filesystem, so it is not merged in again. */
  includePackage(packageId: string): this {
    this.includedPackageSet.add(packageId);
    return this;
  }

  includePackages(packageIds: Iterable<string>): this {
    for (const id of packageIds) this.includedPackageSet.add(id);
    return this;
  }

  /** Hash identifying the module, so a journal restores the records of the right module; random when unset. */
  setModuleHash(hash: string): this {
    this.moduleHashValue = hash;
    return this;
  }

  /** Map a command name to a host `.wasm` file that implements it. A later mapping of the same name wins. */
  mapCommand(name: string, target: string): this {
    this.addMappedCommand(name, target);
    return this;
  }

  addMappedCommand(name: string, target: string): void {
    this.mappedCommands.set(name, target);
  }

  mapCommands(commands: PairsInput<string, string>): this {
    this.addMappedCommands(commands);
    return this;
  }

  addMappedCommands(commands: PairsInput<string, string>): void {
    for (const [name, target] of pairsOf(commands)) this.addMappedCommand(name, target);
  }

  // ── directories ─────────────────────────────────────────────────────────

  /** Preopen a host directory with read, write and create permissions, at the guest path it is given with. */
  preopenDir(hostPath: string): this {
    this.addPreopenDir(hostPath);
    return this;
  }

  addPreopenDir(hostPath: string): void {
    this.preopenList.push(new PreopenDirBuilder().directory(hostPath).read(true).write(true).create(true).build());
  }

  preopenDirs(hostPaths: Iterable<string>): this {
    for (const hostPath of hostPaths) this.addPreopenDir(hostPath);
    return this;
  }

  /**
   * Preopen a directory and configure it:
   * `builder.preopenBuild((p) => p.directory('src').alias('/source').read(true))`.
   */
  preopenBuild(configure: (preopen: PreopenDirBuilder) => PreopenDirBuilder): this {
    this.addPreopenBuild(configure);
    return this;
  }

  addPreopenBuild(configure: (preopen: PreopenDirBuilder) => PreopenDirBuilder): void {
    this.preopenList.push(configure(new PreopenDirBuilder()).build());
  }

  /** Preopen directories of the in-memory filesystem (created when missing). */
  preopenVfsDirs(guestPaths: Iterable<string>): this {
    for (const guestPath of guestPaths) this.vfsPreopenList.push(guestPath);
    return this;
  }

  /** Preopen a host directory under another guest name (`alias`), with read, write and create permissions. */
  mapDir(alias: string, hostPath: string): this {
    this.addMapDir(alias, hostPath);
    return this;
  }

  addMapDir(alias: string, hostPath: string): void {
    this.preopenList.push(new PreopenDirBuilder().directory(hostPath).alias(alias).read(true).write(true).create(true).build());
  }

  mapDirs(mapped: PairsInput<string, string>): this {
    for (const [alias, hostPath] of pairsOf(mapped)) this.addMapDir(alias, hostPath);
    return this;
  }

  // ── journals and snapshots ──────────────────────────────────────────────

  /**
   * A journal file that restores the process's state, applied in the order added; the last one is
   * created when missing and receives new events.
   */
  addJournal(hostPath: string): this {
    this.journalPaths.push(hostPath);
    return this;
  }

  addSnapshotTrigger(trigger: SnapshotTrigger): this {
    this.snapshotTriggers.push(trigger);
    return this;
  }

  /** Interval of the `periodicInterval` snapshot trigger, in milliseconds. */
  withSnapshotInterval(milliseconds: number): this {
    if (!Number.isFinite(milliseconds) || milliseconds <= 0) {
      throw new RangeError(`snapshot interval must be a positive number of milliseconds, got ${milliseconds}`);
    }
    this.snapshotIntervalMs = milliseconds;
    return this;
  }

  // ── current directory, stdio, filesystem ────────────────────────────────

  /** The guest's current directory; created in the filesystem when missing. Bytes must be UTF-8. */
  currentDir(dir: TextOrBytes): this {
    this.setCurrentDir(dir);
    return this;
  }

  setCurrentDir(dir: TextOrBytes): void {
    this.currentDirPath = typeof dir === 'string' ? dir : new Uint8Array(dir);
  }

  /** Where the guest's stdout goes (default: the console of the host side). */
  stdout(output: OutputInit): this {
    this.setStdout(output);
    return this;
  }

  setStdout(output: OutputInit): void {
    this.stdoutInit = { ...output };
  }

  stderr(output: OutputInit): this {
    this.setStderr(output);
    return this;
  }

  setStderr(output: OutputInit): void {
    this.stderrInit = { ...output };
  }

  /** Where the guest's stdin comes from (default: the console of the host side). */
  stdin(input: StdinInit): this {
    this.setStdin(input);
    return this;
  }

  setStdin(input: StdinInit): void {
    this.stdinInit = input.kind === 'bytes' ? { kind: 'bytes', data: new Uint8Array(input.data) } : { ...input };
  }

  /** Back the guest's `/` with a host directory (default permissions: read, write, create). */
  fs(hostDir: string, permissions: HostRootPermissions = { read: true, write: true, create: true }): this {
    this.setFs(hostDir, permissions);
    return this;
  }

  setFs(hostDir: string, permissions: HostRootPermissions = { read: true, write: true, create: true }): void {
    this.rootInit = {
      kind: 'host',
      hostPath: hostDir,
      read: permissions.read,
      write: permissions.write || permissions.create,
      create: permissions.create,
    };
  }

  /** Back the guest's `/` with a fresh in-memory filesystem (the default). */
  sandboxFs(): this {
    this.rootInit = { kind: 'memory' };
    return this;
  }

  /** Files and directories created in the in-memory filesystem before start; replaces earlier entries. */
  setupFs(entries: readonly SetupFsEntry[]): this {
    this.setupFsEntries = entries.map((entry) => ({ ...entry }));
    return this;
  }

  // ── capabilities, imports, signals ──────────────────────────────────────

  capabilities(capabilities: Capabilities): this {
    this.setCapabilities(capabilities);
    return this;
  }

  /** The live capabilities, to edit in place. */
  capabilitiesMut(): Capabilities {
    return this.capabilitySet;
  }

  setCapabilities(capabilities: Capabilities): void {
    this.capabilitySet = cloneCapabilities(capabilities);
  }

  /**
   * An extra import namespace: the wasm import module `module` is served by the exports of the CommonJS
   * file at `hostPath`, loaded in the worker. A later import of the same module replaces it.
   */
  import(module: string, hostPath: string): this {
    this.addImport(module, hostPath);
    return this;
  }

  addImport(module: string, hostPath: string): void {
    this.additionalImportMap.set(module, hostPath);
  }

  addImports(imports: PairsInput<string, string>): void {
    for (const [module, hostPath] of pairsOf(imports)) this.addImport(module, hostPath);
  }

  imports(imports: PairsInput<string, string>): this {
    this.addImports(imports);
    return this;
  }

  /** Deliver Ctrl-C to the guest as SIGINT instead of terminating it. */
  attachCtrlC(): this {
    this.attachCtrlCFlag = true;
    return this;
  }

  // ── build ───────────────────────────────────────────────────────────────

  /** The seed's `build_init`; same as `build()`. */
  buildInit(): WasiEnvInit {
    return this.build();
  }

  /**
   * Validates everything, in the seed's order (args, env, root filesystem, current directory, preopens,
   * stdio, setup entries), and returns a plain, structured-clone-able WasiEnvInit with absolute host
   * paths. The builder stays usable; the result shares nothing with it.
   */
  build(): WasiEnvInit {
    this.validateArgs();
    this.validateEnv();
    const root = this.buildRoot();
    const currentDir = this.buildCurrentDir(root);
    const preopens = this.buildPreopens();
    const stdin = this.buildStdin();
    const stdout = this.buildOutput('stdout', this.stdoutInit);
    const stderr = this.buildOutput('stderr', this.stderrInit);
    const seed = this.buildSeed(root, preopens, currentDir.path);
    if (!currentDir.wellFormed) {
      throw new WasiStateCreationError('WasiFsSetupError', `Specified current directory is not valid UTF-8: '${currentDir.path}'`, {
        kind: 'currentDir',
        path: currentDir.path,
      });
    }
    const uses = this.buildUses();
    const capabilities = this.buildCapabilities();

    const init: WasiEnvInit = {
      args: [...this.argList],
      env: this.envList.map(([key, value]): [string, Uint8Array] => [key, new Uint8Array(value)]),
      entryFunction: this.getEntryFunction(),
      root,
      preopens,
      currentDir: currentDir.path,
      seed,
      stdin,
      stdout,
      stderr,
      uses,
      includedPackages: [...this.includedPackageSet],
      mapCommands: Object.fromEntries([...this.mappedCommands].map(([name, target]) => [name, resolveHostPath(target)])),
      capabilities,
      additionalImports: [...this.additionalImportMap].map(([module, hostPath]): AdditionalImport => ({ module, hostPath: resolveHostPath(hostPath) })),
      journals: this.journalPaths.map((journal) => resolveHostPath(journal)),
      snapshotOn: [...this.snapshotTriggers],
      attachCtrlC: this.attachCtrlCFlag,
    };
    if (this.moduleHashValue !== undefined) init.moduleHash = this.moduleHashValue;
    if (this.snapshotIntervalMs !== undefined) init.snapshotIntervalMs = this.snapshotIntervalMs;
    return init;
  }

  private validateArgs(): void {
    this.argList.forEach((arg, index) => {
      if (arg.includes('\0')) throw new WasiStateCreationError('ArgumentContainsNulByte', arg, { kind: 'arg', index });
    });
  }

  private validateEnv(): void {
    for (const [key, value] of this.envList) {
      // The first offending character of the key decides the message, as in the seed.
      const bad = /[\0=]/.exec(key);
      if (bad?.[0] === '\0') {
        throw new WasiStateCreationError('EnvironmentVariableFormatError', `found nul byte in env var key "${key}" (key=value)`, {
          kind: 'envKey',
          key,
        });
      }
      if (bad?.[0] === '=') {
        throw new WasiStateCreationError('EnvironmentVariableFormatError', `found equal sign in env var key "${key}" (key=value)`, {
          kind: 'envKey',
          key,
        });
      }
      if (value.includes(0)) {
        throw new WasiStateCreationError(
          'EnvironmentVariableFormatError',
          `found nul byte in env var value "${lossyDecoder.decode(value)}" (key=value)`,
          { kind: 'envValue', key },
        );
      }
    }
  }

  private buildRoot(): RootInit {
    const root = this.rootInit ?? { kind: 'memory' };
    if (root.kind === 'memory') return { kind: 'memory' };
    const hostPath = resolveHostPath(root.hostPath);
    checkHostDirectory(hostPath, { kind: 'root', hostPath });
    return { kind: 'host', hostPath, read: root.read, write: root.write, create: root.create };
  }

  private buildCurrentDir(root: RootInit): { path: string; wellFormed: boolean } {
    if (this.currentDirPath === undefined) return { path: '/', wellFormed: true };
    let text: string;
    let wellFormed: boolean;
    if (typeof this.currentDirPath === 'string') {
      text = this.currentDirPath;
      wellFormed = isWellFormedText(text);
    } else {
      text = lossyDecoder.decode(this.currentDirPath);
      try {
        strictDecoder.decode(this.currentDirPath);
        wellFormed = true;
      } catch {
        wellFormed = false;
      }
    }
    const guestPath = normalizeGuestPath(text);
    const subject = { kind: 'currentDir', path: guestPath } as const;
    if (guestPath.includes('\0')) {
      throw new WasiStateCreationError('WasiFsSetupError', `Could not create specified current directory at '${guestPath}': ${fsErrorText('InvalidInput')}`, subject);
    }
    // On the in-memory root the runtime creates it; a host root is checked (and the directory created) now, as the seed does.
    if (root.kind === 'host' && guestPath !== '/') {
      const hostPath = path.join(root.hostPath, ...guestPath.split('/').filter(Boolean));
      let stat: fs.Stats | undefined;
      try {
        stat = fs.statSync(hostPath);
      } catch (error) {
        const fsKind = fsErrorKindOf(error);
        if (fsKind !== 'EntryNotFound') {
          throw new WasiStateCreationError('WasiFsSetupError', `Could check specified current directory at '${guestPath}': ${fsErrorText(fsKind)}`, subject);
        }
      }
      if (stat === undefined) {
        if (!root.create) {
          throw new WasiStateCreationError(
            'WasiFsSetupError',
            `Could not create specified current directory at '${guestPath}': ${fsErrorText('PermissionDenied')}`,
            subject,
          );
        }
        try {
          fs.mkdirSync(hostPath);
        } catch (error) {
          throw new WasiStateCreationError(
            'WasiFsSetupError',
            `Could not create specified current directory at '${guestPath}': ${fsErrorText(fsErrorKindOf(error))}`,
            subject,
          );
        }
      } else if (!stat.isDirectory()) {
        throw new WasiStateCreationError('WasiFsSetupError', `Could check specified current directory at '${guestPath}': ${fsErrorText('BaseNotDirectory')}`, subject);
      }
    }
    return { path: guestPath, wellFormed };
  }

  private buildPreopens(): PreopenInit[] {
    const preopens: PreopenInit[] = [];
    for (const preopen of this.preopenList) {
      checkHostDirectory(preopen.path, { kind: 'preopen', hostPath: preopen.path, alias: preopen.alias });
      preopens.push({
        kind: 'host',
        hostPath: preopen.path,
        guestPath: preopen.alias !== undefined ? normalizeGuestPath(preopen.alias) : guestPathForHostPath(preopen.givenPath),
        // The guest sees the name as the user wrote it (`--dir fs-tests.dir` → "fs-tests.dir"), as Wasmer and
        // wasmtime report it: test suites and programs look their directory up by that exact name.
        name: preopenName(preopen.aliasAsGiven ?? preopen.givenPath),
        read: preopen.read,
        write: preopen.write,
        create: preopen.create,
      });
    }
    for (const given of this.vfsPreopenList) {
      const guestPath = normalizeGuestPath(given);
      if (guestPath.includes('\0')) {
        throw new WasiStateCreationError('WasiFsCreationError', `Could not create virtual preopen "${given}": ${fsErrorText('InvalidInput')}`, {
          kind: 'vfsPreopen',
          guestPath,
        });
      }
      preopens.push({ kind: 'virtual', guestPath });
    }
    return preopens;
  }

  private buildStdin(): StdinInit {
    const stdin = this.stdinInit ?? { kind: 'console' };
    switch (stdin.kind) {
      case 'console':
      case 'none':
        return { kind: stdin.kind };
      case 'bytes':
        return { kind: 'bytes', data: new Uint8Array(stdin.data) };
      case 'file': {
        const hostPath = resolveHostPath(stdin.hostPath);
        const subject = { kind: 'stdio', stream: 'stdin', hostPath } as const;
        let stat: fs.Stats;
        try {
          stat = fs.statSync(hostPath);
        } catch (error) {
          throw new WasiStateCreationError('FileSystemError', fsErrorText(fsErrorKindOf(error)), subject);
        }
        if (stat.isDirectory()) throw new WasiStateCreationError('FileSystemError', fsErrorText('NotAFile'), subject);
        return { kind: 'file', hostPath };
      }
    }
  }

  private buildOutput(stream: 'stdout' | 'stderr', output: OutputInit | undefined): OutputInit {
    if (output === undefined || output.kind === 'console') return { kind: 'console' };
    if (output.kind === 'null') return { kind: 'null' };
    const hostPath = resolveHostPath(output.hostPath);
    const subject = { kind: 'stdio', stream, hostPath } as const;
    // The runtime creates the file; what must already exist is its directory.
    let parent: fs.Stats;
    try {
      parent = fs.statSync(path.dirname(hostPath));
    } catch (error) {
      throw new WasiStateCreationError('FileSystemError', fsErrorText(fsErrorKindOf(error)), subject);
    }
    if (!parent.isDirectory()) throw new WasiStateCreationError('FileSystemError', fsErrorText('BaseNotDirectory'), subject);
    let existing: fs.Stats | undefined;
    try {
      existing = fs.statSync(hostPath);
    } catch {
      existing = undefined;
    }
    if (existing?.isDirectory()) throw new WasiStateCreationError('FileSystemError', fsErrorText('NotAFile'), subject);
    return { kind: 'file', hostPath, append: output.append };
  }

  /**
   * The setup entries as the runtime applies them, in order: every parent directory gets its own `dir`
   * entry ("exists after this step") before its first child, so the runtime never has to invent directories.
   */
  private buildSeed(root: RootInit, preopens: PreopenInit[], currentDir: string): SeedEntry[] {
    const seed: SeedEntry[] = [];
    const kinds = new Map<string, 'file' | 'dir'>();
    // The current directory is created before the setup entries run (seed order), so it counts as a directory.
    if (currentDir !== '/') {
      for (const dir of [...guestAncestors(currentDir), currentDir]) kinds.set(dir, 'dir');
    }
    const emittedDirs = new Set<string>();
    // `forEntry` is the entry being applied: the error is about it, not about the earlier file in its way.
    const declareDir = (guestPath: string, forEntry: string): void => {
      if (kinds.get(guestPath) === 'file') throw setupError(`"${guestPath}" is a file, so nothing can be created inside it`, forEntry);
      kinds.set(guestPath, 'dir');
      if (!emittedDirs.has(guestPath)) {
        emittedDirs.add(guestPath);
        seed.push({ kind: 'dir', guestPath });
      }
    };
    for (const entry of this.setupFsEntries) {
      if (entry.guestPath.includes('\0')) throw setupError(`guest path "${entry.guestPath}" contains a nul byte`, entry.guestPath);
      const guestPath = normalizeGuestPath(entry.guestPath);
      if (root.kind === 'host') {
        throw setupError(
          `"${guestPath}" cannot be set up: "/" is the host directory "${root.hostPath}"; setup entries go to the in-memory filesystem only`,
          guestPath,
        );
      }
      const mount = preopens.find((preopen) => preopen.kind === 'host' && isGuestPathWithin(guestPath, preopen.guestPath));
      if (mount !== undefined) {
        throw setupError(
          `"${guestPath}" is inside the host directory mounted at "${mount.guestPath}"; setup entries go to the in-memory filesystem only`,
          guestPath,
        );
      }
      for (const ancestor of guestAncestors(guestPath)) declareDir(ancestor, guestPath);
      if (entry.kind === 'dir') {
        if (guestPath !== '/') declareDir(guestPath, guestPath);
        continue;
      }
      if (guestPath === '/') throw setupError('"/" is a directory and cannot be a file', guestPath);
      if (kinds.has(guestPath)) {
        throw setupError(
          kinds.get(guestPath) === 'dir' ? `"${guestPath}" is a directory and cannot also be a file` : `"${guestPath}" is set up twice`,
          guestPath,
        );
      }
      kinds.set(guestPath, 'file');
      if (entry.kind === 'file') {
        seed.push({ kind: 'file', guestPath, data: toBytes(entry.data) });
        continue;
      }
      const hostPath = resolveHostPath(entry.hostPath);
      let stat: fs.Stats;
      try {
        stat = fs.statSync(hostPath);
      } catch (error) {
        throw setupError(`Could not read "${hostPath}" for "${guestPath}": ${fsErrorText(fsErrorKindOf(error))}`, guestPath);
      }
      if (!stat.isFile()) throw setupError(`Could not read "${hostPath}" for "${guestPath}": ${fsErrorText('NotAFile')}`, guestPath);
      seed.push({ kind: 'hostFile', guestPath, hostPath });
    }
    return seed;
  }

  private buildUses(): PackageUse[] {
    return this.usesList.map((pkg) => {
      if (pkg.name.length === 0) throw new WasiStateCreationError('WasiIncludePackageError', 'package name is empty', { kind: 'package', name: pkg.name });
      if (pkg.hostPath === undefined) return { name: pkg.name };
      const hostPath = resolveHostPath(pkg.hostPath);
      let stat: fs.Stats;
      try {
        stat = fs.statSync(hostPath);
      } catch (error) {
        throw new WasiStateCreationError(
          'WasiIncludePackageError',
          `Could not read package "${pkg.name}" from "${hostPath}": ${fsErrorText(fsErrorKindOf(error))}`,
          { kind: 'package', name: pkg.name },
        );
      }
      if (!stat.isFile()) {
        throw new WasiStateCreationError('WasiIncludePackageError', `Could not read package "${pkg.name}" from "${hostPath}": ${fsErrorText('NotAFile')}`, {
          kind: 'package',
          name: pkg.name,
        });
      }
      return { name: pkg.name, hostPath };
    });
  }

  private buildCapabilities(): Capabilities {
    const maxThreads = this.capabilitySet.threading.maxThreads;
    if (maxThreads !== undefined && !(Number.isInteger(maxThreads) && maxThreads > 0)) {
      throw new WasiStateCreationError('ControlPlane', `maxThreads must be a positive integer, got ${maxThreads}`, { kind: 'capabilities' });
    }
    return cloneCapabilities(this.capabilitySet);
  }
}

function setupError(detail: string, guestPath: string): WasiStateCreationError {
  return new WasiStateCreationError('WasiFsSetupError', detail, { kind: 'seed', guestPath });
}

/** What WasiFs creation checks of a host directory it mounts (messages as Wasmer's `create_preopens`). */
function checkHostDirectory(hostPath: string, subject: { kind: 'preopen'; hostPath: string; alias?: string } | { kind: 'root'; hostPath: string }): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(hostPath);
  } catch (error) {
    throw new WasiStateCreationError(
      'WasiFsCreationError',
      `Could not get metadata for file ${JSON.stringify(hostPath)}: ${fsErrorText(fsErrorKindOf(error))}`,
      subject,
    );
  }
  if (!stat.isDirectory()) {
    throw new WasiStateCreationError('WasiFsCreationError', `WASI only supports pre-opened directories right now; found "${hostPath}"`, subject);
  }
}

/** The prestat name of a preopen: as written, with repeated leading and any trailing `/` collapsed ("///src/" → "/src"). */
function preopenName(given: string): string {
  const trimmed = given.replace(/^\/+/, '/').replace(/\/+$/, '');
  return trimmed === '' ? (given.startsWith('/') ? '/' : '.') : trimmed;
}
