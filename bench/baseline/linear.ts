import type { EncodedSet, LinearSpec, TrainingSet } from '../../src/classify/linear/kernel.js';

/**
 * Plain TypeScript version of assembly/linear.ts: the reference the kernels are tested against and
 * the JavaScript baseline of the bench. Same algorithm, same initialisation, same shuffle and the same
 * random draws (the 64-bit LCG and SplitMix64 seeding reproduced exactly with 32-bit halves), so with
 * one thread the two differ only by float rounding (f64 intermediates and Math.exp here, f32 SIMD
 * lanes and AssemblyScript's Mathf there).
 */

// ---- exact u64 arithmetic on (hi, lo) uint32 pairs ----
let rh = 0,
  rl = 0; // result registers of the helpers below

/** High 32 bits of the 64-bit product of two uint32. */
function mulHigh32(a: number, b: number): number {
  const a0 = a & 0xffff,
    a1 = a >>> 16,
    b0 = b & 0xffff,
    b1 = b >>> 16;
  const p00 = a0 * b0,
    p01 = a0 * b1,
    p10 = a1 * b0,
    p11 = a1 * b1;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  return (p11 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) >>> 0;
}

function mul64(ah: number, al: number, bh: number, bl: number): void {
  const lo = Math.imul(al, bl) >>> 0;
  rh = (mulHigh32(al, bl) + Math.imul(ah, bl) + Math.imul(al, bh)) >>> 0;
  rl = lo;
}

function add64(ah: number, al: number, bh: number, bl: number): void {
  const lo = al + bl;
  rl = lo >>> 0;
  rh = (ah + bh + (lo > 0xffffffff ? 1 : 0)) >>> 0;
}

function xorShiftRight(h: number, l: number, s: number): void {
  // z ^ (z >> s) for 0 < s < 32
  rl = (l ^ ((l >>> s) | (h << (32 - s)))) >>> 0;
  rh = (h ^ (h >>> s)) >>> 0;
}

/** SplitMix64 finaliser of assembly/lib/rng.ts: seed + (stream + 1) · golden, then two multiply-xorshifts. */
function mixSeed(seed: number, streamHi: number, streamLo: number): [number, number] {
  add64(streamHi, streamLo, 0, 1);
  mul64(rh, rl, 0x9e3779b9, 0x7f4a7c15);
  add64(Math.floor(seed / 4294967296) >>> 0, seed >>> 0, rh, rl);
  xorShiftRight(rh, rl, 30);
  mul64(rh, rl, 0xbf58476d, 0x1ce4e5b9);
  xorShiftRight(rh, rl, 27);
  mul64(rh, rl, 0x94d049bb, 0x133111eb);
  xorShiftRight(rh, rl, 31);
  return [rh, rl];
}

/** word2vec.c's LCG: state · 25214903917 + 11 (mod 2^64). */
class Lcg {
  constructor(
    public hi: number,
    public lo: number,
  ) {}
  next(): void {
    mul64(this.hi, this.lo, 0x5, 0xdeece66d);
    add64(rh, rl, 0, 11);
    this.hi = rh;
    this.lo = rl;
  }
  /** (state >> 16) mod m, as the kernel computes it (the 48-bit value is exact in a double). */
  shr16Mod(m: number): number {
    return (this.hi * 65536 + (this.lo >>> 16)) % m;
  }
}

const INIT_STREAM_HI = 1 << 8; // 1 << 40
const SHUFFLE_STREAM_HI = 2 << 8; // 2 << 40
const LOG_EPS = Math.fround(1e-5);
const f = Math.fround;

/** The kernel's input initialisation of one row (keyed by its index in fastText's full matrix). */
export function initRow(dst: Float32Array, offset: number, key: number, dim: number, seed: number): void {
  const [h, l] = mixSeed(seed, INIT_STREAM_HI + Math.floor(key / 4294967296), key >>> 0);
  const g = new Lcg(h, l);
  const inv = f(1 / dim);
  for (let k = 0; k < dim; k++) {
    g.next();
    const u = f((g.hi >>> 8) * (1 / 16777216));
    dst[offset + k] = f(f(f(u * 2) - 1) * inv);
  }
}

export class LinearBaseline {
  readonly input: Float32Array;
  readonly output: Float32Array;
  readonly idf: Float32Array | null;
  unseenIdf = 1;
  private readonly rows: number;
  private readonly labels: number;
  private readonly sigmoidTable = new Float32Array(513);
  private readonly noise: Uint32Array | null;
  private readonly hidden: Float64Array;
  private readonly grad: Float64Array;
  private readonly out: Float64Array;
  private readonly rng: Lcg;

  /** With a training set: fastText initialisation (as the kernel's) and idf from its document frequencies. */
  constructor(
    readonly spec: LinearSpec,
    private readonly train: TrainingSet | null,
  ) {
    const d = spec.dim;
    this.rows = spec.nwords + spec.usedBuckets.length;
    this.labels = spec.labelCounts.length;
    this.input = new Float32Array(this.rows * d);
    this.output = new Float32Array((spec.loss === 'hs' ? this.labels - 1 : this.labels) * d);
    for (let r = 0; r < this.rows; r++) {
      initRow(this.input, r * d, r < spec.nwords ? r : spec.nwords + spec.usedBuckets[r - spec.nwords], d, spec.seed);
    }
    for (let i = 0; i <= 512; i++) {
      const x = (i * 16) / 512 - 8;
      this.sigmoidTable[i] = 1 / (1 + Math.exp(-x));
    }
    this.idf = null;
    if (spec.tfidf) {
      this.idf = new Float32Array(this.rows);
      const docs = train ? train.offsets.length - 1 : 0;
      if (train?.df) for (let r = 0; r < this.rows; r++) this.idf[r] = Math.log((1 + docs) / (1 + train.df[r])) + 1;
      this.unseenIdf = f(Math.log(1 + docs) + 1);
    }
    this.noise = null;
    if (spec.loss === 'ns') {
      this.noise = new Uint32Array(this.labels);
      let total = 0;
      for (const c of spec.labelCounts) total += Math.sqrt(c);
      let acc = 0;
      for (let i = 0; i < this.labels; i++) {
        acc += Math.sqrt(spec.labelCounts[i]);
        this.noise[i] = Math.round((acc / total) * 2147483647);
      }
    }
    this.hidden = new Float64Array(d);
    this.grad = new Float64Array(d);
    this.out = new Float64Array(this.labels);
    const [h, l] = mixSeed(spec.seed, 0, 0);
    this.rng = new Lcg(h, l);
  }

  /** The epoch's example order: the kernel's seeded Fisher–Yates shuffle. */
  order(epoch: number): Int32Array {
    const n = this.train!.offsets.length - 1;
    const perm = new Int32Array(n);
    for (let i = 0; i < n; i++) perm[i] = i;
    const [h, l] = mixSeed(this.spec.seed, SHUFFLE_STREAM_HI, epoch);
    const g = new Lcg(h, l);
    for (let i = n - 1; i > 0; i--) {
      g.next();
      const j = g.shr16Mod(i + 1);
      const a = perm[i];
      perm[i] = perm[j];
      perm[j] = a;
    }
    return perm;
  }

  private weight(id: number): number {
    return id < this.rows ? this.idf![id] : this.unseenIdf;
  }

  private rowValues(id: number): { data: Float32Array; base: number } {
    if (id < this.rows) return { data: this.input, base: id * this.spec.dim };
    const tmp = new Float32Array(this.spec.dim);
    initRow(tmp, 0, this.spec.nwords + (id - this.rows), this.spec.dim, this.spec.seed);
    return { data: tmp, base: 0 };
  }

  private computeHidden(ids: Int32Array, start: number, end: number): number {
    const d = this.spec.dim,
      h = this.hidden;
    h.fill(0);
    let wsum = 0;
    for (let j = start; j < end; j++) {
      const { data, base } = this.rowValues(ids[j]);
      const w = this.idf ? this.weight(ids[j]) : 1;
      for (let k = 0; k < d; k++) h[k] += w * data[base + k];
      wsum += w;
    }
    for (let k = 0; k < d; k++) h[k] = f(h[k] / wsum);
    return wsum;
  }

  private dotOut(row: number): number {
    const d = this.spec.dim,
      o = this.output,
      h = this.hidden,
      base = row * d;
    let s = 0;
    for (let k = 0; k < d; k++) s += h[k] * o[base + k];
    return s;
  }

  /** grad += alpha · wo[row]; wo[row] += alpha · hidden */
  private update(row: number, alpha: number): void {
    const d = this.spec.dim,
      o = this.output,
      h = this.hidden,
      g = this.grad,
      base = row * d;
    for (let k = 0; k < d; k++) {
      g[k] += alpha * o[base + k];
      o[base + k] += alpha * h[k];
    }
  }

  private tableSigmoid(x: number): number {
    if (x < -8) return 0;
    if (x > 8) return 1;
    return this.sigmoidTable[Math.trunc((x + 8) * 32)];
  }

  private binaryLogistic(row: number, positive: boolean, lr: number): number {
    const score = this.tableSigmoid(this.dotOut(row));
    this.update(row, lr * ((positive ? 1 : 0) - score));
    return -Math.log((positive ? score : 1 - score) + LOG_EPS);
  }

  private softmax(): void {
    let max = -Infinity;
    for (let c = 0; c < this.labels; c++) {
      this.out[c] = this.dotOut(c);
      if (this.out[c] > max) max = this.out[c];
    }
    let z = 0;
    for (let c = 0; c < this.labels; c++) {
      this.out[c] = Math.exp(this.out[c] - max);
      z += this.out[c];
    }
    for (let c = 0; c < this.labels; c++) this.out[c] /= z;
  }

  private drawNegative(): number {
    const noise = this.noise!;
    this.rng.next();
    const target = this.rng.shr16Mod(noise[this.labels - 1]);
    let lo = 0,
      hi = this.labels;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (noise[mid] <= target) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.labels ? lo : this.labels - 1;
  }

  private forwardBackward(labels: Int32Array, ls: number, le: number, lr: number): number {
    const spec = this.spec;
    if (spec.loss === 'ova') {
      let loss = 0;
      for (let c = 0; c < this.labels; c++) {
        let match = false;
        for (let j = ls; j < le; j++) if (labels[j] === c) match = true;
        loss += this.binaryLogistic(c, match, lr);
      }
      return loss;
    }
    let target = labels[ls];
    if (le - ls > 1) {
      this.rng.next();
      target = labels[ls + this.rng.shr16Mod(le - ls)];
    }
    if (spec.loss === 'softmax') {
      this.softmax();
      for (let c = 0; c < this.labels; c++) this.update(c, lr * ((c === target ? 1 : 0) - this.out[c]));
      return -Math.log(this.out[target] + LOG_EPS);
    }
    if (spec.loss === 'ns') {
      let loss = this.binaryLogistic(target, true, lr);
      for (let n = 0; n < spec.negative; n++) {
        let negative = this.drawNegative();
        while (negative === target) negative = this.drawNegative();
        loss += this.binaryLogistic(negative, false, lr);
      }
      return loss;
    }
    const tree = spec.tree!;
    let loss = 0;
    for (let d = 0; d < tree.pathLength[target]; d++) {
      const at = target * tree.maxDepth + d;
      loss += this.binaryLogistic(tree.paths[at], tree.codes[at] !== 0, lr);
    }
    return loss;
  }

  /** One epoch in the kernel's order with fastText's learning-rate schedule; returns summed loss. */
  trainEpoch(epoch: number, epochs: number): { loss: number; examples: number } {
    const t = this.train!;
    const n = t.offsets.length - 1,
      d = this.spec.dim;
    let tokensPerEpoch = 0;
    for (let i = 0; i < n; i++) tokensPerEpoch += t.tokens[i];
    const total = Math.max(1, tokensPerEpoch * epochs);
    const perm = this.order(epoch);
    let seen = epoch * tokensPerEpoch;
    let loss = 0,
      examples = 0;
    for (let i = 0; i < n; i++) {
      const e = perm[i];
      const progress = Math.min(1, seen / total);
      seen += t.tokens[e];
      const start = t.offsets[e],
        end = t.offsets[e + 1];
      if (end === start || t.labelOffsets[e + 1] === t.labelOffsets[e]) continue;
      const lr = f(this.spec.learningRate * (1 - progress));
      const wsum = this.computeHidden(t.ids, start, end);
      this.grad.fill(0);
      loss += this.forwardBackward(t.labels, t.labelOffsets[e], t.labelOffsets[e + 1], lr);
      for (let j = start; j < end; j++) {
        const id = t.ids[j];
        if (id >= this.rows) continue;
        const share = (this.idf ? this.weight(id) : 1) / wsum;
        const base = id * d;
        for (let k = 0; k < d; k++) this.input[base + k] += share * this.grad[k];
      }
      examples++;
    }
    return { loss, examples };
  }

  /** Class probabilities (examples × labels), as forwardRange computes them. */
  forward(set: EncodedSet): Float32Array {
    const n = set.offsets.length - 1,
      C = this.labels;
    const probs = new Float32Array(n * C);
    for (let e = 0; e < n; e++) {
      const start = set.offsets[e],
        end = set.offsets[e + 1];
      if (start === end) continue;
      this.computeHidden(set.ids, start, end);
      if (this.spec.loss === 'softmax') {
        this.softmax();
        for (let c = 0; c < C; c++) probs[e * C + c] = this.out[c];
      } else if (this.spec.loss === 'hs') {
        const tree = this.spec.tree!;
        for (let node = 0; node < C - 1; node++) this.out[node] = 1 / (1 + Math.exp(-this.dotOut(node)));
        for (let c = 0; c < C; c++) {
          let q = 1;
          for (let d = 0; d < tree.pathLength[c]; d++) {
            const at = c * tree.maxDepth + d;
            const p = this.out[tree.paths[at]];
            q *= tree.codes[at] ? p : 1 - p;
          }
          probs[e * C + c] = q;
        }
      } else {
        for (let c = 0; c < C; c++) probs[e * C + c] = 1 / (1 + Math.exp(-this.dotOut(c)));
      }
    }
    return probs;
  }
}
