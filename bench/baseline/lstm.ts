/**
 * Plain TypeScript Embedding → LSTM stack → Dense classifier with Keras semantics (gate order i, f, c, o;
 * sigmoid recurrent activation; no masking, so padding steps are computed like any other; binary
 * cross-entropy from the logit or softmax cross-entropy; mean over the batch; Keras Adam with ε outside
 * the bias correction). Written the way a good JS developer would: typed arrays, row-major weights,
 * axpy-shaped inner loops. It computes every step of every row (no pad skipping, no shards).
 *
 * Two uses: with Float32Array storage it is the speed baseline of bench/classifier.bench.ts; with
 * Float64Array storage it is the float64 reference the WASM kernels are tested against.
 */
export interface LstmBaselineShape {
  vocabSize: number;
  sequenceLength: number;
  embeddingDim: number;
  units: number[];
  /** 1 = sigmoid head (binary), else softmax over this many classes. */
  outputs: number;
}

export interface LstmBaselineOptions {
  /** Float64Array storage (the reference) instead of Float32Array (the baseline). */
  float64?: boolean;
  learningRate?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  trainEmbeddings?: boolean;
}

type Floats = Float32Array | Float64Array;

interface LayerCache {
  gates: Floats;
  c: Floats;
  tc: Floats;
  h: Floats;
}

export class LstmBaseline {
  /** Keras get_weights() order: embedding, per layer kernel / recurrent_kernel / bias, dense kernel / bias. */
  readonly weights: Floats[];
  private readonly m: Floats[];
  private readonly v: Floats[];
  private step = 0;
  private readonly make: (n: number) => Floats;
  private readonly lr: number;
  private readonly b1: number;
  private readonly b2: number;
  private readonly eps: number;
  private readonly trainEmbeddings: boolean;

  constructor(
    readonly shape: LstmBaselineShape,
    weights: ArrayLike<number>[],
    options: LstmBaselineOptions = {},
  ) {
    this.make = options.float64 ? (n) => new Float64Array(n) : (n) => new Float32Array(n);
    this.weights = weights.map((w) => {
      const a = this.make(w.length);
      a.set(w);
      return a;
    });
    this.m = this.weights.map((w) => this.make(w.length));
    this.v = this.weights.map((w) => this.make(w.length));
    this.lr = options.learningRate ?? 1e-3;
    this.b1 = options.beta1 ?? 0.9;
    this.b2 = options.beta2 ?? 0.999;
    this.eps = options.epsilon ?? 1e-7;
    this.trainEmbeddings = options.trainEmbeddings ?? true;
  }

  private layerWeights(l: number): { W: Floats; U: Floats; b: Floats } {
    return { W: this.weights[1 + 3 * l], U: this.weights[2 + 3 * l], b: this.weights[3 + 3 * l] };
  }

  /** Forward over `rows` rows of ids (rows × T); keeps what BPTT needs. */
  private forward(ids: Int32Array, rows: number): { caches: LayerCache[]; logits: Floats } {
    const { sequenceLength: T, embeddingDim: E, units, outputs: OUT } = this.shape;
    const emb = this.weights[0];
    const caches: LayerCache[] = [];
    let input: Floats | null = null; // rows × T × inDim (null: read the embedding directly)
    let inDim = E;
    for (let l = 0; l < units.length; l++) {
      const H = units[l],
        G = 4 * H;
      const { W, U, b } = this.layerWeights(l);
      const gates = this.make(rows * T * G),
        c = this.make(rows * T * H),
        tc = this.make(rows * T * H),
        h = this.make(rows * T * H);
      const z = this.make(G);
      for (let r = 0; r < rows; r++) {
        for (let t = 0; t < T; t++) {
          z.set(b);
          const xo = input ? (r * T + t) * inDim : ids[r * T + t] * E;
          const x = input ?? emb;
          for (let k = 0; k < inDim; k++) {
            const xk = x[xo + k];
            const wo = k * G;
            for (let g = 0; g < G; g++) z[g] += xk * W[wo + g];
          }
          if (t > 0) {
            const ho = (r * T + t - 1) * H;
            for (let k = 0; k < H; k++) {
              const hk = h[ho + k];
              const uo = k * G;
              for (let g = 0; g < G; g++) z[g] += hk * U[uo + g];
            }
          }
          const go = (r * T + t) * G,
            so = (r * T + t) * H,
            po = so - H;
          for (let j = 0; j < H; j++) {
            const i = sigmoid(z[j]),
              f = sigmoid(z[H + j]),
              gg = Math.tanh(z[2 * H + j]),
              o = sigmoid(z[3 * H + j]);
            const cp = t > 0 ? c[po + j] : 0;
            const cc = f * cp + i * gg;
            gates[go + j] = i;
            gates[go + H + j] = f;
            gates[go + 2 * H + j] = gg;
            gates[go + 3 * H + j] = o;
            c[so + j] = cc;
            tc[so + j] = Math.tanh(cc);
            h[so + j] = o * tc[so + j];
          }
        }
      }
      caches.push({ gates, c, tc, h });
      input = h;
      inDim = H;
    }
    const H = units[units.length - 1];
    const Wd = this.weights[1 + 3 * units.length],
      bd = this.weights[2 + 3 * units.length];
    const last = caches[caches.length - 1].h;
    const logits = this.make(rows * OUT);
    for (let r = 0; r < rows; r++) {
      const ho = (r * T + T - 1) * H;
      for (let o = 0; o < OUT; o++) {
        let s = bd[o];
        for (let j = 0; j < H; j++) s += last[ho + j] * Wd[j * OUT + o];
        logits[r * OUT + o] = s;
      }
    }
    return { caches, logits };
  }

  /** Probabilities (rows × outputs). */
  predict(ids: Int32Array, rows: number): Floats {
    const { logits } = this.forward(ids, rows);
    return this.probabilities(logits, rows);
  }

  private probabilities(logits: Floats, rows: number): Floats {
    const OUT = this.shape.outputs;
    const p = this.make(rows * OUT);
    for (let r = 0; r < rows; r++) {
      if (OUT === 1) {
        p[r] = sigmoid(logits[r]);
        continue;
      }
      let m = -Infinity;
      for (let o = 0; o < OUT; o++) m = Math.max(m, logits[r * OUT + o]);
      let s = 0;
      for (let o = 0; o < OUT; o++) s += Math.exp(logits[r * OUT + o] - m);
      for (let o = 0; o < OUT; o++) p[r * OUT + o] = Math.exp(logits[r * OUT + o] - m) / s;
    }
    return p;
  }

  /** Loss sum, correct count and the gradient of the mean loss, in weights order. */
  gradients(ids: Int32Array, labels: Int32Array, rows: number): { lossSum: number; correct: number; grads: Floats[] } {
    const { sequenceLength: T, embeddingDim: E, units, outputs: OUT } = this.shape;
    const { caches, logits } = this.forward(ids, rows);
    const probs = this.probabilities(logits, rows);
    const grads = this.weights.map((w) => this.make(w.length));
    const L = units.length;
    const Htop = units[L - 1];
    const Wd = this.weights[1 + 3 * L];
    const gWd = grads[1 + 3 * L],
      gbd = grads[2 + 3 * L];
    let lossSum = 0,
      correct = 0;
    // dOut[l]: gradient w.r.t. layer l's outputs h (rows × T × H)
    let dOut = this.make(rows * T * Htop);
    const top = caches[L - 1].h;
    for (let r = 0; r < rows; r++) {
      const y = labels[r];
      const dl = new Float64Array(OUT);
      if (OUT === 1) {
        const z = logits[r];
        lossSum += Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
        if ((probs[r] > 0.5 ? 1 : 0) === y) correct++;
        dl[0] = (probs[r] - y) / rows;
      } else {
        let m = -Infinity,
          arg = 0;
        for (let o = 0; o < OUT; o++)
          if (logits[r * OUT + o] > m) {
            m = logits[r * OUT + o];
            arg = o;
          }
        let s = 0;
        for (let o = 0; o < OUT; o++) s += Math.exp(logits[r * OUT + o] - m);
        lossSum += Math.log(s) + m - logits[r * OUT + y];
        if (arg === y) correct++;
        for (let o = 0; o < OUT; o++) dl[o] = (probs[r * OUT + o] - (o === y ? 1 : 0)) / rows;
      }
      const ho = (r * T + T - 1) * Htop;
      for (let j = 0; j < Htop; j++) {
        let acc = 0;
        for (let o = 0; o < OUT; o++) {
          gWd[j * OUT + o] += top[ho + j] * dl[o];
          acc += dl[o] * Wd[j * OUT + o];
        }
        dOut[ho + j] = acc;
      }
      for (let o = 0; o < OUT; o++) gbd[o] += dl[o];
    }
    const emb = this.weights[0],
      gEmb = grads[0];
    for (let l = L - 1; l >= 0; l--) {
      const H = units[l],
        G = 4 * H,
        inDim = l === 0 ? E : units[l - 1];
      const { W, U } = this.layerWeights(l);
      const gW = grads[1 + 3 * l],
        gU = grads[2 + 3 * l],
        gb = grads[3 + 3 * l];
      const { gates, c, tc, h } = caches[l];
      const input = l > 0 ? caches[l - 1].h : null;
      const dIn = l > 0 ? this.make(rows * T * inDim) : null;
      const dh = this.make(H),
        dc = this.make(H),
        dz = this.make(G),
        dhPrev = this.make(H);
      for (let r = 0; r < rows; r++) {
        dh.fill(0);
        dc.fill(0);
        for (let t = T - 1; t >= 0; t--) {
          const so = (r * T + t) * H,
            go = (r * T + t) * G;
          for (let j = 0; j < H; j++) dh[j] += dOut[so + j];
          for (let j = 0; j < H; j++) {
            const i = gates[go + j],
              f = gates[go + H + j],
              gg = gates[go + 2 * H + j],
              o = gates[go + 3 * H + j];
            const tcj = tc[so + j],
              cp = t > 0 ? c[so - H + j] : 0;
            const dcc = dc[j] + dh[j] * o * (1 - tcj * tcj);
            dz[j] = dcc * gg * i * (1 - i);
            dz[H + j] = dcc * cp * f * (1 - f);
            dz[2 * H + j] = dcc * i * (1 - gg * gg);
            dz[3 * H + j] = dh[j] * tcj * o * (1 - o);
            dc[j] = dcc * f;
          }
          for (let g = 0; g < G; g++) gb[g] += dz[g];
          const x = input ?? emb;
          const xo = input ? (r * T + t) * inDim : ids[r * T + t] * E;
          for (let k = 0; k < inDim; k++) {
            const xk = x[xo + k];
            const wo = k * G;
            let acc = 0;
            for (let g = 0; g < G; g++) {
              gW[wo + g] += xk * dz[g];
              acc += dz[g] * W[wo + g];
            }
            if (dIn) dIn[(r * T + t) * inDim + k] = acc;
            else if (this.trainEmbeddings) gEmb[xo + k] += acc;
          }
          dhPrev.fill(0);
          if (t > 0) {
            const ho = (r * T + t - 1) * H;
            for (let k = 0; k < H; k++) {
              const hk = h[ho + k];
              const uo = k * G;
              let acc = 0;
              for (let g = 0; g < G; g++) {
                gU[uo + g] += hk * dz[g];
                acc += dz[g] * U[uo + g];
              }
              dhPrev[k] = acc;
            }
          }
          dh.set(dhPrev);
        }
      }
      if (dIn) dOut = dIn;
    }
    return { lossSum, correct, grads };
  }

  /** One Keras Adam step with `grads` (skips the embedding when it is frozen). */
  applyAdam(grads: Floats[]): void {
    this.step++;
    const alpha = (this.lr * Math.sqrt(1 - this.b2 ** this.step)) / (1 - this.b1 ** this.step);
    for (let p = this.trainEmbeddings ? 0 : 1; p < this.weights.length; p++) {
      const w = this.weights[p],
        m = this.m[p],
        v = this.v[p],
        g = grads[p];
      for (let i = 0; i < w.length; i++) {
        m[i] += (g[i] - m[i]) * (1 - this.b1);
        v[i] += (g[i] * g[i] - v[i]) * (1 - this.b2);
        w[i] -= (m[i] * alpha) / (Math.sqrt(v[i]) + this.eps);
      }
    }
  }

  /** One training step on a batch; returns its loss sum and correct count. */
  trainBatch(ids: Int32Array, labels: Int32Array, rows: number): { lossSum: number; correct: number } {
    const { lossSum, correct, grads } = this.gradients(ids, labels, rows);
    this.applyAdam(grads);
    return { lossSum, correct };
  }
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
