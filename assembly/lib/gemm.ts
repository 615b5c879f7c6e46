// Register-blocked f32x4 matrix products over row-pointer lists, for the LSTM kernels.
//
// Every output element is `init + a0*b0 + a1*b1 + ...` accumulated strictly in k order, whatever the
// row block, column block or tail path computes it, so a row's result never depends on which other
// rows share the call (exact pad skipping and thread-independent shards rely on this). Strict SIMD:
// separate mul and add, no FMA. The 4-row × 8-column micro-kernel keeps 8 accumulators in registers
// (V8 has 16 xmm registers; 12 accumulators spill and ran 15 % slower on the target machine).

/** C = A·B */
export const MODE_SET: i32 = 0;
/** C += A·B */
export const MODE_ADD: i32 = 1;
/** C = bias + A·B (bias: one row of N floats) */
export const MODE_BIAS: i32 = 2;

@inline function rowPtr(list: usize, r: i32): usize {
  return <usize>load<u32>(list + (<usize>r << 2));
}

@inline function initVec(mode: i32, c: usize, bias: usize, off: usize): v128 {
  if (mode == MODE_ADD) return v128.load(c + off);
  if (mode == MODE_BIAS) return v128.load(bias + off);
  return f32x4.splat(0);
}

@inline function initScalar(mode: i32, c: usize, bias: usize, off: usize): f32 {
  if (mode == MODE_ADD) return load<f32>(c + off);
  if (mode == MODE_BIAS) return load<f32>(bias + off);
  return 0;
}

/** Four rows × 8 columns starting at column byte offset `off`. */
@inline function block4x8(a0: usize, a1: usize, a2: usize, a3: usize, c0: usize, c1: usize, c2: usize, c3: usize,
  b: usize, ldb: usize, K: i32, off: usize, mode: i32, bias: usize): void {
  let x00 = initVec(mode, c0, bias, off), x01 = initVec(mode, c0, bias, off + 16);
  let x10 = initVec(mode, c1, bias, off), x11 = initVec(mode, c1, bias, off + 16);
  let x20 = initVec(mode, c2, bias, off), x21 = initVec(mode, c2, bias, off + 16);
  let x30 = initVec(mode, c3, bias, off), x31 = initVec(mode, c3, bias, off + 16);
  let bp = b + off;
  for (let k = 0; k < K; k++) {
    const ko = <usize>k << 2;
    const b0 = v128.load(bp), b1 = v128.load(bp, 16);
    let s = v128.load32_splat(a0 + ko);
    x00 = f32x4.add(x00, f32x4.mul(s, b0)); x01 = f32x4.add(x01, f32x4.mul(s, b1));
    s = v128.load32_splat(a1 + ko);
    x10 = f32x4.add(x10, f32x4.mul(s, b0)); x11 = f32x4.add(x11, f32x4.mul(s, b1));
    s = v128.load32_splat(a2 + ko);
    x20 = f32x4.add(x20, f32x4.mul(s, b0)); x21 = f32x4.add(x21, f32x4.mul(s, b1));
    s = v128.load32_splat(a3 + ko);
    x30 = f32x4.add(x30, f32x4.mul(s, b0)); x31 = f32x4.add(x31, f32x4.mul(s, b1));
    bp += ldb;
  }
  v128.store(c0 + off, x00); v128.store(c0 + off, x01, 16);
  v128.store(c1 + off, x10); v128.store(c1 + off, x11, 16);
  v128.store(c2 + off, x20); v128.store(c2 + off, x21, 16);
  v128.store(c3 + off, x30); v128.store(c3 + off, x31, 16);
}

/** Four rows × 4 columns. */
@inline function block4x4(a0: usize, a1: usize, a2: usize, a3: usize, c0: usize, c1: usize, c2: usize, c3: usize,
  b: usize, ldb: usize, K: i32, off: usize, mode: i32, bias: usize): void {
  let x0 = initVec(mode, c0, bias, off), x1 = initVec(mode, c1, bias, off);
  let x2 = initVec(mode, c2, bias, off), x3 = initVec(mode, c3, bias, off);
  let bp = b + off;
  for (let k = 0; k < K; k++) {
    const ko = <usize>k << 2;
    const b0 = v128.load(bp);
    x0 = f32x4.add(x0, f32x4.mul(v128.load32_splat(a0 + ko), b0));
    x1 = f32x4.add(x1, f32x4.mul(v128.load32_splat(a1 + ko), b0));
    x2 = f32x4.add(x2, f32x4.mul(v128.load32_splat(a2 + ko), b0));
    x3 = f32x4.add(x3, f32x4.mul(v128.load32_splat(a3 + ko), b0));
    bp += ldb;
  }
  v128.store(c0 + off, x0); v128.store(c1 + off, x1); v128.store(c2 + off, x2); v128.store(c3 + off, x3);
}

/** One row × 8 columns. */
@inline function block1x8(a0: usize, c0: usize, b: usize, ldb: usize, K: i32, off: usize, mode: i32, bias: usize): void {
  let x0 = initVec(mode, c0, bias, off), x1 = initVec(mode, c0, bias, off + 16);
  let bp = b + off;
  for (let k = 0; k < K; k++) {
    const s = v128.load32_splat(a0 + (<usize>k << 2));
    x0 = f32x4.add(x0, f32x4.mul(s, v128.load(bp)));
    x1 = f32x4.add(x1, f32x4.mul(s, v128.load(bp, 16)));
    bp += ldb;
  }
  v128.store(c0 + off, x0); v128.store(c0 + off, x1, 16);
}

/** One row × 4 columns. */
@inline function block1x4(a0: usize, c0: usize, b: usize, ldb: usize, K: i32, off: usize, mode: i32, bias: usize): void {
  let x0 = initVec(mode, c0, bias, off);
  let bp = b + off;
  for (let k = 0; k < K; k++) {
    x0 = f32x4.add(x0, f32x4.mul(v128.load32_splat(a0 + (<usize>k << 2)), v128.load(bp)));
    bp += ldb;
  }
  v128.store(c0 + off, x0);
}

/** One row × one column (the < 4 column tail), same k order as the lanes above. */
@inline function block1x1(a0: usize, c0: usize, b: usize, ldb: usize, K: i32, off: usize, mode: i32, bias: usize): void {
  let x = initScalar(mode, c0, bias, off);
  let bp = b + off;
  for (let k = 0; k < K; k++) {
    x = x + load<f32>(a0 + (<usize>k << 2)) * load<f32>(bp);
    bp += ldb;
  }
  store<f32>(c0 + off, x);
}

/**
 * For each of the m rows r: C_r (mode) A_r · B, where A_r = aList[r] points at K floats, C_r = cList[r]
 * at N floats, and B is K × N row-major with a row stride of ldb floats. Column panels outside, row
 * blocks inside: the K × 8 panel of B stays in L1 while all rows stream past it.
 */
export function gemmRows(aList: usize, cList: usize, m: i32, b: usize, ldb: i32, K: i32, N: i32, mode: i32, bias: usize): void {
  if (m <= 0) return;
  const ldbB = <usize>ldb << 2;
  let n0 = 0;
  for (; n0 + 8 <= N; n0 += 8) {
    const off = <usize>n0 << 2;
    let r = 0;
    for (; r + 4 <= m; r += 4) {
      block4x8(rowPtr(aList, r), rowPtr(aList, r + 1), rowPtr(aList, r + 2), rowPtr(aList, r + 3),
        rowPtr(cList, r), rowPtr(cList, r + 1), rowPtr(cList, r + 2), rowPtr(cList, r + 3), b, ldbB, K, off, mode, bias);
    }
    if (m - r == 3) {
      // The fourth lane duplicates the third row: same inputs, same bits, stored twice to one place.
      block4x8(rowPtr(aList, r), rowPtr(aList, r + 1), rowPtr(aList, r + 2), rowPtr(aList, r + 2),
        rowPtr(cList, r), rowPtr(cList, r + 1), rowPtr(cList, r + 2), rowPtr(cList, r + 2), b, ldbB, K, off, mode, bias);
    } else {
      for (; r < m; r++) block1x8(rowPtr(aList, r), rowPtr(cList, r), b, ldbB, K, off, mode, bias);
    }
  }
  if (n0 + 4 <= N) {
    const off = <usize>n0 << 2;
    let r = 0;
    for (; r + 4 <= m; r += 4) {
      block4x4(rowPtr(aList, r), rowPtr(aList, r + 1), rowPtr(aList, r + 2), rowPtr(aList, r + 3),
        rowPtr(cList, r), rowPtr(cList, r + 1), rowPtr(cList, r + 2), rowPtr(cList, r + 3), b, ldbB, K, off, mode, bias);
    }
    for (; r < m; r++) block1x4(rowPtr(aList, r), rowPtr(cList, r), b, ldbB, K, off, mode, bias);
    n0 += 4;
  }
  for (; n0 < N; n0++) {
    const off = <usize>n0 << 2;
    for (let r = 0; r < m; r++) block1x1(rowPtr(aList, r), rowPtr(cList, r), b, ldbB, K, off, mode, bias);
  }
}

/** Entries per pass of gemmOuter: keeps the K scattered A rows and the K × 8 B panel in L1. */
const OUTER_KBLOCK: i32 = 192;

/**
 * C += Σ_k a_k^T · b_k over K entries: a_k = aList[k] points at M floats, b_k = bList[k] at N floats,
 * C is M × N row-major (stride N). This is the weight-gradient product (inputs^T · gate gradients)
 * with the entries gathered by pointer, so padded or shared rows need no copies. Accumulates in
 * memory between k blocks, which keeps the per-element order k = 0, 1, 2, ...
 */
export function gemmOuter(aList: usize, bList: usize, K: i32, c: usize, M: i32, N: i32): void {
  const ldc = <usize>N << 2;
  for (let k0 = 0; k0 < K; k0 += OUTER_KBLOCK) {
    const k1 = min(K, k0 + OUTER_KBLOCK);
    let n0 = 0;
    for (; n0 + 8 <= N; n0 += 8) {
      const bo = <usize>n0 << 2;
      let m0 = 0;
      for (; m0 + 4 <= M; m0 += 4) {
        const cp = c + <usize>m0 * ldc + bo;
        let x00 = v128.load(cp), x01 = v128.load(cp, 16);
        let x10 = v128.load(cp + ldc), x11 = v128.load(cp + ldc, 16);
        let x20 = v128.load(cp + 2 * ldc), x21 = v128.load(cp + 2 * ldc, 16);
        let x30 = v128.load(cp + 3 * ldc), x31 = v128.load(cp + 3 * ldc, 16);
        const ao = <usize>m0 << 2;
        for (let k = k0; k < k1; k++) {
          const pa = rowPtr(aList, k) + ao;
          const pb = rowPtr(bList, k) + bo;
          const b0 = v128.load(pb), b1 = v128.load(pb, 16);
          let s = v128.load32_splat(pa);
          x00 = f32x4.add(x00, f32x4.mul(s, b0)); x01 = f32x4.add(x01, f32x4.mul(s, b1));
          s = v128.load32_splat(pa + 4);
          x10 = f32x4.add(x10, f32x4.mul(s, b0)); x11 = f32x4.add(x11, f32x4.mul(s, b1));
          s = v128.load32_splat(pa + 8);
          x20 = f32x4.add(x20, f32x4.mul(s, b0)); x21 = f32x4.add(x21, f32x4.mul(s, b1));
          s = v128.load32_splat(pa + 12);
          x30 = f32x4.add(x30, f32x4.mul(s, b0)); x31 = f32x4.add(x31, f32x4.mul(s, b1));
        }
        v128.store(cp, x00); v128.store(cp, x01, 16);
        v128.store(cp + ldc, x10); v128.store(cp + ldc, x11, 16);
        v128.store(cp + 2 * ldc, x20); v128.store(cp + 2 * ldc, x21, 16);
        v128.store(cp + 3 * ldc, x30); v128.store(cp + 3 * ldc, x31, 16);
      }
      for (; m0 < M; m0++) {
        const cp = c + <usize>m0 * ldc + bo;
        let x0 = v128.load(cp), x1 = v128.load(cp, 16);
        const ao = <usize>m0 << 2;
        for (let k = k0; k < k1; k++) {
          const s = v128.load32_splat(rowPtr(aList, k) + ao);
          const pb = rowPtr(bList, k) + bo;
          x0 = f32x4.add(x0, f32x4.mul(s, v128.load(pb)));
          x1 = f32x4.add(x1, f32x4.mul(s, v128.load(pb, 16)));
        }
        v128.store(cp, x0); v128.store(cp, x1, 16);
      }
    }
    if (n0 + 4 <= N) {
      const bo = <usize>n0 << 2;
      for (let m0 = 0; m0 < M; m0++) {
        const cp = c + <usize>m0 * ldc + bo;
        let x0 = v128.load(cp);
        const ao = <usize>m0 << 2;
        for (let k = k0; k < k1; k++) {
          x0 = f32x4.add(x0, f32x4.mul(v128.load32_splat(rowPtr(aList, k) + ao), v128.load(rowPtr(bList, k) + bo)));
        }
        v128.store(cp, x0);
      }
      n0 += 4;
    }
    for (; n0 < N; n0++) {
      const bo = <usize>n0 << 2;
      for (let m0 = 0; m0 < M; m0++) {
        const cp = c + <usize>m0 * ldc + bo;
        let x = load<f32>(cp);
        const ao = <usize>m0 << 2;
        for (let k = k0; k < k1; k++) x = x + load<f32>(rowPtr(aList, k) + ao) * load<f32>(rowPtr(bList, k) + bo);
        store<f32>(cp, x);
      }
    }
  }
}

/** y += Σ_k rows[k] (N floats each), in k order: the bias gradient. */
export function sumRowsInto(list: usize, K: i32, y: usize, N: i32): void {
  let n0 = 0;
  for (; n0 + 4 <= N; n0 += 4) {
    const o = <usize>n0 << 2;
    let x = v128.load(y + o);
    for (let k = 0; k < K; k++) x = f32x4.add(x, v128.load(rowPtr(list, k) + o));
    v128.store(y + o, x);
  }
  for (; n0 < N; n0++) {
    const o = <usize>n0 << 2;
    let x = load<f32>(y + o);
    for (let k = 0; k < K; k++) x = x + load<f32>(rowPtr(list, k) + o);
    store<f32>(y + o, x);
  }
}

/** dst (cols × rows) = src (rows × cols)^T, both row-major and dense. */
export function transpose(src: usize, rows: i32, cols: i32, dst: usize): void {
  // 8 × 8 tiles keep both sides' cache lines hot.
  for (let r0 = 0; r0 < rows; r0 += 8) {
    const r1 = min(rows, r0 + 8);
    for (let c0 = 0; c0 < cols; c0 += 8) {
      const c1 = min(cols, c0 + 8);
      for (let r = r0; r < r1; r++) {
        for (let c = c0; c < c1; c++) {
          store<f32>(dst + ((<usize>c * <usize>rows + <usize>r) << 2), load<f32>(src + ((<usize>r * <usize>cols + <usize>c) << 2)));
        }
      }
    }
  }
}
