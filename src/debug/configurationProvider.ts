// VS Code side of launch configurations: F5 without launch.json, initial and dynamic configurations, the .wasm picker.
//
// The decisions live in configurationDecisions.ts; this file only gathers facts from VS Code and acts.
import * as vscode from 'vscode';
import {
  DEBUG_TYPE,
  decideResolve,
  dynamicConfigurations,
  initialConfigurations,
  launchConfigurationFor,
  pickItems,
} from './configurationDecisions';

const WASM_GLOB = '**/*.wasm';
const EXCLUDE_GLOB = '{**/node_modules/**,**/.git/**}';
const MAX_WASM_FILES = 500;

/** The .wasm files of one workspace folder (or of all folders), as absolute paths. */
export async function findWorkspaceWasmFiles(folder?: vscode.WorkspaceFolder): Promise<string[]> {
  const include = folder !== undefined ? new vscode.RelativePattern(folder, WASM_GLOB) : WASM_GLOB;
  const uris = await vscode.workspace.findFiles(include, EXCLUDE_GLOB, MAX_WASM_FILES);
  return uris.filter((uri) => uri.scheme === 'file').map((uri) => uri.fsPath);
}

/** The file shown in the active editor tab, whatever editor shows it (a .wasm usually opens in a binary/custom editor). */
export function activeEditorFile(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (
    input instanceof vscode.TabInputText ||
    input instanceof vscode.TabInputCustom ||
    input instanceof vscode.TabInputNotebook
  ) {
    return input.uri;
  }
  return vscode.window.activeTextEditor?.document.uri;
}

/** Lets the user choose one of the given .wasm files; undefined when dismissed. */
export async function pickWasmFile(files: readonly string[], folder: string | undefined): Promise<string | undefined> {
  if (files.length === 0) {
    void vscode.window.showErrorMessage('WASI: no .wasm file was found in this workspace.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(pickItems(files, folder), {
    title: 'WASI: choose the WebAssembly module to run',
    placeHolder: 'a .wasm file of the workspace',
    matchOnDescription: true,
  });
  return picked?.filePath;
}

/** The `${command:wasi-debug.pickWasmFile}` variable: a .wasm of the workspace, chosen by the user. */
export async function pickWasmFileCommand(): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  return pickWasmFile(await findWorkspaceWasmFiles(), folder?.uri.fsPath);
}

export class WasiConfigurationProvider implements vscode.DebugConfigurationProvider {
  async provideDebugConfigurations(folder: vscode.WorkspaceFolder | undefined): Promise<vscode.DebugConfiguration[]> {
    return initialConfigurations(await findWorkspaceWasmFiles(folder), folder?.uri.fsPath);
  }

  async resolveDebugConfiguration(
    folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): Promise<vscode.DebugConfiguration | undefined> {
    const folderPath = folder?.uri.fsPath;
    const active = activeEditorFile();
    const decision = await decideResolve(config, {
      activeFile: active?.scheme === 'file' ? active.fsPath : undefined,
      workspaceFolder: folderPath,
      findWasmFiles: () => findWorkspaceWasmFiles(folder),
    });
    switch (decision.kind) {
      case 'launch':
        return decision.config;
      case 'pick': {
        const chosen = await pickWasmFile(decision.candidates, folderPath);
        // undefined aborts the launch silently: the user dismissed the picker.
        return chosen !== undefined ? launchConfigurationFor(chosen, folderPath, { noDebug: config.noDebug === true }) : undefined;
      }
      case 'cancel':
        void vscode.window.showInformationMessage(decision.message);
        return undefined;
    }
  }
}

/** Lists one configuration per .wasm of the folder in the Run and Debug drop-down. */
export class WasiDynamicConfigurationProvider implements vscode.DebugConfigurationProvider {
  async provideDebugConfigurations(folder: vscode.WorkspaceFolder | undefined): Promise<vscode.DebugConfiguration[]> {
    return dynamicConfigurations(await findWorkspaceWasmFiles(folder), folder?.uri.fsPath);
  }
}

export function registerConfigurationProviders(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new WasiConfigurationProvider()),
    vscode.debug.registerDebugConfigurationProvider(
      DEBUG_TYPE,
      new WasiDynamicConfigurationProvider(),
      vscode.DebugConfigurationProviderTriggerKind.Dynamic,
    ),
  );
}
