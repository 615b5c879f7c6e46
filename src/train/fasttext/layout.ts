import { Wasm2VecError } from '../../errors.js';
import { MAX_BYTES, MemoryLayout, formatBytes } from '../../runtime/memory-layout.js';
import { FAST_TEXT_DESCRIPTOR_BYTES, FAST_TEXT_SCRATCH_BYTES } from '../../runtime/abi/fasttext.generated.js';

export interface FastTextShape {
  nwords: number;
  bucket: number;
  dim: number;
  window: number;
  negative: number;
  loss: 'ns' | 'hs' | 'softmax';
  maxCode: number;
  /** Entries of the subword table (every word's input rows). */
  subwordEntries: number;
  threads: number;
  chunkCapacity: number;
  maxSentenceLength: number;
}

export interface FastTextRegions {
  desc: number;
  sigmoid: number;
  log: number;
  counts: number;
  keep: number;
  negatives: number;
  subwordStarts: number;
  subwords: number;
  codeLen: number;
  codes: number;
  points: number;
  input: number;
  output: number;
  scratch: number[];
  ids: number[];
}

const align64 = (n: number) => Math.ceil(n / 64) * 64;

/**
 * One thread's scratch block (offsets inside it, 64-byte aligned so threads never share a cache line):
 * the FastTextScratch header, the hidden vector and its gradient, the subsampled sentence, the batched
 * window's output rows (addresses, then word ids), and the scores (softmax: one per word).
 */
export function scratchPlan(s: Pick<FastTextShape, 'dim' | 'maxSentenceLength' | 'window' | 'negative' | 'loss' | 'nwords'>) {
  const vec = align64(s.dim * 4);
  const outputs = 2 * s.window * (s.negative + 1);
  const hidden = FAST_TEXT_SCRATCH_BYTES;
  const grad = hidden + vec;
  const sentence = grad + vec;
  const outs = sentence + align64(s.maxSentenceLength * 4);
  const scores = outs + align64(outputs * 8);
  const bytes = scores + align64(4 * Math.max(outputs, s.loss === 'softmax' ? s.nwords : 0));
  return { hidden, grad, sentence, outs, scores, bytes };
}

/**
 * Lays out one FastText model in a single memory. The input matrix, (nwords + bucket) × dim floats, is
 * most of it (2M buckets × dim 100 = 800 MB): a plan beyond wasm32's 4 GiB is refused before anything
 * is allocated, naming the matrix and the options that shrink it.
 */
export function planFastText(s: FastTextShape): { layout: MemoryLayout; regions: FastTextRegions } {
  const inputRows = s.nwords + s.bucket;
  const inputBytes = inputRows * s.dim * 4;
  const outputBytes = s.nwords * s.dim * 4;
  if (inputBytes + outputBytes > MAX_BYTES) {
    throw new Wasm2VecError(
      'MEMORY_LIMIT',
      `FastText needs ${formatBytes(inputBytes + outputBytes)} for its weights alone: the input matrix is ` +
        `(${s.nwords.toLocaleString('en-US')} words + ${s.bucket.toLocaleString('en-US')} buckets) × dim ${s.dim} × 4 bytes = ${formatBytes(inputBytes)}, ` +
        `and wasm32 memory is capped at 4 GiB. Lower bucket, dim or the vocabulary (minCount, maxVocab), or train without subwords (maxn: 0).`,
    );
  }
  const L = new MemoryLayout();
  const what = `(${s.nwords.toLocaleString('en-US')} words + ${s.bucket.toLocaleString('en-US')} buckets) × dim ${s.dim} × 4 bytes; lower bucket or dim`;
  const r: FastTextRegions = {
    desc: L.alloc('descriptor', FAST_TEXT_DESCRIPTOR_BYTES),
    sigmoid: L.alloc('sigmoid table', 513 * 4),
    log: L.alloc('log table', 513 * 4),
    counts: L.alloc('word counts', s.nwords * 8),
    keep: L.alloc('subsampling table', s.nwords * 4),
    negatives: L.alloc('negative table', s.nwords * 4),
    subwordStarts: L.alloc('subword index', (s.nwords + 1) * 4),
    subwords: L.alloc('subword rows', s.subwordEntries * 4),
    codeLen: s.loss === 'hs' ? L.alloc('Huffman code lengths', s.nwords) : 0,
    codes: s.loss === 'hs' ? L.alloc('Huffman codes', s.nwords * s.maxCode) : 0,
    points: s.loss === 'hs' ? L.alloc('Huffman points', s.nwords * s.maxCode * 4) : 0,
    input: L.alloc('input matrix', inputBytes, what),
    output: L.alloc('output matrix', outputBytes, `${s.nwords.toLocaleString('en-US')} words × dim ${s.dim} × 4 bytes`),
    scratch: [],
    ids: [],
  };
  const scratchBytes = scratchPlan(s).bytes;
  for (let t = 0; t < s.threads; t++) {
    r.scratch.push(L.alloc(`thread ${t} scratch`, scratchBytes));
    r.ids.push(L.alloc(`thread ${t} input`, s.chunkCapacity * 4));
  }
  L.check('FastText');
  return { layout: L, regions: r };
}
