import { Wasm2VecError, describe, invalidOption } from '../errors.js';
import { importNode } from '../runtime/capabilities.js';
import { intOption, signalOption } from '../options.js';
import { textCutIndex } from './tokenizer.js';

/**
 * Reading a corpus from any source as a bounded-memory sequence of line pieces.
 *
 * Line ends (\n or \r\n) are sentence/document boundaries. A string, a stream or a file is split
 * into lines; each element of an (async) iterable is one document (its internal newlines split it
 * further, its end is a line end). Lines longer than maxPieceChars are cut at whitespace (else at
 * punctuation, else hard) so no piece ever needs more memory than that, even for a 1 GB one-line
 * file. Empty lines produce no piece, except an empty closing piece for a line that was cut.
 *
 * This module loads in browsers and bundlers: Node built-ins are loaded at run time through
 * importNode (a non-literal import bundlers leave alone), and only for { path }.
 */

/** The parts of a Node.js Readable we use (structural, so this file needs no Node types). */
export interface NodeReadableLike {
  pipe(...args: never[]): unknown;
  on(...args: never[]): unknown;
  [Symbol.asyncIterator](): AsyncIterator<unknown>;
}

export type CorpusInput = string | Iterable<string> | AsyncIterable<string> | NodeReadableLike | ReadableStream<Uint8Array | string> | { path: string };

export interface CorpusPiece {
  text: string;
  /** True when this piece ends a line (a sentence/document boundary). */
  lineEnd: boolean;
}

export interface CorpusPieceOptions {
  /** Longest piece in UTF-16 code units (default 1 << 20). */
  maxPieceChars?: number;
  signal?: AbortSignal;
}

/** The pieces, plus byte progress of the most recent iteration when the source is bytes. */
export interface CorpusPieces extends AsyncIterable<CorpusPiece> {
  /** Bytes consumed from the source so far (file bytes on disk for { path }, compressed for .gz); undefined for text sources. */
  readonly bytesRead: number | undefined;
  /** Size of the file for { path }, else undefined. */
  readonly totalBytes: number | undefined;
}

type Kind = 'string' | 'web' | 'node' | 'path' | 'async' | 'sync';

const DEFAULT_MAX_PIECE = 1 << 20;
const FILE_READ_CHUNK = 1 << 20;

export function corpusPieces(corpus: CorpusInput, options: CorpusPieceOptions = {}): CorpusPieces {
  if (typeof options !== 'object' || options === null) invalidOption('corpus options', options, 'an object');
  const maxPieceChars = intOption('maxPieceChars', options.maxPieceChars, DEFAULT_MAX_PIECE, 1);
  const signal = signalOption(options.signal);
  // Validate the type now, so a wrong argument fails at the call rather than at the first await.
  const kind = classify(corpus);
  const progress = { bytesRead: undefined as number | undefined, totalBytes: undefined as number | undefined };
  return {
    get bytesRead() {
      return progress.bytesRead;
    },
    get totalBytes() {
      return progress.totalBytes;
    },
    [Symbol.asyncIterator]: () => generatePieces(corpus, kind, maxPieceChars, signal, progress)[Symbol.asyncIterator](),
  };
}

/**
 * True when the corpus can be read again (text, arrays and other collections, { path }); false for
 * one-shot sources (streams, generators and other iterators that are their own iterable).
 */
export function isReusableCorpus(corpus: unknown): boolean {
  let kind: Kind;
  try {
    kind = classify(corpus);
  } catch {
    return false;
  }
  if (kind === 'string' || kind === 'path') return true;
  if (kind === 'web' || kind === 'node') return false;
  if (Array.isArray(corpus)) return true;
  const obj = corpus as Record<symbol, () => unknown>;
  const method = kind === 'async' ? obj[Symbol.asyncIterator] : obj[Symbol.iterator];
  // Generators return themselves from [Symbol.iterator](): reading them consumes them.
  try {
    return method.call(corpus) !== corpus;
  } catch {
    return false;
  }
}

function classify(corpus: unknown): Kind {
  if (typeof corpus === 'string') return 'string';
  if ((typeof corpus !== 'object' && typeof corpus !== 'function') || corpus === null) return badType(corpus);
  if (ArrayBuffer.isView(corpus) || corpus instanceof ArrayBuffer) {
    throw new Wasm2VecError(
      'INVALID_OPTION',
      `corpus: expected text, an iterable of strings, a stream or { path }, got raw bytes (${describe(corpus)}); ` +
        'decode them with TextDecoder or wrap them in a stream',
    );
  }
  const obj = corpus as Record<string | symbol, unknown>;
  if (typeof obj.getReader === 'function') return 'web';
  // Node streams are async iterable too, but their chunks are arbitrary slices, not documents.
  if (typeof obj.pipe === 'function' && typeof obj.on === 'function' && typeof obj[Symbol.asyncIterator] === 'function') {
    return 'node';
  }
  if ('path' in obj && typeof obj[Symbol.iterator] !== 'function' && typeof obj[Symbol.asyncIterator] !== 'function') {
    if (typeof obj.path !== 'string' || obj.path === '') {
      throw new Wasm2VecError('INVALID_OPTION', `corpus.path: expected a non-empty file path string, got ${describe(obj.path)}`);
    }
    return 'path';
  }
  if (typeof obj[Symbol.asyncIterator] === 'function') return 'async';
  if (typeof obj[Symbol.iterator] === 'function') return 'sync';
  return badType(corpus);
}

function badType(corpus: unknown): never {
  throw new Wasm2VecError('INVALID_OPTION', `corpus: expected text, an iterable of strings, a stream or { path }, got ${describe(corpus)}`);
}

async function* generatePieces(
  corpus: unknown,
  kind: Kind,
  max: number,
  signal: AbortSignal | undefined,
  progress: { bytesRead: number | undefined; totalBytes: number | undefined },
): AsyncGenerator<CorpusPiece> {
  checkAborted(signal);
  progress.bytesRead = undefined;
  progress.totalBytes = undefined;
  const lines = new LineSplitter(max);
  switch (kind) {
    case 'string':
      for (const piece of lines.push(corpus as string)) {
        checkAborted(signal);
        yield piece;
      }
      yield* lines.end();
      return;
    case 'sync': {
      let index = 0;
      try {
        for (const doc of corpus as Iterable<unknown>) {
          checkAborted(signal);
          yield* lines.document(documentText(doc, index++));
        }
      } catch (err) {
        throw sourceError(err, 'corpus iterable');
      }
      return;
    }
    case 'async': {
      let index = 0;
      try {
        for await (const doc of abortable(corpus as AsyncIterable<unknown>, signal)) {
          yield* lines.document(documentText(doc, index++));
        }
      } catch (err) {
        throw sourceError(err, 'corpus iterable');
      }
      return;
    }
    case 'node':
      yield* decodeChunks(abortable(corpus as AsyncIterable<unknown>, signal), lines, progress, 'corpus stream');
      return;
    case 'web':
      yield* decodeChunks(readWebStream(corpus as ReadableStream<unknown>, signal), lines, progress, 'corpus stream');
      return;
    case 'path':
      yield* readFile((corpus as { path: string }).path, lines, signal, progress);
      return;
  }
}

function documentText(doc: unknown, index: number): string {
  if (typeof doc !== 'string') {
    throw new Wasm2VecError('INVALID_OPTION', `corpus: element ${index} is ${describe(doc)}, expected a string (one document)`);
  }
  return doc;
}

/** Decodes byte (or text) chunks as streaming UTF-8; invalid bytes become U+FFFD. */
async function* decodeChunks(
  chunks: AsyncIterable<unknown>,
  lines: LineSplitter,
  progress: { bytesRead: number | undefined },
  what: string,
  countBytes = true,
): AsyncGenerator<CorpusPiece> {
  const decoder = new TextDecoder('utf-8');
  let index = 0;
  try {
    for await (const chunk of chunks) {
      if (typeof chunk === 'string') {
        yield* lines.push(decoder.decode() + chunk);
      } else if (chunk instanceof Uint8Array) {
        if (countBytes) progress.bytesRead = (progress.bytesRead ?? 0) + chunk.byteLength;
        yield* lines.push(decoder.decode(chunk, { stream: true }));
      } else {
        throw new Wasm2VecError('BAD_FORMAT', `${what}: chunk ${index} is ${describe(chunk)}, expected bytes (Uint8Array) or a string`);
      }
      index++;
    }
  } catch (err) {
    throw sourceError(err, what);
  }
  yield* lines.push(decoder.decode());
  yield* lines.end();
}

async function* readFile(
  path: string,
  lines: LineSplitter,
  signal: AbortSignal | undefined,
  progress: { bytesRead: number | undefined; totalBytes: number | undefined },
): AsyncGenerator<CorpusPiece> {
  const node = await loadNode(path);
  let size: number;
  try {
    const stat = await node.fs.promises.stat(path);
    if (stat.isDirectory()) throw new Wasm2VecError('IO', `corpus path "${path}" is a directory, expected a text file`);
    size = stat.size;
  } catch (err) {
    throw fileError(err, path);
  }
  checkAborted(signal);
  progress.totalBytes = size;
  progress.bytesRead = 0;
  const file = node.fs.createReadStream(path, { highWaterMark: FILE_READ_CHUNK });
  const gz = /\.gz$/i.test(path);
  // pipeline() propagates a read error into the gunzip stream we iterate, and destroys both on early exit.
  const stream = gz ? node.pipeline(file, node.zlib.createGunzip({ chunkSize: FILE_READ_CHUNK }), () => {}) : file;
  try {
    for await (const piece of decodeChunks(abortable(stream, signal), lines, progress, `corpus file "${path}"`, false)) {
      progress.bytesRead = file.bytesRead;
      yield piece;
    }
    progress.bytesRead = file.bytesRead;
  } catch (err) {
    if (err instanceof Wasm2VecError && err.code === 'IO' && isZlibError(err.cause)) {
      throw new Wasm2VecError(
        'BAD_FORMAT',
        `corpus file "${path}" is not valid gzip data (${(err.cause as Error).message}); files ending in .gz are gunzipped`,
        { cause: err.cause },
      );
    }
    throw err;
  } finally {
    stream.destroy();
    file.destroy();
  }
}

interface NodeModules {
  fs: typeof import('node:fs');
  zlib: typeof import('node:zlib');
  pipeline: typeof import('node:stream').pipeline;
}

async function loadNode(path: string): Promise<NodeModules> {
  const proc = (globalThis as { process?: { versions?: { node?: unknown } } }).process;
  if (typeof proc?.versions?.node !== 'string') {
    throw new Wasm2VecError(
      'UNSUPPORTED',
      `corpus { path: "${path}" } needs Node.js file access; in a browser pass the text itself, ` +
        'a ReadableStream (e.g. (await fetch(url)).body or file.stream()) or an iterable of strings',
    );
  }
  const [fs, zlib, stream] = await Promise.all([
    importNode<typeof import('node:fs')>('node:fs'),
    importNode<typeof import('node:zlib')>('node:zlib'),
    importNode<typeof import('node:stream')>('node:stream'),
  ]);
  return { fs, zlib, pipeline: stream.pipeline };
}

function isZlibError(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}

function fileError(err: unknown, path: string): Wasm2VecError {
  if (err instanceof Wasm2VecError) return err;
  const code = (err as { code?: unknown }).code;
  if (code === 'ENOENT') return new Wasm2VecError('IO', `corpus file not found: "${path}"`, { cause: err });
  if (code === 'EACCES' || code === 'EPERM') return new Wasm2VecError('IO', `corpus file "${path}": permission denied`, { cause: err });
  return new Wasm2VecError('IO', `cannot read corpus file "${path}": ${(err as Error)?.message ?? String(err)}`, { cause: err });
}

function sourceError(err: unknown, what: string): Wasm2VecError {
  if (err instanceof Wasm2VecError) return err;
  return new Wasm2VecError('IO', `${what}: reading failed: ${(err as Error)?.message ?? String(err)}`, { cause: err });
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(signal);
}

function abortError(signal: AbortSignal): Wasm2VecError {
  return new Wasm2VecError('ABORTED', 'reading the corpus was aborted', { cause: signal.reason });
}

/**
 * Iterates an async source, rejecting as soon as the signal aborts even if the source is stuck in a
 * pending read; the source is then closed without waiting for it (it may never answer).
 */
async function* abortable<T>(source: AsyncIterable<T>, signal: AbortSignal | undefined): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  let done = false;
  try {
    for (;;) {
      const next = await raceAbort(it.next(), signal);
      if (next.done) {
        done = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!done && typeof it.return === 'function') {
      Promise.resolve()
        .then(() => it.return!())
        .catch(() => {});
    }
  }
}

async function* readWebStream(stream: ReadableStream<unknown>, signal: AbortSignal | undefined): AsyncGenerator<unknown> {
  let reader: ReadableStreamDefaultReader<unknown>;
  try {
    reader = stream.getReader();
  } catch (err) {
    throw new Wasm2VecError('INVALID_OPTION', `corpus: the ReadableStream cannot be read (already locked or used): ${(err as Error).message}`, {
      cause: err,
    });
  }
  let done = false;
  try {
    for (;;) {
      const next = await raceAbort(reader.read(), signal);
      if (next.done) {
        done = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!done) reader.cancel().catch(() => {});
    try {
      reader.releaseLock();
    } catch {
      // Older engines refuse while a read is pending (the stream we just cancelled); nothing to free then.
    }
  }
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(abortError(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

/** Splits text arriving in arbitrary chunks into line pieces of at most `max` chars. */
class LineSplitter {
  /** The unfinished line so far (never longer than max, plus at most one pending '\r'). */
  private carry = '';
  /** True when part of the current line was already emitted, so its end must still be marked. */
  private cut = false;

  constructor(private readonly max: number) {}

  /** One document: its end is a line end whether or not it ends with a newline. */
  *document(text: string): Generator<CorpusPiece> {
    yield* this.push(text);
    yield* this.end();
  }

  *push(text: string): Generator<CorpusPiece> {
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      const line = this.carry + text.slice(start, nl);
      this.carry = '';
      yield* this.line(line.endsWith('\r') ? line.slice(0, -1) : line);
      start = nl + 1;
    }
    if (start < text.length) {
      this.carry += start === 0 ? text : text.slice(start);
      // Cut only while the carry is longer than max (ignoring a '\r' that may start a "\r\n"), so the
      // cut positions depend on the line's content only, never on how the source chunked it.
      while (this.carry.length > this.max && !(this.carry.length === this.max + 1 && this.carry.endsWith('\r'))) {
        const cut = textCutIndex(this.carry, 0, this.max);
        yield { text: this.carry.slice(0, cut), lineEnd: false };
        this.carry = this.carry.slice(cut);
        this.cut = true;
      }
    }
  }

  *end(): Generator<CorpusPiece> {
    const line = this.carry;
    this.carry = '';
    yield* this.line(line.endsWith('\r') ? line.slice(0, -1) : line);
  }

  private *line(line: string): Generator<CorpusPiece> {
    while (line.length > this.max) {
      const cut = textCutIndex(line, 0, this.max);
      yield { text: line.slice(0, cut), lineEnd: false };
      line = line.slice(cut);
      this.cut = true;
    }
    if (line.length > 0 || this.cut) yield { text: line, lineEnd: true };
    this.cut = false;
  }
}
