import { MemoryLayout } from '../runtime/memory-layout.js';

/** Descriptor slots shared with assembly/lstm.ts (8 bytes each; f64 where noted). */
export const DESC = {
  T: 0, E: 8, V: 16, L: 24, OUT: 32, R: 40, TRAIN_EMB: 48,
  EMB: 56, EMB_GRAD: 64, EMB_M: 72, EMB_V: 80,
  PARAMS: 88, NPARAMS: 96, PM: 104, PV: 112, WD: 120, BD: 128,
  GRADS: 136, GRAD_STRIDE: 144, DX: 152, DX_STRIDE: 160, SHARD_LOSS: 168, SHARD_CORRECT: 176,
  IDS: 184, LABELS: 192, PROBS: 200, ROW_LOSS: 208, COUNTER: 216, BATCH: 224,
  LR: 232, B1: 240, B2: 248, EPS: 256, INIT_SCRATCH: 264, DENSE_CHUNK: 272, EMB_CHUNK: 280,
  LAYERS: 320, LAYER_SLOTS: 64,
} as const;
export const LAYER = { IN: 0, H: 8, W: 16, U: 24, B: 32 } as const;
export const DESC_BYTES = 1024;

/** Per-thread descriptor slots (assembly/lstm.ts TD_* / TL_*). */
export const THREAD = {
  ZERO: 0, DZ: 8, DHIN_A: 16, DHIN_B: 24, DH: 32, DC: 40, PADSUM: 48, ALIST: 56, BLIST: 64, CLIST: 72,
  PADS: 80, DLOGIT: 88, PADTOTAL: 96, HLIST: 104, LAYERS: 128, LAYER_SLOTS: 64,
} as const;
export const THREAD_LAYER = { G: 0, C: 8, H: 16, TC: 24, UT: 32, WT: 40 } as const;
export const THREAD_DESC_BYTES = 1024;
/** The descriptor has room for this many LSTM layers. */
export const MAX_LAYERS = 10;

/**
 * Rows per gradient shard. A model constant, not a function of the thread count: the per-shard
 * gradients and their fixed-order sum are what make 1- and N-thread training bit-identical.
 */
export const SHARD_ROWS = 8;
/** Parameters per phase-2 work item (dense weights) and embedding floats per item (rounded to rows). */
const DENSE_CHUNK = 16384;
const EMB_CHUNK_FLOATS = 16384;

export interface NetworkShape {
  vocabSize: number;
  sequenceLength: number;
  embeddingDim: number;
  units: number[];
  /** Dense outputs: 1 (sigmoid, binary) or the number of classes (softmax). */
  outputs: number;
}

/** Where one parameter tensor lives inside the dense parameter block (float offsets). */
export interface TensorSlot { name: string; shape: number[]; offset: number; length: number }

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
  emb: number; embGrad: number; embM: number; embV: number;
  params: number; pm: number; pv: number;
  grads: number; gradStride: number; dx: number; dxStride: number;
  shardLoss: number; shardCorrect: number;
  ids: number; labels: number; probs: number; rowLoss: number; counter: number; initScratch: number;
  threads: { desc: number; block: Record<string, number>; layers: Record<string, number>[] }[];
  plan: ParamPlan;
  trainShards: number;
  maxRows: number;
}

const f32 = (n: number) => n * 4;

/** Lays out one classifier (weights, Adam state, shard gradients, batches, thread scratch) in one memory. */
export function planClassifier(s: NetworkShape, cap: Capacity): { layout: MemoryLayout; regions: ClassifierRegions } {
  const L = new MemoryLayout();
  const T = s.sequenceLength, E = s.embeddingDim, V = s.vocabSize, R = SHARD_ROWS, S = R + 1;
  const Hmax = Math.max(...s.units);
  const plan = planParams(s);
  const trainShards = Math.ceil(cap.batchRows / R);
  const maxRows = Math.max(cap.batchRows, cap.predictRows);
  const maxShards = Math.ceil(maxRows / R);
  const embWhat = `vocabulary ${V.toLocaleString('en-US')} × embedding ${E} × 4 bytes`;
  const gradStride = Math.ceil(f32(plan.floats) / 64) * 64;
  const dxStride = Math.ceil(f32((T * R + 1) * E) / 64) * 64;
  const r: Omit<ClassifierRegions, 'threads'> & { threads: ClassifierRegions['threads'] } = {
    desc: L.alloc('descriptor', DESC_BYTES),
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
    const desc = L.alloc(p + 'descriptor', THREAD_DESC_BYTES);
    const block: Record<string, number> = {
      ZERO: L.alloc(p + 'zeros', f32(Math.max(Hmax, E))),
      DZ: L.alloc(p + 'gate gradients', f32(T * R * 4 * Hmax)),
      DHIN_A: L.alloc(p + 'output gradients A', f32(T * R * Hmax)),
      DHIN_B: L.alloc(p + 'output gradients B', f32(T * R * Hmax)),
      DH: L.alloc(p + 'dh', f32(R * Hmax)),
      DC: L.alloc(p + 'dc', f32(R * Hmax)),
      PADSUM: L.alloc(p + 'padding gate gradients', f32(T * 4 * Hmax)),
      ALIST: L.alloc(p + 'row list A', listBytes),
      BLIST: L.alloc(p + 'row list B', listBytes),
      CLIST: L.alloc(p + 'row list C', listBytes),
      HLIST: L.alloc(p + 'row list H', listBytes),
      PADS: L.alloc(p + 'padding lengths', 4 * R),
      DLOGIT: L.alloc(p + 'logit gradients', f32(R * s.outputs)),
      PADTOTAL: L.alloc(p + 'padding total', f32(4 * Hmax)),
    };
    const layers = s.units.map((H, l) => {
      const inDim = l === 0 ? E : s.units[l - 1];
      return {
        G: L.alloc(`${p}layer ${l} gates`, f32(T * S * 4 * H)),
        C: L.alloc(`${p}layer ${l} cells`, f32(T * S * H)),
        H: L.alloc(`${p}layer ${l} outputs`, f32(T * S * H)),
        TC: L.alloc(`${p}layer ${l} tanh(cells)`, f32(T * S * H)),
        UT: L.alloc(`${p}layer ${l} recurrent kernel^T`, f32(4 * H * H)),
        WT: L.alloc(`${p}layer ${l} kernel^T`, f32(4 * H * inDim)),
      };
    });
    r.threads.push({ desc, block, layers });
  }
  L.check('TextClassifier');
  return { layout: L, regions: r };
}

/** The model descriptor bytes for `planClassifier`'s regions. */
export function encodeDescriptor(s: NetworkShape, r: ClassifierRegions, o: { trainEmbeddings: boolean; learningRate: number; beta1: number; beta2: number; epsilon: number }): DataView {
  const d = new DataView(new ArrayBuffer(DESC_BYTES));
  const u32 = (slot: number, v: number) => d.setUint32(slot, v, true);
  const f64 = (slot: number, v: number) => d.setFloat64(slot, v, true);
  const param = (name: string) => r.params + 4 * r.plan.tensors.find((t) => t.name === name)!.offset;
  u32(DESC.T, s.sequenceLength); u32(DESC.E, s.embeddingDim); u32(DESC.V, s.vocabSize); u32(DESC.L, s.units.length);
  u32(DESC.OUT, s.outputs); u32(DESC.R, SHARD_ROWS); u32(DESC.TRAIN_EMB, o.trainEmbeddings ? 1 : 0);
  u32(DESC.EMB, r.emb); u32(DESC.EMB_GRAD, r.embGrad); u32(DESC.EMB_M, r.embM); u32(DESC.EMB_V, r.embV);
  u32(DESC.PARAMS, r.params); u32(DESC.NPARAMS, r.plan.floats); u32(DESC.PM, r.pm); u32(DESC.PV, r.pv);
  u32(DESC.WD, param('dense/kernel')); u32(DESC.BD, param('dense/bias'));
  u32(DESC.GRADS, r.grads); u32(DESC.GRAD_STRIDE, r.gradStride); u32(DESC.DX, r.dx); u32(DESC.DX_STRIDE, r.dxStride);
  u32(DESC.SHARD_LOSS, r.shardLoss); u32(DESC.SHARD_CORRECT, r.shardCorrect);
  u32(DESC.IDS, r.ids); u32(DESC.LABELS, r.labels); u32(DESC.PROBS, r.probs); u32(DESC.ROW_LOSS, r.rowLoss);
  u32(DESC.COUNTER, r.counter); u32(DESC.INIT_SCRATCH, r.initScratch);
  u32(DESC.DENSE_CHUNK, DENSE_CHUNK); u32(DESC.EMB_CHUNK, Math.max(1, Math.floor(EMB_CHUNK_FLOATS / s.embeddingDim)));
  f64(DESC.LR, o.learningRate); f64(DESC.B1, o.beta1); f64(DESC.B2, o.beta2); f64(DESC.EPS, o.epsilon);
  s.units.forEach((H, l) => {
    const base = DESC.LAYERS + l * DESC.LAYER_SLOTS;
    u32(base + LAYER.IN, l === 0 ? s.embeddingDim : s.units[l - 1]);
    u32(base + LAYER.H, H);
    u32(base + LAYER.W, param(`lstm_${l}/kernel`));
    u32(base + LAYER.U, param(`lstm_${l}/recurrent_kernel`));
    u32(base + LAYER.B, param(`lstm_${l}/bias`));
  });
  return d;
}

/** One thread's descriptor bytes. */
export function encodeThreadDescriptor(t: ClassifierRegions['threads'][number]): DataView {
  const d = new DataView(new ArrayBuffer(THREAD_DESC_BYTES));
  for (const [k, v] of Object.entries(t.block)) d.setUint32(THREAD[k as keyof typeof THREAD], v, true);
  t.layers.forEach((ly, l) => {
    const base = THREAD.LAYERS + l * THREAD.LAYER_SLOTS;
    for (const [k, v] of Object.entries(ly)) d.setUint32(base + THREAD_LAYER[k as keyof typeof THREAD_LAYER], v, true);
  });
  return d;
}
