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
 * by a body that reads as text (word2vec text, or .vec when `name` ends in .vec) or does not (word2vec
 * binary); else a first line "word v1 … vD" (GloVe). Only the bytes decide binary versus text: a text
 * file called x.bin is text. An explicit `format` on load skips this.
 */
export function detectFormat(head: Uint8Array, name: string): VectorFormat {
  if (isWasm2VecFormat(head)) return 'wasm2vec';
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) head = head.subarray(3); // UTF-8 byte order mark
  if (head.length === 0) throw badFormat(name, 'byte 0', 'the file is empty');
  const nl = head.indexOf(0x0a);
  const firstLine = new TextDecoder('latin1').decode(head.subarray(0, nl < 0 ? Math.min(head.length, 256) : nl));
  const header = nl >= 0 || head.length < DETECT_BYTES ? parseCountHeader(firstLine) : null;
  if (header) {
    if (nl < 0 || bodyReadsAsText(head.subarray(nl + 1))) return /\.vec(\.gz)?$/i.test(name) ? 'vec' : 'word2vec-text';
    return 'word2vec-binary';
  }
  const fields = firstLine
    .replace(/\r$/, '')
    .split(/[ \t]+/)
    .filter((f) => f.length > 0);
  if (fields.length >= 2 && fields.slice(1).every((f) => NUMBER.test(f))) return 'glove';
  throw badFormat(
    name,
    'line 1',
    `cannot tell the format: the first line is neither a "words dims" header nor "word v1 v2 …" ` +
      `(got ${JSON.stringify(firstLine.slice(0, 60))}); pass { format } explicitly`,
  );
}

/**
 * Whether the bytes after a "rows dim" header (as much as the detection window holds) are text rows.
 *
 * A word2vec binary entry is the word, a space and dim × 4 raw float32 bytes (then '\n' from
 * word2vec.c, nothing from gensim). A text row is the word, then whitespace-separated values in
 * printable characters, up to '\n'. The rule: split the window into lines at '\n' (the last one may be
 * cut by the window); skip blank lines; a line is a text row when it has a field after its first
 * (the word: any bytes, as the text reader takes them) and every byte after the word is printable
 * ASCII, a space, a tab, '\r' or part of a valid UTF-8 character from U+00A0 (so "−0.1" with a
 * Unicode minus, or a no-break space, goes to the text reader, which names it). The body is text
 * when all its lines are text rows, allowing one line in 16 that is not (a text file with a stray
 * byte is then reported by the text reader at its line, not read as binary garbage); with fewer than
 * 16 lines every line must be a text row. The value count is deliberately not part of the rule: a
 * text row with a missing or extra value must reach the text reader, which reports the count.
 *
 * Why binary is not taken for text: a float32's 4 bytes are all text bytes only when it is positive,
 * has an even exponent and mantissa bytes that happen to be printable (or form a UTF-8 character).
 * Measured with this function on files cut from a real word2vec binary file
 * (test/fixtures/vectors/fairytales-d24.bin, 3000 × 24, word2vec.c layout): one row of 1 dim reads
 * as text 5.1 % of the time (3671 of 72000), of 2 dims 0.28 % (101 / 36000), of 3 dims 1 in 24000,
 * of 4 dims never in 18000; two rows of 1 dim 0.26 % (93 / 36000), of 2-4 dims never; three rows of
 * 1 dim 1 in 24000 (gensim's layout, without newlines, about the same: 5.8 % for one row of 1 dim).
 * So only a binary file of 1-3 dims and a row or two can be taken for text, and then the text reader
 * refuses it: of the 3772 one-row files of 1 or 2 dims read as text, none loaded ("non-numeric value
 * …"), since raw float bytes are practically never decimal numbers. Real binary files have thousands
 * of non-text bytes in the window (60 % of the value bytes of fairytales-d24.bin are).
 * The opposite mistake is the one that matters: the binary reader accepts any text as finite floats
 * (ASCII bytes never form NaN or Inf), so a text file taken for binary loads as garbage.
 */
function bodyReadsAsText(body: Uint8Array): boolean {
  const n = body.length;
  let lines = 0;
  let textLines = 0;
  for (let start = 0; start < n; ) {
    let end = body.indexOf(0x0a, start);
    if (end < 0) end = n;
    const kind = lineKind(body, start, end);
    if (kind !== 'blank') {
      lines++;
      if (kind === 'text') textLines++;
    }
    start = end + 1;
  }
  return lines - textLines <= Math.floor(lines / 16);
}

const isSeparator = (c: number) => c === 0x20 || c === 0x09 || c === 0x0d;

function lineKind(b: Uint8Array, start: number, end: number): 'blank' | 'text' | 'other' {
  let i = start;
  while (i < end && isSeparator(b[i])) i++;
  if (i === end) return 'blank';
  while (i < end && b[i] !== 0x20 && b[i] !== 0x09) i++; // the word
  while (i < end && isSeparator(b[i])) i++;
  // A word alone is not a text row: a binary entry whose float bytes hold a '\n' leaves such lines.
  if (i === end) return 'other';
  return textCharacters(b, i, end) ? 'text' : 'other';
}

/** Whether b[start, end) is printable ASCII, spaces, tabs, '\r' and UTF-8 characters from U+00A0. */
function textCharacters(b: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; ) {
    const c = b[i];
    if ((c >= 0x20 && c <= 0x7e) || c === 0x09 || c === 0x0d) {
      i++;
      continue;
    }
    const len = utf8Sequence(b, i, end);
    if (len === 0) return false;
    i += len;
  }
  return true;
}

/**
 * Length of the valid UTF-8 character at b[i] with code point U+00A0 or above, or 0. A sequence cut by
 * the end of the window counts as valid (the window may end inside a character).
 */
function utf8Sequence(b: Uint8Array, i: number, end: number): number {
  const c = b[i];
  const len = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
  if (len === 0) return 0;
  let cp = c & (0xff >> (len + 1));
  for (let k = 1; k < len; k++) {
    if (i + k >= end) return end === b.length ? end - i : 0;
    const d = b[i + k];
    if ((d & 0xc0) !== 0x80) return 0;
    cp = (cp << 6) | (d & 0x3f);
  }
  const min = len === 2 ? 0xa0 : len === 3 ? 0x800 : 0x10000;
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return len;
}
