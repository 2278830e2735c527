// Extension entry point: the one place that wires VS Code to the debug adapter, the configuration provider and the views.
import * as vscode from 'vscode';

export function activate(_context: vscode.ExtensionContext): void {
  // Wired up by the debug adapter and tree view work.
}

export function deactivate(): void {}
