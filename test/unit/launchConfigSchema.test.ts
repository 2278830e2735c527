// One source of truth: the launch.json schema in package.json and the fields resolveLaunchConfig accepts must not drift.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  LAUNCH_CONFIG_FIELDS,
  RUNTIME_SUPPORTED_FEATURES,
  resolveLaunchConfig,
  substituteVariables,
  type RuntimeFeature,
} from '../../src/debug/launchConfig';
import { wasmWithExports } from './launchConfigFixtures';

interface PropertySchema {
  type?: string | string[];
  description?: string;
  markdownDescription?: string;
  default?: unknown;
  examples?: unknown[];
  items?: { enum?: string[] };
}

const packageJson = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: { debuggers: Array<{ type: string; configurationAttributes: { launch: { required: string[]; properties: Record<string, PropertySchema> } } }> };
};
const debuggerEntry = packageJson.contributes.debuggers[0]!;
const launchSchema = debuggerEntry.configurationAttributes.launch;
const properties = launchSchema.properties;

const ALL_FEATURES: RuntimeFeature[] = ['uses', 'mapCommands', 'threads', 'imports', 'journal', 'snapshotOn'];
/** Fields that only make sense with another one; added when a field's example or default is tried alone. */
const COMPANIONS: Record<string, Record<string, unknown>> = {
  maxThreads: { threads: true },
  snapshotInterval: { snapshotOn: ['periodicInterval'] },
};
/** Which feature gates which field. */
const FEATURE_OF_FIELD: Record<string, RuntimeFeature> = {
  uses: 'uses',
  mapCommands: 'mapCommands',
  threads: 'threads',
  imports: 'imports',
  journal: 'journal',
  snapshotOn: 'snapshotOn',
  snapshotInterval: 'snapshotOn',
};

/** A workspace holding every file and directory the schema's examples and defaults refer to. */
function exampleWorkspace(): string {
  const ws = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'wasi-schema-')));
  const module = wasmWithExports(['_start', 'main']);
  for (const wasm of ['hello.wasm', 'app.wasm', 'build/app.wasm', 'tools/ls.wasm']) {
    fs.mkdirSync(path.dirname(path.join(ws, wasm)), { recursive: true });
    fs.writeFileSync(path.join(ws, wasm), module);
  }
  for (const dir of ['data', 'out', 'rootfs', 'host']) fs.mkdirSync(path.join(ws, dir), { recursive: true });
  fs.writeFileSync(path.join(ws, '.env'), 'A=1\n');
  fs.writeFileSync(path.join(ws, 'input.txt'), 'input\n');
  fs.writeFileSync(path.join(ws, 'host', 'env.js'), 'module.exports = {};\n');
  return ws;
}

const ws = exampleWorkspace();
after(() => fs.rmSync(ws, { recursive: true, force: true }));

function resolveWith(field: string, value: unknown, features: readonly RuntimeFeature[] = ALL_FEATURES) {
  const config = substituteVariables(
    { type: 'wasi', request: 'launch', name: 'example', program: '${workspaceFolder}/hello.wasm', ...COMPANIONS[field], [field]: value },
    { workspaceFolder: ws, env: {} },
  );
  return resolveLaunchConfig(config, { workspaceFolder: ws, hostEnv: {}, runtimeFeatures: features });
}

function matchesType(value: unknown, type: string): boolean {
  switch (type) {
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    case 'null':
      return value === null;
    default:
      return typeof value === type;
  }
}

test('the schema\'s properties are exactly the fields the mapper accepts', () => {
  assert.equal(debuggerEntry.type, 'wasi');
  assert.deepEqual(Object.keys(properties).sort(), [...LAUNCH_CONFIG_FIELDS].sort());
  assert.deepEqual(launchSchema.required, ['program']);
});

test('every property is documented (description and markdownDescription)', () => {
  for (const [field, schema] of Object.entries(properties)) {
    assert.ok(typeof schema.description === 'string' && schema.description.length > 20, `${field} needs a description`);
    assert.ok(typeof schema.markdownDescription === 'string' && schema.markdownDescription.length > 20, `${field} needs a markdownDescription`);
  }
});

test('every example and default has the declared type and is accepted by the mapper', () => {
  let tried = 0;
  for (const [field, schema] of Object.entries(properties)) {
    const values = [...(schema.examples ?? []), ...('default' in schema ? [schema.default] : [])];
    assert.ok(values.length > 0, `${field} needs an example or a default`);
    for (const value of values) {
      if (typeof schema.type === 'string') assert.ok(matchesType(value, schema.type), `${field}: ${JSON.stringify(value)} is not of type ${schema.type}`);
      assert.doesNotThrow(() => resolveWith(field, value), `${field}: ${JSON.stringify(value)} should be accepted`);
      tried++;
    }
  }
  assert.ok(tried >= 50, `only ${tried} examples and defaults tried`);
});

test('every snapshot trigger of the schema\'s enum is accepted by the mapper', () => {
  const triggers = properties.snapshotOn?.items?.enum ?? [];
  assert.equal(triggers.length, 10);
  for (const trigger of triggers) {
    const config = trigger === 'periodicInterval' ? { snapshotInterval: 10 } : {};
    const launch = resolveLaunchConfig(
      { program: path.join(ws, 'hello.wasm'), snapshotOn: [trigger], ...config },
      { hostEnv: {}, runtimeFeatures: ALL_FEATURES },
    );
    assert.deepEqual(launch.init.snapshotOn, [trigger]);
  }
});

test('fields the runtime does not support yet say so in the schema, and supported ones do not', () => {
  for (const [field, feature] of Object.entries(FEATURE_OF_FIELD)) {
    const description = properties[field]?.description ?? '';
    const supported = RUNTIME_SUPPORTED_FEATURES.includes(feature);
    assert.equal(description.includes('Not supported by the runtime yet'), !supported, `${field}: description and runtime support disagree`);
  }
});

test('with today\'s runtime, each unsupported field\'s example is refused with "not supported yet"', () => {
  for (const [field, feature] of Object.entries(FEATURE_OF_FIELD)) {
    if (RUNTIME_SUPPORTED_FEATURES.includes(feature) || field === 'snapshotInterval') continue;
    const example = field === 'threads' ? true : properties[field]?.examples?.[0];
    assert.throws(() => resolveWith(field, example, RUNTIME_SUPPORTED_FEATURES), {
      name: 'LaunchConfigError',
      message: `launch.json ${field}: is not supported yet by the runtime — remove it from the configuration`,
    });
  }
});
