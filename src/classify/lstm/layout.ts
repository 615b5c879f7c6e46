import { MemoryLayout } from '../../runtime/memory-layout.js';
import {
  LSTM_DESCRIPTOR_BYTES,
  LSTM_DESCRIPTOR_LAYERS_COUNT,
  LSTM_THREAD_DESCRIPTOR_BYTES,
  LSTM_THREAD_DESCRIPTOR_LAYERS_COUNT,
  type LstmThreadDescriptor,
} from '../../runtime/abi/lstm.generated.js';

/** The descriptors have room for this many LSTM layers (LstmDescriptor.layers in assembly/abi/lstm.abi.json). */
export const MAX_LAYERS = Math.min(LSTM_DESCRIPTOR_LAYERS_COUNT, LSTM_THREAD_DESCRIPTOR_LAYERS_COUNT);

/**
 * Rows per gradient shard. A model constant, not a function of the thread count: the per-shard
 * gradients and their fixed-order sum are what make 1- and N-thread training bit-identical.
 */
export const SHARD_ROWS = 8;
/** Parameters per phase-2 work item (dense weights) and embedding floats per item (rounded to rows). */
export const DENSE_CHUNK = 16384;
export const EMB_CHUNK_FLOATS = 16384;

export interface NetworkShape {
  vocabSize: number;
  sequenceLength: number;
  embeddingDim: number;
  units: number[];
  /** Dense outputs: 1 (sigmoid, binary) or the number of classes (softmax). */
  outputs: number;
}

/** Where one parameter tensor lives inside the dense parameter block (float offsets). */
export interface TensorSlot {
  name: string;
  shape: number[];
  offset: number;
  length: number;
}

export interface ParamPlan {
  /** Dense parameters (all but the embedding), in Keras get_weights() order. */
  tensors: TensorSlot[];
  /** Floats in the dense block, including 16-byte alignment gaps. */
  floats: number;
}

/** Keras get_weights() order after the embedding: per LSTM kernel, recurrent_kernel, bias; then dense. */
export function planParams(s: NetworkShape): ParamPlan {
  const tensors: TensorSlot[] = [];
  let at = 0;
  const add = (name: string, shape: number[]) => {
    const length = shape.reduce((a, b) => a * b, 1);
    tensors.push({ name, shape, offset: at, length });
    at += Math.ceil(length / 4) * 4;
  };
  s.units.forEach((H, l) => {
    const inDim = l === 0 ? s.embeddingDim : s.units[l - 1];
    add(`lstm_${l}/kernel`, [inDim, 4 * H]);
    add(`lstm_${l}/recurrent_kernel`, [H, 4 * H]);
    add(`lstm_${l}/bias`, [4 * H]);
  });
  const last = s.units[s.units.length - 1];
  add('dense/kernel', [last, s.outputs]);
  add('dense/bias', [s.outputs]);
  return { tensors, floats: at };
}

export interface Capacity {
  threads: number;
  /** Largest training batch. */
  batchRows: number;
  /** Rows per inference call. */
  predictRows: number;
}

export interface ClassifierRegions {
  desc: number;
  emb: number;
  embGrad: number;
  embM: number;
  embV: number;
  params: number;
  pm: number;
  pv: number;
  grads: number;
  gradStride: number;
  dx: number;
  dxStride: number;
  shardLoss: number;
  shardCorrect: number;
  ids: number;
  labels: number;
  probs: number;
  rowLoss: number;
  counter: number;
  initScratch: number;
  /** Per worker: its descriptor's address and contents. */
  threads: { desc: number; descriptor: LstmThreadDescriptor }[];
  plan: ParamPlan;
  trainShards: number;
  maxRows: number;
}

const f32 = (n: number) => n * 4;

/** Lays out one classifier (weights, Adam state, shard gradients, batches, thread scratch) in one memory. */
export function planClassifier(s: NetworkShape, cap: Capacity): { layout: MemoryLayout; regions: ClassifierRegions } {
  const L = new MemoryLayout();
  const T = s.sequenceLength,
    E = s.embeddingDim,
    V = s.vocabSize,
    R = SHARD_ROWS,
    S = R + 1;
  const Hmax = Math.max(...s.units);
  const plan = planParams(s);
  const trainShards = Math.ceil(cap.batchRows / R);
  const maxRows = Math.max(cap.batchRows, cap.predictRows);
  const maxShards = Math.ceil(maxRows / R);
  const embWhat = `vocabulary ${V.toLocaleString('en-US')} × embedding ${E} × 4 bytes`;
  const gradStride = Math.ceil(f32(plan.floats) / 64) * 64;
  const dxStride = Math.ceil(f32((T * R + 1) * E) / 64) * 64;
  const r: Omit<ClassifierRegions, 'threads'> & { threads: ClassifierRegions['threads'] } = {
    desc: L.alloc('descriptor', LSTM_DESCRIPTOR_BYTES),
    emb: L.alloc('embedding', f32(V * E), embWhat),
    embGrad: L.alloc('embedding gradient', f32(V * E), embWhat),
    embM: L.alloc('embedding Adam m', f32(V * E), embWhat),
    embV: L.alloc('embedding Adam v', f32(V * E), embWhat),
    params: L.alloc('LSTM and dense weights', f32(plan.floats)),
    pm: L.alloc('Adam m', f32(plan.floats)),
    pv: L.alloc('Adam v', f32(plan.floats)),
    grads: L.alloc('shard gradients', gradStride * trainShards, `${trainShards} shards of ${R} rows`),
    gradStride,
    dx: L.alloc('shard embedding gradients', dxStride * trainShards),
    dxStride,
    shardLoss: L.alloc('shard losses', 8 * maxShards),
    shardCorrect: L.alloc('shard correct counts', 4 * maxShards),
    ids: L.alloc('batch token ids', 4 * maxRows * T),
    labels: L.alloc('batch labels', 4 * maxRows),
    probs: L.alloc('batch probabilities', f32(maxRows * s.outputs)),
    rowLoss: L.alloc('batch row losses', 8 * maxRows),
    counter: L.alloc('work counter', 64),
    initScratch: L.alloc('initialisation scratch', 8 * Math.max(...s.units.map((h) => 4 * h * h))),
    threads: [],
    plan,
    trainShards,
    maxRows,
  };
  const listBytes = 4 * (T * S + 1);
  for (let t = 0; t < cap.threads; t++) {
    const p = `thread ${t} `;
    const desc = L.alloc(p + 'descriptor', LSTM_THREAD_DESCRIPTOR_BYTES);
    const block = {
      zeros: L.alloc(p + 'zeros', f32(Math.max(Hmax, E))),
      gateGrads: L.alloc(p + 'gate gradients', f32(T * R * 4 * Hmax)),
      inputGradsA: L.alloc(p + 'output gradients A', f32(T * R * Hmax)),
      inputGradsB: L.alloc(p + 'output gradients B', f32(T * R * Hmax)),
      dh: L.alloc(p + 'dh', f32(R * Hmax)),
      dc: L.alloc(p + 'dc', f32(R * Hmax)),
      padGateGrads: L.alloc(p + 'padding gate gradients', f32(T * 4 * Hmax)),
      listA: L.alloc(p + 'row list A', listBytes),
      listB: L.alloc(p + 'row list B', listBytes),
      listC: L.alloc(p + 'row list C', listBytes),
      listH: L.alloc(p + 'row list H', listBytes),
      padLengths: L.alloc(p + 'padding lengths', 4 * R),
      logitGrads: L.alloc(p + 'logit gradients', f32(R * s.outputs)),
      padTotal: L.alloc(p + 'padding total', f32(4 * Hmax)),
    };
    const layers = s.units.map((H, l) => {
      const inDim = l === 0 ? E : s.units[l - 1];
      return {
        gates: L.alloc(`${p}layer ${l} gates`, f32(T * S * 4 * H)),
        cells: L.alloc(`${p}layer ${l} cells`, f32(T * S * H)),
        outputs: L.alloc(`${p}layer ${l} outputs`, f32(T * S * H)),
        tanhCells: L.alloc(`${p}layer ${l} tanh(cells)`, f32(T * S * H)),
        recurrentKernelT: L.alloc(`${p}layer ${l} recurrent kernel^T`, f32(4 * H * H)),
        kernelT: L.alloc(`${p}layer ${l} kernel^T`, f32(4 * H * inDim)),
      };
    });
    r.threads.push({ desc, descriptor: { ...block, layers } });
  }
  L.check('TextClassifier');
  return { layout: L, regions: r };
}
