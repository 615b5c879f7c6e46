import { readFileSync } from 'node:fs';
import { Embeddings } from '../../src/index.js';

/** Shared by the vectors tests: small deterministic matrices and the committed fixtures. */

export const FIXTURE = 'test/fixtures/vectors/fairytales-d24.bin';
export const GOLDEN = 'test/fixtures/vectors/fairytales-d24.gensim.json';
export const GENSIM_WRITTEN = 'test/fixtures/vectors/gensim-written';

/** xorshift32 in [-1, 1): deterministic test data without Math.random. */
export function randomMatrix(rows: number, dim: number, seed = 1): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(rows * dim);
  for (let i = 0; i < out.length; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

export function syntheticEmbeddings(rows: number, dim: number, seed = 1): Embeddings {
  return new Embeddings(
    Array.from({ length: rows }, (_, i) => `w${i}`),
    randomMatrix(rows, dim, seed),
    dim,
  );
}

export function bitsEqual(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length),
    y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}
