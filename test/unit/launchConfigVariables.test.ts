// Unit tests of substituteVariables: the CLI's expansion of VS Code's ${…} variables in a launch configuration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { LaunchConfigError, substituteVariables } from '../../src/debug/launchConfig';

const vars = { workspaceFolder: '/home/u/proj', env: { HOME: '/home/u', EMPTY: '' }, userHome: '/home/u', pathSeparator: '/' };

function expectSubstitutionError(config: unknown, field: string, message: string, variables = vars): void {
  assert.throws(() => substituteVariables(config, variables), (error: unknown) => {
    assert.ok(error instanceof LaunchConfigError);
    assert.equal(error.field, field);
    assert.equal(error.message, message);
    return true;
  });
}

test('every supported variable is expanded in every string value, nested too; keys and non-strings are untouched', () => {
  const config = {
    program: '${workspaceFolder}/build/app.wasm',
    name: 'Run ${workspaceFolderBasename}',
    args: ['${env:HOME}', '[${env:MISSING}]', '${userHome}${pathSeparator}x${/}y', 3],
    env: { '${workspaceFolder}': '${env:EMPTY}!' },
    preopens: [{ host: '${workspaceFolder}', guest: '/w', read: true }],
    stopOnEntry: false,
  };
  assert.deepEqual(substituteVariables(config, vars), {
    program: '/home/u/proj/build/app.wasm',
    name: 'Run proj',
    args: ['/home/u', '[]', '/home/u/x/y', 3],
    env: { '${workspaceFolder}': '!' },
    preopens: [{ host: '/home/u/proj', guest: '/w', read: true }],
    stopOnEntry: false,
  });
  assert.equal(config.program, '${workspaceFolder}/build/app.wasm', 'the input is not modified');
});

test('the path separator defaults to the platform\'s', () => {
  assert.equal(substituteVariables('a${pathSeparator}b', { env: {} }), `a${path.sep}b`);
});

test('an unknown variable names the field and lists the supported ones', () => {
  expectSubstitutionError(
    { args: ['ok', '${file}'] },
    'args[1]',
    'launch.json args[1]: unknown variable ${file} — use one of ${workspaceFolder}, ${workspaceFolderBasename}, ${env:NAME}, ${userHome}, ${pathSeparator}, or write the value instead',
  );
  expectSubstitutionError(
    { env: { 'MY VAR': '${cwd}' } },
    'env["MY VAR"]',
    'launch.json env["MY VAR"]: unknown variable ${cwd} — use one of ${workspaceFolder}, ${workspaceFolderBasename}, ${env:NAME}, ${userHome}, ${pathSeparator}, or write the value instead',
  );
});

test('variables only VS Code can expand say so', () => {
  expectSubstitutionError(
    { program: '${command:wasi-debug.pickWasmFile}' },
    'program',
    'launch.json program: ${command:wasi-debug.pickWasmFile} can only be expanded by VS Code itself — outside VS Code write the value instead (supported here: ${workspaceFolder}, ${workspaceFolderBasename}, ${env:NAME}, ${userHome}, ${pathSeparator})',
  );
  expectSubstitutionError(
    { preopens: [{ host: '${input:dir}' }] },
    'preopens[0].host',
    'launch.json preopens[0].host: ${input:dir} can only be expanded by VS Code itself — outside VS Code write the value instead (supported here: ${workspaceFolder}, ${workspaceFolderBasename}, ${env:NAME}, ${userHome}, ${pathSeparator})',
  );
});

test('${workspaceFolder} and ${userHome} without a value are errors, not empty strings', () => {
  expectSubstitutionError(
    { cwd: '/', program: '${workspaceFolder}/a.wasm' },
    'program',
    'launch.json program: ${workspaceFolder} needs a workspace folder, and there is none — open a folder, or use an absolute path',
    { env: {} } as typeof vars,
  );
  expectSubstitutionError({ root: '${userHome}' }, 'root', 'launch.json root: ${userHome} is not known here — use an absolute path', { env: {} } as typeof vars);
});
