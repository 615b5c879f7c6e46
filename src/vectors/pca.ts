import { Wasm2VecError, describe } from '../errors.js';
import { boolOption, intOption, knownOptions } from '../options.js';
import { MemoryLayout } from '../runtime/memory-layout.js';
import type { WordVectors } from './word-vectors.js';
import { scratchSearch } from './search-kernel.js';

export interface PcaOptions {
  /** Output dimensions, 1 to 10 (default 2; 2 or 3 for plots). */
  components?: number;
  /** The words to project: a list, or N for the N most frequent (default min(size, 1000)). */
  words?: readonly string[] | number;
  /** Use unit-normalised vectors (cosine geometry) instead of the raw ones (default false). */
  normalize?: boolean;
}

export interface Projection {
  words: string[];
  /** One point per word, `components` coordinates each. */
  points: number[][];
  /** The principal axes (unit vectors of length dim), strongest first. */
  components: Float64Array[];
  /** Variance along each axis (eigenvalues of the covariance, divided by n − 1). */
  explainedVariance: number[];
  /** explainedVariance / total variance of the projected words. */
  explainedVarianceRatio: number[];
}

const MAX_ITER = 2000;
const TOL = 1e-10;

/**
 * PCA in WebAssembly: the words' vectors are centred, their d × d covariance accumulated in f64 (Gram
 * kernel), and the leading eigenvectors found by power iteration with deflation; then every vector is
 * projected. Deterministic: a fixed start vector and sign convention (largest entry positive).
 */
export function projectPca(e: WordVectors, options: PcaOptions = {}): Projection {
  if (typeof options !== 'object' || options === null) throw new Wasm2VecError('INVALID_OPTION', `pca: options must be an object, got ${describe(options)}`);
  knownOptions('pca', options, ['components', 'words', 'normalize']);
  const d = e.dim;
  const k = intOption('components', options.components, 2, 1, Math.min(10, d));
  const normalize = boolOption('normalize', options.normalize, false);
  let words: string[];
  if (options.words === undefined || typeof options.words === 'number') {
    const n = intOption('words', options.words, Math.min(e.size, 1000), 1, e.size);
    words = e.words.slice(0, n);
  } else if (Array.isArray(options.words)) {
    words = [...options.words];
    for (const w of words) if (!e.has(w)) throw new Wasm2VecError('NOT_FOUND', `pca: word ${JSON.stringify(w)} is not in the vocabulary (${e.size} words)`);
  } else {
    throw new Wasm2VecError('INVALID_OPTION', `option words: expected a list of words or a count, got ${describe(options.words)}`);
  }
  const n = words.length;
  if (n < 2) throw new Wasm2VecError('INVALID_OPTION', 'pca: needs at least 2 words');

  const L = new MemoryLayout();
  const data = L.alloc('vectors', n * d * 4, `${n} words × dim ${d}`);
  const mean = L.alloc('mean', d * 8);
  const cov = L.alloc('covariance', d * d * 8);
  const vec = L.alloc('eigenvector', d * 8);
  const tmp = L.alloc('scratch', (d + 1) * 8);
  const comps = L.alloc('components', k * d * 8);
  const out = L.alloc('projection', n * k * 4);
  L.check('PCA');
  const { memory, kernel } = scratchSearch(L.bytes);
  const rows = new Float32Array(memory.buffer, data, n * d);
  const source = normalize ? e.normalized() : e.vectors;
  words.forEach((w, i) => {
    const r = e.indexOf(w);
    rows.set(source.subarray(r * d, (r + 1) * d), i * d);
  });
  kernel.centerRows(data, n, d, mean);
  kernel.gram(data, data, n, d, d, cov, tmp, 1);
  const c = new Float64Array(memory.buffer, cov, d * d);
  let trace = 0;
  for (let i = 0; i < d; i++) trace += c[i * d + i];
  const v = new Float64Array(memory.buffer, vec, d);
  const components: Float64Array[] = [];
  const eigen: number[] = [];
  for (let j = 0; j < k; j++) {
    // A fixed, non-symmetric start vector: deterministic and almost never orthogonal to an eigenvector.
    for (let i = 0; i < d; i++) v[i] = 1 + ((i * 7919 + j * 104729) % 1009) / 1009;
    const lambda = kernel.powerIteration(cov, d, vec, tmp, MAX_ITER, TOL);
    eigen.push(Math.max(0, lambda));
    components.push(v.slice());
    new Float64Array(memory.buffer, comps + j * d * 8, d).set(v);
    kernel.deflate(cov, d, vec, lambda);
  }
  kernel.project(data, n, d, 0, comps, k, out);
  const proj = new Float32Array(memory.buffer, out, n * k);
  const points = Array.from({ length: n }, (_, i) => Array.from(proj.subarray(i * k, (i + 1) * k)));
  return {
    words,
    points,
    components,
    explainedVariance: eigen.map((x) => x / (n - 1)),
    explainedVarianceRatio: eigen.map((x) => (trace > 0 ? x / trace : 0)),
  };
}
