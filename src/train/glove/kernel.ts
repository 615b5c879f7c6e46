import { throwIfAborted } from '../../errors.js';
import { canShareMemory } from '../../runtime/capabilities.js';
import { untilAborted } from '../../runtime/cooperative.js';
import { KernelPool } from '../../runtime/kernel-pool.js';
import { GLOVE_DESCRIPTOR_BYTES, encodeGloveDescriptor } from '../../runtime/abi/glove.generated.js';
import { planGlove, type GlovePlan, type GloveShape } from './layout.js';

/** One GloVe model: the layout's inputs (minus the thread count), the weighting and AdaGrad settings. */
export interface GloveKernelConfig extends Omit<GloveShape, 'threads'> {
  /** Threads asked for (without shared memory the pool, and so the row partition, has one). */
  threads: number;
  xMax: number;
  alpha: number;
  learningRate: number;
  gradientClip: number;
  signal?: AbortSignal;
}

/** Output vectors: word + context (glove.c -model 2), word only, or context only. */
export type GloveVectorKind = 'sum' | 'word' | 'context';

const EXPORT_MODE: Record<GloveVectorKind, number> = { sum: 0, word: 1, context: 2 };

/**
 * The WebAssembly side of one GloVe model (assembly/glove.ts): plans the memory within the budget,
 * starts the workers, writes the descriptor and the dense-corner tables, and owns the parameter block.
 * The counting and cell drivers (cooccurrence-count.ts, glove-cells.ts) work on its arena through
 * `pool` and `plan`; the trainer (glove.ts) only calls the methods here.
 */
export class GloveKernel {
  private constructor(
    /** The workers, for the counting and cell drivers (typed calls of assembly/glove.ts). */
    readonly pool: KernelPool<'glove'>,
    /** The memory plan: arena, tables, input batches. */
    readonly plan: GlovePlan,
    private readonly settings: Omit<GloveKernelConfig, 'counts' | 'signal' | 'minimumBudget'>,
  ) {}

  /**
   * Plans the memory (MEMORY_LIMIT in words when the budget or wasm32 cannot hold it) and starts the
   * workers; an abort meanwhile rejects at once (a late pool is disposed). Then `initialise`.
   */
  static async create(c: GloveKernelConfig): Promise<GloveKernel> {
    // The pool falls back to one worker without shared memory; the row partition must match.
    const { signal, minimumBudget, ...settings } = c;
    const plan = planGlove({ ...c, threads: canShareMemory() ? c.threads : 1 });
    throwIfAborted(signal, 'GloVe training');
    const pool = await untilAborted(KernelPool.create('glove', plan.layout, { threads: c.threads }), signal, 'GloVe training', (late) => late.dispose());
    const { counts: _c, ...rest } = settings;
    return new GloveKernel(pool, plan, rest);
  }

  /** Writes the descriptor, the dense-row lookup and row owners, and binds every thread to its table. */
  async initialise(): Promise<void> {
    const { pool, plan, settings: s } = this;
    const { regions } = plan;
    const desc = new DataView(new ArrayBuffer(GLOVE_DESCRIPTOR_BYTES));
    encodeGloveDescriptor(desc, 0, {
      vocab: this.vocab,
      dim: s.dim,
      stride: plan.stride,
      rowBytes: plan.rowBytes,
      window: s.window,
      symmetric: s.symmetric,
      partitioned: pool.threads > 1,
      lookup: regions.lookup,
      dense: regions.dense,
      owner: regions.owner,
      invDist: regions.invDist,
      params: regions.params,
      xMax: s.xMax,
      alpha: s.alpha,
      learningRate: s.learningRate,
      gradientClip: s.gradientClip,
    });
    await pool.write(regions.desc, desc);
    await pool.write(regions.lookup, plan.lookup);
    await pool.write(regions.owner, plan.owner);
    await pool.call(0, [['initInverseDistances', regions.desc]]);
    await Promise.all(regions.tables.map((tb, t) => pool.call(t, [['setup', regions.desc, t, tb.offset, tb.slots, tb.limit]])));
  }

  private get vocab(): number {
    return this.plan.lookup.length - 1;
  }

  /** Workers actually running (1 where memory cannot be shared). */
  get threads(): number {
    return this.pool.threads;
  }

  /** Why fewer threads run than asked for, or null. */
  get fallbackReason(): string | null {
    return this.pool.fallbackReason;
  }

  /** Bytes of WebAssembly memory the model holds. */
  get memoryBytes(): number {
    return this.plan.layout.pages * 65536;
  }

  /** Bytes of the parameter block (word and context rows with their biases and AdaGrad sums). */
  get paramBytes(): number {
    return 2 * this.vocab * this.plan.rowBytes;
  }

  /** glove.c's initialisation from `seed`. */
  async initParams(seed: number): Promise<void> {
    await this.pool.call(0, [['initParams', BigInt(seed)]]);
  }

  /** Replaces the parameter block (paramBytes bytes, e.g. from a checkpoint). */
  async writeParams(bytes: Uint8Array): Promise<void> {
    await this.pool.write(this.plan.regions.params, bytes);
  }

  /** Reads `bytes` of the parameter block from `offset` (a checkpoint streams it out piecewise). */
  readParams(offset: number, bytes: number): Promise<Uint8Array> {
    return this.pool.read(this.plan.regions.params + offset, bytes);
  }

  /** Non-finite values among the parameters: the health check after an epoch. */
  async nonFiniteParams(): Promise<number> {
    const [bad] = await this.pool.call(0, [['countNonFinite', this.plan.regions.params, this.paramBytes / 4]]);
    return bad;
  }

  /** The trained vectors in one combination, vocab × dim. */
  async readVectors(kind: GloveVectorKind): Promise<Float32Array> {
    await this.pool.call(0, [['exportVectors', this.plan.regions.output, EXPORT_MODE[kind]]]);
    return this.pool.readF32(this.plan.regions.output, this.vocab * this.settings.dim);
  }

  /** Ends the workers (a long kernel call with them) and releases the memory. */
  dispose(): void {
    this.pool.dispose();
  }
}
