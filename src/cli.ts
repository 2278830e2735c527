// The wasi-debug command line: runs a module or a launch configuration through the same worker runtime as F5.
//
//   wasi-debug run [options] module.wasm [--] [guest args…]
//   wasi-debug launch [--config .vscode/launch.json] [--name NAME] [--cwd DIR]
//
// See src/cli/help.ts for every option and the exit statuses.
import { discardPrestartedWorker } from './cli/prestart'; // first: boots the worker thread while the rest loads
import { WasiStateCreationError } from './builder';
import { LaunchConfigError } from './debug/launchConfig';
import { parseCommandLine, UsageError } from './cli/args';
import { LAUNCH_HELP, MAIN_HELP, RUN_HELP, packageVersion } from './cli/help';
import { launchCommand } from './cli/launchCommand';
import { EXIT_USAGE } from './cli/processStdio';
import { runCommand } from './cli/runCommand';

async function main(argv: string[]): Promise<number> {
  const command = parseCommandLine(argv);
  switch (command.command) {
    case 'help':
      process.stdout.write(command.topic === 'run' ? RUN_HELP : command.topic === 'launch' ? LAUNCH_HELP : MAIN_HELP);
      return 0;
    case 'version':
      process.stdout.write(`wasi-debug ${packageVersion()}\n`);
      return 0;
    case 'run':
      return runCommand(command);
    case 'launch':
      return launchCommand(command);
  }
}

function reportFailure(error: unknown): number {
  if (error instanceof UsageError) {
    process.stderr.write(`wasi-debug: error: ${error.message}\n(see wasi-debug --help)\n`);
  } else if (error instanceof WasiStateCreationError || error instanceof LaunchConfigError) {
    process.stderr.write(`wasi-debug: error: ${error.message}\n`);
  } else {
    process.stderr.write(`wasi-debug: internal error: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    return 70; // EX_SOFTWARE: a bug in wasi-debug, not in the user's input
  }
  return EXIT_USAGE;
}

main(process.argv.slice(2)).then(
  (status) => process.exit(status),
  (error: unknown) => {
    discardPrestartedWorker();
    process.exit(reportFailure(error));
  },
);
