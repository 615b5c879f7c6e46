// f32x4 SIMD helpers over raw pointers. Strict SIMD only (no relaxed FMA) and a fixed reduction order,
// so results are bit-identical across engines. All @inline: the kernels call them in their hot loops.

/** sum(a[i] * b[i]); two 4-lane accumulators, fixed horizontal order, scalar tail. */
@inline export function dot(a: usize, b: usize, n: i32): f32 {
  let acc0 = f32x4.splat(0);
  let acc1 = f32x4.splat(0);
  let i = 0;
  const n8 = n & ~7;
  for (; i < n8; i += 8) {
    const o = <usize>i << 2;
    acc0 = f32x4.add(acc0, f32x4.mul(v128.load(a + o), v128.load(b + o)));
    acc1 = f32x4.add(acc1, f32x4.mul(v128.load(a + o, 16), v128.load(b + o, 16)));
  }
  if (i + 4 <= n) {
    const o = <usize>i << 2;
    acc0 = f32x4.add(acc0, f32x4.mul(v128.load(a + o), v128.load(b + o)));
    i += 4;
  }
  const v = f32x4.add(acc0, acc1);
  let s = hsum(v);
  for (; i < n; i++) {
    const o = <usize>i << 2;
    s += load<f32>(a + o) * load<f32>(b + o);
  }
  return s;
}

/** y[i] += a * x[i] */
@inline export function axpy(a: f32, x: usize, y: usize, n: i32): void {
  const va = f32x4.splat(a);
  let i = 0;
  const n4 = n & ~3;
  for (; i < n4; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(va, v128.load(x + o))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, load<f32>(y + o) + a * load<f32>(x + o));
  }
}

/** acc[i] += g * row[i]; row[i] += g * inp[i] — word2vec's two updates of one output row, fused. */
@inline export function accumulateAndUpdate(g: f32, inp: usize, row: usize, acc: usize, n: i32): void {
  const vg = f32x4.splat(g);
  let i = 0;
  const n4 = n & ~3;
  for (; i < n4; i += 4) {
    const o = <usize>i << 2;
    const r = v128.load(row + o);
    v128.store(acc + o, f32x4.add(v128.load(acc + o), f32x4.mul(vg, r)));
    v128.store(row + o, f32x4.add(r, f32x4.mul(vg, v128.load(inp + o))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const r = load<f32>(row + o);
    store<f32>(acc + o, load<f32>(acc + o) + g * r);
    store<f32>(row + o, r + g * load<f32>(inp + o));
  }
}

/** y[i] += x[i] */
@inline export function add(x: usize, y: usize, n: i32): void {
  let i = 0;
  const n4 = n & ~3;
  for (; i < n4; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, f32x4.add(v128.load(y + o), v128.load(x + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, load<f32>(y + o) + load<f32>(x + o));
  }
}

/** x[i] *= a */
@inline export function scale(a: f32, x: usize, n: i32): void {
  const va = f32x4.splat(a);
  let i = 0;
  const n4 = n & ~3;
  for (; i < n4; i += 4) {
    const o = <usize>i << 2;
    v128.store(x + o, f32x4.mul(va, v128.load(x + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(x + o, a * load<f32>(x + o));
  }
}

/** x[i] = 0 */
@inline export function zero(x: usize, n: i32): void {
  memory.fill(x, 0, <usize>n << 2);
}

/** Horizontal sum of four lanes in a fixed order ((0+1)+(2+3)), so every kernel reduces alike. */
@inline export function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/**
 * Four dot products sharing one left operand (a · b0..b3), written to out[0..4): the register-blocked
 * micro-kernel of the batched skip-gram, which loads `a` once for four output rows.
 */
@inline export function dot4(a: usize, b0: usize, b1: usize, b2: usize, b3: usize, n: i32, out: usize): void {
  let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
  let i = 0;
  const n4 = n & ~3;
  for (; i < n4; i += 4) {
    const o = <usize>i << 2;
    const va = v128.load(a + o);
    s0 = f32x4.add(s0, f32x4.mul(va, v128.load(b0 + o)));
    s1 = f32x4.add(s1, f32x4.mul(va, v128.load(b1 + o)));
    s2 = f32x4.add(s2, f32x4.mul(va, v128.load(b2 + o)));
    s3 = f32x4.add(s3, f32x4.mul(va, v128.load(b3 + o)));
  }
  let r0 = hsum(s0), r1 = hsum(s1), r2 = hsum(s2), r3 = hsum(s3);
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const x = load<f32>(a + o);
    r0 += x * load<f32>(b0 + o);
    r1 += x * load<f32>(b1 + o);
    r2 += x * load<f32>(b2 + o);
    r3 += x * load<f32>(b3 + o);
  }
  store<f32>(out, r0);
  store<f32>(out, r1, 4);
  store<f32>(out, r2, 8);
  store<f32>(out, r3, 12);
}

/** y[i] += g0·x0[i] + g1·x1[i] + g2·x2[i] + g3·x3[i] (one load/store of y for four rows). */
@inline export function axpy4(g0: f32, g1: f32, g2: f32, g3: f32, x0: usize, x1: usize, x2: usize, x3: usize, y: usize, n: i32): void {
  const v0 = f32x4.splat(g0), v1 = f32x4.splat(g1), v2 = f32x4.splat(g2), v3 = f32x4.splat(g3);
  let i = 0;
  const n4 = n & ~3;
  for (; i < n4; i += 4) {
    const o = <usize>i << 2;
    let acc = f32x4.add(f32x4.mul(v0, v128.load(x0 + o)), f32x4.mul(v1, v128.load(x1 + o)));
    acc = f32x4.add(acc, f32x4.add(f32x4.mul(v2, v128.load(x2 + o)), f32x4.mul(v3, v128.load(x3 + o))));
    v128.store(y + o, f32x4.add(v128.load(y + o), acc));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const acc = (g0 * load<f32>(x0 + o) + g1 * load<f32>(x1 + o)) + (g2 * load<f32>(x2 + o) + g3 * load<f32>(x3 + o));
    store<f32>(y + o, load<f32>(y + o) + acc);
  }
}
