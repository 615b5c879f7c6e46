import { Wasm2VecError, describe, throwIfAborted } from '../errors.js';
import { isNode } from '../runtime/capabilities.js';

/**
 * Where vectors are read from: a file path (Node only), bytes in memory, a Blob/File, a fetch Response,
 * or a stream of bytes. Everything is read as a sequence of chunks, so a file never needs to be in
 * memory whole; gzip data (magic 1f 8b) is decompressed on the fly.
 */
export type EmbeddingsSource = string | ArrayBuffer | ArrayBufferView | Blob | Response | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

const CHUNK = 1 << 20;

/** A readable byte stream with a name for messages, a known size when there is one, and peeking. */
export class ByteStream {
  private prefix: Uint8Array[] = [];
  private prefixBytes = 0;
  private iterator: AsyncIterator<Uint8Array>;
  private ended = false;

  private constructor(
    /** The file path, or 'buffer', 'Blob', 'Response <url>', 'stream': how errors name the input. */
    readonly name: string,
    /** Bytes the stream will deliver, when known before reading (paths, buffers, Blobs); else undefined. */
    readonly size: number | undefined,
    iterator: AsyncIterator<Uint8Array>,
    private readonly onClose: () => Promise<void>,
  ) {
    this.iterator = iterator;
  }

  /**
   * Up to `n` bytes from the start, without consuming them (they are delivered again by chunks()).
   * Returns fewer only at the end of the data.
   */
  async peek(n: number): Promise<Uint8Array> {
    while (this.prefixBytes < n && !this.ended) {
      const r = await this.iterator.next();
      if (r.done) {
        this.ended = true;
        break;
      }
      // Chunks may reuse one buffer, so the kept prefix is a copy.
      this.prefix.push(r.value.slice());
      this.prefixBytes += r.value.length;
    }
    const out = new Uint8Array(Math.min(n, this.prefixBytes));
    let o = 0;
    for (const p of this.prefix) {
      if (o >= out.length) break;
      const take = Math.min(p.length, out.length - o);
      out.set(p.subarray(0, take), o);
      o += take;
    }
    return out;
  }

  /** The data as chunks, in order. A chunk stays valid only until the next one is requested. */
  async *chunks(): AsyncGenerator<Uint8Array> {
    const prefix = this.prefix;
    this.prefix = [];
    this.prefixBytes = 0;
    for (const p of prefix) yield p;
    while (!this.ended) {
      const r = await this.iterator.next();
      if (r.done) {
        this.ended = true;
        break;
      }
      if (r.value.length) yield r.value;
    }
  }

  async close(): Promise<void> {
    this.ended = true;
    await this.iterator.return?.();
    await this.onClose();
  }

  /** Opens any supported source; gzip data is transparently decompressed (its size is then unknown). */
  static async open(source: EmbeddingsSource, signal?: AbortSignal): Promise<ByteStream> {
    const raw = await openRaw(source, signal);
    const head = await raw.peek(2);
    if (head.length === 2 && head[0] === 0x1f && head[1] === 0x8b) return gunzip(raw, signal);
    return raw;
  }

  /** @internal */
  static fromIterator(name: string, size: number | undefined, it: AsyncIterator<Uint8Array>, onClose: () => Promise<void> = async () => {}): ByteStream {
    return new ByteStream(name, size, it, onClose);
  }
}

async function openRaw(source: EmbeddingsSource, signal?: AbortSignal): Promise<ByteStream> {
  if (typeof source === 'string') return openPath(source, signal);
  if (source instanceof ArrayBuffer || (typeof SharedArrayBuffer === 'function' && (source as unknown) instanceof SharedArrayBuffer)) {
    const bytes = new Uint8Array(source as ArrayBuffer);
    return ByteStream.fromIterator('buffer', bytes.length, once(bytes, signal));
  }
  if (ArrayBuffer.isView(source)) {
    const bytes = new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
    return ByteStream.fromIterator('buffer', bytes.length, once(bytes, signal));
  }
  if (typeof Blob === 'function' && source instanceof Blob) {
    const name = typeof (source as File).name === 'string' && (source as File).name ? `File ${(source as File).name}` : 'Blob';
    return ByteStream.fromIterator(name, source.size, readWebStream(source.stream(), signal));
  }
  if (typeof Response === 'function' && source instanceof Response) {
    const name = source.url ? `Response ${source.url}` : 'Response';
    if (!source.ok && source.status !== 0) throw new Wasm2VecError('IO', `${name}: HTTP status ${source.status} ${source.statusText}`.trim());
    if (source.bodyUsed) throw new Wasm2VecError('IO', `${name}: the body was already read`);
    // Content-Length counts encoded (e.g. gzip transfer-encoded) bytes, so it is no bound on the body.
    if (!source.body) return ByteStream.fromIterator(name, 0, empty());
    return ByteStream.fromIterator(name, undefined, readWebStream(source.body, signal));
  }
  if (typeof ReadableStream === 'function' && source instanceof ReadableStream) {
    return ByteStream.fromIterator('stream', undefined, readWebStream(source, signal));
  }
  if (source && typeof (source as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function') {
    return ByteStream.fromIterator('stream', undefined, checkedChunks((source as AsyncIterable<Uint8Array>)[Symbol.asyncIterator](), signal));
  }
  throw new Wasm2VecError(
    'INVALID_OPTION',
    `Embeddings.load: source must be a file path, ArrayBuffer, Uint8Array, Blob, Response or a byte stream, got ${describe(source)}`,
  );
}

async function* empty(): AsyncGenerator<Uint8Array> {}

async function* once(bytes: Uint8Array, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  throwIfAborted(signal, 'loading vectors');
  // Hand out 1 MiB views so the parsers' progress and abort checks work the same as for files.
  for (let o = 0; o < bytes.length; o += CHUNK) {
    throwIfAborted(signal, 'loading vectors');
    yield bytes.subarray(o, Math.min(bytes.length, o + CHUNK));
  }
}

async function* readWebStream(stream: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let finished = false;
  try {
    for (;;) {
      throwIfAborted(signal, 'loading vectors');
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      if (!(value instanceof Uint8Array)) throw new Wasm2VecError('BAD_FORMAT', `stream: expected Uint8Array chunks, got ${describe(value)}`);
      yield value;
    }
  } finally {
    // Stopped early (a limit, an error): cancel so a network body or file stream is not read further.
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

async function* checkedChunks(it: AsyncIterator<Uint8Array>, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  for (;;) {
    throwIfAborted(signal, 'loading vectors');
    const r = await it.next();
    if (r.done) return;
    if (!(r.value instanceof Uint8Array)) throw new Wasm2VecError('BAD_FORMAT', `stream: expected Uint8Array chunks, got ${describe(r.value)}`);
    yield r.value;
  }
}

/**
 * A Node built-in, imported dynamically so browser bundles build: the specifier is computed from a
 * parameter, which bundlers (esbuild folds 'node:' + 'fs' into a literal) cannot resolve statically.
 */
export async function importNode<T>(name: string): Promise<T> {
  return import(/* @vite-ignore */ 'node:' + name) as Promise<T>;
}

async function openPath(path: string, signal?: AbortSignal): Promise<ByteStream> {
  if (!isNode) {
    throw new Wasm2VecError(
      'UNSUPPORTED',
      `Embeddings.load("${path}"): file paths need Node.js; in a browser pass an ArrayBuffer, Blob/File or fetch Response`,
    );
  }
  if (path === '') throw new Wasm2VecError('INVALID_OPTION', 'Embeddings.load: the file path is empty');
  const fs = await importNode<typeof import('node:fs')>('fs');
  let handle: import('node:fs/promises').FileHandle;
  let size: number;
  try {
    handle = await fs.promises.open(path, 'r');
    const stat = await handle.stat();
    if (stat.isDirectory()) {
      await handle.close();
      throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    }
    size = stat.size;
  } catch (e) {
    throw fileError(e, path);
  }
  // One reused buffer: readers copy what they keep, so a file is never held in memory whole.
  const buffer = new Uint8Array(Math.min(CHUNK, Math.max(1, size)));
  let closed = false;
  const close = async () => {
    if (!closed) {
      closed = true;
      await handle.close();
    }
  };
  async function* read(): AsyncGenerator<Uint8Array> {
    let position = 0;
    try {
      for (;;) {
        throwIfAborted(signal, 'loading vectors');
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
        if (bytesRead === 0) return;
        position += bytesRead;
        yield buffer.subarray(0, bytesRead);
      }
    } catch (e) {
      throw e instanceof Wasm2VecError ? e : fileError(e, path);
    } finally {
      await close();
    }
  }
  return ByteStream.fromIterator(path, size, read(), close);
}

function fileError(err: unknown, path: string): Wasm2VecError {
  const code = (err as { code?: string })?.code;
  if (code === 'ENOENT') return new Wasm2VecError('IO', `vectors file not found: "${path}"`, { cause: err });
  if (code === 'EISDIR') return new Wasm2VecError('IO', `"${path}" is a directory, expected a vectors file`, { cause: err });
  if (code === 'EACCES' || code === 'EPERM') return new Wasm2VecError('IO', `vectors file "${path}": permission denied`, { cause: err });
  return new Wasm2VecError('IO', `cannot read vectors file "${path}": ${(err as Error)?.message ?? String(err)}`, { cause: err });
}

/** Decompresses with the platform's DecompressionStream (Node >= 18 and browsers). */
function gunzip(raw: ByteStream, signal?: AbortSignal): ByteStream {
  if (typeof DecompressionStream !== 'function') {
    throw new Wasm2VecError('UNSUPPORTED', `${raw.name}: gzip data needs DecompressionStream, which this runtime lacks; decompress it first`);
  }
  const chunks = raw.chunks();
  const input = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const r = await chunks.next();
      // Copies: the raw chunks may share one buffer, and the decompressor reads them later.
      if (r.done) controller.close();
      else controller.enqueue(r.value.slice());
    },
    async cancel() {
      await raw.close();
    },
  });
  const output = input.pipeThrough(new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>);
  const name = raw.name;
  async function* read(): AsyncGenerator<Uint8Array> {
    try {
      yield* readWebStream(output, signal);
    } catch (e) {
      if (e instanceof Wasm2VecError) throw e;
      throw new Wasm2VecError('BAD_FORMAT', `${name}: corrupt gzip data (${(e as Error)?.message ?? String(e)})`, { cause: e });
    }
  }
  return ByteStream.fromIterator(`${name} (gunzipped)`, undefined, read(), () => raw.close());
}
