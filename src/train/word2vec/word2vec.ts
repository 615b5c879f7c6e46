import { Wasm2VecError } from '../../errors.js';
import { aliasedOption, boolOption, enumOption, functionOption, intOption, numberOption } from '../../options.js';
import { availableCores, collectGarbage } from '../../runtime/capabilities.js';
import type { CorpusInput } from '../../text/corpus.js';
import { scanCorpus, type IdStream } from '../../text/id-stream.js';
import { createTokenizer, type Tokenizer } from '../../text/tokenizer.js';
import { Vocabulary } from '../../text/vocabulary.js';
import { Embeddings } from '../../vectors/embeddings.js';
import { buildHuffman } from '../huffman.js';
import { readCheckpointSource, type CheckpointTarget } from '../checkpoint-file.js';
import {
  CONTROL_NAMES,
  ProgressThrottle,
  TrainingRun,
  mergeResumedOptions,
  progressOption,
  resolveControls,
  seedOption,
  type TrainingControls,
} from '../lifecycle.js';
import { StreamEpochs, type StreamEpochTotals } from '../stream-epoch.js';
import {
  CHECKPOINT_OPTION_NAMES,
  WORD2VEC_CHECKPOINT,
  decodeCheckpoint,
  encodeCheckpoint,
  type CheckpointOptions,
  type DecodedCheckpoint,
  type Word2VecCheckpoint,
} from './checkpoint.js';
import { Word2VecKernel } from './kernel.js';

export type { Word2VecCheckpoint };

export interface Word2VecProgress {
  /** Corpus words (in vocabulary, before subsampling) processed so far, over all epochs. */
  words: number;
  /** words / (epochs × corpus words). */
  progress: number;
  epoch: number;
  epochs: number;
  /** The learning rate of the latest slice (linear decay from learningRate to minLearningRate). */
  learningRate: number;
  /** @deprecated word2vec.c's name for learningRate. */
  alpha: number;
  wordsPerSecond: number;
  /**
   * Mean -log σ per output-layer term group this epoch so far: lossSum divided by the (centre, context)
   * pairs or CBOW windows trained. Every trainer's progress `loss` is a mean.
   */
  loss: number;
  /** Sum of -log σ over all output-layer terms in this epoch so far (accumulated in f64). */
  lossSum: number;
  /** @deprecated the same as loss (kept for code written when loss was the sum). */
  meanLoss: number;
  threads: number;
  /** Set once, on the first report, when the run had to fall back (e.g. to one thread). */
  note?: string;
}

export interface Word2VecOptions {
  model?: 'skipgram' | 'cbow';
  /**
   * 'batched' (default): skip-gram shares one set of negatives across the context window and updates with
   * small matrix products (Ji et al. 2016). 'classic': word2vec.c's per-pair update (default with hs).
   * CBOW already reads each row once per window and trains the same way in both modes.
   */
  mode?: 'classic' | 'batched';
  dim?: number;
  window?: number;
  negative?: number;
  hs?: boolean;
  sample?: number;
  minCount?: number;
  maxVocab?: number;
  epochs?: number;
  /** Initial learning rate (0.025 skip-gram, 0.05 CBOW, as word2vec.c), decayed linearly to minLearningRate. */
  learningRate?: number;
  /** word2vec.c's and gensim's name for learningRate. */
  alpha?: number;
  /** Final learning rate (0.0001). */
  minLearningRate?: number;
  /** gensim's name for minLearningRate. */
  minAlpha?: number;
  threads?: number;
  seed?: number;
  maxSentenceLength?: number;
  tokenizer?: Tokenizer;
  onProgress?: (p: Word2VecProgress) => void;
  /** Stops training within ~100 ms; the model trained so far is returned (stats.aborted). */
  signal?: AbortSignal;
  /**
   * Where to save a checkpoint every `checkpointEvery` epochs: a function receiving the file's bytes,
   * or a file path (Node; replaced atomically, so the last good checkpoint always survives).
   */
  checkpoint?: CheckpointTarget;
  /** Epochs between checkpoints (default 1 when `checkpoint` is set). */
  checkpointEvery?: number;
  /**
   * A checkpoint (bytes or path) to continue from, on the same corpus. The model options come from the
   * checkpoint (repeating them is fine, contradicting them is an error); threads, tokenizer (pass the
   * same one), callbacks and checkpointing may be set anew. With 1 thread the result equals, bit for
   * bit, a run that was never interrupted.
   */
  resumeFrom?: Uint8Array | ArrayBuffer | string;
}

interface Resolved extends TrainingControls {
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
  learningRate: number;
  minLearningRate: number;
  /** @deprecated word2vec.c's names, kept as aliases of learningRate / minLearningRate. */
  alpha: number;
  minAlpha: number;
  /** How the caller named the learning rate ('learningRate' or 'alpha'), for messages. */
  learningRateName: string;
  seed: number;
  maxSentenceLength: number;
  tokenizer: Tokenizer;
  onProgress?: (p: Word2VecProgress) => void;
}

const MODEL_KEYS = [
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
  'learningRate',
  'alpha',
  'minLearningRate',
  'minAlpha',
  'seed',
  'maxSentenceLength',
];
const KNOWN = new Set([...MODEL_KEYS, ...CONTROL_NAMES, 'tokenizer', 'onProgress']);
const CHUNK_TOKENS = 16384;
/** Inputs from which a full collection after scanning and after training pays for itself (~0.02-0.3 s; the CI-size 24 MiB corpus: peak 257-267 MiB with it, 288-292 without). */
const LARGE_INPUT_TOKENS = 1 << 22;
const LARGE_INPUT_VOCAB = 50_000;

/** Validates everything up front, before the corpus is read or memory is reserved. */
function resolveOptions(o: Word2VecOptions = {}): Resolved {
  if (typeof o !== 'object' || o === null) throw new Wasm2VecError('INVALID_OPTION', 'Word2Vec.train: options must be an object');
  for (const k of Object.keys(o)) if (!KNOWN.has(k)) throw new Wasm2VecError('INVALID_OPTION', `Word2Vec.train: unknown option ${JSON.stringify(k)}`);
  const model = enumOption('model', o.model, 'skipgram', ['skipgram', 'cbow'] as const);
  const hs = boolOption('hs', o.hs, false);
  // Batched is the default (2.3x faster per core at equal quality, see README); hs needs the classic update.
  const mode = enumOption('mode', o.mode, hs ? 'classic' : 'batched', ['classic', 'batched'] as const);
  if (mode === 'batched' && hs)
    throw new Wasm2VecError('INVALID_OPTION', "option mode: 'batched' shares negative samples and cannot be combined with hs: true");
  const negative = intOption('negative', o.negative, hs ? 0 : 5, 0, 1000);
  if (!hs && negative === 0) throw new Wasm2VecError('INVALID_OPTION', 'option negative: 0 needs hs: true (otherwise nothing is trained)');
  const lr = aliasedOption(o, 'learningRate', ['alpha']);
  const learningRate = numberOption(lr.name, lr.value, model === 'cbow' ? 0.05 : 0.025, 0, 10, true);
  const minLr = aliasedOption(o, 'minLearningRate', ['minAlpha']);
  const minLearningRate = numberOption(minLr.name, minLr.value, 0.0001, 0, learningRate);
  const tokenizer = functionOption<Tokenizer>('tokenizer', o.tokenizer) ?? createTokenizer();
  return {
    ...resolveControls(o),
    model,
    mode,
    hs,
    negative,
    learningRate,
    minLearningRate,
    alpha: learningRate,
    minAlpha: minLearningRate,
    learningRateName: lr.name,
    tokenizer,
    dim: intOption('dim', o.dim, 100, 1, 100000),
    window: intOption('window', o.window, 5, 1, 1000),
    sample: numberOption('sample', o.sample, 1e-3, 0, 1),
    minCount: intOption('minCount', o.minCount, 5, 1),
    maxVocab: o.maxVocab === undefined ? undefined : intOption('maxVocab', o.maxVocab, 0, 1),
    epochs: intOption('epochs', o.epochs, 5, 1, 100000),
    seed: seedOption(o.seed),
    maxSentenceLength: intOption('maxSentenceLength', o.maxSentenceLength, 1000, 1, 1_000_000),
    onProgress: progressOption('onProgress', o.onProgress),
  };
}

/**
 * Reads `resumeFrom` and merges it with the caller's options: the model options come from the
 * checkpoint (validated like options, reported as BAD_FORMAT); a caller's option that contradicts
 * them is an error rather than silently ignored.
 */
async function loadResume(options: Word2VecOptions): Promise<{ o: Resolved; checkpoint: DecodedCheckpoint }> {
  const { bytes, name } = await readCheckpointSource(options.resumeFrom);
  const checkpoint = decodeCheckpoint(bytes, name);
  // Checkpoints store word2vec.c's names (alpha, minAlpha); a caller may repeat them under either name.
  const given: Record<string, unknown> = { ...options };
  for (const [primary, alias] of [
    ['learningRate', 'alpha'],
    ['minLearningRate', 'minAlpha'],
  ] as const) {
    const v = aliasedOption(options, primary, [alias]).value;
    delete given[primary];
    if (v !== undefined) given[alias] = v;
  }
  const merged = mergeResumedOptions(
    'Word2Vec',
    name,
    given as Word2VecOptions,
    checkpoint.options as unknown as Record<string, unknown>,
    CHECKPOINT_OPTION_NAMES,
    resolveOptions,
  );
  return { o: resolveOptions(merged), checkpoint };
}

export interface Word2VecStats {
  /** Corpus tokens read (all, before vocabulary filtering). */
  rawTokens: number;
  /** In-vocabulary tokens per epoch (word2vec.c's train_words). */
  tokens: number;
  /** Tokens kept after subsampling, summed over epochs. */
  effectiveTokens: number;
  epochsCompleted: number;
  /** Training seconds (excluding the vocabulary scan). */
  seconds: number;
  scanSeconds: number;
  /** In-vocabulary tokens trained per second, over all epochs (word2vec.c's words/sec). */
  tokensPerSecond: number;
  threads: number;
  aborted: boolean;
  finalLoss: number;
}

/** A trained Word2Vec model: its vectors, vocabulary, and the workers/memory that trained it. */
export class Word2Vec {
  private constructor(
    readonly embeddings: Embeddings,
    readonly vocabulary: Vocabulary,
    readonly options: Readonly<Omit<Resolved, 'tokenizer' | 'onProgress' | 'signal' | 'checkpoint' | 'learningRateName' | 'resumeFrom'>>,
    readonly stats: Word2VecStats,
    private kernel: Word2VecKernel | null,
  ) {}

  /** Trains on `corpus` (text, iterable of strings, stream, or `{ path }`) and resolves with the model. */
  static async train(corpus: CorpusInput, options?: Word2VecOptions): Promise<Word2Vec> {
    let o = resolveOptions(options);
    const resume = options?.resumeFrom === undefined ? null : await loadResume(options);
    if (resume) o = resume.o;
    const scanStart = performance.now();
    const scanned = await scanCorpus(corpus, { tokenizer: o.tokenizer, signal: o.signal });
    try {
      const vocab = resume?.checkpoint.vocabulary ?? Vocabulary.fromCounts(scanned.counts, { minCount: o.minCount, maxVocab: o.maxVocab });
      const stream = scanned.encode(vocab, { maxSentenceLength: o.maxSentenceLength, chunkTokens: CHUNK_TOKENS });
      scanned.releaseCounts();
      if (resume && stream.tokens !== resume.checkpoint.tokens) {
        throw new Wasm2VecError(
          'INVALID_OPTION',
          `option resumeFrom: this corpus has ${stream.tokens} tokens of the checkpoint's vocabulary per epoch, ` +
            `the checkpoint was trained on ${resume.checkpoint.tokens}; resume on the same corpus with the same tokenizer`,
        );
      }
      // A large scan leaves hundreds of MB of dead maps: collect them before the model's memory fills.
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

  /** The output-layer vectors (syn1neg), e.g. for "dual embedding" similarity; null for hs-only models. */
  async outputEmbeddings(): Promise<Embeddings | null> {
    if (!this.kernel || this.options.negative === 0) return null;
    return new Embeddings(this.embeddings.words, await this.kernel.readVectors('syn1neg'), this.embeddings.dim);
  }

  /** Ends the model's workers and releases its WebAssembly memory; the embeddings stay usable. */
  dispose(): void {
    this.kernel?.dispose();
    this.kernel = null;
  }

  /** @internal the trainer's factory (the constructor is private to keep models trainer-made) */
  static create(e: Embeddings, v: Vocabulary, o: Resolved, s: Word2VecStats, kernel: Word2VecKernel): Word2Vec {
    const { tokenizer: _t, onProgress: _p, signal: _s, checkpoint: _c, learningRateName: _n, resumeFrom: _r, ...opts } = o;
    return new Word2Vec(e, v, opts, s, kernel);
  }
}

async function trainOnStream(
  o: Resolved,
  vocab: Vocabulary,
  stream: IdStream,
  rawTokens: number,
  scanSeconds: number,
  resume: DecodedCheckpoint | null = null,
  releaseInput?: () => Promise<void>,
): Promise<Word2Vec> {
  const requested = o.threads ?? (await availableCores());
  const huff = o.hs ? buildHuffman(vocab.counts) : null;
  const kernel = await Word2VecKernel.create({
    vocab: vocab.size,
    dim: o.dim,
    window: o.window,
    negative: o.negative,
    hs: o.hs,
    maxCode: huff?.maxCode ?? 0,
    cbow: o.model === 'cbow',
    batched: o.mode === 'batched',
    sample: o.sample,
    alpha: o.learningRate,
    minAlpha: o.minLearningRate,
    wordsPerEpoch: stream.tokens,
    epochs: o.epochs,
    maxSentenceLength: o.maxSentenceLength,
    chunkCapacity: CHUNK_TOKENS + o.maxSentenceLength + 2,
    threads: requested,
    seed: o.seed,
    signal: o.signal,
  });
  // -log σ(0) = ln 2 per output term: negatives + 1 terms, plus the Huffman code's length with hs.
  let codeLength = 0;
  if (huff) for (let i = 0; i < vocab.size; i++) codeLength += (huff.codeLength[i] * vocab.counts[i]) / vocab.totalCount;
  const run = new TrainingRun({
    model: 'Word2Vec',
    controls: o,
    kind: WORD2VEC_CHECKPOINT,
    epochs: o.epochs,
    completed: resume?.epochsCompleted ?? 0,
    untrainedLoss: Math.LN2 * ((o.negative > 0 ? o.negative + 1 : 0) + codeLength),
    lossName: 'a mean loss per pair of',
    advice: `lower ${o.learningRateName} (${o.learningRate})`,
  });
  try {
    const threads = kernel.threads;
    const totalWords = stream.tokens * o.epochs;
    await kernel.initialise(vocab.counts, huff, resume);
    const start = performance.now();
    let done = run.epochsCompleted * stream.tokens; // words of trained slices, over all epochs
    let trainedNow = 0; // words trained by this call (for the speed)
    let effective = resume?.effectiveTokens ?? 0;
    let epoch = run.epochsCompleted + 1;
    let lastAlpha = o.learningRate;
    let last: StreamEpochTotals = { kept: 0, loss: 0, pairs: 0, words: 0, aborted: false };
    const progress = new ProgressThrottle<Word2VecProgress>(o.onProgress, () => kernel.fallbackReason);
    const report = (force: boolean) =>
      progress.report(() => {
        const seconds = (performance.now() - start) / 1000;
        const meanLoss = last.pairs ? last.loss / last.pairs : 0;
        return {
          words: done,
          progress: totalWords ? done / totalWords : 1,
          epoch,
          epochs: o.epochs,
          learningRate: lastAlpha,
          alpha: lastAlpha,
          wordsPerSecond: seconds > 0 ? trainedNow / seconds : 0,
          loss: meanLoss,
          lossSum: last.loss,
          meanLoss,
          threads,
        };
      }, force);
    const epochs = new StreamEpochs(
      stream,
      threads,
      CHUNK_TOKENS,
      {
        load: (t, ids) => kernel.loadChunk(t, ids),
        train: (t, from, to, before) => kernel.train(t, from, to, before),
      },
      o.signal,
      (words, positionAfter, totals) => {
        done += words;
        trainedNow += words;
        last = totals;
        lastAlpha = Math.max(o.minLearningRate, o.learningRate - (o.learningRate - o.minLearningRate) * (positionAfter / Math.max(1, totalWords)));
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
        encodeCheckpoint(
          {
            options: checkpointOptions(o),
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
    // The token cache (up to 512 MiB) is done with: free it (and collect it) before the vectors are copied out.
    await releaseInput?.();
    const vectors = await kernel.readVectors('syn0');
    // The vocabulary's word → id map serves the embeddings too (a million-word map is ~50 MB).
    const embeddings = new Embeddings(vocab.words, vectors, o.dim, { counts: vocab.counts, index: vocab.wordIndex as Map<string, number> });
    const stats: Word2VecStats = {
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
    return Word2Vec.create(embeddings, vocab, o, stats, kernel);
  } catch (e) {
    kernel.dispose();
    throw run.failed(e, `in epoch ${Math.min(run.epochsCompleted + 1, o.epochs)}`);
  }
}

function checkpointOptions(o: Resolved): CheckpointOptions {
  const { model, mode, dim, window, negative, hs, sample, minCount, maxVocab, epochs, alpha, minAlpha, seed, maxSentenceLength } = o;
  return { model, mode, dim, window, negative, hs, sample, minCount, maxVocab, epochs, alpha, minAlpha, seed, maxSentenceLength };
}
