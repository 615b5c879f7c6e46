import { Wasm2VecError } from '../errors.js';
import { runCooperatively, runToEnd, type Steps } from '../runtime/cooperative.js';
import type { Tokenizer } from '../text/tokenizer.js';
import type { Embeddings } from '../vectors/embeddings.js';
import { EOS, IntBuffer, LinearEncoder } from './linear-encoder.js';
import { fastTextHash } from './linear-hash.js';
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
  return runToEnd(trainingDataSteps(texts, norm, o, tokenizer, pretrained), signal, 'LinearClassifier training');
}

/** buildTrainingData that lets the event loop turn while it tokenises, so an abort lands within ~25 ms. */
export function buildTrainingDataCooperatively(
  texts: readonly string[], norm: NormalizedLabels, o: DataOptions, tokenizer: Tokenizer,
  pretrained?: Embeddings, signal?: AbortSignal,
): Promise<LinearTrainingData> {
  return runCooperatively(trainingDataSteps(texts, norm, o, tokenizer, pretrained), signal, 'LinearClassifier training');
}

/** The work of buildTrainingData, pausing (yield) every 1024 texts. */
function* trainingDataSteps(
  texts: readonly string[], norm: NormalizedLabels, o: DataOptions, tokenizer: Tokenizer, pretrained?: Embeddings,
): Steps<LinearTrainingData> {
  if (texts.length === 0) throw new Wasm2VecError('EMPTY_CORPUS', 'fit: no texts given (texts is an empty array)');
  const labels = LabelSet.fromTraining(norm.lists, norm.kind, norm.multiLabel);
  const loss: LinearLoss = o.loss ?? (norm.multiLabel ? 'ova' : 'softmax');
  const n = texts.length;
  // One tokenising pass: provisional ids in first-occurrence order (EOS closes every text), counts.
  const pidOf = new Map<string, number>();
  const pidWords: string[] = [];
  let pidCounts = new Float64Array(1024);
  const textPids: Int32Array[] = new Array(n);
  let rawTokens = 0;
  const pidFor = (w: string): number => {
    let pid = pidOf.get(w);
    if (pid === undefined) {
      pid = pidWords.length;
      pidOf.set(w, pid);
      pidWords.push(w);
      if (pid === pidCounts.length) { const next = new Float64Array(pid * 2); next.set(pidCounts); pidCounts = next; }
    }
    pidCounts[pid]++;
    return pid;
  };
  for (let i = 0; i < n; i++) {
    if ((i & 1023) === 1023) yield;
    const t = tokenizer(texts[i]);
    const pids = new Int32Array(t.length + 1);
    for (let j = 0; j < t.length; j++) pids[j] = pidFor(t[j]);
    pids[t.length] = pidFor(EOS);
    rawTokens += t.length;
    textPids[i] = pids;
  }
  if (rawTokens === 0) {
    throw new Wasm2VecError('EMPTY_CORPUS', `fit: all ${n} texts are empty (no tokens after tokenizing); there is nothing to learn from`);
  }
  // fastText's dictionary: words seen >= minCount times, most frequent first (ties: first occurrence).
  const kept: number[] = [];
  for (let pid = 0; pid < pidWords.length; pid++) if (pidCounts[pid] >= o.minCount) kept.push(pid);
  if (kept.length === 0) {
    throw new Wasm2VecError('EMPTY_VOCABULARY', `fit: no word occurs at least minCount=${o.minCount} times in the ${n} texts (lower minCount)`);
  }
  kept.sort((a, b) => pidCounts[b] - pidCounts[a] || a - b);
  const words = kept.map((pid) => pidWords[pid]);
  const finalId = new Int32Array(pidWords.length).fill(-1);
  kept.forEach((pid, id) => { finalId[pid] = id; });
  let pretrainedRows: Int32Array | null = null;
  if (pretrained) {
    if (pretrained.dim !== o.dim) throw new Wasm2VecError('INVALID_OPTION', `option pretrained: vectors have dim ${pretrained.dim} but option dim is ${o.dim}`);
    const index = new Map(words.map((w, i) => [w, i] as const));
    pretrainedRows = new Int32Array(pretrained.size);
    for (let i = 0; i < pretrained.size; i++) {
      const w = pretrained.words[i];
      let row = index.get(w);
      if (row === undefined) {
        row = words.length;
        words.push(w);
        index.set(w, row);
        const pid = pidOf.get(w);
        if (pid !== undefined) finalId[pid] = row; // seen in training below minCount: now a word
      }
      pretrainedRows[i] = row;
    }
  }

  const encoder = new LinearEncoder(words, o.wordNgrams, o.buckets);
  const pidHash = new Int32Array(pidWords.length);
  for (let pid = 0; pid < pidWords.length; pid++) {
    const id = finalId[pid];
    pidHash[pid] = id >= 0 ? encoder.wordHash(id) : fastTextHash(pidWords[pid]);
  }
  const ids = new IntBuffer(rawTokens * o.wordNgrams + n * (o.wordNgrams + 1));
  const offsets = new Int32Array(n + 1);
  const labelIds = new IntBuffer(n);
  const labelOffsets = new Int32Array(n + 1);
  const tokenCounts = new Int32Array(n);
  let rowIds = new Int32Array(256), hashes = new Int32Array(256);
  for (let i = 0; i < n; i++) {
    if ((i & 1023) === 1023) yield;
    const pids = textPids[i];
    if (pids.length > rowIds.length) { rowIds = new Int32Array(pids.length * 2); hashes = new Int32Array(pids.length * 2); }
    for (let j = 0; j < pids.length; j++) { rowIds[j] = finalId[pids[j]]; hashes[j] = pidHash[pids[j]]; }
    encoder.encodeIds(rowIds, hashes, pids.length, ids);
    offsets[i + 1] = ids.length;
    for (const l of norm.lists[i]) labelIds.push(labels.id(l));
    labelOffsets[i + 1] = labelIds.length;
    tokenCounts[i] = pids.length + norm.lists[i].length;
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
