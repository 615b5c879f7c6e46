import { type ByteCursor, badField } from './byte-cursor.js';
import { KSUB, PQ_HEADER_BYTES, type ProductQuantizer, pqBytes, readProductQuantizer } from './product-quantizer.js';

/** Bytes of QuantMatrix::save's header: bool qnorm, int64 rows, int64 dim, int32 codesize. */
export const QUANT_HEADER_BYTES = 21;

export interface QuantHeader {
  qnorm: boolean;
  rows: number;
  dim: number;
  codesize: number;
}

/**
 * fastText's QuantMatrix (quantmatrix.cc), what `fasttext quantize` writes to a .ftz: each row is
 * product-quantized codes; with qnorm the rows were normalised before quantizing and each row's norm
 * is itself quantized (one byte into a 256-value table) and multiplied back in.
 */
export class QuantMatrix {
  readonly kind = 'quantized';
  constructor(
    readonly rows: number,
    readonly dim: number,
    readonly qnorm: boolean,
    readonly codes: Uint8Array,
    readonly pq: ProductQuantizer,
    readonly normCodes: Uint8Array | null,
    readonly normPq: ProductQuantizer | null,
  ) {}

  /** The row's quantized norm, or 1 (QuantMatrix::addRowToVector / dotRow). */
  private norm(i: number): number {
    return this.normPq ? this.normPq.centroids[this.normPq.centroidOffset(0, this.normCodes![i])] : 1;
  }

  addRowToVector(x: Float32Array, i: number): void {
    this.pq.addCode(x, this.codes, i, this.norm(i));
  }

  dotRow(x: Float32Array, i: number): number {
    return this.pq.mulCode(x, this.codes, i, this.norm(i));
  }

  /** Bytes it occupies (codes, centroids, norms). */
  get byteLength(): number {
    return this.codes.length + this.pq.centroids.byteLength + (this.normCodes?.length ?? 0) + (this.normPq?.centroids.byteLength ?? 0);
  }
}

/** Reads the 21-byte header at the cursor (already available) and checks it against the expected shape. */
export function readQuantHeader(cur: ByteCursor, field: string, rows: number, dim: number, rowsWhy: string): QuantHeader {
  const name = cur.name;
  const at = cur.offset;
  const qnormByte = cur.uint8();
  const m = cur.int64();
  const n = cur.int64();
  const codesize = cur.int32();
  if (qnormByte > 1) throw badField(name, at, `${field} qnorm`, `${qnormByte} is not a bool (0 or 1)`);
  if (m !== rows) throw badField(name, at + 1, `${field} rows`, `${m}, expected ${rows} (${rowsWhy})`);
  if (n !== dim) throw badField(name, at + 9, `${field} columns`, `${n}, expected args.dim ${dim}`);
  // One to dim codes per row (dsub is 1..dim); the exact count is checked once the quantizer is read.
  if (codesize < rows || codesize > rows * dim) throw badField(name, at + 17, `${field} codesize`, `${codesize} codes for ${rows} rows × ${dim} columns`);
  return { qnorm: qnormByte === 1, rows, dim, codesize };
}

/** Least bytes the matrix body after the header needs (codes, quantizer(s), norm codes). */
export function quantBodyBytes(h: QuantHeader): number {
  return h.codesize + PQ_HEADER_BYTES + h.dim * KSUB * 4 + (h.qnorm ? h.rows + PQ_HEADER_BYTES + KSUB * 4 : 0);
}

/** Reads codes, quantizer and (qnorm) norm codes and norm quantizer after the header. */
export async function readQuantBody(cur: ByteCursor, field: string, h: QuantHeader): Promise<QuantMatrix> {
  const name = cur.name;
  const remaining = cur.remaining;
  const need = quantBodyBytes(h);
  if (remaining !== undefined && need > remaining) {
    throw badField(
      name,
      cur.offset,
      field,
      `${h.rows} rows × ${h.dim} columns quantized (${h.codesize} codes${h.qnorm ? ', with norms' : ''}) ` + `need ${need} bytes, but only ${remaining} follow`,
    );
  }
  const codesAt = cur.offset;
  const codes = cur.size === undefined ? concat(await cur.collect(h.codesize, `${field} codes`), h.codesize) : new Uint8Array(h.codesize);
  if (cur.size !== undefined) await cur.readInto(codes, `${field} codes`);
  const pq = await readProductQuantizer(cur, `${field} quantizer`, h.dim);
  if (h.codesize !== h.rows * pq.nsubq) {
    throw badField(name, codesAt - 4, `${field} codesize`, `${h.codesize}, but ${h.rows} rows × ${pq.nsubq} sub-quantizers need ${h.rows * pq.nsubq}`);
  }
  let normCodes: Uint8Array | null = null;
  let normPq: ProductQuantizer | null = null;
  if (h.qnorm) {
    normCodes = new Uint8Array(h.rows);
    await cur.readInto(normCodes, `${field} norm codes`);
    normPq = await readProductQuantizer(cur, `${field} norm quantizer`, 1);
  }
  return new QuantMatrix(h.rows, h.dim, h.qnorm, codes, pq, normCodes, normPq);
}

function concat(pieces: Uint8Array[], n: number): Uint8Array {
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of pieces) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** QuantMatrix::save's layout. */
export function* quantChunks(q: QuantMatrix): Generator<Uint8Array> {
  const head = new Uint8Array(QUANT_HEADER_BYTES);
  const v = new DataView(head.buffer);
  head[0] = q.qnorm ? 1 : 0;
  v.setBigInt64(1, BigInt(q.rows), true);
  v.setBigInt64(9, BigInt(q.dim), true);
  v.setInt32(17, q.codes.length, true);
  yield head;
  yield q.codes;
  yield* pqBytes(q.pq);
  if (q.qnorm) {
    yield q.normCodes!;
    yield* pqBytes(q.normPq!);
  }
}
