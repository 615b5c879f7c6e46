import { describe, expect, it } from 'vitest';
import { Embeddings, scatterSvg } from '../../src/index.js';
import { jacobiSvd } from '../../src/vectors/svd.js';
import { FIXTURE, randomMatrix } from './vector-fixtures.js';

/** A random orthogonal d × d matrix (QR of a random matrix by Gram–Schmidt), row-major. */
function rotation(d: number, seed: number): Float64Array {
  const a = Float64Array.from(randomMatrix(d, d, seed));
  for (let j = 0; j < d; j++) {
    for (let k = 0; k < j; k++) {
      let dot = 0;
      for (let i = 0; i < d; i++) dot += a[i * d + j] * a[i * d + k];
      for (let i = 0; i < d; i++) a[i * d + j] -= dot * a[i * d + k];
    }
    let n = 0;
    for (let i = 0; i < d; i++) n += a[i * d + j] ** 2;
    for (let i = 0; i < d; i++) a[i * d + j] /= Math.sqrt(n);
  }
  return a;
}

describe('Jacobi SVD', () => {
  it('reconstructs A = U·S·Vᵀ with orthonormal U and V, also for a rank-deficient A', () => {
    for (const [n, rank] of [
      [30, 30],
      [12, 7],
    ]) {
      const b = randomMatrix(n, rank, n),
        c = randomMatrix(rank, n, rank + 1);
      const a = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < rank; k++) a[i * n + j] += b[i * rank + k] * c[k * n + j];
      const { u, s, v } = jacobiSvd(a, n);
      let err = 0,
        orthU = 0,
        orthV = 0;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let x = 0,
            uu = 0,
            vv = 0;
          for (let k = 0; k < n; k++) {
            x += u[i * n + k] * s[k] * v[j * n + k];
            uu += u[k * n + i] * u[k * n + j];
            vv += v[k * n + i] * v[k * n + j];
          }
          err = Math.max(err, Math.abs(x - a[i * n + j]));
          orthU = Math.max(orthU, Math.abs(uu - (i === j ? 1 : 0)));
          orthV = Math.max(orthV, Math.abs(vv - (i === j ? 1 : 0)));
        }
      }
      expect(err).toBeLessThan(1e-9);
      expect(orthU).toBeLessThan(1e-9);
      expect(orthV).toBeLessThan(1e-9);
      expect([...s].filter((x) => x > 1e-9)).toHaveLength(rank);
    }
  });
});

describe('PCA (power iteration in WASM)', () => {
  it('recovers known principal axes and variances of synthetic data', () => {
    const d = 10,
      n = 4000;
    const r = rotation(d, 3);
    const sd = [3, 2, 1, 0.3, 0.2, 0.1, 0.1, 0.05, 0.05, 0.01];
    const z = randomMatrix(n, d, 17); // uniform(-1, 1): variance 1/3 per axis
    const x = new Float32Array(n * d);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < d; j++) {
        let s = 5; // an offset, removed by centring
        for (let k = 0; k < d; k++) s += z[i * d + k] * sd[k] * r[j * d + k];
        x[i * d + j] = s;
      }
    const e = new Embeddings(
      Array.from({ length: n }, (_, i) => `p${i}`),
      x,
      d,
    );
    const p = e.pca({ components: 3, words: n });
    for (let c = 0; c < 3; c++) {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += p.components[c][j] * r[j * d + c];
      expect(Math.abs(dot)).toBeGreaterThan(0.995);
      expect(p.explainedVariance[c] / (sd[c] ** 2 / 3)).toBeGreaterThan(0.9);
      expect(p.explainedVariance[c] / (sd[c] ** 2 / 3)).toBeLessThan(1.1);
    }
    expect(p.explainedVarianceRatio[0]).toBeGreaterThan(p.explainedVarianceRatio[1]);
    // The projections are the centred data on the axes: their variance is the eigenvalue.
    let m = 0,
      v = 0;
    for (const pt of p.points) m += pt[0];
    m /= n;
    for (const pt of p.points) v += (pt[0] - m) ** 2;
    expect(Math.abs(m)).toBeLessThan(1e-3);
    expect(v / (n - 1)).toBeCloseTo(p.explainedVariance[0], 3);
  });

  it('projects trained vectors deterministically; SVG output escapes labels', async () => {
    const e = await Embeddings.load(FIXTURE);
    const a = e.pca({ words: ['king', 'queen', 'gold', 'silver', 'day', 'night'] });
    const b = e.pca({ words: ['king', 'queen', 'gold', 'silver', 'day', 'night'] });
    expect(a.points).toEqual(b.points);
    expect(a.points).toHaveLength(6);
    expect(() => e.pca({ words: ['king', 'xyzzy'] })).toThrow(/"xyzzy" is not in the vocabulary/);
    expect(() => e.pca({ components: 0 })).toThrow(/components/);
    const svg = scatterSvg(
      [
        [0, 0],
        [1, 1],
      ],
      ['<a&b>', 'x"y'],
      { title: 'T' },
    );
    expect(svg).toContain('&lt;a&amp;b&gt;');
    expect(svg).toContain('x&quot;y');
  });
});
