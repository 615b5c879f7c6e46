import { describe } from '../../errors.js';
import { badCheckpoint, decodeCheckpointFile, encodeCheckpointFile, finiteFloats, type FileKind, type OutSection } from '../../train/checkpoint-file.js';
import type { Label, LabelKind } from './labels.js';
import { resolveLinearOptions, type LinearTokenizerName, type LinearWeighting } from './options.js';
import type { LinearLoss, TrainingSet } from './kernel.js';
import type { ExampleOrder } from './training-data.js';
import { MAX_WEIGHT } from './model-file.js';
import { LABEL_COUNT_SENTINEL } from './label-tree.js';

/**
 * The LinearClassifier checkpoint: everything a fit needs to continue exactly where an epoch ended.
 * With one thread, resuming gives the same weights, bit for bit, as a fit that was never
 * interrupted: the epoch's shuffle is a function of (seed, epoch), each example's learning rate
 * follows from the epoch and the tokens before it, the tables (sigmoid, noise, label tree) and the
 * idf weights are rebuilt from the same options and data, and the only other state is each
 * thread's RNG (negative sampling, the label drawn for multi-label examples).
 *
 * Container: see src/train/checkpoint-file.ts, magic "\x89LCC\r\n\x1a\n". Header: { format, version,
 * options: { dim, wordNgrams, buckets, epochs, learningRate, loss (as resolved), negative, weighting,
 * minCount, seed, tokenizer }, order ('canonical'; absent in checkpoints written before examples were
 * sorted by content and ties broken by UTF-16 order, which resume with the caller's order and
 * first-occurrence ties), epoch (epochs completed), words, labels: { kind, multiLabel, values,
 * counts }, data: { examples, tokensPerEpoch, hash } (a fingerprint of the encoded training set, so a
 * resume on other texts is refused), history, sections }. Sections: usedBuckets (i32 per n-gram row),
 * rng (u64 per thread), input (float32 (words + used buckets) × dim), output (float32 output rows ×
 * dim: labels, or labels - 1 for hs), idf (float32 per input row, tf-idf only), unseenIdf (one float32).
 */

export const LINEAR_CHECKPOINT: FileKind = { magic: [0x89, 0x4c, 0x43, 0x43, 0x0d, 0x0a, 0x1a, 0x0a], version: 1, what: 'LinearClassifier checkpoint' };
const FORMAT = 'wasm2vec-linear-classifier-checkpoint';
const MAX_THREADS = 256;

/** The options that decide a fit's result (threads may change on resume). */
export interface LinearCheckpointOptions {
  dim: number;
  wordNgrams: number;
  buckets: number;
  epochs: number;
  learningRate: number;
  loss: LinearLoss;
  negative: number;
  weighting: LinearWeighting;
  minCount: number;
  seed: number;
  tokenizer: LinearTokenizerName | 'custom';
}

export const LINEAR_CHECKPOINT_OPTION_NAMES: readonly (keyof LinearCheckpointOptions)[] = [
  'dim',
  'wordNgrams',
  'buckets',
  'epochs',
  'learningRate',
  'loss',
  'negative',
  'weighting',
  'minCount',
  'seed',
  'tokenizer',
];

export interface LinearCheckpointLabels {
  kind: LabelKind;
  multiLabel: boolean;
  values: Label[];
  counts: number[];
}

/** What identifies the training set: a resumed fit must encode to the same examples. */
export interface TrainingFingerprint {
  examples: number;
  tokensPerEpoch: number;
  /** FNV-1a (32-bit, hex) over the encoded ids, offsets, labels, label offsets and token counts. */
  hash: string;
}

export interface LinearHistoryEntry {
  epoch: number;
  loss: number;
  learningRate: number;
  seconds: number;
}

export interface LinearCheckpointState {
  options: LinearCheckpointOptions;
  /** How the fit ordered its examples and broke count ties. */
  order: ExampleOrder;
  /** Epochs completed. */
  epoch: number;
  words: readonly string[];
  labels: LinearCheckpointLabels;
  data: TrainingFingerprint;
  history: LinearHistoryEntry[];
  usedBuckets: Int32Array;
  /** Each worker's RNG state after the epoch. */
  rng: bigint[];
  unseenIdf: number;
}

/** A decoded checkpoint: the state plus the weights as float32 views into the file. */
export interface DecodedLinearCheckpoint extends LinearCheckpointState {
  input: Float32Array;
  output: Float32Array;
  idf: Float32Array | null;
}

/** A weight matrix to copy out of the model's memory piecewise. */
export type WeightReader = { name: 'input' | 'output' | 'idf'; bytes: number; read: (offset: number, bytes: number) => Promise<Uint8Array> };

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** The training set's fingerprint (one pass over its ids: cheap next to an epoch). */
export function fingerprint(train: TrainingSet): TrainingFingerprint {
  let h = FNV_OFFSET;
  for (const a of [train.ids, train.offsets, train.labels, train.labelOffsets, train.tokens]) {
    h = Math.imul(h ^ a.length, FNV_PRIME);
    for (let i = 0; i < a.length; i++) h = Math.imul(h ^ a[i], FNV_PRIME);
  }
  let tokensPerEpoch = 0;
  for (let i = 0; i < train.tokens.length; i++) tokensPerEpoch += train.tokens[i];
  return { examples: train.offsets.length - 1, tokensPerEpoch, hash: (h >>> 0).toString(16).padStart(8, '0') };
}

/** The checkpoint file as chunks; `weights` copy the matrices out of the model's memory. */
export function encodeLinearCheckpoint(s: LinearCheckpointState, weights: WeightReader[]): AsyncGenerator<Uint8Array> {
  const sections: OutSection[] = [
    { name: 'usedBuckets', data: new Uint8Array(s.usedBuckets.buffer, s.usedBuckets.byteOffset, s.usedBuckets.byteLength) },
    { name: 'rng', data: new Uint8Array(new BigUint64Array(s.rng).buffer) },
    ...weights,
    { name: 'unseenIdf', data: new Uint8Array(new Float32Array([s.unseenIdf]).buffer) },
  ];
  return encodeCheckpointFile(
    LINEAR_CHECKPOINT,
    {
      format: FORMAT,
      version: LINEAR_CHECKPOINT.version,
      options: s.options,
      ...(s.order === 'canonical' ? { order: s.order } : {}),
      epoch: s.epoch,
      words: s.words,
      labels: s.labels,
      data: s.data,
      history: s.history,
    },
    sections,
  );
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Decodes and checks a checkpoint: the container, the options (validated like constructor options,
 * reported as BAD_FORMAT), words, labels and n-gram buckets, the section sizes against them, and
 * finite weights of bounded size.
 */
export function decodeLinearCheckpoint(bytes: Uint8Array, source: string): DecodedLinearCheckpoint {
  const kind = LINEAR_CHECKPOINT;
  const bad: (problem: string) => never = (problem) => badCheckpoint(kind, source, problem);
  const { header, sections } = decodeCheckpointFile(kind, bytes, source, ['usedBuckets', 'rng', 'input', 'output', 'idf', 'unseenIdf']);
  if (header.format !== FORMAT) bad(`the header is not a ${FORMAT} header`);
  const o = header.options;
  if (!isObject(o)) bad(`options are ${describe(o)}`);
  for (const k of LINEAR_CHECKPOINT_OPTION_NAMES) if (o[k] === undefined) bad(`options: no ${k}`);
  for (const k of Object.keys(o)) if (!(LINEAR_CHECKPOINT_OPTION_NAMES as readonly string[]).includes(k)) bad(`options: unknown option ${JSON.stringify(k)}`);
  if (o.tokenizer !== 'default' && o.tokenizer !== 'whitespace' && o.tokenizer !== 'custom') bad(`options: tokenizer ${describe(o.tokenizer)}`);
  try {
    resolveLinearOptions({ ...(o as Record<string, never>), tokenizer: o.tokenizer === 'custom' ? undefined : (o.tokenizer as LinearTokenizerName) });
  } catch (e) {
    bad(`options: ${(e as Error).message.replace(/^option /, '')}`);
  }
  const options = o as unknown as LinearCheckpointOptions;
  if (options.loss === undefined) bad('options: no loss');

  const { epoch, words, labels, data, history } = header;
  if (header.order !== undefined && header.order !== 'canonical') bad(`order ${describe(header.order)} (expected "canonical" or none)`);
  const order: ExampleOrder = header.order === 'canonical' ? 'canonical' : 'input';
  if (!isCount(epoch) || epoch > options.epochs) bad(`epoch ${describe(epoch)} of ${options.epochs} epochs`);
  if (!Array.isArray(words) || words.length === 0) bad(`words are ${describe(words)}`);
  const seenWords = new Set<string>();
  for (const w of words) {
    if (typeof w !== 'string' || w === '' || seenWords.has(w)) bad(`word ${describe(w)} is not a non-empty string or is repeated`);
    seenWords.add(w);
  }
  if (
    !isObject(labels) ||
    (labels.kind !== 'string' && labels.kind !== 'number') ||
    typeof labels.multiLabel !== 'boolean' ||
    !Array.isArray(labels.values) ||
    !Array.isArray(labels.counts) ||
    labels.values.length < 2 ||
    labels.counts.length !== labels.values.length
  ) {
    bad('labels must be { kind: "string" | "number", multiLabel, values, counts } with at least two labels');
  }
  const seenLabels = new Set<unknown>();
  for (const v of labels.values as unknown[]) {
    const ok = labels.kind === 'string' ? typeof v === 'string' && v !== '' : typeof v === 'number' && Number.isSafeInteger(v);
    if (!ok || seenLabels.has(v)) bad(`label ${describe(v)} is not a ${labels.kind} label or is repeated`);
    seenLabels.add(v);
  }
  for (const c of labels.counts as unknown[]) {
    if (!isCount(c) || c >= LABEL_COUNT_SENTINEL) bad(`label count ${describe(c)} (expected an integer in [0, 1e15))`);
  }
  if (
    !isObject(data) ||
    !isCount(data.examples) ||
    data.examples < 1 ||
    !isCount(data.tokensPerEpoch) ||
    typeof data.hash !== 'string' ||
    !/^[0-9a-f]{8}$/.test(data.hash)
  ) {
    bad(`training-set fingerprint ${describe(data)}`);
  }
  if (
    !Array.isArray(history) ||
    history.length !== epoch ||
    !history.every(
      (h, i) => isObject(h) && h.epoch === i + 1 && typeof h.loss === 'number' && typeof h.learningRate === 'number' && typeof h.seconds === 'number',
    )
  ) {
    bad(`history ${describe(history)} for ${epoch} epochs`);
  }

  const need = (name: string): Uint8Array => sections.get(name) ?? bad(`section ${name} is missing`);
  const bucketBytes = need('usedBuckets');
  if (bucketBytes.length % 4 !== 0) bad(`section usedBuckets holds ${bucketBytes.length} bytes, not whole int32 values`);
  // A copy: Node's Buffer#slice is a view, so `.slice().buffer` of a Buffer (readFileSync) would be the whole file.
  const usedBuckets = new Int32Array(new Uint8Array(bucketBytes).buffer);
  if (options.wordNgrams === 1 && usedBuckets.length > 0) bad(`${usedBuckets.length} n-gram bucket rows in a model without word n-grams`);
  const buckets = new Set<number>();
  for (const b of usedBuckets) {
    if (b < 0 || b >= options.buckets || buckets.has(b)) bad(`n-gram bucket ${b} is outside [0, ${options.buckets}) or repeated`);
    buckets.add(b);
  }
  const rngBytes = need('rng');
  if (rngBytes.length === 0 || rngBytes.length % 8 !== 0 || rngBytes.length / 8 > MAX_THREADS) bad(`rng section of ${rngBytes.length} bytes`);
  const rngView = new DataView(rngBytes.buffer, rngBytes.byteOffset, rngBytes.byteLength);
  const rng = Array.from({ length: rngBytes.length / 8 }, (_, t) => rngView.getBigUint64(t * 8, true));

  const rows = words.length + usedBuckets.length;
  const outRows = options.loss === 'hs' ? labels.values.length - 1 : labels.values.length;
  const tfidf = options.weighting === 'tfidf';
  const weights = (name: string, floats: number): Float32Array => {
    const b = need(name);
    if (b.length !== floats * 4) bad(`section ${name} holds ${b.length} bytes, expected ${floats} float32 values`);
    const w = finiteFloats(kind, source, name, b);
    for (let i = 0; i < w.length; i++)
      if (!(Math.abs(w[i]) <= MAX_WEIGHT)) bad(`${name}: value ${i} is ${w[i]} (weights must be at most ${MAX_WEIGHT} in magnitude)`);
    return w;
  };
  const input = weights('input', rows * options.dim);
  const output = weights('output', outRows * options.dim);
  const unseenIdf = weights('unseenIdf', 1)[0];
  if (sections.has('idf') !== tfidf) bad(`section idf ${tfidf ? 'is missing for' : 'is not expected without'} tf-idf weighting`);
  const idf = tfidf ? weights('idf', rows) : null;
  // Rows are averaged with weight idf / Σ idf: a weight <= 0 could make the sum 0 (NaN probabilities).
  if (tfidf && (!(unseenIdf > 0) || idf!.some((w) => !(w > 0)))) bad('idf weights must be positive');
  return {
    options,
    order,
    epoch,
    words: words as string[],
    labels: labels as unknown as LinearCheckpointLabels,
    data: data as unknown as TrainingFingerprint,
    history: history as LinearHistoryEntry[],
    usedBuckets,
    rng,
    unseenIdf,
    input,
    output,
    idf,
  };
}
