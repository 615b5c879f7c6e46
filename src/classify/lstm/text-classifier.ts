import { Wasm2VecError, describe, invalidOption, throwIfAborted } from '../../errors.js';
import { functionOption, knownOptions, signalOption } from '../../options.js';
import { availableCores, importNode, isNode } from '../../runtime/capabilities.js';
import { runCooperatively } from '../../runtime/cooperative.js';
import type { Vocabulary } from '../../text/vocabulary.js';
import type { Embeddings } from '../../vectors/embeddings.js';
import { LstmKernel, type TextClassifierWeightTensor } from './kernel.js';
import { SHARD_ROWS } from './layout.js';
import { SequenceEncoder, allPaddingRows, encodeIdSequences, isIdInput, FIRST_WORD_ID } from './sequences.js';
import { canonicalOrder, checkLabels, checkPair, gatherBatch, shuffledRows } from './training-data.js';
import { MAX_WARNING_INDICES, emptyTextsOption, emptyTextsWarning, type EmptyTextsPolicy, type FitWarning } from '../fit-warnings.js';
import { decodeClassifierFile, encodeClassifierFile, expectedTensors } from './model-file.js';
import { readCheckpointSource, type CheckpointTarget } from '../../train/checkpoint-file.js';
import { TrainingRun, disposedError, resolveControls, seedOption, threadsOption } from '../../train/lifecycle.js';
import { TEXT_CLASSIFIER_CHECKPOINT, decodeClassifierCheckpoint, encodeClassifierCheckpoint, type ClassifierCheckpoint, type FitRun } from './checkpoint.js';
import { fitSettings, networkShape, resolveClassifierOptions, type TextClassifierConfig, type TextClassifierOptions } from './options.js';
import { EarlyStopping, type TextClassifierBatchLogs, type TextClassifierEarlyStoppingOptions, type TextClassifierEpochLogs } from './training-history.js';

export type {
  TextClassifierOptions,
  TextClassifierConfig,
  TextClassifierEpochLogs,
  TextClassifierBatchLogs,
  TextClassifierEarlyStoppingOptions,
  TextClassifierWeightTensor,
  FitWarning,
  EmptyTextsPolicy,
};

/** Texts, or already tokenised id sequences (0 = padding, 1 = OOV, words from 2). */
export type TextClassifierInput = readonly string[] | readonly ArrayLike<number>[];

export interface TextClassifierFitOptions {
  /** Passes over the training data (default 1, as in Keras). */
  epochs?: number;
  /** Rows per Adam step (default 32). */
  batchSize?: number;
  /**
   * Fraction of the data, taken from the END before shuffling (as Keras does), held out for
   * validation. A tail holding one class while training has several is reported in `warnings`.
   */
  validationSplit?: number;
  /** Explicit validation set [texts, labels] (instead of validationSplit). */
  validationData?: [TextClassifierInput, ArrayLike<number>];
  /**
   * Shuffle the training rows every epoch (default true): a seeded permutation of the rows sorted by
   * content, so the order the texts come in does not change the result. false trains in the given order.
   */
  shuffle?: boolean;
  /** Seed of the shuffling (default: the classifier's seed). */
  seed?: number;
  onEpochEnd?: (logs: TextClassifierEpochLogs) => void | Promise<void>;
  onBatchEnd?: (logs: TextClassifierBatchLogs) => void;
  signal?: AbortSignal;
  earlyStopping?: TextClassifierEarlyStoppingOptions;
  /**
   * Texts without words (empty, or only punctuation and symbols): 'warn' (default) trains on them as
   * all-padding inputs, as Keras does, and lists them in the result's `warnings`; 'error' refuses the fit.
   */
  emptyTexts?: EmptyTextsPolicy;
  /** Where to save a checkpoint every `checkpointEvery` epochs: a function receiving the bytes, or a file path (Node; replaced atomically). */
  checkpoint?: CheckpointTarget;
  /** Epochs between checkpoints (default 1 when `checkpoint` is set). */
  checkpointEvery?: number;
  /**
   * Continues an interrupted fit from its checkpoint (bytes or path), replacing this classifier's
   * state: pass the same texts, labels and fit settings (`epochs` is the fit's total). The result
   * equals, bit for bit, a fit that was never interrupted.
   */
  resumeFrom?: Uint8Array | ArrayBuffer | string;
}

export interface TextClassifierFitResult {
  history: TextClassifierEpochLogs[];
  /** Set when early stopping ended training: the epoch with the best monitored value. */
  bestEpoch?: number;
  stoppedEarly: boolean;
  /** Training samples per wall second over the whole fit (validation excluded). */
  samplesPerSecond: number;
  threads: number;
  /** Why fewer threads ran than requested (no shared memory), if so. */
  note?: string;
  /** What the data held that training went on with (texts without words, a one-class validation tail); empty if nothing. */
  warnings: FitWarning[];
}

export interface TextClassifierEvaluation {
  loss: number;
  accuracy: number;
}

const FIT_KEYS = new Set([
  'epochs',
  'batchSize',
  'validationSplit',
  'validationData',
  'shuffle',
  'seed',
  'onEpochEnd',
  'onBatchEnd',
  'signal',
  'earlyStopping',
  'checkpoint',
  'checkpointEvery',
  'resumeFrom',
  'emptyTexts',
]);
/** How fit treats a text without words, in a warning or an error. */
const EMPTY_TREATMENT = "all-padding inputs (Keras' pad_sequences of an empty sequence)";
/** Rows per inference call into the kernels. */
const PREDICT_ROWS = 256;

/**
 * Keras' Sequential([Embedding, LSTM…, Dense]) text classifier, trained and run in WebAssembly
 * (SIMD, threads on one shared memory). Text goes in directly: the library's tokenizer and a
 * vocabulary built by the first fit turn it into padded id sequences. The result does not depend on
 * the order of the training texts (vocabulary ties by UTF-16 order, shuffles of the rows sorted by
 * content) unless validationSplit, which takes the tail of the data as given, or shuffle: false.
 */
export class TextClassifier {
  readonly config: TextClassifierConfig;
  private encoder: SequenceEncoder | null = null;
  /** Whether this model takes id sequences (true) or texts (false); null until the first fit. */
  private idInput: boolean | null = null;
  private engine: LstmKernel | null = null;
  private readonly threadsOption?: number;
  private pretrained?: Embeddings;
  private step = 0;
  private epochsTrained = 0;
  private busy = false;
  private disposed = false;
  private pendingWeights: Float32Array[] | null = null;

  constructor(options: TextClassifierOptions = {}) {
    const r = resolveClassifierOptions(options);
    this.config = r.config;
    this.threadsOption = r.threads;
    this.pretrained = r.pretrained;
  }

  /** The vocabulary built by the first fit on texts (null before it, or for id input). */
  get vocabulary(): Vocabulary | null {
    return this.encoder?.vocabulary ?? null;
  }

  /** Epochs trained so far over all fit calls (and before saving, for a loaded model). */
  get epochs(): number {
    return this.epochsTrained;
  }

  /** Threads the kernels run on (known once the model has been used). */
  get threads(): number | null {
    return this.engine?.threads ?? null;
  }

  private async run<T>(what: string, fn: () => Promise<T>): Promise<T> {
    if (this.disposed) throw disposedError(`TextClassifier.${what}`, 'classifier');
    if (this.busy)
      throw new Wasm2VecError(
        'INVALID_OPTION',
        `TextClassifier.${what}: another fit, evaluate or predict call on this classifier is still running; await it first`,
      );
    this.busy = true;
    try {
      return await fn();
    } finally {
      this.busy = false;
    }
  }

  /** The engine with room for `batchRows` training rows; created (and initialised) on first use. */
  private async engineFor(batchRows: number): Promise<LstmKernel> {
    if (this.engine && this.engine.capacity.batchRows >= batchRows) return this.engine;
    const threads = this.threadsOption ?? (await availableCores());
    const shape = networkShape(this.config);
    const capacity = { threads, batchRows: Math.max(batchRows, SHARD_ROWS), predictRows: PREDICT_ROWS };
    const engine = await LstmKernel.create(shape, capacity, this.config);
    try {
      if (this.engine) {
        await engine.importState(await this.engine.exportState());
        this.engine.dispose();
      } else if (this.pendingWeights) {
        await engine.setWeights(this.pendingWeights);
        this.pendingWeights = null;
      } else {
        await engine.initWeights(this.config.seed);
        if (this.pretrained) await engine.setEmbedding(this.pretrainedRows(this.pretrained));
      }
    } catch (e) {
      engine.dispose();
      throw e;
    }
    this.engine = engine;
    return engine;
  }

  /** Keras' "embedding matrix" recipe: a row per vocabulary word found in the vectors, zeros elsewhere. */
  private pretrainedRows(p: Embeddings): Float32Array {
    const { vocabSize: V, embeddingDim: E } = this.config;
    const rows = new Float32Array(V * E);
    const vocab = this.encoder?.vocabulary;
    if (!vocab)
      throw new Wasm2VecError(
        'INVALID_OPTION',
        'option pretrained: pretrained embeddings need text input (the vocabulary maps words to embedding rows), not id sequences',
      );
    for (let w = 0; w < vocab.size; w++) {
      const i = p.indexOf(vocab.words[w]);
      if (i >= 0) rows.set(p.vectors.subarray(i * E, (i + 1) * E), (w + FIRST_WORD_ID) * E);
    }
    return rows;
  }

  /** Validated rows × sequenceLength ids for `inputs`; builds the vocabulary on the first fit. */
  private async encodeInputs(inputs: TextClassifierInput, what: string, fitting: boolean, signal?: AbortSignal): Promise<Int32Array> {
    const ids = inputs.length > 0 && isIdInput(inputs);
    if (this.idInput !== null && ids !== this.idInput) {
      throw new Wasm2VecError(
        'INVALID_OPTION',
        `${what}: this classifier was trained on ${this.idInput ? 'token-id sequences' : 'texts'}; pass ${this.idInput ? 'id arrays' : 'strings'}`,
      );
    }
    if (ids) {
      if (fitting) this.idInput = true;
      return encodeIdSequences(inputs, this.config.vocabSize, this.config.sequenceLength, `${what}: texts`);
    }
    if (!this.encoder) {
      if (!fitting)
        throw new Wasm2VecError('INVALID_OPTION', `${what}: the classifier has no vocabulary yet; call fit with texts first (or load a trained model)`);
      inputs.forEach((t, i) => {
        if (typeof t !== 'string') throw new Wasm2VecError('INVALID_OPTION', `${what}: texts[${i}] is ${describe(t)}, expected a string`);
      });
      this.encoder = await SequenceEncoder.fitCooperatively(
        inputs as readonly string[],
        this.config,
        this.config.sequenceLength,
        this.config.tokenizer,
        signal,
        `${what} (building the vocabulary)`,
      );
      this.idInput = false;
    }
    return this.encoder.encodeCooperatively(inputs, `${what}: texts`, signal, `${what} (tokenising)`);
  }

  /**
   * Trains for `epochs` epochs with Adam on shuffled mini-batches; returns the Keras-like history.
   * Labels: 0/1 for a binary classifier (classes 2), else integer classes 0..classes-1.
   */
  fit(texts: TextClassifierInput, labels: ArrayLike<number>, options: TextClassifierFitOptions = {}): Promise<TextClassifierFitResult> {
    return this.run('fit', () => this.fitImpl(texts, labels, options));
  }

  private async fitImpl(texts: TextClassifierInput, labels: ArrayLike<number>, options: TextClassifierFitOptions): Promise<TextClassifierFitResult> {
    const what = 'TextClassifier.fit';
    if (typeof options !== 'object' || options === null) invalidOption('fit options', options, 'an object');
    for (const k of Object.keys(options)) if (!FIT_KEYS.has(k)) throw new Wasm2VecError('INVALID_OPTION', `${what}: unknown option ${JSON.stringify(k)}`);
    const s = fitSettings(options as Record<string, unknown>);
    const onEpochEnd = functionOption<NonNullable<TextClassifierFitOptions['onEpochEnd']>>('onEpochEnd', options.onEpochEnd);
    const onBatchEnd = functionOption<NonNullable<TextClassifierFitOptions['onBatchEnd']>>('onBatchEnd', options.onBatchEnd);
    const { signal, checkpoint, checkpointEvery } = resolveControls({ ...options, threads: undefined });
    const emptyTexts = emptyTextsOption(options.emptyTexts);
    const shuffleSeed = seedOption(options.seed, this.config.seed);
    const run: FitRun = {
      epoch: 0,
      epochs: s.epochs,
      batchSize: s.batchSize,
      shuffle: s.shuffle,
      seed: shuffleSeed,
      validationSplit: s.validationSplit,
      order: 'canonical',
    };
    const resume = options.resumeFrom === undefined ? null : await this.restoreCheckpoint(options.resumeFrom, run, options.earlyStopping);
    checkPair(texts, labels, what);
    if (texts.length === 0) throw new Wasm2VecError('INVALID_OPTION', `${what}: no texts to train on`);
    if (options.validationData !== undefined && s.validationSplit > 0) {
      throw new Wasm2VecError('INVALID_OPTION', `${what}: give validationSplit or validationData, not both`);
    }
    let trainInputs: TextClassifierInput = texts,
      trainLabels: ArrayLike<number> = labels;
    let valInputs: TextClassifierInput | null = null,
      valLabels: ArrayLike<number> | null = null;
    if (s.validationSplit > 0) {
      const splitAt = Math.floor(texts.length * (1 - s.validationSplit));
      if (splitAt < 1 || splitAt >= texts.length) {
        throw new Wasm2VecError(
          'INVALID_OPTION',
          `${what}: validationSplit ${s.validationSplit} of ${texts.length} texts leaves ${splitAt} to train on and ${texts.length - splitAt} to validate`,
        );
      }
      trainInputs = texts.slice(0, splitAt) as TextClassifierInput;
      trainLabels = Array.prototype.slice.call(labels, 0, splitAt);
      valInputs = texts.slice(splitAt) as TextClassifierInput;
      valLabels = Array.prototype.slice.call(labels, splitAt);
    } else if (options.validationData !== undefined) {
      const vd = options.validationData as unknown;
      if (!Array.isArray(vd) || vd.length !== 2) invalidOption('validationData', vd, '[texts, labels]');
      checkPair(vd[0], vd[1], `${what}: validationData`);
      [valInputs, valLabels] = vd as [TextClassifierInput, ArrayLike<number>];
    }
    const yTrain = checkLabels(trainLabels, this.config.classes, what);
    const yVal = valLabels ? checkLabels(valLabels, this.config.classes, `${what}: validationData`) : null;
    const T = this.config.sequenceLength;
    const [encoderBefore, idInputBefore] = [this.encoder, this.idInput];
    let xTrain: Int32Array, xVal: Int32Array | null, warnings: FitWarning[];
    try {
      xTrain = await this.encodeInputs(trainInputs, what, true, signal);
      xVal = valInputs ? await this.encodeInputs(valInputs, `${what}: validationData`, false, signal) : null;
      warnings = this.dataWarnings(what, emptyTexts, texts, xTrain, yTrain, xVal, yVal, options.validationData !== undefined ? valInputs : null);
    } catch (e) {
      // A refused fit leaves no vocabulary behind.
      [this.encoder, this.idInput] = [encoderBefore, idInputBefore];
      throw e;
    }
    const stopper = options.earlyStopping === undefined ? null : new EarlyStopping(options.earlyStopping, xVal !== null);
    throwIfAborted(signal, 'TextClassifier training');

    const engine = await this.engineFor(s.batchSize);
    const n = yTrain.length;
    const batches = Math.ceil(n / s.batchSize);
    const batchIds = new Int32Array(s.batchSize * T),
      batchLabels = new Int32Array(s.batchSize);
    const history: TextClassifierEpochLogs[] = [];
    let bestWeights: Float32Array[] | null = null;
    let stoppedEarly = false;
    let trainSeconds = 0,
      trainSamples = 0;
    const training = new TrainingRun({
      model: what,
      controls: { checkpoint, checkpointEvery },
      kind: TEXT_CLASSIFIER_CHECKPOINT,
      epochs: s.epochs,
      completed: resume?.fit.epoch ?? 0,
      // An untrained model's mean loss is ln(classes); Adam that diverged shows far above it even with finite weights.
      untrainedLoss: Math.log(this.config.classes),
      advice: `lower learningRate (now ${this.config.learningRate})`,
    });
    if (resume) {
      await engine.importState(resume.state);
      this.step = resume.step;
      this.epochsTrained = resume.epochsTrained;
      for (const logs of resume.history) {
        history.push(logs);
        if (stopper?.update(logs).stop) stoppedEarly = logs.epoch < s.epochs;
      }
    }
    const inputOrder = Uint32Array.from({ length: n }, (_, i) => i);
    // Checkpoints written before shuffles were canonical carry no order: they resume in theirs, the caller's.
    const shuffleOrder = resume ? resume.fit.order : run.order;
    const shuffleBase =
      s.shuffle && shuffleOrder === 'canonical'
        ? await runCooperatively(canonicalOrder(xTrain, yTrain, T), signal, 'TextClassifier training (ordering the samples)')
        : inputOrder;
    // Validation metrics belong to the epoch's logs, which a checkpoint stores: computed once, before either needs them.
    let finished = 0;
    const finishEpoch = async (logs: TextClassifierEpochLogs, t0: number) => {
      if (finished === logs.epoch) return;
      finished = logs.epoch;
      if (xVal && yVal) {
        const v = await this.evaluateIds(engine, xVal, yVal, signal);
        logs.valLoss = v.loss;
        logs.valAccuracy = v.accuracy;
      }
      logs.seconds = (performance.now() - t0) / 1000;
      history.push(logs);
    };
    if (!stoppedEarly) {
      await training.run({
        trainEpoch: async (e) => {
          const t0 = performance.now();
          const order = s.shuffle ? shuffledRows(shuffleBase, shuffleSeed, this.epochsTrained) : inputOrder;
          let lossSum = 0,
            correct = 0;
          for (let b = 0; b < batches; b++) {
            throwIfAborted(signal, `TextClassifier training (epoch ${e}, batch ${b + 1} of ${batches})`);
            const from = b * s.batchSize,
              to = Math.min(n, from + s.batchSize),
              rows = to - from;
            gatherBatch(xTrain, yTrain, T, order, from, to, batchIds, batchLabels);
            const r = await engine.forwardBackward(batchIds, batchLabels, rows);
            if (!Number.isFinite(r.lossSum)) {
              throw new Wasm2VecError(
                'NUMERIC',
                `${what}: the loss is ${r.lossSum} in epoch ${e}, batch ${b + 1} of ${batches} ` +
                  `(rows ${from}–${to - 1} of this epoch's shuffled order); training stopped before applying it, so the weights are those ` +
                  `of the previous batch. Lower learningRate (now ${this.config.learningRate}) or check the inputs. ${training.keptSentence()}`,
              );
            }
            await engine.applyUpdate(++this.step);
            lossSum += r.lossSum;
            correct += r.correct;
            onBatchEnd?.({ epoch: e, batch: b + 1, batches, size: rows, loss: r.lossSum / rows, accuracy: r.correct / rows });
          }
          trainSeconds += (performance.now() - t0) / 1000;
          trainSamples += n;
          this.epochsTrained++;
          const logs: TextClassifierEpochLogs = { epoch: e, loss: lossSum / n, accuracy: correct / n, seconds: 0 };
          return { meanLoss: logs.loss, logs, t0 };
        },
        nonFinite: () => engine.nonFiniteWeights(),
        checkpoint: async (e, r) => {
          await finishEpoch(r.logs, r.t0);
          return encodeClassifierCheckpoint({
            config: this.config,
            vocabulary: this.vocabulary,
            fit: { ...run, order: shuffleOrder, epoch: e },
            step: this.step,
            epochsTrained: this.epochsTrained,
            history,
            state: await engine.exportState(),
          });
        },
        afterEpoch: async (_e, r) => {
          await finishEpoch(r.logs, r.t0);
          if (onEpochEnd) await onEpochEnd({ ...r.logs });
          if (!stopper) return false;
          const { improved, stop } = stopper.update(r.logs);
          if (improved && stopper.restoreBestWeights) bestWeights = (await engine.getWeights()).map((w) => w.values);
          return stop;
        },
      });
      stoppedEarly = training.stoppedEarly;
    }
    if (stopper?.restoreBestWeights && bestWeights) await engine.setWeights(bestWeights);
    return {
      history,
      stoppedEarly,
      bestEpoch: stopper ? stopper.bestEpoch : undefined,
      samplesPerSecond: trainSeconds > 0 ? trainSamples / trainSeconds : 0,
      threads: engine.threads,
      note: engine.fallbackReason ?? undefined,
      warnings,
    };
  }

  /**
   * Texts without words (fit's texts, training part and validationSplit tail, then validationData's
   * own) and a validationSplit tail of one class: warnings, or with emptyTexts 'error' the error
   * naming the first text without words.
   */
  private dataWarnings(
    what: string,
    policy: EmptyTextsPolicy,
    texts: TextClassifierInput,
    xTrain: Int32Array,
    yTrain: Int32Array,
    xVal: Int32Array | null,
    yVal: Int32Array | null,
    validationTexts: TextClassifierInput | null,
  ): FitWarning[] {
    const T = this.config.sequenceLength;
    const warnings: FitWarning[] = [];
    const empty = allPaddingRows(xTrain, T);
    if (xVal && !validationTexts) for (const r of allPaddingRows(xVal, T)) empty.push(yTrain.length + r);
    const inTexts = emptyTextsWarning(what, policy, texts, empty, 'EMPTY_TEXTS', EMPTY_TREATMENT);
    if (inTexts) warnings.push(inTexts);
    if (xVal && validationTexts) {
      const inValidation = emptyTextsWarning(what, policy, validationTexts, allPaddingRows(xVal, T), 'EMPTY_VALIDATION_TEXTS', EMPTY_TREATMENT);
      if (inValidation) warnings.push(inValidation);
    }
    if (yVal && !validationTexts) {
      const classes = (y: Int32Array) => new Set(y).size;
      if (classes(yVal) === 1 && classes(yTrain) > 1) {
        const from = yTrain.length;
        warnings.push({
          code: 'SINGLE_CLASS_VALIDATION',
          message:
            `validationSplit held out the last ${yVal.length} texts (from [${from}]), and all of them have label ${yVal[0]} while training has ` +
            `${classes(yTrain)} classes: valLoss and valAccuracy measure that class only. The split takes the end of the data before shuffling, ` +
            'as in Keras; shuffle the data before fit, or pass validationData',
          count: yVal.length,
          indices: Array.from({ length: Math.min(MAX_WARNING_INDICES, yVal.length) }, (_, k) => from + k),
        });
      }
    }
    return warnings;
  }

  /**
   * Reads a fit checkpoint into this classifier (vocabulary now; the engine state is imported once the
   * engine exists). The config and the fit settings must match: they decide the batches and their order.
   */
  private async restoreCheckpoint(source: unknown, run: FitRun, earlyStopping: unknown): Promise<ClassifierCheckpoint> {
    const { bytes, name } = await readCheckpointSource(source);
    const c = decodeClassifierCheckpoint(bytes, name);
    if (JSON.stringify(c.config) !== JSON.stringify(this.config)) {
      throw new Wasm2VecError(
        'INVALID_OPTION',
        `option resumeFrom: the checkpoint's model (${JSON.stringify(c.config)}) differs from this classifier's ` +
          `(${JSON.stringify(this.config)}); construct the classifier with the same options`,
      );
    }
    for (const k of ['epochs', 'batchSize', 'shuffle', 'seed', 'validationSplit'] as const) {
      if (c.fit[k] !== run[k]) {
        throw new Wasm2VecError(
          'INVALID_OPTION',
          `option ${k}: got ${describe(run[k])}, but the checkpointed fit used ${describe(c.fit[k])}; repeat the fit's settings when resuming`,
        );
      }
    }
    if ((earlyStopping as { restoreBestWeights?: unknown } | undefined)?.restoreBestWeights === true) {
      throw new Wasm2VecError(
        'UNSUPPORTED',
        'option resumeFrom: earlyStopping.restoreBestWeights cannot be resumed (the best weights are not in the checkpoint)',
      );
    }
    this.encoder = c.vocabulary ? new SequenceEncoder(c.vocabulary, this.config.sequenceLength, this.config.tokenizer) : null;
    this.idInput = c.vocabulary ? false : null;
    return c;
  }

  private async evaluateIds(engine: LstmKernel, ids: Int32Array, labels: Int32Array, signal?: AbortSignal): Promise<TextClassifierEvaluation> {
    const r = await engine.predict(ids, labels.length, labels, signal);
    return { loss: r.lossSum / labels.length, accuracy: r.correct / labels.length };
  }

  /** Mean loss and accuracy on labelled texts (Keras' model.evaluate). */
  evaluate(texts: TextClassifierInput, labels: ArrayLike<number>, options: { signal?: AbortSignal } = {}): Promise<TextClassifierEvaluation> {
    return this.run('evaluate', async () => {
      const what = 'TextClassifier.evaluate';
      knownOptions(what, options, ['signal']);
      checkPair(texts, labels, what);
      if (texts.length === 0) throw new Wasm2VecError('INVALID_OPTION', `${what}: no texts to evaluate`);
      const y = checkLabels(labels, this.config.classes, what);
      const x = await this.encodeInputs(texts, what, false, signalOption(options.signal));
      return this.evaluateIds(await this.engineFor(1), x, y, signalOption(options.signal));
    });
  }

  /**
   * Class probabilities: for a binary classifier a Float32Array with P(label 1) per text; otherwise one
   * Float32Array of class probabilities per text. A single string is a batch of one. A text without
   * words gets the model's answer for an all-padding input.
   */
  predict(texts: TextClassifierInput | string, options: { signal?: AbortSignal } = {}): Promise<Float32Array | Float32Array[]> {
    return this.run('predict', async () => {
      const what = 'TextClassifier.predict';
      knownOptions(what, options, ['signal']);
      if (typeof texts === 'string') texts = [texts];
      checkPair(texts, undefined, what);
      if (texts.length === 0) return this.config.classes === 2 ? new Float32Array(0) : [];
      const x = await this.encodeInputs(texts, what, false, signalOption(options.signal));
      const { probs } = await (await this.engineFor(1)).predict(x, texts.length, null, signalOption(options.signal));
      if (this.config.classes === 2) return probs;
      const C = this.config.classes;
      return Array.from({ length: texts.length }, (_, i) => probs.slice(i * C, (i + 1) * C));
    });
  }

  /** Weights in Keras get_weights() order and shapes (embedding, per LSTM kernel/recurrent_kernel/bias, dense kernel/bias). */
  getWeights(): Promise<TextClassifierWeightTensor[]> {
    return this.run('getWeights', async () => (await this.engineFor(1)).getWeights());
  }

  /** Sets all weights (same order and sizes as getWeights; e.g. exported from Keras). */
  setWeights(values: ArrayLike<number>[]): Promise<void> {
    return this.run('setWeights', async () => (await this.engineFor(1)).setWeights(values));
  }

  /** The model as one file's bytes (config, vocabulary, weights). */
  toBytes(): Promise<Uint8Array> {
    return this.run('save', async () => {
      const tensors = this.engine
        ? await this.engine.getWeights()
        : this.pendingWeights
          ? expectedTensors(this.config).map((t, i) => ({ ...t, values: this.pendingWeights![i] }))
          : await (await this.engineFor(1)).getWeights();
      return encodeClassifierFile({ config: this.config, vocabulary: this.vocabulary, tensors, epochsTrained: this.epochsTrained });
    });
  }

  /** Writes the model file (Node). In a browser use toBytes(). */
  async save(path: string): Promise<void> {
    if (typeof path !== 'string' || path === '') invalidOption('path', path, 'a file path');
    if (!isNode) throw new Wasm2VecError('UNSUPPORTED', 'TextClassifier.save(path) writes files in Node only; in a browser use toBytes()');
    const bytes = await this.toBytes();
    const fs = await importNode<typeof import('node:fs/promises')>('node:fs/promises');
    try {
      await fs.writeFile(path, bytes);
    } catch (e) {
      throw new Wasm2VecError('IO', `TextClassifier.save: cannot write ${path}: ${(e as Error).message}`, { cause: e });
    }
  }

  /**
   * Loads a saved classifier from a file path (Node), a URL (browser: fetched), or the file's bytes.
   * `threads` as in the constructor.
   */
  static async load(source: string | Uint8Array | ArrayBuffer, options: { threads?: number } = {}): Promise<TextClassifier> {
    knownOptions('TextClassifier.load', options, ['threads']);
    let bytes: Uint8Array;
    let name = 'the model bytes';
    if (typeof source === 'string') {
      name = source;
      if (isNode) {
        const fs = await importNode<typeof import('node:fs/promises')>('node:fs/promises');
        try {
          bytes = new Uint8Array(await fs.readFile(source));
        } catch (e) {
          throw new Wasm2VecError('IO', `TextClassifier.load: cannot read ${source}: ${(e as Error).message}`, { cause: e });
        }
      } else {
        const res = await fetch(source);
        if (!res.ok) throw new Wasm2VecError('IO', `TextClassifier.load: fetching ${source} failed: HTTP ${res.status}`);
        bytes = new Uint8Array(await res.arrayBuffer());
      }
    } else if (source instanceof Uint8Array) bytes = source;
    else if (source instanceof ArrayBuffer) bytes = new Uint8Array(source);
    else return invalidOption('source', source, 'a file path, URL, Uint8Array or ArrayBuffer');
    const file = decodeClassifierFile(bytes, name);
    const threads = threadsOption(options.threads);
    const clf = new TextClassifier({ ...file.config, lstm: file.config.lstm, threads });
    if (file.vocabulary) {
      clf.encoder = new SequenceEncoder(file.vocabulary, file.config.sequenceLength, file.config.tokenizer);
      clf.idInput = false;
    } else clf.idInput = null;
    clf.pendingWeights = file.tensors.map((t) => t.values);
    clf.epochsTrained = file.epochsTrained;
    return clf;
  }

  /** Ends the workers and releases the WebAssembly memory. */
  dispose(): void {
    this.disposed = true;
    this.engine?.dispose();
    this.engine = null;
  }
}

// The unprefixed names of the first release, kept so code written against them still compiles.
/** @deprecated use TextClassifierFitOptions */
export type FitOptions = TextClassifierFitOptions;
/** @deprecated use TextClassifierFitResult */
export type FitResult = TextClassifierFitResult;
/** @deprecated use TextClassifierEvaluation */
export type Evaluation = TextClassifierEvaluation;
/** @deprecated use TextClassifierEpochLogs */
export type EpochLogs = TextClassifierEpochLogs;
/** @deprecated use TextClassifierBatchLogs */
export type BatchLogs = TextClassifierBatchLogs;
/** @deprecated use TextClassifierEarlyStoppingOptions */
export type EarlyStoppingOptions = TextClassifierEarlyStoppingOptions;
/** @deprecated use TextClassifierWeightTensor */
export type WeightTensor = TextClassifierWeightTensor;
/** @deprecated use TextClassifierInput */
export type ClassifierInput = TextClassifierInput;
