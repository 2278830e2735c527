// Checked reading of launch.json values: types, host paths and guest paths, each failure a LaunchConfigError naming the field.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { closestMatch } from './closestMatch';
import { LaunchConfigError } from './launchConfigError';

/** A JSON value as a user would name it in a message: `a number (3)`, `an array`, `null`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return `a string (${JSON.stringify(value)})`;
    case 'number':
      return `a number (${value})`;
    case 'boolean':
      return `${value}`;
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

/** The location of a value inside a field, as LaunchConfigError.field: `env.HOME`, `files["/a b"]`, `args[2]`. */
export function childField(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function expectString(value: unknown, field: string, expected: string): string {
  if (typeof value !== 'string') throw new LaunchConfigError(field, `expected ${expected}, got ${describeValue(value)}`);
  return value;
}

export function expectNonEmptyString(value: unknown, field: string, expected: string): string {
  const text = expectString(value, field, expected);
  if (text === '') throw new LaunchConfigError(field, `is empty — expected ${expected}`);
  return text;
}

export function expectBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw new LaunchConfigError(field, `expected true or false, got ${describeValue(value)}`);
  return value;
}

export function expectArray(value: unknown, field: string, expected: string): unknown[] {
  if (!Array.isArray(value)) throw new LaunchConfigError(field, `expected ${expected}, got ${describeValue(value)}`);
  return value;
}

export function expectObject(value: unknown, field: string, expected: string): Record<string, unknown> {
  if (!isPlainObject(value)) throw new LaunchConfigError(field, `expected ${expected}, got ${describeValue(value)}`);
  return value;
}

export function expectStringArray(value: unknown, field: string, expected: string): string[] {
  return expectArray(value, field, expected).map((item, index) => expectString(item, childField(field, index), 'a string'));
}

/** Refuses keys of an object-valued setting that are not among `known`, suggesting the closest one. */
export function expectOnlyKeys(value: Record<string, unknown>, field: string, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const suggestion = closestMatch(key, known);
    throw new LaunchConfigError(
      childField(field, key),
      suggestion !== undefined
        ? `unknown property — did you mean "${suggestion}"?`
        : `unknown property — the properties are ${known.map((name) => `"${name}"`).join(', ')}`,
    );
  }
}

/** How host paths in a configuration are resolved: against the workspace folder. */
export class HostPaths {
  constructor(private readonly workspaceFolder: string | undefined) {}

  /** An absolute host path for `value`; relative paths are taken from the workspace folder. */
  resolve(value: unknown, field: string, expected: string): string {
    const given = expectNonEmptyString(value, field, expected);
    if (given.includes('\0')) throw new LaunchConfigError(field, `${JSON.stringify(given)} contains a NUL character — remove it`);
    if (path.isAbsolute(given)) return path.resolve(given);
    if (this.workspaceFolder === undefined) {
      throw new LaunchConfigError(field, `"${given}" is a relative path and there is no workspace folder to resolve it against — use an absolute path`);
    }
    return path.resolve(this.workspaceFolder, given);
  }

  /** `"given" (/abs/given)` when the two differ, so the user sees both what they wrote and where it led. */
  static shown(given: string, absolute: string): string {
    return given === absolute ? `"${absolute}"` : `"${given}" (${absolute})`;
  }

  /** Resolves and checks that the path is an existing directory. */
  directory(value: unknown, field: string, purpose: string): string {
    const absolute = this.resolve(value, field, 'a host directory path');
    const shown = HostPaths.shown(value as string, absolute);
    const stat = statOrUndefined(absolute, field, shown);
    if (stat === undefined) throw new LaunchConfigError(field, `${shown} does not exist — create the directory or fix the path (${purpose})`);
    if (!stat.isDirectory()) throw new LaunchConfigError(field, `${shown} is not a directory — ${purpose} must be a directory`);
    return absolute;
  }

  /** Resolves and checks that the path is an existing file (not a directory). */
  file(value: unknown, field: string, purpose: string, directoryHint?: string): string {
    const absolute = this.resolve(value, field, 'a host file path');
    const shown = HostPaths.shown(value as string, absolute);
    const stat = statOrUndefined(absolute, field, shown);
    if (stat === undefined) throw new LaunchConfigError(field, `${shown} does not exist — create the file or fix the path (${purpose})`);
    if (stat.isDirectory()) throw new LaunchConfigError(field, `${shown} is a directory — ${directoryHint ?? `${purpose} must be a file`}`);
    return absolute;
  }

  /** Resolves a file that will be written: its directory must exist and it may not be a directory itself. */
  outputFile(value: unknown, field: string, purpose: string): string {
    const absolute = this.resolve(value, field, 'a host file path');
    const shown = HostPaths.shown(value as string, absolute);
    const parent = statOrUndefined(path.dirname(absolute), field, shown);
    if (parent === undefined || !parent.isDirectory()) {
      throw new LaunchConfigError(field, `the directory of ${shown} does not exist — create "${path.dirname(absolute)}" first (${purpose})`);
    }
    if (statOrUndefined(absolute, field, shown)?.isDirectory()) throw new LaunchConfigError(field, `${shown} is a directory — ${purpose} must be a file`);
    return absolute;
  }
}

/** fs.statSync, with "missing" as undefined and any other failure (permissions, loops) a clear error. */
function statOrUndefined(absolute: string, field: string, shown: string): fs.Stats | undefined {
  try {
    return fs.statSync(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new LaunchConfigError(field, `${shown} cannot be accessed (${code ?? String(error)}) — check its permissions`, { cause: error });
  }
}
