import { Wasm2VecError, describe } from '../errors.js';
import { enumOption } from '../options.js';
import { isNode } from '../runtime/capabilities.js';
import { importNode } from './byte-source.js';
import { VECTOR_FORMATS, type VectorFormat } from './format-detect.js';
import { writeTextVectors } from './formats/text-vectors.js';
import type { VectorData } from './formats/vector-data.js';
import { writeWasm2VecFormat, type Wasm2VecDtype } from './formats/wasm2vec-format.js';
import { writeWord2VecBinary } from './formats/word2vec-binary.js';

export interface SaveOptions {
  /** Default: from the path's extension (.bin word2vec-binary, .vec vec, .w2v/.wasm2vec wasm2vec, else word2vec-text). */
  format?: VectorFormat;
  /** Weights precision of the 'wasm2vec' format (default float32; float16 halves the size). */
  dtype?: Wasm2VecDtype;
}

/**
 * Where save() writes: a file path (Node; written to a temporary name, then renamed, so a failed
 * save never leaves a half file; a path ending in .gz is gzipped), a web WritableStream, or the Blob
 * constructor itself to get the bytes back as a Blob (browsers: `await e.save(Blob)`).
 */
export type SaveTarget = string | WritableStream<Uint8Array> | typeof Blob;

export function formatForPath(path: string): VectorFormat {
  const p = path.replace(/\.gz$/i, '').toLowerCase();
  if (p.endsWith('.bin')) return 'word2vec-binary';
  if (p.endsWith('.vec')) return 'vec';
  if (p.endsWith('.w2v') || p.endsWith('.wasm2vec')) return 'wasm2vec';
  return 'word2vec-text';
}

export function encodeVectors(data: VectorData, format: VectorFormat, options: SaveOptions): Iterable<Uint8Array> {
  if (options.dtype !== undefined && format !== 'wasm2vec') {
    throw new Wasm2VecError('INVALID_OPTION', `option dtype: only the 'wasm2vec' format stores float16; ${format} is always float32`);
  }
  switch (format) {
    case 'word2vec-binary':
      return writeWord2VecBinary(data);
    case 'wasm2vec':
      return writeWasm2VecFormat(data, { dtype: enumOption('dtype', options.dtype, 'float32', ['float32', 'float16'] as const) });
    default:
      return writeTextVectors(data, format);
  }
}

export function resolveFormat(target: unknown, options: SaveOptions): VectorFormat {
  if (options.format !== undefined) return enumOption('format', options.format, 'word2vec-text', VECTOR_FORMATS);
  return typeof target === 'string' ? formatForPath(target) : 'word2vec-text';
}

/** Collects the chunks into one Uint8Array (for callers that want bytes, e.g. to post to a worker). */
export function concatChunks(chunks: Iterable<Uint8Array>): Uint8Array {
  const parts = [...chunks];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export async function writeChunks(target: SaveTarget, chunks: Iterable<Uint8Array>): Promise<Blob | undefined> {
  if (typeof Blob === 'function' && target === Blob) return new Blob([...chunks] as BlobPart[]);
  if (typeof target === 'string') {
    await writeFile(target, chunks);
    return undefined;
  }
  if (typeof WritableStream === 'function' && target instanceof WritableStream) {
    const writer = target.getWriter();
    try {
      for (const c of chunks) await writer.write(c);
      await writer.close();
    } catch (e) {
      await writer.abort(e).catch(() => undefined);
      throw e;
    } finally {
      writer.releaseLock();
    }
    return undefined;
  }
  throw new Wasm2VecError('INVALID_OPTION', `save: target must be a file path, a WritableStream or Blob, got ${describe(target)}`);
}

async function writeFile(path: string, chunks: Iterable<Uint8Array>): Promise<void> {
  if (!isNode) throw new Wasm2VecError('UNSUPPORTED', `save("${path}"): file paths need Node.js; in a browser use save(Blob)`);
  if (path === '') throw new Wasm2VecError('INVALID_OPTION', 'save: the file path is empty');
  const fs = await importNode<typeof import('node:fs')>('fs');
  const tmp = `${path}.tmp-${process.pid}-${Math.floor(Math.random() * 1e9)}`;
  let source: Iterable<Uint8Array> | AsyncIterable<Uint8Array> = chunks;
  if (/\.gz$/i.test(path)) source = gzip(chunks);
  let handle: import('node:fs/promises').FileHandle | undefined;
  try {
    handle = await fs.promises.open(tmp, 'w');
    for await (const c of source) await handle.write(c);
    await handle.close();
    handle = undefined;
    await fs.promises.rename(tmp, path);
  } catch (e) {
    await handle?.close().catch(() => undefined);
    await fs.promises.rm(tmp, { force: true }).catch(() => undefined);
    if (e instanceof Wasm2VecError) throw e;
    throw new Wasm2VecError('IO', `cannot write vectors to "${path}": ${(e as Error)?.message ?? String(e)}`, { cause: e });
  }
}

async function* gzip(chunks: Iterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const it = chunks[Symbol.iterator]();
  const input = new ReadableStream<Uint8Array>({
    pull(controller) {
      const r = it.next();
      if (r.done) controller.close();
      else controller.enqueue(r.value);
    },
  });
  const reader = input.pipeThrough(new CompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield value;
  }
}
