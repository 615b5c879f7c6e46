/**
 * Plain TypeScript GloVe, both stages, written the way a good JS developer would: co-occurrences in a
 * Map per row, then typed arrays for the cells, a Fisher–Yates shuffle with a 32-bit xorshift, and
 * glove.c's AdaGrad update over Float32Array rows (log and weight precomputed per cell). It is the
 * speed baseline for the bench and a reference in tests; it is not bit-compatible with the WASM
 * kernels (different random numbers, double-precision arithmetic in JavaScript).
 */

export interface BaselineStream {
  tokens: number;
  chunks(): AsyncIterable<Int32Array>;
}

export interface BaselineCooccurrences {
  /** Cells row by row (rows ascending, columns in first-seen order within a row). */
  rows: Uint32Array;
  cols: Uint32Array;
  values: Float64Array;
  seconds: number;
}

/** cooccur.c's counting: each token's `window` left neighbours on its line, weighted 1/distance, mirrored when symmetric. */
export async function countCooccurrencesBaseline(
  stream: BaselineStream,
  vocabSize: number,
  o: { window: number; symmetric: boolean },
): Promise<BaselineCooccurrences> {
  const started = performance.now();
  const table: Map<number, number>[] = Array.from({ length: vocabSize }, () => new Map());
  const add = (i: number, j: number, x: number) => {
    const row = table[i];
    row.set(j, (row.get(j) ?? 0) + x);
  };
  for await (const ids of stream.chunks()) {
    for (let p = 0; p < ids.length; p++) {
      const w2 = ids[p];
      if (w2 < 0) continue;
      for (let k = p - 1; k >= 0 && k >= p - o.window; k--) {
        const w1 = ids[k];
        if (w1 < 0) break;
        const x = 1 / (p - k);
        add(w1, w2, x);
        if (o.symmetric) add(w2, w1, x);
      }
    }
  }
  let n = 0;
  for (const row of table) n += row.size;
  const rows = new Uint32Array(n),
    cols = new Uint32Array(n),
    values = new Float64Array(n);
  let k = 0;
  table.forEach((row, i) => {
    for (const [j, x] of row) {
      rows[k] = i;
      cols[k] = j;
      values[k] = x;
      k++;
    }
  });
  return { rows, cols, values, seconds: (performance.now() - started) / 1000 };
}

export interface BaselineGloVeOptions {
  dim: number;
  xMax: number;
  alpha: number;
  learningRate: number;
  gradientClip: number;
  epochs: number;
  seed: number;
}

export interface BaselineGloVeResult {
  /** Word + context vectors, vocabSize × dim. */
  vectors: Float32Array;
  /** glove.c's cost per epoch. */
  costs: number[];
  shuffleSeconds: number;
  secondsPerEpoch: number;
}

/** Shuffles the cells and runs glove.c's AdaGrad epochs on one thread. */
export function trainGloVeBaseline(cells: BaselineCooccurrences, vocabSize: number, o: BaselineGloVeOptions): BaselineGloVeResult {
  const t0 = performance.now();
  const n = cells.rows.length;
  let rng = o.seed >>> 0 || 0x9e3779b9;
  const next = () => {
    rng ^= rng << 13;
    rng >>>= 0;
    rng ^= rng >>> 17;
    rng ^= rng << 5;
    rng >>>= 0;
    return rng;
  };
  const order = new Uint32Array(n);
  for (let k = 0; k < n; k++) order[k] = k;
  for (let k = n - 1; k > 0; k--) {
    const j = Math.floor((next() / 4294967296) * (k + 1));
    const t = order[k];
    order[k] = order[j];
    order[j] = t;
  }
  const row = new Uint32Array(n),
    col = new Uint32Array(n),
    logx = new Float32Array(n),
    weight = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    const c = order[k];
    const x = cells.values[c];
    row[k] = cells.rows[c];
    col[k] = cells.cols[c];
    logx[k] = Math.log(x);
    weight[k] = x > o.xMax ? 1 : (x / o.xMax) ** o.alpha;
  }
  const shuffleSeconds = (performance.now() - t0) / 1000;

  const d = o.dim,
    V = vocabSize;
  const W = new Float32Array(2 * V * d),
    G = new Float32Array(2 * V * d).fill(1);
  const B = new Float32Array(2 * V),
    GB = new Float32Array(2 * V).fill(1);
  for (let i = 0; i < W.length; i++) W[i] = (next() / 4294967296 - 0.5) / d;
  for (let i = 0; i < B.length; i++) B[i] = (next() / 4294967296 - 0.5) / d;
  const eta = o.learningRate,
    clip = o.gradientClip;
  const costs: number[] = [];
  const t1 = performance.now();
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    let cost = 0;
    for (let k = 0; k < n; k++) {
      const i = row[k],
        j = V + col[k];
      const a = i * d,
        b = j * d;
      let diff = 0;
      for (let m = 0; m < d; m++) diff += W[a + m] * W[b + m];
      diff += B[i] + B[j] - logx[k];
      const fdiff = weight[k] * diff;
      if (!Number.isFinite(fdiff)) continue;
      cost += 0.5 * fdiff * diff;
      for (let m = 0; m < d; m++) {
        const t1 = Math.min(Math.max(fdiff * W[b + m], -clip), clip) * eta;
        const t2 = Math.min(Math.max(fdiff * W[a + m], -clip), clip) * eta;
        W[a + m] -= t1 / Math.sqrt(G[a + m]);
        W[b + m] -= t2 / Math.sqrt(G[b + m]);
        G[a + m] += t1 * t1;
        G[b + m] += t2 * t2;
      }
      // glove.c steps the biases by fdiff / sqrt(sum) without eta.
      B[i] -= fdiff / Math.sqrt(GB[i]);
      B[j] -= fdiff / Math.sqrt(GB[j]);
      GB[i] += fdiff * fdiff;
      GB[j] += fdiff * fdiff;
    }
    costs.push(cost / n);
  }
  const secondsPerEpoch = (performance.now() - t1) / 1000 / o.epochs;
  const vectors = new Float32Array(V * d);
  for (let i = 0; i < V * d; i++) vectors[i] = W[i] + W[V * d + i];
  return { vectors, costs, shuffleSeconds, secondsPerEpoch };
}
