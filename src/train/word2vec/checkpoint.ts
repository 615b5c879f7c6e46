import { finiteFloats, type FileKind } from '../checkpoint-file.js';
import { decodeStreamCheckpoint, encodeStreamCheckpoint, type MatrixSection, type StreamCheckpointState } from '../stream-checkpoint.js';

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

export type CheckpointState = StreamCheckpointState<CheckpointOptions>;

/** A checkpoint as decoded: the state plus the matrices as byte views into the file (no copies). */
export interface DecodedCheckpoint extends CheckpointState {
  matrices: Map<MatrixName, Uint8Array>;
}

export type { Checkpoint as Word2VecCheckpoint } from '../checkpoint-file.js';

/** The checkpoint file as chunks; `matrices` read the weights out of the model's memory. */
export function encodeCheckpoint(state: CheckpointState, matrices: MatrixSection<MatrixName>[]): AsyncGenerator<Uint8Array> {
  return encodeStreamCheckpoint(WORD2VEC_CHECKPOINT, FORMAT, state, matrices);
}

/**
 * Decodes and checks a checkpoint: the container, then the state against itself (section sizes
 * against vocabulary × dim, tokens against the vocabulary's counts, finite weights). The model
 * options are returned as stored; the trainer validates them like its own options.
 */
export function decodeCheckpoint(bytes: Uint8Array, source: string): DecodedCheckpoint {
  const kind = WORD2VEC_CHECKPOINT;
  const {
    options: o,
    dim,
    vocabulary,
    sections,
    bad,
    ...counters
  } = decodeStreamCheckpoint(kind, FORMAT, bytes, source, ['syn0', 'syn1neg', 'syn1'], ['syn0']);
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
  return { options: o as unknown as CheckpointOptions, vocabulary, ...counters, matrices };
}
