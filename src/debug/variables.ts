// Expansion of VS Code's ${…} variables in a launch configuration, for the CLI (VS Code expands them itself).
import * as path from 'node:path';
import { LaunchConfigError } from './launchConfigError';

/** The values the CLI can offer for VS Code's predefined variables. */
export interface SubstitutionVariables {
  /** Absolute path of the folder holding `.vscode/launch.json`; `${workspaceFolder}` fails without it. */
  workspaceFolder?: string;
  /** For `${env:NAME}`; an unset variable expands to "" as in VS Code. */
  env: Record<string, string | undefined>;
  /** For `${userHome}`. */
  userHome?: string;
  /** For `${pathSeparator}` and `${/}`; defaults to this platform's separator. */
  pathSeparator?: string;
}

/** The variables the CLI expands, as the error message lists them. */
export const SUPPORTED_VARIABLES = ['${workspaceFolder}', '${workspaceFolderBasename}', '${env:NAME}', '${userHome}', '${pathSeparator}'] as const;

const VARIABLE = /\$\{([^}]*)\}/g;

/** `args[0]`, `env.HOME`, `preopens[1].host`: the location of a value, as LaunchConfigError.field. */
function fieldPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (parent === '') return key;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

function expandOne(name: string, field: string, vars: SubstitutionVariables): string {
  const needsFolder = (): string => {
    if (vars.workspaceFolder === undefined) {
      throw new LaunchConfigError(field, `\${${name}} needs a workspace folder, and there is none — open a folder, or use an absolute path`);
    }
    return vars.workspaceFolder;
  };
  if (name === 'workspaceFolder') return needsFolder();
  if (name === 'workspaceFolderBasename') return path.basename(needsFolder());
  if (name === 'userHome') {
    if (vars.userHome === undefined) throw new LaunchConfigError(field, '${userHome} is not known here — use an absolute path');
    return vars.userHome;
  }
  if (name === 'pathSeparator' || name === '/') return vars.pathSeparator ?? path.sep;
  if (name.startsWith('env:')) return vars.env[name.slice(4)] ?? '';
  const supported = SUPPORTED_VARIABLES.join(', ');
  if (/^(command|input|config):/.test(name)) {
    throw new LaunchConfigError(field, `\${${name}} can only be expanded by VS Code itself — outside VS Code write the value instead (supported here: ${supported})`);
  }
  throw new LaunchConfigError(field, `unknown variable \${${name}} — use one of ${supported}, or write the value instead`);
}

function substituteValue(value: unknown, field: string, vars: SubstitutionVariables): unknown {
  if (typeof value === 'string') return value.replace(VARIABLE, (_match, name: string) => expandOne(name, field, vars));
  if (Array.isArray(value)) return value.map((item, index) => substituteValue(item, fieldPath(field, index), vars));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substituteValue(item, fieldPath(field, key), vars)]));
  }
  return value;
}

/**
 * A copy of `config` with VS Code's predefined variables expanded in every string value (keys are left
 * alone, as VS Code does). An unknown or VS Code-only variable is a LaunchConfigError naming the field.
 */
export function substituteVariables<T>(config: T, vars: SubstitutionVariables): T {
  return substituteValue(config, '', vars) as T;
}
