import { Wasm2VecError } from '../../errors.js';
import type { ByteStream } from '../byte-source.js';
import { FLOAT16_MAX, float16Table, toFloat16Bits } from './float16.js';
import { VectorTable, badFormat, checkDim, checkMatrixFits, unconfirmedRows, type LoadedVectors } from './vector-table.js';
import type { VectorData } from './vector-data.js';

/**
 * wasm2vec's own compact binary format: everything needed to query (words in rank order, optional
 * counts, float32 or float16 weights) in a layout that loads with a few large copies, plus a checksum.
 *
 *   offset  size                 field (little-endian)
 *   0       8                    magic 89 57 32 56 0D 0A 1A 0A ("\x89W2V\r\n\x1a\n", PNG-style)
 *   8       4                    version = 1
 *   12      4                    dtype: 1 = float32, 2 = float16
 *   16      4                    flags: bit 0 = counts present
 *   20      4                    rows
 *   24      4                    dim
 *   28      4                    wordBytes: length of the words block
 *   32      wordBytes            words, UTF-8, each followed by '\n'; zero padding to a multiple of 8
 *   …       rows × 8             counts as float64 (only with flag bit 0)
 *   …       rows × dim × 4|2     weights, row-major; zero padding to a multiple of 4
 *   end-4   4                    checksum: FNV-1a (32-bit) over all preceding bytes taken as u32 words
 */

export const MAGIC = [0x89, 0x57, 0x32, 0x56, 0x0d, 0x0a, 0x1a, 0x0a];
const VERSION = 1;
const HEADER = 32;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
export type Wasm2VecDtype = 'float32' | 'float16';

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const pad = (n: number, to: number) => (to - (n % to)) % to;

/** FNV-1a over u32 little-endian words, fed in arbitrary slices (a partial word is carried over). */
class WordHash {
  h = FNV_OFFSET;
  private carry = new Uint8Array(4);
  private carried = 0;

  update(b: Uint8Array): void {
    let i = 0;
    if (this.carried) {
      while (this.carried < 4 && i < b.length) this.carry[this.carried++] = b[i++];
      if (this.carried < 4) return;
      this.word(this.carry[0] | (this.carry[1] << 8) | (this.carry[2] << 16) | (this.carry[3] << 24));
      this.carried = 0;
    }
    const n4 = i + ((b.length - i) & ~3);
    let h = this.h;
    if (littleEndian && ((b.byteOffset + i) & 3) === 0) {
      const w = new Uint32Array(b.buffer, b.byteOffset + i, (n4 - i) >> 2);
      for (let k = 0; k < w.length; k++) h = Math.imul(h ^ w[k], FNV_PRIME);
    } else {
      for (let k = i; k < n4; k += 4) h = Math.imul(h ^ (b[k] | (b[k + 1] << 8) | (b[k + 2] << 16) | (b[k + 3] << 24)), FNV_PRIME);
    }
    this.h = h;
    for (let k = n4; k < b.length; k++) this.carry[this.carried++] = b[k];
  }

  private word(w: number): void {
    this.h = Math.imul(this.h ^ w, FNV_PRIME);
  }

  get value(): number {
    return this.h >>> 0;
  }
}

export function isWasm2VecFormat(head: Uint8Array): boolean {
  return head.length >= MAGIC.length && MAGIC.every((b, i) => head[i] === b);
}

export interface Wasm2VecReadOptions {
  limit?: number;
}

interface Section {
  name: string;
  bytes: number;
  sink: (slice: Uint8Array, done: number) => void;
  end?: () => void;
  hashed: boolean;
}

export async function readWasm2VecFormat(stream: ByteStream, options: Wasm2VecReadOptions = {}): Promise<LoadedVectors> {
  if (!littleEndian) throw new Wasm2VecError('UNSUPPORTED', 'the wasm2vec format is little-endian; this host is big-endian');
  const name = stream.name;
  const hash = new WordHash();
  const warnings: string[] = [];
  const sections: Section[] = [];
  let rows = 0,
    dim = 0,
    dtype = 1,
    hasCounts = false,
    wordBytes = 0,
    target = 0;
  let table: VectorTable | null = null;
  let counts: Float64Array | undefined;
  let stored = 0;
  let offset = 0; // absolute offset of the current section's first byte
  const header = new Uint8Array(HEADER);
  let wordsBlock: Uint8Array | null = null;

  const parseHeader = () => {
    if (!isWasm2VecFormat(header)) throw badFormat(name, 'byte 0', 'not a wasm2vec file (bad magic)');
    const v = new DataView(header.buffer);
    const version = v.getUint32(8, true);
    if (version !== VERSION) throw badFormat(name, 'byte 8', `format version ${version} is not supported (this library reads version ${VERSION})`);
    dtype = v.getUint32(12, true);
    if (dtype !== 1 && dtype !== 2) throw badFormat(name, 'byte 12', `unknown dtype ${dtype} (1 = float32, 2 = float16)`);
    const flags = v.getUint32(16, true);
    if (flags & ~1) throw badFormat(name, 'byte 16', `unknown flags 0x${flags.toString(16)}`);
    hasCounts = (flags & 1) === 1;
    rows = v.getUint32(20, true);
    dim = v.getUint32(24, true);
    checkDim(name, 'byte 24', dim);
    wordBytes = v.getUint32(28, true);
    if (wordBytes < rows * 2) throw badFormat(name, 'byte 28', `words block of ${wordBytes} bytes cannot hold ${rows} words`);
    const bpv = dtype === 1 ? 4 : 2;
    const weightBytes = rows * dim * bpv;
    const total = HEADER + wordBytes + pad(wordBytes, 8) + (hasCounts ? rows * 8 : 0) + weightBytes + pad(weightBytes, 4) + 4;
    if (stream.size !== undefined && total !== stream.size) {
      throw badFormat(
        name,
        'header',
        `declares ${rows} words × ${dim} dims (${total} bytes in all) but the file has ${stream.size} bytes` +
          (total > stream.size ? '; it is truncated or the header is wrong' : ''),
      );
    }
    target = options.limit === undefined ? rows : Math.min(rows, options.limit);
    checkMatrixFits(name, target, dim);
    // The words block is kept whole (it is small next to the weights) and allocated from the header
    // only when the file's size confirmed it; otherwise it grows as bytes arrive.
    const known = stream.size !== undefined;
    wordsBlock = known ? new Uint8Array(wordBytes) : new Uint8Array(Math.min(wordBytes, 1 << 16));
    let wordsFilled = 0;
    sections.push({
      name: 'words',
      bytes: wordBytes,
      hashed: true,
      sink: (s) => {
        if (wordsFilled + s.length > wordsBlock!.length) {
          const g = new Uint8Array(Math.min(wordBytes, Math.max(wordsBlock!.length * 2, wordsFilled + s.length)));
          g.set(wordsBlock!.subarray(0, wordsFilled));
          wordsBlock = g;
        }
        wordsBlock!.set(s, wordsFilled);
        wordsFilled += s.length;
      },
      end: () => splitWords(),
    });
    sections.push({ name: 'padding', bytes: pad(wordBytes, 8), hashed: true, sink: checkZero });
    if (hasCounts) {
      // Allocated when the section starts: by then the words block (2+ bytes per row) has really arrived.
      let countBytes: Uint8Array | null = null;
      const countsOf = () => (countBytes ??= new Uint8Array(target * 8));
      sections.push({
        name: 'counts',
        bytes: rows * 8,
        hashed: true,
        sink: (s, done) => {
          const c = countsOf();
          if (done < c.length) c.set(s.subarray(0, Math.min(s.length, c.length - done)), done);
        },
        end: () => {
          counts = new Float64Array(countsOf().buffer);
          for (let i = 0; i < counts.length; i++) {
            if (!(counts[i] >= 0 && counts[i] <= Number.MAX_VALUE)) throw badFormat(name, `byte ${offset + i * 8}`, `count of word ${i + 1} is ${counts[i]}`);
          }
        },
      });
    }
    const f16 = dtype === 2 ? float16Table() : null;
    let odd = -1; // a float16 low byte waiting for its high byte
    sections.push({
      name: 'weights',
      bytes: weightBytes,
      hashed: true,
      sink: (s, done) => {
        const t = table!;
        const keep = target * dim * bpv;
        if (done >= keep) return;
        s = s.subarray(0, Math.min(s.length, keep - done));
        t.reserve(Math.ceil((done + s.length) / (dim * bpv)));
        if (!f16) {
          const m = t.matrix;
          new Uint8Array(m.buffer, m.byteOffset, m.byteLength).set(s, done);
          return;
        }
        const m = t.matrix;
        let k = done >> 1;
        let i = 0;
        if (odd >= 0) {
          m[k++] = f16[odd | (s[0] << 8)];
          i = 1;
          odd = -1;
        }
        for (; i + 1 < s.length; i += 2) m[k++] = f16[s[i] | (s[i + 1] << 8)];
        if (i < s.length) odd = s[i];
      },
      end: () => checkFinite(),
    });
    sections.push({ name: 'padding', bytes: pad(weightBytes, 4), hashed: true, sink: checkZero });
    sections.push({
      name: 'checksum',
      bytes: 4,
      hashed: false,
      sink: (s, done) => {
        for (let i = 0; i < s.length; i++) stored |= s[i] << (8 * (done + i));
      },
      end: () => {
        if (stored >>> 0 !== hash.value) {
          throw badFormat(
            name,
            `byte ${offset}`,
            `checksum mismatch (stored ${(stored >>> 0).toString(16)}, computed ${hash.value.toString(16)}): the file is corrupt`,
          );
        }
      },
    });
  };

  const checkZero = (s: Uint8Array) => {
    for (let i = 0; i < s.length; i++) if (s[i] !== 0) throw badFormat(name, `byte ${offset + i}`, 'nonzero padding byte: the file is corrupt');
  };

  const splitWords = () => {
    const block = wordsBlock!.subarray(0, wordBytes);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(block);
    } catch {
      throw badFormat(name, `byte ${HEADER}`, 'the words block is not valid UTF-8: the file is corrupt');
    }
    wordsBlock = null;
    // From a stream (length unknown) rows are reserved as their weights arrive, not from the header's claim.
    const known = stream.size !== undefined;
    table = new VectorTable(name, dim, known ? target : unconfirmedRows(target, dim), target, !known);
    let start = 0;
    for (let r = 0; r < rows; r++) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) throw badFormat(name, `byte ${HEADER}`, `the words block holds ${r} words, the header declares ${rows}`);
      const word = text.slice(start, nl);
      if (!word) throw badFormat(name, `byte ${HEADER}`, `word ${r + 1} is empty`);
      if (r < target) table.add(word, `word ${r + 1}`, (p) => `word ${p + 1}`);
      start = nl + 1;
    }
    if (start !== text.length) throw badFormat(name, `byte ${HEADER}`, `the words block holds more than the ${rows} words the header declares`);
  };

  const checkFinite = () => {
    const m = table!.matrix;
    for (let i = 0; i < target * dim; i++) {
      if (m[i] - m[i] !== 0) {
        const r = Math.floor(i / dim);
        throw badFormat(
          name,
          'weights',
          `${m[i] !== m[i] ? 'NaN' : 'an infinite value'} in dimension ${(i % dim) + 1} of word ${JSON.stringify(table!.words[r])} (row ${r + 1})`,
        );
      }
    }
  };

  let headerFilled = 0;
  let current = -1; // index into sections; -1 = header
  let done = 0; // bytes of the current section consumed
  let limited = false;
  try {
    outer: for await (const chunk of stream.chunks()) {
      let p = 0;
      while (p < chunk.length) {
        if (current === -1) {
          const take = Math.min(HEADER - headerFilled, chunk.length - p);
          header.set(chunk.subarray(p, p + take), headerFilled);
          headerFilled += take;
          p += take;
          if (headerFilled === HEADER) {
            hash.update(header);
            parseHeader();
            current = 0;
            done = 0;
            offset = HEADER;
          }
          continue;
        }
        if (current >= sections.length) {
          throw badFormat(name, `byte ${offset}`, `${chunk.length - p} unexpected bytes after the checksum`);
        }
        const s = sections[current];
        const take = Math.min(s.bytes - done, chunk.length - p);
        const slice = chunk.subarray(p, p + take);
        if (s.hashed) hash.update(slice);
        s.sink(slice, done);
        done += take;
        p += take;
        if (done === s.bytes) {
          s.end?.();
          offset += s.bytes;
          current++;
          done = 0;
          // With a limit the rest (and so the checksum) is skipped: stop once the kept rows are in.
          if (s.name === 'weights' && target < rows) {
            limited = true;
            break outer;
          }
          while (current < sections.length && sections[current].bytes === 0) {
            sections[current].end?.();
            current++;
          }
        }
      }
    }
  } finally {
    await stream.close();
  }
  if (current === -1) {
    throw badFormat(name, `byte ${headerFilled}`, headerFilled === 0 ? 'the file is empty' : 'the file ends inside the 32-byte header');
  }
  if (current < sections.length && !limited) {
    throw badFormat(name, `byte ${offset + done}`, `unexpected end of data inside the ${sections[current].name} section`);
  }
  if (limited) warnings.push(`${name}: read the first ${target} of ${rows} words; the checksum was not verified`);
  const t = table as unknown as VectorTable;
  return { words: t.words, vectors: t.finish(), dim, counts, index: t.index, warnings };
}

export interface Wasm2VecWriteOptions {
  dtype?: Wasm2VecDtype;
}

export function* writeWasm2VecFormat(data: VectorData, options: Wasm2VecWriteOptions = {}): Generator<Uint8Array> {
  if (!littleEndian) throw new Wasm2VecError('UNSUPPORTED', 'the wasm2vec format is little-endian; this host is big-endian');
  const { words, vectors, dim, counts } = data;
  const dtype = options.dtype ?? 'float32';
  const rows = words.length;
  for (let i = 0; i < rows; i++) {
    if (!words[i] || words[i].includes('\n')) {
      throw new Wasm2VecError('UNSUPPORTED', `cannot write word ${JSON.stringify(words[i])} (row ${i + 1}): words must be non-empty and free of newlines`);
    }
  }
  const hash = new WordHash();
  const emit = (b: Uint8Array) => {
    hash.update(b);
    return b;
  };
  const encoded = new TextEncoder().encode(words.join('\n') + (rows ? '\n' : ''));
  const header = new Uint8Array(HEADER);
  header.set(MAGIC);
  const v = new DataView(header.buffer);
  v.setUint32(8, VERSION, true);
  v.setUint32(12, dtype === 'float32' ? 1 : 2, true);
  v.setUint32(16, counts ? 1 : 0, true);
  v.setUint32(20, rows, true);
  v.setUint32(24, dim, true);
  v.setUint32(28, encoded.length, true);
  yield emit(header);
  yield emit(encoded);
  yield emit(new Uint8Array(pad(encoded.length, 8)));
  if (counts) yield emit(new Uint8Array(counts.buffer.slice(counts.byteOffset, counts.byteOffset + rows * 8)));
  const total = rows * dim;
  const CHUNK_VALUES = 1 << 18;
  if (dtype === 'float32') {
    for (let i = 0; i < total; i += CHUNK_VALUES) {
      const part = vectors.subarray(i, Math.min(total, i + CHUNK_VALUES));
      yield emit(new Uint8Array(part.buffer.slice(part.byteOffset, part.byteOffset + part.byteLength)));
    }
    yield emit(new Uint8Array(0));
  } else {
    for (let i = 0; i < total; i += CHUNK_VALUES) {
      const n = Math.min(total, i + CHUNK_VALUES) - i;
      const out = new Uint16Array(n);
      for (let k = 0; k < n; k++) {
        const x = vectors[i + k];
        if (!(Math.abs(x) <= FLOAT16_MAX)) {
          const r = Math.floor((i + k) / dim);
          throw new Wasm2VecError(
            'UNSUPPORTED',
            `cannot store ${x} (word ${JSON.stringify(words[r])}, dimension ${((i + k) % dim) + 1}) as float16: ` +
              `the largest float16 is ${FLOAT16_MAX}; use dtype 'float32'`,
          );
        }
        out[k] = toFloat16Bits(x);
      }
      yield emit(new Uint8Array(out.buffer));
    }
    yield emit(new Uint8Array(pad(total * 2, 4)));
  }
  const sum = new Uint8Array(4);
  new DataView(sum.buffer).setUint32(0, hash.value, true);
  yield sum;
}
