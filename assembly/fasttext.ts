// FastText unsupervised training kernels (skip-gram / CBOW with character n-grams × negative sampling,
// hierarchical softmax or softmax), faithful to fastText 0.9.2 (fasttext.cc, model.cc, loss.cc): the
// input vector is the mean of a word's own row and its n-gram rows, the hidden gradient is added to
// every one of those rows unscaled (Model::update normalises only for supervised models), fastText's
// sigmoid and log tables (512 bins over [-8, 8] and [0, 1]), negatives from the counts^0.5 table
// redrawn while they equal the target, a window radius drawn uniformly in 1..ws, and a learning rate
// falling linearly to 0. The host lays everything out and passes a descriptor; nothing here allocates,
// there is no top-level code and no static data, so many instances (one per worker) share one memory.
import { dot, dot4, axpy, axpy4, accumulateAndUpdate, add, scale, zero } from './lib/simd';
import { lcgNext, mixSeed } from './lib/rng';
export { heapBase, countNonFinite } from './lib/module-exports';
// Descriptor and scratch-header offsets: generated from assembly/abi/fasttext.abi.json (the host's encoder too).
import {
  D_DIM, D_NWORDS, D_WINDOW, D_NEGATIVE, D_LOSS, D_CBOW, D_BATCHED, D_SAMPLE, D_INPUT, D_OUTPUT, D_SIGMOID_TABLE,
  D_LOG_TABLE, D_KEEP, D_NEGATIVES, D_SUBWORD_STARTS, D_SUBWORDS, D_CODE_LENGTHS, D_CODES, D_POINTS, D_MAX_CODE, D_LR,
  D_TOTAL_WORDS, D_LR_UPDATE_RATE, D_MAX_SENTENCE, D_HIDDEN_OFFSET, D_GRAD_OFFSET, D_SENTENCE_OFFSET, D_OUTS_OFFSET,
  D_SCORES_OFFSET, LOSS_HS, LOSS_NS, LOSS_SOFTMAX, S_RNG, S_LOSS, S_TRAINED, S_PAIRS,
} from './abi/fasttext.generated';

// loss.cc: SIGMOID_TABLE_SIZE, MAX_SIGMOID, LOG_TABLE_SIZE.
const SIGMOID_TABLE_SIZE: i32 = 512;
const MAX_SIGMOID: f32 = 8;
const LOG_TABLE_SIZE: i32 = 512;
// (x + MAX_SIGMOID) * SIGMOID_TABLE_SIZE / MAX_SIGMOID / 2: powers of two, so exactly (x + 8) * 32 in f32.
const SIGMOID_SCALE: f32 = 32;

// Per-instance globals double as thread-local storage: each worker's instance has its own copy.
let desc: usize = 0;
let scratch: usize = 0;
let dim: i32 = 0;
let rowBytes: usize = 0;
let nwords: i32 = 0;
let window: i32 = 0;
let negative: i32 = 0;
let lossKind: i32 = 0;
let cbow: bool = false;
let batched: bool = false;
let sample: bool = false;
let input: usize = 0;
let output: usize = 0;
let sigmoidTable: usize = 0;
let logTable: usize = 0;
let keep: usize = 0;
let negCum: usize = 0;
let negTotal: u64 = 0;
let subStarts: usize = 0;
let subs: usize = 0;
let codeLen: usize = 0;
let codes: usize = 0;
let points: usize = 0;
let maxCode: i32 = 0;
let maxSent: i32 = 0;
let hidden: usize = 0;
let grad: usize = 0;
let sentence: usize = 0;
let outs: usize = 0;
let outIds: usize = 0;
let scores: usize = 0;
// Hot-loop state of the current trainChunk call (loaded from / saved to scratch around it).
let rng: u64 = 0;
let lossAcc: f64 = 0;
let updates: f64 = 0;

@inline function field(off: usize): usize { return <usize>load<u32>(desc + off); }

/** Binds this instance to a model descriptor and its own scratch block; seeds its RNG stream. */
export function setup(descPtr: usize, scratchPtr: usize, seed: u64, thread: i32): void {
  desc = descPtr;
  scratch = scratchPtr;
  dim = <i32>field(D_DIM);
  rowBytes = <usize>dim << 2;
  nwords = <i32>field(D_NWORDS);
  window = <i32>field(D_WINDOW);
  negative = <i32>field(D_NEGATIVE);
  lossKind = <i32>field(D_LOSS);
  cbow = field(D_CBOW) != 0;
  batched = field(D_BATCHED) != 0;
  sample = field(D_SAMPLE) != 0;
  input = field(D_INPUT);
  output = field(D_OUTPUT);
  sigmoidTable = field(D_SIGMOID_TABLE);
  logTable = field(D_LOG_TABLE);
  keep = field(D_KEEP);
  negCum = field(D_NEGATIVES);
  negTotal = nwords > 0 ? <u64>load<u32>(negCum + (<usize>(nwords - 1) << 2)) : 0;
  subStarts = field(D_SUBWORD_STARTS);
  subs = field(D_SUBWORDS);
  codeLen = field(D_CODE_LENGTHS);
  codes = field(D_CODES);
  points = field(D_POINTS);
  maxCode = <i32>field(D_MAX_CODE);
  maxSent = <i32>field(D_MAX_SENTENCE);
  hidden = scratch + field(D_HIDDEN_OFFSET);
  grad = scratch + field(D_GRAD_OFFSET);
  sentence = scratch + field(D_SENTENCE_OFFSET);
  outs = scratch + field(D_OUTS_OFFSET);
  outIds = outs + ((<usize>(2 * window * (negative + 1))) << 2);
  scores = scratch + field(D_SCORES_OFFSET);
  store<u64>(scratch + S_RNG, mixSeed(seed, <u64>thread));
}

/** loss.cc's tables: sigmoid over [-8, 8] and log over (0, 1], 513 entries each, computed as fastText does. */
export function initTables(descPtr: usize): void {
  const s = <usize>load<u32>(descPtr + D_SIGMOID_TABLE);
  const l = <usize>load<u32>(descPtr + D_LOG_TABLE);
  for (let i = 0; i <= SIGMOID_TABLE_SIZE; i++) {
    const x: f32 = <f32>(i * 2 * <i32>MAX_SIGMOID) / <f32>SIGMOID_TABLE_SIZE - MAX_SIGMOID;
    store<f32>(s + (<usize>i << 2), <f32>(1.0 / (1.0 + Math.exp(-<f64>x))));
  }
  for (let i = 0; i <= LOG_TABLE_SIZE; i++) {
    const x: f32 = <f32>((<f64>i + 1e-5) / <f64>LOG_TABLE_SIZE);
    store<f32>(l + (<usize>i << 2), <f32>Math.log(<f64>x));
  }
}

/**
 * Dictionary::initTableDiscard: keep probability sqrt(t / f) + t / f with f = count / ntokens (all
 * corpus tokens, as fastText counts them), stored as a u32 fraction of 2^32 compared with 32 random bits.
 */
export function initKeep(descPtr: usize, counts: usize, n: i32, t: f64, ntokens: f64): void {
  const k = <usize>load<u32>(descPtr + D_KEEP);
  for (let i = 0; i < n; i++) {
    const f: f32 = <f32>load<f64>(counts + (<usize>i << 3)) / <f32>ntokens;
    const p: f32 = <f32>(Math.sqrt(t / <f64>f) + t / <f64>f);
    store<u32>(k + (<usize>i << 2), p >= 1 ? 0xFFFFFFFF : <u32>(<f64>p * 4294967296.0));
  }
}

/**
 * NegativeSamplingLoss's table: word i fills ceil(c_i · 10^7 / z) of its 10^7 entries (c = count^0.5,
 * z their sum, in float as fastText computes them). Stored cumulatively (nwords u32, not 40 MB) and
 * drawn by bisection: the same distribution as fastText's uniform index into the table.
 */
export function initNegatives(descPtr: usize, counts: usize, n: i32): void {
  const table = <usize>load<u32>(descPtr + D_NEGATIVES);
  let z: f32 = 0;
  for (let i = 0; i < n; i++) z += <f32>Math.pow(load<f64>(counts + (<usize>i << 3)), 0.5);
  let acc: u32 = 0;
  for (let i = 0; i < n; i++) {
    const c: f32 = <f32>Math.pow(load<f64>(counts + (<usize>i << 3)), 0.5);
    const x: f32 = c * <f32>10000000 / z;
    acc += <u32>Mathf.ceil(x);
    store<u32>(table + (<usize>i << 2), acc);
  }
}

/**
 * Rows [from, to) of the input matrix uniform in [-1/dim, 1/dim] (fastText's DenseMatrix::uniform).
 * Each row has its own stream (seed, row), so any split of the rows over threads gives the same matrix.
 */
export function initInput(descPtr: usize, seed: u64, from: i32, to: i32): void {
  const d = <i32>load<u32>(descPtr + D_DIM);
  const base = <usize>load<u32>(descPtr + D_INPUT);
  const a: f32 = <f32>(1.0 / <f64>d);
  for (let row = from; row < to; row++) {
    let r: u64 = mixSeed(seed, <u64>row + 0x10000);
    const p = base + <usize>row * (<usize>d << 2);
    for (let j = 0; j < d; j++) {
      r = lcgNext(r);
      const u: f32 = <f32>(<u32>(r >> 40)) * (<f32>1.0 / <f32>16777216.0);
      store<f32>(p + (<usize>j << 2), (u * 2 - 1) * a);
    }
  }
}

@inline function sigmoid(x: f32): f32 {
  if (x < -MAX_SIGMOID) return 0;
  if (x > MAX_SIGMOID) return 1;
  return load<f32>(sigmoidTable + (<usize>(<i32>((x + MAX_SIGMOID) * SIGMOID_SCALE)) << 2));
}

/** Loss::log: the table's log of a probability (0 above 1). */
@inline function logp(x: f32): f32 {
  if (x > 1) return 0;
  return load<f32>(logTable + (<usize>(<i32>(x * <f32>LOG_TABLE_SIZE)) << 2));
}

@inline function inRow(row: i32): usize {
  return input + <usize>row * rowBytes;
}

@inline function outRow(id: i32): usize {
  return output + <usize>id * rowBytes;
}

@inline function drawNegative(): i32 {
  rng = lcgNext(rng);
  const target = <u32>(((rng >> 32) * negTotal) >> 32);
  let lo = 0;
  let hi = nwords;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (load<u32>(negCum + (<usize>mid << 2)) <= target) lo = mid + 1;
    else hi = mid;
  }
  return lo < nwords ? lo : nwords - 1;
}

/** BinaryLogisticLoss::binaryLogistic: grad += alpha · out[row]; out[row] += alpha · hidden. */
@inline function binaryLogistic(row: usize, positive: bool, lr: f32): f32 {
  const score = sigmoid(dot(hidden, row, dim));
  const alpha = lr * ((positive ? <f32>1 : <f32>0) - score);
  accumulateAndUpdate(alpha, hidden, row, grad, dim);
  return positive ? -logp(score) : -logp(<f32>1 - score);
}

/** Loss::forward for one target word with the current hidden vector; accumulates the hidden gradient. */
function forward(target: i32, lr: f32): f32 {
  let loss: f32 = 0;
  if (lossKind == LOSS_NS) {
    loss += binaryLogistic(outRow(target), true, lr);
    for (let n = 0; n < negative; n++) {
      let neg: i32;
      do neg = drawNegative();
      while (neg == target);
      loss += binaryLogistic(outRow(neg), false, lr);
    }
  } else if (lossKind == LOSS_HS) {
    // fastText walks the path from the leaf to the root; the label is the branch bit.
    const len = <i32>load<u8>(codeLen + <usize>target);
    const cbase = codes + <usize>target * <usize>maxCode;
    const pbase = points + ((<usize>target * <usize>maxCode) << 2);
    for (let d = len - 1; d >= 0; d--) {
      const node = load<i32>(pbase + (<usize>d << 2));
      loss += binaryLogistic(outRow(node), load<u8>(cbase + <usize>d) != 0, lr);
    }
  } else if (lossKind == LOSS_SOFTMAX) {
    // SoftmaxLoss: the full distribution first, then every output row's update.
    let max: f32 = 0;
    for (let i = 0; i < nwords; i++) {
      const s = dot(hidden, outRow(i), dim);
      store<f32>(scores + (<usize>i << 2), s);
      if (i == 0 || s > max) max = s;
    }
    let z: f32 = 0;
    for (let i = 0; i < nwords; i++) {
      const e = Mathf.exp(load<f32>(scores + (<usize>i << 2)) - max);
      store<f32>(scores + (<usize>i << 2), e);
      z += e;
    }
    for (let i = 0; i < nwords; i++) {
      const p = load<f32>(scores + (<usize>i << 2)) / z;
      store<f32>(scores + (<usize>i << 2), p);
      const alpha = lr * ((i == target ? <f32>1 : <f32>0) - p);
      accumulateAndUpdate(alpha, hidden, outRow(i), grad, dim);
    }
    loss = -logp(load<f32>(scores + (<usize>target << 2)));
  }
  return loss;
}

/** hidden = mean of the input rows of word w (its id and its n-gram buckets); returns how many rows. */
@inline function hiddenOf(w: i32): i32 {
  const s = load<u32>(subStarts + (<usize>w << 2));
  const e = load<u32>(subStarts + (<usize>(w + 1) << 2));
  zero(hidden, dim);
  for (let k = s; k < e; k++) add(inRow(load<i32>(subs + (<usize>k << 2))), hidden, dim);
  const n = <i32>(e - s);
  scale(<f32>(1.0 / <f64>n), hidden, dim);
  return n;
}

/** Adds the hidden gradient to every input row of word w (Model::update, unscaled for unsupervised models). */
@inline function applyGrad(w: i32): void {
  const s = load<u32>(subStarts + (<usize>w << 2));
  const e = load<u32>(subStarts + (<usize>(w + 1) << 2));
  for (let k = s; k < e; k++) add(grad, inRow(load<i32>(subs + (<usize>k << 2))), dim);
}

/** FastText::skipgram's update for one pair: the centre's subword mean predicts the context word. */
@inline function skipgramPair(centre: i32, context: i32, lr: f32): void {
  hiddenOf(centre);
  zero(grad, dim);
  lossAcc += <f64>forward(context, lr);
  updates += 1;
  applyGrad(centre);
}

/** FastText::cbow for position sp: the mean of every input row of the window's words predicts the centre. */
function cbowWindow(sp: i32, b: i32, len: i32, lr: f32): void {
  zero(hidden, dim);
  let n = 0;
  for (let c = -b; c <= b; c++) {
    const p = sp + c;
    if (c == 0 || p < 0 || p >= len) continue;
    const w = load<i32>(sentence + (<usize>p << 2));
    const s = load<u32>(subStarts + (<usize>w << 2));
    const e = load<u32>(subStarts + (<usize>(w + 1) << 2));
    for (let k = s; k < e; k++) add(inRow(load<i32>(subs + (<usize>k << 2))), hidden, dim);
    n += <i32>(e - s);
  }
  if (n == 0) return;
  scale(<f32>(1.0 / <f64>n), hidden, dim);
  zero(grad, dim);
  lossAcc += <f64>forward(load<i32>(sentence + (<usize>sp << 2)), lr);
  updates += 1;
  for (let c = -b; c <= b; c++) {
    const p = sp + c;
    if (c == 0 || p < 0 || p >= len) continue;
    applyGrad(load<i32>(sentence + (<usize>p << 2)));
  }
}

/**
 * Batched skip-gram (ns): the centre's subword mean is built once per position and serves every pair
 * of its window; each context word keeps its own negatives (drawn as fastText draws them, redrawn while
 * they equal that context word), so the window's outputs are k · (1 + negative) rows scored in one
 * matrix-vector product, four rows per pass over the hidden vector. Gradients use the rows as they
 * were at the start of the window, and the summed hidden gradient reaches the centre's input rows once
 * per window instead of once per pair (a window's pairs otherwise rebuild and rewrite ~15 rows each).
 * One shared set of negatives per window (as Word2Vec's batched mode) was measured first: ~1.5× less
 * CPU still, but the semantic analogies fell from 15 % to 5 % on a 5 MB text8 slice (syntactic and OOV
 * held), so the negatives stay per pair.
 */
function skipgramWindowBatched(sp: i32, b: i32, len: i32, lr: f32): void {
  const centre = load<i32>(sentence + (<usize>sp << 2));
  let no = 0;
  let k = 0;
  for (let c = -b; c <= b; c++) {
    const p = sp + c;
    if (c == 0 || p < 0 || p >= len) continue;
    const w = load<i32>(sentence + (<usize>p << 2));
    store<i32>(outIds + (<usize>no << 2), w);
    store<usize>(outs + (<usize>no << 2), outRow(w));
    no++;
    k++;
    for (let d = 0; d < negative; d++) {
      let neg: i32;
      do neg = drawNegative();
      while (neg == w);
      store<i32>(outIds + (<usize>no << 2), -1);
      store<usize>(outs + (<usize>no << 2), outRow(neg));
      no++;
    }
  }
  if (k == 0) return;
  hiddenOf(centre);
  // 1. scores of every output row, four rows per pass over the hidden vector
  let oi = 0;
  for (; oi + 4 <= no; oi += 4) {
    const ob = outs + (<usize>oi << 2);
    dot4(hidden, load<usize>(ob), load<usize>(ob, 4), load<usize>(ob, 8), load<usize>(ob, 12), dim, scores + (<usize>oi << 2));
  }
  for (; oi < no; oi++) store<f32>(scores + (<usize>oi << 2), dot(hidden, load<usize>(outs + (<usize>oi << 2)), dim));
  // 2. binaryLogistic's alpha and loss per output (a context word is a positive, the rows after it its negatives)
  let loss: f32 = 0;
  for (oi = 0; oi < no; oi++) {
    const p = scores + (<usize>oi << 2);
    const score = sigmoid(load<f32>(p));
    if (load<i32>(outIds + (<usize>oi << 2)) >= 0) {
      store<f32>(p, lr * (<f32>1 - score));
      loss += -logp(score);
    } else {
      store<f32>(p, lr * (<f32>0 - score));
      loss += -logp(<f32>1 - score);
    }
  }
  lossAcc += <f64>loss;
  updates += <f64>k;
  // 3. hidden gradient from the old output rows
  zero(grad, dim);
  oi = 0;
  for (; oi + 4 <= no; oi += 4) {
    const ob = outs + (<usize>oi << 2);
    const gp = scores + (<usize>oi << 2);
    axpy4(load<f32>(gp), load<f32>(gp, 4), load<f32>(gp, 8), load<f32>(gp, 12),
      load<usize>(ob), load<usize>(ob, 4), load<usize>(ob, 8), load<usize>(ob, 12), grad, dim);
  }
  for (; oi < no; oi++) axpy(load<f32>(scores + (<usize>oi << 2)), load<usize>(outs + (<usize>oi << 2)), grad, dim);
  // 4. output rows from the hidden vector, then the centre's input rows
  for (oi = 0; oi < no; oi++) axpy(load<f32>(scores + (<usize>oi << 2)), hidden, load<usize>(outs + (<usize>oi << 2)), dim);
  applyGrad(centre);
}

/**
 * The learning rate of a sentence starting `words` corpus words into the run: lr · (1 - progress), the
 * progress advancing in steps of lrUpdateRate words as fastText's shared token counter does. It depends
 * on the position only, never on timing or threads.
 */
@inline function lrAt(words: f64): f32 {
  const lr0 = load<f64>(desc + D_LR);
  const total = load<f64>(desc + D_TOTAL_WORDS);
  const rate = <f64>load<u32>(desc + D_LR_UPDATE_RATE);
  const progress = Math.floor(words / rate) * rate / total;
  const lr = lr0 * (1.0 - progress);
  return lr > 0 ? <f32>lr : 0;
}

/**
 * Trains on `n` ids at `ids` (sentences separated by -1). `wordsBefore` is how many corpus words all
 * epochs had before this chunk, which fixes the learning rate independently of thread timing.
 * Returns the number of words kept after subsampling; its loss and updates are left in the scratch
 * header (S_LOSS, S_PAIRS).
 */
export function trainChunk(ids: usize, n: i32, wordsBefore: f64): i32 {
  rng = load<u64>(scratch + S_RNG);
  lossAcc = 0;
  updates = 0;
  let trained = 0;
  let seen: f64 = 0;
  let pos = 0;
  while (pos < n) {
    const lr = lrAt(wordsBefore + seen);
    // Dictionary::getLine: the sentence's words, each kept with its subsampling probability.
    let len = 0;
    while (pos < n && len < maxSent) {
      const w = load<i32>(ids + (<usize>pos << 2));
      pos++;
      if (w < 0) break;
      seen += 1;
      if (sample) {
        rng = lcgNext(rng);
        if (<u32>(rng >> 32) > load<u32>(keep + (<usize>w << 2))) continue;
      }
      store<i32>(sentence + (<usize>len << 2), w);
      len++;
    }
    trained += len;
    for (let sp = 0; sp < len; sp++) {
      rng = lcgNext(rng);
      const b = 1 + <i32>((rng >> 33) % <u64>window);
      if (cbow) cbowWindow(sp, b, len, lr);
      else if (batched) skipgramWindowBatched(sp, b, len, lr);
      else {
        const centre = load<i32>(sentence + (<usize>sp << 2));
        for (let c = -b; c <= b; c++) {
          const p = sp + c;
          if (c == 0 || p < 0 || p >= len) continue;
          skipgramPair(centre, load<i32>(sentence + (<usize>p << 2)), lr);
        }
      }
    }
  }
  store<u64>(scratch + S_RNG, rng);
  store<f64>(scratch + S_LOSS, lossAcc);
  store<i32>(scratch + S_TRAINED, trained);
  store<f64>(scratch + S_PAIRS, updates);
  return trained;
}

/** The loss summed over this instance's last trainChunk call. */
export function lastLoss(): f64 {
  return load<f64>(scratch + S_LOSS);
}

/** The updates (skip-gram pairs, CBOW windows) of this instance's last trainChunk call. */
export function lastPairs(): f64 {
  return load<f64>(scratch + S_PAIRS);
}
