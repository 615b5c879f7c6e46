import { describe } from '../../errors.js';
import { finiteFloats, type FileKind } from '../checkpoint-file.js';
import { decodeStreamCheckpoint, encodeStreamCheckpoint, isCount, type MatrixSection, type StreamCheckpointState } from '../stream-checkpoint.js';
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

export type FastTextMatrixName = 'input' | 'output';

export type FastTextCheckpointState = StreamCheckpointState<FastTextModelOptions>;

export interface DecodedFastTextCheckpoint extends FastTextCheckpointState {
  /** The matrices as byte views into the file (no copies). */
  matrices: Map<FastTextMatrixName, Uint8Array>;
}

/** The checkpoint file as chunks; `matrices` read the weights out of the model's memory. */
export function encodeFastTextCheckpoint(state: FastTextCheckpointState, matrices: MatrixSection<FastTextMatrixName>[]): AsyncGenerator<Uint8Array> {
  return encodeStreamCheckpoint(FASTTEXT_CHECKPOINT, FORMAT, state, matrices);
}

/**
 * Decodes and checks a checkpoint: the container, then the state against itself (matrix sizes against
 * the vocabulary, bucket and dim, tokens against the counts, finite weights). The model options are
 * returned as stored; the trainer validates them like its own options.
 */
export function decodeFastTextCheckpoint(bytes: Uint8Array, source: string): DecodedFastTextCheckpoint {
  const kind = FASTTEXT_CHECKPOINT;
  const {
    options: o,
    dim,
    vocabulary,
    sections,
    bad,
    ...counters
  } = decodeStreamCheckpoint(kind, FORMAT, bytes, source, ['input', 'output'], ['input', 'output']);
  const bucket = isCount(o.bucket) ? o.bucket : bad(`bucket is ${describe(o.bucket)}`);
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
  return { options: o as unknown as FastTextModelOptions, vocabulary, ...counters, matrices };
}
