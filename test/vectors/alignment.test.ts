import { describe, expect, it } from 'vitest';
import { Alignment, Embeddings, Word2Vec } from '../../src/index.js';
import { randomMatrix } from './vector-fixtures.js';
import { repoData } from '../helpers/data.js';

describe('orthogonal Procrustes alignment', () => {
  it('recovers an exact rotation between two synthetic spaces', () => {
    const n = 800,
      d = 16;
    const x = randomMatrix(n, d, 21);
    // Target = source rotated by a Givens-rotation product (orthogonal), plus small noise.
    const y = new Float32Array(x);
    const noise = randomMatrix(n, d, 22);
    for (let p = 0; p < d - 1; p++) {
      const c = Math.cos(0.3 + p),
        s = Math.sin(0.3 + p);
      for (let i = 0; i < n; i++) {
        const a = y[i * d + p],
          b = y[i * d + p + 1];
        y[i * d + p] = c * a - s * b;
        y[i * d + p + 1] = s * a + c * b;
      }
    }
    for (let i = 0; i < y.length; i++) y[i] += 0.01 * noise[i];
    const words = Array.from({ length: n }, (_, i) => `w${i}`);
    const src = new Embeddings(words, x, d),
      tgt = new Embeddings(words, y, d);
    const dict = words.slice(100).map((w) => [w, w] as const);
    const al = Alignment.fit(src, tgt, [...dict, ['w1', 'nope']]);
    expect([al.pairsUsed, al.pairsSkipped]).toEqual([700, 1]);
    for (const w of words.slice(0, 100)) expect(al.translate(w, { topN: 1 })[0].word).toBe(w);
    // W is orthogonal.
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++) {
        let s = 0;
        for (let k = 0; k < d; k++) s += al.matrix[i * d + k] * al.matrix[j * d + k];
        expect(s).toBeCloseTo(i === j ? 1 : 0, 9);
      }
    expect(() => Alignment.fit(src, new Embeddings(['a'], new Float32Array(3), 3), [['w1', 'a']])).toThrow(/dim 16 differs from target dim 3/);
    expect(() => Alignment.fit(src, tgt, [['x', 'y']])).toThrow(/none of the 1 dictionary pairs/);
  });

  it('aligns two wasm2vec models trained with different seeds: held-out frequent words translate with precision@1 >= 0.8', async () => {
    const corpus = { path: repoData('demo-fairytales-text8/corpus.text8.txt') };
    const settings = { threads: 1, dim: 40, minCount: 2, epochs: 5 } as const;
    const a = await Word2Vec.train(corpus, { ...settings, seed: 1 });
    const b = await Word2Vec.train(corpus, { ...settings, seed: 2 });
    const ea = a.embeddings,
      eb = b.embeddings;
    a.dispose();
    b.dispose();
    // Held out: every 5th of the 1,000 most frequent words; dictionary: the 5,000 most frequent others (identity).
    const held = ea.words.slice(0, 1000).filter((_, i) => i % 5 === 2);
    const heldSet = new Set(held);
    const dict = ea.words
      .filter((w) => !heldSet.has(w) && eb.has(w))
      .slice(0, 5000)
      .map((w) => [w, w] as const);
    expect(dict).toHaveLength(5000);
    const al = Alignment.fit(ea, eb, dict);
    const translated = await al.translateBatch(held, { topN: 1, threads: 1 });
    const p1 = translated.filter((t, i) => t[0].word === held[i]).length / held.length;
    // Without alignment the two spaces are unrelated: the same lookup almost never finds the word.
    const unaligned = held.filter((w) => eb.similarByVector(ea.vector(w), { topN: 1 })[0].word === w).length / held.length;
    expect(p1).toBeGreaterThanOrEqual(0.8);
    expect(unaligned).toBeLessThan(0.1);
    expect(al.translate(held[0], { topN: 3 })).toEqual((await al.translateBatch([held[0]], { topN: 3 }))[0]);
  });
});
