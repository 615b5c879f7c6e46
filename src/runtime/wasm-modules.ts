import { wasmBinaries, type KernelModuleName } from './wasm-binaries.generated.js';

export type { KernelModuleName };

const compiled = new Map<string, Promise<WebAssembly.Module>>();

/** Base64 → bytes with Buffer where it exists (Node), atob in browsers. */
export function decodeBase64(b64: string): Uint8Array {
  const B = (globalThis as { Buffer?: { from(s: string, enc: string): Uint8Array } }).Buffer;
  if (B) return new Uint8Array(B.from(b64, 'base64'));
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * The compiled kernel module: `shared` selects the shared-memory build (threads) or the unshared one
 * (the fallback without cross-origin isolation); the two cannot link against each other's memory.
 */
export function kernelModule(name: KernelModuleName, shared: boolean): Promise<WebAssembly.Module> {
  const key = `${name}.${shared ? 'mt' : 'st'}`;
  let m = compiled.get(key);
  if (!m) {
    const bytes = decodeBase64(wasmBinaries[name][shared ? 'mt' : 'st']);
    m = WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
    compiled.set(key, m);
  }
  return m;
}
