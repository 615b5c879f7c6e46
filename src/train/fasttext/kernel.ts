import { KernelPool } from '../../runtime/kernel-pool.js';
import { throwIfAborted } from '../../errors.js';
import { untilAborted } from '../../runtime/cooperative.js';
import { FAST_TEXT_DESCRIPTOR_BYTES, FAST_TEXT_SCRATCH_BYTES, decodeFastTextScratch, encodeFastTextDescriptor } from '../../runtime/abi/fasttext.generated.js';
import type { HuffmanCodes } from '../huffman.js';
import type { FastTextMatrixName } from './checkpoint.js';
import { planFastText, scratchPlan, type FastTextRegions } from './layout.js';

/** Input rows each initInput call fills (~10 ms at dim 100), so a 2M-bucket matrix is spread over the threads. */
const INIT_ROWS = 1 << 14;

/** The shape of one model and its training run (the bulky inputs come to `initialise`). */
export interface FastTextKernelConfig {
  nwords: number;
  bucket: number;
  dim: number;
  window: number;
  negative: number;
  loss: 'ns' | 'hs' | 'softmax';
  maxCode: number;
  cbow: boolean;
  batched: boolean;
  /** fastText's t (0: no subsampling). */
  sample: number;
  lr: number;
  lrUpdateRate: number;
  /** All corpus tokens (fastText's ntokens: the subsampling frequencies' denominator). */
  ntokens: number;
  /** In-vocabulary corpus words per epoch. */
  wordsPerEpoch: number;
  epochs: number;
  maxSentenceLength: number;
  /** Largest id chunk a thread is handed (sentences plus their -1 separators). */
  chunkCapacity: number;
  subwordEntries: number;
  threads: number;
  seed: number;
  signal?: AbortSignal;
}

/** A checkpoint's matrices and per-thread RNG states, to continue from instead of a fresh initialisation. */
export interface FastTextResume {
  matrices: ReadonlyMap<FastTextMatrixName, Uint8Array>;
  rng: readonly bigint[];
}

/** What one trainChunk call did. */
export interface FastTextSlice {
  kept: number;
  loss: number;
  /** Updates (skip-gram pairs, CBOW windows). */
  pairs: number;
}

export interface FastTextKernelMatrix {
  name: FastTextMatrixName;
  bytes: number;
  read: (offset: number, bytes: number) => Promise<Uint8Array>;
}

/**
 * The WebAssembly side of one FastText model (assembly/fasttext.ts): lays out the memory, starts the
 * workers, writes the descriptor, tables and subword rows, initialises (or restores) the weights, and
 * trains id chunks on request. The trainer speaks in chunks, slices and matrices, never in addresses.
 */
export class FastTextKernel {
  private constructor(
    private readonly pool: KernelPool<'fasttext'>,
    private readonly regions: FastTextRegions,
    private readonly config: Omit<FastTextKernelConfig, 'signal'>,
  ) {}

  /** Plans the memory (MEMORY_LIMIT in words when wasm32 cannot hold it) and starts the workers. */
  static async create(c: FastTextKernelConfig): Promise<FastTextKernel> {
    const { layout, regions } = planFastText({
      nwords: c.nwords,
      bucket: c.bucket,
      dim: c.dim,
      window: c.window,
      negative: c.loss === 'ns' ? c.negative : 0,
      loss: c.loss,
      maxCode: c.maxCode,
      subwordEntries: c.subwordEntries,
      threads: c.threads,
      chunkCapacity: c.chunkCapacity,
      maxSentenceLength: c.maxSentenceLength,
    });
    throwIfAborted(c.signal, 'FastText training');
    const pool = await untilAborted(KernelPool.create('fasttext', layout, { threads: c.threads }), c.signal, 'FastText training', (p) => p.dispose());
    const { signal: _s, ...shape } = c;
    return new FastTextKernel(pool, regions, shape);
  }

  /**
   * Writes the descriptor, counts, subword rows and Huffman tree (hs), computes the tables, seeds every
   * thread, and initialises the weights (input uniform in ±1/dim, output zero) or restores a checkpoint's.
   */
  async initialise(
    counts: Float64Array,
    subwords: { starts: Uint32Array; rows: Int32Array },
    huffman: HuffmanCodes | null,
    resume: FastTextResume | null,
  ): Promise<void> {
    const { pool, regions, config: c } = this;
    const threads = pool.threads;
    const negative = c.loss === 'ns' ? c.negative : 0;
    const sp = scratchPlan({ ...c, negative });
    const desc = new DataView(new ArrayBuffer(FAST_TEXT_DESCRIPTOR_BYTES));
    encodeFastTextDescriptor(desc, 0, {
      dim: c.dim,
      nwords: c.nwords,
      window: c.window,
      negative,
      loss: c.loss,
      cbow: c.cbow,
      batched: c.batched,
      sample: c.sample > 0,
      input: regions.input,
      output: regions.output,
      sigmoidTable: regions.sigmoid,
      logTable: regions.log,
      keep: regions.keep,
      negatives: regions.negatives,
      subwordStarts: regions.subwordStarts,
      subwords: regions.subwords,
      codeLengths: regions.codeLen,
      codes: regions.codes,
      points: regions.points,
      maxCode: c.maxCode,
      lr: c.lr,
      totalWords: Math.max(1, c.wordsPerEpoch * c.epochs),
      lrUpdateRate: c.lrUpdateRate,
      maxSentence: c.maxSentenceLength,
      hiddenOffset: sp.hidden,
      gradOffset: sp.grad,
      sentenceOffset: sp.sentence,
      outsOffset: sp.outs,
      scoresOffset: sp.scores,
    });
    await pool.write(regions.desc, desc);
    await pool.write(regions.counts, counts);
    await pool.write(regions.subwordStarts, subwords.starts);
    await pool.write(regions.subwords, subwords.rows);
    if (huffman) {
      await pool.write(regions.codeLen, huffman.codeLength);
      await pool.write(regions.codes, huffman.codes);
      await pool.write(regions.points, huffman.points);
    }
    const seed = BigInt(c.seed);
    const d = regions.desc;
    await pool.call(0, [
      ['initTables', d],
      ['initKeep', d, regions.counts, c.nwords, c.sample, Math.max(1, c.ntokens)],
      ['initNegatives', d, regions.counts, c.nwords],
    ]);
    if (!resume) {
      // Every row has its own random stream, so splitting the rows over the threads changes nothing.
      const rows = c.nwords + c.bucket;
      let next = 0;
      await Promise.all(
        Array.from({ length: threads }, async (_, t) => {
          for (let from = next; from < rows; from = next) {
            next = Math.min(rows, from + INIT_ROWS);
            await pool.call(t, [['initInput', d, seed, from, next]]);
          }
        }),
      );
    }
    await Promise.all(Array.from({ length: threads }, (_, t) => pool.call(t, [['setup', d, regions.scratch[t], seed, t]])));
    if (resume) {
      for (const m of this.matrices()) await pool.write(this.matrixOffset(m.name), resume.matrices.get(m.name)!);
      // Threads beyond those the checkpoint knew keep their freshly seeded streams.
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
    await this.pool.write(this.regions.ids[t], ids);
  }

  /** Thread t trains ids [from, to) of its chunk; `wordsBefore` (all epochs) fixes the learning rate. */
  async train(t: number, from: number, to: number, wordsBefore: number): Promise<FastTextSlice> {
    const ids = this.regions.ids[t] + from * 4;
    const [kept, loss, pairs] = await this.pool.call(t, [['trainChunk', ids, to - from, wordsBefore], ['lastLoss'], ['lastPairs']]);
    return { kept, loss, pairs };
  }

  private matrixOffset(name: FastTextMatrixName): number {
    return name === 'input' ? this.regions.input : this.regions.output;
  }

  private matrixRows(name: FastTextMatrixName): number {
    return name === 'input' ? this.config.nwords + this.config.bucket : this.config.nwords;
  }

  /** The weight matrices in checkpoint order (input, output). */
  matrices(): FastTextKernelMatrix[] {
    return (['input', 'output'] as const).map((name) => {
      const at = this.matrixOffset(name);
      return { name, bytes: this.matrixRows(name) * this.config.dim * 4, read: (offset: number, n: number) => this.pool.read(at + offset, n) };
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

  /** Every thread's RNG state (FastTextScratch.rng), for a checkpoint. */
  readRngStates(): Promise<bigint[]> {
    return Promise.all(
      this.regions.scratch.slice(0, this.pool.threads).map(async (at) => {
        const b = await this.pool.read(at, FAST_TEXT_SCRATCH_BYTES);
        return decodeFastTextScratch(new DataView(b.buffer, b.byteOffset, b.byteLength), 0).rng;
      }),
    );
  }

  /** A copy of the input matrix ((nwords + bucket) × dim) or the output matrix (nwords × dim). */
  readMatrix(name: FastTextMatrixName): Promise<Float32Array> {
    return this.pool.readF32(this.matrixOffset(name), this.matrixRows(name) * this.config.dim);
  }

  /** Ends the workers and releases the memory. */
  dispose(): void {
    this.pool.dispose();
  }
}
