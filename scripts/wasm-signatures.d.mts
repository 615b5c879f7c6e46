// Types of scripts/wasm-signatures.mjs, for the TypeScript that imports it (test/abi/abi.unit.test.ts).
export type WasmValType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128';
export function wasmFunctionExports(bytes: Uint8Array): Map<string, { params: WasmValType[]; results: WasmValType[] }>;
