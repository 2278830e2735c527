// `wasi-debug launch`: reads .vscode/launch.json, picks a `wasi` configuration and runs it as F5 does (same mapping, same runtime).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolveLaunchConfig, substituteVariables } from '../debug/launchConfig';
import type { LaunchOptions } from './args';
import { UsageError } from './args';
import { parseJsonc } from './jsonc';
import { runWithProcessStdio } from './processStdio';

export interface PickedConfiguration {
  configuration: Record<string, unknown>;
  /** The workspace folder ${workspaceFolder} stands for. */
  workspaceFolder: string;
  configPath: string;
}

/** Reads the launch.json and picks the configuration; throws UsageError with what exists when it cannot. */
export function pickConfiguration(options: LaunchOptions, cwd: string): PickedConfiguration {
  const workspace = path.resolve(cwd, options.cwd ?? '.');
  const configPath = options.config ? path.resolve(cwd, options.config) : path.join(workspace, '.vscode', 'launch.json');
  // A launch.json inside a .vscode folder belongs to the folder above it, as in VS Code.
  const workspaceFolder = options.cwd === undefined && path.basename(path.dirname(configPath)) === '.vscode' ? path.dirname(path.dirname(configPath)) : workspace;
  let text: string;
  try {
    text = fs.readFileSync(configPath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT'
        ? `no launch configuration file at ${configPath} — run from the workspace folder, or pass --config path/to/launch.json`
        : `cannot read ${configPath}: ${(error as Error).message}`,
    );
  }
  let document: unknown;
  try {
    document = parseJsonc(text);
  } catch (error) {
    throw new UsageError(`${configPath} is not valid JSON: ${(error as Error).message}`);
  }
  const configurations = (document as { configurations?: unknown } | null)?.configurations;
  if (!Array.isArray(configurations)) throw new UsageError(`${configPath} has no "configurations" list`);
  const wasiConfigs = configurations.filter(
    (c): c is Record<string, unknown> => typeof c === 'object' && c !== null && (c as { type?: unknown }).type === 'wasi',
  );
  if (wasiConfigs.length === 0) {
    throw new UsageError(`${configPath} has no configuration of "type": "wasi" (it has ${configurations.length} other${configurations.length === 1 ? '' : 's'})`);
  }
  if (options.name === undefined) return { configuration: wasiConfigs[0], workspaceFolder, configPath };
  const found = wasiConfigs.find((c) => c.name === options.name);
  if (!found) {
    const names = wasiConfigs.map((c) => (typeof c.name === 'string' ? `"${c.name}"` : '(unnamed)')).join(', ');
    throw new UsageError(`no "wasi" configuration named "${options.name}" in ${configPath}; there are: ${names}`);
  }
  return { configuration: found, workspaceFolder, configPath };
}

export async function launchCommand(options: LaunchOptions): Promise<number> {
  const picked = pickConfiguration(options, process.cwd());
  const expanded = substituteVariables(picked.configuration, {
    workspaceFolder: picked.workspaceFolder,
    env: process.env,
    userHome: os.homedir(),
  });
  const launch = resolveLaunchConfig(expanded, { workspaceFolder: picked.workspaceFolder, hostEnv: process.env });
  if (launch.stopOnEntry && !launch.noDebug) {
    process.stderr.write('wasi-debug: note: "stopOnEntry" needs a debugger; the command line runs without one\n');
  }
  return runWithProcessStdio(launch.init, launch.moduleBytes, {
    modulePath: launch.program,
    trace: options.trace || launch.trace,
    name: `wasi-debug: ${launch.name}`,
  });
}
