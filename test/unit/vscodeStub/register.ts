// Makes `require('vscode')` load the test double in ./vscode, the way the extension host provides the real module.
// Import this first in a test file that loads anything from src/views.

import Module = require('node:module');
import * as path from 'node:path';

const stubPath = path.join(__dirname, 'vscode.js');
type Resolve = (request: string, ...rest: unknown[]) => string;
const moduleWithResolve = Module as unknown as { _resolveFilename: Resolve };
const original = moduleWithResolve._resolveFilename;
moduleWithResolve._resolveFilename = function (request: string, ...rest: unknown[]): string {
  return request === 'vscode' ? stubPath : original.call(this, request, ...rest);
};
