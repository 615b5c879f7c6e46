import { describe } from '../../errors.js';
import { Vocabulary } from '../../text/vocabulary.js';
import { badCheckpoint, decodeCheckpointFile, encodeCheckpointFile, finiteFloats, type FileKind, type OutSection } from '../checkpoint-file.js';
import type { FastTextModelOptions } from './options.js';

/**
 * The FastText checkpoint: everything a run needs to continue exactly where an epoch ended. With one
 * thread, resuming gives the same matrices, bit for bit, as a run never interrupted: the tables and
 * subword rows are recomputed from the options and the vocabulary, the learning rate follows from the
 * position, and the only other state is each thread's RNG.
 *
 * Container: see checkpoint-file.ts, magic "\x89FTC\r\n\x1a\n". Header: { format, version, options,
 * epochsCompleted, tokens, rawTokens, effectiveTokens, sections }. Sections: vocabulary (UTF-8 JSON
 * { words, counts }), rng (one u64 per thread), input ((nwords + bucket) × dim float32), output
 * (nwords × dim float32).
 */

export const FASTTEXT_CHECKPOINT: FileKind = { magic: [0x89, 0x46, 0x54, 0x43, 0x0d, 0x0a, 0x1a, 0x0a], version: 1, what: 'FastText checkpoint' };
const FORMAT = 'wasm2vec-fasttext-checkpoint';
const MAX_THREADS = 256;

export type FastTextMatrixName = 'input' | 'output';

export interface FastTextCheckpointState {
  options: FastTextModelOptions;
  vocabulary: Vocabulary;
  epochsCompleted: number;
  /** In-vocabulary tokens per epoch (must match the corpus on resume). */
  tokens: number;
  /** All corpus tokens (the subsampling frequencies' denominator). */
  rawTokens: number;
  effectiveTokens: number;
  rng: bigint[];
}

export interface DecodedFastTextCheckpoint extends FastTextCheckpointState {
  /** The matrices as byte views into the file (no copies). */
  matrices: Map<FastTextMatrixName, Uint8Array>;
}

/** The checkpoint file as chunks; `matrices` read the weights out of the model's memory. */
export function encodeFastTextCheckpoint(
  state: FastTextCheckpointState,
  matrices: { name: FastTextMatrixName; bytes: number; read: (offset: number, bytes: number) => Promise<Uint8Array> }[],
): AsyncGenerator<Uint8Array> {
  const sections: OutSection[] = [
    { name: 'vocabulary', data: new TextEncoder().encode(JSON.stringify(state.vocabulary.toJSON())) },
    { name: 'rng', data: new Uint8Array(new BigUint64Array(state.rng).buffer) },
    ...matrices,
  ];
  return encodeCheckpointFile(
    FASTTEXT_CHECKPOINT,
    {
      format: FORMAT,
      version: FASTTEXT_CHECKPOINT.version,
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
 * Decodes and checks a checkpoint: the container, then the state against itself (matrix sizes against
 * the vocabulary, bucket and dim, tokens against the counts, finite weights). The model options are
 * returned as stored; the trainer validates them like its own options.
 */
export function decodeFastTextCheckpoint(bytes: Uint8Array, source: string): DecodedFastTextCheckpoint {
  const kind = FASTTEXT_CHECKPOINT;
  const bad: (problem: string) => never = (problem) => badCheckpoint(kind, source, problem);
  const { header, sections } = decodeCheckpointFile(kind, bytes, source, ['vocabulary', 'rng', 'input', 'output']);
  const { format, options, epochsCompleted, tokens, rawTokens, effectiveTokens } = header;
  if (format !== FORMAT) bad(`the header is not a ${FORMAT} header`);
  if (typeof options !== 'object' || options === null || Array.isArray(options)) bad(`options are ${describe(options)}`);
  const o = options as Record<string, unknown>;
  const { dim, bucket } = o;
  if (!isCount(dim) || dim < 1 || dim > 100000) bad(`dim is ${describe(dim)}`);
  if (!isCount(bucket)) bad(`bucket is ${describe(bucket)}`);
  if (!isCount(o.epochs) || !isCount(epochsCompleted) || epochsCompleted > o.epochs)
    bad(`epochsCompleted ${describe(epochsCompleted)} of ${describe(o.epochs)} epochs`);
  if (!isCount(tokens) || !isCount(rawTokens) || tokens > rawTokens) bad(`token counts ${describe(tokens)} / ${describe(rawTokens)}`);
  if (typeof effectiveTokens !== 'number' || !(effectiveTokens >= 0 && effectiveTokens <= Number.MAX_SAFE_INTEGER))
    bad(`effectiveTokens ${describe(effectiveTokens)}`);
  const vocabBytes = sections.get('vocabulary');
  const rngBytes = sections.get('rng');
  if (!vocabBytes || !rngBytes || !sections.has('input') || !sections.has('output')) bad('the vocabulary, rng, input and output sections are required');
  let vocabulary: Vocabulary;
  try {
    vocabulary = Vocabulary.fromJSON(new TextDecoder('utf-8', { fatal: true }).decode(vocabBytes));
  } catch (e) {
    bad(`vocabulary: ${(e as Error).message}`);
  }
  if (vocabulary.size === 0) bad('the vocabulary is empty');
  if (vocabulary.totalCount !== tokens) bad(`tokens ${tokens} do not match the vocabulary's counts (${vocabulary.totalCount})`);
  if (rngBytes.length === 0 || rngBytes.length % 8 !== 0 || rngBytes.length / 8 > MAX_THREADS) bad(`rng section of ${rngBytes.length} bytes`);
  const rngView = new DataView(rngBytes.buffer, rngBytes.byteOffset, rngBytes.byteLength);
  const rng = Array.from({ length: rngBytes.length / 8 }, (_, t) => rngView.getBigUint64(t * 8, true));
  const matrices = new Map<FastTextMatrixName, Uint8Array>();
  for (const [name, rows, what] of [
    ['input', vocabulary.size + bucket, `(vocabulary ${vocabulary.size} + bucket ${bucket})`],
    ['output', vocabulary.size, `vocabulary ${vocabulary.size}`],
  ] as const) {
    const m = sections.get(name)!;
    if (m.length !== rows * dim * 4) bad(`${name} holds ${m.length} bytes, expected ${what} × dim ${dim} × 4 = ${rows * dim * 4}`);
    finiteFloats(kind, source, name, m);
    matrices.set(name, m);
  }
  return {
    options: o as unknown as FastTextModelOptions,
    vocabulary,
    epochsCompleted,
    tokens,
    rawTokens,
    effectiveTokens: effectiveTokens as number,
    rng,
    matrices,
  };
}
