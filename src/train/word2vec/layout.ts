import { MemoryLayout } from '../../runtime/memory-layout.js';
import { WORD2VEC_DESCRIPTOR_BYTES, WORD2VEC_SCRATCH_BYTES } from '../../runtime/abi/word2vec.generated.js';

export interface Word2VecShape {
  vocab: number;
  dim: number;
  negative: number;
  hs: boolean;
  maxCode: number;
  threads: number;
  chunkCapacity: number;
  maxSentenceLength: number;
  window: number;
  /** Rows of the most frequent words each thread trains privately between syncs (0: none). */
  hotRows: number;
}

export interface Word2VecRegions {
  desc: number;
  exp: number;
  loss: number;
  counts: number;
  keep: number;
  cum: number;
  codeLen: number;
  codes: number;
  points: number;
  syn0: number;
  syn1neg: number;
  syn1: number;
  scratch: number[];
  input: number[];
}

const align64 = (n: number) => Math.ceil(n / 64) * 64;

/**
 * Pieces of one thread's scratch block (offsets inside it, 64-byte aligned so threads never share a
 * cache line): the Word2VecScratch header (RNG state, last call's results), neu1 and neu1e vectors, the subsampled sentence, and for the batched
 * skip-gram the input-gradient rows, the context × output gradient matrix and the output row addresses,
 * then the private and base copies of the hot input and output rows.
 */
export function scratchPlan(dim: number, maxSentence: number, window: number, negative: number, hotRows: number) {
  const vec = align64(dim * 4);
  const ctx = 2 * window;
  const neu1e = WORD2VEC_SCRATCH_BYTES + vec; // neu1 comes first, right after the header
  const sentence = neu1e + vec;
  const dIn = sentence + align64(maxSentence * 4);
  const grad = dIn + align64(ctx * dim * 4);
  const outs = grad + align64(ctx * (negative + 1) * 4);
  const hot = outs + align64((negative + 1) * 4 + 2 * ctx * 4);
  return { neu1e, sentence, dIn, grad, outs, hot, bytes: hot + 4 * hotRows * dim * 4 };
}

/** Lays out one Word2Vec model in a single memory and refuses, in words, what wasm32 cannot hold. */
export function planWord2Vec(s: Word2VecShape): { layout: MemoryLayout; regions: Word2VecRegions } {
  const L = new MemoryLayout();
  const rows = s.vocab * s.dim * 4;
  const what = `vocabulary ${s.vocab.toLocaleString('en-US')} × dim ${s.dim} × 4 bytes`;
  const r: Word2VecRegions = {
    desc: L.alloc('descriptor', WORD2VEC_DESCRIPTOR_BYTES),
    exp: L.alloc('sigmoid table', 4000),
    loss: L.alloc('loss table', 4000),
    counts: L.alloc('word counts', s.vocab * 8),
    keep: L.alloc('subsampling table', s.vocab * 4),
    cum: L.alloc('noise table', s.vocab * 4),
    codeLen: s.hs ? L.alloc('Huffman code lengths', s.vocab) : 0,
    codes: s.hs ? L.alloc('Huffman codes', s.vocab * s.maxCode) : 0,
    points: s.hs ? L.alloc('Huffman points', s.vocab * s.maxCode * 4) : 0,
    syn0: L.alloc('input vectors (syn0)', rows, what),
    syn1neg: s.negative > 0 ? L.alloc('output vectors (syn1neg)', rows, what) : 0,
    syn1: s.hs ? L.alloc('hierarchical softmax vectors (syn1)', rows, what) : 0,
    scratch: [],
    input: [],
  };
  for (let t = 0; t < s.threads; t++) {
    r.scratch.push(L.alloc(`thread ${t} scratch`, scratchPlan(s.dim, s.maxSentenceLength, s.window, s.negative, s.hotRows).bytes));
    r.input.push(L.alloc(`thread ${t} input`, s.chunkCapacity * 4));
  }
  L.check('Word2Vec');
  return { layout: L, regions: r };
}
