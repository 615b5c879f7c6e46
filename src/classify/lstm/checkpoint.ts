import { Wasm2VecError, describe } from '../../errors.js';
import { Vocabulary } from '../../text/vocabulary.js';
import { badCheckpoint, decodeCheckpointFile, encodeCheckpointFile, finiteFloats, type FileKind } from '../../train/checkpoint-file.js';
import { planParams } from './layout.js';
import { checkConfig, networkShape, type TextClassifierConfig } from './options.js';
import type { TextClassifierEpochLogs } from './training-history.js';

/**
 * The TextClassifier checkpoint: the engine's raw state after an epoch of a fit (weights and Adam
 * moments), the Adam step, the epochs trained, the fit's settings and history, the config and the
 * vocabulary. Training does not depend on the thread count, so resuming gives the same weights, bit
 * for bit, as a fit that was never interrupted.
 *
 * Container: see src/train/checkpoint-file.ts, magic "\x89TCC\r\n\x1a\n". Header: { format, version,
 * config, vocabulary: { words, counts } | null, fit: { epoch, epochs, batchSize, shuffle, seed,
 * validationSplit, order? }, step, epochsTrained, history, sections }. Sections (float32): emb, embM, embV
 * (vocabSize × embeddingDim each), params, pm, pv (the LSTM and dense weights in the engine's layout).
 */

export const TEXT_CLASSIFIER_CHECKPOINT: FileKind = { magic: [0x89, 0x54, 0x43, 0x43, 0x0d, 0x0a, 0x1a, 0x0a], version: 1, what: 'TextClassifier checkpoint' };
const FORMAT = 'wasm2vec-text-classifier-checkpoint';
export const STATE_SECTIONS = ['emb', 'embM', 'embV', 'params', 'pm', 'pv'] as const;

/** The fit settings a resumed fit must repeat (they decide the batches and their order). */
export interface FitRun {
  /** Epochs of this fit completed. */
  epoch: number;
  epochs: number;
  batchSize: number;
  shuffle: boolean;
  seed: number;
  validationSplit: number;
  /**
   * 'canonical': each epoch shuffles the rows sorted by content. Absent in checkpoints written before
   * that rule: those fits shuffled the caller's order and resume that way, bit for bit.
   */
  order?: 'canonical';
}

export interface ClassifierCheckpoint {
  config: TextClassifierConfig;
  vocabulary: Vocabulary | null;
  fit: FitRun;
  step: number;
  epochsTrained: number;
  history: TextClassifierEpochLogs[];
  /** The engine state in exportState() order: emb, embM, embV, params, pm, pv. */
  state: Float32Array[];
}

export function encodeClassifierCheckpoint(c: ClassifierCheckpoint): AsyncGenerator<Uint8Array> {
  return encodeCheckpointFile(
    TEXT_CLASSIFIER_CHECKPOINT,
    {
      format: FORMAT,
      version: TEXT_CLASSIFIER_CHECKPOINT.version,
      config: c.config,
      vocabulary: c.vocabulary ? c.vocabulary.toJSON() : null,
      fit: c.fit,
      step: c.step,
      epochsTrained: c.epochsTrained,
      history: c.history,
    },
    STATE_SECTIONS.map((name, i) => ({ name, data: new Uint8Array(c.state[i].buffer, c.state[i].byteOffset, c.state[i].byteLength) })),
  );
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

export function decodeClassifierCheckpoint(bytes: Uint8Array, source: string): ClassifierCheckpoint {
  const kind = TEXT_CLASSIFIER_CHECKPOINT;
  const bad: (problem: string) => never = (problem) => badCheckpoint(kind, source, problem);
  const { header, sections } = decodeCheckpointFile(kind, bytes, source, STATE_SECTIONS);
  if (header.format !== FORMAT) bad(`the header is not a ${FORMAT} header`);
  let config: TextClassifierConfig;
  try {
    config = checkConfig((header.config ?? {}) as Record<string, unknown>, 'BAD_FORMAT');
  } catch (e) {
    if (e instanceof Wasm2VecError) bad(e.message);
    throw e;
  }
  let vocabulary: Vocabulary | null = null;
  if (header.vocabulary !== null) {
    try {
      vocabulary = Vocabulary.fromJSON(header.vocabulary);
    } catch (e) {
      bad(`vocabulary: ${(e as Error).message}`);
    }
    if (vocabulary.size > config.vocabSize - 2) bad(`${vocabulary.size} vocabulary words do not fit vocabSize ${config.vocabSize}`);
  }
  const fit = header.fit as Partial<FitRun> | null;
  if (
    typeof fit !== 'object' ||
    fit === null ||
    !isCount(fit.epoch) ||
    !isCount(fit.epochs) ||
    fit.epoch > fit.epochs ||
    !isCount(fit.batchSize) ||
    fit.batchSize < 1 ||
    typeof fit.shuffle !== 'boolean' ||
    !isCount(fit.seed) ||
    typeof fit.validationSplit !== 'number' ||
    !(fit.validationSplit >= 0 && fit.validationSplit < 1) ||
    (fit.order !== undefined && fit.order !== 'canonical')
  ) {
    bad(`fit settings ${describe(fit)}`);
  }
  const { step, epochsTrained, history } = header;
  if (!isCount(step) || !isCount(epochsTrained) || epochsTrained < fit.epoch) bad(`step ${describe(step)} / epochsTrained ${describe(epochsTrained)}`);
  if (
    !Array.isArray(history) ||
    history.length !== fit.epoch ||
    !history.every((h) => typeof h === 'object' && h !== null && typeof (h as TextClassifierEpochLogs).loss === 'number')
  ) {
    bad(`history ${describe(history)} for ${fit.epoch} epochs`);
  }
  const emb = config.vocabSize * config.embeddingDim;
  const params = planParams(networkShape(config)).floats;
  const state = STATE_SECTIONS.map((name, i) => {
    const b = sections.get(name);
    const floats = i < 3 ? emb : params;
    if (!b || b.length !== floats * 4) bad(`section ${name} holds ${b?.length ?? 0} bytes, the config needs ${floats * 4}`);
    return finiteFloats(kind, source, name, b);
  });
  return { config, vocabulary, fit: fit as FitRun, step, epochsTrained, history: history as TextClassifierEpochLogs[], state };
}
