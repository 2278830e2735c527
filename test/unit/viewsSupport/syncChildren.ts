// Test helper: the tree provider answers small listings synchronously; this asserts so and narrows the type.

import assert from 'node:assert/strict';

export function sync<T>(result: T[] | Promise<T[]>): T[] {
  assert.ok(Array.isArray(result), 'a small listing is returned synchronously, not as a promise');
  return result;
}
