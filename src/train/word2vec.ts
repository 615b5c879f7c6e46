import { Wasm2VecError, describe, invalidOption } from '../errors.js';
import { intOption, numberOption, boolOption, enumOption, signalOption, functionOption } from '../options.js';
import { availableCores, collectGarbage } from '../runtime/capabilities.js';
import { type CorpusInput } from '../text/corpus.js';
import { scanCorpus, type IdStream } from '../text/id-stream.js';
import { createTokenizer, type Tokenizer } from '../text/tokenizer.js';
import { Vocabulary } from '../text/vocabulary.js';
import { Embeddings } from '../vectors/embeddings.js';
import { buildHuffman } from './huffman.js';
import { checkpointTargetOption, readCheckpointSource, resumeOption, storeCheckpoint, type CheckpointTarget } from './checkpoint-file.js';
import {
  CHECKPOINT_OPTION_NAMES, WORD2VEC_CHECKPOINT, decodeCheckpoint, encodeCheckpoint,
  type CheckpointOptions, type DecodedCheckpoint, type Word2VecCheckpoint,
} from './word2vec-checkpoint.js';
import { Word2VecKernel } from './word2vec-kernel.js';

export type { Word2VecCheckpoint };

export interface Word2VecProgress {
  /** Corpus words (in vocabulary, before subsampling) processed so far, over all epochs. */
  words: number;
  /** words / (epochs × corpus words). */
  progress: number;
  epoch: number;
  epochs: number;
  alpha: number;
  wordsPerSecond: number;
  /** Sum of -log σ over all output-layer terms in this epoch so far (accumulated in f64). */
  loss: number;
  /** loss divided by the number of (centre, context) pairs or CBOW windows trained this epoch. */
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
  alpha?: number;
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

interface Resolved {
  model: 'skipgram' | 'cbow'; mode: 'classic' | 'batched'; dim: number; window: number; negative: number; hs: boolean; sample: number;
  minCount: number; maxVocab?: number; epochs: number; alpha: number; minAlpha: number; threads?: number;
  seed: number; maxSentenceLength: number; tokenizer: Tokenizer;
  onProgress?: (p: Word2VecProgress) => void; signal?: AbortSignal;
  checkpoint?: CheckpointTarget; checkpointEvery: number;
}

const KNOWN = new Set(['model', 'mode', 'dim', 'window', 'negative', 'hs', 'sample', 'minCount', 'maxVocab', 'epochs', 'alpha',
  'minAlpha', 'threads', 'seed', 'maxSentenceLength', 'tokenizer', 'onProgress', 'signal', 'checkpoint', 'checkpointEvery', 'resumeFrom']);
const CHUNK_TOKENS = 16384;
/**
 * Each kernel call trains a slice of a chunk (whole sentences), sized from the measured speed to take
 * about this long: the abort signal is checked between calls. Slicing at sentence ends leaves the
 * result unchanged (the RNG state lives in memory, the learning rate follows from the position).
 */
const SLICE_MS = 20;
const FIRST_SLICE = 2048;
const MIN_SLICE = 256;
/** Inputs from which a full collection after scanning and after training pays for itself (~0.02-0.3 s; the CI-size 24 MiB corpus: peak 257-267 MiB with it, 288-292 without). */
const LARGE_INPUT_TOKENS = 1 << 22;
const LARGE_INPUT_VOCAB = 50_000;
/** An epoch whose mean loss exceeds an untrained model's this many times has diverged (healthy runs stay within ~1-2×). */
const DIVERGED_LOSS_RATIO = 10;

/** Validates everything up front, before the corpus is read or memory is reserved. */
function resolveOptions(o: Word2VecOptions = {}): Resolved {
  if (typeof o !== 'object' || o === null) throw new Wasm2VecError('INVALID_OPTION', 'Word2Vec.train: options must be an object');
  for (const k of Object.keys(o)) if (!KNOWN.has(k)) throw new Wasm2VecError('INVALID_OPTION', `Word2Vec.train: unknown option ${JSON.stringify(k)}`);
  const model = enumOption('model', o.model, 'skipgram', ['skipgram', 'cbow'] as const);
  const hs = boolOption('hs', o.hs, false);
  // Batched is the default (2.3x faster per core at equal quality, see README); hs needs the classic update.
  const mode = enumOption('mode', o.mode, hs ? 'classic' : 'batched', ['classic', 'batched'] as const);
  if (mode === 'batched' && hs) throw new Wasm2VecError('INVALID_OPTION', "option mode: 'batched' shares negative samples and cannot be combined with hs: true");
  const negative = intOption('negative', o.negative, hs ? 0 : 5, 0, 1000);
  if (!hs && negative === 0) throw new Wasm2VecError('INVALID_OPTION', 'option negative: 0 needs hs: true (otherwise nothing is trained)');
  const alpha = numberOption('alpha', o.alpha, model === 'cbow' ? 0.05 : 0.025, 0, 10, true);
  const minAlpha = numberOption('minAlpha', o.minAlpha, 0.0001, 0, alpha);
  const tokenizer = functionOption<Tokenizer>('tokenizer', o.tokenizer) ?? createTokenizer();
  const checkpoint = checkpointTargetOption(o.checkpoint);
  if (o.checkpointEvery !== undefined && checkpoint === undefined) invalidOption('checkpointEvery', o.checkpointEvery, 'to come with the checkpoint option');
  resumeOption(o.resumeFrom);
  return {
    checkpoint,
    checkpointEvery: intOption('checkpointEvery', o.checkpointEvery, 1, 1, 100000),
    model, mode, hs, negative, alpha, minAlpha, tokenizer,
    dim: intOption('dim', o.dim, 100, 1, 100000),
    window: intOption('window', o.window, 5, 1, 1000),
    sample: numberOption('sample', o.sample, 1e-3, 0, 1),
    minCount: intOption('minCount', o.minCount, 5, 1),
    maxVocab: o.maxVocab === undefined ? undefined : intOption('maxVocab', o.maxVocab, 0, 1),
    epochs: intOption('epochs', o.epochs, 5, 1, 100000),
    threads: o.threads === undefined ? undefined : intOption('threads', o.threads, 1, 1, 256),
    seed: intOption('seed', o.seed, 1, 0, Number.MAX_SAFE_INTEGER),
    maxSentenceLength: intOption('maxSentenceLength', o.maxSentenceLength, 1000, 1, 1_000_000),
    onProgress: functionOption('onProgress', o.onProgress),
    signal: signalOption(o.signal),
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
  const stored = checkpoint.options as unknown as Record<string, unknown>;
  try {
    resolveOptions(stored as Word2VecOptions);
  } catch (e) {
    if (e instanceof Wasm2VecError && e.code === 'INVALID_OPTION') {
      throw new Wasm2VecError('BAD_FORMAT', `Word2Vec checkpoint ${name}: stored options: ${e.message}`, { cause: e });
    }
    throw e;
  }
  const given = options as Record<string, unknown>;
  for (const k of CHECKPOINT_OPTION_NAMES) {
    if (given[k] !== undefined && given[k] !== stored[k]) {
      throw new Wasm2VecError('INVALID_OPTION', `option ${k}: got ${describe(given[k])}, but the checkpoint was trained with ${describe(stored[k])}; ` +
        'model options cannot change when resuming (leave them out: they are taken from the checkpoint)');
    }
  }
  const { resumeFrom: _r, ...rest } = options;
  return { o: resolveOptions({ ...rest, ...(stored as Word2VecOptions) }), checkpoint };
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
    readonly options: Readonly<Omit<Resolved, 'tokenizer' | 'onProgress' | 'signal' | 'checkpoint'>>,
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
        throw new Wasm2VecError('INVALID_OPTION', `option resumeFrom: this corpus has ${stream.tokens} tokens of the checkpoint's vocabulary per epoch, ` +
          `the checkpoint was trained on ${resume.checkpoint.tokens}; resume on the same corpus with the same tokenizer`);
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
    const { tokenizer: _t, onProgress: _p, signal: _s, checkpoint: _c, ...opts } = o;
    return new Word2Vec(e, v, opts, s, kernel);
  }
}

async function trainOnStream(
  o: Resolved, vocab: Vocabulary, stream: IdStream, rawTokens: number, scanSeconds: number, resume: DecodedCheckpoint | null = null,
  releaseInput?: () => Promise<void>,
): Promise<Word2Vec> {
  const requested = o.threads ?? await availableCores();
  const huff = o.hs ? buildHuffman(vocab.counts) : null;
  const kernel = await Word2VecKernel.create({
    vocab: vocab.size, dim: o.dim, window: o.window, negative: o.negative, hs: o.hs, maxCode: huff?.maxCode ?? 0,
    cbow: o.model === 'cbow', batched: o.mode === 'batched', sample: o.sample, alpha: o.alpha, minAlpha: o.minAlpha,
    wordsPerEpoch: stream.tokens, epochs: o.epochs, maxSentenceLength: o.maxSentenceLength,
    chunkCapacity: CHUNK_TOKENS + o.maxSentenceLength + 2, threads: requested, seed: o.seed, signal: o.signal,
  });
  let epoch = resume?.epochsCompleted ?? 0;
  let lastCheckpoint = resume ? resume.epochsCompleted : 0;
  try {
    const threads = kernel.threads;
    const totalWords = stream.tokens * o.epochs;
    await kernel.initialise(vocab.counts, huff, resume);
    // -log σ(0) = ln 2 per output term: negatives + 1 terms, plus the Huffman code's length with hs.
    let codeLength = 0;
    if (huff) for (let i = 0; i < vocab.size; i++) codeLength += huff.codeLength[i] * vocab.counts[i] / vocab.totalCount;
    const untrainedLoss = Math.LN2 * ((o.negative > 0 ? o.negative + 1 : 0) + codeLength);

    const start = performance.now();
    let done = epoch * stream.tokens; // words of trained slices, over all epochs
    let trainedNow = 0; // words trained by this call (for the speed)
    let effective = resume?.effectiveTokens ?? 0;
    let aborted = false;
    let lastReport = 0;
    let noteSent = false;
    let epochLoss = 0, epochPairs = 0, lastAlpha = o.alpha;
    const sliceTokens = new Array<number>(threads).fill(FIRST_SLICE);
    const report = (epochNumber: number, force: boolean) => {
      if (!o.onProgress) return;
      const now = performance.now();
      if (!force && now - lastReport < 250) return;
      lastReport = now;
      const seconds = (now - start) / 1000;
      const p: Word2VecProgress = {
        words: done, progress: totalWords ? done / totalWords : 1, epoch: epochNumber, epochs: o.epochs, alpha: lastAlpha,
        wordsPerSecond: seconds > 0 ? trainedNow / seconds : 0, loss: epochLoss, meanLoss: epochPairs ? epochLoss / epochPairs : 0, threads,
      };
      if (!noteSent && kernel.fallbackReason) p.note = kernel.fallbackReason;
      noteSent = true;
      o.onProgress(p);
    };

    for (; epoch < o.epochs && !aborted; epoch++) {
      epochLoss = 0; epochPairs = 0;
      const chunks = stream.chunks()[Symbol.asyncIterator]();
      let position = epoch * stream.tokens; // words before the next chunk: fixes alpha regardless of timing
      let pulling: Promise<unknown> = Promise.resolve();
      // Serialised pulls keep chunk order (and so alpha and RNG use) deterministic for a given thread count.
      const next = (): Promise<{ ids: Int32Array; before: number } | null> => {
        const p = pulling.then(async () => {
          if (o.signal?.aborted) { aborted = true; return null; }
          const r = await chunks.next();
          if (r.done) return null;
          const before = position;
          position += countWords(r.value, 0, r.value.length);
          return { ids: r.value, before };
        });
        pulling = p.catch(() => undefined);
        return p;
      };
      const workerLoop = async (t: number) => {
        for (let c = await next(); c; c = await next()) {
          await kernel.loadChunk(t, c.ids);
          let before = c.before;
          for (let from = 0; from < c.ids.length;) {
            if (o.signal?.aborted) { aborted = true; return; }
            const to = sliceEnd(c.ids, from, sliceTokens[t]);
            const words = countWords(c.ids, from, to);
            const t0 = performance.now();
            const { kept, loss, pairs } = await kernel.train(t, from, to, before);
            const ms = performance.now() - t0;
            sliceTokens[t] = Math.max(MIN_SLICE, Math.min(CHUNK_TOKENS, Math.round(((to - from) / Math.max(ms, 0.5)) * SLICE_MS)));
            effective += kept; epochLoss += loss; epochPairs += pairs; done += words; trainedNow += words; before += words;
            lastAlpha = Math.max(o.minAlpha, o.alpha - (o.alpha - o.minAlpha) * (before / Math.max(1, totalWords)));
            from = to;
            report(epoch + 1, false);
          }
        }
      };
      try {
        await Promise.all(Array.from({ length: threads }, (_, t) => workerLoop(t)));
      } finally {
        // An abort (or a failed worker) leaves the epoch's iterator open: close it so a spilled corpus releases its file.
        await chunks.return?.();
      }
      // Numerical health after every epoch (and after an abort): a diverged model is an error, not a result.
      const bad = await kernel.nonFiniteWeights();
      // Finite weights can still be garbage: a loss far above an untrained model's means the updates diverged.
      const meanLoss = epochPairs > 0 ? epochLoss / epochPairs : 0;
      if (bad > 0 || meanLoss > DIVERGED_LOSS_RATIO * untrainedLoss) {
        const kept = o.checkpoint === undefined ? 'no checkpoint was requested'
          : lastCheckpoint > 0 ? `the last good checkpoint (after epoch ${lastCheckpoint}${typeof o.checkpoint === 'string' ? `, "${o.checkpoint}"` : ''}) is kept`
            : 'no checkpoint had been written yet';
        const what = bad > 0 ? `${bad} non-finite values in the weights`
          : `a mean loss per pair of ${meanLoss.toPrecision(3)}, ${Math.round(meanLoss / untrainedLoss)}× an untrained model's (${untrainedLoss.toPrecision(3)})`;
        throw new Wasm2VecError('NUMERIC', `Word2Vec: training diverged in epoch ${epoch + 1} (${what}); lower alpha (${o.alpha}). ` +
          `${kept[0].toUpperCase()}${kept.slice(1)}.`);
      }
      if (!aborted && o.checkpoint !== undefined && ((epoch + 1) % o.checkpointEvery === 0 || epoch + 1 === o.epochs)) {
        const rng = await kernel.readRngStates();
        const state = {
          options: checkpointOptions(o), vocabulary: vocab, epochsCompleted: epoch + 1, tokens: stream.tokens, rawTokens, effectiveTokens: effective, rng,
        };
        const chunks = encodeCheckpoint(state, kernel.matrices());
        await storeCheckpoint(WORD2VEC_CHECKPOINT, o.checkpoint, epoch + 1, chunks);
        lastCheckpoint = epoch + 1;
      }
      if (!aborted) report(epoch + 1, true);
    }
    const seconds = (performance.now() - start) / 1000;
    // The token cache (up to 512 MiB) is done with: free it (and collect it) before the vectors are copied out.
    await releaseInput?.();
    const vectors = await kernel.readVectors('syn0');
    // The vocabulary's word → id map serves the embeddings too (a million-word map is ~50 MB).
    const embeddings = new Embeddings(vocab.words, vectors, o.dim, { counts: vocab.counts, index: vocab.wordIndex as Map<string, number> });
    const stats: Word2VecStats = {
      rawTokens, tokens: stream.tokens, effectiveTokens: effective, epochsCompleted: aborted ? epoch - 1 : epoch, seconds, scanSeconds,
      tokensPerSecond: seconds > 0 ? trainedNow / seconds : 0, threads, aborted, finalLoss: epochPairs ? epochLoss / epochPairs : 0,
    };
    return Word2Vec.create(embeddings, vocab, o, stats, kernel);
  } catch (e) {
    kernel.dispose();
    if (e instanceof Wasm2VecError && e.code === 'WORKER_FAILED') {
      throw new Wasm2VecError('WORKER_FAILED', `Word2Vec training failed in epoch ${epoch + 1}: ${e.message}; all workers were stopped and ` +
        `the model's memory released${lastCheckpoint > 0 ? ` (the last checkpoint, after epoch ${lastCheckpoint}, can be resumed)` : ''}`, { cause: e });
    }
    throw e;
  }
}

function checkpointOptions(o: Resolved): CheckpointOptions {
  const { model, mode, dim, window, negative, hs, sample, minCount, maxVocab, epochs, alpha, minAlpha, seed, maxSentenceLength } = o;
  return { model, mode, dim, window, negative, hs, sample, minCount, maxVocab, epochs, alpha, minAlpha, seed, maxSentenceLength };
}

function countWords(ids: Int32Array, from: number, to: number): number {
  let words = 0;
  for (let i = from; i < to; i++) if (ids[i] >= 0) words++;
  return words;
}

/** End of a slice of about `target` entries from `from`, just after a sentence separator (or the chunk's end). */
function sliceEnd(ids: Int32Array, from: number, target: number): number {
  if (from + target >= ids.length) return ids.length;
  const at = ids.indexOf(-1, from + target - 1);
  return at < 0 ? ids.length : at + 1;
}
