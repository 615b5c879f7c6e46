import { Wasm2VecError, describe } from '../../errors.js';
import { enumOption, functionOption, knownOptions, signalOption } from '../../options.js';
import type { EmbeddingsSource } from '../../vectors/byte-source.js';
import type { SaveTarget } from '../../vectors/save-vectors.js';
import { SubwordEmbeddings } from '../../vectors/subword-embeddings.js';
import { disposedError } from '../lifecycle.js';
import type { FastTextArgs, FastTextLoss, FastTextModelKind } from './args.js';
import type { FastTextModel } from './model.js';
import { type FastTextDtype, FastTextReader } from './reader.js';
import { fastTextBytes, saveFastText } from './writer.js';
import type { CorpusInput } from '../../text/corpus.js';
import type { Vocabulary } from '../../text/vocabulary.js';
import { type FastTextOptions, type FastTextProgress, type FastTextStats, trainFastText } from './trainer.js';

export type { FastTextArgs, FastTextDtype, FastTextLoss, FastTextModelKind, FastTextOptions, FastTextProgress, FastTextStats };

export interface FastTextLoadOptions {
  /**
   * How the dense matrices are held: 'float32' (default, fastText's precision) or 'float16' (half the
   * memory, weights rounded to half floats), which a model beyond wasm32's 4 GiB (cc.en.300.bin: 2M
   * words + 2M buckets × 300 is 4.8 GB as float32) needs. Quantized (.ftz) matrices stay as codes.
   */
  dtype?: FastTextDtype;
  /**
   * false: skip the output matrix (word vectors need only the input matrix; `save` then refuses,
   * since fastText needs it). Default true.
   */
  output?: boolean;
  signal?: AbortSignal;
  /** Load-time notes and, later, words without any row (zeros): default console.warn. */
  onWarning?: (message: string) => void;
}

/**
 * The model's settings under wasm2vec's option names (fastText's own are in `args`): what a .bin
 * stores. Training-only options (learningRate, seed, threads) are not part of a fastText model file.
 */
export interface FastTextSettings {
  model: FastTextModelKind;
  loss: FastTextLoss;
  dim: number;
  window: number;
  epochs: number;
  minCount: number;
  negative: number;
  wordNgrams: number;
  bucket: number;
  minn: number;
  maxn: number;
  lrUpdateRate: number;
  /** fastText's -t, the subsampling threshold. */
  sample: number;
}

/**
 * A fastText model (skip-gram, CBOW, or supervised): its fastText args, dictionary and matrices, and
 * `embeddings`, subword-aware word vectors in which every word has a vector. Loads fastText 0.9.x
 * .bin and .ftz files (and gensim's save_facebook_model output) and saves .bin files fastText 0.9.2
 * loads. The input matrix is held once: the embeddings compute out-of-vocabulary vectors from it.
 */
export class FastText {
  private model: FastTextModel | null;

  private constructor(
    model: FastTextModel,
    /** Subword-aware vectors: `vector(word)` for any word, queries that accept OOV words. */
    readonly embeddings: SubwordEmbeddings,
    /** Training statistics (null for a loaded model). */
    readonly stats: FastTextStats | null = null,
    /** The training vocabulary in the dictionary's order (null for a loaded model). */
    readonly vocabulary: Vocabulary | null = null,
  ) {
    this.model = model;
    this.args = Object.freeze({ ...model.args });
    this.warnings = model.warnings;
  }

  /** fastText's own settings as the file stores them (dim, ws, epoch, minCount, neg, loss, model, bucket, minn, maxn, t, ...). */
  readonly args: Readonly<FastTextArgs>;
  /** What loading noticed without stopping (also passed to onWarning). */
  readonly warnings: readonly string[];

  /** The same settings under wasm2vec's names (window, epochs, negative, sample, ...). */
  get options(): FastTextSettings {
    const a = this.args;
    return {
      model: a.model,
      loss: a.loss,
      dim: a.dim,
      window: a.ws,
      epochs: a.epoch,
      minCount: a.minCount,
      negative: a.neg,
      wordNgrams: a.wordNgrams,
      bucket: a.bucket,
      minn: a.minn,
      maxn: a.maxn,
      lrUpdateRate: a.lrUpdateRate,
      sample: a.t,
    };
  }

  /** True for a .ftz (product-quantized input matrix). */
  get quantized(): boolean {
    return this.live('quantized').input.kind === 'quantized';
  }

  /**
   * Trains skip-gram or CBOW with character n-grams as fastText 0.9.2 does (see trainFastText for the
   * options: fastText's defaults, `learningRate` also as `lr` or `alpha`, threads, abort, progress,
   * checkpoints and resume) and returns the model, ready to query and to save as a .bin.
   */
  static async train(corpus: CorpusInput, options?: FastTextOptions): Promise<FastText> {
    const r = await trainFastText(corpus, options);
    return new FastText(r.model, new SubwordEmbeddings(r.model, { warnings: r.model.warnings }), r.stats, r.vocabulary);
  }

  /**
   * Reads a fastText .bin or .ftz from a path (Node), bytes, a Blob/File, a fetch Response or a byte
   * stream (gzip undone). The header and dictionary are checked and the memory planned before any
   * matrix is allocated: a model that cannot fit is refused (MEMORY_LIMIT) naming its shape and the
   * options that make it fit; anything inconsistent is BAD_FORMAT naming the byte offset and field.
   */
  static async load(source: EmbeddingsSource, options: FastTextLoadOptions = {}): Promise<FastText> {
    knownOptions('FastText.load', options, ['dtype', 'output', 'signal', 'onWarning']);
    const dtype = enumOption('dtype', options.dtype, 'float32', ['float32', 'float16'] as const);
    const signal = signalOption(options.signal);
    const onWarning = functionOption<(m: string) => void>('onWarning', options.onWarning);
    const reader = await FastTextReader.open(source, { dtype, output: options.output, signal });
    const model = await reader.read();
    for (const w of model.warnings) (onWarning ?? ((m: string) => console.warn(`wasm2vec: ${m}`)))(w);
    return FastText.fromModel(model, { onWarning });
  }

  /** @internal a model read from a file or built by the trainer */
  static fromModel(model: FastTextModel, options: { onWarning?: (message: string) => void } = {}): FastText {
    const embeddings = new SubwordEmbeddings(model, { onWarning: options.onWarning, warnings: model.warnings });
    return new FastText(model, embeddings);
  }

  private live(what: string): FastTextModel {
    if (!this.model) throw disposedError(`FastText.${what}`);
    return this.model;
  }

  private writable(what: string): FastTextModel {
    const m = this.live(what);
    if (!m.output) {
      throw new Wasm2VecError(
        'UNSUPPORTED',
        `FastText.${what}: ${m.name} was loaded without its output matrix ({ output: false }); fastText needs it to load the file`,
      );
    }
    return m;
  }

  /**
   * Writes the model in fastText 0.9.2's format (version 12): a .bin that `fasttext` loads (a .ftz
   * stays quantized), to a path (Node; written to a temporary name, then renamed), a WritableStream,
   * or, with the Blob constructor as target, returns a Blob. A float16-loaded model is written widened
   * to float32 (its rounded weights).
   */
  async save(target: string | WritableStream<Uint8Array>): Promise<void>;
  async save(target: typeof Blob): Promise<Blob>;
  async save(target: SaveTarget): Promise<Blob | void> {
    if (typeof target !== 'string' && !(typeof WritableStream === 'function' && target instanceof WritableStream) && target !== Blob) {
      throw new Wasm2VecError('INVALID_OPTION', `FastText.save: expected a file path, a WritableStream or Blob, got ${describe(target)}`);
    }
    const blob = await saveFastText(this.writable('save'), target);
    if (blob) return blob;
  }

  /** The .bin/.ftz bytes in one array (small models; large ones: save to a path or stream). */
  toBytes(): Uint8Array {
    return fastTextBytes(this.writable('toBytes'));
  }

  /**
   * Releases the model (its output matrix and the embeddings' search memory); the embeddings stay
   * usable (they hold the dictionary and input matrix they need), as Word2Vec's do after dispose.
   */
  dispose(): void {
    this.embeddings.dispose();
    this.model = null;
  }
}
