import { badFormat } from './formats/vector-table.js';
import { isWasm2VecFormat } from './formats/wasm2vec-format.js';
import { parseCountHeader } from './formats/word2vec-binary.js';

export type VectorFormat = 'word2vec-text' | 'word2vec-binary' | 'glove' | 'vec' | 'wasm2vec';
export const VECTOR_FORMATS: readonly VectorFormat[] = ['word2vec-text', 'word2vec-binary', 'glove', 'vec', 'wasm2vec'];

/** Bytes of the (decompressed) start of a file that detection looks at. */
export const DETECT_BYTES = 1 << 16;

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Which format the first bytes of a file are in: the wasm2vec magic; else a "rows dim" header followed
 * by a text row of exactly dim numbers (word2vec text / .vec) or by anything else (word2vec binary);
 * else a first line "word v1 … vD" (GloVe). `name` (a path) only refines word2vec text to 'vec' for
 * files ending in .vec.
 */
export function detectFormat(head: Uint8Array, name: string): VectorFormat {
  if (isWasm2VecFormat(head)) return 'wasm2vec';
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) head = head.subarray(3); // UTF-8 byte order mark
  if (head.length === 0) throw badFormat(name, 'byte 0', 'the file is empty');
  const nl = head.indexOf(0x0a);
  const firstLine = new TextDecoder('latin1').decode(head.subarray(0, nl < 0 ? Math.min(head.length, 256) : nl));
  const header = nl >= 0 || head.length < DETECT_BYTES ? parseCountHeader(firstLine) : null;
  if (header) {
    if (nl < 0) return 'word2vec-text'; // header only: an empty text file as good as any
    const rest = head.subarray(nl + 1);
    const end = rest.indexOf(0x0a);
    const line = new TextDecoder('utf-8').decode(rest.subarray(0, end < 0 ? rest.length : end)).replace(/\r$/, '');
    const fields = line.split(/[ \t]+/).filter((f) => f.length > 0);
    const textRow = fields.length === header.dim + 1 && fields.slice(1).every((f) => NUMBER.test(f));
    // A text row cut by the detection window still looks textual: digits, signs, dots, spaces only.
    const cutTextRow = end < 0 && rest.length >= DETECT_BYTES - nl - 1 && fields.length > 1 && fields.length <= header.dim + 1 &&
      fields.slice(1).every((f) => /^[+-]?[\d.eE+-]*$/.test(f));
    if (textRow || cutTextRow || (header.rows === 0 && rest.every((b) => b === 0x0a || b === 0x0d || b === 0x20))) {
      return /\.vec(\.gz)?$/i.test(name) ? 'vec' : 'word2vec-text';
    }
    return 'word2vec-binary';
  }
  const fields = firstLine.replace(/\r$/, '').split(/[ \t]+/).filter((f) => f.length > 0);
  if (fields.length >= 2 && fields.slice(1).every((f) => NUMBER.test(f))) return 'glove';
  throw badFormat(name, 'line 1', `cannot tell the format: the first line is neither a "words dims" header nor "word v1 v2 …" ` +
    `(got ${JSON.stringify(firstLine.slice(0, 60))}); pass { format } explicitly`);
}
