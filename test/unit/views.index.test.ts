// Unit test of registerVfsViews, the entry point extension.ts calls: what it registers, the context key the view's
// `when` clause reads, and that disposing the extension context releases everything.

import './vscodeStub/register';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { testHooks } from './vscodeStub/vscode';
import { registerVfsViews, VIEW_CONTEXT_KEY } from '../../src/views/index';
import { COMMANDS } from '../../src/views/vfsCommands';
import { FakeProcess, MemoryVfs } from './viewsSupport/memoryVfs';

test('registerVfsViews registers the view, provider and commands; addSession sets the context key; dispose releases all', async () => {
  testHooks.reset();
  const subscriptions: { dispose(): unknown }[] = [];
  const context = { subscriptions } as unknown as vscode.ExtensionContext;
  const views = registerVfsViews(context);
  assert.equal(testHooks.contexts.get(VIEW_CONTEXT_KEY), undefined, 'hidden until a session ran');

  const vfs = new MemoryVfs();
  vfs.guestWrite('/hello.txt', 'hi');
  vfs.flushChanges();
  const process = new FakeProcess(vfs);
  views.addSession('s1', 'hello.wasm', process);
  await new Promise((r) => setImmediate(r));
  assert.equal(testHooks.contexts.get(VIEW_CONTEXT_KEY), true);
  assert.equal(vfs.listenerCount, 1, 'the session is followed');

  // The commands are registered: copying the root's guest path works through the command.
  await vscode.commands.executeCommand(COMMANDS.copyGuestPath);
  assert.equal(testHooks.clipboard, '/', 'with one session and nothing selected, commands act on its root');

  views.sessionEnded('s1');
  process.exit({ kind: 'exit', code: 0 });
  for (const s of subscriptions) s.dispose();
  assert.equal(vfs.listenerCount, 0, 'disposing the context stops following');
  await assert.doesNotReject(async () => {
    // Registering again works: every command id was released.
    const again: { dispose(): unknown }[] = [];
    registerVfsViews({ subscriptions: again } as unknown as vscode.ExtensionContext);
    for (const s of again) s.dispose();
  });
});
