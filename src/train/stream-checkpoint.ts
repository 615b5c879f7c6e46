import { describe } from '../errors.js';
import { Vocabulary } from '../text/vocabulary.js';
import { badCheckpoint, decodeCheckpointFile, encodeCheckpointFile, type FileKind, type OutSection } from './checkpoint-file.js';
import { MAX_THREADS } from './lifecycle.js';

/**
 * The checkpoint of a trainer that learns from the scanned id stream (Word2Vec, FastText): the model
 * options, the vocabulary, the epoch and token counters, each thread's RNG state and the weight
 * matrices. Container: checkpoint-file.ts. Header: { format, version, options, epochsCompleted, tokens,
 * rawTokens, effectiveTokens, sections }. Sections: vocabulary (UTF-8 JSON { words, counts }), rng (one
 * u64 per thread), then the model's float32 matrices. Each model checks its own matrices' sizes.
 */

export interface StreamCheckpointState<O> {
  options: O;
  vocabulary: Vocabulary;
  /** Epochs fully trained. */
  epochsCompleted: number;
  /** In-vocabulary tokens per epoch (must match the corpus on resume). */
  tokens: number;
  /** All corpus tokens read. */
  rawTokens: number;
  effectiveTokens: number;
  /** Each worker's RNG state after the last completed epoch. */
  rng: bigint[];
}

export interface MatrixSection<M extends string> {
  name: M;
  bytes: number;
  read: (offset: number, bytes: number) => Promise<Uint8Array>;
}

/** The checkpoint file as chunks; `matrices` read the weights out of the model's memory. */
export function encodeStreamCheckpoint<O, M extends string>(
  kind: FileKind,
  format: string,
  state: StreamCheckpointState<O>,
  matrices: MatrixSection<M>[],
): AsyncGenerator<Uint8Array> {
  const sections: OutSection[] = [
    { name: 'vocabulary', data: new TextEncoder().encode(JSON.stringify(state.vocabulary.toJSON())) },
    { name: 'rng', data: new Uint8Array(new BigUint64Array(state.rng).buffer) },
    ...matrices,
  ];
  return encodeCheckpointFile(
    kind,
    {
      format,
      version: kind.version,
      options: state.options,
      epochsCompleted: state.epochsCompleted,
      tokens: state.tokens,
      rawTokens: state.rawTokens,
      effectiveTokens: state.effectiveTokens,
    },
    sections,
  );
}

export const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

export interface DecodedStreamParts extends StreamCheckpointState<Record<string, unknown>> {
  /** options.dim, checked to be an integer in [1, 100000]. */
  dim: number;
  sections: Map<string, Uint8Array>;
  bad: (problem: string) => never;
}

/**
 * Decodes the container and checks what every stream checkpoint holds (format, options object, dim,
 * epoch and token counters, the vocabulary against the token count, the RNG states). `required` lists
 * the sections that must be present (the matrices a model always has); the caller checks its matrices.
 */
export function decodeStreamCheckpoint(
  kind: FileKind,
  format: string,
  bytes: Uint8Array,
  source: string,
  known: readonly string[],
  required: readonly string[],
): DecodedStreamParts {
  const bad: (problem: string) => never = (problem) => badCheckpoint(kind, source, problem);
  const { header, sections } = decodeCheckpointFile(kind, bytes, source, ['vocabulary', 'rng', ...known]);
  const { format: stored, options, epochsCompleted, tokens, rawTokens, effectiveTokens } = header;
  if (stored !== format) bad(`the header is not a ${format} header`);
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
  const names = ['vocabulary', 'rng', ...required];
  if (!vocabBytes || !rngBytes || required.some((n) => !sections.has(n))) {
    bad(`the ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]} sections are required`);
  }
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
  return { options: o, dim, vocabulary, epochsCompleted, tokens, rawTokens, effectiveTokens: effectiveTokens as number, rng, sections, bad };
}
