import { Wasm2VecError } from '../../errors.js';
import { availableCores, collectGarbage } from '../../runtime/capabilities.js';
import type { CorpusInput } from '../../text/corpus.js';
import { scanCorpus, type IdStream } from '../../text/id-stream.js';
import { Vocabulary } from '../../text/vocabulary.js';
import { buildHuffman } from '../huffman.js';
import { readCheckpointSource } from '../checkpoint-file.js';
import { ProgressThrottle, TrainingRun, mergeResumedOptions } from '../lifecycle.js';
import { StreamEpochs, type StreamEpochTotals } from '../stream-epoch.js';
import { FASTTEXT_VERSION, type FastTextArgs } from './args.js';
import { FASTTEXT_CHECKPOINT, decodeFastTextCheckpoint, encodeFastTextCheckpoint, type DecodedFastTextCheckpoint } from './checkpoint.js';
import { DenseMatrix } from './dense-matrix.js';
import { FastTextDictionary } from './dictionary.js';
import { FastTextKernel } from './kernel.js';
import type { FastTextModel } from './model.js';
import {
  MODEL_OPTION_NAMES,
  modelOptions,
  primaryNames,
  resolveFastTextOptions,
  type FastTextOptions,
  type FastTextProgress,
  type ResolvedFastTextOptions,
} from './options.js';
import { forEachNgram } from './subwords.js';

export type { FastTextOptions, FastTextProgress };

/**
 * FastText's unsupervised training (fastText 0.9.2's skipgram and cbow with character n-grams) over
 * wasm2vec's corpus machinery: the corpus is scanned and tokenised once (any CorpusInput, any
 * tokenizer), the vocabulary keeps words seen minCount times, and epochs stream the id cache to the
 * kernel threads on one shared memory, with the shared lifecycle (abort, progress, checkpoints,
 * NUMERIC health).
 *
 * Line ends: fastText's reader turns every "\n" into the word "</s>", which then trains like any other
 * word (its own row, no n-grams). wasm2vec does not add it, as gensim's FastText does not: a sentence
 * end stops the windows instead, the vocabulary holds only the corpus's words, and the dictionary
 * (without "</s>") is a valid fastText dictionary that fastText loads. fastText's ntokens, the
 * subsampling frequencies' denominator, is every token read (line ends included); here it is every
 * token of the corpus.
 *
 * Learning rate: lr · (1 - progress), progress = words processed / (epochs × words per epoch), moving
 * in steps of lrUpdateRate words. (fastText counts processed in-vocabulary words against epochs × all
 * tokens, so it trains a little beyond `epoch` passes when words fall below minCount; wasm2vec trains
 * exactly `epochs` passes and reaches 0 at their end.)
 */

export interface FastTextStats {
  /** Corpus tokens read (all, before vocabulary filtering). */
  rawTokens: number;
  /** In-vocabulary tokens per epoch. */
  tokens: number;
  /** Tokens kept after subsampling, summed over epochs. */
  effectiveTokens: number;
  epochsCompleted: number;
  /** Training seconds (excluding the corpus scan). */
  seconds: number;
  scanSeconds: number;
  /** In-vocabulary tokens trained per second, over all epochs. */
  tokensPerSecond: number;
  threads: number;
  aborted: boolean;
  /** Mean loss per update of the last epoch. */
  finalLoss: number;
}

/** A trained model: both matrices dense float32. */
export interface TrainedFastTextModel extends FastTextModel {
  readonly input: DenseMatrix;
  readonly output: DenseMatrix;
}

export interface FastTextTrainResult {
  /** args, dictionary (the words, no labels), input ((nwords + bucket) × dim) and output (nwords × dim) matrices. */
  model: TrainedFastTextModel;
  stats: FastTextStats;
  /** The vocabulary in the dictionary's id order. */
  vocabulary: Vocabulary;
}

const CHUNK_TOKENS = 16384;
/** Inputs from which a full collection after scanning and after training pays for itself (as Word2Vec). */
const LARGE_INPUT_TOKENS = 1 << 22;
const LARGE_INPUT_VOCAB = 50_000;

/** Trains a fastText skipgram or cbow model on `corpus` (text, iterable of strings, stream, or `{ path }`). */
export async function trainFastText(corpus: CorpusInput, options?: FastTextOptions): Promise<FastTextTrainResult> {
  let o = resolveFastTextOptions(options);
  const resume = options?.resumeFrom === undefined ? null : await loadResume(options);
  if (resume) o = resume.o;
  const scanStart = performance.now();
  const scanned = await scanCorpus(corpus, { tokenizer: o.tokenizer, signal: o.signal });
  try {
    const vocab = resume?.checkpoint.vocabulary ?? Vocabulary.fromCounts(scanned.counts, { minCount: o.minCount, maxVocab: o.maxVocab });
    if (vocab.size === 0) {
      throw new Wasm2VecError(
        'INVALID_OPTION',
        `option minCount: no word of the corpus occurs ${o.minCount} times (${scanned.rawTokens} tokens); lower minCount`,
      );
    }
    if (o.loss === 'ns' && vocab.size < 2) {
      throw new Wasm2VecError('INVALID_OPTION', `option loss: negative sampling needs at least 2 words in the vocabulary, got ${vocab.size}; lower minCount`);
    }
    const stream = scanned.encode(vocab, { maxSentenceLength: o.maxSentenceLength, chunkTokens: CHUNK_TOKENS });
    scanned.releaseCounts();
    if (resume && (stream.tokens !== resume.checkpoint.tokens || scanned.rawTokens !== resume.checkpoint.rawTokens)) {
      throw new Wasm2VecError(
        'INVALID_OPTION',
        `option resumeFrom: this corpus has ${stream.tokens} tokens of the checkpoint's vocabulary per epoch (${scanned.rawTokens} in all), ` +
          `the checkpoint was trained on ${resume.checkpoint.tokens} (${resume.checkpoint.rawTokens}); resume on the same corpus with the same tokenizer`,
      );
    }
    const large = scanned.rawTokens >= LARGE_INPUT_TOKENS || vocab.size >= LARGE_INPUT_VOCAB;
    if (large) await collectGarbage();
    const scanSeconds = (performance.now() - scanStart) / 1000;
    return await trainOnStream(o, vocab, stream, scanned.rawTokens, scanSeconds, resume?.checkpoint ?? null, async () => {
      await scanned.dispose();
      if (large) await collectGarbage();
    });
  } finally {
    await scanned.dispose();
  }
}

/** Reads `resumeFrom`; the model options come from the checkpoint, a caller's option contradicting them is an error. */
async function loadResume(options: FastTextOptions): Promise<{ o: ResolvedFastTextOptions; checkpoint: DecodedFastTextCheckpoint }> {
  const { bytes, name } = await readCheckpointSource(options.resumeFrom);
  const checkpoint = decodeFastTextCheckpoint(bytes, name);
  const merged = mergeResumedOptions(
    'FastText',
    name,
    primaryNames(options) as FastTextOptions,
    checkpoint.options as unknown as Record<string, unknown>,
    MODEL_OPTION_NAMES,
    resolveFastTextOptions,
  );
  return { o: resolveFastTextOptions(merged), checkpoint };
}

/** Every word's input rows: its own id, then nwords + the bucket of each n-gram of "<word>" (Dictionary::initNgrams). */
export function subwordRows(words: readonly string[], minn: number, maxn: number, bucket: number): { starts: Uint32Array; rows: Int32Array } {
  const n = words.length;
  const starts = new Uint32Array(n + 1);
  let rows = new Int32Array(Math.max(16, n * 16));
  let at = 0;
  const push = (r: number) => {
    if (at === rows.length) {
      const grown = new Int32Array(rows.length * 2);
      grown.set(rows);
      rows = grown;
    }
    rows[at++] = r;
  };
  for (let i = 0; i < n; i++) {
    starts[i] = at;
    push(i);
    forEachNgram(words[i], minn, maxn, bucket, (b) => push(n + b));
  }
  starts[n] = at;
  return { starts, rows: rows.slice(0, at) };
}

async function trainOnStream(
  o: ResolvedFastTextOptions,
  vocab: Vocabulary,
  stream: IdStream,
  rawTokens: number,
  scanSeconds: number,
  resume: DecodedFastTextCheckpoint | null,
  releaseInput: () => Promise<void>,
): Promise<FastTextTrainResult> {
  const requested = o.threads ?? (await availableCores());
  const nwords = vocab.size;
  // Without n-grams no bucket row would ever be trained: the model has none (fastText allocates them anyway).
  const bucket = o.maxn > 0 ? o.bucket : 0;
  const subwords = subwordRows(vocab.words, o.minn, o.maxn, bucket);
  const huff = o.loss === 'hs' ? buildHuffman(vocab.counts) : null;
  const kernel = await FastTextKernel.create({
    nwords,
    bucket,
    dim: o.dim,
    window: o.window,
    negative: o.negative,
    loss: o.loss,
    maxCode: huff?.maxCode ?? 0,
    cbow: o.model === 'cbow',
    batched: o.mode === 'batched',
    sample: o.sample,
    lr: o.learningRate,
    lrUpdateRate: o.lrUpdateRate,
    ntokens: rawTokens,
    wordsPerEpoch: stream.tokens,
    epochs: o.epochs,
    maxSentenceLength: o.maxSentenceLength,
    chunkCapacity: CHUNK_TOKENS + o.maxSentenceLength + 2,
    subwordEntries: subwords.rows.length,
    threads: requested,
    seed: o.seed,
    signal: o.signal,
  });
  // An untrained model's loss per update: ln 2 per binary term (ns: the target and its negatives; hs: the
  // code's length, averaged over the words subsampling keeps), ln(nwords) for softmax.
  let untrained = Math.LN2 * (o.negative + 1);
  if (huff) {
    let codeLength = 0;
    let kept = 0;
    for (let i = 0; i < nwords; i++) {
      const f = vocab.counts[i] / Math.max(1, rawTokens);
      const w = vocab.counts[i] * (o.sample > 0 ? Math.min(1, Math.sqrt(o.sample / f) + o.sample / f) : 1);
      codeLength += huff.codeLength[i] * w;
      kept += w;
    }
    untrained = (Math.LN2 * codeLength) / Math.max(kept, 1e-300);
  } else if (o.loss === 'softmax') untrained = Math.log(nwords);
  const run = new TrainingRun({
    model: 'FastText',
    controls: o,
    kind: FASTTEXT_CHECKPOINT,
    epochs: o.epochs,
    completed: resume?.epochsCompleted ?? 0,
    untrainedLoss: untrained,
    lossName: 'a mean loss per update of',
    advice: `lower ${o.learningRateName} (${o.learningRate})`,
  });
  try {
    const threads = kernel.threads;
    const totalWords = stream.tokens * o.epochs;
    await kernel.initialise(vocab.counts, subwords, huff, resume);
    const start = performance.now();
    let done = run.epochsCompleted * stream.tokens;
    let trainedNow = 0;
    let effective = resume?.effectiveTokens ?? 0;
    let epoch = run.epochsCompleted + 1;
    let lastLr = o.learningRate;
    let last: StreamEpochTotals = { kept: 0, loss: 0, pairs: 0, words: 0, aborted: false };
    const progress = new ProgressThrottle<FastTextProgress>(o.onProgress, () => kernel.fallbackReason);
    const report = (force: boolean) =>
      progress.report(() => {
        const seconds = (performance.now() - start) / 1000;
        return {
          words: done,
          progress: totalWords ? done / totalWords : 1,
          epoch,
          epochs: o.epochs,
          learningRate: lastLr,
          wordsPerSecond: seconds > 0 ? trainedNow / seconds : 0,
          loss: last.pairs ? last.loss / last.pairs : 0,
          lossSum: last.loss,
          threads,
        };
      }, force);
    const epochs = new StreamEpochs(
      stream,
      threads,
      CHUNK_TOKENS,
      { load: (t, ids) => kernel.loadChunk(t, ids), train: (t, from, to, before) => kernel.train(t, from, to, before) },
      o.signal,
      (words, positionAfter, totals) => {
        done += words;
        trainedNow += words;
        last = totals;
        lastLr = Math.max(0, o.learningRate * (1 - positionAfter / Math.max(1, totalWords)));
        report(false);
      },
    );
    await run.run({
      trainEpoch: async (e) => {
        epoch = e;
        last = await epochs.run(e - 1);
        effective += last.kept;
        return { meanLoss: last.pairs > 0 ? last.loss / last.pairs : 0, aborted: last.aborted };
      },
      nonFinite: () => kernel.nonFiniteWeights(),
      checkpoint: async (e) =>
        encodeFastTextCheckpoint(
          {
            options: modelOptions(o),
            vocabulary: vocab,
            epochsCompleted: e,
            tokens: stream.tokens,
            rawTokens,
            effectiveTokens: effective,
            rng: await kernel.readRngStates(),
          },
          kernel.matrices(),
        ),
      afterEpoch: () => {
        report(true);
      },
    });
    const seconds = (performance.now() - start) / 1000;
    await releaseInput();
    const input = new DenseMatrix(nwords + bucket, o.dim, await kernel.readMatrix('input'));
    const output = new DenseMatrix(nwords, o.dim, await kernel.readMatrix('output'));
    kernel.dispose();
    const args: FastTextArgs = {
      dim: o.dim,
      ws: o.window,
      epoch: o.epochs,
      minCount: o.minCount,
      neg: o.negative,
      wordNgrams: 1,
      loss: o.loss,
      model: o.model,
      bucket,
      minn: o.minn,
      maxn: o.maxn,
      lrUpdateRate: o.lrUpdateRate,
      t: o.sample,
    };
    const dictionary = new FastTextDictionary({
      words: vocab.words,
      counts: vocab.counts,
      nwords,
      nlabels: 0,
      ntokens: rawTokens,
      index: vocab.wordIndex as Map<string, number>,
    });
    const model: TrainedFastTextModel = { name: 'trained model', version: FASTTEXT_VERSION, args, dictionary, input, output, qout: false, warnings: [] };
    const stats: FastTextStats = {
      rawTokens,
      tokens: stream.tokens,
      effectiveTokens: effective,
      epochsCompleted: run.epochsCompleted,
      seconds,
      scanSeconds,
      tokensPerSecond: seconds > 0 ? trainedNow / seconds : 0,
      threads,
      aborted: run.aborted,
      finalLoss: last.pairs ? last.loss / last.pairs : 0,
    };
    return { model, stats, vocabulary: vocab };
  } catch (e) {
    kernel.dispose();
    throw run.failed(e, `in epoch ${Math.min(run.epochsCompleted + 1, o.epochs)}`);
  }
}
