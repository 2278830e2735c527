// dist/cli.js, the `wasi-debug` command: starts the runtime worker thread, then loads the command line itself (dist/cliMain.js).
//
// Why a separate file: V8 compiles a whole script before running its first line, and the CLI's bundle takes a few
// milliseconds to compile. This one is tiny, so the worker (tens of milliseconds to boot) starts first and the CLI
// compiles while it boots.
import { handOverEarlyWorker, startWorkerEarly } from './earlyWorker';

handOverEarlyWorker(startWorkerEarly(process.argv.slice(2)));
// Kept external by scripts/build.mjs: the file beside this bundle.
require('./cliMain.js');
