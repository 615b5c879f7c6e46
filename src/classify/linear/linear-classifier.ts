import { Wasm2VecError, describe, throwIfAborted } from '../../errors.js';
import { functionOption, intOption, knownOptions, numberOption, signalOption } from '../../options.js';
import { availableCores, importNode } from '../../runtime/capabilities.js';
import type { Tokenizer } from '../../text/tokenizer.js';
import { readCheckpointSource, type CheckpointTarget } from '../../train/checkpoint-file.js';
import { TrainingRun, disposedError, progressOption, resolveControls, threadsOption } from '../../train/lifecycle.js';
import {
  LINEAR_CHECKPOINT,
  LINEAR_CHECKPOINT_OPTION_NAMES,
  decodeLinearCheckpoint,
  encodeLinearCheckpoint,
  fingerprint,
  type DecodedLinearCheckpoint,
  type LinearCheckpointOptions,
} from './checkpoint.js';
import { IntBuffer, LinearEncoder } from './encoder.js';
import { decodeLinearModel, encodeLinearModel, LINEAR_FORMAT_VERSION, type LinearModelHeader } from './model-file.js';
import { buildLabelTree } from './label-tree.js';
import { LabelSet, normalizeLabels, type Label, type LabelInput } from './labels.js';
import { buildTrainingDataCooperatively, type LinearTrainingData } from './training-data.js';
import { emptyTextsOption, emptyTextsWarning, type EmptyTextsPolicy, type FitWarning } from '../fit-warnings.js';
import { runCooperatively, type Steps } from '../../runtime/cooperative.js';
import { resolveLinearOptions, type LinearClassifierOptions, type ResolvedLinearOptions } from './options.js';
import { LinearKernel, type EncodedSet, type LinearLoss, type LinearSpec } from './kernel.js';
import { FastTextPredictor, type FastTextRow } from './fasttext-predictor.js';
import { FASTTEXT_MAGIC } from '../../train/fasttext/args.js';
import type { FastTextModel } from '../../train/fasttext/model.js';
import { readFastText } from '../../train/fasttext/reader.js';
import { fastTextBytes } from '../../train/fasttext/writer.js';

export type { Label, LabelInput, LinearClassifierOptions, LinearLoss, FitWarning, EmptyTextsPolicy };

export interface LinearEpoch {
  epoch: number;
  /** Mean training loss per example in this epoch (fastText's loss: -log p for softmax, summed logistic terms for ns/hs/ova). */
  loss: number;
  /** Learning rate at the end of the epoch. */
  learningRate: number;
  seconds: number;
}

export interface LinearFitOptions {
  signal?: AbortSignal;
  onEpochEnd?: (e: LinearEpoch) => void;
  /** Where to save a checkpoint every `checkpointEvery` epochs: a function receiving { epoch, bytes }, or a file path (Node; replaced atomically). */
  checkpoint?: CheckpointTarget;
  /** Epochs between checkpoints (default 1 when `checkpoint` is set; the last epoch is always saved). */
  checkpointEvery?: number;
  /**
   * Continues an interrupted fit from its checkpoint (bytes or path), replacing this classifier's
   * state: construct the classifier with the same options (`epochs` is the fit's total; threads may
   * differ) and pass the same texts and labels. With 1 thread the result equals, bit for bit, a fit
   * that was never interrupted.
   */
  resumeFrom?: Uint8Array | ArrayBuffer | string;
  /**
   * Texts without words (empty, or only punctuation and symbols): 'warn' (default) trains on them with
   * only the end-of-line row `</s>`, as fastText does, and lists them in the result's `warnings`;
   * 'error' refuses the fit.
   */
  emptyTexts?: EmptyTextsPolicy;
}

export interface LinearFitResult {
  history: LinearEpoch[];
  examples: number;
  /** fastText's token count per epoch (words, one EOS and the labels of every example). */
  tokens: number;
  /** Words in the dictionary (the vocabulary's size). */
  vocabularySize: number;
  /** @deprecated the same as vocabularySize ("words" means tokens elsewhere). */
  words: number;
  /** Distinct word n-gram buckets the training texts use (each has a row). */
  ngramBuckets: number;
  labels: number;
  threads: number;
  /** Training seconds (after tokenising and encoding). */
  seconds: number;
  /** Tokenising, vocabulary, encoding and memory set-up. */
  prepareSeconds: number;
  /** Set when training had to fall back (e.g. to one thread without cross-origin isolation). */
  note?: string;
  /** What the data held that training went on with (texts without words); empty if nothing. */
  warnings: FitWarning[];
}

export interface LinearPrediction {
  label: Label;
  probability: number;
}

export interface LinearPredictOptions {
  /** Labels per text, most probable first (1). */
  k?: number;
  /** Leave out labels below this probability (0). */
  threshold?: number;
  signal?: AbortSignal;
}

export interface LinearEvaluation {
  /** Fraction of labelled texts whose most probable label is one of theirs (precision at 1). */
  accuracy: number;
  /** Mean of -log p(label) (softmax, hs; averaged over a text's labels) or the one-vs-all binary cross-entropy (ns, ova). */
  loss: number;
  examples: number;
}

export interface LinearTestResult {
  examples: number;
  k: number;
  /** Correct labels among the returned top-k labels / labels returned (fastText's P@k). */
  precision: number;
  /** Correct labels among the top k / gold labels (fastText's R@k). */
  recall: number;
}

export interface LinearWeights {
  dim: number;
  /** Vocabulary words: input rows 0..words.length-1. */
  words: readonly string[];
  /** Bucket index of each n-gram row after the words. */
  usedBuckets: Int32Array;
  /** (words + used buckets) × dim, row-major. */
  input: Float32Array;
  /** Output rows × dim: one per label (or per inner tree node for hs). */
  output: Float32Array;
  labels: readonly Label[];
}

interface TrainedModel {
  encoder: LinearEncoder;
  labels: LabelSet;
  runtime: LinearKernel;
  spec: LinearSpec;
}

/** A classifier loaded from a fastText .bin/.ftz: fastText's own arithmetic, in TypeScript. */
interface FastTextClassifier {
  model: FastTextModel;
  predictor: FastTextPredictor;
  labels: LabelSet;
}

/** Texts per slice of fastText-model predictions between event-loop turns (an abort lands between them). */
const FASTTEXT_SLICE = 256;

/** How fit treats a text without words, in a warning or an error. */
const EMPTY_TREATMENT = 'inputs holding only the end-of-line row </s> (as fastText trains a line with a label and no words)';

function checkTexts(what: string, texts: unknown): string[] {
  if (!Array.isArray(texts)) throw new Wasm2VecError('INVALID_OPTION', `${what}: texts must be an array of strings, got ${describe(texts)}`);
  for (let i = 0; i < texts.length; i++) {
    if (typeof texts[i] !== 'string') throw new Wasm2VecError('INVALID_OPTION', `${what}: texts[${i}] is ${describe(texts[i])}, expected a string`);
  }
  return texts as string[];
}

/**
 * A fastText-style supervised text classifier: a text is the mean (or TF-IDF weighted mean) of its
 * word and hashed word n-gram vectors, fed to a linear output layer (softmax, negative sampling,
 * hierarchical softmax or one-vs-all), everything trained jointly by SGD with a linearly decaying
 * learning rate — fastText's algorithm, with WASM SIMD kernels and Hogwild workers. Unlike fastText
 * it shuffles the examples every epoch (fastText reads the file in order and reaches only chance
 * accuracy on a file sorted by label), and nothing depends on the order the examples come in: the
 * shuffle permutes them sorted by content, and words and labels of equal count are ordered by value
 * (UTF-16 order; integer labels ascending), so with one thread the same examples in any order train
 * the same model, bit for bit.
 */
export class LinearClassifier {
  readonly options: Readonly<Omit<ResolvedLinearOptions, 'tokenizer' | 'pretrained'>>;
  private readonly tokenizer: Tokenizer;
  private readonly pretrained: ResolvedLinearOptions['pretrained'];
  private model: TrainedModel | null = null;
  private fastText: FastTextClassifier | null = null;
  private disposed = false;

  constructor(options: LinearClassifierOptions = {}) {
    const o = resolveLinearOptions(options);
    const { tokenizer, pretrained, ...rest } = o;
    this.options = Object.freeze(rest);
    this.tokenizer = tokenizer;
    this.pretrained = pretrained;
  }

  /** The labels the model knows, in output order (by training frequency); empty before fit(). */
  get labels(): readonly Label[] {
    return this.fastText?.labels.values ?? this.model?.labels.values ?? [];
  }

  /** The loss the model trains/trained with (before fit: the option, if given). */
  get loss(): LinearLoss | undefined {
    return this.fastText?.predictor.loss ?? this.model?.spec.loss ?? this.options.loss;
  }

  /** True when the classifier was loaded from a fastText .bin/.ftz (it predicts with fastText's arithmetic). */
  get isFastText(): boolean {
    return this.fastText !== null;
  }

  private trained(what: string): TrainedModel {
    if (this.disposed) throw disposedError(`LinearClassifier.${what}`, 'classifier');
    if (this.fastText) {
      throw new Wasm2VecError('UNSUPPORTED', `LinearClassifier.${what}: not available for a model loaded from a fastText file (${this.fastText.model.name})`);
    }
    if (!this.model)
      throw new Wasm2VecError('UNSUPPORTED', `LinearClassifier.${what}: the classifier is not trained; call fit() or LinearClassifier.load() first`);
    return this.model;
  }

  /** The fastText model, when loaded from one (after checking the classifier is not disposed). */
  private fastTextModel(what: string): FastTextClassifier | null {
    if (this.disposed) throw disposedError(`LinearClassifier.${what}`, 'classifier');
    return this.fastText;
  }

  /**
   * Every text's fastText row (null: no input rows, fastText predicts nothing), handed to `each` in
   * order, in slices between event-loop turns so an abort lands.
   */
  private async fastTextRows(
    ft: FastTextClassifier,
    what: string,
    texts: readonly string[],
    signal: AbortSignal | undefined,
    each: (i: number, row: FastTextRow | null) => void,
  ): Promise<void> {
    const predictor = ft.predictor;
    function* steps(): Steps<void> {
      for (let i = 0; i < texts.length; i++) {
        if (i % FASTTEXT_SLICE === FASTTEXT_SLICE - 1) yield;
        each(i, predictor.row(texts[i]));
      }
    }
    throwIfAborted(signal, `LinearClassifier.${what}`);
    await runCooperatively(steps(), signal, `LinearClassifier.${what}`);
  }

  /**
   * Trains on `texts` with one label per text (strings or integers), or an array of labels per text
   * for multi-label data. A second fit() starts again from scratch (or, with `resumeFrom`, from a checkpoint).
   */
  async fit(texts: readonly string[], labels: readonly LabelInput[], fitOptions: LinearFitOptions = {}): Promise<LinearFitResult> {
    if (this.disposed) throw disposedError('LinearClassifier.fit', 'classifier');
    knownOptions('fit', fitOptions, ['signal', 'onEpochEnd', 'checkpoint', 'checkpointEvery', 'resumeFrom', 'emptyTexts']);
    const controls = resolveControls({ ...fitOptions, threads: undefined });
    const { signal, checkpoint } = controls;
    const emptyTexts = emptyTextsOption(fitOptions.emptyTexts);
    const onEpochEnd = progressOption<LinearEpoch>('onEpochEnd', fitOptions.onEpochEnd);
    const started = performance.now();
    const list = checkTexts('fit', texts);
    const norm = normalizeLabels('fit', labels, list.length);
    const o = this.options;
    const resume = fitOptions.resumeFrom === undefined ? null : await this.readResume(fitOptions.resumeFrom, norm.multiLabel);
    throwIfAborted(signal, 'LinearClassifier training');
    // Checkpoints written before examples were put in canonical order resume in the caller's order and tie rules.
    const exampleOrder = resume && resume.checkpoint.order !== 'canonical' ? 'input' : 'canonical';
    const data = await buildTrainingDataCooperatively(list, norm, o, this.tokenizer, this.pretrained, signal, exampleOrder);
    const { encoder, labels: labelSet, spec, train } = data;
    const emptyWarning = emptyTextsWarning('LinearClassifier.fit', emptyTexts, list, data.emptyTexts, 'EMPTY_TEXTS', EMPTY_TREATMENT);
    const n = list.length;
    // The fingerprint ties a checkpoint to its training set; computed only when one is written or read.
    const trainPrint = checkpoint !== undefined || resume ? fingerprint(train) : null;
    if (resume) checkResumeData(resume.checkpoint, resume.name, data, trainPrint!);

    this.model?.runtime.dispose();
    this.model = null;
    this.fastText = null;
    const threads = o.threads ?? (await availableCores());
    const runtime = await LinearKernel.create(spec, threads, train, signal);
    const run = new TrainingRun({
      model: 'LinearClassifier',
      controls,
      kind: LINEAR_CHECKPOINT,
      epochs: o.epochs,
      completed: resume?.checkpoint.epoch ?? 0,
      // fastText has no divergence rule beyond non-finite values; neither does this model (its loss scale varies with the loss function).
      untrainedLoss: 0,
      advice: `lower learningRate (${o.learningRate})`,
    });
    try {
      if (resume) {
        const c = resume.checkpoint;
        await runtime.writeWeights({ input: c.input, output: c.output, idf: c.idf, unseenIdf: c.unseenIdf });
        await runtime.writeRngStates(c.rng);
      } else if (this.pretrained && data.pretrainedRows) {
        await writePretrained(runtime, this.pretrained.vectors, o.dim, data.pretrainedRows, spec.nwords);
      }
      const prepareSeconds = (performance.now() - started) / 1000;
      const trainStart = performance.now();
      let tokensPerEpoch = 0;
      for (let i = 0; i < n; i++) tokensPerEpoch += train.tokens[i];
      const history: LinearEpoch[] = resume ? resume.checkpoint.history.map((h) => ({ ...h })) : [];
      let epochLoss = 0;
      await run.run({
        trainEpoch: async (epoch) => {
          const epochStart = performance.now();
          const r = await runtime.trainEpoch(epoch - 1, o.epochs, signal);
          epochLoss = r.loss;
          history.push({
            epoch,
            loss: r.examples > 0 ? r.loss / r.examples : 0,
            learningRate: o.learningRate * (1 - epoch / o.epochs),
            seconds: (performance.now() - epochStart) / 1000,
          });
          return { meanLoss: r.examples > 0 ? r.loss / r.examples : 0 };
        },
        // A diverged model shows in the loss (-log of a NaN probability); the weights are scanned only then, before a
        // checkpoint and after the last epoch, since a scan reads every weight and costs as much as a quarter epoch.
        nonFinite: (epoch) => (!Number.isFinite(epochLoss) || epoch === o.epochs || run.checkpointDue(epoch) ? runtime.nonFiniteWeights() : Promise.resolve(0)),
        checkpoint: (epoch) => this.checkpointChunks(runtime, data, trainPrint!, epoch, history),
        afterEpoch: () => {
          onEpochEnd?.(history[history.length - 1]);
        },
      });
      this.model = { encoder, labels: labelSet, runtime, spec };
      const result: LinearFitResult = {
        history,
        examples: n,
        tokens: tokensPerEpoch,
        vocabularySize: spec.nwords,
        words: spec.nwords,
        ngramBuckets: spec.usedBuckets.length,
        labels: labelSet.size,
        threads: runtime.threads,
        seconds: (performance.now() - trainStart) / 1000,
        prepareSeconds,
        warnings: emptyWarning ? [emptyWarning] : [],
      };
      if (runtime.fallbackReason) result.note = runtime.fallbackReason;
      return result;
    } catch (e) {
      runtime.dispose();
      throw run.failed(e, `in epoch ${Math.min(run.epochsCompleted + 1, o.epochs)}`);
    }
  }

  /** The options that decide a fit's result, as a checkpoint records them. */
  private checkpointOptions(loss: LinearLoss): LinearCheckpointOptions {
    const o = this.options;
    return {
      dim: o.dim,
      wordNgrams: o.wordNgrams,
      buckets: o.buckets,
      epochs: o.epochs,
      learningRate: o.learningRate,
      loss,
      negative: o.negative,
      weighting: o.weighting,
      minCount: o.minCount,
      seed: o.seed,
      tokenizer: o.tokenizerName,
    };
  }

  /**
   * Reads `resumeFrom` and checks it against this classifier's options: every option that decides the
   * result must be the checkpointed fit's (threads may differ). The data is checked once it is encoded.
   */
  private async readResume(source: unknown, multiLabel: boolean): Promise<{ checkpoint: DecodedLinearCheckpoint; name: string }> {
    const { bytes, name } = await readCheckpointSource(source);
    const checkpoint = decodeLinearCheckpoint(bytes, name);
    const mine = this.checkpointOptions(this.options.loss ?? (multiLabel ? 'ova' : 'softmax'));
    for (const k of LINEAR_CHECKPOINT_OPTION_NAMES) {
      if (checkpoint.options[k] !== mine[k]) {
        throw new Wasm2VecError(
          'INVALID_OPTION',
          `option ${k}: got ${describe(mine[k])}, but the checkpointed fit used ${describe(checkpoint.options[k])}; ` +
            "construct the classifier with the checkpointed fit's options to resume it",
        );
      }
    }
    return { checkpoint, name };
  }

  /** Writes a checkpoint after `epoch`, refusing to replace a good one with non-finite weights. */
  private async checkpointChunks(
    runtime: LinearKernel,
    data: LinearTrainingData,
    trainPrint: ReturnType<typeof fingerprint>,
    epoch: number,
    history: LinearEpoch[],
  ): Promise<AsyncIterable<Uint8Array>> {
    const { labels, spec, encoder } = data;
    return encodeLinearCheckpoint(
      {
        options: this.checkpointOptions(spec.loss),
        order: data.exampleOrder,
        epoch,
        words: encoder.words,
        labels: { kind: labels.kind, multiLabel: labels.multiLabel, values: labels.values.slice(), counts: Array.from(labels.counts) },
        data: trainPrint,
        history,
        usedBuckets: spec.usedBuckets,
        rng: await runtime.readRngStates(),
        unseenIdf: await runtime.readUnseenIdf(),
      },
      runtime.weightReaders(),
    );
  }

  /** Tokenises and encodes texts, letting the event loop turn (and an abort land) while it works. */
  private encodeTexts(what: string, texts: readonly string[], labelIds: number[][] | null, signal?: AbortSignal): Promise<EncodedSet> {
    throwIfAborted(signal, `LinearClassifier.${what}`);
    return runCooperatively(this.encodeSteps(what, texts, labelIds), signal, `LinearClassifier.${what}`);
  }

  private *encodeSteps(what: string, texts: readonly string[], labelIds: number[][] | null): Steps<EncodedSet> {
    const m = this.trained(what);
    const n = texts.length;
    const ids = new IntBuffer(n * 32);
    const offsets = new Int32Array(n + 1);
    const labels = new IntBuffer(labelIds ? n : 1);
    const labelOffsets = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) {
      if ((i & 1023) === 1023) yield;
      m.encoder.encode(this.tokenizer(texts[i]), ids);
      offsets[i + 1] = ids.length;
      if (labelIds) for (const l of labelIds[i]) labels.push(l);
      labelOffsets[i + 1] = labels.length;
    }
    return { ids: ids.toArray(), offsets, labels: labels.toArray(), labelOffsets };
  }

  private labelIdsFor(what: string, texts: readonly string[], labels: readonly LabelInput[]): number[][] {
    const m = this.fastText ?? this.trained(what);
    const norm = normalizeLabels(what, labels, texts.length, { kind: m.labels.kind, multiLabel: m.labels.multiLabel });
    return norm.lists.map((ls) => ls.map((l) => m.labels.id(l)));
  }

  /**
   * Top-k labels with probabilities per text, most probable first (ties: the more frequent label first).
   * A single string is a batch of one. A text without words gets the answer of the `</s>` row alone.
   */
  async predict(texts: readonly string[] | string, options: LinearPredictOptions = {}): Promise<LinearPrediction[][]> {
    const ft = this.fastTextModel('predict');
    const list = checkTexts('predict', typeof texts === 'string' ? [texts] : texts);
    knownOptions('predict', options, ['k', 'threshold', 'signal']);
    const k = intOption('k', options.k, 1, 1);
    const threshold = numberOption('threshold', options.threshold, 0, 0, 1);
    const signal = signalOption(options.signal);
    if (ft) {
      const result: LinearPrediction[][] = new Array(list.length);
      const C = ft.labels.size;
      await this.fastTextRows(ft, 'predict', list, signal, (i, row) => {
        result[i] = row ? topK(row.reported, 0, C, k, threshold).map((c) => ({ label: ft.labels.values[c], probability: row.reported[c] })) : [];
      });
      return result;
    }
    const m = this.trained('predict');
    const C = m.labels.size;
    const out: LinearPrediction[][] = new Array(list.length);
    await m.runtime.forward(
      await this.encodeTexts('predict', list, null, signal),
      false,
      (from, to, probs) => {
        for (let i = from; i < to; i++) {
          const base = (i - from) * C;
          out[i] = topK(probs, base, C, k, threshold).map((c) => ({ label: m.labels.values[c], probability: probs[base + c] }));
        }
      },
      signal,
    );
    return out;
  }

  /** Accuracy (top label is one of the text's labels) and mean loss over labelled texts. */
  async evaluate(texts: readonly string[], labels: readonly LabelInput[], options: { signal?: AbortSignal } = {}): Promise<LinearEvaluation> {
    const ft = this.fastTextModel('evaluate');
    const list = checkTexts('evaluate', texts);
    const gold = this.labelIdsFor('evaluate', list, labels);
    knownOptions('evaluate', options, ['signal']);
    const signal = signalOption(options.signal);
    if (ft) {
      const C = ft.labels.size;
      const oneVsAll = ft.predictor.loss === 'ns' || ft.predictor.loss === 'ova';
      // As the kernel's forwardRange: -log(p + 1e-5) of the labels (averaged), or the one-vs-all cross-entropy.
      const nlog = (p: number) => -Math.log(Math.fround(p + 1e-5));
      let correct = 0;
      let loss = 0;
      let counted = 0;
      await this.fastTextRows(ft, 'evaluate', list, signal, (i, row) => {
        const g = gold[i];
        if (g.length === 0) return;
        const raw = row?.raw ?? new Float32Array(C);
        let l = 0;
        if (oneVsAll) {
          for (let c = 0; c < C; c++) l += g.includes(c) ? nlog(raw[c]) : nlog(Math.fround(1 - raw[c]));
          for (const x of g) if (x < 0) l += nlog(0);
        } else {
          for (const x of g) l += nlog(x < 0 ? 0 : raw[x]);
          l /= g.length;
        }
        loss += l;
        counted++;
        if (row && g.includes(topK(row.reported, 0, C, 1, 0)[0])) correct++;
      });
      return { accuracy: counted > 0 ? correct / counted : 0, loss: counted > 0 ? loss / counted : 0, examples: counted };
    }
    const m = this.trained('evaluate');
    const C = m.labels.size;
    let correct = 0;
    const { loss, counted } = await m.runtime.forward(
      await this.encodeTexts('evaluate', list, gold, signal),
      true,
      (from, to, probs) => {
        for (let i = from; i < to; i++) if (gold[i].length > 0 && gold[i].includes(topK(probs, (i - from) * C, C, 1, 0)[0])) correct++;
      },
      signal,
    );
    return { accuracy: counted > 0 ? correct / counted : 0, loss: counted > 0 ? loss / counted : 0, examples: counted };
  }

  /** fastText's `test`: precision and recall at k over texts with at least one label. */
  async test(texts: readonly string[], labels: readonly LabelInput[], options: LinearPredictOptions = {}): Promise<LinearTestResult> {
    const ft = this.fastTextModel('test');
    const list = checkTexts('test', texts);
    const gold = this.labelIdsFor('test', list, labels);
    knownOptions('test', options, ['k', 'threshold', 'signal']);
    const k = intOption('k', options.k, 1, 1);
    const threshold = numberOption('threshold', options.threshold, 0, 0, 1);
    const signal = signalOption(options.signal);
    let examples = 0,
      predicted = 0,
      goldCount = 0,
      correct = 0;
    if (ft) {
      const C = ft.labels.size;
      await this.fastTextRows(ft, 'test', list, signal, (i, row) => {
        if (gold[i].length === 0) return;
        examples++;
        goldCount += gold[i].length;
        if (!row) return;
        for (const c of topK(row.reported, 0, C, k, threshold)) {
          predicted++;
          if (gold[i].includes(c)) correct++;
        }
      });
      return { examples, k, precision: predicted > 0 ? correct / predicted : 0, recall: goldCount > 0 ? correct / goldCount : 0 };
    }
    const m = this.trained('test');
    const C = m.labels.size;
    await m.runtime.forward(
      await this.encodeTexts('test', list, null, signal),
      false,
      (from, to, probs) => {
        for (let i = from; i < to; i++) {
          if (gold[i].length === 0) continue;
          examples++;
          goldCount += gold[i].length;
          for (const c of topK(probs, (i - from) * C, C, k, threshold)) {
            predicted++;
            if (gold[i].includes(c)) correct++;
          }
        }
      },
      signal,
    );
    return { examples, k, precision: predicted > 0 ? correct / predicted : 0, recall: goldCount > 0 ? correct / goldCount : 0 };
  }

  /** Copies of the trained weights (e.g. to compare runs bit for bit, or to inspect word vectors). */
  async weights(): Promise<LinearWeights> {
    const m = this.trained('weights');
    const w = await m.runtime.readWeights();
    return { dim: m.spec.dim, words: m.encoder.words, usedBuckets: m.spec.usedBuckets, input: w.input, output: w.output, labels: m.labels.values };
  }

  /** The model as bytes (loadable with LinearClassifier.load in Node and browsers; a fastText-loaded model: its .bin/.ftz). */
  async toBytes(): Promise<Uint8Array> {
    const ft = this.fastTextModel('toBytes');
    if (ft) return fastTextBytes(ft.model);
    const m = this.trained('toBytes');
    const w = await m.runtime.readWeights();
    const o = this.options;
    const header: LinearModelHeader = {
      format: 'wasm2vec-linear',
      version: LINEAR_FORMAT_VERSION,
      dim: m.spec.dim,
      wordNgrams: o.wordNgrams,
      buckets: o.buckets,
      loss: m.spec.loss,
      negative: o.negative,
      weighting: o.weighting,
      seed: o.seed,
      learningRate: o.learningRate,
      epochs: o.epochs,
      minCount: o.minCount,
      tokenizer: o.tokenizerName,
      words: m.encoder.words.slice(),
      labels: { kind: m.labels.kind, multiLabel: m.labels.multiLabel, values: m.labels.values.slice(), counts: Array.from(m.labels.counts) },
    };
    return encodeLinearModel({ header, input: w.input, output: w.output, usedBuckets: m.spec.usedBuckets, idf: w.idf, unseenIdf: w.unseenIdf });
  }

  /** Writes the model to a file (Node; a model loaded from a fastText file is written back as one). In a browser use toBytes(). */
  async save(path: string): Promise<void> {
    if (typeof path !== 'string' || path === '') throw new Wasm2VecError('INVALID_OPTION', `save: path must be a non-empty string, got ${describe(path)}`);
    const bytes = await this.toBytes();
    const fs = await importNode<typeof import('node:fs/promises')>('node:fs/promises');
    try {
      await fs.writeFile(path, bytes);
    } catch (e) {
      throw new Wasm2VecError('IO', `save: cannot write ${path}: ${(e as Error).message}`, { cause: e });
    }
  }

  /**
   * Loads a saved classifier from a file path (Node) or its bytes: wasm2vec's own format, or a fastText
   * 0.9.x supervised .bin or .ftz (recognised by its magic number), which then predicts exactly as
   * `fasttext predict-prob` does: fastText's tokenisation (whitespace, no lowercasing, `</s>` at the
   * end), labels as fastText names them (`__label__` prefix included), probabilities as it reports
   * them (p + 1e-5: fastText adds 1e-5 inside its log), a .ftz's quantized rows decoded from their
   * codes as needed. A model trained with a custom tokenizer function needs that function again:
   * load(source, { tokenizer }).
   */
  static async load(source: string | Uint8Array | ArrayBuffer, options: { threads?: number; tokenizer?: Tokenizer } = {}): Promise<LinearClassifier> {
    knownOptions('load', options, ['threads', 'tokenizer']);
    let bytes: Uint8Array;
    let name: string;
    if (typeof source === 'string') {
      const fs = await importNode<typeof import('node:fs/promises')>('node:fs/promises');
      try {
        // A fastText model is streamed by its reader (it may be large); only wasm2vec's format is read whole.
        const handle = await fs.open(source, 'r');
        const head = new Uint8Array(4);
        try {
          await handle.read(head, 0, 4, 0);
        } finally {
          await handle.close();
        }
        if (isFastTextMagic(head)) return LinearClassifier.fromFastText(source, options);
        bytes = new Uint8Array(await fs.readFile(source));
      } catch (e) {
        if (e instanceof Wasm2VecError) throw e;
        throw new Wasm2VecError('IO', `load: cannot read ${source}: ${(e as Error).message}`, { cause: e });
      }
      name = source;
    } else if (source instanceof Uint8Array) {
      bytes = source;
      name = 'model bytes';
    } else if (source instanceof ArrayBuffer) {
      bytes = new Uint8Array(source);
      name = 'model bytes';
    } else throw new Wasm2VecError('INVALID_OPTION', `load: expected a file path, Uint8Array or ArrayBuffer, got ${describe(source)}`);
    if (isFastTextMagic(bytes)) return LinearClassifier.fromFastText(bytes, options);
    const data = decodeLinearModel(bytes, name);
    const h = data.header;
    const threads = threadsOption(options.threads);
    const customTokenizer = functionOption<Tokenizer>('tokenizer', options.tokenizer);
    if (h.tokenizer === 'custom' && !customTokenizer) {
      throw new Wasm2VecError('INVALID_OPTION', `load: ${name} was trained with a custom tokenizer function; pass it again as load(source, { tokenizer })`);
    }
    const clf = new LinearClassifier({
      dim: h.dim,
      wordNgrams: h.wordNgrams,
      buckets: h.buckets,
      epochs: h.epochs,
      learningRate: h.learningRate,
      loss: h.loss,
      negative: h.negative,
      weighting: h.weighting,
      minCount: h.minCount,
      seed: h.seed,
      threads,
      tokenizer: h.tokenizer === 'custom' ? customTokenizer : (customTokenizer ?? h.tokenizer),
    });
    const labels = new LabelSet(h.labels.values, Float64Array.from(h.labels.counts), h.labels.kind, h.labels.multiLabel);
    const spec: LinearSpec = {
      dim: h.dim,
      nwords: h.words.length,
      usedBuckets: data.usedBuckets,
      labelCounts: labels.counts,
      loss: h.loss,
      negative: h.negative,
      tfidf: h.weighting === 'tfidf',
      seed: h.seed,
      learningRate: h.learningRate,
      tree: h.loss === 'hs' ? buildLabelTree(labels.counts) : null,
    };
    const encoder = new LinearEncoder(h.words, h.wordNgrams, h.buckets, data.usedBuckets);
    encoder.freeze();
    const runtime = await LinearKernel.create(spec, threads ?? (await availableCores()), null);
    try {
      await runtime.writeWeights({ input: data.input, output: data.output, idf: data.idf, unseenIdf: data.unseenIdf });
    } catch (e) {
      runtime.dispose();
      throw e;
    }
    clf.model = { encoder, labels, runtime, spec };
    return clf;
  }

  private static async fromFastText(source: string | Uint8Array, options: { threads?: number; tokenizer?: Tokenizer }): Promise<LinearClassifier> {
    threadsOption(options.threads); // validated; fastText-model predictions run on the calling thread
    if (options.tokenizer !== undefined) {
      throw new Wasm2VecError(
        'INVALID_OPTION',
        'load: option tokenizer: a fastText model tokenises as fastText does (whitespace, no lowercasing); it takes no tokenizer',
      );
    }
    const model = await readFastText(source);
    const predictor = new FastTextPredictor(model);
    const a = model.args;
    // `options` shows the file's settings, held to this class's option ranges (a fastText file may exceed them).
    const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
    const clf = new LinearClassifier({
      dim: clamp(a.dim, 1, 10000),
      wordNgrams: clamp(a.wordNgrams, 1, 5),
      buckets: clamp(a.bucket, 1, 1 << 30),
      epochs: clamp(a.epoch, 1, 100000),
      loss: a.loss,
      negative: clamp(a.neg, 1, 1000),
      minCount: Math.max(1, a.minCount),
      tokenizer: 'whitespace',
    });
    const values = predictor.labels.map((l) => l.label);
    const labels = new LabelSet(
      values,
      Float64Array.from(predictor.labels, (l) => l.count),
      'string',
      a.loss === 'ova',
    );
    clf.fastText = { model, predictor, labels };
    return clf;
  }

  /** Ends the workers and releases the WebAssembly memory. */
  dispose(): void {
    this.model?.runtime.dispose();
    this.model = null;
    this.fastText = null;
    this.disposed = true;
  }
}

/** fastText's magic number 793712314 as the first four bytes (little-endian). */
function isFastTextMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && new DataView(bytes.buffer, bytes.byteOffset, 4).getInt32(0, true) === FASTTEXT_MAGIC;
}

/** Label indices of the k highest probabilities >= threshold; ties go to the lower index (more frequent label). */
function topK(probs: Float32Array, base: number, C: number, k: number, threshold: number): number[] {
  const best: number[] = [];
  for (let c = 0; c < C; c++) {
    const p = probs[base + c];
    if (p < threshold) continue;
    if (best.length === k && p <= probs[base + best[k - 1]]) continue;
    let at = best.length;
    while (at > 0 && probs[base + best[at - 1]] < p) at--;
    best.splice(at, 0, c);
    if (best.length > k) best.pop();
  }
  return best;
}

/**
 * A resumed fit must train on what the checkpointed one did: the same vocabulary, n-gram buckets,
 * labels and encoded examples (which also fixes the learning-rate clock).
 */
function checkResumeData(c: DecodedLinearCheckpoint, name: string, data: LinearTrainingData, print: ReturnType<typeof fingerprint>): void {
  const { encoder, labels, spec } = data;
  const sameList = (a: ArrayLike<unknown>, b: ArrayLike<unknown>) =>
    a.length === b.length && Array.prototype.every.call(a, (v: unknown, i: number) => v === b[i]);
  const differs = !sameList(c.words, encoder.words)
    ? `a vocabulary of ${encoder.words.length} words, the checkpoint's has ${c.words.length}${c.words.length === encoder.words.length ? ' other' : ''}`
    : !sameList(c.usedBuckets, spec.usedBuckets)
      ? `${spec.usedBuckets.length} n-gram buckets, the checkpoint's ${c.usedBuckets.length}${c.usedBuckets.length === spec.usedBuckets.length ? ' other' : ''}`
      : c.labels.kind !== labels.kind ||
          c.labels.multiLabel !== labels.multiLabel ||
          !sameList(c.labels.values, labels.values) ||
          !sameList(c.labels.counts, labels.counts)
        ? `labels ${JSON.stringify(labels.values.slice(0, 5))}${labels.size > 5 ? '…' : ''}, the checkpoint's ${JSON.stringify(c.labels.values.slice(0, 5))}${c.labels.values.length > 5 ? '…' : ''} (or other counts)`
        : c.data.examples !== print.examples || c.data.tokensPerEpoch !== print.tokensPerEpoch || c.data.hash !== print.hash
          ? `${print.examples} examples of ${print.tokensPerEpoch} tokens per epoch (fingerprint ${print.hash}), the checkpoint's ${c.data.examples} of ${c.data.tokensPerEpoch} (${c.data.hash})`
          : null;
  if (differs) {
    throw new Wasm2VecError(
      'INVALID_OPTION',
      `option resumeFrom: these texts and labels give ${differs}; resume checkpoint ${name} with the texts, labels and tokenizer of its fit`,
    );
  }
}

/** Copies pretrained vectors over the initialised word rows (one read-modify-write of the word block). */
async function writePretrained(runtime: LinearKernel, vectors: Float32Array, dim: number, rows: Int32Array, nwords: number): Promise<void> {
  const block = await runtime.readInputRows(0, nwords);
  for (let from = 0; from < rows.length; from++) block.set(vectors.subarray(from * dim, (from + 1) * dim), rows[from] * dim);
  await runtime.writeInputRows(0, block);
}
