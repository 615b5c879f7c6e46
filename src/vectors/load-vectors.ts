import { Wasm2VecError } from '../errors.js';
import { boolOption, enumOption, intOption, signalOption } from '../options.js';
import { ByteStream, type EmbeddingsSource } from './byte-source.js';
import { DETECT_BYTES, VECTOR_FORMATS, detectFormat, type VectorFormat } from './format-detect.js';
import { readTextVectors } from './formats/text-vectors.js';
import type { LoadedVectors } from './formats/vector-table.js';
import { readWasm2VecFormat } from './formats/wasm2vec-format.js';
import { readWord2VecBinary } from './formats/word2vec-binary.js';

export interface LoadOptions {
  /** Auto-detected from the first bytes when omitted. */
  format?: VectorFormat;
  /** Read only the first N words (files are usually sorted by frequency). */
  limit?: number;
  /** word2vec text / .vec without the "words dims" first line (the same as format 'glove'). */
  noHeader?: boolean;
  signal?: AbortSignal;
  /** Called with each warning (invalid UTF-8 replaced, trailing data ignored…); they are also kept on `warnings`. */
  onWarning?: (message: string) => void;
}

const KNOWN = new Set(['format', 'limit', 'noHeader', 'signal', 'onWarning']);

/** Reads vectors from any source in any supported format, streaming, with every header checked. */
export async function loadVectors(source: EmbeddingsSource, options: LoadOptions = {}): Promise<LoadedVectors & { format: VectorFormat }> {
  if (typeof options !== 'object' || options === null) throw new Wasm2VecError('INVALID_OPTION', 'Embeddings.load: options must be an object');
  for (const k of Object.keys(options)) if (!KNOWN.has(k)) throw new Wasm2VecError('INVALID_OPTION', `Embeddings.load: unknown option ${JSON.stringify(k)}`);
  const requested = options.format === undefined ? undefined : enumOption('format', options.format, 'word2vec-text', VECTOR_FORMATS);
  const limit = options.limit === undefined ? undefined : intOption('limit', options.limit, 0, 0);
  const noHeader = boolOption('noHeader', options.noHeader, false);
  const signal = signalOption(options.signal);
  if (options.onWarning !== undefined && typeof options.onWarning !== 'function') {
    throw new Wasm2VecError('INVALID_OPTION', 'option onWarning: expected a function');
  }
  const stream = await ByteStream.open(source, signal);
  let format: VectorFormat;
  try {
    format = requested ?? detectFormat(await stream.peek(DETECT_BYTES), stream.name);
    if (noHeader && (format === 'word2vec-binary' || format === 'wasm2vec')) {
      throw new Wasm2VecError('INVALID_OPTION', `option noHeader: only text formats can lack a header, not ${format}`);
    }
  } catch (e) {
    await stream.close();
    throw e;
  }
  let loaded: LoadedVectors;
  switch (format) {
    case 'word2vec-binary':
      loaded = await readWord2VecBinary(stream, { limit });
      break;
    case 'wasm2vec':
      loaded = await readWasm2VecFormat(stream, { limit });
      break;
    default:
      loaded = await readTextVectors(stream, { format, header: format !== 'glove' && !noHeader, limit });
  }
  for (const w of loaded.warnings) options.onWarning?.(w);
  return { ...loaded, format };
}
