import { Wasm2VecError } from '../../errors.js';

/** What every writer needs: words in row order, the row-major float32 matrix, optional counts. */
export interface VectorData {
  readonly words: readonly string[];
  readonly vectors: Float32Array;
  readonly dim: number;
  readonly counts?: Float64Array;
}

const CHUNK = 1 << 20;
const encoder = new TextEncoder();

/** Builds output in ~1 MiB chunks so a writer never holds a whole file. */
export class ChunkWriter {
  private buf = new Uint8Array(CHUNK + 4096);
  private len = 0;

  get full(): boolean {
    return this.len >= CHUNK;
  }

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const b = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
  }

  text(s: string): void {
    // UTF-8 needs at most 3 bytes per UTF-16 unit.
    this.room(s.length * 3);
    this.len += encoder.encodeInto(s, this.buf.subarray(this.len)).written;
  }

  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  byte(b: number): void {
    this.room(1);
    this.buf[this.len++] = b;
  }

  /** The bytes so far (a fresh array the caller owns); the writer starts empty again. */
  take(): Uint8Array {
    const out = this.buf.slice(0, this.len);
    this.len = 0;
    return out;
  }
}

/**
 * word2vec/GloVe files separate fields by spaces (text: also tabs) and rows by newlines, so such words
 * cannot be stored; binary only needs the word free of spaces and newlines.
 */
export function checkWordsForText(words: readonly string[], format: string): void {
  const forbidden = format === 'word2vec-binary' ? /[ \n]/ : /[ \t\n\r\v\f]/;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w.length === 0 || forbidden.test(w)) {
      throw new Wasm2VecError(
        'UNSUPPORTED',
        `cannot write word ${JSON.stringify(w)} (row ${i + 1}) in ${format} format: words there cannot be empty or contain ` +
          "whitespace; use format 'wasm2vec', which stores any word",
      );
    }
  }
}
