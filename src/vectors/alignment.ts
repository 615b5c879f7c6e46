import { Wasm2VecError, describe } from '../errors.js';
import { intOption } from '../options.js';
import { MemoryLayout } from '../runtime/memory-layout.js';
import type { BatchOptions, ScoredWord, WordVectors } from './word-vectors.js';
import { scratchSearch } from './search-kernel.js';
import { jacobiSvd } from './svd.js';

export type WordPairList = readonly (readonly [string, string])[];

export interface TranslateOptions {
  /** Candidates to return (default 5, as gensim's TranslationMatrix). */
  topN?: number;
  /** Only the first N target words are candidates. */
  restrictVocab?: number;
}

/**
 * A map from one embedding space to another learned from a seed dictionary by orthogonal Procrustes
 * (Schönemann 1966; Smith et al. 2017, Conneau et al. 2018): with X and Y the unit vectors of the
 * dictionary's source and target words, W = U·Vᵀ where XᵀY = U·Σ·Vᵀ minimises ‖XW − Y‖ over rotations.
 * XᵀY is accumulated in WebAssembly (f64); the d × d SVD is one-sided Jacobi in f64.
 * translate(word) is then the nearest target words to the word's mapped unit vector.
 */
export class Alignment {
  private constructor(
    readonly source: WordVectors,
    readonly target: WordVectors,
    /** d × d row-major: mapped = unit(source vector) · matrix. */
    readonly matrix: Float64Array,
    /** Dictionary pairs used (both words known). */
    readonly pairsUsed: number,
    /** Dictionary pairs skipped because a word was unknown. */
    readonly pairsSkipped: number,
  ) {}

  static fit(source: WordVectors, target: WordVectors, pairs: WordPairList): Alignment {
    if (source.dim !== target.dim) {
      throw new Wasm2VecError(
        'INVALID_OPTION',
        `Alignment.fit: source dim ${source.dim} differs from target dim ${target.dim}; an orthogonal map needs equal dims`,
      );
    }
    if (!Array.isArray(pairs)) throw new Wasm2VecError('INVALID_OPTION', `Alignment.fit: expected [sourceWord, targetWord] pairs, got ${describe(pairs)}`);
    const used: [number, number][] = [];
    pairs.forEach((p, i) => {
      if (!Array.isArray(p) || p.length !== 2 || typeof p[0] !== 'string' || typeof p[1] !== 'string') {
        throw new Wasm2VecError('INVALID_OPTION', `Alignment.fit: pair ${i} must be [sourceWord, targetWord], got ${describe(p)}`);
      }
      const a = source.indexOf(p[0]),
        b = target.indexOf(p[1]);
      if (a >= 0 && b >= 0) used.push([a, b]);
    });
    if (used.length === 0)
      throw new Wasm2VecError('NOT_FOUND', `Alignment.fit: none of the ${pairs.length} dictionary pairs has both words in the vocabularies`);
    const d = source.dim,
      n = used.length;
    const L = new MemoryLayout();
    const x = L.alloc('source rows', n * d * 4, `${n} pairs × dim ${d}`);
    const y = L.alloc('target rows', n * d * 4, `${n} pairs × dim ${d}`);
    const m = L.alloc('cross covariance', d * d * 8);
    const tmp = L.alloc('scratch', d * 8);
    L.check('Alignment');
    const { memory, kernel } = scratchSearch(L.bytes);
    const xs = new Float32Array(memory.buffer, x, n * d),
      ys = new Float32Array(memory.buffer, y, n * d);
    const su = source.normalized(),
      tu = target.normalized();
    used.forEach(([a, b], i) => {
      xs.set(su.subarray(a * d, (a + 1) * d), i * d);
      ys.set(tu.subarray(b * d, (b + 1) * d), i * d);
    });
    kernel.gram(x, y, n, d, d, m, tmp, 0);
    const { u, v } = jacobiSvd(new Float64Array(memory.buffer, m, d * d).slice(), d);
    const w = new Float64Array(d * d);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        let s = 0;
        for (let k = 0; k < d; k++) s += u[i * d + k] * v[j * d + k];
        w[i * d + j] = s;
      }
    }
    return new Alignment(source, target, w, n, pairs.length - n);
  }

  /** Maps a source-space vector (normalised first) into the target space. */
  transform(vector: ArrayLike<number>): Float32Array {
    const d = this.source.dim;
    if (vector.length !== d) throw new Wasm2VecError('INVALID_OPTION', `transform: expected a vector of length ${d}, got ${vector.length}`);
    let n = 0;
    for (let k = 0; k < d; k++) n += vector[k] * vector[k];
    n = Math.sqrt(n) || 1;
    const out = new Float32Array(d);
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += (vector[k] / n) * this.matrix[k * d + j];
      out[j] = s;
    }
    return out;
  }

  /** Nearest target words to the source word's mapped vector; throws NOT_FOUND for an unknown word. */
  translate(word: string, options: TranslateOptions = {}): ScoredWord[] {
    const topN = intOption('topN', options.topN, 5, 0);
    return this.target.similarByVector(this.transform(this.source.vector(word)), { topN, restrictVocab: options.restrictVocab });
  }

  /** translate() for many words at once, the searches spread over worker threads. */
  async translateBatch(words: readonly string[], options: TranslateOptions & BatchOptions = {}): Promise<ScoredWord[][]> {
    const topN = intOption('topN', options.topN, 5, 0);
    const queries = words.map((w) => ({ positive: [this.transform(this.source.vector(w))], topN, restrictVocab: options.restrictVocab }));
    return this.target.mostSimilarBatch(queries, { threads: options.threads });
  }
}
