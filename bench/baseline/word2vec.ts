/**
 * Plain TypeScript Word2Vec (skip-gram / CBOW with negative sampling), written the way a good JS
 * developer would: Float32Array rows, a sigmoid table, a vocabulary-sized cumulative noise table and a
 * 32-bit xorshift PRNG. It is the speed baseline for the benches and a quality reference in tests; it is
 * deliberately not bit-compatible with the WASM kernel (different RNG, Math.exp tables).
 */
export interface BaselineWord2VecOptions {
  model: 'skipgram' | 'cbow';
  dim: number;
  window: number;
  negative: number;
  sample: number;
  epochs: number;
  alpha: number;
  minAlpha: number;
  seed: number;
}

export interface BaselineStream {
  tokens: number;
  chunks(): AsyncIterable<Int32Array>;
}

const EXP_TABLE_SIZE = 1000;
const MAX_EXP = 6;

export async function trainWord2VecBaseline(
  stream: BaselineStream,
  counts: Float64Array,
  o: BaselineWord2VecOptions,
): Promise<{ vectors: Float32Array; seconds: number; words: number }> {
  const V = counts.length,
    d = o.dim;
  let rng = o.seed >>> 0 || 0x9e3779b9;
  const next = () => {
    rng ^= rng << 13;
    rng >>>= 0;
    rng ^= rng >>> 17;
    rng ^= rng << 5;
    rng >>>= 0;
    return rng;
  };
  const syn0 = new Float32Array(V * d);
  const syn1 = new Float32Array(V * d);
  for (let i = 0; i < syn0.length; i++) syn0[i] = (next() / 4294967296 - 0.5) / d;
  const expTable = new Float32Array(EXP_TABLE_SIZE);
  for (let i = 0; i < EXP_TABLE_SIZE; i++) {
    const e = Math.exp(((i / EXP_TABLE_SIZE) * 2 - 1) * MAX_EXP);
    expTable[i] = e / (e + 1);
  }
  let total = 0;
  for (let i = 0; i < V; i++) total += counts[i];
  const keep = new Float64Array(V);
  for (let i = 0; i < V; i++) {
    const t = o.sample * total;
    keep[i] = o.sample > 0 ? Math.min(1, ((Math.sqrt(counts[i] / t) + 1) * t) / counts[i]) : 1;
  }
  const cum = new Float64Array(V);
  let acc = 0,
    pw = 0;
  for (let i = 0; i < V; i++) pw += counts[i] ** 0.75;
  for (let i = 0; i < V; i++) {
    acc += counts[i] ** 0.75;
    cum[i] = acc / pw;
  }
  const drawNegative = () => {
    const r = next() / 4294967296;
    let lo = 0,
      hi = V - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cum[mid] <= r) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const neu1 = new Float32Array(d),
    neu1e = new Float32Array(d);
  const sentence = new Int32Array(100_000);
  const totalWords = stream.tokens * o.epochs;
  let seen = 0;
  const started = performance.now();

  // One output-row update: the same arithmetic as word2vec.c's inner loop.
  const trainRow = (l1: Float32Array, l1Off: number, target: number, label: number, alpha: number) => {
    const l2 = target * d;
    let f = 0;
    for (let k = 0; k < d; k++) f += l1[l1Off + k] * syn1[l2 + k];
    let g: number;
    if (f > MAX_EXP) g = (label - 1) * alpha;
    else if (f < -MAX_EXP) g = label * alpha;
    else g = (label - expTable[((f + MAX_EXP) * 83) | 0]) * alpha;
    for (let k = 0; k < d; k++) {
      neu1e[k] += g * syn1[l2 + k];
      syn1[l2 + k] += g * l1[l1Off + k];
    }
  };
  const trainTarget = (l1: Float32Array, l1Off: number, word: number, alpha: number) => {
    trainRow(l1, l1Off, word, 1, alpha);
    for (let n = 0; n < o.negative; n++) {
      const t = drawNegative();
      if (t !== word) trainRow(l1, l1Off, t, 0, alpha);
    }
  };

  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for await (const ids of stream.chunks()) {
      let pos = 0;
      while (pos < ids.length) {
        const alpha = Math.max(o.minAlpha, o.alpha - (o.alpha - o.minAlpha) * (seen / totalWords));
        let len = 0;
        while (pos < ids.length) {
          const w = ids[pos++];
          if (w < 0) break;
          seen++;
          if (keep[w] < 1 && keep[w] < next() / 4294967296) continue;
          sentence[len++] = w;
        }
        for (let sp = 0; sp < len; sp++) {
          const word = sentence[sp];
          const b = next() % o.window;
          if (o.model === 'cbow') {
            neu1.fill(0);
            let cw = 0;
            for (let a = b; a < o.window * 2 + 1 - b; a++) {
              const c = sp - o.window + a;
              if (a === o.window || c < 0 || c >= len) continue;
              const off = sentence[c] * d;
              for (let k = 0; k < d; k++) neu1[k] += syn0[off + k];
              cw++;
            }
            if (!cw) continue;
            for (let k = 0; k < d; k++) neu1[k] /= cw;
            neu1e.fill(0);
            trainTarget(neu1, 0, word, alpha);
            for (let a = b; a < o.window * 2 + 1 - b; a++) {
              const c = sp - o.window + a;
              if (a === o.window || c < 0 || c >= len) continue;
              const off = sentence[c] * d;
              for (let k = 0; k < d; k++) syn0[off + k] += neu1e[k];
            }
          } else {
            for (let a = b; a < o.window * 2 + 1 - b; a++) {
              const c = sp - o.window + a;
              if (a === o.window || c < 0 || c >= len) continue;
              const off = sentence[c] * d;
              neu1e.fill(0);
              trainTarget(syn0, off, word, alpha);
              for (let k = 0; k < d; k++) syn0[off + k] += neu1e[k];
            }
          }
        }
      }
    }
  }
  return { vectors: syn0, seconds: (performance.now() - started) / 1000, words: seen };
}
