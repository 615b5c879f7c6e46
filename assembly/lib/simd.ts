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
  let s = (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
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
