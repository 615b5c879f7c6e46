import { Wasm2VecError, throwIfAborted } from '../../errors.js';
import { KernelPool } from '../../runtime/kernel-pool.js';
import type { LabelTree } from './label-tree.js';
import {
  EXAMPLE_SET_BYTES,
  LINEAR_DESCRIPTOR_BYTES,
  LINEAR_DESCRIPTOR_OFFSETS,
  LINEAR_SCRATCH_BYTES,
  decodeLinearScratch,
  encodeExampleSet,
  encodeLinearDescriptor,
  type LinearDescriptor,
} from '../../runtime/abi/linear.generated.js';
import { BATCH_IDS, planLinear, scratchPlan, type LinearRegions, type SetRegions } from './layout.js';

/** The output layer: softmax, negative sampling, hierarchical softmax or one-vs-all (LinearDescriptor.loss). */
export type LinearLoss = LinearDescriptor['loss'];

/** The fixed facts of one model: shapes, loss and its tables. */
export interface LinearSpec {
  dim: number;
  nwords: number;
  /** Bucket index of each materialised n-gram row (rows = nwords + usedBuckets.length). */
  usedBuckets: Int32Array;
  labelCounts: Float64Array;
  loss: LinearLoss;
  negative: number;
  tfidf: boolean;
  seed: number;
  learningRate: number;
  tree: LabelTree | null;
}

/** Examples as flat id arrays: example e owns ids[offsets[e] .. offsets[e+1]) and likewise labels. */
export interface EncodedSet {
  ids: Int32Array;
  offsets: Int32Array;
  labels: Int32Array;
  labelOffsets: Int32Array;
}

export interface TrainingSet extends EncodedSet {
  /** fastText's token count per example (words, EOS and labels): the learning-rate clock. */
  tokens: Int32Array;
  /** Document frequency per materialised row (tf-idf only). */
  df: Uint32Array | null;
}

function rowsOf(spec: LinearSpec): number {
  return spec.nwords + spec.usedBuckets.length;
}

function outRowsOf(spec: LinearSpec): number {
  return spec.loss === 'hs' ? spec.labelCounts.length - 1 : spec.labelCounts.length;
}

/**
 * The WebAssembly side of one linear classifier (assembly/linear.ts): its workers and memory. Writes
 * the descriptor and tables, runs training epochs (chunks of the shuffled example order handed to the
 * workers, Hogwild), and batched inference; callers speak in example sets, rows and weights.
 */
export class LinearKernel {
  private constructor(
    readonly spec: LinearSpec,
    private readonly pool: KernelPool<'linear'>,
    private readonly regions: LinearRegions,
    private readonly train: TrainingSet | null,
  ) {}

  get threads(): number {
    return this.pool.threads;
  }

  get fallbackReason(): string | null {
    return this.pool.fallbackReason;
  }

  get rows(): number {
    return rowsOf(this.spec);
  }

  get outRows(): number {
    return outRowsOf(this.spec);
  }

  /**
   * Lays out memory, starts the workers and writes the model's constant tables. With a training set,
   * the input rows get fastText's initialisation and (tf-idf) idf weights from the set's document
   * frequencies; without one the caller writes trained weights.
   */
  static async create(spec: LinearSpec, threads: number, train: TrainingSet | null, signal?: AbortSignal): Promise<LinearKernel> {
    const labels = spec.labelCounts.length;
    const { layout, regions } = planLinear({
      dim: spec.dim,
      rows: rowsOf(spec),
      nwords: spec.nwords,
      labels,
      outRows: outRowsOf(spec),
      hs: spec.loss === 'hs',
      ns: spec.loss === 'ns',
      tfidf: spec.tfidf,
      maxDepth: spec.tree?.maxDepth ?? 0,
      threads,
      train: train ? { examples: train.offsets.length - 1, ids: train.ids.length, labelIds: train.labels.length } : undefined,
    });
    throwIfAborted(signal, 'LinearClassifier training');
    const pool = await KernelPool.create('linear', layout, { threads });
    const rt = new LinearKernel(spec, pool, regions, train);
    try {
      await rt.writeConstants();
      if (train) await rt.writeTrainingSet(train);
      await Promise.all(Array.from({ length: pool.threads }, (_, t) => pool.call(t, [['setup', regions.desc, regions.scratch[t], t]])));
    } catch (e) {
      pool.dispose();
      throw e;
    }
    return rt;
  }

  private async writeConstants(): Promise<void> {
    const { spec, regions: r, pool } = this;
    const sp = scratchPlan(spec.dim, spec.labelCounts.length);
    const desc = new DataView(new ArrayBuffer(LINEAR_DESCRIPTOR_BYTES));
    encodeLinearDescriptor(desc, 0, {
      dim: spec.dim,
      rows: this.rows,
      nwords: spec.nwords,
      labels: spec.labelCounts.length,
      outRows: this.outRows,
      loss: spec.loss,
      negative: spec.negative,
      tfidf: spec.tfidf,
      input: r.input,
      output: r.output,
      idf: r.idf,
      buckets: r.buckets,
      sigmoid: r.sigmoid,
      noise: r.noise,
      paths: r.paths,
      codes: r.codes,
      pathLengths: r.pathLength,
      maxDepth: spec.tree?.maxDepth ?? 0,
      learningRate: spec.learningRate,
      totalTokens: 1,
      seed: BigInt(spec.seed),
      unseenIdf: 1,
      hiddenOffset: sp.hidden,
      gradOffset: sp.grad,
      virtualRowOffset: sp.virtualRow,
      outOffset: sp.out,
    });
    await pool.write(r.desc, desc);
    await pool.write(r.buckets, spec.usedBuckets);
    await pool.write(r.labelCounts, spec.labelCounts);
    if (spec.tree) {
      await pool.write(r.paths, spec.tree.paths);
      await pool.write(r.codes, spec.tree.codes);
      await pool.write(r.pathLength, spec.tree.pathLength);
    }
    await pool.call(0, [['initTables', r.desc], ...(spec.loss === 'ns' ? [['initNoise', r.desc, r.labelCounts] as const] : [])]);
  }

  private async writeTrainingSet(train: TrainingSet): Promise<void> {
    const { regions: r, pool } = this;
    const t = r.train!;
    await writeSet(pool, t, train, train.offsets.length - 1);
    await pool.write(t.tokens, train.tokens);
    // Input rows: fastText's uniform(-1/dim, 1/dim), in slices so no single call runs for seconds.
    const step = Math.max(1, Math.floor(4_000_000 / this.spec.dim));
    for (let from = 0; from < this.rows; from += step) {
      await pool.call(0, [['initInput', r.desc, from, Math.min(this.rows, from + step)]]);
    }
    if (this.spec.tfidf && train.df) {
      await pool.write(r.df, train.df);
      await pool.call(0, [['initIdf', r.desc, r.df, train.offsets.length - 1]]);
    }
  }

  /** A copy of input rows [row, row + count). */
  async readInputRows(row: number, count: number): Promise<Float32Array> {
    return this.pool.readF32(this.regions.input + row * this.spec.dim * 4, count * this.spec.dim);
  }

  /** Overwrites input rows [row, row + values.length / dim) (pretrained word vectors). */
  async writeInputRows(row: number, values: Float32Array): Promise<void> {
    await this.pool.write(this.regions.input + row * this.spec.dim * 4, values);
  }

  /**
   * One epoch over the training set in a fresh seeded order. Workers pull chunks of the order; each
   * example's learning rate follows from the tokens before it, so it does not depend on timing.
   */
  async trainEpoch(epoch: number, epochs: number, signal?: AbortSignal): Promise<{ loss: number; examples: number }> {
    const train = this.train;
    const t = this.regions.train;
    if (!train || !t) throw new Wasm2VecError('UNSUPPORTED', 'this model has no training set in memory');
    const pool = this.pool;
    const n = train.offsets.length - 1;
    let tokensPerEpoch = 0;
    for (let i = 0; i < n; i++) tokensPerEpoch += train.tokens[i];
    await pool.write(this.regions.desc + LINEAR_DESCRIPTOR_OFFSETS.totalTokens, Float64Array.of(Math.max(1, tokensPerEpoch * epochs)));
    await pool.call(0, [['shuffle', t.set, epoch]]);
    const threads = pool.threads;
    const chunk = Math.max(256, Math.min(16384, Math.ceil(n / (threads * 4))));
    let next = 0;
    let loss = 0;
    let examples = 0;
    const before = epoch * tokensPerEpoch;
    const worker = async (w: number) => {
      while (next < n) {
        throwIfAborted(signal, 'LinearClassifier training');
        const from = next;
        const to = Math.min(n, from + chunk);
        next = to;
        const [trained, l] = await pool.call(w, [['trainRange', t.set, from, to, before], ['lastLoss']]);
        examples += trained;
        loss += l;
      }
    };
    await Promise.all(Array.from({ length: threads }, (_, w) => worker(w)));
    return { loss, examples };
  }

  /**
   * Class probabilities for an encoded set, in batches spread over the workers: `onBatch` gets each
   * batch's examples [from, to) and their probabilities ((to - from) × labels, row-major), so callers
   * keep only what they need (top k) even for many labels. With labels, also returns the summed
   * evaluation loss and the number of labelled examples.
   */
  async forward(
    set: EncodedSet,
    withLabels: boolean,
    onBatch: (from: number, to: number, probs: Float32Array) => void,
    signal?: AbortSignal,
  ): Promise<{ loss: number; counted: number }> {
    const labels = this.spec.labelCounts.length;
    const n = set.offsets.length - 1;
    const per = this.regions.batchExamples;
    const labelCapacity = per * 8;
    // Cut batches that fit the per-thread regions.
    const batches: [number, number][] = [];
    for (let from = 0; from < n; ) {
      let to = from;
      while (
        to < n &&
        to - from < per &&
        set.offsets[to + 1] - set.offsets[from] <= BATCH_IDS &&
        set.labelOffsets[to + 1] - set.labelOffsets[from] <= labelCapacity
      )
        to++;
      if (to === from) {
        const ids = set.offsets[from + 1] - set.offsets[from];
        throw new Wasm2VecError(
          'INVALID_OPTION',
          ids > BATCH_IDS
            ? `text ${from} has ${ids} words and n-grams; at most ${BATCH_IDS} fit in one prediction batch (split the text)`
            : `text ${from} has ${set.labelOffsets[from + 1] - set.labelOffsets[from]} labels; at most ${labelCapacity} fit in one batch`,
        );
      }
      batches.push([from, to]);
      from = to;
    }
    let next = 0;
    let loss = 0;
    let counted = 0;
    const worker = async (w: number) => {
      const b = this.regions.batch[w];
      while (next < batches.length) {
        throwIfAborted(signal, 'LinearClassifier prediction');
        const [from, to] = batches[next++];
        await writeSet(this.pool, b, sliceSet(set, from, to, withLabels), to - from);
        const [, l, c] = await this.pool.call(w, [['forwardRange', b.set, 0, to - from, this.regions.probs[w]], ['lastLoss'], ['lastCount']]);
        onBatch(from, to, await this.pool.readF32(this.regions.probs[w], (to - from) * labels));
        loss += l;
        counted += c;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.pool.threads, batches.length) }, (_, w) => worker(w)));
    return { loss, counted };
  }

  async readWeights(): Promise<{ input: Float32Array; output: Float32Array; idf: Float32Array | null; unseenIdf: number }> {
    const r = this.regions;
    const input = await this.pool.readF32(r.input, this.rows * this.spec.dim);
    const output = await this.pool.readF32(r.output, this.outRows * this.spec.dim);
    const idf = this.spec.tfidf ? await this.pool.readF32(r.idf, this.rows) : null;
    const unseenIdf = await this.readUnseenIdf();
    return { input, output, idf, unseenIdf };
  }

  async writeWeights(w: { input: Float32Array; output: Float32Array; idf: Float32Array | null; unseenIdf: number }): Promise<void> {
    const r = this.regions;
    await this.pool.write(r.input, w.input);
    await this.pool.write(r.output, w.output);
    if (this.spec.tfidf && w.idf) await this.pool.write(r.idf, w.idf);
    await this.pool.write(r.desc + LINEAR_DESCRIPTOR_OFFSETS.unseenIdf, Float32Array.of(w.unseenIdf));
    // Workers cached the descriptor in setup(); re-bind them to pick up the unseen-bucket idf.
    await Promise.all(Array.from({ length: this.pool.threads }, (_, t) => this.pool.call(t, [['setup', r.desc, r.scratch[t], t]])));
  }

  /** Non-finite values among the input and output weights (a scan of every weight, as costly as a quarter epoch). */
  async nonFiniteWeights(): Promise<number> {
    const [badIn, badOut] = await this.pool.call(0, [
      ['countNonFinite', this.regions.input, this.rows * this.spec.dim],
      ['countNonFinite', this.regions.output, this.outRows * this.spec.dim],
    ]);
    return badIn + badOut;
  }

  /** The trained state's matrices with piecewise readers, so a checkpoint streams them out of memory without a full copy. */
  weightReaders(): { name: 'input' | 'output' | 'idf'; bytes: number; read: (offset: number, bytes: number) => Promise<Uint8Array> }[] {
    const r = this.regions;
    const reader = (name: 'input' | 'output' | 'idf', at: number, bytes: number) => ({
      name,
      bytes,
      read: (offset: number, n: number) => this.pool.read(at + offset, n),
    });
    return [
      reader('input', r.input, this.rows * this.spec.dim * 4),
      reader('output', r.output, this.outRows * this.spec.dim * 4),
      ...(this.spec.tfidf ? [reader('idf', r.idf, this.rows * 4)] : []),
    ];
  }

  /** The idf of a row no training text contained (LinearDescriptor.unseenIdf, set by initIdf). */
  async readUnseenIdf(): Promise<number> {
    return (await this.pool.readF32(this.regions.desc + LINEAR_DESCRIPTOR_OFFSETS.unseenIdf, 1))[0];
  }

  /** Each worker's RNG state (LinearScratch.rng). */
  async readRngStates(): Promise<bigint[]> {
    return Promise.all(
      this.regions.scratch.slice(0, this.pool.threads).map(async (at) => {
        const b = await this.pool.read(at, LINEAR_SCRATCH_BYTES);
        return decodeLinearScratch(new DataView(b.buffer, b.byteOffset, b.byteLength), 0).rng;
      }),
    );
  }

  /**
   * Sets the workers' RNG states (after writeWeights, whose re-binding reseeds them). Workers beyond
   * `states` keep their freshly seeded streams.
   */
  async writeRngStates(states: readonly bigint[]): Promise<void> {
    for (let t = 0; t < Math.min(states.length, this.pool.threads); t++) await this.pool.write(this.regions.scratch[t], BigUint64Array.of(states[t]));
  }

  dispose(): void {
    this.pool.dispose();
  }
}

function sliceSet(set: EncodedSet, from: number, to: number, withLabels: boolean): EncodedSet {
  const base = set.offsets[from];
  const lbase = set.labelOffsets[from];
  const offsets = set.offsets.subarray(from, to + 1).map((o) => o - base);
  const labelOffsets = withLabels ? set.labelOffsets.subarray(from, to + 1).map((o) => o - lbase) : new Int32Array(to - from + 1);
  return {
    ids: set.ids.subarray(base, set.offsets[to]),
    offsets,
    labels: withLabels ? set.labels.subarray(lbase, set.labelOffsets[to]) : new Int32Array(0),
    labelOffsets,
  };
}

async function writeSet(pool: KernelPool<'linear'>, r: SetRegions, set: EncodedSet, count: number): Promise<void> {
  const d = new DataView(new ArrayBuffer(EXAMPLE_SET_BYTES));
  encodeExampleSet(d, 0, {
    ids: r.ids,
    offsets: r.offsets,
    labels: set.labels.length > 0 || set.labelOffsets[count] > 0 ? r.labels : 0,
    labelOffsets: r.labelOffsets,
    tokens: r.tokens,
    perm: r.perm,
    prefix: r.prefix,
    count,
  });
  await pool.write(r.ids, set.ids);
  await pool.write(r.offsets, set.offsets);
  if (set.labels.length > 0) await pool.write(r.labels, set.labels);
  await pool.write(r.labelOffsets, set.labelOffsets);
  await pool.write(r.set, d);
}
