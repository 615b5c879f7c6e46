/**
 * Checked little-endian field writers and readers for the generated descriptor encoders
 * (src/runtime/abi/*.generated.ts). A value that does not fit its field is a bug in the host's layout
 * code, never user input, so it throws a RangeError naming the field rather than being truncated.
 */

function integer(value: number, min: number, max: number, type: string, field: string): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`internal: ${field} = ${value} is not a ${type}`);
  return value;
}

export function writeU32(view: DataView, at: number, value: number, field: string): void {
  view.setUint32(at, integer(value, 0, 0xffffffff, 'u32', field), true);
}

/** An address in the WebAssembly memory (wasm32: a u32). */
export function writePtr(view: DataView, at: number, value: number, field: string): void {
  view.setUint32(at, integer(value, 0, 0xffffffff, 'wasm32 address', field), true);
}

export function writeI32(view: DataView, at: number, value: number, field: string): void {
  view.setInt32(at, integer(value, -0x80000000, 0x7fffffff, 'i32', field), true);
}

export function writeBool(view: DataView, at: number, value: boolean, field: string): void {
  if (typeof value !== 'boolean') throw new RangeError(`internal: ${field} = ${value} is not a boolean`);
  view.setUint32(at, value ? 1 : 0, true);
}

export function writeF32(view: DataView, at: number, value: number, field: string): void {
  if (typeof value !== 'number') throw new RangeError(`internal: ${field} = ${value} is not a number`);
  view.setFloat32(at, value, true);
}

export function writeF64(view: DataView, at: number, value: number, field: string): void {
  if (typeof value !== 'number') throw new RangeError(`internal: ${field} = ${value} is not a number`);
  view.setFloat64(at, value, true);
}

export function writeU64(view: DataView, at: number, value: bigint, field: string): void {
  if (typeof value !== 'bigint' || value < 0n || value > 0xffffffffffffffffn) throw new RangeError(`internal: ${field} = ${value} is not a u64`);
  view.setBigUint64(at, value, true);
}

/** An enumerated u32 field: the name's code. */
export function writeEnum<K extends string>(view: DataView, at: number, codes: Readonly<Record<K, number>>, value: K, field: string): void {
  if (!Object.hasOwn(codes, value)) {
    throw new RangeError(`internal: ${field} = ${String(value)} is not one of ${Object.keys(codes).join(', ')}`);
  }
  view.setUint32(at, codes[value], true);
}

/** A struct array holds at most its declared count; unused elements stay zero. */
export function writeCount(length: number, count: number, field: string): void {
  if (length > count) throw new RangeError(`internal: ${field} has ${length} elements, room for ${count}`);
}

export const readU32 = (view: DataView, at: number): number => view.getUint32(at, true);
export const readPtr = readU32;
export const readI32 = (view: DataView, at: number): number => view.getInt32(at, true);
export const readBool = (view: DataView, at: number): boolean => view.getUint32(at, true) !== 0;
export const readF32 = (view: DataView, at: number): number => view.getFloat32(at, true);
export const readF64 = (view: DataView, at: number): number => view.getFloat64(at, true);
export const readU64 = (view: DataView, at: number): bigint => view.getBigUint64(at, true);

export function readEnum<K extends string>(view: DataView, at: number, codes: Readonly<Record<K, number>>, field: string): K {
  const code = view.getUint32(at, true);
  const name = (Object.keys(codes) as K[]).find((k) => codes[k] === code);
  if (name === undefined) throw new RangeError(`internal: ${field} holds code ${code}, not one of ${Object.keys(codes).join(', ')}`);
  return name;
}
