import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { KernelPool } from '../../src/runtime/kernel-pool.js';
import { demoCorpusPath } from '../helpers/data.js';

/** The first `chars` of the demo corpus (fairy tales, ~2.6 MB), cut at a line end. */
export function demoSlice(chars: number): string {
  const text = readFileSync(demoCorpusPath, 'utf8');
  const end = text.indexOf('\n', Math.min(chars, text.length - 1));
  return text.slice(0, end < 0 ? text.length : end + 1);
}

export function sha(v: Float32Array): string {
  return createHash('sha256')
    .update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength))
    .digest('hex');
}

/** Resolves once every worker started by any pool has ended (or rejects after `ms`). */
export async function workersEnded(baseline: number, ms = 5000): Promise<void> {
  const until = performance.now() + ms;
  while (KernelPool.liveWorkersForTest > baseline) {
    if (performance.now() > until) throw new Error(`${KernelPool.liveWorkersForTest - baseline} workers still alive after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Captures the next pool created while `fn` runs (the hook is test-only, not part of the API). */
export async function withPools<T>(fn: (pools: KernelPool[]) => Promise<T>): Promise<T> {
  const pools: KernelPool[] = [];
  KernelPool.createdForTest = (p) => {
    pools.push(p);
  };
  try {
    return await fn(pools);
  } finally {
    KernelPool.createdForTest = null;
  }
}

/**
 * Aborts `delay` ms after `start()` is called and returns how long after the abort was due the
 * promise settled: timer lateness (a blocked event loop) counts against the code under test.
 */
export async function abortLatency<T>(run: (signal: AbortSignal) => Promise<T>, delay: number): Promise<{ ms: number; result: T | Error }> {
  const ac = new AbortController();
  const due = performance.now() + delay;
  setTimeout(() => ac.abort(), delay);
  let result: T | Error;
  try {
    result = await run(ac.signal);
  } catch (e) {
    result = e as Error;
  }
  return { ms: performance.now() - due, result };
}
