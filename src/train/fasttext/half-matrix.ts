import { Wasm2VecError } from '../../errors.js';
import { FLOAT16_MAX, float16Table, toFloat16Bits } from '../../vectors/formats/float16.js';
import { type ByteCursor, badField } from './byte-cursor.js';

/**
 * A row-major matrix stored as IEEE half floats, for models whose float32 matrices do not fit (a
 * cc.en.300.bin-shaped input matrix is 4.8 GB as float32, 2.4 GB as float16). Rows are widened to
 * float32 one value at a time as they are added, so arithmetic stays float32 in fastText's order; only
 * the stored weights are rounded (relative error at most 2^-11 per weight).
 */
export class HalfMatrix {
  readonly kind = 'half';
  private readonly table = float16Table();
  constructor(
    readonly rows: number,
    readonly dim: number,
    readonly data: Uint16Array,
  ) {}

  addRowToVector(x: Float32Array, i: number): void {
    const d = this.data;
    const t = this.table;
    const base = i * this.dim;
    for (let j = 0; j < this.dim; j++) x[j] += t[d[base + j]];
  }

  dotRow(x: Float32Array, i: number): number {
    const d = this.data;
    const t = this.table;
    const base = i * this.dim;
    let s = 0;
    for (let j = 0; j < this.dim; j++) s = Math.fround(s + Math.fround(t[d[base + j]] * x[j]));
    return s;
  }
}

/** Floats converted per step while reading (a 4 MiB float32 staging buffer). */
const STAGE = 1 << 20;

/**
 * Reads rows × dim little-endian float32 at the cursor and stores them as float16, refusing NaN and
 * infinite weights (BAD_FORMAT with the byte offset, row and column) and weights beyond float16's
 * range (INVALID_OPTION: such a model needs dtype 'float32'). Only a small staging buffer is float32.
 * From a source of unknown size the half array grows with the data that has arrived (at most twice
 * what was read), so a header cannot make it allocate what the input does not hold.
 */
export async function readHalfData(cur: ByteCursor, field: string, rows: number, dim: number, rowName: (row: number) => string): Promise<HalfMatrix> {
  const start = cur.offset;
  const n = rows * dim;
  let target = new Uint16Array(cur.size === undefined ? Math.min(n, STAGE) : n);
  const stage = new Float32Array(Math.min(n, STAGE));
  const stageBytes = new Uint8Array(stage.buffer);
  for (let done = 0; done < n; ) {
    const len = Math.min(STAGE, n - done);
    await cur.readInto(stageBytes.subarray(0, len * 4), field);
    if (done + len > target.length) {
      const grown = new Uint16Array(Math.min(n, Math.max(done + len, target.length * 2)));
      grown.set(target.subarray(0, done));
      target = grown;
    }
    for (let k = 0; k < len; k++) {
      const v = stage[k];
      if (!(Math.abs(v) <= FLOAT16_MAX)) {
        const i = done + k;
        const row = Math.floor(i / dim);
        const where = `row ${row} (${rowName(row)}), column ${i % dim}`;
        if (v - v !== 0) throw badField(cur.name, start + i * 4, field, `${v !== v ? 'NaN' : 'an infinite value'} in ${where}`);
        throw new Wasm2VecError(
          'INVALID_OPTION',
          `${cur.name}: byte ${start + i * 4}: ${field}: ${v} in ${where} is beyond float16's range (±${FLOAT16_MAX}); load with dtype 'float32'`,
        );
      }
      target[done + k] = toFloat16Bits(v);
    }
    done += len;
  }
  return new HalfMatrix(rows, dim, target);
}

/** The matrix in fastText's float32 layout (int64 rows, int64 dim, the floats), widened slice by slice. */
export function* halfChunks(m: HalfMatrix): Generator<Uint8Array> {
  const head = new Uint8Array(16);
  const v = new DataView(head.buffer);
  v.setBigInt64(0, BigInt(m.rows), true);
  v.setBigInt64(8, BigInt(m.dim), true);
  yield head;
  const t = float16Table();
  const n = m.rows * m.dim;
  for (let o = 0; o < n; o += STAGE) {
    const len = Math.min(STAGE, n - o);
    // A fresh slice per piece: a consumer may hold on to a chunk after asking for the next.
    const out = new Float32Array(len);
    for (let k = 0; k < len; k++) out[k] = t[m.data[o + k]];
    yield new Uint8Array(out.buffer);
  }
}
