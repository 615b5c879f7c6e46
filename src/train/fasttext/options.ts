import { Wasm2VecError } from '../../errors.js';
import { aliasedOption, enumOption, functionOption, intOption, numberOption } from '../../options.js';
import type { CheckpointTarget } from '../checkpoint-file.js';
import { CONTROL_NAMES, progressOption, resolveControls, seedOption, type TrainingControls } from '../lifecycle.js';
import { createTokenizer, type Tokenizer } from '../../text/tokenizer.js';
import { MAX_NGRAM_CHARS } from './args.js';
import { MAX_ROWS } from './dictionary.js';

export interface FastTextProgress {
  /** Corpus words (in vocabulary, before subsampling) processed so far, over all epochs. */
  words: number;
  /** words / (epochs × corpus words). */
  progress: number;
  epoch: number;
  epochs: number;
  /** The learning rate of the latest slice: learningRate · (1 - progress), as fastText decays it. */
  learningRate: number;
  /** Corpus words trained per second of this call. */
  wordsPerSecond: number;
  /** Mean loss per update (skip-gram pair or CBOW window) of the current epoch so far. */
  loss: number;
  lossSum: number;
  threads: number;
  /** Why fewer threads run than asked for (first report only). */
  note?: string;
}

export interface FastTextOptions {
  /** 'skipgram' (default) or 'cbow'. */
  model?: 'skipgram' | 'cbow';
  /** Output layer: 'ns' negative sampling (default), 'hs' hierarchical softmax, 'softmax'. */
  loss?: 'ns' | 'hs' | 'softmax';
  /**
   * 'batched' (default for skip-gram with ns): one hidden vector and one set of negatives per window,
   * several times faster; 'classic': fastText's exact per-pair update (the only mode for CBOW, hs, softmax).
   */
  mode?: 'batched' | 'classic';
  /** Default 100. */
  dim?: number;
  /** Largest window radius, default 5 (alias ws); each position draws its radius in 1..window. */
  window?: number;
  ws?: number;
  /** Default 5 (alias epoch). */
  epochs?: number;
  epoch?: number;
  /** Words seen fewer times are dropped (default 5). */
  minCount?: number;
  /** Keep at most this many of the most frequent words. */
  maxVocab?: number;
  /** Negative samples per update, default 5 (alias neg). */
  negative?: number;
  neg?: number;
  /** Starting learning rate, default 0.05 (aliases lr, alpha); falls linearly to 0. */
  learningRate?: number;
  lr?: number;
  alpha?: number;
  /** Shortest and longest character n-gram, default 3 and 6; maxn 0 trains without subwords. */
  minn?: number;
  maxn?: number;
  /** Hash buckets of the n-grams (rows of the input matrix beyond the words), default 2,000,000; with maxn 0 the model has none (args.bucket 0). */
  bucket?: number;
  /** Subsampling threshold, default 1e-4 as fastText (alias t; 0 turns it off). */
  sample?: number;
  t?: number;
  /** The learning rate moves every this many words (default 100). */
  lrUpdateRate?: number;
  /** Default 1. */
  seed?: number;
  /** Sentences are cut after this many in-vocabulary words (default 1024, fastText's MAX_LINE_SIZE). */
  maxSentenceLength?: number;
  tokenizer?: Tokenizer;
  onProgress?: (p: FastTextProgress) => void;
  /** Stops training within ~100 ms; the model trained so far is returned (stats.aborted). */
  signal?: AbortSignal;
  threads?: number;
  /** Where to save a checkpoint every `checkpointEvery` epochs (bytes callback or file path). */
  checkpoint?: CheckpointTarget;
  checkpointEvery?: number;
  /** A checkpoint to continue from, on the same corpus; with 1 thread the result equals an uninterrupted run bit for bit. */
  resumeFrom?: Uint8Array | ArrayBuffer | string;
}

/** The options that define the model and its schedule, under their primary names (what a checkpoint stores). */
export interface FastTextModelOptions {
  model: 'skipgram' | 'cbow';
  loss: 'ns' | 'hs' | 'softmax';
  mode: 'batched' | 'classic';
  dim: number;
  window: number;
  epochs: number;
  minCount: number;
  maxVocab?: number;
  negative: number;
  learningRate: number;
  minn: number;
  maxn: number;
  bucket: number;
  sample: number;
  lrUpdateRate: number;
  seed: number;
  maxSentenceLength: number;
}

export const MODEL_OPTION_NAMES: readonly (keyof FastTextModelOptions)[] = [
  'model',
  'loss',
  'mode',
  'dim',
  'window',
  'epochs',
  'minCount',
  'maxVocab',
  'negative',
  'learningRate',
  'minn',
  'maxn',
  'bucket',
  'sample',
  'lrUpdateRate',
  'seed',
  'maxSentenceLength',
];

/** Primary name → its aliases (fastText's and word2vec.c's spellings). */
export const ALIASES: Readonly<Record<string, readonly string[]>> = {
  learningRate: ['lr', 'alpha'],
  window: ['ws'],
  epochs: ['epoch'],
  negative: ['neg'],
  sample: ['t'],
};

export interface ResolvedFastTextOptions extends FastTextModelOptions, TrainingControls {
  /** How the caller named the learning rate, for messages. */
  learningRateName: string;
  tokenizer: Tokenizer;
  onProgress?: (p: FastTextProgress) => void;
}

const KNOWN = new Set<string>([...MODEL_OPTION_NAMES, ...Object.values(ALIASES).flat(), ...CONTROL_NAMES, 'tokenizer', 'onProgress']);

/** The caller's options with every alias renamed to its primary name (two spellings that disagree are an error). */
export function primaryNames(o: FastTextOptions): Record<string, unknown> {
  const out: Record<string, unknown> = { ...o };
  for (const [primary, aliases] of Object.entries(ALIASES)) {
    const v = aliasedOption(o, primary, aliases).value;
    for (const a of aliases) delete out[a];
    if (v === undefined) delete out[primary];
    else out[primary] = v;
  }
  return out;
}

/** Validates everything up front, before the corpus is read or memory is reserved. */
export function resolveFastTextOptions(o: FastTextOptions = {}): ResolvedFastTextOptions {
  if (typeof o !== 'object' || o === null) throw new Wasm2VecError('INVALID_OPTION', 'FastText.train: options must be an object');
  for (const k of Object.keys(o)) if (!KNOWN.has(k)) throw new Wasm2VecError('INVALID_OPTION', `FastText.train: unknown option ${JSON.stringify(k)}`);
  const model = enumOption('model', o.model, 'skipgram', ['skipgram', 'cbow'] as const);
  const loss = enumOption('loss', o.loss, 'ns', ['ns', 'hs', 'softmax'] as const);
  const batchable = model === 'skipgram' && loss === 'ns';
  const mode = enumOption('mode', o.mode, batchable ? 'batched' : 'classic', ['batched', 'classic'] as const);
  if (mode === 'batched' && !batchable) {
    throw new Wasm2VecError(
      'INVALID_OPTION',
      `option mode: 'batched' shares one set of negatives over a skip-gram window; it needs model 'skipgram' and loss 'ns' (got model '${model}', loss '${loss}')`,
    );
  }
  const neg = aliasedOption(o, 'negative', ALIASES.negative);
  const negative = intOption(neg.name, neg.value, 5, loss === 'ns' ? 1 : 0, 1000);
  const lr = aliasedOption(o, 'learningRate', ALIASES.learningRate);
  const learningRate = numberOption(lr.name, lr.value, 0.05, 0, 10, true);
  const ws = aliasedOption(o, 'window', ALIASES.window);
  const ep = aliasedOption(o, 'epochs', ALIASES.epochs);
  const t = aliasedOption(o, 'sample', ALIASES.sample);
  const maxn = intOption('maxn', o.maxn, 6, 0, MAX_NGRAM_CHARS);
  const minn = intOption('minn', o.minn, 3, maxn > 0 ? 1 : 0, MAX_NGRAM_CHARS);
  if (maxn > 0 && minn > maxn)
    throw new Wasm2VecError('INVALID_OPTION', `option minn: ${minn} is above maxn ${maxn} (no n-gram would be formed; maxn: 0 turns subwords off)`);
  const bucket = intOption('bucket', o.bucket, 2_000_000, 0, MAX_ROWS);
  if (maxn > 0 && bucket === 0)
    throw new Wasm2VecError(
      'INVALID_OPTION',
      `option bucket: 0 buckets leave character n-grams up to ${maxn} characters no rows; set maxn: 0 to train without subwords`,
    );
  const tokenizer = functionOption<Tokenizer>('tokenizer', o.tokenizer) ?? createTokenizer();
  return {
    ...resolveControls(o),
    model,
    loss,
    mode,
    dim: intOption('dim', o.dim, 100, 1, 100000),
    window: intOption(ws.name, ws.value, 5, 1, 1000),
    epochs: intOption(ep.name, ep.value, 5, 1, 100000),
    minCount: intOption('minCount', o.minCount, 5, 1),
    maxVocab: o.maxVocab === undefined ? undefined : intOption('maxVocab', o.maxVocab, 0, 1),
    negative,
    learningRate,
    learningRateName: lr.name,
    minn,
    maxn,
    bucket,
    sample: numberOption(t.name, t.value, 1e-4, 0, 1),
    lrUpdateRate: intOption('lrUpdateRate', o.lrUpdateRate, 100, 1, 1_000_000_000),
    seed: seedOption(o.seed),
    maxSentenceLength: intOption('maxSentenceLength', o.maxSentenceLength, 1024, 1, 1_000_000),
    tokenizer,
    onProgress: progressOption('onProgress', o.onProgress),
  };
}

/** The model options of resolved options (what a checkpoint stores and a resume must not contradict). */
export function modelOptions(o: ResolvedFastTextOptions): FastTextModelOptions {
  const out: Record<string, unknown> = {};
  for (const k of MODEL_OPTION_NAMES) if (o[k] !== undefined) out[k] = o[k];
  return out as unknown as FastTextModelOptions;
}
