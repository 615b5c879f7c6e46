import { type ByteCursor, badField } from './byte-cursor.js';

/** fastText's ProductQuantizer uses 8-bit codes: 256 centroids per sub-quantizer. */
export const KSUB = 256;
export const PQ_HEADER_BYTES = 16;

/**
 * fastText's ProductQuantizer (productquantizer.cc) as loaded: the dim coordinates are split into nsubq
 * blocks of dsub (the last block has lastdsub), each with 256 centroids; a row is one byte per block.
 * Centroid layout: block m < nsubq-1 at (m·256 + code)·dsub, the last at m·256·dsub + code·lastdsub.
 */
export class ProductQuantizer {
  constructor(
    readonly dim: number,
    readonly nsubq: number,
    readonly dsub: number,
    readonly lastdsub: number,
    readonly centroids: Float32Array,
  ) {}

  centroidOffset(m: number, code: number): number {
    return m === this.nsubq - 1 ? m * KSUB * this.dsub + code * this.lastdsub : (m * KSUB + code) * this.dsub;
  }

  /** x += alpha · decoded row t (ProductQuantizer::addcode; float32, fastText's order). */
  addCode(x: Float32Array, codes: Uint8Array, t: number, alpha: number): void {
    const c = this.centroids;
    const base = this.nsubq * t;
    let d = this.dsub;
    for (let m = 0; m < this.nsubq; m++) {
      const o = this.centroidOffset(m, codes[base + m]);
      if (m === this.nsubq - 1) d = this.lastdsub;
      const xo = m * this.dsub;
      for (let n = 0; n < d; n++) x[xo + n] += Math.fround(alpha * c[o + n]);
    }
  }

  /** alpha · (decoded row t · x) (ProductQuantizer::mulcode). */
  mulCode(x: Float32Array, codes: Uint8Array, t: number, alpha: number): number {
    const c = this.centroids;
    const base = this.nsubq * t;
    let d = this.dsub;
    let res = 0;
    for (let m = 0; m < this.nsubq; m++) {
      const o = this.centroidOffset(m, codes[base + m]);
      if (m === this.nsubq - 1) d = this.lastdsub;
      const xo = m * this.dsub;
      for (let n = 0; n < d; n++) res = Math.fround(res + Math.fround(x[xo + n] * c[o + n]));
    }
    return Math.fround(res * alpha);
  }
}

/**
 * Reads a ProductQuantizer (ProductQuantizer::save: int32 dim, nsubq, dsub, lastdsub, then dim·256
 * float32 centroids) and checks its geometry against the `dim` the matrix declared.
 */
export async function readProductQuantizer(cur: ByteCursor, field: string, dim: number): Promise<ProductQuantizer> {
  const name = cur.name;
  const start = cur.offset;
  await cur.need(PQ_HEADER_BYTES, `${field} header`);
  const pqDim = cur.int32();
  const nsubq = cur.int32();
  const dsub = cur.int32();
  const lastdsub = cur.int32();
  if (pqDim !== dim) throw badField(name, start, `${field} dim`, `${pqDim}, but the matrix has ${dim} columns`);
  if (dsub < 1 || dsub > dim) throw badField(name, start + 8, `${field} dsub`, `${dsub} is outside 1..${dim}`);
  const wantSubq = Math.ceil(dim / dsub);
  if (nsubq !== wantSubq) throw badField(name, start + 4, `${field} nsubq`, `${nsubq}, but ${dim} columns in blocks of ${dsub} make ${wantSubq}`);
  const wantLast = dim % dsub || dsub;
  if (lastdsub !== wantLast) throw badField(name, start + 12, `${field} lastdsub`, `${lastdsub}, but ${dim} columns in blocks of ${dsub} leave ${wantLast}`);
  const n = dim * KSUB;
  const remaining = cur.remaining;
  if (remaining !== undefined && n * 4 > remaining) {
    throw badField(name, cur.offset, `${field} centroids`, `${n} float32 need ${n * 4} bytes, but only ${remaining} follow`);
  }
  const centroids = new Float32Array(n);
  const at = cur.offset;
  await cur.readInto(new Uint8Array(centroids.buffer), `${field} centroids`);
  for (let i = 0; i < n; i++) {
    const v = centroids[i];
    if (v - v !== 0) throw badField(name, at + i * 4, `${field} centroids`, `${v !== v ? 'NaN' : 'an infinite value'} at centroid value ${i}`);
  }
  return new ProductQuantizer(dim, nsubq, dsub, lastdsub, centroids);
}

export function pqBytes(pq: ProductQuantizer): Uint8Array[] {
  const head = new Uint8Array(PQ_HEADER_BYTES);
  const v = new DataView(head.buffer);
  v.setInt32(0, pq.dim, true);
  v.setInt32(4, pq.nsubq, true);
  v.setInt32(8, pq.dsub, true);
  v.setInt32(12, pq.lastdsub, true);
  return [head, new Uint8Array(pq.centroids.buffer, pq.centroids.byteOffset, pq.centroids.byteLength)];
}
