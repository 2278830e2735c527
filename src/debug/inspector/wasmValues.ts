// Wasm values as the inspector gives them ({type, value} objects, i64 as BigInt) turned into display text.

import type { CdpRemoteObject } from './cdpTypes';

/** A wasm value read by value: `type` is i32/i64/f32/f64/v128/externref/funcref; `value` is display text. */
export interface WasmValueText {
  type: string;
  value: string;
}

/**
 * Function source (for Runtime.callFunctionOn with `this` = a scope or container object) returning each own
 * property as [name, wasm type or '', value text, is-an-object]. BigInt and objects do not survive returnByValue.
 */
export const LIST_PROPERTIES_FUNCTION = `function () {
  const text = (v) => typeof v === 'bigint' ? v.toString() : typeof v === 'object' && v !== null ? Object.prototype.toString.call(v) : String(v);
  const out = [];
  for (const name of Object.getOwnPropertyNames(this)) {
    let v;
    try { v = this[name]; } catch (e) { out.push([name, '', '<unreadable>', false]); continue; }
    if (v !== null && typeof v === 'object' && typeof v.type === 'string' && 'value' in v && Object.keys(v).length <= 2) {
      out.push([name, v.type, text(v.value), false]);
    } else {
      out.push([name, '', text(v), v !== null && (typeof v === 'object' || typeof v === 'function')]);
    }
  }
  return out;
}`;

/** Function source turning a wasm value object into [type, text]. */
export const WASM_VALUE_FUNCTION = `function () { const v = this.value; return [this.type, typeof v === 'bigint' ? v.toString() : String(v)]; }`;

/** Display text of a remote object that is not a wasm value. */
export function describeRemote(object: CdpRemoteObject): string {
  if (object.unserializableValue !== undefined) return object.unserializableValue;
  if (object.type === 'string') return JSON.stringify(object.value);
  if (object.type === 'undefined') return 'undefined';
  if (object.value !== undefined) return String(object.value);
  return object.description ?? object.type;
}

/** Parses a DAP memory/instruction reference ("0x1f4", "500") into a non-negative integer, or undefined. */
export function parseAddress(reference: string): number | undefined {
  const text = reference.trim();
  const value = /^0x[0-9a-f]+$/i.test(text) ? parseInt(text, 16) : /^\d+$/.test(text) ? parseInt(text, 10) : NaN;
  return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

export function hex(offset: number): string {
  return `0x${offset.toString(16)}`;
}
