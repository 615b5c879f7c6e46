import { Wasm2VecError } from '../errors.js';
import { SearchKernel } from './search-kernel.js';

/** k results per query, best first; rows are -1 where fewer than k rows exist. */
export interface TopK {
  rows: Int32Array;
  scores: Float32Array;
  k: number;
}

/**
 * Nearest-neighbour queries over the unit-normalised matrix of an Embeddings: blocks of queries on the
 * main thread for synchronous calls, spread over worker threads for batches, and a full sort where k
 * exceeds what the heap-selection kernel serves. The memory and the kernel calls are SearchKernel's.
 */
export class SearchIndex {
  private disposed = false;

  private constructor(private readonly kernel: SearchKernel) {}

  /** Copies `vectors` (rows × dim) into a new memory and normalises it there. */
  static create(vectors: Float32Array, rows: number, dim: number): SearchIndex {
    return new SearchIndex(SearchKernel.create(vectors, rows, dim));
  }

  get rows(): number {
    return this.kernel.rows;
  }

  get dim(): number {
    return this.kernel.dim;
  }

  /** Rows whose vector is all zeros (they score 0 against everything). */
  get zeroRows(): number {
    return this.kernel.zeroRows;
  }

  private check(): void {
    if (this.disposed) throw new Wasm2VecError('UNSUPPORTED', 'this Embeddings was disposed');
  }

  /** The unit-normalised matrix (a view into the memory; do not write). */
  normalized(): Float32Array {
    this.check();
    return this.kernel.normalized();
  }

  /** Unit-normalised row r (a view). */
  row(r: number): Float32Array {
    return this.kernel.row(r);
  }

  /**
   * Top k rows among the first `limit` by dot product with each query (queries: nq × dim, normally
   * unit length), on the main thread. k beyond the heap kernel's capacity is served from full score
   * vectors.
   */
  topK(queries: Float32Array, nq: number, k: number, limit: number): TopK {
    this.check();
    const d = this.dim;
    const result: TopK = { rows: new Int32Array(nq * k), scores: new Float32Array(nq * k), k };
    if (k > this.kernel.maxK) {
      for (let q = 0; q < nq; q++) {
        const s = this.scoresFor(queries.subarray(q * d, (q + 1) * d), limit);
        selectTop(s, k, result, q);
      }
      return result;
    }
    const per = this.kernel.queriesPerCall(k);
    for (let q0 = 0; q0 < nq; q0 += per) {
      const n = Math.min(per, nq - q0);
      this.kernel.topK(queries.subarray(q0 * d, (q0 + n) * d), n, k, limit, result, q0);
    }
    return result;
  }

  /**
   * The same as topK, spread over worker threads on the shared memory (one block of queries per call).
   * Falls back to the main thread where memory cannot be shared or for small batches.
   */
  async topKParallel(queries: Float32Array, nq: number, k: number, limit: number, threads: number): Promise<TopK> {
    this.check();
    const per = this.kernel.queriesPerCall(k);
    if (!this.kernel.shared || threads <= 1 || nq <= per || k > this.kernel.maxK) return this.topK(queries, nq, k, limit);
    const workers = await this.kernel.startWorkers(threads);
    const d = this.dim;
    const result: TopK = { rows: new Int32Array(nq * k), scores: new Float32Array(nq * k), k };
    let next = 0;
    const work = async (t: number) => {
      for (;;) {
        const q0 = next;
        if (q0 >= nq) return;
        next += per;
        const n = Math.min(per, nq - q0);
        await this.kernel.topKOnWorker(t, queries.subarray(q0 * d, (q0 + n) * d), n, k, limit, result, q0);
      }
    };
    try {
      await Promise.all(Array.from({ length: workers }, (_, t) => work(t)));
    } catch (e) {
      // A failed worker poisons its pool: drop it, so the next batch starts fresh workers.
      this.kernel.stopWorkers();
      throw e;
    }
    return result;
  }

  /** Dot products of `query` with the first `limit` rows (a view valid until the next call). */
  scoresFor(query: Float32Array, limit: number): Float32Array {
    this.check();
    return this.kernel.scores(query, limit);
  }

  /** Top k of an arbitrary score vector (same selection and tie rule as topK). */
  topKOfScores(values: Float32Array, k: number): TopK {
    this.check();
    const result: TopK = { rows: new Int32Array(k), scores: new Float32Array(k), k };
    if (k > this.kernel.maxK || values.length > this.rows) {
      selectTop(values, k, result, 0);
      return result;
    }
    this.kernel.topKOfScores(values, k, result);
    return result;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.kernel.dispose();
  }
}

/** Full selection for very large k: sort by score (descending), then row (ascending). */
function selectTop(values: Float32Array, k: number, result: TopK, q: number): void {
  const order = Array.from({ length: values.length }, (_, i) => i);
  order.sort((a, b) => values[b] - values[a] || a - b);
  for (let i = 0; i < k; i++) {
    result.rows[q * k + i] = i < order.length ? order[i] : -1;
    result.scores[q * k + i] = i < order.length ? values[order[i]] : 0;
  }
}
