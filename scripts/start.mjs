// `npm start`: serves a real VS Code (code-server) on 127.0.0.1 with this extension installed and examples/ open; Ctrl+C stops it all.
//
// Environment: PORT (default: a free port), WASI_DEBUG_CACHE (where code-server is installed once per machine).
import fs from 'node:fs';
import path from 'node:path';
import {
  CODE_SERVER_VERSION, REPO_ROOT, SetupError, cacheRoot, cloneKey, ensureCodeServer, installExtension, packageExtension,
  portIsFree, sessionLayout, startCodeServer, writeUserSettings,
} from './codeServer.mjs';

const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
const log = (m) => console.log(`[wasi-debug start +${elapsed()}] ${m}`);

function parsePort() {
  const raw = process.env.PORT;
  if (raw === undefined || raw === '') return undefined;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new SetupError(`PORT=${raw} is not a TCP port number (1–65535); unset it to pick a free port`);
  }
  return port;
}

async function main() {
  const port = parsePort();
  if (port !== undefined && !(await portIsFree(port))) throw new SetupError(`port ${port} on 127.0.0.1 is in use; choose another with PORT=<n>`);
  const examples = path.join(REPO_ROOT, 'examples');
  if (!fs.existsSync(path.join(examples, '.vscode', 'launch.json'))) throw new SetupError(`${examples}/.vscode/launch.json is missing`);

  const install = await ensureCodeServer({ log });
  if (!install.installedNow) log(`code-server cached in ${install.cache}`);

  // One persistent profile per clone: the user's settings and open editors survive restarts.
  const session = sessionLayout(path.join(cacheRoot(), 'start', cloneKey()));
  writeUserSettings(session);
  const vsix = packageExtension(path.join(session.workDir, 'wasi-debug.vsix'), { log });
  installExtension(install, session, vsix, { log });

  const server = await startCodeServer(install, session, { folder: examples, port, log });
  let stopping = false;
  const shutdown = async (why) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${why}: stopping code-server…`);
    await server.stop();
    console.log('Stopped.');
    process.exit(0);
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => void shutdown(sig));
  server.exited.then((info) => {
    if (stopping) return;
    console.error(`code-server exited unexpectedly (${JSON.stringify(info)}); its log: ${session.log}`);
    void server.stop().then(() => process.exit(1));
  });

  console.log(`
  VS Code (code-server ${CODE_SERVER_VERSION}) is ready after ${elapsed()}:

      ${server.url}

  Open it in a browser, pick an example in Run and Debug, press F5 (see examples/README.md).
  Log: ${session.log}
  Press Ctrl+C to stop.
`);
}

main().catch((e) => {
  console.error(`npm start: cannot start VS Code: ${e instanceof SetupError ? e.message : e.stack ?? e}`);
  process.exit(1);
});
