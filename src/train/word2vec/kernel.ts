import { KernelPool } from '../../runtime/kernel-pool.js';
import { throwIfAborted } from '../../errors.js';
import { untilAborted } from '../../runtime/cooperative.js';
import { WORD2VEC_DESCRIPTOR_BYTES, WORD2VEC_SCRATCH_BYTES, decodeWord2VecScratch, encodeWord2VecDescriptor } from '../../runtime/abi/word2vec.generated.js';
import type { HuffmanCodes } from '../huffman.js';
import type { MatrixName } from './checkpoint.js';
import { planWord2Vec, scratchPlan, type Word2VecRegions } from './layout.js';

/**
 * Batched mode with several threads: each thread trains private copies of the rows of the most frequent
 * words and adds its changes to the shared rows every SYNC_WINDOWS windows (~3-5 ms), so the hottest
 * cache lines stop bouncing between cores. Measured on 2 cores (12 MB slice, skip-gram): 1.65× one
 * thread without, 1.80-1.88× with 256-1024 rows synced every 1024-4096 windows (CBOW 1.43× → 1.70×);
 * syncing every 256 windows cost the gain back. Full-corpus quality with 2 threads was unchanged.
 * The private rows (both matrices) are capped at 512 KiB per thread so they stay in L2.
 */
const HOT_ROWS = 512;
const HOT_BYTES = 512 * 1024;
const SYNC_WINDOWS = 4096;

/** The shape of one model and its training run (the bulky inputs come to `initialise`). */
export interface Word2VecKernelConfig {
  vocab: number;
  dim: number;
  window: number;
  negative: number;
  /** Hierarchical softmax, with codes of at most maxCode branches. */
  hs: boolean;
  maxCode: number;
  cbow: boolean;
  batched: boolean;
  /** Subsampling threshold (0: off). */
  sample: number;
  alpha: number;
  minAlpha: number;
  /** In-vocabulary corpus words per epoch (word2vec.c's train_words). */
  wordsPerEpoch: number;
  epochs: number;
  maxSentenceLength: number;
  /** Largest id chunk a thread is handed (sentences plus their -1 separators). */
  chunkCapacity: number;
  /** Threads asked for (the pool may start fewer: one without shared memory). */
  threads: number;
  seed: number;
  signal?: AbortSignal;
}

/** A checkpoint's matrices and per-thread RNG states, to continue from instead of a fresh initialisation. */
export interface Word2VecResume {
  matrices: ReadonlyMap<MatrixName, Uint8Array>;
  rng: readonly bigint[];
}

/** What one trainChunk call did. */
export interface Word2VecSlice {
  /** Words kept after subsampling. */
  kept: number;
  /** Summed -log(sigmoid) of its output terms. */
  loss: number;
  /** (centre, context) pairs or CBOW windows trained. */
  pairs: number;
}

/** One weight matrix: its checkpoint name, size and a piecewise reader. */
export interface Word2VecMatrix {
  name: MatrixName;
  bytes: number;
  read: (offset: number, bytes: number) => Promise<Uint8Array>;
}

/**
 * The WebAssembly side of one Word2Vec model (assembly/word2vec.ts): lays out the memory, starts the
 * workers, writes the descriptor and tables, initialises (or restores) the weights, and trains id
 * chunks on request. Trainers speak in chunks, slices of a chunk and matrices, never in addresses.
 */
export class Word2VecKernel {
  private constructor(
    private readonly pool: KernelPool<'word2vec'>,
    private readonly regions: Word2VecRegions,
    private readonly config: Omit<Word2VecKernelConfig, 'signal'>,
    private readonly hotRows: number,
    private readonly matrixNames: readonly MatrixName[],
  ) {}

  /**
   * Plans the memory (MEMORY_LIMIT in words when wasm32 cannot hold it) and starts the workers; an
   * abort meanwhile rejects at once (a late pool is disposed). Then `initialise` loads the model.
   */
  static async create(c: Word2VecKernelConfig): Promise<Word2VecKernel> {
    const hotRows = c.threads > 1 && c.batched && !c.hs && c.negative > 0 ? Math.min(c.vocab, HOT_ROWS, Math.floor(HOT_BYTES / (2 * 4 * c.dim))) : 0;
    const { layout, regions } = planWord2Vec({
      vocab: c.vocab,
      dim: c.dim,
      negative: c.negative,
      hs: c.hs,
      maxCode: c.maxCode,
      threads: c.threads,
      chunkCapacity: c.chunkCapacity,
      maxSentenceLength: c.maxSentenceLength,
      window: c.window,
      hotRows,
    });
    throwIfAborted(c.signal, 'Word2Vec training');
    // Starting workers takes ~50-100 ms: an abort meanwhile rejects at once (a late pool is disposed).
    const pool = await untilAborted(KernelPool.create('word2vec', layout, { threads: c.threads }), c.signal, 'Word2Vec training', (p) => p.dispose());
    const matrixNames: MatrixName[] = ['syn0', ...(c.negative > 0 ? ['syn1neg' as const] : []), ...(c.hs ? ['syn1' as const] : [])];
    const { signal: _s, ...shape } = c;
    return new Word2VecKernel(pool, regions, shape, hotRows, matrixNames);
  }

  private get vocab(): number {
    return this.config.vocab;
  }

  private get dim(): number {
    return this.config.dim;
  }

  /**
   * Writes the descriptor, the word counts (id order) and the Huffman tree (hs), computes the sigmoid,
   * subsampling and noise tables, seeds every thread, and initialises the weights or restores the
   * checkpoint's. Nothing passed here is kept. The caller disposes on failure.
   */
  async initialise(counts: Float64Array, huffman: HuffmanCodes | null, resume: Word2VecResume | null): Promise<void> {
    const { pool, regions, config: c, hotRows } = this;
    const threads = pool.threads;
    const sp = scratchPlan(c.dim, c.maxSentenceLength, c.window, c.negative, hotRows);
    const desc = new DataView(new ArrayBuffer(WORD2VEC_DESCRIPTOR_BYTES));
    encodeWord2VecDescriptor(desc, 0, {
      dim: c.dim,
      vocab: this.vocab,
      window: c.window,
      negative: c.negative,
      hs: c.hs,
      cbow: c.cbow,
      sample: c.sample > 0,
      syn0: regions.syn0,
      syn1neg: regions.syn1neg,
      syn1: regions.syn1,
      expTable: regions.exp,
      lossTable: regions.loss,
      keep: regions.keep,
      noise: regions.cum,
      codeLengths: regions.codeLen,
      codes: regions.codes,
      points: regions.points,
      alpha: c.alpha,
      minAlpha: c.minAlpha,
      totalWords: Math.max(1, c.wordsPerEpoch * c.epochs),
      maxCode: c.maxCode,
      maxSentence: c.maxSentenceLength,
      batched: c.batched,
      neu1eOffset: sp.neu1e,
      sentenceOffset: sp.sentence,
      dInOffset: sp.dIn,
      gradOffset: sp.grad,
      outsOffset: sp.outs,
      // One thread (also a browser's fallback) trains the shared rows directly: no private copies.
      hotRows: threads > 1 ? hotRows : 0,
      syncEvery: SYNC_WINDOWS,
      hotOffset: sp.hot,
    });
    await pool.write(regions.desc, desc);
    await pool.write(regions.counts, counts);
    if (huffman) {
      await pool.write(regions.codeLen, huffman.codeLength);
      await pool.write(regions.codes, huffman.codes);
      await pool.write(regions.points, huffman.points);
    }
    const seed = BigInt(c.seed);
    const d = regions.desc;
    await pool.call(0, [
      ['initTables', d],
      ['initKeep', d, regions.counts, this.vocab, c.sample, c.wordsPerEpoch],
      ['initNoise', d, regions.counts, this.vocab, 0.75],
      ...(resume ? [] : [['initWeights', d, seed] as const]),
    ]);
    await Promise.all(Array.from({ length: threads }, (_, t) => pool.call(t, [['setup', d, regions.scratch[t], seed, t]])));
    if (resume) {
      for (const m of this.matrices()) await pool.write(this.matrixOffset(m.name), resume.matrices.get(m.name)!);
      // Threads beyond those the checkpoint knew keep their freshly seeded streams (see README: threads > 1).
      for (let t = 0; t < Math.min(threads, resume.rng.length); t++) await pool.write(regions.scratch[t], BigUint64Array.of(resume.rng[t]));
    }
  }

  /** Workers actually running (1 where memory cannot be shared). */
  get threads(): number {
    return this.pool.threads;
  }

  /** Why fewer threads run than asked for, or null. */
  get fallbackReason(): string | null {
    return this.pool.fallbackReason;
  }

  /** Hands thread t its next chunk of ids (sentences separated by -1). */
  async loadChunk(t: number, ids: Int32Array): Promise<void> {
    await this.pool.write(this.regions.input[t], ids);
  }

  /** Thread t trains ids [from, to) of its chunk; `wordsBefore` (all epochs) fixes the learning rate. */
  async train(t: number, from: number, to: number, wordsBefore: number): Promise<Word2VecSlice> {
    const ids = this.regions.input[t] + from * 4;
    const [kept, loss, pairs] = await this.pool.call(t, [['trainChunk', ids, to - from, wordsBefore], ['lastLoss'], ['lastPairs']]);
    return { kept, loss, pairs };
  }

  private matrixOffset(name: MatrixName): number {
    return name === 'syn0' ? this.regions.syn0 : name === 'syn1neg' ? this.regions.syn1neg : this.regions.syn1;
  }

  /** The model's weight matrices in checkpoint order (syn0, then syn1neg and syn1 when trained). */
  matrices(): Word2VecMatrix[] {
    const bytes = this.vocab * this.dim * 4;
    return this.matrixNames.map((name) => {
      const at = this.matrixOffset(name);
      return { name, bytes, read: (offset: number, n: number) => this.pool.read(at + offset, n) };
    });
  }

  /** Non-finite values in the first matrix that has any (0: all finite): the health check after an epoch. */
  async nonFiniteWeights(): Promise<number> {
    for (const m of this.matrices()) {
      const [bad] = await this.pool.call(0, [['countNonFinite', this.matrixOffset(m.name), m.bytes / 4]]);
      if (bad > 0) return bad;
    }
    return 0;
  }

  /** Every thread's RNG state (Word2VecScratch.rng), for a checkpoint. */
  readRngStates(): Promise<bigint[]> {
    return Promise.all(
      this.regions.scratch.slice(0, this.pool.threads).map(async (at) => {
        const b = await this.pool.read(at, WORD2VEC_SCRATCH_BYTES);
        return decodeWord2VecScratch(new DataView(b.buffer, b.byteOffset, b.byteLength), 0).rng;
      }),
    );
  }

  /** A copy of the input vectors (syn0) or the negative-sampling output vectors (syn1neg), vocab × dim. */
  readVectors(name: 'syn0' | 'syn1neg'): Promise<Float32Array> {
    return this.pool.readF32(this.matrixOffset(name), this.vocab * this.dim);
  }

  /** Ends the workers and releases the memory. */
  dispose(): void {
    this.pool.dispose();
  }
}
