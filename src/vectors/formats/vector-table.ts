import { Wasm2VecError } from '../../errors.js';
import { MAX_BYTES, formatBytes } from '../../runtime/memory-layout.js';

/** Largest vector dimension any reader accepts: far above real models, far below a lying header. */
export const MAX_DIM = 100_000;

/** What every reader produces: words in file order, their rows, and what it had to say about the file. */
export interface LoadedVectors {
  words: string[];
  vectors: Float32Array;
  dim: number;
  counts?: Float64Array;
  /** word -> row, already checked for duplicates (so Embeddings need not build it again). */
  index: Map<string, number>;
  warnings: string[];
}

/** A BAD_FORMAT error that names the input and where in it the problem is (line or byte offset). */
export function badFormat(source: string, where: string, problem: string): Wasm2VecError {
  return new Wasm2VecError('BAD_FORMAT', `${source}: ${where}: ${problem}`);
}

/** Refuses (MEMORY_LIMIT) a matrix that cannot live in wasm32 memory, before anything is allocated. */
export function checkMatrixFits(source: string, rows: number, dim: number): void {
  const bytes = rows * dim * 4;
  if (bytes > MAX_BYTES) {
    throw new Wasm2VecError(
      'MEMORY_LIMIT',
      `${source}: ${rows.toLocaleString('en-US')} words × ${dim} dims need ${formatBytes(bytes)} as float32, ` +
        'more than the 4 GiB a wasm32 memory can hold; load fewer words with { limit }',
    );
  }
}

/** Validates a header's dimension (shared by every format that has one). */
export function checkDim(source: string, where: string, dim: number): void {
  if (!Number.isSafeInteger(dim) || dim < 1) throw badFormat(source, where, `dimension ${dim} is invalid (must be at least 1)`);
  if (dim > MAX_DIM) throw badFormat(source, where, `dimension ${dim} is larger than the supported maximum ${MAX_DIM}`);
}

/** Storage a source of unknown length gets before any row arrives, and the least it grows by (4 MiB). */
const UNCONFIRMED_BYTES = 4 * 1024 * 1024;

/**
 * Rows to preallocate when the source's length is unknown (a stream, gzip): a header's claim is not
 * evidence, so start from a few MiB whatever it says and let rows that really arrive grow the table.
 */
export function unconfirmedRows(rows: number, dim: number): number {
  return Math.min(rows, Math.max(1, Math.floor(UNCONFIRMED_BYTES / (dim * 4))));
}

/**
 * Rows as they are read: a word registry that rejects duplicates, and a float32 matrix that is either
 * allocated once at its checked final size or grown geometrically (sources of unknown length) up to a
 * cap, never from an unchecked claim.
 */
export class VectorTable {
  readonly words: string[] = [];
  readonly index = new Map<string, number>();
  private data: Float32Array;

  /**
   * `deferStorage`: words are registered without reserving their rows; the reader calls reserve() as
   * the row data arrives (a format that lists all words before any vector, read from a stream).
   */
  constructor(
    private readonly source: string,
    readonly dim: number,
    initialRows: number,
    private readonly maxRows: number,
    private readonly deferStorage = false,
  ) {
    checkMatrixFits(source, Math.min(initialRows, maxRows), dim);
    this.data = new Float32Array(Math.max(0, Math.min(initialRows, maxRows)) * dim);
  }

  get rows(): number {
    return this.words.length;
  }

  /** Registers the next row's word; throws BAD_FORMAT naming both places when it is a duplicate. */
  add(word: string, where: string, firstSeen?: (row: number) => string): number {
    const prev = this.index.get(word);
    if (prev !== undefined) {
      throw badFormat(this.source, where, `duplicate word ${JSON.stringify(word)} (first at ${firstSeen ? firstSeen(prev) : `row ${prev + 1}`})`);
    }
    const row = this.words.length;
    if (row >= this.maxRows) throw badFormat(this.source, where, `more than ${this.maxRows} rows`);
    if (!this.deferStorage) this.ensure(row + 1);
    this.index.set(word, row);
    this.words.push(word);
    return row;
  }

  /** The matrix storage (valid until the next add). */
  get matrix(): Float32Array {
    return this.data;
  }

  /** Makes room for `rows` rows (geometric growth, capped at maxRows). */
  reserve(rows: number): void {
    this.ensure(Math.min(rows, this.maxRows));
  }

  private ensure(rows: number): void {
    const need = rows * this.dim;
    if (need <= this.data.length) return;
    const cap = Math.min(this.maxRows, Math.max(rows, Math.ceil((this.data.length / this.dim) * 1.5) + unconfirmedRows(Infinity, this.dim)));
    checkMatrixFits(this.source, cap, this.dim);
    const grown = new Float32Array(cap * this.dim);
    grown.set(this.data);
    this.data = grown;
  }

  /** The final matrix: a copy only when more than 1/8 of the storage is unused. */
  finish(): Float32Array {
    const used = this.rows * this.dim;
    if (used === this.data.length) return this.data;
    if (this.data.length - used > this.data.length / 8) return this.data.slice(0, used);
    return this.data.subarray(0, used);
  }
}
