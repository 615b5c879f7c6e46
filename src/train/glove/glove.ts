import { Wasm2VecError, invalidOption, throwIfAborted } from '../../errors.js';
import { aliasedOption, boolOption, enumOption, functionOption, intOption, numberOption } from '../../options.js';
import { availableCores, isNode } from '../../runtime/capabilities.js';
import { MAX_BYTES } from '../../runtime/memory-layout.js';
import type { CorpusInput } from '../../text/corpus.js';
import { scanCorpus, type IdStream } from '../../text/id-stream.js';
import { createTokenizer, type Tokenizer } from '../../text/tokenizer.js';
import { Vocabulary } from '../../text/vocabulary.js';
import { Embeddings } from '../../vectors/embeddings.js';
import { countCooccurrences, type CountResult } from './cooccurrence-count.js';
import { cellsFromCount, disposeCells, rawCells, trainEpoch, type CellSource, type RawCells } from './cells.js';
import { readCheckpointSource, type CheckpointTarget } from '../checkpoint-file.js';
import {
  CONTROL_NAMES,
  ProgressThrottle,
  disposedError,
  TrainingRun,
  mergeResumedOptions,
  progressOption,
  resolveControls,
  seedOption,
  type TrainingControls,
} from '../lifecycle.js';
import {
  GLOVE_CHECKPOINT,
  GLOVE_CHECKPOINT_OPTIONS,
  decodeGloveCheckpoint,
  encodeGloveCheckpoint,
  type DecodedGloveCheckpoint,
  type GloveCheckpointState,
} from './checkpoint.js';
import { GloveKernel } from './kernel.js';
import { untilAborted } from '../../runtime/cooperative.js';

export type GloVeVectors = 'sum' | 'word' | 'context';

export interface GloVeProgress {
  /** counting: co-occurrences (one pass over the corpus); shuffling: weights, shuffle, spill merge; training: AdaGrad epochs. */
  phase: 'counting' | 'shuffling' | 'training';
  /** Fraction of the current phase done. */
  progress: number;
  /** In-vocabulary tokens counted so far. */
  tokens: number;
  /** Non-zero co-occurrence cells (known from the shuffling phase on). */
  cells: number;
  /** Current epoch (1-based) while training, else 0. */
  epoch: number;
  epochs: number;
  /** glove.c's per-iteration cost: sum of 0.5 · f(x) · diff² over the cells trained this epoch, divided by their number. */
  cost: number;
  /** Cells trained per second over the current epoch. */
  cellsPerSecond: number;
  threads: number;
  /** Set once, on the first report, when the run had to fall back (e.g. to one thread). */
  note?: string;
}

export interface GloVeOptions {
  /** Vector size (50, glove.c's default). */
  dim?: number;
  /** Context words on each side (10). */
  window?: number;
  /** Weighting cutoff: f(x) = min(1, (x / xMax)^alpha) (100). */
  xMax?: number;
  /** Weighting exponent of f(x) (0.75). */
  weightingExponent?: number;
  /** glove.c's name for weightingExponent. */
  alpha?: number;
  /** AdaGrad initial learning rate, glove.c's eta (0.05; `--eta` on the command line). */
  learningRate?: number;
  /** Passes over the co-occurrence cells (25). */
  epochs?: number;
  minCount?: number;
  maxVocab?: number;
  /** Count left and right context (true); false counts left context only (cooccur.c -symmetric 0). */
  symmetric?: boolean;
  threads?: number;
  seed?: number;
  /**
   * Bytes for the corpus token cache plus the model's WebAssembly memory (co-occurrence table, then
   * cells and vectors); default 2 GiB. Past it, Node spills sorted runs to temporary files; a browser
   * stops with an error.
   */
  memoryBudget?: number;
  /** glove.c's -grad-clip: each gradient component is clipped to [-gradientClip, gradientClip] (100). */
  gradientClip?: number;
  /** Output: word + context vectors (glove.c -model 2, default), or either alone. */
  vectors?: GloVeVectors;
  /**
   * cooccur.c's -max-product: only cells with rank_i × rank_j <= maxProduct (1-based frequency ranks)
   * may go to the dense block; 0 hashes every cell. Default: the pairs expected at least 0.5 times,
   * as far as a fifth of the counting memory allows.
   */
  maxProduct?: number;
  tokenizer?: Tokenizer;
  /** Directory for spill files (Node; default os.tmpdir()). */
  tempDir?: string;
  onProgress?: (p: GloVeProgress) => void;
  /** Stops within ~100 ms: while counting or shuffling it rejects (ABORTED); during epochs the model so far is returned. */
  signal?: AbortSignal;
  /** Where to save a checkpoint every `checkpointEvery` epochs: a function receiving the bytes, or a file path (Node; replaced atomically). */
  checkpoint?: CheckpointTarget;
  /** Epochs between checkpoints (default 1 when `checkpoint` is set). */
  checkpointEvery?: number;
  /**
   * A checkpoint (bytes or path) to continue from, on the same corpus: the model options come from it.
   * With 1 thread and the same memoryBudget the result equals an uninterrupted run bit for bit.
   */
  resumeFrom?: Uint8Array | ArrayBuffer | string;
}

interface Resolved extends TrainingControls {
  dim: number;
  window: number;
  xMax: number;
  alpha: number;
  learningRate: number;
  epochs: number;
  minCount: number;
  maxVocab?: number;
  symmetric: boolean;
  seed: number;
  memoryBudget: number;
  gradientClip: number;
  vectors: GloVeVectors;
  maxProduct?: number;
  tokenizer: Tokenizer;
  tempDir?: string;
  onProgress?: (p: GloVeProgress) => void;
}

const KNOWN = new Set([
  'dim',
  'window',
  'xMax',
  'alpha',
  'weightingExponent',
  'learningRate',
  'epochs',
  'minCount',
  'maxVocab',
  'symmetric',
  'seed',
  'memoryBudget',
  'gradientClip',
  'vectors',
  'maxProduct',
  'tokenizer',
  'tempDir',
  'onProgress',
  ...CONTROL_NAMES,
]);
const DEFAULT_BUDGET = 2 * 1024 ** 3;
/** The smallest budget worth trying; anything below is certainly a unit mistake. */
const MIN_BUDGET = 1 << 20;
/**
 * Lines are sentences for GloVe (cooccur.c never lets a window cross a line end but never cuts a line
 * either). The id stream cuts sentences at maxSentenceLength, so pass a length no real line reaches;
 * a longer line loses window² pairs per million tokens (0.01 % at window 10).
 */
const MAX_LINE_TOKENS = 1_000_000;
const CHUNK_TOKENS = 65536;
/**
 * Part of memoryBudget kept for the JavaScript side while counting and merging: id chunks, merge and
 * I/O buffers, the scan's word map and the engine's heap growth (measured 2026-11-29: peak RSS minus
 * the WebAssembly memory was ~85 MiB above an idle run for a 50k-word corpus), at most half of it.
 */
const JS_BASE_BYTES = 80 << 20;
const JS_BYTES_PER_WORD = 256;

function resolveOptions(o: GloVeOptions = {}): Resolved {
  if (typeof o !== 'object' || o === null) throw new Wasm2VecError('INVALID_OPTION', 'GloVe.train: options must be an object');
  for (const k of Object.keys(o)) if (!KNOWN.has(k)) throw new Wasm2VecError('INVALID_OPTION', `GloVe.train: unknown option ${JSON.stringify(k)}`);
  const tempDir = o.tempDir;
  if (tempDir !== undefined && (typeof tempDir !== 'string' || tempDir === '')) invalidOption('tempDir', tempDir, 'a directory path');
  const exponent = aliasedOption(o, 'weightingExponent', ['alpha']);
  const alpha = numberOption(exponent.name, exponent.value, 0.75, 0, 10);
  return {
    ...resolveControls(o),
    dim: intOption('dim', o.dim, 50, 1, 100000),
    window: intOption('window', o.window, 10, 1, 1000),
    xMax: numberOption('xMax', o.xMax, 100, 0, Infinity, true),
    alpha,
    learningRate: numberOption('learningRate', o.learningRate, 0.05, 0, 10, true),
    epochs: intOption('epochs', o.epochs, 25, 1, 100000),
    minCount: intOption('minCount', o.minCount, 5, 1),
    maxVocab: o.maxVocab === undefined ? undefined : intOption('maxVocab', o.maxVocab, 0, 1),
    symmetric: boolOption('symmetric', o.symmetric, true),
    seed: seedOption(o.seed),
    memoryBudget: intOption('memoryBudget', o.memoryBudget, DEFAULT_BUDGET, MIN_BUDGET),
    gradientClip: numberOption('gradientClip', o.gradientClip, 100, 0, Infinity, true),
    vectors: enumOption('vectors', o.vectors, 'sum', ['sum', 'word', 'context'] as const),
    maxProduct: o.maxProduct === undefined ? undefined : intOption('maxProduct', o.maxProduct, 0, 0),
    tokenizer: functionOption<Tokenizer>('tokenizer', o.tokenizer) ?? createTokenizer(),
    tempDir,
    onProgress: progressOption('onProgress', o.onProgress),
  };
}

/** Reads `resumeFrom`: model options come from the checkpoint; a caller's option that contradicts them is an error. */
async function loadResume(options: GloVeOptions): Promise<{ o: Resolved; checkpoint: DecodedGloveCheckpoint }> {
  const { bytes, name } = await readCheckpointSource(options.resumeFrom);
  const checkpoint = decodeGloveCheckpoint(bytes, name);
  // Checkpoints store glove.c's name (alpha) for the weighting exponent.
  const given: Record<string, unknown> = { ...options };
  const exponent = aliasedOption(options, 'weightingExponent', ['alpha']).value;
  delete given.weightingExponent;
  if (exponent !== undefined) given.alpha = exponent;
  const merged = mergeResumedOptions(
    'GloVe',
    name,
    given as GloVeOptions,
    checkpoint.options as Record<string, unknown>,
    GLOVE_CHECKPOINT_OPTIONS,
    resolveOptions,
  );
  return { o: resolveOptions(merged), checkpoint };
}

export interface GloVeStats {
  /** Corpus tokens read (all, before vocabulary filtering). */
  rawTokens: number;
  /** In-vocabulary tokens counted. */
  tokens: number;
  /** Non-zero co-occurrence cells trained on. */
  cells: number;
  /** Sorted runs spilled to disk while counting (0: everything stayed in memory). */
  spilledRuns: number;
  /** True when the cells did not fit the budget and training streamed them from a temp file. */
  cellsOnDisk: boolean;
  scanSeconds: number;
  /** Co-occurrence counting (one pass over the corpus, including spills). */
  countSeconds: number;
  /** Weights, shuffle and (after a spill) the merge. */
  shuffleSeconds: number;
  /** AdaGrad epochs. */
  trainSeconds: number;
  secondsPerEpoch: number;
  /** glove.c's per-iteration cost of each completed epoch. */
  epochCosts: number[];
  epochsCompleted: number;
  threads: number;
  aborted: boolean;
  /** Bytes of WebAssembly memory the model used. */
  memoryBytes: number;
}

interface Prepared {
  o: Resolved;
  vocab: Vocabulary;
  stream: IdStream;
  rawTokens: number;
  /** Distinct tokens of the corpus (the scan's word map). */
  distinctWords: number;
  scanSeconds: number;
  dispose: () => Promise<void>;
}

/** Scans the corpus once (token cache), builds the vocabulary and the id stream with GloVe's line semantics. */
async function prepare(corpus: CorpusInput, o: Resolved, resumed?: Vocabulary): Promise<Prepared> {
  const started = performance.now();
  // The token cache takes at most a quarter of the budget in memory; the rest spills (Node).
  const scanned = await scanCorpus(corpus, {
    tokenizer: o.tokenizer,
    signal: o.signal,
    memoryBudget: Math.min(512 * 1024 ** 2, Math.floor(o.memoryBudget / 4)),
    tempDir: o.tempDir,
  });
  try {
    const vocab = resumed ?? Vocabulary.fromCounts(scanned.counts, { minCount: o.minCount, maxVocab: o.maxVocab });
    const stream = scanned.encode(vocab, { maxSentenceLength: MAX_LINE_TOKENS, chunkTokens: CHUNK_TOKENS });
    if (resumed && stream.tokens !== resumed.totalCount) {
      throw new Wasm2VecError(
        'INVALID_OPTION',
        `option resumeFrom: this corpus has ${stream.tokens} tokens of the checkpoint's vocabulary, ` +
          `the checkpoint was trained on ${resumed.totalCount}; resume on the same corpus with the same tokenizer`,
      );
    }
    return {
      o,
      vocab,
      stream,
      rawTokens: scanned.rawTokens,
      distinctWords: scanned.counts.size,
      scanSeconds: (performance.now() - started) / 1000,
      dispose: () => scanned.dispose(),
    };
  } catch (e) {
    await scanned.dispose();
    throw e;
  }
}

interface Counted {
  kernel: GloveKernel;
  count: CountResult;
  countSeconds: number;
}

/** Plans the memory, starts the workers and counts; the caller owns (and disposes) the kernel. */
async function count(p: Prepared, report: (r: Partial<GloVeProgress>, force?: boolean) => void): Promise<Counted> {
  const { o, vocab, stream } = p;
  const requested = o.threads ?? (await availableCores());
  // The budget covers the token cache, transient JavaScript buffers (id chunks, merge and I/O
  // buffers) and the WebAssembly memory; the engine itself (Node, worker isolates) comes on top.
  const cacheBytes = Math.min(p.rawTokens * 4, Math.floor(o.memoryBudget / 4));
  const jsBytes = Math.min(JS_BASE_BYTES + JS_BYTES_PER_WORD * p.distinctWords, Math.floor(o.memoryBudget / 2));
  const budget = Math.min(o.memoryBudget - cacheBytes - jsBytes, MAX_BYTES);
  // Smallest budget B with B - cache - min(jsEstimate, B / 2) >= w: the JavaScript share grows with B.
  const jsEstimate = JS_BASE_BYTES + JS_BYTES_PER_WORD * p.distinctWords;
  const minimumBudget = (w: number) => (w + cacheBytes < jsEstimate ? 2 * (w + cacheBytes) : w + cacheBytes + jsEstimate);
  // An abort while workers start or count rejects at once; the caller disposes the kernel, which ends a long kernel call.
  const kernel = await GloveKernel.create({
    counts: vocab.counts,
    dim: o.dim,
    window: o.window,
    symmetric: o.symmetric,
    threads: requested,
    budget,
    reserved: cacheBytes + jsBytes,
    minimumBudget,
    maxProduct: o.maxProduct,
    xMax: o.xMax,
    alpha: o.alpha,
    learningRate: o.learningRate,
    gradientClip: o.gradientClip,
    signal: o.signal,
  });
  try {
    await kernel.initialise();
    const started = performance.now();
    report({ phase: 'counting', progress: 0, threads: kernel.threads, ...(kernel.fallbackReason ? { note: kernel.fallbackReason } : {}) }, true);
    const result = await untilAborted(
      countCooccurrences(kernel, stream, {
        window: o.window,
        budget: o.memoryBudget,
        signal: o.signal,
        spill: isNode ? { tempDir: o.tempDir } : null,
        onTokens: (tokens) => report({ phase: 'counting', tokens, progress: stream.tokens ? tokens / stream.tokens : 1 }),
      }),
      o.signal,
      'GloVe co-occurrence counting',
      (late) => {
        if (late.kind === 'runs') void late.runs.dispose();
      },
    );
    return { kernel, count: result, countSeconds: (performance.now() - started) / 1000 };
  } catch (e) {
    kernel.dispose();
    throw e;
  }
}

/** A cooccurrence table as counted for GloVe: cells sorted by (row, column), rows and columns are vocabulary ids. */
export interface CooccurrenceMatrix extends RawCells {
  vocabulary: Vocabulary;
  /** Sorted runs spilled to disk while counting. */
  spilledRuns: number;
}

/** A trained GloVe model: its vectors, vocabulary, and the workers/memory that trained it. */
export class GloVe {
  private constructor(
    readonly embeddings: Embeddings,
    readonly vocabulary: Vocabulary,
    readonly options: Readonly<Omit<Resolved, 'tokenizer' | 'onProgress' | 'signal' | 'checkpoint'>>,
    readonly stats: GloVeStats,
    private kernel: GloveKernel | null,
  ) {}

  /**
   * Trains GloVe on `corpus` (text, iterable of strings, stream, or `{ path }`): counts distance-
   * weighted co-occurrences in one pass, shuffles the non-zero cells and runs AdaGrad epochs over them.
   */
  static async train(corpus: CorpusInput, options?: GloVeOptions): Promise<GloVe> {
    let o = resolveOptions(options);
    const resume = options?.resumeFrom === undefined ? null : await loadResume(options);
    if (resume) o = resume.o;
    const prepared = await prepare(corpus, o, resume?.checkpoint.vocabulary);
    let counted: Counted | null = null;
    let cells: CellSource | null = null;
    const state: GloVeProgress = { phase: 'counting', progress: 0, tokens: 0, cells: 0, epoch: 0, epochs: o.epochs, cost: 0, cellsPerSecond: 0, threads: 1 };
    // The all-zero model's cost per cell is the mean of 0.5·f(x)·(log x)² <= 0.5·(log max x)², and no
    // cell count exceeds tokens × 2 (sides) × (1 + ln window) (the distance-weighted contexts).
    const zeroModelCost = 0.5 * Math.log(Math.max(Math.E, prepared.stream.tokens * (o.symmetric ? 2 : 1) * (1 + Math.log(o.window)))) ** 2;
    const epochCosts: number[] = resume ? [...resume.checkpoint.epochCosts] : [];
    const run = new TrainingRun({
      model: 'GloVe',
      controls: o,
      kind: GLOVE_CHECKPOINT,
      epochs: o.epochs,
      completed: epochCosts.length,
      untrainedLoss: zeroModelCost,
      lossName: 'a cost per cell of',
      advice: `lower learningRate (${o.learningRate}) or gradientClip (${o.gradientClip})`,
    });
    // Counting and shuffling report through the same throttle; the pool's fallback note comes with the first report.
    const progress = new ProgressThrottle<GloVeProgress>(o.onProgress, () => state.note);
    const report = (r: Partial<GloVeProgress>, force = false) => {
      Object.assign(state, r);
      progress.report(() => {
        const { note: _n, ...p } = state;
        return p;
      }, force);
    };
    try {
      try {
        counted = await count(prepared, report);
      } finally {
        // The token cache is not needed after counting: free it before the cells and vectors.
        await prepared.dispose();
      }
      const { kernel } = counted;
      report({ phase: 'counting', progress: 1, tokens: prepared.stream.tokens }, true);
      const shuffleStart = performance.now();
      report({ phase: 'shuffling', progress: 0 }, true);
      // Shuffling is one long kernel call: an abort rejects at once and disposing the kernel ends it.
      cells = await untilAborted(
        cellsFromCount(kernel, counted.count, { seed: o.seed, tempDir: o.tempDir, signal: o.signal }),
        o.signal,
        'GloVe shuffling',
        (late) => void disposeCells(late),
      );
      const shuffleSeconds = (performance.now() - shuffleStart) / 1000;
      if (cells.records === 0) {
        throw new Wasm2VecError(
          'EMPTY_CORPUS',
          `GloVe: no two in-vocabulary words occur within window ${o.window} on one line ` +
            `(${prepared.stream.tokens} in-vocabulary tokens, vocabulary ${prepared.vocab.size}); nothing to train`,
        );
      }
      report({ phase: 'shuffling', progress: 1, cells: cells.records }, true);
      throwIfAborted(o.signal, 'GloVe training');
      const paramBytes = kernel.paramBytes;
      if (resume) {
        if (resume.checkpoint.params.length !== paramBytes) {
          throw new Wasm2VecError('BAD_FORMAT', `GloVe checkpoint: params hold ${resume.checkpoint.params.length} bytes, this model needs ${paramBytes}`);
        }
        await kernel.writeParams(resume.checkpoint.params);
      } else await kernel.initParams(o.seed);

      const trainStart = performance.now();
      const total = cells.records;
      const source = cells;
      await run.run({
        trainEpoch: async (epoch) => {
          const epochStart = performance.now();
          let done = 0,
            cost = 0;
          report({ phase: 'training', epoch, progress: (epoch - 1) / o.epochs, cost: 0 }, epoch === 1);
          const r = await trainEpoch(
            kernel,
            source,
            (n, c) => {
              done += n;
              cost += c;
              const seconds = (performance.now() - epochStart) / 1000;
              report({ progress: (epoch - 1 + done / total) / o.epochs, cost: cost / done, cellsPerSecond: seconds > 0 ? done / seconds : 0 });
            },
            o.signal,
          );
          return { meanLoss: r.cost / Math.max(1, done), aborted: r.aborted, cost: r.cost, seconds: () => (performance.now() - epochStart) / 1000 };
        },
        nonFinite: () => kernel.nonFiniteParams(),
        checkpoint: (epoch, r) =>
          encodeGloveCheckpoint(
            {
              options: Object.fromEntries(GLOVE_CHECKPOINT_OPTIONS.map((k) => [k, o[k]])) as GloveCheckpointState['options'],
              vocabulary: prepared.vocab,
              epochsCompleted: epoch,
              epochCosts: [...epochCosts, r.cost / total],
              tokens: prepared.stream.tokens,
            },
            { bytes: paramBytes, read: (at, n) => kernel.readParams(at, n) },
          ),
        afterEpoch: (epoch, r) => {
          epochCosts.push(r.cost / total);
          const seconds = r.seconds();
          report({ progress: epoch / o.epochs, cost: r.cost / total, cellsPerSecond: seconds > 0 ? total / seconds : 0 }, true);
        },
      });
      const trainSeconds = (performance.now() - trainStart) / 1000;
      const embeddings = await readVectors(kernel, prepared.vocab, o.dim, o.vectors);
      const stats: GloVeStats = {
        rawTokens: prepared.rawTokens,
        tokens: prepared.stream.tokens,
        cells: cells.records,
        spilledRuns: counted.count.kind === 'runs' ? counted.count.runs.runs.length : 0,
        cellsOnDisk: cells.kind === 'disk',
        scanSeconds: prepared.scanSeconds,
        countSeconds: counted.countSeconds,
        shuffleSeconds,
        trainSeconds,
        secondsPerEpoch: epochCosts.length ? trainSeconds / epochCosts.length : 0,
        epochCosts,
        epochsCompleted: epochCosts.length,
        threads: kernel.threads,
        aborted: run.aborted,
        memoryBytes: kernel.memoryBytes,
      };
      const { tokenizer: _t, onProgress: _p, signal: _s, checkpoint: _c, resumeFrom: _r, ...opts } = o;
      return new GloVe(embeddings, prepared.vocab, opts, stats, kernel);
    } catch (e) {
      counted?.kernel.dispose();
      throw run.failed(e, `while ${state.phase}`);
    } finally {
      await disposeCells(cells);
    }
  }

  /**
   * Counts the co-occurrence table only (the first stage of train, same options), sorted by (row,
   * column). Meant for inspection and tests: every cell is returned in JavaScript arrays.
   */
  static async cooccurrences(corpus: CorpusInput, options?: GloVeOptions): Promise<CooccurrenceMatrix> {
    const o = resolveOptions(options);
    const prepared = await prepare(corpus, o);
    let counted: Counted | null = null;
    try {
      counted = await count(prepared, () => undefined);
      const spilledRuns = counted.count.kind === 'runs' ? counted.count.runs.runs.length : 0;
      const raw = await rawCells(counted.kernel, counted.count);
      return { ...raw, vocabulary: prepared.vocab, spilledRuns };
    } finally {
      counted?.kernel.dispose();
      await prepared.dispose();
    }
  }

  /** The trained vectors in another combination: word + context ('sum'), word only, or context only. */
  async vectors(kind: GloVeVectors): Promise<Embeddings> {
    if (!this.kernel) throw disposedError('GloVe');
    enumOption('kind', kind, 'sum', ['sum', 'word', 'context'] as const);
    return readVectors(this.kernel, this.vocabulary, this.embeddings.dim, kind);
  }

  /** Ends the model's workers and releases its WebAssembly memory; the embeddings stay usable. */
  dispose(): void {
    this.kernel?.dispose();
    this.kernel = null;
  }
}

async function readVectors(kernel: GloveKernel, vocab: Vocabulary, dim: number, kind: GloVeVectors): Promise<Embeddings> {
  return new Embeddings(vocab.words, await kernel.readVectors(kind), dim, { counts: vocab.counts });
}
