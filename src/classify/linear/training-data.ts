import { Wasm2VecError } from '../../errors.js';
import { runCooperatively, runToEnd, type Steps } from '../../runtime/cooperative.js';
import type { Tokenizer } from '../../text/tokenizer.js';
import { compareCodeUnits } from '../../text/vocabulary.js';
import type { Embeddings } from '../../vectors/embeddings.js';
import { EOS, IntBuffer, LinearEncoder } from './encoder.js';
import { fastTextHash } from './hash.js';
import { buildLabelTree } from './label-tree.js';
import { LabelSet, compareLabelLists, type Label, type NormalizedLabels } from './labels.js';
import { sortSteps } from '../cooperative-sort.js';
import type { ResolvedLinearOptions } from './options.js';
import type { LinearLoss, LinearSpec, TrainingSet } from './kernel.js';

/** Everything training needs, built from texts and labels before any memory is reserved. */
export interface LinearTrainingData {
  encoder: LinearEncoder;
  labels: LabelSet;
  spec: LinearSpec;
  train: TrainingSet;
  /** Input row of each pretrained vector (index into pretrained.words). */
  pretrainedRows: Int32Array | null;
  /** How the examples were ordered (a checkpoint records it). */
  exampleOrder: ExampleOrder;
  /** Caller's indices (ascending) of texts without tokens: they train on the EOS row alone. */
  emptyTexts: number[];
}

/**
 * 'canonical': examples sorted by content (what the encoder reads of each text, then labels) and
 * words of equal count in UTF-16 order, so the model does not depend on the order of the texts. 'input': the caller's order and first-occurrence
 * ties (fastText's dictionary), only to resume checkpoints written before the canonical rule.
 */
export type ExampleOrder = 'canonical' | 'input';

type DataOptions = Pick<ResolvedLinearOptions, 'dim' | 'wordNgrams' | 'buckets' | 'loss' | 'negative' | 'weighting' | 'minCount' | 'seed' | 'learningRate'>;

/**
 * fastText's dictionary and line encoding for a supervised run: tokenise every text once, count words
 * with EOS closing each text, keep words seen >= minCount times (most frequent first, equal counts in
 * UTF-16 order), add the words of pretrained vectors, and encode each text into input-row ids with its
 * label ids and fastText's token count (words + EOS + labels) that drives the learning rate. The
 * training set holds the examples in canonical order (sorted by content), because the kernel's
 * per-epoch shuffle permutes the stored order and n-gram rows are numbered in order of first use:
 * the same multiset of examples gives the same model whatever order it came in.
 */
export function buildTrainingData(
  texts: readonly string[],
  norm: NormalizedLabels,
  o: DataOptions,
  tokenizer: Tokenizer,
  pretrained?: Embeddings,
  signal?: AbortSignal,
  exampleOrder: ExampleOrder = 'canonical',
): LinearTrainingData {
  return runToEnd(trainingDataSteps(texts, norm, o, tokenizer, pretrained, exampleOrder), signal, 'LinearClassifier training');
}

/** buildTrainingData that lets the event loop turn while it tokenises, so an abort lands within ~25 ms. */
export function buildTrainingDataCooperatively(
  texts: readonly string[],
  norm: NormalizedLabels,
  o: DataOptions,
  tokenizer: Tokenizer,
  pretrained?: Embeddings,
  signal?: AbortSignal,
  exampleOrder: ExampleOrder = 'canonical',
): Promise<LinearTrainingData> {
  return runCooperatively(trainingDataSteps(texts, norm, o, tokenizer, pretrained, exampleOrder), signal, 'LinearClassifier training');
}

/**
 * The canonical order of the examples: by their encoder input, each token's (word row or -1, fastText
 * hash) in order, which is all that training reads of a text (a hash of it compared first, for speed),
 * then labels. Examples equal in both are identical samples, so their relative order cannot matter.
 */
function* canonicalExampleOrder(
  textPids: readonly Int32Array[],
  finalId: Int32Array,
  pidHash: Int32Array,
  lists: readonly (readonly Label[])[],
): Steps<Uint32Array> {
  const n = textPids.length;
  const keys = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    if ((i & 1023) === 1023) yield;
    let h = 0x811c9dc5;
    for (const pid of textPids[i]) h = Math.imul(Math.imul(h ^ finalId[pid], 0x01000193) ^ pidHash[pid], 0x01000193);
    keys[i] = h >>> 0;
  }
  return yield* sortSteps(
    Uint32Array.from({ length: n }, (_, i) => i),
    (a, b) => {
      if (keys[a] !== keys[b]) return keys[a] - keys[b];
      const pa = textPids[a],
        pb = textPids[b];
      for (let j = 0; j < pa.length && j < pb.length; j++) {
        const d = finalId[pa[j]] - finalId[pb[j]] || pidHash[pa[j]] - pidHash[pb[j]];
        if (d !== 0) return d;
      }
      return pa.length - pb.length || compareLabelLists(lists[a], lists[b]);
    },
  );
}

/** The work of buildTrainingData, pausing (yield) every 1024 texts. */
function* trainingDataSteps(
  texts: readonly string[],
  norm: NormalizedLabels,
  o: DataOptions,
  tokenizer: Tokenizer,
  pretrained: Embeddings | undefined,
  exampleOrder: ExampleOrder,
): Steps<LinearTrainingData> {
  if (texts.length === 0) throw new Wasm2VecError('EMPTY_CORPUS', 'fit: no texts given (texts is an empty array)');
  const canonical = exampleOrder === 'canonical';
  const labels = LabelSet.fromTraining(norm.lists, norm.kind, norm.multiLabel, canonical ? 'canonical' : 'first-occurrence');
  const loss: LinearLoss = o.loss ?? (norm.multiLabel ? 'ova' : 'softmax');
  const n = texts.length;
  const emptyTexts: number[] = [];
  // One tokenising pass in the caller's order: provisional ids (first occurrence; EOS closes every
  // text) and counts, which do not depend on the order; the encoding pass below does.
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
      if (pid === pidCounts.length) {
        const next = new Float64Array(pid * 2);
        next.set(pidCounts);
        pidCounts = next;
      }
    }
    pidCounts[pid]++;
    return pid;
  };
  for (let i = 0; i < n; i++) {
    if ((i & 1023) === 1023) yield;
    const t = tokenizer(texts[i]);
    if (t.length === 0) emptyTexts.push(i);
    const pids = new Int32Array(t.length + 1);
    for (let j = 0; j < t.length; j++) pids[j] = pidFor(t[j]);
    pids[t.length] = pidFor(EOS);
    rawTokens += t.length;
    textPids[i] = pids;
  }
  if (rawTokens === 0) {
    throw new Wasm2VecError('EMPTY_CORPUS', `fit: all ${n} texts are empty (no tokens after tokenizing); there is nothing to learn from`);
  }
  // fastText's dictionary: words seen >= minCount times, most frequent first (ties: UTF-16 order; pids
  // are first occurrences, fastText's tie order, kept only for old checkpoints).
  const kept: number[] = [];
  for (let pid = 0; pid < pidWords.length; pid++) if (pidCounts[pid] >= o.minCount) kept.push(pid);
  if (kept.length === 0) {
    throw new Wasm2VecError('EMPTY_VOCABULARY', `fit: no word occurs at least minCount=${o.minCount} times in the ${n} texts (lower minCount)`);
  }
  kept.sort((a, b) => pidCounts[b] - pidCounts[a] || (canonical ? compareCodeUnits(pidWords[a], pidWords[b]) : a - b));
  const words = kept.map((pid) => pidWords[pid]);
  const finalId = new Int32Array(pidWords.length).fill(-1);
  kept.forEach((pid, id) => {
    finalId[pid] = id;
  });
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
  const order = canonical ? yield* canonicalExampleOrder(textPids, finalId, pidHash, norm.lists) : Uint32Array.from({ length: n }, (_, i) => i);
  let rowIds = new Int32Array(256),
    hashes = new Int32Array(256);
  for (let e = 0; e < n; e++) {
    if ((e & 1023) === 1023) yield;
    const i = order[e];
    const pids = textPids[i];
    if (pids.length > rowIds.length) {
      rowIds = new Int32Array(pids.length * 2);
      hashes = new Int32Array(pids.length * 2);
    }
    for (let j = 0; j < pids.length; j++) {
      rowIds[j] = finalId[pids[j]];
      hashes[j] = pidHash[pids[j]];
    }
    encoder.encodeIds(rowIds, hashes, pids.length, ids);
    offsets[e + 1] = ids.length;
    for (const l of norm.lists[i]) labelIds.push(labels.id(l));
    labelOffsets[e + 1] = labelIds.length;
    tokenCounts[e] = pids.length + norm.lists[i].length;
  }
  encoder.freeze();
  const flatIds = ids.toArray();
  const train: TrainingSet = {
    ids: flatIds,
    offsets,
    labels: labelIds.toArray(),
    labelOffsets,
    tokens: tokenCounts,
    df: o.weighting === 'tfidf' ? documentFrequencies(flatIds, offsets, encoder.rows) : null,
  };
  const spec: LinearSpec = {
    dim: o.dim,
    nwords: words.length,
    usedBuckets: encoder.usedBuckets(),
    labelCounts: labels.counts,
    loss,
    negative: o.negative,
    tfidf: o.weighting === 'tfidf',
    seed: o.seed,
    learningRate: o.learningRate,
    tree: loss === 'hs' ? buildLabelTree(labels.counts) : null,
  };
  return { encoder, labels, spec, train, pretrainedRows, exampleOrder, emptyTexts };
}

/** Number of training texts each row occurs in (for idf). */
function documentFrequencies(ids: Int32Array, offsets: Int32Array, rows: number): Uint32Array {
  const df = new Uint32Array(rows);
  const seen = new Int32Array(rows).fill(-1);
  for (let e = 0; e + 1 < offsets.length; e++) {
    for (let j = offsets[e]; j < offsets[e + 1]; j++) {
      const id = ids[j];
      if (seen[id] !== e) {
        seen[id] = e;
        df[id]++;
      }
    }
  }
  return df;
}
