// Types of scripts/abi-codegen.mjs, for the TypeScript that imports it (test/abi/abi.unit.test.ts).
export interface AbiField {
  name: string;
  type: string;
  doc: string;
  count?: number;
  values?: Record<string, number>;
}
export interface AbiStruct {
  name: string;
  prefix: string;
  doc: string;
  bytes?: number;
  fields: AbiField[];
}
export interface AbiSchema {
  module: string;
  layout: string;
  structs: AbiStruct[];
}
export interface LaidField {
  name: string;
  type: string;
  doc: string;
  offset: number;
  constant: string;
  values?: Record<string, number>;
  struct?: LaidStruct;
  count?: number;
}
export interface LaidStruct {
  name: string;
  prefix: string;
  doc: string;
  bytes: number;
  fields: LaidField[];
}
export interface KernelSignature {
  name: string;
  source: string;
  params: readonly (readonly [string, string])[];
  result: string;
}
export const SCALARS: Record<string, { ts: string; doc: string }>;
export const SLOT_BYTES: number;
export const WASM_TYPE: Record<string, 'i32' | 'i64' | 'f32' | 'f64' | null>;
export function upperSnake(name: string): string;
export function layoutSchema(schema: unknown, file?: string): LaidStruct[];
export function renderAssembly(schema: AbiSchema, file: string): string;
export function renderTypeScript(schema: AbiSchema, file: string): string;
export function parseAscDeclarations(text: string, file: string): KernelSignature[];
export function moduleTypeName(module: string): string;
export function renderKernelExports(signatures: Readonly<Record<string, readonly KernelSignature[]>>): string;
