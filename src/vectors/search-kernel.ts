import { Wasm2VecError } from '../errors.js';
import { availableCores, canShareMemory } from '../runtime/capabilities.js';
import { KernelPool } from '../runtime/kernel-pool.js';
import { BASE_OFFSET, MemoryLayout, formatBytes } from '../runtime/memory-layout.js';
import { wasmBinaries } from '../runtime/wasm-binaries.generated.js';
import { decodeBase64 } from '../runtime/wasm-modules.js';
import type { SearchExports } from '../runtime/abi/kernel-exports.generated.js';

export type { SearchExports };

/** Queries per kernel call and slot. */
const BLOCK = 64;
/** Bytes of (row, score) results per slot: k up to 16,384 stays in the heap-selection kernel. */
const OUT_BYTES = 128 * 1024;
/** Worker slots reserved in the memory (the main thread has its own). */
export const MAX_SEARCH_THREADS = 8;

const modules: { mt?: WebAssembly.Module; st?: WebAssembly.Module } = {};

/**
 * The search module compiled synchronously (it is a few KB; Node and Chromium allow synchronous
 * compilation of it on the main thread), so queries need no await. `shared` picks the build that
 * links against a shared memory.
 */
export function searchModule(shared: boolean): WebAssembly.Module {
  const key = shared ? 'mt' : 'st';
  let m = modules[key];
  if (!m) {
    try {
      m = new WebAssembly.Module(decodeBase64(wasmBinaries.search[key]) as Uint8Array<ArrayBuffer>);
    } catch (e) {
      throw new Wasm2VecError('UNSUPPORTED', `cannot compile the search kernel (WebAssembly with SIMD is required): ${(e as Error).message}`, { cause: e });
    }
    modules[key] = m;
  }
  return m;
}

/** A main-thread instance of the search kernel on `memory` (synchronous). */
export function instantiateSearch(memory: WebAssembly.Memory, shared: boolean): SearchExports {
  const instance = new WebAssembly.Instance(searchModule(shared), { env: { memory } });
  const ex = instance.exports as unknown as SearchExports;
  if (ex.heapBase() > BASE_OFFSET) throw new Wasm2VecError('UNSUPPORTED', `search kernel static area (${ex.heapBase()} bytes) overlaps the layout base`);
  return ex;
}

/** A private, unshared memory of exactly `bytes` (rounded up to pages) with a search instance on it. */
export function scratchSearch(bytes: number): { memory: WebAssembly.Memory; kernel: SearchExports } {
  const pages = Math.max(1, Math.ceil(bytes / 65536));
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  } catch (e) {
    throw new Wasm2VecError('MEMORY_LIMIT', `could not reserve ${bytes} bytes of WebAssembly memory: ${(e as Error).message}`, { cause: e });
  }
  return { memory, kernel: instantiateSearch(memory, false) };
}

/** Where a query call's results go: rows (-1 past the last row) and scores, k per query. */
export interface TopKTarget {
  rows: Int32Array;
  scores: Float32Array;
}

interface Slot {
  queries: number;
  out: number;
}

/**
 * The WebAssembly side of an Embeddings' search (assembly/search.ts): the unit-normalised matrix in a
 * memory of its own, a main-thread instance for synchronous queries (slot 0), and (created on demand)
 * worker instances on the same shared memory for batches (slot t + 1 for worker t). The matrix is
 * written once and only read afterwards, so the main thread and workers never race on it; each slot's
 * use is serialised.
 */
export class SearchKernel {
  private pool: Promise<KernelPool<'search'>> | null = null;
  private readonly slotLocks: Promise<unknown>[] = [];

  private constructor(
    readonly rows: number,
    readonly dim: number,
    private readonly memory: WebAssembly.Memory,
    /** Whether the memory is shared, so workers can run on it. */
    readonly shared: boolean,
    private readonly exports: SearchExports,
    private readonly layout: MemoryLayout,
    private readonly matrix: number,
    private readonly scoreRegion: number,
    private readonly slots: Slot[],
    /** Rows whose vector is all zeros (they score 0 against everything). */
    readonly zeroRows: number,
  ) {}

  /** Copies `vectors` (rows × dim) into a new memory and normalises it there. */
  static create(vectors: Float32Array, rows: number, dim: number): SearchKernel {
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
      throw new Wasm2VecError(
        'MEMORY_LIMIT',
        `could not reserve ${formatBytes(L.bytes)} of WebAssembly memory for the search index (${what}): ` + `${(e as Error).message}`,
        { cause: e },
      );
    }
    const exports = instantiateSearch(memory, shared);
    new Float32Array(memory.buffer, matrix, rows * dim).set(vectors.subarray(0, rows * dim));
    const zeroRows = exports.normalizeRows(matrix, matrix, rows, dim);
    return new SearchKernel(rows, dim, memory, shared, exports, L, matrix, scoreRegion, slots, zeroRows);
  }

  /** The largest k the heap-selection kernel serves (its k × 8 result bytes per query fit a slot). */
  get maxK(): number {
    return OUT_BYTES / 8;
  }

  /** Queries one call takes for a given k (at most maxK). */
  queriesPerCall(k: number): number {
    return Math.max(1, Math.min(BLOCK, Math.floor(OUT_BYTES / (k * 8))));
  }

  /** The unit-normalised matrix (a view into the memory; do not write). */
  normalized(): Float32Array {
    return new Float32Array(this.memory.buffer, this.matrix, this.rows * this.dim);
  }

  /** Unit-normalised row r (a view). */
  row(r: number): Float32Array {
    return new Float32Array(this.memory.buffer, this.matrix + r * this.dim * 4, this.dim);
  }

  /**
   * Top k of the first `limit` rows for n queries (queries: at least n × dim floats, at most
   * queriesPerCall(k) queries), on the main thread; results to `into` from query `at` on.
   */
  topK(queries: Float32Array, n: number, k: number, limit: number, into: TopKTarget, at: number): void {
    const slot = this.slots[0];
    new Float32Array(this.memory.buffer, slot.queries, n * this.dim).set(queries.subarray(0, n * this.dim));
    this.exports.topK(this.matrix, limit, this.dim, slot.queries, n, k, slot.out);
    this.readResults(slot.out, n, k, into, at);
  }

  /** The same as topK on worker t (after `startWorkers`), through its own slot. */
  topKOnWorker(t: number, queries: Float32Array, n: number, k: number, limit: number, into: TopKTarget, at: number): Promise<void> {
    const started = this.pool;
    if (!started) return Promise.reject(new Wasm2VecError('WORKER_FAILED', 'the search workers were stopped'));
    return this.withSlot(t, async () => {
      const pool = await started;
      const slot = this.slots[t + 1];
      new Float32Array(this.memory.buffer, slot.queries, n * this.dim).set(queries.subarray(0, n * this.dim));
      await pool.call(t, [['topK', this.matrix, limit, this.dim, slot.queries, n, k, slot.out]]);
      this.readResults(slot.out, n, k, into, at);
    });
  }

  private readResults(out: number, n: number, k: number, into: TopKTarget, at: number): void {
    const ints = new Int32Array(this.memory.buffer, out, n * k * 2);
    const floats = new Float32Array(this.memory.buffer, out, n * k * 2);
    for (let i = 0; i < n * k; i++) {
      into.rows[at * k + i] = ints[2 * i];
      into.scores[at * k + i] = floats[2 * i + 1];
    }
  }

  /** Serialises use of worker slot t across concurrent batch calls. */
  private withSlot<T>(t: number, job: () => Promise<T>): Promise<T> {
    const prev = this.slotLocks[t] ?? Promise.resolve();
    const run = prev.then(job, job);
    this.slotLocks[t] = run.catch(() => undefined);
    return run;
  }

  /**
   * Starts the workers once, on the first parallel batch, with that batch's thread count (capped);
   * resolves with how many run.
   */
  async startWorkers(threads: number): Promise<number> {
    if (!this.pool) {
      const want = Math.min(threads, MAX_SEARCH_THREADS, await availableCores());
      this.pool = KernelPool.create('search', this.layout, { threads: Math.max(1, want), memory: this.memory });
      this.pool.catch(() => {
        this.pool = null;
      });
    }
    return (await this.pool).threads;
  }

  /** Ends the workers (a failed worker poisons its pool: the next batch starts fresh ones). */
  stopWorkers(): void {
    if (this.pool) {
      void this.pool.then(
        (p) => p.dispose(),
        () => undefined,
      );
      this.pool = null;
    }
  }

  /** Dot products of `query` with the first `limit` rows (a view valid until the next call). */
  scores(query: Float32Array, limit: number): Float32Array {
    const slot = this.slots[0];
    new Float32Array(this.memory.buffer, slot.queries, this.dim).set(query);
    this.exports.scores(this.matrix, limit, this.dim, slot.queries, this.scoreRegion);
    return new Float32Array(this.memory.buffer, this.scoreRegion, limit);
  }

  /** Top k of a score vector of at most `rows` values (k at most maxK), on the main thread. */
  topKOfScores(values: Float32Array, k: number, into: TopKTarget): void {
    new Float32Array(this.memory.buffer, this.scoreRegion, values.length).set(values);
    this.exports.topKOfScores(this.scoreRegion, values.length, k, this.slots[0].out);
    this.readResults(this.slots[0].out, 1, k, into, 0);
  }

  dispose(): void {
    this.stopWorkers();
  }
}
