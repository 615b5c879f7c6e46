import { Wasm2VecError, describe, invalidOption } from '../../errors.js';
import { boolOption, intOption, numberOption } from '../../options.js';
import { Embeddings } from '../../vectors/embeddings.js';
import { MAX_LAYERS, type NetworkShape } from './layout.js';

export interface LstmLayerOptions {
  units: number;
  /** Keras' return_sequences: true on every layer but the last (stacked LSTMs need the full sequence). */
  returnSequences?: boolean;
}

/** Text tokenisation settings saved with the model (see createTokenizer). */
export interface ClassifierTokenizerOptions {
  lowercase?: boolean;
  locale?: string;
}

export interface TextClassifierOptions {
  /** Embedding rows including padding (id 0) and out-of-vocabulary (id 1): Keras' input_dim (default 20000). */
  vocabSize?: number;
  /**
   * Words seen fewer times in the first fit's training texts stay out of the vocabulary and map to
   * OOV (id 1), in training as at prediction (default 2). So the OOV embedding trains on the rare
   * words of every class, as unknown words are spread at test time; with 1, OOV occurs in training
   * only past the vocabSize cut. Not used for token-id input.
   */
  minCount?: number;
  /** Tokens per text after pad_sequences-style padding/truncation at the front (default 50). */
  sequenceLength?: number;
  /** Embedding width (default 64). */
  embeddingDim?: number;
  /** The LSTM stack (default [{ units: 128, returnSequences: true }, { units: 128 }]). */
  lstm?: LstmLayerOptions[];
  /** 2: one sigmoid output with binary cross-entropy; more: softmax with categorical cross-entropy (default 2). */
  classes?: number;
  /** Seed of the weight initialisation and of the shuffling (default 1). */
  seed?: number;
  /** Worker threads (default: all cores). Results do not depend on it. */
  threads?: number;
  /** Initial embedding rows for the vocabulary's words (words it lacks, padding and OOV start at zero). */
  pretrained?: Embeddings;
  /** Whether the embedding layer trains (default true; false freezes it, e.g. with pretrained vectors). */
  trainEmbeddings?: boolean;
  /** Adam (Keras defaults: 1e-3, 0.9, 0.999, 1e-7). */
  learningRate?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  tokenizer?: ClassifierTokenizerOptions;
}

/** Everything that defines the model and is saved with it. */
export interface TextClassifierConfig {
  vocabSize: number;
  minCount: number;
  sequenceLength: number;
  embeddingDim: number;
  lstm: { units: number; returnSequences: boolean }[];
  classes: number;
  seed: number;
  trainEmbeddings: boolean;
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  tokenizer: { lowercase: boolean; locale: string };
}

const KNOWN = new Set([
  'vocabSize',
  'minCount',
  'sequenceLength',
  'embeddingDim',
  'lstm',
  'classes',
  'seed',
  'threads',
  'pretrained',
  'trainEmbeddings',
  'learningRate',
  'beta1',
  'beta2',
  'epsilon',
  'tokenizer',
]);

/** Keras users cut rare words with a frequency threshold; 2 sends every word seen once to OOV. */
export const DEFAULT_MIN_COUNT = 2;
/** Model files and checkpoints written before minCount existed were built with no frequency cut. */
const MIN_COUNT_OF_OLD_FILES = 1;

/** Validates the constructor options; every message names the option, the value and what is accepted. */
export function resolveClassifierOptions(o: TextClassifierOptions = {}): { config: TextClassifierConfig; threads?: number; pretrained?: Embeddings } {
  if (typeof o !== 'object' || o === null) throw new Wasm2VecError('INVALID_OPTION', `TextClassifier: options must be an object, got ${describe(o)}`);
  for (const k of Object.keys(o)) if (!KNOWN.has(k)) throw new Wasm2VecError('INVALID_OPTION', `TextClassifier: unknown option ${JSON.stringify(k)}`);
  const config = checkConfig(
    {
      vocabSize: o.vocabSize ?? 20000,
      minCount: o.minCount ?? DEFAULT_MIN_COUNT,
      sequenceLength: o.sequenceLength ?? 50,
      embeddingDim: o.embeddingDim ?? 64,
      lstm: o.lstm ?? [{ units: 128, returnSequences: true }, { units: 128 }],
      classes: o.classes ?? 2,
      seed: o.seed ?? 1,
      trainEmbeddings: o.trainEmbeddings ?? true,
      learningRate: o.learningRate ?? 1e-3,
      beta1: o.beta1 ?? 0.9,
      beta2: o.beta2 ?? 0.999,
      epsilon: o.epsilon ?? 1e-7,
      tokenizer: o.tokenizer ?? {},
    },
    'INVALID_OPTION',
  );
  const threads = o.threads === undefined ? undefined : intOption('threads', o.threads, 1, 1, 256);
  let pretrained: Embeddings | undefined;
  if (o.pretrained !== undefined) {
    if (!(o.pretrained instanceof Embeddings))
      invalidOption('pretrained', o.pretrained, 'an Embeddings instance (e.g. from Word2Vec.train or Embeddings.load)');
    pretrained = o.pretrained;
    if (pretrained.dim !== config.embeddingDim) {
      invalidOption(
        'pretrained',
        `Embeddings of dim ${pretrained.dim}`,
        `vectors of embeddingDim ${config.embeddingDim} (set embeddingDim: ${pretrained.dim})`,
      );
    }
  }
  return { config, threads, pretrained };
}

/**
 * Checks a full config (from options or from a model file: `code` tells which error to raise) and
 * returns a normalised copy.
 */
export function checkConfig(c: Record<string, unknown>, code: 'INVALID_OPTION' | 'BAD_FORMAT'): TextClassifierConfig {
  if (code === 'BAD_FORMAT' && c.minCount === undefined) c = { ...c, minCount: MIN_COUNT_OF_OLD_FILES };
  const fail = (name: string, value: unknown, expected: string): never => {
    if (code === 'INVALID_OPTION') invalidOption(name, value, expected);
    throw new Wasm2VecError('BAD_FORMAT', `model file: ${name} is ${describe(value)}, expected ${expected}`);
  };
  const int = (name: string, min: number, max: number): number => {
    const v = c[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) fail(name, v, `an integer in [${min}, ${max}]`);
    return v as number;
  };
  const num = (name: string, min: number, max: number, exclusiveMin: boolean): number => {
    const v = c[name];
    if (typeof v !== 'number' || !Number.isFinite(v) || (exclusiveMin ? v <= min : v < min) || v > max) {
      fail(name, v, `a number ${exclusiveMin ? '>' : '>='} ${min} and <= ${max}`);
    }
    return v as number;
  };
  const lstmIn = c.lstm;
  if (!Array.isArray(lstmIn) || lstmIn.length === 0) fail('lstm', lstmIn, 'a non-empty array of { units, returnSequences? }');
  const layers = lstmIn as unknown[];
  if (layers.length > MAX_LAYERS) fail('lstm', `${layers.length} layers`, `at most ${MAX_LAYERS} layers`);
  const lstm = layers.map((layer, i) => {
    if (typeof layer !== 'object' || layer === null) fail(`lstm[${i}]`, layer, 'an object { units, returnSequences? }');
    const { units, returnSequences, ...rest } = layer as Record<string, unknown>;
    const extra = Object.keys(rest);
    if (extra.length) fail(`lstm[${i}]`, `unknown key ${JSON.stringify(extra[0])}`, 'only units and returnSequences');
    if (typeof units !== 'number' || !Number.isInteger(units) || units < 1 || units > 4096) fail(`lstm[${i}].units`, units, 'an integer in [1, 4096]');
    const last = i === layers.length - 1;
    const rs = returnSequences === undefined ? !last : returnSequences;
    if (typeof rs !== 'boolean') fail(`lstm[${i}].returnSequences`, rs, 'true or false');
    if (!last && !rs) fail(`lstm[${i}].returnSequences`, rs, 'true: a stacked LSTM feeds its whole output sequence to the next layer');
    if (last && rs) fail(`lstm[${i}].returnSequences`, rs, 'false on the last layer: the Dense head reads its final state');
    return { units: units as number, returnSequences: rs as boolean };
  });
  const tk = c.tokenizer;
  if (typeof tk !== 'object' || tk === null) fail('tokenizer', tk, 'an object { lowercase?, locale? }');
  const { lowercase = true, locale = 'zh' } = tk as ClassifierTokenizerOptions;
  if (typeof lowercase !== 'boolean') fail('tokenizer.lowercase', lowercase, 'true or false');
  if (typeof locale !== 'string' || locale === '') fail('tokenizer.locale', locale, 'a locale string such as "zh"');
  const beta1 = num('beta1', 0, 1, false);
  if (beta1 >= 1) fail('beta1', beta1, 'a number in [0, 1)');
  const beta2 = num('beta2', 0, 1, false);
  if (beta2 >= 1) fail('beta2', beta2, 'a number in [0, 1)');
  if (typeof c.trainEmbeddings !== 'boolean') fail('trainEmbeddings', c.trainEmbeddings, 'true or false');
  return {
    vocabSize: int('vocabSize', 3, 1 << 26),
    minCount: int('minCount', 1, Number.MAX_SAFE_INTEGER),
    sequenceLength: int('sequenceLength', 1, 100000),
    embeddingDim: int('embeddingDim', 1, 100000),
    lstm,
    classes: int('classes', 2, 1 << 20),
    seed: int('seed', 0, Number.MAX_SAFE_INTEGER),
    trainEmbeddings: c.trainEmbeddings as boolean,
    learningRate: num('learningRate', 0, 1e6, true),
    beta1,
    beta2,
    epsilon: num('epsilon', 0, 1, false),
    tokenizer: { lowercase, locale },
  };
}

export function networkShape(c: TextClassifierConfig): NetworkShape {
  return {
    vocabSize: c.vocabSize,
    sequenceLength: c.sequenceLength,
    embeddingDim: c.embeddingDim,
    units: c.lstm.map((l) => l.units),
    outputs: c.classes === 2 ? 1 : c.classes,
  };
}

/** Fit options, validated. */
export interface FitSettings {
  epochs: number;
  batchSize: number;
  validationSplit: number;
  shuffle: boolean;
}

export function fitSettings(o: Record<string, unknown>): FitSettings {
  return {
    epochs: intOption('epochs', o.epochs, 1, 1, 1_000_000),
    batchSize: intOption('batchSize', o.batchSize, 32, 1, 1 << 16),
    validationSplit: numberOption('validationSplit', o.validationSplit, 0, 0, 0.99),
    shuffle: boolOption('shuffle', o.shuffle, true),
  };
}
