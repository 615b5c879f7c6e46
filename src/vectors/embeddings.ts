import { Wasm2VecError, describe } from '../errors.js';
import { intOption, knownOptions } from '../options.js';
import type { EmbeddingsSource } from './byte-source.js';
import { evaluateAnalogies, type AnalogyOptions, type AnalogyResult } from './evaluate-analogies.js';
import { evaluateWordPairs, type WordPairsOptions, type WordPairsResult } from './evaluate-pairs.js';
import type { AnalogySection, WordPair } from './eval-files.js';
import { loadVectors, type LoadOptions } from './load-vectors.js';
import { projectPca, type PcaOptions, type Projection } from './pca.js';
import { concatChunks, encodeVectors, resolveFormat, writeChunks, type SaveOptions, type SaveTarget } from './save-vectors.js';
import { SearchIndex, type TopK } from './search-index.js';
import type { BatchOptions, MostSimilarQuery, QueryTerm, ScoredWord, WordVectors } from './word-vectors.js';

export interface EmbeddingsOptions {
  counts?: Float64Array;
  /** @internal a word -> row map the loader already built and checked */
  index?: Map<string, number>;
  /** @internal warnings from loading */
  warnings?: string[];
}

/**
 * Word vectors: a vocabulary (by frequency rank when trained) and a dense row-major float32 matrix,
 * with gensim KeyedVectors' queries and evaluations.
 *
 * Out-of-vocabulary convention: every method that takes a word throws Wasm2VecError 'NOT_FOUND' naming
 * it, except `get` (undefined) and `has`/`indexOf`. Queries run in WebAssembly on a unit-normalised copy
 * of the matrix made on first use and kept (`dispose()` frees it).
 */
export class Embeddings implements WordVectors {
  readonly words: readonly string[];
  readonly dim: number;
  /** Row-major [size × dim]. */
  readonly vectors: Float32Array;
  /** Corpus counts per word when known (trained models, or formats that carry them). */
  readonly counts?: Float64Array;
  /** What the loader reported (invalid UTF-8 replaced, data after the declared rows ignored…). */
  readonly warnings: readonly string[];
  private readonly index: Map<string, number>;
  private search: SearchIndex | null = null;

  constructor(words: readonly string[], vectors: Float32Array, dim: number, options: EmbeddingsOptions = {}) {
    if (!Number.isInteger(dim) || dim < 1) throw new Wasm2VecError('BAD_FORMAT', `embeddings: dim must be a positive integer, got ${dim}`);
    if (!(vectors instanceof Float32Array)) throw new Wasm2VecError('BAD_FORMAT', `embeddings: vectors must be a Float32Array, got ${describe(vectors)}`);
    if (vectors.length !== words.length * dim) {
      throw new Wasm2VecError('BAD_FORMAT', `embeddings: ${words.length} words × dim ${dim} needs ${words.length * dim} floats, got ${vectors.length}`);
    }
    if (options.counts !== undefined && options.counts.length !== words.length) {
      throw new Wasm2VecError('BAD_FORMAT', `embeddings: ${words.length} words but ${options.counts.length} counts`);
    }
    this.words = words;
    this.dim = dim;
    this.vectors = vectors;
    this.counts = options.counts;
    this.warnings = options.warnings ?? [];
    if (options.index && options.index.size === words.length) this.index = options.index;
    else {
      this.index = new Map();
      for (let i = 0; i < words.length; i++) {
        if (typeof words[i] !== 'string') throw new Wasm2VecError('BAD_FORMAT', `embeddings: word ${i} is ${describe(words[i])}, expected a string`);
        if (this.index.has(words[i]))
          throw new Wasm2VecError('BAD_FORMAT', `embeddings: duplicate word ${JSON.stringify(words[i])} at rows ${this.index.get(words[i])} and ${i}`);
        this.index.set(words[i], i);
      }
    }
  }

  /**
   * Reads vectors from a path (Node), ArrayBuffer, Uint8Array, Blob/File, fetch Response or byte stream,
   * in format 'word2vec-text' | 'word2vec-binary' | 'glove' | 'vec' | 'wasm2vec' (detected when
   * omitted; gzip is undone transparently). Streams with bounded memory; rejects bad input with
   * BAD_FORMAT naming the source and line or byte offset.
   */
  static async load(source: EmbeddingsSource, options: LoadOptions = {}): Promise<Embeddings> {
    const v = await loadVectors(source, options);
    return new Embeddings(v.words, v.vectors, v.dim, { counts: v.counts, index: v.index, warnings: v.warnings });
  }

  /**
   * Writes the vectors: to a file path (Node; format from the extension unless given), a WritableStream,
   * or, with the Blob constructor as target, returns a Blob (browsers).
   */
  async save(target: string | WritableStream<Uint8Array>, options?: SaveOptions): Promise<void>;
  async save(target: typeof Blob, options?: SaveOptions): Promise<Blob>;
  async save(target: SaveTarget, options: SaveOptions = {}): Promise<Blob | void> {
    const format = resolveFormat(target, options);
    knownOptions('save', options, ['format', 'dtype']);
    return writeChunks(target, encodeVectors(this, format, options));
  }

  /** The file bytes in a format (default word2vec-text). */
  toBytes(options: SaveOptions = {}): Uint8Array {
    knownOptions('toBytes', options, ['format', 'dtype']);
    return concatChunks(encodeVectors(this, resolveFormat(undefined, options), options));
  }

  get size(): number {
    return this.words.length;
  }

  has(word: string): boolean {
    return this.index.has(word);
  }

  /** Row index of `word`, or -1. */
  indexOf(word: string): number {
    return this.index.get(word) ?? -1;
  }

  private rowOf(word: string): number {
    const i = this.index.get(word);
    if (i === undefined) {
      throw new Wasm2VecError(
        'NOT_FOUND',
        typeof word === 'string'
          ? `word ${JSON.stringify(word)} is not in the vocabulary (${this.size} words)`
          : `expected a word (string), got ${describe(word)}`,
      );
    }
    return i;
  }

  /** A copy of the word's vector; throws NOT_FOUND naming the word when it is out of vocabulary. */
  vector(word: string): Float32Array {
    const i = this.rowOf(word);
    return this.vectors.slice(i * this.dim, (i + 1) * this.dim);
  }

  /** Like vector() but returns undefined for an unknown word. */
  get(word: string): Float32Array | undefined {
    return this.has(word) ? this.vector(word) : undefined;
  }

  private searchIndex(): SearchIndex {
    if (!this.search) this.search = SearchIndex.create(this.vectors, this.size, this.dim);
    return this.search;
  }

  /** Unit-length rows (zero rows stay zero), computed once in WebAssembly; a view, do not modify. */
  normalized(): Float32Array {
    return this.searchIndex().normalized();
  }

  /** The word's unit-length vector (a copy). */
  unitVector(word: string): Float32Array {
    return this.searchIndex().row(this.rowOf(word)).slice();
  }

  /** Cosine similarity of two words (f64 from the stored float32 rows; 0 when one vector is zero). */
  similarity(a: string, b: string): number {
    const d = this.dim,
      v = this.vectors;
    const i = this.rowOf(a) * d,
      j = this.rowOf(b) * d;
    let ab = 0,
      aa = 0,
      bb = 0;
    for (let k = 0; k < d; k++) {
      const x = v[i + k],
        y = v[j + k];
      ab += x * y;
      aa += x * x;
      bb += y * y;
    }
    return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
  }

  /** Cosine similarity of the means of two word sets (raw vectors averaged, as gensim's n_similarity). */
  nSimilarity(a: readonly string[], b: readonly string[]): number {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length === 0 || b.length === 0) {
      throw new Wasm2VecError('INVALID_OPTION', 'nSimilarity: both word lists must be non-empty arrays');
    }
    const ma = this.rawMean(a),
      mb = this.rawMean(b);
    let ab = 0,
      aa = 0,
      bb = 0;
    for (let k = 0; k < this.dim; k++) {
      ab += ma[k] * mb[k];
      aa += ma[k] * ma[k];
      bb += mb[k] * mb[k];
    }
    return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
  }

  private rawMean(words: readonly string[]): Float64Array {
    const m = new Float64Array(this.dim);
    for (const w of words) {
      const o = this.rowOf(w) * this.dim;
      for (let k = 0; k < this.dim; k++) m[k] += this.vectors[o + k];
    }
    for (let k = 0; k < this.dim; k++) m[k] /= words.length;
    return m;
  }

  private terms(list: QueryTerm[] | QueryTerm | undefined, what: string): QueryTerm[] {
    if (list === undefined) return [];
    if (typeof list === 'string' || list instanceof Float32Array) return [list];
    if (!Array.isArray(list)) throw new Wasm2VecError('INVALID_OPTION', `option ${what}: expected an array of words, got ${describe(list)}`);
    if (list.length > 0 && typeof list[0] === 'number') return [list as unknown as readonly number[]];
    return list as QueryTerm[];
  }

  private termVector(t: QueryTerm, what: string): { vector: ArrayLike<number>; row: number } {
    if (typeof t === 'string') {
      const r = this.rowOf(t);
      return { vector: this.searchIndex().row(r), row: r };
    }
    if ((t instanceof Float32Array || Array.isArray(t)) && t.length === this.dim) {
      for (let k = 0; k < t.length; k++) {
        if (typeof t[k] !== 'number' || !Number.isFinite(t[k]))
          throw new Wasm2VecError('INVALID_OPTION', `option ${what}: vector has a non-finite value at ${k}`);
      }
      return { vector: t, row: -1 };
    }
    throw new Wasm2VecError('INVALID_OPTION', `option ${what}: expected words or vectors of length ${this.dim}, got ${describe(t)}`);
  }

  /**
   * The unit query (mean of +unit vectors of positive words, −unit vectors of negative words, raw vectors
   * as given), written into `out` at `at`; returns the rows of the words used (to exclude from results).
   */
  private buildQuery(q: MostSimilarQuery, out: Float32Array, at: number): number[] {
    const pos = this.terms(q.positive, 'positive'),
      neg = this.terms(q.negative, 'negative');
    if (pos.length + neg.length === 0) throw new Wasm2VecError('INVALID_OPTION', 'mostSimilar: give at least one positive or negative word');
    const d = this.dim;
    const m = new Float64Array(d);
    const rows: number[] = [];
    for (const [list, sign, what] of [
      [pos, 1, 'positive'],
      [neg, -1, 'negative'],
    ] as const) {
      for (const t of list) {
        const { vector, row } = this.termVector(t, what);
        if (row >= 0) rows.push(row);
        for (let k = 0; k < d; k++) m[k] += sign * vector[k];
      }
    }
    let n = 0;
    for (let k = 0; k < d; k++) n += m[k] * m[k];
    n = Math.sqrt(n);
    for (let k = 0; k < d; k++) out[at + k] = n > 0 ? m[k] / n : 0;
    return rows;
  }

  private limits(q: { topN?: number; restrictVocab?: number }, what: string): { topN: number; limit: number } {
    knownOptions(what, q, ['positive', 'negative', 'topN', 'restrictVocab']);
    const topN = intOption(`${what} topN`, q.topN, 10, 0);
    const restrict = q.restrictVocab === undefined ? this.size : intOption(`${what} restrictVocab`, q.restrictVocab, this.size, 1);
    return { topN, limit: Math.min(this.size, restrict) };
  }

  private pick(top: TopK, q: number, exclude: readonly number[], topN: number): ScoredWord[] {
    const out: ScoredWord[] = [];
    for (let i = 0; i < top.k && out.length < topN; i++) {
      const r = top.rows[q * top.k + i];
      if (r < 0) break;
      if (exclude.includes(r)) continue;
      out.push({ word: this.words[r], score: top.scores[q * top.k + i] });
    }
    return out;
  }

  /**
   * Nearest words by cosine to the normalised mean of the positive (and negated negative) unit vectors,
   * excluding the query words: gensim's most_similar (3CosAdd for analogies).
   */
  mostSimilar(query: MostSimilarQuery): ScoredWord[] {
    if (typeof query !== 'object' || query === null)
      throw new Wasm2VecError('INVALID_OPTION', `mostSimilar: expected { positive, negative?, topN?, restrictVocab? }, got ${describe(query)}`);
    const { topN, limit } = this.limits(query, 'mostSimilar');
    const q = new Float32Array(this.dim);
    const exclude = this.buildQuery(query, q, 0);
    if (topN === 0 || limit === 0) return [];
    const top = this.searchIndex().topK(q, 1, Math.min(topN + exclude.length, this.size), limit);
    return this.pick(top, 0, exclude, topN);
  }

  /** Many mostSimilar queries at once, spread over worker threads sharing the matrix. */
  async mostSimilarBatch(queries: readonly MostSimilarQuery[], options: BatchOptions = {}): Promise<ScoredWord[][]> {
    if (!Array.isArray(queries)) throw new Wasm2VecError('INVALID_OPTION', `mostSimilarBatch: expected an array of queries, got ${describe(queries)}`);
    knownOptions('mostSimilarBatch', options, ['threads']);
    const threads = options.threads === undefined ? 256 : intOption('threads', options.threads, 1, 1, 256); // capped by cores
    const groups = new Map<string, number[]>(); // queries sharing (k, limit) go to the kernel together
    const built = queries.map((query, i) => {
      const { topN, limit } = this.limits(query, `mostSimilarBatch[${i}]`);
      const vec = new Float32Array(this.dim);
      const exclude = this.buildQuery(query, vec, 0);
      const k = Math.min(topN + exclude.length, this.size);
      const key = `${k}:${limit}`;
      if (topN > 0 && limit > 0) (groups.get(key) ?? groups.set(key, []).get(key)!).push(i);
      return { vec, exclude, topN, k, limit };
    });
    const results: ScoredWord[][] = built.map(() => []);
    for (const ids of groups.values()) {
      const { k, limit } = built[ids[0]];
      const qs = new Float32Array(ids.length * this.dim);
      ids.forEach((id, j) => qs.set(built[id].vec, j * this.dim));
      const top = await this.searchIndex().topKParallel(qs, ids.length, k, limit, threads);
      ids.forEach((id, j) => {
        results[id] = this.pick(top, j, built[id].exclude, built[id].topN);
      });
    }
    return results;
  }

  /** Nearest words to a vector (no exclusions). */
  similarByVector(vector: Float32Array | readonly number[], options: { topN?: number; restrictVocab?: number } = {}): ScoredWord[] {
    knownOptions('similarByVector', options, ['topN', 'restrictVocab']);
    return this.mostSimilar({ ...options, positive: [vector as QueryTerm] });
  }

  /** a is to b as c is to …? (3CosAdd: mostSimilar of b + c − a, excluding a, b, c). */
  analogy(a: string, b: string, c: string, options: { topN?: number; restrictVocab?: number } = {}): ScoredWord[] {
    knownOptions('analogy', options, ['topN', 'restrictVocab']);
    return this.mostSimilar({ ...options, positive: [b, c], negative: [a] });
  }

  /**
   * 3CosMul (Levy & Goldberg 2014): ∏ (1 + cos(w, p))/2 over positives / (∏ over negatives + 1e-6), as
   * gensim's most_similar_cosmul, except that restrictVocab is honoured (gensim ignores it).
   */
  mostSimilarCosmul(query: MostSimilarQuery): ScoredWord[] {
    const { topN, limit } = this.limits(query, 'mostSimilarCosmul');
    const pos = this.terms(query.positive, 'positive'),
      neg = this.terms(query.negative, 'negative');
    if (pos.length === 0) throw new Wasm2VecError('INVALID_OPTION', 'mostSimilarCosmul: give at least one positive word');
    const index = this.searchIndex();
    const exclude: number[] = [];
    const product = (list: QueryTerm[], what: string): Float64Array | null => {
      if (!list.length) return null;
      const p = new Float64Array(limit).fill(1);
      for (const t of list) {
        const { vector, row } = this.termVector(t, what);
        if (row >= 0 && !exclude.includes(row)) exclude.push(row);
        const s = index.scoresFor(Float32Array.from(vector), limit);
        for (let r = 0; r < limit; r++) p[r] *= (1 + s[r]) / 2;
      }
      return p;
    };
    const num = product(pos, 'positive')!,
      den = product(neg, 'negative');
    if (topN === 0) return [];
    const values = new Float32Array(limit);
    for (let r = 0; r < limit; r++) values[r] = num[r] / ((den ? den[r] : 1) + 0.000001); // gensim: prod of no negatives is 1
    const top = index.topKOfScores(values, Math.min(topN + exclude.length, limit));
    return this.pick(top, 0, exclude, topN);
  }

  /** The word farthest from the mean of the words' unit vectors (gensim's doesnt_match). */
  doesntMatch(words: readonly string[]): string {
    if (!Array.isArray(words) || words.length === 0) throw new Wasm2VecError('INVALID_OPTION', 'doesntMatch: give a non-empty array of words');
    const index = this.searchIndex();
    const d = this.dim;
    const rows = words.map((w) => index.row(this.rowOf(w)));
    const mean = new Float64Array(d);
    for (const r of rows) for (let k = 0; k < d; k++) mean[k] += r[k];
    let n = 0;
    for (let k = 0; k < d; k++) n += mean[k] * mean[k];
    n = Math.sqrt(n) || 1;
    let worst = '',
      worstScore = Infinity;
    rows.forEach((r, i) => {
      let s = 0;
      for (let k = 0; k < d; k++) s += r[k] * (mean[k] / n);
      // gensim sorts (score, word) descending and takes the last: ties go to the smaller word.
      if (s < worstScore || (s === worstScore && words[i] < worst)) {
        worst = words[i];
        worstScore = s;
      }
    });
    return worst;
  }

  /**
   * Spearman and Pearson correlation of cosine similarity with human scores (gensim's
   * evaluate_word_pairs): a tab-separated file `word1<TAB>word2<TAB>score` (path, Node) or pairs.
   * oovRatio is a percentage, as gensim reports it.
   */
  evaluateWordPairs(pathOrPairs: string | readonly WordPair[], options: WordPairsOptions = {}): Promise<WordPairsResult> {
    return evaluateWordPairs(this, pathOrPairs, options);
  }

  /**
   * Analogy accuracy with 3CosAdd as gensim's evaluate_word_analogies (questions with all four words in
   * the first restrictVocab words; a, b, c excluded from answers); accuracies are fractions.
   */
  evaluateAnalogies(pathOrQuestions: string | readonly AnalogySection[], options: AnalogyOptions = {}): Promise<AnalogyResult> {
    return evaluateAnalogies(this, pathOrQuestions, options);
  }

  /** @internal batched top-k for the evaluators */
  topKRows(queries: Float32Array, nq: number, k: number, limit: number, threads: number): Promise<TopK> {
    return this.searchIndex().topKParallel(queries, nq, k, limit, threads);
  }

  /** PCA to 2 or 3 dimensions (power iteration in WebAssembly) of the most frequent or given words. */
  pca(options: PcaOptions = {}): Projection {
    return projectPca(this, options);
  }

  /** Frees the WebAssembly memory and worker threads used for queries (they are recreated on demand). */
  dispose(): void {
    this.search?.dispose();
    this.search = null;
  }
}

// The public surface of src/vectors, so the package index needs one line for all of it.
