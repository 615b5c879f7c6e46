import type { ByteStream } from '../byte-source.js';
import { VectorTable, badFormat, checkDim, checkMatrixFits, unconfirmedRows, type LoadedVectors } from './vector-table.js';
import { type VectorData, ChunkWriter, checkWordsForText } from './vector-data.js';
import { parseCountHeader } from './word2vec-binary.js';

/**
 * The three text layouts: word2vec text (header "rows dim", then "word v1 … vD" per line; gensim's
 * save_word2vec_format), fastText .vec (the same, with a space after the last value) and GloVe (no
 * header). Fields are separated by spaces or tabs; blank lines are skipped; '\r\n' line ends are fine.
 */
export type TextFormat = 'word2vec-text' | 'vec' | 'glove';

export interface TextReadOptions {
  format: TextFormat;
  /** Whether the first line is a "rows dim" header (false for GloVe, or word2vec text with noHeader). */
  header: boolean;
  limit?: number;
}

/** A single line longer than this cannot be a vector row (~1 MB per 100k dims). */
const MAX_LINE_CHARS = 1 << 26;
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * Strict decimal parse of line[start, end): [+-]digits[.digits][(e|E)[+-]digits]. Returns NaN for
 * anything else (hex, "Infinity", "nan", empty). Short inputs take an exact fast path (at most 15
 * significant digits and |exponent| <= 22, where one IEEE operation is correctly rounded); others go
 * through Number(), which is correctly rounded too, so results equal Number(token) in every case.
 */
function parseDecimal(line: string, start: number, end: number): number {
  let i = start;
  let neg = false;
  let c = line.charCodeAt(i);
  if (c === 45 /* - */ || c === 43 /* + */) {
    neg = c === 45;
    i++;
  }
  let mant = 0,
    sig = 0,
    exp = 0,
    digits = 0;
  for (; i < end; i++) {
    c = line.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    digits++;
    if (mant !== 0 || c !== 0) sig++;
    mant = mant * 10 + c;
  }
  if (i < end && line.charCodeAt(i) === 46 /* . */) {
    i++;
    for (; i < end; i++) {
      c = line.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      digits++;
      if (mant !== 0 || c !== 0) sig++;
      mant = mant * 10 + c;
      exp--;
    }
  }
  if (digits === 0) return NaN;
  if (i < end) {
    c = line.charCodeAt(i);
    if (c !== 101 && c !== 69) return NaN;
    i++;
    let eneg = false;
    c = line.charCodeAt(i);
    if (c === 45 || c === 43) {
      eneg = c === 45;
      i++;
    }
    let e = 0,
      ed = 0;
    for (; i < end; i++) {
      c = line.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return NaN;
      if (e < 1e6) e = e * 10 + c;
      ed++;
    }
    if (ed === 0) return NaN;
    exp += eneg ? -e : e;
  }
  if (sig > 15 || exp > 22 || exp < -22) return Number(line.slice(start, end));
  const v = exp >= 0 ? mant * POW10[exp] : mant / POW10[-exp];
  return neg ? -v : v;
}

function describeBadValue(token: string): string {
  if (/^[+-]?nan$/i.test(token)) return 'NaN value';
  if (/^[+-]?inf(inity)?$/i.test(token)) return 'infinite value';
  return `non-numeric value ${JSON.stringify(token.length > 40 ? token.slice(0, 40) + '…' : token)}`;
}

const isSep = (c: number) => c === 32 || c === 9;

export async function readTextVectors(stream: ByteStream, options: TextReadOptions): Promise<LoadedVectors> {
  const name = stream.name;
  const warnings: string[] = [];
  const decoder = new TextDecoder('utf-8');
  let table: VectorTable | null = null;
  let dim = 0;
  let target = Infinity;
  let declared = -1;
  let lineNo = 0;
  let bytesBefore = 0; // UTF-8 bytes of the lines before the current one (exact for ASCII headers)
  let done = false;
  let extraLines = 0;
  let replacedWords = 0;

  /** consumed: bytes of the file before the first data row (header and blank lines). */
  const startTable = (rows: number | undefined, firstLineChars: number, consumed: number) => {
    const remaining = stream.size === undefined ? undefined : stream.size - consumed;
    if (rows !== undefined) {
      // Each row needs at least a 1-char word, dim × " 0" and a newline: check before allocating.
      const minBytes = rows * (2 * dim + 2) - 1;
      if (remaining !== undefined && rows > 0 && minBytes > remaining) {
        throw badFormat(
          name,
          'line 1',
          `header claims ${declared} words × ${dim} dims (at least ${minBytes} bytes as text) ` +
            `but only ${remaining} bytes follow; the file is truncated or the header is wrong`,
        );
      }
      checkMatrixFits(name, rows, dim);
      table = new VectorTable(name, dim, remaining === undefined ? unconfirmedRows(rows, dim) : rows, rows);
    } else {
      // No header: estimate the row count from the first line's length, capped by the most rows the
      // remaining bytes could hold; the table grows if the estimate is short.
      const cap = remaining === undefined ? target : Math.min(target, Math.floor((remaining + 1) / (2 * dim + 2)) + 1);
      const guess = remaining === undefined ? unconfirmedRows(cap, dim) : Math.ceil((remaining / Math.max(1, firstLineChars + 1)) * 1.1) + 16;
      table = new VectorTable(name, dim, Math.min(cap, guess), target);
    }
  };

  const processLine = (line: string) => {
    lineNo++;
    let end = line.length;
    if (end > 0 && line.charCodeAt(end - 1) === 13) end--;
    let i = 0;
    while (i < end && isSep(line.charCodeAt(i))) i++;
    if (i === end) return; // blank line
    if (done) {
      extraLines++;
      return;
    }
    if (options.header && declared < 0) {
      const h = parseCountHeader(line.slice(0, end));
      if (!h) {
        throw badFormat(
          name,
          `line ${lineNo}`,
          `expected a "words dims" header, got ${JSON.stringify(line.slice(0, 60))}; ` + "GloVe files have no header: use format 'glove' or noHeader: true",
        );
      }
      checkDim(name, `line ${lineNo}`, h.dim);
      declared = h.rows;
      dim = h.dim;
      target = options.limit === undefined ? h.rows : Math.min(h.rows, options.limit);
      startTable(target, 0, bytesBefore + utf8Length(line) + 1);
      if (target === 0) done = true;
      return;
    }
    const ws = i;
    while (i < end && !isSep(line.charCodeAt(i))) i++;
    const word = line.slice(ws, i);
    if (!table) {
      // GloVe: the first row defines the dimension.
      let count = 0;
      for (let j = i; j < end; ) {
        while (j < end && isSep(line.charCodeAt(j))) j++;
        if (j === end) break;
        count++;
        while (j < end && !isSep(line.charCodeAt(j))) j++;
      }
      if (count === 0) throw badFormat(name, `line ${lineNo}`, `word ${JSON.stringify(word.slice(0, 60))} has no values`);
      checkDim(name, `line ${lineNo}`, count);
      dim = count;
      target = options.limit ?? Infinity;
      startTable(undefined, end, bytesBefore);
      if (target === 0) {
        done = true;
        return;
      }
    }
    const t = table as unknown as VectorTable;
    if (word.includes('\uFFFD')) {
      replacedWords++;
      if (replacedWords <= 20) warnings.push(`${name}: line ${lineNo}: word ${JSON.stringify(word)} contains U+FFFD (invalid UTF-8 in the file was replaced)`);
    }
    const row = t.add(word, `line ${lineNo}`, (r) => `row ${r + 1}`);
    const m = t.matrix;
    const base = row * dim;
    let k = 0;
    while (i < end) {
      while (i < end && isSep(line.charCodeAt(i))) i++;
      if (i === end) break;
      const s = i;
      while (i < end && !isSep(line.charCodeAt(i))) i++;
      if (k >= dim) {
        let more = 1;
        for (let j = i; j < end; ) {
          while (j < end && isSep(line.charCodeAt(j))) j++;
          if (j === end) break;
          more++;
          while (j < end && !isSep(line.charCodeAt(j))) j++;
        }
        throw badFormat(name, `line ${lineNo}`, `word ${JSON.stringify(word)} has ${dim + more} values, expected ${dim}`);
      }
      const v = parseDecimal(line, s, i);
      if (v !== v) throw badFormat(name, `line ${lineNo}`, `${describeBadValue(line.slice(s, i))} in dimension ${k + 1} of word ${JSON.stringify(word)}`);
      m[base + k] = v;
      if (m[base + k] - m[base + k] !== 0) {
        throw badFormat(name, `line ${lineNo}`, `value ${line.slice(s, i)} in dimension ${k + 1} of word ${JSON.stringify(word)} is outside the float32 range`);
      }
      k++;
    }
    if (k < dim) throw badFormat(name, `line ${lineNo}`, `word ${JSON.stringify(word)} has ${k} values, expected ${dim}`);
    if (t.rows >= target) done = true;
  };

  // The unfinished line, as the pieces it arrived in: a long line in small chunks is searched for
  // '\n' and joined once, not re-concatenated and re-scanned per chunk (that was quadratic).
  let carry: string[] = [];
  let carryChars = 0;
  const stopEarly = () => done && options.limit !== undefined; // limit reached: read no further
  try {
    for await (const chunk of stream.chunks()) {
      const text = decoder.decode(chunk, { stream: true });
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0 && !stopEarly(); nl = text.indexOf('\n', start)) {
        const line = carryChars ? carry.join('') + text.slice(start, nl) : text.slice(start, nl);
        carry = [];
        carryChars = 0;
        processLine(line);
        bytesBefore += utf8Length(line) + 1;
        start = nl + 1;
      }
      if (stopEarly()) break;
      if (start < text.length) {
        carry.push(start === 0 ? text : text.slice(start));
        carryChars += text.length - start;
      }
      if (carryChars > MAX_LINE_CHARS) throw badFormat(name, `line ${lineNo + 1}`, `longer than ${MAX_LINE_CHARS} characters: not a text vectors file`);
    }
    if (!stopEarly()) {
      const last = carry.join('') + decoder.decode();
      if (last.length) processLine(last);
    }
  } finally {
    await stream.close();
  }

  if (options.header && declared < 0) throw badFormat(name, `line ${lineNo + 1}`, 'the file is empty (no "words dims" header)');
  if (!table) throw badFormat(name, `line ${lineNo + 1}`, 'the file has no vectors');
  const t = table as VectorTable;
  if (options.header && t.rows < target) {
    throw badFormat(name, `line ${lineNo + 1}`, `unexpected end of data: the header declares ${declared} words but the file has ${t.rows}`);
  }
  if (extraLines > 0 && options.limit === undefined) {
    warnings.push(`${name}: ${extraLines} lines after the ${declared} words the header declares were ignored`);
  }
  if (replacedWords > 20) warnings.push(`${name}: ${replacedWords} words in all contain U+FFFD`);
  return { words: t.words, vectors: t.finish(), dim, index: t.index, warnings };
}

function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    // 2 bytes below U+0800; each surrogate half 2 (4 per pair); other BMP characters 3.
    n += c < 0x800 || (c >= 0xd800 && c <= 0xdfff) ? 1 : 2;
  }
  return n;
}

/**
 * The shortest decimal (at most 9 significant digits) that reads back as exactly this float32, so
 * text round trips are bit-identical; -0 keeps its sign.
 */
export function formatFloat32(v: number): string {
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  for (let p = 6; p < 9; p++) {
    const s = v.toPrecision(p);
    if (Math.fround(Number(s)) === v) return trimZeros(s);
  }
  return trimZeros(v.toPrecision(9));
}

function trimZeros(s: string): string {
  const e = s.indexOf('e');
  let mant = e < 0 ? s : s.slice(0, e);
  const exp = e < 0 ? '' : s.slice(e);
  if (mant.includes('.')) {
    let j = mant.length;
    while (mant.charCodeAt(j - 1) === 48) j--;
    if (mant.charCodeAt(j - 1) === 46) j--;
    mant = mant.slice(0, j);
  }
  return mant + exp;
}

export function* writeTextVectors(data: VectorData, format: TextFormat): Generator<Uint8Array> {
  checkWordsForText(data.words, format);
  const { words, vectors, dim } = data;
  const out = new ChunkWriter();
  if (format !== 'glove') out.text(`${words.length} ${dim}\n`);
  const tail = format === 'vec' ? ' \n' : '\n';
  for (let r = 0; r < words.length; r++) {
    let line = words[r];
    const base = r * dim;
    for (let k = 0; k < dim; k++) line += ' ' + formatFloat32(vectors[base + k]);
    out.text(line + tail);
    if (out.full) yield out.take();
  }
  yield out.take();
}
