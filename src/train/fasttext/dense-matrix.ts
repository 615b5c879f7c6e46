import { type ByteCursor, badField } from './byte-cursor.js';

/**
 * A row-major float32 matrix (fastText's DenseMatrix). `data` may be a view the caller provided (for
 * example into a WebAssembly memory), so the reader fills it in place and nothing is copied after.
 * Arithmetic is float32 in fastText's order, so vectors come out bit for bit as fastText computes them.
 */
export class DenseMatrix {
  readonly kind = 'dense';
  constructor(
    readonly rows: number,
    readonly dim: number,
    readonly data: Float32Array,
  ) {}

  /** x += row i (DenseMatrix::addRowToVector). */
  addRowToVector(x: Float32Array, i: number): void {
    const d = this.data;
    const base = i * this.dim;
    for (let j = 0; j < this.dim; j++) x[j] += d[base + j];
  }

  /** Row i · x, accumulated in float32 from 0 (DenseMatrix::dotRow). */
  dotRow(x: Float32Array, i: number): number {
    const d = this.data;
    const base = i * this.dim;
    let s = 0;
    for (let j = 0; j < this.dim; j++) s = Math.fround(s + Math.fround(d[base + j] * x[j]));
    return s;
  }
}

/**
 * Reads rows × dim little-endian float32 at the cursor into the array `allocate()` returns, refusing
 * NaN and infinite weights with the byte offset, row and column (`rowName` says what a row is). From a
 * source of known size (already checked to hold the data) the bytes go straight into the array; from
 * one of unknown size they are collected first, so nothing of the claimed size is allocated before
 * the data has arrived.
 */
export async function readDenseData(
  cur: ByteCursor,
  field: string,
  rows: number,
  dim: number,
  allocate: () => Float32Array,
  rowName: (row: number) => string,
): Promise<DenseMatrix> {
  const start = cur.offset;
  const n = rows * dim;
  const pieces = cur.size === undefined ? await cur.collect(n * 4, field) : null;
  const target = allocate();
  const bytes = new Uint8Array(target.buffer, target.byteOffset, n * 4);
  let checked = 0;
  const scan = (filled: number) => {
    const upTo = Math.floor(filled / 4);
    for (let i = checked; i < upTo; i++) {
      const v = target[i];
      if (v - v !== 0) {
        const row = Math.floor(i / dim);
        throw badField(cur.name, start + i * 4, field, `${v !== v ? 'NaN' : 'an infinite value'} in row ${row} (${rowName(row)}), column ${i % dim}`);
      }
    }
    checked = upTo;
  };
  if (pieces) {
    let o = 0;
    for (const p of pieces) {
      bytes.set(p, o);
      o += p.length;
    }
    scan(o);
  } else {
    await cur.readInto(bytes, field, scan);
  }
  return new DenseMatrix(rows, dim, target);
}

/** The matrix in fastText's layout: int64 rows, int64 dim, then the floats (views, no copy). */
export function* denseChunks(m: DenseMatrix): Generator<Uint8Array> {
  const head = new Uint8Array(16);
  const v = new DataView(head.buffer);
  v.setBigInt64(0, BigInt(m.rows), true);
  v.setBigInt64(8, BigInt(m.dim), true);
  yield head;
  const n = m.rows * m.dim;
  const SLICE = 4 << 20; // floats per piece (16 MiB)
  for (let o = 0; o < n; o += SLICE) {
    const len = Math.min(SLICE, n - o);
    // Little-endian hosts only (the reader and writer refuse others), so the floats are the file's bytes.
    yield new Uint8Array(m.data.buffer, m.data.byteOffset + o * 4, len * 4);
  }
}
