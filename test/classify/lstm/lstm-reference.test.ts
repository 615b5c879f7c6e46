import { describe, it, expect, afterAll } from 'vitest';
import { LstmKernel } from '../../../src/classify/lstm/kernel.js';
import { LstmBaseline, type LstmBaselineShape } from '../../../bench/baseline/lstm.js';

// Keras equivalence of the WASM kernels against the float64 TypeScript reference (bench/baseline/lstm.ts
// in Float64Array mode), on small odd shapes that exercise every SIMD tail, partial shards and the
// exact pad skipping (rows with no padding, all padding, one token, and a 0 id inside a text).

const adam = { trainEmbeddings: true, learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
const engines: LstmKernel[] = [];
afterAll(() => {
  for (const e of engines) e.dispose();
});

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
}

interface Case {
  name: string;
  shape: LstmBaselineShape;
  rows: number;
  threads: number;
}
const cases: Case[] = [
  {
    name: 'binary, 2 layers (5, 7), embedding 6',
    shape: { vocabSize: 40, sequenceLength: 9, embeddingDim: 6, units: [5, 7], outputs: 1 },
    rows: 19,
    threads: 2,
  },
  {
    name: 'softmax over 3 classes, 1 layer of 12',
    shape: { vocabSize: 50, sequenceLength: 6, embeddingDim: 8, units: [12], outputs: 3 },
    rows: 11,
    threads: 1,
  },
];

async function setupCase(c: Case, seed: number) {
  const engine = await LstmKernel.create(c.shape, { threads: c.threads, batchRows: c.rows, predictRows: c.rows }, adam);
  engines.push(engine);
  const rnd = lcg(seed);
  // Weights in (-0.5, 0.5): large enough that every gate is well inside its nonlinearity.
  const weights = engine.tensorSlots.map((t) => Float32Array.from({ length: t.shape.reduce((a, b) => a * b, 1) }, () => rnd() - 0.5));
  await engine.setWeights(weights);
  const T = c.shape.sequenceLength,
    V = c.shape.vocabSize;
  const ids = new Int32Array(c.rows * T);
  for (let r = 0; r < c.rows; r++) {
    const pad = r === 0 ? 0 : r === 1 ? T : r === 2 ? T - 1 : Math.floor(rnd() * T);
    for (let t = pad; t < T; t++) ids[r * T + t] = 1 + Math.floor(rnd() * (V - 1));
  }
  ids[3 * T + T - 2] = 0; // a padding id inside a row's tokens is an ordinary input, not padding
  const classes = Math.max(2, c.shape.outputs);
  const labels = Int32Array.from({ length: c.rows }, () => Math.floor(rnd() * classes));
  return { engine, weights, ids, labels };
}

describe.each(cases)('LSTM kernels vs float64 reference: $name', (c) => {
  it('forward probabilities match to 1e-5 relative', async () => {
    const { engine, weights, ids, labels } = await setupCase(c, 11);
    const ref = new LstmBaseline(c.shape, weights, { float64: true });
    const expected = ref.predict(ids, c.rows);
    const got = await engine.predict(ids, c.rows, labels);
    expect(got.probs.length).toBe(expected.length);
    for (let i = 0; i < expected.length; i++) expect(Math.abs(got.probs[i] - expected[i]) / expected[i]).toBeLessThan(1e-5);
    const refLoss = ref.gradients(ids, labels, c.rows).lossSum;
    expect(Math.abs(got.lossSum - refLoss) / refLoss).toBeLessThan(1e-5);
  });

  it('gradients match the reference, whose gradients match central finite differences', async () => {
    const { engine, weights, ids, labels } = await setupCase(c, 12);
    const ref = new LstmBaseline(c.shape, weights, { float64: true });
    const { grads } = ref.gradients(ids, labels, c.rows);
    const fb = await engine.forwardBackward(ids, labels, c.rows);
    expect(Number.isFinite(fb.lossSum)).toBe(true);
    const got = await engine.gradients();
    got.forEach((t, p) => {
      const scale = Math.max(...Array.from(grads[p], Math.abs));
      expect(scale, t.name).toBeGreaterThan(0);
      let worst = 0;
      for (let i = 0; i < t.values.length; i++) worst = Math.max(worst, Math.abs(t.values[i] - grads[p][i]));
      expect(worst / scale, t.name).toBeLessThan(2e-5);
    });
    // Finite differences of the reference's mean loss (float64): 8 entries per tensor, the largest first.
    const meanLoss = () => ref.gradients(ids, labels, c.rows).lossSum / c.rows;
    const h = 1e-6;
    grads.forEach((g, p) => {
      const order = Array.from(g.keys()).sort((a, b) => Math.abs(g[b]) - Math.abs(g[a]));
      for (const i of [...order.slice(0, 4), ...order.slice(-2), order[order.length >> 1], order[order.length >> 2]]) {
        const w = ref.weights[p][i];
        ref.weights[p][i] = w + h;
        const up = meanLoss();
        ref.weights[p][i] = w - h;
        const down = meanLoss();
        ref.weights[p][i] = w;
        const fd = (up - down) / (2 * h);
        expect(Math.abs(fd - g[i]), `${got[p].name}[${i}]`).toBeLessThan(1e-7 + 1e-5 * Math.abs(g[i]));
      }
    });
  });

  it('the WASM loss itself moves as its gradient says (finite differences in float32)', async () => {
    const { engine, weights, ids, labels } = await setupCase(c, 13);
    await engine.forwardBackward(ids, labels, c.rows);
    const grads = await engine.gradients();
    const h = 1e-2;
    const loss = async (p: number, i: number, delta: number) => {
      const w = weights.map((x) => x.slice());
      w[p][i] += delta;
      await engine.setWeights(w);
      return (await engine.predict(ids, c.rows, labels)).lossSum / c.rows;
    };
    for (let p = 0; p < grads.length; p++) {
      const g = grads[p].values;
      let i = 0;
      for (let k = 1; k < g.length; k++) if (Math.abs(g[k]) > Math.abs(g[i])) i = k;
      const fd = ((await loss(p, i, h)) - (await loss(p, i, -h))) / (2 * h);
      expect(Math.abs(fd - g[i]) / Math.abs(g[i]), grads[p].name).toBeLessThan(0.02);
    }
  });

  it('one and three Keras Adam steps match the reference weights to 1e-5 relative', async () => {
    const { engine, weights, ids, labels } = await setupCase(c, 14);
    const ref = new LstmBaseline(c.shape, weights, { float64: true });
    for (let step = 1; step <= 3; step++) {
      await engine.forwardBackward(ids, labels, c.rows);
      await engine.applyUpdate(step);
      ref.trainBatch(ids, labels, c.rows);
      if (step !== 1 && step !== 3) continue;
      const got = await engine.getWeights();
      got.forEach((t, p) => {
        let moved = 0;
        for (let i = 0; i < t.values.length; i++) {
          const r = ref.weights[p][i];
          expect(Math.abs(t.values[i] - r), `${t.name}[${i}] after ${step} steps`).toBeLessThanOrEqual(1e-5 * Math.max(Math.abs(r), 1e-2));
          if (t.values[i] !== weights[p][i]) moved++;
        }
        expect(moved, t.name).toBeGreaterThan(0);
      });
    }
  });
});

describe('frozen embedding', () => {
  it('gets no gradient and no update, while the other weights train', async () => {
    const c = cases[0];
    const engine = await LstmKernel.create(c.shape, { threads: 2, batchRows: c.rows, predictRows: c.rows }, { ...adam, trainEmbeddings: false });
    engines.push(engine);
    await engine.initWeights(5);
    const before = await engine.getWeights();
    const { ids, labels } = await setupCase(c, 15);
    const ref = new LstmBaseline(
      c.shape,
      before.map((t) => t.values),
      { float64: true, trainEmbeddings: false },
    );
    await engine.forwardBackward(ids, labels, c.rows);
    await engine.applyUpdate(1);
    ref.trainBatch(ids, labels, c.rows);
    const after = await engine.getWeights();
    expect(after[0].values).toEqual(before[0].values);
    for (let p = 1; p < after.length; p++) {
      for (let i = 0; i < after[p].values.length; i++) {
        const r = ref.weights[p][i];
        expect(Math.abs(after[p].values[i] - r)).toBeLessThanOrEqual(1e-5 * Math.max(Math.abs(r), 1e-2));
      }
    }
  });
});

describe('Keras initialisation (computed in WASM)', () => {
  it('glorot-uniform kernels, orthogonal recurrent kernels, unit forget bias, uniform(±0.05) embedding', async () => {
    const shape = { vocabSize: 300, sequenceLength: 4, embeddingDim: 16, units: [24, 10], outputs: 1 };
    const engine = await LstmKernel.create(shape, { threads: 1, batchRows: 8, predictRows: 8 }, adam);
    engines.push(engine);
    await engine.initWeights(3);
    const w = Object.fromEntries((await engine.getWeights()).map((t) => [t.name, t]));
    const within = (a: Float32Array, limit: number) => Array.from(a).every((x) => Math.abs(x) <= limit);
    expect(within(w['embedding/embeddings'].values, 0.05)).toBe(true);
    expect(within(w['lstm_0/kernel'].values, Math.sqrt(6 / (16 + 96)))).toBe(true);
    expect(within(w['lstm_1/kernel'].values, Math.sqrt(6 / (24 + 40)))).toBe(true);
    expect(within(w['dense/kernel'].values, Math.sqrt(6 / (10 + 1)))).toBe(true);
    // Uniform, not clustered: the spread reaches most of the limit.
    expect(Math.max(...Array.from(w['lstm_0/kernel'].values, Math.abs))).toBeGreaterThan(0.9 * Math.sqrt(6 / 112));
    for (const [l, H] of [
      [0, 24],
      [1, 10],
    ] as const) {
      const U = w[`lstm_${l}/recurrent_kernel`].values; // H × 4H with orthonormal rows
      for (let a = 0; a < H; a++) {
        for (let b = 0; b < H; b++) {
          let d = 0;
          for (let g = 0; g < 4 * H; g++) d += U[a * 4 * H + g] * U[b * 4 * H + g];
          expect(Math.abs(d - (a === b ? 1 : 0))).toBeLessThan(1e-5);
        }
      }
      const bias = w[`lstm_${l}/bias`].values;
      expect(Array.from(bias)).toEqual([...Array(H).fill(0), ...Array(H).fill(1), ...Array(2 * H).fill(0)]);
    }
    // Another seed gives other weights; the same seed the same bits.
    await engine.initWeights(4);
    const other = (await engine.getWeights())[1].values;
    expect(other).not.toEqual(w['lstm_0/kernel'].values);
    await engine.initWeights(3);
    expect((await engine.getWeights())[1].values).toEqual(w['lstm_0/kernel'].values);
  });
});
