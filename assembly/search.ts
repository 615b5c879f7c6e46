// Kernels for querying embeddings: unit-normalising rows, batched cosine top-k (one pass over the matrix
// per block of queries, partial selection with a bounded min-heap, no full sort), full score vectors,
// and the dense linear algebra behind PCA and Procrustes (centring, Gram matrices in f64, power
// iteration, projection). The host lays out every buffer; nothing here allocates, there is no top-level
// code and no static data, so one instance per worker can share one memory.
//
// Scores use ONE f32x4 accumulator per query with a fixed horizontal order and a scalar tail, the same
// for every query-block size, so a word's score never depends on how queries were batched (and the TS
// fallback in src/vectors/search-fallback.ts reproduces it bit for bit).

export { heapBase, countNonFinite } from './lib/module-exports';
import { hsum } from './lib/simd';

/** Result entries are (i32 row, f32 score) pairs, 8 bytes each. */
const ENTRY: usize = 8;

// ---------------------------------------------------------------------------------------------------
// Normalisation

/**
 * dst row = src row / ||src row|| (norm accumulated in f64 in index order, rounded to f32, then an f32
 * division per element). Zero rows stay zero. src and dst may be the same. Returns the number of zero rows.
 */
export function normalizeRows(src: usize, dst: usize, rows: i32, dim: i32): i32 {
  let zeros = 0;
  const rowBytes = <usize>dim << 2;
  for (let r = 0; r < rows; r++) {
    const s = src + <usize>r * rowBytes;
    const d = dst + <usize>r * rowBytes;
    let sum: f64 = 0;
    for (let i = 0; i < dim; i++) {
      const v = <f64>load<f32>(s + (<usize>i << 2));
      sum += v * v;
    }
    if (sum == 0) {
      memory.fill(d, 0, rowBytes);
      zeros++;
      continue;
    }
    const norm = <f32>Math.sqrt(sum);
    for (let i = 0; i < dim; i++) {
      const o = <usize>i << 2;
      store<f32>(d + o, load<f32>(s + o) / norm);
    }
  }
  return zeros;
}

// ---------------------------------------------------------------------------------------------------
// Scores

/** dot(row, q) with one 4-lane accumulator, fixed horizontal sum, scalar tail. */
@inline function dot1(row: usize, q: usize, dim: i32, dim4: i32): f32 {
  let acc = f32x4.splat(0);
  let i = 0;
  for (; i < dim4; i += 4) {
    const o = <usize>i << 2;
    acc = f32x4.add(acc, f32x4.mul(v128.load(row + o), v128.load(q + o)));
  }
  let s = hsum(acc);
  for (; i < dim; i++) {
    const o = <usize>i << 2;
    s += load<f32>(row + o) * load<f32>(q + o);
  }
  return s;
}

/** out[r] = dot(matrix row r, query) for r < rows (f32). */
export function scores(matrix: usize, rows: i32, dim: i32, query: usize, out: usize): void {
  const rowBytes = <usize>dim << 2;
  const dim4 = dim & ~3;
  for (let r = 0; r < rows; r++) {
    store<f32>(out + (<usize>r << 2), dot1(matrix + <usize>r * rowBytes, query, dim, dim4));
  }
}

// ---------------------------------------------------------------------------------------------------
// Bounded min-heap of (row, score) entries: the root is the worst kept entry. "Worse" = lower score, or
// equal score and higher row, so ties resolve to the lower (more frequent) row deterministically.

@inline function worse(sa: f32, ra: i32, sb: f32, rb: i32): bool {
  return sa < sb || (sa == sb && ra > rb);
}

@inline function rowAt(h: usize, i: i32): i32 { return load<i32>(h + <usize>i * ENTRY); }
@inline function scoreAt(h: usize, i: i32): f32 { return load<f32>(h + <usize>i * ENTRY, 4); }
@inline function put(h: usize, i: i32, r: i32, s: f32): void {
  store<i32>(h + <usize>i * ENTRY, r);
  store<f32>(h + <usize>i * ENTRY, s, 4);
}

/** Inserts into a heap that holds n < k entries (sift up). */
function heapPush(h: usize, n: i32, r: i32, s: f32): void {
  let i = n;
  while (i > 0) {
    const p = (i - 1) >> 1;
    const pr = rowAt(h, p), ps = scoreAt(h, p);
    if (!worse(s, r, ps, pr)) break;
    put(h, i, pr, ps);
    i = p;
  }
  put(h, i, r, s);
}

/** Replaces the root of a full heap of n entries (sift down). */
function heapReplaceRoot(h: usize, n: i32, r: i32, s: f32): void {
  let i = 0;
  while (true) {
    const l = 2 * i + 1;
    if (l >= n) break;
    let c = l;
    let cr = rowAt(h, l), cs = scoreAt(h, l);
    const rr = l + 1;
    if (rr < n) {
      const r2 = rowAt(h, rr), s2 = scoreAt(h, rr);
      if (worse(s2, r2, cs, cr)) { c = rr; cr = r2; cs = s2; }
    }
    if (!worse(cs, cr, s, r)) break;
    put(h, i, cr, cs);
    i = c;
  }
  put(h, i, r, s);
}

/** Offers (r, s) to heap h with capacity k currently holding n entries; returns the new count. */
@inline function offer(h: usize, n: i32, k: i32, r: i32, s: f32): i32 {
  if (n < k) {
    heapPush(h, n, r, s);
    return n + 1;
  }
  if (worse(scoreAt(h, 0), rowAt(h, 0), s, r)) heapReplaceRoot(h, n, r, s);
  return n;
}

/** Heap sort in place: afterwards entries 0..n-1 are best first. Unused slots get row -1. */
function finish(h: usize, n: i32, k: i32): void {
  for (let end = n - 1; end > 0; end--) {
    const r = rowAt(h, 0), s = scoreAt(h, 0);
    const lr = rowAt(h, end), ls = scoreAt(h, end);
    put(h, end, r, s);
    heapReplaceRoot(h, end, lr, ls);
  }
  for (let i = n; i < k; i++) put(h, i, -1, 0);
}

/**
 * For each of nq queries (row-major f32 at `queries`, dim each), the k rows of `matrix` (rows × dim)
 * with the largest dot product, written best first as (i32 row, f32 score) to out + q·k·8; when
 * rows < k the remaining entries have row -1. Queries are processed four at a time so each matrix row
 * is loaded once per block while the four queries stay in cache. Returns the number of rows scanned.
 */
export function topK(matrix: usize, rows: i32, dim: i32, queries: usize, nq: i32, k: i32, out: usize): i32 {
  const rowBytes = <usize>dim << 2;
  const dim4 = dim & ~3;
  const heapBytes = <usize>k * ENTRY;
  let q = 0;
  for (; q + 4 <= nq; q += 4) {
    const q0 = queries + <usize>q * rowBytes;
    const q1 = q0 + rowBytes, q2 = q1 + rowBytes, q3 = q2 + rowBytes;
    const h0 = out + <usize>q * heapBytes;
    const h1 = h0 + heapBytes, h2 = h1 + heapBytes, h3 = h2 + heapBytes;
    let n0 = 0, n1 = 0, n2 = 0, n3 = 0;
    // Thresholds: the score a row must beat to enter each heap (-inf until the heap is full).
    let t0 = <f32>-Infinity, t1 = <f32>-Infinity, t2 = <f32>-Infinity, t3 = <f32>-Infinity;
    for (let r = 0; r < rows; r++) {
      const row = matrix + <usize>r * rowBytes;
      let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
      let i = 0;
      for (; i < dim4; i += 4) {
        const o = <usize>i << 2;
        const v = v128.load(row + o);
        a0 = f32x4.add(a0, f32x4.mul(v, v128.load(q0 + o)));
        a1 = f32x4.add(a1, f32x4.mul(v, v128.load(q1 + o)));
        a2 = f32x4.add(a2, f32x4.mul(v, v128.load(q2 + o)));
        a3 = f32x4.add(a3, f32x4.mul(v, v128.load(q3 + o)));
      }
      let s0 = hsum(a0), s1 = hsum(a1), s2 = hsum(a2), s3 = hsum(a3);
      for (; i < dim; i++) {
        const o = <usize>i << 2;
        const x = load<f32>(row + o);
        s0 += x * load<f32>(q0 + o);
        s1 += x * load<f32>(q1 + o);
        s2 += x * load<f32>(q2 + o);
        s3 += x * load<f32>(q3 + o);
      }
      // Equal scores never displace (a later row is worse on ties), so ">" against the threshold is exact.
      if (s0 > t0 || n0 < k) { n0 = offer(h0, n0, k, r, s0); if (n0 == k) t0 = scoreAt(h0, 0); }
      if (s1 > t1 || n1 < k) { n1 = offer(h1, n1, k, r, s1); if (n1 == k) t1 = scoreAt(h1, 0); }
      if (s2 > t2 || n2 < k) { n2 = offer(h2, n2, k, r, s2); if (n2 == k) t2 = scoreAt(h2, 0); }
      if (s3 > t3 || n3 < k) { n3 = offer(h3, n3, k, r, s3); if (n3 == k) t3 = scoreAt(h3, 0); }
    }
    finish(h0, n0, k); finish(h1, n1, k); finish(h2, n2, k); finish(h3, n3, k);
  }
  for (; q < nq; q++) {
    const qp = queries + <usize>q * rowBytes;
    const h = out + <usize>q * heapBytes;
    let n = 0;
    let t = <f32>-Infinity;
    for (let r = 0; r < rows; r++) {
      const s = dot1(matrix + <usize>r * rowBytes, qp, dim, dim4);
      if (s > t || n < k) { n = offer(h, n, k, r, s); if (n == k) t = scoreAt(h, 0); }
    }
    finish(h, n, k);
  }
  return rows;
}

/**
 * Top k of a precomputed score vector (f32 × n), best first, as (row, score) entries at out; the same
 * selection and tie rule as topK. Used for objectives that combine several score vectors (3CosMul).
 */
export function topKOfScores(values: usize, n: i32, k: i32, out: usize): void {
  let cnt = 0;
  let t = <f32>-Infinity;
  for (let r = 0; r < n; r++) {
    const s = load<f32>(values + (<usize>r << 2));
    if (s > t || cnt < k) { cnt = offer(out, cnt, k, r, s); if (cnt == k) t = scoreAt(out, 0); }
  }
  finish(out, cnt, k);
}

// ---------------------------------------------------------------------------------------------------
// Dense linear algebra for PCA and Procrustes (f64 accumulation; d is at most a few hundred)

/** mean (f64 × dim) = column means of data (rows × dim, f32); then data -= mean, in place (f32). */
export function centerRows(data: usize, rows: i32, dim: i32, mean: usize): void {
  const rowBytes = <usize>dim << 2;
  memory.fill(mean, 0, <usize>dim << 3);
  for (let r = 0; r < rows; r++) {
    const row = data + <usize>r * rowBytes;
    for (let i = 0; i < dim; i++) {
      const m = mean + (<usize>i << 3);
      store<f64>(m, load<f64>(m) + <f64>load<f32>(row + (<usize>i << 2)));
    }
  }
  const inv = rows > 0 ? 1.0 / <f64>rows : 0.0;
  for (let i = 0; i < dim; i++) {
    const m = mean + (<usize>i << 3);
    store<f64>(m, load<f64>(m) * inv);
  }
  for (let r = 0; r < rows; r++) {
    const row = data + <usize>r * rowBytes;
    for (let i = 0; i < dim; i++) {
      const o = <usize>i << 2;
      store<f32>(row + o, <f32>(<f64>load<f32>(row + o) - load<f64>(mean + (<usize>i << 3))));
    }
  }
}

/**
 * out (f64, dimA × dimB, row-major) = aᵀ·b over `rows` rows of a (rows × dimA, f32) and b (rows × dimB,
 * f32). `tmp` holds dimB f64. With symmetric = 1 (a == b) only the upper triangle is accumulated and
 * then mirrored.
 */
export function gram(a: usize, b: usize, rows: i32, dimA: i32, dimB: i32, out: usize, tmp: usize, symmetric: i32): void {
  const outRow = <usize>dimB << 3;
  memory.fill(out, 0, <usize>dimA * outRow);
  for (let r = 0; r < rows; r++) {
    const ra = a + <usize>r * (<usize>dimA << 2);
    const rb = b + <usize>r * (<usize>dimB << 2);
    for (let j = 0; j < dimB; j++) store<f64>(tmp + (<usize>j << 3), <f64>load<f32>(rb + (<usize>j << 2)));
    for (let i = 0; i < dimA; i++) {
      const x = <f64>load<f32>(ra + (<usize>i << 2));
      if (x == 0) continue;
      const vx = f64x2.splat(x);
      const o = out + <usize>i * outRow;
      let j = symmetric ? i : 0;
      if (j & 1) {
        const p = o + (<usize>j << 3);
        store<f64>(p, load<f64>(p) + x * load<f64>(tmp + (<usize>j << 3)));
        j++;
      }
      for (; j + 2 <= dimB; j += 2) {
        const p = o + (<usize>j << 3);
        v128.store(p, f64x2.add(v128.load(p), f64x2.mul(vx, v128.load(tmp + (<usize>j << 3)))));
      }
      for (; j < dimB; j++) {
        const p = o + (<usize>j << 3);
        store<f64>(p, load<f64>(p) + x * load<f64>(tmp + (<usize>j << 3)));
      }
    }
  }
  if (symmetric) {
    for (let i = 0; i < dimA; i++) {
      for (let j = 0; j < i; j++) {
        store<f64>(out + <usize>i * outRow + (<usize>j << 3), load<f64>(out + <usize>j * outRow + (<usize>i << 3)));
      }
    }
  }
}

/** y = M·x for a d × d f64 matrix. */
@inline function matVec(m: usize, d: i32, x: usize, y: usize): void {
  const rowBytes = <usize>d << 3;
  for (let i = 0; i < d; i++) {
    const row = m + <usize>i * rowBytes;
    let acc = f64x2.splat(0);
    let j = 0;
    for (; j + 2 <= d; j += 2) acc = f64x2.add(acc, f64x2.mul(v128.load(row + (<usize>j << 3)), v128.load(x + (<usize>j << 3))));
    let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
    for (; j < d; j++) s += load<f64>(row + (<usize>j << 3)) * load<f64>(x + (<usize>j << 3));
    store<f64>(y + (<usize>i << 3), s);
  }
}

/**
 * Power iteration on a symmetric positive semi-definite d × d f64 matrix: `vec` (f64 × d, a nonzero
 * start) converges to the dominant eigenvector (unit length, sign fixed so its largest-magnitude entry
 * is positive). Stops after `maxIter` steps or when the change is below `tol`. `tmp` holds d f64.
 * Returns the eigenvalue (Rayleigh quotient); the iteration count is stored as f64 at tmp + d·8.
 */
export function powerIteration(m: usize, d: i32, vec: usize, tmp: usize, maxIter: i32, tol: f64): f64 {
  let lambda: f64 = 0;
  let it = 0;
  normalizeF64(vec, d);
  for (; it < maxIter; it++) {
    matVec(m, d, vec, tmp);
    let dotv: f64 = 0;
    for (let i = 0; i < d; i++) dotv += load<f64>(tmp + (<usize>i << 3)) * load<f64>(vec + (<usize>i << 3));
    lambda = dotv;
    const n = normalizeF64(tmp, d);
    if (n == 0) { lambda = 0; break; }
    let diff: f64 = 0;
    for (let i = 0; i < d; i++) {
      const p = <usize>i << 3;
      const delta = load<f64>(tmp + p) - load<f64>(vec + p);
      diff += delta * delta;
      store<f64>(vec + p, load<f64>(tmp + p));
    }
    if (diff < tol * tol) { it++; break; }
  }
  // Sign convention: largest |entry| positive, so repeated runs (and both engines) agree on orientation.
  let big: f64 = 0;
  for (let i = 0; i < d; i++) {
    const v = load<f64>(vec + (<usize>i << 3));
    if (Math.abs(v) > Math.abs(big)) big = v;
  }
  if (big < 0) for (let i = 0; i < d; i++) store<f64>(vec + (<usize>i << 3), -load<f64>(vec + (<usize>i << 3)));
  store<f64>(tmp + (<usize>d << 3), <f64>it);
  return lambda;
}

/** Scales an f64 vector to unit length; returns its former norm (0 leaves it unchanged). */
function normalizeF64(v: usize, d: i32): f64 {
  let s: f64 = 0;
  for (let i = 0; i < d; i++) { const x = load<f64>(v + (<usize>i << 3)); s += x * x; }
  const n = Math.sqrt(s);
  if (n > 0) for (let i = 0; i < d; i++) store<f64>(v + (<usize>i << 3), load<f64>(v + (<usize>i << 3)) / n);
  return n;
}

/** M -= lambda · v·vᵀ (Hotelling deflation after an eigenpair has been found). */
export function deflate(m: usize, d: i32, vec: usize, lambda: f64): void {
  for (let i = 0; i < d; i++) {
    const li = lambda * load<f64>(vec + (<usize>i << 3));
    const row = m + <usize>i * (<usize>d << 3);
    for (let j = 0; j < d; j++) {
      const p = row + (<usize>j << 3);
      store<f64>(p, load<f64>(p) - li * load<f64>(vec + (<usize>j << 3)));
    }
  }
}

/**
 * out (f32, rows × k) = (data rows - mean) · componentsᵀ, where data is rows × dim f32, mean is dim f64
 * (or 0 for none) and components is k × dim f64.
 */
export function project(data: usize, rows: i32, dim: i32, mean: usize, components: usize, k: i32, out: usize): void {
  const rowBytes = <usize>dim << 2;
  const compBytes = <usize>dim << 3;
  for (let r = 0; r < rows; r++) {
    const row = data + <usize>r * rowBytes;
    for (let c = 0; c < k; c++) {
      const comp = components + <usize>c * compBytes;
      let s: f64 = 0;
      for (let i = 0; i < dim; i++) {
        let x = <f64>load<f32>(row + (<usize>i << 2));
        if (mean != 0) x -= load<f64>(mean + (<usize>i << 3));
        s += x * load<f64>(comp + (<usize>i << 3));
      }
      store<f32>(out + ((<usize>r * <usize>k + <usize>c) << 2), <f32>s);
    }
  }
}

