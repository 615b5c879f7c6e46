/** What this JavaScript environment offers for threads and shared memory. */

export const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

/**
 * Shared memory can be posted to workers only with SharedArrayBuffer AND (in browsers) cross-origin
 * isolation. Chromium creates shared Memories even without isolation but refuses to post them, so we
 * detect by flags, never by constructing one.
 */
export function canShareMemory(): boolean {
  if (typeof SharedArrayBuffer !== 'function') return false;
  const coi = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  return isNode || coi === true;
}

/**
 * Loads a Node built-in at run time. The specifier goes through a parameter so bundlers (esbuild, Vite)
 * leave it alone instead of failing to resolve `node:*` for browser builds; browsers never call it.
 */
export function importNode<T = any>(specifier: `node:${string}`): Promise<T> {
  return import(/* @vite-ignore */ specifier);
}

/** Cores available to this process (Node) or reported by the browser. */
export async function availableCores(): Promise<number> {
  if (isNode) {
    const os = await importNode<typeof import('node:os')>('node:os');
    return Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
  }
  const n = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return Math.max(1, n ?? 1);
}
