import { describe } from '../../errors.js';
import { Vocabulary } from '../../text/vocabulary.js';
import { badCheckpoint, decodeCheckpointFile, encodeCheckpointFile, finiteFloats, type FileKind } from '../checkpoint-file.js';

/**
 * The GloVe checkpoint: the parameters (word and context vectors, biases and their AdaGrad sums) after
 * an epoch, with the vocabulary and the options that define the model. Training is deterministic
 * given the parameters and the shuffled cells, and counting and shuffling are deterministic for a
 * given corpus, seed, thread count and memoryBudget, so with one thread (and the same memoryBudget)
 * a resumed run equals an uninterrupted one bit for bit.
 *
 * Container: see checkpoint-file.ts, magic "\x89GLC\r\n\x1a\n". Header: { format, version, options,
 * epochsCompleted, epochCosts, tokens, sections }. Sections: vocabulary (UTF-8 JSON { words,
 * counts }), params (float32, 2 × vocabulary rows of the kernel's row layout).
 */

export const GLOVE_CHECKPOINT: FileKind = { magic: [0x89, 0x47, 0x4c, 0x43, 0x0d, 0x0a, 0x1a, 0x0a], version: 1, what: 'GloVe checkpoint' };
const FORMAT = 'wasm2vec-glove-checkpoint';

/** Options that define the model and its training (threads, memory, output and callbacks may change on resume). */
export const GLOVE_CHECKPOINT_OPTIONS = [
  'dim',
  'window',
  'xMax',
  'alpha',
  'learningRate',
  'epochs',
  'minCount',
  'maxVocab',
  'symmetric',
  'seed',
  'gradientClip',
] as const;

export interface GloveCheckpointState {
  options: Record<(typeof GLOVE_CHECKPOINT_OPTIONS)[number], unknown>;
  vocabulary: Vocabulary;
  epochsCompleted: number;
  /** glove.c's cost of each completed epoch. */
  epochCosts: number[];
  /** In-vocabulary tokens of the corpus (must match on resume). */
  tokens: number;
}

export interface DecodedGloveCheckpoint extends GloveCheckpointState {
  /** The parameter bytes, a view into the file. */
  params: Uint8Array;
}

export function encodeGloveCheckpoint(
  state: GloveCheckpointState,
  params: { bytes: number; read: (offset: number, bytes: number) => Promise<Uint8Array> },
): AsyncGenerator<Uint8Array> {
  return encodeCheckpointFile(
    GLOVE_CHECKPOINT,
    {
      format: FORMAT,
      version: GLOVE_CHECKPOINT.version,
      options: state.options,
      epochsCompleted: state.epochsCompleted,
      epochCosts: state.epochCosts,
      tokens: state.tokens,
    },
    [
      { name: 'vocabulary', data: new TextEncoder().encode(JSON.stringify(state.vocabulary.toJSON())) },
      { name: 'params', ...params },
    ],
  );
}

/**
 * Decodes and checks a GloVe checkpoint. Options are returned as stored, and the params section's
 * size is checked against the memory plan, by the trainer.
 */
export function decodeGloveCheckpoint(bytes: Uint8Array, source: string): DecodedGloveCheckpoint {
  const kind = GLOVE_CHECKPOINT;
  const bad: (problem: string) => never = (problem) => badCheckpoint(kind, source, problem);
  const { header, sections } = decodeCheckpointFile(kind, bytes, source, ['vocabulary', 'params']);
  const { format, options, epochsCompleted, epochCosts, tokens } = header;
  if (format !== FORMAT) bad(`the header is not a ${FORMAT} header`);
  if (typeof options !== 'object' || options === null || Array.isArray(options)) bad(`options are ${describe(options)}`);
  const o = options as Record<string, unknown>;
  const dim = o.dim;
  if (typeof dim !== 'number' || !Number.isInteger(dim) || dim < 1 || dim > 100000) bad(`dim is ${describe(dim)}`);
  const epochs = o.epochs;
  if (
    typeof epochs !== 'number' ||
    typeof epochsCompleted !== 'number' ||
    !Number.isInteger(epochsCompleted) ||
    epochsCompleted < 0 ||
    epochsCompleted > epochs
  ) {
    bad(`epochsCompleted ${describe(epochsCompleted)} of ${describe(epochs)} epochs`);
  }
  if (!Array.isArray(epochCosts) || epochCosts.length !== epochsCompleted || !epochCosts.every((c) => typeof c === 'number' && c >= 0 && Number.isFinite(c))) {
    bad(`epochCosts ${describe(epochCosts)} for ${epochsCompleted} epochs`);
  }
  const vocabBytes = sections.get('vocabulary');
  const params = sections.get('params');
  if (!vocabBytes || !params) bad('the vocabulary and params sections are required');
  let vocabulary: Vocabulary;
  try {
    vocabulary = Vocabulary.fromJSON(new TextDecoder('utf-8', { fatal: true }).decode(vocabBytes));
  } catch (e) {
    bad(`vocabulary: ${(e as Error).message}`);
  }
  if (vocabulary.size === 0) bad('the vocabulary is empty');
  if (vocabulary.totalCount !== tokens) bad(`tokens ${describe(tokens)} do not match the vocabulary's counts (${vocabulary.totalCount})`);
  finiteFloats(kind, source, 'params', params);
  return {
    options: o as GloveCheckpointState['options'],
    vocabulary,
    epochsCompleted,
    epochCosts: epochCosts as number[],
    tokens: tokens as number,
    params,
  };
}
