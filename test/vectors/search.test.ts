import { describe, expect, it } from 'vitest';
import { normalizeBaseline, topKBaseline } from '../../bench/baseline/search.js';
import { SearchIndex } from '../../src/vectors/search-index.js';
import { bitsEqual, randomMatrix, syntheticEmbeddings } from './vector-fixtures.js';

describe('WASM search kernel', () => {
  const rows = 2003,
    dim = 37; // odd sizes: scalar tails in every loop
  const raw = randomMatrix(rows, dim, 11);
  const index = SearchIndex.create(raw, rows, dim);
  const queries = Float32Array.from(normalizeBaseline(randomMatrix(13, dim, 5), 13, dim));

  it('normalises rows like the float64 reference (within float32 rounding)', () => {
    const ref = normalizeBaseline(raw, rows, dim);
    const got = index.normalized();
    let worst = 0;
    for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(ref[i] - got[i]));
    expect(worst).toBeLessThan(1e-6);
  });

  it('top-k equals a full float64 ranking (scores within 1e-5, same rows apart from near-ties)', () => {
    const k = 9;
    const top = index.topK(queries, 13, k, rows);
    for (let q = 0; q < 13; q++) {
      const ref = topKBaseline(index.normalized(), rows, dim, queries.subarray(q * dim, (q + 1) * dim), k);
      for (let i = 0; i < k; i++) {
        expect(Math.abs(top.scores[q * k + i] - ref.scores[i])).toBeLessThan(1e-5);
        if (i + 1 < k && ref.scores[i] - ref.scores[i + 1] > 1e-5 && (i === 0 || ref.scores[i - 1] - ref.scores[i] > 1e-5)) {
          expect(top.rows[q * k + i]).toBe(ref.rows[i]);
        }
      }
      for (let i = 1; i < k; i++) expect(top.scores[q * k + i]).toBeLessThanOrEqual(top.scores[q * k + i - 1]);
    }
  });

  it('results do not depend on batching: one query at a time == 13 at once == spread over 2 workers', async () => {
    const k = 5;
    const all = index.topK(queries, 13, k, rows);
    for (let q = 0; q < 13; q++) {
      const one = index.topK(queries.subarray(q * dim, (q + 1) * dim), 1, k, rows);
      expect([...one.rows]).toEqual([...all.rows.subarray(q * k, (q + 1) * k)]);
      expect(bitsEqual(one.scores, all.scores.subarray(q * k, (q + 1) * k))).toBe(true);
    }
    const many = new Float32Array(200 * dim);
    for (let i = 0; i < 200; i++) many.set(queries.subarray((i % 13) * dim, ((i % 13) + 1) * dim), i * dim);
    const serial = index.topK(many, 200, k, rows);
    const parallel = await index.topKParallel(many, 200, k, rows, 2);
    expect([...parallel.rows]).toEqual([...serial.rows]);
    expect(bitsEqual(parallel.scores, serial.scores)).toBe(true);
  });

  it('restricts to the first rows, pads with -1 when k > rows, and breaks ties by lower row', () => {
    const top = index.topK(queries, 1, 4, 3);
    expect([...top.rows].sort()).toEqual([0, 1, 2, -1].sort());
    expect(top.rows[3]).toBe(-1);
    const twins = new Float32Array(4 * 3);
    twins.set([1, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0]);
    const t = SearchIndex.create(twins, 4, 3);
    const r = t.topK(Float32Array.from([1, 0, 0]), 1, 3, 4);
    expect([...r.rows]).toEqual([0, 2, 3]);
    expect(t.zeroRows).toBe(0);
    t.dispose();
  });

  it('k beyond the heap kernel (full selection) agrees with the kernel on the same scores', () => {
    const big = syntheticEmbeddings(20000, 8, 3);
    const ix = SearchIndex.create(big.vectors, big.size, big.dim);
    const q = ix.row(17).slice();
    const huge = ix.topK(q, 1, 17000, big.size);
    const small = ix.topK(q, 1, 50, big.size);
    expect([...huge.rows.subarray(0, 50)]).toEqual([...small.rows]);
    expect(huge.rows[0]).toBe(17);
    ix.dispose();
  });
});

describe('Embeddings queries run on the index', () => {
  const e = syntheticEmbeddings(5000, 24, 9);
  it('mostSimilarBatch over threads == mostSimilar one by one', async () => {
    const queries = e.words.slice(0, 150).map((w, i) => ({ positive: [w], negative: i % 3 ? [] : [e.words[i + 500]], topN: 7 }));
    const batch = await e.mostSimilarBatch(queries, { threads: 2 });
    expect(batch).toEqual(queries.map((q) => e.mostSimilar(q)));
  });
  it('excludes the query words and honours restrictVocab', () => {
    const r = e.mostSimilar({ positive: ['w1', 'w2'], negative: ['w3'], topN: 20, restrictVocab: 100 });
    expect(r).toHaveLength(20);
    for (const x of r) {
      expect(['w1', 'w2', 'w3']).not.toContain(x.word);
      expect(e.indexOf(x.word)).toBeLessThan(100);
    }
    expect(e.mostSimilar({ positive: ['w1'], topN: 0 })).toEqual([]);
  });
  it('the similarity of a word to itself is 1 and mostSimilar scores are cosines', () => {
    expect(e.similarity('w5', 'w5')).toBeCloseTo(1, 12);
    const [best] = e.mostSimilar({ positive: ['w5'], topN: 1 });
    expect(best.score).toBeCloseTo(e.similarity('w5', best.word), 6);
  });
});
