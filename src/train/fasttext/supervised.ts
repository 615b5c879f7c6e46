import { addWordNgramBuckets, fastTextHash } from '../../classify/linear/hash.js';
import { Wasm2VecError } from '../../errors.js';
import { EOS, type FastTextLoss, LABEL_PREFIX } from './args.js';
import type { FastTextMatrix, FastTextModel } from './model.js';
import { hashBytes } from './subwords.js';
import { wordRows } from './word-vectors.js';

/**
 * What a predictor needs from a fastText supervised .bin/.ftz: the labels (prefix included, with their
 * training counts: hierarchical softmax builds its tree from them, in this order), the vocabulary, the
 * feature settings, the loss and both matrices.
 */
export interface FastTextSupervised {
  labels: { label: string; count: number }[];
  /** Vocabulary words, ids 0..nwords-1 (the input matrix's first rows). */
  words: readonly string[];
  wordNgrams: number;
  bucket: number;
  minn: number;
  maxn: number;
  loss: FastTextLoss;
  dim: number;
  input: FastTextMatrix;
  output: FastTextMatrix;
  /** fastText's label prefix; a loaded model always uses the default (-label is not saved). */
  labelPrefix: string;
}

export function supervisedParts(model: FastTextModel): FastTextSupervised {
  if (model.args.model !== 'supervised') {
    throw new Wasm2VecError('INVALID_OPTION', `${model.name}: a ${model.args.model} model, not a supervised (classifier) one`);
  }
  if (!model.output) throw new Wasm2VecError('INVALID_OPTION', `${model.name}: loaded without its output matrix ({ output: false }); predicting needs it`);
  const d = model.dictionary;
  const labels = [];
  for (let i = 0; i < d.nlabels; i++) labels.push({ label: d.label(i), count: d.counts[d.nwords + i] });
  const { wordNgrams, bucket, minn, maxn, loss, dim } = model.args;
  return {
    labels,
    words: d.words.slice(0, d.nwords),
    wordNgrams,
    bucket,
    minn,
    maxn,
    loss,
    dim,
    input: model.input,
    output: model.output,
    labelPrefix: LABEL_PREFIX,
  };
}

/** The bytes fastText's tokenizer splits on (Dictionary::readWord); '\n' also ends a line (EOS). */
const SEPARATORS = /[ \n\r\t\v\f\0]+/;

/**
 * A line split as a loaded fastText model splits it: on space, tab, vertical tab, form feed, carriage
 * return, NUL and newline, no lowercasing or other normalisation; each newline is an EOS token
 * ("</s>"), and the line's own end is one too (as the newline fastText reads there; pass
 * `{ eos: false }` for text that did not end a line).
 */
export function fastTextTokens(line: string, options: { eos?: boolean } = {}): string[] {
  const out: string[] = [];
  const parts = line.split('\n');
  parts.forEach((part, i) => {
    for (const t of part.split(SEPARATORS)) if (t) out.push(t);
    if (i < parts.length - 1 || options.eos !== false) out.push(EOS);
  });
  return out;
}

/**
 * The input rows of a line of tokens for a supervised model, as fastText's Dictionary::getLine: each
 * word token gives its own row (in vocabulary) and its character n-gram rows (when maxn > 0; an
 * out-of-vocabulary word only its n-grams, none for EOS), label tokens (in the dictionary's label
 * part, or starting with "__label__") are skipped, then the word n-grams of 2..wordNgrams consecutive
 * word tokens (out-of-vocabulary ones included) hash to bucket rows. A .ftz's pruned buckets drop out.
 * The hidden vector is the mean of these rows; no rows means fastText predicts nothing.
 */
export function lineRows(model: Pick<FastTextModel, 'args' | 'dictionary' | 'input'>, tokens: readonly (string | Uint8Array)[]): number[] {
  const d = model.dictionary;
  const { maxn, wordNgrams, bucket } = model.args;
  const rows: number[] = [];
  const hashes: number[] = [];
  const latin1 = new TextDecoder('latin1');
  for (const token of tokens) {
    const id = d.id(token);
    const isLabel = id >= 0 ? d.isLabel(id) : (typeof token === 'string' ? token : latin1.decode(token)).startsWith(LABEL_PREFIX);
    if (isLabel) continue;
    if (id >= 0 && maxn <= 0) rows.push(id);
    else rows.push(...wordRows(model, token));
    hashes.push(typeof token === 'string' ? fastTextHash(token) : hashBytes(token));
  }
  if (wordNgrams > 1 && bucket > 0) {
    const buckets: number[] = [];
    addWordNgramBuckets(hashes, wordNgrams, bucket, buckets);
    for (const b of buckets) {
      const row = d.bucketRow(b);
      if (row >= 0) rows.push(row);
    }
  }
  return rows;
}
