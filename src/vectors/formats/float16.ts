/**
 * IEEE 754 binary16 <-> float32 with integer bit operations only (round to nearest even), so the
 * results are identical in every JavaScript engine.
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The half-precision bits nearest to v (overflow -> ±Infinity, NaN -> a quiet NaN). */
export function toFloat16Bits(v: number): number {
  f32[0] = v;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign; // underflows to ±0
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rest > mid || (rest === mid && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half++; // may carry into the exponent: still correct
  return sign | half;
}

let table: Float32Array | null = null;

/** All 65,536 half values as float32 (built once, 256 KiB), for fast bulk decoding. */
export function float16Table(): Float32Array {
  if (table) return table;
  const t = new Float32Array(65536);
  const bits = new Uint32Array(t.buffer);
  for (let h = 0; h < 65536; h++) {
    const sign = (h & 0x8000) << 16;
    const exp = (h >>> 10) & 0x1f;
    const mant = h & 0x3ff;
    if (exp === 0) {
      if (mant === 0) bits[h] = sign;
      else {
        // Subnormal half: normalise into a float32.
        let m = mant,
          e = -1;
        do {
          m <<= 1;
          e++;
        } while (!(m & 0x400));
        bits[h] = sign | ((127 - 15 - e) << 23) | ((m & 0x3ff) << 13);
      }
    } else if (exp === 0x1f) bits[h] = sign | 0x7f800000 | (mant << 13);
    else bits[h] = sign | ((exp - 15 + 127) << 23) | (mant << 13);
  }
  table = t;
  return t;
}

/** Largest finite half value. */
export const FLOAT16_MAX = 65504;
