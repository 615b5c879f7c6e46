import { MemoryLayout } from '../../runtime/memory-layout.js';
import { EXAMPLE_SET_BYTES, LINEAR_DESCRIPTOR_BYTES, LINEAR_SCRATCH_BYTES } from '../../runtime/abi/linear.generated.js';

/** Inference batch capacity per thread: input ids, and probability floats (examples × labels). */
export const BATCH_IDS = 1 << 20;
const BATCH_PROBS = 1 << 22;
const BATCH_MAX_EXAMPLES = 2048;

export function batchExamples(labels: number): number {
  return Math.max(1, Math.min(BATCH_MAX_EXAMPLES, Math.floor(BATCH_PROBS / labels)));
}

export interface LinearShape {
  dim: number;
  /** Materialised input rows: words, then the buckets the training data uses. */
  rows: number;
  nwords: number;
  labels: number;
  /** Output rows: labels, or labels - 1 inner nodes for hs. */
  outRows: number;
  hs: boolean;
  ns: boolean;
  tfidf: boolean;
  maxDepth: number;
  threads: number;
  /** Present while training: sizes of the training example set. */
  train?: { examples: number; ids: number; labelIds: number };
}

export interface SetRegions {
  set: number;
  ids: number;
  offsets: number;
  labels: number;
  labelOffsets: number;
  tokens: number;
  perm: number;
  prefix: number;
}

export interface LinearRegions {
  desc: number;
  sigmoid: number;
  input: number;
  output: number;
  idf: number;
  df: number;
  buckets: number;
  noise: number;
  labelCounts: number;
  paths: number;
  codes: number;
  pathLength: number;
  train: SetRegions | null;
  scratch: number[];
  batch: SetRegions[];
  probs: number[];
  batchExamples: number;
}

/**
 * Pieces of one thread's scratch block (offsets inside it, 64-byte aligned): the LinearScratch header
 * (RNG state, last call's results), the hidden vector, its gradient, the generated row of an unseen
 * n-gram bucket, and the output scores. The descriptor passes the offsets to the kernel.
 */
export function scratchPlan(dim: number, labels: number): { hidden: number; grad: number; virtualRow: number; out: number; bytes: number } {
  const vec = (n: number) => Math.ceil((n * 4) / 64) * 64;
  const hidden = LINEAR_SCRATCH_BYTES;
  const grad = hidden + vec(dim);
  const virtualRow = grad + vec(dim);
  const out = virtualRow + vec(dim);
  return { hidden, grad, virtualRow, out, bytes: out + vec(labels) };
}

function setRegions(L: MemoryLayout, name: string, examples: number, ids: number, labelIds: number, withOrder: boolean): SetRegions {
  return {
    set: L.alloc(`${name} descriptor`, EXAMPLE_SET_BYTES),
    ids: L.alloc(`${name} input ids`, ids * 4, `${ids.toLocaleString('en-US')} word and n-gram ids × 4 bytes`),
    offsets: L.alloc(`${name} offsets`, (examples + 1) * 4),
    labels: L.alloc(`${name} label ids`, Math.max(1, labelIds) * 4),
    labelOffsets: L.alloc(`${name} label offsets`, (examples + 1) * 4),
    tokens: withOrder ? L.alloc(`${name} token counts`, examples * 4) : 0,
    perm: withOrder ? L.alloc(`${name} order`, examples * 4) : 0,
    prefix: withOrder ? L.alloc(`${name} token prefix sums`, (examples + 1) * 8) : 0,
  };
}

/** Lays out one linear classifier in a single memory and refuses, in words, what wasm32 cannot hold. */
export function planLinear(s: LinearShape): { layout: MemoryLayout; regions: LinearRegions } {
  const L = new MemoryLayout();
  const buckets = s.rows - s.nwords;
  const perBatch = batchExamples(s.labels);
  const r: LinearRegions = {
    desc: L.alloc('descriptor', LINEAR_DESCRIPTOR_BYTES),
    sigmoid: L.alloc('sigmoid table', 513 * 4),
    input: L.alloc(
      'input rows',
      s.rows * s.dim * 4,
      `(${s.nwords.toLocaleString('en-US')} words + ${buckets.toLocaleString('en-US')} used n-gram buckets) × dim ${s.dim} × 4 bytes`,
    ),
    output: L.alloc('output rows', s.outRows * s.dim * 4, `${s.outRows.toLocaleString('en-US')} × dim ${s.dim} × 4 bytes`),
    idf: s.tfidf ? L.alloc('idf weights', s.rows * 4) : 0,
    df: s.tfidf && s.train ? L.alloc('document frequencies', s.rows * 4) : 0,
    buckets: L.alloc('bucket of each n-gram row', Math.max(1, buckets) * 4),
    noise: s.ns ? L.alloc('negative sampling table', s.labels * 4) : 0,
    labelCounts: L.alloc('label counts', s.labels * 8),
    paths: s.hs ? L.alloc('label tree paths', s.labels * s.maxDepth * 4) : 0,
    codes: s.hs ? L.alloc('label tree codes', s.labels * s.maxDepth) : 0,
    pathLength: s.hs ? L.alloc('label tree path lengths', s.labels * 4) : 0,
    train: s.train ? setRegions(L, 'training set', s.train.examples, s.train.ids, s.train.labelIds, true) : null,
    scratch: [],
    batch: [],
    probs: [],
    batchExamples: perBatch,
  };
  for (let t = 0; t < s.threads; t++) {
    r.scratch.push(L.alloc(`thread ${t} scratch`, scratchPlan(s.dim, s.labels).bytes));
    r.batch.push(setRegions(L, `thread ${t} batch`, perBatch, BATCH_IDS, perBatch * 8, false));
    r.probs.push(L.alloc(`thread ${t} probabilities`, perBatch * s.labels * 4));
  }
  L.check('LinearClassifier');
  return { layout: L, regions: r };
}
