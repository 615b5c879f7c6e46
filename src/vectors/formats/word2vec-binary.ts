import { Wasm2VecError } from '../../errors.js';
import type { ByteStream } from '../byte-source.js';
import { VectorTable, badFormat, checkDim, checkMatrixFits, unconfirmedRows, type LoadedVectors } from './vector-table.js';
import { type VectorData, ChunkWriter, checkWordsForText } from './vector-data.js';

/**
 * word2vec.c's binary layout (also GoogleNews-vectors-negative300.bin and gensim's
 * save_word2vec_format(binary=True)): an ASCII header "rows dim\n", then per word its UTF-8 bytes, one
 * space, and dim little-endian float32. word2vec.c writes a '\n' after each vector, gensim does not;
 * newlines before a word are skipped, as both tools do.
 */

const SPACE = 0x20;
const NEWLINE = 0x0a;
const MAX_HEADER = 256;
/** A word longer than this means a missing separator or a file that is not word2vec binary. */
const MAX_WORD_BYTES = 1 << 16;

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const ascii = new TextDecoder('latin1');
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');

export interface BinaryReadOptions {
  limit?: number;
}

/** Parses the header line ("rows dim") shared by both word2vec layouts; returns null when it is not one. */
export function parseCountHeader(line: string): { rows: number; dim: number } | null {
  const m = /^[ \t]*(\d{1,15})[ \t]+(\d{1,15})[ \t]*\r?$/.exec(line);
  return m ? { rows: Number(m[1]), dim: Number(m[2]) } : null;
}

export async function readWord2VecBinary(stream: ByteStream, options: BinaryReadOptions = {}): Promise<LoadedVectors> {
  if (!littleEndian) throw new Wasm2VecError('UNSUPPORTED', 'word2vec binary files are little-endian; this host is big-endian');
  const name = stream.name;
  const warnings: string[] = [];
  let table: VectorTable | null = null;
  let target = 0; // rows to read
  let declared = 0;
  let dim = 0;
  let rowBytes = 0;
  let bytes: Uint8Array = new Uint8Array(0); // byte view of the matrix (re-taken when it grows)

  let offset = 0; // absolute offset of chunk[0]
  // (cast: the state changes inside the helper closures, which TypeScript's narrowing does not see)
  let state = 'header' as 'header' | 'word' | 'vector' | 'done';
  const header: number[] = [];
  let word = new Uint8Array(64);
  let wordLen = 0;
  let wordStart = 0; // absolute offset of the current word's first byte
  let filled = 0; // bytes of the current vector copied
  let row = -1;
  let trailing = 0; // non-whitespace bytes after the last declared row
  let vectorStart = 0; // absolute offset of the current vector's first byte
  let entries = 0; // complete entries read (a skipped entry counts too)

  const finishHeader = (end: number) => {
    const text = ascii.decode(new Uint8Array(header));
    const h = parseCountHeader(text);
    if (!h) throw badFormat(name, 'line 1', `expected a "words dims" header, got ${JSON.stringify(text.slice(0, 60))}`);
    checkDim(name, 'header', h.dim);
    declared = h.rows;
    dim = h.dim;
    rowBytes = dim * 4;
    target = options.limit === undefined ? h.rows : Math.min(h.rows, options.limit);
    // Every entry needs at least a 1-byte word, a space and dim floats: check the claim against the
    // bytes that actually follow before allocating anything from it.
    const remaining = stream.size === undefined ? undefined : stream.size - end;
    const minBytes = target * (rowBytes + 2) - 1;
    if (remaining !== undefined && target > 0 && minBytes > remaining) {
      throw badFormat(
        name,
        'header',
        `claims ${h.rows} words × ${dim} dims (at least ${minBytes} bytes of entries) ` +
          `but only ${remaining} bytes follow; the file is truncated or the header is wrong`,
      );
    }
    checkMatrixFits(name, target, dim);
    // Unknown length (a stream, gzip): start small and grow as rows arrive.
    const initial = remaining === undefined ? unconfirmedRows(target, dim) : target;
    table = new VectorTable(name, dim, initial, target);
    bytes = new Uint8Array(table.matrix.buffer, table.matrix.byteOffset, table.matrix.byteLength);
    state = target === 0 ? 'done' : 'word';
  };

  const finishWord = () => {
    const raw = word.subarray(0, wordLen);
    let text: string;
    let replaced = false;
    let isAscii = true;
    for (let i = 0; i < raw.length; i++)
      if (raw[i] >= 0x80) {
        isAscii = false;
        break;
      }
    if (isAscii) text = ascii.decode(raw);
    else {
      try {
        text = strictUtf8.decode(raw);
      } catch {
        text = lenientUtf8.decode(raw);
        replaced = true;
      }
    }
    const entry = entries + 1;
    if (text.length === 0) throw badFormat(name, `byte ${wordStart}`, `empty word (entry ${entry}); two spaces in a row or a misaligned entry`);
    const where = `byte ${wordStart}`;
    filled = 0;
    wordLen = 0;
    state = 'vector';
    if (replaced) {
      warnings.push(`${name}: byte ${wordStart}: word ${entry} is not valid UTF-8; invalid bytes replaced by U+FFFD: ${JSON.stringify(text)}`);
      if (table!.index.has(text)) {
        // Two words that differ only in invalid bytes: keep the first rather than failing the load.
        warnings.push(`${name}: byte ${wordStart}: entry ${entry} skipped: after replacement it equals entry ${table!.index.get(text)! + 1}`);
        row = -1;
        return;
      }
    }
    row = table!.add(text, where, (r) => `entry ${r + 1}`);
    const m = table!.matrix;
    if (m.buffer !== bytes.buffer || m.byteLength !== bytes.byteLength) bytes = new Uint8Array(m.buffer, m.byteOffset, m.byteLength);
  };

  const finishVector = () => {
    entries++;
    state = entries >= target ? 'done' : 'word';
    if (row < 0) return;
    const m = table!.matrix;
    const base = row * dim;
    for (let i = 0; i < dim; i++) {
      const v = m[base + i];
      if (v - v !== 0) {
        throw badFormat(
          name,
          `byte ${vectorStart + i * 4}`,
          `${v !== v ? 'NaN' : 'an infinite value'} in dimension ${i + 1} ` + `of word ${JSON.stringify(table!.words[row])} (entry ${entries})`,
        );
      }
    }
  };

  try {
    outer: for await (const chunk of stream.chunks()) {
      let p = 0;
      const n = chunk.length;
      while (p < n) {
        switch (state) {
          case 'header': {
            const nl = chunk.indexOf(NEWLINE, p);
            const end = nl < 0 ? n : nl;
            for (let i = p; i < end; i++) header.push(chunk[i]);
            if (header.length > MAX_HEADER) throw badFormat(name, 'line 1', `no header line ("words dims") within ${MAX_HEADER} bytes`);
            p = end;
            if (nl >= 0) {
              p = nl + 1;
              finishHeader(offset + p);
            }
            break;
          }
          case 'word': {
            if (wordLen === 0) {
              while (p < n && chunk[p] === NEWLINE) p++; // word2vec.c's '\n' after the previous vector
              if (p === n) break;
              wordStart = offset + p;
            }
            const sp = chunk.indexOf(SPACE, p);
            const end = sp < 0 ? n : sp;
            const len = end - p;
            if (wordLen + len > MAX_WORD_BYTES) {
              throw badFormat(
                name,
                `byte ${wordStart}`,
                `no space after ${MAX_WORD_BYTES} bytes of entry ${entries + 1}'s word: ` +
                  'the file is not word2vec binary or an entry is misaligned (wrong dims in the header?)',
              );
            }
            if (wordLen + len > word.length) {
              const w = new Uint8Array(Math.max(word.length * 2, wordLen + len));
              w.set(word.subarray(0, wordLen));
              word = w;
            }
            word.set(chunk.subarray(p, end), wordLen);
            wordLen += len;
            p = end;
            if (sp >= 0) {
              p = sp + 1;
              vectorStart = offset + p;
              finishWord();
            }
            break;
          }
          case 'vector': {
            const take = Math.min(rowBytes - filled, n - p);
            if (row >= 0) bytes.set(chunk.subarray(p, p + take), row * rowBytes + filled);
            filled += take;
            p += take;
            if (filled === rowBytes) finishVector();
            break;
          }
          case 'done': {
            if (options.limit !== undefined && target < declared) break outer; // stop reading: limit reached
            for (; p < n; p++) {
              const c = chunk[p];
              if (c !== NEWLINE && c !== SPACE && c !== 0x0d && c !== 0x09) trailing++;
            }
            break;
          }
        }
      }
      offset += n;
    }
  } finally {
    await stream.close();
  }

  const at = `byte ${offset}`;
  if (state === 'header') throw badFormat(name, at, header.length ? 'the file ends inside the header line' : 'the file is empty');
  if (state === 'word' || state === 'vector') {
    const got = entries;
    throw badFormat(
      name,
      at,
      `unexpected end of data: the header declares ${declared} words × ${dim} dims, ` +
        `but the file ends ${state === 'vector' ? `inside the vector of entry ${got + 1} (${filled} of ${rowBytes} bytes)` : `after ${got} complete entries`}`,
    );
  }
  if (trailing > 0) warnings.push(`${name}: ${trailing} non-whitespace bytes after the ${declared} words the header declares were ignored`);
  const t = table as unknown as VectorTable;
  return { words: t.words, vectors: t.finish(), dim, index: t.index, warnings };
}

/** word2vec.c layout: header, then "word " + float32 LE + "\n" per row. */
export function* writeWord2VecBinary(data: VectorData): Generator<Uint8Array> {
  if (!littleEndian) throw new Wasm2VecError('UNSUPPORTED', 'word2vec binary files are little-endian; this host is big-endian');
  checkWordsForText(data.words, 'word2vec-binary');
  const { words, vectors, dim } = data;
  const out = new ChunkWriter();
  out.text(`${words.length} ${dim}\n`);
  const bytes = new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.byteLength);
  for (let r = 0; r < words.length; r++) {
    out.text(words[r] + ' ');
    out.bytes(bytes.subarray(r * dim * 4, (r + 1) * dim * 4));
    out.byte(NEWLINE);
    if (out.full) yield out.take();
  }
  yield out.take();
}
