// The configuration provider's decisions as pure functions (no vscode): what F5 runs, what launch.json starts with.
//
// configurationProvider.ts gathers the facts from VS Code (active editor, workspace files, the user's pick)
// and acts on what these functions decide, so every decision is unit-testable without an editor.
import * as path from 'node:path';

export const DEBUG_TYPE = 'wasi';

/** A launch configuration as the provider hands it to VS Code (the adapter validates every field). */
export interface WasiLaunchConfiguration {
  type: string;
  request: string;
  name: string;
  program?: string;
  [field: string]: unknown;
}

/** What resolveDebugConfiguration should do with the configuration VS Code gave it. */
export type ResolveDecision =
  | { kind: 'launch'; config: WasiLaunchConfiguration } // complete: start it
  | { kind: 'pick'; candidates: string[] } // no launch.json and no active .wasm: let the user pick one of these
  | { kind: 'cancel'; message: string }; // nothing to run: tell the user why and what to do

/** True for the empty configuration VS Code passes when F5 is pressed without a launch.json. */
export function isEmptyConfiguration(config: Record<string, unknown>): boolean {
  return config.type === undefined && config.request === undefined && config.name === undefined;
}

export function isWasmPath(filePath: string | undefined): filePath is string {
  return filePath !== undefined && filePath.toLowerCase().endsWith('.wasm');
}

/**
 * `${workspaceFolder}/rel/path.wasm` when the file is inside the folder (so launch.json stays portable),
 * else the absolute path. Always forward slashes inside the variable form.
 */
export function programReference(filePath: string, workspaceFolder: string | undefined): string {
  if (workspaceFolder !== undefined) {
    const relative = path.relative(workspaceFolder, filePath);
    if (relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)) {
      return '${workspaceFolder}/' + relative.split(path.sep).join('/');
    }
  }
  return filePath;
}

/** The configuration that runs one .wasm file with the defaults (console stdio, in-memory sandbox). */
export function launchConfigurationFor(
  filePath: string,
  workspaceFolder: string | undefined,
  options: { noDebug?: boolean } = {},
): WasiLaunchConfiguration {
  const config: WasiLaunchConfiguration = {
    type: DEBUG_TYPE,
    request: 'launch',
    name: `${options.noDebug ? 'Run' : 'Debug'} ${path.basename(filePath)}`,
    program: programReference(filePath, workspaceFolder),
  };
  if (options.noDebug) config.noDebug = true;
  return config;
}

/** Fills what a hand-written or partial configuration may leave out. The adapter checks the rest. */
export function withDefaults(config: Record<string, unknown>): WasiLaunchConfiguration {
  const program = typeof config.program === 'string' ? config.program : undefined;
  const name =
    typeof config.name === 'string' && config.name !== ''
      ? config.name
      : program !== undefined
        ? `Run ${path.basename(program)}`
        : 'Run WASI module';
  return {
    ...config,
    type: typeof config.type === 'string' ? config.type : DEBUG_TYPE,
    request: typeof config.request === 'string' ? config.request : 'launch',
    name,
  };
}

/**
 * F5: a configuration from launch.json is completed and started; with no launch.json the active .wasm runs,
 * else the .wasm built from the active source file (same name, same folder), else the single .wasm of the
 * workspace, else the user picks among several, else there is nothing to run.
 * `findWasmFiles` is only called when the active editor does not decide it.
 */
export async function decideResolve(
  config: Record<string, unknown>,
  facts: { activeFile?: string; workspaceFolder?: string; findWasmFiles: () => Promise<string[]> },
): Promise<ResolveDecision> {
  if (!isEmptyConfiguration(config)) return { kind: 'launch', config: withDefaults(config) };
  // Ctrl+F5 without launch.json arrives as { noDebug: true }: keep it.
  const options = { noDebug: config.noDebug === true };
  if (isWasmPath(facts.activeFile)) {
    return { kind: 'launch', config: launchConfigurationFor(facts.activeFile, facts.workspaceFolder, options) };
  }
  const candidates = sortCandidates(await facts.findWasmFiles());
  const built = facts.activeFile !== undefined ? moduleBuiltFrom(facts.activeFile, candidates) : undefined;
  if (built !== undefined) {
    return { kind: 'launch', config: launchConfigurationFor(built, facts.workspaceFolder, options) };
  }
  if (candidates.length === 1) {
    return { kind: 'launch', config: launchConfigurationFor(candidates[0]!, facts.workspaceFolder, options) };
  }
  if (candidates.length > 1) return { kind: 'pick', candidates };
  return {
    kind: 'cancel',
    message:
      'WASI: there is no .wasm file to run. Open a .wasm file and press F5 again, or add a launch.json configuration (Run and Debug: create a launch.json file, then pick "WASI WebAssembly").',
  };
}

/**
 * The module that the active source file most likely builds: `hello.c` / `hello.wat` / `main.rs` → the `.wasm`
 * with the same base name in the same directory. Undefined when there is none.
 */
export function moduleBuiltFrom(sourceFile: string, wasmFiles: readonly string[]): string | undefined {
  const parsed = path.parse(sourceFile);
  const sibling = path.join(parsed.dir, parsed.name + '.wasm');
  return wasmFiles.find((file) => file === sibling);
}

/** Shallow paths first, then alphabetical: the module a user means is rarely the deepest one. */
export function sortCandidates(files: readonly string[]): string[] {
  return [...new Set(files)].sort((a, b) => {
    const depth = a.split(/[\\/]/).length - b.split(/[\\/]/).length;
    return depth !== 0 ? depth : a.localeCompare(b);
  });
}

/** One configuration per .wasm of the workspace: the dynamic list in the Run and Debug drop-down. */
export function dynamicConfigurations(files: readonly string[], workspaceFolder: string | undefined): WasiLaunchConfiguration[] {
  return sortCandidates(files).map((file) => ({
    ...launchConfigurationFor(file, workspaceFolder),
    name: `Run ${workspaceFolder !== undefined ? path.relative(workspaceFolder, file).split(path.sep).join('/') : path.basename(file)}`,
  }));
}

/** What "create a launch.json file" writes: one configuration per .wasm found (up to a few), else a picker. */
export function initialConfigurations(files: readonly string[], workspaceFolder: string | undefined): WasiLaunchConfiguration[] {
  const found = dynamicConfigurations(files, workspaceFolder).slice(0, 5);
  if (found.length > 0) return found;
  return [
    {
      type: DEBUG_TYPE,
      request: 'launch',
      name: 'Run a WASI module',
      program: '${command:wasi-debug.pickWasmFile}',
    },
  ];
}

/** The quick pick rows for a list of .wasm files. */
export function pickItems(
  files: readonly string[],
  workspaceFolder: string | undefined,
): Array<{ label: string; description: string; filePath: string }> {
  return sortCandidates(files).map((file) => {
    const relativeDir =
      workspaceFolder !== undefined ? path.relative(workspaceFolder, path.dirname(file)) : path.dirname(file);
    return { label: path.basename(file), description: relativeDir === '' ? '.' : relativeDir, filePath: file };
  });
}
