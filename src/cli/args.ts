// Command-line parsing for wasi-debug: subcommands, options with `--opt value` / `--opt=value`, and the guest's own arguments.

/** A mistake on the command line; the CLI prints it with a pointer to --help and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface Volume {
  hostPath: string;
  guestPath: string;
  readOnly: boolean;
}

export interface RunOptions {
  command: 'run';
  module: string;
  guestArgs: string[];
  dirs: string[];
  /** --mapdir GUEST:HOST */
  mapDirs: Array<{ guestPath: string; hostPath: string }>;
  volumes: Volume[];
  env: Array<[string, string]>;
  forwardHostEnv: boolean;
  invoke?: string;
  cwd?: string;
  argv0?: string;
  trace: boolean;
}

export interface LaunchOptions {
  command: 'launch';
  config?: string;
  name?: string;
  /** The workspace folder (${workspaceFolder}); default: the current directory. */
  cwd?: string;
  trace: boolean;
}

export type CliCommand =
  | RunOptions
  | LaunchOptions
  | { command: 'help'; topic?: 'run' | 'launch' }
  | { command: 'version' };

const RUN_VALUE_OPTIONS = new Set(['--dir', '--mapdir', '--volume', '--env', '--invoke', '--cwd', '--argv0']);
const RUN_FLAGS = new Set(['--forward-host-env', '--trace']);
const LAUNCH_VALUE_OPTIONS = new Set(['--config', '--name', '--cwd']);
const LAUNCH_FLAGS = new Set(['--trace']);
const SHORT_ALIASES: Record<string, string> = { '-e': '--env', '-v': '--volume', '-i': '--invoke' };

export function parseCommandLine(argv: readonly string[]): CliCommand {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    const topic = rest[0] === 'run' || rest[0] === 'launch' ? rest[0] : undefined;
    return { command: 'help', topic };
  }
  if (first === '--version' || first === '-V') return { command: 'version' };
  if (first === 'run') return parseRun(rest);
  if (first === 'launch') return parseLaunch(rest);
  if (first.endsWith('.wasm')) {
    throw new UsageError(`missing subcommand: to run a module, use \`wasi-debug run ${first}\``);
  }
  throw new UsageError(`unknown command "${first}" — the commands are \`run\` and \`launch\``);
}

interface Scanned {
  values: Array<[string, string]>;
  flags: Set<string>;
  positionals: string[];
  help: boolean;
}

/**
 * Options come first; the first positional (the module, for `run`) ends them, and everything after it
 * belongs to the guest — as with wasmtime, `wasi-debug run app.wasm --help` passes --help to the app.
 * `--` also ends the options, before the module or right after it.
 */
function scan(args: readonly string[], valueOptions: Set<string>, flags: Set<string>, stopAtFirstPositional: boolean): Scanned {
  const result: Scanned = { values: [], flags: new Set(), positionals: [], help: false };
  let index = 0;
  while (index < args.length) {
    const arg = args[index];
    if (arg === '--') {
      result.positionals.push(...args.slice(index + 1));
      return result;
    }
    if (arg === '--help' || arg === '-h') {
      result.help = true;
      index++;
      continue;
    }
    if (arg.startsWith('-') && arg !== '-') {
      const equals = arg.indexOf('=');
      const rawName = equals > 0 && arg.startsWith('--') ? arg.slice(0, equals) : arg;
      const name = SHORT_ALIASES[rawName] ?? rawName;
      if (flags.has(name)) {
        if (equals > 0 && arg.startsWith('--')) throw new UsageError(`${name} takes no value`);
        result.flags.add(name);
        index++;
        continue;
      }
      if (valueOptions.has(name)) {
        let value: string | undefined;
        if (equals > 0 && arg.startsWith('--')) value = arg.slice(equals + 1);
        else {
          value = args[index + 1];
          if (value === undefined) throw new UsageError(`${name} needs a value`);
          index++;
        }
        result.values.push([name, value]);
        index++;
        continue;
      }
      const known = [...valueOptions, ...flags].sort().join(', ');
      throw new UsageError(`unknown option ${rawName} (options: ${known}, --help)`);
    }
    if (stopAtFirstPositional) {
      result.positionals.push(...args.slice(index));
      return result;
    }
    result.positionals.push(arg);
    index++;
  }
  return result;
}

function parseRun(args: readonly string[]): CliCommand {
  const scanned = scan(args, RUN_VALUE_OPTIONS, RUN_FLAGS, true);
  if (scanned.help) return { command: 'help', topic: 'run' };
  const [module, ...rest] = scanned.positionals;
  // `run app.wasm -- --flag`: a `--` right after the module only separates (wasmer's form); a later one is the guest's.
  const guestArgs = rest[0] === '--' ? rest.slice(1) : rest;
  if (module === undefined) throw new UsageError('run needs a module: wasi-debug run [options] module.wasm [--] [args…]');
  const options: RunOptions = {
    command: 'run',
    module,
    guestArgs,
    dirs: [],
    mapDirs: [],
    volumes: [],
    env: [],
    forwardHostEnv: scanned.flags.has('--forward-host-env'),
    trace: scanned.flags.has('--trace'),
  };
  for (const [name, value] of scanned.values) {
    switch (name) {
      case '--dir':
        if (value === '') throw new UsageError('--dir needs a host directory');
        if (value.includes('::')) options.mapDirs.push(parseDirWithGuest(value));
        else options.dirs.push(value);
        break;
      case '--mapdir':
        options.mapDirs.push(parseMapDir(value));
        break;
      case '--volume':
        options.volumes.push(parseVolume(value));
        break;
      case '--env':
        options.env.push(parseEnv(value));
        break;
      case '--invoke':
        options.invoke = nonEmpty(name, value);
        break;
      case '--cwd':
        options.cwd = nonEmpty(name, value);
        break;
      case '--argv0':
        options.argv0 = value;
        break;
    }
  }
  return options;
}

function parseLaunch(args: readonly string[]): CliCommand {
  const scanned = scan(args, LAUNCH_VALUE_OPTIONS, LAUNCH_FLAGS, false);
  if (scanned.help) return { command: 'help', topic: 'launch' };
  if (scanned.positionals.length > 0) {
    throw new UsageError(`launch takes no arguments (got "${scanned.positionals[0]}"); the configuration says what to run — use --name to pick one`);
  }
  const options: LaunchOptions = { command: 'launch', trace: scanned.flags.has('--trace') };
  for (const [name, value] of scanned.values) {
    if (name === '--config') options.config = nonEmpty(name, value);
    else if (name === '--name') options.name = value;
    else if (name === '--cwd') options.cwd = nonEmpty(name, value);
  }
  return options;
}

function nonEmpty(name: string, value: string): string {
  if (value === '') throw new UsageError(`${name} needs a non-empty value`);
  return value;
}

/** GUEST:HOST (wasmer's --mapdir). The guest part never contains ':'; the host part may (a Windows drive). */
export function parseMapDir(value: string): { guestPath: string; hostPath: string } {
  const colon = value.indexOf(':');
  if (colon <= 0 || colon === value.length - 1) {
    throw new UsageError(`--mapdir "${value}": expected GUEST:HOST, e.g. --mapdir /data:./data`);
  }
  return { guestPath: value.slice(0, colon), hostPath: value.slice(colon + 1) };
}

/** HOST::GUEST (wasmtime's --dir form): the same mount as --mapdir GUEST:HOST; GUEST keeps its spelling as the preopen name. */
function parseDirWithGuest(value: string): { guestPath: string; hostPath: string } {
  const separator = value.indexOf('::');
  const hostPath = value.slice(0, separator);
  const guestPath = value.slice(separator + 2);
  if (hostPath === '' || guestPath === '') {
    throw new UsageError(`--dir "${value}": expected HOSTDIR or HOSTDIR::GUEST, e.g. --dir ./data::/data`);
  }
  return { guestPath, hostPath };
}

/** HOST:GUEST or HOST:GUEST:ro / :rw (Docker-style, as wasmer's --volume). */
export function parseVolume(value: string): Volume {
  let rest = value;
  let readOnly = false;
  const mode = /:(ro|rw)$/.exec(rest);
  if (mode) {
    readOnly = mode[1] === 'ro';
    rest = rest.slice(0, mode.index);
  }
  const colon = rest.lastIndexOf(':');
  // A drive letter ("C:\x") is not a separator: the guest path always starts with '/'.
  if (colon <= 0 || !rest.slice(colon + 1).startsWith('/')) {
    throw new UsageError(`--volume "${value}": expected HOST:GUEST[:ro], with an absolute guest path, e.g. --volume ./data:/data:ro`);
  }
  return { hostPath: rest.slice(0, colon), guestPath: rest.slice(colon + 1), readOnly };
}

export function parseEnv(value: string): [string, string] {
  const equals = value.indexOf('=');
  if (equals <= 0) throw new UsageError(`--env "${value}": expected KEY=VALUE, e.g. --env RUST_LOG=debug`);
  return [value.slice(0, equals), value.slice(equals + 1)];
}
