import { DenseMatrix } from '../../../src/train/fasttext/dense-matrix.js';
import type { FastTextArgs } from '../../../src/train/fasttext/args.js';
import { FastTextDictionary } from '../../../src/train/fasttext/dictionary.js';
import type { FastTextModelData } from '../../../src/train/fasttext/writer.js';

/**
 * Two small models built in memory (not read from any file) for the writer's test: the fixture script
 * writes them with wasm2vec's writer and records what Debian's fastText prints for them, and the test
 * checks the writer still produces those bytes. Deterministic: weights from a fixed LCG.
 */

function weights(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 4294967296 - 0.5) * 2;
  }
  return out;
}

const baseArgs: FastTextArgs = {
  dim: 5,
  ws: 5,
  epoch: 5,
  minCount: 1,
  neg: 5,
  wordNgrams: 1,
  loss: 'ns',
  model: 'skipgram',
  bucket: 97,
  minn: 2,
  maxn: 4,
  lrUpdateRate: 100,
  t: 1e-4,
};

/** skipgram, 9 words (non-ASCII, astral, one Latin-1 entry that is not UTF-8), 97 buckets, n-grams 2..4. */
export function syntheticSkipgram(): FastTextModelData {
  const caf = new Uint8Array([0x63, 0x61, 0x66, 0xe9]);
  const words = ['</s>', 'the', 'naïve', '北京', '😀', 'a', 'über', 'café', new TextDecoder().decode(caf)];
  const counts = [50, 40, 30, 20, 10, 9, 8, 7, 6];
  const dictionary = new FastTextDictionary({ words, counts, nwords: 9, nlabels: 0, ntokens: 180, rawBytes: new Map([[8, caf]]) });
  const args = { ...baseArgs };
  const rows = 9 + args.bucket;
  return {
    args,
    dictionary,
    input: new DenseMatrix(rows, args.dim, weights(rows * args.dim, 1)),
    output: new DenseMatrix(9, args.dim, weights(9 * args.dim, 2)),
  };
}

/** supervised softmax over 3 labels, no character n-grams, word n-grams up to 3 in 53 buckets. */
export function syntheticSupervised(): FastTextModelData {
  const words = ['</s>', 'good', 'bad', 'movie', 'naïve', 'plot', '__label__a', '__label__b', '__label__c'];
  const counts = [12, 6, 5, 4, 3, 2, 7, 4, 1];
  const dictionary = new FastTextDictionary({ words, counts, nwords: 6, nlabels: 3, ntokens: 44 });
  const args: FastTextArgs = { ...baseArgs, dim: 4, model: 'supervised', loss: 'softmax', bucket: 53, minn: 0, maxn: 0, wordNgrams: 3, minCount: 1 };
  const rows = 6 + args.bucket;
  return {
    args,
    dictionary,
    input: new DenseMatrix(rows, args.dim, weights(rows * args.dim, 3)),
    output: new DenseMatrix(3, args.dim, weights(3 * args.dim, 4)),
  };
}
