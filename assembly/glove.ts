// GloVe kernels, faithful to Stanford's GloVe C tools: cooccur.c (distance-weighted window counts in
// double, a dense block for the frequent-word corner plus an open-addressing hash table per thread for
// the rest; symmetric tables are counted as their upper triangle and mirrored on output), shuffle.c
// (seeded shuffle of the non-zero cells) and glove.c (weighted least squares, AdaGrad with its
// gradient clipping, word + context vectors and biases).
// The host lays everything out in memory and passes a descriptor; nothing here allocates, there is no
// top-level code and no static data, so one instance per worker can share one memory.
import { dot } from './lib/simd';
import { splitMixBelow, splitMixNext, splitMixSeed, splitMixUniform } from './lib/rng';
export { heapBase, countNonFinite } from './lib/module-exports';
// Descriptor offsets: generated from assembly/abi/glove.abi.json (the host's encoder too).
import {
  D_VOCAB, D_DIM, D_STRIDE, D_ROW_BYTES, D_WINDOW, D_SYMMETRIC, D_PARTITIONED, D_LOOKUP, D_DENSE, D_OWNER, D_INV_DIST,
  D_PARAMS, D_X_MAX, D_ALPHA, D_LEARNING_RATE, D_GRADIENT_CLIP,
} from './abi/glove.generated';

// Records (16 bytes). Counting: u32 j, u32 i, f64 x. Training: u32 j, u32 i, f32 log(x), f32 f(x).
// As a little-endian u64 the first 8 bytes are (i << 32) | j, so u64 order is (row, column) order.
// Hash-table entries use the same layout with i + 1 stored, so an all-zero slot is empty.

// Per-instance globals double as thread-local storage: each worker's instance has its own copy.
let vocab: i32 = 0;
let dim: i32 = 0;
let stride: i32 = 0;
let rowBytes: usize = 0;
let window: i32 = 0;
let symmetric: bool = true;
let partitioned: bool = false;
let lookup: usize = 0;
let dense: usize = 0;
let owner: usize = 0;
let invDist: usize = 0;
let params: usize = 0;
let thread: u8 = 0;
let table: usize = 0;
let capacity: u32 = 0;
let occupied: u32 = 0;
let limit: u32 = 0;
let lastRecords: u32 = 0;
let xMax: f64 = 100;
let alpha: f64 = 0.75;
let eta: f32 = 0.05;
let clip: f32 = 100;
// Keeps trainCells' touching loads alive (never read).
let touchSink: u32 = 0;

@inline function field(desc: usize, off: usize): usize { return <usize>load<u32>(desc + off); }

/**
 * Binds this instance to a model descriptor and, for counting, to its own hash table region of
 * `slots` 16-byte slots. `maxOccupied` is where countChunk stops and asks the host to spill.
 */
export function setup(desc: usize, threadIndex: i32, tablePtr: usize, slots: u32, maxOccupied: u32): void {
  vocab = <i32>field(desc, D_VOCAB);
  dim = <i32>field(desc, D_DIM);
  stride = <i32>field(desc, D_STRIDE);
  rowBytes = field(desc, D_ROW_BYTES);
  window = <i32>field(desc, D_WINDOW);
  symmetric = field(desc, D_SYMMETRIC) != 0;
  partitioned = field(desc, D_PARTITIONED) != 0;
  lookup = field(desc, D_LOOKUP);
  dense = field(desc, D_DENSE);
  owner = field(desc, D_OWNER);
  invDist = field(desc, D_INV_DIST);
  params = field(desc, D_PARAMS);
  xMax = load<f64>(desc + D_X_MAX);
  alpha = load<f64>(desc + D_ALPHA);
  eta = <f32>load<f64>(desc + D_LEARNING_RATE);
  clip = <f32>load<f64>(desc + D_GRADIENT_CLIP);
  thread = <u8>threadIndex;
  table = tablePtr;
  capacity = slots;
  limit = maxOccupied;
  occupied = 0;
}

/** cooccur.c weights a pair at distance d by 1/d, in double. */
export function initInverseDistances(desc: usize): void {
  const w = <i32>field(desc, D_WINDOW);
  const t = field(desc, D_INV_DIST);
  store<f64>(t, 0);
  for (let d = 1; d <= w; d++) store<f64>(t + (<usize>d << 3), 1.0 / <f64>d);
}

// ---------------------------------------------------------------------------------------------
// Counting

@inline function slotOf(key: u64): u32 {
  // A 64-bit mix (splitmix64's), then the high bits scaled to the capacity (no power-of-two needed).
  let h = key * 0x9E3779B97F4A7C15;
  h = (h ^ (h >> 29)) * 0xBF58476D1CE4E5B9;
  h ^= h >> 32;
  return <u32>(((h & 0xFFFFFFFF) * <u64>capacity) >> 32);
}

@inline function addCell(i: i32, j: i32, inc: f64): void {
  const row = lookup + (<usize>i << 2);
  const first = load<u32>(row);
  if (<u32>j < load<u32>(row, 4) - first) {
    const a = dense + (<usize>(first + <u32>j) << 3);
    store<f64>(a, load<f64>(a) + inc);
    return;
  }
  const key: u64 = (<u64>(i + 1) << 32) | <u64><u32>j;
  let s = slotOf(key);
  while (true) {
    const e = table + (<usize>s << 4);
    const k = load<u64>(e);
    if (k == key) {
      store<f64>(e, load<f64>(e, 8) + inc, 8);
      return;
    }
    if (k == 0) {
      store<u64>(e, key);
      store<f64>(e, inc, 8);
      occupied++;
      return;
    }
    s++;
    if (s == capacity) s = 0;
  }
}

/**
 * Counts the pairs whose row this thread owns for tokens start..n-1 of `ids` (sentences separated by
 * -1; the tokens before `start` are window history only). For each token, the words up to `window`
 * to its left in the same sentence are its contexts, weighted 1/distance, nearest first, as cooccur.c.
 * Symmetric counting adds every pair to (w1, w2) and (w2, w1) at once, so the table is exactly
 * symmetric and only its upper triangle (row <= column) is stored: each cell still receives the
 * same additions in the same order as cooccur.c's (the diagonal twice per pair, as there).
 * Returns n when done, or the index of the first token not counted because the table reached its
 * limit (the host grows or spills it and resumes).
 */
export function countChunk(ids: usize, n: i32, start: i32): i32 {
  for (let p = start; p < n; p++) {
    const w2 = load<i32>(ids + (<usize>p << 2));
    if (w2 < 0) continue;
    if (occupied > limit) return p;
    let lo = p - window;
    if (lo < 0) lo = 0;
    for (let k = p - 1; k >= lo; k--) {
      const w1 = load<i32>(ids + (<usize>k << 2));
      if (w1 < 0) break;
      const inc = load<f64>(invDist + (<usize>(p - k) << 3));
      if (symmetric) {
        const a = w1 < w2 ? w1 : w2;
        const b = w1 < w2 ? w2 : w1;
        if (!partitioned || load<u8>(owner + <usize>a) == thread) {
          addCell(a, b, inc);
          if (a == b) addCell(a, b, inc);
        }
      } else if (!partitioned || load<u8>(owner + <usize>w1) == thread) {
        addCell(w1, w2, inc);
      }
    }
  }
  return n;
}

/**
 * Symmetric counting fills only the dense corner's upper triangle; this copies it onto the lower one
 * (the corner is symmetric: j < length(i) exactly when i < length(j)). Rows are taken in blocks of
 * 64, block b by thread b % threads, tile by tile so both sides stay in cache.
 */
export function mirrorDense(threads: i32): void {
  const B = 64;
  // Rows with an upper part (length > row index) come first, as lengths fall while indices rise;
  // their columns reach at most row 0's length.
  let rows = 0;
  while (rows < vocab && load<u32>(lookup + (<usize>(rows + 1) << 2)) - load<u32>(lookup + (<usize>rows << 2)) > <u32>rows) rows++;
  const cols = vocab > 0 ? <i32>(load<u32>(lookup, 4) - load<u32>(lookup)) : 0;
  for (let ib = <i32>thread * B; ib < rows; ib += threads * B) {
    const iEnd = min(ib + B, rows);
    for (let jb = ib; jb < cols; jb += B) {
      const jEnd = min(jb + B, cols);
      for (let i = ib; i < iEnd; i++) {
        const first = load<u32>(lookup + (<usize>i << 2));
        const len = <i32>(load<u32>(lookup + (<usize>(i + 1) << 2)) - first);
        const stop = min(jEnd, len);
        for (let j = max(jb, i + 1); j < stop; j++) {
          const x = load<f64>(dense + (<usize>(first + <u32>j) << 3));
          store<f64>(dense + (<usize>(load<u32>(lookup + (<usize>j << 2)) + <u32>i) << 3), x);
        }
      }
    }
  }
}

/**
 * Appends, after n records at src, the mirror (j, i) of every off-diagonal one; returns how many.
 * Turns the stored upper triangle of a symmetric table into the whole table.
 */
export function mirrorRecords(src: usize, n: u32): u32 {
  const dst = src + (<usize>n << 4);
  let w: usize = 0;
  const end = dst;
  for (let r = src; r < end; r += 16) {
    const j = load<u32>(r);
    const i = load<u32>(r, 4);
    if (i == j) continue;
    const d = dst + (w << 4);
    store<u32>(d, i);
    store<u32>(d, j, 4);
    store<f64>(d, load<f64>(r, 8), 8);
    w++;
  }
  return <u32>w;
}

/**
 * Rehashes this thread's table into `slots` slots (>= the current capacity) at the same start: the
 * entries are first copied to a staging area right after the new table (the host reserves it), then
 * reinserted. Only the used prefix of a thread's region is ever touched, so a table that stays small
 * costs small memory.
 */
export function growTable(slots: u32, maxOccupied: u32): void {
  const staging = table + (<usize>slots << 4);
  const end = table + (<usize>capacity << 4);
  let n: usize = 0;
  for (let e = table; e < end; e += 16) {
    if (load<u64>(e) == 0) continue;
    v128.store(staging + (n << 4), v128.load(e));
    n++;
  }
  memory.fill(table, 0, <usize>slots << 4);
  capacity = slots;
  limit = maxOccupied;
  for (let k: usize = 0; k < n; k++) {
    const src = staging + (k << 4);
    const key = load<u64>(src);
    let s = slotOf(key);
    while (load<u64>(table + (<usize>s << 4)) != 0) {
      s++;
      if (s == capacity) s = 0;
    }
    v128.store(table + (<usize>s << 4), v128.load(src));
  }
}

/** Occupied slots of this thread's table. */
export function tableCount(): u32 {
  return occupied;
}

/** Moves this thread's entries to the start of its table as count records (row ids 0-based); returns how many. */
export function compactTable(): u32 {
  let w: usize = 0;
  const end = table + (<usize>capacity << 4);
  for (let e = table; e < end; e += 16) {
    const k = load<u64>(e);
    if (k == 0) continue;
    const d = table + (w << 4);
    const x = load<f64>(e, 8);
    store<u32>(d, <u32>k);
    store<u32>(d, <u32>(k >> 32) - 1, 4);
    store<f64>(d, x, 8);
    w++;
  }
  return <u32>w;
}

/** Empties this thread's table (after its entries were spilled). */
export function clearTable(): void {
  memory.fill(table, 0, <usize>capacity << 4);
  occupied = 0;
}

@inline function swapRecords(a: usize, b: usize): void {
  const t = v128.load(a);
  v128.store(a, v128.load(b));
  v128.store(b, t);
}

function insertionSort(lo: usize, hi: usize): void {
  for (let p = lo + 16; p < hi; p += 16) {
    const rec = v128.load(p);
    const k = load<u64>(p);
    let q = p;
    while (q > lo && load<u64>(q - 16) > k) {
      v128.store(q, v128.load(q - 16));
      q -= 16;
    }
    v128.store(q, rec);
  }
}

/** In-place quicksort of 16-byte records by their leading u64 key (median of three, Hoare partition). */
function quicksort(lo: usize, hi: usize): void {
  while (hi - lo > 24 * 16) {
    const mid = lo + (((hi - lo - 16) >> 5) << 4);
    const last = hi - 16;
    if (load<u64>(mid) < load<u64>(lo)) swapRecords(mid, lo);
    if (load<u64>(last) < load<u64>(lo)) swapRecords(last, lo);
    if (load<u64>(last) < load<u64>(mid)) swapRecords(last, mid);
    const pivot = load<u64>(mid);
    let i = lo - 16;
    let j = hi;
    while (true) {
      do i += 16; while (load<u64>(i) < pivot);
      do j -= 16; while (load<u64>(j) > pivot);
      if (i >= j) break;
      swapRecords(i, j);
    }
    const split = j + 16;
    // Recurse into the smaller side, loop on the larger: stack depth stays O(log n).
    if (split - lo < hi - split) {
      quicksort(lo, split);
      lo = split;
    } else {
      quicksort(split, hi);
      hi = split;
    }
  }
  insertionSort(lo, hi);
}

/** Sorts n records at ptr by (row, column), in place: a sorted run for the spill files. */
export function sortRecords(ptr: usize, n: u32): void {
  quicksort(ptr, ptr + (<usize>n << 4));
}

/**
 * Writes the non-zero dense cells from cell index `cursor` on as count records at dst, in (row,
 * column) order, at most `maxRecords` (only those with column >= row if `upperOnly`); returns the
 * next cursor (lastRecordCount() says how many were written). `cells` is the dense block's size.
 */
export function denseRecords(dst: usize, maxRecords: u32, cursor: u32, cells: u32, upperOnly: bool): u32 {
  // Row of the cursor: the last row whose first cell is <= cursor.
  let lo = 0;
  let hi = vocab;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (load<u32>(lookup + (<usize>(mid + 1) << 2)) <= cursor) lo = mid + 1;
    else hi = mid;
  }
  let row = lo;
  let c = cursor;
  let written: u32 = 0;
  while (c < cells && written < maxRecords) {
    while (c >= load<u32>(lookup + (<usize>(row + 1) << 2))) row++;
    const x = load<f64>(dense + (<usize>c << 3));
    const col = c - load<u32>(lookup + (<usize>row << 2));
    if (x != 0 && (!upperOnly || col >= <u32>row)) {
      const d = dst + (<usize>written << 4);
      store<u32>(d, col);
      store<u32>(d, <u32>row, 4);
      store<f64>(d, x, 8);
      written++;
    }
    c++;
  }
  lastRecords = written;
  return c;
}

/** Records written by the last denseRecords call. */
export function lastRecordCount(): u32 {
  return lastRecords;
}

/** memmove inside the memory (the host's view may not be shared). */
export function moveBytes(dst: usize, src: usize, n: usize): void {
  memory.copy(dst, src, n);
}

// ---------------------------------------------------------------------------------------------
// Cells: the weight and log(x) once per cell, and the seeded shuffle

/** Turns count records into training records in place: log(x) and f(x) = min(1, (x/xMax)^alpha), in double. */
export function prepareCells(ptr: usize, n: u32): void {
  const end = ptr + (<usize>n << 4);
  for (let r = ptr; r < end; r += 16) {
    const x = load<f64>(r, 8);
    const fx: f64 = x > xMax ? 1.0 : Math.pow(x / xMax, alpha);
    store<f32>(r, <f32>Math.log(x), 8);
    store<f32>(r, <f32>fx, 12);
  }
}

/** The shuffle's and initialisation's sequence: SplitMix64 from seed ^ stream · constant, first value skipped. */
@inline function seedRandom(seed: u64, stream: u64): void {
  splitMixSeed(seed ^ (stream * 0xD1B54A32D192ED03));
  splitMixNext();
}

/** Fisher–Yates shuffle of n 16-byte records (shuffle.c's, with an unbiased seeded generator). */
export function shuffleCells(ptr: usize, n: u32, seed: u64, stream: u64): void {
  seedRandom(seed, stream);
  for (let i = n; i > 1; i--) {
    const j = splitMixBelow(i);
    if (j != i - 1) swapRecords(ptr + (<usize>(i - 1) << 4), ptr + (<usize>j << 4));
  }
}

// ---------------------------------------------------------------------------------------------
// Training

/**
 * glove.c's initialisation: every weight and bias uniform in [-0.5, 0.5) / dim, every AdaGrad
 * accumulator 1 (so the first step size is the learning rate). Padding lanes stay 0 / 1.
 */
export function initParams(seed: u64): void {
  seedRandom(seed, 0x474C4F5645);
  const rows = <usize>vocab * 2;
  const gOff = <usize>stride << 2;
  const inv = 1.0 / <f64>dim;
  for (let r: usize = 0; r < rows; r++) {
    const row = params + r * rowBytes;
    for (let b = 0; b < stride; b++) {
      const o = <usize>b << 2;
      let w: f64 = 0;
      if (b < dim) w = (splitMixUniform() - 0.5) * inv;
      store<f32>(row + o, <f32>w);
      store<f32>(row + gOff + o, 1);
    }
    store<f32>(row + 2 * gOff, <f32>((splitMixUniform() - 0.5) * inv));
    store<f32>(row + 2 * gOff, 1, 4);
    store<f32>(row + 2 * gOff, 0, 8);
    store<f32>(row + 2 * gOff, 0, 12);
  }
}

/** Records ahead whose rows trainCells touches early (measured: 7 % more cells per CPU-second, vocabulary 26k). */
const PREFETCH_AHEAD: i32 = 4;

@inline function nonFinite(x: f32): bool {
  return (reinterpret<u32>(x) & 0x7F800000) == 0x7F800000;
}

/**
 * One AdaGrad step per training record, as glove.c: diff = w·w̃ + b + b̃ - log x, weighted by f(x);
 * each gradient component clipped to [-clip, clip] and scaled by eta, divided by sqrt of its running
 * sum of squares. Biases step by fdiff / sqrt(sum) without eta, exactly as glove.c does since its
 * clipping change. Cells whose diff is not finite are skipped (glove.c's NaN guard). SIMD over the
 * dimension; padding lanes are 0 and stay 0. Returns the summed cost 0.5 · f(x) · diff².
 */
export function trainCells(cells: usize, n: u32): f64 {
  let cost: f64 = 0;
  const vEta = f32x4.splat(eta);
  const vClip = f32x4.splat(clip);
  const vNegClip = f32x4.splat(-clip);
  const gOff = <usize>stride << 2;
  const bOff = gOff << 1;
  const end = cells + (<usize>n << 4);
  // Touch the rows of the cell PREFETCH_AHEAD records ahead, one load per cache line: WebAssembly has
  // no prefetch, but these independent loads miss while this cell's sqrt/div chain runs.
  let touched: u32 = 0;
  const ahead = <usize>PREFETCH_AHEAD << 4;
  for (let rec = cells; rec < end; rec += 16) {
    const next = rec + ahead;
    if (next < end) {
      const p1 = params + <usize>load<u32>(next, 4) * rowBytes;
      const p2 = params + (<usize>vocab + <usize>load<u32>(next)) * rowBytes;
      for (let o: usize = 0; o < rowBytes; o += 64) touched ^= load<u32>(p1 + o) ^ load<u32>(p2 + o);
    }
    const j = load<u32>(rec);
    const i = load<u32>(rec, 4);
    const logx = load<f32>(rec, 8);
    const fx = load<f32>(rec, 12);
    const w1 = params + <usize>i * rowBytes;
    const w2 = params + (<usize>vocab + <usize>j) * rowBytes;
    const b1 = load<f32>(w1 + bOff);
    const b2 = load<f32>(w2 + bOff);
    const diff = dot(w1, w2, stride) + ((b1 + b2) - logx);
    const fdiff = fx * diff;
    if (nonFinite(diff) || nonFinite(fdiff)) continue;
    cost += 0.5 * <f64>fdiff * <f64>diff;
    const vf = f32x4.splat(fdiff);
    for (let o: usize = 0; o < gOff; o += 16) {
      const a = v128.load(w1 + o);
      const b = v128.load(w2 + o);
      const ga = v128.load(w1 + gOff + o);
      const gb = v128.load(w2 + gOff + o);
      const t1 = f32x4.mul(f32x4.min(f32x4.max(f32x4.mul(vf, b), vNegClip), vClip), vEta);
      const t2 = f32x4.mul(f32x4.min(f32x4.max(f32x4.mul(vf, a), vNegClip), vClip), vEta);
      v128.store(w1 + o, f32x4.sub(a, f32x4.div(t1, f32x4.sqrt(ga))));
      v128.store(w2 + o, f32x4.sub(b, f32x4.div(t2, f32x4.sqrt(gb))));
      v128.store(w1 + gOff + o, f32x4.add(ga, f32x4.mul(t1, t1)));
      v128.store(w2 + gOff + o, f32x4.add(gb, f32x4.mul(t2, t2)));
    }
    const gb1 = load<f32>(w1 + bOff, 4);
    const gb2 = load<f32>(w2 + bOff, 4);
    store<f32>(w1 + bOff, b1 - fdiff / Mathf.sqrt(gb1));
    store<f32>(w2 + bOff, b2 - fdiff / Mathf.sqrt(gb2));
    const f2 = fdiff * fdiff;
    store<f32>(w1 + bOff, gb1 + f2, 4);
    store<f32>(w2 + bOff, gb2 + f2, 4);
  }
  touchSink ^= touched;
  return cost;
}

/** Writes vocab × dim output vectors at dst: 0 = word + context (glove.c -model 2), 1 = word, 2 = context. */
export function exportVectors(dst: usize, mode: i32): void {
  for (let r = 0; r < vocab; r++) {
    const w = params + <usize>r * rowBytes;
    const c = params + (<usize>vocab + <usize>r) * rowBytes;
    const out = dst + ((<usize>r * <usize>dim) << 2);
    for (let b = 0; b < dim; b++) {
      const o = <usize>b << 2;
      const v = mode == 0 ? load<f32>(w + o) + load<f32>(c + o) : mode == 1 ? load<f32>(w + o) : load<f32>(c + o);
      store<f32>(out + o, v);
    }
  }
}
