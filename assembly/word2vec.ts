// Word2Vec training kernels (skip-gram / CBOW × negative sampling / hierarchical softmax), faithful to
// word2vec.c: sigmoid table (MAX_EXP 6, 1000 bins), dynamic window, subsampling, linear alpha decay.
// The host lays everything out in memory and passes a descriptor; nothing here allocates, there is no
// top-level code and no static data, so many instances (one per worker) can share one memory.
import { dot, dot4, axpy, axpy4, accumulateAndUpdate, add, scale, zero } from './lib/simd';
import { lcgNext, mixSeed } from './lib/rng';
export { heapBase, countNonFinite } from './lib/module-exports';
// Descriptor and scratch-header offsets: generated from assembly/abi/word2vec.abi.json (the host's encoder too).
import {
  D_DIM, D_VOCAB, D_WINDOW, D_NEGATIVE, D_HS, D_CBOW, D_SAMPLE, D_SYN0, D_SYN1NEG, D_SYN1, D_EXP_TABLE, D_LOSS_TABLE,
  D_KEEP, D_NOISE, D_CODE_LENGTHS, D_CODES, D_POINTS, D_ALPHA, D_MIN_ALPHA, D_TOTAL_WORDS, D_MAX_CODE, D_MAX_SENTENCE,
  D_BATCHED, D_NEU1E_OFFSET, D_SENTENCE_OFFSET, D_D_IN_OFFSET, D_GRAD_OFFSET, D_OUTS_OFFSET, D_HOT_ROWS, D_SYNC_EVERY,
  D_HOT_OFFSET, S_RNG, S_LOSS, S_TRAINED, S_PAIRS, WORD2VEC_SCRATCH_BYTES,
} from './abi/word2vec.generated';

const EXP_TABLE_SIZE: i32 = 1000;
const MAX_EXP: f32 = 6;
// word2vec.c computes EXP_TABLE_SIZE / MAX_EXP / 2 in integer arithmetic: 1000 / 6 / 2 = 83.
const EXP_SCALE: f32 = 83;

// Per-instance globals double as thread-local storage: each worker's instance has its own copy.
let desc: usize = 0;
let scratch: usize = 0;
let dim: i32 = 0;
let rowBytes: usize = 0;
let window: i32 = 0;
let negative: i32 = 0;
let useHs: bool = false;
let cbow: bool = false;
let sample: bool = false;
let syn0: usize = 0;
let syn1neg: usize = 0;
let syn1: usize = 0;
let expTable: usize = 0;
let lossTable: usize = 0;
let keep: usize = 0;
let cum: usize = 0;
let vocab: i32 = 0;
let codeLen: usize = 0;
let codes: usize = 0;
let points: usize = 0;
let maxCode: i32 = 0;
let maxSent: i32 = 0;
let neu1: usize = 0;
let neu1e: usize = 0;
let sentence: usize = 0;
let batched: bool = false;
let dIn: usize = 0;
let grad: usize = 0;
let outs: usize = 0;
let hotN: i32 = 0;
let syncEvery: i32 = 0;
let sinceSync: i32 = 0;
let hotIn: usize = 0; // private syn0 rows 0..hotN-1
let baseIn: usize = 0; // the same rows as last read from syn0
let hotOut: usize = 0; // private syn1neg rows
let baseOut: usize = 0;
// Hot-loop state of the current trainChunk call (loaded from / saved to scratch around it).
let rng: u64 = 0;
let lossAcc: f64 = 0;

@inline function field(off: usize): usize { return <usize>load<u32>(desc + off); }

/** Binds this instance to a model descriptor and its own scratch block; seeds its RNG stream. */
export function setup(descPtr: usize, scratchPtr: usize, seed: u64, thread: i32): void {
  desc = descPtr;
  scratch = scratchPtr;
  dim = <i32>field(D_DIM);
  rowBytes = <usize>dim << 2;
  vocab = <i32>field(D_VOCAB);
  window = <i32>field(D_WINDOW);
  negative = <i32>field(D_NEGATIVE);
  useHs = field(D_HS) != 0;
  cbow = field(D_CBOW) != 0;
  sample = field(D_SAMPLE) != 0;
  syn0 = field(D_SYN0);
  syn1neg = field(D_SYN1NEG);
  syn1 = field(D_SYN1);
  expTable = field(D_EXP_TABLE);
  lossTable = field(D_LOSS_TABLE);
  keep = field(D_KEEP);
  cum = field(D_NOISE);
  codeLen = field(D_CODE_LENGTHS);
  codes = field(D_CODES);
  points = field(D_POINTS);
  maxCode = <i32>field(D_MAX_CODE);
  maxSent = <i32>field(D_MAX_SENTENCE);
  batched = field(D_BATCHED) != 0;
  neu1 = scratch + WORD2VEC_SCRATCH_BYTES; // right after the header, as the host plans the block
  neu1e = scratch + field(D_NEU1E_OFFSET);
  sentence = scratch + field(D_SENTENCE_OFFSET);
  dIn = scratch + field(D_D_IN_OFFSET);
  grad = scratch + field(D_GRAD_OFFSET);
  outs = scratch + field(D_OUTS_OFFSET);
  hotN = <i32>field(D_HOT_ROWS);
  syncEvery = <i32>field(D_SYNC_EVERY);
  const hotBytes = <usize>hotN * rowBytes;
  hotIn = scratch + field(D_HOT_OFFSET);
  baseIn = hotIn + hotBytes;
  hotOut = baseIn + hotBytes;
  baseOut = hotOut + hotBytes;
  store<u64>(scratch + S_RNG, mixSeed(seed, <u64>thread));
}

/** Fills word2vec.c's sigmoid table and a matching -log(sigmoid) table for the training loss. */
export function initTables(descPtr: usize): void {
  const e = <usize>load<u32>(descPtr + D_EXP_TABLE);
  const l = <usize>load<u32>(descPtr + D_LOSS_TABLE);
  for (let i = 0; i < EXP_TABLE_SIZE; i++) {
    const x = (<f64>i / <f64>EXP_TABLE_SIZE * 2 - 1) * <f64>MAX_EXP;
    const ex = Math.exp(x);
    store<f32>(e + (<usize>i << 2), <f32>(ex / (ex + 1)));
    // -log(sigmoid(x)) = log(1 + exp(-x))
    store<f32>(l + (<usize>i << 2), <f32>Math.log(1 + Math.exp(-x)));
  }
}

/**
 * Subsampling keep thresholds as in word2vec.c / gensim: keep probability
 * (sqrt(c / (s·T)) + 1) · (s·T) / c, stored as a u32 fraction of 2^32 compared with 32 random bits.
 */
export function initKeep(descPtr: usize, counts: usize, n: i32, sampleRate: f64, trainWords: f64): void {
  const k = <usize>load<u32>(descPtr + D_KEEP);
  const threshold = sampleRate * trainWords;
  for (let i = 0; i < n; i++) {
    const c = load<f64>(counts + (<usize>i << 3));
    let p = sampleRate > 0 ? (Math.sqrt(c / threshold) + 1) * threshold / c : 1.0;
    if (p > 1) p = 1;
    store<u32>(k + (<usize>i << 2), p >= 1 ? 0xFFFFFFFF : <u32>Math.round(p * 4294967296.0));
  }
}

/** gensim's cumulative noise table over count^power (domain 2^31-1): vocabulary-sized, not 100M entries. */
export function initNoise(descPtr: usize, counts: usize, n: i32, power: f64): void {
  const table = <usize>load<u32>(descPtr + D_NOISE);
  let total: f64 = 0;
  for (let i = 0; i < n; i++) total += Math.pow(load<f64>(counts + (<usize>i << 3)), power);
  let acc: f64 = 0;
  const domain: f64 = 2147483647.0;
  for (let i = 0; i < n; i++) {
    acc += Math.pow(load<f64>(counts + (<usize>i << 3)), power);
    store<u32>(table + (<usize>i << 2), <u32>Math.round(acc / total * domain));
  }
}

/** word2vec.c's initialisation: syn0 uniform in [-0.5, 0.5)/dim from the LCG, output layers zero. */
export function initWeights(descPtr: usize, seed: u64): void {
  const d = <i32>load<u32>(descPtr + D_DIM);
  const v = <i32>load<u32>(descPtr + D_VOCAB);
  const s0 = <usize>load<u32>(descPtr + D_SYN0);
  let r: u64 = mixSeed(seed, 0xFFFF);
  const inv: f32 = <f32>1.0 / <f32>d;
  const total = <usize>v * <usize>d;
  for (let i: usize = 0; i < total; i++) {
    r = lcgNext(r);
    store<f32>(s0 + (i << 2), (<f32>(<u32>(r & 0xFFFF)) / <f32>65536 - <f32>0.5) * inv);
  }
}

@inline function drawNegative(r: u64): i32 {
  // bisect_left over the cumulative table, as gensim does.
  const target = <u32>((r >> 16) % <u64>load<u32>(cum + (<usize>(vocab - 1) << 2)));
  let lo = 0;
  let hi = vocab;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (load<u32>(cum + (<usize>mid << 2)) <= target) lo = mid + 1;
    else hi = mid;
  }
  return lo < vocab ? lo : vocab - 1;
}

// Vocabulary ids are sorted by frequency, so the hot rows are ids 0..hotN-1 (hotN is 0 with one thread).
@inline function inRow(id: i32): usize {
  return (id < hotN ? hotIn : syn0) + <usize>id * rowBytes;
}

@inline function outRow(id: i32): usize {
  return (id < hotN ? hotOut : syn1neg) + <usize>id * rowBytes;
}

/**
 * With several threads, every thread writing the few most frequent words' rows (as contexts and as
 * negatives) makes their cache lines bounce between cores: measured 17 % more CPU per token on 2 cores.
 * So each thread (batched mode, skip-gram and CBOW) trains private copies of those rows and adds its
 * change to the shared rows every `syncEvery` windows (4096: ~3-5 ms) and at the end of every call, like
 * local SGD for a few hundred rows; full-corpus quality did not move. One thread has no copies and
 * trains the shared rows, so its results are exactly those of the plain update.
 */
function hotLoad(): void {
  const bytes = <usize>hotN * rowBytes;
  memory.copy(hotIn, syn0, bytes);
  memory.copy(baseIn, syn0, bytes);
  memory.copy(hotOut, syn1neg, bytes);
  memory.copy(baseOut, syn1neg, bytes);
}

/** shared += private - base, then private = base = shared (which now holds the other threads' syncs too). */
function hotSync(shared: usize, mine: usize, base: usize): void {
  const n = hotN * dim;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const v = f32x4.add(v128.load(shared + o), f32x4.sub(v128.load(mine + o), v128.load(base + o)));
    v128.store(shared + o, v);
    v128.store(mine + o, v);
    v128.store(base + o, v);
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(shared + o) + (load<f32>(mine + o) - load<f32>(base + o));
    store<f32>(shared + o, v);
    store<f32>(mine + o, v);
    store<f32>(base + o, v);
  }
}

@inline function lossOf(x: f32): f64 {
  // -log(sigmoid(x)) from the table; outside [-6, 6] it is ~ -x resp. ~0.
  if (x <= -MAX_EXP) return <f64>(-x);
  if (x >= MAX_EXP) return 0;
  return <f64>load<f32>(lossTable + (<usize>(<i32>((x + MAX_EXP) * EXP_SCALE)) << 2));
}

@inline function gradient(f: f32, label: f32, alpha: f32): f32 {
  if (f > MAX_EXP) return (label - 1) * alpha;
  if (f < -MAX_EXP) return label * alpha;
  return (label - load<f32>(expTable + (<usize>(<i32>((f + MAX_EXP) * EXP_SCALE)) << 2))) * alpha;
}

/** Trains the output layers for one input vector l1 (a syn0 row or the CBOW mean); accumulates neu1e. */
@inline function trainOutput(l1: usize, word: i32, alpha: f32): void {
  if (useHs) {
    const len = <i32>load<u8>(codeLen + <usize>word);
    const cbase = codes + <usize>word * <usize>maxCode;
    const pbase = points + ((<usize>word * <usize>maxCode) << 2);
    for (let d = 0; d < len; d++) {
      const l2 = syn1 + <usize>load<i32>(pbase + (<usize>d << 2)) * rowBytes;
      let f = dot(l1, l2, dim);
      const code = <f32>load<u8>(cbase + <usize>d);
      lossAcc += lossOf(code > 0 ? -f : f);
      if (f <= -MAX_EXP || f >= MAX_EXP) continue;
      f = load<f32>(expTable + (<usize>(<i32>((f + MAX_EXP) * EXP_SCALE)) << 2));
      const g = (<f32>1 - code - f) * alpha;
      accumulateAndUpdate(g, l1, l2, neu1e, dim);
    }
  }
  if (negative > 0) {
    for (let d = 0; d <= negative; d++) {
      let target: i32;
      let label: f32;
      if (d == 0) {
        target = word;
        label = 1;
      } else {
        rng = lcgNext(rng);
        target = drawNegative(rng);
        if (target == word) continue;
        label = 0;
      }
      const l2 = outRow(target);
      const f = dot(l1, l2, dim);
      lossAcc += lossOf(label > 0 ? f : -f);
      accumulateAndUpdate(gradient(f, label, alpha), l1, l2, neu1e, dim);
    }
  }
}

/**
 * Batched skip-gram (Ji et al. 2016, pWord2Vec): the centre word and ONE set of negatives form the
 * output rows shared by the whole context window, so the update is two small matrix products
 * (contexts × outputs) and every row is read once per window instead of once per pair. Gradients
 * use the rows as they were at the start of the window (then outputs, then inputs are written).
 */
@inline function trainWindowBatched(sp: i32, word: i32, b: i32, len: i32, alpha: f32): f64 {
  // outs and ctxs hold row addresses (a private copy for hot words).
  store<usize>(outs, outRow(word));
  let no = 1;
  for (let d = 0; d < negative; d++) {
    rng = lcgNext(rng);
    const t = drawNegative(rng);
    if (t == word) continue;
    store<usize>(outs + (<usize>no << 2), outRow(t));
    no++;
  }
  const ctxs = outs + ((<usize>negative + 1) << 2);
  let nc = 0;
  const span = window * 2 + 1 - b;
  for (let a = b; a < span; a++) {
    if (a == window) continue;
    const c = sp - window + a;
    if (c < 0 || c >= len) continue;
    store<usize>(ctxs + (<usize>nc << 2), inRow(load<i32>(sentence + (<usize>c << 2))));
    nc++;
  }
  if (nc == 0) return 0;
  // 1. dots and gradients: grad[ci * no + oi]
  for (let ci = 0; ci < nc; ci++) {
    const l1 = load<usize>(ctxs + (<usize>ci << 2));
    const gRow = grad + (<usize>(ci * no) << 2);
    let oi = 0;
    for (; oi + 4 <= no; oi += 4) {
      const ob = outs + (<usize>oi << 2);
      dot4(l1, load<usize>(ob), load<usize>(ob, 4),
        load<usize>(ob, 8), load<usize>(ob, 12), dim, gRow + (<usize>oi << 2));
    }
    for (; oi < no; oi++) {
      store<f32>(gRow + (<usize>oi << 2), dot(l1, load<usize>(outs + (<usize>oi << 2)), dim));
    }
    for (oi = 0; oi < no; oi++) {
      const p = gRow + (<usize>oi << 2);
      const f = load<f32>(p);
      const label: f32 = oi == 0 ? 1 : 0;
      lossAcc += lossOf(oi == 0 ? f : -f);
      store<f32>(p, gradient(f, label, alpha));
    }
  }
  // 2. input gradients from the old output rows: dIn[ci] = sum_o grad[ci][o] * out[o]
  for (let ci = 0; ci < nc; ci++) {
    const y = dIn + <usize>ci * rowBytes;
    const gRow = grad + (<usize>(ci * no) << 2);
    zero(y, dim);
    let oi = 0;
    for (; oi + 4 <= no; oi += 4) {
      const ob = outs + (<usize>oi << 2);
      const gp = gRow + (<usize>oi << 2);
      axpy4(load<f32>(gp), load<f32>(gp, 4), load<f32>(gp, 8), load<f32>(gp, 12),
        load<usize>(ob), load<usize>(ob, 4),
        load<usize>(ob, 8), load<usize>(ob, 12), y, dim);
    }
    for (; oi < no; oi++) axpy(load<f32>(gRow + (<usize>oi << 2)), load<usize>(outs + (<usize>oi << 2)), y, dim);
  }
  // 3. output rows from the (still old) input rows: out[o] += sum_c grad[c][o] * in[c]
  for (let oi = 0; oi < no; oi++) {
    const y = load<usize>(outs + (<usize>oi << 2));
    let ci = 0;
    for (; ci + 4 <= nc; ci += 4) {
      const cb = ctxs + (<usize>ci << 2);
      axpy4(load<f32>(grad + (<usize>(ci * no + oi) << 2)), load<f32>(grad + (<usize>((ci + 1) * no + oi) << 2)),
        load<f32>(grad + (<usize>((ci + 2) * no + oi) << 2)), load<f32>(grad + (<usize>((ci + 3) * no + oi) << 2)),
        load<usize>(cb), load<usize>(cb, 4),
        load<usize>(cb, 8), load<usize>(cb, 12), y, dim);
    }
    for (; ci < nc; ci++) axpy(load<f32>(grad + (<usize>(ci * no + oi) << 2)), load<usize>(ctxs + (<usize>ci << 2)), y, dim);
  }
  // 4. input rows
  for (let ci = 0; ci < nc; ci++) add(dIn + <usize>ci * rowBytes, load<usize>(ctxs + (<usize>ci << 2)), dim);
  return <f64>nc;
}

@inline function alphaAt(words: f64): f32 {
  const a0 = load<f64>(desc + D_ALPHA);
  const aMin = load<f64>(desc + D_MIN_ALPHA);
  const total = load<f64>(desc + D_TOTAL_WORDS);
  let a = a0 - (a0 - aMin) * (words / total);
  if (a < aMin) a = aMin;
  return <f32>a;
}

/**
 * Trains on `n` ids at `ids` (sentences separated by -1). `wordsBefore` is how many corpus words all
 * epochs had before this chunk, which fixes the learning rate independently of thread timing.
 * Returns the number of words kept after subsampling; its loss and pairs are left in the scratch header
 * (S_LOSS, S_PAIRS).
 */
export function trainChunk(ids: usize, n: i32, wordsBefore: f64): i32 {
  rng = load<u64>(scratch + S_RNG);
  lossAcc = 0;
  let pairs: f64 = 0;
  let trained = 0;
  let seen: f64 = 0;
  let pos = 0;
  if (hotN > 0) {
    hotLoad();
    sinceSync = 0;
  }
  while (pos < n) {
    const alpha = alphaAt(wordsBefore + seen);
    // Gather one sentence, subsampling as word2vec.c does (each read word counts toward progress).
    let len = 0;
    while (pos < n && len < maxSent) {
      const w = load<i32>(ids + (<usize>pos << 2));
      pos++;
      if (w < 0) break;
      seen += 1;
      if (sample) {
        rng = lcgNext(rng);
        if (load<u32>(keep + (<usize>w << 2)) < <u32>(rng >> 16)) continue;
      }
      store<i32>(sentence + (<usize>len << 2), w);
      len++;
    }
    trained += len;
    for (let sp = 0; sp < len; sp++) {
      if (hotN > 0 && ++sinceSync >= syncEvery) {
        hotSync(syn0, hotIn, baseIn);
        hotSync(syn1neg, hotOut, baseOut);
        sinceSync = 0;
      }
      const word = load<i32>(sentence + (<usize>sp << 2));
      rng = lcgNext(rng);
      const b = <i32>(rng % <u64>window);
      const span = window * 2 + 1 - b;
      if (cbow) {
        zero(neu1, dim);
        let cw = 0;
        for (let a = b; a < span; a++) {
          if (a == window) continue;
          const c = sp - window + a;
          if (c < 0 || c >= len) continue;
          add(inRow(load<i32>(sentence + (<usize>c << 2))), neu1, dim);
          cw++;
        }
        if (cw == 0) continue;
        scale(<f32>1 / <f32>cw, neu1, dim);
        zero(neu1e, dim);
        trainOutput(neu1, word, alpha);
        pairs += 1;
        for (let a = b; a < span; a++) {
          if (a == window) continue;
          const c = sp - window + a;
          if (c < 0 || c >= len) continue;
          add(neu1e, inRow(load<i32>(sentence + (<usize>c << 2))), dim);
        }
      } else if (batched) {
        pairs += trainWindowBatched(sp, word, b, len, alpha);
      } else {
        for (let a = b; a < span; a++) {
          if (a == window) continue;
          const c = sp - window + a;
          if (c < 0 || c >= len) continue;
          const l1 = inRow(load<i32>(sentence + (<usize>c << 2)));
          zero(neu1e, dim);
          trainOutput(l1, word, alpha);
          add(neu1e, l1, dim);
          pairs += 1;
        }
      }
    }
  }
  // Nothing stays private between calls: checkpoints, reads and the next slice see every update.
  if (hotN > 0) {
    hotSync(syn0, hotIn, baseIn);
    hotSync(syn1neg, hotOut, baseOut);
  }
  store<u64>(scratch + S_RNG, rng);
  store<f64>(scratch + S_LOSS, lossAcc);
  store<i32>(scratch + S_TRAINED, trained);
  store<f64>(scratch + S_PAIRS, pairs);
  return trained;
}

/** The loss accumulated by this instance's last trainChunk call. */
export function lastLoss(): f64 {
  return load<f64>(scratch + S_LOSS);
}

/** The (centre, context) pairs or CBOW windows trained by this instance's last trainChunk call. */
export function lastPairs(): f64 {
  return load<f64>(scratch + S_PAIRS);
}


