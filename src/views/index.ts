// Entry point of the views: registers the "WASI Filesystem" tree, the wasi-vfs: file system provider and their commands.

import * as vscode from 'vscode';
import type { WasiProcessHandle } from '../runtime/api';
import { SessionRegistry } from './sessions';

export interface VfsViews {
  /** A wasi debug session started its process: show its filesystem (ended sessions make room for it). */
  addSession(sessionId: string, label: string, process: WasiProcessHandle): void;
  /** The debug session terminated: keep its filesystem visible, marked as ended, until the next launch or Clear. */
  sessionEnded(sessionId: string): void;
}

export function registerVfsViews(context: vscode.ExtensionContext): VfsViews {
  const sessions = new SessionRegistry();
  context.subscriptions.push({ dispose: () => sessions.dispose() });
  return {
    addSession: (sessionId, label, process) => {
      sessions.add(sessionId, label, process);
    },
    sessionEnded: (sessionId) => sessions.ended(sessionId),
  };
}
