import { Wasm2VecError } from '../errors.js';
import { availableCores, canShareMemory } from '../runtime/capabilities.js';
import { KernelPool } from '../runtime/kernel-pool.js';
import { MemoryLayout, formatBytes } from '../runtime/memory-layout.js';
import { instantiateSearch, type SearchExports } from './search-kernel.js';

/** Queries per kernel call and slot. */
const BLOCK = 64;
/** Bytes of (row, score) results per slot: k up to 16,384 stays in the heap-selection kernel. */
const OUT_BYTES = 128 * 1024;
/** Worker slots reserved in the memory (the main thread has its own). */
export const MAX_SEARCH_THREADS = 8;

/** k results per query, best first; rows are -1 where fewer than k rows exist. */
export interface TopK {
  rows: Int32Array;
  scores: Float32Array;
  k: number;
}

interface Slot { queries: number; out: number }

/**
 * The unit-normalised matrix of an Embeddings, in a WebAssembly memory, with a main-thread instance of
 * the search kernel for synchronous single queries, and (created on demand) worker instances on the
 * same shared memory for batches. The matrix is written once and only read afterwards, so the main
 * thread and workers never race; each uses its own query/result slot.
 */
export class SearchIndex {
  private pool: Promise<KernelPool> | null = null;
  private readonly slotLocks: Promise<unknown>[] = [];
  private disposed = false;

  private constructor(
    readonly rows: number,
    readonly dim: number,
    private readonly memory: WebAssembly.Memory,
    private readonly shared: boolean,
    private readonly kernel: SearchExports,
    private readonly layout: MemoryLayout,
    private readonly matrix: number,
    private readonly scoreRegion: number,
    private readonly slots: Slot[],
    /** Rows whose vector is all zeros (they score 0 against everything). */
    readonly zeroRows: number,
  ) {}

  /** Copies `vectors` (rows × dim) into a new memory and normalises it there. */
  static create(vectors: Float32Array, rows: number, dim: number): SearchIndex {
    const L = new MemoryLayout();
    const what = `${rows.toLocaleString('en-US')} words × dim ${dim} × 4 bytes`;
    const matrix = L.alloc('unit vectors', rows * dim * 4, what);
    const scoreRegion = L.alloc('score vector', Math.max(rows, 1) * 4);
    const slots: Slot[] = [];
    for (let s = 0; s <= MAX_SEARCH_THREADS; s++) {
      slots.push({ queries: L.alloc(`slot ${s} queries`, BLOCK * dim * 4), out: L.alloc(`slot ${s} results`, OUT_BYTES) });
    }
    L.check('The search index');
    const shared = canShareMemory();
    let memory: WebAssembly.Memory;
    try {
      memory = new WebAssembly.Memory({ initial: L.pages, maximum: L.pages, shared } as WebAssembly.MemoryDescriptor);
    } catch (e) {
      throw new Wasm2VecError('MEMORY_LIMIT', `could not reserve ${formatBytes(L.bytes)} of WebAssembly memory for the search index (${what}): ` +
        `${(e as Error).message}`, { cause: e });
    }
    const kernel = instantiateSearch(memory, shared);
    new Float32Array(memory.buffer, matrix, rows * dim).set(vectors.subarray(0, rows * dim));
    const zeroRows = kernel.normalizeRows(matrix, matrix, rows, dim);
    return new SearchIndex(rows, dim, memory, shared, kernel, L, matrix, scoreRegion, slots, zeroRows);
  }

  private check(): void {
    if (this.disposed) throw new Wasm2VecError('UNSUPPORTED', 'this Embeddings was disposed');
  }

  /** The unit-normalised matrix (a view into the memory; do not write). */
  normalized(): Float32Array {
    this.check();
    return new Float32Array(this.memory.buffer, this.matrix, this.rows * this.dim);
  }

  /** Unit-normalised row r (a view). */
  row(r: number): Float32Array {
    return new Float32Array(this.memory.buffer, this.matrix + r * this.dim * 4, this.dim);
  }

  private queriesPerCall(k: number): number {
    return Math.max(1, Math.min(BLOCK, Math.floor(OUT_BYTES / (k * 8))));
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
    if (k * 8 > OUT_BYTES) {
      for (let q = 0; q < nq; q++) {
        const s = this.scoresFor(queries.subarray(q * d, (q + 1) * d), limit);
        selectTop(s, k, result, q);
      }
      return result;
    }
    const slot = this.slots[0];
    const per = this.queriesPerCall(k);
    for (let q0 = 0; q0 < nq; q0 += per) {
      const n = Math.min(per, nq - q0);
      new Float32Array(this.memory.buffer, slot.queries, n * d).set(queries.subarray(q0 * d, (q0 + n) * d));
      this.kernel.topK(this.matrix, limit, d, slot.queries, n, k, slot.out);
      this.readResults(slot.out, n, k, result, q0);
    }
    return result;
  }

  private readResults(out: number, n: number, k: number, result: TopK, q0: number): void {
    const ints = new Int32Array(this.memory.buffer, out, n * k * 2);
    const floats = new Float32Array(this.memory.buffer, out, n * k * 2);
    for (let i = 0; i < n * k; i++) {
      result.rows[q0 * k + i] = ints[2 * i];
      result.scores[q0 * k + i] = floats[2 * i + 1];
    }
  }

  /**
   * The same as topK, spread over worker threads on the shared memory (one block of queries per call).
   * Falls back to the main thread where memory cannot be shared or for small batches.
   */
  async topKParallel(queries: Float32Array, nq: number, k: number, limit: number, threads: number): Promise<TopK> {
    this.check();
    const per = this.queriesPerCall(k);
    if (!this.shared || threads <= 1 || nq <= per || k * 8 > OUT_BYTES) return this.topK(queries, nq, k, limit);
    const pool = await this.ensurePool(threads);
    const d = this.dim;
    const result: TopK = { rows: new Int32Array(nq * k), scores: new Float32Array(nq * k), k };
    let next = 0;
    const work = async (t: number) => {
      const slot = this.slots[t + 1];
      for (;;) {
        const q0 = next;
        if (q0 >= nq) return;
        next += per;
        const n = Math.min(per, nq - q0);
        await this.withSlot(t, async () => {
          new Float32Array(this.memory.buffer, slot.queries, n * d).set(queries.subarray(q0 * d, (q0 + n) * d));
          await pool.call(t, [['topK', this.matrix, limit, d, slot.queries, n, k, slot.out]]);
          this.readResults(slot.out, n, k, result, q0);
        });
      }
    };
    try {
      await Promise.all(Array.from({ length: pool.threads }, (_, t) => work(t)));
    } catch (e) {
      // A failed worker poisons its pool: drop it, so the next batch starts fresh workers.
      if (this.pool) { void this.pool.then((p) => p.dispose(), () => undefined); this.pool = null; }
      throw e;
    }
    return result;
  }

  /** Serialises use of worker slot t across concurrent batch calls. */
  private withSlot<T>(t: number, job: () => Promise<T>): Promise<T> {
    const prev = this.slotLocks[t] ?? Promise.resolve();
    const run = prev.then(job, job);
    this.slotLocks[t] = run.catch(() => undefined);
    return run;
  }

  /** Workers are created once, on the first parallel batch, with that batch's thread count (capped). */
  private async ensurePool(threads: number): Promise<KernelPool> {
    if (!this.pool) {
      const want = Math.min(threads, MAX_SEARCH_THREADS, await availableCores());
      this.pool = KernelPool.create('search', this.layout, { threads: Math.max(1, want), memory: this.memory });
      this.pool.catch(() => { this.pool = null; });
    }
    return this.pool;
  }

  /** Dot products of `query` with the first `limit` rows (a view valid until the next call). */
  scoresFor(query: Float32Array, limit: number): Float32Array {
    this.check();
    const slot = this.slots[0];
    new Float32Array(this.memory.buffer, slot.queries, this.dim).set(query);
    this.kernel.scores(this.matrix, limit, this.dim, slot.queries, this.scoreRegion);
    return new Float32Array(this.memory.buffer, this.scoreRegion, limit);
  }

  /** Top k of an arbitrary score vector (same selection and tie rule as topK). */
  topKOfScores(values: Float32Array, k: number): TopK {
    this.check();
    const result: TopK = { rows: new Int32Array(k), scores: new Float32Array(k), k };
    if (k * 8 > OUT_BYTES || values.length > this.rows) {
      selectTop(values, k, result, 0);
      return result;
    }
    new Float32Array(this.memory.buffer, this.scoreRegion, values.length).set(values);
    this.kernel.topKOfScores(this.scoreRegion, values.length, k, this.slots[0].out);
    this.readResults(this.slots[0].out, 1, k, result, 0);
    return result;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    void this.pool?.then((p) => p.dispose(), () => undefined);
    this.pool = null;
  }
}

/** Full selection for very large k: sort by score (descending), then row (ascending). */
function selectTop(values: Float32Array, k: number, result: TopK, q: number): void {
  const order = Array.from({ length: values.length }, (_, i) => i);
  order.sort((a, b) => (values[b] - values[a]) || (a - b));
  for (let i = 0; i < k; i++) {
    result.rows[q * k + i] = i < order.length ? order[i] : -1;
    result.scores[q * k + i] = i < order.length ? values[order[i]] : 0;
  }
}
