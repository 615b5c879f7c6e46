import { Wasm2VecError, describe, invalidOption } from '../errors.js';
import { importNode } from '../runtime/capabilities.js';
import { SliceClock, yieldToEventLoop } from '../runtime/cooperative.js';
import { functionOption, intOption, signalOption } from '../options.js';
import { corpusPieces, type CorpusInput } from './corpus.js';
import { createTokenizer, type Tokenizer } from './tokenizer.js';
import type { Vocabulary } from './vocabulary.js';

/**
 * The corpus cache that training epochs read.
 *
 * Training needs the corpus twice or more (count words, then several epochs), but tokenising is
 * slow (Chinese segmentation ~1.5 M chars/s) and streams cannot be re-read. So scanCorpus tokenises
 * once and stores each token as a provisional id (first-seen order) with a line-end marker, in
 * Int32Array chunks; past memoryBudget, chunks spill to a temp file (Node) so a corpus larger than
 * RAM still works. encode() then maps provisional ids to the final vocabulary's ids on every pass:
 * that is one typed-array lookup per token, about as cheap as copying a cached remapped chunk, and
 * it lets every epoch hand out fresh arrays that the trainer owns (and may transfer to a worker).
 */

export interface ScanProgress {
  /** Tokens read so far. */
  tokens: number;
  /** Bytes consumed from a byte source (file bytes on disk for { path }, compressed for .gz). */
  bytes?: number;
  /** File size for { path }. */
  totalBytes?: number;
}

export interface ScanOptions {
  /** Default createTokenizer(). */
  tokenizer?: Tokenizer;
  signal?: AbortSignal;
  onProgress?: (info: ScanProgress) => void;
  /** Bytes of cached ids kept in memory before spilling to a temp file (default 512 MiB). */
  memoryBudget?: number;
  /** Where spill files go (default os.tmpdir()). */
  tempDir?: string;
}

export interface EncodeOptions {
  /** Sentences longer than this many in-vocabulary tokens are split (default 1000, like word2vec.c). */
  maxSentenceLength?: number;
  /** Target chunk length in array entries, separators included (default 16384). */
  chunkTokens?: number;
}

export interface IdStream {
  /** In-vocabulary tokens per epoch (word2vec.c's train_words). */
  readonly tokens: number;
  /** All tokens of the corpus, in or out of the vocabulary. */
  readonly rawTokens: number;
  /**
   * Chunks of whole sentences, each sentence followed by -1. A chunk is emitted once it reaches
   * chunkTokens entries, so chunk.length < chunkTokens + maxSentenceLength + 1. Every call yields the
   * same sequence; each yielded array is new and belongs to the caller.
   */
  chunks(): AsyncIterable<Int32Array>;
}

export interface ScannedCorpus {
  /** Token counts; insertion order is first occurrence. */
  counts: Map<string, number>;
  rawTokens: number;
  encode(vocab: Vocabulary, options?: EncodeOptions): IdStream;
  /**
   * Frees the counts map once the last encode() is done (streams already made keep working): a corpus
   * with a million distinct words holds ~100 MB in it. After this, `counts` is empty and encode() refuses.
   */
  releaseCounts(): void;
  /** Frees the cached ids and deletes the spill file, if any. Idempotent. */
  dispose(): Promise<void>;
}

/** Separator between sentences in encoded chunks. */
export const SENTENCE_END = -1;
/** Line-end marker in the raw provisional-id stream. */
const LINE_END = -1;
/** Raw chunk: 64 Ki ids = 256 KiB, large enough for efficient file I/O, small enough to bound the tail. */
const RAW_CHUNK = 1 << 16;
const DEFAULT_BUDGET = 512 * 1024 * 1024;
const SCAN_PIECE_CHARS = 1 << 16;

export async function scanCorpus(corpus: CorpusInput, options: ScanOptions = {}): Promise<ScannedCorpus> {
  if (typeof options !== 'object' || options === null) invalidOption('scan options', options, 'an object');
  const tokenizer = functionOption<Tokenizer>('tokenizer', options.tokenizer) ?? createTokenizer();
  const signal = signalOption(options.signal);
  const onProgress = functionOption<(info: ScanProgress) => void>('onProgress', options.onProgress);
  const memoryBudget = intOption('memoryBudget', options.memoryBudget, DEFAULT_BUDGET, 0);
  const tempDir = options.tempDir;
  if (tempDir !== undefined && (typeof tempDir !== 'string' || tempDir === '')) invalidOption('tempDir', tempDir, 'a directory path');
  // Small pieces (cut at whitespace or punctuation, so tokens are unchanged) bound the time between
  // abort checks and event-loop turns: 64 Ki chars tokenise in ~5 ms (English) to ~60 ms (Chinese).
  const pieces = corpusPieces(corpus, { signal, maxPieceChars: SCAN_PIECE_CHARS });
  const clock = new SliceClock();

  const store = new RawIdStore(memoryBudget, tempDir);
  const ids = new Map<string, number>();
  let counts = new Float64Array(1024);
  let rawTokens = 0;
  let buf = new Int32Array(RAW_CHUNK);
  let pos = 0;
  // True when the last entry written is a line end (or nothing was written): avoids empty sentences.
  let atLineStart = true;
  let lines = 0;
  let chars = 0;

  const report = () => onProgress?.({ tokens: rawTokens, bytes: pieces.bytesRead, totalBytes: pieces.totalBytes });
  const flush = async () => {
    if (await store.add(buf, pos)) buf = new Int32Array(RAW_CHUNK);
    pos = 0;
    report();
  };

  try {
    for await (const piece of pieces) {
      // An in-memory corpus is read in microtasks only: let timers and abort events run now and then.
      if (clock.due()) await yieldToEventLoop();
      if (signal?.aborted) throw new Wasm2VecError('ABORTED', 'scanning the corpus was aborted', { cause: signal.reason });
      chars += piece.text.length;
      const tokens = tokenizer(piece.text);
      if (!Array.isArray(tokens)) {
        throw new Wasm2VecError('INVALID_OPTION', `tokenizer: must return an array of strings, returned ${describe(tokens)}`);
      }
      for (let i = 0; i < tokens.length; i++) {
        const token = tokens[i];
        let id = ids.get(token);
        if (id === undefined) {
          if (typeof token !== 'string') {
            throw new Wasm2VecError('INVALID_OPTION', `tokenizer: returned ${describe(token)} at index ${i}, expected strings`);
          }
          if (token === '') continue;
          id = ids.size;
          ids.set(detach(token), id);
          if (id === counts.length) {
            const grown = new Float64Array(counts.length * 2);
            grown.set(counts);
            counts = grown;
          }
        }
        counts[id]++;
        rawTokens++;
        buf[pos++] = id;
        atLineStart = false;
        if (pos === RAW_CHUNK) await flush();
      }
      if (piece.lineEnd) {
        lines++;
        if (!atLineStart) {
          buf[pos++] = LINE_END;
          atLineStart = true;
          if (pos === RAW_CHUNK) await flush();
        }
      }
    }
    if (rawTokens === 0) {
      throw new Wasm2VecError(
        'EMPTY_CORPUS',
        chars === 0
          ? 'the corpus is empty: it contains no text'
          : `the corpus contains no words: ${lines} lines (${chars} characters) gave no tokens with this tokenizer`,
      );
    }
    if (pos > 0) await flush();
    await store.finish();
  } catch (err) {
    await store.dispose();
    throw err;
  }

  // Only the counts (whose key order is the provisional ids) are needed from here on.
  const countMap = new Map<string, number>();
  for (const [word, id] of ids) countMap.set(word, counts[id]);
  ids.clear();
  return new Scanned(countMap, rawTokens, store);
}

/**
 * A copy of a token that does not point into the text it was cut from. Engines represent substrings
 * of 13+ chars as views of their parent (V8 "sliced strings"), so a Map key taken straight from a
 * 1 MB piece would keep the whole piece alive: scanning text8 held ~140 MB of dead text that way.
 * Concatenating then slicing forces a flat copy; it runs once per distinct word.
 */
function detach(token: string): string {
  return token.length < 13 ? token : (' ' + token).slice(1);
}

class Scanned implements ScannedCorpus {
  constructor(
    readonly counts: Map<string, number>,
    readonly rawTokens: number,
    private readonly store: RawIdStore,
  ) {}

  releaseCounts(): void {
    this.counts.clear();
    this.countsReleased = true;
  }

  private countsReleased = false;

  encode(vocab: Vocabulary, options: EncodeOptions = {}): IdStream {
    this.store.checkLive();
    if (this.countsReleased) throw new Wasm2VecError('UNSUPPORTED', 'the scanned corpus released its counts; encode before releaseCounts()');
    if (typeof vocab !== 'object' || vocab === null || typeof (vocab as Vocabulary).id !== 'function') {
      invalidOption('vocab', vocab, 'a Vocabulary');
    }
    if (typeof options !== 'object' || options === null) invalidOption('encode options', options, 'an object');
    const maxSentenceLength = intOption('maxSentenceLength', options.maxSentenceLength, 1000, 1);
    const chunkTokens = intOption('chunkTokens', options.chunkTokens, 16384, 1);

    const remap = new Int32Array(this.counts.size);
    let tokens = 0;
    let pid = 0;
    for (const [word, count] of this.counts) {
      const id = vocab.id(word);
      remap[pid++] = id;
      if (id >= 0) tokens += count;
    }
    const store = this.store;
    return {
      tokens,
      rawTokens: this.rawTokens,
      chunks: () => ({
        async *[Symbol.asyncIterator]() {
          const encoder = new SentenceEncoder(remap, maxSentenceLength, chunkTokens);
          const ready: Int32Array[] = [];
          for await (const raw of store.read()) {
            encoder.feed(raw, ready);
            // Yielding outside feed() keeps the hot loop in a plain (optimisable) function.
            for (const chunk of ready) yield chunk;
            ready.length = 0;
          }
          encoder.end(ready);
          yield* ready;
        },
      }),
    };
  }

  dispose(): Promise<void> {
    return this.store.dispose();
  }
}

/** Remaps provisional ids and cuts sentences and chunks; state carries across raw chunks. */
class SentenceEncoder {
  private out: Int32Array;
  private n = 0;
  private sentence = 0;

  constructor(
    private readonly remap: Int32Array,
    private readonly maxSentence: number,
    private readonly chunkTokens: number,
  ) {
    // Before a sentence starts n < chunkTokens, and a sentence adds at most maxSentence + 1 entries.
    this.out = new Int32Array(chunkTokens + maxSentence + 1);
  }

  feed(raw: Int32Array, ready: Int32Array[]): void {
    const { remap, maxSentence, chunkTokens, out } = this;
    let n = this.n;
    let sentence = this.sentence;
    for (let i = 0; i < raw.length; i++) {
      const p = raw[i];
      if (p === LINE_END) {
        if (sentence === 0) continue;
      } else {
        const id = remap[p];
        if (id < 0) continue;
        out[n++] = id;
        if (++sentence < maxSentence) continue;
      }
      out[n++] = SENTENCE_END;
      sentence = 0;
      if (n >= chunkTokens) {
        ready.push(out.slice(0, n));
        n = 0;
      }
    }
    this.n = n;
    this.sentence = sentence;
  }

  end(ready: Int32Array[]): void {
    if (this.sentence > 0) this.out[this.n++] = SENTENCE_END;
    if (this.n > 0) ready.push(this.out.slice(0, this.n));
    this.n = 0;
    this.sentence = 0;
  }
}

interface NodeFs {
  fs: typeof import('node:fs');
  os: typeof import('node:os');
  path: typeof import('node:path');
}

let nodeFs: Promise<NodeFs | undefined> | undefined;
/** Spill files still on disk, deleted synchronously if the process exits before dispose(). */
const liveSpillFiles = new Set<string>();
let exitHookInstalled = false;

function loadNodeFs(): Promise<NodeFs | undefined> {
  const proc = (globalThis as { process?: { versions?: { node?: unknown } } }).process;
  if (typeof proc?.versions?.node !== 'string') return Promise.resolve(undefined);
  nodeFs ??= Promise.all([
    importNode<typeof import('node:fs')>('node:fs'),
    importNode<typeof import('node:os')>('node:os'),
    importNode<typeof import('node:path')>('node:path'),
  ]).then(([fs, os, path]) => ({ fs, os, path }));
  return nodeFs;
}

function installExitHook(fs: typeof import('node:fs')): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const proc = (globalThis as unknown as { process: { on(event: 'exit', fn: () => void): void } }).process;
  proc.on('exit', () => {
    for (const file of liveSpillFiles) {
      try {
        fs.unlinkSync(file);
      } catch {
        // Already gone; nothing else can be done while exiting.
      }
    }
  });
}

/** Provisional ids: the first chunks in memory up to the budget, the rest appended to one temp file. */
class RawIdStore {
  private memory: Int32Array[] = [];
  private memoryBytes = 0;
  private spill: { path: string; handle: import('node:fs/promises').FileHandle | undefined; ints: number } | undefined;
  private node: NodeFs | undefined;
  private disposed = false;
  private tokensSoFar = 0;

  constructor(
    private readonly budget: number,
    private readonly tempDir: string | undefined,
  ) {}

  /** Stores ids[0..length); returns true if it kept the array (so the caller needs a new one). */
  async add(ids: Int32Array, length: number): Promise<boolean> {
    this.tokensSoFar += length;
    const bytes = length * 4;
    if (this.spill === undefined && this.memoryBytes + bytes <= this.budget) {
      this.memory.push(length === ids.length ? ids : ids.slice(0, length));
      this.memoryBytes += bytes;
      return length === ids.length;
    }
    // Once spilling, everything else goes to the file so the order stays memory-then-file.
    const spill = this.spill ?? (await this.openSpill());
    const handle = spill.handle!;
    const data = new Uint8Array(ids.buffer, ids.byteOffset, bytes);
    try {
      for (let off = 0; off < bytes; ) {
        const { bytesWritten } = await handle.write(data, off, bytes - off);
        off += bytesWritten;
      }
    } catch (err) {
      throw new Wasm2VecError('IO', `cannot write the corpus spill file "${spill.path}": ${(err as Error).message}`, { cause: err });
    }
    spill.ints += length;
    return false;
  }

  private async openSpill(): Promise<NonNullable<RawIdStore['spill']>> {
    this.node = await loadNodeFs();
    if (this.node === undefined) {
      throw new Wasm2VecError(
        'MEMORY_LIMIT',
        `the tokenised corpus exceeds memoryBudget=${this.budget} bytes after ${this.tokensSoFar} tokens, and spilling ` +
          'to disk needs Node.js; raise memoryBudget or use a smaller corpus',
      );
    }
    const { fs, os, path } = this.node;
    const dir = this.tempDir ?? os.tmpdir();
    const name = `wasm2vec-ids-${(globalThis as unknown as { process: { pid: number } }).process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}.i32`;
    const file = path.join(dir, name);
    let handle: import('node:fs/promises').FileHandle;
    try {
      handle = await fs.promises.open(file, 'wx');
    } catch (err) {
      throw new Wasm2VecError(
        'IO',
        `the tokenised corpus exceeds memoryBudget=${this.budget} bytes and cannot spill to tempDir "${dir}": ${(err as Error).message}`,
        { cause: err },
      );
    }
    installExitHook(fs);
    liveSpillFiles.add(file);
    this.spill = { path: file, handle, ints: 0 };
    return this.spill;
  }

  /** Scanning is over: close the writer so reads see every byte. */
  async finish(): Promise<void> {
    const handle = this.spill?.handle;
    if (handle !== undefined) {
      this.spill!.handle = undefined;
      await handle.close();
    }
  }

  checkLive(): void {
    if (this.disposed) throw new Wasm2VecError('UNSUPPORTED', 'the scanned corpus was disposed; scan the corpus again');
  }

  /**
   * The stored ids in order. File data comes in a buffer reused between yields: the consumer must
   * finish with each array before asking for the next (SentenceEncoder.feed copies what it keeps).
   */
  async *read(): AsyncGenerator<Int32Array> {
    this.checkLive();
    const memory = this.memory;
    const spill = this.spill;
    for (const chunk of memory) yield chunk;
    if (spill === undefined || spill.ints === 0) return;
    const { fs } = this.node!;
    let handle: import('node:fs/promises').FileHandle;
    try {
      handle = await fs.promises.open(spill.path, 'r');
    } catch (err) {
      throw new Wasm2VecError('IO', `cannot read the corpus spill file "${spill.path}": ${(err as Error).message}`, { cause: err });
    }
    try {
      const ints = new Int32Array(RAW_CHUNK);
      const bytes = new Uint8Array(ints.buffer);
      const totalBytes = spill.ints * 4;
      for (let position = 0; position < totalBytes; ) {
        const want = Math.min(bytes.length, totalBytes - position);
        let got = 0;
        while (got < want) {
          const { bytesRead } = await handle.read(bytes, got, want - got, position + got);
          if (bytesRead === 0) {
            throw new Wasm2VecError('IO', `the corpus spill file "${spill.path}" is shorter than expected (was it deleted or truncated?)`);
          }
          got += bytesRead;
        }
        position += got;
        yield ints.subarray(0, got / 4);
      }
    } finally {
      await handle.close();
    }
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.memory = [];
    this.memoryBytes = 0;
    const spill = this.spill;
    if (spill === undefined) return;
    this.spill = undefined;
    try {
      await spill.handle?.close();
    } catch {
      // Closing a handle that failed mid-write: the unlink below is what matters.
    }
    try {
      await this.node!.fs.promises.unlink(spill.path);
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'ENOENT') {
        throw new Wasm2VecError('IO', `cannot delete the corpus spill file "${spill.path}": ${(err as Error).message}`, { cause: err });
      }
    } finally {
      liveSpillFiles.delete(spill.path);
    }
  }
}
