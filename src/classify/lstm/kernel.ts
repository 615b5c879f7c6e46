import { Wasm2VecError } from '../../errors.js';
import { KernelPool, type KernelCall } from '../../runtime/kernel-pool.js';
import {
  LSTM_DESCRIPTOR_BYTES,
  LSTM_DESCRIPTOR_OFFSETS,
  LSTM_THREAD_DESCRIPTOR_BYTES,
  encodeLstmDescriptor,
  encodeLstmThreadDescriptor,
} from '../../runtime/abi/lstm.generated.js';
import { DENSE_CHUNK, EMB_CHUNK_FLOATS, SHARD_ROWS, planClassifier, type NetworkShape, type ClassifierRegions, type TensorSlot } from './layout.js';

export interface OptimizerSettings {
  trainEmbeddings: boolean;
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

export interface EngineCapacity {
  threads: number;
  batchRows: number;
  predictRows: number;
}

/** A named weight tensor in Keras get_weights() order and shape (row-major). */
export interface TextClassifierWeightTensor {
  name: string;
  shape: number[];
  values: Float32Array;
}

export interface BatchResult {
  /** Sum of the rows' losses (f64, summed in shard order). */
  lossSum: number;
  correct: number;
}

/**
 * The WebAssembly side of a TextClassifier (assembly/lstm.ts): one memory holding weights, Adam state,
 * per-shard gradients and per-thread scratch, and the workers that run the kernels on it. Speaks in id
 * matrices (rows × sequenceLength, Int32) and integer labels; text handling lives in TextClassifier.
 */
export class LstmKernel {
  private constructor(
    readonly shape: NetworkShape,
    readonly capacity: EngineCapacity,
    readonly settings: OptimizerSettings,
    private readonly pool: KernelPool<'lstm'>,
    private readonly regions: ClassifierRegions,
  ) {}

  static async create(shape: NetworkShape, capacity: EngineCapacity, settings: OptimizerSettings): Promise<LstmKernel> {
    const { layout, regions } = planClassifier(shape, capacity);
    const pool = await KernelPool.create('lstm', layout, { threads: capacity.threads });
    try {
      await pool.write(regions.desc, encodeModel(shape, regions, settings));
      for (let t = 0; t < pool.threads; t++) {
        const d = new DataView(new ArrayBuffer(LSTM_THREAD_DESCRIPTOR_BYTES));
        encodeLstmThreadDescriptor(d, 0, regions.threads[t].descriptor);
        await pool.write(regions.threads[t].desc, d);
      }
      await Promise.all(Array.from({ length: pool.threads }, (_, t) => pool.call(t, [['setup', regions.desc, regions.threads[t].desc]])));
    } catch (e) {
      pool.dispose();
      throw e;
    }
    return new LstmKernel(shape, capacity, settings, pool, regions);
  }

  /** Workers actually running (1 where memory cannot be shared). */
  get threads(): number {
    return this.pool.threads;
  }

  /** Why fewer threads run than asked for, or null. */
  get fallbackReason(): string | null {
    return this.pool.fallbackReason;
  }

  /** Keras-default initialisation from `seed` (computed in WASM), Adam state cleared. */
  async initWeights(seed: number): Promise<void> {
    await this.pool.call(0, [['initParams', BigInt(seed)]]);
  }

  async resetOptimizer(): Promise<void> {
    await this.pool.call(0, [['resetOptimizer']]);
  }

  private get embeddingFloats(): number {
    return this.shape.vocabSize * this.shape.embeddingDim;
  }

  /** The weights in Keras order: embedding, then per LSTM kernel / recurrent_kernel / bias, then dense kernel / bias. */
  async getWeights(): Promise<TextClassifierWeightTensor[]> {
    const emb = await this.pool.readF32(this.regions.emb, this.embeddingFloats);
    const params = await this.pool.readF32(this.regions.params, this.regions.plan.floats);
    return [
      { name: 'embedding/embeddings', shape: [this.shape.vocabSize, this.shape.embeddingDim], values: emb },
      ...this.regions.plan.tensors.map((t) => ({ name: t.name, shape: t.shape, values: params.slice(t.offset, t.offset + t.length) })),
    ];
  }

  /** The tensor layout setWeights expects (names and shapes in order). */
  get tensorSlots(): { name: string; shape: number[] }[] {
    return [
      { name: 'embedding/embeddings', shape: [this.shape.vocabSize, this.shape.embeddingDim] },
      ...this.regions.plan.tensors.map((t) => ({ name: t.name, shape: t.shape })),
    ];
  }

  /** Replaces all weights; arrays in getWeights() order with exactly those lengths. */
  async setWeights(values: ArrayLike<number>[]): Promise<void> {
    const slots = this.tensorSlots;
    if (!Array.isArray(values) || values.length !== slots.length) {
      throw new Wasm2VecError(
        'INVALID_OPTION',
        `setWeights: expected ${slots.length} arrays (${slots.map((s) => s.name).join(', ')}), got ${Array.isArray(values) ? values.length : typeof values}`,
      );
    }
    slots.forEach((s, i) => {
      const n = s.shape.reduce((a, b) => a * b, 1);
      const v = values[i];
      if (v == null || typeof v.length !== 'number' || v.length !== n) {
        throw new Wasm2VecError('INVALID_OPTION', `setWeights: ${s.name} needs ${n} values (shape [${s.shape.join(', ')}]), got ${v == null ? v : v.length}`);
      }
    });
    await this.setEmbedding(Float32Array.from(values[0]));
    const params = new Float32Array(this.regions.plan.floats);
    this.regions.plan.tensors.forEach((t: TensorSlot, i) => params.set(values[i + 1], t.offset));
    await this.pool.write(this.regions.params, params);
  }

  async setEmbedding(values: Float32Array): Promise<void> {
    await this.pool.write(this.regions.emb, values);
  }

  /** Raw weights and Adam state, for moving the model into an engine with more capacity. */
  async exportState(): Promise<Float32Array[]> {
    const r = this.regions,
      E = this.embeddingFloats,
      P = r.plan.floats;
    return Promise.all([r.emb, r.embM, r.embV].map((o) => this.pool.readF32(o, E)).concat([r.params, r.pm, r.pv].map((o) => this.pool.readF32(o, P))));
  }

  async importState(state: Float32Array[]): Promise<void> {
    const r = this.regions;
    const targets = [r.emb, r.embM, r.embV, r.params, r.pm, r.pv];
    for (let i = 0; i < targets.length; i++) await this.pool.write(targets[i], state[i]);
  }

  private async writeBatch(ids: Int32Array, labels: Int32Array | null, rows: number): Promise<void> {
    const T = this.shape.sequenceLength;
    if (rows > this.regions.maxRows || ids.length < rows * T) throw new Error(`internal: batch of ${rows} rows does not fit`);
    await this.pool.write(this.regions.ids, ids.subarray(0, rows * T));
    if (labels) await this.pool.write(this.regions.labels, labels.subarray(0, rows));
    await this.pool.write(this.regions.desc + LSTM_DESCRIPTOR_OFFSETS.batchRows, Uint32Array.of(rows));
    await this.pool.write(this.regions.counter, Int32Array.of(0));
  }

  private async runAll(shards: number, call: KernelCall<'lstm'>): Promise<void> {
    const workers = Math.max(1, Math.min(this.pool.threads, shards));
    await Promise.all(Array.from({ length: workers }, (_, t) => this.pool.call(t, [call])));
  }

  private async shardTotals(shards: number): Promise<BatchResult> {
    const loss = new Float64Array((await this.pool.read(this.regions.shardLoss, shards * 8)).buffer);
    const correct = new Int32Array((await this.pool.read(this.regions.shardCorrect, shards * 4)).buffer);
    let lossSum = 0,
      c = 0;
    for (let s = 0; s < shards; s++) {
      lossSum += loss[s];
      c += correct[s];
    }
    return { lossSum, correct: c };
  }

  /** Phase 1 of a training step: forward + BPTT for `rows` rows into per-shard gradients. */
  async forwardBackward(ids: Int32Array, labels: Int32Array, rows: number): Promise<BatchResult> {
    if (rows > this.capacity.batchRows) throw new Error(`internal: batch of ${rows} rows exceeds capacity ${this.capacity.batchRows}`);
    await this.writeBatch(ids, labels, rows);
    const shards = Math.ceil(rows / SHARD_ROWS);
    await this.runAll(shards, ['trainShards']);
    return this.shardTotals(shards);
  }

  /** Phase 2: sums the shard gradients in order and applies Adam step `step` (1-based). */
  async applyUpdate(step: number): Promise<void> {
    await this.pool.write(this.regions.counter, Int32Array.of(0));
    await this.runAll(this.regions.trainShards, ['applyUpdate', step, 1]);
  }

  /**
   * The batch gradient of the last forwardBackward (mean loss), in getWeights() order, without
   * updating anything. For gradient checks and debugging.
   */
  async gradients(): Promise<TextClassifierWeightTensor[]> {
    await this.pool.write(this.regions.counter, Int32Array.of(0));
    await this.runAll(this.regions.trainShards, ['applyUpdate', 1, 0]);
    const emb = await this.pool.readF32(this.regions.embGrad, this.embeddingFloats);
    await this.pool.write(this.regions.embGrad, new Float32Array(this.embeddingFloats));
    const g = await this.pool.readF32(this.regions.grads, this.regions.plan.floats);
    return [
      { name: 'embedding/embeddings', shape: [this.shape.vocabSize, this.shape.embeddingDim], values: emb },
      ...this.regions.plan.tensors.map((t) => ({ name: t.name, shape: t.shape, values: g.slice(t.offset, t.offset + t.length) })),
    ];
  }

  /**
   * Forward pass over `rows` rows (any number: done in chunks). Returns the probabilities
   * (rows × outputs) and, with labels, the loss sum and correct count.
   */
  async predict(ids: Int32Array, rows: number, labels: Int32Array | null, signal?: AbortSignal): Promise<{ probs: Float32Array } & BatchResult> {
    const T = this.shape.sequenceLength,
      OUT = this.shape.outputs;
    const chunk = this.regions.maxRows;
    const probs = new Float32Array(rows * OUT);
    let lossSum = 0,
      correct = 0;
    for (let start = 0; start < rows; start += chunk) {
      if (signal?.aborted) throw new Wasm2VecError('ABORTED', 'TextClassifier inference was aborted');
      const n = Math.min(chunk, rows - start);
      await this.writeBatch(ids.subarray(start * T, (start + n) * T), labels ? labels.subarray(start, start + n) : null, n);
      const shards = Math.ceil(n / SHARD_ROWS);
      await this.runAll(shards, ['predictShards', n, labels ? 1 : 0]);
      probs.set(await this.pool.readF32(this.regions.probs, n * OUT), start * OUT);
      if (labels) {
        const t = await this.shardTotals(shards);
        lossSum += t.lossSum;
        correct += t.correct;
      }
    }
    return { probs, lossSum, correct };
  }

  /** Non-finite values in the weights (the health check after an epoch). */
  async nonFiniteWeights(): Promise<number> {
    const [a, b] = await this.pool.call(0, [
      ['countNonFinite', this.regions.emb, this.embeddingFloats],
      ['countNonFinite', this.regions.params, this.regions.plan.floats],
    ]);
    return a + b;
  }

  dispose(): void {
    this.pool.dispose();
  }
}

/** The model descriptor (LstmDescriptor) for `planClassifier`'s regions. */
function encodeModel(s: NetworkShape, r: ClassifierRegions, o: OptimizerSettings): DataView {
  const d = new DataView(new ArrayBuffer(LSTM_DESCRIPTOR_BYTES));
  const param = (name: string) => r.params + 4 * r.plan.tensors.find((t) => t.name === name)!.offset;
  encodeLstmDescriptor(d, 0, {
    sequenceLength: s.sequenceLength,
    embeddingDim: s.embeddingDim,
    vocabSize: s.vocabSize,
    layerCount: s.units.length,
    outputs: s.outputs,
    shardRows: SHARD_ROWS,
    trainEmbeddings: o.trainEmbeddings,
    embedding: r.emb,
    embeddingGrad: r.embGrad,
    embeddingM: r.embM,
    embeddingV: r.embV,
    params: r.params,
    paramCount: r.plan.floats,
    paramsM: r.pm,
    paramsV: r.pv,
    denseKernel: param('dense/kernel'),
    denseBias: param('dense/bias'),
    grads: r.grads,
    gradStride: r.gradStride,
    dx: r.dx,
    dxStride: r.dxStride,
    shardLoss: r.shardLoss,
    shardCorrect: r.shardCorrect,
    ids: r.ids,
    labels: r.labels,
    probs: r.probs,
    rowLoss: r.rowLoss,
    counter: r.counter,
    batchRows: 0,
    learningRate: o.learningRate,
    beta1: o.beta1,
    beta2: o.beta2,
    epsilon: o.epsilon,
    initScratch: r.initScratch,
    denseChunk: DENSE_CHUNK,
    embeddingChunk: Math.max(1, Math.floor(EMB_CHUNK_FLOATS / s.embeddingDim)),
    layers: s.units.map((H, l) => ({
      inputDim: l === 0 ? s.embeddingDim : s.units[l - 1],
      units: H,
      kernel: param(`lstm_${l}/kernel`),
      recurrentKernel: param(`lstm_${l}/recurrent_kernel`),
      bias: param(`lstm_${l}/bias`),
    })),
  });
  return d;
}
