// C values from linear-memory bytes and DWARF types: display text, sizes and the children a variable expands to.

import type { TypeInfo } from './debugInfo';

const DW_ATE_boolean = 0x02;
const DW_ATE_float = 0x04;
const DW_ATE_signed = 0x05;
const DW_ATE_signed_char = 0x06;
const DW_ATE_unsigned = 0x07;
const DW_ATE_unsigned_char = 0x08;

/** Arrays longer than this show their first elements only. */
export const MAX_ARRAY_CHILDREN = 256;

export function sizeOf(type: TypeInfo | undefined): number {
  if (!type) return 0;
  switch (type.kind) {
    case 'array':
      return (type.count ?? 0) * sizeOf(type.element);
    case 'base':
    case 'pointer':
    case 'struct':
    case 'enum':
    case 'unknown':
      return type.size;
  }
}

/** A part of a value the editor can expand: its name, type and address in linear memory. */
export interface CChild {
  name: string;
  type: TypeInfo | undefined;
  address: number;
}

export function childrenOf(type: TypeInfo | undefined, address: number, pointerValue?: number): CChild[] {
  if (!type) return [];
  switch (type.kind) {
    case 'array': {
      const size = sizeOf(type.element);
      const count = Math.min(type.count ?? 0, MAX_ARRAY_CHILDREN);
      return Array.from({ length: count }, (_, i) => ({ name: `[${i}]`, type: type.element, address: address + i * size }));
    }
    case 'struct':
      return type.members.map((member) => ({ name: member.name, type: member.type, address: address + member.offset }));
    case 'pointer':
      if (pointerValue === undefined || pointerValue === 0 || !type.target || sizeOf(type.target) === 0) return [];
      return [{ name: '*', type: type.target, address: pointerValue }];
    default:
      return [];
  }
}

export function hasChildren(type: TypeInfo | undefined): boolean {
  if (!type) return false;
  if (type.kind === 'array') return (type.count ?? 0) > 0;
  if (type.kind === 'struct') return type.members.length > 0;
  if (type.kind === 'pointer') return type.target !== undefined && sizeOf(type.target) > 0;
  return false;
}

/** Display text for a value of `type` whose bytes (little-endian) are `bytes`. */
export function formatValue(type: TypeInfo | undefined, bytes: Uint8Array): string {
  if (!type) return '<unknown type>';
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < Math.min(sizeOf(type), 8)) return '<unreadable>';
  switch (type.kind) {
    case 'base':
      return formatBase(type, view);
    case 'enum': {
      const value = readInteger(view, type.size, true);
      const name = type.values.get(Number(value));
      return name ?? String(value);
    }
    case 'pointer': {
      const value = view.getUint32(0, true);
      if (value === 0) return 'NULL';
      return `0x${value.toString(16).padStart(8, '0')}`;
    }
    case 'array': {
      const element = type.element;
      if (element?.kind === 'base' && element.size === 1 && (element.encoding === DW_ATE_signed_char || element.encoding === DW_ATE_unsigned_char)) {
        const end = bytes.indexOf(0);
        return JSON.stringify(new TextDecoder().decode(bytes.subarray(0, end < 0 ? bytes.length : end)));
      }
      return type.name;
    }
    case 'struct':
      return `{${type.name}}`;
    case 'unknown':
      return `<${type.name}>`;
  }
}

function formatBase(type: Extract<TypeInfo, { kind: 'base' }>, view: DataView): string {
  switch (type.encoding) {
    case DW_ATE_float:
      return String(type.size === 4 ? view.getFloat32(0, true) : view.getFloat64(0, true));
    case DW_ATE_boolean:
      return view.getUint8(0) !== 0 ? 'true' : 'false';
    case DW_ATE_signed_char:
    case DW_ATE_unsigned_char: {
      const code = type.encoding === DW_ATE_signed_char ? view.getInt8(0) : view.getUint8(0);
      const char = code >= 32 && code < 127 ? ` '${String.fromCharCode(code)}'` : '';
      return `${code}${char}`;
    }
    case DW_ATE_signed:
      return String(readInteger(view, type.size, true));
    case DW_ATE_unsigned:
    default:
      return String(readInteger(view, type.size, false));
  }
}

function readInteger(view: DataView, size: number, signed: boolean): number | bigint {
  switch (size) {
    case 1:
      return signed ? view.getInt8(0) : view.getUint8(0);
    case 2:
      return signed ? view.getInt16(0, true) : view.getUint16(0, true);
    case 4:
      return signed ? view.getInt32(0, true) : view.getUint32(0, true);
    case 8:
      return signed ? view.getBigInt64(0, true) : view.getBigUint64(0, true);
    default:
      return 0;
  }
}
