import { describe } from '../../errors.js';
import { Vocabulary } from '../../text/vocabulary.js';
import { badCheckpoint, decodeCheckpointFile, encodeCheckpointFile, finiteFloats, type FileKind, type OutSection } from '../checkpoint-file.js';

/**
 * The Word2Vec checkpoint: everything a run needs to continue exactly where an epoch ended. With one
 * thread, resuming gives the same vectors, bit for bit, as a run that was never interrupted: the
 * sigmoid/noise/subsampling tables are recomputed from the options and counts, the learning rate
 * follows from the epoch, and the only other state is each thread's RNG.
 *
 * Container: see checkpoint-file.ts, magic "\x89W2C\r\n\x1a\n". Header: { format, version, options,
 * epochsCompleted, tokens, rawTokens, effectiveTokens, sections }. Sections: vocabulary (UTF-8 JSON
 * { words, counts }), rng (one u64 per thread), syn0, syn1neg (negative > 0), syn1 (hs): float32
 * vocabulary × dim.
 */

export const WORD2VEC_CHECKPOINT: FileKind = { magic: [0x89, 0x57, 0x32, 0x43, 0x0d, 0x0a, 0x1a, 0x0a], version: 1, what: 'Word2Vec checkpoint' };
const FORMAT = 'wasm2vec-word2vec-checkpoint';
const MAX_THREADS = 256;

export type MatrixName = 'syn0' | 'syn1neg' | 'syn1';

/** The options that define the model and its learning-rate schedule (threads and callbacks may change on resume). */
export interface CheckpointOptions {
  model: 'skipgram' | 'cbow';
  mode: 'classic' | 'batched';
  dim: number;
  window: number;
  negative: number;
  hs: boolean;
  sample: number;
  minCount: number;
  maxVocab?: number;
  epochs: number;
  alpha: number;
  minAlpha: number;
  seed: number;
  maxSentenceLength: number;
}

export const CHECKPOINT_OPTION_NAMES: readonly (keyof CheckpointOptions)[] = [
  'model',
  'mode',
  'dim',
  'window',
  'negative',
  'hs',
  'sample',
  'minCount',
  'maxVocab',
  'epochs',
  'alpha',
  'minAlpha',
  'seed',
  'maxSentenceLength',
];

export interface CheckpointState {
  options: CheckpointOptions;
  vocabulary: Vocabulary;
  /** Epochs fully trained. */
  epochsCompleted: number;
  /** In-vocabulary tokens per epoch (must match the corpus on resume). */
  tokens: number;
  rawTokens: number;
  effectiveTokens: number;
  /** Each worker's RNG state after the last completed epoch. */
  rng: bigint[];
}

/** A checkpoint as decoded: the state plus the matrices as byte views into the file (no copies). */
export interface DecodedCheckpoint extends CheckpointState {
  matrices: Map<MatrixName, Uint8Array>;
}

export type { Checkpoint as Word2VecCheckpoint } from '../checkpoint-file.js';

/** The checkpoint file as chunks; `matrices` read the weights out of the model's memory. */
export function encodeCheckpoint(
  state: CheckpointState,
  matrices: { name: MatrixName; bytes: number; read: (offset: number, bytes: number) => Promise<Uint8Array> }[],
): AsyncGenerator<Uint8Array> {
  const sections: OutSection[] = [
    { name: 'vocabulary', data: new TextEncoder().encode(JSON.stringify(state.vocabulary.toJSON())) },
    { name: 'rng', data: new Uint8Array(new BigUint64Array(state.rng).buffer) },
    ...matrices,
  ];
  return encodeCheckpointFile(
    WORD2VEC_CHECKPOINT,
    {
      format: FORMAT,
      version: WORD2VEC_CHECKPOINT.version,
      options: state.options,
      epochsCompleted: state.epochsCompleted,
      tokens: state.tokens,
      rawTokens: state.rawTokens,
      effectiveTokens: state.effectiveTokens,
    },
    sections,
  );
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/**
 * Decodes and checks a checkpoint: the container, then the state against itself (section sizes
 * against vocabulary × dim, tokens against the vocabulary's counts, finite weights). The model
 * options are returned as stored; the trainer validates them like its own options.
 */
export function decodeCheckpoint(bytes: Uint8Array, source: string): DecodedCheckpoint {
  const kind = WORD2VEC_CHECKPOINT;
  const bad: (problem: string) => never = (problem) => badCheckpoint(kind, source, problem);
  const { header, sections } = decodeCheckpointFile(kind, bytes, source, ['vocabulary', 'rng', 'syn0', 'syn1neg', 'syn1']);
  const { format, options, epochsCompleted, tokens, rawTokens, effectiveTokens } = header;
  if (format !== FORMAT) bad(`the header is not a ${FORMAT} header`);
  if (typeof options !== 'object' || options === null || Array.isArray(options)) bad(`options are ${describe(options)}`);
  const o = options as Record<string, unknown>;
  const dim = o.dim;
  if (!isCount(dim) || dim < 1 || dim > 100000) bad(`dim is ${describe(dim)}`);
  if (!isCount(o.epochs) || !isCount(epochsCompleted) || epochsCompleted > o.epochs)
    bad(`epochsCompleted ${describe(epochsCompleted)} of ${describe(o.epochs)} epochs`);
  if (!isCount(tokens) || !isCount(rawTokens) || tokens > rawTokens) bad(`token counts ${describe(tokens)} / ${describe(rawTokens)}`);
  if (typeof effectiveTokens !== 'number' || !(effectiveTokens >= 0 && effectiveTokens <= Number.MAX_SAFE_INTEGER))
    bad(`effectiveTokens ${describe(effectiveTokens)}`);

  const vocabBytes = sections.get('vocabulary');
  const rngBytes = sections.get('rng');
  if (!vocabBytes || !rngBytes || !sections.has('syn0')) bad('the vocabulary, rng and syn0 sections are required');
  let vocabulary: Vocabulary;
  try {
    vocabulary = Vocabulary.fromJSON(new TextDecoder('utf-8', { fatal: true }).decode(vocabBytes));
  } catch (e) {
    bad(`vocabulary: ${(e as Error).message}`);
  }
  if (vocabulary.size === 0) bad('the vocabulary is empty');
  // The in-vocabulary tokens of an epoch are the vocabulary's counts summed: a cheap consistency check.
  if (vocabulary.totalCount !== tokens) bad(`tokens ${tokens} do not match the vocabulary's counts (${vocabulary.totalCount})`);
  if (rngBytes.length === 0 || rngBytes.length % 8 !== 0 || rngBytes.length / 8 > MAX_THREADS) bad(`rng section of ${rngBytes.length} bytes`);
  const rngView = new DataView(rngBytes.buffer, rngBytes.byteOffset, rngBytes.byteLength);
  const rng = Array.from({ length: rngBytes.length / 8 }, (_, t) => rngView.getBigUint64(t * 8, true));

  const matrixBytes = vocabulary.size * dim * 4;
  const expected: MatrixName[] = ['syn0'];
  if (o.negative !== 0) expected.push('syn1neg');
  if (o.hs === true) expected.push('syn1');
  const matrices = new Map<MatrixName, Uint8Array>();
  for (const name of ['syn0', 'syn1neg', 'syn1'] as const) {
    const m = sections.get(name);
    if (expected.includes(name) !== (m !== undefined)) bad(`section ${name} ${m ? 'is not expected' : 'is missing'} for these options`);
    if (!m) continue;
    if (m.length !== matrixBytes) bad(`${name} holds ${m.length} bytes, expected vocabulary ${vocabulary.size} × dim ${dim} × 4 = ${matrixBytes}`);
    finiteFloats(kind, source, name, m);
    matrices.set(name, m);
  }
  return {
    options: o as unknown as CheckpointOptions,
    vocabulary,
    epochsCompleted,
    tokens,
    rawTokens,
    effectiveTokens: effectiveTokens as number,
    rng,
    matrices,
  };
}
