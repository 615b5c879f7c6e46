import { Wasm2VecError, invalidOption } from '../../errors.js';
import { enumOption, intOption, numberOption } from '../../options.js';
import { createTokenizer, whitespaceTokenizer, type Tokenizer } from '../../text/tokenizer.js';
import { Embeddings } from '../../vectors/embeddings.js';
import type { LinearLoss } from './kernel.js';

export type { LinearLoss };
export type LinearWeighting = 'mean' | 'tfidf';
/** 'default': createTokenizer() (lowercase, punctuation dropped, Chinese/Japanese/Thai segmented); 'whitespace': split on spaces like fastText. */
export type LinearTokenizerName = 'default' | 'whitespace';

export interface LinearClassifierOptions {
  /** Vector size (100, fastText's default). */
  dim?: number;
  /** Longest word n-gram: 1 = bag of words, 2 = + bigrams (hashed into `buckets`). Default 1. */
  wordNgrams?: number;
  /** Hash buckets for word n-grams (2,000,000 as fastText). Only buckets the data uses take memory. */
  buckets?: number;
  /** Passes over the training set (5). */
  epochs?: number;
  /** Start learning rate, decayed linearly to 0 over the tokens of all epochs (0.1, fastText supervised). */
  learningRate?: number;
  /** Output layer: 'softmax' (default for single-label data), 'ns', 'hs', or 'ova' (one-vs-all; default for multi-label data). */
  loss?: LinearLoss;
  /** Negatives per example for loss 'ns' (5). */
  negative?: number;
  /** How input rows are averaged: plain mean (fastText) or TF-IDF weighted mean. */
  weighting?: LinearWeighting;
  /** Drop words seen fewer times in the training texts (1). */
  minCount?: number;
  /** Worker threads (Hogwild); default: all cores. 1 thread + seed is bit-reproducible. */
  threads?: number;
  /** Seed for initialisation, the per-epoch shuffle and sampling (1). */
  seed?: number;
  /** Word vectors to start from (dim must match); their words join the vocabulary, as in fastText. */
  pretrained?: Embeddings;
  /** A tokenizer name (saved with the model) or a function (must be passed again to load()). */
  tokenizer?: LinearTokenizerName | Tokenizer;
}

export interface ResolvedLinearOptions {
  dim: number;
  wordNgrams: number;
  buckets: number;
  epochs: number;
  learningRate: number;
  loss: LinearLoss | undefined;
  negative: number;
  weighting: LinearWeighting;
  minCount: number;
  threads: number | undefined;
  seed: number;
  pretrained: Embeddings | undefined;
  tokenizerName: LinearTokenizerName | 'custom';
  tokenizer: Tokenizer;
}

const KNOWN = new Set([
  'dim',
  'wordNgrams',
  'buckets',
  'epochs',
  'learningRate',
  'loss',
  'negative',
  'weighting',
  'minCount',
  'threads',
  'seed',
  'pretrained',
  'tokenizer',
]);

export function tokenizerByName(name: LinearTokenizerName): Tokenizer {
  return name === 'whitespace' ? whitespaceTokenizer : createTokenizer();
}

/** Validates every option up front; messages name the option, the value and the accepted range. */
export function resolveLinearOptions(o: LinearClassifierOptions = {}): ResolvedLinearOptions {
  if (typeof o !== 'object' || o === null) throw new Wasm2VecError('INVALID_OPTION', 'LinearClassifier: options must be an object');
  for (const k of Object.keys(o)) {
    if (!KNOWN.has(k)) throw new Wasm2VecError('INVALID_OPTION', `LinearClassifier: unknown option ${JSON.stringify(k)} (known: ${[...KNOWN].join(', ')})`);
  }
  const dim = intOption('dim', o.dim, 100, 1, 10000);
  const pretrained = o.pretrained;
  if (pretrained !== undefined) {
    if (!(pretrained instanceof Embeddings)) invalidOption('pretrained', pretrained, 'an Embeddings object');
    if (o.dim !== undefined && pretrained.dim !== dim) {
      throw new Wasm2VecError('INVALID_OPTION', `option pretrained: vectors have dim ${pretrained.dim} but option dim is ${dim}; they must match`);
    }
  }
  let tokenizerName: LinearTokenizerName | 'custom';
  let tokenizer: Tokenizer;
  if (typeof o.tokenizer === 'function') {
    tokenizerName = o.tokenizer === whitespaceTokenizer ? 'whitespace' : 'custom';
    tokenizer = o.tokenizer;
  } else {
    tokenizerName = enumOption('tokenizer', o.tokenizer, 'default', ['default', 'whitespace'] as const);
    tokenizer = tokenizerByName(tokenizerName);
  }
  return {
    dim: pretrained && o.dim === undefined ? pretrained.dim : dim,
    wordNgrams: intOption('wordNgrams', o.wordNgrams, 1, 1, 5),
    buckets: intOption('buckets', o.buckets, 2_000_000, 1, 1 << 30),
    epochs: intOption('epochs', o.epochs, 5, 1, 100000),
    learningRate: numberOption('learningRate', o.learningRate, 0.1, 0, 100, true),
    loss: o.loss === undefined ? undefined : enumOption('loss', o.loss, 'softmax', ['softmax', 'ns', 'hs', 'ova'] as const),
    negative: intOption('negative', o.negative, 5, 1, 1000),
    weighting: enumOption('weighting', o.weighting, 'mean', ['mean', 'tfidf'] as const),
    minCount: intOption('minCount', o.minCount, 1, 1),
    threads: o.threads === undefined ? undefined : intOption('threads', o.threads, 1, 1, 256),
    seed: intOption('seed', o.seed, 1, 0, Number.MAX_SAFE_INTEGER),
    pretrained,
    tokenizerName,
    tokenizer,
  };
}
