// Extension entry point: the one place that wires VS Code to the debug adapter, the configuration provider and the views.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatTraceRecord, type WasiTraceEventBody } from './debug/consoleText';
import { DEBUG_TYPE, isWasmPath, launchConfigurationFor } from './debug/configurationDecisions';
import {
  activeEditorFile,
  findWorkspaceWasmFiles,
  pickWasmFile,
  pickWasmFileCommand,
  registerConfigurationProviders,
} from './debug/configurationProvider';
import { SEND_EOF_REQUEST, TRACE_EVENT, WasiDebugSession } from './debug/session';
import { registerVfsViews, type VfsViews } from './views/index';

export function activate(context: vscode.ExtensionContext): void {
  const views = registerVfsViews(context);
  const traceChannel = vscode.window.createOutputChannel('WASI Trace');
  context.subscriptions.push(traceChannel);
  // Trace lines carry the session's name only when several wasi sessions run at once.
  const runningSessions = new Set<string>();

  context.subscriptions.push(
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, new InlineAdapterFactory(context, views)),
  );
  registerConfigurationProviders(context);

  context.subscriptions.push(
    vscode.debug.onDidReceiveDebugSessionCustomEvent((event) => {
      if (event.session.type !== DEBUG_TYPE || event.event !== TRACE_EVENT) return;
      const body = event.body as WasiTraceEventBody | undefined;
      if (body === undefined || !Array.isArray(body.records) || body.records.length === 0) return;
      const prefix = runningSessions.size > 1 ? `[${event.session.name}] ` : '';
      traceChannel.append(body.records.map((record) => prefix + formatTraceRecord(record) + '\n').join(''));
    }),
    vscode.debug.onDidStartDebugSession((session) => {
      if (session.type !== DEBUG_TYPE) return;
      runningSessions.add(session.id);
      if (session.configuration.trace === true) {
        traceChannel.appendLine(`--- ${session.name}: syscall trace ---`);
        traceChannel.show(true);
      }
    }),
    vscode.debug.onDidTerminateDebugSession((session) => {
      if (session.type !== DEBUG_TYPE) return;
      runningSessions.delete(session.id);
      views.sessionEnded(session.id);
    }),
    vscode.commands.registerCommand('wasi-debug.runWasm', (resource?: vscode.Uri) => startModule(resource, true)),
    vscode.commands.registerCommand('wasi-debug.debugWasm', (resource?: vscode.Uri) => startModule(resource, false)),
    vscode.commands.registerCommand('wasi-debug.pickWasmFile', pickWasmFileCommand),
    vscode.commands.registerCommand('wasi-debug.sendEOF', sendEof),
  );
}

export function deactivate(): void {}

/** Runs each debug session's adapter inside the extension host: the module's worker is a worker of this host. */
class InlineAdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly views: VfsViews,
  ) {}

  createDebugAdapterDescriptor(session: vscode.DebugSession): vscode.DebugAdapterDescriptor {
    const adapter = new WasiDebugSession({
      workspaceFolder: session.workspaceFolder?.uri.fsPath ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
      hostEnv: process.env,
      workerPath: path.join(this.context.extensionPath, 'dist', 'worker.js'),
      traceOutput: 'event',
      // The streams as the launch resolved them (host paths absolute): the view shows and opens them.
      onProcessStarted: (child, launch) =>
        this.views.addSession(session.id, launch.name || session.name, child, { stdin: launch.init.stdin, stdout: launch.init.stdout, stderr: launch.init.stderr }),
    });
    return new vscode.DebugAdapterInlineImplementation(adapter);
  }
}

/** Run / Debug WASI Module: the Explorer or editor-title resource, else the active editor's file, else a pick. */
async function startModule(resource: vscode.Uri | undefined, noDebug: boolean): Promise<void> {
  let target = resource ?? activeEditorFile();
  if (target === undefined || target.scheme !== 'file' || !isWasmPath(target.fsPath)) {
    const folder = vscode.workspace.workspaceFolders?.[0];
    const chosen = await pickWasmFile(await findWorkspaceWasmFiles(), folder?.uri.fsPath);
    if (chosen === undefined) return;
    target = vscode.Uri.file(chosen);
  }
  const folder = vscode.workspace.getWorkspaceFolder(target);
  const config = launchConfigurationFor(target.fsPath, folder?.uri.fsPath, { noDebug });
  await vscode.debug.startDebugging(folder, config, { noDebug });
}

/** WASI: Send EOF to Program — closes stdin of the active (or the only running) wasi session. */
async function sendEof(): Promise<void> {
  const active = vscode.debug.activeDebugSession;
  const session = active?.type === DEBUG_TYPE ? active : undefined;
  if (session === undefined) {
    void vscode.window.showWarningMessage('WASI: no WASI debug session is active, so there is no stdin to close.');
    return;
  }
  try {
    await session.customRequest(SEND_EOF_REQUEST);
  } catch (error) {
    void vscode.window.showWarningMessage(error instanceof Error ? error.message : String(error));
  }
}
