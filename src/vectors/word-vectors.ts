import type { TopK } from './search-index.js';

/**
 * The read-only view of a set of word vectors that evaluation, PCA and alignment need. `Embeddings`
 * implements it; the evaluators depend on this interface rather than on the class, so the class can
 * call them without an import cycle, and other vector stores (subword, compressed) can be evaluated too.
 */
export interface WordVectors {
  readonly words: readonly string[];
  readonly dim: number;
  readonly size: number;
  /** Row-major float32 matrix, size × dim. */
  readonly vectors: Float32Array;
  has(word: string): boolean;
  /** The word's row, or -1. */
  indexOf(word: string): number;
  /** The word's vector (throws NOT_FOUND for an unknown word). */
  vector(word: string): Float32Array;
  /** The unit-normalised matrix (made on first use and kept). */
  normalized(): Float32Array;
  similarity(a: string, b: string): number;
  similarByVector(vector: Float32Array | readonly number[], options?: { topN?: number; restrictVocab?: number }): ScoredWord[];
  mostSimilarBatch(queries: readonly MostSimilarQuery[], options?: BatchOptions): Promise<ScoredWord[][]>;
  /**
   * True when vector() and similarity() accept any word (fastText's character n-grams): the
   * evaluators can then score out-of-vocabulary words instead of skipping them.
   */
  readonly subwordVectors?: boolean;
  /** @internal Batched top-k rows by cosine for `nq` unit query rows (the evaluators' workhorse). */
  topKRows(queries: Float32Array, nq: number, k: number, limit: number, threads: number): Promise<TopK>;
}

export interface ScoredWord {
  word: string;
  score: number;
}

/** A term of a query: a word, or a raw vector (used as given, like gensim). */
export type QueryTerm = string | Float32Array | readonly number[];

export interface MostSimilarQuery {
  positive: QueryTerm[] | QueryTerm;
  negative?: QueryTerm[] | QueryTerm;
  /** Results to return (default 10; 0 gives []). */
  topN?: number;
  /** Only the first N words (the most frequent) are candidates. */
  restrictVocab?: number;
}

export interface BatchOptions {
  /** Worker threads for the batch (default: all cores; 1 runs on the calling thread). */
  threads?: number;
}
