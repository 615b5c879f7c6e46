import { Wasm2VecError, throwIfAborted } from '../errors.js';
import type { Tokenizer } from '../text/tokenizer.js';
import { Vocabulary } from '../text/vocabulary.js';
import type { Embeddings } from '../vectors/embeddings.js';
import { EOS, IntBuffer, LinearEncoder } from './linear-encoder.js';
import { buildLabelTree } from './linear-label-tree.js';
import { LabelSet, type NormalizedLabels } from './linear-labels.js';
import type { ResolvedLinearOptions } from './linear-options.js';
import type { LinearLoss, LinearSpec, TrainingSet } from './linear-runtime.js';

/** Everything training needs, built from texts and labels before any memory is reserved. */
export interface LinearTrainingData {
  encoder: LinearEncoder;
  labels: LabelSet;
  spec: LinearSpec;
  train: TrainingSet;
  /** Input row of each pretrained vector (index into pretrained.words). */
  pretrainedRows: Int32Array | null;
}

type DataOptions = Pick<ResolvedLinearOptions, 'dim' | 'wordNgrams' | 'buckets' | 'loss' | 'negative' | 'weighting' | 'minCount' | 'seed' | 'learningRate'>;

/**
 * fastText's dictionary and line encoding for a supervised run: tokenise every text once, count words
 * in first-occurrence order with EOS closing each text, keep words seen >= minCount times (most
 * frequent first), add the words of pretrained vectors, and encode each text into input-row ids with
 * its label ids and fastText's token count (words + EOS + labels) that drives the learning rate.
 */
export function buildTrainingData(
  texts: readonly string[], norm: NormalizedLabels, o: DataOptions, tokenizer: Tokenizer,
  pretrained?: Embeddings, signal?: AbortSignal,
): LinearTrainingData {
  if (texts.length === 0) throw new Wasm2VecError('EMPTY_CORPUS', 'fit: no texts given (texts is an empty array)');
  const labels = LabelSet.fromTraining(norm.lists, norm.kind, norm.multiLabel);
  const loss: LinearLoss = o.loss ?? (norm.multiLabel ? 'ova' : 'softmax');
  const n = texts.length;
  const tokens: string[][] = new Array(n);
  const counts = new Map<string, number>();
  let rawTokens = 0;
  for (let i = 0; i < n; i++) {
    if ((i & 1023) === 0) throwIfAborted(signal, 'LinearClassifier training');
    const t = tokenizer(texts[i]);
    tokens[i] = t;
    rawTokens += t.length;
    for (const w of t) counts.set(w, (counts.get(w) ?? 0) + 1);
    counts.set(EOS, (counts.get(EOS) ?? 0) + 1);
  }
  if (rawTokens === 0) {
    throw new Wasm2VecError('EMPTY_CORPUS', `fit: all ${n} texts are empty (no tokens after tokenizing); there is nothing to learn from`);
  }
  const vocab = Vocabulary.fromCounts(counts, { minCount: o.minCount });
  const words = vocab.words.slice();
  let pretrainedRows: Int32Array | null = null;
  if (pretrained) {
    if (pretrained.dim !== o.dim) throw new Wasm2VecError('INVALID_OPTION', `option pretrained: vectors have dim ${pretrained.dim} but option dim is ${o.dim}`);
    for (let i = 0; i < pretrained.size; i++) if (!vocab.has(pretrained.words[i])) words.push(pretrained.words[i]);
    const index = new Map(words.map((w, i) => [w, i] as const));
    pretrainedRows = Int32Array.from(pretrained.words, (w) => index.get(w)!);
  }

  const encoder = new LinearEncoder(words, o.wordNgrams, o.buckets);
  const ids = new IntBuffer(rawTokens * o.wordNgrams + n * (o.wordNgrams + 1));
  const offsets = new Int32Array(n + 1);
  const labelIds = new IntBuffer(n);
  const labelOffsets = new Int32Array(n + 1);
  const tokenCounts = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if ((i & 1023) === 0) throwIfAborted(signal, 'LinearClassifier training');
    encoder.encode(tokens[i], ids);
    offsets[i + 1] = ids.length;
    for (const l of norm.lists[i]) labelIds.push(labels.id(l));
    labelOffsets[i + 1] = labelIds.length;
    tokenCounts[i] = tokens[i].length + 1 + norm.lists[i].length;
  }
  encoder.freeze();
  const flatIds = ids.toArray();
  const train: TrainingSet = {
    ids: flatIds, offsets, labels: labelIds.toArray(), labelOffsets, tokens: tokenCounts,
    df: o.weighting === 'tfidf' ? documentFrequencies(flatIds, offsets, encoder.rows) : null,
  };
  const spec: LinearSpec = {
    dim: o.dim, nwords: words.length, usedBuckets: encoder.usedBuckets(), labelCounts: labels.counts, loss,
    negative: o.negative, tfidf: o.weighting === 'tfidf', seed: o.seed, learningRate: o.learningRate,
    tree: loss === 'hs' ? buildLabelTree(labels.counts) : null,
  };
  return { encoder, labels, spec, train, pretrainedRows };
}

/** Number of training texts each row occurs in (for idf). */
function documentFrequencies(ids: Int32Array, offsets: Int32Array, rows: number): Uint32Array {
  const df = new Uint32Array(rows);
  const seen = new Int32Array(rows).fill(-1);
  for (let e = 0; e + 1 < offsets.length; e++) {
    for (let j = offsets[e]; j < offsets[e + 1]; j++) {
      const id = ids[j];
      if (seen[id] !== e) { seen[id] = e; df[id]++; }
    }
  }
  return df;
}
