// fastText-style supervised linear classifier kernels: the hidden vector is the (mean or TF-IDF
// weighted) average of input rows (words and hashed word n-grams), the output layer is softmax,
// negative sampling, hierarchical softmax or one-vs-all logistic, and the gradient flows back into
// the input rows (fastText's Model::update with normalizeGradient). The host lays out everything in
// memory and passes a descriptor; nothing here allocates, there is no top-level code and no static
// data, so many instances (one per worker) can share one memory for Hogwild training.
import { dot, axpy, accumulateAndUpdate, add, scale, zero } from './lib/simd';
import { lcgNext, mixSeed } from './lib/rng';
export { heapBase, countNonFinite } from './lib/module-exports';
// Descriptor, example-set and scratch-header offsets and the loss codes: generated from
// assembly/abi/linear.abi.json (the host's encoder too).
import {
  D_DIM, D_ROWS, D_NWORDS, D_LABELS, D_LOSS, D_NEGATIVE, D_TFIDF, D_INPUT, D_OUTPUT, D_IDF, D_BUCKETS, D_SIGMOID, D_NOISE,
  D_PATHS, D_CODES, D_PATH_LENGTHS, D_MAX_DEPTH, D_LEARNING_RATE, D_TOTAL_TOKENS, D_SEED, D_UNSEEN_IDF, D_HIDDEN_OFFSET,
  D_GRAD_OFFSET, D_VIRTUAL_ROW_OFFSET, D_OUT_OFFSET, E_IDS, E_OFFSETS, E_LABELS, E_LABEL_OFFSETS, E_TOKENS, E_PERM,
  E_PREFIX, E_COUNT, S_RNG, S_LOSS, S_COUNT, LOSS_SOFTMAX, LOSS_NS, LOSS_HS, LOSS_OVA,
} from './abi/linear.generated';


// fastText's sigmoid table (loss.cc): 512 bins over [-8, 8], 513 entries.
const SIGMOID_TABLE_SIZE: i32 = 512;
const MAX_SIGMOID: f32 = 8;
// fastText's std_log adds 1e-5 before taking the log.
const LOG_EPS: f32 = 1e-5;

// Disjoint RNG stream spaces under one seed: training threads use streams 0..threads-1.
const INIT_STREAM: u64 = 1 << 40;
const SHUFFLE_STREAM: u64 = 2 << 40;

// Per-instance globals double as thread-local storage: each worker's instance has its own copy.
let desc: usize = 0;
let scratch: usize = 0;
let dim: i32 = 0;
let rowBytes: usize = 0;
let rows: i32 = 0;
let nwords: i32 = 0;
let nlabels: i32 = 0;
let lossKind: i32 = 0;
let neg: i32 = 0;
let tfidf: bool = false;
let input: usize = 0;
let output: usize = 0;
let idf: usize = 0;
let buckets: usize = 0;
let sigmoidTable: usize = 0;
let noise: usize = 0;
let paths: usize = 0;
let codes: usize = 0;
let pathLen: usize = 0;
let maxDepth: i32 = 0;
let unseenIdf: f32 = 1;
let seed: u64 = 0;
let hidden: usize = 0;
let grad: usize = 0;
let virtualRow: usize = 0;
let out: usize = 0;
// Hot-loop state of the current call (loaded from / saved to scratch around it).
let rng: u64 = 0;
let lossAcc: f64 = 0;

@inline function field(d: usize, off: usize): usize { return <usize>load<u32>(d + off); }

/** Binds this instance to a model descriptor and its own scratch block; seeds its RNG stream. */
export function setup(descPtr: usize, scratchPtr: usize, thread: i32): void {
  desc = descPtr;
  scratch = scratchPtr;
  dim = <i32>field(desc, D_DIM);
  rowBytes = <usize>dim << 2;
  rows = <i32>field(desc, D_ROWS);
  nwords = <i32>field(desc, D_NWORDS);
  nlabels = <i32>field(desc, D_LABELS);
  lossKind = <i32>field(desc, D_LOSS);
  neg = <i32>field(desc, D_NEGATIVE);
  tfidf = field(desc, D_TFIDF) != 0;
  input = field(desc, D_INPUT);
  output = field(desc, D_OUTPUT);
  idf = field(desc, D_IDF);
  buckets = field(desc, D_BUCKETS);
  sigmoidTable = field(desc, D_SIGMOID);
  noise = field(desc, D_NOISE);
  paths = field(desc, D_PATHS);
  codes = field(desc, D_CODES);
  pathLen = field(desc, D_PATH_LENGTHS);
  maxDepth = <i32>field(desc, D_MAX_DEPTH);
  unseenIdf = load<f32>(desc + D_UNSEEN_IDF);
  seed = load<u64>(desc + D_SEED);
  hidden = scratch + field(desc, D_HIDDEN_OFFSET);
  grad = scratch + field(desc, D_GRAD_OFFSET);
  virtualRow = scratch + field(desc, D_VIRTUAL_ROW_OFFSET);
  out = scratch + field(desc, D_OUT_OFFSET);
  store<u64>(scratch + S_RNG, mixSeed(seed, <u64>thread));
}

/** fastText's sigmoid table: 1 / (1 + exp(-x)) at 513 points over [-8, 8], computed in f64. */
export function initTables(descPtr: usize): void {
  const t = field(descPtr, D_SIGMOID);
  for (let i = 0; i <= SIGMOID_TABLE_SIZE; i++) {
    const x = <f64>(i * 2 * <i32>MAX_SIGMOID) / <f64>SIGMOID_TABLE_SIZE - <f64>MAX_SIGMOID;
    store<f32>(t + (<usize>i << 2), <f32>(1.0 / (1.0 + Math.exp(-x))));
  }
}

/**
 * Fills a row with fastText's input initialisation, uniform in [-1/dim, 1/dim), from a counter-based
 * stream keyed by the row's index in fastText's full (words + buckets) matrix. So rows can be laid out
 * compactly (only words and buckets the data uses) and a bucket first seen at prediction time gets
 * exactly the vector the full matrix would have held for it.
 */
@inline function fillInitRow(dst: usize, key: u64, d: i32, s: u64): void {
  let r = mixSeed(s, INIT_STREAM + key);
  const inv: f32 = <f32>1.0 / <f32>d;
  for (let k = 0; k < d; k++) {
    r = lcgNext(r);
    const u = <f32>(<u32>(r >> 40)) * <f32>(1.0 / 16777216.0);
    store<f32>(dst + (<usize>k << 2), (u * <f32>2 - <f32>1) * inv);
  }
}

/** Initialises input rows [from, to): words by word id, bucket rows by nwords + bucket index. */
export function initInput(descPtr: usize, from: i32, to: i32): void {
  const d = <i32>field(descPtr, D_DIM);
  const nw = <i32>field(descPtr, D_NWORDS);
  const inp = field(descPtr, D_INPUT);
  const bk = field(descPtr, D_BUCKETS);
  const s = load<u64>(descPtr + D_SEED);
  const rb = <usize>d << 2;
  for (let r = from; r < to; r++) {
    const key: u64 = r < nw ? <u64>r : <u64>nw + <u64>load<i32>(bk + (<usize>(r - nw) << 2));
    fillInitRow(inp + <usize>r * rb, key, d, s);
  }
}

/**
 * TF-IDF weights per input row from document frequencies (u32 per row, at `df`):
 * idf = ln((1 + N) / (1 + df)) + 1 (scikit-learn's smooth idf); rows never seen in training get df 0.
 */
export function initIdf(descPtr: usize, df: usize, docs: f64): void {
  const n = <i32>field(descPtr, D_ROWS);
  const w = field(descPtr, D_IDF);
  for (let r = 0; r < n; r++) {
    const c = <f64>load<u32>(df + (<usize>r << 2));
    store<f32>(w + (<usize>r << 2), <f32>(Math.log((1 + docs) / (1 + c)) + 1));
  }
  store<f32>(descPtr + D_UNSEEN_IDF, <f32>(Math.log(1 + docs) + 1));
}

/** Cumulative negative-sampling table over label counts^0.5 (fastText's NegativeSamplingLoss). */
export function initNoise(descPtr: usize, counts: usize): void {
  const n = <i32>field(descPtr, D_LABELS);
  const table = field(descPtr, D_NOISE);
  let total: f64 = 0;
  for (let i = 0; i < n; i++) total += Math.sqrt(load<f64>(counts + (<usize>i << 3)));
  let acc: f64 = 0;
  for (let i = 0; i < n; i++) {
    acc += Math.sqrt(load<f64>(counts + (<usize>i << 3)));
    store<u32>(table + (<usize>i << 2), <u32>Math.round(acc / total * 2147483647.0));
  }
}

/**
 * The epoch's example order: a seeded Fisher–Yates shuffle of 0..n-1 (a function of seed and epoch
 * only), and the running sum of example tokens in that order, which fixes each example's learning
 * rate independently of thread timing.
 */
export function shuffle(setPtr: usize, epoch: i32): void {
  const n = <i32>field(setPtr, E_COUNT);
  const perm = field(setPtr, E_PERM);
  const prefix = field(setPtr, E_PREFIX);
  const tokens = field(setPtr, E_TOKENS);
  for (let i = 0; i < n; i++) store<i32>(perm + (<usize>i << 2), i);
  let r = mixSeed(load<u64>(desc + D_SEED), SHUFFLE_STREAM + <u64>epoch);
  for (let i = n - 1; i > 0; i--) {
    r = lcgNext(r);
    const j = <i32>((r >> 16) % <u64>(i + 1));
    const a = load<i32>(perm + (<usize>i << 2));
    store<i32>(perm + (<usize>i << 2), load<i32>(perm + (<usize>j << 2)));
    store<i32>(perm + (<usize>j << 2), a);
  }
  let acc: f64 = 0;
  for (let i = 0; i < n; i++) {
    store<f64>(prefix + (<usize>i << 3), acc);
    acc += <f64>load<i32>(tokens + (<usize>load<i32>(perm + (<usize>i << 2)) << 2));
  }
  store<f64>(prefix + (<usize>n << 3), acc);
}

@inline function tableSigmoid(x: f32): f32 {
  if (x < -MAX_SIGMOID) return 0;
  if (x > MAX_SIGMOID) return 1;
  return load<f32>(sigmoidTable + (<usize>(<i32>((x + MAX_SIGMOID) * <f32>32)) << 2));
}

@inline function exactSigmoid(x: f32): f32 {
  return <f32>1 / (<f32>1 + Mathf.exp(-x));
}

@inline function nlog(p: f32): f64 {
  return -<f64>Mathf.log(p + LOG_EPS);
}

/** Address of input row `id`; ids >= rows are buckets the training data never used (generated). */
@inline function rowOf(id: i32): usize {
  if (id < rows) return input + <usize>id * rowBytes;
  fillInitRow(virtualRow, <u64>nwords + <u64>(id - rows), dim, seed);
  return virtualRow;
}

@inline function weightOf(id: i32): f32 {
  return id < rows ? load<f32>(idf + (<usize>id << 2)) : unseenIdf;
}

/**
 * hidden = Σ w_i · row(ids[i]) over materialised rows, 16 floats at a time held in registers across all
 * rows (w_i = 1 without tf-idf). Per element the additions happen in id order, exactly as a row-by-row
 * axpy into hidden would do them, so the result is the same bit for bit; only the loads and stores of
 * hidden per row are saved.
 */
@inline function sumRowsBlocked(ids: usize, n: i32): void {
  let k = 0;
  for (; k + 16 <= dim; k += 16) {
    const o = <usize>k << 2;
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
    for (let i = 0; i < n; i++) {
      const id = load<i32>(ids + (<usize>i << 2));
      const r = input + <usize>id * rowBytes + o;
      if (tfidf) {
        const w = f32x4.splat(load<f32>(idf + (<usize>id << 2)));
        a0 = f32x4.add(a0, f32x4.mul(w, v128.load(r)));
        a1 = f32x4.add(a1, f32x4.mul(w, v128.load(r, 16)));
        a2 = f32x4.add(a2, f32x4.mul(w, v128.load(r, 32)));
        a3 = f32x4.add(a3, f32x4.mul(w, v128.load(r, 48)));
      } else {
        a0 = f32x4.add(a0, v128.load(r));
        a1 = f32x4.add(a1, v128.load(r, 16));
        a2 = f32x4.add(a2, v128.load(r, 32));
        a3 = f32x4.add(a3, v128.load(r, 48));
      }
    }
    v128.store(hidden + o, a0);
    v128.store(hidden + o, a1, 16);
    v128.store(hidden + o, a2, 32);
    v128.store(hidden + o, a3, 48);
  }
  for (; k + 4 <= dim; k += 4) {
    const o = <usize>k << 2;
    let a = f32x4.splat(0);
    for (let i = 0; i < n; i++) {
      const id = load<i32>(ids + (<usize>i << 2));
      const x = v128.load(input + <usize>id * rowBytes + o);
      a = tfidf ? f32x4.add(a, f32x4.mul(f32x4.splat(load<f32>(idf + (<usize>id << 2))), x)) : f32x4.add(a, x);
    }
    v128.store(hidden + o, a);
  }
  for (; k < dim; k++) {
    const o = <usize>k << 2;
    let a: f32 = 0;
    for (let i = 0; i < n; i++) {
      const id = load<i32>(ids + (<usize>i << 2));
      const x = load<f32>(input + <usize>id * rowBytes + o);
      a = tfidf ? a + load<f32>(idf + (<usize>id << 2)) * x : a + x;
    }
    store<f32>(hidden + o, a);
  }
}

/** hidden = average of the example's input rows (weighted by idf with tfidf); returns the weight sum. */
@inline function computeHidden(ids: usize, n: i32): f32 {
  let virtualIds = false;
  let wsum: f32 = 0;
  for (let i = 0; i < n; i++) {
    const id = load<i32>(ids + (<usize>i << 2));
    if (id >= rows) virtualIds = true;
    if (tfidf) wsum += weightOf(id);
  }
  if (!tfidf) wsum = <f32>n;
  if (virtualIds) {
    // Buckets unseen in training (prediction only): their rows are generated one at a time.
    zero(hidden, dim);
    for (let i = 0; i < n; i++) {
      const id = load<i32>(ids + (<usize>i << 2));
      if (tfidf) axpy(weightOf(id), rowOf(id), hidden, dim);
      else add(rowOf(id), hidden, dim);
    }
  } else {
    sumRowsBlocked(ids, n);
  }
  scale(<f32>1 / wsum, hidden, dim);
  return wsum;
}

/**
 * row(ids[i]) += s_i · grad for every materialised row (s_i = 1 after the mean's grad scaling, or the
 * tf-idf share w_i / Σw), grad held in registers 16 floats at a time. A row listed twice gets both
 * updates in order, as fastText's per-row loop gives it.
 */
@inline function addGradToRows(ids: usize, n: i32, wsum: f32): void {
  let k = 0;
  for (; k + 16 <= dim; k += 16) {
    const o = <usize>k << 2;
    const g0 = v128.load(grad + o), g1 = v128.load(grad + o, 16), g2 = v128.load(grad + o, 32), g3 = v128.load(grad + o, 48);
    for (let i = 0; i < n; i++) {
      const id = load<i32>(ids + (<usize>i << 2));
      if (id >= rows) continue;
      const r = input + <usize>id * rowBytes + o;
      if (tfidf) {
        const s = f32x4.splat(load<f32>(idf + (<usize>id << 2)) / wsum);
        v128.store(r, f32x4.add(v128.load(r), f32x4.mul(s, g0)));
        v128.store(r, f32x4.add(v128.load(r, 16), f32x4.mul(s, g1)), 16);
        v128.store(r, f32x4.add(v128.load(r, 32), f32x4.mul(s, g2)), 32);
        v128.store(r, f32x4.add(v128.load(r, 48), f32x4.mul(s, g3)), 48);
      } else {
        v128.store(r, f32x4.add(v128.load(r), g0));
        v128.store(r, f32x4.add(v128.load(r, 16), g1), 16);
        v128.store(r, f32x4.add(v128.load(r, 32), g2), 32);
        v128.store(r, f32x4.add(v128.load(r, 48), g3), 48);
      }
    }
  }
  for (; k + 4 <= dim; k += 4) {
    const o = <usize>k << 2;
    const g = v128.load(grad + o);
    for (let i = 0; i < n; i++) {
      const id = load<i32>(ids + (<usize>i << 2));
      if (id >= rows) continue;
      const r = input + <usize>id * rowBytes + o;
      const x = tfidf ? f32x4.mul(f32x4.splat(load<f32>(idf + (<usize>id << 2)) / wsum), g) : g;
      v128.store(r, f32x4.add(v128.load(r), x));
    }
  }
  for (; k < dim; k++) {
    const o = <usize>k << 2;
    const g = load<f32>(grad + o);
    for (let i = 0; i < n; i++) {
      const id = load<i32>(ids + (<usize>i << 2));
      if (id >= rows) continue;
      const r = input + <usize>id * rowBytes + o;
      store<f32>(r, load<f32>(r) + (tfidf ? load<f32>(idf + (<usize>id << 2)) / wsum * g : g));
    }
  }
}

/** fastText's BinaryLogisticLoss::binaryLogistic with backprop: updates one output row, accumulates grad. */
@inline function binaryLogistic(row: i32, positive: bool, lr: f32): f64 {
  const wo = output + <usize>row * rowBytes;
  const score = tableSigmoid(dot(hidden, wo, dim));
  const alpha = lr * ((positive ? <f32>1 : <f32>0) - score);
  accumulateAndUpdate(alpha, hidden, wo, grad, dim);
  return positive ? nlog(score) : nlog(<f32>1 - score);
}

@inline function softmaxOutput(): void {
  let max: f32 = -Infinity;
  for (let i = 0; i < nlabels; i++) {
    const o = dot(hidden, output + <usize>i * rowBytes, dim);
    store<f32>(out + (<usize>i << 2), o);
    if (o > max) max = o;
  }
  let z: f32 = 0;
  for (let i = 0; i < nlabels; i++) {
    const e = Mathf.exp(load<f32>(out + (<usize>i << 2)) - max);
    store<f32>(out + (<usize>i << 2), e);
    z += e;
  }
  for (let i = 0; i < nlabels; i++) store<f32>(out + (<usize>i << 2), load<f32>(out + (<usize>i << 2)) / z);
}

@inline function drawNegative(): i32 {
  rng = lcgNext(rng);
  const target = <u32>((rng >> 16) % <u64>load<u32>(noise + (<usize>(nlabels - 1) << 2)));
  let lo = 0;
  let hi = nlabels;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (load<u32>(noise + (<usize>mid << 2)) <= target) lo = mid + 1;
    else hi = mid;
  }
  return lo < nlabels ? lo : nlabels - 1;
}

/** One SGD step of fastText's Model::update for the example's target(s); returns its loss. */
@inline function forwardBackward(labels: usize, nl: i32, lr: f32): f64 {
  if (lossKind == LOSS_OVA) {
    let loss: f64 = 0;
    for (let c = 0; c < nlabels; c++) {
      let match = false;
      for (let j = 0; j < nl; j++) if (load<i32>(labels + (<usize>j << 2)) == c) match = true;
      loss += binaryLogistic(c, match, lr);
    }
    return loss;
  }
  // Several labels with softmax/ns/hs: fastText trains on one of them, drawn uniformly.
  let target = load<i32>(labels);
  if (nl > 1) {
    rng = lcgNext(rng);
    target = load<i32>(labels + (<usize>(<i32>((rng >> 16) % <u64>nl)) << 2));
  }
  if (lossKind == LOSS_SOFTMAX) {
    softmaxOutput();
    for (let c = 0; c < nlabels; c++) {
      const alpha = lr * ((c == target ? <f32>1 : <f32>0) - load<f32>(out + (<usize>c << 2)));
      accumulateAndUpdate(alpha, hidden, output + <usize>c * rowBytes, grad, dim);
    }
    return nlog(load<f32>(out + (<usize>target << 2)));
  }
  if (lossKind == LOSS_NS) {
    let loss = binaryLogistic(target, true, lr);
    for (let n = 0; n < neg; n++) {
      let negative = drawNegative();
      while (negative == target) negative = drawNegative();
      loss += binaryLogistic(negative, false, lr);
    }
    return loss;
  }
  // Hierarchical softmax: the binary decisions on the target's path to the root.
  let loss: f64 = 0;
  const len = load<i32>(pathLen + (<usize>target << 2));
  const base = <usize>target * <usize>maxDepth;
  for (let d = 0; d < len; d++) {
    loss += binaryLogistic(load<i32>(paths + ((base + <usize>d) << 2)), load<u8>(codes + base + <usize>d) != 0, lr);
  }
  return loss;
}

/**
 * Trains on examples perm[from..to) of an example set. `tokensBefore` counts the tokens of all
 * earlier epochs; with the set's prefix sums it gives each example fastText's linearly decaying
 * learning rate lr0 · (1 - tokens processed / (epochs · tokens per epoch)).
 * Returns the number of examples trained; their summed loss is left in the scratch header (S_LOSS).
 */
export function trainRange(setPtr: usize, from: i32, to: i32, tokensBefore: f64): i32 {
  const ids = field(setPtr, E_IDS);
  const offsets = field(setPtr, E_OFFSETS);
  const labels = field(setPtr, E_LABELS);
  const labelOffsets = field(setPtr, E_LABEL_OFFSETS);
  const perm = field(setPtr, E_PERM);
  const prefix = field(setPtr, E_PREFIX);
  const lr0 = load<f64>(desc + D_LEARNING_RATE);
  const total = load<f64>(desc + D_TOTAL_TOKENS);
  rng = load<u64>(scratch + S_RNG);
  lossAcc = 0;
  let trained = 0;
  for (let i = from; i < to; i++) {
    const e = load<i32>(perm + (<usize>i << 2));
    const start = load<i32>(offsets + (<usize>e << 2));
    const n = load<i32>(offsets + (<usize>(e + 1) << 2)) - start;
    const lstart = load<i32>(labelOffsets + (<usize>e << 2));
    const nl = load<i32>(labelOffsets + (<usize>(e + 1) << 2)) - lstart;
    if (n == 0 || nl == 0) continue;
    let progress = (tokensBefore + load<f64>(prefix + (<usize>i << 3))) / total;
    if (progress > 1) progress = 1;
    const lr = <f32>(lr0 * (1.0 - progress));
    const exIds = ids + (<usize>start << 2);
    const wsum = computeHidden(exIds, n);
    zero(grad, dim);
    lossAcc += forwardBackward(labels + (<usize>lstart << 2), nl, lr);
    // fastText divides the gradient by the number of inputs (normalizeGradient for supervised);
    // with tf-idf each row gets its share w / Σw of the weighted mean instead.
    if (!tfidf) scale(<f32>1 / <f32>n, grad, dim);
    addGradToRows(exIds, n, wsum);
    trained++;
  }
  store<u64>(scratch + S_RNG, rng);
  store<f64>(scratch + S_LOSS, lossAcc);
  store<f64>(scratch + S_COUNT, <f64>trained);
  return trained;
}

/**
 * Class probabilities for examples [from, to) of a set, nlabels floats per example at `probs`:
 * softmax probabilities, one-vs-all / negative-sampling sigmoids, or hierarchical-softmax leaf
 * probabilities (products along the label's path). When the set carries labels (label ids, -1 for a
 * label the model does not know), the evaluation loss of each labelled example is summed in the scratch
 * header (S_LOSS) and their count kept there too (S_COUNT): -log p(label) averaged over the example's
 * labels (softmax, hs) or the one-vs-all binary cross-entropy (ns, ova); an unknown label costs -log(1e-5).
 */
export function forwardRange(setPtr: usize, from: i32, to: i32, probs: usize): i32 {
  const ids = field(setPtr, E_IDS);
  const offsets = field(setPtr, E_OFFSETS);
  const labels = field(setPtr, E_LABELS);
  const labelOffsets = field(setPtr, E_LABEL_OFFSETS);
  let loss: f64 = 0;
  let counted = 0;
  for (let e = from; e < to; e++) {
    const start = load<i32>(offsets + (<usize>e << 2));
    const n = load<i32>(offsets + (<usize>(e + 1) << 2)) - start;
    const p = probs + ((<usize>(e - from) * <usize>nlabels) << 2);
    if (n == 0) {
      for (let c = 0; c < nlabels; c++) store<f32>(p + (<usize>c << 2), 0);
      continue;
    }
    computeHidden(ids + (<usize>start << 2), n);
    if (lossKind == LOSS_SOFTMAX) {
      softmaxOutput();
      memory.copy(p, out, <usize>nlabels << 2);
    } else if (lossKind == LOSS_HS) {
      for (let node = 0; node < nlabels - 1; node++) {
        store<f32>(out + (<usize>node << 2), exactSigmoid(dot(hidden, output + <usize>node * rowBytes, dim)));
      }
      for (let c = 0; c < nlabels; c++) {
        const len = load<i32>(pathLen + (<usize>c << 2));
        const base = <usize>c * <usize>maxDepth;
        let q: f32 = 1;
        for (let d = 0; d < len; d++) {
          const f = load<f32>(out + (<usize>load<i32>(paths + ((base + <usize>d) << 2)) << 2));
          q *= load<u8>(codes + base + <usize>d) != 0 ? f : <f32>1 - f;
        }
        store<f32>(p + (<usize>c << 2), q);
      }
    } else {
      for (let c = 0; c < nlabels; c++) {
        store<f32>(p + (<usize>c << 2), exactSigmoid(dot(hidden, output + <usize>c * rowBytes, dim)));
      }
    }
    if (labels == 0) continue;
    const lstart = load<i32>(labelOffsets + (<usize>e << 2));
    const nl = load<i32>(labelOffsets + (<usize>(e + 1) << 2)) - lstart;
    if (nl == 0) continue;
    const lp = labels + (<usize>lstart << 2);
    let l: f64 = 0;
    if (lossKind == LOSS_NS || lossKind == LOSS_OVA) {
      for (let c = 0; c < nlabels; c++) {
        let match = false;
        for (let j = 0; j < nl; j++) if (load<i32>(lp + (<usize>j << 2)) == c) match = true;
        const q = load<f32>(p + (<usize>c << 2));
        l += match ? nlog(q) : nlog(<f32>1 - q);
      }
      for (let j = 0; j < nl; j++) if (load<i32>(lp + (<usize>j << 2)) < 0) l += nlog(0);
    } else {
      for (let j = 0; j < nl; j++) {
        const g = load<i32>(lp + (<usize>j << 2));
        l += nlog(g < 0 ? <f32>0 : load<f32>(p + (<usize>g << 2)));
      }
      l /= <f64>nl;
    }
    loss += l;
    counted++;
  }
  store<f64>(scratch + S_LOSS, loss);
  store<f64>(scratch + S_COUNT, <f64>counted);
  return to - from;
}

/** The loss summed by this instance's last trainRange / forwardRange call. */
export function lastLoss(): f64 {
  return load<f64>(scratch + S_LOSS);
}

/** Examples trained (trainRange) or labelled examples scored (forwardRange) by the last call. */
export function lastCount(): f64 {
  return load<f64>(scratch + S_COUNT);
}


