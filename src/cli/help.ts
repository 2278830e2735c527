// The CLI's --help texts and --version.
import * as fs from 'node:fs';
import * as path from 'node:path';

const EXIT_STATUS = `Exit status:
  the guest's exit code   _start returned (0) or the module called proc_exit(code)
  134                     the module trapped (the trap and its wasm stack are printed to stderr)
  130                     interrupted (Ctrl+C / SIGTERM)
  141                     stdout was closed by its reader (as in \`| head\`): the module was stopped
  2                       bad command line, unreadable or invalid module, bad launch configuration,
                          or the module could not start (unknown import, missing entry function)`;

export const RUN_HELP = `Usage: wasi-debug run [options] module.wasm [--] [guest args…]

Runs a WASI preview1 (or 32-bit WASIX) module in a worker thread, with this process's stdin, stdout and stderr.
Everything after the module is passed to the guest as its arguments; a -- right after the module only
separates (wasi-debug run app.wasm -- --help passes --help to app.wasm). argv[0] is the module path as given.
The guest's / is an in-memory filesystem, preopened as fd 3; host directories are mounted into it. With no
directory option and no --cwd a preview1 module has no filesystem at all, as under wasmtime (fd 3 is not
open); a WASIX module always gets / at fd 3, as under Wasmer.

Options:
  --dir HOSTDIR              mount HOSTDIR at the guest path it is given with ("data" → /data),
                             read, write and create allowed
  --dir HOSTDIR::GUEST       mount HOSTDIR at guest path GUEST (wasmtime's form; same as --mapdir GUEST:HOSTDIR)
  --mapdir GUEST:HOST        mount host directory HOST at guest path GUEST (read, write, create)
  --volume HOST:GUEST[:ro]   mount HOST at GUEST; ":ro" makes it read-only (":rw" is the default)   [-v]
  --env KEY=VALUE            set an environment variable (repeatable)                              [-e]
  --forward-host-env         pass this process's environment to the guest (--env wins on conflicts)
  --invoke FN                call the exported function FN instead of _start                       [-i]
  --cwd DIR                  the guest's current directory (created in the filesystem if missing)
  --argv0 NAME               the program name the guest sees as argv[0] (default: the module path)
  --trace                    print every WASI call with its arguments, result and duration to stderr
  -h, --help                 this help

Examples:
  wasi-debug run hello.wasm
  wasi-debug run --dir . --env RUST_LOG=debug tool.wasm -- --verbose input.txt
  wasi-debug run --volume ./data:/data:ro --cwd /data grep.wasm pattern file.txt
  printf 'a\\nb\\n' | wasi-debug run echo.wasm

${EXIT_STATUS}
`;

export const LAUNCH_HELP = `Usage: wasi-debug launch [--config FILE] [--name NAME] [--cwd DIR] [--trace]

Runs a "wasi" configuration from a VS Code launch.json exactly as F5 would (same fields, same checks,
same runtime), without the debugger. The file may contain comments and trailing commas.

Options:
  --config FILE   the launch.json to read (default: DIR/.vscode/launch.json)
  --name NAME     the configuration to run (default: the first one of "type": "wasi")
  --cwd DIR       the workspace folder: \${workspaceFolder}, and the base of relative paths
                  (default: the folder that holds .vscode/, else the current directory)
  --trace         print every WASI call to stderr (as "trace": true does)
  -h, --help      this help

Variables: \${workspaceFolder}, \${workspaceFolderBasename}, \${env:NAME}, \${userHome}, \${pathSeparator}.
"stopOnEntry" is ignored (there is no debugger); "stdin"/"stdout"/"stderr" set to "console" use this
process's streams.

${EXIT_STATUS}
`;

export const MAIN_HELP = `Usage: wasi-debug <command> [options]

Runs WASI preview1 and 32-bit WASIX WebAssembly modules with the runtime of the wasi-debug VS Code extension.

Commands:
  run [options] module.wasm [--] [args…]   run a module (wasi-debug run --help)
  launch [--name NAME] [--config FILE]     run a launch.json configuration (wasi-debug launch --help)

Options:
  -h, --help      show help (also: wasi-debug help run, wasi-debug help launch)
  -V, --version   print the version

${EXIT_STATUS}
`;

/** The version from the package.json above this file (dist/cli.js or out/src/cli.js). */
export function packageVersion(): string {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'wasi-debug' && manifest.version) return manifest.version;
    } catch {
      // not here; look one folder up
    }
    dir = path.dirname(dir);
  }
  return 'unknown';
}
