import { Wasm2VecError } from '../errors.js';
import { BASE_OFFSET } from '../runtime/memory-layout.js';
import { wasmBinaries } from '../runtime/wasm-binaries.generated.js';
import { decodeBase64 } from '../runtime/wasm-modules.js';

/** The exports of assembly/search.ts (pointers and counts are numbers; see that file for contracts). */
export interface SearchExports {
  heapBase(): number;
  normalizeRows(src: number, dst: number, rows: number, dim: number): number;
  scores(matrix: number, rows: number, dim: number, query: number, out: number): void;
  topK(matrix: number, rows: number, dim: number, queries: number, nq: number, k: number, out: number): number;
  topKOfScores(values: number, n: number, k: number, out: number): void;
  centerRows(data: number, rows: number, dim: number, mean: number): void;
  gram(a: number, b: number, rows: number, dimA: number, dimB: number, out: number, tmp: number, symmetric: number): void;
  powerIteration(m: number, d: number, vec: number, tmp: number, maxIter: number, tol: number): number;
  deflate(m: number, d: number, vec: number, lambda: number): void;
  project(data: number, rows: number, dim: number, mean: number, components: number, k: number, out: number): void;
  countNonFinite(p: number, n: number): number;
}

const modules: { mt?: WebAssembly.Module; st?: WebAssembly.Module } = {};


/**
 * The search module compiled synchronously (it is a few KB; Node and Chromium allow synchronous
 * compilation of it on the main thread), so queries need no await. `shared` picks the build that
 * links against a shared memory.
 */
export function searchModule(shared: boolean): WebAssembly.Module {
  const key = shared ? 'mt' : 'st';
  let m = modules[key];
  if (!m) {
    try {
      m = new WebAssembly.Module(decodeBase64(wasmBinaries.search[key]) as Uint8Array<ArrayBuffer>);
    } catch (e) {
      throw new Wasm2VecError('UNSUPPORTED', `cannot compile the search kernel (WebAssembly with SIMD is required): ${(e as Error).message}`, { cause: e });
    }
    modules[key] = m;
  }
  return m;
}

/** A main-thread instance of the search kernel on `memory` (synchronous). */
export function instantiateSearch(memory: WebAssembly.Memory, shared: boolean): SearchExports {
  const instance = new WebAssembly.Instance(searchModule(shared), { env: { memory } });
  const ex = instance.exports as unknown as SearchExports;
  if (ex.heapBase() > BASE_OFFSET) throw new Wasm2VecError('UNSUPPORTED', `search kernel static area (${ex.heapBase()} bytes) overlaps the layout base`);
  return ex;
}

/** A private, unshared memory of exactly `bytes` (rounded up to pages) with a search instance on it. */
export function scratchSearch(bytes: number): { memory: WebAssembly.Memory; kernel: SearchExports } {
  const pages = Math.max(1, Math.ceil(bytes / 65536));
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  } catch (e) {
    throw new Wasm2VecError('MEMORY_LIMIT', `could not reserve ${bytes} bytes of WebAssembly memory: ${(e as Error).message}`, { cause: e });
  }
  return { memory, kernel: instantiateSearch(memory, false) };
}
